"""Contacts, their numbers and appointments in SQLite; removal is reversible."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.contacts import Contact, PreferredContact, Role
from caregiver_app.domain.errors import NotFound
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.storage.careteam_repo import CareTeamRepository

T0 = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


@pytest.fixture
def repo(fresh_db) -> CareTeamRepository:
    return CareTeamRepository(fresh_db)


def _contact(name="Dr. Ada Lee", **kw) -> Contact:
    base = dict(role=Role.NEUROLOGIST, phones=(Phone(PhoneKind.OFFICE, "+13125550142", "12"),
                                               Phone(PhoneKind.FAX, "+13125550143")))
    base.update(kw)
    return Contact(name=name, **base)


def test_every_field_is_saved_and_read_back(repo):
    contact = Contact(
        name="Rosa Martinez", role=Role.OTHER, role_other="Clinic nurse navigator",
        organisation="Lakeside", phones=(Phone(PhoneKind.MOBILE, "+13125550144"),
                                         Phone(PhoneKind.AFTER_HOURS, "+13125550199", "7")),
        email="rosa@example.org", address="200 Lake St\nSpringfield",
        portal_url="https://mychart.example.org", office_hours="Mon–Fri 8–4",
        preferred_contact=PreferredContact.TEXT, notes="Call first between visits.",
        emergency=True)
    saved = repo.save_contact(contact)
    assert saved.id is not None
    assert saved == replace(contact, id=saved.id)
    assert repo.contact(saved.id) == saved


def test_update_replaces_numbers_in_order(repo):
    saved = repo.save_contact(_contact())
    edited = replace(saved, phones=(Phone(PhoneKind.MOBILE, "+13125550150"), saved.phones[0]))
    repo.save_contact(edited)
    assert [p.number for p in repo.contact(saved.id).phones] == ["+13125550150", "+13125550142"]
    assert repo.contact(saved.id).phones[1].extension == "12"


def test_contacts_are_listed_by_name_without_removed_ones(repo):
    b = repo.save_contact(_contact("ben"))
    repo.save_contact(_contact("Ada"))
    repo.archive_contact(b.id)
    assert [c.name for c in repo.contacts()] == ["Ada"]
    assert [c.name for c in repo.archived_contacts()] == ["ben"]
    assert repo.contact(b.id).archived  # still readable by id, for what points at it
    repo.restore_contact(b.id)
    assert [c.name for c in repo.contacts()] == ["Ada", "ben"]
    assert repo.contact(b.id).phones == b.phones


def test_unknown_ids_raise_not_found(repo):
    with pytest.raises(NotFound):
        repo.archive_contact(99)
    with pytest.raises(NotFound):
        repo.save_contact(_contact(id=99))
    assert repo.contact(99) is None


def test_import_saves_all_or_nothing(repo, fresh_db):
    repo.save_contact(_contact("Existing"))
    bad = _contact("Bad", id=12345)  # an update of a contact that does not exist
    with pytest.raises(NotFound):
        repo.save_contacts([_contact("New one"), bad])
    assert [c.name for c in repo.contacts()] == ["Existing"]
    assert fresh_db.table("contact_phones").count == 2


def _appointment(contact_id=None, days=0, **kw) -> Appointment:
    return Appointment(T0 + timedelta(days=days), kw.pop("purpose", "ALS clinic visit"),
                       time_zone="America/Chicago", contact_id=contact_id, **kw)


def test_appointments_round_trip_with_the_contact_name(repo):
    lee = repo.save_contact(_contact())
    a = repo.save_appointment(_appointment(lee.id, place="Lakeside", transport="Taxi 8:30",
                                           companion="Tom", questions="Liquid riluzole?",
                                           outcome="", duration_minutes=240))
    back = repo.appointment(a.id)
    assert back == a
    assert back.contact_name == "Dr. Ada Lee"
    assert back.starts_at == T0
    assert back.time_zone == "America/Chicago"


def test_upcoming_returns_the_window_soonest_first(repo):
    for d in (5, 1, 9, -2):
        repo.save_appointment(_appointment(days=d, purpose=f"day {d}"))
    gone = repo.save_appointment(_appointment(days=2, purpose="removed"))
    repo.archive_appointment(gone.id)
    found = repo.upcoming(T0, T0 + timedelta(days=7))
    assert [a.purpose for a in found] == ["day 1", "day 5"]


def add_medicine(db, name: str, *, prescriber_id=None, pharmacy_id=None, brand="",
                 end_date=None) -> int:
    """A row in the medicine schedule's own table, with only what it requires."""
    return db.table("medicines").insert({
        "generic_name": name, "brand_name": brand, "start_date": "2026-11-01",
        "end_date": end_date, "prescriber_id": prescriber_id, "pharmacy_id": pharmacy_id,
        "created_at": "2026-11-01T12:00:00+00:00", "updated_at": "2026-11-01T12:00:00+00:00",
    }).last_pk


