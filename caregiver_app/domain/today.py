"""What the Today tab says about each dose, in plain words. Pure functions, no Qt.

- ``day_part(time)``: morning / midday / evening / night, and ``group_by_part`` to cut a
  day's doses into consecutive sections in time order.
- ``dose_instructions(status, now, zone)``: the instructions that matter *now* for one
  due dose: its place in a course ("cycle 2, day 6 of 10"), the food rule as clock times
  ("Empty stomach: no food from 06:00 until 09:00"), "Do not crush", "Flush tube 30 mL
  before and after", "Given at the clinic".
- ``dose_look(status, now, ...)``: the state as a ``Look`` (kind for the colour, a
  symbol, and text such as "Given at 08:05 by TE (late)" or "Skipped: refused"), so the
  state never depends on colour alone.
- ``header_summary(view)``: "2 overdue · Next: 14:00 baclofen"; ``day_summary`` adds
  what is left over from yesterday, ``day_note`` says what the day shown holds, and
  ``notice_lines`` the appointments coming and the stock warnings under it.
- ``supply_warning(medicine, forecast, today)``: "Reorder riluzole: runs out Thu 3 Dec".
- ``next_change(view, policy)``: the next moment anything on the day changes on its own
  (a dose becomes overdue, then missed; an as-needed dose becomes possible; midnight),
  so a view can refresh exactly then instead of polling (``next_refresh`` adds the
  snoozes).

Food rules: for both "empty stomach" (give at least ``before`` minutes before food or
``after`` minutes after it) and "fasting" (no food ``before`` minutes before and ``after``
minutes after the dose), the caregiver's question is the same: from when until when must
the patient not eat? ``food_window`` answers it for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.as_needed import PrnStatus
from caregiver_app.domain.dayview import DayView, ExtraDose
from caregiver_app.domain.doses import (
    DUE_NOW,
    DoseEntry,
    DosePolicy,
    DoseState,
    DoseStatus,
    EntryKind,
    Timing,
)
from caregiver_app.domain.localtime import day_bounds, describe_duration, to_utc, weekday_date
from caregiver_app.domain.medicines import GivenBy, Medicine
from caregiver_app.domain.patient import Caregiver
from caregiver_app.domain.regimens import AsNeededRegimen
from caregiver_app.domain.supply import SupplyForecast
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, MedicineStatus

# ---- Parts of the day


class DayPart(StrEnum):
    NIGHT_EARLY = "night_early"  # 00:00-04:59, shown first
    MORNING = "morning"  # 05:00-11:59
    MIDDAY = "midday"  # 12:00-16:59
    EVENING = "evening"  # 17:00-20:59
    NIGHT = "night"  # 21:00-23:59

    @property
    def label(self) -> str:
        return _PART_LABELS[self]


_PART_LABELS = {
    DayPart.NIGHT_EARLY: "Night (after midnight)",
    DayPart.MORNING: "Morning",
    DayPart.MIDDAY: "Midday",
    DayPart.EVENING: "Evening",
    DayPart.NIGHT: "Night",
}


def day_part(moment: time) -> DayPart:
    """The part of the day a local wall-clock time belongs to."""
    hour = moment.hour
    if hour < 5:
        return DayPart.NIGHT_EARLY
    if hour < 12:
        return DayPart.MORNING
    if hour < 17:
        return DayPart.MIDDAY
    if hour < 21:
        return DayPart.EVENING
    return DayPart.NIGHT


def group_by_part(doses: Iterable[DoseStatus]) -> list[tuple[DayPart, list[DoseStatus]]]:
    """Doses (already in time order) cut into sections by part of the day, in order."""
    groups: list[tuple[DayPart, list[DoseStatus]]] = []
    for dose in doses:
        part = day_part(dose.occurrence.local.time())
        if groups and groups[-1][0] is part:
            groups[-1][1].append(dose)
        else:
            groups.append((part, [dose]))
    return groups


# ---- Instructions


def food_window(rule: FoodRule) -> tuple[timedelta, timedelta] | None:
    """(no food for this long before the dose, and this long after it), or None."""
    if rule.kind is FoodRuleKind.EMPTY_STOMACH:
        # "at least 1 hour before or 2 hours after food": no food in the 2 hours before
        # the dose, nor in the hour after it.
        before = timedelta(minutes=rule.after_minutes)
        after = timedelta(minutes=rule.before_minutes)
    elif rule.kind is FoodRuleKind.FASTING:
        before = timedelta(minutes=rule.before_minutes)
        after = timedelta(minutes=rule.after_minutes)
    else:
        return None
    if not before and not after:
        return None
    return before, after


def food_instruction(rule: FoodRule, status: DoseStatus, now: datetime, zone: ZoneInfo) -> str:
    """The food rule as clock times for this dose ("" when nothing about food matters now).

    Due later: "Empty stomach: no food from 06:00 until 09:00". Due now or overdue, as
    a check and then what giving it means: "Empty stomach: check nothing was eaten since
    06:35; if given now, no food until 09:35" (no line that starts "give now" to a quick
    glance or a screen reader cut short). Given: "No food until 09:05" while that is
    still ahead. Nothing for skipped or missed doses.
    """
    now = to_utc(now)
    if rule.kind is FoodRuleKind.WITH_FOOD:
        return "Give with food" if status.state is DoseState.DUE else ""
    window = food_window(rule)
    if window is None:
        return ""
    before, after = window
    word = "Empty stomach" if rule.kind is FoodRuleKind.EMPTY_STOMACH else "Fasting"
    due = status.occurrence.due
    if status.state is DoseState.GIVEN:
        given_at = status.effective.given_at if status.effective else None
        if given_at is None or not after or to_utc(given_at) + after <= now:
            return ""
        return f"No food until {_clock(to_utc(given_at) + after, zone, now)}"
    if status.state is not DoseState.DUE:
        return ""
    if due > now:
        start = _since(due - before, due, zone, now)
        if before and after:
            return f"{word}: no food from {start} until {_clock(due + after, zone, now)}"
        if before:
            return f"{word}: no food from {start} until the dose"
        return f"{word}: no food until {_clock(due + after, zone, now)}"
    # Due now or overdue: a check (has the patient eaten since then?) and what follows.
    until = f"no food until {_clock(now + after, zone, now)}" if after else ""
    if not before:
        return f"{word}: if given now, {until}"
    check = f"check nothing was eaten since {_since(now - before, now, zone, now)}"
    return f"{word}: {check}; if given now, {until}" if after else f"{word}: {check}"


def dose_instructions(status: DoseStatus, now: datetime, zone: ZoneInfo) -> tuple[str, ...]:
    """The short instructions that matter now for one due dose (may be empty).

    A dose still to give gets every instruction; a recorded one only its place in a
    course and a food wait still in force.
    """
    occ = status.occurrence
    version = occ.version
    parts: list[str] = []
    if occ.label:
        parts.append(occ.label[0].upper() + occ.label[1:])
    food = food_instruction(status.medicine.food_rule, status, now, zone)
    if food:
        parts.append(food)
    if status.state is DoseState.DUE:
        if status.medicine.given_by is GivenBy.CLINIC:
            parts.append("Given at the clinic")
        if version.do_not_crush:
            parts.append("Do not crush or chew")
        if version.flush_ml:
            parts.append(f"Flush tube {version.flush_ml} mL before and after")
    return tuple(parts)


def prn_instructions(status: PrnStatus) -> tuple[str, ...]:
    """The limits of an as-needed medicine: "At least 4 hours apart", "Up to 3 in 24 hours"."""
    regimen = status.regimen
    if regimen is None:
        version = status.medicine.versions[-1]
        regimen = version.regimen if isinstance(version.regimen, AsNeededRegimen) else None
    parts = []
    if status.medicine.purpose:
        parts.append(f"For {status.medicine.purpose[0].lower()}{status.medicine.purpose[1:]}")
    if regimen is not None:
        if regimen.min_interval:
            parts.append(f"At least {describe_duration(regimen.min_interval, short=True)} apart")
        if regimen.max_per_24h:
            parts.append(f"Up to {regimen.max_per_24h} in 24 hours")
    return tuple(parts)


# ---- States


class LookKind(StrEnum):
    """What colour a state is shown in; always paired with a symbol and words."""

    PLANNED = "planned"
    DUE = "due"
    OVERDUE = "overdue"
    SNOOZED = "snoozed"
    GIVEN = "given"
    SKIPPED = "skipped"
    MISSED = "missed"
    CAN_GIVE = "can_give"
    WAIT = "wait"
    PAUSED = "paused"
    CONFLICT = "conflict"


SYMBOLS = {
    LookKind.PLANNED: "○",
    LookKind.DUE: "○",
    LookKind.OVERDUE: "⚠",
    LookKind.SNOOZED: "◷",
    LookKind.GIVEN: "✓",
    LookKind.SKIPPED: "⊘",
    LookKind.MISSED: "✗",
    LookKind.CAN_GIVE: "●",
    LookKind.WAIT: "◔",
    LookKind.PAUSED: "‖",
    LookKind.CONFLICT: "⚠",
}


@dataclass(frozen=True)
class Look:
    """How a row's state reads: its kind (the colour) and its words."""

    kind: LookKind
    text: str

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.kind]

    def __str__(self) -> str:
        return f"{self.symbol} {self.text}"


