"""When to remind: at the due time and not before, again until recorded, after a snooze,
and one catch-up list for what fell due unseen. A simulation over random runs and sleeps
holds the plan to "never twice, never lost"."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine

from caregiver_app.domain.doses import DosePolicy, DoseStatus, dose_statuses
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import GivenBy, Medicine
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.reminders import (
    FRESH,
    LogEntry,
    ReminderSettings,
    Shown,
    plan_reminders,
    subject_of,
)
from caregiver_app.domain.schedule import occurrences

POLICY = DosePolicy()
SETTINGS = ReminderSettings(lead=timedelta(0), repeat=timedelta(minutes=10))


def _statuses(meds: list[Medicine], now: datetime, recorded: dict[str, datetime] | None = None,
              start: datetime | None = None, end: datetime | None = None
              ) -> list[DoseStatus]:
    from caregiver_app.domain.doses import DoseEntry, EntryKind

    start = start or at(D0)
    end = end or at(D0 + timedelta(days=3))
    found = sorted((o for m in meds for o in occurrences(m, start, end, NEW_YORK)),
                   key=lambda o: (o.due, o.key))
    entries = []
    for n, occ in enumerate(found):
        key = f"dose:{occ.medicine_id}:{occ.key}"
        if recorded and key in recorded and recorded[key] <= now:
            entries.append(DoseEntry(medicine_id=occ.medicine_id, kind=EntryKind.GIVEN,
                                     recorded_at=recorded[key], recorded_by_id=1,
                                     occurrence_key=occ.key, due_at=occ.due,
                                     given_at=recorded[key], amount=occ.dose, id=n + 1))
    return dose_statuses(found, {m.id: m for m in meds}, entries, now, POLICY)


def _log(subject: str, shown: datetime, **kwargs) -> dict[str, LogEntry]:
    return {subject: LogEntry(subject, shown, shown, kwargs.pop("last", shown), **kwargs)}


def test_reminds_at_the_due_time_and_not_before():
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    before = plan_reminders(_statuses(meds, at(D0, 7, 59)), {}, at(D0, 7, 59), SETTINGS,
                            POLICY, watched_until=at(D0, 7))
    assert before.empty and before.next_at == at(D0, 8)
    due = plan_reminders(_statuses(meds, at(D0, 8)), {}, at(D0, 8), SETTINGS, POLICY,
                         watched_until=at(D0, 7, 59))
    assert [s.occurrence.key for s in due.due] == ["2026-01-05T08:00"]
    assert due.catch_up == () and due.next_at == at(D0, 8, 10)  # the first repeat


def test_repeats_until_recorded_and_stops_after_the_grace_period():
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    subject = "dose:1:2026-01-05T08:00"
    log = _log(subject, at(D0, 8))
    plan = plan_reminders(_statuses(meds, at(D0, 8, 1)), log, at(D0, 8, 1), SETTINGS, POLICY,
                          watched_until=at(D0, 8))
    assert plan.empty and plan.next_at == at(D0, 8, 10)
    again = plan_reminders(_statuses(meds, at(D0, 8, 10)), log, at(D0, 8, 10), SETTINGS,
                           POLICY, watched_until=at(D0, 8, 1))
    assert [s.occurrence.key for s in again.repeat] == ["2026-01-05T08:00"]
    recorded = {subject: at(D0, 8, 5)}
    done = plan_reminders(_statuses(meds, at(D0, 8, 10), recorded), log, at(D0, 8, 10),
                          SETTINGS, POLICY, watched_until=at(D0, 8, 1))
    assert done.empty and done.next_at == at(D0, 20)
    last = _log(subject, at(D0, 8), last=at(D0, 9, 55))
    late = plan_reminders(_statuses(meds, at(D0, 9, 58)), last, at(D0, 9, 58), SETTINGS,
                          POLICY, watched_until=at(D0, 9, 55))
    # no repeat at 10:05, past 10:00, the end of grace; but not silence either: one last
    # notice at 10:00 (this used to say nothing more until 20:00)
    assert late.next_at == at(D0, 10)
    end = plan_reminders(_statuses(meds, at(D0, 10)), last, at(D0, 10), SETTINGS, POLICY,
                         watched_until=at(D0, 9, 58))
    assert [s.occurrence.key for s in end.unrecorded] == ["2026-01-05T08:00"]
    assert end.repeat == () and end.catch_up == () and end.next_at == at(D0, 20)
    shown = _log(subject, at(D0, 8), last=at(D0, 10))
    after = plan_reminders(_statuses(meds, at(D0, 10, 1)), shown, at(D0, 10, 1), SETTINGS,
                           POLICY, watched_until=at(D0, 10))
    assert after.empty and after.next_at == at(D0, 20)  # asked once, never again


def test_a_snooze_holds_the_reminder_then_fires_it_again():
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    subject = "dose:1:2026-01-05T08:00"
    log = _log(subject, at(D0, 8), snoozed_until=at(D0, 8, 30))
    held = plan_reminders(_statuses(meds, at(D0, 8, 20)), log, at(D0, 8, 20), SETTINGS,
                          POLICY, watched_until=at(D0, 8, 10))
    assert held.empty and held.next_at == at(D0, 8, 30)
    over = plan_reminders(_statuses(meds, at(D0, 8, 30)), log, at(D0, 8, 30), SETTINGS,
                          POLICY, watched_until=at(D0, 8, 20))
    assert [s.occurrence.key for s in over.repeat] == ["2026-01-05T08:00"]


def test_a_dose_snoozed_before_it_is_due_is_reminded_when_the_snooze_ends():
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    log = _log("dose:1:2026-01-05T08:00", at(D0, 7, 55), how=Shown.SNOOZE,
               snoozed_until=at(D0, 8, 10))
    plan = plan_reminders(_statuses(meds, at(D0, 8)), log, at(D0, 8), SETTINGS, POLICY,
                          watched_until=at(D0, 7, 55))
    assert plan.empty and plan.next_at == at(D0, 8, 10)


def test_early_heads_up_once():
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    early = ReminderSettings(lead=timedelta(minutes=15), repeat=None)
    plan = plan_reminders(_statuses(meds, at(D0, 7)), {}, at(D0, 7), early, POLICY,
                          watched_until=at(D0, 7))
    assert plan.next_at == at(D0, 7, 45)
    heads_up = plan_reminders(_statuses(meds, at(D0, 7, 45)), {}, at(D0, 7, 45), early,
                              POLICY, watched_until=at(D0, 7))
    assert [s.occurrence.key for s in heads_up.early] == ["2026-01-05T08:00"]
    assert heads_up.next_at == at(D0, 8)
    again = plan_reminders(_statuses(meds, at(D0, 7, 50)), {}, at(D0, 7, 50), early, POLICY,
                           watched_until=at(D0, 7, 45))
    assert again.early == ()


def test_what_fell_due_unseen_goes_into_one_catch_up_list():
    meds = [medicine(DailyRegimen(D0, (T8, time(9), time(10), time(10, 58))))]
    plan = plan_reminders(_statuses(meds, at(D0, 11)), {}, at(D0, 11), SETTINGS, POLICY,
                          watched_until=at(D0, 7, 30))
    assert [s.occurrence.local.strftime("%H:%M") for s in plan.catch_up] == [
        "08:00", "09:00", "10:00"]
    assert [s.occurrence.local.strftime("%H:%M") for s in plan.due] == ["10:58"]  # fresh


def test_shown_recorded_and_held_doses_are_never_listed():
    # (this used to run to 11:00, past the 08:00 dose's grace period: such a dose is now
    # listed, see the next test; here the shown dose is still within its grace period)
    meds = [medicine(DailyRegimen(D0, (T8, time(8, 20), time(8, 40))))]
    log = _log("dose:1:2026-01-05T08:00", at(D0, 8))
    recorded = {"dose:1:2026-01-05T08:20": at(D0, 8, 25)}
    plan = plan_reminders(_statuses(meds, at(D0, 9, 50), recorded), log, at(D0, 9, 50),
                          SETTINGS, POLICY, watched_until=at(D0, 8, 10),
                          held=frozenset({"dose:1:2026-01-05T08:40"}))
    assert plan.catch_up == () and plan.due == ()


def test_a_dose_reminded_just_before_a_gap_is_listed_when_its_grace_ended_unseen():
    """08:00 reminded, the laptop asleep 08:05 to 11:05: it is in the list (it used to
    get neither a list entry nor another reminder, and went missed silently)."""
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    log = _log("dose:1:2026-01-05T08:00", at(D0, 8))
    plan = plan_reminders(_statuses(meds, at(D0, 11, 5)), log, at(D0, 11, 5), SETTINGS,
                          POLICY, watched_until=at(D0, 8, 5))
    assert [s.occurrence.key for s in plan.catch_up] == ["2026-01-05T08:00"]
    assert plan.unrecorded == () and plan.repeat == ()


def test_a_dose_reminded_twice_then_a_gap_is_listed():
    """Edaravone 07:00, reminded at 07:00 and 07:10, asleep until 10:30."""
    meds = [medicine(DailyRegimen(D0, (time(7),)), generic_name="edaravone"),
            medicine(DailyRegimen(D0, (T8,)), id=2)]
    log = _log("dose:1:2026-01-05T07:00", at(D0, 7), last=at(D0, 7, 10))
    plan = plan_reminders(_statuses(meds, at(D0, 10, 30)), log, at(D0, 10, 30), SETTINGS,
                          POLICY, watched_until=at(D0, 7, 12))
    assert [s.occurrence.key for s in plan.catch_up] == ["2026-01-05T07:00",
                                                         "2026-01-05T08:00"]


def test_a_snoozed_dose_reminded_then_the_app_closed_is_listed():
    """Baclofen 14:00 snoozed until 14:05, reminded at 14:05, app closed 14:06-21:30."""
    meds = [medicine(DailyRegimen(D0, (time(14),)), generic_name="baclofen")]
    log = _log("dose:1:2026-01-05T14:00", at(D0, 14), last=at(D0, 14, 5),
               snoozed_until=at(D0, 14, 5))
    plan = plan_reminders(_statuses(meds, at(D0, 21, 30)), log, at(D0, 21, 30), SETTINGS,
                          POLICY, watched_until=at(D0, 14, 6))
    assert [s.occurrence.key for s in plan.catch_up] == ["2026-01-05T14:00"]


def test_a_snooze_that_ended_past_grace_while_away_is_listed_and_awake_asks_once():
    meds = [medicine(DailyRegimen(D0, (T8,)))]
    log = _log("dose:1:2026-01-05T08:00", at(D0, 8), snoozed_until=at(D0, 10, 30))
    away = plan_reminders(_statuses(meds, at(D0, 12)), log, at(D0, 12), SETTINGS, POLICY,
                          watched_until=at(D0, 10, 20))
    assert [s.occurrence.key for s in away.catch_up] == ["2026-01-05T08:00"]
    awake = plan_reminders(_statuses(meds, at(D0, 10, 30)), log, at(D0, 10, 30), SETTINGS,
                           POLICY, watched_until=at(D0, 10, 20))
    assert [s.occurrence.key for s in awake.unrecorded] == ["2026-01-05T08:00"]
    assert awake.repeat == () and awake.catch_up == ()


def test_the_end_of_grace_is_asked_about_even_with_repeats_off():
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    once = ReminderSettings(repeat=None)
    log = _log("dose:1:2026-01-05T08:00", at(D0, 8))
    plan = plan_reminders(_statuses(meds, at(D0, 8, 1)), log, at(D0, 8, 1), once, POLICY,
                          watched_until=at(D0, 8))
    assert plan.empty and plan.next_at == at(D0, 10)
    end = plan_reminders(_statuses(meds, at(D0, 10)), log, at(D0, 10), once, POLICY,
                         watched_until=at(D0, 10))
    assert [s.occurrence.key for s in end.unrecorded] == ["2026-01-05T08:00"]


def test_a_long_past_dose_whose_grace_ended_while_watched_is_not_announced_late():
    """A reminder log from before the last notice existed (or a record withdrawn days
    later) does not bring a stack of stale notices: the Today tab shows those."""
    meds = [medicine(DailyRegimen(D0, (T8, T20)))]
    log = _log("dose:1:2026-01-05T08:00", at(D0, 8))
    plan = plan_reminders(_statuses(meds, at(D0, 15)), log, at(D0, 15), SETTINGS, POLICY,
                          watched_until=at(D0, 14, 59))
    assert plan.empty and plan.next_at == at(D0, 20)


def test_clinic_doses_are_reminded_once():
    meds = [medicine(DailyRegimen(D0, (T8,)), given_by=GivenBy.CLINIC)]
    log = _log("dose:1:2026-01-05T08:00", at(D0, 8))
    plan = plan_reminders(_statuses(meds, at(D0, 9)), log, at(D0, 9), SETTINGS, POLICY,
                          watched_until=at(D0, 8, 59))
    assert plan.repeat == ()


# ---- Never twice, never lost

_TIMES = st.lists(st.sampled_from([time(h, m) for h in range(0, 24) for m in (0, 20, 40)]),
                  min_size=1, max_size=5, unique=True)
_STEPS = st.lists(st.tuples(st.sampled_from(["run", "sleep"]), st.integers(5, 600)),
                  min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(times=_TIMES, steps=_STEPS, record_every=st.integers(1, 4),
       repeat=st.sampled_from([None, 10, 30]), snooze=st.sampled_from([0, 15, 150]))
@example(times=[time(0, 0)], steps=[("run", 5), ("run", 360)] + [("run", 600)] * 6,
         record_every=1, repeat=None, snooze=0)  # (runs past the third midnight)
def test_simulated_days_never_remind_twice_and_never_lose_a_dose(times, steps, record_every,
                                                                 repeat, snooze):
    """Random days of running and sleeping (or the app closed). The caregiver gives some
    doses at the first reminder, snoozes some, and leaves the rest (and every listed one)
    unrecorded. Then: no first reminder twice; nothing at all about a recorded dose; every
    dose reminded or listed; every dose left unrecorded asked about once more when its
    grace period (or a snooze past it) ends, as a last notice if awake or in the list if
    not, and never again after that; a dose listed only when something about it
    happened while nobody was watching."""
    from dataclasses import replace

    # (the service's look ahead and longest sleep: the days run past any fixed horizon)
    from caregiver_app.services.reminders import LOOKAHEAD, MAX_SLEEP

    meds = [medicine(DailyRegimen(D0, tuple(sorted(times))))]
    grace = POLICY.home.grace
    now = at(D0, 6)
    start = now
    watched = now
    log: dict[str, LogEntry] = {}
    recorded: dict[str, datetime] = {}
    snoozed: dict[str, datetime] = {}
    announced: list[str] = []  # first reminders
    events: list[tuple[str, str, datetime]] = []  # (what, subject, when): everything shown
    asleep: list[tuple[datetime, datetime]] = []
    settings_ = ReminderSettings(repeat=timedelta(minutes=repeat) if repeat else None)
    reacted = 0

    def show(subject: str, due: datetime, moment: datetime, how: Shown) -> None:
        entry = log.get(subject)
        log[subject] = (replace(entry, last_shown_at=moment) if entry
                        else LogEntry(subject, due, moment, moment, how))

    def wake(moment: datetime) -> datetime | None:
        nonlocal watched, reacted
        statuses = _statuses(meds, moment, recorded, start=moment - timedelta(days=1),
                             end=moment + LOOKAHEAD)
        plan = plan_reminders(statuses, log, moment, settings_, POLICY, watched_until=watched)
        group_snoozed = []
        for what, group in (("due", plan.due), ("repeat", plan.repeat),
                            ("unrecorded", plan.unrecorded), ("listed", plan.catch_up)):
            for status in group:
                subject = subject_of(status)
                events.append((what, subject, moment))
                show(subject, status.occurrence.due, moment,
                     Shown.CATCH_UP if what == "listed" else Shown.REMINDER)
                if what != "due":
                    continue
                announced.append(subject)
                reacted += 1
                if reacted % record_every == 0:
                    recorded[subject] = moment  # the caregiver gave it straight away
                elif snooze and reacted % record_every == 1:
                    until = max(moment, status.occurrence.due) + timedelta(minutes=snooze)
                    snoozed[subject] = until
                    log[subject] = replace(log[subject], snoozed_until=until)
                    group_snoozed.append(subject)
        watched = moment
        if any(group_snoozed):
            return wake(moment)  # a snooze re-arms the service at once
        return min(plan.next_at or moment + MAX_SLEEP, moment + MAX_SLEEP)

    next_at = wake(now)
    for mode, minutes in steps:
        until = now + timedelta(minutes=minutes)
        if mode == "run":
            while next_at is not None and next_at <= until:
                now = next_at
                next_at = wake(now)
            now = until
            watched = max(watched, min(until, next_at or until))  # watchdog ticks
        else:
            asleep.append((now, until))
            now = until
            next_at = wake(now)

    due_by_subject = {f"dose:1:{o.key}": o.due for o in occurrences(
        meds[0], start, now - FRESH + timedelta(seconds=1), NEW_YORK)}

    def attention(subject: str) -> datetime:
        """When an unrecorded dose is past help: the end of its grace period, or of a
        snooze that ran past it."""
        end = due_by_subject[subject] + grace
        return max(end, snoozed.get(subject, end))

    def unwatched(moment: datetime) -> bool:
        return any(a < moment <= b for a, b in asleep)

    assert len(announced) == len(set(announced)), "a dose was reminded about twice"
    for what, subject, moment in events:
        assert subject not in recorded or moment <= recorded[subject], \
            f"{what} about {subject}, recorded at {recorded.get(subject)}"
    missing = set(due_by_subject) - {s for _, s, _ in events}
    assert not missing, f"lost: {sorted(missing)}"
    for subject, due in due_by_subject.items():
        mine = [(w, m) for w, s, m in events if s == subject]
        last_asks = [(w, m) for w, m in mine
                     if w in ("unrecorded", "listed") and m >= attention(subject)]
        assert len(last_asks) <= 1, f"{subject} asked about twice at the end: {mine}"
        if subject not in recorded and attention(subject) <= now - FRESH:
            assert last_asks, f"{subject} went missed without a word: {mine}"
        assert all(m <= attention(subject) for w, m in mine if w == "repeat"), \
            f"{subject} repeated past its grace period"
        before = [m for w, m in mine if w == "listed" and m < attention(subject)]
        assert len(before) <= 1, f"{subject} listed twice: {mine}"
        for what, moment in mine:
            if what == "listed":
                assert unwatched(due) or unwatched(attention(subject)) or (
                    subject in snoozed and unwatched(snoozed[subject])), \
                    f"{subject} listed at {moment} but nothing happened unwatched"
            if what == "unrecorded":
                assert moment >= attention(subject) - timedelta(seconds=1)
    assert all(to_utc(recorded[s]) >= due_by_subject.get(s, recorded[s]) for s in recorded)


# ---- Appointments


def _visit(day, hour, id=1):
    from caregiver_app.domain.appointments import Appointment

    return Appointment(starts_at=at(day, hour), purpose="Neurologist visit",
                       time_zone="America/New_York", id=id)


def test_appointments_the_evening_before_and_hours_before():
    from caregiver_app.domain.reminders import plan_appointment_reminders

    visit = _visit(D0 + timedelta(days=1), 10)
    plan = plan_appointment_reminders([visit], set(), at(D0, 12), hours_before=2,
                                      watched_until=at(D0, 12))
    assert plan.fire == () and plan.next_at == at(D0, 18)
    eve = plan_appointment_reminders([visit], set(), at(D0, 18), hours_before=2,
                                     watched_until=at(D0, 17))
    assert [r.kind for r in eve.fire] == ["day_before"]
    assert eve.fire[0].text.startswith("Tomorrow: Neurologist visit")
    soon = plan_appointment_reminders([visit], {"appointment:1:day_before"},
                                      at(D0 + timedelta(days=1), 8), hours_before=2,
                                      watched_until=at(D0, 18))
    assert [r.kind for r in soon.fire] == ["hours_before"]


def test_appointment_reminders_missed_while_away_come_once_and_only_the_latest():
    from caregiver_app.domain.reminders import plan_appointment_reminders

    visit = _visit(D0 + timedelta(days=1), 10)
    late = plan_appointment_reminders([visit], set(), at(D0 + timedelta(days=1), 9),
                                      hours_before=2, watched_until=at(D0, 12))
    assert [r.kind for r in late.fire] == ["hours_before"]
    assert [r.kind for r in late.settle] == ["day_before"]
    over = plan_appointment_reminders([visit], set(), at(D0 + timedelta(days=1), 11),
                                      hours_before=2, watched_until=at(D0, 12))
    assert over.fire == () and len(over.settle) == 2  # it has started: nothing to say


def test_an_appointment_entered_after_its_reminder_time_is_not_announced_late():
    from caregiver_app.domain.reminders import plan_appointment_reminders

    visit = _visit(D0 + timedelta(days=1), 10)
    plan = plan_appointment_reminders([visit], set(), at(D0, 20), hours_before=2,
                                      watched_until=at(D0, 19, 59))
    assert plan.fire == () and [r.kind for r in plan.settle] == ["day_before"]
    assert plan.next_at == at(D0 + timedelta(days=1), 8)
