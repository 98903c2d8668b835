"""The care team as a two-level tree: groups ("Call first", then each role) and their contacts.

``ContactFilterProxy`` filters it by the search box (name, role, organisation,
phone digits); a group stays visible while any of its contacts match.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
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
from caregiver_app.ui.table_model import RecordTreeModel, TableColumn

CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The ``Contact`` of a contact row (None for a group row)."""
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_TITLE_ROLE = Qt.ItemDataRole.UserRole + 3
"""The title of the group a row is, or is in."""

COLUMNS = ("Name", "Role", "Organisation", "Phone")
_Index = QModelIndex | QPersistentModelIndex
_ROLE_BY_LABEL = {r.label: r for r in Role}


def group_label(title: str, count: int | None) -> str:
    """"★ Call first (2)", "Neurologist (1)": the star marks the call-first group."""
    label = f"★ {title}" if title == CALL_FIRST_TITLE else title
    return label if count is None else f"{label} ({count})"


class ContactTreeModel(RecordTreeModel):
    """Read-only tree: a group row per role ("Call first" on top), its contacts under it
    (``ui.table_model.RecordTreeModel``)."""

    def __init__(self, parent: QObject | None = None):
        self._region: str | None = None
        self._counts = True
        title = _title
        bold = QFont()
        bold.setBold(True)
        same = {CONTACT_ROLE: lambda c: c, CONTACT_ID_ROLE: lambda c: c.id}
        columns = [
            TableColumn(COLUMNS[0], lambda c: c.name, tooltip=lambda c: c.name or None,
                        accessible=self._spoken, roles=same),
            TableColumn(COLUMNS[1], lambda c: c.role_label, tooltip=lambda c: c.role.help,
                        roles=same),
            TableColumn(COLUMNS[2], lambda c: c.organisation,
                        tooltip=lambda c: c.organisation or None, roles=same),
            TableColumn(COLUMNS[3], self._phone, roles=same),
        ]
        group = TableColumn(
            "", lambda g: group_label(title(g), len(g[1]) if self._counts else None),
            accessible=lambda g: f"Group: {title(g)}, {len(g[1])} contact"
                                 + ("" if len(g[1]) == 1 else "s"),
            tooltip=_group_tip, roles={Qt.ItemDataRole.FontRole: lambda _g: QFont(bold)})
        none = lambda _g: None  # noqa: E731
        super().__init__(columns, members=lambda g: g[1], group_column=group,
                         group_roles={GROUP_TITLE_ROLE: title, CONTACT_ROLE: none,
                                      CONTACT_ID_ROLE: none},
                         parent=parent)

    # ---- Public API

    def set_contacts(self, contacts: Sequence[Contact], *, region: str | None) -> None:
        self._region = region
        self.set_groups(group_by_role(contacts))

    def region(self) -> str | None:
        return self._region

    def set_counts_shown(self, shown: bool) -> None:
        """Show how many contacts each group has (hidden while a search leaves out some)."""
        changed = shown != self._counts
        self._counts = shown
        if changed:
            self.refresh_groups([Qt.ItemDataRole.DisplayRole])

    def index_of(self, contact_id: int) -> QModelIndex:
        return self.index_where(lambda c: c.id == contact_id)

    def group_index(self, title: str) -> QModelIndex:
        return self.group_index_where(lambda g: g[0] == title)

    def contact_at(self, index: _Index) -> Contact | None:
        """The contact of a row of this model (None for a group row).

        Python code asks here rather than through ``index.data(CONTACT_ROLE)``: with
        PySide 6.12 on Python 3.11, every ``None`` that comes back from a QVariant
        is one reference short, and enough of them crash the app.
        """
        return self.record_at(index)

    def group_title_at(self, index: _Index) -> str:
        """The title of the group a row is, or is in ("" for no row)."""
        group = self.group_at(index)
        return group[0] if group is not None else ""

    def contact_count(self) -> int:
        return len(self.records())

    @staticmethod
    def role_of_group(title: str) -> Role | None:
        return _ROLE_BY_LABEL.get(title)

    # ---- Qt overrides

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == GROUP_TITLE_ROLE and index.isValid() and index.internalId() != 0:
            return self.group_title_at(index)  # a contact row: its group's title
        return super().data(index, role)

    # ---- Private

    def _phone(self, contact: Contact) -> str:
        phones = contact.callable_phones() or contact.phones
        return format_phone(phones[0], self._region) if phones else ""

    def _spoken(self, contact: Contact) -> str:
        """The whole row in one sentence, for a screen reader on its first cell."""
        parts = [contact.name, contact.role_label]
        if contact.emergency:
            parts.append("call first")
        if contact.organisation:
            parts.append(contact.organisation)
        phone = self._phone(contact)
        if phone:
            parts.append(f"phone {phone}")
        return ", ".join(parts)


def _title(group: tuple[str, list[Contact]]) -> str:
    return group[0]


def _group_tip(group: tuple[str, list[Contact]]) -> str | None:
    if group[0] == CALL_FIRST_TITLE:
        return "Contacts marked \"call first\": emergency and after-hours help."
    found = _ROLE_BY_LABEL.get(group[0])
    return found.help if found else None


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
