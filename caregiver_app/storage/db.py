"""Open the one SQLite file safely and bring its schema up to date."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from caregiver_app.paths import ensure_private_dir
from caregiver_app.storage import migrations

BUSY_TIMEOUT_MS = 5000


class StorageError(Exception):
    """The database cannot be used for a reason outside the program (disk, permissions, newer file)."""


class NewerSchemaError(StorageError):
    """The file was written by a newer version of the app."""


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
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"The database file {path} cannot be opened: {exc}") from exc
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


def migrate(db: Database) -> None:
    """Apply every pending migration; refuse a file from a newer version of the app."""
    newer = migrations.unknown_applied(db)
    if newer:
        names = ", ".join(sorted(f"{s}:{n}" for s, n in newer))
        raise NewerSchemaError(
            "This data was saved by a newer version of ALS Care Companion "
            f"(unknown changes: {names}). Install the newer version to open it."
        )
    migrations.apply_all(db)


def open_database(path: Path) -> Database:
    """Open and migrate: what the app does at start-up."""
    db = connect(path)
    migrate(db)
    return db
