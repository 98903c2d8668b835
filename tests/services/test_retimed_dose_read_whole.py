"""An as-needed dose whose time was corrected to another day is read with its whole
correction chain, wherever a day's records are read by the time a dose was given.

A correction is filed where its chain began (``medications_repo.filed_at``), but a day
also reads the as-needed doses *given* that day, and read so, a correction moving the
dose into the day came without the records before and after it: a dose moved to the
next morning and back showed as given on both days (Today, the checklist, the CSV
export), and a dose moved across midnight once as given but not corrected."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from medicine_builders import D0, NEW_YORK, at, medicine

from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.patient import Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.printing import PrintService
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository


@pytest.fixture
def home(fresh_db, fake_clock, qtbot):
    patients = PatientRepository(fresh_db)
    patients.save(Patient("Jane Q Public", time_zone="America/New_York"))
    [tom] = patients.save_caregivers([Caregiver("Tom Example", "TE")])
    fake_clock.set(at(D0 + timedelta(days=2), 12))
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: tom.id, zone=lambda: NEW_YORK)
    lorazepam = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3),
                                           id=None, generic_name="lorazepam",
                                           purpose="Anxiety"))
    return book, PrintService(book, patients, clock=fake_clock), lorazepam


def _given(view):
    return [(x.medicine.generic_name, x.chain.effective.given_at, x.chain.corrected)
            for x in view.extra]


def test_a_dose_moved_to_the_next_day_and_back_shows_once(home, tmp_path):
    book, service, lorazepam = home
    first = book.record_prn(lorazepam.id, given_at=at(D0, 10))
    moved = book.correct(first.id, kind=EntryKind.GIVEN, given_at=at(D0 + timedelta(days=1), 9))
    book.correct(moved.id, kind=EntryKind.GIVEN, given_at=at(D0, 11))
    assert _given(book.day(D0)) == [("lorazepam", at(D0, 11), True)]
    assert _given(book.day(D0 + timedelta(days=1))) == []
    assert [s.given_today for s in book.day(D0 + timedelta(days=1)).as_needed] == [()]
    path = tmp_path / "history.csv"
    assert service.export_history(path, D0, D0 + timedelta(days=1)) == 1
    with open(path, encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["Given at (America/New_York)"] == "2026-01-05 11:00"
    assert row["Corrected"] == "yes"


def test_a_dose_moved_past_midnight_shows_on_its_new_day_as_corrected(home, tmp_path):
    book, service, lorazepam = home
    first = book.record_prn(lorazepam.id, given_at=at(D0, 23, 30))
    book.correct(first.id, kind=EntryKind.GIVEN,
                 given_at=at(D0 + timedelta(days=1), 0, 30))
    assert _given(book.day(D0)) == []
    assert _given(book.day(D0 + timedelta(days=1))) == [
        ("lorazepam", at(D0 + timedelta(days=1), 0, 30), True)]
    path = tmp_path / "history.csv"
    assert service.export_history(path, D0 + timedelta(days=1), D0 + timedelta(days=1)) == 1
    with open(path, encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["Corrected"] == "yes"
