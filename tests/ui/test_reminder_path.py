"""The reminder path when the window is out of view (issue #23, items 1-8): the dose a
reminder is about is the one selected, due/overdue mean the same on every notice,
notices about a recorded dose are withdrawn, the tray is followed as it comes and goes,
Quit says the reminders stop, a small always-on-top window shows the reminder on the
current desktop, and the sound grows when a dose is still not recorded."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from types import SimpleNamespace

import pytest
from gui_paths import menu_action
from households import jane_with_tom_on_duty
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.regimens import DailyRegimen

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing",
                                       "does not support activateWindow")


@pytest.fixture
def home(ctx, fake_clock):
    tom = jane_with_tom_on_duty(ctx, fake_clock)
    riluzole = ctx.medications.add_medicine(medicine(
        DailyRegimen(D0, (T8, time(9), time(10), T20)), id=None))
    return SimpleNamespace(ctx=ctx, book=ctx.medications, clock=fake_clock, tom=tom,
                           riluzole=riluzole, reminders=ctx.reminders, alerts=ctx.alerts)


def _fire(home, when):
    assert home.reminders.armed_for == when
    home.clock.set(when)
    home.reminders.timer.timeout.emit()


def _key(hour: int) -> str:
    return f"{D0.isoformat()}T{hour:02d}:00"


# ---- Item 5: one definition of due and overdue


def test_at_the_due_second_every_notice_says_due_now(home, main_window):
    home.reminders.start()
    _fire(home, at(D0, 8))
    banner = home.alerts.banner
    assert [i.line for i in banner.items()] == ["08:00  riluzole 50 mg: 1 tablet, by mouth"]
    tab = main_window.today_tab
    main_window.show_tab("today")
    tab.refresh()
    row = tab.model.row_at(tab.model.find_dose(home.riluzole.id, _key(8)))
    assert row.cells[3] == "○ Due now" and row.section.key == "morning"
    assert tab.header_label.text().startswith("Due now: riluzole")
    assert "overdue" not in tab.header_label.text()
    # the first repeat, ten minutes on: overdue everywhere
    _fire(home, at(D0, 8, 10))
    assert [i.line for i in banner.items()] == [
        "08:00  riluzole 50 mg: 1 tablet, by mouth (overdue)"]
    tab.refresh()
    row = tab.model.row_at(tab.model.find_dose(home.riluzole.id, _key(8)))
    assert row.cells[3] == "⚠ Overdue by 10 min" and row.section.key == "overdue"
    assert "1 overdue" in tab.header_label.text()
    home.reminders.stop()


# ---- Item 6: the dose the reminder is about is the one selected


def test_the_window_brought_forward_selects_the_reminded_dose(home, main_window, qtbot):
    """Today kept the dose recorded last selected: a caregiver glancing at the window
    saw a dose already given, not the one the reminder was about."""
    tab = main_window.today_tab
    main_window.show_tab("today")
    home.reminders.start()
    _fire(home, at(D0, 8))
    qtbot.mouseClick(home.alerts.banner.given_button(0), Qt.MouseButton.LeftButton)
    assert tab.current_row().dose.occurrence.key == _key(8)  # recorded, still selected
    main_window.show_tab("learn")
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    _fire(home, at(D0, 9))
    assert not main_window.isMinimized()
    assert main_window.current_tab_key() == "today"
    assert tab.current_row().dose.occurrence.key == _key(9)
    assert tab.current_row().dose.state is DoseState.DUE
    # the keyboard is not on the list, where G would record at once
    assert main_window.focusWidget() is home.alerts.banner.open_button
    home.reminders.stop()


def test_a_window_in_use_keeps_its_selection(home, main_window, qtbot, monkeypatch):
    """Someone about to press G on another dose must not have the row changed under
    them."""
    tab = main_window.today_tab
    main_window.show_tab("today")
    monkeypatch.setattr(type(main_window), "isActiveWindow", lambda self: True)
    assert tab.show_dose(home.riluzole.id, _key(20))
    home.reminders.start()
    _fire(home, at(D0, 8))
    assert tab.current_row().dose.occurrence.key == _key(20)
    home.reminders.stop()


# ---- Item 8: notices withdrawn once recorded, replaced on a repeat


class FakeNotifier:
    def __init__(self):
        self.notices = []
        self.withdrawn = []

    def notify(self, notice) -> None:
        self.notices.append(notice)

    def clear(self) -> None:
        pass

    def withdraw(self, medicine_id: int, key: str) -> None:
        self.withdrawn.append((medicine_id, key))


@pytest.fixture
def two_at_eight(home):
    """Baclofen at 08:00 too, so one notice holds two doses."""
    home.baclofen = home.book.add_medicine(medicine(DailyRegimen(D0, (T8,)), id=None,
                                                    generic_name="baclofen"))
    return home


def test_recording_a_dose_anywhere_withdraws_every_notice_about_it(two_at_eight, main_window,
                                                                   qtbot, monkeypatch):
    from PySide6.QtWidgets import QSystemTrayIcon

    from caregiver_app.ui.notifiers import TrayNotifier

    home = two_at_eight
    shown = []
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: True))
    tray = TrayNotifier(main_window.windowIcon(), "test")
    monkeypatch.setattr(tray.icon, "showMessage", lambda title, text, *rest: shown.append(
        (title, text)))
    fake = FakeNotifier()
    home.alerts.add_notifier(tray)
    home.alerts.add_notifier(fake)
    home.reminders.start()
    _fire(home, at(D0, 8))
    assert shown == [("Time for medicines: 2 doses", "08:00  baclofen 50 mg: 1 tablet, by mouth"
                      "\n08:00  riluzole 50 mg: 1 tablet, by mouth")]
    tab = main_window.today_tab
    main_window.show_tab("today")
    # riluzole given from the Today tab (not from any notice)
    assert tab.show_dose(home.riluzole.id, _key(8))
    qtbot.keyClick(tab.tree, Qt.Key.Key_G)
    assert fake.withdrawn == [(home.riluzole.id, _key(8))]
    assert [i.medicine_id for i in home.alerts.banner.items()] == [home.baclofen.id]
    assert len(shown) == 1  # baclofen is still to give: the tray message stays
    # baclofen snoozed from the Today tab: off every notice as well
    assert tab.show_dose(home.baclofen.id, _key(8))
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z)
    tab.card.snooze_actions[10].trigger()
    assert fake.withdrawn[-1] == (home.baclofen.id, _key(8))
    assert home.alerts.banner.isHidden()
    assert shown[-1] == ("", "")  # the tray message is taken away
    home.reminders.stop()


def test_a_repeat_replaces_the_notice_before_it(home, main_window):
    fake = FakeNotifier()
    home.alerts.add_notifier(fake)
    home.reminders.start()
    _fire(home, at(D0, 8))
    _fire(home, at(D0, 8, 10))
    banner = home.alerts.banner
    assert banner.title_label.text() == "◷ Still to give: 1 dose"
    assert len(banner.items()) == 1  # one row, not one per repeat
    assert [n.title for n in fake.notices] == ["Time for riluzole (08:00)",
                                               "Still to give: 1 dose"]
    home.reminders.stop()


# ---- Item 1: a tray that comes (or goes) after the app


def test_a_tray_that_appears_after_the_start_is_used(home, main_window, monkeypatch, qtbot):
    """Tray availability was checked once at start: a tray that came later (a slow
    login, a panel restarted) was never used, and closing said "This computer has no
    icons near the clock"."""
    from caregiver_app.ui.notifiers import TrayNotifier

    available = {"now": False}
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: available["now"]))
    home.ctx.settings.tray_hint_shown = True
    home.reminders.start()
    main_window.close()  # no tray yet: it asks before reminders stop
    prompt = main_window.close_prompt
    assert prompt is not None and "no icons near the clock" in prompt.informativeText()
    prompt.escapeButton().click()
    available["now"] = True  # the panel comes up
    main_window.close()
    assert main_window.close_prompt is None
    assert main_window.isHidden() and home.reminders.running  # kept in the tray
    # the panel goes away while the window is hidden in it: the window comes back,
    # minimised, so the app can still be reached
    assert home.alerts.tray_watch.isActive()
    available["now"] = False
    home.alerts.tray_watch.timeout.emit()
    assert main_window.isVisible() and main_window.isMinimized()
    assert not home.alerts.tray_watch.isActive()
    home.reminders.stop()



