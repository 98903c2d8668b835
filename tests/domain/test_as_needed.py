"""As-needed doses: minimum interval and rolling 24-hour maximum, at the boundaries."""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, at, medicine

from caregiver_app.domain.as_needed import PrnStatus, prn_check, prn_problems, validate_prn_dose
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.regimens import AsNeededRegimen

H = timedelta(hours=1)
RULE = AsNeededRegimen(D0, min_interval=4 * H, max_per_24h=3)
T0 = at(D0, 8)


def test_first_dose_may_be_given_now():
    check = prn_check(RULE, [], T0)
    assert check.allowed and check.next_allowed == T0 and check.used_24h == 0


def test_minimum_interval_boundary():
    assert not prn_check(RULE, [T0], T0 + 4 * H - timedelta(seconds=1)).allowed
    check = prn_check(RULE, [T0], T0 + 2 * H)
    assert check.next_allowed == T0 + 4 * H and check.used_24h == 1
    assert prn_check(RULE, [T0], T0 + 4 * H).allowed


def test_rolling_24_hour_maximum_boundary():
    doses = [T0, T0 + 4 * H, T0 + 8 * H]
    check = prn_check(RULE, doses, T0 + 12 * H)
    assert not check.allowed and check.used_24h == 3
    assert check.next_allowed == T0 + 24 * H  # when the first dose leaves the window
    assert not prn_check(RULE, doses, T0 + 24 * H - timedelta(seconds=1)).allowed
    at_edge = prn_check(RULE, doses, T0 + 24 * H)
    assert at_edge.allowed and at_edge.used_24h == 2  # a dose exactly 24 h ago no longer counts


def test_24_hours_are_real_hours_across_the_dst_change():
    night = at(D0.replace(month=3, day=7), 22)  # New York springs forward overnight
    doses = [night, night + 4 * H, night + 8 * H]
    assert prn_check(RULE, doses, night + 24 * H).allowed
    assert not prn_check(RULE, doses, night + 23 * H).allowed


def test_no_daily_maximum():
    rule = AsNeededRegimen(D0, min_interval=H, max_per_24h=None)
    doses = [T0 + i * H for i in range(10)]
    assert prn_check(rule, doses, T0 + 10 * H).allowed


def test_problems_for_a_dose_recorded_after_the_fact_look_both_ways():
    doses = [T0, T0 + 10 * H]
    problems = prn_problems(RULE, doses, T0 + 8 * H, NEW_YORK)
    assert problems == ["Less than 4 hours before the dose at 18:00."]
    assert prn_problems(RULE, doses, T0 + 5 * H, NEW_YORK) == []
    crowded = [T0, T0 + 5 * H, T0 + 15 * H]
    assert any("4 doses in 24 hours" in p for p in
               prn_problems(RULE, crowded, T0 + 10 * H, NEW_YORK))


def test_breaking_a_limit_needs_a_reason():
    with pytest.raises(ValidationError) as info:
        validate_prn_dose(RULE, [T0], T0 + H, "", NEW_YORK)
    message = info.value.errors["override_reason"]
    assert "Less than 4 hours after the dose at 08:00" in message and "write why" in message
    validate_prn_dose(RULE, [T0], T0 + H, "nurse advised", NEW_YORK)
    validate_prn_dose(RULE, [T0], T0 + 5 * H, "", NEW_YORK)


def test_status_text():
    med = medicine(RULE, purpose="drooling")
    now = T0 + 12 * H
    status = PrnStatus(med, RULE, prn_check(RULE, [T0, T0 + 4 * H, T0 + 8 * H], now))
    assert status.describe(NEW_YORK) == (
        "Next possible tomorrow at 08:00 (3 of 3 used in the last 24 hours)")
    status = PrnStatus(med, RULE, prn_check(RULE, [T0 + 10 * H], now))
    assert status.describe(NEW_YORK) == "Next possible at 22:00 (1 of 3 used in the last 24 hours)"
    status = PrnStatus(med, RULE, prn_check(RULE, [], now))
    assert status.describe(NEW_YORK) == "Can be given now (0 of 3 used in the last 24 hours)"
    free = AsNeededRegimen(D0, H)
    status = PrnStatus(med, free, prn_check(free, [T0], now))
    assert status.describe(NEW_YORK) == "Can be given now (last dose at 08:00)"
    assert PrnStatus(med, None, None).describe(NEW_YORK) == "Not in use now"


# ---- Properties

rules = st.builds(AsNeededRegimen, st.just(D0),
                  st.integers(0, 12 * 60).map(lambda m: timedelta(minutes=m)),
                  st.none() | st.integers(1, 6))
gaps = st.lists(st.integers(0, 10 * 60).map(lambda m: timedelta(minutes=m)), max_size=40)


def _count_in_window(times, end):
    return sum(1 for t in times if end - timedelta(hours=24) < t <= end)


@settings(max_examples=300, deadline=None)
@given(rule=rules, attempts=gaps)
def test_doses_given_only_when_allowed_never_break_a_limit(rule, attempts):
    recorded: list[datetime] = []
    now = datetime(2026, 3, 7, 12, tzinfo=UTC)
    for gap in attempts:
        now += gap
        check = prn_check(rule, recorded, now)
        assert check.allowed == (prn_problems(rule, recorded, now, ZoneInfo("UTC")) == [])
        if check.allowed:
            recorded.append(now)
    for a, b in pairwise(recorded):
        assert b - a >= rule.min_interval
    if rule.max_per_24h is not None:
        for t in recorded:
            assert _count_in_window(recorded, t) <= rule.max_per_24h


@settings(max_examples=300, deadline=None)
@given(rule=rules, history=gaps, wait=st.integers(0, 30 * 60))
def test_next_allowed_is_the_earliest_allowed_moment(rule, history, wait):
    times, t = [], datetime(2026, 3, 7, 12, tzinfo=UTC)
    for gap in history:
        t += gap
        times.append(t)
    now = t + timedelta(minutes=wait)
    check = prn_check(rule, times, now)
    nxt = check.next_allowed
    assert nxt >= now
    # Allowed at ``next_allowed``, and not one second before (even after a broken limit).
    assert prn_problems(rule, times, nxt, ZoneInfo("UTC")) == []
    if nxt > now:
        assert not prn_check(rule, times, nxt - timedelta(seconds=1)).allowed
    assert check.used_24h == len(times) - bisect_right(times, now - timedelta(hours=24))
