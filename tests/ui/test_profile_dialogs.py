from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.ui.profile.caregivers_dialog import CaregiversDialog
from caregiver_app.ui.profile.patient_dialog import PatientDialog

TODAY = date(2026, 11, 25)


def _dialog(qtbot, patient=None):
    dialog = PatientDialog(patient, today=TODAY, default_time_zone="Europe/London")
    qtbot.addWidget(dialog)
    return dialog


def test_bad_values_are_refused_next_to_each_field(qtbot):
    dialog = _dialog(qtbot)
    dialog.dob_edit.setDate(QDate(2030, 1, 1))
    dialog.weight_edit.setText("sixty")
    assert not dialog.try_accept()
    assert dialog.result_patient() is None
    assert "full name" in dialog.errors.message("full_name")
    assert "future" in dialog.errors.message("date_of_birth")
    assert "number" in dialog.errors.message("weight")
    assert "No known allergies" in dialog.errors.message("allergies")
    # the message is also what a screen reader hears for the field
    assert dialog.name_edit.accessibleDescription() == dialog.errors.message("full_name")


def test_valid_profile_is_returned(qtbot):
    dialog = _dialog(qtbot)
    dialog.name_edit.setText("Jane Doe")
    dialog.dob_edit.setDate(QDate(1961, 4, 12))
    dialog.add_allergy_row("Penicillin", "hives")
    dialog.weight_edit.setText("58,5")
    assert dialog.try_accept()
    p = dialog.result_patient()
    assert p.full_name == "Jane Doe"
    assert p.date_of_birth == date(1961, 4, 12)
    assert p.allergy_status is AllergyStatus.HAS_ALLERGIES
    assert p.allergies[0].reaction == "hives"
    assert p.weight == 58.5
    assert p.time_zone == "Europe/London"


def test_unknown_time_zone_refused(qtbot):
    dialog = _dialog(qtbot)
    dialog.name_edit.setText("Jane")
    dialog.nka_radio.setChecked(True)
    dialog.tz_combo.setCurrentText("Mars/Olympus")
    assert not dialog.try_accept()
    assert "time zone" in dialog.errors.message("time_zone")


def test_existing_profile_loads(qtbot):
    patient = Patient("Jane Doe", None, AllergyStatus.NONE_KNOWN, time_zone="America/Denver")
    dialog = _dialog(qtbot, patient)
    assert dialog.nka_radio.isChecked()
    assert dialog.tz_combo.currentText() == "America/Denver"
    assert dialog.try_accept()
    assert dialog.result_patient() == patient


def test_caregivers_dialog_refuses_duplicate_initials(qtbot):
    dialog = CaregiversDialog([Caregiver("Tom Smith", "TS", id=1)])
    qtbot.addWidget(dialog)
    dialog.add_row("Tara Sun", "TS", edit=False)
    assert not dialog.try_accept()
    assert "Row 2" in dialog.error_label.text()
    assert "already uses TS" in dialog.error_label.text()


def test_caregivers_dialog_suggests_initials(qtbot):
    dialog = CaregiversDialog([])
    qtbot.addWidget(dialog)
    dialog.model.item(0, 0).setText("Ana Helper")
    assert dialog.model.item(0, 1).text() == "AH"
    assert dialog.try_accept()
