"""The medicine list: one row per medicine, and the proxy that sorts and filters it.

``MedicineRow`` holds what a row shows, worked out once per medicine by ``build_row``
(status today, schedule in plain words, stock and run-out date from
``MedicationBook.supply``). ``MedicineListModel`` shows rows; ``MedicineFilter`` keeps
the rows whose status is ticked (active by default) and that match the search text.
State is shown with words and an icon, and colour only on top of those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.localtime import describe_day, local_date
from caregiver_app.domain.medicines import Medicine, MedicineVersion
from caregiver_app.domain.regimens import StepsRegimen, describe_regimen
from caregiver_app.domain.supply import SupplyForecast
from caregiver_app.domain.vocab import MedicineStatus
from caregiver_app.ui.table_model import RecordTableModel, TableColumn
from caregiver_app.ui.tones import Tone, ink, tinted_icon

Index = QModelIndex | QPersistentModelIndex

#: Role giving a value to sort a column by (numbers and folded text).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role giving the medicine id of a row.
ID_ROLE = Qt.ItemDataRole.UserRole + 2



class RowState(StrEnum):
    ACTIVE = "active"
    NOT_STARTED = "not_started"
    PAUSED = "paused"
    STOPPED = "stopped"
    ENDED = "ended"  # its planned last day has passed

    @property
    def category(self) -> MedicineStatus:
        """The filter it falls under: active, paused or stopped."""
        if self in (RowState.ACTIVE, RowState.NOT_STARTED):
            return MedicineStatus.ACTIVE
        if self is RowState.PAUSED:
            return MedicineStatus.PAUSED
        return MedicineStatus.STOPPED


def short_day(value: date) -> str:
    """"3 Mar 2026"."""
    return describe_day(value)


@dataclass(frozen=True)
class MedicineRow:
    """What one row of the list shows, worked out once."""

    medicine: Medicine
    version: MedicineVersion  # in force today (the first one if it has not started)
    state: RowState
    state_text: str
    schedule: str
    supply: SupplyForecast | None  # None: stock not tracked
    prescriber: str = ""
    pharmacy: str = ""
    dose: Dose | None = None  # the amount given now (a dose step's own); None: the version's
    step: str = ""  # "step 2 of 3" for dose steps

    @property
    def id(self) -> int:
        assert self.medicine.id is not None
        return self.medicine.id

    @property
    def dose_now(self) -> Dose:
        return self.dose or self.version.dose

    @property
    def dose_and_form(self) -> str:
        """"1 tablet", or "5 mL · liquid / oral suspension" when the unit is not the form."""
        dose, form = self.dose_now, self.version.form
        text = dose.describe() if dose.unit.casefold() == form.value else \
            f"{dose.describe()} · {form.label}"
        return f"{text} ({self.step})" if self.step else text

    @property
    def supply_text(self) -> str:
        if self.supply is None:
            return "Not tracked"
        if self.supply.on_hand is None:
            return "Not counted yet"
        return Dose(self.supply.on_hand, self.supply.unit).describe()

    @property
    def warnings(self) -> list[str]:
        found = []
        if self.supply is not None and self.supply.needs_reorder and self.state.category \
                is not MedicineStatus.STOPPED:
            found.append("reorder now")
        if self.supply is not None and self.supply.discard_soon and self.supply.discard_by:
            found.append(f"bottle: use by {short_day(self.supply.discard_by)}")
        return found

    @property
    def run_out_text(self) -> str:
        parts = []
        if self.supply is not None and self.supply.run_out is not None:
            parts.append(short_day(self.supply.run_out))
        warnings = "; ".join(self.warnings)
        if warnings:
            parts.append(f"⚠ {warnings}")
        return " ".join(parts)

    def search_text(self) -> str:
        m = self.medicine
        return " ".join((m.generic_name, m.brand_name, m.purpose, m.reference_id,
                         self.prescriber, self.pharmacy, self.version.form.label)).casefold()


def build_row(medicine: Medicine, *, today: date, now: datetime, zone: ZoneInfo,
              supply: Callable[[int], SupplyForecast],
              contact_name: Callable[[int | None], str]) -> MedicineRow:
    """The row for ``medicine`` as of ``now`` (``today`` is its local date in ``zone``)."""
    version = medicine.current_version(today)
    status = medicine.status_at(now)
    change = medicine.status_change_at(now)
    since = f" since {short_day(local_date(change.at, zone))}" if change else ""
    if status is MedicineStatus.PAUSED:
        state, text = RowState.PAUSED, f"Paused{since}"
    elif status is MedicineStatus.STOPPED:
        state, text = RowState.STOPPED, f"Stopped{since}"
    elif medicine.end_date is not None and medicine.end_date < today:
        state, text = RowState.ENDED, f"Finished {short_day(medicine.end_date)}"
    elif medicine.start_date > today:
        state, text = RowState.NOT_STARTED, f"Starts {short_day(medicine.start_date)}"
    else:
        state, text = RowState.ACTIVE, "Active"
    forecast = supply(medicine.id) if medicine.supply.tracked and medicine.id else None
    dose, step = None, ""
    regimen = version.regimen
    if isinstance(regimen, StepsRegimen):
        found = regimen.step_on(today)
        if found is None:  # before the first step or after the last
            number = 1 if today < regimen.steps[0].start else len(regimen.steps)
            found = (number, regimen.steps[number - 1])
        dose, step = found[1].dose, f"step {found[0]} of {len(regimen.steps)}"
    return MedicineRow(
        medicine=medicine, version=version, state=state, state_text=text,
        schedule=describe_regimen(regimen), supply=forecast,
        prescriber=contact_name(medicine.prescriber_id),
        pharmacy=contact_name(medicine.pharmacy_id), dose=dose, step=step)


class Column(IntEnum):
    """Columns, in the order a caregiver scans them: what, in use?, how much, when,
    anything to reorder, then the rest (also shown in full in the details)."""

    NAME = 0
    STATUS = 1
    DOSE = 2
    SCHEDULE = 3
    RUN_OUT = 4
    SUPPLY = 5
    STRENGTH = 6
    ROUTE = 7
    PRESCRIBER = 8


_HEADERS = {
    Column.NAME: "Medicine",
    Column.STATUS: "Status",
    Column.STRENGTH: "Strength",
    Column.DOSE: "Dose and form",
    Column.ROUTE: "Route",
    Column.SCHEDULE: "Schedule",
    Column.SUPPLY: "Supply on hand",
    Column.RUN_OUT: "Runs out",
    Column.PRESCRIBER: "Prescriber",
}

_STATE_ORDER = {RowState.ACTIVE: 0, RowState.NOT_STARTED: 1, RowState.PAUSED: 2,
                RowState.STOPPED: 3, RowState.ENDED: 4}


class MedicineListModel(RecordTableModel):
    """One row per medicine. Read-only; the tab replaces rows when the book changes."""

    def __init__(self, parent=None):
        style = QApplication.style()
        pix = QStyle.StandardPixmap
        icons = {
            RowState.ACTIVE: style.standardIcon(pix.SP_MediaPlay),
            RowState.NOT_STARTED: style.standardIcon(pix.SP_MediaSeekForward),
            RowState.PAUSED: style.standardIcon(pix.SP_MediaPause),
            RowState.STOPPED: style.standardIcon(pix.SP_MediaStop),
            RowState.ENDED: style.standardIcon(pix.SP_MediaStop),
        }
        warning = style.standardIcon(pix.SP_MessageBoxWarning)
        tinted: dict[tuple[RowState, int], QIcon] = {}

        def status_icon(row: MedicineRow) -> QIcon:
            """The style's status icon in the list's text colour (Fusion draws them
            black, unseen on a dark list)."""
            key = (row.state, QApplication.palette().color(QPalette.ColorRole.Text).rgb())
            if key not in tinted:
                tinted[key] = tinted_icon(icons[row.state])
            return tinted[key]

        decoration = {Column.STATUS: status_icon,
                      Column.RUN_OUT: lambda row: warning if row.warnings else None}
        super().__init__([_column(column, decoration.get(column)) for column in Column],
                         parent=parent)

    # ---- Public API

    def set_rows(self, rows: Iterable[MedicineRow]) -> None:
        self.set_records(rows)

    def put_row(self, row: MedicineRow) -> None:
        """Replace the row of the same medicine, or add it at the end."""
        found = self.row_of(row.id)
        if found >= 0:
            self.set_record(found, row)
        else:
            self.append_record(row)

    def row_at(self, row: int) -> MedicineRow:
        return self.record(row)

    def row_of(self, medicine_id: int) -> int:
        """The row number of a medicine, or -1."""
        return self.row_where(lambda r: r.id == medicine_id)

    def rows(self) -> list[MedicineRow]:
        return self.records()


def _column(column: Column, decoration: Callable[[MedicineRow], object] | None
            ) -> TableColumn:
    """How a medicine's row reads in ``column``: its words (also its tooltip: the cell
    may be cut), its sort key, its id, and the icon and colour over the words."""
    roles: dict[int, Callable[[MedicineRow], object]] = {
        SORT_ROLE: lambda row: _sort_key(row, column),
        ID_ROLE: lambda row: row.id,
        Qt.ItemDataRole.ForegroundRole: lambda row: _foreground(row, column),
    }
    if decoration is not None:
        roles[Qt.ItemDataRole.DecorationRole] = decoration
    tooltip = ((lambda row: row.medicine.purpose or None) if column is Column.NAME
               else (lambda row: _text(row, column)))
    return TableColumn(_HEADERS[column], lambda row: _text(row, column), tooltip=tooltip,
                       roles=roles)


def _text(row: MedicineRow, column: Column) -> str:
    v = row.version
    match column:
        case Column.NAME:
            return row.medicine.name
        case Column.STRENGTH:
            return v.strength
        case Column.DOSE:
            return row.dose_and_form
        case Column.ROUTE:
            return v.route.label
        case Column.SCHEDULE:
            return row.schedule
        case Column.STATUS:
            return row.state_text
        case Column.SUPPLY:
            return row.supply_text
        case Column.RUN_OUT:
            return row.run_out_text
        case Column.PRESCRIBER:
            return row.prescriber
    return ""


def _sort_key(row: MedicineRow, column: Column) -> object:
    if column is Column.STATUS:
        return _STATE_ORDER[row.state]
    if column is Column.RUN_OUT:
        run_out = row.supply.run_out if row.supply else None
        return run_out.toordinal() if run_out else 10**7
    if column is Column.SUPPLY:
        on_hand = row.supply.on_hand if row.supply else None
        return -1.0 if on_hand is None else float(on_hand)
    return _text(row, column).casefold()


def _foreground(row: MedicineRow, column: Column) -> QBrush | None:
    if column is Column.STATUS and row.state is RowState.PAUSED:
        return QBrush(ink(Tone.WARNING))
    if column is Column.STATUS and row.state.category is MedicineStatus.STOPPED:
        return QBrush(ink(Tone.MUTED))
    if column is Column.RUN_OUT and row.warnings:
        return QBrush(ink(Tone.ERROR))
    return None


class MedicineFilter(QSortFilterProxyModel):
    """Keeps rows whose status is chosen (active only at first) and that match the search."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._statuses = {MedicineStatus.ACTIVE}
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    # ---- Public API

    def statuses(self) -> set[MedicineStatus]:
        return set(self._statuses)

    def set_status_shown(self, status: MedicineStatus, shown: bool) -> None:
        statuses = self._statuses | {status} if shown else self._statuses - {status}
        if statuses != self._statuses:
            self._refilter(lambda: setattr(self, "_statuses", statuses))

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self._refilter(lambda: setattr(self, "_words", words))

    # ---- Qt overrides

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, MedicineListModel)
        row = model.row_at(source_row)
        if row.state.category not in self._statuses:
            return False
        text = row.search_text()
        return all(word in text for word in self._words)

    # ---- Private

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; the older call is deprecated there
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.10
            change()
            self.invalidateRowsFilter()
