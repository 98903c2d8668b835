"""Which action Undo takes back: the last one taken in this window, for a few minutes.

``UndoService`` hears every write (``apply_changes``, on ``Core.changes``): whatever
screen, list, banner or notification recorded or snoozed a dose, the ``Changes`` carries
it as an action, and only the latest action is kept. Any other
write (a medicine changed, a refill) clears it, and so does the passing of
``domain.undo.UNDO_WINDOW``: ``last()`` then says there is nothing to undo, and an older
record is changed with "Correct this record". The rule and the words are in
``domain.undo``; the corrections are written by ``MedicationBook.undo``.

``undo(expected)`` takes the action back only if it is still the one the caregiver was
shown (``expected``): an action that came in between (a notification's Given pressed
while the Undo button was on screen) is never undone in its place.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer, Signal

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.undo import (
    NOTHING_TO_UNDO,
    LastAction,
    describe_action,
    short_action,
)
from caregiver_app.services.changes import Changes
from caregiver_app.services.clock import Clock
from caregiver_app.services.medication_book import MedicationBook

log = logging.getLogger(__name__)


class UndoService(QObject):
    changed = Signal()
    """The action Undo would take back changed: a new one, none (undone, another kind of
    write, or its time is up)."""

    undone = Signal(object)
    """An action was taken back: carries the ``LastAction``."""

    def __init__(self, book: MedicationBook, *, clock: Clock, reminders=None,
                 parent: QObject | None = None):
        """``reminders``: the ``ReminderService`` (snoozes, and putting one back)."""
        super().__init__(parent)
        self._book = book
        self._clock = clock
        self._reminders = reminders
        self._last: LastAction | None = None
        # ends the offer on time while the app is idle (the clock is checked again on use)
        self.expiry = QTimer(self)
        self.expiry.setSingleShot(True)
        self.expiry.timeout.connect(self._on_expiry)

    # ---- Public API

    def last(self) -> LastAction | None:
        """The action Undo would take back now (None: nothing, or too long ago)."""
        action = self._last
        if action is not None and not action.can_undo(self._now()):
            self._last = None
            self.changed.emit()
            return None
        return action

    def describe(self, action: LastAction, initials: Mapping[int, str]) -> str:
        """"riluzole 11:39 given at 11:40 by TE" (the whole action, in the patient's zone)."""
        return describe_action(action, self._book.zone(), self._now(), initials)

    def short(self, action: LastAction) -> str:
        """"riluzole 11:39 given" (for the Undo button)."""
        return short_action(action, self._book.zone(), self._now())

    def undo(self, expected: LastAction | None = None) -> LastAction:
        """Take back the last action: its dose entries are corrected (never deleted) or
        its snooze put back. With ``expected``, only if that is still the last action.
        Raises ``ValidationError`` (field ``undo``) with words for the caregiver."""
        action = self.last()
        if action is None or (expected is not None and action is not expected):
            if expected is not None and action is not None:
                raise ValidationError({"undo": (
                    "Something else was recorded meanwhile; nothing was undone. Look at "
                    "the Undo button: it now names the last action.")})
            raise ValidationError({"undo": NOTHING_TO_UNDO})
        if action.snoozes:
            if self._reminders is None:
                raise ValidationError({"undo": NOTHING_TO_UNDO})
            for snooze in action.snoozes:  # every snooze of the action, as it was
                self._reminders.set_snooze(snooze.medicine_id, snooze.key, snooze.before)
        else:
            self._book.undo(action)  # its Changes ends the offer: cleared below too
        self._last = None
        self.expiry.stop()
        log.info("undone: %d entries%s", len(action.items),
                 ", a snooze" if action.snooze else "")
        self.changed.emit()
        self.undone.emit(action)
        return action

    def apply_changes(self, changes: Changes) -> None:
        """A write (``Core.changes``): its action becomes the one to undo; a write to
        the medicines that is no action ends the chance to undo the one before."""
        if changes.action is not None or changes.ends_undo:
            self._on_action(changes.action)

    # ---- Private

    def _now(self):
        return to_utc(self._clock.now())

    def _on_action(self, action: LastAction | None) -> None:
        if action is None and self._last is None:
            return
        self._last = action
        self.expiry.stop()
        if action is not None:
            left = (action.expires_at - self._now()).total_seconds()
            self.expiry.start(max(0, int(left * 1000)) + 50)
        self.changed.emit()

    def _on_expiry(self) -> None:
        self.last()  # emits changed if its time is up


__all__ = ["UndoService"]
