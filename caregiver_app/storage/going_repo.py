"""The records of "How things are going" (``domain.going``), append-only.

Rows are only ever inserted: a correction or a withdrawal is a new row naming the row it
corrects. Reading gives domain ``Entry`` objects; ``current`` applies the corrections.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from caregiver_app.domain.errors import NotFound, ValidationError
from caregiver_app.domain.going import (
    COMMON_RULES,
    VALUE_RULES,
    Chain,
    Entry,
    Measure,
    chains,
    current_entries,
)
from caregiver_app.storage.rows import last_id
from caregiver_app.storage.timestamps import date_to_text, moment_to_text, text_to_moment

if TYPE_CHECKING:
    from sqlite_utils import Database


def _stands(table: str) -> str:
    """The condition that row ``r`` of ``table`` is the latest of its chain (no row
    corrects it; found through the unique index on ``corrects_id``)."""
    return f" AND NOT EXISTS (SELECT 1 FROM {table} AS c WHERE c.corrects_id = r.id)"


def _columns(measure: Measure) -> list[str]:
    return [*COMMON_RULES, *VALUE_RULES[measure]]


class GoingRepository:
    def __init__(self, db: Database):
        self._db = db

    def add(self, entry: Entry, *, at: datetime, by: int | None) -> Entry:
        """Append ``entry`` (already validated) as typed at ``at`` by caregiver ``by``;
        returns it as stored, with its id. A second correction of the same row is
        refused (ValidationError), as the database refuses it."""
        row = {
            "on_day": date_to_text(entry.on_day),
            "note": entry.note,
            "recorded_at": moment_to_text(at),
            "recorded_by": by,
            "corrects_id": entry.corrects_id,
            "entered_in_error": 1 if entry.entered_in_error else 0,
            **entry.row(),
        }
        table = entry.measure.value
        with self._db.atomic():
            if entry.corrects_id is not None and self._db.execute(
                    f"SELECT 1 FROM {table} WHERE id = ?", [entry.corrects_id]
            ).fetchone() is None:
                raise NotFound("The entry to correct was not found.")
            try:
                new_id = last_id(self._db.table(table).insert(row))
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc) or "corrects_id" not in str(exc):
                    raise
                raise ValidationError({"corrects": (
                    "This entry was already corrected: correct the latest version "
                    "instead.")}) from exc
        return self.entry(entry.measure, new_id)

    def entry(self, measure: Measure, entry_id: int) -> Entry:
        rows = self._rows(measure, "WHERE id = ?", [entry_id])
        if not rows:
            raise NotFound(f"No {measure.label.lower()} entry with id {entry_id}.")
        return rows[0]

    def rows(self, measure: Measure) -> list[Entry]:
        """Every row of ``measure``, corrections and withdrawals included, by id."""
        return self._rows(measure, "", [])

    def chain(self, measure: Measure, entry_id: int) -> Chain:
        """The chain ``entry_id`` belongs to."""
        for found in chains(self.rows(measure)):
            if any(r.id == entry_id for r in found.rows):
                return found
        raise NotFound(f"No {measure.label.lower()} entry with id {entry_id}.")

    def current(self, measure: Measure, first: date | None = None,
                last: date | None = None) -> list[Entry]:
        """The entries as they stand (corrections applied), by day, within
        ``first``-``last`` when given."""
        found = current_entries(self.rows(measure))
        return [e for e in found if (first is None or e.on_day >= first)
                and (last is None or e.on_day <= last)]

    def latest_day(self, measure: Measure, *, skip_usual: bool = False) -> date | None:
        """The day of the latest entry of ``measure`` as it stands (``current(measure)
        [-1].on_day``; ``skip_usual``: weights only, not the usual weight), found
        without reading the others: through the index on the day, an entry stands when
        it is not withdrawn and no row corrects it (a row is corrected at most once, by
        a later row: the database and the importer refuse anything else)."""
        usual = " AND NOT coalesce(r.usual, 0)" if skip_usual else ""
        row = self._db.execute(
            f"SELECT r.on_day FROM {measure.value} AS r WHERE r.entered_in_error = 0"
            f"{usual}{_stands(measure.value)} ORDER BY r.on_day DESC LIMIT 1").fetchone()
        return date.fromisoformat(row[0]) if row is not None else None

    def answered(self, dose_ids: Iterable[int]) -> set[int]:
        """Which of these as-needed doses have an answer that stands ("did it help?"),
        read through the index on the dose, not every answer ever given."""
        ids = sorted(set(dose_ids))
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        return {int(r[0]) for r in self._db.execute(
            f"SELECT r.dose_entry_id FROM {Measure.EFFECT.value} AS r "
            f"WHERE r.dose_entry_id IN ({marks}) AND r.entered_in_error = 0"
            f"{_stands(Measure.EFFECT.value)}",
            ids).fetchall()}

    def chains(self, measure: Measure) -> list[Chain]:
        return chains(self.rows(measure))

    def ids(self, measure: Measure) -> list[int]:
        """Every row's id, by id (no values read)."""
        return [int(r[0]) for r in self._db.execute(
            f"SELECT id FROM {measure.value} ORDER BY id").fetchall()]

    def count(self, measure: Measure) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {measure.value}").fetchone()[0])

    def _rows(self, measure: Measure, where: str, params: list[object]) -> list[Entry]:
        names = _columns(measure)
        sql = (f"SELECT {', '.join(names)} FROM {measure.value} {where} ORDER BY id")
        values = list(VALUE_RULES[measure])
        found = []
        for row in self._db.execute(sql, params).fetchall():
            data = dict(zip(names, row, strict=True))
            found.append(Entry(
                measure=measure, on_day=date.fromisoformat(data["on_day"]),
                values={k: data[k] for k in values if data[k] is not None},
                note=data["note"], recorded_at=text_to_moment(data["recorded_at"]),
                recorded_by_id=data["recorded_by"], corrects_id=data["corrects_id"],
                entered_in_error=bool(data["entered_in_error"]), id=data["id"]))
        return found
