"""Sharing with the family through a CalDAV/CardDAV server (``domain.sharing``).

- ``sharing_config``: the household's sharing settings, one row per setting (server
  address, user name, discreet mode, window...). Never the password: that is in the
  operating system's keyring.
- ``sharing_collections``: the task list, calendar and address book the app uses on the
  server, with the sync-token of each (RFC 6578) for the next incremental sync.
- ``sharing_items``: each thing the app put on the server, where it is and its ETag, so
  a change there is never overwritten unseen and nothing stale stays behind.
- ``sharing_notes``: what phones did that a person should know (also ticked, un-ticked,
  a conflict), until a person has seen it; found by the record it is about (m003: the
  History window's "also ticked" beside each record).
- ``sharing_phones`` and ``dose_sources`` (m002): whose phone is which, and where each
  dose record made from a phone's tick came from (append-only).

Registered last (its later tables refer to the caregivers and the dose record).
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


@migrations()
def m002_phones_and_dose_sources(db: Database) -> None:
    """Which phone is whose, and where each dose record made from a phone came from.

    - ``sharing_phones``: "Ana's iPhone = Ana Helper": a tick read through ``account``
      (the server account; '' any) and written by ``client`` (the phone's app as the
      app names it, from the task's PRODID; '' any) is recorded as given by
      ``caregiver_id`` and said to come from ``name``.
    - ``dose_sources``: one row per dose record a phone's tick made: which phone and
      account, the phone's own completion time as it said it, and whether the record's
      time is that (``phone``) or the time of the sync (``sync``: the phone gave none,
      or one still to come). An annotation of the record, never a change to it:
      append-only like the record itself.
    """
    db.execute("""
        CREATE TABLE sharing_phones (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) > 0),
            caregiver_id INTEGER REFERENCES caregivers(id),
            account TEXT NOT NULL DEFAULT '',
            client TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("""
        CREATE TABLE dose_sources (
            entry_id INTEGER PRIMARY KEY REFERENCES dose_entries(id),
            device TEXT NOT NULL DEFAULT '',
            account TEXT NOT NULL DEFAULT '',
            client TEXT NOT NULL DEFAULT '',
            phone_time TEXT,
            time_from TEXT NOT NULL CHECK (time_from IN ('phone', 'sync')),
            synced_at TEXT NOT NULL
        )""")
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER dose_sources_no_{action.lower()} BEFORE {action} ON "
            "dose_sources BEGIN SELECT RAISE(ABORT, 'dose_sources is append-only: a "
            "record''s source never changes'); END")
    db.execute(
        "CREATE TRIGGER dose_sources_no_replace BEFORE INSERT ON dose_sources "
        "WHEN EXISTS (SELECT 1 FROM dose_sources WHERE entry_id = NEW.entry_id) "
        "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: dose_sources.entry_id'); "
        "END")



@migrations()
def m003_notes_by_record(db: Database) -> None:
    """A medicine's History shows the phones' "Also ticked on …" notes beside their
    records, a page at a time (``SharingRepository.also_ticked``): an index on the
    record a note is about finds a page's notes without reading years of notes."""
    db.execute("CREATE INDEX sharing_notes_entry ON sharing_notes (entry_id)")
