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
