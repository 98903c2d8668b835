"""Printed pages as plain data: what a sheet says, not where it goes on the page.

The document builders (``domain.printouts``) return a ``Document``; one renderer
(``services.printing.renderer``) lays it out on any page size and paints it for print
preview, the printer and PDF files. Nothing here knows about fonts or pages, so the
content of every sheet can be tested without Qt.

A ``Document`` is a list of ``Section``s; each section starts on a new page and has its
own ``PageHeader`` (repeated on each of its pages: patient, allergies, the period). Its
``blocks`` are, in order:

- ``Heading``: a section title (never left alone at the bottom of a page);
- ``Paragraph``: wrapped text, optionally bold, boxed or large;
- ``Table``: ``Column``s and ``Row``s of ``Cell``s. A row is never split across pages;
  the column titles (and the table's title, marked "continued") repeat on each page.
  A row may carry a ``detail`` line (instructions) under some of its cells;
- ``Entries``: a titled list of items, each a bold lead and its text, wrapping whole
  ("edaravone (Radicava ORS): Shake the bottle hard…"), in a frame;
- ``WritingLines``: ruled lines to write on (notes), only as many as the page has room
  for: a notes area never starts a page of its own;
- ``Columns``: blocks side by side (codes and rules beside who signs), kept on one page.

The footer (care-team numbers, "printed on" with the regimen version, page X of Y) is
the document's ``footer`` plus ``stamp``; the renderer adds the page numbers, and for a
document of several sections (a checklist of several days) also which sheet of that
section the page is ("Tue 1 Dec · sheet 2 of 2 · page 4 of 14").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The paper sizes live in ``paper_sizes`` (the File menu needs them at start-up, the
# rest of this module only when something prints); named here too, as before.
from caregiver_app.domain.paper_sizes import LETTER_TERRITORIES as LETTER_TERRITORIES
from caregiver_app.domain.paper_sizes import Paper as Paper
from caregiver_app.domain.paper_sizes import default_paper as default_paper
from caregiver_app.domain.paper_sizes import paper_for as paper_for

# ---- Text rules the renderer keeps (plain Python, so they are tested without Qt)

#: Unicode first-strong isolate and its end: a field laid out with its own direction.
FSI, PDI = "\u2068", "\u2069"
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff"
                  "\U0001e800-\U0001efff]")


def isolated(text: str) -> str:
    """``text`` (a name, a note: anything a person typed) as a field laid out in its own
    direction inside a line of the sheet: an Arabic or Hebrew name keeps its place and
    its numbers ("ريلوزول 10 mg", not "mg 10 ريلوزول"). Text with no right-to-left
    letters is returned as it is."""
    return f"{FSI}{text}{PDI}" if text and _RTL.search(text) else text


_UNIT = (r"(?:mg|mcg|µg|micrograms?|g|kg|lb|lbs|mL|ml|L|mmol|units?|IU|%|mm|cm|h|hrs?|"
         r"hours?|min|minutes?|days?|weeks?|tablets?|capsules?|drops?|puffs?|sachets?|"
         r"patch(?:es)?|sprays?|doses?|breaths?|cmH2O)")
_NUMBER = r"\d+(?:[.,]\d+)?(?:\s*[–-]\s*\d+(?:[.,]\d+)?)?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_KEEP = re.compile(
    rf"(?<![\w.,])(?:{_NUMBER}\s*{_UNIT}(?:\s*/\s*(?:{_NUMBER}\s*)?{_UNIT})?"
    rf"|\d{{1,2}} {_MONTH}(?: \d{{4}})?)(?!\w)"
    r"|\([^()\n]{1,24}\)")
#: A phone number: "(312) 555-0142", "+1 312-555-0142", "+44 20 7946 0958".
_PHONE = re.compile(r"(?<![\w.,:])(?:\+\d{1,3}[ -])?(?:\(\d{2,5}\) ?)?\d{2,5}"
                    r"(?:[ -]\d{2,5}){1,4}(?![\w:])")
#: Fewer digits than this is not a phone number ("2026 12").
PHONE_DIGITS = 7
#: A parenthesis of at most this many words is kept on one line: "(PEG/RIG)".
SHORT_PARENTHESIS_WORDS = 3


def no_break_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) stretches of ``text`` a line must not break inside: a number and its
    unit ("100 mg/15 mL", "30 mL", "2 tablets", "8 h"), a date ("25 Nov 2026"), a
    short parenthesis ("(PEG/RIG)", "(age 61)") and a phone number ("(312) 555-0142",
    "+1 312-555-0142")."""
    phones = [m.span() for m in _PHONE.finditer(text)
              if sum(c.isdigit() for c in m.group(0)) >= PHONE_DIGITS]
    spans = list(phones)
    for match in _KEEP.finditer(text):
        found = match.group(0)
        if found.startswith("(") and len(found[1:-1].split()) > SHORT_PARENTHESIS_WORDS:
            continue
        start, end = match.span()
        if any(start < b and a < end for a, b in phones):
            continue  # part of a phone number
        spans.append((start, end))
    return sorted(spans)


