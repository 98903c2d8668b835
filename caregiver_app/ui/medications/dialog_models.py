"""Models used inside the medicine dialog.

- ``PreviewModel``: the next due doses (``schedule.Occurrence``) the preview lists.
- ``ReferenceListModel``: entries of the built-in medicine reference matching a search.
- ``StepsModel``: the editable dose steps of a titration or taper, with ``StepsDelegate``
  giving date editors (the last day may be left open).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QWidget

from caregiver_app.domain.amount import MAX_AMOUNT, Dose, format_number
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import weekday_date, weekday_date_time
from caregiver_app.domain.reference import Availability, MedicineReference, ReferenceMedicine
from caregiver_app.domain.regimens import DoseStep
from caregiver_app.domain.schedule import Occurrence
from caregiver_app.ui.medications.widgets import (
    DateEdit,
    format_times,
    parse_times,
)
from caregiver_app.ui.table_model import RecordListModel, RecordTableModel, TableColumn

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole


# ---- The preview of due doses


class PreviewModel(RecordTableModel):
    """The next due doses: when, how much, and which dose ("cycle 2, day 6 of 10")."""

    def __init__(self, parent=None):
        super().__init__([
            TableColumn("When", lambda o: weekday_date_time(o.local)),
            TableColumn("Dose", lambda o: o.dose.describe() if o.dose.amount > 0
                        else "amount not entered yet"),
            TableColumn("Which dose", lambda o: o.label),
        ], parent=parent)
        self._zone: ZoneInfo | None = None

    def set_occurrences(self, occurrences: list[Occurrence], zone: ZoneInfo) -> None:
        self._zone = zone
        self.set_records(occurrences)

    def occurrences(self) -> list[Occurrence]:
        return self.records()

    def row_texts(self) -> list[tuple[str, str, str]]:
        """Each row as its three texts (for tests and screen readers)."""
        return [(self.column(0).text(o), self.column(1).text(o), self.column(2).text(o))
                for o in self.records()]


# ---- The medicine reference


def _reference_text(entry: ReferenceMedicine) -> str:
    text = entry.generic
    if entry.brands:
        text += f" ({', '.join(entry.brands)})"
    if entry.availability is not Availability.AVAILABLE:
        text += f" — {entry.availability.headline}"
    return text


class ReferenceListModel(RecordListModel):
    """Reference entries matching the search: "riluzole (Rilutek, Tiglutik, Exservan)"."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, reference: MedicineReference, parent=None):
        warning = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning)
        super().__init__(TableColumn(
            "Medicine", _reference_text, tooltip=lambda entry: entry.purpose,
            roles={Qt.ItemDataRole.DecorationRole: lambda entry: (
                warning if entry.availability is not Availability.AVAILABLE else None),
                   self.ID_ROLE: lambda entry: entry.id}),
            reference.search(""), parent=parent)
        self._reference = reference

    def set_query(self, text: str) -> None:
        self.set_records(self._reference.search(text))

    def entry(self, row: int) -> ReferenceMedicine:
        return self.record(row)


# ---- Dose steps


@dataclass(frozen=True)
class StepRow:
    """One step as typed (not yet checked)."""

    start: date
    end: date | None
    amount: float | None
    unit: str
    times: str

    @classmethod
    def from_step(cls, step: DoseStep) -> StepRow:
        return cls(step.start, step.end, step.dose.amount, step.dose.unit,
                   format_times(step.times))


def _amount_of(row: StepRow, value: object) -> StepRow | None:
    try:
        amount = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return replace(row, amount=amount if amount > 0 else None)


class StepsModel(RecordTableModel):
    """Editable dose steps: first day, last day (open for the last step), amount, unit,
    times of day."""

    HEADERS = ("First day", "Last day", "Amount", "Unit", "Times of day")
    START, END, AMOUNT, UNIT, TIMES = range(5)

    def __init__(self, parent=None):
        super().__init__([
            TableColumn(self.HEADERS[self.START],
                        lambda row: weekday_date(row.start, year=True),
                        edit=lambda row: QDate(row.start),
                        set=lambda row, value: replace(row, start=_to_date(value))
                        if isinstance(value, QDate | date) else None),
            TableColumn(self.HEADERS[self.END],
                        lambda row: weekday_date(row.end, year=True) if row.end
                        else "no last day",
                        edit=lambda row: QDate(row.end) if row.end else None,
                        set=lambda row, value: replace(
                            row, end=_to_date(value) if value else None)),
            TableColumn(self.HEADERS[self.AMOUNT],
                        lambda row: format_number(row.amount) if row.amount is not None
                        else "",
                        edit=lambda row: row.amount if row.amount is not None else 0.0,
                        set=_amount_of),
            TableColumn(self.HEADERS[self.UNIT], lambda row: row.unit,
                        set=lambda row, value: replace(row, unit=str(value))),
            TableColumn(self.HEADERS[self.TIMES], lambda row: row.times,
                        set=lambda row, value: replace(row, times=str(value))),
        ], row_title=lambda row: f"Step {row + 1}", parent=parent)

    # ---- Public API

    def set_steps(self, steps: list[StepRow]) -> None:
        self.set_records(steps)

    def step_rows(self) -> list[StepRow]:
        return self.records()

    def add_step(self, default_start: date, default_unit: str) -> int:
        """Append a step that starts the day after the last one ends; returns its row."""
        rows = self.records()
        if rows:
            last = rows[-1]
            start = (last.end or last.start).toordinal() + 1
            row = replace(last, start=date.fromordinal(start), end=None)
        else:
            row = StepRow(default_start, None, None, default_unit, "")
        return self.append_record(row)

    def remove_step(self, row: int) -> None:
        self.remove_record(row)

    def steps(self) -> tuple[DoseStep, ...]:
        """The steps as ``DoseStep``s; raises ValidationError (field ``steps``) naming the
        step whose amount or times cannot be read. The engine checks the rest."""
        steps = []
        for number, row in enumerate(self.records(), start=1):
            if row.amount is None or not 0 < row.amount <= MAX_AMOUNT:
                raise ValidationError({"steps": f"Step {number}: enter the amount given "
                                                 "each time, more than zero."})
            try:
                times = parse_times(row.times)
            except ValueError as exc:
                raise ValidationError({"steps": f"Step {number}: {exc}"}) from exc
            steps.append(DoseStep(row.start, Dose(row.amount, row.unit.strip()), times, row.end))
        return tuple(steps)


def _to_date(value: QDate | date) -> date:
    return value.toPython() if isinstance(value, QDate) else value


class StepsDelegate(QStyledItemDelegate):
    """Date editors for the first and last day (the last day may be "no last day")."""

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:
        if index.column() in (StepsModel.START, StepsModel.END):
            last = index.column() == StepsModel.END
            editor = DateEdit(accessible_name=f"{StepsModel.HEADERS[index.column()]} of step "
                                              f"{index.row() + 1}",
                              blank_text="no last day" if last else "", parent=parent)
            return editor
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(f"{StepsModel.HEADERS[index.column()]} of step "
                                 f"{index.row() + 1}")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, DateEdit):
            value = index.data(_EDIT)
            editor.setDate(value if isinstance(value, QDate) else QDate())
            editor.selectAll()
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: Index) -> None:
        if isinstance(editor, DateEdit):
            editor.commit()
            if editor.problem():  # (what was typed is not a date: the cell keeps its own)
                return
            value = editor.value_or_none()
            model.setData(index, QDate(value) if value is not None else None, _EDIT)
            return
        super().setModelData(editor, model, index)


__all__ = ["PreviewModel", "ReferenceListModel", "StepRow", "StepsDelegate", "StepsModel"]
