"""Tables of appointments, and the list of what points at a contact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QObject, Qt

from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.contacts import ContactReference
from caregiver_app.ui.table_model import RecordListModel, RecordTableModel, TableColumn
from caregiver_app.ui.tones import Tone, ink

APPOINTMENT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The ``Appointment`` of a row."""
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The ``ContactReference`` of a row."""



def _first_line(text: str, limit: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class AppointmentTableModel(RecordTableModel):
    """Appointments, one per row, in the order given. Past ones say so in words."""

    def __init__(self, parent: QObject | None = None):
        grey = {Qt.ItemDataRole.ForegroundRole: self._grey_when_past,
                APPOINTMENT_ROLE: lambda a: a}
        super().__init__([
            TableColumn("When", lambda a: self._cell(a, 0), roles=grey,
                        accessible=lambda a: f"{self._cell(a, 0)}, {a.title()}" + (
                            f", with {a.contact_name}" if a.contact_name else "")),
            TableColumn("What", lambda a: self._cell(a, 1), roles=grey),
            TableColumn("With", lambda a: self._cell(a, 2), roles=grey),
            TableColumn("Where", lambda a: self._cell(a, 3), roles=grey),
            TableColumn("Notes", lambda a: self._cell(a, 4), roles=grey,
                        tooltip=self._notes_tip),
        ], row_numbers=True, parent=parent)
        self._now: datetime | None = None

    # ---- Public API

    def set_appointments(self, appointments: Sequence[Appointment], *, now: datetime) -> None:
        self._now = now
        self.set_records(appointments)

    def appointment(self, row: int) -> Appointment:
        return self.record(row)

    def row_of(self, appointment_id: int) -> int:
        return self.row_where(lambda a: a.id == appointment_id)

    # ---- Private

    def _grey_when_past(self, a: Appointment) -> object:
        if not self._is_past(a):
            return None
        return ink(Tone.MUTED)

    def _is_past(self, a: Appointment) -> bool:
        return self._now is not None and a.is_past(self._now)

    def _cell(self, a: Appointment, column: int) -> str:
        if column == 0:
            return ("Past: " if self._is_past(a) else "") + a.when_text()
        if column == 1:
            return a.title()
        if column == 2:
            return a.contact_name
        if column == 3:
            return _first_line(a.place)
        if self._is_past(a):
            return ("Outcome: " + _first_line(a.outcome)) if a.outcome else \
                "No outcome written yet"
        if a.questions:
            return "Questions: " + _first_line(a.questions)
        return _first_line(a.transport or a.companion)

    @staticmethod
    def _notes_tip(a: Appointment) -> str:
        parts = [(label, text) for label, text in (
            ("Transport", a.transport), ("Going along", a.companion),
            ("Questions to ask", a.questions), ("Outcome", a.outcome)) if text]
        return "\n\n".join(f"{label}:\n{text}" for label, text in parts)


def _reference_text(ref: ContactReference) -> str:
    kind = "Medicine" if ref.kind == "medicine" else "Appointment"
    return f"{kind}: {ref.label}" + (f" — {ref.detail}" if ref.detail else "")


class ReferencesModel(RecordListModel):
    """What points at one contact: "Medicine: Riluzole — prescriber"."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(TableColumn("Used by", _reference_text,
                                     roles={REFERENCE_ROLE: lambda ref: ref}),
                         parent=parent)

    def set_references(self, refs: Sequence[ContactReference]) -> None:
        self.set_records(refs)

    def reference(self, row: int) -> ContactReference:
        return self.record(row)
