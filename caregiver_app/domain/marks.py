"""What a printed medication record marks on each day: the rules, not the layout.

A nurse auditing a medication administration record (MAR) must tell a hold from a gap,
see the day a medicine starts, changes or ends, and see why a dose time moved. These are
plain functions of the records (no Qt), used by ``domain.printouts`` for the daily
checklist and the weekly record:

``held_doses(medicine, day, zone)``
    The doses that *would* be due on ``day`` but are held: the medicine is paused
    (HOLD), stopped in the last ``STOPPED_SHOWN`` days (STOPPED), its cycle is paused
    (HOLD) or a cycle dose was delayed past this day (HOLD, "delayed"). Each
    ``HeldDose`` carries the dates and the reason, and is printed in the dose's place.
``dose_marks(medicine, occurrence, day_doses)``
    NEW (its first dose day), DOSE CHANGED / CHANGED with "old → new" (the day a new
    version or dose step starts), LAST DOSE / LAST DAY (its planned end).
``clock_note(occurrence, zone)``
    The spring-forward dose given at 03:00 instead of 02:30, and the fall-back hour that
    comes twice, in words.
``started_on(medicine)``
    The real start: the regimen's own start when the medicine was begun before it was
    entered in the app.
``stock_note(forecast, day, today)``
    "Bottle opened 21 Nov · discard after 5 Dec", the reorder and run-out warnings, on
    the days they apply.
``prn_rows(regimen)``
    How many doses of an as-needed medicine its limits allow in a day: the rows its log
    needs.
``prescriber_line(medicines, names)``
    Who prescribed the medicines on a sheet, in one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.localtime import day_bounds, describe_day, resolve_wall_time, to_utc
from caregiver_app.domain.medicines import Medicine, MedicineVersion, StatusChange
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    DailyRegimen,
    Regimen,
    StepsRegimen,
    describe_regimen,
)
from caregiver_app.domain.schedule import (
    CycleDose,
    Occurrence,
    cycle_hold,
    cycle_spans,
    occurrences,
)
from caregiver_app.domain.supply import SupplyForecast
from caregiver_app.domain.vocab import MedicineStatus

#: A stopped medicine is printed in its place ("STOPPED") this many days after the stop,
#: so the sheets of the week it stopped say so; after that it is left off.
STOPPED_SHOWN = timedelta(days=7)
#: How far back ``dose_marks`` looks for an earlier dose before calling a day NEW.
NEW_LOOKBACK = timedelta(days=62)
#: Rows of an as-needed log for a medicine whose limits do not say how many a day.
PRN_ROWS_UNLIMITED = 4
ARROW = "→"


class HoldKind(StrEnum):
    PAUSED = "paused"  # the medicine is paused (status)
    STOPPED = "stopped"  # the medicine was stopped
    CYCLE_PAUSED = "cycle_paused"  # its cycle is on hold until resumed
    DELAYED = "delayed"  # a cycle dose was moved past this day

    @property
    def word(self) -> str:
        """What the sheet prints in the dose's box."""
        return "STOPPED" if self is HoldKind.STOPPED else "HOLD"


@dataclass(frozen=True)
class HeldDose:
    """A dose that would be due but is held: printed in its place, never left out."""

    occurrence: Occurrence  # as it would have been due
    medicine: Medicine
    kind: HoldKind
    since: date  # the first day held (the stop's, the pause's or the delayed dose's)
    until: date | None = None  # the last day held, when the record says (a resume)
    reason: str = ""

    @property
    def word(self) -> str:
        return self.kind.word

    def describe(self) -> str:
        """"HOLD from 8 Dec 2026: Low sodium: hold until review. Do not give."."""
        if self.kind is HoldKind.STOPPED:
            text = f"STOPPED on {describe_day(self.since)}"
        elif self.kind is HoldKind.DELAYED:
            until = self.until or self.since
            moved = until + timedelta(days=1)
            text = (f"HOLD: delayed to {describe_day(moved)}" if until == self.since else
                    f"HOLD from {describe_day(self.since)} to {describe_day(until)}: "
                    f"delayed to {describe_day(moved)}")
        else:
            what = "cycle paused" if self.kind is HoldKind.CYCLE_PAUSED else "paused"
            text = f"HOLD ({what}) from {describe_day(self.since)}"
            text += (f" to {describe_day(self.until)}" if self.until is not None
                     else ", until restarted")
        reason = " ".join(self.reason.split()).rstrip(".")
        return f"{text}: {reason}. Do not give." if reason else f"{text}. Do not give."


