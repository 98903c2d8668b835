"""A day's view reads only the loading-course records it needs (issue #19).

The keys of a loading course's doses ("loading:2026-01-05:3") name no date, so the day
used to read every loading-course record ever made (years of tofersen), for every day
shown. The day now reads the records of the loading doses due that day, and every
loading-course record of the medicines used as needed that day (the as-needed check
counts any record of the medicine, however old, scheduled or not). The old read (all
of them, still what ``entries_for_day`` does without ``loading``) is the oracle: the
views must be equal on any record, corrections and withdrawn records, records of doses
no longer on the schedule, doses given on another day than due, and a loading course
followed by as-needed use of the same medicine.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.dayview import DayView, build_day_view
from caregiver_app.domain.doses import (
    DoseEntry,
    DoseStatus,
    EntryKind,
    RecordChain,
    actual_given_dates,
    correction_of,
    dose_statuses,
)
from caregiver_app.domain.localtime import day_bounds, to_utc
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen, LoadingRegimen
from caregiver_app.domain.schedule import occurrences
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.db import memory_database, migrate
from caregiver_app.storage.medications_repo import MedicationRepository

SPAN = 120  # days of records


class _Clock:
    def __init__(self) -> None:
        self.moment = at(D0 + timedelta(days=SPAN), 12)

    def now(self):
        return self.moment


def _book():
    db = memory_database()
    migrate(db)
    db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE", "active": 1})
    clock = _Clock()
    book = MedicationBook(MedicationRepository(db), clock=clock, on_duty=lambda: 1,
                          zone=lambda: NEW_YORK)
    return db, clock, book, MedicationRepository(db)


def _medicines(switch_day: int, loading: tuple[int, int, int]) -> list[Medicine]:
    doses, interval, maintenance = loading
    course = LoadingRegimen(D0, time(9), loading_doses=doses, loading_interval_days=interval,
                            maintenance_interval_days=maintenance)
    switch = D0 + timedelta(days=switch_day)
    prn = AsNeededRegimen(switch, timedelta(hours=6), 2)
    return [
        medicine(course, id=None, generic_name="tofersen"),
        # a loading course, then the same medicine as needed: its old records count there
        medicine(course, id=None, generic_name="nusinersen",
                 versions=(version(course), version(prn, valid_from=switch))),
        medicine(DailyRegimen(D0, (time(8), time(20))), id=None, generic_name="riluzole"),
        medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                 generic_name="lorazepam"),
    ]


_record = st.tuples(
    st.integers(1, 12),                                   # dose number in the course
    st.integers(0, SPAN - 1),                             # day it was due
    st.integers(-30, 60),                                 # hours given after due
    st.sampled_from(["given", "skipped"]),
    st.sampled_from([None, "retime", "withdraw", "skip"]),  # a correction
)


def _write(book: MedicationBook, repo: MedicationRepository, meds: list[Medicine],
           records: list[tuple[int, int, int, str, str | None]],
           unscheduled: list[tuple[int, int]]) -> None:
    """Records written straight through the repository (filed as the app files them),
    whether or not their dose is on the schedule now: a record of a dose moved since
    must still be found where it shows."""
    loading = [m for m in meds if isinstance(m.versions[0].regimen, LoadingRegimen)]
    seen: set[tuple[int, str]] = set()
    for n, (number, due_day, hours, kind, fix) in enumerate(records):
        med = loading[n % len(loading)]
        key = f"loading:{D0.isoformat()}:{number}"
        if (med.id, key) in seen:
            continue  # a dose has one first record; a second one corrects it
        seen.add((med.id, key))
        due = at(D0 + timedelta(days=due_day), 9)
        if kind == "given":
            entry = DoseEntry(medicine_id=med.id, kind=EntryKind.GIVEN, occurrence_key=key,
                              due_at=due, given_at=due + timedelta(hours=hours),
                              recorded_at=due + timedelta(hours=max(hours, 0) + 1),
                              recorded_by_id=1, amount=Dose(1, "tablet"), caregiver_id=1)
        else:
            entry = DoseEntry(medicine_id=med.id, kind=EntryKind.SKIPPED, occurrence_key=key,
                              due_at=due, recorded_at=due + timedelta(hours=1),
                              recorded_by_id=1, skip_reason=SkipReason.REFUSED)
        saved = repo.add_entry(entry)
        later = entry.recorded_at + timedelta(hours=2)
        if fix == "retime" and kind == "given":
            repo.add_entry(correction_of(RecordChain((saved,)), recorded_at=later,
                                         given_at=due + timedelta(hours=hours + 30)))
        elif fix == "withdraw":
            repo.add_entry(correction_of(RecordChain((saved,)), recorded_at=later,
                                         kind=EntryKind.ENTERED_IN_ERROR, note="wrong"))
        elif fix == "skip" and kind == "given":
            repo.add_entry(correction_of(RecordChain((saved,)), recorded_at=later,
                                         kind=EntryKind.SKIPPED, given_at=None, amount=None,
                                         caregiver_id=None,
                                         skip_reason=SkipReason.ASLEEP))
    as_needed = [m for m in meds if m.generic_name in ("lorazepam", "nusinersen")]
    for n, (day, hour) in enumerate(unscheduled):
        med = as_needed[n % len(as_needed)]
        moment = at(D0 + timedelta(days=day), hour)
        repo.add_entry(DoseEntry(medicine_id=med.id, kind=EntryKind.GIVEN, given_at=moment,
                                 recorded_at=moment, recorded_by_id=1,
                                 amount=Dose(1, "tablet"), caregiver_id=1))


def _lookback(medicines: list[Medicine]) -> timedelta:
    return max([timedelta(hours=24), *(v.regimen.min_interval for m in medicines
                                      for v in m.versions
                                      if isinstance(v.regimen, AsNeededRegimen))])


def _actual(repo: MedicationRepository, medicines: list[Medicine]):
    ids = [m.id for m in medicines if m.id is not None
           and any(isinstance(v.regimen, LoadingRegimen) for v in m.versions)]
    return actual_given_dates(repo.loading_entries(ids), NEW_YORK)


def _old_day(book: MedicationBook, repo: MedicationRepository, day: date) -> DayView:
    """``MedicationBook.day`` as it was: every loading-course record read for each day."""
    now, medicines = book.now(), repo.medicines()
    start, end = day_bounds(day, NEW_YORK)
    entries = repo.entries_for_day(start, end, now, _lookback(medicines), key_days=(day, day))
    return build_day_view(medicines, entries, day, NEW_YORK, now, book.policy,
                          actual=_actual(repo, medicines))


def _old_statuses(book: MedicationBook, repo: MedicationRepository, first: date,
                  last: date) -> list[DoseStatus]:
    """``MedicationBook.statuses`` as it was (every loading-course record read)."""
    start, end = day_bounds(first, NEW_YORK)[0], day_bounds(last, NEW_YORK)[1]
    medicines = repo.medicines()
    actual = _actual(repo, medicines)
    found = sorted((o for m in medicines for o in occurrences(m, start, end, NEW_YORK,
                                                              actual=actual)),
                   key=lambda o: (o.due, o.key))
    days = [o.nominal.date() for o in found]
    entries = repo.entries_between(start, end,
                                   key_days=(min(days), max(days)) if days else None)
    return dose_statuses(found, {m.id: m for m in medicines}, entries, book.now(),
                         book.policy)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(records=st.lists(_record, max_size=24),
       unscheduled=st.lists(st.tuples(st.integers(0, SPAN - 1), st.integers(0, 23)),
                            max_size=12),
       switch_day=st.integers(10, SPAN),
       loading=st.tuples(st.integers(1, 4), st.integers(1, 20), st.integers(2, 40)),
       days=st.lists(st.integers(-2, SPAN + 2), min_size=1, max_size=6),
       now_hours=st.integers(-24 * (SPAN + 2), 48))
def test_a_day_reads_as_with_every_loading_record(qtbot, records, unscheduled, switch_day,
                                                  loading, days, now_hours):
    db, clock, book, repo = _book()
    meds = [repo.add_medicine(m, by=1, at=at(D0 - timedelta(days=1), 12))
            for m in _medicines(switch_day, loading)]
    _write(book, repo, meds, records, unscheduled)
    clock.moment = at(D0 + timedelta(days=SPAN), 12) + timedelta(hours=now_hours)
    for offset in days:
        day = D0 + timedelta(days=offset)
        assert book.day(day) == _old_day(book, repo, day)
        assert book.statuses(day, day + timedelta(days=6)) == _old_statuses(
            book, repo, day, day + timedelta(days=6))
    db.close()


def test_the_oracle_sees_the_as_needed_check_count_an_old_loading_record(qtbot):
    """Why the as-needed medicines' loading records are read whole: a course dose given
    months ago is that medicine's last dose in its as-needed check."""
    db, _clock, book, repo = _book()
    meds = [repo.add_medicine(m, by=1, at=at(D0 - timedelta(days=1), 12))
            for m in _medicines(60, (3, 14, 28))]
    _write(book, repo, meds, [(1, 0, 0, "given", None), (1, 0, 0, "given", None)], [])
    day = D0 + timedelta(days=SPAN)
    view = book.day(day)
    (check,) = [p for p in view.as_needed if p.medicine.generic_name == "nusinersen"]
    assert check.check is not None and check.check.last_given is not None
    assert to_utc(check.check.last_given) == at(D0, 9)
    assert view == _old_day(book, repo, day)
    db.close()


