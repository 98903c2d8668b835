"""Phone numbers: read however typed, refused with a reason, shown the local way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app.domain.phones import (
    Phone,
    PhoneError,
    PhoneKind,
    format_phone,
    normalize_region,
    parse_phone,
    phone_digits,
    region_for_time_zone,
    tel_uri,
)


@pytest.mark.parametrize("typed", [
    "(312) 555-0142", "312-555-0142", "312.555.0142", "3125550142", "+1 312 555 0142",
    "1-312-555-0142", "  (312)  555 - 0142 ",
])
def test_one_us_number_typed_many_ways_is_stored_the_same(typed):
    assert parse_phone(typed, "US") == ("+13125550142", "")


def test_extension_is_kept_apart():
    assert parse_phone("312 555 0142 ext. 12", "US") == ("+13125550142", "12")
    assert parse_phone("(312) 555-0142 x12", "US") == ("+13125550142", "12")


def test_number_abroad_is_read_with_its_country_code():
    assert parse_phone("+44 20 7946 0018", "US") == ("+442079460018", "")
    assert parse_phone("020 7946 0018", "GB") == ("+442079460018", "")


def test_short_local_numbers_are_kept_as_digits():
    assert parse_phone("911", "US") == ("911", "")
    assert parse_phone("111", "GB") == ("111", "")


@pytest.mark.parametrize(("typed", "region", "says"), [
    ("", "US", "Enter the phone number"),
    ("12", "US", "too short"),
    ("312 555 01420000", "US", "too long"),
    ("call me", "US", "does not look like a phone number"),
    ("(555) 555-0100", "US", "does not exist"),  # no such area code
    ("312 555 0142", None, "Start the number with + and the country code"),
    ("+999 1234 5678", "US", "country code"),
])
def test_bad_numbers_are_refused_with_a_reason(typed, region, says):
    with pytest.raises(PhoneError) as error:
        parse_phone(typed, region)
    assert says in str(error.value)


def test_invalid_local_number_shows_an_example_in_the_local_form():
    with pytest.raises(PhoneError) as error:
        parse_phone("(555) 555-0100", "US")
    assert "(201) 555-0123" in str(error.value)


def test_shown_nationally_at_home_and_internationally_abroad():
    phone = Phone(PhoneKind.OFFICE, "+13125550142", "12")
    assert format_phone(phone, "US") == "(312) 555-0142 ext. 12"
    assert format_phone(phone, "GB") == "+1 312-555-0142 ext. 12"
    assert format_phone(phone, None) == "+1 312-555-0142 ext. 12"
    assert format_phone(Phone(PhoneKind.OTHER, "911"), "US") == "911"


def test_tel_uri_dials_the_extension():
    assert tel_uri(Phone(PhoneKind.OFFICE, "+13125550142", "12")) == "tel:+1-312-555-0142;ext=12"
    assert tel_uri(Phone(PhoneKind.OTHER, "911")) == "tel:911"


def test_search_digits_cover_both_written_forms():
    digits = phone_digits(Phone(PhoneKind.OFFICE, "+442079460018"), "GB")
    assert "442079460018" in digits
    assert "02079460018" in digits


def test_region_names():
    assert normalize_region("us") == "US"
    assert normalize_region("") is None
    assert normalize_region("XX") is None
    assert region_for_time_zone("America/Chicago") == "US"
    assert region_for_time_zone("Europe/London") == "GB"
    assert region_for_time_zone("UTC") is None


@pytest.mark.parametrize(("patient", "locale", "computer", "region"), [
    ("America/Chicago", None, "UTC", "US"),  # LANG=C: the patient's country
    ("America/Chicago", "DE", "Europe/Berlin", "US"),  # the patient's, not the laptop's
    ("", "DE", "America/Chicago", "DE"),  # no zone for the patient: the locale
    ("UTC", "", "Europe/London", "GB"),  # nor a country: the computer's zone
    ("", None, "UTC", None),
])
def test_the_household_region_is_the_patient_s_country_first(patient, locale, computer,
                                                             region):
    from caregiver_app.domain.phones import household_region

    assert household_region(patient, locale_region=locale, computer_zone=computer) == region


@given(st.text(max_size=80), st.sampled_from(["US", "GB", "DE", None]))
def test_any_text_is_either_a_number_or_a_clear_refusal(text, region):
    try:
        number, extension = parse_phone(text, region)
    except PhoneError as exc:
        assert str(exc).endswith(".") or str(exc).endswith(").")
        return
    # a number that was accepted reads back the same
    assert parse_phone(format_phone(Phone(PhoneKind.OFFICE, number, extension), region),
                       region) == (number, extension)


def test_a_dialler_gets_the_extension_after_a_pause():
    from caregiver_app.domain.phones import dial_text

    with_extension = Phone(PhoneKind.OFFICE, "+13125550142", "12")
    assert dial_text(with_extension) == "+1 312-555-0142,12"
    assert "ext" not in dial_text(with_extension)
    assert dial_text(Phone(PhoneKind.OFFICE, "+13125550142")) == "+1 312-555-0142"
    assert dial_text(Phone(PhoneKind.OTHER, "911")) == "911"
    # and it reads back the same, here or abroad
    assert parse_phone(dial_text(with_extension), "US") == ("+13125550142", "12")
    assert parse_phone(dial_text(with_extension), None) == ("+13125550142", "12")
