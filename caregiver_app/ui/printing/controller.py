"""Print preview, printing, Save as PDF and exports from the window and the tabs.

``PrintController`` is what the window's File menu and the tabs' print buttons call: a
print preview window (Print, page set-up and "Save as PDF…" in its toolbar; each tab's
``print_requested = Signal(str, object)``, kind and date or None, connects to it),
saving a PDF, and the calendar and dose-history exports (the period first, then the file
name).

All drawing happens in ``services.printing`` (one renderer for preview, printer and PDF).
The preview paints on the GUI thread (Qt asks for its pages there); the pages sent to a
printer and written to a PDF are read, laid out and painted on a worker thread
(``ui.background``), with a service of its own, while the preview waits behind a busy
bar. Only the dialogs (the print dialog, the file name) stay on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QToolBar, QToolButton, QWidget
from shiboken6 import isValid

from caregiver_app.domain.errors import NotSaved
from caregiver_app.domain.paper_sizes import Paper, paper_for
from caregiver_app.domain.print_kinds import PrintKind
from caregiver_app.domain.values import day_problem
from caregiver_app.services.background import Operation, Progress
from caregiver_app.services.files import write_problem, write_then_replace
from caregiver_app.ui import messages
from caregiver_app.ui.actions import add_action, on_triggered
from caregiver_app.ui.background import run_in_background
from caregiver_app.ui.desktop import shortcut_text
from caregiver_app.ui.printing.period_dialog import PeriodDialog
from caregiver_app.ui.screen_fit import fit_on_screen, screen_key
from caregiver_app.ui.settings import PAPER

#: Where the print preview's size is remembered (per screen) in the settings.
PREVIEW_KEY = "print_preview"

if TYPE_CHECKING:  # QtPrintSupport and the printing code are loaded on first use
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from caregiver_app.services.printing import PrintService

PAPER_KEY = PAPER.key


def locale_territory() -> str:
    """The computer's locale territory ("US"; "" for a locale without one, ``C``)."""
    from PySide6.QtCore import QLocale

    return QLocale.territoryToCode(QLocale.system().territory())


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    to_python = getattr(value, "toPython", None)  # a QDate
    return to_python() if to_python else None


