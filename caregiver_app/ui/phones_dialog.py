"""File ▸ Phones and who uses them…: "Ana's iPhone = Ana Helper", one line per phone.

A tick on a phone is recorded as given by the caregiver its phone is mapped to. The app
knows a tick's phone by its task app ("iPhone or iPad", "Android (jtx Board)": the app
names it from what the phone writes) and the server account it came through; the
household names each phone and says whose it is. A tick no line fits is recorded as
given by the caregiver chosen in Share with the family… ("Ticks given by").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.patient import Caregiver
from caregiver_app.domain.tick_sources import MAX_PHONE_NAME, Phone, known_clients
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.saving_dialog import SavingDialog

ANY_APP = "Any phone app"


def phone_line(phone: Phone, names: dict[int, str]) -> str:
    """"Ana's iPhone = Ana Helper (iPhone or iPad, any account)"."""
    who = names.get(phone.caregiver_id, "nobody named") if phone.caregiver_id else \
        "nobody named"
    where = ", ".join([phone.client or "any phone app",
                       f"account {phone.account}" if phone.account else "any account"])
    return f"{phone.name} = {who} ({where})"


class PhonesDialog(SavingDialog):
    not_saved = "The phones were not saved"

    def __init__(self, phones: Sequence[Phone], caregivers: Sequence[Caregiver], *,
                 seen: Sequence[tuple[str, str]], save: Callable[[list[Phone]], None],
                 parent: QWidget | None = None):
        """``seen``: (account, phone's app) ticks have come from, to choose from."""
        super().__init__(parent)
        self.setWindowTitle("Phones and who uses them")
        self._save = save
        self._phones = list(phones)
        self._names = {c.id: c.name for c in caregivers if c.id is not None}
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A dose ticked on a phone is recorded as given by the person whose phone it "
            "is. Name each phone and say whose it is. The app tells phones apart by their "
            "task app and the account they use. A tick no line fits is recorded as given "
            "by the person chosen in Share with the family (Ticks given by).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if seen:
            heard = QLabel("Ticks have come from: " + "; ".join(
                f"{client or 'an unnamed app'} (account {account})" if account
                else (client or "an unnamed app") for account, client in seen) + ".")
            heard.setWordWrap(True)
            heard.setAccessibleName("Phones ticks have come from")
            layout.addWidget(heard)

        self.list = QListWidget()
        self.list.setAccessibleName("Phones and who uses them")
        # read-only: the phones are changed with the fields below (extra_state)
        self.list.setEditTriggers(QListWidget.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(True)  # read whole at any text size
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.list, 1)
        self.remove_button = QPushButton("&Remove this phone")
        self.remove_button.setAccessibleName("Remove this phone")
        self.remove_button.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)

        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(MAX_PHONE_NAME)
        self.name_edit.setPlaceholderText("for example Ana's iPhone")
        self.name_edit.setAccessibleName("Phone's name")
        self.name_error = ErrorLabel()
        self.giver_combo = QComboBox()
        self.giver_combo.setAccessibleName("Ticks on it given by")
        for caregiver in caregivers:
            if caregiver.id is not None and caregiver.active:
                self.giver_combo.addItem(caregiver.name, caregiver.id)
        self.giver_combo.addItem("Nobody named", None)
        self.app_combo = QComboBox()
        self.app_combo.setEditable(True)
        self.app_combo.setAccessibleName("Its task app")
        apps = [ANY_APP, *dict.fromkeys([c for _, c in seen if c] + known_clients())]
        self.app_combo.addItems(apps)
        self.account_edit = QLineEdit()
        self.account_edit.setPlaceholderText("any account")
        self.account_edit.setAccessibleName("Its account on the server")
        name_label = QLabel("Phone's &name:")
        name_label.setBuddy(self.name_edit)
        giver_label = QLabel("Ticks on it &given by:")
        giver_label.setBuddy(self.giver_combo)
        app_label = QLabel("Its task &app:")
        app_label.setBuddy(self.app_combo)
        account_label = QLabel("Its acc&ount (optional):")
        account_label.setBuddy(self.account_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow(self.name_error)
        form.addRow(giver_label, self.giver_combo)
        form.addRow(app_label, self.app_combo)
        form.addRow(account_label, self.account_edit)
        layout.addLayout(form)
        self.add_button = QPushButton("A&dd this phone")
        self.add_button.setAccessibleName("Add this phone")
        self.add_button.clicked.connect(self._add)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.errors.add("name", self.name_edit, self.name_error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_list()

    def phones(self) -> list[Phone]:
        return list(self._phones)

    def extra_state(self) -> tuple:
        return tuple(self._phones)

    def save_form(self) -> list[Phone]:
        if self.name_edit.text().strip():  # typed and not yet added: Save adds it
            self._phones.append(self._typed())
        self._save(self._phones)
        return self._phones

    def _typed(self) -> Phone:
        app = self.app_combo.currentText().strip()
        phone = Phone(name=self.name_edit.text().strip(),
                      caregiver_id=self.giver_combo.currentData(),
                      client="" if app == ANY_APP else app,
                      account=self.account_edit.text().strip())
        problems = phone.problems()
        if problems:
            raise ValidationError(problems)
        return phone

    def _add(self) -> None:
        try:
            phone = self._typed()
        except ValidationError as exc:
            self.errors.show(exc.errors)
            self.name_edit.setFocus()
            return
        self.errors.clear()
        self._phones.append(phone)
        self.name_edit.clear()
        self.account_edit.clear()
        self.app_combo.setCurrentIndex(0)
        self._show_list()
        self.name_edit.setFocus()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._phones):
            del self._phones[row]
            self._show_list()

    def _show_list(self) -> None:
        self.list.clear()
        for phone in self._phones:
            self.list.addItem(phone_line(phone, self._names))
        if not self._phones:
            self.list.addItem("No phone named yet: every tick is recorded as given by "
                              "the person chosen in Share with the family.")
        self.remove_button.setEnabled(bool(self._phones))


__all__ = ["ANY_APP", "PhonesDialog", "phone_line"]
