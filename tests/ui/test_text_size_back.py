"""View ▸ Text size back from Huge to Normal in one session, on a 1366×768 laptop: the
header goes back to one row and Today's Undo is in view, the page not scrolling."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gui_paths import menu_action
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

#: Set by the outer test, which runs the one below in a process of its own, on one
#: 1366×768 screen (the screen is fixed when Qt starts).
ON_A_LAPTOP = "CAREGIVER_TEST_LAPTOP_SCREEN"


def test_the_header_is_one_row_again_after_huge_text_on_a_laptop(tmp_path):
    """Huge (200%) puts the header on two rows (the patient line above who is on duty);
    Normal (100%) afterwards left it there, on a window as wide as before, and the page
    scrolled with Undo out of view until the window was resized."""
    from layout_check import screen_config

    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json"),
               **{ON_A_LAPTOP: "1"})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_text_size_back_to_normal_on_the_laptop_screen"], env=env,
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "1 passed" in done.stdout


@pytest.fixture
def example(app_names, qtbot, data_dir, fake_clock):
    """The example household's window, as the app opens it."""
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
    context.session.set_on_duty(context.patients.caregivers()[0].id)
    yield context
    context.close()


def _rows(window) -> int:
    """How many rows the header shows: 1 when who is on duty is beside the patient line."""
    patient, duty = window.patient_label.geometry(), window.duty_combo.geometry()
    return 1 if duty.top() < patient.bottom() else 2


@pytest.mark.skipif(ON_A_LAPTOP not in os.environ,
                    reason="run on a 1366×768 screen by the test above")
def test_text_size_back_to_normal_on_the_laptop_screen(example, qtbot):
    from PySide6.QtGui import QGuiApplication

    window = example.window
    laptop = QRect(0, 0, 1366, 768)
    assert QGuiApplication.primaryScreen().availableGeometry() == laptop
    window.setGeometry(laptop)  # the whole screen
    window.show()
    qtbot.waitExposed(window)
    tab = window.show_tab("today")
    tabs = window.tabs  # every tab built, as once the window is idle
    qtbot.waitUntil(lambda: all(tabs.is_built(key) for key in tabs.tab_keys()))
    _settle()
    width = window.width()
    seen = {"first": (_rows(window), _scrolls(window), _undo_in_view(tab))}
    try:
        menu_action(window, "View", "Text size", "Huge (200%)").trigger()
        _settle()  # (laid out as it is seen)
        seen["huge"] = _rows(window)
        menu_action(window, "View", "Text size", "Normal (100%)").trigger()
        _settle()
        seen["back"] = (_rows(window), _scrolls(window), _undo_in_view(tab))
    finally:  # (the application's font outlives the test)
        menu_action(window, "View", "Text size", "Normal (100%)").trigger()
    assert window.width() == width  # as wide all along (no resize to re-arrange it)
    assert seen["first"] == (1, False, True)
    assert seen["huge"] == 2  # the patient line above the controls at 200%
    assert seen["back"] == (1, False, True)


def _settle() -> None:
    """Run the event loop until the layouts are done (a layout request posted while
    the posted events run waits for the next round)."""
    for _ in range(4):
        QApplication.processEvents()


def _scrolls(window) -> bool:
    return window.page_scroll.verticalScrollBar().maximum() > 0


def _undo_in_view(tab) -> bool:
    """Undo shown whole: not scrolled (or cut) out of view."""
    undo = tab.undo_button
    return undo.isVisible() and undo.visibleRegion().boundingRect() == undo.rect()
