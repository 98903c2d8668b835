"""Issue #12 item 4: every date field keeps to the days the records keep (1900-2200)."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import QDate

from caregiver_app.domain.values import EARLIEST_DAY, LATEST_DAY
from caregiver_app.ui.widgets import DateEdit, DateTimeEdit, OptionalDate


def _within(edit: DateEdit) -> bool:
    return (edit.minimumDate() >= QDate(EARLIEST_DAY).addDays(-1)  # (a "none" value)
            and edit.maximumDate() <= QDate(LATEST_DAY))


def test_every_date_field_of_the_window_stops_at_1900_and_2200(ctx, qtbot):
    edits = ctx.window.findChildren(DateEdit)
    assert edits, "the window has date fields (the Today tab's day)"
    assert [e.accessibleName() for e in edits if not _within(e)] == []


def test_the_forms_date_fields_take_1900_to_2200_and_nothing_beyond(qtbot):
    edit = DateEdit(accessible_name="Start")
    optional = OptionalDate("Has a last day", accessible_name="Last day",
                            default=EARLIEST_DAY)
    qtbot.addWidget(edit)
    qtbot.addWidget(optional)
    for field in (edit, optional.edit):
        assert field.minimumDate() == QDate(EARLIEST_DAY)
        assert field.maximumDate() == QDate(LATEST_DAY)
        field.setDate(QDate(9999, 12, 31))
        assert field.date() == QDate(LATEST_DAY)


def test_a_day_and_time_field_takes_1900_to_2200_and_nothing_beyond(qtbot):
    edit = DateTimeEdit(accessible_name="From", value=datetime(2026, 12, 6, 9, 0))
    qtbot.addWidget(edit)
    edit.set_value(datetime(9999, 12, 31, 12, 0))
    assert edit.value() == datetime.combine(LATEST_DAY, time(23, 59))
    edit.set_value(datetime(1000, 1, 1, 12, 0))
    assert edit.value() == datetime.combine(EARLIEST_DAY, time(0, 0))
