"""Small dialogs for what is done to a medicine on the list.

- ``StatusDialog``: pause, resume or stop, from a moment, with a reason.
- ``CycleDialog``: delay the cycle doses, hold the cycle, or resume it, with a preview of
  how the next doses move. ``UndoCycleDialog`` withdraws a cycle change made by mistake.
- ``StockDialog``: a refill, a stock count, or a newly opened bottle.

Each is a ``SavingDialog`` given an ``apply`` callable that does the write (the tab
calls ``MedicationBook``); a refusal (``ValidationError``) is shown next to its field
and the dialog stays open with what was typed, so nothing is saved half-way; Escape
asks before throwing typed changes away. ``ask()`` returns True once saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.amount import Dose, format_number
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.regimens import CycleShift, shift_order
from caregiver_app.domain.schedule import Occurrence, resume_cycle
from caregiver_app.domain.supply import SupplyForecast, discard_by_from
from caregiver_app.domain.vocab import MedicineStatus
from caregiver_app.ui.columns import keep_fitted
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.medications.dialog_models import PreviewModel
from caregiver_app.ui.medications.list_model import short_day
from caregiver_app.ui.medications.widgets import ComboBox, DateEdit, SpinBox
from caregiver_app.ui.saving_dialog import STAY_OPEN, SavingDialog
from caregiver_app.ui.widgets import DateTimeEdit, fit_placeholder


class _ActionDialog(SavingDialog):
    """A form, its inline errors, and OK/Cancel that call ``apply`` on OK.

    These change a medicine's record (pause, stop, refill, an extra dose, a cycle delay):
    the focus starts in the first field and Cancel is the default button, so Enter never
    confirms by itself; the action button is pressed (or its Alt shortcut) on purpose."""

    def __init__(self, title: str, explanation: str, ok_text: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.not_saved = f"\u201c{title}\u201d was not saved"
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self._fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setAccessibleName("What this does")
        layout.addWidget(self.explanation)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.extra = QVBoxLayout()
        layout.addLayout(self.extra, 1)
        self.general_error = ErrorLabel()
        self.errors.set_general(self.general_error)
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.ok_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # ---- Public API

    @classmethod
    def ask(cls, *args: Any, **kwargs: Any) -> bool:
        """Show the dialog; True once ``apply`` was done, False if cancelled."""
        return super().ask(*args, **kwargs) is not None

    def save_form(self) -> object:
        """Run the write. ``apply`` may return False to say "not done" (the caregiver
        changed their mind at a confirmation): the dialog then stays open and nothing is
        saved."""
        return STAY_OPEN if self._apply() is False else True

    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.errors.show(self._map_errors(errors))

    # ---- Private

    def _apply(self) -> object:
        raise NotImplementedError

    def _map_errors(self, errors: Mapping[str, str]) -> Mapping[str, str]:
        return errors

    def _row(self, label: str, field: QWidget, *names: str) -> None:
        box, error = with_error(field)
        box.setFocusProxy(field)
        text = QLabel(label)
        text.setBuddy(field)
        self.form.addRow(text, box)
        for name in names:
            self.errors.add(name, field, error)
            self._fields[name] = field


def _reason_edit(name: str, *hints: str) -> QLineEdit:
    """A reason's field, its hint the longest of ``hints`` that fits (``fit_placeholder``)."""
    edit = QLineEdit()
    edit.setAccessibleName(name)
    fit_placeholder(edit, *hints)
    return edit


# ---- Pause, resume, stop

_STATUS_TEXT = {
    MedicineStatus.PAUSED: (
        "Pause {name}", "&Pause",
        "While it is paused no doses are listed or reminded. Everything recorded stays. "
        "Resume it when the care team says so."),
    MedicineStatus.ACTIVE: (
        "Resume {name}", "&Resume",
        "Doses are listed and reminded again from the moment you choose."),
    MedicineStatus.STOPPED: (
        "Stop {name}", "&Stop",
        "Nothing is deleted: every dose record and change stays in its history. From the "
        "moment you choose, no doses are listed or reminded, and it moves to the Stopped "
        "list. You can resume it later."),
}


