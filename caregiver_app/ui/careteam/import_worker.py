"""Reading a vCard file and planning its import, as work for a worker thread.

A phone's whole address book can hold tens of thousands of cards: reading them
takes seconds, so ``read_and_plan`` runs through ``ui.background.run_in_background``
while the tab shows a progress dialog with Cancel. It touches no widget and no
database: it is given the path, the phone region and the contacts already on the
team (read on the GUI thread), and returns a ``PlannedImport``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from caregiver_app.domain.contacts import Contact
from caregiver_app.services.background import Cancelled, Progress

#: What the progress dialog says while duplicates are looked for.
CHECKING = "Checking for contacts already on the care team…"


class FileRefused(Exception):
    """The file cannot be imported: the message says why, for the caregiver."""


@dataclass(frozen=True)
class PlannedImport:
    """What reading a file gave: its cards and their planned rows."""

    path: Path
    cards: list = field(default_factory=list)  # [ImportedCard]
    rows: list = field(default_factory=list)  # [ImportRow], from plan_import


def reading_text(file_name: str, done: int, total: int) -> str:
    """"Reading contacts.vcf: 1,200 of 34,699 cards…"."""
    return f"Reading {file_name}: {done:,} of {total:,} card{'s' if total != 1 else ''}…"


def read_and_plan(path: Path, *, region: str | None, existing: Sequence[Contact],
                  progress: Progress) -> PlannedImport:
    """Read ``path`` and plan the import against ``existing``. Raises ``FileRefused``
    (nothing was saved: the message says why) or ``Cancelled``."""
    from caregiver_app.services import vcard

    name = path.name
    try:
        cards = vcard.read_vcard_file(path, region=region, progress=progress.report,
                                      cancelled=lambda: progress.cancelled)
        progress.report(0, 0, CHECKING)
        rows = vcard.plan_import(cards, list(existing), cancelled=lambda: progress.cancelled)
    except vcard.ImportCancelled:
        raise Cancelled from None
    except vcard.VCardError as exc:
        raise FileRefused(f"{name} was not imported.\n\n{exc}\n\nNothing was saved.") from exc
    except OSError as exc:
        raise FileRefused(f"{name} could not be read: {exc.strerror or exc}.\n\n"
                          "Nothing was saved.") from exc
    progress.check()
    return PlannedImport(path, cards, rows)
