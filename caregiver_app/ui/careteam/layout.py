"""How the Care team tab is laid out: the search box and the contact buttons, the
message bar, the contacts grouped by role beside the chosen one's details, and the
appointments below, built onto the ``CareTeamTab`` it is given (the first time it is
shown). Moved out of the tab, which keeps loading, choosing and acting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.careteam_texts import EMPTY_TEAM, AppointmentsShown
from caregiver_app.domain.contacts import Role
from caregiver_app.ui.actions import add_action
from caregiver_app.ui.careteam.appointments_model import AppointmentTableModel
from caregiver_app.ui.careteam.contacts_model import ContactFilterProxy, ContactTreeModel
from caregiver_app.ui.careteam.details import ContactDetails
from caregiver_app.ui.columns import keep_fitted
from caregiver_app.ui.widgets import fit_placeholder

if TYPE_CHECKING:
    from caregiver_app.ui.careteam.tab import CareTeamTab


class NoticeBar(QFrame):
    """A quiet message above the list, with an optional Undo button."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Message")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setAccessibleName("Undo")
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss this message")
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.label, 1)
        row.addWidget(self.undo_button)
        row.addWidget(self.close_button)
        self.hide()

    def show_message(self, text: str, *, undo: bool = False) -> None:
        self.label.setText(text)
        self.undo_button.setVisible(undo)
        self.show()


def build(tab: CareTeamTab, page: QWidget) -> None:
    """The search bar and buttons, the message bar, the contacts beside the chosen one's
    details, and the appointments below, onto ``page`` of ``tab``."""
    tab.search_edit = QLineEdit()
    tab.search_edit.setAccessibleName("Search the care team")
    fit_placeholder(tab.search_edit, "Search: name, role, clinic or phone number",
                    "Search: name, role, clinic, phone", "Search: name or role")
    tab.search_edit.setClearButtonEnabled(True)
    tab.search_edit.textChanged.connect(tab._on_search)
    tab.search_edit.returnPressed.connect(tab._focus_first_result)
    search_label = QLabel("&Search:")
    search_label.setBuddy(tab.search_edit)

    tab.add_button = QPushButton("&Add contact…")
    tab.add_button.setAccessibleName("Add a contact")
    tab.add_button.clicked.connect(lambda: tab.add_contact())
    tab.import_button = QPushButton("&Import vCard…")
    tab.import_button.setAccessibleName("Import contacts from a vCard file")
    tab.import_button.clicked.connect(lambda: tab.import_vcard())
    tab.export_button = QToolButton()
    tab.export_button.setText("E&xport")
    tab.export_button.setAccessibleName("Export contacts to a vCard file")
    tab.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    export_menu = QMenu(tab.export_button)
    tab.export_one_action = add_action(export_menu, "The selected contact…",
                                        tab._export_selected)
    tab.export_all_action = add_action(export_menu, "The whole care team…",
                                        lambda: tab.export_contacts(None))
    tab.export_button.setMenu(export_menu)
    tab.removed_button = QPushButton("Bring &back a contact…")
    tab.removed_button.setAccessibleName("Bring back a removed contact")
    tab.removed_button.setToolTip("Bring back a contact that was removed from the list")
    tab.removed_button.clicked.connect(lambda: tab.bring_back_removed())

    top = QHBoxLayout()
    top.addWidget(search_label)
    top.addWidget(tab.search_edit, 1)
    top.addWidget(tab.add_button)
    top.addWidget(tab.import_button)
    top.addWidget(tab.export_button)
    top.addWidget(tab.removed_button)

    tab.notice = NoticeBar()
    tab.notice.undo_button.clicked.connect(tab.undo)

    tab.model = ContactTreeModel(tab)
    tab.proxy = ContactFilterProxy(tab)
    tab.proxy.setSourceModel(tab.model)
    tab.tree = QTreeView()
    tab.tree.setAccessibleName("Care team, grouped by role")
    tab.tree.setModel(tab.proxy)
    tab.tree.setAllColumnsShowFocus(True)
    tab.tree.setAlternatingRowColors(True)
    tab.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tab.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    # a long name, role or organisation wraps onto a second line instead of being
    # cut; the phone number stays on one line; the organisation takes what is left.
    # The number comes right after the name: when even the words do not fit (huge
    # text, a narrow list), the list scrolls sideways with the number whole in view
    # and the organisation at the far end, never a number cut at the edge that looks
    # complete.
    tab._tree_fitter = keep_fitted(tab.tree, whole=(3,), stretch=2)
    tab.tree.header().moveSection(3, 1)
    tab.tree.selectionModel().currentChanged.connect(tab._on_current_changed)
    tab.tree.activated.connect(tab._on_activated)
    tab.empty_label = QLabel(EMPTY_TEAM)
    tab.empty_label.setWordWrap(True)
    tab.empty_label.setAccessibleName("The care team list is empty")
    tab.no_match_label = QLabel()
    tab.no_match_label.setWordWrap(True)
    tab.no_match_label.hide()
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(tab.empty_label)
    left_layout.addWidget(tab.no_match_label)
    left_layout.addWidget(tab.tree, 1)

    tab.details = ContactDetails()
    tab.details.edit_requested.connect(tab.edit_contact)
    tab.details.remove_requested.connect(tab.remove_contact)
    tab.details.export_requested.connect(lambda i: tab.export_contacts([i]))
    tab.details.add_appointment_requested.connect(tab.add_appointment)
    tab.details.add_contact_requested.connect(lambda r: tab.add_contact(Role(r)))
    tab.details.reference_activated.connect(tab._on_reference_activated)
    tab.details.notice.connect(lambda text: tab.notice.show_message(text))

    upper = QSplitter(Qt.Orientation.Horizontal)
    upper.addWidget(left)
    upper.addWidget(tab.details)
    upper.setStretchFactor(0, 3)
    upper.setStretchFactor(1, 2)
    upper.setSizes([3000, 2000])
    upper.setChildrenCollapsible(False)

    lower = _build_appointments(tab)
    outer = QSplitter(Qt.Orientation.Vertical)
    outer.addWidget(upper)
    outer.addWidget(lower)
    outer.setStretchFactor(0, 3)
    outer.setStretchFactor(1, 2)
    outer.setSizes([3000, 2000])  # proportions: the appointments get a fair share
    outer.setChildrenCollapsible(False)

    layout = QVBoxLayout(page)
    layout.addLayout(top)
    layout.addWidget(tab.notice)
    layout.addWidget(outer, 1)

    for keys, slot in ((QKeySequence.StandardKey.Find, tab._focus_search),
                       (QKeySequence.StandardKey.Undo, tab.undo)):
        shortcut = QShortcut(QKeySequence(keys), tab)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
    delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), tab.tree)
    delete.setContext(Qt.ShortcutContext.WidgetShortcut)
    delete.activated.connect(lambda: tab.remove_contact())
    delete_appointment = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete),
                                   tab.appointments_view)
    delete_appointment.setContext(Qt.ShortcutContext.WidgetShortcut)
    delete_appointment.activated.connect(lambda: tab.remove_appointment())
    # Tab: the appointments table, then the buttons that act on it (left to right),
    # then round to the search box; not from the table back to the top.
    for first, second in ((tab.appointment_filter, tab.appointments_view),
                          (tab.appointments_view, tab.add_appointment_button),
                          (tab.add_appointment_button, tab.edit_appointment_button),
                          (tab.edit_appointment_button, tab.remove_appointment_button),
                          (tab.remove_appointment_button, tab.visit_summary_button)):
        QWidget.setTabOrder(first, second)


