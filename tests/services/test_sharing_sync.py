"""Syncs with a real server (Radicale, started by the test) and a "phone" that is an
independent ``caldav`` client: it lists the tasks, ticks one, un-ticks one.

The laptop is the home of the records: a tick on a phone becomes a new dose record
with who and when; nothing from the server ever overwrites or removes one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import caldav
import pytest
from medicine_builders import D0, NEW_YORK, at, medicine, version
from radicale_server import (  # noqa: F401  (the fixtures)
    digest_elsewhere,
    radicale,
    radicale_at_403,
    redirector,
)

from caregiver_app.core import open_core
from caregiver_app.domain.doses import DoseState, EntryKind
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.sharing import Action, SaidIn, ShareConfig, TaskStatus
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.sharing.engine import ShareSync, sync_once
from caregiver_app.services.sharing.transport import ShareError, Transport
from caregiver_app.storage.household_repo import HouseholdRepository
from caregiver_app.storage.sharing_repo import SharingRepository


class Household:
    """A household's records on a temporary folder, sharing to ``account``."""

    def __init__(self, folder, clock, server, account="ana", password="ana-secret",
                 name="Jane Doe"):
        self.core = open_core(folder, clock)
        self.clock = clock
        self.server, self.account, self.password = server, account, password
        core = self.core
        core.session.save_patient(Patient(name, allergy_status=AllergyStatus.NONE_KNOWN,
                                          time_zone="America/New_York"))
        saved = {c.initials: c for c in core.session.save_caregivers(
            [Caregiver("Tom Example", "TE"), Caregiver("Ana Helper", "AH")])}
        self.tom, self.ana = saved["TE"], saved["AH"]
        core.session.set_on_duty(self.tom.id)
        self.repo = SharingRepository(core.db)
        self.repo.save_config(ShareConfig(enabled=True, server=server.url, username=account,
                                          giver_id=self.ana.id, device="Ana's iPhone",
                                          confirmed=True))
        self.engine = ShareSync(self.repo, core.medications, core.patients, core.careteam,
                                HouseholdRepository(core.db).household_id)

    def sync(self, password=None):
        with Transport(self.server.url, self.account, password or self.password) as t:
            return sync_once(self.engine, t)

    def close(self):
        self.core.close()


@pytest.fixture
def home(qapp, tmp_path, fake_clock, radicale):  # noqa: F811
    fake_clock.set(at(D0, 7))
    household = Household(tmp_path / "jane", fake_clock, radicale)
    household.riluzole = household.core.medications.add_medicine(
        medicine(id=None, start=D0))
    yield household
    household.close()


class Phone:
    """Ana's phone: an independent CalDAV client on her account."""

    def __init__(self, server, account="ana", password="ana-secret"):
        self.client = caldav.DAVClient(url=server.url, username=account, password=password)

    def task_list(self, name="Jane's medicines"):
        lists = [c for c in self.client.principal().calendars()
                 if c.get_display_name() == name]
        assert len(lists) == 1, [c.get_display_name() for c in
                                 self.client.principal().calendars()]
        return lists[0]

    def tasks(self, **kwargs):
        found = self.task_list(**kwargs).todos(include_completed=True)
        return sorted(found, key=lambda t: t.icalendar_component["due"].dt)

    def summaries(self):
        return [(str(t.icalendar_component["summary"]), str(t.icalendar_component["status"]))
                for t in self.tasks()]

    def close(self):
        self.client.close()


@pytest.fixture
def phone(radicale):  # noqa: F811
    device = Phone(radicale)
    yield device
    device.close()


def _records(home):
    return [e for item in home.core.medications.history(home.riluzole.id)
            for e in getattr(item, "entries", ())] or home.core.medications.statuses(
        D0, D0, medicine_id=home.riluzole.id)


