"""The fifth tab, How things are going: record weight, the daily symptom check, everyday
function, the clinic's numbers and whether an as-needed dose helped; see each as a
chart over time, with the medicines that are for it on the same axis, and as a table
(the same points, for screen readers); correct an entry or mark it as a mistake.

Layout and binding only: the records and their rules are in ``services.going`` and
``domain.going``; the sums in ``domain.going_trends``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain import function_scale, going_trends
from caregiver_app.domain.going import (
    BMI_NOTE,
    NO_HEIGHT,
    SOURCES,
    WEIGHT_NOTE,
    Entry,
    Measure,
    from_kg,
)
from caregiver_app.domain.going_nudges import (
    EFFECT_AFTER_CHOICES,
    EFFECT_AFTER_MINUTES,
    effect_after_text,
)
from caregiver_app.domain.going_trends import Series
from caregiver_app.domain.localtime import describe_day
from caregiver_app.services.changes import Changes
from caregiver_app.services.going import Going
from caregiver_app.ui.going.chart import Marker, TrendChart
from caregiver_app.ui.going.dialogs import (
    EntryDialog,
    WithdrawDialog,
    exec_dialog,
    sources_label,
)

#: What the tab says about the numbers, once: they are for the care team to read.
CARE_TEAM_NOTE = (
    "These numbers are for talking with the care team, who decide what they mean. Losing "
    "weight, new trouble swallowing or breathing, or a big change in a line here: tell "
    "the care team.")

COLUMNS = ("Day", "Value", "Entered by", "Note")
#: The print kind of the clinic-visit summary (``services.printing.PrintKind.VISIT``).
VISIT_KIND = "visit"
#: The tab's width, in characters, from which the chart and the table sit side by side.
SIDE_BY_SIDE_CHARS = 150


class GoingTab(QWidget):
    print_requested = Signal(str)
    """Print the clinic-visit summary (its print kind, ``"visit"``)."""

    status_message = Signal(str)

    nudges_changed = Signal()
    """The Today line was turned on or off here."""

    def __init__(self, going: Going, *,
                 caregiver_names: Callable[[], dict[int, str]] = dict,
                 medicine_changes: Callable[[tuple[str, ...]], list[tuple[date, str]]]
                 = lambda _ids: [],
                 as_needed_doses: Callable[[], Sequence[tuple[int, date, str]]] = list,
                 height_cm: Callable[[], float | None] = lambda: None,
                 nudges: Callable[[], bool] = lambda: True,
                 set_nudges: Callable[[bool], None] = lambda _on: None,
                 effect_after: Callable[[], int] = lambda: EFFECT_AFTER_MINUTES,
                 set_effect_after: Callable[[int], None] = lambda _minutes: None,
                 as_needed_given: Callable[[date], Sequence[tuple[int, str]]]
                 = lambda _since: [],
                 period: Callable[[], tuple[date, str]] | None = None,
                 parent: QWidget | None = None):
        """``nudges``/``set_nudges``: whether the Today tab shows what is due;
        ``effect_after``/``set_effect_after``: how many minutes after an as-needed dose
        Today asks whether it helped; ``as_needed_given(since)``: (dose entry id,
        medicine) of each as-needed dose given from ``since``; ``period()``: the first
        day of the visit summary's period and in words where it starts."""
        super().__init__(parent)
        self._going = going
        self._names = caregiver_names
        self._medicine_changes = medicine_changes
        self._as_needed_doses = as_needed_doses
        self._height = height_cm
        self._nudges_on = nudges
        self._set_nudges = set_nudges
        self._effect_after = effect_after
        self._set_effect_after = set_effect_after
        self._as_needed_given = as_needed_given
        self._period = period
        self._rows: list[Entry] = []
        self._entries: dict[Measure, list[Entry]] = {}
        self._stale = True
        self._build()

    # ---- Building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel("Record how things are going, a little at a time. The clinic asks "
                       "about these at each visit.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.record_buttons: dict[Measure, QPushButton] = {}
        for number, (measure, text) in enumerate((
                (Measure.SYMPTOMS, "Daily &symptom check…"),
                (Measure.WEIGHT, "Record &weight…"),
                (Measure.FUNCTION, "&Everyday function…"),
                (Measure.CLINIC, "Clinic &numbers…"),
                (Measure.EFFECT, "&As-needed dose: did it help?…"))):
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(lambda _=False, m=measure: self.record(m))
            grid.addWidget(button, number // 3, number % 3)
            self.record_buttons[measure] = button
        layout.addLayout(grid)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Summary")
        layout.addWidget(self.summary)
        note = QLabel(f"{CARE_TEAM_NOTE} {WEIGHT_NOTE} {BMI_NOTE}")
        note.setWordWrap(True)
        layout.addWidget(note)

        show_row = QHBoxLayout()
        show_label = QLabel("Sh&ow:")
        self.series_combo = QComboBox()
        self.series_combo.setAccessibleName("Show")
        show_label.setBuddy(self.series_combo)
        show_row.addWidget(show_label)
        show_row.addWidget(self.series_combo, 1)
        layout.addLayout(show_row)
        self.series_combo.currentIndexChanged.connect(self._show_series)

        # side by side when there is room for both at this text size, else one above the
        # other (the page scrolls)
        self.views = views = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.chart = TrendChart()
        views.addWidget(self.chart, 3)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Entries")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(True)  # the note takes what is left
        header.setResizeContentsPrecision(200)  # (the first rows say how wide a day is)
        views.addWidget(self.table, 2)
        layout.addLayout(views, 1)
        self.chart.point_chosen.connect(self._select_row)
        self.table.itemSelectionChanged.connect(self._row_selected)

        actions = QHBoxLayout()
        self.correct_button = QPushButton("Co&rrect…")
        self.correct_button.setToolTip("Save a correction of the chosen entry; the first "
                                       "version stays in the records")
        self.correct_button.setAccessibleName("Correct the chosen entry")
        self.correct_button.clicked.connect(self.correct_selected)
        self.withdraw_button = QPushButton("Mar&k as a mistake…")
        self.withdraw_button.setAccessibleName("Mark the chosen entry as a mistake")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.withdraw_button)
        actions.addStretch(1)
        self.print_button = QPushButton("&Print visit summary…")
        self.print_button.setToolTip("One or two pages for the ALS clinic, since the last "
                                     "clinic visit")
        self.print_button.setAccessibleName("Print the clinic visit summary")
        self.print_button.clicked.connect(lambda: self.print_requested.emit(VISIT_KIND))
        actions.addWidget(self.print_button)
        layout.addLayout(actions)
        prefs = QHBoxLayout()
        self.nudge_check = QCheckBox("Show what is d&ue on the Today tab")
        self.nudge_check.setToolTip("One line on Today when the weekly weight or the daily "
                                    "check is due, or an as-needed dose was given a while "
                                    "ago")
        self.nudge_check.setAccessibleName("Show what is due on the Today tab")
        self.nudge_check.setChecked(self._nudges_on())
        self.nudge_check.toggled.connect(self._set_nudges)
        self.nudge_check.toggled.connect(lambda _on: self.nudges_changed.emit())
        prefs.addWidget(self.nudge_check)
        prefs.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        after_label = QLabel("D&id it help? Ask after:")
        self.effect_after_combo = QComboBox()
        self.effect_after_combo.setAccessibleName("Ask whether an as-needed dose helped after")
        self.effect_after_combo.setToolTip("How long after an as-needed dose the Today tab "
                                           "asks whether it helped (this computer's setting)")
        for minutes in EFFECT_AFTER_CHOICES:
            self.effect_after_combo.addItem(effect_after_text(minutes), minutes)
        after_label.setBuddy(self.effect_after_combo)
        self._show_effect_after()
        self.effect_after_combo.currentIndexChanged.connect(self._effect_after_chosen)
        prefs.addWidget(after_label)
        prefs.addWidget(self.effect_after_combo)
        prefs.addStretch(1)
        layout.addLayout(prefs)
        layout.addWidget(sources_label((*function_scale.SOURCES[:1], *SOURCES)))
        self._fill_series()

    def _fill_series(self) -> None:
        current = self.series_combo.currentData()
        self.series_combo.blockSignals(True)
        self.series_combo.clear()
        for series in going_trends.all_series(self._going.weight_unit()):
            self.series_combo.addItem(series.label, series.key)
        index = self.series_combo.findData(current) if current else 0
        self.series_combo.setCurrentIndex(max(0, index))
        self.series_combo.blockSignals(False)

    # ---- Public API

    def apply_changes(self, changes: Changes) -> None:
        """A write anywhere (``Core.changes``, connected by the builder): its entries, a
        medicine (its changes are on the charts), a dose given (the as-needed counts),
        an appointment (the period they are over) or the patient (the unit for weights,
        the height)."""
        if (changes.going or changes.medicine_ids or changes.patient or changes.doses
                or changes.dose_entries or changes.appointments):
            self.refresh_soon()

    def refresh_soon(self, *_args: object) -> None:
        """Read the records again when next shown (at once when showing)."""
        self._stale = True
        if self.isVisible():
            QTimer.singleShot(0, self, self.refresh)  # (not after the tab is gone)

    def refresh(self) -> None:
        self._stale = False
        self._entries.clear()  # read each kind of entry once per refresh
        self.nudge_check.blockSignals(True)
        self.nudge_check.setChecked(self._nudges_on())
        self.nudge_check.blockSignals(False)
        self._show_effect_after()
        self._fill_series()
        self._show_summary()
        self._show_series()

    def series(self) -> Series:
        key = self.series_combo.currentData()
        unit = self._going.weight_unit()
        return next(s for s in going_trends.all_series(unit) if s.key == key)

    def show_series(self, key: str) -> None:
        self.series_combo.setCurrentIndex(max(0, self.series_combo.findData(key)))

    def selected_entry(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def record(self, measure: Measure, *, start: Entry | None = None,
               dose_id: int | None = None) -> Entry | None:
        """Open the form for a new entry of ``measure`` (or a correction of ``start``);
        ``dose_id``: for an effect, the dose chosen first. Returns what was saved, None
        if cancelled."""
        if dose_id is not None and start is None:
            start = Entry(Measure.EFFECT, self._going.today(), {"dose_entry_id": dose_id})
        doses = self._as_needed_doses() if measure is Measure.EFFECT else ()
        if measure is Measure.EFFECT and not doses and start is None:
            self.status_message.emit("No as-needed dose was given in the last two weeks.")
            return None
        dialog = EntryDialog(measure, save=self._going.record, today=self._going.today(),
                             unit=self._going.weight_unit(), start=start, doses=doses,
                             parent=self)
        if not exec_dialog(dialog):
            return None
        saved = dialog.saved
        if saved is not None:
            self.status_message.emit(f"{measure.label} saved.")
        return saved

    def correct_selected(self) -> Entry | None:
        entry = self._entry_or_say()
        if entry is None:
            return None
        return self.record(entry.measure, start=entry)

    def withdraw_selected(self) -> Entry | None:
        entry = self._entry_or_say()
        if entry is None:
            return None
        dialog = WithdrawDialog(entry, save=self._going.withdraw, parent=self)
        if not exec_dialog(dialog):
            return None
        self.status_message.emit(f"{entry.measure.label} of {describe_day(entry.on_day)} "
                                 "marked as a mistake.")
        return dialog.saved

    # ---- Qt

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self._fit)  # (not after the tab is gone)

    def _fit(self) -> None:
        wide = self._room() >= self.fontMetrics().averageCharWidth() * SIDE_BY_SIDE_CHARS
        direction = (QBoxLayout.Direction.LeftToRight if wide
                     else QBoxLayout.Direction.TopToBottom)
        if self.views.direction() != direction:
            self.views.setDirection(direction)
        self.table.resizeColumnsToContents()
        self._fit_rows()

    def _room(self) -> int:
        """The page's width; hidden behind another tab (the tabs resize only the page
        shown), the width it gets when shown: the text size changed there must not
        leave it one above the other for a stale width, its height then making the
        window's page scroll."""
        parent = self.parentWidget()
        return self.width() if self.isVisible() or parent is None else parent.width()

    def _fit_rows(self) -> None:
        """One line per row, and rows with a note as tall as it wraps (five years of
        daily checks: only those rows are measured)."""
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 6)
        note = len(COLUMNS) - 1
        for row in range(self.table.rowCount()):
            item = self.table.item(row, note)
            if item is not None and item.text():
                self.table.resizeRowToContents(row)

    # ---- Private

    def _entry_or_say(self) -> Entry | None:
        entry = self.selected_entry()
        if entry is None:
            self.status_message.emit("Choose an entry in the list first.")
        return entry

    def _show_summary(self) -> None:
        unit = self._going.weight_unit()
        lines = []
        weights = self._current(Measure.WEIGHT)
        summary = going_trends.weight_summary(weights, height_cm=self._height())
        if summary is None:
            lines.append("Weight: nothing recorded yet.")
        else:
            text = (f"Weight: {from_kg(summary.latest_kg, unit):.1f} "
                    f"{unit.value} on {describe_day(summary.latest_day)}")
            if summary.since_usual is not None:
                text += f"; since the usual weight: {summary.since_usual.text(unit)}"
            spans = [f"{months} month{'s' if months > 1 else ''}: {change.text(unit)}"
                     for months, change in summary.spans.items() if change is not None]
            if spans:
                text += "; over the last " + ", ".join(spans)
            text += (f"; BMI {summary.bmi:.1f}" if summary.bmi is not None
                     else f" ({NO_HEIGHT})")
            lines.append(text + ".")
        function = going_trends.function_summary(self._current(Measure.FUNCTION))
        if function is None:
            lines.append("Everyday function: nothing recorded yet.")
        else:
            last = function.last
            total = f"{last.total} of 48" if last.total is not None else "not every area answered"
            text = f"Everyday function on {describe_day(last.on_day)}: {total}"
            parts = [f"{p.label.lower()} {v}" for p, v in last.parts.items() if v is not None]
            if parts:
                text += " (" + ", ".join(parts) + ")"
            if function.rate is not None:
                text += (f"; on average {abs(function.rate):.1f} points a month "
                         f"{'lower' if function.rate >= 0 else 'higher'} since "
                         f"{describe_day(function.first.on_day)}")
            lines.append(text + ".")
        checks = self._current(Measure.SYMPTOMS)
        if checks:
            lines.append(f"Daily check: last on {describe_day(checks[-1].on_day)}, "
                         f"{len(checks)} in all.")
        lines += self._effects_lines()
        self.summary.setText("\n".join(lines))

    def _effects_lines(self) -> list[str]:
        """Per as-needed medicine over the visit summary's period: how many doses, and
        whether they helped (better, same, worse)."""
        if self._period is None:
            return []
        first, since = self._period()
        self.print_button.setToolTip(f"One or two pages for the ALS clinic: {since}")
        totals = going_trends.effects_by_medicine(self._as_needed_given(first),
                                                  self._current(Measure.EFFECT))
        if not totals:
            return [f"As-needed doses {since}: none given."]
        return [f"As-needed doses {since}, did they help? " + " ".join(
            f"{t.medicine}: {t.text()}." for t in totals)]

    def _show_effect_after(self) -> None:
        combo = self.effect_after_combo
        index = combo.findData(self._effect_after())
        combo.blockSignals(True)
        combo.setCurrentIndex(index if index >= 0 else combo.findData(EFFECT_AFTER_MINUTES))
        combo.blockSignals(False)

    def _effect_after_chosen(self) -> None:
        minutes = self.effect_after_combo.currentData()
        if minutes is not None:
            self._set_effect_after(int(minutes))
            self.nudges_changed.emit()

    def _current(self, measure: Measure) -> list[Entry]:
        if measure not in self._entries:
            self._entries[measure] = self._going.current(measure)
        return self._entries[measure]

    def _show_series(self) -> None:
        if self.series_combo.count() == 0:
            return
        if not self.isVisible():  # drawn when shown (``refresh``), once
            self._stale = True
            return
        series = self.series()
        unit = self._going.weight_unit()
        points = going_trends.series_points(series, self._current(series.measure), unit)
        self._rows = [entry for entry, _ in points]
        markers = [Marker(day, text) for day, text in self._medicine_changes(series.medicines)]
        self.chart.set_series(series.label, [(e.on_day, v) for e, v in points],
                              low=series.low, high=series.high, unit=series.unit,
                              whole=series.whole, markers=markers)
        names = self._names()
        self.table.setRowCount(len(points))
        for row, (entry, value) in enumerate(points):
            shown = f"{value:.0f}" if series.whole else f"{value:.1f}"
            shown = f"{shown} {series.unit}".strip()
            if entry.corrects_id is not None:
                shown += " (corrected)"
            cells = (describe_day(entry.on_day), shown,
                     names.get(entry.recorded_by_id or 0, ""), entry.note)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._fit_rows()
        if points:
            self._select_row(len(points) - 1)
        enabled = bool(points)
        self.correct_button.setEnabled(enabled)
        self.withdraw_button.setEnabled(enabled)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.selectRow(row)
            self.table.scrollToItem(self.table.item(row, 0))

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.chart.set_current(rows[0].row())


__all__ = ["CARE_TEAM_NOTE", "GoingTab"]
