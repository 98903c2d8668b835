"""The Today tab's small dialogs: given at a time, skipped with a reason, correct a record.

Each is a ``SavingDialog``: the caller passes a ``save`` function that writes through
the ``MedicationBook`` and may raise ``ValidationError``; its messages are shown next to
their fields and the dialog stays open, so nothing is half-saved and the caregiver never
loses what they typed. ``ask()`` returns what ``save`` returned, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.doses import FUTURE_TOLERANCE, EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import resolve_wall_time, to_utc
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.tones import Tone, keep_toned
from caregiver_app.ui.widgets import DateTimeEdit

# ---- Wall-clock time fields


def wall_time_edit(moment: datetime, zone: ZoneInfo, now: datetime) -> DateTimeEdit:
    """A day-and-time field showing ``moment`` as the patient's wall-clock time, typed
    into ("7:45", "yesterday 21:30") or chosen on a calendar, that cannot go past now
    (plus the few minutes clocks may drift): a later time is refused next to it."""
    wall_now = to_utc(now).astimezone(zone).replace(tzinfo=None)
    latest = to_utc(now + FUTURE_TOLERANCE).astimezone(zone).replace(tzinfo=None)
    return DateTimeEdit(accessible_name="Time given",
                        value=to_utc(moment).astimezone(zone).replace(tzinfo=None),
                        now=lambda: wall_now, latest=latest,
                        too_late=f"That is later than now ({wall_now:%H:%M}): a dose is "
                                 "recorded once it has been given.")


def set_wall(edit: DateTimeEdit, wall: datetime) -> None:
    edit.set_value(wall)


def wall_of(edit: DateTimeEdit, zone: ZoneInfo) -> datetime:
    """The field's wall-clock time in ``zone`` as an aware UTC instant;
    ``ValidationError`` (under the field's name) when its text is not a day and time."""
    return resolve_wall_time(edit.value(), zone)


def _warning_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    keep_toned(label, Tone.WARNING)
    label.setAccessibleName("Warning")
    label.hide()
    return label


def _show_warnings(label: QLabel, warnings: Sequence[str]) -> None:
    label.setText("\n".join(f"⚠ {w}" for w in warnings))
    label.setVisible(bool(warnings))


# ---- Given


class GivenDialog(SavingDialog):
    """Record a dose as given at a chosen time, seeing any warning first (early, late,
    an as-needed limit) and giving a reason where one is needed."""

    not_saved = "This dose was not recorded"

    def __init__(self, *, what: str, default_at: datetime, zone: ZoneInfo, now: datetime,
                 check: Callable[[datetime], list[str]],
                 reason_required: Callable[[list[str]], bool],
                 save: Callable[[datetime, str], object], choose_time: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Record as given")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._zone = zone
        self._check = check
        self._reason_required = reason_required
        self._save = save

        layout = QVBoxLayout(self)
        heading = QLabel(what)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        layout.addWidget(heading)
        form = QFormLayout()
        self.time_edit = wall_time_edit(default_at, zone, now)
        self.time_edit.setAccessibleName("Time given")
        self.time_edit.setEnabled(choose_time)
        box, label = with_error(self.time_edit)
        self.errors.add("given_at", self.time_edit, label)
        form.addRow("&Given at:", box)
        self.warnings = _warning_label()
        form.addRow(self.warnings)
        self.reason_label = QLabel()
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Reason or note")
        self.reason_label.setBuddy(self.reason_edit)
        box, label = with_error(self.reason_edit)
        self.errors.add("note", self.reason_edit, label)
        self.errors.add("override_reason", self.reason_edit, label)
        form.addRow(self.reason_label, box)
        layout.addLayout(form)
        general = ErrorLabel()
        self.errors.set_general(general)
        layout.addWidget(general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton("&Record as given",
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok_button.setDefault(True)  # (in the dialog: else Cancel, the first)
        self.time_edit.dateTimeChanged.connect(self._update_warnings)
        self._update_warnings()

    # ---- Public API

    def save_form(self) -> object:
        return self._save(wall_of(self.time_edit, self._zone), self.reason_edit.text().strip())

    # ---- Private

    def _update_warnings(self) -> None:
        warnings = self._check(wall_of(self.time_edit, self._zone))
        _show_warnings(self.warnings, warnings)
        if self._reason_required(warnings):
            self.reason_label.setText("&Why give it anyway? (needed)")
            self.ok_button.setText("Record &anyway")
        else:
            self.reason_label.setText("&Note (optional):")
            self.ok_button.setText("&Record as given")


# ---- Skipped


class SkipDialog(SavingDialog):
    """Record that a due dose was not given, and why ("other" needs a note)."""

    not_saved = "This dose was not recorded"

    def __init__(self, *, what: str, save: Callable[[SkipReason, str], object],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Not given")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._save = save
        layout = QVBoxLayout(self)
        heading = QLabel(what)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(QLabel("Why was it not given?"))
        self.reasons = QButtonGroup(self)
        self.reason_buttons: dict[SkipReason, QRadioButton] = {}
        for reason in SkipReason:
            label = reason.label if reason is not SkipReason.OTHER else "Other (write why below)"
            button = QRadioButton(label[0].upper() + label[1:])
            button.setAccessibleName(f"Reason: {label}")
            self.reasons.addButton(button)
            self.reason_buttons[reason] = button
            layout.addWidget(button)
        # No reason is chosen for the person: "Refused" ticked in advance was saved
        # whenever they pressed Enter without reading the list.
        self.reason_error = ErrorLabel()
        layout.addWidget(self.reason_error)
        self.errors.add("skip_reason", next(iter(self.reason_buttons.values())),
                        self.reason_error)
        form = QFormLayout()
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName("Note")
        box, label = with_error(self.note_edit)
        self.errors.add("note", self.note_edit, label)
        form.addRow("&Note:", box)
        layout.addLayout(form)
        general = ErrorLabel()
        self.errors.set_general(general)
        layout.addWidget(general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("&Record as not given", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ok.setDefault(True)  # (in the dialog: else Cancel, the first)

    def reason(self) -> SkipReason | None:
        """The reason ticked, None until the person ticks one."""
        return next((r for r, b in self.reason_buttons.items() if b.isChecked()), None)

    def save_form(self) -> object:
        reason = self.reason()
        if reason is None:
            raise ValidationError({"skip_reason": "Choose why it was not given."})
        return self._save(reason, self.note_edit.text().strip())


# ---- Corrections


@dataclass(frozen=True)
class Correction:
    kind: EntryKind
    given_at: datetime | None = None
    skip_reason: SkipReason | None = None
    note: str = ""


class CorrectDialog(SavingDialog):
    """Correct a record made by mistake. The old record stays in the history; the
    correction is a new entry pointing at it."""

    not_saved = "This correction was not recorded"

    def __init__(self, *, what: str, history: Sequence[str], default_at: datetime,
                 zone: ZoneInfo, now: datetime, can_skip: bool,
                 save: Callable[[Correction], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Correct this record")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._zone = zone
        self._save = save
        layout = QVBoxLayout(self)
        heading = QLabel(what)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        recorded = QLabel("Recorded so far:\n" + "\n".join(f"• {h}" for h in history))
        recorded.setWordWrap(True)
        layout.addWidget(recorded)
        layout.addWidget(QLabel("What really happened?"))

        self.choices = QButtonGroup(self)
        form = QFormLayout()
        self.given_radio = QRadioButton("It was given &at:")
        self.time_edit = wall_time_edit(default_at, zone, now)
        self.time_edit.setAccessibleName("Time given")
        box, label = with_error(self.time_edit)
        self.errors.add("given_at", self.time_edit, label)
        form.addRow(self.given_radio, box)
        self.skip_radio = QRadioButton("It was &not given:")
        self.reason_combo = QComboBox()
        self.reason_combo.setAccessibleName("Why it was not given")
        for reason in SkipReason:
            self.reason_combo.addItem(reason.label, reason)
        box, label = with_error(self.reason_combo)
        self.errors.add("skip_reason", self.reason_combo, label)
        form.addRow(self.skip_radio, box)
        self.skip_radio.setEnabled(can_skip)
        self.reason_combo.setEnabled(can_skip)
        self.withdraw_radio = QRadioButton("It should not have been recorded: &withdraw it")
        form.addRow(self.withdraw_radio)
        for radio in (self.given_radio, self.skip_radio, self.withdraw_radio):
            self.choices.addButton(radio)
        self.given_radio.setChecked(True)
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName("What was wrong")
        self.note_edit.setPlaceholderText("e.g. recorded against the wrong medicine")
        box, label = with_error(self.note_edit)
        self.errors.add("note", self.note_edit, label)
        note_label = QLabel("What was w&rong?")
        note_label.setBuddy(self.note_edit)
        form.addRow(note_label, box)
        layout.addLayout(form)
        general = ErrorLabel()
        self.errors.set_general(general)
        self.errors.add("corrects", self.note_edit, general)
        layout.addWidget(general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("Save &correction", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ok.setDefault(True)  # (in the dialog: else Cancel, the first)

    def correction(self) -> Correction:
        note = self.note_edit.text().strip()
        if self.withdraw_radio.isChecked():
            return Correction(EntryKind.ENTERED_IN_ERROR, note=note)
        if self.skip_radio.isChecked():
            # item data comes back as plain text: make it a SkipReason again
            return Correction(EntryKind.SKIPPED,
                              skip_reason=SkipReason(self.reason_combo.currentData()), note=note)
        return Correction(EntryKind.GIVEN, given_at=wall_of(self.time_edit, self._zone),
                          note=note)

    def save_form(self) -> object:
        return self._save(self.correction())


__all__ = ["CorrectDialog", "Correction", "GivenDialog", "SkipDialog", "set_wall", "wall_of",
           "wall_time_edit"]
