"""The Today tab's model: sections (overdue, morning ... night, as needed, also given)
holding one row per dose, as a two-level ``QAbstractItemModel`` for a ``QTreeView``.

The sections and rows, with all their words, are worked out in the domain
(``domain.today_sections.build_sections``); ``TodayModel.set_sections`` shows them.
The state column carries a ``LookKind`` (``LOOK_ROLE``) for the delegate's colour.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from caregiver_app.domain.today_sections import Column, Row, RowKind, Section

__all__ = ["HEADERS", "LOOK_ROLE", "ROW_ROLE", "SECTION_ROLE", "Column", "Row", "RowKind",
           "Section", "TodayModel"]

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the Row (or Section) object
LOOK_ROLE = Qt.ItemDataRole.UserRole + 2  # LookKind value of the state column
SECTION_ROLE = Qt.ItemDataRole.UserRole + 3  # the section's key, on section rows

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the default parent (a call in a default argument is flagged)

HEADERS = ("Time", "Medicine", "Dose", "State", "What to know now")


# ---- The model


class TodayModel(QAbstractItemModel):
    """Sections at the top level, rows under them. Read-only."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._sections: list[Section] = []

    # ---- Public API

    def set_sections(self, sections: list[Section]) -> None:
        self.beginResetModel()
        self._sections = list(sections)
        self.endResetModel()

    def sections(self) -> list[Section]:
        return list(self._sections)

    def rows(self) -> list[Row]:
        return [row for section in self._sections for row in section.rows]

    def row_at(self, index: _Index) -> Row | None:
        item = self._item(index)
        return item if isinstance(item, Row) else None

    def index_of(self, identity: tuple[str, int, str], column: int = 0) -> QModelIndex:
        for s, section in enumerate(self._sections):
            for r, row in enumerate(section.rows):
                if row.identity == identity:
                    return self.index(r, column, self.index(s, 0))
        return QModelIndex()

    def find_dose(self, medicine_id: int, key: str) -> QModelIndex:
        return self.index_of((RowKind.DOSE.value, medicine_id, key))

    def section_index(self, key: str) -> QModelIndex:
        for s, section in enumerate(self._sections):
            if section.key == key:
                return self.index(s, 0)
        return QModelIndex()

    # ---- Qt overrides

    def index(self, row: int, column: int, parent: _Index = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._sections[row])
        section = self._item(parent)
        if not isinstance(section, Section) or parent.column() != 0:
            return QModelIndex()
        return self.createIndex(row, column, section.rows[row])

    def parent(self, index: _Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        item = self._item(index)
        if isinstance(item, Row) and item.section is not None:
            return self.createIndex(self._sections.index(item.section), 0, item.section)
        return QModelIndex()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._sections)
        if parent.column() != 0:
            return 0
        item = self._item(parent)
        return len(item.rows) if isinstance(item, Section) else 0

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return len(HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not index.parent().isValid():
            # a section heading ("Morning"): Up and Down pass over it to the doses, where
            # G, S and Z act (the delegate paints it as it is, not greyed)
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        item = self._item(index)
        if item is None:
            return None
        column = index.column()
        if isinstance(item, Section):
            if role == Qt.ItemDataRole.DisplayRole:
                return item.title if column == 0 else None
            if role in (ROW_ROLE,):
                return item
            if role == SECTION_ROLE:
                return item.key
            if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
                return f"{item.title}: {len(item.rows)} " + (
                    "rows" if len(item.rows) != 1 else "row")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.STATE:
                return item.look.text
            return item.tooltip or item.cells[column] or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return item.accessible if column == 0 else item.cells[column]
        if role == LOOK_ROLE:
            return item.look.kind.value if column == Column.STATE else None
        if role == ROW_ROLE:
            return item
        return None

    # ---- Private

    def _item(self, index: _Index) -> Section | Row | None:
        if not index.isValid():
            return None
        return index.internalPointer()