def test_first_publish_puts_every_dose_of_the_window_on_the_phone(home, phone):
    report = home.sync()
    # today and 7 more days of a twice-daily medicine (2 days behind: none before D0)
    assert report.sent == 16 and report.recorded == 0
    shown = phone.summaries()
    assert len(shown) == 16
    assert shown[0] == ("08:00 riluzole 50 mg · 1 tablet by mouth", "NEEDS-ACTION")
    # a second sync with nothing changed sends nothing
    again = home.sync()
    assert (again.sent, again.removed, again.recorded) == (0, 0, 0)


def test_a_tick_on_the_phone_becomes_a_record_by_the_mapped_caregiver(home, phone):
    home.sync()
    home.clock.set(at(D0, 8, 30))
    phone.tasks()[0].complete(completion_timestamp=at(D0, 8, 12))
    report = home.sync()
    assert report.recorded == 1
    [status] = [s for s in home.core.medications.statuses(D0, D0)
                if s.occurrence.due == at(D0, 8)]
    entry = status.effective
    assert status.state is DoseState.GIVEN and entry.kind is EntryKind.GIVEN
    assert entry.given_at == at(D0, 8, 12)
    assert entry.caregiver_id == home.ana.id and entry.recorded_by_id == home.ana.id
    assert entry.recorded_at == at(D0, 8, 30)  # when the app learned of it
    assert entry.note == "Ticked on Ana's iPhone at 08:12."
    # the task now says so on every phone, and nothing is recorded twice
    assert phone.tasks()[0].icalendar_component["description"].startswith(
        "Given 08:12 by AH.")
    assert home.sync().recorded == 0
    assert len([s for s in home.core.medications.statuses(D0, D0) if s.effective]) == 1


def test_ticked_on_both_sides_by_two_givers_keeps_one_record_and_asks_to_check(
        home, phone):
    """Tom records the 08:00 dose at 08:05; Ana's phone had not synced, and she ticks it
    at 08:12: one record, and a note that asks a person to check it was not given
    twice (counted "to check", not a calm note)."""
    home.sync()
    home.clock.set(at(D0, 8, 30))
    key = home.core.medications.statuses(D0, D0)[0].occurrence.key
    home.core.medications.record_given(home.riluzole.id, key, given_at=at(D0, 8, 5))
    phone.tasks()[0].complete(completion_timestamp=at(D0, 8, 12))
    report = home.sync()
    assert report.recorded == 0
    [note] = report.noted
    assert note.action is Action.TICKED_TWICE and report.to_check == [note]
    assert note.message == ("Also ticked on Ana's iPhone at 08:12, but the app has it "
                            "given by Tom Example at 08:05. Check it was not given twice.")
    assert "1 to check in the app" in report.summary()
    assert [n.message for n in home.repo.notes()] == [note.message]
    [status] = [s for s in home.core.medications.statuses(D0, D0) if s.effective]
    assert status.effective.caregiver_id == home.tom.id  # the app's record stands


@pytest.mark.parametrize(("given_at", "ticked_at", "asks"), [
    (at(D0, 8, 5), at(D0, 8, 12), False),  # the same giver, 7 minutes apart: agrees
    (at(D0, 8, 5), at(D0, 8, 16), True),  # 11 minutes apart: maybe a second dose
    (at(D0, 8, 40), at(D0, 8, 12), True),  # ticked well before the recorded time
])
def test_a_tick_by_the_records_giver_only_tells_when_its_time_is_close(
        home, phone, given_at, ticked_at, asks):
    home.sync()
    home.clock.set(at(D0, 8, 45))
    key = home.core.medications.statuses(D0, D0)[0].occurrence.key
    home.core.medications.record_given(home.riluzole.id, key, given_at=given_at,
                                       caregiver_id=home.ana.id)
    phone.tasks()[0].complete(completion_timestamp=ticked_at)
    report = home.sync()
    [note] = report.noted
    assert note.action is (Action.TICKED_TWICE if asks else Action.ALSO_TICKED)
    assert (report.to_check == [note]) is asks
    if asks:
        assert note.message == (
            f"Also ticked on Ana's iPhone at {ticked_at.astimezone(NEW_YORK):%H:%M}, but the "
            f"app has it given by Ana Helper at {given_at.astimezone(NEW_YORK):%H:%M}. "
            "Check it was not given twice.")
    else:
        assert note.message == "Also ticked on Ana's iPhone at 08:12."
        assert "1 note only to read" in report.summary()


