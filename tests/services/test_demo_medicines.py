"""The example household's medicines: realistic, consistent, read through the real book."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.vocab import Form, Route
from caregiver_app.services.demo import populate_example
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository, content_problems

TODAY = date(2026, 11, 25)
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    populate_example(fresh_db, today=TODAY, time_zone="America/Chicago")
    fake_clock.set(to_utc(datetime.combine(TODAY, time(6, 30), tzinfo=CHICAGO)))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: 1, zone=lambda: CHICAGO)


def test_the_example_medicine_list(book, fresh_db):
    meds = {m.generic_name: m for m in book.medicines()}
    assert set(meds) == {"riluzole", "edaravone", "tofersen", "baclofen", "glycopyrrolate"}
    riluzole = meds["riluzole"].current_version(TODAY)
    assert (riluzole.strength, riluzole.dose.describe()) == ("50 mg", "1 tablet")
    edaravone = meds["edaravone"].current_version(TODAY)
    assert (edaravone.strength, edaravone.dose.describe(), edaravone.route, edaravone.flush_ml
            ) == ("105 mg/5 mL", "5 mL", Route.FEEDING_TUBE, 30)
    tofersen = meds["tofersen"].current_version(TODAY)
    assert (tofersen.form, tofersen.strength) == (Form.INTRATHECAL, "100 mg/15 mL")
    assert "EXAMPLE" in meds["baclofen"].instructions
    assert "EXAMPLE" in meds["glycopyrrolate"].instructions
    assert content_problems(fresh_db) == []
    populate_example(fresh_db, today=TODAY, time_zone="America/Chicago")  # idempotent
    assert len(book.medicines()) == 5


def test_the_example_day(book):
    view = book.day()
    rows = [(d.occurrence.local.strftime("%H:%M"), d.medicine.generic_name, d.occurrence.label)
            for d in view.doses]
    assert rows[0] == ("07:00", "edaravone", "cycle 3, day 5 of 10")
    assert ("08:00", "riluzole", "") in rows and ("20:00", "riluzole", "") in rows
    assert [r for r in rows if r[1] == "baclofen"] == [
        ("08:00", "baclofen", "step 2 of 2"), ("14:00", "baclofen", "step 2 of 2"),
        ("20:00", "baclofen", "step 2 of 2")]
    assert all(d.state is DoseState.DUE for d in view.doses)
    (prn,) = view.as_needed
    assert prn.medicine.generic_name == "glycopyrrolate" and prn.allowed
    yesterday = book.day(TODAY - timedelta(days=1))
    assert all(d.state is DoseState.GIVEN for d in yesterday.doses)


def test_the_example_history(book):
    statuses = book.statuses(TODAY - timedelta(days=7), TODAY - timedelta(days=1))
    states = {s.state for s in statuses}
    assert states == {DoseState.GIVEN, DoseState.SKIPPED}
    assert any(s.chain and s.chain.corrected for s in statuses)
    tofersen = next(m for m in book.medicines() if m.generic_name == "tofersen")
    upcoming = book.statuses(TODAY, TODAY + timedelta(days=20), medicine_id=tofersen.id)
    # Loading dose 2 was given a day late, so dose 3 is 14 days after that day.
    assert [(s.occurrence.label, s.occurrence.local.date()) for s in upcoming] == [
        ("loading 3 of 3", TODAY + timedelta(days=9))]


def test_the_example_stock(book):
    meds = {m.generic_name: m for m in book.medicines()}
    riluzole = book.supply(meds["riluzole"].id)
    assert riluzole.on_hand is not None and riluzole.run_out is not None
    edaravone = book.supply(meds["edaravone"].id)
    assert edaravone.opened_on == TODAY - timedelta(days=4)
    assert edaravone.discard_by == TODAY + timedelta(days=11)


def test_opened_in_the_evening_the_example_shows_a_day_in_progress(fresh_db, fake_clock, qtbot):
    """Opened at 19:00, the morning and midday doses are recorded (by both caregivers),
    while the doses of the last hour and a half and the evening are left to record."""
    now = to_utc(datetime.combine(TODAY, time(19), tzinfo=CHICAGO))
    populate_example(fresh_db, today=TODAY, time_zone="America/Chicago", now=now)
    fake_clock.set(now)
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: 1, zone=lambda: CHICAGO)
    states = {(d.occurrence.local.strftime("%H:%M"), d.medicine.generic_name): d.state
              for d in book.day().doses}
    assert states[("07:00", "edaravone")] is DoseState.GIVEN
    assert states[("08:00", "riluzole")] is DoseState.GIVEN
    assert states[("14:00", "baclofen")] is DoseState.GIVEN
    assert states[("20:00", "riluzole")] is DoseState.DUE
    assert states[("20:00", "baclofen")] is DoseState.DUE
    assert DoseState.MISSED not in states.values()
