"""What differs between Windows, macOS and Linux desktops, in one place.

Everything the app says or does differently per system is decided here, from
``Desktop(system)`` (``sys.platform`` by default), so the rules can be tested on any
machine by naming another system:

- words: where Quit is (macOS moves it to the application menu), where the icon that
  keeps the app running lives (the menu bar on macOS, near the clock elsewhere), where
  to pin it on Windows 11 (new icons go to the overflow menu there), shortcut text in the
  system's own notation (⌘Z, not Ctrl+Z, on macOS), and whether to promise Alt+letter
  (macOS has no mnemonics);
- ``SessionWatch``: the session ends (logout, restart, a system update): the app quits
  instead of hiding in the tray, which would cancel the logout on macOS;
- ``ReopenWatch``: macOS's Dock icon clicked, or the app opened again from Finder, while
  the window is closed to the menu bar: show it (macOS starts no second process);
- ``keep_awake_for_reminders``: macOS's App Nap must not delay the reminder timers of
  a hidden app.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from caregiver_app import APP_NAME

log = logging.getLogger(__name__)

#: macOS's modifier symbols, in Apple's order (Control, Option, Shift, Command).
_MAC_MODIFIERS = (("Meta", "⌃"), ("Alt", "⌥"), ("Shift", "⇧"), ("Ctrl", "⌘"))
_MAC_KEYS = {"Left": "←", "Right": "→", "Up": "↑", "Down": "↓", "Return": "↩",
             "Enter": "⌤", "Backspace": "⌫", "Del": "⌦", "Esc": "⎋", "Tab": "⇥",
             "PgUp": "⇞", "PgDown": "⇟", "Home": "↖", "End": "↘"}


@dataclass(frozen=True)
class Desktop:
    """The rules of one system's desktop: ``"win32"``, ``"darwin"`` or ``"linux"``."""

    system: str = sys.platform

    @property
    def is_mac(self) -> bool:
        return self.system == "darwin"

    @property
    def is_windows(self) -> bool:
        return self.system == "win32"

    # ---- Words

    @property
    def tray_place(self) -> str:
        """Where the app's icon is while it keeps running: "near the clock"."""
        return "in the menu bar" if self.is_mac else "near the clock"

    @property
    def quit_path(self) -> str:
        """The menu path of Quit (macOS puts it in the application menu)."""
        return f"{APP_NAME} ▸ Quit {APP_NAME}" if self.is_mac else "File ▸ Quit"

    @property
    def settings_path(self) -> str:
        """The menu path of the reminder settings (macOS: the application menu)."""
        return f"{APP_NAME} ▸ Settings…" if self.is_mac else "File ▸ Reminder settings…"

    def tray_hint(self) -> str:
        """Said the first time closing the window keeps the app running."""
        where = ("Its icon stays in the menu bar at the top of the screen."
                 if self.is_mac else "Its icon stays near the clock.")
        hint = (f"{APP_NAME} keeps running {self.tray_place}, so dose reminders still come "
                f"while the window is closed. {where} To end it, choose {self.quit_path} "
                f"(or Quit from the icon's menu). You can change this in "
                f"{self.settings_path.replace('…', '')}.")
        if self.is_windows:
            hint += " " + self.pin_hint()
        return hint

    def pin_hint(self) -> str:
        """Windows 11 puts a new tray icon in the overflow menu (the ^ near the clock)."""
        if not self.is_windows:
            return ""
        return ("If you cannot see the icon, click the ^ arrow near the clock. To keep it "
                "in sight, drag it from there onto the taskbar, or turn it on in Settings "
                "▸ Personalization ▸ Taskbar ▸ Other system tray icons.")

    def permission_note(self) -> str:
        """Said before the system asks whether the app may show notifications (macOS
        asks once, and shows none until allowed); "" where nothing is asked."""
        if not self.is_mac:
            return ""
        return (f"Next, macOS asks whether {APP_NAME} may show notifications. Choose "
                "Allow: dose reminders then appear even while the window is closed. "
                "Reminders always show in the app's own window too, and you can change "
                "this later in System Settings ▸ Notifications.")

    def shortcut_text(self, keys: str) -> str:
        """``keys`` ("Ctrl+Z", Qt's portable form) as this system writes it: Qt's own
        ``NativeText`` on the system the app runs on ("⌘Z" on macOS, where Qt maps Ctrl
        to Command; "Ctrl+Z" elsewhere). Naming macOS on another system (tests), the
        same notation is written here: ``NativeText`` only knows the system it runs on."""
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        if not self.is_mac or self.system == sys.platform:
            return native
        return mac_shortcut_text(keys)

    def mnemonic_hint(self, letter: str) -> str:
        """" (Alt+B)" for a button's underlined letter; "" on macOS, which has none."""
        return "" if self.is_mac else f" (Alt+{letter.upper()})"

    # ---- Behaviour

    def shows_window_on_activation(self, window_visible: bool) -> bool:
        """The application became active (macOS: the Dock icon was clicked, or the app
        was opened again from Finder) with its window closed to the menu bar: show it.
        Elsewhere activation comes only from a window, so there is nothing to do."""
        return self.is_mac and not window_visible


