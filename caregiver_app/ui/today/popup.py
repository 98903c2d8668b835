"""The reminder as its own small window, always on top, on the desktop in use.

A window manager only flags a window on another virtual desktop (or covered by others)
as "demanding attention": the caregiver may see nothing for the next ten minutes. When a
dose is due and the main window is not in use, ``ReminderPopup`` shows the same banner
(``ReminderBanner``: Given, Snooze, What happened?…, Show in Today, Hide) in a small
window of its own, in a corner of the screen under the mouse: the top right one, unless
the main window's own reminder banner is there (a window that fills the screen, as on a
1366×768 laptop), then the first corner clear of that banner (``keep_clear_of``), so its
buttons can always be clicked while the popup shows. It is shown anew for each reminder,
so it appears on whichever desktop is in use then; it never takes the keyboard from
another program by itself, and it has no parent window (a window tied to the main one
would stay on the main one's desktop).

It is a ``Notifier`` for ``ReminderCenter``, which decides when to use it and connects
its banner's buttons like the main banner's. It goes away when its doses are recorded
or snoozed (``withdraw``), when Hide is pressed, and when the main window is used again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QVBoxLayout, QWidget

from caregiver_app import APP_NAME
from caregiver_app.services.notifier import Notice
from caregiver_app.ui.today.banner import ReminderBanner

#: Space between the window and the screen's edges, in pixels.
MARGIN = 16


class ReminderPopup(QWidget):
    def __init__(self, *, title_prefix: str = ""):
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("ReminderPopup")
        self.setWindowTitle(f"{title_prefix}Medicine reminder — {APP_NAME}")
        self.setAccessibleName("Medicine reminder")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = ReminderBanner(self)
        self.banner.setAccessibleName("Reminder")
        layout.addWidget(self.banner)
        self.banner.installEventFilter(self)
        self._placing = False
        self._keep_clear: list[QWidget] = []

    # ---- Public API (Notifier)

    def notify(self, notice: Notice) -> None:
        """Show ``notice`` here, on the desktop in use now (shown anew each time)."""
        self.banner.notify(notice)
        if self.isVisible():
            self._placing = True
            self.hide()  # a window shown again appears on the current desktop
            self._placing = False
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()

    def clear(self) -> None:
        self.banner.clear()
        self.hide()

    def withdraw(self, medicine_id: int, key: str) -> None:
        self.banner.withdraw(medicine_id, key)
        if self.banner.isHidden():
            self.hide()

    # ---- Public API

    def keep_clear_of(self, widget: QWidget) -> None:
        """Never come over ``widget`` while it shows (the main window's reminder banner:
        its buttons answer the same reminder), least of all over its buttons."""
        self._keep_clear.append(widget)

    # ---- Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.banner and event.type() == QEvent.Type.Hide and \
                not self._placing and self.isVisible():
            self.hide()  # Hide pressed, or every dose answered
        return super().eventFilter(watched, event)

    def closeEvent(self, event) -> None:
        """Closing it from the title bar is Hide: the doses stay on the Today tab."""
        self.banner.clear()
        super().closeEvent(event)

    # ---- Private

    def _place(self) -> None:
        """A corner of the screen under the mouse (the one in use), inside its available
        area, never wider than half of it: the top right one, or the first of the others
        (bottom right, bottom left, top left) that covers none of what it keeps clear
        of; when none is wholly clear, the one that covers the fewest buttons there."""
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        width = min(max(self.sizeHint().width(), room.width() // 3), room.width() // 2)
        height = min(self.heightForWidth(width) if self.hasHeightForWidth()
                     else self.sizeHint().height(), room.height() - 2 * MARGIN)
        self.resize(width, max(height, self.minimumSizeHint().height()))
        # the title bar and borders, once the desktop has drawn them (none before)
        outer = self.size() + (self.frameGeometry().size() - self.geometry().size())
        left, right = room.left() + MARGIN, room.right() - MARGIN - outer.width() + 1
        top, bottom = room.top() + MARGIN, room.bottom() - MARGIN - outer.height() + 1
        corners = [QRect(QPoint(x, y), outer) for x, y in
                   ((right, top), (right, bottom), (left, bottom), (left, top))]
        buttons, areas = self._kept_clear()

        def covered(frame: QRect) -> tuple[int, int]:
            return (sum(_area(frame & r) for r in buttons), sum(_area(frame & r) for r in areas))

        best = min(corners, key=lambda frame: (covered(frame), corners.index(frame)))
        self.move(best.topLeft())  # (a top-level window's move places its frame)

    def _kept_clear(self) -> tuple[list[QRect], list[QRect]]:
        """Where the widgets to keep clear of are on the screen now: their buttons, and
        their whole area. Their layout is brought up to date first (a banner just shown
        is still laid out as it was hidden until the event loop runs)."""
        buttons: list[QRect] = []
        areas: list[QRect] = []
        for widget in self._keep_clear:
            top = widget.window()
            if not widget.isVisible() or top.isMinimized():
                continue
            _lay_out(widget)
            areas.append(_on_screen(widget))
            buttons += [_on_screen(b) for b in widget.findChildren(QAbstractButton)
                        if b.isVisible()]
        return buttons, areas


def _on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _area(rect: QRect) -> int:
    return rect.width() * rect.height() if rect.isValid() else 0


def _lay_out(widget: QWidget) -> None:
    """Apply the layouts from ``widget``'s window down to it, now."""
    chain: list[QWidget] = []
    current: QWidget | None = widget
    while current is not None:
        chain.append(current)
        current = current.parentWidget()
    for each in reversed(chain):
        layout = each.layout()
        if layout is not None:
            layout.activate()


__all__ = ["ReminderPopup"]
