"""Reminders reaching the caregiver: the banner always (the fallback where there is no
tray), any other notifier beside it, one "while you were away" list that records the
answers, Given and Snooze from the banner, and closing to the tray."""

from __future__ import annotations

from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from households import jane_with_tom_on_duty
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import Qt

from caregiver_app.domain.doses import DoseState, EntryKind
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.notifier import Notice, NoticeKind, notice_for_batch
from caregiver_app.services.reminders import ReminderBatch
from caregiver_app.ui.notifiers import SoundNotifier, TrayNotifier
from caregiver_app.ui.today.alerts import ReminderCenter
from caregiver_app.ui.today.catch_up import GIVEN, Col

# The offscreen platform cannot raise a window or grab the keyboard for a popup menu.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


class FakeNotifier:
    def __init__(self):
        self.notices: list[Notice] = []
        self.cleared = 0

    def notify(self, notice: Notice) -> None:
        self.notices.append(notice)

    def clear(self) -> None:
        self.cleared += 1


class Monotonic:
    def __init__(self):
        self.value = 0.0

    def __call__(self):
        return self.value


@pytest.fixture
def home(ctx, fake_clock):
    tom = jane_with_tom_on_duty(ctx, fake_clock)
    riluzole = ctx.medications.add_medicine(medicine(
        DailyRegimen(D0, (T8, time(9), time(10), T20)), id=None))
    ctx.tom = tom
    ctx.riluzole = riluzole
    return ctx


@pytest.fixture
def fake(home):
    notifier = FakeNotifier()
    home.alerts.add_notifier(notifier)
    return notifier


def _press_ok(dialog) -> None:
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def _fire(ctx, clock, when):
    assert ctx.reminders.armed_for == when
    clock.set(when)
    ctx.reminders.timer.timeout.emit()


def test_without_a_tray_the_banner_and_other_notifiers_get_the_reminder(
        home, main_window, fake, fake_clock):
    assert not TrayNotifier.available()  # the offscreen platform has no tray
    banner = home.alerts.banner
    assert banner.isHidden()
    home.reminders.start()
    _fire(home, fake_clock, at(D0, 8))
    assert banner.isVisible()
    assert banner.title_label.text() == "◷ Time for riluzole (08:00)"
    assert [i.line for i in banner.items()] == ["08:00  riluzole 50 mg: 1 tablet, by mouth"]
    assert [n.kind for n in fake.notices] == [NoticeKind.DOSES]
    assert fake.notices[0].first == (home.riluzole.id, "2026-01-05T08:00")
    home.reminders.stop()


def test_given_from_the_banner_records_through_today_and_clears_it(home, main_window,
                                                                   fake_clock, qtbot):
    main_window.show_tab("learn")
    home.reminders.start()
    _fire(home, fake_clock, at(D0, 8))
    fake_clock.set(at(D0, 8, 3))
    banner = home.alerts.banner
    qtbot.mouseClick(banner.given_button(0), qtbot_button())
    assert main_window.current_tab_key() == "today"
    status = home.medications.day().doses[0]
    assert status.state is DoseState.GIVEN
    assert status.effective.caregiver_id == home.tom.id
    assert banner.isHidden()
    # and the repeat is not armed for it any more: next is the 09:00 dose
    assert home.reminders.armed_for == at(D0, 9)
    home.reminders.stop()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_snooze_from_the_banner(home, main_window, fake_clock):
    home.reminders.start()
    _fire(home, fake_clock, at(D0, 8))
    banner = home.alerts.banner
    menu = banner.snooze_menu(0)
    fifteen = next(a for a in menu.actions() if a.text() == "15 minutes")
    fifteen.trigger()
    assert home.reminders.snoozed_until(home.riluzole.id, "2026-01-05T08:00") == at(D0, 8, 15)
    assert banner.isHidden()
    assert home.reminders.armed_for == at(D0, 8, 15)
    home.reminders.stop()


