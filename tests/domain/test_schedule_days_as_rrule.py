"""The schedule counts its dose days by hand (``schedule._days``) instead of making a
dateutil rule for each medicine and day; the days must be exactly those of the rules it
replaced, ``rrule(DAILY, interval=step)`` and ``rrule(WEEKLY, byweekday=...)`` from the
first day until the last (inclusive), which stay here as the oracle, for any dates,
spans, steps and weekdays (``test_schedule.py`` checks each regimen kind on a few)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.rrule import DAILY, WEEKLY, rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from caregiver_app.domain import schedule

_first = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def _rule(freq: int, first: date, last: date, **kwargs) -> list[date]:
    return [m.date() for m in rrule(freq, dtstart=datetime.combine(first, time()),
                                    until=datetime.combine(last, time()), **kwargs)]


@settings(max_examples=400, deadline=None)
@given(_first, st.integers(-3, 800), st.integers(1, 120))
def test_every_n_days_are_the_daily_rules_days(first, span, step):
    last = first + timedelta(days=span)
    assert list(schedule._days(first, last, step=step)) == _rule(DAILY, first, last,
                                                                 interval=step)


@settings(max_examples=400, deadline=None)
@given(_first, st.integers(-3, 800),
       st.frozensets(st.integers(0, 6), min_size=1))
def test_chosen_weekdays_are_the_weekly_rules_days(first, span, weekdays):
    last = first + timedelta(days=span)
    assert list(schedule._days(first, last, weekdays=weekdays)) == _rule(
        WEEKLY, first, last, byweekday=sorted(weekdays))