@dataclass(frozen=True)
class Mark:
    """A word in capitals for the dose's row ("NEW", "DOSE CHANGED") and what it means
    ("1 tablet → 2 tablets")."""

    word: str
    text: str = ""

    def describe(self) -> str:
        return f"{self.word}: {self.text}" if self.text else self.word


# ---- Held doses


def held_doses(medicine: Medicine, day: date, zone: ZoneInfo) -> list[HeldDose]:
    """The doses of ``medicine`` that would be due on local ``day`` but are held (by a
    pause, a stop in the last ``STOPPED_SHOWN``, a paused cycle or a cycle delay), in
    time order."""
    found = _status_holds(medicine, day, zone)
    taken = {h.occurrence.key for h in found}
    found += [h for h in _cycle_holds(medicine, day, zone) if h.occurrence.key not in taken]
    found.sort(key=lambda h: (h.occurrence.due, h.occurrence.key))
    return found


def _status_holds(medicine: Medicine, day: date, zone: ZoneInfo) -> list[HeldDose]:
    if not medicine.status_history:
        return []
    start, end = day_bounds(day, zone)
    if medicine.is_active_at(start) and not any(start <= to_utc(c.at) < end
                                                for c in medicine.status_history):
        return []
    always = replace(medicine, status_history=())
    held = []
    for occ in occurrences(always, start, end, zone):
        change = medicine.status_change_at(occ.due)
        if change is None or change.status is MedicineStatus.ACTIVE:
            continue
        since = to_utc(change.at).astimezone(zone).date()
        if change.status is MedicineStatus.STOPPED:
            if to_utc(occ.due) - to_utc(change.at) > STOPPED_SHOWN:
                continue
            held.append(HeldDose(occ, medicine, HoldKind.STOPPED, since, None, change.reason))
            continue
        held.append(HeldDose(occ, medicine, HoldKind.PAUSED, since,
                             _resumed(medicine.status_history, change, zone), change.reason))
    return held


def _resumed(history: Sequence[StatusChange], change: StatusChange,
             zone: ZoneInfo) -> date | None:
    """The last day of a pause: the day before the change that ended it (None: open)."""
    later = [c for c in history if to_utc(c.at) > to_utc(change.at)]
    if not later:
        return None
    ends = to_utc(later[0].at).astimezone(zone)
    last = ends.date()
    return last - timedelta(days=1) if ends.time() == time() else last


def _cycle_holds(medicine: Medicine, day: date, zone: ZoneInfo) -> list[HeldDose]:
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
    # a delay or pause that took this day's dose away (worked out once for the days
    # around it, not again for each day and each shift since the course began)
    hold = cycle_hold(regimen, shifts, day)
    if hold is None:
        return []
    shift = hold.shift
    if shift.on_hold:
        return _held_cycle_doses(medicine, version, hold.planned, zone,
                                 HoldKind.CYCLE_PAUSED, hold.first, None, shift.reason)
    assert shift.days is not None
    last = hold.first + timedelta(days=shift.days - 1)
    return _held_cycle_doses(medicine, version, hold.planned, zone, HoldKind.DELAYED,
                             hold.first, last, shift.reason)


def _held_cycle_doses(medicine: Medicine, version: MedicineVersion, planned: CycleDose,
                      zone: ZoneInfo, kind: HoldKind, since: date, until: date | None,
                      reason: str) -> list[HeldDose]:
    held = []
    for at in version.regimen.times:
        wall = datetime.combine(planned.day, at)
        due = resolve_wall_time(wall, zone)
        if not medicine.is_active_at(due):
            continue  # a pause of the medicine itself says so already
        occ = Occurrence(medicine_id=medicine.id, key=wall.isoformat(timespec="minutes"),
                         due=due, local=due.astimezone(zone), nominal=wall,
                         dose=version.dose, version=version, label=planned.label)
        held.append(HeldDose(occ, medicine, kind, since, until, reason))
    return held


# ---- Marks on a due dose


def started_on(medicine: Medicine) -> date:
    """The day the medicine really began: its first schedule's own start, which is
    earlier than the medicine's start date when it was begun before it was entered in the
    app (riluzole taken for months)."""
    return medicine.versions[0].regimen.start if medicine.versions else medicine.start_date


