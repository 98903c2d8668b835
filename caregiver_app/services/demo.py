"""The example household: a made-up patient, kept in its own data directory.

Nothing here is advice. Riluzole, edaravone and tofersen follow the doses and schedules
in the checked fact sheet (``../shared/reference/als-facts.md``) and the app's sourced
medicine reference. Baclofen and glycopyrrolate amounts, steps and limits are
**illustrative only** (the fact sheet gives no dose for them that fits this example);
they are marked as such in the medicine's instructions. The care team is made up too:
its numbers are in the 555-01xx range kept for fiction, its emails at example.org.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.appointments import Appointment, local_to_utc
from caregiver_app.domain.contacts import Contact, PreferredContact, Role
from caregiver_app.domain.doses import DoseEntry, EntryKind, RecordChain, correction_of
from caregiver_app.domain.localtime import day_bounds, zone_named
from caregiver_app.domain.medicines import (
    GivenBy,
    Medicine,
    MedicineVersion,
    StatusChange,
    SupplySettings,
    validate_medicine,
)
from caregiver_app.domain.patient import Allergy, AllergyStatus, Caregiver, Patient, WeightUnit
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    DoseStep,
    LoadingRegimen,
    StepsRegimen,
)
from caregiver_app.domain.schedule import occurrences
from caregiver_app.domain.supply import SupplyEvent, SupplyEventKind, discard_by_from
from caregiver_app.domain.vocab import (
    FoodRule,
    FoodRuleKind,
    Form,
    MedicineStatus,
    Route,
    SkipReason,
)
from caregiver_app.services.demo_going import populate_going
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

if TYPE_CHECKING:
    from sqlite_utils import Database

#: Days of dose history the example starts with.
HISTORY_DAYS = 7
#: Today's doses due within this time before now are left for the caregiver to record.
RECENT_LEFT_OPEN = timedelta(minutes=90)

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
    Contact("Dr. Naomi Brooks, PsyD", Role.MENTAL_HEALTH, "", _CLINIC,
            (_p(PhoneKind.OFFICE, "0156"),), email="naomi.brooks@example.org",
            office_hours="Wed and Fri",
            notes="Low mood, worry and changes in thinking; counselling for Maggie and for "
                  "the family. Learn tab: Mood, anxiety and mental health."),
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


def populate_example(db: Database, *, today: date, time_zone: str,
                     now: datetime | None = None) -> bool:
    """Fill an empty database with the example household (idempotent). True when it did
    (False: the household was there already, nothing was written).

    Doses due before ``today`` are recorded; with ``now`` (aware), today's doses due more
    than an hour and a half before it are recorded too, so the example shows a day in
    progress rather than a morning of missed doses."""
    patients = PatientRepository(db)
    if patients.get() is not None:
        return False
    with db.atomic():
        patients.save(
            Patient(
                full_name="Margaret (Maggie) Example",
                date_of_birth=date(today.year - 61, 4, 12),
                allergy_status=AllergyStatus.HAS_ALLERGIES,
                # No sulfite allergy here: Radicava ORS contains a sulfite.
                allergies=(Allergy("Penicillin", "hives"), Allergy("Latex", "rash")),
                weight=58.5,
                weight_unit=WeightUnit.KG,
                height_cm=165.0,
                notes="Made-up patient for trying the app. Has ALS caused by a SOD1 gene "
                      "change. Speaks slowly; uses a letter board when tired. Has a PEG tube "
                      "for medicines and extra fluids.",
                time_zone=time_zone,
                diagnosis="ALS caused by a SOD1 gene change (made-up example), diagnosed "
                          f"in {today.year - 2}",
                communication="Speaks slowly; uses a letter board when tired. Understands "
                              "everything: speak to her, not only to us.",
                breathing="EXAMPLE ONLY: BiPAP (NIV) at night and for naps, full-face mask, "
                          "size medium. The settings are on the card taped to the machine.\n"
                          "Cough assist twice a day (Marcus Reed, RRT, sets it up).",
                advance_decisions="EXAMPLE ONLY: has an advance directive and a POLST form "
                                  "(copies in the red folder on the fridge). Does not want a "
                                  "tracheostomy. Health care agent: Tom Example.",
            )
        )
        caregivers = patients.save_caregivers(
            [
                Caregiver(name="Tom Example", initials="TE"),
                Caregiver(name="Ana Helper", initials="AH"),
            ]
        )
        team = _add_care_team(db, today=today, time_zone=time_zone)
        _medicines(MedicationRepository(db), today=today, time_zone=time_zone,
                   caregiver_ids=[c.id for c in caregivers if c.id is not None],
                   prescriber_id=team["Dr. Ada Lee"].id,
                   pharmacy_id=team["Riverside Pharmacy (example)"].id, now=now)
        populate_going(db, today=today,
                       caregiver_ids=[c.id for c in caregivers if c.id is not None])
    return True


def _add_care_team(db: Database, *, today: date, time_zone: str) -> dict[str, Contact]:
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
    team.save_appointment(Appointment(  # the last clinic visit: the summary starts here
        starts_at=local_to_utc(today - timedelta(days=60), time(9, 30), time_zone),
        time_zone=time_zone,
        duration_minutes=240,
        purpose="ALS clinic visit",
        contact_id=saved["Rosa Martinez, RN"].id,
        place=f"{_CLINIC}\n{_CLINIC_ADDRESS}",
        companion="Tom",
        outcome="Breathing test done (results in the clinic letter). Baclofen dose "
                "talked over. Next visit in about two months.",
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
    return saved


def _medicines(repo: MedicationRepository, *, today: date, time_zone: str,
               caregiver_ids: list[int], prescriber_id: int | None = None,
               pharmacy_id: int | None = None, now: datetime | None = None) -> None:
    zone = zone_named(time_zone)
    tom, ana = caregiver_ids[0], caregiver_ids[-1]
    first = today - timedelta(days=HISTORY_DAYS)
    set_up_at = datetime.combine(first - timedelta(days=1), time(18), tzinfo=zone)

    def add(medicine: Medicine) -> Medicine:
        # The neurologist prescribes everything; the pharmacy supplies what is given at home.
        medicine = replace(medicine, prescriber_id=prescriber_id,
                           pharmacy_id=pharmacy_id if medicine.given_by is GivenBy.HOME
                           else None)
        return repo.add_medicine(validate_medicine(medicine), by=tom, at=set_up_at)

    riluzole = add(Medicine(
        generic_name="riluzole", brand_name="Rilutek", reference_id="riluzole",
        purpose="Slows ALS", start_date=first,
        food_rule=FoodRule(FoodRuleKind.EMPTY_STOMACH, 60, 120),
        instructions="One tablet every 12 hours.",
        supply=SupplySettings(unit="tablet", reorder_days=10),
        versions=(MedicineVersion(
            valid_from=first, strength="50 mg", form=Form.TABLET, route=Route.ORAL,
            dose=Dose(1, "tablet"),
            regimen=DailyRegimen(start=today - timedelta(days=120),
                                 times=(time(8), time(20)))),),
    ))
    edaravone = add(Medicine(
        generic_name="edaravone", brand_name="Radicava ORS", reference_id="edaravone-oral",
        purpose="May slow the loss of everyday abilities", start_date=first,
        food_rule=FoodRule(
            FoodRuleKind.FASTING, 480, 60,
            "Morning, after the overnight fast. Wait 8 h after a high-fat meal, 4 h after a "
            "low-fat meal, 2 h after a calorie drink; only water for 1 h after the dose."),
        instructions="Shake the bottle hard, upside down, for at least 30 seconds. Measure "
                     "only with the oral syringe that comes with it.",
        # Radicava ORS: use an opened bottle within 15 days (label summary, secondary source).
        supply=SupplySettings(unit="mL", reorder_days=7,
                              opened_on=today - timedelta(days=4),
                              discard_by=discard_by_from(today - timedelta(days=4), 15)),
        versions=(MedicineVersion(
            valid_from=first, strength="105 mg/5 mL", form=Form.LIQUID,
            route=Route.FEEDING_TUBE, dose=Dose(5, "mL"), flush_ml=30,
            # Cycle 3 began 5 days ago: cycle 1 = 14 days on, 14 off; then 10 of 14 on.
            regimen=CycleRegimen(start=today - timedelta(days=61), times=(time(7),))),),
        # A dose was held back one day (example reason); the rest of cycle 3 moved with it.
        cycle_shifts=(CycleShift(today - timedelta(days=3), 1, carry=False,
                                 reason="Clinic visit ran late; neurologist said give it "
                                        "next morning."),),
    ))
    tofersen = add(Medicine(
        generic_name="tofersen", brand_name="Qalsody", reference_id="tofersen",
        purpose="For ALS caused by a SOD1 gene change", given_by=GivenBy.CLINIC,
        start_date=today - timedelta(days=20),
        instructions="Given by lumbar puncture at the ALS clinic.",
        versions=(MedicineVersion(
            valid_from=today - timedelta(days=20), strength="100 mg/15 mL",
            form=Form.INTRATHECAL, route=Route.INTRATHECAL, dose=Dose(15, "mL"),
            regimen=LoadingRegimen(start=today - timedelta(days=20), time=time(9))),),
    ))
    # Illustrative amounts only: the fact sheet gives no baclofen dose for this example.
    baclofen = add(Medicine(
        generic_name="baclofen", reference_id="baclofen", purpose="Muscle stiffness",
        start_date=first,
        instructions="EXAMPLE AMOUNTS ONLY. Never stop it suddenly: the care team lowers it "
                     "slowly when stopping.",
        supply=SupplySettings(unit="tablet", reorder_days=7),
        versions=(MedicineVersion(
            valid_from=first, strength="5 mg", form=Form.TABLET, route=Route.ORAL,
            dose=Dose(1, "tablet"),
            regimen=StepsRegimen((
                DoseStep(start=today - timedelta(days=10), end=today - timedelta(days=4),
                         dose=Dose(1, "tablet"), times=(time(8), time(14), time(20))),
                DoseStep(start=today - timedelta(days=3), dose=Dose(2, "tablet"),
                         times=(time(8), time(14), time(20))),
            ))),),
    ))
    # Illustrative limits only: the fact sheet gives 1 mg three times daily as a
    # regular dose, not as-needed limits.
    glyco = add(Medicine(
        generic_name="glycopyrrolate", reference_id="glycopyrrolate",
        purpose="Drooling (thin, watery saliva)", start_date=first,
        instructions="EXAMPLE LIMITS ONLY: the care team sets the real ones.",
        supply=SupplySettings(unit="tablet", reorder_days=7),
        versions=(MedicineVersion(
            valid_from=first, strength="1 mg", form=Form.TABLET, route=Route.ORAL,
            dose=Dose(1, "tablet"),
            regimen=AsNeededRegimen(start=first, min_interval=timedelta(hours=4),
                                    max_per_24h=3)),),
        status_history=(
            StatusChange(datetime.combine(today - timedelta(days=6), time(10), tzinfo=zone),
                         MedicineStatus.PAUSED, "In hospital for two days"),
            StatusChange(datetime.combine(today - timedelta(days=4), time(16), tzinfo=zone),
                         MedicineStatus.ACTIVE, "Home again"),
        ),
    ))

    # ---- A week of recorded doses (everything due before today, or up to a while ago).
    start, _ = day_bounds(first, zone)
    end, _ = day_bounds(today, zone)
    if now is not None:
        end = max(end, min(day_bounds(today, zone)[1], now - RECENT_LEFT_OPEN))
    given_loading: dict[tuple[int, str], date] = {}
    for medicine in (riluzole, edaravone, baclofen, tofersen):
        for number, occ in enumerate(occurrences(medicine, start, end, zone,
                                                 actual=given_loading)):
            giver = tom if number % 3 else ana
            late = timedelta(minutes=10 + 7 * (number % 4))
            if medicine is tofersen and occ.label == "loading 2 of 3":
                # Given a day late at the clinic: the next dose counts from this day.
                late = timedelta(days=1, hours=2)
            given_at = occ.due + late
            if medicine is riluzole and number == 5:
                repo.add_entry(DoseEntry(
                    medicine_id=occ.medicine_id, kind=EntryKind.SKIPPED,  # type: ignore[arg-type]
                    recorded_at=occ.due + timedelta(minutes=40), recorded_by_id=giver,
                    occurrence_key=occ.key, due_at=occ.due, skip_reason=SkipReason.REFUSED,
                    note="Felt sick; will try the next dose."))
                continue
            entry = repo.add_entry(DoseEntry(
                medicine_id=occ.medicine_id, kind=EntryKind.GIVEN,  # type: ignore[arg-type]
                recorded_at=given_at + timedelta(minutes=3), recorded_by_id=giver,
                occurrence_key=occ.key, due_at=occ.due, given_at=given_at, amount=occ.dose,
                caregiver_id=None if medicine.given_by is GivenBy.CLINIC else giver))
            if medicine is tofersen:
                assert tofersen.id is not None
                given_loading[(tofersen.id, occ.key)] = given_at.astimezone(zone).date()
            if medicine is riluzole and number == 8:
                # Typed the wrong time, then corrected it: both stay in the history.
                repo.add_entry(correction_of(
                    RecordChain((entry,)), kind=EntryKind.GIVEN,
                    given_at=given_at + timedelta(minutes=30),
                    recorded_at=given_at + timedelta(hours=1), recorded_by_id=giver,
                    note="Wrong time typed at first."))
    for days_ago, hour in ((3, 11), (2, 10), (2, 17), (1, 12)):
        at = datetime.combine(today - timedelta(days=days_ago), time(hour), tzinfo=zone)
        repo.add_entry(DoseEntry(
            medicine_id=glyco.id, kind=EntryKind.GIVEN,  # type: ignore[arg-type]
            recorded_at=at + timedelta(minutes=2), recorded_by_id=tom, given_at=at,
            amount=Dose(1, "tablet"), caregiver_id=tom, note="Drooling a lot"))

    # ---- Stock: counted at the start of the week, one refill since.
    for medicine, count in ((riluzole, 40), (baclofen, 50), (glyco, 30), (edaravone, 35)):
        repo.add_supply_event(SupplyEvent(
            medicine_id=medicine.id, kind=SupplyEventKind.COUNT,  # type: ignore[arg-type]
            quantity=count, at=start.astimezone(UTC), recorded_by_id=tom,
            note="Counted when setting up the app"))
    repo.add_supply_event(SupplyEvent(
        medicine_id=riluzole.id, kind=SupplyEventKind.REFILL,  # type: ignore[arg-type]
        quantity=60, at=datetime.combine(today - timedelta(days=2), time(15), tzinfo=zone),
        recorded_by_id=ana, note="Pharmacy delivery"))
