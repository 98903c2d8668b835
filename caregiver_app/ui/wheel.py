"""The mouse wheel scrolls the form; it changes a value only in a field the person clicked.

A long form scrolled with the wheel used to change whatever combo box, number or date
passed under the pointer, or the one that had the focus: "How often" went from "Every
day" to "In cycles". One event filter on the application (``install``, idempotent) holds
every combo box, spin box and date/time field to this rule: the wheel changes it only
after a click into it (until the focus leaves it); otherwise the wheel event goes to the
scroll area around it, so the form scrolls, or to nothing when there is none.

A filter on the application sees every event of every object, and the first object of a
class PySide does not know (one of Qt's private helpers) makes PySide look through every
class it has, creating all their enums (~30 ms CPU, once). So the window does not install
it while it is built: its few fields shown at start (who is on duty) are guarded one by
one (``guard``), and the application's filter comes with the first dialog, with each tab
built after the first, and once the window is idle (``app.build_main_window``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_GUARDED = (QAbstractSpinBox, QComboBox)
_CLICKED = "_wheel_clicked_into"


def _guarded(widget: QObject | None) -> QWidget | None:
    """The combo box or spin box ``widget`` is, or is part of (its text box)."""
    for _ in range(3):
        if widget is None or not isinstance(widget, QWidget):
            return None
        if isinstance(widget, _GUARDED):
            return widget
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            field = _guarded(watched)
            if field is not None:
                field.setProperty(_CLICKED, True)
        elif kind == QEvent.Type.FocusOut:
            if isinstance(watched, _GUARDED) and event.reason() != Qt.FocusReason.PopupFocusReason:
                watched.setProperty(_CLICKED, False)
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            field = _guarded(watched)
            if field is not None and not (field.property(_CLICKED) and field.hasFocus()):
                _scroll_instead(field, event)
                event.accept()  # handled: it goes no further up
                return True
        return False


def _scroll_instead(field: QWidget, event: QWheelEvent) -> None:
    """Hand the wheel to the nearest scroll area around ``field``."""
    parent = field.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget() if not parent.isWindow() else None
    if parent is None:
        return
    viewport = parent.viewport()
    position = viewport.mapFromGlobal(event.globalPosition())
    again = QWheelEvent(position, event.globalPosition(), event.pixelDelta(),
                        event.angleDelta(), event.buttons(), event.modifiers(), event.phase(),
                        event.inverted(), event.source(), event.pointingDevice())
    QApplication.sendEvent(viewport, again)


_guard: WheelGuard | None = None
_installed: WheelGuard | None = None  # the guard the application's filter is


def _the_guard(app: QApplication) -> WheelGuard:
    global _guard
    if _guard is None or _guard.parent() is not app:
        _guard = WheelGuard(app)
    return _guard


def install(app: QApplication | None = None) -> WheelGuard:
    """Install the guard on the application (once; later calls return the same one)."""
    global _installed
    app = app or QApplication.instance()
    guard = _the_guard(app)
    if _installed is not guard:
        app.installEventFilter(guard)
        _installed = guard
    return guard


def guard(field: QComboBox | QAbstractSpinBox) -> None:
    """Hold one combo box or spin box to the rule before the application's filter is
    installed (``install``): a field of the window shown at start. Not an editable one:
    its text box gets the clicks (the application's filter sees those)."""
    field.installEventFilter(_the_guard(QApplication.instance()))
