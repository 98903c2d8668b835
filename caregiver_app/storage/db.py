"""Open the one SQLite file safely and bring its schema up to date."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from caregiver_app.paths import UI_SETTINGS_NAME, ensure_private_dir
from caregiver_app.storage import schema
from caregiver_app.storage.backup import (
    BackupError,
    any_backups,
    app_schema_problem,
    make_backup,
    read_only_uri,
    reason_of,
    safeguard_problem,
    shadowed_check,
)
from caregiver_app.storage.faults import GuardedConnection, disk_is_full
from caregiver_app.storage.household_repo import HouseholdRepository, carry_over_ui_settings
from caregiver_app.storage.records import records

if TYPE_CHECKING:
    from sqlite_utils import Database

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
    """The records cannot be used as they are: the file is not a database, fails
    SQLite's consistency check, is empty, is missing although backups exist, is a folder,
    or is another program's database. Nothing was written to it.

    ``reason`` completes "The records file …" ("is damaged (…)"); ``kind`` says which
    (``KINDS``), and names the file when it is set aside; ``str()`` also says how to
    recover, for the command line.
    """

    KINDS = ("damaged", "missing", "empty", "folder", "other-program", "changed")
    RECOVER = ("Start ALS Care Companion to recover: it offers the newest good backup "
               "(or a backup file you choose) and keeps the damaged file beside it.")

    def __init__(self, path: Path, reason: str, kind: str = "damaged"):
        assert kind in self.KINDS
        self.path = path
        self.reason = reason
        self.kind = kind
        super().__init__(f"The records file {path} {reason}.\n{self.RECOVER}")


class DiskFull(StorageError):
    """The disk holding the records is full: they can only be opened read-only
    (``open_read_only``) until space is freed."""

    REASON = "the disk is full"

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"The disk that holds the records ({path.parent}) is full, so "
                         "nothing can be saved. Free some space on it (empty the "
                         "wastebasket, or move large files such as videos elsewhere).")


def durability_pragmas(platform: str | None = None) -> tuple[str, ...]:
    """What makes a saved record survive a power cut on ``platform`` (``sys.platform``).

    ``synchronous = FULL`` syncs at every commit. On macOS a plain fsync only reaches
    the drive's cache, so SQLite is also told to use F_FULLFSYNC, for commits and for
    checkpoints of the write-ahead log.
    """
    pragmas: tuple[str, ...] = ("synchronous = FULL",)
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


def _create_records_file(path: Path) -> None:
    """A new, owner-only, empty SQLite database at ``path``, put there whole: it is made
    beside it (``….new``) and renamed, so an empty (0-byte) records file is never the
    app's own half-made start, and start-up can say so when it finds one."""
    fresh = path.with_name(path.name + NEW_SUFFIX)
    fresh.unlink(missing_ok=True)
    _create_private_file(fresh)
    conn = sqlite3.connect(str(fresh), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # writes the database header
    finally:
        conn.close()
    os.replace(fresh, path)


#: The suffix of a records file being made (``_create_records_file``).
NEW_SUFFIX = ".new"

#: Why a file is damaged when SQLite's words for what went wrong are not text: a damaged
#: list of tables names them in bytes that are not UTF-8, and Python's ``sqlite3`` then
#: raises ``UnicodeDecodeError``, not ``sqlite3.DatabaseError`` (so do damage reports
#: of the consistency check in such bytes).
_NOT_TEXT = "is damaged (SQLite's description of the damage is not even text)"


#: SQLite's consistency check, as its table-valued function: the same rows and the same
#: errors as ``PRAGMA quick_check`` (every damage the tests make), but the check's
#: program (~150 KiB with the app's tables and indexes, made for this file) is let go of
#: once its rows are read. Run as a PRAGMA it stays in the connection's cache of
#: statements (Python's ``sqlite3`` keeps every statement run, up to 128) for as long as
#: the window is open, although a start runs it once. Called (``()``): by its plain name
#: a table or view of that name in the file would be read instead, and pass any file
#: (such a name is refused first: ``backup.shadowed_check``).
QUICK_CHECK = "SELECT * FROM pragma_quick_check()"


def _refuse_unsound(conn: sqlite3.Connection, path: Path, shadowed: str,
                    check: list) -> None:
    """Close ``conn`` and raise ``DatabaseDamaged`` unless the opening's checks passed:
    no table named like a check (``shadowed``: why, else ""), and SQLite's consistency
    check (``check``, its rows) found nothing."""
    if shadowed:
        conn.close()
        raise DatabaseDamaged(path, shadowed, "changed")
    if check != [("ok",)]:
        conn.close()
        raise DatabaseDamaged(path, "is damaged (SQLite's consistency check failed)")


def connect(path: Path) -> Database:
    """Open (creating if needed) the database at ``path`` without migrating it."""
    try:
        ensure_private_dir(path.parent)
        if not path.exists():
            _create_records_file(path)
        else:
            os.chmod(path, 0o600)
    except (OSError, sqlite3.Error) as exc:
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
        shadowed = shadowed_check(conn)
        check = conn.execute(QUICK_CHECK).fetchall() if not shadowed else []
        # The check read every page of the file, and SQLite keeps the pages it reads (up
        # to 2 MiB): let go of them. The start reads few of them again (from the system's
        # file cache): ~0.5 MiB of the window's peak memory with the example household.
        conn.execute("PRAGMA shrink_memory")
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None or code & 0xFF in _DAMAGE_CODES:
            raise DatabaseDamaged(path, f"cannot be read ({exc})") from exc
        # locked by another program, no permission, disk full: the file may be fine
        raise StorageError(f"The records file {path} cannot be opened now "
                           f"({reason_of(exc)}).") from exc
    except UnicodeDecodeError as exc:
        if conn is not None:
            conn.close()
        raise DatabaseDamaged(path, _NOT_TEXT) from exc
    _refuse_unsound(conn, path, shadowed, check)
    # SQLite creates -wal and -shm beside the file; keep them private too.
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.chmod(side, 0o600)
    # sqlite-utils' Database over it is made on first use (storage.records), with
    # execute_plugins=False: no sqlite-utils plugin installed on the computer changes the
    # connection to the records, and none is searched for (a start-up cost)
    return records(conn)


def open_read_only(path: Path, *, reason: str = DiskFull.REASON) -> Database:
    """The records, read-only, on a disk with no room (``reason`` says why): nothing is
    written, not even SQLite's -shm and -wal files when the file was closed cleanly.
    Every write is refused with ``RecordsNotSaved`` naming ``reason``.

    StorageError when even that is not possible (the file needs updating for this
    version of the app, or its write-ahead log cannot be read without room for its
    index); DatabaseDamaged as ``open_database`` does.
    """
    _refuse_odd_file(path, new=False, backups=any_backups(path.parent / "backups"))
    if not path.exists():
        raise StorageError(f"The disk that holds the records ({path.parent}) is full, and "
                           "there are no records yet. Free some space on it, then start the "
                           "app again.")
    wal = path.with_name(path.name + "-wal")
    settled = not wal.exists() or wal.stat().st_size == 0
    uri = read_only_uri(path) + ("&immutable=1" if settled else "")
    conn = None
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               factory=GuardedConnection)
        conn.folder = path.parent
        conn.read_only = reason
        conn.uri = uri
        conn.execute("PRAGMA foreign_keys = ON")
        shadowed = shadowed_check(conn)
        check = conn.execute(QUICK_CHECK).fetchall() if not shadowed else []
        conn.execute("PRAGMA shrink_memory")  # (the pages the check read: ``connect``)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise StorageError(f"The records cannot be opened even to read them ({reason}; "
                           f"{reason_of(exc)}). Free some space on the disk, then start "
                           "the app again.") from exc
    except UnicodeDecodeError as exc:
        if conn is not None:
            conn.close()
        raise DatabaseDamaged(path, _NOT_TEXT) from exc
    _refuse_unsound(conn, path, shadowed, check)
    db = records(conn)
    try:
        if not _up_to_date(conn, path):
            _refuse_newer(db)
            from caregiver_app.storage import migrations

            if migrations.pending(db):
                raise StorageError(
                    "This version of the app needs to update how the records are stored "
                    f"before it can show them, and {reason}. Free some space on the disk, "
                    "then start the app again.")
        problem = safeguard_problem(conn)
        if problem:
            raise DatabaseDamaged(path, problem, "changed")
    except BaseException:
        db.close()
        raise
    return db


