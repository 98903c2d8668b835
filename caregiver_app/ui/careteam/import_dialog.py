"""Preview of a vCard import: see what was read, choose roles, decide about duplicates.

Nothing is saved here. ``ask`` returns the rows with the caregiver's choices,
and the tab hands them to ``CareTeam.import_rows``, which saves them in one
transaction. Below the table, the details of the current card list every field
that will be saved (for a merge: the contact as it will be afterwards), and
what goes into the notes.

The rows come already planned (``plan_import`` runs with the file reading, off
the GUI thread); every change here touches each row once, so a phone's whole
address book stays quick to work with.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import (
    QItemSelectionModel,
    QObject,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.contacts import Contact, PreferredContact, Role
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.phones import format_phone
from caregiver_app.services.vcard import (
    FIELD_NAMES,
    ImportAction,
    ImportedCard,
    ImportRow,
    check_merges,
    merged_contact,
    plan_import,
    without_problems,
)
from caregiver_app.services.vcard import (
    problem_text as row_problem_text,
)
from caregiver_app.ui.careteam.contact_dialog import ContactDialog
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.table_model import RecordTableModel, TableColumn

PREVIEW_COLUMNS = ("Card", "Name", "Role", "What to do", "Check", "Organisation",
                   "Phone numbers", "Email")
CHECK_COLUMN = 4
CHECK_COLUMN_CHARS = 32  # the Check column's width: the whole text is in the details
MAX_COLUMN_CHARS = 30  # other columns: the details panel has the whole text

_FIELD_NAMES = FIELD_NAMES
# Lines ``read_vcards`` adds to the notes for what has no field of its own.
_NOTE_EXTRAS = ("Other email: ", "Website: ")


def problem_text(card: ImportedCard) -> str:
    """The problems of a card as read (before any merge), in plain words."""
    return row_problem_text(ImportRow(card, ImportAction.ADD))


class ImportPreviewModel(RecordTableModel):
    def __init__(self, rows: Sequence[ImportRow], *, region: str | None,
                 parent: QObject | None = None):
        self._region = region
        bold = QFont()
        bold.setBold(True)

        def column(number: int) -> TableColumn:
            def text(row: ImportRow) -> str:
                return self._cell(row, number)

            if number == 2:
                tooltip = _role_help
            elif number == CHECK_COLUMN:
                tooltip = self._check
            else:
                def tooltip(row: ImportRow) -> str | None:
                    return text(row) or None
            roles: dict[int, Callable[[ImportRow], object]] = {}
            if number == CHECK_COLUMN:
                roles[Qt.ItemDataRole.FontRole] = (
                    lambda row: bold if row.blocked or row.card.unreadable else None)
            return TableColumn(PREVIEW_COLUMNS[number], text, tooltip=tooltip, roles=roles)

        super().__init__([column(n) for n in range(len(PREVIEW_COLUMNS))], rows,
                         parent=parent)

    # ---- Public API

    def rows(self) -> list[ImportRow]:
        return self.records()

    def row(self, i: int) -> ImportRow:
        return self.record(i)

    def set_rows(self, rows: Sequence[ImportRow]) -> None:
        """Every row at once (the same cards, new choices): one change signal."""
        try:
            self.update_records(rows)
        except ValueError:
            raise ValueError("set_rows keeps the same cards") from None

    def check_text(self, row: ImportRow) -> str:
        """The whole of the Check column's text for ``row``."""
        return self._check(row)

    # ---- Private

    def _cell(self, row: ImportRow, column: int) -> str:
        c = row.contact
        if column == 0:
            return str(row.card.number) if row.card.number else "–"
        if column == 1:
            if not row.card.number:
                return "(text outside any card)"
            return c.name or ("(name cannot be read)" if row.card.unreadable else "(no name)")
        if column == 2:
            return c.role_label + (" (guessed)" if row.card.role_guessed
                                   and c.role is not Role.OTHER else "")
        if column == 3:
            return _ACTION_WORDS[row.action]
        if column == CHECK_COLUMN:
            return self._check(row)
        if column == 5:
            return c.organisation
        if column == 6:
            return "; ".join(f"{p.kind.label}: {format_phone(p, self._region)}"
                             for p in c.phones)
        return c.email

    def _check(self, row: ImportRow) -> str:
        note = row.note()
        if row.card.unreadable:
            return "⚠ " + note
        if row.blocked:
            return "⚠ Needs fixing: " + row_problem_text(row, region=self._region)
        if note == "New":
            text = "✓ New contact" if row.action is not ImportAction.SKIP else "Left out"
        else:
            text = ("✓ " if row.action is not ImportAction.SKIP else "") + note
        if row.card.warnings and row.action is not ImportAction.SKIP:
            text += " · " + "; ".join(w.short for w in row.card.warnings)
        return text


