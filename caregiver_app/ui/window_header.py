"""The main window's header: the patient line, then who is on duty and Caregivers….

On one row when the patient line gets at least half the width, else the patient line
above the controls (small screens, large text). It follows the records: the patient's
name and allergies, the caregivers, and the one on duty (remembered for the next start).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QWidget

from caregiver_app.domain.localtime import describe_day
from caregiver_app.services.changes import Changes
from caregiver_app.services.session import Session
from caregiver_app.ui import wheel
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.tones import Pair, keep_styled, pair

#: "Example: made-up data": a filled tag with no frame, so that it does not look like
#: the "Caregivers…" button beside it (clicking it does nothing).
EXAMPLE_TAG = Pair("#ece3f7", "#34165c")


def example_tag_style() -> str:
    fill, ink = pair(EXAMPLE_TAG)
    return (f"background: {fill}; color: {ink}; border: none; border-radius: 0.7em; "
            "padding: 2px 0.6em; font-weight: 600;")


class WindowHeader:
    """The header's widgets in ``layout`` (a ``QGridLayout`` the window puts above its
    tabs); ``arrange(width)`` lays them out for the window's width."""

    def __init__(self, session: Session, settings: UiSettings, *, is_example: bool,
                 edit_caregivers: Callable[[], object]):
        self._session = session
        self._settings = settings
        row = QGridLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.patient_label = QLabel()
        self.patient_label.setTextFormat(Qt.TextFormat.PlainText)
        self.patient_label.setAccessibleName("Patient")
        font = self.patient_label.font()
        font.setBold(True)
        self.patient_label.setFont(font)
        # Wraps instead of setting the window's minimum width: small laptops, large text.
        self.patient_label.setWordWrap(True)
        self.patient_label.setMinimumWidth(1)
        controls: list[QWidget] = []
        self.example_badge: QLabel | None = None
        if is_example:
            badge = self.example_badge = QLabel("Example: made-up data")
            badge.setToolTip("This is the example household. Nothing here is real, and it is "
                             "kept apart from your own records.")
            keep_styled(badge, example_tag_style)
            controls.append(badge)
        duty_label = QLabel("Caregiver on &duty:")
        self.duty_combo = QComboBox()
        self.duty_combo.setAccessibleName("Caregiver on duty")
        wheel.guard(self.duty_combo)  # the wheel passing over it changes nobody
        self.duty_combo.setMinimumContentsLength(16)
        duty_label.setBuddy(self.duty_combo)
        self.duty_combo.activated.connect(self._on_duty_chosen)
        self.caregivers_button = QPushButton("Caregivers…")
        self.caregivers_button.setAccessibleName("Edit the list of caregivers")
        self.caregivers_button.clicked.connect(edit_caregivers)
        controls += [duty_label, self.duty_combo, self.caregivers_button]
        self.layout = row
        self.controls = controls
        self._stacked: bool | None = None

    def arrange(self, width: int) -> None:
        """Patient line beside the controls when it gets at least half of ``width``, or
        above them."""
        row, controls = self.layout, self.controls
        spacing = max(row.horizontalSpacing(), 6)
        needed = sum(w.sizeHint().width() + spacing for w in controls)
        stacked = needed * 2 > width - 16
        if stacked == self._stacked:
            return
        self._stacked = stacked
        for widget in (self.patient_label, *controls):
            row.removeWidget(widget)
        for column in range(len(controls) + 2):
            row.setColumnStretch(column, 0)
        if stacked:
            row.addWidget(self.patient_label, 0, 0, 1, len(controls) + 1)
            for column, widget in enumerate(controls):
                row.addWidget(widget, 1, column)
            row.setColumnStretch(len(controls), 1)
        else:
            row.addWidget(self.patient_label, 0, 0)
            for column, widget in enumerate(controls, start=1):
                row.addWidget(widget, 0, column)
            row.setColumnStretch(0, 1)

    def restyle(self) -> None:
        """After the text size changed: a style sheet keeps the font it was given."""
        for widget in self.controls:
            if widget.styleSheet():
                widget.setStyleSheet(widget.styleSheet())

    def apply_changes(self, changes: Changes) -> None:
        """The patient line and the on-duty choice follow the records."""
        if changes.patient:
            self.reload_patient()
        if changes.caregivers:
            self.reload_caregivers()
        elif changes.on_duty:
            self._show_on_duty(self._session.on_duty)

    def reload_patient(self) -> None:
        patient = self._session.patient()
        if patient is None:
            self.patient_label.setText("No patient profile yet: File ▸ Patient profile")
            return
        parts = [patient.full_name]
        if patient.date_of_birth:
            parts.append(f"born {describe_day(patient.date_of_birth)}")
        parts.append(f"Allergies: {patient.allergy_summary()}")
        self.patient_label.setText("  ·  ".join(parts))

    def reload_caregivers(self) -> None:
        self.duty_combo.clear()
        self.duty_combo.addItem("— choose —", None)
        for c in self._session.caregivers():
            self.duty_combo.addItem(c.label(), c.id)
        self._show_on_duty(self._session.on_duty)

    # ---- Private

    def _on_duty_chosen(self, index: int) -> None:
        self._session.set_on_duty(self.duty_combo.itemData(index))

    def _show_on_duty(self, caregiver) -> None:
        """Whoever put them on duty (this selector, the Today tab, adding the only
        caregiver), the choice is shown here and remembered for the next start."""
        caregiver_id = caregiver.id if caregiver else None
        index = self.duty_combo.findData(caregiver_id)
        self.duty_combo.setCurrentIndex(max(index, 0))
        self._settings.on_duty_caregiver_id = caregiver_id
