"""How things are going: the tab opening and drawing with 5 years of daily entries next to
the same tab with none, and the clinic-visit summary of a year next to one day's
checklist, in the same run.

The household with 5 years of entries (a daily symptom check, a weekly weight, a monthly
everyday-function entry, a clinic visit every 3 months) is built once; each measured run
builds a new tab over the records, shows it on the symptom line with the most points and
paints it (``QWidget.grab``), or writes the PDF.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import best_of, clock, report

if TYPE_CHECKING:
    from caregiver_app.core import Core

REPEAT = 3
YEARS = 5
NOW = datetime(2026, 11, 25, 18, tzinfo=UTC)


class _Clock:
    def now(self) -> datetime:
        return NOW


def _household(folder: Path, *, years: int) -> Core:
    """The example household plus ``years`` years of entries (none when 0)."""
    import random

    from caregiver_app.core import open_core
    from caregiver_app.domain import function_scale
    from caregiver_app.domain.going import SYMPTOMS, AnsweredBy, Entry, Measure
    from caregiver_app.services.demo import populate_example
    from caregiver_app.storage.going_repo import GoingRepository

    core = open_core(folder, _Clock())
    today = core.local_today()
    populate_example(core.db, today=today, time_zone="America/Chicago")
    if not years:
        # the example's own entries out: an empty tab is the baseline
        return core
    repo = GoingRepository(core.db)
    rng = random.Random(5)
    start = today - timedelta(days=365 * years)
    with core.db.atomic():
        for offset in range((today - start).days + 1):
            day = start + timedelta(days=offset)
            at = datetime.combine(day, time(20), tzinfo=UTC)
            repo.add(Entry(Measure.SYMPTOMS, day, {
                s.key: rng.randint(0, min(s.high, 3)) for s in SYMPTOMS}), at=at, by=1)
            if offset % 7 == 0:
                repo.add(Entry(Measure.WEIGHT, day, {"weight": 70 - offset / 200,
                                                     "unit": "kg"}), at=at, by=1)
            if offset % 30 == 0:
                repo.add(Entry(Measure.FUNCTION, day, {
                    **{k: max(0, 4 - offset // 400) for k in function_scale.AREA_KEYS},
                    "answered_by": AnsweredBy.CAREGIVER.value}), at=at, by=1)
            if offset % 91 == 0:
                repo.add(Entry(Measure.CLINIC, day, {"fvc_percent": 90 - offset / 30}),
                         at=at, by=1)
    return core


def _empty(folder: Path) -> Core:
    from caregiver_app.core import open_core

    return open_core(folder, _Clock())


def _open_and_draw(core: Core) -> int:
    """A new tab over ``core``'s records, shown on its fullest line and painted; returns
    how many points it drew."""
    from PySide6.QtWidgets import QApplication

    from caregiver_app.ui.going import GoingTab

    tab = GoingTab(core.going)
    tab.resize(1280, 700)
    tab.show_series("cramps")  # (chosen before it shows: drawn once, when shown)
    tab.show()
    QApplication.processEvents()
    tab.grab()
    points = tab.table.rowCount()
    tab.close()
    tab.deleteLater()
    QApplication.processEvents()
    return points


def run() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="bench-going-") as tmp:
        folder = Path(tmp)
        full, empty = _household(folder / "full", years=YEARS), _empty(folder / "empty")
        entries = sum(full.db.table(t).count for t in
                      ("symptom_checks", "weight_entries", "function_scores",
                       "clinic_numbers"))
        drawn: dict[str, int] = {}

        def full_tab() -> None:
            drawn["full"] = _open_and_draw(full)

        def empty_tab() -> None:
            drawn["empty"] = _open_and_draw(empty)

        today = full.local_today()
        pages: dict[str, int] = {}

        def year_summary() -> None:
            pages["visit"] = full.printing.save_pdf(
                "visit", today - timedelta(days=365), folder / "visit.pdf")

        def checklist() -> None:
            pages["checklist"] = full.printing.save_pdf("checklist", today,
                                                        folder / "day.pdf")

        empty_s = best_of(lambda: clock(empty_tab), REPEAT)
        full_s = best_of(lambda: clock(full_tab), REPEAT)
        day_s = best_of(lambda: clock(checklist), REPEAT)
        visit_s = best_of(lambda: clock(year_summary), REPEAT)
        full.close()
        empty.close()
    print(f"best of {REPEAT}; {entries} entries over {YEARS} years "
          f"({drawn['full']} points on the line drawn)")
    report("tab opens and draws, 5 years of entries", full_s,
           "tab opens and draws, no entries", empty_s)
    report(f"visit summary PDF, a year ({pages['visit']} pages)", visit_s,
           f"daily checklist PDF ({pages['checklist']} page)", day_s)


if __name__ == "__main__":
    run()

