"""The calendar (.ics) and dose history (CSV) exports, read back with real parsers."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from medicine_builders import D0, NEW_YORK, T8, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.exports import (
    HISTORY_TITLES,
    TIME_COLUMNS,
    dose_history_rows,
    history_csv,
    history_titles,
    spreadsheet_safe,
)
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.patient import Caregiver, Patient
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    DailyRegimen,
    DoseStep,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.printing import PrintService
from caregiver_app.storage.calendar_exports_repo import CalendarExportRepository
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

SPRING = date(2026, 3, 8)  # clocks go forward in New York


@pytest.fixture
def home(fresh_db, fake_clock, qapp):
    patients = PatientRepository(fresh_db)
    patients.save(Patient("Jane Q Public", time_zone="America/New_York"))
    [tom] = patients.save_caregivers([Caregiver("Tom Example", "TE")])
    fake_clock.set(at(D0, 12))
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: tom.id, zone=lambda: NEW_YORK)
    team = CareTeam(CareTeamRepository(fresh_db), region="US")
    return SimpleNamespace(book=book, team=team, clock=fake_clock, tom=tom, db=fresh_db,
                           service=PrintService(book, patients, clock=fake_clock,
                                                care_team=team,
                                                calendar_log=CalendarExportRepository(
                                                    fresh_db)))


def _add(home, regimen, **kwargs):
    return home.book.add_medicine(medicine(regimen, id=None, **kwargs))


def _read_ics(path):
    from icalendar import Calendar

    return Calendar.from_ical(path.read_bytes())


def test_calendar_has_every_dose_the_engine_has_at_the_same_instant(home, tmp_path):
    start = D0 - timedelta(days=20)
    _add(home, DailyRegimen(D0, (time(2, 30), time(20))), generic_name="night med")
    cycle = _add(home, CycleRegimen(start, (time(7),)), generic_name="edaravone", start=start,
                 versions=(version(CycleRegimen(start, (time(7),)), valid_from=start),))
    home.book.shift_cycle(cycle.id, D0 + timedelta(days=12), 2, reason="clinic ran late")
    _add(home, StepsRegimen((
        DoseStep(D0, Dose(1, "tablet"), (T8,), D0 + timedelta(days=13)),
        DoseStep(D0 + timedelta(days=14), Dose(2, "tablet"), (T8, time(20))),
    )), generic_name="baclofen")
    _add(home, LoadingRegimen(D0 + timedelta(days=3), time(9)), generic_name="tofersen",
         given_by=GivenBy.CLINIC)
    _add(home, WeekdaysRegimen(D0, frozenset({0, 3}), (time(10),)), generic_name="vitamin")
    _add(home, AsNeededRegimen(D0, timedelta(hours=4), 3), generic_name="prn",
         purpose="Drooling")
    first, last = D0, SPRING + timedelta(days=7)  # two months, across the DST change
    path = tmp_path / "doses.ics"
    count = home.service.export_calendar(path, first, last, alarm_minutes=10).events

    expected = sorted((s.medicine.name, s.occurrence.due)
                      for s in home.book.statuses(first, last))
    events = _read_ics(path).walk("VEVENT")
    found = sorted((str(e["SUMMARY"]).split(":")[0], e.decoded("DTSTART").astimezone(UTC))
                   for e in events)
    assert found == expected and count == len(expected) == len(events)
    assert len({str(e["UID"]) for e in events}) == len(events)  # one UID per dose
    assert all("RRULE" not in e and "RDATE" not in e for e in events)  # explicit dates only
    # The DST night: the 02:30 dose is due once, at 03:00 EDT = 07:00 UTC.
    spring = [e for e in events if str(e["SUMMARY"]).startswith("night med")
              and e.decoded("DTSTART").astimezone(NEW_YORK).date() == SPRING
              and e.decoded("DTSTART").astimezone(NEW_YORK).hour < 12]
    assert [e.decoded("DTSTART").astimezone(UTC).hour for e in spring] == [7]
    # Dose steps keep their own amounts; the clinic dose says where it is given.
    summaries = {str(e["SUMMARY"]) for e in events}
    assert {"baclofen: 1 tablet", "baclofen: 2 tablets",
            "tofersen: 1 tablet (at the clinic)"} <= summaries
    for event in events:
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
    edaravone = sorted(e.decoded("DTSTART") for e in events
                       if str(e["SUMMARY"]).startswith("edaravone"))
    assert len(edaravone) == len([1 for s in home.book.statuses(first, last)
                                  if s.medicine.id == cycle.id])


def test_calendar_adds_appointments_but_not_clinic_doses_twice(home, tmp_path):
    _add(home, LoadingRegimen(D0 + timedelta(days=1), time(9)), generic_name="tofersen",
         given_by=GivenBy.CLINIC)
    visit = home.team.save_appointment(Appointment(
        starts_at=at(D0 + timedelta(days=2), 10, 30), purpose="ALS clinic visit",
        time_zone="America/New_York", place="Lakeside clinic, 2nd floor"))
    path = tmp_path / "all.ics"
    assert home.service.export_calendar(path, D0, D0 + timedelta(days=6)).events == 2
    events = {str(e["SUMMARY"]): e for e in _read_ics(path).walk("VEVENT")}
    assert set(events) == {"tofersen: 1 tablet (at the clinic)", "ALS clinic visit"}
    appointment = events["ALS clinic visit"]
    assert appointment.decoded("DTSTART").astimezone(UTC) == visit.starts_at
    assert str(appointment["LOCATION"]) == "Lakeside clinic, 2nd floor"
    assert appointment.walk("VALARM")


def test_calendar_period_must_make_sense(home, tmp_path):
    with pytest.raises(ValueError, match="before its start"):
        home.service.export_calendar(tmp_path / "x.ics", D0, D0 - timedelta(days=1))
    with pytest.raises(ValueError, match="at most"):
        home.service.export_calendar(tmp_path / "x.ics", D0, D0 + timedelta(days=400))
    assert not (tmp_path / "x.ics").exists()


def test_history_csv_has_one_row_per_due_dose_then_other_doses(home, tmp_path):
    riluzole = _add(home, DailyRegimen(D0 - timedelta(days=1), (T8, time(20))),
                    start=D0 - timedelta(days=1),
                    versions=(version(DailyRegimen(D0 - timedelta(days=1), (T8, time(20))),
                                      valid_from=D0 - timedelta(days=1)),))
    prn = _add(home, AsNeededRegimen(D0, timedelta(hours=4), 3), generic_name="glyco",
               purpose="Drooling")
    yesterday = D0 - timedelta(days=1)
    home.book.record_given(riluzole.id, f"{yesterday.isoformat()}T08:00",
                           given_at=at(yesterday, 8, 40), note="with water")
    home.book.record_skipped(riluzole.id, f"{yesterday.isoformat()}T20:00",
                             SkipReason.ASLEEP)
    home.book.record_prn(prn.id, given_at=at(D0, 10), note="=SUM(A1)")
    path = tmp_path / "history.csv"
    assert home.service.export_history(path, yesterday, D0) == 5
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # The time columns name the patient's zone; the other titles are as they were.
    zone = "America/New_York"
    assert list(rows[0]) == [f"{HISTORY_TITLES[c]} ({zone})" if c in TIME_COLUMNS
                             else HISTORY_TITLES[c] for c in HISTORY_TITLES]
    due, given_at = f"Due ({zone})", f"Given at ({zone})"
    # Local date and time, with the UTC offset beside (New York in January: -05:00).
    assert [(r[due], r["Due UTC offset"], r["Medicine"], r["State"]) for r in rows] == [
        (f"{yesterday.isoformat()} 08:00", "UTC-05:00", "riluzole", "given"),
        (f"{yesterday.isoformat()} 20:00", "UTC-05:00", "riluzole", "not given"),
        (f"{D0.isoformat()} 08:00", "UTC-05:00", "riluzole", "missed"),
        (f"{D0.isoformat()} 20:00", "UTC-05:00", "riluzole", "due"),
        ("", "", "glyco", "given"),
    ]
    given, skipped, _, _, extra = rows
    assert (given[given_at], given["Given at UTC offset"], given["Given by"], given["Note"],
            given["Timing"]) == (f"{yesterday.isoformat()} 08:40", "UTC-05:00",
                                 "Tom Example (TE)", "with water", "on time")
    assert given["Dose"] == "1 tablet" and given["Route"] == "by mouth"
    assert skipped["Reason"] == "asleep" and skipped[given_at] == ""
    assert skipped["Given at UTC offset"] == ""
    assert extra["Kind"] == "as needed" and extra[given_at] == f"{D0.isoformat()} 10:00"
    assert extra["Note"] == "'=SUM(A1)"  # a spreadsheet shows it, never runs it


@pytest.mark.parametrize(("note", "written"), [
    ("-5 mL spilled", "-5 mL spilled"),  # words after a sign: read as written
    ("+1 tablet after lunch", "+1 tablet after lunch"),
    ("- see the nurse's note", "- see the nurse's note"),
    ("=1+1", "'=1+1"), ("@SUM(A1:A9)", "'@SUM(A1:A9)"), ("-2+3", "'-2+3"),
    ("+A1", "'+A1"), ("-SUM(A1)", "'-SUM(A1)"), ("\t=1", "'\t=1"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"), ("plain", "plain"), ("", ""),
])
def test_only_what_a_spreadsheet_would_run_is_guarded(note, written):
    assert spreadsheet_safe(note) == written


def test_history_csv_text_escapes_commas_quotes_and_line_breaks():
    text = history_csv([{"medicine": 'a, "b"', "note": "line one\nline two"}])
    [row] = list(csv.DictReader(text.splitlines(keepends=True)))
    assert row["Medicine"] == 'a, "b"' and row["Note"] == "line one\nline two"


def test_history_csv_tells_the_repeated_hour_at_the_fall_back_change_apart(home, tmp_path):
    fall = date(2026, 11, 1)  # New York: 01:00-02:00 happens twice
    prn = _add(home, AsNeededRegimen(fall, timedelta(minutes=30), 6), generic_name="glyco",
               purpose="Drooling",
               start=fall, versions=(version(AsNeededRegimen(fall, timedelta(minutes=30), 6),
                                             valid_from=fall),))
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT (-04:00)
    second = first + timedelta(hours=1)  # 01:30 EST (-05:00)
    home.clock.set(second + timedelta(hours=2))
    home.book.record_prn(prn.id, given_at=first, note="first")
    home.book.record_prn(prn.id, given_at=second, note="second")
    path = tmp_path / "fall.csv"
    home.service.export_history(path, fall, fall)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    column = "Given at (America/New_York)"
    assert [(r["Note"], r[column], r["Given at UTC offset"]) for r in rows] == [
        ("first", "2026-11-01 01:30", "UTC-04:00"), ("second", "2026-11-01 01:30", "UTC-05:00")]


def test_history_titles_name_the_zone_only_when_known():
    assert history_titles()[0] == "Due" and history_titles(NEW_YORK)[0] == (
        "Due (America/New_York)")
    assert dose_history_rows([], {}, NEW_YORK) == []


@pytest.mark.parametrize("minutes", [-5, 241, 1000])
def test_calendar_reminder_must_be_0_to_240_minutes(home, tmp_path, minutes):
    _add(home, DailyRegimen(D0, (T8,)))
    with pytest.raises(ValueError, match="0 to 240 minutes"):
        home.service.export_calendar(tmp_path / "x.ics", D0, D0, alarm_minutes=minutes)
    assert not (tmp_path / "x.ics").exists()
    done = home.service.export_calendar(tmp_path / "ok.ics", D0, D0, alarm_minutes=240)
    assert done.events == 1


@pytest.mark.posix_only("umask and exact st_mode bits")
def test_exports_are_readable_by_the_owner_only_whatever_the_umask(home, tmp_path):
    """A calendar or dose history is health information: 0600 even when the program that
    asked (a scheduled job, say) runs with a permissive umask."""
    import os

    old = os.umask(0o022)
    try:
        home.service.export_history(tmp_path / "h.csv", D0, D0)
        home.service.export_calendar(tmp_path / "d.ics", D0, D0)
    finally:
        os.umask(old)
    for name in ("h.csv", "d.ics"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
