"""The ``export`` and ``import`` command-line commands (``export --ics`` and ``--csv`` are
in ``printing_commands``)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from caregiver_app import APP_NAME, __version__, paths

if TYPE_CHECKING:
    from caregiver_app.core import Core
    from caregiver_app.services.clock import Clock


def register(subparsers) -> None:
    from caregiver_app.printing_commands import alarm_arg, date_arg

    export = subparsers.add_parser(
        "export", help="write every record to one JSON file, the dose times to a calendar "
                       "file, or the dose history to a CSV file")
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--json", metavar="FILE", type=Path,
                      help="every record (see docs/data-format.md)")
    what.add_argument("--ics", metavar="FILE", type=Path,
                      help="the doses (and appointments) of a period as a calendar file, "
                           "with reminders (default: 30 days from today)")
    what.add_argument("--csv", metavar="FILE", type=Path,
                      help="the dose history of a period, one row per dose (default: the "
                           "30 days up to today)")
    export.add_argument("--from", dest="first", type=date_arg, metavar="DATE",
                        help="first day (YYYY-MM-DD, 'today' or 'tomorrow'); --ics and "
                             "--csv only")
    export.add_argument("--to", dest="last", type=date_arg, metavar="DATE",
                        help="last day, included; --ics and --csv only")
    export.add_argument("--alarm", type=alarm_arg, default=None, metavar="MINUTES",
                        help="--ics only: remind this many minutes before each dose, 0 to "
                             "240 (default 0)")
    export.set_defaults(func=run_export)

    imp = subparsers.add_parser("import", help="replace the records with those of a JSON file")
    imp.add_argument("--json", required=True, metavar="FILE", type=Path,
                     help="a file written by 'export'")
    imp.add_argument("--replace", action="store_true",
                     help="allowed to replace records that are already there (they are "
                          "kept as a backup first)")
    imp.set_defaults(func=run_import)


def _data_dir(args: argparse.Namespace) -> Path:
    from caregiver_app.services import data_folder

    data_dir = data_folder.resolve(args.data_dir).folder  # (the old one moved up first)
    return paths.example_data_dir(data_dir) if args.demo else data_dir


def open_core_for(args: argparse.Namespace, *, clock: Clock,
                  read_only_note: str = "") -> Core | None:
    """The records named by the global options, for a command (``core.open_core``):
    ``--demo`` means the example household (made first if it is not there yet) for
    every command alike. On a full disk they are opened read-only (saying
    ``read_only_note``, if any): reading them needs no room.

    Prints why and returns None when there are no records (or they cannot be opened).
    """
    from caregiver_app.core import open_core, system_time_zone
    from caregiver_app.storage.backup import any_backups
    from caregiver_app.storage.db import DiskFull, StorageError

    data_dir = _data_dir(args)
    if args.demo:
        paths.ensure_private_dir(data_dir)
    data = paths.DataPaths(data_dir)
    if not data.database.exists() and not args.demo and not any_backups(data.backup_dir):
        print(f"There are no records in {data_dir}.", file=sys.stderr)
        return None  # (a lost file with backups is refused by open_database, saying why)
    try:
        try:
            core = open_core(data_dir, clock)
        except DiskFull as full:  # reading the records needs no room: read them as they are
            if read_only_note:
                print(f"{full}\n{read_only_note}", file=sys.stderr)
            core = open_core(data_dir, clock, read_only=DiskFull.REASON)
    except StorageError as exc:
        print(exc, file=sys.stderr)
        return None
    if args.demo and core.patients.get() is None:  # (made once: populate_example's test)
        from caregiver_app.domain.localtime import zone_named
        from caregiver_app.services.demo import populate_example

        now, time_zone = clock.now(), system_time_zone()
        today = now.astimezone(zone_named(time_zone)).date()
        populate_example(core.db, today=today, time_zone=time_zone, now=now)
    return core


def _core_app():
    from PySide6.QtCore import QCoreApplication

    from caregiver_app import ORG_NAME

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    return app


@contextlib.contextmanager
def _owner_only_files():
    """Every file written is health information: owner-only, as in the app (``run_gui``
    sets the same umask). The calendar and CSV exports are written without a mode."""
    before = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(before)


def run_export(args: argparse.Namespace) -> int:
    with _owner_only_files():
        return _run_export(args)


def _run_export(args: argparse.Namespace) -> int:
    if args.json is None:
        from caregiver_app.printing_commands import run_period_export

        return run_period_export(args)
    if args.first is not None or args.last is not None:
        print("--from and --to apply to --ics and --csv only.", file=sys.stderr)
        return 2
    from caregiver_app.services.clock import SystemClock
    from caregiver_app.storage.transfer import export_to_file

    _core_app()
    core = open_core_for(args, clock=SystemClock())
    if core is None:
        return 1
    try:
        counts = export_to_file(core.db, args.json, app_version=__version__)
    except OSError as exc:
        print(f"Could not write {args.json}: {exc.strerror}", file=sys.stderr)
        return 1
    finally:
        core.close()
    print(f"Exported {sum(counts.values())} records to {args.json}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    with _owner_only_files():
        return _run_import(args)


def _run_import(args: argparse.Namespace) -> int:
    from caregiver_app.services.single_instance import SingleInstance
    from caregiver_app.services.transfer import prepare_import
    from caregiver_app.storage import backup
    from caregiver_app.storage.backup import BackupError
    from caregiver_app.storage.db import DatabaseDamaged, StorageError, connect, has_user_tables
    from caregiver_app.storage.transfer import TransferError

    _core_app()
    data_dir = paths.ensure_private_dir(_data_dir(args))
    instance = SingleInstance(data_dir)
    if not instance.acquire():
        print(f"{APP_NAME} is open on {data_dir}. Close it, or use File ▸ Import in the app.",
              file=sys.stderr)
        return 1
    try:
        data = paths.DataPaths(data_dir)
        replace = ("Run again with --replace to replace them with the file's records (the "
                   "current file is kept as a backup, or beside it if it is damaged).")
        if not args.replace:
            lost = (not data.database.exists() or data.database.stat().st_size == 0)
            if lost and backup.any_backups(data.backup_dir):
                print(f"The records file in {data_dir} is missing or empty, but there are "
                      "backups of the records. Start ALS Care Companion to restore the newest "
                      f"backup, or: {replace}", file=sys.stderr)
                return 1
            if data.database.exists():
                try:
                    db = connect(data.database)
                except DatabaseDamaged as exc:
                    print(f"The records file {exc.path} {exc.reason}. {replace}",
                          file=sys.stderr)
                    return 1
                except StorageError as exc:
                    print(exc, file=sys.stderr)
                    return 1
                try:
                    holds_records = has_user_tables(db) and any(
                        db.table(t).count
                        for t in ("patient", "caregivers", "medicines", "contacts")
                        if db.table(t).exists())
                finally:
                    db.close()
                if holds_records:
                    print(f"{data_dir} already holds records. {replace}", file=sys.stderr)
                    return 1
        backup.clear_leftovers(data_dir)  # (the lock is held: nothing else uses them)
        work = paths.ensure_private_dir(data.import_dir)
        with tempfile.TemporaryDirectory(prefix="import-", dir=work) as tmp:
            try:
                built, counts = prepare_import(args.json, Path(tmp))
                backup.restore(built, data.database, data.backup_dir, datetime.now(UTC))
            except (TransferError, BackupError) as exc:
                print(exc, file=sys.stderr)
                return 1
        print(f"Imported {sum(counts.values())} records into {data_dir}")
        return 0
    finally:
        instance.release()
