"""The GUI thread's longest stall while the window exports, backs up and imports.

Each task runs twice on the example household: called straight on the GUI thread, as
the window ran it before (the in-run baseline), then through the window's own path,
which does the work on a worker thread (``ui.background.run_in_background``). A 1 ms
timer on the GUI thread ticks throughout; the longest gap between two ticks is the
longest the window could not repaint or answer a key. Tasks: the calendar export of a
year, the JSON export of every record, Back up now, reading and checking a JSON file
to import (the question that follows is answered No), reading a 5,000-card vCard
file (the preview that follows is closed) and restore's check and copy of the chosen
backup (the copy is then thrown away: the swap that follows is the same quick step
either way, and would close the records), Save as PDF of 31 days of checklists (the
print preview's Save as PDF…, ``PrintController.save_pdf``) and of the longest Learn
article (``ArticleOutput.save_pdf``), and printing both (the print preview's Print and
the Learn tab's Print…, the print dialog answered with a printer that writes a file: the
PDF engine a CUPS printer is fed through); then the calendar export again, since the first also paid
for the session's first progress dialog.
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

#: Cards in the vCard file read.
CARDS = 5000
#: Days of checklists saved as a PDF.
PDF_DAYS = 31
#: The Learn article saved as a PDF (one of the longest).
ARTICLE = "cramps-and-stiffness"


def longest_stall(start: Callable[[], object], done: Callable[[], bool]) -> tuple[float, float]:
    """(longest gap between ticks of a 1 ms timer on the GUI thread, wall time) from
    ``start()`` (called from the event loop) until ``done()``."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    ticks: list[float] = []
    loop = QEventLoop()
    began: list[float] = []

    def tick() -> None:
        ticks.append(time.perf_counter())
        if began and done():
            loop.quit()

    def begin() -> None:
        began.append(time.perf_counter())
        start()

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(20, begin)  # a few ticks first, so the first gap is measured too
    loop.exec()
    timer.stop()
    ticks = [t for t in ticks if t >= began[0] - 0.005]
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    return max(gaps, default=0.0), ticks[-1] - began[0]


