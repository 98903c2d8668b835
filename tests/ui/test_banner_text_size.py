"""The reminder banner's title (and a single dose's line), set in a larger font of their
own, follow View ▸ Text size: at Huge the title stayed at the old size, half that of the
dose lines under it, until the next reminder refilled the banner (or never, with repeats
off)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from gui_paths import OFFSCREEN_LIMITS, activate, fill_example_household, menu_action
from PySide6.QtWidgets import QApplication, QLabel

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def _size(label: QLabel) -> float:
    return label.fontInfo().pointSizeF()


def _line(banner, text: str) -> QLabel:
    found = [w for w in banner.findChildren(QLabel) if w.text() == text and w.isVisible()]
    assert len(found) == 1, text
    return found[0]


@pytest.fixture
def reminded(ctx, qtbot, fake_clock):
    """The example household at 20:40, its two 20:00 doses overdue and in the banner."""
    fake_clock.set(datetime(2026, 11, 25, 20, 40, tzinfo=ZoneInfo(ctx.patient_time_zone())))
    fill_example_household(ctx)
    activate(qtbot, ctx.window)
    ctx.reminders.start()
    _settle()
    assert ctx.alerts.banner.isVisible()
    yield ctx
    ctx.reminders.stop()
    menu_action(ctx.window, "View", "Text size", "Normal (100%)").trigger()
    _settle()  # (what the font change posted runs while the window is still there)


def test_the_banner_title_grows_with_huge_text(reminded):
    banner = reminded.alerts.banner
    items = banner.items()
    assert len(items) == 2
    title = banner.title_label
    before = _size(title)
    assert before > _size(_line(banner, items[0].line))
    menu_action(reminded.window, "View", "Text size", "Huge (200%)").trigger()
    _settle()
    assert _size(title) > _size(_line(banner, items[0].line))  # a heading again
    assert _size(title) > before * 1.5


def test_a_single_doses_line_grows_with_the_title(reminded):
    """With one dose left, its line is set like the title."""
    banner = reminded.alerts.banner
    first, second = banner.items()
    banner.remove(second.medicine_id, second.key)
    _settle()
    line = _line(banner, first.line)
    before = _size(line)
    menu_action(reminded.window, "View", "Text size", "Huge (200%)").trigger()
    _settle()
    assert _size(line) > before * 1.5
    assert _size(line) == _size(banner.title_label)
