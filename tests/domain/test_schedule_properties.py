"""Property tests of the schedule engine: for any medicine, range and split."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import day_bounds
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
    DoseStep,
    IntervalRegimen,
    IntervalUnit,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.domain.schedule import occurrences
from caregiver_app.domain.vocab import Form, MedicineStatus, Route

ZONES = [ZoneInfo(z) for z in ("America/New_York", "Europe/London", "Australia/Lord_Howe",
                               "Asia/Tokyo", "America/Santiago")]
BASE = date(2025, 12, 1)

days = st.integers(min_value=0, max_value=400).map(lambda n: BASE + timedelta(days=n))
clock_times = st.lists(
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45])),
    min_size=1, max_size=4, unique=True).map(lambda ts: tuple(sorted(ts)))
phases = st.builds(lambda d, w, extra: CyclePhase(d, d + w, d + w + extra),
                   st.integers(1, 14), st.integers(0, 4), st.integers(1, 20))


@st.composite
def regimens(draw, start: date):
    kind = draw(st.sampled_from(["daily", "weekdays", "interval", "cycle", "loading", "steps"]))
    end = draw(st.none() | st.integers(0, 300).map(lambda n: start + timedelta(days=n)))
    if kind == "daily":
        return DailyRegimen(start, draw(clock_times), end)
    if kind == "weekdays":
        wd = draw(st.frozensets(st.integers(0, 6), min_size=1))
        return WeekdaysRegimen(start, wd, draw(clock_times), end)
    if kind == "interval":
        return IntervalRegimen(start, draw(st.integers(1, 10)), draw(clock_times),
                               draw(st.sampled_from(list(IntervalUnit))), end)
    if kind == "cycle":
        return CycleRegimen(start, draw(clock_times), draw(phases), draw(phases),
                            draw(st.none() | st.integers(1, 10)), end)
    if kind == "loading":
        return LoadingRegimen(start, draw(clock_times)[0], draw(st.integers(0, 4)),
                              draw(st.integers(1, 20)), draw(st.integers(1, 40)), end)
    steps, day = [], start
    for _ in range(draw(st.integers(1, 3))):
        length = draw(st.integers(0, 20))
        steps.append(DoseStep(day, Dose(draw(st.integers(1, 4)), "tablet"), draw(clock_times),
                              day + timedelta(days=length)))
        day += timedelta(days=length + draw(st.integers(1, 5)))
    if draw(st.booleans()):
        steps[-1] = DoseStep(steps[-1].start, steps[-1].dose, steps[-1].times, None)
    return StepsRegimen(tuple(steps))


@st.composite
def medicines(draw):
    start = draw(days)
    count = draw(st.integers(1, 3))
    versions, valid_from = [], start
    first = draw(regimens(start))
    for i in range(count):
        regimen = first if i == 0 or draw(st.booleans()) else draw(regimens(valid_from))
        versions.append(MedicineVersion(valid_from, "", Form.TABLET, Route.ORAL,
                                        Dose(1, "tablet"), regimen))
        valid_from += timedelta(days=draw(st.integers(0, 60)))
    shifts = []
    if isinstance(first, CycleRegimen) and draw(st.booleans()):
        when = first.start
        for n in range(draw(st.integers(1, 3))):
            when += timedelta(days=draw(st.integers(0, 60)))
            hold = n == 2 and draw(st.booleans())
            shifts.append(CycleShift(when, None if hold else draw(st.integers(0, 10)),
                                     carry=True, id=n + 1))
    statuses, moment = [], datetime.combine(start, time(), tzinfo=UTC)
    for status in draw(st.lists(st.sampled_from([MedicineStatus.PAUSED, MedicineStatus.ACTIVE]),
                                max_size=3)):
        moment += timedelta(hours=draw(st.integers(1, 24 * 40)))
        statuses.append(StatusChange(moment, status, "why"))
    med = Medicine("test", start, tuple(versions), status_history=tuple(statuses),
                   cycle_shifts=tuple(shifts), id=7)
    try:
        validate_medicine(med)
    except ValidationError:
        assume(False)
    return med


@st.composite
def ranges(draw, near: date):
    zone = draw(st.sampled_from(ZONES))
    first = near + timedelta(days=draw(st.integers(-10, 150)))
    start = datetime.combine(first, time(draw(st.integers(0, 23))), tzinfo=UTC)
    length = timedelta(hours=draw(st.integers(1, 24 * 90)))
    split = start + timedelta(hours=draw(st.integers(0, int(length.total_seconds() // 3600))))
    return zone, start, split, start + length


@st.composite
def actuals(draw, med):
    found = {}
    for version in med.versions:
        regimen = version.regimen
        if isinstance(regimen, LoadingRegimen):
            for n in draw(st.sets(st.integers(1, 12), max_size=4)):
                found[(med.id, f"loading:{regimen.start.isoformat()}:{n}")] = (
                    regimen.start + timedelta(days=draw(st.integers(0, 400))))
    return found


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_occurrences_are_sorted_unique_inside_the_range_and_stable_when_split(data):
    med = data.draw(medicines())
    zone, start, split, end = data.draw(ranges(med.start_date))
    actual = data.draw(actuals(med))
    whole = occurrences(med, start, end, zone, actual=actual)
    assert whole == sorted(whole, key=lambda o: (o.due, o.key))
    assert len({o.key for o in whole}) == len(whole)
    assert all(start <= o.due < end for o in whole)
    parts = (occurrences(med, start, split, zone, actual=actual)
             + occurrences(med, split, end, zone, actual=actual))
    assert parts == whole
    for o in whole:
        assert o.local.utcoffset() == o.due.astimezone(zone).utcoffset()
        assert med.is_active_at(o.due)


@settings(max_examples=100, deadline=None)
@given(start=days, every=st.integers(1, 12), unit=st.sampled_from(list(IntervalUnit)),
       offset=st.integers(0, 2000), span=st.integers(1, 60))
def test_interval_regimen_matches_counting_from_its_start(start, every, unit, offset, span):
    regimen = IntervalRegimen(start, every, (time(9),), unit)
    med = Medicine("x", start, (MedicineVersion(start, "", Form.TABLET, Route.ORAL,
                                                Dose(1, "tablet"), regimen),), id=1)
    zone = ZoneInfo("UTC")
    first = start + timedelta(days=offset)
    got = [o.nominal.date() for o in occurrences(
        med, day_bounds(first, zone)[0], day_bounds(first + timedelta(days=span), zone)[1],
        zone)]
    step = regimen.step_days
    expected = [first + timedelta(days=i) for i in range(span + 1)
                if (offset + i) % step == 0]
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(start=days, times=clock_times, zone=st.sampled_from(ZONES))
def test_edaravone_cycles_give_14_then_10_doses_per_28_days_over_a_year(start, times, zone):
    regimen = CycleRegimen(start, times)
    med = Medicine("edaravone", start, (MedicineVersion(
        start, "105 mg/5 mL", Form.LIQUID, Route.ORAL, Dose(5, "mL"), regimen),), id=1)
    for block in range(13):
        first = start + timedelta(days=28 * block)
        occs = occurrences(med, day_bounds(first, zone)[0],
                           day_bounds(first + timedelta(days=27), zone)[1], zone)
        assert len(occs) == (14 if block == 0 else 10) * len(times)
        assert len({o.nominal.date() for o in occs}) == (14 if block == 0 else 10)


@settings(max_examples=60, deadline=None)
@given(start=days, shifts=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 9)),
                                   max_size=4))
def test_shifted_cycles_still_give_each_cycle_its_full_count(start, shifts):
    regimen = CycleRegimen(start, (time(7),))
    cycle_shifts = tuple(CycleShift(start + timedelta(days=d), n, id=i + 1)
                         for i, (d, n) in enumerate(sorted(shifts)))
    med = Medicine("edaravone", start, (MedicineVersion(
        start, "", Form.LIQUID, Route.ORAL, Dose(5, "mL"), regimen),),
        cycle_shifts=cycle_shifts, id=1)
    zone = ZoneInfo("UTC")
    occs = occurrences(med, day_bounds(start, zone)[0],
                       day_bounds(start + timedelta(days=400), zone)[1], zone)
    per_cycle = Counter(int(o.label.split(",")[0].split()[1]) for o in occs)
    total_shift = sum(n for _, n in shifts)
    complete = [c for c in per_cycle if 28 * c + total_shift < 400]
    for cycle in complete:
        assert per_cycle[cycle] == (14 if cycle == 1 else 10)
    dates = [o.nominal.date() for o in occs]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


def _reference_plan(regimen, shifts, until):
    """The plain, slow reading of ``cycle_plan``'s rules, to check the fast one against."""
    cycles, number, start = [], 1, regimen.start
    while start <= until and (regimen.cycles is None or number <= regimen.cycles):
        phase = regimen.phase(number)
        cycles.append([number, start, list(range(phase.doses)), phase.doses])
        start += timedelta(days=phase.length)
        number += 1
    for shift in sorted(shifts, key=lambda s: (s.from_date, s.id)):
        where = next(((i, j) for i, c in enumerate(cycles) for j, off in enumerate(c[2])
                      if c[1] + timedelta(days=off) >= shift.from_date), None)
        if where is None:
            continue
        i, j = where
        if shift.days is None:
            del cycles[i][2][j:]
            del cycles[i + 1:]
            break
        cycles[i][2][j:] = [off + shift.days for off in cycles[i][2][j:]]
        if shift.carry:
            for later in cycles[i + 1:]:
                later[1] += timedelta(days=shift.days)
    return [(c[1] + timedelta(days=off), c[0], k + 1, c[3])
            for c in cycles for k, off in enumerate(c[2])]


@settings(max_examples=300, deadline=None)
@given(first=phases, later=phases, cycles=st.none() | st.integers(1, 30),
       shifts=st.lists(st.tuples(st.integers(0, 500), st.none() | st.integers(0, 12),
                                 st.booleans()), max_size=6),
       horizon=st.integers(0, 700))
def test_cycle_plan_matches_the_plain_reading_of_its_rules(first, later, cycles, shifts,
                                                           horizon):
    from caregiver_app.domain.schedule import cycle_plan

    regimen = CycleRegimen(BASE, (time(7),), first, later, cycles)
    cycle_shifts = [CycleShift(BASE + timedelta(days=d), n, carry=c, id=i + 1)
                    for i, (d, n, c) in enumerate(shifts)]
    until = BASE + timedelta(days=horizon)
    got = [(d.day, d.cycle, d.number, d.of) for d in cycle_plan(regimen, cycle_shifts, until)]
    assert got == _reference_plan(regimen, cycle_shifts, until)
