"""A record stays attached to its dose whatever happens to time zones (issue #12 item 5).

The rule: a zone change (the patient's zone saved in the profile, or, with none saved,
the computer's zone when the laptop travels) applies from the moment it is made, to the
doses not yet recorded: each is due at its wall-clock time in the new zone. A dose
already recorded stays that dose's record: it keeps its day, and whether it was on time
is judged against the due time it had when it was recorded."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from medicine_builders import D0, at, medicine

from caregiver_app.domain.doses import DoseState, Timing
from caregiver_app.domain.patient import Patient
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.services.medication_book import MedicationBook, patient_zone
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
START = D0 - timedelta(days=7)


class Zone:
    def __init__(self, zone: ZoneInfo):
        self.zone = zone

    def __call__(self) -> ZoneInfo:
        return self.zone


@pytest.fixture
def zone():
    return Zone(NY)


@pytest.fixture
def book(fresh_db, fake_clock, zone, qtbot):
    fresh_db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                         "active": 1})
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: 1, zone=zone)


def _add(book, *times: time):
    return book.add_medicine(medicine(DailyRegimen(START, times), id=None, start=START))


def _key(day, hh_mm: str) -> str:
    return f"{day.isoformat()}T{hh_mm}"


def _state(view, key):
    [status] = [d for d in view.doses if d.occurrence.key == key]
    return status


def _orphans(book, *days):
    return [x for day in days for x in book.day(day).extra if x.orphan]


def test_new_york_to_los_angeles_keeps_the_0030_dose_given(book, fake_clock, zone):
    riluzole = _add(book, time(0, 30), time(12))
    fake_clock.set(at(D0, 0, 35, NY))
    book.record_given(riluzole.id, _key(D0, "00:30"))  # given at 00:35 in New York
    fake_clock.set(at(D0, 9, 0, NY))  # 06:00 in Los Angeles
    zone.zone = LA
    dose = _state(book.day(D0), _key(D0, "00:30"))
    assert dose.state is DoseState.GIVEN and dose.timing is Timing.ON_TIME
    assert _orphans(book, D0 - timedelta(days=1), D0, D0 + timedelta(days=1)) == []
    [given] = [s for s in book.statuses(D0 - timedelta(days=1), D0)
               if s.occurrence.key == _key(D0, "00:30")]
    assert given.state is DoseState.GIVEN
    # the doses not recorded yet follow the new zone: noon in Los Angeles
    noon = _state(book.day(D0), _key(D0, "12:00"))
    assert noon.state is DoseState.DUE and noon.occurrence.due == at(D0, 12, 0, LA)


def test_los_angeles_to_new_york_keeps_the_2330_dose_given(book, fake_clock, zone):
    zone.zone = LA
    baclofen = _add(book, time(8), time(23, 30))
    fake_clock.set(at(D0, 23, 31, LA))
    book.record_given(baclofen.id, _key(D0, "23:30"))
    fake_clock.set(at(D0 + timedelta(days=1), 3, 0, NY))  # landed in New York
    zone.zone = NY
    dose = _state(book.day(D0), _key(D0, "23:30"))
    assert dose.state is DoseState.GIVEN and dose.timing is Timing.ON_TIME
    assert _orphans(book, D0, D0 + timedelta(days=1)) == []
    # the reminders' question: nothing recorded for a dose due around now? Not this one.
    now = fake_clock.now()
    around = book.statuses_between(now - timedelta(hours=12), now + timedelta(hours=1))
    [late] = [s for s in around if s.occurrence.key == _key(D0, "23:30")]
    assert late.state is DoseState.GIVEN and not late.overdue


@pytest.mark.parametrize("there, back", [(NY, LA), (LA, NY)])
def test_a_laptop_moved_with_no_saved_zone(fresh_db, fake_clock, qtbot, there, back):
    """No zone in the profile: the book follows the computer's zone, read at each start;
    moving the laptop and starting again is a zone change like any other."""
    fresh_db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                         "active": 1})
    patients = PatientRepository(fresh_db)
    patients.save(Patient(full_name="Maggie", time_zone=""))

    def start(system: ZoneInfo) -> MedicationBook:
        return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                              on_duty=lambda: 1,
                              zone=patient_zone(patients, default=lambda: system.key))

    book = start(there)
    pill = _add(book, time(0, 30), time(23, 30))
    fake_clock.set(at(D0, 0, 40, there))
    book.record_given(pill.id, _key(D0, "00:30"))
    fake_clock.set(at(D0, 23, 35, there))
    book.record_given(pill.id, _key(D0, "23:30"))
    fake_clock.advance(hours=6)
    book = start(back)  # the laptop crossed the country and the app was started again
    view = book.day(D0)
    for key in (_key(D0, "00:30"), _key(D0, "23:30")):
        assert _state(view, key).state is DoseState.GIVEN, key
        assert _state(view, key).timing is Timing.ON_TIME, key
    assert _orphans(book, *(D0 + timedelta(days=n) for n in (-1, 0, 1))) == []
