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


@pytest.mark.parametrize(("typed", "unit", "cm"), [
    ("172", WeightUnit.KG, 172.0), ("172,5 cm", WeightUnit.KG, 172.5),
    ("5 ft 8 in", WeightUnit.LB, 172.7), ("5'8\"", WeightUnit.LB, 172.7),
    ("5' 8", WeightUnit.LB, 172.7), ("68", WeightUnit.LB, 172.7),
    ("6 feet", WeightUnit.LB, 182.9), ("", WeightUnit.KG, None)])
def test_a_height_is_typed_in_the_household_unit_and_kept_in_cm(typed, unit, cm):
    from caregiver_app.domain.patient import parse_height

    assert parse_height(typed, unit) == cm


@pytest.mark.parametrize(("typed", "unit", "says"), [
    ("tall", WeightUnit.KG, "in centimetres"), ("5.8", WeightUnit.KG, "from 50 to 250"),
    ("1720", WeightUnit.KG, "from 50 to 250"), ("5", WeightUnit.LB, "from 50 to 250"),
    ("five foot", WeightUnit.LB, "feet and inches")])
def test_a_height_that_cannot_be_read_or_is_out_of_range_says_why(typed, unit, says):
    from caregiver_app.domain.patient import parse_height

    with pytest.raises(ValueError, match=says):
        parse_height(typed, unit)


def test_the_height_has_one_range_for_the_form_the_import_and_the_database():
    from caregiver_app.domain.fields import FIELDS
    from caregiver_app.domain.patient import MAX_HEIGHT_CM, MIN_HEIGHT_CM, height_text

    rule = FIELDS["patient"]["height_cm"]
    assert (rule.low, rule.high) == (MIN_HEIGHT_CM, MAX_HEIGHT_CM) == (50, 250)
    assert "height" in _errors(Patient("Jane", allergy_status=AllergyStatus.NONE_KNOWN,
                                       height_cm=251))
    assert validate_patient(Patient("Jane", allergy_status=AllergyStatus.NONE_KNOWN,
                                    height_cm=160), today=date(2026, 1, 1)).height_cm == 160
    assert height_text(172.7, WeightUnit.LB) == "5 ft 8 in"
    assert height_text(172, WeightUnit.KG) == "172 cm"
