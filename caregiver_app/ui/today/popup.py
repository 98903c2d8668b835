"""The reminder as its own small window, always on top, on the desktop in use.

A window manager only flags a window on another virtual desktop (or covered by others)
as "demanding attention": the caregiver may see nothing for the next ten minutes. When a
dose is due and the main window is not in use, ``ReminderPopup`` shows the same banner
(``ReminderBanner``: Given, Snooze, What happened?…, Show in Today, Hide) in a small
window of its own, on the screen under the mouse: its top right corner, unless the main
window is there with a button or its own reminder banner (a window that fills the
screen, as on a 1366×768 laptop), then the first corner, or else the first place along
the screen's top or bottom edge, clear of every button the main window shows and of
that banner (``keep_clear_of``): the banner's Given and Snooze, the dose's buttons in
Today's detail pane and Undo can be clicked while the popup shows. Where half the
screen's width finds no such place (200% text on a small screen), it is wider and so
less tall; where none is clear at all, it covers the fewest buttons. It never comes
under the mouse pointer, where a click meant for another window would land on its
Given. When the window moves or is laid out anew while it shows, it moves only if it
now covers a button or the banner, and never from under the pointer. It is shown anew
for each reminder, so it appears on whichever desktop is in use then; it never takes
the keyboard from another program by itself, and it has no parent window (a window tied
to the main one would stay on the main one's desktop).

It is a ``Notifier`` for ``ReminderCenter``, which decides when to use it and connects
its banner's buttons like the main banner's. It goes away when its doses are recorded
or snoozed (``withdraw``), when Hide is pressed, and when the main window is used again.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QHideEvent, QMoveEvent, QShowEvent
from PySide6.QtWidgets import QAbstractButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from caregiver_app import APP_NAME
from caregiver_app.services.notifier import Notice
from caregiver_app.ui.today.banner import ReminderBanner

#: Space between the window and the screen's edges, in pixels.
MARGIN = 16

#: How near the mouse pointer it may come, in pixels: a click about to be made elsewhere
#: must not land on it.
POINTER_ROOM = 24

#: A widget it keeps clear of had these: it may have moved on the screen.
_MOVED = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)


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
        self._placing = False
        self._keep_clear: list[tuple[QWidget, bool]] = []
        self._unframed = False  # shown before the desktop drew its frame: placed again
        self._replace_pending = False
        self._placed_at = QPoint()

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
        self._unframed = not _has_frame(self)
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

    def keep_clear_of(self, widget: QWidget, *, only_buttons: bool = False) -> None:
        """Never come over ``widget`` while it shows (the main window's reminder banner:
        its buttons answer the same reminder), least of all over its buttons; with
        ``only_buttons``, over none of the buttons it shows (the main window: the dose's
        buttons, Undo), though over the rest of it."""
        self._keep_clear.append((widget, only_buttons))
        if self.isVisible():
            self._watch(True)

    def _kept(self) -> list[tuple[QWidget, bool]]:
        """What it keeps clear of, less any widget deleted since (a window let go of):
        asking a deleted widget anything raises inside Qt's show and hide, which ends the
        program there, and the reminders with it."""
        self._keep_clear = [(w, only) for w, only in self._keep_clear if isValid(w)]
        return self._keep_clear

    def _watched(self) -> list[QWidget]:
        """Its banner (Hide pressed), and what it keeps clear of with their windows (they
        move, or the window is laid out anew)."""
        found: list[QWidget] = [self.banner]
        for widget, _only_buttons in self._kept():
            found += [w for w in (widget, widget.window()) if w not in found]
        return found

    def _watch(self, on: bool) -> None:
        """Watch (or stop watching) ``_watched()``: only while it shows, so the main
        window's events do not each pass through Python the rest of the time (~200 while
        the window starts)."""
        for watched in self._watched():
            with contextlib.suppress(RuntimeError):  # (deleted in between: never here)
                if on:
                    watched.installEventFilter(self)
                else:
                    watched.removeEventFilter(self)

    # ---- Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.banner:
            if event.type() == QEvent.Type.Hide and not self._placing and self.isVisible():
                self.hide()  # Hide pressed, or every dose answered
        elif event.type() in _MOVED and self.isVisible() and not self._replace_pending:
            # what it keeps clear of moved while it shows (the window restored from the
            # taskbar, its header laid out for a new text size, its banner shown): placed
            # again once the window is laid out, unless the caregiver moved it themself
            self._replace_pending = True
            QTimer.singleShot(0, self, self._place_again)
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():  # (shown by the app, not restored by the desktop)
            self._watch(True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():  # (hidden by the app, not minimized by the desktop)
            self._watch(False)

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        if self._unframed and _has_frame(self):
            # the desktop framed it just now: placed again for its title bar's height
            self._unframed = False
            self._place()

    def closeEvent(self, event) -> None:
        """Closing it from the title bar is Hide: the doses stay on the Today tab."""
        self.banner.clear()
        super().closeEvent(event)

    # ---- Private

    def _place(self, *, again: bool = False) -> None:
        """On the screen under the mouse (the one in use), inside its available area: the
        top right corner, or the first of the other corners (bottom right, bottom left,
        top left), or else of the places along the bottom and top edges, that covers none
        of the buttons it keeps clear of nor the banner; when none is wholly clear, the
        one that covers the fewest buttons, then the least of the banner. Never under
        the mouse pointer, where a click meant for another window would land on its
        Given. It is a third to half of the screen wide, and wider (so less tall) only
        when that is what finds a clear place: at 200% text on a small screen, a
        half-screen popup wraps its text to a tall column that fits nowhere beside the
        window's own banner. ``again``: placed anew on the screen it is on."""
        self._replace_pending = False
        pointer = QCursor.pos()
        screen = (self.screen() if again else QGuiApplication.screenAt(pointer)) \
            or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        buttons, areas = self._kept_clear()
        frame = self._frame_size()

        def rank_of(place: QRect) -> tuple[bool, int, int]:
            return (place.adjusted(-POINTER_ROOM, -POINTER_ROOM, POINTER_ROOM,
                                   POINTER_ROOM).contains(pointer),
                    sum(_area(place & r) for r in buttons),
                    sum(_area(place & r) for r in areas))

        if again:
            here = self.frameGeometry()
            if here.contains(pointer) or rank_of(here) == (False, 0, 0):
                return  # in use, or still clear: it stays where the caregiver saw it
        best: tuple[tuple[bool, int, int], int, int] | None = None
        chosen = QRect()
        for wide, width in enumerate(self._widths(room, frame)):
            outer = self._size_for(width, room, frame) + frame
            for order, place in enumerate(_places(room, outer)):
                rank = (rank_of(place), wide, order)
                if best is None or rank < best:
                    best, chosen = rank, place
        self.resize(chosen.size() - frame)
        self.move(chosen.topLeft())  # (a top-level window's move places its frame)
        self._placed_at = chosen.topLeft()

    def _place_again(self) -> None:
        """What it keeps clear of moved: placed anew only if it now covers some of it,
        never while the pointer is over it, and not after the caregiver moved it."""
        if self.isVisible() and self.frameGeometry().topLeft() == self._placed_at:
            self._place(again=True)
        self._replace_pending = False

    def _widths(self, room: QRect, frame: QSize) -> list[int]:
        """The widths tried, narrowest first: a third of the screen, or as wide as the
        reminder asks up to half of it; then two thirds and the whole width."""
        widest = room.width() - 2 * MARGIN - frame.width()
        usual = min(max(self.sizeHint().width(), room.width() // 3), room.width() // 2)
        return [usual] + [w for w in (room.width() * 2 // 3, widest) if w > usual]

    def _size_for(self, width: int, room: QRect, frame: QSize) -> QSize:
        """The popup's size at ``width``: as tall as its text then needs, within the
        screen."""
        height = min(self.heightForWidth(width) if self.hasHeightForWidth()
                     else self.sizeHint().height(),
                     room.height() - 2 * MARGIN - frame.height())
        return QSize(width, max(height, self.minimumSizeHint().height()))

    def _frame_size(self) -> QSize:
        """The title bar and borders the desktop draws around the popup: its own once
        drawn (none before the first show), else the main window's."""
        if _has_frame(self):
            return _frame_of(self)
        for widget, _only_buttons in self._kept():
            top = widget.window()
            if top.isVisible() and _has_frame(top):
                return _frame_of(top)
        return QSize(0, 0)

    def _kept_clear(self) -> tuple[list[QRect], list[QRect]]:
        """Where the widgets to keep clear of are on the screen now: the buttons they
        show, and the whole area of those not kept clear of for their buttons only.
        Layouts are brought up to date first (a banner just shown, a dose just selected
        are still laid out as before until the event loop runs)."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        buttons: list[QRect] = []
        areas: list[QRect] = []
        for widget, only_buttons in self._kept():
            top = widget.window()
            if not widget.isVisible() or top.isMinimized():
                continue
            _lay_out(widget)
            if not only_buttons:
                areas.append(_on_screen(widget))
            for button in widget.findChildren(QAbstractButton):
                shown = button.visibleRegion().boundingRect() if button.isVisible() \
                    else QRect()
                if not shown.isEmpty():  # (not scrolled out of view, nor hidden)
                    buttons.append(QRect(button.mapToGlobal(shown.topLeft()),
                                         shown.size()))
        return buttons, areas


def _places(room: QRect, outer: QSize) -> list[QRect]:
    """Where a window of ``outer`` size (frame included) may go on ``room``: the top right
    corner, the other corners, then along the bottom and top edges, right to left."""
    left, right = room.left() + MARGIN, room.right() - MARGIN - outer.width() + 1
    top, bottom = room.top() + MARGIN, room.bottom() - MARGIN - outer.height() + 1
    steps = 8
    along = [right - (right - left) * i // steps for i in range(1, steps)]
    places = [(right, top), (right, bottom), (left, bottom), (left, top)]
    places += [(x, bottom) for x in along] + [(x, top) for x in along]
    return [QRect(QPoint(x, y), outer) for x, y in places]


def _frame_of(window: QWidget) -> QSize:
    return window.frameGeometry().size() - window.geometry().size()


def _has_frame(window: QWidget) -> bool:
    return _frame_of(window) != QSize(0, 0)


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