def test_a_day_without_a_loading_dose_reads_none_of_the_course_records(qtbot):
    """Years of a loading course are not read for a day with none of its doses."""
    db, _clock, book, repo = _book()
    meds = [repo.add_medicine(m, by=1, at=at(D0 - timedelta(days=1), 12))
            for m in _medicines(SPAN, (3, 14, 28))]
    tofersen = meds[0]
    actual: dict = {}
    start, _ = day_bounds(D0, NEW_YORK)
    for occ in occurrences(tofersen, start, start + timedelta(days=SPAN), NEW_YORK,
                           actual=actual):
        repo.add_entry(DoseEntry(medicine_id=tofersen.id, kind=EntryKind.GIVEN,
                                 occurrence_key=occ.key, due_at=occ.due, given_at=occ.due,
                                 recorded_at=occ.due, recorded_by_id=1,
                                 amount=Dose(1, "tablet"), caregiver_id=1))
    read: list[DoseEntry] = []
    original = repo.entries_for_day

    def spy(*args, **kwargs):
        found = original(*args, **kwargs)
        read.extend(found)
        return found

    book._repo.entries_for_day = spy  # type: ignore[method-assign]
    quiet = next(D0 + timedelta(days=n) for n in range(SPAN - 10, SPAN)
                 if not any(o.key.startswith("loading:") for o in occurrences(
                     tofersen, *day_bounds(D0 + timedelta(days=n), NEW_YORK), NEW_YORK,
                     actual=_actual(repo, meds))))
    view = book.day(quiet)
    assert view == _old_day(book, repo, quiet)
    assert [e for e in read if (e.occurrence_key or "").startswith("loading:")] == []
    assert [d for d in view.doses if d.medicine.id == tofersen.id] == []
    db.close()


