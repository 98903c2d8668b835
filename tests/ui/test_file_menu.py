"""File ▸ Back up now…, Export all records… and Import records…, picked in the menu."""

from __future__ import annotations

import json

from gui_paths import menu_action, wait_for_background

from caregiver_app.domain.patient import Caregiver


def test_back_up_now_from_the_menu_saves_a_copy_in_the_chosen_folder(ctx, qtbot, monkeypatch,
                                                                    tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    asked = []

    def choose_folder(parent, title, *args, **kwargs):
        asked.append(title)
        return str(usb)

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory",
                        choose_folder)
    menu_action(ctx.window, "File", "Back up now…").trigger()
    wait_for_background(qtbot)
    assert asked == ["Choose where to save the backup"]
    copies = list(usb.iterdir())
    assert len(copies) == 1 and copies[0].suffix == ".sqlite3"
    assert f"Backup saved as {copies[0]}" == ctx.window.statusBar().currentMessage()


def test_export_then_import_picked_in_the_file_menu(ctx, qtbot, monkeypatch, tmp_path):
    ctx.patients.save_caregivers([Caregiver("Tom", "T")])
    target = tmp_path / "records.json"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "JSON files (*.json)"))
    menu_action(ctx.window, "File", "Export all records…").trigger()
    wait_for_background(qtbot)
    assert json.loads(target.read_text())["tables"]["caregivers"][0]["name"] == "Tom"
    assert ctx.window.statusBar().currentMessage().startswith("Exported ")

    ctx.patients.save_caregivers([*ctx.patients.caregivers(), Caregiver("Ana", "A")])
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(target), "JSON files (*.json)"))
    monkeypatch.setattr("caregiver_app.ui.messages.confirm", lambda *a, **k: True)
    with qtbot.waitSignal(ctx.backups.database_replaced, timeout=20_000):
        menu_action(ctx.window, "File", "Import records…").trigger()


def test_cancelling_the_file_choosers_changes_nothing(ctx, monkeypatch, tmp_path):
    for name in ("getExistingDirectory", "getSaveFileName", "getOpenFileName"):
        empty = "" if name == "getExistingDirectory" else ("", "")
        monkeypatch.setattr(f"PySide6.QtWidgets.QFileDialog.{name}",
                            lambda *a, _e=empty, **k: _e)
    for item in ("Back up now…", "Export all records…", "Import records…"):
        menu_action(ctx.window, "File", item).trigger()
    assert ctx.window.statusBar().currentMessage() == ""
