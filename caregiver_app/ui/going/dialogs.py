"""The forms of "How things are going": one dialog for each kind of entry, new or a
correction of an entry (it then opens with that entry's values), and the one that
marks an entry as a mistake.

Every value is checked by the domain's one rule (``domain.going.validate_entry``,
through the service); a message goes under its field and nothing is saved half-way.
Each line's Alt letter is chosen so that no two in a dialog are the same.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QIntValidator, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain import function_scale
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.going import (
    FUNCTION_NOTE,
    MAX_NOTE,
    SYMPTOMS,
    WEIGHT_NOTE,
    AnsweredBy,
    Effect,
    Entry,
    Measure,
    Severity,
)
from caregiver_app.domain.localtime import describe_day
from caregiver_app.domain.patient import WeightUnit
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.widgets import DateEdit, fit_placeholder

#: Letters the dialog's own buttons use (Save, Cancel carry none).
_RESERVED = ""

TITLES = {
    Measure.WEIGHT: "Record weight",
    Measure.FUNCTION: "Everyday function",
    Measure.SYMPTOMS: "Daily symptom check",
    Measure.CLINIC: "Numbers from the clinic",
    Measure.EFFECT: "Did the as-needed dose help?",
}

INTROS = {
    Measure.WEIGHT: "Weigh at about the same time of day, in similar clothes. " + WEIGHT_NOTE,
    Measure.FUNCTION: (
        "Pick what fits the last two weeks; leave a line empty if you are not sure. 4 is "
        "as before the illness, 0 is cannot. " + FUNCTION_NOTE),
    Measure.SYMPTOMS: (
        "Today's check: type a number on each line you want to fill in (0 none, 1 mild, "
        "2 moderate, 3 severe) and Tab to the next. Leave any line empty."),
    Measure.CLINIC: "Type the numbers from the clinic's letter or the machine, with their "
                    "date. Leave out what you do not have.",
    Measure.EFFECT: "A while after an as-needed dose: did it help?",
}


class Mnemonics:
    """Hands out Alt letters so that no two in one dialog are the same."""

    def __init__(self, used: str = _RESERVED):
        self._used = set(used.lower())

    def label(self, text: str) -> str:
        """``text`` with an ``&`` before its first letter not used yet (none left: as is)."""
        for i, char in enumerate(text):
            if char.isalpha() and char.isascii() and char.lower() not in self._used:
                self._used.add(char.lower())
                return text[:i] + "&" + text[i:]
        return text


def sources_label(sources: Sequence[tuple[str, str, str]]) -> QLabel:
    """"Sources: Cedarbaum 1999; …", each a link to its publisher, the full reference in
    the tooltip."""
    label = QLabel("Sources: " + "; ".join(
        f'<a href="{html.escape(url)}">{html.escape(short)}</a>' for short, _, url in sources)
        + ".")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setOpenExternalLinks(True)
    label.setWordWrap(True)
    label.setAccessibleName("Sources")
    label.setToolTip("\n".join(full for _, full, _ in sources))
    return label


class FieldLabel(QLabel):
    """A field's label, as wide and tall as its text is painted.

    Qt measures a label's text as if its underlined Alt letter were plain, but paints
    that letter as a run of its own: one inside a word ("P&oor sleep", "L&ow mood")
    loses its kerning with the letter before it, and the painted line is a pixel wider
    than measured. At the width it asked for, such a label wrapped onto two lines in a
    row one line tall, cutting both lines in half (Huge text). It now asks for that
    pixel, and wraps (the row growing) as its text is painted."""

    _BIG = 1_000_000
    _extra: tuple[tuple[str, str], int] | None = None  # ((text, font), extra)

    def _painting_extra(self) -> int:
        """How much wider the text is painted than Qt measures it (0 or a few px)."""
        key = (self.text(), self.font().key())
        cached = self._extra
        if cached is not None and cached[0] == key:
            return cached[1]
        flags = int(Qt.TextFlag.TextShowMnemonic)
        room = QRect(0, 0, self._BIG, self._BIG)
        measured = self.fontMetrics().boundingRect(room, flags, self.text()).width()
        image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDotsPerMeterX(round(self.logicalDpiX() / 0.0254))  # as on the screen
        image.setDotsPerMeterY(round(self.logicalDpiY() / 0.0254))
        painter = QPainter(image)
        painter.setFont(self.font())
        painted = painter.drawText(room, flags, self.text()).width()
        painter.end()
        extra = max(0, painted - measured)
        self._extra = (key, extra)
        return extra

    def sizeHint(self) -> QSize:
        return super().sizeHint() + QSize(self._painting_extra(), 0)

    def minimumSizeHint(self) -> QSize:
        return super().minimumSizeHint() + QSize(self._painting_extra(), 0)

    def heightForWidth(self, width: int) -> int:
        return super().heightForWidth(max(1, width - self._painting_extra()))


def _field_label(text: str, field: QWidget, letters: Mnemonics) -> QLabel:
    label = FieldLabel(letters.label(text))
    label.setWordWrap(True)
    # a question on a row of its own takes the row's width, not a narrow column
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.setBuddy(field)
    return label


class EntryDialog(SavingDialog):
    """A new entry of ``measure``, or (``start`` with an id) a correction of it."""

    not_saved = "This entry was not saved"

    def __init__(self, measure: Measure, *, save: Callable[[Entry], Entry],
                 today: date, unit: WeightUnit = WeightUnit.KG, start: Entry | None = None,
                 doses: Sequence[tuple[int, date, str]] = (),
                 parent: QWidget | None = None):
        """``save`` checks and stores the entry and returns it as saved (it raises
        ValidationError with the fields that are wrong, or NotSaved). ``doses``: for an
        effect, the as-needed doses to choose from, as (dose entry id, day, text)."""
        super().__init__(parent)
        self.measure = measure
        self._save = save
        self._start = start
        self._correcting = start is not None and start.id is not None
        self.setWindowTitle(("Correct: " if self._correcting else "") + TITLES[measure])
        self.fields: dict[str, QWidget] = {}
        letters = Mnemonics()
        outer = QVBoxLayout(self)
        body = QWidget()  # everything but the buttons scrolls (large text, small screen)
        form = QFormLayout(body)
        intro = QLabel(INTROS[measure])
        intro.setWordWrap(True)
        form.addRow(intro)
        if measure is Measure.FUNCTION:
            form.addRow(sources_label(function_scale.SOURCES))
        if self._correcting and start is not None:
            said = QLabel(f"This saves a correction of the entry of {describe_day(start.on_day)}"
                          ". The entry as first saved stays in the records.")
            said.setWordWrap(True)
            form.addRow(said)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.day_edit = DateEdit(accessible_name="Day", today=lambda: today)
        self.day_edit.set_value(start.on_day if start else today)
        self._add(form, "Day", "on_day", self.day_edit, letters)
        builder = {Measure.WEIGHT: self._weight_fields, Measure.FUNCTION: self._function_fields,
                   Measure.SYMPTOMS: self._symptom_fields, Measure.CLINIC: self._clinic_fields,
                   Measure.EFFECT: self._effect_fields}[measure]
        if measure is Measure.EFFECT:
            builder(form, letters, doses=doses)  # type: ignore[call-arg]
        elif measure is Measure.WEIGHT:
            builder(form, letters, unit=unit)  # type: ignore[call-arg]
        else:
            builder(form, letters)
        self.note_edit = QLineEdit()  # one line: Enter saves, as in every field here
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.setPlaceholderText("optional")
        self._add(form, "Note", "note", self.note_edit, letters)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.general = ErrorLabel()
        self.errors.set_general(self.general)
        outer.addWidget(self.general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        if start is not None:
            self._load(start)
        body.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def sizeHint(self) -> QSize:
        """Room for the questions: as tall as the screen lets it be (then it scrolls)."""
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 72, metrics.height() * 44)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._shown_before:
            # Qt opens a window at most two thirds of the screen tall (512 px on a
            # 1366×768 laptop), which hid Note below a scroll on an empty screen: open
            # at the size asked for, as much of it as the screen has (``FormDialog``
            # then fits it on the screen)
            self.resize(self.sizeHint())
        super().showEvent(event)

    # ---- Building

    def _add(self, form: QFormLayout, text: str, name: str, field: QWidget,
             letters: Mnemonics, *, stacked: bool = False) -> None:
        """A row: its label, the field with its error line under it. ``stacked``: the
        label (a question) on a line of its own above the field, both full width."""
        box, error = with_error(field)
        label = _field_label(text, box, letters)
        if stacked:
            form.addRow(label)
            form.addRow(box)
        else:
            form.addRow(label, box)
        self.errors.add(name, field, error)
        self.fields[name] = field

    def _number(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _weight_fields(self, form: QFormLayout, letters: Mnemonics, *,
                       unit: WeightUnit) -> None:
        self.weight_edit = self._number("Weight", "for example 68.5")
        self._add(form, "Weight", "weight", self.weight_edit, letters)
        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName("Unit")
        for choice in WeightUnit:
            self.unit_combo.addItem(choice.value, choice.value)
        self.unit_combo.setCurrentIndex(self.unit_combo.findData(unit.value))
        self._add(form, "Unit", "unit", self.unit_combo, letters)
        self.usual_check = QCheckBox(letters.label("Usual weight before the illness"))
        self.usual_check.setAccessibleName("Usual weight before the illness")
        self.usual_check.setToolTip("The starting point the change in weight is measured "
                                    "from")
        form.addRow(self.usual_check)
        self.fields["usual"] = self.usual_check

    def _function_fields(self, form: QFormLayout, letters: Mnemonics) -> None:
        self.answered_combo = QComboBox()
        self.answered_combo.setAccessibleName("Answered by")
        for who in AnsweredBy:
            self.answered_combo.addItem(who.label, who.value)
        self.answered_combo.setCurrentIndex(1)
        self._add(form, "Answered by", "answered_by", self.answered_combo, letters)
        self.tube_check = QCheckBox(letters.label("Fed by tube"))
        self.tube_check.setAccessibleName("Fed by tube")
        self.tube_check.setToolTip("Asks about handling the tube instead of cutlery")
        form.addRow(self.tube_check)
        self.fields["tube_version"] = self.tube_check
        self.area_combos: dict[str, QComboBox] = {}
        for area in function_scale.AREAS:
            combo = QComboBox()
            combo.setAccessibleName(area.title)
            # long answers: the field may be narrower than the longest (its list shows
            # each whole), so the form fits a small screen at large text
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
            self.area_combos[area.key] = combo
            self._fill_area(combo, area)
            self._add(form, f"{area.title}: {area.question}", area.key, combo, letters,
                      stacked=True)
        self.tube_check.toggled.connect(self._tube_toggled)

    def _fill_area(self, combo: QComboBox, area: function_scale.Area) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem("— not answered", None)
        for score in range(function_scale.AREA_MAX, -1, -1):
            combo.addItem(f"{score}  {area.answer(score)}", score)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def _tube_toggled(self, tube: bool) -> None:
        combo = self.area_combos["utensils"]
        area = function_scale.area_of("utensils", tube=tube)
        self._fill_area(combo, area)
        combo.setAccessibleName(area.title)

    def _symptom_fields(self, form: QFormLayout, letters: Mnemonics) -> None:
        self.symptom_fields: dict[str, QWidget] = {}
        for symptom in SYMPTOMS:
            if symptom.count:
                edit = self._number(symptom.label, f"0 to {symptom.high}")
                edit.setValidator(QIntValidator(0, symptom.high, edit))
                field: QWidget = edit
            else:
                combo = QComboBox()
                combo.setAccessibleName(symptom.label)
                combo.addItem("—", None)
                for level in Severity:
                    combo.addItem(f"{int(level)} {level.label}", int(level))
                field = combo
            self.symptom_fields[symptom.key] = field
            self._add(form, symptom.label, symptom.key, field, letters)

    def _clinic_fields(self, form: QFormLayout, letters: Mnemonics) -> None:
        self.fvc_edit = self._number("FVC, % of predicted", "for example 72")
        self._add(form, "FVC (% of predicted)", "fvc_percent", self.fvc_edit, letters)
        self.snip_edit = self._number("SNIP, cmH2O", "for example 55")
        self._add(form, "SNIP (cmH2O)", "snip", self.snip_edit, letters)
        self.niv_edit = self._number("Hours on the breathing machine a night",
                                     "for example 7.5")
        self._add(form, "Breathing machine, hours a night", "niv_hours", self.niv_edit,
                  letters)

    def _effect_fields(self, form: QFormLayout, letters: Mnemonics, *,
                       doses: Sequence[tuple[int, date, str]]) -> None:
        self.dose_combo = QComboBox()
        self.dose_combo.setAccessibleName("Dose")
        for dose_id, day, text in doses:
            self.dose_combo.addItem(text, (dose_id, day))
        self._add(form, "Dose", "dose_entry_id", self.dose_combo, letters)
        self.effect_combo = QComboBox()
        self.effect_combo.setAccessibleName("Effect")
        self.effect_combo.addItem("—", None)
        for effect in Effect:
            self.effect_combo.addItem(effect.label, effect.value)
        self._add(form, "Effect", "effect", self.effect_combo, letters)
        self.dose_combo.currentIndexChanged.connect(self._dose_chosen)
        self._dose_chosen()

    def _dose_chosen(self) -> None:
        data = self.dose_combo.currentData()
        if data is not None:
            self.day_edit.set_value(data[1])

    # ---- Values

    def _load(self, entry: Entry) -> None:
        values = entry.values
        self.note_edit.setText(entry.note if not self._correcting else "")
        if self.measure is Measure.WEIGHT:
            if values.get("weight") is not None:
                self.weight_edit.setText(f"{float(values['weight']):g}")
            if values.get("unit"):
                self.unit_combo.setCurrentIndex(self.unit_combo.findData(str(values["unit"])))
            self.usual_check.setChecked(bool(values.get("usual")))
        elif self.measure is Measure.FUNCTION:
            self.tube_check.setChecked(bool(values.get("tube_version")))
            if values.get("answered_by"):
                self.answered_combo.setCurrentIndex(
                    self.answered_combo.findData(str(values["answered_by"])))
            for key, combo in self.area_combos.items():
                combo.setCurrentIndex(max(0, combo.findData(values.get(key))))
        elif self.measure is Measure.SYMPTOMS:
            for key, field in self.symptom_fields.items():
                value = values.get(key)
                if isinstance(field, QComboBox):
                    field.setCurrentIndex(max(0, field.findData(value)))
                elif isinstance(field, QLineEdit) and value is not None:
                    field.setText(str(value))
        elif self.measure is Measure.CLINIC:
            for key, edit in (("fvc_percent", self.fvc_edit), ("snip", self.snip_edit),
                              ("niv_hours", self.niv_edit)):
                if values.get(key) is not None:
                    edit.setText(f"{float(values[key]):g}")
        elif self.measure is Measure.EFFECT:
            for i in range(self.dose_combo.count()):
                if self.dose_combo.itemData(i)[0] == values.get("dose_entry_id"):
                    self.dose_combo.setCurrentIndex(i)
            self.effect_combo.setCurrentIndex(
                max(0, self.effect_combo.findData(values.get("effect"))))

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The values typed, and the fields whose text is not a number."""
        found: dict[str, Any] = {}
        errors: dict[str, str] = {}

        def number(key: str, edit: QLineEdit, what: str) -> None:
            text = edit.text().strip().replace(",", ".")
            if not text:
                return
            try:
                found[key] = float(text)
            except ValueError:
                errors[key] = f"Type {what} as a number, for example {edit.placeholderText()}."

        if self.measure is Measure.WEIGHT:
            number("weight", self.weight_edit, "the weight")
            found["unit"] = self.unit_combo.currentData()
            found["usual"] = self.usual_check.isChecked()
        elif self.measure is Measure.FUNCTION:
            found["answered_by"] = self.answered_combo.currentData()
            found["tube_version"] = self.tube_check.isChecked()
            for key, combo in self.area_combos.items():
                found[key] = combo.currentData()
        elif self.measure is Measure.SYMPTOMS:
            for key, field in self.symptom_fields.items():
                if isinstance(field, QComboBox):
                    found[key] = field.currentData()
                elif isinstance(field, QLineEdit) and field.text().strip():
                    text = field.text().strip()
                    if text.isdigit():
                        found[key] = int(text)
                    else:
                        errors[key] = "Type a whole number."
        elif self.measure is Measure.CLINIC:
            number("fvc_percent", self.fvc_edit, "FVC")
            number("snip", self.snip_edit, "SNIP")
            number("niv_hours", self.niv_edit, "the hours")
        elif self.measure is Measure.EFFECT:
            data = self.dose_combo.currentData()
            found["dose_entry_id"] = data[0] if data else None
            found["effect"] = self.effect_combo.currentData()
        return found, errors

    @property
    def saved(self) -> Entry | None:
        """The entry as saved (None until it is)."""
        return self.result_value()  # type: ignore[return-value]

    def save_form(self) -> Entry:
        """Read every field; save through ``save`` (which checks the values)."""
        errors: dict[str, str] = {}
        try:
            day = self.day_edit.value()
        except ValidationError as exc:
            errors.update(exc.errors)
            day = date.today()
        values, typed = self.values()
        errors.update(typed)
        note = self.note_edit.text()
        if len(note) > MAX_NOTE:
            errors["note"] = f"Keep the note under {MAX_NOTE:,} characters."
        if errors:
            raise ValidationError(errors)
        return self._save(Entry(
            self.measure, day, values, note=note,
            corrects_id=self._start.id if self._correcting and self._start else None))