def _up_to_date(conn: sqlite3.Connection, path: Path) -> bool:
    """``schema.up_to_date``, with a list of applied changes that cannot be read (another
    program renamed or rebuilt that table) reported like any other damage, so the
    person is offered the newest good backup instead of a crash."""
    try:
        return schema.up_to_date(conn)
    except sqlite3.Error as exc:
        raise DatabaseDamaged(path, "was changed by another program: its list of the "
                                    f"updates made to it cannot be read ({reason_of(exc)})",
                              "changed") from exc


def is_read_only(db: Database) -> str:
    """Why ``db`` was opened read-only ("" when it can be written)."""
    return getattr(db.conn, "read_only", "")


def memory_database() -> Database:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False,
                           factory=GuardedConnection)
    _configure(conn, wal=False)
    return records(conn)


@contextmanager
def second_connection(db: Database) -> Iterator[Database]:
    """Another connection to the records ``db`` has open, for one operation on a worker
    thread (closed at the end of the ``with``).

    Two threads sharing one connection would mix their transactions: a read on the
    worker would see the GUI thread's half-made change, and a write would land inside
    it. Two connections are kept apart by SQLite itself: a read sees committed records
    only, and a write waits (up to ``BUSY_TIMEOUT_MS``) for the other's to finish.
    Opened the way ``db`` was: read-only, for the same reason, when it is. An in-memory
    database (tests) has no file to open again: ``db`` itself is used.
    """
    row = db.conn.execute("PRAGMA database_list").fetchone()
    path = Path(row[2]) if row is not None and row[2] else None
    if path is None:
        yield db
        return
    uri = getattr(db.conn, "uri", "")
    reason = is_read_only(db)
    try:
        if uri:
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False,
                                   factory=GuardedConnection)
        else:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False,
                                   factory=GuardedConnection)
    except sqlite3.Error as exc:
        raise StorageError(f"The records file {path} cannot be opened now "
                           f"({reason_of(exc)}).") from exc
    conn.folder = path.parent
    conn.read_only = reason
    second = records(conn)
    try:
        if uri:
            conn.execute("PRAGMA foreign_keys = ON")
        else:
            _configure(conn, wal=True)
        yield second
    finally:
        second.close()