def run() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QApplication, QToolBar

    from bench.careteam import phone_export
    from caregiver_app import APP_NAME, ORG_NAME, app
    from caregiver_app.services import vcard
    from caregiver_app.services.demo import populate_example
    from caregiver_app.services.printing.renderer import page_layout
    from caregiver_app.ui import background, messages
    from caregiver_app.ui.backups.restore_flow import check_and_restore
    from caregiver_app.ui.careteam.import_dialog import VCardImportDialog
    from caregiver_app.ui.learn.output import page_layout as article_page_layout
    from caregiver_app.ui.learn.output import write_article_pdf
    from caregiver_app.ui.learn.reader import keep_headings_with_next

    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    qapp.setApplicationName(f"{APP_NAME} bench")
    qapp.setOrganizationName(ORG_NAME)
    with tempfile.TemporaryDirectory(prefix="bench-stall-") as tmp:
        folder = Path(tmp)
        ctx = app.build_context(folder / "data", is_example=True)
        populate_example(ctx.db, today=ctx.local_today(), time_zone=app.system_time_zone(),
                         now=ctx.clock.now())
        window = ctx.window
        window.resize(1280, 860)
        window.show()
        qapp.processEvents()
        first = ctx.medications.today()
        last = first + timedelta(days=365)
        cards = folder / "phone.vcf"
        cards.write_text(phone_export(CARDS), encoding="utf-8")
        exported = folder / "records.json"
        ctx.transfer.export_to(exported)
        usb = folder / "usb"
        usb.mkdir()
        chosen = ctx.backups.back_up_to_folder(usb)  # the backup a restore checks
        backups = ctx.backups
        backups.put_in_place = lambda staged, **_k: backups.discard(staged)  # type: ignore
        messages.confirm = lambda *a, **k: False  # (the import's question: No)
        VCardImportDialog.ask = classmethod(lambda cls, *a, **k: None)  # (the preview: closed)
        team = window.show_tab("care_team")
        team.ensure_loaded()
        learn = window.show_tab("learn")
        learn.ensure_loaded()
        learn.open_article(ARTICLE)
        article = learn.current_article()
        assert article is not None
        window.show_tab("today")
        service = ctx.printing.service
        existing = ctx.careteam.contacts()
        region = ctx.careteam.region

        def printer_to(path: Path) -> QPrinter:  # a printer that writes a file
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageLayout(page_layout(ctx.printing.paper(), False))
            printer.setOutputFileName(str(path))
            return printer

        printed: list[Path] = []

        def printer_chosen(dialog: QPrintDialog, *_a: object) -> int:  # (its answer)
            printed.append(folder / f"bg-printer-{len(printed)}.pdf")
            dialog.printer().setOutputFileName(str(printed[-1]))
            return QPrintDialog.DialogCode.Accepted

        def print_article_on_gui() -> None:  # (as ArticleOutput.print_article did)
            printer = printer_to(folder / "gui-article-printer.pdf")
            printer.setPageLayout(article_page_layout())
            document = learn.output.print_document()
            keep_headings_with_next(document, printer)
            document.print_(printer)

        QPrintDialog.exec = printer_chosen  # type: ignore[method-assign,assignment]
        ctx.printing.preview("checklist", first, days=PDF_DAYS)  # (opened beforehand)
        preview = ctx.printing.last_preview
        assert preview is not None
        qapp.processEvents()
        toolbar = preview.findChild(QToolBar)
        print_action = next(a for a in toolbar.actions() if a.text() == "Print")

        def idle() -> bool:
            return not background.running()

        tasks: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
            ("calendar export, a year",
             lambda: service.export_calendar(folder / "gui.ics", first, last),
             lambda: ctx.printing.start_calendar_export(folder / "bg.ics", "", first, last, 0)),
            ("export every record (JSON)",
             lambda: ctx.transfer.export_to(folder / "gui.json"),
             lambda: window.export_records(folder / "bg.json")),
            ("back up now",
             lambda: ctx.backups.back_up_to_folder(usb),
             lambda: window.back_up_now(usb)),
            ("import records: read and check the file",
             lambda: ctx.transfer.prepare(exported).close(),
             lambda: window.import_records(exported)),
            (f"vCard import: read {CARDS:,} cards",
             lambda: vcard.plan_import(vcard.read_vcard_file(cards, region=region), existing),
             lambda: team.import_vcard(cards)),
            ("restore: check and copy the chosen backup",
             lambda: backups.discard(backups.stage(chosen)),
             lambda: check_and_restore(window, backups, chosen,
                                       show_message=window.show_message)),
            (f"Save as PDF: checklists for {PDF_DAYS} days",
             lambda: service.save_pdf("checklist", first, folder / "gui.pdf", days=PDF_DAYS,
                                      paper=ctx.printing.paper()),
             lambda: ctx.printing.save_pdf("checklist", first, folder / "bg.pdf",
                                           days=PDF_DAYS)),
            (f"Print: checklists for {PDF_DAYS} days (the preview's Print)",
             lambda: service.render("checklist", first, printer_to(folder / "gui-printer.pdf"),
                                    days=PDF_DAYS),
             print_action.trigger),
            (f"Save as PDF: the article {ARTICLE!r}",
             lambda: write_article_pdf(learn.output.print_document, article.title,
                                       folder / "gui-article.pdf"),
             lambda: learn.save_pdf(folder / "bg-article.pdf")),
            (f"Print: the article {ARTICLE!r}", print_article_on_gui, learn.print_article),
        ]
        print("example household; longest gap between ticks of a 1 ms timer on the GUI "
              "thread (wall time in brackets)")
        again = [(f"{tasks[0][0]}, again (the first showed the session's first dialog)",
                  *tasks[0][1:])]
        for label, on_gui, in_background in tasks + again:
            before, before_wall = longest_stall(on_gui, lambda: True)
            after, after_wall = longest_stall(in_background, idle)
            print(f"{label}")
            print(f"  {'on the GUI thread (before)':<44} {before * 1000:9.1f} ms"
                  f"  ({before_wall * 1000:.0f} ms)")
            print(f"  {'on a worker thread (now)':<44} {after * 1000:9.1f} ms"
                  f"  ({after_wall * 1000:.0f} ms)")
            print(f"  {'ratio':<44} {after / before if before else 0:9.3f} x")
        if len(printed) != 2 or not all(path.is_file() for path in printed):
            raise SystemExit(f"a Print sent nothing ({printed}): its row measured nothing")
        window.hide()
        ctx.close()
