"""ui.saving_dialog: a form that saves itself on OK, keeps what was typed when the
domain refuses it, and asks before throwing typed work away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLineEdit

from caregiver_app.domain.errors import NotSaved, ValidationError
from caregiver_app.ui import messages
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog


class NoteDialog(SavingDialog):
    not_saved = "This note was not saved"

    def __init__(self, save, parent=None):
        super().__init__(parent)
        self._save = save
        form = QFormLayout(self)
        self.note = QLineEdit()
        box, label = with_error(self.note)
        self.errors.add("note", self.note, label)
        form.addRow("&Note:", box)
        general = ErrorLabel()
        self.errors.set_general(general)
        form.addRow(general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)

    def save_form(self) -> object:
        return self._save(self.note.text())


def _refuse_empty(text: str) -> str:
    if not text.strip():
        raise ValidationError({"note": "Write the note first."})
    return text.upper()


def test_a_refused_form_says_why_next_to_the_field_and_keeps_what_was_typed(qtbot):
    dialog = NoteDialog(_refuse_empty)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.note, "   ")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result_value() is None
    assert dialog.errors.message("note") == "Write the note first."
    assert dialog.note.text() == "   " and dialog.focusWidget() is dialog.note
    qtbot.keyClicks(dialog.note, "fed at 8")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result_value() == "   FED AT 8"


def test_a_full_disk_says_what_was_not_saved(qtbot):
    def full(text):
        raise NotSaved("the disk is full", "Free some space on it.")

    dialog = NoteDialog(full)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.note, "fed at 8")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.note.text() == "fed at 8"
    assert dialog.errors.message("_general") == (
        "This note was not saved, because the disk is full. Free some space on it.")


def test_escape_asks_before_throwing_typed_work_away(qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(messages, "confirm_discard", lambda parent: asked.append(1) or False)
    dialog = NoteDialog(_refuse_empty)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.note, "half a note")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)
    assert asked == [1] and dialog.isVisible() and dialog.note.text() == "half a note"


def test_a_no_at_a_confirmation_keeps_the_dialog_open_with_nothing_saved(qtbot):
    from caregiver_app.ui.saving_dialog import STAY_OPEN

    saved, answers = [], [False, True]

    def save(text):  # asks "Are you sure?" first, as stopping a medicine does
        if not answers.pop(0):
            return STAY_OPEN
        saved.append(text)
        return text

    dialog = NoteDialog(save)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.note, "stopped by the neurologist")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and saved == [] and dialog.result_value() is None
    assert dialog.note.text() == "stopped by the neurologist"
    assert dialog.try_accept()  # OK again: "yes" this time
    assert not dialog.isVisible() and saved == ["stopped by the neurologist"]


def test_messages_are_cleared_once_saved(qtbot):
    dialog = NoteDialog(_refuse_empty)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.try_accept()
    assert dialog.errors.message("note")
    qtbot.keyClicks(dialog.note, "fed at 8")
    assert dialog.try_accept()
    assert dialog.errors.message("note") == ""
