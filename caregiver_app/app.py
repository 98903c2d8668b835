"""The composition root: the one place that builds objects and connects them."""

from __future__ import annotations

import functools
import gc
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from caregiver_app import APP_NAME, ORG_NAME, __version__, cli, codegen_cache, paths, regex_cache
from caregiver_app.core import Core, open_core, system_phone_region, system_time_zone
from caregiver_app.services.clock import Clock, SystemClock
from caregiver_app.storage.db import StorageError, open_database

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget
    from sqlite_utils import Database

    from caregiver_app.domain.reference import MedicineReference
    from caregiver_app.services.backups import BackupService
    from caregiver_app.services.careteam import CareTeam
    from caregiver_app.services.changes import ChangeHub, Changes
    from caregiver_app.services.clinic_visits import ClinicVisitSync
    from caregiver_app.services.medication_book import MedicationBook
    from caregiver_app.services.notifier import Notifier
    from caregiver_app.services.reminders import ReminderService
    from caregiver_app.services.session import Session
    from caregiver_app.services.sharing.notes import PhoneNotes
    from caregiver_app.services.sharing.service import SharingService
    from caregiver_app.services.transfer import TransferService
    from caregiver_app.services.undo import UndoService
    from caregiver_app.storage.patient_repo import PatientRepository
    from caregiver_app.storage.sharing_repo import SharingRepository
    from caregiver_app.ui.going import GoingTab
    from caregiver_app.ui.going.nudge import GoingNudge
    from caregiver_app.ui.learn import LearnTab
    from caregiver_app.ui.main_window import MainWindow
    from caregiver_app.ui.medications import MedicationsTab
    from caregiver_app.ui.notifiers import TrayNotifier
    from caregiver_app.ui.printing import PrintController
    from caregiver_app.ui.read_only import ReadOnlyBar
    from caregiver_app.ui.settings import UiSettings
    from caregiver_app.ui.today.alerts import ReminderCenter

__all__ = ["AppContext", "build_context", "main", "system_phone_region", "system_time_zone"]

log = logging.getLogger(__name__)


@dataclass(eq=False)
class AppContext:
    """The core (the records and their services) plus what the window adds: the window,
    its settings, the reminders with their tray and reminder centre, Undo, printing and
    the clinic-visit planner. Built once per open data directory by ``build_context``."""

    core: Core
    settings: UiSettings
    reminders: ReminderService
    undo: UndoService
    """The last action, for Undo."""
    clinic_visits: ClinicVisitSync
    window: MainWindow
    tray: TrayNotifier
    """Made whether or not the platform has a tray now (a tray that comes later shows it)."""
    alerts: ReminderCenter
    read_only_bar: ReadOnlyBar | None = None
    """The read-only bar with its Try again (None: the records are open for changes)."""
    sharing: SharingService | None = None
    """Sharing with the family (None for read-only records); idle while it is off."""
    closed: bool = field(default=False, init=False)
    """``close`` has run (on aboutToQuit, then again after the event loop: once is enough)."""

    # ---- The core's parts, by their usual names

    @property
    def data_dir(self) -> Path:
        return self.core.data_dir

    @property
    def db(self) -> Database:
        return self.core.db

    @property
    def clock(self) -> Clock:
        return self.core.clock

    @property
    def changes(self) -> ChangeHub:
        """Every write's ``changed(Changes)`` (``Core.changes``)."""
        return self.core.changes

    @property
    def patients(self) -> PatientRepository:
        return self.core.patients

    @property
    def session(self) -> Session:
        return self.core.session

    @property
    def medications(self) -> MedicationBook:
        return self.core.medications

    @property
    def careteam(self) -> CareTeam:
        return self.core.careteam

    @property
    def backups(self) -> BackupService:
        return self.core.backups

    @property
    def transfer(self) -> TransferService:
        return self.core.transfer

    @property
    def printing(self) -> PrintController:
        """Print preview, printing and the exports (built when first asked for, or once
        the window is idle: ``MainWindow.printing``)."""
        return self.window.printing()

    @property
    def is_example(self) -> bool:
        return self.core.is_example

    @property
    def read_only(self) -> str:
        """Why the records are open read-only ("": they are not): the disk was full."""
        return self.core.read_only

    def reference(self) -> MedicineReference:
        """The built-in medicine reference (read on first use, then kept)."""
        return self.core.learn.reference()

    def local_today(self) -> date:
        return self.core.local_today()

    def local_now(self) -> datetime:
        return self.core.local_now()

    def patient_time_zone(self) -> str:
        """The IANA zone appointments and due times are in (the computer's if not set)."""
        return self.core.patient_time_zone()

    def close(self) -> None:
        """Stop the reminders and the backup checks, close the window and the database.

        Idempotent, and safe when a restore or import has already closed the database
        (the backup service's release stops the reminders first, so nothing is lost).
        """
        if self.closed:
            return
        self.closed = True
        self.backups.stop()
        self.clinic_visits.stop()
        if self.sharing is not None:
            self.sharing.stop()
        import sqlite3

        try:
            self.reminders.stop()
        except sqlite3.ProgrammingError:  # the database is closed: nothing to save to
            log.warning("reminders stopped after the database was closed")
        self.tray.hide()
        # closed for good: the check for a tray gone missing must not bring it back
        self.alerts.tray_watch.stop()
        popup = getattr(self.alerts, "popup", None)
        if popup is not None:
            popup.hide()
        self.window.close_for_good()
        self.core.close()


