"""A change to a medicine never takes a dose already recorded off its schedule.

Otherwise the record turns into an "extra" dose, and the dose it was for shows as due
again (it could be given twice) or as missed. Every write that changes which doses are
due goes through the same check: a new version, start and end dates, pause and stop,
resuming or undoing a cycle change. And a cycle delay or pause belongs to its own
course: it never moves or holds the next course.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.regimens import CycleRegimen, DailyRegimen
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository

D1 = D0 + timedelta(days=1)


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1}])
    fake_clock.set(at(D0, 8, 30))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: 1, zone=lambda: NEW_YORK)


@pytest.fixture
def riluzole(book):
    return book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))


def _states(book, day=D0) -> list[tuple[str, DoseState]]:
    return [(f"{d.occurrence.local:%H:%M}", d.state) for d in book.day(day).doses]


def _entries(book, medicine_id) -> int:
    return len(book.history(medicine_id))


# ---- A new version


def test_new_times_from_today_after_the_morning_dose_is_refused(book, riluzole):
    """08:00 given at 08:10; moving the times to 09:00/21:00 "from today" would show a
    09:00 dose due: the morning dose could be given twice."""
    book.record_given(riluzole.id, "2026-01-05T08:00", given_at=at(D0, 8, 10))
    later = version(DailyRegimen(D0, (time(9), time(21))), valid_from=D0)
    with pytest.raises(ValidationError) as refused:
        book.change_version(riluzole.id, later)
    message = refused.value.errors["valid_from"]
    assert "08:00 on Mon 5 Jan is already recorded" in message
    assert "from Tue 6 Jan 2026" in message
    assert _states(book) == [("08:00", DoseState.GIVEN), ("20:00", DoseState.DUE)]
    # from tomorrow it is fine, and today stays as it was
    book.change_version(riluzole.id, replace(later, valid_from=D1,
                                             regimen=DailyRegimen(D1, (time(9), time(21)))))
    assert _states(book) == [("08:00", DoseState.GIVEN), ("20:00", DoseState.DUE)]
    assert [t for t, _ in _states(book, D1)] == ["09:00", "21:00"]


def test_a_new_dose_from_today_keeps_the_recorded_dose(book, riluzole):
    """Same times, another amount: the recorded dose stays on the schedule."""
    from caregiver_app.domain.amount import Dose

    book.record_given(riluzole.id, "2026-01-05T08:00")
    book.change_version(riluzole.id, version(DailyRegimen(D0, (T8, T20)), valid_from=D0,
                                             dose=Dose(2, "tablet")))
    assert _states(book) == [("08:00", DoseState.GIVEN), ("20:00", DoseState.DUE)]


def test_a_backdated_change_that_hides_given_doses_is_refused(book, riluzole, fake_clock):
    for day in (D0, D1):
        for hour in (8, 20):
            fake_clock.set(at(day, hour, 5))
            book.record_given(riluzole.id, f"{day.isoformat()}T{hour:02d}:00")
    fake_clock.set(at(D1 + timedelta(days=1), 9))
    start = D0
    with pytest.raises(ValidationError, match="4 doses are already recorded"):
        book.change_version(riluzole.id, version(DailyRegimen(start, (time(9),)),
                                                 valid_from=start))
    counts = book.adherence(D0, D1).overall
    assert (counts.due, counts.on_time, counts.missed) == (4, 4, 0)


def test_a_skipped_dose_counts_as_recorded_too(book, riluzole):
    book.record_skipped(riluzole.id, "2026-01-05T08:00", SkipReason.REFUSED)
    with pytest.raises(ValidationError, match="already recorded"):
        book.change_version(riluzole.id, version(DailyRegimen(D0, (time(9),)), valid_from=D0))


# ---- Dates, pause and stop


def test_start_date_moved_past_recorded_doses_is_refused(book, riluzole, fake_clock):
    book.record_given(riluzole.id, "2026-01-05T08:00")
    fake_clock.set(at(D1, 9))
    with pytest.raises(ValidationError) as refused:
        book.update_details(replace(book.medicine(riluzole.id), start_date=D1))
    assert "already recorded" in refused.value.errors["start_date"]
    assert book.medicine(riluzole.id).start_date == D0


def test_end_date_before_recorded_doses_is_refused(book, riluzole, fake_clock):
    fake_clock.set(at(D1, 8, 5))
    book.record_given(riluzole.id, "2026-01-06T08:00")
    with pytest.raises(ValidationError, match="already recorded"):
        book.update_details(replace(book.medicine(riluzole.id), end_date=D0))
    book.update_details(replace(book.medicine(riluzole.id), end_date=D1))  # keeps it
    assert book.medicine(riluzole.id).end_date == D1


def test_stopping_from_a_past_moment_after_recorded_doses_is_refused(book, riluzole,
                                                                     fake_clock):
    fake_clock.set(at(D1 + timedelta(days=1), 8, 5))
    book.record_given(riluzole.id, "2026-01-07T08:00")
    with pytest.raises(ValidationError) as refused:
        book.stop(riluzole.id, "side effects", at=at(D1, 9))
    assert "already recorded" in refused.value.errors["at"]
    day3 = D1 + timedelta(days=1)
    assert book.adherence(day3, day3).overall.on_time == 1
    book.stop(riluzole.id, "side effects")  # from now on: fine
    assert book.medicine(riluzole.id).status_history[-1].reason == "side effects"


def test_pausing_from_before_a_recorded_dose_is_refused(book, riluzole):
    book.record_given(riluzole.id, "2026-01-05T08:00")
    with pytest.raises(ValidationError, match="already recorded"):
        book.pause(riluzole.id, "in hospital", at=at(D0, 7))


# ---- The medicine dialog's save is all or nothing


def test_dialog_save_writes_details_and_version_together_or_not_at_all(book, riluzole):
    book.record_given(riluzole.id, "2026-01-05T08:00")
    stored = book.medicine(riluzole.id)
    before = _entries(book, riluzole.id)
    renamed = replace(stored, purpose="Slows ALS")
    refused = version(DailyRegimen(D0, (time(9),)), valid_from=D0)
    with pytest.raises(ValidationError, match="already recorded"):
        book.save_change(renamed, refused)
    assert book.medicine(riluzole.id).purpose == stored.purpose  # details not saved either
    assert _entries(book, riluzole.id) == before
    fine = version(DailyRegimen(D1, (time(9),)), valid_from=D1)
    saved = book.save_change(renamed, fine)
    assert saved.purpose == "Slows ALS" and len(saved.versions) == 2


# ---- Cycles


@pytest.fixture
def edaravone(book):
    return book.add_medicine(medicine(CycleRegimen(D0, (time(7),)), id=None,
                                      generic_name="edaravone"))


def test_undoing_a_delay_after_moved_doses_were_given_is_refused(book, edaravone, fake_clock):
    """Cycle 2 delayed 3 days, then doses given on the new days: undoing the delay would
    relabel them and show the old days as missed."""
    cycle2 = D0 + timedelta(days=28)
    fake_clock.set(at(cycle2, 6))
    book.shift_cycle(edaravone.id, cycle2, 3, carry=False, reason="clinic closed")
    for offset in range(3, 6):
        day = cycle2 + timedelta(days=offset)
        fake_clock.set(at(day, 7, 5))
        book.record_given(edaravone.id, f"{day.isoformat()}T07:00")
    shift = book.medicine(edaravone.id).cycle_shifts[-1]
    with pytest.raises(ValidationError) as refused:
        book.undo_cycle_change(edaravone.id, shift.id)
    assert "already recorded" in refused.value.errors["shift"]
    label = book.day(cycle2 + timedelta(days=3)).doses[0].occurrence.label
    assert label == "cycle 2, day 1 of 10"


def _new_course(book, medicine_id, start: date):
    book.change_version(medicine_id, version(CycleRegimen(start, (time(7),)),
                                             valid_from=start))


def test_a_delay_in_one_course_does_not_move_the_next_course(book, edaravone, fake_clock):
    fake_clock.set(at(D0 + timedelta(days=2), 6))
    book.shift_cycle(edaravone.id, D0 + timedelta(days=3), 2, reason="clinic day")
    course2 = date(2026, 6, 1)
    fake_clock.set(at(course2 - timedelta(days=1), 12))
    _new_course(book, edaravone.id, course2)
    first = book.day(course2).doses
    assert [d.occurrence.label for d in first] == ["cycle 1, day 1 of 14"]


def test_an_unfinished_pause_of_an_old_course_does_not_hold_the_next(book, edaravone,
                                                                     fake_clock):
    fake_clock.set(at(D0 + timedelta(days=2), 6))
    book.pause_cycle(edaravone.id, D0 + timedelta(days=3), "in hospital")
    course2 = date(2026, 6, 1)
    fake_clock.set(at(course2 - timedelta(days=1), 12))
    _new_course(book, edaravone.id, course2)
    assert book.day(course2).doses[0].occurrence.label == "cycle 1, day 1 of 14"
    fresh = book.medicine(edaravone.id)
    assert fresh.open_hold(course2) is None  # the new course can be delayed or paused
    fake_clock.set(at(course2 + timedelta(days=1), 6))
    book.shift_cycle(edaravone.id, course2 + timedelta(days=1), 1, reason="tired")
    assert book.day(course2 + timedelta(days=2)).doses[0].occurrence.label == \
        "cycle 1, day 2 of 14"
