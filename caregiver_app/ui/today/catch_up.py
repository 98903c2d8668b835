""""While you were away": one list of the doses that fell due (or whose grace period
ended) while nobody was watching, asking what happened to each.

``CatchUpModel`` holds the answers (answer, time given, note, problem per dose; a table
model, so it can be checked and driven in tests). ``CatchUpDialog`` shows one row per
dose with large buttons, all reachable by keyboard (Tab, or the arrow keys within a
row): *Given at 08:00* (its due time), *Given at another time…* (a time field appears),
*Not given…* (a reason, and a note for "other") and *Still to give* (the default: it
stays on the Today tab). Its text follows the Today tab's size (large text included).
It is non-modal, takes more doses if another gap happens while it is open (one list,
never two), and records the answers through a ``save`` function, all answers of one
Save as one action (``one_action``: Undo then takes back that Save, every answer of it,
and nothing older). Every answer is checked before anything is saved; a row the book
still refuses (a dose recorded meanwhile on the Today tab, say) keeps its message and
stays in the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import datetime
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.catch_up import (
    ANSWER_TEXT,
    ANSWERS,
    GIVEN,
    LATER,
    NOT_GIVEN,
    Answer,
    check_answers,
)
from caregiver_app.domain.doses import DoseStatus
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc, weekday_date_time
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.ui.forms import errors_of
from caregiver_app.ui.saving_dialog import STAY_OPEN, SavingDialog
from caregiver_app.ui.screen_fit import screen_of
from caregiver_app.ui.table_model import RecordTableModel, TableColumn
from caregiver_app.ui.today.dialogs import set_wall, wall_of, wall_time_edit
from caregiver_app.ui.tones import Pair, Tone, ink, keep_styled, keep_toned, pair


class Col(IntEnum):
    DUE = 0
    MEDICINE = 1
    ANSWER = 2
    GIVEN_AT = 3
    NOTE = 4
    PROBLEM = 5


HEADERS = ("Was due", "Medicine", "What happened?", "Given at", "Note", "Problem")


class CatchUpModel(RecordTableModel):
    """One ``Answer`` per dose, in due order (``ui.table_model.RecordTableModel``): the
    answer and the note can be typed in, the time given when the answer is "given"."""

    def __init__(self, zone: ZoneInfo, parent: QObject | None = None):
        self._zone = zone
        super().__init__([
            TableColumn(HEADERS[Col.DUE], self._due),
            TableColumn(HEADERS[Col.MEDICINE], _medicine),
            TableColumn(HEADERS[Col.ANSWER], lambda a: ANSWER_TEXT[a.answer],
                        edit=lambda a: a.answer, set=_set_answer),
            TableColumn(HEADERS[Col.GIVEN_AT], self._given_at,
                        accessible=lambda a: self._given_at(a) or "not given",
                        edit=lambda a: a.given_at or a.status.occurrence.due,
                        set=_set_given_at, editable=lambda a: a.answer == GIVEN),
            TableColumn(HEADERS[Col.NOTE], lambda a: a.note, set=_set_note),
            TableColumn(HEADERS[Col.PROBLEM], lambda a: f"⚠ {a.problem}" if a.problem else "",
                        tooltip=lambda a: a.problem or None),
        ], parent=parent)

    # ---- Public API

    def add(self, statuses: Sequence[DoseStatus]) -> int:
        """Add doses not already listed, keeping the list in due order; returns how many."""
        known = {a.status.key for a in self.records()}
        new = [s for s in statuses if s.key not in known]
        if not new:
            return 0
        self.set_records(sorted([*self.records(), *(Answer(s) for s in new)],
                                key=lambda a: (a.status.occurrence.due,
                                               a.status.medicine.name)))
        return len(new)

    def answers(self) -> list[Answer]:
        return self.records()

    def set_answer(self, row: int, answer: Answer) -> None:
        self.set_record(row, answer)

    def remove(self, statuses: Sequence[DoseStatus]) -> None:
        keys = {s.key for s in statuses}
        self.set_records([a for a in self.records() if a.status.key not in keys])

    # ---- Private

    def _due(self, answer: Answer) -> str:
        return weekday_date_time(answer.status.occurrence.local.astimezone(self._zone))

    def _given_at(self, answer: Answer) -> str:
        if answer.answer != GIVEN:
            return ""
        at = answer.given_at or answer.status.occurrence.due
        return weekday_date_time(to_utc(at).astimezone(self._zone))


def _medicine(answer: Answer) -> str:
    occ = answer.status.occurrence
    strength = f" {occ.strength}" if occ.strength else ""
    return (f"{answer.status.medicine.generic_name}{strength}: "
            f"{occ.dose.describe()}, {occ.route.label}")


def _set_answer(answer: Answer, value: object) -> Answer | None:
    return replace(answer, answer=value, problem="") if value in ANSWER_TEXT else None


def _set_given_at(answer: Answer, value: object) -> Answer | None:
    if not isinstance(value, datetime):
        return None
    return replace(answer, given_at=to_utc(value), problem="")


def _set_note(answer: Answer, value: object) -> Answer | None:
    return replace(answer, note=value.strip(), problem="") if isinstance(value, str) else None


#: The buttons of one row: (mode, words). "due" is replaced by "Given at 08:00".
MODES = (("due", "✓  Given at {due}"), ("other", "Given at another time…"),
         ("not_given", "⊘  Not given…"), ("later", "Still to give"))
#: The chosen answer is filled (dark blue with white text; in a dark theme light blue
#: with dark text) and pressed in (screen readers hear "pressed"), the same width either
#: way, so nothing is cut off.
CHOSEN = Pair("#1f4f99", "#ffffff")
CHOSEN_DARK = Pair("#9cc2ff", "#0b1a33")


def row_style() -> str:
    chosen = pair(CHOSEN, dark=CHOSEN_DARK)
    return ("QPushButton { padding: 0.35em 0.8em; } "
            f"QPushButton:checked {{ background: {chosen.fill}; color: {chosen.ink}; "
            f"border: 2px solid {chosen.ink}; border-radius: 3px; }}")


class CatchUpRow(QFrame):
    """One dose of the list: what it was, the four answers as large buttons, and the
    time field or the reason (and note) for the answer chosen. Reads and writes its
    ``Answer`` in the model."""

    def __init__(self, model: CatchUpModel, row: int, *, zone: ZoneInfo,
                 now: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__(parent)
        self._model = model
        self._row = row
        self._zone = zone
        self._updating = False
        answer = model.answers()[row]
        self.status = answer.status
        occ = answer.status.occurrence
        due = to_utc(occ.due).astimezone(zone)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("CatchUpRow")
        what = model.index(row, Col.MEDICINE).data()
        when = weekday_date_time(due)
        self.setAccessibleName(f"Due {when}: {what}")
        layout = QVBoxLayout(self)
        self.heading = QLabel(f"Due {when}  ·  {what}")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        layout.addWidget(self.heading)
        self._grid = QGridLayout()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for mode, words in MODES:
            button = QPushButton(words.format(due=f"{due:%H:%M}"))
            button.setCheckable(True)
            keep_styled(button, row_style)
            button.setAccessibleName(f"{button.text().strip('✓⊘ ')}: {what}, due {when}")
            self.group.addButton(button)
            self.buttons[mode] = button
        self.set_columns(len(MODES))
        layout.addLayout(self._grid)
        self.group.buttonToggled.connect(self._on_toggled)

        self.time_box = QWidget()
        row_time = QHBoxLayout(self.time_box)
        row_time.setContentsMargins(0, 0, 0, 0)
        time_label = QLabel("Given at:")
        self.time_edit = wall_time_edit(occ.due, zone, now())
        self.time_edit.setAccessibleName(f"Time given: {what}")
        time_label.setBuddy(self.time_edit)
        self.time_edit.dateTimeChanged.connect(self._write)
        self.time_edit.problem_changed.connect(self._write)  # "25:00" is shown at once
        row_time.addWidget(time_label)
        row_time.addWidget(self.time_edit)
        row_time.addStretch(1)
        layout.addWidget(self.time_box)

        self.reason_box = QWidget()
        row_reason = QHBoxLayout(self.reason_box)
        row_reason.setContentsMargins(0, 0, 0, 0)
        reason_label = QLabel("Why not:")
        self.reason_combo = QComboBox()
        self.reason_combo.setAccessibleName(f"Why it was not given: {what}")
        self.reason_combo.addItem("— choose why —", NOT_GIVEN)
        for reason in SkipReason:
            label = reason.label if reason is not SkipReason.OTHER else "Other (write why)"
            self.reason_combo.addItem(label[0].upper() + label[1:], reason.value)
        reason_label.setBuddy(self.reason_combo)
        self.reason_combo.currentIndexChanged.connect(self._write)
        note_label = QLabel("Note:")
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName(f"Note: {what}")
        self.note_edit.setPlaceholderText("needed for “other”")
        note_label.setBuddy(self.note_edit)
        self.note_edit.textChanged.connect(self._write)
        row_reason.addWidget(reason_label)
        row_reason.addWidget(self.reason_combo)
        row_reason.addWidget(note_label)
        row_reason.addWidget(self.note_edit, 1)
        layout.addWidget(self.reason_box)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        keep_toned(self.problem, Tone.ERROR)
        layout.addWidget(self.problem)
        self.show_answer()

    # ---- Public API

    def mode(self) -> str:
        return next(m for m, b in self.buttons.items() if b.isChecked())

    def show_answer(self) -> None:
        """Show what the model holds (it may have been changed from outside)."""
        answer = self._model.answers()[self._row]
        due = answer.status.occurrence.due
        if answer.answer == GIVEN:
            at = answer.given_at
            other = at is not None and to_utc(at) != to_utc(due)
            mode = "other" if other or (at is not None and self._is("other")) else "due"
        elif answer.answer == LATER:
            mode = "later"
        else:
            mode = "not_given"
        self._updating = True
        try:
            self.buttons[mode].setChecked(True)
            if answer.answer == GIVEN and answer.given_at is not None \
                    and not self.time_edit.problem():  # ("25:00" stays until fixed)
                set_wall(self.time_edit,
                         to_utc(answer.given_at).astimezone(self._zone).replace(tzinfo=None))
            if mode == "not_given":
                self.reason_combo.setCurrentIndex(
                    max(0, self.reason_combo.findData(answer.answer)))
            if self.note_edit.text() != answer.note:
                self.note_edit.setText(answer.note)
        finally:
            self._updating = False
        self.time_box.setVisible(mode == "other")
        self.reason_box.setVisible(mode == "not_given")
        self.problem.setText(f"⚠ {answer.problem}" if answer.problem else "")
        self.problem.setVisible(bool(answer.problem))
        shown = bool(answer.problem)
        keep_styled(self, lambda: f"#CatchUpRow {{ border: 2px solid {ink(Tone.ERROR).name()}; }}"
                    if shown else "")

    def time_problem(self) -> str:
        """Why the time typed for "Given at another time" cannot be read ("" if it can,
        or when another answer is chosen)."""
        if not self._is("other"):
            return ""
        self.time_edit.commit()
        return self.time_edit.problem()

    def first_button(self) -> QPushButton:
        return self.buttons[MODES[0][0]]

    def set_columns(self, columns: int) -> None:
        """The answers on one line (4) or two (2), for a narrow screen or large text."""
        for n, (mode, _words) in enumerate(MODES):
            self._grid.removeWidget(self.buttons[mode])
            self._grid.addWidget(self.buttons[mode], n // columns, n % columns)
        for column in range(len(MODES) + 1):
            self._grid.setColumnStretch(column, 1 if column == columns else 0)

    def answers_width(self) -> int:
        """How wide the four answers are on one line."""
        spacing = max(0, self._grid.horizontalSpacing())
        return sum(b.sizeHint().width() for b in self.buttons.values()) \
            + spacing * (len(MODES) - 1)

    # ---- Private

    def _is(self, mode: str) -> bool:
        return self.buttons[mode].isChecked()

    def _on_toggled(self, _button, checked: bool) -> None:
        if checked:
            self._write()

    def _write(self, *_args) -> None:
        if self._updating:
            return
        answer = self._model.answers()[self._row]
        mode = self.mode()
        note = self.note_edit.text().strip()
        if mode == "due":
            new = replace(answer, answer=GIVEN, given_at=None, note=note, problem="")
        elif mode == "other" and self.time_edit.problem():  # kept, not saved: see accept
            new = replace(answer, answer=GIVEN, note=note, problem=self.time_edit.problem())
        elif mode == "other":
            new = replace(answer, answer=GIVEN, given_at=wall_of(self.time_edit, self._zone),
                          note=note, problem="")
        elif mode == "not_given":
            new = replace(answer, answer=str(self.reason_combo.currentData()), given_at=None,
                          note=note, problem="")
        else:
            new = replace(answer, answer=LATER, given_at=None, note=note, problem="")
        self._model.set_answer(self._row, new)


class CatchUpDialog(SavingDialog):
    """The one "while you were away" list. Non-modal; see the module docstring. Save
    answers runs ``save_form``: what was saved (``saved``, also ``result_value()``);
    a problem keeps the list open (``STAY_OPEN``) with the rows still to answer."""

    answered = Signal(object)
    """The list was closed: carries every ``DoseStatus`` it showed (answered or not)."""

    def __init__(self, *, zone: ZoneInfo, now: Callable[[], datetime],
                 save: Callable[[Answer], object],
                 caregivers: Sequence[tuple[int, str]] = (), on_duty: int | None = None,
                 set_on_duty: Callable[[int], None] | None = None,
                 one_action: Callable[[], AbstractContextManager] = nullcontext,
                 font: QFont | None = None, parent: QWidget | None = None):
        """``save(answer)`` records one answer (given or not given) and may raise
        ``ValidationError``. ``caregivers`` ``(id, label)`` fill "Recorded by", which
        starts at ``on_duty``; ``set_on_duty(id)`` puts the chosen one on duty. ``font``:
        the text size to follow (the Today tab's, large text included). The answers of
        one Save are written inside ``one_action()`` (``MedicationBook.one_action``)."""
        super().__init__(parent)
        self._set_on_duty = set_on_duty
        self.setWindowTitle("While you were away")
        self.setObjectName("CatchUpDialog")
        if font is not None:
            self.setFont(font)
        self._zone = zone
        self._now = now
        self._save = save
        self._one_action = one_action
        self._shown: dict[tuple, DoseStatus] = {}
        self.saved: list[object] = []
        self.rows: list[CatchUpRow] = []
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("While you were away")
        layout.addWidget(self.intro)
        self.help_text = QLabel(
            "For each dose, say what happened: given at its time, given at another time, "
            "or not given (and why). Doses left as \u201cStill to give\u201d stay on the "
            "Today tab. Tab moves between the answers; Space chooses one.")
        self.help_text.setWordWrap(True)
        layout.addWidget(self.help_text)
        self.model = CatchUpModel(zone, self)
        self.model.modelReset.connect(self._rebuild)
        self.model.dataChanged.connect(self._on_data_changed)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setAccessibleName("Doses that fell due while you were away")
        self._holder = QWidget()
        self._rows_layout = QVBoxLayout(self._holder)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.addStretch(1)
        self.scroll.setWidget(self._holder)
        self.scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.scroll, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problems")
        keep_toned(self.message, Tone.ERROR)
        self.message.hide()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        by_label = QLabel("Recorded &by:")
        self.duty_combo = QComboBox()
        self.duty_combo.setAccessibleName("Recorded by")
        by_label.setBuddy(self.duty_combo)
        self.duty_combo.addItem("— choose —", None)
        for caregiver_id, label in caregivers:
            self.duty_combo.addItem(label, caregiver_id)
        self.duty_combo.setCurrentIndex(max(0, self.duty_combo.findData(on_duty)))
        row.addWidget(by_label)
        row.addWidget(self.duty_combo)
        row.addStretch(1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Save answers",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = buttons.addButton("Decide &later",
                                              QDialogButtonBox.ButtonRole.RejectRole)
        self.later_button.setToolTip("Close the list. The doses stay on the Today tab as "
                                     "overdue or not recorded yet; you can record them "
                                     "there.")
        for button in (self.save_button, self.later_button):
            keep_styled(button, lambda: "QPushButton { padding: 0.35em 0.9em; }")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self._apply_font()
        self.finished.connect(self._on_finished)

    # ---- Public API

    @classmethod
    def ask(cls, statuses: Sequence[DoseStatus], **kwargs: Any) -> list[object]:
        """Modal form: returns what ``save`` returned for each answer saved (also when
        the list was then closed with answers left: some were saved)."""
        dialog = cls(**kwargs)
        dialog.add(statuses)
        dialog.exec()
        return dialog.saved

    def add(self, statuses: Sequence[DoseStatus]) -> None:
        for status in statuses:
            self._shown[status.key] = status
        first = not self.rows
        self.model.add(statuses)
        count = self.model.rowCount()
        self.intro.setText(
            f"While you were away, {count} dose" + ("s" if count != 1 else "") + " fell due.")
        self._fit()
        if first and self.rows:
            self.rows[0].first_button().setFocus(Qt.FocusReason.OtherFocusReason)

    def shown(self) -> list[DoseStatus]:
        return list(self._shown.values())

    def initial_focus(self) -> QWidget | None:
        return self.rows[0].first_button() if self.rows else self.duty_combo

    def form_state(self) -> tuple:
        """The answers chosen (rows come and go as doses are added or saved)."""
        return (*self.model.answers(), self.duty_combo.currentIndex())

    def set_text_font(self, font: QFont) -> None:
        """Follow the Today tab's text size (large text switched on or off). Buttons with
        a style sheet do not take a new font from their parent: each is told."""
        self.setFont(font)
        for widget in self.findChildren(QWidget):
            if widget is not self.intro:
                widget.setFont(font)
        for row in self.rows:
            bold = QFont(font)
            bold.setBold(True)
            row.heading.setFont(bold)
        self._apply_font()
        self._fit()

    def save_form(self) -> object:
        """Save every answered dose; keep the list open on a problem."""
        typed = [row.time_problem() for row in self.rows]  # (reads what was just typed)
        answers = check_answers(self.model.answers(), self._now())
        for row, problem in enumerate(typed):  # a time typed as "25:00" is not saved
            if problem and row < len(answers):
                answers[row] = replace(answers[row], problem=problem)
        problems = [a for a in answers if a.problem]
        chosen = self.duty_combo.currentData()
        if any(a.answer != LATER for a in answers) and chosen is None:
            self.message.setText("⚠ Choose who is recording these answers (Recorded by).")
            self.message.show()
            self.duty_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            return STAY_OPEN
        if chosen is not None and self._set_on_duty is not None:
            self._set_on_duty(chosen)
        if problems:
            for row, answer in enumerate(answers):
                self.model.set_answer(row, answer)
            self._show_problems(len(problems), saved_others=False)
            return STAY_OPEN
        done = []
        with self._one_action():  # one Save, one action for Undo
            for row, answer in enumerate(answers):
                if answer.answer == LATER:
                    continue
                try:
                    self.saved.append(self._save(answer))
                except ValidationError as exc:
                    self.model.set_answer(row, replace(answer, problem=" ".join(
                        errors_of(exc, "This answer was not recorded").values())))
                    continue
                done.append(answer.status)
        self.model.remove(done)
        left = [a for a in self.model.answers() if a.problem]
        if left:
            self._show_problems(len(left), saved_others=True)
            return STAY_OPEN
        return self.saved

    # ---- Private

    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        self.intro.setFont(font)

    def _rebuild(self) -> None:
        """One row per dose, in due order (after doses were added or saved)."""
        for widget in self.rows:
            self._rows_layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.rows = []
        for row in range(self.model.rowCount()):
            widget = CatchUpRow(self.model, row, zone=self._zone, now=self._now)
            self._rows_layout.insertWidget(row, widget)
            self.rows.append(widget)

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex, *_roles) -> None:
        for row in range(top.row(), bottom.row() + 1):
            if 0 <= row < len(self.rows):
                self.rows[row].show_answer()

    def _fit(self) -> None:
        """As large as the rows need (every answer in view), within the screen: the
        answers take two lines each where one line would not fit."""
        metrics = self.fontMetrics()
        screen = screen_of(self)
        room = screen.availableGeometry() if screen is not None else None
        margin = 6 * metrics.height()
        if self.rows:
            one_line = max(r.answers_width() for r in self.rows) + margin
            columns = 4 if room is None or one_line <= room.width() * 0.95 else 2
            for row in self.rows:
                row.set_columns(columns)
        rows = self._holder.layout()
        rows.activate()
        width = max(rows.sizeHint().width() + 4 * metrics.height(),
                    metrics.averageCharWidth() * 70)
        if room is not None:
            width = min(width, int(room.width() * 0.95))
        outer = self.layout()
        margins = outer.contentsMargins()
        inner = width - margins.left() - margins.right()
        spacing = max(0, outer.spacing())
        around = margins.top() + margins.bottom() + 4 * spacing
        for label in (self.intro, self.help_text) + ((self.message,)
                                                      if self.message.isVisible() else ()):
            around += label.heightForWidth(inner)
        around += self.save_button.sizeHint().height() + spacing
        needed = rows.heightForWidth(inner) if rows.hasHeightForWidth() else -1
        height = around + max(needed, rows.sizeHint().height()) + metrics.height()
        if room is not None:
            height = min(height, int(room.height() * 0.9))
        self.resize(width, height)

    def _show_problems(self, count: int, *, saved_others: bool) -> None:
        after = ("The other answers were saved." if saved_others
                 else "Nothing was saved yet.")
        self.message.setText(f"⚠ {count} answer" + ("s need" if count != 1 else " needs")
                             + f" a change: see the doses marked in red. {after}")
        self.message.show()
        first = next((r for r in self.rows if r.problem.text()), None)
        if first is not None:
            self.scroll.ensureWidgetVisible(first)
            first.buttons[first.mode()].setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_finished(self, _code: int) -> None:
        self.answered.emit(self.shown())


__all__ = ["ANSWERS", "NOT_GIVEN", "Answer", "CatchUpDialog", "CatchUpModel", "CatchUpRow",
           "check_answers"]
