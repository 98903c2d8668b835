"""When to remind, and about what. Pure functions; ``services.reminders`` runs them.

The reminder log
----------------
Every reminder shown is logged (``LogEntry``, table ``reminder_log``): the first time a
dose was shown (``announced_at``, ``how`` = "reminder", "catch_up" or "snooze"), the
last time (``last_shown_at``) and a snooze (``snoozed_until``). With the time the app
last knew it was watching the clock (``watched_until``), that is all the state there
is; everything else comes from the schedule and the dose record.

One wake of the service (``plan_reminders``)
--------------------------------------------
For every due dose with **nothing effective recorded** (a given or skipped dose is
never reminded about):

- **never shown, due between ``watched_until`` and ``now - FRESH``**: it fell due while
  nobody was watching (laptop asleep, app closed, clock moved): it goes into the one
  "while you were away" list (``catch_up``), however many there are, never as a stack of
  stale notifications. At most ``CATCH_UP_LIMIT`` back.
- **never shown, due by now** (otherwise): remind now (``due``). This is also what a dose
  that becomes due again gets (its record was withdrawn), while still within its grace
  period; after that it shows as missed on the Today tab.
- **never shown, due later**: ``lead`` before it (``early``, once) and at its due time.
- **shown, snoozed**: nothing until ``snoozed_until``, then remind again (``repeat``).
- **shown**: again every ``repeat`` minutes (``repeat``) while it is within its grace
  period (home doses; clinic doses are reminded once).
- **shown, and its grace period ended since it was last shown**, nothing recorded: it is
  never dropped silently. If the end of the grace period (or the end of a snooze that ran
  past it) fell after ``watched_until`` and more than ``FRESH`` ago, nobody was watching:
  it goes into the "while you were away" list (``catch_up``). Otherwise it gets **one**
  last notice, "not recorded: what happened?" (``unrecorded``), at the end of the grace
  period. Either way it is then shown at or after the end of its grace period, so it is
  never asked about again. (One whose grace period ended while the clock was watched
  and long ago, a log from before this rule or a record withdrawn since, is left to the
  Today tab's "not recorded yet" section.)

``next_at`` is the earliest future moment any of this changes: the service arms a single
timer for it.

The sound (``chime_for``)
-------------------------
A first reminder and the first repeat chime once, at the household's volume. A dose still
not recorded after that gets a longer, louder chime: three chimes halfway to the loudest
volume the household allows at the second repeat, five at that loudest from the third on
(``SoundPrefs``; never louder than its ``loudest``, never quieter than its ``volume``).

Appointments (``plan_appointment_reminders``)
---------------------------------------------
Each appointment is reminded about the evening before and ``hours_before`` its start
(``appointments.reminders_for``), once each (logged as ``appointment:<id>:<kind>``). A
reminder moment that passed while nobody was watching is still shown if the appointment
has not started (only the latest one, never both); one that passed while the app was
watching belongs to an appointment entered after it, and is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from caregiver_app.domain.appointments import Appointment, AppointmentReminder, reminders_for
from caregiver_app.domain.doses import DosePolicy, DoseState, DoseStatus
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import GivenBy

#: A dose that fell due this recently is reminded about normally, even after a gap.
FRESH = timedelta(minutes=5)
#: The "while you were away" list looks back at most this far.
CATCH_UP_LIMIT = timedelta(days=7)
SNOOZE_CHOICES = (5, 10, 15, 30)
REPEAT_CHOICES = (0, 5, 10, 15, 30)
LEAD_CHOICES = (0, 5, 10, 15, 30)
APPOINTMENT_HOURS_CHOICES = (0, 1, 2, 3, 4, 6)
#: Chime volumes offered, in percent of the computer's sound.
VOLUME_CHOICES = (25, 50, 75, 100)


@dataclass(frozen=True)
class SoundPrefs:
    """``volume``: the chime of a reminder, in percent; ``escalate``: longer and louder
    for a dose still not recorded after the first repeat, up to ``loudest`` percent."""

    volume: int = 75
    escalate: bool = True
    loudest: int = 100


def chime_for(repeat: int, prefs: SoundPrefs) -> tuple[float, int]:
    """The chime of a dose's reminder number ``repeat`` (0: the first, 1: the first
    repeat, ...): (volume from 0 to 1, how many chimes in a row). See the module
    docstring."""
    volume = min(max(prefs.volume, 0), 100) / 100
    loudest = max(volume, min(max(prefs.loudest, 0), 100) / 100)
    if not prefs.escalate or repeat < 2:
        return volume, 1
    if repeat == 2:
        return round((volume + loudest) / 2, 3), 3
    return loudest, 5


class Shown(StrEnum):
    REMINDER = "reminder"
    CATCH_UP = "catch_up"
    SNOOZE = "snooze"  # snoozed before its first reminder


@dataclass(frozen=True)
class ReminderSettings:
    """``lead``: also remind this long before the due time (0: only at it).
    ``repeat``: remind again this often until the dose is recorded (None: once)."""

    lead: timedelta = timedelta(0)
    repeat: timedelta | None = timedelta(minutes=10)
    appointment_hours: int = 2  # also remind this many hours before an appointment (0: no)


@dataclass(frozen=True)
class LogEntry:
    """What was said about one reminder's subject, and when."""

    subject: str
    due_at: datetime
    announced_at: datetime
    last_shown_at: datetime
    how: Shown = Shown.REMINDER
    snoozed_until: datetime | None = None