@pytest.fixture
def careteam_only_db():
    """A database as it was before the medicines feature: no ``medicines`` table."""
    from caregiver_app.storage.db import memory_database
    from caregiver_app.storage.migrations import MIGRATION_SETS, careteam, core

    db = memory_database()
    for migrations in MIGRATION_SETS:
        if migrations in (core.migrations, careteam.migrations):
            migrations.apply(db)
    assert not db.table("medicines").exists()
    yield db
    db.close()


def test_references_before_the_medicines_table_exists(careteam_only_db):
    repo = CareTeamRepository(careteam_only_db)
    lee = repo.save_contact(_contact())
    repo.save_appointment(_appointment(lee.id))
    refs = repo.references(lee.id)
    assert [(r.kind, r.label) for r in refs] == [("appointment", "ALS clinic visit")]


def test_references_with_a_minimal_medicines_table(careteam_only_db):
    careteam_only_db.table("medicines").create(
        {"id": int, "name": str, "status": str, "prescriber_id": int}, pk="id")
    repo = CareTeamRepository(careteam_only_db)
    lee = repo.save_contact(_contact())
    careteam_only_db.table("medicines").insert_all([
        {"name": "Riluzole", "status": "active", "prescriber_id": lee.id},
        {"name": "Baclofen", "status": "stopped", "prescriber_id": lee.id}])
    assert [(r.label, r.detail) for r in repo.references(lee.id)] == [
        ("Riluzole", "prescriber"), ("Baclofen", "prescriber (stopped)")]


def test_references_include_the_medicines_that_name_the_contact(repo, fresh_db):
    lee = repo.save_contact(_contact())
    rx = repo.save_contact(_contact("Riverside Pharmacy", role=Role.PHARMACY))
    add_medicine(fresh_db, "riluzole", brand="Rilutek", prescriber_id=lee.id,
                 pharmacy_id=rx.id)
    add_medicine(fresh_db, "baclofen", prescriber_id=lee.id, end_date="2026-11-20")
    add_medicine(fresh_db, "glycopyrrolate", pharmacy_id=rx.id)
    repo.save_appointment(_appointment(lee.id))
    assert [(r.kind, r.label, r.detail) for r in repo.references(lee.id)] == [
        ("medicine", "riluzole (Rilutek)", "prescriber"),
        ("medicine", "baclofen", "prescriber (ended 2026-11-20)"),
        ("appointment", "ALS clinic visit", "Tue 1 Dec 2026, 10:00–11:00"),
    ]
    assert [r.label for r in repo.references(rx.id)] == ["riluzole (Rilutek)",
                                                         "glycopyrrolate"]
    # removing the contact keeps every link: the medicine still names its prescriber
    repo.archive_contact(lee.id)
    assert len(repo.references(lee.id)) == 3


def test_generated_appointments_sync_keeps_the_caregiver_s_notes(repo):
    dose = Appointment(T0 + timedelta(days=3), "Tofersen dose", time_zone="America/Chicago",
                       source=AppointmentSource.REGIMEN, source_key="tofersen:2",
                       series_label="loading dose 2 of 3")
    other = replace(dose, starts_at=T0 + timedelta(days=17), source_key="tofersen:3",
                    series_label="loading dose 3 of 3")
    repo.sync_generated(AppointmentSource.REGIMEN, [dose, other], since=T0)
    first = repo.upcoming(T0, T0 + timedelta(days=30))[0]
    repo.save_appointment(replace(first, transport="Tom drives", questions="Side effects?"))
    moved = replace(dose, starts_at=T0 + timedelta(days=4))
    repo.sync_generated(AppointmentSource.REGIMEN, [moved], since=T0)  # dose 3 dropped
    found = repo.upcoming(T0, T0 + timedelta(days=30))
    assert len(found) == 1
    assert found[0].id == first.id
    assert found[0].starts_at == T0 + timedelta(days=4)
    assert found[0].transport == "Tom drives" and found[0].questions == "Side effects?"
    assert found[0].title() == "Tofersen dose (loading dose 2 of 3)"


