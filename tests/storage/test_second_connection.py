"""storage.db.second_connection: the records opened again, for work on a worker thread."""

from __future__ import annotations

import threading

import pytest

from caregiver_app.storage.db import (
    memory_database,
    open_database,
    open_read_only,
    second_connection,
)
from caregiver_app.storage.faults import RecordsNotSaved


def test_it_reads_what_was_committed_and_never_a_change_half_made(data_dir):
    db = open_database(data_dir / "caregiver.sqlite3")
    db.execute("CREATE TABLE t (n INTEGER)")
    db.execute("INSERT INTO t VALUES (1)")
    try:
        with second_connection(db) as other:
            assert other.conn is not db.conn
            with db.atomic():  # a change on the GUI thread's connection, not committed yet
                db.execute("INSERT INTO t VALUES (2)")
                seen = []
                worker = threading.Thread(target=lambda: seen.append(
                    other.execute("SELECT count(*) FROM t").fetchone()[0]))
                worker.start()
                worker.join(10)
                assert seen == [1]
            assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 2
            assert other.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(Exception, match="closed"):
            other.execute("SELECT 1")
        assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 2  # still open
    finally:
        db.close()


def test_records_open_read_only_are_opened_again_read_only(data_dir):
    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    db.close()
    ro = open_read_only(path)
    try:
        with second_connection(ro) as other, pytest.raises(RecordsNotSaved):
            other.execute("CREATE TABLE nope (n INTEGER)")
    finally:
        ro.close()


def test_in_memory_records_have_no_file_to_open_again():
    db = memory_database()
    with second_connection(db) as same:
        assert same is db
    assert db.execute("SELECT 1").fetchone() == (1,)  # not closed
