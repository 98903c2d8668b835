"""``RecordTableModel``: a table (or list) of records, its columns declared once.

Each ``TableColumn`` names its title and how a record reads in it (``text``), and may
add a tooltip, a screen-reader text, a colour or any other role; the model does
``rowCount``/``columnCount``/``headerData``/``data`` for every table and list of the app
the same way (Orange3's ``PyTableModel`` shows the idea). The record itself comes back
under ``RECORD_ROLE``. A model with more state (a "now", a choice per row) subclasses it
and declares its columns with that state in reach. A list (``QListView``) is a table of
one column.

A column with ``set`` can be edited in place: ``set(record, value)`` returns the record
with the typed value (records are frozen: a new one), or None when the value cannot be
taken (the cell keeps what it had).
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
    edit: Callable[[Any], object] | None = None
    """The value an editor starts from (``EditRole``; default: the text)."""
    set: Callable[[Any, Any], Any] | None = None
    """Makes the column editable: the record with the typed ``value``, or None when it
    cannot be taken."""


class RecordTableModel(QAbstractTableModel):
    """Records, one per row, in the order given; read-only but for the columns with
    ``set``."""

    def __init__(self, columns: Sequence[TableColumn], records: Iterable[object] = (), *,
                 row_numbers: bool = False, row_title: Callable[[int], str] | None = None,
                 parent: QObject | None = None):
        """``row_numbers``: the vertical header counts the rows (1, 2, 3…);
        ``row_title(row)``: its own words for each row ("Step 1")."""
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[Any] = list(records)
        if row_title is None and row_numbers:
            row_title = _counted
        self._row_title = row_title

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

    def append_record(self, record: object) -> int:
        """Add ``record`` as the last row; its row number."""
        self.insert_record(len(self._records), record)
        return len(self._records) - 1

    def remove_record(self, row: int) -> None:
        if 0 <= row < len(self._records):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._records[row]
            self.endRemoveRows()

    def set_record(self, row: int, record: object) -> None:
        """Put ``record`` in ``row``'s place (the view keeps its selection)."""
        self._records[row] = record
        self.refresh_row(row)

    def update_records(self, records: Iterable[object]) -> None:
        """The same rows with new values (a choice per row changed): one change signal,
        the selection kept. ValueError if the number of rows differs."""
        new = list(records)
        if len(new) != len(self._records):
            raise ValueError("update_records keeps the same rows")
        self._records = new
        if new:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(new) - 1, len(self._columns) - 1))

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
        if (orientation == Qt.Orientation.Vertical and self._row_title is not None
                and 0 <= section < len(self._records)):
            return self._row_title(section)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and 0 <= index.column() < len(self._columns) \
                and self._columns[index.column()].set is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() \
                or not 0 <= index.row() < len(self._records) \
                or not 0 <= index.column() < len(self._columns):
            return False
        column = self._columns[index.column()]
        if column.set is None:
            return False
        record = column.set(self._records[index.row()], value)
        if record is None:
            return False
        self._records[index.row()] = record
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole,
                                             Qt.ItemDataRole.EditRole])
        return True

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
        if role == Qt.ItemDataRole.EditRole and column.set is not None:
            return (column.edit or column.text)(record)
        if role in column.roles:
            return column.roles[role](record)
        if role == RECORD_ROLE:
            return record
        return None


class RecordListModel(RecordTableModel):
    """Records in a list (``QListView``, a completer's pop-up): a table of one column
    whose ``index(row)`` needs no column, as ``QAbstractListModel``'s."""

    def __init__(self, column: TableColumn, records: Iterable[object] = (), *,
                 parent: QObject | None = None):
        super().__init__([column], records, parent=parent)

    def index(self, row: int, column: int = 0, parent: _Index = _ROOT) -> QModelIndex:
        return super().index(row, column, parent)


def _counted(row: int) -> str:
    return str(row + 1)
