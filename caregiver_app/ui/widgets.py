"""Input widgets shared by the tabs' forms.

- ``DateEdit``: a date typed the way people write it (``12/04/1965``, ``2026-12-04``,
  ``4 Dec``, ``tomorrow``: ``domain.typed_dates``), shown back as "Fri 4 Dec 2026", with a
  calendar (its button, Alt+Down or F4) that opens on the field's date or today. One Tab
  stop: the whole date is one piece of text, not day/month/year sections.
- ``TimeEdit``: a time typed as ``9``, ``930``, ``9:30``, ``21:30`` or ``9.30pm``, shown
  back as "21:30". ``DateTimeEdit``: a day and time in one field ("yesterday 21:30", or a
  time alone, which keeps the day shown), shown as "Fri 4 Dec 2026 21:30", with the
  calendar. Both are ``TypedField``s like ``DateEdit``: one Tab stop, text that cannot be
  read stays with its message next to the field and nothing is saved, and the mouse
  wheel never changes them. No bare QTimeEdit/QDateTimeEdit/QDateEdit is used in ``ui``
  (a test checks).
- ``OptionalDate``: a tick box and a date ("Has a last day: 12 Dec 2026"), for dates that
  may be unknown, so nothing stands in for "no date" inside the date field itself.
- ``own_viewport``: a scroll area's or a list's viewport made here, the same as Qt's own,
  so that reading it at start does not make PySide load every widget class.
- ``fit_placeholder(field, longest, …, shortest)``: a field's grey hint, the longest of
  those given that fits the field's width at the text size in use (none when none fits,
  rather than a cut one), the whole hint in its tooltip while a shorter one shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QSize, Qt, QTime, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QToolButton,
    QWidget,
)

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.typed_dates import (
    TIME_EXAMPLE,
    NotUnderstood,
    every_shown_day,
    read_date,
    read_date_time,
    read_time,
    show_date,
    show_date_time,
    show_time,
)
from caregiver_app.domain.values import EARLIEST_DAY, LATEST_DAY, far_day_warning
from caregiver_app.ui.actions import on_triggered
from caregiver_app.ui.desktop import shortcut_text
from caregiver_app.ui.tones import Tone, ink, keep_styled

if TYPE_CHECKING:  # (made when a calendar is first opened: each Qt class makes its enums)
    from PySide6.QtWidgets import QCalendarWidget

DATE_FORMAT = "ddd d MMM yyyy"
LATEST = LATEST_DAY


_today: Callable[[], date] = date.today


def _app_today() -> date:
    """Today on the app's clock; the computer's date when the records it reads are
    closed (a window built after a restore, or after a test's records)."""
    try:
        return _today()
    except Exception:  # (any failure: the date fields must still open)
        return date.today()


def use_today(today: Callable[[], date]) -> None:
    """Where date fields learn what "today" and "tomorrow" are: the patient's day on the
    app's clock (set once by the app's builder; the computer's date until then)."""
    global _today
    _today = today


def own_viewport(area: QAbstractScrollArea) -> QWidget:
    """Give ``area`` (a scroll area, a list) a viewport made here, set up as Qt sets up
    the one it makes (its name, background and filling; ``setViewport`` does the rest),
    and return it. Call it before anything reads ``area.viewport()``: before
    ``QScrollArea.setWidget`` and before an event filter is put on the viewport, since
    ``setViewport`` deletes the old viewport with its children.

    The first time Python is handed a widget that Qt made and Python has not seen,
    PySide finds out its class by loading every widget class it has, with their ~40
    enum types (~8 ms CPU, ~30 M instructions): at start that was Today's list's or
    card's ``viewport()``. A viewport made here is one PySide knows already.
    ``tests/ui/test_viewports.py`` checks that it is the same as Qt's own."""
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    # QAbstractScrollArea's own viewport paints the Base colour; QScrollArea's takes
    # none, so the window's background shows through
    viewport.setBackgroundRole(QPalette.ColorRole.NoRole if isinstance(area, QScrollArea)
                               else QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    area.setViewport(viewport)  # (parented, the focus proxy, its filter and gestures)
    return viewport


def locale_day_first() -> bool:
    """Numbers-only dates are month first where the computer's locale writes them so."""
    short = QLocale.system().dateFormat(QLocale.FormatType.ShortFormat).lower()
    return not (short.find("m") < short.find("d"))


class TypedField(QLineEdit):
    """A field people type a value into, read when they leave it (or press Enter, or the
    form reads it). Text it cannot read stays as typed, red, with its message
    (``problem()``, ``problem_changed``, the field's accessible description) until it is
    fixed; reading the field then raises ``ValidationError`` under ``field_name`` (set
    by ``FormErrors.add``), so the form shows the message next to it and saves nothing.
    One Tab stop; Tab or the field's Alt letter selects the text, so typing replaces
    it. A QLineEdit: the mouse wheel never changes it (it scrolls the form)."""

    problem_changed = Signal(str)

    def __init__(self, *, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.field_name = "date"
        self._problem = ""
        self._note = ""
        self._widest: tuple[str, int] | None = None  # (font, width of the widest value)
        self.editingFinished.connect(self.commit)

    def problem(self) -> str:
        """Why the text typed cannot be read ("" when it can)."""
        return self._problem

    def commit(self) -> None:
        """Read what was typed (on leaving the field, Enter, or when the form reads it)."""
        raise NotImplementedError

    def _checked(self) -> None:
        self.commit()
        if self._problem:
            raise ValidationError({self.field_name: self._problem})

    def widest_texts(self) -> tuple[str, ...]:
        """The widest values the field shows (one per weekday and month name, say): its
        size fits each of them whole, so a value is never shown cut at the left."""
        return ()

    # ---- Qt overrides

    def sizeHint(self) -> QSize:
        return self._fitting(super().sizeHint())

    def _fitting(self, hint: QSize) -> QSize:
        """``hint``, widened to show the widest value whole, at the current font."""
        font_key = self.font().key()
        if self._widest is None or self._widest[0] != font_key:
            texts = self.widest_texts()
            metrics = self.fontMetrics()
            widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
            self._widest = (font_key, widest + metrics.averageCharWidth() if texts else 0)
        if not self._widest[1]:
            return hint
        # QLineEdit's own hint is 17 "x" plus its frame, margins and trailing buttons
        around = super().sizeHint().width() - 17 * self.fontMetrics().horizontalAdvance("x")
        return QSize(max(hint.width(), around + self._widest[1]), hint.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()  # (and on to the dialog: Enter still saves the form)
            self.selectAll()  # what is typed next replaces it (the value, or a wrong one)
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                              Qt.FocusReason.ShortcutFocusReason,
                              Qt.FocusReason.OtherFocusReason):
            self.selectAll()  # typing replaces the value, as in a fresh field

    # ---- Private

    def _set_note(self, note: str) -> None:
        """A note under the field that does not stop the form saving (shown where its
        problems are, while it has none)."""
        if note == self._note or self._problem:
            return
        self._note = note
        self.setAccessibleDescription(note)
        self.problem_changed.emit(note)

    def _set_problem(self, message: str) -> None:
        if message == self._problem:
            return
        self._problem = message
        self.setAccessibleDescription(message)
        keep_styled(self, lambda: f"QLineEdit {{ border: 2px solid {ink(Tone.ERROR).name()}; }}"
                    if message else "")
        self.problem_changed.emit(message)


class _CalendarField(TypedField):
    """A typed field with a calendar (its button, Alt+Down or F4) that opens on the
    field's day, or today when it has none."""

    def __init__(self, *, accessible_name: str, parent: QWidget | None = None):
        super().__init__(accessible_name=accessible_name, parent=parent)
        self.calendar_action = QAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView),
            "Calendar", self)
        self.calendar_action.setToolTip(f"Choose on a calendar ({shortcut_text('Alt+Down')})")
        on_triggered(self.calendar_action, self.open_calendar)
        at_the_end = (self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.addAction(*at_the_end)  # (an action and its place, not addAction(text, slot))
        for icon_button in self.findChildren(QToolButton):  # (Qt's button for the action)
            icon_button.setAccessibleName(f"{accessible_name}: calendar")
        self.calendar: QCalendarWidget | None = None

    def open_calendar(self) -> QCalendarWidget | None:
        """The calendar, open on the field's day (today when it has none); None when
        the field is read-only."""
        self.commit()
        if self.isReadOnly() or not self.isEnabled():
            return None
        if self.calendar is None:
            from PySide6.QtWidgets import QCalendarWidget

            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setAccessibleName(f"{self.accessibleName()}: calendar")
            self.calendar.setGridVisible(True)
            # (a date, not a button's "checked" flag: the lambdas say so)
            self.calendar.clicked.connect(lambda day: self._chosen(day))
            self.calendar.activated.connect(lambda day: self._chosen(day))
        first, last = self._day_range()
        self.calendar.setDateRange(QDate(first), QDate(last))
        shown = min(max(self._calendar_day(), first), last)
        self.calendar.setSelectedDate(QDate(shown))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)
        return self.calendar

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def _chosen(self, value: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        self._day_chosen(value.toPython())
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def _calendar_day(self) -> date:
        raise NotImplementedError

    def _day_range(self) -> tuple[date, date]:
        raise NotImplementedError

    def _day_chosen(self, day: date) -> None:
        raise NotImplementedError


class DateEdit(_CalendarField):
    """A date field people type into (see the module's doc and ``TypedField``): "31
    Feb" is never saved as the date shown before it.
    ``blank_text``: the field may be left empty ("no last day"), then
    ``value_or_none()`` is None. A typed day more than 5 years from today is kept, with a
    note under the field to check the year (``far_note``; off for a date of birth)."""

    dateChanged = Signal(QDate)

    def __init__(self, *, accessible_name: str, earliest: date = EARLIEST_DAY,
                 blank_text: str = "", today: Callable[[], date] | None = None,
                 far_note: bool = True, parent: QWidget | None = None):
        super().__init__(accessible_name=accessible_name, parent=parent)
        self._far_note = far_note
        self._today = today or _app_today
        self._earliest, self._latest = earliest, LATEST
        self._blank_text = blank_text
        self._value: date | None = None if blank_text else max(earliest, self._today())
        self.setPlaceholderText(blank_text or "for example 4 Dec, 04/12/2026 or tomorrow")
        self.setToolTip("Type a date (4 Dec, 04/12/2026, 2026-12-04, tomorrow) or press "
                        f"{shortcut_text('Alt+Down')} for a calendar")
        self._show()

    # ---- Value

    def value(self) -> date:
        """The date typed; ``ValidationError`` when the text is not one."""
        value = self.value_or_none()
        return value if value is not None else self._earliest

    def value_or_none(self) -> date | None:
        if self.hasFocus() and self.isModified():
            # Being typed in (the form reads it for a preview of the next doses): read
            # what is there so far, but leave the text, and the keys still to come,
            # alone. Rewriting it to "Mon 5 Jan 2026" after "tod" of "today" made the
            # next keys land after the date ("Mon 5 Jan 2026ay").
            return self._read(self.text())
        self._checked()
        return self._value

    def _read(self, text: str) -> date | None:
        """The date ``text`` gives; ValidationError (with the field's message) if none."""
        text = text.strip()
        if not text and self._blank_text:
            return None
        try:
            day = read_date(text, self._today(), day_first=locale_day_first())
        except NotUnderstood as exc:
            raise ValidationError({self.field_name: str(exc)}) from exc
        if not self._earliest <= day <= self._latest:
            raise ValidationError({self.field_name: f"Choose a date from "
                                   f"{show_date(self._earliest)} to {show_date(self._latest)}."})
        return day

    def set_value(self, value: date | None) -> None:
        if value is not None:
            value = min(max(value, self._earliest), self._latest)
        changed = value != self._value
        self._value = value
        self._set_problem("")
        self._set_note("")
        self._show()
        if changed and value is not None:
            self.dateChanged.emit(QDate(value))

    def commit(self) -> None:
        text = self.text().strip()
        if not text and self._blank_text:
            changed = self._value is not None
            self._value = None
            self._set_problem("")
            if changed:
                self.dateChanged.emit(QDate())
            return
        if self._value is not None and text == show_date(self._value):
            self._set_problem("")
            return
        try:
            day = self._read(text)
        except ValidationError as exc:
            self._set_problem(next(iter(exc.errors.values()), ""))
            return
        if day is None:
            return
        self.set_value(day)
        if self._far_note:  # typed, not set by the form: "2062" for "2026" is easy to miss
            self._set_note(far_day_warning(day, self._today()) or "")

    # ---- QDateEdit's names, for the code that used one

    def date(self) -> QDate:
        """The last date read (an invalid QDate for none)."""
        return QDate(self._value) if self._value is not None else QDate()

    def setDate(self, value: QDate) -> None:
        self.set_value(value.toPython() if value.isValid() else None)

    def minimumDate(self) -> QDate:
        return QDate(self._earliest)

    def maximumDate(self) -> QDate:
        return QDate(self._latest)

    def setMinimumDate(self, value: QDate) -> None:
        self._earliest = value.toPython()
        if self._value is not None and self._value < self._earliest:
            self.set_value(self._earliest)

    def setMaximumDate(self, value: QDate) -> None:
        self._latest = value.toPython()
        if self._value is not None and self._value > self._latest:
            self.set_value(self._latest)

    def setDateRange(self, first: QDate, last: QDate) -> None:
        self.setMinimumDate(first)
        self.setMaximumDate(last)

    # ---- Private

    def _calendar_day(self) -> date:
        return self._value if self._value is not None else self._today()

    def _day_range(self) -> tuple[date, date]:
        return self._earliest, self._latest

    def _day_chosen(self, day: date) -> None:
        self.set_value(day)

    def widest_texts(self) -> tuple[str, ...]:
        return (*every_shown_day(), self._blank_text)

    def _show(self) -> None:
        self.setText(show_date(self._value) if self._value is not None else "")


class TimeEdit(TypedField):
    """A time of day typed as people write it (``9``, ``930``, ``9:30``, ``21:30``,
    ``9.30pm``, ``noon``: ``domain.typed_dates.read_time``), shown back as "21:30".
    See ``TypedField``: "25:00" keeps the form open with its message."""

    timeChanged = Signal(object)
    """The time read changed: carries the new ``datetime.time``."""

    def __init__(self, *, accessible_name: str, value: time = time(9, 0),
                 parent: QWidget | None = None):
        super().__init__(accessible_name=accessible_name, parent=parent)
        self.field_name = "time"
        self._value = value.replace(second=0, microsecond=0)
        self.setPlaceholderText(f"for example {TIME_EXAMPLE.removeprefix('for example ')}")
        self.setToolTip(f"Type a time, {TIME_EXAMPLE}")
        self._show()

    def value(self) -> time:
        """The time typed; ``ValidationError`` when the text is not one."""
        self._checked()
        return self._value

    def set_value(self, value: time) -> None:
        value = value.replace(second=0, microsecond=0)
        changed = value != self._value
        self._value = value
        self._set_problem("")
        self._show()
        if changed:
            self.timeChanged.emit(value)

    def commit(self) -> None:
        text = self.text().strip()
        if text == show_time(self._value):
            self._set_problem("")
            return
        try:
            moment = read_time(text)
        except NotUnderstood as exc:
            self._set_problem(str(exc) if text else f"Type a time, {TIME_EXAMPLE}.")
            return
        self.set_value(moment)

    # ---- QTimeEdit's names, for the code that used one

    def time(self) -> QTime:
        """The last time read."""
        return QTime(self._value.hour, self._value.minute)

    def setTime(self, value: QTime) -> None:
        self.set_value(time(value.hour(), value.minute()))

    def widest_texts(self) -> tuple[str, ...]:
        return ("20:55", "00:00")

    def _show(self) -> None:
        self.setText(show_time(self._value))


class DateTimeEdit(_CalendarField):
    """A day and time in one field, one Tab stop: a time alone (``930``, ``9.30pm``)
    keeps the day shown, a day alone (``yesterday``, ``4 Dec``) keeps the time, or both
    (``yesterday 21:30``; ``domain.typed_dates.read_date_time``). Shown back as
    "Fri 4 Dec 2026 21:30"; the calendar changes the day and keeps the time.
    ``latest``: the last moment it may hold (a dose given cannot be in the future);
    later text is refused with ``too_late`` and the moment shown. See ``TypedField``.
    Values are naive wall-clock times (the patient's clock)."""

    dateTimeChanged = Signal(object)
    """The moment read changed: carries the new naive ``datetime``."""

    def __init__(self, *, accessible_name: str, value: datetime,
                 now: Callable[[], datetime] | None = None,
                 latest: datetime | None = None, too_late: str = "That is later than now.",
                 parent: QWidget | None = None):
        super().__init__(accessible_name=accessible_name, parent=parent)
        self.field_name = "at"
        self._now = now or (lambda: datetime.combine(_app_today(), datetime.now().time()))
        self._earliest = datetime.combine(EARLIEST_DAY, time(0, 0))
        self._latest = datetime.combine(LATEST_DAY, time(23, 59))
        self._too_late = ""
        self._value = self._within(value.replace(second=0, microsecond=0))
        if latest is not None:
            self.set_latest(latest, too_late)
        self.setPlaceholderText("for example 9:30, yesterday 21:30 or 4 Dec 9.30pm")
        self.setToolTip("Type a time (9:30, 930, 9.30pm) to keep the day, or the day too "
                        "(yesterday 21:30, 4 Dec 9.30pm); "
                        f"{shortcut_text('Alt+Down')} opens a calendar")
        self._show()

    # ---- Value

    def value(self) -> datetime:
        """The day and time typed; ``ValidationError`` when the text is not one."""
        self._checked()
        return self._value

    def set_value(self, value: datetime) -> None:
        value = self._within(value.replace(second=0, microsecond=0, tzinfo=None))
        changed = value != self._value
        self._value = value
        self._set_problem("")
        self._show()
        if changed:
            self.dateTimeChanged.emit(value)

    def latest(self) -> datetime:
        return self._latest

    def set_latest(self, latest: datetime, too_late: str = "That is later than now.") -> None:
        """The last moment the field takes (now, for a dose given)."""
        self._latest = latest.replace(second=0, microsecond=0, tzinfo=None)
        self._too_late = too_late
        if self._value > self._latest:
            self.set_value(self._latest)

    def commit(self) -> None:
        text = self.text().strip()
        if text == show_date_time(self._value):
            self._set_problem("")
            return
        try:
            moment = read_date_time(text, self._now(), self._value,
                                    day_first=locale_day_first())
        except NotUnderstood as exc:
            self._set_problem(str(exc))
            return
        if moment > self._latest:
            advice = (f" For another day, type it too: “yesterday {show_time(moment.time())}”."
                      if moment.date() == self._value.date() else "")
            self._set_problem(f"{self._too_late} Type a day and time up to "
                              f"{show_date_time(self._latest)}.{advice}")
            return
        if moment < self._earliest:
            self._set_problem(f"Type a day from {show_date(self._earliest.date())}.")
            return
        self.set_value(moment)

    # ---- Private

    def _within(self, value: datetime) -> datetime:
        return min(max(value, self._earliest), self._latest)

    def _calendar_day(self) -> date:
        return self._value.date()

    def _day_range(self) -> tuple[date, date]:
        return self._earliest.date(), self._latest.date()

    def _day_chosen(self, day: date) -> None:
        self.set_value(datetime.combine(day, self._value.time()))

    def widest_texts(self) -> tuple[str, ...]:
        return tuple(f"{day} 20:55" for day in every_shown_day())

    def _show(self) -> None:
        self.setText(show_date_time(self._value))


class RowTabbing(QStyledItemDelegate):
    """For a small table typed into (caregivers, allergies): Tab in a cell being typed
    into goes to the next cell of its row, and from the row's last cell out of the
    table, to the next control (Shift+Tab from the first cell goes back out). Qt's own
    editors go on from cell to cell and row to row, so Tab never left the table.
    ``install(view)`` sets it on ``view`` (whose own Tab already leaves it)."""

    @classmethod
    def install(cls, view: QAbstractItemView) -> RowTabbing:
        view.setTabKeyNavigation(False)
        delegate = cls(view)
        view.setItemDelegate(delegate)
        return delegate

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        view = self.parent()
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and isinstance(view, QAbstractItemView) and isinstance(editor, QWidget)
                and view.model() is not None):
            back = (event.key() == Qt.Key.Key_Backtab
                    or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            column = view.currentIndex().column()
            edge = 0 if back else view.model().columnCount() - 1
            if column == edge:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                # (the view has the focus again; its own Tab leaves it)
                key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
                QApplication.sendEvent(view, QKeyEvent(
                    QEvent.Type.KeyPress, key, event.modifiers()))
                return True
        return super().eventFilter(editor, event)


class OptionalDate(QWidget):
    """A tick box ("Has a review date") and a date, enabled when ticked: side by side
    where both fit, else the date under the tick box (large text in a narrow form), so
    the date always shows whole (beside the box, squeezed, "7 Dec 2026" showed as
    "Dec 2026": a date that reads as another)."""

    changed = Signal()
    """The tick box or the date changed."""

    def __init__(self, check_text: str, *, accessible_name: str, default: date,
                 earliest: date = EARLIEST_DAY, far_note: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.check.setAccessibleName(f"{accessible_name}: set")
        self.edit = DateEdit(accessible_name=accessible_name, earliest=earliest,
                             far_note=far_note)
        self.edit.set_value(default)
        self.edit.setEnabled(False)
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return self.edit.value() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.set_value(value)

    # ---- Qt overrides: one row where both fit whole, else two (the width the form
    # gives it decides; the height it then needs follows)

    def _side_by_side(self) -> int:
        """The width the tick box and the whole date need beside each other."""
        return (self.check.sizeHint().width() + self._layout.spacing()
                + self.edit.sizeHint().width())

    def minimumSizeHint(self) -> QSize:
        # (the date under the box: as narrow as the wider of the two, the date whole)
        hint = super().minimumSizeHint()
        return QSize(max(self.check.minimumSizeHint().width(), self.edit.sizeHint().width()),
                     hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= self._side_by_side()
        direction = (QHBoxLayout.Direction.LeftToRight if wide
                     else QHBoxLayout.Direction.TopToBottom)
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
            self.updateGeometry()  # (one row or two: the form gives it the height)
        super().resizeEvent(event)


#: What can change how much of a hint a field has room for.
_REFIT = frozenset((QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange,
                    QEvent.Type.Show))


def placeholder_room(field: QLineEdit) -> int:
    """How wide a text ``field`` shows whole: its contents, as ``QLineEdit`` paints
    them, less its text margins, its own 2-pixel margins and its icon buttons."""
    from PySide6.QtWidgets import QStyleOptionFrame  # (not at start: made when used)

    option = QStyleOptionFrame()
    field.initStyleOption(option)
    contents = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents,
                                            option, field)
    margins = field.textMargins()
    buttons = sum(button.width() for button in field.findChildren(QToolButton)
                  if button.parentWidget() is field and button.isVisibleTo(field))
    return contents.width() - margins.left() - margins.right() - 2 * 2 - buttons


class _PlaceholderFit(QObject):
    """Keeps ``field``'s placeholder the longest of ``hints`` that fits it."""

    def __init__(self, field: QLineEdit, hints: tuple[str, ...]):
        super().__init__(field)
        self.hints = hints
        self.tip = ""  # the tooltip set here (one the app set stays)
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _REFIT and isinstance(watched, QLineEdit):
            self.fit(watched)
        return False

    def fit(self, field: QLineEdit) -> None:
        room, metrics = placeholder_room(field), field.fontMetrics()
        shown = next((hint for hint in self.hints
                      if metrics.horizontalAdvance(hint) <= room), "")
        if field.placeholderText() != shown:
            field.setPlaceholderText(shown)
        tip = self.hints[0] if shown != self.hints[0] else ""
        if field.toolTip() == self.tip and tip != self.tip:
            field.setToolTip(tip)
            self.tip = tip


def fit_placeholder(field: QLineEdit, *hints: str) -> None:
    """Give ``field`` the placeholder ``hints[0]``, or the longest of the shorter
    ``hints`` (longest first) when it does not fit the field's width (large text, a
    narrow window), or none when none fits: a hint cut in the middle of a word misleads.
    While a shorter one shows, the whole hint is the field's tooltip; it is always its
    accessible description. Called again, the field takes the new hints."""
    fitter = field.findChild(_PlaceholderFit)
    if not isinstance(fitter, _PlaceholderFit):
        fitter = _PlaceholderFit(field, hints)
    fitter.hints = hints
    field.setAccessibleDescription(hints[0])
    fitter.fit(field)
