"""Files exported for other programs: what each calendar file was sent.

``calendar_exports`` keeps, for each file target (its full path) and each event UID, the
last copy written there: its SEQUENCE, times, title, a fingerprint of what a person sees,
and whether it was written as cancelled. The next export to the same file (or any file)
uses it to give a moved dose a higher SEQUENCE and to cancel what has gone
(``domain.calendar_events``). A record of what left the laptop, carried by export and
import like the other records.

Registered last (it refers to no other table).
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.exports")


@migrations()
def m001_calendar_exports(db: Database) -> None:
    db.execute("""
        CREATE TABLE calendar_exports (
            target TEXT NOT NULL CHECK (length(target) > 0),
            uid TEXT NOT NULL CHECK (length(uid) > 0),
            sequence INTEGER NOT NULL CHECK (sequence >= 0),
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            summary TEXT NOT NULL,
            category TEXT NOT NULL DEFAULT '',
            fingerprint TEXT NOT NULL,
            cancelled INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
            exported_at TEXT NOT NULL,
            PRIMARY KEY (target, uid)
        )""")
    db.execute("CREATE INDEX calendar_exports_uid ON calendar_exports (uid, sequence)")
