"""Input widgets shared by the tabs' forms.

- ``DateEdit``: a date with a calendar, written "Tue 1 Dec 2026" (the mouse wheel changes
  it only after a click into it: ``ui.wheel``).
- ``OptionalDate``: a tick box and a date ("Has a last day: 12 Dec 2026"), for dates that
  may be unknown, so nothing stands in for "no date" inside the date field itself.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDateTimeEdit, QHBoxLayout, QWidget

from caregiver_app.domain.values import EARLIEST_DAY, LATEST_DAY

DATE_FORMAT = "ddd d MMM yyyy"


def keep_in_range(edit: QDateTimeEdit) -> QDateTimeEdit:
    """Limit a date (or date-and-time) field to the days the records keep, 1900-2200
    (``domain.values``), keeping any tighter limit it already has. Returns ``edit``."""
    if edit.minimumDate() < QDate(EARLIEST_DAY):
        edit.setMinimumDate(QDate(EARLIEST_DAY))
    if edit.maximumDate() > QDate(LATEST_DAY):
        edit.setMaximumDate(QDate(LATEST_DAY))
    return edit


class DateEdit(QDateEdit):
    def __init__(self, *, accessible_name: str, earliest: date = EARLIEST_DAY,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)
        self.setDateRange(QDate(earliest), QDate(LATEST_DAY))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def value(self) -> date:
        return self.date().toPython()

    def set_value(self, value: date) -> None:
        self.setDate(QDate(value))


class OptionalDate(QWidget):
    """A tick box ("Has a review date") and a date, enabled when ticked."""

    changed = Signal()
    """The tick box or the date changed."""

    def __init__(self, check_text: str, *, accessible_name: str, default: date,
                 earliest: date = EARLIEST_DAY, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.check.setAccessibleName(f"{accessible_name}: set")
        self.edit = DateEdit(accessible_name=accessible_name, earliest=earliest)
        self.edit.set_value(default)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return self.edit.value() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.set_value(value)
