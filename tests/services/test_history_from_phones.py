"""What the family's phones did to a dose record, as a medicine's history says it beside
the record: the phone that ticked it (a record made from a tick), and the phones that
ticked it too after the app recorded it ("Also ticked on Ana's iPhone at 08:12."). The
History window reads the history a page at a time (``history_page``): each page says
it as the whole history (``history``) does."""

from __future__ import annotations

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine

from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.sharing import Action, Incoming
from caregiver_app.domain.tick_sources import DoseSource, TimeFrom
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.sharing_repo import SharingRepository


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1},
        {"id": 2, "name": "Ana", "initials": "AH", "active": 1}])
    fake_clock.set(at(D0, 21))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock, on_duty=lambda: 1,
                          zone=lambda: NEW_YORK)


def _also_ticked(repo, entry, message):
    repo.add_notes([Incoming(Action.ALSO_TICKED, uid="task", medicine_id=entry.medicine_id,
                             occurrence_key=entry.occurrence_key, message=message,
                             entry_id=entry.id)], at(D0, 21))


def _pages(book, medicine_id, *, size):
    """Every page of the history, one record a page, as the window scrolls through."""
    page = book.history_page(medicine_id, size=size)
    items = list(page.items)
    while page.older is not None:
        page = book.history_page(medicine_id, page.older, size=size)
        items.extend(page.items)
    return items


def test_each_page_of_the_history_says_what_the_phones_did_to_its_records(book, fresh_db):
    repo = SharingRepository(fresh_db)
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                     supply=SupplySettings(unit="tablet")))
    morning = book.record_given(med.id, f"{D0.isoformat()}T08:00", given_at=at(D0, 8, 5))
    evening = book.record_given(med.id, f"{D0.isoformat()}T20:00", given_at=at(D0, 20, 3),
                                caregiver_id=2, recorded_by=2)
    repo.add_source(DoseSource(evening.id, "Ana's iPhone", "ana", "iPhone or iPad",
                               at(D0, 20, 3), TimeFrom.PHONE, at(D0, 21)))
    _also_ticked(repo, morning, "Also ticked on Ana's iPhone at 08:12.")
    _also_ticked(repo, morning, "Also ticked on Ben's Android at 08:20.")
    repo.add_notes([Incoming(Action.UNTICKED, uid="task", medicine_id=med.id,
                             occurrence_key=evening.occurrence_key,
                             message="Un-ticked on Ben's Android: the app's record still "
                                     "says given. Check it, and correct the record if the "
                                     "dose was not given.",
                             entry_id=evening.id)], at(D0, 21, 30))

    for items in (_pages(book, med.id, size=1), book.history(med.id)):
        by_entry = {item.entry_id: item for item in items if item.entry_id is not None}
        assert set(by_entry) == {morning.id, evening.id}
        assert by_entry[morning.id].also_ticked == (
            "Also ticked on Ana's iPhone at 08:12.", "Also ticked on Ben's Android at 08:20.")
        assert by_entry[morning.id].source == ""
        assert by_entry[evening.id].source == "Ana's iPhone"
        # an un-tick, beside its record too, by when the sync found it (local time)
        assert by_entry[evening.id].also_ticked == (
            "Un-ticked on Ben's Android before Mon 5 Jan 21:30; ⚑ to check.",)
        assert by_entry[evening.id].detail.startswith("Ticked on Ana's iPhone (account ana")


def test_the_history_window_says_it_beside_the_record(book, fresh_db):
    from caregiver_app.ui.medications.history_dialog import HistoryModel

    repo = SharingRepository(fresh_db)
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))
    morning = book.record_given(med.id, f"{D0.isoformat()}T08:00", given_at=at(D0, 8, 5))
    _also_ticked(repo, morning, "Also ticked on Ana's iPhone at 08:12.")
    model = HistoryModel(NEW_YORK, {1: "Tom", 2: "Ana"})
    model.set_items(book.history_pages(med.id))
    [row] = [r for r in range(model.rowCount()) if model.item(r).entry_id == morning.id]
    assert model.text(row, model.WHAT) == "Given (also ticked on Ana's iPhone at 08:12)"
    assert model.text(row, model.BY) == "Tom"


def test_records_from_before_sharing_existed_read_with_nothing_from_the_phones(book,
                                                                                fresh_db):
    fresh_db.execute("DROP TABLE sharing_notes")  # (records a read-only older file keeps)
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))
    book.record_given(med.id, f"{D0.isoformat()}T08:00", given_at=at(D0, 8, 5))
    assert all(item.also_ticked == () for item in book.history_page(med.id).items)


def test_a_note_that_asks_a_person_is_flagged_until_seen_or_settled():
    from caregiver_app.domain.sharing import history_words

    twice = ("Also ticked on Ana's iPhone at 08:12, but the app has it given by Tom at "
             "08:05. Check it was not given twice.")
    noted = at(D0, 8, 30)
    assert history_words(Action.TICKED_TWICE, twice, noted, NEW_YORK) == (
        twice.rstrip(".") + "; ⚑ to check.")  # a possible second dose, as an un-tick
    assert history_words(Action.TICKED_TWICE, twice, noted, NEW_YORK,
                         seen_at=at(D0, 9)).endswith("twice; seen Mon 5 Jan 09:00.")
    assert history_words(Action.UNTICKED, "Un-ticked on Ana's iPhone: the app's record "
                         "still says given. Check it.", noted, NEW_YORK,
                         seen_at=at(D0, 9), settled_at=at(D0, 9, 5)) == (
        "Un-ticked on Ana's iPhone before Mon 5 Jan 08:30; settled in the app.")
    also = "Also ticked on Ana's iPhone at 08:12."  # only tells: never flagged
    assert history_words(Action.ALSO_TICKED, also, noted, NEW_YORK) == also
