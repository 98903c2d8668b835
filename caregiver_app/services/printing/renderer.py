"""The one drawing path: lays out a ``paper.Document`` on pages and paints it with QPainter.

Print preview (``QPrintPreviewDialog.paintRequested``), the printer (``QPrinter``) and
PDF files (``QPdfWriter``) all call ``paint_document(document, device)``. Layout is done
in the device's own pixels with its font metrics, so what is measured is what is drawn,
at any resolution and on Letter or A4, portrait or landscape.

Rules the layout keeps:

- a table row is never split across pages; a row that does not fit starts a new page,
  which repeats the table's title ("continued") and its column titles;
- text wraps at word boundaries, and inside a word only when the word alone is wider
  than its column (a 120-character medicine name wraps; nothing is cut);
- each section (a day of the checklist, a week) starts on a new page with the section's
  header: title, period, patient, and the allergies in a thick frame, larger and bolder
  than anything in the tables;
- every page ends with the document's footer, the "printed on" stamp and "Page X of Y"
  (with several sections: "Tue 1 Dec · sheet 2 of 2 · page 4 of 14");
- a notes area (``WritingLines``) takes only the room left on its page, and its last line
  stays clear of the footer rule; spare blank rows of a table are left out rather than
  starting a page;
- ``Columns`` put groups of blocks side by side, kept together on one page;
- black ink only: lines and text in black, light grey shading only where nothing is to be
  written, and never as the only sign of anything.

Type sizes are in points: body text 11 pt, headings 13 pt, allergies 14 pt bold, the
sheet title 17 pt, the footer 9.5 pt.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

from caregiver_app.domain.paper import (
    FSI,
    PDI,
    Cell,
    Columns,
    Document,
    Entries,
    Heading,
    PageHeader,
    Paper,
    Paragraph,
    Row,
    Section,
    Table,
    WritingLines,
    no_break_spans,
)
from caregiver_app.services.files import write_pdf_file

BODY_PT = 11.0
HEADING_PT = 13.0
TITLE_PT = 17.0
ALERT_PT = 14.0  # allergies: above the 11 pt bold of medicine names
BIG_PT = 14.0
HUGE_PT = 20.0
FOOTER_PT = 9.5
MARGIN_MM = 10.0
SHADE = QColor(224, 224, 224)
HEADER_SHADE = QColor(238, 238, 238)
PDF_RESOLUTION = 300

_PAD_X = 4.0  # points
_PAD_Y = 2.5
_GAP = 7.0
_BOX = 12.0
_COLUMN_GAP = 14.0
_FOOTER_CLEARANCE = 8.0  # between a page's last writing line and the footer rule


def page_layout(paper: Paper, landscape: bool) -> QPageLayout:
    size = QPageSize(QPageSize.PageSizeId.Letter if paper is Paper.LETTER
                     else QPageSize.PageSizeId.A4)
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(size, orientation, margins, QPageLayout.Unit.Millimeter)


def write_pdf(document: Document, path: Path, paper: Paper, *,
              creator: str = "ALS Care Companion") -> int:
    """Write ``document`` to a PDF file, owner-only; returns the number of pages.

    The PDF is made in memory and checked whole before it replaces anything
    (``services.files``): a failed run never leaves a half-written sheet, nor spoils the
    one that was there. Raises OSError when the file cannot be written.
    """
    def paint(writer: QPdfWriter) -> int:
        writer.setResolution(PDF_RESOLUTION)
        writer.setPageLayout(page_layout(paper, document.landscape))
        writer.setTitle(document.title)
        writer.setCreator(creator)
        return paint_document(document, writer)

    return write_pdf_file(Path(path), paint)


def paint_document(document: Document, device: QPagedPaintDevice) -> int:
    """Lay out and paint ``document`` on ``device`` (its page layout already set).
    Returns the number of pages."""
    return paint_pages(layout_document(document, device), device)


def paint_pages(pages: list[LaidOutPage], device: QPagedPaintDevice) -> int:
    """Paint ``pages`` (``layout_document`` on the same device) on ``device``; raises
    OSError, before anything is painted, when the device cannot start. Returns the
    number of pages."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("could not start painting (is the printer or file available?)")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # The sheets are English: each line runs left to right, and each field marked
        # with ``paper.isolated`` keeps its own direction inside it.
        painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        for number, page in enumerate(pages):
            if number:
                device.newPage()
            for op in page.ops:
                op(painter)
    finally:
        painter.end()
    return len(pages)


def layout_document(document: Document, device: QPaintDevice) -> list[LaidOutPage]:
    """The pages of ``document`` as drawing operations (painted by ``paint_document``)."""
    return _Layout(document, device).run()


# ---- Private


Op = Callable[[QPainter], None]


class _Overflow(Exception):
    """Inside ``Columns``: the part does not fit on this page."""


