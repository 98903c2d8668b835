"""The medication book: the one object the UI, reminders and printing call for medicines.

A thin QObject over ``storage.medications_repo`` and the ``domain`` functions. It adds
three things: the time (an injected ``Clock``) and the patient's zone, the caregiver on
duty (stamped on every write), and the announcement of every write on the core's one
change signal (``services.changes``).

Reads return domain objects (``day()`` is the Today tab's, the reminders' and the daily
checklist's ``DayView``). Checks before a write (``check_given``, ``check_prn``) save
nothing and say what is unusual. Each write validates, saves atomically, then announces
one ``Changes`` naming the medicines, dose entries or stock it changed.

Undo (``domain.undo``): the ``Changes`` of a write that saved dose entries carries them
as a ``LastAction``; any other write to the medicines carries none (which ends the
chance to undo the one before). ``one_action()`` makes several writes one action (the
"while you were away" list's answers saved together); ``undo(action)`` takes an action
back with corrections, all saved together or none (``services.undo.UndoService``
decides which action); ``undo_entry(entry_id)`` takes back one record.

Every write raises ``domain.errors.ValidationError`` (``errors`` maps a field to a
message for the form) when the input is refused, and saves nothing then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.as_needed import (
    PrnStatus,
    prn_given_times,
    prn_problems,
    validate_prn_dose,
)
from caregiver_app.domain.dayview import (
    DayView,
    build_day_view,
    loading_records_needed,
    prn_status_now,
)
from caregiver_app.domain.doses import (
    EARLY_RECORD_HORIZON,
    DoseEntry,
    DosePolicy,
    DoseStatus,
    EntryKind,
    GiveCheck,
    RecordChain,
    Timing,
    actual_given_dates,
    build_chains,
    correction_of,
    dose_statuses,
    timing_of,
    too_early_to_record,
    validate_entry,
)
from caregiver_app.domain.errors import NotFound, ValidationError
from caregiver_app.domain.household import (
    DOSE_MISSED_AFTER,
    DOSE_ON_TIME,
    HouseholdSettings,
    setting_text,
)
from caregiver_app.domain.localtime import (
    day_bounds,
    describe_day,
    describe_duration,
    local_date,
    to_utc,
    weekday_date,
    zone_named,
)
from caregiver_app.domain.medicines import (
    GivenBy,
    Medicine,
    MedicineVersion,
    StatusChange,
    SupplySettings,
    validate_medicine,
    validate_status_change,
    validate_supply,
    validate_version,
)
from caregiver_app.domain.preview import PREVIEW_COUNT
from caregiver_app.domain.preview import upcoming as upcoming_doses
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    CycleShift,
    LoadingRegimen,
)
from caregiver_app.domain.schedule import (
    Actual,
    Occurrence,
    changed_records,
    find_occurrence,
    key_day,
    occurrences,
    resume_cycle,
    validate_cycle_shift,
)
from caregiver_app.domain.supply import (
    SupplyEvent,
    SupplyEventKind,
    SupplyForecast,
    forecast_supply,
    prn_daily_use,
    stock_on_hand,
    validate_supply_event,
)
from caregiver_app.domain.today import is_carried_over
from caregiver_app.domain.undo import ActionItem, LastAction, reversal
from caregiver_app.domain.vocab import FoodRuleKind, MedicineStatus, SkipReason
from caregiver_app.services.changes import ChangeHub, Changes
from caregiver_app.services.clock import Clock
from caregiver_app.storage.household_repo import HouseholdRepository
from caregiver_app.storage.medications_repo import LoadingWanted, MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

if TYPE_CHECKING:  # loaded where used: the window's start and printing need none of them
    from caregiver_app.domain.adherence import AdherenceReport
    from caregiver_app.domain.batch import BatchPlan
    from caregiver_app.domain.dayview import RecordedDay
    from caregiver_app.domain.history import HistoryItem, HistoryPage
    from caregiver_app.domain.medicine_edit import MedicineEdit

#: Dose records per page of a medicine's history (a screenful or two at any text size).
HISTORY_PAGE = 100
#: How far ahead the stock forecast looks.
FORECAST_HORIZON = timedelta(days=730)
_FORECAST_CHUNK = timedelta(days=60)
#: How many sets of medicines' loading-course dates given are kept at most.
_ACTUAL_KEPT = 64


def patient_zone(patients: PatientRepository, *,
                 default: Callable[[], str]) -> Callable[[], ZoneInfo]:
    """A ``zone`` callable for ``MedicationBook``: the patient's zone, else ``default()``
    (asked only then: the computer's zone, ``core.system_time_zone``, is Qt's first read
    of the system's time zones, ~5 ms CPU, which a patient with a zone never needs)."""

    def zone() -> ZoneInfo:
        patient = patients.get()
        try:
            if patient and patient.time_zone:
                return zone_named(patient.time_zone)
        except ValidationError:
            pass
        return zone_named("", default=default())

    return zone


class _OnDuty:
    """Sentinel default: "the caregiver on duty" for home doses, nobody for clinic doses."""


ON_DUTY = _OnDuty()


class MedicationBook(QObject):
    """Every successful write announces one ``Changes`` on ``changes`` (the core's
    ``ChangeHub``), never a refused one: the medicines, doses or stock it changed, and
    for dose entries the ``domain.undo.LastAction`` it was (Undo); writes inside
    ``one_action()`` are announced once, together, at its end."""

    def __init__(self, repo: MedicationRepository, *, clock: Clock,
                 on_duty: Callable[[], int | None], zone: Callable[[], ZoneInfo],
                 policy: DosePolicy | None = None,
                 household: HouseholdRepository | None = None,
                 changes: ChangeHub | None = None,
                 parent: QObject | None = None):
        """``on_duty`` returns the id of the caregiver on duty (``Session.on_duty_id``);
        ``zone`` the patient's time zone. ``household``: where the household's dose
        timing is kept (the records); the policy is read from it unless ``policy`` is
        given. ``changes``: where every write is announced (the core's; a new one by
        default)."""
        super().__init__(parent)
        self.changes = changes if changes is not None else ChangeHub(self)
        self._repo = repo
        self._actual_read: dict[tuple[int, ...], tuple[object, Actual]] = {}
        self._clock = clock
        self._on_duty = on_duty
        self._zone = zone
        self._zone_held: ZoneInfo | None = None  # while ``reading``
        self._household = household
        if policy is None and household is not None:
            policy = household.get().dose_policy()
        self._policy = policy or DosePolicy()
        self._group: list[ActionItem] | None = None

    # ---- Public API: time and settings

    @property
    def policy(self) -> DosePolicy:
        return self._policy


    def household_settings(self) -> HouseholdSettings:
        """The household's settings as the records hold them."""
        return self._household.get() if self._household is not None else HouseholdSettings()

    def save_dose_timing(self, on_time_minutes: int, missed_after_minutes: int) -> None:
        """Save the household's dose timing in the records, then use it (announced:
        every dose's state may read differently). ValidationError names a value that is
        not one of the choices; nothing is saved then."""
        values = {DOSE_ON_TIME: on_time_minutes, DOSE_MISSED_AFTER: missed_after_minutes}
        if self._household is not None:
            self._household.save(values)
        else:
            for key, value in values.items():
                setting_text(key, value)  # the same check, with nowhere to keep it
        self._policy = HouseholdSettings(on_time_minutes, missed_after_minutes).dose_policy()
        self.changes.announce(Changes(settings=frozenset(values)))

    def zone(self) -> ZoneInfo:
        return self._zone_held or self._zone()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads inside take the patient's time zone once, not at each call (a redraw of
        Today asked for it 17 times, each a read of the patient). Only for reads: a
        write inside may change the zone. Nests."""
        if self._zone_held is not None:
            yield
            return
        self._zone_held = self._zone()
        try:
            yield
        finally:
            self._zone_held = None

    def now(self) -> datetime:
        return to_utc(self._clock.now())

    def today(self) -> date:
        return local_date(self.now(), self.zone())

    # ---- Public API: reading

    def medicines(self) -> list[Medicine]:
        return self._repo.medicines()

    def medicine(self, medicine_id: int) -> Medicine:
        return self._repo.medicine(medicine_id)

    def day(self, day: date | None = None, *,
            medicines: Sequence[Medicine] | None = None) -> DayView:
        """Every due dose of ``day`` (default today) with its state, plus as-needed status.
        ``medicines``: every medicine, as ``medicines()`` has just read them (not read
        again: one read for all of a redraw)."""
        zone, now = self.zone(), self.now()
        day = day or local_date(now, zone)
        start, end = day_bounds(day, zone)
        medicines = list(medicines) if medicines is not None else self._repo.medicines()
        actual = self._actual(medicines)
        # of the loading courses' records, only those the view reads (not years of them)
        doses, as_needed = loading_records_needed(medicines, day, zone, actual=actual)
        entries = self._repo.entries_for_day(start, end, now, self._prn_lookback(medicines),
                                             key_days=(day, day),
                                             loading=LoadingWanted(doses, as_needed))
        return build_day_view(medicines, entries, day, zone, now, self._policy,
                              actual=actual)

    def recorded_days(self, first: date, last: date, *,
                      medicines: Sequence[Medicine] | None = None) -> list[RecordedDay]:
        """The due doses (with their states) and other recorded doses of each local day
        ``first`` to ``last``, as ``day`` has them (without the as-needed check), from
        one read of the period's records: the dose history export. ``medicines``: as
        for ``day``."""
        from caregiver_app.domain.dayview import build_recorded_days

        zone, now = self.zone(), self.now()
        start, end = day_bounds(first, zone)[0], day_bounds(last, zone)[1]
        medicines = list(medicines) if medicines is not None else self._repo.medicines()
        actual = self._actual(medicines)
        # of the loading courses' records, those of their doses due in the period (as
        # each day's view reads them; their keys name no date)
        loading = frozenset(
            (m.id, o.key) for m in medicines if m.id is not None
            and any(isinstance(v.regimen, LoadingRegimen) for v in m.versions)
            for o in occurrences(m, start, end, zone, actual=actual)
            if key_day(o.key) is None)
        entries = self._repo.entries_between(start, end, key_days=(first, last),
                                             loading=LoadingWanted(loading))
        return build_recorded_days(medicines, entries, first, last, zone, now,
                                   self._policy, actual=actual)

    def statuses(self, first: date, last: date, *,
                 medicine_id: int | None = None) -> list[DoseStatus]:
        """Due doses of local days ``first`` to ``last`` (inclusive) with their states."""
        zone = self.zone()
        return self.statuses_between(day_bounds(first, zone)[0], day_bounds(last, zone)[1],
                                     medicine_id=medicine_id)

    def carried_over(self, day: date, *, medicine_id: int | None = None,
                     medicines: Sequence[Medicine] | None = None,
                     ) -> tuple[DoseStatus, ...]:
        """The doses of the day before that ``day`` still shows on top
        (``domain.today.is_carried_over``). ``medicines``: as for ``day``."""
        start, _ = day_bounds(day, self.zone())
        return tuple(s for s in self.statuses_between(start - timedelta(days=1), start,
                                                      medicine_id=medicine_id,
                                                      medicines=medicines)
                     if is_carried_over(s, start, self._policy))

    def is_carried_over(self, medicine_id: int, key: str, day: date) -> bool:
        """Whether this dose of the day before is one ``day`` still shows on top
        (``carried_over``)."""
        return any(s.key == (medicine_id, key)
                   for s in self.carried_over(day, medicine_id=medicine_id))

    def statuses_between(self, start: datetime, end: datetime, *,
                         medicine_id: int | None = None,
                         medicines: Sequence[Medicine] | None = None) -> list[DoseStatus]:
        """Due doses whose due time is in ``[start, end)``, in time order, with their states
        (reminders: "what is due in the next hour"). ``medicines``: as for ``day``."""
        zone, now = self.zone(), self.now()
        start, end = to_utc(start), to_utc(end)
        if medicines is None:
            medicines = ([self._repo.medicine(medicine_id)] if medicine_id is not None
                         else self._repo.medicines())
        else:
            medicines = [m for m in medicines if medicine_id in (None, m.id)]
        actual = self._actual(medicines)
        found: list[Occurrence] = []
        for medicine in medicines:
            found.extend(occurrences(medicine, start, end, zone, actual=actual))
        found.sort(key=lambda o: (o.due, o.key))
        # each dose's record is found by its key too: it stays the dose's record when the
        # zone changed since it was recorded (its due time was filed in the old zone)
        days = [o.nominal.date() for o in found]
        # a status reads only its own dose's records: of the loading courses', only those
        loading = LoadingWanted(frozenset(
            (o.medicine_id, o.key) for o in found
            if o.medicine_id is not None and key_day(o.key) is None))
        entries = self._repo.entries_between(
            start, end, medicine_id=medicine_id,
            key_days=(min(days), max(days)) if days else None, loading=loading)
        return dose_statuses(found, {m.id: m for m in medicines}, entries, now, self._policy)

    def adherence(self, first: date, last: date, *,
                  medicine_id: int | None = None) -> AdherenceReport:
        from caregiver_app.domain.adherence import adherence

        return adherence(self.statuses(first, last, medicine_id=medicine_id))

    def occurrence(self, medicine_id: int, key: str) -> Occurrence | None:
        medicine = self._repo.medicine(medicine_id)
        return find_occurrence(medicine, key, self.zone(), actual=self._actual([medicine]))

    def chain(self, entry_id: int) -> RecordChain:
        return self._repo.chain(entry_id)

    def prn_status(self, medicine_id: int) -> PrnStatus | None:
        medicine = self._repo.medicine(medicine_id)
        now = self.now()
        chains = build_chains(self._repo.prn_entries(
            medicine_id, now - self._prn_lookback([medicine]), now))
        return prn_status_now(medicine, chains, self.zone(), now)

    def supply(self, medicine_id: int, *, medicine: Medicine | None = None,
               horizon: timedelta = FORECAST_HORIZON) -> SupplyForecast:
        """Stock on hand, run-out date from the real schedule, reorder and discard warnings.
        ``medicine``: that medicine as it was just read (not read again). ``horizon``: the
        doses followed for the run-out date go no further than this from now (a stock
        that lasts longer has no run-out date): Today's warnings need only the reorder
        days (``domain.today.supply_horizon``), not two years of doses."""
        if medicine is None or medicine.id != medicine_id:
            medicine = self._repo.medicine(medicine_id)
        settings = medicine.supply
        now, zone = self.now(), self.zone()
        today = local_date(now, zone)
        events = self._repo.supply_events(medicine_id)
        counts = [e for e in events if e.kind is SupplyEventKind.COUNT and e.at <= now]
        since = counts[-1].at if counts else None
        # The doses given since the last count, summed in SQL (a household that never
        # counts would otherwise read years of records for every row of the list).
        version = medicine.version_on(today) or medicine.versions[-1]
        on_hand = stock_on_hand(settings, events, (), now)
        if on_hand is not None:
            used = self._repo.given_usage(medicine_id, settings=settings,
                                          strength=version.strength, since=since, until=now)
            on_hand = max(0.0, round(on_hand - used, 6))
        if medicine.is_as_needed(today):
            return forecast_supply(settings, on_hand, (), today,
                                   prn_daily_use=prn_daily_use(
                                       settings, self._repo.effective_given(
                                           medicine_id, since=now - timedelta(days=28)), now,
                                       strength=version.strength))
        # a dose given early is already off the stock: it is not counted again as upcoming
        # (a dose is given at most hours early, and future days cannot be recorded)
        ahead = self._repo.recorded_keys_due_between(medicine_id, now,
                                                     now + EARLY_RECORD_HORIZON)
        upcoming = (o for o in self._upcoming(medicine, now, horizon) if o.key not in ahead)
        return forecast_supply(settings, on_hand, upcoming, today)

    def history(self, medicine_id: int, *, sources: bool = True) -> list[HistoryItem]:
        """Every dose record and correction, change, pause, cycle change and refill of one
        medicine, newest first, each correction chain kept together (read-only).
        ``sources``: say which records came from a phone's tick (in their ``detail``);
        False when only what happened and when is read (How things are going)."""
        from caregiver_app.domain.history import build_history

        medicine = self._repo.medicine(medicine_id)
        entries = self._repo.entries_of(medicine_id)
        items = build_history(medicine, entries, self._repo.supply_events(medicine_id),
                              self._repo.version_log(medicine_id),
                              self._repo.cycle_shift_log(medicine_id), self.zone())
        return self._from_phones(items, entries) if sources else items

    def changes_and_pauses(self, medicine_id: int) -> list[HistoryItem]:
        """The changes and pauses in one medicine's ``history`` (its CHANGE and STATUS
        items, newest first), read without its dose records or stock: they are made from
        its versions and status changes alone (the clinic-visit summary)."""
        from caregiver_app.domain.history import HistoryKind, build_history

        items = build_history(self._repo.medicine(medicine_id), (), (),
                              self._repo.version_log(medicine_id), (), self.zone())
        return [i for i in items if i.kind in (HistoryKind.CHANGE, HistoryKind.STATUS)]

    def chains_since(self, medicine_id: int, since: datetime, *,
                     given_since: datetime | None = None) -> list[RecordChain]:
        """The dose records of one medicine filed from ``since`` on (a scheduled dose's
        due time, an as-needed dose's first time given), as correction chains in the
        order their first entries were made; nothing older is read, except with
        ``given_since`` the chains of as-needed doses a correction says were given from
        then on, wherever they are filed."""
        return build_chains(self._repo.entries_filed_since(
            medicine_id, to_utc(since),
            given_since=to_utc(given_since) if given_since is not None else None))

    def history_page(self, medicine_id: int, before: datetime | None = None, *,
                     size: int = HISTORY_PAGE) -> HistoryPage:
        """A page of ``history``: its newest lines before ``before`` (from the newest
        when None), about ``size`` dose records with their chains and whatever else
        happened then, read by an index (not the years before them). The History window
        reads the next page as the person scrolls."""
        from caregiver_app.domain.history import history_page

        repo = self._repo
        medicine = repo.medicine(medicine_id)
        entries, start = repo.history_entries(medicine_id, before=before, count=size)
        page = history_page(medicine, entries, repo.supply_events(medicine_id),
                            repo.version_log(medicine_id), repo.cycle_shift_log(medicine_id),
                            self.zone(), start=start, end=before,
                            entry_count=repo.entry_count(medicine_id))
        return replace(page, items=tuple(self._from_phones(page.items, entries)))

    def _from_phones(self, items: Sequence[HistoryItem], entries: Sequence[DoseEntry]
                     ) -> list[HistoryItem]:
        """``items`` with what the phones did to their records: the source of each made
        from a phone's tick, and the phones that ticked one too after the app recorded
        it ("Also ticked on Ana's iPhone at 08:12.") or un-ticked it."""
        from caregiver_app.domain.tick_sources import with_sources

        ids = [e.id for e in entries if e.id is not None]
        found, also = self._repo.dose_sources(ids), self._repo.also_ticked(ids, self.zone())
        if not found and not also:
            return list(items)
        return with_sources(items, found, self.zone(), also)

    def history_pages(self, medicine_id: int) -> Callable[[datetime | None], HistoryPage]:
        """``history_page`` of one medicine, for the History window."""
        return lambda before: self.history_page(medicine_id, before)

    def upcoming(self, medicine: Medicine, *, after: datetime | None = None,
                 count: int = PREVIEW_COUNT) -> list[Occurrence]:
        """The next ``count`` due doses of ``medicine`` from ``after`` (default now).

        ``medicine`` may be unsaved or edited (the medicine dialog's preview): nothing is
        written. A saved loading course counts from the days its doses were given.
        """
        actual = self._actual([medicine]) if medicine.id is not None else {}
        return upcoming_doses(medicine, after or self.now(), self.zone(), count,
                              actual=actual)

    # ---- Public API: checks before writing

    def check_given(self, medicine_id: int, key: str,
                    given_at: datetime | None = None) -> GiveCheck:
        """Giving this due dose at ``given_at`` (default now): already recorded? and the
        warnings to show first (already recorded, early, late)."""
        medicine = self._repo.medicine(medicine_id)
        occurrence = self._occurrence_or_error(medicine, key)
        at = to_utc(given_at) if given_at else self.now()
        warnings = []
        recorded = any(c.effective for c in self._repo.chains_for_dose(medicine_id, key))
        if recorded:
            warnings.append("This dose is already recorded.")
        window = self._policy.window(medicine.given_by)
        timing = timing_of(occurrence.due, at, window)
        if timing is not Timing.ON_TIME:
            gap = abs(at - occurrence.due)
            word = "early" if timing is Timing.EARLY else "late"
            warnings.append(f"This is {describe_duration(gap)} {word}: it was due at "
                            f"{occurrence.local:%H:%M}.")
        return GiveCheck(already_recorded=recorded, warnings=tuple(warnings))

    def check_prn(self, medicine_id: int, at: datetime | None = None) -> list[str]:
        """The limits an as-needed dose at ``at`` (default now) would break ([] if none)."""
        medicine = self._repo.medicine(medicine_id)
        at = to_utc(at) if at else self.now()
        regimen = self._prn_regimen(medicine, at)
        return prn_problems(regimen, self._prn_times(medicine, at), at, self.zone())

    # ---- Public API: medicines

    def add_medicine(self, medicine: Medicine) -> Medicine:
        clean = validate_medicine(medicine)
        saved = self._repo.add_medicine(clean, by=self._on_duty(), at=self.now())
        self._emit(saved.id)
        return saved

    def update_details(self, medicine: Medicine) -> Medicine:
        """Save names, purpose, instructions, food rule, contacts, dates, stock settings.
        Versions, status and shifts in ``medicine`` are ignored (use the calls below)."""
        if medicine.id is None:
            raise NotFound("The medicine has not been saved yet.")
        stored = self._repo.medicine(medicine.id)
        merged = replace(medicine, versions=stored.versions,
                         status_history=stored.status_history,
                         cycle_shifts=stored.cycle_shifts)
        try:
            clean = validate_medicine(merged)
        except ValidationError as exc:
            if "valid_from" in exc.errors:  # a later version starts before the new start
                later = max(v.valid_from for v in stored.versions)
                raise ValidationError({**{k: v for k, v in exc.errors.items()
                                          if k != "valid_from"},
                                       "start_date": "The start date cannot be after a change "
                                       f"already recorded ({describe_day(later)})."}) from exc
            raise
        self._keep_records_on_schedule(stored, clean, _dates_changed(stored, clean))
        saved = self._repo.update_details(clean, by=self._on_duty(), at=self.now())
        self._emit(saved.id)
        return saved

    def change_version(self, medicine_id: int, version: MedicineVersion) -> Medicine:
        """A new dose / form / route / strength / schedule from ``version.valid_from`` on.
        Doses before that date keep showing the previous version. Refused when it would
        take a dose already recorded off the schedule (field ``valid_from``)."""
        medicine = self._repo.medicine(medicine_id)
        clean = self._checked_version(medicine, version)
        saved = self._repo.add_version(medicine_id, clean, by=self._on_duty(), at=self.now())
        self._emit(medicine_id)
        return saved

    def save_edit(self, edit: MedicineEdit) -> Medicine:
        """Save what the medicine dialog asks (``domain.medicine_edit``): a new medicine,
        or new details and perhaps a new version (``save_change``). An edit that changes
        nothing writes nothing and returns the medicine as stored."""
        if edit.is_new:
            return self.add_medicine(edit.medicine)
        medicine_id = edit.medicine.id
        assert medicine_id is not None
        if edit.new_version is None and not edit.details_changed:
            return self.medicine(medicine_id)
        return self.save_change(edit.medicine, edit.new_version)

    def save_change(self, medicine: Medicine, version: MedicineVersion | None) -> Medicine:
        """The medicine dialog's save: new details and, if any, a new version, both
        checked before either is written, and written together (nothing half-saved)."""
        if medicine.id is None:
            raise NotFound("The medicine has not been saved yet.")
        if version is None:
            return self.update_details(medicine)
        stored = self._repo.medicine(medicine.id)
        errors: dict[str, str] = {}
        clean_version = None
        try:
            clean_version = self._checked_version(stored, version)
        except ValidationError as exc:
            errors.update(exc.errors)
        details = replace(medicine, versions=(*stored.versions, clean_version or version),
                          status_history=stored.status_history,
                          cycle_shifts=stored.cycle_shifts)
        try:
            validate_medicine(details)
            if clean_version is not None:
                self._keep_records_on_schedule(
                    stored, details, _dates_changed(stored, details))
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        if errors:
            raise ValidationError(errors)
        assert clean_version is not None
        now, by = self.now(), self._on_duty()
        with self._repo.atomic():
            self._repo.add_version(medicine.id, clean_version, by=by, at=now)
            saved = self._repo.update_details(
                replace(details, versions=stored.versions), by=by, at=now)
        self._emit(medicine.id)
        return saved

    def pause(self, medicine_id: int, reason: str, *, at: datetime | None = None) -> Medicine:
        return self._set_status(medicine_id, MedicineStatus.PAUSED, reason, at)

    def resume(self, medicine_id: int, reason: str = "", *,
               at: datetime | None = None) -> Medicine:
        return self._set_status(medicine_id, MedicineStatus.ACTIVE, reason, at)

    def stop(self, medicine_id: int, reason: str, *, at: datetime | None = None) -> Medicine:
        """Stop giving it. Its records stay; doses due from ``at`` (default now) are not."""
        return self._set_status(medicine_id, MedicineStatus.STOPPED, reason, at)

    def update_supply_settings(self, medicine_id: int, settings: SupplySettings) -> Medicine:
        medicine = self._repo.medicine(medicine_id)
        return self.update_details(replace(medicine, supply=validate_supply(settings)))

    def open_bottle(self, medicine_id: int, opened_on: date,
                    discard_by: date | None) -> Medicine:
        """A new bottle of a liquid was opened; ``discard_by``: the date to throw it away."""
        medicine = self._repo.medicine(medicine_id)
        return self.update_supply_settings(
            medicine_id, replace(medicine.supply, opened_on=opened_on, discard_by=discard_by))

    # ---- Public API: cycles

    def shift_cycle(self, medicine_id: int, from_date: date, days: int, *, carry: bool = True,
                    reason: str = "") -> Medicine:
        """Move the cycle doses from ``from_date`` on ``days`` later (later cycles too,
        with ``carry``)."""
        return self._add_shift(medicine_id, CycleShift(from_date, days, carry, reason))

    def pause_cycle(self, medicine_id: int, from_date: date, reason: str) -> Medicine:
        """Hold the cycle from ``from_date`` until ``resume_cycle``."""
        if not reason.strip():
            raise ValidationError({"reason": "Say why the cycle is paused."})
        return self._add_shift(medicine_id, CycleShift(from_date, None, True, reason))

    def resume_cycle(self, medicine_id: int, resume_on: date) -> Medicine:
        """The held dose is due on ``resume_on``; the following ones move with it."""
        medicine = self._repo.medicine(medicine_id)
        hold = medicine.open_hold(self.today())
        if hold is None or hold.id is None:
            raise ValidationError({"resume_on": "The cycle is not paused."})
        done = resume_cycle(medicine, hold, resume_on)
        after = replace(medicine, cycle_shifts=tuple(
            done if s.id == hold.id else s for s in medicine.cycle_shifts))
        self._keep_records_on_schedule(medicine, after, hold.from_date, field="resume_on")
        self._repo.resume_cycle_shift(hold.id, done.days or 0, by=self._on_duty(),
                                      at=self.now())
        self._emit(medicine_id)
        return self._repo.medicine(medicine_id)

    def undo_cycle_change(self, medicine_id: int, shift_id: int) -> Medicine:
        """Withdraw a shift or pause entered by mistake (it stays in the history table).

        Only the latest change of a course can be undone, and not once a dose it moved
        has been recorded (the record would no longer match the schedule)."""
        medicine = self._repo.medicine(medicine_id)
        shift = next((s for s in medicine.cycle_shifts if s.id == shift_id), None)
        if shift is None:
            raise NotFound("That change to the cycle was not found.")
        version = medicine.version_on(shift.from_date) or medicine.versions[0]
        course = (medicine.course_shifts(version.regimen)
                  if isinstance(version.regimen, CycleRegimen) else (shift,))
        if course and course[-1].id != shift_id:
            raise ValidationError({"shift": (
                "Only the latest change to this cycle can be undone. Undo the later "
                "changes first.")})
        after = replace(medicine, cycle_shifts=tuple(
            s for s in medicine.cycle_shifts if s.id != shift_id))
        self._keep_records_on_schedule(medicine, after, shift.from_date, field="shift")
        self._repo.withdraw_cycle_shift(shift_id, by=self._on_duty(), at=self.now())
        self._emit(medicine_id)
        return self._repo.medicine(medicine_id)

    # ---- Public API: the dose record

    def record_given(self, medicine_id: int, key: str, *, given_at: datetime | None = None,
                     amount: Dose | None = None, note: str = "",
                     caregiver_id: int | _OnDuty | None = ON_DUTY,
                     recorded_by: int | None = None) -> DoseEntry:
        """Record a due dose as given (default: now, the due amount, by the caregiver on
        duty; clinic doses default to no caregiver). Doses can be recorded after the fact.
        ``recorded_by``: who recorded it when not the caregiver on duty (a tick on a
        phone, recorded by the caregiver that phone belongs to)."""
        medicine = self._repo.medicine(medicine_id)
        occurrence = self._recordable(medicine, key)
        now = self.now()
        entry = DoseEntry(
            medicine_id=medicine_id, kind=EntryKind.GIVEN, recorded_at=now,
            recorded_by_id=recorded_by if recorded_by is not None else self._on_duty(),
            occurrence_key=key, due_at=occurrence.due,
            given_at=to_utc(given_at) if given_at else now, amount=amount or occurrence.dose,
            caregiver_id=self._giver(medicine, caregiver_id), note=note)
        return self._save_for_dose(entry, now, medicine)

    def record_skipped(self, medicine_id: int, key: str, reason: SkipReason, *,
                       note: str = "") -> DoseEntry:
        """Record that a due dose was not given, and why (``OTHER`` needs a note)."""
        medicine = self._repo.medicine(medicine_id)
        occurrence = self._recordable(medicine, key)
        now = self.now()
        entry = DoseEntry(
            medicine_id=medicine_id, kind=EntryKind.SKIPPED, recorded_at=now,
            recorded_by_id=self._on_duty(), occurrence_key=key, due_at=occurrence.due,
            skip_reason=reason, note=note)
        return self._save_for_dose(entry, now, medicine)

    def record_prn(self, medicine_id: int, *, given_at: datetime | None = None,
                   amount: Dose | None = None, note: str = "", override_reason: str = "",
                   caregiver_id: int | _OnDuty | None = ON_DUTY) -> DoseEntry:
        """Record an as-needed dose. If it breaks the minimum interval or the 24-hour
        maximum, ``override_reason`` is required (ValidationError names the limit)."""
        medicine = self._repo.medicine(medicine_id)
        now = self.now()
        at = to_utc(given_at) if given_at else now
        regimen = self._prn_regimen(medicine, at)
        validate_prn_dose(regimen, self._prn_times(medicine, at), at, override_reason,
                          self.zone())
        version = medicine.version_on(local_date(at, self.zone())) or medicine.versions[-1]
        entry = validate_entry(DoseEntry(
            medicine_id=medicine_id, kind=EntryKind.GIVEN, recorded_at=now,
            recorded_by_id=self._on_duty(), given_at=at, amount=amount or version.dose,
            caregiver_id=self._giver(medicine, caregiver_id), note=note,
            override_reason=override_reason), now=now)
        saved = self._repo.add_entry(entry)
        self._emit(medicine_id, (ActionItem(saved, medicine.generic_name),))
        return saved

    def record_extra(self, medicine_id: int, *, reason: str,
                     given_at: datetime | None = None, amount: Dose | None = None,
                     caregiver_id: int | _OnDuty | None = ON_DUTY) -> DoseEntry:
        """Record a dose given outside the schedule: an extra dose of a regular medicine
        (an extra baclofen for bad cramps), or a dose given while the medicine was paused
        or stopped. ``reason`` (why it was given) is required and kept as the note; the
        dose shows on its day ("Also given this day"), in the history and in the stock.

        An as-needed medicine in use is recorded with ``record_prn``, whose limits apply.
        """
        medicine = self._repo.medicine(medicine_id)
        now, zone = self.now(), self.zone()
        at = to_utc(given_at) if given_at else now
        day = local_date(at, zone)
        if not reason.strip():
            raise ValidationError({"note": "Say why this dose was given outside the "
                                           "schedule (it goes into the record)."})
        if medicine.is_as_needed(day) and medicine.is_active_at(at):
            raise ValidationError({"given_at": (
                f"{medicine.name} is an as-needed medicine: record it as an as-needed dose, "
                "so its limits are checked.")})
        version = medicine.version_on(day) or medicine.versions[-1]
        entry = validate_entry(DoseEntry(
            medicine_id=medicine_id, kind=EntryKind.GIVEN, recorded_at=now,
            recorded_by_id=self._on_duty(), given_at=at, amount=amount or version.dose,
            caregiver_id=self._giver(medicine, caregiver_id), note=reason), now=now)
        saved = self._repo.add_entry(entry)
        self._emit(medicine_id, (ActionItem(saved, medicine.generic_name, extra=True),))
        return saved

    def correct(self, entry_id: int, *, kind: EntryKind, given_at: datetime | None = None,
                amount: Dose | None = None, skip_reason: SkipReason | None = None,
                note: str = "", override_reason: str = "",
                caregiver_id: int | _OnDuty | None = ON_DUTY) -> DoseEntry:
        """Add a correction of entry ``entry_id``, which must be the latest of its chain.

        ``kind=GIVEN`` with a new time/amount, ``SKIPPED`` with a reason, or
        ``ENTERED_IN_ERROR`` with a note saying what was wrong. The old entries stay in
        the history. Time, amount and who gave it default to the corrected entry's; the
        correction is recorded by the caregiver on duty.
        """
        chain = self._repo.chain(entry_id)
        head = chain.head
        if head.id != entry_id:
            raise ValidationError({"corrects": (
                "That record was already corrected; look at its latest version and "
                "correct that one.")})
        medicine = self._repo.medicine(head.medicine_id)
        now = self.now()
        changes: dict[str, object] = {"kind": kind, "recorded_at": now,
                                      "recorded_by_id": self._on_duty(), "note": note,
                                      "override_reason": override_reason}
        if kind is EntryKind.GIVEN:
            base = chain.effective if chain.effective and chain.effective.given_at else None
            changes["given_at"] = to_utc(given_at) if given_at else (
                base.given_at if base else None)
            changes["amount"] = amount or (base.amount if base and base.amount else None)
            if changes["amount"] is None:
                changes["amount"] = self._default_amount(medicine, head)
            if isinstance(caregiver_id, _OnDuty) and base is not None:
                changes["caregiver_id"] = base.caregiver_id  # who gave it stays the same
            else:
                changes["caregiver_id"] = self._giver(medicine, caregiver_id)
            if head.occurrence_key is None:
                at = changes["given_at"]
                assert isinstance(at, datetime)
                regimen = self._prn_regimen(medicine, at)
                others = [t for t in self._prn_times(medicine, at, exclude=chain)]
                validate_prn_dose(regimen, others, at, override_reason, self.zone())
        elif kind is EntryKind.SKIPPED:
            changes["skip_reason"] = skip_reason
            changes["given_at"] = None
            changes["amount"] = None
        entry = validate_entry(correction_of(chain, **changes), now=now, corrected=chain)
        self._keep_later_doses(medicine, entry)
        saved = self._repo.add_entry(entry)
        self._emit(head.medicine_id, (ActionItem(saved, medicine.generic_name,
                                                 due=head.due_at, corrected=head),))
        return saved

    # ---- Public API: several doses at once

    def batch_plan(self, due: datetime, *, at: datetime | None = None) -> BatchPlan:
        """What "Given: all due at ``due``" would record at ``at`` (default now):
        ``domain.batch.plan_batch``, with the as-needed medicines in use and their limits
        at that time."""
        from caregiver_app.domain.batch import plan_batch

        zone, now = self.zone(), self.now()
        at = to_utc(at) if at else now
        view = self.day(local_date(to_utc(due), zone))
        prn = []
        for status in view.as_needed:
            if status.medicine.id is None or not status.medicine.is_active_at(at):
                continue
            try:
                problems = self.check_prn(status.medicine.id, at)
            except ValidationError:
                continue
            prn.append((status, problems))
        fed = [d.effective.given_at for d in view.doses
               if d.medicine.food_rule.kind is FoodRuleKind.WITH_FOOD
               and d.effective is not None and d.effective.given_at is not None]
        return plan_batch(view, due, at, self._policy, prn_problems=prn, given_with_food=fed)

    def record_batch(self, due: datetime, choices: Sequence[tuple[int, str | None]], *,
                     given_at: datetime | None = None) -> list[DoseEntry]:
        """Record the chosen doses of the time group due at ``due`` as given at
        ``given_at`` (default now) by the caregiver on duty: one entry each, all saved
        together or none, one action for Undo. ``choices``: ``(medicine_id, key)`` of
        lines of ``batch_plan`` (``key`` None for an as-needed dose); one that is not in
        the plan, or may not be given now, is refused and nothing is saved."""
        now = self.now()
        at = to_utc(given_at) if given_at else now
        if not choices:
            raise ValidationError({"batch": "Tick at least one medicine to record."})
        plan = self.batch_plan(due, at=at)
        lines = {i.choice: i for i in plan.items}
        entries: list[tuple[DoseEntry, Medicine]] = []
        for medicine_id, key in dict.fromkeys(choices):
            line = lines.get((medicine_id, key))
            if line is None:
                raise ValidationError({"batch": (
                    "One of the doses is not among those due at that time any more (it "
                    "may have been recorded meanwhile). Nothing was saved.")})
            if not line.allowed:
                raise ValidationError({"batch": f"{line.name} may not be given now: "
                                                f"{line.reason} Nothing was saved."})
            medicine = self._repo.medicine(medicine_id)
            if key is not None:
                occurrence = self._recordable(medicine, key)
                entry = self._checked_for_dose(DoseEntry(
                    medicine_id=medicine_id, kind=EntryKind.GIVEN, recorded_at=now,
                    recorded_by_id=self._on_duty(), occurrence_key=key,
                    due_at=occurrence.due, given_at=at, amount=occurrence.dose,
                    caregiver_id=self._giver(medicine, ON_DUTY)), now)
            else:
                validate_prn_dose(self._prn_regimen(medicine, at),
                                  self._prn_times(medicine, at), at, "", self.zone())
                version = (medicine.version_on(local_date(at, self.zone()))
                           or medicine.versions[-1])
                entry = validate_entry(DoseEntry(
                    medicine_id=medicine_id, kind=EntryKind.GIVEN, recorded_at=now,
                    recorded_by_id=self._on_duty(), given_at=at, amount=version.dose,
                    caregiver_id=self._giver(medicine, ON_DUTY)), now=now)
            entries.append((entry, medicine))
        with self._repo.atomic():
            saved = [(self._repo.add_entry(entry), medicine) for entry, medicine in entries]
        items = tuple(ActionItem(entry, medicine.generic_name, due=entry.due_at)
                      for entry, medicine in saved)
        action = None
        if self._group is not None:
            self._group.extend(items)
        else:
            action = LastAction(now, items)
        self.changes.announce(_dose_changes([e for e, _m in saved], action))
        return [entry for entry, _m in saved]

    # ---- Public API: undo

    @contextmanager
    def one_action(self) -> Iterator[None]:
        """The dose entries saved inside count as one action for Undo (announced once
        at the end, if any was saved). Nests: the outermost one counts."""
        if self._group is not None:
            yield
            return
        self._group = []
        with self.changes.batch():
            try:
                yield
            finally:
                items, self._group = tuple(self._group), None
                if items:
                    self.changes.announce(Changes(action=LastAction(self.now(), items)))

    def undo(self, action: LastAction) -> list[DoseEntry]:
        """Take back the dose entries ``action`` saved: one correction each
        (``domain.undo.reversal``), recorded by the caregiver on duty, all saved together
        or none. Refused (``ValidationError``, field ``undo``) once the action is older
        than ``UNDO_WINDOW`` or an entry it made was corrected since. Which action is
        the last one is ``services.undo.UndoService``'s to say."""
        now = self.now()
        if not action.items:
            raise ValidationError({"undo": "There is no record to undo."})
        if not action.can_undo(now):
            raise ValidationError({"undo": (
                "That was too long ago to undo. Choose its dose and press Correct this "
                "record (C).")})
        return self._take_back([item.entry for item in action.items])

    def undo_entry(self, entry_id: int) -> DoseEntry:
        """Take back one dose record with the correction Undo would write
        (``domain.undo.reversal``: the record before it again, or "entered in error"),
        recorded by the caregiver on duty. Refused (``ValidationError``, field ``undo``)
        when the record was corrected since; ``NotFound`` when there is no such record."""
        chain = self._repo.chain(entry_id)
        entry = next((e for e in chain.entries if e.id == entry_id), None)
        if entry is None:
            raise NotFound("That dose record was not found.")
        return self._take_back([entry])[0]

    def _take_back(self, entries: Sequence[DoseEntry]) -> list[DoseEntry]:
        """One correction reversing each of ``entries``, all saved together or none;
        announced (no action: it ends the chance to undo the one before)."""
        now, by = self.now(), self._on_duty()
        corrections = []
        for entry in entries:
            assert entry.id is not None
            chain = self._repo.chain(entry.id)
            changes = reversal(chain, entry)
            corrections.append(validate_entry(correction_of(
                chain, recorded_at=now, recorded_by_id=by, **changes), now=now,
                corrected=chain))
        with self._repo.atomic():
            saved = [self._repo.add_entry(entry) for entry in corrections]
        self.changes.announce(_dose_changes(saved, None))
        return saved

    # ---- Public API: stock

    def refill(self, medicine_id: int, quantity: float, *, note: str = "",
               at: datetime | None = None) -> SupplyEvent:
        return self._supply_event(medicine_id, SupplyEventKind.REFILL, quantity, note, at)

    def count_stock(self, medicine_id: int, quantity: float, *, note: str = "",
                    at: datetime | None = None) -> SupplyEvent:
        """A stock check: there is ``quantity`` (in the supply unit) on hand now."""
        return self._supply_event(medicine_id, SupplyEventKind.COUNT, quantity, note, at)

    # ---- Private

    def _checked_version(self, medicine: Medicine, version: MedicineVersion
                         ) -> MedicineVersion:
        clean = validate_version(version, previous=medicine.versions[-1],
                                 medicine_start=medicine.start_date)
        after = replace(medicine, versions=(*medicine.versions, clean))
        validate_medicine(after)
        self._keep_records_on_schedule(medicine, after, clean.valid_from, field="valid_from")
        return clean

    def _keep_records_on_schedule(self, before: Medicine, after: Medicine,
                                  since: date | None, *, field: str = "start_date") -> None:
        """Refuse a change that would take a dose already recorded (given or not given)
        off the schedule, or move or relabel it (``schedule.changed_records``): the record
        would then look like an extra dose, and the dose it was for would show as due
        again (and could be given twice) or as missed.

        ``since``: the first day the change can affect (None: it affects no dose day).
        """
        if since is None or before.id is None:
            return
        keys = {k for k in self._repo.recorded_keys(before.id, since=since)
                if (day := key_day(k)) is None or day >= since}
        if not keys:
            return
        lost = changed_records(before, after, keys, self.zone(), actual=self._actual([before]))
        if lost:
            raise ValidationError({field: _lost_records_message(lost)})

    def _keep_later_doses(self, medicine: Medicine, correction: DoseEntry) -> None:
        """Refuse a correction of a loading-course dose that would move a later dose
        already recorded: the next dose's day counts from the day this one was given
        (tofersen), so changing that day, or withdrawing the record, would leave the
        later record on a day its dose is no longer due (ValidationError)."""
        key = correction.occurrence_key
        if key is None or key_day(key) is not None or medicine.id is None:
            return  # only a loading course's dates count from the days doses were given
        zone = self.zone()
        before = self._actual([medicine])
        after = dict(before)
        if correction.kind is EntryKind.GIVEN and correction.given_at is not None:
            after[(medicine.id, key)] = local_date(correction.given_at, zone)
        else:
            after.pop((medicine.id, key), None)
        if after == before:
            return
        later = self._repo.recorded_keys(medicine.id) - {key}
        moved = changed_records(medicine, medicine, later, zone, actual=before,
                                actual_after=after) if later else set()
        if not moved:
            return
        first = min(moved, key=lambda k: (len(k), k))  # "…:3" before "…:10"
        occurrence = find_occurrence(medicine, first, zone, actual=before)
        label = occurrence.label if occurrence is not None else "a later dose"
        given = [c.effective.given_at for c in self._repo.chains_for_dose(medicine.id, first)
                 if c.effective is not None and c.effective.given_at is not None]
        on = local_date(given[0], zone) if given else None
        when = f", given on {weekday_date(on, year=True)}" if on else ""
        field = "given_at" if correction.kind is EntryKind.GIVEN else "corrects"
        raise ValidationError({field: (
            f"The {label} dose of {medicine.name} is already recorded{when}, and its day "
            "counts from the day this dose was given: this correction would move it to "
            "another day. Correct that later record first (mark it entered in error), "
            "then correct this one and record the later dose again.")})

    def _emit(self, medicine_id: int | None,
              items: tuple[ActionItem, ...] | None = None, *, stock: bool = False) -> None:
        """Announce a write: ``items``, the dose entries saved (one action for Undo);
        else ``stock``, a refill or a count; else the medicine itself changed."""
        ids = frozenset({medicine_id}) if medicine_id else frozenset()
        if items:
            changes = _dose_changes([i.entry for i in items], None)
        else:
            changes = Changes(stock=ids) if stock else Changes(medicines=ids)
        if self._group is not None:
            self._group.extend(items or ())
            self.changes.announce(changes)
            return
        action = LastAction(self.now(), items) if items else None
        self.changes.announce(replace(changes, action=action))

    def _giver(self, medicine: Medicine, caregiver_id: int | _OnDuty | None) -> int | None:
        if isinstance(caregiver_id, _OnDuty):
            return None if medicine.given_by is GivenBy.CLINIC else self._on_duty()
        return caregiver_id

    def _set_status(self, medicine_id: int, status: MedicineStatus, reason: str,
                    at: datetime | None) -> Medicine:
        medicine = self._repo.medicine(medicine_id)
        now = self.now()
        change = validate_status_change(medicine, StatusChange(
            at=to_utc(at) if at else now, status=status, reason=reason,
            recorded_by_id=self._on_duty()))
        after = replace(medicine, status_history=(*medicine.status_history, change))
        self._keep_records_on_schedule(medicine, after, local_date(change.at, self.zone()),
                                       field="at")
        saved = self._repo.add_status(medicine_id, change, by=self._on_duty(), at=now)
        self._emit(medicine_id)
        return saved

    def _add_shift(self, medicine_id: int, shift: CycleShift) -> Medicine:
        medicine = self._repo.medicine(medicine_id)
        clean = validate_cycle_shift(medicine, shift,
                                     recorded_keys=self._repo.recorded_keys(medicine_id))
        saved = self._repo.add_cycle_shift(medicine_id, clean, by=self._on_duty(),
                                           at=self.now())
        self._emit(medicine_id)
        return saved

    def _checked_for_dose(self, entry: DoseEntry, now: datetime) -> DoseEntry:
        """``entry`` for a due dose, validated against what is already recorded for it."""
        assert entry.occurrence_key is not None
        chains = self._repo.chains_for_dose(entry.medicine_id, entry.occurrence_key)
        withdrawn = [c for c in chains if c.effective is None]
        if chains and len(withdrawn) == len(chains):
            # Recorded before, then marked "entered in error": continue that chain.
            chain = max(withdrawn, key=lambda c: c.head.id or 0)
            entry = replace(entry, corrects_id=chain.head.id)
            return validate_entry(entry, now=now, corrected=chain)
        return validate_entry(entry, now=now, existing=chains)

    def _save_for_dose(self, entry: DoseEntry, now: datetime,
                       medicine: Medicine) -> DoseEntry:
        clean = self._checked_for_dose(entry, now)
        saved = self._repo.add_entry(clean)
        self._emit(entry.medicine_id, (ActionItem(saved, medicine.generic_name,
                                                  due=entry.due_at),))
        return saved

    def _occurrence_or_error(self, medicine: Medicine, key: str) -> Occurrence:
        occurrence = find_occurrence(medicine, key, self.zone(),
                                     actual=self._actual([medicine]))
        if occurrence is None:
            raise ValidationError({"occurrence_key": "That dose is not on the schedule."})
        return occurrence

    def _recordable(self, medicine: Medicine, key: str) -> Occurrence:
        """The scheduled dose ``key``, which may be recorded now (``too_early_to_record``);
        raises ValidationError (field ``occurrence_key``) otherwise."""
        occurrence = self._occurrence_or_error(medicine, key)
        problem = too_early_to_record(occurrence, self.now())
        if problem:
            raise ValidationError({"occurrence_key": problem})
        return occurrence

    def _actual(self, medicines: Sequence[Medicine]) -> Actual:
        ids = [m.id for m in medicines if m.id is not None and any(
            isinstance(v.regimen, LoadingRegimen) for v in m.versions)]
        if not ids:
            return {}
        # read again only when a loading dose was recorded since (the record is append-
        # only: its count and newest id say whether it changed); callers only read it.
        # Kept for each set of medicines asked about: the medicine list and the
        # emergency sheet ask for one medicine at a time, which read each loading
        # course's years of records again when only the last set was kept.
        key = tuple(ids)
        stamp = (self._repo.loading_stamp(ids), self.zone())
        kept = self._actual_read.get(key)
        if kept is None or kept[0] != stamp:
            if len(self._actual_read) >= _ACTUAL_KEPT:
                self._actual_read.clear()
            kept = self._actual_read[key] = (
                stamp, actual_given_dates(self._repo.loading_entries(ids), self.zone()))
        return kept[1]

    @staticmethod
    def _prn_lookback(medicines: list[Medicine]) -> timedelta:
        longest = timedelta(hours=24)
        for medicine in medicines:
            for version in medicine.versions:
                if isinstance(version.regimen, AsNeededRegimen):
                    longest = max(longest, version.regimen.min_interval)
        return longest

    def _prn_regimen(self, medicine: Medicine, at: datetime) -> AsNeededRegimen:
        version = medicine.version_on(local_date(at, self.zone()))
        if version is None or not isinstance(version.regimen, AsNeededRegimen):
            raise ValidationError({"given_at": "This medicine is not an as-needed medicine "
                                               "on that day."})
        if not medicine.is_active_at(at):
            raise ValidationError({"given_at": f"{medicine.name} is not in use at that time "
                                               "(paused or stopped)."})
        return version.regimen

    def _prn_times(self, medicine: Medicine, at: datetime, *,
                   exclude: RecordChain | None = None) -> list[datetime]:
        assert medicine.id is not None
        span = self._prn_lookback([medicine])
        chains = build_chains(self._repo.prn_entries(medicine.id, at - span, at + span))
        if exclude is not None:
            ids = {e.id for e in exclude.entries}
            chains = [c for c in chains if not ids & {e.id for e in c.entries}]
        return prn_given_times(chains, medicine.id)

    def _default_amount(self, medicine: Medicine, head: DoseEntry) -> Dose:
        if head.occurrence_key is not None:
            occurrence = find_occurrence(medicine, head.occurrence_key, self.zone(),
                                         actual=self._actual([medicine]))
            if occurrence is not None:
                return occurrence.dose  # a dose step's own amount
        when = head.due_at or head.given_at or head.recorded_at
        version = medicine.version_on(local_date(when, self.zone())) or medicine.versions[-1]
        return version.dose

    def _upcoming(self, medicine: Medicine, now: datetime,
                  horizon: timedelta = FORECAST_HORIZON):
        zone = self.zone()
        actual = self._actual([medicine])
        start, stop = now, now + horizon
        while start < stop:
            end = min(start + _FORECAST_CHUNK, stop)
            yield from occurrences(medicine, start, end, zone, actual=actual)
            start = end

    def _supply_event(self, medicine_id: int, kind: SupplyEventKind, quantity: float,
                      note: str, at: datetime | None) -> SupplyEvent:
        now = self.now()
        event = validate_supply_event(SupplyEvent(
            medicine_id=medicine_id, kind=kind, quantity=quantity, at=to_utc(at) if at else now,
            recorded_by_id=self._on_duty(), note=note, recorded_at=now), now=now)
        saved = self._repo.add_supply_event(event)
        self._emit(medicine_id, stock=True)
        return saved


def _dose_changes(entries: Sequence[DoseEntry], action: LastAction | None) -> Changes:
    """The ``Changes`` of dose entries saved (``action``: as one action for Undo)."""
    return Changes(doses=frozenset(e.medicine_id for e in entries),
                   dose_entries=frozenset(e.id for e in entries if e.id is not None),
                   action=action)


def _dates_changed(before: Medicine, after: Medicine) -> date | None:
    """The first day a change of start or end date can affect (None: neither changed)."""
    days = []
    if after.start_date != before.start_date:
        days.append(min(after.start_date, before.start_date))
    if after.end_date != before.end_date:
        days.extend(d for d in (after.end_date, before.end_date) if d is not None)
    return min(days) if days else None


def _lost_records_message(lost: set[str]) -> str:
    """"The dose of 08:00 on Tue 1 Dec is already recorded …", with a way out."""
    days = sorted(d for k in lost if (d := key_day(k)) is not None)
    count = len(lost)
    if days:
        first = min(k for k in lost if key_day(k) is not None)
        moment = datetime.fromisoformat(first)
        which = f"the dose of {moment:%H:%M} on {weekday_date(moment)}"
        after = days[-1] + timedelta(days=1)
        way_out = (f"Make the change from {weekday_date(after, year=True)}, "
                   "or correct those records first.")
    else:
        which, way_out = "a clinic dose", "Correct that record first, or ask the care team."
    subject = (f"{which[0].upper()}{which[1:]} is already recorded"
               if count == 1 else
               f"{count} doses are already recorded (the first: {which})")
    return (f"{subject}, and this change would take {'it' if count == 1 else 'them'} off "
            f"the schedule or change {'it' if count == 1 else 'them'}. {way_out}")
