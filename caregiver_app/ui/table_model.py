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
taken (the cell keeps what it had); ``editable(record)`` limits it to some rows.

``RecordTreeModel`` is the two-level variant for a ``QTreeView``: groups at the top level
(the Today tab's sections, the care team's roles), their records under them, the
records' columns declared the same way and the group rows by a column of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

#: The row's record (any role a model does not use for something else).
RECORD_ROLE = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
# The roles as plain ints: ``data`` runs for every role of every cell a view lays out or
# paints (Qt asks ~10 roles a cell), and comparing an int with a Qt enum member costs
# ~10x comparing two ints.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_RECORD = int(RECORD_ROLE)


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
    editable: Callable[[Any], bool] | None = None
    """With ``set``: whether this record's cell offers an editor (``flags``; default:
    every row's). ``setData`` still takes a value for it."""

    def can_edit(self, record: object) -> bool:
        return self.set is not None and (self.editable is None or self.editable(record))

    def data(self, record: object, role: int) -> object:
        """What the cell of ``record`` answers for ``role`` (None: nothing)."""
        if role == _DISPLAY:
            return self.text(record)
        if role == _ACCESSIBLE:
            return (self.accessible or self.text)(record)
        if role == _TOOLTIP and self.tooltip is not None:
            return self.tooltip(record)
        if role == _ALIGNMENT and self.alignment is not None:
            return self.alignment
        if role == _EDIT and self.set is not None:
            return (self.edit or self.text)(record)
        if role in self.roles:
            return self.roles[role](record)
        if role == _RECORD:
            return record
        return None


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
                and 0 <= index.row() < len(self._records) \
                and self._columns[index.column()].can_edit(self._records[index.row()]):
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
        self.refresh_row(index.row())  # (other cells may read from the value typed)
        return True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records) or \
                not 0 <= index.column() < len(self._columns):
            return None
        return self._columns[index.column()].data(self._records[index.row()], role)


class RecordListModel(RecordTableModel):
    """Records in a list (``QListView``, a completer's pop-up): a table of one column
    whose ``index(row)`` needs no column, as ``QAbstractListModel``'s."""

    def __init__(self, column: TableColumn, records: Iterable[object] = (), *,
                 parent: QObject | None = None):
        super().__init__([column], records, parent=parent)

    def index(self, row: int, column: int = 0, parent: _Index = _ROOT) -> QModelIndex:
        return super().index(row, column, parent)


class RecordTreeModel(QAbstractItemModel):
    """Groups at the top level and their records under them, for a ``QTreeView``;
    read-only. The records' cells are read through ``columns`` (one ``TableColumn``
    each, titles in the header); a group row's first cell through ``group_column``, and
    any of its cells through ``group_roles`` (``{SECTION_ROLE: key_of}``). A record row
    carries its group's row + 1 as its internal id, a group row 0: no Python object is
    handed to Qt."""

    def __init__(self, columns: Sequence[TableColumn], *,
                 members: Callable[[Any], Sequence[Any]], group_column: TableColumn,
                 group_roles: Mapping[int, Callable[[Any], object]] | None = None,
                 group_flags: Qt.ItemFlag = (Qt.ItemFlag.ItemIsEnabled
                                             | Qt.ItemFlag.ItemIsSelectable),
                 parent: QObject | None = None):
        """``members(group)``: the records of a group, in order; ``group_flags``: what
        a group row allows (``NoItemFlags``: the arrow keys pass over it)."""
        super().__init__(parent)
        self._columns = list(columns)
        self._members = members
        self._group_column = group_column
        self._group_roles = dict(group_roles or {})
        self._group_flags = group_flags
        self._groups: list[Any] = []

    # ---- Public API

    def set_groups(self, groups: Iterable[object]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def groups(self) -> list[Any]:
        return list(self._groups)

    def records(self) -> list[Any]:
        """Every group's records, in order."""
        return [record for group in self._groups for record in self._members(group)]

    def record_at(self, index: _Index) -> Any:
        """The record of a record row (None for a group row or no row)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._members(self._groups[index.internalId() - 1])[index.row()]

    def group_at(self, index: _Index) -> Any:
        """The group a row is, or is in (None for no row)."""
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == 0 else index.internalId() - 1
        return self._groups[row]

    def index_where(self, matches: Callable[[Any], bool], column: int = 0) -> QModelIndex:
        """The first record row whose record ``matches`` (invalid if none)."""
        for g, group in enumerate(self._groups):
            for r, record in enumerate(self._members(group)):
                if matches(record):
                    return self.index(r, column, self.index(g, 0))
        return QModelIndex()

    def group_index_where(self, matches: Callable[[Any], bool]) -> QModelIndex:
        """The first group row whose group ``matches`` (invalid if none)."""
        for g, group in enumerate(self._groups):
            if matches(group):
                return self.index(g, 0)
        return QModelIndex()

    def refresh_groups(self, roles: Sequence[int] = ()) -> None:
        """The group rows read differently (a count shown or hidden)."""
        if self._groups:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._groups) - 1, 0),
                                  list(roles))

    # ---- Qt overrides

    def index(self, row: int, column: int = 0, parent: _Index = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._members(self._groups[parent.row()]))
        return 0

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._columns):
            return self._columns[section].title
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return self._group_flags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.column() < len(self._columns):
            return None
        if index.internalId() == 0:
            group = self._groups[index.row()]
            if role in self._group_roles:
                return self._group_roles[role](group)
            if index.column() != 0 or role == _RECORD:
                return None
            return self._group_column.data(group, role)
        record = self._members(self._groups[index.internalId() - 1])[index.row()]
        return self._columns[index.column()].data(record, role)


def _counted(row: int) -> str:
    return str(row + 1)
