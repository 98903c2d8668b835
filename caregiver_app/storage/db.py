"""Open the one SQLite file safely and bring its schema up to date."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from caregiver_app.paths import ensure_private_dir
from caregiver_app.storage import migrations
from caregiver_app.storage.backup import make_backup

BUSY_TIMEOUT_MS = 5000


class StorageError(Exception):
    """The database cannot be used for a reason outside the program.

    For example the disk, permissions, or a file from a newer version.
    """


class NewerSchemaError(StorageError):
    """The file was written by a newer version of the app."""


class DatabaseDamaged(StorageError):
    """The file is not a database or fails SQLite's consistency check."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"The records file {path} {reason}.")


def _configure(conn: sqlite3.Connection, *, wal: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if wal:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StorageError(f"The database could not switch to WAL journaling (got {mode}).")
    # Every dose record must survive a power cut once it is reported saved.
    conn.execute("PRAGMA synchronous = FULL")


def _create_private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def connect(path: Path) -> Database:
    """Open (creating if needed) the database at ``path`` without migrating it."""
    ensure_private_dir(path.parent)
    if not path.exists():
        _create_private_file(path)
    else:
        os.chmod(path, 0o600)
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
            check_same_thread=False,
        )
        _configure(conn, wal=True)
        check = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(path, f"cannot be read ({exc})") from exc
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
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
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


def has_user_tables(db: Database) -> bool:
    return any(not name.startswith(("_", "sqlite_")) for name in db.table_names())


def open_database(path: Path, *, now: datetime | None = None) -> Database:
    """Open and migrate: what the app does at start-up.

    Before any schema change to a database that already holds data, a copy is
    kept in ``backups/before-migration/``.
    """
    db = connect(path)
    try:
        _refuse_newer(db)
        if migrations.pending(db) and has_user_tables(db):
            make_backup(db.conn, path.parent / "backups", "before-migration",
                        now or datetime.now(UTC))
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db
