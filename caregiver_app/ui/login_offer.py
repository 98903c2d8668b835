"""Start at login, offered again at the first start of a newer version.

The welcome screen offers it to a new household; people who set up an earlier version
never saw that (it came with 0.1.0's last changes), or said no to it long ago. Once
per update, while it is off, a small window asks again; Reminders… on the Today tab
changes it at any time.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caregiver_app import APP_NAME
from caregiver_app.services import autostart as login_start
from caregiver_app.ui import desktop
from caregiver_app.ui.form_dialog import FormDialog
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.settings import UiSettings

log = logging.getLogger(__name__)


class LoginOfferDialog(FormDialog):
    """"Start when I log in" or "Not now"; a refusal by the system is said here."""

    def __init__(self, autostart: login_start.Autostart, parent: QWidget | None = None):
        super().__init__(parent)
        self._autostart = autostart
        self.turned_on = False
        self.setWindowTitle("Reminders after a restart")
        text = QLabel(
            f"{APP_NAME} was updated.\n\n"
            "Reminders only come while the app is running. It can start by itself each "
            f"time you log in, minimized {desktop.DESKTOP.tray_place}, so reminders come "
            "even if nobody opens it after a restart.\n\n"
            "You can change this later in Reminders… on the Today tab.")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label = ErrorLabel()
        self.on_button = QPushButton(f"&Start {APP_NAME} when I log in")
        self.on_button.setDefault(True)
        self.on_button.setMinimumHeight(40)
        self.on_button.clicked.connect(self._turn_on)
        self.not_now_button = QPushButton("&Not now")
        self.not_now_button.setMinimumHeight(40)
        self.not_now_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.on_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

    def initial_focus(self) -> QWidget:
        return self.on_button

    def _turn_on(self) -> None:
        try:
            self._autostart.turn_on()
        except OSError as exc:
            log.warning("login start not turned on after the update: %s", type(exc).__name__)
            self.error_label.set_message(
                f"Starting at login could not be set up ({exc.strerror or exc}). Choose "
                "Not now to carry on; you can try again later in Reminders… on the Today tab.")
            return
        log.info("start at login turned on after an update")
        self.turned_on = True
        self.accept()


def offer_after_update(settings: UiSettings, parent: QWidget | None, version: str, *,
                       autostart: login_start.Autostart | None = None) -> bool:
    """At start-up, on the household's own records: offer start at login once for
    ``version`` when it is newer than the last version started here and start at login
    is off; remember ``version`` either way. True when it was offered."""
    at_login = autostart or login_start.for_this_computer()
    last = settings.last_version
    settings.last_version = version
    settings.sync()
    if not login_start.offer_after_update(last, version, is_on=at_login.is_on()):
        return False
    LoginOfferDialog(at_login, parent).exec()
    return True
