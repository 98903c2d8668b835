"""Dose history as CSV and the schedule as a calendar file (.ics). Pure functions.

``dose_history_rows(days, caregivers, zone)``
    One row per due dose of each day (given, not given with the reason, missed, still
    due), then the as-needed and extra doses recorded that day, as plain dicts keyed by
    ``HISTORY_COLUMNS``. ``history_csv(rows, zone=...)`` writes them as CSV text. Each
    time is the patient's date and clock time, ``2026-11-01 01:30``, which spreadsheets
    read as a date and time (to sort, filter and format), in a column naming the zone
    ("Due (America/Chicago)"); the next column holds its offset from UTC
    ("UTC-05:00"), so the hour that repeats when the clocks go back is never ambiguous.
    Only text a spreadsheet would run as a formula is guarded (``spreadsheet_safe``).

``dose_events(statuses, household_id)``, ``appointment_events(items)``,
``calendar_ics(writes, zone, now)``
    An RFC 5545 calendar built with the ``icalendar`` library: one event per due dose,
    each with a display alarm, plus appointments. Every dose is its own event with its
    own UTC start (no recurrence rules), so edaravone cycles, delays, dose steps and
    loading doses come out exactly as the schedule engine says in every calendar app,
    and daylight-saving changes cannot move a dose. A dose's UID names the dose, not
    its time (``domain.dose_identity``), and ``domain.calendar_events.plan_export``
    chooses SEQUENCE numbers and cancellations, so a newer file moves and removes
    what an earlier one put in a calendar.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caregiver_app.domain.calendar_events import CalendarEvent, EventWrite
from caregiver_app.domain.dayview import DayView, RecordedDay
from caregiver_app.domain.dose_identity import DosePlaces, dose_uid
from caregiver_app.domain.doses import DoseState, DoseStatus, EntryKind
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.patient import Caregiver
from caregiver_app.domain.printouts import instructions

HISTORY_COLUMNS = (
    "due", "due_offset", "medicine", "strength", "dose", "route", "kind", "schedule_note",
    "state", "given_at", "given_at_offset", "given_by", "timing", "reason", "note",
    "recorded_by", "recorded_at", "recorded_at_offset", "corrected",
)
#: Column titles as written in the file's first row.
HISTORY_TITLES = {
    "due": "Due", "due_offset": "Due UTC offset", "medicine": "Medicine",
    "strength": "Strength", "dose": "Dose", "route": "Route", "kind": "Kind",
    "schedule_note": "Schedule note", "state": "State", "given_at": "Given at",
    "given_at_offset": "Given at UTC offset", "given_by": "Given by", "timing": "Timing",
    "reason": "Reason", "note": "Note", "recorded_by": "Recorded by",
    "recorded_at": "Recorded at", "recorded_at_offset": "Recorded at UTC offset",
    "corrected": "Corrected",
}
#: The columns holding a local date and time ("2026-11-01 01:30"); each is followed by
#: its ``<name>_offset`` column ("UTC-05:00").
TIME_COLUMNS = ("due", "given_at", "recorded_at")
#: The columns the app writes itself (never guarded: dates, times, offsets, words of ours).
_OWN_COLUMNS = frozenset({*TIME_COLUMNS, *(f"{c}_offset" for c in TIME_COLUMNS),
                          "kind", "state", "timing", "corrected"})
DOSE_EVENT_MINUTES = 15
#: Reminder minutes before a dose in a calendar file: as the window's dialog allows.
MAX_ALARM_MINUTES = 240
PRODID = "-//ALS Care Companion//Medicines//EN"


# ---- Dose history (CSV)


def _when(moment: datetime | None, zone: ZoneInfo) -> tuple[str, str]:
    """("2026-11-01 01:30", "UTC-05:00"): the date and clock time where the patient
    lives, and its offset from UTC (the repeated hour at the end of daylight saving reads
    twice otherwise)."""
    if moment is None:
        return "", ""
    local = to_utc(moment).astimezone(zone)
    offset = local.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    hours, rest = divmod(abs(int(offset.total_seconds())) // 60, 60)
    if local.year < 1000:  # (as strftime writes such a year)
        return f"{local:%Y-%m-%d %H:%M}", f"UTC{sign}{hours:02d}:{rest:02d}"
    # not strftime: it asks the import system for its time module at each call, a
    # tenth of a year's export (three times a row, 15,000 rows)
    return (f"{local.year}-{local.month:02d}-{local.day:02d} "
            f"{local.hour:02d}:{local.minute:02d}", f"UTC{sign}{hours:02d}:{rest:02d}")


def _times(row: dict[str, str], column: str, moment: datetime | None,
           zone: ZoneInfo) -> None:
    row[column], row[f"{column}_offset"] = _when(moment, zone)


def _person(caregivers: Mapping[int, Caregiver], caregiver_id: int | None) -> str:
    if caregiver_id is None:
        return ""
    caregiver = caregivers.get(caregiver_id)
    return caregiver.label() if caregiver else f"caregiver {caregiver_id}"


def _due_row(status: DoseStatus, caregivers: Mapping[int, Caregiver],
             zone: ZoneInfo) -> dict[str, str]:
    occ, entry = status.occurrence, status.effective
    clinic = status.medicine.given_by is GivenBy.CLINIC
    row = {
        "medicine": status.medicine.name,
        "strength": occ.strength, "dose": occ.dose.describe(), "route": occ.route.label,
        "kind": "clinic dose" if clinic else "due", "schedule_note": occ.label,
        "state": status.state.label, "given_at": "", "given_by": "", "timing": "",
        "reason": "", "note": "", "recorded_by": "", "recorded_at": "",
        "corrected": "yes" if status.chain and status.chain.corrected else "",
    }
    _times(row, "due", occ.due, zone)
    _times(row, "given_at", None, zone)
    _times(row, "recorded_at", None, zone)
    if entry is not None:
        row["note"] = entry.note
        row["recorded_by"] = _person(caregivers, entry.recorded_by_id)
        _times(row, "recorded_at", entry.recorded_at, zone)
    if status.state is DoseState.GIVEN and entry is not None:
        _times(row, "given_at", entry.given_at, zone)
        row["dose"] = entry.amount.describe() if entry.amount else row["dose"]
        row["given_by"] = _person(caregivers, entry.caregiver_id) or (
            "clinic staff" if clinic else "")
        row["timing"] = status.timing.value.replace("_", " ") if status.timing else ""
    elif status.state is DoseState.SKIPPED and entry is not None and entry.skip_reason:
        row["reason"] = entry.skip_reason.label
    return row


def dose_history_rows(days: Iterable[DayView | RecordedDay], caregivers: Mapping[int, Caregiver],
                      zone: ZoneInfo) -> list[dict[str, str]]:
    """Every due dose of ``days`` with what was recorded, then that day's other doses."""
    rows: list[dict[str, str]] = []
    for view in sorted(days, key=lambda v: v.day):
        rows.extend(_due_row(s, caregivers, zone) for s in view.doses)
        for extra in view.extra:
            entry = extra.chain.effective
            if entry is None:
                continue
            given = entry.kind is EntryKind.GIVEN
            row = {
                "medicine": extra.medicine.name,
                "strength": (extra.medicine.version_on(view.day)
                             or extra.medicine.versions[-1]).strength,
                "dose": entry.amount.describe() if entry.amount else "",
                "route": (extra.medicine.version_on(view.day)
                          or extra.medicine.versions[-1]).route.label,
                "kind": "no longer on the schedule" if extra.orphan else "as needed",
                "schedule_note": "",
                "state": "given" if given else "not given",
                "given_by": _person(caregivers, entry.caregiver_id) if given else "",
                "timing": "",
                "reason": (entry.skip_reason.label if entry.skip_reason
                           else entry.override_reason),
                "note": entry.note,
                "recorded_by": _person(caregivers, entry.recorded_by_id),
                "corrected": "yes" if extra.chain.corrected else "",
            }
            _times(row, "due", entry.due_at if extra.orphan else None, zone)
            _times(row, "given_at", entry.given_at if given else None, zone)
            _times(row, "recorded_at", entry.recorded_at, zone)
            rows.append(row)
    return rows


