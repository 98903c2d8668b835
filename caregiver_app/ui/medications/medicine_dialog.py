"""Add or edit a medicine: one dialog for every kind of schedule, with a live preview.

``MedicineDialog.ask(...)`` (``ui.saving_dialog.SavingDialog``) shows the form and
returns the saved ``Medicine`` (or None). It never writes by itself: when the whole form
is valid it hands a ``MedicineChange`` to the ``save`` callable it was given (the tab
calls ``MedicationBook``), and shows any refusal next to its field. Nothing is saved
until every field is valid.

- **Built-in reference**: search it, choose an entry and a product form, and "Fill in"
  copies the name, brand, strength, form, route choices, food rule, flags, reference id
  (and so the Learn article) and the usual *kind* of schedule. It never fills in a dose
  or a time: those come from the prescription. Withdrawn, short-supply and unconfirmed
  entries show the reference's warning.
- **Editing** keeps the past: a change to the dose, form, route, strength or schedule
  becomes a new version from a date the caregiver picks (today by default); days before
  it keep what was due then. Names, instructions, food rule, contacts and supply settings
  are not dated.
- **Preview**: the next 14 due doses with their labels ("cycle 2, day 6 of 10",
  "loading 2 of 3"), recomputed a moment after each edit (a single-shot timer), from
  the engine alone: nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.amount import Dose, format_number
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.medicine_edit import (
    MedicineEdit,
    availability_warning,
    edit_of,
    new_medicine,
    preview_caption,
    preview_medicine,
    read_amount,
    reference_link,
)
from caregiver_app.domain.medicines import (
    GivenBy,
    Medicine,
    MedicineVersion,
    SupplySettings,
    describe_food_rule,
)
from caregiver_app.domain.preview import upcoming
from caregiver_app.domain.reference import MedicineReference, PreFill
from caregiver_app.domain.regimens import (
    DailyRegimen,
    Regimen,
    RegimenKind,
    StepsRegimen,
    validate_regimen,
)
from caregiver_app.domain.schedule import Occurrence
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, MedicineStatus, Route
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.medications import medicine_form as form
from caregiver_app.ui.medications.widgets import (
    ComboBox,
)
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.screen_fit import resize_within_screen
from caregiver_app.ui.widgets import fit_placeholder

#: Milliseconds of quiet typing before the preview is recomputed.
PREVIEW_DELAY_MS = 250

#: ``contacts(purpose)`` -> ``[(contact id, label, likely)]`` for "prescriber" or
#: "pharmacy", likely ones (by role) first.
ContactChoices = Callable[[str], Sequence[tuple[int, str, bool]]]
#: ``preview(medicine, after)`` -> the next due doses (``MedicationBook.upcoming``).
PreviewSource = Callable[[Medicine, datetime], list[Occurrence]]

#: What the dialog asks to save (``domain.medicine_edit.MedicineEdit``), under the name
#: the tab and the tests know it by.
MedicineChange = MedicineEdit


class MedicineDialog(SavingDialog):
    def __init__(self, *, reference: MedicineReference, today: date, now: datetime,
                 zone: ZoneInfo, medicine: Medicine | None = None,
                 preview: PreviewSource | None = None,
                 save: Callable[[MedicineChange], Medicine] | None = None,
                 contacts: ContactChoices | None = None,
                 contact_name: Callable[[int | None], str] = lambda _id: "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._contact_name = contact_name
        self._reference = reference
        self._today = today
        self._now = now
        self._zone = zone
        self._stored = medicine
        self._preview_source = preview or (lambda m, after: upcoming(m, after, zone))
        self._save = save
        self._contacts = contacts
        self._reference_id = medicine.reference_id if medicine else ""
        self._change: MedicineChange | None = None
        self._fields: dict[str, QWidget] = {}
        self.not_saved = ("This medicine was not saved" if medicine is None
                          else "The change to this medicine was not saved")
        self.setWindowTitle(f"Change {medicine.name}" if medicine else "Add a medicine")
        self.setObjectName("MedicineDialog")
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._build()
        self._load(medicine)
        self._connect_changes()
        self._fit_to_screen()
        self.refresh_preview()

    # ---- Public API

    def result_medicine(self) -> Medicine | None:
        """The medicine saved (None until it was)."""
        result = self.result_value()
        assert result is None or isinstance(result, Medicine)
        return result

    def result_change(self) -> MedicineChange | None:
        """What was handed to ``save`` (or would have been, without one)."""
        return self._change

    def save_form(self) -> Medicine | None:
        """Save (Save, ``try_accept``): the whole form checked first, each message next
        to its field when it is not valid (nothing saved then); an unchanged form closes
        without writing; without a ``save`` callable, the checked medicine."""
        change = self.collect()
        self.errors.clear()
        self._change = change
        if not change.changes_anything:
            return self._stored
        if self._save is None:
            return change.medicine
        return self._save(change)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each message next to its field, the first such field scrolled to and given
        the keyboard."""
        self.errors.show(errors)
        first = next((self._fields[name] for name in errors if name in self._fields), None)
        if first is None:
            first = next((w for name, w in self.regimen_editor.error_fields()
                          if name in errors), None)
        if first is not None:
            self.scroll.ensureWidgetVisible(first)
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def collect(self) -> MedicineChange:
        """The checked change, or ValidationError naming every field that is wrong."""
        if self._stored is None:
            return self._collect_new()
        return self._collect_edit(self._stored)

    def apply_prefill(self, fill: PreFill) -> None:
        """Fill in what the reference knows about a product. Never a dose or a time."""
        self.name_edit.setText(fill.name)
        self.brand_edit.setText(fill.brand)
        self.strength_edit.setText(fill.strength)
        self.form_combo.select_data(fill.form.value)
        self._fill_routes(fill.routes)
        self.route_combo.select_data(fill.routes[0].value if fill.routes else Route.ORAL.value)
        self._set_food_rule(fill.food_rule)
        self.crush_check.setChecked(fill.do_not_crush)
        self.flush_spin.setValue(fill.flush_ml)
        (self.clinic_radio if fill.given_by is GivenBy.CLINIC else self.home_radio
         ).setChecked(True)
        entry = self._reference.find(fill.reference_id)
        if entry is not None and not self.purpose_edit.text().strip():
            self.purpose_edit.setText(entry.purpose)
        self.regimen_editor.apply_hint(fill.regimen_hint)
        self._set_reference_link(fill.reference_id)
        self.dose_amount.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_chosen_reference(self) -> bool:
        """Fill in from the entry and form chosen in the reference search."""
        index = self.reference_view.currentIndex()
        if not index.isValid():
            return False
        entry = self.reference_model.entry(index.row())
        self.apply_prefill(self._reference.prefill(entry.id,
                                                   max(self.reference_form.currentIndex(), 0)))
        return True

    def preview_rows(self) -> list[tuple[str, str, str]]:
        return self.preview_model.row_texts()

    def refresh_preview(self) -> None:
        """Recompute the next due doses from the form as it stands (no writes)."""
        self._preview_timer.stop()
        try:
            medicine, after = self._preview_medicine()
        except ValidationError as exc:
            self.preview_model.set_occurrences([], self._zone)
            first = next(iter(exc.errors.values()), "")
            self.preview_status.setText(
                f"The preview appears when the schedule is complete. {first}".strip())
            return
        found = self._preview_source(medicine, after)
        self.preview_model.set_occurrences(found, self._zone)
        paused = (self._stored is not None
                  and self._stored.status_at(self._now) is not MedicineStatus.ACTIVE)
        text = preview_caption(medicine.versions[-1], len(found), paused=paused)
        self.preview_status.setText(text)

    # ---- Private: building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        form_page = QWidget()
        column = QVBoxLayout(form_page)
        if self._stored is not None:
            column.addWidget(form.build_version_banner(self))
        column.addWidget(form.build_reference_box(self))
        column.addWidget(form.build_medicine_box(self))
        column.addWidget(form.build_schedule_box(self))
        column.addWidget(form.build_giving_box(self))
        column.addWidget(form.build_supply_box(self))
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(form_page)
        self.scroll.setAccessibleName("Medicine details")

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.scroll)
        splitter.addWidget(form.build_preview(self))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)

        self.general_error = ErrorLabel()
        self.errors.set_general(self.general_error)
        outer.addWidget(self.general_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save the medicine")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel without saving")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def _fill_routes(self, preferred: Sequence[Route]) -> None:
        current = self.route_combo.currentData()
        self.route_combo.blockSignals(True)
        self.route_combo.clear()
        for route in preferred:
            self.route_combo.addItem(f"{route.label} (from the reference)", route.value)
        if preferred:
            self.route_combo.insertSeparator(self.route_combo.count())
        for route in Route:
            if route not in preferred:
                self.route_combo.addItem(route.label, route.value)
        self.route_combo.blockSignals(False)
        if current is not None:
            self.route_combo.select_data(current)
        if hasattr(self, "flush_spin"):
            self._update_flush()

    def _fit_to_screen(self) -> None:
        em = self.fontMetrics().averageCharWidth()
        width = resize_within_screen(self, em * 185, self.fontMetrics().height() * 54,
                                     share=(0.96, 0.92)).width()
        self.splitter.setSizes([int(width * 0.6), int(width * 0.4)])

    # ---- Private: loading

    def _load(self, medicine: Medicine | None) -> None:
        if medicine is None:
            self._set_food_rule(FoodRule())
            self._set_reference_link("")
            self.regimen_editor.set_kind(RegimenKind.DAILY)
            return
        version = medicine.versions[-1]
        self.name_edit.setText(medicine.generic_name)
        self.brand_edit.setText(medicine.brand_name)
        self.purpose_edit.setText(medicine.purpose)
        self.strength_edit.setText(version.strength)
        self.form_combo.select_data(version.form.value)
        entry = self._reference.find(medicine.reference_id) if medicine.reference_id else None
        routes: tuple[Route, ...] = ()
        if entry is not None:
            routes = tuple(dict.fromkeys(r for f in entry.forms for r in f.routes))
        self._fill_routes(routes)
        self.route_combo.select_data(version.route.value)
        if isinstance(version.regimen, StepsRegimen):
            self.dose_amount.setText("")
        else:
            self.dose_amount.setText(_number(version.dose.amount))
        self.dose_unit.setText(version.dose.unit)
        self.regimen_editor.set_regimen(version.regimen)
        self.start_edit.set_value(medicine.start_date)
        self.end_edit.set_value(medicine.end_date)
        self.review_edit.set_value(medicine.review_date)
        (self.clinic_radio if medicine.given_by is GivenBy.CLINIC else self.home_radio
         ).setChecked(True)
        self._set_food_rule(medicine.food_rule)
        self.crush_check.setChecked(version.do_not_crush)
        self.flush_spin.setValue(version.flush_ml)
        self.instructions_edit.setPlainText(medicine.instructions)
        if self.prescriber_combo is not None:
            self._select_contact(self.prescriber_combo, medicine.prescriber_id)
        if self.pharmacy_combo is not None:
            self._select_contact(self.pharmacy_combo, medicine.pharmacy_id)
        self.supply_unit.setText(medicine.supply.unit)
        self.per_dose_edit.setText(_number(medicine.supply.per_dose)
                                   if medicine.supply.per_dose is not None else "")
        self.reorder_spin.setValue(medicine.supply.reorder_days)
        self.valid_from_edit.set_value(max(self._today, version.valid_from))
        self._set_reference_link(medicine.reference_id)

    def _select_contact(self, combo: ComboBox, contact_id: int | None) -> None:
        if contact_id is not None and combo.findData(contact_id) < 0:
            name = self._contact_name(contact_id) or f"Contact #{contact_id}"
            combo.addItem(f"{name} (not on the care team list)" if "(" not in name else name,
                          contact_id)
        combo.select_data(contact_id)

    def _set_food_rule(self, rule: FoodRule) -> None:
        self.food_combo.select_data(rule.kind.value)
        self.food_before.setValue(rule.before_minutes)
        self.food_after.setValue(rule.after_minutes)
        self.food_note.setText(rule.note)
        self._update_food()

    def _set_reference_link(self, reference_id: str) -> None:
        self._reference_id = reference_id
        data = self.form_combo.currentData()
        link = reference_link(self._reference, reference_id, Form(data) if data else None)
        self.link_label.setText(link.text)
        self.link_row.setVisible(link.shown)
        self.link_warning.setText(link.warning)
        self.link_warning.setVisible(bool(link.warning))

    # ---- Private: reacting to edits

    def _connect_changes(self) -> None:
        schedule = self._schedule_preview
        for edit in (self.dose_amount, self.dose_unit):
            edit.textChanged.connect(schedule)
        self.regimen_editor.changed.connect(schedule)
        self.start_edit.dateChanged.connect(schedule)
        self.start_edit.dateChanged.connect(
            lambda: self.regimen_editor.set_default_start(self.start_edit.value()))
        self.end_edit.changed.connect(schedule)
        if self._stored is not None:
            self.valid_from_edit.dateChanged.connect(schedule)
        self.dose_unit.textChanged.connect(self.regimen_editor.set_default_unit)
        self.regimen_editor.changed.connect(self._update_dose_row)
        self.route_combo.currentIndexChanged.connect(self._update_flush)
        self.food_combo.currentIndexChanged.connect(self._update_food)
        for spin in (self.food_before, self.food_after):
            spin.valueChanged.connect(self._update_food)
        self.food_note.textChanged.connect(self._update_food)
        self._update_dose_row()
        self._update_flush()

    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def _update_dose_row(self) -> None:
        steps = self.regimen_editor.uses_step_doses()
        self.dose_row.setEnabled(not steps)
        fit_placeholder(self.dose_amount,
                        *(form.STEP_AMOUNT_HINTS if steps else form.AMOUNT_HINTS))

    def _update_flush(self) -> None:
        route = self._route()
        tube = route is not None and route.is_tube
        self.flush_spin.setEnabled(tube)
        self.flush_hint.setText("before and after the dose" if tube else
                                "only when given through a feeding tube")

    def _update_food(self) -> None:
        kind = FoodRuleKind(self.food_combo.currentData())
        timed = kind in (FoodRuleKind.EMPTY_STOMACH, FoodRuleKind.FASTING)
        for widget in (self.food_before_label, self.food_before, self.food_after_label,
                       self.food_after):
            widget.setVisible(timed)
        if kind is FoodRuleKind.EMPTY_STOMACH:
            texts = ("At least", " before food", "or at least", " after food")
        else:
            texts = ("No food for", " before the dose", "and for", " after it")
        self.food_before_label.setText(texts[0])
        self.food_after_label.setText(texts[2])
        # only when it changes: setting a suffix rewrites the text being typed
        for spin, suffix in ((self.food_before, texts[1]), (self.food_after, texts[3])):
            if spin.suffix() != suffix:
                spin.setSuffix(suffix)
        self.food_words.setText(describe_food_rule(self._food_rule()))

    def _on_reference_search(self, text: str) -> None:
        self.reference_model.set_query(text)
        if self.reference_model.rowCount():
            self.reference_view.setCurrentIndex(self.reference_model.index(0))
        else:
            self._on_reference_selected(QItemSelection(), QItemSelection())

    def _on_reference_selected(self, _selected, _deselected) -> None:
        index = self.reference_view.currentIndex()
        self.reference_form.blockSignals(True)
        self.reference_form.clear()
        if index.isValid():
            for form in self.reference_model.entry(index.row()).forms:
                self.reference_form.addItem(form.label())
        self.reference_form.blockSignals(False)
        self.fill_button.setEnabled(index.isValid())
        self._update_reference_warning()

    def _update_reference_warning(self) -> None:
        index = self.reference_view.currentIndex()
        warning = (availability_warning(self._reference,
                                        self.reference_model.entry(index.row()).id,
                                        self.reference_form.currentIndex())
                   if index.isValid() else "")
        self.reference_warning.setText(warning)
        self.reference_warning.setVisible(bool(warning))

    # ---- Private: reading the form

    def _route(self) -> Route | None:
        data = self.route_combo.currentData()
        return Route(data) if data else None

    def _food_rule(self) -> FoodRule:
        kind = FoodRuleKind(self.food_combo.currentData())
        timed = kind in (FoodRuleKind.EMPTY_STOMACH, FoodRuleKind.FASTING)
        return FoodRule(kind, self.food_before.value() if timed else 0,
                        self.food_after.value() if timed else 0, self.food_note.text().strip())

    def _dose(self, errors: dict[str, str]) -> Dose:
        unit = self.dose_unit.text()
        try:
            amount = read_amount(self.dose_amount.text(), required=True)
        except ValueError as exc:
            errors["dose_amount"] = str(exc)
            return Dose(0, unit)
        assert amount is not None
        return Dose(amount, unit)

    def _regimen(self, start: date, errors: dict[str, str]) -> Regimen:
        try:
            return self.regimen_editor.regimen(start)
        except ValidationError as exc:
            errors.update(exc.errors)
            return DailyRegimen(start=start, times=(time(8),))  # stands in while checking

    def _version(self, valid_from: date, errors: dict[str, str]) -> MedicineVersion:
        regimen = self._regimen(valid_from, errors)
        if isinstance(regimen, StepsRegimen):
            dose = regimen.steps[0].dose
        else:
            dose = self._dose(errors)
        route = self._route() or Route.OTHER
        return MedicineVersion(
            valid_from=valid_from, strength=self.strength_edit.text(),
            form=Form(self.form_combo.currentData()), route=route, dose=dose, regimen=regimen,
            do_not_crush=self.crush_check.isChecked(),
            flush_ml=self.flush_spin.value() if route.is_tube else 0,
            note=self.change_note_edit.text() if self._stored is not None else "")

    def _supply(self, errors: dict[str, str]) -> SupplySettings:
        stored = self._stored.supply if self._stored else SupplySettings()
        per_dose: float | None = None
        try:
            per_dose = read_amount(self.per_dose_edit.text(), required=False)
        except ValueError as exc:
            errors["per_dose"] = str(exc)
        return replace(stored, unit=self.supply_unit.text(), per_dose=per_dose,
                       reorder_days=self.reorder_spin.value())

    def _details(self, errors: dict[str, str]) -> Medicine:
        base = self._stored or Medicine(generic_name="", start_date=self._today, versions=())
        return replace(
            base, generic_name=self.name_edit.text(), brand_name=self.brand_edit.text(),
            purpose=self.purpose_edit.text(), instructions=self.instructions_edit.toPlainText(),
            food_rule=self._food_rule(),
            given_by=GivenBy.CLINIC if self.clinic_radio.isChecked() else GivenBy.HOME,
            prescriber_id=(self.prescriber_combo.currentData() if self.prescriber_combo
                           is not None else base.prescriber_id),
            pharmacy_id=(self.pharmacy_combo.currentData() if self.pharmacy_combo
                         is not None else base.pharmacy_id),
            reference_id=self._reference_id, start_date=self.start_edit.value(),
            end_date=self.end_edit.value(), review_date=self.review_edit.value(),
            supply=self._supply(errors))

    def _collect_new(self) -> MedicineChange:
        errors: dict[str, str] = {}
        details = self._details(errors)
        version = self._version(details.start_date, errors)
        return new_medicine(details, version, errors)

    def _collect_edit(self, stored: Medicine) -> MedicineChange:
        errors: dict[str, str] = {}
        details = self._details(errors)
        version = self._version(self.valid_from_edit.value(), errors)
        return edit_of(stored, details, version, errors)

    def _preview_medicine(self) -> tuple[Medicine, datetime]:
        """The medicine as it would be saved, for the preview (ValidationError when the
        schedule cannot be worked out yet)."""
        start = self.start_edit.value()
        valid_from = self.valid_from_edit.value() if self._stored is not None else start
        regimen = self.regimen_editor.regimen(valid_from)  # raises for unreadable times
        validate_regimen(regimen)
        version = self._version(valid_from, {})
        medicine = preview_medicine(self._stored, version, start=start,
                                    end=self.end_edit.value())
        after = max(self._now, day_bounds(valid_from, self._zone)[0])
        return medicine, after


def _number(value: float) -> str:
    return format_number(value)
