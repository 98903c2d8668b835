"""The days a loading course's doses were given are kept per medicine asked about (the
medicine list and the emergency sheet ask one medicine at a time), and read again when
a loading dose is recorded."""

from __future__ import annotations

from datetime import time, timedelta

from medicine_builders import D0, NEW_YORK, at, medicine

from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.regimens import LoadingRegimen
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository


def test_each_course_is_read_once_until_a_dose_is_recorded(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                         "active": 1})
    fake_clock.set(at(D0, 12))
    repo = MedicationRepository(fresh_db)
    book = MedicationBook(repo, clock=fake_clock, on_duty=lambda: 1, zone=lambda: NEW_YORK)
    meds = [book.add_medicine(medicine(LoadingRegimen(D0, time(9)), id=None,
                                       generic_name=name, given_by=GivenBy.CLINIC))
            for name in ("tofersen", "nusinersen")]
    first, second = meds
    book.record_given(first.id, f"loading:{D0.isoformat()}:1", given_at=at(D0, 9))
    reads = []
    original = repo.loading_entries

    def counted(ids):
        reads.append(tuple(ids))
        return original(ids)

    repo.loading_entries = counted  # type: ignore[method-assign]
    for _ in range(3):
        for med in meds:
            book.upcoming(med, count=1)
    assert sorted(reads) == [(first.id,), (second.id,)]
    # dose 1 of the second given two days late: its dose 2 counts from that day
    fake_clock.set(at(D0 + timedelta(days=2), 12))
    book.record_given(second.id, f"loading:{D0.isoformat()}:1",
                      given_at=at(D0 + timedelta(days=2), 9))
    assert book.upcoming(second, count=1)[0].nominal.date() == D0 + timedelta(days=16)
    assert book.upcoming(first, count=1)[0].nominal.date() == D0 + timedelta(days=14)
    assert sorted(reads) == [(first.id,), (second.id,), (second.id,)]
