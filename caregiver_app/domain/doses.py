"""The dose record: what happened to each dose, kept as an append-only list of entries.

Entries
-------
A ``DoseEntry`` is one line in the record, never changed or deleted once saved:

- ``GIVEN``: ``given_at`` (aware), ``amount``, ``caregiver_id`` (who gave it; ``None`` for
  clinic staff), optional ``note``; for as-needed doses an ``override_reason`` when it
  broke a limit.
- ``SKIPPED``: a ``SkipReason``; ``OTHER`` needs a ``note``.
- ``ENTERED_IN_ERROR``: withdraws the entry it corrects ("recorded against the wrong
  medicine"); needs a ``note``.

Every entry carries ``recorded_at`` and ``recorded_by_id`` (the caregiver on duty who typed
it), so doses can be entered after the fact. A scheduled dose links to its occurrence by
``occurrence_key`` and keeps a copy of its ``due_at``; as-needed and extra doses have no key.

Corrections
-----------
A correction is a new entry with ``corrects_id`` pointing at the entry it corrects. Each
entry can be corrected once, so the entries of one dose form a chain (``RecordChain``):
the first entry, then each correction in turn. The history shows the whole chain; the
**effective** entry is the last one (``None`` when that is ``ENTERED_IN_ERROR``).

States
------
``dose_status`` gives each due dose a ``DoseState``: ``GIVEN`` or ``SKIPPED`` from the
effective entry; otherwise ``MISSED`` once ``now`` is past the due time plus the grace
period, else ``DUE``. A due dose with nothing recorded is **due now** from its due time
for ``DUE_NOW`` (one minute), then **overdue** (``is_overdue``): one definition for the
Today tab's rows, sections and header, the reminders and every notice. Missed is
computed, never stored. A given dose outside the early/late window is flagged
``Timing.EARLY`` / ``Timing.LATE``. Windows come from a ``DosePolicy`` (one for doses
given at home, one for clinic doses).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose, dose_problem
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import long_date, to_utc
from caregiver_app.domain.medicines import GivenBy, Medicine
from caregiver_app.domain.schedule import GivenDates, Occurrence
from caregiver_app.domain.values import moment_problem
from caregiver_app.domain.vocab import SkipReason

MAX_NOTE = 1000
MAX_OVERRIDE = 500
#: A dose may be recorded as given up to this far ahead of the clock (clocks drift).
FUTURE_TOLERANCE = timedelta(minutes=5)
#: How far ahead of its due time a dose may already be recorded (given early).
EARLY_RECORD_HORIZON = timedelta(days=2)
#: A dose reads "due now" from its due time for this long, then "overdue".
DUE_NOW = timedelta(minutes=1)


def is_overdue(due: datetime, now: datetime) -> bool:
    """Past its due time by ``DUE_NOW`` or more (at the due second it is due now)."""
    return to_utc(now) >= to_utc(due) + DUE_NOW


class EntryKind(StrEnum):
    GIVEN = "given"
    SKIPPED = "skipped"
    ENTERED_IN_ERROR = "entered_in_error"


class DoseState(StrEnum):
    DUE = "due"
    GIVEN = "given"
    SKIPPED = "skipped"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {"due": "due", "given": "given", "skipped": "not given",
                "missed": "missed"}[self.value]


class Timing(StrEnum):
    ON_TIME = "on_time"
    EARLY = "early"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class DoseEntry:
    """One append-only line of the dose record. See the module docstring."""

    medicine_id: int
    kind: EntryKind
    recorded_at: datetime
    recorded_by_id: int | None
    occurrence_key: str | None = None
    due_at: datetime | None = None
    given_at: datetime | None = None
    amount: Dose | None = None
    caregiver_id: int | None = None
    skip_reason: SkipReason | None = None
    note: str = ""
    override_reason: str = ""
    corrects_id: int | None = None
    id: int | None = None

    @property
    def slot_at(self) -> datetime:
        """The instant this entry is filed under: the due time, else the time given."""
        return self.due_at or self.given_at or self.recorded_at

    @property
    def is_scheduled(self) -> bool:
        return self.occurrence_key is not None


@dataclass(frozen=True)
class TimingWindow:
    """Given more than ``early`` before or ``late`` after the due time is flagged; nothing
    recorded ``grace`` after the due time is missed."""

    early: timedelta = timedelta(hours=1)
    late: timedelta = timedelta(hours=1)
    grace: timedelta = timedelta(hours=2)

    def __post_init__(self) -> None:
        if min(self.early, self.late, self.grace) < timedelta(0):
            raise ValueError("timing windows cannot be negative")
        if self.grace < self.late:
            raise ValueError("the grace period must be at least the late window")


#: Choices for a home dose's on-time window (minutes either side of the due time) and for
#: when a dose with nothing recorded counts as missed (minutes after the due time).
ON_TIME_CHOICES = (15, 30, 45, 60, 90, 120)
MISSED_AFTER_CHOICES = (60, 90, 120, 180, 240, 360)


def home_window(on_time_minutes: int, missed_after_minutes: int) -> TimingWindow:
    """The household's window for doses given at home: on time within ``on_time_minutes``
    either side of the due time, missed ``missed_after_minutes`` after it (never before
    the dose stops being on time)."""
    on_time = timedelta(minutes=on_time_minutes)
    return TimingWindow(early=on_time, late=on_time,
                        grace=max(on_time, timedelta(minutes=missed_after_minutes)))


@dataclass(frozen=True)
class DosePolicy:
    """Timing windows for doses given at home and for clinic doses (whole-day windows)."""

    home: TimingWindow = field(default_factory=TimingWindow)
    clinic: TimingWindow = field(default_factory=lambda: TimingWindow(
        early=timedelta(hours=12), late=timedelta(hours=12), grace=timedelta(days=1)))

    def window(self, given_by: GivenBy) -> TimingWindow:
        return self.clinic if given_by is GivenBy.CLINIC else self.home


@dataclass(frozen=True)
class RecordChain:
    """The entries about one dose: the first entry, then each correction in order."""

    entries: tuple[DoseEntry, ...]
    branched: bool = False  # an entry was corrected twice (cannot happen through storage)

    @property
    def first(self) -> DoseEntry:
        return self.entries[0]

    @property
    def head(self) -> DoseEntry:
        return self.entries[-1]

    @property
    def effective(self) -> DoseEntry | None:
        """The entry that counts: the latest, unless it withdrew the record."""
        head = self.head
        return None if head.kind is EntryKind.ENTERED_IN_ERROR else head

    @property
    def corrected(self) -> bool:
        return len(self.entries) > 1

    @property
    def medicine_id(self) -> int:
        return self.first.medicine_id

    @property
    def key(self) -> str | None:
        return self.first.occurrence_key


@dataclass(frozen=True)
class DoseStatus:
    """A due dose with what the record says about it."""

    occurrence: Occurrence
    medicine: Medicine
    state: DoseState
    chain: RecordChain | None = None
    timing: Timing | None = None
    overdue: bool = False  # past its due time (``is_overdue``), within grace, nothing recorded
    conflict: bool = False  # more than one record claims this dose

    @property
    def effective(self) -> DoseEntry | None:
        return self.chain.effective if self.chain else None

    @property
    def history(self) -> tuple[DoseEntry, ...]:
        return self.chain.entries if self.chain else ()

    @property
    def key(self) -> tuple[int | None, str]:
        return (self.occurrence.medicine_id, self.occurrence.key)


# ---- Chains and states


def build_chains(entries: Iterable[DoseEntry]) -> list[RecordChain]:
    """Group entries into correction chains, in the order their first entries were made.

    An entry whose corrected entry is not among ``entries`` starts its own chain (a
    partial fetch); it is still the effective word on its dose.
    """
    by_id: dict[int, DoseEntry] = {}
    children: dict[int, list[DoseEntry]] = defaultdict(list)
    loose: list[DoseEntry] = []
    for entry in entries:
        if entry.id is not None:
            by_id[entry.id] = entry
        else:
            loose.append(entry)
    roots = []
    for entry in by_id.values():
        if entry.corrects_id is not None and entry.corrects_id in by_id:
            children[entry.corrects_id].append(entry)
        else:
            roots.append(entry)
    chains = []
    for root in sorted(roots, key=lambda e: e.id or 0):
        items, branched, current = [root], False, root
        while current.id in children:
            nxt = sorted(children[current.id], key=lambda e: e.id or 0)
            branched = branched or len(nxt) > 1
            current = nxt[-1]
            items.append(current)
        chains.append(RecordChain(tuple(items), branched))
    chains.extend(RecordChain((e,)) for e in loose)
    return chains


@dataclass(frozen=True)
class GiveCheck:
    """What giving a due dose at a moment would mean, before it is recorded.

    ``already_recorded``: the dose has a record (given, skipped…): it is not given again
    but its record corrected. ``warnings``: what to tell the caregiver first, in words
    (already recorded, early, late); none when nothing is unusual.
    """

    already_recorded: bool = False
    warnings: tuple[str, ...] = ()


def timing_of(due: datetime, given_at: datetime, window: TimingWindow) -> Timing:
    delta = to_utc(given_at) - to_utc(due)
    if delta < -window.early:
        return Timing.EARLY
    if delta > window.late:
        return Timing.LATE
    return Timing.ON_TIME


def dose_status(occurrence: Occurrence, medicine: Medicine, chains: list[RecordChain],
                now: datetime, policy: DosePolicy) -> DoseStatus:
    """The state of one due dose given the chains recorded against it (usually 0 or 1)."""
    window = policy.window(medicine.given_by)
    live = [c for c in chains if c.effective is not None]
    chain = max(live, key=lambda c: c.head.id or 0) if live else (chains[-1] if chains else None)
    conflict = len(live) > 1 or any(c.branched for c in chains)
    effective = chain.effective if chain else None
    if effective is not None and effective.kind is EntryKind.GIVEN:
        assert effective.given_at is not None
        # judged against the due time the dose had when it was recorded: a later change
        # of time zone moves the wall clock, not how on time the dose was
        due = effective.due_at or occurrence.due
        return DoseStatus(occurrence, medicine, DoseState.GIVEN, chain,
                          timing_of(due, effective.given_at, window), conflict=conflict)
    if effective is not None and effective.kind is EntryKind.SKIPPED:
        return DoseStatus(occurrence, medicine, DoseState.SKIPPED, chain, conflict=conflict)
    now = to_utc(now)
    if now > occurrence.due + window.grace:
        return DoseStatus(occurrence, medicine, DoseState.MISSED, chain, conflict=conflict)
    return DoseStatus(occurrence, medicine, DoseState.DUE, chain,
                      overdue=is_overdue(occurrence.due, now), conflict=conflict)


def before_added(status: DoseStatus, policy: DosePolicy) -> bool:
    """A dose whose time to be recorded was over before its medicine was written into the
    app, with nothing recorded for it: not "missed" (nobody was asked about it), so it is
    not listed. Riluzole added at 15:00 does not list its 08:00 dose as missed. A dose
    still in its grace period when the medicine was added is listed as usual (due, then
    missed), and a dose with anything recorded is always listed."""
    added = status.medicine.added_at
    if added is None or status.chain is not None or status.state is not DoseState.MISSED:
        return False
    grace = policy.window(status.medicine.given_by).grace
    return to_utc(status.occurrence.due) + grace <= to_utc(added)


def dose_statuses(occurrences: Iterable[Occurrence], medicines: Mapping[int | None, Medicine],
                  entries: Iterable[DoseEntry], now: datetime,
                  policy: DosePolicy) -> list[DoseStatus]:
    """Each occurrence with its state, in the order given (``before_added`` left out)."""
    by_key = chains_by_key(build_chains(entries))
    statuses = (
        dose_status(o, medicines[o.medicine_id], by_key.get((o.medicine_id, o.key), []), now,
                    policy)
        for o in occurrences
    )
    return [s for s in statuses if not before_added(s, policy)]


def chains_by_key(chains: Iterable[RecordChain],
                  ) -> dict[tuple[int | None, str], list[RecordChain]]:
    grouped: dict[tuple[int | None, str], list[RecordChain]] = defaultdict(list)
    for chain in chains:
        if chain.key is not None:
            grouped[(chain.medicine_id, chain.key)].append(chain)
    return grouped


def actual_given_dates(entries: Iterable[DoseEntry], zone: ZoneInfo) -> GivenDates:
    """``(medicine_id, key) -> local date`` each scheduled dose was effectively given.

    What ``schedule.occurrences(actual=...)`` needs to re-anchor loading regimens.
    """
    found: dict[tuple[int, str], date] = {}
    for chain in build_chains(entries):
        effective = chain.effective
        if (chain.key is not None and effective is not None
                and effective.kind is EntryKind.GIVEN and effective.given_at is not None):
            found[(chain.medicine_id, chain.key)] = to_utc(effective.given_at).astimezone(
                zone).date()
    return GivenDates(found)


# ---- Making entries


def validate_entry(entry: DoseEntry, *, now: datetime,
                   corrected: RecordChain | None = None,
                   existing: Iterable[RecordChain] = ()) -> DoseEntry:
    """Check a new entry before it is saved; return it tidied (times in UTC).

    ``corrected``: the chain the entry corrects (its ``corrects_id`` must be that chain's
    latest entry). ``existing``: chains already recorded for the same scheduled dose; a
    dose that already has an effective record must be corrected, not recorded again.
    Raises ValidationError with fields ``caregiver``, ``given_at``, ``dose_amount``,
    ``dose_unit``, ``skip_reason``, ``note``, ``override_reason``, ``corrects``.
    """
    errors: dict[str, str] = {}
    now = to_utc(now)
    note = entry.note.strip()
    override = entry.override_reason.strip()
    if entry.recorded_by_id is None:
        errors["caregiver"] = "Choose who is on duty before recording a dose."
    if len(note) > MAX_NOTE:
        errors["note"] = f"Keep the note under {MAX_NOTE} characters."
    if len(override) > MAX_OVERRIDE:
        errors["override_reason"] = f"Keep the reason under {MAX_OVERRIDE} characters."
    given_problem = moment_problem(entry.given_at) if entry.given_at else None
    given_at = to_utc(entry.given_at) if entry.given_at and not given_problem else None
    if entry.kind is EntryKind.GIVEN:
        if given_problem:
            errors["given_at"] = given_problem
        elif given_at is None:
            errors["given_at"] = "Enter the time the dose was given."
        elif given_at > now + FUTURE_TOLERANCE:
            errors["given_at"] = "The time given cannot be in the future."
        for key, message in dose_problem(entry.amount).items():
            errors.setdefault(key, message)
    elif entry.kind is EntryKind.SKIPPED:
        if entry.occurrence_key is None:
            errors["skip_reason"] = "Only a due dose can be marked as not given."
        elif entry.skip_reason is None:
            errors["skip_reason"] = "Choose why the dose was not given."
        elif entry.skip_reason is SkipReason.OTHER and not note:
            errors["note"] = "Write why the dose was not given."
        given_at = None
    elif entry.kind is EntryKind.ENTERED_IN_ERROR:
        if entry.corrects_id is None:
            errors["corrects"] = "Choose the record that was entered in error."
        if not note:
            errors["note"] = "Say what was wrong with the record."
        given_at = None
    if corrected is not None:
        if entry.corrects_id != corrected.head.id:
            errors["corrects"] = "That record was already corrected; correct the latest version."
        elif (entry.medicine_id, entry.occurrence_key) != (corrected.medicine_id,
                                                           corrected.key):
            errors["corrects"] = "A correction must be about the same dose."
    elif entry.corrects_id is not None:
        errors["corrects"] = "The record to correct was not found."
    if corrected is None and entry.occurrence_key is not None:
        live = [c for c in existing if c.effective is not None]
        if live:
            errors["corrects"] = "This dose is already recorded; correct that record instead."
    if errors:
        raise ValidationError(errors)
    amount = entry.amount if entry.kind is EntryKind.GIVEN else None
    if amount is not None:
        amount = Dose(float(amount.amount), " ".join(amount.unit.split()))
    return replace(
        entry, note=note, override_reason=override, given_at=given_at, amount=amount,
        recorded_at=to_utc(entry.recorded_at),
        due_at=to_utc(entry.due_at) if entry.due_at else None,
        skip_reason=entry.skip_reason if entry.kind is EntryKind.SKIPPED else None,
        caregiver_id=entry.caregiver_id if entry.kind is EntryKind.GIVEN else None,
    )


def too_early_to_record(occurrence: Occurrence, now: datetime) -> str:
    """Why a scheduled dose cannot be recorded yet at ``now``, or "" when it can: a dose
    is recorded at most ``EARLY_RECORD_HORIZON`` before it is due (a clinic may give a
    dose a day early), and at any time after (doses are entered after the fact). The
    stock forecast relies on this: no dose further ahead is ever already given."""
    if to_utc(occurrence.due) <= to_utc(now) + EARLY_RECORD_HORIZON:
        return ""
    return (f"This dose is due on {long_date(occurrence.nominal)}: a dose can be recorded "
            f"at most {EARLY_RECORD_HORIZON.days} days before it is due.")


def correction_of(chain: RecordChain, **changes: Any) -> DoseEntry:
    """A new entry correcting ``chain``'s latest entry: same dose, the given ``changes``.

    Pass ``kind``, ``given_at``, ``amount``, ``skip_reason``, ``note``, ``recorded_at``,
    ``recorded_by_id``... Fields not passed are copied from the latest entry.
    """
    head = chain.head
    base = replace(head, id=None, corrects_id=head.id, override_reason="", note="")
    return replace(base, **changes)


__all__ = [
    "DUE_NOW",
    "EARLY_RECORD_HORIZON",
    "DoseEntry",
    "DosePolicy",
    "DoseState",
    "DoseStatus",
    "EntryKind",
    "RecordChain",
    "Timing",
    "TimingWindow",
    "actual_given_dates",
    "build_chains",
    "chains_by_key",
    "correction_of",
    "dose_status",
    "dose_statuses",
    "is_overdue",
    "timing_of",
    "too_early_to_record",
    "validate_entry",
]
