"""The composition root: the one place that builds objects and connects them."""

from __future__ import annotations

import functools
import logging
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from caregiver_app import APP_NAME, ORG_NAME, __version__, cli, paths
from caregiver_app.services.clock import Clock, SystemClock
from caregiver_app.storage.db import StorageError, open_database, open_read_only
from caregiver_app.storage.patient_repo import PatientRepository

log = logging.getLogger(__name__)


def system_time_zone() -> str:
    from PySide6.QtCore import QTimeZone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
    return name


def system_phone_region(patient_zone: str = "") -> str | None:
    """The region ("US") phone numbers typed without a country code are read in.

    The patient's country (from ``patient_zone``) first, then the computer's locale,
    then the computer's time zone (``domain.phones.household_region``): the window and
    the command line agree, and ``LANG=C`` does not make every number need its +1.
    """
    from PySide6.QtCore import QLocale

    from caregiver_app.domain.phones import household_region

    return household_region(
        patient_zone, locale_region=QLocale.territoryToCode(QLocale.system().territory()),
        computer_zone=system_time_zone())


@dataclass
class AppContext:
    """Everything one open data directory needs, built once and passed down."""

    data_dir: Path
    db: Database
    clock: Clock
    patients: PatientRepository
    session: object
    settings: object
    backups: object = None
    transfer: object = None
    medications: object = None
    reminders: object = None  # services.reminders.ReminderService
    undo: object = None  # services.undo.UndoService: the last action, for Undo
    alerts: object = None  # ui.today.alerts.ReminderCenter
    tray: object = None  # services.notifier.TrayNotifier, where the platform has a tray
    # () -> domain.reference.MedicineReference: the built-in medicine reference, read from
    # its file on first use (not at start-up), then kept
    reference: object = None
    printing: object = None  # ui.printing.PrintController
    window: object = None
    is_example: bool = False
    careteam: object = None  # services.careteam.CareTeam
    clinic_visits: object = None  # services.clinic_visits.ClinicVisitSync
    # why the records are open read-only ("": they are not): the disk was full at start
    read_only: str = ""
    read_only_bar: object = None  # ui.read_only.ReadOnlyBar, with its Try again

    def local_today(self) -> date:
        return self.local_now().date()

    def local_now(self) -> datetime:
        from zoneinfo import ZoneInfo

        patient = self.patients.get()
        tz = ZoneInfo(patient.time_zone) if patient and patient.time_zone else None
        now = self.clock.now()
        return now.astimezone(tz) if tz else now.astimezone()

    def patient_time_zone(self) -> str:
        """The IANA zone appointments and due times are in (the computer's if not set)."""
        patient = self.patients.get()
        return patient.time_zone if patient and patient.time_zone else system_time_zone()

    def close(self) -> None:
        """Stop the reminders and the backup checks, close the window and the database.

        Idempotent, and safe when a restore or import has already closed the database
        (the backup service's release stops the reminders first, so nothing is lost).
        """
        if self.backups is not None:
            self.backups.stop()
        if self.clinic_visits is not None:
            self.clinic_visits.stop()
        if self.reminders is not None:
            import sqlite3

            try:
                self.reminders.stop()
            except sqlite3.ProgrammingError:  # the database is closed: nothing to save to
                log.warning("reminders stopped after the database was closed")
        if self.tray is not None:
            self.tray.hide()
        popup = getattr(self.alerts, "popup", None)
        if popup is not None:
            popup.hide()
        if self.window is not None:
            self.window.close_for_good()
        self.db.close()


