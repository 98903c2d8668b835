"""The note beside the open Learn article: loaded in its own document (so Ctrl+Z brings
back what was deleted or typed over, for every article, until the app is closed) and
saved through the ``Learn`` service a moment after typing stops, on leaving the note,
on hiding the tab and before another article opens.

Moved out of ``LearnTab``; the sentences under the note come from
``domain.learn_notes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

from caregiver_app.domain import learn_notes
from caregiver_app.domain.errors import ValidationError
from caregiver_app.ui.desktop import shortcut_text
from caregiver_app.ui.forms import errors_of
from caregiver_app.ui.tones import Tone, keep_styled, keep_toned

if TYPE_CHECKING:
    from caregiver_app.ui.learn.tab import LearnTab

NOTE_SAVE_DELAY_MS = 800


class NoteKeeper(QObject):
    """Loads and saves the note of the article the tab shows (its ``notes_edit`` and
    ``notes_status`` widgets)."""

    def __init__(self, tab: LearnTab):
        super().__init__(tab)
        self._tab = tab
        self.article: str | None = None
        """The article whose note is in the editor (None while it is replaced)."""
        self._docs: dict[str, QTextDocument] = {}
        """Each article's note as edited this session, with its own undo history."""
        self._unsaved: set[str] = set()  # typed, but the disk refused them
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(NOTE_SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)

    @Slot()
    def save(self) -> None:
        """Store the note being edited now (also done a moment after typing stops)."""
        self.timer.stop()
        article_id = self.article
        if article_id is None:
            return
        tab = self._tab
        text = tab.notes_edit.toPlainText()
        before = tab._learn.note(article_id)
        try:
            changed = tab._learn.save_note(article_id, text, by=tab._caregiver_id())
        except ValidationError as exc:  # a full disk: the text stays here, unsaved
            self._unsaved.add(article_id)
            keep_toned(tab.notes_status, Tone.ERROR)
            tab.notes_status.setText("⚠ " + " ".join(errors_of(
                exc, "This note was not saved").values())
                + " The note is saved as soon as you type in it again.")
            return
        self._unsaved.discard(article_id)
        keep_styled(tab.notes_status, str)
        if changed:
            tab.article_model.set_has_note(article_id, bool(text.strip()))
            lost = learn_notes.after_saving(before, text,
                                            undo_keys=shortcut_text('Ctrl+Z'))
            if lost is not None:  # cleared, or typed over: say how to get it back
                tab.notes_status.setText(lost)
                return
        tab.notes_status.setText(self.state_text())

    def load(self, article_id: str) -> None:
        """Show the article's note in its own document: what was typed in it earlier in
        this session, deletions included, can still be undone (Ctrl+Z)."""
        tab = self._tab
        self.article = None  # no saving while the text is replaced
        saved = tab._learn.note(article_id)
        doc = self._docs.get(article_id)
        if doc is None or (learn_notes.stored_note(doc.toPlainText()) != saved
                           and article_id not in self._unsaved):
            doc = QTextDocument(self)
            doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
            doc.setPlainText(saved)  # starts with no undo history
            self._docs[article_id] = doc
        tab.notes_edit.setDocument(doc)  # (takes the editor's font)
        self.article = article_id
        tab.notes_status.setText(self.state_text())

    def state_text(self) -> str:
        edit = self._tab.notes_edit
        return learn_notes.note_state(edit.toPlainText(),
                                      can_undo=edit.document().isUndoAvailable(),
                                      undo_keys=shortcut_text('Ctrl+Z'))

    @Slot()
    def on_edited(self) -> None:
        if self.article is not None:
            self._tab.notes_status.setText("Not saved yet…")
            self.timer.start()
