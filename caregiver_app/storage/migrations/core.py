"""Core tables: the patient profile and the caregivers."""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.core")


@migrations()
def m001_patient_and_caregivers(db: Database) -> None:
    db.table("patient").create(
        {
            "id": int,
            "full_name": str,
            "date_of_birth": str,
            "allergy_status": str,
            "weight": float,
            "weight_unit": str,
            "notes": str,
            "time_zone": str,
            "updated_at": str,
            "updated_by": int,
        },
        pk="id",
        not_null={"full_name", "allergy_status"},
        defaults={"notes": "", "weight_unit": "kg", "time_zone": ""},
    )
    db.table("allergies").create(
        {"id": int, "position": int, "substance": str, "reaction": str},
        pk="id",
        not_null={"substance", "position"},
        defaults={"reaction": ""},
    )
    db.table("caregivers").create(
        {"id": int, "name": str, "initials": str, "active": int, "created_at": str},
        pk="id",
        not_null={"name", "initials", "active"},
        defaults={"active": 1},
    )
    db.table("caregivers").create_index(["initials"])


@migrations()
def m002_household_settings(db: Database) -> None:
    """Household settings that change what the records mean (dose timing) and the
    household's own id, one row per setting (``domain.household`` defines each)."""
    db.execute("""
        CREATE TABLE household_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")


@migrations()
def m003_patient_emergency_fields(db: Database) -> None:
    """What the one-page emergency sheet prints besides medicines, allergies and contacts:
    the diagnosis, how the patient communicates, breathing support (NIV settings) and
    advance decisions."""
    table = db.table("patient")
    for name in ("diagnosis", "communication", "breathing", "advance_decisions"):
        table.add_column(name, str, not_null_default="")


@migrations()
def m004_patient_height(db: Database) -> None:
    """The patient's height in cm (typed in cm or feet and inches), so the body mass index
    shows with the weight. Its range is ``domain.patient``'s MIN_HEIGHT_CM to
    MAX_HEIGHT_CM, written out here (a shipped migration never changes)."""
    db.execute("ALTER TABLE patient ADD COLUMN height_cm REAL "
               "CHECK (height_cm IS NULL OR height_cm BETWEEN 50 AND 250)")