def _refuse_newer(db: Database) -> None:
    from caregiver_app.storage import migrations

    newer = migrations.unknown_applied(db)
    if newer:
        names = ", ".join(sorted(f"{s}:{n}" for s, n in newer))
        raise NewerSchemaError(
            "This data was saved by a newer version of ALS Care Companion "
            f"(unknown changes: {names}). Install the newer version to open it."
        )


def migrate(db: Database) -> None:
    """Apply every pending migration; refuse a file from a newer version of the app."""
    from caregiver_app.storage import migrations

    _refuse_newer(db)
    migrations.apply_all(db)


def _bring_up_to_date(db: Database, path: Path, backup_dir: Path,
                      now: datetime | None) -> None:
    """Refuse a newer version's file; else apply what is pending, after a backup."""
    from caregiver_app.storage import migrations

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
        if disk_is_full(path.parent):
            raise DiskFull(path) from exc
        raise StorageError(f"The records could not be updated for this version of the app "
                           f"({reason_of(exc)}). Free some disk space and start the app "
                           "again.") from exc


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


#: The first 16 bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"


def inspect_records_file(path: Path) -> tuple[str, str]:
    """What is at the records path, found without writing anything: no mode change, no
    journal switch, no -wal or -shm file. Returns (what, detail):

    ``missing``, ``folder`` (or anything that is not a plain file), ``empty`` (0 bytes
    and no write-ahead log that could hold the records), ``not-database`` (its first
    bytes are not SQLite's), ``no-tables`` (an SQLite file with nothing in it yet),
    ``other-program`` (detail: some of its tables), ``ours``, or ``unknown`` (it could
    not be read now; opening it says why).
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return "missing", ""
    except OSError as exc:
        return "unknown", reason_of(exc)
    if not stat.S_ISREG(info.st_mode):
        return "folder", "a folder" if stat.S_ISDIR(info.st_mode) else "not a plain file"
    if _is_empty(path):
        return "empty", ""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return "unknown", reason_of(exc)
    if head != SQLITE_MAGIC:
        return "not-database", ""
    try:
        # immutable: read as it is on disk, creating no -shm (the main file holds the
        # schema as of the last checkpoint, which is enough to tell whose file it is,
        # unless there was none yet: see no tables below)
        conn = sqlite3.connect(read_only_uri(path) + "&immutable=1", uri=True)
        try:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
            if not tables:
                wal = path.with_name(path.name + "-wal")
                if wal.exists() and wal.stat().st_size > 0:
                    # everything may still be in the write-ahead log (a new household
                    # open in the window, or one killed before its first checkpoint):
                    # opening the file reads the log and tells
                    return "unknown", ""
                return "no-tables", ""
            if app_schema_problem(conn):
                return "other-program", ", ".join(tables[:3]) + (", …" if len(tables) > 3
                                                                  else "")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return "unknown", str(exc)
    except UnicodeDecodeError:  # (damaged: opening it says so, ``_NOT_TEXT``)
        return "unknown", ""
    return "ours", ""


def _refuse_odd_file(path: Path, *, new: bool, backups: bool) -> None:
    """DatabaseDamaged for what must not be opened (or silently started afresh)."""
    what, detail = inspect_records_file(path)
    if what == "folder":
        raise DatabaseDamaged(path, f"is {detail}, not a file: the app left it as it is",
                              "folder")
    if what == "not-database":
        raise DatabaseDamaged(path, "cannot be read (it is not a database file)")
    if what == "other-program":
        raise DatabaseDamaged(
            path, f"is another program's database (it holds tables named {detail}), not "
                  "ALS Care Companion records: the app did not write to it", "other-program")
    if what == "empty" and not new:
        raise DatabaseDamaged(path, "is empty (0 bytes), although there are backups of the "
                              "records" if backups else "is empty (0 bytes): it holds no "
                              "records, and no backup of them was found", "empty")
    if what == "missing" and backups and not new:
        raise DatabaseDamaged(path, "is missing, although there are backups of the records",
                              "missing")
    if what == "no-tables" and backups and not new:
        raise DatabaseDamaged(path, "holds none of the app's records, although there are "
                              "backups of them")


def open_database(path: Path, *, now: datetime | None = None,
                  new: bool = False) -> Database:
    """Open and migrate: what the app does at start-up.

    Before any schema change to a database that already holds data, a copy is
    kept in ``backups/before-migration/``.

    The app never starts empty when records exist, and never writes to what is not
    its records: a folder, a file that is not a database or is another program's
    database, an empty file, or (while ``backups/`` holds copies) a missing file or
    one with none of the app's tables raise DatabaseDamaged before anything is
    written (the start-up then explains and offers the newest good backup). Pass
    ``new=True`` when the caregiver chose to start with empty records.

    A full disk raises DiskFull (the records can then be opened read-only).
    """
    backup_dir = path.parent / "backups"
    records_expected = not new and any_backups(backup_dir)
    _refuse_odd_file(path, new=new, backups=records_expected)
    if disk_is_full(path.parent):  # before opening for changes: that makes side files
        raise DiskFull(path)
    try:
        db = connect(path)
    except StorageError as exc:
        if not isinstance(exc, DatabaseDamaged) and disk_is_full(path.parent):
            raise DiskFull(path) from exc
        raise
    try:
        if disk_is_full(path.parent):
            raise DiskFull(path)
        if records_expected and app_schema_problem(db.conn):
            raise DatabaseDamaged(path, "holds none of the app's records, although there "
                                        "are backups of them")
        if not _up_to_date(db.conn, path):  # else nothing to do: sqlite-utils stays unloaded
            _bring_up_to_date(db, path, backup_dir, now)
        problem = safeguard_problem(db.conn)
        if problem:
            raise DatabaseDamaged(path, problem, "changed")
        _settle_household(db, path.parent / UI_SETTINGS_NAME)
    except BaseException:
        db.close()
        raise
    return db
