"""One local day of medicines: what the Today tab, reminders and the daily checklist show.

``build_day_view(medicines, entries, day, zone, now, policy, actual=...)`` returns a
``DayView`` with:

- ``doses``: every due dose of every medicine on ``day``, in time order (then by medicine
  name), each a ``doses.DoseStatus`` (state, effective entry, history, early/late, overdue);
- ``as_needed``: one ``prn.PrnStatus`` per as-needed medicine in use that day, answering
  "can be given now" / "next possible at 14:20, 3 of 4 used in the last 24 hours" at ``now``;
- ``extra``: recorded doses that belong to no due dose of that day: as-needed and extra
  doses given that day, and records of a dose no longer on the schedule (``orphan``),
  so nothing recorded is ever hidden.

``entries`` must hold the entries filed on that day (``DoseEntry.slot_at`` or ``given_at``
inside it), the records whose key names a dose of that day (recorded in another time
zone, their due time was filed on another day) and the as-needed doses of the 24 hours
before ``now``; the repository's ``entries_for_day(..., key_days=(day, day))`` fetches
exactly that (with every record of the loading courses, whose keys name no date; of
those, the view reads only the ones ``loading_records_needed`` names).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from caregiver_app.domain.as_needed import PrnStatus, prn_check, prn_given_times
from caregiver_app.domain.doses import (
    DoseEntry,
    DosePolicy,
    DoseState,
    DoseStatus,
    RecordChain,
    before_added,
    build_chains,
    chains_by_key,
    dose_status,
)
from caregiver_app.domain.localtime import day_bounds, to_utc
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.regimens import AsNeededRegimen, LoadingRegimen
from caregiver_app.domain.schedule import Actual, find_occurrence, key_day, occurrences
from caregiver_app.domain.vocab import MedicineStatus


@dataclass(frozen=True)
class ExtraDose:
    """A recorded dose that is not one of the day's due doses."""

    medicine: Medicine
    chain: RecordChain
    orphan: bool = False  # recorded against a scheduled dose that is no longer due
    #: given outside the schedule: an extra dose of a regular medicine, or a dose given
    #: while paused or stopped (not an as-needed dose in use, nor an orphan)
    outside_schedule: bool = False

    @property
    def at(self) -> datetime:
        entry = self.chain.effective or self.chain.head
        return entry.given_at or entry.slot_at


@dataclass(frozen=True)
class DayView:
    """One day's doses for the patient: scheduled, as needed and extra, at ``now``."""

    day: date
    zone: ZoneInfo
    now: datetime
    doses: tuple[DoseStatus, ...]
    as_needed: tuple[PrnStatus, ...]
    extra: tuple[ExtraDose, ...]

    def count(self, state: DoseState) -> int:
        return sum(1 for d in self.doses if d.state is state)

    @property
    def overdue(self) -> tuple[DoseStatus, ...]:
        """Past due, still within grace, nothing recorded: what reminders nag about."""
        return tuple(d for d in self.doses if d.overdue)

    @property
    def due_now(self) -> tuple[DoseStatus, ...]:
        """Due at this very minute, nothing recorded (``doses.DUE_NOW``): not overdue yet."""
        now = to_utc(self.now)
        return tuple(d for d in self.doses if d.state is DoseState.DUE and not d.overdue
                     and d.occurrence.due <= now)

    @property
    def next_due(self) -> DoseStatus | None:
        """The first dose still to come (due time after ``now``)."""
        now = to_utc(self.now)
        return next((d for d in self.doses
                     if d.state is DoseState.DUE and d.occurrence.due > now), None)


