"""What goes to the family's phones, and what a tick there means (``domain.sharing``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given as hgiven
from hypothesis import settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, T8, T20, at, given, medicine, version

from caregiver_app.domain.dose_identity import dose_place, dose_uid
from caregiver_app.domain.doses import DoseEntry, DosePolicy, DoseState, EntryKind, dose_statuses
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import FoodRule, FoodRuleKind
from caregiver_app.domain.patient import Caregiver
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.sharing import (
    KEEP_SETTING,
    WINDOW_SETTING,
    Action,
    RemoteTask,
    SentTask,
    ShareConfig,
    TaskStatus,
    dose_tasks,
    incoming,
    list_names,
    sent_from,
    server_url,
    server_url_problem,
    share_days,
    window_days,
)
from caregiver_app.domain.vocab import SkipReason

HOUSEHOLD = "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
POLICY = DosePolicy()
ANA = Caregiver("Ana Helper", "AH", id=1)
TOM = Caregiver("Tom Example", "TE", id=2)
CAREGIVERS = {1: ANA, 2: TOM}
RILUZOLE = medicine(id=1, food_rule=FoodRule(FoodRuleKind.EMPTY_STOMACH, before_minutes=60,
                                             after_minutes=120))
BACLOFEN = medicine(id=2, generic_name="baclofen",
                    versions=(version(DailyRegimen(D0, (T8,)), strength="10 mg"),))


def _statuses(entries=(), now=None, meds=(RILUZOLE, BACLOFEN)):
    occs = sorted((o for m in meds for o in occurrences_on(m, D0, NEW_YORK)),
                  key=lambda o: o.due)
    return dose_statuses(occs, {m.id: m for m in meds}, list(entries), now or at(D0, 7),
                         POLICY)


def _tasks(statuses, discreet=False):
    return dose_tasks(statuses, HOUSEHOLD, caregivers=CAREGIVERS, zone=NEW_YORK,
                      discreet=discreet)


def test_one_task_per_due_dose_named_by_the_dose_identity():
    statuses = _statuses()
    tasks = _tasks(statuses)
    assert len(tasks) == 3
    assert [t.summary for t in tasks] == [
        "08:00 baclofen 10 mg · 1 tablet by mouth",
        "08:00 riluzole 50 mg · 1 tablet by mouth",
        "20:00 riluzole 50 mg · 1 tablet by mouth",
    ]
    first_riluzole = next(s for s in statuses if s.medicine.id == 1)
    assert tasks[1].uid == dose_uid(HOUSEHOLD, 1, dose_place(RILUZOLE,
                                                              first_riluzole.occurrence))
    assert tasks[1].due == at(D0, 8) and tasks[1].due.tzinfo is UTC
    assert all(t.status is TaskStatus.NEEDS_ACTION and t.completed is None for t in tasks)
    # the body has the dose, the food rule and what ticking does
    assert "empty stomach" in tasks[1].description.lower()
    assert "Tick this task when the dose is given" in tasks[1].description


def test_a_dose_moved_to_another_time_keeps_its_task():
    moved = medicine(id=1, versions=(version(DailyRegimen(D0, (time(9), T20))),))
    before = _tasks(_statuses(meds=(RILUZOLE,)))
    after = _tasks(_statuses(meds=(moved,)))
    assert [t.uid for t in before] == [t.uid for t in after]
    assert before[0].fingerprint() != after[0].fingerprint()
    assert after[0].summary.startswith("09:00 ")


def test_a_dose_given_in_the_app_completes_its_task_with_who_and_when():
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    entry = given(occ, at(D0, 8, 10), id=5, caregiver_id=1)
    task = next(t for t in _tasks(_statuses([entry], now=at(D0, 9)))
                if t.medicine_id == 1 and t.occurrence_key == occ.key)
    assert task.status is TaskStatus.COMPLETED
    assert task.completed == at(D0, 8, 10)
    assert task.description.startswith("Given 08:10 by AH.")


def test_a_dose_not_given_cancels_its_task_with_the_reason():
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    entry = DoseEntry(medicine_id=1, kind=EntryKind.SKIPPED, recorded_at=at(D0, 8, 5),
                      recorded_by_id=2, occurrence_key=occ.key, due_at=occ.due,
                      skip_reason=SkipReason.ASLEEP, id=6)
    task = next(t for t in _tasks(_statuses([entry], now=at(D0, 9)))
                if t.occurrence_key == occ.key and t.medicine_id == 1)
    assert task.status is TaskStatus.CANCELLED
    assert task.description.startswith(f"Not given: {SkipReason.ASLEEP.label}.")


def test_discreet_mode_keeps_medicine_names_off_the_lock_screen():
    tasks = _tasks(_statuses(), discreet=True)
    assert [t.summary for t in tasks] == [
        "08:00 medicines (1 of 2)", "08:00 medicines (2 of 2)", "20:00 medicines (1 of 1)"]
    for task in tasks:
        assert "riluzole" not in task.summary and "baclofen" not in task.summary
    assert "riluzole 50 mg" in tasks[1].description  # the details are in the body
    # the same doses: a switch of mode changes the tasks, not their identity
    assert {t.uid for t in tasks} == {t.uid for t in _tasks(_statuses())}


def test_list_names_and_window():
    assert list_names("Jane") == {"tasks": "Jane's medicines",
                                  "events": "Jane's appointments",
                                  "contacts": "Jane's care team"}
    assert list_names("James")["tasks"] == "James' medicines"
    assert window_days(D0, days=7, keep_days=2) == (D0 - timedelta(days=2),
                                                    D0 + timedelta(days=7))


def test_server_addresses():
    assert server_url("cloud.example.org") == "https://cloud.example.org/"
    assert server_url(" https://dav.example.org/remote.php/dav ") == \
        "https://dav.example.org/remote.php/dav"
    assert server_url("localhost:5232") == "http://localhost:5232/"
    assert server_url("127.0.0.1:5232/dav") == "http://127.0.0.1:5232/dav"
    assert server_url_problem("cloud.example.org") == ""
    assert server_url_problem("http://127.0.0.1:5232/") == ""
    assert server_url_problem("http://localhost:5232") == ""
    assert "https://" in server_url_problem("http://cloud.example.org/")
    assert server_url_problem("") != ""
    assert server_url_problem("ftp://cloud.example.org/") != ""


# ---- What the phones did


def _sent(statuses):
    return sent_from(_tasks(statuses))


def _by_uid(statuses):
    return {t.uid: s for t, s in zip(_tasks(statuses), sorted(
        statuses, key=lambda s: (s.occurrence.due, s.medicine.name, s.occurrence.key)),
        strict=True)}


def _first_riluzole_uid(statuses):
    return next(t.uid for t in _tasks(statuses) if t.medicine_id == 1)


def test_a_tick_on_a_phone_becomes_a_new_record_by_the_mapped_caregiver():
    statuses = _statuses(now=at(D0, 9))
    uid = _first_riluzole_uid(statuses)
    ticks = [RemoteTask(uid, TaskStatus.COMPLETED, at(D0, 8, 12), account="ana")]
    [found] = incoming(ticks, _sent(statuses), _by_uid(statuses), now=at(D0, 9),
                       zone=NEW_YORK, giver_for={"ana": 1},
                       device_for={"ana": "Ana's iPhone"})
    assert found.action is Action.RECORD
    assert (found.medicine_id, found.given_at, found.caregiver_id) == (1, at(D0, 8, 12), 1)
    assert found.time_from_phone
    assert found.message == "Ticked on Ana's iPhone at 08:12."


def test_a_tick_without_a_time_uses_the_sync_time_and_says_so():
    statuses = _statuses(now=at(D0, 9))
    uid = _first_riluzole_uid(statuses)
    [found] = incoming([RemoteTask(uid, TaskStatus.COMPLETED, None, account="ana")],
                       _sent(statuses), _by_uid(statuses), now=at(D0, 9), zone=NEW_YORK,
                       giver_for={})
    assert found.action is Action.RECORD and found.given_at == at(D0, 9)
    assert not found.time_from_phone and found.caregiver_id is None
    assert "the phone gave no time" in found.message and "09:00" in found.message


def test_a_tick_from_a_phone_whose_clock_is_ahead_is_not_recorded_in_the_future():
    statuses = _statuses(now=at(D0, 9))
    uid = _first_riluzole_uid(statuses)
    [found] = incoming([RemoteTask(uid, TaskStatus.COMPLETED, at(D0, 11))], _sent(statuses),
                       _by_uid(statuses), now=at(D0, 9), zone=NEW_YORK, giver_for={})
    assert found.action is Action.RECORD and found.given_at == at(D0, 9)
    assert not found.time_from_phone


def test_ticked_on_both_sides_makes_no_second_record():
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    before = _statuses(now=at(D0, 8))  # the task went out not yet ticked
    after = _statuses([given(occ, at(D0, 8, 5), id=9, caregiver_id=2)], now=at(D0, 9))
    uid = _first_riluzole_uid(before)
    [found] = incoming([RemoteTask(uid, TaskStatus.COMPLETED, at(D0, 8, 12), "ana")],
                       _sent(before), _by_uid(after), now=at(D0, 9), zone=NEW_YORK,
                       giver_for={"ana": 1}, device_for={"ana": "Ana's phone"})
    assert found.action is Action.TICKED_TWICE and found.entry_id == 9
    assert found.action.asks_a_person  # another giver: maybe given twice
    assert found.message == ("Also ticked on Ana's phone at 08:12, but the app has it "
                             "given at 08:05. Check it was not given twice.")


@pytest.mark.parametrize(("giver", "ticked", "action"), [
    (1, at(D0, 8, 12), Action.ALSO_TICKED),  # the record's giver, 7 minutes after
    (1, at(D0, 7, 56), Action.ALSO_TICKED),  # ... 9 minutes before
    (1, at(D0, 8, 16), Action.TICKED_TWICE),  # 11 minutes after
    (1, None, Action.TICKED_TWICE),  # no time from the phone: cannot tell
    (None, at(D0, 8, 5), Action.TICKED_TWICE),  # an account mapped to nobody
    (2, at(D0, 8, 5), Action.TICKED_TWICE),  # another giver at the same minute
])
def test_a_tick_only_tells_when_it_agrees_with_the_record(giver, ticked, action):
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    before = _statuses(now=at(D0, 8))
    after = _statuses([given(occ, at(D0, 8, 5), id=9, caregiver_id=1)], now=at(D0, 9))
    uid = _first_riluzole_uid(before)
    [found] = incoming([RemoteTask(uid, TaskStatus.COMPLETED, ticked, "ana")],
                       _sent(before), _by_uid(after), now=at(D0, 9), zone=NEW_YORK,
                       giver_for={"ana": giver} if giver else {},
                       device_for={"ana": "Ana's phone"}, names={1: "Ana Helper"})
    assert found.action is action and found.entry_id == 9
    assert found.action.asks_a_person is (action is Action.TICKED_TWICE)
    if action is Action.TICKED_TWICE:
        assert found.message.endswith(", but the app has it given by Ana Helper at "
                                      "08:05. Check it was not given twice.")


def test_unticked_on_a_phone_never_removes_the_record():
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    statuses = _statuses([given(occ, at(D0, 8, 5), id=9)], now=at(D0, 9))
    uid = _first_riluzole_uid(statuses)
    [found] = incoming([RemoteTask(uid, TaskStatus.NEEDS_ACTION)], _sent(statuses),
                       _by_uid(statuses), now=at(D0, 9), zone=NEW_YORK, giver_for={})
    assert found.action is Action.UNTICKED and found.entry_id == 9
    assert "record still says given" in found.message


def test_unticked_on_a_phone_after_the_record_was_corrected_here_asks_nothing():
    """The task went out ticked; the record was then corrected to not given here, and
    the phone un-ticked it before the next sync: they agree, and no note says the
    record "still says given"."""
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    first = given(occ, at(D0, 8, 5), id=9)
    ticked = _statuses([first], now=at(D0, 9))
    corrected = _statuses([first, DoseEntry(
        medicine_id=1, kind=EntryKind.SKIPPED, recorded_at=at(D0, 9), recorded_by_id=2,
        occurrence_key=occ.key, due_at=occ.due, skip_reason=SkipReason.REFUSED, id=10,
        corrects_id=9)], now=at(D0, 9, 5))
    uid = _first_riluzole_uid(ticked)
    assert incoming([RemoteTask(uid, TaskStatus.NEEDS_ACTION)], _sent(ticked),
                    _by_uid(corrected), now=at(D0, 9, 5), zone=NEW_YORK,
                    giver_for={}) == []


def test_conflicts_are_named_and_record_nothing():
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    skipped = DoseEntry(medicine_id=1, kind=EntryKind.SKIPPED, recorded_at=at(D0, 8),
                        recorded_by_id=2, occurrence_key=occ.key, due_at=occ.due,
                        skip_reason=SkipReason.REFUSED, id=4)
    before = _statuses(now=at(D0, 7))
    after = _statuses([skipped], now=at(D0, 9))
    uid = _first_riluzole_uid(before)
    tick = RemoteTask(uid, TaskStatus.COMPLETED, at(D0, 8, 30))
    [found] = incoming([tick], _sent(before), _by_uid(after), now=at(D0, 9), zone=NEW_YORK,
                       giver_for={})
    assert found.action is Action.CONFLICT and "not given" in found.message
    # the dose has gone from the schedule since the task went out
    [gone] = incoming([tick], _sent(before), {}, now=at(D0, 9), zone=NEW_YORK, giver_for={})
    assert gone.action is Action.CONFLICT and "no longer on the schedule" in gone.message
    # cancelled on a phone
    [cancel] = incoming([replace(tick, status=TaskStatus.CANCELLED, completed=None)],
                        _sent(before), _by_uid(before), now=at(D0, 9), zone=NEW_YORK,
                        giver_for={})
    assert cancel.action is Action.CONFLICT


def test_tasks_the_app_never_sent_are_left_alone():
    statuses = _statuses()
    assert incoming([RemoteTask("someone-elses@example.org", TaskStatus.COMPLETED,
                                at(D0, 8))], _sent(statuses), _by_uid(statuses),
                    now=at(D0, 9), zone=NEW_YORK, giver_for={}) == []


_STATES = st.sampled_from(list(TaskStatus))


@settings(max_examples=200, deadline=None)
@hgiven(sent_state=_STATES, remote_state=_STATES, recorded=st.sampled_from(
    ["none", "given", "skipped"]), minutes=st.integers(-600, 600))
def test_a_record_is_made_only_for_a_dose_with_none(sent_state, remote_state, recorded,
                                                    minutes):
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    entries = {
        "none": [],
        "given": [given(occ, at(D0, 8, 5), id=9)],
        "skipped": [DoseEntry(medicine_id=1, kind=EntryKind.SKIPPED, recorded_at=at(D0, 8),
                              recorded_by_id=2, occurrence_key=occ.key, due_at=occ.due,
                              skip_reason=SkipReason.REFUSED, id=4)],
    }[recorded]
    now = at(D0, 12)
    statuses = _statuses(entries, now=now, meds=(RILUZOLE,))
    uid = _first_riluzole_uid(statuses)
    sent = {uid: SentTask(uid, 1, occ.key, sent_state, "x")}
    when = now + timedelta(minutes=minutes)
    found = incoming([RemoteTask(uid, remote_state, when)], sent, _by_uid(statuses),
                     now=now, zone=NEW_YORK, giver_for={})
    assert len(found) <= 1
    records = [f for f in found if f.action is Action.RECORD]
    if records:
        assert recorded == "none" and remote_state is TaskStatus.COMPLETED
        assert records[0].given_at <= now + timedelta(minutes=5)
    if remote_state is sent_state:
        assert found == []  # nothing changed on the phone
    state = statuses[0].state
    assert state in (DoseState.GIVEN, DoseState.SKIPPED, DoseState.MISSED, DoseState.DUE)


def test_when_times_are_utc():
    statuses = _statuses()
    assert all(t.due.utcoffset() == timedelta(0) for t in _tasks(statuses))
    assert datetime(2026, 1, 5, 13, tzinfo=UTC) == _tasks(statuses)[0].due


@pytest.mark.parametrize(("window", "keep", "problems"), [
    ("7", "2", {}),
    (" 0 ", "31", {}),
    ("32", "2", {"window_days": 'Days ahead: a whole number of days from 0 to 31, not "32".'}),
    ("7", "-1", {"keep_days": 'Days kept after: a whole number of days from 0 to 31, '
                              'not "-1".'}),
    ("", "1.5", {"window_days": "Days ahead: enter a number of days (7 is usual).",
                 "keep_days": 'Days kept after: a whole number of days from 0 to 31, '
                              'not "1.5".'}),
])
def test_the_days_on_the_phones_have_one_rule(window, keep, problems):
    """The dialog's fields and the stored settings use the same rule."""
    if problems:
        with pytest.raises(ValidationError) as caught:
            share_days(window, keep)
        assert caught.value.errors == problems
    else:
        assert share_days(window, keep) == (int(window), int(keep))
    stored = ShareConfig.from_texts({"window_days": window.strip(), "keep_days": keep})
    assert stored.window_days == (WINDOW_SETTING.default if "window_days" in problems
                                  else int(window))
    assert stored.keep_days == (KEEP_SETTING.default if "keep_days" in problems
                                else int(keep))


def test_the_kept_log_in_is_for_its_own_server_and_user_only():
    kept = {"server": "https://dav.example.org/", "username": "ana",
            **ShareConfig.login_texts("https://dav.example.org/", "ana", "basic")}
    assert ShareConfig.from_texts(kept).login == "basic"
    assert "login" not in ShareConfig.from_texts(kept).texts()  # a sync keeps it, alone
    # another server or user name: not known there
    assert ShareConfig.from_texts({**kept, "username": "ben"}).login == ""
    assert ShareConfig.from_texts({**kept, "server": "https://other.example.org/"}).login \
        == ""
    # only the way whose password goes with a first request is kept
    assert ShareConfig.login_texts("https://dav.example.org/", "ana", "digest") == {
        "login": "", "login_for": ""}
