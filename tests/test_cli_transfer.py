"""`caregiver-app export --json` and `import --json`, as run from a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from permissions import assert_owner_only

from caregiver_app.services.demo import populate_example
from caregiver_app.storage.db import connect, open_database
from caregiver_app.storage.transfer import data_tables

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env,
                          capture_output=True, text=True, timeout=60)


def _dump(path: Path) -> dict:
    db = connect(path)
    try:
        return {t: [dict(r) for r in db.query(f"SELECT * FROM [{t}] ORDER BY rowid")]
                for t in data_tables(db)}
    finally:
        db.close()


@pytest.fixture
def household(tmp_path) -> Path:
    data = tmp_path / "home"
    db = open_database(data / "caregiver.sqlite3")
    populate_example(db, today=date(2026, 11, 25), time_zone="America/Chicago")
    db.close()
    return data


@pytest.mark.slow
def test_export_then_import_on_a_new_laptop(household, tmp_path):
    exported = tmp_path / "records.json"
    result = _cli("--data-dir", str(household), "export", "--json", str(exported))
    assert result.returncode == 0, result.stderr
    assert "Exported" in result.stdout
    new_laptop = tmp_path / "new-laptop"
    result = _cli("--data-dir", str(new_laptop), "import", "--json", str(exported))
    assert result.returncode == 0, result.stderr
    assert _dump(new_laptop / "caregiver.sqlite3") == _dump(household / "caregiver.sqlite3")
    assert_owner_only(new_laptop / "caregiver.sqlite3")


@pytest.mark.slow
def test_import_will_not_silently_replace_records(household, tmp_path):
    exported = tmp_path / "records.json"
    assert _cli("--data-dir", str(household), "export", "--json", str(exported)).returncode == 0
    result = _cli("--data-dir", str(household), "import", "--json", str(exported))
    assert result.returncode == 1
    assert "--replace" in result.stderr
    result = _cli("--data-dir", str(household), "import", "--json", str(exported), "--replace")
    assert result.returncode == 0, result.stderr
    assert list((household / "backups" / "before-restore").iterdir())


@pytest.mark.slow
def test_bad_file_changes_nothing_and_says_where(household, tmp_path):
    exported = tmp_path / "records.json"
    assert _cli("--data-dir", str(household), "export", "--json", str(exported)).returncode == 0
    doc = json.loads(exported.read_text())
    doc["tables"]["caregivers"][0]["initials"] = None
    exported.write_text(json.dumps(doc))
    before = _dump(household / "caregiver.sqlite3")
    result = _cli("--data-dir", str(household), "import", "--json", str(exported), "--replace")
    assert result.returncode == 1
    assert '"caregivers" record 1: field "initials" is empty but is required' in result.stderr
    assert _dump(household / "caregiver.sqlite3") == before


@pytest.mark.slow
def test_import_refused_while_the_app_is_open(app_names, household, tmp_path):
    from caregiver_app.services.single_instance import SingleInstance

    exported = tmp_path / "records.json"
    assert _cli("--data-dir", str(household), "export", "--json", str(exported)).returncode == 0
    running = SingleInstance(household)
    assert running.acquire()
    try:
        result = _cli("--data-dir", str(household), "import", "--json", str(exported),
                      "--replace")
    finally:
        running.release()
    assert result.returncode == 1
    assert "is open" in result.stderr


def _with_backup(household: Path) -> None:
    from datetime import UTC, datetime

    from caregiver_app.storage import backup

    db = connect(household / "caregiver.sqlite3")
    backup.ensure_rotating_backups(db.conn, household / "backups", date(2026, 11, 25),
                                   datetime(2026, 11, 25, tzinfo=UTC))
    db.close()


@pytest.mark.slow
def test_export_refuses_an_empty_records_file_when_backups_exist(household, tmp_path):
    _with_backup(household)
    for side in ("", "-wal", "-shm"):
        (household / f"caregiver.sqlite3{side}").unlink(missing_ok=True)
    (household / "caregiver.sqlite3").write_bytes(b"")
    exported = tmp_path / "records.json"
    result = _cli("--data-dir", str(household), "export", "--json", str(exported))
    assert result.returncode == 1
    assert "is empty (0 bytes)" in result.stderr
    assert "Start ALS Care Companion to recover" in result.stderr
    assert not exported.exists() and "Exported" not in result.stdout
    (household / "caregiver.sqlite3").unlink()
    result = _cli("--data-dir", str(household), "export", "--json", str(exported))
    assert result.returncode == 1 and "is missing" in result.stderr


@pytest.mark.slow
def test_import_onto_a_damaged_file_explains_instead_of_a_traceback(household, tmp_path):
    exported = tmp_path / "records.json"
    assert _cli("--data-dir", str(household), "export", "--json", str(exported)).returncode == 0
    for side in ("-wal", "-shm"):
        (household / f"caregiver.sqlite3{side}").unlink(missing_ok=True)
    (household / "caregiver.sqlite3").write_bytes(b"garbage" * 500)
    result = _cli("--data-dir", str(household), "import", "--json", str(exported))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot be read" in result.stderr and "--replace" in result.stderr
    result = _cli("--data-dir", str(household), "import", "--json", str(exported), "--replace")
    assert result.returncode == 0, result.stderr
    assert any("damaged" in p.name for p in household.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["nested", "huge number", "lone surrogate"])
def test_files_that_once_crashed_the_import_are_refused(household, tmp_path, damage):
    exported = tmp_path / "records.json"
    assert _cli("--data-dir", str(household), "export", "--json", str(exported)).returncode == 0
    if damage == "nested":
        exported.write_text("[" * 100_000 + "]" * 100_000)
        expected = "nests lists or objects"
    else:
        doc = json.loads(exported.read_text())
        if damage == "huge number":
            doc["tables"]["caregivers"][0]["active"] = 2**70
            expected = '"caregivers" record 1: field "active" is a number too large'
        else:
            doc["tables"]["caregivers"][0]["name"] = "\ud800"
            expected = '"caregivers" record 1: field "name" holds text that is not valid'
        exported.write_text(json.dumps(doc))
    before = _dump(household / "caregiver.sqlite3")
    result = _cli("--data-dir", str(household), "import", "--json", str(exported), "--replace")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert _dump(household / "caregiver.sqlite3") == before


@pytest.mark.slow
def test_calendar_and_csv_exports_are_owner_only(household, tmp_path):
    for option, name in (("--csv", "history.csv"), ("--ics", "doses.ics")):
        target = tmp_path / name
        result = _cli("--data-dir", str(household), "export", option, str(target))
        assert result.returncode == 0, result.stderr
        assert_owner_only(target)
