"""Reminders delivered outside the window's banner: the system tray and the chime.

``TrayNotifier`` shows a notice as a message from the tray icon (only while the
platform has a tray, asked at each message: a tray may come after the app); clicking
it emits ``activated(notice)``. ``SoundNotifier`` plays a short chime
(``resources/sounds/reminder.wav`` through QtMultimedia, or the system beep where
QtMultimedia is missing), when switched on. Both implement
``services.notifier.Notifier``; what a notice says is decided there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from caregiver_app.domain.reminders import SoundPrefs, chime_for
from caregiver_app.services.notifier import Notice
from caregiver_app.services.system_notices import message_for

log = logging.getLogger(__name__)

#: How long a tray message stays up (the platform may shorten it).
TRAY_MESSAGE_MS = 30_000
#: Between two system beeps where there is no chime to play.
BEEP_GAP_MS = 700


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
                 title_prefix: str = "", discreet: Callable[[], bool] = lambda: False,
                 stand_in: Callable[[], bool] = lambda: True):
        """``title_prefix`` starts every message ("Example: " for the example household,
        so its reminders are never taken for a real patient's). ``discreet()``: the
        household's choice of no medicine names in notifications. ``stand_in()``: show
        messages at all (false while the system's notification service takes the
        reminders, ``services.system_notices``: one notification, not two)."""
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip(tooltip)
        self._prefix = title_prefix
        self._discreet = discreet
        self._stand_in = stand_in
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
        if self._stand_in() and self.available() and QSystemTrayIcon.supportsMessages():
            words = message_for(notice, discreet=self._discreet(), prefix=self._prefix)
            self.icon.showMessage(words.title, words.body, self.icon.icon(), TRAY_MESSAGE_MS)

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
                from PySide6.QtCore import QUrl  # (with the sound: not at start-up)

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


__all__ = ["SoundNotifier", "TrayNotifier"]
