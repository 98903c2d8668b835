from __future__ import annotations

from datetime import date

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
    dialog.dob_edit.set_value(date(2030, 1, 1))
    dialog.weight_edit.setText("sixty")
    assert not dialog.try_accept()
    assert dialog.result_value() is None
    assert "full name" in dialog.errors.message("full_name")
    assert "future" in dialog.errors.message("date_of_birth")
    assert "number" in dialog.errors.message("weight")
    assert "No known allergies" in dialog.errors.message("allergies")
    # the message is also what a screen reader hears for the field
    assert dialog.name_edit.accessibleDescription() == dialog.errors.message("full_name")


def test_valid_profile_is_returned(qtbot):
    dialog = _dialog(qtbot)
    dialog.name_edit.setText("Jane Doe")
    dialog.dob_edit.set_value(date(1961, 4, 12))
    dialog.add_allergy_row("Penicillin", "hives")
    dialog.weight_edit.setText("58,5")
    assert dialog.try_accept()
    p = dialog.result_value()
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
    assert dialog.result_value() == patient


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


def _with_penicillin(qtbot):
    from caregiver_app.domain.patient import Allergy

    patient = Patient("Jane Doe", None, AllergyStatus.HAS_ALLERGIES,
                      allergies=(Allergy("Penicillin", "hives"),), time_zone="Europe/London")
    return _dialog(qtbot, patient)


def test_choosing_no_known_allergies_asks_before_removing_listed_ones(qtbot, monkeypatch):
    from caregiver_app.ui import messages

    asked = []
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, title, text, **kw: asked.append(text) or False)
    dialog = _with_penicillin(qtbot)
    dialog.nka_radio.setChecked(True)
    assert "Penicillin (hives)" in asked[0]
    assert dialog.has_radio.isChecked()  # kept: nothing changes
    assert dialog.try_accept()
    assert [a.substance for a in dialog.result_value().allergies] == ["Penicillin"]


def test_allergies_are_removed_only_when_the_caregiver_says_so(qtbot, monkeypatch):
    from caregiver_app.ui import messages

    monkeypatch.setattr(messages, "confirm", lambda *a, **kw: True)
    dialog = _with_penicillin(qtbot)
    dialog.nka_radio.setChecked(True)
    assert dialog.allergy_model.rowCount() == 0
    assert dialog.try_accept()
    saved = dialog.result_value()
    assert (saved.allergy_status, saved.allergies) == (AllergyStatus.NONE_KNOWN, ())


def test_listed_allergies_are_never_dropped_silently_on_save(qtbot, monkeypatch):
    """Even if the choice changed without the question (a stray signal), Save refuses
    "No known allergies" with allergies still listed, rather than dropping them."""
    dialog = _with_penicillin(qtbot)
    dialog.nka_radio.blockSignals(True)
    dialog.nka_radio.setChecked(True)
    dialog.nka_radio.blockSignals(False)
    assert not dialog.try_accept()
    assert "remove them first" in dialog.errors.message("allergies")


def test_date_of_birth_can_be_left_unknown_or_typed(qtbot):
    dialog = _dialog(qtbot)
    dialog.name_edit.setText("Jane Doe")
    dialog.nka_radio.setChecked(True)
    assert dialog.try_accept()
    assert dialog.result_value().date_of_birth is None
    again = _dialog(qtbot, dialog.result_value())
    assert not again.dob_edit.check.isChecked()
    again.dob_edit.set_value(date(1961, 4, 12))
    assert again.try_accept()
    assert again.result_value().date_of_birth == date(1961, 4, 12)


