"""File ▸ Restore and File ▸ Import on the running app: the reminders are running, the
database is replaced, and the app carries on in a new window on the new records (a
dose can be recorded at once). A restore that fails (a full disk) leaves the records as
they were, says why, and the app carries on on them."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from gui_paths import wait_for
from households import jane_with_tom_on_duty
from medicine_builders import D0, T8, T20, at, medicine

from caregiver_app import app
from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.patient import Caregiver
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.storage import backup

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def home(ctx, fake_clock):
    jane_with_tom_on_duty(ctx, fake_clock)
    ctx.riluzole = ctx.medications.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))
    return ctx


@pytest.fixture
def answers(monkeypatch):
    """Every dialog answered: "yes" to confirmations; warnings collected."""
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr("caregiver_app.ui.messages.confirm", lambda *a, **k: True)
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((title, text)))
    return warned


def _reopen(qtbot, old, data_dir):
    """What the running app does once the old window's restore returns."""
    new = app.reopen_context(old, data_dir, False)
    assert new is not None
    qtbot.addWidget(new.window)
    return new


def _names(ctx) -> list[str]:
    return [ctx.window.duty_combo.itemText(i) for i in range(ctx.window.duty_combo.count())]


def _can_record_a_dose(ctx, fake_clock) -> None:
    ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)
    ctx.reminders.start()
    fake_clock.set(at(D0, 8, 5))
    ctx.reminders.timer.timeout.emit()  # a reminder after the restore: the db is usable
    key = f"{D0.isoformat()}T08:00"
    entry = ctx.medications.record_given(ctx.riluzole_id, key)
    assert entry.id is not None
    status = next(s for s in ctx.medications.statuses_between(at(D0, 0), at(D0, 23))
                  if s.occurrence.key == key)
    assert status.state is DoseState.GIVEN
    ctx.close()


def test_restore_while_reminders_run_opens_the_restored_records(home, qtbot, answers,
                                                                 monkeypatch, data_dir,
                                                                 tmp_path, fake_clock):
    saved = home.backups.back_up_to_folder(tmp_path)
    home.patients.save_caregivers([*home.patients.caregivers(), Caregiver("Ana Late", "AL")])
    home.reminders.start()
    assert home.reminders.running
    monkeypatch.setattr("caregiver_app.ui.backups.restore_dialog.RestoreDialog.ask",
                        lambda backups, describe, parent: saved)
    with qtbot.waitSignal(home.backups.database_replaced):
        assert wait_for(qtbot, home.window.restore_backup()).ok
    assert home.backups.last_outcome.ok
    assert not home.reminders.running  # stopped before the database was closed
    new = _reopen(qtbot, home, data_dir)
    assert "Tom Example (TE)" in _names(new) and "Ana Late (AL)" not in _names(new)
    assert new.window.statusBar().currentMessage() == "The backup was restored."
    assert "Jane Doe" in new.window.patient_label.text()
    assert answers == []
    new.riluzole_id = home.riluzole.id
    _can_record_a_dose(new, fake_clock)
    kept = next((data_dir / "backups" / "before-restore").iterdir())
    conn = sqlite3.connect(kept)
    try:  # the reminders saved how far they watched before the records were copied
        assert conn.execute("SELECT count(*) FROM reminder_watch").fetchone()[0] == 1
        assert {r[0] for r in conn.execute("SELECT name FROM caregivers")} == {
            "Tom Example", "Ana Late"}
    finally:
        conn.close()


def test_import_while_reminders_run_opens_the_imported_records(home, qtbot, answers,
                                                                monkeypatch, data_dir,
                                                                tmp_path, fake_clock):
    exported = tmp_path / "records.json"
    assert wait_for(qtbot, home.window.export_records(exported)).ok
    home.patients.save_caregivers([*home.patients.caregivers(), Caregiver("Ana Late", "AL")])
    home.reminders.start()
    asked = []
    monkeypatch.setattr("caregiver_app.ui.messages.confirm",
                        lambda parent, title, text, **k: asked.append(text) or True)
    with qtbot.waitSignal(home.backups.database_replaced, timeout=20_000):
        assert home.window.import_records(exported)
    # the confirmation said what the file holds against what the app holds now
    assert "The file holds: 1 patient profile, 1 caregiver, 1 medicine" in asked[0]
    assert "The app holds now: 1 patient profile, 2 caregivers, 1 medicine" in asked[0]
    new = _reopen(qtbot, home, data_dir)
    assert "Tom Example (TE)" in _names(new) and "Ana Late (AL)" not in _names(new)
    message = new.window.statusBar().currentMessage()
    assert message.startswith("Imported ") and "records.json" in message
    new.riluzole_id = home.riluzole.id
    _can_record_a_dose(new, fake_clock)


