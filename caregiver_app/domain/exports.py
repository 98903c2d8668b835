"""Dose history as CSV and the schedule as a calendar file (.ics). Pure functions.

``dose_history_rows(days, caregivers, zone)``
    One row per due dose of each day (given, not given with the reason, missed, still
    due), then the as-needed and extra doses recorded that day, as plain dicts keyed by
    ``HISTORY_COLUMNS``. ``history_csv(rows, zone=...)`` writes them as CSV text. Times
    are the patient's clock times with their UTC offset ("2026-11-01 01:30 -05:00"), and
    the time columns name the zone ("Due (America/Chicago)"), so the hour that repeats
    when the clocks go back is never ambiguous.

``calendar_ics(statuses, zone, now, ...)``
    An RFC 5545 calendar built with the ``icalendar`` library: one event per due dose,
    each with a display alarm, plus appointments. Every dose is its own event with its
    own UTC start (no recurrence rules), so edaravone cycles, delays, dose steps and
    loading doses come out exactly as the schedule engine says in every calendar app,
    and daylight-saving changes cannot move a dose. UIDs are stable
    (medicine id and occurrence key), so importing a newer file updates the events
    rather than duplicating them in calendars that honour UIDs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from caregiver_app.domain.dayview import DayView
from caregiver_app.domain.doses import DoseState, DoseStatus, EntryKind
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.patient import Caregiver
from caregiver_app.domain.printouts import instructions

HISTORY_COLUMNS = (
    "due", "medicine", "strength", "dose", "route", "kind", "schedule_note", "state",
    "given_at", "given_by", "timing", "reason", "note", "recorded_by", "recorded_at",
    "corrected",
)
#: Column titles as written in the file's first row.
HISTORY_TITLES = {
    "due": "Due", "medicine": "Medicine", "strength": "Strength", "dose": "Dose",
    "route": "Route", "kind": "Kind", "schedule_note": "Schedule note", "state": "State",
    "given_at": "Given at", "given_by": "Given by", "timing": "Timing", "reason": "Reason",
    "note": "Note", "recorded_by": "Recorded by", "recorded_at": "Recorded at",
    "corrected": "Corrected",
}
#: The columns holding a date and time.
TIME_COLUMNS = ("due", "given_at", "recorded_at")
DOSE_EVENT_MINUTES = 15
#: Reminder minutes before a dose in a calendar file: as the window's dialog allows.
MAX_ALARM_MINUTES = 240
UID_DOMAIN = "als-care-companion.invalid"
PRODID = "-//ALS Care Companion//Medicines//EN"


# ---- Dose history (CSV)


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    """"2026-11-01 01:30 -05:00": the clock time where the patient lives, and its offset
    from UTC (the repeated hour at the end of daylight saving reads twice otherwise)."""
    if moment is None:
        return ""
    local = to_utc(moment).astimezone(zone)
    offset = local.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    hours, rest = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"{local:%Y-%m-%d %H:%M} {sign}{hours:02d}:{rest:02d}"


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
        "due": _when(occ.due, zone), "medicine": status.medicine.name,
        "strength": occ.strength, "dose": occ.dose.describe(), "route": occ.route.label,
        "kind": "clinic dose" if clinic else "due", "schedule_note": occ.label,
        "state": status.state.label, "given_at": "", "given_by": "", "timing": "",
        "reason": "", "note": "", "recorded_by": "", "recorded_at": "",
        "corrected": "yes" if status.chain and status.chain.corrected else "",
    }
    if entry is not None:
        row["note"] = entry.note
        row["recorded_by"] = _person(caregivers, entry.recorded_by_id)
        row["recorded_at"] = _when(entry.recorded_at, zone)
    if status.state is DoseState.GIVEN and entry is not None:
        row["given_at"] = _when(entry.given_at, zone)
        row["dose"] = entry.amount.describe() if entry.amount else row["dose"]
        row["given_by"] = _person(caregivers, entry.caregiver_id) or (
            "clinic staff" if clinic else "")
        row["timing"] = status.timing.value.replace("_", " ") if status.timing else ""
    elif status.state is DoseState.SKIPPED and entry is not None and entry.skip_reason:
        row["reason"] = entry.skip_reason.label
    return row


def dose_history_rows(days: Iterable[DayView], caregivers: Mapping[int, Caregiver],
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
            rows.append({
                "due": _when(entry.due_at, zone) if extra.orphan else "",
                "medicine": extra.medicine.name,
                "strength": (extra.medicine.version_on(view.day)
                             or extra.medicine.versions[-1]).strength,
                "dose": entry.amount.describe() if entry.amount else "",
                "route": (extra.medicine.version_on(view.day)
                          or extra.medicine.versions[-1]).route.label,
                "kind": "no longer on the schedule" if extra.orphan else "as needed",
                "schedule_note": "",
                "state": "given" if given else "not given",
                "given_at": _when(entry.given_at, zone) if given else "",
                "given_by": _person(caregivers, entry.caregiver_id) if given else "",
                "timing": "",
                "reason": (entry.skip_reason.label if entry.skip_reason
                           else entry.override_reason),
                "note": entry.note,
                "recorded_by": _person(caregivers, entry.recorded_by_id),
                "recorded_at": _when(entry.recorded_at, zone),
                "corrected": "yes" if extra.chain.corrected else "",
            })
    return rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula (a note starting with "=")."""
    return "'" + value if value.startswith(_FORMULA_START) else value


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
        writer.writerow([_safe(row.get(c, "")) for c in HISTORY_COLUMNS])
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


