"""Typed access to window and view preferences kept in QSettings.

Only this computer's state lives here (geometry, last tab, text size, who is on duty
on this computer, how this computer reminds); medical data and the household settings
that change what the records mean (dose timing) live only in the database
(``storage.household_repo``).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from caregiver_app.domain.reminders import (
    APPOINTMENT_HOURS_CHOICES,
    LEAD_CHOICES,
    REPEAT_CHOICES,
    VOLUME_CHOICES,
    ReminderSettings,
    SoundPrefs,
)

SETTINGS_VERSION = 1


class UiSettings:
    def __init__(self, settings: QSettings):
        self._s = settings
        if self._s.value("settings_version") is None:
            self._s.setValue("settings_version", SETTINGS_VERSION)

    @classmethod
    def at(cls, path: Path) -> UiSettings:
        """Settings in an INI file, created owner-only (Qt keeps the mode on rewrite)."""
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def sync(self) -> None:
        self._s.sync()

    # ---- typed helpers

    def _get(self, key: str, default, kind):
        value = self._s.value(key, default)
        if value is None:
            return default
        try:
            if kind is bool:
                return value if isinstance(value, bool) else str(value).lower() in ("1", "true")
            return kind(value)
        except (TypeError, ValueError):
            return default

    def get_str(self, key: str, default: str = "") -> str:
        return self._get(key, default, str)

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

    @property
    def last_tab(self) -> str:
        return self._get("main_window/last_tab", "today", str)

    @last_tab.setter
    def last_tab(self, value: str) -> None:
        self._s.setValue("main_window/last_tab", value)

    @property
    def text_scale(self) -> float:
        value = self._get("view/text_scale", 1.0, float)
        return min(max(value, 0.8), 2.5)

    @text_scale.setter
    def text_scale(self, value: float) -> None:
        self._s.setValue("view/text_scale", float(value))

    @property
    def on_duty_caregiver_id(self) -> int | None:
        value = self._get("session/on_duty_caregiver_id", 0, int)
        return value or None

    @on_duty_caregiver_id.setter
    def on_duty_caregiver_id(self, value: int | None) -> None:
        self._s.setValue("session/on_duty_caregiver_id", int(value or 0))

    # ---- Learn tab

    @property
    def learn_zoom_percent(self) -> int:
        """Text size of the article reader, in percent of the app's text size."""
        value = self._get("learn/zoom_percent", 100, int)
        return min(max(value, 50), 300)

    @learn_zoom_percent.setter
    def learn_zoom_percent(self, value: int) -> None:
        self._s.setValue("learn/zoom_percent", int(value))

    @property
    def learn_last_article(self) -> str:
        """The article open when the app was last used ("" for none)."""
        return self._get("learn/last_article", "", str)

    @learn_last_article.setter
    def learn_last_article(self, value: str) -> None:
        self._s.setValue("learn/last_article", value)

    # ---- Today tab and reminders

    @property
    def today_large_text(self) -> bool:
        """The Today tab's "Large text" view, readable from across a room."""
        return self._get("today/large_text", False, bool)

    @today_large_text.setter
    def today_large_text(self, value: bool) -> None:
        self._s.setValue("today/large_text", bool(value))

    @property
    def reminder_lead_minutes(self) -> int:
        """Also remind this many minutes before a dose is due (0: only at the due time)."""
        return _choice(self._get("reminders/lead_minutes", 0, int), LEAD_CHOICES, 0)

    @reminder_lead_minutes.setter
    def reminder_lead_minutes(self, value: int) -> None:
        self._s.setValue("reminders/lead_minutes", int(value))

    @property
    def reminder_repeat_minutes(self) -> int:
        """Remind again this often until the dose is recorded (0: once)."""
        return _choice(self._get("reminders/repeat_minutes", 10, int), REPEAT_CHOICES, 10)

    @reminder_repeat_minutes.setter
    def reminder_repeat_minutes(self, value: int) -> None:
        self._s.setValue("reminders/repeat_minutes", int(value))

    @property
    def reminder_sound(self) -> bool:
        return self._get("reminders/sound", True, bool)

    @reminder_sound.setter
    def reminder_sound(self, value: bool) -> None:
        self._s.setValue("reminders/sound", bool(value))

    @property
    def reminder_volume(self) -> int:
        """The chime's volume, in percent (``VOLUME_CHOICES``)."""
        return _choice(self._get("reminders/volume", 75, int), VOLUME_CHOICES, 75)

    @reminder_volume.setter
    def reminder_volume(self, value: int) -> None:
        self._s.setValue("reminders/volume", int(value))

    @property
    def reminder_escalate(self) -> bool:
        """A dose still not recorded after the first repeat gets a longer, louder chime."""
        return self._get("reminders/escalate", True, bool)

    @reminder_escalate.setter
    def reminder_escalate(self, value: bool) -> None:
        self._s.setValue("reminders/escalate", bool(value))

    @property
    def reminder_loudest(self) -> int:
        """The loudest a longer chime may be, in percent (never below the volume)."""
        value = _choice(self._get("reminders/loudest", 100, int), VOLUME_CHOICES, 100)
        return max(value, self.reminder_volume)

    @reminder_loudest.setter
    def reminder_loudest(self, value: int) -> None:
        self._s.setValue("reminders/loudest", int(value))

    def sound_prefs(self) -> SoundPrefs:
        return SoundPrefs(self.reminder_volume, self.reminder_escalate, self.reminder_loudest)

    @property
    def close_to_tray(self) -> bool:
        """Closing the window keeps the app running near the clock (where there is a tray)."""
        return self._get("reminders/close_to_tray", True, bool)

    @close_to_tray.setter
    def close_to_tray(self, value: bool) -> None:
        self._s.setValue("reminders/close_to_tray", bool(value))

    @property
    def tray_hint_shown(self) -> bool:
        """The "still running near the clock" message was shown once."""
        return self._get("reminders/tray_hint_shown", False, bool)

    @tray_hint_shown.setter
    def tray_hint_shown(self, value: bool) -> None:
        self._s.setValue("reminders/tray_hint_shown", bool(value))

    @property
    def appointment_reminder_hours(self) -> int:
        """Remind this many hours before an appointment (0: only the evening before)."""
        return _choice(self._get("reminders/appointment_hours", 2, int),
                       APPOINTMENT_HOURS_CHOICES, 2)

    @appointment_reminder_hours.setter
    def appointment_reminder_hours(self, value: int) -> None:
        self._s.setValue("reminders/appointment_hours", int(value))

    @property
    def bring_to_front(self) -> bool:
        """A reminder about a due dose restores and raises the window (default on: a
        caregiver expects a due dose to be hard to miss)."""
        return self._get("reminders/bring_to_front", True, bool)

    @bring_to_front.setter
    def bring_to_front(self, value: bool) -> None:
        self._s.setValue("reminders/bring_to_front", bool(value))

    @property
    def discreet_notices(self) -> bool:
        """Notifications say "Time for medicines (1)", without names (for a lock screen);
        off until the household chooses it."""
        return self._get("reminders/discreet", False, bool)

    @discreet_notices.setter
    def discreet_notices(self, value: bool) -> None:
        self._s.setValue("reminders/discreet", bool(value))

    def reminder_settings(self) -> ReminderSettings:
        repeat = self.reminder_repeat_minutes
        return ReminderSettings(lead=timedelta(minutes=self.reminder_lead_minutes),
                                repeat=timedelta(minutes=repeat) if repeat else None,
                                appointment_hours=self.appointment_reminder_hours)


def _choice(value: int, choices: tuple[int, ...], default: int) -> int:
    return value if value in choices else default
