"""The Medications tab: the medicine list, its details, and what can be done to a medicine.

Layout: a search box and Active / Paused / Stopped filters above a sortable table (one
row per medicine: name, strength, dose and form, route, schedule, status, supply, run-out
date with a reorder warning, prescriber); below it the actions for the chosen medicine
and its details.

Everything goes through ``MedicationBook``: reads for the rows, and writes from the
dialogs (add / change, pause / resume / stop, cycle delays and holds, refills, counts,
opened bottles). The list follows every write (``apply_changes``); while the tab is
hidden it only notes which medicines changed and catches up when shown, so recording
doses on the Today tab costs nothing here. The rows are built the first time the tab is
shown, not at start-up.

Signals
-------
``print_requested(kind, day)``: the caregiver asked for paper: ``("medlist", None)``, the
medicine list for clinic visits (the printing controller's ``preview`` takes it).
``status_message(text)``: a short confirmation for the window's status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import NotFound
from caregiver_app.domain.localtime import weekday_date_time
from caregiver_app.domain.medicine_actions import empty_list_note, medicine_actions
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.reference import MedicineReference
from caregiver_app.domain.regimens import CycleShift
from caregiver_app.domain.vocab import MedicineStatus
from caregiver_app.services.changes import Changes
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.ui import messages
from caregiver_app.ui.medications import layout
from caregiver_app.ui.medications.list_model import (
    MedicineRow,
    build_row,
)

if TYPE_CHECKING:  # the dialogs are imported when first opened, not at start-up
    from caregiver_app.ui.medications.action_dialogs import CycleAction, StockAction
    from caregiver_app.ui.medications.history_dialog import HistoryDialog
    from caregiver_app.ui.medications.medicine_dialog import ContactChoices, MedicineChange


def _no_names() -> Mapping[int, str]:
    return {}


class MedicationsTab(QWidget):
    print_requested = Signal(str, object)
    """Paper was asked for: ``("medlist", None)``, the medicine list for clinic visits
    (``ui.printing.PrintController.preview`` takes it as it is)."""

    status_message = Signal(str)
    """A short confirmation for the status bar ("riluzole paused.")."""

    def __init__(self, book: MedicationBook,
                 reference: MedicineReference | Callable[[], MedicineReference], *,
                 caregiver_names: Callable[[], Mapping[int, str]] = _no_names,
                 contacts: ContactChoices | None = None,
                 contact_name: Callable[[int | None], str] = lambda _id: "",
                 read_about: Callable[[str], object] = lambda _id: None,
                 parent: QWidget | None = None):
        """``reference``: the built-in medicine reference, or a callable giving it (called
        once, when the tab is first shown). ``caregiver_names``: caregiver id -> name, for
        the history.
        ``contacts(purpose)``: (id, label, likely) choices for the "prescriber" and "pharmacy"
        pickers (None: no pickers). ``contact_name(id)``: the name shown in the list.
        ``read_about(reference_id)``: open the Learn article about a medicine."""
        super().__init__(parent)
        self._book = book
        self._reference_source = reference
        self._reference_loaded: MedicineReference | None = None
        self._built = False
        self._caregiver_names = caregiver_names
        self._contacts = contacts
        self._contact_name = contact_name
        self._open_article = read_about
        self._loaded_on: date | None = None
        self._stale: set[int] = set()
        self._open_history: tuple[int, HistoryDialog] | None = None
        self.setAccessibleName("Medications")
        QVBoxLayout(self).setContentsMargins(4, 4, 4, 4)

    # ---- Public API

    def ensure_built(self) -> None:
        """Build the widgets (done on first showing, so start-up does not pay for them)."""
        if not self._built:
            self._built = True
            layout.build(self)

    def reload(self) -> None:
        """Rebuild every row from the book (keeps the chosen medicine chosen)."""
        self.ensure_built()
        chosen = self.current_medicine_id()
        today, now = self._book.today(), self._book.now()
        rows = [self._row(m, today, now) for m in self._book.medicines()]
        self.model.set_rows(rows)
        self._fit_columns()
        self._loaded_on = today
        self._stale.clear()
        self._update_empty_note()
        if chosen is None or not self._select(chosen, reveal=False):
            self._select_first()
        self._update_current()

    def apply_changes(self, changes: Changes) -> None:
        """A write anywhere (``Core.changes``, connected by the builder): the rows of
        the medicines it touched, or every row when a contact's name changed."""
        for medicine_id in sorted(changes.medicine_ids):
            self._on_book_changed(medicine_id)
        if changes.contacts:
            self.refresh_contacts()
        if self._open_history is not None and (
                self._open_history[0] in changes.medicine_ids or changes.caregivers):
            medicine_id, dialog = self._open_history
            dialog.set_items(self._book.history_pages(medicine_id), names=self._caregiver_names())

    def refresh_contacts(self) -> None:
        """Contact names changed (care team): rebuild rows when next shown."""
        self._loaded_on = None
        if self.isVisible():
            self.reload()

    def current_medicine_id(self) -> int | None:
        if not self._built:
            return None
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row()).id

    def current_row(self) -> MedicineRow | None:
        if not self._built:
            return None
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def select_medicine(self, medicine_id: int) -> bool:
        """Choose a medicine in the list (showing its status filter if needed)."""
        self._ensure_loaded()
        return self._select(medicine_id, reveal=True)

    def shown_medicine_ids(self) -> list[int]:
        """The medicines in the list as shown (filter and sort applied)."""
        self._ensure_loaded()
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row()).id
                for r in range(self.proxy.rowCount())]

    def set_status_shown(self, status: MedicineStatus, shown: bool) -> None:
        self.ensure_built()
        self._status_checks[status].setChecked(shown)

    def add_medicine(self) -> Medicine | None:
        from caregiver_app.ui.medications.medicine_dialog import MedicineDialog

        saved = MedicineDialog.ask(
            reference=self._reference, today=self._book.today(), now=self._book.now(),
            zone=self._book.zone(), preview=self._preview, save=self._save_change,
            contacts=self._contacts, contact_name=self._contact_name, parent=self)
        if saved is not None and saved.id is not None:
            self._ensure_loaded()
            self.select_medicine(saved.id)
            self.status_message.emit(f"{saved.name} added.")
        return saved

    def edit_medicine(self, medicine_id: int | None = None) -> Medicine | None:
        from caregiver_app.ui.medications.medicine_dialog import MedicineDialog

        medicine = self._chosen(medicine_id)
        if medicine is None:
            return None
        saved = MedicineDialog.ask(
            reference=self._reference, today=self._book.today(), now=self._book.now(),
            zone=self._book.zone(), medicine=medicine, preview=self._preview,
            save=self._save_change, contacts=self._contacts,
            contact_name=self._contact_name, parent=self)
        if saved is not None:
            self.status_message.emit(f"{saved.name} saved.")
        return saved

    def change_status(self, status: MedicineStatus, medicine_id: int | None = None) -> bool:
        """Pause, resume or stop the chosen medicine (stopping asks first)."""
        from caregiver_app.ui.medications.action_dialogs import StatusDialog

        medicine = self._chosen(medicine_id)
        if medicine is None or medicine.id is None:
            return False
        medicine_id = medicine.id

        def apply(at: datetime, reason: str) -> bool:
            if status is MedicineStatus.STOPPED and not messages.confirm(
                    self, f"Stop {medicine.name}?",
                    f"{medicine.name} will no longer be listed or reminded from "
                    f"{weekday_date_time(at, year=True)}.\n\nNothing is deleted: every dose record "
                    "and change stays in its history, and you can resume it later.",
                    yes="Stop it", no="Go back", destructive=True):
                return False
            action = {MedicineStatus.PAUSED: self._book.pause,
                      MedicineStatus.ACTIVE: self._book.resume,
                      MedicineStatus.STOPPED: self._book.stop}[status]
            action(medicine_id, reason, at=at)
            return True

        done = StatusDialog.ask(status, medicine, now=self._book.now(), zone=self._book.zone(),
                                apply=apply, parent=self)
        if done:
            word = {MedicineStatus.PAUSED: "paused", MedicineStatus.ACTIVE: "resumed",
                    MedicineStatus.STOPPED: "stopped"}[status]
            self.status_message.emit(f"{medicine.name} {word}.")
            self.select_medicine(medicine_id)
        return done

    def change_cycle(self, action: CycleAction | str, medicine_id: int | None = None) -> bool:
        """Delay the cycle doses, hold the cycle, or resume it."""
        from caregiver_app.ui.medications.action_dialogs import CycleAction, CycleDialog

        action = CycleAction(action)
        medicine = self._chosen(medicine_id)
        if medicine is None or medicine.id is None:
            return False
        medicine_id = medicine.id

        def apply(change: CycleShift | date) -> bool:
            if isinstance(change, date):
                self._book.resume_cycle(medicine_id, change)
            elif change.on_hold:
                self._book.pause_cycle(medicine_id, change.from_date, change.reason)
            else:
                assert change.days is not None
                self._book.shift_cycle(medicine_id, change.from_date, change.days,
                                       carry=change.carry, reason=change.reason)
            return True

        done = CycleDialog.ask(action, medicine, today=self._book.today(),
                               zone=self._book.zone(),
                               preview=lambda m: self._book.upcoming(m), apply=apply,
                               parent=self)
        if done:
            self.status_message.emit(f"The cycle of {medicine.name} was changed.")
        return done

    def undo_cycle_change(self, medicine_id: int | None = None) -> bool:
        from caregiver_app.ui.medications.action_dialogs import UndoCycleDialog

        medicine = self._chosen(medicine_id)
        if medicine is None or medicine.id is None:
            return False
        medicine_id = medicine.id

        def apply(shift_id: int) -> bool:
            self._book.undo_cycle_change(medicine_id, shift_id)
            return True

        done = UndoCycleDialog.ask(medicine, apply=apply, parent=self)
        if done:
            self.status_message.emit(f"The change to the cycle of {medicine.name} was undone.")
        return done

    def change_stock(self, action: StockAction | str, medicine_id: int | None = None) -> bool:
        """Record a refill, a stock count or a newly opened bottle."""
        from caregiver_app.ui.medications.action_dialogs import StockAction, StockDialog

        action = StockAction(action)
        medicine = self._chosen(medicine_id)
        if medicine is None or medicine.id is None:
            return False
        medicine_id = medicine.id
        forecast = self._book.supply(medicine_id) if medicine.supply.tracked else None

        def apply(*values) -> bool:
            if action is StockAction.REFILL:
                self._book.refill(medicine_id, values[0], note=values[1])
            elif action is StockAction.COUNT:
                self._book.count_stock(medicine_id, values[0], note=values[1])
            else:
                self._book.open_bottle(medicine_id, values[0], values[1])
            return True

        done = StockDialog.ask(action, medicine, today=self._book.today(), forecast=forecast,
                               apply=apply, parent=self)
        if done:
            self.status_message.emit(f"Stock of {medicine.name} saved.")
        return done

    def record_extra_dose(self, medicine_id: int | None = None) -> bool:
        """Record a dose given outside the schedule (an extra dose, or one given while
        the medicine is paused or stopped)."""
        from caregiver_app.ui.medications.action_dialogs import ExtraDoseDialog

        medicine = self._chosen(medicine_id)
        if medicine is None or medicine.id is None:
            return False
        medicine_id = medicine.id

        def apply(at: datetime, amount, reason: str) -> bool:
            self._book.record_extra(medicine_id, given_at=at, amount=amount, reason=reason)
            return True

        done = ExtraDoseDialog.ask(medicine, now=self._book.now(), zone=self._book.zone(),
                                   apply=apply, parent=self)
        if done:
            self.status_message.emit(f"Extra dose of {medicine.name} recorded.")
        return done

    def show_history(self, medicine_id: int | None = None) -> None:
        from caregiver_app.ui.medications.history_dialog import HistoryDialog

        medicine = self._chosen(medicine_id)
        if medicine is None or medicine.id is None:
            return
        medicine_id = medicine.id
        dialog = HistoryDialog(medicine, self._book.history_pages(medicine_id),
                               zone=self._book.zone(), names=self._caregiver_names(),
                               parent=self)
        # open, it follows the records: a dose recorded from a reminder shows up in it
        self._open_history = (medicine_id, dialog)
        dialog.finished.connect(lambda _result: setattr(self, "_open_history", None))
        dialog.exec()

    def request_print(self) -> None:
        self.print_requested.emit("medlist", None)

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_built()
        first = self._loaded_on is None
        self._ensure_loaded()
        if first:
            self._fit_splitter()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._built:
            self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.view and event.type() == QEvent.Type.Resize
                and event.size().width() != event.oldSize().width()
                and not self._fit_pending):
            self._fit_pending = True  # once the view's own layout has followed
            QTimer.singleShot(0, self._fit_after_resize)
        return super().eventFilter(watched, event)

    def _fit_after_resize(self) -> None:
        self._fit_pending = False
        self._fit_columns()

    # ---- Private: building

    @property
    def _reference(self) -> MedicineReference:
        if self._reference_loaded is None:
            source = self._reference_source
            self._reference_loaded = source if isinstance(source, MedicineReference) \
                else source()
        return self._reference_loaded

    # ---- Private: behaviour

    def _ensure_loaded(self) -> None:
        if self._loaded_on is None or self._loaded_on != self._book.today():
            self.reload()
        elif self._stale:
            for medicine_id in sorted(self._stale):
                self._refresh_row(medicine_id)
            self._stale.clear()
            self._update_current()

    def _on_book_changed(self, medicine_id: int) -> None:
        if self._loaded_on is None:
            return
        if not self.isVisible():
            self._stale.add(medicine_id)
            return
        self._refresh_row(medicine_id)
        self._update_current()

    def _refresh_row(self, medicine_id: int) -> None:
        try:
            medicine = self._book.medicine(medicine_id)
        except NotFound:
            return
        self.model.put_row(self._row(medicine, self._book.today(), self._book.now()))
        self._update_empty_note()

    def _row(self, medicine: Medicine, today: date, now: datetime) -> MedicineRow:
        return build_row(medicine, today=today, now=now, zone=self._book.zone(),
                         supply=self._book.supply, contact_name=self._contact_name)

    def _fit_columns(self) -> None:
        layout.fit_columns(self)

    def _fit_splitter(self) -> None:
        """Give the list the room its rows need (a third to two thirds of the height)."""
        total = self.splitter.height()
        if total <= 0:
            return
        rows = max(self.proxy.rowCount(), 3) + 1
        wanted = self.view.verticalHeader().defaultSectionSize() * rows + \
            self.view.horizontalHeader().height() + self.fontMetrics().height() * 2
        top = max(total // 3, min(wanted, total * 2 // 3))
        self.splitter.setSizes([top, total - top])

    def _select(self, medicine_id: int, *, reveal: bool) -> bool:
        """Make ``medicine_id`` the current row; with ``reveal``, tick its status filter and
        clear the search if they hide it."""
        source_row = self.model.row_of(medicine_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid() and reveal:
            category = self.model.row_at(source_row).state.category
            if category not in self.proxy.statuses():
                self._status_checks[category].setChecked(True)
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
            if not index.isValid():  # hidden by the search
                self.search_edit.clear()
                index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def _select_first(self) -> None:
        if self.proxy.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _update_current(self) -> None:
        row = self.current_row()
        self.details.show_row(row, self._book.today() if row else None)
        can = medicine_actions(row.medicine if row else None, self._book.today())
        for button in (self.edit_button, self.pause_button, self.history_button,
                       self.stock_button, self.extra_button):
            button.setEnabled(can.chosen)
        self.pause_button.setText("Res&ume…" if can.resume else "Pa&use…")
        self.pause_button.setAccessibleName(
            "Resume the chosen medicine" if can.resume else "Pause the chosen medicine")
        self.stop_button.setEnabled(can.stop)
        self.cycle_button.setVisible(can.cycle)
        self.delay_action.setEnabled(can.delay_or_hold)
        self.hold_action.setEnabled(can.delay_or_hold)
        self.resume_cycle_action.setEnabled(can.resume_cycle)
        self.undo_cycle_action.setEnabled(can.undo_cycle_change)
        for action in (self.refill_action, self.count_action):
            action.setEnabled(can.stock_counted)
            action.setToolTip(can.stock_tip)

    def _update_empty_note(self) -> None:
        text = empty_list_note(self.model.rowCount(), self.proxy.rowCount())
        self.empty_note.setText(text)
        self.empty_note.setVisible(bool(text))

    def _on_status_toggled(self, status: MedicineStatus, shown: bool) -> None:
        self.proxy.set_status_shown(status, shown)
        if not self.view.currentIndex().isValid():
            self._select_first()
        self._update_current()

    def _pause_or_resume(self) -> None:
        row = self.current_row()
        if row is None:
            return
        latest = row.medicine.latest_status
        if latest is not None and latest.status is not MedicineStatus.ACTIVE:
            self.change_status(MedicineStatus.ACTIVE)
        else:
            self.change_status(MedicineStatus.PAUSED)

    def _chosen(self, medicine_id: int | None) -> Medicine | None:
        medicine_id = medicine_id if medicine_id is not None else self.current_medicine_id()
        if medicine_id is None:
            return None
        return self._book.medicine(medicine_id)

    def _preview(self, medicine: Medicine, after: datetime):
        return self._book.upcoming(medicine, after=after)

    def _save_change(self, change: MedicineChange) -> Medicine:
        return self._book.save_edit(change)

    def _read_about(self, reference_id: str) -> None:
        self._open_article(reference_id)
