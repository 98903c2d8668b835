"""Paints the Today rows: roomy rows, section headings, and the state as a coloured pill
whose text (symbol and words) says the same as its colour."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from caregiver_app.domain.today import LookKind
from caregiver_app.ui.today.model import LOOK_ROLE, SECTION_ROLE, Column

#: Background and text colour of each state: light fills with dark text, high contrast
#: in light and dark themes alike (the pill paints its own text colour).
STATE_COLOURS: dict[LookKind, tuple[str, str]] = {
    LookKind.PLANNED: ("#e6ecf5", "#1b2a3d"),
    LookKind.DUE: ("#dbe7f7", "#10284a"),
    LookKind.OVERDUE: ("#ffd29a", "#4d2300"),
    LookKind.SNOOZED: ("#e7dcf7", "#2d1457"),
    LookKind.GIVEN: ("#cdeed5", "#0b3d17"),
    LookKind.SKIPPED: ("#e3e3e3", "#262626"),
    LookKind.MISSED: ("#f7c6c6", "#5e0000"),
    LookKind.CAN_GIVE: ("#cdeed5", "#0b3d17"),
    LookKind.WAIT: ("#ececec", "#262626"),
    LookKind.PAUSED: ("#ececec", "#262626"),
    LookKind.CONFLICT: ("#f7c6c6", "#5e0000"),
}
OVERDUE_SECTION = ("#ffe3bf", "#4d2300")

_Index = QModelIndex | QPersistentModelIndex


class TodayDelegate(QStyledItemDelegate):
    # ---- Qt overrides

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        line = option.fontMetrics.height()
        return QSize(size.width() + line, max(size.height(), int(line * 1.9)))

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
        font = QFont(opt.font)
        font.setBold(True)
        opt.font = font
        if key == "overdue":
            fill, ink = OVERDUE_SECTION
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
        fill, ink = STATE_COLOURS[kind]
        line = opt.fontMetrics.height()
        pad = max(2, line // 5)
        rect = QRectF(opt.rect.adjusted(pad, pad, -pad, -pad))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(rect, line / 3, line / 3)
        font = QFont(opt.font)
        if kind in (LookKind.OVERDUE, LookKind.MISSED, LookKind.CONFLICT):
            font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ink))
        inner = rect.adjusted(line / 2, 0, -line / 2, 0)
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                  int(inner.width()))
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         elided)
        painter.restore()
