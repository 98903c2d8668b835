"""The records of "How things are going" are append-only, from the app and from any other
program, and come back as they were saved."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caregiver_app.domain import function_scale
from caregiver_app.domain.errors import NotFound, ValidationError
from caregiver_app.domain.going import SYMPTOMS, VALUE_RULES, AnsweredBy, Entry, Measure
from caregiver_app.services.demo import populate_example
from caregiver_app.storage import migrations
from caregiver_app.storage.db import memory_database, migrate, open_database
from caregiver_app.storage.going_repo import GoingRepository
from caregiver_app.storage.migrations import going as going_migration

AT = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


@pytest.fixture
def repo():
    db = memory_database()
    migrate(db)
    db.execute("INSERT INTO caregivers (name, initials, active) VALUES ('Tom', 'TE', 1)")
    yield GoingRepository(db)
    db.close()


def test_the_migration_wrote_out_what_the_domain_defines():
    assert tuple(m.value for m in Measure) == going_migration.TABLES
    assert going_migration.AREAS == function_scale.AREA_KEYS
    assert tuple((s.key, s.high) for s in SYMPTOMS) == going_migration.SYMPTOMS
    db = memory_database()
    migrate(db)
    for measure in Measure:
        columns = {r[1] for r in db.execute(f"PRAGMA table_info({measure.value})")}
        assert set(VALUE_RULES[measure]) < columns, measure


def test_an_entry_comes_back_as_saved_with_who_and_when(repo):
    entry = Entry(Measure.FUNCTION, date(2026, 11, 20),
                  {"speech": 3, "utensils": 2, "tube_version": True,
                   "answered_by": AnsweredBy.PATIENT}, note="After lunch")
    saved = repo.add(entry, at=AT, by=1)
    assert saved.id is not None
    assert saved.recorded_at == AT and saved.recorded_by_id == 1
    assert saved.values == {"speech": 3, "utensils": 2, "tube_version": 1,
                            "answered_by": "patient"}
    assert saved.note == "After lunch" and saved.on_day == date(2026, 11, 20)
    assert repo.current(Measure.FUNCTION) == [saved]


def test_corrections_are_new_rows_and_a_row_is_corrected_once(repo):
    first = repo.add(Entry(Measure.WEIGHT, date(2026, 11, 20), {"weight": 16, "unit": "kg"}),
                     at=AT, by=1)
    fixed = repo.add(Entry(Measure.WEIGHT, date(2026, 11, 20), {"weight": 61, "unit": "kg"},
                           corrects_id=first.id), at=AT, by=1)
    with pytest.raises(ValidationError) as caught:
        repo.add(Entry(Measure.WEIGHT, date(2026, 11, 20), {"weight": 62, "unit": "kg"},
                       corrects_id=first.id), at=AT, by=1)
    assert "already corrected" in caught.value.errors["corrects"]
    assert [e.values["weight"] for e in repo.rows(Measure.WEIGHT)] == [16, 61]
    assert repo.current(Measure.WEIGHT) == [fixed]
    assert [r.id for r in repo.chain(Measure.WEIGHT, fixed.id).rows] == [first.id, fixed.id]
    repo.add(Entry(Measure.WEIGHT, date(2026, 11, 20), {}, corrects_id=fixed.id,
                   entered_in_error=True, note="Wrong scale"), at=AT, by=1)
    assert repo.current(Measure.WEIGHT) == []
    assert repo.count(Measure.WEIGHT) == 3
    with pytest.raises(NotFound):
        repo.add(Entry(Measure.WEIGHT, date(2026, 11, 20), {"weight": 1, "unit": "kg"},
                       corrects_id=99), at=AT, by=1)


def test_current_entries_within_days(repo):
    for day in (1, 10, 20):
        repo.add(Entry(Measure.SYMPTOMS, date(2026, 11, day), {"cramps": 1}), at=AT, by=None)
    found = repo.current(Measure.SYMPTOMS, date(2026, 11, 5), date(2026, 11, 20))
    assert [e.on_day.day for e in found] == [10, 20]


@pytest.mark.parametrize("measure", list(Measure))
def test_no_update_delete_or_replace_even_from_another_program(tmp_path, measure):
    path = tmp_path / "caregiver.sqlite3"
    db = open_database(path)
    populate_example(db, today=date(2026, 11, 25), time_zone="America/Chicago")
    db.close()
    plain = sqlite3.connect(path, isolation_level=None)  # no foreign keys, as a DB browser
    table = measure.value
    before = plain.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    assert before, f"the example has no {table}"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        plain.execute(f"UPDATE {table} SET note = 'rewritten'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        plain.execute(f"DELETE FROM {table}")
    columns = [r[1] for r in plain.execute(f"PRAGMA table_info({table})")]
    row = dict(zip(columns, before[0], strict=True), note="rewritten")
    with pytest.raises(sqlite3.IntegrityError, match=f"UNIQUE constraint failed: {table}.id"):
        plain.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(row)}) VALUES "
                      f"({', '.join('?' * len(row))})", list(row.values()))
    corrected = plain.execute(f"SELECT * FROM {table} WHERE corrects_id IS NOT NULL"
                              ).fetchone()
    if corrected is not None:
        again = dict(zip(columns, corrected, strict=True), id=None)
        with pytest.raises(sqlite3.IntegrityError, match=f"{table}.corrects_id"):
            plain.execute(f"REPLACE INTO {table} ({', '.join(again)}) VALUES "
                          f"({', '.join('?' * len(again))})", list(again.values()))
    assert plain.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() == before
    plain.close()


def test_every_trigger_is_known_to_the_start_up_check():
    db = memory_database()
    migrate(db)
    made = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                     "AND name GLOB '*' ")}
    expected = migrations.expected_triggers(migrations.applied_names(db))
    ours = {t for t in made if t.startswith(going_migration.TABLES)}
    assert ours and ours <= expected
    assert len(ours) == 4 * len(going_migration.TABLES)


def test_the_database_refuses_a_withdrawal_without_a_reason(repo):
    saved = repo.add(Entry(Measure.CLINIC, date(2026, 11, 20), {"fvc_percent": 70}),
                     at=AT, by=1)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        repo.add(Entry(Measure.CLINIC, date(2026, 11, 20), {}, corrects_id=saved.id,
                       entered_in_error=True), at=AT, by=1)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        repo.add(Entry(Measure.CLINIC, date(2026, 11, 20), {}), at=AT, by=1)


_OPS = st.lists(st.tuples(
    st.sampled_from(["new", "correct", "withdraw"]),
    st.sampled_from([Measure.WEIGHT, Measure.SYMPTOMS, Measure.EFFECT]),
    st.integers(0, 40),  # which chain to correct or withdraw (modulo how many)
    st.integers(0, 30),  # the day, from 1 Nov
    st.booleans(),  # a usual weight
    st.integers(1, 6),  # the dose an answer is about
), max_size=40)


def _values(measure: Measure, usual: bool, dose: int) -> dict:
    if measure is Measure.WEIGHT:
        return {"weight": 60, "unit": "kg", "usual": usual}
    if measure is Measure.SYMPTOMS:
        return {"cramps": 1}
    return {"dose_entry_id": dose, "effect": "better"}


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_the_latest_entry_and_the_answers_read_as_the_whole_record_says(repo, ops):
    """What Today's line reads (the last weight that is not the usual one, the last
    check, which doses have an answer) without reading every entry, the same as
    ``current`` over every row, whatever was corrected and withdrawn."""
    fresh = repo  # (one database for every example: the earlier ones' rows stay too)
    fresh._db.execute("PRAGMA foreign_keys = OFF")  # answers about doses never recorded
    heads: dict[Measure, list[Entry]] = {m: [] for m in Measure}
    for op, measure, pick, day, usual, dose in ops:
        on_day = date(2026, 11, 1) + timedelta(days=day)
        chains = heads[measure]
        if op == "new" or not chains:
            chains.append(fresh.add(Entry(measure, on_day, _values(measure, usual, dose)),
                                    at=AT, by=1))
            continue
        n = pick % len(chains)
        if chains[n].entered_in_error:
            continue  # (a withdrawn entry is not corrected again: the forms refuse it)
        if op == "correct":
            entry = Entry(measure, on_day, _values(measure, usual, dose),
                          corrects_id=chains[n].id)
        else:
            entry = Entry(measure, chains[n].on_day, {}, note="entered in error",
                          corrects_id=chains[n].id, entered_in_error=True)
        chains[n] = fresh.add(entry, at=AT, by=1)

    def last(measure: Measure, keep=lambda e: True) -> date | None:
        found = [e for e in fresh.current(measure) if keep(e)]
        return found[-1].on_day if found else None

    assert fresh.latest_day(Measure.WEIGHT) == last(Measure.WEIGHT)
    assert fresh.latest_day(Measure.WEIGHT, skip_usual=True) == last(
        Measure.WEIGHT, lambda e: not e.values.get("usual"))
    assert fresh.latest_day(Measure.SYMPTOMS) == last(Measure.SYMPTOMS)
    assert fresh.answered(range(1, 7)) == {
        int(e.values["dose_entry_id"]) for e in fresh.current(Measure.EFFECT)
        if e.values.get("dose_entry_id") is not None}
    assert fresh.answered([]) == set()
