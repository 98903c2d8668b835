"""ui.saving_dialog: a form that saves itself on OK, keeps what was typed when the
domain refuses it, and asks before throwing typed work away."""

from __future__ import annotations

from gui_paths import Answers
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

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


# ---- A dialog asked is deleted once closed (its parent keeps nothing)


class _Asker(QWidget):
    """A window whose button asks for a note, as a tab's buttons ask their dialogs."""

    def __init__(self, save):
        super().__init__()
        self.answers: list[object] = []
        self.button = QPushButton("Add a &note…", self)
        self.button.clicked.connect(
            lambda: self.answers.append(NoteDialog.ask(save, parent=self)))


def test_a_dialog_asked_is_deleted_once_closed_and_its_answer_kept(qtbot, monkeypatch):
    answers = Answers(qtbot, monkeypatch)
    window = _Asker(_refuse_empty)
    qtbot.addWidget(window)
    window.show()
    gone: list[str] = []

    def typed(dialog) -> None:  # the person types a note, then OK
        dialog.destroyed.connect(lambda *_: gone.append("OK"))
        qtbot.keyClicks(dialog.note, "fed at 8")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    def cancelled(dialog) -> None:
        dialog.destroyed.connect(lambda *_: gone.append("Cancel"))
        qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)

    answers.then(typed, cancelled)
    qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    assert window.answers == ["FED AT 8", None] and answers.seen == ["NoteDialog"] * 2
    qtbot.waitUntil(lambda: gone == ["OK", "Cancel"])  # (at the event loop's next turn)
    assert window.findChildren(NoteDialog) == []


def test_the_contacts_import_preview_leaves_nothing_behind(ctx, main_window, qtbot,
                                                           monkeypatch, tmp_path):
    from caregiver_app.ui.careteam.import_dialog import VCardImportDialog

    cards = tmp_path / "phone.vcf"
    cards.write_text("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL;TYPE=CELL:+1312555{n:04d}\r\n"
        "END:VCARD\r\n" for n, name in enumerate(("Ana Souza", "Ben Okafor", "Jae Kim"))),
        encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",  # the person picks the file
                        staticmethod(lambda *a, **k: (str(cards), "vCard files")))
    answers = Answers(qtbot, monkeypatch)
    tab = main_window.show_tab("care_team")
    tab.ensure_loaded()

    def import_them(dialog) -> None:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    for answer in (import_them, "Cancel"):  # (the second time, nothing new to import)
        answers.then(answer)
        with qtbot.waitSignal(tab.import_finished, timeout=20_000) as finished:
            qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.findChildren(VCardImportDialog) == [])
        if answer is import_them:
            assert finished.args[0] is not None and finished.args[0].added == 3
    assert answers.seen == ["Import contacts"] * 2
