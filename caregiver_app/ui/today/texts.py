"""Texts the Today tab shows for a dose, a record and an appointment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from caregiver_app.domain.doses import DoseEntry
from caregiver_app.domain.localtime import to_utc, weekday_date_time
from caregiver_app.domain.today import entry_text


def dose_text(occ) -> str:
    """"2 tablets of the 5 mg tablet, by mouth"; "5 mL of the 105 mg/5 mL liquid ..."."""
    version = occ.version
    strength = f"{version.strength} " if version.strength else ""
    return f"{occ.dose.describe()} of the {strength}{version.form.label}, {version.route.label}"


def appointment_text(appointment, zone, today: date) -> str:
    """"Tue 1 Dec 10:00 Neurology review with Dr Lee" (duck-typed ``Appointment``)."""
    start = to_utc(appointment.starts_at).astimezone(zone)
    day = "today" if start.date() == today else (
        "tomorrow" if start.date() == today + timedelta(days=1) else f"{start:%a} {start.day} "
                                                                     f"{start:%b}")
    title = appointment.title() if callable(getattr(appointment, "title", None)) else getattr(
        appointment, "purpose", "Appointment")
    who = getattr(appointment, "contact_name", "")
    return f"{day} {start:%H:%M} {title}" + (f" with {who}" if who else "")


def history_line(entry: DoseEntry, initials: Mapping[int, str], zone: ZoneInfo,
                 now: datetime) -> str:
    """One record of a dose as the card and the correction dialog list it."""
    text = entry_text(entry, zone, now, initials)
    by = initials.get(entry.recorded_by_id or -1, "")
    local = to_utc(entry.recorded_at).astimezone(zone)
    stamp = f"recorded {weekday_date_time(local)}" + (f" by {by}" if by else "")
    prefix = "Corrected: " if entry.corrects_id is not None else ""
    return f"{prefix}{text[0].upper()}{text[1:]} ({stamp})"
