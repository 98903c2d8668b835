"""The schedule engine and the day view, at the size of a long, busy household.

(a) One year of due doses for 30 medicines with mixed regimens (daily, weekdays, every N
    days, edaravone cycles with delays, loading/maintenance, dose steps, as-needed), next
    to the same number of datetimes produced by a bare dateutil ``rrule``.
(b) One day's state (the Today tab's ``MedicationBook.day()``) through the real repository
    on a file database holding 5 years of history (about 70,000 dose records), next to a
    plain SQLite ``SELECT count(*)`` over the same table, and next to the same day of the
    same 30 medicines with no records (the cost of the years of history).
(c) Where the edaravone course is now (``marks.cycle_now``) for each day of a month, the
    course begun 5 years ago next to the same course begun 20 days ago.
"""

from __future__ import annotations

import statistics
import tempfile
import time as timer
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, rrule

from bench.common import clock, report
from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind, RecordChain, correction_of
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.medicines import GivenBy, Medicine, MedicineVersion
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    DoseStep,
    IntervalRegimen,
    IntervalUnit,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.domain.schedule import occurrences
from caregiver_app.domain.vocab import Form, Route, SkipReason

if TYPE_CHECKING:
    from caregiver_app.core import Core

ZONE = ZoneInfo("America/Chicago")
TODAY = date(2026, 11, 25)
RUNS = 7


def _regimen(i: int, start: date):
    """30 medicines' worth of mixed regimens."""
    times = [(time(8),), (time(8), time(20)), (time(8), time(14), time(20)),
             (time(7), time(12), time(17), time(22))][i % 4]
    kind = i % 10
    if kind in (0, 1, 2):
        return DailyRegimen(start, times)
    if kind == 3:
        return WeekdaysRegimen(start, frozenset({0, 2, 4}), times)
    if kind == 4:
        return IntervalRegimen(start, 3, times)
    if kind == 5:
        return IntervalRegimen(start, 2, (time(9),), IntervalUnit.WEEKS)
    if kind == 6:
        return CycleRegimen(start, (time(7),))
    if kind == 7:
        return LoadingRegimen(start, time(9))
    if kind == 8:
        step = timedelta(days=90)
        return StepsRegimen(tuple(
            DoseStep(start + n * step, Dose(n + 1, "tablet"), times,
                     None if n == 19 else start + (n + 1) * step - timedelta(days=1))
            for n in range(20)))
    return AsNeededRegimen(start, timedelta(hours=4), 3)


def medicines(start: date) -> list[Medicine]:
    meds = []
    for i in range(30):
        regimen = _regimen(i, start)
        shifts = ()
        if isinstance(regimen, CycleRegimen):
            shifts = tuple(CycleShift(start + timedelta(days=30 + 120 * n), 1, id=n + 1)
                           for n in range(15))
        meds.append(Medicine(
            generic_name=f"medicine {i:02d}", start_date=start, id=i + 1,
            purpose="bench", given_by=GivenBy.CLINIC if i % 10 == 7 else GivenBy.HOME,
            cycle_shifts=shifts,
            versions=(MedicineVersion(start, "10 mg", Form.TABLET, Route.ORAL,
                                      Dose(1, "tablet"), regimen),
                      MedicineVersion(start + timedelta(days=400), "10 mg/5 mL", Form.LIQUID,
                                      Route.FEEDING_TUBE, Dose(5, "mL"), regimen,
                                      flush_ml=30))))
    return meds


# ---- (a) a year of doses


def _year_of_doses(meds: list[Medicine]) -> int:
    start, _ = day_bounds(TODAY, ZONE)
    end, _ = day_bounds(TODAY + timedelta(days=365), ZONE)
    return sum(len(occurrences(m, start, end, ZONE)) for m in meds)


def _bare_rrule(count: int) -> int:
    rule = rrule(DAILY, byhour=(8, 20), byminute=0, bysecond=0,
                 dtstart=datetime(2026, 11, 25), count=count)
    return sum(1 for _ in rule)


def bench_year() -> None:
    meds = medicines(TODAY)
    began = timer.perf_counter()
    count = _year_of_doses(meds)
    cold = timer.perf_counter() - began
    ours = statistics.median(clock(lambda: _year_of_doses(meds)) for _ in range(RUNS))
    bare = statistics.median(clock(lambda: _bare_rrule(count)) for _ in range(RUNS))
    print(f"(a) one year of due doses, 30 medicines, mixed regimens: {count} doses, "
          f"median of {RUNS}")
    report("schedule engine: occurrences() for all 30", ours,
           f"bare dateutil rrule, {count} datetimes", bare)
    print(f"{'  first call (cold caches)':<48} {cold * 1000:10.1f} ms")


# ---- (b) a day with 5 years of history


class BenchClock:
    """13:00 on ``TODAY`` in ``ZONE``, for good."""

    def now(self) -> datetime:
        return datetime.combine(TODAY, time(13), tzinfo=ZONE).astimezone(UTC)


