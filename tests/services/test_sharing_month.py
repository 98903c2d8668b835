"""A month of sharing with a real server (Radicale) and a fake clock.

Every day the app records the morning dose and Ana ticks the evening one on her phone
(an independent caldav client); a medicine is paused for some days and resumed; the
schedule changes; one day the laptop cannot reach the server at all. Two syncs a day.
At the end: every dose given has exactly one record (none lost, none doubled), each
phone tick carries the phone's time and Ana's name, the server holds exactly the
window's tasks, each saying what the records say (nothing stale), and a sync with
nothing changed costs a handful of requests.
"""

from __future__ import annotations

from datetime import time, timedelta

import caldav
import pytest
from medicine_builders import D0, at, medicine, version
from radicale_server import radicale  # noqa: F401  (the fixture)

from caregiver_app.core import open_core
from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.sharing import ShareConfig, TaskStatus, window_days
from caregiver_app.services.sharing.engine import ShareSync, sync_once
from caregiver_app.services.sharing.transport import ShareError, Transport
from caregiver_app.storage.household_repo import HouseholdRepository
from caregiver_app.storage.sharing_repo import SharingRepository

DAYS = 30
PAUSED = range(9, 13)  # baclofen paused on these days (0 = D0), resumed on the 13th
CHANGE_DAY = 18  # riluzole moves from 08:00/20:00 to 09:00/21:00 from this day
OFFLINE_DAY = 22  # the laptop cannot reach the server all day
#: A sync with nothing changed: per list (tasks, appointments) one PROPFIND that it is
#: still there and one sync-token REPORT.
NO_CHANGE_REQUESTS = 4


@pytest.mark.slow
def test_a_month_of_syncs_loses_doubles_and_leaves_behind_nothing(
        qapp, tmp_path, fake_clock, radicale):  # noqa: F811
    fake_clock.set(at(D0, 7))
    core = open_core(tmp_path / "jane", fake_clock)
    phone = caldav.DAVClient(url=radicale.url, username="ana", password="ana-secret")
    try:
        _month(core, fake_clock, radicale, phone)
    finally:
        phone.close()
        core.close()


