"""Care team: contacts and their phone numbers (appointments come in later migrations)."""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.careteam")


@migrations()
def m001_contacts(db: Database) -> None:
    db.table("contacts").create(
        {
            "id": int,
            "name": str,
            "role": str,
            "role_other": str,
            "organisation": str,
            "email": str,
            "address": str,
            "portal_url": str,
            "office_hours": str,
            "preferred_contact": str,
            "notes": str,
            "emergency": int,
            "archived": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name", "role"},
        defaults={"emergency": 0, "archived": 0, "role_other": "", "organisation": "",
                  "email": "", "address": "", "portal_url": "", "office_hours": "",
                  "preferred_contact": "", "notes": ""},
    )
    db.table("contact_phones").create(
        {"id": int, "contact_id": int, "position": int, "kind": str, "number": str},
        pk="id",
        not_null={"contact_id", "kind", "number"},
        foreign_keys=[("contact_id", "contacts", "id")],
    )
    db.table("contact_phones").create_index(["contact_id"])
