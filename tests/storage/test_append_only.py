"""Append-only means append-only, even from a plain ``sqlite3`` connection (the
command-line tool, a DB browser), and damage done that way is found at start-up."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from caregiver_app.services.demo import populate_example
from caregiver_app.storage import backup, migrations
from caregiver_app.storage.db import DatabaseDamaged, memory_database, open_database

APPEND_ONLY = ("dose_entries", "medicine_versions", "medicine_status", "supply_events",
               "cycle_shifts")


@pytest.fixture
def records(data_dir):
    """The example household's records file, closed, and a plain connection to it."""
    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    populate_example(db, today=date(2026, 11, 25), time_zone="America/Chicago")
    if not db.table("cycle_shifts").count:
        db.execute("INSERT INTO cycle_shifts (medicine_id, from_date, days, created_at) "
                   "SELECT min(id), '2026-11-20', 2, '2026-11-19T10:00:00+00:00' "
                   "FROM medicines")
    if not db.table("supply_events").count:
        db.execute("INSERT INTO supply_events (medicine_id, kind, quantity, at, recorded_at) "
                   "SELECT min(id), 'refill', 30, '2026-11-20T10:00:00+00:00', "
                   "'2026-11-20T10:00:00+00:00' FROM medicines")
    db.close()
    plain = sqlite3.connect(path, isolation_level=None)  # as a DB browser: no foreign keys
    yield path, plain
    plain.close()


def _rows(conn, table):
    return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_replacing_an_existing_row_is_refused(records, table, verb):
    _, plain = records
    before = _rows(plain, table)
    assert before, f"the fixture has no {table}"
    columns = [r[1] for r in plain.execute(f"PRAGMA table_info({table})")]
    row = dict(zip(columns, before[0], strict=True))
    # the same row, its text changed where it has some (a "note", a "reason")
    for name in ("note", "reason"):
        if name in row:
            row[name] = "rewritten"
    names = ", ".join(row)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        plain.execute(f"{verb} {table} ({names}) VALUES ({', '.join('?' * len(row))})",
                      list(row.values()))
    assert _rows(plain, table) == before


def test_a_dose_entry_cannot_be_replaced_through_its_other_keys(records):
    """A new row with the same due dose, or correcting the same entry, would REPLACE
    (delete) the existing one: refused."""
    _, plain = records
    before = _rows(plain, "dose_entries")
    first = plain.execute("SELECT medicine_id, occurrence_key, slot_at FROM dose_entries "
                          "WHERE corrects_id IS NULL AND occurrence_key IS NOT NULL "
                          "LIMIT 1").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match=r"medicine_id, dose_entries\.occurrence"):
        plain.execute("INSERT OR REPLACE INTO dose_entries (medicine_id, occurrence_key, "
                      "slot_at, kind, skip_reason, recorded_at) VALUES (?, ?, ?, 'skipped', "
                      "'refused', '2026-11-25T12:00:00+00:00')", first)
    corrected = plain.execute("SELECT medicine_id, occurrence_key, slot_at, corrects_id "
                              "FROM dose_entries WHERE corrects_id IS NOT NULL LIMIT 1"
                              ).fetchone()
    assert corrected, "the example household has a correction"
    with pytest.raises(sqlite3.IntegrityError, match=r"dose_entries\.corrects_id"):
        plain.execute("REPLACE INTO dose_entries (medicine_id, occurrence_key, slot_at, kind, "
                      "recorded_at, corrects_id) VALUES (?, ?, ?, 'entered_in_error', "
                      "'2026-11-25T12:00:00+00:00', ?)", corrected)
    assert _rows(plain, "dose_entries") == before


def test_a_medicine_with_records_cannot_be_deleted(records):
    _, plain = records
    medicine = plain.execute("SELECT medicine_id FROM dose_entries LIMIT 1").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="a medicine with records is kept"):
        plain.execute("DELETE FROM medicines WHERE id = ?", [medicine])
    with pytest.raises(sqlite3.IntegrityError):
        plain.execute("DELETE FROM medicines")
    assert plain.execute("SELECT count(*) FROM medicines WHERE id = ?", [medicine]
                         ).fetchone()[0] == 1


def test_the_app_still_adds_and_corrects_entries(records):
    """The triggers refuse clashes only: a plain INSERT of a new row, and a correction,
    still work (and a plain INSERT that clashes reads as SQLite's own message)."""
    path, plain = records
    row = plain.execute("SELECT medicine_id, occurrence_key, slot_at, id FROM dose_entries "
                        "WHERE corrects_id IS NULL AND occurrence_key IS NOT NULL AND id NOT IN "
                        "(SELECT corrects_id FROM dose_entries WHERE corrects_id IS NOT NULL) "
                        "LIMIT 1").fetchone()
    plain.execute("INSERT INTO dose_entries (medicine_id, occurrence_key, slot_at, kind, "
                  "recorded_at, corrects_id) VALUES (?, ?, ?, 'entered_in_error', "
                  "'2026-11-25T12:00:00+00:00', ?)", row)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: dose_entries"):
        plain.execute("INSERT INTO dose_entries SELECT * FROM dose_entries LIMIT 1")
    open_database(path).close()  # still whole


def test_start_up_reports_a_dropped_safeguard_like_a_damaged_file(records):
    path, plain = records
    plain.execute("DROP TRIGGER dose_entries_no_update")
    with pytest.raises(DatabaseDamaged) as info:
        open_database(path)
    assert "changed by another program" in info.value.reason
    assert "dose_entries_no_update" in info.value.reason
    assert backup.check_database_file(path).startswith("it was changed by another program")


def test_start_up_reports_records_pointing_at_nothing(records):
    """With foreign keys off, a DB browser can delete what a record points at (here a
    contact a medicine names as its prescriber)."""
    path, plain = records
    contact = plain.execute("SELECT prescriber_id FROM medicines WHERE prescriber_id IS NOT "
                            "NULL LIMIT 1").fetchone()[0]
    plain.execute("DELETE FROM contact_phones WHERE contact_id = ?", [contact])
    plain.execute("DELETE FROM contacts WHERE id = ?", [contact])
    with pytest.raises(DatabaseDamaged) as info:
        open_database(path)
    assert "point at records that are gone" in info.value.reason
    assert "names a contact that is not there" in info.value.reason


def test_the_trigger_list_matches_what_each_migration_makes():
    """migrations.TRIGGERS names exactly the triggers each migration creates."""
    db = memory_database()
    made: dict[tuple[str, str], set[str]] = {}
    seen: set[str] = set()
    for mset in migrations.MIGRATION_SETS:
        names = migrations.names_in(mset)
        for i, name in enumerate(names):  # one migration at a time
            mset.apply(db, stop_before=names[i + 1] if i + 1 < len(names) else None)
            now = {r[0] for r in db.execute("SELECT name FROM sqlite_master "
                                            "WHERE type = 'trigger'")}
            if now - seen:
                made[(mset.name, name)] = now - seen
            seen = now
    assert made == {k: set(v) for k, v in migrations.TRIGGERS.items()}
    db.close()
