"""Appointments: visits, tests and clinic-given doses, in the patient's local time.

Times are aware datetimes. They are entered as wall-clock times in the
patient's time zone (``Patient.time_zone``) and stored in UTC together with
the zone they were entered in, so a visit stays at 10:00 local across a
daylight-saving change.

Appointments made by the medicine schedule (clinic-given doses such as a
tofersen loading dose) carry ``source = REGIMEN``, a ``source_key`` that the
schedule recognises again, and a ``series_label`` ("loading dose 2 of 3").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from caregiver_app.domain.contacts import clean, clean_block
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import describe_day, weekday_date, weekday_date_time
from caregiver_app.domain.values import moment_problem

MIN_MINUTES = 5
MAX_MINUTES = 24 * 60
MAX_LINE = 200
MAX_TEXT = 4000

PURPOSE_SUGGESTIONS = (
    "ALS clinic visit",
    "Neurologist visit",
    "Breathing test",
    "Swallowing check",
    "Feeding tube check",
    "Wheelchair or equipment fitting",
    "Home visit",
    "Blood test",
    "Tofersen dose",
    "Edaravone (IV) dose",
)


class AppointmentSource(StrEnum):
    """Who made the appointment. Values are stored: never change one."""

    CAREGIVER = "caregiver"  # entered by hand
    REGIMEN = "regimen"  # a clinic-given dose planned by the medicine schedule


@dataclass(frozen=True)
class Appointment:
    """One visit: when and where, why, who goes along, what to ask and what came of
    it."""

    starts_at: datetime  # aware
    purpose: str
    duration_minutes: int = 60
    time_zone: str = ""  # IANA zone the time was entered in; "" means UTC
    contact_id: int | None = None
    place: str = ""
    transport: str = ""  # how to get there: who drives, wheelchair taxi booked…
    companion: str = ""  # who goes along
    questions: str = ""  # questions to ask
    outcome: str = ""  # afterwards: what was decided, next steps
    source: AppointmentSource = AppointmentSource.CAREGIVER
    source_key: str = ""
    series_label: str = ""
    id: int | None = None
    archived: bool = False
    contact_name: str = field(default="", compare=False)  # filled in when read

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def zone(self) -> ZoneInfo:
        return zone_or_utc(self.time_zone)

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    def is_past(self, now: datetime) -> bool:
        return self.ends_at <= now

    def title(self) -> str:
        """The purpose with the dose-series phase, if any: "Tofersen dose (loading 2 of 3)"."""
        return f"{self.purpose} ({self.series_label})" if self.series_label else self.purpose

    def when_text(self) -> str:
        """"Tue 1 Dec 2026, 10:00–11:30"."""
        start, end = self.local_start(), self.local_end()
        day = weekday_date(start, year=True)
        until = f"{end:%H:%M}" if end.date() == start.date() else weekday_date_time(end)
        return f"{day}, {start:%H:%M}–{until}"


@dataclass(frozen=True)
class AppointmentReminder:
    """A moment to remind the caregiver of an appointment."""

    at: datetime  # aware, UTC
    appointment_id: int | None
    kind: str  # "day_before" or "hours_before"
    text: str


# ---- Public API


def is_clinic_visit(appointment: Appointment) -> bool:
    """A visit to a clinic (its purpose names one: "ALS clinic visit"), which the clinic
    visit summary is for; not a clinic-given dose the medicine schedule planned."""
    return ("clinic" in appointment.purpose.casefold()
            and appointment.source is not AppointmentSource.REGIMEN)


#: A clinic visit still counts as the coming one until this long after it began (the
#: summary is printed the morning of the visit, or handed over at it).
VISIT_STILL_COMING = timedelta(hours=12)


def next_clinic_visit(appointments: Iterable[Appointment], now: datetime,
                      ) -> Appointment | None:
    """The coming clinic visit (the one the visit summary is for), or None."""
    coming = [a for a in appointments if is_clinic_visit(a)
              and a.starts_at >= now - VISIT_STILL_COMING]
    return min(coming, key=lambda a: a.starts_at) if coming else None


def zone_or_utc(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_to_utc(day: date, clock: time, time_zone: str) -> datetime:
    """The UTC moment of a wall-clock time in ``time_zone``.

    Raises ValueError for a time the clocks skip (a daylight-saving gap). In the
    repeated hour when clocks go back, the first of the two is meant.
    """
    zone = zone_or_utc(time_zone)
    naive = datetime.combine(day, clock.replace(second=0, microsecond=0, tzinfo=None))
    local = naive.replace(tzinfo=zone, fold=0)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(
            f"{clock:%H:%M} does not exist on {describe_day(day)}: the clocks change that night. "
            "Choose a time an hour later.")
    return moment


def validate_appointment(appointment: Appointment) -> Appointment:
    """A tidied copy, or ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    purpose = clean(appointment.purpose)
    if not purpose:
        errors["purpose"] = "Say what the appointment is for, for example \"ALS clinic visit\"."
    elif len(purpose) > MAX_LINE:
        errors["purpose"] = f"Keep this under {MAX_LINE} characters."
    if moment_problem(appointment.starts_at):
        errors["starts_at"] = moment_problem(appointment.starts_at) or ""
    if (isinstance(appointment.duration_minutes, bool)
            or not isinstance(appointment.duration_minutes, int)
            or not MIN_MINUTES <= appointment.duration_minutes <= MAX_MINUTES):
        errors["duration_minutes"] = (
            f"Enter a length between {MIN_MINUTES} minutes and {MAX_MINUTES // 60} hours.")
    for name in ("place", "transport", "companion", "questions", "outcome"):
        if len(clean_block(getattr(appointment, name))) > MAX_TEXT:
            errors[name] = f"Keep this under {MAX_TEXT} characters."
    if errors:
        raise ValidationError(errors)
    return replace(
        appointment,
        purpose=purpose,
        starts_at=appointment.starts_at.astimezone(UTC),
        place=clean_block(appointment.place),
        transport=clean_block(appointment.transport),
        companion=clean_block(appointment.companion),
        questions=clean_block(appointment.questions),
        outcome=clean_block(appointment.outcome),
        series_label=clean(appointment.series_label),
    )


