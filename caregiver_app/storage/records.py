"""The open records: the SQLite connection, with sqlite-utils loaded only when needed.

Storage is sqlite-utils: its ``Database`` and ``Migrations`` make the schema, and every
write goes through them. Importing sqlite-utils, though, also imports click and pluggy,
the dependencies of its command line: ``sqlite_utils/__init__`` imports ``hookspecs``
and ``plugins``, which call ``pluggy.HookspecMarker`` and ``pluggy.PluginManager`` and
evaluate ``click.Group`` as they load. That was about 56 ms of CPU of the 430 ms a
``print checklist`` took, and the same again on the window's start, for reads that need
none of it. (A lazy loader for click and pluggy cannot help: sqlite-utils uses both
while it is imported. Patching the library is not ours to do.)

So ``open_database`` hands out a ``Records``: the connection itself (``conn``), whose
``execute`` is the connection's execute, and a ``sqlite_utils.Database`` over that same
connection for everything else (``table``, ``db["name"]``, ``query``, ``atomic``,
``table_names``...), made, and sqlite-utils imported, the first time one of them is
used. Code that writes keeps using sqlite-utils exactly as before; reads on the start
and print paths use ``execute`` (``storage.rows.dict_rows`` makes the rows dicts).

Transactions begin with ``BEGIN IMMEDIATE``: the records' ``atomic()``, the Database's
(so sqlite-utils' own, inside ``insert`` or ``update``) and ``storage.rows.
write_transaction`` are one helper, which nests as a savepoint inside a transaction
already open. sqlite-utils' ``atomic()`` begins a deferred transaction, which fails at
its first write, and no busy timeout waits that out, when another connection (a worker,
the sync) has committed since its first read (``write_transaction`` says more).

``execute`` is sqlite-utils' ``Database.execute`` for our connections: they are opened
with ``isolation_level=None`` (SQLite's own autocommit, no implicit transaction), where
that method only passes the statement to the connection. The connection is set up as
sqlite-utils sets it (``PRAGMA recursive_triggers = on``: a REPLACE that deletes a dose
record fires the append-only triggers) before anything runs on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from caregiver_app.storage.rows import write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database


class Records:
    """An open records file; stands in for the ``sqlite_utils.Database`` over ``conn``
    (every attribute that is not its own is that Database's)."""

    __slots__ = ("_database", "conn")

    def __init__(self, conn: sqlite3.Connection):
        if conn.isolation_level is not None:
            raise ValueError("Records needs a connection opened with isolation_level=None")
        self.conn = conn
        self._database: Database | None = None
        conn.execute("PRAGMA recursive_triggers=on;")  # as sqlite_utils.Database does

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None
                ) -> sqlite3.Cursor:
        """The statement's cursor (``Database.execute`` on an autocommit connection)."""
        if parameters is not None:
            return self.conn.execute(sql, parameters)
        return self.conn.execute(sql)

    def atomic(self) -> AbstractContextManager[None]:
        """A write transaction, begun with ``BEGIN IMMEDIATE`` (nests as a savepoint):
        ``storage.rows.write_transaction``, not sqlite-utils' deferred ``atomic()``."""
        return write_transaction(self)

    def close(self) -> None:
        self.conn.close()

    @property
    def database(self) -> Database:
        """sqlite-utils' Database over the same connection (imported now, on first use).

        ``execute_plugins=False``: no sqlite-utils plugin installed on the computer
        changes the connection to the records, and none is searched for."""
        if self._database is None:
            self._database = _database_class()(self.conn, execute_plugins=False)
        return self._database

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not sqlite-utils' privates, nor copy's probes of a
            raise AttributeError(name)  # Records whose slots are not yet set
        return getattr(self.database, name)

    def __getitem__(self, name: str) -> Any:
        return self.database[name]

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Records {self.conn!r}>"


@cache
def _database_class() -> type[Database]:
    """sqlite-utils' Database whose ``atomic()`` (its own too, in ``insert``, ``update``
    and the like) is ``write_transaction``; imports sqlite-utils."""
    from sqlite_utils import Database

    class WritingDatabase(Database):
        def atomic(self) -> Any:  # Database.atomic is typed as a Generator
            return write_transaction(self)

    return WritingDatabase


def records(conn: sqlite3.Connection) -> Database:
    """``conn`` as the records, typed as the ``Database`` a ``Records`` stands in for."""
    return cast("Database", Records(conn))
