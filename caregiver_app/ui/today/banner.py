"""The in-app reminder banner: big, clear, across the top of the main window, with Given
and Snooze for each dose. It is always used, tray or not (a ``Notifier``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.reminders import SNOOZE_CHOICES
from caregiver_app.services.notifier import Notice, NoticeItem, NoticeKind
from caregiver_app.ui.actions import add_action
from caregiver_app.ui.tones import Pair, keep_styled, pair

#: Rows with their own buttons; more are summed up with "Show in Today".
MAX_ROWS = 4
#: The banner's colours in a light theme (``tones.pair`` gives the dark theme's).
STYLES = {
    NoticeKind.DOSES: Pair("#ffe2a8", "#1f1400"),
    NoticeKind.UNRECORDED: Pair("#f7c6c6", "#1f1400"),
    NoticeKind.EARLY: Pair("#dbe7f7", "#1f1400"),
    NoticeKind.CATCH_UP: Pair("#ffe2a8", "#1f1400"),
    NoticeKind.APPOINTMENT: Pair("#dbe7f7", "#1f1400"),
}


class ReminderBanner(QFrame):
    given_requested = Signal(int, str)
    """Given was pressed for a dose: ``(medicine_id, occurrence_key)``."""

    snooze_requested = Signal(int, str, int)
    """Snooze was chosen for a dose: ``(medicine_id, occurrence_key, minutes)``."""

    open_requested = Signal(int, str)
    """Show the Today tab at this dose (``(0, "")``: just the Today tab)."""

    answer_requested = Signal(int, str)
    """"What happened?" for a dose past its grace period: show it on the Today tab,
    ready to record it as given at another time or not given."""

    review_requested = Signal()
    """Open the "while you were away" list."""

    care_team_requested = Signal()
    """Show the appointments (an appointment reminder's button)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ReminderBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Reminder")
        self._notice: Notice | None = None
        self._items: list[NoticeItem] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title_label = QLabel()
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        self.title_label.setAccessibleName("Reminder title")
        top.addWidget(self.title_label, 1)
        self.review_button = QPushButton("Review the list…")
        self.review_button.setAccessibleName("Review what fell due while you were away")
        self.review_button.clicked.connect(self.review_requested)
        self.open_button = QPushButton("Show in Today")
        self.open_button.setAccessibleName("Show in the Today tab")
        self.open_button.clicked.connect(self._open_first)
        self.close_button = QPushButton("Hide")
        self.close_button.setAccessibleName("Hide this reminder")
        self.close_button.setToolTip("Hide the banner. The doses stay on the Today tab, and "
                                     "reminders come again until they are recorded.")
        self.close_button.clicked.connect(self.clear)
        for button in (self.review_button, self.open_button, self.close_button):
            top.addWidget(button)
        layout.addLayout(top)
        self.rows = QGridLayout()
        layout.addLayout(self.rows)
        self.more_label = QLabel()
        layout.addWidget(self.more_label)
        self._row_widgets: list[QWidget] = []
        self._rows_of: list[tuple[QWidget, ...]] = []  # each shown dose's label and buttons
        self._room: QSize | None = None  # (fit_room)
        self._single_line: QLabel | None = None  # the one dose's line, set in the title's font
        self._buttons: list[tuple[QPushButton, QPushButton | None]] = []
        self.hide()

    # ---- Public API (Notifier)

    def notify(self, notice: Notice) -> None:
        """Show ``notice``, replacing what was shown (one banner, never a stack)."""
        self._notice = notice
        self._items = list(notice.items)
        light = STYLES[notice.kind]
        keep_styled(self, lambda: "#ReminderBanner {{ background: {}; }} "
                    "#ReminderBanner QLabel {{ color: {}; }}".format(*pair(light)))
        urgent = notice.kind in (NoticeKind.CATCH_UP, NoticeKind.UNRECORDED)
        self.title_label.setText(("⚠ " if urgent else "◷ ") + notice.title)
        self.review_button.setVisible(notice.kind is NoticeKind.CATCH_UP)
        self.open_button.setText("Show in Care team" if notice.kind is NoticeKind.APPOINTMENT
                                 else "Show in Today")
        self._fill()
        self.show()
        # (imported here, not at start: PySide makes QAccessible's nine enums when it is
        # first imported, ~2.5 ms, for a banner that does not show at start)
        from PySide6.QtGui import QAccessible, QAccessibleEvent

        if QAccessible.isActive():  # screen readers announce it
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def clear(self) -> None:
        self._notice = None
        self._items = []
        self._fill()
        self.hide()

    # ---- Public API

    def notice(self) -> Notice | None:
        return self._notice

    def items(self) -> list[NoticeItem]:
        return list(self._items)

    def withdraw(self, medicine_id: int, key: str) -> None:
        """The dose was recorded or snoozed: take it off (``Notifier.withdraw``)."""
        self.remove(medicine_id, key)

    def remove(self, medicine_id: int, key: str) -> None:
        """A dose was recorded or snoozed: take it off the banner (hide when empty)."""
        kept = [i for i in self._items if (i.medicine_id, i.key) != (medicine_id, key)]
        if len(kept) == len(self._items):
            return
        self._items = kept
        if not kept:
            self.clear()
        else:
            self._fill()

    def fit_room(self, room: QSize) -> None:
        """The banner may be ``room.width()`` wide and at most ``room.height()`` tall
        (its window's share): it shows as many doses with their own buttons as fit, one
        at least, and sums up the rest ("and 2 more: Show in Today")."""
        if room == self._room:
            return
        self._room = QSize(room)
        if self._rows_of:  # (else nothing to fit: no doses shown)
            self._fit_rows()

    def rows_shown(self) -> int:
        """How many doses have their own row (and buttons) in view."""
        return sum(1 for widgets in self._rows_of if not widgets[0].isHidden())

    def given_button(self, row: int) -> QPushButton:
        """The row's first button: "✓ Given", or "What happened?…" for a dose past its
        grace period."""
        return self._buttons[row][0]

    def snooze_menu(self, row: int) -> QMenu:
        snooze = self._buttons[row][1]
        assert snooze is not None, "a dose past its grace period has no Snooze"
        menu = snooze.menu()
        assert menu is not None
        return menu

    # ---- Qt

    def changeEvent(self, event: QEvent) -> None:
        """A new text size (View ▸ Text size): the title, and a single dose's line, set
        in their own larger font, grow with the rest rather than stay at the old size
        until the next reminder."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._set_fonts()
            # the rows are taller or shorter now: measured once every widget has the
            # new size (the application's font reaches them one by one)
            if self._rows_of:
                QTimer.singleShot(0, self, self._fit_rows)

    # ---- Private

    def _title_font(self) -> QFont:
        """The banner's text, bold and a quarter larger."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        return font

    def _set_fonts(self) -> None:
        font = self._title_font()
        self.title_label.setFont(font)
        if self._single_line is not None:
            self._single_line.setFont(font)

    def _fill(self) -> None:
        for widget in self._row_widgets:
            self.rows.removeWidget(widget)
            widget.hide()  # deleteLater waits for the event loop; never paint it again
            widget.deleteLater()
        self._row_widgets = []
        self._rows_of = []
        self._single_line = None
        self._buttons = []
        notice = self._notice
        if notice is None:
            self.more_label.hide()
            return
        self._set_fonts()
        actionable = notice.kind in (NoticeKind.DOSES, NoticeKind.EARLY, NoticeKind.UNRECORDED)
        shown = self._items[:MAX_ROWS] if actionable else []
        for row, item in enumerate(shown):
            label = QLabel(item.line)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            if len(shown) == 1:
                self._single_line = label
                label.setFont(self._title_font())
            if item.ask:
                ask = QPushButton("What happened?…")
                ask.setAccessibleName(f"Say what happened: {item.line}")
                ask.setToolTip("Show it on the Today tab, to record it as given at another "
                               "time or not given")
                ask.clicked.connect(
                    lambda _=False, i=item: self.answer_requested.emit(i.medicine_id, i.key))
                self.rows.addWidget(label, row, 0)
                self.rows.addWidget(ask, row, 1, 1, 2)
                self._row_widgets.extend((label, ask))
                self._rows_of.append((label, ask))
                self._buttons.append((ask, None))
                continue
            given = QPushButton("✓ Given")
            given.setAccessibleName(f"Given: {item.line}")
            given.clicked.connect(
                lambda _=False, i=item: self.given_requested.emit(i.medicine_id, i.key))
            snooze = QPushButton("◷ Snooze")
            snooze.setAccessibleName(f"Snooze: {item.line}")
            menu = QMenu(snooze)
            for minutes in SNOOZE_CHOICES:
                add_action(menu, f"{minutes} minutes",
                           lambda i=item, m=minutes: self.snooze_requested.emit(
                               i.medicine_id, i.key, m))
            snooze.setMenu(menu)
            self.rows.addWidget(label, row, 0)
            self.rows.addWidget(given, row, 1)
            self.rows.addWidget(snooze, row, 2)
            self._row_widgets.extend((label, given, snooze))
            self._rows_of.append((label, given, snooze))
            self._buttons.append((given, snooze))
        self.rows.setColumnStretch(0, 1)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Show the doses' rows that fit the room (``fit_room``), one at least; the
        rest are summed up under them."""
        shown = len(self._rows_of)
        while True:
            self._show_rows(shown)
            if shown <= 1 or self._room is None or self._height() <= self._room.height():
                return
            shown -= 1

    def _height(self) -> int:
        """The banner's height at the room's width, with the rows shown now."""
        layout = self.layout()
        layout.invalidate()
        width = self._room.width() if self._room is not None else self.width()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        return height if height > 0 else layout.totalSizeHint().height()

    def _show_rows(self, count: int) -> None:
        for row, widgets in enumerate(self._rows_of):
            for widget in widgets:
                widget.setVisible(row < count)
        notice = self._notice
        rest = len(self._items) - min(count, len(self._rows_of))
        if notice is None:
            self.more_label.setText("")
        elif notice.kind in (NoticeKind.CATCH_UP, NoticeKind.APPOINTMENT):
            self.more_label.setText(notice.detail or notice.text)
        elif rest > 0:
            self.more_label.setText(f"and {rest} more: Show in Today")
        else:
            self.more_label.setText(notice.detail if not self._rows_of else "")
        self.more_label.setVisible(bool(self.more_label.text()))

    def _open_first(self) -> None:
        if self._notice is not None and self._notice.kind is NoticeKind.APPOINTMENT:
            self.care_team_requested.emit()
            return
        first = (self._items[0].medicine_id, self._items[0].key) if self._items else (0, "")
        self.open_requested.emit(*first)
