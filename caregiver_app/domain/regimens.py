"""How often a medicine is given: the eight kinds of regimen, their checks and their text form.

Every regimen is a frozen dataclass with a ``start`` and an optional ``end`` date (both
local dates in the patient's zone, ``end`` inclusive). Times are local wall-clock times.

================== ==================================================================
Kind               Dataclass
================== ==================================================================
daily              ``DailyRegimen(start, times)``: every day at each time
weekdays           ``WeekdaysRegimen(start, weekdays, times)``: chosen weekdays (0 = Mon)
interval           ``IntervalRegimen(start, every, unit, times)``: every N days or weeks,
                   counted from ``start``
cycle              ``CycleRegimen(start, times, first, later)``: on/off cycles whose first
                   cycle differs (edaravone: 14 on/14 off, then 10 of 14 on/14 off).
                   Delays are ``CycleShift`` entries kept on the medicine.
loading            ``LoadingRegimen(start, time, ...)``: loading doses then maintenance
                   (tofersen: 3 doses 14 days apart, then every 28 days); the next due
                   date counts from the day the previous dose was actually given
as_needed          ``AsNeededRegimen(start, min_interval, max_per_24h)``: PRN, no due times
steps              ``StepsRegimen(steps)``: titration or taper; each ``DoseStep`` is a date
                   range with its own dose and times
================== ==================================================================

``validate_regimen`` raises ``ValidationError`` naming each bad field. ``regimen_to_dict``
and ``regimen_from_dict`` give the stable JSON form used by storage and export files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from caregiver_app.domain.amount import Dose, dose_problem
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import describe_day, describe_duration
from caregiver_app.domain.values import day_problem

MAX_TIMES_PER_DAY = 24
MAX_INTERVAL = 366
MAX_SHIFT_DAYS = 120
#: The longest a cycle can stay paused: a pause resumed later than this is a new course.
MAX_HOLD_DAYS = 3660
MAX_CYCLE_LENGTH = 366
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

TimeOfDay = time
"""``datetime.time``, by a name no field shadows."""


class RegimenKind(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    INTERVAL = "interval"
    CYCLE = "cycle"
    LOADING = "loading"
    AS_NEEDED = "as_needed"
    STEPS = "steps"


class IntervalUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"


# ---- Regimens


@dataclass(frozen=True)
class DailyRegimen:
    """Every day at each of ``times``."""

    kind: ClassVar[RegimenKind] = RegimenKind.DAILY
    start: date
    times: tuple[time, ...]
    end: date | None = None


@dataclass(frozen=True)
class WeekdaysRegimen:
    """On each of ``weekdays`` (0 = Monday ... 6 = Sunday) at each of ``times``."""

    kind: ClassVar[RegimenKind] = RegimenKind.WEEKDAYS
    start: date
    weekdays: frozenset[int]
    times: tuple[time, ...]
    end: date | None = None


@dataclass(frozen=True)
class IntervalRegimen:
    """Every ``every`` days (or weeks) counted from ``start``, at each of ``times``."""

    kind: ClassVar[RegimenKind] = RegimenKind.INTERVAL
    start: date
    every: int
    times: tuple[time, ...]
    unit: IntervalUnit = IntervalUnit.DAYS
    end: date | None = None

    @property
    def step_days(self) -> int:
        return self.every * (7 if self.unit is IntervalUnit.WEEKS else 1)


@dataclass(frozen=True)
class CyclePhase:
    """One cycle: ``doses`` dose days in a row at the start of a ``window``-day dosing
    period, inside a cycle of ``length`` days (the rest are days off)."""

    doses: int
    window: int
    length: int


EDARAVONE_FIRST_CYCLE = CyclePhase(doses=14, window=14, length=28)
EDARAVONE_LATER_CYCLES = CyclePhase(doses=10, window=14, length=28)


@dataclass(frozen=True)
class CycleRegimen:
    """Cycles of dose days and days off; cycle 1 follows ``first``, the rest ``later``.

    The defaults are the edaravone pattern: cycle 1 = daily for 14 days then 14 days off;
    each later cycle = doses on 10 of the first 14 days then 14 days off (28-day cycles).
    ``cycles`` limits the number of cycles (``None``: until ``end``). Dose days are the
    first days of each cycle; a ``CycleShift`` on the medicine moves them when a dose is
    delayed. Each dose is labelled "cycle 3, day 4 of 10".
    """

    kind: ClassVar[RegimenKind] = RegimenKind.CYCLE
    start: date
    times: tuple[time, ...]
    first: CyclePhase = EDARAVONE_FIRST_CYCLE
    later: CyclePhase = EDARAVONE_LATER_CYCLES
    cycles: int | None = None
    end: date | None = None

    def phase(self, cycle: int) -> CyclePhase:
        return self.first if cycle == 1 else self.later


@dataclass(frozen=True)
class LoadingRegimen:
    """Loading doses then maintenance doses, usually given at a clinic (tofersen).

    Dose 1 is due on ``start``. Dose n is due ``loading_interval_days`` (while n is a
    loading dose) or ``maintenance_interval_days`` after the day dose n-1 was **actually
    given**, or after its due day if it has not been given. Labels: "loading 2 of 3",
    "maintenance".
    """

    kind: ClassVar[RegimenKind] = RegimenKind.LOADING
    start: date
    time: TimeOfDay  # (``time`` here would name this field, not the type)
    loading_doses: int = 3
    loading_interval_days: int = 14
    maintenance_interval_days: int = 28
    end: date | None = None

    @property
    def times(self) -> tuple[TimeOfDay, ...]:
        return (self.time,)

    def interval_before(self, number: int) -> int:
        """Days between dose ``number - 1`` and dose ``number``."""
        return (self.loading_interval_days if number <= self.loading_doses
                else self.maintenance_interval_days)

    def label(self, number: int) -> str:
        if number <= self.loading_doses:
            return f"loading {number} of {self.loading_doses}"
        return "maintenance"


@dataclass(frozen=True)
class AsNeededRegimen:
    """As needed (PRN): no due times. At least ``min_interval`` between doses and at most
    ``max_per_24h`` doses in any rolling 24 hours (``None``: no daily maximum)."""

    kind: ClassVar[RegimenKind] = RegimenKind.AS_NEEDED
    start: date
    min_interval: timedelta
    max_per_24h: int | None = None
    end: date | None = None

    @property
    def times(self) -> tuple[time, ...]:
        return ()


@dataclass(frozen=True)
class DoseStep:
    """One step of a titration or taper: from ``start`` to ``end`` (inclusive; ``None`` =
    open-ended, only for the last step), ``dose`` at each of ``times`` every day."""

    start: date
    dose: Dose
    times: tuple[time, ...]
    end: date | None = None


@dataclass(frozen=True)
class StepsRegimen:
    """Dose steps over time (titration or taper), in date order, without overlaps."""

    kind: ClassVar[RegimenKind] = RegimenKind.STEPS
    steps: tuple[DoseStep, ...]

    @property
    def start(self) -> date:
        return self.steps[0].start

    @property
    def end(self) -> date | None:
        return self.steps[-1].end

    @property
    def times(self) -> tuple[time, ...]:
        return tuple(sorted({t for s in self.steps for t in s.times}))

    def step_on(self, day: date) -> tuple[int, DoseStep] | None:
        """(1-based number, step) in effect on ``day``, or None between or after steps."""
        for number, step in enumerate(self.steps, start=1):
            if step.start <= day and (step.end is None or day <= step.end):
                return number, step
        return None


Regimen = (DailyRegimen | WeekdaysRegimen | IntervalRegimen | CycleRegimen | LoadingRegimen
           | AsNeededRegimen | StepsRegimen)

SCHEDULED_KINDS = frozenset(RegimenKind) - {RegimenKind.AS_NEEDED}


@dataclass(frozen=True)
class CycleShift:
    """A delay in a cycle regimen, kept on the medicine (shared by all its versions).

    From the first cycle dose due on or after ``from_date``, doses move ``days`` later.
    ``carry``: later cycles move with it (otherwise only the rest of that cycle moves,
    which must still fit in its dosing window). ``days=None`` means the cycle is on hold
    from ``from_date`` until it is resumed (see ``medicines.resume_cycle``): no cycle doses
    are due from then on.
    """

    from_date: date
    days: int | None
    carry: bool = True
    reason: str = ""
    id: int | None = None

    @property
    def on_hold(self) -> bool:
        return self.days is None


def shift_order(shift: CycleShift) -> tuple[date, bool, int]:
    """Sort key: by date, then in the order entered (unsaved ones last)."""
    return (shift.from_date, shift.id is None, shift.id or 0)


# ---- Checks


def _times_problem(times: tuple[time, ...], field_name: str = "times") -> dict[str, str]:
    if not times:
        return {field_name: "Add at least one time of day."}
    if len(times) > MAX_TIMES_PER_DAY:
        return {field_name: f"Use at most {MAX_TIMES_PER_DAY} times a day."}
    if len(set(times)) != len(times):
        return {field_name: "Each time may appear only once."}
    if any(t.second or t.microsecond or t.tzinfo for t in times):
        return {field_name: "Give times in hours and minutes only."}
    return {}


def _dates_problem(start: date | None, end: date | None) -> dict[str, str]:
    if start is None:
        return {"regimen_start": "Enter the date the schedule starts."}
    if day_problem(start):
        return {"regimen_start": day_problem(start) or ""}
    if end is not None and day_problem(end):
        return {"regimen_end": day_problem(end) or ""}
    if end is not None and end < start:
        return {"regimen_end": "The end date cannot be before the start date."}
    return {}


def _positive(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def validate_regimen(regimen: Regimen) -> Regimen:
    """Return ``regimen`` with its times sorted, or raise ValidationError naming each field.

    Field names: ``times``, ``weekdays``, ``every``, ``first_cycle``, ``later_cycles``,
    ``cycles``, ``loading_doses``, ``loading_interval``, ``maintenance_interval``,
    ``min_interval``, ``max_per_24h``, ``steps``, ``regimen_start``, ``regimen_end``.
    """
    errors: dict[str, str] = {}
    if isinstance(regimen, StepsRegimen):
        return _validate_steps(regimen)
    errors.update(_dates_problem(regimen.start, regimen.end))
    if isinstance(regimen, DailyRegimen | WeekdaysRegimen | IntervalRegimen | CycleRegimen):
        errors.update(_times_problem(regimen.times))
    if isinstance(regimen, WeekdaysRegimen):
        if not regimen.weekdays:
            errors["weekdays"] = "Choose at least one day of the week."
        elif not all(_positive(d, 0, 6) for d in regimen.weekdays):
            errors["weekdays"] = "Days of the week run from Monday to Sunday."
    elif isinstance(regimen, IntervalRegimen):
        if not _positive(regimen.every, 1, MAX_INTERVAL):
            errors["every"] = f"Enter a whole number from 1 to {MAX_INTERVAL}."
    elif isinstance(regimen, CycleRegimen):
        for name, phase in (("first_cycle", regimen.first), ("later_cycles", regimen.later)):
            if not (_positive(phase.length, 1, MAX_CYCLE_LENGTH)
                    and _positive(phase.window, 1, phase.length)
                    and _positive(phase.doses, 1, phase.window)):
                errors[name] = ("Dose days must fit in the dosing period, and the dosing "
                                "period in the cycle.")
        if regimen.cycles is not None and not _positive(regimen.cycles, 1, 1000):
            errors["cycles"] = "Enter how many cycles, or leave it open."
    elif isinstance(regimen, LoadingRegimen):
        errors.update(_times_problem((regimen.time,), "times"))
        if not _positive(regimen.loading_doses, 0, 20):
            errors["loading_doses"] = "Enter the number of loading doses (0 to 20)."
        if not _positive(regimen.loading_interval_days, 1, MAX_INTERVAL):
            errors["loading_interval"] = "Enter the days between loading doses."
        if not _positive(regimen.maintenance_interval_days, 1, MAX_INTERVAL):
            errors["maintenance_interval"] = "Enter the days between maintenance doses."
    elif isinstance(regimen, AsNeededRegimen):
        minutes = regimen.min_interval.total_seconds() / 60
        if minutes < 0 or minutes != int(minutes) or minutes > 7 * 24 * 60:
            errors["min_interval"] = "Enter the shortest time between doses (up to 7 days)."
        if regimen.max_per_24h is not None and not _positive(regimen.max_per_24h, 1, 48):
            errors["max_per_24h"] = "Enter the most doses allowed in 24 hours (1 to 48)."
    if errors:
        raise ValidationError(errors)
    if isinstance(regimen, DailyRegimen | WeekdaysRegimen | IntervalRegimen | CycleRegimen):
        return replace(regimen, times=tuple(sorted(regimen.times)))
    return regimen


def _validate_steps(regimen: StepsRegimen) -> StepsRegimen:
    if not regimen.steps:
        raise ValidationError({"steps": "Add at least one dose step."})
    errors: dict[str, str] = {}
    steps = []
    previous: DoseStep | None = None
    for number, step in enumerate(regimen.steps, start=1):
        problem = (_dates_problem(step.start, step.end) or _times_problem(step.times)
                   or dose_problem(step.dose))
        if problem:
            errors["steps"] = f"Step {number}: {next(iter(problem.values()))}"
            break
        if previous is not None:
            if previous.end is None:
                errors["steps"] = f"Step {number - 1} needs an end date, since a step follows it."
                break
            if step.start <= previous.end:
                errors["steps"] = f"Step {number} must start after step {number - 1} ends."
                break
        steps.append(DoseStep(step.start, step.dose, tuple(sorted(step.times)), step.end))
        previous = step
    if errors:
        raise ValidationError(errors)
    return StepsRegimen(tuple(steps))


def same_course(a: Regimen, b: Regimen) -> bool:
    """True when ``b`` continues ``a``'s course: same kind, start and counting pattern.

    A new medicine version may change times, dose, form or route and still continue the
    course (cycle numbers and loading doses go on). Changing the pattern needs a new course
    (a new start date from the version's first day), so occurrence keys stay unique.
    """
    if type(a) is not type(b) or a.start != b.start:
        return False
    if isinstance(a, CycleRegimen) and isinstance(b, CycleRegimen):
        return (a.first, a.later, a.cycles) == (b.first, b.later, b.cycles)
    if isinstance(a, LoadingRegimen) and isinstance(b, LoadingRegimen):
        return ((a.loading_doses, a.loading_interval_days, a.maintenance_interval_days)
                == (b.loading_doses, b.loading_interval_days, b.maintenance_interval_days))
    return True


# ---- Plain words


def _times_text(times: tuple[time, ...]) -> str:
    parts = [t.strftime("%H:%M") for t in times]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _phase_text(phase: CyclePhase) -> str:
    off = phase.length - phase.window
    if phase.doses == phase.window:
        return f"daily for {phase.doses} days, then {off} days off"
    return f"on {phase.doses} of {phase.window} days, then {off} days off"


def describe_regimen(regimen: Regimen) -> str:
    """One line in plain words, e.g. "Every day at 08:00 and 20:00"."""
    if isinstance(regimen, DailyRegimen):
        return f"Every day at {_times_text(regimen.times)}"
    if isinstance(regimen, WeekdaysRegimen):
        days = ", ".join(WEEKDAY_NAMES[d] for d in sorted(regimen.weekdays))
        return f"{days} at {_times_text(regimen.times)}"
    if isinstance(regimen, IntervalRegimen):
        unit = "day" if regimen.unit is IntervalUnit.DAYS else "week"
        every = f"Every {unit}" if regimen.every == 1 else f"Every {regimen.every} {unit}s"
        return f"{every} at {_times_text(regimen.times)}"
    if isinstance(regimen, CycleRegimen):
        text = (f"Cycle 1: {_phase_text(regimen.first)}; later cycles: "
                f"{_phase_text(regimen.later)}; at {_times_text(regimen.times)}")
        return text if regimen.cycles is None else f"{text} ({regimen.cycles} cycles)"
    if isinstance(regimen, LoadingRegimen):
        return (f"{regimen.loading_doses} loading doses {regimen.loading_interval_days} days "
                f"apart, then one every {regimen.maintenance_interval_days} days")
    if isinstance(regimen, AsNeededRegimen):
        text = f"As needed, at least {describe_duration(regimen.min_interval)} apart"
        if regimen.max_per_24h is not None:
            text += f", no more than {regimen.max_per_24h} in 24 hours"
        return text
    if isinstance(regimen, StepsRegimen):
        parts = []
        for step in regimen.steps:
            until = f" until {describe_day(step.end)}" if step.end else ""
            parts.append(f"{step.dose.describe()} at {_times_text(step.times)} from "
                         f"{describe_day(step.start)}{until}")
        return "; then ".join(parts)
    raise TypeError(f"not a regimen: {regimen!r}")


# ---- Stable dictionary form (storage and export files)


def _t(value: time) -> str:
    return value.strftime("%H:%M")


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _phase_dict(phase: CyclePhase) -> dict[str, int]:
    return {"doses": phase.doses, "window": phase.window, "length": phase.length}


def regimen_to_dict(regimen: Regimen) -> dict[str, Any]:
    """A JSON-ready dict; ``regimen_from_dict`` reads it back to an equal regimen."""
    data: dict[str, Any] = {"kind": regimen.kind.value}
    if isinstance(regimen, StepsRegimen):
        data["steps"] = [
            {"start": _d(s.start), "end": _d(s.end), "amount": s.dose.amount,
             "unit": s.dose.unit, "times": [_t(t) for t in s.times]}
            for s in regimen.steps
        ]
        return data
    data["start"] = _d(regimen.start)
    data["end"] = _d(regimen.end)
    if isinstance(regimen, DailyRegimen | WeekdaysRegimen | IntervalRegimen | CycleRegimen):
        data["times"] = [_t(t) for t in regimen.times]
    if isinstance(regimen, WeekdaysRegimen):
        data["weekdays"] = sorted(regimen.weekdays)
    elif isinstance(regimen, IntervalRegimen):
        data["every"] = regimen.every
        data["unit"] = regimen.unit.value
    elif isinstance(regimen, CycleRegimen):
        data["first"] = _phase_dict(regimen.first)
        data["later"] = _phase_dict(regimen.later)
        data["cycles"] = regimen.cycles
    elif isinstance(regimen, LoadingRegimen):
        data["time"] = _t(regimen.time)
        data["loading_doses"] = regimen.loading_doses
        data["loading_interval_days"] = regimen.loading_interval_days
        data["maintenance_interval_days"] = regimen.maintenance_interval_days
    elif isinstance(regimen, AsNeededRegimen):
        data["min_interval_minutes"] = int(regimen.min_interval.total_seconds() // 60)
        data["max_per_24h"] = regimen.max_per_24h
    return data


def regimen_from_dict(data: dict[str, Any]) -> Regimen:
    """Read ``regimen_to_dict`` output. Raises ValueError naming what is wrong."""
    try:
        kind = RegimenKind(data["kind"])
        if kind is RegimenKind.STEPS:
            return StepsRegimen(tuple(
                DoseStep(start=date.fromisoformat(s["start"]),
                         end=date.fromisoformat(s["end"]) if s.get("end") else None,
                         dose=Dose(float(s["amount"]), str(s["unit"])),
                         times=tuple(time.fromisoformat(t) for t in s["times"]))
                for s in data["steps"]
            ))
        start = date.fromisoformat(data["start"])
        end = date.fromisoformat(data["end"]) if data.get("end") else None
        times = tuple(time.fromisoformat(t) for t in data.get("times", ()))
        if kind is RegimenKind.DAILY:
            return DailyRegimen(start=start, times=times, end=end)
        if kind is RegimenKind.WEEKDAYS:
            return WeekdaysRegimen(start=start, weekdays=frozenset(int(d) for d in
                                                                   data["weekdays"]),
                                   times=times, end=end)
        if kind is RegimenKind.INTERVAL:
            return IntervalRegimen(start=start, every=int(data["every"]), times=times,
                                   unit=IntervalUnit(data["unit"]), end=end)
        if kind is RegimenKind.CYCLE:
            return CycleRegimen(start=start, times=times, first=CyclePhase(**data["first"]),
                                later=CyclePhase(**data["later"]), cycles=data.get("cycles"),
                                end=end)
        if kind is RegimenKind.LOADING:
            return LoadingRegimen(
                start=start, time=time.fromisoformat(data["time"]), end=end,
                loading_doses=int(data["loading_doses"]),
                loading_interval_days=int(data["loading_interval_days"]),
                maintenance_interval_days=int(data["maintenance_interval_days"]))
        return AsNeededRegimen(start=start, end=end,
                               min_interval=timedelta(minutes=int(data["min_interval_minutes"])),
                               max_per_24h=data.get("max_per_24h"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed regimen {data!r}: {exc}") from exc


__all__ = [
    "EDARAVONE_FIRST_CYCLE",
    "EDARAVONE_LATER_CYCLES",
    "SCHEDULED_KINDS",
    "AsNeededRegimen",
    "CyclePhase",
    "CycleRegimen",
    "CycleShift",
    "DailyRegimen",
    "DoseStep",
    "IntervalRegimen",
    "IntervalUnit",
    "LoadingRegimen",
    "Regimen",
    "RegimenKind",
    "StepsRegimen",
    "WeekdaysRegimen",
    "describe_regimen",
    "regimen_from_dict",
    "regimen_to_dict",
    "same_course",
    "shift_order",
    "validate_regimen",
]