def build_day_view(medicines: Iterable[Medicine], entries: Iterable[DoseEntry], day: date,
                   zone: ZoneInfo, now: datetime, policy: DosePolicy, *,
                   actual: Actual | None = None) -> DayView:
    now = to_utc(now)
    start, end = day_bounds(day, zone)
    meds = {m.id: m for m in medicines}
    chains = build_chains(entries)
    by_key = chains_by_key(chains)

    statuses: list[DoseStatus] = []
    for medicine in meds.values():
        for occ in occurrences(medicine, start, end, zone, actual=actual):
            status = dose_status(occ, medicine, by_key.get((medicine.id, occ.key), []), now,
                                 policy)
            if not before_added(status, policy):  # added at 15:00: its 08:00 dose is not "missed"
                statuses.append(status)
    statuses.sort(key=lambda s: (s.occurrence.due, s.medicine.name.casefold(),
                                 s.occurrence.key))
    due_keys = {s.key for s in statuses}

    extra = []
    for chain in chains:
        of_chain = meds.get(chain.medicine_id)
        effective = chain.effective
        if of_chain is None or effective is None:
            continue
        if chain.key is not None and (chain.medicine_id, chain.key) in due_keys:
            continue
        # A scheduled dose belongs to the day it was due (a late dose given after midnight
        # stays on its own day): the date its key names, whatever zone it was recorded
        # in; a loading-course dose to the day it was filed; an unscheduled one to the
        # day it was given.
        at = to_utc(chain.first.slot_at if chain.key is not None
                    else effective.given_at or effective.slot_at)
        if chain.key is None:
            here = start <= at < end
        elif (named := key_day(chain.key)) is not None:
            here = named == day
        else:  # a loading-course dose still on the schedule shows on its own day
            here = (start <= at < end and find_occurrence(
                of_chain, chain.key, zone, actual=actual) is None)
        if here:
            unscheduled = chain.key is None
            in_use = (unscheduled and _uses_prn_on(of_chain, day)
                      and of_chain.is_active_at(at))
            extra.append(ExtraDose(of_chain, chain, orphan=not unscheduled,
                                   outside_schedule=unscheduled and not in_use))
    extra.sort(key=lambda x: (to_utc(x.at), x.medicine.name.casefold()))

    as_needed = [p for m in meds.values() if _uses_prn_on(m, day)
                 if (p := _prn_status(m, chains, day, start, end, now)) is not None]
    as_needed.sort(key=lambda p: p.medicine.name.casefold())
    return DayView(day, zone, now, tuple(statuses), tuple(as_needed), tuple(extra))


@dataclass(frozen=True)
class RecordedDay:
    """One day's due doses with their states and its other recorded doses, as the
    ``DayView`` of that day has them, without the as-needed check at ``now``: what the
    dose history export writes."""

    day: date
    doses: tuple[DoseStatus, ...]
    extra: tuple[ExtraDose, ...]


def build_recorded_days(medicines: Iterable[Medicine], entries: Iterable[DoseEntry],
                        first: date, last: date, zone: ZoneInfo, now: datetime,
                        policy: DosePolicy, *, actual: Actual | None = None
                        ) -> list[RecordedDay]:
    """The ``doses`` and ``extra`` of ``build_day_view`` for each day ``first`` to
    ``last``, from the records of the whole period read at once (the repository's
    ``entries_between`` of the period with ``key_days=(first, last)`` and the loading
    doses due in it): each medicine's doses worked out once for the period and each
    chain put on the one day it can show on, not a day view built per day."""
    now = to_utc(now)
    meds = {m.id: m for m in medicines}
    count = (last - first).days + 1
    if count <= 0:
        return []
    bounds = [day_bounds(first + timedelta(days=n), zone) for n in range(count)]
    starts = [b[0] for b in bounds]  # each day ends where the next begins

    def day_of(moment: datetime) -> int | None:
        n = bisect_right(starts, moment) - 1
        return n if n >= 0 and moment < bounds[n][1] else None

    chains = build_chains(entries)
    by_key = chains_by_key(chains)
    statuses: list[list[DoseStatus]] = [[] for _ in range(count)]
    for medicine in meds.values():
        for occ in occurrences(medicine, starts[0], bounds[-1][1], zone, actual=actual):
            n = day_of(to_utc(occ.due))
            if n is None:  # pragma: no cover - occurrences keeps to the period
                continue
            status = dose_status(occ, medicine, by_key.get((medicine.id, occ.key), []), now,
                                 policy)
            if not before_added(status, policy):
                statuses[n].append(status)
    for found in statuses:
        found.sort(key=lambda s: (s.occurrence.due, s.medicine.name.casefold(),
                                  s.occurrence.key))
    due_keys = [{s.key for s in found} for found in statuses]

    extra: list[list[ExtraDose]] = [[] for _ in range(count)]
    for chain in chains:
        of_chain = meds.get(chain.medicine_id)
        effective = chain.effective
        if of_chain is None or effective is None:
            continue
        # the one day ``build_day_view`` can show it on (as it decides ``here``)
        at = to_utc(chain.first.slot_at if chain.key is not None
                    else effective.given_at or effective.slot_at)
        if chain.key is None:
            n = day_of(at)
        elif (named := key_day(chain.key)) is not None:
            n = (named - first).days
            n = n if 0 <= n < count else None
        else:
            n = day_of(at)
        if n is None or (chain.medicine_id, chain.key) in due_keys[n]:
            continue
        if chain.key is not None and key_day(chain.key) is None and find_occurrence(
                of_chain, chain.key, zone, actual=actual) is not None:
            continue  # a loading-course dose still on the schedule shows on its own day
        day = first + timedelta(days=n)
        unscheduled = chain.key is None
        in_use = unscheduled and _uses_prn_on(of_chain, day) and of_chain.is_active_at(at)
        extra[n].append(ExtraDose(of_chain, chain, orphan=not unscheduled,
                                  outside_schedule=unscheduled and not in_use))
    for shown in extra:
        shown.sort(key=lambda x: (to_utc(x.at), x.medicine.name.casefold()))
    return [RecordedDay(first + timedelta(days=n), tuple(statuses[n]), tuple(extra[n]))
            for n in range(count)]


