"""The version, for a helper on the phone or a bug report: ``caregiver-app --version``
and Help ▸ About, which also shows the data folder and the records format."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from caregiver_app import __version__
from caregiver_app.app import main
from caregiver_app.storage import migrations
from caregiver_app.storage.db import open_database


def test_version_option_prints_the_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"caregiver-app {__version__}"


def test_version_option_needs_no_screen(tmp_path):
    """Asked in a terminal with no desktop at all (no DISPLAY, no Qt platform)."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "caregiver_app", "--version"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"caregiver-app {__version__}"


def test_schema_version_counts_the_changes_the_file_has(tmp_path, fake_clock):
    db = open_database(tmp_path / "records.sqlite3", now=fake_clock.now(), new=True)
    try:
        assert migrations.schema_version(db) == migrations.current_schema_version()
        assert migrations.current_schema_version() >= 10
    finally:
        db.close()


def test_about_shows_version_data_folder_and_records_format(ctx, main_window, monkeypatch,
                                                           data_dir):
    shown = {}
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.about",
                        lambda parent, title, text: shown.update(title=title, text=text))
    about = next(a for a in main_window.help_menu.actions()
                 if a.text().replace("&", "").startswith("About"))
    about.trigger()
    text = shown["text"]
    assert f"Version: {__version__}" in text
    assert f"Data folder: {data_dir}" in text
    assert f"Records format: {migrations.current_schema_version()}" in text
    assert "does not give medical advice" in text
