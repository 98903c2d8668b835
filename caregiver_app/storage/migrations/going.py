"""How things are going: weight, everyday function, the daily symptom check, numbers
from the clinic and whether an as-needed dose helped (``domain.going``).

Like the dose record these tables are **append-only**: triggers refuse every UPDATE and
DELETE, and a new row that would meet an existing one on a unique key (so that
``INSERT OR REPLACE`` would delete it) is refused too. A correction is a new row naming
the row it corrects (``corrects_id``, unique: a row is corrected at most once);
``entered_in_error`` withdraws the row it corrects and carries no values.

Registered after ``medications`` (an answer about a dose names its dose entry).
Days are ISO dates; times ISO 8601 UTC text.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.going")

# Written out, not read from the domain: a shipped migration never changes
# (``tests/storage/test_going_repo.py`` checks they match ``domain.going``).
TABLES = ("weight_entries", "function_scores", "symptom_checks", "clinic_numbers",
          "dose_effects")
AREAS = ("speech", "saliva", "swallowing", "handwriting", "utensils", "dressing",
         "turning", "walking", "stairs", "breathless", "lying_flat", "breathing_support")
SYMPTOMS = (("cramps", 3), ("stiffness", 3), ("pain", 3), ("drooling", 3),
            ("secretions", 3), ("sleep", 3), ("fatigue", 3), ("low_mood", 3),
            ("anxiety", 3), ("episodes", 200), ("bowel_days", 60),
            ("breathless_flat", 3), ("morning_headache", 3))

_COMMON_HEAD = """
            id INTEGER PRIMARY KEY,
            on_day TEXT NOT NULL,"""
_COMMON_TAIL = """
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            recorded_by INTEGER REFERENCES caregivers(id),
            corrects_id INTEGER REFERENCES {table}(id),
            entered_in_error INTEGER NOT NULL DEFAULT 0 CHECK (entered_in_error IN (0, 1)),
            CHECK (entered_in_error = 0 OR (corrects_id IS NOT NULL AND note != ''))"""


def _create(db: Database, table: str, columns: str, *checks: str) -> None:
    extra = "".join(f",\n            CHECK (entered_in_error = 1 OR ({c}))" for c in checks)
    db.execute(f"CREATE TABLE {table} ({_COMMON_HEAD}{columns}"
               f"{_COMMON_TAIL.format(table=table)}{extra})")
    db.execute(f"CREATE INDEX {table}_day ON {table} (on_day)")
    db.execute(f"CREATE UNIQUE INDEX {table}_corrects ON {table} (corrects_id) "
               "WHERE corrects_id IS NOT NULL")
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: add a correction "
            "instead'); END")
    db.execute(
        f"CREATE TRIGGER {table}_no_replace_id BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: {table}.id'); END")
    db.execute(
        f"CREATE TRIGGER {table}_no_replace_corrects BEFORE INSERT ON {table} "
        f"WHEN NEW.corrects_id IS NOT NULL AND EXISTS (SELECT 1 FROM {table} "
        "WHERE corrects_id = NEW.corrects_id) "
        f"BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: {table}.corrects_id'); END")


def _scores(keys: tuple[str, ...], high: int) -> str:
    return "".join(f"\n            {k} INTEGER CHECK ({k} BETWEEN 0 AND {high})," for k in keys)


@migrations()
def m001_going_records(db: Database) -> None:
    _create(db, "weight_entries", """
            weight REAL CHECK (weight > 0),
            unit TEXT CHECK (unit IN ('kg', 'lb')),
            usual INTEGER NOT NULL DEFAULT 0 CHECK (usual IN (0, 1)),""",
            "weight IS NOT NULL AND unit IS NOT NULL")
    _create(db, "function_scores", _scores(AREAS, 4) + """
            tube_version INTEGER NOT NULL DEFAULT 0 CHECK (tube_version IN (0, 1)),
            answered_by TEXT CHECK (answered_by IN ('patient', 'caregiver')),""",
            "answered_by IS NOT NULL",
            " OR ".join(f"{k} IS NOT NULL" for k in AREAS))
    symptom_columns = "".join(
        f"\n            {key} INTEGER CHECK ({key} BETWEEN 0 AND {high}),"
        for key, high in SYMPTOMS)
    _create(db, "symptom_checks", symptom_columns,
            " OR ".join(f"{key} IS NOT NULL" for key, _ in SYMPTOMS))
    _create(db, "clinic_numbers", """
            fvc_percent REAL CHECK (fvc_percent >= 0),
            snip REAL CHECK (snip >= 0),
            niv_hours REAL CHECK (niv_hours BETWEEN 0 AND 24),""",
            "fvc_percent IS NOT NULL OR snip IS NOT NULL OR niv_hours IS NOT NULL")
    _create(db, "dose_effects", """
            dose_entry_id INTEGER REFERENCES dose_entries(id),
            effect TEXT CHECK (effect IN ('better', 'same', 'worse')),""",
            "dose_entry_id IS NOT NULL AND effect IS NOT NULL")
    db.execute("CREATE INDEX dose_effects_dose ON dose_effects (dose_entry_id)")

