"""Reminders for due doses: one timer armed for the next thing to say, never polling.

``ReminderService`` asks the ``MedicationBook`` for the doses around now, the
``ReminderRepository`` for what was already shown, and ``domain.reminders.plan_reminders``
for what to show now and when to look again; then it arms one single-shot ``QTimer`` for
that moment. It looks again (``wake``) when the timer fires, when the dose record or a
medicine changes, when the patient's time zone or an appointment changes
(``apply_changes``, subscribed to the core's change signal), and when the clock jumps.

Clock jumps and sleep
---------------------
A ``QTimer`` counts monotonic time, which on most systems stops while the laptop sleeps,
so after three hours asleep a timer armed for "in one hour" would fire an hour after
waking. A second timer, ``watchdog``, ticks every minute **only to detect jumps**: it
compares how far the wall clock moved with how far a monotonic ``QElapsedTimer`` moved.
If they differ by more than ``JUMP`` (sleep, resume, a clock or zone change), or the dose
timer is overdue, the service wakes at once and emits ``clock_jumped`` (the Today tab
looks again: its own timer is just as late). Between ticks, it remembers the last moment
it was certainly watching (``watched_until``); a dose that fell due after that moment and
was never shown, or one shown whose grace period ended after it with nothing recorded,
goes into **one** "while you were away" list (``catch_up_ready``) rather than a stack of
stale notifications. A dose still unrecorded at the end of its grace period while the
service watches gets one last notice (``ReminderBatch.unrecorded``). ``watched_until``
is saved in the database at every wake and at ``stop()``, so the same works across an app
restart or a power cut.

Appointments (from the care team, ``appointments(start, end)``) are reminded about the
evening before and a few hours before through the same timer (``appointments_due``).

Snoozes are saved in the reminder log (one row per dose, already written for every
reminder, so a snooze costs one UPDATE) and survive a restart: a caregiver who snoozed a
dose for 30 minutes and restarted the app is not nagged again at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from caregiver_app.domain.doses import DoseStatus
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.reminders import (
    CATCH_UP_LIMIT,
    ReminderSettings,
    Shown,
    appointment_subject,
    dose_subject,
    plan_appointment_reminders,
    plan_reminders,
    subject_of,
)
from caregiver_app.domain.undo import LastAction, SnoozeChange
from caregiver_app.services.changes import Changes
from caregiver_app.services.clock import Clock
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.reminders_repo import ReminderRepository

log = logging.getLogger(__name__)

#: How far ahead each wake looks for due doses.
LOOKAHEAD = timedelta(hours=36)
#: Look again at the latest this long after a wake, even with nothing planned.
MAX_SLEEP = timedelta(hours=12)
#: Repeats and snoozes are looked for among doses due this far back.
LOOKBACK = timedelta(days=1)
#: Appointments are looked for this much further ahead (the evening-before reminder).
APPOINTMENTS_AHEAD = timedelta(days=2)
#: Wall clock and monotonic clock disagreeing by more than this is a jump.
JUMP = timedelta(seconds=90)
WATCHDOG_MS = 60_000


@dataclass(frozen=True)
class ReminderBatch:
    """What one wake announces: shown together, as one reminder."""

    at: datetime
    doses: tuple[DoseStatus, ...] = ()  # due now, or again (repeat, snooze over)
    early: tuple[DoseStatus, ...] = ()  # coming up soon (the "N minutes before" setting)
    repeated: bool = False  # every dose in ``doses`` was shown before
    unrecorded: tuple[DoseStatus, ...] = ()  # grace period over, nothing recorded: ask
    repeat: int = 0  # the most times a dose in ``doses`` was reminded about before

    @property
    def keys(self) -> tuple[tuple[int, str], ...]:
        return tuple((int(s.occurrence.medicine_id or 0), s.occurrence.key)
                     for s in (*self.doses, *self.unrecorded, *self.early))


class ReminderService(QObject):
    reminders_due = Signal(object)
    """A ``ReminderBatch`` to deliver now (at most one per wake)."""

    catch_up_ready = Signal(object)
    """A tuple of ``DoseStatus`` that fell due while nobody was watching. Answer with
    ``catch_up_answered`` once the caregiver has seen the list."""

    appointments_due = Signal(object)
    """A tuple of ``appointments.AppointmentReminder`` to show now."""

    armed = Signal(object)
    """The timer was armed for this moment (aware UTC ``datetime``)."""

    clock_jumped = Signal()
    """The wall clock jumped (the laptop slept or resumed, the clock or its zone was
    changed) or the timer woke late: anything showing "now" should look again (the
    Today tab's own timer counts monotonic time and would be late too)."""

    def __init__(self, book: MedicationBook, repo: ReminderRepository, *, clock: Clock,
                 settings: Callable[[], ReminderSettings],
                 appointments: Callable[[datetime, datetime], list] | None = None,
                 monotonic: Callable[[], float] | None = None,
                 parent: QObject | None = None):
        """``appointments(start, end)``: appointments starting then (``CareTeam.upcoming``);
        ``monotonic`` returns seconds from a clock that never jumps (default: a
        ``QElapsedTimer``); tests pass a fake one."""
        super().__init__(parent)
        self._appointments = appointments
        self._book = book
        self._repo = repo
        self._clock = clock
        self._settings = settings
        if monotonic is None:
            elapsed = QElapsedTimer()
            elapsed.start()
            monotonic = lambda: elapsed.elapsed() / 1000  # noqa: E731
        self._monotonic = monotonic
        self._watched_until: datetime | None = None
        self._armed_for: datetime | None = None
        self._mark: tuple[datetime, float] | None = None
        self._held: dict[str, DoseStatus] = {}
        self._running = False

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.wake)
        self.watchdog = QTimer(self)
        self.watchdog.setInterval(WATCHDOG_MS)
        self.watchdog.timeout.connect(self.check_clock)

    # ---- Public API

    @property
    def running(self) -> bool:
        return self._running

    @property
    def armed_for(self) -> datetime | None:
        """When the timer will next fire (None when stopped)."""
        return self._armed_for if self.timer.isActive() else None

    @property
    def watched_until(self) -> datetime | None:
        return self._watched_until

    def start(self) -> None:
        """Catch up on what fell due while the app was closed, then arm the timer."""
        if self._running:
            return
        now = self._now()
        self._running = True
        self._watched_until = self._repo.watched_until() or now
        self._mark = (now, self._monotonic())
        self.watchdog.start()
        log.info("reminders started")
        self.wake()

    def stop(self) -> None:
        """Stop both timers and save how far the clock was watched (idempotent)."""
        if not self._running:
            return
        self._running = False
        self.timer.stop()
        self.watchdog.stop()
        self._advance_watch(self._now())
        if self._watched_until is not None:
            self._repo.set_watched_until(self._watched_until)

    def rearm(self, *_args) -> None:
        """The data changed (a medicine, the dose timing, the zone): look again."""
        if self._running:
            self.wake()

    def apply_changes(self, changes: Changes) -> None:
        """A write (``Core.changes``): look again when it may change what is due or when
        (not for a snooze: ``snooze`` looks again itself)."""
        if (changes.medicine_ids or changes.settings or changes.patient
                or changes.appointments):
            self.rearm()

    def wake(self) -> None:
        """Show what is due now, list what fell due unseen, and arm the timer."""
        if not self._running:
            return
        now = self._now()
        watched = self._watched_until or now
        policy = self._book.policy
        # a dose whose grace period ended after ``watched`` may have fallen due before it
        grace = max(policy.window(given_by).grace for given_by in GivenBy)
        start = min(max(watched, now - CATCH_UP_LIMIT) - grace, now - LOOKBACK)
        end = now + LOOKAHEAD
        settings = self._settings()
        statuses = self._book.statuses_between(start, end)
        shown = self._repo.log_between(start, end + APPOINTMENTS_AHEAD)
        plan = plan_reminders(statuses, shown, now, settings, policy,
                              watched_until=watched, held=frozenset(self._held))
        visits = None
        if self._appointments is not None:
            upcoming = self._appointments(start, end + APPOINTMENTS_AHEAD)
            visits = plan_appointment_reminders(upcoming, shown, now,
                                                hours_before=settings.appointment_hours,
                                                watched_until=watched)
            if visits.fire or visits.settle:
                starts = {a.id: a.starts_at for a in upcoming}
                self._repo.mark_shown(
                    ((appointment_subject(r), starts[r.appointment_id])
                     for r in (*visits.fire, *visits.settle)), now, Shown.REMINDER)
        if plan.due:
            self._repo.mark_shown(((subject_of(s), s.occurrence.due) for s in plan.due), now,
                                  Shown.REMINDER)
        if plan.repeat or plan.unrecorded:
            self._repo.mark_shown(((subject_of(s), s.occurrence.due)
                                   for s in (*plan.repeat, *plan.unrecorded)),
                                  now, Shown.REMINDER)
        self._watched_until = now
        self._repo.set_watched_until(now)
        self._mark = (now, self._monotonic())
        moments = [m for m in (plan.next_at, visits.next_at if visits else None) if m]
        self._arm(min(moments) if moments else None, now)
        if plan.catch_up:
            for status in plan.catch_up:
                self._held[subject_of(status)] = status
            log.info("catch-up list: %d doses", len(plan.catch_up))
            self.catch_up_ready.emit(plan.catch_up)
        if plan.to_announce or plan.early or plan.unrecorded:
            batch = ReminderBatch(now, plan.to_announce, plan.early,
                                  repeated=not plan.due and bool(plan.repeat),
                                  unrecorded=plan.unrecorded,
                                  repeat=_repeats(plan.repeat, shown, now, settings))
            log.info("reminder: %d due, %d not recorded, %d early", len(batch.doses),
                     len(batch.unrecorded), len(batch.early))
            self.reminders_due.emit(batch)
        if visits is not None and visits.fire:
            log.info("appointment reminders: %d", len(visits.fire))
            self.appointments_due.emit(visits.fire)

    def check_clock(self) -> None:
        """Watchdog tick: wake at once if the clock jumped or the timer is late."""
        if not self._running:
            return
        now, mono = self._now(), self._monotonic()
        last_wall, last_mono = self._mark or (now, mono)
        self._mark = (now, mono)
        drift = (now - last_wall) - timedelta(seconds=mono - last_mono)
        if abs(drift) > JUMP:
            log.info("clock jump of %d s detected", int(drift.total_seconds()))
            self.wake()
            self.clock_jumped.emit()
        elif self._armed_for is not None and now >= self._armed_for + JUMP:
            log.info("reminder timer late by %d s", int((now - self._armed_for).total_seconds()))
            self.wake()
            self.clock_jumped.emit()
        else:
            self._advance_watch(now)

    def catch_up_answered(self, statuses: tuple[DoseStatus, ...] | list[DoseStatus]) -> None:
        """The caregiver has seen these doses in the "while you were away" list (whatever
        they answered): never list them again; those still unrecorded are reminded about
        as usual from now on."""
        now = self._now()
        self._repo.mark_shown(((subject_of(s), s.occurrence.due) for s in statuses), now,
                              Shown.CATCH_UP)
        for status in statuses:
            self._held.pop(subject_of(status), None)
        self.rearm()

    def held(self) -> tuple[DoseStatus, ...]:
        """Doses waiting in an unanswered "while you were away" list."""
        return tuple(self._held.values())

    def snooze(self, medicine_id: int, key: str, minutes: int) -> datetime:
        """No reminder for this dose until ``minutes`` from now (or from its due time, if
        that is later). Returns the new time."""
        return self.snooze_all([(medicine_id, key)], minutes)

    def snooze_all(self, doses: Sequence[tuple[int, str]], minutes: int) -> datetime:
        """Snooze each of ``doses`` (a notification's Snooze) as one action, which Undo
        takes back whole. Returns the (first) new time."""
        now = self._now()
        changes: list[SnoozeChange] = []
        for medicine_id, key in doses:
            occurrence = self._book.occurrence(medicine_id, key)
            if occurrence is None:
                raise ValueError(f"no such dose {medicine_id}/{key}")
            before = self.snoozed_until(medicine_id, key)
            until = max(now, occurrence.due) + timedelta(minutes=minutes)
            self._repo.set_snooze(dose_subject(medicine_id, key), occurrence.due, until, now)
            name = self._book.medicine(medicine_id).generic_name
            changes.append(SnoozeChange(medicine_id, key, name, occurrence.due, before,
                                        until))
        if not changes:
            raise ValueError("no dose to snooze")
        self.rearm()
        # announced with the action it was, so Undo can put the snooze back (set_snooze)
        self._book.changes.announce(Changes(
            snoozes=frozenset(c.medicine_id for c in changes),
            action=LastAction(now, snoozes=tuple(changes))))
        return changes[0].until

    def set_snooze(self, medicine_id: int, key: str, until: datetime | None) -> None:
        """Put a snooze back as it was (``None``: no snooze), e.g. to undo one."""
        occurrence = self._book.occurrence(medicine_id, key)
        subject = dose_subject(medicine_id, key)
        if until is None:
            self._repo.clear_snooze(subject)
        elif occurrence is not None:
            self._repo.set_snooze(subject, occurrence.due, to_utc(until), self._now())
        self.rearm()
        self._book.changes.announce(Changes(snoozes=frozenset({medicine_id})))

    def snoozed_until(self, medicine_id: int, key: str) -> datetime | None:
        entry = self._repo.entry(dose_subject(medicine_id, key))
        if entry is None or entry.snoozed_until is None or entry.snoozed_until <= self._now():
            return None
        return entry.snoozed_until

    def snoozes(self) -> dict[tuple[int, str], datetime]:
        """Every snooze still running: ``(medicine_id, key) -> until``."""
        found = {}
        for subject, until in self._repo.snoozes(self._now()).items():
            _, medicine_id, key = subject.split(":", 2)
            found[(int(medicine_id), key)] = until
        return found

    # ---- Private

    def _now(self) -> datetime:
        return to_utc(self._clock.now())

    def _arm(self, next_at: datetime | None, now: datetime) -> None:
        latest = now + MAX_SLEEP
        target = latest if next_at is None else min(next_at, latest)
        self._armed_for = target
        msec = max(0, int((target - now).total_seconds() * 1000))
        self.timer.start(msec)
        self.armed.emit(target)

    def _advance_watch(self, now: datetime) -> None:
        """Nothing jumped: the clock was watched up to now, but never past an event the
        timer has not delivered yet."""
        limit = now if self._armed_for is None else min(now, self._armed_for)
        if self._watched_until is None or limit > self._watched_until:
            self._watched_until = limit


def _repeats(statuses, shown, now: datetime, settings: ReminderSettings) -> int:
    """How many times the longest-reminded of ``statuses`` was reminded about before:
    the time since its first reminder in repeat intervals (at least 1 for a repeat)."""
    most = 0
    for status in statuses:
        entry = shown.get(subject_of(status))
        if entry is None:
            continue
        since = now - entry.announced_at
        count = round(since / settings.repeat) if settings.repeat else 1
        most = max(most, count, 1)
    return most


__all__ = ["JUMP", "LOOKAHEAD", "ReminderBatch", "ReminderService"]
