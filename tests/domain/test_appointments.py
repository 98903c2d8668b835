"""Appointments: local times, checks, the upcoming window and reminder times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from caregiver_app.domain.appointments import (
    Appointment,
    local_to_utc,
    reminders_for,
    upcoming,
    validate_appointment,
)
from caregiver_app.domain.errors import ValidationError

CHICAGO = "America/Chicago"


def test_local_time_is_stored_as_the_right_moment():
    assert local_to_utc(date(2026, 12, 1), time(10, 0), CHICAGO) == \
        datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # CST, UTC-6
    assert local_to_utc(date(2026, 7, 1), time(10, 0), CHICAGO) == \
        datetime(2026, 7, 1, 15, 0, tzinfo=UTC)  # CDT, UTC-5


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(ValueError, match="clocks change") as refused:
        local_to_utc(date(2026, 3, 8), time(2, 30), CHICAGO)
    # the day written as everywhere else in the app ("8 Mar 2026", not "08 Mar 2026")
    assert str(refused.value).startswith("02:30 does not exist on 8 Mar 2026:")


def test_the_repeated_hour_means_the_first_one():
    first = local_to_utc(date(2026, 11, 1), time(1, 30), CHICAGO)
    assert first == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_shown_at_the_wall_clock_time_it_was_entered():
    a = Appointment(local_to_utc(date(2026, 12, 1), time(10, 0), CHICAGO), "ALS clinic visit",
                    duration_minutes=90, time_zone=CHICAGO)
    assert a.when_text() == "Tue 1 Dec 2026, 10:00–11:30"
    assert a.local_start().hour == 10


def test_validation_names_each_problem():
    with pytest.raises(ValidationError) as error:
        validate_appointment(Appointment(datetime(2026, 12, 1, tzinfo=UTC), "  ",
                                         duration_minutes=0))
    assert "what the appointment is for" in error.value.errors["purpose"]
    assert "between" in error.value.errors["duration_minutes"]


def test_validation_tidies_text_and_stores_utc():
    from zoneinfo import ZoneInfo

    start = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo(CHICAGO))
    a = validate_appointment(Appointment(start, "  ALS   clinic visit ",
                                         questions="\n  Ask about the cough assist  \n"))
    assert a.purpose == "ALS clinic visit"
    assert a.questions == "Ask about the cough assist"
    assert a.starts_at.tzinfo is UTC


def test_upcoming_window_is_half_open_and_sorted():
    t0 = datetime(2026, 12, 1, 12, tzinfo=UTC)
    items = [Appointment(t0 + timedelta(days=d), f"d{d}", id=d) for d in (3, 0, 1, 7)]
    items.append(Appointment(t0 + timedelta(days=2), "removed", archived=True, id=9))
    found = upcoming(items, t0, t0 + timedelta(days=7))
    assert [a.purpose for a in found] == ["d0", "d1", "d3"]


def test_reminders_the_evening_before_and_hours_before():
    start = local_to_utc(date(2026, 12, 2), time(9, 30), CHICAGO)
    a = Appointment(start, "ALS clinic visit", time_zone=CHICAGO, id=4,
                    contact_name="Rosa Martinez")
    eve, soon = reminders_for(a, hours_before=2, day_before_at=time(18, 0))
    assert eve.kind == "day_before"
    assert eve.at == local_to_utc(date(2026, 12, 1), time(18, 0), CHICAGO)
    assert "Tomorrow" in eve.text and "Rosa Martinez" in eve.text
    assert soon.kind == "hours_before"
    assert soon.at == start - timedelta(hours=2)


def test_no_evening_reminder_when_it_would_come_after_the_other():
    start = local_to_utc(date(2026, 12, 2), time(0, 30), CHICAGO)
    kinds = [r.kind for r in reminders_for(Appointment(start, "x", time_zone=CHICAGO),
                                           hours_before=8)]
    assert kinds == ["hours_before"]
