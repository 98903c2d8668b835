"""How a reminder reaches the caregiver: a small ``Notifier`` interface and its delivery.

A ``Notice`` is what one reminder says (a title, one line per dose, and the doses it is
about, so clicking it can open the Today tab at that dose). Anything with
``notify(notice)`` and ``clear()`` is a notifier; ``withdraw(medicine_id, key)``, where a
notifier has it, takes a dose recorded or snoozed off what it shows. Each notifier shows
one notice at a time: a new one (a repeat) replaces the one before.

- ``TrayNotifier``: a message from the system tray icon (only while the platform has a
  tray, ``TrayNotifier.available()``, asked at each message: a tray may come after the
  app); clicking it emits ``activated(notice)``;
- the in-app banner (``ui.today.banner.ReminderBanner``), always, big, with Given and
  Snooze buttons;
- ``SoundNotifier``: a short chime (``resources/sounds/reminder.wav`` through
  QtMultimedia, or the system beep where QtMultimedia is missing), when switched on;
- tests use a fake that records calls.

``notice_for_batch`` and ``notice_for_catch_up`` turn what ``ReminderService`` emits
into notices, in the patient's zone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from caregiver_app.domain.appointments import AppointmentReminder
from caregiver_app.domain.doses import DoseStatus, is_overdue
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.reminders import SoundPrefs, chime_for
from caregiver_app.services.reminders import ReminderBatch

log = logging.getLogger(__name__)

#: How long a tray message stays up (the platform may shorten it).
TRAY_MESSAGE_MS = 30_000
#: Between two system beeps where there is no chime to play.
BEEP_GAP_MS = 700


class NoticeKind(StrEnum):
    DOSES = "doses"  # due now, or still to give (maybe with some not recorded)
    UNRECORDED = "unrecorded"  # only doses past their grace period: what happened?
    EARLY = "early"  # coming up in a few minutes
    CATCH_UP = "catch_up"  # fell due while nobody was watching
    APPOINTMENT = "appointment"

    @property
    def about_a_due_dose(self) -> bool:
        """A dose needs the caregiver now (the window may come to the front)."""
        return self in (NoticeKind.DOSES, NoticeKind.UNRECORDED, NoticeKind.CATCH_UP)


@dataclass(frozen=True)
class NoticeItem:
    medicine_id: int
    key: str
    line: str  # "08:00  riluzole 50 mg: 1 tablet, by mouth"
    ask: bool = False  # past its grace period, nothing recorded: ask what happened


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    title: str
    items: tuple[NoticeItem, ...] = ()
    detail: str = ""
    at: datetime | None = None
    repeat: int = 0  # its doses were reminded about this many times before (the sound)

    @property
    def text(self) -> str:
        lines = [i.line for i in self.items] or [self.detail]
        return "\n".join(line for line in lines if line)

    @property
    def first(self) -> tuple[int, str] | None:
        return (self.items[0].medicine_id, self.items[0].key) if self.items else None


class Notifier(Protocol):
    def notify(self, notice: Notice) -> None: ...

    def clear(self) -> None: ...

    # optional: def withdraw(self, medicine_id: int, key: str) -> None: ...


# ---- Words


def dose_line(status: DoseStatus, zone: ZoneInfo, now: datetime) -> str:
    """"08:00  riluzole 50 mg: 1 tablet, by mouth (overdue)": overdue as on the Today tab
    (``doses.is_overdue``: not at the due second itself)."""
    occ = status.occurrence
    strength = f" {occ.strength}" if occ.strength else ""
    where = " at the clinic" if status.medicine.given_by is GivenBy.CLINIC else ""
    text = (f"{occ.local.astimezone(zone):%H:%M}  {status.medicine.generic_name}{strength}: "
            f"{occ.dose.describe()}, {occ.route.label}{where}")
    if is_overdue(occ.due, now):
        text += " (overdue)"
    return text


#: Added to the line of a dose past its grace period with nothing recorded.
UNRECORDED_NOTE = "not recorded: what happened?"


def _items(statuses, zone: ZoneInfo, now: datetime) -> tuple[NoticeItem, ...]:
    return tuple(NoticeItem(int(s.occurrence.medicine_id or 0), s.occurrence.key,
                            dose_line(s, zone, now)) for s in statuses)


def _ask_items(statuses, zone: ZoneInfo) -> tuple[NoticeItem, ...]:
    """"08:00  riluzole 50 mg: 1 tablet, by mouth (not recorded: what happened?)"."""
    return tuple(NoticeItem(int(s.occurrence.medicine_id or 0), s.occurrence.key,
                            f"{dose_line(s, zone, s.occurrence.due)} ({UNRECORDED_NOTE})",
                            ask=True) for s in statuses)


def notice_for_batch(batch: ReminderBatch, zone: ZoneInfo) -> Notice:
    asks = _ask_items(batch.unrecorded, zone)
    if batch.doses:
        items = _items(batch.doses, zone, batch.at)
        count = len(items)
        if batch.repeated:
            title = "Still to give: " + (f"{count} doses" if count > 1 else "1 dose")
        elif count == 1:
            occ = batch.doses[0].occurrence
            title = (f"Time for {batch.doses[0].medicine.generic_name} "
                     f"({occ.local.astimezone(zone):%H:%M})")
        else:
            title = f"Time for medicines: {count} doses"
        if asks:
            title += f" · {len(asks)} not recorded"
        return Notice(NoticeKind.DOSES, title, items + asks, at=batch.at,
                      repeat=batch.repeat)
    if asks:
        if len(asks) == 1:
            status = batch.unrecorded[0]
            title = (f"Not recorded: {status.medicine.generic_name} "
                     f"{status.occurrence.local.astimezone(zone):%H:%M}. What happened?")
        else:
            title = f"{len(asks)} doses not recorded: what happened?"
        return Notice(NoticeKind.UNRECORDED, title, asks,
                      detail="Say whether each was given (and when) or not given.",
                      at=batch.at)
    items = _items(batch.early, zone, batch.at)
    first = batch.early[0].occurrence.local.astimezone(zone)
    return Notice(NoticeKind.EARLY, f"Coming up at {first:%H:%M}", items, at=batch.at)


def notice_for_catch_up(statuses: tuple[DoseStatus, ...], zone: ZoneInfo,
                        now: datetime) -> Notice:
    count = len(statuses)
    title = ("While you were away, " + (f"{count} doses" if count > 1 else "1 dose")
             + " fell due")
    return Notice(NoticeKind.CATCH_UP, title, _items(statuses, zone, now),
                  detail="Say what happened to each one.", at=now)


def notice_for_appointments(reminders: Sequence[AppointmentReminder],
                            now: datetime) -> Notice:
    first = reminders[0]
    title = ("Appointment tomorrow" if first.kind == "day_before" else "Appointment soon")
    if len(reminders) > 1:
        title = f"{len(reminders)} appointments coming up"
    return Notice(NoticeKind.APPOINTMENT, title,
                  detail="\n".join(r.text for r in reminders), at=now)


# ---- The system tray


class TrayNotifier(QObject):
    """The app's icon near the clock, and reminders as tray messages."""

    activated = Signal(object)
    """A tray message was clicked: carries its ``Notice``."""

    open_requested = Signal()
    """The icon itself was clicked: show the window."""

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def __init__(self, icon: QIcon, tooltip: str, parent: QObject | None = None, *,
                 title_prefix: str = ""):
        """``title_prefix`` starts every message ("Example: " for the example household,
        so its reminders are never taken for a real patient's)."""
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip(tooltip)
        self._prefix = title_prefix
        self._last: Notice | None = None
        self.icon.messageClicked.connect(self._on_message_clicked)
        self.icon.activated.connect(self._on_activated)

    # ---- Public API

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def notify(self, notice: Notice) -> None:
        """Show ``notice`` as the tray's message (it replaces the one shown)."""
        self._last = notice
        if self.available() and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(self._prefix + notice.title, notice.text, self.icon.icon(),
                                  TRAY_MESSAGE_MS)

    def clear(self) -> None:
        self._last = None

    def withdraw(self, medicine_id: int, key: str) -> None:
        """Once every dose of the message shown is recorded or snoozed, take the message
        away (an empty message hides Qt's balloon)."""
        last = self._last
        if last is None or (medicine_id, key) not in {(i.medicine_id, i.key)
                                                      for i in last.items}:
            return
        left = tuple(i for i in last.items if (i.medicine_id, i.key) != (medicine_id, key))
        if left:
            self._last = replace(last, items=left)
            return
        self._last = None
        if QSystemTrayIcon.supportsMessages():
            self.icon.showMessage("", "", QIcon(), 1)

    # ---- Private

    def _on_message_clicked(self) -> None:
        self.activated.emit(self._last)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()


