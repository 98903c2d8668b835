"""Small helpers over sqlite-utils rows shared by the repositories."""

from __future__ import annotations

from sqlite_utils.db import Table


def last_id(table: Table) -> int:
    """The id of the row ``table`` has just inserted (``Table.last_pk``, typed)."""
    pk = table.last_pk
    assert isinstance(pk, int), pk
    return pk
