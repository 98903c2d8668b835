"""The right-hand pane of the Care team tab: one contact's details and what points at them.

Call, email and portal buttons open the system's handler through
``QDesktopServices``. When no program handles phone calls, the number is copied
instead and the pane says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.contacts import CALL_FIRST_TITLE, Contact, ContactReference, Role
from caregiver_app.domain.phones import Phone, format_phone, tel_uri
from caregiver_app.ui.careteam.appointments_model import ReferencesModel
from caregiver_app.ui.tones import Pair, keep_styled, pair

# Colours only; the badge's font is set with the heading's (see _apply_fonts).
BADGE = Pair("#fff4ce", "#4a3b00")


def badge_style() -> str:
    fill, ink = pair(BADGE)
    return (f"background: {fill}; color: {ink}; border: 1px solid {ink}; "
            "border-radius: 3px; padding: 2px 6px;")
MAX_REFERENCE_LINES = 12  # taller than this, the linked list scrolls


class ContactDetails(QScrollArea):
    edit_requested = Signal(int)
    """Edit the contact with this id."""

    remove_requested = Signal(int)
    """Remove the contact with this id (the tab asks first)."""

    export_requested = Signal(int)
    """Export the contact with this id to a vCard file."""

    add_appointment_requested = Signal(int)
    """Add an appointment with the contact with this id."""

    add_contact_requested = Signal(str)
    """Add a contact with this role value (from a group's page)."""

    reference_activated = Signal(object)
    """A medicine or appointment on the contact's page was opened (a ContactReference)."""

    notice = Signal(str)
    """A short message for the caregiver ("Number copied")."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Contact details")
        self._contact: Contact | None = None
        self._region: str | None = None
        self._group_role: Role | None = None
        self.phone_buttons: list[QPushButton] = []
        self._phone_widgets: list[QWidget] = []
        self._build()
        self._apply_fonts()
        self.show_nothing("Choose someone on the left to see how to reach them.")

    # ---- Public API

    def contact(self) -> Contact | None:
        return self._contact

    def show_contact(self, contact: Contact, references: Sequence[ContactReference], *,
                     region: str | None) -> None:
        self._contact = contact
        self._region = region
        self._group_role = None
        self.heading.setText(contact.name)
        self.subtitle.setText(" · ".join(p for p in (contact.role_label, contact.organisation)
                                         if p))
        self.subtitle.show()
        self.badge.setVisible(contact.emergency)
        self.help.setText(contact.role.help)
        self.help.show()
        self._fill_phones(contact)
        self._set_field(self.email_row, contact.email)
        self.email_button.setAccessibleName(f"Write an email to {contact.name}")
        self._set_field(self.portal_row, contact.portal_url)
        self._set_field(self.address_row, contact.address)
        self._set_field(self.hours_row, contact.office_hours)
        self._set_field(self.preferred_row, contact.preferred_contact.label
                        if contact.preferred_contact.value != "any" else "")
        self._set_field(self.notes_row, contact.notes)
        self.references.set_references(references)
        self.references_view.setVisible(bool(references))
        self.no_references.setVisible(not references)
        self._fit_references()
        self.links_box.show()
        self.contact_buttons.show()
        self.group_buttons.hide()
        for name, button in (("Edit", self.edit_button), ("Export to a vCard file",
                                                          self.export_button),
                             ("Remove", self.remove_button)):
            button.setAccessibleName(f"{name}: {contact.name}")
        self._fit_height()

    def show_group(self, title: str, role: Role | None, count: int) -> None:
        """A group row is selected: say what the role does."""
        self._contact = None
        self._group_role = role
        self.heading.setText(title)
        self.subtitle.setText(f"{count} contact{'s' if count != 1 else ''}")
        self.subtitle.show()
        self.badge.hide()
        if title == CALL_FIRST_TITLE:
            self.help.setText("People to ring first in an emergency or after hours. Mark a "
                              "contact \"call first\" in its form to list it here.")
        else:
            self.help.setText(role.help if role else "")
        self.help.show()
        self._hide_contact_parts()
        self.group_buttons.setVisible(role is not None)
        if role is not None:
            self.add_in_role_button.setText(f"Add a contact: {role.label}…")
            self.add_in_role_button.setAccessibleName(f"Add a contact with the role {role.label}")
        self._fit_height()

    def show_nothing(self, message: str) -> None:
        self._contact = None
        self._group_role = None
        self.heading.setText("Care team")
        self.subtitle.hide()
        self.badge.hide()
        self.help.setText(message)
        self.help.show()
        self._hide_contact_parts()
        self.group_buttons.hide()
        self._fit_height()

    def call(self, phone: Phone) -> bool:
        """Open the system's phone handler; copy the number instead if there is none."""
        if QDesktopServices.openUrl(QUrl(tel_uri(phone))):
            return True
        self.copy(phone)
        self.notice.emit("No program on this computer makes phone calls: the number was "
                         "copied so you can dial it from a phone.")
        return False

    def copy(self, phone: Phone) -> None:
        text = format_phone(phone, self._region)
        QGuiApplication.clipboard().setText(text)
        self.notice.emit(f"Copied {text}.")

    def write_email(self) -> bool:
        if self._contact is None or not self._contact.email:
            return False
        if QDesktopServices.openUrl(QUrl(f"mailto:{self._contact.email}")):
            return True
        QGuiApplication.clipboard().setText(self._contact.email)
        self.notice.emit("No email program is set up: the address was copied.")
        return False

    def open_portal(self) -> bool:
        if self._contact is None or not self._contact.portal_url:
            return False
        return QDesktopServices.openUrl(QUrl(self._contact.portal_url))

    # ---- Qt overrides

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_references()
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        # Sizes derived from the app font follow the View ▸ Text size menu.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._apply_fonts()
            self._fit_references()
            self._fit_height()
        super().changeEvent(event)

    # ---- Private

    def _scaled(self, factor: float) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * factor)
        return font

    def _apply_fonts(self) -> None:
        if not hasattr(self, "heading"):
            return
        self.heading.setFont(self._scaled(1.4))
        # A widget with a style sheet does not follow the app font by itself.
        self.badge.setFont(self._scaled(1.0))

    def _build(self) -> None:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Name")
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setWordWrap(True)
        self.subtitle.setAccessibleName("Role and organisation")
        self.badge = QLabel("★ Call first")
        keep_styled(self.badge, badge_style)
        self.badge.setAccessibleName("Call first: an emergency or after-hours contact")
        self.help = QLabel()
        self.help.setTextFormat(Qt.TextFormat.PlainText)
        self.help.setWordWrap(True)
        self.help.setAccessibleName("What this role does")
        italic = self.help.font()
        italic.setItalic(True)
        self.help.setFont(italic)
        title_row = QHBoxLayout()
        title_row.addWidget(self.heading, 1)
        title_row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        layout.addWidget(self.subtitle)
        layout.addWidget(self._build_contact_buttons())
        layout.addWidget(self.help)

        self.phones_box = QWidget()
        self.phones_grid = QGridLayout(self.phones_box)
        self.phones_grid.setContentsMargins(0, 6, 0, 6)
        self.phones_grid.setColumnStretch(4, 1)  # buttons stay next to their number
        layout.addWidget(self.phones_box)

        self.fields = QFormLayout()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._rows: dict[QLabel, QWidget] = {}
        self.email_button = QPushButton("Write email")
        self.email_button.clicked.connect(self.write_email)
        self.email_row = self._field("Email:", self.email_button)
        self.portal_button = QPushButton("Open &portal")
        self.portal_button.setAccessibleName("Open the patient portal in the web browser")
        self.portal_button.clicked.connect(self.open_portal)
        self.portal_row = self._field("Patient portal:", self.portal_button)
        self.address_row = self._field("Address:")
        self.hours_row = self._field("Office hours:")
        self.preferred_row = self._field("Best way to reach:")
        self.notes_row = self._field("Call them for:")
        layout.addLayout(self.fields)

        self.links_box = QWidget()
        links = QVBoxLayout(self.links_box)
        links.setContentsMargins(0, 6, 0, 0)
        links_title = QLabel("Medicines and appointments linked to this contact:")
        links_title.setWordWrap(True)
        self.references = ReferencesModel(self)
        self.references_view = QListView()
        self.references_view.setModel(self.references)
        self.references_view.setAccessibleName("Medicines and appointments linked to this "
                                               "contact")
        self.references_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.references_view.activated.connect(self._on_reference_activated)
        # Long lines wrap (no sideways scrolling) and the list is as tall as its lines,
        # up to MAX_REFERENCE_LINES; the page scrolls as a whole.
        self.references_view.setWordWrap(True)
        self.references_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.references_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.references_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.references_view.setSizePolicy(QSizePolicy.Policy.Preferred,
                                           QSizePolicy.Policy.Fixed)
        self.no_references = QLabel("None yet.")
        self.add_appointment_button = QPushButton("Add an appointment with them…")
        self.add_appointment_button.clicked.connect(self._on_add_appointment)
        links.addWidget(links_title)
        links.addWidget(self.references_view)
        links.addWidget(self.no_references)
        links.addWidget(self.add_appointment_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.links_box)

        self.group_buttons = QWidget()
        group_row = QHBoxLayout(self.group_buttons)
        group_row.setContentsMargins(0, 8, 0, 0)
        self.add_in_role_button = QPushButton("Add a contact in this role…")
        self.add_in_role_button.clicked.connect(self._on_add_in_role)
        group_row.addWidget(self.add_in_role_button)
        group_row.addStretch(1)
        layout.addWidget(self.group_buttons)
        layout.addStretch(1)
        self.setWidget(inner)

    def _build_contact_buttons(self) -> QWidget:
        self.contact_buttons = QWidget()
        row = QHBoxLayout(self.contact_buttons)
        row.setContentsMargins(0, 4, 0, 4)
        self.edit_button = QPushButton("&Edit…")
        self.export_button = QPushButton("Export vCard…")
        self.remove_button = QPushButton("&Remove…")
        self.edit_button.clicked.connect(lambda: self._emit_for_contact(self.edit_requested))
        self.export_button.clicked.connect(
            lambda: self._emit_for_contact(self.export_requested))
        self.remove_button.clicked.connect(
            lambda: self._emit_for_contact(self.remove_requested))
        row.addWidget(self.edit_button)
        row.addWidget(self.export_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        return self.contact_buttons

    def _field(self, caption: str, button: QPushButton | None = None) -> QLabel:
        value = QLabel()
        value.setTextFormat(Qt.TextFormat.PlainText)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAccessibleName(caption.rstrip(":"))
        if button is None:
            self.fields.addRow(caption, value)
            self._rows[value] = value
            return value
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(value, 1)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.fields.addRow(caption, box)
        self._rows[value] = box
        return value

    def _set_field(self, label: QLabel, text: str) -> None:
        label.setText(text)
        self.fields.setRowVisible(self._rows[label], bool(text))

    def _hide_contact_parts(self) -> None:
        self._clear_phones()
        self.phones_box.hide()
        for label in (self.email_row, self.portal_row, self.address_row, self.hours_row,
                      self.preferred_row, self.notes_row):
            self._set_field(label, "")
        self.links_box.hide()
        self.contact_buttons.hide()

    def _clear_phones(self) -> None:
        for w in self._phone_widgets:
            self.phones_grid.removeWidget(w)
            w.hide()  # at once: deleteLater waits for the event loop
            w.deleteLater()
        self._phone_widgets = []
        self.phone_buttons = []

    def _fill_phones(self, contact: Contact) -> None:
        self._clear_phones()
        self.phones_box.setVisible(bool(contact.phones))
        for r, phone in enumerate(contact.phones):
            kind = QLabel(f"{phone.kind.label}:")
            number = QLabel(format_phone(phone, self._region))
            bold = number.font()
            bold.setBold(True)
            number.setFont(bold)
            number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            number.setAccessibleName(f"{phone.kind.label} number")
            widgets: list[QWidget] = [kind, number]
            self.phones_grid.addWidget(kind, r, 0)
            self.phones_grid.addWidget(number, r, 1)
            spoken = f"{phone.kind.label.lower()}, {format_phone(phone, self._region)}"
            if phone.kind.can_call:
                call = QPushButton("Call")
                call.setAccessibleName(f"Call {contact.name}, {spoken}")
                call.clicked.connect(lambda _=False, p=phone: self.call(p))
                self.phones_grid.addWidget(call, r, 2)
                widgets.append(call)
                self.phone_buttons.append(call)
            else:
                fax = QLabel("fax: not for calls")
                self.phones_grid.addWidget(fax, r, 2)
                widgets.append(fax)
            copy = QPushButton("Copy")
            copy.setAccessibleName(f"Copy the number: {spoken}")
            copy.clicked.connect(lambda _=False, p=phone: self.copy(p))
            self.phones_grid.addWidget(copy, r, 3)
            widgets.append(copy)
            self.phone_buttons.append(copy)
            self._phone_widgets += widgets

    def _fit_height(self) -> None:
        """Give the page the height its wrapped lines need at this width.

        A scroll area does not ask its page for height-for-width, so without this
        wrapped labels (address, notes) are squeezed and cut off instead of the page
        scrolling."""
        inner = self.widget()
        layout = inner.layout() if inner is not None else None
        if layout is None:
            return
        width = self.viewport().width()
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else -1
        height = max(height, layout.minimumSize().height())
        if inner.minimumHeight() != height:
            inner.setMinimumHeight(height)

    def _fit_references(self) -> None:
        """The linked list as tall as its (wrapped) lines, up to MAX_REFERENCE_LINES."""
        view = self.references_view
        rows = self.references.rowCount()
        if not rows:
            return
        view.doItemsLayout()
        heights = [view.sizeHintForRow(r) for r in range(rows)]
        line = max(view.fontMetrics().lineSpacing(), 1)
        cap = line * MAX_REFERENCE_LINES
        total = min(sum(h for h in heights if h > 0) or line * rows, cap)
        view.setFixedHeight(total + 2 * view.frameWidth() + 2)

    def _emit_for_contact(self, signal) -> None:
        if self._contact is not None and self._contact.id is not None:
            signal.emit(self._contact.id)

    def _on_add_appointment(self) -> None:
        self._emit_for_contact(self.add_appointment_requested)

    def _on_add_in_role(self) -> None:
        if self._group_role is not None:
            self.add_contact_requested.emit(self._group_role.value)

    def _on_reference_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.reference_activated.emit(self.references.reference(index.row()))
