"""Files the app writes for people to keep (PDFs, calendars, spreadsheets).

Each is written whole or not at all: the new content goes to a hidden file beside the
target, is flushed to the disk and checked, and only then takes the target's name, so a
full disk or a pulled drive leaves the file that was there as it was. Each is readable
by its owner only, whatever the umask: they hold health records.

A PDF is painted into memory first (``write_pdf_file``): Qt's PDF writer does not report
a file it could not finish (on a full disk it stops at the last block that fitted), so
the bytes are checked to be a whole PDF before anything is written.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QPdfWriter

T = TypeVar("T")

#: How far from its end a whole PDF has its end-of-file marker (a trailing newline or
#: two may follow it).
_EOF_WINDOW = 32


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, replacing what was there only once the new file is
    whole on the disk; owner-only (0600). Raises OSError (``errno.ENOSPC`` on a full
    disk) and then leaves no trace of the attempt."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.unlink(missing_ok=True)  # a left-over would keep its own permissions
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if tmp.stat().st_size != len(data):
            raise OSError(errno.EIO, "the file was cut short while being written", str(path))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_problem(path: Path, exc: OSError) -> str:
    """What to tell the caregiver when a file could not be saved, and what to do (the
    file that was there, if any, is unchanged: ``write_private`` replaces it only once
    the new one is whole)."""
    path = Path(path)
    folder = path.parent
    if isinstance(exc, FileNotFoundError) or not folder.is_dir():
        return (f"The folder \u201c{folder}\u201d does not exist (it may be on a drive that "
                "is not connected). Choose another folder and save again.")
    if isinstance(exc, PermissionError):
        return (f"This computer does not allow saving in \u201c{folder}\u201d. Choose "
                "another folder, such as Documents, and save again.")
    kept = (f" \u201c{path.name}\u201d is unchanged." if path.exists() else "")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return (f"Nothing was saved: the drive of \u201c{folder}\u201d is full.{kept} Free "
                "some space or choose another drive, and save again.")
    return (f"Nothing was saved: \u201c{path.name}\u201d could not be written "
            f"({exc.strerror or exc}).{kept}")


def is_whole_pdf(data: bytes) -> bool:
    """Whether ``data`` starts as a PDF does and ends with its end-of-file marker."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-_EOF_WINDOW:]


def write_pdf_file(path: Path, paint: Callable[[QPdfWriter], T]) -> T:
    """Let ``paint`` set up and paint a QPdfWriter, then write the finished PDF to
    ``path`` with ``write_private``; returns what ``paint`` returned. Raises OSError when
    the PDF was not finished or cannot be written (the old file is kept)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    result = paint(writer)
    del writer  # finishes the PDF
    data = bytes(buffer.data().data())
    buffer.close()
    if not is_whole_pdf(data):
        raise OSError(errno.EIO, "the PDF could not be finished", str(path))
    write_private(path, data)
    return result


def write_then_replace(path: Path, write: Callable[[Path], T], *,
                       before_replace: Callable[[], None] = lambda: None) -> T:
    """``write(part)`` writes the whole new file at a hidden name beside ``path``; then
    ``before_replace()`` (which may raise: the person cancelled) and the new file takes
    ``path``'s name. Returns what ``write`` returned. Whatever fails or is cancelled, the
    hidden file is removed and the file at ``path`` is as it was (for work that can be
    cancelled until its last step, such as a PDF laid out on a worker thread)."""
    path = Path(path)
    part = path.with_name(f".{path.name}.saving")
    try:
        result = write(part)
        before_replace()
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return result


__all__ = ["is_whole_pdf", "write_pdf_file", "write_private", "write_problem",
           "write_then_replace"]
