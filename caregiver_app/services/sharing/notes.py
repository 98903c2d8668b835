"""The phones' notes in the running app: what came in, how many are unseen, marked seen.

``PhoneNotes`` reads the notes a sync kept (``storage.sharing_repo``) as lines naming
their dose (``domain.phone_notes``), says how many no person has seen yet
(``changed``: the status bar's button, the Today tab's line) and marks them seen when a
person has read them. It reads again after each sync and each change of the dose
records: a note about a dose recorded again in the app since is settled and counts no
more (``domain.phone_notes``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from caregiver_app.domain.phone_notes import PhoneNoteLine, note_lines


class PhoneNotes(QObject):
    changed = Signal(int)
    """The notes changed; carries how many are unseen."""

    def __init__(self, repo: Any, book: Any, *, now: Callable[[], datetime],
                 parent: QObject | None = None):
        """``repo``: ``storage.sharing_repo.SharingRepository``; ``book``: the medication
        book (the medicines' names)."""
        super().__init__(parent)
        self._repo = repo
        self._book = book
        self._now = now
        self._unseen = -1

    def lines(self, *, unseen_only: bool = True) -> list[PhoneNoteLine]:
        """The notes, newest first (all of them, or those not yet seen)."""
        notes = self._repo.notes(unseen_only=unseen_only)
        if not notes:
            return []
        names = {m.id: m.name for m in self._book.medicines() if m.id is not None}
        return note_lines(notes, names)

    def unseen(self) -> int:
        return self._repo.unseen_count()

    def mark_seen(self, note_ids: Iterable[int]) -> None:
        """A person read these notes."""
        self._repo.mark_seen(list(note_ids), self._now())
        self.refresh(force=True)

    def contacts_settled(self, uids: Iterable[str], *, shown: Iterable[int]) -> None:
        """A person settled these contacts' cards (Settle contacts…): the notes about
        them that were ``shown`` (by id) when they chose have been dealt with, so they
        are seen; a note the settling wrote (the numbers not kept) stays new."""
        settled, before = set(uids), set(shown)
        if settled:
            self.mark_seen(line.id for line in self.lines()
                           if line.about_a_contact and line.uid in settled
                           and line.id in before)

    def records_changed(self, changes: object) -> None:
        """The records changed (``services.changes.Changes``): a dose recorded or
        corrected may settle a note."""
        if getattr(changes, "doses", None):
            self.refresh()

    def refresh(self, *_ignored: object, force: bool = False) -> None:
        """Read the count again (after a sync); ``changed`` when it moved (or
        ``force``)."""
        count = self.unseen()
        if force or count != self._unseen:
            self._unseen = count
            self.changed.emit(count)


__all__ = ["PhoneNotes"]
