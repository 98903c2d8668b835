"""The Learn tab's paper: an article printed or saved as a PDF, on the page size of the
computer's locale."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDialog, QWidget

from caregiver_app.services.files import write_pdf_file
from caregiver_app.ui.learn.reader import keep_headings_with_next


def page_layout() -> QPageLayout:
    from PySide6.QtCore import QLocale, QMarginsF

    # US-style measurement means Letter paper; everywhere else uses A4.
    letter = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    size = QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
    # QTextDocument.print_ adds 2 cm around the text itself; keep the page's own small.
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(5, 5, 5, 5),
                       QPageLayout.Unit.Millimeter)


def write_article_pdf(make_document: Callable[[], QTextDocument], title: str, path: Path) -> None:
    """Print a document to a PDF file at ``path``, owner-only. Raises OSError.

    The PDF is made in memory and checked whole before it replaces anything
    (``services.files``): a missing or read-only folder or a full disk leaves nothing
    half-written and keeps the file that was there.
    """
    def paint(writer: QPdfWriter) -> None:
        writer.setTitle(title)
        writer.setCreator("ALS Care Companion")
        writer.setPageLayout(page_layout())
        writer.setResolution(300)
        document = make_document()
        keep_headings_with_next(document, writer)
        document.print_(writer)

    if not path.parent.is_dir():  # said before the article is laid out
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(path.parent))
    write_pdf_file(path, paint)


def ask_printer(parent: QWidget, title: str):
    """The printer the caregiver chose in the print dialog, or None when they cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the article")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer
