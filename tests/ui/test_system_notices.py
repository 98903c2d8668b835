"""Issue #22: reminders through the system's own notification service (desktop-notifier),
here on the library's backend seam (``tests/fake_notices.py``: what the macOS and
Windows backends and the D-Bus one all implement; ``tests/services/
test_system_notices_dbus.py`` runs a real Linux daemon). Each due dose is an urgent
notification with Given and Snooze 10 min that act as the banner's buttons do, a
repeat replaces it, recording the dose anywhere withdraws it, it needs no tray, its
wording can leave out the medicine names, and a covered window still gets its
reminder."""

from __future__ import annotations

from datetime import time
from types import SimpleNamespace

import pytest
from desktop_notifier import Urgency
from households import jane_with_tom_on_duty
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QSystemTrayIcon, QWidget

from caregiver_app.domain.doses import DoseState, EntryKind
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.services.notifier import Notice, NoticeItem, NoticeKind
from caregiver_app.services.system_notices import message_for
from caregiver_app.ui.notifiers import TrayNotifier

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing",
                                       "does not support activateWindow")


@pytest.fixture
def home(ctx, fake_clock, system_notices, monkeypatch):
    """Jane in New York, Tom on duty; riluzole at 08:00, 09:00, 10:00 and 20:00, and
    baclofen at 09:00. No tray (GNOME without its extension)."""
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: False))
    tom = jane_with_tom_on_duty(ctx, fake_clock)
    riluzole = ctx.medications.add_medicine(medicine(
        DailyRegimen(D0, (T8, time(9), time(10), T20)), id=None))
    baclofen = ctx.medications.add_medicine(medicine(
        DailyRegimen(D0, (time(9),)), id=None, generic_name="baclofen"))
    yield SimpleNamespace(ctx=ctx, book=ctx.medications, clock=fake_clock, tom=tom,
                          riluzole=riluzole, baclofen=baclofen, reminders=ctx.reminders,
                          alerts=ctx.alerts, service=system_notices)
    ctx.reminders.stop()


def _key(hour: int) -> str:
    return f"{D0.isoformat()}T{hour:02d}:00"


def _fire(home, qtbot, when, shown: int = 1):
    """The reminder timer fires at ``when``; wait for the service to show it."""
    home.reminders.start() if not home.reminders.running else None
    assert home.reminders.armed_for == when
    home.clock.set(when)
    home.reminders.timer.timeout.emit()
    qtbot.waitUntil(lambda: len(home.service.shown) == shown, timeout=3000)


def _state(home, medicine_id: int, key: str) -> DoseState:
    return next(s.state for s in home.book.day().doses
                if (s.medicine.id, s.occurrence.key) == (medicine_id, key))


# ---- The words


def _notice(kind, *items, title="Time for riluzole (08:00)") -> Notice:
    return Notice(kind, title, tuple(items))


RIL = NoticeItem(1, _key(8), "08:00  riluzole 50 mg: 1 tablet, by mouth")
BAC = NoticeItem(2, _key(8), "08:00  baclofen 10 mg: 1 tablet, by mouth")


def test_a_due_dose_is_urgent_with_given_and_snooze():
    words = message_for(_notice(NoticeKind.DOSES, RIL), discreet=False)
    assert (words.title, words.body) == ("Time for riluzole (08:00)", RIL.line)
    assert words.buttons == (("given", "Given"), ("snooze", "Snooze 10 min"))
    assert words.urgent


def test_several_doses_are_given_after_one_confirmation():
    words = message_for(_notice(NoticeKind.DOSES, RIL, BAC, title="Time for medicines: "
                                "2 doses"), discreet=False)
    assert words.buttons == (("given", "Given: all 2…"), ("snooze", "Snooze 10 min"))
    assert words.body == f"{RIL.line}\n{BAC.line}"


def test_discreet_wording_names_no_medicine():
    """Issue #22, item 4: for a lock screen, "Time for medicines (1)"."""
    for kind in NoticeKind:
        items = (RIL,) if kind is not NoticeKind.UNRECORDED else (
            NoticeItem(1, _key(8), RIL.line, ask=True),)
        notice = Notice(kind, "Time for riluzole (08:00)", items,
                        detail="riluzole 08:00" if kind is NoticeKind.APPOINTMENT else "")
        if kind in (NoticeKind.CATCH_UP, NoticeKind.APPOINTMENT):
            notice = Notice(kind, "While you were away, 1 dose fell due", items,
                            detail=notice.detail)
        words = message_for(notice, discreet=True, prefix="Example: ")
        assert "riluzole" not in words.title + words.body, kind
        assert words.title.startswith("Example: ")
    words = message_for(_notice(NoticeKind.DOSES, RIL), discreet=True)
    assert words.title == "Time for medicines (1)"
    assert words.body == "Open ALS Care Companion to see which."
    assert len(list(NoticeKind)) == 5


