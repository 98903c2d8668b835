"""The cycle holds and doses of a course begun years ago, worked out once per block of
days (``schedule.cycle_hold``, ``schedule.cycle_doses_between``), are exactly what the
old full computation gave: each day's plan rebuilt from the course's start, once for
every shift before it (kept here as the oracle)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.marks import (
    HeldDose,
    HoldKind,
    _held_cycle_doses,
    _status_holds,
    held_doses,
)
from caregiver_app.domain.medicines import (
    Medicine,
    MedicineVersion,
    StatusChange,
    validate_medicine,
)
from caregiver_app.domain.regimens import (
    CyclePhase,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    shift_order,
)
from caregiver_app.domain.schedule import (
    _BLOCK_DAYS,
    CycleDose,
    cycle_doses_between,
    cycle_hold,
    cycle_plan,
    occurrences,
)
from caregiver_app.domain.vocab import Form, MedicineStatus, Route

BASE = date(2021, 1, 4)
ZONES = [ZoneInfo(z) for z in ("America/Chicago", "Europe/London", "Australia/Lord_Howe")]
#: up to 6 years after the course begins: the 5-year household and the year after
SPAN = 6 * 365

phases = st.builds(lambda d, w, extra: CyclePhase(d, d + w, d + w + extra),
                   st.integers(1, 14), st.integers(0, 4), st.integers(1, 20))
edaravone = st.just((CyclePhase(14, 14, 28), CyclePhase(10, 14, 28)))


# ---- The oracle: the computation as it was before (marks._cycle_holds, issue #19)


def _old_hold(regimen: CycleRegimen, shifts: tuple[CycleShift, ...],
              day: date) -> tuple[CycleDose, CycleShift, date] | None:
    final = {d.day for d in cycle_plan(regimen, shifts, day)}
    if day in final:
        return None
    for i, shift in enumerate(shifts):
        before = cycle_plan(regimen, shifts[:i], day + timedelta(days=400))
        planned = next((d for d in before if d.day == day), None)
        first = next((d for d in before if d.day >= shift.from_date), None)
        if planned is None or first is None or day < first.day:
            continue
        if shift.on_hold:
            return planned, shift, first.day
        assert shift.days is not None
        last = first.day + timedelta(days=shift.days - 1)
        if day <= last:
            return planned, shift, first.day
    return None


def _old_cycle_holds(medicine: Medicine, day: date, zone: ZoneInfo) -> list[HeldDose]:
    version = medicine.version_on(day)
    if version is None or not isinstance(version.regimen, CycleRegimen):
        return []
    regimen = version.regimen
    if day < medicine.start_date or (medicine.end_date and day > medicine.end_date) or \
            (regimen.end and day > regimen.end) or day < regimen.start:
        return []
    shifts = medicine.course_shifts(regimen)
    if not shifts:
        return []
    found = _old_hold(regimen, shifts, day)
    if found is None:
        return []
    planned, shift, first = found
    if shift.on_hold:
        return _held_cycle_doses(medicine, version, planned, zone, HoldKind.CYCLE_PAUSED,
                                 first, None, shift.reason)
    assert shift.days is not None
    return _held_cycle_doses(medicine, version, planned, zone, HoldKind.DELAYED, first,
                             first + timedelta(days=shift.days - 1), shift.reason)


def _old_held_doses(medicine: Medicine, day: date, zone: ZoneInfo) -> list[HeldDose]:
    found = _status_holds(medicine, day, zone)
    taken = {h.occurrence.key for h in found}
    found += [h for h in _old_cycle_holds(medicine, day, zone)
              if h.occurrence.key not in taken]
    found.sort(key=lambda h: (h.occurrence.due, h.occurrence.key))
    return found


# ---- Random courses


@st.composite
def shift_lists(draw, start: date, *, most_days: int = 12, span: int = SPAN):
    """Delays and pauses as the app keeps them: by date, some on one day, some unsaved;
    a pause now and then, resumed (``days``) or not."""
    found = []
    for n in range(draw(st.integers(0, 8))):
        when = start + timedelta(days=draw(st.integers(-20, span)))
        days = draw(st.none() | st.integers(0, most_days))
        found.append(CycleShift(when, days, carry=draw(st.booleans()), reason=f"why {n}",
                                id=draw(st.none() | st.integers(1, 50))))
    return tuple(sorted(found, key=shift_order))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), first=phases, later=phases, cycles=st.none() | st.integers(1, 80))
def test_a_days_hold_is_the_one_the_full_computation_finds(data, first, later, cycles):
    regimen = CycleRegimen(BASE, (time(7),), first, later, cycles)
    shifts = data.draw(shift_lists(BASE))
    for day in data.draw(st.lists(st.integers(-5, SPAN), min_size=1, max_size=12)):
        on = BASE + timedelta(days=day)
        hold = cycle_hold(regimen, shifts, on)
        found = None if hold is None else (hold.planned, hold.shift, hold.first)
        assert found == _old_hold(regimen, shifts, on), on


@settings(max_examples=150, deadline=None)
@given(data=st.data(), first=phases, later=phases)
def test_long_non_carried_delays_that_overlap_later_cycles_still_agree(data, first, later):
    """Delays past the dosing window come only from imported records (the dialog refuses
    them), and make the plan's order differ from the days' order."""
    regimen = CycleRegimen(BASE, (time(7),), first, later)
    shifts = data.draw(shift_lists(BASE, most_days=200, span=400))
    for day in data.draw(st.lists(st.integers(-5, 700), min_size=1, max_size=12)):
        on = BASE + timedelta(days=day)
        hold = cycle_hold(regimen, shifts, on)
        found = None if hold is None else (hold.planned, hold.shift, hold.first)
        assert found == _old_hold(regimen, shifts, on), on
    lo = BASE + timedelta(days=data.draw(st.integers(-30, 500)))
    hi = lo + timedelta(days=data.draw(st.integers(0, 300)))
    assert cycle_doses_between(regimen, shifts, lo, hi) == [
        d for d in cycle_plan(regimen, shifts, hi) if lo <= d.day <= hi]


def test_a_dose_delayed_past_a_block_of_days_keeps_its_place_in_the_plan():
    """Cycle 1's last dose delayed 10 days without the later cycles (only an import can
    do that) comes after cycle 2's doses in time, and before them in the plan, across
    the edge of a block of days."""
    start = date.fromordinal((BASE.toordinal() // _BLOCK_DAYS + 1) * _BLOCK_DAYS - 7)
    regimen = CycleRegimen(start, (time(7),), CyclePhase(3, 3, 4), CyclePhase(3, 3, 4))
    shifts = (CycleShift(start + timedelta(days=2), 10, carry=False, id=1),)
    hi = start + timedelta(days=20)
    got = cycle_doses_between(regimen, shifts, start, hi)
    assert [(d.day - start).days for d in got][:6] == [0, 1, 12, 4, 5, 6]
    assert got == [d for d in cycle_plan(regimen, shifts, hi) if start <= d.day <= hi]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), first=phases, later=phases, cycles=st.none() | st.integers(1, 80))
def test_the_doses_of_a_range_are_those_of_the_full_plan(data, first, later, cycles):
    regimen = CycleRegimen(BASE, (time(7),), first, later, cycles)
    shifts = data.draw(shift_lists(BASE))
    lo = BASE + timedelta(days=data.draw(st.integers(-30, SPAN)))
    hi = lo + timedelta(days=data.draw(st.integers(-1, 200)))
    expected = [d for d in cycle_plan(regimen, shifts, hi) if lo <= d.day <= hi]
    assert cycle_doses_between(regimen, shifts, lo, hi) == expected


@st.composite
def cycle_medicines(draw):
    """A cycle medicine begun up to 5 years before ``BASE + SPAN``, sometimes with a new
    course (or another schedule) later, a pause of the medicine itself, an end date."""
    start = BASE + timedelta(days=draw(st.integers(0, 60)))
    first_phase, later_phase = draw(edaravone | st.tuples(phases, phases))
    times = draw(st.sampled_from([(time(7),), (time(8), time(20)), (time(2, 30),)]))
    regimen = CycleRegimen(start, times, first_phase, later_phase,
                           draw(st.none() | st.integers(1, 80)))
    versions = [MedicineVersion(start, "105 mg/5 mL", Form.LIQUID, Route.ORAL, Dose(5, "mL"),
                                regimen)]
    if draw(st.booleans()):
        when = start + timedelta(days=draw(st.integers(1, SPAN)))
        again = draw(st.sampled_from(["same", "new course", "daily"]))
        later_regimen = (regimen if again == "same" else
                         CycleRegimen(when, times) if again == "new course" else
                         DailyRegimen(when, times))
        versions.append(MedicineVersion(when, "105 mg/5 mL", Form.LIQUID, Route.FEEDING_TUBE,
                                        Dose(5, "mL"), later_regimen))
    statuses = []
    if draw(st.booleans()):
        moment = datetime.combine(start, time(), tzinfo=UTC)
        for status in (MedicineStatus.PAUSED, MedicineStatus.ACTIVE):
            moment += timedelta(hours=draw(st.integers(1, 24 * 60)))
            statuses.append(StatusChange(moment, status, "in hospital"))
    end = draw(st.none() | st.integers(30, SPAN).map(lambda n: start + timedelta(days=n)))
    med = Medicine("edaravone", start, tuple(versions), end_date=end,
                   status_history=tuple(statuses), id=3,
                   cycle_shifts=draw(shift_lists(start)))
    try:
        validate_medicine(med)
    except ValidationError:
        assume(False)
    return med


@settings(max_examples=200, deadline=None)
@given(data=st.data(), med=cycle_medicines(), zone=st.sampled_from(ZONES))
def test_a_weeks_held_doses_are_those_of_the_full_computation(data, med, zone):
    """The printed weekly record's HOLD marks, for any week of a long history."""
    week = med.start_date + timedelta(days=data.draw(st.integers(-7, SPAN)))
    for day in (week + timedelta(days=n) for n in range(7)):
        assert held_doses(med, day, zone) == _old_held_doses(med, day, zone), day


