"""File ▸ Export all records… and Import records…, for the main window.

The export writes every record to one JSON file on a worker thread. The import reads,
checks and builds the file's records into a database of their own on a worker thread
(nothing in the app changes), then asks, then puts them in place; the window's
``imported`` signal says how it ended. The transfer code (``services.transfer``) is
loaded the first time either is used.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from caregiver_app.services.background import Operation, Progress
from caregiver_app.services.backups import BackupError
from caregiver_app.ui import messages
from caregiver_app.ui.background import run_in_background

if TYPE_CHECKING:
    from caregiver_app.services.transfer import PreparedImport, TransferService
    from caregiver_app.ui.main_window import MainWindow


def export_records(window: MainWindow, transfer: TransferService, today: date,
                   path: Path | None = None) -> Operation | None:
    """Every record in one JSON file (to move to a new laptop, or for the clinic),
    written on a worker thread; the status bar says so once it is written. ``path``:
    asked when None."""
    if path is None:
        name, _ = QFileDialog.getSaveFileName(
            window, "Export all records", f"als-care-records-{today:%Y-%m-%d}.json",
            "JSON files (*.json)")
        if not name:
            return None
        path = Path(name)
    target = path

    def work(progress: Progress) -> dict[str, int]:
        progress.check()
        return transfer.export_to(target, before_done=progress.check)

    def failed(exc: BaseException) -> str | None:
        if isinstance(exc, OSError):
            return f"The file could not be written: {exc.strerror or exc}."
        return None

    return run_in_background(
        window, work, title="Export all records", text=f"Writing {target.name}…",
        done=lambda counts: window.show_message(
            f"Exported {sum(counts.values())} records to {target}"),
        failed=failed, failed_title="Not exported",
        cancelled=lambda: window.show_message("Export cancelled: no file was written."),
        cancel_name="Cancel the export")


def import_records(window: MainWindow, transfer: Callable[[], TransferService],
                   path: Path | None = None) -> Operation | None:
    """Replace every record with those in an exported file (``path``, asked when None),
    after asking; ``window.imported`` says how it ended."""
    from caregiver_app.services.transfer import TransferError

    if path is None:
        name, _ = QFileDialog.getOpenFileName(window, "Import records", "",
                                              "JSON files (*.json);;All files (*)")
        if not name:
            return None
        path = Path(name)
    service, source = transfer(), path

    def failed(exc: BaseException) -> str | None:
        window.imported.emit(False)
        return str(exc) if isinstance(exc, TransferError) else None

    def cancelled() -> None:
        window.show_message("Import cancelled: nothing was changed.")
        window.imported.emit(False)

    return run_in_background(
        window, lambda _progress: service.prepare(source), title="Import records",
        text=f"Checking {source.name}…", done=lambda prepared: _confirm_import(
            window, transfer, source, prepared), failed=failed, failed_title="Not imported",
        cancelled=cancelled, cancel_name="Cancel the import")


def _confirm_import(window: MainWindow, transfer: Callable[[], TransferService], path: Path,
                    prepared: PreparedImport) -> None:
    """The file passed every check: ask, then put its records in place."""
    from caregiver_app.services.transfer import describe_counts

    with prepared:
        now = transfer().current_counts()
        fewer = prepared.counts.get("dose_entries", 0) < now.get("dose_entries", 0)
        if not messages.confirm(
            window, "Replace all records?",
            f"Every record in the app will be replaced by the records in\n{path}\n\n"
            f"The file holds: {describe_counts(prepared.counts)}.\n"
            f"The app holds now: {describe_counts(now)}.\n\n"
            + ("The file holds FEWER dose records than the app does now.\n\n"
               if fewer else "")
            + "The file was checked completely. Your current records are kept as a "
            "backup marked \u201cBefore a restore\u201d.", yes="Import", destructive=True,
        ):
            window.imported.emit(False)
            return
        try:
            outcome = transfer().apply(prepared)
        except BackupError as exc:  # nothing was touched
            messages.warn(window, "Not imported", str(exc))
            window.imported.emit(False)
            return
    window.imported.emit(outcome.ok)  # the app reopens the records and says what happened
