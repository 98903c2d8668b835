"""What a single value may be: the one definition every form, importer and store uses.

A date the app keeps lies between 1900 and 2200: no caregiver plans a dose in the year
9999, and a year typed as ``0202`` is a slip of the keyboard, not the third century. The
same holds for moments (a time with its zone): they are always aware, and their date in
UTC lies in the same range. Whole numbers, decimal numbers and texts have the limits of
the field they belong to (see ``domain/fields.py`` for every field of every table).

Each ``…_problem`` function returns a plain message for the caregiver, or None when the
value is fine; each ``parse_…`` function returns the value or raises ValueError with that
message. Plain Python: no Qt, no database.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

#: The first and last day any date field accepts, and the range of every moment.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2200, 12, 31)
#: A day further than this from today is accepted, with a warning to check the year.
FAR_AWAY = timedelta(days=5 * 365 + 1)

_DAY_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_problem(day: date) -> str | None:
    """Why ``day`` cannot be kept (outside 1900-2200), or None."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        return (f"{_shown(day)} is outside the dates the app keeps: choose a day from "
                f"{EARLIEST_DAY.year} to {LATEST_DAY.year}.")
    return None


def check_day(day: date) -> date:
    """``day`` itself, or ValueError when it is outside 1900-2200."""
    problem = day_problem(day)
    if problem:
        raise ValueError(problem)
    return day


def parse_day(text: object) -> date:
    """A date written ``YYYY-MM-DD`` (four-digit year), from 1900 to 2200.

    Raises ValueError with a plain message: a year such as ``0202`` or ``20260`` is
    never read silently as something else.
    """
    if isinstance(text, datetime):
        raise ValueError("a date is written YYYY-MM-DD, without a time")
    if isinstance(text, date):
        return check_day(text)
    value = str(text).strip()
    if not _DAY_TEXT.fullmatch(value):
        raise ValueError(f"{value[:40]!r} is not a date: write it as YYYY-MM-DD, for "
                         "example 2026-12-01")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a day of the calendar") from None
    return check_day(day)


def period_problem(first: date, last: date) -> str | None:
    """Why the days ``first`` to ``last`` cannot be printed or exported, or None."""
    for day in (first, last):
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            return (f"The period runs to {_shown(day)}, outside the dates the app keeps "
                    f"({EARLIEST_DAY.year} to {LATEST_DAY.year}): choose other days.")
    if last < first:
        return "The end of the period is before its start."
    return None


def far_day_warning(day: date, today: date) -> str | None:
    """A reminder to check the year when ``day`` is more than 5 years from ``today``."""
    if abs((day - today).days) > FAR_AWAY.days:
        when = "ahead" if day > today else "ago"
        years = abs(day.year - today.year)
        return (f"{day.isoformat()} is about {years} years {when}: check the year "
                "is the one you meant.")
    return None


