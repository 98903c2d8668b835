from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from caregiver_app.storage import backup
from caregiver_app.storage.backup import BackupError
from caregiver_app.storage.db import DatabaseDamaged, connect, open_database
from caregiver_app.storage.migrations import core

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def live(data_dir):
    db = open_database(data_dir / "caregiver.sqlite3")
    db.table("caregivers").insert({"name": "Tom", "initials": "T", "active": 1})
    yield db
    db.close()


def _names(db_path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM caregivers ORDER BY id")]
    finally:
        conn.close()


def test_backup_of_live_wal_database_holds_uncheckpointed_rows(live, data_dir):
    live.table("caregivers").insert({"name": "Ana", "initials": "A", "active": 1})
    assert (data_dir / "caregiver.sqlite3-wal").stat().st_size > 0  # still in the WAL
    dest = backup.copy_database(live.conn, data_dir / "copy.sqlite3")
    assert _names(dest) == ["Tom", "Ana"]
    assert dest.stat().st_mode & 0o777 == 0o600
    assert backup.check_database_file(dest) == ""


def test_rotating_set_keeps_seven_daily_and_four_weekly(live, data_dir):
    folder = data_dir / "backups"
    start = date(2026, 10, 1)
    for i in range(40):
        day = start + timedelta(days=i)
        backup.ensure_rotating_backups(live.conn, folder, day, NOW)
    daily = sorted(p.name for p in (folder / "daily").iterdir())
    weekly = sorted(p.name for p in (folder / "weekly").iterdir())
    assert len(daily) == 7 and daily[-1] == "caregiver-2026-11-09.sqlite3"
    assert len(weekly) == 4 and weekly[-1] == "caregiver-2026-W46.sqlite3"
    for path in [*(folder / "daily").iterdir(), *(folder / "weekly").iterdir()]:
        assert path.stat().st_mode & 0o777 == 0o600
    assert (folder / "daily").stat().st_mode & 0o777 == 0o700


def test_second_start_on_same_day_makes_no_new_copy(live, data_dir):
    folder = data_dir / "backups"
    assert len(backup.ensure_rotating_backups(live.conn, folder, date(2026, 11, 25), NOW)) == 2
    assert backup.ensure_rotating_backups(live.conn, folder, date(2026, 11, 25), NOW) == []


def test_list_backups_describes_contents(live, data_dir):
    folder = data_dir / "backups"
    backup.ensure_rotating_backups(live.conn, folder, date(2026, 11, 25), NOW)
    (folder / "daily" / "caregiver-2026-11-24.sqlite3").write_bytes(b"not a database at all")
    infos = backup.list_backups(folder)
    good = [i for i in infos if i.ok]
    bad = [i for i in infos if not i.ok]
    assert len(good) == 2 and len(bad) == 1
    assert "not a readable database" in bad[0].problem or "damaged" in bad[0].problem
    assert backup.newest_good_backup(folder).ok


def test_restore_replaces_records_and_keeps_the_old_ones(live, data_dir):
    saved = backup.copy_database(live.conn, data_dir / "saved.sqlite3")
    live.table("caregivers").insert({"name": "Late entry", "initials": "L", "active": 1})
    live.close()
    live_path = data_dir / "caregiver.sqlite3"
    backup.restore(saved, live_path, data_dir / "backups", NOW)
    assert _names(live_path) == ["Tom"]
    aside = list((data_dir / "backups" / "before-restore").iterdir())
    assert len(aside) == 1 and _names(aside[0]) == ["Tom", "Late entry"]


def test_restore_refuses_damaged_or_newer_copies_and_changes_nothing(live, data_dir):
    live_path = data_dir / "caregiver.sqlite3"
    bad = data_dir / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(BackupError, match="cannot be restored"):
        backup.restore(bad, live_path, data_dir / "backups", NOW)
    newer = backup.copy_database(live.conn, data_dir / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('caregiver_app.core', 'm999', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="newer version"):
        backup.restore(newer, live_path, data_dir / "backups", NOW)
    assert _names(live_path) == ["Tom"]


def test_schema_change_is_preceded_by_a_backup(data_dir):
    path = data_dir / "caregiver.sqlite3"
    db = connect(path)
    core.migrations.apply(db)  # an older app: only the first set
    db.table("caregivers").insert({"name": "Tom", "initials": "T", "active": 1})
    db.close()
    open_database(path, now=NOW).close()
    copies = list((data_dir / "backups" / "before-migration").iterdir())
    assert len(copies) == 1 and _names(copies[0]) == ["Tom"]


def test_new_database_needs_no_pre_migration_backup(data_dir):
    open_database(data_dir / "caregiver.sqlite3", now=NOW).close()
    assert not (data_dir / "backups" / "before-migration").exists()


def test_damaged_file_is_reported_not_emptied(data_dir):
    path = data_dir / "caregiver.sqlite3"
    data_dir.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseDamaged):
        open_database(path)
    assert path.read_bytes().startswith(b"this is not a database")


def test_set_aside_keeps_damaged_file(data_dir):
    data_dir.mkdir(parents=True)
    path = data_dir / "caregiver.sqlite3"
    path.write_bytes(b"junk")
    aside = backup.set_aside(path, NOW)
    assert not path.exists() and aside.read_bytes() == b"junk"
    assert "damaged" in aside.name
