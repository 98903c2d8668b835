"""A line over time, drawn with QPainter in the palette's own colours, with the changes
of the medicines that are for it on the same time axis.

Keyboard: Tab reaches the chart; Left and Right (Home, End) move from point to point,
and the point's day and value are said under the chart and to screen readers (the
chart's accessible description). The mouse shows the nearest point the same way. The
table beside it lists the same points for screen readers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
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


def _column_means(points: list[QPointF], width: float) -> list[QPointF]:
    """The points in columns ``width`` pixels wide, each column's as one point at its
    mean: a readable line where there are more points than pixels."""
    columns: dict[int, list[QPointF]] = {}
    for point in points:
        columns.setdefault(int(point.x() // width), []).append(point)
    return [QPointF(sum(p.x() for p in group) / len(group),
                    sum(p.y() for p in group) / len(group))
            for _, group in sorted(columns.items())]


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

    # ---- Qt

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(metrics.averageCharWidth() * 60, metrics.height() * 14)

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(metrics.averageCharWidth() * 30, metrics.height() * 9)

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
        index = self._nearest(event.position())
        if index is not None:
            self.setToolTip(self.value_text(index))

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
        for number, marker in enumerate(self._markers):
            x = self._x(marker.on_day, area)
            painter.setPen(QPen(link, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            painter.setPen(link)
            top = area.top() + (number % 3) * line_h
            label = marker.text
            if x > area.center().x():  # near the right edge: the name goes on the left
                width = max(40.0, x - area.left() - 4)
                box = QRectF(x - 3 - width, top, width, line_h)
                align = Qt.AlignmentFlag.AlignRight
            else:
                width = max(40.0, area.right() - x - 4)
                box = QRectF(x + 3, top, width, line_h)
                align = Qt.AlignmentFlag.AlignLeft
            painter.drawText(box, align, metrics.elidedText(
                label, Qt.TextElideMode.ElideRight, int(width)))
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
        if self._current is not None:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(highlight, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(points[self._current], radius * 2.2, radius * 2.2)
            painter.setPen(text)
            painter.drawText(QRectF(area.left(), 2, area.width(), line_h),
                             Qt.AlignmentFlag.AlignRight, self.value_text(self._current))

    # ---- Private

    def _plot_area(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        left = metrics.horizontalAdvance("0000") + 10
        top = metrics.height() + 6
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