def test_every_label_shortcut_lands_in_its_field(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    dialog = _dialog(qtbot)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    for key, field in ((Qt.Key.Key_W, dialog.weight_edit), (Qt.Key.Key_N, dialog.name_edit),
                       (Qt.Key.Key_B, dialog.dob_edit.check), (Qt.Key.Key_T, dialog.tz_combo),
                       (Qt.Key.Key_O, dialog.notes_edit)):
        QTest.keyClick(QApplication.focusWidget() or dialog, key,
                       Qt.KeyboardModifier.AltModifier)
        focus = QApplication.focusWidget()
        assert focus is field or field.isAncestorOf(focus), (key, focus)


def test_a_row_of_several_controls_takes_focus_at_its_first_control(qtbot):
    from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QWidget

    from caregiver_app.ui.forms import with_error

    row = QWidget()
    layout = QHBoxLayout(row)
    first, second = QLineEdit(), QComboBox()
    layout.addWidget(first)
    layout.addWidget(second)
    host = QWidget()
    form = QFormLayout(host)
    box, _label = with_error(row)
    form.addRow("&Amount:", box)
    qtbot.addWidget(host)
    assert box.focusProxy() is first


def test_initials_of_a_removed_caregiver_are_not_given_to_someone_new(qtbot):
    """Tom Smith signed records as TS and was removed; Tara Sun cannot take TS, or the
    records would read as hers."""
    tom = Caregiver("Tom Smith", "TS", id=1, active=False)
    dialog = CaregiversDialog([], former=[tom])
    qtbot.addWidget(dialog)
    dialog.model.item(0, 0).setText("Tara Sun")
    assert not dialog.try_accept()
    assert "Tom Smith (no longer on the list) signed records as TS" in \
        dialog.error_label.text()


def test_adding_a_removed_caregiver_again_brings_them_back(qtbot):
    tom = Caregiver("Tom Smith", "TS", id=1, active=False)
    dialog = CaregiversDialog([], former=[tom])
    qtbot.addWidget(dialog)
    dialog.model.item(0, 0).setText("Tom Smith")
    assert dialog.try_accept()
    assert [(c.id, c.initials, c.active) for c in dialog.result_value()] == [(1, "TS", True)]


def test_emergency_fields_are_typed_on_their_own_page(qtbot):
    """Alt+E opens the "For emergencies" page; each label's shortcut lands in its field."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    dialog = _dialog(qtbot, Patient("Jane Doe", None, AllergyStatus.NONE_KNOWN,
                                    time_zone="Europe/London"))
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)

    def alt(key):
        QTest.keyClick(QApplication.focusWidget() or dialog, key,
                       Qt.KeyboardModifier.AltModifier)
        return QApplication.focusWidget()

    alt(Qt.Key.Key_E)
    assert dialog.tabs.currentWidget() is dialog.emergency_page
    for key, field, text in ((Qt.Key.Key_G, dialog.diagnosis_edit, "ALS, diagnosed 2025"),
                             (Qt.Key.Key_C, dialog.communication_edit, "Letter board"),
                             (Qt.Key.Key_I, dialog.breathing_edit, "BiPAP at night"),
                             (Qt.Key.Key_D, dialog.decisions_edit, "No tracheostomy")):
        assert alt(key) is field, key
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = dialog.result_value()
    assert (saved.diagnosis, saved.communication, saved.breathing,
            saved.advance_decisions) == ("ALS, diagnosed 2025", "Letter board",
                                         "BiPAP at night", "No tracheostomy")


def test_an_emergency_field_too_long_for_the_sheet_is_refused_on_its_page(qtbot):
    dialog = _dialog(qtbot, Patient("Jane Doe", None, AllergyStatus.NONE_KNOWN,
                                    time_zone="Europe/London"))
    dialog.show()
    dialog.decisions_edit.setPlainText("Do not resuscitate. " * 120)
    assert not dialog.try_accept()
    assert dialog.tabs.currentWidget() is dialog.emergency_page  # the message is in view
    assert "under 2000 characters" in dialog.errors.message("advance_decisions")
    assert dialog.decisions_edit.toPlainText().startswith("Do not resuscitate.")  # kept


# ---- The two tables, typed into as a person does (issue #11 item 12)


def _shown(qtbot, dialog):
    from gui_paths import activate

    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    return dialog


def test_alt_a_in_a_caregiver_cell_adds_a_caregiver_and_types_nothing(qtbot):
    from gui_paths import Keyboard
    from PySide6.QtWidgets import QApplication, QLineEdit

    dialog = _shown(qtbot, CaregiversDialog([Caregiver("Tom Smith", "TS", id=1)]))
    keys = Keyboard(qtbot)
    keys.press("Alt+A")  # Add caregiver: a new row, its name cell open
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit) and dialog.table.isAncestorOf(cell)
    keys.type("Ana Helper")
    keys.press("Alt+A")  # Add caregiver
    assert dialog.model.rowCount() == 3
    assert dialog.model.item(1, 0).text() == "Ana Helper"  # no "a" typed into it
    assert dialog.model.item(1, 1).text() == "AH"
    keys.type("Tom Example")  # straight into the new row's name
    keys.press("Alt+A")
    assert [dialog.model.item(r, 0).text() for r in range(4)] == [
        "Tom Smith", "Ana Helper", "Tom Example", ""]


def test_a_caregiver_error_goes_away_when_the_row_is_fixed(qtbot):
    dialog = _shown(qtbot, CaregiversDialog([Caregiver("Tom Smith", "TS", id=1)]))
    dialog.add_row("Tara Sun", "TS", edit=False)
    assert not dialog.try_accept()
    assert "already uses TS" in dialog.error_label.text()
    assert dialog.error_label.isVisible()
    from gui_paths import Keyboard
    from PySide6.QtCore import Qt

    keys = Keyboard(qtbot)
    dialog.table.setCurrentIndex(dialog.model.index(1, 1))  # Tara's initials
    keys.press(Qt.Key.Key_F2)  # edit the cell
    keys.press("Ctrl+A")
    keys.type("TSU")
    keys.press(Qt.Key.Key_Return)
    assert dialog.model.item(1, 1).text() == "TSU"
    assert not dialog.error_label.isVisible()  # fixed: the message goes at once
    assert dialog.try_accept()
    assert [c.initials for c in dialog.result_value()] == ["TS", "TSU"]


def test_a_caregiver_error_stays_while_the_row_is_still_wrong(qtbot):
    from gui_paths import Keyboard
    from PySide6.QtCore import Qt

    dialog = _shown(qtbot, CaregiversDialog([Caregiver("Tom Smith", "TS", id=1)]))
    dialog.add_row("Tara Sun", "TS", edit=False)
    assert not dialog.try_accept()
    keys = Keyboard(qtbot)
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))  # Tara's name, not the initials
    keys.press(Qt.Key.Key_F2)
    keys.press("Ctrl+A")
    keys.type("Tara Sunn")
    keys.press(Qt.Key.Key_Return)
    assert "already uses TS" in dialog.error_label.text()
    assert dialog.error_label.isVisible()


def test_tab_leaves_the_allergies_table_from_a_row_and_from_a_cell(qtbot):
    from gui_paths import Keyboard
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    dialog = _shown(qtbot, _with_penicillin(qtbot))
    keys = Keyboard(qtbot)
    dialog.allergy_table.setFocus(Qt.FocusReason.TabFocusReason)
    keys.tab()
    assert QApplication.focusWidget() is dialog.add_allergy_button
    keys.press(Qt.Key.Key_Space)  # Add allergy: a new row, its first cell open
    keys.type("Latex")
    keys.tab()  # on to the reaction, in the same row
    keys.type("rash")
    keys.tab()  # and out of the table
    assert not dialog.allergy_table.isAncestorOf(QApplication.focusWidget())
    assert QApplication.focusWidget() is not dialog.allergy_table
    assert [(dialog.allergy_model.item(r, 0).text(), dialog.allergy_model.item(r, 1).text())
            for r in range(dialog.allergy_model.rowCount())] == [("Penicillin", "hives"),
                                                                   ("Latex", "rash")]
