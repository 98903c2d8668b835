"""A medicine's history in plain words: doses and corrections, changes, pauses, stock.

``build_history(medicine, entries, supply_events, versions, shifts, zone)`` turns what the
record holds about one medicine into ``HistoryItem``s, newest first:

- every dose entry, with its **correction chain** kept together: the first entry, then
  each correction under it ("Record #12 corrected: not given (asleep)"), each saying who
  gave the dose, who recorded the entry and when. Only the last entry of a chain is
  ``current``; the others stay visible, never hidden or rewritten;
- every version after the first as a **change** on its date, saying what changed
  ("form: tablet -> liquid / oral suspension"), and the first as "Started";
- status changes (paused, resumed, stopped) with their reasons;
- cycle delays, holds and resumptions, and their undoing;
- refills and stock counts, and the bottle in use.

Years of records are read a page at a time (``history_page``): the lines of one period,
newest first, as ``build_history`` would list them.

Pure: no database, no Qt. The UI maps caregiver ids to names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind, build_chains
from caregiver_app.domain.localtime import day_bounds, local_date, to_utc, weekday_date
from caregiver_app.domain.medicines import GivenBy, Medicine, MedicineVersion
from caregiver_app.domain.regimens import CycleShift, describe_regimen
from caregiver_app.domain.supply import SupplyEvent, SupplyEventKind
from caregiver_app.domain.vocab import MedicineStatus


class HistoryKind(StrEnum):
    DOSE = "dose"
    CORRECTION = "correction"
    CHANGE = "change"  # a new version: dose, form, route, strength or schedule
    STATUS = "status"
    CYCLE = "cycle"
    STOCK = "stock"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    HistoryKind.DOSE: "Dose",
    HistoryKind.CORRECTION: "Correction",
    HistoryKind.CHANGE: "Change",
    HistoryKind.STATUS: "Status",
    HistoryKind.CYCLE: "Cycle",
    HistoryKind.STOCK: "Stock",
}


@dataclass(frozen=True)
class VersionRecord:
    """A stored version with when and by whom it was entered."""

    version: MedicineVersion
    created_at: datetime | None = None
    created_by_id: int | None = None


@dataclass(frozen=True)
class CycleShiftRecord:
    """A stored cycle change (delay or hold), including resumed and undone ones."""

    shift: CycleShift
    created_at: datetime | None = None
    created_by_id: int | None = None
    resumed_at: datetime | None = None
    resumed_by_id: int | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by_id: int | None = None


@dataclass(frozen=True)
class HistoryItem:
    """One line of a medicine's history."""

    at: datetime  # when it happened or took effect (aware UTC)
    kind: HistoryKind
    what: str  # short: "Given", "Not given: refused", "Paused"
    detail: str  # the rest, in plain words
    by_id: int | None = None  # who gave the dose or made the change (a caregiver id)
    by_text: str = ""  # said instead when there is no caregiver ("clinic staff")
    recorded_at: datetime | None = None
    recorded_by_id: int | None = None
    entry_id: int | None = None  # dose record number
    corrects_id: int | None = None  # the record this one corrects
    chain_id: int | None = None  # first record of the chain (doses and corrections)
    current: bool = True  # False: a later correction replaced it, or it was undone
    date_only: bool = False  # ``at`` names a day (changes, cycle changes), not a moment
    source: str = ""  # a dose record made from a phone's tick: the phone ("Ana's iPhone")
    source_flagged: bool = False  # …and its time is the sync's, not the phone's
    #: the phones that ticked this dose after the app recorded it, each as a note says
    #: it ("Also ticked on Ana's iPhone at 08:12."): kept beside the record, never in it
    also_ticked: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryPage:
    """Some of a medicine's history: the newest lines not shown yet, in order."""

    items: tuple[HistoryItem, ...]
    older: datetime | None
    """Where the next, older page ends (its ``before``); None: this page is the last."""
    total: int
    """Lines in the whole history."""


def history_page(medicine: Medicine, entries: Iterable[DoseEntry],
                 supply_events: Iterable[SupplyEvent], versions: Sequence[VersionRecord],
                 shifts: Sequence[CycleShiftRecord], zone: ZoneInfo, *,
                 start: datetime | None, end: datetime | None,
                 entry_count: int) -> HistoryPage:
    """The lines of ``build_history`` at ``[start, end)`` (None: no bound), in the same
    order: ``entries`` are the dose records filed then (whole chains, as a chain is
    filed where it started); every other record is given and kept when it falls in the
    period. ``entry_count``: dose records of the whole history. The page is the last
    when ``start`` is None."""
    supply_events, versions = list(supply_events), list(versions)
    others = build_history(medicine, (), supply_events, versions, shifts, zone)
    items = [item for item in build_history(medicine, entries, supply_events, versions,
                                            shifts, zone)
             if (start is None or to_utc(item.at) >= start)
             and (end is None or to_utc(item.at) < end)]
    return HistoryPage(tuple(items), older=start, total=entry_count + len(others))