def test_one_catch_up_list_after_sleep_and_its_answers_are_recorded(
        home, main_window, fake_clock, qtbot, qtmodeltester):
    mono = Monotonic()
    home.reminders._monotonic = mono
    home.reminders.start()
    fake_clock.set(at(D0, 7, 1))
    mono.value += 60
    home.reminders.check_clock()
    fake_clock.set(at(D0, 10, 30))  # asleep until 10:30
    mono.value += 60
    home.reminders.check_clock()
    dialog = home.alerts.catch_up_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.intro.text() == "While you were away, 3 doses fell due."
    model = dialog.model
    qtmodeltester.check(model)
    assert [model.index(r, Col.DUE).data() for r in range(3)] == [
        "Mon 5 Jan 08:00", "Mon 5 Jan 09:00", "Mon 5 Jan 10:00"]
    banner = home.alerts.banner
    assert banner.title_label.text() == "⚠ While you were away, 3 doses fell due"
    # the same list takes more doses if another gap comes while it is open
    fake_clock.set(at(D0, 20, 30))
    mono.value += 60
    home.reminders.check_clock()
    assert home.alerts.catch_up_dialog is dialog and model.rowCount() == 4
    # answers: given at 08:10, refused, still to give, and asleep
    model.setData(model.index(0, Col.ANSWER), GIVEN)
    model.setData(model.index(0, Col.GIVEN_AT), at(D0, 8, 10))
    model.setData(model.index(1, Col.ANSWER), SkipReason.REFUSED.value)
    model.setData(model.index(3, Col.ANSWER), SkipReason.ASLEEP.value)
    with qtbot.waitSignal(dialog.answered, timeout=1000):
        dialog.save_button.click()
    doses = {s.occurrence.key[-5:]: s for s in home.medications.day().doses}
    assert doses["08:00"].effective.given_at == at(D0, 8, 10)
    assert doses["08:00"].effective.recorded_by_id == home.tom.id
    assert doses["09:00"].effective.skip_reason is SkipReason.REFUSED
    assert doses["10:00"].effective is None  # still to give: left on the Today tab
    assert doses["20:00"].effective.kind is EntryKind.SKIPPED
    assert home.alerts.catch_up_dialog is None and home.reminders.held() == ()
    # never listed again, not even after a restart
    home.reminders.stop()
    fake_clock.set(at(D0, 21))
    home.reminders.start()
    assert home.alerts.catch_up_dialog is None
    home.reminders.stop()


def test_a_catch_up_answer_that_cannot_be_saved_stays_with_its_reason(home, main_window,
                                                                      fake_clock):
    home.reminders.stop()
    from caregiver_app.storage.reminders_repo import ReminderRepository

    ReminderRepository(home.db).set_watched_until(at(D0, 7))
    fake_clock.set(at(D0, 9, 30))
    home.reminders.start()
    dialog = home.alerts.catch_up_dialog
    model = dialog.model
    model.setData(model.index(0, Col.ANSWER), SkipReason.OTHER.value)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert model.index(0, Col.PROBLEM).data() == "⚠ Write why it was not given in the Note."
    assert "Nothing was saved yet." in dialog.message.text()
    assert home.medications.day().doses[0].effective is None
    model.setData(model.index(0, Col.NOTE), "at the dentist")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert home.medications.day().doses[0].effective.note == "at the dentist"
    home.reminders.stop()


def test_clicking_a_reminder_opens_today_at_that_dose(home, main_window, fake_clock):
    tray = TrayNotifier(main_window.windowIcon(), "test")
    center = ReminderCenter(service=home.reminders, book=home.medications, window=main_window,
                            today=main_window.today_tab, banner=home.alerts.banner,
                            session=home.session, patients=home.patients,
                            settings=home.settings, tray=tray)
    main_window.show_tab("learn")
    statuses = home.medications.statuses_between(at(D0, 10), at(D0, 10, 1))
    notice = notice_for_batch(ReminderBatch(at(D0, 10), statuses), home.medications.zone())
    tray.activated.emit(notice)
    assert main_window.current_tab_key() == "today"
    row = main_window.today_tab.current_row()
    assert row.dose.occurrence.key == "2026-01-05T10:00"
    assert center.notifiers()[0] is home.alerts.banner


