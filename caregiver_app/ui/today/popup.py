"""The reminder as its own small window, always on top, on the desktop in use.

A window manager only flags a window on another virtual desktop (or covered by others)
as "demanding attention": the caregiver may see nothing for the next ten minutes. When a
dose is due and the main window is not in use, ``ReminderPopup`` shows the same banner
(``ReminderBanner``: Given, Snooze, What happened?…, Show in Today, Hide) in a small
window of its own, in the top right corner of the screen under the mouse. It is shown
anew for each reminder, so it appears on whichever desktop is in use then; it never
takes the keyboard from another program by itself, and it has no parent window (a
window tied to the main one would stay on the main one's desktop).

It is a ``Notifier`` for ``ReminderCenter``, which decides when to use it and connects
its banner's buttons like the main banner's. It goes away when its doses are recorded
or snoozed (``withdraw``), when Hide is pressed, and when the main window is used again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

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
        """Top right of the screen under the mouse (the one in use), inside its
        available area, never wider than half of it."""
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        width = min(max(self.sizeHint().width(), room.width() // 3), room.width() // 2)
        height = min(self.heightForWidth(width) if self.hasHeightForWidth()
                     else self.sizeHint().height(), room.height() - 2 * MARGIN)
        self.resize(width, max(height, self.minimumSizeHint().height()))
        self.move(room.right() - self.width() - MARGIN, room.top() + MARGIN)


__all__ = ["ReminderPopup"]
