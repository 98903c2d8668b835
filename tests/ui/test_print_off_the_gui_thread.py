"""Print from a print preview: the print dialog is answered on the GUI thread, then the
pages are read, laid out and painted on the chosen printer on a worker thread. The
preview waits behind a busy bar: Cancel stops it until the pages start going to the
printer, then the bar says they are being sent and offers no Cancel. The status bar says
what was sent and the preview closes; a printer that cannot take the pages is said over
the preview, which stays open to try again, and nothing says "Sent".

The printer is a PDF-backed one (its output file named in the print dialog, as a person
picks "Print to File"): no real printer in a test."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from gui_paths import OFFSCREEN_LIMITS, activate, menu_action, wait_for
from medicine_builders import medicine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton
from shiboken6 import isValid

from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.services.printing import renderer
from caregiver_app.services.printing.service import PrintService
from caregiver_app.ui import background

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS, "does not support grabbing")


@pytest.fixture
def riluzole(ctx):
    today = ctx.medications.today()
    return ctx.medications.add_medicine(medicine(DailyRegimen(today, (time(8), time(20))),
                                                 id=None, start=today))


class Held(threading.Event):
    """A step of the work, held on a worker thread until the test lets it go on (the
    preview's own pages, painted on the GUI thread, go on at once); ``threads``: the
    threads that came to it."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []

    def hold(self) -> None:
        self.threads.append(threading.get_ident())
        if threading.current_thread() is not threading.main_thread():
            self.wait(10)

    def on_a_worker(self) -> bool:
        """A worker thread came to the step (and is held there)."""
        return any(t != threading.main_thread().ident for t in self.threads)


def _holding(monkeypatch, owner, name: str):
    """``owner.name`` (a function, or a method of a class), held on a worker thread
    until the test lets it go on; the busy bar shows at once. Yields the ``Held`` step,
    let go after the test."""
    held, real = Held(), getattr(owner, name)

    def step(*args, **kwargs):
        held.hold()
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, step)
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    yield held
    held.set()


@pytest.fixture
def painting(monkeypatch):
    """The painting of the pages on the printer, held."""
    yield from _holding(monkeypatch, renderer, "paint_pages")


@pytest.fixture
def reading(monkeypatch):
    """The reading of the records into the pages (before anything goes to the printer),
    held."""
    yield from _holding(monkeypatch, PrintService, "document")


def _print_dialogs(preview) -> list:
    from PySide6.QtPrintSupport import QPrintDialog

    return preview.findChildren(QPrintDialog)


def _print_button(preview) -> QToolButton:
    toolbar = preview.findChild(QToolBar)
    (action,) = [a for a in toolbar.actions() if a.text() == "Print"]
    return toolbar.widgetForAction(action)


