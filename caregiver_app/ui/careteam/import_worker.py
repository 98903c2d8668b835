"""Reading a vCard file and planning its import on a worker thread.

A phone's whole address book can hold tens of thousands of cards: reading them
takes seconds, so it runs in ``QThreadPool`` while the tab shows a progress
dialog with Cancel. The worker touches no widget and no database: it is given
the path, the phone region and the contacts already on the team (read on the
GUI thread), and hands back a ``ReadOutcome`` through a signal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from caregiver_app.domain.contacts import Contact

PROGRESS_INTERVAL_S = 0.05  # at most this often a progress signal, not one per card


@dataclass(frozen=True)
class ReadOutcome:
    """What reading a file gave: cards and their planned rows, or why not."""

    cards: list = field(default_factory=list)  # [ImportedCard]
    rows: list = field(default_factory=list)  # [ImportRow], from plan_import
    problem: str = ""  # the file was refused: a message for the caregiver
    cancelled: bool = False
    error: Exception | None = None  # a bug: raised again on the GUI thread


class _Signals(QObject):
    progress = Signal(int, int)
    """(cards read, cards in the file); (-1, -1) while checking for duplicates."""

    finished = Signal(object)
    """The ReadOutcome."""


class VCardReadJob(QRunnable):
    """Read ``path`` and plan the import against ``existing``; report through ``signals``.

    Create it on the GUI thread (its signals then arrive there) and keep a
    reference until ``finished``.
    """

    def __init__(self, path: Path, *, region: str | None, existing: Sequence[Contact]):
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self.path = path
        self._region = region
        self._existing = list(existing)
        self._cancel = threading.Event()
        self._last = 0.0
        self.done = threading.Event()

    def cancel(self) -> None:
        """Ask the worker to stop at the next card (thread-safe)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            outcome = self._read()
        except Exception as exc:  # a bug: handed to the GUI thread to be reported there
            outcome = ReadOutcome(error=exc)
        self.done.set()
        self.signals.finished.emit(outcome)

    # ---- Private

    def _read(self) -> ReadOutcome:
        from caregiver_app.services import vcard

        name = self.path.name
        try:
            cards = vcard.read_vcard_file(self.path, region=self._region,
                                          progress=self._progress, cancelled=self.is_cancelled)
            self.signals.progress.emit(-1, -1)
            rows = vcard.plan_import(cards, self._existing, cancelled=self.is_cancelled)
        except vcard.ImportCancelled:
            return ReadOutcome(cancelled=True)
        except vcard.VCardError as exc:
            return ReadOutcome(problem=f"{name} was not imported.\n\n{exc}\n\nNothing was saved.")
        except OSError as exc:
            return ReadOutcome(problem=f"{name} could not be read: {exc.strerror or exc}.\n\n"
                                      "Nothing was saved.")
        if self.is_cancelled():
            return ReadOutcome(cancelled=True)
        return ReadOutcome(cards=cards, rows=rows)

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self.signals.progress.emit(done, total)
