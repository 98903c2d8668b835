"""Export every record to one JSON document, and build a database back from one.

The document mirrors the database: one list of records per table, with the
names of the schema changes (migrations) the data was exported at. Import
never touches the live database: it builds a complete new database file
first (at the exported schema, then brought up to date by the normal
migrations), and only a file that passed every check is put in place. Errors
name the table, the record number and the field. ``docs/data-format.md``
describes the format.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from caregiver_app.storage import content_checks, medications_repo, migrations

#: Feature checks of the built database beyond column types and references: each returns
#: plain messages naming table, record and field (e.g. a schedule the app cannot read).
CONTENT_CHECKS = (
    content_checks.core_problems,
    content_checks.careteam_problems,
    medications_repo.content_problems,
)

FORMAT = "als-care-companion"
FORMAT_VERSION = 1
MAX_ERRORS = 20


class TransferError(Exception):
    """The file cannot be imported. ``problems`` lists each one, most useful first."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        shown = self.problems[:MAX_ERRORS]
        more = len(self.problems) - len(shown)
        text = "\n".join(f"- {p}" for p in shown)
        if more:
            text += f"\n- …and {more} more"
        super().__init__(f"The file was not imported; nothing was changed.\n{text}")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool
    has_default: bool
    primary_key: bool