def who(caregiver_id: int | None, initials: Mapping[int, str]) -> str:
    if caregiver_id is None:
        return ""
    return initials.get(caregiver_id, f"caregiver {caregiver_id}")


def entry_text(entry: DoseEntry, zone: ZoneInfo, now: datetime,
               initials: Mapping[int, str]) -> str:
    """One record in words: "given at 08:05 by TE", "skipped: refused (felt sick)"."""
    if entry.kind is EntryKind.GIVEN and entry.given_at is not None:
        text = f"given at {_clock(entry.given_at, zone, now)}"
        by = who(entry.caregiver_id, initials)
        if by:
            text += f" by {by}"
        if entry.amount is not None:
            text += f", {entry.amount.describe()}"
    elif entry.kind is EntryKind.SKIPPED and entry.skip_reason is not None:
        text = f"skipped: {_skip_label(entry)}"
    else:
        text = "withdrawn (entered in error)"
    if entry.note and entry.kind is not EntryKind.SKIPPED:
        text += f" ({entry.note})"
    return text


def dose_look(status: DoseStatus, now: datetime, zone: ZoneInfo,
              initials: Mapping[int, str], *, planned: bool = False,
              snoozed_until: datetime | None = None) -> Look:
    """The state of a due dose as colour kind, symbol and words.

    ``planned``: the day is in the future (nothing can be recorded yet).
    """
    now = to_utc(now)
    occ = status.occurrence
    effective = status.effective
    corrected = " (corrected)" if status.chain is not None and status.chain.corrected else ""
    if status.conflict:
        return Look(LookKind.CONFLICT, "Two records for this dose: check its history")
    if status.state is DoseState.GIVEN and effective is not None:
        assert effective.given_at is not None
        text = f"Given at {_clock(effective.given_at, zone, occ.due)}"
        by = who(effective.caregiver_id, initials)
        if by:
            text += f" by {by}"
        elif status.medicine.given_by is GivenBy.CLINIC:
            text += " at the clinic"
        if status.timing is Timing.LATE:
            text += " (late)"
        elif status.timing is Timing.EARLY:
            text += " (early)"
        return Look(LookKind.GIVEN, text + corrected)
    if status.state is DoseState.SKIPPED and effective is not None:
        return Look(LookKind.SKIPPED, f"Skipped: {_skip_label(effective)}{corrected}")
    if status.state is DoseState.MISSED:
        return Look(LookKind.MISSED, "Missed" + corrected)
    if planned:
        return Look(LookKind.PLANNED, "Planned")
    if snoozed_until is not None and to_utc(snoozed_until) > now:
        return Look(LookKind.SNOOZED, f"Snoozed until {_clock(snoozed_until, zone, now)}")
    if status.overdue:
        late = now - occ.due
        return Look(LookKind.OVERDUE, f"Overdue by {describe_duration(late, short=True)}")
    if occ.due <= now:
        return Look(LookKind.DUE, "Due now")
    until = occ.due - now
    if until <= timedelta(hours=1):
        return Look(LookKind.DUE, f"Due in {describe_duration(until, round_up=True, short=True)}")
    return Look(LookKind.DUE, "Due")


