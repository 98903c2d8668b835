"""Printing: a 31-day checklist PDF and a weekly record of the example household, and one
day's checklist of a household with 25 medicines, each next to rendering a one-line
``QTextDocument`` to PDF in the same run (the cost of Qt's PDF engine itself: opening the
file, embedding a font, one page).

The households are built in memory once; each measured run builds the documents from the
records (the dose record, the day views, the regimen version), lays them out and writes
the PDF file.

Then the same prints with a long history (issue #19): last week's weekly record, one
day's checklist, 31 days of checklists and the clinic visit summary (its 90 days) of the
30-medicine household of ``bench.schedule`` set up 5 years ago with every dose recorded
(edaravone cycles with 15 delays among them), each next to the same print of the same
household set up only as long ago as the print covers (one week; 91 days for the month
and the visit summary), so with the same records in the printed days and none before;
the medicine list and the emergency sheet (documents, no PDF: they show no past day)
beside the same 30 medicines with no records; and a year's dose history as CSV
(``export_history``, run off the window's thread) beside the same medicines set up a
year ago (the same medicines, as many rows give or take the pattern of records), and
beside the same file made the way it was before (a day view per day; checked byte for
byte). CPU time (user + sys of the process), best of 3 (of 15 for the two documents).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import best_of, clock, report

if TYPE_CHECKING:
    from caregiver_app.core import Core

REPEAT = 3
#: The medicine list and emergency sheet take ~10 ms: best of more runs.
DOCUMENT_REPEAT = 15


class _Clock:
    def __init__(self, now: datetime):
        self._now = now

    def now(self) -> datetime:
        return self._now


def _example(folder: Path) -> Core:
    """The example household in its own data folder, opened as the app opens it."""
    from caregiver_app.core import open_core
    from caregiver_app.domain.localtime import zone_named
    from caregiver_app.services.demo import populate_example

    core = open_core(folder, _Clock(datetime(2026, 11, 25, 18, tzinfo=UTC)))
    today = core.clock.now().astimezone(zone_named("America/Chicago")).date()
    populate_example(core.db, today=today, time_zone="America/Chicago")
    return core


def _many_medicines(folder: Path, count: int = 25) -> Core:
    """A household of ``count`` medicines taken one to four times a day (some through the
    tube, some with a food rule), with the example's patient and caregivers."""
    from datetime import time

    from caregiver_app.domain.amount import Dose
    from caregiver_app.domain.medicines import Medicine, MedicineVersion, validate_medicine
    from caregiver_app.domain.regimens import DailyRegimen
    from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, Route
    from caregiver_app.storage.medications_repo import MedicationRepository

    core = _example(folder)
    today = core.medications.today()
    repo = MedicationRepository(core.db)
    times = ((time(8),), (time(8), time(20)), (time(8), time(14), time(20)),
             (time(7), time(12), time(17), time(22)))
    for i in range(count - len(repo.medicines())):
        tube = i % 3 == 0
        medicine = Medicine(
            generic_name=f"medicine {i:02d}", start_date=today, purpose="bench",
            food_rule=FoodRule(FoodRuleKind.EMPTY_STOMACH, 60, 120) if i % 4 == 1
            else FoodRule(),
            versions=(MedicineVersion(
                today, "10 mg/5 mL" if tube else "10 mg",
                Form.LIQUID if tube else Form.TABLET,
                Route.FEEDING_TUBE if tube else Route.ORAL,
                Dose(5, "mL") if tube else Dose(1, "tablet"),
                DailyRegimen(today, times[i % 4]), flush_ml=30 if tube else 0),))
        repo.add_medicine(validate_medicine(medicine), by=1, at=core.clock.now())
    return core


def _one_line_pdf(path: Path) -> None:
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    document = QTextDocument()
    document.setPlainText("Daily medication checklist")
    document.print_(writer)
    del writer


