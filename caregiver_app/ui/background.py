"""The window's side of ``services.background``: a progress dialog with Cancel, and the
outcome said where the person is looking.

``run_in_background(parent, work, title=…, text=…, done=…, failed=…)`` starts the work on
a worker thread and returns its ``Operation`` at once. The dialog (window-modal over
``parent``'s window) appears only when the work takes longer than
``PROGRESS_DELAY_MS``; Cancel and Escape ask the work to stop, until the work commits
(``Progress.commit``: pages going to a printer cannot be called back), when the dialog
says what it does now and offers no Cancel. On the GUI thread, then:

- success: ``done(value)`` (the caller says what was saved, e.g. in the status bar);
- cancelled: ``cancelled()``, or "<title> cancelled: nothing was …" in the dialog's place;
- a failure the caller knows (``failed(error)`` returns a sentence): a message box over
  ``parent``'s window with that sentence; never anything that looks like success;
- a failure nobody expected (``failed`` returns None: a bug): raised again on the GUI
  thread, where the app's crash report takes it.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from caregiver_app.services.background import Operation, Outcome, Progress
from caregiver_app.ui import messages
from caregiver_app.ui.form_dialog import FormDialog

log = logging.getLogger(__name__)

#: The progress dialog appears once the work has taken this long (quick work shows none).
PROGRESS_DELAY_MS = 300
#: An ended operation is let go this long after its outcome was said (long after its
#: worker thread has returned from its last signal).
LET_GO_MS = 1000

_running: set[Operation] = set()
_ending: set[Operation] = set()


class ProgressDialog(FormDialog):
    """"Reading contacts.vcf: 1,200 of 34,699 cards…" with Cancel (Escape cancels too).

    Window-modal, shown only when the work takes longer than ``PROGRESS_DELAY_MS``. Fed
    by the operation's signals on the GUI thread; it never runs the event loop itself.
    """

    cancel_requested = Signal()
    """Cancel took effect (``cancel`` accepted it): the work is stopping."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None, *,
                 cancel_name: str = "Cancel", bar_name: str = "Progress",
                 delay_ms: int | None = None,
                 cancel: Callable[[], bool] | None = None,
                 commit_text: Callable[[], str | None] | None = None):
        """``cancel()``: asks the work to stop, at once on the GUI thread; False when
        the work had already committed (then ``commit_text()`` says what it does now,
        before its ``committed`` signal arrives)."""
        super().__init__(parent)
        self._cancel = cancel
        self._commit_text = commit_text
        self.setWindowTitle(title)
        self.setAccessibleName(text.rstrip("…. "))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Progress")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the amount of work is known
        self.bar.setAccessibleName(bar_name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(cancel_name)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_if_running)
        self._running = True
        self._stoppable = True
        self._timer.start(PROGRESS_DELAY_MS if delay_ms is None else delay_ms)

    def set_progress(self, done: int, total: int, text: str = "") -> None:
        """``done`` of ``total`` (``total`` 0: busy, amount not known)."""
        if text:
            self.label.setText(text)
        if total <= 0:
            self.bar.setRange(0, 0)
            return
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))

    def commit(self, text: str) -> None:
        """The work can no longer be stopped: say ``text``; Cancel and Escape are gone."""
        self._stoppable = False
        self.label.setText(text)
        self.cancel_button.setEnabled(False)

    def finish(self) -> None:
        self._running = False
        self._timer.stop()
        self.hide()
        self.deleteLater()

    def reject(self) -> None:  # Cancel, Escape or closing the window
        if not (self._running and self._stoppable):
            return
        if self._cancel is not None and not self._cancel():  # the work committed first
            self.commit(self._commit_text() if self._commit_text is not None
                        else self.label.text())
            return
        self.label.setText("Stopping…")
        self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()

    def _show_if_running(self) -> None:
        if self._running:
            self.show()
            self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)


def run_in_background(parent: QWidget | None, work: Callable[[Progress], object], *, title: str,
                      text: str, done: Callable[[object], None],
                      failed: Callable[[BaseException], str | None],
                      failed_title: str | None = None,
                      cancelled: Callable[[], None] | None = None,
                      progress_text: Callable[[int, int], str] | None = None,
                      cancel_name: str = "Cancel",
                      delay_ms: int | None = None) -> Operation:
    """Run ``work(progress)`` on a worker thread with a progress dialog over ``parent``;
    see the module's docstring for what happens when it ends. Returns the started
    ``Operation`` (its ``finished`` comes after ``done``/``failed`` have run)."""
    operation = Operation(work, name=title)
    _running.add(operation)  # kept until it ends, whatever the caller keeps
    # What is connected to the operation's signals, or kept by its dialog, must not
    # hold it: Qt keeps those functions, so a function holding the operation is a loop
    # Python's collector cannot see, and every operation would stay for good with its
    # outcome (a 2,000-card vCard file read, ~3 MB, per import).
    this = weakref.ref(operation)

    def cancel() -> bool:  # decided at once, with the work's commit (one lock)
        running_now = this()
        return running_now is not None and running_now.cancel()

    def commit_text() -> str | None:
        running_now = this()
        return running_now.commit_text if running_now is not None else None

    dialog = ProgressDialog(title, text, parent, cancel_name=cancel_name, delay_ms=delay_ms,
                            cancel=cancel, commit_text=commit_text)
    operation.progress_dialog = dialog  # type: ignore[attr-defined]  # (for tests)

    def progressed(step: int, total: int, line: str) -> None:
        if not line and progress_text is not None and total > 0:
            line = progress_text(step, total)
        dialog.set_progress(step, total, line)

    def finished(outcome: Outcome) -> None:
        ended = this()
        if ended is not None:
            _let_go(ended)
        if parent is not None and not isValid(parent):  # the window closed meanwhile
            log.warning("%s ended after its window closed (%s)", title,
                        "done" if outcome.ok else "cancelled" if outcome.cancelled
                        else type(outcome.error).__name__)
            return
        if isValid(dialog):
            dialog.finish()
        if outcome.error is not None:
            sentence = failed(outcome.error)
            if sentence is None:
                raise outcome.error  # a bug: the app's crash report takes it from here
            messages.warn(_where_looking(parent), failed_title or title, sentence)
        elif outcome.cancelled:
            if cancelled is not None:
                cancelled()
        else:
            done(outcome.value)

    operation.progressed.connect(progressed)
    operation.committed.connect(dialog.commit)
    # before any caller's own connection to ``finished``: the caller sees the outcome said
    operation.finished.connect(finished)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(operation.cancel)
    operation.start()
    return operation


def _let_go(operation: Operation) -> None:
    """An operation ended: no longer running, and let go a moment later (``LET_GO_MS``:
    never inside its own signal, which is running now, nor while its worker thread may
    still be returning from its last signal); the caller may still keep it."""
    _running.discard(operation)
    _ending.add(operation)
    QTimer.singleShot(LET_GO_MS, lambda: _ending.discard(operation))


def running() -> list[Operation]:
    """The operations started here that have not ended yet."""
    return list(_running)


def _where_looking(parent: QWidget | None) -> QWidget | None:
    """The window the person is using: ``parent``'s while it is shown, else the
    active one (a message over a hidden window is never seen)."""
    window = parent.window() if parent is not None else None
    if window is not None and window.isVisible():
        return window
    return QApplication.activeWindow() or window
