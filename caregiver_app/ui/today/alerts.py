"""Where reminders meet the window: ``ReminderCenter`` delivers what the
``ReminderService`` announces to every notifier (the banner always; the tray and the sound
when present), opens the one "while you were away" list, and turns clicks into actions
on the Today tab (show the dose, record it as given, snooze it, say what happened).

Hard to miss: every notice also asks the desktop to flag the window
(``QApplication.alert``: a blinking taskbar entry), and one about a due dose restores a
minimised (or hidden) window and raises it when "Bring the window to the front" is on
(the default). As a window manager may only flag a window that is on another virtual
desktop or covered, the same notice then also comes as its own small always-on-top
window on the desktop in use (``ReminderPopup``), unless the main window is in use; it
goes when the main window is used again, and never comes over the window's own banner
when that window fills the screen. It never takes the keyboard from another
program on purpose, and if the desktop gives it anyway, the keyboard lands on the
banner's "Show in Today", where a stray key records nothing.

One notice at a time: a repeat replaces the notice before it on every channel, and once
a dose is recorded or snoozed (from any screen, list or notice) every notice about it is
withdrawn (``Notifier.withdraw``): the banner's row, the tray message, a chime still
playing.

Closing the window keeps the app in the tray when there is a tray and the setting is on
(telling the caregiver once how to quit); closing it otherwise ends the app. Without a
tray, closing while reminders run asks first: "Reminders stop when the app is closed.
Minimise it instead?" Quit while reminders run says they stop until the app starts again
and offers to keep it running near the clock (or minimised). Whether there is a tray is
asked each time (a tray that comes after the app, a panel restarted, is used), and while
the window is hidden in the tray a slow check (``tray_watch``) brings it back, minimised,
if the tray goes away, so the app can always be reached.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from caregiver_app import APP_NAME
from caregiver_app.domain.doses import DoseStatus, EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.services.changes import Changes
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.notifier import (
    Notice,
    NoticeItem,
    NoticeKind,
    Notifier,
    notice_for_appointments,
    notice_for_batch,
    notice_for_catch_up,
)
from caregiver_app.services.reminders import ReminderBatch, ReminderService
from caregiver_app.services.session import People, Session
from caregiver_app.services.system_notices import SystemNotifier
from caregiver_app.ui import desktop, messages
from caregiver_app.ui.actions import add_action
from caregiver_app.ui.notifiers import TrayNotifier
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.today.banner import ReminderBanner
from caregiver_app.ui.today.popup import ReminderPopup
from caregiver_app.ui.today.tab import TodayTab

if TYPE_CHECKING:  # the catch-up list loads when first shown
    from caregiver_app.ui.today.catch_up import Answer, CatchUpDialog

log = logging.getLogger(__name__)

_SECOND = timedelta(seconds=1)
#: While hidden in the tray, check this often that the tray is still there.
TRAY_WATCH_MS = 20_000


class ReminderCenter(QObject):
    def __init__(self, *, service: ReminderService, book: MedicationBook, window,
                 today: TodayTab, banner: ReminderBanner, session: Session,
                 patients: People, settings: UiSettings,
                 notifiers: Sequence[Notifier] = (), tray: TrayNotifier | None = None,
                 popup: ReminderPopup | None = None, system: SystemNotifier | None = None,
                 parent: QObject | None = None):
        """``window``: the ``MainWindow`` (``bring_to_front``, ``show_tab``,
        ``set_close_to_tray``, ``quit``). ``notifiers``: besides the banner (the tray and
        the sound, where present). ``popup``: the reminder's own small window, for when
        the main window is out of view. ``system``: the operating system's own
        notifications (``services.system_notices``), whose buttons act here as the
        banner's do; the tray's message stands in while that service does not work."""
        super().__init__(parent)
        self._service = service
        self._book = book
        self._window = window
        self._today = today
        self.banner = banner
        self._session = session
        self._patients = patients
        self._settings = settings
        self._tray = tray
        self._notifiers: list[Notifier] = [banner, *notifiers]
        self._last_notice: Notice | None = None
        self.system = system
        if system is not None:
            self._notifiers.append(system)
            system.given_requested.connect(self.give)
            system.given_all_requested.connect(self.give_all)
            system.snooze_requested.connect(self.snooze_all)
            system.answer_requested.connect(self._on_answer_requested)
            system.open_requested.connect(self._on_tray_message)
            system.working_changed.connect(self._on_system_working)
        self.catch_up_dialog: CatchUpDialog | None = None
        self.tray_watch = QTimer(self)
        self.tray_watch.setInterval(TRAY_WATCH_MS)
        self.tray_watch.timeout.connect(self._check_tray)

        service.reminders_due.connect(self._on_batch)
        service.catch_up_ready.connect(self._on_catch_up)
        service.appointments_due.connect(self._on_appointments)
        self._outstanding: set[tuple[int, str]] = set()  # doses in the notices shown
        # the last notice about doses due now, less those withdrawn since: it shows again
        # when a "while you were away" notice that replaced it goes (``_take_off``)
        self._dose_notice: Notice | None = None
        self.popup = popup
        for shown in (banner, popup.banner if popup is not None else None):
            if shown is None:
                continue
            shown.given_requested.connect(self.give)
            shown.snooze_requested.connect(self.snooze)
            shown.open_requested.connect(self.open_today)
            shown.answer_requested.connect(self.ask_what_happened)
            shown.review_requested.connect(self.review_catch_up)
            shown.care_team_requested.connect(self.open_care_team)
        if popup is not None:
            popup.keep_clear_of(banner)  # whose buttons answer the same reminder
            # and of the window's buttons: the dose's in Today's detail pane, Undo
            popup.keep_clear_of(window, only_buttons=True)
        if tray is not None:
            tray.activated.connect(self._on_tray_message)
            tray.open_requested.connect(self._window.bring_to_front)
            self.tray_menu = QMenu()
            add_action(self.tray_menu, f"Open {APP_NAME}", self._window.bring_to_front)
            add_action(self.tray_menu, "Today's doses", lambda: self.open_today(0, ""))
            self.tray_menu.addSeparator()
            add_action(self.tray_menu, "Quit", self._window.quit)
            tray.icon.setContextMenu(self.tray_menu)
        # the setting decides, tray or not: with it off, closing the window ends the app
        window.set_close_to_tray(self._keep_in_tray, self._hidden_to_tray)
        if hasattr(window, "set_close_prompt"):
            window.set_close_prompt(self._reminders_would_stop)
        if hasattr(window, "set_quit_prompt"):
            window.set_quit_prompt(lambda: self._service.running, self._tray_available)

    # ---- Public API

    def notifiers(self) -> list[Notifier]:
        return list(self._notifiers)

    def add_notifier(self, notifier: Notifier) -> None:
        """Deliver to ``notifier`` too (tests add a fake one)."""
        self._notifiers.append(notifier)

    def deliver(self, notice: Notice) -> None:
        """Hand ``notice`` to every notifier (each replaces what it showed before)."""
        window = self._window
        self._last_notice = notice
        if notice.kind is not NoticeKind.CATCH_UP:
            self._dose_notice = notice if notice.kind.about_a_due_dose else None
        self._outstanding = {(i.medicine_id, i.key) for i in notice.items}
        in_use = window.isActiveWindow() and window.isVisible() and not window.isMinimized()
        for notifier in self._notifiers:
            notifier.notify(notice)
        bring = notice.kind.about_a_due_dose and self._settings.bring_to_front
        if bring:
            self.bring_up()
        if not in_use and notice.first and notice.kind in (NoticeKind.DOSES,
                                                            NoticeKind.UNRECORDED):
            self._show_reminded(*notice.first)
        if bring and self.popup is not None and not in_use:
            # on the desktop in use, on top, placed clear of the buttons that Today
            # shows for the dose selected just above
            self.popup.notify(notice)
            # the main window used again takes the popup away (``eventFilter``): watched
            # while the popup shows, not each of the window's events the rest of the time
            window.installEventFilter(self)
        if self.popup is not None and in_use:
            self.popup.clear()
        QApplication.alert(window)  # the taskbar entry asks for attention

    def bring_up(self) -> None:
        """Restore a minimised or hidden window and raise it above the others, its
        reminder banner in view, without asking for the keyboard. Should the
        desktop give it the keyboard anyway, it lands on the banner's "Show in Today" (a
        stray key records nothing there); a window already in use keeps its focus."""
        window = self._window
        if window.isActiveWindow() and window.isVisible() and not window.isMinimized():
            return
        if not window.isVisible():
            window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
            window.show()
            window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.raise_()  # (the banner is above the page, in view however it is scrolled)
        target = self.banner.open_button if self.banner.isVisible() else None
        if target is not None and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_reminded(self, medicine_id: int, key: str) -> None:
        """The window was not in use: when the caregiver comes to it, Today shows the dose
        the reminder is about, selected (not the dose last recorded). The keyboard is
        left where it was (the banner's "Show in Today"): a stray key records nothing.
        A window in use is left alone: its selection may be about to be recorded."""
        focus = QApplication.focusWidget()
        self._window.show_tab("today")
        self._today.show_dose(medicine_id, key, focus=False)
        target = self.banner.open_button
        if self.banner.isVisible() and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        elif focus is not None and focus.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_today(self, medicine_id: int = 0, key: str = "") -> None:
        """Bring the window up at the Today tab, at this dose if one is given."""
        self._window.bring_to_front()
        self._window.show_tab("today")
        if medicine_id:
            self._today.show_dose(medicine_id, key)

    def open_care_team(self) -> None:
        self._window.bring_to_front()
        self._window.show_tab("care_team")

    def give(self, medicine_id: int, key: str) -> None:
        """The banner's Given: record it through the Today tab (caregiver on duty,
        warnings first)."""
        self.open_today(medicine_id, key)
        self._today.give_dose(medicine_id, key)

    def give_all(self, items: Sequence[NoticeItem]) -> None:
        """A notification's "Given: all N…": the Today tab at the first dose, asking
        once for the doses due at its time ("Given: all due at this time")."""
        if not items:
            return
        self.open_today(items[0].medicine_id, items[0].key)
        self._today.give_all()

    def snooze_all(self, items: Sequence[NoticeItem], minutes: int) -> None:
        """A notification's Snooze: all its doses, as one action (one Undo)."""
        if not items:
            return
        until = self._service.snooze_all([(i.medicine_id, i.key) for i in items], minutes)
        local = until.astimezone(self._book.zone())
        self._window.show_message(f"Snoozed until {local:%H:%M}.")

    def ask_what_happened(self, medicine_id: int, key: str) -> None:
        """The banner's "What happened?…": the dose on the Today tab, ready for an
        answer (given at another time, or not given)."""
        self._window.bring_to_front()
        self._window.show_tab("today")
        self._today.ask_what_happened(medicine_id, key)

    def snooze(self, medicine_id: int, key: str, minutes: int) -> None:
        until = self._service.snooze(medicine_id, key, minutes)  # withdraws its notices
        local = until.astimezone(self._book.zone())
        self._window.show_message(f"Snoozed until {local:%H:%M}.")

    def review_catch_up(self) -> None:
        dialog = self.catch_up_dialog
        if dialog is None:
            held = self._service.held()
            if not held:
                return
            self._on_catch_up(held)
            return
        self.open_today()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # ---- Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window:
            if self.popup is None or self.popup.isHidden():
                watched.removeEventFilter(self)  # (the popup went: watched when shown again)
            elif event.type() == QEvent.Type.WindowActivate:
                self.popup.clear()  # the caregiver is at the main window: one banner is enough
        return super().eventFilter(watched, event)

    # ---- Private: delivery

    def _on_batch(self, batch: ReminderBatch) -> None:
        self.deliver(notice_for_batch(batch, self._book.zone()))

    def _on_appointments(self, reminders) -> None:
        self.deliver(notice_for_appointments(reminders, self._book.now()))

    def _on_catch_up(self, statuses: tuple[DoseStatus, ...]) -> None:
        """One list: a later gap adds to the list already open."""
        if self.catch_up_dialog is None:
            caregivers = [(c.id, c.label()) for c in self._patients.caregivers()
                          if c.id is not None]
            from caregiver_app.ui.today.catch_up import CatchUpDialog  # (at first use)

            dialog = CatchUpDialog(zone=self._book.zone(), now=self._book.now,
                                   save=self._save_answer, caregivers=caregivers,
                                   on_duty=self._session.on_duty_id,
                                   set_on_duty=self._set_on_duty,
                                   one_action=self._book.one_action,
                                   font=self._today.text_font(), parent=self._window)
            dialog.answered.connect(self._on_answered)
            self._today.large_button.toggled.connect(self._follow_text_size)
            self.catch_up_dialog = dialog
        self.catch_up_dialog.add(statuses)
        self.deliver(notice_for_catch_up(tuple(self.catch_up_dialog.shown()),
                                         self._book.zone(), self._book.now()))
        if self._window.isVisible():
            self.catch_up_dialog.show()
            self.catch_up_dialog.raise_()

    def _follow_text_size(self, *_args) -> None:
        if self.catch_up_dialog is not None:
            self.catch_up_dialog.set_text_font(self._today.text_font())

    def _on_answered(self, statuses: list[DoseStatus]) -> None:
        self._today.large_button.toggled.disconnect(self._follow_text_size)
        dialog, self.catch_up_dialog = self.catch_up_dialog, None
        self._take_off(statuses)
        self._service.catch_up_answered(statuses)
        if dialog is not None:
            dialog.deleteLater()

    def _take_off(self, statuses: Sequence[DoseStatus]) -> None:
        """The list was answered or put off: take off its own notice and the doses it
        listed, never a reminder about a dose due now. Where the list's notice had
        replaced one about doses due now, that one shows again (without a new sound)."""
        for status in statuses:
            self.withdraw(int(status.occurrence.medicine_id or 0), status.occurrence.key)
        due = self._dose_notice
        for shown in (self.banner, self.popup.banner if self.popup is not None else None):
            notice = shown.notice() if shown is not None else None
            if shown is None or notice is None or notice.kind is not NoticeKind.CATCH_UP:
                continue
            if shown is self.banner:
                if due is not None and due.items:
                    shown.notify(due)
                else:
                    shown.clear()
            elif self.popup is not None:
                self.popup.clear()

    def _save_answer(self, answer: Answer):
        occ = answer.status.occurrence
        medicine_id = int(occ.medicine_id or 0)
        if self._session.on_duty_id is None:
            raise ValidationError({"caregiver": "Choose who is recording these answers."})
        # a dose recorded meanwhile (on the Today tab) is refused by the book, and the
        # row keeps the book's message: "This dose is already recorded; correct that ..."
        from caregiver_app.ui.today.catch_up import GIVEN

        if answer.answer == GIVEN:
            return self._book.record_given(medicine_id, occ.key,
                                           given_at=answer.given_at or occ.due,
                                           note=answer.note)
        reason = answer.skip_reason
        assert reason is not None
        return self._book.record_skipped(medicine_id, occ.key, reason, note=answer.note)

    def _set_on_duty(self, caregiver_id: int) -> None:
        if self._session.on_duty_id != caregiver_id:
            self._session.set_on_duty(caregiver_id)
            self._settings.on_duty_caregiver_id = caregiver_id

    def withdraw(self, medicine_id: int, key: str) -> None:
        """Take this dose off every notice (recorded or snoozed)."""
        self._outstanding.discard((medicine_id, key))
        due = self._dose_notice
        if due is not None:
            items = tuple(i for i in due.items if (i.medicine_id, i.key) != (medicine_id, key))
            self._dose_notice = replace(due, items=items) if items else None
        if self.popup is not None:
            self.popup.withdraw(medicine_id, key)
        for notifier in self._notifiers:
            withdraw = getattr(notifier, "withdraw", None)
            if withdraw is not None:
                withdraw(medicine_id, key)

    def apply_changes(self, changes: Changes) -> None:
        """A write anywhere (``Core.changes``): withdraw the notices of doses recorded
        or snoozed since."""
        for medicine_id in sorted(changes.medicine_ids):
            self._prune(medicine_id)
        if changes.action is not None:
            self._on_action(changes.action)  # a snooze chosen anywhere

    def _prune(self, medicine_id: int) -> None:
        """Withdraw every notice about a dose of this medicine recorded since."""
        doses = {(m, k) for m, k in self._outstanding | {(i.medicine_id, i.key) for i in
                                                         self.banner.items()}
                 if m == medicine_id}
        for _, key in sorted(doses):  # (all of this medicine)
            occurrence = self._book.occurrence(medicine_id, key)
            if occurrence is None:
                self.withdraw(medicine_id, key)
                continue
            statuses = self._book.statuses_between(occurrence.due, occurrence.due + _SECOND,
                                                   medicine_id=medicine_id)
            if any(s.occurrence.key == key and s.effective is not None
                   and s.effective.kind in (EntryKind.GIVEN, EntryKind.SKIPPED)
                   for s in statuses):
                self.withdraw(medicine_id, key)

    def _on_action(self, action) -> None:
        for snooze in getattr(action, "snoozes", ()):
            self.withdraw(snooze.medicine_id, snooze.key)

    def _on_answer_requested(self, notice: Notice) -> None:
        asks = [i for i in notice.items if i.ask]
        if notice.kind is NoticeKind.CATCH_UP or not asks:
            self._on_tray_message(notice)
        else:
            self.ask_what_happened(asks[0].medicine_id, asks[0].key)

    def _on_system_working(self, working: bool) -> None:
        """The system's service refused (or is missing): the tray's message stands in,
        starting with the notice it did not show."""
        if not working and self._tray is not None and self._last_notice is not None \
                and self._outstanding:
            self._tray.notify(self._last_notice)

    def _on_tray_message(self, notice: Notice | None) -> None:
        if notice is not None and notice.kind is NoticeKind.CATCH_UP:
            self.review_catch_up()
            return
        if notice is not None and notice.kind is NoticeKind.APPOINTMENT:
            self.open_care_team()
            return
        first = notice.first if notice is not None else None
        if notice is not None and notice.kind is NoticeKind.UNRECORDED and first:
            self.ask_what_happened(*first)
            return
        self.open_today(*(first or (0, "")))

    # ---- Private: the tray

    def _tray_available(self) -> bool:
        """A tray to stay in, now (asked each time: it may come or go after start)."""
        return self._tray is not None and TrayNotifier.available()

    def _keep_in_tray(self) -> bool:
        return bool(self._settings.close_to_tray and self._tray_available())

    def _reminders_would_stop(self) -> bool:
        """Closing the window now would end the app (and the reminders) without the
        caregiver having chosen so in the settings: there is no tray to stay in."""
        return self._service.running and not self._tray_available()

    def _check_tray(self) -> None:
        """Hidden in the tray, and the tray went away (a panel restarted, an extension
        switched off): show the window again, minimised, so it can still be reached."""
        window = self._window
        if window.isVisible():
            self.tray_watch.stop()
        elif not self._tray_available():
            self.tray_watch.stop()
            log.info("the tray went away while the window was hidden in it")
            window.showMinimized()

    def _hidden_to_tray(self) -> None:
        self.tray_watch.start()
        if self._settings.tray_hint_shown:
            return
        self._settings.tray_hint_shown = True
        self._settings.sync()
        hint = desktop.DESKTOP.tray_hint()  # where the icon is; on Windows, where to pin it
        if self._tray is not None and self._tray.icon.supportsMessages():
            self._tray.icon.showMessage(f"{APP_NAME} is still running", hint)
        else:
            messages.inform(None, f"{APP_NAME} is still running", hint)

