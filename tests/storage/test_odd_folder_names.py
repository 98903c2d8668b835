"""Folder names with characters that mean something in a URI (#21 item 2): the records
and their backups open, list, check and restore wherever they are."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from gui_paths import wait_for_background

from caregiver_app.domain.patient import AllergyStatus, Patient
from caregiver_app.storage import backup
from caregiver_app.storage.db import open_database
from caregiver_app.storage.patient_repo import PatientRepository

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
#: Each name once: a URI's fragment, query and escape marks, spaces, quotes, an
#: ampersand, and letters beyond Latin.
ODD_NAMES = ("Mum's #2 backups", "what? where", "100% sure", "two  spaces ",
             'say "hi"', "Tom & Jerry", "Zoë Łódź Дом 家族")


@pytest.mark.parametrize("name", ODD_NAMES)
def test_records_and_backups_in_an_odd_folder(tmp_path, name):
    data = tmp_path / name / name
    db = open_database(data / "caregiver.sqlite3", now=NOW)
    PatientRepository(db).save(Patient("Ann Example", allergy_status=AllergyStatus.NONE_KNOWN))
    made = backup.make_backup(db.conn, data / "backups", "daily", NOW)
    db.close()
    assert made.exists()
    listed = backup.list_backups(data / "backups")
    assert [(b.ok, b.patient_name, b.problem) for b in listed] == [(True, "Ann Example", "")]
    assert backup.newest_good_backup(data / "backups").path == made
    assert sorted(p.name for p in (tmp_path / name).iterdir()) == [name]  # nothing stray
    live = open_database(data / "caregiver.sqlite3", now=NOW)
    copy = backup.copy_database(live.conn, tmp_path / name / "copy.sqlite3")  # Back up now
    live.close()
    assert backup.check_database_file(copy) == ""
    backup.restore(made, data / "caregiver.sqlite3", data / "backups", NOW)
    again = open_database(data / "caregiver.sqlite3", now=NOW)
    assert PatientRepository(again).get().full_name == "Ann Example"
    again.close()


def test_back_up_now_into_an_odd_folder_then_restore_it(ctx, qtbot, monkeypatch, tmp_path):
    """File ▸ Back up now… into a folder named with every odd character, then the
    restore dialog finds that copy usable."""
    ctx.patients.save(Patient("Ann Example", allergy_status=AllergyStatus.NONE_KNOWN))
    folder = tmp_path / "".join(ODD_NAMES)
    folder.mkdir()
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory",
                        lambda *a, **k: str(folder))
    action = next(a for a in ctx.window.file_menu.actions() if a.text() == "&Back up now…")
    action.trigger()
    wait_for_background(qtbot)
    copies = list(folder.glob("*.sqlite3"))
    assert len(copies) == 1, ctx.window.statusBar().currentMessage()
    assert str(copies[0]) in ctx.window.statusBar().currentMessage()
    info = ctx.backups.describe_file(copies[0])
    assert (info.ok, info.patient_name) == (True, "Ann Example"), info.problem
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["data", folder.name]), "a stray file was created beside the folder"
