"""Consistent copies of the database, and putting one back.

Copies are made with SQLite's online backup API, never by copying the file: a
live WAL database is only consistent when read through SQLite. Backups sit in
the data directory's ``backups/`` folder, owner-only, as a rotating set:

- ``daily/``   the last 7 days the app was used (one a day: at start-up, and
  checked again every hour while the app runs),
- ``weekly/``  the last 4 ISO weeks,
- ``before-migration/`` a copy taken before every schema change (last 5),
- ``before-restore/``   the database as it was before each restore (last 5).

Every failure of the disk or of SQLite (full, read-only, no permission) is
raised as ``BackupError`` with a plain reason, and leaves no half-written file
behind. A restore writes the new records beside the live file first and only
then renames it into place, so the live file is either the old one or the new
one, never a mixture or an empty file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from caregiver_app.domain.localtime import long_date, weekday_date
from caregiver_app.paths import ensure_private_dir
from caregiver_app.storage import schema

SUFFIX = ".sqlite3"
PARTIAL = ".partial"
KEEP = {"daily": 7, "weekly": 4, "before-migration": 5, "before-restore": 5}
COUNTED_TABLES = {
    "medicines": "medicines",
    "dose records": "dose_entries",
    "contacts": "contacts",
    "appointments": "appointments",
}
#: The first schema change of the app: every database it made records it.
CORE_MIGRATION = ("caregiver_app.core", "m001_patient_and_caregivers")


class BackupError(Exception):
    """A backup cannot be made or used; the message is meant for the caregiver.

    ``reason`` is the short cause ("the disk is full") when the disk or SQLite failed.
    """

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as read from it: when it was made, whose records, how many of
    each, and whether it can be restored."""

    path: Path
    kind: str
    made_at: datetime
    counts: dict[str, int]
    patient_name: str
    ok: bool
    problem: str = ""
    #: Only the day (or week) is known, not the time of day.
    date_only: bool = False

    def describe_counts(self) -> str:
        return ", ".join(f"{n} {label}" for label, n in self.counts.items())

    def describe_made_at(self, *, long: bool = False) -> str:
        local = self.made_at.astimezone()
        day = long_date(local) if long else weekday_date(local, year=True)
        if self.date_only:
            return day
        return f"{day}, {local:%H:%M}" if long else f"{day} {local:%H:%M}"


# ---- Failures


def reason_of(exc: BaseException) -> str:
    """A plain reason for a disk or SQLite failure ("the disk is full")."""
    if isinstance(exc, BackupError):
        return exc.reason
    if isinstance(exc, OSError):
        code = exc.errno
        if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return "the disk is full"
        if code in (errno.EACCES, errno.EPERM):
            where = f" for {exc.filename}" if exc.filename else ""
            return f"permission was denied{where}"
        if code == errno.EROFS:
            return "the disk is read-only"
        if code == errno.ENOENT:
            where = f" ({exc.filename})" if exc.filename else ""
            return f"a file or folder is missing{where}"
        return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".").lower()
    text = str(exc).rstrip(".") or type(exc).__name__
    if "disk is full" in text or "SQLITE_FULL" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the disk is read-only"
    return text


def _failure(what: str, exc: BaseException) -> BackupError:
    reason = reason_of(exc)
    return BackupError(f"{what}: {reason}.", reason)


def _private_dir(folder: Path) -> Path:
    try:
        return ensure_private_dir(folder)
    except OSError as exc:
        raise _failure(f"The folder {folder} cannot be used", exc) from exc


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _chmod_private(path: Path, *, strict: bool) -> None:
    """Owner-only; on a file system without permissions (FAT, exFAT) that is not possible,
    and for a folder the caregiver chose that is not an error."""
    try:
        os.chmod(path, 0o600)
    except OSError:
        if strict:
            raise


# ---- Copies