def prn_look(status: PrnStatus, zone: ZoneInfo, *, planned: bool = False) -> Look:
    if planned:
        return Look(LookKind.PLANNED, "As needed")
    if not status.active:
        return Look(LookKind.PAUSED, "Paused: not in use now")
    kind = LookKind.CAN_GIVE if status.allowed else LookKind.WAIT
    return Look(kind, status.describe(zone))


def extra_look(extra: ExtraDose, zone: ZoneInfo, now: datetime,
               initials: Mapping[int, str]) -> Look:
    entry = extra.chain.effective or extra.chain.head
    text = entry_text(entry, zone, now, initials)
    text = text[0].upper() + text[1:]
    if extra.orphan:
        text += " (no longer on the schedule)"
    return Look(LookKind.GIVEN, text)


# ---- The header line


def header_summary(view: DayView, today: date) -> str:
    """"2 overdue · Next: 14:00 baclofen" for today; counts for other days."""
    if view.day > today:
        return f"{len(view.doses)} doses planned" if view.doses else "Nothing planned"
    if view.day < today:
        given = view.count(DoseState.GIVEN)
        skipped = view.count(DoseState.SKIPPED)
        missed = view.count(DoseState.MISSED)
        parts = [f"{given} of {len(view.doses)} given"] if view.doses else ["No doses due"]
        if skipped:
            parts.append(f"{skipped} skipped")
        if missed:
            parts.append(f"{missed} missed")
        return " · ".join(parts)
    parts = []
    due_now = view.due_now
    if due_now:
        names = ", ".join(d.medicine.generic_name for d in due_now[:3])
        if len(due_now) > 3:
            names += f" and {len(due_now) - 3} more"
        parts.append(f"Due now: {names}")
    overdue = len(view.overdue)
    nxt = view.next_due
    if nxt is not None:
        same = [d for d in view.doses if d.state is DoseState.DUE
                and d.occurrence.due == nxt.occurrence.due]
        names = ", ".join(d.medicine.generic_name for d in same[:3])
        if len(same) > 3:
            names += f" and {len(same) - 3} more"
        if overdue:  # what is still to give before what is to come
            parts.append(f"{overdue} overdue")
        parts.append(f"Next: {nxt.occurrence.local:%H:%M} {names}")
    elif due_now or overdue:
        # what is still to give comes first: "No more doses due today" ahead of it
        # read as if the day were done
        if overdue:
            parts.append(f"{overdue} overdue")
        parts.append("no more doses due later today")
    elif view.doses:
        parts.append("No more doses due today")
    else:
        parts.append("No doses due today")
    missed = view.count(DoseState.MISSED)
    if missed:
        parts.append(f"{missed} missed")
    return " · ".join(parts)


