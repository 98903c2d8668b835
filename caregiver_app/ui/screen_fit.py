"""Windows that fit the screen they open on.

A small laptop (1366×768, less the taskbar) or a large text size must never leave a
window's bottom edge, its status bar or its buttons below the screen. ``fit_on_screen``
caps a window to the available area of its screen and moves it inside;
``screen_key`` names a screen so a window's last size is remembered per screen (the
laptop's own and the big monitor it is sometimes plugged into).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen ``widget`` is on (its parent's before it is shown).

    Found from where the window is, never with ``QWidget.screen()``: PySide 6.11 makes
    the screen it returns a child of the widget's Python wrapper, and a screen whose
    wrapper is later handed back to Python is deleted by the garbage collector (the
    app's only screen, at 200 %: the next window then crashes). Every window and
    dialog asks here."""
    parent = widget.parentWidget()
    shown = widget if widget.isVisible() or parent is None else parent.window()
    screen = QGuiApplication.screenAt(shown.frameGeometry().center()) if \
        shown.isVisible() else None
    return screen or QGuiApplication.primaryScreen()


def available_area(widget: QWidget) -> QRect:
    """Where windows may go on ``widget``'s screen (without taskbars and docks)."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def resize_within_screen(window: QWidget, width: int, height: int, *,
                         share: tuple[float, float] = (0.94, 0.88)) -> QSize:
    """Resize ``window`` to ``width`` × ``height``, or to the ``share`` (of the width, of
    the height) of its screen's available area where that is smaller; the size given."""
    screen = screen_of(window)
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * share[0]))
        height = min(height, int(available.height() * share[1]))
    window.resize(width, height)
    return QSize(width, height)


def screen_key(widget: QWidget) -> str:
    """A name for the screen ``widget`` is on, for settings: its name and size."""
    screen = screen_of(widget)
    if screen is None:
        return "screen"
    size = screen.geometry().size()
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", screen.name() or "screen").strip("-") or "screen"
    return f"{name}-{size.width()}x{size.height()}"


def fit_on_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Give ``window`` its ``preferred`` size (default: its current size) or as much of
    it as the screen has room for, and move it wholly onto the screen."""
    area = available_area(window)
    frame = window.frameGeometry()
    inner = window.geometry()
    extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    room = QSize(area.width() - extra.width(), area.height() - extra.height())
    size = (preferred or window.size()).boundedTo(room)
    size = size.expandedTo(window.minimumSize())
    if size != window.size():
        window.resize(size)
    frame = window.frameGeometry()
    left = min(max(frame.left(), area.left()), max(area.right() - frame.width() + 1,
                                                    area.left()))
    top = min(max(frame.top(), area.top()), max(area.bottom() - frame.height() + 1,
                                                area.top()))
    if (left, top) != (frame.left(), frame.top()):
        window.move(left, top)
    if window.isVisible() and window.isWindow() and \
            window.frameGeometry() == window.geometry():  # no frame drawn yet
        _FitWhenFramed.watch(window, preferred)


class _FitWhenFramed(QObject):
    """Fits a window again once the desktop has drawn its title bar and borders. A
    window shown for the first time has none yet (Qt learns of them as the window
    manager moves it into its frame), so it was fitted without them: on a 1366×768
    laptop at 200% text the Share dialog's buttons were below the screen by the title
    bar's height."""

    def __init__(self, window: QWidget, preferred: QSize | None):
        super().__init__(window)
        self._preferred = preferred
        window.installEventFilter(self)

    @classmethod
    def watch(cls, window: QWidget, preferred: QSize | None) -> None:
        if not any(isinstance(child, cls) for child in window.children()):
            cls(window, preferred)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Move and isinstance(watched, QWidget) and \
                watched.frameGeometry() != watched.geometry():
            watched.removeEventFilter(self)
            self.setParent(None)
            self.deleteLater()
            fit_on_screen(watched, self._preferred)
        return False


def centre_on_screen(window: QWidget) -> None:
    """Put ``window`` in the middle of its screen's available area."""
    area = available_area(window)
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())
