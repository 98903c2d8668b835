"""Rules the Today tab used to work out itself, checked without Qt: the header line with
what is left from yesterday, the date bar's note, the lines under the header, which
medicines' stock is watched, when the day is read again by itself, and which row the
list starts on (``domain.today``, ``domain.today_sections``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from medicine_builders import D0, NEW_YORK, T8, T20, at, given, medicine

from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.dayview import build_day_view
from caregiver_app.domain.doses import DosePolicy
from caregiver_app.domain.medicines import StatusChange, SupplySettings
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.today import (
    appointment_text,
    day_note,
    day_summary,
    header_summary,
    next_change,
    next_refresh,
    notice_lines,
    watch_supply,
)
from caregiver_app.domain.today_sections import build_sections, first_actionable
from caregiver_app.domain.vocab import MedicineStatus

POLICY = DosePolicy()
D1 = D0 + timedelta(days=1)


def _view(meds, entries=(), *, now, day=D0):
    return build_day_view(meds, entries, day, NEW_YORK, now, POLICY)


def test_the_header_counts_what_is_left_from_yesterday_only_on_today():
    late = medicine(DailyRegimen(D0, (time(23),)))
    now = at(D1, 0, 15)
    yesterday = _view([late], now=now)
    carried = tuple(d for d in yesterday.doses if d.overdue)
    assert len(carried) == 1
    today = _view([late], now=now, day=D1)
    assert day_summary(today, D1, carried) == (
        header_summary(today, D1) + " · 1 overdue from yesterday")
    unrecorded = tuple(replace(d, overdue=False) for d in carried)
    assert day_summary(today, D1, unrecorded).endswith(" · 1 not recorded from yesterday")
    assert day_summary(yesterday, D1, carried) == header_summary(yesterday, D1)
    assert day_summary(today, D1) == header_summary(today, D1)


def test_the_date_bar_says_what_the_day_shown_holds():
    assert day_note(D0, D0) == "Today"
    assert day_note(D0 - timedelta(days=1), D0) == "Yesterday: what was recorded"
    assert day_note(D1, D0) == "Tomorrow: planned"
    assert day_note(D0 - timedelta(days=5), D0) == "Past day: what was recorded"
    assert day_note(D0 + timedelta(days=5), D0).startswith("Future day: planned")


def test_the_lines_under_the_header_name_three_appointments_then_count():
    def visit(days: int, purpose: str, who: str = "") -> Appointment:
        return Appointment(starts_at=at(D0 + timedelta(days=days), 10), purpose=purpose,
                           contact_name=who)

    visits = [visit(0, "ALS clinic visit", "Dr Lee"), visit(1, "Breathing test"),
              visit(3, "Home visit"), visit(4, "Blood test"), visit(5, "Swallowing check")]
    assert appointment_text(visits[0], NEW_YORK, D0) == "today 10:00 ALS clinic visit with Dr Lee"
    assert appointment_text(visits[1], NEW_YORK, D0) == "tomorrow 10:00 Breathing test"
    assert appointment_text(visits[2], NEW_YORK, D0) == "Thu 8 Jan 10:00 Home visit"
    lines = notice_lines(visits, ["Reorder riluzole: runs out Fri 9 Jan", ""],
                         zone=NEW_YORK, today=D0)
    assert lines == ["Appointment today 10:00 ALS clinic visit with Dr Lee",
                     "Appointment tomorrow 10:00 Breathing test",
                     "Appointment Thu 8 Jan 10:00 Home visit",
                     "and 2 more appointments this week",
                     "⚠ Reorder riluzole: runs out Fri 9 Jan"]
    assert notice_lines([], [], zone=NEW_YORK, today=D0) == []


def test_stock_is_watched_when_counted_and_not_stopped():
    counted = replace(medicine(), supply=SupplySettings(unit="tablet"))
    now = at(D0, 12)
    assert watch_supply(counted, now)
    assert not watch_supply(medicine(), now)
    assert not watch_supply(replace(counted, id=None), now)
    stopped = replace(counted, status_history=(StatusChange(at(D0, 9),
                                                            MedicineStatus.STOPPED),))
    assert not watch_supply(stopped, now)
    paused = replace(counted, status_history=(StatusChange(at(D0, 9),
                                                           MedicineStatus.PAUSED),))
    assert watch_supply(paused, now)


def test_the_day_is_read_again_at_its_next_change_or_when_a_snooze_ends():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    now = at(D0, 12)
    view = _view([med], now=now)
    assert next_refresh(view, POLICY, {}, now) == next_change(view, POLICY) == at(D0, 19)
    assert next_refresh(view, POLICY, {(1, "x"): at(D0, 12, 10)}, now) == at(D0, 12, 10)
    assert next_refresh(view, POLICY, {(1, "x"): at(D0, 11)}, now) == at(D0, 19)  # ended
    past = _view([med], now=at(D0 + timedelta(days=2), 9))
    assert next_refresh(past, POLICY, {}, at(D0 + timedelta(days=2), 9)) is None


def test_the_list_starts_on_the_first_dose_asking_for_something():
    med = medicine(DailyRegimen(D0, (T8, time(13), T20)))
    occs = occurrences_on(med, D0, NEW_YORK)

    def start(entries, now):
        view = _view([med], entries, now=now)
        sections = build_sections(view, now=now, today=D0, initials={})
        found = first_actionable(sections)
        assert found is not None
        return sections[found[0]].rows[found[1]].cells[0]

    assert start([], at(D0, 12)) == "08:00"  # not recorded yet, on top
    assert start([given(occs[0], id=1)], at(D0, 12)) == "13:00"  # the next to give
    every = [given(o, id=i + 1) for i, o in enumerate(occs)]
    assert start(every, at(D0, 21)) == "08:00"  # all given: the first row
    assert first_actionable([]) is None
