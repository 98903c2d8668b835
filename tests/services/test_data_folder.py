"""The data folder at one level, and the one-time move of the old two-level folder:
under the single-instance lock, only into an empty place, nothing left behind on a
failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from caregiver_app import APP_NAME, paths
from caregiver_app.services import data_folder
from caregiver_app.services.data_folder import LOCK_FILE_NAME, settle

ROOT = Path(__file__).resolve().parents[2]


def _old_layout(base: Path, *, example: bool = True) -> tuple[Path, Path]:
    """``base/ALS Care Companion/ALS Care Companion`` with records, as 0.1.0 left it."""
    new = base / APP_NAME
    old = new / APP_NAME
    paths.ensure_private_dir(old / "backups")
    (old / paths.DATABASE_NAME).write_bytes(b"records")
    (old / "backups" / "copy.sqlite3").write_bytes(b"backup")
    (old / paths.UI_SETTINGS_NAME).write_text("[window]\n")
    if example:
        paths.ensure_private_dir(paths.example_data_dir(old))
        (paths.example_data_dir(old) / paths.DATABASE_NAME).write_bytes(b"example")
    return old, new


def _tree(base: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``base`` with its content (None for a folder)."""
    return {str(p.relative_to(base)): (None if p.is_dir() else p.read_bytes())
            for p in sorted(base.rglob("*"))}


def test_the_old_folder_moves_up_one_level_with_everything_in_it(tmp_path):
    old, new = _old_layout(tmp_path)
    before = _tree(old)
    result = settle(old, new)
    assert result.folder == new and result.moved
    assert _tree(new) == before  # every file, nothing else (no lock file, no old name)
    example = tmp_path / f"{APP_NAME}-example"
    assert paths.example_data_dir(new) == example
    assert (example / paths.DATABASE_NAME).read_bytes() == b"example"
    assert sorted(p.name for p in tmp_path.iterdir()) == [APP_NAME, f"{APP_NAME}-example"]
    if os.name == "posix":
        assert new.stat().st_mode & 0o777 == 0o700
    # once: the next start finds nothing to move
    again = settle(old, new)
    assert again.folder == new and not again.moved


def test_a_new_household_gets_the_one_level_folder(tmp_path):
    new = tmp_path / APP_NAME
    result = settle(new / APP_NAME, new)
    assert result == data_folder.Settled(new)
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_without_an_example_household_the_records_still_move(tmp_path):
    old, new = _old_layout(tmp_path, example=False)
    assert settle(old, new).folder == new
    assert (new / paths.DATABASE_NAME).read_bytes() == b"records"
    assert not (tmp_path / f"{APP_NAME}-example").exists()


@pytest.mark.parametrize("held", ["records", "example"])
def test_a_running_copy_keeps_its_folder(tmp_path, held):
    """An older copy still open on the records (or on the example household) holds the
    single-instance lock: nothing moves, and this start uses the old folder (where the
    running copy is brought to the front)."""
    from PySide6.QtCore import QLockFile

    old, new = _old_layout(tmp_path)
    folder = old if held == "records" else paths.example_data_dir(old)
    running = QLockFile(str(folder / LOCK_FILE_NAME))
    assert running.tryLock(0)
    try:
        before = _tree(tmp_path)
        result = settle(old, new)
        assert result.folder == old and not result.moved
        assert "in use by a running copy" in result.note
        assert _tree(tmp_path) == before
    finally:
        running.unlock()
    assert settle(old, new).folder == new  # moved at the next start, once it has quit


def test_a_lock_left_by_a_crashed_copy_does_not_stop_the_move(tmp_path):
    old, new = _old_layout(tmp_path)
    crashed = subprocess.run(  # takes the lock and ends without letting it go
        [sys.executable, "-c", "import os, sys; from PySide6.QtCore import QLockFile; "
         "lock = QLockFile(sys.argv[1]); assert lock.tryLock(0); os._exit(0)",
         str(old / LOCK_FILE_NAME)], timeout=60)
    assert crashed.returncode == 0 and (old / LOCK_FILE_NAME).is_file()
    assert settle(old, new).folder == new
    assert not (new / LOCK_FILE_NAME).exists()


def test_records_already_at_the_new_level_are_never_merged_into(tmp_path):
    old, new = _old_layout(tmp_path)
    (new / paths.DATABASE_NAME).write_bytes(b"newer records")
    before = _tree(tmp_path)
    result = settle(old, new)
    assert result.folder == old and "already holds 1 other entries" in result.note
    assert _tree(tmp_path) == before


def test_an_example_folder_already_at_the_new_place_stops_the_move(tmp_path):
    old, new = _old_layout(tmp_path)
    paths.ensure_private_dir(paths.example_data_dir(new))
    before = _tree(tmp_path)
    result = settle(old, new)
    assert result.folder == old and "already exists" in result.note
    assert _tree(tmp_path) == before


def _failing(real, fail_on: int):
    """``real`` (os.rename or os.rmdir), raising on its ``fail_on``-th call (1-based)."""
    calls = {"n": 0}

    def call(*args):
        calls["n"] += 1
        if calls["n"] == fail_on:
            raise PermissionError(13, "Permission denied")
        return real(*args)

    return call


# The steps in order: rename example, rename records to .moving, rmdir, rename to new.
@pytest.mark.parametrize(("which", "fail_on", "step"), [
    ("rename", 1, "moving the example household"),
    ("rename", 2, "moving the records"),
    ("rmdir", 1, "removing the empty folder"),
    ("rename", 3, "renaming the folder"),
])
def test_a_failing_step_leaves_everything_as_it_was(tmp_path, which, fail_on, step):
    old, new = _old_layout(tmp_path)
    before = _tree(tmp_path)
    kwargs = ({"rename": _failing(os.rename, fail_on)} if which == "rename"
              else {"rmdir": _failing(os.rmdir, fail_on)})
    result = settle(old, new, **kwargs)
    assert result.folder == old and not result.moved
    assert result.note == f"not moved up: {step} failed (Permission denied); nothing was changed"
    assert _tree(tmp_path) == before  # not a file more or less, no lock, no .moving
    assert settle(old, new).folder == new  # and the next start moves it