def test_early_and_appointment_notices_are_normal_urgency_without_buttons():
    for kind in (NoticeKind.EARLY, NoticeKind.APPOINTMENT):
        words = message_for(_notice(kind, RIL), discreet=False)
        assert not words.urgent and words.buttons == ()


# ---- In the app, with no tray


def test_with_no_tray_a_due_dose_comes_as_a_system_notification(home, main_window, qtbot):
    _fire(home, qtbot, at(D0, 8))
    shown = home.service.only()
    assert shown.title == "Time for riluzole (08:00)"
    assert shown.message == "08:00  riluzole 50 mg: 1 tablet, by mouth"
    assert shown.urgency is Urgency.Critical  # never "low" (0)
    assert shown.timeout == 0  # stays until acted on where the desktop allows
    assert [b.title for b in shown.buttons] == ["Given", "Snooze 10 min"]
    qtbot.waitUntil(lambda: home.alerts.system.working is True, timeout=3000)


def test_given_on_the_notification_records_as_the_banner_does_then_undo(home, main_window,
                                                                        qtbot):
    main_window.show_tab("learn")
    _fire(home, qtbot, at(D0, 8))
    home.clock.set(at(D0, 8, 2))
    home.service.press("Given")
    qtbot.waitUntil(lambda: _state(home, home.riluzole.id, _key(8)) is DoseState.GIVEN,
                    timeout=3000)
    entry = home.book.day().doses[0].effective
    assert (entry.caregiver_id, entry.recorded_by_id, entry.given_at) == (
        home.tom.id, home.tom.id, at(D0, 8, 2))
    assert main_window.current_tab_key() == "today"  # shown, as the banner's Given does
    assert home.alerts.banner.isHidden()
    assert home.service.shown == {}
    tab = main_window.today_tab
    assert tab.undo_button.text() == "↶  &Undo: riluzole 08:00 given"
    qtbot.mouseClick(tab.undo_button, Qt.MouseButton.LeftButton)
    assert [e.kind for e in home.book.day().doses[0].history] == [
        EntryKind.GIVEN, EntryKind.ENTERED_IN_ERROR]


def test_given_with_nobody_on_duty_asks_who(home, main_window, qtbot):
    home.ctx.session.set_on_duty(None)
    _fire(home, qtbot, at(D0, 8))
    home.service.press("Given")
    tab = main_window.today_tab
    qtbot.waitUntil(tab.duty_bar.isVisible, timeout=3000)
    assert _state(home, home.riluzole.id, _key(8)) is not DoseState.GIVEN
    qtbot.mouseClick(tab.duty_ok, Qt.MouseButton.LeftButton)
    assert _state(home, home.riluzole.id, _key(8)) is DoseState.GIVEN


def test_snooze_on_the_notification_snoozes_then_undo(home, main_window, qtbot):
    _fire(home, qtbot, at(D0, 8))
    home.service.press("Snooze 10 min")
    reminders = home.reminders
    qtbot.waitUntil(lambda: reminders.snoozed_until(home.riluzole.id, _key(8)) is not None,
                    timeout=3000)
    assert reminders.snoozed_until(home.riluzole.id, _key(8)) == at(D0, 8, 10)
    assert home.alerts.banner.isHidden() and home.service.shown == {}
    tab = main_window.today_tab
    assert tab.undo_button.text() == "↶  &Undo: riluzole 08:00 snoozed"
    main_window.show_tab("today")
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert reminders.snoozed_until(home.riluzole.id, _key(8)) is None


def test_a_repeat_replaces_the_notification(home, main_window, qtbot):
    _fire(home, qtbot, at(D0, 8))
    first = home.service.only().identifier
    _fire(home, qtbot, at(D0, 8, 10))  # repeated every 10 minutes until recorded
    qtbot.waitUntil(lambda: home.service.only().identifier != first, timeout=3000)
    second = home.service.only()
    assert second.identifier != first and second.title == "Still to give: 1 dose"
    assert home.service.log == [("send", first), ("clear", first),
                                ("send", second.identifier)]


def test_recorded_on_today_withdraws_the_notification(home, main_window, qtbot):
    _fire(home, qtbot, at(D0, 8))
    tab = main_window.show_tab("today")
    tab.refresh()
    tab.show_dose(home.riluzole.id, _key(8))
    qtbot.mouseClick(tab.card.given_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: home.service.shown == {}, timeout=3000)
    assert home.service.log[-1][0] == "clear"


