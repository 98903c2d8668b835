from __future__ import annotations

from datetime import date

import pytest

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.patient import (
    Allergy,
    AllergyStatus,
    Caregiver,
    Patient,
    WeightUnit,
    suggest_initials,
    validate_caregiver,
    validate_patient,
)

TODAY = date(2026, 11, 25)


def _errors(patient: Patient) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        validate_patient(patient, today=TODAY)
    return info.value.errors


def test_valid_profile_is_tidied():
    p = validate_patient(
        Patient("  Jane   Doe ", date(1960, 3, 1), AllergyStatus.HAS_ALLERGIES,
                (Allergy(" Penicillin ", " rash "), Allergy("", "")), 60.0),
        today=TODAY,
    )
    assert p.full_name == "Jane Doe"
    assert p.allergies == (Allergy("Penicillin", "rash"),)


def test_name_required():
    assert "full_name" in _errors(Patient("   ", allergy_status=AllergyStatus.NONE_KNOWN))


def test_allergies_must_be_an_explicit_choice():
    errors = _errors(Patient("Jane"))
    assert "No known allergies" in errors["allergies"]


def test_has_allergies_needs_one():
    assert "allergies" in _errors(Patient("Jane", allergy_status=AllergyStatus.HAS_ALLERGIES))


def test_allergy_needs_substance():
    errors = _errors(Patient("Jane", allergy_status=AllergyStatus.HAS_ALLERGIES,
                             allergies=(Allergy("", "hives"),)))
    assert "substance" in errors["allergies"]


def test_no_known_allergies_with_a_list_is_contradictory():
    errors = _errors(Patient("Jane", allergy_status=AllergyStatus.NONE_KNOWN,
                             allergies=(Allergy("Latex"),)))
    assert "allergies" in errors


@pytest.mark.parametrize("dob", [date(2027, 1, 1), date(1850, 1, 1)])
def test_birth_date_sane(dob):
    assert "date_of_birth" in _errors(
        Patient("Jane", dob, allergy_status=AllergyStatus.NONE_KNOWN))


@pytest.mark.parametrize(("weight", "unit"), [(0, WeightUnit.KG), (500, WeightUnit.KG),
                                              (1000, WeightUnit.LB)])
def test_weight_range(weight, unit):
    assert "weight" in _errors(Patient("Jane", allergy_status=AllergyStatus.NONE_KNOWN,
                                       weight=weight, weight_unit=unit))


def test_allergy_summary_never_blank():
    assert Patient("J", allergy_status=AllergyStatus.NONE_KNOWN).allergy_summary() == \
        "No known allergies"
    assert "not recorded" in Patient("J").allergy_summary()
    assert Patient("J", allergy_status=AllergyStatus.HAS_ALLERGIES,
                   allergies=(Allergy("Sulfa", "rash"),)).allergy_summary() == "Sulfa (rash)"


def test_caregiver_initials_unique_and_letters():
    first = validate_caregiver(Caregiver("Tom Smith", "ts"))
    assert first.initials == "TS"
    with pytest.raises(ValidationError) as info:
        validate_caregiver(Caregiver("Tara Sun", "T.S."), others=[first])
    assert "Tom Smith already uses TS" in info.value.errors["initials"]
    with pytest.raises(ValidationError):
        validate_caregiver(Caregiver("X", "12"))


def test_suggest_initials():
    assert suggest_initials("mary-anne de souza") == "MAD"
