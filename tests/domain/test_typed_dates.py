"""Dates and times typed the way people write them (domain.typed_dates)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app.domain.typed_dates import (
    NotUnderstood,
    read_date,
    read_date_time,
    read_time,
    show_date,
    show_date_time,
    show_time,
)
from caregiver_app.domain.values import EARLIEST_DAY, LATEST_DAY

TODAY = date(2026, 12, 6)
days = st.dates(min_value=EARLIEST_DAY, max_value=LATEST_DAY)
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@pytest.mark.parametrize(("typed", "expected"), [
    ("12/04/1965", date(1965, 4, 12)),
    ("12.4.65", date(1965, 4, 12)),
    ("2026-12-04", date(2026, 12, 4)),
    ("20261204", date(2026, 12, 4)),
    ("4 Dec", date(2026, 12, 4)),
    ("Dec 4", date(2026, 12, 4)),
    ("4 december 2027", date(2027, 12, 4)),
    ("December 4, 2027", date(2027, 12, 4)),
    ("4 sept 30", date(2030, 9, 4)),
    ("Fri 4 Dec 2026", date(2026, 12, 4)),
    ("today", TODAY),
    (" Tomorrow ", TODAY + timedelta(days=1)),
    ("yesterday", TODAY - timedelta(days=1)),
    ("+3", TODAY + timedelta(days=3)),
    ("in 10 days", TODAY + timedelta(days=10)),
    ("4/12", date(2026, 12, 4)),
])
def test_dates_typed_the_usual_ways(typed, expected):
    assert read_date(typed, TODAY) == expected


def test_numbers_only_dates_follow_the_locale_order():
    assert read_date("12/04/1965", TODAY, day_first=False) == date(1965, 12, 4)
    assert read_date("2026-12-04", TODAY, day_first=False) == date(2026, 12, 4)


@pytest.mark.parametrize("typed", ["", "31/02/2026", "32 Dec", "13/13/2026", "soon",
                                   "4 Dex", "1 Jan 1899", "1/1/2201", "12:30", "Dec",
                                   "2026-12"])
def test_what_is_not_a_date_says_so(typed):
    with pytest.raises(NotUnderstood) as caught:
        read_date(typed, TODAY)
    assert str(caught.value).endswith(".")


@pytest.mark.parametrize(("typed", "expected"), [
    ("9", time(9)), ("09", time(9)), ("930", time(9, 30)), ("0930", time(9, 30)),
    ("9:30", time(9, 30)), ("21:30", time(21, 30)), ("2130", time(21, 30)),
    ("9.30pm", time(21, 30)), ("9.30 PM", time(21, 30)), ("9pm", time(21)),
    ("12am", time(0)), ("12pm", time(12)), ("12:15 a.m.", time(0, 15)),
    ("noon", time(12)), ("midnight", time(0)), ("0", time(0)), ("23:59", time(23, 59)),
    ("7h45", time(7, 45)),
])
def test_times_typed_the_usual_ways(typed, expected):
    assert read_time(typed) == expected


@pytest.mark.parametrize("typed", ["", "24", "25:00", "9:60", "13pm", "0am", "nine",
                                   "9:3", "12345", "2026-12-04"])
def test_what_is_not_a_time_says_so(typed):
    with pytest.raises(NotUnderstood):
        read_time(typed)


@given(days)
def test_a_shown_date_reads_back_as_itself(day):
    assert read_date(show_date(day), TODAY) == day


@given(days, st.booleans())
def test_written_dates_read_back(day, day_first):
    assert read_date(day.isoformat(), TODAY, day_first=day_first) == day
    numeric = (f"{day.day}/{day.month}/{day.year}" if day_first
               else f"{day.month}/{day.day}/{day.year}")
    assert read_date(numeric, TODAY, day_first=day_first) == day
    assert read_date(f"{day.day} {day:%B} {day.year}", TODAY) == day


@given(st.dates(min_value=date(1947, 1, 1), max_value=date(2046, 12, 31)))
def test_two_digit_years_are_within_80_years_before_and_20_after(day):
    read = read_date(f"{day.day}/{day.month}/{day.year % 100:02d}", TODAY)
    assert read == day


@given(times)
def test_times_read_back_whichever_way_written(moment):
    assert read_time(show_time(moment)) == moment
    assert read_time(f"{moment.hour}{moment.minute:02d}") == moment
    twelve = moment.hour % 12 or 12
    half = "am" if moment.hour < 12 else "pm"
    assert read_time(f"{twelve}.{moment.minute:02d}{half}") == moment


@given(st.text(max_size=30))
def test_anything_typed_gives_a_value_or_a_message(text):
    for read in (lambda: read_date(text, TODAY), lambda: read_time(text)):
        try:
            read()
        except NotUnderstood as exc:
            assert str(exc)


# ---- A day and time in one field (Given at, From, an extra dose)

NOW = datetime(2026, 12, 6, 8, 5)
SHOWN = datetime(2026, 12, 6, 7, 0)  # what the field holds before typing


@pytest.mark.parametrize(("typed", "expected"), [
    ("9", datetime(2026, 12, 6, 9, 0)),  # a time alone keeps the field's day
    ("930", datetime(2026, 12, 6, 9, 30)),
    ("9:30", datetime(2026, 12, 6, 9, 30)),
    ("21:30", datetime(2026, 12, 6, 21, 30)),
    ("9.30pm", datetime(2026, 12, 6, 21, 30)),
    ("2130", datetime(2026, 12, 6, 21, 30)),
    ("yesterday", datetime(2026, 12, 5, 7, 0)),  # a day alone keeps the field's time
    ("4 Dec", datetime(2026, 12, 4, 7, 0)),
    ("4 Dec 2026", datetime(2026, 12, 4, 7, 0)),  # four digits after a day: its year
    ("Dec 4 2027", datetime(2027, 12, 4, 7, 0)),
    ("12.4.65", datetime(1965, 4, 12, 7, 0)),
    ("yesterday 21:30", datetime(2026, 12, 5, 21, 30)),
    ("Yesterday, 9:30 pm", datetime(2026, 12, 5, 21, 30)),
    ("4 Dec 9.30pm", datetime(2026, 12, 4, 21, 30)),
    ("9pm yesterday", datetime(2026, 12, 5, 21, 0)),
    ("tomorrow at 9", datetime(2026, 12, 7, 9, 0)),
    ("2026-12-04 21:30", datetime(2026, 12, 4, 21, 30)),
    ("Fri 4 Dec 2026 21:30", datetime(2026, 12, 4, 21, 30)),
    ("now", NOW),
])
def test_a_day_and_time_typed_in_one_piece(typed, expected):
    assert read_date_time(typed, NOW, SHOWN) == expected


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Type a day and time"),
    ("25:00", "no such time as “25:00”"),
    ("4 Dec 25:00", "no such time as “25:00”"),
    ("31 Feb 9:30", "no such day as “31 Feb”"),
    ("soon", "“soon” is not a day and time"),
])
def test_what_is_not_a_day_and_time_says_so(typed, message):
    with pytest.raises(NotUnderstood, match=message):
        read_date_time(typed, NOW, SHOWN)


@given(days, times)
def test_a_shown_day_and_time_reads_back_as_itself(day, moment):
    value = datetime.combine(day, moment)
    assert read_date_time(show_date_time(value), NOW, SHOWN) == value
    assert read_date_time(show_time(moment), NOW, value) == value  # the day is kept


@given(st.text(max_size=30))
def test_anything_typed_as_a_day_and_time_gives_a_value_or_a_message(text):
    try:
        read_date_time(text, NOW, SHOWN)
    except NotUnderstood as exc:
        assert str(exc)