def test_a_closed_app_never_comes_back_from_the_tray(home, main_window, monkeypatch):
    """The check for a tray gone away ran on after the app closed (Quit, or a restore
    reopening the records): when the tray went, it brought back the closed window, which
    then read closed records ("Cannot operate on a closed database")."""
    from caregiver_app.ui.notifiers import TrayNotifier

    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: True))
    home.ctx.settings.tray_hint_shown = True
    home.ctx.settings.close_to_tray = True
    main_window.close()
    assert main_window.isHidden() and home.alerts.tray_watch.isActive()
    home.ctx.close()
    assert not home.alerts.tray_watch.isActive()
    assert main_window.isHidden()


# ---- Item 4: Quit says that reminders stop


@pytest.mark.parametrize("tray", [True, False])
def test_quit_says_reminders_stop_and_offers_to_keep_running(home, main_window, monkeypatch,
                                                             qtbot, tray):
    from caregiver_app.ui.notifiers import TrayNotifier

    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: tray))
    quits = []
    main_window.quit_requested.connect(lambda: quits.append(1))
    home.reminders.start()
    main_window.quit_action.trigger()  # File ▸ Quit
    prompt = main_window.close_prompt
    assert prompt is not None and prompt.isVisible()
    assert prompt.text() == "Dose reminders stop until the app is started again."
    keep_text = "&Keep running near the clock" if tray else "&Minimise instead"
    by_text = {b.text(): b for b in prompt.buttons()}
    assert set(by_text) == {keep_text, "&Quit", "Cancel"}
    assert prompt.defaultButton() is by_text[keep_text]
    assert prompt.escapeButton() is by_text["Cancel"]
    qtbot.mouseClick(by_text[keep_text], Qt.MouseButton.LeftButton)
    assert quits == [] and home.reminders.running
    if tray:
        assert main_window.isHidden()
    else:
        assert main_window.isMinimized()
    # the tray menu's Quit asks the same, and its Quit ends the app
    quit_action = next(a for a in home.alerts.tray_menu.actions() if a.text() == "Quit")
    quit_action.trigger()
    prompt = main_window.close_prompt
    assert main_window.isVisible()  # brought up so the question is seen
    quit_button = next(b for b in prompt.buttons() if b.text() == "&Quit")
    qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    assert quits == [1]
    home.reminders.stop()