def _build_appointments(tab: CareTeamTab) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    title = QLabel("Appointments")
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    tab.appointment_filter = QComboBox()
    tab.appointment_filter.setAccessibleName("Which appointments to show")
    tab.appointment_filter.addItem("Upcoming", AppointmentsShown.UPCOMING.value)
    tab.appointment_filter.addItem("Past", AppointmentsShown.PAST.value)
    tab.appointment_filter.addItem("All", AppointmentsShown.ALL.value)
    tab.appointment_filter.currentIndexChanged.connect(tab._reload_appointments)
    show_label = QLabel("Sho&w:")
    show_label.setBuddy(tab.appointment_filter)
    tab.add_appointment_button = QPushButton("&New appointment…")
    tab.add_appointment_button.setAccessibleName("Add an appointment")
    tab.add_appointment_button.clicked.connect(lambda: tab.add_appointment())
    tab.edit_appointment_button = QPushButton("&Open…")
    tab.edit_appointment_button.setAccessibleName(
        "Open the selected appointment, to change it or write the outcome")
    tab.edit_appointment_button.setToolTip(
        "Open the selected appointment to change it or write the outcome")
    tab.edit_appointment_button.clicked.connect(lambda: tab.edit_appointment())
    tab.remove_appointment_button = QPushButton("Remove…")
    tab.remove_appointment_button.setAccessibleName("Remove the selected appointment")
    tab.remove_appointment_button.clicked.connect(lambda: tab.remove_appointment())
    tab.visit_summary_button = QPushButton("Visit summar&y…")
    tab.visit_summary_button.setAccessibleName("Print the visit summary for this visit")
    tab.visit_summary_button.setToolTip(
        "How things went since the last clinic visit, with the questions written on this "
        "one: one or two pages to take along")
    tab.visit_summary_button.clicked.connect(lambda: tab.print_requested.emit("visit", None))
    row = QHBoxLayout()
    row.addWidget(title)
    row.addSpacing(12)
    row.addWidget(show_label)
    row.addWidget(tab.appointment_filter)
    row.addStretch(1)
    row.addWidget(tab.add_appointment_button)
    row.addWidget(tab.edit_appointment_button)
    row.addWidget(tab.remove_appointment_button)
    row.addWidget(tab.visit_summary_button)
    layout.addLayout(row)

    tab.appointments = AppointmentTableModel(tab)
    tab.appointments_view = QTableView()
    tab.appointments_view.setAccessibleName("Appointments")
    tab.appointments_view.setModel(tab.appointments)
    tab.appointments_view.setSelectionBehavior(
        QAbstractItemView.SelectionBehavior.SelectRows)
    tab.appointments_view.setSelectionMode(
        QAbstractItemView.SelectionMode.SingleSelection)
    tab.appointments_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tab.appointments_view.setTabKeyNavigation(False)
    tab.appointments_view.verticalHeader().hide()
    tab.appointments_view.selectionModel().currentChanged.connect(
        tab._update_appointment_buttons)
    keep_fitted(tab.appointments_view)  # long notes wrap; the row grows
    tab.appointments_view.activated.connect(
        lambda index: tab.edit_appointment(tab.appointments.appointment(index.row()).id))
    rows = tab.appointments_view.verticalHeader()
    tab.appointments_view.setMinimumHeight(
        tab.appointments_view.horizontalHeader().sizeHint().height()
        + 4 * rows.defaultSectionSize() + 2 * tab.appointments_view.frameWidth())
    tab.no_appointments = QLabel()
    tab.no_appointments.setWordWrap(True)
    layout.addWidget(tab.no_appointments)
    layout.addWidget(tab.appointments_view, 1)
    return box
