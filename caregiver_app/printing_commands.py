"""The ``print`` command, and the calendar and CSV parts of ``export``.

    caregiver-app print checklist --date 2026-12-01 [--days 7] --pdf out.pdf
    caregiver-app print week [--date tomorrow] --printer            (the default printer)
    caregiver-app print medlist --printer "Office laser"
    caregiver-app print careteam --pdf fridge.pdf
    caregiver-app print emergency --printer             (one page for the paramedics)
    caregiver-app export --ics doses.ics [--from 2026-12-01] [--to 2026-12-31] [--alarm 10]
    caregiver-app export --csv history.csv [--from ...] [--to ...]

``--alarm`` (minutes before each dose, 0 to 240 as in the window) applies to ``--ics``
only: given with ``--csv`` it is an error.

With the global ``--data-dir`` / ``--demo``. Printing tomorrow's checklist from a
scheduled job is ``caregiver-app print checklist --date tomorrow --printer``. Without a
display (a scheduled job, a server) Qt runs offscreen.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from caregiver_app import APP_NAME, ORG_NAME

if TYPE_CHECKING:
    from caregiver_app.core import Core
    from caregiver_app.domain.paper import Paper
    from caregiver_app.services.printing import PrintService

KINDS = ("checklist", "week", "medlist", "careteam", "emergency", "visit")


class PrinterError(Exception):
    """No such printer, or no printer at all; ``str()`` says what to do."""


def date_arg(text: str) -> date | str:
    """``YYYY-MM-DD``, ``today`` or ``tomorrow`` (resolved later, in the patient's zone).

    The date follows the domain's one rule for dates: a four-digit year, from 1900 to
    2200 (``9999-12-31`` and ``0202-01-01`` are refused, saying why).
    """
    from caregiver_app.domain.values import parse_day

    word = text.strip().lower()
    if word in ("today", "tomorrow"):
        return word
    try:
        return parse_day(text)
    except ValueError as exc:
        if "outside the dates" in str(exc):
            raise argparse.ArgumentTypeError(str(exc)) from None
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD (for example 2026-12-01), "
            "or 'today' or 'tomorrow'") from None


def warn_if_far(day: date, today: date) -> None:
    """Say so (without stopping) when ``day`` is more than 5 years from today."""
    from caregiver_app.domain.values import far_day_warning

    warning = far_day_warning(day, today)
    if warning:
        print(f"Note: {warning}", file=sys.stderr)


def alarm_arg(text: str) -> int:
    """``export --alarm``: whole minutes from 0 to 240 (what the window's dialog allows)."""
    from caregiver_app.domain.exports import MAX_ALARM_MINUTES

    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_ALARM_MINUTES:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give the minutes before each dose, from 0 (at the dose time) to "
            f"{MAX_ALARM_MINUTES}")
    return value


def days_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 366:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of days from 1 to 366")
    return value


def register(subparsers) -> None:
    printing = subparsers.add_parser(
        "print", help="print a checklist, weekly record, medicine list, care-team sheet, "
                      "emergency sheet or clinic visit summary",
        description="Print a sheet, or write it to a PDF file.")
    printing.add_argument("kind", choices=KINDS,
                          help="checklist: daily checklist; week: weekly record; medlist: "
                               "medicine list for clinic visits; careteam: fridge-door sheet; "
                               "emergency: one page for paramedics and the hospital; visit: "
                               "summary for the ALS clinic (see --since)")
    printing.add_argument("--date", type=date_arg, default="today", metavar="DATE",
                          help="first day (YYYY-MM-DD, 'today' or 'tomorrow'; default today)")
    printing.add_argument("--since", type=date_arg, metavar="DATE",
                          help="visit: the first day the summary covers (default: the "
                               "last clinic visit, else 90 days ago)")
    printing.add_argument("--days", type=days_arg, default=1, metavar="N",
                          help="checklist: one page per day for N days; week: N days "
                               "rounded up to whole weeks")
    printing.add_argument("--paper", choices=("letter", "a4"),
                          help="paper size (default: the usual one where you live)")
    out = printing.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", type=Path, metavar="FILE", help="write a PDF file")
    out.add_argument("--printer", nargs="?", const="", metavar="NAME",
                     help="send to a printer (the default printer when no NAME is given)")
    printing.set_defaults(func=run_print)


# ---- Helpers shared with ``export``


@functools.cache
def skip_last_collection() -> None:
    """Let the process end without Python's last garbage collection walking and tearing
    down everything the command made (~20-30 ms CPU of a checklist's ~300): at exit,
    every object left is frozen (``gc.freeze``), so that collection skips them.

    For a command, whose process ends once its work is done: the records are closed and
    the file written whole and checked before it returns; the standard streams, the log
    and Qt are still closed at exit as before. Only objects in reference cycles are left
    to the operating system rather than freed one by one. Registered once; a test that
    runs a command in its own process is not affected until that process ends."""
    atexit.register(gc.freeze)


def ensure_display() -> None:
    """Run Qt offscreen when there is no display (a scheduled job, a server)."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def gui_app():
    """A QGuiApplication (fonts and painting need one; no window is shown)."""
    ensure_display()
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    return app


def open_core(args: argparse.Namespace) -> Core | None:
    """Open the data directory named by the global options (``commands.open_core_for``)
    for printing: on a full disk the records are read as they are.

    Prints a message and returns None when there is nothing to open. With ``--demo`` the
    example household is created first if it is not there yet.
    """
    from caregiver_app.commands import open_core_for
    from caregiver_app.services.clock import SystemClock

    # printing needs no room in the records: on a full disk they are read as they are
    return open_core_for(args, clock=SystemClock(),
                         read_only_note="The records were opened read-only to print them.")


def paper_choice(name: str | None, country: str | None = None) -> Paper:
    """``--paper``, else the usual size in the patient's ``country``, then in the
    computer's locale (as the window chooses it)."""
    from caregiver_app.domain.paper import Paper, paper_for

    if name:
        return Paper(name)
    from PySide6.QtCore import QLocale

    return paper_for(country, QLocale.territoryToCode(QLocale.system().territory()))


def resolve_day(value: date | str, today: date) -> date:
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    assert isinstance(value, date)
    return value


def resolve_printer(requested: str, available: Sequence[str], default: str) -> str:
    """The printer to use: ``requested`` (case-insensitive), or the default when empty."""
    if not available:
        raise PrinterError("No printer is set up on this computer. Add one in the system "
                           "settings, or write a PDF file with --pdf FILE.")
    if not requested:
        if default and default in available:
            return default
        raise PrinterError("There is no default printer. Name one with --printer NAME: "
                           + ", ".join(available))
    for name in available:
        if name.casefold() == requested.casefold():
            return name
    raise PrinterError(f"There is no printer called {requested!r}. Printers: "
                       + ", ".join(available))


def system_printers() -> tuple[list[str], str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames()), QPrinterInfo.defaultPrinterName()


def _not_written(path: Path, exc: OSError) -> str:
    """"Could not write FILE: the disk is full. …" (what was there is kept)."""
    from caregiver_app.storage.backup import reason_of

    kept = " The file that was there is unchanged." if path.exists() else ""
    return f"Could not write {path}: {reason_of(exc)}. Nothing was written.{kept}"


# ---- print


def run_print(args: argparse.Namespace, *,
              printers: Callable[[], tuple[list[str], str]] = system_printers) -> int:
    skip_last_collection()
    gui_app()
    printer_name = None
    if args.printer is not None:
        try:
            printer_name = resolve_printer(args.printer, *printers())
        except PrinterError as exc:
            print(exc, file=sys.stderr)
            return 1
    core = open_core(args)
    if core is None:
        return 1
    service = core.printing
    paper = paper_choice(args.paper, service.patient_country())
    try:
        day: date | None = resolve_day(args.date, service.today())
        if args.kind == "visit":  # from --since, else the last clinic visit
            day = resolve_day(args.since, service.today()) if args.since else None
        if day is not None:
            warn_if_far(day, service.today())
        if printer_name is None:
            try:
                pages = service.save_pdf(args.kind, day, args.pdf, days=args.days,
                                         paper=paper)
            except OSError as exc:
                print(_not_written(args.pdf, exc), file=sys.stderr)
                return 1
            print(f"Wrote {pages} page{'s' if pages != 1 else ''} to {args.pdf}")
            return 0
        return _send_to_printer(service, args, day, printer_name, paper)
    finally:
        core.close()


def _send_to_printer(service: PrintService, args: argparse.Namespace, day: date | None,
                     name: str,
                     paper: Paper) -> int:
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    printer = QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution)
    printer.setDocName(f"{APP_NAME}: {args.kind}")
    service.prepare_printer(printer, args.kind, paper=paper)
    try:
        pages = service.render(args.kind, day, printer, days=args.days)
    except OSError as exc:
        print(f"Could not print on {name}: {exc}", file=sys.stderr)
        return 1
    print(f"Sent {pages} page{'s' if pages != 1 else ''} to {name}")
    return 0


