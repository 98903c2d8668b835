"""The schedule: which doses of a medicine are due in a time range. Pure functions.

``occurrences(medicine, start, end, zone, actual=...)`` returns every due dose (an
``Occurrence``) whose due instant lies in ``[start, end)``, sorted by due time, each with:

- ``key``: stable within the medicine; dose records link to ``(medicine_id, key)``.
  Clock-time regimens use the scheduled local date and time, ``"2026-03-08T08:00"``;
  loading/maintenance doses use their number in the course, ``"loading:2026-01-05:2"``,
  so a key never changes when an earlier dose is given on another day.
- ``due`` (aware, UTC) and ``local`` (the same instant in the patient's zone); ``nominal``
  is the scheduled wall-clock time (02:30 on the spring-forward night is due at 03:00).
- ``dose`` and ``version`` (strength, form, route, flags) in force on that date, and
  ``label`` ("cycle 3, day 4 of 10", "loading 2 of 3", "maintenance", "step 2 of 3").

Rules: a version applies to doses whose scheduled local date falls in its window; doses
before ``medicine.start_date``, after ``medicine.end_date`` or outside the regimen's own
dates are not due; doses whose due instant falls while the medicine is paused or stopped
are not due. As-needed medicines have no occurrences (see ``domain.as_needed``).

``actual`` maps ``(medicine_id, key) -> local date`` a dose was really given; only
loading regimens use it (the next dose counts from the day the previous one was given).
``doses.actual_given_dates`` builds it from the dose record (a ``GivenDates``, which
keeps each course's dates once picked out).

Cycle delays: ``cycle_plan`` applies the medicine's ``CycleShift``s; ``validate_cycle_shift``
and ``resume_cycle`` check and complete them. ``cycle_doses_between`` (the doses of some
days) and ``cycle_hold`` (why a day lost its dose: the printed HOLD) plan a course in
blocks of days, each once, and keep them: a course begun years ago is not planned again
from its start for every day asked. ``cycle_spans`` (each cycle's first and last dose
days: where a course is now, ``marks.cycle_now``) does the same for longer blocks.

The result is the same however a range is split: ``occurrences(a, c)`` equals
``occurrences(a, b) + occurrences(b, c)`` (a property test holds it to that).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import day_bounds, describe_day, resolve_wall_time, to_utc
from caregiver_app.domain.medicines import Medicine, MedicineVersion
from caregiver_app.domain.regimens import (
    MAX_HOLD_DAYS,
    MAX_SHIFT_DAYS,
    AsNeededRegimen,
    CyclePhase,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    IntervalRegimen,
    LoadingRegimen,
    Regimen,
    StepsRegimen,
    WeekdaysRegimen,
    shift_order,
)
from caregiver_app.domain.values import day_problem
from caregiver_app.domain.vocab import Form, Route

ONE_DAY = timedelta(days=1)
LOADING_PREFIX = "loading:"

Actual = Mapping[tuple[int, str], date]


class GivenDates(Mapping[tuple[int, str], date]):
    """An ``Actual`` that does not change (``doses.actual_given_dates`` makes one), and
    keeps each loading course's dates once picked out of it: a day view asked for them
    again for every loading medicine at each call, going through every loading dose
    ever given."""

    __slots__ = ("_courses", "_dates")

    def __init__(self, dates: Mapping[tuple[int, str], date]):
        self._dates = dict(dates)
        self._courses: dict[tuple[int | None, str], tuple[tuple[int, date], ...]] = {}

    def __getitem__(self, key: tuple[int, str]) -> date:
        return self._dates[key]

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return iter(self._dates)

    def __len__(self) -> int:
        return len(self._dates)

    def __repr__(self) -> str:
        return f"GivenDates({self._dates!r})"

    def course(self, medicine_id: int | None, prefix: str) -> tuple[tuple[int, date], ...]:
        """``_course_given`` of this mapping, worked out once."""
        found = self._courses.get((medicine_id, prefix))
        if found is None:
            found = self._courses[(medicine_id, prefix)] = _course_given(
                self._dates, medicine_id, prefix)
        return found


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due dose of one medicine."""

    medicine_id: int | None
    key: str
    due: datetime  # aware, UTC
    local: datetime  # the same instant, in the patient's zone
    nominal: datetime  # naive scheduled wall-clock time
    dose: Dose
    version: MedicineVersion
    label: str = ""

    @property
    def strength(self) -> str:
        return self.version.strength

    @property
    def form(self) -> Form:
        return self.version.form

    @property
    def route(self) -> Route:
        return self.version.route