def open_household(data_dir: Path, *, medicines_too: bool = True,
                   records: bool = True, days: int = 5 * 365) -> tuple[Core, int]:
    """The records opened as the app opens them (``open_core``, with ``BenchClock``):
    a patient in ``ZONE``, Tom (on duty) and Ana; the 30 medicines, set up ``days``
    ago (5 years unless told; unless not ``medicines_too``), with the dose records of
    all those days (unless not ``records``). The history is written straight through
    the repository (checking 70,000 records one by one through the book would take
    minutes). Returns the core and the number of dose records written."""
    from PySide6.QtWidgets import QApplication

    from caregiver_app.core import open_core
    from caregiver_app.domain.patient import Caregiver, Patient
    from caregiver_app.storage.medications_repo import MedicationRepository

    QApplication.instance() or QApplication([])  # the services are QObjects
    core = open_core(data_dir, BenchClock())
    core.session.save_patient(Patient("Bench Patient", time_zone=ZONE.key))
    tom, _ana = core.session.save_caregivers([Caregiver("Tom", "TE"), Caregiver("Ana", "AH")])
    core.session.set_on_duty(tom.id)
    if not medicines_too:
        return core, 0
    db = core.db
    repo = MedicationRepository(db)
    first = TODAY - timedelta(days=days)
    stamp = datetime.combine(first, time(), tzinfo=UTC)
    saved = [repo.add_medicine(m, by=1, at=stamp) for m in medicines(first)]
    if not records:
        return core, 0
    start, _ = day_bounds(first, ZONE)
    end, _ = day_bounds(TODAY, ZONE)
    made = 0
    with db.atomic():
        for med in saved:
            regimen = med.versions[0].regimen
            if isinstance(regimen, AsNeededRegimen):
                moment = start + timedelta(hours=9)
                while moment < end:
                    repo.add_entry(DoseEntry(
                        medicine_id=med.id, kind=EntryKind.GIVEN, recorded_at=moment,
                        recorded_by_id=1, given_at=moment, amount=Dose(1, "tablet"),
                        caregiver_id=1))
                    made += 1
                    moment += timedelta(hours=8)
                continue
            for n, occ in enumerate(occurrences(med, start, end, ZONE)):
                if n % 23 == 5:
                    continue  # missed: nothing recorded
                if n % 31 == 7:
                    entry = DoseEntry(medicine_id=med.id, kind=EntryKind.SKIPPED,
                                      recorded_at=occ.due, recorded_by_id=2,
                                      occurrence_key=occ.key, due_at=occ.due,
                                      skip_reason=SkipReason.ASLEEP)
                else:
                    entry = DoseEntry(medicine_id=med.id, kind=EntryKind.GIVEN,
                                      recorded_at=occ.due + timedelta(minutes=5),
                                      recorded_by_id=1 + n % 2, occurrence_key=occ.key,
                                      due_at=occ.due, given_at=occ.due + timedelta(minutes=n % 50),
                                      amount=occ.dose, caregiver_id=1 + n % 2)
                saved_entry = repo.add_entry(entry)
                made += 1
                if n % 97 == 3 and entry.kind is EntryKind.GIVEN:
                    repo.add_entry(correction_of(RecordChain((saved_entry,)),
                                                 given_at=occ.due + timedelta(minutes=20),
                                                 recorded_at=occ.due + timedelta(hours=1),
                                                 note="time corrected"))
                    made += 1
    return core, made


def bench_day() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        began = timer.perf_counter()
        core, made = open_household(Path(tmp) / "data")
        filled = timer.perf_counter() - began
        book, db = core.medications, core.db
        rows = db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]
        view = book.day()
        day_t = statistics.median(clock(book.day) for _ in range(RUNS))
        count_t = statistics.median(
            clock(lambda: db.execute("SELECT count(*) FROM dose_entries").fetchone())
            for _ in range(RUNS))
        meds_t = statistics.median(clock(book.medicines) for _ in range(RUNS))
        core.close()
        fresh, _ = open_household(Path(tmp) / "fresh", records=False)
        fresh.medications.day()
        fresh_t = statistics.median(clock(fresh.medications.day) for _ in range(RUNS))
        fresh.close()
    print(f"(b) a day's state with 5 years of history: {rows} dose records "
          f"({made} written through the repository in {filled:.1f} s), file database, "
          f"{len(view.doses)} doses due today, median of {RUNS}")
    report("MedicationBook.day() (Today tab)", day_t,
           "plain SQLite SELECT count(*) FROM dose_entries", count_t)
    print(f"{'  of which loading the 30 medicines':<48} {meds_t * 1000:10.1f} ms")
    report("MedicationBook.day(), 5 years of history", day_t,
           "  the same 30 medicines, no records", fresh_t)


# ---- (c) where a cycle course is now


def bench_cycle_now() -> None:
    """``marks.cycle_now`` (the medicine list's and the emergency sheet's "Cycle 65: 10
    doses, …") for each of 31 days, of the 5-year household's edaravone (15 delays)
    and of the same course begun 20 days ago; first calls (the course planned for the
    days around them) apart."""
    from caregiver_app.domain import schedule
    from caregiver_app.domain.marks import cycle_now

    def month(years: int) -> tuple[float, float]:
        first = TODAY - timedelta(days=365 * years if years else 20)
        med = next(m for m in medicines(first)
                   if isinstance(m.versions[-1].regimen, CycleRegimen))
        regimen = med.versions[-1].regimen
        assert isinstance(regimen, CycleRegimen)
        schedule._course_spans.cache_clear()
        cold = clock(lambda: cycle_now(med, regimen, TODAY))
        warm = statistics.median(clock(lambda: [
            cycle_now(med, regimen, TODAY + timedelta(days=n)) for n in range(31)])
            for _ in range(RUNS))
        return cold, warm / 31

    long_cold, long_t = month(5)
    new_cold, new_t = month(0)
    print(f"(c) where an edaravone course is now (cycle_now), 31 days, median of {RUNS}")
    report("cycle_now, course begun 5 years ago", long_t,
           "  the same course begun 20 days ago", new_t, unit="us")
    print(f"{'  first call (plans the course once), 5 years':<48} {long_cold * 1e6:10.1f} us")
    print(f"{'  first call, begun 20 days ago':<48} {new_cold * 1e6:10.1f} us")


def run() -> None:
    bench_year()
    print()
    bench_day()
    print()
    bench_cycle_now()
