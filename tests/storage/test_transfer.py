"""Export every record to JSON and build it back; malformed files change nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from permissions import assert_owner_only
from sharing_rows import insert_sharing_rows

from caregiver_app.services.demo import populate_example
from caregiver_app.storage import transfer
from caregiver_app.storage.db import connect, open_database
from caregiver_app.storage.transfer import TransferError


def _dump(db) -> dict[str, list[dict]]:
    out = {}
    for table in transfer.data_tables(db):
        out[table] = [dict(r) for r in db.query(f"SELECT * FROM [{table}] ORDER BY rowid")]
    return out


@pytest.fixture
def full_db(data_dir):
    """A database with at least one record in every table the app keeps."""
    db = open_database(data_dir / "caregiver.sqlite3")
    populate_example(db, today=date(2026, 11, 25), time_zone="America/Chicago")
    if not db.table("contacts").count:
        db.table("contacts").insert({"name": "Dr Example", "role": "neurologist"})
    contact_id = db.execute("SELECT min(id) FROM contacts").fetchone()[0]
    if not db.table("contact_phones").count:
        db.table("contact_phones").insert(
            {"contact_id": contact_id, "position": 0, "kind": "office", "number": "+15555550100"})
    if not db.table("reminder_log").count:
        db.table("reminder_log").insert({
            "subject": "dose:1:2026-11-24T08:00", "due_at": "2026-11-24T14:00:00+00:00",
            "announced_at": "2026-11-24T14:00:00+00:00", "how": "reminder",
            "last_shown_at": "2026-11-24T14:10:00+00:00", "snoozed_until": None})
        db.table("reminder_watch").insert({"id": 1,
                                           "watched_until": "2026-11-24T15:00:00+00:00"})
    if not db.table("learn_notes").count:
        db.table("learn_notes").insert({"article_id": "riluzole", "text": "Ask about the liquid.",
                                        "updated_at": "2026-11-25T12:00:00+00:00"})
    if not db.table("learn_bookmarks").count:
        db.table("learn_bookmarks").insert({"article_id": "riluzole",
                                            "created_at": "2026-11-25T12:00:00+00:00"})
    if not db.table("calendar_exports").count:
        db.table("calendar_exports").insert({
            "target": "/home/jane/medicine-times.ics",
            "uid": "dose-1-2026-11-26.1-1b4e28ba-2fa1-41d2-883f-0016d3cca427@x.invalid",
            "sequence": 1, "starts_at": "2026-11-26T14:00:00+00:00",
            "ends_at": "2026-11-26T14:15:00+00:00", "summary": "riluzole: 1 tablet",
            "category": "Medicines", "fingerprint": "ab12", "cancelled": 0,
            "exported_at": "2026-11-25T12:00:00+00:00"})
    insert_sharing_rows(db)
    yield db
    db.close()


def test_every_table_is_covered_by_the_fixture(full_db):
    empty = [t for t in transfer.data_tables(full_db) if not full_db.table(t).count]
    assert empty == [], f"add records for {empty} to the full_db fixture"


def test_export_then_import_into_empty_folder_gives_identical_data(full_db, tmp_path):
    exported = tmp_path / "records.json"
    counts = transfer.export_to_file(full_db, exported, app_version="test")
    assert_owner_only(exported)
    assert all(counts.values())
    built = tmp_path / "new" / "caregiver.sqlite3"
    built.parent.mkdir()
    transfer.build_database(transfer.read_document(exported), built)
    rebuilt = connect(built)
    assert _dump(rebuilt) == _dump(full_db)
    assert transfer.applied_migrations(rebuilt) == transfer.applied_migrations(full_db)
    rebuilt.close()


def _doc(full_db) -> dict:
    return json.loads(json.dumps(transfer.export_document(full_db, app_version="t")))


def _problems(doc, tmp_path) -> str:
    dest = tmp_path / "built.sqlite3"
    with pytest.raises(TransferError) as info:
        transfer.build_database(doc, dest)
    assert not dest.exists(), "a failed import must leave no file behind"
    return str(info.value)


def test_wrong_type_names_table_record_and_field(full_db, tmp_path):
    doc = _doc(full_db)
    doc["tables"]["caregivers"][1]["active"] = "yes"
    message = _problems(doc, tmp_path)
    assert '"caregivers" record 2: field "active" must be a whole number' in message
    assert "nothing was changed" in message


def test_unknown_field_and_missing_required_field(full_db, tmp_path):
    doc = _doc(full_db)
    doc["tables"]["caregivers"][0]["favourite_colour"] = "blue"
    del doc["tables"]["caregivers"][0]["name"]
    message = _problems(doc, tmp_path)
    assert 'unknown field "favourite_colour"' in message
    assert '"caregivers" record 1: field "name" is missing' in message


def test_dangling_reference_is_refused(full_db, tmp_path):
    doc = _doc(full_db)
    doc["tables"]["contact_phones"][0]["contact_id"] = 9999
    assert '"contact_phones" record 1 points at a missing "contacts" record' in _problems(
        doc, tmp_path)


def test_newer_export_is_refused(full_db, tmp_path):
    doc = _doc(full_db)
    doc["schema"].append("caregiver_app.core:m999_future")
    assert "newer version" in _problems(doc, tmp_path)
    doc = _doc(full_db)
    doc["format_version"] = transfer.FORMAT_VERSION + 1
    assert "Update the app" in _problems(doc, tmp_path)


def test_unknown_table_and_not_an_export(full_db, tmp_path):
    doc = _doc(full_db)
    doc["tables"]["spaceships"] = []
    assert 'Table "spaceships"' in _problems(doc, tmp_path)
    assert "not an ALS Care Companion export" in _problems({"format": "other"}, tmp_path)
    assert "expected a JSON object" in _problems([1, 2], tmp_path)


def test_unreadable_files(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"format": "als-care-companion",\n "tables": [1, 2,]}')
    with pytest.raises(TransferError, match="line 2"):
        transfer.read_document(bad_json)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(TransferError, match="not UTF-8"):
        transfer.read_document(binary)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=json_values)
def test_random_documents_never_crash(junk, tmp_path):
    dest = tmp_path / "fuzz.sqlite3"
    try:
        transfer.build_database(junk, dest)
    except TransferError:
        assert not dest.exists()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_damage_to_a_real_export_is_caught_or_harmless(full_db, tmp_path, data):
    doc = _doc(full_db)
    table = data.draw(st.sampled_from(sorted(doc["tables"])))
    rows = doc["tables"][table]
    if rows:
        row = data.draw(st.sampled_from(rows))
        field = data.draw(st.sampled_from(sorted(row)))
        row[field] = data.draw(json_values)
    dest = tmp_path / "damaged.sqlite3"
    try:
        transfer.build_database(doc, dest)
    except TransferError as exc:
        assert exc.problems and not dest.exists()
    else:
        dest.unlink()


def test_older_export_is_brought_up_to_date(full_db, tmp_path):
    """A file exported before a later schema change still imports (migrations run on it)."""
    from caregiver_app.storage import migrations

    doc = _doc(full_db)
    last_set = migrations.MIGRATION_SETS[-1]
    if len(migrations.MIGRATION_SETS) < 2:
        pytest.skip("needs at least two migration sets")
    drop = {f"{last_set.name}:{name}" for name in migrations.names_in(last_set)}
    doc["schema"] = [s for s in doc["schema"] if s not in drop]
    new_tables = set(transfer.data_tables(full_db))
    db = connect(tmp_path / "older.sqlite3")
    for mset in migrations.MIGRATION_SETS[:-1]:
        mset.apply(db)
    older_tables = set(transfer.data_tables(db))
    db.close()
    for table in new_tables - older_tables:
        doc["tables"].pop(table, None)
    built = tmp_path / "built.sqlite3"
    transfer.build_database(doc, built)
    rebuilt = connect(built)
    assert set(transfer.data_tables(rebuilt)) == new_tables
    rebuilt.close()


def test_doc_describes_every_table_and_column(full_db):
    text = (Path(__file__).resolve().parents[2] / "docs" / "data-format.md").read_text()
    missing = []
    for table in transfer.data_tables(full_db):
        if f"`{table}`" not in text:
            missing.append(table)
            continue
        for column in transfer.columns(full_db, table):
            if f"`{column}`" not in text:
                missing.append(f"{table}.{column}")
    assert missing == [], f"docs/data-format.md does not describe: {missing}"


@pytest.mark.parametrize(("table", "field", "value", "expected"), [
    ("contacts", "role", "wizard", '"contacts" record 1: field "role" is not valid'),
    ("contact_phones", "kind", "pager", '"contact_phones" record 1: field "kind" is not valid'),
    ("patient", "allergy_status", "maybe", '"patient" record 1: field "allergy_status"'),
    ("patient", "time_zone", "Mars/Olympus", '"patient" record 1: field "time_zone"'),
    ("appointments", "starts_at", "next tuesday", '"appointments" record 1: field "starts_at"'),
])
def test_values_the_app_could_not_read_are_refused(full_db, tmp_path, table, field, value,
                                                    expected):
    doc = _doc(full_db)
    doc["tables"][table][0][field] = value
    assert expected in _problems(doc, tmp_path)


# ---- Files that once crashed the importer are refused, naming record and field


@pytest.mark.parametrize(("table", "field", "value", "expected"), [
    ("caregivers", "active", 2**70, '"caregivers" record 1: field "active" is a number too '
                                    "large to store"),
    ("medicine_versions", "dose_amount", -(2**70),
     '"medicine_versions" record 1: field "dose_amount" is a number too large'),
    ("caregivers", "name", "Tom \ud800", '"caregivers" record 1: field "name" holds text that '
                                         "is not valid Unicode"),
    ("dose_entries", "note", "given\x00", '"dose_entries" record 1: field "note" holds a NUL '
                                          "character"),
    ("contacts", "notes", [[[1]]], '"contacts" record 1: field "notes" must be a single value'),
])
def test_values_that_cannot_be_stored_are_refused(full_db, tmp_path, table, field, value,
                                                  expected):
    doc = _doc(full_db)
    doc["tables"][table][0][field] = value
    message = _problems(doc, tmp_path)
    assert expected in message
    message.encode("utf-8")  # the message itself can always be printed


def test_a_field_name_that_is_not_text_can_still_be_printed(full_db, tmp_path):
    doc = _doc(full_db)
    doc["tables"]["caregivers"][0]["na\ud800me"] = "x"
    message = _problems(doc, tmp_path)
    assert 'unknown field "na\\ud800me"' in message
    message.encode("utf-8")


def test_deeply_nested_file_is_refused(tmp_path):
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(TransferError, match="nests lists or objects far more deeply"):
        transfer.read_document(nested)
    huge_number = tmp_path / "digits.json"
    huge_number.write_text('{"format_version": ' + "9" * 5000 + "}")
    with pytest.raises(TransferError, match="not an export this app can read"):
        transfer.read_document(huge_number)


def test_a_file_far_bigger_than_any_export_is_refused_before_it_is_read(tmp_path,
                                                                         monkeypatch):
    big = tmp_path / "big.json"
    with open(big, "wb") as out:  # a sparse file: 300 MB on paper, nothing on the disk
        out.truncate(300 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_text", lambda *a, **k: pytest.fail("read it"))
    with pytest.raises(TransferError, match=r"is 300 MB; an export file can be at most 200 MB"):
        transfer.read_document(big)
    assert transfer.MAX_FILE_BYTES == 200 * 1024 * 1024


# ---- Ids, references and constraints: table, record number in the file, field


def test_a_repeated_id_names_both_records(full_db, tmp_path):
    doc = _doc(full_db)
    entries = doc["tables"]["dose_entries"]
    entries[4]["id"] = entries[1]["id"]
    message = _problems(doc, tmp_path)
    assert ('"dose_entries" record 5: field "id" repeats the id of record 2' in message), message


def test_a_missing_reference_names_the_field(full_db, tmp_path):
    doc = _doc(full_db)
    doc["tables"]["dose_entries"][3]["caregiver_id"] = 777
    message = _problems(doc, tmp_path)
    assert ('"dose_entries" record 4 points at a missing "caregivers" record: field '
            '"caregiver_id" is 777') in message


def test_a_broken_rule_is_explained_with_its_record(full_db, tmp_path):
    doc = _doc(full_db)
    given = next(i for i, r in enumerate(doc["tables"]["dose_entries"]) if r["kind"] == "given")
    doc["tables"]["dose_entries"][given]["amount"] = None  # (the CHECK rule lets NULL by)
    message = _problems(doc, tmp_path)
    assert (f'"dose_entries" record {given + 1}: field "amount" is not valid (a given dose '
            'needs the amount given)') in message
    assert "CHECK constraint" not in message
    doc["tables"]["dose_entries"][given]["amount"] = 0
    assert (f'"dose_entries" record {given + 1}: field "amount" is not valid (must be more '
            "than 0") in _problems(doc, tmp_path)


def test_record_numbers_count_in_the_order_of_the_file(full_db, tmp_path):
    doc = _doc(full_db)
    contacts = doc["tables"]["contacts"]
    contacts.reverse()
    contacts[0]["role"] = "wizard"  # the record with the highest id, first in the file
    message = _problems(doc, tmp_path)
    assert '"contacts" record 1: field "role" is not valid' in message, message
    doc = _doc(full_db)
    caregivers = doc["tables"]["caregivers"]
    caregivers.reverse()
    caregivers[0]["name"] = "   "
    assert '"caregivers" record 1: field "name" is not valid' in _problems(doc, tmp_path)


def test_two_first_records_of_one_dose_are_refused_with_both_numbers(full_db, tmp_path):
    doc = _doc(full_db)
    entries = doc["tables"]["dose_entries"]
    first = next(r for r in entries if r["occurrence_key"] and r["corrects_id"] is None)
    twin = dict(first, id=max(r["id"] for r in entries) + 1)
    entries.append(twin)
    message = _problems(doc, tmp_path)
    number = entries.index(first) + 1
    assert (f'"dose_entries" record {len(entries)}: fields "medicine_id", "occurrence_key" hold '
            f"the same value as record {number}") in message, message


# ---- Correction chains


def _roots(doc, medicine_id=None):
    return [r for r in doc["tables"]["dose_entries"]
            if r["corrects_id"] is None and r["kind"] == "given" and r["occurrence_key"]
            and (medicine_id is None or r["medicine_id"] == medicine_id)]


def test_two_records_correcting_each_other_are_refused(full_db, tmp_path):
    doc = _doc(full_db)
    a, b = _roots(doc, 1)[:2]
    b["occurrence_key"], b["due_at"] = a["occurrence_key"], a["due_at"]
    b["corrects_id"] = a["id"]
    a["corrects_id"] = b["id"]
    entries = doc["tables"]["dose_entries"]
    message = _problems(doc, tmp_path)
    assert (f'"dose_entries" record {entries.index(a) + 1}: field "corrects_id" must name an '
            "earlier record") in message, message


def test_a_record_correcting_itself_is_refused(full_db, tmp_path):
    doc = _doc(full_db)
    a = _roots(doc)[0]
    a["corrects_id"] = a["id"]
    number = doc["tables"]["dose_entries"].index(a) + 1
    assert (f'"dose_entries" record {number}: field "corrects_id" names the record itself'
            in _problems(doc, tmp_path))


def test_a_correction_of_another_medicines_dose_is_refused(full_db, tmp_path):
    doc = _doc(full_db)
    entries = doc["tables"]["dose_entries"]
    target = _roots(doc, 1)[0]
    other = next(r for r in _roots(doc) if r["medicine_id"] != 1 and r["id"] > target["id"])
    other["corrects_id"] = target["id"]
    message = _problems(doc, tmp_path)
    assert (f'"dose_entries" record {entries.index(other) + 1}: field "corrects_id" points at '
            f"record {entries.index(target) + 1}, which is not about the same dose") in message


def test_a_record_corrected_twice_is_refused(full_db, tmp_path):
    doc = _doc(full_db)
    entries = doc["tables"]["dose_entries"]
    correction = next(r for r in entries if r["corrects_id"] is not None)
    second = dict(correction, id=max(r["id"] for r in entries) + 1)
    entries.append(second)
    message = _problems(doc, tmp_path)
    assert (f'"dose_entries" record {len(entries)}: field "corrects_id": record '
            f'{next(i for i, r in enumerate(entries) if r["id"] == correction["corrects_id"]) + 1}'
            f" is already corrected by record {entries.index(correction) + 1}") in message


def test_a_correction_filed_at_another_time_than_its_record_is_refused(full_db, tmp_path):
    """Review1 #11 / review4 #5: the app files a correction where the record it corrects
    is filed (medications_repo.filed_at); a file whose correction is filed a week later
    would bring back the original without it (e.g. a dose entered in error as given)."""
    doc = _doc(full_db)
    entries = doc["tables"]["dose_entries"]
    correction = next(r for r in entries if r["corrects_id"] is not None)
    original = next(r for r in entries if r["id"] == correction["corrects_id"])
    assert correction["slot_at"] == original["slot_at"]  # as the app writes it
    later = datetime.fromisoformat(original["slot_at"]) + timedelta(days=7)
    correction["slot_at"] = later.isoformat()
    message = _problems(doc, tmp_path)  # refused, and no file left behind
    assert (f'"dose_entries" record {entries.index(correction) + 1}: field "slot_at" is '
            f"{later.isoformat()}, but the record it corrects (record "
            f'{entries.index(original) + 1}) is filed at {original["slot_at"]}. A correction '
            "is filed at the same time as the record it corrects") in message, message
    assert message.count('field "slot_at"') == 1  # only that record


def test_a_first_record_filed_at_another_time_than_its_own_is_refused(full_db, tmp_path):
    """Review 2 S1: the app files a first record at its own time (its due time, else the
    time given); the day's records are found by that. A file whose scheduled record is
    filed a day after its due time could show the dose on no day at all."""
    doc = _doc(full_db)
    entries = doc["tables"]["dose_entries"]
    first = next(r for r in entries if r["corrects_id"] is None and r["due_at"])
    assert first["slot_at"] == first["due_at"]  # as the app writes it
    later = datetime.fromisoformat(first["slot_at"]) + timedelta(days=1)
    first["slot_at"] = later.isoformat()
    message = _problems(doc, tmp_path)  # refused, and no file left behind
    assert (f'"dose_entries" record {entries.index(first) + 1}: field "slot_at" is '
            f"{later.isoformat()}, but a record is filed at its own time: field "
            '"due_at", else "given_at", else "recorded_at" '
            f'(here {first["due_at"]}, its "due_at"). Otherwise the app could show the '
            "dose on no day.") in message, message
    assert message.count('field "slot_at"') == 1  # only that record


def test_a_correction_filed_with_its_record_is_imported(full_db, tmp_path):
    doc = _doc(full_db)
    corrections = [r for r in doc["tables"]["dose_entries"] if r["corrects_id"] is not None]
    assert corrections  # the example household has some: each is checked and accepted
    transfer.build_database(doc, tmp_path / "built.sqlite3")


# ---- Values the app's own forms refuse


@pytest.mark.parametrize(("table", "field", "value", "expected"), [
    ("caregivers", "name", "", '"caregivers" record 1: field "name" is not valid'),
    ("caregivers", "initials", "T3!", '"caregivers" record 1: field "initials" is not valid'),
    ("caregivers", "active", 7, '"caregivers" record 1: field "active" is not valid'),
    ("allergies", "substance", " ", '"allergies" record 1: field "substance" is not valid'),
    ("patient", "full_name", "", '"patient" record 1: field "full_name" is not valid'),
    ("patient", "breathing", "x" * 1001,
     '"patient" record 1: field "breathing" is not valid (is 1,001 characters long; at most '
     "1,000 fit)"),
    ("contacts", "email", "not an address", '"contacts" record 1: field "email" is not valid'),
    ("contact_phones", "number", "banana", '"contact_phones" record 1: field "number" is not '
                                           "valid"),
    ("dose_entries", "occurrence_key", "banana",
     '"dose_entries" record 1: field "occurrence_key" is not valid'),
    ("cycle_shifts", "created_at", "yesterday-ish",
     '"cycle_shifts" record 1: field "created_at" is not valid'),
    ("medicine_versions", "do_not_crush", 3,
     '"medicine_versions" record 1: field "do_not_crush" is not valid'),
])
def test_values_the_forms_refuse_are_refused(full_db, tmp_path, table, field, value, expected):
    doc = _doc(full_db)
    doc["tables"][table][0][field] = value
    assert expected in _problems(doc, tmp_path)


@pytest.mark.parametrize(("table", "field"), [
    ("learn_notes", "updated_at"), ("learn_bookmarks", "created_at"),
    ("reminder_log", "announced_at"), ("reminder_watch", "watched_until"),
    ("calendar_exports", "starts_at"), ("sharing_notes", "noted_at"),
])
def test_garbage_times_are_refused(full_db, tmp_path, table, field):
    doc = _doc(full_db)
    doc["tables"][table][0][field] = "teatime"
    assert f'"{table}" record 1: field "{field}" is not valid' in _problems(doc, tmp_path)


@pytest.mark.parametrize("version", [0, -5])
def test_format_versions_below_one_are_refused(full_db, tmp_path, version):
    doc = _doc(full_db)
    doc["format_version"] = version
    assert '"format_version" must be 1 or more' in _problems(doc, tmp_path)


def test_every_table_must_be_in_the_file(full_db, tmp_path):
    doc = _doc(full_db)
    del doc["tables"]["dose_entries"]
    assert 'Table "dose_entries" is missing from the file' in _problems(doc, tmp_path)
    doc["tables"] = {}
    message = _problems(doc, tmp_path)
    assert 'Table "patient" is missing' in message and 'Table "caregivers" is missing' in message


# ---- Issue #12 items 10-12: import refuses what the forms refuse, by the same rules


@pytest.mark.parametrize(("table", "field", "value"), [
    ("cycle_shifts", "days", -1_000_000),
    ("medicines", "reorder_days", 1_000_000),
    ("medicines", "food_before_minutes", 2**31),
    ("medicines", "food_after_minutes", 2**31),
    ("appointments", "duration_minutes", 2**62),
    ("medicines", "opened_on", "9999-12-31"),
    ("cycle_shifts", "from_date", "9999-12-31"),
    ("medicines", "start_date", "0202-01-01"),
    ("dose_entries", "given_at", "0001-01-01T00:00:00+14:00"),
    ("dose_entries", "recorded_at", "9999-12-31T23:59:59-14:00"),
    ("appointments", "starts_at", "9999-12-31T23:00:00+00:00"),
    ("contacts", "portal_url", "https://portal.example.org/" + "a" * 100_000),
])
def test_values_that_broke_the_app_after_import_are_refused_naming_the_field(
        full_db, tmp_path, table, field, value):
    doc = _doc(full_db)
    number, record = next((i, r) for i, r in enumerate(doc["tables"][table], start=1)
                          if r.get(field) is not None)
    record[field] = value
    message = _problems(doc, tmp_path)
    assert f'"{table}" record {number}: field "{field}" is not valid' in message
    assert "could not be checked" not in message  # refused by a rule, not by a crash


@pytest.mark.parametrize(("table", "field"), [
    ("dose_entries", "given_at"), ("dose_entries", "due_at"), ("dose_entries", "slot_at"),
    ("dose_entries", "recorded_at"), ("medicine_status", "at"),
    ("medicine_status", "recorded_at"), ("supply_events", "at"),
    ("supply_events", "recorded_at"), ("medicines", "created_at"),
    ("medicines", "updated_at"), ("appointments", "starts_at"),
])
def test_a_time_without_its_zone_is_refused_in_every_field(full_db, tmp_path, table, field):
    doc = _doc(full_db)
    number, record = next((i, r) for i, r in enumerate(doc["tables"][table], start=1)
                          if r.get(field))
    record[field] = record[field][:19]  # "2026-11-24T14:00:00": no zone
    assert f'"{table}" record {number}: field "{field}" is not valid (a time needs its ' \
           "time zone" in _problems(doc, tmp_path)


def test_every_field_of_every_table_has_one_rule_in_the_domain(full_db):
    from caregiver_app.domain.fields import FIELDS

    schema = {t: set(transfer.columns(full_db, t)) for t in transfer.data_tables(full_db)}
    assert set(FIELDS) == set(schema)
    assert {t: set(f) for t, f in FIELDS.items()} == schema


def test_a_schedule_is_a_json_string_in_the_file_as_the_format_says(full_db):
    """docs/data-format.md: ``regimen`` is text holding a JSON object."""
    versions = _doc(full_db)["tables"]["medicine_versions"]
    assert versions and all(isinstance(v["regimen"], str) for v in versions)
    assert all(isinstance(json.loads(v["regimen"]), dict) and "kind" in json.loads(v["regimen"])
               for v in versions)
    doc = (Path(__file__).parents[2] / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert "in the file it is a JSON *string*" in doc


def test_an_import_works_out_again_how_each_number_is_shown(full_db, tmp_path):
    """The file's own forms are not trusted (edited by hand, or another version's): the
    import works them out from the number."""
    doc = _doc(full_db)
    phones = doc["tables"]["contact_phones"]
    assert phones and all(p["shown_rules"] for p in phones if p["number"].startswith("+"))
    expected = [(p["shown_national"], p["shown_international"]) for p in phones]
    for p in phones:
        p.update(shown_national="(000) wrong", shown_international="+0 wrong",
                 shown_rules="1.0")
    built = tmp_path / "built.sqlite3"
    transfer.build_database(doc, built)
    rebuilt = connect(built)
    assert [tuple(r) for r in rebuilt.execute(
        "SELECT shown_national, shown_international FROM contact_phones ORDER BY rowid")] \
        == expected
    rebuilt.close()


@pytest.mark.parametrize("value", [None, "x" * 201, 12, "", "(000) stale"],
                         ids=["null", "over-long", "a number", "empty", "stale"])
@pytest.mark.parametrize("field", ["shown_national", "shown_international", "shown_region",
                                   "shown_rules"])
def test_how_a_number_is_shown_never_stops_an_import(full_db, tmp_path, field, value):
    """The shown_* fields are worked out from the number on import, whatever the file
    holds: a file edited by hand or written by another tool imports whole (review 3,
    item 3), with this version's forms."""
    doc = _doc(full_db)
    phones = doc["tables"]["contact_phones"]
    expected = [(p["number"], p["shown_national"], p["shown_international"],
                 p["shown_region"], p["shown_rules"]) for p in phones]
    assert any(p["shown_rules"] for p in phones)
    for p in phones:
        p[field] = value
    built = tmp_path / "built.sqlite3"
    transfer.build_database(doc, built)
    rebuilt = connect(built)
    assert [tuple(r) for r in rebuilt.execute(
        "SELECT number, shown_national, shown_international, shown_region, shown_rules "
        "FROM contact_phones ORDER BY rowid")] == expected
    rebuilt.close()


def test_a_file_without_how_numbers_are_shown_imports_them_worked_out(full_db, tmp_path):
    doc = _doc(full_db)
    phones = doc["tables"]["contact_phones"]
    expected = [(p["shown_national"], p["shown_international"]) for p in phones]
    for p in phones:
        for field in ("shown_national", "shown_international", "shown_region", "shown_rules"):
            del p[field]
    built = tmp_path / "built.sqlite3"
    transfer.build_database(doc, built)
    rebuilt = connect(built)
    assert [tuple(r) for r in rebuilt.execute(
        "SELECT shown_national, shown_international FROM contact_phones ORDER BY rowid")] \
        == expected
    rebuilt.close()
