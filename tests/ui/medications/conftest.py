"""Fixtures for the Medications tab tests: a medication book on a fresh database with a
fake clock (noon in New York on D0, a Monday), the real medicine reference, and helpers
that open the medicine dialog the way the tab does."""

from __future__ import annotations

import pytest
from medicine_builders import D0, NEW_YORK, at

from caregiver_app import paths
from caregiver_app.domain.reference import REFERENCE_RESOURCE, load_reference
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.ui.medications.medicine_dialog import MedicineChange, MedicineDialog


class Duty:
    def __init__(self):
        self.caregiver_id: int | None = 1

    def __call__(self) -> int | None:
        return self.caregiver_id


@pytest.fixture(scope="session")
def reference():
    return load_reference(paths.resource(*REFERENCE_RESOURCE))


@pytest.fixture
def duty():
    return Duty()


@pytest.fixture
def book(fresh_db, fake_clock, duty, qtbot):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom Example", "initials": "TE", "active": 1},
        {"id": 2, "name": "Ana Helper", "initials": "AH", "active": 1}])
    fake_clock.set(at(D0, 12))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock, on_duty=duty,
                          zone=lambda: NEW_YORK)


def save_with(book: MedicationBook):
    """What the tab does with a dialog's change."""

    def save(change: MedicineChange):
        if change.is_new:
            return book.add_medicine(change.medicine)
        if change.new_version is None and not change.details_changed:
            return book.medicine(change.medicine.id)
        return book.save_change(change.medicine, change.new_version)

    return save


@pytest.fixture
def open_dialog(book, reference, qtbot):
    """``open_dialog(medicine=None, **kwargs)`` -> a shown MedicineDialog saving to ``book``."""

    def make(medicine=None, **kwargs):
        dialog = MedicineDialog(reference=reference, today=book.today(), now=book.now(),
                                zone=book.zone(), medicine=medicine,
                                preview=lambda m, after: book.upcoming(m, after=after),
                                save=save_with(book), **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make
