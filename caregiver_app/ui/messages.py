"""Every message box goes through here, so tests can patch one place.

Qt's message box class is imported by each function, when a message is first shown:
PySide makes a Qt class, with its enum types, the first time a module names it, and
modules the window's start loads import this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def confirm(parent: QWidget | None, title: str, text: str, *, yes: str = "Yes",
            no: str = "Cancel", destructive: bool = False) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
                      title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button if destructive else yes_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def inform(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


def confirm_discard(parent: QWidget | None) -> bool:
    """"Discard your changes?" for a form closed with typed work in it. True: discard.
    The safe answer (keep editing) is the default and what Escape gives."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "Discard your changes?",
                      "What you typed in this window has not been saved.", parent=parent)
    box.setInformativeText("Keep editing to go back to it, or discard it and close.")
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    discard = box.addButton("&Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    discard.setAccessibleName("Discard the changes and close")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard
