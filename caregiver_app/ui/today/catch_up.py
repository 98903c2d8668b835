""""While you were away": one list of the doses that fell due while nobody was watching,
asking what happened to each (given at a time, not given and why, or still to give).

``CatchUpModel`` is an editable table (answer, time given, note per dose);
``CatchUpDialog`` shows it non-modally, takes more doses if another gap happens while it
is open (one list, never two), and records the answers through a ``save`` function.
Every answer is checked before anything is saved; a row the book still refuses keeps its
message in the Problem column and stays in the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.doses import FUTURE_TOLERANCE, DoseStatus
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.ui.today.dialogs import wall_of, wall_time_edit

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

LATER = "later"
GIVEN = "given"
#: Answers offered for each dose, in order: value and words.
ANSWERS: tuple[tuple[str, str], ...] = (
    (LATER, "Still to give"),
    (GIVEN, "Given"),
    *((r.value, f"Not given: {r.label if r is not SkipReason.OTHER else 'other'}")
      for r in SkipReason),
)
_ANSWER_TEXT = dict(ANSWERS)


class Col(IntEnum):
    DUE = 0
    MEDICINE = 1
    ANSWER = 2
    GIVEN_AT = 3
    NOTE = 4
    PROBLEM = 5


HEADERS = ("Was due", "Medicine", "What happened?", "Given at", "Note", "Problem")


@dataclass(frozen=True)
class Answer:
    status: DoseStatus
    answer: str = LATER  # LATER, GIVEN, or a SkipReason value
    given_at: datetime | None = None
    note: str = ""
    problem: str = ""

    @property
    def skip_reason(self) -> SkipReason | None:
        return SkipReason(self.answer) if self.answer not in (LATER, GIVEN) else None


class CatchUpModel(QAbstractTableModel):
    def __init__(self, zone: ZoneInfo, parent: QObject | None = None):
        super().__init__(parent)
        self._zone = zone
        self._rows: list[Answer] = []

    # ---- Public API

    def add(self, statuses: Sequence[DoseStatus]) -> int:
        """Add doses not already listed, keeping the list in due order; returns how many."""
        known = {a.status.key for a in self._rows}
        new = [s for s in statuses if s.key not in known]
        if not new:
            return 0
        self.beginResetModel()
        self._rows.extend(Answer(s) for s in new)
        self._rows.sort(key=lambda a: (a.status.occurrence.due, a.status.medicine.name))
        self.endResetModel()
        return len(new)

    def answers(self) -> list[Answer]:
        return list(self._rows)

    def set_answer(self, row: int, answer: Answer) -> None:
        self._rows[row] = answer
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def remove(self, statuses: Sequence[DoseStatus]) -> None:
        keys = {s.key for s in statuses}
        self.beginResetModel()
        self._rows = [a for a in self._rows if a.status.key not in keys]
        self.endResetModel()

    # ---- Qt overrides

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        answer = self._rows[index.row()]
        if index.column() in (Col.ANSWER, Col.NOTE) or (
                index.column() == Col.GIVEN_AT and answer.answer == GIVEN):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        answer = self._rows[index.row()]
        occ = answer.status.occurrence
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == Col.DUE:
                return f"{occ.local.astimezone(self._zone):%a %d %b %H:%M}"
            if column == Col.MEDICINE:
                strength = f" {occ.strength}" if occ.strength else ""
                return (f"{answer.status.medicine.generic_name}{strength}: "
                        f"{occ.dose.describe()}, {occ.route.label}")
            if column == Col.ANSWER:
                return _ANSWER_TEXT[answer.answer]
            if column == Col.GIVEN_AT:
                if answer.answer != GIVEN:
                    return "" if role == Qt.ItemDataRole.DisplayRole else "not given"
                at = answer.given_at or occ.due
                return f"{to_utc(at).astimezone(self._zone):%a %d %b %H:%M}"
            if column == Col.NOTE:
                return answer.note
            if column == Col.PROBLEM:
                return f"⚠ {answer.problem}" if answer.problem else ""
        if role == Qt.ItemDataRole.EditRole:
            if column == Col.ANSWER:
                return answer.answer
            if column == Col.GIVEN_AT:
                return answer.given_at or occ.due
            if column == Col.NOTE:
                return answer.note
        if role == Qt.ItemDataRole.ToolTipRole and column == Col.PROBLEM and answer.problem:
            return answer.problem
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        answer = self._rows[index.row()]
        column = index.column()
        if column == Col.ANSWER and value in _ANSWER_TEXT:
            answer = replace(answer, answer=value, problem="")
        elif column == Col.GIVEN_AT and isinstance(value, datetime):
            answer = replace(answer, given_at=to_utc(value), problem="")
        elif column == Col.NOTE and isinstance(value, str):
            answer = replace(answer, note=value.strip(), problem="")
        else:
            return False
        self.set_answer(index.row(), answer)
        return True


class CatchUpDelegate(QStyledItemDelegate):
    """A list of answers and a date-and-time field as editors."""

    def __init__(self, zone: ZoneInfo, now: Callable[[], datetime],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._zone = zone
        self._now = now

    def createEditor(self, parent: QWidget, option, index: _Index) -> QWidget:
        if index.column() == Col.ANSWER:
            combo = QComboBox(parent)
            combo.setAccessibleName("What happened")
            for value, text in ANSWERS:
                combo.addItem(text, value)
            return combo
        if index.column() == Col.GIVEN_AT:
            edit = wall_time_edit(index.data(Qt.ItemDataRole.EditRole), self._zone, self._now())
            edit.setParent(parent)
            edit.setAccessibleName("Time given")
            return edit
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        if isinstance(editor, QDateTimeEdit):
            return  # filled when created
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
            return
        if isinstance(editor, QDateTimeEdit):
            model.setData(index, wall_of(editor, self._zone))
            return
        super().setModelData(editor, model, index)


def check_answers(answers: Sequence[Answer], now: datetime) -> list[Answer]:
    """The answers with a ``problem`` filled in where one cannot be saved as it is."""
    checked = []
    for answer in answers:
        problem = ""
        if answer.answer == GIVEN:
            at = answer.given_at or answer.status.occurrence.due
            if to_utc(at) > to_utc(now) + FUTURE_TOLERANCE:
                problem = "The time given cannot be in the future."
        elif answer.skip_reason is SkipReason.OTHER and not answer.note:
            problem = "Write why it was not given in the Note."
        checked.append(replace(answer, problem=problem))
    return checked


class CatchUpDialog(QDialog):
    """The one "while you were away" list. Non-modal; see the module docstring."""

    answered = Signal(object)
    """The list was closed: carries every ``DoseStatus`` it showed (answered or not)."""

    def __init__(self, *, zone: ZoneInfo, now: Callable[[], datetime],
                 save: Callable[[Answer], object],
                 caregivers: Sequence[tuple[int, str]] = (), on_duty: int | None = None,
                 set_on_duty: Callable[[int], None] | None = None,
                 parent: QWidget | None = None):
        """``save(answer)`` records one answer (given or not given) and may raise
        ``ValidationError``. ``caregivers`` ``(id, label)`` fill "Recorded by", which
        starts at ``on_duty``; ``set_on_duty(id)`` puts the chosen one on duty."""
        super().__init__(parent)
        self._set_on_duty = set_on_duty
        self.setWindowTitle("While you were away")
        self.setObjectName("CatchUpDialog")
        self._now = now
        self._save = save
        self._shown: dict[tuple, DoseStatus] = {}
        self.saved: list[object] = []
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        font = self.intro.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        self.intro.setFont(font)
        layout.addWidget(self.intro)
        help_text = QLabel("For each dose, say what happened. Choose \u201cGiven\u201d and the "
                           "time, or \u201cNot given\u201d and why. Doses left as \u201cStill to "
                           "give\u201d stay on the Today tab. Up and Down move between doses; "
                           "F2 or typing changes an answer.")
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        self.model = CatchUpModel(zone, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(CatchUpDelegate(zone, now, self.table))
        self.table.setAccessibleName("Doses that fell due while you were away")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problems")
        self.message.setStyleSheet("color: #a40000; font-weight: 600;")
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
                                     "overdue or missed; you can record them there.")
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(900, 420)
        self.finished.connect(self._on_finished)

    # ---- Public API

    @classmethod
    def ask(cls, statuses: Sequence[DoseStatus], **kwargs) -> list[object]:
        """Modal form: returns what ``save`` returned for each answer saved."""
        dialog = cls(**kwargs)
        dialog.add(statuses)
        dialog.exec()
        return dialog.saved

    def add(self, statuses: Sequence[DoseStatus]) -> None:
        for status in statuses:
            self._shown[status.key] = status
        self.model.add(statuses)
        count = self.model.rowCount()
        self.intro.setText(
            f"While you were away, {count} dose" + ("s" if count != 1 else "") + " fell due.")
        if self.table.currentIndex().isValid() is False and count:
            self.table.setCurrentIndex(self.model.index(0, Col.ANSWER))

    def shown(self) -> list[DoseStatus]:
        return list(self._shown.values())

    # ---- Qt overrides

    def accept(self) -> None:
        """Save every answered dose; keep the list open on a problem."""
        answers = check_answers(self.model.answers(), self._now())
        problems = [a for a in answers if a.problem]
        chosen = self.duty_combo.currentData()
        if any(a.answer != LATER for a in answers) and chosen is None:
            self.message.setText("⚠ Choose who is recording these answers (Recorded by).")
            self.message.show()
            self.duty_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if chosen is not None and self._set_on_duty is not None:
            self._set_on_duty(chosen)
        if problems:
            for row, answer in enumerate(answers):
                self.model.set_answer(row, answer)
            self._show_problems(len(problems), saved_others=False)
            return
        done = []
        for row, answer in enumerate(answers):
            if answer.answer == LATER:
                continue
            try:
                self.saved.append(self._save(answer))
            except ValidationError as exc:
                self.model.set_answer(row, replace(answer, problem=" ".join(
                    exc.errors.values())))
                continue
            done.append(answer.status)
        self.model.remove(done)
        left = [a for a in self.model.answers() if a.problem]
        if left:
            self._show_problems(len(left), saved_others=True)
            return
        super().accept()

    # ---- Private

    def _show_problems(self, count: int, *, saved_others: bool) -> None:
        after = ("The other answers were saved." if saved_others
                 else "Nothing was saved yet.")
        self.message.setText(f"⚠ {count} answer" + ("s need" if count != 1 else " needs")
                             + f" a change: see the Problem column. {after}")
        self.message.show()

    def _on_finished(self, _code: int) -> None:
        self.answered.emit(self.shown())


__all__ = ["ANSWERS", "Answer", "CatchUpDialog", "CatchUpModel", "check_answers"]
