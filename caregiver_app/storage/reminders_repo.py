"""The reminder log and the watched-until mark (see ``domain.reminders``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from caregiver_app.domain.reminders import LogEntry, Shown
from caregiver_app.storage.timestamps import moment_to_text, text_to_moment

_COLUMNS = "subject, due_at, announced_at, last_shown_at, how, snoozed_until"


class ReminderRepository:
    def __init__(self, db: Database):
        self._db = db

    # ---- Reading

    def log_between(self, start: datetime, end: datetime) -> dict[str, LogEntry]:
        """Entries for doses due in ``[start, end)``, by subject."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM reminder_log WHERE due_at >= ? AND due_at < ?",
            [moment_to_text(start), moment_to_text(end)]).fetchall()
        return {row[0]: _entry(row) for row in rows}

    def entry(self, subject: str) -> LogEntry | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM reminder_log WHERE subject = ?",
                               [subject]).fetchone()
        return _entry(row) if row else None

    def snoozes(self, after: datetime) -> dict[str, datetime]:
        """Snoozes ending after ``after``, by subject."""
        rows = self._db.execute(
            "SELECT subject, snoozed_until FROM reminder_log WHERE snoozed_until > ?",
            [moment_to_text(after)]).fetchall()
        return {subject: text_to_moment(until) for subject, until in rows}  # type: ignore[misc]

    def watched_until(self) -> datetime | None:
        row = self._db.execute("SELECT watched_until FROM reminder_watch WHERE id = 1").fetchone()
        return text_to_moment(row[0]) if row else None

    # ---- Writing

    def mark_shown(self, items: Iterable[tuple[str, datetime]], at: datetime,
                   how: Shown) -> None:
        """Record that ``(subject, due_at)`` items were shown at ``at``: a first showing
        is inserted with ``how``; a later one moves ``last_shown_at``."""
        stamp = moment_to_text(at)
        with self._db.atomic():
            for subject, due_at in items:
                self._db.execute(
                    "INSERT INTO reminder_log (subject, due_at, announced_at, how, "
                    "last_shown_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE "
                    "SET last_shown_at = excluded.last_shown_at",
                    [subject, moment_to_text(due_at), stamp, how.value, stamp])

    def set_snooze(self, subject: str, due_at: datetime, until: datetime | None,
                   at: datetime) -> None:
        """Snooze (or, with ``until=None``, un-snooze) one subject."""
        stamp = moment_to_text(at)
        with self._db.atomic():
            self._db.execute(
                "INSERT INTO reminder_log (subject, due_at, announced_at, how, last_shown_at, "
                "snoozed_until) VALUES (?, ?, ?, 'snooze', ?, ?) ON CONFLICT (subject) DO "
                "UPDATE SET snoozed_until = excluded.snoozed_until",
                [subject, moment_to_text(due_at), stamp, stamp, moment_to_text(until)])

    def clear_snooze(self, subject: str) -> None:
        """Take a snooze back. A dose snoozed before its first reminder and not shown
        since is forgotten entirely, so its reminder at the due time still comes."""
        with self._db.atomic():
            self._db.execute(
                "DELETE FROM reminder_log WHERE subject = ? AND how = 'snooze' "
                "AND last_shown_at = announced_at", [subject])
            self._db.execute("UPDATE reminder_log SET snoozed_until = NULL WHERE subject = ?",
                             [subject])

    def set_watched_until(self, at: datetime) -> None:
        with self._db.atomic():
            self._db.execute(
                "INSERT INTO reminder_watch (id, watched_until) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET watched_until = excluded.watched_until",
                [moment_to_text(at)])


def _entry(row: tuple) -> LogEntry:
    subject, due_at, announced_at, last_shown_at, how, snoozed_until = row
    return LogEntry(subject=subject, due_at=text_to_moment(due_at),  # type: ignore[arg-type]
                    announced_at=text_to_moment(announced_at),  # type: ignore[arg-type]
                    last_shown_at=text_to_moment(last_shown_at),  # type: ignore[arg-type]
                    how=Shown(how), snoozed_until=text_to_moment(snoozed_until))
