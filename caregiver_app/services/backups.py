"""Backups for the running app: the daily set, "Back up now", and restore."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from caregiver_app.services.clock import Clock
from caregiver_app.storage import backup
from caregiver_app.storage.backup import BackupError, BackupInfo
from caregiver_app.storage.db import StorageError, second_connection

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["BackupError", "BackupInfo", "BackupService", "ReplaceOutcome", "StagedFile"]

log = logging.getLogger(__name__)

#: While the app runs (it may stay in the tray for weeks), look this often whether
#: today's daily copy is there yet; a look costs two directory look-ups.
CHECK_INTERVAL_MS = 60 * 60 * 1000


#: What the reopened window says after a restore, and the title when it failed.
RESTORED = "The backup was restored."
NOT_RESTORED = "Backup not restored"


@dataclass(frozen=True)
class StagedFile:
    """A database file checked and copied beside the records, ready to be put in place
    (``BackupService.stage``)."""

    source: Path
    """The file the person chose."""
    incoming: Path
    """The checked copy beside the records."""


@dataclass(frozen=True)
class ReplaceOutcome:
    """What a restore or import that closed the database did, for the reopened window."""

    ok: bool
    message: str
    title: str = ""


class BackupService(QObject):
    about_to_replace = Signal()
    """The live database is about to be replaced: save anything still being typed now."""

    database_replaced = Signal()
    """The live database was released (closed) for a restore or an import: the app must
    reopen it. ``last_outcome`` says whether the records were replaced or, if the restore
    failed (a full disk), that they are as they were and why."""

    message = Signal(str)
    """A non-modal message for the status bar ("Backups could not be made: …")."""

    def __init__(self, db: Database, database_path: Path, backup_dir: Path, clock: Clock,
                 today: Callable[[], date], release: Callable[[], None],
                 parent: QObject | None = None):
        """``release()`` stops everything that uses ``db`` (the reminders) and closes it;
        it is called once, just before a restore or import replaces the file."""
        super().__init__(parent)
        self._db = db
        self._path = database_path
        self._dir = backup_dir
        self._clock = clock
        self._today = today
        self._release = release
        self._released = False
        self.last_outcome: ReplaceOutcome | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.make_rotating_backups)
        self.timer.start()

    # ---- Public API

    @property
    def backup_dir(self) -> Path:
        return self._dir

    @property
    def released(self) -> bool:
        """The database was closed for a restore or import (this service is done)."""
        return self._released

    def stop(self) -> None:
        """No more daily checks (the app is closing)."""
        self.timer.stop()

    def make_rotating_backups(self) -> list[Path]:
        """Today's daily and this week's weekly copy, if not made yet. Cheap when done.

        Called a few seconds after start-up and every hour after. A failure (a full
        disk, a folder that cannot be written) is logged and shown as a message; the
        next hourly check tries again.
        """
        if self._released:
            return []
        try:
            made = backup.ensure_rotating_backups(self._db.conn, self._dir, self._today(),
                                                  self._clock.now())
        except (BackupError, sqlite3.Error, OSError) as exc:
            reason = backup.reason_of(exc)
            log.warning("rotating backups failed: %s", type(exc).__name__)
            self.message.emit(f"Backups could not be made: {reason}. The app tries again "
                              "every hour.")
            return []
        if made:
            log.info("rotating backups made: %d", len(made))
        return made

    def back_up_to_folder(self, folder: Path) -> Path:
        """A copy in a folder the caregiver chose (a USB stick, say).

        The folder is left as it is (a USB stick's file system may not have owner-only
        permissions); the file is made owner-only where the file system allows it. The
        records are read through a connection of their own: safe on a worker thread.
        """
        if not folder.is_dir():
            raise BackupError(f"The folder {folder} does not exist.")
        stamp = self._clock.now().astimezone().strftime("%Y-%m-%d-%H%M")
        dest = folder / f"ALS-Care-Companion-backup-{stamp}{backup.SUFFIX}"
        try:
            with second_connection(self._db) as db:
                backup.copy_database(db.conn, dest, private=False)
        except BackupError as exc:
            raise BackupError(f"The backup could not be written to {folder}: {exc.reason}.",
                              exc.reason) from exc
        except StorageError as exc:  # the records could not be opened again to copy
            raise BackupError(f"The backup was not made: {exc}", str(exc)) from exc
        log.info("backup written to a chosen folder")
        return dest

    def backups(self) -> list[BackupInfo]:
        return backup.list_backups(self._dir)

    def describe_file(self, path: Path) -> BackupInfo:
        return backup.describe(path, "chosen file")

    def restore(self, path: Path) -> ReplaceOutcome:
        """Check ``path``, keep a copy of the current records, then put ``path`` in place.

        Raises BackupError (nothing changed, the app carries on) if the file cannot be
        restored. Otherwise the database is released and ``database_replaced`` emitted:
        the app reopens everything. The outcome says whether the records were replaced
        (a full disk, say, leaves them as they were).
        """
        return self.replace_with(path, done=RESTORED, failed_title=NOT_RESTORED)

    def stage(self, path: Path, *, step: Callable[[str], None] | None = None) -> StagedFile:
        """The slow half of a restore, which only reads ``path``: its thorough check and
        a copy of it beside the records (``storage.backup.stage_restore``). Nothing in
        the app changes, so it runs on a worker thread; ``step("check")``/``("copy")``
        report the part under way. Raises BackupError, nothing left behind."""
        if self._released:
            raise BackupError("The records are being reopened; try again in a moment.")
        return StagedFile(path, backup.stage_restore(path, self._path, step=step))

    def discard(self, staged: StagedFile) -> None:
        """A staged file that will not be put in place (the person cancelled)."""
        backup.discard_staged(staged.incoming)

    def replace_with(self, path: Path, *, done: str, failed_title: str) -> ReplaceOutcome:
        """``restore`` for any checked database file (an import builds one)."""
        return self.put_in_place(self.stage(path), done=done, failed_title=failed_title)

    def put_in_place(self, staged: StagedFile, *, done: str = "",
                     failed_title: str = "") -> ReplaceOutcome:
        """The quick half, on the GUI thread: save what is being typed, release the
        database, keep the current records as a backup and rename the staged copy over
        them; ``database_replaced`` follows (the app reopens the records) and the outcome
        says whether they were replaced. BackupError (nothing closed) if the records are
        already being reopened."""
        if self._released:
            backup.discard_staged(staged.incoming)
            raise BackupError("The records are being reopened; try again in a moment.")
        self.about_to_replace.emit()
        self._released = True
        self.timer.stop()
        self._release()
        try:
            backup.put_in_place(staged.incoming, self._path, self._dir, self._clock.now())
        except BackupError as exc:
            log.error("restore failed: %s", type(exc.__cause__ or exc).__name__)
            outcome = ReplaceOutcome(False, str(exc), failed_title or NOT_RESTORED)
        else:
            log.info("backup restored")
            outcome = ReplaceOutcome(True, done or RESTORED)
        self.last_outcome = outcome
        self.database_replaced.emit()
        return outcome
