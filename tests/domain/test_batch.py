"""``domain.batch.plan_batch``: what "Given: all due at 08:00" lists, and what it never
ticks by itself."""

from __future__ import annotations

from datetime import time

from medicine_builders import D0, NEW_YORK, T8, at, given, medicine

from caregiver_app.domain.batch import plan_batch, time_group
from caregiver_app.domain.dayview import build_day_view
from caregiver_app.domain.doses import DosePolicy
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind

POLICY = DosePolicy()
EMPTY = FoodRule(FoodRuleKind.EMPTY_STOMACH, before_minutes=60, after_minutes=120)


def _meds():
    return [medicine(DailyRegimen(D0, (T8,)), id=1, food_rule=EMPTY),
            medicine(DailyRegimen(D0, (T8,)), id=2, generic_name="baclofen"),
            medicine(DailyRegimen(D0, (T8,)), id=3, generic_name="edaravone",
                     given_by=GivenBy.CLINIC),
            medicine(DailyRegimen(D0, (time(7, 30),)), id=4, generic_name="pyridostigmine",
                     food_rule=FoodRule(FoodRuleKind.WITH_FOOD))]


def test_the_group_is_the_home_doses_still_to_record_at_that_time():
    meds = _meds()
    baclofen = occurrences_on(meds[1], D0, NEW_YORK)[0]
    view = build_day_view(meds, [given(baclofen, id=1)], D0, NEW_YORK, at(D0, 8, 5), POLICY)
    assert [d.medicine.generic_name for d in time_group(view, at(D0, 8))] == ["riluzole"]


def test_on_time_doses_are_ticked_and_a_late_one_says_so():
    meds = _meds()[:2]
    view = build_day_view(meds, [], D0, NEW_YORK, at(D0, 9, 30), POLICY)
    plan = plan_batch(view, at(D0, 8), at(D0, 9, 30), POLICY)
    assert [(i.name, i.included, i.warnings) for i in plan.items] == [
        ("baclofen 50 mg", True, ("1 h 30 min late.",)),
        ("riluzole 50 mg", True, ("1 h 30 min late.",))]


def test_an_empty_stomach_dose_after_a_meal_dose_needs_its_own_tick():
    meds = _meds()
    view = build_day_view(meds, [], D0, NEW_YORK, at(D0, 8, 5), POLICY)
    plan = plan_batch(view, at(D0, 8), at(D0, 8, 5), POLICY,
                      given_with_food=[at(D0, 7, 30)])
    riluzole = next(i for i in plan.items if i.name == "riluzole 50 mg")
    assert not riluzole.included
    assert riluzole.reason.startswith(
        "Not ticked because of food: a dose given with food at 07:30 means riluzole "
        "should wait (no food in the 2 hours before it).")
    assert next(i for i in plan.items if i.name == "baclofen 50 mg").included
    # three hours after that meal dose, it may be given with the others
    later = plan_batch(view, at(D0, 8), at(D0, 8, 5), POLICY,
                       given_with_food=[at(D0, 5)])
    assert all(i.included for i in later.items)
