"""The Undo rule below the widgets (``domain.undo``, ``MedicationBook.undo``,
``services.undo.UndoService``): Undo takes back exactly the last action, only for a few
minutes, with corrections (never a delete). A property test runs random sequences of
actions and checks that Undo only ever withdraws what the newest action made."""

from __future__ import annotations

import contextlib
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, at, medicine

from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.reminders import ReminderSettings
from caregiver_app.domain.undo import (
    UNDO_NOTE,
    UNDO_WINDOW,
    describe_action,
    short_action,
)
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.reminders import ReminderService
from caregiver_app.services.undo import UndoService
from caregiver_app.storage.db import memory_database, migrate
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.reminders_repo import ReminderRepository

TIMES = (time(8), time(9), time(10), time(11))
INITIALS = {1: "TE"}


class Clock:
    def __init__(self, now):
        self.value = now

    def now(self):
        return self.value


class Household:
    """A book, the reminders (for snoozes) and the undo service on a fresh database."""

    def __init__(self):
        self.db = memory_database()
        migrate(self.db)
        self.db.table("caregivers").insert({"id": 1, "name": "Tom", "initials": "TE",
                                            "active": 1})
        self.clock = Clock(at(D0, 12))
        self.book = MedicationBook(MedicationRepository(self.db), clock=self.clock,
                                   on_duty=lambda: 1, zone=lambda: NEW_YORK)
        self.reminders = ReminderService(self.book, ReminderRepository(self.db),
                                         clock=self.clock, settings=ReminderSettings)
        self.undo = UndoService(self.book, clock=self.clock, reminders=self.reminders)
        self.book.changes.changed.connect(self.undo.apply_changes)  # as the builder does
        self.riluzole = self.book.add_medicine(medicine(DailyRegimen(D0, TIMES), id=None))
        self.baclofen = self.book.add_medicine(medicine(
            DailyRegimen(D0, TIMES), id=None, generic_name="baclofen"))
        self.glyco = self.book.add_medicine(medicine(
            AsNeededRegimen(D0, timedelta(hours=1), 20), id=None,
            generic_name="glycopyrrolate", purpose="Drooling"))

    def dose(self, index: int) -> tuple[int, str]:
        medicine = (self.riluzole, self.baclofen)[index % 2]
        moment = TIMES[(index // 2) % len(TIMES)]
        return medicine.id, f"{D0.isoformat()}T{moment:%H:%M}"

    def rows(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM dose_entries ORDER BY id"))

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def home(qapp):
    household = Household()
    yield household
    household.close()


# ---- The rule, piece by piece


def test_undo_withdraws_with_a_correction_that_says_so(home):
    entry = home.book.record_given(*home.dose(0))
    action = home.undo.last()
    assert [i.entry.id for i in action.items] == [entry.id]
    assert describe_action(action, NEW_YORK, home.clock.now(), INITIALS) == (
        "riluzole 08:00 given at 12:00 by TE, 1 tablet")
    assert short_action(action, NEW_YORK, home.clock.now()) == "riluzole 08:00 given"
    home.undo.undo()
    rows = home.rows()
    assert len(rows) == 2 and rows[1]["kind"] == EntryKind.ENTERED_IN_ERROR.value
    assert rows[1]["corrects_id"] == entry.id and rows[1]["note"] == UNDO_NOTE
    assert home.undo.last() is None


def test_undo_is_offered_for_five_minutes_only(home):
    home.book.record_given(*home.dose(0))
    home.clock.value += UNDO_WINDOW - timedelta(seconds=1)
    assert home.undo.last() is not None
    home.clock.value += timedelta(seconds=1)
    assert home.undo.last() is None
    with pytest.raises(ValidationError, match="Correct this record"):
        home.undo.undo()
    assert len(home.rows()) == 1


def test_the_book_refuses_an_old_action_even_when_asked_directly(home):
    home.book.record_given(*home.dose(0))
    action = home.undo.last()
    home.clock.value += timedelta(minutes=6)
    with pytest.raises(ValidationError, match="too long ago"):
        home.book.undo(action)
    assert len(home.rows()) == 1


def test_an_entry_corrected_since_is_not_taken_back(home):
    entry = home.book.record_given(*home.dose(0))
    action = home.undo.last()
    home.book.correct(entry.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.ASLEEP)
    with pytest.raises(ValidationError, match="changed after it was made"):
        home.book.undo(action)
    assert len(home.rows()) == 2


def test_a_group_is_undone_together_or_not_at_all(home):
    with home.book.one_action():
        first = home.book.record_given(*home.dose(0))
        second = home.book.record_given(*home.dose(1))
    action = home.undo.last()
    assert {i.entry.id for i in action.items} == {first.id, second.id}
    assert describe_action(action, NEW_YORK, home.clock.now(), INITIALS) == (
        "2 doses due 08:00 given at 12:00 by TE: riluzole, baclofen")
    # one of them corrected meanwhile (outside Undo's knowledge): nothing is written
    home.book.correct(second.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.ASLEEP)
    count = len(home.rows())
    with pytest.raises(ValidationError):
        home.book.undo(action)
    assert len(home.rows()) == count


def test_undo_of_a_dose_recorded_again_after_a_withdrawal_withdraws_it_again(home):
    entry = home.book.record_given(*home.dose(0))
    home.undo.undo()
    again = home.book.record_given(*home.dose(0))
    assert again.corrects_id is not None  # continues the withdrawn chain
    home.undo.undo()
    rows = home.rows()
    assert [r["kind"] for r in rows] == ["given", "entered_in_error", "given",
                                        "entered_in_error"]
    assert rows[0]["id"] == entry.id


# ---- The property: only the newest action's entries are ever taken back


ACTIONS = st.one_of(
    st.tuples(st.just("give"), st.integers(0, 7)),
    st.tuples(st.just("skip"), st.integers(0, 7)),
    st.tuples(st.just("correct"), st.integers(0, 7)),
    st.tuples(st.just("withdraw"), st.integers(0, 7)),
    st.tuples(st.just("group"), st.lists(st.integers(0, 7), min_size=1, max_size=4)),
    st.tuples(st.just("batch"), st.integers(0, 3)),
    st.tuples(st.just("prn"), st.just(0)),
    st.tuples(st.just("extra"), st.just(0)),
    st.tuples(st.just("snooze"), st.integers(0, 7)),
    st.tuples(st.just("refill"), st.just(0)),
    st.tuples(st.just("wait"), st.integers(0, 7)),
    st.tuples(st.just("undo"), st.just(0)),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ACTIONS, min_size=1, max_size=25))
@example([("snooze", 0), ("snooze", 0), ("undo", 0)])
@example([("give", 0), ("give", 1), ("undo", 0), ("undo", 0)])
@example([("give", 0), ("wait", 5), ("undo", 0)])
@example([("group", [0, 1, 0]), ("correct", 1), ("undo", 0)])
@example([("give", 0), ("batch", 0), ("undo", 0), ("undo", 0)])
def test_undo_only_ever_takes_back_the_newest_action(qapp, steps):
    home = Household()
    try:
        _run(home, steps)
    finally:
        home.close()


def _run(home: Household, steps) -> None:
    book, clock = home.book, home.clock
    expected: tuple[str, frozenset[int], object] | None = None  # (kind, ids, at)
    undos = 0
    for name, arg in steps:
        before = {r["id"] for r in home.rows()}
        try:
            if name == "give":
                book.record_given(*home.dose(arg))
            elif name == "skip":
                book.record_skipped(*home.dose(arg), SkipReason.ASLEEP)
            elif name in ("correct", "withdraw"):
                status = next(s for s in book.statuses(D0, D0)
                              if s.key == home.dose(arg))
                if status.chain is None:
                    continue
                if name == "correct":
                    book.correct(status.chain.head.id, kind=EntryKind.SKIPPED,
                                 skip_reason=SkipReason.REFUSED)
                else:
                    book.correct(status.chain.head.id, kind=EntryKind.ENTERED_IN_ERROR,
                                 note="wrong medicine")
            elif name == "group":
                with book.one_action():
                    for index in arg:
                        with contextlib.suppress(ValidationError):
                            book.record_given(*home.dose(index))
            elif name == "batch":  # "Given: all due at 08:00" and the like
                due = at(D0, TIMES[arg].hour)
                choices = [i.choice for i in book.batch_plan(due).included]
                if not choices:
                    continue
                book.record_batch(due, choices)
            elif name == "prn":
                book.record_prn(home.glyco.id, override_reason="needed")
            elif name == "extra":
                book.record_extra(home.baclofen.id, reason="cramps")
            elif name == "snooze":
                home.reminders.snooze(*home.dose(arg), 10)
                expected = ("snooze", frozenset(), clock.value)
                continue
            elif name == "refill":
                book.refill(home.riluzole.id, 10)
                expected = None
                continue
            elif name == "wait":
                clock.value += timedelta(minutes=arg)
                continue
            elif name == "undo":
                _check_undo(home, expected, before)
                undos += 1
                expected = None
                continue
        except ValidationError:
            assert {r["id"] for r in home.rows()} == before  # refused: nothing written
            continue
        made = frozenset({r["id"] for r in home.rows()} - before)
        if made:
            expected = ("record", made, clock.value)
    _check_undo(home, expected, {r["id"] for r in home.rows()})


def _check_undo(home: Household, expected, before: set[int]) -> None:
    live = expected is not None and abs(home.clock.value - expected[2]) < UNDO_WINDOW
    snoozes = home.reminders.snoozes()
    try:
        action = home.undo.undo()
    except ValidationError:
        assert not live, "an action that may be undone was refused"
        assert {r["id"] for r in home.rows()} == before
        return
    assert live, "Undo acted although no action may be undone"
    rows = home.rows()
    new = [r for r in rows if r["id"] not in before]
    kind, ids, _at = expected
    if kind == "snooze":
        assert new == [] and action.snooze is not None
        key = (action.snooze.medicine_id, action.snooze.key)
        assert snoozes[key] == action.snooze.until  # the newest snooze, put back
        assert home.reminders.snoozed_until(*key) == action.snooze.before
        return
    # one correction per entry the action made, and nothing else
    assert sorted(r["corrects_id"] for r in new) == sorted(ids)
    assert all(r["recorded_by"] == 1 for r in new)