def build_context(data_dir: Path, *, clock: Clock | None = None,
                  is_example: bool = False, read_only: str = "") -> AppContext:
    """Open the data directory (``core.open_core``) and build the reminders, the window
    and everything it shows on top of it.

    ``read_only``: why the records must be opened read-only ("" to open them for
    changes); every write control then says so. Needs a running QApplication. Does not
    show anything.
    """
    from caregiver_app.services.clinic_visits import ClinicVisitSync
    from caregiver_app.services.reminders import ReminderService
    from caregiver_app.services.undo import UndoService
    from caregiver_app.storage.reminders_repo import ReminderRepository
    from caregiver_app.ui.palette import use_readable_style
    from caregiver_app.ui.settings import UiSettings

    def release_database() -> None:
        """Before a restore or import: stop everything that uses the database (the
        reminders save how far they watched the clock; hiding the window saves a note
        being typed); the core then closes it. The app then reopens on the new file."""
        import sqlite3

        try:
            reminders.stop()
        except sqlite3.Error:  # a full disk: only "how far the clock was watched" is lost
            log.warning("reminders could not save their state before a restore")
        finally:
            clinic_visits.stop()
            if sharing is not None:
                sharing.stop()
            window.hide()  # hidden, not closed: closing the last window would quit

    core = open_core(data_dir, clock or SystemClock(), is_example=is_example,
                     read_only=read_only, release=release_database)
    settings = UiSettings.at(core.paths.settings_file)
    # the style of the text size the window opens at, before any widget: a new style
    # re-polishes every widget there is (Huge text: ~85 M instructions more at start)
    use_readable_style(settings.text_scale)
    core.session.set_on_duty(settings.on_duty_caregiver_id)
    reminders = ReminderService(core.medications, ReminderRepository(core.db),
                                clock=core.clock, settings=settings.reminder_settings,
                                appointments=core.careteam.upcoming)
    undo = UndoService(core.medications, clock=core.clock, reminders=reminders)
    clinic_visits = ClinicVisitSync(core.medications, core.careteam)
    # Every write is announced once, on core.changes; each part subscribes here, once,
    # and decides from the Changes what to read again (Undo first: the tabs ask it).
    subscribe(core, undo, reminders, clinic_visits)
    window = build_main_window(core, settings, reminders=reminders, undo=undo)
    # "Backups could not be made: …" stays in the status bar until another message
    core.backups.message.connect(lambda text: window.show_message(text, 0))
    alerts, tray = build_reminder_center(core, settings, window, reminders)
    read_only_bar = None
    sharing = None
    if read_only:
        from caregiver_app.ui.read_only import lock_window

        read_only_bar, _ = lock_window(window, read_only)
    elif not is_example:  # the example household never shares
        sharing = build_sharing(core, window)
    return AppContext(core=core, settings=settings, reminders=reminders, undo=undo,
                      clinic_visits=clinic_visits, window=window,
                      tray=tray, alerts=alerts, read_only_bar=read_only_bar,
                      sharing=sharing)


def build_sharing(core: Core, window: MainWindow) -> SharingService:
    """Sharing with the family: its service (idle and without network code while sharing
    is off), File ▸ Share with the family…, and its line in the status bar. The sync
    engine (with the formats and the transport) is built at the first sync, not here."""
    from caregiver_app.services.sharing.lock import SyncLock
    from caregiver_app.services.sharing.service import SharingService
    from caregiver_app.storage.sharing_repo import SharingRepository
    from caregiver_app.ui.actions import add_action
    from caregiver_app.ui.status_line import StatusLine

    repo = SharingRepository(core.db)

    def engine() -> Any:
        from caregiver_app.services.sharing.engine import engine_for

        return engine_for(core, repo)

    sharing = SharingService(engine, repo, now=core.clock.now, zone=core.medications.zone,
                             lock=SyncLock(core.data_dir), parent=window)
    # Every write's changed(Changes): sharing decides whether it touches what is shared.
    core.changes.changed.connect(sharing.records_changed)

    def open_dialog() -> None:
        from caregiver_app.services.sharing import secrets
        from caregiver_app.services.sharing.transport import Transport
        from caregiver_app.ui.sharing_dialog import SharingDialog

        SharingDialog(engine=sharing.engine, sharing=sharing, notes=notes,
                      caregivers=core.patients.caregivers(), secrets=secrets,
                      discover=Transport.discover, parent=window).exec()
        sync_action.setEnabled(sharing.enabled())

    menu = window.file_menu  # (beside Patient profile and Caregivers, before Quit)
    share_action = add_action(menu, "&Share with the family…", open_dialog)
    sync_action = add_action(menu, "S&ync with the family now", sharing.sync_now)
    sync_action.setEnabled(sharing.enabled())
    for action in (share_action, sync_action):
        menu.insertAction(window.quit_action, action)
    menu.insertSeparator(window.quit_action)

    def open_phones() -> None:
        from caregiver_app.ui.phones_dialog import PhonesDialog

        PhonesDialog.ask(repo.phones(), core.patients.caregivers(include_inactive=True),
                         seen=repo.phones_seen(), save=repo.save_phones, parent=window)

    notes_action = add_action(menu, "Notes fr&om the phones…", lambda: open_notes())
    phones_action = add_action(menu, "Phones and &who uses them…", open_phones)
    for action in (notes_action, phones_action):
        menu.insertAction(window.quit_action, action)
    menu.insertSeparator(window.quit_action)
    status = StatusLine("")
    status.setAccessibleName("Sharing with the family")
    # a problem's advice is at the end of its message: wrapped in the bar's room (the
    # bar grows as many lines as it needs, no more), never cut at the window's edge; a
    # normal widget, so the window's own short messages ("Caregivers saved.") show in
    # its place for a while
    window.statusBar().addWidget(status, 1)
    sharing.status_changed.connect(status.setText)
    open_notes, notes = build_phone_notes(core, window, repo, sharing)
    sharing.start()
    return sharing


