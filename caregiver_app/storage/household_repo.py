"""The household's settings, kept in the records (``domain.household`` defines them)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.household import (
    DOSE_MISSED_AFTER,
    DOSE_ON_TIME,
    HOUSEHOLD_ID,
    HouseholdSettings,
    new_household_id,
    setting_problem,
    setting_text,
)
from caregiver_app.storage.timestamps import utc_now_text

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLE = "household_settings"


class HouseholdRepository:
    def __init__(self, db: Database):
        self._db = db

    def texts(self) -> dict[str, str]:
        if self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            [TABLE]).fetchone() is None:  # not yet migrated (read-only)
            return {}
        return {key: value for key, value in
                self._db.execute(f"SELECT key, value FROM {TABLE}").fetchall()}

    def get(self) -> HouseholdSettings:
        return HouseholdSettings.from_texts(self.texts())

    def save(self, values: Mapping[str, object]) -> None:
        """Save some settings at once (all or none); ValidationError names a setting
        whose value is not valid, and then nothing is saved."""
        if HOUSEHOLD_ID in values:
            raise ValidationError({HOUSEHOLD_ID: "the household id is made once and kept"})
        rows = [(key, setting_text(key, value)) for key, value in values.items()]
        now = utc_now_text()
        with self._db.atomic():
            for key, text in rows:
                self._db.execute(
                    f"INSERT INTO {TABLE} (key, value, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at WHERE value IS NOT excluded.value",
                    [key, text, now])

    def household_id(self) -> str:
        """The household's id, made once (a random UUID) and then kept in the records:
        the same on every computer that imports or restores them."""
        row = self._db.execute(f"SELECT value FROM {TABLE} WHERE key = ?",
                               [HOUSEHOLD_ID]).fetchone()
        if row is not None:
            return row[0]
        self._db.execute(f"INSERT OR IGNORE INTO {TABLE} (key, value, updated_at) "
                         "VALUES (?, ?, ?)", [HOUSEHOLD_ID, new_household_id(), utc_now_text()])
        return self._db.execute(f"SELECT value FROM {TABLE} WHERE key = ?",
                                [HOUSEHOLD_ID]).fetchone()[0]


#: Settings that earlier versions kept in ``ui-settings.ini`` (section, name) -> key.
_FROM_UI_SETTINGS = {("doses", "on_time_minutes"): DOSE_ON_TIME,
                     ("doses", "missed_after_minutes"): DOSE_MISSED_AFTER}


def carry_over_ui_settings(db: Database, ini: Path) -> dict[str, str]:
    """Move household settings an earlier version kept in ``ini`` into the records, once.

    A setting the records already hold keeps its value; a valid value from ``ini`` fills
    a missing one. The lines are then removed from ``ini`` (only those lines: the rest of
    the file, written by Qt, is left byte for byte), so they are never carried over
    again. Returns what was saved. The file is changed only after the records were.
    """
    try:
        lines = ini.read_text(encoding="utf-8").splitlines(keepends=True)
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return {}
    found: dict[str, str] = {}
    keep: list[str] = []
    section = ""
    for line in lines:
        text = line.strip()
        if text.startswith("[") and text.endswith("]"):
            section = text[1:-1]
        elif "=" in text:
            name, _, value = text.partition("=")
            key = _FROM_UI_SETTINGS.get((section, name.strip()))
            if key is not None:
                found[key] = value.strip()
                continue
        keep.append(line)
    if not found:
        return {}
    repo = HouseholdRepository(db)
    held = repo.texts()
    saved = {key: value for key, value in found.items()
             if key not in held and setting_problem(key, value) is None}
    if saved:
        repo.save(saved)
    _write_private(ini, "".join(_without_empty_sections(keep)))
    return saved


def _without_empty_sections(lines: list[str]) -> list[str]:
    out: list[str] = []
    pending: list[str] = []  # a section header and the blank lines after it
    for line in lines:
        text = line.strip()
        if text.startswith("[") and text.endswith("]"):
            pending = [line]
        elif pending and not text:
            pending.append(line)
        else:
            out += pending
            pending = []
            out.append(line)
    return out


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".partial")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError:  # a full disk: the lines stay, and the records already win
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
