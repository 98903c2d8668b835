"""Issue #12 item 10: every field of every table, at its boundary values, through import.

For each field of each table (the domain's list, ``domain/fields.FIELDS``, which a test
in ``test_transfer`` keeps equal to the schema) and each value at or just past the edge
of its rule, the example household's export is changed in one record and imported.
Either the import is refused with a message naming the field, or it is accepted and the
app then works on the imported records: Today (three days of the day view, a fortnight's
statuses, each medicine's stock, history and as-needed state), every printed sheet,
the reminders (armed and checked), and every export (JSON, calendar, CSV, vCard).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sharing_rows import insert_sharing_rows

from caregiver_app.domain.fields import FIELDS
from caregiver_app.domain.values import (
    Checked,
    Day,
    Flag,
    Moment,
    Number,
    OneOf,
    Ref,
    Rule,
    Text,
    Whole,
)
from caregiver_app.services.demo import populate_example
from caregiver_app.storage import transfer
from caregiver_app.storage.db import open_database

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)

DAYS = ("1899-12-31", "1900-01-01", "2200-12-31", "2201-01-01", "0202-01-01", "9999-12-31")
MOMENTS = ("1900-01-01T00:00:00+00:00", "2200-12-31T23:59:59+00:00",
           "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
           "1900-01-01T00:00:00+14:00",  # 1899 in UTC
           "2026-11-24T14:00:00")  # no zone


def boundary_values(rule: Rule) -> list[Any]:
    """The values at and just past the edges of ``rule``, and null."""
    found: list[Any] = [None]
    if isinstance(rule, Whole):
        found += [rule.low - 1, rule.low, rule.high, rule.high + 1]
    elif isinstance(rule, Number):
        found += [rule.low - 1, rule.low, rule.high, rule.high + 1, 1e308]
    elif isinstance(rule, Text):
        found += ["", "x" * rule.limit, "x" * (rule.limit + 1)]
    elif isinstance(rule, Day):
        found += list(DAYS)
    elif isinstance(rule, Moment):
        found += list(MOMENTS)
    elif isinstance(rule, Flag):
        found += [0, 1, 2]
    elif isinstance(rule, OneOf):
        found += ["", "bogus"]
    elif isinstance(rule, Ref):
        found += [0, 2**63 - 1]
    elif isinstance(rule, Checked):
        found += ["", "bogus", "9" * 21]
    return found


def _base_document(folder: Path) -> dict:
    """The example household with a record in every table."""
    db = open_database(folder / "caregiver.sqlite3")
    populate_example(db, today=TODAY, time_zone="America/Chicago", now=NOW)
    db.table("reminder_log").insert({
        "subject": "dose:1:2026-11-24T08:00", "due_at": "2026-11-24T14:00:00+00:00",
        "announced_at": "2026-11-24T14:00:00+00:00", "how": "reminder",
        "last_shown_at": "2026-11-24T14:10:00+00:00", "snoozed_until": None})
    db.table("reminder_watch").insert({"id": 1, "watched_until": "2026-11-25T17:00:00+00:00"})
    db.table("learn_notes").insert({"article_id": "riluzole", "text": "Ask about the liquid.",
                                    "updated_at": "2026-11-25T12:00:00+00:00"})
    db.table("learn_bookmarks").insert({"article_id": "riluzole",
                                        "created_at": "2026-11-25T12:00:00+00:00"})
    if db.table("calendar_exports").exists():
        db.table("calendar_exports").insert({
            "target": "/home/pat/doses.ics", "uid": "dose-1-a-b@example", "sequence": 0,
            "starts_at": "2026-11-25T14:00:00+00:00", "ends_at": "2026-11-25T14:15:00+00:00",
            "summary": "Riluzole", "category": "Medicines", "fingerprint": "abc",
            "cancelled": 0, "exported_at": "2026-11-25T12:00:00+00:00"})
    insert_sharing_rows(db)
    doc = json.loads(json.dumps(transfer.export_document(db, app_version="t")))
    db.close()
    # How things are going: a few of the example's six months of entries show each field
    # (every case rebuilds the records, and checks the app works on them)
    for table in ("symptom_checks", "weight_entries"):
        doc["tables"][table] = [r for r in doc["tables"][table]
                                if r["corrects_id"] is None][:4]
    assert all(doc["tables"][t] for t in FIELDS), "every table needs a record"
    return doc


class _Clock:
    def now(self) -> datetime:
        return NOW


def _app_works_on(folder: Path) -> None:
    """Today, printing, reminders and every export on the records in ``folder``."""
    from caregiver_app.core import open_core
    from caregiver_app.domain.reminders import ReminderSettings
    from caregiver_app.services.printing.service import PrintKind
    from caregiver_app.services.reminders import ReminderService
    from caregiver_app.services.vcard import write_vcards
    from caregiver_app.storage.reminders_repo import ReminderRepository

    core = open_core(folder, _Clock())
    try:
        book = core.medications
        today = book.today()
        for offset in (-1, 0, 1):
            book.day(today + timedelta(days=offset))
        book.statuses(today - timedelta(days=7), today + timedelta(days=7))
        for medicine in book.medicines():
            book.supply(medicine.id)
            book.history(medicine.id)
            book.prn_status(medicine.id)
        for kind in PrintKind:
            core.printing.document(kind, today)
        core.printing.export_calendar(folder / "doses.ics", today, today + timedelta(days=1))
        core.printing.export_history(folder / "history.csv", today - timedelta(days=1), today)
        transfer.export_document(core.db, app_version="t")
        write_vcards(core.careteam.contacts() + core.careteam.archived_contacts())
        core.careteam.upcoming(NOW, NOW + timedelta(days=30))
        reminders = ReminderService(book, ReminderRepository(core.db), clock=core.clock,
                                    settings=ReminderSettings,
                                    appointments=core.careteam.upcoming,
                                    monotonic=lambda: 0.0)
        try:
            reminders.start()
            reminders.check_clock()
        finally:
            reminders.stop()
    finally:
        core.close()


@dataclass(frozen=True)
class Case:
    table: str
    field: str
    value: Any
    index: int  # the record changed, by its place in the table

    def apply(self, doc: dict) -> None:
        doc["tables"][self.table][self.index][self.field] = self.value

    def __str__(self) -> str:
        return f"{self.table}.{self.field} = {str(self.value)[:30]!r}"


def _cases(base: dict) -> list[Case]:
    found = []
    for table, rules in FIELDS.items():
        records = base["tables"][table]
        for field, rule in rules.items():
            index = next((n for n, r in enumerate(records) if r.get(field) is not None), 0)
            found += [Case(table, field, value, index) for value in boundary_values(rule)]
    return found


def _named(case: Case, message: str) -> bool:
    """The message names the field itself, or the field is an id others point at."""
    return (f'"{case.field}"' in message or (
        case.field == "id" and "points at a missing" in message)) \
        and "could not be checked" not in message


def _record_problems(db, case: Case, doc: dict) -> list[str]:
    """What the importer's first check (each record's fields, on their own) finds in the
    changed table of ``doc``: the problems ``build_database`` refuses the file with
    before anything else is looked at."""
    problems = transfer._check_records(db, {case.table: doc["tables"][case.table]})
    return [p for p in problems if not p.startswith("Table ")]  # (the other tables)


def _batches(cases: list[Case]) -> list[list[Case]]:
    """Cases in groups that change one record of each table at most."""
    by_table: dict[str, list[Case]] = {}
    for case in cases:
        by_table.setdefault(case.table, []).append(case)
    groups: list[list[Case]] = []
    while any(by_table.values()):
        groups.append([queue.pop(0) for queue in by_table.values() if queue])
    return groups


def test_every_field_at_its_boundaries_is_refused_by_name_or_works_everywhere(qapp):
    """Each value is judged as if it were the only change to the file.

    Kept fast without judging less: a value the importer's first check refuses (each
    record's fields on their own, which ``build_database`` runs first and refuses the
    whole file on) is found with that check alone, and for each table the first such
    value is also imported whole, to show both say the same. Every other value is
    imported with values of other tables, one record per table; when that file is
    accepted the app is checked on it once. From a group refused, the values whose
    records the problems name are imported alone and the rest again as a group; a group
    refused naming none of them, or one the app breaks on, is halved until each value
    is judged alone.
    """
    shm = Path("/dev/shm")  # (fsync is free there: hundreds of imports take seconds)
    root = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else None))
    try:
        base = _base_document(root / "base")
        schema = open_database(root / "schema.sqlite3")  # the tables, for the first check
        cases = _cases(base)
        refused: Counter[str] = Counter()
        accepted: Counter[str] = Counter()
        unnamed: list[str] = []
        broken: list[str] = []
        imports = 0
        folder = root / "case"

        def build(changes: list[Case]) -> list[str] | None:
            """Import the base document with ``changes``: the problems, None if
            accepted."""
            nonlocal imports
            imports += 1
            doc = json.loads(json.dumps(base))
            for change in changes:
                change.apply(doc)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                transfer.build_database(doc, folder / "caregiver.sqlite3")
            except transfer.TransferError as exc:
                return list(exc.problems)
            return None

        def works(changes: list[Case]) -> bool:
            try:
                _app_works_on(folder)
            except Exception as exc:
                if len(changes) == 1:
                    broken.append(f"{changes[0]}: {type(exc).__name__}: {str(exc)[:160]}")
                return False
            accepted.update(f"{c.table}.{c.field}" for c in changes)
            return True

        def alone(case: Case) -> None:
            problems = build([case])
            if problems is None:
                works([case])
                return
            refused[f"{case.table}.{case.field}"] += 1
            message = "\n".join(problems)
            if not _named(case, message):
                unnamed.append(f"{case}: {message[:200]}")

        later: list[Case] = []
        shown: set[str] = set()  # tables whose first-check refusal was imported whole
        for case in cases:
            doc = {"tables": {case.table: [dict(r) for r in base["tables"][case.table]]}}
            case.apply(doc)
            problems = _record_problems(schema, case, doc)
            if not problems:
                later.append(case)
                continue
            refused[f"{case.table}.{case.field}"] += 1
            message = "\n".join(problems)
            if not _named(case, message):
                unnamed.append(f"{case}: {message[:200]}")
            if case.table not in shown:
                shown.add(case.table)
                whole = build([case])
                assert whole is not None and [p for p in whole if p in problems] == \
                    problems, f"{case}: the import said {whole}, the first check {problems}"
        def judge(group: list[Case]) -> None:
            if len(group) == 1:
                alone(group[0])
                return
            problems = build(group)
            if problems is None and works(group):
                return
            # the values whose records the problems name are judged alone first
            message = "\n".join(problems or ())
            named = [c for c in group if f'"{c.table}" record {c.index + 1}:' in message]
            if named and len(named) < len(group):
                for case in named:
                    alone(case)
                judge([c for c in group if c not in named])
            else:  # (refused for a reason naming none of them, or the app broke)
                judge(group[:len(group) // 2])
                judge(group[len(group) // 2:])

        for group in _batches(later):
            judge(group)
        schema.close()
        fields = sum(len(r) for r in FIELDS.values())
        total = sum(refused.values()) + sum(accepted.values()) + len(broken)
        print(f"\nfield boundaries: {fields} fields of {len(FIELDS)} tables, {len(cases)} "
              f"values: {sum(refused.values())} refused, {sum(accepted.values())} accepted "
              f"and worked, {len(broken)} broke the app; {imports} imports")
        assert fields >= 242 and len(cases) >= 1100  # the sweep checked what it says
        assert total == len(cases), "every value judged once"
        assert unnamed == [], "refused without naming the field:\n" + "\n".join(unnamed)
        assert broken == [], "accepted, then the app broke:\n" + "\n".join(broken)
    finally:
        shutil.rmtree(root, ignore_errors=True)
