"""How the Today tab is laid out: the date bar, the summary and tools, the duty bar, the
day's list beside the card, and the line saying what was just saved, built onto the
``TodayTab`` it is given. Moved out of the tab, which keeps the day shown, recording and
its subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
)

from caregiver_app.domain.undo import NOTHING_TO_UNDO
from caregiver_app.ui.columns import WrappingHeader
from caregiver_app.ui.desktop import shortcut_text
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.palette import set_large_text_palette
from caregiver_app.ui.today.card import DoseCard
from caregiver_app.ui.today.columns import ColumnSizer
from caregiver_app.ui.today.delegate import TodayDelegate
from caregiver_app.ui.today.duty_bar import DutyBar
from caregiver_app.ui.today.model import TodayModel
from caregiver_app.ui.widgets import DateEdit, own_viewport

#: The Undo button before it names what it would take back.
UNDO_LABEL = "↶  &Undo"

if TYPE_CHECKING:
    from PySide6.QtGui import QWheelEvent

    from caregiver_app.services.undo import UndoService
    from caregiver_app.ui.today.recorder import DoseRecorder
    from caregiver_app.ui.today.tab import TodayTab


def build(tab: TodayTab) -> None:
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(4, 4, 4, 4)

    bar = QHBoxLayout()
    tab.prev_button = QToolButton()
    tab.prev_button.setText("◀  Previous day")
    tab.prev_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tab.prev_button.setToolTip(f"The day before ({shortcut_text('Alt+Left')})")
    tab.prev_button.setAccessibleName("Previous day")
    tab.prev_button.clicked.connect(tab.previous_day)
    tab.date_edit = DateEdit(accessible_name="Day shown", far_note=False)
    tab.date_edit.setToolTip("Type a day (yesterday, 4 Dec, 04/12/2026) and press "
                              f"Enter, or {shortcut_text('Alt+Down')} for a calendar")
    tab.date_edit.dateChanged.connect(tab._on_date_edited)
    tab.next_button = QToolButton()
    tab.next_button.setText("Next day  ▶")
    tab.next_button.setToolTip(f"The day after ({shortcut_text('Alt+Right')})")
    tab.next_button.setAccessibleName("Next day")
    tab.next_button.clicked.connect(tab.next_day)
    tab.today_button = QPushButton("Back to today")
    tab.today_button.setToolTip(f"Show today ({shortcut_text('Ctrl+T')})")
    tab.today_button.setAccessibleName("Back to today")
    tab.today_button.clicked.connect(tab.go_today)
    tab.day_note = QLabel()
    tab.day_note.setAccessibleName("Which day")
    tab.day_note.setWordWrap(True)
    tab.day_error = ErrorLabel()  # "31 Feb" typed as the day: said next to it
    tab.date_edit.problem_changed.connect(tab._on_day_problem)
    for widget in (tab.prev_button, tab.date_edit, tab.next_button, tab.today_button):
        bar.addWidget(widget)
    bar.addWidget(tab.day_note, 1)
    bar.addWidget(tab.day_error, 1)
    layout.addLayout(bar)

    tools = QHBoxLayout()
    tab.header_label = QLabel()
    tab.header_label.setAccessibleName("Summary")
    tab.header_label.setTextFormat(Qt.TextFormat.PlainText)
    tab.header_label.setWordWrap(True)
    tools.addWidget(tab.header_label, 1)
    tab.large_button = QPushButton("Large te&xt")
    tab.large_button.setCheckable(True)
    tab.large_button.setChecked(tab._settings.today_large_text)
    tab.large_button.setToolTip("Show this tab in large text, readable from across a room")
    tab.large_button.setAccessibleName("Large text")
    tab.large_button.toggled.connect(tab.set_large_text)
    tab.reminders_button = QPushButton("Rem&inders…")
    tab.reminders_button.setToolTip("When reminders come, how often, sound, tray")
    tab.reminders_button.setAccessibleName("Reminder settings")
    tab.reminders_button.clicked.connect(tab._edit_reminder_settings)
    tab.print_button = QPushButton("&Print today's checklist…")
    tab.print_button.setAccessibleName("Print the day's checklist")
    tab.print_button.clicked.connect(
        lambda: tab.print_requested.emit("checklist", tab.day()))
    for widget in (tab.large_button, tab.reminders_button, tab.print_button):
        tools.addWidget(widget)
    layout.addLayout(tools)
    tab.notices_label = QLabel()
    tab.notices_label.setAccessibleName("Warnings and appointments")
    tab.notices_label.setTextFormat(Qt.TextFormat.PlainText)
    tab.notices_label.setWordWrap(True)
    tab.notices_label.hide()
    layout.addWidget(tab.notices_label)

    tab.duty_bar = DutyBar(tab._session, tab._patients, tab._settings)
    tab.duty_bar.add_requested.connect(tab.edit_caregivers_requested)
    tab.duty_bar.closed.connect(
        lambda: tab.tree.setFocus(Qt.FocusReason.OtherFocusReason))
    tab.duty_combo = tab.duty_bar.duty_combo
    tab.duty_ok = tab.duty_bar.duty_ok
    tab.duty_add = tab.duty_bar.duty_add
    layout.addWidget(tab.duty_bar)

    tab.model = TodayModel(tab)
    tab.tree = DayTree()
    tab.tree.setModel(tab.model)
    tab.tree.setItemDelegate(TodayDelegate(tab.tree))
    tab.tree.setAccessibleName("Doses of the day")
    tab.tree.setToolTip("Up and Down choose a dose. G given now, Shift+G given at another "
                         "time, A all due at that time, S skip, Z snooze, C correct, "
                         f"{shortcut_text('Ctrl+Z')} undo; {shortcut_text('Alt+Left')} and "
                         f"{shortcut_text('Alt+Right')} change the day, "
                         f"{shortcut_text('Ctrl+T')} back to today.")
    tab.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tab.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    tab.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tab.tree.setRootIsDecorated(False)
    tab.tree.setItemsExpandable(False)
    tab.tree.setUniformRowHeights(False)
    tab.tree.setAlternatingRowColors(True)
    tab.tree.setWordWrap(True)  # long texts take two lines instead of being cut
    tab.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
    # a title wider than its column takes two lines ("What to know now" at large text)
    header = WrappingHeader(tab.tree)
    tab.tree.setHeader(header)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # rows are as tall as their wrapped text: lay them out again for the new widths
    header.sectionResized.connect(lambda *_args: tab.tree.scheduleDelayedItemsLayout())
    tab.tree.selectionModel().currentChanged.connect(tab._update_card)
    # Enter, a double-click, or a single click where the desktop opens items that way:
    # never a record by itself (see _on_activated)
    tab.tree.activated.connect(tab._on_activated)
    tab._columns = ColumnSizer(tab.tree, tab.model)
    tab.tree.on_resize = tab._columns.fit  # the splitter moved, a scroll bar came or went...
    tab.card = DoseCard()
    tab.card.given_button.clicked.connect(tab.give_now)
    tab.card.given_at_button.clicked.connect(tab.give_at_time)
    tab.card.batch_button.clicked.connect(tab.give_all)
    tab.card.skip_button.clicked.connect(tab.skip)
    tab.card.snooze_chosen.connect(tab.snooze)
    tab.card.correct_button.clicked.connect(tab.correct)
    tab.card.medicine_clicked.connect(tab._on_medicine_clicked)
    tab.card.read_about_clicked.connect(tab._on_read_about)
    tab.splitter = QSplitter(Qt.Orientation.Horizontal)
    tab.splitter.addWidget(tab.tree)
    tab.splitter.addWidget(tab.card)
    tab.splitter.setStretchFactor(0, 3)
    tab.splitter.setStretchFactor(1, 1)
    tab.splitter.setChildrenCollapsible(False)
    layout.addWidget(tab.splitter, 1)

    feedback = QHBoxLayout()
    tab.feedback_label = QLabel()
    tab.feedback_label.setAccessibleName("What was just saved")
    tab.feedback_label.setTextFormat(Qt.TextFormat.PlainText)
    tab.feedback_label.setWordWrap(True)
    tab.undo_button = QPushButton(UNDO_LABEL)
    tab.undo_button.setToolTip(NOTHING_TO_UNDO)
    tab.undo_button.setAccessibleName("Undo")
    tab.undo_button.clicked.connect(tab.undo)
    tab.undo_button.setEnabled(False)
    feedback.addWidget(tab.feedback_label, 1)
    feedback.addWidget(tab.undo_button)
    layout.addLayout(feedback)


#: A turn of the wheel this soon after the last one that scrolled the list stays with
#: the list at its end, rather than scroll the page (``DayTree.wheelEvent``).
WHEEL_LATCH_MS = 600


class DayTree(QTreeView):
    """The day's list; ``on_resize()`` runs whenever the space for its rows changes size.

    A scroll area hands its viewport's resize to ``resizeEvent`` (Qt's documented way),
    so only that event comes through Python: an event filter on the viewport saw every
    paint, hover and mouse move of the list."""

    def __init__(self) -> None:
        super().__init__()
        own_viewport(self)  # (read when the columns are fitted)
        self.on_resize: Callable[[], object] | None = None
        self._wheeled_at: int | None = None  # when the wheel last moved the list (ms)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.on_resize is not None:
            self.on_resize()  # before the view lays itself out, as the filter did
        super().resizeEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """While the wheel scrolls the list, it moves the list only, also past its first
        or last row: the page around it (at large text, one scroll area) stays where it
        is, so the reminder and the selected dose's buttons do not slide out of view. A
        turn of the wheel after a pause (``WHEEL_LATCH_MS``) at the list's end, or over a
        list that does not scroll, scrolls the page, as browsers do."""
        bar = self.verticalScrollBar()
        before = bar.value()
        super().wheelEvent(event)
        if not event.angleDelta().y():
            return
        stamp = event.timestamp()
        if bar.value() != before:
            self._wheeled_at = stamp
        elif self._wheeled_at is not None and 0 <= stamp - self._wheeled_at <= WHEEL_LATCH_MS:
            event.accept()  # (Qt passes a wheel the list did not use on to the page)
            self._wheeled_at = stamp


def install_shortcuts(tab: TodayTab) -> dict[str, QShortcut]:
    """The tab's keys (G, Shift+G, A, S, Z, C, Ctrl+Z, Alt+Left/Right, Ctrl+T), by their
    text ("Shift+G")."""
    context = Qt.ShortcutContext.WidgetWithChildrenShortcut
    bindings = [
        ("G", tab.give_now), ("Shift+G", tab.give_at_time), ("A", tab.give_all),
        ("S", tab.skip),
        ("Z", tab._open_snooze_menu), ("C", tab.correct),
        (QKeySequence.StandardKey.Undo, tab.undo), ("Alt+Left", tab.previous_day),
        ("Alt+Right", tab.next_day), ("Ctrl+T", tab.go_today),
    ]
    shortcuts: dict[str, QShortcut] = {}
    for keys, slot in bindings:
        shortcut = QShortcut(QKeySequence(keys), tab)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        shortcuts[QKeySequence(keys).toString()] = shortcut
    return shortcuts


def apply_font(tab: TodayTab, scale: float | None) -> None:
    """The day's text: the app's size, or ``scale`` times it (the "Large text" view) for
    the list, the card and the summary; the date bar and the column titles keep the
    app's size so the tab still fits a small screen."""
    base = QFont(QApplication.font())
    if scale is not None and base.pointSizeF() > 0:
        base.setPointSizeF(base.pointSizeF() * scale)
    for widget in (tab.tree, tab.card, tab.notices_label, tab.feedback_label,
                   tab.duty_bar, tab.undo_button):
        widget.setFont(base)
    # the column titles keep the app's size, like the date bar: at large text they
    # would be cut off in the narrow last column, and the rows say it all anyway
    tab.tree.header().setFont(QApplication.font())
    head = QFont(base)
    head.setBold(True)
    if head.pointSizeF() > 0:
        head.setPointSizeF(base.pointSizeF() * 1.25)
    tab.header_label.setFont(head)
    tab.card.apply_font(base)
    set_large_text_palette(tab, scale is not None)  # 7:1 contrast
    cap_card(tab, CARD_SHARE)
    tab._columns.fit()


