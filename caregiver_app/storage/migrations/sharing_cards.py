"""The care team's address book on the sharing server (``domain.contact_sync``).

- ``sharing_cards``: each card of the app's address book: the contact it is (none for a
  card not taken into the care team), where it is and its ETag, the card as both sides
  last agreed on (to tell who changed which field), and what waits for a person (a
  field changed on both sides, a contact deleted on one side).

Registered after ``sharing`` (its address book is in ``sharing_collections``).
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.sharing_cards")


@migrations()
def m001_sharing_cards(db: Database) -> None:
    db.execute("""
        CREATE TABLE sharing_cards (
            uid TEXT PRIMARY KEY CHECK (length(uid) > 0),
            contact_id INTEGER,
            href TEXT NOT NULL CHECK (length(href) > 0),
            etag TEXT NOT NULL DEFAULT '',
            base TEXT NOT NULL DEFAULT '',
            remote TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT ''
                CHECK (state IN ('', 'conflict', 'gone_there', 'gone_here', 'not_taken',
                                 'left', 'to_remove'))
        )""")
    db.execute("CREATE INDEX sharing_cards_href ON sharing_cards (href)")
