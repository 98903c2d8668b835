"""Every field of a medicine, a version and a regimen has a plain message when wrong."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from medicine_builders import D0, T8, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import (
    MedicineVersion,
    StatusChange,
    SupplySettings,
    validate_medicine,
    validate_status_change,
    validate_version,
)
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CyclePhase,
    CycleRegimen,
    DailyRegimen,
    DoseStep,
    IntervalRegimen,
    IntervalUnit,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
    describe_regimen,
    regimen_from_dict,
    regimen_to_dict,
    validate_regimen,
)
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, MedicineStatus, Route


def _errors(fn, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    return info.value.errors


def test_a_good_medicine_is_tidied():
    med = validate_medicine(replace(
        medicine(), generic_name="  riluzole  ", brand_name=" Rilutek ",
        food_rule=FoodRule(FoodRuleKind.WITH_FOOD, 30, 30, " with breakfast ")))
    assert (med.generic_name, med.brand_name) == ("riluzole", "Rilutek")
    assert med.food_rule == FoodRule(FoodRuleKind.WITH_FOOD, 0, 0, "with breakfast")
    assert med.versions[0].valid_from == med.start_date


@pytest.mark.parametrize(("change", "field"), [
    ({"generic_name": "  "}, "generic_name"),
    ({"generic_name": "x" * 121}, "generic_name"),
    ({"brand_name": "x" * 121}, "brand_name"),
    ({"purpose": "x" * 201}, "purpose"),
    ({"instructions": "x" * 2001}, "instructions"),
    ({"end_date": D0 - timedelta(days=1)}, "end_date"),
    ({"review_date": D0 - timedelta(days=1)}, "review_date"),
    ({"prescriber_id": 0}, "prescriber_id"),
    ({"pharmacy_id": -3}, "pharmacy_id"),
    ({"food_rule": FoodRule(FoodRuleKind.EMPTY_STOMACH, 0, 0)}, "food_rule"),
    ({"food_rule": FoodRule(FoodRuleKind.FASTING, -5, 60)}, "food_rule"),
    ({"food_rule": FoodRule(FoodRuleKind.FASTING, 60, 60, "x" * 501)}, "food_rule"),
    ({"versions": ()}, "versions"),
    ({"supply": SupplySettings(unit="x" * 21)}, "supply_unit"),
    ({"supply": SupplySettings(unit="mL", per_dose=0)}, "per_dose"),
    ({"supply": SupplySettings(unit="mL", reorder_days=-1)}, "reorder_days"),
    ({"supply": SupplySettings(unit="mL", opened_on=D0, discard_by=D0 - timedelta(days=1))},
     "discard_by"),
    ({"supply": SupplySettings(unit="mL", discard_by=D0)}, "opened_on"),
])
def test_bad_medicine_fields(change, field):
    assert field in _errors(validate_medicine, replace(medicine(), **change))


@pytest.mark.parametrize(("change", "field"), [
    ({"strength": "x" * 61}, "strength"),
    ({"dose": Dose(0, "tablet")}, "dose_amount"),
    ({"dose": Dose(-1, "tablet")}, "dose_amount"),
    ({"dose": Dose(float("nan"), "tablet")}, "dose_amount"),
    ({"dose": Dose(1, "")}, "dose_unit"),
    ({"flush_ml": 30}, "flush_ml"),  # by mouth: no tube to flush
    ({"flush_ml": 501, "route": Route.FEEDING_TUBE}, "flush_ml"),
    ({"note": "x" * 501}, "note"),
    ({"valid_from": D0 - timedelta(days=1)}, "valid_from"),
])
def test_bad_version_fields(change, field):
    assert field in _errors(validate_version, replace(version(), **change), medicine_start=D0)


def test_flush_is_fine_through_a_tube():
    v = validate_version(replace(version(), route=Route.NG_TUBE, flush_ml=30))
    assert v.flush_ml == 30


def test_an_as_needed_medicine_must_say_what_it_is_for():
    prn = medicine(AsNeededRegimen(D0, timedelta(hours=4), 3))
    assert "purpose" in _errors(validate_medicine, prn)
    validate_medicine(replace(prn, purpose="drooling"))


def test_a_change_cannot_go_back_in_time():
    first = version()
    later = replace(version(), valid_from=D0 + timedelta(days=5))
    earlier = replace(version(), valid_from=D0 + timedelta(days=3))
    assert "valid_from" in _errors(validate_medicine, medicine(versions=(first, later, earlier)))


def test_changing_a_course_pattern_needs_a_new_course():
    old = version(LoadingRegimen(D0, T8))
    same_start = replace(version(LoadingRegimen(D0, T8, maintenance_interval_days=21)),
                         valid_from=D0 + timedelta(days=40))
    assert "regimen_start" in _errors(validate_version, same_start, previous=old)
    continuing = replace(version(LoadingRegimen(D0, time(10))), valid_from=D0 + timedelta(
        days=40))
    validate_version(continuing, previous=old)  # new time, same course: fine
    restart = replace(version(LoadingRegimen(D0 + timedelta(days=40), T8, 0, 14, 21)),
                      valid_from=D0 + timedelta(days=40))
    validate_version(restart, previous=old)
    backdated = replace(version(LoadingRegimen(D0 + timedelta(days=10), T8)),
                        valid_from=D0 + timedelta(days=40))
    assert "regimen_start" in _errors(validate_version, backdated, previous=old)


@pytest.mark.parametrize(("regimen", "field"), [
    (DailyRegimen(D0, ()), "times"),
    (DailyRegimen(D0, (T8, T8)), "times"),
    (DailyRegimen(D0, (time(8, 0, 30),)), "times"),
    (DailyRegimen(D0, (T8,), end=D0 - timedelta(days=1)), "regimen_end"),
    (DailyRegimen(None, (T8,)), "regimen_start"),
    (WeekdaysRegimen(D0, frozenset(), (T8,)), "weekdays"),
    (WeekdaysRegimen(D0, frozenset({7}), (T8,)), "weekdays"),
    (IntervalRegimen(D0, 0, (T8,)), "every"),
    (IntervalRegimen(D0, 367, (T8,)), "every"),
    (CycleRegimen(D0, (T8,), first=CyclePhase(15, 14, 28)), "first_cycle"),
    (CycleRegimen(D0, (T8,), later=CyclePhase(10, 30, 28)), "later_cycles"),
    (CycleRegimen(D0, (T8,), cycles=0), "cycles"),
    (LoadingRegimen(D0, T8, loading_doses=-1), "loading_doses"),
    (LoadingRegimen(D0, T8, loading_interval_days=0), "loading_interval"),
    (LoadingRegimen(D0, T8, maintenance_interval_days=0), "maintenance_interval"),
    (AsNeededRegimen(D0, timedelta(minutes=-1)), "min_interval"),
    (AsNeededRegimen(D0, timedelta(hours=1), 0), "max_per_24h"),
    (StepsRegimen(()), "steps"),
    (StepsRegimen((DoseStep(D0, Dose(1, "mg"), (T8,)),
                   DoseStep(D0 + timedelta(days=3), Dose(2, "mg"), (T8,)))), "steps"),
    (StepsRegimen((DoseStep(D0, Dose(1, "mg"), (T8,), end=D0 + timedelta(days=3)),
                   DoseStep(D0 + timedelta(days=3), Dose(2, "mg"), (T8,)))), "steps"),
    (StepsRegimen((DoseStep(D0, Dose(0, "mg"), (T8,)),)), "steps"),
])
def test_bad_regimens(regimen, field):
    assert field in _errors(validate_regimen, regimen)


def test_validated_times_are_sorted():
    assert validate_regimen(DailyRegimen(D0, (time(20), T8))).times == (T8, time(20))


def test_status_changes():
    med = medicine()
    now = datetime(2026, 2, 1, tzinfo=UTC)
    assert "reason" in _errors(validate_status_change, med,
                               StatusChange(now, MedicineStatus.STOPPED, " "))
    assert "status" in _errors(validate_status_change, med,
                               StatusChange(now, MedicineStatus.ACTIVE))
    paused = replace(med, status_history=(StatusChange(now, MedicineStatus.PAUSED, "x"),))
    assert "at" in _errors(validate_status_change, paused,
                           StatusChange(now - timedelta(hours=1), MedicineStatus.ACTIVE))
    ok = validate_status_change(paused, StatusChange(now + timedelta(days=1),
                                                     MedicineStatus.ACTIVE))
    assert ok.status is MedicineStatus.ACTIVE
    stopped = replace(med, status_history=(StatusChange(now, MedicineStatus.STOPPED, "x"),))
    assert "status" in _errors(validate_status_change, stopped,
                               StatusChange(now, MedicineStatus.PAUSED, "y"))


# ---- Plain words and the stored form


def test_descriptions():
    assert describe_regimen(DailyRegimen(D0, (T8, time(20)))) == (
        "Every day at 08:00 and 20:00")
    assert describe_regimen(WeekdaysRegimen(D0, frozenset({0, 4}), (time(9),))) == (
        "Mon, Fri at 09:00")
    assert describe_regimen(IntervalRegimen(D0, 2, (T8,), IntervalUnit.WEEKS)) == (
        "Every 2 weeks at 08:00")
    assert describe_regimen(CycleRegimen(D0, (time(7),))) == (
        "Cycle 1: daily for 14 days, then 14 days off; later cycles: on 10 of 14 days, "
        "then 14 days off; at 07:00")
    assert describe_regimen(LoadingRegimen(D0, T8)) == (
        "3 loading doses 14 days apart, then one every 28 days")
    assert describe_regimen(AsNeededRegimen(D0, timedelta(hours=4), 3)) == (
        "As needed, at least 4 hours apart, no more than 3 in 24 hours")
    assert "5 mg at 08:00" in describe_regimen(StepsRegimen((DoseStep(D0, Dose(5, "mg"),
                                                                        (T8,)),)))
    assert Dose(2, "tablet").describe() == "2 tablets"
    assert Dose(2.5, "mL").describe() == "2.5 mL"


dates = st.dates(min_value=D0, max_value=D0 + timedelta(days=900))
times = st.lists(st.builds(time, st.integers(0, 23), st.integers(0, 59)), min_size=1,
                 max_size=4, unique=True).map(tuple)
ends = st.none() | dates
any_regimen = st.one_of(
    st.builds(DailyRegimen, dates, times, ends),
    st.builds(WeekdaysRegimen, dates, st.frozensets(st.integers(0, 6), min_size=1), times,
              ends),
    st.builds(IntervalRegimen, dates, st.integers(1, 30), times,
              st.sampled_from(list(IntervalUnit)), ends),
    st.builds(CycleRegimen, dates, times,
              st.builds(CyclePhase, st.integers(1, 5), st.integers(5, 9), st.integers(9, 30)),
              st.builds(CyclePhase, st.integers(1, 5), st.integers(5, 9), st.integers(9, 30)),
              st.none() | st.integers(1, 9), ends),
    st.builds(LoadingRegimen, dates, st.builds(time, st.integers(0, 23), st.integers(0, 59)),
              st.integers(0, 5), st.integers(1, 30), st.integers(1, 60), ends),
    st.builds(AsNeededRegimen, dates, st.integers(0, 600).map(lambda m: timedelta(minutes=m)),
              st.none() | st.integers(1, 12), ends),
    st.builds(StepsRegimen, st.lists(st.builds(
        DoseStep, dates, st.builds(Dose, st.floats(0.25, 50), st.sampled_from(["mg", "mL"])),
        times, ends), min_size=1, max_size=3).map(tuple)),
)


@given(any_regimen)
def test_stored_form_round_trips_every_regimen(regimen):
    import json

    assert regimen_from_dict(json.loads(json.dumps(regimen_to_dict(regimen)))) == regimen


@pytest.mark.parametrize("data", [
    {}, {"kind": "nope"}, {"kind": "daily"}, {"kind": "daily", "start": "x", "times": []},
    {"kind": "weekdays", "start": "2026-01-01", "times": ["08:00"]},
    {"kind": "steps", "steps": [{"start": "2026-01-01"}]},
])
def test_malformed_stored_regimens_are_refused(data):
    with pytest.raises(ValueError, match="malformed regimen"):
        regimen_from_dict(data)


def test_version_describe():
    v = MedicineVersion(D0, "105 mg/5 mL", Form.LIQUID, Route.FEEDING_TUBE, Dose(5, "mL"),
                        CycleRegimen(D0, (time(7),)), flush_ml=30)
    assert v.describe() == "5 mL (105 mg/5 mL liquid / oral suspension), feeding tube (PEG/RIG)"


def test_food_rule_in_plain_words():
    from caregiver_app.domain.medicines import describe_food_rule

    assert describe_food_rule(FoodRule()) == ""
    assert describe_food_rule(FoodRule(FoodRuleKind.EMPTY_STOMACH, 60, 120)) == (
        "Empty stomach: at least 1 hour before or at least 2 hours after food")
    assert describe_food_rule(FoodRule(FoodRuleKind.FASTING, 480, 60, "Overnight fast.")) == (
        "No food for 8 hours before and for 1 hour after the dose. Overnight fast.")
    assert describe_food_rule(FoodRule(FoodRuleKind.WITH_FOOD)) == "Give with food"
    assert describe_food_rule(FoodRule(FoodRuleKind.EMPTY_STOMACH, 45, 0)) == (
        "Empty stomach: at least 45 minutes before food")
