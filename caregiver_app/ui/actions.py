"""Menu, toolbar and context-menu actions: every one is connected through here.

``QAction.triggered`` carries the action's ``checked`` flag, and PySide passes it to any
slot that can take an argument. A slot with an optional first parameter then receives
``False`` in place of its real value: File ▸ Back up now… once got ``False`` as the folder
to save in and crashed. ``on_triggered`` calls the slot with no arguments at all, so a
method may keep optional parameters for tests and scripts. A test
(``tests/test_architecture.py``) checks that no other code connects ``triggered``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget


def on_triggered(action: QAction, slot: Callable[[], object]) -> QAction:
    """Run ``slot()`` whenever ``action`` is triggered (menu, shortcut, toolbar button)."""
    action.triggered.connect(lambda _checked=False: slot())
    return action


def add_action(menu: QMenu | QWidget, text: str, slot: Callable[[], object], *,
               shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
               tip: str = "") -> QAction:
    """A new action in ``menu`` (or on a widget's context menu / toolbar) that runs
    ``slot()``."""
    action = QAction(text, menu)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    menu.addAction(action)
    return on_triggered(action, slot)
