"""Export and import of every record, for the File menu and the command line."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from sqlite_utils import Database

from caregiver_app import __version__
from caregiver_app.services.backups import BackupService
from caregiver_app.services.clock import Clock
from caregiver_app.storage import transfer

log = logging.getLogger(__name__)


def prepare_import(path: Path, workdir: Path) -> tuple[Path, dict[str, int]]:
    """Check the file at ``path`` and build the database it describes in ``workdir``.

    Returns the built file and its record counts; raises TransferError.
    """
    doc = transfer.read_document(path)
    built = workdir / "import.sqlite3"
    counts = transfer.build_database(doc, built)
    return built, counts


class TransferService:
    def __init__(self, db: Database, backups: BackupService, clock: Clock):
        self._db = db
        self._backups = backups
        self._clock = clock

    def export_to(self, path: Path) -> dict[str, int]:
        counts = transfer.export_to_file(self._db, path, app_version=__version__,
                                         now=self._clock.now())
        log.info("exported %d records", sum(counts.values()))
        return counts

    def import_from(self, path: Path) -> dict[str, int]:
        """Replace every record with the file's; the current ones are kept as a backup.

        Nothing changes unless the whole file is valid. Emits the backup service's
        ``database_replaced`` on success.
        """
        with tempfile.TemporaryDirectory(prefix="caregiver-import-") as tmp:
            built, counts = prepare_import(path, Path(tmp))
            self._backups.restore(built)
        log.info("imported %d records", sum(counts.values()))
        return counts