# ---- export --ics / --csv


def measurements_path(history: Path) -> Path:
    """Where ``export --csv FILE`` writes the measurements: ``FILE-measurements.csv``."""
    return history.with_name(f"{history.stem}-measurements{history.suffix or '.csv'}")


def run_period_export(args: argparse.Namespace) -> int:
    """``export --ics`` / ``export --csv`` (``commands.run_export`` sends them here)."""
    from PySide6.QtCore import QCoreApplication

    from caregiver_app.domain.errors import NotSaved
    from caregiver_app.domain.exports import check_alarm_minutes
    from caregiver_app.domain.values import period_problem

    alarm = getattr(args, "alarm", None)
    if alarm is not None and args.ics is None:
        print("--alarm applies to --ics only (a calendar's reminders); leave it out with "
              "--csv.", file=sys.stderr)
        return 2
    try:
        alarm = check_alarm_minutes(alarm or 0)
    except ValueError as exc:
        print(f"--alarm: {exc}", file=sys.stderr)
        return 2
    QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    skip_last_collection()
    core = open_core(args)
    if core is None:
        return 1
    service = core.printing
    try:
        today = service.today()
        if args.ics is not None:
            first = resolve_day(args.first or "today", today)
            last = resolve_day(args.last, today) if args.last else first + timedelta(days=29)
            target, what = args.ics, "events"
        else:
            last = resolve_day(args.last or "today", today)
            first = resolve_day(args.first, today) if args.first else last - timedelta(days=29)
            target, what = args.csv, "rows"
        problem = period_problem(first, last)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        for given in (args.first, args.last):
            if isinstance(given, date):
                warn_if_far(given, today)
        try:
            also = ""
            if args.ics is not None:
                done = service.export_calendar(target, first, last, alarm_minutes=alarm)
                count, more = done.events, done.describe().partition(";")[2]
            else:
                count, more = service.export_history(target, first, last), ""
                # beside it: how things are going, one row per value
                extra = measurements_path(Path(target))
                also = (f" and {service.export_measurements(extra, first, last)} "
                        f"measurements to {extra}")
        except NotSaved as exc:  # the calendar notes what it sent in the records
            print(exc.sentence(f"{target} was not written"), file=sys.stderr)
            return 1
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        except OSError as exc:
            print(_not_written(target, exc), file=sys.stderr)
            return 1
        print(f"Wrote {count} {what} ({first.isoformat()} to {last.isoformat()}) to {target}"
              + also + (f" ({more.strip()})" if more else ""))
        return 0
    finally:
        core.close()
