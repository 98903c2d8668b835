"""The phones' notes where the caregiver looks: a line on the Today tab, a button in the
status bar and File ▸ Notes from the phones…, which lists them and marks them seen.

What came in from the family's phones that the app could not simply record ("Also
ticked on Ana's iPhone at 08:12", a task un-ticked on a phone, a conflict) is kept by
the sync (``services.sharing.notes.PhoneNotes``). An un-ticked task or a conflict asks a
person to check the dose record: the Today line says so in a warning colour until the
notes are marked seen or the dose is recorded again in the app (a correction settles its
note), and the list's "Show the dose in Today" goes to the dose, where Correct this
record… is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.localtime import to_utc, weekday_date
from caregiver_app.domain.phone_notes import PhoneNoteLine, asking_first
from caregiver_app.services.sharing.notes import PhoneNotes
from caregiver_app.ui.columns import keep_fitted
from caregiver_app.ui.form_dialog import FormDialog
from caregiver_app.ui.screen_fit import resize_within_screen
from caregiver_app.ui.table_model import RecordTableModel, TableColumn
from caregiver_app.ui.tones import Pair, keep_styled, pair

#: Notes written out on the Today line; more are counted.
TODAY_LINES = 3
#: The Today line's colours in a light theme (``tones.pair`` gives the dark theme's): a
#: record to check (as the banner's unrecorded doses), or only news.
CHECK_STYLE = Pair("#f7c6c6", "#1f1400")
NEWS_STYLE = Pair("#dbe7f7", "#1f1400")


def _style(widget: QWidget, light: Pair) -> None:
    name = widget.objectName()
    keep_styled(widget, lambda: "#{0} {{ background: {1}; border-radius: 4px; }} "
                "#{0} QLabel {{ color: {2}; }}".format(name, *pair(light)))


def count_words(count: int) -> str:
    """"1 note from the phones", "3 notes from the phones"."""
    return f"{count} note{'' if count == 1 else 's'} from the phones"


class PhoneNotesModel(RecordTableModel):
    HEADERS = ("Came in", "Dose", "What happened", "Seen")
    NOTED, DOSE, MESSAGE, SEEN = range(4)

    def __init__(self, zone: Callable[[], ZoneInfo], parent=None):
        self._zone = zone
        texts: list[Callable[[PhoneNoteLine], str]] = [
            self._noted, lambda line: ("Care team" if line.about_a_contact
                                       else line.dose or "(not known)"),
            lambda line: f"⚑ {line.message}" if line.needs_a_person else line.message,
            lambda line: line.state_words]
        super().__init__([TableColumn(title, text, roles={
            Qt.ItemDataRole.FontRole: self._bold_when_new})
            for title, text in zip(self.HEADERS, texts, strict=True)], parent=parent)

    def _noted(self, line: PhoneNoteLine) -> str:
        local = to_utc(line.noted_at).astimezone(self._zone())
        return f"{weekday_date(local)} {local:%H:%M}"

    @staticmethod
    def _bold_when_new(line: PhoneNoteLine):
        if not line.is_new:
            return None
        from PySide6.QtGui import QFont

        font = QFont()
        font.setBold(True)
        return font


class PhoneNotesDialog(FormDialog):
    """File ▸ Notes from the phones…: every note, newest first; the new ones in bold
    until a person marks them seen."""

    show_dose_requested = Signal(int, str)
    """Show this dose on the Today tab: ``(medicine_id, occurrence_key)``."""

    def __init__(self, notes: PhoneNotes, *, zone: Callable[[], ZoneInfo],
                 contacts: Any = None, settled: Callable[[], None] | None = None,
                 parent: QWidget | None = None):
        """``contacts``: the address book's ``CardSync`` (Settle contacts… is offered
        while a contact waits for a person); ``settled``: called after each contact is
        settled (the window syncs soon after)."""
        super().__init__(parent)
        self._notes = notes
        self._contacts = contacts
        self._settled = settled or (lambda: None)
        self._waiting: list[str] = []
        self.setWindowTitle("Notes from the phones")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "What the family's phones did that the app did not simply record. A phone "
            "never changes or removes a dose record: when a note asks you to check a "
            "record, show the dose in Today and correct it there if it is wrong. A "
            "correction settles the note: it goes from this list by itself.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.seen_box = QCheckBox("Show the notes already &seen or settled too")
        self.seen_box.setAccessibleName("Show the notes already seen or settled too")
        self.seen_box.toggled.connect(self.reload)
        layout.addWidget(self.seen_box)
        self.model = PhoneNotesModel(zone, self)
        self.view = QTableView()
        self.view.setAccessibleName("Notes from the phones")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTabKeyNavigation(False)
        keep_fitted(self.view, stretch=PhoneNotesModel.MESSAGE)
        layout.addWidget(self.view, 1)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of notes")
        layout.addWidget(self.count_label)

        buttons = QDialogButtonBox()
        self.show_button = QPushButton("Show the dose in &Today")
        self.show_button.setAccessibleName("Show the dose in Today")
        self.show_button.clicked.connect(self._show_dose)
        self.seen_button = QPushButton("&Mark these as seen")
        self.seen_button.setAccessibleName("Mark these as seen")
        self.seen_button.clicked.connect(self._mark_seen)
        self.settle_button = QPushButton()
        self.settle_button.setToolTip("A contact of the care team was changed here and on "
                                      "a phone, or deleted on one side: see both and "
                                      "choose")
        self.settle_button.clicked.connect(self._settle_contacts)
        self.settle_button.hide()
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close the notes")
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.settle_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.seen_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.reload()
        em = self.fontMetrics().averageCharWidth()
        width, height = em * 130, self.fontMetrics().height() * 30
        resize_within_screen(self, width, height)

    def is_changed(self) -> bool:
        """Nothing typed here: closing never asks."""
        return False

    def reload(self, *_ignored: object) -> None:
        self._waiting = self._contacts.waiting_uids() if self._contacts is not None else []
        lines = self._notes.lines(unseen_only=not self.seen_box.isChecked())
        self.model.set_records(lines)
        new = sum(1 for line in lines if line.is_new)
        if not lines:
            self.count_label.setText("No new notes from the phones." if
                                     not self.seen_box.isChecked() else
                                     "No notes from the phones.")
        else:
            self.count_label.setText(f"{len(lines)} shown, {new} new.")
        self.seen_button.setEnabled(new > 0)
        if lines:
            self.view.selectRow(0)
        self._update_buttons()

    def _selected(self) -> PhoneNoteLine | None:
        index = self.view.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _update_buttons(self, *_ignored: object) -> None:
        line = self._selected()
        self.show_button.setEnabled(bool(line and line.medicine_id is not None
                                         and line.occurrence_key))
        # Settle contacts…: for the contact the selected note is about, else for all
        if line is not None and line.about_a_contact and line.uid in self._waiting:
            text, name = "Settle this co&ntact…", "Settle this contact"
        else:
            count = len(self._waiting)
            text, name = f"Settle co&ntacts ({count})…", f"Settle contacts ({count})"
        self.settle_button.setText(text)
        self.settle_button.setAccessibleName(name)
        self.settle_button.setVisible(bool(self._waiting))

    def _settle_contacts(self) -> None:
        from caregiver_app.ui.sharing_contacts_dialog import settle_contacts

        line = self._selected()
        first = line.uid if line is not None and line.about_a_contact else ""
        settle_contacts(self._contacts, self._notes, settled=self._settled, first=first,
                        parent=self)
        self.reload()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _mark_seen(self) -> None:
        self._notes.mark_seen(line.id for line in self.model.records() if line.is_new)
        self.reload()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_dose(self) -> None:
        line = self._selected()
        if line is None or line.medicine_id is None:
            return
        self.accept()
        self.show_dose_requested.emit(line.medicine_id, line.occurrence_key)


class PhoneNotesLine(QFrame):
    """The Today tab's line: the newest unseen notes, in a warning colour when one asks
    a person to check a record (an un-ticked task, a conflict); hidden when none."""

    open_requested = Signal()

    def __init__(self, notes: PhoneNotes, parent: QWidget | None = None):
        super().__init__(parent)
        self._notes = notes
        self.setObjectName("PhoneNotesLine")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Notes from the phones")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAccessibleName("Notes from the phones")
        row.addWidget(self.label, 1)
        self.open_button = QPushButton("See the phones' &notes…")
        self.open_button.setAccessibleName("See the phones' notes")
        self.open_button.clicked.connect(self.open_requested)
        row.addWidget(self.open_button)
        self.needs_a_person = False
        self.hide()

    def refresh(self, *_ignored: object) -> None:
        lines = self._notes.lines()
        if not lines:
            self.needs_a_person = False
            self.hide()
            return
        self.needs_a_person = any(line.needs_a_person for line in lines)
        head = ("⚑ From the phones, to check:" if self.needs_a_person
                else "From the phones:")
        # those that ask a person first: a note that only tells never hides one
        shown = [line.one_line() for line in asking_first(lines)[:TODAY_LINES]]
        more = len(lines) - len(shown)
        if more:
            shown.append(f"and {more} more.")
        self.label.setText("\n".join([head, *shown]))
        _style(self, CHECK_STYLE if self.needs_a_person else NEWS_STYLE)
        self.show()


class PhoneNotesButton(QToolButton):
    """The status bar's "2 notes from the phones" (hidden when there are none)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setToolTip("What the family's phones did that a person should see "
                        "(File ▸ Notes from the phones…)")
        self.hide()

    def set_count(self, count: int) -> None:
        text = count_words(count)
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(count > 0)


__all__ = ["PhoneNotesButton", "PhoneNotesDialog", "PhoneNotesLine", "PhoneNotesModel",
           "count_words"]
