"""One running copy per data directory.

The first copy holds a ``QLockFile`` in the data directory and listens on a
``QLocalServer``. A second copy started on the same directory fails to take
the lock, asks the first one to come to the front, and exits, so there is
never a second reminder engine writing to the same records.

The window takes the lock at once and listens once it is up (``acquire(listen=False)``
then ``listen()``): Qt's network module costs ~10 ms CPU to load, and a second copy
takes longer than that to start.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

_ACTIVATE = b"activate\n"
_TIMEOUT_MS = 1500


def server_name(data_dir: Path) -> str:
    import hashlib  # (when listening or asking: not before the window shows)

    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    return f"caregiver-app-{user}-{digest}"


class SingleInstance(QObject):
    activation_requested = Signal()
    """Another copy was started on this data directory and asked us to come to the front."""

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._data_dir = data_dir
        self._lock = QLockFile(str(data_dir / "app.lock"))
        self._lock.setStaleLockTime(0)  # a lock is stale only when its process is gone
        self._server: QLocalServer | None = None

    # ---- Public API

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the lock and (``listen``) start listening. False if another copy holds
        it; OSError (with a plain message) if the lock cannot be made at all (a read-only
        folder)."""
        if not self._lock.tryLock(100):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                return False
            raise OSError(f"The folder {self._data_dir} cannot be written to, so the app "
                          "cannot keep its records there.")
        if listen:
            self.listen()
        return True

    def listen(self) -> None:
        """Listen for a second copy asking this one to come to the front (once, while
        the lock is held)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None or not self._lock.isLocked():
            return
        name = server_name(self._data_dir)
        QLocalServer.removeServer(name)  # clears a socket left by a crashed copy
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(name):
            server.newConnection.connect(self._on_new_connection)
            self._server = server

    def notify_running(self) -> bool:
        """Ask the running copy to come to the front. True if it answered."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(server_name(self._data_dir))
        if not socket.waitForConnected(_TIMEOUT_MS):
            return False
        socket.write(_ACTIVATE)
        ok = socket.waitForBytesWritten(_TIMEOUT_MS)
        socket.disconnectFromServer()
        return ok

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    # ---- Private

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(_ACTIVATE.strip()):
            self.activation_requested.emit()