def _role_help(row: ImportRow) -> str:
    return row.contact.role.help


_ACTION_WORDS = {ImportAction.ADD: "Add", ImportAction.MERGE: "Merge",
                 ImportAction.SKIP: "Skip"}


def _unreadable_message(cards: Sequence[ImportedCard]) -> str:
    numbered = [str(c.number) for c in cards if c.number]
    if not numbered:
        return "Lines outside any card hold no contact to import."
    return (f"Card {', '.join(numbered)} cannot be read, so "
            f"{'it' if len(numbered) == 1 else 'they'} cannot be imported: the details "
            "below say why.")


def card_details_html(row: ImportRow, saved: Contact | None, check: str, *,
                      region: str | None) -> str:
    """Every field that will be saved for ``row`` (``saved``: the merged contact, for a
    merge), as simple HTML for the details panel. All text is escaped."""
    e = html.escape
    contact = saved or row.contact
    name = row.contact.name or "(no name)"
    if row.card.unreadable:
        return unreadable_details_html(row)
    parts = [f"<p><b>Card {row.card.number}: {e(name)}</b> (line {row.card.line} of the "
             "file)</p>"]
    if row.action is ImportAction.SKIP:
        parts.append("<p>Skipped: nothing from this card is saved. Choose <i>Add</i> or "
                     "<i>Merge</i> below to import it.</p>")
    elif row.action is ImportAction.MERGE and row.match is not None:
        parts.append(f"<p>Merged into “{e(row.match.existing.name)}”. This is the contact "
                     "as it will be saved: what was already recorded is kept, and this "
                     "card's new numbers, empty fields and notes are added.</p>")
    else:
        parts.append("<p>Added as a new contact with these details:</p>")
        if row.match is not None:
            parts.append(f"<p>“{e(row.match.existing.name)}” on the care team may be the same "
                         "person. To add this card's numbers and details to that contact "
                         "instead, choose <i>Merge into existing contact</i> below.</p>")
    parts.append(f"<p><b>Check:</b> {e(check)}</p>")
    for warning in row.card.warnings:
        parts.append(f"<p>⚠ {e(warning.text)}</p>")

    fields: list[tuple[str, str]] = [("Name", contact.name), ("Role", contact.role_label),
                                     ("Organisation", contact.organisation)]
    fields += [(f"{p.kind.label} number", format_phone(p, region)) for p in contact.phones]
    fields += [("Email", contact.email), ("Address", contact.address),
               ("Patient portal", contact.portal_url), ("Office hours", contact.office_hours),
               ("Best way to reach", contact.preferred_contact.label
                if contact.preferred_contact is not PreferredContact.ANY else ""),
               ("Call first", "Yes" if contact.emergency else ""),
               ("Notes", contact.notes)]
    rows = "".join(
        f"<tr><td valign='top' style='padding-right:12px'><b>{e(label)}:</b></td>"
        f"<td>{e(value).replace(chr(10), '<br>')}</td></tr>"
        for label, value in fields if value)
    parts.append(f"<table cellspacing='2'>{rows}</table>")
    extras = [line for line in contact.notes.splitlines() if line.startswith(_NOTE_EXTRAS)]
    if extras:
        parts.append("<p>The care team has one email address and one patient portal for "
                     "each contact: the other email addresses and web addresses on this card "
                     "are kept at the end of the notes.</p>")
    if row.card.left_out:
        parts.append(f"<p>Not imported from this card (the care team has no place for "
                     f"{'it' if len(row.card.left_out) == 1 else 'them'}): "
                     f"{e(', '.join(row.card.left_out))}.</p>")
    if row.card.role_guessed and contact.role is not Role.OTHER:
        parts.append("<p>The role was guessed from the card's job title, credentials, "
                     "organisation or notes: choose another below if it is wrong.</p>")
    return "".join(parts)


