from __future__ import annotations

from datetime import date

from caregiver_app.domain.patient import Allergy, AllergyStatus, Caregiver, Patient, WeightUnit
from caregiver_app.storage.patient_repo import PatientRepository


def test_patient_round_trip(fresh_db):
    repo = PatientRepository(fresh_db)
    assert repo.get() is None
    patient = Patient("Jane Doe", date(1960, 3, 1), AllergyStatus.HAS_ALLERGIES,
                      (Allergy("Penicillin", "rash"), Allergy("Latex", "")), 61.5, WeightUnit.LB,
                      "Uses a letter board", "America/Chicago")
    repo.save(patient)
    assert repo.get() == patient
    emergency = Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                        diagnosis="ALS, diagnosed March 2025",
                        communication="Letter board when tired",
                        breathing="BiPAP at night\nCough assist twice a day",
                        advance_decisions="Advance directive in the red folder")
    repo.save(emergency)
    assert repo.get() == emergency
    changed = Patient("Jane Doe", None, AllergyStatus.NONE_KNOWN)
    repo.save(changed)
    assert repo.get() == changed
    assert fresh_db.table("patient").count == 1


def test_removed_caregiver_is_kept_inactive(fresh_db):
    repo = PatientRepository(fresh_db)
    saved = repo.save_caregivers([Caregiver("Tom", "T"), Caregiver("Ana", "A")])
    tom = next(c for c in saved if c.initials == "T")
    remaining = repo.save_caregivers([c for c in saved if c.initials == "A"])
    assert [c.initials for c in remaining] == ["A"]
    kept = repo.caregiver(tom.id)
    assert kept is not None and not kept.active and kept.name == "Tom"


def test_the_height_is_kept_in_cm_and_the_database_holds_the_forms_range(fresh_db):
    import sqlite3

    import pytest

    from caregiver_app.domain.patient import MAX_HEIGHT_CM, MIN_HEIGHT_CM

    repo = PatientRepository(fresh_db)
    patient = Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN, weight=150,
                      weight_unit=WeightUnit.LB, height_cm=172.7)
    repo.save(patient)
    assert repo.get() == patient
    for refused in (MIN_HEIGHT_CM - 0.1, MAX_HEIGHT_CM + 0.1):  # from any program
        with pytest.raises(sqlite3.IntegrityError, match="height_cm"):
            fresh_db.execute("UPDATE patient SET height_cm = ?", [refused])
    for kept in (MIN_HEIGHT_CM, MAX_HEIGHT_CM, None):
        fresh_db.execute("UPDATE patient SET height_cm = ?", [kept])