def test_quit_with_no_reminders_running_asks_nothing(home, main_window):
    quits = []
    main_window.quit_requested.connect(lambda: quits.append(1))
    main_window.quit_action.trigger()
    assert quits == [1] and main_window.close_prompt is None


# ---- Item 2: the reminder on the desktop in use


def test_a_reminder_for_a_window_out_of_view_comes_as_its_own_window(home, main_window,
                                                                     qtbot):
    """A window on another virtual desktop was only flagged "demands attention": the
    caregiver saw nothing. The reminder now also comes in a small always-on-top window
    of its own, shown anew (on the desktop in use) at each reminder."""
    from PySide6.QtGui import QGuiApplication

    popup = home.alerts.popup
    main_window.showMinimized()  # out of view (minimised, covered, another desktop)
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, at(D0, 8))
    assert popup.isVisible() and popup.parent() is None
    assert popup.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert popup.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert popup.banner.title_label.text() == "◷ Time for riluzole (08:00)"
    room = QGuiApplication.primaryScreen().availableGeometry()
    assert room.contains(popup.frameGeometry()) or room.contains(popup.geometry())
    # in a corner clear of the window's buttons (the window came to the front with it)
    frame = popup.frameGeometry()
    assert [b.text() for b in _shown_buttons(main_window) if b.rect_on_screen.intersects(
        frame)] == []
    # its Given records, like the banner's, and every notice about the dose goes
    qtbot.mouseClick(popup.banner.given_button(0), Qt.MouseButton.LeftButton)
    assert home.book.day().doses[0].state is DoseState.GIVEN
    assert popup.isHidden() and home.alerts.banner.isHidden()
    # and Undo names it and takes it back
    tab = main_window.today_tab
    assert tab.undo_button.text() == "↶  &Undo: riluzole 08:00 given"
    qtbot.mouseClick(tab.undo_button, Qt.MouseButton.LeftButton)
    assert home.book.day().doses[0].state is DoseState.DUE
    home.reminders.stop()


