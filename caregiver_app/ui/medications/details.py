"""The details of the medicine chosen in the list.

Shows what matters when giving it: the dose and schedule in force, instructions, the
food rule in plain words, flags (do not crush, tube flush, given at the clinic), what it
is for, prescriber and pharmacy, the reference's availability warning, a "Read about this
medicine" button (Learn), supply with run-out and reorder warnings, and the bottle in use.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.medicines import GivenBy, describe_food_rule
from caregiver_app.domain.reference import MedicineReference
from caregiver_app.domain.regimens import describe_regimen
from caregiver_app.ui.medications.list_model import MedicineRow, short_day


class MedicineDetails(QWidget):
    read_about_requested = Signal(str)
    """"Read about this medicine" was pressed; carries the reference id."""

    def __init__(self, reference: MedicineReference, parent: QWidget | None = None):
        super().__init__(parent)
        self._reference = reference
        self._row: MedicineRow | None = None
        self.setAccessibleName("Details of the chosen medicine")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName("Medicine")
        self.title.setWordWrap(True)
        self._update_title_font()
        outer.addWidget(self.title)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setAccessibleName("Warnings")
        self.warning.setFrameShape(QFrame.Shape.Box)
        self.warning.setMargin(4)
        outer.addWidget(self.warning)

        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        grid.addLayout(left, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(right, 0, 1, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(grid)
        self._values: dict[str, tuple[QLabel, QLabel, QFormLayout]] = {}
        for key, label, form in (
            ("status", "Status:", left), ("purpose", "For:", left), ("now", "Now:", left),
            ("schedule", "When:", left), ("next", "From a later date:", left),
            ("food", "Food:", left), ("flags", "Take care:", left),
            ("instructions", "Instructions:", left),
            ("supply", "Supply:", right), ("bottle", "Bottle in use:", right),
            ("dates", "Dates:", right), ("prescriber", "Prescribed by:", right),
            ("pharmacy", "Pharmacy:", right), ("reference", "Reference:", right),
        ):
            name = QLabel(label)
            value = QLabel()
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label.rstrip(":"))
            form.addRow(name, value)
            self._values[key] = (name, value, form)
        self.read_button = QPushButton("Read a&bout this medicine")
        self.read_button.setAccessibleName("Read about this medicine in Learn")
        self.read_button.clicked.connect(self._read_about)
        right.addRow("", self.read_button)
        outer.addStretch(1)
        self.show_row(None)

    # ---- Public API

    def show_row(self, row: MedicineRow | None, today: date | None = None) -> None:
        """Show ``row`` (None: nothing chosen); ``today`` dates the later versions."""
        self._row = row
        if row is None:
            self.title.setText("Choose a medicine in the list to see its details.")
            self.warning.hide()
            for key in self._values:
                self._set(key, "")
            self.read_button.hide()
            return
        m, v = row.medicine, row.version
        self.title.setText(m.name)
        self._set("status", row.state_text)
        self._set("purpose", m.purpose)
        strength = f"{v.strength} " if v.strength else ""
        step = f" ({row.step})" if row.step else ""
        self._set("now", f"{row.dose_now.describe()} of {strength}{v.form.label}, "
                         f"{v.route.label}{step}")
        self._set("schedule", row.schedule)
        later = [x for x in m.versions if today is not None and x.valid_from > today]
        self._set("next", "; ".join(
            f"from {short_day(x.valid_from)}: {x.describe()}, {describe_regimen(x.regimen)}"
            for x in later))
        self._set("food", describe_food_rule(m.food_rule))
        flags = []
        if v.do_not_crush:
            flags.append("⚠ Do not crush, chew or open it.")
        if v.flush_ml and v.route.is_tube:
            flags.append(f"Flush the tube with {v.flush_ml} mL of water before and after.")
        if m.given_by is GivenBy.CLINIC:
            flags.append("Given at the clinic.")
        self._set("flags", "\n".join(flags))
        self._set("instructions", m.instructions)
        self._set("supply", self._supply_text(row))
        self._set("bottle", self._bottle_text(row))
        dates = [f"started {short_day(m.start_date)}"]
        if m.end_date:
            dates.append(f"last day {short_day(m.end_date)}")
        if m.review_date:
            dates.append(f"review {short_day(m.review_date)}")
        self._set("dates", "; ".join(dates))
        self._set("prescriber", row.prescriber)
        self._set("pharmacy", row.pharmacy)
        entry = self._reference.find(m.reference_id) if m.reference_id else None
        reference_text = ""
        warning = ""
        if entry is not None:
            reference_text = f"{entry.generic}: {entry.purpose}"
            form_index = next((i for i, f in enumerate(entry.forms) if f.form is v.form), 0)
            warning = self._reference.prefill(entry.id, form_index).availability_warning
        self._set("reference", reference_text)
        self.read_button.setVisible(bool(entry and entry.article))
        warnings = [f"⚠ {w[0].upper()}{w[1:]}" for w in row.warnings]
        if warning:
            warnings.append(f"⚠ {warning}")
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    def text(self, key: str) -> str:
        """What a detail shows now (for tests and screen readers)."""
        return self._values[key][1].text()

    # ---- Qt overrides

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._update_title_font()

    # ---- Private

    def _update_title_font(self) -> None:
        font = QFont(self.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)

    def _set(self, key: str, text: str) -> None:
        _label, value, form = self._values[key]
        value.setText(text)
        form.setRowVisible(value, bool(text))

    @staticmethod
    def _supply_text(row: MedicineRow) -> str:
        supply = row.supply
        if supply is None:
            return "Stock is not tracked (set “Count stock in” with Change…)."
        if supply.on_hand is None:
            return "No stock recorded yet: use Stock ▸ Count stock."
        text = f"{Dose(supply.on_hand, supply.unit).describe()} on hand"
        if supply.run_out is not None:
            text += f"; runs out {short_day(supply.run_out)}"
            if supply.needs_reorder:
                text += " (reorder now)"
            elif supply.reorder_on is not None:
                text += f" (reorder by {short_day(supply.reorder_on)})"
        elif supply.per_dose is None:
            text += "; the run-out date needs “One dose uses” (Change…)"
        return text + "."

    @staticmethod
    def _bottle_text(row: MedicineRow) -> str:
        supply = row.medicine.supply
        if supply.opened_on is None:
            return ""
        text = f"opened {short_day(supply.opened_on)}"
        if supply.discard_by is not None:
            text += f"; throw it away after {short_day(supply.discard_by)}"
        return text

    def _read_about(self) -> None:
        if self._row is not None and self._row.medicine.reference_id:
            self.read_about_requested.emit(self._row.medicine.reference_id)