def build_context(data_dir: Path, *, clock: Clock | None = None,
                  is_example: bool = False, read_only: str = "") -> AppContext:
    """Open the data directory and build every service and the main window.

    ``read_only``: why the records must be opened read-only ("" to open them for
    changes); every write control then says so. Needs a running QApplication. Does not
    show anything.
    """
    from caregiver_app.services.backups import BackupService
    from caregiver_app.services.careteam import CareTeam
    from caregiver_app.services.clinic_visits import ClinicVisitSync
    from caregiver_app.services.medication_book import MedicationBook, patient_zone
    from caregiver_app.services.printing import PrintService
    from caregiver_app.services.reminders import ReminderService
    from caregiver_app.services.session import Session
    from caregiver_app.services.transfer import TransferService
    from caregiver_app.services.undo import UndoService
    from caregiver_app.storage.careteam_repo import CareTeamRepository
    from caregiver_app.storage.household_repo import HouseholdRepository
    from caregiver_app.storage.medications_repo import MedicationRepository
    from caregiver_app.storage.reminders_repo import ReminderRepository
    from caregiver_app.ui.printing import PrintController
    from caregiver_app.ui.settings import UiSettings

    clock = clock or SystemClock()
    data_paths = paths.DataPaths(paths.ensure_private_dir(data_dir))
    if read_only:
        db = open_read_only(data_paths.database, reason=read_only)
    else:
        # the made-up example household is rebuilt rather than recovered from its backups
        db = open_database(data_paths.database, now=clock.now(), new=is_example)
    patients = PatientRepository(db)
    session = Session(patients)
    settings = UiSettings.at(data_paths.settings_file)
    ctx = AppContext(data_dir=data_dir, db=db, clock=clock, patients=patients,
                     session=session, settings=settings, is_example=is_example,
                     read_only=read_only)

    def release_database() -> None:
        """Before a restore or import: stop everything that uses the database (the
        reminders save how far they watched the clock; hiding the window saves a note
        being typed), then close it. The app then reopens on the new file."""
        import sqlite3

        try:
            if ctx.reminders is not None:
                ctx.reminders.stop()
        except sqlite3.Error:  # a full disk: only "how far the clock was watched" is lost
            log.warning("reminders could not save their state before a restore")
        finally:
            if ctx.clinic_visits is not None:
                ctx.clinic_visits.stop()
            if ctx.window is not None:
                ctx.window.hide()  # hidden, not closed: closing the last window would quit
            db.close()

    ctx.backups = BackupService(db, data_paths.database, data_paths.backup_dir, clock,
                                ctx.local_today, release_database)
    ctx.transfer = TransferService(db, ctx.backups, clock, workdir=data_paths.import_dir)
    ctx.medications = MedicationBook(
        MedicationRepository(db), clock=clock, on_duty=lambda: session.on_duty_id,
        zone=patient_zone(patients, default=system_time_zone()),
        household=HouseholdRepository(db))
    ctx.reference = functools.cache(load_medicine_reference)
    session.set_on_duty(settings.on_duty_caregiver_id)
    ctx.careteam = CareTeam(CareTeamRepository(db), region=lambda: system_phone_region(
        getattr(patients.get(), "time_zone", "")))
    ctx.reminders = ReminderService(ctx.medications, ReminderRepository(db), clock=clock,
                                    settings=settings.reminder_settings,
                                    appointments=ctx.careteam.upcoming)
    ctx.undo = UndoService(ctx.medications, clock=clock, reminders=ctx.reminders)
    ctx.medications.changed.connect(ctx.reminders.rearm)
    ctx.medications.policy_changed.connect(ctx.reminders.rearm)
    ctx.careteam.appointments_changed.connect(ctx.reminders.rearm)
    session.patient_changed.connect(ctx.reminders.rearm)
    ctx.printing = PrintController(
        PrintService(ctx.medications, patients, clock=clock, care_team=ctx.careteam), settings)
    ctx.clinic_visits = ClinicVisitSync(ctx.medications, ctx.careteam)
    ctx.window = build_main_window(ctx)
    # "Backups could not be made: …" stays in the status bar until another message
    ctx.backups.message.connect(lambda text: ctx.window.show_message(text, 0))
    ctx.alerts = build_reminder_center(ctx)
    if read_only:
        from caregiver_app.ui.read_only import lock_window

        ctx.read_only_bar, _ = lock_window(ctx.window, read_only)
    return ctx


