"""The Learn tab's paper: an article printed or saved as a PDF, on the page size of the
computer's locale (``ArticleOutput``, moved out of ``LearnTab``). Only the dialogs (the
print dialog, the file name) are on the GUI thread: the article is laid out and painted
on a worker thread, behind a busy bar (``ui.background``)."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from shiboken6 import isValid

from caregiver_app.domain.file_names import safe_file_name
from caregiver_app.services.background import Operation, Progress
from caregiver_app.services.files import write_pdf_file, write_problem
from caregiver_app.ui import messages
from caregiver_app.ui.background import run_in_background
from caregiver_app.ui.learn.reader import build_document, keep_headings_with_next

if TYPE_CHECKING:
    from caregiver_app.ui.learn.tab import LearnTab

log = logging.getLogger(__name__)

#: The article's text size on paper (points).
PRINT_POINT_SIZE = 11.0


def page_layout() -> QPageLayout:
    from PySide6.QtCore import QLocale, QMarginsF

    # US-style measurement means Letter paper; everywhere else uses A4.
    letter = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    size = QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
    # QTextDocument.print_ adds 2 cm around the text itself; keep the page's own small.
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(5, 5, 5, 5),
                       QPageLayout.Unit.Millimeter)


def write_article_pdf(make_document: Callable[[], QTextDocument], title: str, path: Path,
                      *, check: Callable[[], None] = lambda: None) -> None:
    """Print a document to a PDF file at ``path``, owner-only. Raises OSError.

    The PDF is made in memory and checked whole before it replaces anything
    (``services.files``): a missing or read-only folder or a full disk leaves nothing
    half-written and keeps the file that was there. ``check()`` is called between the
    steps and once more before anything is written; it may raise to stop (Cancel).

    Runs on a worker thread: the document is made there (``make_document``), so no
    object of the GUI thread is laid out or painted; QPainter on a QPdfWriter and
    QTextDocument are reentrant (Qt's "Thread-Support in Qt Modules").
    """
    def paint(writer: QPdfWriter) -> None:
        writer.setTitle(title)
        writer.setCreator("ALS Care Companion")
        writer.setPageLayout(page_layout())
        writer.setResolution(300)
        document = make_document()
        check()
        keep_headings_with_next(document, writer)
        check()
        document.print_(writer)
        check()  # the last chance: nothing is written yet

    if not path.parent.is_dir():  # said before the article is laid out
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(path.parent))
    write_pdf_file(path, paint)


def ask_printer(parent: QWidget, title: str):
    """The printer the caregiver chose in the print dialog and that dialog (a child of
    ``parent``, which refers to the printer: the caller deletes it once the printer is no
    longer used), or None when they cancelled (the dialog is deleted then)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the article")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        dialog.deleteLater()
        return None
    return printer, dialog


class ArticleOutput(QObject):
    """The open article on paper or in a PDF file (moved out of ``LearnTab``)."""

    def __init__(self, tab: LearnTab):
        super().__init__(tab)
        self._tab = tab
        self.pdf_dialog: QFileDialog | None = None
        """The "Save the article as PDF" chooser while it is open."""

    @Slot()
    def choose_pdf_file(self) -> None:
        """Ask where to save the open article as a PDF, then save it (``save_pdf``).

        The dialog adds ".pdf" to a name typed without it, and asks before replacing a
        file (under the name it will really write).
        """
        article = self._tab.current_article()
        if article is None:
            return
        if self.pdf_dialog is not None:
            self.pdf_dialog.raise_()
            return
        dialog = QFileDialog(self._tab, "Save the article as PDF", str(Path.home()),
                             "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(safe_file_name(article.id, ".pdf", fallback="article"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_pdf_file_chosen)
        dialog.destroyed.connect(self._on_pdf_dialog_gone)
        self.pdf_dialog = dialog
        dialog.open()

    def save_pdf(self, path: Path | None = None) -> Operation | None:
        """Save the open article as a PDF at ``path``: laid out, painted and written on a
        worker thread behind a busy bar with Cancel; the tab's status line says where it
        was saved, a message box over the window why it was not. Returns the started
        ``Operation``; None when no article is open, and without ``path``, asks where
        first (``choose_pdf_file``) and returns None."""
        article = self._tab.current_article()
        if article is None:
            return None
        if path is None:
            self.choose_pdf_file()
            return None
        target = Path(path)
        font, related = self._print_font(), self._tab.related(article)  # read here, once

        def work(progress: Progress) -> None:
            progress.check()
            write_article_pdf(lambda: build_document(article, font, related=related,
                                                     for_print=True),
                              article.title, target, check=progress.check)

        def failed(exc: BaseException) -> str | None:
            if not isinstance(exc, OSError):
                return None
            log.warning("article PDF not saved to %s: %s", target, exc)
            return write_problem(target, exc)

        return run_in_background(
            self._tab, work, title="Save as PDF", text=f"Writing {target.name}…",
            done=lambda _none: self._tab.status_message.emit(f"Saved to {target}"),
            failed=failed, failed_title="PDF not saved", cancel_name="Cancel saving",
            cancelled=lambda: self._tab.status_message.emit(
                "Save as PDF cancelled: no file was written."))

    @Slot()
    def print_article(self) -> Operation | None:
        """Print the open article: the print dialog on the GUI thread, then the article
        laid out and painted on the chosen printer on a worker thread (as ``save_pdf``),
        behind a busy bar with Cancel until the pages start going to the printer. The
        tab's status line says it was sent; a message box over the window why it was not.
        Returns the started ``Operation``; None when no article is open or the print
        dialog was cancelled."""
        article = self._tab.current_article()
        if article is None:
            return None
        chosen = self.ask_printer()
        if chosen is None:
            return None
        printer, print_dialog = chosen
        font, related = self._print_font(), self._tab.related(article)  # read here, once

        def work(progress: Progress) -> bool:
            """True when the printer reported a problem once the pages went."""
            progress.check()
            document = build_document(article, font, related=related, for_print=True)
            progress.check()
            keep_headings_with_next(document, printer)
            progress.commit("Sending the article to the print queue…")
            document.print_(printer)  # (says nothing when the printer cannot start)
            if printer.printerState() not in (printer.PrinterState.Error,
                                              printer.PrinterState.Aborted):
                return False
            output = printer.outputFileName()
            if output and not Path(output).exists():  # could not start: nothing went
                raise OSError("the printer could not take the pages")
            return True

        def done(printer_problem: object) -> None:
            if not printer_problem:
                self._tab.status_message.emit(f"Sent “{article.title}” to the print queue")
                return
            log.warning("the printer reported a problem printing %s", article.id)
            self._tab.status_message.emit("The printer reported a problem.")
            messages.warn(self._tab.window(), "Printer problem",
                          f"The printer reported a problem once “{article.title}” was sent "
                          "to it. Check what came out before printing again.")

        def failed(exc: BaseException) -> str | None:
            if not isinstance(exc, OSError):
                return None
            log.warning("article not printed: %s", exc)
            return f"Nothing was sent to the printer: {exc}."

        operation = run_in_background(
            self._tab, work, title="Print", text=f"Preparing “{article.title}” to print…",
            done=done, failed=failed, failed_title="Not printed",
            cancel_name="Cancel printing",
            cancelled=lambda: self._tab.status_message.emit(
                "Printing cancelled: nothing was sent to the printer."))
        # The print dialog refers to the printer: deleted once the printer is not used.
        operation.finished.connect(
            lambda _o: print_dialog.deleteLater() if isValid(print_dialog) else None)
        return operation

    def print_document(self) -> QTextDocument:
        """The open article laid out for paper, in the print size."""
        tab = self._tab
        article = tab.current_article()
        assert article is not None
        return build_document(article, self._print_font(), related=tab.related(article),
                              for_print=True)

    def _print_font(self) -> QFont:
        """The reader's font in the print size."""
        font = self._tab.reader.font()
        font.setPointSizeF(PRINT_POINT_SIZE)
        return font

    def ask_printer(self):
        """The printer the caregiver chose and its print dialog (``ask_printer``), or
        None when they cancelled."""
        article = self._tab.current_article()
        return ask_printer(self._tab, article.title if article else "Article")

    def _on_pdf_file_chosen(self, name: str) -> None:
        # Save once the dialog has closed: a problem is then told over the tab itself.
        QTimer.singleShot(0, self, lambda: self.save_pdf(Path(name)))

    def _on_pdf_dialog_gone(self) -> None:
        self.pdf_dialog = None