def build_phone_notes(core: Core, window: MainWindow, repo: SharingRepository,
                      sharing: SharingService) -> tuple[Callable[[], None], PhoneNotes]:
    """The phones' notes where the caregiver looks: a line on the Today tab and a button
    in the status bar, both opening the list (returned, with the notes: File ▸ Notes
    from the phones… opens it too, and File ▸ Share with the family… marks those it
    settles seen), which offers Settle contacts… for the address book's contacts that
    wait for a person. Read again after every sync and every change of the dose
    records."""
    from caregiver_app.services.sharing.notes import PhoneNotes
    from caregiver_app.ui.phone_notes import PhoneNotesButton, PhoneNotesDialog, PhoneNotesLine

    notes = PhoneNotes(repo, core.medications, now=core.clock.now, parent=window)
    line = PhoneNotesLine(notes)
    window.today_tab.add_line(line)
    button = PhoneNotesButton()
    window.statusBar().addPermanentWidget(button)

    def show_dose(medicine_id: int, key: str) -> None:
        window.show_tab("today")
        window.today_tab.show_dose(medicine_id, key)

    def open_notes() -> None:
        # the address book's contacts that wait (the engine is built now if not yet)
        dialog = PhoneNotesDialog(notes, zone=core.medications.zone,
                                  contacts=sharing.engine.cards,
                                  settled=sharing.records_changed, parent=window)
        dialog.show_dose_requested.connect(show_dose)
        dialog.exec()

    notes.changed.connect(button.set_count)
    notes.changed.connect(line.refresh)
    sharing.synced.connect(notes.refresh)
    core.changes.changed.connect(notes.records_changed)  # a correction settles a note
    button.clicked.connect(open_notes)
    line.open_requested.connect(open_notes)
    notes.refresh()
    return open_notes, notes


def build_main_window(core: Core, settings: UiSettings, *, reminders: ReminderService,
                      undo: UndoService) -> MainWindow:
    """The window with its five tabs. Today is built now (the reminders point at its
    doses); each other tab when it is first shown or asked for, or once the window is
    idle (``ui.lazy_tabs``): its builder below subscribes it to the records' changes and
    connects it then, and the tab reads the records as they are when it is built.

    Printing likewise (``ui.printing``: print preview, File ▸ Print ▸ … and the exports,
    with their dialogs): its controller is made, and its entries put in the File menu,
    once the window is idle or when first asked for (``MainWindow.printing``); the
    printing service under it the first time something prints (``Core.printing``)."""
    from PySide6.QtCore import QTimer

    from caregiver_app.ui.icons import app_icon
    from caregiver_app.ui.main_window import MainWindow, TabSpec
    from caregiver_app.ui.notifiers import TrayNotifier
    from caregiver_app.ui.today.tab import TodayTab
    from caregiver_app.ui.wheel import install as guard_the_wheel
    from caregiver_app.ui.widgets import use_today

    today = TodayTab(core.medications, core.session, core.patients, settings,
                     reminders=reminders, undo=undo,
                     appointments=core.careteam.upcoming,
                     tray_available=TrayNotifier.available)

    def tab(key: str) -> Any:
        return window.tab_widget(key)  # built now if it was not yet

    def make_printing() -> PrintController:
        from caregiver_app.ui.printing import PrintController

        return PrintController(lambda: core.printing, settings,
                               worker=core.printing_for_worker)

    def print_preview(kind: str, day: object = None) -> None:
        """A tab's ``print_requested(kind, day or None)``."""
        window.printing().preview(kind, day)

    def read_about(reference_id: str) -> None:
        tab("learn").show_article_for_medicine(reference_id)  # it shows itself

    def show_medicine(medicine_id: int) -> None:
        window.show_tab("medications")
        tab("medications").select_medicine(medicine_id)

    def show_medicine_by_reference(reference_id: str) -> None:
        """A ``medicine:`` link in an article: the patient's medicine, or its article."""
        from caregiver_app.domain.vocab import MedicineStatus

        now = core.medications.now()
        matches = sorted((m for m in core.medications.medicines()
                          if m.reference_id == reference_id),
                         key=lambda m: m.status_at(now) is MedicineStatus.STOPPED)
        if matches and matches[0].id is not None:
            show_medicine(matches[0].id)
            return
        entry = core.learn.reference().find(reference_id)
        name = entry.generic if entry else reference_id
        window.show_message(f"{name} is not on the patient's medicine list.")
        read_about(reference_id)

    def medications() -> QWidget:
        made = build_medications_tab(core, read_about=read_about)
        subscribe(core, made)
        made.status_message.connect(window.show_message)
        made.print_requested.connect(print_preview)
        return made

    def care_team() -> QWidget:
        from caregiver_app.ui.careteam.tab import CareTeamTab

        made = CareTeamTab(core.careteam, now=core.clock.now,
                           time_zone=core.patient_time_zone)
        subscribe(core, made)
        made.medicine_requested.connect(show_medicine)
        made.print_requested.connect(print_preview)
        return made

    def learn() -> QWidget:
        made = build_learn_tab(core, settings)
        subscribe(core, made)
        made.reveal_requested.connect(lambda: window.show_tab("learn"))
        made.status_message.connect(window.show_message)
        made.medicine_link_activated.connect(show_medicine_by_reference)
        made.print_requested.connect(print_preview)
        return made

    nudge = build_going_nudge(core, settings, going=lambda: tab("going"),
                              message=lambda text: window.show_message(text))

    def going() -> QWidget:
        made = build_going_tab(core, settings)
        subscribe(core, made)
        made.status_message.connect(window.show_message)
        made.print_requested.connect(print_preview)
        made.nudges_changed.connect(nudge.refresh)
        return made

    today.add_line(nudge)
    tabs = [
        TabSpec("today", "&Today", lambda: today),
        TabSpec("medications", "&Medications", medications),
        TabSpec("care_team", "&Care team", care_team),
        TabSpec("learn", "&Learn", learn),
        # no Alt letter: every letter of its name is taken on another tab (Ctrl+5 opens it)
        TabSpec("going", "How things are going", going),
    ]
    use_today(core.local_today)  # "tomorrow" typed in a date field
    window = MainWindow(
        tabs=tabs,
        session=core.session,
        settings=settings,
        data_dir=core.data_dir,
        today=core.local_today,
        default_time_zone=system_time_zone,  # (asked when the profile opens)
        backups=core.backups,
        transfer=lambda: core.transfer,  # built when first used
        is_example=core.is_example,
        printing=make_printing,
        schema_version=core.schema_version,
    )
    window.setWindowIcon(app_icon())
    window.today_tab = today
    subscribe(core, window, today)
    # The wheel scrolls; it changes only fields clicked into (ui.wheel). The window's own
    # fields are guarded one by one; the application-wide guard, which costs PySide ~30 ms
    # the first time it sees one of Qt's private objects, comes with the first tab built
    # after Today (opened, or built once the window is idle) and, at the latest, at the
    # event loop's second pass (dialogs install it themselves).
    window.tabs.built.connect(lambda key: key == "today" or guard_the_wheel())
    window.tabs.built.connect(lambda _key: forget_module_sources())  # (the tab's modules)
    QTimer.singleShot(0, window, lambda: QTimer.singleShot(0, window, guard_the_wheel))
    # File ▸ Print ▸ … at the event loop's second pass too (the first shows the window)
    QTimer.singleShot(0, window, lambda: QTimer.singleShot(0, window, window.printing))
    window.start_tabs()  # the tab last open, if not Today: its builder uses the window
    today.edit_caregivers_requested.connect(window.edit_caregivers)
    today.show_medicine_requested.connect(show_medicine)
    today.read_about_requested.connect(read_about)
    today.print_requested.connect(print_preview)
    return window


