"""Paints a list row from the model's HTML (title in bold, a summary or snippet below).

Laying out a row's HTML is the costly part of showing a list (a view asks every row's
size on each reset), so sizes are remembered per HTML, width and font: the same result
shown again as the caregiver types one more letter costs nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from caregiver_app.ui.learn.models import HTML_ROLE

PADDING = 6
MAX_CACHED_SIZES = 2000
"""The size cache is emptied when it grows past this (a few searches' worth of rows)."""


class RichTextDelegate(QStyledItemDelegate):
    """Renders ``HTML_ROLE`` with the view's font, wrapping to the row width."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._sizes: dict[tuple[str, int, str], QSize] = {}
        self.layouts = 0
        """How many row sizes were measured (not taken from the cache): for tests."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index.data(HTML_ROLE) or "")
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.left() + PADDING, opt.rect.top() + PADDING)
        painter.setClipRect(QRectF(0, 0, opt.rect.width() - 2 * PADDING,
                                   opt.rect.height() - 2 * PADDING))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        # The models give no font or decoration roles, so the view's font in ``option``
        # is the font the row is painted in.
        html = index.data(HTML_ROLE) or ""
        key = (html, _text_width(option), option.font.key())
        size = self._sizes.get(key)
        if size is None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            doc = self._document(opt, html)
            size = QSize(int(doc.idealWidth()) + 2 * PADDING,
                         int(doc.size().height()) + 2 * PADDING)
            if len(self._sizes) >= MAX_CACHED_SIZES:
                self._sizes.clear()
            self._sizes[key] = size
            self.layouts += 1
        return QSize(size)

    # ---- Private

    def _document(self, opt: QStyleOptionViewItem, html: str) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(opt.font)
        doc.setHtml(html)
        doc.setTextWidth(_text_width(opt))
        return doc


def _text_width(opt: QStyleOptionViewItem) -> int:
    width = opt.rect.width() if opt.rect.width() > 0 else (
        opt.widget.viewport().width() if opt.widget else 300)
    return max(width - 2 * PADDING, 80)
