"""The care team as a two-level tree: groups ("Call first", then each role) and their contacts.

``ContactFilterProxy`` filters it by the search box (name, role, organisation,
phone digits); a group stays visible while any of its contacts match.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from caregiver_app.domain.contacts import (
    CALL_FIRST_TITLE,
    Contact,
    Role,
    contact_matches,
    group_by_role,
)
from caregiver_app.domain.phones import format_phone

CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The ``Contact`` of a contact row (None for a group row)."""
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_TITLE_ROLE = Qt.ItemDataRole.UserRole + 3
"""The title of the group a row is, or is in."""

COLUMNS = ("Name", "Role", "Organisation", "Phone")
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument
_ROLE_BY_LABEL = {r.label: r for r in Role}


def group_label(title: str, count: int | None) -> str:
    """"★ Call first (2)", "Neurologist (1)": the star marks the call-first group."""
    label = f"★ {title}" if title == CALL_FIRST_TITLE else title
    return label if count is None else f"{label} ({count})"


class ContactTreeModel(QAbstractItemModel):
    """Read-only tree. Group rows have internal id 0; contact rows carry their group's row + 1."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._groups: list[tuple[str, list[Contact]]] = []
        self._region: str | None = None
        self._counts = True

    # ---- Public API

    def set_contacts(self, contacts: Sequence[Contact], *, region: str | None) -> None:
        self.beginResetModel()
        self._region = region
        self._groups = group_by_role(contacts)
        self.endResetModel()

    def region(self) -> str | None:
        return self._region

    def set_counts_shown(self, shown: bool) -> None:
        """Show how many contacts each group has (hidden while a search leaves out some)."""
        if shown != self._counts and self._groups:
            self._counts = shown
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._groups) - 1, 0),
                                  [Qt.ItemDataRole.DisplayRole])
        self._counts = shown

    def index_of(self, contact_id: int) -> QModelIndex:
        for g, (_title, members) in enumerate(self._groups):
            for r, c in enumerate(members):
                if c.id == contact_id:
                    return self.index(r, 0, self.index(g, 0))
        return QModelIndex()

    def group_index(self, title: str) -> QModelIndex:
        for g, (group_title, _members) in enumerate(self._groups):
            if group_title == title:
                return self.index(g, 0)
        return QModelIndex()

    def contact_at(self, index: _Index) -> Contact | None:
        """The contact of a row of this model (None for a group row).

        Python code asks here rather than through ``index.data(CONTACT_ROLE)``: with
        PySide 6.12 on Python 3.11, every ``None`` that comes back from a QVariant
        is one reference short, and enough of them crash the app.
        """
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def group_title_at(self, index: _Index) -> str:
        """The title of the group a row is, or is in ("" for no row)."""
        if not index.isValid():
            return ""
        group = index.row() if index.internalId() == 0 else index.internalId() - 1
        return self._groups[group][0]

    def contact_count(self) -> int:
        return sum(len(m) for _t, m in self._groups)

    @staticmethod
    def role_of_group(title: str) -> Role | None:
        return _ROLE_BY_LABEL.get(title)

    # ---- Qt model interface

    def index(self, row: int, column: int, parent: _Index = _ROOT) -> QModelIndex:
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
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(index, role)
        title, members = self._groups[index.internalId() - 1]
        contact = members[index.row()]
        column = index.column()
        if role == CONTACT_ROLE:
            return contact
        if role == CONTACT_ID_ROLE:
            return contact.id
        if role == GROUP_TITLE_ROLE:
            return title
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(contact, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [contact.name, contact.role_label]
            if contact.emergency:
                parts.append("call first")
            if contact.organisation:
                parts.append(contact.organisation)
            phone = self._cell(contact, 3)
            if phone:
                parts.append(f"phone {phone}")
            return ", ".join(parts) if column == 0 else self._cell(contact, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return contact.role.help
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 2):  # may be cut short
            return (contact.name if column == 0 else contact.organisation) or None
        return None

    # ---- Private

    def _group_data(self, index: _Index, role: int):
        title, members = self._groups[index.row()]
        if role == GROUP_TITLE_ROLE:
            return title
        if role in (CONTACT_ROLE, CONTACT_ID_ROLE):
            return None
        if index.column() != 0:
            return None
        emergency = title == CALL_FIRST_TITLE
        if role == Qt.ItemDataRole.DisplayRole:
            return group_label(title, len(members) if self._counts else None)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            count = f"{len(members)} contact" + ("" if len(members) == 1 else "s")
            return f"Group: {title}, {count}"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            found = self.role_of_group(title)
            if emergency:
                return "Contacts marked \"call first\": emergency and after-hours help."
            return found.help if found else None
        return None

    def _cell(self, contact: Contact, column: int) -> str:
        if column == 0:
            return contact.name
        if column == 1:
            return contact.role_label
        if column == 2:
            return contact.organisation
        phones = contact.callable_phones() or contact.phones
        return format_phone(phones[0], self._region) if phones else ""


class ContactFilterProxy(QSortFilterProxyModel):
    """Shows the contacts matching every word of the search, and their groups."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._query = ""
        self.setRecursiveFilteringEnabled(True)

    # ---- Public API

    def set_query(self, text: str) -> None:
        text = " ".join(text.split())
        if text == self._query:
            return
        self.beginFilterChange()
        self._query = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def query(self) -> str:
        return self._query

    # ---- Qt overrides

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._query:
            return True
        if not source_parent.isValid():
            return False  # a group shows when one of its contacts matches
        model = self.sourceModel()
        if not isinstance(model, ContactTreeModel):
            return True
        contact = model.contact_at(model.index(source_row, 0, source_parent))
        return contact is not None and contact_matches(contact, self._query,
                                                       region=model.region())
