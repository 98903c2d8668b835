"""The log file's rotating handler, imported when the log starts to rotate (once the
window is up, see ``services.logs``): ``logging.handlers`` imports socket, pickle and
queue for its other handlers."""

from __future__ import annotations

import logging.handlers

from caregiver_app.services.logs import PrivateFileHandler


class PrivateRotatingFileHandler(PrivateFileHandler, logging.handlers.RotatingFileHandler):
    """Like RotatingFileHandler, but every log file it creates is owner-only (0600)."""
