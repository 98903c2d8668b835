"""A loading course's doses of a few days are found without going through the course
from dose 1 (``schedule._loading_course``, kept per course and dates given), and a
``GivenDates`` keeps each course's dates once picked out. ``loading_plan``, which
``occurrences`` used before for every call, stays the oracle: the same doses for any
course, any dates given (late, early, far too early, so that later dates come back
before earlier ones; gaps; numbers past the plan), and any range of days."""

from __future__ import annotations

from datetime import time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, medicine

from caregiver_app.domain import schedule
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.regimens import LoadingRegimen

_regimens = st.builds(
    LoadingRegimen, start=st.just(D0), time=st.just(time(9)),
    loading_doses=st.integers(1, 6), loading_interval_days=st.integers(1, 30),
    maintenance_interval_days=st.integers(1, 60))
_given = st.dictionaries(st.integers(1, 40), st.integers(-60, 900), max_size=25)


@settings(max_examples=500, deadline=None)
@given(_regimens, _given, st.integers(-30, 1200), st.integers(0, 400))
def test_a_range_of_days_has_the_doses_of_the_plan(regimen, offsets, first, span):
    given_dates = {n: D0 + timedelta(days=d) for n, d in offsets.items()}
    lo = D0 + timedelta(days=first)
    hi = lo + timedelta(days=span)
    course = schedule._loading_course(regimen, tuple(sorted(given_dates.items())))
    expected = [(n, d) for n, d in schedule.loading_plan(regimen, given_dates, hi)
                if lo <= d <= hi]
    assert sorted(course.between(lo, hi)) == sorted(expected)


@settings(max_examples=200, deadline=None)
@given(_regimens, _given, st.integers(-30, 1200), st.integers(0, 60),
       st.sampled_from(["1", "01", "x", ""]))
def test_occurrences_are_the_same_from_given_dates_or_a_plain_mapping(
        regimen, offsets, first, span, odd):
    med = medicine(regimen, id=7)
    prefix = f"loading:{D0.isoformat()}:"
    plain = {(7, f"{prefix}{n}"): D0 + timedelta(days=d) for n, d in offsets.items()}
    plain[(7, f"{prefix}{odd}")] = D0 + timedelta(days=first)  # a key read as 1, or none
    plain[(8, f"{prefix}1")] = D0  # another medicine's
    kept = schedule.GivenDates(plain)
    assert kept == plain and dict(kept) == plain
    assert kept.course(7, prefix) == schedule._course_given(plain, 7, prefix)
    start = day_bounds(D0 + timedelta(days=first), NEW_YORK)[0]
    end = day_bounds(D0 + timedelta(days=first + span), NEW_YORK)[1]
    ours = schedule.occurrences(med, start, end, NEW_YORK, actual=kept)
    assert ours == schedule.occurrences(med, start, end, NEW_YORK, actual=plain)
    # and as loading_plan has them
    given_dates = schedule._loading_given(regimen, 7, plain)
    hi = (D0 + timedelta(days=first + span + 1))
    planned = {schedule.loading_key(regimen, n): d
               for n, d in schedule.loading_plan(regimen, given_dates, hi)}
    assert all(planned[o.key] == o.nominal.date() for o in ours)
    assert {k for k, d in planned.items()  # (none before the medicine starts)
            if max(D0, start.astimezone(NEW_YORK).date()) <= d
            < end.astimezone(NEW_YORK).date()} == {o.key for o in ours}


def test_a_dose_recorded_far_too_early_brings_later_dates_back():
    """Dose 3 typed as given before dose 2 was: dose 4 then counts from that day and
    falls before dose 3's own day; both are found in a range holding only them."""
    regimen = LoadingRegimen(D0, time(9), loading_doses=3, loading_interval_days=14,
                             maintenance_interval_days=20)
    given_dates = {1: D0, 2: D0 + timedelta(days=14), 3: D0 + timedelta(days=2)}
    course = schedule._loading_course(regimen, tuple(sorted(given_dates.items())))
    lo, hi = D0 + timedelta(days=20), D0 + timedelta(days=30)
    expected = [(3, D0 + timedelta(days=28)), (4, D0 + timedelta(days=22))]
    assert [(n, d) for n, d in schedule.loading_plan(regimen, given_dates, hi)
            if lo <= d <= hi] == expected
    assert sorted(course.between(lo, hi)) == sorted(expected)


def test_the_course_is_kept_not_planned_again():
    regimen = LoadingRegimen(D0 + timedelta(days=1), time(9))
    given_items = ((1, D0 + timedelta(days=1)), (2, D0 + timedelta(days=16)))
    first = schedule._loading_course(regimen, given_items)
    assert schedule._loading_course(regimen, given_items) is first
