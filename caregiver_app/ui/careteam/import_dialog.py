"""Preview of a vCard import: see what was read, choose roles, decide about duplicates.

Nothing is saved here. ``ask`` returns the rows with the caregiver's choices,
and the tab hands them to ``CareTeam.import_rows``, which saves them in one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.phones import format_phone
from caregiver_app.services.vcard import (
    ImportAction,
    ImportedCard,
    ImportRow,
    plan_import,
    without_problems,
)
from caregiver_app.ui.careteam.contact_dialog import ContactDialog
from caregiver_app.ui.forms import ErrorLabel

PREVIEW_COLUMNS = ("Card", "Name", "Role", "What to do", "Check", "Organisation",
                   "Phone numbers", "Email")
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument

_FIELD_NAMES = {"name": "Name", "email": "Email", "portal_url": "Web address",
                "role_other": "Role", "organisation": "Organisation", "address": "Address",
                "notes": "Notes", "office_hours": "Office hours", "phones": "Phones",
                "preferred_contact": "Best way to reach"}


def problem_text(card: ImportedCard) -> str:
    parts = []
    for key, message in card.problems.items():
        if key.startswith("phone_"):
            i = int(key.removeprefix("phone_"))
            number = card.contact.phones[i].number if i < len(card.contact.phones) else ""
            parts.append(f"Phone {number}: {message}")
        else:
            parts.append(f"{_FIELD_NAMES.get(key, key)}: {message}")
    return " ".join(parts)


class ImportPreviewModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[ImportRow], *, region: str | None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._rows = list(rows)
        self._region = region

    # ---- Public API

    def rows(self) -> list[ImportRow]:
        return list(self._rows)

    def row(self, i: int) -> ImportRow:
        return self._rows[i]

    def replace_row(self, i: int, row: ImportRow) -> None:
        self._rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(PREVIEW_COLUMNS) - 1))

    # ---- Qt model interface

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(PREVIEW_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(PREVIEW_COLUMNS):
            return PREVIEW_COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 2:
                return row.contact.role.help
            if index.column() == 4:
                return problem_text(row.card) or row.note()
        if role == Qt.ItemDataRole.FontRole and index.column() == 4 and row.blocked:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # ---- Private

    def _cell(self, row: ImportRow, column: int) -> str:
        c = row.contact
        if column == 0:
            return str(row.card.number)
        if column == 1:
            return c.name or "(no name)"
        if column == 2:
            return c.role_label + (" (guessed)" if row.card.role_guessed
                                   and c.role is not Role.OTHER else "")
        if column == 3:
            return _ACTION_WORDS[row.action]
        if column == 4:
            return self._check(row)
        if column == 5:
            return c.organisation
        if column == 6:
            return "; ".join(f"{p.kind.label}: {format_phone(p, self._region)}"
                             for p in c.phones)
        return c.email

    @staticmethod
    def _check(row: ImportRow) -> str:
        note = row.note()
        if row.blocked:
            return "⚠ Needs fixing: " + problem_text(row.card)
        if note == "New":
            return "✓ New contact" if row.action is not ImportAction.SKIP else "Left out"
        return ("✓ " if row.action is not ImportAction.SKIP else "") + note


_ACTION_WORDS = {ImportAction.ADD: "Add", ImportAction.MERGE: "Merge",
                 ImportAction.SKIP: "Skip"}


class VCardImportDialog(QDialog):
    def __init__(self, cards: Sequence[ImportedCard], *, existing: Sequence[Contact],
                 region: str | None, file_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import contacts")
        self._region = region
        self._result: list[ImportRow] | None = None
        self.model = ImportPreviewModel(plan_import(cards, existing), region=region, parent=self)
        self._build(len(cards), file_name)
        self.model.dataChanged.connect(self._update_import_button)
        self._update_import_button()
        if self.model.rowCount():
            self.table.selectRow(0)

    # ---- Public API

    @classmethod
    def ask(cls, cards: Sequence[ImportedCard], *, existing: Sequence[Contact],
            region: str | None, file_name: str = "", parent: QWidget | None = None
            ) -> list[ImportRow] | None:
        """Show the preview; return the rows with the caregiver's choices, or None."""
        dialog = cls(cards, existing=existing, region=region, file_name=file_name,
                     parent=parent)
        return dialog.result_rows() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def result_rows(self) -> list[ImportRow] | None:
        return self._result

    def select_rows(self, rows: Sequence[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        for r in rows:
            selection.select(self.model.index(r, 0), flags)
        if rows:
            selection.setCurrentIndex(self.model.index(rows[0], 0),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)

    def set_role(self, role: Role) -> None:
        """Give every selected card this role."""
        for i in self._selected():
            row = self.model.row(i)
            contact = replace(row.contact, role=role,
                              role_other=row.contact.role_other if role is Role.OTHER else "")
            card = replace(row.card, contact=contact, role_guessed=False)
            self.model.replace_row(i, replace(row, card=card))
        self.role_help.setText(role.help)

    def set_action(self, action: ImportAction) -> None:
        """What to do with every selected card (merge only where there is a match)."""
        refused = []
        for i in self._selected():
            row = self.model.row(i)
            if action is ImportAction.MERGE and row.match is None:
                refused.append(str(row.card.number))
                continue
            self.model.replace_row(i, replace(row, action=action))
        self.error_label.set_message(
            f"Card {', '.join(refused)}: there is no existing contact to merge into."
            if refused else "")

    def edit_current(self) -> bool:
        """Open the contact form for the current card; True if it was changed."""
        i = self.table.currentIndex().row()
        if i < 0:
            return False
        row = self.model.row(i)
        edited = ContactDialog.ask(row.contact, region=self._region, parent=self)
        if edited is None:
            return False
        card = without_problems(row.card, edited, region=self._region)
        card = replace(card, role_guessed=False)
        action = ImportAction.ADD if row.action is ImportAction.SKIP and not row.match \
            else row.action
        self.model.replace_row(i, replace(row, card=card, action=action))
        self._on_selection_changed()
        return True

    def try_accept(self) -> bool:
        rows = self.model.rows()
        blocked = [i for i, r in enumerate(rows) if r.blocked]
        if blocked:
            row = rows[blocked[0]]
            self.error_label.set_message(
                f"Card {row.card.number} ({row.contact.name or 'no name'}) needs fixing: "
                f"{problem_text(row.card)} Choose Edit details to fix it, or Skip it.")
            self.select_rows([blocked[0]])
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        if all(r.action is ImportAction.SKIP for r in rows):
            self.error_label.set_message("Every card is set to Skip: there is nothing to import.")
            return False
        self._result = rows
        self.accept()
        return True

    # ---- Private

    def _build(self, count: int, file_name: str) -> None:
        source = f" from {file_name}" if file_name else ""
        intro = QLabel(
            f"{count} card{'s' if count != 1 else ''} read{source}. Nothing is saved until "
            "you press Import. Check each contact's role (choose several rows to set them "
            "together). Contacts already in the care team are skipped unless you choose to "
            "merge them.")
        intro.setWordWrap(True)

        self.table = QTableView()
        self.table.setAccessibleName("Cards in the file")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())

        panel = QGridLayout()
        panel.addWidget(QLabel("For the selected cards:"), 0, 0, 1, 4)
        role_label = QLabel("&Role:")
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName("Role for the selected cards")
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
        role_label.setBuddy(self.role_combo)
        self.role_combo.activated.connect(
            lambda _i: self.set_role(Role(self.role_combo.currentData())))
        action_label = QLabel("&What to do:")
        self.action_combo = QComboBox()
        self.action_combo.setAccessibleName("What to do with the selected cards")
        for action in ImportAction:
            self.action_combo.addItem(action.label, action.value)
        action_label.setBuddy(self.action_combo)
        self.action_combo.activated.connect(
            lambda _i: self.set_action(ImportAction(self.action_combo.currentData())))
        self.edit_button = QPushButton("&Edit details…")
        self.edit_button.setAccessibleName("Edit the details of the current card")
        self.edit_button.clicked.connect(self.edit_current)
        panel.addWidget(role_label, 1, 0)
        panel.addWidget(self.role_combo, 1, 1)
        panel.addWidget(action_label, 1, 2)
        panel.addWidget(self.action_combo, 1, 3)
        panel.addWidget(self.edit_button, 1, 4)
        panel.setColumnStretch(1, 1)
        panel.setColumnStretch(3, 1)
        self.role_help = QLabel()
        self.role_help.setWordWrap(True)
        self.role_help.setAccessibleName("What this role does")
        panel.addWidget(self.role_help, 2, 0, 1, 5)

        self.error_label = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("&Import")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(panel)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.height() * 80, metrics.height() * 34)

    def _selected(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def _on_selection_changed(self) -> None:
        rows = self._selected()
        enabled = bool(rows)
        for w in (self.role_combo, self.action_combo, self.edit_button):
            w.setEnabled(enabled)
        if not rows:
            return
        row = self.model.row(rows[0])
        self.role_combo.setCurrentIndex(self.role_combo.findData(row.contact.role.value))
        self.action_combo.setCurrentIndex(self.action_combo.findData(row.action.value))
        self.role_help.setText(row.contact.role.help)

    def _update_import_button(self) -> None:
        count = sum(1 for r in self.model.rows() if r.action is not ImportAction.SKIP)
        self.import_button.setText(f"&Import {count} contact{'s' if count != 1 else ''}")
        self.import_button.setAccessibleName(self.import_button.text().replace("&", ""))
