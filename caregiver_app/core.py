"""The core: the one builder of the records' services, for the window, every command and
every benchmark.

``open_core(data_dir, clock)`` opens a data directory and returns a frozen ``Core`` with
the patient and caregivers (``session``), the medication book, the care team, Learn's
records and the medicine reference (read once), printing, backups, transfer and the
household settings, and ``changes``, the one signal every write announces itself on. No
widgets: ``app.build_context`` adds the window, the tray and the reminders on top of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

# The records (storage, and the domain under it: no Qt) before the services (Qt):
# PySide's import hook reads the source of every module imported after PySide, each
# time an import names it for the first time (~0.1 ms a module); the ~40 modules that
# only the records' own modules import are then never read.
from caregiver_app import paths
from caregiver_app.domain.patient import WeightUnit
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.db import open_database, open_read_only, second_connection
from caregiver_app.storage.going_repo import GoingRepository
from caregiver_app.storage.household_repo import HouseholdRepository
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

# isort: split
# (importing it makes PySide's import hook answer from each module's file)
from caregiver_app import pyside_hook  # noqa: F401

# isort: split
from caregiver_app.services.backups import BackupService
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.changes import ChangeHub, Changes
from caregiver_app.services.clock import Clock
from caregiver_app.services.going import Going
from caregiver_app.services.medication_book import MedicationBook, patient_zone
from caregiver_app.services.session import Session

if TYPE_CHECKING:  # Learn, printing and transfer are built (and imported) on first use
    from sqlite_utils import Database

    from caregiver_app.services.learn import Learn
    from caregiver_app.services.printing import PrintService
    from caregiver_app.services.transfer import TransferService

log = logging.getLogger(__name__)


def system_time_zone() -> str:
    """The computer's IANA time zone ("Europe/London"), "UTC" when it names none."""
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


@dataclass(frozen=True, eq=False)
class Core:
    """One open data directory's records and the services over them (no widgets)."""

    data_dir: Path
    paths: paths.DataPaths
    db: Database
    clock: Clock
    changes: ChangeHub
    """Every write's ``changed(Changes)``: subscribe here, once, to refresh or share."""
    patients: PatientRepository
    session: Session
    """The patient, the caregivers and who is on duty."""
    household: HouseholdRepository
    """The household's settings kept in the records (dose timing)."""
    medications: MedicationBook
    careteam: CareTeam
    backups: BackupService
    going: Going
    """How things are going: weight, function, symptoms, clinic numbers, dose effects."""
    is_example: bool = False
    read_only: str = ""
    """Why the records are open read-only ("": they are not)."""

    @cached_property
    def learn(self) -> Learn:
        """Learn's records (notes, bookmarks, search) and the medicine reference, read
        once (built the first time the Learn tab or the reference is needed)."""
        from caregiver_app.services.learn import Learn
        from caregiver_app.storage.learn_repo import LearnRepository

        return Learn(LearnRepository(self.db), paths.resource("articles"),
                     paths.resource("medicines", "reference.toml"), changes=self.changes)

    @cached_property
    def printing(self) -> PrintService:
        """Printing and the calendar / CSV exports (built, and their code imported, the
        first time something prints or exports: not at start-up)."""
        from caregiver_app.services.printing import PrintService
        from caregiver_app.storage.calendar_exports_repo import CalendarExportRepository

        return PrintService(self.medications, self.patients, clock=self.clock,
                            care_team=self.careteam,
                            calendar_log=CalendarExportRepository(self.db), going=self.going)

    @cached_property
    def transfer(self) -> TransferService:
        """Export and import of every record (built on first use, as ``printing``)."""
        from caregiver_app.services.transfer import TransferService

        return TransferService(self.db, self.backups, self.clock,
                               workdir=self.paths.import_dir)

    def local_now(self) -> datetime:
        """Now, in the patient's time zone (the computer's when none is set)."""
        return _local_now(self.patients, self.clock)

    def local_today(self) -> date:
        return self.local_now().date()

    def patient_time_zone(self) -> str:
        """The IANA zone appointments and due times are in (the computer's if not set)."""
        patient = self.patients.get()
        return patient.time_zone if patient and patient.time_zone else system_time_zone()

    @contextmanager
    def printing_for_worker(self) -> Iterator[PrintService]:
        """Printing and exports over a second connection to the records, for one export
        on a worker thread (``storage.db.second_connection``); closed after the ``with``.
        Nothing it builds is shared with the GUI thread."""
        from caregiver_app.services.printing import PrintService
        from caregiver_app.storage.calendar_exports_repo import CalendarExportRepository

        with second_connection(self.db) as db:
            patients = PatientRepository(db)
            medications = MedicationBook(
                MedicationRepository(db), clock=self.clock, on_duty=lambda: None,
                zone=patient_zone(patients, default=system_time_zone),
                household=HouseholdRepository(db))
            careteam = CareTeam(CareTeamRepository(db), region=lambda: system_phone_region(
                getattr(patients.get(), "time_zone", "")))
            clock = self.clock
            going = Going(GoingRepository(db), clock=clock, on_duty=lambda: None,
                          today=lambda: _local_now(patients, clock).date(),
                          weight_unit=lambda: _weight_unit(patients))
            yield PrintService(medications, patients, clock=clock, care_team=careteam,
                               calendar_log=CalendarExportRepository(db), going=going)

    def announce_all(self) -> None:
        """The records were filled in outside the services (the example household):
        announce, once, every medicine, contact and appointment, every entry of How
        things are going (its five tables), the patient and the caregivers, so whatever
        shows them reads them again."""
        from caregiver_app.domain.going import Measure

        with self.changes.batch():
            self.session.reload()
            self.changes.announce(Changes(
                medicines=frozenset(m.id for m in self.medications.medicines()
                                    if m.id is not None),
                contacts=frozenset(c.id for c in self.careteam.contacts()
                                   if c.id is not None),
                appointments=frozenset(a.id for a in self.careteam.appointments()
                                       if a.id is not None),
                going=frozenset((measure, entry_id) for measure in Measure
                                for entry_id in self.going.entry_ids(measure))))

    def schema_version(self) -> int:
        """The records format's number (``storage.migrations.schema_version``)."""
        from caregiver_app.storage import migrations

        return migrations.schema_version(self.db)

    def close(self) -> None:
        """Stop the backup checks and close the database (idempotent)."""
        self.backups.stop()
        self.db.close()


