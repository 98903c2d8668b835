"""Where each system puts the app and its parts: the one module with the names and paths
that differ between Linux, macOS and Windows for the bundles and installers.

Nothing here imports Qt or anything of the project, and every function takes the
system as an argument (a ``sys.platform`` value: ``"linux"``, ``"darwin"``,
``"win32"``), so the tests check all three on any machine. The PyInstaller spec, the
Debian package builder, the Inno Setup script's test and the running app read these
names from here. (Start at login keeps its own three places in
``services/autostart.py``; the data folder is Qt's, in ``paths``.)
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

#: The name of the program, and of its console twin (the same program with a console
#: on Windows, so ``print``, ``export`` and ``import`` messages are seen).
PROGRAM = "caregiver-app"
CONSOLE_PROGRAM = "caregiver-app-cli"
#: The reverse-DNS id of the macOS app (letters, digits, dots and hyphens only).
BUNDLE_ID = "org.alscarecompanion.caregiver-app"
#: The AppStream id (no hyphen: AppStream 1.0 warns of one), and the menu entry's name,
#: which is also the name Qt gives the desktop (``setDesktopFileName``) and the icon's.
APPSTREAM_ID = "org.alscarecompanion.caregiver_app"
DESKTOP_ENTRY = "caregiver-app"
#: The Debian package.
DEB_PACKAGE = "als-care-companion"
#: The folder ``make dist`` builds in ``dist/`` (Linux and Windows), and the macOS app.
BUNDLE_DIR = "ALS Care Companion"
MAC_APP = "ALS Care Companion.app"
#: Where the Debian package puts the bundle, and the program it links into the PATH.
LINUX_INSTALL_DIR = PurePosixPath("/opt/als-care-companion")
LINUX_BIN_DIR = PurePosixPath("/usr/bin")
#: The bundle's folder, inside the folder the bundle is started from, holding the
#: resources (PyInstaller's ``_internal``; the macOS app keeps them in Resources).
RESOURCES = "resources"


def executable(name: str, platform: str = sys.platform) -> str:
    """The file name of one of the bundle's programs on ``platform``."""
    return f"{name}.exe" if platform == "win32" else name


def program_in_dist(dist: Path, platform: str = sys.platform, *,
                    console: bool = False) -> Path:
    """The program ``make dist`` built in ``dist``: the window's, or its console twin."""
    name = executable(CONSOLE_PROGRAM if console else PROGRAM, platform)
    if platform == "darwin":
        return dist / MAC_APP / "Contents" / "MacOS" / name
    return dist / BUNDLE_DIR / name


def installed_program(platform: str = sys.platform, *, console: bool = False) -> PurePath:
    """Where the installer of ``platform`` puts the program (``{autopf}`` is Inno Setup's
    Program Files folder of the installing user's choice)."""
    name = executable(CONSOLE_PROGRAM if console else PROGRAM, platform)
    if platform == "win32":
        return PureWindowsPath("{autopf}", BUNDLE_DIR, name)
    if platform == "darwin":
        return PurePosixPath("/Applications", MAC_APP, "Contents", "MacOS", name)
    return LINUX_INSTALL_DIR / name


def bundled_resources(bundle_data: Path) -> Path:
    """The app's resources inside a frozen bundle, from PyInstaller's data folder
    (``sys._MEIPASS``: ``_internal`` beside the program, or the .app's Resources)."""
    return bundle_data / RESOURCES


def frozen_data_dir() -> Path | None:
    """PyInstaller's data folder when this is a frozen bundle, else None."""
    if not getattr(sys, "frozen", False):
        return None
    location = getattr(sys, "_MEIPASS", None)
    return Path(location) if location else None