def test_sync_refuses_planned_appointments_without_keys(repo):
    with pytest.raises(ValueError):
        repo.sync_generated(AppointmentSource.REGIMEN, [_appointment()], since=T0)


def _dose(key: str, days: int, **kw) -> Appointment:
    return Appointment(T0 + timedelta(days=days), "Tofersen dose", time_zone="America/Chicago",
                       source=AppointmentSource.REGIMEN, source_key=key, **kw)


def test_a_clinic_dose_the_caregiver_removed_stays_removed(repo):
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 3)], since=T0)
    [visit] = repo.upcoming(T0, T0 + timedelta(days=30))
    repo.archive_appointment(visit.id)
    # any medicine change plans the same dose again
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 4)], since=T0)
    assert repo.upcoming(T0, T0 + timedelta(days=30)) == []
    gone = repo.appointment(visit.id)
    assert gone.archived and gone.starts_at == T0 + timedelta(days=4)  # Undo shows the new day
    repo.restore_appointment(visit.id)
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 4)], since=T0)
    assert [a.id for a in repo.upcoming(T0, T0 + timedelta(days=30))] == [visit.id]


def test_a_clinic_dose_the_schedule_dropped_comes_back_when_planned_again(repo):
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 3)], since=T0)
    [visit] = repo.upcoming(T0, T0 + timedelta(days=30))
    repo.save_appointment(replace(visit, transport="Tom drives"))
    repo.sync_generated(AppointmentSource.REGIMEN, [], since=T0)  # medicine paused
    assert repo.upcoming(T0, T0 + timedelta(days=30)) == []
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 3)], since=T0)  # resumed
    [back] = repo.upcoming(T0, T0 + timedelta(days=30))
    assert back.id == visit.id and back.transport == "Tom drives"


def test_a_clinic_dose_given_before_its_slot_keeps_its_appointment(repo):
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 3)], since=T0)
    [visit] = repo.upcoming(T0, T0 + timedelta(days=30))
    given = T0 + timedelta(days=1)
    repo.sync_generated(AppointmentSource.REGIMEN, [], since=given, done={"t:2": given})
    done = repo.appointment(visit.id)
    assert not done.archived
    assert done.starts_at == given  # when it happened: past, so the outcome can be written
    assert done in repo.appointments()


def test_the_schedule_owns_time_and_contact_but_the_caregiver_s_notes_are_kept(repo):
    lee = repo.save_contact(_contact())
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 3, contact_id=lee.id,
                                                          place="Lakeside")], since=T0)
    [visit] = repo.upcoming(T0, T0 + timedelta(days=30))
    repo.save_appointment(replace(visit, place="Infusion suite, 2nd floor", transport="Taxi",
                                  questions="Headache?", companion="Ana", outcome="x"))
    repo.sync_generated(AppointmentSource.REGIMEN, [_dose("t:2", 5, contact_id=lee.id,
                                                          place="Lakeside")], since=T0)
    after = repo.appointment(visit.id)
    assert after.starts_at == T0 + timedelta(days=5)
    assert (after.place, after.transport, after.questions, after.companion, after.outcome) == (
        "Infusion suite, 2nd floor", "Taxi", "Headache?", "Ana", "x")


# ---- How each number is shown, kept beside it (careteam m004)

def _shown(db) -> list[tuple]:
    return db.execute("SELECT number, extension, shown_national, shown_international, "
                      "shown_region, shown_rules FROM contact_phones "
                      "ORDER BY contact_id, position").fetchall()


