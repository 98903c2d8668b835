"""Writes dose records as fast as it can, printing each id once its write returned.

Run by tests/test_crash_safety.py, which kills it with SIGKILL at random moments.
Usage: crash_writer.py DATA_DIR
"""

import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.medicines import Medicine, MedicineVersion
from caregiver_app.domain.patient import Caregiver
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.vocab import Form, Route
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.db import open_database
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

ZONE = ZoneInfo("UTC")
START = date(2020, 1, 1)


class SteppingClock:
    """Reads as a few minutes after the dose being recorded: doses recorded as they happen."""

    def __init__(self) -> None:
        self.day = START

    def now(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 0, 5, tzinfo=UTC)


def main() -> None:
    db = open_database(Path(sys.argv[1]) / "caregiver.sqlite3")
    repo = MedicationRepository(db)
    people = PatientRepository(db)
    carer = (people.caregivers() or people.save_caregivers([Caregiver("Crash Tester", "CT")]))[0]
    existing = repo.medicines()
    done = db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]
    clock = SteppingClock()
    book = MedicationBook(repo, clock=clock, on_duty=lambda: carer.id, zone=lambda: ZONE)
    if existing:
        medicine = existing[0]
    else:
        medicine = book.add_medicine(Medicine(
            generic_name="crashtestamine", start_date=START,
            versions=(MedicineVersion(valid_from=START, strength="1 mg", form=Form.TABLET,
                                      route=Route.ORAL, dose=Dose(1, "tablet"),
                                      regimen=DailyRegimen(START, (time(0),))),)))
    day = START + timedelta(days=done)
    print("ready", flush=True)
    while True:
        clock.day = day
        key = f"{day.isoformat()}T00:00"
        entry = book.record_given(medicine.id, key)
        print(entry.id, flush=True)  # reported as done only after the write returned
        day += timedelta(days=1)


main()
