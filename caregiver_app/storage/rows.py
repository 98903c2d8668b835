"""Small helpers over rows shared by the repositories.

``rows_where`` and ``dict_rows`` read through the connection (``Records.execute``),
so reading the records on the start and print paths does not load sqlite-utils
(``storage.records`` says why); writes use sqlite-utils' tables as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import count
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import Protocol

    from sqlite_utils import Database
    from sqlite_utils.db import Table

    class _HasConnection(Protocol):
        conn: sqlite3.Connection


def last_id(table: Table) -> int:
    """The id of the row ``table`` has just inserted (``Table.last_pk``, typed)."""
    pk = table.last_pk
    assert isinstance(pk, int), pk
    return pk


def dict_rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """The rows of a SELECT as dicts by column name, as ``Database.query`` gives them,
    for reads through ``Records.execute`` (without loading sqlite-utils). The columns'
    names must differ (``query`` would rename a repeated one)."""
    keys = [d[0] for d in cursor.description]
    if len(set(keys)) != len(keys):  # one would silently overwrite the other
        raise ValueError(f"a column name repeats in {keys}")
    return (dict(zip(keys, row, strict=True)) for row in cursor)


def table_exists(db: Database, table: str) -> bool:
    """Whether ``table`` is in the records (``Table.exists()`` of sqlite-utils)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      [table]).fetchone() is not None


def rows_where(db: Database, table: str, where: str | None = None,
               where_args: Sequence[Any] | None = None, *,
               order_by: str | None = None) -> Iterator[dict[str, Any]]:
    """``db.table(table).rows_where(where, where_args, order_by=order_by)``, the same
    SELECT and the same rows (none when the table is not there yet), read through the
    connection."""
    if not table_exists(db, table):
        return
    sql = f"SELECT * FROM [{table}]"
    if where is not None:
        sql += " WHERE " + where
    if order_by is not None:
        sql += " ORDER BY " + order_by
    yield from dict_rows(db.execute(sql, where_args or []))


@contextmanager
def one_snapshot(db: Database) -> Iterator[None]:
    """Every read inside sees the records as one moment: one read transaction, begun by
    a savepoint (inside a transaction already open, it nests in it).

    On an autocommit connection each SELECT otherwise sees the records as they are when
    it starts: another connection (a worker writing a PDF reads through its own, the GUI
    thread writes) may commit between two reads, and the second would see a change the
    first did not, e.g. a medicine's new version beside its old details. SQLite in WAL
    mode keeps the first read's snapshot for the rest of the transaction; nothing waits
    on it (a writer does not wait for readers).

    For reads only: a write inside, once a read has begun the snapshot, fails at once
    (``SQLITE_BUSY_SNAPSHOT``, which the busy timeout does not wait out, said as
    "another program is using the records file") whenever another connection has
    committed since. Write in ``write_transaction`` (what the records' ``atomic()`` is)
    instead, begun before the reads the write depends on."""
    db.execute("SAVEPOINT one_snapshot")
    try:
        yield
    finally:
        if db.conn.in_transaction:  # (a failed statement may have ended it)
            db.execute("RELEASE SAVEPOINT one_snapshot")


_savepoints = count(1)  # their names, unique in one connection's nesting


@contextmanager
def write_transaction(db: _HasConnection) -> Iterator[None]:
    """One transaction for a write and the reads it depends on: all of it or none.

    Outside a transaction it begins with ``BEGIN IMMEDIATE``: it takes the write lock
    first, waiting (the connection's busy timeout) while another connection writes,
    and then nothing another connection commits can come between its reads and its
    writes. A deferred ``BEGIN`` (sqlite-utils' own ``atomic()``) takes the lock only
    at the first write; when another connection has committed since the first read
    (a worker, the sync, the phone forms' refresh), that write fails at once with
    ``SQLITE_BUSY_SNAPSHOT``, which no timeout waits out, and the person is told that
    "another program is using the records file".

    Inside a transaction already open it nests as a savepoint (rolled back alone when
    its block fails) and never begins another. The outer transaction must then be a
    write transaction too: inside a read one (``one_snapshot``) a write can fail as
    above. The records' ``atomic()`` (``storage.records``) is this, so every
    repository's and sqlite-utils' own transactions on the records begin this way."""
    conn = db.conn
    if conn.in_transaction:
        savepoint = f"write_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield
        except BaseException:
            # a failed statement (a RAISE(ROLLBACK), a full disk) may have ended the
            # whole transaction, savepoint and all: then there is nothing to undo here
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