def _uid(*parts: object) -> str:
    text = "-".join(str(p) for p in parts)
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") + f"@{UID_DOMAIN}"


def dose_uid(medicine_id: int | None, key: str) -> str:
    return _uid("dose", medicine_id, key)


def appointment_uid(appointment_id: int | None) -> str:
    return _uid("appointment", appointment_id)


def calendar_ics(statuses: Iterable[DoseStatus], *, zone: ZoneInfo, now: datetime,
                 appointments: Iterable[CalendarAppointment] = (),
                 alarm_minutes: int = 0, name: str = "Medicines") -> bytes:
    """The calendar file's bytes: one event per dose and per appointment, each with an
    alarm ``alarm_minutes`` (0 to ``MAX_ALARM_MINUTES``) before it (at its start when 0).
    Raises ValueError for other values."""
    from icalendar import Alarm, Calendar, Event

    check_alarm_minutes(alarm_minutes)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(zone.key))
    stamp = to_utc(now).replace(microsecond=0)
    trigger = timedelta(minutes=-alarm_minutes)

    def alarm(text: str, before: timedelta) -> Alarm:
        item = Alarm()
        item.add("action", "DISPLAY")
        item.add("description", text)
        item.add("trigger", before)
        return item

    for status in statuses:
        occ, medicine = status.occurrence, status.medicine
        event = Event()
        summary = f"{medicine.name}: {occ.dose.describe()}"
        if medicine.given_by is GivenBy.CLINIC:
            summary += " (at the clinic)"
        event.add("uid", dose_uid(occ.medicine_id, occ.key))
        event.add("dtstamp", stamp)
        event.add("dtstart", to_utc(occ.due).astimezone(UTC))
        event.add("dtend", to_utc(occ.due).astimezone(UTC)
                  + timedelta(minutes=DOSE_EVENT_MINUTES))
        event.add("summary", summary)
        details = [f"{occ.dose.describe()} ({occ.strength} {occ.form.label}), "
                   f"{occ.route.label}.".replace("( ", "("),
                   instructions(medicine, occ.version, label=occ.label)]
        event.add("description", "\n".join(d for d in details if d))
        event.add("categories", ["Medicines"])
        event.add("transp", "TRANSPARENT")
        event.add_component(alarm(summary, trigger))
        calendar.add_component(event)

    for item in appointments:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", to_utc(item.start))
        event.add("dtend", to_utc(item.end))
        event.add("summary", item.title)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("categories", ["Appointments"])
        event.add_component(alarm(item.title, timedelta(hours=-2)))
        calendar.add_component(event)
    return calendar.to_ical()


__all__ = [
    "HISTORY_COLUMNS",
    "HISTORY_TITLES",
    "MAX_ALARM_MINUTES",
    "TIME_COLUMNS",
    "CalendarAppointment",
    "appointment_uid",
    "calendar_ics",
    "check_alarm_minutes",
    "dose_history_rows",
    "dose_uid",
    "history_csv",
    "history_titles",
]
