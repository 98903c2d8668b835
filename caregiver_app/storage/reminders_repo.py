"""The reminder log and the watched-until mark (see ``domain.reminders``).

This is bookkeeping, not a record: when it cannot be saved (a full disk, records opened
read-only) it is kept in memory instead, read back as if saved and written at the next
write that succeeds, so reminders keep coming, never twice and never in a loop, and
closing the app never fails on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from caregiver_app.domain.errors import NotSaved
from caregiver_app.domain.reminders import LogEntry, Shown
from caregiver_app.storage.timestamps import moment_to_text, text_to_moment

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)

_COLUMNS = "subject, due_at, announced_at, last_shown_at, how, snoozed_until"


class ReminderRepository:
    def __init__(self, db: Database):
        self._db = db
        # what could not be saved yet: the entry as it would read, by subject (None: the
        # entry was deleted), and the watched-until mark
        self._unsaved: dict[str, LogEntry | None] = {}
        self._unsaved_watch: datetime | None = None

    @property
    def unsaved(self) -> bool:
        """Some bookkeeping is only in memory (the disk was full)."""
        return bool(self._unsaved) or self._unsaved_watch is not None

    # ---- Reading

    def log_between(self, start: datetime, end: datetime) -> dict[str, LogEntry]:
        """Entries for doses due in ``[start, end)``, by subject."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM reminder_log WHERE due_at >= ? AND due_at < ?",
            [moment_to_text(start), moment_to_text(end)]).fetchall()
        found = {row[0]: _entry(row) for row in rows}
        for subject, entry in self._unsaved.items():
            found.pop(subject, None)
            if entry is not None and start <= entry.due_at < end:
                found[subject] = entry
        return found

    def entry(self, subject: str) -> LogEntry | None:
        if subject in self._unsaved:
            return self._unsaved[subject]
        return self._saved_entry(subject)

    def snoozes(self, after: datetime) -> dict[str, datetime]:
        """Snoozes ending after ``after``, by subject."""
        rows = self._db.execute(
            "SELECT subject, snoozed_until FROM reminder_log WHERE snoozed_until > ?",
            [moment_to_text(after)]).fetchall()
        found = {subject: text_to_moment(until) for subject, until in rows}
        for subject, entry in self._unsaved.items():
            found.pop(subject, None)
            if entry is not None and entry.snoozed_until and entry.snoozed_until > after:
                found[subject] = entry.snoozed_until
        return found

    def watched_until(self) -> datetime | None:
        if self._unsaved_watch is not None:
            return self._unsaved_watch
        row = self._db.execute("SELECT watched_until FROM reminder_watch WHERE id = 1").fetchone()
        return text_to_moment(row[0]) if row else None

    # ---- Writing

    def mark_shown(self, items: Iterable[tuple[str, datetime]], at: datetime,
                   how: Shown) -> None:
        """Record that ``(subject, due_at)`` items were shown at ``at``: a first showing
        is inserted with ``how``; a later one moves ``last_shown_at``."""
        items = list(items)
        stamp = moment_to_text(at)

        def save() -> None:
            for subject, due_at in items:
                self._db.execute(
                    "INSERT INTO reminder_log (subject, due_at, announced_at, how, "
                    "last_shown_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE "
                    "SET last_shown_at = excluded.last_shown_at",
                    [subject, moment_to_text(due_at), stamp, how.value, stamp])

        def remember() -> None:
            for subject, due_at in items:
                old = self.entry(subject)
                self._unsaved[subject] = (replace(old, last_shown_at=at) if old else
                                          LogEntry(subject, due_at, at, at, how))

        self._write(save, remember)

    def set_snooze(self, subject: str, due_at: datetime, until: datetime | None,
                   at: datetime) -> None:
        """Snooze (or, with ``until=None``, un-snooze) one subject."""
        stamp = moment_to_text(at)

        def save() -> None:
            self._db.execute(
                "INSERT INTO reminder_log (subject, due_at, announced_at, how, last_shown_at, "
                "snoozed_until) VALUES (?, ?, ?, 'snooze', ?, ?) ON CONFLICT (subject) DO "
                "UPDATE SET snoozed_until = excluded.snoozed_until",
                [subject, moment_to_text(due_at), stamp, stamp, moment_to_text(until)])

        def remember() -> None:
            old = self.entry(subject)
            self._unsaved[subject] = (replace(old, snoozed_until=until) if old else
                                      LogEntry(subject, due_at, at, at, Shown.SNOOZE, until))

        self._write(save, remember)

    def clear_snooze(self, subject: str) -> None:
        """Take a snooze back. A dose snoozed before its first reminder and not shown
        since is forgotten entirely, so its reminder at the due time still comes."""

        def save() -> None:
            self._db.execute(
                "DELETE FROM reminder_log WHERE subject = ? AND how = 'snooze' "
                "AND last_shown_at = announced_at", [subject])
            self._db.execute("UPDATE reminder_log SET snoozed_until = NULL WHERE subject = ?",
                             [subject])

        def remember() -> None:
            old = self.entry(subject)
            if old is None:
                return
            forget = old.how is Shown.SNOOZE and old.last_shown_at == old.announced_at
            self._unsaved[subject] = None if forget else replace(old, snoozed_until=None)

        self._write(save, remember)

    def set_watched_until(self, at: datetime) -> None:
        def save() -> None:
            self._save_watch(at)

        def remember() -> None:
            self._unsaved_watch = at

        self._write(save, remember)

    # ---- Private

    def _saved_entry(self, subject: str) -> LogEntry | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM reminder_log WHERE subject = ?",
                               [subject]).fetchone()
        return _entry(row) if row else None

    def _save_watch(self, at: datetime) -> None:
        self._db.execute(
            "INSERT INTO reminder_watch (id, watched_until) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET watched_until = excluded.watched_until",
            [moment_to_text(at)])

    def _write(self, save: Callable[[], None], remember: Callable[[], None]) -> None:
        """Save what was kept in memory and then this change, in one transaction; when
        the records cannot be written, keep this change in memory instead."""
        try:
            with self._db.atomic():
                self._flush()
                save()
        except NotSaved as exc:
            log.warning("reminder bookkeeping kept in memory: %s", exc.reason)
            remember()
            return
        self._unsaved.clear()
        self._unsaved_watch = None

    def _flush(self) -> None:
        for subject, entry in self._unsaved.items():
            self._db.execute("DELETE FROM reminder_log WHERE subject = ?", [subject])
            if entry is not None:
                self._db.execute(
                    f"INSERT INTO reminder_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                    [entry.subject, moment_to_text(entry.due_at),
                     moment_to_text(entry.announced_at), moment_to_text(entry.last_shown_at),
                     entry.how.value, moment_to_text(entry.snoozed_until)])
        if self._unsaved_watch is not None:
            self._save_watch(self._unsaved_watch)


def _entry(row: tuple) -> LogEntry:
    subject, due_at, announced_at, last_shown_at, how, snoozed_until = row
    return LogEntry(subject=subject, due_at=text_to_moment(due_at),
                    announced_at=text_to_moment(announced_at),
                    last_shown_at=text_to_moment(last_shown_at),
                    how=Shown(how), snoozed_until=text_to_moment(snoozed_until))