def test_unticked_on_the_phone_flags_and_never_removes_the_record(home, phone):
    home.clock.set(at(D0, 8, 30))
    key = home.core.medications.statuses(D0, D0)[0].occurrence.key
    home.core.medications.record_given(home.riluzole.id, key, given_at=at(D0, 8, 5))
    home.sync()
    task = phone.tasks()[0]
    assert str(task.icalendar_component["status"]) == "COMPLETED"
    task.uncomplete()
    report = home.sync()
    [note] = report.noted
    assert note.action is Action.UNTICKED
    assert home.core.medications.statuses(D0, D0)[0].state is DoseState.GIVEN
    # the app is the home of the record: the phone shows it given again
    assert str(phone.tasks()[0].icalendar_component["status"]) == "COMPLETED"


def test_a_phone_tick_on_a_dose_recorded_as_not_given_is_a_named_conflict(home, phone):
    home.sync()
    home.clock.set(at(D0, 8, 30))
    key = home.core.medications.statuses(D0, D0)[0].occurrence.key
    phone.tasks()[0].complete(completion_timestamp=at(D0, 8, 12))
    home.core.medications.record_skipped(home.riluzole.id, key, SkipReason.REFUSED)
    [note] = home.sync().noted
    assert note.action is Action.CONFLICT and "not given" in note.message
    assert home.core.medications.statuses(D0, D0)[0].state is DoseState.SKIPPED
    assert str(phone.tasks()[0].icalendar_component["status"]) == "CANCELLED"


def test_a_schedule_change_moves_and_cancels_tasks(home, phone):
    home.sync()
    uids = [str(t.icalendar_component["uid"]) for t in phone.tasks()]
    book = home.core.medications
    # from tomorrow: once a day at 09:00 (the evening doses go, the morning ones move)
    tomorrow = D0 + timedelta(days=1)
    book.change_version(home.riluzole.id, version(DailyRegimen(tomorrow, (time(9),)),
                                                  valid_from=tomorrow))
    report = home.sync()
    assert report.sent == 14  # 7 moved, 7 cancelled
    tasks = {str(t.icalendar_component["uid"]): t.icalendar_component for t in phone.tasks()}
    assert set(tasks) == set(uids)  # the same tasks: nothing stale, nothing doubled
    live = sorted((c["due"].dt, str(c["summary"])) for c in tasks.values()
                  if str(c["status"]) == "NEEDS-ACTION")
    assert len(live) == 2 + 7
    assert live[2] == (at(tomorrow, 9), "09:00 riluzole 50 mg · 1 tablet by mouth")
    cancelled = [c for c in tasks.values() if str(c["status"]) == "CANCELLED"]
    assert len(cancelled) == 7
    assert all(str(c["summary"]).startswith("Cancelled: ") for c in cancelled)


def test_tasks_fallen_behind_the_window_are_removed_and_records_stay(home, phone):
    home.sync()
    home.clock.set(at(D0, 8, 30))
    phone.tasks()[0].complete(completion_timestamp=at(D0, 8, 12))
    home.sync()
    home.clock.set(at(D0 + timedelta(days=3), 7))
    report = home.sync()
    assert report.removed == 2  # D0's two doses, 3 days behind (2 are kept)
    assert all(t.icalendar_component["due"].dt >= at(D0 + timedelta(days=1), 0)
               for t in phone.tasks())
    assert home.core.medications.statuses(D0, D0)[0].state is DoseState.GIVEN


