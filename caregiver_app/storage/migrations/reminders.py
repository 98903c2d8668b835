"""Reminder bookkeeping: which reminders were shown, snoozes, and how far the clock was
watched. Not part of the dose record (nothing here says a dose was given); it only stops
a reminder from being shown twice or lost while the laptop slept.

Registered after ``medications`` (a reminder names a medicine's due dose) and before
``learn``.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.reminders")


@migrations()
def m001_reminder_log(db: Database) -> None:
    db.execute("""
        CREATE TABLE reminder_log (
            id INTEGER PRIMARY KEY,
            subject TEXT NOT NULL UNIQUE,
            due_at TEXT NOT NULL,
            announced_at TEXT NOT NULL,
            how TEXT NOT NULL CHECK (how IN ('reminder', 'catch_up', 'snooze')),
            last_shown_at TEXT NOT NULL,
            snoozed_until TEXT
        )""")
    db.execute("CREATE INDEX reminder_log_due ON reminder_log (due_at)")
    db.execute("""
        CREATE TABLE reminder_watch (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            watched_until TEXT NOT NULL
        )""")