def test_the_example_households_tray_messages_say_example(home, main_window, monkeypatch):
    """Someone who tried the example and left it near the clock must never take its
    reminders for a real patient's."""
    from PySide6.QtWidgets import QSystemTrayIcon

    shown = []
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: True))
    tray = TrayNotifier(main_window.windowIcon(), "test", title_prefix="Example: ")
    monkeypatch.setattr(tray.icon, "showMessage", lambda title, *rest: shown.append(title))
    statuses = home.medications.statuses_between(at(D0, 10), at(D0, 10, 1))
    tray.notify(notice_for_batch(ReminderBatch(at(D0, 10), statuses), home.medications.zone()))
    assert shown == ["Example: Time for riluzole (10:00)"]


def test_closing_keeps_the_app_in_the_tray_and_says_so_once(home, main_window, monkeypatch,
                                                            qtbot):
    told = []
    monkeypatch.setattr("caregiver_app.ui.today.alerts.messages.inform",
                        lambda *a: told.append(a))
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: True))
    center = home.alerts
    # a tray exists, one that cannot show messages: the hint comes as a message box
    center._tray = SimpleNamespace(icon=SimpleNamespace(supportsMessages=lambda: False))
    main_window.set_close_to_tray(center._keep_in_tray, center._hidden_to_tray)
    main_window.close()
    assert not main_window.isVisible() and main_window.isHidden()
    assert len(told) == 1 and "File ▸ Quit" in told[0][2]
    main_window.show()
    main_window.close()
    assert len(told) == 1  # once only
    home.settings.close_to_tray = False
    main_window.show()
    main_window.close()
    assert not main_window.isVisible()
    with qtbot.waitSignal(main_window.quit_requested, timeout=1000):
        main_window.show()
        main_window.quit_action.trigger()
    assert not main_window.isVisible()


def test_sound_is_optional_and_falls_back_to_the_beep(monkeypatch, qapp, tmp_path):
    beeps = []
    monkeypatch.setattr("caregiver_app.ui.notifiers.QApplication.beep",
                        lambda: beeps.append(1))
    enabled = {"on": False}
    sound = SoundNotifier(tmp_path / "none.wav", lambda: enabled["on"])
    sound._tried = True  # as if QtMultimedia could not be loaded here
    notice = Notice(NoticeKind.DOSES, "Time for riluzole")
    sound.notify(notice)
    assert beeps == []
    enabled["on"] = True
    sound.notify(notice)
    assert beeps == [1]


def test_appointment_reminder_in_the_banner(home, main_window, fake, fake_clock):
    from caregiver_app.domain.appointments import Appointment

    home.careteam.save_appointment(Appointment(
        starts_at=at(D0, 15), purpose="Breathing test", time_zone="America/New_York"))
    home.reminders.start()
    while home.reminders.armed_for < at(D0, 13):
        _fire(home, fake_clock, home.reminders.armed_for)
    _fire(home, fake_clock, at(D0, 13))
    appointment = [n for n in fake.notices if n.kind is NoticeKind.APPOINTMENT]
    assert len(appointment) == 1
    assert appointment[0].title == "Appointment soon"
    assert "In 2 h: Breathing test" in appointment[0].detail
    assert home.alerts.banner.open_button.text() == "Show in Care team"
    home.alerts.banner.open_button.click()
    assert main_window.current_tab_key() == "care_team"
    home.reminders.stop()


def test_early_reminder_shows_what_is_coming(home, main_window, fake, fake_clock):
    home.settings.reminder_lead_minutes = 10
    home.reminders.start()
    _fire(home, fake_clock, at(D0, 7, 50))
    assert fake.notices[-1].kind is NoticeKind.EARLY
    assert fake.notices[-1].title == "Coming up at 08:00"
    home.reminders.stop()
    assert timedelta(minutes=10) == home.settings.reminder_settings().lead