class StatusDialog(_ActionDialog):
    def __init__(self, status: MedicineStatus, medicine: Medicine, *, now: datetime,
                 zone: ZoneInfo, apply: Callable[[datetime, str], object],
                 parent: QWidget | None = None):
        title, ok, explanation = _STATUS_TEXT[status]
        super().__init__(title.format(name=medicine.name), explanation, ok, parent)
        self._status = status
        self._zone = zone
        self._apply_change = apply
        local = to_utc(now).astimezone(zone).replace(tzinfo=None)
        self.at_edit = DateTimeEdit(accessible_name="From", value=local, now=lambda: local)
        self._row("&From:", self.at_edit, "at")
        self.reason_edit = _reason_edit(
            "Reason", "for example: stopped by the neurologist" if status is not
            MedicineStatus.ACTIVE else "optional")
        self._row("Reas&on:", self.reason_edit, "reason", "status")

    def moment(self) -> datetime:
        """The moment typed ("From"); ``ValidationError`` when it is not a day and time."""
        return self.at_edit.value().replace(tzinfo=self._zone)

    def _apply(self) -> object:
        return self._apply_change(self.moment(), self.reason_edit.text())


# ---- Cycles


class CycleAction(StrEnum):
    DELAY = "delay"
    PAUSE = "pause"
    RESUME = "resume"


_CYCLE_TEXT = {
    CycleAction.DELAY: (
        "Delay the cycle doses of {name}", "&Delay",
        "When a cycle dose is given late, the doses after it move too. From the first cycle "
        "dose on or after the date below, that dose and the rest of its cycle move later by "
        "the number of days. Tick the box to move the following cycles too. Doses already "
        "recorded stay where they are."),
    CycleAction.PAUSE: (
        "Pause the cycle of {name}", "&Pause the cycle",
        "No cycle doses are due from the date below until you resume the cycle (for "
        "example, during a hospital stay). When you resume, the held dose becomes due on "
        "that day and the rest follow."),
    CycleAction.RESUME: (
        "Resume the cycle of {name}", "&Resume",
        "The held dose becomes due on the day you choose; the doses after it follow, and "
        "later cycles move with them."),
}


class CycleDialog(_ActionDialog):
    """Delay, hold or resume a cycle, showing the next doses as they would then be."""

    def __init__(self, action: CycleAction, medicine: Medicine, *, today: date,
                 zone: ZoneInfo, preview: Callable[[Medicine], list[Occurrence]],
                 apply: Callable[[CycleShift | date], object], parent: QWidget | None = None):
        title, ok, explanation = _CYCLE_TEXT[action]
        super().__init__(title.format(name=medicine.name), explanation, ok, parent)
        self._action = action
        self._medicine = medicine
        self._zone = zone
        self._preview_source = preview
        self._apply_change = apply
        self._hold = medicine.open_hold(today)
        if action is CycleAction.RESUME:
            self.resume_edit = DateEdit(accessible_name="Give the held dose on")
            self.resume_edit.set_value(today)
            self._row("Give the held dose &on:", self.resume_edit, "resume_on")
            self.resume_edit.dateChanged.connect(self._schedule)
        else:
            self.from_edit = DateEdit(accessible_name="From the first cycle dose on or after")
            self.from_edit.set_value(today)
            self._row("&From:", self.from_edit, "from_date")
            self.from_edit.dateChanged.connect(self._schedule)
            if action is CycleAction.DELAY:
                self.days_spin = SpinBox(1, 120, accessible_name="Move the doses this many days")
                self.days_spin.set_units(" day later", " days later")
                self.days_spin.setValue(1)
                self._row("&Move them:", self.days_spin, "days")
                self.carry_check = QCheckBox("Move the following &cycles too")
                self.carry_check.setAccessibleName("Move the following cycles too")
                self.carry_check.setChecked(True)
                self._row("", self.carry_check, "carry")
                self.days_spin.valueChanged.connect(self._schedule)
                self.carry_check.toggled.connect(self._schedule)
            self.reason_edit = _reason_edit(
                "Reason", "for example: clinic visit ran late; neurologist said next morning",
                "for example: clinic visit ran late")
            self._row("Rea&son:", self.reason_edit, "reason")
        self.preview_status = QLabel()
        self.preview_status.setWordWrap(True)
        self.preview_status.setAccessibleName("Preview status")
        self.extra.addWidget(self.preview_status)
        self.preview_model = PreviewModel(self)
        view = QTableView()
        view.setAccessibleName("Next due doses after this change")
        view.setModel(self.preview_model)
        view.verticalHeader().hide()
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setTabKeyNavigation(False)
        keep_fitted(view)  # dates and doses wrap rather than being cut
        view.setMinimumHeight(self.fontMetrics().height() * 10)
        self.extra.addWidget(view)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh_preview)
        self.refresh_preview()

    def change(self) -> CycleShift | date:
        """The new shift (delay or hold), or the day to resume on."""
        if self._action is CycleAction.RESUME:
            return self.resume_edit.value()
        days = self.days_spin.value() if self._action is CycleAction.DELAY else None
        carry = self.carry_check.isChecked() if self._action is CycleAction.DELAY else True
        return CycleShift(self.from_edit.value(), days, carry, self.reason_edit.text())

    def refresh_preview(self) -> None:
        self._timer.stop()
        try:
            candidate = self._candidate()
        except ValidationError as exc:
            self.preview_model.set_occurrences([], self._zone)
            self.preview_status.setText(next(iter(exc.errors.values()), ""))
            return
        found = self._preview_source(candidate)
        self.preview_model.set_occurrences(found, self._zone)
        self.preview_status.setText(
            "The next due doses after this change:" if found else
            "No cycle doses are due after this change until the cycle is resumed.")

    def _schedule(self) -> None:
        self._timer.start()

    def _candidate(self) -> Medicine:
        change = self.change()
        if isinstance(change, CycleShift):
            return replace(self._medicine,
                           cycle_shifts=(*self._medicine.cycle_shifts, change))
        if self._hold is None:
            raise ValidationError({"resume_on": "The cycle is not paused."})
        done = resume_cycle(self._medicine, self._hold, change)
        return replace(self._medicine, cycle_shifts=tuple(
            done if s is self._hold else s for s in self._medicine.cycle_shifts))

    def _apply(self) -> object:
        return self._apply_change(self.change())