def test_one_of_two_recorded_leaves_the_other_on_it(home, main_window, qtbot,
                                                    monkeypatch):
    from caregiver_app.ui.today.batch_dialog import BatchGivenDialog

    home.clock.set(at(D0, 8, 30))
    home.book.record_given(home.riluzole.id, _key(8))
    _fire(home, qtbot, at(D0, 9))
    shown = home.service.only()
    assert shown.title == "Time for medicines: 2 doses"
    assert [b.title for b in shown.buttons] == ["Given: all 2…", "Snooze 10 min"]
    asked = []

    def person(dialog):
        asked.append(dialog.windowTitle())
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(BatchGivenDialog, "exec", person)
    home.service.press("Given: all 2…")
    qtbot.waitUntil(lambda: asked != [], timeout=3000)
    assert asked == ["Given: all due at 09:00"]  # one confirmation in the window
    assert _state(home, home.baclofen.id, _key(9)) is DoseState.GIVEN
    assert _state(home, home.riluzole.id, _key(9)) is DoseState.GIVEN
    qtbot.waitUntil(lambda: home.service.shown == {}, timeout=3000)


def test_discreet_wording_is_a_reminder_setting(home, main_window, qtbot, monkeypatch):
    from caregiver_app.ui.today.settings_dialog import ReminderSettingsDialog

    assert home.ctx.settings.discreet_notices is False  # full text until chosen

    def run(dialog):
        dialog.show()
        check = dialog.discreet_check
        assert check.text() == "Notifications without medicine &names"
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton,
                         pos=check.rect().topLeft() + QPoint(6, check.height() // 2))
        assert check.isChecked()
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ReminderSettingsDialog, "exec", run)
    qtbot.mouseClick(main_window.today_tab.reminders_button, Qt.MouseButton.LeftButton)
    assert home.ctx.settings.discreet_notices is True
    _fire(home, qtbot, at(D0, 8))
    shown = home.service.only()
    assert (shown.title, shown.message) == ("Time for medicines (1)",
                                            "Open ALS Care Companion to see which.")
    assert home.alerts.banner.items()[0].line.startswith("08:00  riluzole")  # the window


def test_a_covered_window_gets_the_reminder_window_and_the_notification(home, main_window,
                                                                        qtbot):
    """Issue #22, item 3: another program's window covers ours; ours is visible but not
    in use. The reminder's own always-on-top window comes, and the notification."""
    other = QWidget()
    qtbot.addWidget(other)
    other.setWindowTitle("Another program")
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not main_window.isActiveWindow(), timeout=2000)
    assert main_window.isVisible() and not main_window.isMinimized()
    _fire(home, qtbot, at(D0, 8))
    assert home.alerts.popup.isVisible()
    assert home.alerts.popup.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert home.service.only().title == "Time for riluzole (08:00)"


def test_without_the_service_the_tray_message_stands_in(home, main_window, qtbot,
                                                        monkeypatch):
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    messages = []
    monkeypatch.setattr(home.ctx.tray.icon, "showMessage",
                        lambda title, *rest: messages.append(title))
    home.service.refuse = True  # no notification service on the bus
    home.reminders.start()
    home.clock.set(at(D0, 8))
    home.reminders.timer.timeout.emit()
    qtbot.waitUntil(lambda: home.alerts.system.working is False, timeout=3000)
    assert messages == ["Time for riluzole (08:00)"]
    assert home.alerts.banner.isVisible()  # the sure channel, always
    # while the service works, the tray shows no second message
    home.service.refuse = False
    home.clock.set(at(D0, 8, 10))
    home.reminders.timer.timeout.emit()
    qtbot.waitUntil(lambda: home.alerts.system.working is True, timeout=3000)
    home.clock.set(at(D0, 8, 20))
    home.reminders.timer.timeout.emit()
    qtbot.waitUntil(lambda: len(home.service.shown) == 1, timeout=3000)
    assert messages == ["Time for riluzole (08:00)", "Still to give: 1 dose"]


def test_clicking_the_notification_opens_today_at_the_dose(home, main_window, qtbot):
    main_window.show_tab("learn")
    _fire(home, qtbot, at(D0, 8))
    home.service.click()
    qtbot.waitUntil(lambda: main_window.current_tab_key() == "today", timeout=3000)
    assert main_window.today_tab.current_row().dose.occurrence.key == _key(8)
