"""Opening and reading up-to-date records without loading sqlite-utils (#19), and the
schema list that makes it possible kept in step with the migrations."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from caregiver_app.storage import migrations, schema
from caregiver_app.storage.db import (
    DatabaseDamaged,
    NewerSchemaError,
    open_database,
    open_read_only,
)
from caregiver_app.storage.records import Records
from caregiver_app.storage.rows import dict_rows

ROOT = Path(__file__).resolve().parents[2]


def test_the_schema_list_is_every_migration_in_order():
    """``storage.schema`` names what ``storage.migrations`` applies: add a migration's
    name there too (the message says which)."""
    assert Migrations.migrations_table == schema.MIGRATIONS_TABLE
    made = tuple((m.name, migrations.names_in(m)) for m in migrations.MIGRATION_SETS)
    assert made == schema.MIGRATIONS, "storage/schema.py MIGRATIONS should be: " + repr(made)
    assert schema.known() == migrations.known_names()
    assert len(schema.known()) == 20


def test_a_file_made_by_this_version_is_up_to_date_and_an_older_one_is_not(data_dir):
    path = data_dir / "caregiver.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    assert schema.up_to_date(conn)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_history_by_medicine'")
    conn.execute("DROP INDEX dose_entries_history")
    conn.commit()
    assert not schema.up_to_date(conn)
    conn.close()
    db = open_database(path)  # the old file is brought up to date, as before
    assert schema.up_to_date(db.conn)
    assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'dose_entries_history'"
                      ).fetchone() is not None
    db.close()
    assert list((data_dir / "backups" / "before-migration").iterdir())  # after a backup


def test_a_newer_versions_file_is_still_refused_on_opening(data_dir):
    path = data_dir / "caregiver.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('caregiver_app.core', 'm999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError, match="newer version"):
        open_database(path)
    with pytest.raises(NewerSchemaError, match="newer version"):
        open_read_only(path)


def test_records_set_up_the_connection_as_sqlite_utils_does(data_dir):
    """Recursive triggers on before anything runs (a REPLACE that deletes a dose record
    fires the delete triggers), and sqlite-utils made only when asked for."""
    open_database(data_dir / "caregiver.sqlite3").close()  # made and migrated
    db = open_database(data_dir / "caregiver.sqlite3")
    assert isinstance(db, Records)
    assert db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    assert db._database is None  # opened and read without sqlite-utils
    assert db.table("caregivers").count == 0  # anything else: sqlite-utils' Database
    assert db._database is not None and db._database.conn is db.conn
    assert db["caregivers"].name == "caregivers"
    db.close()
    with pytest.raises(ValueError, match="isolation_level=None"):
        Records(sqlite3.connect(":memory:"))


_SCRIPT = """
import json, sys
from pathlib import Path
from caregiver_app.storage.db import open_database, open_read_only
from caregiver_app.storage.patient_repo import PatientRepository
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.medications_repo import MedicationRepository
path = Path(sys.argv[1])
for db in (open_database(path), open_read_only(path, reason="a test")):
    found = (PatientRepository(db).get().full_name, len(PatientRepository(db).caregivers()),
             len(CareTeamRepository(db).contacts()), len(MedicationRepository(db).medicines()))
    db.close()
print("FOUND " + json.dumps(found))
print("MODULES " + json.dumps(sorted(sys.modules)))
"""


@pytest.mark.slow
def test_opening_and_reading_up_to_date_records_loads_no_sqlite_utils(tmp_path):
    """In a process of its own (other tests load sqlite-utils into this one)."""
    from caregiver_app.services.demo import populate_example

    path = tmp_path / "caregiver.sqlite3"
    db = open_database(path)
    populate_example(db, today=__import__("datetime").date(2026, 12, 7), time_zone="UTC")
    db.close()
    env = dict(os.environ)
    result = subprocess.run([sys.executable, "-c", _SCRIPT, str(path)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = dict(x.split(" ", 1) for x in result.stdout.splitlines() if " " in x)
    patient, caregivers, contacts, medicines = json.loads(lines["FOUND"])
    assert patient and caregivers >= 2 and contacts >= 4 and medicines >= 4
    modules = set(json.loads(lines["MODULES"]))
    assert "caregiver_app.storage.records" in modules
    assert {m for m in modules if m.split(".")[0] in ("sqlite_utils", "click", "pluggy")} \
        == set()


@pytest.mark.parametrize("opener", [open_database, open_read_only])
def test_an_unreadable_list_of_updates_is_reported_as_damage_not_a_crash(data_dir, opener):
    """A DB browser renamed a column of the migrations table: the start-up check says the
    file was changed by another program (the window then offers the newest good backup)
    instead of stopping with a bare SQLite error."""
    path = data_dir / "caregiver.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE _sqlite_migrations RENAME COLUMN migration_set TO renamed")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseDamaged) as info:
        opener(path)
    assert info.value.kind == "changed"
    assert "list of the updates made to it cannot be read" in info.value.reason


def test_records_can_be_copied_and_say_what_they_lack(data_dir):
    """``copy`` (and anything probing for a private name) gets an AttributeError, not an
    endless recursion through the Database the Records stands in for."""
    db = open_database(data_dir / "caregiver.sqlite3")
    try:
        assert copy.copy(db).conn is db.conn
        with pytest.raises(AttributeError):
            db._no_such_name  # noqa: B018
    finally:
        db.close()


def test_rows_with_a_repeated_column_name_are_refused(data_dir):
    db = open_database(data_dir / "caregiver.sqlite3")
    try:
        with pytest.raises(ValueError, match="repeats"):
            list(dict_rows(db.execute("SELECT 1 AS a, 2 AS a")))
    finally:
        db.close()
