"""One sync at a time per folder of records: the window and ``caregiver-app sync``.

The window syncs on a timer; a scheduled job may run ``caregiver-app sync`` on the same
records at the same moment. Both would read the server, record the same phone tick and
write the same tasks: SQLite keeps the records whole, and the dose record's one entry
per dose refuses a second record, but the two would still fight over the tasks' ETags
and say confusing things. So each sync first takes ``sharing.lock`` in the records'
folder (a ``QLockFile``: it holds the process id, and a lock left by a process that is
gone is taken over). The one that finds it held says so plainly and does nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_NAME = "sharing.lock"


class SyncLock:
    """The lock of the records in ``folder`` (not taken until ``acquire``)."""

    def __init__(self, folder: Path):
        self._lock = QLockFile(str(Path(folder) / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone

    def acquire(self) -> bool:
        """Take the lock; False when another sync holds it (or it cannot be made)."""
        return self._lock.tryLock(0)

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()

    @property
    def held(self) -> bool:
        """This object holds the lock now."""
        return self._lock.isLocked()

    def holder(self) -> str:
        """Who holds the lock, in words ("process 4242"), or ""."""
        info = self._lock.getLockInfo()  # (pid, host, app), or False when none
        pid = info[0] if isinstance(info, tuple) and info else 0
        return f"process {pid}" if pid else ""

    def busy_message(self) -> str:
        """What to say when ``acquire`` failed."""
        who = self.holder()
        return ("Another sync with the family is running on these records"
                + (f" ({who}: the app's window or caregiver-app sync)" if who else "")
                + ", so this one did nothing; the next one picks up everything.")


__all__ = ["LOCK_NAME", "SyncLock"]
