"""The app's icon, for the window and the tray: ``resources/icons/app.svg`` drawn at the
usual sizes (``app-<size>.png``, by ``packaging/render_icons.py``).

The PNG files, not the SVG: a QIcon of an SVG file loads Qt's SVG icon engine (a plugin,
and the QtSvg library) and reads the drawing as soon as it is made: ~1.6 MiB of the
window's start (peak memory, the example household). A QIcon of PNG files given with
their sizes reads each file only when that size is first drawn.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from caregiver_app import paths

#: The sizes drawn. Qt on X11 hands every size an icon has to the window manager, so no
#: larger ones (the menu's and the packages' icons are the SVG's own, or drawn from it).
SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon_file(size: int) -> str:
    """The PNG file of the app's icon at ``size`` (one of ``SIZES``)."""
    return str(paths.resource("icons", f"app-{size}.png"))


def app_icon() -> QIcon:
    # (the resources folder looked for once, not once a size: a start makes the icon
    # three times, and each look costs ~18 µs and two AttributeErrors, ``sys.frozen``)
    folder = paths.resource("icons")
    icon = QIcon()
    for size in SIZES:
        icon.addFile(str(folder / f"app-{size}.png"), QSize(size, size))
    return icon
