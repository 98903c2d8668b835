"""Every care-team model passes Qt's model tester and shows what the caregiver needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt

from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.contacts import Contact, ContactReference, Role
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.vcard import plan_import, read_vcards, write_vcards
from caregiver_app.ui.careteam.appointments_model import AppointmentTableModel, ReferencesModel
from caregiver_app.ui.careteam.contacts_model import (
    CONTACT_ROLE,
    ContactFilterProxy,
    ContactTreeModel,
)
from caregiver_app.ui.careteam.import_dialog import ImportPreviewModel

NOW = datetime(2026, 12, 1, 16, tzinfo=UTC)
TEAM = [
    Contact("Dr. Ada Lee", Role.NEUROLOGIST, organisation="Lakeside",
            phones=(Phone(PhoneKind.FAX, "+13125550143"), Phone(PhoneKind.OFFICE,
                                                                "+13125550142")), id=1),
    Contact("Rosa Martinez", Role.NURSE_COORDINATOR, emergency=True,
            phones=(Phone(PhoneKind.OFFICE, "+13125550144"),), id=2),
    Contact("Riverside Pharmacy", Role.PHARMACY, phones=(Phone(PhoneKind.OFFICE,
                                                               "+13125550170"),), id=3),
    Contact("Ben Okafor", Role.PHYSICAL_THERAPIST, id=4),
]


def _tree() -> ContactTreeModel:
    model = ContactTreeModel()
    model.set_contacts(TEAM, region="US")
    return model


def test_tree_model_passes_the_model_tester(qtmodeltester):
    model = _tree()
    qtmodeltester.check(model)
    model.set_contacts([], region="US")
    qtmodeltester.check(model)


def test_filter_proxy_passes_the_model_tester(qtmodeltester):
    proxy = ContactFilterProxy()
    proxy.setSourceModel(_tree())
    proxy.set_query("lee")
    qtmodeltester.check(proxy)
    proxy.set_query("")
    qtmodeltester.check(proxy)


def test_tree_groups_call_first_then_roles_and_shows_the_number_to_call():
    model = _tree()
    groups = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert groups == ["★ Call first (1)", "Neurologist (1)", "Physical therapist (1)",
                      "Pharmacy (1)"]
    lee = model.index_of(1)
    assert lee.data() == "Dr. Ada Lee"
    assert lee.siblingAtColumn(3).data() == "(312) 555-0142"  # not the fax
    assert "call first" in model.index_of(2).data(Qt.ItemDataRole.AccessibleTextRole)
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert "Diagnoses ALS" in lee.siblingAtColumn(1).data(Qt.ItemDataRole.ToolTipRole)


def _visible(proxy) -> list[str]:
    names = []
    for g in range(proxy.rowCount()):
        group = proxy.index(g, 0)
        names += [proxy.index(r, 0, group).data(CONTACT_ROLE).name
                  for r in range(proxy.rowCount(group))]
    return names


def test_search_keeps_matching_contacts_and_their_groups():
    proxy = ContactFilterProxy()
    proxy.setSourceModel(_tree())
    proxy.set_query("pharm")
    assert _visible(proxy) == ["Riverside Pharmacy"]
    assert proxy.rowCount() == 1
    proxy.set_query("0144")
    assert _visible(proxy) == ["Rosa Martinez"]
    proxy.set_query("lakeside")
    assert _visible(proxy) == ["Dr. Ada Lee"]
    proxy.set_query("physical")
    assert _visible(proxy) == ["Ben Okafor"]
    proxy.set_query("lee rosa")  # every word must match: nobody
    assert proxy.rowCount() == 0
    proxy.set_query("nobody")
    assert proxy.rowCount() == 0
    proxy.set_query("")
    assert len(_visible(proxy)) == 4


def test_group_counts_are_hidden_while_searching(qtmodeltester):
    model = _tree()
    qtmodeltester.check(model)
    assert model.index(1, 0).data() == "Neurologist (1)"
    model.set_counts_shown(False)
    assert model.index(0, 0).data() == "★ Call first"
    assert model.index(1, 0).data() == "Neurologist"


def _appointments() -> list[Appointment]:
    return [
        Appointment(NOW - timedelta(days=3), "ALS clinic visit", outcome="Start cough assist",
                    contact_name="Rosa Martinez", id=1),
        Appointment(NOW - timedelta(days=1), "Blood test", id=2),
        Appointment(NOW + timedelta(days=2), "Tofersen dose", series_label="loading dose 2 of 3",
                    questions="Headache after the last one?\nDriving home?", place="Clinic",
                    id=3),
    ]


def test_appointment_model_passes_the_model_tester(qtmodeltester):
    model = AppointmentTableModel()
    model.set_appointments(_appointments(), now=NOW)
    qtmodeltester.check(model)


def test_appointment_rows_say_past_and_what_is_missing():
    model = AppointmentTableModel()
    model.set_appointments(_appointments(), now=NOW)
    assert model.index(0, 0).data().startswith("Past: ")
    assert model.index(0, 4).data() == "Outcome: Start cough assist"
    assert model.index(1, 4).data() == "No outcome written yet"
    assert model.index(2, 1).data() == "Tofersen dose (loading dose 2 of 3)"
    assert model.index(2, 4).data() == "Questions: Headache after the last one?"
    assert "Driving home?" in model.index(2, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert model.data(model.index(2, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert model.row_of(3) == 2


def test_references_model_passes_the_model_tester(qtmodeltester):
    model = ReferencesModel()
    model.set_references([ContactReference("medicine", 1, "Riluzole", "prescriber"),
                          ContactReference("appointment", 2, "ALS clinic visit", "Tue")])
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Medicine: Riluzole — prescriber"
    assert model.rowCount(model.index(0, 0)) == 0


def test_import_preview_model_passes_the_model_tester(qtmodeltester):
    text = write_vcards([TEAM[0], Contact("New Person", Role.DIETITIAN)])
    rows = plan_import(read_vcards(text, region="US"), TEAM)
    model = ImportPreviewModel(rows, region="US")
    qtmodeltester.check(model)
    assert model.index(0, 3).data() == "Skip"
    assert "Already in the care team" in model.index(0, 4).data()
    assert model.index(1, 4).data() == "✓ New contact"
    assert model.rowCount(QModelIndex()) == 2
