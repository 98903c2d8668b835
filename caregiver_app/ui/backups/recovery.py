"""What the app shows when its records file cannot be opened at start-up."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from caregiver_app.services.backups import BackupInfo


class RecoveryChoice(Enum):
    RESTORE_NEWEST = "restore_newest"
    CHOOSE = "choose"
    START_EMPTY = "start_empty"
    QUIT = "quit"


#: What is kept beside the new records, by ``DatabaseDamaged.kind``.
_KEPT = {
    "folder": "the folder is kept as it is beside it, renamed \u201c{name}.folder-\u2026\u201d",
    "other-program": ("the other program's file is kept as it is beside it, renamed "
                      "\u201c{name}.other-program-\u2026\u201d, and the new records go "
                      "in a new file"),
    "empty": "the empty file is kept beside it, renamed \u201c{name}.empty-\u2026\u201d",
}


def ask_recovery(reason: str, database: Path, newest: BackupInfo | None,
                 parent: QWidget | None = None, kind: str = "damaged") -> RecoveryChoice:
    """``kind``: what is wrong (``DatabaseDamaged.kind``), for what is said about
    keeping it."""
    box = QMessageBox(QMessageBox.Icon.Warning, "The records could not be opened", "",
                      parent=parent)
    kept = _KEPT.get(kind, "the damaged file is kept beside it (its name ends in "
                           "\u201cdamaged\u201d)").format(name=database.name)
    text = (
        f"The app's records file {reason}.\n\n{database}\n\n"
        f"Nothing has been changed. If you restore a backup or start again, {kept}, so "
        "nothing is thrown away."
    )
    buttons: dict[object, RecoveryChoice] = {}
    if newest is not None:
        when = newest.describe_made_at(long=True)
        text += f"\n\nThe newest good backup is from {when} ({newest.describe_counts()})."
        restore = box.addButton("&Restore that backup", QMessageBox.ButtonRole.AcceptRole)
        buttons[restore] = RecoveryChoice.RESTORE_NEWEST
        box.setDefaultButton(restore)
    else:
        text += "\n\nNo backup was found in the data folder."
    buttons[box.addButton("&Choose a backup file…", QMessageBox.ButtonRole.ActionRole)] = \
        RecoveryChoice.CHOOSE
    start = ("Start &fresh in a new file" if kind == "other-program"
             else "Start with &empty records")
    buttons[box.addButton(start, QMessageBox.ButtonRole.DestructiveRole)] = \
        RecoveryChoice.START_EMPTY
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    buttons[quit_button] = RecoveryChoice.QUIT
    box.setEscapeButton(quit_button)
    box.setText(text)
    box.exec()
    return buttons.get(box.clickedButton(), RecoveryChoice.QUIT)
