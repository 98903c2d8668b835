"""The reminder service with a fake clock and a fake monotonic clock: one armed timer,
fires at the due time and not before, snoozes, stops when recorded, and turns a clock
jump or an app restart into one "while you were away" list. No sleeps: the tests move
the clocks and fire the timer's signal themselves after checking what it was armed for."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine

from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.reminders import ReminderSettings
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.reminders import ReminderService
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.reminders_repo import ReminderRepository


class Monotonic:
    """Seconds since start; moves only when a test says the computer was awake."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


class Recorder:
    def __init__(self, service: ReminderService):
        self.batches = []
        self.catch_ups = []
        service.reminders_due.connect(self.batches.append)
        service.catch_up_ready.connect(self.catch_ups.append)

    def dose_keys(self) -> list[list[str]]:
        return [[s.occurrence.key for s in b.doses] for b in self.batches]


@pytest.fixture
def book(fresh_db, fake_clock, qtbot):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1}])
    fake_clock.set(at(D0, 7))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock, on_duty=lambda: 1,
                          zone=lambda: NEW_YORK)


@pytest.fixture
def mono():
    return Monotonic()


@pytest.fixture
def make_service(book, fresh_db, fake_clock, mono):
    made = []

    def make(settings: ReminderSettings | None = None) -> ReminderService:
        settings = settings or ReminderSettings()
        service = ReminderService(book, ReminderRepository(fresh_db), clock=fake_clock,
                                  settings=lambda: settings, monotonic=mono)
        book.changes.changed.connect(service.apply_changes)  # as the builder does
        made.append(service)
        return service

    yield make
    for service in made:
        service.stop()


def _add(book, *times, **kwargs):
    return book.add_medicine(medicine(DailyRegimen(D0, times), id=None, **kwargs))


def _fire(service: ReminderService, clock, when) -> None:
    """Move the clock to when the timer was armed for, and let it fire."""
    assert service.armed_for == when
    clock.set(when)
    service.timer.timeout.emit()


def test_fires_at_the_due_time_and_not_before(book, make_service, fake_clock):
    riluzole = _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    assert got.batches == [] and got.catch_ups == []
    assert service.armed_for == at(D0, 8)
    assert service.timer.isSingleShot() and service.timer.interval() == 60 * 60 * 1000
    fake_clock.set(at(D0, 7, 59, ))
    service.wake()  # a timer that fires a minute early says nothing
    assert got.batches == []
    _fire(service, fake_clock, at(D0, 8))
    assert got.dose_keys() == [["2026-01-05T08:00"]]
    assert got.batches[0].doses[0].medicine.id == riluzole.id
    assert not got.batches[0].repeated
    assert service.armed_for == at(D0, 8, 10)  # the first repeat


def test_repeats_until_recorded(book, make_service, fake_clock):
    riluzole = _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    _fire(service, fake_clock, at(D0, 8))
    _fire(service, fake_clock, at(D0, 8, 10))
    assert got.dose_keys() == [["2026-01-05T08:00"], ["2026-01-05T08:00"]]
    assert got.batches[1].repeated
    fake_clock.set(at(D0, 8, 12))
    book.record_given(riluzole.id, "2026-01-05T08:00")
    assert service.armed_for == at(D0, 20)  # re-armed by the book's changed signal
    _fire(service, fake_clock, at(D0, 20))
    assert got.dose_keys()[-1] == ["2026-01-05T20:00"]
    assert len(got.batches) == 3


def test_snooze_fires_again_when_it_ends(book, make_service, fake_clock, qtbot):
    riluzole = _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    _fire(service, fake_clock, at(D0, 8))
    fake_clock.set(at(D0, 8, 2))
    with qtbot.waitSignal(book.changes.changed, timeout=1000,
                          check_params_cb=lambda changes: changes.snoozes == {riluzole.id}):
        until = service.snooze(riluzole.id, "2026-01-05T08:00", 15)
    assert until == at(D0, 8, 17)
    assert service.snoozed_until(riluzole.id, "2026-01-05T08:00") == until
    assert service.snoozes() == {(riluzole.id, "2026-01-05T08:00"): until}
    _fire(service, fake_clock, at(D0, 8, 17))
    assert got.dose_keys() == [["2026-01-05T08:00"], ["2026-01-05T08:00"]]
    assert service.snoozes() == {}


