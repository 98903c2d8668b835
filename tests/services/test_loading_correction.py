"""Correcting a loading dose's date never moves a later dose already recorded (issue #12
item 6). Tofersen: dose 2 typed as given on day 17, dose 3 given on day 31 (14 days
later), then dose 2 corrected to day 14: dose 3's due day would become day 28, its
record stay on day 31, and the day view show it missed on day 28 and its record as a
record without a dose on day 31."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, at, medicine

from caregiver_app.domain.doses import DoseState, EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.regimens import LoadingRegimen
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository


def day(n: int):
    return D0 + timedelta(days=n)


def key(number: int) -> str:
    return f"loading:{D0.isoformat()}:{number}"


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                         "active": 1})
    fake_clock.set(at(D0, 12))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: 1, zone=lambda: NEW_YORK)


@pytest.fixture
def tofersen(book, fake_clock):
    med = book.add_medicine(medicine(LoadingRegimen(D0, time(9)), id=None,
                                     generic_name="tofersen", given_by=GivenBy.CLINIC))
    book.record_given(med.id, key(1), given_at=at(day(0), 9))
    fake_clock.set(at(day(17), 12))
    dose2 = book.record_given(med.id, key(2), given_at=at(day(17), 9))  # typed: day 17
    fake_clock.set(at(day(31), 12))
    dose3 = book.record_given(med.id, key(3), given_at=at(day(31), 9))
    fake_clock.set(at(day(32), 12))
    return med, dose2, dose3


def _doses(book, n: int) -> list[tuple[str, DoseState]]:
    view = book.day(day(n))
    return [(d.occurrence.key, d.state) for d in view.doses]


def _orphans(book, n: int) -> list[str]:
    return [x.chain.key for x in book.day(day(n)).extra if x.orphan]


def test_moving_dose_2_that_would_move_recorded_dose_3_is_refused(book, tofersen, qtbot,
                                                                  fresh_db):
    _med, dose2, _dose3 = tofersen
    before = fresh_db.table("dose_entries").count
    with qtbot.assertNotEmitted(book.changes.changed), pytest.raises(ValidationError) as refused:
        book.correct(dose2.id, kind=EntryKind.GIVEN, given_at=at(day(14), 9))
    message = refused.value.errors["given_at"]
    assert "loading 3 of 3" in message and "already recorded" in message
    assert "Thu 5 Feb" in message  # where dose 3 was given and stays (day 31)
    assert fresh_db.table("dose_entries").count == before
    # the record reads as it did: dose 3 on day 31, given; nothing missed or orphaned
    assert _doses(book, 31) == [(key(3), DoseState.GIVEN)]
    assert _doses(book, 28) == [] and _orphans(book, 31) == []


@pytest.mark.parametrize("kind", [EntryKind.SKIPPED, EntryKind.ENTERED_IN_ERROR])
def test_withdrawing_dose_2_would_move_dose_3_too(book, tofersen, kind):
    _med, dose2, _dose3 = tofersen
    extra = {"skip_reason": SkipReason.REFUSED} if kind is EntryKind.SKIPPED else {}
    with pytest.raises(ValidationError):
        book.correct(dose2.id, kind=kind, note="typed on the wrong dose", **extra)


def test_a_change_that_moves_no_later_dose_is_kept(book, tofersen):
    """The time of day, the amount or a note change no dose day: allowed."""
    _med, dose2, _dose3 = tofersen
    fixed = book.correct(dose2.id, kind=EntryKind.GIVEN, given_at=at(day(17), 10, 30),
                         note="given at 10:30")
    assert fixed.given_at == at(day(17), 10, 30)


def test_the_way_out_correct_the_later_dose_first(book, tofersen):
    """Withdraw dose 3's record, correct dose 2, record dose 3 again: every record stays
    on its dose, dose 3 due on day 28 and given (late) on day 31."""
    med, dose2, dose3 = tofersen
    book.correct(dose3.id, kind=EntryKind.ENTERED_IN_ERROR, note="dose 2 date was wrong")
    book.correct(dose2.id, kind=EntryKind.GIVEN, given_at=at(day(14), 9))
    book.record_given(med.id, key(3), given_at=at(day(31), 9))
    assert _doses(book, 28) == [(key(3), DoseState.GIVEN)]
    assert _orphans(book, 31) == [] and _doses(book, 31) == []