# ---- Sound


class SoundNotifier(QObject):
    """A short chime with each reminder, when ``enabled()`` says so; longer and louder
    for a dose still not recorded after the first repeat, within the volume the
    household chose (``prefs()``, ``domain.reminders.chime_for``).

    QtMultimedia is loaded on the first reminder, not at start-up; where it cannot be
    loaded (no audio libraries), the system beep is used instead (as many beeps).
    """

    def __init__(self, path: Path, enabled: Callable[[], bool],
                 parent: QObject | None = None, *,
                 prefs: Callable[[], SoundPrefs] = SoundPrefs):
        super().__init__(parent)
        self._path = path
        self._enabled = enabled
        self._prefs = prefs
        self.played: list[tuple[float, int]] = []  # (volume, chimes) of each reminder
        self._beeps = QTimer(self)
        self._beeps.setInterval(BEEP_GAP_MS)
        self._beeps.timeout.connect(self._beep)
        self._beeps_left = 0
        self._effect = None
        self._tried = False
        self._play_when_loaded = False
        self._doses: set[tuple[int, str]] = set()

    def notify(self, notice: Notice) -> None:
        self._doses = {(i.medicine_id, i.key) for i in notice.items}
        if not self._enabled():
            return
        volume, chimes = chime_for(notice.repeat, self._prefs())
        self.played.append((volume, chimes))
        effect = self._load()
        if effect is None:
            self._beeps_left = chimes - 1
            QApplication.beep()
            if self._beeps_left:
                self._beeps.start()
            return
        effect.setVolume(volume)
        effect.setLoopCount(chimes)
        if effect.isLoaded():
            effect.play()
        else:  # the first time: the file loads in the background, play once it has
            self._play_when_loaded = True

    def clear(self) -> None:
        self._beeps.stop()
        self._beeps_left = 0
        if self._effect is not None:
            self._effect.stop()

    def withdraw(self, medicine_id: int, key: str) -> None:
        """Every dose the chime was for is recorded or snoozed: a chime still playing
        stops."""
        self._doses.discard((medicine_id, key))
        if not self._doses:
            self.clear()

    def _load(self):
        if not self._tried:
            self._tried = True
            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError as exc:  # no audio libraries on this system
                log.info("no QtMultimedia (%s); reminders beep instead", exc)
            else:
                effect = QSoundEffect(self)
                effect.loadedChanged.connect(self._on_loaded)
                effect.setSource(QUrl.fromLocalFile(str(self._path)))
                self._effect = effect
        return self._effect

    def _beep(self) -> None:
        if self._beeps_left <= 0:
            self._beeps.stop()
            return
        self._beeps_left -= 1
        QApplication.beep()

    def _on_loaded(self) -> None:
        if self._play_when_loaded and self._effect is not None and self._effect.isLoaded():
            self._play_when_loaded = False
            self._effect.play()


__all__ = [
    "UNRECORDED_NOTE",
    "Notice",
    "NoticeItem",
    "NoticeKind",
    "Notifier",
    "SoundNotifier",
    "TrayNotifier",
    "dose_line",
    "notice_for_appointments",
    "notice_for_batch",
    "notice_for_catch_up",
]
