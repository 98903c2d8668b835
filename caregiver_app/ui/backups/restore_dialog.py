"""Choose a backup to restore: each listed with its date and what it holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import ValidationError
from caregiver_app.services.backups import BackupInfo
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.table_model import RecordTableModel, TableColumn

_KIND_LABELS = {
    "daily": "Daily",
    "weekly": "Weekly",
    "before-migration": "Before an update",
    "before-restore": "Before a restore",
    "chosen file": "Chosen file",
}
class BackupListModel(RecordTableModel):
    def __init__(self, backups: list[BackupInfo], parent=None):
        super().__init__([
            TableColumn("Made", lambda info: info.describe_made_at()),
            TableColumn("Kind", lambda info: _KIND_LABELS.get(info.kind, info.kind)),
            TableColumn("Patient", lambda info: info.patient_name),
            TableColumn("Holds", lambda info: info.describe_counts()),
            TableColumn("Status", lambda info: "OK" if info.ok
                        else f"Cannot use: {info.problem}"),
        ], backups, parent=parent)

    def add(self, info: BackupInfo) -> None:
        self.insert_record(0, info)

    def info(self, row: int) -> BackupInfo:
        return self.record(row)


class RestoreDialog(SavingDialog):
    """Which backup to restore; ``ask(backups, describe_file, parent)`` returns its path
    (nothing is restored here), or None if cancelled."""

    def __init__(self, backups: list[BackupInfo], describe_file, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.resize(820, 420)
        self._describe_file = describe_file

        intro = QLabel(
            "Restoring replaces every record in the app with the copy you choose. "
            "Your current records are saved first, so this can be undone by restoring "
            "the copy marked \u201cBefore a restore\u201d."
        )
        intro.setWordWrap(True)
        self.model = BackupListModel(backups, self)
        self.table = QTableView()
        self.table.setAccessibleName("Backups")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        if backups:
            self.table.selectRow(0)

        self.other_button = QPushButton("Choose a backup &file…")
        self.other_button.clicked.connect(self._choose_file)
        self.status = ErrorLabel()
        self.errors.add("backup", self.table, self.status)
        self.errors.set_general(self.status)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Restore selected",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.other_button)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def save_form(self) -> Path:
        """The chosen backup's path, once it passed the quick check."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            raise ValidationError({"backup": "Choose a backup in the list first."})
        info = self.model.info(rows[0].row())
        if not info.ok:
            raise ValidationError({"backup": f"That copy cannot be restored: {info.problem}."})
        return info.path

    def add_file(self, path: Path) -> None:
        self.model.add(self._describe_file(path))
        self.table.selectRow(0)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose a backup file", "",
                                              "Backups (*.sqlite3);;All files (*)")
        if name:
            self.add_file(Path(name))