def test_undoing_a_snooze_before_the_due_time_keeps_the_due_reminder(book, make_service,
                                                                      fake_clock):
    riluzole = _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    service.snooze(riluzole.id, "2026-01-05T08:00", 10)
    assert service.armed_for == at(D0, 8, 10)
    service.set_snooze(riluzole.id, "2026-01-05T08:00", None)
    _fire(service, fake_clock, at(D0, 8))
    assert got.dose_keys() == [["2026-01-05T08:00"]]


def test_a_three_hour_jump_gives_one_list_with_exactly_the_right_doses(
        book, make_service, fake_clock, mono):
    riluzole = _add(book, T8, time(9), time(10), time(10, 42), T20)
    baclofen = _add(book, time(9, 30), generic_name="baclofen")
    book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                               generic_name="glycopyrrolate", purpose="drooling"))
    fake_clock.set(at(D0, 7, 25))
    book.record_given(riluzole.id, "2026-01-05T08:00")  # given early: never listed
    fake_clock.set(at(D0, 7, 30))
    service = make_service()
    got = Recorder(service)
    service.start()
    fake_clock.set(at(D0, 7, 31))
    mono.value += 60
    service.check_clock()  # a normal watchdog tick
    # the laptop slept from 07:31 to 10:45: the wall clock moved, the monotonic one did not
    fake_clock.set(at(D0, 10, 45))
    mono.value += 60
    service.check_clock()
    assert len(got.catch_ups) == 1
    listed = [(s.medicine.generic_name, s.occurrence.local.strftime("%H:%M"))
              for s in got.catch_ups[0]]
    assert listed == [("riluzole", "09:00"), ("baclofen", "09:30"), ("riluzole", "10:00")]
    assert got.dose_keys() == [["2026-01-05T10:42"]]  # due 3 minutes ago: a normal reminder
    assert baclofen.id is not None
    # another tick: nothing new, and the listed doses are not reminded while the list is open
    fake_clock.set(at(D0, 10, 46))
    mono.value += 60
    service.check_clock()
    _fire(service, fake_clock, service.armed_for)
    assert len(got.catch_ups) == 1
    assert all("09:00" not in k and "10:00" not in k for ks in got.dose_keys() for k in ks)


def test_a_restart_after_a_missed_dose_lists_it_once(book, make_service, fake_clock,
                                                     fresh_db, mono):
    _add(book, T8, T20)
    first = make_service()
    first.start()
    first.stop()  # the app was closed at 07:00
    fake_clock.set(at(D0, 11))
    second = make_service()
    got = Recorder(second)
    second.start()
    assert [[s.occurrence.key for s in c] for c in got.catch_ups] == [["2026-01-05T08:00"]]
    assert got.batches == []  # no stack of stale reminders
    second.catch_up_answered(got.catch_ups[0])
    second.stop()
    fake_clock.set(at(D0, 11, 30))
    third = make_service()
    again = Recorder(third)
    third.start()
    assert again.catch_ups == [] and again.batches == []


def test_never_twice_for_a_dose_already_shown_across_a_restart(book, make_service,
                                                               fake_clock):
    _add(book, T8, T20)
    first = make_service()
    got = Recorder(first)
    first.start()
    _fire(first, fake_clock, at(D0, 8))
    first.stop()
    fake_clock.set(at(D0, 8, 4))
    second = make_service()
    again = Recorder(second)
    second.start()
    assert again.batches == [] and again.catch_ups == []
    assert second.armed_for == at(D0, 8, 10)  # repeats go on from the last showing
    assert len(got.batches) == 1


