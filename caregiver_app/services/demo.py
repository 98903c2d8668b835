"""The example household: a made-up patient, kept in its own data directory.

Nothing here is advice; the medicine list follows the regimens described in the
app's sourced medicine reference and is only an illustration.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from caregiver_app.domain.patient import Allergy, AllergyStatus, Caregiver, Patient, WeightUnit
from caregiver_app.storage.patient_repo import PatientRepository


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