def test_a_wrong_password_is_said_plainly_and_changes_nothing(home, phone):
    with pytest.raises(ShareError) as caught:
        home.sync(password="not-it")
    assert caught.value.message.startswith("The server refused the password")
    assert not caught.value.retry
    assert home.repo.items() == {}


def test_a_refusal_is_told_by_its_status_not_by_a_403_in_the_servers_address(
        radicale_at_403):  # noqa: F811
    """At http://127.0.0.1:40312/ a wrong password is still said as one (the server
    answered 401), and another account's lists as not allowed (403)."""
    server = radicale_at_403
    assert "403" in server.url
    with Transport(server.url, "ana", "not-it") as transport, \
            pytest.raises(ShareError) as wrong:
        transport.home()
    assert wrong.value.status == 401
    assert wrong.value.message.startswith("The server refused the password")
    with Transport(server.url + "ben/", "ana", "ana-secret") as transport, \
            pytest.raises(ShareError) as elsewhere:
        transport.home()  # Ben's home: Radicale lets each account at its own only
    assert elsewhere.value.status == 403
    # the status bar and caregiver-app sync name the menu; the sharing dialog, its field
    assert elsewhere.value.message == ("The server did not allow this account to change "
                                       "the lists. Check the user name in File ▸ Share "
                                       "with the family…")
    assert elsewhere.value.said(SaidIn.ELSEWHERE) == elsewhere.value.message
    assert "File ▸" not in elsewhere.value.said(SaidIn.SETTINGS)


@pytest.mark.parametrize("login", ["", "basic"])  # a first connection, a remembered one
def test_a_redirect_to_another_server_is_said_as_that_not_a_refused_password(
        redirector, radicale, login):  # noqa: F811
    transport = Transport(redirector.url, "ana", "ana-secret", login=login)
    try:
        with pytest.raises(ShareError) as caught:
            transport.home()
    finally:
        transport.close()
    error = caught.value
    assert error.message.startswith("The server sent the app to another address "
                                    f"(http://127.0.0.1:{radicale.port}), ")
    assert "refused the password" not in error.message
    assert (error.status, error.kind, error.retry) == (None, "moved", False)
    # and the same when the address is first typed (no other path is tried)
    with pytest.raises(ShareError) as typed:
        Transport.discover(redirector.url, "ana", "ana-secret")
    assert typed.value.kind == "moved"


@pytest.mark.parametrize("login", ["", "basic", "digest"])
def test_a_redirect_to_a_server_asking_for_digest_gets_nothing_of_the_password(
        digest_elsewhere, login):  # noqa: F811
    """Digest would answer the other server's challenge with a digest of the password
    (open to guessing it offline); the app answers only its own server's."""
    front, other = digest_elsewhere
    with pytest.raises(ShareError) as caught:
        Transport.discover(front.url, "ana", "ana-secret") if not login else \
            _home_of(Transport(front.url, "ana", "ana-secret", login=login))
    assert caught.value.kind == "moved"
    assert other.authorizations and set(other.authorizations) == {""}  # never a digest


def _home_of(transport):
    try:
        return transport.home()
    finally:
        transport.close()


def test_the_server_stopped_in_the_middle_loses_and_doubles_nothing(home, phone, radicale):  # noqa: F811
    home.sync()
    home.clock.set(at(D0, 8, 30))
    phone.tasks()[0].complete(completion_timestamp=at(D0, 8, 12))
    # the pull and the records happen, then the server goes before the push
    snapshot = home.engine.snapshot()
    with Transport(radicale.url, "ana", "ana-secret") as transport:
        pulled = home.engine.pull(transport, snapshot)
        home.engine.apply(pulled, account="ana")
        ops = home.engine.outbox(pulled.collections)
        radicale.stop()
        with pytest.raises(ShareError) as caught:
            home.engine.push(transport, ops)
    assert caught.value.retry and "could not be reached" in caught.value.message
    radicale.start()
    report = home.sync()
    assert report.recorded == 0  # recorded once, at the first try
    given = [s for s in home.core.medications.statuses(D0, D0) if s.effective]
    assert len(given) == 1 and given[0].effective.given_at == at(D0, 8, 12)
    assert phone.tasks()[0].icalendar_component["description"].startswith("Given 08:12")
    assert len(phone.tasks()) == 16


