"""The first screen on an empty data directory."""

from __future__ import annotations

import logging
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget

from caregiver_app import APP_NAME
from caregiver_app.domain.errors import ValidationError
from caregiver_app.services import autostart as login_start
from caregiver_app.ui import desktop
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.saving_dialog import SavingDialog

log = logging.getLogger(__name__)


class WelcomeChoice(Enum):
    SET_UP = "set_up"
    EXAMPLE = "example"


class WelcomeDialog(SavingDialog):
    """Set up the patient profile, or look around the example household first; with
    "start when I log in" ticked, setting up turns it on (its problem said under the box,
    the screen kept open). ``ask()`` returns the ``WelcomeChoice``, None when closed."""

    def __init__(self, parent: QWidget | None = None, *,
                 autostart: login_start.Autostart | None = None):
        super().__init__(parent)
        self._autostart = autostart or login_start.for_this_computer()
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.choice: WelcomeChoice | None = None
        """The choice made (None until a button was pressed and it was taken)."""
        self._chosen: WelcomeChoice | None = None

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
        # offered here once; Reminders… on the Today tab changes it later
        self.login_check = QCheckBox(login_start.OFFER_TEXT.replace(" when", " &when", 1))
        self.login_check.setChecked(self._autostart.is_on())
        self.login_check.setToolTip(f"It then opens minimized {desktop.DESKTOP.tray_place} "
                                    "each time you log in. You can change this later in "
                                    "Reminders… on the Today tab.")
        self.login_error = ErrorLabel()
        self.errors.set_general(self.login_error)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(self.login_check)
        layout.addWidget(self.login_error)
        layout.addSpacing(12)
        layout.addWidget(self.set_up_button)
        layout.addWidget(self.example_button)
        self.setMinimumWidth(520)

    def save_form(self) -> WelcomeChoice | None:
        """The button pressed; setting up first turns starting at login on or off as
        ticked (the example is not started at login)."""
        choice = self._chosen
        if choice is WelcomeChoice.SET_UP:
            problem = self._apply_login_start()
            if problem:
                raise ValidationError({"login_start": problem})
        self.choice = choice
        return choice

    # ---- Private

    def _choose(self, choice: WelcomeChoice) -> None:
        self._chosen = choice
        self.accept()

    def _apply_login_start(self) -> str:
        """Start at login as ticked: "" when done (or nothing to do), else why not."""
        wanted = self.login_check.isChecked()
        if wanted == self._autostart.is_on():
            return ""
        try:
            self._autostart.turn_on() if wanted else self._autostart.turn_off()
        except OSError as exc:
            log.warning("login start not changed: %s", type(exc).__name__)
            return (f"Starting at login could not be set up ({exc.strerror or exc}). Untick "
                    "the box to carry on without it; you can try again later in Reminders….")
        log.info("start at login turned %s on the welcome screen", "on" if wanted else "off")
        return ""
