"""The main window: a header with the patient and who is on duty, and the tabs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caregiver_app import APP_NAME, __version__
from caregiver_app.services.backups import BackupError, BackupService
from caregiver_app.services.changes import Changes
from caregiver_app.services.session import Session
from caregiver_app.ui import desktop
from caregiver_app.ui.actions import add_action
from caregiver_app.ui.lazy_tabs import LazyTabs
from caregiver_app.ui.page_follow import PageFollowsFocus
from caregiver_app.ui.palette import apply_readable_palette
from caregiver_app.ui.screen_fit import available_area, centre_on_screen, fit_on_screen, screen_key
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.widgets import own_viewport
from caregiver_app.ui.window_header import WindowHeader

if TYPE_CHECKING:  # the profile dialogs, export / import, the close questions, work
    # off the GUI thread and printing are imported when first used, not at start-up (as
    # are Qt's message box and file dialog: each class PySide loads makes its enums)
    from PySide6.QtWidgets import QMessageBox

    from caregiver_app.services.background import Operation
    from caregiver_app.services.transfer import TransferService
    from caregiver_app.ui.close_prompts import Prompt
    from caregiver_app.ui.printing import PrintController
    from caregiver_app.ui.today.banner import ReminderBanner
    from caregiver_app.ui.today.tab import TodayTab

TEXT_SIZES = (("Normal", 1.0), ("Large", 1.25), ("Extra large", 1.5), ("Huge", 2.0))
#: The window's size on a screen it has not been on before, when the screen has room.
PREFERRED_SIZE = (1280, 860)
#: The reminder banner, above the page, takes at most this share of the window's height.
BANNER_SHARE = 0.4


@dataclass(frozen=True)
class TabSpec:
    """A tab: its key ("today"), its title ("&Today") and what builds it, when it is
    first shown or asked for, or once the window is idle (``ui.lazy_tabs``)."""

    key: str
    title: str
    build: Callable[[], QWidget]


class MainWindow(QMainWindow):
    tab_changed = Signal(str)
    """The visible tab changed; carries the tab's key."""

    imported = Signal(bool)
    """File ▸ Import records… ended: True when the records were replaced (the app then
    reopens them), False when nothing changed (refused, cancelled, or a problem said)."""

    quit_requested = Signal()
    """End the app: File ▸ Quit, or the window closed when nothing keeps it running (no
    tray to stay in, or the "keep running near the clock" setting off). The app does not
    quit by itself when its last window closes (``run_gui``)."""

    today_tab: TodayTab
    """The Today tab (set by ``app.build_main_window``: reminders point at its doses)."""

    def __init__(
        self,
        *,
        tabs: Sequence[TabSpec],
        session: Session,
        settings: UiSettings,
        data_dir: Path,
        today: Callable[[], date],
        default_time_zone: Callable[[], str],
        backups: BackupService | None = None,
        transfer: Callable[[], TransferService] | None = None,
        is_example: bool = False,
        printing: Callable[[], PrintController] | None = None,
        schema_version: Callable[[], int] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._schema_version = schema_version
        self._session = session
        self._settings = settings
        self._data_dir = data_dir
        self._today = today
        self._default_tz = default_time_zone
        self._backups = backups
        self._transfer = transfer
        self._make_printing = printing
        """Makes the print controller: File ▸ Print ▸ …, the exports (``printing()``)."""
        self._printing: PrintController | None = None
        self._tab_keys: list[str] = []
        self._base_font: QFont = QApplication.font()
        self._keep_in_tray: Callable[[], bool] | None = None
        self._hidden_to_tray: Callable[[], None] | None = None
        self._close_prompt_needed: Callable[[], bool] | None = None
        self._reminders_running: Callable[[], bool] = lambda: False
        self._tray_available: Callable[[], bool] = lambda: False
        self.close_prompt: QMessageBox | None = None  # "Reminders stop...", while open
        self._quitting = False
        title = APP_NAME + (" — example household" if is_example else "")
        self.setWindowTitle(title)
        self.setObjectName("MainWindow")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        self.header = WindowHeader(session, settings, is_example=is_example,
                                   edit_caregivers=self.edit_caregivers)
        self.patient_label = self.header.patient_label
        self.duty_combo = self.header.duty_combo
        self.caregivers_button = self.header.caregivers_button
        layout.addLayout(self.header.layout)
        self._arrange_header()
        self._central_layout = layout
        self.tabs = LazyTabs()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Sections")
        for spec in tabs:
            self.add_tab(spec)
        self.tabs.currentChanged.connect(self._on_current_changed)
        layout.addWidget(self.tabs, 1)
        # On a small screen or at large text the window stays on the screen and what
        # does not fit scrolls (each tab also fits itself to the room it has).
        self.page_scroll = QScrollArea()
        own_viewport(self.page_scroll)  # (read when the header is arranged)
        self.page_scroll.setObjectName("PageScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.page_scroll.setWidget(central)
        # the reminder banner stays above the page, in view however far it is scrolled
        frame = QWidget()
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(0, 0, 0, 0)
        frame_layout.setSpacing(0)
        self._pinned = QVBoxLayout()
        self._pinned.setContentsMargins(8, 8, 8, 0)
        frame_layout.addLayout(self._pinned)
        frame_layout.addWidget(self.page_scroll, 1)
        self._pinned_banner: ReminderBanner | None = None
        self.setCentralWidget(frame)
        self._page_follows = PageFollowsFocus(self, self.page_scroll)  # the keyboard
        self.statusBar().setAccessibleName("Messages")

        self._build_menus()
        self._restore_state()
        self.header.reload_patient()
        self.header.reload_caregivers()

    # ---- Public API

    def start_tabs(self) -> None:
        """Build the tab that shows first (its builder may use the window: call once the
        window is made); the others are built when needed (``ui.lazy_tabs``)."""
        self.tabs.start()

    def add_tab(self, spec: TabSpec) -> None:
        self.tabs.add_lazy(spec.key, spec.title, spec.build)
        self._tab_keys.append(spec.key)

    def show_tab(self, key: str) -> QWidget:
        self.tabs.setCurrentIndex(self._tab_keys.index(key))
        return self.tabs.page(key)

    def tab_widget(self, key: str) -> QWidget:
        """The tab ``key`` ("today", …), without showing it (built now if need be)."""
        return self.tabs.page(key)

    def current_tab_key(self) -> str:
        return self._tab_keys[self.tabs.currentIndex()]

    def set_banner(self, banner: QWidget) -> None:
        """Put a banner (the read-only bar) between the header and the tabs."""
        self._central_layout.insertWidget(1, banner)

    def pin_banner(self, banner: ReminderBanner) -> None:
        """Put the reminder banner above the page, outside its scroll area: its Given
        buttons stay in view however far the page is scrolled. It takes at most
        ``BANNER_SHARE`` of the window's height (``ReminderBanner.fit_room``)."""
        self._pinned.addWidget(banner)
        self._pinned_banner = banner
        self._fit_banner()

    def scroll_into_view(self, widget: QWidget) -> None:
        """Scroll the page so ``widget`` (a list: its current row) shows."""
        self._page_follows.scroll_to(widget)

    def set_close_to_tray(self, keep: Callable[[], bool] | None,
                          hidden: Callable[[], None] | None = None) -> None:
        """Closing the window only hides it while ``keep()`` is true (the app stays in
        the tray); ``hidden()`` is called each time it does."""
        self._keep_in_tray = keep
        self._hidden_to_tray = hidden

    def set_close_prompt(self, needed: Callable[[], bool] | None) -> None:
        """While ``needed()`` is true (reminders are running and closing would end
        them), closing the window first asks "Reminders stop when the app is closed.
        Minimise it instead?" (Minimise / Close anyway / Cancel)."""
        self._close_prompt_needed = needed

    def set_quit_prompt(self, running: Callable[[], bool],
                        tray_available: Callable[[], bool]) -> None:
        """While ``running()`` (the reminders), Quit first says that they stop until the
        app is started again, and offers to keep it running near the clock (when
        ``tray_available()``) or minimised instead."""
        self._reminders_running = running
        self._tray_available = tray_available

    def quit(self) -> None:
        """File ▸ Quit (and the tray menu's Quit): end the app; while reminders run,
        ask first (``set_quit_prompt``)."""
        if self._reminders_running():
            self._ask_before_quitting()
            return
        self._quit_now()

    def _quit_now(self) -> None:
        self.close_for_good()
        self.quit_requested.emit()

    def close_for_good(self) -> None:
        """Close the window even if closing would normally keep the app in the tray."""
        self._quitting = True
        self.close()

    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        """A non-modal message in the status bar."""
        self.statusBar().showMessage(text, timeout_ms)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def edit_patient(self) -> bool:
        from caregiver_app.ui.profile.patient_dialog import PatientDialog

        patient = PatientDialog.ask(
            self._session.patient(), today=self._today(), default_time_zone=self._default_tz(),
            save=self._session.save_patient, parent=self,
        )
        if patient is None:
            return False
        self.show_message("Patient profile saved.")
        return True

    def edit_caregivers(self) -> bool:
        from caregiver_app.ui.profile.caregivers_dialog import CaregiversDialog

        everyone = self._session.caregivers(include_inactive=True)
        saved = CaregiversDialog.ask([c for c in everyone if c.active], parent=self,
                                     former=[c for c in everyone if not c.active],
                                     save=self._session.save_caregivers)
        if saved is None:
            return False
        if self._session.on_duty is None and len(saved) == 1:
            self._session.set_on_duty(saved[0].id)
        self.show_message("Caregivers saved.")
        return True

    def back_up_now(self, folder: Path | None = None) -> Operation | None:
        """Copy the records to a folder the caregiver picks (a USB stick, say), on a
        worker thread; the status bar says where once it is written."""
        assert self._backups is not None
        if folder is None:
            from PySide6.QtWidgets import QFileDialog

            chosen = QFileDialog.getExistingDirectory(self, "Choose where to save the backup")
            if not chosen:
                return None
            folder = Path(chosen)
        backups, where = self._backups, folder

        def failed(exc: BaseException) -> str | None:
            return str(exc) if isinstance(exc, BackupError) else None

        from caregiver_app.ui.background import run_in_background

        return run_in_background(
            self, lambda _progress: backups.back_up_to_folder(where),
            title="Back up now", text=f"Saving a backup in {where}…",
            done=lambda dest: self.show_message(f"Backup saved as {dest}"),
            failed=failed, failed_title="Backup not made",
            cancelled=lambda: self.show_message("Backup cancelled."),
            cancel_name="Cancel the backup")

    def restore_backup(self) -> Operation | None:
        """File ▸ Restore: the chosen backup is checked and copied on a worker thread,
        then put in place (``ui.backups.restore_flow``); None if the person chose no
        backup or said no."""
        from caregiver_app.ui.backups.restore_flow import restore_backup

        assert self._backups is not None
        return restore_backup(self, self._backups, show_message=self.show_message)

    def export_records(self, path: Path | None = None) -> Operation | None:
        """File ▸ Export all records… (``ui.transfer_actions.export_records``)."""
        from caregiver_app.ui import transfer_actions

        assert self._transfer is not None
        return transfer_actions.export_records(self, self._transfer(), self._today(), path)

    def import_records(self, path: Path | None = None) -> Operation | None:
        """File ▸ Import records…: replace every record with those in an exported file,
        after asking (``ui.transfer_actions.import_records``); ``imported`` says how it
        ended."""
        from caregiver_app.ui import transfer_actions

        assert self._transfer is not None
        return transfer_actions.import_records(self, self._transfer, path)

    def set_text_scale(self, scale: float) -> None:
        font = QFont(self._base_font)
        if self._base_font.pointSizeF() > 0:
            font.setPointSizeF(self._base_font.pointSizeF() * scale)
        QApplication.setFont(font)
        apply_readable_palette(scale)  # 7:1 contrast from Large text on
        self.header.restyle()
        self._arrange_header()
        # and again once every widget has taken the new font: until then the header's
        # controls measure at the old size, and the window's width stays the same (no
        # resize arranges it), so back from Huge it stayed on two rows
        QTimer.singleShot(0, self, self._arrange_header)
        self._settings.text_scale = scale
        for action in self._text_size_group.actions():
            action.setChecked(abs(action.data() - scale) < 0.01)

    # ---- Qt overrides

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange_header()
        self._fit_banner()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.set_window_geometry(screen_key(self), self.saveGeometry())
        self._settings.last_tab = self.current_tab_key()
        self._settings.sync()
        if not self._quitting and desktop.app_is_ending():
            # a logout, restart or update: hiding in the tray (or asking) would cancel it
            self._quitting = True
        if not self._quitting and self._keep_in_tray is not None and self._keep_in_tray():
            event.ignore()
            self.hide()
            if self._hidden_to_tray is not None:
                self._hidden_to_tray()
            return
        if (not self._quitting and self._close_prompt_needed is not None
                and self._close_prompt_needed()):
            event.ignore()
            self._ask_before_closing()
            return
        super().closeEvent(event)
        if not self._quitting:
            self.quit_requested.emit()  # closed, and nothing keeps the app running

    def _ask_before_closing(self) -> None:
        """The "Reminders stop" question, without blocking (a second close while it is
        up only raises it)."""
        from caregiver_app.ui.close_prompts import closing

        self._ask(closing(), keep=self.showMinimized)

    def _ask_before_quitting(self) -> None:
        """"Quit? Dose reminders stop until the app is started again", offering to keep
        it running near the clock (or minimised, without a tray). Non-blocking; the
        window comes up first if it was hidden in the tray, so the question is seen."""
        from caregiver_app.ui.close_prompts import quitting

        if self.close_prompt is None and (not self.isVisible() or self.isMinimized()):
            self.bring_to_front()
        tray = self._tray_available()

        def keep() -> None:
            if tray and self._tray_available():
                self.hide()
            else:
                self.showMinimized()

        self._ask(quitting(tray), keep=keep)

    def _ask(self, prompt: Prompt, *, keep: Callable[[], None]) -> None:
        from caregiver_app.ui.close_prompts import open_prompt

        if self.close_prompt is not None:
            self.close_prompt.raise_()
            return

        def answered() -> None:
            self.close_prompt = None

        self.close_prompt = open_prompt(self, prompt, answered=answered, keep=keep,
                                        end=self._quit_now)

    def printing(self) -> PrintController:
        """The print controller (print preview, printing, the calendar / CSV exports),
        made the first time it is asked for, with its entries in the File menu:
        ``app.build_main_window`` asks once the window is idle, so ``ui.printing`` and
        its dialogs are not loaded while the window starts."""
        if self._printing is None:
            if self._make_printing is None:
                raise RuntimeError("This window has no printing.")
            controller = self._make_printing()
            menu = self.file_menu
            before = len(menu.actions())
            controller.add_to_menu(menu, self)
            for action in menu.actions()[before:]:  # (added at the end) to their place
                menu.removeAction(action)
                menu.insertAction(self._printing_place, action)
            controller.saved.connect(self.show_message)
            self._printing = controller
        return self._printing

    # ---- Private

    def _fit_banner(self) -> None:
        if self._pinned_banner is not None:
            self._pinned_banner.fit_room(QSize(self.width() - 16,
                                               int(self.height() * BANNER_SHARE)))

    def _arrange_header(self) -> None:
        width = self.page_scroll.viewport().width() if hasattr(self, "page_scroll") \
            else self.width()
        self.header.arrange(width)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.profile_action = add_action(self.file_menu, "P&atient profile…",
                                         self.edit_patient)
        self.caregivers_action = add_action(self.file_menu, "&Caregivers…",
                                            self.edit_caregivers)
        # macOS moves it to the application menu as Settings… (⌘,)
        self.settings_action = add_action(self.file_menu, "Remi&nder settings…",
                                          self._edit_reminder_settings)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.file_menu.addSeparator()
        if self._backups is not None:
            add_action(self.file_menu, "&Back up now…", self.back_up_now)
            self.restore_action = add_action(self.file_menu, "&Restore from a backup…",
                                             self.restore_backup)
            self.file_menu.addSeparator()
        if self._transfer is not None:
            add_action(self.file_menu, "&Export all records…", self.export_records)
            self.import_action = add_action(self.file_menu, "&Import records…",
                                            self.import_records)
            self.file_menu.addSeparator()
        if self._make_printing is not None:
            # File ▸ Print ▸ … and the exports go above this line (``printing()``)
            self._printing_place = self.file_menu.addSeparator()
        self.quit_action = add_action(self.file_menu, "&Quit", self.quit,
                                      shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.view_menu = bar.addMenu("&View")
        for i, key in enumerate(self._tab_keys):
            title = self.tabs.tabText(i).replace("&", "")
            add_action(self.view_menu, title, lambda k=key: self.show_tab(k),
                       shortcut=f"Ctrl+{i + 1}")
        self.view_menu.addSeparator()
        sizes = self.view_menu.addMenu("Text &size")
        self._text_size_group = QActionGroup(self)
        for label, scale in TEXT_SIZES:
            action = add_action(sizes, f"{label} ({scale:.0%})",
                                lambda s=scale: self.set_text_scale(s))
            action.setCheckable(True)
            action.setData(scale)
            self._text_size_group.addAction(action)

        self.help_menu = bar.addMenu("&Help")
        add_action(self.help_menu, "Where is my &data?", self._show_data_location)
        about = add_action(self.help_menu, f"&About {APP_NAME}", self._show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _edit_reminder_settings(self) -> None:
        """The Today tab's Reminders… button, from the menu (where macOS looks for it)."""
        today = self.tab_widget("today") if "today" in self._tab_keys else None
        button = getattr(today, "reminders_button", None)
        if button is not None:
            self.show_tab("today")
            button.click()

    def _restore_state(self) -> None:
        geometry = self._settings.window_geometry_for(screen_key(self))
        if geometry is None or not self.restoreGeometry(geometry):
            area = available_area(self)
            width, height = PREFERRED_SIZE
            if area.width() <= width or area.height() <= height:  # a laptop: all of it
                self.resize(area.size())
                self.setWindowState(Qt.WindowState.WindowMaximized)
            else:
                self.resize(width, height)
                centre_on_screen(self)
        fit_on_screen(self)
        last = self._settings.last_tab
        if last in self._tab_keys:
            self.tabs.setCurrentIndex(self._tab_keys.index(last))
        self.set_text_scale(self._settings.text_scale)

    def _on_current_changed(self, index: int) -> None:
        if 0 <= index < len(self._tab_keys):
            self._settings.last_tab = self._tab_keys[index]
            # the tab bar in view (not left half under the pinned banner), which tab
            # shows being what a new page says first
            bar = self.tabs.tabBar()
            self._page_follows.reveal(bar, bar.tabRect(index))
            self.tab_changed.emit(self._tab_keys[index])

    def apply_changes(self, changes: Changes) -> None:
        """A write anywhere (``Core.changes``): the patient line and the on-duty
        choice follow the records."""
        self.header.apply_changes(changes)

    def _show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>A record keeper for family caregivers of a person with ALS: medicines and "
            "reminders, the care team, and plain-language articles.</p>"
            "<p><b>This app does not give medical advice.</b> It keeps the records and "
            "schedules you enter. The care team decides treatment; ask them or your "
            "pharmacist about any medicine.</p>"
            "<p>Your data stays on this computer. The app makes no network connections.</p>"
            + self._about_details(),
        )

    def _about_details(self) -> str:
        """The version, the data folder and the records format, for a helper on the
        phone or a bug report."""
        from html import escape

        rows = [("Version", __version__), ("Data folder", str(self._data_dir))]
        if self._schema_version is not None:
            rows.append(("Records format", str(self._schema_version())))
        return "<p>" + "<br>".join(f"{name}: {escape(value)}" for name, value in rows) + "</p>"

    def _show_data_location(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            self,
            "Where is my data?",
            f"Everything you enter is kept in one file in this folder:\n\n{self._data_dir}\n\n"
            "Only your user account on this computer can read it.",
        )
