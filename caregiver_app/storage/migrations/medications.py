"""Medicines, their versions and status changes, cycle delays, the dose record and stock.

The dose record (``dose_entries``), the version history, the status history and the
stock ledger are **append-only**: triggers refuse every UPDATE and DELETE, so a bug or a
stray tool cannot rewrite what was given. Corrections are new rows pointing at the row
they correct (``corrects_id``, unique: a row is corrected at most once).

Times are ISO 8601 UTC text ("2026-03-08T13:00:00+00:00"); dates are ISO dates.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.medications")

APPEND_ONLY_TABLES = ("medicine_versions", "medicine_status", "dose_entries", "supply_events")


def _append_only(db: Database, table: str) -> None:
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: add a new entry instead'); "
            "END"
        )


@migrations()
def m001_medicines_and_dose_record(db: Database) -> None:
    db.execute("""
        CREATE TABLE medicines (
            id INTEGER PRIMARY KEY,
            generic_name TEXT NOT NULL,
            brand_name TEXT NOT NULL DEFAULT '',
            purpose TEXT NOT NULL DEFAULT '',
            instructions TEXT NOT NULL DEFAULT '',
            food_kind TEXT NOT NULL DEFAULT 'none',
            food_before_minutes INTEGER NOT NULL DEFAULT 0,
            food_after_minutes INTEGER NOT NULL DEFAULT 0,
            food_note TEXT NOT NULL DEFAULT '',
            given_by TEXT NOT NULL DEFAULT 'home' CHECK (given_by IN ('home', 'clinic')),
            prescriber_id INTEGER REFERENCES contacts(id),
            pharmacy_id INTEGER REFERENCES contacts(id),
            reference_id TEXT NOT NULL DEFAULT '',
            start_date TEXT NOT NULL,
            end_date TEXT,
            review_date TEXT,
            supply_unit TEXT NOT NULL DEFAULT '',
            supply_per_dose REAL,
            reorder_days INTEGER NOT NULL DEFAULT 7,
            opened_on TEXT,
            discard_by TEXT,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES caregivers(id),
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES caregivers(id)
        )""")
    db.execute("""
        CREATE TABLE medicine_versions (
            id INTEGER PRIMARY KEY,
            medicine_id INTEGER NOT NULL REFERENCES medicines(id),
            valid_from TEXT NOT NULL,
            strength TEXT NOT NULL DEFAULT '',
            form TEXT NOT NULL,
            route TEXT NOT NULL,
            dose_amount REAL NOT NULL CHECK (dose_amount > 0),
            dose_unit TEXT NOT NULL,
            do_not_crush INTEGER NOT NULL DEFAULT 0,
            flush_ml INTEGER NOT NULL DEFAULT 0,
            regimen TEXT NOT NULL CHECK (json_valid(regimen) AND json_type(regimen) = 'object'),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES caregivers(id)
        )""")
    db.execute("CREATE INDEX medicine_versions_medicine ON medicine_versions "
               "(medicine_id, valid_from, id)")
    db.execute("""
        CREATE TABLE medicine_status (
            id INTEGER PRIMARY KEY,
            medicine_id INTEGER NOT NULL REFERENCES medicines(id),
            at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
            reason TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            recorded_by INTEGER REFERENCES caregivers(id)
        )""")
    db.execute("CREATE INDEX medicine_status_medicine ON medicine_status (medicine_id, at, id)")
    db.execute("""
        CREATE TABLE cycle_shifts (
            id INTEGER PRIMARY KEY,
            medicine_id INTEGER NOT NULL REFERENCES medicines(id),
            from_date TEXT NOT NULL,
            days INTEGER,
            carry INTEGER NOT NULL DEFAULT 1,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES caregivers(id),
            resumed_at TEXT,
            resumed_by INTEGER REFERENCES caregivers(id),
            withdrawn_at TEXT,
            withdrawn_by INTEGER REFERENCES caregivers(id)
        )""")
    db.execute("CREATE INDEX cycle_shifts_medicine ON cycle_shifts (medicine_id)")
    db.execute("""
        CREATE TABLE dose_entries (
            id INTEGER PRIMARY KEY,
            medicine_id INTEGER NOT NULL REFERENCES medicines(id),
            occurrence_key TEXT,
            due_at TEXT,
            slot_at TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('given', 'skipped', 'entered_in_error')),
            given_at TEXT,
            amount REAL,
            unit TEXT,
            caregiver_id INTEGER REFERENCES caregivers(id),
            skip_reason TEXT,
            note TEXT NOT NULL DEFAULT '',
            override_reason TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            recorded_by INTEGER REFERENCES caregivers(id),
            corrects_id INTEGER REFERENCES dose_entries(id),
            CHECK (kind != 'given' OR (given_at IS NOT NULL AND amount > 0 AND unit != '')),
            CHECK (kind != 'skipped' OR (skip_reason IS NOT NULL AND occurrence_key IS NOT NULL)),
            CHECK (kind != 'entered_in_error' OR corrects_id IS NOT NULL)
        )""")
    # What the day view and the ranges ask for.
    db.execute("CREATE INDEX dose_entries_slot ON dose_entries (slot_at)")
    db.execute("CREATE INDEX dose_entries_unscheduled ON dose_entries (given_at) "
               "WHERE occurrence_key IS NULL")
    db.execute("CREATE INDEX dose_entries_key ON dose_entries (medicine_id, occurrence_key)")
    # A row is corrected at most once: the entries about one dose form a single chain.
    db.execute("CREATE UNIQUE INDEX dose_entries_corrects ON dose_entries (corrects_id) "
               "WHERE corrects_id IS NOT NULL")
    # One first entry per due dose: a second "given" must be a correction, never a duplicate.
    db.execute("CREATE UNIQUE INDEX dose_entries_one_per_dose ON dose_entries "
               "(medicine_id, occurrence_key) "
               "WHERE corrects_id IS NULL AND occurrence_key IS NOT NULL")
    db.execute("""
        CREATE TABLE supply_events (
            id INTEGER PRIMARY KEY,
            medicine_id INTEGER NOT NULL REFERENCES medicines(id),
            kind TEXT NOT NULL CHECK (kind IN ('refill', 'count')),
            quantity REAL NOT NULL CHECK (quantity >= 0),
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            recorded_by INTEGER REFERENCES caregivers(id)
        )""")
    db.execute("CREATE INDEX supply_events_medicine ON supply_events (medicine_id, at)")
    for table in APPEND_ONLY_TABLES:
        _append_only(db, table)


@migrations()
def m002_cycle_changes_kept(db: Database) -> None:
    """Cycle delays and pauses decide which doses were due, so they are kept as entered:
    never deleted, and only ever completed (a pause gets its days when it is resumed) or
    withdrawn (undone, with who and when), each once."""
    db.execute(
        "CREATE TRIGGER cycle_shifts_no_delete BEFORE DELETE ON cycle_shifts "
        "BEGIN SELECT RAISE(ABORT, 'cycle changes are kept: withdraw one instead'); END")
    db.execute("""
        CREATE TRIGGER cycle_shifts_only_completed BEFORE UPDATE ON cycle_shifts
        WHEN NOT (
            NEW.id IS OLD.id AND NEW.medicine_id IS OLD.medicine_id
            AND NEW.from_date IS OLD.from_date AND NEW.carry IS OLD.carry
            AND NEW.reason IS OLD.reason AND NEW.created_at IS OLD.created_at
            AND NEW.created_by IS OLD.created_by
            AND (NEW.days IS OLD.days OR (OLD.days IS NULL AND NEW.resumed_at IS NOT NULL
                                          AND OLD.resumed_at IS NULL))
            AND (NEW.resumed_at IS OLD.resumed_at OR OLD.resumed_at IS NULL)
            AND (NEW.resumed_by IS OLD.resumed_by OR OLD.resumed_at IS NULL)
            AND (NEW.withdrawn_at IS OLD.withdrawn_at OR OLD.withdrawn_at IS NULL)
            AND (NEW.withdrawn_by IS OLD.withdrawn_by OR OLD.withdrawn_at IS NULL))
        BEGIN SELECT RAISE(ABORT,
            'cycle changes are kept: only a pause is completed or a change withdrawn, once');
        END""")


#: Each append-only table's unique keys, as (trigger suffix, SQLite's own name of the
#: constraint, the condition under which a new row would meet an existing one).
_UNIQUE_KEYS = {
    "medicine_versions": (("id", "medicine_versions.id",
                           "EXISTS (SELECT 1 FROM medicine_versions WHERE id = NEW.id)"),),
    "medicine_status": (("id", "medicine_status.id",
                         "EXISTS (SELECT 1 FROM medicine_status WHERE id = NEW.id)"),),
    "supply_events": (("id", "supply_events.id",
                       "EXISTS (SELECT 1 FROM supply_events WHERE id = NEW.id)"),),
    "cycle_shifts": (("id", "cycle_shifts.id",
                      "EXISTS (SELECT 1 FROM cycle_shifts WHERE id = NEW.id)"),),
    "dose_entries": (
        ("id", "dose_entries.id", "EXISTS (SELECT 1 FROM dose_entries WHERE id = NEW.id)"),
        ("corrects", "dose_entries.corrects_id",
         "NEW.corrects_id IS NOT NULL AND EXISTS (SELECT 1 FROM dose_entries "
         "WHERE corrects_id = NEW.corrects_id)"),
        ("one_per_dose", "dose_entries.medicine_id, dose_entries.occurrence_key",
         "NEW.corrects_id IS NULL AND NEW.occurrence_key IS NOT NULL AND EXISTS (SELECT 1 "
         "FROM dose_entries WHERE medicine_id = NEW.medicine_id AND occurrence_key = "
         "NEW.occurrence_key AND corrects_id IS NULL)"),
    ),
}
#: The tables that hold a medicine's records (each has ``medicine_id``).
MEDICINE_RECORD_TABLES = ("medicine_versions", "medicine_status", "cycle_shifts",
                          "dose_entries", "supply_events")


@migrations()
def m003_no_replace_no_orphans(db: Database) -> None:
    """Append-only means append-only, from any program.

    ``INSERT OR REPLACE`` and ``REPLACE INTO`` settle a clash with an existing row by
    deleting that row, and with recursive triggers off (SQLite's default, and so in the
    ``sqlite3`` tool or a DB browser) no DELETE trigger fires: a dose entry could be
    rewritten. A BEFORE INSERT trigger per unique key refuses a row that would meet an
    existing one before REPLACE can delete it; its message is SQLite's own for that
    constraint, so a plain INSERT is refused in the same words as before.

    A medicine that has records (versions, status changes, cycle changes, doses, stock)
    cannot be deleted either, even with foreign keys off: the records would become
    unreachable from every screen.
    """
    for table, keys in _UNIQUE_KEYS.items():
        for suffix, constraint, clash in keys:
            db.execute(
                f"CREATE TRIGGER {table}_no_replace_{suffix} BEFORE INSERT ON {table} "
                f"WHEN {clash} BEGIN SELECT RAISE(ABORT, "
                f"'UNIQUE constraint failed: {constraint}'); END")
    has_records = " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE medicine_id = OLD.id)"
                              for t in MEDICINE_RECORD_TABLES)
    db.execute(
        "CREATE TRIGGER medicines_no_delete_with_records BEFORE DELETE ON medicines "
        f"WHEN {has_records} BEGIN SELECT RAISE(ABORT, "
        "'a medicine with records is kept: stop it instead of deleting it'); END")


@migrations()
def m004_history_by_medicine(db: Database) -> None:
    """A medicine's history is read a page at a time, newest first
    (``MedicationRepository.history_entries``): an index on (medicine_id, slot_at) finds
    a page without reading the medicine's years of records, or the other medicines'."""
    db.execute("CREATE INDEX dose_entries_history ON dose_entries (medicine_id, slot_at)")