def dose_subject(medicine_id: int | None, key: str) -> str:
    """The log's name for one due dose."""
    return f"dose:{medicine_id}:{key}"


def subject_of(status: DoseStatus) -> str:
    return dose_subject(status.occurrence.medicine_id, status.occurrence.key)


@dataclass(frozen=True)
class ReminderPlan:
    """What the reminders say now about doses, and when to look again."""

    early: tuple[DoseStatus, ...] = ()  # heads-up before the due time
    due: tuple[DoseStatus, ...] = ()  # first reminder
    repeat: tuple[DoseStatus, ...] = ()  # again (repeat interval, or a snooze ended)
    catch_up: tuple[DoseStatus, ...] = ()  # fell due (or its grace ended) unwatched
    unrecorded: tuple[DoseStatus, ...] = ()  # grace period just ended: "what happened?"
    next_at: datetime | None = None

    @property
    def to_announce(self) -> tuple[DoseStatus, ...]:
        """What one reminder shows now, due and repeated doses in time order."""
        return tuple(sorted((*self.due, *self.repeat),
                            key=lambda s: (s.occurrence.due, s.medicine.name.casefold())))

    @property
    def empty(self) -> bool:
        return not (self.early or self.due or self.repeat or self.catch_up or self.unrecorded)


def plan_reminders(statuses: Iterable[DoseStatus], log: Mapping[str, LogEntry],
                   now: datetime, settings: ReminderSettings, policy: DosePolicy, *,
                   watched_until: datetime, held: frozenset[str] = frozenset()) -> ReminderPlan:
    """What to show at ``now``, and when to look again. See the module docstring.

    ``statuses`` must cover every dose due from ``now - CATCH_UP_LIMIT`` (or
    ``watched_until`` if later) minus the longest grace period, to some time ahead;
    ``held``: subjects waiting in an open "while you were away" list (neither listed
    again nor reminded).
    """
    now = to_utc(now)
    watched = max(to_utc(watched_until), now - CATCH_UP_LIMIT)
    early, due, repeat, catch_up, unrecorded = [], [], [], [], []
    upcoming: list[datetime] = []

    def unseen(moment: datetime) -> bool:
        """``moment`` passed while nobody was watching (and not just now)."""
        return watched < moment <= now - FRESH

    for status in statuses:
        if status.effective is not None or status.conflict:
            continue
        subject = subject_of(status)
        if subject in held:
            continue
        when = status.occurrence.due
        window = policy.window(status.medicine.given_by)
        grace_end = when + window.grace
        within_grace = now <= grace_end
        entry = log.get(subject)
        if entry is None:
            if when > now:
                upcoming.append(when)
                if settings.lead:
                    heads_up = when - settings.lead
                    if heads_up > now:
                        upcoming.append(heads_up)
                    elif heads_up > watched:
                        early.append(status)
            elif unseen(when):
                catch_up.append(status)
                if within_grace:
                    upcoming.append(grace_end)  # asked once more then, if still unrecorded
            elif within_grace and status.state is DoseState.DUE:
                due.append(status)
                upcoming.extend(_next_repeat(status, now, settings, window.grace))
                upcoming.append(grace_end)
            continue
        last = to_utc(entry.last_shown_at)
        snoozed = to_utc(entry.snoozed_until) if entry.snoozed_until is not None else None
        if snoozed is not None and snoozed > now:
            upcoming.append(snoozed)
            continue
        if snoozed is not None and snoozed > last:  # the snooze is over, not shown since
            if now >= grace_end and unseen(snoozed):
                catch_up.append(status)  # it ended, past the grace period, unwatched
            elif now >= grace_end:
                unrecorded.append(status)  # past its grace period: the last notice
            else:
                repeat.append(status)
                upcoming.extend(_next_repeat(status, now, settings, window.grace))
                upcoming.append(grace_end)
            continue
        if last < grace_end <= now:  # its grace period ended since it was last shown
            if unseen(grace_end):
                catch_up.append(status)
            elif grace_end > now - FRESH:
                unrecorded.append(status)
            continue
        if last < grace_end:
            upcoming.append(grace_end)  # the last notice, if nothing is recorded by then
        if (settings.repeat and within_grace and status.medicine.given_by is GivenBy.HOME
                and status.state is DoseState.DUE):
            again = last + settings.repeat
            if again <= now:
                repeat.append(status)
                upcoming.extend(_next_repeat(status, now, settings, window.grace))
            elif again < grace_end:
                upcoming.append(again)
    return ReminderPlan(tuple(early), tuple(due), tuple(repeat), tuple(catch_up),
                        tuple(unrecorded), min(upcoming) if upcoming else None)


