"""The mouse wheel scrolls forms; it changes a value only in a field clicked into."""

from __future__ import annotations

import pytest
from gui_paths import OFFSCREEN_LIMITS, Keyboard, activate, wheel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caregiver_app.domain.regimens import RegimenKind

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)


def _small(dialog, qtbot):
    dialog.resize(700, 420)  # a laptop's worth of form: it has to scroll
    activate(qtbot, dialog)


def test_the_wheel_over_how_often_scrolls_the_form_instead(open_dialog, qtbot):
    dialog = open_dialog()
    _small(dialog, qtbot)
    keys = Keyboard(qtbot)
    keys.press("Alt+H")  # How often: the focus is on it, from the keyboard
    combo = dialog.regimen_editor.kind_combo
    assert QApplication.focusWidget() is combo
    bar = dialog.scroll.verticalScrollBar()
    dialog.scroll.ensureWidgetVisible(combo)
    start = bar.value()
    wheel(combo, -1)
    wheel(combo, -1)
    assert dialog.regimen_editor.kind() is RegimenKind.DAILY
    assert bar.value() > start  # the form scrolled


def test_every_number_and_choice_in_the_form_ignores_the_wheel(open_dialog, qtbot):
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    dialog = open_dialog()
    dialog.regimen_editor.set_kind(RegimenKind.CYCLE)
    _small(dialog, qtbot)
    fields = [w for w in dialog.findChildren(QAbstractSpinBox) + dialog.findChildren(QComboBox)
              if w.isVisibleTo(dialog) and w.isEnabled()]
    assert len(fields) >= 10
    for field in fields:
        dialog.scroll.ensureWidgetVisible(field)
        before = field.text() if isinstance(field, QAbstractSpinBox) else field.currentIndex()
        wheel(field, -1)
        wheel(field, 1)
        wheel(field, 1)
        after = field.text() if isinstance(field, QAbstractSpinBox) else field.currentIndex()
        assert after == before, field.accessibleName()


def test_a_number_clicked_into_follows_the_wheel_until_the_focus_leaves(open_dialog, qtbot):
    dialog = open_dialog()
    dialog.regimen_editor.set_kind(RegimenKind.CYCLE)
    _small(dialog, qtbot)
    keys = Keyboard(qtbot)
    spin = dialog.regimen_editor.cycles_spin
    dialog.scroll.ensureWidgetVisible(spin)
    keys.click(spin.lineEdit())
    wheel(spin, 1)
    assert spin.value() == 1
    keys.press(Qt.Key.Key_Tab)  # leaves it
    dialog.scroll.ensureWidgetVisible(spin)
    wheel(spin, 1)
    assert spin.value() == 1


def test_the_caregiver_on_duty_is_not_changed_by_the_wheel(main_window, ctx, qtbot):
    from caregiver_app.domain.patient import Caregiver

    ctx.session.save_caregivers([Caregiver("Tom", "T"), Caregiver("Ana", "A")])
    combo = main_window.duty_combo
    before = combo.currentIndex()
    wheel(combo, -1)
    assert combo.currentIndex() == before
    assert ctx.session.on_duty is None
