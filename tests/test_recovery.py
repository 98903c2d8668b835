"""Start-up with a damaged records file: explain, offer the newest good backup, keep the file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from caregiver_app import app
from caregiver_app.storage import backup
from caregiver_app.storage.db import open_database
from caregiver_app.ui.backups.recovery import RecoveryChoice


def _damaged_with_backup(data_dir):
    db = open_database(data_dir / "caregiver.sqlite3")
    db.table("caregivers").insert({"name": "Tom", "initials": "T", "active": 1})
    backup.ensure_rotating_backups(db.conn, data_dir / "backups", date(2026, 11, 24),
                                   datetime(2026, 11, 24, tzinfo=UTC))
    db.close()
    (data_dir / "caregiver.sqlite3").write_bytes(b"garbage" * 500)


def test_restores_newest_backup_and_keeps_damaged_file(app_names, data_dir, monkeypatch):
    _damaged_with_backup(data_dir)
    asked = {}

    def fake_ask(reason, database, newest, parent=None, kind="damaged"):
        asked.update(reason=reason, newest=newest)
        return RecoveryChoice.RESTORE_NEWEST

    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery", fake_ask)
    ctx = app._open_or_recover(data_dir, False)
    try:
        assert asked["newest"] is not None and "cannot be read" in asked["reason"]
        assert [c.name for c in ctx.patients.caregivers()] == ["Tom"]
        damaged = [p for p in data_dir.iterdir() if "damaged" in p.name]
        assert damaged and damaged[0].read_bytes().startswith(b"garbage")
    finally:
        ctx.window.deleteLater()
        ctx.close()


def test_quit_changes_nothing(app_names, data_dir, monkeypatch):
    _damaged_with_backup(data_dir)
    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery",
                        lambda *a, **k: RecoveryChoice.QUIT)
    assert app._open_or_recover(data_dir, False) is None
    assert (data_dir / "caregiver.sqlite3").read_bytes().startswith(b"garbage")
    assert not any("damaged" in p.name for p in data_dir.iterdir())


def test_start_empty_keeps_damaged_file_aside(app_names, data_dir, monkeypatch):
    _damaged_with_backup(data_dir)
    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery",
                        lambda *a, **k: RecoveryChoice.START_EMPTY)
    ctx = app._open_or_recover(data_dir, False)
    try:
        assert ctx.patients.caregivers() == []
        assert any("damaged" in p.name for p in data_dir.iterdir())
    finally:
        ctx.window.deleteLater()
        ctx.close()


# ---- An empty, missing or foreign records file while backups exist


def _records_with_backup(data_dir):
    db = open_database(data_dir / "caregiver.sqlite3")
    db.table("caregivers").insert({"name": "Tom", "initials": "T", "active": 1})
    backup.ensure_rotating_backups(db.conn, data_dir / "backups", date(2026, 11, 24),
                                   datetime(2026, 11, 24, tzinfo=UTC))
    db.close()
    for side in ("-wal", "-shm"):
        (data_dir / f"caregiver.sqlite3{side}").unlink(missing_ok=True)


def _lose(data_dir, how):
    live = data_dir / "caregiver.sqlite3"
    if how == "empty":
        live.write_bytes(b"")
    elif how == "missing":
        live.unlink()
    else:  # another program's database in its place
        live.unlink()
        conn = sqlite3.connect(live)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
        conn.close()


@pytest.mark.parametrize(("how", "said"), [
    ("empty", "is empty (0 bytes)"),
    ("missing", "is missing"),
    ("foreign", "is another program's database (it holds tables named recipes)"),
])
def test_a_lost_records_file_offers_the_backup_instead_of_starting_empty(
        app_names, data_dir, monkeypatch, how, said):
    _records_with_backup(data_dir)
    _lose(data_dir, how)
    asked = {}

    def fake_ask(reason, database, newest, parent=None, kind="damaged"):
        asked.update(reason=reason, newest=newest)
        return RecoveryChoice.RESTORE_NEWEST

    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery", fake_ask)
    ctx = app._open_or_recover(data_dir, False)
    try:
        assert said in asked["reason"] and asked["newest"] is not None
        assert [c.name for c in ctx.patients.caregivers()] == ["Tom"]
    finally:
        ctx.window.deleteLater()
        ctx.close()


def test_starting_empty_when_the_file_is_missing_asks_once(app_names, data_dir, monkeypatch):
    _records_with_backup(data_dir)
    _lose(data_dir, "missing")
    asked = []
    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery",
                        lambda *a, **k: asked.append(1) or RecoveryChoice.START_EMPTY)
    ctx = app._open_or_recover(data_dir, False)
    try:
        assert asked == [1] and ctx.patients.caregivers() == []
    finally:
        ctx.window.deleteLater()
        ctx.close()


def test_a_first_start_without_backups_is_not_a_recovery(app_names, data_dir, monkeypatch):
    data_dir.mkdir(parents=True)
    # a first start that stopped half-way leaves the file it was making, never an empty
    # records file (the app makes it beside the records and renames it when whole)
    (data_dir / "caregiver.sqlite3.new").write_bytes(b"")
    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery",
                        lambda *a, **k: pytest.fail("nothing to recover"))
    ctx = app._open_or_recover(data_dir, False)
    try:
        assert ctx.patients.get() is None
    finally:
        ctx.window.deleteLater()
        ctx.close()


def test_a_restore_at_start_up_on_a_full_disk_changes_nothing_and_asks_again(
        app_names, data_dir, monkeypatch):
    _damaged_with_backup(data_dir)
    live = data_dir / "caregiver.sqlite3"
    real = backup._copy_pages
    attempts = []

    def full_once(source, target):
        attempts.append(1)
        if len(attempts) == 1:
            raise sqlite3.OperationalError("database or disk is full")
        real(source, target)

    warned = []

    def warn(parent, title, text):  # what the caregiver sees: the file is untouched
        warned.append(text)
        assert live.read_bytes().startswith(b"garbage")
        assert not any("damaged" in p.name for p in data_dir.iterdir())

    monkeypatch.setattr(backup, "_copy_pages", full_once)
    monkeypatch.setattr("caregiver_app.ui.messages.warn", warn)
    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery",
                        lambda *a, **k: RecoveryChoice.RESTORE_NEWEST)
    ctx = app._open_or_recover(data_dir, False)
    try:
        assert len(warned) == 1 and "the disk is full" in warned[0]
        assert [c.name for c in ctx.patients.caregivers()] == ["Tom"]
        assert any("damaged" in p.name for p in data_dir.iterdir())
    finally:
        ctx.window.deleteLater()
        ctx.close()
