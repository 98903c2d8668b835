"""The medicine dialog typed from the keyboard: every key lands in the field with focus."""

from __future__ import annotations

from datetime import time

import pytest
from gui_paths import OFFSCREEN_LIMITS, Keyboard, activate
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)


def test_a_shortcut_pressed_while_the_unit_list_is_open_loses_no_key(open_dialog, book,
                                                                     qtbot):
    dialog = open_dialog()
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    keys.press("Alt+N")
    keys.type("Baclofen")
    keys.press("Alt+A")
    keys.type("1")
    keys.press(Qt.Key.Key_Tab)
    keys.type("tab")
    assert QApplication.activePopupWidget() is dialog.dose_unit.completer().popup()
    keys.press("Alt+T")
    assert QApplication.activePopupWidget() is None
    assert QApplication.focusWidget() is dialog.regimen_editor.times_edit
    keys.type("20:00, 08:00")
    assert dialog.dose_unit.text() == "tab"
    assert dialog.regimen_editor.times_edit.text() == "20:00, 08:00"
    keys.press(Qt.Key.Key_Return)
    saved = book.medicines()[0]
    assert set(saved.versions[-1].regimen.times) == {time(8), time(20)}
    assert saved.versions[-1].dose.unit == "tab"


def test_tab_from_the_open_unit_list_moves_on_and_keeps_what_was_typed(open_dialog, qtbot):
    dialog = open_dialog()
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    dialog.dose_unit.setFocus()
    keys.type("caps")
    assert dialog.dose_unit.completer().popup().isVisible()
    keys.press(Qt.Key.Key_Tab)
    assert QApplication.activePopupWidget() is None
    assert QApplication.focusWidget() is dialog.regimen_editor.kind_combo
    assert dialog.dose_unit.text() == "caps"


def test_the_unit_list_closes_when_the_focus_moves_away(open_dialog, qtbot):
    dialog = open_dialog()
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    dialog.supply_unit.setFocus()
    keys.type("m")
    assert dialog.supply_unit.completer().popup().isVisible()
    dialog.name_edit.setFocus()  # moved by a reminder, a click, a dialog
    assert not dialog.supply_unit.completer().popup().isVisible()
    keys.type("Riluzole")
    assert (dialog.name_edit.text(), dialog.supply_unit.text()) == ("Riluzole", "m")
