"""Wall-clock times become instants without DST surprises."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import (
    day_bounds,
    local_date,
    resolve_wall_time,
    to_utc,
    zone_named,
)

NY = ZoneInfo("America/New_York")


def test_spring_forward_gap_resolves_to_the_first_moment_after_the_gap():
    due = resolve_wall_time(datetime(2026, 3, 8, 2, 30), NY)
    assert due == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert due.astimezone(NY).strftime("%H:%M") == "03:00"


def test_fall_back_overlap_resolves_to_the_first_of_the_two():
    due = resolve_wall_time(datetime(2026, 11, 1, 1, 30), NY)
    assert due == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not 01:30 EST


@pytest.mark.parametrize(("zone", "wall", "expected_local"), [
    ("Europe/London", datetime(2026, 3, 29, 1, 15), "02:00"),
    ("Australia/Sydney", datetime(2026, 10, 4, 2, 45), "03:00"),
    ("Australia/Lord_Howe", datetime(2026, 10, 4, 2, 10), "02:30"),  # 30-minute DST
])
def test_gaps_in_other_zones(zone, wall, expected_local):
    tz = ZoneInfo(zone)
    assert resolve_wall_time(wall, tz).astimezone(tz).strftime("%H:%M") == expected_local


def test_day_bounds_are_23_and_25_hours_on_dst_days():
    start, end = day_bounds(date(2026, 3, 8), NY)
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(date(2026, 11, 1), NY)
    assert end - start == timedelta(hours=25)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        to_utc(datetime(2026, 1, 1))


def test_zone_named():
    assert zone_named("") == ZoneInfo("UTC")
    assert zone_named("", default="Europe/Paris") == ZoneInfo("Europe/Paris")
    with pytest.raises(ValidationError) as info:
        zone_named("Mars/Olympus_Mons")
    assert "time_zone" in info.value.errors


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)),
       st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Sydney",
                        "Asia/Kolkata", "America/Santiago", "UTC"]))
def test_resolved_time_is_never_before_the_wall_time_and_round_trips_when_it_exists(wall, name):
    wall = wall.replace(second=0, microsecond=0)
    tz = ZoneInfo(name)
    due = resolve_wall_time(wall, tz)
    local = due.astimezone(tz).replace(tzinfo=None)
    assert local >= wall
    assert local - wall <= timedelta(hours=2)  # at most the size of a gap
    assert local_date(due, tz) in (wall.date(), wall.date() + timedelta(days=1))


def test_durations_in_plain_words():
    from datetime import timedelta

    from caregiver_app.domain.localtime import describe_duration

    assert describe_duration(timedelta(hours=4)) == "4 hours"
    assert describe_duration(timedelta(hours=1)) == "1 hour"
    assert describe_duration(timedelta(minutes=90)) == "1 h 30 min"
    assert describe_duration(timedelta(minutes=45)) == "45 minutes"
    assert describe_duration(timedelta(minutes=1)) == "1 minute"
    assert describe_duration(timedelta(minutes=45), short=True) == "45 min"
    assert describe_duration(timedelta(seconds=10), round_up=True, short=True) == "1 min"


# ---- Dates as people read them: one function per kind


def test_each_kind_of_date_has_one_spelling_without_a_leading_zero():
    from caregiver_app.domain.localtime import (
        describe_day,
        long_date,
        weekday_date,
        weekday_date_time,
        weekday_name,
    )

    day = date(2026, 12, 1)  # a Tuesday
    assert describe_day(day) == "1 Dec 2026"
    assert describe_day(day, year=False) == "1 Dec"
    assert weekday_name(day) == "Tue"
    assert weekday_date(day) == "Tue 1 Dec"
    assert weekday_date(day, year=True) == "Tue 1 Dec 2026"
    assert weekday_date_time(datetime(2026, 12, 1, 8, 5)) == "Tue 1 Dec 08:05"
    assert weekday_date_time(datetime(2026, 12, 1, 8, 5), year=True) == "Tue 1 Dec 2026 08:05"
    assert long_date(day) == "Tuesday 1 December 2026"
    assert long_date(day, weekday=False) == "1 December 2026"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_written_reads_back_in_a_date_field(day):
    """What the app writes, its typed date fields read (``typed_dates.read_date``): the
    weekday, the day of the month and the month agree with the calendar."""
    from caregiver_app.domain.localtime import describe_day, long_date, weekday_date
    from caregiver_app.domain.typed_dates import read_date

    for text in (describe_day(day), weekday_date(day, year=True), long_date(day),
                 long_date(day, weekday=False)):
        assert read_date(text, date(2026, 12, 1)) == day, text