@dataclass(frozen=True, slots=True)
class CycleDose:
    """One dose day in a cycle plan."""

    day: date
    cycle: int
    number: int  # 1-based dose number within the cycle
    of: int  # doses in this cycle

    @property
    def label(self) -> str:
        return f"cycle {self.cycle}, day {self.number} of {self.of}"


# ---- Public API


def occurrences(medicine: Medicine, start: datetime, end: datetime, zone: ZoneInfo, *,
                actual: Actual | None = None) -> list[Occurrence]:
    """Every dose of ``medicine`` due in ``[start, end)``, sorted by (due, key)."""
    start, end = to_utc(start), to_utc(end)
    if end <= start or not medicine.versions:
        return []
    lo = max(start.astimezone(zone).date() - ONE_DAY, medicine.start_date)
    hi = end.astimezone(zone).date() + ONE_DAY
    if medicine.end_date is not None:
        hi = min(hi, medicine.end_date)
    found: list[Occurrence] = []
    for version, first, after in medicine.version_windows():
        w_lo = max(lo, first)
        w_hi = hi if after is None else min(hi, after - ONE_DAY)
        regimen = version.regimen
        r_lo = max(w_lo, regimen.start)
        r_hi = w_hi if regimen.end is None else min(w_hi, regimen.end)
        if r_lo > r_hi:
            continue
        always_active = not medicine.status_history
        for wall, key, label, dose in _nominal(regimen, r_lo, r_hi, medicine, actual):
            due, local = _resolve(wall, zone)
            if start <= due < end and (always_active or medicine.is_active_at(due)):
                found.append(Occurrence(
                    medicine_id=medicine.id, key=key, due=due, local=local,
                    nominal=wall, dose=dose or version.dose, version=version, label=label))
    found.sort(key=lambda o: (o.due, o.key))
    return found


def occurrences_on(medicine: Medicine, day: date, zone: ZoneInfo, *,
                   actual: Actual | None = None) -> list[Occurrence]:
    """The doses due on local date ``day``."""
    start, end = day_bounds(day, zone)
    return occurrences(medicine, start, end, zone, actual=actual)


def find_occurrence(medicine: Medicine, key: str, zone: ZoneInfo, *,
                    actual: Actual | None = None) -> Occurrence | None:
    """The occurrence with ``key``, or None if no such dose is due."""
    day = _day_of_key(medicine, key, actual)
    if day is None:
        return None
    return next((o for o in occurrences_on(medicine, day, zone, actual=actual)
                 if o.key == key), None)


def cycle_plan(regimen: CycleRegimen, shifts: tuple[CycleShift, ...] | list[CycleShift],
               until: date) -> list[CycleDose]:
    """Every cycle dose day from the regimen's start up to ``until``, after ``shifts``.

    Shifts apply in ``shift_order`` (by date, then as entered); each finds the first dose
    on or after its ``from_date`` and moves it and the rest of that cycle (and, with
    ``carry``, every later cycle) by ``days``. A shift on hold (``days=None``) ends the plan there.
    Ignores ``regimen.end`` (``occurrences`` applies it).
    """
    return [
        CycleDose(c.start + timedelta(days=offset), c.number, i + 1, c.phase.doses)
        for c in _plan_cycles(regimen, shifts, until) for i, offset in enumerate(c.offsets)
    ]


def cycle_doses_between(regimen: CycleRegimen,
                        shifts: tuple[CycleShift, ...] | list[CycleShift],
                        lo: date, hi: date) -> list[CycleDose]:
    """The cycle doses of ``cycle_plan(regimen, shifts, hi)`` whose day falls in
    ``[lo, hi]``, in plan order. Worked out for ``_BLOCK_DAYS`` days at once and kept:
    the days of a course begun years ago are not planned again from its start for each
    day asked (a printed week, a month of checklists)."""
    if lo > hi:
        return []
    shifts = tuple(shifts)
    first, last = _block_of(lo), _block_of(hi)
    found: list[CycleDose] = []
    for block in range(first, last + 1):
        found.extend(d for d in _course_block(regimen, shifts, block).doses
                     if lo <= d.day <= hi)
    if first != last:  # a delay past later cycles (imported) puts a dose in a later block
        found.sort(key=lambda d: (d.cycle, d.number))  # the plan's order
    return found


