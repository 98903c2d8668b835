"""Odd things where the records file should be (issue #12 items 13-16): a folder,
another program's SQLite file, an empty file, and what a killed import left behind. The
app never writes to what is not its records, says what it found, and offers the
backups."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime

import pytest

from caregiver_app import app
from caregiver_app.storage import backup
from caregiver_app.storage.db import DatabaseDamaged, inspect_records_file, open_database
from caregiver_app.ui.backups.recovery import RecoveryChoice

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _with_backup(data_dir) -> None:
    db = open_database(data_dir / "caregiver.sqlite3")
    db.table("caregivers").insert({"name": "Tom", "initials": "T", "active": 1})
    backup.ensure_rotating_backups(db.conn, data_dir / "backups", date(2026, 11, 24), NOW)
    db.close()
    (data_dir / "caregiver.sqlite3").unlink()
    for side in data_dir.glob("caregiver.sqlite3-*"):
        side.unlink()


def _foreign(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT, steps TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup', 'boil')")
    conn.commit()
    conn.close()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Asked:
    def __init__(self, answer: RecoveryChoice):
        self.answer = answer
        self.calls: list[dict] = []

    def __call__(self, reason, database, newest, parent=None, kind="damaged"):
        self.calls.append(dict(reason=reason, newest=newest, kind=kind))
        return self.answer


def _recover(monkeypatch, data_dir, answer):
    asked = Asked(answer)
    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery", asked)
    ctx = app._open_or_recover(data_dir, False)
    return ctx, asked


def _close(ctx) -> None:
    if ctx is not None:
        ctx.window.deleteLater()
        ctx.close()


# ---- 13. A folder at caregiver.sqlite3


@pytest.mark.posix_only("chmod and exact st_mode bits")
@pytest.mark.parametrize("with_backups", [True, False])
def test_a_folder_is_left_as_it_is_and_the_backups_are_offered(app_names, data_dir,
                                                                monkeypatch, with_backups):
    data_dir.mkdir(parents=True, exist_ok=True)
    if with_backups:
        _with_backup(data_dir)
    folder = data_dir / "caregiver.sqlite3"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"photo")
    os.chmod(folder, 0o755)
    ctx, asked = _recover(monkeypatch, data_dir, RecoveryChoice.QUIT)
    assert ctx is None
    [call] = asked.calls
    assert call["kind"] == "folder" and "is a folder, not a file" in call["reason"]
    assert (call["newest"] is not None) == with_backups
    assert folder.stat().st_mode & 0o777 == 0o755  # never locked out of its owner
    assert (folder / "holiday.jpg").read_bytes() == b"photo"


def test_restoring_over_a_folder_keeps_the_folder_beside(app_names, data_dir, monkeypatch):
    data_dir.mkdir(parents=True)
    _with_backup(data_dir)
    (data_dir / "caregiver.sqlite3").mkdir()
    (data_dir / "caregiver.sqlite3" / "holiday.jpg").write_bytes(b"photo")
    ctx, _ = _recover(monkeypatch, data_dir, RecoveryChoice.RESTORE_NEWEST)
    try:
        assert [c.name for c in ctx.patients.caregivers()] == ["Tom"]
        [kept] = data_dir.glob("caregiver.sqlite3.folder-*")
        assert (kept / "holiday.jpg").read_bytes() == b"photo"
    finally:
        _close(ctx)


# ---- 14. Another program's SQLite file


@pytest.mark.posix_only("chmod and exact st_mode bits")
@pytest.mark.parametrize("with_backups", [True, False])
def test_another_programs_database_is_never_written_to(app_names, data_dir, monkeypatch,
                                                        with_backups):
    data_dir.mkdir(parents=True, exist_ok=True)
    if with_backups:
        _with_backup(data_dir)
    live = data_dir / "caregiver.sqlite3"
    _foreign(live)
    os.chmod(live, 0o644)
    before = _digest(live)
    ctx, asked = _recover(monkeypatch, data_dir, RecoveryChoice.QUIT)
    assert ctx is None
    [call] = asked.calls
    assert call["kind"] == "other-program"
    assert "another program's database (it holds tables named recipes)" in call["reason"]
    assert _digest(live) == before  # not switched to WAL, no tables added
    assert live.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in data_dir.glob("caregiver.sqlite3*")) == ["caregiver.sqlite3"]
    assert inspect_records_file(live) == ("other-program", "recipes")


def test_starting_fresh_puts_the_new_records_in_a_new_file_beside_it(app_names, data_dir,
                                                                     monkeypatch):
    data_dir.mkdir(parents=True)
    live = data_dir / "caregiver.sqlite3"
    _foreign(live)
    before = _digest(live)
    ctx, asked = _recover(monkeypatch, data_dir, RecoveryChoice.START_EMPTY)
    try:
        assert asked.calls[0]["newest"] is None
        assert ctx.patients.get() is None  # fresh records
        [kept] = data_dir.glob("caregiver.sqlite3.other-program-*")
        assert _digest(kept) == before
    finally:
        _close(ctx)


def test_the_command_line_does_not_write_to_it_either(data_dir, tmp_path, capsys):
    data_dir.mkdir(parents=True)
    live = data_dir / "caregiver.sqlite3"
    _foreign(live)
    before = _digest(live)
    code = app.main(["--data-dir", str(data_dir), "export", "--json",
                     str(tmp_path / "out.json")])
    assert code == 1
    assert "another program's database" in capsys.readouterr().err
    assert _digest(live) == before


# ---- 15. An empty records file


def test_an_empty_records_file_without_backups_is_said_to_be_empty(app_names, data_dir,
                                                                   monkeypatch):
    data_dir.mkdir(parents=True)
    (data_dir / "caregiver.sqlite3").write_bytes(b"")
    ctx, asked = _recover(monkeypatch, data_dir, RecoveryChoice.START_EMPTY)
    try:
        [call] = asked.calls
        assert call["kind"] == "empty"
        assert call["reason"] == ("is empty (0 bytes): it holds no records, and no backup "
                                  "of them was found")
        assert ctx.patients.get() is None
        assert list(data_dir.glob("caregiver.sqlite3.empty-*"))
    finally:
        _close(ctx)


def test_a_first_start_never_leaves_an_empty_records_file(data_dir, monkeypatch):
    """The app makes a new records file beside it and renames it when whole: killed at
    any moment, it leaves no empty caregiver.sqlite3 that would then be reported."""
    seen = []
    real = os.replace

    def watch(src, dst):
        seen.append((os.path.basename(src), os.path.getsize(src)))
        return real(src, dst)

    monkeypatch.setattr("caregiver_app.storage.db.os.replace", watch)
    open_database(data_dir / "caregiver.sqlite3").close()
    assert seen == [("caregiver.sqlite3.new", 4096)]


def test_empty_is_refused_at_the_storage_layer_too(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "caregiver.sqlite3").write_bytes(b"")
    with pytest.raises(DatabaseDamaged) as info:
        open_database(data_dir / "caregiver.sqlite3")
    assert info.value.kind == "empty"
    open_database(data_dir / "caregiver.sqlite3", new=True).close()  # chosen: fresh


# ---- 16. What a killed import or restore left behind


def test_a_killed_import_and_restore_are_cleaned_up_at_the_next_start(app_names, data_dir,
                                                                      tmp_path, monkeypatch):
    data_dir.mkdir(parents=True)
    open_database(data_dir / "caregiver.sqlite3").close()
    partial = data_dir / "caregiver.sqlite3.restoring.partial"
    partial.write_bytes(b"half a copy")
    restoring = data_dir / "caregiver.sqlite3.restoring"
    restoring.write_bytes(b"a whole copy, not yet in place")
    work = data_dir / "importing" / "import-abc123"
    work.mkdir(parents=True)
    (work / "import.sqlite3").write_bytes(b"health data")
    # an older version's working copy in the computer's temporary folder
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    old = tmp_path / "tmp" / "caregiver-import-xyz"
    old.mkdir(parents=True)
    (old / "import.sqlite3").write_bytes(b"health data")
    an_hour_ago = time.time() - 7200
    os.utime(old, (an_hour_ago, an_hour_ago))
    recent = tmp_path / "tmp" / "caregiver-import-now"  # may be another copy's, at work
    recent.mkdir()
    removed = backup.clear_leftovers(data_dir)
    assert {p.name for p in removed} == {partial.name, restoring.name, work.name, old.name}
    assert not partial.exists() and not restoring.exists() and not work.exists()
    assert not old.exists() and recent.exists()
    assert (data_dir / "caregiver.sqlite3").exists()


def test_the_app_clears_them_when_it_starts(tmp_path):
    """The real program: left-overs are gone after a start."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    data = tmp_path / "data"
    data.mkdir()
    (data / "caregiver.sqlite3.restoring.partial").write_bytes(b"half")
    (data / "importing" / "import-1").mkdir(parents=True)
    (data / "importing" / "import-1" / "import.sqlite3").write_bytes(b"health data")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    result = subprocess.run([sys.executable, str(root / "main.py"), "--data-dir", str(data),
                             "--quit-when-idle"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert not (data / "caregiver.sqlite3.restoring.partial").exists()
    assert list((data / "importing").iterdir()) == []


def test_the_real_start_clears_an_older_versions_import_in_the_temp_folder(tmp_path):
    """A killed import of an older version left its working copy (health data) in the
    computer's temporary folder: the next start removes it, and leaves a recent one (it
    may be another copy's, still at work)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    temp = tmp_path / "tmp"
    old = temp / "caregiver-import-killed"
    old.mkdir(parents=True)
    (old / "import.sqlite3").write_bytes(b"health data")
    os.chmod(old, 0o700)
    an_hour_ago = time.time() - 7200
    os.utime(old, (an_hour_ago, an_hour_ago))
    recent = temp / "caregiver-import-now"
    recent.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(temp))
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    result = subprocess.run([sys.executable, str(root / "main.py"), "--data-dir",
                             str(tmp_path / "data"), "--quit-when-idle"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not old.exists() and recent.exists()


# ---- What the person sees


@pytest.fixture
def shown(monkeypatch):
    """The recovery message as shown: its text and buttons; answers Quit."""
    from PySide6.QtWidgets import QMessageBox

    seen: dict = {}

    def exec_(box):
        seen["text"] = box.text()
        seen["buttons"] = [b.text() for b in box.buttons()]
        box.escapeButton().click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return seen


def test_the_message_says_the_file_was_empty(app_names, data_dir, shown):
    data_dir.mkdir(parents=True)
    (data_dir / "caregiver.sqlite3").write_bytes(b"")
    assert app._open_or_recover(data_dir, False) is None  # quit
    assert "records file is empty (0 bytes): it holds no records" in shown["text"]
    assert "Start with &empty records" in shown["buttons"]
    assert (data_dir / "caregiver.sqlite3").read_bytes() == b""  # quitting changed nothing


def test_the_message_about_a_folder_offers_the_backup(app_names, data_dir, shown):
    data_dir.mkdir(parents=True)
    _with_backup(data_dir)
    (data_dir / "caregiver.sqlite3").mkdir()
    assert app._open_or_recover(data_dir, False) is None
    assert "is a folder, not a file" in shown["text"]
    assert "The newest good backup is from" in shown["text"]
    assert "&Restore that backup" in shown["buttons"]


def test_the_message_about_another_programs_file_names_it(app_names, data_dir, shown):
    data_dir.mkdir(parents=True)
    _foreign(data_dir / "caregiver.sqlite3")
    assert app._open_or_recover(data_dir, False) is None
    assert "another program's database (it holds tables named recipes)" in shown["text"]
    assert "Start &fresh in a new file" in shown["buttons"]


def test_records_still_in_the_write_ahead_log_are_not_taken_for_a_damaged_file(tmp_path):
    """Seen: `print visit` while the window was open on a new household, and a start
    after the app was killed, said the records file "holds none of the app's records"
    and offered a backup: everything, the tables too, was still in the -wal file,
    not yet copied into the main file, and the first look read the main file alone."""
    data_dir = tmp_path / "records"
    data_dir.mkdir()
    live = data_dir / "caregiver.sqlite3"
    running = open_database(live, new=True)  # the window, still open
    running.execute("PRAGMA wal_autocheckpoint = 0")
    running.table("caregivers").insert({"name": "Tom", "initials": "T", "active": 1})
    backup.ensure_rotating_backups(running.conn, data_dir / "backups", date(2026, 11, 24),
                                   NOW)
    running.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # (one copy made while new)
    fresh = data_dir.parent / "fresh.sqlite3"  # the records of a new household...
    new_db = open_database(fresh, new=True)
    new_db.execute("PRAGMA wal_autocheckpoint = 0")
    new_db.table("caregivers").insert({"name": "Ana", "initials": "AH", "active": 1})
    # ...as a killed process leaves them: the main file as created, the rest in the log
    crashed = data_dir.parent / "crashed"
    crashed.mkdir()
    (crashed / "backups").mkdir()
    for kind in (data_dir / "backups").iterdir():
        (crashed / "backups" / kind.name).mkdir()
        for copy in kind.glob("*"):
            (crashed / "backups" / kind.name / copy.name).write_bytes(copy.read_bytes())
    for suffix in ("", "-wal"):
        (crashed / f"caregiver.sqlite3{suffix}").write_bytes(
            fresh.with_name(fresh.name + suffix).read_bytes())
    new_db.close()
    running.close()
    records = crashed / "caregiver.sqlite3"
    assert sqlite3.connect(f"{records.as_uri()}?mode=ro&immutable=1", uri=True).execute(
        "SELECT count(*) FROM sqlite_master").fetchone() == (0,)  # (the main file alone)
    assert inspect_records_file(records)[0] != "no-tables"
    reopened = open_database(records)  # the next start, or a command: not "damaged"
    try:
        assert [r["name"] for r in reopened.table("caregivers").rows] == ["Ana"]
    finally:
        reopened.close()
