"""`caregiver-app print …` and `export --ics / --csv`, as typed in a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from caregiver_app import app, cli, core
from caregiver_app.printing_commands import PrinterError, date_arg, resolve_printer, run_print

ROOT = Path(__file__).resolve().parent.parent


def _pages(path: Path) -> list[str]:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_
    pages = [document.getAllText(i).text() for i in range(document.pageCount())]
    document.close()
    return pages


def test_print_commands_write_pdfs_of_the_example_household(qapp, tmp_path, capsys):
    data = tmp_path / "data"
    for kind, extra, title in (("checklist", ["--days", "2"], "Daily medication checklist"),
                               ("week", [], "Weekly medication record"),
                               ("medlist", [], "Medicine list"),
                               ("careteam", ["--paper", "a4"], "Care team"),
                               ("emergency", [], "Emergency information")):
        out = tmp_path / f"{kind}.pdf"
        code = app.main(["--data-dir", str(data), "--demo", "print", kind, *extra,
                         "--pdf", str(out)])
        assert code == 0, capsys.readouterr().err
        pages = _pages(out)
        assert pages and all(title in p for p in pages)
        assert all("Margaret (Maggie) Example" in p for p in pages)
        assert f"Wrote {len(pages)} page" in capsys.readouterr().out
    checklist = " ".join(_pages(tmp_path / "checklist.pdf"))
    days = set(re.findall(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d+ \w+ \d{4}",
                          checklist))
    assert len(days) == 2, days  # --days 2: two days, each on its own page(s)


def test_print_without_records_says_so(qapp, tmp_path, capsys):
    code = app.main(["--data-dir", str(tmp_path / "none"), "print", "medlist", "--pdf",
                     str(tmp_path / "x.pdf")])
    assert code == 1 and "There are no records" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_print_to_an_unwritable_file_fails_cleanly(qapp, tmp_path, capsys):
    code = app.main(["--data-dir", str(tmp_path / "d"), "--demo", "print", "medlist",
                     "--pdf", str(tmp_path / "no" / "such" / "x.pdf")])
    assert code == 1 and "Could not write" in capsys.readouterr().err


@pytest.mark.parametrize("argv, printer", [
    (["print", "week", "--printer"], ""),
    (["print", "week", "--printer", "Office laser"], "Office laser"),
    (["print", "week", "--pdf", "x.pdf"], None),
])
def test_printer_argument(argv, printer):
    args, rest = cli.parse_args(argv)
    assert not rest and args.printer == printer


def test_pdf_and_printer_cannot_both_be_given(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.parse_args(["print", "week", "--pdf", "x.pdf", "--printer"])
    assert stop.value.code == 2 and "not allowed with" in capsys.readouterr().err


def test_print_needs_pdf_or_printer(capsys):
    with pytest.raises(SystemExit):
        cli.parse_args(["print", "checklist"])
    assert "--pdf" in capsys.readouterr().err


@pytest.mark.parametrize("text, expected", [
    ("2026-12-01", date(2026, 12, 1)), ("today", "today"), ("Tomorrow", "tomorrow")])
def test_dates_on_the_command_line(text, expected):
    assert date_arg(text) == expected


def test_a_bad_date_is_explained(capsys):
    with pytest.raises(SystemExit):
        cli.parse_args(["print", "checklist", "--date", "1/12/2026", "--pdf", "x.pdf"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_resolve_printer_picks_default_or_named_one():
    available = ["Office laser", "Kitchen inkjet"]
    assert resolve_printer("", available, "Kitchen inkjet") == "Kitchen inkjet"
    assert resolve_printer("office LASER", available, "Kitchen inkjet") == "Office laser"
    with pytest.raises(PrinterError, match=r"no printer called 'Garage'.*Office laser"):
        resolve_printer("Garage", available, "Kitchen inkjet")
    with pytest.raises(PrinterError, match="no default printer"):
        resolve_printer("", available, "")
    with pytest.raises(PrinterError, match="No printer is set up"):
        resolve_printer("", [], "")


def test_print_to_a_missing_printer_stops_before_opening_anything(qapp, tmp_path, capsys):
    args, _ = cli.parse_args(["--data-dir", str(tmp_path / "d"), "print", "week",
                              "--printer", "Garage"])
    code = run_print(args, printers=lambda: (["Office laser"], "Office laser"))
    assert code == 1 and "no printer called 'Garage'" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


def test_export_formats_are_mutually_exclusive(capsys):
    with pytest.raises(SystemExit):
        cli.parse_args(["export", "--json", "a.json", "--csv", "b.csv"])
    assert "not allowed with" in capsys.readouterr().err
    args, _ = cli.parse_args(["export", "--json", "a.json", "--from", "2026-01-01"])
    assert args.func(args) == 2
    assert "--from and --to apply to --ics and --csv only" in capsys.readouterr().err


def test_export_ics_and_csv_for_a_period(qapp, tmp_path, capsys):
    data = str(tmp_path / "data")
    ics, history = tmp_path / "d.ics", tmp_path / "h.csv"
    assert app.main(["--data-dir", data, "--demo", "export", "--ics", str(ics),
                     "--from", "today", "--to", "tomorrow", "--alarm", "15"]) == 0
    assert "events" in capsys.readouterr().out
    from icalendar import Calendar

    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert events and all(e.walk("VALARM") for e in events)
    assert app.main(["--data-dir", data, "--demo", "export", "--csv", str(history)]) == 0
    lines = history.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Due (") and ",Medicine,Strength,Dose," in lines[0]
    assert len(lines) > 10
    assert app.main(["--data-dir", data, "--demo", "export", "--csv", str(history),
                     "--from", "2026-12-01", "--to", "2026-11-01"]) == 2
    assert "before its start" in capsys.readouterr().err


def test_print_runs_in_a_terminal_without_a_display(tmp_path):
    env = dict(os.environ)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "CAREGIVER_APP_DATA_DIR"):
        env.pop(name, None)
    out = tmp_path / "tomorrow.pdf"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "d"), "--demo",
         "print", "checklist", "--date", "tomorrow", "--pdf", str(out)],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("value", ["-5", "241", "ten"])
def test_export_alarm_must_be_0_to_240_minutes(value, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.parse_args(["export", "--ics", "x.ics", "--alarm", value])
    assert stop.value.code == 2 and "from 0 (at the dose time) to 240" in capsys.readouterr().err


def test_export_alarm_is_refused_with_csv(qapp, tmp_path, capsys):
    args, _ = cli.parse_args(["--data-dir", str(tmp_path / "d"), "export", "--csv",
                              str(tmp_path / "h.csv"), "--alarm", "10"])
    assert args.func(args) == 2
    assert "--alarm applies to --ics only" in capsys.readouterr().err
    assert not (tmp_path / "h.csv").exists() and not (tmp_path / "d").exists()
    args, _ = cli.parse_args(["export", "--ics", "x.ics"])
    assert args.alarm is None  # not given: a reminder at the dose time


def test_print_with_a_lost_records_file_points_at_the_backups(qapp, tmp_path, capsys):
    """A scheduled print job on a folder whose records file went missing (but whose
    backups are there) says so, instead of 'there are no records'."""
    import sqlite3

    from caregiver_app.storage import backup

    data = tmp_path / "data"
    assert app.main(["--data-dir", str(data), "--demo", "print", "medlist", "--pdf",
                     str(tmp_path / "first.pdf")]) == 0
    example = data.with_name(data.name + "-example")
    records = example / "caregiver.sqlite3"
    with sqlite3.connect(records) as conn:
        backup.make_backup(conn, example / "backups", "daily", datetime.now(UTC))
    records.unlink()
    capsys.readouterr()
    code = app.main(["--data-dir", str(example), "print", "medlist", "--pdf",
                     str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and "There are no records" not in err and "backup" in err
    assert not (tmp_path / "x.pdf").exists()


def test_print_reads_the_dose_timing_from_the_records(qapp, tmp_path):
    """The printed sheets judge doses by the household's timing, kept in the records
    (an old ui-settings.ini value is moved there on the way)."""
    from caregiver_app.printing_commands import open_core
    from caregiver_app.storage.db import open_database
    from caregiver_app.storage.household_repo import HouseholdRepository

    data = tmp_path / "data"
    open_database(data / "caregiver.sqlite3").close()
    (data / "ui-settings.ini").write_text("[doses]\non_time_minutes=30\n")
    args = cli.parse_args(["--data-dir", str(data), "print", "medlist", "--pdf",
                           str(tmp_path / "x.pdf")])[0]
    opened = open_core(args)
    assert opened is not None
    try:
        policy = opened.medications.policy
        assert (policy.home.late.seconds, policy.home.grace.seconds) == (1800, 7200)
    finally:
        opened.close()
    db = open_database(data / "caregiver.sqlite3")
    assert HouseholdRepository(db).get().dose_on_time_minutes == 30
    db.close()


@pytest.mark.parametrize("command", [["export", "--json", "records.json"],
                                     ["export", "--csv", "history.csv"],
                                     ["print", "medlist", "--pdf", "medicines.pdf"]])
def test_demo_means_the_example_household_for_every_command(qapp, tmp_path, capsys,
                                                            command):
    """On a fresh folder ``--demo`` makes the example household, whatever the command."""
    data = tmp_path / "fresh"
    argv = [a if not a.endswith((".json", ".csv", ".pdf")) else str(tmp_path / a)
            for a in command]
    assert app.main(["--data-dir", str(data), "--demo", *argv]) == 0, capsys.readouterr().err
    assert (tmp_path / command[-1]).stat().st_size > 0
    if command[-1].endswith(".json"):
        import json

        doc = json.loads((tmp_path / command[-1]).read_text())
        [patient] = doc["tables"]["patient"]
        assert patient["full_name"] == "Margaret (Maggie) Example"


def test_a_scheduled_job_without_a_locale_prints_a_us_household_on_letter(
        qapp, tmp_path, capsys, monkeypatch):
    """LANG=C names no country: the patient's country (from their time zone) decides."""
    from PySide6.QtCore import QLocale

    from caregiver_app.domain.paper import Paper
    from caregiver_app.printing_commands import paper_choice

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.C)))
    monkeypatch.setattr(core, "system_time_zone", lambda: "America/New_York")
    assert paper_choice(None, "US") is Paper.LETTER
    assert paper_choice(None, "GB") is Paper.A4
    assert paper_choice(None, None) is Paper.A4  # nothing says: A4
    assert paper_choice("a4", "US") is Paper.A4  # --paper wins
    out = tmp_path / "medlist.pdf"
    assert app.main(["--data-dir", str(tmp_path / "d"), "--demo", "print", "medlist",
                     "--pdf", str(out)]) == 0, capsys.readouterr().err
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    document.load(str(out))
    size = document.pagePointSize(0)
    document.close()
    assert (round(size.width()), round(size.height())) == (612, 792)  # Letter


