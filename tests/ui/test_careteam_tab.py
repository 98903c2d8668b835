"""The Care team tab as a caregiver uses it: find, call, add, remove and undo, import, export."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.vcard import ImportAction, read_vcard_file
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.ui import messages
from caregiver_app.ui.careteam.appointment_dialog import AppointmentDialog
from caregiver_app.ui.careteam.contact_dialog import ContactDialog
from caregiver_app.ui.careteam.import_dialog import VCardImportDialog
from caregiver_app.ui.careteam.tab import CareTeamTab

VCARDS = Path(__file__).resolve().parents[1] / "services" / "vcards"
CHICAGO = "America/Chicago"
NOW = datetime(2026, 11, 25, 18, tzinfo=UTC)


class Recorder:
    """Stands in for a dialog or message box; remembers how it was called. Like the
    contact and appointment dialogs, it saves its result through ``save`` when given."""

    def __init__(self, result=None):
        self.result = result
        self.calls: list[tuple[tuple, dict]] = []

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        result = self.result(*args, **kwargs) if callable(self.result) else self.result
        save = kwargs.get("save")
        return save(result) if save is not None and result is not None else result


@pytest.fixture
def careteam(fresh_db, qapp) -> CareTeam:
    team = CareTeam(CareTeamRepository(fresh_db), region="US")
    team.save_contact(Contact("Dr. Ada Lee", Role.NEUROLOGIST, organisation="Lakeside",
                              phones=(Phone(PhoneKind.OFFICE, "+13125550142", "12"),
                                      Phone(PhoneKind.FAX, "+13125550143")),
                              email="ada.lee@example.org"))
    team.save_contact(Contact("Rosa Martinez", Role.NURSE_COORDINATOR, emergency=True,
                              phones=(Phone(PhoneKind.OFFICE, "+13125550144"),)))
    team.save_contact(Contact("Riverside Pharmacy", Role.PHARMACY,
                              phones=(Phone(PhoneKind.OFFICE, "+13125550170"),)))
    return team


@pytest.fixture
def tab(careteam, qtbot, fake_clock) -> CareTeamTab:
    fake_clock.set(NOW)
    widget = CareTeamTab(careteam, now=fake_clock.now, time_zone=lambda: CHICAGO)
    careteam.changes.changed.connect(widget.apply_changes)  # as the builder does
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add_medicine(db, name: str, *, prescriber_id=None, brand="") -> int:
    """A row in the medicine schedule's own table, with only what it requires."""
    return db.table("medicines").insert({
        "generic_name": name, "brand_name": brand, "start_date": "2026-11-01",
        "prescriber_id": prescriber_id, "created_at": "2026-11-01T12:00:00+00:00",
        "updated_at": "2026-11-01T12:00:00+00:00"}).last_pk


def _id(careteam, name) -> int:
    return next(c.id for c in careteam.contacts() if c.name == name)


def _counts(db) -> tuple[int, int]:
    return db.table("contacts").count, db.table("contact_phones").count


def _import(tab, qtbot, path):
    """Import ``path`` as the Import button does: read on a worker thread, then the
    preview; the result (None when nothing was saved) once it has all ended."""
    with qtbot.waitSignal(tab.import_finished, timeout=10_000) as blocker:
        assert tab.import_vcard(path)
    return blocker.args[0]


def test_nothing_is_read_until_the_tab_is_shown(careteam, qtbot):
    widget = CareTeamTab(careteam, now=lambda: NOW, time_zone=lambda: CHICAGO)
    careteam.changes.changed.connect(widget.apply_changes)
    qtbot.addWidget(widget)
    careteam.save_contact(Contact("Ben", Role.PHYSICAL_THERAPIST))  # no tab to update yet
    assert not widget.is_loaded()
    assert widget.findChildren(QWidget) == []
    widget.show()
    assert widget.is_loaded()
    assert widget.model.contact_count() == 4
    assert widget.visible_contact_names() == ["Rosa Martinez", "Dr. Ada Lee", "Ben",
                                              "Riverside Pharmacy"]


