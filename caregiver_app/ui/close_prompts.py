"""The questions asked before closing or quitting stops the reminders.

"Reminders stop when the app is closed. Minimise it instead?" (closing the window with
no tray to stay in) and "Quit? Dose reminders stop until the app is started again"
(File ▸ Quit while reminders run). Each is a window-modal message box that does not
block: ``open_prompt`` shows it and calls back with the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from caregiver_app import APP_NAME
from caregiver_app.ui.desktop import DESKTOP


@dataclass(frozen=True)
class Prompt:
    """What one question says: its two choices besides Cancel, each (label, name)."""

    title: str
    text: str
    informative: str
    name: str
    keep: tuple[str, str]  # the default: the reminders keep coming
    end: tuple[str, str]  # the reminders stop


def closing() -> Prompt:
    """Closing the window when there is no tray to stay in."""
    return Prompt(
        f"Close {APP_NAME}?", "Reminders stop when the app is closed. Minimise it instead?",
        "Minimised, it keeps reminding you when doses are due. This computer has no icons "
        f"{DESKTOP.tray_place} for it to stay in.",
        "Reminders stop when the app is closed",
        ("&Minimise", "Minimise: reminders keep coming"),
        ("&Close anyway", "Close anyway: reminders stop"))


def quitting(tray: bool) -> Prompt:
    """File ▸ Quit while the reminders run (``tray``: there is a tray to stay in; where
    it is, "near the clock" or "in the menu bar", is ``ui.desktop``'s word)."""
    place = DESKTOP.tray_place
    return Prompt(
        f"Quit {APP_NAME}?", "Dose reminders stop until the app is started again.",
        f"Keep it running {place} to keep the reminders coming; its icon there opens the "
        "window again." if tray else
        "Minimise it instead to keep the reminders coming. This computer has no icons "
        f"{place} for it to stay in.",
        "Reminders stop when the app quits",
        (f"&Keep running {place}" if tray else "&Minimise instead",
         "Keep running: reminders keep coming"),
        ("&Quit", "Quit: reminders stop"))


def open_prompt(parent: QWidget, prompt: Prompt, *, answered: Callable[[], None],
                keep: Callable[[], None], end: Callable[[], None]) -> QMessageBox:
    """Show ``prompt`` (window-modal, not blocking); once it is answered, ``answered()``
    and then ``keep()`` or ``end()`` (nothing more for Cancel or Escape)."""
    box = QMessageBox(QMessageBox.Icon.Warning, prompt.title, prompt.text, parent=parent)
    box.setInformativeText(prompt.informative)
    box.setAccessibleName(prompt.name)
    keep_button = box.addButton(prompt.keep[0], QMessageBox.ButtonRole.AcceptRole)
    end_button = box.addButton(prompt.end[0], QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    keep_button.setAccessibleName(prompt.keep[1])
    end_button.setAccessibleName(prompt.end[1])
    cancel.setAccessibleName("Cancel: keep the window open")
    box.setDefaultButton(keep_button)
    box.setEscapeButton(cancel)
    box.setWindowModality(Qt.WindowModality.WindowModal)

    def finished(_result: int) -> None:
        clicked = box.clickedButton()
        answered()
        box.deleteLater()
        if clicked is keep_button:
            keep()
        elif clicked is end_button:
            end()

    box.finished.connect(finished)
    box.open()
    return box
