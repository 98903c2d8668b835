"""A number changed in the records without the forms kept beside it (by hand, a repair, a
later migration, an older build): the Care team tab, the contact form and the printed
sheets show the number as it is now, never the old number's kept forms, and saving the
form keeps the new number (review 3, item 1)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from medicine_builders import D0, NEW_YORK, at
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.patient import AllergyStatus, Patient
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.careteam import CareTeam
from caregiver_app.storage.careteam_repo import CareTeamRepository

OLD, NEW = "(312) 555-0142", "(312) 555-0199 ext. 7"


@pytest.fixture
def changed(fresh_db, qapp) -> SimpleNamespace:
    """Dr. Lee saved through the app (her number's forms kept), then her number changed
    in the records alone."""
    team = CareTeam(CareTeamRepository(fresh_db), region="US")
    lee = team.save_contact(Contact("Dr. Ada Lee", Role.NEUROLOGIST, emergency=True, phones=(
        Phone(PhoneKind.OFFICE, "+13125550142"),)))
    assert fresh_db.execute("SELECT shown_national FROM contact_phones").fetchone()[0] == OLD
    fresh_db.execute("UPDATE contact_phones SET number = '+13125550199', extension = '7'")
    return SimpleNamespace(db=fresh_db, team=team, lee_id=lee.id)


def test_the_care_team_tab_shows_the_new_number(changed, qtbot, fake_clock):
    from caregiver_app.ui.careteam.tab import CareTeamTab

    fake_clock.set(datetime(2026, 11, 25, 18, tzinfo=UTC))
    tab = CareTeamTab(changed.team, now=fake_clock.now, time_zone=lambda: "America/Chicago")
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.select_contact(changed.lee_id)
    row = tab.tree.currentIndex()
    listed = row.siblingAtColumn(3).data(Qt.ItemDataRole.DisplayRole)
    assert listed == NEW  # the list's Phone column
    calls = [b.accessibleName() for b in tab.details.phone_buttons]
    assert f"Call Dr. Ada Lee, office, {NEW}" in calls
    assert not any("0142" in name for name in calls)


def test_the_contact_form_shows_the_new_number_and_saves_it(changed, qtbot):
    from caregiver_app.ui.careteam.contact_dialog import ContactDialog

    dialog = ContactDialog(changed.team.contact(changed.lee_id), region="US")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.phone_rows[0].number_edit.text() == NEW
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    changed.team.save_contact(dialog.result_value())
    [phone] = changed.team.contact(changed.lee_id).phones
    assert (phone.number, phone.extension) == ("+13125550199", "7")
    assert changed.db.execute("SELECT shown_national FROM contact_phones").fetchone()[0] == NEW


def _pdf_text(path) -> str:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_, path
    text = "\n".join(document.getAllText(i).text() for i in range(document.pageCount()))
    document.close()
    return re.sub(r"\s+", "", text)  # (a wrapped line reads the same)


def test_the_printed_care_team_sheet_and_checklist_footer_show_the_new_number(
        changed, fake_clock, tmp_path):
    from caregiver_app.services.medication_book import MedicationBook
    from caregiver_app.services.printing import PrintService
    from caregiver_app.storage.medications_repo import MedicationRepository
    from caregiver_app.storage.patient_repo import PatientRepository

    patients = PatientRepository(changed.db)
    patients.save(Patient("Jane Q Public", date(1960, 2, 3), AllergyStatus.NONE_KNOWN,
                          time_zone="America/New_York"))
    fake_clock.set(at(D0, 12))
    book = MedicationBook(MedicationRepository(changed.db), clock=fake_clock,
                          on_duty=lambda: None, zone=lambda: NEW_YORK)
    service = PrintService(book, patients, clock=fake_clock, care_team=changed.team)
    checked = 0
    for kind, day in (("careteam", None), ("checklist", D0)):
        path = tmp_path / f"{kind}.pdf"
        service.save_pdf(kind, day, path)
        text = _pdf_text(path)
        assert "Dr.AdaLee" in text and re.sub(r"\s+", "", NEW) in text, kind
        assert "555-0142" not in text, kind
        checked += 1
    assert checked == 2