def test_two_households_on_one_server_never_touch_each_others_lists(
        home, phone, radicale, tmp_path, fake_clock):  # noqa: F811
    other = Household(tmp_path / "bob", fake_clock, radicale, name="Bob Roe")
    try:
        other.core.medications.add_medicine(medicine(id=None, start=D0,
                                                     generic_name="baclofen"))
        home.sync()
        other.sync()
        jane = phone.summaries()
        bob = phone.tasks.__self__.task_list("Bob's medicines").todos(include_completed=True)
        assert len(jane) == 16 and all("riluzole" in s for s, _ in jane)
        assert len(bob) == 16
        assert all("baclofen" in str(t.icalendar_component["summary"]) for t in bob)
        # a tick in Bob's list is Bob's
        bob[0].complete(completion_timestamp=at(D0, 8, 1))
        fake_clock.set(at(D0, 8, 30))
        assert home.sync().recorded == 0
        assert other.sync().recorded == 1
    finally:
        other.close()


def test_discreet_mode_changes_the_tasks_in_place(home, phone):
    home.sync()
    home.repo.save_config(replace(home.repo.config(), discreet=True))
    report = home.sync()
    assert report.sent == 16
    assert phone.summaries()[0] == ("08:00 medicines (1 of 1)", "NEEDS-ACTION")
    assert len(phone.tasks()) == 16
    assert TaskStatus.NEEDS_ACTION.value == "NEEDS-ACTION"


IPHONE = "-//Apple Inc.//iPhone OS 17.2//EN"
JTX = "+//IDN bitfire.at//ical4android (at.techbee.jtx)"


def _written_by(task, prodid):
    """The phone's own app writes the task back (its PRODID names it)."""
    calendar = task.icalendar_instance
    del calendar["PRODID"]
    calendar.add("prodid", prodid)


def _given(home, hour):
    [status] = [s for s in home.core.medications.statuses(D0, D0)
                if s.occurrence.due == at(D0, hour)]
    return status.effective


def test_each_phone_is_mapped_to_its_caregiver_and_the_record_says_where_it_came_from(
        home, phone):
    from caregiver_app.domain.tick_sources import Phone, TimeFrom

    ben = home.core.session.save_caregivers([Caregiver("Ben Helper", "BH")])[0]
    home.repo.save_phones([Phone("Ana's iPhone", home.ana.id, client="iPhone or iPad"),
                           Phone("Ben's Android", ben.id, client="Android (jtx Board)")])
    home.sync()
    home.clock.set(at(D0, 21))
    morning, evening = phone.tasks()[:2]
    _written_by(morning, IPHONE)
    morning.complete(completion_timestamp=at(D0, 8, 12))
    _written_by(evening, JTX)
    evening.complete(completion_timestamp=at(D0, 20, 3))
    assert home.sync().recorded == 2
    ana_dose, ben_dose = _given(home, 8), _given(home, 20)
    assert (ana_dose.caregiver_id, ana_dose.recorded_by_id) == (home.ana.id, home.ana.id)
    assert (ben_dose.caregiver_id, ben_dose.recorded_by_id) == (ben.id, ben.id)
    assert ben_dose.note == "Ticked on Ben's Android at 20:03."
    sources = home.repo.sources([ana_dose.id, ben_dose.id])
    assert sources[ana_dose.id].device == "Ana's iPhone"
    assert sources[ana_dose.id].client == "iPhone or iPad"
    assert sources[ana_dose.id].account == "ana"
    assert sources[ana_dose.id].time_from is TimeFrom.PHONE
    assert sources[ben_dose.id].phone_time == at(D0, 20, 3)
    # History says where each record came from, the record itself unchanged
    history = {i.entry_id: i for i in home.core.medications.history(home.riluzole.id)}
    assert history[ana_dose.id].source == "Ana's iPhone"
    assert not history[ana_dose.id].source_flagged
    assert history[ana_dose.id].detail.startswith(
        "Ticked on Ana's iPhone (account ana, iPhone or iPad); the time is the phone's.")
    assert home.repo.phones_seen() in ([("ana", "iPhone or iPad"),
                                        ("ana", "Android (jtx Board)")],
                                       [("ana", "Android (jtx Board)"),
                                        ("ana", "iPhone or iPad")])