def _given_every_dose(repo: MedicationRepository, med: Medicine, first: date, last: date,
                      every: int = 1) -> None:
    start, end = day_bounds(first, NEW_YORK)[0], day_bounds(last, NEW_YORK)[1]
    for n, occ in enumerate(occurrences(med, start, end, NEW_YORK, actual={})):
        if n % every == 0:
            repo.add_entry(DoseEntry(medicine_id=med.id, kind=EntryKind.GIVEN,
                                     occurrence_key=occ.key, due_at=occ.due,
                                     given_at=occ.due, recorded_at=occ.due,
                                     recorded_by_id=1, amount=Dose(1, "tablet"),
                                     caregiver_id=1))


def test_statuses_over_hundreds_of_loading_doses_read_as_before(qtbot):
    """A loading course with daily doses after it, over two years (~700 doses): the
    statuses, and the adherence made from them, read as with every loading record (a
    query with one term per dose passed SQLite's limit of 500 and failed)."""
    db, clock, book, repo = _book()
    course = LoadingRegimen(D0, time(9), loading_doses=3, loading_interval_days=1,
                            maintenance_interval_days=1)
    med = repo.add_medicine(medicine(course, id=None, generic_name="tofersen"), by=1,
                            at=at(D0 - timedelta(days=1), 12))
    last = D0 + timedelta(days=700)
    _given_every_dose(repo, med, D0, last, every=3)
    clock.moment = at(last, 12)
    found = book.statuses(D0, last)
    assert len(found) == 701
    assert found == _old_statuses(book, repo, D0, last)
    assert sum(1 for s in found if s.chain is not None) == 234
    report = book.adherence(D0, last)
    assert report.overall.due == 701
    db.close()


def test_statuses_of_many_loading_medicines_read_as_before(qtbot):
    """Thirty-six loading-course medicines over a fortnight: each asks few doses, all of
    them too many for one query (the read takes every loading record then)."""
    db, clock, book, repo = _book()
    course = LoadingRegimen(D0, time(9), loading_doses=3, loading_interval_days=1,
                            maintenance_interval_days=1)
    last = D0 + timedelta(days=14)
    for n in range(36):
        med = repo.add_medicine(medicine(course, id=None, generic_name=f"medicine {n:02}"),
                                by=1, at=at(D0 - timedelta(days=1), 12))
        _given_every_dose(repo, med, D0, last, every=2)
    clock.moment = at(last, 12)
    found = book.statuses(D0, last)
    assert len(found) == 36 * 15
    assert found == _old_statuses(book, repo, D0, last)
    assert sum(1 for s in found if s.chain is not None) == 36 * 8
    db.close()


def test_a_given_loading_dose_filed_on_another_day_shows_once(qtbot):
    """A course dose given in New York, then the household's zone moves far east: its
    record's filed time falls on the next local day. The dose shows given on its own
    day and nowhere else as a record of a dose no longer due, whichever medicine sorts
    last (the check looked the dose up in the last medicine of the list)."""
    db, clock, book, repo = _book()
    zone = [NEW_YORK]
    book = MedicationBook(repo, clock=clock, on_duty=lambda: 1, zone=lambda: zone[0])
    course = book.add_medicine(medicine(LoadingRegimen(D0, time(9)), id=None,
                                        generic_name="tofersen"))
    book.add_medicine(medicine(DailyRegimen(D0, (time(8),)), id=None,
                               generic_name="zonisamide"))
    key = f"loading:{D0.isoformat()}:1"
    book.record_given(course.id, key, given_at=at(D0, 9))
    zone[0] = ZoneInfo("Pacific/Kiritimati")
    clock.moment = at(D0 + timedelta(days=3), 12)
    shown = []
    for offset in (-1, 0, 1, 2):
        view = book.day(D0 + timedelta(days=offset))
        shown += [("dose", offset) for s in view.doses if s.key == (course.id, key)]
        shown += [("extra", offset) for x in view.extra if x.chain.key == key]
    assert shown == [("dose", 0)]
    db.close()