def describe_shift(shift: CycleShift) -> str:
    """"From Tue 3 Mar 2026: moved 2 days later (later cycles too)"."""
    start = f"From {short_day(shift.from_date)}"
    if shift.on_hold:
        text = f"{start}: cycle on hold"
    else:
        days = shift.days or 0
        text = (f"{start}: moved {days} day{'s' if days != 1 else ''} later "
                + ("(later cycles too)" if shift.carry else "(that cycle only)"))
    return f"{text}. {shift.reason}" if shift.reason else text


class UndoCycleDialog(_ActionDialog):
    """Withdraw a delay or hold entered by mistake (it stays in the history as undone)."""

    def __init__(self, medicine: Medicine, *, apply: Callable[[int], object],
                 parent: QWidget | None = None):
        super().__init__(
            f"Undo a change to the cycle of {medicine.name}",
            "Choose the change that was entered by mistake. The doses go back to where "
            "they were without it. The change stays in the medicine's history, marked as "
            "undone.", "&Undo this change", parent)
        self._apply_change = apply
        self.shift_combo = ComboBox(accessible_name="Change to undo")
        for shift in reversed(sorted(medicine.cycle_shifts, key=shift_order)):
            self.shift_combo.addItem(describe_shift(shift), shift.id)
        self._row("&Change:", self.shift_combo, "shift")

    def _apply(self) -> object:
        shift_id = self.shift_combo.currentData()
        if shift_id is None:
            raise ValidationError({"shift": "There is no change to undo."})
        return self._apply_change(int(shift_id))


# ---- Stock


class StockAction(StrEnum):
    REFILL = "refill"
    COUNT = "count"
    BOTTLE = "bottle"