def dose_marks(medicine: Medicine, occurrence: Occurrence, day_doses: Sequence[Occurrence],
               zone: ZoneInfo) -> list[Mark]:
    """NEW, DOSE CHANGED / CHANGED (with old → new) and LAST DOSE / LAST DAY for one due
    dose; ``day_doses`` are the same medicine's doses that day (for LAST DOSE)."""
    day = occurrence.nominal.date()
    marks = []
    if _is_first_dose_day(medicine, day, zone):
        marks.append(Mark("NEW", "first day"))
    else:
        change = change_on(medicine, day)
        if change is not None:
            marks.append(change)
    last = last_day(medicine)
    if last is not None and day == last:
        latest = max(day_doses, key=lambda o: to_utc(o.due), default=occurrence)
        if latest.key == occurrence.key:
            marks.append(Mark("LAST DOSE", f"the course ends {describe_day(last)}"))
        else:
            marks.append(Mark("LAST DAY", f"the course ends {describe_day(last)}"))
    return marks


def _is_first_dose_day(medicine: Medicine, day: date, zone: ZoneInfo) -> bool:
    begun = started_on(medicine)
    if day < begun or day - begun > NEW_LOOKBACK:
        return False
    if begun < medicine.start_date:
        return False  # begun before the app kept its doses: not new here
    start = day_bounds(begun, zone)[0]
    end = day_bounds(day, zone)[0]
    always = replace(medicine, status_history=())
    return not occurrences(always, start, end, zone)


def last_day(medicine: Medicine) -> date | None:
    """The planned last day of the medicine: its end date, or the end of its last
    version's schedule (a course or a taper that ends), whichever comes first."""
    ends = [medicine.end_date] if medicine.end_date else []
    if medicine.versions:
        regimen = medicine.versions[-1].regimen
        if not isinstance(regimen, AsNeededRegimen) and regimen.end is not None:
            ends.append(regimen.end)
    return min(ends) if ends else None


def change_on(medicine: Medicine, day: date) -> Mark | None:
    """DOSE CHANGED (or CHANGED when only the form, route or times change) on the day a
    new version or a new dose step starts, with what it was and what it is now."""
    new = medicine.version_on(day)
    old = medicine.version_on(day - timedelta(days=1))
    if new is None or old is None:
        return None
    before, after = _given(old, day - timedelta(days=1)), _given(new, day)
    if before is None or after is None or before == after:
        return None
    if new is old and not isinstance(new.regimen, StepsRegimen):
        return None
    was, now = [], []
    dose_changed = before[0] != after[0] or before[1] != after[1]
    for a, b in zip(before, after, strict=True):
        if a != b:
            was.append(a)
            now.append(b)
    word = "DOSE CHANGED" if dose_changed else "CHANGED"
    def words(parts: list[str]) -> str:
        return ", ".join(parts).replace(", at ", " at ")

    return Mark(word, f"{words(was)} {ARROW} {words(now)}")


def _given(version: MedicineVersion, day: date) -> tuple[str, ...] | None:
    """(dose, strength, form, route, times) as printed, on ``day``."""
    regimen = version.regimen
    dose: Dose = version.dose
    times = ""
    if isinstance(regimen, StepsRegimen):
        step = regimen.step_on(day)
        if step is None:
            return None
        dose = step[1].dose
        times = f"at {_times(step[1].times)}"
    else:
        times = schedule_words(regimen)
    return (dose.describe(), version.strength, version.form.label, version.route.label,
            times)


def schedule_words(regimen: Regimen) -> str:
    """When a regimen gives doses: "at 08:00 and 20:00" for every day, else in words
    ("Mon, Wed and Fri at 08:00")."""
    if isinstance(regimen, DailyRegimen):
        return f"at {_times(regimen.times)}"
    return describe_regimen(regimen)


def _times(times: Iterable[time]) -> str:
    parts = [f"{t:%H:%M}" for t in times]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# ---- Where a cycle course is now


@dataclass(frozen=True)
class CycleNow:
    """The cycle in force on a day, after its delays: its number, its dose days, and
    when the next cycle starts (None: no more cycles, or paused)."""

    number: int
    first: date
    last: date
    doses: int
    next_start: date | None
    paused_since: date | None = None


def cycle_now(medicine: Medicine, regimen: CycleRegimen, today: date) -> CycleNow | None:
    """The cycle ``today`` falls in (the latest that has begun), or the first one when
    none has begun yet; None when the course has no dose days at all."""
    shifts = medicine.course_shifts(regimen)
    # the cycles of the plan up to 400 days on, from a plan kept for the days around
    # ``today`` (not the course planned again from its start: years of edaravone)
    cycles = cycle_spans(regimen, shifts, today + timedelta(days=400))
    current = cycles.latest_begun(today) or cycles.first()
    if current is None:
        return None
    hold = next((s for s in shifts if s.on_hold), None)
    paused = None
    if hold is not None and hold.from_date <= today:
        paused = hold.from_date
    return CycleNow(current.number, current.first, current.last, current.doses,
                    cycles.next_start(current), paused)


