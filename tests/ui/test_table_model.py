"""ui.table_model: one table (or list) model whose columns are declared once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from caregiver_app.ui.table_model import (
    RECORD_ROLE,
    RecordListModel,
    RecordTableModel,
    TableColumn,
)


@dataclass
class Person:
    name: str
    phone: str
    active: bool = True


GREY = QColor("#5f5f5f")
COLUMNS = [
    TableColumn("Name", lambda p: p.name, accessible=lambda p: f"{p.name}, call {p.phone}"),
    TableColumn("Phone", lambda p: p.phone, tooltip=lambda p: f"Call {p.phone}",
                roles={Qt.ItemDataRole.ForegroundRole: lambda p: None if p.active else GREY},
                alignment=Qt.AlignmentFlag.AlignRight),
]


def _cell(model, row, column, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def test_each_record_reads_in_its_columns(qapp):
    ana, ben = Person("Ana", "555-0101"), Person("Ben", "555-0102", active=False)
    model = RecordTableModel(COLUMNS, [ana, ben])
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == [
        "Name", "Phone"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None  # no row numbers asked
    assert [[_cell(model, r, c) for c in range(2)] for r in range(2)] == [
        ["Ana", "555-0101"], ["Ben", "555-0102"]]
    assert _cell(model, 0, 0, Qt.ItemDataRole.AccessibleTextRole) == "Ana, call 555-0101"
    assert _cell(model, 0, 1, Qt.ItemDataRole.AccessibleTextRole) == "555-0101"
    assert _cell(model, 1, 1, Qt.ItemDataRole.ToolTipRole) == "Call 555-0102"
    assert _cell(model, 1, 0, Qt.ItemDataRole.ToolTipRole) is None
    assert _cell(model, 0, 1, Qt.ItemDataRole.ForegroundRole) is None
    assert _cell(model, 1, 1, Qt.ItemDataRole.ForegroundRole) == GREY
    assert _cell(model, 0, 1, Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignRight
    assert _cell(model, 1, 0, RECORD_ROLE) is ben
    assert model.data(model.index(5, 0)) is None and model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children


def test_records_change_as_a_view_expects(qapp, qtbot):
    model = RecordTableModel(COLUMNS, row_numbers=True)
    with qtbot.waitSignal(model.modelReset):
        model.set_records([Person("Ana", "1")])
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.insert_record(0, Person("Zoe", "2"))
    assert inserted.args[1:] == [0, 0]
    assert [p.name for p in model.records()] == ["Zoe", "Ana"]
    assert model.headerData(1, Qt.Orientation.Vertical) == "2"
    assert model.row_where(lambda p: p.name == "Ana") == 1
    assert model.row_where(lambda p: p.name == "Max") == -1
    model.record(1).phone = "3"
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_row(1)
    assert (changed.args[0].row(), changed.args[1].column()) == (1, 1)
    assert _cell(model, 1, 1) == "3"


@dataclass(frozen=True)
class Step:
    amount: float
    unit: str


def _amount(step: Step, value: object) -> Step | None:
    try:
        return Step(float(str(value)), step.unit)
    except ValueError:
        return None


STEP_COLUMNS = [
    TableColumn("Amount", lambda s: f"{s.amount:g}", edit=lambda s: s.amount, set=_amount),
    TableColumn("Unit", lambda s: s.unit),
]


def test_a_column_with_set_is_typed_into_and_a_refused_value_keeps_the_cell(
        qapp, qtbot, qtmodeltester):
    model = RecordTableModel(STEP_COLUMNS, [Step(1, "tablet")],
                             row_title=lambda row: f"Step {row + 1}")
    qtmodeltester.check(model)
    amount, unit = model.index(0, 0), model.index(0, 1)
    assert model.flags(amount) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(unit) & Qt.ItemFlag.ItemIsEditable
    assert model.data(amount, Qt.ItemDataRole.EditRole) == 1.0
    assert model.headerData(0, Qt.Orientation.Vertical) == "Step 1"
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.setData(amount, "2.5")
    assert changed.args[0] == amount
    assert model.record(0) == Step(2.5, "tablet") and _cell(model, 0, 0) == "2.5"
    assert not model.setData(amount, "lots")  # the cell keeps what it had
    assert not model.setData(unit, "mL")  # not editable
    assert model.record(0) == Step(2.5, "tablet")


def test_rows_are_added_removed_and_replaced_as_a_view_expects(qapp, qtbot):
    model = RecordTableModel(STEP_COLUMNS, [Step(1, "tablet")])
    with qtbot.waitSignal(model.rowsInserted):
        assert model.append_record(Step(2, "tablet")) == 1
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_record(0, Step(3, "mL"))
    assert (changed.args[0].row(), changed.args[1].column()) == (0, 1)
    with qtbot.waitSignal(model.dataChanged) as changed:  # same rows, one signal
        model.update_records([Step(4, "mL"), Step(5, "mL")])
    assert (changed.args[0].row(), changed.args[1].row()) == (0, 1)
    with pytest.raises(ValueError):
        model.update_records([Step(4, "mL")])
    with qtbot.waitSignal(model.rowsRemoved):
        model.remove_record(0)
    assert model.records() == [Step(5, "mL")]
    model.remove_record(7)  # no such row: nothing happens
    assert model.rowCount() == 1


def test_a_list_is_a_table_of_one_column_indexed_by_row(qapp, qtmodeltester):
    model = RecordListModel(TableColumn("Name", lambda p: p.name),
                            [Person("Ana", "1"), Person("Ben", "2")])
    qtmodeltester.check(model)
    assert model.columnCount() == 1
    assert model.index(1).data() == "Ben"
    assert model.index(1).data(RECORD_ROLE) == Person("Ben", "2")


def test_a_column_editable_for_some_rows_only_offers_an_editor_there(qapp):
    column = TableColumn("Phone", lambda p: p.phone,
                         set=lambda p, value: Person(p.name, str(value), p.active),
                         editable=lambda p: p.active)
    model = RecordTableModel([COLUMNS[0], column],
                             [Person("Ana", "555-0101"), Person("Ben", "555-0102", False)])
    editable = Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 1)) & editable
    assert not model.flags(model.index(1, 1)) & editable
    assert not model.flags(model.index(0, 0)) & editable


@dataclass
class Team:
    title: str
    people: list[Person]


def test_a_tree_of_groups_and_their_records(qapp, qtbot, qtmodeltester):
    from caregiver_app.ui.table_model import RecordTreeModel

    title_role = Qt.ItemDataRole.UserRole + 5
    model = RecordTreeModel(
        COLUMNS, members=lambda team: team.people,
        group_column=TableColumn("", lambda team: f"{team.title} ({len(team.people)})",
                                 accessible=lambda team: f"Group: {team.title}"),
        group_roles={title_role: lambda team: team.title},
        group_flags=Qt.ItemFlag.NoItemFlags)
    ana, ben, cy = Person("Ana", "555-0101"), Person("Ben", "555-0102"), Person("Cy", "1")
    with qtbot.waitSignal(model.modelReset):
        model.set_groups([Team("Nurses", [ana, ben]), Team("Doctors", [cy]), Team("None", [])])
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 2
    nurses = model.index(0, 0)
    assert [model.rowCount(model.index(g, 0)) for g in range(3)] == [2, 1, 0]
    assert model.rowCount(model.index(0, 1)) == 0  # only the first column has children
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Phone"
    # a group row: its own first cell, its roles in every cell, nothing else
    assert nurses.data() == "Nurses (2)"
    assert nurses.data(Qt.ItemDataRole.AccessibleTextRole) == "Group: Nurses"
    assert model.index(0, 1).data() is None and model.index(0, 1).data(title_role) == "Nurses"
    assert model.flags(nurses) == Qt.ItemFlag.NoItemFlags
    assert model.record_at(nurses) is None and model.group_at(nurses).title == "Nurses"
    # a record row: read through the columns, as in a table
    bens_phone = model.index(1, 1, nurses)
    assert bens_phone.data() == "555-0102"
    assert bens_phone.data(Qt.ItemDataRole.ToolTipRole) == "Call 555-0102"
    assert bens_phone.data(RECORD_ROLE) is ben
    assert model.index(0, 0, nurses).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Ana, call 555-0101")
    assert model.parent(bens_phone) == nurses
    assert model.record_at(bens_phone) is ben and model.group_at(bens_phone).title == "Nurses"
    assert model.flags(bens_phone) & Qt.ItemFlag.ItemIsSelectable
    # found by what they hold
    assert model.index_where(lambda p: p.name == "Cy", 1) == model.index(0, 1, model.index(1, 0))
    assert not model.index_where(lambda p: p.name == "Dee").isValid()
    assert model.group_index_where(lambda t: t.title == "Doctors") == model.index(1, 0)
    assert model.records() == [ana, ben, cy]
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_groups([Qt.ItemDataRole.DisplayRole])
    assert [i.row() for i in changed.args[:2]] == [0, 2]