@dataclass(frozen=True, slots=True)
class CycleSpan:
    """One cycle of a plan after its shifts: its first and last dose days and how many
    doses it has."""

    number: int
    first: date
    last: date
    doses: int


def cycle_spans(regimen: CycleRegimen, shifts: tuple[CycleShift, ...] | list[CycleShift],
                until: date) -> CycleSpans:
    """The cycles of ``cycle_plan(regimen, shifts, until)`` (those with a dose), read
    from a plan worked out once for a block of days past ``until`` and kept: a course
    begun years ago is not planned again from its start for each day asked."""
    far = min(date.max.toordinal(),
              (until.toordinal() // _SPAN_DAYS + 1) * _SPAN_DAYS - 1)
    course = _course_spans(regimen, tuple(shifts), date.fromordinal(far))
    # The plan up to ``until`` has the cycles that begin by ``until`` before the shifts,
    # as the longer plan has them (a shift moves the doses after the one it finds, and
    # those of the cycles before ``until`` are there in both): the first ``count``.
    count = bisect_right(course.starts, until)
    return CycleSpans(course.spans, min(count, len(course.spans)))


@dataclass(frozen=True, slots=True)
class CycleSpans:
    """The first ``count`` of ``spans`` (one per cycle in order, None for a cycle with no
    dose left): a plan's cycles, looked at from the end near a day without going through
    the years before it."""

    spans: tuple[CycleSpan | None, ...]
    count: int

    def latest_begun(self, day: date) -> CycleSpan | None:
        """The cycle with the highest number whose first dose is on or before ``day``."""
        for n in range(self.count - 1, -1, -1):
            span = self.spans[n]
            if span is not None and span.first <= day:
                return span
        return None

    def first(self) -> CycleSpan | None:
        return next((s for s in self.spans[:self.count] if s is not None), None)

    def next_start(self, after: CycleSpan) -> date | None:
        """The earliest first dose day of the cycles numbered after ``after``."""
        starts = [s.first for s in self.spans[after.number:self.count] if s is not None]
        return min(starts) if starts else None


@dataclass(frozen=True, slots=True)
class CycleHold:
    """A day a cycle dose was planned that a delay or a pause took away: ``planned`` is
    the dose as the plan had it before ``shift`` (its label), ``first`` the day of the
    first dose the shift moved (the first day held)."""

    planned: CycleDose
    shift: CycleShift
    first: date


def cycle_hold(regimen: CycleRegimen, shifts: tuple[CycleShift, ...] | list[CycleShift],
               day: date) -> CycleHold | None:
    """Why ``day`` has no dose of the course when it had one: the first of ``shifts`` (in
    ``shift_order``) whose plan before it had a dose on ``day``, on or after the first
    dose it moved, and which holds ``day``: a pause holds every dose day from that first
    one, a delay of N days the N days from it. None when ``day`` has a dose after all
    the shifts, or no shift took one away. Ignores ``regimen.end`` (as ``cycle_plan``).

    Worked out for ``_BLOCK_DAYS`` days at once, in the one pass through the course that
    ``cycle_plan`` makes, and kept."""
    return _course_block(regimen, tuple(shifts), _block_of(day)).holds.get(day)


def loading_plan(regimen: LoadingRegimen, given: Mapping[int, date],
                 until: date) -> list[tuple[int, date]]:
    """(dose number, due date) from dose 1 up to ``until``.

    ``given`` maps a dose number to the local date it was actually given; the next dose
    counts from that date (tofersen: "give the next dose 14 / 28 days later").
    """
    plan: list[tuple[int, date]] = []
    number, due = 1, regimen.start
    # Past the last dose given, dates only grow; before it, a dose recorded far too early
    # (a data-entry slip) can bring later dates back, so keep going until then.
    last_given = max(given, default=0)
    while due <= until or number <= last_given:
        if due <= until:
            plan.append((number, due))
        base = given.get(number, due)
        number += 1
        due = base + timedelta(days=regimen.interval_before(number))
    return plan


def changed_records(before: Medicine, after: Medicine, keys: set[str] | frozenset[str],
                    zone: ZoneInfo, *, actual: Actual | None = None,
                    actual_after: Actual | None = None) -> set[str]:
    """The ``keys`` (of recorded doses) that a change from ``before`` to ``after`` would
    take off the schedule, or give another due time or label ("cycle 2, day 1 of 10"
    becoming "day 4 of 10"). ``actual_after``: the days doses were given after the change
    (a corrected loading dose's date; default ``actual``).

    A change to a medicine must leave every recorded dose as it was: otherwise the record
    looks like an extra dose and the dose it was for shows as due again (it could be
    given twice) or as missed. Keys that ``before`` does not know (records of a dose
    already off the schedule) are not the change's doing and are left out.
    """
    was = _recorded_occurrences(before, keys, zone, actual)
    now = _recorded_occurrences(after, set(was), zone,
                                actual if actual_after is None else actual_after)
    return {k for k, o in was.items() if k not in now or now[k] != o}


def _recorded_occurrences(medicine: Medicine, keys: set[str] | frozenset[str],
                          zone: ZoneInfo, actual: Actual | None
                          ) -> dict[str, tuple[datetime, str]]:
    """key -> (due, label) of the ``keys`` that name a due dose of ``medicine``."""
    found: dict[str, tuple[datetime, str]] = {}
    days: list[date] = []
    for key in keys:
        day = _key_day(key)
        if day is not None:
            days.append(day)
        elif (o := find_occurrence(medicine, key, zone, actual=actual)) is not None:
            found[key] = (o.due, o.label)
    if days:
        start = day_bounds(min(days) - ONE_DAY, zone)[0]
        end = day_bounds(max(days) + ONE_DAY, zone)[1]
        found.update((o.key, (o.due, o.label))
                     for o in occurrences(medicine, start, end, zone, actual=actual)
                     if o.key in keys)
    return found


def key_day(key: str) -> date | None:
    """The scheduled local date a clock-time key names (None for a loading-course key)."""
    return _key_day(key)


def loading_key(regimen: LoadingRegimen, number: int) -> str:
    return f"{LOADING_PREFIX}{regimen.start.isoformat()}:{number}"


def validate_cycle_shift(medicine: Medicine, shift: CycleShift, *,
                         recorded_keys: set[str]) -> CycleShift:
    """Check a new delay of ``medicine``'s cycle regimen; return it tidied.

    The delay must start at a cycle dose that has nothing recorded (a given or skipped dose
    stays where it was), come after earlier delays, and (without ``carry``) keep the moved
    doses inside their cycle's dosing period.
    """
    errors: dict[str, str] = {}
    version = medicine.version_on(shift.from_date) or medicine.versions[-1]
    regimen = version.regimen
    reason = shift.reason.strip()
    if not isinstance(regimen, CycleRegimen):
        raise ValidationError({"from_date": "Only cycle schedules can be shifted or paused."})
    if day_problem(shift.from_date):
        raise ValidationError({"from_date": day_problem(shift.from_date) or ""})
    if shift.days is not None and not (isinstance(shift.days, int)
                                       and 1 <= shift.days <= MAX_SHIFT_DAYS):
        errors["days"] = f"Enter a delay of 1 to {MAX_SHIFT_DAYS} days."
    existing = medicine.course_shifts(regimen)
    if any(s.on_hold for s in existing):
        errors["from_date"] = "The cycle is paused; resume it first."
    elif existing and shift.from_date < existing[-1].from_date:
        errors["from_date"] = (f"Choose a date on or after {describe_day(existing[-1].from_date)}"
                               ", the last change to this cycle.")
    if len(reason) > 500:
        errors["reason"] = "Keep the reason under 500 characters."
    if errors:
        raise ValidationError(errors)
    horizon = shift.from_date + timedelta(days=400)
    first = next((d for d in cycle_plan(regimen, existing, horizon)
                  if d.day >= shift.from_date), None)
    if first is None:
        raise ValidationError({"from_date": "No cycle dose is due on or after that date."})
    if any(day >= first.day for key in recorded_keys if (day := _key_day(key)) is not None):
        raise ValidationError({"from_date": (
            "A dose on or after that date is already recorded; shift from the first dose "
            "that has not been given.")})
    if shift.days is not None and not shift.carry:
        cycles = _plan_cycles(regimen, [*existing, replace(shift, id=None)], horizon)
        moved = next(c for c in cycles if c.number == first.cycle)
        if max(moved.offsets) >= moved.phase.window:
            raise ValidationError({"days": (
                f"The moved doses would run past day {moved.phase.window} of cycle "
                f"{first.cycle}. Move the following cycles too, or ask the care team.")})
    return replace(shift, reason=reason)


def resume_cycle(medicine: Medicine, hold: CycleShift, resume_on: date) -> CycleShift:
    """The completed form of a cycle hold: the first held dose is due on ``resume_on``
    and the following ones move with it."""
    if not hold.on_hold:
        raise ValidationError({"resume_on": "This cycle is not paused."})
    if resume_on < hold.from_date:
        raise ValidationError({"resume_on": "Resume on or after the day the pause began."})
    if (resume_on - hold.from_date).days > MAX_HOLD_DAYS:
        raise ValidationError({"resume_on": (
            f"A pause can last at most {MAX_HOLD_DAYS // 365} years; start a new course "
            "instead.")})
    version = medicine.version_on(hold.from_date) or medicine.versions[-1]
    regimen = version.regimen
    if not isinstance(regimen, CycleRegimen):
        raise ValidationError({"resume_on": "Only cycle schedules can be resumed."})
    before = [s for s in medicine.course_shifts(regimen) if s != hold]
    plan = cycle_plan(regimen, before, resume_on + timedelta(days=400))
    held = next((d for d in plan if d.day >= hold.from_date), None)
    days = 0 if held is None else max(0, (resume_on - held.day).days)
    return replace(hold, days=days)


# ---- Private


@dataclass
class _Cycle:
    """One cycle of a cycle regimen: its number, first day, dose days and phase."""

    number: int
    start: date
    offsets: list[int]
    phase: CyclePhase


def _plan_cycles(regimen: CycleRegimen, shifts: Sequence[CycleShift], until: date,
                 before_shift: _BeforeShift | None = None) -> list[_Cycle]:
    """The cycles that begin by ``until``, after ``shifts``. ``before_shift`` is told of
    each shift that finds a dose to move, before it moves it: the plan then is the plan of
    the shifts before it (cycles after ``index`` still lack ``carried`` days)."""
    cycles: list[_Cycle] = []
    number, start = 1, regimen.start
    # Shifts only ever delay doses, so cycles that nominally start after ``until``
    # cannot bring a dose on or before it.
    while start <= until and (regimen.cycles is None or number <= regimen.cycles):
        phase = regimen.phase(number)
        cycles.append(_Cycle(number, start, list(range(phase.doses)), phase))
        start += timedelta(days=phase.length)
        number += 1
    # Delays carried to later cycles are added lazily: cycles after the cursor's cycle
    # still need ``carried`` days added to their start.
    carried = 0
    cursor = (0, 0)
    for shift in sorted(shifts, key=shift_order):
        # Doses before the previous shift's first moved dose fall before its date, hence
        # before this one's: the search resumes at the cursor.
        where = _first_dose_on_or_after(cycles, shift.from_date, cursor, carried)
        if where is None:
            continue
        index, dose = where
        for cycle in cycles[cursor[0] + 1:index + 1]:
            cycle.start += timedelta(days=carried)
        if before_shift is not None:
            before_shift(shift, cycles, index, dose, carried)
        cursor = where
        cycle = cycles[index]
        if shift.days is None:
            del cycle.offsets[dose:]
            del cycles[index + 1:]
            return cycles
        for i in range(dose, len(cycle.offsets)):
            cycle.offsets[i] += shift.days
        if shift.carry:
            carried += shift.days
    for cycle in cycles[cursor[0] + 1:]:
        cycle.start += timedelta(days=carried)
    return cycles


_BeforeShift = Callable[[CycleShift, list[_Cycle], int, int, int], None]

#: ``cycle_doses_between`` and ``cycle_hold`` work a course out this many days at a time.
_BLOCK_DAYS = 64


@dataclass(frozen=True)
class _Block:
    """One block of ``_BLOCK_DAYS`` days of a cycle course: its doses after every shift,
    in plan order, and the days a shift took a dose from (``cycle_hold``)."""

    doses: tuple[CycleDose, ...]
    holds: Mapping[date, CycleHold]


def _block_of(day: date) -> int:
    return day.toordinal() // _BLOCK_DAYS


@lru_cache(maxsize=1024)
def _course_block(regimen: CycleRegimen, shifts: tuple[CycleShift, ...],
                  block: int) -> _Block:
    """The doses and holds of the days of ``block``, from one pass through the course up
    to its last day. A plan up to that day has the same doses on each day up to it as
    any longer plan (shifts only ever delay doses)."""
    lo = date.fromordinal(max(1, block * _BLOCK_DAYS))
    hi = date.fromordinal(min((block + 1) * _BLOCK_DAYS - 1, date.max.toordinal()))
    held: dict[date, CycleHold] = {}

    def before_shift(shift: CycleShift, cycles: list[_Cycle], index: int, dose: int,
                     carried: int) -> None:
        # the plan now is the plan of the shifts before this one (cycles after ``index``
        # still lack ``carried``): what it had on the days this shift holds
        first = cycles[index].start + timedelta(days=cycles[index].offsets[dose])
        since = max(lo, first)
        until = hi if shift.days is None else min(
            hi, first + timedelta(days=shift.days - 1))
        if since > until:
            return
        planned: dict[date, CycleDose] = {}
        for position, cycle in enumerate(cycles):
            offsets = cycle.offsets
            start = cycle.start + timedelta(days=carried) if position > index else cycle.start
            if not offsets or start + timedelta(days=offsets[-1]) < since or \
                    start + timedelta(days=offsets[0]) > until:
                continue
            for n, offset in enumerate(offsets, start=1):
                day = start + timedelta(days=offset)
                if since <= day <= until and day not in planned:
                    planned[day] = CycleDose(day, cycle.number, n, cycle.phase.doses)
        for day, planned_dose in planned.items():
            # the first shift's, as each day was asked before (the days each shift holds
            # come after the days of the shifts before it anyway)
            held.setdefault(day, CycleHold(planned_dose, shift, first))

    cycles = _plan_cycles(regimen, shifts, hi, before_shift if shifts else None)
    doses = tuple(
        CycleDose(day, c.number, n, c.phase.doses)
        for c in cycles if c.offsets
        and c.start + timedelta(days=c.offsets[-1]) >= lo and c.start + timedelta(
            days=c.offsets[0]) <= hi
        for n, offset in enumerate(c.offsets, start=1)
        if lo <= (day := c.start + timedelta(days=offset)) <= hi)
    given = {d.day for d in doses}
    return _Block(doses, MappingProxyType(
        {d: h for d, h in sorted(held.items()) if d not in given}))


#: ``cycle_spans`` plans a course up to the end of a block of this many days.
_SPAN_DAYS = 256


@dataclass(frozen=True)
class _CourseSpans:
    """A cycle course's cycles up to a day: where each began, and its span after the
    shifts."""

    starts: tuple[date, ...]  # each cycle's start before the shifts
    spans: tuple[CycleSpan | None, ...]  # after the shifts, in order (None: no dose)


@lru_cache(maxsize=256)
def _course_spans(regimen: CycleRegimen, shifts: tuple[CycleShift, ...],
                  until: date) -> _CourseSpans:
    starts: list[date] = []
    number, start = 1, regimen.start
    while start <= until and (regimen.cycles is None or number <= regimen.cycles):
        starts.append(start)
        start += timedelta(days=regimen.phase(number).length)
        number += 1
    spans = tuple(
        CycleSpan(c.number, c.start + timedelta(days=c.offsets[0]),
                  c.start + timedelta(days=c.offsets[-1]), len(c.offsets))
        if c.offsets else None
        for c in _plan_cycles(regimen, shifts, until))
    return _CourseSpans(tuple(starts), spans)


@lru_cache(maxsize=16384)
def _resolve(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """(UTC instant, local aware time) of a wall-clock time; medicines share dose times,
    so this is asked the same question many times."""
    due = resolve_wall_time(wall, zone)
    return due, due.astimezone(zone)


def _key_day(key: str) -> date | None:
    if key.startswith(LOADING_PREFIX):
        return None
    try:
        return date.fromisoformat(key[:10])
    except ValueError:
        return None


def _first_dose_on_or_after(cycles: list[_Cycle], day: date, cursor: tuple[int, int],
                            carried: int) -> tuple[int, int] | None:
    """The first dose on or after ``day`` at or after ``cursor``; cycles after the
    cursor's have not yet had ``carried`` days added to their start."""
    first_index, first_dose = cursor
    for index in range(first_index, len(cycles)):
        cycle = cycles[index]
        start = cycle.start if index == first_index else cycle.start + timedelta(days=carried)
        if not cycle.offsets or start + timedelta(days=cycle.offsets[-1]) < day:
            continue
        for dose in range(first_dose if index == first_index else 0, len(cycle.offsets)):
            if start + timedelta(days=cycle.offsets[dose]) >= day:
                return index, dose
    return None


def _wall(day: date, at: time) -> datetime:
    return datetime(day.year, day.month, day.day, at.hour, at.minute)


def _days(first: date, last: date, *, step: int = 1,
          weekdays: frozenset[int] | None = None) -> Iterator[date]:
    """Every ``step``-th day from ``first`` to ``last`` (both included), only those on
    ``weekdays`` (0 = Monday) when given. (Plain date steps: dateutil's ``rrule`` would
    bring its module, with ``six``, ``calendar`` and ``locale``, into every start.)"""
    day, one = first, timedelta(days=step)
    while day <= last:
        if weekdays is None or day.weekday() in weekdays:
            yield day
        day += one


def _date_keyed(days: Iterator[date], times: tuple[time, ...], label: str = "",
                dose: Dose | None = None) -> Iterator[tuple[datetime, str, str, Dose | None]]:
    for day in days:
        for at in times:
            wall = _wall(day, at)
            yield wall, wall.isoformat(timespec="minutes"), label, dose


def _nominal(regimen: Regimen, lo: date, hi: date, medicine: Medicine,
             actual: Actual | None) -> Iterator[tuple[datetime, str, str, Dose | None]]:
    """(wall time, key, label, dose override) for scheduled local dates in [lo, hi]."""
    if isinstance(regimen, DailyRegimen):
        yield from _date_keyed(_days(lo, hi), regimen.times)
    elif isinstance(regimen, WeekdaysRegimen):
        yield from _date_keyed(_days(lo, hi, weekdays=regimen.weekdays), regimen.times)
    elif isinstance(regimen, IntervalRegimen):
        step = regimen.step_days
        # Start the rule at the first dose day on or after ``lo``, not at the regimen's
        # start: the cost then depends on the range, not on how long ago it began.
        skip = -(-(lo - regimen.start).days // step) if lo > regimen.start else 0
        first = regimen.start + timedelta(days=skip * step)
        if first <= hi:
            yield from _date_keyed(_days(first, hi, step=step), regimen.times)
    elif isinstance(regimen, StepsRegimen):
        count = len(regimen.steps)
        for number, dose_step in enumerate(regimen.steps, start=1):
            s_lo = max(lo, dose_step.start)
            s_hi = hi if dose_step.end is None else min(hi, dose_step.end)
            if s_lo <= s_hi:
                yield from _date_keyed(_days(s_lo, s_hi), dose_step.times,
                                       f"step {number} of {count}", dose_step.dose)
    elif isinstance(regimen, CycleRegimen):
        for cycle_dose in cycle_doses_between(regimen, medicine.course_shifts(regimen), lo,
                                              hi):
            yield from _date_keyed(iter((cycle_dose.day,)), regimen.times, cycle_dose.label)
    elif isinstance(regimen, LoadingRegimen):
        # the plan's days in [lo, hi], as ``loading_plan(regimen, given, hi)`` has them,
        # without going through every dose of the course from dose 1 at each call
        course = _loading_course(regimen, _loading_given_items(regimen, medicine.id, actual))
        for number, day in course.between(lo, hi):
            yield (_wall(day, regimen.time), loading_key(regimen, number),
                   regimen.label(number), None)
    elif isinstance(regimen, AsNeededRegimen):
        return
    else:  # pragma: no cover - a new kind must be added here
        raise TypeError(f"unknown regimen {regimen!r}")


def _loading_given(regimen: LoadingRegimen, medicine_id: int | None,
                   actual: Actual | None) -> dict[int, date]:
    return dict(_loading_given_items(regimen, medicine_id, actual))


def _loading_given_items(regimen: LoadingRegimen, medicine_id: int | None,
                         actual: Actual | None) -> tuple[tuple[int, date], ...]:
    """(dose number, date given) of this course's doses given, by number."""
    if not actual:
        return ()
    prefix = f"{LOADING_PREFIX}{regimen.start.isoformat()}:"
    if isinstance(actual, GivenDates):
        return actual.course(medicine_id, prefix)
    return _course_given(actual, medicine_id, prefix)


def _course_given(actual: Actual, medicine_id: int | None,
                  prefix: str) -> tuple[tuple[int, date], ...]:
    given: dict[int, date] = {}
    for (given_medicine_id, key), day in actual.items():
        if given_medicine_id == medicine_id and key.startswith(prefix):
            try:
                given[int(key[len(prefix):])] = day
            except ValueError:
                continue
    return tuple(sorted(given.items()))


@dataclass(frozen=True)
class _LoadingCourse:
    """A loading course's plan (``loading_plan``) in two parts: the doses up to the last
    one given, by day (a dose recorded far too early can bring later dates back, so
    these are in no order), and after it the first dose not given, from which every
    later dose is one interval after the one before."""

    by_day: Mapping[date, tuple[int, ...]]
    next_number: int
    next_due: date
    regimen: LoadingRegimen

    def between(self, lo: date, hi: date) -> Iterator[tuple[int, date]]:
        """(dose number, due date) of the plan's doses due in ``[lo, hi]``."""
        for day in _days(lo, hi) if self.by_day else ():
            for number in self.by_day.get(day, ()):
                yield number, day
        number, due = self.next_number, self.next_due
        while due <= hi:
            if due >= lo:
                yield number, due
            number += 1
            due += timedelta(days=self.regimen.interval_before(number))


@lru_cache(maxsize=256)
def _loading_course(regimen: LoadingRegimen,
                    given: tuple[tuple[int, date], ...]) -> _LoadingCourse:
    """The plan of ``loading_plan(regimen, dict(given), ...)``, worked out once."""
    dates = dict(given)
    last_given = max(dates, default=0)
    by_day: dict[date, list[int]] = {}
    number, due = 1, regimen.start
    while number <= last_given:
        by_day.setdefault(due, []).append(number)
        base = dates.get(number, due)
        number += 1
        due = base + timedelta(days=regimen.interval_before(number))
    return _LoadingCourse(MappingProxyType({d: tuple(n) for d, n in by_day.items()}),
                          number, due, regimen)


def _day_of_key(medicine: Medicine, key: str, actual: Actual | None) -> date | None:
    if key.startswith(LOADING_PREFIX):
        try:
            start_text, number_text = key[len(LOADING_PREFIX):].rsplit(":", 1)
            start, number = date.fromisoformat(start_text), int(number_text)
        except ValueError:
            return None
        for version, _, _ in medicine.version_windows():
            regimen = version.regimen
            if isinstance(regimen, LoadingRegimen) and regimen.start == start:
                given = _loading_given(regimen, medicine.id, actual)
                horizon = start + timedelta(days=number * 400)
                return next((d for n, d in loading_plan(regimen, given, horizon)
                             if n == number), None)
        return None
    try:
        return datetime.fromisoformat(key).date()
    except ValueError:
        return None


__all__ = [
    "CycleDose",
    "CycleHold",
    "CycleSpan",
    "CycleSpans",
    "Occurrence",
    "changed_records",
    "cycle_doses_between",
    "cycle_hold",
    "cycle_plan",
    "cycle_spans",
    "find_occurrence",
    "key_day",
    "loading_key",
    "loading_plan",
    "occurrences",
    "occurrences_on",
    "resume_cycle",
    "validate_cycle_shift",
]
