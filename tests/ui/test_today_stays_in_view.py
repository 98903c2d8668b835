"""At large text on a 1366×768 laptop the window's page scrolls. Seen in a review at 200%:
the reminder banner and the selected dose's buttons were in the scrolled page, so the
wheel over the day's list (past its last row) or over the page took a due dose's Given
button off the screen. The banner now stays above the page, and the wheel over the list
moves the list only. Today's own "Large text" view scrolled sideways at 150% and 200%: it
now fits the width. The tests run on a 1366×768 screen, in a process of their own (the
screen is fixed when Qt starts)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from gui_paths import OFFSCREEN_LIMITS, fill_example_household, menu_action, wheel
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS, "does not support raise")

#: Set by the outer test, which runs the others in a process on one 1366×768 screen.
ON_A_LAPTOP = "CAREGIVER_TEST_LAPTOP_SCREEN"
LAPTOP = QRect(0, 0, 1366, 768)
SIZES = ["Normal (100%)", "Large (125%)", "Extra large (150%)", "Huge (200%)"]


def test_on_a_laptop_screen(tmp_path):
    from layout_check import screen_config

    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json"),
               **{ON_A_LAPTOP: "1"})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__,
         "-k", "not test_on_a_laptop_screen"], env=env,
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "12 passed" in done.stdout, done.stdout[-2000:]


laptop_only = pytest.mark.skipif(ON_A_LAPTOP not in os.environ,
                                 reason="run on a 1366×768 screen by the test above")


@pytest.fixture
def reminded(ctx, qtbot, fake_clock):
    """The example household at 20:40, its two 20:00 doses on the reminder banner, the
    window on the whole laptop screen with Today showing."""
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.primaryScreen().availableGeometry() == LAPTOP
    fake_clock.set(datetime(2026, 11, 25, 20, 40, tzinfo=ZoneInfo(ctx.patient_time_zone())))
    fill_example_household(ctx)
    window = ctx.window
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.setGeometry(LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    window.show_tab("today")
    ctx.reminders.start()  # the two overdue doses: reminded at once
    _settle()
    assert ctx.alerts.banner.isVisible() and len(ctx.alerts.banner.items()) == 2
    yield ctx
    ctx.reminders.stop()
    menu_action(window, "View", "Text size", "Normal (100%)").trigger()
    _settle()  # (the application's font outlives the test)


def _settle() -> None:
    for _ in range(6):
        QApplication.processEvents()


def _shown_part(widget: QWidget) -> QRect:
    """The part of ``widget`` its window shows (in the widget's coordinates): what none
    of the widgets around it cut (a scroll area's viewport shows part of its page)."""
    window = widget.window()
    whole = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    part = QRect(whole)
    parent = widget.parentWidget()
    while parent is not None:
        part = part.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return part.translated(-whole.topLeft())


def _seen(widget: QWidget) -> bool:
    """All of ``widget`` shows in its window."""
    return widget.isVisible() and _shown_part(widget) == widget.rect()


@laptop_only
@pytest.mark.parametrize("size", SIZES)
def test_the_banners_given_stays_in_view_as_the_page_scrolls(reminded, size):
    window, banner = reminded.window, reminded.alerts.banner
    tab = window.tab_widget("today")
    menu_action(window, "View", "Text size", size).trigger()
    _settle()
    assert LAPTOP.contains(window.frameGeometry()) and window.height() > 700
    given = [banner.given_button(0), banner.given_button(1)]
    assert all(_seen(b) for b in given)
    # the wheel over the list, past its last row, then over the page itself
    for target, notches in ((tab.tree, -1), (tab.header_label, -1), (tab.tree, 1),
                            (tab.header_label, 1), (tab.notices_label, -1)):
        for _ in range(12):
            wheel(target, notches)
            assert all(_seen(b) for b in given), (size, target.accessibleName())
    if size == "Huge (200%)":
        assert window.page_scroll.verticalScrollBar().maximum() > 0  # the page scrolls


@laptop_only
def test_the_cards_buttons_stay_put_while_the_list_scrolls(reminded):
    """Huge text: the page scrolled to the selected dose's buttons; the wheel over the
    list, down past its last row and up past its first, scrolls the list and nothing
    else."""
    window = reminded.window
    tab = window.tab_widget("today")
    menu_action(window, "View", "Text size", "Huge (200%)").trigger()
    _settle()
    list_bar, page_bar = tab.tree.verticalScrollBar(), window.page_scroll.verticalScrollBar()
    assert list_bar.maximum() > 0 and page_bar.maximum() > 0  # both scroll
    window.scroll_into_view(tab.card.given_button)
    _settle()
    assert _seen(tab.card.given_button)
    page_at = page_bar.value()
    seen_rows = set()
    rows = tab.tree.viewport()
    pointer = _shown_part(rows).center()  # over the rows the page shows
    assert rows.rect().contains(pointer)
    for notches in [-1] * 15 + [1] * 30:
        wheel(rows, notches, at=pointer)
        seen_rows.add(list_bar.value())
        assert _seen(tab.card.given_button)
        assert page_bar.value() == page_at
    assert {list_bar.minimum(), list_bar.maximum()} <= seen_rows  # the list did scroll
    # a turn after a pause, at the list's first row, scrolls the page, as in a browser
    wheel(rows, 1, at=pointer, timestamp=5_000)
    assert page_bar.value() < page_at


@laptop_only
@pytest.mark.parametrize("geometry", [QRect(0, 0, 1024, 600), QRect(0, 0, 800, 600),
                                      QRect(0, 0, 800, 480)])
def test_the_banner_fits_a_smaller_window_at_huge_text(reminded, geometry):
    """Above the page, the banner never takes more than its share of the window: doses
    that do not fit are summed up ("and 1 more: Show in Today"), the first keeps its
    buttons, and nothing of it is cut off."""
    from caregiver_app.ui.main_window import BANNER_SHARE

    window, banner = reminded.window, reminded.alerts.banner
    menu_action(window, "View", "Text size", "Huge (200%)").trigger()
    window.setGeometry(geometry)
    _settle()
    room = window.height()
    assert banner.rows_shown() >= 1
    # (one dose with its buttons, even when that takes a little more)
    assert banner.height() <= room * (BANNER_SHARE if banner.rows_shown() > 1 else 0.5)
    for control in [banner.title_label, banner.open_button, banner.close_button,
                    *(banner.given_button(row) for row in range(banner.rows_shown()))]:
        assert _seen(control), control.text()
    if geometry.height() < 500:
        assert banner.rows_shown() == 1  # (the second dose did not fit)
    if banner.rows_shown() < 2:
        assert banner.more_label.text() == "and 1 more: Show in Today"
        assert _seen(banner.more_label)
    wheel(window.tab_widget("today").header_label, -5)
    assert _seen(banner.given_button(0))
    window.setGeometry(LAPTOP)  # room again: both doses with their buttons
    _settle()
    assert banner.rows_shown() == 2 and not banner.more_label.isVisible()


@laptop_only
@pytest.mark.parametrize("size", SIZES)
def test_the_large_text_view_fits_the_width(reminded, qtbot, size):
    """Today's own "Large text" view scrolled sideways at 150% and 200%: its columns,
    each as narrow as its longest word, did not fit beside the card. The card now goes
    under the list when they do not, and the list wraps its texts in the whole width."""
    window = reminded.window
    tab = window.tab_widget("today")
    menu_action(window, "View", "Text size", size).trigger()
    _settle()
    qtbot.mouseClick(tab.large_button, Qt.MouseButton.LeftButton)
    _settle()
    assert tab.large_button.isChecked() and tab.tree.font().pointSizeF() > \
        QApplication.font().pointSizeF()
    tree = tab.tree
    for bar in (tree.horizontalScrollBar(), window.page_scroll.horizontalScrollBar()):
        assert bar.maximum() == 0 and not bar.isVisible(), size
    columns = sum(tree.columnWidth(c) for c in range(tree.model().columnCount()))
    assert columns <= tree.viewport().width()
    beside = tab.splitter.orientation() == Qt.Orientation.Horizontal
    assert beside == (size in ("Normal (100%)", "Large (125%)"))  # (under it at 150%, 200%)
    if not beside:  # the list shows several doses at once above the card
        assert tree.height() >= window.height() // 2
    qtbot.mouseClick(tab.large_button, Qt.MouseButton.LeftButton)  # back: side by side
    _settle()
    assert not tab.large_button.isChecked()
    assert tab.splitter.orientation() == Qt.Orientation.Horizontal
    assert tree.horizontalScrollBar().maximum() == 0
