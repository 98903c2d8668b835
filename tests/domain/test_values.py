"""The one rule for a date and a time: 1900 to 2200, four-digit years, always a zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from caregiver_app.domain import values
from caregiver_app.domain.appointments import Appointment, validate_appointment
from caregiver_app.domain.contacts import MAX_PORTAL, Contact, Role, validate_contact
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import SupplySettings, validate_supply


@pytest.mark.parametrize("text", ["1900-01-01", "2026-12-01", "2200-12-31"])
def test_days_from_1900_to_2200_are_kept(text):
    assert values.parse_day(text) == date.fromisoformat(text)


@pytest.mark.parametrize(("text", "says"), [
    ("9999-12-31", "outside the dates the app keeps"),
    ("0001-01-01", "outside the dates the app keeps"),
    ("0202-03-04", "outside the dates the app keeps"),  # a slip for 2020 or 2024
    ("1899-12-31", "outside the dates the app keeps"),
    ("2201-01-01", "outside the dates the app keeps"),
    ("202-03-04", "is not a date"),
    ("20260-03-04", "is not a date"),
    ("2026-02-30", "is not a day of the calendar"),
    ("2026-12-01T08:00", "is not a date"),
])
def test_days_outside_the_range_or_oddly_written_are_refused(text, says):
    with pytest.raises(ValueError, match=says):
        values.parse_day(text)


@pytest.mark.parametrize("text", [
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1899-12-31T12:00:00+00:00",
    "2201-01-01T00:00:00+00:00",
])
def test_moments_outside_the_range_are_refused_without_overflowing(text):
    with pytest.raises(ValueError, match="outside the dates the app keeps"):
        values.parse_moment(text)


@pytest.mark.parametrize("text", ["2026-03-08T08:00:00", "2026-03-08 08:00", "2026-03-08T08:00"])
def test_a_time_without_its_zone_is_refused(text):
    with pytest.raises(ValueError, match="needs its time zone"):
        values.parse_moment(text)


def test_a_moment_with_its_zone_is_kept():
    assert values.parse_moment("2026-03-08T08:00:00-06:00") == datetime(
        2026, 3, 8, 14, tzinfo=UTC)
    assert values.parse_moment("2200-12-31T23:00:00+00:00").year == 2200


def test_a_day_more_than_five_years_away_gets_a_warning():
    today = date(2026, 12, 6)
    assert values.far_day_warning(today + timedelta(days=365 * 5), today) is None
    assert values.far_day_warning(today - timedelta(days=365 * 5), today) is None
    ahead = values.far_day_warning(date(2036, 1, 1), today)
    assert ahead and "2036-01-01" in ahead and "check the year" in ahead
    assert "ago" in (values.far_day_warning(date(2002, 2, 2), today) or "")


def test_a_period_must_stay_inside_the_range():
    assert values.period_problem(date(2026, 1, 1), date(2026, 1, 31)) is None
    assert "2201-01-29" in (values.period_problem(date(2200, 12, 31), date(2201, 1, 29))
                            or "")
    assert "before its start" in (values.period_problem(date(2026, 2, 1), date(2026, 1, 1))
                                  or "")


# ---- The forms' validators use the same rule


def test_the_medicine_form_refuses_a_bottle_opened_in_9999():
    with pytest.raises(ValidationError) as info:
        validate_supply(SupplySettings(unit="mL", opened_on=date(9999, 12, 31)))
    assert "outside the dates" in info.value.errors["opened_on"]
    with pytest.raises(ValidationError) as info:
        validate_supply(SupplySettings(unit="mL", reorder_days=1_000_000))
    assert "0 to 120" in info.value.errors["reorder_days"]


def test_the_appointment_form_refuses_the_year_9999_and_absurd_lengths():
    far = datetime(9999, 12, 31, 20, tzinfo=timezone(timedelta(hours=-14)))
    with pytest.raises(ValidationError) as info:
        validate_appointment(Appointment(starts_at=far, duration_minutes=2**62,
                                         purpose="Clinic"))
    assert set(info.value.errors) == {"starts_at", "duration_minutes"}


def test_a_portal_address_has_a_limit_the_forms_say():
    long_url = "https://portal.example.org/" + "a" * MAX_PORTAL
    with pytest.raises(ValidationError) as info:
        validate_contact(Contact(name="Clinic", role=Role.NEUROLOGIST, portal_url=long_url),
                         region="US")
    assert f"{MAX_PORTAL:,} characters" in info.value.errors["portal_url"]
