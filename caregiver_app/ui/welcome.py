"""The first screen on an empty data directory."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from caregiver_app import APP_NAME
from caregiver_app.ui.form_dialog import FormDialog


class WelcomeChoice(Enum):
    SET_UP = "set_up"
    EXAMPLE = "example"


class WelcomeDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.choice: WelcomeChoice | None = None

        heading = QLabel(f"Welcome to {APP_NAME}")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        text = QLabel(
            "This app helps you keep track of the medicines, the care team and the "
            "appointments of the person you care for, and explains ALS in plain words.\n\n"
            "Everything you enter stays on this computer. There is no account and "
            "nothing is sent over the internet.\n\n"
            "The app keeps records and reminders; it does not give medical advice. "
            "The care team decides treatment."
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)

        self.set_up_button = QPushButton("&Set up the patient profile")
        self.set_up_button.setDefault(True)
        self.set_up_button.setMinimumHeight(48)
        self.set_up_button.clicked.connect(lambda: self._choose(WelcomeChoice.SET_UP))
        self.example_button = QPushButton("Look around an &example household first")
        self.example_button.setMinimumHeight(48)
        self.example_button.setToolTip(
            "A made-up patient with a typical ALS medicine list and care team, kept apart "
            "from your own records."
        )
        self.example_button.clicked.connect(lambda: self._choose(WelcomeChoice.EXAMPLE))

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addWidget(self.set_up_button)
        layout.addWidget(self.example_button)
        self.setMinimumWidth(520)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> WelcomeChoice | None:
        dialog = cls(parent)
        dialog.exec()
        return dialog.choice

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        self.accept()