def _month(core, clock, radicale, phone):  # noqa: F811
    session, book = core.session, core.medications
    session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                 time_zone="America/New_York"))
    saved = {c.initials: c for c in session.save_caregivers(
        [Caregiver("Tom Example", "TE"), Caregiver("Ana Helper", "AH")])}
    tom, ana = saved["TE"], saved["AH"]
    session.set_on_duty(tom.id)
    riluzole = book.add_medicine(medicine(id=None, start=D0))
    baclofen = book.add_medicine(medicine(DailyRegimen(D0, (time(13),)), id=None,
                                          start=D0, generic_name="baclofen"))
    repo = SharingRepository(core.db)
    repo.save_config(ShareConfig(enabled=True, server=radicale.url, username="ana",
                                 giver_id=ana.id, device="Ana's iPhone", confirmed=True))
    engine = ShareSync(repo, book, core.patients, core.careteam,
                       HouseholdRepository(core.db).household_id)
    def sync(offline: bool = False):
        if offline:  # the laptop cannot reach the server (the phone still can)
            radicale.stop()
        try:
            with Transport(radicale.url, "ana", "ana-secret") as transport:
                return sync_once(engine, transport)
        finally:
            if offline:
                radicale.start()

    def task_list():
        [found] = [c for c in phone.principal().calendars()
                   if c.get_display_name() == "Jane's medicines"]
        return found

    ticked_on_phone: dict[str, object] = {}  # task UID -> the phone's time
    given_in_app: set[str] = set()
    failures, notes = 0, []
    for day_number in range(DAYS):
        day = D0 + timedelta(days=day_number)
        offline = day_number == OFFLINE_DAY
        clock.set(at(day, 0, 5))
        if day_number == PAUSED[0]:
            book.pause(baclofen.id, "stomach upset")
        if day_number == PAUSED[-1] + 1:
            book.resume(baclofen.id)
        if day_number == CHANGE_DAY:
            book.change_version(riluzole.id, version(
                DailyRegimen(day, (time(9), time(21))), valid_from=day))
        # the morning: the app records the first dose of each medicine due
        clock.set(at(day, 12))
        for status in book.statuses(day, day):
            due = status.occurrence.due
            if due <= clock.now() and status.state is not DoseState.GIVEN:
                book.record_given(status.medicine.id, status.occurrence.key,
                                  given_at=due + timedelta(minutes=10))
                given_in_app.add(status.occurrence.key + f"#{status.medicine.id}")
        try:
            notes += sync(offline).noted
        except ShareError as exc:
            assert offline and exc.retry
            failures += 1
        # the evening: Ana ticks on her phone what is still open from midday on
        clock.set(at(day, 22))
        for task in task_list().todos(include_completed=True):
            todo = task.icalendar_component
            due = todo["due"].dt
            if (str(todo["status"]) == TaskStatus.NEEDS_ACTION.value
                    and at(day, 12, 30) <= due <= clock.now()):
                when = due + timedelta(minutes=4)
                task.complete(completion_timestamp=when)
                ticked_on_phone[str(todo["uid"])] = when
        try:
            notes += sync(offline).noted
        except ShareError:
            assert offline
            failures += 1
    assert failures == 2  # both syncs of the offline day, and nothing else
    assert notes == []  # nothing for a person to settle

    # the next morning, nothing else changed: the first sync sends the new day's tasks,
    # the second is told they changed (its sync-token is from before they were written)
    # and sees their ETags are the ones it wrote: it reads none back and sends nothing
    clock.set(at(D0 + timedelta(days=DAYS), 7))
    sync()
    for _ in range(2):
        quiet = sync()
        assert (quiet.sent, quiet.removed, quiet.recorded, quiet.noted) == (0, 0, 0, [])
    assert quiet.requests <= NO_CHANGE_REQUESTS

    # no dose lost, none doubled: every dose of the month given once, by whom it says
    first, last = D0, D0 + timedelta(days=DAYS - 1)
    statuses = book.statuses(first, last)
    given = [s for s in statuses if s.state is DoseState.GIVEN]
    expected = len(given_in_app) + len(ticked_on_phone)
    assert len(given) == expected
    assert len(statuses) == len(given)  # nothing left unrecorded
    rows = core.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]
    assert rows == expected  # one entry each: no second record, no correction
    from_phone = [s for s in given if s.effective.caregiver_id == ana.id]
    assert len(from_phone) == len(ticked_on_phone)
    assert all(s.effective.given_at == s.occurrence.due + timedelta(minutes=4)
               for s in from_phone)
    # the paused days had no baclofen doses to give; the schedule change moved riluzole
    paused_days = {D0 + timedelta(days=n) for n in PAUSED}
    assert not [s for s in statuses if s.medicine.id == baclofen.id
                and s.occurrence.due.astimezone(book.zone()).date() in paused_days]
    assert {s.occurrence.due.astimezone(book.zone()).time() for s in statuses
            if s.medicine.id == riluzole.id
            and s.occurrence.due >= at(D0 + timedelta(days=CHANGE_DAY), 0)} == {
        time(9), time(21)}
    sources = repo.sources(s.effective.id for s in from_phone)
    assert len(sources) == len(from_phone)

    # nothing stale on the server: exactly the window's tasks, each as the records say
    window_first, _ = window_days(book.today(), days=7, keep_days=2)
    on_server = {str(t.icalendar_component["uid"]): t.icalendar_component
                 for t in task_list().todos(include_completed=True)}
    wanted, _ = engine._tasks(repo.config())
    wanted_by_uid = {t.uid: t for t in wanted}
    live = {uid: c for uid, c in on_server.items()
            if str(c["status"]) != TaskStatus.CANCELLED.value}
    assert set(live) == set(wanted_by_uid)
    for uid, task in wanted_by_uid.items():
        assert str(live[uid]["status"]) == task.status.value
        assert str(live[uid]["summary"]) == task.summary
    assert all(c["due"].dt >= at(window_first, 0) for c in on_server.values())
    # what the app remembers of the server is what is there
    assert set(repo.items()) == set(on_server)