def mac_shortcut_text(keys: str) -> str:
    """What Qt's ``NativeText`` gives on macOS for ``keys`` (the test on macOS compares
    them): modifier symbols in Apple's order, then the key."""
    parts = keys.split("+")
    key = parts[-1] or "+"  # "Ctrl++"
    mods = {p for p in parts[:-1] if p}
    symbols = "".join(sym for name, sym in _MAC_MODIFIERS if name in mods)
    return symbols + _MAC_KEYS.get(key, key.upper() if len(key) == 1 else key)


#: The desktop this app runs on.
DESKTOP = Desktop()


def shortcut_text(keys: str) -> str:
    return DESKTOP.shortcut_text(keys)


_ending = {"now": False}


def app_is_ending() -> bool:
    """The system is ending the app or the session: a window's close must be accepted
    (hiding in the tray instead would cancel a macOS logout, restart or update)."""
    return _ending["now"]


class Application(QApplication):
    """The app's QApplication: notes when the system asks it to quit.

    macOS sends a Quit event for a logout, a restart, a system update and Quit in the
    Dock; Qt then closes every window and cancels the logout if one refuses. While that
    event is handled, ``app_is_ending()`` is True, so the window closes for good."""

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Quit:
            return super().event(event)
        log.info("asked to quit by the system")
        _ending["now"] = True
        try:
            accepted = super().event(event)
        finally:
            if not event.isAccepted():  # something refused (a dialog): not ending
                _ending["now"] = False
        return accepted


#: A session that really ends takes the app with it well within this.
SESSION_END_GRACE_MS = 120_000


class SessionWatch(QObject):
    """Windows (WM_QUERYENDSESSION) and X11 session managers ask the app to save before
    the session ends: Qt's ``commitDataRequest``. The app then stops hiding in the tray
    (``app_is_ending()``) and saves what it keeps (``save()``): on Windows the process
    is ended right after, with no close events.

    A session end can still be called off (another program holds it up and the person
    cancels; some X11 session managers also ask for a save without ending). Still
    running ``grace_ms`` later, the app goes back to keeping running in the tray, so a
    later close does not quietly stop the reminders."""

    def __init__(self, app: QGuiApplication, save: Callable[[], None],
                 parent: QObject | None = None, *, grace_ms: int = SESSION_END_GRACE_MS):
        super().__init__(parent)
        self._save = save
        self.grace = QTimer(self)
        self.grace.setSingleShot(True)
        self.grace.setInterval(grace_ms)
        self.grace.timeout.connect(self._called_off)
        app.commitDataRequest.connect(lambda _manager: self.session_ending())

    def session_ending(self) -> None:
        """The session ends (Qt's signal needs a session manager, which a test cannot
        make: tests call this)."""
        log.info("the session is ending")
        _ending["now"] = True
        self._save()
        self.grace.start()

    def _called_off(self) -> None:
        log.info("the session did not end: closing the window keeps the app running again")
        _ending["now"] = False


class ReopenWatch(QObject):
    """macOS: the Dock icon clicked (Qt reports the application active again) while
    the window is hidden in the menu bar: show the window."""

    def __init__(self, app: QGuiApplication, window_visible: Callable[[], bool],
                 show: Callable[[], None], desktop: Desktop = DESKTOP,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._visible = window_visible
        self._show = show
        self._desktop = desktop
        app.applicationStateChanged.connect(self._changed)

    def _changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive \
                and self._desktop.shows_window_on_activation(self._visible()):
            log.info("reopened from the Dock or Finder: window shown")
            self._show()


#: NSActivityUserInitiatedAllowingIdleSystemSleep: no App Nap (timers fire on time),
#: while the computer may still sleep when idle.
NS_ACTIVITY_NO_APP_NAP = 0x00FFFFFF & ~(1 << 20)
_activity: list[object] = []


def keep_awake_for_reminders(desktop: Desktop = DESKTOP) -> bool:
    """macOS: opt out of App Nap for as long as the app runs, so the reminder timers of
    a hidden app are not delayed (the bundle also sets ``NSAppSleepDisabled``). Through
    rubicon-objc, which desktop-notifier brings on macOS. True when it was done."""
    if not desktop.is_mac or _activity:
        return bool(_activity)
    try:
        from rubicon.objc import ObjCClass  # type: ignore[import-not-found]

        info = ObjCClass("NSProcessInfo").processInfo
        _activity.append(info.beginActivityWithOptions(
            NS_ACTIVITY_NO_APP_NAP, reason="Dose reminders must come on time"))
    except Exception:  # never stop the app for this; the bundle's Info.plist still helps
        log.exception("could not opt out of App Nap")
        return False
    return True