def open_core(data_dir: Path, clock: Clock, *, is_example: bool = False,
              read_only: str = "", release: Callable[[], None] | None = None) -> Core:
    """Open the records in ``data_dir`` and build the services over them.

    ``is_example``: the made-up example household, rebuilt rather than recovered from
    its backups. ``read_only``: why the records must be opened read-only ("" to open
    them for changes). ``release()``: before a restore or an import, stop everything
    else that uses the database (the core then closes it). Raises what
    ``storage.db.open_database`` raises (``DiskFull``, ``DatabaseDamaged``,
    ``StorageError``). Needs a Qt application object (the services are QObjects).
    """
    data_paths = paths.DataPaths(paths.ensure_private_dir(data_dir))
    if read_only:
        db = open_read_only(data_paths.database, reason=read_only)
    else:
        db = open_database(data_paths.database, now=clock.now(), new=is_example)
    changes = ChangeHub()
    patients = PatientRepository(db)
    session = Session(patients, changes=changes)
    household = HouseholdRepository(db)

    def release_database() -> None:
        try:
            if release is not None:
                release()
        finally:
            db.close()

    backups = BackupService(db, data_paths.database, data_paths.backup_dir, clock,
                            lambda: _local_now(patients, clock).date(), release_database)
    medications = MedicationBook(
        MedicationRepository(db), clock=clock, on_duty=lambda: session.on_duty_id,
        zone=patient_zone(patients, default=system_time_zone), household=household,
        changes=changes)
    careteam = CareTeam(CareTeamRepository(db), region=lambda: system_phone_region(
        getattr(patients.get(), "time_zone", "")), changes=changes)
    going = Going(GoingRepository(db), clock=clock, on_duty=lambda: session.on_duty_id,
                  today=lambda: _local_now(patients, clock).date(),
                  weight_unit=lambda: _weight_unit(patients), changes=changes)
    return Core(
        data_dir=data_dir, paths=data_paths, db=db, clock=clock, changes=changes,
        patients=patients,
        session=session, household=household, medications=medications, careteam=careteam,
        backups=backups,
        going=going,
        is_example=is_example, read_only=read_only)


def _weight_unit(patients: PatientRepository) -> WeightUnit:
    """The household's unit for weights: the patient profile's (kg when none)."""
    patient = patients.get()
    return patient.weight_unit if patient is not None else WeightUnit.KG


def _local_now(patients: PatientRepository, clock: Clock) -> datetime:
    patient = patients.get()
    tz = ZoneInfo(patient.time_zone) if patient and patient.time_zone else None
    now = clock.now()
    return now.astimezone(tz) if tz else now.astimezone()
