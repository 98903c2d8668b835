"""Export every record to JSON and build it back; malformed files change nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    if not db.table("learn_notes").count:
        db.table("learn_notes").insert({"article_id": "riluzole", "text": "Ask about the liquid.",
                                        "updated_at": "2026-11-25T12:00:00+00:00"})
    if not db.table("learn_bookmarks").count:
        db.table("learn_bookmarks").insert({"article_id": "riluzole",
                                            "created_at": "2026-11-25T12:00:00+00:00"})
    yield db
    db.close()


def test_every_table_is_covered_by_the_fixture(full_db):
    empty = [t for t in transfer.data_tables(full_db) if not full_db.table(t).count]
    assert empty == [], f"add records for {empty} to the full_db fixture"


def test_export_then_import_into_empty_folder_gives_identical_data(full_db, tmp_path):
    exported = tmp_path / "records.json"
    counts = transfer.export_to_file(full_db, exported, app_version="test")
    assert exported.stat().st_mode & 0o777 == 0o600
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
    drop = {f"{last_set.name}:{m.name}" for m in last_set._migrations}
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