def build_main_window(ctx: AppContext):
    from caregiver_app.services.notifier import TrayNotifier
    from caregiver_app.ui.careteam.tab import CareTeamTab
    from caregiver_app.ui.icons import app_icon
    from caregiver_app.ui.main_window import MainWindow, TabSpec
    from caregiver_app.ui.today.tab import TodayTab
    from caregiver_app.ui.wheel import install as guard_the_wheel

    guard_the_wheel()  # the wheel scrolls; it changes only fields clicked into
    today = TodayTab(ctx.medications, ctx.session, ctx.patients, ctx.settings,
                     reminders=ctx.reminders, undo=ctx.undo,
                     appointments=ctx.careteam.upcoming,
                     tray_available=TrayNotifier.available)
    ctx.careteam.appointments_changed.connect(today.refresh_soon)
    learn = build_learn_tab(ctx)
    medications = build_medications_tab(ctx, read_about=learn.show_article_for_medicine)
    care_team = CareTeamTab(ctx.careteam, now=ctx.clock.now, time_zone=ctx.patient_time_zone)
    tabs = [
        TabSpec("today", "&Today", today),
        TabSpec("medications", "&Medications", medications),
        TabSpec("care_team", "&Care team", care_team),
        TabSpec("learn", "&Learn", learn),
    ]
    window = MainWindow(
        tabs=tabs,
        session=ctx.session,
        patients=ctx.patients,
        settings=ctx.settings,
        data_dir=ctx.data_dir,
        today=ctx.local_today,
        default_time_zone=system_time_zone(),
        backups=ctx.backups,
        transfer=ctx.transfer,
        is_example=ctx.is_example,
        printing=ctx.printing,
    )
    window.setWindowIcon(app_icon())
    window.today_tab = today
    today.edit_caregivers_requested.connect(window.edit_caregivers)
    learn.reveal_requested.connect(lambda: window.show_tab("learn"))
    medications.status_message.connect(window.show_message)
    learn.status_message.connect(window.show_message)

    def show_medicine(medicine_id: int) -> None:
        window.show_tab("medications")
        medications.select_medicine(medicine_id)

    def show_medicine_by_reference(reference_id: str) -> None:
        """A ``medicine:`` link in an article: the patient's medicine, or its article."""
        from caregiver_app.domain.vocab import MedicineStatus

        now = ctx.medications.now()
        matches = sorted((m for m in ctx.medications.medicines()
                          if m.reference_id == reference_id),
                         key=lambda m: m.status_at(now) is MedicineStatus.STOPPED)
        if matches:
            show_medicine(matches[0].id)
            return
        entry = ctx.reference().find(reference_id)
        name = entry.generic if entry else reference_id
        window.show_message(f"{name} is not on the patient's medicine list.")
        learn.show_article_for_medicine(reference_id)

    learn.medicine_link_activated.connect(show_medicine_by_reference)
    care_team.medicine_requested.connect(show_medicine)
    today.show_medicine_requested.connect(show_medicine)
    # the article shows itself through learn.reveal_requested (connected above)
    today.read_about_requested.connect(learn.show_article_for_medicine)
    if ctx.printing is not None:
        medications.print_requested.connect(ctx.printing.preview)
        today.print_requested.connect(ctx.printing.preview)
        learn.print_requested.connect(ctx.printing.preview)
    return window


def build_reminder_center(ctx: AppContext):
    """The reminder banner, the tray icon (where there is a tray) and the sound, fed by
    ``ctx.reminders``. Nothing is started here: ``run_gui`` starts the reminders once the
    window is up."""
    from caregiver_app.services.notifier import SoundNotifier, TrayNotifier
    from caregiver_app.ui.icons import app_icon
    from caregiver_app.ui.today.alerts import ReminderCenter
    from caregiver_app.ui.today.banner import ReminderBanner
    from caregiver_app.ui.today.popup import ReminderPopup

    window = ctx.window
    banner = ReminderBanner()
    window.set_banner(banner)
    # Made whether or not there is a tray now: a tray that comes later (a slow login, a
    # panel restarted) shows the icon by itself, and TrayNotifier.available() is asked
    # each time it matters.
    if ctx.is_example:  # never taken for a real patient's reminders
        ctx.tray = TrayNotifier(app_icon(), f"{APP_NAME}: example household (made-up)",
                                window, title_prefix="Example: ")
    else:
        ctx.tray = TrayNotifier(app_icon(), APP_NAME, window)
    notifiers = [ctx.tray]
    notifiers.append(SoundNotifier(paths.resource("sounds", "reminder.wav"),
                                   lambda: ctx.settings.reminder_sound, window,
                                   prefs=ctx.settings.sound_prefs))
    # its own top-level window (so it can come on another desktop), gone with the main one
    popup = ReminderPopup(title_prefix="Example: " if ctx.is_example else "")
    window.destroyed.connect(popup.deleteLater)
    return ReminderCenter(service=ctx.reminders, book=ctx.medications, window=window,
                          today=window.today_tab, banner=banner, session=ctx.session,
                          patients=ctx.patients, settings=ctx.settings, notifiers=notifiers,
                          tray=ctx.tray, popup=popup, parent=window)