def supply_warning(medicine: Medicine, forecast: SupplyForecast, today: date) -> str:
    """A reorder or throw-away warning for the header ("" when all is well)."""
    name = medicine.generic_name
    if forecast.discard_soon and forecast.discard_by is not None:
        if forecast.discard_by < today:
            return (f"{_cap(name)}: the open bottle should have been thrown away on "
                    f"{_date(forecast.discard_by, today)}")
        return f"{_cap(name)}: throw the open bottle away after {_date(forecast.discard_by, today)}"
    if forecast.needs_reorder and forecast.run_out is not None:
        if forecast.run_out <= today:
            return f"Reorder {name}: not enough left for today's doses"
        return f"Reorder {name}: runs out {_date(forecast.run_out, today)}"
    return ""


def day_summary(view: DayView, today: date, carried: Sequence[DoseStatus] = ()) -> str:
    """The header line (``header_summary``) and, for today, how many doses of the day
    before are still overdue or not recorded (``carried``: the doses shown on top)."""
    summary = header_summary(view, today)
    if view.day != today:
        return summary
    late = sum(1 for s in carried if s.overdue)
    if late:
        summary += f" · {late} overdue from yesterday"
    unrecorded = len(carried) - late
    if unrecorded:
        summary += f" · {unrecorded} not recorded from yesterday"
    return summary


