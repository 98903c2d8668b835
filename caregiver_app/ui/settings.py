"""Typed access to window and view preferences kept in QSettings.

Only UI state lives here (geometry, last tab, text size, who is on duty on
this computer); medical data lives only in the database.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

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

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("main_window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._s.setValue("main_window/geometry", value)

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
