"""How times are written to the database: ISO 8601 text."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def date_to_text(value: date | None) -> str | None:
    return value.isoformat() if value else None


def text_to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
