"""How the medicine dialog is laid out: its boxes of fields (the reference search,
the medicine, the schedule, how it is given, the supply) and the preview of due doses,
each built onto the ``MedicineDialog`` it is given. Moved out of the dialog, which keeps
loading, reacting to edits and reading the form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.amount import COMMON_UNITS
from caregiver_app.domain.preview import PREVIEW_COUNT
from caregiver_app.domain.vocab import FoodRuleKind, Form
from caregiver_app.ui.columns import keep_fitted
from caregiver_app.ui.completion import Completer
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.medications.dialog_models import PreviewModel, ReferenceListModel
from caregiver_app.ui.medications.regimen_editor import RegimenEditor
from caregiver_app.ui.medications.widgets import (
    ChoiceList,
    ComboBox,
    DateEdit,
    MinutesSpin,
    OptionalDate,
    SearchEdit,
    SpinBox,
)
from caregiver_app.ui.widgets import fit_placeholder

#: The hint in the amount field, longest first (``fit_placeholder``): with one amount,
#: and with dose steps (each step has its own).
AMOUNT_HINTS = ("from the prescription", "as prescribed")
STEP_AMOUNT_HINTS = ("each step has its own amount", "set in each step")

_FOOD_LABELS = {
    FoodRuleKind.NONE: "No food rule",
    FoodRuleKind.WITH_FOOD: "Give with food",
    FoodRuleKind.EMPTY_STOMACH: "Empty stomach (before or after food)",
    FoodRuleKind.FASTING: "No food before and after the dose",
}

if TYPE_CHECKING:
    from caregiver_app.ui.medications.medicine_dialog import MedicineDialog


def build_version_banner(d: MedicineDialog) -> QWidget:
    box = QGroupBox("When does this change start?")
    layout = QVBoxLayout(box)
    d.version_explanation = explain = QLabel(
        "A new dose, form, route, strength or schedule starts on the day you choose. "
        "Days before it keep what was due then; nothing recorded changes. Names, "
        "instructions, food rule, contacts and supply settings are not dated.")
    explain.setWordWrap(True)
    layout.addWidget(explain)
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    d.valid_from_edit = DateEdit(accessible_name="The change starts on")
    add_row(d, form, "Th&e change starts on:", d.valid_from_edit, "valid_from")
    d.change_note_edit = QLineEdit()
    d.change_note_edit.setAccessibleName("Why it changed")
    fit_placeholder(d.change_note_edit,
                    "optional, for example: switched to liquid, swallowing is harder",
                    "optional, for example: switched to liquid", "optional")
    add_row(d, form, "Why it changed:", d.change_note_edit, "note")
    layout.addLayout(form)
    return box


def build_reference_box(d: MedicineDialog) -> QWidget:
    title = ("Start from the built-in medicine reference (optional)" if d._stored is None
             else "The built-in medicine reference")
    box = QGroupBox(title)
    outer = QVBoxLayout(box)
    # Editing: the search stays folded away until asked for.
    d.reference_toggle = QPushButton("Search the reference…")
    d.reference_toggle.setAccessibleName("Show the search of the medicine reference")
    d.reference_toggle.setCheckable(True)
    d.reference_body = QWidget()
    layout = QVBoxLayout(d.reference_body)
    layout.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(d.reference_toggle, 0, Qt.AlignmentFlag.AlignLeft)
    outer.addWidget(d.reference_body)
    editing = d._stored is not None
    d.reference_toggle.setVisible(editing)
    d.reference_body.setVisible(not editing)
    d.reference_toggle.toggled.connect(d.reference_body.setVisible)
    d.reference_search = SearchEdit(accessible_name="Search the medicine reference")
    fit_placeholder(d.reference_search, "Type a name, for example riluzole or Rilutek",
                    "Type a name, for example riluzole", "Type a name")
    search_label = QLabel("Sear&ch:")
    search_label.setBuddy(d.reference_search)
    row = QHBoxLayout()
    row.addWidget(search_label)
    row.addWidget(d.reference_search, 1)
    layout.addLayout(row)

    d.reference_model = ReferenceListModel(d._reference, d)
    d.reference_view = ChoiceList()
    d.reference_search.list_view = d.reference_view
    d.reference_view.setAccessibleName("Medicines in the reference")
    d.reference_view.setModel(d.reference_model)
    d.reference_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    d.reference_view.setFixedHeight(d.fontMetrics().height() * 5)
    layout.addWidget(d.reference_view)

    row = QHBoxLayout()
    d.reference_form = ComboBox(accessible_name="Product form from the reference")
    form_label = QLabel("Prod&uct:")
    form_label.setBuddy(d.reference_form)
    row.addWidget(form_label)
    row.addWidget(d.reference_form, 1)
    layout.addLayout(row)
    row = QHBoxLayout()
    d.fill_button = QPushButton("&Fill in from the reference")
    d.fill_button.setAccessibleName("Fill in the form from the chosen reference entry")
    d.fill_button.setEnabled(False)
    row.addWidget(d.fill_button)
    row.addStretch(1)
    layout.addLayout(row)

    d.reference_warning = warning_label("Reference warning")
    layout.addWidget(d.reference_warning)
    note = QLabel("The reference fills in facts about the product, never a dose: copy "
                  "the amount and times from the prescription.")
    note.setWordWrap(True)
    layout.addWidget(note)

    d.reference_search.textChanged.connect(d._on_reference_search)
    d.reference_view.selectionModel().selectionChanged.connect(
        d._on_reference_selected)
    d.reference_view.activated.connect(lambda _i: d.apply_chosen_reference())
    d.reference_form.currentIndexChanged.connect(d._update_reference_warning)
    d.fill_button.clicked.connect(d.apply_chosen_reference)
    d.reference_search.returnPressed.connect(d.apply_chosen_reference)
    return box


def build_medicine_box(d: MedicineDialog) -> QWidget:
    box = QGroupBox("The medicine")
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    d.link_label = QLabel()
    d.link_label.setWordWrap(True)
    d.link_label.setAccessibleName("Link to the medicine reference")
    d.unlink_button = QPushButton("Unlink")
    d.unlink_button.setAccessibleName("Remove the link to the medicine reference")
    d.unlink_button.clicked.connect(lambda: d._set_reference_link(""))
    link_row = QWidget()
    row = QHBoxLayout(link_row)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(d.link_label, 1)
    row.addWidget(d.unlink_button)
    d.link_row = link_row
    form.addRow(link_row)
    d.link_warning = warning_label("Availability warning")
    form.addRow(d.link_warning)

    d.name_edit = QLineEdit()
    d.name_edit.setAccessibleName("Medicine name (generic)")
    add_row(d, form, "&Name:", d.name_edit, "generic_name")
    d.brand_edit = QLineEdit()
    d.brand_edit.setAccessibleName("Brand name")
    fit_placeholder(d.brand_edit, "optional")
    add_row(d, form, "&Brand:", d.brand_edit, "brand_name")
    d.purpose_edit = QLineEdit()
    d.purpose_edit.setAccessibleName("What it is for")
    fit_placeholder(d.purpose_edit, "for example: muscle stiffness", "for example: cramps")
    add_row(d, form, "What it is fo&r:", d.purpose_edit, "purpose")
    d.strength_edit = QLineEdit()
    d.strength_edit.setAccessibleName("Strength")
    fit_placeholder(d.strength_edit, "as printed on the box, for example 50 mg",
                    "as printed on the box", "for example 50 mg")
    add_row(d, form, "Stren&gth:", d.strength_edit, "strength")
    d.form_combo = ComboBox(accessible_name="Form")
    for form_value in Form:
        d.form_combo.addItem(form_value.label, form_value.value)
    add_row(d, form, "F&orm:", d.form_combo, "form")
    d.route_combo = ComboBox(accessible_name="How it is given (route)")
    d._fill_routes(())
    add_row(d, form, "How it is gi&ven:", d.route_combo, "route")
    return box


def build_schedule_box(d: MedicineDialog) -> QWidget:
    box = QGroupBox("How much and when")
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

    dose = QWidget()
    column = QVBoxLayout(dose)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    row = QHBoxLayout()
    d.dose_amount = QLineEdit()
    d.dose_amount.setAccessibleName("Amount given each time")
    fit_placeholder(d.dose_amount, *AMOUNT_HINTS)
    d.dose_unit = QLineEdit()
    d.dose_unit.setAccessibleName("Unit of the amount")
    fit_placeholder(d.dose_unit, "tablet, mL, …", "tablet, …")
    d.dose_unit.setCompleter(Completer(COMMON_UNITS, d.dose_unit))
    row.addWidget(d.dose_amount, 1)
    row.addWidget(d.dose_unit, 1)
    column.addLayout(row)
    amount_error, unit_error = ErrorLabel(), ErrorLabel()
    column.addWidget(amount_error)
    column.addWidget(unit_error)
    dose.setFocusProxy(d.dose_amount)
    d.dose_label = QLabel("&Amount each time:")
    d.dose_label.setBuddy(d.dose_amount)
    form.addRow(d.dose_label, dose)
    d.dose_row = dose
    register(d, "dose_amount", d.dose_amount, amount_error)
    register(d, "dose_unit", d.dose_unit, unit_error)

    start = d._stored.start_date if d._stored else d._today
    d.regimen_editor = RegimenEditor(d.errors, default_start=start)
    form.addRow(d.regimen_editor)

    d.start_edit = DateEdit(accessible_name="Start listing doses on")
    d.start_edit.set_value(start)
    add_row(d, form, "&Starts on:", d.start_edit, "start_date")
    d.end_edit = OptionalDate("Has a last day:", accessible_name="Last day",
                                 default=d._today)
    add_row(d, form, "&Last day:", d.end_edit, "end_date")
    d.review_edit = OptionalDate("With the care team on:", accessible_name="Review date",
                                    default=d._today)
    add_row(d, form, "Review:", d.review_edit, "review_date")
    return box


def build_giving_box(d: MedicineDialog) -> QWidget:
    box = QGroupBox("How to give it")
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

    where = QWidget()
    row = QHBoxLayout(where)
    row.setContentsMargins(0, 0, 0, 0)
    d.home_radio = QRadioButton("At home")
    d.home_radio.setAccessibleName("Given at home")
    d.clinic_radio = QRadioButton("At the clinic")
    d.clinic_radio.setAccessibleName("Given at the clinic")
    d.where_group = QButtonGroup(d)
    d.where_group.addButton(d.home_radio)
    d.where_group.addButton(d.clinic_radio)
    d.home_radio.setChecked(True)
    row.addWidget(d.home_radio)
    row.addWidget(d.clinic_radio)
    row.addStretch(1)
    where.setFocusProxy(d.home_radio)
    add_row(d, form, "Given:", where, "given_by")

    food = QWidget()
    column = QVBoxLayout(food)
    column.setContentsMargins(0, 0, 0, 0)
    d.food_combo = ComboBox(accessible_name="Food rule")
    for kind, label in _FOOD_LABELS.items():
        d.food_combo.addItem(label, kind.value)
    column.addWidget(d.food_combo)
    minutes = QGridLayout()
    d.food_before_label = QLabel()
    d.food_before = MinutesSpin(0, 24 * 60, accessible_name="Time before food")
    d.food_before.setSingleStep(15)
    d.food_after_label = QLabel()
    d.food_after = MinutesSpin(0, 24 * 60, accessible_name="Time after food")
    d.food_after.setSingleStep(15)
    d.food_before_label.setBuddy(d.food_before)
    d.food_after_label.setBuddy(d.food_after)
    minutes.addWidget(d.food_before_label, 0, 0)
    minutes.addWidget(d.food_before, 0, 1)
    minutes.addWidget(d.food_after_label, 1, 0)
    minutes.addWidget(d.food_after, 1, 1)
    minutes.setColumnStretch(2, 1)
    column.addLayout(minutes)
    d.food_note = QLineEdit()
    d.food_note.setAccessibleName("Food rule note")
    fit_placeholder(d.food_note, "optional note, for example: only water for 1 hour",
                    "optional note, for example: only water", "optional note")
    column.addWidget(d.food_note)
    d.food_words = QLabel()
    d.food_words.setWordWrap(True)
    d.food_words.setAccessibleName("The food rule in plain words")
    column.addWidget(d.food_words)
    food.setFocusProxy(d.food_combo)
    add_row(d, form, "Foo&d:", food, "food_rule")

    d.crush_check = QCheckBox("Do not crush, chew or o&pen it")
    d.crush_check.setAccessibleName("Do not crush, chew or open it")
    add_row(d, form, "", d.crush_check, "do_not_crush")
    flush = QWidget()
    row = QHBoxLayout(flush)
    row.setContentsMargins(0, 0, 0, 0)
    d.flush_spin = SpinBox(0, 500, suffix=" mL",
                              accessible_name="Water to flush the tube with")
    d.flush_spin.setSpecialValueText("none")
    d.flush_spin.setSingleStep(5)
    d.flush_hint = QLabel("before and after the dose (feeding tube only)")
    d.flush_hint.setWordWrap(True)
    row.addWidget(d.flush_spin)
    row.addWidget(d.flush_hint, 1)
    flush.setFocusProxy(d.flush_spin)
    add_row(d, form, "Flush the tube &with:", flush, "flush_ml")

    d.instructions_edit = QPlainTextEdit()
    d.instructions_edit.setAccessibleName("Instructions")
    d.instructions_edit.setPlaceholderText(
        "What the caregiver should know, for example: shake well for 30 seconds")
    d.instructions_edit.setTabChangesFocus(True)
    d.instructions_edit.setFixedHeight(d.fontMetrics().height() * 4)
    add_row(d, form, "&Instructions:", d.instructions_edit, "instructions")

    if d._contacts is not None:
        d.prescriber_combo = contact_combo(d, "prescriber", "Prescriber")
        add_row(d, form, "Prescribed by:", d.prescriber_combo, "prescriber_id")
        d.pharmacy_combo = contact_combo(d, "pharmacy", "Pharmacy")
        add_row(d, form, "Pharmacy:", d.pharmacy_combo, "pharmacy_id")
    else:
        d.prescriber_combo = d.pharmacy_combo = None
    return box


def build_supply_box(d: MedicineDialog) -> QWidget:
    box = QGroupBox("Supply (optional)")
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    d.supply_unit = QLineEdit()
    d.supply_unit.setAccessibleName("Count the stock in")
    fit_placeholder(d.supply_unit, "tablet, mL … (empty: stock is not tracked)",
                    "tablet, mL …", "tablet, …")
    d.supply_unit.setCompleter(Completer(COMMON_UNITS, d.supply_unit))
    add_row(d, form, "Count stock in:", d.supply_unit, "supply_unit")
    d.per_dose_edit = QLineEdit()
    d.per_dose_edit.setAccessibleName("Stock one dose uses")
    fit_placeholder(d.per_dose_edit, "empty: the amount of the dose", "empty: one dose")
    add_row(d, form, "One dose uses:", d.per_dose_edit, "per_dose")
    reorder = QWidget()
    row = QHBoxLayout(reorder)
    row.setContentsMargins(0, 0, 0, 0)
    d.reorder_spin = SpinBox(0, 120,
                                accessible_name="Warn this many days before it runs out")
    d.reorder_spin.set_units(" day", " days")
    d.reorder_spin.setValue(7)
    ahead = QLabel("before it runs out")
    ahead.setWordWrap(True)
    row.addWidget(d.reorder_spin)
    row.addWidget(ahead, 1)
    reorder.setFocusProxy(d.reorder_spin)
    add_row(d, form, "Warn to reorder:", reorder, "reorder_days")
    hint = QLabel("Record refills, stock counts and opened bottles from the medicine "
                  "list (Stock).")
    hint.setWordWrap(True)
    form.addRow(hint)
    return box


def build_preview(d: MedicineDialog) -> QWidget:
    panel = QGroupBox(f"Preview: the next {PREVIEW_COUNT} due doses")
    layout = QVBoxLayout(panel)
    d.preview_status = QLabel()
    d.preview_status.setWordWrap(True)
    d.preview_status.setAccessibleName("Preview status")
    layout.addWidget(d.preview_status)
    d.preview_model = PreviewModel(d)
    d.preview_view = QTableView()
    d.preview_view.setAccessibleName("Next due doses")
    d.preview_view.setModel(d.preview_model)
    d.preview_view.verticalHeader().hide()
    d.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    d.preview_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    d.preview_view.setTabKeyNavigation(False)
    keep_fitted(d.preview_view)  # dates and doses wrap rather than being cut
    layout.addWidget(d.preview_view, 1)
    note = QLabel("Nothing is saved until you press Save.")
    note.setWordWrap(True)
    layout.addWidget(note)
    return panel


def add_row(d: MedicineDialog, form: QFormLayout, label: str, field: QWidget, name: str) -> None:
    """A labelled row of ``form`` with the field's message under it."""
    box, error = with_error(field)
    if label:  # (the buddy is the box: it hands focus on even when the field is a
        text = QLabel(label)  # row of several, where the field itself takes none)
        text.setBuddy(box)
        form.addRow(text, box)
    else:
        form.addRow("", box)
    register(d, name, field, error)


def register(d: MedicineDialog, name: str, field: QWidget, error: ErrorLabel) -> None:
    """``field`` answers for the form's ``name``: its message shows in ``error``."""
    d.errors.add(name, field, error)
    d._fields[name] = field


def warning_label(name: str) -> QLabel:
    """A boxed warning line, hidden until it has something to say."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    label.setFrameShape(QFrame.Shape.Box)
    label.setMargin(4)
    label.hide()
    return label


def contact_combo(d: MedicineDialog, purpose: str, name: str) -> ComboBox:
    """"None", then the care team members likely for ``purpose``, then the others."""
    combo = ComboBox(accessible_name=name)
    combo.addItem("None", None)
    assert d._contacts is not None
    choices = list(d._contacts(purpose))
    likely = [c for c in choices if c[2]]
    others = [c for c in choices if not c[2]]
    for contact_id, label, _likely in likely:
        combo.addItem(label, contact_id)
    if likely and others:
        combo.insertSeparator(combo.count())
    for contact_id, label, _likely in others:
        combo.addItem(label, contact_id)
    if not choices:
        combo.setToolTip("Add people to the Care team tab to choose them here.")
    return combo
