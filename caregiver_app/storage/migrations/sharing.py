"""Sharing with the family through a CalDAV/CardDAV server (``domain.sharing``).

- ``sharing_config``: the household's sharing settings, one row per setting (server
  address, user name, discreet mode, window...). Never the password: that is in the
  operating system's keyring.
- ``sharing_collections``: the task list, calendar and address book the app uses on the
  server, with the sync-token of each (RFC 6578) for the next incremental sync.
- ``sharing_items``: each thing the app put on the server, where it is and its ETag, so
  a change there is never overwritten unseen and nothing stale stays behind.
- ``sharing_notes``: what phones did that a person should know (also ticked, un-ticked,
  a conflict), until a person has seen it.

Registered last (it refers to no other table).
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.sharing")


@migrations()
def m001_sharing(db: Database) -> None:
    db.execute("""
        CREATE TABLE sharing_config (
            key TEXT PRIMARY KEY CHECK (length(key) > 0),
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE sharing_collections (
            kind TEXT PRIMARY KEY CHECK (kind IN ('task', 'event', 'card')),
            url TEXT NOT NULL CHECK (length(url) > 0),
            sync_token TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("""
        CREATE TABLE sharing_items (
            uid TEXT PRIMARY KEY CHECK (length(uid) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('task', 'event', 'card')),
            href TEXT NOT NULL,
            etag TEXT NOT NULL DEFAULT '',
            fingerprint TEXT NOT NULL DEFAULT '',
            status TEXT,
            medicine_id INTEGER,
            occurrence_key TEXT NOT NULL DEFAULT '',
            starts_at TEXT,
            sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0)
        )""")
    db.execute("CREATE INDEX sharing_items_href ON sharing_items (href)")
    db.execute("""
        CREATE TABLE sharing_notes (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            uid TEXT NOT NULL,
            message TEXT NOT NULL,
            noted_at TEXT NOT NULL,
            medicine_id INTEGER,
            occurrence_key TEXT NOT NULL DEFAULT '',
            entry_id INTEGER,
            seen_at TEXT
        )""")
