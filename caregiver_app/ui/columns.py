"""Lists whose cells and column titles are never cut off.

A caregiver reads a medicine's name, a dose or a time in a list at any text size, on a
1366 px laptop: text that does not fit its column wraps onto more lines (the row grows)
instead of ending in "…"; a column title wraps too (the header grows). Columns are as
wide as their contents when the list has room; when it has not, the widest give up width
first, never below a width that keeps each word (and the title's longest word) whole.
When even that does not fit, the list scrolls sideways.

``keep_fitted(view)`` does it for a ``QTableView`` or ``QTreeView`` and keeps doing it
when the rows, the list's width or its font change.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Iterator, Mapping
from typing import TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QWidget,
)

#: Rows measured for a column's natural width (more are rare; their words still wrap).
MEASURED_ROWS = 200

_Index = QModelIndex | QPersistentModelIndex

#: Where a line may break: at a space, and after a hyphen before a letter ("Speech-" /
#: "language"), as Qt's text layout breaks them (never inside "555-0144").
_BREAKS = re.compile(r"\s+|(?<=-)(?=[^\W\d_])")


def unbreakable_parts(text: str) -> set[str]:
    """The pieces of ``text`` a wrapped line never splits (its words, a hyphenated word's
    halves): the narrowest a column can be with none of them cut."""
    return {part for part in _BREAKS.split(text) if part}


class WrappingHeader(QHeaderView):
    """Column titles that wrap onto more lines when their column is narrower than the
    title; the header grows to show every line. A section's size hint is its title's
    longest word (the narrowest it reads); ``one_line_width`` is the width on one line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                 | Qt.TextFlag.TextWordWrap)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)

    def _title(self, logical: int) -> str:
        model = self.model()
        value = model.headerData(logical, self.orientation()) if model is not None else None
        return "" if value is None else str(value)

    def _one_line(self, logical: int) -> QSize:
        return super().sectionSizeFromContents(logical)

    def one_line_width(self, logical: int) -> int:
        """The width the title takes on one line (with the style's margins)."""
        return self._one_line(logical).width()

    def width_in_lines(self, logical: int, lines: int = 2) -> int:
        """The narrowest width that shows the title in at most ``lines`` lines."""
        words = self._title(logical).split()
        one = self.one_line_width(logical)
        if lines <= 1 or len(words) <= 1:
            return one
        metrics = QFontMetrics(self.font())
        extra = max(0, one - metrics.horizontalAdvance(" ".join(words)))
        low = max(metrics.horizontalAdvance(w) for w in words)
        high = metrics.horizontalAdvance(" ".join(words))
        while low < high:  # the text's width grows as the lines get fewer
            middle = (low + high) // 2
            rect = metrics.boundingRect(QRect(0, 0, middle, 100_000),
                                        int(Qt.TextFlag.TextWordWrap), " ".join(words))
            if rect.height() <= lines * metrics.lineSpacing():
                high = middle
            else:
                low = middle + 1
        return low + extra

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = self._one_line(logicalIndex)
        title = self._title(logicalIndex)
        metrics = QFontMetrics(self.font())
        extra = max(0, size.width() - metrics.horizontalAdvance(title))  # margins, arrow
        longest = max((metrics.horizontalAdvance(w) for w in title.split()), default=0)
        width = self.sectionSize(logicalIndex)
        if width <= 0 or width >= size.width():
            return QSize(longest + extra, size.height())
        lines = metrics.boundingRect(QRect(0, 0, max(width - extra, 1), 100_000),
                                     int(Qt.TextFlag.TextWordWrap), title).height()
        return QSize(longest + extra, size.height() - metrics.height() + lines)


