"""Care team: contacts with their phone numbers, and appointments.

Contacts are never deleted, only archived: medicines point at their prescriber
and pharmacy (``medicines.prescriber_id`` / ``pharmacy_id`` reference
``contacts.id``), and a removal can be undone.
"""

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
        not_null={"name", "role", "emergency", "archived"},
        defaults={"emergency": 0, "archived": 0, "role_other": "", "organisation": "",
                  "email": "", "address": "", "portal_url": "", "office_hours": "",
                  "preferred_contact": "any", "notes": ""},
    )
    db.table("contact_phones").create(
        {"id": int, "contact_id": int, "position": int, "kind": str, "number": str,
         "extension": str},
        pk="id",
        not_null={"contact_id", "position", "kind", "number"},
        defaults={"extension": ""},
        foreign_keys=[("contact_id", "contacts", "id")],
    )
    db.table("contact_phones").create_index(["contact_id", "position"])


@migrations()
def m002_appointments(db: Database) -> None:
    db.table("appointments").create(
        {
            "id": int,
            "starts_at": str,  # ISO 8601, UTC
            "time_zone": str,  # IANA zone the time was entered in
            "duration_minutes": int,
            "contact_id": int,
            "place": str,
            "purpose": str,
            "transport": str,
            "companion": str,
            "questions": str,
            "outcome": str,
            "source": str,  # "caregiver" or "regimen"
            "source_key": str,  # the regimen's stable key for a clinic-given dose
            "series_label": str,  # "loading dose 2 of 3", "maintenance"
            "archived": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"starts_at", "duration_minutes", "purpose", "source", "archived"},
        defaults={"time_zone": "", "duration_minutes": 60, "place": "", "transport": "",
                  "companion": "", "questions": "", "outcome": "", "source": "caregiver",
                  "source_key": "", "series_label": "", "archived": 0},
        foreign_keys=[("contact_id", "contacts", "id")],
    )
    db.table("appointments").create_index(["starts_at"])
    db.table("appointments").create_index(["contact_id"])
    db.execute(
        "CREATE UNIQUE INDEX idx_appointments_source_key ON appointments (source, source_key) "
        "WHERE source_key <> ''"
    )


@migrations()
def m003_appointment_removed_by(db: Database) -> None:
    """Who removed an appointment: "caregiver" (from the list, kept removed), "schedule"
    (a clinic dose no longer planned, brought back if it is planned again) or ""."""
    db.table("appointments").add_column("removed_by", str, not_null_default="")


@migrations()
def m004_phone_forms(db: Database) -> None:
    """How each number is shown, kept beside it (``domain.phones.phone_forms``): the
    national and international forms, the number's region and the phonenumbers version
    that wrote them. Printing the care team's numbers then needs no phonenumbers. Every
    number already stored gets them now."""
    from caregiver_app.storage.careteam_repo import SHOWN_COLUMNS, refresh_phone_forms

    for column in SHOWN_COLUMNS:
        db.table("contact_phones").add_column(column, str, not_null_default="")
    refresh_phone_forms(db)
