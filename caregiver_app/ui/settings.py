"""Typed access to window and view preferences kept in QSettings, each declared once.

Only this computer's state lives here (geometry, last tab, text size, who is on duty
on this computer, how this computer reminds); medical data and the household settings
that change what the records mean (dose timing) live only in the database
(``storage.household_repo``, declared in ``domain.household.SETTINGS``).

``COMPUTER_SETTINGS`` declares every setting of this computer: its key in the INI
file, its type, its default and what values it may take (anything else reads as the
default); ``UiSettings`` reads and writes them through those declarations.
``every_setting()`` is the one table of every setting of the app, with where it is
kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

from caregiver_app.domain.going_nudges import EFFECT_AFTER_CHOICES, EFFECT_AFTER_MINUTES
from caregiver_app.domain.household import SETTINGS as HOUSEHOLD_SETTINGS
from caregiver_app.domain.reminders import (
    APPOINTMENT_HOURS_CHOICES,
    LEAD_CHOICES,
    REPEAT_CHOICES,
    VOLUME_CHOICES,
    ReminderSettings,
    SoundPrefs,
)

SETTINGS_VERSION = 1

T = TypeVar("T")

#: Where a setting is kept.
ON_THIS_COMPUTER = "this computer (ui-settings.ini)"
IN_THE_RECORDS = "the records (household_settings), carried by backups and exports"


def _within(low: float, high: float) -> Callable[[Any], Any]:
    return lambda value: min(max(value, low), high)


def _one_of(choices: tuple[int, ...]) -> Callable[[Any], Any]:
    return lambda value: value if value in choices else None


#: ``Declared.as_kind``: nothing stored, or not a value of its kind.
_NOT_READ: Any = object()


@dataclass(frozen=True)
class Declared(Generic[T]):
    """One setting: ``key`` in the INI file, its ``kind``, its ``default``, and ``valid``
    (the value to use for what was read: clamped, or None for "not valid: use the
    default")."""

    key: str
    kind: type
    default: T
    doc: str
    valid: Callable[[Any], Any] | None = None
    where: str = ON_THIS_COMPUTER

    def from_stored(self, value: object) -> T:
        """What a stored value reads as (the default when it is missing or not valid)."""
        read = self.as_kind(value)
        if read is _NOT_READ:
            return self.default
        if self.valid is not None:
            read = self.valid(read)
        return self.default if read is None else read

    def as_kind(self, value: object) -> Any:
        """A stored value as its ``kind``, as stored: not clamped, nor replaced when not
        valid (``_NOT_READ`` when it is missing or not of its kind)."""
        if value is None:
            return _NOT_READ
        try:
            if self.kind is bool:
                return value if isinstance(value, bool) else str(value).lower() in ("1", "true")
            return self.kind(value)
        except (TypeError, ValueError):
            return _NOT_READ


class _Setting(Generic[T]):
    """A ``UiSettings`` attribute read and written through its declaration."""

    def __init__(self, declared: Declared[T]):
        self.declared = declared

    @overload
    def __get__(self, obj: None, owner: type) -> _Setting[T]: ...
    @overload
    def __get__(self, obj: UiSettings, owner: type) -> T: ...

    def __get__(self, obj: UiSettings | None, owner: type) -> T | _Setting[T]:
        if obj is None:
            return self
        return obj.read(self.declared)

    def __set__(self, obj: UiSettings, value: T) -> None:
        obj.write(self.declared, value)


LAST_TAB = Declared("main_window/last_tab", str, "today", "The tab shown at the last close.")
TEXT_SCALE = Declared("view/text_scale", float, 1.0, "The app's text size (View menu), "
                      "times the computer's.", _within(0.8, 2.5))
ON_DUTY = Declared("session/on_duty_caregiver_id", int, 0,
                   "Who is on duty on this computer (0: nobody chosen).")
LEARN_ZOOM = Declared("learn/zoom_percent", int, 100, "Text size of the article reader, in "
                      "percent of the app's text size.", _within(50, 300))
LEARN_LAST_ARTICLE = Declared("learn/last_article", str, "",
                              "The article open when the app was last used.")
TODAY_LARGE_TEXT = Declared("today/large_text", bool, False, "The Today tab's \"Large "
                            "text\" view, readable from across a room.")
REMINDER_LEAD = Declared("reminders/lead_minutes", int, 0, "Also remind this many minutes "
                         "before a dose is due (0: only at the due time).",
                         _one_of(LEAD_CHOICES))
REMINDER_REPEAT = Declared("reminders/repeat_minutes", int, 10, "Remind again this often "
                           "until the dose is recorded (0: once).", _one_of(REPEAT_CHOICES))
REMINDER_SOUND = Declared("reminders/sound", bool, True, "A chime with each reminder.")
REMINDER_VOLUME = Declared("reminders/volume", int, 75, "The chime's volume, in percent.",
                           _one_of(VOLUME_CHOICES))
REMINDER_ESCALATE = Declared("reminders/escalate", bool, True, "A dose still not recorded "
                             "after the first repeat gets a longer, louder chime.")
REMINDER_LOUDEST = Declared("reminders/loudest", int, 100, "The loudest a longer chime may "
                            "be, in percent (never below the volume).",
                            _one_of(VOLUME_CHOICES))
CLOSE_TO_TRAY = Declared("reminders/close_to_tray", bool, True, "Closing the window keeps "
                         "the app running near the clock (where there is a tray).")
TRAY_HINT_SHOWN = Declared("reminders/tray_hint_shown", bool, False,
                           "The \"still running near the clock\" message was shown once.")
APPOINTMENT_HOURS = Declared("reminders/appointment_hours", int, 2, "Remind this many hours "
                             "before an appointment (0: only the evening before).",
                             _one_of(APPOINTMENT_HOURS_CHOICES))
BRING_TO_FRONT = Declared("reminders/bring_to_front", bool, True, "A reminder about a due "
                          "dose restores and raises the window.")
DISCREET = Declared("reminders/discreet", bool, False, "Notifications say \"Time for "
                    "medicines (1)\", without names (for a lock screen).")
PAPER = Declared("print/paper", str, "", "The paper size chosen in File > Print > Paper "
                 "size (\"\": the usual one in the patient's country).")
WINDOW_GEOMETRY = Declared("<window>/geometry/<screen>", bytes, b"", "The size and place "
                           "each window last had on each screen.")
GOING_NUDGES = Declared("going/nudges", str, "on", "Today shows one line when the weekly "
                        "weight, the daily check or \"did it help?\" is due (on or off).",
                        lambda value: value if value in ("on", "off") else None)
GOING_EFFECT_AFTER = Declared("going/effect_after_minutes", int, EFFECT_AFTER_MINUTES,
                              "Ask whether an as-needed dose helped this many minutes after "
                              "it was given.", _one_of(EFFECT_AFTER_CHOICES))
LAST_VERSION = Declared("app/last_version", str, "", "The version of the app that last "
                       "started on these records (start at login is offered again once "
                       "after an update).")
VERSION = Declared("settings_version", int, SETTINGS_VERSION,
                   "The version of this file's layout.")

#: Every setting kept on this computer.
COMPUTER_SETTINGS: tuple[Declared[Any], ...] = (
    LAST_TAB, TEXT_SCALE, ON_DUTY, LEARN_ZOOM, LEARN_LAST_ARTICLE, TODAY_LARGE_TEXT,
    REMINDER_LEAD, REMINDER_REPEAT, REMINDER_SOUND, REMINDER_VOLUME, REMINDER_ESCALATE,
    REMINDER_LOUDEST, CLOSE_TO_TRAY, TRAY_HINT_SHOWN, APPOINTMENT_HOURS, BRING_TO_FRONT,
    DISCREET, PAPER, GOING_NUDGES, GOING_EFFECT_AFTER, WINDOW_GEOMETRY, LAST_VERSION,
    VERSION)


def every_setting() -> list[Declared[Any]]:
    """The one table of every setting of the app: this computer's, then the household's
    kept in the records (``domain.household.SETTINGS``)."""
    household = [Declared(s.key, type(s.default) if s.default is not None else str,
                          s.default, s.label, where=IN_THE_RECORDS)
                 for s in HOUSEHOLD_SETTINGS.values()]
    return [*COMPUTER_SETTINGS, *household]


class UiSettings:
    def __init__(self, settings: QSettings):
        self._s = settings
        if self._s.value(VERSION.key) is None:
            self._s.setValue(VERSION.key, SETTINGS_VERSION)

    @classmethod
    def at(cls, path: Path) -> UiSettings:
        """Settings in an INI file, created owner-only (Qt keeps the mode on rewrite)."""
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def sync(self) -> None:
        self._s.sync()

    # ---- Declared settings

    def read(self, declared: Declared[T]) -> T:
        return declared.from_stored(self._s.value(declared.key))

    def write(self, declared: Declared[T], value: T) -> None:
        """Keep ``value`` (nothing to do when the file holds it already: each start sets
        the text size and the person on duty again, and a change makes QSettings write
        the whole file anew, with its lock file and two disk flushes, while the window
        starts)."""
        kept = declared.kind(value)
        # (what the file holds as it is: a value read clamped, or as the default, is
        # written, so the file says what the person chose, for every later version)
        if declared.as_kind(self._s.value(declared.key)) == kept:
            return
        self._s.setValue(declared.key, kept)

    def get_str(self, key: str, default: str = "") -> str:
        return Declared(key, str, default, "").from_stored(self._s.value(key))

    def set_value(self, key: str, value) -> None:
        self._s.setValue(key, value)

    # ---- Main window

    def window_geometry_for(self, screen: str, window: str = "main_window"
                            ) -> QByteArray | None:
        """The size and place ``window`` last had on ``screen`` (``ui.screen_fit``)."""
        value = self._s.value(f"{window}/geometry/{screen}")
        return value if isinstance(value, QByteArray) else None

    def set_window_geometry(self, screen: str, value: QByteArray,
                            window: str = "main_window") -> None:
        self._s.setValue(f"{window}/geometry/{screen}", value)

    last_tab = _Setting(LAST_TAB)
    text_scale = _Setting(TEXT_SCALE)

    @property
    def on_duty_caregiver_id(self) -> int | None:
        return self.read(ON_DUTY) or None

    @on_duty_caregiver_id.setter
    def on_duty_caregiver_id(self, value: int | None) -> None:
        self.write(ON_DUTY, int(value or 0))

    last_version = _Setting(LAST_VERSION)

    # ---- Learn tab

    learn_zoom_percent = _Setting(LEARN_ZOOM)
    learn_last_article = _Setting(LEARN_LAST_ARTICLE)

    # ---- Today tab and reminders

    today_large_text = _Setting(TODAY_LARGE_TEXT)
    reminder_lead_minutes = _Setting(REMINDER_LEAD)
    reminder_repeat_minutes = _Setting(REMINDER_REPEAT)
    reminder_sound = _Setting(REMINDER_SOUND)
    reminder_volume = _Setting(REMINDER_VOLUME)
    reminder_escalate = _Setting(REMINDER_ESCALATE)

    @property
    def reminder_loudest(self) -> int:
        """The loudest a longer chime may be, in percent (never below the volume)."""
        return max(self.read(REMINDER_LOUDEST), self.reminder_volume)

    @reminder_loudest.setter
    def reminder_loudest(self, value: int) -> None:
        self.write(REMINDER_LOUDEST, value)

    def sound_prefs(self) -> SoundPrefs:
        return SoundPrefs(self.reminder_volume, self.reminder_escalate, self.reminder_loudest)

    close_to_tray = _Setting(CLOSE_TO_TRAY)
    tray_hint_shown = _Setting(TRAY_HINT_SHOWN)
    appointment_reminder_hours = _Setting(APPOINTMENT_HOURS)
    bring_to_front = _Setting(BRING_TO_FRONT)
    discreet_notices = _Setting(DISCREET)

    def reminder_settings(self) -> ReminderSettings:
        repeat = self.reminder_repeat_minutes
        return ReminderSettings(lead=timedelta(minutes=self.reminder_lead_minutes),
                                repeat=timedelta(minutes=repeat) if repeat else None,
                                appointment_hours=self.appointment_reminder_hours)

    # ---- How things are going

    @property
    def going_nudges(self) -> bool:
        """Whether Today shows what is due in How things are going."""
        return self.read(GOING_NUDGES) != "off"

    @going_nudges.setter
    def going_nudges(self, on: bool) -> None:
        self.write(GOING_NUDGES, "on" if on else "off")

    going_effect_after_minutes = _Setting(GOING_EFFECT_AFTER)