@dataclass(frozen=True)
class Cell:
    """One table cell. ``text`` first (bold if ``bold``), then ``sub`` lines under it.

    ``box``: an empty tick box to mark by hand. ``shaded``: light grey, nothing to write
    here (always with a word or dash too, so a photocopy still says it). ``big``: large
    type (phone numbers on the fridge sheet). ``labelled``: lines of a small label and a
    value in the cell's type, side by side ("After hours  (312) 555-0199"); every labelled
    cell of a document uses one label width, so the values line up. ``after``: plain body
    text under the labelled lines (a fax number, an email address: not to be rung).
    """

    text: str = ""
    sub: str = ""
    labelled: tuple[tuple[str, str], ...] = ()  # (label, value) lines: ("Office", "312…")
    after: str = ""
    bold: bool = False
    box: bool = False
    shaded: bool = False
    big: bool = False
    center: bool = False


@dataclass(frozen=True)
class Column:
    title: str
    weight: float  # share of the table's width
    center: bool = False


@dataclass(frozen=True)
class Row:
    """A table row, kept whole on one page. ``detail`` is printed under the cells of the
    table's ``detail_span`` columns (the rest of the row's cells grow to match)."""

    cells: tuple[Cell, ...]
    detail: str = ""
    min_height: float = 0.0  # points: room to write by hand
    #: Run in, in bold, before ``detail``: the marks a nurse must not miss ("HOLD …",
    #: "DOSE CHANGED: 1 tablet → 2 tablets").
    detail_lead: str = ""


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title: str = ""  # printed above; repeated with "(continued)" on later pages
    note: str = ""  # a short line under the title
    detail_span: tuple[int, int] | None = None  # [first, last) columns the detail spans
    empty: str = ""  # said instead of the table when there are no rows
    keep_together: bool = False  # start on a new page rather than split (short tables)
    #: The last ``spare_rows`` rows (blank rows to write in) are printed only while they
    #: fit on the page the table ends on; they never start a page of their own. A table
    #: of nothing but spare rows keeps its first one (a log is never only a title).
    spare_rows: int = 0

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"row has {len(row.cells)} cells for {len(self.columns)} "
                                 f"columns: {row.cells!r}")


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    boxed: bool = False  # a frame around it (rules, warnings)
    big: bool = False
    small: bool = False
    huge: bool = False  # the emergency number on the fridge sheet


@dataclass(frozen=True)
class Entries:
    """A titled, framed list: each item a bold ``lead`` run in with its ``text``, wrapped
    at full width. An item is kept whole on one page (the list goes on on the next page,
    its title marked "continued")."""

    title: str
    items: tuple[tuple[str, str], ...]  # (lead, text): ("baclofen", "Never stop it …")


@dataclass(frozen=True)
class WritingLines:
    """Ruled lines to write on, under ``title``: as many as the rest of the page holds
    (``fill``), or ``count`` when fewer would do, and never a page of its own. With room
    for fewer than ``count`` lines, the title says to go on on the back of the sheet; with
    no room for one line, the area is left out (an ``optional`` one also when fewer than
    ``count`` lines fit)."""

    title: str
    count: int
    spacing: float = 24.0  # points between lines
    optional: bool = False
    fill: bool = True  # grow to fill the rest of the page


@dataclass(frozen=True)
class Columns:
    """Groups of blocks side by side, each group in its share (``weights``) of the width,
    kept together on one page (a new one when they do not fit on this one). When they do
    not fit on a page even side by side, or (``keep_together`` false) on the rest of this
    one, they are printed one after the other instead."""

    parts: tuple[tuple[Heading | Paragraph | Table | Entries | WritingLines, ...], ...]
    weights: tuple[float, ...] = ()
    keep_together: bool = True

    def __post_init__(self) -> None:
        if self.weights and len(self.weights) != len(self.parts):
            raise ValueError("one weight per part")


Block = Heading | Paragraph | Table | Entries | WritingLines | Columns


@dataclass(frozen=True)
class PageHeader:
    """Printed at the top of every page of a section."""

    title: str  # "Daily medication checklist"
    period: str  # "Tuesday 1 December 2026"
    patient: str  # "Margaret Example · born 12 Apr 1965 · 58.5 kg"
    allergies: str  # "ALLERGIES: penicillin (hives)" or "No known allergies"
    short: str = ""  # "Tue 1 Dec": names the section in the footer of a several-day job


@dataclass(frozen=True)
class Section:
    header: PageHeader
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[Section, ...]
    landscape: bool = False
    footer: tuple[str, ...] = ()  # care-team numbers, rules: on every page
    stamp: str = ""  # "Printed 25 Nov 2026 14:02 · regimen version 3F9AC2"


__all__ = [
    "FSI",
    "LETTER_TERRITORIES",
    "PDI",
    "Block",
    "Cell",
    "Column",
    "Columns",
    "Document",
    "Entries",
    "Heading",
    "PageHeader",
    "Paper",
    "Paragraph",
    "Row",
    "Section",
    "Table",
    "WritingLines",
    "default_paper",
    "isolated",
    "no_break_spans",
    "paper_for",
]
