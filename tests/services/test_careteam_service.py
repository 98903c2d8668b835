"""The care-team service: checks before saving, and announces every change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.vcard import ImportAction, plan_import, read_vcards, write_vcards
from caregiver_app.storage.careteam_repo import CareTeamRepository

T0 = datetime(2026, 12, 1, 16, tzinfo=UTC)


@pytest.fixture
def team(fresh_db, qapp) -> CareTeam:
    return CareTeam(CareTeamRepository(fresh_db), region="US")


def test_saving_checks_the_contact_and_announces_it(team, qtbot):
    with qtbot.waitSignal(team.changes.changed):
        saved = team.save_contact(Contact("Dr. Lee", Role.NEUROLOGIST,
                                          phones=(Phone(PhoneKind.OFFICE, "312 555 0142"),)))
    assert saved.phones[0].number == "+13125550142"
    with pytest.raises(ValidationError), qtbot.assertNotEmitted(team.changes.changed):
        team.save_contact(Contact(""))


def test_remove_and_restore(team, qtbot):
    lee = team.save_contact(Contact("Dr. Lee", Role.NEUROLOGIST))
    with qtbot.waitSignal(team.changes.changed):
        team.remove_contact(lee.id)
    assert team.contacts() == []
    assert [c.name for c in team.archived_contacts()] == ["Dr. Lee"]
    team.restore_contact(lee.id)
    assert [c.name for c in team.contacts()] == ["Dr. Lee"]


def test_pickers_list_likely_contacts_first(team):
    for name, role in (("Aaron (pharmacy)", Role.PHARMACY), ("Zed", Role.NEUROLOGIST),
                       ("Bea", Role.DIETITIAN), ("Rosa", Role.NURSE_COORDINATOR)):
        team.save_contact(Contact(name, role))
    assert [c.name for c in team.picker_contacts("prescriber")][:2] == ["Zed", "Rosa"]
    assert team.picker_contacts("pharmacy")[0].name == "Aaron (pharmacy)"


def test_import_saves_the_chosen_rows_in_one_go(team, qtbot):
    team.save_contact(Contact("Ben", Role.PHYSICAL_THERAPIST,
                              phones=(Phone(PhoneKind.OFFICE, "+13125550150"),)))
    text = write_vcards([Contact("Ben", phones=(Phone(PhoneKind.OFFICE, "+13125550150"),),
                                 email="ben@example.org"),
                         Contact("Ana", Role.DIETITIAN), Contact("Cy")])
    rows = plan_import(read_vcards(text, region="US"), team.contacts())
    rows[0] = replace(rows[0], action=ImportAction.MERGE)
    rows[2] = replace(rows[2], action=ImportAction.SKIP)
    with qtbot.waitSignal(team.changes.changed):
        result = team.import_rows(rows)
    assert (result.added, result.merged, result.skipped) == (1, 1, 1)
    assert "1 added" in result.summary()
    by_name = {c.name: c for c in team.contacts()}
    assert sorted(by_name) == ["Ana", "Ben"]
    assert by_name["Ben"].email == "ben@example.org"
    assert by_name["Ben"].role is Role.PHYSICAL_THERAPIST


def test_appointments_are_checked_and_announced(team, qtbot):
    with qtbot.waitSignal(team.changes.changed):
        saved = team.save_appointment(Appointment(T0, " ALS clinic visit "))
    assert saved.purpose == "ALS clinic visit"
    assert [a.id for a in team.upcoming(T0, T0 + timedelta(days=1))] == [saved.id]
    with qtbot.waitSignal(team.changes.changed):
        team.remove_appointment(saved.id)
    assert team.upcoming(T0, T0 + timedelta(days=1)) == []


def test_clinic_doses_hook(team, qtbot):
    dose = Appointment(T0, "Tofersen dose", source=AppointmentSource.REGIMEN,
                       source_key="tofersen:1", series_label="loading dose 1 of 3")
    with qtbot.waitSignal(team.changes.changed):
        team.sync_generated(AppointmentSource.REGIMEN, [dose], since=T0 - timedelta(days=1))
    [found] = team.upcoming(T0, T0 + timedelta(hours=1))
    assert found.title() == "Tofersen dose (loading dose 1 of 3)"


def test_a_merge_that_does_not_fit_is_refused_by_card_and_saves_nothing(team, fresh_db,
                                                                          qtbot):
    from caregiver_app.domain.contacts import MAX_TEXT
    from caregiver_app.services.vcard import ImportBlocked

    ben = team.save_contact(Contact("Ben", phones=(Phone(PhoneKind.OFFICE, "+13125550150"),),
                                    notes="n" * (MAX_TEXT - 5)))
    text = write_vcards([Contact("Ana"),
                         Contact("Ben", phones=(Phone(PhoneKind.OFFICE, "+13125550150"),),
                                 notes="Comes on Tuesdays.")])
    rows = plan_import(read_vcards(text, region="US"), team.contacts())
    rows[1] = replace(rows[1], action=ImportAction.MERGE)
    with pytest.raises(ImportBlocked, match="Card 2 \\(Ben\\) needs fixing: Notes"), \
            qtbot.assertNotEmitted(team.changes.changed):
        team.import_rows(rows)
    assert [c.name for c in team.contacts()] == ["Ben"]
    assert team.contact(ben.id).notes == ben.notes
