"""Every place on disk the app reads or writes, in one module.

The data directory is chosen, in order, from ``--data-dir DIR``, the
``CAREGIVER_APP_DATA_DIR`` environment variable, and Qt's per-user
application-data location. Tests point it at a temporary folder through the
same two overrides, so they never touch the real user folders.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "CAREGIVER_APP_DATA_DIR"
DATABASE_NAME = "caregiver.sqlite3"
EXAMPLE_SUFFIX = "-example"


def default_data_dir() -> Path:
    """The app's own folder in the system's per-user application data:
    ``~/.local/share/ALS Care Companion`` (Linux), ``~/Library/Application Support/ALS
    Care Companion`` (macOS), ``%APPDATA%\\ALS Care Companion`` (Windows).

    Qt's AppDataLocation names the organisation and then the application, which are the
    same words here; the folder is the organisation's level, once."""
    return two_level_data_dir().parent


def two_level_data_dir() -> Path:
    """Qt's writable AppDataLocation for this app, whoever started Qt (the window, or a
    command such as ``export --csv`` that starts Qt without a window): the folder of
    version 0.1.0 and before, ``…/ALS Care Companion/ALS Care Companion``
    (``services.data_folder`` moves it up one level once)."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    from caregiver_app import APP_NAME, ORG_NAME

    if QCoreApplication.applicationName() != APP_NAME:
        QCoreApplication.setApplicationName(APP_NAME)
    if QCoreApplication.organizationName() != ORG_NAME:
        QCoreApplication.setOrganizationName(ORG_NAME)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not location:
        raise RuntimeError("This computer reports no folder for application data.")
    return Path(location)


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data directory the user asked for, most specific choice first."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env_value = os.environ.get(ENV_DATA_DIR)
    if env_value:
        return Path(env_value).expanduser().resolve()
    return default_data_dir()


def example_data_dir(data_dir: Path) -> Path:
    """The example household lives beside the real data, never inside it."""
    return data_dir.with_name(data_dir.name + EXAMPLE_SUFFIX)


class DataDirError(OSError):
    """The data folder cannot be used; the message says why in plain words."""


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and any missing parents) readable by the owner only (0700).

    An existing folder is made owner-only too, unless it already holds other things and
    none of the app's (the caregiver named a folder such as Documents: the app's own
    files in it are still owner-only). Raises ``DataDirError`` when ``path`` is a file or
    cannot be created.
    """
    if path.exists() and not path.is_dir():
        raise DataDirError(f"{path} is a file, not a folder. Choose a folder for the records.")
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)
        if missing or _is_ours_or_empty(path):
            os.chmod(path, 0o700)
    except OSError as exc:
        raise DataDirError(f"The folder {path} cannot be used: {exc.strerror or exc}.") from exc
    return path


def _is_ours_or_empty(path: Path) -> bool:
    names = {entry.name for entry in path.iterdir()}
    return not names or DATABASE_NAME in names or "backups" in names or "logs" in names


#: The file of window and view state in the data folder.
UI_SETTINGS_NAME = "ui-settings.ini"
#: The folder, in the data folder, where an import builds its records before they are
#: put in place (private like the records; emptied at the next start if interrupted).
IMPORT_DIR_NAME = "importing"


@dataclass(frozen=True)
class DataPaths:
    """The files inside one data directory."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "caregiver-app.log"

    @property
    def backup_dir(self) -> Path:
        return self.root / "backups"

    @property
    def import_dir(self) -> Path:
        return self.root / IMPORT_DIR_NAME

    @property
    def settings_file(self) -> Path:
        """Window geometry and view preferences (never medical data, nor a household
        setting: those are in the records)."""
        return self.root / UI_SETTINGS_NAME


def resources_dir() -> Path:
    """The ``resources/`` folder, from an installed wheel or from a checkout.

    A wheel carries it as the data-only package ``caregiver_app._resources``;
    an editable install maps that name onto the checkout's ``resources/``.
    Running straight from a checkout with nothing installed falls back to the
    folder beside the package. A PyInstaller bundle keeps it in its data folder.
    """
    from caregiver_app import platforms

    frozen = platforms.frozen_data_dir()
    if frozen is not None and platforms.bundled_resources(frozen).is_dir():
        return platforms.bundled_resources(frozen)
    try:
        package = importlib.import_module("caregiver_app._resources")
    except ModuleNotFoundError:
        package = None
    # The package's own folder: what importlib.resources.files() gives for a package on
    # disk, the only kind used here (a zipped one would not be a folder), without
    # importing importlib.resources (with tempfile and random, ~3 ms at every start).
    if package is not None and package.__file__:
        path = Path(package.__file__).parent
        if path.is_dir():
            return path
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("The app's resources folder is missing; reinstall the app.")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
