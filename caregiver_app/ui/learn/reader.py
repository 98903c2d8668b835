"""The article reader: one article as a typeset document, for the screen and for paper.

``build_document`` turns an ``Article`` into a ``QTextDocument``: the title, the summary,
the reviewed date, the body (Qt's own Markdown reader), the sources as links, and the
closing reminder that the care team decides treatment. Spacing and line height are set
from the font, so everything scales with the app's text size and the reader's zoom.

``ArticleBrowser`` shows it with a readable line length (about 70 characters, centred in
wide windows) and zooms with Ctrl + / Ctrl - / Ctrl 0 (and Ctrl + wheel).

On paper Qt has no "keep with next" for headings, so ``keep_headings_with_next`` lays the
document out as ``QTextDocument.print_`` will and moves to the next page any heading that
would otherwise end a page without the first lines of its section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QSizeF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from caregiver_app.domain.articles import Article
from caregiver_app.domain.localtime import long_date

CARE_TEAM_LINE = ("This article explains; it does not give medical advice. "
                  "The care team decides treatment.")
MAX_LINE_CHARS = 72
ZOOM_STEPS = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
LINE_HEIGHT_PERCENT = 145


def reviewed_text(article: Article) -> str:
    reviewed = article.reviewed
    return f"Reviewed {long_date(reviewed, weekday=False)}"


def article_markdown(article: Article, *, related: Sequence[tuple[str, str]] = (),
                     for_print: bool = False) -> str:
    """The whole page as Markdown: header, body, related articles, sources, care-team line.

    ``related`` holds ``(id, title)`` of the related articles that exist.
    """
    see_also = [f"- {_escape(title)}" if for_print else f"- [{_escape(title)}](article:{i})"
                for i, title in related]
    sources = []
    for i, source in enumerate(article.sources, start=1):
        line = f"{i}. [{_escape(source.title)}](<{source.url}>)"
        if for_print:
            line += f" — {_escape(source.url)}"
        sources.append(line)
    parts = [
        f"# {_escape(article.title)}",
        f"*{_escape(article.summary)}*",
        _escape(f"{reviewed_text(article)}  ·  {article.category}"),
        article.body.strip(),
        *(["## Related articles", "\n".join(see_also)] if see_also else []),
        "## Sources",
        "\n".join(sources),
        _escape(reviewed_text(article) + "."),
        f"**{_escape(CARE_TEAM_LINE)}**",
    ]
    return "\n\n".join(parts) + "\n"


def build_document(article: Article, font: QFont, *, related: Sequence[tuple[str, str]] = (),
                   for_print: bool = False, doc: QTextDocument | None = None) -> QTextDocument:
    """The article typeset for reading (or printing) in ``font`` (into ``doc`` if given)."""
    doc = doc if doc is not None else QTextDocument()
    doc.clear()
    doc.setDefaultFont(font)
    doc.setMarkdown(article_markdown(article, related=related, for_print=for_print),
                    QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, article.title)
    em = QFontMetricsF(font).height()
    _space_blocks(doc, em)
    _style_links(doc, plain_addresses=for_print)
    # The header: title, summary (a little larger), then the reviewed date, muted.
    title, summary, meta = doc.begin(), doc.begin().next(), doc.begin().next().next()
    _restyle(doc, title, top=0, bottom=em * 0.3)
    _restyle(doc, summary, bottom=em * 0.35, size_adjustment=1)
    _restyle(doc, meta, bottom=em * 1.0, muted=not for_print)
    # The footer: the reviewed date again, and the care-team line.
    care_line = doc.lastBlock()
    reviewed_line = care_line.previous()
    _restyle(doc, reviewed_line, top=em * 0.9, bottom=em * 0.2)
    _restyle(doc, care_line, top=0)
    return doc


class ArticleBrowser(QTextBrowser):
    """A ``QTextBrowser`` for one article with a remembered zoom and a readable measure."""

    zoom_changed = Signal(int)
    """The zoom changed (in percent); the tab stores it."""

    back_requested = Signal()
    """Alt+Left (the platform's Back key) in the reader: the tab keeps the history."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._zoom = 100
        self._article: Article | None = None
        self._related: tuple[tuple[str, str], ...] = ()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Article text")

    # ---- Public API

    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, percent: int) -> None:
        percent = min(max(int(percent), ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        if percent == self._zoom:
            return
        self._zoom = percent
        self._render(keep_position=True)
        self.zoom_changed.emit(percent)

    def zoom_in(self) -> None:
        self.set_zoom(next((s for s in ZOOM_STEPS if s > self._zoom), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((s for s in reversed(ZOOM_STEPS) if s < self._zoom), ZOOM_STEPS[0]))

    def reset_zoom(self) -> None:
        self.set_zoom(100)

    def show_article(self, article: Article | None,
                     related: Sequence[tuple[str, str]] = ()) -> None:
        """Show ``article``; ``related`` lists ``(id, title)`` of its related articles."""
        self._article = article
        self._related = tuple(related)
        self._render(keep_position=False)

    def show_message(self, text: str) -> None:
        self._article = None
        self.setPlainText(text)

    def article(self) -> Article | None:
        return self._article

    def scroll_ratio(self) -> float:
        """How far down the article is scrolled, 0 (top) to 1 (bottom)."""
        bar = self.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() else 0.0

    def set_scroll_ratio(self, ratio: float) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(round(min(max(ratio, 0.0), 1.0) * bar.maximum()))

    def backward(self) -> None:  # QTextBrowser's own history is unused: articles are built
        self.back_requested.emit()

    def reading_font(self) -> QFont:
        """The widget's font (which follows the app's text size) times the zoom."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self._zoom / 100)
        else:
            font.setPixelSize(max(1, round(font.pixelSize() * self._zoom / 100)))
        return font

    # ---- Qt overrides

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._article is not None:
            self._render(keep_position=True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_measure()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & event.modifiers().ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def loadResource(self, kind: int, name: QUrl):  # never fetch anything from a link
        return None

    # ---- Private

    def _render(self, *, keep_position: bool) -> None:
        if self._article is None:
            return
        ratio = self.scroll_ratio() if keep_position else 0.0
        build_document(self._article, self.reading_font(), related=self._related,
                       doc=self.document())
        # Building moved the reader's own cursor to the end of the text, and QTextEdit
        # scrolls to its cursor when first shown: the first article opened would show
        # its sources, not its title. Put the cursor back at the top.
        self.setTextCursor(QTextCursor(self.document()))
        self._fit_measure(force=True)
        self.set_scroll_ratio(ratio)

    def _fit_measure(self, *, force: bool = False) -> None:
        doc = self.document()
        metrics = QFontMetricsF(self.reading_font())
        measure = metrics.averageCharWidth() * MAX_LINE_CHARS
        side = max(metrics.height() * 0.6, (self.viewport().width() - measure) / 2)
        frame = doc.rootFrame().frameFormat()
        if not force and abs(frame.leftMargin() - side) < 1:
            return
        frame.setLeftMargin(side)
        frame.setRightMargin(side)
        frame.setTopMargin(metrics.height() * 0.6)
        frame.setBottomMargin(metrics.height())
        doc.rootFrame().setFrameFormat(frame)


def keep_headings_with_next(doc: QTextDocument, device: QPagedPaintDevice, *,
                            lines: int = 2) -> int:
    """Start a new page before every heading that would otherwise be followed, on its
    page, by fewer than ``lines`` lines of its section. Returns how many were moved.

    ``doc`` is then printed with ``doc.print_(device)``, which lays out a copy of it in the
    same way as here: 2 cm margins and the device's page size.
    """
    probe = doc.clone()
    layout = probe.documentLayout()
    layout.setPaintDevice(device)
    dpi_x, dpi_y = _source_dpi()
    frame = probe.rootFrame().frameFormat()
    frame.setLeftMargin(int(2 / 2.54 * dpi_x))
    frame.setRightMargin(int(2 / 2.54 * dpi_x))
    frame.setTopMargin(int(2 / 2.54 * dpi_y))
    frame.setBottomMargin(int(2 / 2.54 * dpi_y))
    probe.rootFrame().setFrameFormat(frame)
    probe.setPageSize(QSizeF(device.width(), device.height()))
    page_height = probe.pageSize().height()
    moved = 0
    block = probe.begin().next()  # the title starts the first page anyway
    while block.isValid():
        following = block.next()
        if block.blockFormat().headingLevel() and following.isValid():
            heading_page = _page_of_line(layout, block, 0, page_height)
            layout.blockBoundingRect(following)  # its lines exist once it is laid out
            last = min(lines, following.layout().lineCount()) - 1
            if last >= 0 and _page_of_line(layout, following, last, page_height) > heading_page:
                for target in (block, doc.findBlockByNumber(block.blockNumber())):
                    fmt = target.blockFormat()
                    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(target).setBlockFormat(fmt)
                moved += 1
        block = following
    return moved


# ---- Private


def _source_dpi() -> tuple[float, float]:
    """The resolution ``QTextDocument.print_`` measures its 2 cm margins in."""
    app = QCoreApplication.instance()
    if app is not None and app.testAttribute(Qt.ApplicationAttribute.AA_Use96Dpi):
        return 96.0, 96.0
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 100.0, 100.0
    return float(round(screen.logicalDotsPerInchX())), float(round(screen.logicalDotsPerInchY()))


def _page_of_line(layout, block: QTextBlock, line: int, page_height: float) -> int:
    """The page (from 0) a line of ``block`` is on: paging moves whole lines down."""
    layout.blockBoundingRect(block)  # lays the document out at least this far
    text = block.layout()
    if not 0 <= line < text.lineCount():
        return -1
    return int((text.position().y() + text.lineAt(line).y() + 1) // page_height)


def _proportional() -> int:
    return QTextBlockFormat.LineHeightTypes.ProportionalHeight.value


def _escape(text: str) -> str:
    """Text that Markdown shows as it is."""
    return re.sub(r"([\\`*_\[\]{}()<>#+!|~-])", r"\\\1", text)


def _space_blocks(doc: QTextDocument, em: float) -> None:
    """Line height and spacing for what Qt's Markdown reader produced."""
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        level = fmt.headingLevel()
        if level:
            fmt.setTopMargin(em * (1.4 if level <= 2 else 1.0))
            fmt.setBottomMargin(em * 0.35)
            fmt.setLineHeight(115, _proportional())
        else:
            fmt.setLineHeight(LINE_HEIGHT_PERCENT, _proportional())
            in_list = block.textList() is not None
            fmt.setBottomMargin(em * (0.2 if in_list else 0.65))
            fmt.setTopMargin(0)
        cursor.setPosition(block.position())
        cursor.setBlockFormat(fmt)
        block = block.next()


def _style_links(doc: QTextDocument, *, plain_addresses: bool = False) -> None:
    """Links look like links (Qt's Markdown reader leaves their colour alone).

    With ``plain_addresses`` (paper), a web address written out in full is plain text, and
    so are links inside the app (``article:``, ``medicine:``), which mean nothing on paper.
    """
    from PySide6.QtWidgets import QApplication

    link = QTextCharFormat()
    link.setForeground(QApplication.palette().link())
    link.setFontUnderline(True)
    plain = QTextCharFormat()
    plain.setAnchor(False)
    plain.setAnchorHref("")
    plain.setFontUnderline(False)
    plain.setForeground(QApplication.palette().text())
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().isAnchor():
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(),
                                   QTextCursor.MoveMode.KeepAnchor)
                href = fragment.charFormat().anchorHref()
                on_paper_only = (fragment.text().startswith(("http://", "https://"))
                                 or not href.startswith(("http://", "https://")))
                cursor.mergeCharFormat(plain if plain_addresses and on_paper_only else link)
            it += 1
        block = block.next()


def _restyle(doc: QTextDocument, block: QTextBlock, *, top: float | None = None,
             bottom: float | None = None, size_adjustment: int | None = None,
             muted: bool = False) -> None:
    if not block.isValid():
        return
    cursor = QTextCursor(block)
    fmt = block.blockFormat()
    if top is not None:
        fmt.setTopMargin(top)
    if bottom is not None:
        fmt.setBottomMargin(bottom)
    cursor.setBlockFormat(fmt)
    char = QTextCharFormat()
    if size_adjustment is not None:
        char.setProperty(QTextFormat.Property.FontSizeAdjustment, size_adjustment)
    if muted:
        from PySide6.QtWidgets import QApplication

        char.setForeground(QApplication.palette().placeholderText())
    if char.properties():
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                            QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(char)