def test_search_by_name_role_organisation_and_digits(tab, qtbot):
    tab.search("pharm")
    assert tab.visible_contact_names() == ["Riverside Pharmacy"]
    tab.search("555-0144")
    assert tab.visible_contact_names() == ["Rosa Martinez"]
    tab.search("neurologist lakeside")
    assert tab.visible_contact_names() == ["Dr. Ada Lee"]
    tab.search("nobody")
    assert tab.visible_contact_names() == []
    assert tab.no_match_label.isVisible() and "nobody" in tab.no_match_label.text()
    tab.search("")
    assert len(tab.visible_contact_names()) == 3


def test_enter_in_the_search_box_goes_to_the_first_match(tab, qtbot):
    tab.search_edit.setFocus()
    qtbot.keyClicks(tab.search_edit, "0170")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
    assert tab.selected_contact().name == "Riverside Pharmacy"
    assert tab.details.heading.text() == "Riverside Pharmacy"


def test_details_show_how_to_reach_a_contact(tab, careteam):
    assert tab.select_contact(_id(careteam, "Dr. Ada Lee"))
    details = tab.details
    assert details.heading.text() == "Dr. Ada Lee"
    assert "Neurologist" in details.subtitle.text()
    assert details.help.text() == Role.NEUROLOGIST.help
    assert not details.badge.isVisible()
    names = [b.accessibleName() for b in details.phone_buttons]
    assert "Call Dr. Ada Lee, office, (312) 555-0142 ext. 12" in names
    assert not any(n.startswith("Call") and "fax" in n for n in names)  # never ring a fax
    tab.select_contact(_id(careteam, "Rosa Martinez"))
    assert details.badge.isVisible() and "Call first" in details.badge.text()


def test_call_and_email_open_the_system_handler(tab, careteam, monkeypatch):
    opened = Recorder(True)
    monkeypatch.setattr("caregiver_app.ui.careteam.details.QDesktopServices.openUrl", opened)
    tab.select_contact(_id(careteam, "Dr. Ada Lee"))
    call = next(b for b in tab.details.phone_buttons if b.text() == "Call")
    call.click()
    tab.details.email_button.click()
    assert [args[0] for args, _ in opened.calls] == [
        QUrl("tel:+1-312-555-0142;ext=12"), QUrl("mailto:ada.lee@example.org")]


def test_without_a_phone_program_the_number_is_copied_and_said(tab, careteam, monkeypatch):
    monkeypatch.setattr("caregiver_app.ui.careteam.details.QDesktopServices.openUrl",
                        Recorder(False))
    tab.select_contact(_id(careteam, "Rosa Martinez"))
    next(b for b in tab.details.phone_buttons if b.text() == "Call").click()
    assert QGuiApplication.clipboard().text() == "(312) 555-0144"
    assert "copied" in tab.notice.label.text()
    assert tab.notice.isVisible()


def test_copy_puts_the_number_on_the_clipboard(tab, careteam):
    tab.select_contact(_id(careteam, "Dr. Ada Lee"))
    copies = [b for b in tab.details.phone_buttons if b.text() == "Copy"]
    copies[1].click()
    assert QGuiApplication.clipboard().text() == "(312) 555-0143"
    assert tab.notice.label.text() == "Copied (312) 555-0143."


def test_delete_warns_about_links_and_can_be_undone(tab, careteam, fresh_db, monkeypatch):
    lee = _id(careteam, "Dr. Ada Lee")
    medicine_id = add_medicine(fresh_db, "riluzole", prescriber_id=lee)
    careteam.save_appointment(Appointment(NOW + timedelta(days=3), "ALS clinic visit",
                                          time_zone=CHICAGO, contact_id=lee))
    confirm = Recorder(True)
    monkeypatch.setattr(messages, "confirm", confirm)
    tab.select_contact(lee)
    tab.details.remove_button.click()
    (_parent, _title, text), kwargs = confirm.calls[0]
    assert "Medicine: riluzole (prescriber)" in text
    assert "Appointment: ALS clinic visit" in text
    assert kwargs["destructive"]
    assert "Dr. Ada Lee" not in tab.visible_contact_names()
    assert tab.notice.undo_button.isVisible()
    tab.notice.undo_button.click()
    assert "Dr. Ada Lee" in tab.visible_contact_names()
    assert tab.selected_contact().id == lee
    assert fresh_db.table("medicines").get(medicine_id)["prescriber_id"] == lee