# ---- Issue #12 item 4: dates outside 1900-2200 are refused, saying why


@pytest.mark.parametrize("argv", [
    ["print", "checklist", "--date", "9999-12-31", "--pdf", "x.pdf"],
    ["print", "week", "--date", "0001-01-01", "--pdf", "x.pdf"],
    ["print", "checklist", "--date", "0202-01-01", "--pdf", "x.pdf"],
    ["export", "--ics", "x.ics", "--from", "9999-12-31"],
    ["export", "--csv", "x.csv", "--to", "1899-12-31"],
])
def test_a_date_outside_the_records_range_is_refused_without_a_traceback(argv, capsys):
    with pytest.raises(SystemExit) as info:
        cli.build_parser().parse_args(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "outside the dates the app keeps: choose a day from 1900 to 2200" in err
    assert "Traceback" not in err


def test_a_period_running_past_2200_is_refused(qapp, tmp_path, capsys):
    out = tmp_path / "late.ics"
    code = app.main(["--data-dir", str(tmp_path / "d"), "--demo", "export", "--ics", str(out),
                     "--from", "2200-12-31"])
    assert code == 2 and not out.exists()
    assert "The period runs to 2201-01-29, outside the dates the app keeps" in \
        capsys.readouterr().err


def test_a_day_years_away_is_printed_with_a_note_to_check_the_year(qapp, tmp_path, capsys):
    out = tmp_path / "far.pdf"
    code = app.main(["--data-dir", str(tmp_path / "d"), "--demo", "print", "checklist",
                     "--date", "2199-06-01", "--pdf", str(out)])
    captured = capsys.readouterr()
    assert code == 0 and out.exists(), captured.err
    assert "Note: 2199-06-01 is about" in captured.err and "check the year" in captured.err
