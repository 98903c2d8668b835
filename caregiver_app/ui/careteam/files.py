"""The Care team tab's files: importing a vCard file (read on a worker thread, then
the preview, then saved) and exporting contacts to one. Moved out of ``CareTeamTab``,
which keeps its public methods and calls these."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from caregiver_app.domain.errors import NotSaved
from caregiver_app.services.background import Operation
from caregiver_app.services.careteam import CareTeam
from caregiver_app.ui import messages
from caregiver_app.ui.background import ProgressDialog, run_in_background
from caregiver_app.ui.careteam.import_worker import PlannedImport

if TYPE_CHECKING:
    from caregiver_app.ui.careteam.tab import CareTeamTab

#: A file read faster than this shows no progress dialog.
PROGRESS_DELAY_MS = 300


class ContactFiles:
    """Import and export of the care team's vCard files, for ``tab``."""

    def __init__(self, careteam: CareTeam, tab: CareTeamTab):
        self._careteam = careteam
        self._tab = tab
        self._reading: Operation | None = None  # the file being read, if any

    def import_vcard(self, path: Path | str | None = None) -> bool:
        from caregiver_app.ui.careteam.import_worker import read_and_plan, reading_text

        self._tab.ensure_loaded()
        if self._reading is not None:  # one file at a time
            progress = self.import_progress
            if progress is not None and progress.isHidden():
                progress.show()
            return False
        if path is None:
            path = self._tab._ask_open_path()
            if not path:
                return False
        path = Path(path)
        # SQLite stays on this thread: the worker gets the team as plain values.
        region, existing, name = self._careteam.region, self._careteam.contacts(), path.name
        operation = run_in_background(
            self._tab, lambda progress: read_and_plan(path, region=region, existing=existing,
                                                 progress=progress),
            title="Import contacts", text=f"Reading {name}…",
            progress_text=lambda done, total: reading_text(name, done, total),
            done=self._on_read, failed=self._read_failed, cancelled=self._read_cancelled,
            failed_title="This file cannot be imported", cancel_name="Cancel the import",
            delay_ms=PROGRESS_DELAY_MS)
        operation.finished.connect(self._read_ended)
        self._tab.destroyed.connect(operation.cancel)
        self._reading = operation
        self._tab.import_button.setEnabled(False)
        return True

    @property
    def import_progress(self) -> ProgressDialog | None:
        return self._reading.progress_dialog if self._reading is not None else None

    def is_importing(self) -> bool:
        return self._reading is not None

    def export_contacts(self, contact_ids: Sequence[int] | None = None,
                        path: Path | str | None = None) -> Path | None:
        from caregiver_app.services.vcard import export_vcard_file, suggested_file_name

        if contact_ids is None:
            contacts = self._careteam.contacts()
        else:
            contacts = [c for c in (self._careteam.contact(i) for i in contact_ids) if c]
        if not contacts:
            self._tab.notice.show_message("There is no one to export yet.")
            return None
        if path is None:
            path = self._tab._ask_save_path(suggested_file_name(contacts))
            if not path:
                return None
        path = Path(path)
        if path.suffix.lower() != ".vcf":
            path = path.with_name(path.name + ".vcf")
        try:
            export_vcard_file(path, contacts)
        except OSError as exc:
            messages.warn(self._tab, "The file was not saved",
                          f"{path} could not be written: {exc.strerror or exc}.")
            return None
        count = f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''}"
        self._tab.notice.show_message(f"Saved {count} to {path}.")
        return path

    def _read_failed(self, exc: BaseException) -> str | None:
        """The file was refused (the message says why), or a bug (None: raised again)."""
        from caregiver_app.ui.careteam.import_worker import FileRefused

        self._read_ended()
        self._tab.import_finished.emit(None)
        return str(exc) if isinstance(exc, FileRefused) else None

    def _read_cancelled(self) -> None:
        self._read_ended()
        self._tab.notice.show_message("Import cancelled: nothing was saved.")
        self._tab.import_finished.emit(None)

    def _read_ended(self, *_args) -> None:
        operation, self._reading = self._reading, None
        if operation is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._tab.destroyed.disconnect(operation.cancel)
        if self._tab.is_loaded():
            self._tab.import_button.setEnabled(True)

    def _on_read(self, planned: PlannedImport) -> None:
        """The file was read: the preview opens, then what was chosen is saved."""
        from caregiver_app.services.vcard import ImportBlocked
        from caregiver_app.ui.careteam.import_dialog import VCardImportDialog

        self._read_ended()
        rows = VCardImportDialog.ask(planned.cards, existing=self._careteam.contacts(),
                                     region=self._careteam.region,
                                     file_name=planned.path.name, rows=planned.rows,
                                     parent=self._tab)
        if rows is None:
            self._tab.import_finished.emit(None)
            return
        try:
            result = self._careteam.import_rows(rows)
        except NotSaved as exc:
            messages.warn(self._tab, "The contacts were not imported",
                          exc.sentence("The contacts were not imported") + " Nothing was "
                          "saved: import the file again then.")
            self._tab.import_finished.emit(None)
            return
        except (ImportBlocked, ValueError) as exc:
            messages.warn(self._tab, "The contacts were not imported",
                          f"{exc}\n\nNothing was saved. Import the file again and fix or skip "
                          "that card in the preview.")
            self._tab.import_finished.emit(None)
            return
        self._tab.notice.show_message(result.summary())
        self._tab.import_finished.emit(result)
