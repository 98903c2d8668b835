"""A completion list that never takes a keystroke meant for somewhere else.

Qt's completion pop-up holds the keyboard while it is open. A shortcut pressed then
(Alt+T for "Times of day") either vanished or moved the focus while the pop-up stayed
open, so the next digit still went into the unit ("capsule2") and the rest into the
times: "20:00, 08:00" was saved as 00:00 and 08:00. ``Completer`` closes its list and
hands such a key on (so the shortcut works as if the list had never been open), and
closes the list whenever the focus leaves its field, so every key lands in the field that
shows the focus.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCompleter, QWidget

_SHORTCUT_MODIFIERS = (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.MetaModifier)


class Completer(QCompleter):
    def __init__(self, choices: Sequence[str] | QAbstractItemModel, parent: QWidget):
        if isinstance(choices, QAbstractItemModel):
            super().__init__(choices, parent)
        else:
            super().__init__(list(choices), parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        popup = self.popup()
        if (watched is popup and event.type() == QEvent.Type.KeyPress
                and popup.isVisible() and isinstance(event, QKeyEvent)
                and self._leaves_the_list(event)):
            popup.hide()
            target = self.widget()
            if target is not None:
                # Not spontaneous: QApplication tries shortcuts first, then the field.
                again = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                                  event.isAutoRepeat(), event.count())
                QApplication.sendEvent(target, again)
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _leaves_the_list(event: QKeyEvent) -> bool:
        """A shortcut or mnemonic. (Tab is Qt's own: it takes the highlighted choice and
        moves on; a test holds it to that.)"""
        return bool(event.modifiers() & _SHORTCUT_MODIFIERS)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        popup = self.popup()
        if popup.isVisible() and new is not None and new is not self.widget() \
                and new is not popup and not popup.isAncestorOf(new):
            popup.hide()