def upcoming(appointments: Iterable[Appointment], start: datetime, end: datetime
             ) -> list[Appointment]:
    """Appointments starting in ``[start, end)``, soonest first (not removed ones)."""
    return sorted(
        (a for a in appointments if not a.archived and start <= a.starts_at < end),
        key=lambda a: (a.starts_at, a.id or 0),
    )


def reminders_for(appointment: Appointment, *, hours_before: int = 2,
                  day_before_at: time = time(18, 0)) -> list[AppointmentReminder]:
    """When to remind the caregiver: the evening before, and ``hours_before`` the start.

    The evening reminder is at ``day_before_at`` local time on the day before;
    it is left out when it would come after the ``hours_before`` one.
    """
    start_local = appointment.local_start()
    text = f"{appointment.title()} — {appointment.when_text()}"
    if appointment.contact_name:
        text += f" with {appointment.contact_name}"
    reminders: list[AppointmentReminder] = []
    soon = appointment.starts_at - timedelta(hours=hours_before)
    eve_day = start_local.date() - timedelta(days=1)
    try:
        eve = local_to_utc(eve_day, day_before_at, appointment.time_zone)
    except ValueError:
        eve = local_to_utc(eve_day, (datetime.combine(eve_day, day_before_at)
                                     + timedelta(hours=1)).time(), appointment.time_zone)
    if eve < soon:
        reminders.append(AppointmentReminder(eve, appointment.id, "day_before",
                                             f"Tomorrow: {text}"))
    if hours_before > 0:
        reminders.append(AppointmentReminder(soon.astimezone(UTC), appointment.id,
                                             "hours_before", f"In {hours_before} h: {text}"))
    return reminders