def appointment_subject(reminder: AppointmentReminder) -> str:
    return f"appointment:{reminder.appointment_id}:{reminder.kind}"


@dataclass(frozen=True)
class AppointmentPlan:
    """What the reminders say now about appointments, and when to look again."""

    fire: tuple[AppointmentReminder, ...] = ()  # show now
    settle: tuple[AppointmentReminder, ...] = ()  # passed without showing: log, never show
    next_at: datetime | None = None


def plan_appointment_reminders(appointments: Iterable[Appointment], shown: Iterable[str],
                               now: datetime, *, hours_before: int,
                               watched_until: datetime) -> AppointmentPlan:
    """What to say about appointments at ``now`` (see the module docstring)."""
    now = to_utc(now)
    watched = to_utc(watched_until)
    done = set(shown)
    fire: list[AppointmentReminder] = []
    settle: list[AppointmentReminder] = []
    upcoming: list[datetime] = []
    for appointment in appointments:
        if appointment.id is None or appointment.archived:
            continue
        pending = [r for r in reminders_for(appointment, hours_before=hours_before)
                   if appointment_subject(r) not in done]
        passed = [r for r in pending if r.at <= now]
        upcoming.extend(r.at for r in pending if r.at > now)
        if not passed:
            continue
        latest = max(passed, key=lambda r: r.at)
        if latest.at > watched and to_utc(appointment.starts_at) > now:
            fire.append(latest)
            settle.extend(r for r in passed if r is not latest)
        else:
            settle.extend(passed)
    fire.sort(key=lambda r: r.at)
    return AppointmentPlan(tuple(fire), tuple(settle), min(upcoming) if upcoming else None)


def _next_repeat(status: DoseStatus, now: datetime, settings: ReminderSettings,
                 grace: timedelta) -> list[datetime]:
    """When a dose reminded about now is reminded again (none past its grace period)."""
    if not settings.repeat or status.medicine.given_by is not GivenBy.HOME:
        return []
    again = now + settings.repeat
    return [again] if again < status.occurrence.due + grace else []


__all__ = [
    "APPOINTMENT_HOURS_CHOICES",
    "CATCH_UP_LIMIT",
    "FRESH",
    "LEAD_CHOICES",
    "REPEAT_CHOICES",
    "SNOOZE_CHOICES",
    "VOLUME_CHOICES",
    "AppointmentPlan",
    "LogEntry",
    "ReminderPlan",
    "ReminderSettings",
    "Shown",
    "SoundPrefs",
    "appointment_subject",
    "chime_for",
    "dose_subject",
    "plan_appointment_reminders",
    "plan_reminders",
    "subject_of",
]
