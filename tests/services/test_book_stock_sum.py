"""Stock on hand sums the doses given since the last count in SQL; it must agree with
``domain.supply.stock_on_hand`` over the same records (corrections, withdrawn doses,
doses measured in another unit, per-dose use unknown)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.supply import stock_on_hand
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.db import memory_database, migrate
from caregiver_app.storage.medications_repo import MedicationRepository


class Clock:
    def __init__(self):
        self.moment = at(D0, 7)

    def now(self):
        return self.moment


def _book():
    db = memory_database()
    migrate(db)
    db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE", "active": 1})
    clock = Clock()
    return db, clock, MedicationBook(MedicationRepository(db), clock=clock, on_duty=lambda: 1,
                                     zone=lambda: NEW_YORK)


def _expected(book, repo, medicine_id):
    settings_ = book.medicine(medicine_id).supply
    events = repo.supply_events(medicine_id)
    counts = [e for e in events if e.kind.value == "count" and e.at <= book.now()]
    since = counts[-1].at if counts else None
    strength = book.medicine(medicine_id).versions[-1].strength
    return stock_on_hand(settings_, events, repo.effective_given(medicine_id, since=since),
                         book.now(), strength=strength)


@pytest.mark.parametrize("per_dose", [None, 0.5])
def test_sql_sum_agrees_with_the_domain(qtbot, per_dose):
    db, clock, book = _book()
    repo = MedicationRepository(db)
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                     supply=SupplySettings(unit="tablet", per_dose=per_dose)))
    book.refill(med.id, 40)
    clock.moment = at(D0 + timedelta(days=3), 22)
    key = [f"{(D0 + timedelta(days=d)).isoformat()}T{h:02d}:00" for d in range(3)
           for h in (8, 20)]
    book.record_given(med.id, key[0])                                    # 1 tablet
    book.record_given(med.id, key[1], amount=Dose(5, "mL"))              # per_dose
    wrong = book.record_given(med.id, key[2])
    book.correct(wrong.id, kind=EntryKind.GIVEN, amount=Dose(2, "tablet"))  # 2 tablets
    error = book.record_given(med.id, key[3])
    book.correct(error.id, kind=EntryKind.ENTERED_IN_ERROR, note="wrong medicine")
    book.count_stock(med.id, 30)
    clock.moment += timedelta(minutes=1)
    book.record_given(med.id, key[4])
    assert book.supply(med.id).on_hand == _expected(book, repo, med.id) == 29.0
    db.close()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["tablet", "mL", "mg"]), st.integers(1, 4),
                          st.sampled_from(["keep", "fix", "withdraw"])), max_size=8),
       st.sampled_from([None, 0.25]), st.booleans())
def test_sql_sum_agrees_with_the_domain_on_any_record(qtbot, doses, per_dose, counted):
    db, clock, book = _book()
    repo = MedicationRepository(db)
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                     supply=SupplySettings(unit="tablet", per_dose=per_dose)))
    book.refill(med.id, 100)
    if counted:
        book.count_stock(med.id, 50)
    clock.moment = at(D0 + timedelta(days=6), 22)
    for n, (unit, amount, fate) in enumerate(doses):
        key = f"{(D0 + timedelta(days=n // 2)).isoformat()}T{(8, 20)[n % 2]:02d}:00"
        entry = book.record_given(med.id, key, amount=Dose(amount, unit))
        if fate == "fix":
            book.correct(entry.id, kind=EntryKind.GIVEN, amount=Dose(amount + 1, unit))
        elif fate == "withdraw":
            book.correct(entry.id, kind=EntryKind.ENTERED_IN_ERROR, note="slip")
    assert book.supply(med.id).on_hand == _expected(book, repo, med.id)
    db.close()