def day_note(day: date, today: date) -> str:
    """What the date bar says about the day shown: today, or what a past or future day
    holds (recorded, or planned)."""
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday: what was recorded"
    if day == today + timedelta(days=1):
        return "Tomorrow: planned"
    if day < today:
        return "Past day: what was recorded"
    return "Future day: planned, nothing can be recorded yet"


def appointment_text(appointment: Appointment, zone: ZoneInfo, today: date) -> str:
    """"Tue 1 Dec 10:00 Neurology review with Dr Lee"."""
    start = to_utc(appointment.starts_at).astimezone(zone)
    day = "today" if start.date() == today else (
        "tomorrow" if start.date() == today + timedelta(days=1) else weekday_date(start))
    who = appointment.contact_name
    return f"{day} {start:%H:%M} {appointment.title()}" + (f" with {who}" if who else "")


def notice_lines(appointments: Sequence[Appointment], warnings: Iterable[str], *,
                 zone: ZoneInfo, today: date, shown: int = 3) -> list[str]:
    """The lines under the header: the first ``shown`` appointments coming (and how many
    more), then each reorder or discard warning."""
    lines = ["Appointment " + appointment_text(a, zone, today) for a in appointments[:shown]]
    if len(appointments) > shown:
        lines.append(f"and {len(appointments) - shown} more appointments this week")
    lines.extend(f"⚠ {w}" for w in warnings if w)
    return lines


def supply_horizon(medicine: Medicine) -> timedelta:
    """How far ahead the header's warning follows the doses for the run-out date: a
    stock that runs out later than the reorder days from today gives no warning
    (``supply_warning``), so it needs those days (and two more, for the time zone's
    midnight) and never the two years the Medications tab forecasts."""
    return timedelta(days=medicine.supply.reorder_days + 2)


def watch_supply(medicine: Medicine, now: datetime) -> bool:
    """Whether the header warns about this medicine's stock: it is counted and the
    medicine is not stopped."""
    return (medicine.id is not None and medicine.supply.tracked
            and medicine.status_at(now) is not MedicineStatus.STOPPED)


# ---- When the day changes on its own


def next_change(view: DayView, policy: DosePolicy) -> datetime | None:
    """The next moment after ``view.now`` when the day's states or texts change by
    themselves (a due dose becomes overdue or missed, an as-needed dose becomes possible,
    a food wait ends, "due in 5 min" ticks, midnight); None for a day in the past."""
    now = to_utc(view.now)
    start, end = day_bounds(view.day, view.zone)
    if end <= now:
        return None
    moments: list[datetime] = [end]
    for dose in view.doses:
        due = dose.occurrence.due
        if dose.state is DoseState.DUE:
            grace = policy.window(dose.medicine.given_by).grace
            moments.extend((due, due + DUE_NOW, due + grace))
            if due - timedelta(hours=1) > now:
                moments.append(due - timedelta(hours=1))
            elif due > now or now - due < timedelta(hours=1):
                moments.append(now + timedelta(minutes=1))  # the minutes tick
        elif dose.state is DoseState.GIVEN and dose.effective and dose.effective.given_at:
            window = food_window(dose.medicine.food_rule)
            if window is not None:
                moments.append(to_utc(dose.effective.given_at) + window[1])
    for prn in view.as_needed:
        if prn.check is not None and not prn.check.allowed:
            moments.append(prn.check.next_allowed)
        if prn.check is not None and prn.check.max_24h is not None:
            moments.extend(t + timedelta(hours=24) for t in prn.given_today)
    future = [m for m in moments if m > now]
    if start > now:
        future.append(start)
    return min(future) if future else None


