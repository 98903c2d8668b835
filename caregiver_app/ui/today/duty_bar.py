"""The Today tab's inline "who is on duty?" bar: recording waits for a caregiver."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from caregiver_app.services.session import People, Session
from caregiver_app.ui import wheel
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.tones import Pair, keep_styled, pair

#: "Nobody is on duty": a light amber bar (a dark one of the same hue in a dark theme).
DUTY_BAR = Pair("#fff4d6", "#3d2a00")


class DutyBar(QFrame):
    """Shown when something is to be recorded and nobody is on duty: choose who is
    (then the waiting action runs), add caregivers, or cancel (nothing is recorded)."""

    add_requested = Signal()
    """There are no caregivers yet: open the list."""

    closed = Signal()
    """The bar was answered (before the waiting action runs) or cancelled."""

    def __init__(self, session: Session, patients: People, settings: UiSettings,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._patients = patients
        self._settings = settings
        self.pending: Callable[[], None] | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        keep_styled(self, lambda: "QFrame {{ background: {}; color: {}; }}".format(
            *pair(DUTY_BAR)))
        row = QHBoxLayout(self)
        self.duty_label = QLabel("Nobody is on duty. Who is giving the medicines?")
        self.duty_label.setWordWrap(True)
        self.duty_combo = QComboBox()
        self.duty_combo.setAccessibleName("Who is on duty")
        wheel.guard(self.duty_combo)
        self.duty_label.setBuddy(self.duty_combo)
        self.duty_ok = QPushButton("&Yes, that's me: continue")
        self.duty_ok.setAccessibleName("Put this caregiver on duty and continue")
        self.duty_ok.clicked.connect(self.confirm)
        self.duty_add = QPushButton("Add caregivers…")
        self.duty_add.setAccessibleName("Add the people who give medicines")
        self.duty_add.clicked.connect(self.add_requested)
        self.duty_cancel = QPushButton("Cancel")
        self.duty_cancel.setAccessibleName("Cancel: record nothing")
        self.duty_cancel.clicked.connect(self.cancel)
        for widget in (self.duty_label, self.duty_combo, self.duty_ok, self.duty_add,
                       self.duty_cancel):
            row.addWidget(widget)
        row.setStretch(0, 1)
        self.hide()

    def run(self, action: Callable[[], None]) -> None:
        """Run ``action`` with a caregiver on duty, asking who is (inline) if nobody is."""
        if self._session.on_duty_id is not None:
            action()
            return
        self.pending = action
        self.refill()
        self.show()
        target = self.duty_combo if self.duty_combo.count() else self.duty_add
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def refill(self) -> None:
        self.duty_combo.clear()
        for caregiver in self._patients.caregivers():
            self.duty_combo.addItem(caregiver.label(), caregiver.id)
        has = self.duty_combo.count() > 0
        self.duty_combo.setVisible(has)
        self.duty_ok.setVisible(has)
        self.duty_add.setVisible(not has)
        self.duty_label.setText(
            "Nobody is on duty. Who is giving the medicines?" if has else
            "Add the people who give medicines first, so each dose shows who gave it.")

    def confirm(self) -> None:
        caregiver_id = self.duty_combo.currentData()
        if caregiver_id is None:
            return
        self._session.set_on_duty(caregiver_id)
        self._settings.on_duty_caregiver_id = caregiver_id
        self.hide()
        pending, self.pending = self.pending, None
        self.closed.emit()
        if pending is not None:
            pending()

    def cancel(self) -> None:
        self.pending = None
        self.hide()
        self.closed.emit()
