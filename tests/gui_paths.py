"""Helpers for tests that drive the window the way a person does.

- ``menu_action(window, "File", "Back up now…")``: the QAction a person picks in the menu
  bar (mnemonic ampersands ignored), to ``trigger()`` it exactly as a click or its
  shortcut does.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

#: What the offscreen platform cannot do for pop-ups (``qt_log_ignore`` these in tests
#: that open completion lists, menus or calendars).
OFFSCREEN_LIMITS = ("This plugin does not support raise", "This plugin does not support grab")


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def menu_action(window: QMainWindow, *path: str) -> QAction:
    """The action at ``path`` ("File", "Print", "Today's checklist…") in the menu bar."""
    actions = window.menuBar().actions()
    for depth, name in enumerate(path):
        found = next((a for a in actions if plain(a.text()) == name), None)
        if found is None:
            names = [plain(a.text()) for a in actions if a.text()]
            raise AssertionError(f"no {name!r} in {path[:depth]}: {names}")
        if depth == len(path) - 1:
            return found
        menu: QMenu | None = found.menu()
        assert menu is not None, f"{name!r} is not a menu"
        actions = menu.actions()
    raise AssertionError("empty path")


class Keyboard:
    """Keys as a person presses them: each goes where a real keyboard's would (the open
    pop-up if there is one, else the widget with focus), shortcuts and mnemonics included
    (QTest sends a shortcut-override first, as the window system does), and the event loop
    runs between keys, as it does while a person moves to the next key. Counts every key
    press (a chord such as Alt+T is one) and every click, for the figures in the notes."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.keys = 0
        self.clicks = 0

    @staticmethod
    def receiver():
        from PySide6.QtWidgets import QApplication

        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup.focusWidget() or popup
        widget = QApplication.focusWidget()
        if widget is None:
            widget = QApplication.activeModalWidget() or QApplication.activeWindow()
        assert widget is not None, "nothing would receive the keys"
        return widget

    def press(self, key, modifier=None) -> None:
        """One key or chord: ``press(Qt.Key.Key_Tab)``, ``press("t", Qt.Key...AltModifier)``,
        ``press("Alt+T")``, ``press("Enter")``."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence
        from PySide6.QtWidgets import QApplication

        if isinstance(key, str) and len(key) > 1 and modifier is None:
            combo = QKeySequence(key)[0]
            key, modifier = combo.key(), combo.keyboardModifiers()
        modifier = modifier or Qt.KeyboardModifier.NoModifier
        self.qtbot.keyClick(self.receiver(), key, modifier)
        self.keys += 1
        QApplication.processEvents()

    def type(self, text: str) -> None:
        """Type ``text`` key by key into whatever has the keyboard at each key."""
        from PySide6.QtCore import Qt

        for char in text:
            shift = (Qt.KeyboardModifier.ShiftModifier if char.isupper()
                     else Qt.KeyboardModifier.NoModifier)
            self.press(char, shift)

    def tab(self, times: int = 1) -> None:
        from PySide6.QtCore import Qt

        for _ in range(times):
            self.press(Qt.Key.Key_Tab)

    def click(self, widget, button=None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        self.qtbot.mouseClick(widget, button or Qt.MouseButton.LeftButton)
        self.clicks += 1
        QApplication.processEvents()


def activate(qtbot, window) -> None:
    """Show ``window`` and make it the active window, as opening it on a desktop does."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
