"""The widths of the Today list's columns, worked out from the texts it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QTreeView

from caregiver_app.domain.today_sections import Column, RowKind
from caregiver_app.ui.columns import WrappingHeader, shared_widths, unbreakable_parts
from caregiver_app.ui.today.model import TodayModel


class ColumnSizer:
    """Sizes ``tree``'s columns for ``model``'s rows; ``fit()`` again whenever the list's
    width, font or texts may have changed (it returns at once when none did)."""

    def __init__(self, tree: QTreeView, model: TodayModel):
        self._tree = tree
        self._model = model
        self._sized_for: tuple[int, str, int] | None = None  # (viewport width, font, texts)
        self._least: tuple[tuple[str, int], int] | None = None  # (font, texts), width

    def fit(self) -> None:
        """Every column in view, nothing cut off: a text too long for its column wraps
        onto another line (the rows grow). Time, medicine and dose as wide as their
        longest text (within reason; the time from the times alone, never from a section
        title spanning the row), the state wide enough for "Given at 08:05 by TE (late)"
        on one line, and what to know now at least a quarter of the list. When the list
        is too narrow (large text, small screen), medicine and dose give up width first,
        then the state, down to floors that keep words whole. Worked out from the texts
        (no item is laid out for it), again whenever the list's width or font changes."""
        tree = self._tree
        viewport = tree.viewport().width()
        key = (viewport, *self._content_key())
        if key == self._sized_for:
            return
        self._sized_for = key
        widths, _narrowest = self._plan(viewport, narrowest=False)
        tree.header().setStretchLastSection(False)
        for column, width in widths.items():
            if tree.columnWidth(column) != width:
                tree.setColumnWidth(column, width)

    def least_width(self) -> int:
        """The narrowest the list's rows can be with every column in view and no word
        broken: narrower, the list scrolls sideways (its frame and scroll bar not
        counted)."""
        key = self._content_key()
        if self._least is None or self._least[0] != key:
            self._least = (key, self._plan(0, narrowest=True)[1])
        return self._least[1]

    def _content_key(self) -> tuple[str, int]:
        """What the widths are worked out from, besides the list's width."""
        texts = tuple(r.cells[:Column.STATE] for r in self._model.rows())
        return self._tree.font().toString(), hash(texts)

    def _plan(self, viewport: int, *, narrowest: bool) -> tuple[dict[Column, int], int]:
        """Each column's width for a list ``viewport`` wide (see ``fit``), and with
        ``narrowest``, the least width of all of them together (``least_width``; else 0
        unless they had to give up width for it)."""
        want_narrowest = narrowest
        tree, model = self._tree, self._model
        font = tree.font()
        metrics = QFontMetrics(font)

        def em(count: int) -> int:
            return metrics.horizontalAdvance("M" * count)

        line = metrics.height()
        pad = 2 * line
        header = QFontMetrics(tree.header().font())
        widths = {}
        rows = model.rows()
        timed = [r for r in rows if r.kind is not RowKind.PRN] or rows
        for column in (Column.TIME, Column.MEDICINE, Column.DOSE):
            # clock times only: "As needed" may take two lines rather than widen the column
            texts = [r.cells[column] for r in (timed if column == Column.TIME else rows)]
            if column == Column.TIME:
                texts += [w for r in rows for w in r.cells[column].split()]
            widest = max((metrics.horizontalAdvance(t) for t in texts if t), default=0)
            title = header.horizontalAdvance(model.headerData(
                column, Qt.Orientation.Horizontal)) + line
            # the delegate's own margins: the item's text margins and one line height
            widths[column] = min(max(widest + line + 8, title), em(22))
        widths[Column.TIME] += tree.indentation()  # rows sit inside their section
        widths[Column.STATE] = metrics.horizontalAdvance("✓ Given at 08:05 by TE (late)") + pad

        def longest_word(column: Column) -> int:
            """A word never breaks: the column is at least as wide as its longest one."""
            words = {w for r in rows for w in unbreakable_parts(r.cells[column])}
            return max((metrics.horizontalAdvance(w) for w in words), default=0) + line + 8

        # the last column: a quarter of the list if it can; never narrower than its
        # title in two lines (the header grows for them) or its longest word
        head = tree.header()
        title_lines = (head.width_in_lines(Column.NOTES, 2)
                       if isinstance(head, WrappingHeader) else head.sectionSizeHint(Column.NOTES))
        least = max(title_lines, longest_word(Column.NOTES))
        notes = max(em(8), viewport // 4, least)
        floors = {Column.MEDICINE: min(max(em(6), longest_word(Column.MEDICINE)), em(12)),
                  Column.DOSE: min(max(em(6), longest_word(Column.DOSE)), em(12)),
                  Column.STATE: metrics.horizontalAdvance("⚠ Overdue by 30") + pad}
        over = sum(widths.values()) + notes - viewport
        for group in ((Column.MEDICINE, Column.DOSE), (Column.STATE,)):
            if over <= 0:
                break
            spare = {c: max(0, widths[c] - floors[c]) for c in group}
            total = sum(spare.values())
            if total <= 0:
                continue
            taken = min(over, total)
            for column in group:
                widths[column] -= int(taken * spare[column] / total)
            over -= taken
        narrowest = 0
        if want_narrowest or sum(widths.values()) + least > viewport:
            # still too wide (large text, a long word): the widest give up more, down to
            # their longest word, so the last column is in view whole and wraps; only
            # when even that does not fit does the list scroll sideways
            bold = QFont(font)
            bold.setBold(True)
            state = QFontMetrics(bold)
            hard = {Column.TIME: widths[Column.TIME],
                    Column.MEDICINE: longest_word(Column.MEDICINE),
                    Column.DOSE: longest_word(Column.DOSE),
                    Column.STATE: max((state.horizontalAdvance(w) for r in rows
                                       for w in unbreakable_parts(r.cells[Column.STATE])),
                                      default=0) + pad}
            floor = {c: min(hard[c], w) for c, w in widths.items()}
            narrowest = sum(floor.values()) + least
            if sum(widths.values()) + least > viewport:
                widths = shared_widths(widths, floor, viewport - least)
        # what is left goes to the last column, never less than its floor (when there is
        # nothing left, the list scrolls sideways rather than squeeze it)
        widths[Column.NOTES] = max(least, viewport - sum(widths.values()))
        return widths, narrowest
