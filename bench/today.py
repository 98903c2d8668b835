"""The Today tab at the size of a long, busy household.

Marking a dose given and redrawing the Today tab, on a file database holding 5 years of
history for 30 medicines (about 70,000 dose records, the schedule benchmark's data), next
to redrawing an empty Today tab (no medicines at all) in the same run. "Redraw" is what a
caregiver waits for: the day read again, the model rebuilt, the header and card filled,
and the tab painted (``QWidget.grab``).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time as timer
from datetime import UTC, datetime, time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.common import report
from bench.schedule import TODAY, ZONE, _fill

RUNS = 7


class _Clock:
    def now(self) -> datetime:
        return datetime.combine(TODAY, time(13), tzinfo=ZONE).astimezone(UTC)


def _tab(db, folder: Path):
    from caregiver_app.services.medication_book import MedicationBook
    from caregiver_app.services.session import Session
    from caregiver_app.storage.medications_repo import MedicationRepository
    from caregiver_app.storage.patient_repo import PatientRepository
    from caregiver_app.ui.settings import UiSettings
    from caregiver_app.ui.today.tab import TodayTab

    patients = PatientRepository(db)
    session = Session(patients)
    session.set_on_duty(1)
    book = MedicationBook(MedicationRepository(db), clock=_Clock(),
                          on_duty=lambda: session.on_duty_id, zone=lambda: ZONE)
    tab = TodayTab(book, session, patients, UiSettings.at(folder / "ui.ini"))
    tab.resize(1200, 800)
    tab.show()
    tab.refresh()
    return book, tab


def _redraw(tab) -> float:
    began = timer.perf_counter()
    tab.refresh()
    tab.grab()
    return timer.perf_counter() - began


def run() -> None:
    from caregiver_app.domain.doses import DoseState
    from caregiver_app.storage.db import open_database

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = timer.perf_counter()
        db, made = _fill(folder / "full.sqlite3")
        filled = timer.perf_counter() - began
        book, tab = _tab(db, folder)
        rows = db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]
        pending = [d for d in book.day().doses if d.state is DoseState.DUE]
        times, records = [], []
        for status in pending[:RUNS]:
            began = timer.perf_counter()
            book.record_given(status.medicine.id, status.occurrence.key)
            recorded = timer.perf_counter()
            tab.refresh()
            tab.grab()
            done = timer.perf_counter()
            records.append(recorded - began)
            times.append(done - began)
        full_redraw = statistics.median(_redraw(tab) for _ in range(RUNS))

        empty_db = open_database(folder / "empty.sqlite3")
        empty_db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                             "active": 1})
        _, empty_tab = _tab(empty_db, folder)
        empty = statistics.median(_redraw(empty_tab) for _ in range(RUNS))
        tab.close()
        empty_tab.close()
        app.processEvents()
        db.close()
        empty_db.close()
    print(f"Today tab with 5 years of history: {rows} dose records ({made} written in "
          f"{filled:.1f} s), 30 medicines, {len(pending)} doses still due today, "
          f"median of {len(times)}")
    report("mark a dose given + redraw Today (5 years)", statistics.median(times),
           "redraw an empty Today (no medicines)", empty)
    print(f"{'  of which saving the record':<48} {statistics.median(records) * 1000:10.1f} ms")
    print(f"{'  redraw alone, 5 years of history':<48} {full_redraw * 1000:10.1f} ms")


if __name__ == "__main__":
    run()
