"""Where each system puts the app: the names and paths of the bundles and installers,
checked for all three systems on any machine."""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from caregiver_app import paths, platforms


@pytest.mark.parametrize(("platform", "window", "console"), [
    ("linux", "caregiver-app", "caregiver-app-cli"),
    ("darwin", "caregiver-app", "caregiver-app-cli"),
    ("win32", "caregiver-app.exe", "caregiver-app-cli.exe"),
])
def test_each_system_names_the_two_programs(platform, window, console):
    assert platforms.executable(platforms.PROGRAM, platform) == window
    assert platforms.executable(platforms.CONSOLE_PROGRAM, platform) == console


def test_make_dist_puts_the_programs_in_one_folder_or_in_the_mac_app(tmp_path):
    assert platforms.program_in_dist(tmp_path, "linux") == (
        tmp_path / "ALS Care Companion" / "caregiver-app")
    assert platforms.program_in_dist(tmp_path, "win32", console=True) == (
        tmp_path / "ALS Care Companion" / "caregiver-app-cli.exe")
    assert platforms.program_in_dist(tmp_path, "darwin") == (
        tmp_path / "ALS Care Companion.app" / "Contents" / "MacOS" / "caregiver-app")
    assert platforms.program_in_dist(tmp_path, "darwin", console=True).parent == (
        platforms.program_in_dist(tmp_path, "darwin").parent)  # the twin is in the .app


def test_installers_put_the_program_where_each_system_expects_it():
    assert platforms.installed_program("linux") == PurePosixPath(
        "/opt/als-care-companion/caregiver-app")
    assert platforms.installed_program("linux", console=True) == PurePosixPath(
        "/opt/als-care-companion/caregiver-app-cli")
    assert platforms.installed_program("win32") == PureWindowsPath(
        r"{autopf}\ALS Care Companion\caregiver-app.exe")
    assert platforms.installed_program("darwin") == PurePosixPath(
        "/Applications/ALS Care Companion.app/Contents/MacOS/caregiver-app")


def test_ids_are_what_each_system_accepts():
    import re

    # macOS: letters, digits, hyphens and dots; AppStream 1.0: no hyphen
    assert re.fullmatch(r"[A-Za-z0-9.-]+", platforms.BUNDLE_ID)
    assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+){2,}", platforms.APPSTREAM_ID)
    # the menu entry is the name Qt gives the desktop for the window (app.py)
    app_py = (Path(paths.__file__).parent / "app.py").read_text()
    assert f'setDesktopFileName("{platforms.DESKTOP_ENTRY}")' in app_py


def test_not_frozen_means_no_bundle_folder():
    assert not getattr(sys, "frozen", False)
    assert platforms.frozen_data_dir() is None


def test_a_frozen_bundle_reads_its_resources_from_its_data_folder(tmp_path, monkeypatch):
    """PyInstaller sets ``sys.frozen`` and ``sys._MEIPASS`` (``_internal`` beside the
    program, or the .app's Resources); the articles, icon and chime are there."""
    bundled = platforms.bundled_resources(tmp_path)
    (bundled / "articles").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert platforms.frozen_data_dir() == tmp_path
    assert paths.resources_dir() == bundled
    assert paths.resource("articles") == bundled / "articles"
