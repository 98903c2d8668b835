"""Edit the patient profile: name, birth date, allergies, weight, notes, time zone; and on
a second page, what the emergency sheet prints (diagnosis, how they communicate,
breathing support and NIV settings, advance decisions)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import NotSaved, ValidationError
from caregiver_app.domain.patient import (
    EMERGENCY_LIMITS,
    Allergy,
    AllergyStatus,
    Patient,
    WeightUnit,
    height_text,
    parse_height,
    validate_patient,
)
from caregiver_app.ui import messages
from caregiver_app.ui.columns import keep_fitted
from caregiver_app.ui.completion import Completer
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.widgets import OptionalDate, RowTabbing


class PatientDialog(SavingDialog):
    not_saved = "The patient profile was not saved"

    def __init__(self, patient: Patient | None, *, today: date, default_time_zone: str,
                 save: Callable[[Patient], object] | None = None,
                 parent: QWidget | None = None):
        """``save``: store the checked profile; when it refuses (a full disk) the dialog
        stays open with what was typed and says why."""
        super().__init__(parent)
        self.setWindowTitle("Patient profile")
        self.setMinimumWidth(560)
        self._today = today
        self._save = save
        self._build(default_time_zone)
        self._load(patient, default_time_zone)

    # ---- Public API

    # ``ask(patient, today=, default_time_zone=, save=, parent=)`` (``SavingDialog``): the
    # validated (and, with ``save``, saved) profile, or None if cancelled.

    def save_form(self) -> Patient:
        """Validate (``validate_patient``), then save through ``save``."""
        weight_text = self.weight_edit.text().strip().replace(",", ".")
        weight: float | None = None
        form_errors: dict[str, str] = {}
        if weight_text:
            try:
                weight = float(weight_text)
            except ValueError:
                form_errors["weight"] = "Enter the weight as a number, for example 68.5."
        unit = WeightUnit(self.weight_unit.currentData())
        height: float | None = None
        try:
            height = parse_height(self.height_edit.text(), unit)
        except ValueError as exc:
            form_errors["height"] = str(exc)
        candidate = Patient(
            full_name=self.name_edit.text(),
            date_of_birth=self.dob_edit.value(),
            allergy_status=self._allergy_status(),
            allergies=self._allergies(),
            weight=weight,
            weight_unit=unit,
            height_cm=height,
            notes=self.notes_edit.toPlainText(),
            time_zone=self.tz_combo.currentText().strip(),
            diagnosis=self.diagnosis_edit.text(),
            communication=self.communication_edit.text(),
            breathing=self.breathing_edit.toPlainText(),
            advance_decisions=self.decisions_edit.toPlainText(),
        )
        if candidate.time_zone not in zoneinfo.available_timezones():
            form_errors["time_zone"] = (
                "Choose a time zone from the list, for example America/Chicago.")
        try:
            patient = validate_patient(candidate, today=self._today)
        except ValidationError as exc:
            raise ValidationError({**exc.errors, **form_errors}) from exc
        if form_errors:
            raise ValidationError(form_errors)
        if self._save is not None:
            self._save(patient)
        return patient

    def show_errors(self, errors: Mapping[str, str]) -> None:
        first = next(iter(errors), None)
        if first is not None and first != NotSaved.FIELD:
            # the page of the first field in error comes to the front, so its message and
            # the focus are where the person is looking
            self.tabs.setCurrentWidget(self.emergency_page if first in EMERGENCY_LIMITS
                                       else self.profile_page)
        super().show_errors(errors)

    # ---- Private

    def _build(self, default_time_zone: str) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Patient's full name")
        box, label = with_error(self.name_edit)
        form.addRow("Full &name:", box)
        self.errors.add("full_name", self.name_edit, label)

        # a tick box says whether it is known: nothing stands in for "no date" inside the
        # date field, so the field can be typed into and left with Tab like any other
        self.dob_edit = OptionalDate(
            "Known:", accessible_name="Date of birth",
            default=date(self._today.year - 60, 1, 1), earliest=date(1900, 1, 1),
            far_note=False)  # a birth date is decades ago: no "check the year" note
        box, label = with_error(self.dob_edit)
        form.addRow("Date of &birth:", box)
        self.errors.add("date_of_birth", self.dob_edit, label)

        form.addRow("Allergies:", self._build_allergies())

        weight_row = QWidget()
        row = QHBoxLayout(weight_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.weight_edit = QLineEdit()
        self.weight_edit.setAccessibleName("Weight")
        self.weight_edit.setPlaceholderText("optional")
        self.weight_unit = QComboBox()
        self.weight_unit.setAccessibleName("Weight unit")
        self.weight_unit.addItem("kg", WeightUnit.KG.value)
        self.weight_unit.addItem("lb", WeightUnit.LB.value)
        row.addWidget(self.weight_edit, 1)
        row.addWidget(self.weight_unit)
        weight_row.setFocusProxy(self.weight_edit)  # Alt+W lands in the number
        box, label = with_error(weight_row)
        form.addRow("&Weight:", box)
        self.errors.add("weight", self.weight_edit, label)

        height_row = QWidget()
        row = QHBoxLayout(height_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.height_edit = QLineEdit()
        self.height_edit.setAccessibleName("Height")
        self.height_unit_label = QLabel()
        row.addWidget(self.height_edit, 1)
        row.addWidget(self.height_unit_label)
        height_row.setFocusProxy(self.height_edit)
        box, label = with_error(height_row)
        form.addRow("&Height:", box)
        self.errors.add("height", self.height_edit, label)
        self._height_shown_in = WeightUnit.KG
        self.weight_unit.currentIndexChanged.connect(self._show_height_unit)
        self._show_height_unit()

        self.tz_combo = QComboBox()
        self.tz_combo.setAccessibleName("Patient's time zone")
        self.tz_combo.setEditable(True)
        self.tz_combo.addItems(sorted(zoneinfo.available_timezones()))
        completer = Completer(self.tz_combo.model(), self.tz_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tz_combo.setCompleter(completer)
        self.tz_combo.setToolTip("Dose times are clock times in this time zone.")
        box, label = with_error(self.tz_combo)
        form.addRow("&Time zone:", box)
        self.errors.add("time_zone", self.tz_combo, label)

        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes about the patient")
        self.notes_edit.setPlaceholderText(
            "For example: has a PEG tube; sleeps with the head raised")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(80)
        box, label = with_error(self.notes_edit)
        form.addRow("N&otes:", box)
        self.errors.add("notes", self.notes_edit, label)

        self.profile_page = QWidget()
        self.profile_page.setLayout(form)
        self.emergency_page = self._build_emergency()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Patient profile pages")
        self.tabs.addTab(self.profile_page, "&Profile")
        self.tabs.addTab(self.emergency_page, "For &emergencies")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        self.general_error = ErrorLabel()
        self.errors.set_general(self.general_error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def _show_height_unit(self) -> None:
        """The height's unit follows the weight's: cm with kg, feet and inches with lb (a
        height already typed is shown in the new unit)."""
        unit = WeightUnit(self.weight_unit.currentData())
        if unit is not self._height_shown_in:
            try:
                cm = parse_height(self.height_edit.text(), self._height_shown_in)
            except ValueError:
                cm = None  # kept as typed: the check on saving says what is wrong
            if cm is not None:
                self.height_edit.setText(_height_typed(cm, unit))
            self._height_shown_in = unit
        metric = unit is WeightUnit.KG
        self.height_unit_label.setText("cm" if metric else "feet and inches")
        self.height_edit.setPlaceholderText("optional, for example 172" if metric
                                            else "optional, for example 5 ft 8 in")
        self.height_edit.setAccessibleDescription(
            "In centimetres" if metric else "In feet and inches, or inches alone")

    def _build_emergency(self) -> QWidget:
        """What paramedics and hospital staff need first, printed on the emergency sheet
        (Learn tab, or ``caregiver-app print emergency``)."""
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # the fields keep their height; the room left goes below
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        intro = QLabel("Printed on the one-page emergency sheet for paramedics and the "
                       "hospital, with the medicines, allergies and care team. Leave a box "
                       "empty to write it in by hand.")
        intro.setWordWrap(True)
        form.addRow(intro)

        def line(name: str, label: str, accessible: str, placeholder: str) -> QLineEdit:
            edit = QLineEdit()
            edit.setAccessibleName(accessible)
            edit.setPlaceholderText(placeholder)
            box, error = with_error(edit)
            form.addRow(label, box)
            self.errors.add(name, edit, error)
            return edit

        def text(name: str, label: str, accessible: str, placeholder: str) -> QPlainTextEdit:
            edit = QPlainTextEdit()
            edit.setAccessibleName(accessible)
            edit.setPlaceholderText(placeholder)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(90)
            box, error = with_error(edit)
            form.addRow(label, box)
            self.errors.add(name, edit, error)
            return edit

        self.diagnosis_edit = line(
            "diagnosis", "Dia&gnosis:", "Diagnosis",
            "For example: ALS, diagnosed March 2025")
        self.communication_edit = line(
            "communication", "How they &communicate:", "How the patient communicates",
            "For example: speaks slowly; uses a letter board when tired")
        self.breathing_edit = text(
            "breathing", "Breathing, N&IV settings:", "Breathing support and NIV settings",
            "For example: BiPAP at night, settings from the card on the machine; mask type "
            "and size; cough assist")
        self.decisions_edit = text(
            "advance_decisions", "Advance &decisions:", "Advance decisions",
            "For example: has an advance directive (copy in the red folder); who to call "
            "about decisions")
        return page

    def _build_allergies(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.nka_radio = QRadioButton("No &known allergies")
        self.has_radio = QRadioButton("Has &allergies (list each one and the reaction)")
        self.allergy_group = QButtonGroup(self)
        self.allergy_group.addButton(self.nka_radio)
        self.allergy_group.addButton(self.has_radio)
        layout.addWidget(self.nka_radio)
        layout.addWidget(self.has_radio)

        self.allergy_model = QStandardItemModel(0, 2, self)
        self.allergy_model.setHorizontalHeaderLabels(["Medicine or substance", "Reaction"])
        self.allergy_table = QTableView()
        self.allergy_table.setAccessibleName("Allergies")
        self.allergy_table.setModel(self.allergy_model)
        keep_fitted(self.allergy_table)
        self.allergy_table.verticalHeader().hide()
        self.allergy_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        RowTabbing.install(self.allergy_table)  # Tab goes along a row, then out
        self.allergy_table.setFixedHeight(110)
        layout.addWidget(self.allergy_table)

        buttons = QHBoxLayout()
        self.add_allergy_button = QPushButton("Add allergy")
        self.remove_allergy_button = QPushButton("Remove selected")
        self.add_allergy_button.clicked.connect(lambda: self.add_allergy_row())
        self.remove_allergy_button.clicked.connect(self._remove_selected_allergy)
        buttons.addWidget(self.add_allergy_button)
        buttons.addWidget(self.remove_allergy_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.allergy_error = ErrorLabel()
        layout.addWidget(self.allergy_error)
        self.errors.add("allergies", self.has_radio, self.allergy_error)

        self.nka_radio.toggled.connect(self._on_none_known)
        self.nka_radio.toggled.connect(self._update_allergy_enabled)
        self.has_radio.toggled.connect(self._update_allergy_enabled)
        return box

    def add_allergy_row(self, substance: str = "", reaction: str = "") -> None:
        self.has_radio.setChecked(True)
        self.allergy_model.appendRow([QStandardItem(substance), QStandardItem(reaction)])
        index = self.allergy_model.index(self.allergy_model.rowCount() - 1, 0)
        self.allergy_table.setCurrentIndex(index)
        if not substance:
            self.allergy_table.edit(index)

    def _remove_selected_allergy(self) -> None:
        rows = sorted({i.row() for i in self.allergy_table.selectionModel().selectedIndexes()},
                      reverse=True)
        for r in rows:
            self.allergy_model.removeRow(r)

    def _update_allergy_enabled(self) -> None:
        enabled = self.has_radio.isChecked()
        for w in (self.allergy_table, self.add_allergy_button, self.remove_allergy_button):
            w.setEnabled(enabled)

    def _on_none_known(self, checked: bool) -> None:
        """Choosing "No known allergies" while allergies are listed asks before they go:
        an allergy is never dropped from the record without the caregiver saying so."""
        listed = [a for a in self._allergies() if a.substance or a.reaction]
        if not checked or not listed:
            return
        names = "; ".join(a.describe() for a in listed)
        if messages.confirm(self, "Remove the allergies?",
                            f"This removes {names} from the patient's record.\n\n"
                            "Choose this only if the care team said these were not allergies.",
                            yes="Remove them", no="Keep them", destructive=True):
            self.allergy_model.removeRows(0, self.allergy_model.rowCount())
        else:
            self.has_radio.setChecked(True)

    def _allergy_status(self) -> AllergyStatus:
        if self.nka_radio.isChecked():
            return AllergyStatus.NONE_KNOWN
        if self.has_radio.isChecked():
            return AllergyStatus.HAS_ALLERGIES
        return AllergyStatus.NOT_RECORDED

    def _allergies(self) -> tuple[Allergy, ...]:
        """Every row the caregiver filled in, whichever choice is ticked: the profile's
        check then refuses listed allergies with "No known allergies" instead of the
        form dropping them."""
        m = self.allergy_model
        rows = (Allergy(m.item(r, 0).text() if m.item(r, 0) else "",
                        m.item(r, 1).text() if m.item(r, 1) else "")
                for r in range(m.rowCount()))
        return tuple(a for a in rows if a.substance.strip() or a.reaction.strip())

    def _load(self, patient: Patient | None, default_time_zone: str) -> None:
        tz = (patient.time_zone if patient and patient.time_zone else default_time_zone)
        self.tz_combo.setCurrentText(tz)
        if patient is None:
            self._update_allergy_enabled()
            return
        self.name_edit.setText(patient.full_name)
        self.dob_edit.set_value(patient.date_of_birth)
        if patient.allergy_status is AllergyStatus.NONE_KNOWN:
            self.nka_radio.setChecked(True)
        elif patient.allergy_status is AllergyStatus.HAS_ALLERGIES:
            self.has_radio.setChecked(True)
            for a in patient.allergies:
                self.add_allergy_row(a.substance, a.reaction)
        self.weight_edit.setText(f"{patient.weight:g}" if patient.weight is not None else "")
        self.weight_unit.setCurrentIndex(self.weight_unit.findData(patient.weight_unit.value))
        self.height_edit.setText("" if patient.height_cm is None
                                 else _height_typed(patient.height_cm, patient.weight_unit))
        self._show_height_unit()
        self.notes_edit.setPlainText(patient.notes)
        self.diagnosis_edit.setText(patient.diagnosis)
        self.communication_edit.setText(patient.communication)
        self.breathing_edit.setPlainText(patient.breathing)
        self.decisions_edit.setPlainText(patient.advance_decisions)
        self._update_allergy_enabled()


def _height_typed(cm: float, unit: WeightUnit) -> str:
    """A stored height as it would be typed: "172" (cm) or "5 ft 8 in"."""
    return f"{round(cm, 1):g}" if unit is WeightUnit.KG else height_text(cm, unit)
