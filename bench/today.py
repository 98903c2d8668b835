"""The Today tab at the size of a long, busy household.

Marking a dose given and redrawing the Today tab, on a file database holding 5 years of
history for 30 medicines (about 70,000 dose records, the schedule benchmark's data), next
to two baselines in the same run: the **same 30 medicines with no history** (so the ratio
is the cost of 5 years of records, the figure that matters), and an empty Today tab (no
medicines at all: the cost of the tab itself). "Redraw" is what a caregiver waits for:
the day read again, the model rebuilt, the header and card filled, and the tab painted
(``QWidget.grab``).
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


def _mark_and_redraw(book, tab) -> tuple[list[float], list[float], int]:
    """Mark up to ``RUNS`` due doses given, redrawing after each: (total, saving, due)."""
    from caregiver_app.domain.doses import DoseState

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
    return times, records, len(pending)


def _redraw(tab) -> float:
    began = timer.perf_counter()
    tab.refresh()
    tab.grab()
    return timer.perf_counter() - began


def run() -> None:
    from caregiver_app.storage.db import open_database

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = timer.perf_counter()
        db, made = _fill(folder / "full.sqlite3")
        filled = timer.perf_counter() - began
        book, tab = _tab(db, folder)
        rows = db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]
        times, records, pending = _mark_and_redraw(book, tab)
        full_redraw = statistics.median(_redraw(tab) for _ in range(RUNS))

        fresh_db, _ = _fill(folder / "fresh.sqlite3", records=False)
        fresh_book, fresh_tab = _tab(fresh_db, folder)
        fresh_times, _, _ = _mark_and_redraw(fresh_book, fresh_tab)
        fresh_redraw = statistics.median(_redraw(fresh_tab) for _ in range(RUNS))

        empty_db = open_database(folder / "empty.sqlite3")
        empty_db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                             "active": 1})
        _, empty_tab = _tab(empty_db, folder)
        empty = statistics.median(_redraw(empty_tab) for _ in range(RUNS))
        for each in (tab, fresh_tab, empty_tab):
            each.close()
        app.processEvents()
        for each in (db, fresh_db, empty_db):
            each.close()
    print(f"Today tab with 5 years of history: {rows} dose records ({made} written in "
          f"{filled:.1f} s), 30 medicines, {pending} doses still due today, "
          f"median of {len(times)}")
    print("(a) the cost of 5 years of history: the same 30 medicines, no records")
    report("mark a dose given + redraw Today (5 years)", statistics.median(times),
           "mark a dose given + redraw (30 medicines, new)", statistics.median(fresh_times))
    report("redraw alone, 5 years of history", full_redraw,
           "redraw alone, 30 medicines, no history", fresh_redraw)
    print("(b) next to an empty Today tab (no medicines: the tab itself)")
    report("mark a dose given + redraw Today (5 years)", statistics.median(times),
           "redraw an empty Today (no medicines)", empty)
    print(f"{'  of which saving the record':<48} {statistics.median(records) * 1000:10.1f} ms")


if __name__ == "__main__":
    run()