def moment_problem(moment: datetime) -> str | None:
    """Why ``moment`` cannot be kept: no time zone, or outside 1900-2200. None if fine."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return "a time needs its time zone (for example 2026-03-08T08:00:00+00:00)"
    try:
        utc_day = moment.astimezone(UTC).date()
    except OverflowError:
        return (f"{moment.isoformat()} is outside the dates the app keeps "
                f"({EARLIEST_DAY.year} to {LATEST_DAY.year})")
    if not EARLIEST_DAY <= utc_day <= LATEST_DAY:
        return (f"{moment.isoformat()} is outside the dates the app keeps "
                f"({EARLIEST_DAY.year} to {LATEST_DAY.year})")
    return None


def check_moment(moment: datetime) -> datetime:
    """``moment`` itself, or ValueError when it has no zone or is outside 1900-2200."""
    problem = moment_problem(moment)
    if problem:
        raise ValueError(problem)
    return moment


def parse_moment(text: object) -> datetime:
    """An ISO 8601 moment with its zone (``2026-03-08T14:00:00+00:00``), 1900-2200.

    A time without a zone is refused: read in the computer's zone it could be hours off.
    """
    if isinstance(text, datetime):
        return check_moment(text)
    value = str(text).strip()
    if not _DAY_TEXT.match(value) or len(value) < 16 or value[10] not in "T ":
        raise ValueError(f"{value[:40]!r} is not a time: write it as ISO 8601, for example "
                         "2026-03-08T14:00:00+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a time of the calendar") from None
    return check_moment(moment)


def _shown(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


# ---- The rule of one field


@dataclass(frozen=True)
class Rule:
    """What one field may hold. ``problem`` says why a value is refused (None: fine).

    ``optional``: None (or "") is allowed.
    """

    optional: bool = False

    def problem(self, value: Any) -> str | None:
        if value is None or (self.optional and value == ""):
            return None if self.optional else "is empty but is required"
        return self.value_problem(value)

    def value_problem(self, value: Any) -> str | None:  # pragma: no cover - overridden
        return None

    def describe(self) -> str:
        return "any value"


@dataclass(frozen=True)
class Day(Rule):
    """A date, 1900-2200."""

    def value_problem(self, value: Any) -> str | None:
        try:
            parse_day(value)
        except ValueError as exc:
            return str(exc)
        return None

    def describe(self) -> str:
        return f"a date from {EARLIEST_DAY.year} to {LATEST_DAY.year}"


@dataclass(frozen=True)
class Moment(Rule):
    """An aware time, 1900-2200 in UTC."""

    def value_problem(self, value: Any) -> str | None:
        try:
            parse_moment(value)
        except ValueError as exc:
            return str(exc)
        return None

    def describe(self) -> str:
        return f"a time with its zone, from {EARLIEST_DAY.year} to {LATEST_DAY.year}"


@dataclass(frozen=True)
class Whole(Rule):
    """A whole number from ``low`` to ``high``."""

    low: int = 0
    high: int = 0

    def value_problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        if not self.low <= value <= self.high:
            return f"must be from {self.low:,} to {self.high:,}, not {_short(value)}"
        return None

    def describe(self) -> str:
        return f"a whole number from {self.low:,} to {self.high:,}"


@dataclass(frozen=True)
class Number(Rule):
    """A finite number from ``low`` (excluded when ``above``) to ``high``."""

    low: float = 0.0
    high: float = 0.0
    above: bool = False

    def value_problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "must be a number"
        if not math.isfinite(value):
            return "must be a finite number"
        low_ok = value > self.low if self.above else value >= self.low
        if not low_ok or value > self.high:
            return (f"must be {'more than' if self.above else 'from'} {self.low:g} "
                    f"{'and at most' if self.above else 'to'} {self.high:g} "
                    f"(not {_short(value)})")
        return None

    def describe(self) -> str:
        return f"a number {'above' if self.above else 'from'} {self.low:g} up to {self.high:g}"


@dataclass(frozen=True)
class Text(Rule):
    """Text of at most ``limit`` characters (and not empty when ``required``)."""

    limit: int = 0
    required: bool = False

    def value_problem(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        if self.required and not value.strip():
            return "is empty but is required"
        if len(value) > self.limit:
            return f"is {len(value):,} characters long; at most {self.limit:,} fit"
        return None

    def describe(self) -> str:
        return f"text of at most {self.limit:,} characters"


@dataclass(frozen=True)
class Flag(Rule):
    """1 or 0."""

    def value_problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or value not in (0, 1):
            return "must be 1 or 0"
        return None

    def describe(self) -> str:
        return "1 or 0"


@dataclass(frozen=True)
class OneOf(Rule):
    """One of an enumeration's values."""

    choices: type[Enum] | None = None

    def value_problem(self, value: Any) -> str | None:
        assert self.choices is not None
        try:
            self.choices(value)
        except ValueError:
            names = ", ".join(str(c.value) for c in self.choices)
            return f"must be one of {names}, not {_short(value)}"
        return None

    def describe(self) -> str:
        assert self.choices is not None
        return "one of " + ", ".join(str(c.value) for c in self.choices)


@dataclass(frozen=True)
class Ref(Rule):
    """The id of another record (checked against the file or database elsewhere)."""

    def value_problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return "must be the id of a record (a whole number from 1)"
        return None

    def describe(self) -> str:
        return "the id of a record"


@dataclass(frozen=True)
class Checked(Rule):
    """A value checked by a named domain function that raises ValueError (a time zone,
    a schedule, a dose key, a phone number); ``check`` is that function."""

    check: Any = None
    what: str = ""

    def value_problem(self, value: Any) -> str | None:
        try:
            self.check(value)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            return str(exc)[:200] or f"is not {self.what}"
        return None

    def describe(self) -> str:
        return self.what


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:20] + "…"


__all__ = [
    "EARLIEST_DAY",
    "FAR_AWAY",
    "LATEST_DAY",
    "Checked",
    "Day",
    "Flag",
    "Moment",
    "Number",
    "OneOf",
    "Ref",
    "Rule",
    "Text",
    "Whole",
    "check_day",
    "check_moment",
    "day_problem",
    "far_day_warning",
    "moment_problem",
    "parse_day",
    "parse_moment",
    "period_problem",
]