def build_reminder_center(core: Core, settings: UiSettings, window: MainWindow,
                          reminders: ReminderService) -> tuple[ReminderCenter, TrayNotifier]:
    """The reminder banner, the system's notifications, the tray icon and the sound, fed by
    ``reminders``. Nothing is started here: ``run_gui`` starts the reminders once the
    window is up."""
    from PySide6.QtCore import QCoreApplication

    from caregiver_app.services.system_notices import SystemNotifier
    from caregiver_app.ui.icons import app_icon
    from caregiver_app.ui.notifiers import SoundNotifier, TrayNotifier
    from caregiver_app.ui.today.alerts import ReminderCenter
    from caregiver_app.ui.today.banner import ReminderBanner
    from caregiver_app.ui.today.popup import ReminderPopup

    banner = ReminderBanner()
    window.pin_banner(banner)
    # Made whether or not there is a tray now: a tray that comes later (a slow login, a
    # panel restarted) shows the icon by itself, and TrayNotifier.available() is asked
    # each time it matters.
    prefix = "Example: " if core.is_example else ""  # never taken for a real patient's
    # the system's own notifications (not the tray): the tray's message stands in only
    # while that service does not work
    system = SystemNotifier(discreet=lambda: settings.discreet_notices, title_prefix=prefix,
                            icon=paths.resource("icons", "app.svg"), parent=window)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(system.shutdown)
    tooltip = (f"{APP_NAME}: example household (made-up)" if core.is_example else APP_NAME)
    tray = TrayNotifier(app_icon(), tooltip, window, title_prefix=prefix,
                        discreet=lambda: settings.discreet_notices,
                        stand_in=lambda: system.working is False)
    notifiers: list[Notifier] = [tray]
    notifiers.append(SoundNotifier(paths.resource("sounds", "reminder.wav"),
                                   lambda: settings.reminder_sound, window,
                                   prefs=settings.sound_prefs))
    # its own top-level window (so it can come on another desktop), gone with the main one
    popup = ReminderPopup(title_prefix="Example: " if core.is_example else "")
    window.destroyed.connect(popup.deleteLater)
    center = ReminderCenter(service=reminders, book=core.medications, window=window,
                            today=window.today_tab, banner=banner, session=core.session,
                            patients=core.patients, settings=settings, notifiers=notifiers,
                            tray=tray, popup=popup, system=system, parent=window)
    subscribe(core, center)
    return center, tray


def build_going_tab(core: Core, settings: UiSettings) -> GoingTab:
    """How things are going, with the medicines' changes on its charts."""
    from caregiver_app.services.going_links import (
        as_needed_doses,
        as_needed_given,
        medicine_changes,
    )
    from caregiver_app.ui.going import GoingTab

    book = core.medications
    tab = GoingTab(
        core.going,
        caregiver_names=lambda: {c.id: c.label() for c in core.patients.caregivers(
            include_inactive=True) if c.id is not None},
        medicine_changes=lambda ids: medicine_changes(book, ids),
        as_needed_doses=lambda: as_needed_doses(book, answered=core.going.answered),
        height_cm=lambda: getattr(core.patients.get(), "height_cm", None),
        nudges=lambda: settings.going_nudges,
        set_nudges=lambda on: setattr(settings, "going_nudges", on),
        effect_after=lambda: settings.going_effect_after_minutes,
        set_effect_after=lambda minutes: setattr(settings, "going_effect_after_minutes",
                                                 minutes),
        as_needed_given=lambda since: [(entry_id, name) for entry_id, _, name, _ in
                                       as_needed_given(book, since,
                                                       answered=core.going.answered)],
        period=lambda: _visit_period(core))
    return tab


