"""Add or edit one care-team contact.

Every field is checked by ``validate_contact`` when Save is pressed; a problem
is explained under its field (each phone number has its own line) and nothing
is returned until all are fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.contacts import (
    MAX_PHONES,
    Contact,
    PreferredContact,
    Role,
    validate_contact,
)
from caregiver_app.domain.phones import (
    Phone,
    PhoneError,
    PhoneKind,
    example_number,
    format_phone,
    parse_phone,
)
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog


class PhoneRow:
    """The widgets of one phone number: its kind, the number, Remove, and its error line."""

    def __init__(self, parent: QWidget, region: str | None):
        self._region = region
        self.kind_combo = QComboBox(parent)
        for kind in PhoneKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.number_edit = QLineEdit(parent)
        self.number_edit.setPlaceholderText(f"for example {example_number(region)}")
        self.number_edit.editingFinished.connect(self._tidy)
        self.remove_button = QPushButton("Remove", parent)
        self.error = ErrorLabel(parent)
        self.message = ""
        self.set_position(0)

    def set_position(self, i: int) -> None:
        self.kind_combo.setAccessibleName(f"Kind of phone number {i + 1}")
        self.number_edit.setAccessibleName(f"Phone number {i + 1}")
        self.remove_button.setAccessibleName(f"Remove phone number {i + 1}")

    def load(self, phone: Phone) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(phone.kind.value), 0))
        self.number_edit.setText(format_phone(phone, self._region))

    def phone(self) -> Phone:
        return Phone(PhoneKind(self.kind_combo.currentData()), self.number_edit.text())

    def is_blank(self) -> bool:
        return not self.number_edit.text().strip()

    def show_error(self, message: str) -> None:
        self.message = message
        self.error.set_message(message)
        self.number_edit.setAccessibleDescription(message)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.kind_combo, self.number_edit, self.remove_button, self.error)

    def _tidy(self) -> None:
        """Show a readable number as soon as it is typed; leave it alone if it does not read."""
        try:
            number, extension = parse_phone(self.number_edit.text(), self._region)
        except PhoneError:
            return
        kind = PhoneKind(self.kind_combo.currentData())
        self.number_edit.setText(format_phone(Phone(kind, number, extension), self._region))


class ContactDialog(SavingDialog):
    not_saved = "This contact was not saved"

    def __init__(self, contact: Contact | None = None, *, region: str | None,
                 save: Callable[[Contact], Contact] | None = None,
                 parent: QWidget | None = None):
        """``save``: store the checked contact and return it as saved; when it refuses
        (a full disk) the dialog stays open with what was typed and says why."""
        super().__init__(parent)
        self.setWindowTitle("Edit contact" if contact and contact.id else "New contact")
        self._original = contact
        self._region = region
        self._save = save
        self.phone_rows: list[PhoneRow] = []
        self._build()
        self._load(contact or Contact(name=""))

    # ---- Public API

    # ``ask(contact, region=, save=, parent=)`` (``SavingDialog``): the checked (and,
    # with ``save``, saved) contact, or None if cancelled.

    def add_phone_row(self, phone: Phone | None = None) -> PhoneRow:
        row = PhoneRow(self._phones_box, self._region)
        row.remove_button.clicked.connect(lambda: self._remove_phone_row(row))
        if phone is not None:
            row.load(phone)
        elif self.phone_rows:
            row.kind_combo.setCurrentIndex(row.kind_combo.findData(PhoneKind.MOBILE.value))
        self.phone_rows.append(row)
        self._layout_phone_rows()
        return row

    def error_text(self, field_name: str) -> str:
        """The message shown for a field now ("" if none), phone rows included."""
        if field_name.startswith("phone_"):
            i = int(field_name.removeprefix("phone_"))
            filled = [r for r in self.phone_rows if not r.is_blank()]
            return filled[i].message if i < len(filled) else ""
        return self.errors.message(field_name)

    def save_form(self) -> Contact:
        """Check every field (``validate_contact``), then save through ``save``."""
        contact = validate_contact(self._candidate(), region=self._region)
        return self._save(contact) if self._save is not None else contact

    # ---- Private

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("Person or place, for example Dr. Ada Lee")
        self._row(form, "&Name:", "name", self.name_edit)

        role_box = QWidget()
        role_layout = QVBoxLayout(role_box)
        role_layout.setContentsMargins(0, 0, 0, 0)
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName("Role")
        self.role_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.role_combo.setMinimumContentsLength(20)
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
            self.role_combo.setItemData(self.role_combo.count() - 1, role.help,
                                        Qt.ItemDataRole.ToolTipRole)
        self.role_combo.currentIndexChanged.connect(self._on_role_changed)
        self.role_other_edit = QLineEdit()
        self.role_other_edit.setAccessibleName("Their role, in your words")
        self.role_other_edit.setPlaceholderText("Their role, for example: wheelchair clinic")
        self.role_help = QLabel()
        self.role_help.setWordWrap(True)
        self.role_help.setAccessibleName("What this role does")
        self.role_help.setTextFormat(Qt.TextFormat.PlainText)
        italic = self.role_help.font()
        italic.setItalic(True)
        self.role_help.setFont(italic)
        role_layout.addWidget(self.role_combo)
        role_layout.addWidget(self.role_other_edit)
        role_layout.addWidget(self.role_help)
        box, label = with_error(role_box)
        role_label = QLabel("&Role:")
        role_label.setBuddy(self.role_combo)
        form.addRow(role_label, box)
        self.errors.add("role_other", self.role_other_edit, label)

        self.organisation_edit = QLineEdit()
        self.organisation_edit.setAccessibleName("Organisation or clinic")
        self._row(form, "&Organisation / clinic:", "organisation", self.organisation_edit)

        form.addRow("Phone numbers:", self._build_phones())

        self.email_edit = QLineEdit()
        self.email_edit.setAccessibleName("Email")
        self._row(form, "&Email:", "email", self.email_edit)

        self.address_edit = QPlainTextEdit()
        self.address_edit.setAccessibleName("Address")
        self.address_edit.setTabChangesFocus(True)
        self._fit_lines(self.address_edit, 3)
        self._row(form, "&Address:", "address", self.address_edit)

        self.portal_edit = QLineEdit()
        self.portal_edit.setAccessibleName("Patient portal web address")
        self.portal_edit.setPlaceholderText("for example https://mychart.example.org")
        self._row(form, "Patient &portal:", "portal_url", self.portal_edit)

        self.office_hours_edit = QLineEdit()
        self.office_hours_edit.setAccessibleName("Office hours")
        self.office_hours_edit.setPlaceholderText("for example Mon–Fri 8:30–4:30")
        self._row(form, "Office ho&urs:", "office_hours", self.office_hours_edit)

        self.preferred_combo = QComboBox()
        self.preferred_combo.setAccessibleName("Best way to reach them")
        for way in PreferredContact:
            self.preferred_combo.addItem(way.label, way.value)
        self._row(form, "&Best way to reach:", "preferred_contact", self.preferred_combo)

        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes: who to call for what")
        self.notes_edit.setPlaceholderText("Who to call for what, for example: refills, "
                                           "equipment problems, questions about the BiPAP")
        self.notes_edit.setTabChangesFocus(True)
        self._fit_lines(self.notes_edit, 4)
        self._row(form, "No&tes:", "notes", self.notes_edit)

        emergency_box = QWidget()
        emergency_layout = QVBoxLayout(emergency_box)
        emergency_layout.setContentsMargins(0, 0, 0, 0)
        self.emergency_check = QCheckBox("Call &first")
        self.emergency_check.setAccessibleName("Call first")
        hint = ("An emergency or after-hours contact: shown at the top of the list and "
                "printed first on the care-team sheet.")
        self.emergency_check.setAccessibleDescription(hint)
        emergency_hint = QLabel(hint)
        emergency_hint.setWordWrap(True)
        emergency_layout.addWidget(self.emergency_check)
        emergency_layout.addWidget(emergency_hint)
        form.addRow("", emergency_box)

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)

        self.general_error = ErrorLabel()
        self.errors.set_general(self.general_error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        line = self.fontMetrics().height()
        self.resize(line * 42, line * 46)

    def _row(self, form: QFormLayout, text: str, name: str, widget: QWidget) -> None:
        box, label = with_error(widget)
        caption = QLabel(text)
        caption.setBuddy(widget)
        form.addRow(caption, box)
        self.errors.add(name, widget, label)

    def _build_phones(self) -> QWidget:
        self._phones_box = QWidget()
        outer = QVBoxLayout(self._phones_box)
        outer.setContentsMargins(0, 0, 0, 0)
        self._phones_grid = QGridLayout()
        self._phones_grid.setContentsMargins(0, 0, 0, 0)
        self._phones_grid.setColumnStretch(1, 1)
        outer.addLayout(self._phones_grid)
        self.add_phone_button = QPushButton("Add a p&hone number")
        self.add_phone_button.setAccessibleName("Add a phone number")
        self.add_phone_button.clicked.connect(self._add_blank_phone)
        outer.addWidget(self.add_phone_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.phones_error = ErrorLabel()
        outer.addWidget(self.phones_error)
        self.errors.add("phones", self.add_phone_button, self.phones_error)
        return self._phones_box

    def _add_blank_phone(self) -> None:
        row = self.add_phone_row()
        row.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove_phone_row(self, row: PhoneRow) -> None:
        self.phone_rows.remove(row)
        for w in row.widgets():
            self._phones_grid.removeWidget(w)
            w.hide()  # at once: deleteLater waits for the event loop
            w.deleteLater()
        self._layout_phone_rows()
        if self.phone_rows:
            self.phone_rows[-1].number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_phone_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _layout_phone_rows(self) -> None:
        previous: QWidget = self.organisation_edit
        for i, row in enumerate(self.phone_rows):
            row.set_position(i)
            self._phones_grid.addWidget(row.kind_combo, 2 * i, 0)
            self._phones_grid.addWidget(row.number_edit, 2 * i, 1)
            self._phones_grid.addWidget(row.remove_button, 2 * i, 2)
            self._phones_grid.addWidget(row.error, 2 * i + 1, 0, 1, 3)
            for w in (row.kind_combo, row.number_edit, row.remove_button):
                QWidget.setTabOrder(previous, w)
                previous = w
        QWidget.setTabOrder(previous, self.add_phone_button)
        self.add_phone_button.setEnabled(len(self.phone_rows) < MAX_PHONES)

    @staticmethod
    def _fit_lines(edit: QPlainTextEdit, lines: int) -> None:
        metrics = edit.fontMetrics()
        margins = 2 * int(edit.document().documentMargin()) + 2 * edit.frameWidth() \
            + metrics.lineSpacing() // 2
        edit.setFixedHeight(metrics.lineSpacing() * lines + margins)

    def _on_role_changed(self) -> None:
        role = Role(self.role_combo.currentData())
        self.role_help.setText(role.help)
        self.role_other_edit.setVisible(role is Role.OTHER)

    def _load(self, contact: Contact) -> None:
        self.name_edit.setText(contact.name)
        self.role_combo.setCurrentIndex(self.role_combo.findData(contact.role.value))
        self._on_role_changed()
        self.role_other_edit.setText(contact.role_other)
        self.organisation_edit.setText(contact.organisation)
        for phone in contact.phones:
            self.add_phone_row(phone)
        if not contact.phones:
            self.add_phone_row()
        self.email_edit.setText(contact.email)
        self.address_edit.setPlainText(contact.address)
        self.portal_edit.setText(contact.portal_url)
        self.office_hours_edit.setText(contact.office_hours)
        self.preferred_combo.setCurrentIndex(
            self.preferred_combo.findData(contact.preferred_contact.value))
        self.notes_edit.setPlainText(contact.notes)
        self.emergency_check.setChecked(contact.emergency)

    def _candidate(self) -> Contact:
        base = self._original or Contact(name="")
        phones = tuple(r.phone() for r in self.phone_rows if not r.is_blank())
        return replace(
            base,
            name=self.name_edit.text(),
            role=Role(self.role_combo.currentData()),
            role_other=self.role_other_edit.text(),
            organisation=self.organisation_edit.text(),
            phones=phones,
            email=self.email_edit.text(),
            address=self.address_edit.toPlainText(),
            portal_url=self.portal_edit.text(),
            office_hours=self.office_hours_edit.text(),
            preferred_contact=PreferredContact(self.preferred_combo.currentData()),
            notes=self.notes_edit.toPlainText(),
            emergency=self.emergency_check.isChecked(),
        )

    def show_errors(self, errors: Mapping[str, str]) -> None:
        # Phone errors are numbered among the filled-in rows; blank rows are ignored.
        filled = [r for r in self.phone_rows if not r.is_blank()]
        for row in self.phone_rows:
            row.show_error("")
        first_phone = None
        for i, row in enumerate(filled):
            message = errors.get(f"phone_{i}", "")
            row.show_error(message)
            if message and first_phone is None:
                first_phone = row
        others = {k: v for k, v in errors.items() if not k.startswith("phone_")}
        self.errors.show(others)
        if first_phone is not None and not others:
            first_phone.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
