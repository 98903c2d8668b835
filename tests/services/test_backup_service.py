from __future__ import annotations

import sqlite3

import pytest

from caregiver_app.storage.backup import BackupError


def _caregiver_names(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM caregivers")]
    finally:
        conn.close()


def test_back_up_now_to_a_chosen_folder(ctx, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    ctx.patients.save_caregivers([])
    dest = ctx.window.back_up_now(usb)
    assert dest is not None and dest.parent == usb
    assert "backup" in ctx.window.statusBar().currentMessage().lower()


def test_back_up_to_missing_folder_says_so(ctx, tmp_path):
    with pytest.raises(BackupError, match="does not exist"):
        ctx.backups.back_up_to_folder(tmp_path / "nowhere")


def test_restore_from_menu_replaces_the_database(ctx, qtbot, monkeypatch, data_dir, tmp_path):
    from caregiver_app.domain.patient import Caregiver

    tom = ctx.patients.save_caregivers([Caregiver("Tom", "T")])
    saved = ctx.backups.back_up_to_folder(tmp_path)
    ctx.patients.save_caregivers([*tom, Caregiver("Ana", "A")])
    monkeypatch.setattr("caregiver_app.ui.main_window.RestoreDialog.ask",
                        lambda backups, describe, parent: saved)
    monkeypatch.setattr("caregiver_app.ui.main_window.messages.confirm", lambda *a, **k: True)
    with qtbot.waitSignal(ctx.backups.database_replaced):
        assert ctx.window.restore_backup()
    assert _caregiver_names(data_dir / "caregiver.sqlite3") == ["Tom"]
    kept = list((data_dir / "backups" / "before-restore").iterdir())
    assert sorted(_caregiver_names(kept[0])) == ["Ana", "Tom"]


def test_cancelled_confirmation_changes_nothing(ctx, monkeypatch, tmp_path):
    saved = ctx.backups.back_up_to_folder(tmp_path)
    monkeypatch.setattr("caregiver_app.ui.main_window.RestoreDialog.ask",
                        lambda backups, describe, parent: saved)
    monkeypatch.setattr("caregiver_app.ui.main_window.messages.confirm", lambda *a, **k: False)
    assert not ctx.window.restore_backup()
    assert not ctx.db.conn.in_transaction
    ctx.db.execute("SELECT 1")  # still open


def test_restore_dialog_lists_backups(qtbot, qtmodeltester, ctx, tmp_path):
    from caregiver_app.ui.backups.restore_dialog import RestoreDialog

    ctx.backups.make_rotating_backups()
    dialog = RestoreDialog(ctx.backups.backups(), ctx.backups.describe_file)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 2
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"junk" * 100)
    dialog.add_file(junk)
    assert not dialog.try_accept()
    assert "cannot be restored" in dialog.status.text()


def test_note_typed_just_before_a_restore_is_kept(ctx, tmp_path, data_dir):
    import sqlite3

    learn = ctx.window.show_tab("learn")
    learn.ensure_loaded()
    assert learn.open_article("riluzole")
    saved = ctx.backups.back_up_to_folder(tmp_path)
    learn.notes_edit.setPlainText("Ask about the liquid form")  # not saved yet: still typing
    ctx.backups.restore(saved)
    kept = next((data_dir / "backups" / "before-restore").iterdir())
    conn = sqlite3.connect(kept)
    rows = conn.execute("SELECT * FROM learn_notes").fetchall()
    conn.close()
    assert any("Ask about the liquid form" in str(row) for row in rows), rows
