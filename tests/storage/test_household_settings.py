"""Household settings live in the records: backups, exports and imports carry them, and
the dose timing an earlier version kept in ui-settings.ini is moved there once."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from permissions import assert_owner_only

from caregiver_app.domain.errors import ValidationError
from caregiver_app.storage import transfer
from caregiver_app.storage.backup import make_backup
from caregiver_app.storage.db import open_database
from caregiver_app.storage.household_repo import HouseholdRepository

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

#: An ui-settings.ini as an earlier version wrote it (Qt's INI format).
OLD_INI = """[General]
settings_version=1

[doses]
missed_after_minutes=90
on_time_minutes=30

[main_window]
geometry=@ByteArray(\\x1\\xd9\\xd0\\xcb\\0\\x3\\0\\0)
last_tab=medications

[reminders]
lead_minutes=5
"""


def _records(data_dir):
    return data_dir / "caregiver.sqlite3"


def test_defaults_and_a_household_id_made_once(data_dir):
    db = open_database(_records(data_dir))
    repo = HouseholdRepository(db)
    settings = repo.get()
    assert (settings.dose_on_time_minutes, settings.dose_missed_after_minutes) == (60, 120)
    first = settings.household_id
    assert str(uuid.UUID(first)) == first
    assert repo.household_id() == first
    db.close()
    again = open_database(_records(data_dir))
    assert HouseholdRepository(again).household_id() == first  # kept, never remade
    again.close()


def test_the_household_id_cannot_be_changed_and_a_bad_value_is_refused(fresh_db):
    repo = HouseholdRepository(fresh_db)
    with pytest.raises(ValidationError) as info:
        repo.save({"household_id": str(uuid.uuid4())})
    assert "household_id" in info.value.errors
    with pytest.raises(ValidationError) as info:
        repo.save({"dose_on_time_minutes": 45, "dose_missed_after_minutes": 7})
    assert "one of 60, 90, 120" in info.value.errors["dose_missed_after_minutes"]
    assert repo.get().dose_on_time_minutes == 60  # all or nothing
    repo.save({"dose_on_time_minutes": 45, "dose_missed_after_minutes": 90})
    policy = repo.get().dose_policy()
    assert (policy.home.late.seconds, policy.home.grace.seconds) == (2700, 5400)


def test_a_value_edited_by_hand_reads_as_its_default(fresh_db):
    HouseholdRepository(fresh_db).save({"dose_on_time_minutes": 30})
    fresh_db.execute("UPDATE household_settings SET value = '7'")
    assert HouseholdRepository(fresh_db).get().dose_on_time_minutes == 60


def test_old_ui_settings_are_carried_over_once(data_dir):
    data_dir.mkdir(parents=True)
    ini = data_dir / "ui-settings.ini"
    ini.write_text(OLD_INI)
    db = open_database(_records(data_dir))
    settings = HouseholdRepository(db).get()
    assert (settings.dose_on_time_minutes, settings.dose_missed_after_minutes) == (30, 90)
    text = ini.read_text()
    assert "doses" not in text and "on_time" not in text
    # everything else stays byte for byte, Qt's escapes included
    assert text == OLD_INI.replace("[doses]\nmissed_after_minutes=90\non_time_minutes=30\n\n",
                                   "")
    assert_owner_only(ini)
    HouseholdRepository(db).save({"dose_on_time_minutes": 15})
    db.close()
    ini.write_text(ini.read_text() + "[doses]\non_time_minutes=120\n")  # an old copy again
    again = open_database(_records(data_dir))
    assert HouseholdRepository(again).get().dose_on_time_minutes == 15  # the records win
    assert "doses" not in ini.read_text()
    again.close()


def test_a_hand_edited_old_value_is_not_carried_over(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "ui-settings.ini").write_text("[doses]\non_time_minutes=7\n")
    db = open_database(_records(data_dir))
    assert HouseholdRepository(db).get().dose_on_time_minutes == 60
    assert (data_dir / "ui-settings.ini").read_text() == ""
    db.close()


def test_a_backup_and_an_export_carry_the_settings(data_dir, tmp_path):
    db = open_database(_records(data_dir))
    repo = HouseholdRepository(db)
    repo.save({"dose_on_time_minutes": 30, "dose_missed_after_minutes": 60})
    household = repo.household_id()
    copy = make_backup(db.conn, tmp_path / "backups", "daily", NOW)
    exported = tmp_path / "records.json"
    transfer.export_to_file(db, exported, app_version="t")
    db.close()

    restored = tmp_path / "restored" / "caregiver.sqlite3"
    restored.parent.mkdir()
    shutil.copy(copy, restored)
    imported = tmp_path / "imported" / "caregiver.sqlite3"
    imported.parent.mkdir()
    transfer.build_database(transfer.read_document(exported), imported)
    for path in (restored, imported):
        other = open_database(path)
        settings = HouseholdRepository(other).get()
        assert (settings.dose_on_time_minutes, settings.dose_missed_after_minutes,
                settings.household_id) == (30, 60, household)
        other.close()
    rows = {r["key"]: r["value"] for r in
            json.loads(exported.read_text())["tables"]["household_settings"]}
    assert rows == {"household_id": household, "dose_on_time_minutes": "30",
                    "dose_missed_after_minutes": "60"}


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("dose_on_time_minutes", "61", 'field "value" is not valid (On time within must be one '
                                   "of 15, 30, 45, 60, 90, 120 minutes"),
    ("dose_missed_after_minutes", "two hours", 'field "value" is not valid (Missed after must '
                                               "be a whole number of minutes"),
    ("household_id", "ABC", 'field "value" is not valid (the household id must be a UUID'),
    ("favourite_colour", "blue", 'field "key" is not valid (no household setting is called'),
])
def test_import_refuses_a_setting_the_app_would_refuse(data_dir, tmp_path, key, value,
                                                       expected):
    db = open_database(_records(data_dir))
    doc = json.loads(json.dumps(transfer.export_document(db, app_version="t")))
    db.close()
    rows = doc["tables"]["household_settings"]
    rows = [r for r in rows if r["key"] != key]
    rows.append({"key": key, "value": value, "updated_at": "2026-11-25T12:00:00+00:00"})
    doc["tables"]["household_settings"] = rows
    with pytest.raises(transfer.TransferError) as info:
        transfer.build_database(doc, tmp_path / "built.sqlite3")
    assert f'"household_settings" record {len(rows)}: {expected}' in str(info.value)


def test_an_export_from_before_the_settings_gets_defaults_and_an_id(data_dir, tmp_path):
    db = open_database(_records(data_dir))
    doc = json.loads(json.dumps(transfer.export_document(db, app_version="t")))
    db.close()
    # the file of an app before m002: no later core change either (m003 added the
    # patient's emergency fields, m004 the height)
    later = ("m002_household_settings", "m003_patient_emergency_fields",
             "m004_patient_height")
    doc["schema"] = [s for s in doc["schema"] if not s.endswith(later)]
    del doc["tables"]["household_settings"]
    for row in doc["tables"]["patient"]:
        for name in ("diagnosis", "communication", "breathing", "advance_decisions",
                     "height_cm"):
            row.pop(name, None)
    built = tmp_path / "new" / "caregiver.sqlite3"
    built.parent.mkdir()
    transfer.build_database(doc, built)
    opened = open_database(built)
    settings = HouseholdRepository(opened).get()
    assert settings.dose_on_time_minutes == 60 and settings.household_id
    opened.close()


def test_the_table_refuses_a_second_row_for_one_setting(fresh_db):
    HouseholdRepository(fresh_db).household_id()
    with pytest.raises(sqlite3.IntegrityError):
        fresh_db.execute("INSERT INTO household_settings VALUES ('household_id', 'x', 'y')")


@given(st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.uuids().map(lambda u: u.hex),
    st.uuids().map(lambda u: u.urn),
    st.uuids().map(lambda u: f" {u}\n"),
    st.text(alphabet="0123456789abcdefABCDEF-{}:", min_size=30, max_size=40)))
def test_a_household_id_is_valid_exactly_when_it_is_a_uuid_written_as_python_writes_it(
        text):
    """The household id is checked as text (without the uuid module, which loads the
    platform module at every start): the same verdict as the round trip
    ``str(uuid.UUID(text)) == text`` it replaced."""
    from caregiver_app.domain.household import HOUSEHOLD_ID, SETTINGS

    try:
        round_trip = str(uuid.UUID(text)) == text
    except ValueError:
        round_trip = False
    try:
        SETTINGS[HOUSEHOLD_ID].parse(text)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == round_trip
