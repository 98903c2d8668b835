"""Open the one SQLite file safely and bring its schema up to date."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from caregiver_app.paths import UI_SETTINGS_NAME, ensure_private_dir
from caregiver_app.storage import migrations
from caregiver_app.storage.backup import (
    BackupError,
    any_backups,
    app_schema_problem,
    make_backup,
    reason_of,
    safeguard_problem,
)
from caregiver_app.storage.faults import GuardedConnection
from caregiver_app.storage.household_repo import HouseholdRepository, carry_over_ui_settings

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
#: SQLite's result codes for a file that is not a database or is damaged.
_DAMAGE_CODES = {sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT}


class StorageError(Exception):
    """The database cannot be used for a reason outside the program.

    For example the disk, permissions, or a file from a newer version.
    """


class NewerSchemaError(StorageError):
    """The file was written by a newer version of the app."""


class DatabaseDamaged(StorageError):
    """The file is not a database, fails SQLite's consistency check, or is empty or
    missing although backups of the records exist.

    ``reason`` completes "The records file …" ("is damaged (…)"); ``str()`` also says how
    to recover, for the command line.
    """

    RECOVER = ("Start ALS Care Companion to recover: it offers the newest good backup "
               "(or a backup file you choose) and keeps the damaged file beside it.")

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"The records file {path} {reason}.\n{self.RECOVER}")


def durability_pragmas(platform: str | None = None) -> tuple[str, ...]:
    """What makes a saved record survive a power cut on ``platform`` (``sys.platform``).

    ``synchronous = FULL`` syncs at every commit. On macOS a plain fsync only reaches
    the drive's cache, so SQLite is also told to use F_FULLFSYNC, for commits and for
    checkpoints of the write-ahead log.
    """
    pragmas = ("synchronous = FULL",)
    if (platform or sys.platform) == "darwin":
        pragmas += ("fullfsync = ON", "checkpoint_fullfsync = ON")
    return pragmas


def _configure(conn: sqlite3.Connection, *, wal: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if wal:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StorageError(f"The database could not switch to WAL journaling (got {mode}).")
    # Every dose record must survive a power cut once it is reported saved.
    for pragma in durability_pragmas():
        conn.execute(f"PRAGMA {pragma}")


def _create_private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def connect(path: Path) -> Database:
    """Open (creating if needed) the database at ``path`` without migrating it."""
    try:
        ensure_private_dir(path.parent)
        if not path.exists():
            _create_private_file(path)
        else:
            os.chmod(path, 0o600)
    except OSError as exc:
        raise StorageError(f"The records file {path} cannot be opened: {reason_of(exc)}.") \
            from exc
    conn = None
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
            check_same_thread=False, factory=GuardedConnection,
        )
        conn.folder = path.parent
        _configure(conn, wal=True)
        check = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None or code & 0xFF in _DAMAGE_CODES:
            raise DatabaseDamaged(path, f"cannot be read ({exc})") from exc
        # locked by another program, no permission, disk full: the file may be fine
        raise StorageError(f"The records file {path} cannot be opened now "
                           f"({reason_of(exc)}).") from exc
    if check != [("ok",)]:
        conn.close()
        raise DatabaseDamaged(path, "is damaged (SQLite's consistency check failed)")
    # SQLite creates -wal and -shm beside the file; keep them private too.
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.chmod(side, 0o600)
    return Database(conn)


def memory_database() -> Database:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False,
                           factory=GuardedConnection)
    _configure(conn, wal=False)
    return Database(conn)


def _refuse_newer(db: Database) -> None:
    newer = migrations.unknown_applied(db)
    if newer:
        names = ", ".join(sorted(f"{s}:{n}" for s, n in newer))
        raise NewerSchemaError(
            "This data was saved by a newer version of ALS Care Companion "
            f"(unknown changes: {names}). Install the newer version to open it."
        )


def migrate(db: Database) -> None:
    """Apply every pending migration; refuse a file from a newer version of the app."""
    _refuse_newer(db)
    migrations.apply_all(db)


def _settle_household(db: Database, ini: Path) -> None:
    """The household id, made once; settings an earlier version kept in ``ini`` moved
    into the records. A full disk leaves both for the next start (nothing is lost: the
    settings stay in ``ini`` until the records hold them)."""
    try:
        HouseholdRepository(db).household_id()
        carry_over_ui_settings(db, ini)
    except sqlite3.OperationalError:
        log.warning("household settings not settled (the disk may be full)")


def has_user_tables(db: Database) -> bool:
    return any(not name.startswith(("_", "sqlite_")) for name in db.table_names())


def _is_empty(path: Path) -> bool:
    """0 bytes, and no write-ahead log that could still hold the records."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)


def open_database(path: Path, *, now: datetime | None = None,
                  new: bool = False) -> Database:
    """Open and migrate: what the app does at start-up.

    Before any schema change to a database that already holds data, a copy is
    kept in ``backups/before-migration/``.

    The app never starts empty when records exist: if ``backups/`` holds copies but
    the file is missing, empty (0 bytes) or holds none of the app's tables, this
    raises DatabaseDamaged (the start-up then offers the newest good backup). Pass
    ``new=True`` when the caregiver chose to start with empty records.
    """
    backup_dir = path.parent / "backups"
    records_expected = not new and any_backups(backup_dir)
    if records_expected:
        if not path.exists():
            raise DatabaseDamaged(path, "is missing, although there are backups of the "
                                        "records")
        if _is_empty(path):
            raise DatabaseDamaged(path, "is empty (0 bytes), although there are backups of "
                                        "the records")
    db = connect(path)
    try:
        if records_expected and app_schema_problem(db.conn):
            raise DatabaseDamaged(path, "holds none of the app's records, although there "
                                        "are backups of them")
        _refuse_newer(db)
        if migrations.pending(db) and has_user_tables(db):
            try:
                make_backup(db.conn, backup_dir, "before-migration", now or datetime.now(UTC))
            except BackupError as exc:
                raise StorageError(
                    "This version of the app needs to update how the records are stored, "
                    "and keeps a copy of them first; that copy could not be made "
                    f"({exc.reason}). Nothing was changed. Free some disk space and start "
                    "the app again.") from exc
        try:
            migrate(db)
        except sqlite3.OperationalError as exc:
            raise StorageError(f"The records could not be updated for this version of the app "
                               f"({reason_of(exc)}). Free some disk space and start the app "
                               "again.") from exc
        problem = safeguard_problem(db.conn)
        if problem:
            raise DatabaseDamaged(path, problem)
        _settle_household(db, path.parent / UI_SETTINGS_NAME)
    except BaseException:
        db.close()
        raise
    return db