def build_history(medicine: Medicine, entries: Iterable[DoseEntry],
                  supply_events: Iterable[SupplyEvent], versions: Sequence[VersionRecord],
                  shifts: Sequence[CycleShiftRecord], zone: ZoneInfo) -> list[HistoryItem]:
    """Everything recorded about ``medicine``, newest first, chains kept together."""
    groups: list[tuple[float, int, list[HistoryItem]]] = []

    def add(items: list[HistoryItem]) -> None:
        groups.append((to_utc(items[0].at).timestamp(), len(groups), items))

    clinic = medicine.given_by is GivenBy.CLINIC
    for chain in build_chains(entries):
        items = []
        for step, entry in enumerate(chain.entries):
            items.append(_dose_item(entry, step, chain.first, entry is chain.head, clinic,
                                    zone))
        add(items)
    for item in _version_items(medicine, versions, zone):
        add([item])
    for change in medicine.status_history:
        add([HistoryItem(
            at=to_utc(change.at), kind=HistoryKind.STATUS, what=_STATUS_WORDS[change.status],
            detail=change.reason or "No reason given.", by_id=change.recorded_by_id,
            recorded_by_id=change.recorded_by_id)])
    for record in shifts:
        for item in _cycle_items(record, zone):
            add([item])
    unit = medicine.supply.unit
    for event in supply_events:
        quantity = Dose(event.quantity, unit).describe().strip()
        if event.kind is SupplyEventKind.REFILL:
            what, detail = "Refill", f"{quantity} arrived."
        else:
            what, detail = "Stock count", f"{quantity} on hand."
        if event.note:
            detail += f" {event.note}"
        add([HistoryItem(at=to_utc(event.at), kind=HistoryKind.STOCK, what=what,
                         detail=detail, by_id=event.recorded_by_id,
                         recorded_at=event.recorded_at, recorded_by_id=event.recorded_by_id)])
    if medicine.supply.opened_on is not None:
        detail = "The bottle in use."
        if medicine.supply.discard_by is not None:
            detail += f" Throw it away after {_day(medicine.supply.discard_by)}."
        add([HistoryItem(at=day_bounds(medicine.supply.opened_on, zone)[0],
                         kind=HistoryKind.STOCK, what="Bottle opened", detail=detail,
                         date_only=True)])
    groups.sort(key=lambda g: g[:2], reverse=True)
    return [item for _, _, items in groups for item in items]


# ---- Private

_STATUS_WORDS = {
    MedicineStatus.ACTIVE: "Resumed",
    MedicineStatus.PAUSED: "Paused",
    MedicineStatus.STOPPED: "Stopped",
}


def _sentences(parts: list[str]) -> str:
    """Join short phrases into sentences without doubling the full stops."""
    return " ".join(p if p.endswith((".", "!", "?")) else f"{p}." for p in parts if p)


def _day(value: date) -> str:
    """"Tue 4 Mar 2026" (``weekday_date`` builds it without strftime, which is slow over
    years of records)."""
    return weekday_date(value, year=True)


def _moment(value: datetime, zone: ZoneInfo, day: date | None = None) -> str:
    """"08:12", or "Tue 4 Mar 2026 08:12" when it is not on ``day``."""
    local = to_utc(value).astimezone(zone)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if day is not None and local.date() == day:
        return clock
    return f"{_day(local.date())} {clock}"


def _dose_item(entry: DoseEntry, step: int, first: DoseEntry, current: bool, clinic: bool,
               zone: ZoneInfo) -> HistoryItem:
    due_day = local_date(entry.due_at, zone) if entry.due_at else None
    parts: list[str] = []
    if entry.kind is EntryKind.GIVEN:
        assert entry.given_at is not None
        amount = entry.amount.describe() if entry.amount else "a dose"
        parts.append(f"{amount} at {_moment(entry.given_at, zone, due_day)}")
        if entry.override_reason:
            parts.append(f"Limit passed on purpose: {entry.override_reason}")
        state = "given" if entry.is_scheduled else "given (as needed or extra)"
    elif entry.kind is EntryKind.SKIPPED:
        reason = entry.skip_reason.label if entry.skip_reason else "no reason"
        state = f"not given ({reason})"
    else:
        state = "withdrawn: entered in error"
    if entry.due_at is not None and entry.kind is not EntryKind.GIVEN:
        parts.append(f"Was due {_moment(entry.due_at, zone, due_day)}")
    if entry.note:
        parts.append(entry.note)
    if step == 0:
        what = state[0].upper() + state[1:]
        kind = HistoryKind.DOSE
    else:
        what = f"Record #{entry.corrects_id} corrected: {state}"
        kind = HistoryKind.CORRECTION
    by_id: int | None
    if entry.kind is EntryKind.GIVEN:
        by_id = entry.caregiver_id
        by_text = "clinic staff" if by_id is None and clinic else ""
    else:
        by_id, by_text = entry.recorded_by_id, ""
    return HistoryItem(
        at=to_utc(first.slot_at), kind=kind, what=what, detail=_sentences(parts),
        by_id=by_id, by_text=by_text, recorded_at=entry.recorded_at,
        recorded_by_id=entry.recorded_by_id, entry_id=entry.id, corrects_id=entry.corrects_id,
        chain_id=first.id, current=current)


