"""Start-up with a damaged records file: explain, offer the newest good backup, keep the file."""

from __future__ import annotations

from datetime import UTC, date, datetime

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

    def fake_ask(reason, database, newest, parent=None):
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
        ctx.db.close()


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
        ctx.db.close()
