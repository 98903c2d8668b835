"""``RecordTableModel``: a read-only table of records, its columns declared once.

Each ``TableColumn`` names its title and how a record reads in it (``text``), and may
add a tooltip, a screen-reader text, a colour or any other role; the model does
``rowCount``/``columnCount``/``headerData``/``data`` for every table of the app the
same way (Orange3's ``PyTableModel`` shows the idea). The record itself comes back under
``RECORD_ROLE``. A model with more state (a "now", a choice per row) subclasses it and
declares its columns with that state in reach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

#: The row's record (any role a model does not use for something else).
RECORD_ROLE = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class TableColumn:
    """One column: its ``title`` and how a record reads in it."""

    title: str
    text: Callable[[Any], str]
    tooltip: Callable[[Any], str | None] | None = None
    """The cell's tooltip (None: the text itself when it is cut, Qt's own behaviour)."""
    accessible: Callable[[Any], str] | None = None
    """What a screen reader says for the cell (default: its text)."""
    roles: Mapping[int, Callable[[Any], object]] = field(default_factory=dict)
    """Any other role: ``{Qt.ItemDataRole.ForegroundRole: colour_of}``."""
    alignment: Qt.AlignmentFlag | None = None


class RecordTableModel(QAbstractTableModel):
    """Records, one per row, in the order given; read-only."""

    def __init__(self, columns: Sequence[TableColumn], records: Iterable[object] = (), *,
                 row_numbers: bool = False, parent: QObject | None = None):
        """``row_numbers``: the vertical header counts the rows (1, 2, 3…)."""
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[Any] = list(records)
        self._row_numbers = row_numbers

    # ---- Public API

    def set_records(self, records: Iterable[object]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row]

    def insert_record(self, row: int, record: object) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.insert(row, record)
        self.endInsertRows()

    def row_where(self, matches: Callable[[Any], bool]) -> int:
        """The first row whose record ``matches``, -1 if none."""
        return next((i for i, r in enumerate(self._records) if matches(r)), -1)

    def refresh_row(self, row: int) -> None:
        """Its record changed in place: the view reads the row again."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def column(self, column: int) -> TableColumn:
        return self._columns[column]

    # ---- Qt overrides

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].title
        if (orientation == Qt.Orientation.Vertical and self._row_numbers
                and 0 <= section < len(self._records)):
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records) or \
                not 0 <= index.column() < len(self._columns):
            return None
        record, column = self._records[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (column.accessible or column.text)(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.alignment is not None:
            return column.alignment
        if role in column.roles:
            return column.roles[role](record)
        if role == RECORD_ROLE:
            return record
        return None
