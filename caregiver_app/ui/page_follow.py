"""The window's page (one scroll area around everything, at large text or on a small
screen) follows the keyboard: Tab to a button below the fold, Down to a row there, or a
shortcut to a field scrolls the page so it shows. For someone using the keyboard, a
switch or eye gaze, the focused control or the selected dose was otherwise invisible."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QScrollArea, QWidget

#: Room kept above and below (and beside) a control the page scrolls into view, so its
#: frame, its focus ring and a little of what is around it show too.
VIEW_MARGIN = 12


class PageFollowsFocus(QObject):
    """Keeps the focused control of ``window`` in view in ``area``, its page."""

    def __init__(self, window: QWidget, area: QScrollArea):
        super().__init__(window)
        self._window = window
        self._area = area
        self._pending = False
        app = QApplication.instance()
        app.focusChanged.connect(self._on_focus_changed)
        # and not once the app quits: as the window is taken down, the keyboard passes
        # through widgets Python never saw, and handing the first of them to Python
        # made PySide set up every widget class (~50 M instructions, 6% of a start)
        app.aboutToQuit.connect(self._stop)

    def _stop(self) -> None:
        QApplication.instance().focusChanged.disconnect(self._on_focus_changed)

    def scroll_to(self, widget: QWidget) -> None:
        """Scroll the page so ``widget`` shows (for a list, its current row), with a
        little room around it; the top of it when it is taller than the page."""
        page = self._area.widget()
        if page is None or not page.isAncestorOf(widget) or not widget.isVisible():
            return
        page.layout().activate()  # (a banner just shown: placed before it is measured)
        rect = _visible_part(widget, QRect(QPoint(0, 0), widget.size()), page)
        if isinstance(widget, QAbstractItemView) and widget.currentIndex().isValid():
            cell = widget.visualRect(widget.currentIndex())
            row = QRect(0, cell.top(), widget.viewport().width(), cell.height())
            row = _visible_part(widget.viewport(), row, page)
            if not row.isEmpty():
                rect = row
        view = self._area.viewport()
        if QRect(-page.pos(), view.size()).contains(rect):
            return
        rect = rect.adjusted(-VIEW_MARGIN, -VIEW_MARGIN, VIEW_MARGIN, VIEW_MARGIN)
        for bar, start, end, room in (
                (self._area.verticalScrollBar(), rect.top(), rect.bottom(), view.height()),
                (self._area.horizontalScrollBar(), rect.left(), rect.right(), view.width())):
            first = bar.value()
            if end - start + 1 > room or start < first:
                bar.setValue(start)  # its top (or start) first
            elif end >= first + room:
                bar.setValue(end - room + 1)

    def reveal(self, header: QWidget, part: QRect | None = None) -> None:
        """Scroll the page, if need be, so ``header`` (the tab bar, when a tab is
        chosen) shows, ``part`` of it (the current tab) whole, as far as the focused
        control still shows too: now, and again once the keyboard has moved to the new
        page (and the page followed it)."""
        self._reveal(header, part)
        QTimer.singleShot(0, self, lambda: self._reveal(header, part))

    def _reveal(self, header: QWidget, part: QRect | None) -> None:
        page = self._area.widget()
        if page is None or not page.isAncestorOf(header) or not header.isVisible():
            return
        want = QRect(header.mapTo(page, QPoint(0, 0)), header.size())
        if part is not None:
            want.setLeft(want.left() + part.left())
            want.setWidth(part.width())
        want = want.adjusted(-VIEW_MARGIN, -VIEW_MARGIN, VIEW_MARGIN, VIEW_MARGIN)
        focus = QApplication.focusWidget()
        keep = None
        if focus is not None and page.isAncestorOf(focus) and focus.isVisible():
            keep = _visible_part(focus, QRect(QPoint(0, 0), focus.size()), page)
            keep = keep.adjusted(-VIEW_MARGIN, -VIEW_MARGIN, VIEW_MARGIN, VIEW_MARGIN)
        view = self._area.viewport()
        for bar, start, end, room, kept in (
                (self._area.verticalScrollBar(), want.top(), want.bottom(), view.height(),
                 (keep.top(), keep.bottom()) if keep is not None else None),
                (self._area.horizontalScrollBar(), want.left(), want.right(), view.width(),
                 (keep.left(), keep.right()) if keep is not None else None)):
            value = bar.value()
            if start < value:
                target = start
            elif end >= value + room:
                target = end - room + 1
            else:
                continue
            if kept is not None and kept[1] - kept[0] + 1 <= room:
                # the focused control stays whole in view (else it keeps its place)
                target = max(min(target, kept[0]), kept[1] - room + 1)
            bar.setValue(max(0, target))

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The keyboard moved: once the move is done (a scroll area inside the page may
        scroll to it first), scroll the page so the control shows. Not while a mouse
        button is down: a half-shown button that moved under the pointer as it was
        pressed would miss its click."""
        if new is None or new.window() is not self._window or \
                QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return
        if isinstance(new, QAbstractItemView):
            self._follow_current_row(new)
        self._later()

    def _later(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._focus_into_view)

    def _focus_into_view(self) -> None:
        self._pending = False
        focus = QApplication.focusWidget()
        if focus is not None and focus.window() is self._window:
            self.scroll_to(focus)

    def _follow_current_row(self, view: QAbstractItemView) -> None:
        """Keep ``view``'s current row in the page's view while the list has the
        keyboard (Down to a row below the fold)."""
        selection = view.selectionModel()
        if selection is None or selection.property("page_follows"):
            return
        selection.setProperty("page_follows", True)

        def moved() -> None:
            if view.hasFocus():
                self._later()

        selection.currentChanged.connect(moved)


def _visible_part(widget: QWidget, rect: QRect, page: QWidget) -> QRect:
    """``rect`` (in ``widget``) in ``page``'s coordinates, cut to what the widgets
    between them show (a scroll area inside the page shows part of its contents); all of
    it when none of it shows."""
    whole = QRect(widget.mapTo(page, rect.topLeft()), rect.size())
    part = QRect(whole)
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        part = part.intersected(QRect(parent.mapTo(page, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return part if not part.isEmpty() else whole
