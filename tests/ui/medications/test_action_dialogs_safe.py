"""Pause, Stop, Refill, Extra dose and Delay the cycle, opened from the Medications tab:
the focus starts in the first field and Enter alone never confirms."""

from __future__ import annotations

import pytest
from gui_paths import (
    OFFSCREEN_LIMITS,
    Answers,
    Keyboard,
    button,
    fill_example_household,
    medicine_named,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)

# (medicine, how it is opened: a button or (button, menu item), first field's name)
ACTIONS = {
    "pause": ("riluzole", "Pause…", "From"),
    "stop": ("riluzole", "Stop…", "From"),
    "refill": ("riluzole", ("Stock", "Refill arrived…"), "Quantity that arrived"),
    "extra dose": ("baclofen", "Extra dose…", "Given at"),
    "delay the cycle": ("edaravone", ("Cycle", "Delay the cycle doses…"),
                        "From the first cycle dose on or after"),
}


def _records(ctx, medicine_id: int) -> tuple:
    medicine = ctx.medications.medicine(medicine_id)
    return (medicine, len(ctx.medications.history(medicine_id)))


@pytest.mark.parametrize("action", ACTIONS)
def test_enter_in_the_first_field_does_not_confirm(main_window, ctx, qtbot, monkeypatch,
                                                   action):
    fill_example_household(ctx)
    name, opener, first = ACTIONS[action]
    medicine = medicine_named(ctx, name)
    tab = main_window.show_tab("medications")
    QApplication.processEvents()
    tab.select_medicine(medicine.id)
    before = _records(ctx, medicine.id)
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    focus = []

    def press_enter(dialog):
        focus.append(QApplication.focusWidget().accessibleName())
        assert dialog.ok_button.isDefault() is False
        keys.press(Qt.Key.Key_Return)

    answers.then(press_enter)
    if isinstance(opener, str):
        keys.click(button(main_window, opener))
    else:
        menu_button, item = opener
        action_item = next(a for a in button(main_window, menu_button).menu().actions()
                           if a.text() == item)
        action_item.trigger()
    assert focus == [first]
    assert len(answers.seen) == 1  # closed by Enter as Cancel: nothing asked, nothing saved
    assert _records(ctx, medicine.id) == before


def test_a_refused_value_is_said_by_its_field_kept_and_escape_asks_first(
        main_window, ctx, qtbot, monkeypatch):
    """Pause with a day that does not exist: the message is next to "From", what was typed
    stays; Escape then asks before throwing it away, and nothing is saved."""
    fill_example_household(ctx)
    medicine = medicine_named(ctx, "riluzole")
    tab = main_window.show_tab("medications")
    QApplication.processEvents()
    tab.select_medicine(medicine.id)
    before = _records(ctx, medicine.id)
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def refused_then_escape(dialog):
        keys.press("Ctrl+A")
        keys.type("31 Feb 9:00")  # into "From", where the focus starts
        keys.press("Tab")
        keys.type("Hospital")
        keys.click(dialog.ok_button)  # Pause
        assert dialog.isVisible()
        seen["message"] = dialog.errors.message("at")
        seen["typed"] = (dialog.at_edit.text(), dialog.reason_edit.text())
        keys.press(Qt.Key.Key_Escape)  # -> "Discard your changes?": Keep editing
        assert dialog.isVisible()
        keys.press(Qt.Key.Key_Escape)  # -> asked again: Discard changes

    answers.then(refused_then_escape, "Keep editing", "Discard changes")
    keys.click(button(main_window, "Pause…"))
    assert answers.seen == [f"Pause {medicine.name}", "Discard your changes?",
                            "Discard your changes?"]
    assert seen["message"] and "31 Feb" in seen["typed"][0]
    assert seen["typed"][1] == "Hospital"
    assert _records(ctx, medicine.id) == before
