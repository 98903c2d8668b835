"""A medicine's history: every dose record and correction, change, pause and refill.

Read-only. ``HistoryModel`` shows ``domain.history.HistoryItem``s (newest first, each
correction chain kept together: the first record, then each correction under it, with
who gave the dose, who recorded each entry and when). ``HistoryFilter`` narrows it to
doses, changes or stock, and to words typed in the search box. ``HistoryDialog`` shows
it; the Medications tab keeps an open one up to date (``set_items``).

Years of records are read a page at a time (``MedicationBook.history_pages``): the newest
page when the window opens, the next as the person scrolls down (Qt's ``fetchMore``), and
all of them before a search or a narrower choice of what to show, so that those find
every record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.history import HistoryItem, HistoryKind, HistoryPage
from caregiver_app.domain.localtime import to_utc, weekday_date
from caregiver_app.domain.medicines import Medicine
from caregiver_app.ui.columns import keep_fitted
from caregiver_app.ui.form_dialog import FormDialog
from caregiver_app.ui.medications.widgets import ComboBox, SearchEdit
from caregiver_app.ui.screen_fit import resize_within_screen
from caregiver_app.ui.table_model import RecordTableModel, TableColumn
from caregiver_app.ui.tones import Tone, ink

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole

#: A medicine's history: the whole of it, or its pages (``MedicationBook.history_pages``:
#: ``pages(None)`` the newest, ``pages(page.older)`` the next).
History = Sequence[HistoryItem] | Callable[[datetime | None], HistoryPage]


class HistoryShow(StrEnum):
    ALL = "all"
    DOSES = "doses"
    CHANGES = "changes"
    STOCK = "stock"

    @property
    def label(self) -> str:
        return {"all": "Everything", "doses": "Doses and corrections",
                "changes": "Changes, pauses and cycle changes", "stock": "Stock"}[self.value]

    def includes(self, kind: HistoryKind) -> bool:
        if self is HistoryShow.ALL:
            return True
        if self is HistoryShow.DOSES:
            return kind in (HistoryKind.DOSE, HistoryKind.CORRECTION)
        if self is HistoryShow.CHANGES:
            return kind in (HistoryKind.CHANGE, HistoryKind.STATUS, HistoryKind.CYCLE)
        return kind is HistoryKind.STOCK


class HistoryModel(RecordTableModel):
    HEADERS = ("When", "What", "Details", "Given or done by", "Recorded", "Record")
    WHEN, WHAT, DETAILS, BY, RECORDED, RECORD = range(6)
    KIND_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, zone: ZoneInfo, names: Mapping[int, str], parent=None):
        roles = {self.KIND_ROLE: lambda item: item.kind.value,
                 Qt.ItemDataRole.ForegroundRole: _grey_when_replaced,
                 Qt.ItemDataRole.FontRole: _italic_when_replaced}
        super().__init__([
            TableColumn(title, lambda item, c=column: self._text(item, c),
                        tooltip=(lambda item: item.detail) if column == self.DETAILS else None,
                        roles=roles)
            for column, title in enumerate(self.HEADERS)], parent=parent)
        self._zone = zone
        self._names = dict(names)
        self._pages: Callable[[datetime | None], HistoryPage] | None = None
        self._older: datetime | None = None
        self._total = 0

    # ---- Public API

    def set_items(self, items: History) -> None:
        """Show ``items``: a whole history, or its pages (the newest read now)."""
        if callable(items):
            page = items(None)
            self._pages, self._older, self._total = items, page.older, page.total
            self.set_records(page.items)
        else:
            self._pages, self._older, self._total = None, None, len(items)
            self.set_records(items)

    def total(self) -> int:
        """Lines in the whole history (read or not yet)."""
        return self._total

    def read_all(self) -> None:
        """Read the pages not read yet (before a search: it looks through every line)."""
        while self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def set_names(self, names: Mapping[int, str]) -> None:
        """The caregivers' names (shown from the next ``set_items``)."""
        self._names = dict(names)

    def item(self, row: int) -> HistoryItem:
        return self.record(row)

    def text(self, row: int, column: int) -> str:
        return self._text(self.record(row), column)

    # ---- Qt overrides: the next page as the view scrolls to the end

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._pages is not None and self._older is not None

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        assert self._pages is not None
        page = self._pages(self._older)
        self._older = page.older
        if page.items:
            first = self.rowCount()
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._records.extend(page.items)
            self.endInsertRows()

    # ---- Private

    def _moment(self, value: datetime | None, date_only: bool = False) -> str:
        if value is None:
            return ""
        local = to_utc(value).astimezone(self._zone)
        text = weekday_date(local, year=True)
        return text if date_only else f"{text} {local.hour:02d}:{local.minute:02d}"

    def _name(self, caregiver_id: int | None, fallback: str = "") -> str:
        if caregiver_id is None:
            return fallback
        return self._names.get(caregiver_id, f"caregiver #{caregiver_id}")

    def _text(self, item: HistoryItem, column: int) -> str:
        if column == self.WHEN:
            return self._moment(item.at, item.date_only)
        if column == self.WHAT:
            text = item.what
            if item.kind is HistoryKind.CORRECTION:
                text = f"↳ {text}"
            said = phone_words(item)
            if not item.current:
                said.append({HistoryKind.CHANGE: "replaced the same day",
                             HistoryKind.CYCLE: "undone"}.get(item.kind, "corrected below"))
            return f"{text} ({'; '.join(said)})" if said else text
        if column == self.DETAILS:
            return item.detail
        if column == self.BY:
            return self._name(item.by_id, item.by_text)
        if column == self.RECORDED:
            if item.recorded_at is None:
                return self._name(item.recorded_by_id)
            by = self._name(item.recorded_by_id)
            return self._moment(item.recorded_at) + (f" by {by}" if by else "")
        if column == self.RECORD:
            if item.entry_id is None:
                return ""
            if item.corrects_id is not None:
                return f"#{item.entry_id} (corrects #{item.corrects_id})"
            return f"#{item.entry_id}"
        return ""