def test_a_dose_recorded_meanwhile_is_not_recorded_twice_from_the_list(home, main_window,
                                                                       fake_clock):
    from caregiver_app.storage.reminders_repo import ReminderRepository

    ReminderRepository(home.db).set_watched_until(at(D0, 7))
    fake_clock.set(at(D0, 8, 30))
    home.reminders.start()
    dialog = home.alerts.catch_up_dialog
    home.medications.record_given(home.riluzole.id, "2026-01-05T08:00",
                                  given_at=at(D0, 8, 5))  # on the Today tab, meanwhile
    model = dialog.model
    model.setData(model.index(0, Col.ANSWER), GIVEN)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "already recorded" in model.index(0, Col.PROBLEM).data()
    assert len(home.medications.day().doses[0].history) == 1
    home.reminders.stop()


# ---- Hard to miss


def _watch_alerts(monkeypatch) -> list:
    alerted = []
    monkeypatch.setattr("caregiver_app.ui.today.alerts.QApplication.alert",
                        lambda widget, msec=0: alerted.append(widget))
    return alerted


def test_a_due_dose_flags_the_window_and_brings_it_up_without_the_keyboard(
        home, main_window, fake_clock, monkeypatch, qtbot):
    """Minimised or behind other windows, a reminder used to reach only the banner (and
    a tray, when there is one): now the taskbar entry asks for attention and the window
    is restored and raised. The keyboard, if the desktop hands it over, lands on "Show
    in Today", where a stray key records nothing."""
    alerted = _watch_alerts(monkeypatch)
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, fake_clock, at(D0, 8))
    assert alerted == [main_window]
    assert not main_window.isMinimized() and main_window.isVisible()
    assert main_window.focusWidget() is home.alerts.banner.open_button
    qtbot.keyClick(main_window.focusWidget(), "g")
    assert home.medications.day().doses[0].effective is None  # a stray key: nothing
    home.reminders.stop()


def test_bringing_the_window_up_can_be_switched_off(home, main_window, fake_clock,
                                                     monkeypatch, qtbot):
    assert home.settings.bring_to_front  # on unless switched off
    home.settings.bring_to_front = False
    alerted = _watch_alerts(monkeypatch)
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, fake_clock, at(D0, 8))
    assert main_window.isMinimized()
    assert alerted == [main_window]  # the taskbar is still flagged
    home.reminders.stop()


def test_the_reminder_settings_offer_bringing_the_window_up(home, main_window, monkeypatch):
    from caregiver_app.ui.today.settings_dialog import ReminderSettingsDialog

    def ask(cls, prefs, **kwargs):
        dialog = cls(prefs, **kwargs)
        assert dialog.front_check.isChecked()
        assert dialog.front_check.text() == ("Bring the window to the &front when a dose "
                                             "is due")
        dialog.front_check.setChecked(False)
        _press_ok(dialog)
        return dialog.prefs()

    monkeypatch.setattr(ReminderSettingsDialog, "ask", classmethod(ask))
    main_window.today_tab.reminders_button.click()
    assert not home.settings.bring_to_front


# ---- Closing the window


def test_without_a_tray_closing_asks_before_reminders_stop(home, main_window, qtbot):
    """No tray (GNOME's default): closing used to end the app, and the reminders, without
    a word."""
    assert not TrayNotifier.available()
    home.reminders.start()
    quits = []
    main_window.quit_requested.connect(lambda: quits.append(1))
    main_window.close()
    prompt = main_window.close_prompt
    assert prompt is not None and prompt.isVisible()
    assert prompt.text() == "Reminders stop when the app is closed. Minimise it instead?"
    by_text = {b.text(): b for b in prompt.buttons()}
    assert set(by_text) == {"&Minimise", "&Close anyway", "Cancel"}
    assert prompt.defaultButton() is by_text["&Minimise"]
    assert prompt.escapeButton() is by_text["Cancel"]
    assert main_window.isVisible() and home.reminders.running
    prompt.escapeButton().click()  # Cancel
    assert main_window.isVisible() and not main_window.isMinimized() and quits == []
    main_window.close()
    main_window.close_prompt.defaultButton().click()  # Minimise
    assert main_window.isMinimized() and home.reminders.running and quits == []
    main_window.showNormal()
    main_window.close()
    close_anyway = next(b for b in main_window.close_prompt.buttons()
                        if b.text() == "&Close anyway")
    close_anyway.click()
    assert quits == [1] and not main_window.isVisible()
    home.reminders.stop()