def test_a_tick_with_no_time_is_recorded_at_the_sync_and_flagged_in_history(home, phone):
    from caregiver_app.ui.medications.history_dialog import HistoryModel

    home.sync()
    home.clock.set(at(D0, 8, 30))
    task = phone.tasks()[0]
    todo = task.icalendar_component
    todo["STATUS"] = "COMPLETED"  # a phone that writes no COMPLETED time
    task.save()
    assert home.sync().recorded == 1
    entry = _given(home, 8)
    assert entry.given_at == at(D0, 8, 30)  # the time of the sync
    [item] = [i for i in home.core.medications.history(home.riluzole.id)
              if i.entry_id == entry.id]
    assert item.source_flagged
    assert "the phone gave no time: the time is when the app learned of it, " \
           "Mon 5 Jan 08:30." in item.detail
    model = HistoryModel(home.core.medications.zone(), {home.ana.id: "Ana Helper"})
    model.set_items([item])
    assert model.text(0, HistoryModel.WHAT) == \
        "Given (ticked on Ana's iPhone; ⚑ time of the sync)"
    assert model.text(0, HistoryModel.BY) == "Ana Helper"


def test_lists_kept_from_another_server_are_made_again_on_this_one(home, phone):
    from caregiver_app.domain.sharing import ItemKind

    # the household moved to this server: what the app knew is of the old one
    home.repo.save_collection(ItemKind.TASK, "https://old.example.org/ana/m/", "token-1")
    assert home.sync().sent == 16
    assert len(phone.tasks()) == 16


class Counted:
    """A transport to the household's server whose HTTP requests are counted where its
    ``caldav`` client hands them to the HTTP library (each one that goes on the wire).
    A new client's first request goes without the password and is answered 401 with
    the ways to log in; it is sent again with the password (``challenged``)."""

    def __init__(self, home, *, sync_tokens=True):
        self.transport = Transport(home.server.url, home.account, home.password)
        self.sent: list[tuple[str, int]] = []
        client = self.transport._client
        if not sync_tokens:  # a server that keeps no sync-tokens: ETags only
            client.features.set_feature("sync-token", {"support": "unsupported"})
        session = client.session
        real = session.request

        def request(method, url, *args, **kwargs):
            response = real(method, url, *args, **kwargs)
            self.sent.append((method, response.status_code))
            return response

        session.request = request

    def sync(self, home):
        with self.transport:
            return sync_once(home.engine, self.transport)

    @property
    def challenged(self):
        return [status for _method, status in self.sent[:1]] == [401]

    def methods(self):
        """The methods of the requests after the log-in challenge, sorted."""
        return sorted(method for method, _status in self.sent[int(self.challenged):])


def _counted_sync(home, **kwargs):
    counted = Counted(home, **kwargs)
    return counted.sync(home), counted


def _with_appointment(home):
    from caregiver_app.domain.appointments import Appointment

    home.core.careteam.save_appointment(Appointment(at(D0 + timedelta(days=3), 10),
                                                    "Clinic visit"))