@pytest.mark.parametrize("size", ["Normal (100%)", "Huge (200%)"])
def test_the_popup_leaves_the_banners_buttons_free_on_a_window_filling_the_screen(
        home, main_window, qtbot, size):
    """On a laptop the window fills the screen, and the popup in the screen's top right
    corner covered the Show in Today, Hide, Given and Snooze buttons of the window's own
    banner (brought to the front with it): the caregiver could not reach them while the
    reminder showed. It now takes a corner clear of the banner, at any text size."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QAbstractButton

    menu_action(main_window, "View", "Text size", size).trigger()
    try:
        room = QGuiApplication.primaryScreen().availableGeometry()
        main_window.setGeometry(room)  # as on a 1366×768 laptop: the whole screen
        QApplication.processEvents()  # (laid out for the text size, long before 08:00)
        main_window.showMinimized()  # out of view; the reminder brings it to the front
        qtbot.waitUntil(main_window.isMinimized)
        home.reminders.start()
        _fire(home, at(D0, 8))
        popup, banner = home.alerts.popup, home.alerts.banner
        assert popup.isVisible() and banner.isVisible() and not main_window.isMinimized()
        qtbot.waitUntil(lambda: main_window.geometry() == room)
        QApplication.processEvents()  # (the banner laid out as it is seen)

        def on_screen(widget):
            return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())

        buttons = {b.text(): on_screen(b) for b in banner.findChildren(QAbstractButton)
                   if b.isVisible()}
        assert {"Show in Today", "Hide", "✓ Given", "◷ Snooze"} <= set(buttons)
        frame = popup.frameGeometry()
        assert [text for text, rect in buttons.items() if rect.intersects(frame)] == []
        assert not frame.intersects(on_screen(banner))  # nor over what the banner says
        assert room.contains(frame)  # wholly on the screen, on top, as large as before
        assert popup.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        assert popup.width() >= room.width() // 3
        # the banner's own Given records, with the popup still up; both go
        qtbot.mouseClick(banner.given_button(0), Qt.MouseButton.LeftButton)
        assert home.book.day().doses[0].state is DoseState.GIVEN
        assert popup.isHidden()
        home.reminders.stop()
    finally:  # (the application's font outlives the test)
        menu_action(main_window, "View", "Text size", "Normal (100%)").trigger()


def test_the_popup_moves_clear_when_the_window_fills_the_screen_after_it(
        home, main_window, qtbot):
    """A desktop may restore the window after the popup shows, at the size it had, the
    whole screen: the popup, placed beside the smaller window, was left over its
    banner or the dose's buttons. It moves clear once the window is
    laid out, but not if the caregiver has moved it themself."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QGuiApplication

    room = QGuiApplication.primaryScreen().availableGeometry()
    main_window.setGeometry(QRect(room.topLeft(), room.size() / 2))
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, at(D0, 8))
    popup, banner = home.alerts.popup, home.alerts.banner
    qtbot.waitUntil(lambda: not main_window.isMinimized())
    QApplication.processEvents()
    beside = popup.frameGeometry()  # clear of the smaller window's buttons
    main_window.setGeometry(room)  # restored to its own size: the whole screen
    qtbot.waitUntil(lambda: main_window.geometry() == room)
    QApplication.processEvents()
    frame = popup.frameGeometry()
    assert frame != beside and room.contains(frame)
    assert [b.text() for b in _shown_buttons(main_window)
            if b.rect_on_screen.intersects(frame)] == []
    assert not frame.intersects(QRect(banner.mapToGlobal(QPoint(0, 0)), banner.size()))
    # moved by the caregiver, it stays where they put it
    popup.move(frame.topLeft() + QPoint(-5, -5))
    moved = popup.frameGeometry()
    main_window.setGeometry(QRect(room.topLeft(), room.size() / 2))
    qtbot.waitUntil(lambda: main_window.geometry().size() == room.size() / 2)
    QApplication.processEvents()
    assert popup.frameGeometry() == moved and popup.isVisible()
    home.reminders.stop()


