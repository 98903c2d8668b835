"""How times are written to the database: ISO 8601 text."""

from __future__ import annotations

from datetime import UTC, date, datetime


def moment_to_text(value: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 UTC text with seconds; sorts as text."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}")
    return value.astimezone(UTC).isoformat(timespec="seconds")


def text_to_moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def utc_now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def date_to_text(value: date | None) -> str | None:
    return value.isoformat() if value else None


def text_to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