#: The card beside the list takes at most this share of the tab's width (more only if its
#: buttons need it), so the list keeps room for its columns at large text.
CARD_SHARE = 0.25


def cap_card(tab: TodayTab, share: float = CARD_SHARE) -> None:
    """The card takes at most ``share`` of the width, more only when its buttons need
    it; the list gets the rest. When the list's columns cannot fit beside it (the
    "Large text" view at a large text size), the card goes under the list."""
    if tab.width() <= 0:
        return
    tab.card.layout().invalidate()  # its buttons' sizes may have just changed
    need = tab.card.minimumSizeHint().width()
    if stack_card(tab, need):
        return
    cap = max(need, int(tab.width() * share))
    tab.card.setMinimumWidth(need)
    tab.card.setMaximumWidth(cap)
    sizes = tab.splitter.sizes()
    if len(sizes) == 2 and sum(sizes) > 0 and not need <= sizes[1] <= cap:
        card = min(max(need, sizes[1]), cap)  # the splitter only follows on a resize
        tab.splitter.setSizes([sum(sizes) - card, card])


def stack_card(tab: TodayTab, card_width: int) -> bool:
    """In the "Large text" view, put the card under the list when the list's columns,
    each as narrow as its longest word, cannot fit beside a card ``card_width`` wide:
    the list then takes the whole width and wraps its texts instead of scrolling
    sideways. True when stacked."""
    tree, splitter = tab.tree, tab.splitter
    chrome = 2 * tree.frameWidth() + tree.verticalScrollBar().sizeHint().width()
    margins = tab.layout().contentsMargins()
    room = tab.width() - margins.left() - margins.right()
    stacked = tab.large_button.isChecked() and \
        tab._columns.least_width() + chrome + splitter.handleWidth() + card_width > room
    vertical = Qt.Orientation.Vertical
    if stacked:
        tab.card.setMinimumWidth(0)
        tab.card.setMaximumWidth(16_777_215)
        tree.setMinimumHeight(max(tree.fontMetrics().height() * STACKED_LIST_LINES,
                                  int(tab.window().height() * STACKED_LIST_SHARE)))
    if stacked != (splitter.orientation() == vertical):
        splitter.setOrientation(vertical if stacked else Qt.Orientation.Horizontal)
        if not stacked:
            tree.setMinimumHeight(0)
        total = sum(splitter.sizes())
        card = tab.card.minimumSizeHint().height() if stacked else card_width
        splitter.setSizes([max(1, total - card), card])
    return stacked


#: Under the list (``stack_card``), the card leaves the list at least this many lines
#: and this share of the window's height, so that several doses show at once.
STACKED_LIST_LINES = 6
STACKED_LIST_SHARE = 0.5


def show_undo(button: QPushButton, undo: UndoService | None, recorder: DoseRecorder) -> None:
    """The Undo button names what it would take back ("↶ Undo: riluzole 11:39 given"),
    or is off when there is nothing it may undo."""
    action = undo.last() if undo is not None else None
    if action is None:
        button.setText(UNDO_LABEL)
        button.setEnabled(False)
        button.setToolTip(NOTHING_TO_UNDO)
        button.setAccessibleName("Undo: nothing to undo")
        return
    assert undo is not None
    short = undo.short(action)
    whole = recorder.describe(action)
    button.setText(f"{UNDO_LABEL}: {short.replace('&', '&&')}")
    button.setEnabled(True)
    button.setToolTip(f"Undo: {whole} ({shortcut_text('Ctrl+Z')}). The record is "
                      "corrected, never deleted; Undo is offered for a few minutes after "
                      "an action.")
    button.setAccessibleName(f"Undo: {whole}")