class StockDialog(_ActionDialog):
    """A refill ("60 tablets arrived"), a count ("42 here now"), or an opened bottle."""

    def __init__(self, action: StockAction, medicine: Medicine, *, today: date,
                 forecast: SupplyForecast | None, apply: Callable[..., object],
                 parent: QWidget | None = None):
        unit = medicine.supply.unit
        texts = {
            StockAction.REFILL: (f"Refill of {medicine.name}", "&Save the refill",
                                 f"Enter how much arrived, in {unit or 'the stock unit'}. "
                                 "It is added to the stock on hand."),
            StockAction.COUNT: (f"Count the stock of {medicine.name}", "&Save the count",
                                "Count what is here now. The count replaces the app's "
                                "running total; doses given after now are taken off it."),
            StockAction.BOTTLE: (f"New bottle of {medicine.name}", "&Save",
                                 "Opened liquids keep for a limited time: the label or the "
                                 "pharmacist says how long. The app warns two days before "
                                 "the bottle must be thrown away."),
        }
        title, ok, explanation = texts[action]
        if action is not StockAction.BOTTLE and forecast is not None \
                and forecast.on_hand is not None:
            explanation += (f" The app counts {Dose(forecast.on_hand, unit).describe()} "
                            "on hand now.")
        super().__init__(title, explanation, ok, parent)
        self._action = action
        self._apply_change = apply
        if action is StockAction.BOTTLE:
            self.opened_edit = DateEdit(accessible_name="Opened on")
            self.opened_edit.set_value(medicine.supply.opened_on or today)
            if medicine.supply.opened_on and medicine.supply.opened_on != today:
                self.opened_edit.set_value(today)
            self._row("&Opened on:", self.opened_edit, "opened_on")
            self.within_spin = SpinBox(0, 366, accessible_name="Use within this many days")
            self.within_spin.set_units(" day after opening", " days after opening")
            self.within_spin.setSpecialValueText("no limit given")
            if medicine.supply.opened_on and medicine.supply.discard_by:
                self.within_spin.setValue(
                    (medicine.supply.discard_by - medicine.supply.opened_on).days)
            self._row("&Use within:", self.within_spin, "discard_by")
            self.discard_label = QLabel()
            self.discard_label.setAccessibleName("Throw it away after")
            self.form.addRow("Throw it away after:", self.discard_label)
            self.opened_edit.dateChanged.connect(self._update_discard)
            self.within_spin.valueChanged.connect(self._update_discard)
            self._update_discard()
        else:
            self.quantity_edit = QLineEdit()
            self.quantity_edit.setAccessibleName(
                "Quantity that arrived" if action is StockAction.REFILL else "Quantity here now")
            self.quantity_edit.setPlaceholderText(unit)
            self._row(f"&Quantity ({unit}):", self.quantity_edit, "quantity")
            self.note_edit = _reason_edit("Note", "optional, for example: from the pharmacy")
            self._row("&Note:", self.note_edit, "note", "at")

    def discard_by(self) -> date | None:
        days = self.within_spin.value()
        return discard_by_from(self.opened_edit.value(), days) if days else None

    def _update_discard(self) -> None:
        value = self.discard_by()
        self.discard_label.setText(short_day(value) if value else "no date")

    def _apply(self) -> object:
        if self._action is StockAction.BOTTLE:
            return self._apply_change(self.opened_edit.value(), self.discard_by())
        text = self.quantity_edit.text().strip().replace(",", ".")
        try:
            quantity = float(text)
        except ValueError:
            raise ValidationError({"quantity": "Enter the quantity as a number, for example "
                                               "60."}) from None
        return self._apply_change(quantity, self.note_edit.text())


# ---- A dose given outside the schedule


class ExtraDoseDialog(_ActionDialog):
    """Record a dose given outside the schedule (an extra dose, or one given while the
    medicine is paused or stopped), with the time, the amount and why."""

    def __init__(self, medicine: Medicine, *, now: datetime, zone: ZoneInfo,
                 apply: Callable[[datetime, Dose, str], object],
                 parent: QWidget | None = None):
        super().__init__(
            f"Extra dose of {medicine.name}",
            "For a dose given outside the schedule: an extra dose, or a dose given while "
            "the medicine is paused or stopped. It is recorded with the caregiver on duty "
            "and shows on its day and in the history; the regular doses stay as they are.",
            "&Record it", parent)
        self._zone = zone
        self._apply_change = apply
        local = to_utc(now).astimezone(zone).replace(second=0, microsecond=0)
        wall = local.replace(tzinfo=None)
        self.at_edit = DateTimeEdit(
            accessible_name="Given at", value=wall, now=lambda: wall, latest=wall,
            too_late=f"That is later than now ({wall:%H:%M}): record a dose once it has "
                     "been given.")
        self._row("&Given at:", self.at_edit, "given_at")
        version = medicine.version_on(local.date()) or medicine.versions[-1]
        self._unit = version.dose.unit
        self.amount_edit = QLineEdit(format_number(version.dose.amount))
        self.amount_edit.setAccessibleName(f"Amount given, in {self._unit}")
        self._row(f"&Amount ({self._unit}):", self.amount_edit, "dose_amount", "dose_unit")
        self.reason_edit = _reason_edit("Why it was given",
                                        "for example: bad cramps at night, the nurse said yes",
                                        "for example: bad cramps at night")
        self._row("&Why:", self.reason_edit, "note", "caregiver")

    def given_at(self) -> datetime:
        """The time typed; ``ValidationError`` when it is not a day and time."""
        return self.at_edit.value().replace(tzinfo=self._zone)

    def _apply(self) -> object:
        text = self.amount_edit.text().strip().replace(",", ".")
        try:
            amount = float(text)
        except ValueError:
            raise ValidationError({"dose_amount": "Enter the amount as a number, for "
                                                  "example 1 or 2.5."}) from None
        return self._apply_change(self.given_at(), Dose(amount, self._unit),
                                  self.reason_edit.text())


__all__ = [
    "CycleAction",
    "CycleDialog",
    "ExtraDoseDialog",
    "StatusDialog",
    "StockAction",
    "StockDialog",
    "UndoCycleDialog",
    "describe_shift",
]
