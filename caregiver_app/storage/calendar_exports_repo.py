"""What each calendar file was sent (``migrations.exports``), and the household's id
that makes the events' UIDs unique in the world."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from caregiver_app.storage.household_repo import HouseholdRepository
from caregiver_app.storage.timestamps import moment_to_text, text_to_moment

if TYPE_CHECKING:  # the calendar's code loads when a calendar is exported, not to print
    from sqlite_utils import Database

    from caregiver_app.domain.calendar_events import EventWrite, ExportedEvent

TABLE = "calendar_exports"
_COLUMNS = "uid, sequence, starts_at, ends_at, summary, fingerprint, cancelled, category"


def _exported(row) -> ExportedEvent:
    from caregiver_app.domain.calendar_events import ExportedEvent

    uid, sequence, start, end, summary, fingerprint, cancelled, category = row
    return ExportedEvent(uid=uid, sequence=int(sequence), start=text_to_moment(start),
                         end=text_to_moment(end), summary=summary, fingerprint=fingerprint,
                         cancelled=bool(cancelled), category=category)


class CalendarExportRepository:
    def __init__(self, db: Database):
        self._db = db

    def household_id(self) -> str:
        return HouseholdRepository(self._db).household_id()

    def sent(self, target: str) -> dict[str, ExportedEvent]:
        """What ``target`` was last sent, by UID."""
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM {TABLE} WHERE target = ?",
                                [target]).fetchall()
        return {row[0]: _exported(row) for row in rows}

    def latest(self, uids: Iterable[str]) -> dict[str, ExportedEvent]:
        """For each of ``uids`` sent anywhere, the copy with the highest SEQUENCE."""
        found: dict[str, ExportedEvent] = {}
        wanted = list(dict.fromkeys(uids))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM {TABLE} WHERE uid IN ({marks}) "
                "ORDER BY sequence, exported_at", chunk).fetchall()
            found.update((row[0], _exported(row)) for row in rows)  # the highest wins
        return found

    def last_target(self) -> str | None:
        """The file most recently exported to (None before the first export)."""
        row = self._db.execute(f"SELECT target FROM {TABLE} ORDER BY exported_at DESC, "
                               "rowid DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def record(self, target: str, writes: Iterable[EventWrite], now: datetime, *,
               then: Callable[[], None] = lambda: None) -> None:
        """Note that ``writes`` were sent to ``target``; ``then`` (writing the file) runs
        before the note is committed, and nothing is noted if it raises."""
        stamp = moment_to_text(now)
        rows = [(target, w.event.uid, w.sequence, moment_to_text(w.event.start),
                 moment_to_text(w.event.end), w.event.summary, w.event.category,
                 w.fingerprint, int(w.cancelled), stamp) for w in writes]
        with self._db.atomic():
            self._db.conn.executemany(
                f"INSERT INTO {TABLE} (target, uid, sequence, starts_at, ends_at, summary, "
                "category, fingerprint, cancelled, exported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target, uid) DO UPDATE "
                "SET sequence = excluded.sequence, starts_at = excluded.starts_at, "
                "ends_at = excluded.ends_at, summary = excluded.summary, "
                "category = excluded.category, fingerprint = excluded.fingerprint, "
                "cancelled = excluded.cancelled, exported_at = excluded.exported_at", rows)
            then()


__all__ = ["CalendarExportRepository"]
