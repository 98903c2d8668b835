"""Sharing in the running app: when to sync, off the GUI thread, and what to say.

``SharingService`` runs a sync (``engine.ShareSync``) shortly after start, on a timer
(every 5 minutes), shortly after every change in the app (``records_changed``, the one
hook the builder connects to the services' change signals) and from "Sync now". The
engine is built when first needed (the first sync, or the sharing dialog), not at start.
The steps that talk to the server run off the GUI thread through the app's one way of
doing so (``services.background.Operation``, on a pool of their own, so a slow server
never holds up a PDF or an import); those that touch the records run on the GUI thread,
which owns the records' connection. Nothing runs, and nothing is imported that could
open a connection, while sharing is off.

A failure never loses a local record (the records are only ever added to by a sync),
is said in plain words (``status_changed``), and, when trying again may help (no
network, a timeout, a server error), is retried with a growing wait: 1, 2, 5, 10 and
then every 30 minutes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.sharing import ShareConfig

log = logging.getLogger(__name__)

PERIOD_MINUTES = 5
SOON_SECONDS = 10
BACKOFF_MINUTES = (1, 2, 5, 10, 30)
#: Another sync (``caregiver-app sync``) holds the records' sync lock: look again after.
BUSY_RETRY_SECONDS = 60
#: The fields of a ``services.changes.Changes`` that touch what goes to the phones.
_SHARED = ("medicines", "doses", "appointments", "patient", "caregivers", "contacts")
#: Sharing's network steps at once: a sync, and the sharing dialog's server check.
NETWORK_THREADS = 2
_pool: QThreadPool | None = None
_running: set[Any] = set()  # kept until they end, whatever their callers keep


def network_pool() -> QThreadPool:
    """The worker threads of sharing's network steps (``services.background``'s
    operations, on threads of their own: a request may wait for a slow server up to
    its time-out, and must not hold up the work on the app's shared pool)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(NETWORK_THREADS)
    return _pool


def in_background(work: Callable[[Any], Any], then: Callable[[Any], None],
                  failed: Callable[[BaseException], None], *, name: str,
                  cancelled: Callable[[], None] | None = None) -> Any:
    """Run ``work(progress)`` off the GUI thread: an ``Operation`` of
    ``services.background`` (the app's one way) on ``network_pool``. Then, on the GUI
    thread: ``then(value)``, ``failed(error)``, or ``cancelled()`` when the work stopped
    at ``progress.check()`` after ``Operation.cancel``. Returns the started operation,
    kept here until it ends."""
    from caregiver_app.services.background import Operation

    operation = Operation(work, name=name, pool=network_pool())
    _running.add(operation)

    def finished(outcome: Any) -> None:
        _running.discard(operation)
        if outcome.error is not None:
            failed(outcome.error)
        elif outcome.cancelled:
            if cancelled is not None:
                cancelled()
        else:
            then(outcome.value)

    operation.finished.connect(finished)
    operation.start()
    return operation


def running() -> list[Any]:
    """Sharing's network steps under way."""
    return list(_running)


def default_connect(config: ShareConfig) -> Any:
    """A ``Transport`` to the household's server with the password from the keyring."""
    from caregiver_app.services.sharing.secrets import needed_password
    from caregiver_app.services.sharing.transport import Transport

    return Transport(config.server, config.username,
                     needed_password(config.server, config.username), pin=config.pin,
                     login=config.login)


def keep_login(repo: Any, config: ShareConfig, transport: Any) -> None:
    """Keep in the records how the server accepted the password on ``transport`` (a
    closed connection), when that changed: the next process's first request carries it
    (``ShareConfig.login``). Not the password: that stays in the keyring only."""
    login = getattr(transport, "login", None)
    if login and login != config.login:
        repo.keep_login(config.server, config.username, login)
    elif login == "" and config.login and getattr(transport, "refused", False):
        forget_login(repo, config)  # refused: the next sync waits to be asked again


def forget_login(repo: Any, config: ShareConfig) -> None:
    """The server refused the password (a 401): forget how it took it, so the next sync
    does not send it unasked (a failed log-in each time). Not on a timeout or a server
    that is down: the password was not refused then."""
    if config.login:
        repo.keep_login(config.server, config.username, "")


