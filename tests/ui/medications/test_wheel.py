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


def test_the_duty_fields_ignore_the_wheel_without_the_application_filter(main_window, ctx,
                                                                        qtbot):
    """The window installs the application-wide guard only once it is idle (it is costly
    at start): its own fields shown at start are guarded one by one until then."""
    from caregiver_app.domain.patient import Caregiver
    from caregiver_app.ui import wheel as guard

    ctx.session.save_caregivers([Caregiver("Tom", "T"), Caregiver("Ana", "A")])
    app = QApplication.instance()
    installed = guard.install()
    app.removeEventFilter(installed)
    guard._installed = None  # as at start, before the event loop's second pass
    try:
        header = main_window.duty_combo
        bar = ctx.window.today_tab.duty_bar
        bar.run(lambda: None)  # "Who is on duty?": its list of caregivers shows
        for combo in (header, bar.duty_combo):
            assert combo.isVisible() and combo.count() >= 2
            before = combo.currentIndex()
            wheel(combo, -1)
            assert combo.currentIndex() == before
        assert ctx.session.on_duty is None
    finally:
        guard.install()


def test_the_application_filter_comes_once_the_window_is_idle(app_names, qtbot, tmp_path,
                                                              fake_clock):
    """Not while the window is built (every event of building it would pass through it),
    but before any other tab, dialog or form can be used."""
    from caregiver_app.app import build_context
    from caregiver_app.ui import wheel as guard

    QApplication.instance().removeEventFilter(guard.install())
    guard._installed = None
    context = build_context(tmp_path / "data", clock=fake_clock)
    try:
        assert guard._installed is None
        context.window.show()
        qtbot.waitUntil(lambda: guard._installed is not None)
    finally:
        guard.install()
        context.close()
