"""A dose can be recorded at most two days before it is due (the early-recording window:
a clinic may give a dose a day early), never months ahead (issue #12 item 7): the rule
is the book's, not only the Today tab's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine

from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                         "active": 1})
    fake_clock.set(at(D0, 12))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: 1, zone=lambda: NEW_YORK)


@pytest.fixture
def riluzole(book):
    return book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))


def _key(day, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


def _entries(fresh_db) -> int:
    return fresh_db.table("dose_entries").count


@pytest.mark.parametrize("days_ahead", [3, 30, 365])
def test_a_dose_beyond_the_window_is_refused(book, riluzole, fresh_db, qtbot, days_ahead):
    day = D0 + timedelta(days=days_ahead)
    with qtbot.assertNotEmitted(book.changes.changed):
        with pytest.raises(ValidationError) as given:
            book.record_given(riluzole.id, _key(day, 8))
        with pytest.raises(ValidationError) as skipped:
            book.record_skipped(riluzole.id, _key(day, 8), SkipReason.REFUSED)
    for refused in (given, skipped):
        message = refused.value.errors["occurrence_key"]
        assert f"due on {day:%A} {day.day} {day:%B %Y}" in message
        assert "at most 2 days before it is due" in message
    assert _entries(fresh_db) == 0


def test_the_batch_refuses_a_later_day_too(book, riluzole, fresh_db):
    with pytest.raises(ValidationError):
        book.record_batch(at(D0 + timedelta(days=400), 8), [(riluzole.id, _key(
            D0 + timedelta(days=400), 8))])
    assert _entries(fresh_db) == 0


def test_the_window_ends_two_days_ahead(book, riluzole, fresh_db, fake_clock):
    fake_clock.set(at(D0 + timedelta(days=1), 19, 59))  # 2 days and a minute before it
    with pytest.raises(ValidationError):
        book.record_given(riluzole.id, _key(D0 + timedelta(days=3), 20))
    fake_clock.set(at(D0 + timedelta(days=1), 20))
    assert book.record_given(riluzole.id, _key(D0 + timedelta(days=3), 20)).id
    assert _entries(fresh_db) == 1


def test_a_dose_of_today_can_be_recorded_early(book, riluzole, fresh_db):
    """Today's 20:00 dose given at noon (before an outing) is recorded, marked early."""
    entry = book.record_given(riluzole.id, _key(D0, 20))
    assert entry.kind is EntryKind.GIVEN and entry.given_at == at(D0, 12)
    assert book.record_skipped(riluzole.id, _key(D0, 8), SkipReason.REFUSED).id
    assert _entries(fresh_db) == 2


def test_past_days_can_be_recorded_after_the_fact(book, fresh_db):
    earlier = D0 - timedelta(days=3)
    old = book.add_medicine(medicine(DailyRegimen(earlier, (T8, T20)), id=None,
                                     start=earlier))
    book.record_given(old.id, _key(earlier, 20), given_at=at(earlier, 20, 5))
    book.record_skipped(old.id, _key(D0 - timedelta(days=1), 8), SkipReason.REFUSED)
    assert _entries(fresh_db) == 2
