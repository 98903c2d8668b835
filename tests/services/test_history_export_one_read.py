"""The dose history export reads the period's records once (issue #19).

A year's CSV built one day view per day (a read of the records for each day, each
medicine's doses worked out again for each day): about a second for a year of a busy
household. It now reads the period's records in one query and works each medicine's
doses out once (``MedicationBook.recorded_days``). The old way (a ``MedicationBook.day``
for each day of the period) stays here as the oracle: the file must be the same, byte
for byte, for any records: given, not given, missed, corrected, withdrawn, given on
another day than due, records of doses no longer on the schedule, as-needed and extra
doses, a loading course, a cycle course with delays, a paused medicine, and the
household's time zone moved since the records were made; and on five years of a
household's records.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind, RecordChain, correction_of
from caregiver_app.domain.exports import dose_history_rows, history_csv
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.medicines import GivenBy, Medicine, StatusChange
from caregiver_app.domain.patient import Caregiver, Patient
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    DoseStep,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.domain.schedule import occurrences
from caregiver_app.domain.vocab import MedicineStatus, SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.printing import PrintService
from caregiver_app.storage.db import memory_database, migrate
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

SPAN = 60  # days of records in the random households
ZONES = [NEW_YORK, ZoneInfo("Asia/Tokyo"), ZoneInfo("Europe/London")]


class _Clock:
    def __init__(self, moment) -> None:
        self.moment = moment

    def now(self):
        return self.moment


def _home(now):
    db = memory_database()
    migrate(db)
    patients = PatientRepository(db)
    patients.save(Patient("Jane Q Public", time_zone="America/New_York"))
    patients.save_caregivers([Caregiver("Tom Example", "TE"), Caregiver("Ana Hill", "AH")])
    clock, zone = _Clock(now), [NEW_YORK]
    repo = MedicationRepository(db)
    book = MedicationBook(repo, clock=clock, on_duty=lambda: 1, zone=lambda: zone[0])
    return SimpleNamespace(db=db, clock=clock, zone=zone, repo=repo, book=book,
                           patients=patients,
                           service=PrintService(book, patients, clock=clock))


def _medicines(first: date) -> list[Medicine]:
    """One medicine of each kind the schedule knows, begun on ``first``."""
    twice = (time(8), time(20))
    cycle = CycleRegimen(first, (time(7),))
    steps = StepsRegimen((DoseStep(first, Dose(1, "tablet"), (time(9),), first + timedelta(
        days=20)), DoseStep(first + timedelta(days=21), Dose(2, "tablet"), (time(9),))))
    return [
        medicine(DailyRegimen(first, twice), id=None, start=first, generic_name="riluzole"),
        medicine(cycle, id=None, start=first, generic_name="edaravone",
                 cycle_shifts=(CycleShift(first + timedelta(days=16), 2, id=1),
                               CycleShift(first + timedelta(days=45), 3, carry=False, id=2))),
        medicine(LoadingRegimen(first, time(9), loading_doses=3, loading_interval_days=5,
                                maintenance_interval_days=12),
                 id=None, start=first, generic_name="tofersen", given_by=GivenBy.CLINIC),
        medicine(AsNeededRegimen(first, timedelta(hours=4), 3), id=None, start=first,
                 generic_name="lorazepam"),
        medicine(WeekdaysRegimen(first, frozenset({0, 2, 4}), (time(12),)), id=None,
                 start=first, generic_name="Baclofen",
                 status_history=(StatusChange(at(first + timedelta(days=10), 15),
                                              MedicineStatus.PAUSED, "low sodium"),
                                 StatusChange(at(first + timedelta(days=14), 0),
                                              MedicineStatus.ACTIVE))),
        medicine(steps, id=None, start=first, generic_name="baclofen",
                 versions=(version(steps, valid_from=first),
                           version(steps, valid_from=first + timedelta(days=30),
                                   dose=Dose(5, "mL"), strength="10 mg/5 mL"))),
    ]


_record = st.tuples(
    st.integers(0, 10_000),                                 # which due dose
    st.integers(-30, 40),                                   # hours given after due
    st.sampled_from(["given", "skipped", "orphan"]),
    st.sampled_from([None, "retime", "withdraw", "skip"]),  # a correction
)


def _correct(repo: MedicationRepository, saved: DoseEntry, fix: str | None,
             hours: int) -> None:
    later = saved.recorded_at + timedelta(hours=2)
    chain = RecordChain((saved,))
    if fix == "retime" and saved.kind is EntryKind.GIVEN:
        assert saved.given_at is not None
        repo.add_entry(correction_of(chain, recorded_at=later,
                                     given_at=saved.given_at + timedelta(hours=hours)))
    elif fix == "withdraw":
        repo.add_entry(correction_of(chain, recorded_at=later,
                                     kind=EntryKind.ENTERED_IN_ERROR, note="wrong"))
    elif fix == "skip" and saved.kind is EntryKind.GIVEN:
        repo.add_entry(correction_of(chain, recorded_at=later, kind=EntryKind.SKIPPED,
                                     given_at=None, amount=None, caregiver_id=None,
                                     skip_reason=SkipReason.ASLEEP))


def _write(home, meds: list[Medicine], first: date, last: date,
           records: list[tuple[int, int, str, str | None]],
           unscheduled: list[tuple[int, int, str | None, int]]) -> None:
    """Records written straight through the repository, filed as the app files them."""
    repo = home.repo
    start, end = day_bounds(first, NEW_YORK)[0], day_bounds(last, NEW_YORK)[1]
    due = [o for m in meds for o in occurrences(m, start, end, NEW_YORK, actual={})]
    seen: set[tuple[int, str]] = set()
    for pick, hours, kind, fix in records:
        if not due:
            break
        occ = due[pick % len(due)]
        key = occ.key if kind != "orphan" else f"{occ.nominal.date().isoformat()}T03:17"
        assert occ.medicine_id is not None
        if (occ.medicine_id, key) in seen:
            continue  # a dose has one first record; a second one corrects it
        seen.add((occ.medicine_id, key))
        if kind == "skipped":
            entry = DoseEntry(medicine_id=occ.medicine_id, kind=EntryKind.SKIPPED,
                              occurrence_key=key, due_at=occ.due,
                              recorded_at=occ.due + timedelta(hours=1), recorded_by_id=2,
                              skip_reason=SkipReason.REFUSED, note="spat it out")
        else:
            given_at = occ.due + timedelta(hours=hours)
            entry = DoseEntry(medicine_id=occ.medicine_id, kind=EntryKind.GIVEN,
                              occurrence_key=key, due_at=occ.due, given_at=given_at,
                              recorded_at=given_at + timedelta(minutes=3),
                              recorded_by_id=1 + pick % 2, amount=occ.dose,
                              caregiver_id=1 + pick % 2)
        _correct(repo, repo.add_entry(entry), fix, hours)
    as_needed = [m for m in meds if m.generic_name in ("lorazepam", "riluzole")]
    for n, (day, hour, fix, hours) in enumerate(unscheduled):
        med = as_needed[n % len(as_needed)]
        moment = at(first + timedelta(days=day), hour)
        extra = med.generic_name == "riluzole"  # an extra dose of a regular medicine
        saved = repo.add_entry(DoseEntry(
            medicine_id=med.id, kind=EntryKind.GIVEN, given_at=moment, recorded_at=moment,
            recorded_by_id=1, amount=Dose(1, "tablet"), caregiver_id=2,
            override_reason="asked the nurse" if extra else "", note="+1 for pain"))
        _correct(repo, saved, fix, hours)


def _old_csv(home, first: date, last: date) -> bytes:
    """The export as it was: a day view for each day of the period."""
    book = home.book
    with book.reading():
        meds = book.medicines()
        views = [book.day(first + timedelta(days=n), medicines=meds)
                 for n in range((last - first).days + 1)]
        zone = book.zone()
    caregivers = {c.id: c for c in home.patients.caregivers(include_inactive=True)}
    rows = dose_history_rows(views, caregivers, zone)
    return history_csv(rows, zone=zone).encode("utf-8-sig")


def _same_as_before(home, first: date, last: date, path) -> int:
    written = home.service.export_history(path, first, last)
    assert path.read_bytes() == _old_csv(home, first, last)
    # and day by day what the day views had (more than the file shows)
    days = home.book.recorded_days(first, last)
    views = [home.book.day(first + timedelta(days=n)) for n in range(len(days))]
    assert [(d.day, d.doses, d.extra) for d in days] == [
        (v.day, v.doses, v.extra) for v in views]
    return written


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(records=st.lists(_record, max_size=40),
       unscheduled=st.lists(st.tuples(st.integers(0, SPAN - 1), st.integers(0, 23),
                                      st.sampled_from([None, "retime", "withdraw"]),
                                      st.integers(-30, 30)), max_size=10),
       period=st.tuples(st.integers(-3, SPAN + 3), st.integers(0, SPAN + 6)),
       zone=st.sampled_from(ZONES),
       now_hours=st.integers(-24 * SPAN, 48))
def test_the_export_reads_as_a_day_view_for_each_day(qtbot, tmp_path, records, unscheduled,
                                                     period, zone, now_hours):
    home = _home(at(D0 + timedelta(days=SPAN), 12))
    meds = [home.repo.add_medicine(m, by=1, at=at(D0 - timedelta(days=1), 12))
            for m in _medicines(D0)]
    _write(home, meds, D0, D0 + timedelta(days=SPAN - 1), records, unscheduled)
    home.clock.moment = at(D0 + timedelta(days=SPAN), 12) + timedelta(hours=now_hours)
    home.zone[0] = zone  # the household may have moved since
    first = D0 + timedelta(days=period[0])
    _same_as_before(home, first, first + timedelta(days=period[1]), tmp_path / "h.csv")
    home.db.close()


def test_five_years_export_byte_for_byte_as_before_from_one_read(qtbot, tmp_path):
    """Five years of every dose of each kind recorded (one in nine missed, one in seven
    not given, one in eleven corrected), as-needed doses twice every third day: each
    year's file is as before, each from one read of the records."""
    today = D0 + timedelta(days=5 * 365)
    home = _home(at(today, 13))
    first = D0
    meds = [home.repo.add_medicine(m, by=1, at=at(first - timedelta(days=1), 12))
            for m in _medicines(first)]
    start, end = day_bounds(first, NEW_YORK)[0], day_bounds(today, NEW_YORK)[1]
    records = [(n, n % 5 - 1, "skipped" if n % 7 == 3 else "given",
                "retime" if n % 11 == 4 else None)
               for n in range(sum(len(occurrences(m, start, end, NEW_YORK, actual={}))
                                  for m in meds)) if n % 9 != 2]
    _write(home, meds, first, today - timedelta(days=1), records,
           [(d, h, None, 0) for d in range(0, 5 * 365, 3) for h in (10, 22)])
    reads: list[str] = []
    for name in ("entries_between", "entries_for_day"):
        original = getattr(home.repo, name)

        def spy(*args, name=name, original=original, **kwargs):
            reads.append(name)
            return original(*args, **kwargs)

        setattr(home.repo, name, spy)
    for year in range(5):  # each year's file (the dialog allows a year at most)
        last = today - timedelta(days=1 + 365 * year)
        first_day = last - timedelta(days=364)
        reads.clear()
        rows = home.service.export_history(tmp_path / "year.csv", first_day, last)
        assert reads == ["entries_between"]  # one read of the year's records
        assert rows > 1500
        assert (tmp_path / "year.csv").read_bytes() == _old_csv(home, first_day, last)
    home.db.close()