def _full_disk_for(folder_name):
    real = backup._copy_pages

    def copy(source, target):
        name = target.execute("PRAGMA database_list").fetchone()[2]
        if folder_name in name:
            raise sqlite3.OperationalError("database or disk is full")
        real(source, target)
    return copy


def test_restore_on_a_full_disk_keeps_the_records_and_says_so(home, qtbot, answers,
                                                               monkeypatch, data_dir,
                                                               tmp_path, fake_clock):
    saved = home.backups.back_up_to_folder(tmp_path)
    home.patients.save_caregivers([*home.patients.caregivers(), Caregiver("Ana Late", "AL")])
    home.reminders.start()
    monkeypatch.setattr("caregiver_app.ui.backups.restore_dialog.RestoreDialog.ask",
                        lambda backups, describe, parent: saved)
    # the safety copy of the current records cannot be written
    monkeypatch.setattr(backup, "_copy_pages", _full_disk_for("before-restore"))
    with qtbot.waitSignal(home.backups.database_replaced):
        assert wait_for(qtbot, home.window.restore_backup()).ok  # the file was fine
    assert not home.backups.last_outcome.ok
    assert answers == []  # said by the reopened window, not over the old one
    live = data_dir / "caregiver.sqlite3"
    assert live.stat().st_size > 0
    assert not list((data_dir / "backups" / "before-restore").glob("*.partial*"))
    assert not list(data_dir.glob("*.restoring*"))
    new = _reopen(qtbot, home, data_dir)
    assert "Ana Late (AL)" in _names(new)  # the records are as they were
    assert "the disk is full" in new.window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(answers))
    title, text = answers[0]
    assert title == "Backup not restored" and "the disk is full" in text
    assert "not changed" in text
    new.riluzole_id = home.riluzole.id
    _can_record_a_dose(new, fake_clock)


def test_import_on_a_full_disk_keeps_the_records(home, qtbot, answers, monkeypatch,
                                                  data_dir, tmp_path, fake_clock):
    exported = tmp_path / "records.json"
    assert wait_for(qtbot, home.window.export_records(exported)).ok
    home.patients.save_caregivers([*home.patients.caregivers(), Caregiver("Ana Late", "AL")])
    monkeypatch.setattr(backup, "_copy_pages", _full_disk_for(".restoring"))
    imported = []
    home.window.imported.connect(imported.append)
    replaced = []
    home.backups.database_replaced.connect(lambda: replaced.append(True))
    with qtbot.waitSignal(home.window.imported, timeout=20_000):
        home.window.import_records(exported)
    assert imported == [False]  # not imported
    # the copy beside the records is made before they are closed: they stay open
    assert replaced == [] and not home.backups.released
    assert not list(data_dir.glob("*.restoring*"))
    assert answers[0][0] == "Not imported" and "the disk is full" in answers[0][1]
    assert {c.name for c in home.patients.caregivers()} == {"Tom Example", "Ana Late"}
    home.close()


def test_a_refused_import_file_is_explained_before_anything_is_closed(home, answers, qtbot,
                                                                       tmp_path):
    exported = tmp_path / "records.json"
    assert wait_for(qtbot, home.window.export_records(exported)).ok
    doc = json.loads(exported.read_text())
    doc["tables"]["caregivers"][0]["id"] = 2**70
    exported.write_text(json.dumps(doc))
    assert not wait_for(qtbot, home.window.import_records(exported)).ok
    title, text = answers[0]
    assert title == "Not imported"
    assert '"caregivers" record 1: field "id" is a number too large to store' in text
    assert not home.backups.released
    assert [c.name for c in home.patients.caregivers()] == ["Tom Example"]


def test_closing_the_app_after_a_restore_closed_the_database_is_safe(home, tmp_path):
    saved = home.backups.back_up_to_folder(tmp_path)
    home.reminders.start()
    home.backups.restore(saved)
    home.close()  # nothing written to the closed database, no error
    home.close()


def test_daily_backups_are_checked_again_while_the_app_runs(home, data_dir, fake_clock):
    timer = home.backups.timer
    assert timer.isActive() and timer.interval() <= 60 * 60 * 1000
    home.backups.make_rotating_backups()
    daily = data_dir / "backups" / "daily"
    assert [p.name for p in daily.iterdir()] == [f"caregiver-{D0.isoformat()}.sqlite3"]
    fake_clock.advance(hours=1)
    timer.timeout.emit()  # the same day: nothing new
    assert len(list(daily.iterdir())) == 1
    fake_clock.set(at(D0 + timedelta(days=1), 9))  # the app stayed open in the tray
    timer.timeout.emit()
    assert sorted(p.name for p in daily.iterdir()) == [
        f"caregiver-{D0.isoformat()}.sqlite3",
        f"caregiver-{(D0 + timedelta(days=1)).isoformat()}.sqlite3"]
    home.close()
    assert not timer.isActive()
