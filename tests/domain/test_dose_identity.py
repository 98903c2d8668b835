"""A dose's calendar identity names the dose, not its time (``domain.dose_identity``)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, T8, T20, medicine, version
from test_schedule_properties import medicines, ranges

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.dose_identity import (
    DosePlaces,
    appointment_uid,
    dose_place,
    dose_uid,
)
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.regimens import (
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    DoseStep,
    LoadingRegimen,
    StepsRegimen,
)
from caregiver_app.domain.schedule import occurrences

HOUSEHOLD = "1b4e28ba-2fa1-41d2-883f-0016d3cca427"


def _places(med, first: date, days: int) -> list[tuple[str, datetime]]:
    start = day_bounds(first, NEW_YORK)[0]
    end = day_bounds(first + timedelta(days=days - 1), NEW_YORK)[1]
    places = DosePlaces(med)
    return [(places.place(o), o.local) for o in occurrences(med, start, end, NEW_YORK)]


def test_a_dose_moved_to_another_time_of_its_day_keeps_its_place():
    before = medicine(DailyRegimen(D0, (T8, T20)))
    later = DailyRegimen(D0, (time(9), time(21)))
    after = replace(before, versions=(*before.versions,
                                      version(later, valid_from=D0 + timedelta(days=2))))
    was, now = _places(before, D0, 5), _places(after, D0, 5)
    assert [p for p, _ in was] == [p for p, _ in now] == [
        f"{(D0 + timedelta(days=d)).isoformat()}.{n}" for d in range(5) for n in (1, 2)]
    assert [t.hour for _, t in now] == [8, 20, 8, 20, 9, 21, 9, 21, 9, 21]


def test_a_delayed_cycle_moves_the_same_doses_to_later_days():
    regimen = CycleRegimen(D0, (time(7),))
    plain = medicine(regimen, generic_name="edaravone")
    delayed = replace(plain, cycle_shifts=(CycleShift(D0 + timedelta(days=28), 3, id=1),))
    was, now = dict(_places(plain, D0, 70)), dict(_places(delayed, D0, 70))
    assert set(was) == set(now)  # the same doses of cycles 1 and 2 ...
    first_of_2 = f"cycle-{D0.isoformat()}.c2.d1.1"
    assert (now[first_of_2] - was[first_of_2]).days == 3  # ... three days later
    held = replace(plain, cycle_shifts=(CycleShift(D0 + timedelta(days=28), None, id=1),))
    assert not [p for p, _ in _places(held, D0, 70) if ".c2." in p]


def test_loading_doses_are_named_by_their_number_in_the_course():
    med = medicine(LoadingRegimen(D0, time(9)), generic_name="tofersen")
    assert [p for p, _ in _places(med, D0, 60)] == [
        f"loading-{D0.isoformat()}.{n}" for n in (1, 2, 3, 4)]


def test_dose_steps_name_each_day_and_its_place_among_that_steps_times():
    steps = StepsRegimen((DoseStep(D0, Dose(1, "tablet"), (T8,), D0 + timedelta(days=1)),
                          DoseStep(D0 + timedelta(days=2), Dose(2, "tablet"), (T8, T20))))
    assert [p for p, _ in _places(medicine(steps), D0, 3)] == [
        f"{D0.isoformat()}.1", f"{(D0 + timedelta(days=1)).isoformat()}.1",
        f"{(D0 + timedelta(days=2)).isoformat()}.1",
        f"{(D0 + timedelta(days=2)).isoformat()}.2"]


def test_uids_carry_the_household_and_only_safe_characters():
    med = medicine(DailyRegimen(D0, (T8,)), id=12)
    [occ] = occurrences(med, *day_bounds(D0, NEW_YORK), NEW_YORK)
    uid = dose_uid(HOUSEHOLD, med.id, dose_place(med, occ))
    assert uid == f"dose-12-{D0.isoformat()}.1-{HOUSEHOLD}@als-care-companion.invalid"
    other = dose_uid("0" * 8 + HOUSEHOLD[8:], med.id, dose_place(med, occ))
    assert other != uid
    assert appointment_uid(HOUSEHOLD, 3) == f"appointment-3-{HOUSEHOLD}@als-care-companion" \
                                            ".invalid"
    assert re.fullmatch(r"[A-Za-z0-9.@-]+", uid)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_no_two_doses_of_a_medicine_share_a_place(data):
    """Whatever the regimen, versions, delays and pauses: one place, one dose."""
    med = data.draw(medicines())
    zone, start, _, end = data.draw(ranges(med.start_date))
    found = occurrences(med, start, end, zone)
    places = DosePlaces(med)
    named = [places.place(o) for o in found]
    assert len(set(named)) == len(named)
    assert all(not p.endswith(".0") and ".c0." not in p for p in named)