@dataclass
class LaidOutPage:
    section: int
    continued: bool
    ops: list[Op] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)  # first text of each table row placed
    row_spans: list[tuple[float, float]] = field(default_factory=list)  # (top, bottom)
    body: tuple[float, float] = (0.0, 0.0)  # where rows may go: below the header, above
    # the footer (device pixels)


@dataclass
class _Text:
    """Wrapped lines in one font, ready to draw from a top-left corner."""

    lines: list[str]
    font: QFont
    line_height: float
    ascent: float
    bold: list[int] | None = None  # characters of each line in ``bold_font`` (a lead)
    bold_font: QFont | None = None

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_height


class _Fonts:
    def __init__(self, device: QPaintDevice):
        family = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
        self.body = self._font(family, BODY_PT)
        self.bold = self._font(family, BODY_PT, bold=True)
        self.heading = self._font(family, HEADING_PT, bold=True)
        self.title = self._font(family, TITLE_PT, bold=True)
        self.alert = self._font(family, ALERT_PT, bold=True)
        self.big = self._font(family, BIG_PT, bold=True)
        self.huge = self._font(family, HUGE_PT, bold=True)
        self.footer = self._font(family, FOOTER_PT)
        self.footer_bold = self._font(family, FOOTER_PT + 0.5, bold=True)
        self._metrics: dict[str, QFontMetricsF] = {}
        self._keys: dict[int, tuple[QFont, str]] = {}
        self.device = device

    @staticmethod
    def _font(family: str, points: float, *, bold: bool = False) -> QFont:
        font = QFont(family)
        font.setPointSizeF(points)
        font.setBold(bold)
        font.setStyleHint(QFont.StyleHint.SansSerif)
        # No "fl"/"ffi" ligature glyphs: searching, copying and screen readers then find
        # "flush", "office" and "Effect" as typed.
        font.setFeature(QFont.Tag("liga"), 0)
        return font

    def key(self, font: QFont) -> str:
        """``font.key()``, asked once per font object (the sheets use a handful)."""
        found = self._keys.get(id(font))
        if found is None or found[0] is not font:
            found = self._keys[id(font)] = (font, font.key())
        return found[1]

    def metrics(self, font: QFont) -> QFontMetricsF:
        key = self.key(font)
        if key not in self._metrics:
            self._metrics[key] = QFontMetricsF(font, self.device)
        return self._metrics[key]


