"""A small dialog to choose a period (and, for the calendar, how early to remind)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import ValidationError
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.widgets import DateEdit

MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included
    alarm_minutes: int = 0

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class PeriodDialog(SavingDialog):
    """From / to dates, checked next to the fields; optionally a reminder lead time."""

    def __init__(self, title: str, intro: str, first: date, last: date, *,
                 alarm_minutes: int | None = None, max_days: int = MAX_DAYS,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self._max_days = max_days
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.first_edit = self._date_edit(first, "First day")
        self.last_edit = self._date_edit(last, "Last day")
        for name, label, edit in (("first", "&From:", self.first_edit),
                                  ("last", "&To (included):", self.last_edit)):
            box, error = with_error(edit)
            form.addRow(label, box)
            self.errors.add(name, edit, error)
        self.alarm_edit: QSpinBox | None = None
        if alarm_minutes is not None:
            self.alarm_edit = QSpinBox()
            self.alarm_edit.setRange(0, 240)
            self.alarm_edit.setSingleStep(5)
            self.alarm_edit.setValue(alarm_minutes)
            self.alarm_edit.setSuffix(" minutes before")
            self.alarm_edit.setSpecialValueText("At the dose time")
            self.alarm_edit.setAccessibleName("Remind how many minutes before each dose")
            form.addRow("&Remind:", self.alarm_edit)
        layout.addLayout(form)
        general = ErrorLabel(self)
        layout.addWidget(general)
        self.errors.set_general(general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons

    # ---- Public API

    # ``ask(title, intro, first, last, alarm_minutes=, max_days=, parent=)``
    # (``SavingDialog``): the checked ``Period``, or None if cancelled.

    def save_form(self) -> Period:
        """The period chosen (nothing is saved here), checked."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems)
        return self.period()

    def show_errors(self, errors: Mapping[str, str]) -> None:
        super().show_errors(errors)
        if errors:
            self.adjustSize()

    def period(self) -> Period:
        """The days typed; ``ValidationError`` when one is not a date ("31 Feb")."""
        return Period(self.first_edit.value(), self.last_edit.value(),
                      self.alarm_edit.value() if self.alarm_edit is not None else 0)

    def problems(self) -> dict[str, str]:
        try:
            period = self.period()
        except ValidationError as exc:
            return dict(exc.errors)
        if period.last < period.first:
            return {"last": "The last day cannot be before the first day."}
        if period.days > self._max_days:
            return {"last": f"Choose at most {self._max_days} days."}
        return {}

    # ---- Private

    @staticmethod
    def _date_edit(value: date, name: str) -> DateEdit:
        edit = DateEdit(accessible_name=name)
        edit.set_value(value)
        return edit