def test_each_saved_number_keeps_how_it_is_shown(repo, fresh_db):
    import phonenumbers

    from caregiver_app.domain.phones import format_phone

    saved = repo.save_contact(_contact(phones=(
        Phone(PhoneKind.OFFICE, "+13125550142", "12"), Phone(PhoneKind.OTHER, "911"),
        Phone(PhoneKind.MOBILE, "+442079460018"), Phone(PhoneKind.OTHER, "+80012345678"))))
    version = phonenumbers.__version__
    assert _shown(fresh_db) == [
        ("+13125550142", "12", "(312) 555-0142 ext. 12", "+1 312-555-0142 ext. 12", "US",
         version),
        ("911", "", "", "", "", ""),  # a short number is shown as stored
        ("+442079460018", "", "020 7946 0018", "+44 20 7946 0018", "GB", version),
        ("+80012345678", "", "1234 5678", "+800 1234 5678", "", version),  # of no region
    ]
    loaded = repo.contact(saved.id)
    assert loaded is not None and loaded == saved
    office, short, london, free = loaded.phones
    assert office.forms is not None and office.forms.national == "(312) 555-0142 ext. 12"
    assert short.forms is None
    assert london.forms is not None and london.forms.region == "GB"
    assert free.forms is not None and free.forms.region == ""
    for phone in loaded.phones:
        for region in ("US", "GB", None):
            assert format_phone(phone, region) == format_phone(replace(phone, forms=None),
                                                               region)
    # changed numbers get their own forms
    repo.save_contact(replace(loaded, phones=(Phone(PhoneKind.OFFICE, "+13125550199"),)))
    assert _shown(fresh_db) == [("+13125550199", "", "(312) 555-0199", "+1 312-555-0199",
                                 "US", version)]


@pytest.mark.parametrize(("number", "extension", "at_home", "abroad"), [
    ("+13125550199", "12", "(312) 555-0199 ext. 12", "+1 312-555-0199 ext. 12"),
    ("+13125550142", "", "(312) 555-0142", "+1 312-555-0142"),
    ("+13125550142", "7", "(312) 555-0142 ext. 7", "+1 312-555-0142 ext. 7"),
    ("+442079460018", "12", "+44 20 7946 0018 x12", "+44 20 7946 0018 x12"),
    ("911", "", "911", "911"),
])
def test_a_number_changed_without_its_forms_is_shown_as_it_is_now(
        repo, fresh_db, number, extension, at_home, abroad):
    """A writer that changes a number alone (by hand, a repair, a later migration)
    leaves the old number's forms beside it: they are not used (review 3, item 1)."""
    from caregiver_app.domain.phones import format_phone, forms_fit

    saved = repo.save_contact(_contact(phones=(Phone(PhoneKind.OFFICE, "+13125550142", "12"),)))
    fresh_db.execute("UPDATE contact_phones SET number = ?, extension = ? WHERE contact_id = ?",
                     [number, extension, saved.id])
    [phone] = repo.contact(saved.id).phones
    assert (phone.number, phone.extension) == (number, extension)
    assert phone.forms is None or not forms_fit(phone, phone.forms)  # the old ones, unfit
    assert (format_phone(phone, "US"), format_phone(phone, "FR")) == (at_home, abroad)


def test_the_migration_works_out_how_numbers_already_stored_are_shown(tmp_path):
    import phonenumbers

    from caregiver_app.storage import migrations
    from caregiver_app.storage.db import connect

    db = connect(tmp_path / "older.sqlite3")
    for mset in migrations.MIGRATION_SETS:
        if mset.name == "caregiver_app.careteam":
            mset.apply(db, stop_before="m004_phone_forms")
            break
        mset.apply(db)
    assert "shown_national" not in db.table("contact_phones").columns_dict
    contact = db.table("contacts").insert({"name": "Dr Lee", "role": "neurologist"}).last_pk
    db.table("contact_phones").insert_all([
        {"contact_id": contact, "position": 0, "kind": "office", "number": "+13125550142",
         "extension": "12"},
        {"contact_id": contact, "position": 1, "kind": "other", "number": "112",
         "extension": ""},
        {"contact_id": contact, "position": 2, "kind": "mobile", "number": "+4915123456789",
         "extension": None},
    ])
    migrations.apply_all(db)
    version = phonenumbers.__version__
    assert _shown(db) == [
        ("+13125550142", "12", "(312) 555-0142 ext. 12", "+1 312-555-0142 ext. 12", "US",
         version),
        ("112", "", "", "", "", ""),
        ("+4915123456789", None, "01512 3456789", "+49 1512 3456789", "DE", version),
    ]
    db.close()
