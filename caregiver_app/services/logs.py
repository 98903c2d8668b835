"""Logging to a private file in the data directory.

Log lines carry ids and events, never medical details (names of medicines,
doses, notes): the log may be sent to someone helping with a problem.

The log is kept under ``MAX_BYTES``, with ``BACKUP_COUNT`` older files beside it
(Python's ``RotatingFileHandler``). The window's start logs through a plain handler
on the same file and makes it rotate once the window is up (``start_file_logging``):
``logging.handlers``, where the rotating handler lives, imports socket, pickle and
queue for its network handlers (~9 ms CPU), which the start has no use for.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from caregiver_app.paths import ensure_private_dir

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3


class PrivateFileHandler(logging.FileHandler):
    """Like FileHandler (appending), but the log file is owner-only (0600), whoever
    created it (``rotating_log`` mixes it into the rotating handler)."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
        os.chmod(self.baseFilename, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def private_rotating_handler(log_file: Path) -> RotatingFileHandler:
    """A RotatingFileHandler (``MAX_BYTES``, ``BACKUP_COUNT``) whose every log file is
    owner-only (0600)."""
    from caregiver_app.services.rotating_log import PrivateRotatingFileHandler

    return PrivateRotatingFileHandler(log_file, maxBytes=MAX_BYTES,
                                      backupCount=BACKUP_COUNT, encoding="utf-8")


def setup_file_logging(log_file: Path, *, also_stderr: bool = False) -> logging.Handler:
    """Log INFO and above to ``log_file`` (rotated), and to stderr too if asked. Called
    again (the welcome screen's example starts a window of its own), it replaces the
    handlers it added before: a line goes to one log, once."""
    ensure_private_dir(log_file.parent)
    handler = private_rotating_handler(log_file)
    _add(handler, also_stderr=also_stderr)
    return handler


def start_file_logging(log_file: Path, *, also_stderr: bool = False) -> Callable[[], None]:
    """``setup_file_logging`` for the window's start: the lines go to ``log_file`` at
    once, and it rotates from the moment the returned function is called (once the
    window is up). The rotating handler takes the plain one's place in one step, under
    the logging module's lock: a line logged meanwhile from another thread is written
    once (one that already reached the plain handler is passed on to its successor).
    A log already over its size is rotated at the first line after that; this session's
    ``start version=`` line is then logged again, first in the fresh file."""
    ensure_private_dir(log_file.parent)
    started = time.time()
    plain = _PlainStartHandler(log_file, encoding="utf-8")
    _add(plain, also_stderr=also_stderr)

    def rotate() -> None:
        root = logging.getLogger()
        if plain not in root.handlers:
            return  # (called twice, or logging was set up again since)
        rotating = private_rotating_handler(log_file)  # (before the locks: it takes them)
        rotating.setFormatter(plain.formatter)
        with logging._lock:  # type: ignore[attr-defined]
            if plain not in root.handlers:
                rotating.close()
                return
            plain.acquire()  # (a line being written by it ends first)
            try:
                handlers = list(root.handlers)
                handlers[handlers.index(plain)] = rotating
                root.handlers = handlers  # (a thread logging now has the old list)
                if plain in _ours:
                    _ours[_ours.index(plain)] = rotating
                plain.successor = rotating
                plain.close()
            finally:
                plain.release()
        _log_start_again(rotating, started)

    return rotate


def _log_start_again(rotating: RotatingFileHandler, started: float) -> None:
    """If the next line moves the log aside, make it this session's start line, so the
    current log says which version wrote it and where its first lines went."""
    from caregiver_app import __version__

    log = logging.getLogger(__name__)
    record = log.makeRecord(
        log.name, logging.INFO, __file__, 0,
        "start version=%s (again: the log was rotated; this session's first lines, "
        "from %s, are in %s.1)",
        (__version__, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
         os.path.basename(rotating.baseFilename)), None)
    rotating.acquire()
    try:
        if not rotating.shouldRollover(record):
            return
    finally:
        rotating.release()
    log.handle(record)


class _PlainStartHandler(PrivateFileHandler):
    """The start's handler: once the rotating handler has taken its place, a line that
    had already reached it (from another thread) goes to that successor, not to a file
    opened again."""

    successor: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.successor is not None:
            self.successor.handle(record)
        else:
            super().emit(record)


# the handlers ``_add`` put on the root logger: a second start replaces them
_ours: list[logging.Handler] = []


def _add(handler: logging.Handler, *, also_stderr: bool) -> None:
    handler.setFormatter(logging.Formatter(FORMAT))
    added = [handler]
    if also_stderr:
        echo = logging.StreamHandler()
        echo.setFormatter(logging.Formatter(FORMAT))
        added.append(echo)
    root = logging.getLogger()
    with logging._lock:  # type: ignore[attr-defined]
        old = list(_ours)
        root.handlers = [h for h in root.handlers if h not in old] + added
        _ours[:] = added
        root.setLevel(logging.INFO)
    for handler in old:
        handler.close()