# ---- Clock changes


def clock_note(occurrence: Occurrence, zone: ZoneInfo) -> str:
    """Why a dose's time moved: "Clocks go forward: the 02:30 dose is given at 03:00
    (02:30 does not exist tonight)"; or, when its time comes twice, which one."""
    nominal = occurrence.nominal
    local = to_utc(occurrence.due).astimezone(zone)
    if (local.hour, local.minute) != (nominal.hour, nominal.minute):
        return (f"Clocks go forward: the {nominal:%H:%M} dose is given at {local:%H:%M} "
                f"({nominal:%H:%M} does not exist tonight)")
    first = nominal.replace(tzinfo=zone, fold=0).utcoffset()
    second = nominal.replace(tzinfo=zone, fold=1).utcoffset()
    if first != second:
        return (f"Clocks go back: {nominal:%H:%M} comes twice tonight; give this dose once, "
                f"at the first {nominal:%H:%M}")
    return ""


# ---- Stock and the bottle in use


def stock_note(forecast: SupplyForecast | None, day: date, today: date) -> str:
    """What the sheet of ``day`` says about the bottle in use and the stock, "" when
    nothing applies: the bottle's dates while it is in use (its last day, and DISCARD
    past it); on sheets from today on, the reorder warning from the reorder date and,
    from the forecast run-out day, that the stock may have run out."""
    return period_stock_note(forecast, day, day, today)


def period_stock_note(forecast: SupplyForecast | None, first: date, last: date,
                      today: date) -> str:
    """``stock_note`` for the days ``first`` to ``last`` (a weekly record)."""
    if forecast is None:
        return ""
    parts = []
    opened, discard = forecast.opened_on, forecast.discard_by
    if discard is not None and (opened is None or opened <= last):
        since = f"opened {_short(opened)}" if opened else "in use"
        if first == last == discard:
            parts.append(f"Bottle {since}: LAST DAY, discard after today")
        elif first <= discard:
            parts.append(f"Bottle {since} · discard after {_short(discard)}")
        else:
            parts.append(f"DISCARD the bottle {since} (use by {_short(discard)}): start a "
                         "new one and record it in the app")
    run_out, reorder = forecast.run_out, forecast.reorder_on
    if run_out is not None and last >= today:
        if last >= run_out:
            parts.append(f"Stock runs out about {_short(run_out)}: check it")
        elif reorder is not None and last >= reorder:
            parts.append(f"Reorder: stock runs out about {_short(run_out)}")
    return " · ".join(parts)


def _short(day: date | None) -> str:
    return describe_day(day, year=False) if day is not None else ""


# ---- As-needed logs


def prn_rows(regimen: AsNeededRegimen | None) -> int:
    """Doses an as-needed medicine's limits allow in one day (the rows of its log): its
    most in 24 hours, else as many as its shortest gap allows, else
    ``PRN_ROWS_UNLIMITED``."""
    if regimen is None:
        return PRN_ROWS_UNLIMITED
    if regimen.max_per_24h:
        return regimen.max_per_24h
    gap = regimen.min_interval.total_seconds()
    if gap > 0:
        return max(1, int(timedelta(days=1).total_seconds() // gap))
    return PRN_ROWS_UNLIMITED


# ---- Prescribers


def prescriber_line(medicines: Iterable[Medicine], names: Mapping[int, str]) -> str:
    """"Prescriber: Dr. Ada Lee (all)" or "Prescribers: Dr. Ada Lee: riluzole,
    edaravone · Dr. Bo Kim: baclofen · not recorded: quinine" ("" with no medicines)."""
    by: dict[str, list[str]] = {}
    for medicine in medicines:
        name = names.get(medicine.prescriber_id, "") if medicine.prescriber_id else ""
        listed = by.setdefault(name, [])
        if medicine.generic_name not in listed:
            listed.append(medicine.generic_name)
    if not by:
        return ""
    if len(by) == 1:
        (name,) = by
        return f"Prescriber: {name} (all)" if name else "Prescriber: not recorded"
    order = sorted(by, key=lambda n: (not n, n.casefold()))
    parts = [f"{n or 'not recorded'}: {', '.join(by[n])}" for n in order]
    return "Prescribers: " + " · ".join(parts)


__all__ = [
    "STOPPED_SHOWN",
    "CycleNow",
    "HeldDose",
    "HoldKind",
    "Mark",
    "change_on",
    "clock_note",
    "cycle_now",
    "dose_marks",
    "held_doses",
    "last_day",
    "period_stock_note",
    "prescriber_line",
    "prn_rows",
    "schedule_words",
    "started_on",
    "stock_note",
]
