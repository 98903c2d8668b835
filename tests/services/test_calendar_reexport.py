"""Calendar files exported again after a change leave a phone's calendar right.

A phone is played by ``PhoneCalendar``: icalendar parses each file, the phone keeps one
event per UID and takes a newer copy as RFC 5546 §2.1.5 says (a higher SEQUENCE, or the
same one), drops what is cancelled, and recurring-ical-events lists what it holds in a
period. None of that is the app's code. After each import, what the phone would ring for
must be exactly the schedule: the same medicines at the same instants, nothing more.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import recurring_ical_events
from icalendar import Calendar
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.patient import Caregiver, Patient
from caregiver_app.domain.regimens import CycleRegimen, DailyRegimen
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.printing import PrintService
from caregiver_app.storage.calendar_exports_repo import CalendarExportRepository
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository


class PhoneCalendar:
    """A calendar app that imports .ics files one after the other."""

    def __init__(self):
        self.held: dict[str, tuple[int, object]] = {}
        self.imported = 0

    def apply(self, data: bytes) -> None:
        for event in Calendar.from_ical(data).walk("VEVENT"):
            uid, sequence = str(event["UID"]), int(event.get("SEQUENCE", 0))
            if uid in self.held and sequence < self.held[uid][0]:
                continue  # an older copy never replaces a newer one
            self.held[uid] = (sequence, event)
        self.imported += 1

    def events(self, start: datetime, end: datetime):
        calendar = Calendar()
        for _, event in self.held.values():
            if str(event.get("STATUS", "")).upper() != "CANCELLED":
                calendar.add_component(event)
        return recurring_ical_events.of(calendar).between(start, end)

    def rings(self, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
        """(what, when) of every alarm of the events it shows in ``[start, end)``."""
        found = []
        for event in self.events(start, end):
            begin = event.decoded("DTSTART").astimezone(UTC)
            for alarm in event.walk("VALARM"):
                found.append((str(event["SUMMARY"]).split(":")[0],
                              begin + alarm.decoded("TRIGGER")))
        return sorted(found)


def _household(db, clock):
    patients = PatientRepository(db)
    if patients.get() is None:
        patients.save(Patient("Jane Q Public", time_zone="America/New_York"))
        patients.save_caregivers([Caregiver("Tom Example", "TE")])
    book = MedicationBook(MedicationRepository(db), clock=clock, on_duty=lambda: None,
                          zone=lambda: NEW_YORK)
    team = CareTeam(CareTeamRepository(db), region="US")
    service = PrintService(book, patients, clock=clock, care_team=team,
                           calendar_log=CalendarExportRepository(db))
    return SimpleNamespace(book=book, team=team, service=service, db=db)


@pytest.fixture
def home(fresh_db, fake_clock, qapp):
    fake_clock.set(at(D0, 12))
    found = _household(fresh_db, fake_clock)
    found.clock = fake_clock
    start = D0 - timedelta(days=20)
    found.riluzole = found.book.add_medicine(medicine(
        DailyRegimen(start, (T8, T20)), id=None, start=start,
        versions=(version(DailyRegimen(start, (T8, T20)), valid_from=start),)))
    found.edaravone = found.book.add_medicine(medicine(
        CycleRegimen(start, (time(7),)), id=None, generic_name="edaravone", start=start,
        versions=(version(CycleRegimen(start, (time(7),)), valid_from=start),)))
    found.baclofen = found.book.add_medicine(medicine(
        DailyRegimen(D0, (time(13),)), id=None, generic_name="baclofen"))
    return found


def _expected(home, first, last) -> list[tuple[str, datetime]]:
    return sorted((s.medicine.name, s.occurrence.due) for s in home.book.statuses(first, last))


def _span(first, last):
    return day_bounds(first, NEW_YORK)[0], day_bounds(last, NEW_YORK)[1]


def _move_riluzole(home, from_day):
    """Riluzole moves from 08:00 and 20:00 to 09:00 and 21:00 from ``from_day`` on."""
    later = DailyRegimen(home.riluzole.versions[0].regimen.start, (time(9), time(21)))
    home.book.change_version(home.riluzole.id, version(later, valid_from=from_day))


def test_a_re_export_after_changes_moves_and_cancels_on_the_phone(home, tmp_path):
    """The issue's household: an edaravone delay and riluzole moved an hour later. A
    phone that imported both files rings once for each dose, at the new times, and
    never on the held days."""
    path = tmp_path / "medicine-times.ics"
    first, last = D0, D0 + timedelta(days=29)
    done = home.service.export_calendar(path, first, last, alarm_minutes=0)
    phone = PhoneCalendar()
    phone.apply(path.read_bytes())
    before = _expected(home, first, last)
    assert phone.rings(*_span(first, last)) == before and done.events == len(before)

    _move_riluzole(home, D0 + timedelta(days=2))
    next_cycle = min(s.occurrence.local.date() for s in home.book.statuses(first, last)
                     if s.medicine.id == home.edaravone.id and s.occurrence.local.date() > D0)
    home.book.shift_cycle(home.edaravone.id, next_cycle, 3, reason="clinic ran late")
    home.book.stop(home.baclofen.id, "side effects", at=at(D0 + timedelta(days=10), 0))
    after = _expected(home, first, last)
    assert after != before

    done = home.service.export_calendar(path, first, last, alarm_minutes=0)
    phone.apply(path.read_bytes())
    rings = phone.rings(*_span(first, last))
    assert rings == after
    assert not [r for r in rings if r[0] == "riluzole" and r[1] >= at(D0 + timedelta(days=2))
                and r[1].astimezone(NEW_YORK).hour in (8, 20)]
    assert not [r for r in rings if r[0] == "baclofen" and r[1] >= at(D0 + timedelta(days=10))]
    # What disappeared was sent as cancelled: the held edaravone days and baclofen.
    gone = {uid for uid in phone.held if str(phone.held[uid][1].get("STATUS")) == "CANCELLED"}
    assert done.cancelled == len(gone) >= 20 - 1
    assert done.events == len(after) and done.changed >= 2 * 25  # riluzole, edaravone
    assert f"{done.changed} sent earlier have changed" in done.describe()
    # A moved dose is the same event with a higher SEQUENCE, not a new one.
    riluzole = [e for _, e in phone.held.values()
                if str(e["SUMMARY"]).startswith("riluzole")
                and e.decoded("DTSTART").astimezone(NEW_YORK).date() == D0 + timedelta(days=5)]
    assert [(e.decoded("DTSTART").astimezone(NEW_YORK).hour, int(e["SEQUENCE"]))
            for e in sorted(riluzole, key=lambda e: e.decoded("DTSTART"))] == [(9, 1), (21, 1)]


def test_exporting_again_without_a_change_keeps_every_sequence(home, tmp_path):
    path = tmp_path / "doses.ics"
    home.service.export_calendar(path, D0, D0 + timedelta(days=13))
    first = {str(e["UID"]): int(e["SEQUENCE"]) for e in
             Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    home.clock.advance(minutes=30)
    done = home.service.export_calendar(path, D0, D0 + timedelta(days=13))
    again = {str(e["UID"]): int(e["SEQUENCE"]) for e in
             Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    assert again == first and set(first.values()) == {0}
    assert done.cancelled == 0 and done.later == 0 and done.changed == 0
    assert done.describe() == f"Exported {len(first)} events"


def test_a_phone_that_missed_a_file_is_right_after_the_next_one(home, tmp_path):
    path = tmp_path / "doses.ics"
    first, last = D0, D0 + timedelta(days=20)
    phone = PhoneCalendar()
    home.service.export_calendar(path, first, last)
    phone.apply(path.read_bytes())
    home.book.stop(home.baclofen.id, "no longer needed", at=at(D0 + timedelta(days=3), 0))
    home.service.export_calendar(path, first, last)  # this one never reaches the phone
    _move_riluzole(home, D0 + timedelta(days=6))
    home.service.export_calendar(path, first, last)
    phone.apply(path.read_bytes())
    assert phone.rings(*_span(first, last)) == _expected(home, first, last)


def test_a_shorter_re_export_still_corrects_the_later_days_sent_before(home, tmp_path):
    """A month was sent; the next export asks for one week. Baclofen stopped in week 3
    must not keep ringing there."""
    path = tmp_path / "doses.ics"
    phone = PhoneCalendar()
    home.service.export_calendar(path, D0, D0 + timedelta(days=29))
    phone.apply(path.read_bytes())
    home.book.stop(home.baclofen.id, "no longer needed", at=at(D0 + timedelta(days=14), 0))
    _move_riluzole(home, D0 + timedelta(days=20))
    done = home.service.export_calendar(path, D0, D0 + timedelta(days=6))
    phone.apply(path.read_bytes())
    assert phone.rings(*_span(D0, D0 + timedelta(days=29))) == _expected(
        home, D0, D0 + timedelta(days=29))
    assert done.events == len(_expected(home, D0, D0 + timedelta(days=6)))
    assert done.cancelled == 16 and done.later > 0


def test_past_events_are_left_as_they_were(home, tmp_path):
    path = tmp_path / "doses.ics"
    home.service.export_calendar(path, D0, D0 + timedelta(days=9))
    home.clock.set(at(D0 + timedelta(days=5), 12))
    home.book.stop(home.baclofen.id, "no longer needed", at=at(D0 + timedelta(days=1), 0))
    done = home.service.export_calendar(path, D0 + timedelta(days=5), D0 + timedelta(days=9))
    # days 1-4 are in the past: their baclofen events stay as the phone has them
    cancelled = [e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")
                 if str(e["STATUS"]) == "CANCELLED"]
    assert done.cancelled == len(cancelled) == 5
    assert all(e.decoded("DTSTART") >= at(D0 + timedelta(days=5)) for e in cancelled)
    assert all(not e.walk("VALARM") and str(e["SUMMARY"]).startswith("Cancelled: baclofen")
               for e in cancelled)


def test_a_moved_or_removed_appointment_updates_the_same_event(home, tmp_path):
    visit = home.team.save_appointment(Appointment(
        starts_at=at(D0 + timedelta(days=2), 10, 30), purpose="ALS clinic visit",
        time_zone="America/New_York"))
    dentist = home.team.save_appointment(Appointment(
        starts_at=at(D0 + timedelta(days=3), 9), purpose="Dentist",
        time_zone="America/New_York"))
    path = tmp_path / "doses.ics"
    phone = PhoneCalendar()
    home.service.export_calendar(path, D0, D0 + timedelta(days=6))
    phone.apply(path.read_bytes())
    home.team.save_appointment(replace(visit, starts_at=at(D0 + timedelta(days=4), 14)))
    home.team.remove_appointment(dentist.id)
    home.service.export_calendar(path, D0, D0 + timedelta(days=6))
    phone.apply(path.read_bytes())
    shown = [(str(e["SUMMARY"]), e.decoded("DTSTART").astimezone(UTC))
             for e in phone.events(*_span(D0, D0 + timedelta(days=6)))
             if "Appointments" in str(e.get("CATEGORIES").to_ical())]
    assert shown == [("ALS clinic visit", at(D0 + timedelta(days=4), 14))]


def test_two_households_share_no_uid(home, tmp_path, data_dir, fake_clock):
    from caregiver_app.storage.db import open_database

    other_db = open_database(data_dir / "other.sqlite3")
    try:
        other = _household(other_db, fake_clock)
        other.book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))
        home.service.export_calendar(tmp_path / "a.ics", D0, D0 + timedelta(days=6))
        other.service.export_calendar(tmp_path / "b.ics", D0, D0 + timedelta(days=6))
    finally:
        other_db.close()
    uids = [{str(e["UID"]) for e in Calendar.from_ical((tmp_path / n).read_bytes())
             .walk("VEVENT")} for n in ("a.ics", "b.ics")]
    assert uids[0] and uids[1] and not uids[0] & uids[1]


def test_another_file_gets_every_event_of_its_period_with_current_sequences(home, tmp_path):
    """Exporting to a second file: the same UIDs, and SEQUENCE values that never go
    back (a phone that imported the first file takes the second's copies)."""
    home.service.export_calendar(tmp_path / "a.ics", D0, D0 + timedelta(days=6))
    _move_riluzole(home, D0 + timedelta(days=1))
    home.service.export_calendar(tmp_path / "b.ics", D0, D0 + timedelta(days=6))
    phone = PhoneCalendar()
    for name in ("a.ics", "b.ics"):
        phone.apply((tmp_path / name).read_bytes())
    assert phone.rings(*_span(D0, D0 + timedelta(days=6))) == _expected(
        home, D0, D0 + timedelta(days=6))


def test_nothing_is_noted_as_sent_when_the_file_cannot_be_written(home, tmp_path):
    target = tmp_path / "no-such-folder" / "doses.ics"
    with pytest.raises(OSError):
        home.service.export_calendar(target, D0, D0 + timedelta(days=6))
    assert home.db.execute("SELECT count(*) FROM calendar_exports").fetchone()[0] == 0
    assert home.service.calendar_target() is None
    home.service.export_calendar(tmp_path / "doses.ics", D0, D0)
    assert home.service.calendar_target() == (tmp_path / "doses.ics").resolve()


def test_on_read_only_records_the_calendar_is_refused_saying_why(home, tmp_path, data_dir,
                                                                fake_clock):
    """What a file was sent must be noted for the next export to cancel what goes: with
    the records read-only (a full disk) the export is refused, not written unnoted."""
    from caregiver_app.domain.errors import NotSaved
    from caregiver_app.storage.db import open_database, open_read_only

    path = data_dir / "full.sqlite3"
    writable = open_database(path)
    _household(writable, fake_clock).book.add_medicine(
        medicine(DailyRegimen(D0, (T8,)), id=None))
    writable.close()
    db = open_read_only(path)
    try:
        with pytest.raises(NotSaved) as info:
            _household(db, fake_clock).service.export_calendar(tmp_path / "x.ics", D0, D0)
    finally:
        db.close()
    assert not (tmp_path / "x.ics").exists()
    assert "was not written, because the records are open read-only" in info.value.sentence(
        "The file was not written")
