"""What a keyboard, switch or eye-gaze user needs from every control (``ui.palette``'s
style, ``ui.form_dialog``, ``ui.widgets.fit_placeholder``):

- the keyboard focus ring on tick boxes, tabs and push buttons (a dialog's OK and
  Cancel, Today's Reminders…, the reminder banner's Given) stands 3:1 off what is
  around it (Fusion's own is a pale tint, ~1.8:1, or for a push button its 1-pixel
  outline's, 2.8:1),
- a dialog opens with its focus shown, not only after the first Tab,
- at Huge text (200%) the tick boxes, round option buttons, scroll bars and spin-box
  arrows are twice their usual size, and
- no grey hint in a field is cut off at 200%.

Each is reached as a person reaches it: the View menu's text sizes, the Today tab's
Reminders… button, the Medications tab's "Add a new medicine…", and the Tab key.
"""

from __future__ import annotations

import pytest
from gui_paths import OFFSCREEN_LIMITS, Answers, Keyboard, activate, button, menu_action
from households import jane_with_tom_on_duty
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QStyleOptionSpinBox,
    QTabBar,
    QWidget,
)

from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.ui.medications import medicine_form as form
from caregiver_app.ui.palette import contrast_ratio
from caregiver_app.ui.widgets import DateEdit

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)

#: WCAG 2.x non-text contrast (1.4.11), asked of a focus indicator.
RING_CONTRAST = 3.0


def _ring(focused: QImage, unfocused: QImage) -> list[tuple[int, int]]:
    """The pixels where ``focused`` stands 3:1 or more off ``unfocused``: the focus
    ring, drawn where the control looked otherwise the same."""
    assert focused.size() == unfocused.size()
    return [(x, y) for y in range(focused.height()) for x in range(focused.width())
            if contrast_ratio(focused.pixelColor(x, y), unfocused.pixelColor(x, y))
            >= RING_CONTRAST]


def _assert_a_whole_ring(strong: list[tuple[int, int]], what: str) -> None:
    """``strong`` pixels go round a rectangle, 2 pixels wide on each side."""
    assert len(strong) > 20, f"{what}: no focus ring of {RING_CONTRAST}:1 ({len(strong)})"
    xs, ys = [x for x, _ in strong], [y for _, y in strong]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    middle_x, middle_y = (left + right) // 2, (top + bottom) // 2
    points = set(strong)
    for x, y in ((left, middle_y), (left + 1, middle_y), (right, middle_y),
                 (right - 1, middle_y), (middle_x, top), (middle_x, top + 1),
                 (middle_x, bottom), (middle_x, bottom - 1)):
        assert (x, y) in points, (what, x, y, (left, top, right, bottom))


def _grab_with_and_without_focus_shown(widget: QWidget) -> tuple[QImage, QImage]:
    """``widget`` as it shows now (its focus shown), and as it shows once the window no
    longer marks the focus as moved by keyboard (what a mouse user sees)."""
    focused = widget.grab().toImage()
    window = widget.window()
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)
    widget.update()
    unfocused = widget.grab().toImage()
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
    return focused, unfocused


def _tab_to(keys: Keyboard, widget: QWidget, presses: int = 40) -> None:
    for _ in range(presses):
        if widget.hasFocus():
            return
        keys.press(Qt.Key.Key_Tab)
    assert widget.hasFocus(), QApplication.focusWidget()


def _open_reminders(main_window, keys: Keyboard) -> None:
    keys.click(main_window.today_tab.reminders_button)


def test_reminders_open_with_the_first_field_focused_and_its_focus_shown(
        main_window, qtbot, monkeypatch):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = []

    def look(dialog):
        # the style draws the ring only once the focus moved by keyboard in the window
        qtbot.waitUntil(lambda: dialog.testAttribute(
            Qt.WidgetAttribute.WA_KeyboardFocusChange), timeout=2000)
        focus = QApplication.focusWidget()
        assert focus is dialog.lead_combo  # "Before:", the first field
        focused, unfocused = _grab_with_and_without_focus_shown(focus)
        _assert_a_whole_ring(_ring(focused, unfocused), "Before:")
        seen.append(focus.accessibleName())
        keys.press(Qt.Key.Key_Escape)

    answers.then(look)
    _open_reminders(main_window, keys)
    assert answers.seen == ["Reminders"]
    assert seen


