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
    QAbstractListModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QWidget

from caregiver_app.domain.amount import MAX_AMOUNT, Dose, format_number
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import weekday_date_time
from caregiver_app.domain.reference import Availability, MedicineReference, ReferenceMedicine
from caregiver_app.domain.regimens import DoseStep
from caregiver_app.domain.schedule import Occurrence
from caregiver_app.ui.medications.widgets import (
    DATE_FORMAT,
    DateEdit,
    format_times,
    parse_times,
)
from caregiver_app.ui.table_model import RecordTableModel, TableColumn

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


class ReferenceListModel(QAbstractListModel):
    """Reference entries matching the search: "riluzole (Rilutek, Tiglutik, Exservan)"."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, reference: MedicineReference, parent=None):
        super().__init__(parent)
        self._reference = reference
        self._rows: list[ReferenceMedicine] = reference.search("")
        self._warning = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning)

    def set_query(self, text: str) -> None:
        self.beginResetModel()
        self._rows = self._reference.search(text)
        self.endResetModel()

    def entry(self, row: int) -> ReferenceMedicine:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = _DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        flagged = entry.availability is not Availability.AVAILABLE
        if role in (_DISPLAY, Qt.ItemDataRole.AccessibleTextRole):
            text = entry.generic
            if entry.brands:
                text += f" ({', '.join(entry.brands)})"
            if flagged:
                text += f" — {entry.availability.headline}"
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.purpose
        if role == Qt.ItemDataRole.DecorationRole and flagged:
            return self._warning
        if role == self.ID_ROLE:
            return entry.id
        return None


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


class StepsModel(QAbstractTableModel):
    """Editable dose steps: first day, last day (open for the last step), amount, unit,
    times of day."""

    HEADERS = ("First day", "Last day", "Amount", "Unit", "Times of day")
    START, END, AMOUNT, UNIT, TIMES = range(5)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[StepRow] = []

    # ---- Public API

    def set_steps(self, steps: list[StepRow]) -> None:
        self.beginResetModel()
        self._rows = list(steps)
        self.endResetModel()

    def step_rows(self) -> list[StepRow]:
        return list(self._rows)

    def add_step(self, default_start: date, default_unit: str) -> int:
        """Append a step that starts the day after the last one ends; returns its row."""
        if self._rows:
            last = self._rows[-1]
            start = (last.end or last.start).toordinal() + 1
            row = replace(last, start=date.fromordinal(start), end=None)
        else:
            row = StepRow(default_start, None, None, default_unit, "")
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()
        return len(self._rows) - 1

    def remove_step(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def steps(self) -> tuple[DoseStep, ...]:
        """The steps as ``DoseStep``s; raises ValidationError (field ``steps``) naming the
        step whose amount or times cannot be read. The engine checks the rest."""
        steps = []
        for number, row in enumerate(self._rows, start=1):
            if row.amount is None or not 0 < row.amount <= MAX_AMOUNT:
                raise ValidationError({"steps": f"Step {number}: enter the amount given "
                                                 "each time, more than zero."})
            try:
                times = parse_times(row.times)
            except ValueError as exc:
                raise ValidationError({"steps": f"Step {number}: {exc}"}) from exc
            steps.append(DoseStep(row.start, Dose(row.amount, row.unit.strip()), times, row.end))
        return tuple(steps)

    # ---- Qt overrides

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return f"Step {section + 1}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def data(self, index: Index, role: int = _DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (_DISPLAY, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.START:
                return QDate(row.start).toString(DATE_FORMAT)
            if column == self.END:
                return QDate(row.end).toString(DATE_FORMAT) if row.end else "no last day"
            if column == self.AMOUNT:
                return format_number(row.amount) if row.amount is not None else ""
            if column == self.UNIT:
                return row.unit
            return row.times
        if role == _EDIT:
            if column == self.START:
                return QDate(row.start)
            if column == self.END:
                return QDate(row.end) if row.end else None
            if column == self.AMOUNT:
                return row.amount if row.amount is not None else 0.0
            if column == self.UNIT:
                return row.unit
            return row.times
        return None

    def setData(self, index: Index, value, role: int = _EDIT) -> bool:
        if role != _EDIT or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        row = self._rows[index.row()]
        column = index.column()
        if column == self.START:
            if not isinstance(value, QDate | date):
                return False
            row = replace(row, start=_to_date(value))
        elif column == self.END:
            row = replace(row, end=_to_date(value) if value else None)
        elif column == self.AMOUNT:
            try:
                amount = float(str(value).replace(",", "."))
            except ValueError:
                return False
            row = replace(row, amount=amount if amount > 0 else None)
        elif column == self.UNIT:
            row = replace(row, unit=str(value))
        else:
            row = replace(row, times=str(value))
        self._rows[index.row()] = row
        self.dataChanged.emit(index, index, [_DISPLAY, _EDIT])
        return True


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
