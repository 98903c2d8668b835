"""The "how often" part of the medicine dialog: one editor for every regimen kind.

Kinds (``domain.regimens``): every day; chosen weekdays; every N days or weeks; cycles of
dose days and days off with a different first cycle (edaravone); loading doses then
maintenance (tofersen); as needed with a minimum interval and a 24-hour maximum; dose
steps over time (titration or taper).

The editor registers its fields with the dialog's ``FormErrors`` under the engine's
field names (``times``, ``weekdays``, ``every``, ``first_cycle``, ``later_cycles``,
``cycles``, ``loading_doses``, ``loading_interval``, ``maintenance_interval``,
``min_interval``, ``max_per_24h``, ``steps``, ``regimen_start``), so a message from
``validate_regimen`` lands next to its field.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.reference import RegimenHint
from caregiver_app.domain.regimens import (
    EDARAVONE_FIRST_CYCLE,
    EDARAVONE_LATER_CYCLES,
    MAX_CYCLE_LENGTH,
    MAX_INTERVAL,
    AsNeededRegimen,
    CyclePhase,
    CycleRegimen,
    DailyRegimen,
    IntervalRegimen,
    IntervalUnit,
    LoadingRegimen,
    Regimen,
    RegimenKind,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.ui.columns import keep_fitted
from caregiver_app.ui.forms import FormErrors, with_error
from caregiver_app.ui.medications.dialog_models import StepRow, StepsDelegate, StepsModel
from caregiver_app.ui.medications.widgets import ComboBox, DateEdit, SpinBox, TimesEdit
from caregiver_app.ui.widgets import fit_placeholder

KIND_LABELS = {
    RegimenKind.DAILY: "Every day",
    RegimenKind.WEEKDAYS: "On chosen days of the week",
    RegimenKind.INTERVAL: "Every few days or weeks",
    RegimenKind.CYCLE: "In cycles: dose days, then days off (like edaravone)",
    RegimenKind.LOADING: "Loading doses, then maintenance (like tofersen)",
    # (its own first letter: typing "a" in the list chooses it, as "o" chose "On chosen
    # days of the week" before "Only when needed")
    RegimenKind.AS_NEEDED: "As needed (only when needed)",
    RegimenKind.STEPS: "The dose changes over time (steps up or down)",
}

_HELP = {
    RegimenKind.DAILY: "Given every day at each time.",
    RegimenKind.WEEKDAYS: "Given on the ticked days, at each time.",
    RegimenKind.INTERVAL: "Counted from the date below: every 2 days means that day, then "
                          "two days later, and so on.",
    RegimenKind.CYCLE: "Edaravone's usual pattern is filled in: cycle 1 is daily for 14 days, "
                       "then 14 days off; each later cycle has doses on 10 of the first 14 "
                       "days, then 14 days off. Check it against the prescription. If a dose "
                       "is delayed, use Cycle ▸ Delay on the medicine list.",
    RegimenKind.LOADING: "Tofersen's usual pattern is filled in: 3 loading doses 14 days "
                         "apart, then one every 28 days. Each next dose counts from the day "
                         "the previous one was really given.",
    RegimenKind.AS_NEEDED: "No set times. The app warns before a dose that comes too soon "
                           "or goes over the daily maximum. Use the limits on the "
                           "prescription.",
    RegimenKind.STEPS: "Each step has its own amount and times, from its first day to its "
                       "last day. Only the last step may have no last day.",
}

_ANCHOR_LABELS = {
    RegimenKind.INTERVAL: "Counting fro&m:",
    RegimenKind.CYCLE: "Cycle &1 started on:",
    RegimenKind.LOADING: "Dose &1 given on:",
}
_ANCHORED = frozenset(_ANCHOR_LABELS)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _PhaseEdit(QWidget):
    """"[14] dose days in the first [14] days of a [28]-day cycle"."""

    def __init__(self, name: str, phase: CyclePhase, parent: QWidget | None = None):
        super().__init__(parent)
        self.doses = SpinBox(1, MAX_CYCLE_LENGTH, accessible_name=f"{name}: dose days")
        self.window = SpinBox(1, MAX_CYCLE_LENGTH,
                              accessible_name=f"{name}: dosing period in days")
        self.length = SpinBox(1, MAX_CYCLE_LENGTH, accessible_name=f"{name}: cycle length")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.doses, QLabel("dose days in the first"), self.window,
                       QLabel("days of a"), self.length, QLabel("-day cycle")):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setFocusProxy(self.doses)
        self.set_phase(phase)

    def phase(self) -> CyclePhase:
        return CyclePhase(self.doses.value(), self.window.value(), self.length.value())

    def set_phase(self, phase: CyclePhase) -> None:
        self.doses.setValue(phase.doses)
        self.window.setValue(phase.window)
        self.length.setValue(phase.length)


class RegimenEditor(QWidget):
    changed = Signal()
    """Any field changed (the dialog refreshes its preview)."""

    def __init__(self, errors: FormErrors, *, default_start: date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._errors = errors
        self._default_start = default_start
        self._anchor_touched = False
        self._default_unit = ""
        self._end: dict[RegimenKind, date | None] = {}
        self._loaded_start: dict[RegimenKind, date] = {}
        self._build()
        self._show_kind()

    # ---- Public API

    def kind(self) -> RegimenKind:
        return RegimenKind(self.kind_combo.currentData())

    def set_kind(self, kind: RegimenKind) -> None:
        self.kind_combo.select_data(kind.value)

    def set_default_start(self, value: date) -> None:
        """The medicine's start date changed: anchors follow it until edited by hand."""
        self._default_start = value
        if not self._anchor_touched:
            self._set_anchor(value)

    def set_default_unit(self, unit: str) -> None:
        """The unit a new dose step starts with (the dialog's dose unit)."""
        self._default_unit = unit

    def set_regimen(self, regimen: Regimen) -> None:
        """Show a stored regimen (an edit starts from the version in force)."""
        self._end = {regimen.kind: getattr(regimen, "end", None)}
        # Kept while the kind stays the same, so an unchanged schedule reads back equal.
        self._loaded_start = {regimen.kind: regimen.start}
        if isinstance(regimen, DailyRegimen | WeekdaysRegimen | IntervalRegimen
                      | CycleRegimen):
            self.times_edit.set_times(regimen.times)
        if isinstance(regimen, WeekdaysRegimen):
            for number, box in enumerate(self.weekday_boxes):
                box.setChecked(number in regimen.weekdays)
        elif isinstance(regimen, IntervalRegimen):
            self.every_spin.setValue(regimen.every)
            self.unit_combo.select_data(regimen.unit.value)
        elif isinstance(regimen, CycleRegimen):
            self.first_cycle.set_phase(regimen.first)
            self.later_cycles.set_phase(regimen.later)
            self.cycles_spin.setValue(regimen.cycles or 0)
        elif isinstance(regimen, LoadingRegimen):
            self.times_edit.set_times((regimen.time,))
            self.loading_spin.setValue(regimen.loading_doses)
            self.loading_gap_spin.setValue(regimen.loading_interval_days)
            self.maintenance_spin.setValue(regimen.maintenance_interval_days)
        elif isinstance(regimen, AsNeededRegimen):
            minutes = int(regimen.min_interval.total_seconds() // 60)
            self.interval_hours.setValue(minutes // 60)
            self.interval_minutes.setValue(minutes % 60)
            self.max_spin.setValue(regimen.max_per_24h or 0)
        elif isinstance(regimen, StepsRegimen):
            self.steps_model.set_steps([StepRow.from_step(s) for s in regimen.steps])
        if not isinstance(regimen, StepsRegimen) and regimen.kind in _ANCHORED:
            self._set_anchor(regimen.start)
            self._anchor_touched = True
        self.set_kind(regimen.kind)

    def apply_hint(self, hint: RegimenHint) -> None:
        """A reference entry's usual pattern: choose the kind and the engine's defaults
        for it (never a dose or a time: those come from the prescription)."""
        if hint is RegimenHint.EDARAVONE_CYCLE:
            self.first_cycle.set_phase(EDARAVONE_FIRST_CYCLE)
            self.later_cycles.set_phase(EDARAVONE_LATER_CYCLES)
            self.cycles_spin.setValue(0)
            self.set_kind(RegimenKind.CYCLE)
        elif hint is RegimenHint.TOFERSEN_LOADING:
            defaults = LoadingRegimen(start=self._default_start, time=self._any_time())
            self.loading_spin.setValue(defaults.loading_doses)
            self.loading_gap_spin.setValue(defaults.loading_interval_days)
            self.maintenance_spin.setValue(defaults.maintenance_interval_days)
            self.set_kind(RegimenKind.LOADING)
        elif hint is RegimenHint.AS_NEEDED:
            self.set_kind(RegimenKind.AS_NEEDED)

    def regimen(self, start: date) -> Regimen:
        """The regimen as typed. ``start``: its first day when the kind has no date of its
        own. Raises ValidationError for what cannot be read (times); the engine's
        ``validate_regimen`` checks the rest."""
        kind = self.kind()
        end = self._end.get(kind)
        start = min(start, self._loaded_start.get(kind, start))
        if kind is RegimenKind.STEPS:
            return StepsRegimen(self.steps_model.steps())
        if kind is RegimenKind.AS_NEEDED:
            minutes = self.interval_hours.value() * 60 + self.interval_minutes.value()
            return AsNeededRegimen(start=start, min_interval=timedelta(minutes=minutes),
                                   max_per_24h=self.max_spin.value() or None, end=end)
        try:
            times = self.times_edit.times()
        except ValueError as exc:
            raise ValidationError({"times": str(exc)}) from exc
        anchor = self.anchor_edit.value() if kind in _ANCHORED else start
        if kind is RegimenKind.DAILY:
            return DailyRegimen(start=anchor, times=times, end=end)
        if kind is RegimenKind.WEEKDAYS:
            days = frozenset(n for n, box in enumerate(self.weekday_boxes) if box.isChecked())
            return WeekdaysRegimen(start=anchor, weekdays=days, times=times, end=end)
        if kind is RegimenKind.INTERVAL:
            return IntervalRegimen(start=anchor, every=self.every_spin.value(), times=times,
                                   unit=IntervalUnit(self.unit_combo.currentData()), end=end)
        if kind is RegimenKind.CYCLE:
            return CycleRegimen(start=anchor, times=times, first=self.first_cycle.phase(),
                                later=self.later_cycles.phase(),
                                cycles=self.cycles_spin.value() or None, end=end)
        if not times:
            raise ValidationError({"times": "Enter the time of day the dose is planned."})
        if len(times) != 1:
            raise ValidationError({"times": "Loading and maintenance doses are given once on "
                                            "their day: enter one time."})
        return LoadingRegimen(start=anchor, time=times[0],
                              loading_doses=self.loading_spin.value(),
                              loading_interval_days=self.loading_gap_spin.value(),
                              maintenance_interval_days=self.maintenance_spin.value(), end=end)

    def uses_step_doses(self) -> bool:
        """True when each step carries its own amount (the dialog's dose row is not used)."""
        return self.kind() is RegimenKind.STEPS

    # ---- Private

    def _build(self) -> None:
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

        self.kind_combo = ComboBox(accessible_name="How often it is given")
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind.value)
        self.form.addRow(self._label("&How often:", self.kind_combo), self.kind_combo)
        self.kind_combo.currentIndexChanged.connect(self._show_kind)

        self.help_label = QLabel()
        self.help_label.setWordWrap(True)
        self.help_label.setTextFormat(Qt.TextFormat.PlainText)
        self.help_label.setAccessibleName("About this kind of schedule")
        self.form.addRow("", self.help_label)

        self.anchor_edit = DateEdit(accessible_name="Date the schedule counts from")
        self.anchor_edit.set_value(self._default_start)
        self.anchor_edit.dateChanged.connect(self._on_anchor_edited)
        self.anchor_label = QLabel()
        self._row(self.anchor_label, self.anchor_edit, "regimen_start")

        self.times_edit = TimesEdit(accessible_name="Times of day")
        self.times_edit.textChanged.connect(self.changed)
        self.times_label = QLabel("&Times of day:")
        self._row(self.times_label, self.times_edit, "times")

        days = QWidget()
        row = QHBoxLayout(days)
        row.setContentsMargins(0, 0, 0, 0)
        self.weekday_boxes = []
        for name in _WEEKDAYS:
            box = QCheckBox(name[:3])
            box.setAccessibleName(name)
            box.toggled.connect(self.changed)
            self.weekday_boxes.append(box)
            row.addWidget(box)
        row.addStretch(1)
        days.setFocusProxy(self.weekday_boxes[0])
        self._row("On wee&kdays:", days, "weekdays")

        every = QWidget()
        row = QHBoxLayout(every)
        row.setContentsMargins(0, 0, 0, 0)
        self.every_spin = SpinBox(1, MAX_INTERVAL, accessible_name="Every how many")
        self.every_spin.setValue(2)
        self.unit_combo = ComboBox(accessible_name="Days or weeks")
        self.unit_combo.addItem("days", IntervalUnit.DAYS.value)
        self.unit_combo.addItem("weeks", IntervalUnit.WEEKS.value)
        row.addWidget(self.every_spin)
        row.addWidget(self.unit_combo)
        row.addStretch(1)
        every.setFocusProxy(self.every_spin)
        self._row("Ever&y:", every, "every")

        self.first_cycle = _PhaseEdit("First cycle", EDARAVONE_FIRST_CYCLE)
        self._row("First c&ycle:", self.first_cycle, "first_cycle")
        self.later_cycles = _PhaseEdit("Later cycles", EDARAVONE_LATER_CYCLES)
        self._row("Later cycles:", self.later_cycles, "later_cycles")
        self.cycles_spin = SpinBox(0, 1000, accessible_name="Number of cycles")
        self.cycles_spin.setSpecialValueText("no set number")
        self._row("Number of cycles:", self.cycles_spin, "cycles")

        defaults = LoadingRegimen(start=self._default_start, time=self._any_time())
        self.loading_spin = SpinBox(0, 20, accessible_name="Number of loading doses")
        self.loading_spin.setValue(defaults.loading_doses)
        self._row("Loading doses:", self.loading_spin, "loading_doses")
        self.loading_gap_spin = SpinBox(1, MAX_INTERVAL,
                                        accessible_name="Days between loading doses")
        self.loading_gap_spin.set_units(" day", " days")
        self.loading_gap_spin.setValue(defaults.loading_interval_days)
        self._row("Days between loading doses:", self.loading_gap_spin, "loading_interval")
        self.maintenance_spin = SpinBox(1, MAX_INTERVAL,
                                        accessible_name="Days between maintenance doses")
        self.maintenance_spin.set_units(" day", " days")
        self.maintenance_spin.setValue(defaults.maintenance_interval_days)
        self._row("Then one dose ever&y:", self.maintenance_spin, "maintenance_interval")

        gap = QWidget()
        row = QHBoxLayout(gap)
        row.setContentsMargins(0, 0, 0, 0)
        self.interval_hours = SpinBox(0, 7 * 24, suffix=" h",
                                      accessible_name="Shortest time between doses: hours")
        self.interval_minutes = SpinBox(0, 59, suffix=" min",
                                        accessible_name="Shortest time between doses: minutes")
        self.interval_minutes.setSingleStep(15)
        row.addWidget(QLabel("at least"))
        row.addWidget(self.interval_hours)
        row.addWidget(self.interval_minutes)
        row.addWidget(QLabel("between doses"))
        row.addStretch(1)
        gap.setFocusProxy(self.interval_hours)
        self._row("&Minimum gap:", gap, "min_interval")
        self.max_spin = SpinBox(0, 48, accessible_name="Most doses in 24 hours")
        self.max_spin.setSpecialValueText("no maximum")
        self._row("Most in &24 hours:", self.max_spin, "max_per_24h")

        steps = QWidget()
        column = QVBoxLayout(steps)
        column.setContentsMargins(0, 0, 0, 0)
        self.steps_model = StepsModel(self)
        self.steps_view = QTableView()
        self.steps_view.setAccessibleName("Dose steps")
        self.steps_view.setModel(self.steps_model)
        self.steps_view.setItemDelegate(StepsDelegate(self.steps_view))
        self.steps_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps_view.setTabKeyNavigation(False)
        triggers = QAbstractItemView.EditTrigger
        self.steps_view.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed
                                        | triggers.AnyKeyPressed | triggers.SelectedClicked)
        keep_fitted(self.steps_view)  # a step's dose and times read whole
        self.steps_view.setMinimumHeight(self.fontMetrics().height() * 7)
        column.addWidget(self.steps_view)
        buttons = QHBoxLayout()
        self.add_step_button = QPushButton("Add a step")
        self.add_step_button.setAccessibleName("Add a dose step")
        self.add_step_button.clicked.connect(self._add_step_and_type)
        self.remove_step_button = QPushButton("Remove the chosen step")
        self.remove_step_button.setAccessibleName("Remove the chosen dose step")
        self.remove_step_button.clicked.connect(self._remove_step)
        buttons.addWidget(self.add_step_button)
        buttons.addWidget(self.remove_step_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        steps.setFocusProxy(self.steps_view)
        self._row("Steps:", steps, "steps")
        for signal in (self.steps_model.dataChanged, self.steps_model.rowsInserted,
                       self.steps_model.rowsRemoved, self.steps_model.modelReset):
            signal.connect(self.changed)

        for spin in (self.every_spin, self.cycles_spin, self.loading_spin,
                     self.loading_gap_spin, self.maintenance_spin, self.interval_hours,
                     self.interval_minutes, self.max_spin, self.first_cycle.doses,
                     self.first_cycle.window, self.first_cycle.length, self.later_cycles.doses,
                     self.later_cycles.window, self.later_cycles.length):
            spin.valueChanged.connect(self.changed)
        self.unit_combo.currentIndexChanged.connect(self.changed)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _row(self, label: str | QLabel, field: QWidget, error_name: str) -> None:
        box, error = with_error(field)
        # (the buddy is the box: it hands focus on even when the field is a row of
        # several, where the field itself takes none)
        if isinstance(label, str):
            label = self._label(label, box)
        else:
            label.setBuddy(box)
        self.form.addRow(label, box)
        self._errors.add(error_name, field, error)
        setattr(self, f"_{error_name}_box", box)

    def _visible_rows(self, kind: RegimenKind) -> set[str]:
        timed = {RegimenKind.DAILY, RegimenKind.WEEKDAYS, RegimenKind.INTERVAL,
                 RegimenKind.CYCLE, RegimenKind.LOADING}
        rows = {"times"} if kind in timed else set()
        if kind in _ANCHORED:
            rows.add("regimen_start")
        rows |= {
            RegimenKind.WEEKDAYS: {"weekdays"},
            RegimenKind.INTERVAL: {"every"},
            RegimenKind.CYCLE: {"first_cycle", "later_cycles", "cycles"},
            RegimenKind.LOADING: {"loading_doses", "loading_interval", "maintenance_interval"},
            RegimenKind.AS_NEEDED: {"min_interval", "max_per_24h"},
            RegimenKind.STEPS: {"steps"},
        }.get(kind, set())
        return rows

    def _show_kind(self) -> None:
        kind = self.kind()
        shown = self._visible_rows(kind)
        for name in ("regimen_start", "times", "weekdays", "every", "first_cycle",
                     "later_cycles", "cycles", "loading_doses", "loading_interval",
                     "maintenance_interval", "min_interval", "max_per_24h", "steps"):
            self.form.setRowVisible(getattr(self, f"_{name}_box"), name in shown)
        if kind in _ANCHOR_LABELS:
            self.anchor_label.setText(_ANCHOR_LABELS[kind])
        one = kind is RegimenKind.LOADING
        self.times_edit.setAccessibleName("Time of day" if one else "Times of day")
        self.times_label.setText("&Time of day:" if one else "&Times of day:")
        fit_placeholder(self.times_edit, *(("for example 09:00", "09:00") if one
                                           else ("for example 08:00, 20:00", "08:00, 20:00")))
        self.help_label.setText(_HELP[kind])
        if kind is RegimenKind.STEPS and not self.steps_model.rowCount():
            self._add_step()
        self.changed.emit()

    def _set_anchor(self, value: date) -> None:
        self.anchor_edit.blockSignals(True)
        self.anchor_edit.set_value(value)
        self.anchor_edit.blockSignals(False)
        self.changed.emit()

    def _on_anchor_edited(self) -> None:
        self._anchor_touched = True
        self.changed.emit()

    def _add_step(self) -> None:
        row = self.steps_model.add_step(self._default_start, self._default_unit)
        self.steps_view.setCurrentIndex(self.steps_model.index(row, StepsModel.AMOUNT))

    def _add_step_and_type(self) -> None:
        """"Add a step" pressed: the new step's amount takes what is typed next (no
        Shift+Tab back into the table, no click on the cell)."""
        self._add_step()
        self.steps_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove_step(self) -> None:
        index = self.steps_view.currentIndex()
        if index.isValid():
            self.steps_model.remove_step(index.row())

    @staticmethod
    def _any_time() -> time:
        return time(9)  # only to read the engine's default counts; never saved

    def error_fields(self) -> list[tuple[str, QWidget]]:
        """The field that answers for each of the schedule's names in a ValidationError."""
        return [("times", self.times_edit), ("regimen_start", self.anchor_edit),
                ("weekdays", self.weekday_boxes[0]), ("every", self.every_spin),
                ("first_cycle", self.first_cycle), ("later_cycles", self.later_cycles),
                ("cycles", self.cycles_spin), ("loading_doses", self.loading_spin),
                ("loading_interval", self.loading_gap_spin),
                ("maintenance_interval", self.maintenance_spin),
                ("min_interval", self.interval_hours), ("max_per_24h", self.max_spin),
                ("steps", self.steps_view)]
