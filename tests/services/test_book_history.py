"""``MedicationBook.history`` (a medicine's whole record, correction chains kept together)
and ``MedicationBook.upcoming`` (the dialog's preview; unsaved medicines, re-anchored
loading courses)."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.history import HistoryKind
from caregiver_app.domain.medicines import GivenBy, SupplySettings
from caregiver_app.domain.regimens import CycleRegimen, DailyRegimen, LoadingRegimen
from caregiver_app.domain.vocab import Form, Route, SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1},
        {"id": 2, "name": "Ana", "initials": "AH", "active": 1}])
    fake_clock.set(at(D0, 12))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock, on_duty=lambda: 1,
                          zone=lambda: NEW_YORK)


def test_history_keeps_a_correction_chain_together(book, fake_clock):
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                     supply=SupplySettings(unit="tablet")))
    first = book.record_given(med.id, f"{D0.isoformat()}T08:00", given_at=at(D0, 8, 10),
                              caregiver_id=2)
    fake_clock.advance(minutes=30)
    second = book.correct(first.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.REFUSED,
                          note="Spat it out")
    fake_clock.advance(minutes=30)
    third = book.correct(second.id, kind=EntryKind.GIVEN, given_at=at(D0, 8, 40),
                         note="Given again with yoghurt")
    book.refill(med.id, 60)
    book.change_version(med.id, replace(med.versions[0], id=None, form=Form.LIQUID,
                                        strength="50 mg/10 mL", dose=Dose(10, "mL"),
                                        valid_from=D0 + timedelta(days=2),
                                        note="Swallowing is harder"))
    book.pause(med.id, "In hospital", at=at(D0, 13))

    items = book.history(med.id)
    doses = [i for i in items if i.chain_id == first.id]
    assert [(i.entry_id, i.kind) for i in doses] == [
        (first.id, HistoryKind.DOSE), (second.id, HistoryKind.CORRECTION),
        (third.id, HistoryKind.CORRECTION)]
    assert [i.current for i in doses] == [False, False, True]
    assert doses[0].what == "Given" and doses[0].by_id == 2  # Ana gave it
    assert doses[0].detail == "1 tablet at 08:10."
    assert doses[1].detail == "Was due 08:00. Spat it out."
    assert doses[1].what == f"Record #{first.id} corrected: not given (refused)"
    assert doses[1].by_id == 1 and doses[1].recorded_by_id == 1  # Tom recorded it
    assert doses[2].what == f"Record #{second.id} corrected: given"
    assert doses[2].by_id == 1  # given again, by the caregiver on duty
    assert "08:40" in doses[2].detail
    assert doses[2].recorded_at == at(D0, 13)
    # chains stay together: the three entries are next to each other
    start = items.index(doses[0])
    assert items[start:start + 3] == doses

    change = next(i for i in items if i.kind is HistoryKind.CHANGE and i.what.startswith(
        "Changed"))
    assert "form: tablet → liquid / oral suspension" in change.detail
    assert "dose: 1 tablet → 10 mL" in change.detail and "Swallowing is harder" in change.detail
    assert any(i.kind is HistoryKind.STATUS and i.what == "Paused"
               and i.detail == "In hospital" for i in items)
    assert any(i.kind is HistoryKind.STOCK and i.what == "Refill"
               and i.detail.startswith("60 tablet") for i in items)
    started = items[-1]
    assert started.what == "Started" and started.kind is HistoryKind.CHANGE
    # newest first
    assert items[0].kind is HistoryKind.CHANGE and items[0].what.startswith("Changed")


def test_history_shows_undone_cycle_changes(book):
    med = book.add_medicine(medicine(CycleRegimen(D0, (time(7),)), id=None,
                                     generic_name="edaravone"))
    book.shift_cycle(med.id, D0 + timedelta(days=3), 2, carry=True, reason="Clinic late")
    shift = book.medicine(med.id).cycle_shifts[0]
    book.undo_cycle_change(med.id, shift.id)
    items = [i for i in book.history(med.id) if i.kind is HistoryKind.CYCLE]
    assert {i.what for i in items} == {"Cycle doses moved 2 days later", "Cycle change undone"}
    moved = next(i for i in items if i.what.startswith("Cycle doses"))
    assert not moved.current and "(Undone.)" in moved.detail and "Clinic late" in moved.detail


def test_upcoming_previews_an_unsaved_medicine(book, qtbot):
    draft = medicine(DailyRegimen(D0, (T8,)), id=None)
    with qtbot.assertNotEmitted(book.changes.changed):
        found = book.upcoming(draft, count=3)
    assert [o.local.date() for o in found] == [D0 + timedelta(days=n) for n in (1, 2, 3)]
    assert book.medicines() == []


def test_upcoming_counts_loading_doses_from_the_day_they_were_given(book, fake_clock):
    med = book.add_medicine(medicine(LoadingRegimen(D0, time(9)), id=None,
                                     generic_name="tofersen", given_by=GivenBy.CLINIC,
                                     versions=None))
    fake_clock.set(at(D0 + timedelta(days=1), 12))
    book.record_given(med.id, f"loading:{D0.isoformat()}:1", given_at=at(D0 + timedelta(
        days=1), 9))  # a day late
    found = book.upcoming(book.medicine(med.id), count=2)
    assert [(o.local.date(), o.label) for o in found] == [
        (D0 + timedelta(days=15), "loading 2 of 3"), (D0 + timedelta(days=29), "loading 3 of 3")]
    assert found[0].route is Route.ORAL  # the builder's version


def test_a_refill_entered_in_the_same_second_as_a_count_adds_to_it(book):
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8,)), id=None,
                                     supply=SupplySettings(unit="tablet")))
    book.count_stock(med.id, 30)
    book.refill(med.id, 60)  # the clock has not moved
    assert book.supply(med.id).on_hand == 90


# ---- Read a page at a time (the History window)


def _months_of_records(book, fake_clock):
    """A medicine twice a day for 40 days: given, skipped, corrected (some twice), with a
    refill, a stock count, a change of dose and a pause in between."""
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                     supply=SupplySettings(unit="tablet")))
    for day in range(40):
        when = D0 + timedelta(days=day)
        fake_clock.set(at(when, 21))
        for hour in (8, 20):
            key = f"{when.isoformat()}T{hour:02d}:00"
            if (day + hour) % 7 == 0:
                book.record_skipped(med.id, key, SkipReason.ASLEEP)
                continue
            entry = book.record_given(med.id, key, given_at=at(when, hour, 5), caregiver_id=2)
            if day % 9 == 3:
                fixed = book.correct(entry.id, kind=EntryKind.SKIPPED,
                                     skip_reason=SkipReason.REFUSED)
                if hour == 20:
                    book.correct(fixed.id, kind=EntryKind.GIVEN, given_at=at(when, 20, 40))
        if day == 10:
            book.refill(med.id, 60)
        if day == 25:
            book.pause(med.id, "In hospital", at=at(when, 21, 30))
            book.resume(med.id, at=at(when, 21, 45))
    book.change_version(med.id, replace(med.versions[0], id=None, dose=Dose(2, "tablet"),
                                        valid_from=D0 + timedelta(days=20)))
    return med


def test_the_pages_of_a_history_are_the_whole_history_in_order(book, fake_clock):
    med = _months_of_records(book, fake_clock)
    whole = book.history(med.id)
    for size in (1, 7, 30, 500):
        pages, before = [], None
        while True:
            page = book.history_page(med.id, before, size=size)
            pages.append(page)
            if page.older is None:
                break
            before = page.older
        read = [item for page in pages for item in page.items]
        assert read == whole, size  # nothing lost, nothing twice, the same order
        assert {page.total for page in pages} == {len(whole)}
        if size < 500:
            assert len(pages) > 2 and all(page.items for page in pages)
            # a correction chain is never split between pages
            for page in pages:
                chains = {i.chain_id for i in page.items if i.chain_id is not None}
                assert all(sum(1 for i in whole if i.chain_id == c)
                           == sum(1 for i in page.items if i.chain_id == c) for c in chains)
    assert len(whole) > 90


def test_the_history_pages_read_by_an_index(book, fresh_db):
    plan = " ".join(str(row) for row in fresh_db.execute(
        "EXPLAIN QUERY PLAN SELECT slot_at FROM dose_entries WHERE medicine_id = 1 "
        "AND slot_at < '2026-01-01' ORDER BY slot_at DESC LIMIT 1 OFFSET 149").fetchall())
    assert "dose_entries_history" in plan and "TEMP B-TREE" not in plan


def test_the_changes_are_the_historys_changes_and_pauses_read_without_doses(
        book, fake_clock, monkeypatch):
    """What the clinic-visit summary lists, read without years of dose records."""
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                     supply=SupplySettings(unit="tablet")))
    first = book.record_given(med.id, f"{D0.isoformat()}T08:00", given_at=at(D0, 8, 10),
                              caregiver_id=2)
    book.correct(first.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.REFUSED)
    book.refill(med.id, 60)
    for days, strength in ((2, "50 mg/10 mL"), (2, "25 mg/5 mL"), (5, "20 mg/5 mL")):
        book.change_version(med.id, replace(med.versions[0], id=None, form=Form.LIQUID,
                                            strength=strength, dose=Dose(10, "mL"),
                                            valid_from=D0 + timedelta(days=days)))
    book.pause(med.id, "In hospital", at=at(D0, 13))
    book.resume(med.id, at=at(D0 + timedelta(days=1), 9))

    whole = [i for i in book.history(med.id)
             if i.kind in (HistoryKind.CHANGE, HistoryKind.STATUS)]
    read = []
    monkeypatch.setattr(MedicationRepository, "entries_of",
                        lambda self, medicine_id: read.append(medicine_id) or [])
    changes = book.changes_and_pauses(med.id)
    assert changes == whole and read == []
    assert [i.kind for i in changes].count(HistoryKind.CHANGE) == 4  # started, 3 changes
    assert [i.kind for i in changes].count(HistoryKind.STATUS) == 2
    assert [i.current for i in changes if i.kind is HistoryKind.CHANGE].count(False) == 1
