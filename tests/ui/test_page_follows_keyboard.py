"""At large text the window's page scrolls (the whole window is one scroll area): the
keyboard must never go where the page does not show. Tab to a button below the fold and
Down to a row below it scroll the page; a reminder that brings the window up shows its
banner, above the page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from gui_paths import OFFSCREEN_LIMITS, activate, fill_example_household, menu_action
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS, "does not support raise")


@pytest.fixture
def huge(ctx, qtbot, fake_clock):
    """The example household at 20:40 (its two 20:00 doses overdue), on a 1366×768
    window at View ▸ Text size ▸ Huge, Today showing."""
    fake_clock.set(datetime(2026, 11, 25, 20, 40, tzinfo=ZoneInfo(ctx.patient_time_zone())))
    fill_example_household(ctx)
    window = ctx.window
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 768)
    activate(qtbot, window)
    window.show_tab("today")
    menu_action(window, "View", "Text size", "Huge (200%)").trigger()
    _settle()
    yield ctx
    menu_action(window, "View", "Text size", "Normal (100%)").trigger()
    _settle()  # (what the font change posted runs while the window is still there)


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def _in_page_view(window, widget, rect: QRect | None = None) -> bool:
    """``rect`` of ``widget`` (all of it by default) inside what the page shows."""
    rect = rect if rect is not None else widget.rect()
    view = window.page_scroll.viewport()
    shown = QRect(widget.mapTo(view, rect.topLeft()), rect.size())
    return view.rect().contains(shown)


def _current_row_rect(tree) -> QRect:
    """The current row as the list shows it (the list scrolls by whole rows, so a tall
    last row may be shown only in part)."""
    cell = tree.visualRect(tree.currentIndex())
    row = QRect(0, cell.top(), tree.viewport().width(), cell.height())
    return row.intersected(tree.viewport().rect())


def test_tab_to_given_now_below_the_fold_scrolls_the_page_to_it(huge, qtbot):
    """(Qt's page scroll area already does this for Tab; kept so the page following
    the keyboard does not undo it.)"""
    window = huge.window
    tab = window.tab_widget("today")
    card = tab.card
    assert window.page_scroll.verticalScrollBar().maximum() > 0  # the page scrolls
    window.page_scroll.verticalScrollBar().setValue(0)
    tab.tree.setFocus(Qt.FocusReason.TabFocusReason)
    _settle()
    assert not _in_page_view(window, card.given_button)  # below the fold
    for _ in range(10):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        _settle()
        if QApplication.focusWidget() is card.given_button:
            break
    assert QApplication.focusWidget() is card.given_button
    assert _in_page_view(window, card.given_button)


def test_down_to_a_row_below_the_fold_scrolls_the_page_to_it(huge, qtbot):
    """Down moved the selection to a dose below the fold: only a strip of it showed."""
    window = huge.window
    tree = window.tab_widget("today").tree
    window.page_scroll.verticalScrollBar().setValue(0)
    tree.setFocus(Qt.FocusReason.TabFocusReason)
    _settle()
    for moved in range(1, 4):
        qtbot.keyClick(tree, Qt.Key.Key_Down)
        _settle()
        assert not _current_row_rect(tree).isEmpty()
        assert _in_page_view(window, tree.viewport(), _current_row_rect(tree)), moved


def test_a_reminder_bringing_the_window_up_shows_the_banner(huge, qtbot):
    """Minimised with the page left scrolled down to the card's buttons, the window came
    up for a reminder with its banner ("Time for medicines") above the fold. (The banner
    is now above the page, in view however far the page is scrolled.)"""
    window = huge.window
    banner = huge.alerts.banner
    bar = window.page_scroll.verticalScrollBar()
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    _settle()
    bar.setValue(bar.maximum())  # left scrolled down to the buttons
    huge.reminders.start()  # the two overdue doses: reminded at once
    _settle()
    assert not window.isMinimized() and banner.isVisible()
    top = banner.mapTo(window, QPoint(0, 0)).y()
    assert top >= 0 and top + banner.height() <= window.height()
    assert not window.page_scroll.isAncestorOf(banner)
    huge.reminders.stop()


@pytest.mark.parametrize("key", [Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5])
def test_switching_tabs_shows_the_tab_bar_below_the_banner(huge, qtbot, key):
    """S5: at 200% with the banner pinned above the page and Today scrolled down,
    Ctrl+2 / Ctrl+3 kept the scroll (or followed the focused search field), leaving the
    tab bar half hidden just under the banner: which tab was showing could not be seen."""
    window = huge.window
    banner = huge.alerts.banner
    huge.reminders.start()  # the two overdue doses: the banner shows
    _settle()
    assert banner.isVisible()
    bar = window.page_scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())  # Today scrolled down to the card's buttons
    _settle()
    tabs = window.tabs.tabBar()
    assert tabs.mapTo(window.page_scroll.viewport(), QPoint(0, 0)).y() < 0
    qtbot.keyClick(QApplication.focusWidget() or window, key,
                   Qt.KeyboardModifier.ControlModifier)
    _settle()
    assert window.tabs.currentIndex() != 0
    view = window.page_scroll.viewport()
    top = tabs.mapTo(view, QPoint(0, 0)).y()
    assert top >= 0 and top + tabs.height() <= view.height(), (top, bar.value())
    focus = QApplication.focusWidget()
    if focus is not None and window.page_scroll.widget().isAncestorOf(focus):
        assert _in_page_view(window, focus) or focus.height() > bar.pageStep()
    huge.reminders.stop()
