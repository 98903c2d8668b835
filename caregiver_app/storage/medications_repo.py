"""Medicines and the dose record in SQLite. Returns domain objects; never edits history.

Medicines are written as a row of details plus versions and status changes that are
only ever added. The dose record is append-only: ``add_entry`` appends one ``DoseEntry``
(a correction is a new entry), and triggers in the schema refuse UPDATE and DELETE.
Stock is a list of supply events; the stock a medicine's doses used is summed in SQL.

Every write that touches more than one row, or reads before it writes (``add_entry``
reads the slot of the record it corrects), runs inside ``db.atomic()``: the records'
write transaction (``rows.write_transaction``), begun with BEGIN IMMEDIATE, so another
connection's commit between the read and the write is waited for, never a failure.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind, RecordChain, build_chains
from caregiver_app.domain.errors import NotFound, ValidationError
from caregiver_app.domain.medicines import (
    GivenBy,
    Medicine,
    MedicineVersion,
    StatusChange,
    SupplySettings,
)
from caregiver_app.domain.regimens import (
    CycleShift,
    regimen_from_dict,
    regimen_to_dict,
    validate_regimen,
)
from caregiver_app.domain.supply import SupplyEvent, SupplyEventKind, usage_total
from caregiver_app.domain.values import parse_day, parse_moment
from caregiver_app.domain.vocab import (
    FoodRule,
    FoodRuleKind,
    Form,
    MedicineStatus,
    Route,
    SkipReason,
)
from caregiver_app.storage.rows import dict_rows, last_id, one_snapshot
from caregiver_app.storage.timestamps import (
    date_to_text,
    moment_to_text,
    text_to_date,
    text_to_moment,
)

_ENTRY_COLUMNS = (
    "id, medicine_id, occurrence_key, due_at, given_at, kind, amount, unit, caregiver_id, "
    "skip_reason, note, override_reason, recorded_at, recorded_by, corrects_id"
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from caregiver_app.domain.history import CycleShiftRecord, VersionRecord
    from caregiver_app.domain.tick_sources import DoseSource


# The ranges the day view and the date ranges ask for, each served by one index.
_FILED_IN = "SELECT id FROM dose_entries WHERE slot_at >= {lo} AND slot_at < {hi}"
#: Unscheduled doses given in the range, each with its whole correction chain: every
#: record of the chain is filed where it began (``filed_at``), so the chain of a record
#: given then is the records of its medicine filed at its ``slot_at``. (The record given
#: then alone was a part of a chain: a dose re-timed to another day and back read as
#: given on both days, and a corrected one as not corrected.) Not DISTINCT: the ids go
#: into ``_entries_in``'s ``id IN (...)``, where a repeated id counts once, and SQLite
#: would make a temporary table for each DISTINCT (``_entries_in`` says what that costs).
_GIVEN_IN = ("SELECT e.id FROM (SELECT medicine_id, slot_at FROM dose_entries "
             "WHERE occurrence_key IS NULL AND given_at >= {lo} AND given_at < {hi}) g "
             "JOIN dose_entries e ON e.medicine_id = g.medicine_id AND e.slot_at = g.slot_at "
             "WHERE e.occurrence_key IS NULL")
_UNSCHEDULED_FILED_IN = ("SELECT id FROM dose_entries WHERE occurrence_key IS NULL "
                         "AND slot_at >= {lo} AND slot_at < {hi}")
#: Scheduled doses by their key (an index range per medicine): clock-time keys start with
#: the scheduled date, so a record is found on its dose's day whatever time zone it was
#: recorded in; loading-course keys name no date and are few: all are read.
_KEYED_ON = ("SELECT id FROM dose_entries WHERE medicine_id IN (SELECT id FROM medicines) "
             "AND occurrence_key >= {lo} AND occurrence_key < {hi}")
_LOADING_KEYS = ("loading:", "loading;")  # every key that starts with "loading:"
#: One dose's records ({lo} is its key; {hi}, the same, is not used), and one medicine's
#: records in a key range.
_ONE_DOSE = ("SELECT id FROM dose_entries WHERE medicine_id = {medicine_id} "
             "AND occurrence_key = {lo}")
_ONE_MEDICINE = ("SELECT id FROM dose_entries WHERE medicine_id = {medicine_id} "
                 "AND occurrence_key >= {lo} AND occurrence_key < {hi}")
#: A medicine with more loading doses asked than this has all its loading records read.
_MOST_DOSES_BY_KEY = 16
#: At most this many loading terms in one query: SQLite joins at most 500 SELECTs (UNION ALL)
#: (SQLITE_MAX_COMPOUND_SELECT), and a read has up to six other ranges.
_MOST_LOADING_TERMS = 400


@dataclass(frozen=True)
class LoadingWanted:
    """Which of the loading courses' dose records a read needs (their keys name no
    date, so a day's read cannot find them by date): every record of the doses in
    ``doses`` ((medicine id, key) pairs), and every loading-course record of the
    medicines in ``medicines``."""

    doses: frozenset[tuple[int, str]] = frozenset()
    medicines: frozenset[int] = frozenset()
#: Makes an inclusive upper bound of stored text times (whole seconds) half-open.
_INSTANT = timedelta(seconds=1)


def filed_at(entry: DoseEntry, corrected_slot: str | None) -> str:
    """The ``slot_at`` a dose record is filed under, as stored: a correction where the
    record it corrects is filed (``corrected_slot``), so a chain stays filed where it
    started; any other record at its own slot. The records of a day, the recent ones
    and "Did it help?" are found by this column: a correction filed at another time
    would be missed beside its original, and the dose shown as it was before it.
    ``add_entry`` files every record by it; an import refuses a file that breaks it."""
    if entry.corrects_id is not None:
        if corrected_slot is None:
            raise NotFound("The record to correct was not found.")
        return corrected_slot
    return moment_to_text(entry.slot_at)


class MedicationRepository:
    def __init__(self, db: Database):
        self._db = db

    def atomic(self):
        """A write transaction for several writes and the reads they depend on
        (``rows.write_transaction``: BEGIN IMMEDIATE; nests as a savepoint)."""
        return self._db.atomic()

    # ---- Medicines

    def add_medicine(self, medicine: Medicine, *, by: int | None, at: datetime) -> Medicine:
        """Insert a new medicine with its versions (and any status history and shifts),
        added ``at`` (or at its own ``added_at``, for records written in earlier)."""
        stamp = moment_to_text(at)
        with self._db.atomic():
            row = self._details_row(medicine)
            added = moment_to_text(medicine.added_at) if medicine.added_at else stamp
            row.update(created_at=added, created_by=by, updated_at=stamp, updated_by=by)
            medicine_id = last_id(self._db.table("medicines").insert(row))
            for version in medicine.versions:
                self._insert_version(medicine_id, version, by=by, at=at)
            for change in medicine.status_history:
                self._insert_status(medicine_id, change, by=by, at=at)
            for shift in medicine.cycle_shifts:
                self._insert_shift(medicine_id, shift, by=by, at=at)
        return self.medicine(medicine_id)

    def update_details(self, medicine: Medicine, *, by: int | None, at: datetime) -> Medicine:
        """Save the fields that are not versioned (versions are added, never edited)."""
        if medicine.id is None:
            raise NotFound("The medicine has not been saved yet.")
        row = self._details_row(medicine)
        row.update(updated_at=moment_to_text(at), updated_by=by)
        with self._db.atomic():
            self._require(medicine.id)
            self._db.table("medicines").update(medicine.id, row)
        return self.medicine(medicine.id)

    def add_version(self, medicine_id: int, version: MedicineVersion, *, by: int | None,
                    at: datetime) -> Medicine:
        with self._db.atomic():
            self._require(medicine_id)
            self._insert_version(medicine_id, version, by=by, at=at)
            self._touch(medicine_id, by, at)
        return self.medicine(medicine_id)

    def add_status(self, medicine_id: int, change: StatusChange, *, by: int | None,
                   at: datetime) -> Medicine:
        with self._db.atomic():
            self._require(medicine_id)
            self._insert_status(medicine_id, change, by=by, at=at)
            self._touch(medicine_id, by, at)
        return self.medicine(medicine_id)

    def add_cycle_shift(self, medicine_id: int, shift: CycleShift, *, by: int | None,
                        at: datetime) -> Medicine:
        with self._db.atomic():
            self._require(medicine_id)
            self._insert_shift(medicine_id, shift, by=by, at=at)
            self._touch(medicine_id, by, at)
        return self.medicine(medicine_id)

    def resume_cycle_shift(self, shift_id: int, days: int, *, by: int | None,
                           at: datetime) -> None:
        """Complete a hold: from now on it is a delay of ``days``."""
        with self._db.atomic():
            row = self._db.execute(
                "SELECT medicine_id FROM cycle_shifts WHERE id = ? AND days IS NULL "
                "AND withdrawn_at IS NULL", [shift_id]).fetchone()
            if row is None:
                raise NotFound("That pause of the cycle was not found or already ended.")
            self._db.table("cycle_shifts").update(
                shift_id, {"days": days, "resumed_at": moment_to_text(at), "resumed_by": by})
            self._touch(row[0], by, at)

    def withdraw_cycle_shift(self, shift_id: int, *, by: int | None, at: datetime) -> None:
        """Undo a shift entered by mistake (it stays in the table, marked withdrawn)."""
        with self._db.atomic():
            row = self._db.execute(
                "SELECT medicine_id FROM cycle_shifts WHERE id = ? AND withdrawn_at IS NULL",
                [shift_id]).fetchone()
            if row is None:
                raise NotFound("That change to the cycle was not found.")
            self._db.table("cycle_shifts").update(
                shift_id, {"withdrawn_at": moment_to_text(at), "withdrawn_by": by})
            self._touch(row[0], by, at)

    def medicine(self, medicine_id: int) -> Medicine:
        found = self._load("WHERE id = ?", [medicine_id])
        if not found:
            raise NotFound(f"No medicine with id {medicine_id}.")
        return found[0]

    def medicines(self) -> list[Medicine]:
        """Every medicine (stopped ones too), by name."""
        return self._load("", [])

    # ---- Dose record

    def add_entry(self, entry: DoseEntry) -> DoseEntry:
        """Append one entry; returns it as stored (with its id)."""
        with self._db.atomic():
            corrected = None
            if entry.corrects_id is not None:
                row = self._db.execute("SELECT slot_at FROM dose_entries WHERE id = ?",
                                       [entry.corrects_id]).fetchone()
                corrected = row[0] if row is not None else None
            slot_text = filed_at(entry, corrected)  # (NotFound: no record to correct)
            row = {
                "medicine_id": entry.medicine_id,
                "occurrence_key": entry.occurrence_key,
                "due_at": moment_to_text(entry.due_at),
                "slot_at": slot_text,
                "kind": entry.kind.value,
                "given_at": moment_to_text(entry.given_at),
                "amount": entry.amount.amount if entry.amount else None,
                "unit": entry.amount.unit if entry.amount else None,
                "caregiver_id": entry.caregiver_id,
                "skip_reason": entry.skip_reason.value if entry.skip_reason else None,
                "note": entry.note,
                "override_reason": entry.override_reason,
                "recorded_at": moment_to_text(entry.recorded_at),
                "recorded_by": entry.recorded_by_id,
                "corrects_id": entry.corrects_id,
            }
            try:
                new_id = last_id(self._db.table("dose_entries").insert(row))
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise
                raise ValidationError({"corrects": (
                    "This dose was already recorded (or that record already corrected); "
                    "correct the latest record instead.")}) from exc
        stored = self.entry(new_id)
        assert stored is not None
        return stored

    def entry(self, entry_id: int) -> DoseEntry | None:
        rows = self._entries(f"SELECT {_ENTRY_COLUMNS} FROM dose_entries WHERE id = ?",
                             [entry_id])
        return rows[0] if rows else None

    def chain(self, entry_id: int) -> RecordChain:
        """The whole correction chain ``entry_id`` belongs to."""
        rows = self._entries(f"""
            WITH RECURSIVE up(id, corrects_id) AS (
                SELECT id, corrects_id FROM dose_entries WHERE id = :id
                UNION ALL
                SELECT d.id, d.corrects_id FROM dose_entries d JOIN up ON d.id = up.corrects_id
            ),
            down(id) AS (
                SELECT id FROM up WHERE corrects_id IS NULL
                UNION ALL
                SELECT d.id FROM dose_entries d JOIN down ON d.corrects_id = down.id
            )
            SELECT {_ENTRY_COLUMNS} FROM dose_entries WHERE id IN (SELECT id FROM down)
            ORDER BY id""", {"id": entry_id})
        if not rows:
            raise NotFound(f"No dose record with id {entry_id}.")
        return build_chains(rows)[0]

    def chains_for_dose(self, medicine_id: int, key: str) -> list[RecordChain]:
        return build_chains(self._entries(
            f"SELECT {_ENTRY_COLUMNS} FROM dose_entries "
            "WHERE medicine_id = ? AND occurrence_key = ? ORDER BY id", [medicine_id, key]))

    def entries_between(self, start: datetime, end: datetime, *,
                        medicine_id: int | None = None,
                        key_days: tuple[date, date] | None = None,
                        loading: LoadingWanted | None = None) -> list[DoseEntry]:
        """Entries filed in ``[start, end)``: scheduled doses due then, unscheduled doses
        given then (with their whole correction chains). With ``key_days`` (first, last),
        also every record of a scheduled dose of those local dates, and of the loading
        courses, wherever its due time was filed (a record made in another time zone).
        ``loading``: of the loading courses' records (their keys name no date), only
        those of these doses and these medicines (``LoadingWanted``), not all of them."""
        return self._entries_in([(_FILED_IN, start, end), (_GIVEN_IN, start, end),
                                 *_keyed(key_days, loading)], medicine_id=medicine_id)

    def entries_for_day(self, start: datetime, end: datetime, now: datetime,
                        lookback: timedelta = timedelta(hours=24), *,
                        key_days: tuple[date, date] | None = None,
                        loading: LoadingWanted | None = None) -> list[DoseEntry]:
        """What ``dayview.build_day_view`` needs: the day's entries plus the unscheduled
        doses given in ``[now - lookback, now]`` (as-needed limits), each with its
        corrections (they share the ``slot_at`` and key of the entry they correct);
        ``key_days`` and ``loading`` as for ``entries_between``."""
        back, until = now - lookback, now + _INSTANT
        return self._entries_in([(_FILED_IN, start, end), (_GIVEN_IN, start, end),
                                 (_UNSCHEDULED_FILED_IN, back, until),
                                 (_GIVEN_IN, back, until), *_keyed(key_days, loading)])

    def prn_entries(self, medicine_id: int, since: datetime, until: datetime) -> list[DoseEntry]:
        """Unscheduled entries of one medicine given in ``[since, until]``, with the
        corrections of those first given then (a correction keeps its chain's ``slot_at``,
        so a withdrawn or re-timed dose is never read without its correction)."""
        return self._entries_in([(_UNSCHEDULED_FILED_IN, since, until + _INSTANT),
                                 (_GIVEN_IN, since, until + _INSTANT)],
                                medicine_id=medicine_id)

    def loading_entries(self, medicine_ids: Iterable[int]) -> list[DoseEntry]:
        """Every entry of loading-regimen doses of these medicines (for re-anchoring)."""
        ids = list(medicine_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        # a key range, not LIKE (which SQLite cannot answer from the index on
        # (medicine_id, occurrence_key)): reads the loading doses, not years of others
        return self._entries(
            f"SELECT {_ENTRY_COLUMNS} FROM dose_entries WHERE medicine_id IN ({marks}) "
            "AND occurrence_key >= ? AND occurrence_key < ? ORDER BY id",
            [*ids, *_LOADING_KEYS])

    def loading_stamp(self, medicine_ids: Iterable[int]) -> tuple[int, int]:
        """(how many, newest id) of the entries ``loading_entries`` would read: the dose
        record is append-only, so an equal stamp means the same entries."""
        ids = list(medicine_ids)
        if not ids:
            return (0, 0)
        marks = ",".join("?" * len(ids))
        count, newest = self._db.execute(
            f"SELECT count(*), max(id) FROM dose_entries WHERE medicine_id IN ({marks}) "
            "AND occurrence_key >= ? AND occurrence_key < ?", [*ids, *_LOADING_KEYS]
        ).fetchone()
        return count, newest or 0

    def recorded_keys(self, medicine_id: int, *, since: date | None = None) -> set[str]:
        """Keys of due doses of this medicine that have an effective entry; with ``since``,
        only doses scheduled on or after that day (clock-time keys start with their date,
        so the index finds them) and loading-course doses."""
        sql = (f"SELECT {_ENTRY_COLUMNS} FROM dose_entries WHERE medicine_id = ? "
               "AND occurrence_key IS NOT NULL")
        params: list[object] = [medicine_id]
        if since is not None:
            sql += " AND (occurrence_key >= ? OR occurrence_key LIKE 'loading:%')"
            params.append(since.isoformat())
        chains = build_chains(self._entries(sql + " ORDER BY id", params))
        return {c.key for c in chains if c.key is not None and c.effective is not None}

    def recorded_keys_due_between(self, medicine_id: int, start: datetime,
                                  end: datetime) -> set[str]:
        """Keys of this medicine's doses due in ``[start, end)`` whose latest entry is a
        record (given or not given, not withdrawn): one indexed query, no chains built."""
        rows = self._db.execute(
            "SELECT occurrence_key FROM dose_entries d WHERE medicine_id = ? "
            "AND slot_at >= ? AND slot_at < ? AND occurrence_key IS NOT NULL "
            "AND kind != 'entered_in_error' "
            "AND NOT EXISTS (SELECT 1 FROM dose_entries c WHERE c.corrects_id = d.id)",
            [medicine_id, moment_to_text(start), moment_to_text(end)]).fetchall()
        return {key for (key,) in rows}

    def effective_given(self, medicine_id: int, *, since: datetime | None = None
                        ) -> list[DoseEntry]:
        """Given entries of this medicine that are the last word on their dose."""
        sql = (f"SELECT {_ENTRY_COLUMNS} FROM dose_entries d WHERE medicine_id = ? "
               "AND kind = 'given' AND NOT EXISTS "
               "(SELECT 1 FROM dose_entries c WHERE c.corrects_id = d.id)")
        params: list[object] = [medicine_id]
        if since is not None:
            sql += " AND given_at > ?"
            params.append(moment_to_text(since))
        return self._entries(sql + " ORDER BY given_at", params)

    def given_usage(self, medicine_id: int, *, settings: SupplySettings, strength: str,
                    since: datetime | None, until: datetime) -> float:
        """Stock used by the doses of this medicine effectively given in ``(since, until]``,
        as ``domain.supply.usage_of`` counts each (summed in SQL per unit of the dose)."""
        sql = ("SELECT unit, COALESCE(SUM(amount), 0), count(*) FROM dose_entries d "
               "WHERE medicine_id = :medicine_id AND kind = 'given' AND given_at <= :until "
               "AND NOT EXISTS (SELECT 1 FROM dose_entries c WHERE c.corrects_id = d.id)")
        params: dict[str, object] = {"medicine_id": medicine_id, "until": moment_to_text(until)}
        if since is not None:
            sql += " AND given_at > :since"
            params["since"] = moment_to_text(since)
        total = 0.0
        for unit, amount, count in self._db.execute(sql + " GROUP BY unit", params):
            total += usage_total(settings, unit or "", float(amount), int(count),
                                 strength) or 0.0
        return total

    # ---- Stock

    def add_supply_event(self, event: SupplyEvent) -> SupplyEvent:
        with self._db.atomic():
            self._require(event.medicine_id)
            new_id = self._db.table("supply_events").insert({
                "medicine_id": event.medicine_id,
                "kind": event.kind.value,
                "quantity": event.quantity,
                "at": moment_to_text(event.at),
                "note": event.note,
                "recorded_at": moment_to_text(event.recorded_at or event.at),
                "recorded_by": event.recorded_by_id,
            }).last_pk
        return next(e for e in self.supply_events(event.medicine_id) if e.id == new_id)

    def supply_events(self, medicine_id: int) -> list[SupplyEvent]:
        return [
            SupplyEvent(medicine_id=r["medicine_id"], kind=SupplyEventKind(r["kind"]),
                        quantity=r["quantity"], at=text_to_moment(r["at"]),
                        recorded_by_id=r["recorded_by"], note=r["note"],
                        recorded_at=text_to_moment(r["recorded_at"]), id=r["id"])
            for r in dict_rows(self._db.execute(
                "SELECT * FROM supply_events WHERE medicine_id = ? ORDER BY at, id",
                [medicine_id]))
        ]

    # ---- History

    def dose_sources(self, entry_ids: Iterable[int]) -> dict[int, DoseSource]:
        """Where those of ``entry_ids`` made from a phone's tick came from (kept by
        sharing beside the record, never in it)."""
        from caregiver_app.storage.sharing_repo import SharingRepository

        return SharingRepository(self._db).sources(entry_ids)

    def also_ticked(self, entry_ids: Iterable[int], zone: tzinfo) -> dict[int, list[str]]:
        """The phones' "Also ticked on …" and "Un-ticked on …" notes about those of
        ``entry_ids`` (kept by sharing beside the record, never in it), by record
        (times in ``zone``)."""
        from caregiver_app.storage.sharing_repo import SharingRepository

        return SharingRepository(self._db).also_ticked(entry_ids, zone)

    def entries_of(self, medicine_id: int) -> list[DoseEntry]:
        """Every dose entry of one medicine, in the order recorded."""
        return self._entries(
            f"SELECT {_ENTRY_COLUMNS} FROM dose_entries WHERE medicine_id = ? ORDER BY id",
            [medicine_id])

    def history_entries(self, medicine_id: int, *, before: datetime | None, count: int
                        ) -> tuple[list[DoseEntry], datetime | None]:
        """A page of one medicine's dose records, newest first: about ``count`` of those
        filed before ``before`` (all of them when None), whole correction chains (a chain
        is filed where it started: its entries share ``slot_at``), in the order recorded;
        and the moment the page starts at, None when nothing older is left. Read through
        the index on (medicine_id, slot_at): the cost does not grow with the years."""
        bound = ""
        params: list[object] = [medicine_id]
        if before is not None:
            bound = " AND slot_at < ?"
            params.append(moment_to_text(before))
        row = self._db.execute(
            f"SELECT slot_at FROM dose_entries WHERE medicine_id = ?{bound} "
            "ORDER BY slot_at DESC LIMIT 1 OFFSET ?", [*params, max(count, 1) - 1]).fetchone()
        if row is None:  # fewer than ``count`` left: all of them
            return self._entries(f"SELECT {_ENTRY_COLUMNS} FROM dose_entries "
                                 f"WHERE medicine_id = ?{bound} ORDER BY id", params), None
        start = row[0]
        entries = self._entries(f"SELECT {_ENTRY_COLUMNS} FROM dose_entries WHERE "
                                f"medicine_id = ? AND slot_at >= ?{bound} ORDER BY id",
                                [medicine_id, start, *params[1:]])
        older = self._db.execute("SELECT 1 FROM dose_entries WHERE medicine_id = ? "
                                 "AND slot_at < ? LIMIT 1", [medicine_id, start]).fetchone()
        return entries, text_to_moment(start) if older else None

    def entries_filed_since(self, medicine_id: int, since: datetime, *,
                            given_since: datetime | None = None) -> list[DoseEntry]:
        """One medicine's dose records filed from ``since`` on, whole correction chains
        (a chain's entries share the ``slot_at`` it started at), in the order recorded:
        read through the index on (medicine_id, slot_at), so the cost does not grow
        with the years before ``since``. With ``given_since``, also the whole chains of
        the unscheduled doses a record says were given from then on, wherever they are
        filed (a correction moved the time a week later; read through the index on
        the unscheduled doses' time given)."""
        sql = (f"SELECT {_ENTRY_COLUMNS} FROM dose_entries "
               "WHERE medicine_id = ? AND slot_at >= ?")
        params: list[object] = [medicine_id, moment_to_text(since)]
        if given_since is not None:
            sql += (f" UNION SELECT {_ENTRY_COLUMNS} FROM dose_entries "
                    "WHERE medicine_id = ? AND slot_at IN (SELECT slot_at FROM dose_entries "
                    # (+: by the recent times given, not the medicine's years of slots)
                    "WHERE occurrence_key IS NULL AND given_at >= ? AND +medicine_id = ? "
                    "AND +slot_at < ?)")
            params += [medicine_id, moment_to_text(given_since), medicine_id,
                       moment_to_text(since)]
        return self._entries(sql + " ORDER BY id", params)

    def entry_count(self, medicine_id: int) -> int:
        """How many dose records (corrections too) one medicine has."""
        return self._db.execute("SELECT count(*) FROM dose_entries WHERE medicine_id = ?",
                                [medicine_id]).fetchone()[0]

    def version_log(self, medicine_id: int) -> list[VersionRecord]:
        """The medicine's versions (as ``Medicine.versions``) with who entered each, when."""
        from caregiver_app.domain.history import VersionRecord  # (the history's, not at start)

        medicine = self.medicine(medicine_id)
        stamps = {r["id"]: (text_to_moment(r["created_at"]), r["created_by"])
                  for r in dict_rows(self._db.execute(
                      "SELECT id, created_at, created_by FROM medicine_versions "
                      "WHERE medicine_id = ?", [medicine_id]))}
        return [VersionRecord(v, *stamps.get(v.id, (None, None))) for v in medicine.versions]

    def cycle_shift_log(self, medicine_id: int) -> list[CycleShiftRecord]:
        """Every cycle change of the medicine, undone ones too, by date then as entered."""
        from caregiver_app.domain.history import CycleShiftRecord

        return [
            CycleShiftRecord(
                shift=CycleShift(from_date=date.fromisoformat(r["from_date"]), days=r["days"],
                                 carry=bool(r["carry"]), reason=r["reason"], id=r["id"]),
                created_at=text_to_moment(r["created_at"]), created_by_id=r["created_by"],
                resumed_at=text_to_moment(r["resumed_at"]), resumed_by_id=r["resumed_by"],
                withdrawn_at=text_to_moment(r["withdrawn_at"]),
                withdrawn_by_id=r["withdrawn_by"])
            for r in dict_rows(self._db.execute(
                "SELECT * FROM cycle_shifts WHERE medicine_id = ? ORDER BY from_date, id",
                [medicine_id]))
        ]

    # ---- Private

    def _require(self, medicine_id: int) -> None:
        if self._db.execute("SELECT 1 FROM medicines WHERE id = ?",
                            [medicine_id]).fetchone() is None:
            raise NotFound(f"No medicine with id {medicine_id}.")

    def _touch(self, medicine_id: int, by: int | None, at: datetime) -> None:
        self._db.execute("UPDATE medicines SET updated_at = ?, updated_by = ? WHERE id = ?",
                         [moment_to_text(at), by, medicine_id])

    @staticmethod
    def _details_row(m: Medicine) -> dict[str, object]:
        return {
            "generic_name": m.generic_name,
            "brand_name": m.brand_name,
            "purpose": m.purpose,
            "instructions": m.instructions,
            "food_kind": m.food_rule.kind.value,
            "food_before_minutes": m.food_rule.before_minutes,
            "food_after_minutes": m.food_rule.after_minutes,
            "food_note": m.food_rule.note,
            "given_by": m.given_by.value,
            "prescriber_id": m.prescriber_id,
            "pharmacy_id": m.pharmacy_id,
            "reference_id": m.reference_id,
            "start_date": date_to_text(m.start_date),
            "end_date": date_to_text(m.end_date),
            "review_date": date_to_text(m.review_date),
            "supply_unit": m.supply.unit,
            "supply_per_dose": m.supply.per_dose,
            "reorder_days": m.supply.reorder_days,
            "opened_on": date_to_text(m.supply.opened_on),
            "discard_by": date_to_text(m.supply.discard_by),
        }

    def _insert_version(self, medicine_id: int, v: MedicineVersion, *, by: int | None,
                        at: datetime) -> None:
        self._db.table("medicine_versions").insert({
            "medicine_id": medicine_id,
            "valid_from": date_to_text(v.valid_from),
            "strength": v.strength,
            "form": v.form.value,
            "route": v.route.value,
            "dose_amount": v.dose.amount,
            "dose_unit": v.dose.unit,
            "do_not_crush": int(v.do_not_crush),
            "flush_ml": v.flush_ml,
            "regimen": json.dumps(regimen_to_dict(v.regimen), sort_keys=True),
            "note": v.note,
            "created_at": moment_to_text(at),
            "created_by": by,
        })

    def _insert_status(self, medicine_id: int, c: StatusChange, *, by: int | None,
                       at: datetime) -> None:
        self._db.table("medicine_status").insert({
            "medicine_id": medicine_id,
            "at": moment_to_text(c.at),
            "status": c.status.value,
            "reason": c.reason,
            "recorded_at": moment_to_text(at),
            "recorded_by": c.recorded_by_id if c.recorded_by_id is not None else by,
        })

    def _insert_shift(self, medicine_id: int, s: CycleShift, *, by: int | None,
                      at: datetime) -> None:
        self._db.table("cycle_shifts").insert({
            "medicine_id": medicine_id,
            "from_date": date_to_text(s.from_date),
            "days": s.days,
            "carry": int(s.carry),
            "reason": s.reason,
            "created_at": moment_to_text(at),
            "created_by": by,
        })

    def _load(self, where: str, params: list[object]) -> list[Medicine]:
        """The medicines ``where`` says, each with its versions, status changes and
        cycle shifts, all read in one snapshot (``rows.one_snapshot``)."""
        with one_snapshot(self._db):
            return self._read_medicines(where, params)

    def _read_medicines(self, where: str, params: list[object]) -> list[Medicine]:
        rows = list(dict_rows(self._db.execute(
            f"SELECT * FROM medicines {where} ORDER BY generic_name COLLATE NOCASE, id",
            params)))
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        versions: dict[int, list[MedicineVersion]] = {i: [] for i in ids}
        for r in dict_rows(self._db.execute(
                f"SELECT * FROM medicine_versions WHERE medicine_id IN ({marks}) "
                "ORDER BY medicine_id, valid_from, id", ids)):
            versions[r["medicine_id"]].append(MedicineVersion(
                valid_from=date.fromisoformat(r["valid_from"]), strength=r["strength"],
                form=Form(r["form"]), route=Route(r["route"]),
                dose=Dose(r["dose_amount"], r["dose_unit"]),
                regimen=regimen_from_dict(json.loads(r["regimen"])),
                do_not_crush=bool(r["do_not_crush"]), flush_ml=r["flush_ml"], note=r["note"],
                id=r["id"]))
        statuses: dict[int, list[StatusChange]] = {i: [] for i in ids}
        for r in dict_rows(self._db.execute(
                f"SELECT * FROM medicine_status WHERE medicine_id IN ({marks}) "
                "ORDER BY medicine_id, at, id", ids)):
            statuses[r["medicine_id"]].append(StatusChange(
                at=text_to_moment(r["at"]), status=MedicineStatus(r["status"]),
                reason=r["reason"], recorded_by_id=r["recorded_by"], id=r["id"]))
        shifts: dict[int, list[CycleShift]] = {i: [] for i in ids}
        for r in dict_rows(self._db.execute(
                f"SELECT * FROM cycle_shifts WHERE medicine_id IN ({marks}) "
                "AND withdrawn_at IS NULL ORDER BY medicine_id, from_date, id", ids)):
            shifts[r["medicine_id"]].append(CycleShift(
                from_date=date.fromisoformat(r["from_date"]), days=r["days"],
                carry=bool(r["carry"]), reason=r["reason"], id=r["id"]))
        return [
            Medicine(
                id=r["id"],
                generic_name=r["generic_name"],
                brand_name=r["brand_name"],
                purpose=r["purpose"],
                instructions=r["instructions"],
                food_rule=FoodRule(FoodRuleKind(r["food_kind"]), r["food_before_minutes"],
                                   r["food_after_minutes"], r["food_note"]),
                given_by=GivenBy(r["given_by"]),
                prescriber_id=r["prescriber_id"],
                pharmacy_id=r["pharmacy_id"],
                reference_id=r["reference_id"],
                start_date=date.fromisoformat(r["start_date"]),
                end_date=text_to_date(r["end_date"]),
                review_date=text_to_date(r["review_date"]),
                supply=SupplySettings(unit=r["supply_unit"], per_dose=r["supply_per_dose"],
                                      reorder_days=r["reorder_days"],
                                      opened_on=text_to_date(r["opened_on"]),
                                      discard_by=text_to_date(r["discard_by"])),
                versions=tuple(versions[r["id"]]),
                status_history=tuple(statuses[r["id"]]),
                cycle_shifts=tuple(shifts[r["id"]]),
                added_at=text_to_moment(r["created_at"]) if r["created_at"] else None,
            )
            for r in rows
        ]

    def _entries_in(self, ranges: list[tuple[str, datetime | str, datetime | str]], *,
                    medicine_id: int | None = None) -> list[DoseEntry]:
        """Entries in any of ``ranges`` (a query with ``{lo}``/``{hi}`` and its half-open
        bounds, instants or key text): one indexed query each, joined by UNION ALL (one
        big OR makes SQLite read the whole record). Not UNION: ``id IN (...)`` counts a
        repeated id once already, and SQLite makes a temporary table for each UNION (and
        each DISTINCT), each with a page cache of its own: Today's read of the window's
        start made seven, ~0.6 MiB of memory for a moment at the start's peak (0.4 MiB
        of the window's peak memory) and ~5x the query's time."""
        params: dict[str, object] = {}
        parts = []
        for n, (template, lo, hi) in enumerate(ranges):
            params[f"lo{n}"], params[f"hi{n}"] = _bound(lo), _bound(hi)
            parts.append(template.format(lo=f":lo{n}", hi=f":hi{n}"))
        sql = (f"SELECT {_ENTRY_COLUMNS} FROM dose_entries WHERE id IN ("
               + " UNION ALL ".join(parts) + ")")
        if medicine_id is not None:
            sql += " AND medicine_id = :medicine_id"
            params["medicine_id"] = medicine_id
        return self._entries(sql + " ORDER BY id", params)

    def _entries(self, sql: str, params) -> list[DoseEntry]:
        try:
            cursor = self._db.execute(sql, params)
        except sqlite3.DatabaseError as exc:  # pragma: no cover - a bug in a query
            raise RuntimeError(f"dose record query failed: {exc}") from exc
        return [_entry(row) for row in cursor.fetchall()]


def _bound(value: datetime | str) -> str:
    return value if isinstance(value, str) else moment_to_text(value)


def _keyed(key_days: tuple[date, date] | None, loading: LoadingWanted | None = None
           ) -> list[tuple[str, str, str]]:
    """The key ranges of the scheduled doses of local dates ``first``..``last``, and of
    the loading courses (all of them, or those ``loading`` names)."""
    if key_days is None:
        return []
    first, last = key_days
    # "YYYY-MM-DD" + "U" sorts after every "YYYY-MM-DDTHH:MM" of that date
    ranges = [(_KEYED_ON, first.isoformat(), last.isoformat() + "U")]
    if loading is None:
        ranges.append((_KEYED_ON, *_LOADING_KEYS))
        return ranges
    keys_of: dict[int, list[str]] = {}
    for medicine_id, key in sorted(loading.doses):
        keys_of.setdefault(medicine_id, []).append(key)
    # A medicine with many doses asked (statuses over months) has all its loading records
    # read, one index range; so many medicines that the query would pass SQLite's limit of
    # UNION terms, every loading record (both as before LoadingWanted: a read of more
    # records than needed gives the same answers).
    whole = set(loading.medicines) | {medicine_id for medicine_id, keys in keys_of.items()
                                      if len(keys) > _MOST_DOSES_BY_KEY}
    terms = len(whole) + sum(len(keys) for medicine_id, keys in keys_of.items()
                             if medicine_id not in whole)
    if terms > _MOST_LOADING_TERMS:
        ranges.append((_KEYED_ON, *_LOADING_KEYS))
        return ranges
    # each an index lookup on (medicine_id, occurrence_key); ids are ints from the records
    ranges.extend((_ONE_DOSE.format(medicine_id=int(medicine_id), lo="{lo}", hi="{hi}"),
                   key, key) for medicine_id, keys in keys_of.items()
                  if medicine_id not in whole for key in keys)
    ranges.extend((_ONE_MEDICINE.format(medicine_id=int(medicine_id), lo="{lo}", hi="{hi}"),
                   *_LOADING_KEYS) for medicine_id in sorted(whole))
    return ranges


def _entry(row: tuple) -> DoseEntry:
    (id_, medicine_id, key, due_at, given_at, kind, amount, unit, caregiver_id, skip_reason,
     note, override_reason, recorded_at, recorded_by, corrects_id) = row
    return DoseEntry(
        id=id_,
        medicine_id=medicine_id,
        occurrence_key=key,
        due_at=text_to_moment(due_at),
        given_at=text_to_moment(given_at),
        kind=EntryKind(kind),
        amount=Dose(amount, unit) if amount is not None else None,
        caregiver_id=caregiver_id,
        skip_reason=SkipReason(skip_reason) if skip_reason else None,
        note=note,
        override_reason=override_reason,
        recorded_at=text_to_moment(recorded_at),
        recorded_by_id=recorded_by,
        corrects_id=corrects_id,
    )


# ---- Checking imported records


def content_problems(db: Database) -> list[str]:
    """What a database built from an export file holds that the app could not read.

    Checks every medication record's values against the domain vocabularies and rules
    (forms, routes, schedules, times), beyond the column types the importer checks.
    Returns plain messages naming table, record number and field ([] when all is well).
    """
    problems: list[str] = []

    def check(table: str, parsers: dict[str, object]) -> None:
        if not db.table(table).exists():
            return
        for number, row in enumerate(db.query(f"SELECT * FROM [{table}] ORDER BY id"),
                                     start=1):
            for name, parse in parsers.items():
                value = row.get(name)
                try:
                    parse(value)  # type: ignore[operator]
                except (ValueError, TypeError, KeyError, ValidationError) as exc:
                    detail = exc.errors if isinstance(exc, ValidationError) else exc
                    problems.append(f'"{table}" record {number}: field "{name}" is not valid '
                                    f"({str(detail)[:80]}).")

    def optional(parse):
        return lambda v: None if v is None else parse(v)

    def regimen(text: str) -> None:
        validate_regimen(regimen_from_dict(json.loads(text)))

    moment = parse_moment  # the domain's one rule: with its zone, 1900-2200
    day = parse_day
    check("medicines", {
        "food_kind": FoodRuleKind, "given_by": GivenBy, "start_date": day,
        "end_date": optional(day), "review_date": optional(day),
        "opened_on": optional(day), "discard_by": optional(day),
        "created_at": moment, "updated_at": moment,
    })
    check("medicine_versions", {"valid_from": day, "form": Form, "route": Route,
                                "regimen": regimen})
    check("medicine_status", {"at": moment, "status": MedicineStatus, "recorded_at": moment})
    check("cycle_shifts", {"from_date": day})
    check("dose_entries", {
        "kind": EntryKind, "skip_reason": optional(SkipReason), "due_at": optional(moment),
        "slot_at": moment, "given_at": optional(moment), "recorded_at": moment,
    })
    check("supply_events", {"kind": SupplyEventKind, "at": moment})
    if db.table("medicines").exists():
        for (name, ) in db.execute(
                "SELECT generic_name FROM medicines m WHERE NOT EXISTS "
                "(SELECT 1 FROM medicine_versions v WHERE v.medicine_id = m.id)"):
            problems.append(f'"medicines": "{name}" has no dose or schedule '
                            '(no "medicine_versions" record).')
    return problems