def phone_words(item: HistoryItem) -> list[str]:
    """What the phones did to a record, to say beside it: "ticked on Ana's iPhone"
    (made from a phone's tick; flagged when its time is the sync's), "also ticked on
    Ana's iPhone at 08:12" (ticked on a phone too after the app recorded it), "un-ticked
    on Ana's iPhone before Mon 5 Jan 08:30; ⚑ to check" (a note that asks a person,
    flagged until seen or settled: ``domain.sharing.history_words``)."""
    parts = []
    if item.source:
        parts.append(f"ticked on {item.source}; ⚑ time of the sync" if item.source_flagged
                     else f"ticked on {item.source}")
    for note in item.also_ticked:  # "Also ticked on Ana's iPhone at 08:12."
        words = note.strip().rstrip(".")
        parts.append(words[:1].lower() + words[1:])
    return parts


def _grey_when_replaced(item: HistoryItem) -> QBrush | None:
    return None if item.current else QBrush(ink(Tone.MUTED))


def _italic_when_replaced(item: HistoryItem) -> QFont | None:
    if item.current:
        return None
    font = QFont()
    font.setItalic(True)
    return font


class HistoryFilter(QSortFilterProxyModel):
    """Keeps one kind of history (all at first) and rows containing the search words."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._show = HistoryShow.ALL
        self._words: list[str] = []

    def set_show(self, show: HistoryShow) -> None:
        if show is not HistoryShow.ALL:
            self._read_all()
        self._refilter(lambda: setattr(self, "_show", show))

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        if words:
            self._read_all()
        self._refilter(lambda: setattr(self, "_words", words))

    def _read_all(self) -> None:
        model = self.sourceModel()
        if isinstance(model, HistoryModel):
            model.read_all()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, HistoryModel)
        if not self._show.includes(model.item(source_row).kind):
            return False
        if not self._words:
            return True
        text = " ".join(model.text(source_row, c) for c in range(model.columnCount()))
        folded = text.casefold()
        return all(word in folded for word in self._words)

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; the older call is deprecated there
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.10
            change()
            self.invalidateRowsFilter()


class HistoryDialog(FormDialog):
    """The history of one medicine (read-only)."""

    def __init__(self, medicine: Medicine, items: History, *, zone: ZoneInfo,
                 names: Mapping[int, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"History of {medicine.name}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Everything recorded about this medicine, newest first. Nothing here can be "
            "changed or deleted: a correction is a new record shown under the one it "
            "corrects, and the record it replaced stays visible.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        row = QHBoxLayout()
        self.show_combo = ComboBox(accessible_name="Show")
        for show in HistoryShow:
            self.show_combo.addItem(show.label, show.value)
        show_label = QLabel("&Show:")
        show_label.setBuddy(self.show_combo)
        self.search_edit = SearchEdit(accessible_name="Search the history")
        self.search_edit.setPlaceholderText("Search, for example a name or “refused”")
        search_label = QLabel("Searc&h:")
        search_label.setBuddy(self.search_edit)
        row.addWidget(show_label)
        row.addWidget(self.show_combo)
        row.addWidget(search_label)
        row.addWidget(self.search_edit, 1)
        layout.addLayout(row)

        self.model = HistoryModel(zone, names, self)
        self.model.set_items(items)
        self.proxy = HistoryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setAccessibleName(f"History of {medicine.name}")
        self.view.setModel(self.proxy)
        self.view.verticalHeader().hide()
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)
        # every record read whole at any text size: long cells wrap, the row grows
        keep_fitted(self.view, stretch=HistoryModel.DETAILS)
        em = self.fontMetrics().averageCharWidth()
        layout.addWidget(self.view, 1)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of records shown")
        layout.addWidget(self.count_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(
            "Close the history")
        layout.addWidget(buttons)

        self.show_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_show(HistoryShow(self.show_combo.currentData())))
        self.search_edit.textChanged.connect(self.proxy.set_search)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.modelReset, self.proxy.layoutChanged):
            signal.connect(self._update_count)
        self._update_count()
        width, height = em * 190, self.fontMetrics().height() * 44
        resize_within_screen(self, width, height)

    def is_changed(self) -> bool:
        """Nothing in it can be changed (its records may be read again while it is
        open, a search is not a change): closing it never asks."""
        return False

    def set_items(self, items: History, *, names: Mapping[int, str]) -> None:
        """Show these records instead (the records changed while it was open); what
        is chosen to show and searched for stays (every page is read again for them)."""
        self.model.set_names(names)
        self.model.set_items(items)  # (the filter keeps its choice and search)
        if self.show_combo.currentData() != HistoryShow.ALL.value or self.search_edit.text():
            self.model.read_all()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total()
        more = (" Scroll down for older ones." if self.model.canFetchMore(QModelIndex())
                else "")
        self.count_label.setText(f"{shown} of {total} records shown.{more}" if shown != total
                                 else f"{total} records.")