def _copy_pages(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """The copy step: every page of ``source`` into ``target`` (SQLite's backup API)."""
    source.backup(target)


def copy_database(source: sqlite3.Connection, dest: Path, *, private: bool = True) -> Path:
    """Write a consistent copy of the open database ``source`` to ``dest`` (replaced).

    The copy is written to ``dest.partial`` and renamed when complete, so ``dest`` is
    never half-written; on failure nothing is left behind and BackupError says why.
    ``private=False`` is for a folder the caregiver chose (a USB stick): the file is
    still created owner-only where the file system allows it, but a file system that
    cannot (FAT, exFAT) is not an error. The folder itself is never changed here.
    """
    tmp = dest.with_name(dest.name + PARTIAL)
    try:
        _remove(tmp)
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
        _chmod_private(tmp, strict=private)
        target = sqlite3.connect(str(tmp))
        try:
            _copy_pages(source, target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        os.replace(tmp, dest)
        _chmod_private(dest, strict=private)
    except (OSError, sqlite3.Error) as exc:
        _remove(tmp)
        _remove(tmp.with_name(tmp.name + "-journal"))
        raise _failure(f"The copy could not be written to {dest.parent}", exc) from exc
    return dest


def read_only_uri(path: Path) -> str:
    """The SQLite URI that opens ``path`` read-only.

    Built by ``Path.as_uri()``, which escapes what a URI would otherwise read as its
    own marks: a folder called "Mum's #2 backups" stays one name (by hand, "#" would
    start a fragment and SQLite would open a new empty file "Mum's ").
    """
    return Path(os.path.abspath(path)).as_uri() + "?mode=ro"


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at ``path`` (sqlite3.Error if it cannot
    be opened); never creates a file."""
    return sqlite3.connect(read_only_uri(path), uri=True)


def _open_read_only(path: Path) -> sqlite3.Connection:
    try:
        return connect_read_only(path)
    except sqlite3.Error as exc:
        raise _failure(f"{path} cannot be read", exc) from exc


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%SZ")


def _prune(folder: Path, keep: int) -> None:
    files = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.name, reverse=True)
    for old in files[keep:]:
        _remove(old)


def _clear_partials(folder: Path) -> None:
    """Left-overs of a copy that was interrupted (the app was killed, the power went)."""
    for left in folder.glob(f"*{PARTIAL}*"):
        _remove(left)


def make_backup(conn: sqlite3.Connection, backup_dir: Path, kind: str, now: datetime) -> Path:
    """A timestamped backup of ``kind`` (a folder in KEEP), pruning old ones."""
    folder = _private_dir(backup_dir / kind)
    _clear_partials(folder)
    dest = folder / f"caregiver-{_stamp(now)}{SUFFIX}"
    copy_database(conn, dest)
    _prune(folder, KEEP[kind])
    return dest


def daily_backup_exists(backup_dir: Path, today: date) -> bool:
    folder = backup_dir / "daily"
    return folder.is_dir() and any(folder.glob(f"caregiver-{today.isoformat()}*{SUFFIX}"))


def ensure_rotating_backups(conn: sqlite3.Connection, backup_dir: Path, today: date,
                            now: datetime) -> list[Path]:
    """Make today's daily backup and this week's weekly one if they do not exist yet.

    Cheap when both exist (two directory look-ups). Raises BackupError after trying
    both if either could not be made; a copy that was made is kept.
    """
    made: list[Path] = []
    failed: list[BackupError] = []
    year, week, _ = today.isocalendar()
    wanted = (
        ("daily", f"caregiver-{today.isoformat()}{SUFFIX}",
         lambda: daily_backup_exists(backup_dir, today)),
        ("weekly", f"caregiver-{year}-W{week:02d}{SUFFIX}",
         lambda: (backup_dir / "weekly" / f"caregiver-{year}-W{week:02d}{SUFFIX}").exists()),
    )
    for kind, name, exists in wanted:
        if exists():
            continue
        try:
            folder = _private_dir(backup_dir / kind)
            _clear_partials(folder)
            made.append(copy_database(conn, folder / name))
            _prune(folder, KEEP[kind])
        except BackupError as exc:
            failed.append(exc)
    if failed:
        raise failed[0]
    return made


def any_backups(backup_dir: Path) -> bool:
    """Whether the data folder holds any backup file (good or not)."""
    return any((backup_dir / kind).is_dir() and any((backup_dir / kind).glob(f"*{SUFFIX}"))
               for kind in KEEP)


# ---- Checking a file


def app_schema_problem(conn: sqlite3.Connection) -> str:
    """"" if the open database holds this app's records (its tables), else why not."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    marker = schema.MIGRATIONS_TABLE
    if not tables:
        return "it holds no records at all (it has no tables)"
    core = marker in tables and conn.execute(
        f"SELECT 1 FROM [{marker}] WHERE migration_set = ? AND name = ?",
        CORE_MIGRATION).fetchone()
    if not core or "patient" not in tables:
        return "it does not hold ALS Care Companion records (it is another program's database)"
    return ""


#: What a reference from one table to another means, for a message.
_REFERENCE_WORDS = {
    "medicines": "a medicine", "caregivers": "a caregiver", "contacts": "a contact",
    "dose_entries": "a dose record", "appointments": "an appointment",
}


#: The file's own tables and views named like SQLite's checks (``pragma_quick_check``):
#: by plain name, SQLite reads such a table instead of running the check, so a file that
#: holds one would pass whatever it holds. The app never makes one.
_SHADOWS = ("SELECT name FROM sqlite_master WHERE name LIKE 'pragma\\_%' ESCAPE '\\' "
            "ORDER BY name")


def shadowed_check(conn: sqlite3.Connection) -> str:
    """"" unless the file holds a table or view named like one of SQLite's checks, then
    why the file is refused ("was changed by another program: …"). The checks are also
    called as functions (``pragma_quick_check()``), which such a table makes an error,
    never a pass: this says what happened."""
    names = [row[0] for row in conn.execute(_SHADOWS)]
    if not names:
        return ""
    return (f"was changed by another program: it holds {names[0]!r}, named like one of "
            "SQLite's own checks, which would answer in the check's place")


def safeguard_problem(conn: sqlite3.Connection) -> str:
    """"" if the app's safeguards in the file are whole, else what another program broke.

    Checks that every trigger the applied migrations made is there (they keep the dose
    record append-only) and that every reference names a record that exists (SQLite's
    foreign key check: a plain ``sqlite3`` connection does not enforce them).
    """
    marker = schema.MIGRATIONS_TABLE
    applied = {(r[0], r[1]) for r in conn.execute(
        f"SELECT migration_set, name FROM [{marker}]")}
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                          "WHERE type = 'trigger'")}
    missing = sorted(schema.expected_triggers(applied) - present)
    if missing:
        return (f"was changed by another program: {len(missing)} of the safeguards that "
                "keep the dose record from being rewritten or deleted are missing "
                f"({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''})")
    # (as its table-valued function: the check's program, ~17 KiB, is let go of once
    # read, not kept in the connection's cache of statements: ``db.QUICK_CHECK``; called,
    # so a table of that name in the file is an error, never read in its place)
    shadowed = shadowed_check(conn)
    if shadowed:
        return shadowed
    broken = conn.execute("SELECT * FROM pragma_foreign_key_check()").fetchall()
    if broken:
        table, _, parent, _ = broken[0]
        what = _REFERENCE_WORDS.get(parent, f"a record of {parent}")
        return (f"was changed by another program: {len(broken)} record"
                f"{'s' if len(broken) != 1 else ''} point at records that are gone (the "
                f"first, in {table}, names {what} that is not there)")
    return ""