class WithdrawDialog(SavingDialog):
    """Mark an entry as a mistake: it then no longer counts, and stays in the records."""

    not_saved = "This was not saved"

    def __init__(self, entry: Entry, *, save: Callable[[Entry, str], Entry],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._entry = entry
        self._save = save
        self.setWindowTitle("Mark an entry as a mistake")
        layout = QVBoxLayout(self)
        what = QLabel(f"{entry.measure.label} of {describe_day(entry.on_day)} will no "
                      "longer count in the charts and the summary. It stays in the records, "
                      "marked as a mistake, with your reason.")
        what.setWordWrap(True)
        layout.addWidget(what)
        form = QFormLayout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Reason")
        fit_placeholder(self.reason_edit, "for example: wrong day, typed twice",
                        "for example: wrong day")
        box, error = with_error(self.reason_edit)
        label = QLabel("&Reason:")
        label.setBuddy(box)
        form.addRow(label, box)
        self.errors.add("note", self.reason_edit, error)
        layout.addLayout(form)
        self.general = ErrorLabel()
        self.errors.set_general(self.general)
        layout.addWidget(self.general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton("Mark as a mistake",
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def saved(self) -> Entry | None:
        """The withdrawal as saved (None until it is)."""
        return self.result_value()  # type: ignore[return-value]

    def save_form(self) -> Entry:
        return self._save(self._entry, self.reason_edit.text())


def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


__all__ = ["EntryDialog", "Mnemonics", "WithdrawDialog", "exec_dialog", "sources_label"]