class SharingService(QObject):
    status_changed = Signal(str)
    """What the status bar says about sharing ("" while it is off)."""

    synced = Signal(object)
    """A sync finished; carries its ``engine.SyncReport``."""

    failed = Signal(object)
    """A sync failed; carries the ``transport.ShareError`` (its ``message`` in words)."""

    def __init__(self, engine: Callable[[], Any], repo: Any, *, now: Callable[[], datetime],
                 zone: Callable[[], Any],
                 connect: Callable[[ShareConfig], Any] = default_connect,
                 lock: Any = None, parent: QObject | None = None):
        """``engine``: builds the ``engine.ShareSync`` (called once, when first
        needed)."""
        super().__init__(parent)
        self._build_engine = engine
        self._engine: Any = None
        self._operations: set[Any] = set()  # this service's network steps under way
        self._repo = repo
        self._now = now
        self._zone = zone
        self._connect = connect
        #: ``lock.SyncLock`` of the records' folder: one sync at a time with
        #: ``caregiver-app sync`` (None: no other program shares these records)
        self._lock = lock
        self._busy = False
        self._again = False
        self._failures = 0
        self._stopped = False
        self.status = ""
        self._period = QTimer(self)
        self._period.setInterval(PERIOD_MINUTES * 60_000)
        self._period.timeout.connect(self.sync_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_SECONDS * 1000)
        self._soon.timeout.connect(self.sync_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.sync_now)

    # ---- Public API

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def engine(self) -> Any:
        """The sync engine, built the first time it is needed."""
        if self._engine is None:
            self._engine = self._build_engine()
        return self._engine

    def enabled(self) -> bool:
        return self._repo.config().enabled and not self._stopped

    def start(self) -> None:
        """At start-up: when sharing is on, sync soon and then every few minutes."""
        if self.enabled():
            self._period.start()
            self._soon.start()

    def stop(self) -> None:
        """Stop syncing (the records are closing); a sync under way finishes its
        network step and then leaves the records alone."""
        self._stopped = True
        for timer in (self._period, self._soon, self._retry):
            timer.stop()
        for operation in list(self._operations):
            operation.cancel()  # a push stops before its next write

    def config(self) -> ShareConfig:
        """The sharing settings as kept (the dialog's fields; the password is not here)."""
        return self._repo.config()

    def save_settings(self, config: ShareConfig) -> None:
        """Keep ``config`` (the sharing dialog's On, Off and fields), then act on it."""
        self._repo.save_config(config)
        self.settings_changed()

    def settings_changed(self) -> None:
        """Sharing was turned on or off, or its settings changed."""
        self._stopped = False
        self._failures = 0
        self._retry.stop()
        if self.enabled():
            self._period.start()
            self.sync_now()
        else:
            self._period.stop()
            self._soon.stop()
            self._say("")

    def records_changed(self, changes: object = None) -> None:
        """Connected to the services' one ``changed(Changes)``: when a write touched what
        is shared (doses, medicines, appointments, the patient, the caregivers), sync
        shortly after, so a burst of changes makes one sync."""
        if changes is not None and not any(getattr(changes, name, None) for name in _SHARED):
            return
        if self.enabled():
            self._soon.start()

    def sync_now(self) -> None:
        """Sync now (the Sync now button, the timers); a sync under way is followed by
        another one."""
        if not self.enabled():
            return
        if self._busy:
            self._again = True
            return
        if self._lock is not None and not self._lock.acquire():
            # caregiver-app sync is at it: say so, and look again in a minute
            self._say(f"Not shared now: {self._lock.busy_message()}")
            self._retry.start(BUSY_RETRY_SECONDS * 1000)
            return
        self._busy = True
        self._soon.stop()
        self._say("Sharing with the family…")
        try:
            snapshot = self.engine.snapshot()
        except Exception as exc:  # the records could not be read: say so, keep going
            self._finish_failed(exc)
            return
        config = snapshot.config

        engine = self.engine

        def pull(_progress: Any) -> tuple[Any, Any, ShareConfig]:
            transport = self._connect(config)
            try:
                return transport, engine.pull(transport, snapshot), config
            except BaseException:
                transport.close()
                raise

        self._in_worker(pull, self._pulled, failed=self._failed_for(config))

    def remove_from_server(self) -> None:
        """Sharing was turned off and the person chose to remove what the app put on
        the server: delete the app's task list and calendar there (off the GUI thread),
        then forget them here. The records stay. Said in the status bar either way."""
        config = self._repo.config()
        urls = [url for url, _token in self._repo.collections().values()]

        def remove(_progress: Any) -> int:
            transport = self._connect(config)
            try:
                for url in urls:
                    transport.remove_collection(url)
            finally:
                transport.close()
            return len(urls)

        def removed(count: int) -> None:
            self._repo.forget_server()
            self._forget_password(config)
            self._say(f"Sharing is off; its {count} lists were removed from the server.")

        def not_removed(exc: BaseException) -> None:
            message = getattr(exc, "message", type(exc).__name__)
            self._say(f"Sharing is off, but its lists could not be removed from the "
                      f"server: {message}")
            self.failed.emit(exc)

        self._in_worker(remove, removed, failed=not_removed)

    def forget(self) -> None:
        """Sharing was turned off, its lists left on the server: forget the password."""
        self._forget_password(self._repo.config())

    @staticmethod
    def _forget_password(config: ShareConfig) -> None:
        from caregiver_app.services.sharing.secrets import forget_password

        try:
            forget_password(config.server, config.username)
        except Exception:  # no keyring: there was nothing kept in it either
            log.info("sharing: no keyring to forget the password in")

    # ---- Private: the steps

    def _pulled(self, value: tuple[Any, Any, ShareConfig]) -> None:
        transport, pulled, config = value
        if self._stopped:
            transport.close()
            self._idle()
            return
        try:
            notes, recorded = self.engine.apply(pulled, account=transport.username)
            ops = self.engine.outbox(pulled.collections)
        except Exception as exc:
            transport.close()
            self._finish_failed(exc)
            return

        engine = self.engine

        def push(progress: Any) -> Any:
            try:
                return engine.push(transport, ops, check=progress.check)
            finally:
                transport.close()

        def pushed(value: Any) -> None:
            if not self._stopped:
                keep_login(self._repo, config, transport)
            self._pushed(value, notes, recorded, transport.requests)

        self._in_worker(push, pushed, failed=self._failed_for(config))

    def _pushed(self, pushed: Any, notes: list[Any], recorded: int, requests: int) -> None:
        from caregiver_app.services.sharing.engine import SyncReport

        if not self._stopped:
            try:
                self.engine.record(pushed)
            except Exception as exc:
                self._finish_failed(exc)
                return
        report = SyncReport(recorded=recorded, noted=notes, sent=len(pushed.saved),
                            removed=len(pushed.removed), postponed=len(pushed.refused),
                            requests=requests)
        self._failures = 0
        self._idle()
        at = to_utc(self._now()).astimezone(self._zone())
        to_check = len(report.to_check)
        extra = f" {to_check} to check in the app." if to_check else ""
        self._say(f"Shared with the family at {at:%H:%M}.{extra}")
        self.synced.emit(report)
        if report.postponed:
            self._soon.start()  # read what was changed on the server, then send again
        self._next()

    def _failed_for(self, config: ShareConfig) -> Callable[[BaseException], None]:
        """A sync's failure: a refused password (401) also forgets that the server takes
        it with the first request (``forget_login``), as ``caregiver-app sync`` does."""
        def failed(exc: BaseException) -> None:
            if getattr(exc, "status", None) == 401 and not self._stopped:
                try:
                    forget_login(self._repo, config)
                except Exception:  # the records cannot be changed now: said below
                    log.warning("sharing: could not forget the kept log-in")
            self._finish_failed(exc)

        return failed

    def _finish_failed(self, exc: BaseException) -> None:
        from caregiver_app.services.sharing.transport import ShareError

        self._idle()
        if not isinstance(exc, ShareError):
            log.warning("sharing: a sync failed: %s", type(exc).__name__)
            exc = ShareError(f"Sharing stopped on a problem in the app ({type(exc).__name__});"
                             " it tries again later.", retry=True)
        assert isinstance(exc, ShareError)
        if exc.retry and not self._stopped:
            minutes = BACKOFF_MINUTES[min(self._failures, len(BACKOFF_MINUTES) - 1)]
            self._failures += 1
            self._retry.start(minutes * 60_000)
        self._say(f"Not shared: {exc.message}")
        self.failed.emit(exc)
        self._next()

    def _idle(self) -> None:
        self._busy = False
        if self._lock is not None:
            self._lock.release()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self._soon.start()

    def _in_worker(self, work: Callable[[Any], Any], then: Callable[[Any], None], *,
                   failed: Callable[[BaseException], None] | None = None) -> None:
        """``work(progress)`` off the GUI thread, then ``then(value)`` or ``failed``
        here; stopped by ``stop()`` between two writes (the app is closing)."""
        operation = in_background(work, then, failed or self._finish_failed,
                                  name="sharing-sync", cancelled=self._idle)
        self._operations.add(operation)
        operation.finished.connect(lambda _outcome: self._operations.discard(operation))

    def _say(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.status_changed.emit(text)


__all__ = ["SharingService", "default_connect", "forget_login", "keep_login"]