def test_a_tick_box_tabbed_to_shows_a_ring_3_to_1(main_window, qtbot, monkeypatch):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    checked = []

    def look(dialog):
        box = dialog.sound_check  # "Play a sound with each reminder"
        _tab_to(keys, box)
        focused, unfocused = _grab_with_and_without_focus_shown(box)
        option = QStyleOptionButton()
        box.initStyleOption(option)
        label = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxFocusRect, option,
                                           box).adjusted(-2, -2, 2, 2)
        # (the box itself takes the selection's tint too: the ring is round its words)
        strong = [(x, y) for x, y in _ring(focused, unfocused) if label.contains(x, y)]
        _assert_a_whole_ring(strong, box.text())
        # and against the dialog's background itself, where the ring is drawn
        window = dialog.palette().window().color()
        assert min(contrast_ratio(focused.pixelColor(x, y), window)
                   for x, y in strong) >= RING_CONTRAST
        checked.append(box.text())
        keys.press(Qt.Key.Key_Escape)

    answers.then(look)
    _open_reminders(main_window, keys)
    assert checked


def test_the_window_tabs_tabbed_to_show_a_ring_3_to_1(main_window, qtbot):
    keys = Keyboard(qtbot)
    bar = main_window.tabs.findChild(QTabBar)
    assert bar is not None and bar.focusPolicy() != Qt.FocusPolicy.NoFocus
    bar.setFocus(Qt.FocusReason.OtherFocusReason)
    keys.press(Qt.Key.Key_Backtab)  # to what comes before the tabs, then Tab to them
    assert not bar.hasFocus()
    keys.press(Qt.Key.Key_Tab)
    assert bar.hasFocus()
    current = bar.tabRect(bar.currentIndex())
    focused, unfocused = _grab_with_and_without_focus_shown(bar)
    strong = [(x, y) for x, y in _ring(focused, unfocused) if current.contains(x, y)]
    _assert_a_whole_ring(strong, bar.tabText(bar.currentIndex()))


# ---- Push buttons: Fusion shows their focus by a 1-pixel outline's tint (2.8:1)


def _tab_back_to(keys: Keyboard, widget: QWidget) -> None:
    """Focus ``widget`` by the keyboard: from it to what comes before it, and Tab back."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    keys.press(Qt.Key.Key_Backtab)
    assert not widget.hasFocus()
    keys.press(Qt.Key.Key_Tab)
    assert widget.hasFocus(), QApplication.focusWidget()


def _assert_a_button_ring(button: QPushButton) -> None:
    """``button``, focused by Tab, shows a whole 2-pixel ring, 3:1 off how it looks
    without the focus shown and off the window's background."""
    assert button.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    focused, unfocused = _grab_with_and_without_focus_shown(button)
    strong = _ring(focused, unfocused)
    _assert_a_whole_ring(strong, button.text())
    window = button.window().palette().window().color()
    assert min(contrast_ratio(focused.pixelColor(x, y), window)
               for x, y in strong) >= RING_CONTRAST, button.text()


def test_a_dialogs_ok_and_cancel_tabbed_to_show_a_ring_3_to_1(
        main_window, qtbot, monkeypatch):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    checked = []

    def look(dialog):
        box = dialog.findChild(QDialogButtonBox)
        for which in (QDialogButtonBox.StandardButton.Cancel,  # the plain one
                      QDialogButtonBox.StandardButton.Ok):  # the default one
            pushed = box.button(which)
            _tab_to(keys, pushed)
            _assert_a_button_ring(pushed)
            checked.append(pushed.text())
        keys.press(Qt.Key.Key_Escape)

    answers.then(look)
    _open_reminders(main_window, keys)
    assert answers.seen == ["Reminders"]
    assert len(checked) == 2, checked


