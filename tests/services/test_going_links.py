"""``services.going_links.as_needed_given``: the recent as-needed doses How things are
going asks about ("Did it help?"), read from the records of those days only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine

from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.going_links import as_needed_given
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository

LATER = D0 + timedelta(days=10)


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1}])
    fake_clock.set(at(D0, 6))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock, on_duty=lambda: 1,
                          zone=lambda: NEW_YORK)


def _from_every_record(book: MedicationBook, since):
    """The rule as the whole record says it: the latest record of each dose of an
    as-needed medicine, when it says the dose was given, at the time it says."""
    found = []
    for med in book.medicines():
        if not any(v.is_as_needed for v in med.versions):
            continue
        for chain in book.chains_since(med.id, at(D0 - timedelta(days=400), 0)):
            head = chain.head
            if head.kind is EntryKind.GIVEN:
                local = head.given_at.astimezone(NEW_YORK)
                if local.date() >= since:
                    found.append((head.id, local.date(), med.name, local))
    return sorted(found, key=lambda d: (d[3], d[0]))


def test_recent_doses_as_the_record_stands_from_those_days_alone(book, fake_clock,
                                                                 fresh_db):
    prn = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=1)), id=None,
                                     generic_name="glycopyrrolate", purpose="Drooling"))
    # scheduled at first, as needed from LATER - 1 (its records of both kinds count)
    switched = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                          generic_name="baclofen", purpose="Cramps"))
    book.change_version(switched.id, replace(
        switched.versions[0], id=None, valid_from=LATER - timedelta(days=1),
        regimen=AsNeededRegimen(LATER - timedelta(days=1), timedelta(hours=1))))
    fake_clock.set(at(LATER, 23))
    old = book.record_prn(prn.id, given_at=at(D0 + timedelta(days=2), 9))  # before "since"
    moved = book.record_prn(prn.id, given_at=at(LATER - timedelta(days=1), 9))
    retimed = book.correct(moved.id, kind=EntryKind.GIVEN,
                           given_at=at(LATER - timedelta(days=1), 9, 40))
    withdrawn = book.record_prn(prn.id, given_at=at(LATER, 7))
    book.correct(withdrawn.id, kind=EntryKind.ENTERED_IN_ERROR, note="wrong medicine")
    late = book.record_prn(prn.id, given_at=at(LATER, 21))
    scheduled = book.record_given(switched.id, f"{(LATER - timedelta(days=2)).isoformat()}"
                                  "T20:00", given_at=at(LATER - timedelta(days=2), 20))
    refused = book.record_given(switched.id, f"{(LATER - timedelta(days=2)).isoformat()}"
                                "T08:00", given_at=at(LATER - timedelta(days=2), 8))
    book.correct(refused.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.REFUSED)
    as_needed = book.record_prn(switched.id, given_at=at(LATER, 12))
    since = LATER - timedelta(days=2)
    # first recorded the evening before "since", then corrected to just after midnight
    crossed = book.record_prn(prn.id, given_at=at(since - timedelta(days=1), 23, 30))
    crossed = book.correct(crossed.id, kind=EntryKind.GIVEN, given_at=at(since, 0, 20))
    # the other way: recorded after midnight, corrected to the evening before
    earlier = book.record_prn(prn.id, given_at=at(since, 2, 0))
    book.correct(earlier.id, kind=EntryKind.GIVEN,
                 given_at=at(since - timedelta(days=1), 21, 50))
    # entered a week early by mistake (a wrong day), corrected to the right one
    far = book.record_prn(prn.id, given_at=at(since - timedelta(days=7), 15))
    far = book.correct(far.id, kind=EntryKind.GIVEN, given_at=at(since, 15))
    # a scheduled dose due the evening before, given after midnight
    after_midnight = book.record_given(
        switched.id, f"{(since - timedelta(days=1)).isoformat()}T20:00",
        given_at=at(since, 0, 30))

    statements: list[str] = []
    fresh_db.conn.set_trace_callback(statements.append)
    try:
        found = as_needed_given(book, since)
    finally:
        fresh_db.conn.set_trace_callback(None)
    assert [(entry_id, name, f"{local:%d %H:%M}") for entry_id, _, name, local in found] == [
        (crossed.id, "glycopyrrolate", f"{since.day:02d} 00:20"),  # the corrected time
        (after_midnight.id, "baclofen", f"{since.day:02d} 00:30"),  # when it was given
        (far.id, "glycopyrrolate", f"{since.day:02d} 15:00"),  # found by its time given
        (scheduled.id, "baclofen", f"{since.day:02d} 20:00"),
        (retimed.id, "glycopyrrolate", f"{LATER.day - 1:02d} 09:40"),  # as corrected
        (as_needed.id, "baclofen", f"{LATER.day:02d} 12:00"),
        (late.id, "glycopyrrolate", f"{LATER.day:02d} 21:00"),
    ]
    assert found == _from_every_record(book, since)
    everything = as_needed_given(book, D0)
    assert old.id in {f[0] for f in everything} and len(everything) == 9
    assert everything == _from_every_record(book, D0)
    # only the records filed from that day on were read (the index on medicine and slot)
    reads = [s for s in statements if "FROM dose_entries" in s]
    assert len(reads) == 2 and all("slot_at >= " in s for s in reads), reads


SANTIAGO = ZoneInfo("America/Santiago")  # its clocks change at local midnight


@pytest.mark.parametrize(("since", "before", "first"), [
    # 6 Sep 2026: 00:00 does not exist (the clocks go from 23:59 to 01:00)
    (date(2026, 9, 6), ["2026-09-06T03:59:00+00:00"], "2026-09-06T04:00:00+00:00"),
    # 5 Apr 2026: 23:00-23:59 of the 4th happens twice, then 00:00
    (date(2026, 4, 5), ["2026-04-05T02:59:00+00:00", "2026-04-05T03:59:00+00:00"],
     "2026-04-05T04:00:00+00:00"),
])
def test_the_first_minute_of_the_day_is_in_and_the_last_before_it_out(
        fresh_db, fake_clock, qtbot, since, before, first):
    """The cut-off is the first instant of the local day, where the clocks change at
    midnight too: the doses of the day before (23:59, each time it happens) are left
    out, the first one of the day is in."""
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1}])
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: 1, zone=lambda: SANTIAGO)
    fake_clock.set(at(D0, 6))
    prn = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=1)), id=None,
                                     generic_name="glycopyrrolate", purpose="Drooling"))
    fake_clock.set(datetime.fromisoformat(first) + timedelta(days=1))
    moments = [datetime.fromisoformat(m) for m in (*before, first)]
    # (the zone really changes there: each "before" is on the day before, locally)
    assert {m.astimezone(SANTIAGO).date() for m in moments[:-1]} == {
        since - timedelta(days=1)}
    assert moments[-1].astimezone(SANTIAGO).date() == since
    assert len({m.astimezone(SANTIAGO).utcoffset() for m in (
        moments[0] - timedelta(hours=2), moments[-1] + timedelta(hours=2))}) == 2
    entries = [book.record_prn(prn.id, given_at=m, override_reason="test")
               for m in moments]
    found = as_needed_given(book, since)
    assert [(entry_id, day) for entry_id, day, _, _ in found] == [(entries[-1].id, since)]
    assert found[0][3] == moments[-1]
    assert len(as_needed_given(book, since - timedelta(days=1))) == len(moments)
