"""The medicine dialog: every regimen kind saved and read back, inline validation that
saves nothing, the live preview, the reference pre-fill (never a dose), and editing as a
new version from a chosen date."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from medicine_builders import D0, at
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.regimens import (
    EDARAVONE_FIRST_CYCLE,
    EDARAVONE_LATER_CYCLES,
    AsNeededRegimen,
    CyclePhase,
    CycleRegimen,
    DailyRegimen,
    DoseStep,
    IntervalRegimen,
    IntervalUnit,
    LoadingRegimen,
    RegimenKind,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.domain.vocab import FoodRuleKind, Form, Route
from caregiver_app.ui.medications.dialog_models import StepsModel


def fill(dialog, *, name="riluzole", amount="1", unit="tablet", times="08:00, 20:00",
         purpose=""):
    dialog.name_edit.setText(name)
    dialog.dose_amount.setText(amount)
    dialog.dose_unit.setText(unit)
    dialog.regimen_editor.times_edit.setText(times)
    if purpose:
        dialog.purpose_edit.setText(purpose)


def choose_reference(dialog, query: str, form_label: str | None = None) -> None:
    dialog.reference_search.setText(query)
    assert dialog.reference_model.rowCount() >= 1
    if form_label is not None:
        labels = [dialog.reference_form.itemText(i)
                  for i in range(dialog.reference_form.count())]
        dialog.reference_form.setCurrentIndex(labels.index(form_label))


# ---- Saving every kind of schedule


def _weekdays(dialog):
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.WEEKDAYS)
    editor.weekday_boxes[0].setChecked(True)
    editor.weekday_boxes[3].setChecked(True)
    editor.times_edit.setText("9am")
    return WeekdaysRegimen(D0, frozenset({0, 3}), (time(9),))


def _interval(dialog):
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.INTERVAL)
    editor.every_spin.setValue(2)
    editor.unit_combo.select_data(IntervalUnit.WEEKS.value)
    editor.anchor_edit.set_value(D0 - timedelta(days=3))
    editor.times_edit.setText("10:00")
    return IntervalRegimen(D0 - timedelta(days=3), 2, (time(10),), IntervalUnit.WEEKS)


def _cycle(dialog):
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.CYCLE)
    editor.anchor_edit.set_value(D0 - timedelta(days=61))  # already in cycle 3
    editor.later_cycles.doses.setValue(9)
    editor.cycles_spin.setValue(6)
    editor.times_edit.setText("07:00")
    return CycleRegimen(D0 - timedelta(days=61), (time(7),), EDARAVONE_FIRST_CYCLE,
                        CyclePhase(9, 14, 28), cycles=6)


def _loading(dialog):
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.LOADING)
    editor.times_edit.setText("09:00")
    editor.maintenance_spin.setValue(30)
    dialog.clinic_radio.setChecked(True)
    return LoadingRegimen(D0, time(9), 3, 14, 30)


def _as_needed(dialog):
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.AS_NEEDED)
    editor.interval_hours.setValue(4)
    editor.interval_minutes.setValue(30)
    editor.max_spin.setValue(3)
    dialog.purpose_edit.setText("Drooling")
    return AsNeededRegimen(D0, timedelta(hours=4, minutes=30), 3)


def _steps(dialog):
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.STEPS)
    model = editor.steps_model
    assert model.rowCount() == 1  # one step to start with
    model.setData(model.index(0, StepsModel.AMOUNT), 1.0)
    model.setData(model.index(0, StepsModel.UNIT), "tablet")
    model.setData(model.index(0, StepsModel.TIMES), "08:00, 14:00, 20:00")
    model.setData(model.index(0, StepsModel.END), QDate(D0 + timedelta(days=6)))
    editor.add_step_button.click()
    model.setData(model.index(1, StepsModel.AMOUNT), 2.0)
    return StepsRegimen((
        DoseStep(D0, Dose(1, "tablet"), (time(8), time(14), time(20)), D0 + timedelta(days=6)),
        DoseStep(D0 + timedelta(days=7), Dose(2, "tablet"), (time(8), time(14), time(20))),
    ))


def _daily(dialog):
    return DailyRegimen(D0, (time(8), time(20)))


@pytest.mark.parametrize("setup", [_daily, _weekdays, _interval, _cycle, _loading,
                                   _as_needed, _steps])
def test_each_kind_of_schedule_is_saved_and_read_back(open_dialog, book, setup):
    dialog = open_dialog()
    fill(dialog)
    expected = setup(dialog)
    assert dialog.try_accept(), dialog.errors._messages
    [saved] = book.medicines()
    assert saved.versions[0].regimen == expected
    assert saved.versions[0].dose == (expected.steps[0].dose if isinstance(
        expected, StepsRegimen) else Dose(1, "tablet"))
    if isinstance(expected, LoadingRegimen):
        assert saved.given_by is GivenBy.CLINIC
    assert dialog.result_medicine() == saved


# ---- Validation


def test_bad_values_are_shown_by_their_fields_and_nothing_is_saved(open_dialog, book, qtbot):
    dialog = open_dialog()
    fill(dialog, name="  ", amount="two", times="25:00")
    dialog.flush_spin.setValue(0)
    with qtbot.assertNotEmitted(book.changes.changed):
        assert not dialog.try_accept()
    assert "name" in dialog.errors.message("generic_name")
    assert "number" in dialog.errors.message("dose_amount")
    assert "25:00" in dialog.errors.message("times")
    assert dialog.isVisible() and book.medicines() == []


@pytest.mark.parametrize("field, setup, words", [
    ("weekdays", lambda e: e.set_kind(RegimenKind.WEEKDAYS), "day of the week"),
    ("times", lambda e: e.times_edit.setText(""), "time of day"),
    ("first_cycle", lambda e: (e.set_kind(RegimenKind.CYCLE), e.first_cycle.doses.setValue(20)),
     "dosing period"),
    ("times", lambda e: (e.set_kind(RegimenKind.LOADING), e.times_edit.setText("8am, 9pm")),
     "one time"),
    ("steps", lambda e: (e.set_kind(RegimenKind.STEPS),), "Step 1"),
])
def test_schedule_problems_land_next_to_their_field(open_dialog, book, field, setup, words):
    dialog = open_dialog()
    fill(dialog)
    setup(dialog.regimen_editor)
    assert not dialog.try_accept()
    assert words in dialog.errors.message(field)
    assert book.medicines() == []


def test_as_needed_medicine_must_say_what_it_is_for(open_dialog, book):
    dialog = open_dialog()
    fill(dialog)
    dialog.regimen_editor.set_kind(RegimenKind.AS_NEEDED)
    assert not dialog.try_accept()
    assert "what this as-needed medicine is for" in dialog.errors.message("purpose")
    dialog.purpose_edit.setText("Drooling")
    assert dialog.try_accept()


def test_a_refusal_from_the_book_is_shown_in_the_dialog(open_dialog, book, monkeypatch):
    from caregiver_app.domain.errors import ValidationError

    dialog = open_dialog()
    fill(dialog)

    def refuse(medicine):
        raise ValidationError({"generic_name": "Already on the list."})

    monkeypatch.setattr(book, "add_medicine", refuse)
    assert not dialog.try_accept()
    assert dialog.errors.message("generic_name") == "Already on the list."
    assert dialog.isVisible()


# ---- Live preview


def preview_rows(dialog):
    return dialog.preview_rows()


def test_preview_follows_the_form(open_dialog, book, qtbot):
    dialog = open_dialog()
    assert preview_rows(dialog) == []
    assert "appears when the schedule is complete" in dialog.preview_status.text()
    with qtbot.assertNotEmitted(book.changes.changed):
        fill(dialog, times="08:00")
        assert dialog._preview_timer.isActive()  # debounced, not on every key
        qtbot.waitUntil(lambda: len(preview_rows(dialog)) == 14)
        rows = preview_rows(dialog)
        # noon on D0: the first dose is tomorrow at 08:00
        assert rows[0] == ("Tue 6 Jan 08:00", "1 tablet", "")
        dialog.regimen_editor.times_edit.setText("13:30")
        qtbot.waitUntil(lambda: preview_rows(dialog)[0][0] == "Mon 5 Jan 13:30")
        dialog.dose_amount.setText("2")
        qtbot.waitUntil(lambda: preview_rows(dialog)[0][1] == "2 tablets")
    assert book.medicines() == []


def test_preview_labels_cycle_and_loading_doses(open_dialog, qtbot):
    dialog = open_dialog()
    fill(dialog, amount="5", unit="mL", times="07:00")
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.CYCLE)
    editor.anchor_edit.set_value(D0 - timedelta(days=61))  # cycle 3 began 5 days ago
    # today's dose (day 6) was due at 07:00, before now (noon)
    qtbot.waitUntil(lambda: preview_rows(dialog)[:1] == [
        ("Tue 6 Jan 07:00", "5 mL", "cycle 3, day 7 of 10")])
    rows = preview_rows(dialog)
    assert [r[2] for r in rows[:4]] == [f"cycle 3, day {n} of 10" for n in range(7, 11)]
    assert rows[4][::2] == ("Wed 28 Jan 07:00", "cycle 4, day 1 of 10")  # 28-day cycles
    editor.set_kind(RegimenKind.LOADING)
    editor.anchor_edit.set_value(D0 + timedelta(days=1))
    qtbot.waitUntil(lambda: [r[2] for r in preview_rows(dialog)][:4] == [
        "loading 1 of 3", "loading 2 of 3", "loading 3 of 3", "maintenance"])
    days = [r[0] for r in preview_rows(dialog)[:4]]
    assert days == ["Tue 6 Jan 07:00", "Tue 20 Jan 07:00", "Tue 3 Feb 07:00",
                    "Tue 3 Mar 07:00"]


def test_preview_of_as_needed_and_unreadable_times(open_dialog, qtbot):
    dialog = open_dialog()
    fill(dialog, times="soon")
    qtbot.waitUntil(lambda: "Write times like" in dialog.preview_status.text())
    dialog.regimen_editor.set_kind(RegimenKind.AS_NEEDED)
    dialog.regimen_editor.interval_hours.setValue(6)
    qtbot.waitUntil(lambda: "As needed, at least 6 hours apart" in
                    dialog.preview_status.text())
    assert preview_rows(dialog) == []


def test_preview_model_is_a_good_model(open_dialog, qtbot, qtmodeltester):
    dialog = open_dialog()
    fill(dialog)
    dialog.refresh_preview()
    assert dialog.preview_model.rowCount() == 14
    qtmodeltester.check(dialog.preview_model)


# ---- The medicine reference


def test_riluzole_fills_in_the_empty_stomach_rule_and_never_a_dose(open_dialog):
    dialog = open_dialog()
    choose_reference(dialog, "rilutek")
    assert dialog.reference_model.entry(0).id == "riluzole"
    assert dialog.reference_warning.isHidden()
    assert dialog.apply_chosen_reference()
    assert dialog.name_edit.text() == "riluzole"
    assert dialog.brand_edit.text() == "Rilutek"
    assert dialog.strength_edit.text() == "50 mg"
    assert dialog.form_combo.currentData() == Form.TABLET.value
    assert dialog.food_combo.currentData() == FoodRuleKind.EMPTY_STOMACH.value
    assert (dialog.food_before.value(), dialog.food_after.value()) == (60, 120)
    assert "at least 1 hour before or at least 2 hours after" in dialog.food_words.text()
    assert dialog.dose_amount.text() == ""
    assert dialog.regimen_editor.times_edit.text() == ""
    assert "riluzole" in dialog.link_label.text()


def test_oral_edaravone_fills_in_fasting_flush_and_the_cycle_pattern(open_dialog, book):
    dialog = open_dialog()
    choose_reference(dialog, "Radicava ORS")
    dialog.apply_chosen_reference()
    assert dialog.food_combo.currentData() == FoodRuleKind.FASTING.value
    assert (dialog.food_before.value(), dialog.food_after.value()) == (480, 60)
    # read as hours, not "480 min"
    assert dialog.food_before.text() == "8 h before the dose"
    assert dialog.food_after.text() == "1 h after it"
    assert dialog.flush_spin.value() == 30
    routes = [dialog.route_combo.itemData(i) for i in range(3)]
    assert routes == [Route.ORAL.value, Route.FEEDING_TUBE.value, Route.NG_TUBE.value]
    editor = dialog.regimen_editor
    assert editor.kind() is RegimenKind.CYCLE
    assert editor.first_cycle.phase() == EDARAVONE_FIRST_CYCLE
    assert editor.later_cycles.phase() == EDARAVONE_LATER_CYCLES
    assert dialog.dose_amount.text() == "" and editor.times_edit.text() == ""
    assert not dialog.flush_spin.isEnabled()  # by mouth: no flush
    dialog.route_combo.select_data(Route.FEEDING_TUBE.value)
    assert dialog.flush_spin.isEnabled()
    dialog.dose_amount.setText("5")
    dialog.dose_unit.setText("mL")
    editor.times_edit.setText("07:00")
    assert dialog.try_accept(), dialog.errors._messages
    [saved] = book.medicines()
    version = saved.versions[0]
    assert (version.flush_ml, version.route, version.dose) == (30, Route.FEEDING_TUBE,
                                                                Dose(5, "mL"))
    assert saved.reference_id == "edaravone-oral"
    assert saved.food_rule.kind is FoodRuleKind.FASTING


def test_tofersen_fills_in_the_loading_pattern_at_the_clinic(open_dialog):
    dialog = open_dialog()
    choose_reference(dialog, "tofersen")
    dialog.apply_chosen_reference()
    editor = dialog.regimen_editor
    assert editor.kind() is RegimenKind.LOADING
    assert (editor.loading_spin.value(), editor.loading_gap_spin.value(),
            editor.maintenance_spin.value()) == (3, 14, 28)
    assert dialog.clinic_radio.isChecked()
    assert dialog.dose_amount.text() == ""


def test_withdrawn_relyvrio_is_flagged_in_plain_words(open_dialog):
    dialog = open_dialog()
    choose_reference(dialog, "Relyvrio")
    assert dialog.reference_warning.isVisibleTo(dialog)
    assert "Withdrawn from the market" in dialog.reference_warning.text()
    assert "2024" in dialog.reference_warning.text()
    dialog.apply_chosen_reference()
    assert "Withdrawn from the market" in dialog.link_warning.text()
    assert dialog.link_warning.isVisibleTo(dialog)


def test_no_reference_entry_ever_fills_in_a_dose_or_a_time(open_dialog, reference):
    dialog = open_dialog()
    dialog.regimen_editor.times_edit.setText("")
    for entry in reference:
        for index in range(len(entry.forms)):
            dialog.apply_prefill(reference.prefill(entry.id, index))
            assert dialog.dose_amount.text() == "", entry.id
            assert dialog.dose_unit.text() == "", entry.id
            assert dialog.regimen_editor.times_edit.text() == "", entry.id
            assert dialog.regimen_editor.interval_hours.value() == 0, entry.id
            assert dialog.regimen_editor.max_spin.value() == 0, entry.id


def test_reference_list_model(open_dialog, qtmodeltester):
    dialog = open_dialog()
    qtmodeltester.check(dialog.reference_model)
    dialog.reference_search.setText("glyco")
    qtmodeltester.check(dialog.reference_model)
    assert dialog.reference_model.entry(0).id == "glycopyrrolate"


def test_steps_model(open_dialog, qtmodeltester):
    dialog = open_dialog()
    _steps(dialog)
    qtmodeltester.check(dialog.regimen_editor.steps_model)


# ---- Editing keeps the past


@pytest.fixture
def riluzole(open_dialog, book):
    dialog = open_dialog()
    fill(dialog)
    dialog.strength_edit.setText("50 mg")
    assert dialog.try_accept()
    return book.medicines()[0]


def test_editing_the_dose_adds_a_version_from_the_chosen_day(open_dialog, book, riluzole,
                                                             fake_clock):
    fake_clock.set(at(D0 + timedelta(days=3), 12))
    dialog = open_dialog(riluzole)
    assert dialog.valid_from_edit.value() == D0 + timedelta(days=3)  # today by default
    assert "Days before it keep what was due then" in dialog.version_explanation.text()
    dialog.form_combo.select_data(Form.LIQUID.value)
    dialog.strength_edit.setText("50 mg/10 mL")
    dialog.dose_amount.setText("10")
    dialog.dose_unit.setText("mL")
    dialog.valid_from_edit.set_value(D0 + timedelta(days=7))
    dialog.change_note_edit.setText("Swallowing tablets is harder")
    assert dialog.try_accept(), dialog.errors._messages
    saved = book.medicine(riluzole.id)
    assert [v.valid_from for v in saved.versions] == [D0, D0 + timedelta(days=7)]
    assert saved.versions[1].note == "Swallowing tablets is harder"
    before = book.occurrence(riluzole.id, f"{(D0 + timedelta(days=6)).isoformat()}T08:00")
    after = book.occurrence(riluzole.id, f"{(D0 + timedelta(days=7)).isoformat()}T08:00")
    assert (before.dose, before.form) == (Dose(1, "tablet"), Form.TABLET)
    assert (after.dose, after.form) == (Dose(10, "mL"), Form.LIQUID)


def test_editing_only_the_details_adds_no_version(open_dialog, book, riluzole):
    dialog = open_dialog(riluzole)
    dialog.instructions_edit.setPlainText("Crush and mix with a spoon of yoghurt? Ask first.")
    assert dialog.try_accept()
    saved = book.medicine(riluzole.id)
    assert len(saved.versions) == 1
    assert saved.instructions.startswith("Crush and mix")
    assert not dialog.result_change().new_version


def test_a_change_cannot_start_before_the_last_one(open_dialog, book, riluzole, qtbot):
    book.change_version(riluzole.id, replace(riluzole.versions[0], id=None, dose=Dose(2, "tablet"),
                                             valid_from=D0 + timedelta(days=10)))
    medicine = book.medicine(riluzole.id)
    dialog = open_dialog(medicine)
    dialog.name_edit.setText("riluzole (new name)")
    dialog.dose_amount.setText("3")
    dialog.valid_from_edit.set_value(D0 + timedelta(days=2))
    with qtbot.assertNotEmitted(book.changes.changed):
        assert not dialog.try_accept()
    assert "on or after" in dialog.errors.message("valid_from")
    # nothing saved half-way: the new name waits for the whole form
    assert book.medicine(riluzole.id).generic_name == "riluzole"


def test_edit_preview_starts_on_the_day_the_change_starts(open_dialog, riluzole, qtbot):
    dialog = open_dialog(riluzole)
    dialog.dose_amount.setText("2")
    dialog.valid_from_edit.set_value(D0 + timedelta(days=5))
    qtbot.waitUntil(lambda: preview_rows(dialog)[:1] == [
        ("Sat 10 Jan 08:00", "2 tablets", "")])


# ---- Accessibility and size


def _focusable(dialog) -> list[QWidget]:
    found = []
    for widget in dialog.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(dialog):
            continue
        if widget.focusProxy() is not None:
            continue  # never holds focus: hands it to its (named) field
        parent = widget.parentWidget()
        if isinstance(widget, QScrollBar) or isinstance(parent, QAbstractSpinBox | QComboBox):
            continue  # parts of a named control
        if isinstance(parent, QAbstractScrollArea) or widget.objectName().startswith("qt_"):
            continue
        found.append(widget)
    return found


@pytest.mark.parametrize("kind", list(RegimenKind))
def test_every_control_has_an_accessible_name(open_dialog, riluzole, kind):
    dialog = open_dialog(riluzole)
    dialog.regimen_editor.set_kind(kind)
    unnamed = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
               for w in _focusable(dialog) if not w.accessibleName()]
    assert unnamed == []


def test_the_dialog_fits_the_screen_at_large_text(book, reference, qtbot):
    from caregiver_app.ui.medications.medicine_dialog import MedicineDialog

    app = QApplication.instance()
    font = app.font()
    larger = type(font)(font)
    larger.setPointSizeF(font.pointSizeF() * 1.5)
    app.setFont(larger)
    try:
        dialog = MedicineDialog(reference=reference, today=D0, now=book.now(),
                                zone=book.zone())
        qtbot.addWidget(dialog)
        screen = dialog.screen().availableGeometry()
        assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
        assert dialog.scroll.widgetResizable()
    finally:
        app.setFont(font)


@pytest.mark.parametrize("editing", [False, True])
def test_keyboard_shortcuts_are_unique_for_every_kind(open_dialog, riluzole, editing):
    import re
    from collections import defaultdict

    from PySide6.QtWidgets import QAbstractButton, QLabel

    dialog = open_dialog(riluzole if editing else None)
    if editing:
        dialog.reference_toggle.setChecked(True)
    for kind in RegimenKind:
        dialog.regimen_editor.set_kind(kind)
        keys = defaultdict(list)
        for widget in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
            found = re.search(r"&(\w)", widget.text())
            if found and widget.isVisibleTo(dialog):
                keys[found.group(1).lower()].append(widget.text())
        assert {k: v for k, v in keys.items() if len(v) > 1} == {}, kind


@pytest.mark.parametrize("setup", [_daily, _weekdays, _as_needed, _steps, _cycle])
def test_saving_an_unchanged_medicine_days_later_adds_no_version(open_dialog, book,
                                                                 fake_clock, qtbot, setup):
    dialog = open_dialog()
    fill(dialog)
    setup(dialog)
    assert dialog.try_accept(), dialog.errors._messages
    [saved] = book.medicines()
    fake_clock.set(at(D0 + timedelta(days=9), 12))
    again = open_dialog(saved)
    with qtbot.assertNotEmitted(book.changes.changed):
        assert again.try_accept(), again.errors._messages
    assert not again.result_change().changes_anything
    assert book.medicine(saved.id).versions == saved.versions


def test_an_as_needed_reference_entry_chooses_as_needed_without_limits(book, qtbot):
    """An entry whose label makes it an as-needed medicine picks that schedule kind, with
    no interval or maximum filled in. (No entry of the real reference is as-needed now:
    tizanidine's current label gives a regular schedule; the test reference has one.)"""
    from pathlib import Path

    from caregiver_app.domain.reference import load_reference
    from caregiver_app.ui.medications.medicine_dialog import MedicineDialog

    fixtures = Path(__file__).resolve().parents[2] / "domain" / "reference_fixtures"
    dialog = MedicineDialog(reference=load_reference(fixtures / "valid.toml"),
                            today=book.today(), now=book.now(), zone=book.zone(),
                            preview=lambda m, after: book.upcoming(m, after=after))
    qtbot.addWidget(dialog)
    dialog.show()
    choose_reference(dialog, "examplumab")
    dialog.apply_chosen_reference()
    editor = dialog.regimen_editor
    assert editor.kind() is RegimenKind.AS_NEEDED
    assert (editor.interval_hours.value(), editor.interval_minutes.value(),
            editor.max_spin.value()) == (0, 0, 0)  # the prescription sets the limits


def test_enter_in_the_reference_search_fills_in_and_does_not_save(open_dialog, book, qtbot):
    from PySide6.QtTest import QTest

    dialog = open_dialog()
    dialog.activateWindow()
    dialog.reference_search.setFocus()
    QTest.keyClicks(dialog.reference_search, "rilu")
    QTest.keyClick(dialog.reference_search, Qt.Key.Key_Return)
    assert dialog.name_edit.text() == "riluzole"
    assert dialog.isVisible() and dialog.errors._messages == {}
    dialog.name_edit.clear()
    QTest.keyClick(dialog.reference_view, Qt.Key.Key_Return)
    assert dialog.name_edit.text() == "riluzole"
    assert dialog.isVisible() and book.medicines() == []


def test_down_and_up_in_the_reference_search_move_through_the_matches(open_dialog, qtbot):
    """Issue #11 item 12: Down in the search box moved the focus into the list and left
    the best match chosen, so Down never reached the second match from the box."""
    from PySide6.QtTest import QTest

    dialog = open_dialog()
    dialog.activateWindow()
    dialog.reference_search.setFocus()
    QTest.keyClicks(dialog.reference_search, "in")  # several matches
    model, view = dialog.reference_model, dialog.reference_view
    names = [model.index(row).data() for row in range(model.rowCount())]
    assert len(names) >= 3 and view.currentIndex().row() == 0  # the best match
    QTest.keyClick(dialog.reference_search, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    QTest.keyClick(dialog.reference_search, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 2
    assert dialog.focusWidget() is dialog.reference_search  # the typing stays in the box
    assert dialog.reference_search.accessibleDescription() == \
        f"3 of {len(names)}: {names[2]}"
    QTest.keyClick(dialog.reference_search, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 1
    QTest.keyClick(dialog.reference_search, Qt.Key.Key_Return)  # Enter fills in that one
    assert dialog.name_edit.text().lower() in names[1].lower()
    for _ in range(len(names) + 2):  # never past the last
        QTest.keyClick(dialog.reference_search, Qt.Key.Key_Down)
    assert view.currentIndex().row() == len(names) - 1


def test_dose_steps_can_be_typed_with_the_keyboard(open_dialog, qtbot):
    from PySide6.QtTest import QTest

    dialog = open_dialog()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    editor = dialog.regimen_editor
    editor.set_kind(RegimenKind.STEPS)
    view = editor.steps_view
    view.setFocus()
    view.setCurrentIndex(editor.steps_model.index(0, StepsModel.AMOUNT))
    QTest.keyClick(view, Qt.Key.Key_2)
    [field] = [w for w in view.findChildren(QAbstractSpinBox) if w.isVisible()]
    assert field.accessibleName() == "Amount of step 1"
    QTest.keyClick(field, Qt.Key.Key_Return)  # the delegate commits on the next loop
    qtbot.waitUntil(lambda: editor.steps_model.step_rows()[0].amount == 2.0)
    assert dialog.isVisible() and dialog.errors._messages == {}


def test_food_times_are_typed_in_hours_and_minutes(open_dialog, qtbot):
    from PySide6.QtTest import QTest

    dialog = open_dialog()
    dialog.food_combo.select_data(FoodRuleKind.FASTING.value)
    spin = dialog.food_before
    for typed, minutes, shown in (("2 h 30", 150, "2 h 30 min before the dose"),
                                  ("90", 90, "1 h 30 min before the dose"),
                                  ("4 hours", 240, "4 h before the dose")):
        spin.lineEdit().selectAll()
        QTest.keyClicks(spin, typed)
        spin.interpretText()
        assert (spin.value(), spin.text()) == (minutes, shown), typed
    assert "4 hours before" in dialog.food_words.text()
