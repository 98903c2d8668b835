"""Contact, appointment and import dialogs: each problem shown by its field, nothing returned."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialog, QLabel

from caregiver_app.domain.appointments import Appointment, local_to_utc
from caregiver_app.domain.contacts import Contact, PreferredContact, Role
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.vcard import ImportAction, read_vcards, write_vcards
from caregiver_app.ui.careteam.appointment_dialog import AppointmentDialog
from caregiver_app.ui.careteam.contact_dialog import ContactDialog
from caregiver_app.ui.careteam.import_dialog import VCardImportDialog

NOW = datetime(2026, 11, 25, 18, tzinfo=UTC)
VCARDS = Path(__file__).resolve().parents[1] / "services" / "vcards"
CHICAGO = "America/Chicago"
LEE = Contact("Dr. Ada Lee", Role.NEUROLOGIST, organisation="Lakeside ALS Clinic",
              phones=(Phone(PhoneKind.OFFICE, "+13125550142", "12"),),
              address="200 Lake Street", id=5)


def _contact_dialog(qtbot, contact=None, region="US") -> ContactDialog:
    dialog = ContactDialog(contact, region=region)
    qtbot.addWidget(dialog)
    return dialog


# ---- Contact dialog


def test_bad_input_is_explained_next_to_each_field_and_nothing_returned(qtbot):
    dialog = _contact_dialog(qtbot)
    dialog.phone_rows[0].number_edit.setText("555 0100")
    dialog.add_phone_row().number_edit.setText("12")
    dialog.email_edit.setText("rosa@example")
    dialog.portal_edit.setText("not a web address")
    assert not dialog.try_accept()
    assert dialog.result_value() is None
    assert "name" in dialog.error_text("name")
    assert "does not exist" in dialog.error_text("phone_0")
    assert "too short" in dialog.error_text("phone_1")
    assert "after the @-sign" in dialog.error_text("email")
    assert "portal" in dialog.error_text("portal_url")
    # each message is also what a screen reader hears for its field
    assert dialog.phone_rows[1].number_edit.accessibleDescription() == \
        dialog.error_text("phone_1")
    assert dialog.email_edit.accessibleDescription() == dialog.error_text("email")
    visible = [w.text() for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog)]
    assert any("too short" in t for t in visible)


def test_fixing_the_problems_clears_them_and_returns_the_contact(qtbot):
    dialog = _contact_dialog(qtbot)
    dialog.email_edit.setText("x@")
    assert not dialog.try_accept()
    dialog.name_edit.setText("Rosa Martinez")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.NURSE_COORDINATOR.value))
    dialog.phone_rows[0].number_edit.setText("312.555.0144")
    dialog.email_edit.setText("rosa@example.org")
    dialog.preferred_combo.setCurrentIndex(
        dialog.preferred_combo.findData(PreferredContact.EMAIL.value))
    dialog.emergency_check.setChecked(True)
    assert dialog.try_accept()
    assert dialog.error_text("email") == ""
    c = dialog.result_value()
    assert (c.name, c.role, c.email, c.emergency) == ("Rosa Martinez", Role.NURSE_COORDINATOR,
                                                       "rosa@example.org", True)
    assert c.phones == (Phone(PhoneKind.OFFICE, "+13125550144"),)
    assert c.preferred_contact is PreferredContact.EMAIL


def test_existing_contact_loads_and_saves_unchanged(qtbot):
    dialog = _contact_dialog(qtbot, LEE)
    assert dialog.windowTitle() == "Edit contact"
    assert dialog.phone_rows[0].number_edit.text() == "(312) 555-0142 ext. 12"
    assert dialog.try_accept()
    assert dialog.result_value() == LEE


def test_role_help_line_follows_the_role_and_other_asks_for_words(qtbot):
    dialog = _contact_dialog(qtbot)
    dialog.show()
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.DIETITIAN.value))
    assert dialog.role_help.text() == Role.DIETITIAN.help
    assert not dialog.role_other_edit.isVisible()
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.OTHER.value))
    assert dialog.role_other_edit.isVisible()


def test_numbers_are_tidied_when_typed_and_blank_rows_ignored(qtbot):
    dialog = _contact_dialog(qtbot)
    dialog.name_edit.setText("Ben")
    row = dialog.phone_rows[0]
    row.number_edit.setText("3125550150")
    row.number_edit.editingFinished.emit()
    assert row.number_edit.text() == "(312) 555-0150"
    dialog.add_phone_row()  # left blank
    assert dialog.try_accept()
    assert len(dialog.result_value().phones) == 1


def test_removing_a_phone_row(qtbot):
    dialog = _contact_dialog(qtbot, LEE)
    dialog.add_phone_row(Phone(PhoneKind.FAX, "+13125550143"))
    dialog.phone_rows[0].remove_button.click()
    assert dialog.try_accept()
    assert [p.kind for p in dialog.result_value().phones] == [PhoneKind.FAX]
    assert dialog.phone_rows[0].number_edit.accessibleName() == "Phone number 1"


def test_without_a_region_numbers_need_a_country_code(qtbot):
    dialog = _contact_dialog(qtbot, region=None)
    dialog.name_edit.setText("Ben")
    dialog.phone_rows[0].number_edit.setText("312 555 0150")
    assert not dialog.try_accept()
    assert "country code" in dialog.error_text("phone_0")


def test_every_control_has_an_accessible_name(qtbot):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )

    for dialog in (_contact_dialog(qtbot, LEE),
                   AppointmentDialog(None, contacts=[LEE], time_zone=CHICAGO, now=NOW)):
        qtbot.addWidget(dialog)
        for kind in (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox):
            for w in dialog.findChildren(kind):
                if kind is QLineEdit and isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
                    continue  # the line edit inside a combo box or a spin box
                assert w.accessibleName(), (type(dialog).__name__, w)
        for b in dialog.findChildren(QAbstractButton):
            assert b.accessibleName() or b.text(), b


# ---- Appointment dialog


def _appointment_dialog(qtbot, appointment=None, **kw) -> AppointmentDialog:
    dialog = AppointmentDialog(appointment, contacts=[LEE], time_zone=CHICAGO, now=NOW, **kw)
    qtbot.addWidget(dialog)
    return dialog


def test_new_appointment_defaults_to_tomorrow_morning_local_time(qtbot):
    dialog = _appointment_dialog(qtbot)
    assert dialog.date_edit.date() == QDate(2026, 11, 26)
    assert dialog.time_edit.time() == QTime(10, 0)
    assert "America/Chicago" in " ".join(w.text() for w in dialog.findChildren(QLabel))


def test_appointment_needs_a_purpose_and_a_time_that_exists(qtbot):
    dialog = _appointment_dialog(qtbot)
    dialog.date_edit.setDate(QDate(2026, 3, 8))
    dialog.time_edit.setTime(QTime(2, 30))
    assert not dialog.try_accept()
    assert dialog.result_value() is None
    assert "what the appointment is for" in dialog.errors.message("purpose")
    assert "clocks change" in dialog.errors.message("starts_at")


def test_appointment_is_returned_in_utc_with_its_zone_and_contact(qtbot):
    dialog = _appointment_dialog(qtbot, contact_id=LEE.id)
    assert "200 Lake Street" in dialog.place_edit.toPlainText()  # filled from the contact
    dialog.purpose_combo.setCurrentText("ALS clinic visit")
    dialog.date_edit.setDate(QDate(2026, 12, 1))
    dialog.time_edit.setTime(QTime(9, 30))
    dialog.duration_spin.setValue(240)
    dialog.transport_edit.setPlainText("Wheelchair taxi 8:30")
    dialog.companion_edit.setText("Tom")
    dialog.questions_edit.setPlainText("Liquid riluzole?")
    assert dialog.try_accept()
    a = dialog.result_value()
    assert a.starts_at == local_to_utc(date(2026, 12, 1), time(9, 30), CHICAGO)
    assert (a.time_zone, a.contact_id, a.duration_minutes) == (CHICAGO, LEE.id, 240)
    assert (a.transport, a.companion, a.questions) == ("Wheelchair taxi 8:30", "Tom",
                                                       "Liquid riluzole?")


def test_existing_appointment_gets_its_outcome(qtbot):
    start = local_to_utc(date(2026, 11, 20), time(14, 0), CHICAGO)
    old = Appointment(start, "Breathing test", time_zone=CHICAGO, contact_id=99,
                      contact_name="Marcus Reed", series_label="", id=3)
    dialog = _appointment_dialog(qtbot, old)
    assert "removed from the list" in dialog.contact_combo.currentText()  # kept, and said
    dialog.outcome_edit.setPlainText("FVC 61%. Keep the BiPAP at night.")
    assert dialog.try_accept()
    a = dialog.result_value()
    assert a.id == 3 and a.contact_id == 99 and a.starts_at == start
    assert a.outcome == "FVC 61%. Keep the BiPAP at night."


def test_dose_series_is_shown(qtbot):
    dose = Appointment(NOW, "Tofersen dose", time_zone=CHICAGO, series_label="loading dose 2 "
                       "of 3", id=4)
    dialog = _appointment_dialog(qtbot, dose)
    assert "loading dose 2 of 3" in dialog.series_label.text()


# ---- Import preview


def _import_dialog(qtbot, contacts, existing=()):
    cards = read_vcards(write_vcards(contacts), region="US")
    dialog = VCardImportDialog(cards, existing=list(existing), region="US", file_name="x.vcf")
    qtbot.addWidget(dialog)
    return dialog


def test_roles_are_chosen_before_import_for_several_cards_at_once(qtbot):
    dialog = _import_dialog(qtbot, [Contact("Ana"), Contact("Ben"), Contact("Cy")])
    assert dialog.import_button.text() == "&Import 3 contacts"
    dialog.select_rows([0, 2])
    dialog.set_role(Role.DIETITIAN)
    assert dialog.try_accept()
    rows = dialog.result_rows()
    assert [r.contact.role for r in rows] == [Role.DIETITIAN, Role.OTHER, Role.DIETITIAN]


def test_duplicates_start_skipped_and_can_be_merged(qtbot):
    dialog = _import_dialog(qtbot, [LEE, Contact("New")], existing=[LEE])
    assert dialog.model.row(0).action is ImportAction.SKIP
    assert dialog.import_button.text() == "&Import 1 contact"
    dialog.select_rows([0, 1])
    dialog.set_action(ImportAction.MERGE)
    assert "Card 2: there is no existing contact to merge into" in dialog.error_label.text()
    assert dialog.model.row(0).action is ImportAction.MERGE
    assert dialog.model.row(1).action is ImportAction.ADD


def test_a_card_that_needs_fixing_blocks_import_until_fixed_or_skipped(qtbot, monkeypatch):
    cards = read_vcards("BEGIN:VCARD\nFN:Ana\nTEL:12\nEND:VCARD\n", region="US")
    dialog = VCardImportDialog(cards, existing=[], region="US")
    qtbot.addWidget(dialog)
    assert not dialog.try_accept()
    assert dialog.result_rows() is None
    assert "Card 1 (Ana) needs fixing" in dialog.error_label.text()
    assert "too short" in dialog.error_label.text()
    fixed = Contact("Ana", Role.DIETITIAN, phones=(Phone(PhoneKind.OFFICE, "+13125550150"),))
    monkeypatch.setattr(ContactDialog, "ask", classmethod(lambda cls, *a, **k: fixed))
    dialog.select_rows([0])
    assert dialog.edit_current()
    assert dialog.try_accept()
    assert dialog.result_rows()[0].contact == fixed


def test_all_skipped_is_not_an_import(qtbot):
    dialog = _import_dialog(qtbot, [Contact("Ana")])
    dialog.select_rows([0])
    dialog.set_action(ImportAction.SKIP)
    assert not dialog.try_accept()
    assert "nothing to import" in dialog.error_label.text()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_clinic_dose_s_schedule_fields_are_read_only_and_say_where_to_change_them(qtbot):
    from caregiver_app.domain.appointments import AppointmentSource

    start = local_to_utc(date(2026, 12, 10), time(9, 0), CHICAGO)
    dose = Appointment(start, "tofersen (Qalsody) dose at the clinic", time_zone=CHICAGO,
                       contact_id=LEE.id, source=AppointmentSource.REGIMEN,
                       source_key="3:loading:3", series_label="loading 3 of 3", id=8)
    dialog = _appointment_dialog(qtbot, dose)
    dialog.show()
    assert dialog.schedule_note.isVisible()
    assert "Medications tab" in dialog.schedule_note.text()
    for widget in (dialog.date_edit, dialog.time_edit, dialog.duration_spin):
        assert widget.isReadOnly()
        assert "Medications tab" in widget.accessibleDescription()
    assert not dialog.purpose_combo.isEnabled() and not dialog.contact_combo.isEnabled()
    # typing into the time does nothing; the caregiver's own fields are saved
    dialog.time_edit.setFocus()
    qtbot.keyClicks(dialog.time_edit, "1130")
    qtbot.keyClick(dialog.duration_spin, Qt.Key.Key_Up)
    dialog.transport_edit.setPlainText("Tom drives")
    dialog.outcome_edit.setPlainText("Given; mild headache after.")
    assert dialog.try_accept()
    a = dialog.result_value()
    assert (a.starts_at, a.duration_minutes, a.purpose, a.contact_id) == (
        start, 60, dose.purpose, LEE.id)
    assert (a.transport, a.outcome) == ("Tom drives", "Given; mild headache after.")
    # a visit the caregiver added stays editable
    own = _appointment_dialog(qtbot, replace(dose, source=AppointmentSource.CAREGIVER))
    assert not own.time_edit.isReadOnly() and own.contact_combo.isEnabled()


def test_the_preview_shows_every_field_that_will_be_saved(qtbot):
    text = (VCARDS / "google_30.vcf").read_text(encoding="utf-8").replace(
        "CATEGORIES", "URL:http\\://www.example.org\r\nCATEGORIES")
    cards = read_vcards(text, region="US")
    dialog = VCardImportDialog(cards, existing=[], region="US")
    qtbot.addWidget(dialog)
    dialog.select_rows([0])
    shown = dialog.details_text()
    for wanted in ("Ana Souza", "Lakeside ALS Clinic", "Mobile number", "(312) 555-0150",
                   "After hours number", "ana.souza@example.org", "200 Lake Street",
                   "Springfield, IL 62701", "Other email: ana.home@example.org",
                   "Website: http://www.example.org",
                   "other email addresses and web addresses on this card are kept at the end "
                   "of the notes", "Added as a new contact"):
        assert wanted in shown, wanted
    assert dialog.details.accessibleName()


def test_the_check_column_leaves_room_for_the_other_columns(qtbot):
    cards = read_vcards("BEGIN:VCARD\nFN:Ana\nORG:Lakeside\nTEL:12\nEND:VCARD\n", region="US")
    dialog = VCardImportDialog(cards, existing=[], region="US")
    qtbot.addWidget(dialog)
    dialog.resize(1100, 750)
    dialog.show()
    qtbot.waitExposed(dialog)
    header = dialog.table.horizontalHeader()
    width = dialog.table.fontMetrics().averageCharWidth()
    assert header.sectionSize(4) <= width * 34
    assert "Needs fixing" in dialog.model.index(0, 4).data()
    for column in (5, 6):  # Organisation and phone numbers are on screen
        assert header.sectionViewportPosition(column) < dialog.table.viewport().width()
    assert "too short" in dialog.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "too short" in dialog.details_text()


def test_a_merge_that_would_not_fit_is_marked_before_import(qtbot):
    from caregiver_app.domain.contacts import MAX_PHONES

    numbers = tuple(Phone(PhoneKind.OFFICE, f"+1312555{100 + i:04d}")
                    for i in range(MAX_PHONES))
    full = Contact("Ben", phones=numbers, id=9)
    dialog = _import_dialog(qtbot, [Contact("Ben", phones=(numbers[0], Phone(
        PhoneKind.MOBILE, "+13125550190")))], existing=[full])
    dialog.select_rows([0])
    dialog.set_action(ImportAction.MERGE)
    row = dialog.model.row(0)
    assert row.blocked
    check = dialog.model.index(0, 4).data()
    assert check.startswith("⚠ Needs fixing") and "(312) 555-0190" in check
    assert "would not fit" in dialog.details_text()
    assert not dialog.try_accept()
    assert "Card 1 (Ben) needs fixing" in dialog.error_label.text()
    dialog.set_action(ImportAction.ADD)  # as a contact of its own it is fine
    assert dialog.try_accept()


def test_the_preview_says_what_to_check_about_a_card(qtbot):
    utf8 = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José Núñez\r\nEND:VCARD\r\n".encode()
    windows = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Zoë Brennan\r\nEND:VCARD\r\n".encode("cp1252")
    dialog = VCardImportDialog(read_vcards(utf8 + windows, region="US"), existing=[],
                               region="US")
    qtbot.addWidget(dialog)
    assert "check the name" not in dialog.model.index(0, 4).data()
    assert "check the name" in dialog.model.index(1, 4).data()
    dialog.select_rows([1])
    assert "Check that the name and any accented letters look right" in dialog.details_text()