def test_with_the_tray_setting_off_closing_ends_the_app(home, main_window, monkeypatch,
                                                        qtbot):
    """The setting used to change nothing where there is a tray: the app never quit when
    its window closed."""
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: True))
    home.alerts._tray = SimpleNamespace(icon=SimpleNamespace(supportsMessages=lambda: True,
                                                             showMessage=lambda *a: None))
    home.settings.tray_hint_shown = True
    quits = []
    main_window.quit_requested.connect(lambda: quits.append(1))
    home.settings.close_to_tray = True
    main_window.close()
    assert not main_window.isVisible() and quits == []  # kept running near the clock
    home.settings.close_to_tray = False
    main_window.show()
    main_window.close()
    assert quits == [1] and main_window.close_prompt is None


# ---- Not recorded at the end of the grace period


def test_the_last_notice_asks_what_happened_and_opens_it_on_today(home, main_window,
                                                                  fake_clock, qtbot):
    home.settings.reminder_repeat_minutes = 0
    home.reminders.start()
    _fire(home, fake_clock, at(D0, 8))
    _fire(home, fake_clock, at(D0, 9))
    _fire(home, fake_clock, at(D0, 10))  # 08:00's grace period ends; 10:00 falls due
    banner = home.alerts.banner
    assert banner.title_label.text() == "◷ Time for riluzole (10:00) · 1 not recorded"
    lines = [i.line for i in banner.items()]
    assert lines[-1] == ("08:00  riluzole 50 mg: 1 tablet, by mouth "
                         "(not recorded: what happened?)")
    ask = banner.given_button(len(lines) - 1)
    assert ask.text() == "What happened?…"
    main_window.show_tab("learn")
    qtbot.mouseClick(ask, qtbot_button())
    tab = main_window.today_tab
    assert main_window.current_tab_key() == "today"
    assert tab.current_row().dose.occurrence.key == "2026-01-05T08:00"
    assert tab.card.given_at_button.hasFocus()
    assert home.medications.day().doses[0].effective is None  # nothing recorded by it
    home.reminders.stop()


# ---- The list, answered with its buttons


