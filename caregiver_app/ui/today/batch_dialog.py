""""Given: all due at 08:00": one confirmation for the doses due at one time.

Lists every medicine of the time group with a tick box (and, when a tick is not given
by itself, why: early, as needed, food rules; ``domain.batch.plan_batch``), the time
they were given (now, unless changed) and who gave them. Only what is ticked is
recorded, each as its own entry with the same time and giver, all together
(``MedicationBook.record_batch``). Changing the time looks again: a line that becomes
early (or otherwise needs its own tick) is unticked, with its reason; nothing is ever
ticked by the dialog after it opens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.batch import BatchItem, BatchPlan
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.today.dialogs import wall_of, wall_time_edit
from caregiver_app.ui.tones import Tone, keep_toned

Choice = tuple[int, str | None]


class BatchGivenDialog(SavingDialog):
    not_saved = "These doses were not recorded"

    def __init__(self, *, plan: BatchPlan, replan: Callable[[datetime], BatchPlan],
                 save: Callable[[Sequence[Choice], datetime], object], zone: ZoneInfo,
                 now: datetime, giver: str, parent: QWidget | None = None):
        """``plan``: the group at the time the dialog opens; ``replan(at)``: the same
        group given at another time; ``save(choices, at)`` records (may raise
        ``ValidationError``); ``giver``: who is recorded as giving them ("Tom (TE)")."""
        super().__init__(parent)
        local = to_utc(plan.due).astimezone(zone)
        self.setWindowTitle(f"Given: all due at {local:%H:%M}")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._zone = zone
        self._replan = replan
        self._save = save
        self._plan = plan
        layout = QVBoxLayout(self)
        heading = QLabel(f"Record the doses due at {local:%H:%M} as given, each as its own "
                         "record with the same time and giver. Untick any not given.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.time_edit = wall_time_edit(plan.at, zone, now)
        self.time_edit.setAccessibleName("Time given")
        box, label = with_error(self.time_edit)
        self.errors.add("given_at", self.time_edit, label)
        form.addRow("&Given at:", box)
        self.giver_label = QLabel(giver)
        self.giver_label.setAccessibleName("Given by")
        form.addRow("Given by:", self.giver_label)
        layout.addLayout(form)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        self._rows = QVBoxLayout(holder)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self.checks: dict[Choice, QCheckBox] = {}
        self.reasons: dict[Choice, QLabel] = {}
        for item in plan.items:
            check = QCheckBox(f"{item.name}: {item.what}")
            check.setChecked(item.included)
            check.setEnabled(item.allowed)
            check.setAccessibleName(f"Give {item.name}, {item.what}")
            check.toggled.connect(self._update_count)
            reason = QLabel()
            reason.setWordWrap(True)
            keep_toned(reason, Tone.WARNING)
            reason.setTextFormat(Qt.TextFormat.PlainText)
            reason.setIndent(self.fontMetrics().averageCharWidth() * 4)
            reason.setAccessibleName(f"About {item.name}")
            self._rows.addWidget(check)
            self._rows.addWidget(reason)
            self.checks[item.choice] = check
            self.reasons[item.choice] = reason
        self._rows.addStretch(1)
        self.scroll.setWidget(holder)
        layout.addWidget(self.scroll, 1)
        self.error_label = ErrorLabel()
        self.errors.set_general(self.error_label)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton("Record as given",
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_reasons(plan)
        self.time_edit.dateTimeChanged.connect(self._on_time_changed)
        self._update_count()
        self.initial_focus().setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- Public API
    # ``ask(plan=, replan=, save=, zone=, now=, giver=, parent=)`` (``SavingDialog``):
    # what ``save`` returned, or None if cancelled.

    def chosen(self) -> list[Choice]:
        return [choice for choice, check in self.checks.items()
                if check.isChecked() and check.isEnabled()]

    def initial_focus(self) -> QWidget:
        """The first tick box that can be changed (else the OK button): the time is
        now, unless changed."""
        first = next((c for c in self.checks.values() if c.isEnabled()), None)
        return first or self.ok_button

    def save_form(self) -> object:
        chosen = self.chosen()
        if not chosen:
            raise ValidationError({"chosen": "Tick at least one medicine, or Cancel."})
        return self._save(chosen, wall_of(self.time_edit, self._zone))

    # ---- Private

    def _on_time_changed(self, *_args) -> None:
        plan = self._replan(wall_of(self.time_edit, self._zone))
        for item in plan.items:
            check = self.checks.get(item.choice)
            if check is None:
                continue
            if not item.included:
                check.setChecked(False)  # it needs its own tick again, at this time
            check.setEnabled(item.allowed)
        self._plan = plan
        self._show_reasons(plan)
        self._update_count()

    def _show_reasons(self, plan: BatchPlan) -> None:
        for item in plan.items:
            label = self.reasons.get(item.choice)
            if label is not None:
                text = _reason_text(item)
                label.setText(text)
                label.setVisible(bool(text))

    def _update_count(self, *_args) -> None:
        count = len(self.chosen())
        self.ok_button.setText(f"&Record {count} as given" if count != 1
                               else "&Record 1 as given")
        self.ok_button.setEnabled(count > 0)
        self.error_label.set_message("")


def _reason_text(item: BatchItem) -> str:
    lines = []
    if item.reason:
        lines.append(f"⚠ {item.reason}")
    lines.extend(f"⚠ {w}" for w in item.warnings)
    return "\n".join(lines)


__all__ = ["BatchGivenDialog"]