def _version_text(version: MedicineVersion) -> str:
    text = f"{version.describe()}. {describe_regimen(version.regimen)}."
    if version.do_not_crush:
        text += " Do not crush."
    if version.flush_ml:
        text += f" Flush the tube with {version.flush_ml} mL."
    return text


def _differences(old: MedicineVersion, new: MedicineVersion) -> list[str]:
    changes = []
    pairs = [
        ("strength", old.strength or "not given", new.strength or "not given"),
        ("form", old.form.label, new.form.label),
        ("route", old.route.label, new.route.label),
        ("dose", old.dose.describe(), new.dose.describe()),
        ("schedule", describe_regimen(old.regimen), describe_regimen(new.regimen)),
        ("do not crush", "yes" if old.do_not_crush else "no",
         "yes" if new.do_not_crush else "no"),
        ("tube flush", f"{old.flush_ml} mL", f"{new.flush_ml} mL"),
    ]
    for name, before, after in pairs:
        if before != after:
            changes.append(f"{name}: {before} → {after}")
    return changes


def _version_items(medicine: Medicine, records: Sequence[VersionRecord],
                   zone: ZoneInfo) -> list[HistoryItem]:
    items = []
    for i, record in enumerate(records):
        version = record.version
        replaced = i + 1 < len(records) and records[i + 1].version.valid_from == version.valid_from
        if i == 0:
            first_day = min(version.valid_from, medicine.start_date)
            what, detail = "Started", _version_text(version)
            at = day_bounds(first_day, zone)[0]
        else:
            previous = records[i - 1].version
            changes = _differences(previous, version)
            what = f"Changed from {_day(version.valid_from)}"
            if previous.valid_from == version.valid_from:
                what += " (replaces the change entered before for that day)"
            detail = ("; ".join(changes) + ".") if changes else _version_text(version)
            detail += " Doses before that day keep what was due then."
            at = day_bounds(version.valid_from, zone)[0]
        if version.note:
            detail += f" Why: {version.note}"
        items.append(HistoryItem(
            at=at, kind=HistoryKind.CHANGE, what=what, detail=detail,
            by_id=record.created_by_id, recorded_at=record.created_at,
            recorded_by_id=record.created_by_id, current=not replaced, date_only=True))
    return items


def _cycle_items(record: CycleShiftRecord, zone: ZoneInfo) -> list[HistoryItem]:
    shift = record.shift
    start = _day(shift.from_date)
    if record.resumed_at is not None:
        resumed = _day(local_date(record.resumed_at, zone))
        days = shift.days or 0
        what = "Cycle paused, then resumed"
        detail = (f"Held from {start}; resumed on {resumed}: the doses moved {days} "
                  f"day{'s' if days != 1 else ''} later.")
    elif shift.days is None:
        what = "Cycle on hold"
        detail = f"From {start}: no cycle doses are due until the cycle is resumed."
    else:
        what = f"Cycle doses moved {shift.days} day{'s' if shift.days != 1 else ''} later"
        detail = f"From the first cycle dose on or after {start}; " + (
            "later cycles move too." if shift.carry else "only the rest of that cycle moves.")
    if shift.reason:
        detail += f" Why: {shift.reason}"
    undone = record.withdrawn_at is not None
    if undone:
        detail += " (Undone.)"
    items = [HistoryItem(
        at=day_bounds(shift.from_date, zone)[0], kind=HistoryKind.CYCLE, what=what,
        detail=detail, by_id=record.created_by_id, recorded_at=record.created_at,
        recorded_by_id=record.created_by_id, current=not undone, date_only=True)]
    if undone:
        assert record.withdrawn_at is not None
        items.append(HistoryItem(
            at=to_utc(record.withdrawn_at), kind=HistoryKind.CYCLE, what="Cycle change undone",
            detail=f"The change from {start} no longer applies ({what.lower()}).",
            by_id=record.withdrawn_by_id, recorded_at=record.withdrawn_at,
            recorded_by_id=record.withdrawn_by_id))
    return items


__all__ = [
    "CycleShiftRecord",
    "HistoryItem",
    "HistoryKind",
    "VersionRecord",
    "build_history",
]
