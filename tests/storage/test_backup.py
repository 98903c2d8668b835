from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from permissions import assert_owner_only

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
    assert_owner_only(dest)
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
        assert_owner_only(path)
    assert_owner_only(folder / "daily")


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


# ---- Failures of the disk, and what a restore accepts


def _full_disk(*_args):
    raise sqlite3.OperationalError("database or disk is full")


def test_a_copy_that_fails_says_why_and_leaves_nothing_behind(live, data_dir, monkeypatch):
    monkeypatch.setattr(backup, "_copy_pages", _full_disk)
    with pytest.raises(BackupError) as info:
        backup.make_backup(live.conn, data_dir / "backups", "before-restore", NOW)
    assert info.value.reason == "the disk is full"
    assert list((data_dir / "backups" / "before-restore").iterdir()) == []
    with pytest.raises(BackupError, match="the disk is full"):
        backup.ensure_rotating_backups(live.conn, data_dir / "backups", date(2026, 11, 25), NOW)
    assert list((data_dir / "backups" / "daily").iterdir()) == []
    assert list((data_dir / "backups" / "weekly").iterdir()) == []


def test_an_unwritable_backup_folder_is_a_backup_error(live, data_dir, monkeypatch):
    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(backup, "ensure_private_dir", refuse)
    with pytest.raises(BackupError) as info:
        backup.ensure_rotating_backups(live.conn, data_dir / "backups", date(2026, 11, 25), NOW)
    assert "permission was denied" in info.value.reason


def test_a_restore_that_fails_leaves_the_live_file_as_it_was(live, data_dir, monkeypatch):
    saved = backup.copy_database(live.conn, data_dir / "saved.sqlite3")
    live.table("caregivers").insert({"name": "Late entry", "initials": "L", "active": 1})
    live.close()
    live_path = data_dir / "caregiver.sqlite3"
    real = backup._copy_pages
    calls = []

    def second_copy_fails(source, target):  # the new records are copied, the safety copy fails
        calls.append(1)
        if len(calls) == 2:
            _full_disk()
        real(source, target)

    monkeypatch.setattr(backup, "_copy_pages", second_copy_fails)
    with pytest.raises(BackupError, match="could not be restored: the disk is full"):
        backup.restore(saved, live_path, data_dir / "backups", NOW)
    assert _names(live_path) == ["Tom", "Late entry"]
    left = [p.name for p in data_dir.rglob("*") if p.is_file()]
    assert not [n for n in left if ".partial" in n or ".restoring" in n], left


def test_a_failed_restore_over_a_damaged_file_keeps_the_damaged_file_in_place(
        live, data_dir, monkeypatch):
    saved = backup.copy_database(live.conn, data_dir / "saved.sqlite3")
    live.close()
    live_path = data_dir / "caregiver.sqlite3"
    for side in ("-wal", "-shm"):
        (data_dir / f"caregiver.sqlite3{side}").unlink(missing_ok=True)
    live_path.write_bytes(b"garbage" * 500)
    monkeypatch.setattr(backup, "_copy_pages", _full_disk)
    with pytest.raises(BackupError, match="the disk is full"):
        backup.restore(saved, live_path, data_dir / "backups", NOW)
    assert live_path.read_bytes().startswith(b"garbage")  # not a 0-byte file
    monkeypatch.undo()
    backup.restore(saved, live_path, data_dir / "backups", NOW)
    assert _names(live_path) == ["Tom"]
    assert any("damaged" in p.name for p in data_dir.iterdir())


@pytest.mark.posix_only("a FAT stick refusing chmod, and exact st_mode bits")
def test_a_copy_to_a_chosen_folder_never_changes_the_folder(live, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    usb.chmod(0o755)
    real_chmod = backup.os.chmod

    def fat_chmod(path, mode, *args, **kwargs):  # a FAT or exFAT stick: no permissions
        if str(path).startswith(str(usb)):
            raise PermissionError(1, "Operation not permitted", str(path))
        return real_chmod(path, mode, *args, **kwargs)

    monkeypatch.setattr("os.chmod", fat_chmod)
    dest = backup.copy_database(live.conn, usb / "copy.sqlite3", private=False)
    monkeypatch.undo()
    assert _names(dest) == ["Tom"]
    assert usb.stat().st_mode & 0o777 == 0o755


def _foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()
    return path


def test_only_this_apps_records_can_be_restored(live, data_dir):
    live_path = data_dir / "caregiver.sqlite3"
    empty = data_dir / "empty.sqlite3"
    empty.write_bytes(b"")
    no_tables = data_dir / "no-tables.sqlite3"
    conn = sqlite3.connect(no_tables)
    conn.execute("PRAGMA user_version = 1")  # a database file, with no tables
    conn.close()
    foreign = _foreign(data_dir / "recipes.sqlite3")
    assert backup.check_database_file(empty) == "it is empty (0 bytes)"
    assert "no tables" in backup.check_database_file(no_tables)
    assert "another program's database" in backup.check_database_file(foreign)
    for path in (empty, no_tables, foreign):
        info = backup.describe(path, "chosen file")
        assert not info.ok and info.counts == {}
        with pytest.raises(BackupError, match="cannot be restored"):
            backup.restore(path, live_path, data_dir / "backups", NOW)
    assert _names(live_path) == ["Tom"]


def test_listing_uses_the_quick_check_and_restoring_the_full_one(live, data_dir,
                                                                  monkeypatch):
    folder = data_dir / "backups"
    backup.ensure_rotating_backups(live.conn, folder, date(2026, 11, 25), NOW)
    seen = []
    real = backup.check_database_file

    def spy(path, *, thorough=True):
        seen.append(thorough)
        return real(path, thorough=thorough)

    monkeypatch.setattr(backup, "check_database_file", spy)
    assert len(backup.list_backups(folder)) == 2
    assert seen == [False, False]
    seen.clear()
    live.close()
    backup.restore(next((folder / "daily").iterdir()), data_dir / "caregiver.sqlite3", folder,
                   NOW)
    assert seen and seen[0] is True


def test_the_date_of_a_backup_comes_from_its_name_not_the_file_time(live, data_dir,
                                                                     tmp_path):
    import os

    folder = data_dir / "backups"
    backup.ensure_rotating_backups(live.conn, folder, date(2026, 11, 25), NOW)
    stamped = backup.make_backup(live.conn, folder, "before-restore", NOW)
    chosen = backup.copy_database(live.conn,
                                  tmp_path / "ALS-Care-Companion-backup-2026-11-20-1415.sqlite3")
    copied_later = datetime(2027, 3, 1, 12, 0, tzinfo=UTC).timestamp()  # copied to a stick
    for path in [*folder.rglob("*.sqlite3"), chosen]:
        os.utime(path, (copied_later, copied_later))
    daily = backup.describe(folder / "daily" / "caregiver-2026-11-25.sqlite3", "daily")
    assert daily.made_at.astimezone().date() == date(2026, 11, 25) and daily.date_only
    assert "25 Nov 2026" in daily.describe_made_at()
    weekly = backup.describe(next((folder / "weekly").iterdir()), "weekly")
    assert weekly.made_at.astimezone().date().isocalendar()[:2] == (2026, 48)
    assert backup.describe(stamped, "before-restore").made_at == NOW
    picked = backup.describe(chosen, "chosen file")
    assert picked.made_at.astimezone().replace(tzinfo=None) == datetime(2026, 11, 20, 14, 15)
    assert not picked.date_only
