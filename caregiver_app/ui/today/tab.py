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
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QTabBar,
    QWidget,
)

from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.today import (
    day_note,
    day_summary,
    initials_of,
    next_refresh,
    notice_lines,
)
from caregiver_app.domain.today_sections import (
    AnswerButton,
    answer_for,
    build_sections,
    first_actionable,
    row_actions,
)
from caregiver_app.domain.undo import NOTHING_TO_UNDO, LastAction
from caregiver_app.services.changes import Changes
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.session import People, Session
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.today import layout
from caregiver_app.ui.today.card_binding import show_on_card
from caregiver_app.ui.today.model import Row
from caregiver_app.ui.today.notices import SupplyWarnings
from caregiver_app.ui.today.recorder import DoseRecorder
from caregiver_app.ui.tones import Tone, ink_css, keep_styled

log = logging.getLogger(__name__)

#: The "Large text" view: this many times the app's text size.
LARGE_TEXT = 1.6
#: Appointments shown in the header this far ahead.
APPOINTMENTS_AHEAD = timedelta(days=7)


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
        self._supply = SupplyWarnings(book)  # the header's reorder and discard warnings
        self._next_change_at: datetime | None = None  # when the day shown changes by itself
        self._shown_today: date | None = None  # what "today" was at the last refresh
        self._cards_shown = 0  # how many times the card was filled (once per refresh)

        self.setAccessibleName("Today")
        self._recorder = DoseRecorder(book, session, patients, undo, say=self._say, parent=self)
        layout.build(self)
        self.shortcuts = layout.install_shortcuts(self)
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self.refresh)
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.setTimerType(Qt.TimerType.PreciseTimer)
        self._tick.timeout.connect(self.refresh)

        if undo is not None:
            undo.changed.connect(self._update_undo)
        if reminders is not None:
            clock_jumped = getattr(reminders, "clock_jumped", None)
            if clock_jumped is not None:
                clock_jumped.connect(self.refresh_soon)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._apply_font)
        self._apply_font()

    # ---- Public API

    def add_line(self, widget: QWidget) -> None:
        """Show ``widget``, one line from another tab (How things are going's "Due: …"),
        under the warnings and appointments line."""
        from PySide6.QtWidgets import QVBoxLayout

        layout = self.layout()  # (built by ``ui.today.layout``)
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.notices_label) + 1, widget)

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
        with self._book.reading():  # (the patient's time zone read once)
            self._refresh()

    def _refresh(self) -> None:
        book = self._book
        now, today = book.now(), book.today()
        if self._day is None or (self._follow_today and self._day != today):
            self._day = today
            self._clear_supply()
        day = self._day
        medicines = book.medicines()  # read once for the day, yesterday's doses, the stock
        view = book.day(day, medicines=medicines)
        carried = book.carried_over(day, medicines=medicines) if day == today else ()
        snoozes = self._reminders.snoozes() if self._reminders is not None else {}
        initials = initials_of(self._patients.caregivers(include_inactive=True))
        sections = build_sections(view, now=now, today=today, initials=initials,
                                  snoozes=snoozes, carried=carried)
        keep = self._current_identity()
        self.model.set_sections(sections)
        # the widths first (from the texts; it returns when none changed), so the rows
        # are laid out once, by expandAll, at the widths they are shown at
        self._columns.fit()
        self.tree.expandAll()
        for s in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(s, QModelIndex(), True)
        cards_shown = self._cards_shown
        self._restore_selection(keep)  # (a new current row shows itself on the card)
        self._show_date(day, today)
        self._shown_today = today
        summary = day_summary(view, today, carried)
        self.header_label.setText(summary)
        self._update_notices(today, now, medicines)
        if self._cards_shown == cards_shown:  # the same row, or none: shown again here
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
        carried = day < today and self._book.is_carried_over(medicine_id, key, today)
        self._day = today if carried else day
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
        self._with_duty(lambda: self._recorder.give(row))

    def give_at_time(self) -> None:
        row = self.current_row()
        if row is None or not self.card.given_at_button.isEnabled():
            return
        self._with_duty(lambda: self._recorder.give_at(row))

    def give_all(self) -> None:
        """"Given: all due at 08:00": one confirmation listing each dose of the selected
        dose's time (``BatchGivenDialog``); early, as-needed and food-rule lines need
        their own tick. Undo takes the whole group back."""
        row = self.current_row()
        if row is None or row.dose is None or not self.card.batch_button.isEnabled():
            return
        self._with_duty(lambda: self._recorder.give_all(row))

    def skip(self) -> None:
        row = self.current_row()
        if row is None or row.dose is None or not self.card.skip_button.isEnabled():
            return
        self._with_duty(lambda: self._recorder.skip(row))

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
        self._with_duty(lambda: self._recorder.correct(row))

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

    def _undo_action(self, action: LastAction) -> None:
        self._recorder.undo_action(action, refused=self._update_undo)

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

    # ---- Private: building

    # ---- Private: showing

    def _apply_font(self, *_args) -> None:
        """The day's text: the app's size, or larger in the "Large text" view (called
        again whenever the app's text size changes; ``layout.apply_font``)."""
        layout.apply_font(self, LARGE_TEXT if self._settings.today_large_text else None)

    def _cap_card(self) -> None:
        """The card takes at most ``layout.CARD_SHARE`` of the width, more only when
        its buttons need it; the list gets the rest."""
        layout.cap_card(self)

    def _show_date(self, day: date, today: date) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self.day_note.setText(day_note(day, today))
        self.today_button.setEnabled(day != today)
        self.print_button.setText("&Print today's checklist…" if day == today
                                  else "&Print this day's checklist…")

    def _update_notices(self, today: date, now: datetime,
                        medicines: Sequence[Medicine]) -> None:
        upcoming = (self._appointments(now, now + APPOINTMENTS_AHEAD)
                    if self._appointments is not None else [])
        lines = notice_lines(upcoming, self._supply.warnings(today, medicines),
                             zone=self._book.zone(), today=today)
        self.notices_label.setText("\n".join(lines))
        self.notices_label.setVisible(bool(lines))

    def _update_card(self, *_args) -> None:
        self._cards_shown += 1
        row = self.current_row()
        show_on_card(self.card, row, rows=self.model.rows(), day=self.day(), book=self._book,
                     patients=self._patients, can_snooze=self._reminders is not None)
        if row is not None:
            self._cap_card()

    def _restore_selection(self, keep: tuple[str, int, str] | None) -> None:
        index = self.model.index_of(keep) if keep else QModelIndex()
        if not index.isValid():
            first = first_actionable(self.model.sections())
            if first is not None:
                index = self.model.index(first[1], 0, self.model.index(first[0], 0))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _current_identity(self) -> tuple[str, int, str] | None:
        row = self.current_row()
        return row.identity if row else None

    def _arm_tick(self, view, snoozes) -> None:
        now = self._book.now()
        self._next_change_at = next_refresh(view, self._book.policy, snoozes, now)
        if self._next_change_at is None:
            self._tick.stop()
            return
        msec = max(0, int((self._next_change_at - now).total_seconds() * 1000)) + 50
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
        """Move the keyboard to the card's button for this row and say how to record it
        (``domain.today_sections.answer_for``; ``ask``: a reminder asked what
        happened). Nothing is recorded."""
        book, card = self._book, self.card
        actions = row_actions(row, day=self.day(), today=book.today(), now=book.now())
        answer = answer_for(row, actions, ask=ask)
        button = {AnswerButton.GIVEN_NOW: card.given_button,
                  AnswerButton.GIVEN_AT: card.given_at_button,
                  AnswerButton.CORRECT: card.correct_button}.get(answer.button)
        if button is not None:
            button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._say(answer.hint)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.feedback_label.setText(("⚠ " if error else "") + text)
        keep_styled(self.feedback_label,
                    lambda: ink_css(Tone.ERROR, bold=False) if error else "")
        font = QFont(self.tree.font())
        font.setBold(error)
        self.feedback_label.setFont(font)

    def _update_undo(self, *_args) -> None:
        """The Undo button names what it would take back, or is off."""
        layout.show_undo(self.undo_button, self._undo, self._recorder)

    # ---- Private: recording

    def _with_duty(self, action: Callable[[], None]) -> None:
        """Run ``action`` with a caregiver on duty, asking who is (inline) if nobody is."""
        self.duty_bar.run(action)

    # ---- Private: slots

    def _open_snooze_menu(self) -> None:
        button = self.card.snooze_button
        if not button.isEnabled():
            return
        menu = self.card.snooze_menu
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        menu.setActiveAction(self.card.snooze_actions[10])

    def _on_day_problem(self, message: str) -> None:
        self.day_error.set_message(message)
        self.day_note.setVisible(not message)

    def _on_date_edited(self, value: QDate) -> None:
        if not value.isValid():
            return
        self.set_day(date(value.year(), value.month(), value.day()))

    def apply_changes(self, changes: Changes) -> None:
        """A write anywhere (``Core.changes``, connected by the builder): read the day
        again when it touches the doses, the people or the appointments (a contact's
        name is shown beside them)."""
        if changes.patient:
            self._clear_supply()  # the zone, and with it the run-out dates
        self._supply.forget(changes.medicine_ids)
        if changes.on_duty:
            self._on_duty_changed(self._session.on_duty)
        if changes.caregivers and self.duty_bar.isVisible():
            self.duty_bar.refill()
        if (changes.due_doses or changes.caregivers or changes.appointments
                or changes.contacts):
            self.refresh_soon()

    def _on_duty_changed(self, caregiver) -> None:
        if caregiver is not None and self.duty_bar.isVisible() and self.duty_bar.pending is None:
            self.duty_bar.hide()
        self._update_card()

    def _clear_supply(self) -> None:
        self._supply.clear()

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
        # (its dialog and the login start's system code load when first asked for)
        from caregiver_app.ui.today.reminder_settings import edit_reminder_settings

        if not edit_reminder_settings(self._book, self._settings,
                                      tray_available=self._tray_available(), parent=self):
            return
        if self._reminders is not None:
            self._reminders.rearm()
        self._say("Reminder settings saved.")