def build_learn_tab(ctx: AppContext):
    from caregiver_app.domain.own_doses import learn_line, own_doses
    from caregiver_app.storage.learn_repo import LearnRepository
    from caregiver_app.ui.learn import LearnTab

    book = ctx.medications

    def own_doses_for(article_medicines):
        """What the records say about the article's medicines on the patient's list:
        "On Maggie's list: riluzole 50 mg, 1 tablet at 08:00 and 20:00" (domain.own_doses)."""
        if book is None:
            return None
        patient = ctx.patients.get()

        def prescriber(contact_id: int) -> str:
            contact = ctx.careteam.contact(contact_id) if ctx.careteam is not None else None
            return contact.name if contact is not None else ""

        doses = own_doses(book.medicines(), book.now(), book.today(), prescriber)
        return learn_line(patient.full_name if patient else "", doses, article_medicines)

    learn = LearnTab(
        repo=LearnRepository(ctx.db),
        articles_dir=paths.resource("articles"),
        reference_file=paths.resource("medicines", "reference.toml"),
        settings=ctx.settings,
        own_doses=own_doses_for,
        caregiver_id=lambda: ctx.session.on_duty_id,
    )
    if book is not None:
        book.changed.connect(learn.refresh_patient_medicines)
    if ctx.careteam is not None:  # a prescriber's name changed
        ctx.careteam.contacts_changed.connect(learn.refresh_patient_medicines)
    # a note typed just before a restore or import goes into the records being kept
    ctx.backups.about_to_replace.connect(learn.save_note)
    return learn


def load_medicine_reference():
    """The built-in medicine reference, read once. A damaged file is logged and the app
    runs without it (the medicine dialog then offers no reference entries)."""
    from caregiver_app.domain.reference import (
        REFERENCE_RESOURCE,
        MedicineReference,
        ReferenceFormatError,
        load_reference,
    )

    try:
        return load_reference(paths.resource(*REFERENCE_RESOURCE))
    except ReferenceFormatError as exc:
        log.error("medicine reference not loaded: %s", exc)
        return MedicineReference([])


def build_medications_tab(ctx: AppContext, *, read_about=lambda _reference_id: None):
    """``read_about(reference_id)``: open the Learn article about a medicine."""
    from caregiver_app.services.careteam import PHARMACY_ROLES, PRESCRIBER_ROLES
    from caregiver_app.ui.medications import MedicationsTab

    careteam = ctx.careteam

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
        ctx.medications, ctx.reference,
        caregiver_names=lambda: {c.id: c.label() for c in ctx.patients.caregivers()
                                 if c.id is not None},
        contacts=contacts, contact_name=contact_name, read_about=read_about,
    )
    careteam.contacts_changed.connect(tab.refresh_contacts)
    return tab


# ---- Start-up


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args, qt_args = cli.parse_args(argv)
    if args.command:
        if qt_args:
            cli.build_parser().error(f"unrecognized arguments: {' '.join(qt_args)}")
        return args.func(args)
    return run_gui(args, qt_args)


def _make_application(qt_args: list[str]):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("caregiver-app")
    from caregiver_app.ui.icons import app_icon

    app.setWindowIcon(app_icon())  # every window and dialog, and the tray
    return app


