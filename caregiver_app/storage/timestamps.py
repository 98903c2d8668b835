"""How times are written to the database: ISO 8601 text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import overload

from caregiver_app.domain.values import check_day, check_moment


@overload
def moment_to_text(value: datetime) -> str: ...
@overload
def moment_to_text(value: datetime | None) -> str | None: ...
def moment_to_text(value: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 UTC text with seconds; sorts as text."""
    if value is None:
        return None
    check_moment(value)  # the domain's one rule: with its zone, 1900-2200
    return value.astimezone(UTC).isoformat(timespec="seconds")


@overload
def text_to_moment(value: str) -> datetime: ...
@overload
def text_to_moment(value: str | None) -> datetime | None: ...
def text_to_moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def utc_now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def date_to_text(value: date | None) -> str | None:
    return check_day(value).isoformat() if value else None


def text_to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