def test_todays_reminders_button_tabbed_to_shows_a_ring_3_to_1(main_window, qtbot):
    keys = Keyboard(qtbot)
    main_window.show_tab("today")
    pushed = main_window.today_tab.reminders_button
    _tab_back_to(keys, pushed)
    _assert_a_button_ring(pushed)


def test_the_reminder_banners_given_tabbed_to_shows_a_ring_3_to_1(
        ctx, fake_clock, qtbot):
    """The banner has its own style sheet: its buttons are drawn through Qt's
    style-sheet style, which must still hand them to the application's."""
    jane_with_tom_on_duty(ctx, fake_clock)
    ctx.medications.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))
    window = ctx.window
    activate(qtbot, window)
    ctx.reminders.start()
    try:
        assert ctx.reminders.armed_for == at(D0, 8)
        fake_clock.set(at(D0, 8))
        ctx.reminders.timer.timeout.emit()  # the 08:00 dose is due: the banner shows
        banner = ctx.alerts.banner
        assert banner.isVisible() and banner.styleSheet()
        given = banner.given_button(0)
        assert given.isVisible() and given.window() is window
        _tab_back_to(Keyboard(qtbot), given)
        _assert_a_button_ring(given)
    finally:
        ctx.reminders.stop()


# ---- Huge text: bigger targets, whole hints


def _open_add_medicine(main_window, keys: Keyboard) -> None:
    main_window.show_tab("medications")
    QApplication.processEvents()  # (the tab builds itself when first shown)
    keys.click(button(main_window, "Add a new medicine…"))


def _sizes(dialog) -> dict[str, int]:
    """The tick box's and round button's marks, the spin box's arrow and the scroll
    bar's width in ``dialog``, as the style lays them out."""
    style = dialog.style()
    box = next(b for b in dialog.findChildren(QCheckBox) if b.isVisibleTo(dialog))
    radio = next(b for b in dialog.findChildren(QRadioButton) if b.isVisibleTo(dialog))
    spin = next(s for s in dialog.findChildren(QSpinBox) if s.isVisibleTo(dialog)
                and s.buttonSymbols() != QSpinBox.ButtonSymbols.NoButtons)
    listed = dialog.findChild(QAbstractItemView)  # (the medicine reference's list)
    sizes = {}
    for name, widget, element in (
            ("tick box", box, QStyle.SubElement.SE_CheckBoxIndicator),
            ("round button", radio, QStyle.SubElement.SE_RadioButtonIndicator)):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        sizes[name] = style.subElementRect(element, option, widget).width()
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    sizes["spin arrow"] = style.subControlRect(
        QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxUp,
        spin).width()
    sizes["scroll bar"] = listed.verticalScrollBar().sizeHint().width()
    # the spin box's number still shows whole beside its wider arrows
    field = style.subControlRect(QStyle.ComplexControl.CC_SpinBox, option,
                                 QStyle.SubControl.SC_SpinBoxEditField, spin)
    assert field.width() >= spin.fontMetrics().horizontalAdvance(spin.text()), spin.text()
    return sizes


def _placeholder_room(field: QLineEdit) -> int:
    """The width ``field`` paints its text in (as ``tests/layout_check.py`` measures)."""
    from layout_check import placeholder_room

    return placeholder_room(field)


