"""Every schema change, as sqlite-utils ``Migrations`` sets applied in this order.

Each feature owns one set in its own module. A set may refer to tables of the
sets before it in ``MIGRATION_SETS``, never to later ones. Never edit a
migration that has shipped: add a new one, and its line in ``storage.schema`` (the
list opening up-to-date records checks without loading sqlite-utils).
"""

from __future__ import annotations

import functools

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from caregiver_app.storage import schema
from caregiver_app.storage.migrations import (
    careteam,
    core,
    exports,
    going,
    learn,
    medications,
    reminders,
    sharing,
    sharing_cards,
)

MIGRATION_SETS: tuple[Migrations, ...] = (
    core.migrations,
    careteam.migrations,
    medications.migrations,
    reminders.migrations,
    learn.migrations,
    exports.migrations,
    going.migrations,
    sharing.migrations,
    sharing_cards.migrations,
)


@functools.cache
def names_in(migration_set: Migrations) -> tuple[str, ...]:
    """Every migration of ``migration_set``, in order: those pending on an empty database
    (sqlite-utils keeps the list private; ``pending`` reads nothing but the database)."""
    empty = Database(memory=True, execute_plugins=False)
    return tuple(m.name for m in migration_set.pending(empty))


def apply_all(db: Database) -> None:
    for migrations in MIGRATION_SETS:
        migrations.apply(db)


#: Triggers each migration creates, by (set name, migration name).
TRIGGERS = schema.TRIGGERS
expected_triggers = schema.expected_triggers


def pending(db: Database) -> list[str]:
    return [f"{m.name}:{p.name}" for m in MIGRATION_SETS for p in m.pending(db)]


def schema_version(db: Database) -> int:
    """The records format's number: how many of this app's schema changes the file has
    (shown in About; it equals ``current_schema_version()`` once the file is opened)."""
    return len(applied_names(db) & known_names())


def current_schema_version() -> int:
    """The format this version of the app writes."""
    return len(known_names())


def known_names() -> set[tuple[str, str]]:
    return {(m.name, name) for m in MIGRATION_SETS for name in names_in(m)}


def applied_names(db: Database) -> set[tuple[str, str]]:
    table = db.table(Migrations.migrations_table)
    if not table.exists():
        return set()
    return {(row["migration_set"], row["name"]) for row in table.rows}


def unknown_applied(db: Database) -> set[tuple[str, str]]:
    """Migrations recorded in ``db`` that this version of the app does not know.

    Not empty means the file was written by a newer version of the app.
    """
    return applied_names(db) - known_names()
