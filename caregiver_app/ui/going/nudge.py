"""The Today tab's one line about "How things are going": what is due (the weekly weight,
today's symptom check, whether a recent as-needed dose helped), with a button for each
and one to turn the line off. Never a pop-up; hidden when nothing is due."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from caregiver_app.domain.going import Measure
from caregiver_app.domain.going_nudges import EFFECT_AFTER, Nudge, nudge
from caregiver_app.services.going import Going

#: How often the line looks again (an as-needed dose becomes "a while ago").
RECHECK_MS = 60_000


class GoingNudge(QFrame):
    record_requested = Signal(object)
    """Open the form of this ``Measure`` (for an effect: the dose id follows in
    ``dose_id``)."""

    turned_off = Signal()

    def __init__(self, going: Going, *,
                 as_needed: Callable[[], Sequence[tuple[int, datetime, str]]] = list,
                 enabled: Callable[[], bool] = lambda: True,
                 effect_after: Callable[[], timedelta] = lambda: EFFECT_AFTER,
                 parent: QWidget | None = None):
        """``as_needed``: (dose entry id, given at, "glycopyrrolate at 10:00") of the
        recent as-needed doses; ``enabled``: whether the household wants the line;
        ``effect_after``: how long after an as-needed dose to ask whether it helped."""
        super().__init__(parent)
        self._going = going
        self._as_needed = as_needed
        self._enabled = enabled
        self._effect_after = effect_after
        self.current = Nudge()
        self.dose_id: int | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Due in How things are going")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.label, 1)
        self.weight_button = QPushButton("Record &weight…")
        self.weight_button.clicked.connect(
            lambda: self.record_requested.emit(Measure.WEIGHT))
        self.check_button = QPushButton("Daily chec&k…")
        self.check_button.clicked.connect(
            lambda: self.record_requested.emit(Measure.SYMPTOMS))
        self.effect_button = QPushButton("Sa&y if it helped…")
        self.effect_button.clicked.connect(
            lambda: self.record_requested.emit(Measure.EFFECT))
        self.off_button = QPushButton("Turn these &off")
        self.off_button.setToolTip("Stop showing this line (turn it on again in the How "
                                   "things are going tab)")
        self.off_button.clicked.connect(self._turn_off)
        for button in (self.weight_button, self.check_button, self.effect_button,
                       self.off_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(RECHECK_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def refresh(self, *_args: object) -> None:
        if not self._enabled():
            self.current = Nudge()
            self.hide()
            return
        going = self._going
        try:  # (the latest of each, not every entry: it looks every minute)
            last_weight = going.latest_day(Measure.WEIGHT, skip_usual=True)
            last_check = going.latest_day(Measure.SYMPTOMS)
            doses = self._as_needed()
            answered = going.answered(entry_id for entry_id, _, _ in doses)
        except sqlite3.ProgrammingError:  # the records were closed (a restore, quitting)
            self._timer.stop()
            self.current = Nudge()
            self.hide()
            return
        self.current = nudge(
            going.today(), going.now(), last_weight=last_weight, last_check=last_check,
            as_needed=doses, answered=answered, effect_after=self._effect_after())
        self.dose_id = self.current.dose[0] if self.current.dose else None
        self.label.setText(self.current.text())
        self.weight_button.setVisible(self.current.weight)
        self.check_button.setVisible(self.current.check)
        self.effect_button.setVisible(self.current.dose is not None)
        self.setVisible(self.current.any)

    def _turn_off(self) -> None:
        self.turned_off.emit()
        self.refresh()
