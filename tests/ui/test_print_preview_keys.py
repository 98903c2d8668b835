"""The print preview from the keyboard alone: Ctrl+P then Enter prints, Ctrl+S saves a
PDF, and Tab reaches every button of its toolbar."""

from __future__ import annotations

import pytest
from gui_paths import (
    OFFSCREEN_LIMITS,
    Keyboard,
    activate,
    fill_example_household,
    wait_for_background,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton
from shiboken6 import isValid

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)


@pytest.fixture
def preview(ctx, main_window, qtbot):
    """Today's checklist's preview, opened with Ctrl+P in the window."""
    fill_example_household(ctx)
    activate(qtbot, main_window)
    keys = Keyboard(qtbot)
    keys.press("Ctrl+P")
    dialog = ctx.printing.last_preview
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    activate(qtbot, dialog)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QToolButton))
    yield dialog, keys
    if isValid(dialog) and dialog.isVisible():
        dialog.reject()


def test_ctrl_p_then_enter_prints_the_pages(preview, ctx, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrintDialog

    dialog, keys = preview
    assert QApplication.focusWidget().accessibleName() == "Print"
    out = tmp_path / "printed.pdf"
    asked = []

    def printer_chosen(print_dialog, *_):  # the person picks a printer (here: a file)
        asked.append(print_dialog.windowTitle())
        print_dialog.printer().setOutputFileName(str(out))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", printer_chosen)
    keys.press(Qt.Key.Key_Return)
    assert asked == ["Print"]
    wait_for_background(keys.qtbot)  # (painted on a worker thread)
    assert out.stat().st_size > 1000
    assert not isValid(dialog) or not dialog.isVisible()  # printed: the preview closes
    assert keys.keys == 2 and keys.clicks == 0
    said = ctx.window.statusBar().currentMessage()
    assert said.startswith("Sent ") and said.endswith("to the print queue")


def test_ctrl_s_in_the_preview_saves_a_pdf(preview, ctx, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    _dialog, keys = preview
    target = tmp_path / "checklist"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    keys.press("Ctrl+S")
    wait_for_background(keys.qtbot)  # (written on a worker thread)
    saved = tmp_path / "checklist.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert ctx.window.statusBar().currentMessage().endswith(f"to {saved}")


def test_tab_reaches_every_button_of_the_toolbar(preview):
    dialog, keys = preview
    toolbar = dialog.findChild(QToolBar)
    buttons = {toolbar.widgetForAction(a) for a in toolbar.actions()  # (enabled: not
               if not a.isSeparator() and a.isEnabled()  # "First page" on page 1)
               and isinstance(toolbar.widgetForAction(a), QToolButton)}
    assert len(buttons) >= 13  # Qt's zoom, page and layout buttons, Print, Save as PDF…
    reached = set()
    for _ in range(60):
        keys.tab()
        reached.add(QApplication.focusWidget())
    assert buttons <= reached, sorted(b.accessibleName() for b in buttons - reached)


def test_print_and_save_as_pdf_show_at_huge_text(ctx, main_window, qtbot):
    """At 200% text the preview's toolbar no longer fits its window: Qt folds the last
    buttons into a "»" menu, and those were Print and Save as PDF…, added at its end.
    They come first now, so they show at any text size."""
    from gui_paths import menu_action

    fill_example_household(ctx)
    menu_action(main_window, "View", "Text size", "Huge (200%)").trigger()
    try:
        activate(qtbot, main_window)
        Keyboard(qtbot).press("Ctrl+P")
        dialog = ctx.printing.last_preview
        qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
        toolbar = dialog.findChild(QToolBar)
        shown = [a.text() for a in toolbar.actions() if not a.isSeparator()
                 and toolbar.widgetForAction(a) is not None
                 and toolbar.widgetForAction(a).isVisible()]
        hidden = [a.text() for a in toolbar.actions() if not a.isSeparator()
                  and a.text() not in shown]
        assert hidden  # (the toolbar does overflow at this size)
        assert {"Print", "Save as PDF…"} <= set(shown), hidden
        dialog.reject()
    finally:
        menu_action(main_window, "View", "Text size", "Normal (100%)").trigger()
