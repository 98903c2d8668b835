"""The Today list's sections, worked out in the domain: what is late goes on top, the
rest keeps its part of the day; past days are a plain record."""

from __future__ import annotations

from datetime import time, timedelta

from medicine_builders import D0, NEW_YORK, T8, T20, at, given, medicine

from caregiver_app.domain.dayview import build_day_view
from caregiver_app.domain.doses import DosePolicy
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.today import LookKind
from caregiver_app.domain.today_sections import (
    ASK_HINT,
    UNRECORDED_STATE,
    AnswerButton,
    Column,
    RowActions,
    RowKind,
    answer_for,
    build_sections,
    row_actions,
)

POLICY = DosePolicy()
INITIALS = {1: "TE"}


def _sections(meds, entries=(), *, now, day=D0, today=D0, carried=()):
    view = build_day_view(meds, entries, day, NEW_YORK, now, POLICY)
    return build_sections(view, now=now, today=today, initials=INITIALS, carried=carried)


def _keys(sections):
    return [(s.key, [r.cells[Column.TIME] for r in s.rows]) for s in sections]


def test_an_overdue_dose_goes_on_top_and_the_rest_keep_their_part_of_the_day():
    med = medicine(DailyRegimen(D0, (T8, time(13), T20)))
    sections = _sections([med], now=at(D0, 8, 20))
    assert _keys(sections) == [("overdue", ["08:00"]), ("midday", ["13:00"]),
                               ("evening", ["20:00"])]
    overdue = sections[0]
    assert overdue.urgent and overdue.title == "Overdue (1)"
    assert all(row.section is s for s in sections for row in s.rows)
    assert overdue.rows[0].kind is RowKind.DOSE and overdue.rows[0].medicine_id == 1


def test_a_dose_past_its_grace_period_asks_what_happened():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    sections = _sections([med], now=at(D0, 12))
    first = sections[0]
    assert first.key == "unrecorded" and first.urgent
    (row,) = first.rows
    assert row.look.kind is LookKind.MISSED and row.cells[Column.STATE] == f"✗ {UNRECORDED_STATE}"
    assert row.cells[Column.NOTES].startswith("Say what happened")


def test_a_given_dose_stays_in_its_part_of_the_day():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    (occ, _) = occurrences_on(med, D0, NEW_YORK)
    sections = _sections([med], [given(occ, id=1)], now=at(D0, 12))
    assert _keys(sections) == [("morning", ["08:00"]), ("evening", ["20:00"])]
    assert "Given" in sections[0].rows[0].cells[Column.STATE]


def test_a_past_day_is_a_plain_record_in_time_order():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    later = D0 + timedelta(days=2)
    sections = _sections([med], now=at(later, 12), day=D0, today=later)
    assert [s.key for s in sections] == ["morning", "evening"]
    assert not any(s.urgent for s in sections)


def test_the_day_befores_late_dose_is_carried_to_the_top_of_today():
    med = medicine(DailyRegimen(D0, (time(23),)))
    yesterday = build_day_view([med], (), D0, NEW_YORK, at(D0 + timedelta(days=1), 0, 15),
                               POLICY)
    carried = tuple(d for d in yesterday.doses if d.overdue)
    assert carried
    today = D0 + timedelta(days=1)
    sections = _sections([med], now=at(today, 0, 15), day=today, today=today,
                         carried=carried)
    assert _keys(sections)[0] == ("overdue", ["23:00 Mon"])


# ---- What the card can record, and where Enter takes the keyboard


def _rows(sections):
    return {(s.key, r.cells[Column.TIME]): r for s in sections for r in s.rows}


def test_a_dose_to_give_can_be_given_now_and_enter_goes_to_given_now():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    now = at(D0, 7, 50)
    row = _rows(_sections([med], now=now))["morning", "08:00"]
    actions = row_actions(row, day=D0, today=D0, now=now, can_snooze=True)
    assert actions == RowActions(give_now=True, give_at=True, skip=True, snooze=True)
    assert row_actions(row, day=D0, today=D0, now=now).snooze is False  # no reminders
    answer = answer_for(row, actions)
    assert answer.button is AnswerButton.GIVEN_NOW
    assert answer.hint == "Press G or the Given button to record it."
    # a reminder asking what happened: the answer is the time it was given
    assert answer_for(row, actions, ask=True).button is AnswerButton.GIVEN_AT
    assert answer_for(row, actions, ask=True).hint == ASK_HINT


def test_a_dose_nobody_recorded_asks_for_the_time_it_was_given():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    now = at(D0, 12)
    row = _rows(_sections([med], now=now))["unrecorded", "08:00"]
    actions = row_actions(row, day=D0, today=D0, now=now)
    assert actions.give_at and actions.skip and not actions.correct
    assert answer_for(row, actions).button is AnswerButton.GIVEN_AT
    assert answer_for(row, actions).hint.startswith("Say what happened")


def test_a_recorded_dose_can_only_be_corrected():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    (occ, _) = occurrences_on(med, D0, NEW_YORK)
    now = at(D0, 12)
    row = _rows(_sections([med], [given(occ, id=1)], now=now))["morning", "08:00"]
    actions = row_actions(row, day=D0, today=D0, now=now, can_snooze=True)
    assert actions == RowActions(correct=True)
    answer = answer_for(row, actions)
    assert answer.button is AnswerButton.CORRECT and "Correct this record" in answer.hint


def test_days_ahead_record_nothing_and_days_past_only_at_another_time():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    tomorrow, now = D0 + timedelta(days=1), at(D0, 12)
    planned = _rows(_sections([med], now=now, day=tomorrow))["morning", "08:00"]
    actions = row_actions(planned, day=tomorrow, today=D0, now=now)
    assert actions == RowActions()
    assert answer_for(planned, actions).button is AnswerButton.NONE
    assert answer_for(planned, actions).hint == "Nothing can be recorded for this row."
    later = D0 + timedelta(days=2)
    past = _rows(_sections([med], now=at(later, 12), day=D0, today=later))["morning", "08:00"]
    actions = row_actions(past, day=D0, today=later, now=at(later, 12))
    assert actions.give_at and not actions.give_now
    answer = answer_for(past, actions)
    assert answer.button is AnswerButton.GIVEN_AT and answer.hint.startswith("Press Shift+G")


def test_an_as_needed_medicine_in_use_can_be_given_now_only_today():
    med = medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), given_by=GivenBy.HOME)
    now = at(D0, 12)
    (row,) = [r for s in _sections([med], now=now) for r in s.rows]
    assert row.kind is RowKind.PRN
    assert row_actions(row, day=D0, today=D0, now=now) == RowActions(give_now=True,
                                                                     give_at=True)
    assert row_actions(row, day=D0 - timedelta(days=1), today=D0, now=now) == RowActions(
        give_at=True)
    assert row_actions(row, day=D0 + timedelta(days=1), today=D0, now=now) == RowActions()
