"""Helpers for tests that drive the window the way a person does.

- ``menu_action(window, "File", "Back up now…")``: the QAction a person picks in the menu
  bar (mnemonic ampersands ignored), to ``trigger()`` it exactly as a click or its
  shortcut does.
- ``wait_for(qtbot, operation)`` / ``wait_for_background(qtbot)``: wait until work the
  window started on a worker thread has ended and the window has said so.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

#: What the offscreen platform cannot do for pop-ups (``qt_log_ignore`` these in tests
#: that open completion lists, menus or calendars).
OFFSCREEN_LIMITS = ("This plugin does not support raise", "This plugin does not support grab")


def wait_for(qtbot, operation, timeout: int = 20_000):
    """The ``Outcome`` of ``operation`` (``ui.background.run_in_background``), once it has
    ended and what it ended with was said (status bar, message box)."""
    assert operation is not None, "nothing was started"
    qtbot.waitUntil(lambda: operation.outcome is not None, timeout=timeout)
    return operation.outcome


def wait_for_background(qtbot, timeout: int = 20_000) -> None:
    """Until every operation the window started on a worker thread has ended."""
    from caregiver_app.ui import background

    qtbot.waitUntil(lambda: not background.running(), timeout=timeout)


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

    def __init__(self, qtbot, *, pace_ms: int = 0):
        self.qtbot = qtbot
        self.keys = 0
        self.clicks = 0
        self.pace_ms = pace_ms  # time between keys, the event loop running meanwhile

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
        self._let_pressed_buttons_click()
        if self.pace_ms:
            self.qtbot.wait(self.pace_ms)

    def _let_pressed_buttons_click(self) -> None:
        """A button's Alt letter presses it and clicks it a moment later (Qt's
        animateClick): wait for that click, as a person waits for the window."""
        from PySide6.QtWidgets import QAbstractButton, QApplication
        from shiboken6 import isValid

        down = [b for b in QApplication.allWidgets()
                if isinstance(b, QAbstractButton) and b.isDown()]
        if down:
            self.qtbot.waitUntil(lambda: not any(isValid(b) and b.isDown() for b in down),
                                 timeout=3000)

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


class UnansweredDialog(AssertionError):
    """A dialog waited for a person and the test had no answer ready for it."""


def button(window, text: str):
    """The shown button labelled ``text`` (mnemonic ampersands ignored) in ``window``."""
    from PySide6.QtWidgets import QAbstractButton

    found = [b for b in window.findChildren(QAbstractButton)
             if plain(b.text()) == text and b.isVisibleTo(window)]
    assert found, f"no button {text!r} in {window.windowTitle()!r}: " + str(
        sorted(plain(b.text()) for b in window.findChildren(QAbstractButton) if b.text()))
    return found[0]


def press_ok(dialog) -> None:
    """Click ``dialog``'s accepting button (OK, Save, Add: its button box's AcceptRole
    one), as a person clicks OK."""
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    for ok in box.buttons():
        if box.buttonRole(ok) == QDialogButtonBox.ButtonRole.AcceptRole:
            ok.click()
            return
    raise AssertionError(f"no OK button in {dialog.windowTitle()!r}")


class Answers:
    """A person at the dialogs that wait (``exec()``), for tests that open them.

    Each dialog the app shows with ``exec()`` takes the next answer queued with
    ``then(answer)``: a button's text (clicked with the mouse) or a callable given the
    shown, active dialog (it types or clicks as a person would, and must close it). A
    dialog with no answer ready fails the test, as the conftest's guard does; only a test
    that asks for this fixture answers dialogs. ``seen`` lists the titles, in order."""

    def __init__(self, qtbot, monkeypatch, keyboard: Keyboard | None = None):
        from PySide6.QtWidgets import QDialog

        self.qtbot = qtbot
        self.keyboard = keyboard or Keyboard(qtbot)
        self.seen: list[str] = []
        self._queue: list = []
        self.fallback = None  # callable(dialog) for dialogs with no queued answer
        def exec_(dialog, *_args):  # a function, so ``dialog.exec()`` passes the dialog
            return self._exec(dialog)

        monkeypatch.setattr(QDialog, "exec", exec_)

    def then(self, *answers) -> Answers:
        self._queue.extend(answers)
        return self

    def pending(self) -> int:
        return len(self._queue)

    def _exec(self, dialog) -> int:
        title = dialog.windowTitle() or type(dialog).__name__
        self.seen.append(title)
        if self._queue:
            answer = self._queue.pop(0)
        elif self.fallback is not None:
            answer = self.fallback
        else:
            raise UnansweredDialog(f"{title!r} waits for an answer the test did not give")
        from PySide6.QtWidgets import QApplication

        before = QApplication.activeWindow()
        activate(self.qtbot, dialog)
        if isinstance(answer, str):
            self.keyboard.click(button(dialog, answer))
        else:
            answer(dialog)
        assert not dialog.isVisible(), f"{title!r} is still open after its answer"
        if before is not None and before.isVisible():
            activate(self.qtbot, before)  # as the desktop gives the window back its turn
        return dialog.result()


def fill_example_household(ctx) -> None:
    """The example household (``--demo``) in ``ctx``'s records, with its first caregiver
    on duty, as the app opens it."""
    from caregiver_app.services.demo import populate_example

    populate_example(ctx.db, today=ctx.local_today(), time_zone=ctx.patient_time_zone(),
                     now=ctx.clock.now())
    ctx.core.announce_all()
    ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)


def medicine_named(ctx, name: str):
    return next(m for m in ctx.medications.medicines() if m.generic_name.lower() == name)


def wheel(widget, notches: int = -1, at=None, timestamp: int = 0) -> None:
    """Turn the mouse wheel over the middle of ``widget`` (or over the point ``at`` in
    it; negative: towards the person, which scrolls down), at the window system's
    ``timestamp`` (ms). The widget under the pointer gets it first and, while it leaves
    it unaccepted, each parent in turn, as Qt does with the desktop's wheel events."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window = widget.window()
    centre = widget.rect().center() if at is None else at
    global_ = QPointF(widget.mapToGlobal(centre))
    target = window.childAt(widget.mapTo(window, centre)) or window
    while target is not None:
        event = QWheelEvent(QPointF(target.mapFromGlobal(global_)), global_, QPoint(0, 0),
                            QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        event.ignore()
        event.setTimestamp(timestamp)
        QApplication.sendEvent(target, event)
        if event.isAccepted() or target.isWindow():
            break
        target = target.parentWidget()
    QApplication.processEvents()