def test_the_list_is_answered_with_large_buttons_by_keyboard(home, main_window, fake_clock,
                                                              qtbot):
    """Each dose has its own Given at its time / Given at another time / Not given /
    Still to give, reachable by keyboard; no cell editors, and the text follows the
    Today tab's size."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from caregiver_app.storage.reminders_repo import ReminderRepository

    main_window.today_tab.set_large_text(True)
    ReminderRepository(home.db).set_watched_until(at(D0, 7))
    fake_clock.set(at(D0, 10, 30))
    home.reminders.start()
    dialog = home.alerts.catch_up_dialog
    assert dialog.font().pointSizeF() == pytest.approx(
        QApplication.font().pointSizeF() * 1.6)
    first, second, third = dialog.rows
    assert [b.text() for b in first.buttons.values()] == [
        "✓  Given at 08:00", "Given at another time…", "⊘  Not given…", "Still to give"]
    assert first.buttons["later"].isChecked()  # nothing is assumed
    qtbot.waitUntil(first.first_button().hasFocus)
    qtbot.keyClick(first.first_button(), Qt.Key.Key_Space)  # given at its time
    assert first.buttons["due"].isChecked()
    second.buttons["not_given"].setFocus()
    qtbot.keyClick(second.buttons["not_given"], Qt.Key.Key_Space)
    assert second.reason_box.isVisible()
    dialog.save_button.click()  # no reason chosen yet: refused, nothing saved
    assert dialog.isVisible()
    assert second.problem.text() == "⚠ Choose why it was not given."
    assert home.medications.day().doses[0].effective is None
    second.reason_combo.setCurrentIndex(second.reason_combo.findData(SkipReason.ASLEEP.value))
    qtbot.mouseClick(third.buttons["other"], qtbot_button())
    assert third.time_box.isVisible()
    third.time_edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(third.time_edit, "25:00")  # typed as a time it cannot be
    dialog.save_button.click()  # refused next to it, nothing saved
    assert dialog.isVisible() and "no such time as “25:00”" in third.problem.text()
    assert all(d.effective is None for d in home.medications.day().doses)
    third.time_edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(third.time_edit, "10:20")  # the day shown stays: a time alone
    with qtbot.waitSignal(dialog.answered, timeout=1000):
        dialog.save_button.click()
    doses = {s.occurrence.key[-5:]: s for s in home.medications.day().doses}
    assert doses["08:00"].effective.given_at == at(D0, 8)
    assert doses["09:00"].effective.skip_reason is SkipReason.ASLEEP
    assert doses["10:00"].effective.given_at == at(D0, 10, 20)
    home.reminders.stop()
    main_window.today_tab.set_large_text(False)


def test_the_dose_times_are_chosen_in_the_reminder_settings(home, main_window, monkeypatch,
                                                            fake_clock, qtbot):
    """On time within 30 minutes, missed after 1 hour: Today reads the 08:00 dose as
    missed at 09:05 as soon as the settings are saved, and they are remembered."""
    from caregiver_app.ui.today.settings_dialog import ReminderSettingsDialog

    def ask(cls, prefs, **kwargs):
        dialog = cls(prefs, **kwargs)
        assert dialog.on_time_combo.currentData() == 60
        assert dialog.missed_combo.currentData() == 120
        assert dialog.on_time_combo.currentText() == "1 hour before or after its time"
        dialog.on_time_combo.setCurrentIndex(dialog.on_time_combo.findData(30))
        dialog.missed_combo.setCurrentIndex(dialog.missed_combo.findData(60))
        _press_ok(dialog)
        return dialog.prefs()

    fake_clock.set(at(D0, 9, 5))
    today = main_window.today_tab
    main_window.show_tab("today")
    today.refresh()
    before = {r.cells[0] + " " + r.cells[1]: r.look.kind for r in today.model.rows()}
    monkeypatch.setattr(ReminderSettingsDialog, "ask", classmethod(ask))
    with qtbot.waitSignal(home.changes.changed, check_params_cb=lambda c: bool(c.settings)):
        today.reminders_button.click()
    qtbot.waitUntil(lambda: any(r.look.kind.value == "missed" for r in today.model.rows()))
    assert not any(k.value == "missed" for k in before.values())
    saved = home.medications.household_settings()  # kept in the records
    assert (saved.dose_on_time_minutes, saved.dose_missed_after_minutes) == (30, 60)
    assert "on_time" not in (home.data_dir / "ui-settings.ini").read_text()


def test_decide_later_keeps_the_reminder_for_a_dose_due_now(home, main_window, fake_clock,
                                                            qtbot):
    """S3: "Decide later" in the "while you were away" list takes away only what the list
    was about; the doses due now stay on the banner (and the popup), Given in view."""
    home.reminders.stop()
    from caregiver_app.storage.reminders_repo import ReminderRepository

    ReminderRepository(home.db).set_watched_until(at(D0, 7))
    # the app opens: 08:00 and 09:00 missed, 10:00 due now
    fake_clock.set(at(D0, 10) + timedelta(seconds=5))
    home.reminders.start()
    dialog = home.alerts.catch_up_dialog
    assert dialog is not None and dialog.isVisible()
    banner = home.alerts.banner
    due = [i.key[-5:] for i in banner.items()]
    assert due == ["10:00"], banner.title_label.text()
    qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)
    assert home.alerts.catch_up_dialog is None
    assert banner.isVisible()
    assert [i.key[-5:] for i in banner.items()] == ["10:00"]
    assert banner.given_button(0).isVisible()
    popup = home.alerts.popup
    if popup is not None and popup.isVisible():
        assert [i.key[-5:] for i in popup.banner.items()] == ["10:00"]
    # the held doses are reminded about as usual later, not lost
    assert home.reminders.held() == ()
    home.reminders.stop()