def test_the_popup_never_comes_under_the_mouse_pointer(home, main_window, qtbot):
    """An always-on-top window with a Given button must not appear, or move, where the
    caregiver is about to click in another window: the click would record a dose."""
    from PySide6.QtGui import QCursor, QGuiApplication

    room = QGuiApplication.primaryScreen().availableGeometry()
    main_window.setGeometry(room)
    QApplication.processEvents()
    home.reminders.start()
    popup, places = home.alerts.popup, []
    for repeat in (False, True):
        main_window.showMinimized()
        qtbot.waitUntil(main_window.isMinimized)
        _fire(home, home.reminders.armed_for)  # 08:00, then its repeat
        QApplication.processEvents()
        assert popup.isVisible() and popup.banner.items()[0].key == _key(8)
        places.append(popup.frameGeometry())
        assert [b.text() for b in _shown_buttons(main_window)
                if b.rect_on_screen.intersects(places[-1])] == []
        if not repeat:  # the pointer now rests where it came: it comes elsewhere
            QCursor.setPos(places[0].center())
            qtbot.mouseClick(popup.banner.close_button, Qt.MouseButton.LeftButton)
            assert popup.isHidden()
    assert places[1] != places[0] and not places[1].contains(QCursor.pos())
    home.reminders.stop()


@pytest.mark.parametrize("pointer", ["on its other Given", "away"])
def test_a_dose_recorded_elsewhere_never_moves_the_popup_from_under_the_hand(
        two_at_eight, main_window, qtbot, pointer):
    """Another caregiver records one of the two doses while the pointer is on the
    popup's other Given: the window's banner gets shorter, and the popup stays where
    the caregiver is about to click; with the pointer away, it may move, never under
    the pointer nor over the window's buttons."""
    from PySide6.QtGui import QCursor, QGuiApplication

    main_window.setGeometry(QGuiApplication.primaryScreen().availableGeometry())
    QApplication.processEvents()
    home = two_at_eight
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, at(D0, 8))
    popup = home.alerts.popup
    QApplication.processEvents()
    assert len(popup.banner.items()) == 2
    before = popup.frameGeometry()
    given = popup.banner.given_button(1)
    QCursor.setPos(given.mapToGlobal(given.rect().center()) if pointer != "away"
                   else QPoint(0, 0))
    home.book.record_given(home.riluzole.id, _key(8))  # (as a sync brings it)
    QApplication.processEvents()
    assert popup.isVisible() and len(popup.banner.items()) == 1
    assert len(home.alerts.banner.items()) == 1
    if pointer == "away":
        assert not popup.frameGeometry().contains(QCursor.pos())
        assert [b.text() for b in _shown_buttons(main_window)
                if b.rect_on_screen.intersects(popup.frameGeometry())] == []
    else:
        assert popup.frameGeometry().topLeft() == before.topLeft()
    home.reminders.stop()


