"""The Medications tab on a long, busy household (30 medicines, 5 years of history).

(a) Building every row of the medicine list (``MedicationsTab.reload``: status, schedule
    in words, stock on hand and a run-out forecast per medicine), next to loading the 30
    medicines alone (``MedicationBook.medicines``).
(b) One medicine's history as the History window opens it (its model filled with the
    newest page, ``MedicationBook.history_pages``) for the medicine with the most records,
    in a household sharing with the family's phones (20,000 records made from a phone's
    tick and 20,000 phones' notes beside records, "also ticked" and "un-ticked", spread
    over the years: the page looks each of its records up), next to the same medicine
    in a household with no records; and, for scale, the whole history read at once
    (``MedicationBook.history``) and a plain SELECT of its records.
(c) The medicine dialog's preview (the next 14 doses of an edaravone cycle with 15
    delays), next to the due doses of one day of the same medicine.
"""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bench.common import clock, report
from bench.schedule import RUNS, TODAY, ZONE, open_household
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.schedule import occurrences

#: Records made from a phone's tick, and phones' notes beside records, seeded for (b).
PHONE_SOURCES = 20_000
PHONE_NOTES = 20_000


def _seed_phones(db) -> tuple[int, int]:
    """Mark given records, spread evenly over the years from the newest, as
    made from a phone's tick (``PHONE_SOURCES``) or with a phone's note beside them
    (``PHONE_NOTES``; one in four an un-tick), as a household sharing for years has."""
    from caregiver_app.domain.sharing import Action, Incoming
    from caregiver_app.domain.tick_sources import DoseSource, TimeFrom
    from caregiver_app.storage.sharing_repo import SharingRepository
    from caregiver_app.storage.timestamps import text_to_moment

    rows = db.execute("SELECT id, medicine_id, occurrence_key, given_at FROM dose_entries "
                      "WHERE kind = 'given' ORDER BY id DESC").fetchall()
    wanted = min(len(rows), PHONE_SOURCES + PHONE_NOTES)
    picked = [rows[n * len(rows) // wanted] for n in range(wanted)]  # evenly spread
    repo = SharingRepository(db)
    synced = datetime(2026, 1, 1, tzinfo=UTC)
    notes = []
    with repo.atomic():
        for n, (entry_id, medicine_id, key, given_at) in enumerate(picked):
            if n % 2 == 0:
                repo.add_source(DoseSource(entry_id, "Ana's iPhone", "ana", "iPhone or iPad",
                                           text_to_moment(given_at), TimeFrom.PHONE,
                                           synced))
            elif n % 8 == 1:
                notes.append(Incoming(Action.UNTICKED, uid=f"task-{entry_id}",
                                      medicine_id=medicine_id, occurrence_key=key or "",
                                      message="Un-ticked on Ben's Android: the app's record "
                                              "still says given. Check it, and correct the "
                                              "record if the dose was not given.",
                                      entry_id=entry_id))
            else:
                notes.append(Incoming(Action.ALSO_TICKED, uid=f"task-{entry_id}",
                                      medicine_id=medicine_id, occurrence_key=key or "",
                                      message="Also ticked on Ben's Android at 08:12.",
                                      entry_id=entry_id))
        repo.add_notes(notes, synced)
    return len(picked) - len(notes), len(notes)


def run() -> None:
    from PySide6.QtWidgets import QApplication

    from caregiver_app.app import build_medications_tab
    from caregiver_app.domain.regimens import CycleRegimen
    from caregiver_app.ui.medications.history_dialog import HistoryModel

    app = QApplication.instance() or QApplication([])

    with tempfile.TemporaryDirectory() as tmp:
        core, made = open_household(Path(tmp) / "data")
        db = core.db
        book = core.medications
        counted = datetime.combine(TODAY - timedelta(days=4 * 365), time(12), tzinfo=UTC)
        for medicine in book.medicines():  # stock counted in tablets, through the book
            assert medicine.id is not None
            book.update_supply_settings(medicine.id, replace(medicine.supply, unit="tablet",
                                                             reorder_days=7))
            book.count_stock(medicine.id, 20000, at=counted)
        tab = build_medications_tab(core)  # as the window builds it
        tab.reload()
        app.processEvents()
        reload_t = statistics.median(clock(tab.reload) for _ in range(RUNS))
        meds_t = statistics.median(clock(book.medicines) for _ in range(RUNS))

        busiest, records = db.execute(
            "SELECT medicine_id, count(*) FROM dose_entries GROUP BY medicine_id "
            "ORDER BY 2 DESC LIMIT 1").fetchone()
        sources, notes = _seed_phones(db)
        given = db.execute("SELECT count(*) FROM dose_entries WHERE kind = 'given'"
                           ).fetchone()[0]
        model = HistoryModel(ZONE, {1: "Tom", 2: "Ana"})
        first_page = book.history_page(busiest).items
        from_phones = sum(1 for item in first_page if item.source or item.also_ticked)
        if not from_phones:  # the figure would not measure the phones' lookups
            raise SystemExit("bench medications: the newest page of the history says "
                             "nothing from the phones: the seeding missed it")

        def history() -> None:
            model.set_items(book.history_pages(busiest))

        history_t = statistics.median(clock(history) for _ in range(RUNS))
        fresh, _ = open_household(Path(tmp) / "fresh", records=False)
        fresh_model = HistoryModel(ZONE, {1: "Tom", 2: "Ana"})

        def fresh_history() -> None:
            fresh_model.set_items(fresh.medications.history_pages(busiest))

        fresh_t = statistics.median(clock(fresh_history) for _ in range(RUNS))
        fresh.close()
        whole_t = statistics.median(clock(lambda: book.history(busiest)) for _ in range(3))
        select_t = statistics.median(clock(lambda: db.execute(
            "SELECT * FROM dose_entries WHERE medicine_id = ?", [busiest]).fetchall())
            for _ in range(RUNS))

        cycle = next(m for m in book.medicines()
                     if isinstance(m.versions[-1].regimen, CycleRegimen))
        preview_t = statistics.median(clock(lambda: book.upcoming(cycle)) for _ in range(RUNS))
        start, end = day_bounds(TODAY, ZONE)
        day_t = statistics.median(clock(lambda: occurrences(cycle, start, end, ZONE))
                                  for _ in range(RUNS))
        tab.deleteLater()
        core.close()

    print(f"30 medicines, {made} dose records over 5 years, stock counted 4 years ago, "
          f"median of {RUNS}")
    report("(a) medicine list: every row with run-out", reload_t,
           "    loading the 30 medicines alone", meds_t)
    report(f"(b) history window of one medicine ({records} records)", history_t,
           "    the same medicine with no records", fresh_t)
    print(f"    (with {sources:,} of its household's {given:,} given records made from "
          f"phones' ticks and {notes:,} with phones' notes; {from_phones} of the newest "
          f"page's {len(first_page)} lines say one)")
    print(f"{'    whole history read at once':<48} {whole_t * 1000:10.1f} ms")
    print(f"{'    plain SELECT of its dose records':<48} {select_t * 1000:10.1f} ms")
    report("(c) dialog preview: next 14 cycle doses", preview_t,
           "    one day of that medicine's doses", day_t)
