"""The example household: a made-up patient, kept in its own data directory.

Nothing here is advice; the medicine list follows the regimens described in the
app's sourced medicine reference and is only an illustration.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlite_utils import Database

from caregiver_app.domain.appointments import Appointment, local_to_utc
from caregiver_app.domain.contacts import Contact, PreferredContact, Role
from caregiver_app.domain.patient import Allergy, AllergyStatus, Caregiver, Patient, WeightUnit
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.patient_repo import PatientRepository

_CLINIC = "Lakeside ALS Clinic (example)"
_CLINIC_ADDRESS = "200 Lake Street, 3rd floor\nSpringfield, IL 62701"


def _p(kind: PhoneKind, last4: str, area: str = "312") -> Phone:
    """A made-up number from the 555-01xx range kept for fiction."""
    return Phone(kind, f"+1{area}555{last4}")


EXAMPLE_TEAM = (
    Contact("Lakeside clinic after-hours line", Role.OTHER, "Clinic after-hours line", _CLINIC,
            (_p(PhoneKind.AFTER_HOURS, "0199"),),
            notes="Evenings, nights and weekends: breathing trouble, a fall, a blocked or "
                  "pulled feeding tube. In an emergency call 911 first.",
            emergency=True),
    Contact("Rosa Martinez, RN", Role.NURSE_COORDINATOR, "", _CLINIC,
            (_p(PhoneKind.OFFICE, "0144"), _p(PhoneKind.FAX, "0145")),
            email="rosa.martinez@example.org", address=_CLINIC_ADDRESS,
            portal_url="https://mychart.example.org", office_hours="Mon–Fri 8:30–4:30",
            preferred_contact=PreferredContact.CALL,
            notes="Call first between visits: new symptoms, equipment orders, home care, "
                  "transport, referrals.",
            emergency=True),
    Contact("Dr. Ada Lee", Role.NEUROLOGIST, "", _CLINIC,
            (_p(PhoneKind.OFFICE, "0142"), _p(PhoneKind.FAX, "0143")),
            email="ada.lee@example.org", address=_CLINIC_ADDRESS,
            portal_url="https://mychart.example.org", office_hours="Mon–Fri 8:30–4:30",
            preferred_contact=PreferredContact.PORTAL,
            notes="Prescribes the ALS medicines. Messages through the portal; urgent "
                  "questions through Rosa."),
    Contact("Ben Okafor, PT", Role.PHYSICAL_THERAPIST, "", "Northside Rehab (example)",
            (_p(PhoneKind.OFFICE, "0150"),), email="ben.okafor@example.org",
            office_hours="Tue and Thu", notes="Stretching plan, transfers, the new walker."),
    Contact("Priya Shah, OT", Role.OCCUPATIONAL_THERAPIST, "", "Northside Rehab (example)",
            (_p(PhoneKind.OFFICE, "0151"),), email="priya.shah@example.org",
            notes="Bathroom equipment, wheelchair cushion, eating aids."),
    Contact("Hannah Kim, SLP", Role.SPEECH_LANGUAGE, "", _CLINIC,
            (_p(PhoneKind.OFFICE, "0152"),), email="hannah.kim@example.org",
            notes="Swallowing, thickened drinks, the letter board and eye-gaze device."),
    Contact("Marcus Reed, RRT", Role.RESPIRATORY_THERAPIST, "", "BreatheWell Home Respiratory "
            "(example)", (_p(PhoneKind.OFFICE, "0160"), _p(PhoneKind.AFTER_HOURS, "0161")),
            office_hours="Mon–Fri 8–5; on call at night",
            notes="BiPAP mask or alarm problems, cough assist settings, suction supplies.",
            emergency=True),
    Contact("Lena Novak, RD", Role.DIETITIAN, "", _CLINIC, (_p(PhoneKind.OFFICE, "0153"),),
            email="lena.novak@example.org",
            notes="Weight, tube-feed formula and amounts, extra water."),
    Contact("Carlos Vega, LCSW", Role.SOCIAL_WORKER, "", _CLINIC,
            (_p(PhoneKind.OFFICE, "0154"), _p(PhoneKind.MOBILE, "0155")),
            email="carlos.vega@example.org",
            notes="Insurance forms, respite care, caregiver support group."),
    Contact("Riverside Pharmacy (example)", Role.PHARMACY, "", "Riverside Pharmacy (example)",
            (_p(PhoneKind.OFFICE, "0170"), _p(PhoneKind.FAX, "0171")),
            address="12 Main Street\nSpringfield, IL 62701", office_hours="Mon–Sat 9–9",
            notes="Refills and deliveries. Ask the pharmacist before crushing any tablet."),
    Contact("Northstar Medical Equipment (example)", Role.EQUIPMENT, "",
            "Northstar Medical Equipment (example)",
            (_p(PhoneKind.OFFICE, "0180"), _p(PhoneKind.AFTER_HOURS, "0181")),
            office_hours="Mon–Fri 9–5",
            notes="Wheelchair repairs, hospital bed, patient lift."),
)


def populate_example(db: Database, *, today: date, time_zone: str) -> None:
    """Fill an empty database with the example household (idempotent)."""
    patients = PatientRepository(db)
    if patients.get() is not None:
        return
    with db.atomic():
        patients.save(
            Patient(
                full_name="Margaret (Maggie) Example",
                date_of_birth=date(today.year - 61, 4, 12),
                allergy_status=AllergyStatus.HAS_ALLERGIES,
                allergies=(Allergy("Penicillin", "hives"), Allergy("Sulfites", "wheezing")),
                weight=58.5,
                weight_unit=WeightUnit.KG,
                notes="Made-up patient for trying the app. Speaks slowly; uses a letter board "
                      "when tired. Has a PEG tube for medicines and extra fluids.",
                time_zone=time_zone,
            )
        )
        patients.save_caregivers(
            [
                Caregiver(name="Tom Example", initials="TE"),
                Caregiver(name="Ana Helper", initials="AH"),
            ]
        )
        _add_care_team(db, today=today, time_zone=time_zone)


def _add_care_team(db: Database, *, today: date, time_zone: str) -> None:
    team = CareTeamRepository(db)
    saved = {c.name: team.save_contact(c) for c in EXAMPLE_TEAM}
    team.save_appointment(Appointment(
        starts_at=local_to_utc(today + timedelta(days=2), time(14, 0), time_zone),
        time_zone=time_zone,
        duration_minutes=60,
        purpose="Breathing test and BiPAP check",
        contact_id=saved["Marcus Reed, RRT"].id,
        place="Home visit",
        companion="Tom",
        questions="Is the mask size still right? It leaks at night.\n"
                  "Should the cough assist be used before meals too?",
    ))
    team.save_appointment(Appointment(
        starts_at=local_to_utc(today + timedelta(days=6), time(9, 30), time_zone),
        time_zone=time_zone,
        duration_minutes=240,
        purpose="ALS clinic visit",
        contact_id=saved["Rosa Martinez, RN"].id,
        place=f"{_CLINIC}\n{_CLINIC_ADDRESS}",
        transport="Wheelchair taxi booked for 8:30 (booking 4471). Bring the medicine list "
                  "and the BiPAP card.",
        companion="Tom and Ana",
        questions="Can riluzole come as a liquid now that swallowing is harder?\n"
                  "Who orders a new wheelchair cushion?\n"
                  "Is a voice-banking appointment possible?",
    ))