def test_a_time_zone_change_rearms_for_the_new_wall_clock(book, make_service, fake_clock):
    _add(book, T8, T20)
    service = make_service()
    service.start()
    assert service.armed_for == at(D0, 8)
    zone = {"now": NEW_YORK}
    book._zone = lambda: zone["now"]  # the patient moved to Chicago
    from zoneinfo import ZoneInfo

    zone["now"] = ZoneInfo("America/Chicago")
    service.rearm()
    assert service.armed_for == at(D0, 9)  # 08:00 in Chicago is 09:00 in New York


def test_early_reminder_setting(book, make_service, fake_clock):
    _add(book, T8, T20)
    service = make_service(ReminderSettings(lead=timedelta(minutes=15)))
    got = Recorder(service)
    service.start()
    _fire(service, fake_clock, at(D0, 7, 45))
    assert [[s.occurrence.key for s in b.early] for b in got.batches] == [["2026-01-05T08:00"]]
    assert got.batches[0].doses == ()
    _fire(service, fake_clock, at(D0, 8))
    assert got.dose_keys()[-1] == ["2026-01-05T08:00"]


def test_stop_stops_both_timers_and_saves_the_watch(book, make_service, fake_clock,
                                                    fresh_db):
    _add(book, T8, T20)
    service = make_service()
    service.start()
    assert service.timer.isActive() and service.watchdog.isActive()
    fake_clock.set(at(D0, 7, 30))
    service.stop()
    assert not service.timer.isActive() and not service.watchdog.isActive()
    assert ReminderRepository(fresh_db).watched_until() == at(D0, 7, 30)


def test_a_late_timer_counts_as_a_gap(book, make_service, fake_clock, mono):
    """Where the monotonic clock runs on during sleep (Windows), the timer simply fires
    late: the watchdog sees it overdue and the doses in the gap are listed."""
    _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    fake_clock.set(at(D0, 10))
    mono.value += 3 * 3600
    service.check_clock()
    assert [[s.occurrence.key for s in c] for c in got.catch_ups] == [["2026-01-05T08:00"]]
    assert got.batches == []


def test_the_clock_set_back_does_not_remind_again(book, make_service, fake_clock, mono):
    _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    _fire(service, fake_clock, at(D0, 8))
    fake_clock.set(at(D0, 7, 30))  # someone set the clock back half an hour
    mono.value += 60
    service.check_clock()
    fake_clock.set(at(D0, 8))
    service.wake()
    assert got.dose_keys() == [["2026-01-05T08:00"]] and got.catch_ups == []


def test_appointment_reminders_through_the_same_timer(book, fresh_db, fake_clock, mono):
    from caregiver_app.domain.appointments import Appointment

    visit = Appointment(starts_at=at(D0 + timedelta(days=1), 10), purpose="ALS clinic visit",
                        time_zone="America/New_York", id=7)
    asked = []

    def upcoming(start, end):
        asked.append((start, end))
        return [visit] if start <= visit.starts_at < end else []

    service = ReminderService(book, ReminderRepository(fresh_db), clock=fake_clock,
                              settings=lambda: ReminderSettings(appointment_hours=3),
                              appointments=upcoming, monotonic=mono)
    shown = []
    service.appointments_due.connect(shown.append)
    service.start()
    _fire(service, fake_clock, at(D0, 18))
    assert [[r.kind for r in s] for s in shown] == [["day_before"]]
    _fire(service, fake_clock, at(D0 + timedelta(days=1), 6))  # the 12-hour look again
    assert len(shown) == 1
    _fire(service, fake_clock, at(D0 + timedelta(days=1), 7))
    assert [[r.kind for r in s] for s in shown] == [["day_before"], ["hours_before"]]
    service.stop()
    # a restart does not say it again
    again = ReminderService(book, ReminderRepository(fresh_db), clock=fake_clock,
                            settings=lambda: ReminderSettings(appointment_hours=3),
                            appointments=upcoming, monotonic=mono)
    more = []
    again.appointments_due.connect(more.append)
    fake_clock.set(at(D0 + timedelta(days=1), 7, 30))
    again.start()
    assert more == []
    again.stop()


