"""Long-running work off the GUI thread, one way for the whole app.

An ``Operation`` runs a function on a worker thread (``QThreadPool``) and delivers its
``Outcome`` (a value, the error it raised, or "cancelled") on the GUI thread, through
``finished``. The function is given a ``Progress``: it reports how far it got (at most
every ``PROGRESS_INTERVAL_S``) and asks whether the person cancelled. Anki's
``QueryOp`` and Orange3's ``ConcurrentWidgetMixin`` are the models.

The function runs on another thread: it touches no widget, and reads the records
through a connection of its own (``storage.db.second_connection``), never the GUI
thread's. ``ui.background.run_in_background`` adds the progress dialog with Cancel and
shows a failure where the person is looking.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")

#: A progress report at most this often (the GUI thread is not flooded with signals).
PROGRESS_INTERVAL_S = 0.05


class Cancelled(Exception):
    """The person cancelled: raised by ``Progress.check`` to stop the work."""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """How an operation ended: ``value`` when it succeeded, else ``error`` or
    ``cancelled``."""

    value: T | None = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Relay(QObject):
    """Lives on the GUI thread: what the worker emits arrives there, queued."""

    progressed = Signal(int, int, str)
    committed = Signal(str)
    done = Signal(object)


class _Gate:
    """Cancel and commit as one decision, shared by an ``Operation`` (GUI thread) and
    its ``Progress`` (worker thread): once the work has committed, Cancel no longer
    takes effect; once Cancel took effect, the work cannot commit."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cancelled = False
        self.committed = False
        self.committed_text = ""

    def cancel(self) -> bool:
        with self.lock:
            if self.committed:
                return False
            self.cancelled = True
            return True

    def commit(self, text: str) -> None:
        with self.lock:
            if self.cancelled:
                raise Cancelled
            self.committed, self.committed_text = True, text


class Progress:
    """Given to the work function (on the worker thread)."""

    def __init__(self, relay: _Relay, gate: _Gate):
        self._relay = relay
        self._gate = gate
        self._last = 0.0
        self._text = ""

    @property
    def cancelled(self) -> bool:
        """The person cancelled, and the work had not committed."""
        return self._gate.cancelled

    def check(self) -> None:
        """Raise ``Cancelled`` if the person cancelled (call between steps); does
        nothing once the work has committed (``commit``)."""
        if self._gate.cancelled:
            raise Cancelled

    def commit(self, text: str) -> None:
        """The last step that Cancel can stop: raise ``Cancelled`` if the person
        cancelled, else say ``text`` and take Cancel away, because the work from here on
        cannot be called back (pages sent to a printer). One decision with Cancel (a
        lock): an operation that commits ends with its value, never "cancelled", and a
        Cancel pressed from then on returns False (``Operation.cancel``)."""
        self._gate.commit(text)
        self._relay.committed.emit(text)

    def report(self, done: int, total: int, text: str = "") -> None:
        """``done`` of ``total`` steps (``total`` 0: not known); ``text`` replaces the
        dialog's line when given. Rate-limited, except the last step and a new text."""
        now = time.monotonic()
        new_text = bool(text) and text != self._text
        if done >= total > 0 or new_text or now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self._text = text or self._text
            self._relay.progressed.emit(done, total, text)


class _CollectorPause:
    """Python's cyclic garbage collector paused while any operation runs.

    A full collection stops every thread, the window's included, for as long as it
    walks every object; work such as a year's calendar (hundreds of thousands of
    objects, freed by reference counting at the end) sets off several, each a second
    or more on a busy laptop. Paused from the first operation's start to the last
    one's end, then one collection of the youngest objects only. Thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._running += 1

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._was_enabled:
                gc.enable()
                gc.collect(0)


_collector_pause = _CollectorPause()


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], object], progress: Progress, relay: _Relay):
        super().__init__()
        self.setAutoDelete(False)  # the Operation keeps it until it is done
        self._work: Callable[[Progress], object] | None = work
        self._progress: Progress | None = progress
        self._relay: _Relay | None = relay

    def run(self) -> None:
        work, progress, relay = self._work, self._progress, self._relay
        if work is None or progress is None or relay is None:  # (released: runs once)
            return
        try:
            with _collector_pause:
                outcome: Outcome = Outcome(value=work(progress))
        except Cancelled:
            outcome = Outcome(cancelled=True)
        except BaseException as exc:  # handed to the GUI thread, which decides
            outcome = Outcome(error=exc)
        relay.done.emit(outcome)

    def release(self) -> None:
        """Let go of the work and all it captured, on the GUI thread once it has ended:
        the thread pool keeps every runnable it was given (PySide's ownership rule for
        ``QThreadPool.start``), so without this each one would stay for good, with, e.g.,
        the printer it painted on."""
        self._work = self._progress = self._relay = None


class Operation(QObject):
    """One piece of work on a worker thread. Create it on the GUI thread, connect
    ``finished`` and ``progressed``, then ``start()``."""

    progressed = Signal(int, int, str)
    """(done, total, text) on the GUI thread; total 0 while the amount is not known."""

    committed = Signal(str)
    """The work passed the point where Cancel can stop it (``Progress.commit``); carries
    what it does now."""

    finished = Signal(object)
    """The ``Outcome``, on the GUI thread, once."""

    def __init__(self, work: Callable[[Progress], object], *, name: str = "",
                 pool: QThreadPool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._pool = pool or QThreadPool.globalInstance()
        self._gate = _Gate()
        self._relay = _Relay(self)
        self._relay.progressed.connect(self.progressed)
        self._relay.committed.connect(self.committed)
        self._relay.done.connect(self._on_done)
        self._job: _Job | None = _Job(work, Progress(self._relay, self._gate), self._relay)
        self._running = False
        self.outcome: Outcome | None = None

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._job is None or self._running:
            raise RuntimeError("An operation runs once.")
        self._running = True
        self._pool.start(self._job)

    def cancel(self) -> bool:
        """Ask the work to stop (thread-safe); ``finished`` still comes, saying so
        unless the work had already finished. Returns False, and changes nothing, when
        the work has committed (``Progress.commit``): it ends with its value."""
        return self._gate.cancel()

    @property
    def cancel_requested(self) -> bool:
        """Cancel took effect (asked before the work committed)."""
        return self._gate.cancelled

    @property
    def commit_text(self) -> str | None:
        """What the work does now that it has committed (``Progress.commit``), else
        None; known at once on any thread, before the ``committed`` signal arrives."""
        gate = self._gate
        with gate.lock:
            return gate.committed_text if gate.committed else None

    @Slot(object)
    def _on_done(self, outcome: Outcome) -> None:
        self._running = False
        job, self._job = self._job, None
        if job is not None:
            job.release()
        self.outcome = outcome
        self.finished.emit(outcome)
