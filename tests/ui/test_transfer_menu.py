from __future__ import annotations

import json

from gui_paths import wait_for

from caregiver_app.domain.patient import Caregiver


def test_export_then_import_from_the_file_menu(ctx, qtbot, monkeypatch, tmp_path):
    saved = ctx.patients.save_caregivers([Caregiver("Tom", "T")])
    path = tmp_path / "records.json"
    assert wait_for(qtbot, ctx.window.export_records(path)).ok
    assert "Exported" in ctx.window.statusBar().currentMessage()
    ctx.patients.save_caregivers([*saved, Caregiver("Ana", "A")])
    monkeypatch.setattr("caregiver_app.ui.messages.confirm", lambda *a, **k: True)
    with qtbot.waitSignal(ctx.backups.database_replaced, timeout=20_000):
        assert ctx.window.import_records(path)


def test_bad_import_file_is_explained_and_changes_nothing(ctx, qtbot, monkeypatch, tmp_path):
    ctx.patients.save_caregivers([Caregiver("Tom", "T")])
    path = tmp_path / "records.json"
    wait_for(qtbot, ctx.window.export_records(path))
    doc = json.loads(path.read_text())
    doc["tables"]["caregivers"][0]["active"] = "maybe"
    path.write_text(json.dumps(doc))
    warned = {}
    monkeypatch.setattr("caregiver_app.ui.messages.confirm", lambda *a, **k: True)
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.update(text=text))
    assert not wait_for(qtbot, ctx.window.import_records(path)).ok
    assert '"caregivers" record 1: field "active"' in warned["text"]
    assert [c.name for c in ctx.patients.caregivers()] == ["Tom"]


def test_files_that_once_crashed_the_app_are_explained(ctx, qtbot, monkeypatch, tmp_path):
    ctx.patients.save_caregivers([Caregiver("Tom", "T")])
    path = tmp_path / "records.json"
    wait_for(qtbot, ctx.window.export_records(path))
    doc = json.loads(path.read_text())
    doc["tables"]["caregivers"][0]["name"] = "\ud800"
    surrogate = tmp_path / "surrogate.json"
    surrogate.write_text(json.dumps(doc))
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.confirm", lambda *a, **k: True)
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append(text))
    assert not wait_for(qtbot, ctx.window.import_records(surrogate)).ok
    assert not wait_for(qtbot, ctx.window.import_records(nested)).ok
    assert '"caregivers" record 1: field "name" holds text that is not valid' in warned[0]
    assert "nests lists or objects" in warned[1]
    assert [c.name for c in ctx.patients.caregivers()] == ["Tom"]


def test_an_export_that_cannot_be_written_leaves_no_partial_file(ctx, qtbot, monkeypatch,
                                                                 tmp_path):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append(text))

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("caregiver_app.storage.transfer.json.dump", full)
    usb = tmp_path / "usb"
    usb.mkdir()
    assert not wait_for(qtbot, ctx.window.export_records(usb / "records.json")).ok
    assert "No space left on device" in warned[0]
    assert list(usb.iterdir()) == []
