"""Lists fitted by ``ui.columns.keep_fitted``: in a list too narrow for its texts, every
cell and column title still reads whole (wrapped, the row and the header growing), and
the layout checker (``tests/layout_check.py``) sees the difference: it reports the same
list cut when it is not fitted."""

from __future__ import annotations

import pytest
from layout_check import _cells
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView, QTreeView

from caregiver_app.ui.columns import WrappingHeader, keep_fitted, shared_widths

DOSES = [
    ("Mon 7 Dec 2026 20:00", "2 tablets of the 5 mg tablet, by mouth",
     "Step 2 of 2: 10 mg three times a day until the neurologist says otherwise"),
    ("Tue 8 Dec 2026 08:00", "1 tablet (50 mg), by mouth, 1 hour before a meal",
     "Take on an empty stomach"),
]
TITLES = ["When it is due", "Dose to give at that time", "What to know now"]


def _model(parent) -> QStandardItemModel:
    model = QStandardItemModel(0, 3, parent)
    model.setHorizontalHeaderLabels(TITLES)
    for row in DOSES:
        model.appendRow([QStandardItem(text) for text in row])
    return model


def _show(qtbot, view, width: int = 330) -> None:
    qtbot.addWidget(view)
    view.resize(width, 400)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(1)  # the fit waits for the events already queued


@pytest.mark.parametrize("kind", [QTableView, QTreeView])
def test_a_narrow_list_is_cut_unless_fitted(qtbot, kind):
    plain = kind()
    plain.setModel(_model(plain))
    _show(qtbot, plain)
    checked, cut = _cells(plain)
    assert checked == 9 and len(cut) >= 3, cut  # the checker sees the cut texts

    fitted = kind()
    fitted.setModel(_model(fitted))
    keep_fitted(fitted)
    _show(qtbot, fitted)
    checked, cut = _cells(fitted)
    assert checked == 9
    assert cut == []
    header = fitted.horizontalHeader() if kind is QTableView else fitted.header()
    assert isinstance(header, WrappingHeader)
    # no sideways scrolling needed: every word fits, the columns share the width
    assert sum(header.sectionSize(c) for c in range(3)) <= fitted.viewport().width()
    # the rows grew for their wrapped lines, the header for its titles
    line = fitted.fontMetrics().height()
    assert fitted.visualRect(fitted.model().index(0, 1)).height() >= 2 * line
    assert header.height() >= 2 * header.fontMetrics().height()


def test_columns_follow_the_width_and_new_rows(qtbot):
    view = QTableView()
    model = _model(view)
    view.setModel(model)
    keep_fitted(view, whole=(0,))
    _show(qtbot, view, width=900)
    wide = view.columnWidth(1)
    view.resize(420, 400)
    qtbot.waitUntil(lambda: view.columnWidth(1) < wide)
    qtbot.waitUntil(lambda: _cells(view)[1] == [])  # the header grows once laid out
    # a dose added later reads whole too; the date column never wraps
    model.appendRow([QStandardItem("Wed 9 Dec 2026 14:00"),
                     QStandardItem("3 tablets of the 10 mg tablet crushed in apple sauce"),
                     QStandardItem("")])
    qtbot.waitUntil(lambda: _cells(view)[1] == [])
    date = view.fontMetrics().horizontalAdvance("Wed 9 Dec 2026 14:00")
    assert view.columnWidth(0) > date


def test_group_titles_across_a_tree_keep_their_width(qtbot):
    """A care-team-like tree: group rows span the row; their children wrap."""
    tree = QTreeView()
    model = QStandardItemModel(0, 3, tree)
    model.setHorizontalHeaderLabels(["Name", "Organisation", "Phone"])
    group = QStandardItem("Respiratory therapist (1)")
    group.appendRow([QStandardItem("Marcus Reed, RRT"),
                     QStandardItem("BreatheWell Home Respiratory (example)"),
                     QStandardItem("+1 312-555-0166")])
    model.appendRow(group)
    tree.setModel(model)
    tree.expandAll()
    tree.setFirstColumnSpanned(0, model.indexFromItem(group).parent(), True)
    keep_fitted(tree, whole=(2,))
    _show(qtbot, tree, width=360)
    checked, cut = _cells(tree)
    assert checked >= 5 and cut == []
    phone = model.index(0, 2, model.index(0, 0))
    assert tree.visualRect(phone).width() >= tree.fontMetrics().horizontalAdvance(
        "+1 312-555-0166")
    assert Qt.TextFlag.TextWordWrap & tree.header().defaultAlignment()


def test_rows_scrolled_into_view_grow_for_their_text(qtbot):
    """A long history: the rows are sized as they come into view (not all at each
    refit); scrolled down with the wheel, every row shown is as tall as its text."""
    from gui_paths import wheel

    view = QTableView()
    model = _model(view)
    for number in range(120):
        model.appendRow([QStandardItem(f"Day {number}"),
                         QStandardItem("2 tablets of the 5 mg tablet, by mouth, crushed"),
                         QStandardItem("Given by Ana Helper (AH), recorded a moment later")])
    view.setModel(model)
    keep_fitted(view)
    _show(qtbot, view)
    qtbot.waitUntil(lambda: view.rowHeight(0) >= 2 * view.fontMetrics().height())
    for _ in range(40):
        wheel(view.viewport(), -3)
    first = view.rowAt(0)
    assert first > 60  # well below the rows sized at first

    def rows_shown() -> list[int]:
        return [r for r in range(first, model.rowCount())
                if view.rowViewportPosition(r) < view.viewport().height()]

    assert rows_shown()
    for row in rows_shown():
        assert view.rowHeight(row) >= view.sizeHintForRow(row) - 1, row


def test_room_is_shared_by_narrowing_the_widest_columns_first_never_below_a_word():
    natural = {"name": 300, "dose": 120, "notes": 500}
    floor = {"name": 100, "dose": 120, "notes": 150}
    assert shared_widths(natural, floor, 1000) == natural  # all fit: as they are
    shared = shared_widths(natural, floor, 600)
    assert shared["dose"] == 120  # the narrow one keeps its width
    assert shared["name"] == shared["notes"]  # the wide ones meet at one level
    assert sum(shared.values()) <= 600 and sum(shared.values()) > 600 - 2
    squeezed = shared_widths(natural, floor, 200)  # not enough room for the words
    assert squeezed == floor