def run_gui(args, qt_args: list[str]) -> int:
    os.umask(0o077)  # every file the app creates is private: this is health information
    app = _make_application(qt_args)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from caregiver_app.services.logs import setup_file_logging
    from caregiver_app.services.single_instance import SingleInstance
    from caregiver_app.ui.crash import install_excepthook

    data_dir = paths.resolve_data_dir(args.data_dir)
    is_example = bool(args.demo)
    if is_example:
        data_dir = paths.example_data_dir(data_dir)
    instance = SingleInstance(data_dir)
    try:
        paths.ensure_private_dir(data_dir)
        acquired = instance.acquire()
    except OSError as exc:  # a file, a read-only or missing drive: say so, plainly
        log.error("data folder unusable: %s", type(exc).__name__)
        QMessageBox.critical(None, APP_NAME, f"{APP_NAME} cannot open its records.\n\n{exc}\n\n"
                             "Choose another folder with --data-dir, or check the drive.")
        return 1
    if not acquired:
        if instance.notify_running():
            print(f"{APP_NAME} is already open for {data_dir}; it was brought to the front.")
        else:
            QMessageBox.information(
                None, APP_NAME,
                f"{APP_NAME} is already open for this data folder:\n{data_dir}\n\n"
                "Look for its window or its icon near the clock.",
            )
        return 0

    data_paths = paths.DataPaths(data_dir)
    setup_file_logging(data_paths.log_file, also_stderr=args.verbose)
    install_excepthook(data_paths.log_file)
    log.info("start version=%s example=%s", __version__, is_example)
    from caregiver_app.storage.backup import clear_leftovers

    left = clear_leftovers(data_dir)  # of a restore, import or start that was killed
    if left:
        log.info("left-overs of an interrupted restore or import removed: %d", len(left))

    ctx = _open_or_recover(data_dir, is_example)
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
        from caregiver_app.services.demo import populate_example

        populate_example(ctx.db, today=ctx.local_today(), time_zone=system_time_zone(),
                         now=ctx.clock.now())
        ctx.session.notify_caregivers_edited()
        ctx.session.patient_changed.emit()
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
            args.demo = True
            return run_gui(args, qt_args)

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
        context.window.show()
        log.info("window shown")
        if context.read_only_bar is not None:
            context.read_only_bar.retry_requested.connect(
                lambda: QTimer.singleShot(0, reopen))
        if not args.quit_when_idle:
            # Not at start-up: once the window is up, and backups a few seconds later
            # (read-only, there is no room for them, nor for planning clinic visits).
            tasks = [(REMINDERS_DELAY_MS, context.reminders.start)]
            if not context.read_only:
                tasks += [(BACKUP_DELAY_MS, context.backups.make_rotating_backups),
                          (CLINIC_SYNC_DELAY_MS, context.clinic_visits.sync)]
            for delay, start in tasks:
                QTimer.singleShot(delay, functools.partial(_unless_released, context, start))

    def reopen() -> None:
        new = reopen_context(current["ctx"], data_dir, is_example)
        if new is None:
            app.quit()
            return
        current["ctx"] = new
        show(new)

    show(ctx)
    if args.quit_when_idle:
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    current["ctx"].close()
    instance.release()
    return code


def _unless_released(context: AppContext, start) -> None:
    """A deferred start-up task, skipped when a restore or import released this context's
    database in the meantime (the reopened context starts its own)."""
    if not context.backups.released:
        start()


BACKUP_DELAY_MS = 5000
CLINIC_SYNC_DELAY_MS = 1000
REMINDERS_DELAY_MS = 300


def first_run(ctx: AppContext):
    """The welcome screen on an empty data directory, then the profile and caregivers.

    Returns the WelcomeChoice, or None if the caregiver closed the welcome screen.
    """
    from caregiver_app.ui.welcome import WelcomeChoice, WelcomeDialog

    choice = WelcomeDialog.ask()
    if choice is WelcomeChoice.SET_UP:
        ctx.window.edit_patient()
        if not ctx.patients.caregivers():
            ctx.window.edit_caregivers()
    return choice


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
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from caregiver_app.storage import backup
    from caregiver_app.storage.backup import BackupError
    from caregiver_app.storage.db import DatabaseDamaged, DiskFull
    from caregiver_app.ui import messages
    from caregiver_app.ui.backups.recovery import RecoveryChoice, ask_recovery

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
            QMessageBox.critical(None, APP_NAME, str(exc))
            return None
