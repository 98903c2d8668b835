"""Backups for the running app: the daily set, "Back up now", and restore."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from caregiver_app.services.clock import Clock
from caregiver_app.storage import backup
from caregiver_app.storage.backup import BackupError, BackupInfo

log = logging.getLogger(__name__)


class BackupService(QObject):
    about_to_replace = Signal()
    """The live database is about to be replaced: save anything still being typed now."""

    database_replaced = Signal()
    """A backup was restored over the live database; the app must reopen it."""

    def __init__(self, db: Database, database_path: Path, backup_dir: Path, clock: Clock,
                 today: Callable[[], date], close_database: Callable[[], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._db = db
        self._path = database_path
        self._dir = backup_dir
        self._clock = clock
        self._today = today
        self._close_database = close_database

    # ---- Public API

    @property
    def backup_dir(self) -> Path:
        return self._dir

    def make_rotating_backups(self) -> list[Path]:
        """Today's daily and this week's weekly copy, if not made yet. Cheap when done."""
        made = backup.ensure_rotating_backups(self._db.conn, self._dir, self._today(),
                                              self._clock.now())
        if made:
            log.info("rotating backups made: %d", len(made))
        return made

    def back_up_to_folder(self, folder: Path) -> Path:
        """A copy in a folder the caregiver chose (a USB stick, say)."""
        if not folder.is_dir():
            raise BackupError(f"The folder {folder} does not exist.")
        stamp = self._clock.now().strftime("%Y-%m-%d-%H%M")
        dest = folder / f"ALS-Care-Companion-backup-{stamp}{backup.SUFFIX}"
        try:
            backup.copy_database(self._db.conn, dest)
        except OSError as exc:
            raise BackupError(f"The backup could not be written to {folder}: {exc.strerror}.") \
                from exc
        log.info("backup written to a chosen folder")
        return dest

    def backups(self) -> list[BackupInfo]:
        return backup.list_backups(self._dir)

    def describe_file(self, path: Path) -> BackupInfo:
        return backup.describe(path, "chosen file")

    def restore(self, path: Path) -> Path | None:
        """Check ``path``, keep a copy of the current records, then put ``path`` in place.

        Emits ``database_replaced``; the app then reopens everything on the new data.
        """
        problem = backup.check_database_file(path)
        if problem:
            raise BackupError(f"That backup cannot be restored: {problem}.")
        self.about_to_replace.emit()
        self._close_database()
        safety = backup.restore(path, self._path, self._dir, self._clock.now())
        log.info("backup restored")
        self.database_replaced.emit()
        return safety
