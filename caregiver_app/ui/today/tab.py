"""The Today tab: the day's doses, what is overdue, as-needed medicines, and big buttons to
record each dose, all reachable by keyboard.

Layout: a date bar (previous / date with calendar / next / Today, Large text, Reminders,
Print), a header line (next dose, overdue count, reorder and discard warnings, upcoming
appointments), an inline "who is on duty?" bar when needed, then the day as a tree
(sections: Overdue, Morning, Midday, Evening, Night, As needed, Also given) beside a card
for the selected dose with its buttons, and a line saying what was just saved, with Undo.

Keys (also in the buttons' tooltips): G given now, Shift+G given at another time, A all
the doses due at that time (one confirmation), S skip, Z snooze, C correct, Ctrl+Z undo,
Alt+Left / Alt+Right previous / next day, Ctrl+T today.
Enter (or a double-click) on a row records nothing: it moves to the card's button and
says which key records it. The list has the keyboard whenever the tab is shown.

The day shown follows the clock: the tab's own timer is armed for the next change, and
it looks again when the reminder service says the clock jumped (sleep, resume, a clock
change) and when the window is activated after that moment has passed.

Everything is written through the ``MedicationBook``; "Correct this record…" adds a
correction pointing at the record. Undo takes back the last action taken anywhere in
the window (``services.undo.UndoService``: this tab, the banner, the "while you were
away" list, a notification), naming it on its button before it is pressed; it adds
corrections, never deletes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.doses import DoseEntry, DoseState, EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc, weekday_date, weekday_date_time
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.today import (
    dose_instructions,
    entry_text,
    header_summary,
    initials_of,
    is_unrecorded,
    next_change,
    prn_instructions,
    supply_warning,
)
from caregiver_app.domain.undo import NOTHING_TO_UNDO, LastAction
from caregiver_app.domain.vocab import MedicineStatus, SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.session import People, Session
from caregiver_app.ui.forms import errors_of
from caregiver_app.ui.palette import set_large_text_palette
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.today.batch_dialog import BatchGivenDialog
from caregiver_app.ui.today.card import DoseCard
from caregiver_app.ui.today.delegate import TodayDelegate
from caregiver_app.ui.today.dialogs import CorrectDialog, Correction, GivenDialog, SkipDialog
from caregiver_app.ui.today.model import (
    Column,
    Row,
    RowKind,
    TodayModel,
    build_sections,
)
from caregiver_app.ui.today.settings_dialog import (
    ReminderPrefs,
    ReminderSettingsDialog,
)
from caregiver_app.ui.widgets import keep_in_range

log = logging.getLogger(__name__)

#: The "Large text" view: this many times the app's text size.
LARGE_TEXT = 1.6
#: Appointments shown in the header this far ahead.
APPOINTMENTS_AHEAD = timedelta(days=7)
#: The card beside the list takes at most this share of the tab's width (more only if its
#: buttons need it), so the list keeps room for its columns at large text.
CARD_SHARE = 0.25
#: What Enter (or a double-click) on a row says, having moved to the Given button.
ACTIVATE_HINT = "Press G or the Given button to record it."
ASK_HINT = ("Say what happened: Given at another time (Shift+G) if it was given, or "
            "Skip (S) if it was not.")
UNDO_LABEL = "↶  &Undo"


class TodayTab(QWidget):
    show_medicine_requested = Signal(int)
    """The caregiver clicked a medicine's name: show it in the Medications tab (its id)."""

    print_requested = Signal(str, object)
    """Print something: ``("checklist", date)`` for the day's checklist."""

    edit_caregivers_requested = Signal()
    """Nobody can be put on duty because there are no caregivers yet: open the list."""

    read_about_requested = Signal(str)
    """"Read about this medicine" on the card: open the Learn article for this
    reference id (``LearnTab.show_article_for_medicine``)."""

    def __init__(self, book: MedicationBook, session: Session, patients: People,
                 settings: UiSettings, *, reminders=None, undo=None,
                 appointments: Callable[[datetime, datetime], list] | None = None,
                 tray_available: Callable[[], bool] = lambda: False,
                 parent: QWidget | None = None):
        """``reminders``: the ``ReminderService`` (snoozes); ``undo``: the
        ``UndoService`` (the last action in the window); ``appointments(start, end)``:
        upcoming appointments for the header (``CareTeamRepository.upcoming``)."""
        super().__init__(parent)
        self._book = book
        self._session = session
        self._patients = patients
        self._settings = settings
        self._reminders = reminders
        self._appointments = appointments
        self._tray_available = tray_available
        self._day: date | None = None
        self._follow_today = True
        self._dirty = True
        self._undo = undo
        self._pending: Callable[[], None] | None = None
        self._supply: dict[int, str] = {}  # medicine id -> warning ("" for none)
        self._supply_stale = True  # the medicine list may have changed
        self._next_change_at: datetime | None = None  # when the day shown changes by itself
        self._shown_today: date | None = None  # what "today" was at the last refresh
        self._sized_for: tuple[int, str] | None = None  # (viewport width, font) of the columns

        self.setAccessibleName("Today")
        self._build()
        self._shortcuts()
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self.refresh)
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.setTimerType(Qt.TimerType.PreciseTimer)
        self._tick.timeout.connect(self.refresh)

        book.changed.connect(self._on_book_changed)
        book.policy_changed.connect(self.refresh_soon)  # on time / missed read anew
        session.caregiver_changed.connect(self._on_duty_changed)
        session.caregivers_changed.connect(self._on_caregivers_changed)
        session.patient_changed.connect(self._on_patient_changed)
        if undo is not None:
            undo.changed.connect(self._update_undo)
        if reminders is not None:
            reminders.snoozes_changed.connect(self.refresh_soon)
            clock_jumped = getattr(reminders, "clock_jumped", None)
            if clock_jumped is not None:
                clock_jumped.connect(self.refresh_soon)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._apply_font)
        self._apply_font()

    # ---- Public API

    def day(self) -> date:
        return self._day or self._book.today()

    def set_day(self, day: date) -> None:
        """Show ``day`` (past days: what was recorded; future days: what is planned)."""
        self._day = day
        self._follow_today = day == self._book.today()
        self._clear_supply()
        self.refresh()

    def go_today(self) -> None:
        self.set_day(self._book.today())

    def previous_day(self) -> None:
        self.set_day(self.day() - timedelta(days=1))

    def next_day(self) -> None:
        self.set_day(self.day() + timedelta(days=1))

    def refresh(self) -> None:
        """Read the day again (deferred while the tab is hidden)."""
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        book = self._book
        now, today = book.now(), book.today()
        if self._day is None or (self._follow_today and self._day != today):
            self._day = today
            self._clear_supply()
        day = self._day
        view = book.day(day)
        carried = book.carried_over(day) if day == today else ()
        snoozes = self._reminders.snoozes() if self._reminders is not None else {}
        initials = initials_of(self._patients.caregivers(include_inactive=True))
        sections = build_sections(view, now=now, today=today, initials=initials,
                                  snoozes=snoozes, carried=carried)
        keep = self._current_identity()
        self.model.set_sections(sections)
        self.tree.expandAll()
        for s in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(s, QModelIndex(), True)
        self._size_columns()  # new rows or texts may need other widths (else it returns)
        self._restore_selection(keep)
        self._show_date(day, today)
        self._shown_today = today
        summary = header_summary(view, today)
        late = sum(1 for s in carried if s.overdue)
        if late and day == today:
            summary += f" · {late} overdue from yesterday"
        unrecorded = len(carried) - late
        if unrecorded and day == today:
            summary += f" · {unrecorded} not recorded from yesterday"
        self.header_label.setText(summary)
        self._update_notices(today, now)
        self._update_card()
        self._update_undo()
        self._arm_tick(view, snoozes)

    def refresh_soon(self, *_args) -> None:
        """Read the day again once control returns to the event loop (coalesces a burst
        of changes; connect data-changed signals such as appointments here)."""
        if self.isVisible():
            self._refresh_soon.start()
        else:
            self._dirty = True

    def current_row(self) -> Row | None:
        return self.model.row_at(self.tree.currentIndex())

    def show_dose(self, medicine_id: int, key: str, *, focus: bool = True) -> bool:
        """Go to the day of this dose and select it (a reminder was clicked). With
        ``focus``, the list takes the keyboard (G records it); without, the keyboard
        stays where it is (the window came forward by itself for a reminder)."""
        occurrence = self._book.occurrence(medicine_id, key)
        if occurrence is None:
            return False
        day = to_utc(occurrence.due).astimezone(self._book.zone()).date()
        today = self._book.today()
        self._day = today if day < today and self._is_carried(medicine_id, key, today) else day
        self._follow_today = self._day == today
        self.refresh()
        index = self.model.find_dose(medicine_id, key)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        if focus:
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def ask_what_happened(self, medicine_id: int, key: str) -> bool:
        """Show this dose (past its grace period, nothing recorded) with the keyboard on
        "Given at another time…", saying how to answer (a reminder's "What happened?")."""
        if not self.show_dose(medicine_id, key):
            return False
        row = self.current_row()
        if row is not None:
            self._point_at_answer(row, ask=True)
        return True

    def text_font(self) -> QFont:
        """The tab's text font: the app's, or larger in the "Large text" view (the
        "while you were away" list follows it)."""
        return QFont(self.tree.font())

    def give_dose(self, medicine_id: int, key: str) -> None:
        """Record this dose as given now (the reminder banner's Given button)."""
        if self.show_dose(medicine_id, key):
            self.give_now()

    def give_now(self) -> None:
        row = self.current_row()
        if row is None or not self.card.given_button.isEnabled():
            return
        self._with_duty(lambda: self._give(row))

    def give_at_time(self) -> None:
        row = self.current_row()
        if row is None or not self.card.given_at_button.isEnabled():
            return
        self._with_duty(lambda: self._give_at(row))

    def give_all(self) -> None:
        """"Given: all due at 08:00": one confirmation listing each dose of the selected
        dose's time (``BatchGivenDialog``); early, as-needed and food-rule lines need
        their own tick. Undo takes the whole group back."""
        row = self.current_row()
        if row is None or row.dose is None or not self.card.batch_button.isEnabled():
            return
        self._with_duty(lambda: self._give_all(row))

    def skip(self) -> None:
        row = self.current_row()
        if row is None or row.dose is None or not self.card.skip_button.isEnabled():
            return
        self._with_duty(lambda: self._skip(row))

    def snooze(self, minutes: int) -> None:
        row = self.current_row()
        if (row is None or row.dose is None or self._reminders is None
                or not self.card.snooze_button.isEnabled()):
            return
        medicine_id, key = row.medicine_id, row.dose.occurrence.key
        until = self._reminders.snooze(medicine_id, key, minutes)  # Undo puts it back as it was
        local = until.astimezone(self._book.zone())
        name = row.dose.medicine.generic_name
        self._say(f"{name} {row.cells[0]} snoozed until {local:%H:%M}.")

    def correct(self) -> None:
        row = self.current_row()
        if row is None or not self.card.correct_button.isEnabled():
            return
        self._with_duty(lambda: self._correct(row))

    def undo(self) -> None:
        """Take back the last action taken in this window (the one the Undo button
        names): corrections for its records (never a delete), or its snooze as it was.
        Nothing older: after a few minutes, or once something else was done, it says to
        use Correct this record."""
        action = self._undo.last() if self._undo is not None else None
        if action is None:
            self._update_undo()
            self._say(NOTHING_TO_UNDO)
            return
        if action.snooze is not None:
            self._undo_action(action)
        else:
            self._with_duty(lambda: self._undo_action(action))

    def set_large_text(self, on: bool) -> None:
        """The "Large text" view of this tab (remembered)."""
        self._settings.today_large_text = on
        self.large_button.setChecked(on)
        self._apply_font()

    # ---- Qt overrides

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._cap_card()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self._focus_list()
        if self._dirty:
            QTimer.singleShot(0, self.refresh)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and self.isVisible() and self._stale():
            self.refresh_soon()
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._size_columns()  # the splitter moved, a scroll bar came or went, ...
        return super().eventFilter(watched, event)

    # ---- Private: building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        bar = QHBoxLayout()
        self.prev_button = QToolButton()
        self.prev_button.setText("◀  Previous day")
        self.prev_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.prev_button.setToolTip("The day before (Alt+Left)")
        self.prev_button.setAccessibleName("Previous day")
        self.prev_button.clicked.connect(self.previous_day)
        self.date_edit = keep_in_range(QDateEdit())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dddd d MMMM yyyy")
        self.date_edit.setAccessibleName("Day shown")
        self.date_edit.setToolTip("Choose a day; the arrow opens a calendar")
        self.date_edit.dateChanged.connect(self._on_date_edited)
        self.next_button = QToolButton()
        self.next_button.setText("Next day  ▶")
        self.next_button.setToolTip("The day after (Alt+Right)")
        self.next_button.setAccessibleName("Next day")
        self.next_button.clicked.connect(self.next_day)
        self.today_button = QPushButton("Back to today")
        self.today_button.setToolTip("Show today (Ctrl+T)")
        self.today_button.setAccessibleName("Back to today")
        self.today_button.clicked.connect(self.go_today)
        self.day_note = QLabel()
        self.day_note.setAccessibleName("Which day")
        self.day_note.setWordWrap(True)
        for widget in (self.prev_button, self.date_edit, self.next_button, self.today_button):
            bar.addWidget(widget)
        bar.addWidget(self.day_note, 1)
        layout.addLayout(bar)

        tools = QHBoxLayout()
        self.header_label = QLabel()
        self.header_label.setAccessibleName("Summary")
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        self.header_label.setWordWrap(True)
        tools.addWidget(self.header_label, 1)
        self.large_button = QPushButton("Large te&xt")
        self.large_button.setCheckable(True)
        self.large_button.setChecked(self._settings.today_large_text)
        self.large_button.setToolTip("Show this tab in large text, readable from across a room")
        self.large_button.setAccessibleName("Large text")
        self.large_button.toggled.connect(self.set_large_text)
        self.reminders_button = QPushButton("Rem&inders…")
        self.reminders_button.setToolTip("When reminders come, how often, sound, tray")
        self.reminders_button.setAccessibleName("Reminder settings")
        self.reminders_button.clicked.connect(self._edit_reminder_settings)
        self.print_button = QPushButton("&Print today's checklist…")
        self.print_button.setAccessibleName("Print the day's checklist")
        self.print_button.clicked.connect(
            lambda: self.print_requested.emit("checklist", self.day()))
        for widget in (self.large_button, self.reminders_button, self.print_button):
            tools.addWidget(widget)
        layout.addLayout(tools)
        self.notices_label = QLabel()
        self.notices_label.setAccessibleName("Warnings and appointments")
        self.notices_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notices_label.setWordWrap(True)
        self.notices_label.hide()
        layout.addWidget(self.notices_label)

        self.duty_bar = self._build_duty_bar()
        layout.addWidget(self.duty_bar)

        self.model = TodayModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(TodayDelegate(self.tree))
        self.tree.setAccessibleName("Doses of the day")
        self.tree.setToolTip("Up and Down choose a dose. G given now, Shift+G given at another "
                             "time, A all due at that time, S skip, Z snooze, C correct, "
                             "Ctrl+Z undo; Alt+Left and Alt+Right change the day, Ctrl+T "
                             "back to today.")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)  # long texts take two lines instead of being cut
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # rows are as tall as their wrapped text: lay them out again for the new widths
        header.sectionResized.connect(lambda *_args: self.tree.scheduleDelayedItemsLayout())
        self.tree.selectionModel().currentChanged.connect(self._update_card)
        # Enter, a double-click, or a single click where the desktop opens items that way:
        # never a record by itself (see _on_activated)
        self.tree.activated.connect(self._on_activated)
        self.tree.viewport().installEventFilter(self)
        self.card = DoseCard()
        self.card.given_button.clicked.connect(self.give_now)
        self.card.given_at_button.clicked.connect(self.give_at_time)
        self.card.batch_button.clicked.connect(self.give_all)
        self.card.skip_button.clicked.connect(self.skip)
        self.card.snooze_chosen.connect(self.snooze)
        self.card.correct_button.clicked.connect(self.correct)
        self.card.medicine_clicked.connect(self._on_medicine_clicked)
        self.card.read_about_clicked.connect(self._on_read_about)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        feedback = QHBoxLayout()
        self.feedback_label = QLabel()
        self.feedback_label.setAccessibleName("What was just saved")
        self.feedback_label.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback_label.setWordWrap(True)
        self.undo_button = QPushButton(UNDO_LABEL)
        self.undo_button.setToolTip(NOTHING_TO_UNDO)
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.setEnabled(False)
        feedback.addWidget(self.feedback_label, 1)
        feedback.addWidget(self.undo_button)
        layout.addLayout(feedback)

    def _build_duty_bar(self) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setStyleSheet("QFrame { background: #fff4d6; color: #3d2a00; }")
        row = QHBoxLayout(frame)
        self.duty_label = QLabel("Nobody is on duty. Who is giving the medicines?")
        self.duty_label.setWordWrap(True)
        self.duty_combo = QComboBox()
        self.duty_combo.setAccessibleName("Who is on duty")
        self.duty_label.setBuddy(self.duty_combo)
        self.duty_ok = QPushButton("&Yes, that's me: continue")
        self.duty_ok.setAccessibleName("Put this caregiver on duty and continue")
        self.duty_ok.clicked.connect(self._confirm_duty)
        self.duty_add = QPushButton("Add caregivers…")
        self.duty_add.setAccessibleName("Add the people who give medicines")
        self.duty_add.clicked.connect(self.edit_caregivers_requested)
        self.duty_cancel = QPushButton("Cancel")
        self.duty_cancel.setAccessibleName("Cancel: record nothing")
        self.duty_cancel.clicked.connect(self._cancel_duty)
        for widget in (self.duty_label, self.duty_combo, self.duty_ok, self.duty_add,
                       self.duty_cancel):
            row.addWidget(widget)
        row.setStretch(0, 1)
        frame.hide()
        return frame

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        bindings = [
            ("G", self.give_now), ("Shift+G", self.give_at_time), ("A", self.give_all),
            ("S", self.skip),
            ("Z", self._open_snooze_menu), ("C", self.correct),
            (QKeySequence.StandardKey.Undo, self.undo), ("Alt+Left", self.previous_day),
            ("Alt+Right", self.next_day), ("Ctrl+T", self.go_today),
        ]
        self.shortcuts: dict[str, QShortcut] = {}
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
            self.shortcuts[QKeySequence(keys).toString()] = shortcut

    # ---- Private: showing

    def _apply_font(self, *_args) -> None:
        """The day's text: the app's size, or larger in the "Large text" view (the list,
        the card, the summary; the date bar and the column titles keep the app's size so
        the tab still fits a small screen). Called again whenever the app's text size
        changes."""
        base = QFont(QApplication.font())
        if self._settings.today_large_text and base.pointSizeF() > 0:
            base.setPointSizeF(base.pointSizeF() * LARGE_TEXT)
        for widget in (self.tree, self.card, self.notices_label, self.feedback_label,
                       self.duty_bar, self.undo_button):
            widget.setFont(base)
        # the column titles keep the app's size, like the date bar: at large text they
        # would be cut off in the narrow last column, and the rows say it all anyway
        self.tree.header().setFont(QApplication.font())
        head = QFont(base)
        head.setBold(True)
        if head.pointSizeF() > 0:
            head.setPointSizeF(base.pointSizeF() * 1.25)
        self.header_label.setFont(head)
        self.card.apply_font(base)
        set_large_text_palette(self, self._settings.today_large_text)  # 7:1 contrast
        self._cap_card()
        self._size_columns()

    def _size_columns(self) -> None:
        """Every column in view, nothing cut off: a text too long for its column wraps
        onto another line (the rows grow). Time, medicine and dose as wide as their
        longest text (within reason; the time from the times alone, never from a section
        title spanning the row), the state wide enough for "Given at 08:05 by TE (late)"
        on one line, and what to know now at least a quarter of the list. When the list
        is too narrow (large text, small screen), medicine and dose give up width first,
        then the state, down to floors that keep words whole. Worked out from the texts
        (no item is laid out for it), again whenever the list's width or font changes."""
        viewport = self.tree.viewport().width()
        font = self.tree.font()
        metrics = QFontMetrics(font)
        texts = tuple(r.cells[:Column.STATE] for r in self.model.rows())
        key = (viewport, font.toString(), hash(texts))
        if key == self._sized_for:
            return
        self._sized_for = key

        def em(count: int) -> int:
            return metrics.horizontalAdvance("M" * count)

        line = metrics.height()
        pad = 2 * line
        header = QFontMetrics(self.tree.header().font())
        widths = {}
        rows = self.model.rows()
        timed = [r for r in rows if r.kind is not RowKind.PRN] or rows
        for column in (Column.TIME, Column.MEDICINE, Column.DOSE):
            # clock times only: "As needed" may take two lines rather than widen the column
            texts = [r.cells[column] for r in (timed if column == Column.TIME else rows)]
            if column == Column.TIME:
                texts += [w for r in rows for w in r.cells[column].split()]
            widest = max((metrics.horizontalAdvance(t) for t in texts if t), default=0)
            title = header.horizontalAdvance(self.model.headerData(
                column, Qt.Orientation.Horizontal)) + line
            # the delegate's own margins: the item's text margins and one line height
            widths[column] = min(max(widest + line + 8, title), em(22))
        widths[Column.TIME] += self.tree.indentation()  # rows sit inside their section
        widths[Column.STATE] = metrics.horizontalAdvance("✓ Given at 08:05 by TE (late)") + pad

        def longest_word(column: Column) -> int:
            """A word never breaks: the column is at least as wide as its longest one."""
            words = {w for r in rows for w in r.cells[column].split()}
            return max((metrics.horizontalAdvance(w) for w in words), default=0) + line + 8

        notes = max(em(8), viewport // 4)
        floors = {Column.MEDICINE: min(max(em(6), longest_word(Column.MEDICINE)), em(12)),
                  Column.DOSE: min(max(em(6), longest_word(Column.DOSE)), em(12)),
                  Column.STATE: metrics.horizontalAdvance("⚠ Overdue by 30") + pad}
        over = sum(widths.values()) + notes - viewport
        for group in ((Column.MEDICINE, Column.DOSE), (Column.STATE,)):
            if over <= 0:
                break
            spare = {c: max(0, widths[c] - floors[c]) for c in group}
            total = sum(spare.values())
            if total <= 0:
                continue
            taken = min(over, total)
            for column in group:
                widths[column] -= int(taken * spare[column] / total)
            over -= taken
        for column, width in widths.items():
            if self.tree.columnWidth(column) != width:
                self.tree.setColumnWidth(column, width)

    def _cap_card(self) -> None:
        """The card takes at most ``CARD_SHARE`` of the width, more only when its
        buttons need it; the list gets the rest."""
        if self.width() <= 0:
            return
        self.card.layout().invalidate()  # its buttons' sizes may have just changed
        need = self.card.minimumSizeHint().width()
        cap = max(need, int(self.width() * CARD_SHARE))
        self.card.setMinimumWidth(need)
        self.card.setMaximumWidth(cap)
        sizes = self.splitter.sizes()
        if len(sizes) == 2 and sum(sizes) > 0 and not need <= sizes[1] <= cap:
            card = min(max(need, sizes[1]), cap)  # the splitter only follows on a resize
            self.splitter.setSizes([sum(sizes) - card, card])

    def _show_date(self, day: date, today: date) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        if day == today:
            note = "Today"
        elif day == today - timedelta(days=1):
            note = "Yesterday: what was recorded"
        elif day == today + timedelta(days=1):
            note = "Tomorrow: planned"
        elif day < today:
            note = "Past day: what was recorded"
        else:
            note = "Future day: planned, nothing can be recorded yet"
        self.day_note.setText(note)
        self.today_button.setEnabled(day != today)
        self.print_button.setText("&Print today's checklist…" if day == today
                                  else "&Print this day's checklist…")

    def _update_notices(self, today: date, now: datetime) -> None:
        lines = []
        if self._appointments is not None:
            upcoming = self._appointments(now, now + APPOINTMENTS_AHEAD)
            zone = self._book.zone()
            for appointment in upcoming[:3]:
                lines.append("Appointment " + _appointment_text(appointment, zone, today))
            if len(upcoming) > 3:
                lines.append(f"and {len(upcoming) - 3} more appointments this week")
        lines.extend(f"⚠ {w}" for w in self._supply_warnings(today))
        self.notices_label.setText("\n".join(lines))
        self.notices_label.setVisible(bool(lines))

    def _supply_warnings(self, today: date) -> list[str]:
        """Reorder and discard warnings, worked out again only for medicines that changed
        (and for all of them on a new day); a refresh by the clock reads nothing."""
        if self._supply_stale:
            self._supply_stale = False
            now = self._book.now()
            tracked = {}
            for medicine in self._book.medicines():
                if (medicine.id is not None and medicine.supply.tracked
                        and medicine.status_at(now) is not MedicineStatus.STOPPED):
                    tracked[medicine.id] = medicine
            self._supply = {k: v for k, v in self._supply.items() if k in tracked}
            for medicine_id, medicine in tracked.items():
                if medicine_id not in self._supply:
                    forecast = self._book.supply(medicine_id)
                    self._supply[medicine_id] = supply_warning(medicine, forecast, today)
        return [w for w in self._supply.values() if w]

    def _update_card(self, *_args) -> None:
        row = self.current_row()
        card = self.card
        today = self._book.today()
        day = self.day()
        for button in card.buttons():
            button.setEnabled(False)
        if row is None:
            card.show_row(None)
            if not self._book.medicines():  # a new household: say where to start
                card.when_label.setText("No medicines yet. Add each one in the Medications "
                                        "tab (Ctrl+2); their doses then show here.")
            return
        now, zone = self._book.now(), self._book.zone()
        initials = initials_of(self._patients.caregivers(include_inactive=True))
        if row.dose is not None:
            status = row.dose
            occ = status.occurrence
            recorded = status.effective is not None
            in_future = day > today
            history = tuple(self._history_line(e, initials) for e in status.history)
            notes = dose_instructions(status, now, zone)
            if day == today and is_unrecorded(status):
                notes = ("Nothing was recorded for this dose. Was it given at another "
                         "time, or not given?", *notes)
            card.show_row(status.medicine.name,
                          when=f"Due {occ.local.astimezone(zone):%H:%M}, "
                               f"{weekday_date(occ.local.astimezone(zone))}",
                          dose=_dose_text(occ),
                          notes=notes, look=row.look, history=history,
                          can_read_about=bool(status.medicine.reference_id))
            can_record = not recorded and not in_future and not status.conflict
            card.given_button.setEnabled(can_record and (day == today or status.overdue))
            card.given_at_button.setEnabled(can_record)
            card.skip_button.setEnabled(can_record)
            card.snooze_button.setEnabled(
                can_record and self._reminders is not None and status.state is DoseState.DUE
                and status.medicine.given_by is GivenBy.HOME)
            card.correct_button.setEnabled(recorded)
            group = self._time_group(row) if can_record and day == today else []
            card.batch_button.setVisible(len(group) > 1)
            card.batch_button.setEnabled(len(group) > 1)
            due_at = f"{occ.local.astimezone(zone):%H:%M}"
            card.batch_button.setText(f"✓  Given: a&ll due at {due_at} ({len(group)})…")
            card.batch_button.setAccessibleName(
                f"Given: all {len(group)} doses due at {due_at}")
        elif row.prn is not None:
            prn = row.prn
            version = prn.medicine.version_on(day) or prn.medicine.versions[-1]
            card.show_row(prn.medicine.name, when="As needed", dose=version.describe(),
                          notes=prn_instructions(prn), look=row.look,
                          can_read_about=bool(prn.medicine.reference_id))
            active = prn.medicine.is_active_at(now)
            card.given_button.setEnabled(active and day == today)
            card.given_at_button.setEnabled(active and day <= today)
        elif row.extra is not None:
            extra = row.extra
            history = tuple(self._history_line(e, initials) for e in extra.chain.entries)
            card.show_row(extra.medicine.name, when=row.cells[Column.NOTES], dose=row.cells[2],
                          look=row.look, history=history,
                          can_read_about=bool(extra.medicine.reference_id))
            card.correct_button.setEnabled(extra.chain.effective is not None)
        if not card.batch_button.isEnabled():
            card.batch_button.hide()
        card.given_button.setText("✓  &Given now")
        self._cap_card()

    def _time_group(self, row: Row) -> list[Row]:
        """The rows of the doses due at the same time as ``row``'s, still to record and
        given at home (what "Given: all due at 08:00" would record)."""
        assert row.dose is not None
        due = row.dose.occurrence.due
        return [r for r in self.model.rows() if r.dose is not None
                and r.dose.occurrence.due == due and r.dose.effective is None
                and r.dose.state in (DoseState.DUE, DoseState.MISSED)
                and not r.dose.conflict and r.dose.medicine.given_by is GivenBy.HOME]

    def _history_line(self, entry: DoseEntry, initials) -> str:
        zone, now = self._book.zone(), self._book.now()
        text = entry_text(entry, zone, now, initials)
        by = initials.get(entry.recorded_by_id or -1, "")
        local = to_utc(entry.recorded_at).astimezone(zone)
        stamp = f"recorded {weekday_date_time(local)}" + (f" by {by}" if by else "")
        prefix = "Corrected: " if entry.corrects_id is not None else ""
        return f"{prefix}{text[0].upper()}{text[1:]} ({stamp})"

    def _restore_selection(self, keep: tuple[str, int, str] | None) -> None:
        index = self.model.index_of(keep) if keep else QModelIndex()
        if not index.isValid():
            index = self._first_actionable()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _first_actionable(self) -> QModelIndex:
        """The first dose asking for something: overdue, then not recorded yet (the
        sections on top), then still to give; else the first row."""
        first = QModelIndex()
        for s, section in enumerate(self.model.sections()):
            for r, row in enumerate(section.rows):
                index = self.model.index(r, 0, self.model.index(s, 0))
                if not first.isValid():
                    first = index
                if section.key == "unrecorded" or (
                        row.dose is not None and row.dose.state is DoseState.DUE):
                    return index
        return first

    def _current_identity(self) -> tuple[str, int, str] | None:
        row = self.current_row()
        return row.identity if row else None

    def _arm_tick(self, view, snoozes) -> None:
        moments = [m for m in (next_change(view, self._book.policy),) if m is not None]
        now = self._book.now()
        moments.extend(until for until in snoozes.values() if until > now)
        if not moments:
            self._next_change_at = None
            self._tick.stop()
            return
        self._next_change_at = min(moments)
        msec = max(0, int((min(moments) - now).total_seconds() * 1000)) + 50
        self._tick.start(min(msec, 6 * 3600 * 1000))

    def _stale(self) -> bool:
        """The day shown is out of date: the tick's moment passed (its timer counts
        monotonic time, which stops while the laptop sleeps), or the date changed."""
        if self._dirty or self._shown_today is None:
            return True
        if self._book.today() != self._shown_today:
            return True
        return self._next_change_at is not None and self._book.now() >= self._next_change_at

    def _focus_list(self) -> None:
        """The list gets the keyboard (G, S, Z act on it at once), unless the caregiver
        is moving between tabs on the tab bar or is already in this tab."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QTabBar) or (focus is not None and self.isAncestorOf(focus)):
            return
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _point_at_answer(self, row: Row, *, ask: bool = False) -> None:
        """Move the keyboard to the card's button for this row and say how to record:
        "Given now" for a dose to give, "Given at another time…" for one not recorded
        yet (or when ``ask``: a reminder asked what happened). Nothing is recorded."""
        card = self.card
        unrecorded = ask or (row.section is not None and row.section.key == "unrecorded")
        if unrecorded and card.given_at_button.isEnabled():
            card.given_at_button.setFocus(Qt.FocusReason.OtherFocusReason)
            self._say(ASK_HINT)
        elif card.given_button.isEnabled():
            card.given_button.setFocus(Qt.FocusReason.OtherFocusReason)
            self._say(ACTIVATE_HINT)
        elif card.given_at_button.isEnabled():
            card.given_at_button.setFocus(Qt.FocusReason.OtherFocusReason)
            self._say("Press Shift+G or the Given at another time button to record it.")
        elif card.correct_button.isEnabled():
            card.correct_button.setFocus(Qt.FocusReason.OtherFocusReason)
            self._say("This is already recorded. Press C or Correct this record to "
                      "change it.")
        else:
            self._say("Nothing can be recorded for this row.")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.feedback_label.setText(("⚠ " if error else "") + text)
        self.feedback_label.setStyleSheet("color: #a40000;" if error else "")
        font = QFont(self.tree.font())
        font.setBold(error)
        self.feedback_label.setFont(font)

    def _update_undo(self, *_args) -> None:
        """The Undo button names what it would take back ("↶ Undo: riluzole 11:39
        given"), or is off when there is nothing it may undo."""
        action = self._undo.last() if self._undo is not None else None
        button = self.undo_button
        if action is None:
            button.setText(UNDO_LABEL)
            button.setEnabled(False)
            button.setToolTip(NOTHING_TO_UNDO)
            button.setAccessibleName("Undo: nothing to undo")
            return
        assert self._undo is not None
        short = self._undo.short(action)
        whole = self._describe(action)
        button.setText(f"{UNDO_LABEL}: {short.replace('&', '&&')}")
        button.setEnabled(True)
        button.setToolTip(f"Undo: {whole} (Ctrl+Z). The record is corrected, never "
                          "deleted; Undo is offered for a few minutes after an action.")
        button.setAccessibleName(f"Undo: {whole}")

    def _describe(self, action: LastAction) -> str:
        assert self._undo is not None
        initials = initials_of(self._patients.caregivers(include_inactive=True))
        return self._undo.describe(action, initials)

    def _is_carried(self, medicine_id: int, key: str, today: date) -> bool:
        return any(s.key == (medicine_id, key)
                   for s in self._book.carried_over(today, medicine_id=medicine_id))

    # ---- Private: recording

    def _with_duty(self, action: Callable[[], None]) -> None:
        """Run ``action`` with a caregiver on duty, asking who is (inline) if nobody is."""
        if self._session.on_duty_id is not None:
            action()
            return
        self._pending = action
        self._fill_duty_combo()
        self.duty_bar.show()
        target = self.duty_combo if self.duty_combo.count() else self.duty_add
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_duty_combo(self) -> None:
        self.duty_combo.clear()
        for caregiver in self._patients.caregivers():
            self.duty_combo.addItem(caregiver.label(), caregiver.id)
        has = self.duty_combo.count() > 0
        self.duty_combo.setVisible(has)
        self.duty_ok.setVisible(has)
        self.duty_add.setVisible(not has)
        self.duty_label.setText(
            "Nobody is on duty. Who is giving the medicines?" if has else
            "Add the people who give medicines first, so each dose shows who gave it.")

    def _confirm_duty(self) -> None:
        caregiver_id = self.duty_combo.currentData()
        if caregiver_id is None:
            return
        self._session.set_on_duty(caregiver_id)
        self._settings.on_duty_caregiver_id = caregiver_id
        self.duty_bar.hide()
        pending, self._pending = self._pending, None
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        if pending is not None:
            pending()

    def _cancel_duty(self) -> None:
        self._pending = None
        self.duty_bar.hide()
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _give(self, row: Row) -> None:
        """Given now: straight away when nothing is unusual; otherwise show the warnings
        first (early, late, an as-needed limit) and let the caregiver record anyway."""
        if row.dose is not None:
            medicine_id, key = row.medicine_id, row.dose.occurrence.key
            check = self._book.check_given(medicine_id, key)
            if check.already_recorded:
                self._say("This dose is already recorded; use Correct this record.",
                          error=True)
                return
            if check.warnings:
                self._give_dialog(row, choose_time=False)
                return
            self._write(lambda: self._book.record_given(medicine_id, key), self._done_text(row))
        elif row.prn is not None:
            medicine_id = row.medicine_id
            if self._book.check_prn(medicine_id):
                self._give_dialog(row, choose_time=False)
                return
            self._write(lambda: self._book.record_prn(medicine_id), self._done_text(row))

    def _give_all(self, row: Row) -> None:
        assert row.dose is not None
        book = self._book
        due = row.dose.occurrence.due
        caregiver = self._session.on_duty
        giver = caregiver.label() if caregiver is not None else ""

        def save(choices, at: datetime) -> list[DoseEntry]:
            return book.record_batch(due, choices, given_at=at)

        saved = BatchGivenDialog.ask(
            plan=book.batch_plan(due), replan=lambda at: book.batch_plan(due, at=at),
            save=save, zone=book.zone(), now=book.now(), giver=giver, parent=self)
        if saved and self._undo is not None:
            action = self._undo.last()
            self._say(f"Saved: {self._describe(action)}." if action is not None
                      else f"Saved: {len(saved)} doses.")

    def _give_at(self, row: Row) -> None:
        self._give_dialog(row, choose_time=True)

    def _give_dialog(self, row: Row, *, choose_time: bool) -> None:
        book, now, zone = self._book, self._book.now(), self._book.zone()
        medicine_id = row.medicine_id
        if row.dose is not None:
            key = row.dose.occurrence.key
            due = row.dose.occurrence.due
            default = now if not choose_time or due > now else due

            def check(at: datetime) -> list[str]:
                return list(book.check_given(medicine_id, key, at).warnings)

            def save(at: datetime, text: str) -> DoseEntry:
                return book.record_given(medicine_id, key, given_at=at, note=text)

            def needs_reason(_warnings: list[str]) -> bool:
                return False

            what = f"{row.cells[1]}: {row.cells[2]}, due {row.cells[0]}"
        else:
            default = now

            def check(at: datetime) -> list[str]:
                return book.check_prn(medicine_id, at)

            def save(at: datetime, text: str) -> DoseEntry:
                return book.record_prn(medicine_id, given_at=at, override_reason=text)

            def needs_reason(warnings: list[str]) -> bool:
                return bool(warnings)

            what = f"{row.cells[1]}: {row.cells[2]} (as needed)"
        entry = GivenDialog.ask(what=what, default_at=default, zone=zone, now=now, check=check,
                                reason_required=needs_reason, save=save,
                                choose_time=choose_time, parent=self)
        if isinstance(entry, DoseEntry):
            self._recorded(entry, self._done_text(row, entry))

    def _skip(self, row: Row) -> None:
        assert row.dose is not None
        medicine_id, key = row.medicine_id, row.dose.occurrence.key

        def save(reason: SkipReason, note: str) -> DoseEntry:
            return self._book.record_skipped(medicine_id, key, reason, note=note)

        entry = SkipDialog.ask(what=f"{row.cells[1]}: {row.cells[2]}, due {row.cells[0]}",
                               save=save, parent=self)
        if isinstance(entry, DoseEntry):
            self._recorded(entry, self._done_text(row, entry))

    def _correct(self, row: Row) -> None:
        chain = row.dose.chain if row.dose is not None else (
            row.extra.chain if row.extra is not None else None)
        if chain is None or chain.effective is None:
            return
        head = chain.head
        initials = initials_of(self._patients.caregivers(include_inactive=True))
        history = [self._history_line(e, initials) for e in chain.entries]
        effective = chain.effective
        default = effective.given_at or (row.dose.occurrence.due if row.dose else head.slot_at)

        def save(choice: Correction) -> DoseEntry:
            return self._book.correct(head.id, kind=choice.kind, given_at=choice.given_at,
                                      skip_reason=choice.skip_reason, note=choice.note)

        entry = CorrectDialog.ask(what=f"{row.cells[1]}, {row.cells[0]}", history=history,
                                  default_at=default, zone=self._book.zone(),
                                  now=self._book.now(), can_skip=head.occurrence_key is not None,
                                  save=save, parent=self)
        if isinstance(entry, DoseEntry):
            self._recorded(entry, f"correction saved for {row.cells[1]} {row.cells[0]}")

    def _undo_action(self, action: LastAction) -> None:
        assert self._undo is not None
        text = self._describe(action)
        try:
            self._undo.undo(action)
        except ValidationError as exc:
            self._update_undo()
            self._say(" ".join(errors_of(exc, f"Not undone ({text})").values()), error=True)
            return
        self._say(f"Undone: {text}." + (" The record shows it was undone."
                                        if action.items else ""))

    def _write(self, action: Callable[[], DoseEntry], description: str) -> None:
        try:
            entry = action()
        except ValidationError as exc:
            # (a full disk: the row stays due, and the same button records it once the
            # disk has room)
            self._say(" ".join(errors_of(
                exc, f"This dose was not recorded ({description})").values()), error=True)
            return
        self._recorded(entry, description)

    def _recorded(self, _entry: DoseEntry, description: str) -> None:
        self._say(f"Saved: {description}.")

    def _done_text(self, row: Row, entry: DoseEntry | None = None) -> str:
        name = row.dose.medicine.generic_name if row.dose else (
            row.prn.medicine.generic_name if row.prn else row.cells[1])
        due = f" {row.cells[0]}" if row.dose is not None else ""
        zone = self._book.zone()
        if entry is None or entry.kind is EntryKind.GIVEN:
            at = entry.given_at if entry and entry.given_at else self._book.now()
            by = self._session.on_duty.initials if self._session.on_duty else ""
            text = f"{name}{due} given at {to_utc(at).astimezone(zone):%H:%M}"
            return text + (f" by {by}" if by else "")
        reason = entry.skip_reason.label if entry.skip_reason else ""
        return f"{name}{due} skipped: {reason}"

    # ---- Private: slots

    def _open_snooze_menu(self) -> None:
        button = self.card.snooze_button
        if not button.isEnabled():
            return
        menu = self.card.snooze_menu
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        menu.setActiveAction(self.card.snooze_actions[10])

    def _on_date_edited(self, value: QDate) -> None:
        self.set_day(date(value.year(), value.month(), value.day()))

    def _on_book_changed(self, medicine_id: int) -> None:
        self._supply.pop(medicine_id, None)
        self._supply_stale = True
        self.refresh_soon()

    def _on_duty_changed(self, caregiver) -> None:
        if caregiver is not None and self.duty_bar.isVisible() and self._pending is None:
            self.duty_bar.hide()
        self._update_card()

    def _on_caregivers_changed(self) -> None:
        if self.duty_bar.isVisible():
            self._fill_duty_combo()
        self.refresh_soon()

    def _clear_supply(self) -> None:
        self._supply.clear()
        self._supply_stale = True

    def _on_patient_changed(self) -> None:
        self._clear_supply()
        self.refresh_soon()

    def _on_medicine_clicked(self) -> None:
        row = self.current_row()
        if row is not None:
            self.show_medicine_requested.emit(row.medicine_id)

    def _on_read_about(self) -> None:
        row = self.current_row()
        medicine = (row.dose.medicine if row and row.dose else row.prn.medicine
                    if row and row.prn else row.extra.medicine if row and row.extra else None)
        if medicine is not None and medicine.reference_id:
            self.read_about_requested.emit(medicine.reference_id)

    def _on_activated(self, index: QModelIndex) -> None:
        """Enter or a double-click on a row: go to the card's button for it (a second,
        deliberate key or click records), never record at once."""
        row = self.model.row_at(index)
        if row is None:
            return
        if index.row() != self.tree.currentIndex().row() or \
                index.parent() != self.tree.currentIndex().parent():
            self.tree.setCurrentIndex(index)
        self._point_at_answer(row)

    def _edit_reminder_settings(self) -> None:
        settings = self._settings
        household = self._book.household_settings()

        def save(prefs: ReminderPrefs) -> None:
            # the household's dose timing first: kept in the records, it may be refused
            # (a full disk), and then nothing is changed
            self._book.save_dose_timing(prefs.on_time_minutes, prefs.missed_after_minutes)
            settings.reminder_lead_minutes = prefs.lead_minutes
            settings.reminder_repeat_minutes = prefs.repeat_minutes
            settings.reminder_sound = prefs.sound
            settings.close_to_tray = prefs.close_to_tray
            settings.appointment_reminder_hours = prefs.appointment_hours
            settings.bring_to_front = prefs.bring_to_front
            settings.reminder_volume = prefs.volume
            settings.reminder_escalate = prefs.escalate
            settings.reminder_loudest = prefs.loudest
            settings.discreet_notices = prefs.discreet
            settings.sync()

        prefs = ReminderSettingsDialog.ask(
            ReminderPrefs(settings.reminder_lead_minutes, settings.reminder_repeat_minutes,
                          settings.reminder_sound, settings.close_to_tray,
                          settings.appointment_reminder_hours, settings.bring_to_front,
                          household.dose_on_time_minutes,
                          household.dose_missed_after_minutes, settings.reminder_volume,
                          settings.reminder_escalate, settings.reminder_loudest,
                          discreet=settings.discreet_notices),
            tray_available=self._tray_available(), save=save, parent=self)
        if prefs is None:
            return
        if self._reminders is not None:
            self._reminders.rearm()
        self._say("Reminder settings saved.")


def _dose_text(occ) -> str:
    """"2 tablets of the 5 mg tablet, by mouth"; "5 mL of the 105 mg/5 mL liquid ..."."""
    version = occ.version
    strength = f"{version.strength} " if version.strength else ""
    return f"{occ.dose.describe()} of the {strength}{version.form.label}, {version.route.label}"


def _appointment_text(appointment, zone, today: date) -> str:
    """"Tue 1 Dec 10:00 Neurology review with Dr Lee" (duck-typed ``Appointment``)."""
    start = to_utc(appointment.starts_at).astimezone(zone)
    day = "today" if start.date() == today else (
        "tomorrow" if start.date() == today + timedelta(days=1) else f"{start:%a} {start.day} "
                                                                     f"{start:%b}")
    title = appointment.title() if callable(getattr(appointment, "title", None)) else getattr(
        appointment, "purpose", "Appointment")
    who = getattr(appointment, "contact_name", "")
    return f"{day} {start:%H:%M} {title}" + (f" with {who}" if who else "")