def check_database_file(path: Path, *, thorough: bool = True) -> str:
    """"" if ``path`` is a healthy database of this app that it can open, else a plain reason.

    ``thorough`` runs SQLite's full integrity check (before a restore); otherwise the
    quicker consistency check (to list backups).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "the file does not exist"
    except OSError as exc:
        return f"it cannot be read ({reason_of(exc)})"
    if size == 0:
        return "it is empty (0 bytes)"
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as exc:
        return f"it cannot be opened ({exc})"
    try:
        pragma = "integrity_check" if thorough else "quick_check"
        result = conn.execute(f"PRAGMA {pragma}").fetchall()
        if result != [("ok",)]:
            return "it is damaged (the integrity check failed)"
        problem = app_schema_problem(conn)
        if problem:
            return problem
        problem = safeguard_problem(conn)
        if problem:
            return f"it {problem}"
        if schema.unknown_applied(conn):
            return "it was saved by a newer version of the app"
        return ""
    except sqlite3.Error as exc:
        return f"it is not a readable database ({exc})"
    finally:
        conn.close()


#: The names the app gives its copies (compiled when a copy is first dated, not at start).
_STAMPED = r"(\d{4}-\d\d-\d\dT\d{6}Z)"
_CHOSEN = r"backup-(\d{4}-\d\d-\d\d-\d{4})"
_DAY = r"caregiver-(\d{4}-\d\d-\d\d)(?![\dT])"
_WEEK = r"caregiver-(\d{4})-W(\d\d)"


def made_at(path: Path) -> tuple[datetime, bool]:
    """When the copy was made, and whether only its day (or week) is known.

    From the file name the app gave it (a copy carried on a USB stick has the time it
    was copied as its file time); from the file time when the name says nothing, or
    to add the time of day to a daily copy's date when the file time falls on it.
    """
    try:
        mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        mtime = datetime.fromtimestamp(0, UTC)
    name = path.name
    with contextlib.suppress(ValueError):
        if match := re.search(_STAMPED, name):
            return datetime.strptime(match[1], "%Y-%m-%dT%H%M%SZ").replace(tzinfo=UTC), False
        if match := re.search(_CHOSEN, name):
            local = datetime.strptime(match[1], "%Y-%m-%d-%H%M")
            return local.astimezone().astimezone(UTC), False
        if match := re.search(_DAY, name):
            day = date.fromisoformat(match[1])
            if mtime.astimezone().date() == day:
                return mtime, False
            return datetime.combine(day, time(12)).astimezone().astimezone(UTC), True
        if match := re.search(_WEEK, name):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            if monday <= mtime.astimezone().date() < monday + timedelta(days=7):
                return mtime, False
            return datetime.combine(monday, time(12)).astimezone().astimezone(UTC), True
    return mtime, False


def describe(path: Path, kind: str, *, thorough: bool = False) -> BackupInfo:
    when, date_only = made_at(path)
    problem = check_database_file(path, thorough=thorough)
    counts: dict[str, int] = {}
    patient = ""
    if not problem:
        try:
            conn = connect_read_only(path)
            try:
                tables = {r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'")}
                for label, table in COUNTED_TABLES.items():
                    if table in tables:
                        counts[label] = conn.execute(
                            f"SELECT count(*) FROM [{table}]").fetchone()[0]
                row = conn.execute("SELECT full_name FROM patient LIMIT 1").fetchone()
                patient = row[0] if row else ""
            finally:
                conn.close()
        except sqlite3.Error as exc:
            problem = f"it is not a readable database ({exc})"
    return BackupInfo(path=path, kind=kind, made_at=when, counts=counts,
                      patient_name=patient, ok=not problem, problem=problem,
                      date_only=date_only)


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """Every backup in the data directory, newest first (each given a quick check)."""
    found: list[BackupInfo] = []
    for kind in KEEP:
        folder = backup_dir / kind
        if folder.is_dir():
            found.extend(describe(p, kind) for p in folder.glob(f"*{SUFFIX}"))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def newest_good_backup(backup_dir: Path) -> BackupInfo | None:
    """The newest backup that passes the full integrity check (what a restore needs)."""
    for info in list_backups(backup_dir):
        if info.ok and not check_database_file(info.path, thorough=True):
            return info
    return None


# ---- Restoring


def _settle_wal(live: Path) -> None:
    """Fold the live database's write-ahead log into the file before it is replaced.

    Every connection must be closed. A log left beside the new file would be applied
    to it by SQLite, so a log that cannot be emptied stops the restore.
    """
    wal = live.with_name(live.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    conn = sqlite3.connect(str(live))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if wal.exists() and wal.stat().st_size > 0:
        raise BackupError("The records file is still in use, so it was not replaced. "
                          "Close every other program using it and try again.",
                          "the records file is still in use")


def restore(candidate: Path, live: Path, backup_dir: Path, now: datetime, *,
            aside: str = "damaged") -> Path | None:
    """Replace the database at ``live`` with ``candidate``: ``stage_restore`` then
    ``put_in_place``.

    The candidate is checked first (integrity, this app's records, not from a newer
    app) and copied, through SQLite, to a file beside ``live``. Then the current
    database is backed up to ``before-restore/`` if it is healthy, or set aside
    (renamed ``….<aside>-<time>``: ``damaged``, ``folder``, ``other-program``…) if it is
    not; only then is the new file renamed
    over ``live``. If any step fails, BackupError says why and ``live`` is as it was.
    The caller must have closed every connection to ``live``. Returns the path of the
    safety copy of the old database (None if there was none).
    """
    return put_in_place(stage_restore(candidate, live), live, backup_dir, now, aside=aside)


def staged_path(live: Path) -> Path:
    """Where ``stage_restore`` copies a backup, beside the records (``clear_leftovers``
    removes one an interrupted restore left)."""
    return live.with_name(live.name + ".restoring")


def stage_restore(candidate: Path, live: Path, *,
                  step: Callable[[str], None] | None = None) -> Path:
    """The first half of ``restore``, which only reads ``candidate``: check it
    thoroughly and copy it beside ``live`` (``staged_path``). ``live`` is not touched
    (it may still be open), so this can run on a worker thread. ``step("check")`` and
    ``step("copy")`` say which part is under way (and may raise to stop it). Raises
    BackupError (nothing left behind)."""
    if step is not None:
        step("check")
    problem = check_database_file(candidate, thorough=True)
    if problem:
        raise BackupError(f"That backup cannot be restored: {problem}.")
    if step is not None:
        step("copy")
    incoming = staged_path(live)
    source = _open_read_only(candidate)
    try:
        copy_database(source, incoming)
    except BackupError as exc:
        raise BackupError(f"The backup could not be restored: {exc.reason}. "
                          "The records were not changed.", exc.reason) from exc
    finally:
        source.close()
    return incoming


def discard_staged(incoming: Path) -> None:
    """A staged copy that will not be put in place (the restore was cancelled)."""
    _remove(incoming)


def put_in_place(incoming: Path, live: Path, backup_dir: Path, now: datetime, *,
                 aside: str = "damaged") -> Path | None:
    """The second half of ``restore``: keep the current records (a backup, or set
    aside), then rename ``incoming`` (``stage_restore``'s copy) over ``live``. Every
    connection to ``live`` must be closed. BackupError if it failed (``live`` as it was,
    ``incoming`` removed)."""
    safety = kept = None
    try:
        if not incoming.is_file():
            raise BackupError("The copy of the backup to restore is gone.",
                              "the copy of the backup to restore is gone")
        if live.exists():
            if not check_database_file(live):
                safety = make_backup_from_file(live, backup_dir, "before-restore", now)
                _settle_wal(live)
            else:
                safety = kept = set_aside(live, now, label=aside)
        os.replace(incoming, live)
        os.chmod(live, 0o600)
    except (BackupError, OSError, sqlite3.Error) as exc:
        _remove(incoming)
        if kept is not None and not live.exists():
            with contextlib.suppress(OSError):
                os.replace(kept, live)  # put the old file back as it was
        reason = reason_of(exc)
        raise BackupError(f"The backup could not be restored: {reason}. "
                          "The records were not changed.", reason) from exc
    for suffix in ("-wal", "-shm"):  # empty left-overs of the old file's log
        _remove(live.with_name(live.name + suffix))
    return safety


def make_backup_from_file(path: Path, backup_dir: Path, kind: str, now: datetime) -> Path:
    source = _open_read_only(path)
    try:
        return make_backup(source, backup_dir, kind, now)
    finally:
        source.close()


def set_aside(path: Path, now: datetime, *, label: str = "damaged") -> Path:
    """Move what is at the records path (a damaged database and its -wal/-shm, a folder,
    another program's file) aside, untouched, as ``<name>.<label>-<time>``."""
    stamp = _stamp(now)
    dest = path.with_name(f"{path.name}.{label}-{stamp}")
    try:
        os.replace(path, dest)
    except OSError as exc:
        raise _failure(f"{path} could not be set aside", exc) from exc
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            with contextlib.suppress(OSError):
                os.replace(side, dest.with_name(dest.name + suffix))
    return dest


def clear_leftovers(data_dir: Path) -> list[Path]:
    """Remove what an interrupted restore, import or first start left in the data folder
    (the records file being made or put in place, an import's working copy), and the
    working copies older versions left in the computer's temporary folder. Only while
    this data folder is open in no other copy of the app (its lock is held)."""
    import shutil
    import tempfile
    import time as _time

    from caregiver_app.paths import DATABASE_NAME, IMPORT_DIR_NAME

    found = [p for p in data_dir.glob(f"{DATABASE_NAME}.restoring*")]
    found += [p for p in data_dir.glob(f"{DATABASE_NAME}.new*")]
    work = data_dir / IMPORT_DIR_NAME
    if work.is_dir():
        found += list(work.iterdir())
    old = _time.time() - 3600  # an older version's import still waiting for its OK
    with contextlib.suppress(OSError):
        for folder in Path(tempfile.gettempdir()).glob("caregiver-import-*"):
            info = folder.lstat()
            mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if folder.is_dir() and mine and info.st_mtime < old:
                found.append(folder)
    for path in found:
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    return found
