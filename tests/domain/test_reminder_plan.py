"""When to remind: at the due time and not before, again until recorded, after a snooze,
and one catch-up list for what fell due unseen. A simulation over random runs and sleeps
holds the plan to "never twice, never lost"."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from hypothesis import given, settings
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
              start: datetime | None = None) -> list[DoseStatus]:
    from caregiver_app.domain.doses import DoseEntry, EntryKind

    start = start or at(D0)
    end = at(D0 + timedelta(days=3))
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
    assert late.next_at == at(D0, 20)  # 10:05 would be past 10:00, the end of grace


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
    meds = [medicine(DailyRegimen(D0, (T8, time(9), time(10))))]
    log = _log("dose:1:2026-01-05T08:00", at(D0, 8))
    recorded = {"dose:1:2026-01-05T09:00": at(D0, 9, 5)}
    plan = plan_reminders(_statuses(meds, at(D0, 11), recorded), log, at(D0, 11), SETTINGS,
                          POLICY, watched_until=at(D0, 8, 30),
                          held=frozenset({"dose:1:2026-01-05T10:00"}))
    assert plan.catch_up == () and plan.due == ()


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


@settings(max_examples=60, deadline=None)
@given(times=_TIMES, steps=_STEPS, record_every=st.integers(1, 4))
def test_simulated_days_never_remind_twice_and_never_lose_a_dose(times, steps, record_every):
    meds = [medicine(DailyRegimen(D0, tuple(sorted(times))))]
    now = at(D0, 6)
    start = now
    watched = now
    log: dict[str, LogEntry] = {}
    recorded: dict[str, datetime] = {}
    announced: list[str] = []
    listed: list[str] = []
    asleep: list[tuple[datetime, datetime]] = []
    settings_ = ReminderSettings(repeat=None)

    def wake(moment: datetime) -> datetime | None:
        nonlocal watched
        statuses = _statuses(meds, moment, recorded, start=moment - timedelta(days=1))
        plan = plan_reminders(statuses, log, moment, settings_, POLICY, watched_until=watched)
        for status in plan.due:
            subject = subject_of(status)
            announced.append(subject)
            log[subject] = LogEntry(subject, status.occurrence.due, moment, moment)
            if len(announced) % record_every == 0:
                recorded[subject] = moment  # the caregiver gave it straight away
        for status in plan.catch_up:
            subject = subject_of(status)
            listed.append(subject)
            log[subject] = LogEntry(subject, status.occurrence.due, moment, moment,
                                    Shown.CATCH_UP)
        watched = moment
        return plan.next_at

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

    assert len(announced) == len(set(announced)), "a dose was reminded about twice"
    assert not set(announced) & set(listed), "a dose was both reminded and listed"
    assert len(listed) == len(set(listed)), "a dose was listed twice"
    due_by_subject = {f"dose:1:{o.key}": o.due for o in occurrences(
        meds[0], start, now - FRESH + timedelta(seconds=1), NEW_YORK)}
    missing = set(due_by_subject) - set(announced) - set(listed)
    assert not missing, f"lost: {sorted(missing)}"
    for subject in listed:
        due = due_by_subject[subject]
        assert any(a < due <= b for a, b in asleep), f"{subject} listed but fell due awake"
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