#: How a formula starts in Excel, LibreOffice Calc and Google Sheets (tab and carriage
#: return: Excel skips them and reads what follows).
_FORMULA_START = ("=", "@", "\t", "\r")
#: After a leading + or -: what makes the rest an expression (operators, a function
#: call, a reference to another sheet, file or program) rather than a signed number or
#: words, which spreadsheets keep as they are ("-5 mL spilled", "+1 tablet").
_EXPRESSION = re.compile(r"[-+=*/^&%<>()!|:;$@\[\]{}]|^\s*[A-Za-z]{1,3}[0-9]+\b")


def spreadsheet_safe(value: str) -> str:
    """``value``, with a leading ``'`` only when a spreadsheet opening the file would run
    it as a formula ("=SUM(A1)", "@cmd", "-2+3", "+A1"); other text is left exactly
    as it is, so a note such as "-5 mL spilled" reads as written."""
    if value.startswith(_FORMULA_START):
        return "'" + value
    if value[:1] in ("+", "-") and _EXPRESSION.search(value[1:]):
        return "'" + value
    return value


def history_titles(zone: ZoneInfo | str | None = None) -> list[str]:
    """The title row: "Due (America/Chicago)", "Medicine", … (the zone in the time
    columns when given)."""
    name = getattr(zone, "key", zone) if zone is not None else ""
    return [f"{HISTORY_TITLES[c]} ({name})" if name and c in TIME_COLUMNS
            else HISTORY_TITLES[c] for c in HISTORY_COLUMNS]


