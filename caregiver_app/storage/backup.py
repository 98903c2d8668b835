"""Consistent copies of the database, and putting one back.

Copies are made with SQLite's online backup API, never by copying the file: a
live WAL database is only consistent when read through SQLite. Backups sit in
the data directory's ``backups/`` folder, owner-only, as a rotating set:

- ``daily/``   the last 7 days the app was used (one a day, made at start-up),
- ``weekly/``  the last 4 ISO weeks,
- ``before-migration/`` a copy taken before every schema change (last 5),
- ``before-restore/``   the database as it was before each restore (last 5).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from caregiver_app.paths import ensure_private_dir
from caregiver_app.storage import migrations

SUFFIX = ".sqlite3"
KEEP = {"daily": 7, "weekly": 4, "before-migration": 5, "before-restore": 5}
COUNTED_TABLES = {
    "medicines": "medicines",
    "dose records": "dose_entries",
    "contacts": "contacts",
    "appointments": "appointments",
}


class BackupError(Exception):
    """A backup cannot be made or used; the message is meant for the caregiver."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    made_at: datetime
    counts: dict[str, int]
    patient_name: str
    ok: bool
    problem: str = ""

    def describe_counts(self) -> str:
        return ", ".join(f"{n} {label}" for label, n in self.counts.items())


def _private_file(path: Path) -> None:
    ensure_private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def copy_database(source: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of the open database ``source`` to ``dest`` (replaced)."""
    tmp = dest.with_name(dest.name + ".partial")
    if tmp.exists():
        tmp.unlink()
    _private_file(tmp)
    target = sqlite3.connect(str(tmp))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    os.replace(tmp, dest)
    os.chmod(dest, 0o600)
    return dest


def backup_file(data_path: Path, dest: Path) -> Path:
    """Copy the database file at ``data_path`` (possibly live) to ``dest`` via SQLite."""
    source = sqlite3.connect(f"file:{data_path}?mode=ro", uri=True)
    try:
        return copy_database(source, dest)
    finally:
        source.close()


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%SZ")


def _prune(folder: Path, keep: int) -> None:
    files = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.name, reverse=True)
    for old in files[keep:]:
        old.unlink()


def make_backup(conn: sqlite3.Connection, backup_dir: Path, kind: str, now: datetime) -> Path:
    """A timestamped backup of ``kind`` (a folder in KEEP), pruning old ones."""
    folder = ensure_private_dir(backup_dir / kind)
    dest = folder / f"caregiver-{_stamp(now)}{SUFFIX}"
    copy_database(conn, dest)
    _prune(folder, KEEP[kind])
    return dest


def ensure_rotating_backups(conn: sqlite3.Connection, backup_dir: Path, today: date,
                            now: datetime) -> list[Path]:
    """Make today's daily backup and this week's weekly one if they do not exist yet."""
    made = []
    daily = ensure_private_dir(backup_dir / "daily")
    if not list(daily.glob(f"caregiver-{today.isoformat()}*{SUFFIX}")):
        dest = daily / f"caregiver-{today.isoformat()}{SUFFIX}"
        made.append(copy_database(conn, dest))
        _prune(daily, KEEP["daily"])
    year, week, _ = today.isocalendar()
    weekly = ensure_private_dir(backup_dir / "weekly")
    name = f"caregiver-{year}-W{week:02d}{SUFFIX}"
    if not (weekly / name).exists():
        made.append(copy_database(conn, weekly / name))
        _prune(weekly, KEEP["weekly"])
    return made


def check_database_file(path: Path) -> str:
    """"" if ``path`` is a healthy database this app can open, else a plain reason."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return f"it cannot be opened ({exc})"
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            return "it is damaged (the integrity check failed)"
        from sqlite_utils import Database

        newer = migrations.unknown_applied(Database(conn))
        if newer:
            return "it was saved by a newer version of the app"
        return ""
    except sqlite3.Error as exc:
        return f"it is not a readable database ({exc})"
    finally:
        conn.close()


def describe(path: Path, kind: str) -> BackupInfo:
    made_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    problem = check_database_file(path)
    counts: dict[str, int] = {}
    patient = ""
    if not problem:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            for label, table in COUNTED_TABLES.items():
                if table in tables:
                    counts[label] = conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            if "patient" in tables:
                row = conn.execute("SELECT full_name FROM patient LIMIT 1").fetchone()
                patient = row[0] if row else ""
        finally:
            conn.close()
    return BackupInfo(path=path, kind=kind, made_at=made_at, counts=counts,
                      patient_name=patient, ok=not problem, problem=problem)


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """Every backup in the data directory, newest first."""
    found = []
    for kind in KEEP:
        folder = backup_dir / kind
        if folder.is_dir():
            found.extend(describe(p, kind) for p in folder.glob(f"*{SUFFIX}"))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def newest_good_backup(backup_dir: Path) -> BackupInfo | None:
    return next((b for b in list_backups(backup_dir) if b.ok), None)


def restore(candidate: Path, live: Path, backup_dir: Path, now: datetime) -> Path | None:
    """Replace the database at ``live`` with ``candidate``.

    The candidate is checked first (integrity, not from a newer app); the current
    database is backed up to ``before-restore/`` if it can be read; only then is
    its content replaced, through SQLite, so no half-written file is left.
    The caller must have closed every connection to ``live``. Returns the path of
    the safety copy of the old database (None if it was unreadable).
    """
    problem = check_database_file(candidate)
    if problem:
        raise BackupError(f"That backup cannot be restored: {problem}.")
    safety = None
    if live.exists():
        if not check_database_file(live):
            safety = make_backup_from_file(live, backup_dir, "before-restore", now)
        else:
            safety = set_aside(live, now)
    source = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
    try:
        _private_file(live)
        target = sqlite3.connect(str(live))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return safety


def make_backup_from_file(path: Path, backup_dir: Path, kind: str, now: datetime) -> Path:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return make_backup(source, backup_dir, kind, now)
    finally:
        source.close()


def set_aside(path: Path, now: datetime) -> Path:
    """Move a damaged database (and its -wal/-shm) aside, keeping it for inspection."""
    stamp = _stamp(now)
    dest = path.with_name(f"{path.name}.damaged-{stamp}")
    shutil.move(str(path), str(dest))
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            with contextlib.suppress(OSError):
                shutil.move(str(side), str(dest.with_name(dest.name + suffix)))
    return dest
