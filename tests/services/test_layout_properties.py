"""The layout's promises for any content: rows are never split and never run into the
footer, nothing is lost or reordered, and every section starts on its own page."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caregiver_app.domain.paper import (
    Cell,
    Column,
    Columns,
    Document,
    Entries,
    PageHeader,
    Paper,
    Paragraph,
    Row,
    Section,
    Table,
    WritingLines,
)

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=30)
TEXT = st.lists(WORDS, min_size=0, max_size=25).map(" ".join)
HUGE = st.integers(min_value=300, max_value=500).map(  # a very long note
    lambda n: " ".join(f"note{i}" for i in range(n)))
COLUMNS = (Column("Time", 0.6), Column("Medicine", 2.0), Column("Dose", 1.0),
           Column("Given", 0.6, center=True))


@st.composite
def rows(draw, prefix: str):
    count = draw(st.integers(min_value=0, max_value=45))
    return tuple(
        Row(cells=(Cell(f"{prefix}{i:03d}", bold=True), Cell(draw(TEXT), sub=draw(TEXT)),
                   Cell(draw(st.one_of(TEXT, HUGE) if i == 3 else TEXT)),
                   Cell(box=draw(st.booleans()))),
            detail=draw(st.one_of(TEXT, HUGE) if i == 5 else TEXT),
            min_height=draw(st.sampled_from([0.0, 26.0, 60.0])))
        for i in range(count))


@st.composite
def documents(draw):
    sections = []
    for s in range(draw(st.integers(min_value=1, max_value=3))):
        blocks = [Table(columns=COLUMNS, rows=draw(rows(f"s{s}r")), title="Doses",
                        detail_span=(0, 3), empty="None"),
                  Paragraph(draw(TEXT), boxed=draw(st.booleans())),
                  WritingLines("Notes", draw(st.integers(min_value=1, max_value=6)))]
        sections.append(Section(PageHeader("Sheet", f"Day {s}", "Patient", "No known "
                                           "allergies"), tuple(blocks)))
    return Document("t", tuple(sections), landscape=draw(st.booleans()),
                    footer=(draw(TEXT),), stamp="stamp")


@pytest.fixture(scope="module")
def writers(tmp_path_factory, qapp):
    from PySide6.QtGui import QPdfWriter

    from caregiver_app.services.printing.renderer import page_layout

    made = {}
    for paper in Paper:
        for landscape in (False, True):
            writer = QPdfWriter(str(tmp_path_factory.mktemp("w") / "x.pdf"))
            writer.setResolution(300)
            writer.setPageLayout(page_layout(paper, landscape))
            made[(paper, landscape)] = writer
    return made


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=documents(), paper=st.sampled_from(list(Paper)))
def test_rows_stay_whole_inside_the_body_in_order(writers, document, paper):
    from caregiver_app.services.printing.renderer import layout_document

    pages = layout_document(document, writers[(paper, document.landscape)])
    placed = [r for p in pages for r in p.rows]
    expected = [row.cells[0].text for s in document.sections for b in s.blocks
                if isinstance(b, Table) for row in b.rows]
    assert placed == expected  # nothing lost, nothing repeated, order kept
    for page in pages:
        top, bottom = page.body
        for start, end in page.row_spans:
            assert top - 0.5 <= start and end <= bottom + 0.5
    firsts = [p.section for p in pages if not p.continued]
    assert firsts == list(range(len(document.sections)))  # each section on a new page


def _layout(writers, document, paper):
    from caregiver_app.services.printing.renderer import layout_document

    return layout_document(document, writers[(paper, document.landscape)])


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=documents(), paper=st.sampled_from(list(Paper)))
def test_a_notes_area_never_takes_a_page_of_its_own(writers, document, paper):
    from dataclasses import replace

    without = replace(document, sections=tuple(
        replace(s, blocks=tuple(b for b in s.blocks if not isinstance(b, WritingLines)))
        for s in document.sections))
    assert len(_layout(writers, document, paper)) == len(_layout(writers, without, paper))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(left=rows("L"), right=rows("R"), spare=st.integers(min_value=0, max_value=8),
       items=st.lists(st.tuples(WORDS, st.one_of(TEXT, HUGE)), max_size=6),
       paper=st.sampled_from(list(Paper)), landscape=st.booleans())
def test_side_by_side_and_lists_keep_rows_whole_and_spare_rows_never_start_a_page(
        writers, left, right, spare, items, paper, landscape):
    blank = tuple(Row(cells=(Cell(f"B{i:03d}"), Cell(), Cell(), Cell()), min_height=26.0)
                  for i in range(spare))
    log = Table(columns=COLUMNS, rows=(*right, *blank), title="Log", spare_rows=spare)
    blocks = (Table(columns=COLUMNS, rows=left, title="Doses", detail_span=(0, 3)),
              Entries("How to give", tuple(items)),
              Columns(parts=((Paragraph("protocol"), WritingLines("Notes", 3)), (log,)),
                      weights=(0.7, 1.0)))
    document = Document("t", (Section(PageHeader("Sheet", "Day", "Patient", "None"),
                                      blocks),), landscape=landscape, footer=("f",), stamp="s")
    pages = _layout(writers, document, paper)
    placed = [r for p in pages for r in p.rows]
    mandatory = [r.cells[0].text for r in (*left, *right)]
    assert placed[:len(mandatory)] == mandatory  # nothing lost, order kept
    assert placed[len(mandatory):] == [r.cells[0].text for r in blank][:len(placed)
                                                                      - len(mandatory)]
    for page in pages:
        top, bottom = page.body
        for start, end in page.row_spans:
            assert top - 0.5 <= start and end <= bottom + 0.5
    if blank:  # the spare rows alone never make the sheet longer
        # (a table of nothing but spare rows keeps its first: a log is never just a title)
        no_spare = Table(columns=COLUMNS, rows=right or blank[:1], title="Log")
        fewer = Document("t", (Section(document.sections[0].header, (
            *blocks[:2], Columns(parts=(blocks[2].parts[0], (no_spare,)),
                                 weights=(0.7, 1.0)))),),
            landscape=landscape, footer=("f",), stamp="s")
        assert len(pages) == len(_layout(writers, fewer, paper))