def _cpu(fn) -> float:
    """CPU seconds (user + sys of the whole process, Qt's threads too) of one call."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def bench_history(folder: Path) -> None:
    """The prints of a household with 5 years of history, each beside the same print
    of the same household set up only as long ago as the print covers."""
    from bench.schedule import TODAY, open_household

    long, made = open_household(folder / "five-years")
    week, _ = open_household(folder / "one-week", days=7)
    season, _ = open_household(folder / "91-days", days=91)
    last_week = TODAY - timedelta(days=7)
    yesterday = TODAY - timedelta(days=1)
    month = TODAY - timedelta(days=31)
    prints = [
        ("weekly record, last week", "week", last_week, 1, week, "one week"),
        ("checklist, yesterday", "checklist", yesterday, 1, week, "one week"),
        ("checklist, 31 days", "checklist", month, 31, season, "91 days"),
        ("visit summary, 90 days", "visit", None, 1, season, "91 days"),
    ]
    print(f"5 years of history: {made} dose records, 30 medicines; CPU time, "
          f"best of {REPEAT}")
    for label, kind, day, days, short, short_label in prints:
        pdf = folder / f"{kind}.pdf"

        def once(core: Core, kind=kind, day=day, days=days, pdf=pdf) -> int:
            return core.printing.save_pdf(kind, day, pdf, days=days)

        pages = once(long)  # the first of each warms fonts and imports
        once(short)
        with_history = best_of(lambda: _cpu(lambda: once(long)), REPEAT)
        baseline = best_of(lambda s=short: _cpu(lambda: once(s)), REPEAT)
        report(f"{label} ({pages} p), 5 years", with_history,
               f"  the same, household set up {short_label} ago", baseline)
    # the sheets that show no past days: the same 30 medicines with no records at all
    fresh, _ = open_household(folder / "no-history", records=False)
    for label, kind in (("medicine list", "medlist"), ("emergency sheet", "emergency")):
        long.printing.document(kind)  # warm
        fresh.printing.document(kind)
        with_history = best_of(lambda k=kind: _cpu(lambda: long.printing.document(k)),
                               DOCUMENT_REPEAT)
        baseline = best_of(lambda k=kind: _cpu(lambda: fresh.printing.document(k)),
                           DOCUMENT_REPEAT)
        report(f"{label} (document), 5 years", with_history,
               "  the same, 30 medicines with no records", baseline)
    # a year's dose history as CSV (runs off the window's thread): 5 years of records
    # beside the same medicines set up only a year ago (the same rows in the year)
    year, _ = open_household(folder / "one-year", days=366)
    first, last = TODAY - timedelta(days=365), TODAY - timedelta(days=1)
    rows: dict[str, int] = {}

    def export(core: Core, name: str) -> None:
        rows[name] = core.printing.export_history(folder / f"{name}.csv", first, last)

    def day_by_day(core: Core) -> bytes:
        """The export as it was before one read of the period: a day view per day."""
        from caregiver_app.domain.exports import dose_history_rows, history_csv

        book = core.medications
        with book.reading():
            medicines = book.medicines()
            views = [book.day(first + timedelta(days=n), medicines=medicines)
                     for n in range((last - first).days + 1)]
            zone = book.zone()
        caregivers = {c.id: c for c in core.patients.caregivers(include_inactive=True)}
        return history_csv(dose_history_rows(views, caregivers, zone),
                           zone=zone).encode("utf-8-sig")

    export(long, "long")
    export(year, "year")
    if (folder / "long.csv").read_bytes() != day_by_day(long):
        raise SystemExit("bench printing: the CSV export is not what a day view per day "
                         "gives")
    with_history = best_of(lambda: _cpu(lambda: export(long, "long")), REPEAT)
    baseline = best_of(lambda: _cpu(lambda: export(year, "year")), REPEAT)
    before = best_of(lambda: _cpu(lambda: day_by_day(long)), REPEAT)
    report(f"CSV dose history, 365 days ({rows['long']} rows), 5 years", with_history,
           f"  the same, household set up a year ago ({rows['year']} rows)", baseline)
    report("CSV dose history, 365 days, 5 years (one read)", with_history,
           "  the same file from a day view per day (before)", before)
    for core in (long, week, season, fresh, year):
        core.close()


def run() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="bench-printing-") as tmp:
        folder = Path(tmp)
        example, many = _example(folder / "example"), _many_medicines(folder / "busy")
        service, busy = example.printing, many.printing
        today = example.medications.today()
        pages: dict[str, int] = {}

        def month() -> None:
            pages["month"] = service.save_pdf("checklist", today, folder / "month.pdf",
                                              days=31)

        def week() -> None:
            pages["week"] = service.save_pdf("week", today, folder / "week.pdf")

        def busy_day() -> None:
            pages["busy"] = busy.save_pdf("checklist", today, folder / "busy.pdf")

        baseline = best_of(lambda: clock(lambda: _one_line_pdf(folder / "line.pdf")), REPEAT)
        month_s = best_of(lambda: clock(month), REPEAT)
        week_s = best_of(lambda: clock(week), REPEAT)
        busy_s = best_of(lambda: clock(busy_day), REPEAT)
        example.close()
        many.close()
    print(f"best of {REPEAT}; example household (5 medicines, 1 as needed)")
    report(f"31-day checklist PDF ({pages['month']} pages)", month_s,
           "one-line QTextDocument to PDF", baseline)
    print(f"{'per page':<48} {month_s / pages['month'] * 1000:10.1f} ms")
    report(f"weekly record PDF ({pages['week']} pages)", week_s,
           "one-line QTextDocument to PDF", baseline)
    report(f"one day, 25 medicines, checklist PDF ({pages['busy']} pages)", busy_s,
           "one-line QTextDocument to PDF", baseline)
    print()
    with tempfile.TemporaryDirectory(prefix="bench-printing-history-") as tmp:
        bench_history(Path(tmp))
