"""How the Medications tab is laid out: the search box, the status filters and the
Add and Print buttons above the medicine list, then the actions for the chosen medicine
and its details, built onto the ``MedicationsTab`` it is given (the first time the tab
is shown). Moved out of the tab, which keeps loading, choosing and acting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.vocab import MedicineStatus
from caregiver_app.ui.actions import on_triggered
from caregiver_app.ui.columns import shared_widths
from caregiver_app.ui.medications.details import MedicineDetails
from caregiver_app.ui.medications.list_model import Column, MedicineFilter, MedicineListModel
from caregiver_app.ui.widgets import fit_placeholder

if TYPE_CHECKING:
    from caregiver_app.ui.medications.tab import MedicationsTab

#: The narrowest a column of the list gets (in average characters) before the list
#: scrolls sideways: enough for a few words a line.
_FLOOR_CHARS = {Column.NAME: 16, Column.STATUS: 10, Column.STRENGTH: 10, Column.DOSE: 14,
                Column.ROUTE: 10, Column.SCHEDULE: 24, Column.SUPPLY: 10, Column.RUN_OUT: 16,
                Column.PRESCRIBER: 12}


def build(tab: MedicationsTab) -> None:
    """The search bar, the list, the actions and the details, onto ``tab``."""
    layout = tab.layout()  # (made by the tab, empty until it is first shown)
    assert isinstance(layout, QVBoxLayout)

    bar = QHBoxLayout()
    search_label = QLabel("S&earch:")
    tab.search_edit = QLineEdit()
    tab.search_edit.setAccessibleName("Search medicines")
    fit_placeholder(tab.search_edit, "name, brand, what it is for, prescriber",
                    "name, brand, what it is for", "name or brand")
    tab.search_edit.setClearButtonEnabled(True)
    search_label.setBuddy(tab.search_edit)
    bar.addWidget(search_label)
    bar.addWidget(tab.search_edit, 2)
    show_label = QLabel("Show:")
    bar.addWidget(show_label)
    tab._status_checks: dict[MedicineStatus, QCheckBox] = {}
    for status, text in ((MedicineStatus.ACTIVE, "&Active"),
                         (MedicineStatus.PAUSED, "&Paused"),
                         (MedicineStatus.STOPPED, "&Stopped")):
        check = QCheckBox(text)
        check.setAccessibleName(f"Show {status.value} medicines")
        check.setChecked(status is MedicineStatus.ACTIVE)
        check.toggled.connect(lambda shown, s=status: tab._on_status_toggled(s, shown))
        tab._status_checks[status] = check
        bar.addWidget(check)
    bar.addStretch(1)
    tab.add_button = QPushButton("Add a &new medicine…")
    tab.add_button.setAccessibleName("Add a new medicine")
    tab.add_button.clicked.connect(tab.add_medicine)
    tab.print_button = QPushButton("Pr&int medicine list…")
    tab.print_button.setAccessibleName("Print the medicine list")
    tab.print_button.clicked.connect(tab.request_print)
    bar.addWidget(tab.add_button)
    bar.addWidget(tab.print_button)
    layout.addLayout(bar)

    tab.model = MedicineListModel(tab)
    tab.proxy = MedicineFilter(tab)
    tab.proxy.setSourceModel(tab.model)
    tab.view = QTableView()
    tab.view.setAccessibleName("Medicine list")
    tab.view.setModel(tab.proxy)
    tab.view.setSortingEnabled(True)
    tab.view.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    tab.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    tab.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tab.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tab.view.setTabKeyNavigation(False)
    tab.view.setWordWrap(True)  # a long schedule wraps rather than being cut off
    tab._fit_pending = False
    tab.view.installEventFilter(tab)
    for changed in (tab.proxy.rowsInserted, tab.proxy.dataChanged,
                    tab.proxy.layoutChanged, tab.proxy.modelReset):
        changed.connect(lambda *_: tab.view.resizeRowsToContents())
    tab.view.verticalHeader().hide()
    header = tab.view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    tab.view.setColumnHidden(Column.PRESCRIBER, tab._contacts is None)
    tab.view.doubleClicked.connect(lambda _i: tab.edit_medicine())
    tab.view.activated.connect(lambda _i: tab.edit_medicine())

    tab.empty_note = QLabel()
    tab.empty_note.setWordWrap(True)
    tab.empty_note.setAccessibleName("About the list")
    tab.empty_note.hide()

    top = QWidget()
    top_layout = QVBoxLayout(top)
    top_layout.setContentsMargins(0, 0, 0, 0)
    top_layout.addWidget(tab.view, 1)
    top_layout.addWidget(tab.empty_note)

    bottom = QWidget()
    bottom_layout = QVBoxLayout(bottom)
    bottom_layout.setContentsMargins(0, 0, 0, 0)
    bottom_layout.addLayout(_build_actions(tab))
    tab.details = MedicineDetails(tab._reference)
    tab.details.read_about_requested.connect(tab._read_about)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(tab.details)
    scroll.setAccessibleName("Details of the chosen medicine")
    bottom_layout.addWidget(scroll, 1)

    tab.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(top)
    splitter.addWidget(bottom)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setChildrenCollapsible(False)
    layout.addWidget(splitter, 1)

    tab.search_edit.textChanged.connect(tab.proxy.set_search)
    tab.view.selectionModel().currentRowChanged.connect(lambda *_: tab._update_current())
    for signal in (tab.proxy.rowsInserted, tab.proxy.rowsRemoved,
                   tab.proxy.modelReset, tab.proxy.layoutChanged):
        signal.connect(tab._update_empty_note)


def _build_actions(tab: MedicationsTab) -> QHBoxLayout:
    row = QHBoxLayout()
    tab.edit_button = QPushButton("Chan&ge…")
    tab.edit_button.setAccessibleName("Change the chosen medicine")
    tab.edit_button.clicked.connect(lambda: tab.edit_medicine())
    tab.pause_button = QPushButton("Pa&use…")
    tab.pause_button.clicked.connect(tab._pause_or_resume)
    tab.stop_button = QPushButton("St&op…")
    tab.stop_button.setAccessibleName("Stop giving the chosen medicine")
    tab.stop_button.clicked.connect(lambda: tab.change_status(MedicineStatus.STOPPED))

    tab.cycle_button = QPushButton("C&ycle")
    tab.cycle_button.setAccessibleName("Change the cycle of the chosen medicine")
    tab.cycle_menu = QMenu(tab.cycle_button)
    tab.delay_action = tab.cycle_menu.addAction("Delay the cycle doses…")
    on_triggered(tab.delay_action, lambda: tab.change_cycle("delay"))
    tab.hold_action = tab.cycle_menu.addAction("Pause the cycle…")
    on_triggered(tab.hold_action, lambda: tab.change_cycle("pause"))
    tab.resume_cycle_action = tab.cycle_menu.addAction("Resume the cycle…")
    on_triggered(tab.resume_cycle_action, lambda: tab.change_cycle("resume"))
    tab.undo_cycle_action = tab.cycle_menu.addAction("Undo a change to the cycle…")
    on_triggered(tab.undo_cycle_action, tab.undo_cycle_change)
    tab.cycle_button.setMenu(tab.cycle_menu)

    tab.stock_button = QPushButton("Stoc&k")
    tab.stock_button.setAccessibleName("Stock of the chosen medicine")
    tab.stock_menu = QMenu(tab.stock_button)
    tab.refill_action = tab.stock_menu.addAction("Refill arrived…")
    on_triggered(tab.refill_action, lambda: tab.change_stock("refill"))
    tab.count_action = tab.stock_menu.addAction("Count stock…")
    on_triggered(tab.count_action, lambda: tab.change_stock("count"))
    tab.bottle_action = tab.stock_menu.addAction("New bottle opened…")
    on_triggered(tab.bottle_action, lambda: tab.change_stock("bottle"))
    tab.stock_button.setMenu(tab.stock_menu)

    tab.extra_button = QPushButton("E&xtra dose…")
    tab.extra_button.setAccessibleName("Record a dose of the chosen medicine given "
                                        "outside the schedule")
    tab.extra_button.setToolTip("An extra dose, or a dose given while the medicine is "
                                 "paused or stopped.")
    tab.extra_button.clicked.connect(lambda: tab.record_extra_dose())
    tab.history_button = QPushButton("Histo&ry…")
    tab.history_button.setAccessibleName("History of the chosen medicine")
    tab.history_button.clicked.connect(lambda: tab.show_history())
    for button in (tab.edit_button, tab.pause_button, tab.stop_button,
                   tab.cycle_button, tab.stock_button, tab.extra_button,
                   tab.history_button):
        row.addWidget(button)
    row.addStretch(1)
    return row


def fit_columns(tab: MedicationsTab) -> None:
    """Columns as wide as their contents when the list has room; when it has not
    (a 1366 px laptop, large text), the widest columns give up width first, down to
    a readable floor, and their text wraps onto more lines instead of being cut."""
    view = tab.view
    header = view.horizontalHeader()
    view.resizeColumnsToContents()
    room = view.viewport().width()
    shown = [c for c in Column if not view.isColumnHidden(c)]
    natural = {c: header.sectionSize(c) for c in shown}
    em = tab.fontMetrics().averageCharWidth()
    metrics = view.fontMetrics()
    icon = tab.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + em
    rows = range(tab.proxy.rowCount())

    def readable(column: Column) -> int:
        """The narrowest ``column`` reads: its title, its longest word (and icon)."""
        words = (metrics.horizontalAdvance(word) + 2 * em
                 + (icon if tab.proxy.index(row, column).data(
                     Qt.ItemDataRole.DecorationRole) is not None else 0)
                 for row in rows
                 for word in str(tab.proxy.index(row, column).data() or "").split())
        return max(em * _FLOOR_CHARS.get(column, 12), header.sectionSizeHint(column),
                   max(words, default=0))

    floor = {c: natural[c] if c is Column.STATUS else min(natural[c], readable(c))
             for c in shown}
    if room > 0 and sum(natural.values()) > room:
        for column, width in shared_widths(natural, floor, room).items():
            header.resizeSection(column, width)
    view.resizeRowsToContents()