def _visit_period(core: Core) -> tuple[date, str]:
    period = core.printing.visit_period()
    return period.first, period.text


def build_going_nudge(core: Core, settings: UiSettings, *, going: Callable[[], GoingTab],
                      message: Callable[[str], object]) -> GoingNudge:
    """Today's one line of what is due in How things are going; its buttons open the
    forms (``going()``: the tab, built when first needed), and it can be turned off (and
    on again in the tab; its builder connects ``nudges_changed`` to ``refresh``)."""
    from datetime import timedelta

    from caregiver_app.domain.going import Measure
    from caregiver_app.services.going_links import as_needed_given
    from caregiver_app.ui.going.nudge import GoingNudge

    book = core.medications

    def recent() -> list[tuple[int, datetime, str]]:
        since = book.today() - timedelta(days=1)
        return [(entry_id, at, f"{name} given at {at:%H:%M}")
                for entry_id, _, name, at in as_needed_given(
                    book, since, answered=core.going.answered)]

    nudge = GoingNudge(core.going, as_needed=recent, enabled=lambda: settings.going_nudges,
                       effect_after=lambda: timedelta(
                           minutes=settings.going_effect_after_minutes))

    def record(measure: Measure) -> None:
        going().record(measure, dose_id=nudge.dose_id if measure is Measure.EFFECT
                       else None)

    def turn_off() -> None:
        settings.going_nudges = False
        message("The line is off. Turn it on again in How things are going (Show what is "
                "due on the Today tab).")

    nudge.record_requested.connect(record)
    nudge.turned_off.connect(turn_off)
    core.changes.changed.connect(nudge.refresh)  # an entry saved, a dose given
    nudge.refresh()
    return nudge


def build_learn_tab(core: Core, settings: UiSettings) -> LearnTab:
    from caregiver_app.domain.own_doses import LearnLine, learn_line, own_doses
    from caregiver_app.ui.learn import LearnTab

    book = core.medications

    def own_doses_for(article_medicines: Sequence[str]) -> LearnLine | None:
        """What the records say about the article's medicines on the patient's list:
        "On Maggie's list: riluzole 50 mg, 1 tablet at 08:00 and 20:00" (domain.own_doses)."""
        patient = core.patients.get()

        def prescriber(contact_id: int) -> str:
            contact = core.careteam.contact(contact_id)
            return contact.name if contact is not None else ""

        doses = own_doses(book.medicines(), book.now(), book.today(), prescriber)
        return learn_line(patient.full_name if patient else "", doses, article_medicines)

    learn = LearnTab(
        learn=core.learn,
        reference=core.learn.reference,
        settings=settings,
        own_doses=own_doses_for,
        caregiver_id=lambda: core.session.on_duty_id,
    )
    # a note typed just before a restore or import goes into the records being kept
    core.backups.about_to_replace.connect(learn.save_note)
    return learn


def build_medications_tab(core: Core, *, read_about: Callable[[str], object] = lambda _id: None,
                          ) -> MedicationsTab:
    """``read_about(reference_id)``: open the Learn article about a medicine."""
    from caregiver_app.services.careteam import PHARMACY_ROLES, PRESCRIBER_ROLES
    from caregiver_app.ui.medications import MedicationsTab

    careteam = core.careteam

    def contacts(purpose: str) -> list[tuple[int, str, bool]]:
        """(id, "Dr Lee — neurologist", likely for this purpose), likely ones first."""
        likely = PRESCRIBER_ROLES if purpose == "prescriber" else PHARMACY_ROLES
        return [(c.id, f"{c.name} — {c.role_label}", c.role in likely)
                for c in careteam.picker_contacts(purpose) if c.id is not None]

    def contact_name(contact_id: int | None) -> str:
        contact = careteam.contact(contact_id) if contact_id is not None else None
        if contact is None:
            return ""
        return contact.name + (" (no longer on the care team)" if contact.archived else "")

    tab = MedicationsTab(
        core.medications, core.learn.reference,
        caregiver_names=lambda: {c.id: c.label() for c in core.patients.caregivers()
                                 if c.id is not None},
        contacts=contacts, contact_name=contact_name, read_about=read_about,
    )
    return tab


class ChangeSubscriber(Protocol):
    """A part of the app that follows the records: told of every write once."""

    def apply_changes(self, changes: Changes) -> None: ...


def subscribe(core: Core, *parts: ChangeSubscriber) -> None:
    """Tell each of ``parts`` of every write to ``core``'s records (``Core.changes``),
    in this order. The one place anything subscribes to the change signal."""
    for part in parts:
        core.changes.changed.connect(part.apply_changes)


# ---- Start-up


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if cli.window_options(argv) is None:  # (a command: its dataclasses' code kept apart)
        codegen_cache.for_commands()
        regex_cache.for_commands()  # (and its patterns not kept)
    args, qt_args = cli.parse_args(argv)
    if args.command:
        if not gc.isenabled():  # the modules loaded with it off (``caregiver_app.__main__``)
            gc.freeze()  # what they made lives to the end: no collection walks it again
        gc.enable()
        if qt_args:
            cli.build_parser().error(f"unrecognized arguments: {' '.join(qt_args)}")
        return args.func(args)
    return run_gui(args, qt_args)