def _shown_buttons(window):
    """The buttons ``window`` shows (not hidden, not scrolled out of view), each with
    ``rect_on_screen``: the part of it that is seen, on the screen."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton

    shown = []
    for button in window.findChildren(QAbstractButton):
        seen = button.visibleRegion().boundingRect() if button.isVisible() else QRect()
        if not seen.isEmpty():
            button.rect_on_screen = QRect(button.mapToGlobal(seen.topLeft()), seen.size())
            shown.append(button)
    return shown


#: Set by ``test_the_popup_leaves_the_doses_buttons_and_undo_free_on_a_laptop``, which
#: runs the test below again in a process of its own, on one 1366×768 screen (the screen
#: is fixed when Qt starts).
ON_A_LAPTOP = "CAREGIVER_TEST_LAPTOP_SCREEN"


def test_the_popup_leaves_the_doses_buttons_and_undo_free_on_a_laptop(tmp_path):
    """On a 1366×768 laptop the window fills the screen; with the banner at the top, the
    popup took the bottom right corner, over Today's detail pane (the selected dose's
    Given now, Skip, Snooze) and Undo. A caregiver must never have a dose's button or
    Undo hidden by it: it now takes a place clear of every button the window shows."""
    from layout_check import screen_config

    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json"),
               **{ON_A_LAPTOP: "1"})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_the_popup_on_the_laptop_screen"], env=env,
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "2 passed" in done.stdout


@pytest.mark.skipif(ON_A_LAPTOP not in os.environ,
                    reason="run on a 1366×768 screen by the test above")
@pytest.mark.parametrize("size", ["Normal (100%)", "Huge (200%)"])
def test_the_popup_on_the_laptop_screen(home, main_window, qtbot, size):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QGuiApplication

    laptop = QRect(0, 0, 1366, 768)
    assert QGuiApplication.primaryScreen().availableGeometry() == laptop
    menu_action(main_window, "View", "Text size", size).trigger()
    try:
        book, popup, tab = home.book, home.alerts.popup, main_window.today_tab
        main_window.setGeometry(laptop)  # the whole screen
        home.reminders.start()
        # 08:00 given from the popup: Undo offers to take it back
        for hour in (8, 9):
            main_window.showMinimized()  # out of view; the reminder brings it up
            qtbot.waitUntil(main_window.isMinimized)
            _fire(home, at(D0, hour))
            if hour == 8:  # given a few minutes before the next reminder
                home.clock.set(at(D0, 8, 58))
                qtbot.mouseClick(popup.banner.given_button(0), Qt.MouseButton.LeftButton)
        assert popup.isVisible() and not main_window.isMinimized()
        qtbot.waitUntil(lambda: main_window.geometry() == laptop)
        QApplication.processEvents()  # (the window laid out as it is seen)
        buttons = _shown_buttons(main_window)
        texts = [b.text().replace("&", "") for b in buttons]
        assert tab.undo_button.isEnabled()
        if size == "Normal (100%)":  # (at 200% text, Today scrolls to them)
            assert tab.undo_button in buttons
            assert any("Given now" in t for t in texts), texts  # the selected dose's
        frame = popup.frameGeometry()
        assert [t for t, b in zip(texts, buttons, strict=True)
                if b.rect_on_screen.intersects(frame)] == []
        assert laptop.contains(frame)  # wholly on the screen, as large as before
        assert popup.width() >= laptop.width() // 3
        # Undo, with the popup up, takes back the dose given at 08:00
        assert tab.undo_button.text() == "↶  &Undo: riluzole 08:00 given"
        qtbot.mouseClick(tab.undo_button, Qt.MouseButton.LeftButton)
        assert book.day().doses[0].state is DoseState.DUE
        home.reminders.stop()
    finally:  # (the application's font outlives the test)
        menu_action(main_window, "View", "Text size", "Normal (100%)").trigger()


def test_the_popup_is_not_used_while_the_window_is_in_use(home, main_window, monkeypatch):
    monkeypatch.setattr(type(main_window), "isActiveWindow", lambda self: True)
    home.reminders.start()
    _fire(home, at(D0, 8))
    assert home.alerts.banner.isVisible() and home.alerts.popup.isHidden()
    home.reminders.stop()


def test_the_popup_snoozes_and_goes_when_the_window_is_used(home, main_window, qtbot):
    popup = home.alerts.popup
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, at(D0, 8))
    ten = next(a for a in popup.banner.snooze_menu(0).actions() if a.text() == "10 minutes")
    ten.trigger()
    assert home.reminders.snoozed_until(home.riluzole.id, _key(8)) == at(D0, 8, 10)
    assert popup.isHidden()
    main_window.showMinimized()  # out of view again
    qtbot.waitUntil(main_window.isMinimized)
    _fire(home, at(D0, 8, 10))  # the snooze is over: it comes again
    assert popup.isVisible()
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(main_window, QEvent(QEvent.Type.WindowActivate))
    assert popup.isHidden()
    home.reminders.stop()


def test_the_main_window_is_watched_for_the_popup_only_while_it_shows(home, main_window,
                                                                      qtbot, monkeypatch):
    """The popup keeps clear of the main window and goes when the window is used: it
    and the reminder center watch the window's events only while the popup shows, not
    each of its events (every move, resize and paint) all the rest of the time."""
    from PySide6.QtCore import QEvent

    from caregiver_app.ui.today.alerts import ReminderCenter
    from caregiver_app.ui.today.popup import ReminderPopup

    seen = []
    for kind in (ReminderPopup, ReminderCenter):
        real = kind.eventFilter
        monkeypatch.setattr(kind, "eventFilter", lambda self, watched, event, real=real:
                            seen.append(watched) or real(self, watched, event))
    popup = home.alerts.popup
    main_window.resize(main_window.width() + 20, main_window.height())
    QApplication.processEvents()
    assert main_window not in seen and popup.isHidden()  # no popup: not watched
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, at(D0, 8))
    assert popup.isVisible()
    QApplication.sendEvent(main_window, QEvent(QEvent.Type.WindowActivate))
    assert main_window in seen and popup.isHidden()  # watched while it showed
    QApplication.sendEvent(main_window, QEvent(QEvent.Type.WindowActivate))  # (let go)
    seen.clear()
    main_window.resize(main_window.width() - 20, main_window.height())
    QApplication.processEvents()
    assert main_window not in seen  # gone: not watched any more
    home.reminders.stop()


def test_the_popup_follows_the_bring_forward_setting(home, main_window, qtbot):
    home.ctx.settings.bring_to_front = False
    main_window.showMinimized()
    qtbot.waitUntil(main_window.isMinimized)
    home.reminders.start()
    _fire(home, at(D0, 8))
    assert home.alerts.popup.isHidden()
    home.reminders.stop()


# ---- Item 3: a longer, louder chime for a dose still not recorded


def test_chime_grows_after_the_first_repeat_within_the_chosen_volume():
    from caregiver_app.domain.reminders import SoundPrefs, chime_for

    prefs = SoundPrefs(volume=50, escalate=True, loudest=75)
    assert [chime_for(n, prefs) for n in range(5)] == [
        (0.5, 1), (0.5, 1), (0.625, 3), (0.75, 5), (0.75, 5)]
    assert [chime_for(n, SoundPrefs(50, False, 100)) for n in range(4)] == [(0.5, 1)] * 4
    # never below the volume, never above the loudest chosen
    assert chime_for(9, SoundPrefs(75, True, 25)) == (0.75, 5)
    assert chime_for(9, SoundPrefs(100, True, 100)) == (1.0, 5)


def test_the_sound_escalates_for_a_dose_still_not_recorded(home, main_window, monkeypatch):
    sound = next(n for n in home.alerts.notifiers() if type(n).__name__ == "SoundNotifier")
    sound._tried = True  # no QtMultimedia here: the beep instead
    beeps = []
    monkeypatch.setattr("caregiver_app.ui.notifiers.QApplication.beep",
                        lambda: beeps.append(1))
    home.ctx.settings.reminder_volume = 50
    home.ctx.settings.reminder_loudest = 100
    home.reminders.start()
    for minute in (0, 10, 20, 30):
        _fire(home, at(D0, 8, minute))
    assert sound.played == [(0.5, 1), (0.5, 1), (0.75, 3), (1.0, 5)]
    # the beep stands in for the chime, as many times (the next ones on a timer)
    assert sound._beeps.isActive() and sound._beeps_left == 4
    # recorded: the remaining beeps stop
    main_window.today_tab.show_dose(home.riluzole.id, _key(8))
    home.book.record_given(home.riluzole.id, _key(8))
    assert not sound._beeps.isActive()
    home.reminders.stop()


def test_escalation_can_be_switched_off(home, main_window):
    sound = next(n for n in home.alerts.notifiers() if type(n).__name__ == "SoundNotifier")
    sound._tried = True
    home.ctx.settings.reminder_escalate = False
    home.reminders.start()
    for minute in (0, 10, 20, 30):
        _fire(home, at(D0, 8, minute))
    assert sound.played == [(0.75, 1)] * 4
    home.reminders.stop()


def test_the_volumes_are_chosen_in_the_reminder_settings(home, main_window, monkeypatch,
                                                        qtbot):
    from caregiver_app.ui.today.settings_dialog import ReminderSettingsDialog

    def person(dialog):
        assert dialog.volume_combo.currentData() == 75
        assert dialog.escalate_check.isChecked() and dialog.loudest_combo.currentData() == 100
        dialog.volume_combo.setCurrentIndex(dialog.volume_combo.findData(50))
        dialog.loudest_combo.setCurrentIndex(dialog.loudest_combo.findData(75))
        # a loudest below the volume cannot be chosen
        dialog.volume_combo.setCurrentIndex(dialog.volume_combo.findData(100))
        assert dialog.loudest_combo.currentData() == 100
        dialog.volume_combo.setCurrentIndex(dialog.volume_combo.findData(50))
        dialog.loudest_combo.setCurrentIndex(dialog.loudest_combo.findData(75))
        qtbot.mouseClick(dialog.sound_check, Qt.MouseButton.LeftButton,
                         pos=dialog.sound_check.rect().topLeft() + QPoint(6, 6))
        assert not dialog.volume_combo.isEnabled() and not dialog.loudest_combo.isEnabled()
        qtbot.mouseClick(dialog.sound_check, Qt.MouseButton.LeftButton,
                         pos=dialog.sound_check.rect().topLeft() + QPoint(6, 6))
        box = dialog.findChild(QDialogButtonBox)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    def run(dialog):
        dialog.show()
        person(dialog)
        return dialog.result()

    monkeypatch.setattr(ReminderSettingsDialog, "exec", run)
    qtbot.mouseClick(main_window.today_tab.reminders_button, Qt.MouseButton.LeftButton)
    settings = home.ctx.settings
    assert (settings.reminder_volume, settings.reminder_escalate,
            settings.reminder_loudest) == (50, True, 75)


_DELETED_WHILE_SHOWN = """
import sys
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
app = QApplication([])
from caregiver_app.ui.today.popup import ReminderPopup
popup = ReminderPopup()
window = QWidget()
QVBoxLayout(window).addWidget(QPushButton("Given"))
window.show()
popup.keep_clear_of(window, only_buttons=True)
popup.show()
app.processEvents()
window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
window.close()
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
popup.hide()
popup.show()
app.processEvents()
print("still running", popup.isVisible())
"""


def test_a_window_deleted_while_the_popup_shows_ends_nothing(tmp_path):
    """The popup watches what it keeps clear of while it shows: asking a window deleted
    meanwhile for its window, in Qt's own hide and show, ended the whole program (and its
    reminders) there. Run in a process of its own, which that would end."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _DELETED_WHILE_SHOWN], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "still running True" in done.stdout
