"""Edit the list of caregivers (name and initials).

Removing someone only takes them off the list: the doses they recorded keep
their name and initials.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.patient import Caregiver, suggest_initials, validate_caregiver
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.widgets import RowTabbing

_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CaregiversDialog(SavingDialog):
    not_saved = "The list of caregivers was not saved"

    def __init__(self, caregivers: list[Caregiver], parent: QWidget | None = None, *,
                 former: list[Caregiver] | tuple[Caregiver, ...] = (),
                 save: Callable[[list[Caregiver]], list[Caregiver]] | None = None):
        """``former``: caregivers removed from the list; their initials stay on the
        records they signed, so nobody new may take them (adding the same person again,
        same name and initials, brings them back instead). ``save``: store the checked
        list and return it as saved; when it refuses (a full disk) the dialog stays open
        with what was typed and says why."""
        super().__init__(parent)
        self._former = tuple(former)
        self._save = save
        self.setWindowTitle("Caregivers")
        self.setMinimumSize(480, 360)
        self._problem_row: int | None = None

        intro = QLabel(
            "Everyone who gives medicines. Their initials go on each dose they record "
            "and on the printed sheets."
        )
        intro.setWordWrap(True)

        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Name", "Initials"])
        self.model.itemChanged.connect(self._on_item_changed)
        self.table = QTableView()
        self.table.setAccessibleName("Caregivers")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        RowTabbing.install(self.table)  # Tab goes along a row, then out

        self.add_button = QPushButton("&Add caregiver")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton("&Remove from list")
        self.remove_button.clicked.connect(self._remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)

        self.error_label = ErrorLabel()
        self.errors.add("caregivers", self.table, self.error_label)
        self.errors.set_general(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        for c in caregivers:
            self.add_row(c.name, c.initials, c.id, edit=False)
        if not caregivers:
            self.add_row()
        else:  # the row the keys go to shown selected, not only by a pale tint (1.2:1)
            self.table.setCurrentIndex(self.model.index(0, 0))

    # ---- Public API

    # ``ask(caregivers, parent, former=, save=)`` (``SavingDialog``): the checked (and,
    # with ``save``, saved) list, or None if cancelled.

    def add_row(self, name: str = "", initials: str = "", caregiver_id: int | None = None,
                *, edit: bool = True) -> None:
        name_item = QStandardItem(name)
        name_item.setData(caregiver_id, _ID_ROLE)
        self.model.appendRow([name_item, QStandardItem(initials)])
        if edit:
            index = self.model.index(self.model.rowCount() - 1, 0)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def save_form(self) -> list[Caregiver]:
        """Check every row, then save the list through ``save``."""
        accepted, problem = self._checked_rows()
        self._problem_row = None
        if problem is not None:
            self._problem_row, message = problem
            raise ValidationError({"caregivers": message})
        return self._save(accepted) if self._save is not None else accepted

    def show_errors(self, errors: Mapping[str, str]) -> None:
        super().show_errors(errors)
        if errors and self._problem_row is not None:  # the row to fix
            self.table.setCurrentIndex(self.model.index(self._problem_row, 0))

    # ---- Private

    def _checked_rows(self) -> tuple[list[Caregiver], tuple[int, str] | None]:
        """The caregivers as typed, checked; and the first row refused with its message."""
        accepted: list[Caregiver] = []
        for r in range(self.model.rowCount()):
            name = self.model.item(r, 0).text().strip()
            initials = self.model.item(r, 1).text().strip()
            if not name and not initials:
                continue  # an empty row the caregiver added and left
            candidate = Caregiver(name=name, initials=initials,
                                  id=self.model.item(r, 0).data(_ID_ROLE))
            back = next((f for f in self._former if candidate.id is None
                         and f.name.casefold() == name.casefold()
                         and f.initials.upper() == initials.upper()), None)
            if back is not None:
                candidate = Caregiver(name=name, initials=initials, id=back.id)
            others = [*accepted, *(f for f in self._former if f.id != candidate.id)]
            try:
                accepted.append(validate_caregiver(candidate, others=others))
            except ValidationError as exc:
                problem = " ".join(exc.errors.values())
                return accepted, (r, f"Row {r + 1} ({name or 'no name'}): {problem}")
        return accepted, None

    def _on_item_changed(self, item: QStandardItem) -> None:
        if item.column() == 0:
            initials = self.model.item(item.row(), 1)
            if initials is not None and not initials.text():
                initials.setText(suggest_initials(item.text()))
        if self.error_label.isVisibleTo(self):  # a message shown: is it still true?
            _accepted, problem = self._checked_rows()
            self.error_label.set_message(problem[1] if problem is not None else "")

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()},
                      reverse=True)
        for r in rows:
            self.model.removeRow(r)