def _make_application(qt_args: list[str]):
    from PySide6.QtWidgets import QApplication

    from caregiver_app.ui.desktop import Application

    # Application: notes a quit asked by the system (macOS logout), see ui/desktop.py
    app = cast(QApplication, QApplication.instance() or Application([sys.argv[0], *qt_args]))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("caregiver-app")
    from caregiver_app.ui.icons import app_icon

    app.setWindowIcon(app_icon())  # every window and dialog, and the tray
    from caregiver_app.ui.palette import apply_readable_palette

    apply_readable_palette()  # selections and hints readable (4.5:1) from the first dialog
    return app


def run_gui(args, qt_args: list[str]) -> int:
    """The window: start it, run its event loop, return the exit code.

    Python's cyclic garbage collector is off until the event loop first runs (the window
    is up and idle, or a dialog waits for the person: ``start_collecting``). The start
    makes ~30,000 objects that live as long as the window and next to no cyclic garbage
    (at that first pass ~600 objects, ~80 KB: the command line's parser, and what the
    imports left when ``caregiver_app.__main__`` loaded them with the collector off), so
    the ~45 collections it would trigger were work for nothing (~15-20 ms CPU)."""
    gc.disable()
    try:
        return _run_gui(args, qt_args)
    finally:
        gc.enable()


def start_collecting() -> None:
    """From the event loop's first pass: the collector on again, and every object made so
    far (the modules, the window, the records read) frozen (``gc.freeze``): they live as
    long as the app, so no later collection walks through them again, nor the last one
    at exit (~20-30 ms CPU). The price: one of them that becomes cyclic garbage later is
    never freed (a restore or import lets the whole old window go: ``reopen_context``).
    The dataclasses' code made from now on is no longer kept for the next start
    (``codegen_cache.stop_recording``), nor the regular expressions' (``regex_cache``)."""
    gc.freeze()
    gc.enable()
    codegen_cache.stop_recording()  # (the dataclasses' code kept: what the start made)
    regex_cache.stop()
    log.info("dataclass code: %d from the cache, %d compiled", *codegen_cache.counts())


def _run_gui(args, qt_args: list[str]) -> int:
    os.umask(0o077)  # every file the app creates is private: this is health information
    from caregiver_app.services.system_libraries import check_before_qt

    missing = check_before_qt(qt_args)  # Qt's own message names no package
    if missing:
        print(missing, file=sys.stderr)
        return 1
    app = _make_application(qt_args)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, start_collecting)  # (before any other: quit-when-idle's quit)

    from caregiver_app.services import data_folder
    from caregiver_app.services.logs import start_file_logging
    from caregiver_app.services.single_instance import SingleInstance
    from caregiver_app.ui.crash import install_excepthook

    settled = data_folder.resolve(args.data_dir)  # the old two-level folder moved up once
    data_dir = settled.folder
    is_example = bool(args.demo)
    if is_example:
        data_dir = paths.example_data_dir(data_dir)
    instance = SingleInstance(data_dir)
    try:
        paths.ensure_private_dir(data_dir)
        acquired = instance.acquire(listen=False)  # listens once the window is idle
    except OSError as exc:  # a file, a read-only or missing drive: say so, plainly
        log.error("data folder unusable: %s", type(exc).__name__)
        from PySide6.QtWidgets import QMessageBox  # (only here: each Qt class makes its enums)

        QMessageBox.critical(None, APP_NAME, f"{APP_NAME} cannot open its records.\n\n{exc}\n\n"
                             "Choose another folder with --data-dir, or check the drive.")
        return 1
    if not acquired:
        if instance.notify_running():
            print(f"{APP_NAME} is already open for {data_dir}; it was brought to the front.")
        else:
            from PySide6.QtWidgets import QMessageBox

            from caregiver_app.ui.desktop import DESKTOP

            QMessageBox.information(
                None, APP_NAME,
                f"{APP_NAME} is already open for this data folder:\n{data_dir}\n\n"
                f"Look for its window or its icon {DESKTOP.tray_place}.",
            )
        return 0

    data_paths = paths.DataPaths(data_dir)
    rotate_log = start_file_logging(data_paths.log_file, also_stderr=args.verbose)
    # From the event loop's second pass (the first shows the window): a second copy is
    # answered (Qt's network module is not loaded before the window is up), and the log
    # rotates (logging.handlers, with socket and pickle, neither).
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, instance.listen))
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, rotate_log))
    install_excepthook(data_paths.log_file)
    log.info("start version=%s example=%s", __version__, is_example)
    if settled.note:
        log.info("data folder %s", settled.note)
    from caregiver_app.storage.backup import clear_leftovers

    left = clear_leftovers(data_dir)  # of a restore, import or start that was killed
    if left:
        log.info("left-overs of an interrupted restore or import removed: %d", len(left))

    forget_module_sources()  # (those of the modules imported so far)
    ctx = _open_or_recover(data_dir, is_example)
    forget_module_sources()  # (the window's)
    if ctx is None:
        instance.release()
        return 1

    current = {"ctx": ctx}

    def bring_to_front() -> None:
        """A second launch: show this copy, or the dialog it is waiting on (the welcome
        screen or the first profile), so the caregiver sees where to carry on."""
        from PySide6.QtWidgets import QApplication

        log.info("brought to front by a second launch")
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.showNormal()
            modal.raise_()
            modal.activateWindow()
        else:
            current["ctx"].window.bring_to_front()

    # connected before the welcome screen, which a second launch may find open
    instance.activation_requested.connect(bring_to_front)

    if is_example:
        if ctx.patients.get() is None:  # (made at the first start of the example only)
            from caregiver_app.services.demo import populate_example

            if populate_example(ctx.db, today=ctx.local_today(), time_zone=system_time_zone(),
                                now=ctx.clock.now()):
                ctx.core.announce_all()  # (made just now: everything reads them again)
        if ctx.session.on_duty is None and ctx.patients.caregivers():
            ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)
    elif ctx.patients.get() is None and not args.quit_when_idle and not ctx.read_only:
        from caregiver_app.ui.welcome import WelcomeChoice

        choice = first_run(ctx)
        if choice is None:
            ctx.close()
            instance.release()
            return 0
        if choice is WelcomeChoice.EXAMPLE:
            ctx.close()
            instance.release()
            gc.unfreeze()  # (``start_collecting``) the empty records' window is let go
            gc.collect()  # now: the example's start freezes what is left
            args.demo = True
            return run_gui(args, qt_args)

    started = {"shown": False}  # started at login: only the first window is minimized

    def show(context: AppContext) -> None:
        # deferred: the restore was started from a menu of the window being replaced
        context.backups.database_replaced.connect(lambda: QTimer.singleShot(0, reopen))
        # The window decides when closing it ends the app (MainWindow.closeEvent): it
        # stays in the tray when there is one and the setting is on, asks first when
        # reminders would stop, and otherwise emits quit_requested.
        context.window.quit_requested.connect(app.quit)
        app.setQuitOnLastWindowClosed(False)
        if context.tray is not None:
            context.tray.show()
        _show_window(context, at_login=args.at_login and not started["shown"])
        started["shown"] = True
        if context.read_only_bar is not None:
            context.read_only_bar.retry_requested.connect(
                lambda: QTimer.singleShot(0, reopen))
        if not args.quit_when_idle:
            # Not at start-up: once the window is up, and backups a few seconds later
            # (read-only, there is no room for them, nor for planning clinic visits or
            # making the phone numbers' kept forms again).
            tasks: list[tuple[int, Callable[[], object]]] = [
                (REMINDERS_DELAY_MS, context.reminders.start)]
            if not context.read_only:
                tasks += [(BACKUP_DELAY_MS, context.backups.make_rotating_backups),
                          (CLINIC_SYNC_DELAY_MS, context.clinic_visits.sync),
                          (PHONE_FORMS_DELAY_MS, functools.partial(
                              _refresh_phone_forms, context))]
            for delay, start in tasks:
                QTimer.singleShot(delay, functools.partial(_unless_released, context, start))

    def reopen() -> None:
        new = reopen_context(current["ctx"], data_dir, is_example)
        if new is None:
            app.quit()
            return
        current["ctx"] = new
        show(new)

    # (here, after the welcome screen, which may start the example in a run_gui of its own)
    watch_the_desktop(app, lambda: current["ctx"])
    show(ctx)
    if args.quit_when_idle:
        QTimer.singleShot(0, app.quit)
    elif not (is_example or ctx.read_only or args.at_login):
        QTimer.singleShot(0, functools.partial(_after_update, ctx))
    code = app.exec()
    current["ctx"].close()
    instance.release()
    return code


