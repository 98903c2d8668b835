"""Household settings: the choices that change what the records mean.

They are kept in the records themselves (the ``household_settings`` table, one row per
setting: ``key``, ``value`` as text, ``updated_at``), so a backup, a restore, an export
and an import carry them with the doses they judge. Window and view state stays in the
computer's ``ui-settings.ini``.

Each setting has one definition (``SETTINGS``): its key, how its stored text reads as a
value, and what is valid. The Reminders dialog, the importer and the repository all use
it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from caregiver_app.domain.doses import (
    MISSED_AFTER_CHOICES,
    ON_TIME_CHOICES,
    DosePolicy,
    home_window,
)
from caregiver_app.domain.errors import ValidationError

DOSE_ON_TIME = "dose_on_time_minutes"
DOSE_MISSED_AFTER = "dose_missed_after_minutes"
HOUSEHOLD_ID = "household_id"


@dataclass(frozen=True)
class Setting:
    """One household setting. ``parse`` turns the stored text into the value, raising
    ValueError with a plain sentence when the text is not a valid value."""

    key: str
    label: str
    parse: Callable[[str], object]
    default: object


def _minutes(choices: tuple[int, ...], what: str) -> Callable[[str], int]:
    allowed = ", ".join(str(c) for c in choices)

    def parse(text: str) -> int:
        if not isinstance(text, str) or not text.isdigit() or text != str(int(text)):
            raise ValueError(f"{what} must be a whole number of minutes: one of {allowed}")
        value = int(text)
        if value not in choices:
            raise ValueError(f"{what} must be one of {allowed} minutes (found {value})")
        return value

    return parse


#: A UUID as ``str(uuid.UUID(...))`` writes it: the only form a household id is kept in
#: (checked without the uuid module, which loads ``platform``: ~2 ms at every start).
_UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _household_id(text: str) -> str:
    if not isinstance(text, str) or _UUID_TEXT.fullmatch(text) is None:
        raise ValueError("the household id must be a UUID in lower case, like "
                         "1b4e28ba-2fa1-41d2-883f-0016d3cca427")
    return text


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting(DOSE_ON_TIME, "On time within", _minutes(ON_TIME_CHOICES, "On time within"), 60),
    Setting(DOSE_MISSED_AFTER, "Missed after",
            _minutes(MISSED_AFTER_CHOICES, "Missed after"), 120),
    Setting(HOUSEHOLD_ID, "Household id", _household_id, None),
)}


def setting_problem(key: object, text: object) -> tuple[str, str] | None:
    """What is wrong with a stored setting, as (field, message); None when it is valid."""
    setting = SETTINGS.get(key) if isinstance(key, str) else None
    if setting is None:
        known = ", ".join(SETTINGS)
        return "key", f"no household setting is called that (known: {known})"
    try:
        setting.parse(text)  # type: ignore[arg-type]
    except ValueError as exc:
        return "value", str(exc)
    return None


def setting_text(key: str, value: object) -> str:
    """The stored text of ``value``; ValidationError (naming the setting) if invalid."""
    text = str(value)
    problem = setting_problem(key, text)
    if problem is not None:
        raise ValidationError({key: problem[1]})
    return text


def new_household_id() -> str:
    import uuid

    return str(uuid.uuid4())


@dataclass(frozen=True)
class HouseholdSettings:
    """Every household setting, read from the records (defaults where none is saved)."""

    dose_on_time_minutes: int = 60
    dose_missed_after_minutes: int = 120
    household_id: str | None = None

    @classmethod
    def from_texts(cls, texts: dict[str, str]) -> HouseholdSettings:
        """From stored texts; a value that is not valid reads as its default (the start-up
        and import checks report such a value; a screen never fails on it)."""
        values: dict[str, Any] = {}
        for key, setting in SETTINGS.items():
            try:
                values[key] = setting.parse(texts[key]) if key in texts else setting.default
            except ValueError:
                values[key] = setting.default
        return cls(**values)

    def dose_policy(self) -> DosePolicy:
        return DosePolicy(home=home_window(self.dose_on_time_minutes,
                                           self.dose_missed_after_minutes))