def test_the_bench_households_edaravone_holds_as_before_on_each_of_its_last_days():
    """The edaravone of the 5-year household of ``bench.schedule`` (15 delays), with a
    pause at the end: every day of its last four months, the last delay and the pause
    among them."""
    start = date(2021, 11, 26)
    shifts = tuple(CycleShift(start + timedelta(days=30 + 120 * n), 1, id=n + 1)
                   for n in range(15))
    shifts += (CycleShift(start + timedelta(days=1800), None, reason="rash", id=16),)
    regimen = CycleRegimen(start, (time(7),))
    med = Medicine("edaravone", start, (MedicineVersion(
        start, "105 mg/5 mL", Form.LIQUID, Route.ORAL, Dose(5, "mL"), regimen),),
        cycle_shifts=shifts, id=6)
    zone = ZoneInfo("America/Chicago")
    held_days = 0
    for n in range(1700, 1830):
        day = start + timedelta(days=n)
        held = held_doses(med, day, zone)
        assert held == _old_held_doses(med, day, zone), day
        held_days += bool(held)
    assert held_days > 10  # the last delay's day and the pause's dose days
    lo, hi = day_range = (start + timedelta(days=1700), start + timedelta(days=1830))
    by_day = {o.nominal.date() for o in occurrences(
        med, datetime.combine(lo, time(), zone), datetime.combine(hi, time(23), zone), zone)}
    assert by_day == {d.day for d in cycle_plan(regimen, shifts, hi)
                      if lo <= d.day <= hi}, day_range