def forget_module_sources() -> None:
    """Drop the source text of the modules imported so far from Python's line cache.

    PySide's import hook reads the source of every module imported after PySide (it
    looks for "PySide6" in it, for its ``__feature__`` switches), and ``linecache``
    keeps every line: ~7 MiB for the window's ~300 modules, kept for nothing (a
    traceback reads the lines it shows again). Cleared before the records are opened
    (peak memory 88.9 -> 84.1 MiB), once the window is built and after each tab."""
    import linecache

    linecache.clearcache()


def _show_window(context: AppContext, *, at_login: bool) -> None:
    """Started at login (``--at-login``): only the icon near the clock where there is
    one, else a minimized window; the reminders run either way. Otherwise the window."""
    from caregiver_app.ui.notifiers import TrayNotifier

    if not at_login:
        context.window.show()
        log.info("window shown")
    elif TrayNotifier.available():
        log.info("started at login: in the tray")
    else:
        context.window.showMinimized()
        log.info("started at login: window minimized")


def watch_the_desktop(app, context: Callable[[], AppContext]) -> None:
    """What the system does around the app (ui/desktop.py): the session ends (save, and
    close for good instead of hiding in the tray; on Windows the process ends right
    after, so the records are closed on aboutToQuit), the Dock icon is clicked while the
    window is hidden in the menu bar (show it), App Nap (opted out of, on macOS)."""
    from caregiver_app.ui.desktop import ReopenWatch, SessionWatch, keep_awake_for_reminders

    def window_shown() -> bool:
        """Any of the app's windows in sight (the reminder window too): macOS's own
        rule for a reopen ("has visible windows")."""
        from PySide6.QtWidgets import QApplication

        return any(window.isVisible() and not window.isMinimized()
                   for window in QApplication.topLevelWidgets() if window.isWindow())

    SessionWatch(app, save=lambda: context().settings.sync(), parent=app)
    ReopenWatch(app, window_visible=window_shown,
                show=lambda: context().window.bring_to_front(), parent=app)
    app.aboutToQuit.connect(lambda: context().close())
    keep_awake_for_reminders()


def _unless_released(context: AppContext, start) -> None:
    """A deferred start-up task, skipped when a restore or import released this context's
    database in the meantime (the reopened context starts its own)."""
    if not context.backups.released:
        start()


BACKUP_DELAY_MS = 5000
CLINIC_SYNC_DELAY_MS = 1000
PHONE_FORMS_DELAY_MS = 2000
REMINDERS_DELAY_MS = 300


def _refresh_phone_forms(context: AppContext) -> None:
    """The care team's numbers' kept forms, made again (on a worker thread) when another
    phonenumbers version wrote them (``services.phone_forms``): once the window is up."""
    from caregiver_app.services.phone_forms import refresh_stale_forms

    refresh_stale_forms(context.db)


