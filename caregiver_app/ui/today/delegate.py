"""Paints the Today rows: roomy rows, section headings, and the state as a coloured pill
whose text (symbol and words) says the same as its colour."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from caregiver_app.domain.today import LookKind
from caregiver_app.ui.today.model import LOOK_ROLE, SECTION_ROLE, Column
from caregiver_app.ui.tones import Pair, pair

#: Background and text colour of each state in a light theme: light fills with dark text
#: (``tones.pair`` gives a dark theme's: dark fills of the same hue with light text).
STATE_COLOURS: dict[LookKind, Pair] = {
    LookKind.PLANNED: Pair("#e6ecf5", "#1b2a3d"),
    LookKind.DUE: Pair("#dbe7f7", "#10284a"),
    LookKind.OVERDUE: Pair("#ffd29a", "#4d2300"),
    LookKind.SNOOZED: Pair("#e7dcf7", "#2d1457"),
    LookKind.GIVEN: Pair("#cdeed5", "#0b3d17"),
    LookKind.SKIPPED: Pair("#e3e3e3", "#262626"),
    LookKind.MISSED: Pair("#f7c6c6", "#5e0000"),
    LookKind.CAN_GIVE: Pair("#cdeed5", "#0b3d17"),
    LookKind.WAIT: Pair("#ececec", "#262626"),
    LookKind.PAUSED: Pair("#ececec", "#262626"),
    LookKind.CONFLICT: Pair("#f7c6c6", "#5e0000"),
}
OVERDUE_SECTION = Pair("#ffe3bf", "#4d2300")
UNRECORDED_SECTION = Pair("#fbd9d9", "#5e0000")
_SECTION_COLOURS = {"overdue": OVERDUE_SECTION, "unrecorded": UNRECORDED_SECTION}
#: States written in bold in their pill (they ask for action).
_BOLD_STATES = frozenset(k.value for k in (LookKind.OVERDUE, LookKind.MISSED, LookKind.CONFLICT))
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
#: Qt's item text margin on each side (QStyle.PM_FocusFrameHMargin + 1 on common styles).
_TEXT_MARGIN = 4

_Index = QModelIndex | QPersistentModelIndex


#: Cell sizes kept (``TodayDelegate._sizes``) before they are all forgotten.
_MAX_SIZES = 2000


class TodayDelegate(QStyledItemDelegate):
    """Each cell's size is kept by everything it is made from (the cell's text, state,
    column and its width, the font, the view's options): a day's list has many cells
    alike ("Given", "08:00", "1 tablet", ~40% of the first redraw's), each otherwise laid
    out again twice (its text wrapped by Qt's style, then here). Forgotten whenever the
    model is reset (every redraw), so a change the key does not name (another style or
    screen) is at most one redraw late."""

    def __init__(self, parent: QTreeView) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[object, ...], QSize] = {}
        model = parent.model()
        if model is not None:
            model.modelReset.connect(self._sizes.clear)

    # ---- Qt overrides

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        """Roomy rows, and tall enough for the text wrapped to its column's width: what
        to know now, a long medicine name or a long state is never cut off."""
        column = index.column()
        text = index.data(Qt.ItemDataRole.DisplayRole)
        section = index.data(SECTION_ROLE)
        look = index.data(LOOK_ROLE) if column == Column.STATE and section is None else None
        line = option.fontMetrics.height()
        width = self._column_width(index)
        key = (column, width, text, look, section, line, option.font.key(),
               option.features.value, option.rect.width())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) >= _MAX_SIZES:
                self._sizes.clear()
            size = self._sizes[key] = self._size(option, index, text, look, section, width)
        return QSize(size)

    def _size(self, option: QStyleOptionViewItem, index: _Index, text: object,
              look: object, section: object, width: int) -> QSize:
        size = super().sizeHint(option, index)
        line = option.fontMetrics.height()
        height = max(size.height(), int(line * 1.9))
        if width > 0 and text and section is None:
            font = QFont(option.font)
            if index.column() == Column.STATE:  # the pill's text sits inside its margins
                width -= 2 * max(2, line // 5) + line
                if look in _BOLD_STATES:
                    font.setBold(True)
            else:
                width -= 2 * _TEXT_MARGIN
            wrapped = QFontMetrics(font).boundingRect(
                QRect(0, 0, max(1, width), 100_000), _WRAP, str(text)).height()
            height = max(height, wrapped + int(line * 0.9))
        return QSize(size.width() + line, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        section = index.data(SECTION_ROLE)
        if section is not None:
            self._paint_section(painter, option, index, section)
            return
        look = index.data(LOOK_ROLE)
        if look is None or index.column() != Column.STATE:
            super().paint(painter, option, index)
            return
        self._paint_state(painter, option, index, LookKind(look))

    # ---- Private

    def _paint_section(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index,
                       key: str) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # a heading takes no selection (the model does not enable it, so the keys pass
        # over it) but reads in full colour
        opt.state |= QStyle.StateFlag.State_Enabled
        opt.palette.setCurrentColorGroup(QPalette.ColorGroup.Active)
        font = QFont(opt.font)
        font.setBold(True)
        opt.font = font
        if key in _SECTION_COLOURS:
            fill, ink = pair(_SECTION_COLOURS[key], opt.palette)
            painter.save()
            painter.fillRect(opt.rect, QColor(fill))
            painter.restore()
            opt.palette.setColor(QPalette.ColorRole.Text, QColor(ink))
            opt.palette.setColor(QPalette.ColorRole.HighlightedText, QColor(ink))
        opt.displayAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

    def _paint_state(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index,
                     kind: LookKind) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:  # selection and focus background
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        fill, ink = pair(STATE_COLOURS[kind], opt.palette)
        line = opt.fontMetrics.height()
        pad = max(2, line // 5)
        rect = QRectF(opt.rect.adjusted(pad, pad, -pad, -pad))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(rect, line / 3, line / 3)
        font = QFont(opt.font)
        if kind.value in _BOLD_STATES:
            font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ink))
        inner = rect.adjusted(line / 2, 0, -line / 2, 0)
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignVCenter) | _WRAP, text)
        painter.restore()

    def _column_width(self, index: _Index) -> int:
        view = self.parent()  # (isinstance: hasattr on a Qt object costs ~8x as much)
        return view.header().sectionSize(index.column()) if isinstance(view, QTreeView) else 0