class _Layout:
    def __init__(self, document: Document, device: QPaintDevice):
        self.doc = document
        self.device = device
        self.u = device.logicalDpiY() / 72.0  # device pixels per point
        self.width = float(device.width())
        self.height = float(device.height())
        self.fonts = _Fonts(device)
        self.pages: list[LaidOutPage] = []
        self.page: LaidOutPage | None = None
        self.y = 0.0
        self.bottom = 0.0
        self._wrap_cache: dict[tuple[str, str, int], list[str]] = {}
        self._lead_cache: dict[tuple[str, str, int], tuple[list[str], list[int]]] = {}
        self._top = 0.0
        self.dx = 0.0  # left edge of the column being laid out (``Columns``)
        self._no_break = 0  # inside ``Columns``: a page break means "does not fit"
        self.label_w = self._label_width()
        self.footer_height = self._footer_height()

    # ---- units and text

    def pt(self, points: float) -> float:
        return points * self.u

    def text(self, text: str, font: QFont, width: float) -> _Text:
        metrics = self.fonts.metrics(font)
        return _Text(self.wrap(text, font, width), font, metrics.lineSpacing(),
                     metrics.ascent())

    def lead_text(self, lead: str, text: str, width: float) -> _Text:
        """``lead`` in bold run in with ``text`` in body type, wrapped as one paragraph."""
        f = self.fonts
        whole = " ".join(f"{lead} {text}".split())
        lead_len = len(" ".join(lead.split()))
        key = (whole, f"lead{lead_len}", int(width))
        found = self._lead_cache.get(key)
        if found is None:
            metrics = f.metrics(f.bold)
            laid, origin = _break_text(whole, lambda t: metrics.horizontalAdvance(t) <= width)
            layout = QTextLayout(laid, f.body, self.device)
            run = QTextLayout.FormatRange()
            run.start = 0
            run.length = lead_len if origin is None else sum(1 for i in origin
                                                             if i < lead_len)
            bold = QTextCharFormat()
            bold.setFont(f.bold)
            run.format = bold
            layout.setFormats([run])
            lines, counts = [], []
            for start, text, prefix in _wrapped_lines(layout, whole, width, origin):
                lines.append(text)
                count = max(0, min(lead_len - start, len(text) - prefix))
                counts.append(count + prefix if count else 0)
            found = self._lead_cache[key] = (lines, counts)
        metrics = f.metrics(f.bold)
        return _Text(list(found[0]), f.body, metrics.lineSpacing(), metrics.ascent(),
                     bold=list(found[1]), bold_font=f.bold)

    def wrap(self, text: str, font: QFont, width: float) -> list[str]:
        key = (text, self.fonts.key(font), int(width))
        found = self._wrap_cache.get(key)
        if found is not None:
            return found
        lines: list[str] = []
        for paragraph in text.split("\n"):
            if not paragraph.strip():
                lines.append("")
                continue
            metrics = self.fonts.metrics(font)
            laid, origin = _break_text(paragraph, functools.partial(_fits, metrics, width))
            layout = QTextLayout(laid, font, self.device)
            lines.extend(line for _, line, _ in _wrapped_lines(layout, paragraph, width,
                                                               origin))
        self._wrap_cache[key] = lines
        return lines

    def draw_text(self, block: _Text, x: float, y: float, width: float, *,
                  align: str = "left") -> None:
        lines, font = list(block.lines), block.font
        metrics = self.fonts.metrics(font)
        line_height, ascent = block.line_height, block.ascent
        bold, bold_font = block.bold, block.bold_font
        bold_metrics = self.fonts.metrics(bold_font) if bold_font is not None else None

        def op(p: QPainter) -> None:
            p.setFont(font)
            p.setPen(QPen(Qt.GlobalColor.black))
            for i, line in enumerate(lines):
                if not line:
                    continue
                left = x
                base = y + i * line_height + ascent
                if bold and bold[i] and bold_font is not None and bold_metrics is not None:
                    head = line[:bold[i]]
                    p.setFont(bold_font)
                    p.drawText(QPointF(left, base), head)
                    p.setFont(font)
                    left += bold_metrics.horizontalAdvance(head)
                    line = line[bold[i]:]
                elif align != "left":
                    used = metrics.horizontalAdvance(line)
                    left = x + (width - used) / (2 if align == "center" else 1)
                p.drawText(QPointF(left, base), line)

        self.add(op)

    def add(self, op: Op) -> None:
        assert self.page is not None
        dx = self.dx
        if dx:
            inner = op

            def op(p: QPainter) -> None:
                p.save()
                p.translate(dx, 0)
                inner(p)
                p.restore()

        self.page.ops.append(op)

    def rect(self, rect: QRectF, *, fill: QColor | None = None, pen_pt: float = 0.6) -> None:
        pen_width = self.pt(pen_pt)

        def op(p: QPainter) -> None:
            if fill is not None:
                p.fillRect(rect, fill)
            if pen_pt > 0:
                pen = QPen(Qt.GlobalColor.black)
                pen.setWidthF(pen_width)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect)

        self.add(op)

    def line(self, x1: float, y1: float, x2: float, y2: float, *, pen_pt: float = 0.6,
             dotted: bool = False) -> None:
        pen_width = self.pt(pen_pt)

        def op(p: QPainter) -> None:
            pen = QPen(Qt.GlobalColor.black)
            pen.setWidthF(pen_width)
            if dotted:
                pen.setStyle(Qt.PenStyle.DotLine)
            p.setPen(pen)
            p.drawLine(QPointF(x1, y1), QPointF(x2, y2))

        self.add(op)

    # ---- pages

    def run(self) -> list[LaidOutPage]:
        for index, section in enumerate(self.doc.sections):
            self.new_page(index, section, continued=False)
            for block in section.blocks:
                self.place(block, index, section)
        total = len(self.pages)
        per_section: dict[int, int] = {}
        for page in self.pages:
            per_section[page.section] = per_section.get(page.section, 0) + 1
        seen: dict[int, int] = {}
        for number, page in enumerate(self.pages, start=1):
            self.page = page
            seen[page.section] = seen.get(page.section, 0) + 1
            self.footer(self._page_label(number, total, page.section, seen[page.section],
                                         per_section[page.section]))
        return self.pages

    def _page_label(self, number: int, total: int, section: int, sheet: int,
                    sheets: int) -> str:
        """"Page 3 of 4"; with several sections, which sheet of its day it is too."""
        if len(self.doc.sections) <= 1:
            return f"Page {number} of {total}"
        header = self.doc.sections[section].header
        name = header.short or header.period
        lead = f"{name} · " if name else ""
        return f"{lead}sheet {sheet} of {sheets} · page {number} of {total}"

    def new_page(self, index: int, section: Section, *, continued: bool) -> None:
        if self._no_break:
            raise _Overflow
        self.page = LaidOutPage(index, continued)
        self.pages.append(self.page)
        self.y = self.header(section.header, continued) + self.pt(_GAP)
        self.bottom = self.height - self.footer_height - self.pt(6)
        self.page.body = (self._top, self.bottom)

    def body_height(self) -> float:
        """The height a fresh page offers below its header."""
        return self.bottom - self._top

    def ensure(self, needed: float, index: int, section: Section) -> None:
        if self.y + needed > self.bottom:
            if self._no_break:
                raise _Overflow
            if not self.at_top():
                self.new_page(index, section, continued=True)

    def at_top(self) -> bool:
        return self.y <= self._top + 0.5

    def header(self, header: PageHeader, continued: bool) -> float:
        f = self.fonts
        w = self.width
        period = header.period + (" (continued)" if continued and header.period else "")
        title_w = min(self.fonts.metrics(f.title).horizontalAdvance(header.title) + 1,
                      w * 0.6)
        right_w = w - title_w - self.pt(12)
        title = self.text(header.title, f.title, title_w)
        right = self.text(period, f.heading, right_w)
        self.draw_text(title, 0, 0, title_w)
        self.draw_text(right, w - right_w, self.pt(3), right_w, align="right")
        y = max(title.height, right.height + self.pt(3)) + self.pt(2)
        patient = self.text(header.patient, f.body, w)
        self.draw_text(patient, 0, y, w)
        y += patient.height + self.pt(4)
        pad = self.pt(5)
        allergy = self.text(header.allergies, f.alert, w - 2 * pad)
        box = QRectF(0, y, w, allergy.height + 2 * pad - self.pt(2))
        self.rect(box, pen_pt=2.2)
        self.draw_text(allergy, pad, y + pad - self.pt(1), w - 2 * pad)
        self._top = y + box.height() + self.pt(_GAP)
        return y + box.height()

    def _footer_lines(self) -> list[_Text]:
        return [self.text(line, self.fonts.footer, self.width) for line in self.doc.footer]

    def _footer_height(self) -> float:
        lines = self._footer_lines()
        sections = self.doc.sections
        longest = max((s.header.short or s.header.period for s in sections), key=len,
                      default="")
        sample = (f"{longest} · sheet 9 of 9 · page 999 of 999" if len(sections) > 1
                  else "Page 999 of 999")
        stamp, page_text, _ = self._stamp_line(sample)
        return (self.pt(5) + sum(t.height for t in lines) + self.pt(2)
                + max(stamp.height, page_text.height))

    def _stamp_line(self, label: str) -> tuple[_Text, _Text, float]:
        """The stamp (left) and the page label (right, as wide as it needs, up to half
        the page), and where the label starts."""
        f = self.fonts
        label_w = min(f.metrics(f.footer_bold).horizontalAdvance(label) + self.pt(2),
                      self.width * 0.5)
        page_text = self.text(label, f.footer_bold, label_w)
        stamp = self.text(self.doc.stamp, f.footer, self.width - label_w - self.pt(10))
        return stamp, page_text, self.width - label_w

    def footer(self, label: str) -> None:
        y = self.height - self.footer_height
        self.line(0, y, self.width, y, pen_pt=0.6)
        y += self.pt(4)
        for block in self._footer_lines():
            self.draw_text(block, 0, y, self.width)
            y += block.height
        y += self.pt(2)
        stamp, page_text, left = self._stamp_line(label)
        self.draw_text(stamp, 0, y + self.pt(0.5), left - self.pt(10))
        self.draw_text(page_text, left, y, self.width - left, align="right")

    # ---- blocks

    def place(self, block, index: int, section: Section) -> None:
        if isinstance(block, Table):
            self.table(block, index, section)
        elif isinstance(block, Paragraph):
            self.paragraph(block, index, section)
        elif isinstance(block, WritingLines):
            self.writing_lines(block, index, section)
        elif isinstance(block, Columns):
            self.columns(block, index, section)
        elif isinstance(block, Entries):
            self.entries(block, index, section)
        elif isinstance(block, Heading):
            heading = self.text(block.text, self.fonts.heading, self.width)
            self.ensure(heading.height + self.pt(60), index, section)
            self.draw_text(heading, 0, self.y, self.width)
            self.y += heading.height + self.pt(3)
        else:  # pragma: no cover - a new block type must be added here
            raise TypeError(f"unknown block {block!r}")

    def paragraph(self, block: Paragraph, index: int, section: Section) -> None:
        f = self.fonts
        font = f.huge if block.huge else f.heading if block.big else f.footer if block.small \
            else f.bold if block.bold else f.body
        pad = self.pt(5) if block.boxed else 0.0
        text = self.text(block.text, font, self.width - 2 * pad)
        height = text.height + 2 * pad
        if height <= self.body_height():
            self.ensure(height, index, section)
            if block.boxed:
                self.rect(QRectF(0, self.y, self.width, height),
                          pen_pt=2.2 if block.huge else 0.8)
            self.draw_text(text, pad, self.y + pad, self.width - 2 * pad)
            self.y += height + self.pt(_GAP)
            return
        for line in text.lines:  # longer than a page: split between lines
            one = _Text([line], text.font, text.line_height, text.ascent)
            self.ensure(one.height, index, section)
            self.draw_text(one, 0, self.y, self.width)
            self.y += one.height
        self.y += self.pt(_GAP)

    def writing_lines(self, block: WritingLines, index: int, section: Section) -> None:
        """As many lines as the rest of the page holds (never a page of their own)."""
        title = self.text(block.title, self.fonts.bold, self.width)
        spacing = self.pt(block.spacing)
        limit = self.bottom - self.pt(_FOOTER_CLEARANCE)
        fits = max(int((limit - self.y - title.height) // spacing), 0)
        if 1 <= fits < block.count and not block.optional:  # say there is more room
            # the hint even if it costs a line: one line, said to go on on the back, is
            # better than one line that looks like all there is
            title = self.text(f"{block.title} (more on the back)", self.fonts.bold,
                              self.width)
            fits = max(int((limit - self.y - title.height) // spacing), 0)
        if fits < 1 or (block.optional and fits < block.count):
            if not block.optional:  # say where to write, if that line fits
                back = self.text(f"{block.title}: on the back of this sheet", self.fonts.bold,
                                 self.width)
                if self.y + back.height <= self.bottom:
                    self.draw_text(back, 0, self.y, self.width)
                    self.y += back.height + self.pt(_GAP)
            return
        self.draw_text(title, 0, self.y, self.width)
        y = self.y + title.height
        count = fits if block.fill else min(block.count, fits)
        for _ in range(count):
            y += spacing
            self.line(0, y, self.width, y, pen_pt=0.5)
        self.y = y + self.pt(_GAP)

    def entries(self, block: Entries, index: int, section: Section) -> None:
        """A framed list of lead + text items; items kept whole, the frame closed at each
        page end and the title repeated ("continued") on the next page."""
        if not block.items:
            return
        pad, space = self.pt(_PAD_X), self.pt(2)
        inner = self.width - 2 * pad
        texts = [self.lead_text(lead, text, inner) for lead, text in block.items]
        title = self.text(block.title, self.fonts.heading, self.width)
        title_h = title.height + self.pt(2) if block.title else 0.0
        # An item taller than a page goes on over the next page, between lines.
        room = self.body_height() - title_h - 2 * pad
        items: list[_Text] = []
        for t in texts:
            per_page = max(int(room // t.line_height), 1)
            for lo in range(0, len(t.lines), per_page):
                items.append(_Text(t.lines[lo:lo + per_page], t.font, t.line_height, t.ascent,
                                   t.bold[lo:lo + per_page] if t.bold else None, t.bold_font))
        continued = False
        i = 0
        while i < len(items):
            first = items[i].height + 2 * pad
            if self.y + title_h + first > self.bottom:
                if self._no_break:
                    raise _Overflow
                if not self.at_top():
                    self.new_page(index, section, continued=True)
                    continued = bool(i)
            if block.title:
                label = block.title + (" (continued)" if continued else "")
                text = self.text(label, self.fonts.heading, self.width)
                self.draw_text(text, 0, self.y, self.width)
                self.y += text.height + self.pt(2)
            top = self.y
            self.y += pad
            while i < len(items) and (self.y + items[i].height + pad <= self.bottom
                                      or self.y <= top + pad + 0.5):
                self.draw_text(items[i], pad, self.y, inner)
                self.y += items[i].height + space
                i += 1
            self.y += pad - space
            self.rect(QRectF(0, top, self.width, self.y - top), pen_pt=0.8)
            continued = True
        self.y += self.pt(_GAP)

    # ---- side by side

    def columns(self, block: Columns, index: int, section: Section) -> None:
        """The parts side by side on one page (a fresh one if they do not fit here);
        one after the other when they do not fit on a page even side by side."""
        parts = [p for p in block.parts if p]
        if not parts:
            return
        weights = list(block.weights or (1.0,) * len(block.parts))
        weights = [w for w, p in zip(weights, block.parts, strict=True) if p]
        gap = self.pt(_COLUMN_GAP)
        room = self.width - gap * (len(parts) - 1)
        widths = [room * w / sum(weights) for w in weights]
        for attempt in range(2):
            saved = self._snapshot()
            try:
                self.y = self._place_parts(parts, widths, gap, index, section)
                return
            except _Overflow:
                self._restore(saved)
            if attempt == 0 and block.keep_together and not self.at_top():
                self.new_page(index, section, continued=True)
            else:
                break
        flat = [item for part in parts for item in part]  # writing areas last
        for item in sorted(flat, key=lambda b: isinstance(b, WritingLines)):
            self.place(item, index, section)

    def _place_parts(self, parts, widths: list[float], gap: float, index: int,
                     section: Section) -> float:
        start, width, dx = self.y, self.width, self.dx
        ends = []
        self._no_break += 1
        try:
            x = 0.0
            for part, w in zip(parts, widths, strict=True):
                self.y, self.width, self.dx = start, w, dx + x
                for item in part:
                    self.place(item, index, section)
                ends.append(self.y)
                x += w + gap
        finally:
            self.width, self.dx = width, dx
            self._no_break -= 1
        return max(ends)

    def _snapshot(self) -> tuple:
        page = self.page
        assert page is not None
        return (page, len(page.ops), len(page.rows), len(page.row_spans), self.y)

    def _restore(self, saved: tuple) -> None:
        page, ops, rows, spans, y = saved
        del page.ops[ops:], page.rows[rows:], page.row_spans[spans:]
        self.page, self.y = page, y

    # ---- tables

    def table(self, table: Table, index: int, section: Section) -> None:
        widths = self._column_widths(table)
        title = self._table_title(table, continued=False)
        head_h = self._header_row_height(table, widths)
        if not table.rows:
            empty = self.text(table.empty or "None.", self.fonts.body, self.width)
            self.ensure(title + empty.height, index, section)
            self._draw_table_title(table, continued=False)
            self.draw_text(empty, 0, self.y, self.width)
            self.y += empty.height + self.pt(_GAP)
            return
        measured = [self._measure_row(table, row, widths, head_h) for row in table.rows]
        spare_from = len(table.rows) - min(max(table.spare_rows, 0), len(table.rows) - 1)
        first = measured[0][0]
        whole = title + head_h + sum(h for h, _ in measured[:spare_from])
        if table.keep_together and whole <= self.body_height():
            first = whole - title - head_h
        self.ensure(title + head_h + first, index, section)
        self._draw_table_title(table, continued=False)
        self._draw_header_row(table, widths, head_h)
        for number, (row, (height, draw)) in enumerate(zip(table.rows, measured,
                                                           strict=True)):
            if self.y + height > self.bottom:
                if number >= spare_from:  # spare blank rows: only those that fit
                    break
                self.new_page(index, section, continued=True)
                self._draw_table_title(table, continued=True)
                self._draw_header_row(table, widths, head_h)
            draw(self.y)
            assert self.page is not None
            self.page.rows.append(next((c.text for c in row.cells if c.text), ""))
            self.page.row_spans.append((self.y, self.y + height))
            self.y += height
        self.y += self.pt(_GAP)

    def _column_widths(self, table: Table) -> list[float]:
        """Each column's share of the width, but never so narrow that a word of its
        title breaks ("Tim/e"): narrow ones take what they need from the others (while
        the whole table can give it)."""
        total = sum(c.weight for c in table.columns)
        widths = [self.width * c.weight / total for c in table.columns]
        metrics = self.fonts.metrics(self.fonts.bold)
        pad = 2 * self.pt(_PAD_X) + self.pt(1)
        # the title's words, a short parenthesis counting as one ("(check later)")
        need = [max((metrics.horizontalAdvance(word)
                     for word in _break_text(c.title)[0].split(" ")), default=0.0) + pad
                for c in table.columns]
        if sum(need) > self.width or all(w >= n for w, n in zip(widths, need, strict=True)):
            return widths
        short = sum(n - w for w, n in zip(widths, need, strict=True) if w < n)
        slack = sum(w - n for w, n in zip(widths, need, strict=True) if w > n)
        return [n if w <= n else w - (w - n) * short / slack
                for w, n in zip(widths, need, strict=True)]

    def _note_beside(self, table: Table) -> bool:
        """A short note goes at the right of the title line when both fit on it."""
        f = self.fonts
        return bool(table.title and table.note and "\n" not in table.note and (
            f.metrics(f.heading).horizontalAdvance(table.title)
            + f.metrics(f.body).horizontalAdvance(table.note) + self.pt(16) <= self.width))

    def _table_title(self, table: Table, *, continued: bool) -> float:
        height = 0.0
        if table.title:
            height += self.text(table.title, self.fonts.heading, self.width).height + self.pt(2)
        if table.note and not continued and not self._note_beside(table):
            height += self.text(table.note, self.fonts.body, self.width).height + self.pt(2)
        return height

    def _draw_table_title(self, table: Table, *, continued: bool) -> None:
        beside = self._note_beside(table)
        if table.title:
            text = self.text(table.title + (" (continued)" if continued else ""),
                             self.fonts.heading, self.width)
            self.draw_text(text, 0, self.y, self.width)
            if beside and not continued:
                note = self.text(table.note, self.fonts.body, self.width)
                self.draw_text(note, 0, self.y + text.ascent - note.ascent, self.width,
                               align="right")
            self.y += text.height + self.pt(2)
        if table.note and not continued and not beside:
            note = self.text(table.note, self.fonts.body, self.width)
            self.draw_text(note, 0, self.y, self.width)
            self.y += note.height + self.pt(2)

    def _header_row_height(self, table: Table, widths: list[float]) -> float:
        pad_x, pad_y = self.pt(_PAD_X), self.pt(_PAD_Y)
        return max(self.text(c.title, self.fonts.bold, w - 2 * pad_x).height
                   for c, w in zip(table.columns, widths, strict=True)) + 2 * pad_y

    def _draw_header_row(self, table: Table, widths: list[float], height: float) -> None:
        pad_x, pad_y = self.pt(_PAD_X), self.pt(_PAD_Y)
        x = 0.0
        for column, w in zip(table.columns, widths, strict=True):
            self.rect(QRectF(x, self.y, w, height), fill=HEADER_SHADE, pen_pt=0.8)
            text = self.text(column.title, self.fonts.bold, w - 2 * pad_x)
            self.draw_text(text, x + pad_x, self.y + pad_y, w - 2 * pad_x,
                           align="center" if column.center else "left")
            x += w
        self.y += height

    def _cell_blocks(self, cell: Cell, width: float) -> tuple[list[_Text], float]:
        f = self.fonts
        inner = width - 2 * self.pt(_PAD_X)
        blocks = []
        if cell.text:
            font = f.big if cell.big else f.bold if cell.bold else f.body
            blocks.append(self.text(cell.text, font, inner))
        if cell.sub:
            blocks.append(self.text(cell.sub, f.body, inner))
        height = sum(b.height for b in blocks) + (self.pt(_BOX + 2) if cell.box else 0.0)
        height += sum(h for _, _, h in self._labelled(cell, inner)[1])
        if cell.after:
            height += self.text(cell.after, f.body, inner).height
        return blocks, height + 2 * self.pt(_PAD_Y)

    @staticmethod
    def _clip(blocks: list[_Text], room: float) -> list[_Text]:
        """As many lines as fit in ``room``, the last one ending in "…" if any were cut
        (only for a row taller than a whole page: in practice, a very long note)."""
        kept: list[_Text] = []
        for block in blocks:
            fit = max(int(room // block.line_height), 0)
            if fit >= len(block.lines):
                kept.append(block)
                room -= block.height
                continue
            lines = block.lines[:fit]
            if lines:
                lines[-1] = lines[-1][:max(len(lines[-1]) - 2, 0)] + " …"
                kept.append(_Text(lines, block.font, block.line_height, block.ascent))
            break
        return kept

    def _labelled(self, cell: Cell,
                  inner: float) -> tuple[float, list[tuple[_Text, _Text, float]]]:
        """The label column's width, and each (label, value) pair wrapped: the label in
        body type, the value beside it in the cell's type."""
        if not cell.labelled:
            return 0.0, []
        f = self.fonts
        value_font = f.big if cell.big else f.bold
        label_w = min(self.label_w, inner * 0.45)
        found = []
        for label, value in cell.labelled:
            left = self.text(label, f.body, label_w - self.pt(4))
            right = self.text(value, value_font, inner - label_w)
            found.append((left, right, max(left.height, right.height) + self.pt(2)))
        return label_w, found

    def _label_width(self) -> float:
        """One label width for every labelled cell of the document, so numbers line up."""
        metrics = self.fonts.metrics(self.fonts.body)

        def tables(blocks):
            for block in blocks:
                if isinstance(block, Table):
                    yield block
                elif isinstance(block, Columns):
                    for part in block.parts:
                        yield from tables(part)

        labels = {label for s in self.doc.sections for t in tables(s.blocks)
                  for r in t.rows for c in r.cells for label, _ in c.labelled}
        if not labels:
            return 0.0
        return max(metrics.horizontalAdvance(label) for label in labels) + self.pt(8)

    def _measure_row(self, table: Table, row: Row, widths: list[float],
                     head_h: float) -> tuple[float, Callable[[float], None]]:
        span = table.detail_span or (0, len(widths))
        has_detail = bool(row.detail or row.detail_lead)
        lo, hi = span if has_detail else (len(widths), len(widths))
        cells = [self._cell_blocks(c, w) for c, w in zip(row.cells, widths, strict=True)]
        limit = self.body_height() - head_h - self.pt(30)
        detail: _Text | None = None
        if has_detail:
            span_w = sum(widths[lo:hi]) - 2 * self.pt(_PAD_X)
            detail = (self.lead_text(row.detail_lead, row.detail, span_w) if row.detail_lead
                      else self.text(row.detail, self.fonts.body, span_w))
        pad_y = self.pt(_PAD_Y)
        # Room for a row taller than a whole page (a very long note): cut, and say so.
        detail_room = 0.0 if detail is None else min(
            detail.height, 3 * detail.line_height) + pad_y
        for i, (blocks, h) in enumerate(cells):
            room = limit - (detail_room if lo <= i < hi else 0.0)
            if h > room:
                chrome = h - sum(b.height for b in blocks)
                cells[i] = (self._clip(blocks, room - chrome), room)
        top_h = max((cells[i][1] for i in range(lo, hi)), default=0.0)
        detail_h = 0.0
        if detail is not None:
            if top_h + detail.height + pad_y > limit:
                detail = self._clip([detail], limit - top_h - pad_y)[0]
            detail_h = detail.height + pad_y
        others = max((h for i, (_, h) in enumerate(cells) if not lo <= i < hi), default=0.0)
        height = max(others, top_h + detail_h, self.pt(row.min_height))
        if has_detail:
            top_h = max(top_h, height - detail_h)  # detail sits at the bottom of the row

        def draw(y: float) -> None:
            pad_x, pad_y = self.pt(_PAD_X), self.pt(_PAD_Y)
            x = 0.0
            xs = []
            for i, (cell, w) in enumerate(zip(row.cells, widths, strict=True)):
                xs.append(x)
                in_span = lo <= i < hi
                cell_h = top_h if in_span else height
                rect = QRectF(x, y, w, cell_h)
                if cell.shaded:
                    self.rect(rect, fill=SHADE, pen_pt=0)
                blocks, _ = cells[i]
                ty = y + pad_y
                if cell.box:
                    side = self.pt(_BOX)
                    bx = x + (w - side) / 2 if cell.center else x + pad_x
                    self.rect(QRectF(bx, ty + self.pt(1), side, side), pen_pt=1.0)
                    ty += self.pt(_BOX + 2)
                for block in blocks:
                    self.draw_text(block, x + pad_x, ty, w - 2 * pad_x,
                                   align="center" if cell.center else "left")
                    ty += block.height
                inner = w - 2 * pad_x
                label_w, pairs = self._labelled(cell, inner)
                for label, value, pair_h in pairs:
                    drop = value.ascent - label.ascent  # share the first baseline
                    self.draw_text(label, x + pad_x, ty + drop, label_w)
                    self.draw_text(value, x + pad_x + label_w, ty, inner - label_w)
                    ty += pair_h
                if cell.after:
                    self.draw_text(self.text(cell.after, self.fonts.body, inner), x + pad_x,
                                   ty, inner)
                if not in_span:
                    self.rect(QRectF(x, y, w, height), pen_pt=0.6)
                x += w
            if has_detail and detail is not None:
                left, right = xs[lo], xs[hi - 1] + widths[hi - 1]
                self.rect(QRectF(left, y, right - left, height), pen_pt=0.6)
                for i in range(lo + 1, hi):
                    self.line(xs[i], y, xs[i], y + top_h, pen_pt=0.6)
                self.line(left + pad_x, y + top_h, right - pad_x, y + top_h, pen_pt=0.4,
                          dotted=True)
                self.draw_text(detail, left + pad_x, y + top_h + pad_y * 0.5,
                               right - left - 2 * pad_x)

        return height, draw


__all__ = [
    "BODY_PT",
    "LaidOutPage",
    "layout_document",
    "page_layout",
    "paint_document",
    "write_pdf",
]


def _fits(metrics: QFontMetricsF, width: float, text: str) -> bool:
    return metrics.horizontalAdvance(text) <= width


def _break_text(text: str, fits: Callable[[str], bool] | None = None
                ) -> tuple[str, list[int] | None]:
    """The text Qt breaks into lines, and for each of its characters the index in
    ``text`` (None when they are the same): inside ``paper.no_break_spans`` spaces are
    no-break spaces (as wide) and a word joiner (no width) follows each slash or
    hyphen, so "100 mg/15 mL" and "(PEG/RIG)" stay on one line. With ``fits``, only
    the spans it says fit on a line are kept whole (a longer one breaks between its
    words, as usual, rather than anywhere)."""
    spans = [(a, b) for a, b in no_break_spans(text) if fits is None or fits(text[a:b])]
    if not spans:
        return text, None
    kept = bytearray(len(text))
    for start, end in spans:
        kept[start:end] = b"\x01" * (end - start)
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        chars.append("\u00a0" if kept[i] and char == " " else char)
        origin.append(i)
        if kept[i] and char in "/-" and i + 1 < len(text) and kept[i + 1]:
            chars.append("\u2060")
            origin.append(i + 1)
    return "".join(chars), origin


def _wrapped_lines(layout: QTextLayout, text: str, width: float,
                   origin: list[int] | None = None) -> list[tuple[int, str, int]]:
    """(start in ``text``, line, isolate marks added at its start) of ``text`` laid out
    in ``layout`` (whose text is ``_break_text(text)``, ``origin`` its index map) at
    ``width``, left to right,
    breaking between words (inside a word only when it is longer than the width).

    A line that starts or ends inside a field (``paper.isolated``) gets the isolate marks
    it lacks, so each line keeps the field's direction when drawn on its own."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    layout.setTextOption(option)
    found = []
    depth = 0  # isolates open at the start of the line
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1.0))
        start, end = line.textStart(), line.textStart() + line.textLength()
        if origin is not None:
            start = origin[start] if start < len(origin) else len(text)
            end = origin[end] if end < len(origin) else len(text)
        part = text[start:end]
        opened = depth + part.count(FSI) - part.count(PDI)
        body = part.rstrip()
        prefix = FSI * depth
        found.append((start, prefix + body + PDI * max(opened, 0), len(prefix)))
        depth = max(opened, 0)
    layout.endLayout()
    return found