class WrappingCellDelegate(QStyledItemDelegate):
    """For a ``QTreeView``: each row as tall as its cells' text wrapped at its column's
    width (a tree asks its delegate without a width, so its rows would stay one line)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def natural_size(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        """The size on one line (what the column would need to show it unwrapped)."""
        return super().sizeHint(option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        view = self._view
        width = _cell_width(view, index)
        if width <= 0 or not view.wordWrap():
            return super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        opt.rect = QRect(0, 0, width, max(option.rect.height(), 1))
        opt.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        return super().sizeHint(opt, index)


def _depth(index: _Index) -> int:
    depth = 0
    parent = index.parent()
    while parent.isValid():
        depth += 1
        parent = parent.parent()
    return depth


def _cell_width(view: QTreeView, index: _Index) -> int:
    """The width the tree gives ``index``'s cell (the first column less its indent)."""
    if index.column() != 0:
        return view.columnWidth(index.column())
    if view.isFirstColumnSpanned(index.row(), QModelIndex(index.parent())):
        return view.viewport().width() - _indent(view, index)
    return view.columnWidth(0) - _indent(view, index)


def _indent(view: QTreeView, index: _Index) -> int:
    return view.indentation() * (_depth(index) + (1 if view.rootIsDecorated() else 0))


def _header(view: QAbstractItemView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def _rows(view: QAbstractItemView, model: QAbstractItemModel) -> Iterator[QModelIndex]:
    """The first column's index of each row (a tree's expanded rows too), at most
    ``MEASURED_ROWS``."""
    count = 0

    def walk(parent: QModelIndex) -> Iterator[QModelIndex]:
        nonlocal count
        for row in range(model.rowCount(parent)):
            if count >= MEASURED_ROWS:
                return
            count += 1
            first = model.index(row, 0, parent)
            yield first
            if isinstance(view, QTreeView) and view.isExpanded(first):
                yield from walk(first)

    yield from walk(QModelIndex())


def _spanned(view: QAbstractItemView, first: QModelIndex) -> bool:
    return isinstance(view, QTreeView) and view.isFirstColumnSpanned(first.row(),
                                                                     first.parent())


_Col = TypeVar("_Col", bound=Hashable)


def shared_widths(natural: Mapping[_Col, int], floor: Mapping[_Col, int],
                  room: int) -> dict[_Col, int]:
    """Each column's width when ``room`` is shared out: every column at its ``natural``
    width when they all fit; otherwise the widest give up width first, all down to one
    level (the highest that fits) but never below their ``floor`` (their longest word)."""
    widths = dict(natural)
    if room > 0 and sum(natural.values()) > room:
        low, high = 0, max(natural.values())  # the widest any column may be
        while low < high:
            level = (low + high + 1) // 2
            if sum(max(floor[c], min(natural[c], level)) for c in natural) <= room:
                low = level
            else:
                high = level - 1
        widths = {c: max(floor[c], min(natural[c], low)) for c in natural}
    return widths



def fit_columns(view: QTableView | QTreeView, *, floor_chars: Mapping[int, int] | None = None,
                whole: Collection[int] = (), stretch: int | None = None) -> None:
    """Fit ``view``'s shown columns to its width (see the module's text).

    ``whole``: columns never narrower than their contents (short times, phone numbers).
    ``floor_chars``: a column's narrowest width in average characters (default 8).
    ``stretch``: the column that takes what room is left (default: the last shown)."""
    model = view.model()
    if model is None:
        return
    header = _header(view)
    shown = [c for c in range(model.columnCount())
             if not header.isSectionHidden(c)]
    if not shown:
        return
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    em = max(view.fontMetrics().averageCharWidth(), 1)
    natural = {c: (header.one_line_width(c) if isinstance(header, WrappingHeader)
                   else header.sectionSizeHint(c)) for c in shown}
    floor = {c: max(header.sectionSizeHint(c), em * (floor_chars or {}).get(c, 8))
             for c in shown}
    icon = view.iconSize().width()
    if icon <= 0:
        icon = view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, view)
    base = view.fontMetrics()
    fonts: dict[str, QFontMetrics] = {}
    # Measured from the texts (the style's margins added), not by laying out each cell:
    # a medicine's history of two years is thousands of rows, refitted as the search
    # narrows it.
    for first in _rows(view, model):
        if _spanned(view, first):
            continue  # a group's title across the row: it has the whole width
        for column in shown:
            index = first.siblingAtColumn(column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or text == "":
                continue
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = base
            if font is not None:
                key = font.key()
                metrics = fonts.get(key) or fonts.setdefault(key, QFontMetrics(font))
            lines = str(text).splitlines() or [""]
            chrome = 2 * margin + 2
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                chrome += icon + 2 * margin
            if isinstance(view, QTreeView) and column == 0:
                chrome += _indent(view, index)
            width = max(metrics.horizontalAdvance(line) for line in lines)
            natural[column] = max(natural[column], width + chrome)
            word = max((metrics.horizontalAdvance(w) for w in unbreakable_parts(str(text))),
                       default=0)
            floor[column] = max(floor[column], word + chrome)
    for column in shown:
        if column in whole:
            floor[column] = natural[column]
        floor[column] = min(floor[column], natural[column])
    room = view.viewport().width()
    widths = shared_widths(natural, floor, room)
    spare = room - sum(widths.values())
    if spare > 0:
        last = stretch if stretch in widths else shown[-1]
        widths[last] += spare
    header.setStretchLastSection(False)
    for column in shown:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        if header.sectionSize(column) != widths[column]:
            header.resizeSection(column, widths[column])
    if isinstance(view, QTableView):
        if view.wordWrap():
            resize_rows_in_view(view)
    else:
        view.scheduleDelayedItemsLayout()


def resize_rows_in_view(view: QTableView) -> None:
    """Each row the list shows as tall as its wrapped text; the rows below are sized as
    they scroll into view (``ColumnFitter`` does that), so a list of thousands of
    records is not laid out row by row at each refit."""
    model = view.model()
    if model is None:
        return
    room = view.viewport().height()
    row = max(view.rowAt(0), 0)
    top = view.rowViewportPosition(row)
    while row < model.rowCount() and top < room:
        if not view.isRowHidden(row):
            view.resizeRowToContents(row)
            top += view.rowHeight(row)
        row += 1


class ColumnFitter(QObject):
    """Keeps a list fitted (``fit_columns``) when its rows, width or font change."""

    def __init__(self, view: QTableView | QTreeView, **options: object) -> None:
        super().__init__(view)
        self._view = view
        self._options = options
        self._width = -1
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        self._model: QAbstractItemModel | None = None
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        self._watch(view.model())
        if isinstance(view, QTableView):
            view.verticalScrollBar().valueChanged.connect(self._rows_came_into_view)

    def _rows_came_into_view(self, *_args: object) -> None:
        if isinstance(self._view, QTableView) and self._view.wordWrap():
            resize_rows_in_view(self._view)

    def _watch(self, model: QAbstractItemModel | None) -> None:
        if model is self._model or model is None:
            return
        self._model = model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged, model.dataChanged, model.headerDataChanged):
            signal.connect(self.later)

    def later(self, *_args: object) -> None:
        """Fit again once the events now queued are done (many changes, one fit)."""
        self._timer.start()

    def fit(self) -> None:
        """Fit now."""
        self._timer.stop()
        self._watch(self._view.model())
        self._width = self._view.viewport().width()
        fit_columns(self._view, **self._options)  # type: ignore[arg-type]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        font = kind == QEvent.Type.FontChange and watched is self._view
        shown = (kind in (QEvent.Type.Resize, QEvent.Type.Show)
                 and watched is self._view.viewport())
        if font or (shown and self._view.viewport().width() != self._width):
            self.later()
        elif shown:  # taller: more rows in view, each to be as tall as its text
            self._rows_came_into_view()
        return False


def keep_fitted(view: QTableView | QTreeView, *, floor_chars: Mapping[int, int] | None = None,
                whole: Collection[int] = (), stretch: int | None = None) -> ColumnFitter:
    """Make ``view``'s cells and titles wrap instead of being cut, its columns fitted
    to its width, now and whenever its rows, width or font change. Call after the
    view has its model and delegate; a tree gets a ``WrappingCellDelegate`` unless it has
    a delegate of its own."""
    if not isinstance(_header(view), WrappingHeader):
        header = WrappingHeader(view)
        if isinstance(view, QTableView):
            view.setHorizontalHeader(header)
        else:
            view.setHeader(header)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    if isinstance(view, QTreeView):
        view.setUniformRowHeights(False)
        if type(view.itemDelegate()) is QStyledItemDelegate:
            view.setItemDelegate(WrappingCellDelegate(view))
    fitter = ColumnFitter(view, floor_chars=floor_chars, whole=whole, stretch=stretch)
    fitter.later()
    return fitter
