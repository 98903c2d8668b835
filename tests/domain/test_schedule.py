"""The schedule engine, one regimen kind at a time: which doses are due, when, labelled how."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.medicines import StatusChange
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CyclePhase,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    DoseStep,
    IntervalRegimen,
    IntervalUnit,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.domain.schedule import (
    cycle_plan,
    find_occurrence,
    loading_plan,
    occurrences,
    occurrences_on,
    resume_cycle,
    validate_cycle_shift,
)
from caregiver_app.domain.vocab import Form, MedicineStatus, Route


def _between(med, first: date, last: date, **kwargs):
    return occurrences(med, day_bounds(first, NEW_YORK)[0], day_bounds(last, NEW_YORK)[1],
                       NEW_YORK, **kwargs)


def _local(occs) -> list[str]:
    return [o.local.strftime("%Y-%m-%d %H:%M") for o in occs]


# ---- Daily, weekdays, interval


def test_daily_at_two_times():
    med = medicine(DailyRegimen(D0, (T20, T8)))
    occs = _between(med, D0, D0 + timedelta(days=1))
    assert _local(occs) == ["2026-01-05 08:00", "2026-01-05 20:00",
                            "2026-01-06 08:00", "2026-01-06 20:00"]
    assert [o.key for o in occs][:2] == ["2026-01-05T08:00", "2026-01-05T20:00"]
    assert all(o.due.tzinfo is UTC for o in occs)
    assert occs[0].dose == Dose(1, "tablet") and occs[0].form is Form.TABLET


def test_daily_respects_regimen_start_and_end():
    med = medicine(DailyRegimen(D0 + timedelta(days=2), (T8,), end=D0 + timedelta(days=3)))
    assert _local(_between(med, D0, D0 + timedelta(days=10))) == [
        "2026-01-07 08:00", "2026-01-08 08:00"]


def test_medicine_start_date_hides_earlier_doses_of_an_older_regimen():
    med = medicine(DailyRegimen(D0 - timedelta(days=100), (T8,)), start=D0)
    assert _local(_between(med, D0 - timedelta(days=3), D0)) == ["2026-01-05 08:00"]


def test_medicine_end_date():
    med = replace(medicine(DailyRegimen(D0, (T8,))), end_date=D0 + timedelta(days=1))
    assert len(_between(med, D0, D0 + timedelta(days=5))) == 2


def test_weekdays():
    med = medicine(WeekdaysRegimen(D0, frozenset({0, 2, 4}), (time(9),)))  # Mon, Wed, Fri
    days = {o.local.strftime("%a") for o in _between(med, D0, D0 + timedelta(days=13))}
    assert days == {"Mon", "Wed", "Fri"}
    assert len(_between(med, D0, D0 + timedelta(days=13))) == 6


def test_every_three_days_counts_from_the_start_even_for_a_late_range():
    start = date(2020, 1, 1)
    med = medicine(IntervalRegimen(start, 3, (T8,)), start=start)
    occs = _between(med, date(2026, 1, 1), date(2026, 1, 10))
    assert occs and all((o.nominal.date() - start).days % 3 == 0 for o in occs)
    assert len(occs) in (3, 4)


def test_every_two_weeks():
    med = medicine(IntervalRegimen(D0, 2, (time(10),), unit=IntervalUnit.WEEKS))
    occs = _between(med, D0, D0 + timedelta(days=56))
    assert [o.nominal.date() for o in occs] == [D0 + timedelta(days=14 * i) for i in range(5)]


@pytest.mark.parametrize("first, last", [
    (D0, D0), (D0 - timedelta(days=40), D0 + timedelta(days=3)),
    (date(2027, 12, 20), date(2028, 3, 2))])
def test_daily_weekday_and_interval_days_are_those_of_a_calendar_rule(first, last):
    """The days each regimen kind is due on (plain date steps) are those dateutil's
    recurrence rule gives for it (what the schedule used before), over a year's end and a
    leap day, for ranges starting before and after the regimen does."""
    from dateutil.rrule import DAILY, WEEKLY, rrule

    def rule(**kwargs) -> list[date]:
        return [moment.date() for moment in rrule(
            dtstart=datetime.combine(max(first, start), time()),
            until=datetime.combine(last, time()), **kwargs)]

    def due_days(regimen) -> list[date]:
        return [o.nominal.date() for o in _between(
            medicine(regimen, start=D0 - timedelta(days=20)), first, last)]

    start = D0 - timedelta(days=20)
    assert due_days(DailyRegimen(start, (T8,))) == rule(freq=DAILY)
    for weekdays in ({0}, {1, 3}, {5, 6}, set(range(7))):
        assert due_days(WeekdaysRegimen(start, frozenset(weekdays), (T8,))) == rule(
            freq=WEEKLY, byweekday=sorted(weekdays))
    for step in (1, 2, 3, 7, 10):
        expected = [day for day in rule(freq=DAILY) if (day - start).days % step == 0]
        assert due_days(IntervalRegimen(start, step, (T8,))) == expected
    gap = D0 + timedelta(days=1)  # (between the two steps: no dose)
    steps = StepsRegimen((DoseStep(start, Dose(1, "tablet"), (T8,), end=D0),
                          DoseStep(gap + timedelta(days=1), Dose(2, "tablet"), (T8,))))
    assert due_days(steps) == [day for day in rule(freq=DAILY) if day != gap]


# ---- DST


def test_spring_forward_dose_at_0230_is_due_once_at_0300():
    med = medicine(DailyRegimen(D0, (time(2, 30),)))
    occs = occurrences_on(med, date(2026, 3, 8), NEW_YORK)
    assert _local(occs) == ["2026-03-08 03:00"]
    assert occs[0].nominal == datetime(2026, 3, 8, 2, 30)
    assert occs[0].key == "2026-03-08T02:30"


def test_fall_back_dose_at_0130_is_due_once():
    med = medicine(DailyRegimen(D0, (time(1, 30),)))
    occs = occurrences_on(med, date(2026, 11, 1), NEW_YORK)
    assert len(occs) == 1
    assert occs[0].due == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_week_across_both_dst_changes_has_one_dose_per_day():
    med = medicine(DailyRegimen(D0, (time(1, 30), time(2, 30))))
    for first in (date(2026, 3, 5), date(2026, 10, 29)):
        occs = _between(med, first, first + timedelta(days=6))
        assert len(occs) == 14
        assert len({o.key for o in occs}) == 14


# ---- Cycles (edaravone)


def _edaravone(**kwargs):
    return medicine(CycleRegimen(D0, (time(7),)), generic_name="edaravone", **kwargs)


def test_edaravone_cycle_pattern_and_labels():
    occs = _between(_edaravone(), D0, D0 + timedelta(days=28 * 3 - 1))
    days = [(o.nominal.date() - D0).days for o in occs]
    assert days == [*range(14), *range(28, 38), *range(56, 66)]
    assert occs[0].label == "cycle 1, day 1 of 14"
    assert occs[13].label == "cycle 1, day 14 of 14"
    assert occs[14].label == "cycle 2, day 1 of 10"
    assert occs[24 + 3].label == "cycle 3, day 4 of 10"


def test_cycle_count_limit():
    med = medicine(CycleRegimen(D0, (time(7),), cycles=2))
    assert len(_between(med, D0, D0 + timedelta(days=200))) == 24


def test_cycle_with_two_times_a_day():
    med = medicine(CycleRegimen(D0, (T8, T20), first=CyclePhase(3, 3, 7),
                                later=CyclePhase(2, 3, 7)))
    assert len(_between(med, D0, D0 + timedelta(days=13))) == 2 * (3 + 2)


def test_shift_with_carry_moves_the_rest_of_the_cycle_and_later_cycles():
    shift = CycleShift(D0 + timedelta(days=30), 2, carry=True, id=1)  # cycle 2, day 3
    occs = _between(_edaravone(cycle_shifts=(shift,)), D0, D0 + timedelta(days=70))
    days = [(o.nominal.date() - D0).days for o in occs]
    assert days == [*range(14), 28, 29, *range(32, 40), *range(58, 68)]
    labels = {(o.nominal.date() - D0).days: o.label for o in occs}
    assert labels[32] == "cycle 2, day 3 of 10"
    assert labels[58] == "cycle 3, day 1 of 10"


def test_shift_without_carry_keeps_the_next_cycle():
    shift = CycleShift(D0 + timedelta(days=30), 2, carry=False, id=1)
    occs = _between(_edaravone(cycle_shifts=(shift,)), D0, D0 + timedelta(days=70))
    days = [(o.nominal.date() - D0).days for o in occs]
    assert days == [*range(14), 28, 29, *range(32, 40), *range(56, 66)]


def test_pause_stops_the_cycle_and_resume_moves_the_held_dose_to_the_resume_day():
    hold = CycleShift(D0 + timedelta(days=30), None, id=1)
    held = _edaravone(cycle_shifts=(hold,))
    assert [(o.nominal.date() - D0).days for o in
            _between(held, D0 + timedelta(days=28), D0 + timedelta(days=200))] == [28, 29]
    resumed = resume_cycle(held, hold, D0 + timedelta(days=35))
    assert resumed.days == 5
    occs = _between(replace(held, cycle_shifts=(resumed,)), D0 + timedelta(days=28),
                    D0 + timedelta(days=70))
    days = [(o.nominal.date() - D0).days for o in occs]
    assert days[:3] == [28, 29, 35]
    assert occs[2].label == "cycle 2, day 3 of 10"
    assert days[10] == 28 + 28 + 5  # cycle 3 moved by the pause too


def test_cycle_shift_validation():
    med = _edaravone()
    # Cycle 1 has no spare days: only carrying the delay forward is possible.
    with pytest.raises(ValidationError) as info:
        validate_cycle_shift(med, CycleShift(D0 + timedelta(days=5), 1, carry=False),
                             recorded_keys=set())
    assert "days" in info.value.errors
    # Later cycles have 4 spare days in their 14-day period.
    ok = validate_cycle_shift(med, CycleShift(D0 + timedelta(days=30), 4, carry=False,
                                              reason=" late "), recorded_keys=set())
    assert ok.reason == "late"
    with pytest.raises(ValidationError):
        validate_cycle_shift(med, CycleShift(D0 + timedelta(days=30), 5, carry=False),
                             recorded_keys=set())
    # A recorded dose on or after the first moved dose stays where it was.
    with pytest.raises(ValidationError) as info:
        validate_cycle_shift(med, CycleShift(D0 + timedelta(days=30), 1),
                             recorded_keys={"2026-02-04T07:00"})
    assert "already recorded" in info.value.errors["from_date"]
    assert validate_cycle_shift(med, CycleShift(D0 + timedelta(days=30), 1),
                                recorded_keys={"2026-02-02T07:00"})  # before: fine
    with pytest.raises(ValidationError):
        validate_cycle_shift(med, CycleShift(D0, 0), recorded_keys=set())
    paused = _edaravone(cycle_shifts=(CycleShift(D0 + timedelta(days=3), None, id=1),))
    with pytest.raises(ValidationError, match="paused"):
        validate_cycle_shift(paused, CycleShift(D0 + timedelta(days=9), 1), recorded_keys=set())
    not_cycle = medicine(DailyRegimen(D0, (T8,)))
    with pytest.raises(ValidationError):
        validate_cycle_shift(not_cycle, CycleShift(D0, 1), recorded_keys=set())
    # before the last change: the message names its day as the app writes dates
    moved = _edaravone(cycle_shifts=(CycleShift(D0 + timedelta(days=30), 1, id=1),))
    with pytest.raises(ValidationError) as info:
        validate_cycle_shift(moved, CycleShift(D0 + timedelta(days=29), 1), recorded_keys=set())
    assert info.value.errors["from_date"] == (
        "Choose a date on or after 4 Feb 2026, the last change to this cycle.")


def test_cycle_plan_horizon_does_not_change_earlier_doses():
    regimen = CycleRegimen(D0, (time(7),))
    shifts = [CycleShift(D0 + timedelta(days=30), 3, id=1),
              CycleShift(D0 + timedelta(days=60), 2, carry=False, id=2)]
    short = cycle_plan(regimen, shifts, D0 + timedelta(days=70))
    long = cycle_plan(regimen, shifts, D0 + timedelta(days=400))
    assert long[:len(short)] == short


# ---- Loading then maintenance (tofersen)


def _tofersen(**kwargs):
    return medicine(LoadingRegimen(D0, time(9)), generic_name="tofersen", **kwargs)


def test_loading_then_maintenance_on_plan():
    occs = _between(_tofersen(), D0, D0 + timedelta(days=120))
    assert [(o.nominal.date() - D0).days for o in occs] == [0, 14, 28, 56, 84, 112]
    assert [o.label for o in occs[:4]] == ["loading 1 of 3", "loading 2 of 3",
                                           "loading 3 of 3", "maintenance"]
    assert occs[1].key == "loading:2026-01-05:2"


def test_next_dose_counts_from_the_day_a_late_dose_was_actually_given():
    med = _tofersen()
    actual = {(1, "loading:2026-01-05:2"): D0 + timedelta(days=17)}  # 3 days late
    occs = _between(med, D0, D0 + timedelta(days=100), actual=actual)
    days = [(o.nominal.date() - D0).days for o in occs]
    assert days[:5] == [0, 14, 31, 59, 87]  # loading 2 stays due on its day; 3 moves
    actual[(1, "loading:2026-01-05:4")] = D0 + timedelta(days=62)  # maintenance given late
    occs = _between(med, D0, D0 + timedelta(days=100), actual=actual)
    assert [(o.nominal.date() - D0).days for o in occs][3:5] == [59, 90]


def test_early_dose_also_re_anchors_and_keys_are_stable():
    med = _tofersen()
    before = _between(med, D0, D0 + timedelta(days=60))
    actual = {(1, "loading:2026-01-05:1"): D0 - timedelta(days=1)}
    after = _between(med, D0 - timedelta(days=2), D0 + timedelta(days=60), actual=actual)
    assert [o.key for o in after] == [o.key for o in before]
    assert (after[1].nominal.date() - D0).days == 13


def test_loading_plan_ignores_other_courses_in_actual():
    regimen = LoadingRegimen(D0, time(9))
    assert loading_plan(regimen, {}, D0 + timedelta(days=30)) == [
        (1, D0), (2, D0 + timedelta(days=14)), (3, D0 + timedelta(days=28))]
    other = medicine(LoadingRegimen(D0, time(9)), id=2)
    actual = {(1, "loading:2026-01-05:1"): D0 + timedelta(days=5)}  # medicine 1, not 2
    assert _between(other, D0, D0 + timedelta(days=20), actual=actual)[1].nominal.date() == (
        D0 + timedelta(days=14))


# ---- As needed, steps


def test_as_needed_has_no_due_doses():
    med = medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), purpose="drooling")
    assert _between(med, D0, D0 + timedelta(days=30)) == []


def test_dose_steps_titration():
    steps = StepsRegimen((
        DoseStep(D0, Dose(5, "mg"), (T8, time(14), T20), end=D0 + timedelta(days=6)),
        DoseStep(D0 + timedelta(days=7), Dose(10, "mg"), (T8, time(14), T20)),
    ))
    occs = _between(medicine(steps), D0, D0 + timedelta(days=9))
    assert len(occs) == 30
    assert {o.dose for o in occs[:21]} == {Dose(5, "mg")}
    assert {o.dose for o in occs[21:]} == {Dose(10, "mg")}
    assert occs[0].label == "step 1 of 2" and occs[-1].label == "step 2 of 2"


def test_dose_steps_with_a_gap_and_an_end():
    steps = StepsRegimen((
        DoseStep(D0, Dose(1, "tablet"), (T8,), end=D0 + timedelta(days=1)),
        DoseStep(D0 + timedelta(days=4), Dose(2, "tablet"), (T8,), end=D0 + timedelta(days=4)),
    ))
    days = [(o.nominal.date() - D0).days for o in _between(medicine(steps), D0, D0 + timedelta(
        days=10))]
    assert days == [0, 1, 4]


# ---- Versions and status


def test_switching_form_keeps_what_was_due_on_earlier_days():
    switch = D0 + timedelta(days=3)
    med = medicine(versions=(
        version(DailyRegimen(D0, (T8, T20))),
        version(DailyRegimen(D0, (T8, T20)), valid_from=switch, form=Form.LIQUID,
                route=Route.FEEDING_TUBE, dose=Dose(10, "mL"), strength="50 mg/10 mL",
                flush_ml=30),
    ))
    occs = _between(med, D0, D0 + timedelta(days=5))
    assert len(occs) == 12
    before = [o for o in occs if o.nominal.date() < switch]
    after = [o for o in occs if o.nominal.date() >= switch]
    assert {(o.form, o.dose) for o in before} == {(Form.TABLET, Dose(1, "tablet"))}
    assert {(o.form, o.route, o.dose) for o in after} == {
        (Form.LIQUID, Route.FEEDING_TUBE, Dose(10, "mL"))}


def test_changing_times_changes_keys_only_from_the_new_version():
    med = medicine(versions=(version(DailyRegimen(D0, (T8,))),
                             version(DailyRegimen(D0, (time(9),)),
                                     valid_from=D0 + timedelta(days=2))))
    assert [o.key for o in _between(med, D0, D0 + timedelta(days=3))] == [
        "2026-01-05T08:00", "2026-01-06T08:00", "2026-01-07T09:00", "2026-01-08T09:00"]


def test_a_later_version_on_the_same_day_replaces_the_earlier_one():
    med = medicine(versions=(version(DailyRegimen(D0, (T8,))),
                             version(DailyRegimen(D0, (T8,)), dose=Dose(2, "tablet"))))
    assert {o.dose for o in _between(med, D0, D0 + timedelta(days=2))} == {Dose(2, "tablet")}


def test_paused_and_stopped_medicines_have_no_due_doses_in_that_time():
    med = replace(medicine(DailyRegimen(D0, (T8, T20))), status_history=(
        StatusChange(at(D0 + timedelta(days=1), 12), MedicineStatus.PAUSED, "hospital"),
        StatusChange(at(D0 + timedelta(days=3), 12), MedicineStatus.ACTIVE),
        StatusChange(at(D0 + timedelta(days=5), 8), MedicineStatus.STOPPED, "neurologist"),
    ))
    assert _local(_between(med, D0, D0 + timedelta(days=8))) == [
        "2026-01-05 08:00", "2026-01-05 20:00", "2026-01-06 08:00",
        "2026-01-08 20:00", "2026-01-09 08:00", "2026-01-09 20:00"]


def test_find_occurrence():
    med = _tofersen()
    occ = find_occurrence(med, "loading:2026-01-05:3", NEW_YORK)
    assert occ is not None and occ.nominal.date() == D0 + timedelta(days=28)
    daily = medicine(DailyRegimen(D0, (T8,)))
    assert find_occurrence(daily, "2026-01-06T08:00", NEW_YORK).due == at(
        D0 + timedelta(days=1), 8)
    for missing in ("2026-01-06T09:00", "garbage", "loading:nope:1", "2025-01-01T08:00"):
        assert find_occurrence(daily, missing, NEW_YORK) is None


def test_moving_the_start_date_earlier_extends_the_first_version():
    med = replace(medicine(DailyRegimen(D0 - timedelta(days=10), (T8,))),
                  start_date=D0 - timedelta(days=2))
    assert med.versions[0].valid_from == D0
    assert len(_between(med, D0 - timedelta(days=5), D0)) == 3
    assert med.version_on(D0 - timedelta(days=2)) is med.versions[0]
    assert med.version_on(D0 - timedelta(days=3)) is None
