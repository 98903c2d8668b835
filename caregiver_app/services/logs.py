"""Logging to a private file in the data directory.

Log lines carry ids and events, never medical details (names of medicines,
doses, notes): the log may be sent to someone helping with a problem.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from caregiver_app.paths import ensure_private_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Like RotatingFileHandler, but every log file it creates is owner-only (0600)."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
        os.chmod(self.baseFilename, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_file_logging(log_file: Path, *, also_stderr: bool = False) -> logging.Handler:
    ensure_private_dir(log_file.parent)
    handler = PrivateRotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    if also_stderr:
        echo = logging.StreamHandler()
        echo.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(echo)
    root.setLevel(logging.INFO)
    return handler
