from __future__ import annotations

import json

from caregiver_app.domain.patient import Caregiver


def test_export_then_import_from_the_file_menu(ctx, qtbot, monkeypatch, tmp_path):
    saved = ctx.patients.save_caregivers([Caregiver("Tom", "T")])
    path = tmp_path / "records.json"
    assert ctx.window.export_records(path)
    assert "Exported" in ctx.window.statusBar().currentMessage()
    ctx.patients.save_caregivers([*saved, Caregiver("Ana", "A")])
    monkeypatch.setattr("caregiver_app.ui.main_window.messages.confirm", lambda *a, **k: True)
    with qtbot.waitSignal(ctx.backups.database_replaced):
        assert ctx.window.import_records(path)


def test_bad_import_file_is_explained_and_changes_nothing(ctx, monkeypatch, tmp_path):
    ctx.patients.save_caregivers([Caregiver("Tom", "T")])
    path = tmp_path / "records.json"
    ctx.window.export_records(path)
    doc = json.loads(path.read_text())
    doc["tables"]["caregivers"][0]["active"] = "maybe"
    path.write_text(json.dumps(doc))
    warned = {}
    monkeypatch.setattr("caregiver_app.ui.main_window.messages.confirm", lambda *a, **k: True)
    monkeypatch.setattr("caregiver_app.ui.main_window.messages.warn",
                        lambda parent, title, text: warned.update(text=text))
    assert not ctx.window.import_records(path)
    assert '"caregivers" record 1: field "active"' in warned["text"]
    assert [c.name for c in ctx.patients.caregivers()] == ["Tom"]
