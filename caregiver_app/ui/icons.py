"""The app's icon (``resources/icons/app.svg``), for the window and the tray."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from caregiver_app import paths


def app_icon() -> QIcon:
    return QIcon(str(paths.resource("icons", "app.svg")))
