from __future__ import annotations

from pathlib import Path

from caregiver_app import paths


def test_command_line_beats_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.resolve_data_dir(tmp_path / "from-cli") == tmp_path / "from-cli"


def test_environment_used_when_no_option(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.resolve_data_dir(None) == tmp_path / "from-env"


def test_default_is_qt_app_data_location(app_names, monkeypatch):
    from PySide6.QtCore import QStandardPaths

    monkeypatch.delenv(paths.ENV_DATA_DIR)
    expected = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert paths.resolve_data_dir(None) == Path(expected)
    # test mode is on, so this is Qt's test folder and not the user's own
    assert ".qttest" in expected


def test_example_household_lives_beside_real_data(tmp_path):
    real = tmp_path / "data"
    example = paths.example_data_dir(real)
    assert example.parent == real.parent and example != real
    assert not example.is_relative_to(real)


def test_private_dir_is_owner_only(tmp_path):
    created = paths.ensure_private_dir(tmp_path / "a" / "b")
    assert created.stat().st_mode & 0o777 == 0o700
    assert created.parent.stat().st_mode & 0o777 == 0o700  # parents it made too
