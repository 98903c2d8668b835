"""File ▸ Restore from a backup…: choose, confirm, check and copy the file on a worker
thread, then put it in place.

The thorough check of the chosen file (SQLite's integrity check reads every page) and
its copy beside the records are the slow part: they run off the GUI thread
(``ui.background.run_in_background``) with a progress dialog and Cancel, and nothing in
the app changes meanwhile. A file that cannot be restored is said in a message box over
the window, and the records stay open. Only once the checked copy is ready does the GUI
thread release the records and rename it over them (``BackupService.put_in_place``);
the app then reopens the records and says how it went.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from caregiver_app.services.background import Operation, Progress
from caregiver_app.services.backups import (
    NOT_RESTORED,
    BackupError,
    BackupService,
    StagedFile,
)
from caregiver_app.ui import messages
from caregiver_app.ui.background import run_in_background
from caregiver_app.ui.backups.restore_dialog import RestoreDialog

#: What the status bar says when the person cancelled while the file was checked.
CANCELLED = "Restore cancelled: nothing was changed."


def restore_backup(parent: QWidget, backups: BackupService, *,
                   show_message: Callable[[str], None]) -> Operation | None:
    """Ask which backup, ask to confirm, then check and stage it on a worker thread and
    put it in place. Returns the started ``Operation`` (its value: the ``StagedFile``),
    None when the person chose nothing or said no."""
    path = RestoreDialog.ask(backups.backups(), backups.describe_file, parent)
    if path is None:
        return None
    if not messages.confirm(
        parent, "Restore this backup?",
        "Every record in the app will be replaced by the backup's records. Your current "
        "records are saved first as a backup marked “Before a restore”.",
        yes="Restore", destructive=True,
    ):
        return None
    return check_and_restore(parent, backups, path, show_message=show_message)


def check_and_restore(parent: QWidget, backups: BackupService, path: Path, *,
                      show_message: Callable[[str], None]) -> Operation:
    """The chosen and confirmed ``path``: its check and copy on a worker thread, then
    (unless cancelled) the swap on the GUI thread."""
    started: list[Operation] = []

    def work(progress: Progress) -> StagedFile:
        def step(part: str) -> None:  # a busy bar: SQLite says nothing of how far
            progress.check()
            if part == "check":
                progress.report(0, 0, f"Checking {path.name} page by page (step 1 of 2)…")
            else:
                progress.report(0, 0, f"Copying {path.name} beside your records "
                                      "(step 2 of 2)…")

        staged = backups.stage(path, step=step)
        if progress.cancelled:  # cancelled during the copy: never put in place
            backups.discard(staged)
            progress.check()
        return staged

    def done(staged: object) -> None:
        assert isinstance(staged, StagedFile)
        if started and started[0].cancel_requested:  # Cancel came as the copy ended
            backups.discard(staged)
            show_message(CANCELLED)
            return
        try:
            backups.put_in_place(staged)  # the app reopens the records and says how
        except BackupError as exc:  # nothing was closed
            messages.warn(parent, NOT_RESTORED, str(exc))

    def failed(exc: BaseException) -> str | None:
        return str(exc) if isinstance(exc, BackupError) else None

    operation = run_in_background(
        parent, work, title="Restore from a backup", text=f"Checking {path.name}…",
        done=done, failed=failed, failed_title=NOT_RESTORED,
        cancelled=lambda: show_message(CANCELLED), cancel_name="Cancel the restore")
    started.append(operation)
    return operation
