"""Helpers for tests that drive the window the way a person does.

- ``menu_action(window, "File", "Back up now…")``: the QAction a person picks in the menu
  bar (mnemonic ampersands ignored), to ``trigger()`` it exactly as a click or its
  shortcut does.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu


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
