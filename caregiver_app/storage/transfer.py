"""Export every record to one JSON document, and build a database back from one.

The document mirrors the database: one list of records per table, with the
names of the schema changes (migrations) the data was exported at. Import
never touches the live database: it builds a complete new database file
first (at the exported schema, then brought up to date by the normal
migrations), and only a file that passed every check is put in place. Errors
name the table, the record number in the file (counting from 1, in the order
the records appear in the file) and the field. ``docs/data-format.md``
describes the format.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from sqlite_utils import Database

from caregiver_app.domain.contacts import Contact, validate_contact
from caregiver_app.domain.doses import DoseEntry, EntryKind, RecordChain, validate_entry
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.fields import FIELDS, RECORD_RULES, Derived, derived_fields
from caregiver_app.domain.going import Measure, correction_problems
from caregiver_app.domain.patient import (
    EMERGENCY_LIMITS,
    Allergy,
    AllergyStatus,
    Caregiver,
    Patient,
    emergency_problems,
    validate_caregiver,
    validate_patient,
)
from caregiver_app.storage import content_checks, medications_repo, migrations
from caregiver_app.storage.careteam_repo import refresh_phone_forms
from caregiver_app.storage.timestamps import text_to_moment

FORMAT = "als-care-companion"
FORMAT_VERSION = 1
MAX_ERRORS = 20
#: The largest file import reads. Five years of a busy household's records export to
#: well under 20 MB; anything far bigger is not an export, and would only tie up the
#: computer's memory for a long time before being refused.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: SQLite stores whole numbers in 64 bits.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


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
                   now: datetime | None = None,
                   before_done: Callable[[], None] | None = None) -> dict[str, int]:
    """Write the document to ``path`` (owner-only). Returns the record count per table.

    Written to ``path.partial`` first and renamed when complete; a failure (a full
    disk) raises OSError and leaves no partial file behind. ``before_done()`` runs just
    before the rename: what it raises (a cancel) leaves no file either.
    """
    doc = export_document(db, app_version=app_version, now=now)
    tmp = path.with_name(path.name + ".partial")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, ensure_ascii=False, indent=1, sort_keys=False)
            out.write("\n")
        if before_done is not None:
            before_done()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return {t: len(rows) for t, rows in doc["tables"].items()}


# ---- Import: reading


def _size_text(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / 1024**2:.0f} MB"


def read_document(path: Path) -> Any:
    """The parsed JSON of ``path``; TransferError says why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TransferError([
                f"The file is {_size_text(size)}; an export file can be at most "
                f"{_size_text(MAX_FILE_BYTES)} (years of records take a few MB), so this "
                "is not an ALS Care Companion export."])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TransferError([f"The file is not UTF-8 text (byte {exc.start})."]) from exc
    except OSError as exc:
        raise TransferError([f"The file cannot be read: {exc.strerror or exc}."]) from exc
    except MemoryError as exc:
        raise TransferError(["The file is too big to be read on this computer."]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(
            [f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]
        ) from exc
    except RecursionError as exc:
        raise TransferError(["The file nests lists or objects far more deeply than an export "
                             "does, so it is not one."]) from exc
    except (ValueError, MemoryError) as exc:  # e.g. a number with thousands of digits
        raise TransferError([f"The file is not an export this app can read ({exc})."]) from exc


# ---- Import: what a value says about itself in a message


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _q(name: str) -> str:
    """A name in double quotes, safe to print whatever it holds."""
    if name.isprintable() and _is_text(name) and '"' not in name:
        return f'"{name}"'
    return json.dumps(name)


def _preview(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
        return "a number too large to store"
    if isinstance(value, str):
        return json.dumps(value[:40]) + ("…" if len(value) > 40 else "")
    return json.dumps(value)[:40]


# ---- Import: the envelope and the schema


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
    elif version < 1:
        problems.append(f'"format_version" must be 1 or more (found {_preview(version)}).')
    elif version > FORMAT_VERSION:
        problems.append(f"The file uses format version {_preview(version)}; this app reads up "
                        f"to {FORMAT_VERSION}. Update the app to import it.")
    schema = doc.get("schema")
    if not isinstance(schema, list) or not all(isinstance(s, str) for s in schema):
        problems.append('"schema" must be a list of names.')
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        problems.append('"tables" must be an object with one list of records per table.')
    return problems


def _stop_points(schema: list[str]) -> tuple[dict[str, str | None], list[str]]:
    """For each migration set, the first migration NOT in ``schema`` (None: all applied)."""
    wanted = set(schema)
    known = {f"{m.name}:{name}" for m in migrations.MIGRATION_SETS
             for name in migrations.names_in(m)}
    unknown = sorted(wanted - known)
    problems = []
    if unknown:
        names = ", ".join(_q(n) for n in unknown[:3])
        problems.append("The file was exported by a newer version of the app (it knows "
                        f"changes this version does not: {names}). Update the app to import it.")
    stops: dict[str, str | None] = {}
    for mset in migrations.MIGRATION_SETS:
        mig_names = migrations.names_in(mset)
        present = [f"{mset.name}:{n}" in wanted for n in mig_names]
        first_missing = next((i for i, p in enumerate(present) if not p), None)
        if first_missing is not None and any(present[first_missing:]):
            problems.append(f'"schema" skips a change in {mset.name}; the file is inconsistent.')
        stops[mset.name] = None if first_missing is None else mig_names[first_missing]
    core = migrations.MIGRATION_SETS[0]
    first = migrations.names_in(core)[0]
    if not problems and stops[core.name] == first:
        problems.append('"schema" does not name the app\'s first change '
                        f'("{core.name}:{first}"); the file is inconsistent.')
    return stops, problems


# ---- Import: each value


def _type_problem(value: Any, col: Column) -> str:
    if value is None:
        if col.primary_key:
            return "" if col.type in ("INTEGER", "INT") else "is empty but is required"
        return "is empty but is required" if col.not_null else ""
    if isinstance(value, bool):
        return "must be a number or text, not true/false"
    if isinstance(value, list | dict):
        return "must be a single value, not a list or an object"
    if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
        return "is a number too large to store"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if col.type in ("INTEGER", "INT"):
        if isinstance(value, int):
            return ""
        return "must be a whole number"
    if col.type in ("REAL", "FLOAT", "NUMERIC"):
        if isinstance(value, int | float):
            return ""
        return "must be a number"
    if isinstance(value, str):
        if not _is_text(value):
            return "holds text that is not valid Unicode (a lone surrogate)"
        if "\x00" in value:
            return "holds a NUL character, which no text typed in the app can"
    if col.type in ("TEXT", ""):
        return "" if isinstance(value, str) else "must be text"
    return "" if isinstance(value, str | int | float) else "has an unsupported value"


def _check_records(db: Database, tables: dict) -> list[str]:
    problems = []
    known_tables = data_tables(db)
    for table in known_tables:
        if table not in tables:
            problems.append(f'Table "{table}" is missing from the file (an export lists every '
                            "table, even an empty one).")
    for table, records in tables.items():
        if table not in known_tables:
            problems.append(f"Table {_q(table)} is not part of this version's records.")
            continue
        if not isinstance(records, list):
            problems.append(f'Table "{table}" must be a list of records.')
            continue
        cols = columns(db, table)
        rules = FIELDS.get(table, {})  # the domain's one rule for each field
        for number, record in enumerate(records, start=1):
            where = f'"{table}" record {number}'
            if not isinstance(record, dict):
                problems.append(f"{where} is not an object.")
                continue
            for field in record:
                if field not in cols:
                    problems.append(f"{where}: unknown field {_q(field)}.")
            before = len(problems)
            for col in cols.values():
                if isinstance(rules.get(col.name), Derived):
                    continue  # worked out again after the import, whatever the file says
                if col.name not in record:
                    # an INTEGER primary key may be left to the database; nothing else
                    required = (col.type not in ("INTEGER", "INT") if col.primary_key
                                else col.not_null and not col.has_default)
                    if required:
                        problems.append(f'{where}: field "{col.name}" is missing.')
                    continue
                message = _type_problem(record[col.name], col)
                if message:
                    problems.append(f'{where}: field "{col.name}" {message} '
                                    f"(found {_preview(record[col.name])}).")
                    continue
                rule = rules.get(col.name)
                invalid = rule.problem(record[col.name]) if rule is not None else None
                if invalid:
                    problems.append(f'{where}: field "{col.name}" is not valid ({invalid}).')
            if len(problems) == before:  # every field is fine on its own: how they fit
                known = {k: v for k, v in record.items() if k in cols}
                for check in RECORD_RULES.get(table, ()):
                    for name, message in check(known).items():
                        problems.append(f'{where}: field "{name}" is not valid ({message}).')
    return problems


# ---- Import: ids, references and corrections, checked in file order


def _primary_key(db: Database, table: str) -> list[str]:
    rows = db.execute(f"PRAGMA table_info([{table}])").fetchall()
    return [r[1] for r in sorted((r for r in rows if r[5]), key=lambda r: r[5])]


def _check_keys(db: Database, tables: dict[str, list[dict]]) -> list[str]:
    """Every id used once, every reference naming a record in the file."""
    problems = []
    keys: dict[str, dict[tuple, int]] = {}
    for table, records in tables.items():
        pk = _primary_key(db, table)
        seen: dict[tuple, int] = {}
        for number, record in enumerate(records, start=1):
            if not pk:
                continue
            key = tuple(record.get(c) for c in pk)
            if any(v is None for v in key):
                continue  # an id the database gives (checked as required above otherwise)
            if key in seen:
                fields = ", ".join(f'"{c}"' for c in pk)
                problems.append(f'"{table}" record {number}: field {fields} repeats the id of '
                                f"record {seen[key]} (found {_preview(key[0])}); each record "
                                "needs its own.")
            else:
                seen[key] = number
        keys[table] = seen
    for table, records in tables.items():
        for _, _, parent, source, target, *_ in db.execute(
                f"PRAGMA foreign_key_list([{table}])").fetchall():
            if parent not in tables:
                continue
            parent_pk = _primary_key(db, parent)
            if target is None or [target] == parent_pk:
                present = {k[0] for k in keys.get(parent, {})}
            else:
                present = {r.get(target) for r in tables[parent]}
            for number, record in enumerate(records, start=1):
                value = record.get(source)
                if value is not None and value not in present:
                    problems.append(
                        f'"{table}" record {number} points at a missing "{parent}" record: '
                        f'field "{source}" is {_preview(value)}, and no "{parent}" record in '
                        "the file has that id.")
    return problems


_SOME_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
_NO_CLOCK = datetime(9999, 1, 1, tzinfo=UTC)


def _as_entry(record: dict) -> DoseEntry | None:
    try:
        kind = EntryKind(record.get("kind", ""))
    except ValueError:
        return None  # reported by the content checks
    return DoseEntry(medicine_id=cast(int, record.get("medicine_id")), kind=kind,
                     recorded_at=_SOME_MOMENT, recorded_by_id=record.get("recorded_by"),
                     occurrence_key=record.get("occurrence_key"),
                     corrects_id=record.get("corrects_id"), id=record.get("id"),
                     note=record.get("note") or "")


def _check_corrections(records: list[dict]) -> list[str]:
    """Each correction names an earlier record of the same dose, not yet corrected.

    The rules are the dose record's own (``domain.doses.validate_entry``), applied to
    each entry in the order it was made: a correction always comes after the entry
    it corrects, so a chain can never loop back on itself.
    """
    number_of = {r["id"]: n for n, r in enumerate(records, start=1) if r.get("id") is not None}
    slot_of = {r["id"]: r.get("slot_at") for r in records if r.get("id") is not None}
    chains: dict[int, list[DoseEntry]] = {}
    corrected_by: dict[int, int] = {}
    problems = []
    ordered = sorted((r for r in records if r.get("id") is not None), key=lambda r: r["id"])
    for record in ordered:
        entry = _as_entry(record)
        if entry is None or entry.id is None:
            continue
        where = f'"dose_entries" record {number_of[entry.id]}: field "corrects_id"'
        target = entry.corrects_id
        if target is None:
            problem = _first_misfiled(record, number_of[entry.id])
            if problem:
                problems.append(problem)
                continue
            chains[entry.id] = [entry]
            continue
        if target not in number_of:
            continue  # reported as a missing reference
        if target == entry.id:
            problems.append(f"{where} names the record itself.")
            continue
        if target > entry.id:
            problems.append(f"{where} must name an earlier record (a correction is made after "
                            f"the record it corrects; found {target}, record "
                            f"{number_of[target]}, and this record's id is {entry.id}).")
            continue
        chain = chains.get(target)
        if chain is None:
            continue  # the corrected entry was itself refused
        if target in corrected_by:
            problems.append(f"{where}: record {number_of[target]} is already corrected by "
                            f"record {corrected_by[target]} (a record is corrected at most "
                            "once; correct the latest one).")
            continue
        try:
            validate_entry(entry, now=_NO_CLOCK, corrected=RecordChain(tuple(chain)))
        except ValidationError as exc:
            message = exc.errors.get("corrects")
            if message:
                problems.append(f"{where} points at record {number_of[target]}, which is not "
                                f"about the same dose (medicine and due dose): {message}")
                continue
        problem = _misfiled(entry, slot_of[entry.id], slot_of[target], number_of)
        if problem:
            problems.append(problem)
            continue
        corrected_by[target] = number_of[entry.id]
        chain.append(entry)
        chains[entry.id] = chain
    return problems


def _first_misfiled(record: dict, number: int) -> str | None:
    """What is wrong when first record ``record`` (it corrects none) is not filed at its
    own time, its due time, else the time given, else the time recorded
    (``medications_repo.filed_at``, the rule every saved record follows); None when it
    is, or when a time is missing or not a time (reported by the content checks). The
    day's records are found by where they are filed: a record filed on another day than
    its own could show on no day at all."""
    slot = record.get("slot_at")
    own = record.get("due_at") or record.get("given_at") or record.get("recorded_at")
    if not isinstance(slot, str) or not isinstance(own, str):
        return None
    try:
        if text_to_moment(slot) == text_to_moment(own):
            return None
    except (TypeError, ValueError):
        return None
    field = next(name for name in ("due_at", "given_at", "recorded_at") if record.get(name))
    return (f'"dose_entries" record {number}: field "slot_at" is {slot}, but a record is '
            'filed at its own time: field "due_at", else "given_at", else "recorded_at" '
            f'(here {own}, its "{field}"). Otherwise the app could show the dose on no day.')


def _misfiled(entry: DoseEntry, slot: object, corrected_slot: object,
              number_of: dict[int, int]) -> str | None:
    """What is wrong when correction ``entry`` is not filed where the record it corrects
    is (``medications_repo.filed_at``, the rule every saved record follows); None when
    it is, or when a slot is missing (an export made before slots were kept: filled in
    by the update) or not text (reported by the content checks)."""
    if not isinstance(slot, str) or not isinstance(corrected_slot, str):
        return None
    expected = medications_repo.filed_at(entry, corrected_slot)
    if slot == expected:
        return None
    assert entry.id is not None and entry.corrects_id is not None
    return (f'"dose_entries" record {number_of[entry.id]}: field "slot_at" is {slot}, but '
            f"the record it corrects (record {number_of[entry.corrects_id]}) is filed at "
            f"{expected}. A correction is filed at the same time as the record it corrects; "
            "otherwise the app could show the dose without its correction.")


def _check_going_corrections(db: Database, tables: dict[str, list[dict]]) -> list[str]:
    """The correction chains of How things are going's five tables, by the domain's
    rules (``going.correction_problems``: the same as the dose record's)."""
    problems = []
    for measure in Measure:
        table = measure.value
        if table not in tables or "corrects_id" not in columns(db, table):
            continue
        records = [r if isinstance(r, dict) else {} for r in tables[table]]
        for index, message in sorted(correction_problems(records).items()):
            problems.append(f'"{table}" record {index + 1}: field "corrects_id" {message}.')
    return problems


# ---- Import: writing the records, one at a time in file order

#: What each CHECK rule of the schema means, by the text of the rule.
_RULES = (
    ("kind != 'given'", 'a given dose needs "given_at", an "amount" above 0 and a "unit"'),
    ("kind != 'skipped'", 'a dose marked not given needs a "skip_reason" and an '
                          '"occurrence_key"'),
    ("kind != 'entered_in_error'", 'a record entered in error must name the record it '
                                   'withdraws in "corrects_id"'),
    ("json_valid(regimen)", 'field "regimen" must be text holding a JSON object (a JSON '
                            'string in the file)'),
    ("dose_amount > 0", 'field "dose_amount" must be more than 0'),
    ("quantity >= 0", 'field "quantity" cannot be negative'),
    ("id = 1", 'field "id" must be 1 (there is only one such record)'),
)

_UNIQUE_MEANING = {
    ("dose_entries", ("corrects_id",)): "a record is corrected at most once",
    ("dose_entries", ("medicine_id", "occurrence_key")):
        'a due dose has one first record; a second one must correct it ("corrects_id")',
}


def _integrity_problem(db: Database, table: str, record: dict, exc: sqlite3.IntegrityError,
                       number_of_rowid: dict[int, int]) -> str:
    text = str(exc)
    if text.startswith("UNIQUE constraint failed:"):
        fields = tuple(part.strip().split(".", 1)[-1] for part in text.split(":", 1)[1]
                       .split(","))
        names = ", ".join(f'"{f}"' for f in fields)
        clause = " AND ".join(f"[{f}] IS ?" for f in fields)
        row = db.execute(f"SELECT rowid FROM [{table}] WHERE {clause} ORDER BY rowid LIMIT 1",
                         [record.get(f) for f in fields]).fetchone()
        other = f" as record {number_of_rowid[row[0]]}" if row and row[0] in number_of_rowid \
            else " as another record"
        meaning = _UNIQUE_MEANING.get((table, fields), "each record needs its own")
        label = "field" if len(fields) == 1 else "fields"
        return f"{label} {names} hold the same value{other} ({meaning})."
    if text.startswith("NOT NULL constraint failed:"):
        field = text.split(":", 1)[1].strip().split(".", 1)[-1]
        return f'field "{field}" is empty but is required.'
    if text.startswith("CHECK constraint failed"):
        rule = text.split(":", 1)[1].strip() if ":" in text else ""
        for marker, meaning in _RULES:
            if marker in rule:
                return f"{meaning}."
        mentioned = [c for c in columns(db, table) if re.search(rf"\b{re.escape(c)}\b", rule)]
        names = ", ".join(f'"{c}"' for c in mentioned) or "its fields"
        return f"{names} break the rule {rule!r}."
    return f"it cannot be stored ({text})."


def _without_derived(table: str, records: list[dict]) -> list[dict]:
    """``records`` without the fields the app works out again (``fields.Derived``: how a
    number is shown): the database's defaults stand in until then."""
    derived = derived_fields(table)
    if not derived:
        return records
    return [{k: v for k, v in r.items() if k not in derived} for r in records]


def _insert_in_file_order(db: Database, table: str, records: list[dict]
                          ) -> tuple[dict[int, int], list[str]]:
    """Insert ``records`` one by one; return rowid -> record number, and the problems."""
    number_of_rowid: dict[int, int] = {}
    problems = []
    statements: dict[tuple[str, ...], str] = {}
    for number, record in enumerate(records, start=1):
        fields = tuple(record)
        sql = statements.get(fields)
        if sql is None:
            names = ", ".join(f"[{f}]" for f in fields)
            marks = ", ".join("?" for _ in fields)
            sql = statements[fields] = (f"INSERT INTO [{table}] ({names}) VALUES ({marks})"
                                        if fields else f"INSERT INTO [{table}] DEFAULT VALUES")
        try:
            cursor = db.conn.execute(sql, [record[f] for f in fields])
        except sqlite3.IntegrityError as exc:
            problems.append(f'"{table}" record {number}: '
                            + _integrity_problem(db, table, record, exc, number_of_rowid))
            continue
        assert cursor.lastrowid is not None
        number_of_rowid[cursor.lastrowid] = number
    return number_of_rowid, problems


_RECORD = re.compile(r'^"(?P<table>[^"]+)" record (?P<number>\d+)')


def _in_file_order(problem: str, order: dict[str, list[int]]) -> str:
    """A content check counts records in the order they are stored (by id); the file's
    order may differ: say the record number in the file."""
    match = _RECORD.match(problem)
    if not match or match["table"] not in order:
        return problem
    numbers = order[match["table"]]
    index = int(match["number"]) - 1
    if not 0 <= index < len(numbers) or numbers[index] == index + 1:
        return problem
    return f'"{match["table"]}" record {numbers[index]}' + problem[match.end():]


# ---- Import: values the app's own forms would refuse


def _form_problems(db: Database) -> list[str]:
    """Run the domain's own checks (the forms') on the built records."""
    problems: list[str] = []

    def numbered(table: str, order_by: str = "rowid"):
        if not db.table(table).exists():
            return []
        return enumerate(db.query(f"SELECT * FROM [{table}] ORDER BY {order_by}"), start=1)

    def refused(table: str, number: int, field: str, exc: ValidationError, key: str) -> None:
        if key in exc.errors:
            problems.append(f'"{table}" record {number}: field "{field}" is not valid '
                            f"({exc.errors[key]})")

    for number, row in numbered("patient"):
        try:
            validate_patient(Patient(row.get("full_name") or "",
                                     allergy_status=AllergyStatus.NONE_KNOWN),
                             today=date.max)
        except ValidationError as exc:
            refused("patient", number, "full_name", exc, "full_name")
        emergency: dict[str, Any] = {k: str(row.get(k) or "") for k in EMERGENCY_LIMITS
                                     if k in row}
        for field, message in emergency_problems(Patient("x", **emergency)).items():
            problems.append(f'"patient" record {number}: field "{field}" is not valid '
                            f"({message})")
    for number, row in numbered("allergies"):
        try:
            # (a reaction is given so that an empty substance is what the check sees)
            validate_patient(Patient("x", allergy_status=AllergyStatus.HAS_ALLERGIES,
                                     allergies=(Allergy(row.get("substance") or "",
                                                        row.get("reaction") or "-"),)),
                             today=date.max)
        except ValidationError as exc:
            refused("allergies", number, "substance", exc, "allergies")
    for number, row in numbered("caregivers"):
        try:
            validate_caregiver(Caregiver(row.get("name") or "", row.get("initials") or ""))
        except ValidationError as exc:
            refused("caregivers", number, "name", exc, "name")
            refused("caregivers", number, "initials", exc, "initials")
    if db.table("contacts").exists():
        cols = columns(db, "contacts")
        for number, row in numbered("contacts"):
            contact = Contact(name=row.get("name") or "",
                              email=row.get("email") or "" if "email" in cols else "",
                              portal_url=row.get("portal_url") or "" if "portal_url" in cols
                              else "")
            try:
                validate_contact(contact, region=None)
            except ValidationError as exc:
                for field in ("name", "email", "portal_url"):
                    refused("contacts", number, field, exc, field)
    if db.table("contact_phones").exists():
        from caregiver_app.domain.phones import PhoneError, parse_phone

        for number, row in numbered("contact_phones"):
            typed = str(row.get("number") or "")
            if typed.isdigit() and len(typed) <= 6:
                continue  # a short number (911, 112): kept as its digits
            if row.get("extension"):
                typed += f" ext. {row['extension']}"
            try:
                parse_phone(typed, None)
            except PhoneError as exc:
                problems.append(f'"contact_phones" record {number}: field "number" is not valid '
                                f"({exc}); stored numbers are in international form, such as "
                                "+13125550142.")
    return problems


# ---- Import: the whole file

#: Feature checks of the built database beyond column types and references: each returns
#: plain messages naming table, record and field (e.g. a schedule the app cannot read).
CONTENT_CHECKS = (
    content_checks.core_problems,
    content_checks.careteam_problems,
    medications_repo.content_problems,
    _form_problems,
)


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
    db = Database(conn, execute_plugins=False)
    try:
        counts = _build(db, doc, stops)
    except TransferError:
        conn.close()
        dest.unlink(missing_ok=True)
        raise
    except sqlite3.Error as exc:
        conn.close()
        dest.unlink(missing_ok=True)
        raise TransferError([f"The records could not be rebuilt: {exc}."]) from exc
    except (ValueError, TypeError, KeyError, OverflowError, UnicodeError, RecursionError,
            MemoryError) as exc:  # a value no check above foresaw: refuse, never crash
        conn.close()
        dest.unlink(missing_ok=True)
        raise TransferError([f"The records could not be checked ({type(exc).__name__}: "
                             f"{str(exc)[:120]})."]) from exc
    except BaseException:
        conn.close()
        dest.unlink(missing_ok=True)
        raise
    conn.close()
    return counts


def _build(db: Database, doc: dict, stops: dict[str, str | None]) -> dict[str, int]:
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # checked as a whole below
    for mset in migrations.MIGRATION_SETS:
        stop = stops[mset.name]
        if stop is None:
            mset.apply(db)
        elif stop != migrations.names_in(mset)[0]:
            mset.apply(db, stop_before=stop)
    problems = _check_records(db, doc["tables"])
    if problems:
        raise TransferError(problems)
    tables: dict[str, list[dict]] = {t: _without_derived(t, doc["tables"][t])
                                     for t in data_tables(db)}
    problems = _check_keys(db, tables)
    if "dose_entries" in tables and {"corrects_id", "medicine_id"} <= set(
            columns(db, "dose_entries")):
        problems += _check_corrections(tables["dose_entries"])
    problems += _check_going_corrections(db, tables)
    if problems:
        raise TransferError(problems)
    order: dict[str, list[int]] = {}
    numbers: dict[str, dict[int, int]] = {}
    with db.atomic():
        for table, records in tables.items():
            number_of_rowid, found = _insert_in_file_order(db, table, records)
            problems += found
            numbers[table] = number_of_rowid
            order[table] = [number_of_rowid[r] for r in sorted(number_of_rowid)]
    if problems:
        raise TransferError(problems)
    bad_refs = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad_refs:  # a reference the checks above missed (they should not)
        raise TransferError([
            f'"{table}" record {numbers.get(table, {}).get(rowid, "?")} points at a missing '
            f'"{parent}" record.'
            for table, rowid, parent, _ in bad_refs
        ])
    conn.execute("PRAGMA foreign_keys = ON")
    migrations.apply_all(db)  # bring an older export up to date
    # how each number is shown is this version's, whatever the file says (careteam m004)
    refresh_phone_forms(db)
    problems = [_in_file_order(p, order) for check in CONTENT_CHECKS for p in check(db)]
    if problems:
        raise TransferError(problems)
    return {t: db.table(t).count for t in data_tables(db)}