def test_delete_key_and_ctrl_z(tab, careteam, qtbot, monkeypatch):
    monkeypatch.setattr(messages, "confirm", Recorder(True))
    tab.select_contact(_id(careteam, "Riverside Pharmacy"))
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Delete)
    assert "Riverside Pharmacy" not in tab.visible_contact_names()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Riverside Pharmacy" in tab.visible_contact_names()


def test_declining_the_question_removes_nothing(tab, careteam, monkeypatch):
    monkeypatch.setattr(messages, "confirm", Recorder(False))
    assert not tab.remove_contact(_id(careteam, "Rosa Martinez"))
    assert len(careteam.contacts()) == 3
    assert not tab.notice.isVisible()


def test_add_and_edit_through_the_dialog(tab, careteam, monkeypatch):
    ask = Recorder(Contact("Lena Novak", Role.DIETITIAN,
                           phones=(Phone(PhoneKind.OFFICE, "312 555 0153"),)))
    monkeypatch.setattr(ContactDialog, "ask", ask)
    tab.add_button.click()
    assert tab.selected_contact().name == "Lena Novak"
    assert tab.details.heading.text() == "Lena Novak"
    ask.result = lambda contact, **kw: replace(contact, name="Lena Novak, RD")
    tab.tree.activated.emit(tab.tree.currentIndex())  # Enter or double-click
    assert ask.calls[-1][0][0].name == "Lena Novak"
    assert "Lena Novak, RD" in tab.visible_contact_names()


def test_a_group_s_page_explains_the_role_and_adds_in_it(tab, monkeypatch):
    ask = Recorder(None)
    monkeypatch.setattr(ContactDialog, "ask", ask)
    pharmacy_group = tab.proxy.mapFromSource(tab.model.group_index("Pharmacy"))
    tab.tree.setCurrentIndex(pharmacy_group)
    assert tab.details.help.text() == Role.PHARMACY.help
    tab.details.add_in_role_button.click()
    assert ask.calls[0][0][0].role is Role.PHARMACY


def test_import_saves_what_the_preview_chose(tab, careteam, monkeypatch, qtbot):
    def choose(cards, **kw):
        from caregiver_app.services.vcard import plan_import

        rows = plan_import(cards, kw["existing"])
        return [replace(r, action=ImportAction.SKIP) if r.contact.name == "Jae Kim" else r
                for r in rows]

    ask = Recorder(choose)
    monkeypatch.setattr(VCardImportDialog, "ask", ask)
    result = _import(tab, qtbot, VCARDS / "missing_names.vcf")
    assert (result.added, result.skipped) == (2, 1)
    assert "Lakeside Home Health" in tab.visible_contact_names()
    assert "Jae Kim" not in tab.visible_contact_names()
    assert ask.calls[0][1]["file_name"] == "missing_names.vcf"
    assert "2 added" in tab.notice.label.text()


@pytest.mark.parametrize(("text", "where"), [
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okafor\r\nTEL 312-555-0151\r\nEND:VCARD\r\n",
     "Card 1 (“Ben Okafor”), line 4"),
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okafor\r\nTEL:312-555-0151\r\n",
     "Card 1 (“Ben Okafor”), line 1"),
    ("Name,Phone\r\nAna Souza,312-555-0150\r\n", "Line 1"),
])
def test_a_file_with_no_readable_card_is_refused_naming_card_and_line_and_nothing_is_saved(
        tab, fresh_db, monkeypatch, tmp_path, text, where, qtbot):
    warn = Recorder()
    monkeypatch.setattr(messages, "warn", warn)
    preview = Recorder()
    monkeypatch.setattr(VCardImportDialog, "ask", preview)
    before = _counts(fresh_db)
    path = tmp_path / "broken.vcf"
    path.write_text(text, encoding="utf-8", newline="")
    assert _import(tab, qtbot, path) is None
    (_parent, _title, text), _ = warn.calls[0]
    assert where in text
    assert "Nothing was saved" in text
    assert preview.calls == []
    assert _counts(fresh_db) == before