def _after_update(ctx: AppContext) -> None:
    """Once the window is up: start at login offered again at the first start of a newer
    version, while it is off (``ui.login_offer``)."""
    if ctx.backups.released:
        return
    from caregiver_app.ui.login_offer import offer_after_update

    if offer_after_update(ctx.settings, ctx.window, __version__):
        log.info("start at login offered after an update")


def first_run(ctx: AppContext):
    """The welcome screen on an empty data directory, then the profile and caregivers.

    Returns the WelcomeChoice, or None if the caregiver closed the welcome screen.
    """
    from caregiver_app.ui.welcome import WelcomeChoice, WelcomeDialog

    choice = WelcomeDialog.ask()
    if choice is WelcomeChoice.SET_UP:
        ctx.settings.last_version = __version__  # offered just now: not again until an update
        ctx.window.edit_patient()
        if not ctx.patients.caregivers():
            ctx.window.edit_caregivers()
        ask_notification_permission(ctx)
    return choice


def ask_notification_permission(ctx: AppContext) -> None:
    """macOS shows no notification until the person allows it: say why before the
    system asks (elsewhere nothing is asked). The window's banner stays the sure way."""
    from caregiver_app.ui import desktop, messages

    note = desktop.DESKTOP.permission_note()
    system = getattr(ctx.alerts, "system", None)
    if not note or system is None:
        return
    messages.inform(ctx.window, "Reminders on this Mac", note)
    system.ask_permission()


def reopen_context(old: AppContext, data_dir: Path, is_example: bool) -> AppContext | None:
    """After a restore or import closed ``old``'s database: close ``old`` and open the
    data directory again, in a new window where the old one was, saying what happened
    (a failed restore left the records as they were, and says why). None: the caregiver
    chose to quit, or the records cannot be opened (already explained)."""
    from PySide6.QtCore import QTimer

    from caregiver_app.ui import messages

    outcome = getattr(old.backups, "last_outcome", None)
    geometry = old.window.saveGeometry()
    was_read_only = old.read_only
    old.close()
    gc.unfreeze()  # (the start's objects, ``start_collecting``): the old window can go
    new = _open_or_recover(data_dir, is_example)
    if new is None:
        return None
    new.window.restoreGeometry(geometry)
    if outcome is None and new.read_only:
        new.window.show_message(f"Still read-only: {new.read_only}. Free some space on the "
                                "disk, then press Try again.", 0)
    elif outcome is None and was_read_only:
        new.window.show_message("There is room on the disk again: everything can be saved.")
    elif outcome is None:
        new.window.show_message("The records were opened again.")
    elif outcome.ok:
        new.window.show_message(outcome.message)
    else:
        new.window.show_message(outcome.message, 0)
        # once the new window is up: the caregiver expected the records to change
        QTimer.singleShot(0, lambda: messages.warn(new.window, outcome.title, outcome.message))
    return new


def _open_or_recover(data_dir: Path, is_example: bool) -> AppContext | None:
    """Open the data directory; if its file is damaged (or empty or missing while there
    are backups), offer the newest good backup.

    Returns None when the caregiver chose to quit (nothing is changed then). A restore
    that fails (a full disk) changes nothing either: it is explained and asked again.
    """
    from caregiver_app.storage import backup
    from caregiver_app.storage.backup import BackupError
    from caregiver_app.storage.db import DatabaseDamaged, DiskFull

    data_paths = paths.DataPaths(data_dir)
    while True:
        try:
            try:
                return build_context(data_dir, is_example=is_example)
            except DiskFull:
                # read-only until there is room: the day's doses, the medicines and the
                # care team can be seen and printed; "Try again" reopens
                log.error("disk full at start-up: records opened read-only")
                return build_context(data_dir, is_example=is_example,
                                     read_only=DiskFull.REASON)
        except DatabaseDamaged as exc:
            # (the dialogs' modules and Qt classes only here: not at a plain start)
            from PySide6.QtWidgets import QFileDialog

            from caregiver_app.ui import messages
            from caregiver_app.ui.backups.recovery import RecoveryChoice, ask_recovery

            log.error("records file unusable at start-up: %s", exc.kind)
            newest = backup.newest_good_backup(data_paths.backup_dir)
            choice = ask_recovery(exc.reason, data_paths.database, newest, kind=exc.kind)
            if choice is RecoveryChoice.QUIT:
                return None
            now = SystemClock().now()
            aside = "damaged" if exc.kind in ("changed", "missing") else exc.kind
            try:
                if choice is RecoveryChoice.START_EMPTY:
                    if data_paths.database.exists():
                        backup.set_aside(data_paths.database, now, label=aside)
                    open_database(data_paths.database, now=now, new=True).close()
                else:
                    source = None
                    if choice is RecoveryChoice.RESTORE_NEWEST and newest is not None:
                        source = newest.path
                    elif choice is RecoveryChoice.CHOOSE:
                        name, _ = QFileDialog.getOpenFileName(
                            None, "Choose a backup file", str(data_paths.backup_dir),
                            "Backups (*.sqlite3);;All files (*)")
                        if name:
                            source = Path(name)
                    if source is None:
                        continue
                    problem = backup.check_database_file(source)
                    if problem:
                        messages.warn(None, APP_NAME, f"That file cannot be used: {problem}.")
                        continue
                    backup.restore(source, data_paths.database, data_paths.backup_dir, now,
                                   aside=aside)
            except (BackupError, StorageError) as failure:
                log.error("recovery at start-up failed")
                messages.warn(None, "The records could not be recovered",
                              f"{failure}\n\nNothing was changed. Free some disk space, or "
                              "choose another backup.")
                continue
            log.info("recovered at start-up: %s", choice.value)
        except StorageError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, APP_NAME, str(exc))
            return None