class PrintController(QObject):
    saved = Signal(str)
    """A PDF, calendar or CSV file was written; carries a message for the status bar."""

    def __init__(self, service: Callable[[], PrintService], settings, *,
                 worker: Callable[[], AbstractContextManager[PrintService]],
                 parent: QObject | None = None):
        """``service()``: the ``PrintService`` (asked for when something prints, so the
        printing code is not loaded at start-up); ``settings``: the ``UiSettings`` (the
        paper size is kept there); ``worker()``: a ``PrintService`` of its own, over a
        connection of its own, for an export on a worker thread
        (``Core.printing_for_worker``)."""
        super().__init__(parent)
        self._get_service = service
        self._worker = worker
        self._settings = settings
        self._widget: QWidget | None = None
        self.last_preview: QPrintPreviewDialog | None = None
        self.print_menu: QMenu | None = None
        self._previews: dict[QPrintPreviewDialog, QPrinter] = {}
        self._focus_on_show: dict[QPrintPreviewDialog, QWidget] = {}
        self._saving: dict[QWidget, Operation] = {}
        """A preview's Save as PDF or printing still running: the preview (and its
        printer) is deleted once it ends."""

    # ---- Public API

    @property
    def service(self) -> PrintService:
        return self._get_service()

    def paper(self) -> Paper:
        """The size chosen in File ▸ Print ▸ Paper size, else the usual one in the
        patient's country, then in the computer's locale."""
        stored = self._settings.get_str(PAPER_KEY)
        try:
            return Paper(stored)
        except ValueError:
            return paper_for(self.service.patient_country(), locale_territory())

    def set_paper(self, paper: Paper) -> None:
        self._settings.set_value(PAPER_KEY, Paper(paper).value)

    def add_to_menu(self, menu: QMenu, window: QWidget) -> None:
        """Add File ▸ Print ▸ … and the calendar / CSV exports to ``menu``."""
        self._widget = window
        printing = menu.addMenu("&Print")
        printing.setObjectName("print_menu")
        add_action(printing, "&Today's checklist…", lambda: self.preview(PrintKind.CHECKLIST),
                   shortcut=QKeySequence.StandardKey.Print)
        add_action(printing, "T&omorrow's checklist…", lambda: self.preview(
            PrintKind.CHECKLIST, self.service.today() + timedelta(days=1)))
        add_action(printing, "Checklists for &several days…", self.preview_several_days)
        add_action(printing, "&Weekly record (7 days from today)…",
                   lambda: self.preview(PrintKind.WEEK))
        printing.addSeparator()
        add_action(printing, "&Medicine list for the clinic…",
                   lambda: self.preview(PrintKind.MEDLIST))
        add_action(printing, "Clinic &visit summary…", lambda: self.preview(PrintKind.VISIT),
                   tip="How things are going since the last clinic visit, on one or two "
                       "pages")
        add_action(printing, "&Care-team sheet for the fridge…",
                   lambda: self.preview(PrintKind.CARETEAM))
        add_action(printing, "&Emergency sheet for paramedics…",
                   lambda: self.preview(PrintKind.EMERGENCY),
                   tip="Diagnosis, breathing support, advance decisions, medicines, "
                       "allergies and the care team on one page")
        printing.addSeparator()
        sizes = printing.addMenu("&Paper size")
        group = QActionGroup(sizes)
        for paper in Paper:
            action = add_action(sizes, paper.label, lambda p=paper: self.set_paper(p))
            action.setCheckable(True)
            action.setData(paper.value)
            group.addAction(action)

        def show_current() -> None:  # when opened (the patient's country may have changed)
            current = self.paper()
            for action in group.actions():
                action.setChecked(action.data() == current.value)

        sizes.aboutToShow.connect(show_current)
        add_action(menu, "Export dose &times to a calendar…", self.export_calendar)
        add_action(menu, "Export dose &history (CSV)…", self.export_history)
        self.print_menu = printing

    def preview(self, kind: PrintKind | str, day: object = None, days: int = 1) -> None:
        """Show a print preview of ``kind`` (non-blocking); printing and Save as PDF are
        in its toolbar."""
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        kind = PrintKind(kind)
        when = _as_date(day)
        printer = self._printer(kind)
        dialog = QPrintPreviewDialog(printer, self._widget)
        dialog.setWindowTitle(f"Print preview: {kind.label}")
        dialog.setAccessibleName(f"Print preview of the {kind.label.lower()}")
        dialog.paintRequested.connect(lambda p: self._paint(kind, when, days, p))
        self._make_keyboard_friendly(dialog, kind, when, days)
        # the last size on this screen, or a page's shape as far as the screen has room
        saved = self._settings.window_geometry_for(screen_key(dialog), PREVIEW_KEY)
        if saved is None or not dialog.restoreGeometry(saved):
            dialog.resize(900, 1000)
        fit_on_screen(dialog)
        # QPrinter is not a QObject: the dialog does not own it, so keep it alive with it.
        self._previews[dialog] = printer
        dialog.finished.connect(lambda _=0, d=dialog: self._close_preview(d))
        self.last_preview = dialog
        dialog.installEventFilter(self)
        dialog.open()
        fit_on_screen(dialog)  # where opening put it, moved onto the screen if need be

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A preview opens with the focus on Print (Qt puts it on the page)."""
        if event.type() == QEvent.Type.Show and watched in self._focus_on_show:
            button = self._focus_on_show.pop(watched)
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, watched, lambda: button.setFocus(
                Qt.FocusReason.OtherFocusReason))
        return super().eventFilter(watched, event)

    def preview_several_days(self) -> None:
        today = self.service.today()
        period = PeriodDialog.ask(
            "Checklists for several days",
            "Choose the days. Each day gets its own page (or more).",
            today, today + timedelta(days=6), max_days=62, parent=self._widget)
        if period is not None:
            self.preview(PrintKind.CHECKLIST, period.first, period.days)

    def save_pdf(self, kind: PrintKind | str, day: object = None, path: Path | None = None,
                 *, days: int = 1, parent: QWidget | None = None) -> Operation | None:
        """Save ``kind`` as a PDF at ``path`` (asked when None): the pages are laid out,
        painted and written on a worker thread, with a service of its own, behind a busy
        bar with Cancel over ``parent`` (the preview) or the window. The status bar says
        what was saved; a message box over the window why nothing was. Returns the
        started ``Operation``, or None when no file was chosen."""
        kind = PrintKind(kind)
        when = _as_date(day)
        where = parent or self._widget
        if parent is not None and parent in self._saving:  # (it prints or saves already)
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                where, "Save as PDF", self.service.suggested_name(kind, when),
                "PDF files (*.pdf)")
            if not name:
                return None
            path = Path(name if name.lower().endswith(".pdf") else f"{name}.pdf")
        target, paper, worker = Path(path), self.paper(), self._worker

        def work(progress: Progress) -> int:
            progress.check()
            _check_day(kind, when)
            with worker() as own:
                return write_then_replace(
                    target, lambda part: own.save_pdf(kind, when, part, days=days, paper=paper),
                    before_replace=progress.check)

        def done(pages: object) -> None:
            self.saved.emit(f"Saved {pages} page{'s' if pages != 1 else ''} to {target}")

        def failed(exc: BaseException) -> str | None:
            if isinstance(exc, OSError):
                return write_problem(target, exc)
            return records_problem(exc, "The PDF was not saved")

        operation = run_in_background(
            where, work, title="Save as PDF", text=f"Writing {target.name}…", done=done,
            failed=failed, failed_title="PDF not saved", cancel_name="Cancel saving",
            cancelled=lambda: self.saved.emit("Save as PDF cancelled: no file was written."))
        if parent is not None and parent in self._previews:
            self._saving[parent] = operation
            operation.finished.connect(lambda _o, d=parent: self._saving.pop(d, None))
        return operation

    def export_calendar(self, path: Path | None = None) -> Operation | None:
        """Dose times (and appointments) for a period as an .ics file for phones."""
        today = self.service.today()
        period = PeriodDialog.ask(
            "Export dose times to a calendar",
            "Choose the days. Each dose becomes an event with a reminder, so a family "
            "member's phone calendar can remind them too.\n\n"
            "When the medicines change, export again to the same file and import it on "
            "each phone: a dose at a new time moves there too, and doses no longer given "
            "are marked cancelled, without a reminder. A phone that was not given the new "
            "file keeps the old times. (A file cannot follow changes by itself; live "
            "sharing with the family's calendars is planned.)", today, today + timedelta(days=29),
            alarm_minutes=0, parent=self._widget)
        if period is None:
            return None
        last = self.service.calendar_target()
        suggested = str(last) if last is not None else "medicine-times.ics"
        return self.start_calendar_export(path, suggested, period.first, period.last,
                                          period.alarm_minutes)

    def start_calendar_export(self, path: Path | None, suggested: str, first: date,
                              last: date, alarm_minutes: int) -> Operation | None:
        """The calendar export of a chosen period: the file name (asked when ``path`` is
        None), then the file written on a worker thread."""
        return self._export(path, suggested, "Calendar files (*.ics)", ".ics",
                            lambda service, p: service.export_calendar(
                                p, first, last, alarm_minutes=alarm_minutes), "events",
                            title="Export dose times to a calendar")

    def export_history(self, path: Path | None = None) -> Operation | None:
        """The dose history of a period as a CSV file (opens in a spreadsheet)."""
        today = self.service.today()
        period = PeriodDialog.ask(
            "Export dose history",
            "Choose the days. Each due dose gets one row saying what was recorded; "
            "as-needed and extra doses follow each day's due doses.",
            today - timedelta(days=29), today, parent=self._widget)
        if period is None:
            return None
        return self._export(path, f"dose-history-{period.first.isoformat()}-to-"
                                  f"{period.last.isoformat()}.csv",
                            "CSV files (*.csv)", ".csv",
                            lambda service, p: service.export_history(p, period.first,
                                                                      period.last), "rows",
                            title="Export dose history")

    # ---- Private

    def _make_keyboard_friendly(self, dialog: QPrintPreviewDialog, kind: PrintKind,
                                when: date | None, days: int) -> None:
        """Print (Ctrl+P, and Enter), Save as PDF… (Ctrl+S), both first in the toolbar,
        and every toolbar button reachable by Tab: Qt's preview toolbar takes no focus
        and has no shortcuts.

        Print goes through ``_print_from_preview`` (the print dialog, then the pages),
        not Qt's own handler, so a printer that fails says so like every other print."""
        toolbar = dialog.findChild(QToolBar)
        if toolbar is None:
            return
        print_action = next((a for a in toolbar.actions() if a.text() == "Print"), None)
        if print_action is not None:
            print_action.triggered.disconnect()
            on_triggered(print_action, lambda: self._print_from_preview(
                dialog, kind, when, days))
            print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
            print_action.setToolTip(f"Print ({shortcut_text('Ctrl+P')} or Enter)")
        save = add_action(toolbar, "Save as PDF…",
                          lambda: self.save_pdf(kind, when, days=days, parent=dialog),
                          shortcut=QKeySequence.StandardKey.Save,
                          tip=f"Save these pages as a PDF file ({shortcut_text('Ctrl+S')})")
        save.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # Print and Save as PDF… first: a toolbar too wide for its window (200% text)
        # folds its last buttons into a "»" menu, and Qt puts Print last
        start = toolbar.actions()[0]
        for action in (print_action, save):
            if action is not None:
                toolbar.insertAction(start, action)  # (moved: it was in the toolbar)
        toolbar.insertSeparator(start)
        first: QWidget | None = None
        for action in toolbar.actions():
            button = toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                button.setAccessibleName(action.text())
                if action is print_action:
                    first = button
        # Enter presses the toolbar button that has focus, or Print.
        enter = QAction(dialog)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        dialog.addAction(enter)

        def press_enter() -> None:
            focus = dialog.focusWidget()
            if isinstance(focus, QToolButton) and focus.parent() is toolbar:
                focus.click()
            elif print_action is not None:
                print_action.trigger()

        on_triggered(enter, press_enter)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self._focus_on_show[dialog] = first

    def _print_from_preview(self, dialog, kind: PrintKind, when: date | None,
                            days: int) -> Operation | None:
        """The preview's Print: the print dialog on the preview's printer (GUI thread),
        then the pages read, laid out and painted on that printer on a worker thread,
        behind a busy bar over the preview. Its toolbar rests meanwhile, so nothing
        repaints the preview on the printer being printed on. Once the pages are sent the
        status bar says so and the preview closes; a failure is said over the preview,
        which stays open to try again. Returns the started ``Operation``, or None."""
        from PySide6.QtPrintSupport import QPrintDialog

        printer = self._previews.get(dialog)
        if printer is None or dialog in self._saving:  # (Enter while it prints)
            return None
        ask = QPrintDialog(printer, dialog)
        ask.setWindowTitle("Print")
        if ask.exec() != QDialog.DialogCode.Accepted:
            ask.deleteLater()
            return None
        toolbar = dialog.findChild(QToolBar)
        if toolbar is not None:
            toolbar.setEnabled(False)
        worker = self._worker

        def work(progress: Progress) -> Sent:
            return print_on_worker(worker, kind, when, days, printer, progress)

        def done(sent: object) -> None:
            assert isinstance(sent, Sent)
            if sent.printer_problem:  # after the pages went: some may have printed
                self.saved.emit("The printer reported a problem.")
                shown = dialog if isValid(dialog) and dialog.isVisible() else self._widget
                messages.warn(shown, "Printer problem",
                              f"The printer reported a problem after {sent.describe()} "
                              f"{'was' if sent.pages == 1 else 'were'} sent to it. Check "
                              "what came out before printing again.")
                return
            self.saved.emit(f"Sent {sent.describe()} to the print queue")
            if isValid(dialog) and dialog.isVisible():
                dialog.accept()

        def failed(exc: BaseException) -> str | None:
            if isinstance(exc, OSError):  # the printer could not start: nothing went
                return f"Nothing was sent to the printer: {str(exc).rstrip('.')}."
            return records_problem(exc, "Nothing was sent to the printer")

        def ended(_outcome: object) -> None:
            # the print dialog refers to the printer: deleted once nothing paints on it
            if isValid(ask):
                ask.deleteLater()
            self._saving.pop(dialog, None)
            if toolbar is not None and isValid(toolbar):
                toolbar.setEnabled(True)
                self._focus_print(toolbar)

        operation = run_in_background(
            dialog, work, title="Print", text=f"Preparing the {kind.label.lower()} to "
            "print…", done=done, failed=failed, failed_title="Not printed",
            cancel_name="Cancel printing",
            cancelled=lambda: self.saved.emit("Printing cancelled: nothing was sent to the "
                                              "printer."))
        self._saving[dialog] = operation
        operation.finished.connect(ended)
        return operation

    @staticmethod
    def _focus_print(toolbar: QToolBar) -> None:
        for action in toolbar.actions():
            if action.text() == "Print":
                button = toolbar.widgetForAction(action)
                if button is not None and button.isVisible():
                    button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _close_preview(self, dialog) -> None:
        self._settings.set_window_geometry(screen_key(dialog), dialog.saveGeometry(),
                                           PREVIEW_KEY)
        self._focus_on_show.pop(dialog, None)
        saving = self._saving.get(dialog)
        if saving is not None and saving.running:  # closed while its PDF is written:
            # kept (hidden) until the PDF is saved and the status bar said so
            saving.finished.connect(lambda _o, d=dialog: d.deleteLater())
        else:
            dialog.deleteLater()
        # The printer goes once the dialog is gone (deleteLater runs later still).
        dialog.destroyed.connect(lambda _=None, d=dialog: self._previews.pop(d, None))

    def _printer(self, kind: PrintKind) -> QPrinter:
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(kind.label)
        printer.setPageLayout(self._service_layout(kind))
        return printer

    def _service_layout(self, kind: PrintKind):
        from caregiver_app.services.printing.renderer import page_layout

        return page_layout(self.paper(), kind.landscape)

    def _paint(self, kind: PrintKind, day: date | None, days: int, printer: QPrinter) -> int:
        try:
            return self.service.render(kind, day, printer, days=days)
        except OSError as exc:
            messages.warn(self._widget, "Not printed", str(exc))
            return 0

    def _export(self, path: Path | None, suggested: str, filters: str, suffix: str,
                write: Callable[[PrintService, Path], object], what: str, *,
                title: str) -> Operation | None:
        """Ask the file name (unless ``path``), then ``write(service, path)`` on a worker
        thread with a service of its own; the status bar says what was written, a
        message box why nothing was."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self._widget, "Export", suggested, filters)
            if not name:
                return None
            path = Path(name if name.lower().endswith(suffix) else name + suffix)
        target, worker = path, self._worker

        def work(progress: Progress) -> object:
            progress.check()
            with worker() as own:
                return write(own, target)

        def done(result: object) -> None:
            describe = getattr(result, "describe", None)
            text = describe() if callable(describe) else f"Exported {result} {what}"
            head, _, more = text.partition(";")
            self.saved.emit(f"{head} to {target}" + (f";{more}" if more else ""))

        def failed(exc: BaseException) -> str | None:
            if isinstance(exc, NotSaved):  # the records are read-only or the disk is full
                return exc.sentence("The file was not written")
            if isinstance(exc, OSError):
                return write_problem(target, exc)
            if isinstance(exc, ValueError):
                return f"The file was not written: {exc}"
            return None

        return run_in_background(
            self._widget, work, title=title, text=f"Writing {target.name}…", done=done,
            failed=failed, failed_title="Not exported", cancel_name="Cancel the export",
            cancelled=lambda: self.saved.emit("Export cancelled: no file was written."))


class DayNotKept(ValueError):
    """A day outside the dates the app keeps: said, never a crash report."""


@dataclass(frozen=True)
class Sent:
    """What ``print_on_worker`` sent: ``pages`` to the print queue;
    ``printer_problem``: the printer reported an error once they had gone (some may
    have printed)."""

    pages: int
    printer_problem: bool = False

    def describe(self) -> str:
        return f"{self.pages} page{'s' if self.pages != 1 else ''}"


def records_problem(exc: BaseException, what: str) -> str | None:
    """``what`` ("Nothing was sent to the printer") and why, for a fault of the records
    read on a worker thread (busy, locked, unreadable: ``NotSaved``) or a day the app
    does not keep; None for anything else (a bug: the crash report takes it)."""
    if isinstance(exc, NotSaved):
        return exc.sentence(what)
    if isinstance(exc, DayNotKept):
        return f"{what}. {str(exc).rstrip('.')}."
    return None


def _check_day(kind: PrintKind, when: date | None) -> None:
    """Raise ``DayNotKept`` for a day of ``kind`` outside the dates the app keeps."""
    problem = day_problem(when) if when is not None and kind.uses_date else None
    if problem:
        raise DayNotKept(problem)


def chosen_pages(pages: list, printer: QPrinter) -> list:
    """The laid-out ``pages`` the person chose in the print dialog ("Pages from … to
    …"; all of them otherwise). Raises OSError, before anything is sent, when none of
    the chosen pages is in the printout."""
    from PySide6.QtPrintSupport import QPrinter

    ranges = printer.pageRanges()
    if printer.printRange() != QPrinter.PrintRange.PageRange or ranges.isEmpty():
        return pages
    chosen = [page for number, page in enumerate(pages, 1) if ranges.contains(number)]
    if not chosen:
        raise OSError(f"this printout has {len(pages)} page{'s' if len(pages) != 1 else ''}"
                      f", and the pages chosen were {ranges.toString()}")
    return chosen


def print_on_worker(worker: Callable[[], AbstractContextManager[PrintService]],
                    kind: PrintKind, when: date | None, days: int, printer: QPrinter,
                    progress: Progress) -> Sent:
    """On a worker thread: read the records and build the pages of ``kind`` with a
    service of its own (``worker()``), lay them out, then paint them on ``printer``
    (chosen in the print dialog; nothing else uses it meanwhile). Cancel stops it until
    the pages start going to the printer (``Progress.commit``, once they are laid out).
    Only the pages chosen in the print dialog are sent (``chosen_pages``). Raises
    OSError when the printer could not start or none of the chosen pages is in the
    printout (nothing was sent), ``NotSaved`` when the records could not be read,
    ``DayNotKept``."""
    from PySide6.QtPrintSupport import QPrinter

    from caregiver_app.services.printing import renderer

    progress.check()
    _check_day(kind, when)
    with worker() as own:
        document = own.document(kind, when, days=days)
    progress.check()
    pages = chosen_pages(renderer.layout_document(document, printer), printer)
    progress.commit("Sending the pages to the print queue…")
    sent = renderer.paint_pages(pages, printer)  # (OSError before the first page)
    return Sent(sent, printer.printerState() in (QPrinter.PrinterState.Error,
                                                 QPrinter.PrinterState.Aborted))
