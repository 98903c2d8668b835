"""File ▸ Share with the family…: the server, the account, what will be shared
(shown before anything leaves the computer), and turning sharing on or off.

The server is checked (discovery from a bare host name, the account's calendar home)
off the GUI thread. The password goes to the operating system's keyring only. Turning
sharing off offers to remove what the app put on the server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.sharing import (
    KEEP_SETTING,
    WINDOW_SETTING,
    DaysSetting,
    SaidIn,
    ShareConfig,
    certificate_changed_asked,
    fingerprint_words,
    password_not_kept,
    server_url,
    server_url_problem,
    share_days,
)
from caregiver_app.ui import messages
from caregiver_app.ui.form_dialog import scroll_when_too_tall
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.screen_fit import fit_on_screen

TITLE = "Share with the family"
#: Beside Check the server when a Sync now pressed in the dialog failed (the reason, in
#: the dialog's words, above its buttons).
NOT_SHARED_HERE = "Not shared. The reason is just above the buttons."


def _said_here(problem: BaseException) -> str:
    """A ``ShareError``'s message as said in this dialog, its advice naming the field
    here rather than the menu that leads to this dialog ("" if it has none)."""
    said = getattr(problem, "said", None)
    return said(SaidIn.SETTINGS) if said is not None else getattr(problem, "message", "")


def _fingerprint(url: str) -> str:
    from caregiver_app.services.sharing.transport import Transport

    return Transport.fingerprint(url)


class SharingDialog(QDialog):
    """See the module's doc. ``sharing``: the ``SharingService``; ``engine``: the
    ``ShareSync`` (for the preview); ``notes``: the phones' notes (``PhoneNotes``: those
    about a contact settled here are marked seen); ``secrets``: the keyring functions (a module with
    ``password``, ``keep_password``, ``forget_password``); ``discover``: makes a
    transport from (address, user name, password, confirmed certificate's fingerprint),
    raising ``ShareError``; ``fingerprint``: the SHA-256 fingerprint of the certificate
    a server shows."""

    def __init__(self, *, engine: Any, sharing: Any, notes: Any, caregivers: list[Any],
                 secrets: Any, discover: Callable[[str, str, str, str], Any],
                 fingerprint: Callable[[str], str] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._engine, self._sharing, self._notes = engine, sharing, notes
        self._secrets, self._discover = secrets, discover
        self._fingerprint = fingerprint or _fingerprint
        self._checking = False
        self._shown_before = False
        config = sharing.config()
        self._config = config
        self._pin = config.pin  # the certificate a person confirmed (a self-signed server)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Put the day's doses on the family's phones as tasks, the appointments in "
            "their calendars and the care team in their contacts, through a calendar "
            "server you choose (Nextcloud, Radicale, Fastmail, iCloud…). A dose ticked on "
            "a phone is recorded here. This laptop stays the home of the records.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.server_edit = QLineEdit(config.server)
        self.server_edit.setPlaceholderText("cloud.example.org")
        self.server_edit.setAccessibleName("Server address")
        box, self.server_error = with_error(self.server_edit)
        form.addRow("Server &address:", box)
        self.user_edit = QLineEdit(config.username)
        self.user_edit.setAccessibleName("User name")
        box, self.user_error = with_error(self.user_edit)
        form.addRow("&User name:", box)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("App password")
        kept = bool(config.enabled and config.server and config.username)
        self.password_edit.setPlaceholderText(
            "kept in this computer's keyring" if kept else "an app password for this app")
        box, self.password_error = with_error(self.password_edit)
        form.addRow("App pass&word:", box)
        self.check_button = QPushButton("&Check the server")
        self.check_button.clicked.connect(lambda: self.check_server())
        self.found_label = QLabel("")
        self.found_label.setWordWrap(True)
        self.found_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.check_button, self.found_label)

        self.giver_combo = QComboBox()
        self.giver_combo.setAccessibleName("Ticks on the phones are recorded as given by")
        self.giver_combo.addItem("Not said (the record names no giver)", None)
        for caregiver in caregivers:
            self.giver_combo.addItem(caregiver.label(), caregiver.id)
        index = self.giver_combo.findData(config.giver_id)
        self.giver_combo.setCurrentIndex(max(index, 0))
        form.addRow("&Ticks given by:", self.giver_combo)
        self.device_edit = QLineEdit(config.device)
        self.device_edit.setPlaceholderText("Ana's iPhone")
        self.device_edit.setAccessibleName("This account's phones, in words")
        form.addRow("P&hones called:", self.device_edit)
        self.discreet_check = QCheckBox(
            "D&iscreet: tasks say \"08:00 medicines\", the names are inside the task")
        self.discreet_check.setChecked(config.discreet)
        self.discreet_check.toggled.connect(self._update_preview)
        form.addRow(self.discreet_check)
        self.window_edit, self.window_error = self._days_row(
            form, "&Days on the phones:", WINDOW_SETTING, config.window_days,
            "days ahead, from today")
        self.keep_edit, self.keep_error = self._days_row(
            form, "Past days &kept:", KEEP_SETTING, config.keep_days,
            "days behind, then its task goes (the record stays)")
        layout.addLayout(form)

        self.settle_row = QWidget()
        settle = QHBoxLayout(self.settle_row)
        settle.setContentsMargins(0, 0, 0, 0)
        self.settle_label = QLabel("")
        self.settle_label.setWordWrap(True)
        settle.addWidget(self.settle_label, 1)
        self.settle_button = QPushButton("")
        self.settle_button.clicked.connect(self._settle_contacts)
        settle.addWidget(self.settle_button)
        layout.addWidget(self.settle_row)
        self._update_settle()

        preview_label = QLabel("What will &leave this computer:")
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("What will leave this computer")
        self.preview.setMinimumHeight(220)
        preview_label.setBuddy(self.preview)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview, 1)
        self.status_label = ErrorLabel()
        layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox()
        self.share_button = self.buttons.addButton(
            "&Save" if config.enabled else "&Share this with the family",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.share_button.clicked.connect(self.share)
        self.off_button = self.buttons.addButton("Turn sharing &off…",
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.off_button.clicked.connect(self.turn_off)
        self.off_button.setVisible(config.enabled)
        self.sync_button = self.buttons.addButton("S&ync now",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.sync_button.clicked.connect(self._sync_now)
        self._following_sync = False
        self.sync_button.setVisible(config.enabled)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_preview()

    def _days_row(self, form: QFormLayout, label: str, setting: DaysSetting, value: int,
                  after: str) -> tuple[QLineEdit, ErrorLabel]:
        edit = QLineEdit(str(value))
        edit.setAccessibleName(f"{setting.what} ({after})")
        edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0000") + 24)
        edit.textChanged.connect(self._update_preview)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(edit)
        line.addWidget(QLabel(after), 1)
        box, error = with_error(row)
        form.addRow(label, box)
        return edit, error

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_before:
            self._shown_before = True
            self._scroll_if_too_tall()  # a laptop or large text
            fit_on_screen(self)

    # ---- messages

    def _tell(self, label: ErrorLabel, message: str) -> None:
        """``message`` in ``label`` (beside its field; "" hides it). The dialog grows for
        it, wholly on the screen; where the screen has no room for it (a laptop, large
        text), the fields scroll and the buttons stay in view."""
        label.set_message(message)
        if not message or not self.isVisible():
            return
        if not self._scroll_if_too_tall():
            area = self.findChild(QScrollArea)
            page = area.widget() if area is not None else None
            layout = page.layout() if page is not None else None
            if area is not None and layout is not None:
                # already scrolling: the page grows for the message's wrapped lines (a
                # scroll area sizes its page again on its own layout request only), and
                # its rows are laid out again (the form kept the lines it had measured)
                layout.invalidate()
                QApplication.sendEvent(area, QEvent(QEvent.Type.LayoutRequest))
                layout.invalidate()
                layout.activate()
        fit_on_screen(self)

    def _scroll_if_too_tall(self) -> bool:
        """Put the fields in a scroll area, the buttons staying in view, when they need
        more height than the screen has; True if they were put there now. The keyboard
        stays where it was, or goes to the server's address (a field moved into the
        scroll area loses it, and comes after the buttons when tabbing from the start)."""
        focus = self.focusWidget()
        if not scroll_when_too_tall(self):
            return False
        for area in self.findChildren(QScrollArea):
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        target = focus if focus is not None and focus.isVisible() else self.server_edit
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # ---- contacts waiting for a person

    def _waiting(self) -> int:
        cards = getattr(self._engine, "cards", None)
        if cards is None or not self._config.enabled:
            return 0
        try:
            return len(cards.waiting())
        except Exception:  # the records could not be read: nothing offered
            return 0

    def _update_settle(self) -> None:
        count = self._waiting()
        self.settle_row.setVisible(bool(count))
        self.settle_label.setText(
            f"{count} contact{'s' if count != 1 else ''} of the care team "
            f"{'wait' if count != 1 else 'waits'} for you: changed here and on a phone, "
            "or deleted on one side.")
        self.settle_button.setText(f"Settle co&ntacts ({count})…")
        self.settle_button.setAccessibleName(f"Settle contacts ({count})")

    def _settle_contacts(self) -> None:
        from caregiver_app.ui.sharing_contacts_dialog import settle_contacts

        settle_contacts(self._engine.cards, self._notes,
                        settled=self._sharing.records_changed, parent=self)
        self._update_settle()

    # ---- what will be shared

    def _days(self, *, focus: bool = False) -> tuple[int, int] | None:
        """The two numbers of days as typed; None when one is not a number of days, its
        message next to it (and the focus in it when ``focus``)."""
        try:
            found = share_days(self.window_edit.text(), self.keep_edit.text())
        except ValidationError as exc:
            self._tell(self.window_error, exc.errors.get(WINDOW_SETTING.name, ""))
            self._tell(self.keep_error, exc.errors.get(KEEP_SETTING.name, ""))
            if focus:
                edit = (self.window_edit if WINDOW_SETTING.name in exc.errors
                        else self.keep_edit)
                edit.setFocus()
                edit.selectAll()
            return None
        self._tell(self.window_error, "")
        self._tell(self.keep_error, "")
        return found

    def _typed_config(self) -> ShareConfig:
        days = self._days() or (self._config.window_days, self._config.keep_days)
        return replace(self._config, server=server_url(self.server_edit.text()),
                       username=self.user_edit.text().strip(),
                       discreet=self.discreet_check.isChecked(),
                       giver_id=self.giver_combo.currentData(),
                       device=" ".join(self.device_edit.text().split()),
                       window_days=days[0], keep_days=days[1], pin=self._pin)

    def _update_preview(self) -> None:
        try:
            text = self._engine.preview(self._typed_config()).text()
        except Exception as exc:  # the records could not be read: say so, send nothing
            text = f"What would be shared could not be worked out ({type(exc).__name__})."
        self.preview.setPlainText(text)

    # ---- the server

    def _field_problems(self, *, password_needed: bool) -> bool:
        """Show what is missing next to each field; True when something is."""
        problems = {
            self.server_error: server_url_problem(self.server_edit.text()),
            self.user_error: "" if self.user_edit.text().strip() else
            "Enter the user name of the account on the server.",
            self.password_error: "" if self.password_edit.text() or not password_needed else
            "Enter the app password (make one in the server's security settings).",
        }
        for label, message in problems.items():
            self._tell(label, message)
        first = next((label for label, message in problems.items() if message), None)
        if first is not None:
            {self.server_error: self.server_edit, self.user_error: self.user_edit,
             self.password_error: self.password_edit}[first].setFocus()
        return first is not None

    def _password(self) -> str:
        typed = self.password_edit.text()
        if typed:
            return typed
        config = self._typed_config()
        return self._secrets.password(config.server, config.username) or ""

    def check_server(self, then: Callable[[Any], None] | None = None) -> None:
        """Find the account on the server (off the GUI thread); ``then`` runs with the
        transport's home address when it was found."""
        if self._checking:
            return
        if self._days(focus=True) is None:
            return
        kept = self._config.enabled and self._config.server == server_url(
            self.server_edit.text())
        if self._field_problems(password_needed=not kept):
            return
        try:
            password = self._password()
        except Exception as exc:
            self._tell(self.password_error, _said_here(exc) or str(exc))
            return
        if not password:
            # sharing is on at this address but the keyring has lost the password
            self._tell(self.password_error, password_not_kept(SaidIn.SETTINGS) if kept
                       else "Enter the app password.")
            self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        url, user = self.server_edit.text(), self.user_edit.text().strip()
        self._checking = True
        self.check_button.setEnabled(False)
        self.share_button.setEnabled(False)
        self.found_label.setText("Checking the server…")

        def work() -> tuple[str, str]:
            transport = self._discover(url, user, password, self._pin)
            try:
                return transport.url, transport.home()
            finally:
                transport.close()

        def done(value: object) -> None:
            self._checking = False
            self.check_button.setEnabled(True)
            self.share_button.setEnabled(True)
            if isinstance(value, BaseException) and getattr(value, "kind", "") in (
                    "untrusted", "pin_changed"):
                self._offer_certificate(url, value, then)
                return
            if isinstance(value, BaseException):
                message = _said_here(value) or (
                    f"The server could not be checked ({type(value).__name__}).")
                self.found_label.setText("")
                # said beside the field it is about, the keyboard there to change it
                label, field = {401: (self.password_error, self.password_edit),
                                403: (self.user_error, self.user_edit)}.get(
                    getattr(value, "status", None), (self.server_error, self.server_edit))
                self._tell(label, message)
                field.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            address, home = value  # type: ignore[misc]
            self.server_edit.setText(address)
            self._tell(self.server_error, "")
            self._tell(self.password_error, "")
            self.found_label.setText(f"Found the account's calendars at {home}" + (
                " (its certificate as confirmed)" if self._pin else ""))
            if then is not None:
                then(value)

        self._in_thread(work, done)

    def _in_thread(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """``work()`` off the GUI thread (sharing's network pool: the app's one way,
        ``services.background``); then ``done`` with its value or the error it raised,
        unless the dialog is gone by then."""
        from shiboken6 import isValid

        from caregiver_app.services.sharing.service import in_background

        def then(value: object) -> None:
            if isValid(self):
                done(value)

        in_background(lambda _progress: work(), then, then, name="sharing-check")

    def _offer_certificate(self, url: str, problem: BaseException,
                           then: Callable[[Any], None] | None) -> None:
        """A server whose certificate no known authority signed (or not the one
        confirmed before): show its fingerprint and ask, once; trusted, check again."""
        self._checking = True
        self.check_button.setEnabled(False)
        self.share_button.setEnabled(False)
        self.found_label.setText("Reading the server's certificate…")

        def done(value: object) -> None:
            self._checking = False
            self.check_button.setEnabled(True)
            self.share_button.setEnabled(True)
            self.found_label.setText("")
            if isinstance(value, BaseException):
                self._tell(self.server_error, _said_here(value) or (
                    f"The server's certificate could not be read ({type(value).__name__})."))
                return
            new = str(value)
            changed = getattr(problem, "kind", "") == "pin_changed"
            lines = ([certificate_changed_asked(), "",
                      "The certificate confirmed before had this fingerprint (SHA-256):",
                      fingerprint_words(self._pin), ""] if changed else
                     ["The server's certificate is not signed by an authority this "
                      "computer knows. A server a household runs itself often has such "
                      "a certificate.", ""])
            lines += ["The server shows a certificate with this fingerprint (SHA-256):",
                      fingerprint_words(new), "",
                      "Compare it with the one whoever runs the server gives you (for "
                      "Radicale: openssl x509 -noout -fingerprint -sha256 -in its "
                      "certificate file). Trust it only if they are the same: the app "
                      "then accepts this certificate from this server, and no other."]
            if not messages.confirm(self, "Confirm the server's certificate",
                                    "\n".join(lines), yes="&Trust this certificate",
                                    no="&Do not trust it", destructive=True):
                self._tell(self.server_error, "Not connected: the server's certificate "
                           "was not confirmed, so nothing was sent.")
                return
            self._pin = new
            self.check_server(then)

        self._in_thread(lambda: self._fingerprint(url), done)

    # ---- on, off, now

    def share(self) -> None:
        """Check the server, then keep the password in the keyring and turn sharing on
        (the preview above is what will be sent)."""
        def go(_found: object) -> None:
            config = replace(self._typed_config(), enabled=True, confirmed=True)
            try:
                if self.password_edit.text():
                    self._secrets.keep_password(config.server, config.username,
                                                self.password_edit.text())
                self._sharing.save_settings(config)
            except Exception as exc:
                self._tell(self.status_label, getattr(exc, "message", "") or (
                    "Sharing was not turned on: the settings could not be saved "
                    f"({type(exc).__name__})."))
                return
            self._config = config
            self.accept()

        self.check_server(then=go)

    def turn_off(self) -> None:
        """Turn sharing off; offer to remove what the app put on the server."""
        remove = messages.confirm(
            self, "Turn sharing off",
            "Sharing stops now; the records on this computer stay as they are.\n\n"
            "Also remove from the server what this app put there (the task list, the "
            "calendar and the address book)? The family's phones then no longer show "
            "them; the care team stays here.",
            yes="&Remove them from the server", no="&Leave them there")
        config = replace(self._sharing.config(), enabled=False)
        self._sharing.save_settings(config)
        self._config = config
        if remove:
            self._sharing.remove_from_server()
        else:
            self._sharing.forget()
        self.accept()

    def _sync_now(self) -> None:
        """Sync now, and follow it here: what the status bar says as it goes, and a
        failure said under the buttons in this dialog's words (not "Syncing…" for ever)."""
        self._tell(self.status_label, "")
        if not self._following_sync:
            self._following_sync = True  # (let go of with the dialog)
            self._sharing.status_changed.connect(self._on_sync_status)
            self._sharing.failed.connect(self._on_sync_failed)
        self._sharing.sync_now()
        self.found_label.setText(self._sharing.status or "Syncing…")

    def _on_sync_status(self, text: str) -> None:
        self.found_label.setText(text)

    def _on_sync_failed(self, problem: BaseException) -> None:
        # the status bar's "Not shared: …" names the menu that leads here, and would
        # say the reason twice: beside Check the server only that it was not shared
        self.found_label.setText(NOT_SHARED_HERE)
        self._tell(self.status_label, _said_here(problem))
        area = self.findChild(QScrollArea)
        if area is not None:  # (large text: the fields scroll) scrolled into view, once
            # the page has grown for its lines
            QTimer.singleShot(0, self._show_status)

    def _show_status(self) -> None:
        area = self.findChild(QScrollArea)
        if area is not None:
            area.ensureWidgetVisible(self.status_label)


__all__ = ["SharingDialog"]
