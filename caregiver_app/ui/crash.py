"""The one error path for bugs: log the traceback to a file and say where it is.

Problems a caregiver can fix are shown next to the field instead; this hook
only sees what the program did not expect.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def install_excepthook(log_file: Path) -> None:
    showing = False

    def hook(exc_type, exc, tb) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("Unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if QApplication.instance() is None or showing:
            sys.__excepthook__(exc_type, exc, tb)
            return
        showing = True
        try:
            from PySide6.QtWidgets import QMessageBox  # (not at start: its class, its enums)

            QMessageBox.critical(
                QApplication.activeWindow(),
                "Something went wrong",
                "The app hit a problem it did not expect. What you had already saved is safe.\n\n"
                "The details were written to this file, which you can send to whoever helps "
                f"you with the app:\n{log_file}",
            )
        finally:
            showing = False

    sys.excepthook = hook