def history_csv(rows: Sequence[Mapping[str, str]], *,
                zone: ZoneInfo | str | None = None) -> str:
    """CSV text with a title row (naming ``zone`` in the time columns); spreadsheets open
    it as is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(history_titles(zone))
    for row in rows:
        writer.writerow([row.get(c, "") if c in _OWN_COLUMNS
                         else spreadsheet_safe(row.get(c, "")) for c in HISTORY_COLUMNS])
    return out.getvalue()


# ---- Calendar (.ics)


def check_alarm_minutes(value: int) -> int:
    """``value`` when it is a whole number of minutes from 0 to 240; ValueError with a
    plain message otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) \
            or not 0 <= value <= MAX_ALARM_MINUTES:
        raise ValueError(f"The reminder must be 0 to {MAX_ALARM_MINUTES} minutes before "
                         f"each dose (0: at the dose time), not {value!r}.")
    return value


@dataclass(frozen=True)
class CalendarAppointment:
    """An appointment to put in the calendar file."""

    uid: str
    start: datetime  # aware
    end: datetime  # aware
    title: str
    location: str = ""
    description: str = ""


def dose_events(statuses: Iterable[DoseStatus], household_id: str, *,
                alarm_minutes: int = 0) -> list[CalendarEvent]:
    """One event per due dose, each named by the dose's identity
    (``domain.dose_identity``), not its time, with an alarm ``alarm_minutes`` before."""
    check_alarm_minutes(alarm_minutes)
    places: dict[int | None, DosePlaces] = {}
    events = []
    for status in statuses:
        occ, medicine = status.occurrence, status.medicine
        place = places.setdefault(occ.medicine_id, DosePlaces(medicine)).place(occ)
        summary = f"{medicine.name}: {occ.dose.describe()}"
        if medicine.given_by is GivenBy.CLINIC:
            summary += " (at the clinic)"
        details = [f"{occ.dose.describe()} ({occ.strength} {occ.form.label}), "
                   f"{occ.route.label}.".replace("( ", "("),
                   instructions(medicine, occ.version, label=occ.label)]
        start = to_utc(occ.due).astimezone(UTC)
        events.append(CalendarEvent(
            uid=dose_uid(household_id, occ.medicine_id, place), start=start,
            end=start + timedelta(minutes=DOSE_EVENT_MINUTES), summary=summary,
            description="\n".join(d for d in details if d), category="Medicines",
            alarm_before=timedelta(minutes=alarm_minutes), transparent=True))
    return events


def appointment_events(items: Iterable[CalendarAppointment]) -> list[CalendarEvent]:
    """One event per appointment, with an alarm 2 hours before."""
    return [CalendarEvent(uid=item.uid, start=to_utc(item.start), end=to_utc(item.end),
                          summary=item.title, description=item.description,
                          location=item.location, category="Appointments",
                          alarm_before=timedelta(hours=2))
            for item in items]


def ics_calendar(**properties: str) -> Any:
    """An empty ``icalendar.Calendar`` with the app's PRODID and VERSION 2.0, then
    ``properties`` (``method="PUBLISH"``…) in the order given."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for name, value in properties.items():
        calendar.add(name.replace("_", "-"), value)
    return calendar


def vevent(write: EventWrite, *, now: datetime) -> Any:
    """One event as an ``icalendar.Event``: its SEQUENCE, UTC times, a cancelled one with
    ``STATUS:CANCELLED`` and no alarm. The one VEVENT builder: the calendar file and the
    family's shared calendar (``services.sharing.formats``) both use it."""
    from icalendar import Alarm, Event

    item = write.event
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", to_utc(now).astimezone(UTC).replace(microsecond=0))
    event.add("sequence", write.sequence)
    event.add("dtstart", to_utc(item.start).astimezone(UTC))
    event.add("dtend", to_utc(item.end).astimezone(UTC))
    event.add("summary", item.summary)
    event.add("status", "CANCELLED" if write.cancelled else "CONFIRMED")
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.category:
        event.add("categories", [item.category])
    if item.transparent:
        event.add("transp", "TRANSPARENT")
    if item.alarm_before is not None and not write.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", -item.alarm_before)
        event.add_component(alarm)
    return event


def calendar_ics(writes: Iterable[EventWrite], *, zone: ZoneInfo, now: datetime,
                 name: str = "Medicines") -> bytes:
    """The calendar file's bytes (RFC 5545, written by the ``icalendar`` library): each
    event with its SEQUENCE, a cancelled one with ``STATUS:CANCELLED`` and no alarm."""
    calendar = ics_calendar(calscale="GREGORIAN", method="PUBLISH", x_wr_calname=name,
                            x_wr_timezone=str(zone.key))
    for write in writes:
        calendar.add_component(vevent(write, now=now))
    return bytes(calendar.to_ical())


__all__ = [
    "HISTORY_COLUMNS",
    "HISTORY_TITLES",
    "MAX_ALARM_MINUTES",
    "TIME_COLUMNS",
    "CalendarAppointment",
    "appointment_events",
    "calendar_ics",
    "check_alarm_minutes",
    "dose_events",
    "dose_history_rows",
    "history_csv",
    "history_titles",
    "ics_calendar",
    "spreadsheet_safe",
    "vevent",
]
