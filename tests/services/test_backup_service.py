from __future__ import annotations

import sqlite3

import pytest
from gui_paths import wait_for

from caregiver_app.storage.backup import BackupError


def _caregiver_names(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM caregivers")]
    finally:
        conn.close()


def test_back_up_now_to_a_chosen_folder(ctx, qtbot, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    ctx.patients.save_caregivers([])
    dest = wait_for(qtbot, ctx.window.back_up_now(usb)).value
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
    monkeypatch.setattr("caregiver_app.ui.backups.restore_dialog.RestoreDialog.ask",
                        lambda backups, describe, parent: saved)
    monkeypatch.setattr("caregiver_app.ui.messages.confirm", lambda *a, **k: True)
    with qtbot.waitSignal(ctx.backups.database_replaced):
        assert wait_for(qtbot, ctx.window.restore_backup()).ok
    assert _caregiver_names(data_dir / "caregiver.sqlite3") == ["Tom"]
    kept = list((data_dir / "backups" / "before-restore").iterdir())
    assert sorted(_caregiver_names(kept[0])) == ["Ana", "Tom"]


def test_cancelled_confirmation_changes_nothing(ctx, monkeypatch, tmp_path):
    saved = ctx.backups.back_up_to_folder(tmp_path)
    monkeypatch.setattr("caregiver_app.ui.backups.restore_dialog.RestoreDialog.ask",
                        lambda backups, describe, parent: saved)
    monkeypatch.setattr("caregiver_app.ui.messages.confirm", lambda *a, **k: False)
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


# ---- Backups that cannot be made are a message, never the crash dialog


def _full_disk(*_args):
    raise sqlite3.OperationalError("database or disk is full")


def test_daily_backups_on_a_full_disk_are_a_message_not_a_crash(ctx, qtbot, monkeypatch,
                                                                 data_dir):
    from caregiver_app.storage import backup

    monkeypatch.setattr(backup, "_copy_pages", _full_disk)
    with qtbot.waitSignal(ctx.backups.message) as said:
        assert ctx.backups.make_rotating_backups() == []
    assert said.args[0].startswith("Backups could not be made: the disk is full.")
    assert "Backups could not be made" in ctx.window.statusBar().currentMessage()
    assert not [p for p in (data_dir / "backups").rglob("*") if p.is_file()]
    monkeypatch.undo()  # space was freed: the next hourly check makes them
    ctx.backups.timer.timeout.emit()
    assert len(list((data_dir / "backups" / "daily").iterdir())) == 1


def test_an_unwritable_daily_folder_is_a_message_not_a_crash(ctx, qtbot, monkeypatch):
    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("caregiver_app.storage.backup.ensure_private_dir", refuse)
    with qtbot.waitSignal(ctx.backups.message) as said:
        assert ctx.backups.make_rotating_backups() == []
    assert "permission was denied" in said.args[0]


def test_back_up_now_to_a_full_disk_says_so_and_leaves_no_partial_file(ctx, qtbot, monkeypatch,
                                                                        tmp_path):
    from caregiver_app.storage import backup

    usb = tmp_path / "usb"
    usb.mkdir()
    warned = {}
    monkeypatch.setattr(backup, "_copy_pages", _full_disk)
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.update(title=title, text=text))
    outcome = wait_for(qtbot, ctx.window.back_up_now(usb))
    assert outcome.value is None and not outcome.ok
    assert "Backup saved" not in ctx.window.statusBar().currentMessage()
    assert warned["title"] == "Backup not made"
    assert f"could not be written to {usb}: the disk is full" in warned["text"]
    assert list(usb.iterdir()) == []


@pytest.mark.posix_only("a FAT stick refusing chmod, and exact st_mode bits")
def test_back_up_now_to_a_usb_stick_without_permissions(ctx, qtbot, monkeypatch, tmp_path):
    """FAT and exFAT sticks refuse chmod: the backup is made all the same, and the folder
    the caregiver chose is never changed."""
    import os

    usb = tmp_path / "usb"
    usb.mkdir()
    usb.chmod(0o755)
    real_chmod = os.chmod

    def fat_chmod(path, mode, *args, **kwargs):
        if str(path).startswith(str(usb)):
            raise PermissionError(1, "Operation not permitted", str(path))
        return real_chmod(path, mode, *args, **kwargs)

    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append(text))
    monkeypatch.setattr("os.chmod", fat_chmod)
    dest = wait_for(qtbot, ctx.window.back_up_now(usb)).value
    monkeypatch.undo()
    assert warned == []
    assert dest is not None and dest.parent == usb
    assert usb.stat().st_mode & 0o777 == 0o755
    assert ctx.backups.describe_file(dest).ok


def test_a_foreign_or_empty_file_is_listed_as_unusable(ctx, tmp_path):
    from caregiver_app.ui.backups.restore_dialog import RestoreDialog

    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    other = tmp_path / "recipes.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    dialog = RestoreDialog([], ctx.backups.describe_file)
    for path, why in ((empty, "empty"), (other, "another program's database")):
        dialog.add_file(path)
        assert why in dialog.model.data(dialog.model.index(0, 4))
        assert not dialog.try_accept()
        assert why in dialog.status.text()
    with pytest.raises(BackupError, match="cannot be restored"):
        ctx.backups.restore(other)
    ctx.db.execute("SELECT 1")  # nothing was closed
