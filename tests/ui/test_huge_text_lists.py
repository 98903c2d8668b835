"""Huge (200%) text on a 1366×768 laptop: no list shows safety-critical text cut off. A
care-team phone number lost its last digit at the list's edge, with no "…", so it
looked complete and a tired caregiver could dial a wrong number; Today's "What to know
now" ran past the list's edge ("nothing to eat in the 2")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gui_paths import menu_action
from PySide6.QtCore import QModelIndex, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QSplitter, QStyle

#: Set by the outer test, which runs the ones below in a process of their own, on one
#: 1366×768 screen (the screen is fixed when Qt starts).
ON_A_LAPTOP = "CAREGIVER_TEST_LAPTOP_SCREEN"
HUGE = "Huge (200%)"
PHONE = 3  # the care team's phone column


def test_lists_at_huge_text_on_a_laptop(tmp_path):
    from layout_check import screen_config

    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json"),
               **{ON_A_LAPTOP: "1"})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_phone_numbers_show_whole",
         f"{__file__}::test_phone_numbers_stay_whole_in_a_narrow_list",
         f"{__file__}::test_todays_columns_fit_the_list"], env=env,
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "3 passed" in done.stdout


laptop_only = pytest.mark.skipif(ON_A_LAPTOP not in os.environ,
                                 reason="run on a 1366×768 screen by the test above")


@pytest.fixture
def example(app_names, qtbot, data_dir, fake_clock):
    """The example household's window on the whole laptop screen, at Huge text."""
    from PySide6.QtGui import QGuiApplication

    from caregiver_app.app import build_context
    from caregiver_app.core import open_core
    from caregiver_app.services.demo import populate_example

    core = open_core(data_dir, fake_clock, is_example=True)
    try:
        populate_example(core.db, today=core.local_today(), time_zone="America/Chicago",
                         now=core.clock.now())
    finally:
        core.close()
    context = build_context(data_dir, clock=fake_clock, is_example=True)
    qtbot.addWidget(context.window)
    context.core.announce_all()
    window = context.window
    laptop = QRect(0, 0, 1366, 768)
    assert QGuiApplication.primaryScreen().availableGeometry() == laptop
    window.setGeometry(laptop)
    window.show()
    qtbot.waitExposed(window)
    menu_action(window, "View", "Text size", HUGE).trigger()
    try:
        yield context
    finally:  # (the application's font outlives the test)
        menu_action(window, "View", "Text size", "Normal (100%)").trigger()
        context.close()


def _settle() -> None:
    """Until the layouts and the refits they post are done."""
    for _ in range(6):
        QApplication.processEvents()


def _phone_cells(tree) -> list[QModelIndex]:
    model = tree.model()
    cells = []
    for group in range(model.rowCount()):
        parent = model.index(group, 0)
        cells += [model.index(row, PHONE, parent) for row in range(model.rowCount(parent))]
    assert len(cells) >= 10
    return cells


def _cut_numbers(tree) -> list[str]:
    """The phone numbers not shown whole: wider than their cell, or their cell past the
    list's edge."""
    metrics = QFontMetrics(tree.font())
    margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    viewport = tree.viewport().rect()
    cut = []
    for index in _phone_cells(tree):
        number = index.data()
        rect = tree.visualRect(index)
        if (metrics.horizontalAdvance(number) + 2 * margin > rect.width()
                or rect.left() < viewport.left() or rect.right() > viewport.right()):
            cut.append(f"{number}: {rect.getRect()} in {viewport.width()}")
    return cut


@laptop_only
def test_phone_numbers_show_whole(example, qtbot):
    tab = example.window.show_tab("care_team")
    _settle()
    assert tab.tree.isVisible()
    assert _cut_numbers(tab.tree) == []
    # the long words of the other columns wrap ("Speech-" / "language"): nothing sideways
    assert tab.tree.horizontalScrollBar().maximum() == 0


@laptop_only
def test_phone_numbers_stay_whole_in_a_narrow_list(example, qtbot):
    """Even when the words of every column cannot fit (the list dragged narrow), the
    numbers are whole and in view; the list scrolls sideways to the rest."""
    tab = example.window.show_tab("care_team")
    _settle()
    splitter = tab.tree.parentWidget().parentWidget()
    assert isinstance(splitter, QSplitter)
    total = sum(splitter.sizes())
    splitter.setSizes([600, total - 600])  # as a drag of the handle does
    _settle()
    assert tab.tree.horizontalScrollBar().maximum() > 0  # the words could not all fit
    assert _cut_numbers(tab.tree) == []


@laptop_only
def test_todays_columns_fit_the_list(example, qtbot):
    tab = example.window.show_tab("today")
    _settle()
    tree = tab.tree
    header = tree.header()
    widths = [header.sectionSize(c) for c in range(header.count())
              if not header.isSectionHidden(c)]
    assert sum(widths) <= tree.viewport().width(), widths
    assert tree.horizontalScrollBar().maximum() == 0
    # "What to know now" is wide enough for its longest word: it wraps, nothing is cut
    metrics = QFontMetrics(tree.font())
    notes = header.count() - 1
    words = {w for row in tab.model.rows() for w in row.cells[notes].split()}
    assert words
    assert max(metrics.horizontalAdvance(w) for w in words) < header.sectionSize(notes)