def _preview_and_print(ctx, main_window, qtbot, monkeypatch, output, *,
                       item="Today's checklist…", pages=None):
    """File ▸ Print ▸ ``item``, then a click on the preview's Print, with a printer that
    writes ``output`` chosen in the print dialog (and "Pages from … to …" when
    ``pages``); the preview and the operation started."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    asked: list[QPrintDialog] = []

    def printer_chosen(print_dialog, *_):  # the person picks a printer (here: a file)
        asked.append(print_dialog)
        print_dialog.printer().setOutputFileName(str(output))
        if pages is not None:
            print_dialog.printer().setPrintRange(QPrinter.PrintRange.PageRange)
            print_dialog.printer().setFromTo(*pages)
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", printer_chosen)
    menu_action(main_window, "File", "Print", item).trigger()
    preview = ctx.printing.last_preview
    activate(qtbot, preview)
    assert background.running() == []
    qtbot.mouseClick(_print_button(preview), Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and asked[0].windowTitle() == "Print"
    (operation,) = background.running()
    return preview, operation


def test_the_pages_are_painted_on_the_printer_off_the_gui_thread(
        ctx, main_window, riluzole, qtbot, monkeypatch, painting, tmp_path):
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    bar = operation.progress_dialog
    qtbot.waitUntil(painting.on_a_worker)  # (never the GUI thread, for the printer)
    qtbot.waitUntil(bar.isVisible)
    assert bar.isModal() and bar.parent() is preview
    qtbot.waitUntil(lambda: bar.label.text() == "Sending the pages to the print queue…")
    assert not bar.cancel_button.isEnabled()  # (the pages are going: no calling back)
    qtbot.keyClick(bar, Qt.Key.Key_Escape)
    assert bar.label.text() == "Sending the pages to the print queue…"
    assert not preview.findChild(QToolBar).isEnabled()  # nothing repaints the printer
    assert len(_print_dialogs(preview)) == 1  # (it refers to the printer: kept meanwhile)
    assert "Sent" not in main_window.statusBar().currentMessage()
    painting.set()
    outcome = wait_for(qtbot, operation)
    assert outcome.ok and outcome.value.pages == 1 and not outcome.value.printer_problem
    assert main_window.statusBar().currentMessage() == "Sent 1 page to the print queue"
    assert output.read_bytes().startswith(b"%PDF")
    assert not isValid(preview) or not preview.isVisible()  # printed: the preview closes


def test_cancel_before_the_pages_go_sends_nothing_and_keeps_the_preview(
        ctx, main_window, riluzole, qtbot, monkeypatch, reading, tmp_path):
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    bar = operation.progress_dialog
    qtbot.waitUntil(bar.isVisible)
    assert bar.label.text() == "Preparing the daily medication checklist to print…"
    assert bar.focusWidget() is bar.cancel_button
    qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    assert bar.label.text() == "Stopping…"
    reading.set()
    outcome = wait_for(qtbot, operation)
    assert outcome.cancelled and not outcome.ok
    assert (main_window.statusBar().currentMessage()
            == "Printing cancelled: nothing was sent to the printer.")
    assert not output.exists()
    assert preview.isVisible() and preview.findChild(QToolBar).isEnabled()
    assert preview.focusWidget() is _print_button(preview)  # (to try again: Enter)
    preview.reject()


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_printer_that_cannot_take_the_pages_is_said_over_the_preview(
        ctx, main_window, riluzole, qtbot, monkeypatch, tmp_path):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))
    output = tmp_path / "unplugged" / "printer.pdf"  # a printer that cannot start
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    assert not wait_for(qtbot, operation).ok
    ((parent, title, text),) = warned
    assert parent is preview and title == "Not printed"
    assert text.startswith("Nothing was sent to the printer: ")
    assert "Sent" not in main_window.statusBar().currentMessage()
    assert preview.isVisible() and preview.findChild(QToolBar).isEnabled()  # try again
    qtbot.waitUntil(lambda: _print_dialogs(preview) == [])  # (none left behind)
    preview.reject()


def test_enter_while_it_prints_asks_for_no_second_copy(
        ctx, main_window, riluzole, qtbot, monkeypatch, reading, tmp_path):
    """A quick person, before the busy bar is up (``PROGRESS_DELAY_MS``)."""
    from PySide6.QtPrintSupport import QPrintDialog

    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 60_000)
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    asked_again = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda d, *_: asked_again.append(d) or 0)
    qtbot.keyClick(preview.focusWidget(), Qt.Key.Key_Return)  # (Enter presses Print)
    qtbot.keyClick(preview.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked_again == [] and background.running() == [operation]
    reading.set()
    assert wait_for(qtbot, operation).ok
    assert main_window.statusBar().currentMessage() == "Sent 1 page to the print queue"


def test_closing_the_preview_while_it_prints_still_prints_and_says_so(
        ctx, main_window, riluzole, qtbot, monkeypatch, painting, tmp_path):
    """A quick person, before the busy bar is up (``PROGRESS_DELAY_MS``): Escape."""
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 60_000)
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    qtbot.waitUntil(painting.on_a_worker)
    gone: list[bool] = []
    preview.destroyed.connect(lambda *_: gone.append(True))
    assert not operation.progress_dialog.isVisible()
    qtbot.keyClick(preview.focusWidget(), Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert gone == [] and not preview.isVisible()  # kept, with its printer, meanwhile
    painting.set()
    assert wait_for(qtbot, operation).ok
    assert main_window.statusBar().currentMessage() == "Sent 1 page to the print queue"
    assert output.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: gone == [True])  # then the preview goes


@pytest.fixture
def laying_out(monkeypatch):
    """The laying out of the pages for the printer (nothing sent yet), held."""
    yield from _holding(monkeypatch, renderer, "layout_document")


def test_cancel_stays_while_the_pages_are_laid_out_and_stops_there(
        ctx, main_window, riluzole, qtbot, monkeypatch, laying_out, tmp_path):
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    bar = operation.progress_dialog
    qtbot.waitUntil(laying_out.on_a_worker)
    qtbot.waitUntil(bar.isVisible)
    assert bar.label.text() == "Preparing the daily medication checklist to print…"
    assert bar.cancel_button.isEnabled()  # nothing has gone to the printer yet
    qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    assert bar.label.text() == "Stopping…"
    laying_out.set()
    assert wait_for(qtbot, operation).cancelled
    assert (main_window.statusBar().currentMessage()
            == "Printing cancelled: nothing was sent to the printer.")
    assert not output.exists()
    preview.reject()


def _records_fault() -> Exception:
    from caregiver_app.storage.faults import RecordsNotSaved

    return RecordsNotSaved("another program is using the records file",
                           "Close it, then try again.", 5, writing=False)


def _fault_on_the_worker(monkeypatch, fault: Exception) -> None:
    """Reading the records on a worker thread fails (the preview's own pages, read on
    the GUI thread, are fine)."""
    real = PrintService.document

    def document(self, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            raise fault
        return real(self, *args, **kwargs)

    monkeypatch.setattr(PrintService, "document", document)


def test_a_records_fault_while_preparing_says_not_printed_not_a_crash(
        ctx, main_window, riluzole, qtbot, monkeypatch, tmp_path):
    said = ("Nothing was sent to the printer, because another program is using the "
            "records file. Close it, then try again.")
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))
    _fault_on_the_worker(monkeypatch, _records_fault())
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    with qtbot.capture_exceptions() as raised:
        assert not wait_for(qtbot, operation).ok
    assert raised == []  # (no crash report)
    assert warned == [(preview, "Not printed", said)]
    assert "Sent" not in main_window.statusBar().currentMessage()
    assert not output.exists()
    assert preview.isVisible() and preview.findChild(QToolBar).isEnabled()  # try again
    preview.reject()


def test_a_records_fault_while_saving_a_pdf_from_the_preview_says_not_saved(
        ctx, main_window, riluzole, qtbot, monkeypatch, tmp_path):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))
    _fault_on_the_worker(monkeypatch, _records_fault())
    target = tmp_path / "checklist.pdf"
    monkeypatch.setattr("caregiver_app.ui.printing.controller.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "PDF files (*.pdf)"))
    menu_action(main_window, "File", "Print", "Today's checklist…").trigger()
    preview = ctx.printing.last_preview
    activate(qtbot, preview)
    toolbar = preview.findChild(QToolBar)
    (save,) = [a for a in toolbar.actions() if a.text() == "Save as PDF…"]
    qtbot.mouseClick(toolbar.widgetForAction(save), Qt.MouseButton.LeftButton)
    (operation,) = background.running()
    with qtbot.capture_exceptions() as raised:
        assert not wait_for(qtbot, operation).ok
    assert raised == []
    assert warned == [(preview, "PDF not saved", "The PDF was not saved, because another "
                       "program is using the records file. Close it, then try again.")]
    assert "Saved" not in main_window.statusBar().currentMessage()
    assert not target.exists()
    preview.reject()


def test_a_printer_problem_after_the_pages_went_is_said_and_never_sent(
        ctx, main_window, riluzole, qtbot, monkeypatch, tmp_path):
    """Once the pages went, the printer reported an error (a queue that stopped, a
    driver's failure at the end): some may have printed, so nothing says "Sent" and
    nothing says "nothing was sent"."""
    from PySide6.QtPrintSupport import QPrinter

    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))
    monkeypatch.setattr(QPrinter, "printerState",
                        lambda self: QPrinter.PrinterState.Error)
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output)
    assert wait_for(qtbot, operation).ok  # (the pages went)
    assert warned == [(preview, "Printer problem", "The printer reported a problem after 1 "
                       "page was sent to it. Check what came out before printing again.")]
    assert main_window.statusBar().currentMessage() == "The printer reported a problem."
    assert preview.isVisible() and preview.findChild(QToolBar).isEnabled()
    preview.reject()


def _pdf_pages(path) -> int:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    return document.pageCount()


@pytest.mark.parametrize(("pages", "sent"), [(None, 3), ((2, 3), 2), ((3, 3), 1)])
def test_only_the_pages_chosen_in_the_print_dialog_are_sent(
        ctx, main_window, riluzole, qtbot, monkeypatch, tmp_path, pages, sent):
    from caregiver_app.ui.printing import Period, PeriodDialog

    today = ctx.medications.today()
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(
        lambda cls, *a, **k: Period(today, today + timedelta(days=2), 0)))
    output = tmp_path / "printer.pdf"
    _preview, operation = _preview_and_print(
        ctx, main_window, qtbot, monkeypatch, output,
        item="Checklists for several days…", pages=pages)
    assert wait_for(qtbot, operation).value.pages == sent
    assert _pdf_pages(output) == sent
    assert main_window.statusBar().currentMessage() == (
        f"Sent {sent} page{'s' if sent > 1 else ''} to the print queue")


def test_pages_chosen_beyond_the_printout_send_nothing_and_say_so(
        ctx, main_window, riluzole, qtbot, monkeypatch, tmp_path):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))
    output = tmp_path / "printer.pdf"
    preview, operation = _preview_and_print(ctx, main_window, qtbot, monkeypatch, output,
                                            pages=(4, 5))
    assert not wait_for(qtbot, operation).ok
    assert warned == [(preview, "Not printed", "Nothing was sent to the printer: this printout "
                       "has 1 page, and the pages chosen were 4-5.")]
    assert not output.exists()
    preview.reject()
