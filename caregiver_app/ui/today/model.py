"""The Today tab's model: sections (overdue, morning ... night, as needed, also given)
holding one row per dose, as a two-level model for a ``QTreeView``
(``ui.table_model.RecordTreeModel``).

The sections and rows, with all their words, are worked out in the domain
(``domain.today_sections.build_sections``); ``TodayModel.set_sections`` shows them.
The state column carries a ``LookKind`` (``LOOK_ROLE``) for the delegate's colour.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from caregiver_app.domain.today_sections import Column, Row, RowKind, Section
from caregiver_app.ui.table_model import RecordTreeModel, TableColumn

__all__ = ["HEADERS", "LOOK_ROLE", "ROW_ROLE", "SECTION_ROLE", "Column", "Row", "RowKind",
           "Section", "TodayModel"]

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the Row (or Section) object
LOOK_ROLE = Qt.ItemDataRole.UserRole + 2  # LookKind value of the state column
SECTION_ROLE = Qt.ItemDataRole.UserRole + 3  # the section's key, on section rows

_Index = QModelIndex | QPersistentModelIndex

HEADERS = ("Time", "Medicine", "Dose", "State", "What to know now")


# ---- The model


def _cell(column: Column) -> TableColumn:
    """How a dose row reads in ``column``."""
    def tooltip(row: Row) -> str | None:
        return row.look.text if column == Column.STATE else (
            row.tooltip or row.cells[column] or None)

    return TableColumn(
        HEADERS[column], lambda row: row.cells[column], tooltip=tooltip,
        accessible=(lambda row: row.accessible) if column == 0 else None,
        roles={LOOK_ROLE: (lambda row: row.look.kind.value) if column == Column.STATE
               else (lambda _row: None), ROW_ROLE: lambda row: row})


def _spoken_section(section: Section) -> str:
    count = len(section.rows)
    return f"{section.title}: {count} " + ("rows" if count != 1 else "row")


class TodayModel(RecordTreeModel):
    """Sections at the top level, rows under them. Read-only
    (``ui.table_model.RecordTreeModel``)."""

    def __init__(self, parent: QObject | None = None):
        heading = TableColumn("", lambda section: section.title,
                              accessible=_spoken_section)
        super().__init__(
            [_cell(column) for column in Column], members=lambda section: section.rows,
            group_column=heading,
            group_roles={ROW_ROLE: lambda section: section,
                         SECTION_ROLE: lambda section: section.key},
            # a section heading ("Morning"): Up and Down pass over it to the doses, where
            # G, S and Z act (the delegate paints it as it is, not greyed)
            group_flags=Qt.ItemFlag.NoItemFlags, parent=parent)

    # ---- Public API

    def set_sections(self, sections: list[Section]) -> None:
        self.set_groups(sections)

    def sections(self) -> list[Section]:
        return self.groups()

    def rows(self) -> list[Row]:
        return self.records()

    def row_at(self, index: _Index) -> Row | None:
        return self.record_at(index)

    def index_of(self, identity: tuple[str, int, str], column: int = 0) -> QModelIndex:
        return self.index_where(lambda row: row.identity == identity, column)

    def find_dose(self, medicine_id: int, key: str) -> QModelIndex:
        return self.index_of((RowKind.DOSE.value, medicine_id, key))

    def section_index(self, key: str) -> QModelIndex:
        return self.group_index_where(lambda section: section.key == key)
