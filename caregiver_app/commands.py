"""The ``export`` and ``import`` command-line commands (``export --ics`` and ``--csv`` are
in ``printing_commands``)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from caregiver_app import APP_NAME, __version__, paths


def register(subparsers) -> None:
    from caregiver_app.printing_commands import date_arg

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
    export.add_argument("--alarm", type=int, default=0, metavar="MINUTES",
                        help="--ics: remind this many minutes before each dose (default 0)")
    export.set_defaults(func=run_export)

    imp = subparsers.add_parser("import", help="replace the records with those of a JSON file")
    imp.add_argument("--json", required=True, metavar="FILE", type=Path,
                     help="a file written by 'export'")
    imp.add_argument("--replace", action="store_true",
                     help="allowed to replace records that are already there (they are "
                          "kept as a backup first)")
    imp.set_defaults(func=run_import)


def _data_dir(args: argparse.Namespace) -> Path:
    data_dir = paths.resolve_data_dir(args.data_dir)
    return paths.example_data_dir(data_dir) if args.demo else data_dir


def _core_app():
    from PySide6.QtCore import QCoreApplication

    from caregiver_app import ORG_NAME

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    return app


def run_export(args: argparse.Namespace) -> int:
    if args.json is None:
        from caregiver_app.printing_commands import run_period_export

        return run_period_export(args)
    if args.first is not None or args.last is not None:
        print("--from and --to apply to --ics and --csv only.", file=sys.stderr)
        return 2
    from caregiver_app.storage.db import StorageError, open_database
    from caregiver_app.storage.transfer import export_to_file

    _core_app()
    data_dir = _data_dir(args)
    database = paths.DataPaths(data_dir).database
    if not database.exists():
        print(f"There are no records in {data_dir}.", file=sys.stderr)
        return 1
    try:
        db = open_database(database)
    except StorageError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        counts = export_to_file(db, args.json, app_version=__version__)
    except OSError as exc:
        print(f"Could not write {args.json}: {exc.strerror}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"Exported {sum(counts.values())} records to {args.json}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from caregiver_app.services.single_instance import SingleInstance
    from caregiver_app.services.transfer import prepare_import
    from caregiver_app.storage import backup
    from caregiver_app.storage.db import connect, has_user_tables
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
        if data.database.exists() and not args.replace:
            db = connect(data.database)
            holds_records = has_user_tables(db) and any(
                db.table(t).count for t in ("patient", "caregivers", "medicines", "contacts")
                if db.table(t).exists())
            db.close()
            if holds_records:
                print(f"{data_dir} already holds records. Run again with --replace to replace "
                      "them (they are kept as a backup first).", file=sys.stderr)
                return 1
        with tempfile.TemporaryDirectory(prefix="caregiver-import-") as tmp:
            try:
                built, counts = prepare_import(args.json, Path(tmp))
            except TransferError as exc:
                print(exc, file=sys.stderr)
                return 1
            backup.restore(built, data.database, data.backup_dir, datetime.now(UTC))
        print(f"Imported {sum(counts.values())} records into {data_dir}")
        return 0
    finally:
        instance.release()
