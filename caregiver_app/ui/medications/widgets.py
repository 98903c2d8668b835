"""Small input widgets for the medicine forms.

- ``SpinBox``, ``ComboBox``: take the keyboard focus on Tab; the mouse wheel changes them
  only after a click into them (``ui.wheel``), so scrolling a form never changes a value.
- ``DateEdit`` and ``OptionalDate`` ("Has a last day: 12 Dec 2026") live in
  ``caregiver_app.ui.widgets`` (the patient profile uses them too).
- ``SearchEdit`` and ``ChoiceList``: Enter picks the entry instead of pressing the
  dialog's Save button; Down and Up in the search box move through the matches (the
  typing stays in the box); Tab goes into the list.
- ``TimesEdit`` and ``parse_times``: times of day typed as "08:00, 20:00" (also "8am",
  "8.30 pm", "20h30").
"""

from __future__ import annotations

import re
from datetime import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QListView,
    QSpinBox,
    QWidget,
)

from caregiver_app.ui.widgets import DATE_FORMAT, DateEdit, OptionalDate, fit_placeholder

__all__ = ["DATE_FORMAT", "ChoiceList", "ComboBox", "DateEdit", "MinutesSpin", "OptionalDate",
           "SearchEdit", "SpinBox", "TimesEdit", "format_times", "parse_times"]

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

_TIME_TOKEN = re.compile(
    r"(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?(?!\d)\s*(a\.?m\.?|p\.?m\.?)?", re.IGNORECASE)
_SEPARATORS = re.compile(r"^[\s,;/&+]*(?:and)?[\s,;/&+]*$", re.IGNORECASE)


def parse_times(text: str) -> tuple[time, ...]:
    """Times of day in ``text`` ("08:00, 20:00", "8am and 8pm"), in the order typed.

    Raises ValueError with a plain message when something is not a time.
    """
    found: list[time] = []
    position = 0
    for match in _TIME_TOKEN.finditer(text):
        if not _SEPARATORS.match(text[position:match.start()]):
            break
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").replace(".", "").lower()
        if suffix:
            if not 1 <= hour <= 12:
                raise ValueError(f"{match.group(0).strip()} is not a time of day.")
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValueError(f"{match.group(0).strip()} is not a time of day.")
        found.append(time(hour, minute))
        position = match.end()
    if not _SEPARATORS.match(text[position:]):
        raise ValueError("Write times like 08:00, 14:00, 20:00.")
    return tuple(found)


def format_times(times: tuple[time, ...]) -> str:
    return ", ".join(t.strftime("%H:%M") for t in times)


class SpinBox(QSpinBox):
    def __init__(self, low: int, high: int, *, accessible_name: str, suffix: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(low, high)
        self.setSuffix(suffix)
        self.setAccessibleName(accessible_name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_units(self, one: str, many: str) -> None:
        """Suffixes for 1 and for other values: " day later" / " days later"."""
        def update(value: int) -> None:
            self.setSuffix(one if value == 1 else many)
        self.valueChanged.connect(update)
        update(self.value())


_DURATION = re.compile(r"^\s*(?:(\d+)\s*h[a-z]*)?\s*(?:(\d+)\s*(?:m[a-z]*)?)?\s*$",
                       re.IGNORECASE)


class MinutesSpin(SpinBox):
    """A number of minutes shown and typed as hours and minutes: "8 h", "1 h 30 min",
    "45 min" (also typed "90", "2h30", "2 hours 30 minutes")."""

    def textFromValue(self, value: int) -> str:
        hours, minutes = divmod(value, 60)
        if hours and minutes:
            return f"{hours} h {minutes} min"
        return f"{hours} h" if hours else f"{minutes} min"

    def valueFromText(self, text: str) -> int:
        value = self._minutes(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int):
        value = self._minutes(text)
        state = (QValidator.State.Acceptable
                 if value is not None and self.minimum() <= value <= self.maximum()
                 else QValidator.State.Intermediate)
        return state, text, pos

    def _minutes(self, text: str) -> int | None:
        suffix = self.suffix()
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
        text = text.strip()
        if text.isdigit():
            return int(text)
        match = _DURATION.match(text)
        if not match or not (match.group(1) or match.group(2)):
            return None
        return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


class ComboBox(QComboBox):
    def __init__(self, *, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Long choices ("feeding tube (PEG/RIG)") must not widen the whole form.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)

    def select_data(self, value: object) -> None:
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)


class TimesEdit(QLineEdit):
    """Times of day, typed: "08:00, 20:00"."""

    def __init__(self, *, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        fit_placeholder(self, "for example 08:00, 20:00", "08:00, 20:00")

    def times(self) -> tuple[time, ...]:
        """The times typed; raises ValueError with a message for the field."""
        return parse_times(self.text())

    def set_times(self, times: tuple[time, ...]) -> None:
        self.setText(format_times(times))


class SearchEdit(QLineEdit):
    """A search box above a list: Enter emits ``returnPressed`` and stops there (the
    dialog's default button is not pressed); Down and Up choose the next or previous
    match in ``list_view``, while the typing stays here."""

    def __init__(self, *, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setClearButtonEnabled(True)
        self.list_view: QAbstractItemView | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS:
            self.returnPressed.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.list_view is not None:
            self._move_through_matches(1 if event.key() == Qt.Key.Key_Down else -1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _move_through_matches(self, step: int) -> None:
        """The next (or previous) match becomes the chosen one; the typing stays here."""
        assert self.list_view is not None
        model = self.list_view.model()
        rows = model.rowCount() if model is not None else 0
        if not rows:
            return
        current = self.list_view.currentIndex()
        row = min(max((current.row() if current.isValid() else -1) + step, 0), rows - 1)
        index = model.index(row, 0)
        self.list_view.setCurrentIndex(index)
        self.list_view.scrollTo(index)
        # (a screen reader hears which match, as the focus stays in the search box)
        self.setAccessibleDescription(f"{row + 1} of {rows}: {index.data()}")


class ChoiceList(QListView):
    """A list where Enter means "use this one": it emits ``activated`` and stops there."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)
