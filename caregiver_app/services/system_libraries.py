"""Before Qt starts on Linux: the X11 (xcb) libraries its window needs.

PySide6's wheels carry Qt, but its xcb platform plugin loads a few X11 libraries from
the system, and a fresh Ubuntu or Debian desktop lacks ``libxcb-cursor0`` (minimal
systems lack more). Qt then stops with "could not load the Qt platform plugin "xcb"",
which names no package. ``missing_packages`` finds them first (each library is opened
the way Qt would open it, ``dlopen``), and ``explain`` says which to install in one
plain sentence. Nothing is checked when Qt will not use xcb (Wayland, offscreen,
another system) or when there is no X display to connect to.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence

from caregiver_app import APP_NAME

#: What Qt's xcb plugin loads from the system (``ldd libqxcb.so libQt6XcbQpa.so``)
#: beyond libxcb and libX11 themselves, with the Debian/Ubuntu package of each.
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-util.so.1", "libxcb-util1"),
)


def uses_xcb(platform: str, environ: Mapping[str, str], qt_args: Sequence[str]) -> bool:
    """Qt will try its xcb plugin: Linux with an X display, and no other platform asked
    for (``-platform``, ``QT_QPA_PLATFORM``) nor a Wayland session, which Qt prefers."""
    if not platform.startswith("linux"):
        return False
    asked = ""
    if "-platform" in qt_args:
        index = list(qt_args).index("-platform")
        asked = qt_args[index + 1] if index + 1 < len(qt_args) else ""
    asked = asked or environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(";")[0].split(":")[0] == "xcb" and bool(environ.get("DISPLAY"))
    if environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland":
        return False
    return bool(environ.get("DISPLAY"))


def _loads(name: str) -> bool:
    import ctypes  # (only where Qt will use xcb: not loaded for nothing at every start)

    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_packages(loads: Callable[[str], bool] | None = None) -> list[str]:
    """The Debian/Ubuntu packages whose libraries cannot be loaded, in install order."""
    loads = loads or _loads
    return [package for library, package in XCB_LIBRARIES if not loads(library)]


def explain(packages: Sequence[str]) -> str:
    """One plain sentence naming what to install."""
    names = " ".join(packages)
    what = "the system package" if len(packages) == 1 else "the system packages"
    return (f"{APP_NAME} cannot open its window because this computer lacks {what} "
            f"{names}: install {'it' if len(packages) == 1 else 'them'} with "
            f"\"sudo apt install {names}\" (or ask whoever looks after this computer), "
            "then start it again.")


def check_before_qt(qt_args: Sequence[str], *, environ: Mapping[str, str] | None = None,
                    platform: str = sys.platform,
                    loads: Callable[[str], bool] | None = None) -> str:
    """The sentence to show instead of starting Qt ("" when nothing is missing)."""
    import os

    if not uses_xcb(platform, os.environ if environ is None else environ, qt_args):
        return ""
    packages = missing_packages(loads)
    return explain(packages) if packages else ""