def unreadable_details_html(row: ImportRow) -> str:
    """What the details panel says about a card that cannot be read (or lines outside
    any card): where, why, and that the other cards are not held up by it."""
    e = html.escape
    card = row.card
    if not card.number:
        return (f"<p><b>Lines outside any card</b></p><p>{e(card.unreadable_text)}</p>"
                "<p>A contact card runs from BEGIN:VCARD to END:VCARD; these lines are not "
                "part of one, so nothing in them is imported. The cards of the file are "
                "read as usual.</p>")
    name = f": {e(card.contact.name)}" if card.contact.name else ""
    return (f"<p><b>Card {card.number}{name}</b> (line {card.line} of the file)</p>"
            f"<p>⚠ This card cannot be read, so it is left out. {e(card.unreadable_text)}"
            "</p><p>The other cards can still be imported. To import this one too, save it "
            "from the phone or program again, or add the person with Add contact.</p>")


class VCardImportDialog(SavingDialog):
    """The preview: Import returns the rows with the caregiver's choices
    (``result_value()``; ``ask`` returns them, or None when cancelled); a card that
    still needs fixing, or nothing to import, is said below the table and the dialog
    stays open. The tab saves the rows (``CareTeam.import_rows``)."""

    def __init__(self, cards: Sequence[ImportedCard], *, existing: Sequence[Contact],
                 region: str | None, file_name: str = "",
                 rows: Sequence[ImportRow] | None = None, parent: QWidget | None = None):
        """``rows``: the plan already made (``plan_import``); made here when not given."""
        super().__init__(parent)
        self.setWindowTitle("Import contacts")
        self._region = region
        planned = list(rows) if rows is not None else plan_import(cards, existing)
        self.model = ImportPreviewModel(check_merges(planned, region=region), region=region,
                                        parent=self)
        self._build(cards, file_name)
        self.model.dataChanged.connect(self._update_import_button)
        self._update_import_button()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_details()

    # ---- Public API

    def result_rows(self) -> list[ImportRow] | None:
        """The rows to import once Import was pressed (None until then)."""
        return self.result_value()  # type: ignore[return-value]

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
        self._show_details()

    def set_role(self, role: Role) -> None:
        """Give every selected card this role."""
        rows = self.model.rows()
        for i in self._selected():
            row = rows[i]
            if row.card.unreadable:
                continue
            if row.contact.role is role and role is not Role.OTHER \
                    and not row.card.role_guessed:
                continue  # already so: a whole address book stays quick
            contact = replace(row.contact, role=role,
                              role_other=row.contact.role_other if role is Role.OTHER else "")
            rows[i] = replace(row, card=replace(row.card, contact=contact, role_guessed=False))
        self._set_rows(rows)
        self.role_help.setText(role.help)

    def set_action(self, action: ImportAction) -> None:
        """What to do with every selected card (merge only where there is a match)."""
        refused = []
        unreadable = []
        rows = self.model.rows()
        for i in self._selected():
            if rows[i].card.unreadable:
                if action is not ImportAction.SKIP:
                    unreadable.append(rows[i].card)
                continue
            if action is ImportAction.MERGE and rows[i].match is None:
                refused.append(str(rows[i].card.number))
                continue
            rows[i] = replace(rows[i], action=action)
        self._set_rows(rows)
        messages = []
        if refused:
            messages.append(f"Card {', '.join(refused)}: there is no existing contact to "
                            "merge into.")
        if unreadable:
            messages.append(_unreadable_message(unreadable))
        self.error_label.set_message(" ".join(messages))

    def edit_current(self) -> bool:
        """Open the contact form for the current card; True if it was changed."""
        i = self.table.currentIndex().row()
        if i < 0:
            return False
        row = self.model.row(i)
        if row.card.unreadable:
            self.error_label.set_message(_unreadable_message([row.card]))
            return False
        edited = ContactDialog.ask(row.contact, region=self._region, parent=self)
        if edited is None:
            return False
        card = without_problems(row.card, edited, region=self._region)
        card = replace(card, role_guessed=False)
        action = ImportAction.ADD if row.action is ImportAction.SKIP and not row.match \
            else row.action
        rows = self.model.rows()
        rows[i] = replace(row, card=card, action=action)
        self._set_rows(rows)
        self._on_selection_changed()
        return True

    def details_text(self) -> str:
        """What the details panel says now, as plain text."""
        return self.details.toPlainText()

    def save_form(self) -> list[ImportRow]:
        """Import: the rows with their choices, unless a card still needs fixing (it is
        selected) or every card is skipped."""
        rows = self.model.rows()
        blocked = [i for i, r in enumerate(rows) if r.blocked]
        if blocked:
            row = rows[blocked[0]]
            self.select_rows([blocked[0]])
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            raise ValidationError({"cards": (
                f"Card {row.card.number} ({row.contact.name or 'no name'}) needs fixing: "
                f"{row_problem_text(row, region=self._region)} Choose Edit details to fix it, "
                "or Skip it.")})
        if all(r.action is ImportAction.SKIP for r in rows):
            raise ValidationError({"cards": "Every card is set to Skip: there is nothing to "
                                            "import."})
        return rows

    # ---- Private

    def _set_rows(self, rows: list[ImportRow]) -> None:
        """New choices for the rows: merges are checked again, then shown."""
        self.model.set_rows(check_merges(rows, region=self._region))
        self._show_details()

    def _build(self, cards: Sequence[ImportedCard], file_name: str) -> None:
        count = sum(1 for c in cards if c.number)
        unreadable = sum(1 for c in cards if c.number and c.unreadable)
        source = f" in {file_name}" if file_name else ""
        lines = [f"{count:,} card{'s' if count != 1 else ''}{source}."]
        if unreadable:
            lines.append(
                f"{unreadable:,} cannot be read and {'is' if unreadable == 1 else 'are'} "
                "marked ⚠ in the table: the others can be imported.")
        elif any(not c.number for c in cards):
            lines.append("Some lines are outside any card and are marked ⚠ in the table.")
        lines.append(
            "Nothing is saved until you press Import. Check each contact's role (choose "
            "several rows to set them together). Contacts already in the care team are "
            "skipped unless you choose to merge them. Below the table: everything that "
            "will be saved for the current card.")
        intro = QLabel(" ".join(lines))
        intro.setWordWrap(True)
        self.intro = intro

        self.table = QTableView()
        self.table.setAccessibleName("Cards in the file")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        # Sized once from the first rows, not on every change: a whole address book
        # would otherwise be measured again after each choice.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(200)
        header.setStretchLastSection(True)
        width = self.table.fontMetrics().averageCharWidth()
        for column in range(len(PREVIEW_COLUMNS)):
            if column == CHECK_COLUMN:
                header.resizeSection(column, width * CHECK_COLUMN_CHARS)
                continue
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column),
                                             width * MAX_COLUMN_CHARS))
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._show_details())
        self.table.doubleClicked.connect(lambda _i: self.edit_current())

        self.details = QTextBrowser()
        self.details.setAccessibleName("What will be saved for the current card")
        self.details.setOpenLinks(False)
        self.details.setOpenExternalLinks(False)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)

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
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.errors.set_general(self.error_label)  # (a save's message goes below the table)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addLayout(panel)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.table, self.details)
        QWidget.setTabOrder(self.details, self.role_combo)
        metrics = self.fontMetrics()
        self.resize(metrics.height() * 80, metrics.height() * 44)

    def _selected(self) -> list[int]:
        """The selected rows, from the selection's ranges (``selectedRows`` asks the
        model about every cell: seconds for a whole address book)."""
        rows: set[int] = set()
        for span in self.table.selectionModel().selection():
            rows.update(range(span.top(), span.bottom() + 1))
        return sorted(rows)

    def _on_selection_changed(self) -> None:
        rows = [i for i in self._selected() if not self.model.row(i).card.unreadable]
        enabled = bool(rows)  # a card that cannot be read has nothing to choose
        for w in (self.role_combo, self.action_combo, self.edit_button):
            w.setEnabled(enabled)
        self._show_details()
        if not rows:
            return
        row = self.model.row(rows[0])
        self.role_combo.setCurrentIndex(self.role_combo.findData(row.contact.role.value))
        self.action_combo.setCurrentIndex(self.action_combo.findData(row.action.value))
        self.role_help.setText(row.contact.role.help)

    def _show_details(self) -> None:
        if not hasattr(self, "details"):
            return
        i = self.table.currentIndex().row()
        if not 0 <= i < self.model.rowCount():
            self.details.setPlainText("Choose a card in the table to see what will be saved.")
            return
        rows = self.model.rows()
        row = rows[i]
        saved = merged_contact(rows, i)
        self.details.setHtml(card_details_html(row, saved, self.model.check_text(row),
                                               region=self._region))

    def _update_import_button(self) -> None:
        count = sum(1 for r in self.model.rows() if r.action is not ImportAction.SKIP)
        self.import_button.setText(f"&Import {count} contact{'s' if count != 1 else ''}")
        self.import_button.setAccessibleName(self.import_button.text().replace("&", ""))
