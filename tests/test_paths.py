from __future__ import annotations

from pathlib import Path

import pytest

from caregiver_app import paths


def test_command_line_beats_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.resolve_data_dir(tmp_path / "from-cli") == tmp_path / "from-cli"


def test_environment_used_when_no_option(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.resolve_data_dir(None) == tmp_path / "from-env"


def test_default_is_the_app_folder_in_qt_app_data(app_names, monkeypatch):
    """One level: Qt's AppDataLocation names the organisation and the app, the same
    words here (tests/services/test_data_folder.py moves the old folder up)."""
    from PySide6.QtCore import QStandardPaths

    monkeypatch.delenv(paths.ENV_DATA_DIR)
    expected = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert paths.resolve_data_dir(None) == Path(expected).parent
    # test mode is on, so this is Qt's test folder and not the user's own
    assert ".qttest" in expected


def test_example_household_lives_beside_real_data(tmp_path):
    real = tmp_path / "data"
    example = paths.example_data_dir(real)
    assert example.parent == real.parent and example != real
    assert not example.is_relative_to(real)


@pytest.mark.posix_only("exact st_mode bits: Windows has only a read-only flag")
def test_private_dir_is_owner_only(tmp_path):
    created = paths.ensure_private_dir(tmp_path / "a" / "b")
    assert created.stat().st_mode & 0o777 == 0o700
    assert created.parent.stat().st_mode & 0o777 == 0o700  # parents it made too


def test_default_folder_is_the_apps_whoever_started_qt(qapp, monkeypatch):
    """``export --csv`` starts Qt without naming the app; the default folder must still
    be the app's own, not one named after the script."""
    from PySide6.QtCore import QCoreApplication

    from caregiver_app import APP_NAME

    monkeypatch.delenv(paths.ENV_DATA_DIR)
    before = (QCoreApplication.applicationName(), QCoreApplication.organizationName())
    try:
        QCoreApplication.setApplicationName("main.py")
        QCoreApplication.setOrganizationName("")
        folder = paths.resolve_data_dir(None)
    finally:
        QCoreApplication.setApplicationName(before[0])
        QCoreApplication.setOrganizationName(before[1])
    assert folder.name == APP_NAME


@pytest.mark.posix_only("chmod and exact st_mode bits")
def test_a_file_is_refused_as_data_folder_and_left_alone(tmp_path):
    import pytest

    target = tmp_path / "notes.txt"
    target.write_text("mine")
    target.chmod(0o644)
    with pytest.raises(paths.DataDirError, match="is a file, not a folder"):
        paths.ensure_private_dir(target)
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.posix_only("chmod and exact st_mode bits")
def test_a_folder_of_other_things_keeps_its_permissions(tmp_path):
    """--data-dir ~/Documents: the app's own files in it are private, the folder's
    permissions are the caregiver's business."""
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    documents.chmod(0o755)
    (documents / "letter.odt").write_text("x")
    paths.ensure_private_dir(documents)
    assert documents.stat().st_mode & 0o777 == 0o755
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    paths.ensure_private_dir(empty)
    assert empty.stat().st_mode & 0o777 == 0o700
