"""Texts the Today tab shows for a dose and a record (an appointment's line is
``domain.today.appointment_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from caregiver_app.domain.doses import DoseEntry
from caregiver_app.domain.localtime import to_utc, weekday_date_time
from caregiver_app.domain.today import entry_text


def dose_text(occ) -> str:
    """"2 tablets of the 5 mg tablet, by mouth"; "5 mL of the 105 mg/5 mL liquid ..."."""
    version = occ.version
    strength = f"{version.strength} " if version.strength else ""
    return f"{occ.dose.describe()} of the {strength}{version.form.label}, {version.route.label}"


def history_line(entry: DoseEntry, initials: Mapping[int, str], zone: ZoneInfo,
                 now: datetime) -> str:
    """One record of a dose as the card and the correction dialog list it."""
    text = entry_text(entry, zone, now, initials)
    by = initials.get(entry.recorded_by_id or -1, "")
    local = to_utc(entry.recorded_at).astimezone(zone)
    stamp = f"recorded {weekday_date_time(local)}" + (f" by {by}" if by else "")
    prefix = "Corrected: " if entry.corrects_id is not None else ""
    return f"{prefix}{text[0].upper()}{text[1:]} ({stamp})"