def next_refresh(view: DayView, policy: DosePolicy,
                 snoozes: Mapping[tuple[int, str], datetime], now: datetime) -> datetime | None:
    """When the day shown must be read again by itself: its ``next_change`` or the end
    of a snooze still running, whichever comes first (None: never by itself)."""
    moments = [m for m in (next_change(view, policy),) if m is not None]
    moments.extend(until for until in snoozes.values() if until > now)
    return min(moments) if moments else None


# ---- Words


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _skip_label(entry: DoseEntry) -> str:
    reason = entry.skip_reason
    if reason is None:
        return "no reason given"
    label = reason.label if reason.value != "other" else "other"
    return f"{label} ({entry.note})" if entry.note else label


def _clock(moment: datetime, zone: ZoneInfo, reference: datetime) -> str:
    """"08:05", or "00:30 Thu 26 Nov" when not on the reference's local day."""
    local = to_utc(moment).astimezone(zone)
    text = f"{local:%H:%M}"
    if local.date() != to_utc(reference).astimezone(zone).date():
        text += f" {weekday_date(local)}"
    return text


def _since(moment: datetime, due: datetime, zone: ZoneInfo, now: datetime) -> str:
    """The start of a food window: "23:00 the night before" when it is on the eve of the
    dose, else as ``_clock``."""
    start = to_utc(moment).astimezone(zone)
    if start.date() == to_utc(due).astimezone(zone).date() - timedelta(days=1):
        return f"{start:%H:%M} the night before"
    return _clock(moment, zone, now)


def _date(day: date, today: date) -> str:
    if day == today + timedelta(days=1):
        return "tomorrow"
    return weekday_date(day, year=day.year != today.year)


def describe_when(moment: datetime, zone: ZoneInfo, reference: datetime) -> str:
    """Public form of the clock text used above ("08:05" or "00:30 Thu 26 Nov")."""
    return _clock(moment, zone, reference)


def is_unrecorded(status: DoseStatus) -> bool:
    """Past its grace period with nothing recorded (and no conflict to sort out): the
    Today tab asks what happened ("Not recorded yet")."""
    return (status.state is DoseState.MISSED and status.effective is None
            and not status.conflict)


def is_carried_over(status: DoseStatus, day_start: datetime, policy: DosePolicy) -> bool:
    """A dose of the day before that the day starting at ``day_start`` still shows (a
    23:00 dose at 00:15): still overdue, or past its grace period only since midnight
    with nothing recorded."""
    if status.overdue:
        return True
    grace = policy.window(status.medicine.given_by).grace
    return is_unrecorded(status) and status.occurrence.due + grace > day_start


def initials_of(caregivers: Sequence[Caregiver]) -> dict[int, str]:
    """id -> initials of the (saved) caregivers."""
    return {c.id: c.initials for c in caregivers if c.id is not None}


__all__ = [
    "SYMBOLS",
    "DayPart",
    "Look",
    "LookKind",
    "day_part",
    "describe_when",
    "dose_instructions",
    "dose_look",
    "entry_text",
    "extra_look",
    "food_instruction",
    "food_window",
    "group_by_part",
    "header_summary",
    "initials_of",
    "next_change",
    "prn_instructions",
    "prn_look",
    "supply_warning",
]
