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
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.common import report
from bench.schedule import open_household

RUNS = 7


def _tab(core, folder: Path):
    """The Today tab over ``core``, subscribed to its changes as the window's is."""
    from caregiver_app.app import subscribe
    from caregiver_app.ui.settings import UiSettings
    from caregiver_app.ui.today.tab import TodayTab

    tab = TodayTab(core.medications, core.session, core.patients,
                   UiSettings.at(folder / "ui.ini"))
    subscribe(core, tab)
    tab.resize(1200, 800)
    tab.show()
    tab.refresh()
    return core.medications, tab


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
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = timer.perf_counter()
        core, made = open_household(folder / "full")
        filled = timer.perf_counter() - began
        book, tab = _tab(core, folder)
        rows = core.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]
        times, records, pending = _mark_and_redraw(book, tab)
        full_redraw = statistics.median(_redraw(tab) for _ in range(RUNS))

        fresh, _ = open_household(folder / "fresh", records=False)
        fresh_book, fresh_tab = _tab(fresh, folder)
        fresh_times, _, _ = _mark_and_redraw(fresh_book, fresh_tab)
        fresh_redraw = statistics.median(_redraw(fresh_tab) for _ in range(RUNS))

        empty, _ = open_household(folder / "empty", medicines_too=False)
        _, empty_tab = _tab(empty, folder)
        empty_t = statistics.median(_redraw(empty_tab) for _ in range(RUNS))
        for each in (tab, fresh_tab, empty_tab):
            each.close()
        app.processEvents()
        for household in (core, fresh, empty):
            household.close()
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
           "redraw an empty Today (no medicines)", empty_t)
    print(f"{'  of which saving the record':<48} {statistics.median(records) * 1000:10.1f} ms")


if __name__ == "__main__":
    run()
