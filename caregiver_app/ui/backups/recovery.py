"""What the app shows when its records file cannot be opened at start-up."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from caregiver_app.storage.backup import BackupInfo


class RecoveryChoice(Enum):
    RESTORE_NEWEST = "restore_newest"
    CHOOSE = "choose"
    START_EMPTY = "start_empty"
    QUIT = "quit"


def ask_recovery(reason: str, database: Path, newest: BackupInfo | None,
                 parent: QWidget | None = None) -> RecoveryChoice:
    box = QMessageBox(QMessageBox.Icon.Warning, "The records could not be opened", "",
                      parent=parent)
    text = (
        f"The app's records file {reason}.\n\n{database}\n\n"
        "Nothing has been changed. If you restore a backup or start again, the damaged file "
        "is kept beside it (its name ends in \u201cdamaged\u201d) so nothing is thrown away."
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
    buttons[box.addButton("Start with &empty records", QMessageBox.ButtonRole.DestructiveRole)] = \
        RecoveryChoice.START_EMPTY
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    buttons[quit_button] = RecoveryChoice.QUIT
    box.setEscapeButton(quit_button)
    box.setText(text)
    box.exec()
    return buttons.get(box.clickedButton(), RecoveryChoice.QUIT)
