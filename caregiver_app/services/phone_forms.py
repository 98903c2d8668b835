"""The care team's numbers' kept forms made again after a phonenumbers upgrade.

Each stored number keeps how it is shown (``domain.phones.phone_forms``), written by the
phonenumbers version of the time; they are used only while that version is the one
installed (``phones.rules_version``), so sheets print as they would formatted live.
After an upgrade every number not saved since would be formatted through phonenumbers
again at every print and every care-team display, for good. ``refresh_stale_forms``
makes them anew once: called once the window is up (never on the start path), it asks
the records with one query on the GUI thread and, only when some are stale, works the
forms out and writes them on a worker thread, over a connection of its own.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from caregiver_app.domain.phones import Phone, PhoneKind, rules_version
from caregiver_app.storage.careteam_repo import (
    keep_phone_forms,
    phone_form_columns,
    stale_phone_forms,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from caregiver_app.services.background import Operation, Progress

log = logging.getLogger(__name__)


def refresh_stale_forms(db: Database) -> Operation | None:
    """Start making the forms of the numbers whose kept forms another phonenumbers
    version wrote; the ``Operation`` (its value: how many rows were written), or None
    when none is stale (nothing is started) or the records are read-only. A failure
    (the disk full, the file busy) is logged: the numbers are then still shown right,
    through phonenumbers, and the next start tries again."""
    from caregiver_app.storage.db import is_read_only

    rules = rules_version()
    if not rules or is_read_only(db) or not stale_phone_forms(db, rules, limit=1):
        return None
    from caregiver_app.services.background import Operation
    from caregiver_app.storage.db import second_connection

    def work(_progress: Progress) -> int:
        with second_connection(db) as own:
            stale = stale_phone_forms(own, rules)
            made = [(row_id, number, extension,
                     phone_form_columns(Phone(PhoneKind.OTHER, number, extension)))
                    for row_id, number, extension in stale]
            return keep_phone_forms(own, made)

    def finished(outcome) -> None:
        _running.discard(operation)
        if outcome.ok:
            log.info("phone forms made again for phonenumbers %s: %d", rules, outcome.value)
        else:
            log.warning("phone forms not made again: %s", type(outcome.error).__name__)

    operation = Operation(work, name="phone forms")
    operation.finished.connect(finished)
    _running.add(operation)  # (kept until it has finished, whoever holds it)
    operation.start()
    return operation


_running: set[Operation] = set()
