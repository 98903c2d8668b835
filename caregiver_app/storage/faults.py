"""The one place where a failure to write (or read) the records file becomes a plain
message: every connection the app opens is a ``GuardedConnection``, whose statements
turn SQLite's disk errors into ``RecordsNotSaved`` (a ``domain.errors.NotSaved``, so a
form shows it on its message line and keeps what was typed, and still a
``sqlite3.OperationalError`` for code that handles SQLite errors).

Only faults of the computer are translated (a full disk, an input/output error, a
read-only file or drive, the file held by another program, a damaged file); a refused
value (a CHECK or UNIQUE constraint) stays an ``sqlite3.IntegrityError``.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from caregiver_app.domain.errors import NotSaved

#: Less free space than this on the records' disk counts as a full disk: a dose record
#: needs a few pages of the write-ahead log, and SQLite needs room to check-point it.
FULL_BELOW_BYTES = 1024 * 1024

FREE_SPACE = ("Free some space on the disk (empty the wastebasket, or move large files "
              "such as videos elsewhere), then try again: what you entered is kept.")


class RecordsNotSaved(NotSaved, sqlite3.OperationalError):
    """A disk fault while writing the records; ``code`` is SQLite's result code."""

    def __init__(self, reason: str, advice: str, code: int | None = None, *,
                 writing: bool = True):
        self.code = code
        self.sqlite_errorcode = code  # type: ignore[assignment]  # (None: not SQLite's)
        self.writing = writing
        NotSaved.__init__(self, reason, advice, what="This was not saved" if writing
                          else "The records could not be read")


def disk_is_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
    except OSError:
        return False


def fault_of(exc: sqlite3.Error, folder: Path | None, *, read_only: str = "",
             writing: bool = True) -> RecordsNotSaved | None:
    """The plain fault behind ``exc``, or None when it is not a fault of the computer.

    ``read_only``: why the app opened the records read-only ("" if it did not).
    """
    if isinstance(exc, RecordsNotSaved):
        return exc
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None or isinstance(exc, sqlite3.IntegrityError):
        return None
    primary = code & 0xFF
    full = folder is not None and disk_is_full(folder)
    if primary == sqlite3.SQLITE_FULL or (primary == sqlite3.SQLITE_IOERR and full):
        return RecordsNotSaved("the disk is full", FREE_SPACE, code, writing=writing)
    if primary == sqlite3.SQLITE_READONLY:
        if read_only:
            return RecordsNotSaved(
                f"the records are open read-only ({read_only})",
                "Free some space on the disk, then press Try again at the top of the "
                "window: what you entered is kept.", code, writing=writing)
        return RecordsNotSaved("the disk or the records file is read-only",
                               "Check the drive (a locked SD card or USB stick, or a file "
                               "made read-only), then try again: what you entered is kept.",
                               code, writing=writing)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return RecordsNotSaved("another program is using the records file",
                               "Close it (a backup or sync program, or a database viewer), "
                               "then try again: what you entered is kept.", code,
                               writing=writing)
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return RecordsNotSaved("the disk could not be written to (an input/output error)",
                               "Check that the drive is still connected and working, then "
                               "try again: what you entered is kept.", code, writing=writing)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return RecordsNotSaved("the records file is damaged",
                               "Close the app and start it again: it offers the newest "
                               "good backup.", code, writing=writing)
    return None


def _is_read(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in ("SELECT", "WITH", "EXPLAIN", "VALUES")


class GuardedConnection(sqlite3.Connection):
    """A connection whose statements raise ``RecordsNotSaved`` for disk faults.

    ``folder`` (the records' folder, to tell a full disk) and ``read_only`` (why the
    connection was opened read-only) are set by whoever opens it.
    """

    folder: Path | None = None
    read_only: str = ""
    uri: str = ""  # the URI it was opened with, when it was opened by one (read-only)

    def _fault(self, exc: sqlite3.Error, sql: str) -> BaseException:
        fault = fault_of(exc, self.folder, read_only=self.read_only,
                         writing=not _is_read(sql))
        return fault if fault is not None else exc

    def execute(self, sql, parameters=(), /):
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            fault = self._fault(exc, sql)
            if fault is exc:
                raise
            raise fault from exc

    def executemany(self, sql, parameters, /):
        try:
            return super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            fault = self._fault(exc, sql)
            if fault is exc:
                raise
            raise fault from exc

    def executescript(self, script, /):
        try:
            return super().executescript(script)
        except sqlite3.Error as exc:
            fault = self._fault(exc, "script")
            if fault is exc:
                raise
            raise fault from exc