def test_when_undoing_fails_too_the_records_are_found_and_the_move_finished_later(tmp_path):
    old, new = _old_layout(tmp_path)
    records = _tree(old)

    def rename(src, dst):  # the records go to .moving, then nothing renames any more
        if str(src) == str(old):
            return os.rename(src, dst)
        if str(src) == str(paths.example_data_dir(old)):
            return os.rename(src, dst)
        raise PermissionError(13, "Permission denied")

    result = settle(old, new, rename=rename)
    moving = tmp_path / f"{APP_NAME}.moving"
    assert result.folder == moving and "undoing it failed too" in result.note
    assert _tree(moving) == records
    finished = settle(old, new)  # the next start
    assert finished.folder == new and finished.moved
    assert _tree(new) == records and not moving.exists()


@pytest.mark.parametrize("new_left", [True, False])
def test_a_move_the_computer_stopped_is_finished(tmp_path, new_left):
    old, new = _old_layout(tmp_path, example=False)
    records = _tree(old)
    moving = tmp_path / f"{APP_NAME}.moving"
    os.rename(old, moving)
    if not new_left:
        os.rmdir(new)
    result = settle(old, new)
    assert result.folder == new and result.moved and "interrupted" in result.note
    assert _tree(new) == records and not moving.exists()


def test_an_unfinished_move_whose_folder_is_in_use_is_used_as_it_is(tmp_path):
    from PySide6.QtCore import QLockFile

    old, new = _old_layout(tmp_path, example=False)
    moving = tmp_path / f"{APP_NAME}.moving"
    os.rename(old, moving)
    running = QLockFile(str(moving / LOCK_FILE_NAME))
    assert running.tryLock(0)
    try:
        result = settle(old, new)
    finally:
        running.unlock()
    assert result.folder == moving and not result.moved
    assert new.is_dir() and moving.is_dir()


@pytest.mark.posix_only("renames a folder while a file in it is open, as Linux and macOS "
                        "allow; Windows refuses (which is why it lets the lock go first)")
def test_windows_lets_the_lock_go_before_renaming_elsewhere_it_is_held(tmp_path):
    """On Windows a folder with an open file cannot be renamed (QLockFile keeps its file
    open there); the lock is let go just before the renames. Elsewhere it is held while
    the folder moves, so an older copy starting then cannot take it."""
    from PySide6.QtCore import QLockFile

    assert data_folder.lock_blocks_folder_rename("win32")
    assert not data_folder.lock_blocks_folder_rename("linux")
    assert not data_folder.lock_blocks_folder_rename("darwin")
    for platform, held in (("linux", True), ("win32", False)):
        base = tmp_path / platform
        old, new = _old_layout(base, example=False)
        seen: list[bool] = []

        def rename(src, dst, *, _old=old, _seen=seen):
            if str(src) == str(_old):
                probe = QLockFile(str(Path(src) / LOCK_FILE_NAME))
                got = probe.tryLock(0)
                _seen.append(not got)
                if got:
                    probe.unlock()
            os.rename(src, dst)

        assert settle(old, new, rename=rename, platform=platform).folder == new
        assert seen == [held]


def test_the_default_folder_is_one_level(app_names, monkeypatch):
    from PySide6.QtCore import QStandardPaths

    monkeypatch.delenv(paths.ENV_DATA_DIR)
    qt = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    assert qt.name == APP_NAME and qt.parent.name == APP_NAME  # Qt's: the name twice
    assert paths.default_data_dir() == qt.parent
    assert paths.two_level_data_dir() == qt
    assert ".qttest" in str(qt)  # test mode: never the user's own folder


def test_a_chosen_folder_is_used_as_it_is_and_nothing_moves(tmp_path, monkeypatch):
    chosen = tmp_path / "chosen" / APP_NAME / APP_NAME
    assert data_folder.resolve(chosen) == data_folder.Settled(chosen)
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(chosen))
    assert data_folder.resolve(None) == data_folder.Settled(chosen)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "share"),
               HOME=str(tmp_path / "home"))
    env.pop(paths.ENV_DATA_DIR, None)
    return env


@pytest.mark.slow
@pytest.mark.linux_only("XDG_DATA_HOME chooses Qt's data folder on Linux only")
def test_the_app_and_its_commands_find_the_records_after_the_move(tmp_path):
    """The real program on a computer where 0.1.0 kept the records: the first start moves
    them up, and a command finds them there."""
    from caregiver_app.storage.db import open_database

    share = tmp_path / "share"
    old = share / APP_NAME / APP_NAME
    paths.ensure_private_dir(old)
    open_database(old / paths.DATABASE_NAME, new=True).close()
    env = _env(tmp_path)
    started = subprocess.run([sys.executable, str(ROOT / "main.py"), "--quit-when-idle",
                              "--verbose"], env=env, capture_output=True, text=True,
                             timeout=120)
    assert started.returncode == 0, started.stderr
    new = share / APP_NAME
    assert f"data folder moved up one level to {new}" in started.stderr
    assert (new / paths.DATABASE_NAME).is_file() and not (new / APP_NAME).exists()
    out = tmp_path / "out.json"
    exported = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", "--json",
                               str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert exported.returncode == 0, exported.stderr
    assert out.is_file()