def test_a_sync_right_after_a_publish_reads_none_of_the_apps_own_writes_back(home, phone):
    _with_appointment(home)
    first, counted = _counted_sync(home)
    assert counted.challenged  # the first connection to this server is asked to log in
    assert first.sent == 17  # 16 tasks and the appointment, one PUT each
    assert counted.methods().count("PUT") == 17
    # the next sync is told every item changed since its token (from before the
    # writes), sees each one's ETag is the one it wrote, and reads none of them
    again, counted = _counted_sync(home)
    assert (again.sent, again.recorded, again.noted) == (0, 0, [])
    assert counted.methods() == ["PROPFIND", "PROPFIND", "REPORT", "REPORT"]
    quiet, counted = _counted_sync(home)
    assert counted.methods() == ["PROPFIND", "PROPFIND", "REPORT", "REPORT"]
    assert quiet.requests == len(counted.sent) == 4
    assert not counted.challenged  # the password goes with the first request now
    # a tick on the phone: only that task is read (one calendar-multiget), recorded
    # once and written back as given; nothing else is read or sent
    home.clock.set(at(D0, 8, 30))
    phone.tasks()[0].complete(completion_timestamp=at(D0, 8, 12))
    ticked, counted = _counted_sync(home)
    assert (ticked.recorded, ticked.sent) == (1, 1)
    assert counted.methods() == ["PROPFIND", "PROPFIND", "PUT", "REPORT", "REPORT",
                                 "REPORT"]
    assert _given(home, 8).given_at == at(D0, 8, 12)
    after, counted = _counted_sync(home)
    assert (after.recorded, after.sent, len(counted.methods())) == (0, 0, 4)
    assert len([s for s in home.core.medications.statuses(D0, D0) if s.effective]) == 1


def test_without_sync_tokens_etags_say_what_to_read(home, phone):
    """A server that keeps no sync-tokens: each sync lists the items with their ETags;
    only those changed since the app wrote or read them are read."""
    first, counted = _counted_sync(home, sync_tokens=False)
    assert first.sent == 16
    again, counted = _counted_sync(home, sync_tokens=False)
    assert (again.sent, again.recorded) == (0, 0)
    assert "GET" not in counted.methods() and len(counted.methods()) <= 6, counted.sent
    home.clock.set(at(D0, 8, 30))
    tasks = phone.tasks()
    tasks[0].complete(completion_timestamp=at(D0, 8, 12))
    tasks[1].delete()  # gone from the server: the app puts it back
    ticked, counted = _counted_sync(home, sync_tokens=False)
    assert (ticked.recorded, ticked.sent) == (1, 2)
    assert "GET" not in counted.methods() and len(counted.methods()) <= 8, counted.sent
    assert _given(home, 8).given_at == at(D0, 8, 12)
    assert len(phone.tasks()) == 16
    assert home.sync().recorded == 0


def test_writes_whose_noting_was_lost_are_taken_back_and_a_tick_on_one_recorded(
        home, phone):
    # the app wrote every task, then stopped before it noted what it wrote
    snapshot = home.engine.snapshot()
    with Transport(home.server.url, "ana", "ana-secret") as transport:
        pulled = home.engine.pull(transport, snapshot)
        home.engine.apply(pulled, account="ana")
        home.engine.push(transport, home.engine.outbox(pulled.collections))
    assert home.repo.items() == {} and len(phone.tasks()) == 16
    home.clock.set(at(D0, 8, 30))
    phone.tasks()[0].complete(completion_timestamp=at(D0, 8, 12))
    report = home.sync()
    assert (report.recorded, report.postponed) == (1, 0)
    assert _given(home, 8).given_at == at(D0, 8, 12)
    assert len(phone.tasks()) == 16 and len(home.repo.items()) == 16
    assert (home.sync().recorded, home.sync().sent) == (0, 0)


def test_a_refused_password_makes_the_next_connection_wait_to_be_asked(home):
    home.sync()
    with pytest.raises(ShareError):
        home.sync(password="not-it")
    again, counted = _counted_sync(home)
    assert counted.challenged and (again.sent, again.recorded) == (0, 0)