def _at_each_size(main_window, qtbot, monkeypatch, look, sizes) -> None:
    """``look(dialog, scale)`` at Add a medicine, opened at each of the text ``sizes``
    chosen in View ▸ Text size."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)

    def answer(scale):
        def at(dialog):
            look(dialog, scale)
            keys.press(Qt.Key.Key_Escape)
        return at

    for label, scale in sizes:
        menu_action(main_window, "View", "Text size", label).trigger()
        QApplication.processEvents()
        answers.then(answer(scale))
        _open_add_medicine(main_window, keys)
    assert answers.seen == ["Add a medicine"] * len(sizes)
    main_window.set_text_scale(1.0)


def test_huge_text_doubles_the_small_targets(main_window, qtbot, monkeypatch):
    measured: dict[float, dict[str, int]] = {}
    _at_each_size(main_window, qtbot, monkeypatch,
                  lambda dialog, scale: measured.update({scale: _sizes(dialog)}),
                  (("Normal (100%)", 1.0), ("Huge (200%)", 2.0)))
    for name, normal in measured[1.0].items():
        assert measured[2.0][name] >= 2 * normal - 1, (name, normal, measured[2.0][name])


def test_no_hint_in_a_field_is_cut_at_huge_text(main_window, qtbot, monkeypatch):
    hints: dict[str, str] = {}
    descriptions: dict[str, str] = {}

    def look(dialog, _scale):
        for field in dialog.findChildren(QLineEdit):
            if not field.isVisibleTo(dialog) or field.text():
                continue
            descriptions[field.accessibleName()] = field.accessibleDescription()
            hint = field.placeholderText()
            if hint:
                width = field.fontMetrics().horizontalAdvance(hint)
                assert width <= _placeholder_room(field) + 1, (hint, width)
                hints[field.accessibleName()] = hint

    _at_each_size(main_window, qtbot, monkeypatch, look, (("Huge (200%)", 2.0),))
    assert len(hints) >= 5, hints  # (the fields with hints were looked at)
    # a hint too long for its field is a shorter one (or none), never a cut one; its
    # whole text is still the field's description
    assert hints.get("Amount given each time", "") in (*form.AMOUNT_HINTS, "")
    assert descriptions["Amount given each time"] == form.AMOUNT_HINTS[0]
    assert any(hint != descriptions[name] for name, hint in hints.items()), hints


def test_no_date_in_a_field_is_cut_at_huge_text(main_window, qtbot, monkeypatch):
    """At 200% the "Last day" and "Review" dates sat beside their tick boxes in too
    little room: "7 Dec 2026" showed as "Dec 2026", a date that reads as another. A
    date that does not fit beside its tick box goes under it, shown whole."""
    shown: dict[str, str] = {}

    def look(dialog, _scale):
        for field in dialog.findChildren(DateEdit):
            if not field.isVisibleTo(dialog):
                continue
            width = field.fontMetrics().horizontalAdvance(field.text())
            assert width <= _placeholder_room(field) + 1, (field.accessibleName(),
                                                             field.text(), width)
            box = getattr(field.parentWidget(), "check", None)  # ("Has a last day")
            for widget in (field, box or field):  # (neither squashed flat to make room)
                assert widget.height() >= widget.minimumSizeHint().height(), (
                    field.accessibleName(), widget.height())
            shown[field.accessibleName()] = field.text()

    _at_each_size(main_window, qtbot, monkeypatch, look,
                  (("Normal (100%)", 1.0), ("Huge (200%)", 2.0)))
    assert {"Start listing doses on", "Last day", "Review date"} <= set(shown), shown


def test_caregivers_opens_with_its_focused_row_shown(ctx, fake_clock, main_window, qtbot,
                                                    monkeypatch):
    """The Caregivers… list took the keyboard at a cell marked only by a pale tint
    (1.2:1): nothing selected, so nothing showed where the keys would go. It opens with
    the focused row selected, in the selection's colours."""
    jane_with_tom_on_duty(ctx, fake_clock)  # (Tom: a caregiver on the list)
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = []

    def look(dialog):
        table = dialog.table
        qtbot.waitUntil(table.hasFocus, timeout=2000)
        current = table.currentIndex()
        assert current.isValid()
        rows = [index.row() for index in table.selectionModel().selectedRows()]
        assert rows == [current.row()], rows
        seen.append(dialog.model.item(current.row(), 0).text())
        keys.press(Qt.Key.Key_Escape)

    answers.then(look)
    keys.click(main_window.header.caregivers_button)
    assert answers.seen == ["Caregivers"]
    assert seen == ["Tom Example"]