def _virtual_and_shadow_tables(db: Database) -> set[str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = {name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")}
    shadow = {name for name, _ in rows for v in virtual if name.startswith(v + "_")}
    return virtual | shadow


def data_tables(db: Database) -> list[str]:
    """Tables that hold the caregiver's records, in creation order.

    Skips SQLite's and sqlite-utils' own tables, full-text-search indexes and
    tables that only cache what can be rebuilt (names ending in ``_cache``).
    """
    skip = _virtual_and_shadow_tables(db)
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    return [n for n in names
            if not n.startswith(("_", "sqlite_")) and n not in skip and not n.endswith("_cache")]


def columns(db: Database, table: str) -> dict[str, Column]:
    rows = db.execute(f"PRAGMA table_info([{table}])").fetchall()
    return {
        r[1]: Column(name=r[1], type=(r[2] or "").upper(), not_null=bool(r[3]),
                     has_default=r[4] is not None, primary_key=bool(r[5]))
        for r in rows
    }


def applied_migrations(db: Database) -> list[str]:
    table = db.table(migrations.Migrations.migrations_table)
    if not table.exists():
        return []
    return [f"{r['migration_set']}:{r['name']}" for r in table.rows_where(order_by="id")]


# ---- Export


def export_document(db: Database, *, app_version: str, now: datetime | None = None) -> dict:
    tables = {}
    for table in data_tables(db):
        pks = [c.name for c in columns(db, table).values() if c.primary_key] or ["rowid"]
        order = ", ".join(f"[{k}]" for k in pks)
        tables[table] = [dict(r) for r in db.query(f"SELECT * FROM [{table}] ORDER BY {order}")]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version,
        "exported_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "schema": applied_migrations(db),
        "tables": tables,
    }


def export_to_file(db: Database, path: Path, *, app_version: str,
                   now: datetime | None = None) -> dict[str, int]:
    """Write the document to ``path`` (owner-only). Returns the record count per table."""
    import os

    doc = export_document(db, app_version=app_version, now=now)
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8") as out:
        json.dump(doc, out, ensure_ascii=False, indent=1, sort_keys=False)
        out.write("\n")
    os.replace(tmp, path)
    return {t: len(rows) for t, rows in doc["tables"].items()}


# ---- Import


def read_document(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TransferError([f"The file is not UTF-8 text (byte {exc.start})."]) from exc
    except OSError as exc:
        raise TransferError([f"The file cannot be read: {exc.strerror}."]) from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(
            [f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]
        ) from exc
    return doc


def _check_envelope(doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        return ["The file does not hold an ALS Care Companion export (expected a JSON object)."]
    problems = []
    if doc.get("format") != FORMAT:
        problems.append(
            f'The file is not an ALS Care Companion export ("format" is not "{FORMAT}").')
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append('"format_version" must be a whole number.')
    elif version > FORMAT_VERSION:
        problems.append(f"The file uses format version {version}; this app reads up to "
                        f"{FORMAT_VERSION}. Update the app to import it.")
    if not isinstance(doc.get("schema"), list) or not all(
            isinstance(s, str) for s in doc.get("schema", [])):
        problems.append('"schema" must be a list of names.')
    if not isinstance(doc.get("tables"), dict):
        problems.append('"tables" must be an object with one list of records per table.')
    return problems


def _stop_points(schema: list[str]) -> tuple[dict[str, str | None], list[str]]:
    """For each migration set, the first migration NOT in ``schema`` (None: all applied)."""
    wanted = set(schema)
    known = {f"{m.name}:{mig.name}" for m in migrations.MIGRATION_SETS for mig in m._migrations}
    unknown = sorted(wanted - known)
    problems = []
    if unknown:
        problems.append("The file was exported by a newer version of the app (it knows "
                        f"changes this version does not: {', '.join(unknown[:3])}). "
                        "Update the app to import it.")
    stops: dict[str, str | None] = {}
    for mset in migrations.MIGRATION_SETS:
        names = [mig.name for mig in mset._migrations]
        present = [f"{mset.name}:{n}" in wanted for n in names]
        first_missing = next((i for i, p in enumerate(present) if not p), None)
        if first_missing is not None and any(present[first_missing:]):
            problems.append(f'"schema" skips a change in {mset.name}; the file is inconsistent.')
        stops[mset.name] = None if first_missing is None else names[first_missing]
    return stops, problems


def _type_problem(value: Any, col: Column) -> str:
    if value is None:
        return "is empty but is required" if col.not_null and not col.primary_key else ""
    if isinstance(value, bool):
        return "must be a number or text, not true/false"
    if col.type in ("INTEGER", "INT"):
        if isinstance(value, int):
            return ""
        return "must be a whole number"
    if col.type in ("REAL", "FLOAT", "NUMERIC"):
        if isinstance(value, int | float) and math.isfinite(value):
            return ""
        return "must be a number"
    if col.type in ("TEXT", ""):
        return "" if isinstance(value, str) else "must be text"
    return "" if isinstance(value, str | int | float) else "has an unsupported value"


def _check_records(db: Database, tables: dict) -> list[str]:
    problems = []
    known_tables = set(data_tables(db))
    for table, records in tables.items():
        if table not in known_tables:
            problems.append(f'Table "{table}" is not part of this version\'s records.')
            continue
        if not isinstance(records, list):
            problems.append(f'Table "{table}" must be a list of records.')
            continue
        cols = columns(db, table)
        for number, record in enumerate(records, start=1):
            where = f'"{table}" record {number}'
            if not isinstance(record, dict):
                problems.append(f"{where} is not an object.")
                continue
            for field in record:
                if field not in cols:
                    problems.append(f'{where}: unknown field "{field}".')
            for col in cols.values():
                if col.name not in record:
                    if col.not_null and not col.has_default and not col.primary_key:
                        problems.append(f'{where}: field "{col.name}" is missing.')
                    continue
                message = _type_problem(record[col.name], col)
                if message:
                    problems.append(f'{where}: field "{col.name}" {message} '
                                    f"(found {json.dumps(record[col.name])[:40]}).")
    return problems


def _row_number(db: Database, table: str, rowid: int) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}] WHERE rowid <= ?", [rowid]).fetchone()[0]


def build_database(doc: Any, dest: Path) -> dict[str, int]:
    """Check ``doc`` fully and write it as a complete, migrated database at ``dest``.

    Raises TransferError listing every problem found; ``dest`` is then removed.
    """
    problems = _check_envelope(doc)
    if problems:
        raise TransferError(problems)
    stops, problems = _stop_points(doc["schema"])
    if problems:
        raise TransferError(problems)
    if dest.exists():
        dest.unlink()
    conn = sqlite3.connect(str(dest), isolation_level=None)
    db = Database(conn)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # checked as a whole below
        for mset in migrations.MIGRATION_SETS:
            stop = stops[mset.name]
            if stop is None:
                mset.apply(db)
            elif stop != mset._migrations[0].name:
                mset.apply(db, stop_before=stop)
        problems = _check_records(db, doc["tables"])
        if problems:
            raise TransferError(problems)
        with db.atomic():
            for table in data_tables(db):
                records = doc["tables"].get(table, [])
                try:
                    db.table(table).insert_all(records, batch_size=500)
                except sqlite3.IntegrityError as exc:
                    raise TransferError([f'"{table}": {exc}.']) from exc
        bad_refs = conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad_refs:
            raise TransferError([
                f'"{table}" record {_row_number(db, table, rowid)} points at a missing '
                f'"{parent}" record.'
                for table, rowid, parent, _ in bad_refs
            ])
        conn.execute("PRAGMA foreign_keys = ON")
        migrations.apply_all(db)  # bring an older export up to date
        problems = [p for check in CONTENT_CHECKS for p in check(db)]
        if problems:
            raise TransferError(problems)
        counts = {t: db.table(t).count for t in data_tables(db)}
    except TransferError:
        conn.close()
        dest.unlink(missing_ok=True)
        raise
    except sqlite3.Error as exc:
        conn.close()
        dest.unlink(missing_ok=True)
        raise TransferError([f"The records could not be rebuilt: {exc}."]) from exc
    conn.close()
    return counts
