"""The clinic-visit summary, read back from the PDF: what the clinic asks, on one or two
pages, for the period since the last clinic visit (or the day asked for)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caregiver_app import app
from caregiver_app.core import open_core
from caregiver_app.domain.going import Entry, Measure
from caregiver_app.domain.paper import Table
from caregiver_app.domain.patient import WeightUnit
from caregiver_app.domain.printouts import PrintContext
from caregiver_app.domain.visit_summary import VisitData, visit_summary
from caregiver_app.services.demo import populate_example


def _pages(path) -> list[str]:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_
    pages = [document.getAllText(i).text() for i in range(document.pageCount())]
    document.close()
    return pages


@pytest.fixture
def example(qapp, data_dir, fake_clock):
    core = open_core(data_dir, fake_clock)
    populate_example(core.db, today=core.local_today(), time_zone="America/Chicago",
                     now=fake_clock.now())
    yield core
    core.close()


def test_the_summary_says_what_the_clinic_asks(example, tmp_path):
    out = tmp_path / "visit.pdf"
    pages = example.printing.save_pdf("visit", None, out)
    assert 1 <= pages <= 2
    text = " ".join(" ".join(_pages(out)).split())
    today = example.local_today()
    for expected in ("Clinic visit summary", "Margaret (Maggie) Example",
                     "ALLERGIES: Penicillin", "Our questions for this visit",
                     "Can riluzole come as a liquid", "Weight: 58.",
                     "since the usual weight before the illness -5.",
                     "Everyday function (ALSFRS-R areas, answered at home)",
                     "points a month lower", "Symptoms (daily check)",
                     "Cramps", "Breathless lying flat", "Breathing numbers",
                     "As-needed doses, per week", "glycopyrrolate", "better 2, same 1",
                     "Medicine changes", "How the scheduled doses went", "refused 1",
                     "who decide what these numbers mean"):
        assert expected in text, expected
    # the period: since the last clinic visit, to today
    assert f"{today.day} {today:%b %Y}" in text
    assert " 1 days" not in text and " 1 times" not in text  # (was "typically 1 days")
    assert "typically 1 day" in text


def test_a_period_asked_for_leaves_out_what_is_outside_it(example, tmp_path):
    going = example.going
    today = example.local_today()
    going.record(Entry(Measure.CLINIC, today - timedelta(days=3),
                       {"fvc_percent": 58.0, "snip": 41.0}, note="Spirometry at home visit"))
    out = tmp_path / "visit.pdf"
    example.printing.save_pdf("visit", today - timedelta(days=10), out)
    text = " ".join(" ".join(_pages(out)).split())
    assert "Spirometry at home visit" in text and "58%" in text
    assert "From the clinic letter" not in text  # 60 and 150 days ago: before the period
    assert "The daily check was not filled in" not in text


def test_an_empty_household_prints_a_summary_that_says_so(qapp, data_dir, fake_clock, tmp_path):
    core = open_core(data_dir, fake_clock)
    try:
        out = tmp_path / "visit.pdf"
        assert core.printing.save_pdf("visit", None, out) == 1
        text = " ".join(" ".join(_pages(out)).split())
    finally:
        core.close()
    for expected in ("Weight: not recorded.", "Everyday function was not recorded",
                     "The daily check was not filled in", "No breathing numbers",
                     "No as-needed doses", "none written on the appointment"):
        assert expected in text, expected


def test_the_document_counts_doses_per_week_and_their_effect():
    first, last = date(2026, 11, 2), date(2026, 11, 29)
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from caregiver_app.domain.visit_summary import AsNeededDose

    doses = [AsNeededDose("glycopyrrolate", date(2026, 11, d), i)
             for i, d in enumerate((3, 4, 9, 10, 11), start=1)]
    effects = [Entry(Measure.EFFECT, date(2026, 11, 3), {"dose_entry_id": 1,
                                                          "effect": "better"}, id=1),
               Entry(Measure.EFFECT, date(2026, 11, 9), {"dose_entry_id": 3,
                                                          "effect": "worse"}, id=2)]
    data = VisitData(first=first, last=last, unit=WeightUnit.LB, as_needed=doses,
                     entries={Measure.EFFECT: effects})
    context = PrintContext(patient=None, zone=ZoneInfo("UTC"),
                           printed_at=datetime(2026, 11, 29, 12, tzinfo=UTC))
    document = visit_summary(data, context)
    table = next(b for b in document.sections[0].blocks
                 if getattr(b, "title", "") == "As-needed doses, per week")
    assert isinstance(table, Table)
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["glycopyrrolate", "from 2 Nov 2026", "2", "better 1"],
        ["glycopyrrolate", "from 9 Nov 2026", "3", "worse 1"]]


def test_print_visit_on_the_command_line(qapp, tmp_path, capsys):
    data = tmp_path / "data"
    out = tmp_path / "visit.pdf"
    code = app.main(["--data-dir", str(data), "--demo", "print", "visit", "--since",
                     "2026-01-01", "--pdf", str(out)])
    assert code == 0, capsys.readouterr().err
    text = " ".join(_pages(out))
    assert "Clinic visit summary" in text and "1 Jan 2026 to" in text
    assert "Wrote" in capsys.readouterr().out


def test_export_csv_writes_the_measurements_beside_the_dose_history(qapp, tmp_path, capsys):
    import csv

    data = tmp_path / "data"
    out = tmp_path / "history.csv"
    code = app.main(["--data-dir", str(data), "--demo", "export", "--csv", str(out)])
    assert code == 0, capsys.readouterr().err
    extra = tmp_path / "history-measurements.csv"
    said = capsys.readouterr().out
    assert f"measurements to {extra}" in said
    with extra.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = {r["Record"] for r in rows}
    assert {"Weight", "Daily symptom check", "Did the as-needed dose help?"} <= records
    weights = [r for r in rows if r["What"] == "Weight"]
    assert weights and all(r["Unit"] == "kg" and float(r["Value"]) > 50 for r in weights)
    assert len(rows) == int(said.split(" and ")[1].split()[0])
    days = [r["Day"] for r in rows]
    assert days == sorted(days)


def test_the_as_needed_log_prints_whether_each_dose_helped(example, tmp_path):
    # the example gave glycopyrrolate twice two days ago; both were answered
    day = example.local_today() - timedelta(days=2)
    out = tmp_path / "checklist.pdf"
    example.printing.save_pdf("checklist", day, out)
    text = " ".join(" ".join(_pages(out)).split())
    assert "Effect (check later)" in text
    assert "Drooling a lot" in text
    assert "Better" in text and "Same" in text


def test_the_period_starts_at_the_last_clinic_visit_or_says_why_not():
    from caregiver_app.domain.visit_summary import DEFAULT_DAYS, visit_period

    today = date(2026, 11, 25)
    visits = [date(2026, 6, 1), date(2026, 9, 8), today, date(2027, 2, 1)]
    found = visit_period(visits, today)
    assert (found.first, found.last) == (date(2026, 9, 8), today)
    assert found.text == "since the last clinic visit, 8 Sep 2026"
    none = visit_period([today, date(2027, 2, 1)], today)  # only the visit it is for
    assert none.first == today - timedelta(days=DEFAULT_DAYS)
    assert none.text == ("the last 90 days (no earlier clinic visit is on the Care team "
                         "tab)")
    chosen = visit_period(visits, today, since=date(2026, 11, 1))
    assert (chosen.first, chosen.text) == (date(2026, 11, 1), "from 1 Nov 2026, as chosen")


def test_with_a_height_the_summary_shows_bmi_and_each_medicines_answers(example, tmp_path):
    from dataclasses import replace

    patient = example.patients.get()
    example.patients.save(replace(patient, height_cm=165.0))
    out = tmp_path / "visit.pdf"
    example.printing.save_pdf("visit", None, out)
    text = " ".join(" ".join(_pages(out)).split())
    assert "BMI 2" in text or "BMI 1" in text
    period = example.printing.visit_period()
    assert f"Period: {period.text}." in text and "since the last clinic visit" in period.text
    assert ("Over the whole period: glycopyrrolate: 4 doses; better 3, same 1, worse 0."
            in text)


def test_the_summary_reads_no_dose_records_for_its_medicine_changes(example, tmp_path,
                                                                      monkeypatch):
    """Its medicine changes are changes and pauses: neither each medicine's years of
    dose records nor which phone ticked them (a chunked query per medicine) are read
    for them."""
    from caregiver_app.storage.medications_repo import MedicationRepository

    asked = []
    for name in ("dose_sources", "also_ticked", "entries_of"):
        monkeypatch.setattr(MedicationRepository, name,
                            lambda self, ids, name=name: asked.append(name) or {})
    out = tmp_path / "visit.pdf"
    example.printing.save_pdf("visit", None, out)
    text = " ".join(" ".join(_pages(out)).split())
    assert "Medicine changes" in text
    assert asked == []
