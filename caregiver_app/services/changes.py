"""What a write changed, announced once: ``ChangeHub.changed(Changes)``.

Every write to the records goes through a service (the medication book, the care team,
the session, Learn, How things are going, the reminders' snoozes), and each successful
write announces one frozen ``Changes`` naming what it changed, on the one ``ChangeHub``
the core shares between its services. A refused write announces nothing. A batch
(``ChangeHub.batch``, ``MedicationBook.one_action``, a batch record, an import)
announces once, at its end, everything it changed together.

The tabs, the reminders and the sharing engine subscribe once, where the window is
built (``app.build_context``), and decide from the ``Changes`` what to read again: the
model is Anki's ``OpChanges`` and its ``operation_did_execute`` hook.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from caregiver_app.domain.going import Measure
    from caregiver_app.domain.undo import LastAction

__all__ = ["ChangeHub", "Changes"]

_NO_IDS: frozenset[int] = frozenset()
_NO_NAMES: frozenset[str] = frozenset()
_NO_ENTRIES: frozenset[tuple[Measure, int]] = frozenset()


@dataclass(frozen=True)
class Changes:
    """What one write (or one batch of writes) changed; empty fields changed nothing.

    Ids are the records' ids: a subscriber reads the records again by them (the sharing
    engine uploads those doses, contacts and appointments; a tab refreshes its rows).
    """

    medicines: frozenset[int] = _NO_IDS
    """Medicines added, or whose details, schedule, status or cycle changed."""
    doses: frozenset[int] = _NO_IDS
    """Medicines whose dose record changed (a dose recorded, corrected, undone)."""
    dose_entries: frozenset[int] = _NO_IDS
    """The dose entries saved (``DoseEntry.id``): records and their corrections."""
    stock: frozenset[int] = _NO_IDS
    """Medicines whose stock changed (a refill, a count)."""
    contacts: frozenset[int] = _NO_IDS
    """Contacts added, edited, removed or restored."""
    appointments: frozenset[int] = _NO_IDS
    """Appointments added, edited, removed, restored, or moved by the schedule."""
    patient: bool = False
    """The patient profile (its time zone too: every due time may read differently)."""
    caregivers: bool = False
    """The list of caregivers."""
    on_duty: bool = False
    """Who is on duty (``Session.on_duty``)."""
    settings: frozenset[str] = _NO_NAMES
    """Household settings kept in the records, by key (``domain.household``)."""
    snoozes: frozenset[int] = _NO_IDS
    """Medicines a reminder was snoozed (or its snooze put back) for."""
    notes: frozenset[str] = _NO_NAMES
    """Learn articles whose note was saved, by article id."""
    bookmarks: frozenset[str] = _NO_NAMES
    """Learn articles bookmarked or unbookmarked, by article id."""
    going: frozenset[tuple[Measure, int]] = _NO_ENTRIES
    """How-things-are-going entries saved, as (its table's ``Measure``, ``Entry.id``):
    a record, a correction, a withdrawal. Each of the five tables counts its ids
    from 1, so an id alone would not say which entry it is."""
    action: LastAction | None = None
    """The dose entries or snoozes this write saved, as one action Undo can take back
    (None: nothing to undo; a write to the medicines then ends the chance to undo the
    action before it)."""

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: Changes) -> Changes:
        """Both writes' changes together (the later write's Undo action wins, and a
        write to the medicines without one ends the earlier one's)."""
        merged = {f.name: getattr(self, f.name) | getattr(other, f.name)
                  for f in fields(self) if f.name != "action"}
        action = other.action if other.action is not None or other.ends_undo else self.action
        return replace(self, **merged, action=action)

    @property
    def medicine_ids(self) -> frozenset[int]:
        """Every medicine whose definition, dose record or stock changed."""
        return self.medicines | self.doses | self.stock

    @property
    def ends_undo(self) -> bool:
        """A write to the medicines, doses or stock that cannot itself be undone: the
        action before it may no longer be undone either."""
        return self.action is None and bool(self.medicine_ids)

    @property
    def due_doses(self) -> bool:
        """Which doses are due and their states may read differently: a medicine or its
        record changed, the dose timing, the patient's time zone, or a snooze."""
        return bool(self.medicine_ids or self.settings or self.patient or self.snoozes)

    @property
    def people(self) -> bool:
        """The patient, the caregivers or who is on duty."""
        return self.patient or self.caregivers or self.on_duty


class ChangeHub(QObject):
    """The one ``changed`` signal of a core's services (``Core.changes``)."""

    changed = Signal(object)
    """A write succeeded: carries its ``Changes`` (never empty). Once per write, or once
    per ``batch``."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pending: Changes | None = None
        self._depth = 0

    def announce(self, changes: Changes) -> None:
        """Emit ``changes`` now, or at the end of the ``batch`` under way; empty ones
        are dropped."""
        if self._depth:
            self._pending = changes if self._pending is None else self._pending | changes
        elif changes:
            self.changed.emit(changes)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The writes inside are announced once, together, at the end (nests: the
        outermost one announces). What was saved before an error is announced too."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth:
                pending, self._pending = self._pending, None
                if pending:
                    self.changed.emit(pending)
