"""Choose a backup to restore: each listed with its date and what it holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.services.backups import BackupInfo
from caregiver_app.ui.form_dialog import FormDialog

_KIND_LABELS = {
    "daily": "Daily",
    "weekly": "Weekly",
    "before-migration": "Before an update",
    "before-restore": "Before a restore",
    "chosen file": "Chosen file",
}
_HEADERS = ("Made", "Kind", "Patient", "Holds", "Status")

Index = QModelIndex | QPersistentModelIndex


class BackupListModel(QAbstractTableModel):
    def __init__(self, backups: list[BackupInfo], parent=None):
        super().__init__(parent)
        self._rows = list(backups)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        info = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                info.describe_made_at(),
                _KIND_LABELS.get(info.kind, info.kind),
                info.patient_name,
                info.describe_counts(),
                "OK" if info.ok else f"Cannot use: {info.problem}",
            )[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return info
        return None

    def add(self, info: BackupInfo) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, info)
        self.endInsertRows()

    def info(self, row: int) -> BackupInfo:
        return self._rows[row]


class RestoreDialog(FormDialog):
    def __init__(self, backups: list[BackupInfo], describe_file, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.resize(820, 420)
        self._describe_file = describe_file
        self._chosen: Path | None = None

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
        self.status = QLabel()
        self.status.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Restore selected",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.other_button)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, backups: list[BackupInfo], describe_file, parent: QWidget | None = None
            ) -> Path | None:
        dialog = cls(backups, describe_file, parent)
        return dialog._chosen if dialog.exec() == QDialog.DialogCode.Accepted else None

    def try_accept(self) -> bool:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status.setText("Choose a backup in the list first.")
            return False
        info = self.model.info(rows[0].row())
        if not info.ok:
            self.status.setText(f"That copy cannot be restored: {info.problem}.")
            return False
        self._chosen = info.path
        self.accept()
        return True

    def add_file(self, path: Path) -> None:
        self.model.add(self._describe_file(path))
        self.table.selectRow(0)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose a backup file", "",
                                              "Backups (*.sqlite3);;All files (*)")
        if name:
            self.add_file(Path(name))
