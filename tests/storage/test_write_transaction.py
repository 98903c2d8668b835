"""storage.rows.write_transaction (the records' ``atomic()``): a write and the reads it
depends on, begun with BEGIN IMMEDIATE, so that another connection of the app committing
between them (a worker, the sync, the phone forms' refresh) is waited for, never a
failure said as "another program is using the records file" (review4 #6)."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from medicine_builders import medicine

from caregiver_app.domain.doses import DoseEntry, EntryKind, correction_of
from caregiver_app.domain.supply import SupplyEvent, SupplyEventKind
from caregiver_app.storage.db import memory_database, open_database, second_connection
from caregiver_app.storage.faults import RecordsNotSaved
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.rows import write_transaction

NOW = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)


def _inserts_a_dose(sql: str) -> bool:
    """add_entry's INSERT, after its read of the record it corrects."""
    return sql.startswith("INSERT INTO") and "dose_entries" in sql.split("(")[0]


def _given(repo: MedicationRepository) -> DoseEntry:
    saved = repo.add_medicine(medicine(id=None), by=None, at=NOW)
    return repo.add_entry(DoseEntry(
        medicine_id=saved.id, kind=EntryKind.GIVEN, given_at=NOW - timedelta(hours=2),
        recorded_at=NOW - timedelta(hours=2), recorded_by_id=None))


def _supply(medicine_id: int) -> SupplyEvent:
    return SupplyEvent(id=None, medicine_id=medicine_id, kind=SupplyEventKind.REFILL,
                       quantity=30, at=NOW)


def _on_statement(db, which, action) -> list[str]:
    """Run ``action`` once, when ``db`` starts a statement ``which`` picks (before it
    runs: a write is then between the reads before it and itself)."""
    seen: list[str] = []

    def trace(sql: str) -> None:
        if which(sql) and not seen:
            seen.append(sql)
            action()

    db.conn.set_trace_callback(trace)
    return seen


def test_a_correction_is_saved_when_another_connection_writes_between_its_read_and_insert(
        data_dir):
    """The reviewer's probe: the other connection tries to commit after add_entry has
    read the record it corrects, just before its INSERT. With a deferred BEGIN it committed, and the
    correction then failed ("another program is using the records file"); now the
    correction holds the write lock from its start, the other write waits its turn (here
    it does not wait: its busy timeout is 0), and both are saved, once each."""
    db = open_database(data_dir / "caregiver.sqlite3")
    try:
        repo = MedicationRepository(db)
        first = _given(repo)
        with second_connection(db) as other:
            other.execute("PRAGMA busy_timeout = 0")
            worker = MedicationRepository(other)
            held_off: list[BaseException] = []

            def other_commits() -> None:
                try:
                    worker.add_supply_event(_supply(first.medicine_id))
                except RecordsNotSaved as exc:  # the lock is the correction's
                    held_off.append(exc)

            seen = _on_statement(db, _inserts_a_dose, other_commits)
            try:
                fix = repo.add_entry(correction_of(
                    repo.chain(first.id), kind=EntryKind.GIVEN, recorded_at=NOW,
                    given_at=NOW - timedelta(minutes=90)))
            finally:
                db.conn.set_trace_callback(None)
            assert seen and len(held_off) == 1
            assert "another program" in str(held_off[0])
            worker.add_supply_event(_supply(first.medicine_id))  # its turn, once over
        chain = repo.chain(first.id)
        assert [e.id for e in chain.entries] == [first.id, fix.id]  # nothing lost/doubled
        assert chain.head.given_at == NOW - timedelta(minutes=90)
        assert {r[0] for r in db.execute("SELECT slot_at FROM dose_entries")} == {
            db.execute("SELECT slot_at FROM dose_entries WHERE id = ?", [first.id]
                       ).fetchone()[0]}  # the correction is filed where its chain started
        assert len(repo.supply_events(first.medicine_id)) == 1
        assert not db.conn.in_transaction
    finally:
        db.close()


def test_a_writer_on_another_thread_waits_for_the_correction_then_saves(data_dir):
    """As in the app: the phone forms' refresh or a sync writes on a worker thread with
    the ordinary busy timeout while a correction is between its read and its insert;
    the worker waits, and both are saved."""
    db = open_database(data_dir / "caregiver.sqlite3")
    try:
        repo = MedicationRepository(db)
        first = _given(repo)
        with second_connection(db) as other:
            started = threading.Event()
            outcome: list[object] = []
            other.conn.set_trace_callback(lambda sql: started.set())

            def work() -> None:
                try:
                    outcome.append(MedicationRepository(other).add_supply_event(
                        _supply(first.medicine_id)))
                except BaseException as exc:  # (shown by the assert below)
                    outcome.append(exc)

            thread = threading.Thread(target=work)

            def worker_writes() -> None:
                thread.start()
                assert started.wait(10)  # its first statement is running (waiting)

            seen = _on_statement(db, _inserts_a_dose, worker_writes)
            try:
                fix = repo.add_entry(correction_of(
                    repo.chain(first.id), kind=EntryKind.ENTERED_IN_ERROR, recorded_at=NOW,
                    given_at=None, amount=None, note="recorded on the wrong medicine"))
            finally:
                db.conn.set_trace_callback(None)
            thread.join(10)
            assert seen and not thread.is_alive()
            assert isinstance(outcome[0], SupplyEvent), outcome
        assert [e.id for e in repo.chain(first.id).entries] == [first.id, fix.id]
        assert len(repo.supply_events(first.medicine_id)) == 1
    finally:
        db.close()


def test_it_begins_immediate_and_nests_as_a_savepoint():
    db = memory_database()
    db.execute("CREATE TABLE t (n INTEGER)")
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    with db.atomic():  # the records' atomic() is write_transaction
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ValueError), write_transaction(db):
            db["t"].insert({"n": 2})  # sqlite-utils' own atomic() nests too
            raise ValueError("the inner block fails")
        with write_transaction(db):
            db.execute("INSERT INTO t VALUES (3)")
    db.conn.set_trace_callback(None)
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
    assert [r[0] for r in db.execute("SELECT n FROM t ORDER BY n")] == [1, 3]
    assert not db.conn.in_transaction


def test_sqlite_utils_own_writes_begin_immediate_too():
    db = memory_database()
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    db["t"].insert({"n": 1})
    db.conn.set_trace_callback(None)
    assert "BEGIN IMMEDIATE" in statements and "BEGIN" not in statements


def test_a_failed_write_saves_nothing_and_ends_the_transaction():
    db = memory_database()
    db.execute("CREATE TABLE t (n INTEGER NOT NULL)")
    with pytest.raises(sqlite3.IntegrityError), db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        db.execute("INSERT INTO t VALUES (NULL)")
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert not db.conn.in_transaction
