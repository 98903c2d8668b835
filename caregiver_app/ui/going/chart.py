"""A line over time, drawn with QPainter in the palette's own colours, with the changes
of the medicines that are for it on the same time axis.

Keyboard: Tab reaches the chart; Left and Right (Home, End) move from point to point,
and the point's day and value are said under the chart and to screen readers (the
chart's accessible description). The mouse shows the nearest point the same way. The
table beside it lists the same points for screen readers.

Each medicine change is a focusable marker of its own (``MarkerButton``, over its name
at the top of the chart): Tab goes from the chart to the first one, Left and Right
(Home, End) move from change to change, and each has a tooltip and an accessible name
and description saying what changed and when. Hovering the dashed line shows the same.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from caregiver_app.domain.localtime import describe_day


@dataclass(frozen=True)
class Marker:
    """A medicine change drawn as a dashed line on its day."""

    on_day: date
    text: str


#: Width, in pixels, over which many points are drawn as their average.
BUCKET_PX = 4
#: How near (pixels) the pointer must come to a medicine change's line to show it.
MARKER_HOVER_PX = 4
#: Rows of medicine changes' names above the plot (more changes take turns).
MARKER_ROWS = 3


def _column_means(points: list[QPointF], width: float) -> list[QPointF]:
    """The points in columns ``width`` pixels wide, each column's as one point at its
    mean: a readable line where there are more points than pixels."""
    columns: dict[int, list[QPointF]] = {}
    for point in points:
        columns.setdefault(int(point.x() // width), []).append(point)
    return [QPointF(sum(p.x() for p in group) / len(group),
                    sum(p.y() for p in group) / len(group))
            for _, group in sorted(columns.items())]


class MarkerButton(QWidget):
    """One medicine change on the chart, reachable by Tab and by the mouse: its name at
    the top of the chart is this widget. Left and Right (Home, End) move to the other
    changes; the text is its tooltip, accessible name and description."""

    def __init__(self, chart: TrendChart, number: int, marker: Marker):
        super().__init__(chart)
        self.chart = chart
        self.number = number
        self.marker = marker
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        text = f"{marker.text}, {describe_day(marker.on_day)}"
        self.setToolTip(text)
        self.setAccessibleName(f"Medicine change: {text}")
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

    def describe(self, count: int) -> None:
        self.setAccessibleDescription(
            f"Change {self.number + 1} of {count} on the chart of "
            f"{self.chart.title()}. Left and Right move to the other changes.")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        buttons = self.chart.marker_buttons()
        moves = {Qt.Key.Key_Left: self.number - 1, Qt.Key.Key_Right: self.number + 1,
                 Qt.Key.Key_Home: 0, Qt.Key.Key_End: len(buttons) - 1}
        target = moves.get(Qt.Key(event.key()))
        if target is None:
            super().keyPressEvent(event)
            return
        buttons[min(max(target, 0), len(buttons) - 1)].setFocus(
            Qt.FocusReason.OtherFocusReason)
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        # the chart draws the name; this draws the focus (and the hover) around it
        if not (self.hasFocus() or self.underMouse()):
            return
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight),
                   2 if self.hasFocus() else 1)
        painter.setPen(pen)
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))


class TrendChart(QWidget):
    point_chosen = Signal(int)
    """The point at this index was chosen by key or click (the table follows)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Chart")
        self._title = ""
        self._unit = ""
        self._points: list[tuple[date, float]] = []
        self._markers: list[Marker] = []
        self._low, self._high = 0.0, 1.0
        self._whole = True
        self._current: int | None = None
        self._buttons: list[MarkerButton] = []

    # ---- Public API

    def set_series(self, title: str, points: Sequence[tuple[date, float]], *,
                   low: float, high: float, unit: str = "", whole: bool = True,
                   markers: Sequence[Marker] = ()) -> None:
        self._title = title
        self._unit = unit
        self._points = list(points)
        self._whole = whole
        self._markers = [m for m in markers if self._points
                         and self._points[0][0] <= m.on_day <= self._points[-1][0]]
        if self._points and not whole:
            values = [v for _, v in self._points]
            span = max(values) - min(values)
            pad = max(span * 0.15, 1.0)
            self._low, self._high = max(low, min(values) - pad), min(high, max(values) + pad)
        else:
            self._low, self._high = low, high
        self._current = len(self._points) - 1 if self._points else None
        self.setAccessibleName(f"Chart: {title}")
        self._describe()
        self._make_buttons()
        self.updateGeometry()  # (rows for the changes' names)
        self.update()

    def current_index(self) -> int | None:
        return self._current

    def set_current(self, index: int | None) -> None:
        if index is not None and not 0 <= index < len(self._points):
            index = None
        if index != self._current:
            self._current = index
            self._describe()
            self.update()

    def value_text(self, index: int) -> str:
        day, value = self._points[index]
        shown = f"{value:.0f}" if self._whole else f"{value:.1f}"
        return f"{describe_day(day)}: {shown} {self._unit}".strip()

    def description(self) -> str:
        return self.accessibleDescription()

    def markers(self) -> list[Marker]:
        return list(self._markers)

    def marker_buttons(self) -> list[MarkerButton]:
        """The focusable medicine changes, left to right."""
        return list(self._buttons)

    def title(self) -> str:
        return self._title

    def marker_line_x(self, number: int) -> float:
        """Where the dashed line of medicine change ``number`` is drawn (pixels)."""
        return self._x(self._markers[number].on_day, self._plot_area())

    # ---- Qt

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(metrics.averageCharWidth() * 60, metrics.height() * 14)

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(metrics.averageCharWidth() * 30,
                     metrics.height() * (9 + self._marker_rows()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._points:
            super().keyPressEvent(event)
            return
        last = len(self._points) - 1
        current = self._current if self._current is not None else last
        moves = {Qt.Key.Key_Left: current - 1, Qt.Key.Key_Right: current + 1,
                 Qt.Key.Key_Home: 0, Qt.Key.Key_End: last}
        target = moves.get(Qt.Key(event.key()))
        if target is None:
            super().keyPressEvent(event)
            return
        self.set_current(min(max(target, 0), last))
        if self._current is not None:
            self.point_chosen.emit(self._current)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        marker = self._marker_at(event.position())
        if marker is not None:  # on a medicine change's line: what changed
            self.setToolTip(self._buttons[marker].toolTip())
            return
        index = self._nearest(event.position())
        if index is not None:
            self.setToolTip(self.value_text(index))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_buttons()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._place_buttons()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._nearest(event.position())
        if index is not None:
            self.set_current(index)
            self.point_chosen.emit(index)
        super().mousePressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        metrics = QFontMetrics(self.font())
        line_h = metrics.height()
        if self.hasFocus():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.setPen(text)
        area = self._plot_area()
        if not self._points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "Nothing recorded for this yet.")
            return
        # axes and the values at the top and bottom
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        for value in (self._low, self._high):
            y = self._y(value, area)
            label = f"{value:.0f}"
            painter.drawText(QRectF(0, y - line_h / 2, area.left() - 6, line_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        first, last = self._points[0][0], self._points[-1][0]
        painter.drawText(QRectF(area.left(), area.bottom() + 4, area.width() / 2, line_h),
                         Qt.AlignmentFlag.AlignLeft, describe_day(first))
        painter.drawText(QRectF(area.center().x(), area.bottom() + 4, area.width() / 2,
                                line_h), Qt.AlignmentFlag.AlignRight, describe_day(last))
        # medicine changes: dashed lines with their names at the top
        link = palette.color(QPalette.ColorRole.Link)
        for marker in self._markers:
            x = self._x(marker.on_day, area)
            painter.setPen(QPen(link, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        # the line and its points
        painter.setPen(QPen(text, 2))
        points = [QPointF(self._x(d, area), self._y(v, area)) for d, v in self._points]
        radius = max(2.5, line_h / 6)
        if len(points) * radius * 3 <= area.width():  # the points stand apart: each shown
            for a, b in itertools.pairwise(points):
                painter.drawLine(a, b)
            painter.setBrush(text)
            for point in points:
                painter.drawEllipse(point, radius, radius)
        else:  # more points than room (years of daily checks): their average per column
            line = _column_means(points, BUCKET_PX)
            for a, b in itertools.pairwise(line):
                painter.drawLine(a, b)
        # the changes' names, in rows above the plot (never over its points)
        for number, marker in enumerate(self._markers):
            box, align = self._marker_box(number, area, metrics)
            painter.setPen(link)
            painter.drawText(box, align, metrics.elidedText(
                marker.text, Qt.TextElideMode.ElideRight, int(box.width())))
        if self._current is not None:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(highlight, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(points[self._current], radius * 2.2, radius * 2.2)
            painter.setPen(text)
            painter.drawText(QRectF(area.left(), 2, area.width(), line_h),
                             Qt.AlignmentFlag.AlignRight, self.value_text(self._current))

    # ---- Private

    def _marker_box(self, number: int, area: QRectF, metrics: QFontMetrics,
                    ) -> tuple[QRectF, Qt.AlignmentFlag]:
        """Where a change's name is written: beside its line, on one of up to three rows
        above the plot (on the left of the line near the right edge)."""
        line_h = metrics.height()
        x = self._x(self._markers[number].on_day, area)
        top = area.top() - (self._marker_rows() - number % MARKER_ROWS) * line_h - 2
        text = metrics.horizontalAdvance(self._markers[number].text) + 4
        if x > area.center().x():
            width = min(text, max(40.0, x - area.left() - 4))
            return QRectF(x - 3 - width, top, width, line_h), Qt.AlignmentFlag.AlignRight
        width = min(text, max(40.0, area.right() - x - 4))
        return QRectF(x + 3, top, width, line_h), Qt.AlignmentFlag.AlignLeft

    def _make_buttons(self) -> None:
        if [b.marker for b in self._buttons] == self._markers:  # the same changes again
            for button in self._buttons:
                button.describe(len(self._buttons))
            self._place_buttons()
            return
        focused = next((b.number for b in self._buttons if b.hasFocus()), None)
        for button in self._buttons:
            button.hide()
            button.deleteLater()
        self._buttons = [MarkerButton(self, n, m) for n, m in enumerate(self._markers)]
        previous: QWidget = self
        for button in self._buttons:
            button.describe(len(self._buttons))
            QWidget.setTabOrder(previous, button)  # right after the chart, in turn
            previous = button
            button.show()
        self._place_buttons()
        if focused is not None and self._buttons:
            self._buttons[min(focused, len(self._buttons) - 1)].setFocus()

    def _place_buttons(self) -> None:
        if not self._points:
            return
        area = self._plot_area()
        metrics = QFontMetrics(self.font())
        for button in self._buttons:
            box, _ = self._marker_box(button.number, area, metrics)
            button.setGeometry(QRect(int(box.left()) - 2, int(box.top()),
                                     int(box.width()) + 4, int(box.height())))

    def _marker_at(self, position: QPointF) -> int | None:
        """The medicine change whose line the pointer is on, if any."""
        if not self._points or not self._markers:
            return None
        area = self._plot_area()
        if not area.top() <= position.y() <= area.bottom():
            return None
        distance, number = min((abs(self._x(m.on_day, area) - position.x()), n)
                               for n, m in enumerate(self._markers))
        return number if distance <= MARKER_HOVER_PX else None

    def _marker_rows(self) -> int:
        return min(MARKER_ROWS, len(self._markers))

    def _plot_area(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        left = metrics.horizontalAdvance("0000") + 10
        top = metrics.height() * (1 + self._marker_rows()) + 6
        bottom = metrics.height() + 8
        return QRectF(left, top, max(10, self.width() - left - 12),
                      max(10, self.height() - top - bottom))

    def _x(self, day: date, area: QRectF) -> float:
        first, last = self._points[0][0], self._points[-1][0]
        span = (last - first).days
        if span <= 0:
            return area.center().x()
        return area.left() + area.width() * (day - first).days / span

    def _y(self, value: float, area: QRectF) -> float:
        span = (self._high - self._low) or 1.0
        return area.bottom() - area.height() * (value - self._low) / span

    def _nearest(self, position: QPointF) -> int | None:
        if not self._points:
            return None
        area = self._plot_area()
        distances = [abs(self._x(d, area) - position.x()) for d, _ in self._points]
        return distances.index(min(distances))

    def _describe(self) -> None:
        if not self._points:
            self.setAccessibleDescription("Nothing recorded for this yet.")
            return
        parts = [f"{len(self._points)} points from {describe_day(self._points[0][0])} to "
                 f"{describe_day(self._points[-1][0])}."]
        if self._current is not None:
            parts.append(f"Now at {self.value_text(self._current)}.")
        if self._markers:
            parts.append("Medicine changes: " + "; ".join(
                f"{describe_day(m.on_day)} {m.text}" for m in self._markers) + ".")
        self.setAccessibleDescription(" ".join(parts))
