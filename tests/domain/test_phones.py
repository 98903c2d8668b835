"""Phone numbers: read however typed, refused with a reason, shown the local way."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app.domain.phones import (
    Phone,
    PhoneError,
    PhoneKind,
    format_phone,
    forms_fit,
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


# ---- How a number is shown, kept with it (printing needs no phonenumbers)

def _example_numbers():
    """Example numbers of every region and kind phonenumbers has (fixed line, mobile,
    toll free, premium, shared cost, VoIP, personal, pager, UAN, voicemail) and of the
    non-geographic entities (+800 …)."""
    import phonenumbers as pn

    kinds = [getattr(pn.PhoneNumberType, k) for k in (
        "FIXED_LINE", "MOBILE", "TOLL_FREE", "PREMIUM_RATE", "SHARED_COST", "VOIP",
        "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL")]
    found = []
    for region in sorted(pn.SUPPORTED_REGIONS):
        for kind in kinds:
            sample = pn.example_number_for_type(region, kind)
            if sample is not None:
                found.append(pn.format_number(sample, pn.PhoneNumberFormat.E164))
    for code in sorted(pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        sample = pn.example_number_for_non_geo_entity(code)
        if sample is not None:
            found.append(pn.format_number(sample, pn.PhoneNumberFormat.E164))
    return found


EXAMPLES = _example_numbers()
#: Where a printout may be made: every region, none, and what a locale may name
#: that phonenumbers does not know, in any case and spacing.
PRINT_REGIONS = st.one_of(
    st.none(), st.sampled_from(["", "001", "ZZ", "XX", "EU", " us ", "gb", "Us"]),
    st.sampled_from(sorted(__import__("phonenumbers").SUPPORTED_REGIONS)))


def test_the_examples_cover_many_regions_and_kinds():
    import phonenumbers as pn

    regions = {pn.region_code_for_number(pn.parse(n)) for n in EXAMPLES}
    assert len(EXAMPLES) > 900 and len(regions) > 230
    assert "001" in regions  # the non-geographic numbers too


@given(st.sampled_from(EXAMPLES), st.sampled_from(["", "7", "204", "12345678901234567890"]),
       PRINT_REGIONS)
def test_a_number_s_kept_forms_show_it_as_phonenumbers_does(number, extension, region):
    from caregiver_app.domain.phones import phone_forms

    phone = Phone(PhoneKind.OFFICE, number, extension)
    forms = phone_forms(phone)
    assert forms is not None
    kept = Phone(PhoneKind.OFFICE, number, extension, forms=forms)
    assert kept == phone  # the forms are not part of what the number is
    assert forms_fit(phone, forms)  # so they are used: no phonenumbers to show it
    assert format_phone(kept, region) == format_phone(phone, region)


EXTENSIONS = ("", "7", "204", "12345678901234567890")


def test_the_forms_made_for_every_example_fit_their_number():
    """The check that kept forms are the stored number's (their digits) holds for every
    example number of every region and kind, with every length of extension: the kept
    forms are used for all of them, phonenumbers is not needed to show them."""
    from caregiver_app.domain.phones import phone_forms

    checked = 0
    for number in EXAMPLES:
        for extension in EXTENSIONS:
            phone = Phone(PhoneKind.OFFICE, number, extension)
            forms = phone_forms(phone)
            assert forms is not None and forms_fit(phone, forms), (number, extension, forms)
            checked += 1
    assert checked == len(EXTENSIONS) * len(EXAMPLES) > 3600


@given(st.sampled_from(EXAMPLES), st.sampled_from(EXTENSIONS), st.sampled_from(EXAMPLES),
       st.sampled_from(EXTENSIONS), PRINT_REGIONS)
def test_the_forms_of_one_number_never_show_another(number, extension, other,
                                                    other_extension, region):
    """A number changed in the records without its kept forms (by hand, a repair, a
    later migration): the old forms do not fit, the new number is shown."""
    from hypothesis import assume

    from caregiver_app.domain.phones import phone_forms

    assume((number, extension) != (other, other_extension))
    forms = phone_forms(Phone(PhoneKind.OFFICE, number, extension))
    assert forms is not None
    changed = Phone(PhoneKind.OFFICE, other, other_extension)
    assert not forms_fit(changed, forms)
    assert format_phone(replace(changed, forms=forms), region) == format_phone(changed, region)


@pytest.mark.parametrize(("number", "extension"), [
    ("+13125550199", "12"),  # another number, the same extension
    ("+13125550142", ""),  # the extension removed
    ("+13125550142", "1"),  # or changed
    ("+1312555014212", ""),  # the extension's digits run into the number
    ("+131255501421", "2"),
    ("+13125550142", "x"),  # not digits at all
])
def test_forms_that_are_not_the_stored_number_s_are_not_used(number, extension):
    from caregiver_app.domain.phones import phone_forms

    forms = phone_forms(Phone(PhoneKind.OFFICE, "+13125550142", "12"))
    assert forms is not None
    assert not forms_fit(Phone(PhoneKind.OFFICE, number, extension), forms)


def test_forms_whose_two_texts_disagree_are_not_used():
    """A repair that wrote one form and not the other: neither is trusted."""
    from caregiver_app.domain.phones import phone_forms

    phone = Phone(PhoneKind.OFFICE, "+13125550142", "12")
    forms = phone_forms(phone)
    assert forms is not None
    assert not forms_fit(phone, forms._replace(national="(312) 555-0199 ext. 12"))
    assert not forms_fit(phone, forms._replace(national="(312) 555-0142"))
    assert not forms_fit(phone, forms._replace(international="1 312-555-0142 ext. 12"))
    assert not forms_fit(phone, forms._replace(international=""))
    assert format_phone(replace(phone, forms=forms._replace(national="(312) 555-0199 ext. 12")),
                        "US") == "(312) 555-0142 ext. 12"


def test_every_example_prints_as_before_at_home_abroad_and_nowhere():
    """Every example number, printed in its own region (national form, also spelled in
    lower case), in another (international) and with no region."""
    import phonenumbers as pn

    from caregiver_app.domain.phones import phone_forms

    checked = 0
    for number in EXAMPLES:
        phone = Phone(PhoneKind.MOBILE, number)
        kept = Phone(PhoneKind.MOBILE, number, forms=phone_forms(phone))
        assert kept.forms is not None
        own = pn.region_code_for_number(pn.parse(number))
        for where in (own, own.lower(), "US" if own != "US" else "GB", None):
            assert format_phone(kept, where) == format_phone(phone, where), (number, where)
            checked += 1
    assert checked == 4 * len(EXAMPLES)


def test_short_numbers_keep_no_forms_and_show_as_stored():
    from caregiver_app.domain.phones import phone_forms

    assert phone_forms(Phone(PhoneKind.OTHER, "911")) is None
    assert format_phone(Phone(PhoneKind.OTHER, "911"), "US") == "911"
    assert phone_forms(Phone(PhoneKind.OTHER, "+1 not a number")) is None


def test_kept_forms_of_another_number_or_version_are_not_used():
    from caregiver_app.domain.phones import phone_forms

    phone = Phone(PhoneKind.OFFICE, "+13125550142", "12")
    kept = replace(phone, forms=phone_forms(phone))
    assert format_phone(kept, "US") == "(312) 555-0142 ext. 12"
    # the number changed after the forms were made: shown from the number itself
    other = replace(kept, number="+442079460018")
    assert format_phone(other, "GB") == "020 7946 0018 x12"
    assert format_phone(replace(kept, extension=""), "US") == "(312) 555-0142"
    # forms another version of phonenumbers wrote (its rules may differ): not used
    assert kept.forms is not None
    older = replace(kept, forms=kept.forms._replace(national="stale", rules="8.0.0"))
    assert format_phone(older, "US") == "(312) 555-0142 ext. 12"
    # and the kept text is what is shown when it is current
    current = replace(kept, forms=kept.forms._replace(national="312.555.0142 x12"))
    assert format_phone(current, "US") == "312.555.0142 x12"


def test_the_rules_version_is_read_without_importing_phonenumbers():
    import subprocess
    import sys

    import phonenumbers

    script = ("import sys; from caregiver_app.domain.phones import rules_version; "
              "v = rules_version(); print(v, 'phonenumbers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [phonenumbers.__version__, "False"]


def test_zone_countries_come_from_the_tzdata_package_without_system_zone_files():
    """Windows has no zone files: the country of a time zone comes from tzdata's."""
    import zoneinfo

    from caregiver_app.domain import phones

    phones._zone_countries.cache_clear()
    zoneinfo.reset_tzpath(to=[])
    try:
        assert phones.region_for_time_zone("America/Chicago") == "US"
        assert phones.region_for_time_zone("Europe/London") == "GB"
    finally:
        zoneinfo.reset_tzpath()
        phones._zone_countries.cache_clear()


def test_the_system_zone_table_is_read_without_loading_the_tzdata_package():
    import subprocess
    import sys
    import zoneinfo
    from pathlib import Path

    if not any((Path(base) / "zone.tab").is_file() for base in zoneinfo.TZPATH):
        pytest.skip("this system has no zone files (the tzdata package is then read)")
    script = ("import sys; from caregiver_app.domain.phones import region_for_time_zone; "
              "print(region_for_time_zone('America/Chicago'), 'tzdata' in sys.modules, "
              "'importlib.resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["US", "False", "False"]