def loading_records_needed(medicines: Iterable[Medicine], day: date, zone: ZoneInfo, *,
                           actual: Actual | None = None
                           ) -> tuple[frozenset[tuple[int, str]], frozenset[int]]:
    """Which records of the loading courses (keys naming no date) ``build_day_view``
    reads, besides those filed on ``day``: (the (medicine id, key) of each loading-course
    dose due on ``day``, the ids of the medicines used as needed that day, whose every
    record counts in the as-needed check however old). Any other loading-course record
    changes nothing in the day's view: it is no dose of the day, and shows as a record
    of that day only when filed on it (``extra``), so it is among the day's entries."""
    meds = {m.id: m for m in medicines}
    start, end = day_bounds(day, zone)
    doses = frozenset(
        (medicine_id, occ.key) for medicine_id, medicine in meds.items()
        if medicine_id is not None
        and any(isinstance(v.regimen, LoadingRegimen) for v in medicine.versions)
        for occ in occurrences(medicine, start, end, zone, actual=actual)
        if key_day(occ.key) is None)
    as_needed = frozenset(medicine_id for medicine_id, medicine in meds.items()
                          if medicine_id is not None and _uses_prn_on(medicine, day))
    return doses, as_needed


def _uses_prn_on(medicine: Medicine, day: date) -> bool:
    version = medicine.version_on(day)
    if version is None or not isinstance(version.regimen, AsNeededRegimen):
        return False
    regimen = version.regimen
    if day < medicine.start_date or (medicine.end_date and day > medicine.end_date):
        return False
    return regimen.start <= day and (regimen.end is None or day <= regimen.end)


def _prn_status(medicine: Medicine, chains: list[RecordChain], day: date, start: datetime,
                end: datetime, now: datetime) -> PrnStatus | None:
    version = medicine.version_on(day)
    assert version is not None and isinstance(version.regimen, AsNeededRegimen)
    moment = min(max(now, start), end - timedelta(microseconds=1))
    if medicine.status_at(moment) is MedicineStatus.STOPPED:
        return None
    times = prn_given_times([c for c in chains if c.medicine_id == medicine.id],
                            medicine.id)  # type: ignore[arg-type]
    today = tuple(t for t in times if start <= t < end)
    if not medicine.is_active_at(now):
        return PrnStatus(medicine, None, None, today)
    return PrnStatus(medicine, version.regimen, prn_check(version.regimen, times, now), today)


def prn_status_now(medicine: Medicine, chains: list[RecordChain], zone: ZoneInfo,
                   now: datetime) -> PrnStatus | None:
    """The as-needed status of one medicine at ``now`` (None if it is not as-needed today)."""
    day = to_utc(now).astimezone(zone).date()
    if not _uses_prn_on(medicine, day):
        return None
    start, end = day_bounds(day, zone)
    return _prn_status(medicine, chains, day, start, end, to_utc(now))


__all__ = ["DayView", "ExtraDose", "RecordedDay", "build_day_view", "build_recorded_days",
           "loading_records_needed", "prn_status_now"]