def test_a_card_that_cannot_be_read_is_marked_in_the_preview_and_the_others_import(
        tab, careteam, monkeypatch, tmp_path, qtbot):
    """A phone's export with one stray byte (here in card 2's organisation) used to
    import nothing: now the preview marks that card with its line and why, and Import
    saves the others."""
    path = tmp_path / "phone.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ana Souza\r\nTEL;CELL:+13125550150\r\n"
        b"END:VCARD\r\n"  # lines 1-5
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ben Okafor\r\nTEL;CELL:+13125550151\r\n"
        b"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Acme=80\r\nEND:VCARD\r\n"  # 6-11
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Cy Rivera\r\nTEL;CELL:+13125550152\r\n"
        b"END:VCARD\r\n")
    monkeypatch.setattr(tab, "_ask_open_path", lambda: str(path))
    seen = {}

    def preview(cls, cards, **kwargs):
        """The real preview, shown without a modal loop: looked at, then Import pressed."""
        dialog = VCardImportDialog(cards, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        model = dialog.model
        seen["intro"] = dialog.intro.text()
        seen["check"] = [model.data(model.index(r, 4)) for r in range(model.rowCount())]
        seen["names"] = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
        dialog.table.setFocus()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # the card that cannot be read
        seen["details"] = dialog.details_text()
        seen["can_choose"] = [w.isEnabled() for w in (dialog.role_combo,
                                                      dialog.action_combo,
                                                      dialog.edit_button)]
        seen["button"] = dialog.import_button.text()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()  # accepted
        return dialog.result_rows()

    monkeypatch.setattr(VCardImportDialog, "ask", classmethod(preview))
    with qtbot.waitSignal(tab.import_finished, timeout=10_000) as blocker:
        qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "3 cards in phone.vcf. 1 cannot be read" in seen["intro"]
    assert seen["names"] == ["Ana Souza", "Ben Okafor", "Cy Rivera"]
    assert seen["check"][1] == ("⚠ Cannot be read, left out: Line 10: this line's text is "
                                "not in the encoding the file says it is.")
    assert seen["check"][0] == seen["check"][2] == "✓ New contact"
    assert "This card cannot be read, so it is left out. Line 10:" in seen["details"]
    assert "The other cards can still be imported" in seen["details"]
    assert seen["can_choose"] == [False, False, False]
    assert seen["button"] == "&Import 2 contacts"
    result = blocker.args[0]
    assert (result.added, result.skipped, result.unreadable) == (2, 0, 1)
    assert tab.notice.label.text() == "Contacts imported: 2 added, 1 could not be read."
    names = {c.name for c in careteam.contacts()}
    assert {"Ana Souza", "Cy Rivera"} <= names and "Ben Okafor" not in names


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300).map(
    lambda t: ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n" + t + "\r\nEND:VCARD\r\n").encode()))
def test_any_file_is_either_previewed_or_refused_and_never_half_saved(
        tab, fresh_db, monkeypatch, tmp_path, qtbot, data):
    warn = Recorder()
    monkeypatch.setattr(messages, "warn", warn)
    preview = Recorder(None)  # the caregiver cancels the preview
    monkeypatch.setattr(VCardImportDialog, "ask", preview)
    path = tmp_path / "fuzz.vcf"
    path.write_bytes(data)
    before = _counts(fresh_db)
    assert _import(tab, qtbot, path) is None
    assert len(warn.calls) + len(preview.calls) == 1
    if warn.calls:
        assert "Nothing was saved" in warn.calls[0][0][2]
    assert _counts(fresh_db) == before


def test_unreadable_file_is_explained(tab, monkeypatch, tmp_path, qtbot):
    warn = Recorder()
    monkeypatch.setattr(messages, "warn", warn)
    assert _import(tab, qtbot, tmp_path / "missing.vcf") is None
    assert "could not be read" in warn.calls[0][0][2]


def test_export_one_contact_or_the_whole_team(tab, careteam, tmp_path, monkeypatch):
    tab.select_contact(_id(careteam, "Dr. Ada Lee"))
    monkeypatch.setattr(tab, "_ask_save_path", lambda suggested: str(tmp_path / suggested))
    tab.details.export_button.click()
    [card] = read_vcard_file(tmp_path / "Dr Ada Lee.vcf", region="US")
    assert card.contact == replace(careteam.contact(_id(careteam, "Dr. Ada Lee")), id=None)
    tab.export_all_action.trigger()
    cards = read_vcard_file(tmp_path / "care-team.vcf", region="US")
    assert sorted(c.contact.name for c in cards) == ["Dr. Ada Lee", "Riverside Pharmacy",
                                                      "Rosa Martinez"]
    assert "Saved 3 contacts" in tab.notice.label.text()


def test_export_adds_the_vcf_ending_and_reports_failures(tab, tmp_path, monkeypatch):
    assert tab.export_contacts(None, tmp_path / "team").name == "team.vcf"
    warn = Recorder()
    monkeypatch.setattr(messages, "warn", warn)
    assert tab.export_contacts(None, tmp_path / "no-such-folder" / "team.vcf") is None
    assert "could not be written" in warn.calls[0][0][2]


def test_appointments_upcoming_and_past(tab, careteam, fake_clock, monkeypatch):
    lee = _id(careteam, "Dr. Ada Lee")
    ask = Recorder(Appointment(NOW + timedelta(days=2), "ALS clinic visit", time_zone=CHICAGO,
                               contact_id=lee, duration_minutes=240))
    monkeypatch.setattr(AppointmentDialog, "ask", ask)
    tab.add_appointment_button.click()
    assert ask.calls[0][1]["time_zone"] == CHICAGO
    assert tab.appointments.rowCount() == 1
    assert tab.appointments.index(0, 2).data() == "Dr. Ada Lee"
    # the contact's page lists it
    tab.select_contact(lee)
    assert tab.details.references.index(0, 0).data().startswith("Appointment: ALS clinic visit")
    # three days later it is past, and asks for the outcome
    fake_clock.advance(days=3)
    tab.refresh()
    assert tab.appointments.rowCount() == 0
    assert tab.no_appointments.isVisible()
    tab.set_appointment_filter("past")
    assert tab.appointments.index(0, 4).data() == "No outcome written yet"
    ask.result = lambda a, **kw: replace(a, outcome="Start the cough assist twice a day.")
    tab.appointments_view.activated.emit(tab.appointments.index(0, 0))
    assert tab.appointments.index(0, 4).data() == "Outcome: Start the cough assist twice a day."


def test_remove_appointment_and_undo(tab, careteam, monkeypatch):
    saved = careteam.save_appointment(Appointment(NOW + timedelta(days=1), "Blood test",
                                                  time_zone=CHICAGO))
    monkeypatch.setattr(messages, "confirm", Recorder(True))
    tab.appointments_view.setCurrentIndex(tab.appointments.index(0, 0))
    assert tab.remove_appointment_button.isEnabled()
    tab.remove_appointment_button.click()
    assert tab.appointments.rowCount() == 0
    assert tab.undo()
    assert tab.appointments.row_of(saved.id) == 0


def test_opening_a_linked_medicine_asks_the_medicines_tab(tab, careteam, fresh_db, qtbot):
    lee = _id(careteam, "Dr. Ada Lee")
    medicine_id = add_medicine(fresh_db, "riluzole", brand="Rilutek", prescriber_id=lee)
    tab.select_contact(lee)
    index = tab.details.references.index(0, 0)
    assert index.data() == "Medicine: riluzole (Rilutek) — prescriber"
    with qtbot.waitSignal(tab.medicine_requested) as blocker:
        tab.details.references_view.activated.emit(index)
    assert blocker.args == [medicine_id]


def test_empty_team_says_what_to_do(qtbot, fresh_db):
    widget = CareTeamTab(CareTeam(CareTeamRepository(fresh_db), region="US"),
                         now=lambda: NOW, time_zone=lambda: CHICAGO)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.empty_label.isVisible()
    assert "Add contact" in widget.empty_label.text()
    assert not widget.tree.currentIndex().isValid()


def test_every_control_is_named_for_screen_readers(tab, careteam):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit

    def inside_combo(w) -> bool:
        parent = w.parent()
        while parent is not None:
            if isinstance(parent, QComboBox):
                return True
            parent = parent.parent()
        return False

    tab.select_contact(_id(careteam, "Dr. Ada Lee"))
    for kind in (QAbstractItemView, QComboBox, QLineEdit):
        for w in tab.findChildren(kind):
            # a combo's own popup list and line edit, and headers, take no focus of their own
            if not inside_combo(w) and w.focusPolicy() != Qt.FocusPolicy.NoFocus:
                assert w.accessibleName(), w
    for b in tab.findChildren(QAbstractButton):
        if b.focusPolicy() != Qt.FocusPolicy.NoFocus:  # not the search box's clear icon
            assert b.accessibleName() or b.text().replace("&", ""), b


def test_the_main_window_shows_this_tab(main_window, ctx):
    widget = main_window.show_tab("care_team")
    assert isinstance(widget, CareTeamTab)
    assert widget.details.heading.text() == "Care team"
    ctx.careteam.save_contact(Contact("Rosa", Role.NURSE_COORDINATOR))
    assert widget.visible_contact_names() == ["Rosa"]
    assert widget.tree.currentIndex() == QModelIndex() or widget.selected_contact()


def test_text_size_menu_scales_the_details(main_window, ctx, qtbot):
    ctx.careteam.save_contact(Contact("Rosa", Role.NURSE_COORDINATOR, emergency=True))
    widget = main_window.show_tab("care_team")
    widget.select_contact(ctx.careteam.contacts()[0].id)
    details = widget.details
    heading, badge = details.heading.font().pointSizeF(), details.badge.font().pointSizeF()
    main_window.set_text_scale(1.5)
    # Qt passes a new application font on to widgets through the event loop
    qtbot.waitUntil(lambda: details.heading.font().pointSizeF() == pytest.approx(heading * 1.5))
    assert details.badge.font().pointSizeF() == pytest.approx(badge * 1.5)
    main_window.set_text_scale(1.0)


def test_appointments_move_to_past_when_the_tab_is_shown_again(tab, careteam, fake_clock):
    careteam.save_appointment(Appointment(NOW + timedelta(hours=1), "Blood test",
                                          time_zone=CHICAGO))
    assert tab.appointments.rowCount() == 1
    tab.hide()
    fake_clock.advance(hours=3)
    tab.show()
    assert tab.appointments.rowCount() == 0


def test_a_removed_contact_can_be_brought_back_later(tab, careteam, monkeypatch):
    monkeypatch.setattr(messages, "confirm", Recorder(True))
    tab.remove_contact(_id(careteam, "Riverside Pharmacy"))
    tab.notice.close_button.click()
    chooser = Recorder("Riverside Pharmacy (Pharmacy)")
    monkeypatch.setattr(tab, "_ask_removed", chooser)
    tab.removed_button.click()
    assert chooser.calls[0][0][0] == ["Riverside Pharmacy (Pharmacy)"]
    assert tab.selected_contact().name == "Riverside Pharmacy"
    chooser.calls.clear()
    assert not tab.bring_back_removed()  # nothing left to bring back
    assert chooser.calls == []


def test_browsing_the_list_does_not_wear_down_none(tab, careteam):
    """PySide 6.12 on Python 3.11 returns each None from a QVariant one reference
    short (``index.data()``, ``combo.itemData()``); enough of them crash the app.
    The tab must not ask Qt for values that can be empty."""
    import sys

    group = tab.proxy.index(0, 0)
    rosa = tab.proxy.index(0, 0, group)
    before = sys.getrefcount(None)
    for _ in range(200):
        tab.tree.setCurrentIndex(group)
        tab.tree.activated.emit(group)
        tab.tree.setCurrentIndex(rosa)
        tab.selected_contact()
    assert sys.getrefcount(None) - before > -50


# ---- Importing a phone's whole address book


def test_a_file_is_read_and_checked_off_the_gui_thread(tab, monkeypatch, qtbot):
    import threading

    from caregiver_app.services import vcard

    threads = []
    for name in ("read_vcard_file", "plan_import"):
        real = getattr(vcard, name)

        def spy(*args, _real=real, **kwargs):
            threads.append(threading.current_thread() is threading.main_thread())
            return _real(*args, **kwargs)

        monkeypatch.setattr(vcard, name, spy)
    preview = Recorder(None)
    monkeypatch.setattr(VCardImportDialog, "ask", preview)
    assert _import(tab, qtbot, VCARDS / "google_30.vcf") is None
    assert threads == [False, False]
    # the preview gets the rows already planned, and opens on the GUI thread
    (cards,), kwargs = preview.calls[0]
    assert [r.card for r in kwargs["rows"]] == cards


def test_a_long_read_shows_progress_and_can_be_cancelled(tab, fresh_db, monkeypatch, qtbot):
    import threading

    from caregiver_app.services import vcard
    from caregiver_app.ui.careteam import files as files_module

    release = threading.Event()
    real = vcard.read_vcard_file

    def slow(path, *, region, progress=None, cancelled=None):
        progress(1, 50)
        release.wait(10)  # until the test lets it go on (never long)
        if cancelled():
            raise vcard.ImportCancelled
        return real(path, region=region, progress=progress, cancelled=cancelled)

    monkeypatch.setattr(vcard, "read_vcard_file", slow)
    monkeypatch.setattr(files_module, "PROGRESS_DELAY_MS", 0)
    preview = Recorder(None)
    monkeypatch.setattr(VCardImportDialog, "ask", preview)
    before = _counts(fresh_db)
    try:
        assert tab.import_vcard(VCARDS / "google_30.vcf")  # returns while the file is read
        assert tab.is_importing()
        qtbot.waitUntil(lambda: tab.import_progress is not None
                        and tab.import_progress.isVisible())
        progress = tab.import_progress
        qtbot.waitUntil(lambda: "1 of 50 cards" in progress.label.text())
        assert progress.isModal() and progress.cancel_button.hasFocus()
        assert not tab.import_button.isEnabled()
        assert not tab.import_vcard(VCARDS / "google_30.vcf")  # one file at a time
        with qtbot.waitSignal(tab.import_finished) as blocker:
            qtbot.keyClick(progress, Qt.Key.Key_Escape)  # Cancel, by keyboard
            assert progress.label.text() == "Stopping…"
            release.set()
    finally:
        release.set()
    assert blocker.args == [None]
    assert preview.calls == []
    assert tab.notice.label.text() == "Import cancelled: nothing was saved."
    assert tab.import_button.isEnabled() and not tab.is_importing()
    assert _counts(fresh_db) == before


def test_a_merge_that_does_not_fit_is_explained_not_a_crash(tab, careteam, fresh_db,
                                                            monkeypatch, qtbot, tmp_path):
    from caregiver_app.domain.contacts import MAX_TEXT
    from caregiver_app.services.vcard import export_vcard_file

    lee = careteam.contact(_id(careteam, "Dr. Ada Lee"))
    careteam.save_contact(replace(lee, notes="n" * (MAX_TEXT - 5)))
    path = tmp_path / "lee.vcf"
    export_vcard_file(path, [replace(lee, notes="More notes from the phone.")])

    def merge_everything(cards, **kw):  # as if the preview had let it through
        return [replace(r, action=ImportAction.MERGE) for r in kw["rows"]]

    monkeypatch.setattr(VCardImportDialog, "ask", Recorder(merge_everything))
    warn = Recorder()
    monkeypatch.setattr(messages, "warn", warn)
    before = _counts(fresh_db)
    assert _import(tab, qtbot, path) is None
    (_parent, _title, text), _ = warn.calls[0]
    assert "Card 1 (Dr. Ada Lee) needs fixing: Notes" in text
    assert "Nothing was saved" in text
    assert _counts(fresh_db) == before
    assert careteam.contact(lee.id).notes == "n" * (MAX_TEXT - 5)


# ---- Appointments: keyboard, layout, clinic doses


def test_tab_goes_from_the_appointments_to_their_buttons(tab, careteam, qtbot):
    careteam.save_appointment(Appointment(NOW + timedelta(days=1), "Blood test",
                                          time_zone=CHICAGO))
    tab.appointment_filter.setFocus()
    qtbot.keyClick(tab.appointment_filter, Qt.Key.Key_Tab)
    assert tab.appointments_view.hasFocus()
    assert tab.appointments_view.currentIndex().isValid()  # a row to act on
    order = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [tab.add_appointment_button, tab.edit_appointment_button,
                     tab.remove_appointment_button]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab.search_edit  # round to the top, not back
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is tab.remove_appointment_button


def test_the_appointments_get_a_fair_share_of_the_height(tab, careteam):
    for d in range(8):
        careteam.save_appointment(Appointment(NOW + timedelta(days=d + 1), f"Visit {d}",
                                              time_zone=CHICAGO))
    view = tab.appointments_view
    shown = view.viewport().height() // view.verticalHeader().defaultSectionSize()
    assert shown >= 5
    assert view.height() >= 0.3 * (view.height() + tab.tree.height())


def test_the_linked_list_wraps_instead_of_scrolling_sideways(tab, careteam, fresh_db):
    lee = _id(careteam, "Dr. Ada Lee")
    for i in range(6):
        careteam.save_appointment(Appointment(
            NOW + timedelta(days=i + 1), "tofersen (Qalsody) dose at the clinic",
            time_zone=CHICAGO, contact_id=lee, series_label="maintenance dose every 28 days"))
    tab.select_contact(lee)
    view = tab.details.references_view
    assert view.wordWrap()
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    rows = view.model().rowCount()
    assert rows == 6
    assert view.height() >= sum(view.sizeHintForRow(r) for r in range(rows))


def test_removing_a_clinic_dose_says_it_stays_removed_and_where_the_dose_is(
        tab, careteam, monkeypatch):
    from caregiver_app.domain.appointments import AppointmentSource

    careteam.sync_generated(AppointmentSource.REGIMEN, [Appointment(
        NOW + timedelta(days=2), "tofersen dose at the clinic", time_zone=CHICAGO,
        source=AppointmentSource.REGIMEN, source_key="3:loading:2")], since=NOW)
    confirm = Recorder(True)
    monkeypatch.setattr(messages, "confirm", confirm)
    tab.appointments_view.setCurrentIndex(tab.appointments.index(0, 0))
    assert tab.remove_appointment()
    (_parent, _title, text), _ = confirm.calls[0]
    assert "for good" in text and "Medications tab" in text
    careteam.sync_generated(AppointmentSource.REGIMEN, [Appointment(
        NOW + timedelta(days=2), "tofersen dose at the clinic", time_zone=CHICAGO,
        source=AppointmentSource.REGIMEN, source_key="3:loading:2")], since=NOW)
    assert tab.appointments.rowCount() == 0


def test_in_the_window_a_number_without_country_code_is_read_in_the_patient_s_country(
        app_names, qtbot, data_dir, fake_clock, monkeypatch):
    """With LANG=C the locale names no country: the numbers typed for a patient living
    in Chicago are still US numbers (as the command line reads them)."""
    from PySide6.QtCore import QLocale

    from caregiver_app.app import build_context
    from caregiver_app.domain.patient import AllergyStatus, Patient

    monkeypatch.setattr(QLocale, "system", staticmethod(QLocale.c))
    ctx = build_context(data_dir, clock=fake_clock)
    qtbot.addWidget(ctx.window)
    try:
        ctx.patients.save(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                  time_zone="America/Chicago"))
        tab = ctx.window.tab_widget("care_team")
        assert isinstance(tab, CareTeamTab)
        tab.ensure_loaded()
        asked = {}

        def type_a_contact(cls, contact=None, *, region, save=None, parent=None):
            asked["region"] = region
            dialog = ContactDialog(contact, region=region, save=save, parent=parent)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.keyClicks(dialog.name_edit, "Rosa Martinez")
            qtbot.keyClicks(dialog.phone_rows[0].number_edit, "312 555 0144")
            assert dialog.try_accept(), dialog.error_text("phone_0")
            return dialog.result_value()

        monkeypatch.setattr(ContactDialog, "ask", classmethod(type_a_contact))
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
        assert asked["region"] == "US"
        [rosa] = [c for c in ctx.careteam.contacts() if c.name == "Rosa Martinez"]
        assert rosa.phones == (Phone(PhoneKind.OFFICE, "+13125550144"),)
    finally:
        ctx.close()
