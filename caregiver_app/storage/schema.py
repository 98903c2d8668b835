"""What this version's schema is, known without loading sqlite-utils: the migrations
(by set and name) and the triggers each one makes.

``storage.migrations`` (sqlite-utils ``Migrations``) is what makes the schema and stays
the authority; this is its list, so that opening records that are up to date, the
usual case, only reads the migrations table (``up_to_date``) and does not import
sqlite-utils and every migration (see ``storage.records``). Anything else (a migration
to apply, a file from a newer version, no migrations table) goes the whole way through
``storage.migrations`` as before. ``tests/storage/test_records.py`` fails, naming
what to add, when a migration is added without its line here.
"""

from __future__ import annotations

import sqlite3

#: sqlite-utils' ``Migrations.migrations_table``.
MIGRATIONS_TABLE = "_sqlite_migrations"

#: Every migration set, in the order applied, with its migrations in order.
MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("caregiver_app.core", ("m001_patient_and_caregivers", "m002_household_settings",
                            "m003_patient_emergency_fields", "m004_patient_height")),
    ("caregiver_app.careteam", ("m001_contacts", "m002_appointments",
                                "m003_appointment_removed_by", "m004_phone_forms")),
    ("caregiver_app.medications", ("m001_medicines_and_dose_record",
                                   "m002_cycle_changes_kept", "m003_no_replace_no_orphans",
                                   "m004_history_by_medicine")),
    ("caregiver_app.reminders", ("m001_reminder_log",)),
    ("caregiver_app.learn", ("m001_search_notes_bookmarks",)),
    ("caregiver_app.exports", ("m001_calendar_exports",)),
    ("caregiver_app.going", ("m001_going_records",)),
    ("caregiver_app.sharing", ("m001_sharing", "m002_phones_and_dose_sources",
                               "m003_notes_by_record")),
    ("caregiver_app.sharing_cards", ("m001_sharing_cards",)),
)

#: Every trigger each migration creates (they keep the dose record append-only; the
#: start-up check finds one another program dropped). ``tests/storage/test_append_only``
#: keeps this in step with what the migrations make.
TRIGGERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("caregiver_app.medications", "m001_medicines_and_dose_record"): tuple(
        f"{t}_no_{a}" for t in ("medicine_versions", "medicine_status", "dose_entries",
                                "supply_events") for a in ("update", "delete")),
    ("caregiver_app.medications", "m002_cycle_changes_kept"): (
        "cycle_shifts_no_delete", "cycle_shifts_only_completed"),
    ("caregiver_app.medications", "m003_no_replace_no_orphans"): (
        "medicine_versions_no_replace_id", "medicine_status_no_replace_id",
        "supply_events_no_replace_id", "cycle_shifts_no_replace_id",
        "dose_entries_no_replace_id", "dose_entries_no_replace_corrects",
        "dose_entries_no_replace_one_per_dose", "medicines_no_delete_with_records"),
    ("caregiver_app.going", "m001_going_records"): tuple(
        f"{t}_{suffix}" for t in ("weight_entries", "function_scores", "symptom_checks",
                                  "clinic_numbers", "dose_effects")
        for suffix in ("no_update", "no_delete", "no_replace_id", "no_replace_corrects")),
    ("caregiver_app.sharing", "m002_phones_and_dose_sources"): (
        "dose_sources_no_update", "dose_sources_no_delete", "dose_sources_no_replace"),
}


def known() -> frozenset[tuple[str, str]]:
    """Every (set, name) this version of the app has."""
    return frozenset((s, name) for s, names in MIGRATIONS for name in names)


def applied(conn: sqlite3.Connection) -> set[tuple[str, str]] | None:
    """The (set, name) of every migration recorded in the file; None without the table."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    [MIGRATIONS_TABLE]).fetchone() is None:
        return None
    return {(r[0], r[1]) for r in conn.execute(
        f"SELECT migration_set, name FROM [{MIGRATIONS_TABLE}]")}


def up_to_date(conn: sqlite3.Connection) -> bool:
    """Whether the file has exactly this version's migrations: none to apply, none
    unknown (a newer version's). False sends the caller through ``storage.migrations``."""
    done = applied(conn)
    return done is not None and done == set(known())


def unknown_applied(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """Migrations recorded in the file that this version does not know (a newer
    version's)."""
    return (applied(conn) or set()) - known()


def expected_triggers(done: set[tuple[str, str]]) -> set[str]:
    """The triggers a file with these migrations applied must have."""
    return {t for key, names in TRIGGERS.items() if key in done for t in names}
