"""Export and import of every record, for the File menu and the command line."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from caregiver_app import __version__
from caregiver_app.paths import ensure_private_dir
from caregiver_app.services.backups import BackupService, ReplaceOutcome
from caregiver_app.services.clock import Clock
from caregiver_app.storage import transfer
from caregiver_app.storage.db import second_connection
from caregiver_app.storage.transfer import TransferError

__all__ = ["PreparedImport", "TransferError", "TransferService", "describe_counts",
           "prepare_import"]

log = logging.getLogger(__name__)

#: What the import confirmation counts, in this order: (table, one, many).
SUMMARY = (
    ("patient", "patient profile", "patient profiles"),
    ("caregivers", "caregiver", "caregivers"),
    ("medicines", "medicine", "medicines"),
    ("dose_entries", "dose record", "dose records"),
    ("contacts", "care-team contact", "care-team contacts"),
    ("appointments", "appointment", "appointments"),
)

if TYPE_CHECKING:
    from sqlite_utils import Database


def describe_counts(counts: dict[str, int]) -> str:
    """"3 caregivers, 12 medicines, 3,400 dose records, …" (the main tables only)."""
    parts = []
    for table, one, many in SUMMARY:
        n = counts.get(table, 0)
        parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts)


def prepare_import(path: Path, workdir: Path) -> tuple[Path, dict[str, int]]:
    """Check the file at ``path`` and build the database it describes in ``workdir``.

    Returns the built file and its record counts; raises TransferError.
    """
    doc = transfer.read_document(path)
    built = workdir / "import.sqlite3"
    counts = transfer.build_database(doc, built)
    return built, counts


@dataclass
class PreparedImport:
    """A file that passed every check, built as a database and waiting to be put in place.

    Use as a context manager (or call ``close``): the built file is then deleted."""

    source: Path
    built: Path
    counts: dict[str, int]
    _workdir: tempfile.TemporaryDirectory = field(repr=False)

    def close(self) -> None:
        self._workdir.cleanup()

    def __enter__(self) -> PreparedImport:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class TransferService:
    def __init__(self, db: Database, backups: BackupService, clock: Clock, *,
                 workdir: Path | None = None):
        """``workdir``: where an import builds its records (the data folder's
        ``importing``: private, and emptied at the next start if the app is killed)."""
        self._db = db
        self._backups = backups
        self._clock = clock
        self._workdir = workdir

    def export_to(self, path: Path, *,
                  before_done: Callable[[], None] | None = None) -> dict[str, int]:
        """Every record to ``path`` (read through a connection of its own: safe on a
        worker thread). ``before_done()`` runs once the file is written, before it takes
        ``path``'s place; what it raises (a cancel) leaves no file. Raises OSError."""
        with second_connection(self._db) as db:
            counts = transfer.export_to_file(db, path, app_version=__version__,
                                             now=self._clock.now(), before_done=before_done)
        log.info("exported %d records", sum(counts.values()))
        return counts

    def current_counts(self) -> dict[str, int]:
        """Records per table in the app now (to compare with a file before importing)."""
        return {t: self._db.table(t).count for t in transfer.data_tables(self._db)}

    def prepare(self, path: Path) -> PreparedImport:
        """Check the whole file and build its database; nothing in the app changes.

        Raises TransferError naming each problem (table, record, field).
        """
        parent = None
        if self._workdir is not None:
            parent = str(ensure_private_dir(self._workdir))
        workdir = tempfile.TemporaryDirectory(prefix="import-", dir=parent)
        try:
            built, counts = prepare_import(path, Path(workdir.name))
        except BaseException:
            workdir.cleanup()
            raise
        return PreparedImport(path, built, counts, workdir)

    def apply(self, prepared: PreparedImport) -> ReplaceOutcome:
        """Replace every record with the prepared file's; the current ones are kept as a
        backup. Raises BackupError if nothing was touched; otherwise the database was
        released (``database_replaced``) and the outcome says what happened."""
        total = sum(prepared.counts.values())
        outcome = self._backups.replace_with(
            prepared.built, done=f"Imported {total:,} records from {prepared.source.name}.",
            failed_title="Not imported")
        if outcome.ok:
            log.info("imported %d records", total)
        return outcome