def test_daylight_saving_night_reminds_once_at_the_real_time(book, make_service, fake_clock):
    from datetime import date

    spring = date(2026, 3, 8)  # New York springs forward at 02:00
    book.add_medicine(medicine(DailyRegimen(spring, (time(2, 30),)), id=None, start=spring))
    fake_clock.set(at(spring, 1))
    service = make_service()
    got = Recorder(service)
    service.start()
    assert service.armed_for == at(spring, 3)  # 02:30 does not exist: due at 03:00
    _fire(service, fake_clock, at(spring, 3))
    assert got.dose_keys() == [["2026-03-08T02:30"]]


# ---- Never lost at the end of the grace period


def test_a_dose_reminded_just_before_sleep_is_listed_when_it_wakes(book, make_service,
                                                                    fake_clock, mono, qtbot):
    """08:00 reminded, asleep 08:05 to 11:05: the dose is in the list (it used to get
    neither the list nor another reminder). The clock jump is announced too, so the
    Today tab can look again."""
    _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    _fire(service, fake_clock, at(D0, 8))
    fake_clock.set(at(D0, 8, 5))
    mono.value += 300
    service.check_clock()
    fake_clock.set(at(D0, 11, 5))
    mono.value += 60
    with qtbot.waitSignal(service.clock_jumped, timeout=1000):
        service.check_clock()
    assert [[s.occurrence.key for s in c] for c in got.catch_ups] == [["2026-01-05T08:00"]]
    assert got.dose_keys() == [["2026-01-05T08:00"]]  # no stale reminder besides


def test_a_snoozed_dose_reminded_then_the_app_closed_is_listed_on_restart(
        book, make_service, fake_clock):
    """Baclofen 14:00 snoozed, reminded again at 14:05, the app closed at 14:06 and
    opened at 21:30: it is in the list."""
    baclofen = _add(book, time(14), generic_name="baclofen")
    fake_clock.set(at(D0, 13, 59))
    first = make_service()
    first.start()
    _fire(first, fake_clock, at(D0, 14))
    first.snooze(baclofen.id, "2026-01-05T14:00", 5)
    _fire(first, fake_clock, at(D0, 14, 5))
    fake_clock.set(at(D0, 14, 6))
    first.stop()
    fake_clock.set(at(D0, 21, 30))
    second = make_service()
    got = Recorder(second)
    second.start()
    assert [[s.occurrence.key for s in c] for c in got.catch_ups] == [["2026-01-05T14:00"]]


def test_awake_at_the_end_of_grace_one_last_notice_then_silence(book, make_service,
                                                                  fake_clock):
    """Repeats used to stop silently at the end of the grace period: now one last
    "not recorded: what happened?", once."""
    _add(book, T8, T20)
    service = make_service()
    got = Recorder(service)
    service.start()
    _fire(service, fake_clock, at(D0, 8))
    while service.armed_for < at(D0, 10):
        _fire(service, fake_clock, service.armed_for)  # the repeats
    assert all(b.unrecorded == () for b in got.batches)
    _fire(service, fake_clock, at(D0, 10))
    last = got.batches[-1]
    assert [s.occurrence.key for s in last.unrecorded] == ["2026-01-05T08:00"]
    assert last.doses == ()
    assert service.armed_for == at(D0, 20)
    service.wake()
    assert got.batches[-1] is last  # never again
    service.stop()
    fake_clock.set(at(D0, 10, 30))
    again = make_service()
    after = Recorder(again)
    again.start()
    assert after.batches == [] and after.catch_ups == []  # not after a restart either
