"""How things are going: the records' rules and every calculation (percent change,
subtotals, points per month, period summaries, unit conversion both ways)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app.domain import function_scale, going_trends
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.function_scale import AREA_KEYS, Part
from caregiver_app.domain.going import (
    KG_PER_LB,
    SYMPTOMS,
    VALUE_RULES,
    AnsweredBy,
    Chain,
    Effect,
    Entry,
    Measure,
    chains,
    correction_problems,
    current_entries,
    from_kg,
    record_problems,
    to_kg,
    validate_entry,
)
from caregiver_app.domain.patient import WeightUnit

TODAY = date(2026, 11, 25)


def _weight(day: date, value: float, unit: str = "kg", *, usual: bool = False,
            id: int | None = None, **more) -> Entry:
    return Entry(Measure.WEIGHT, day, {"weight": value, "unit": unit, "usual": usual},
                 id=id, **more)


# ---- Unit conversion


def test_a_pound_is_the_international_pound():
    assert to_kg(1, WeightUnit.LB) == pytest.approx(0.45359237)
    assert to_kg(150, WeightUnit.LB) == pytest.approx(68.0388555)
    assert from_kg(68.0388555, WeightUnit.LB) == pytest.approx(150)
    assert to_kg(70, WeightUnit.KG) == 70 == from_kg(70, WeightUnit.KG)


@given(st.floats(min_value=1, max_value=880, allow_nan=False))
def test_converting_there_and_back_gives_the_weight_typed(value):
    for unit in WeightUnit:
        assert from_kg(to_kg(value, unit), unit) == pytest.approx(value, rel=1e-12)
    assert pytest.approx(1) == KG_PER_LB * 2.2046226218


# ---- The scale's structure


def test_the_scale_has_twelve_areas_in_four_parts_of_three():
    assert len(AREA_KEYS) == 12
    assert {p: len(keys) for p, keys in function_scale.PARTS.items()} == {p: 3 for p in Part}
    for area in (*function_scale.AREAS, function_scale.TUBE_AREA):
        assert len(area.answers) == 5 and all(a.strip() for a in area.answers)
        assert area.answer(4) == area.answers[0] and area.answer(0) == area.answers[-1]
    assert function_scale.PARTS[Part.BULBAR] == ("speech", "saliva", "swallowing")
    assert function_scale.PARTS[Part.BREATHING] == ("breathless", "lying_flat",
                                                    "breathing_support")
    assert function_scale.area_of("utensils", tube=True).title == "Handling the feeding tube"


def test_totals_and_subtotals():
    scores = dict.fromkeys(AREA_KEYS, 4)
    assert function_scale.total(scores) == 48
    scores.update(speech=3, saliva=2, walking=1, breathing_support=0)
    assert function_scale.total(scores) == 48 - 1 - 2 - 3 - 4
    assert function_scale.part_totals(scores) == {
        Part.BULBAR: 9, Part.FINE_MOTOR: 12, Part.GROSS_MOTOR: 9, Part.BREATHING: 8}


def test_no_total_unless_every_area_was_answered():
    scores: dict[str, int | None] = dict.fromkeys(AREA_KEYS, 3)
    scores["stairs"] = None
    assert function_scale.total(scores) is None
    parts = function_scale.part_totals(scores)
    assert parts[Part.GROSS_MOTOR] is None and parts[Part.BULBAR] == 9


def test_points_lost_per_month_between_entries():
    # 3 points over 91.3125 days (three average months): one a month
    assert function_scale.points_per_month((date(2026, 1, 1), 40), (
        date(2026, 1, 1) + (date(2026, 4, 2) - date(2026, 1, 1)), 37)) == pytest.approx(
            3 / (91 / function_scale.DAYS_PER_MONTH))
    assert function_scale.points_per_month((date(2026, 1, 1), 30), (date(2026, 1, 1), 29)) \
        is None
    gained = function_scale.points_per_month((date(2026, 1, 1), 30), (date(2026, 3, 2), 31))
    assert gained is not None and gained < 0
    rates = function_scale.rates_between([(date(2026, 3, 1), 36), (date(2026, 1, 1), 40),
                                          (date(2026, 2, 1), 38)])
    assert [(a, b) for a, b, _ in rates] == [(date(2026, 1, 1), date(2026, 2, 1)),
                                             (date(2026, 2, 1), date(2026, 3, 1))]
    assert rates[0][2] == pytest.approx(2 / (31 / 30.4375))


# ---- Validation: one rule per value


def test_a_weight_needs_a_number_and_a_unit_and_a_past_day():
    with pytest.raises(ValidationError) as caught:
        validate_entry(Entry(Measure.WEIGHT, date(2026, 11, 26), {}), today=TODAY)
    assert set(caught.value.errors) == {"on_day", "weight", "unit"}
    with pytest.raises(ValidationError) as caught:
        validate_entry(_weight(TODAY, 500, "kg"), today=TODAY)
    assert "kg" in caught.value.errors["weight"]
    assert validate_entry(_weight(TODAY, 500, "lb"), today=TODAY).values["weight"] == 500
    with pytest.raises(ValidationError) as caught:
        validate_entry(_weight(TODAY, 0.5), today=TODAY)
    assert "weight" in caught.value.errors


def test_a_score_outside_0_to_4_is_refused_by_name():
    values = {"speech": 5, "walking": -1, "answered_by": AnsweredBy.PATIENT}
    with pytest.raises(ValidationError) as caught:
        validate_entry(Entry(Measure.FUNCTION, TODAY, values), today=TODAY)
    assert set(caught.value.errors) == {"speech", "walking"}
    assert caught.value.errors["speech"].startswith("Speech must be from 0 to 4")


def test_an_empty_check_is_refused_and_any_subset_is_kept():
    with pytest.raises(ValidationError) as caught:
        validate_entry(Entry(Measure.SYMPTOMS, TODAY, {"cramps": None}), today=TODAY)
    assert set(caught.value.errors) == {"values"}
    kept = validate_entry(Entry(Measure.SYMPTOMS, TODAY, {"cramps": 2, "episodes": 3,
                                                          "pain": None}), today=TODAY)
    assert kept.values == {"cramps": 2, "episodes": 3}


def test_clinic_numbers_have_their_ranges():
    with pytest.raises(ValidationError) as caught:
        validate_entry(Entry(Measure.CLINIC, TODAY, {"fvc_percent": 201, "niv_hours": 25,
                                                     "snip": -1}), today=TODAY)
    assert set(caught.value.errors) == {"fvc_percent", "niv_hours", "snip"}


def test_an_effect_names_its_dose_and_the_answer():
    with pytest.raises(ValidationError) as caught:
        validate_entry(Entry(Measure.EFFECT, TODAY, {}), today=TODAY)
    assert set(caught.value.errors) == {"dose_entry_id", "effect"}
    kept = validate_entry(Entry(Measure.EFFECT, TODAY, {"dose_entry_id": 4,
                                                        "effect": Effect.SAME}), today=TODAY)
    assert kept.row() == {"dose_entry_id": 4, "effect": "same"}


def test_every_symptom_and_area_has_its_one_rule():
    assert set(VALUE_RULES[Measure.SYMPTOMS]) == {s.key for s in SYMPTOMS}
    assert set(AREA_KEYS) < set(VALUE_RULES[Measure.FUNCTION])


# ---- Corrections: append-only chains


def test_a_correction_replaces_and_a_withdrawal_removes():
    rows = [_weight(date(2026, 11, 1), 60, id=1), _weight(date(2026, 11, 8), 61, id=2),
            _weight(date(2026, 11, 8), 16, id=3, corrects_id=2),
            _weight(date(2026, 11, 15), 59, id=4),
            Entry(Measure.WEIGHT, date(2026, 11, 15), {}, note="wrong person", id=5,
                  corrects_id=4, entered_in_error=True)]
    found = chains(rows)
    assert [tuple(r.id for r in c.rows) for c in found] == [(1,), (2, 3), (4, 5)]
    assert [e.id for e in current_entries(rows)] == [1, 3]
    assert found[2].current is None and found[1].corrected


def test_only_the_latest_row_of_a_chain_can_be_corrected():
    chain = Chain((_weight(TODAY, 60, id=2), _weight(TODAY, 61, id=3, corrects_id=2)))
    with pytest.raises(ValidationError) as caught:
        validate_entry(_weight(TODAY, 62, corrects_id=2), today=TODAY, corrected=chain)
    assert "latest" in caught.value.errors["corrects"]
    assert validate_entry(_weight(TODAY, 62, corrects_id=3), today=TODAY,
                          corrected=chain).corrects_id == 3


def test_withdrawing_needs_a_reason_and_carries_no_values():
    chain = Chain((_weight(TODAY, 60, id=2),))
    with pytest.raises(ValidationError) as caught:
        validate_entry(Entry(Measure.WEIGHT, TODAY, {}, corrects_id=2,
                             entered_in_error=True), today=TODAY, corrected=chain)
    assert set(caught.value.errors) == {"note"}
    with pytest.raises(ValidationError):
        validate_entry(Entry(Measure.WEIGHT, TODAY, {"weight": 60}, corrects_id=2,
                             entered_in_error=True, note="typo"), today=TODAY,
                       corrected=chain)
    kept = validate_entry(Entry(Measure.WEIGHT, TODAY, {}, corrects_id=2,
                                entered_in_error=True, note=" typo "), today=TODAY,
                          corrected=chain)
    assert kept.note == "typo" and kept.values == {}


def test_a_stored_row_is_checked_as_a_whole_on_import():
    assert record_problems(Measure.WEIGHT, {"weight": 60, "unit": "kg"}) == {}
    assert set(record_problems(Measure.WEIGHT, {"weight": None, "unit": "kg"})) == {"weight"}
    assert set(record_problems(Measure.CLINIC, {"note": "x"})) == {"fvc_percent"}
    assert set(record_problems(Measure.SYMPTOMS, {"entered_in_error": 1, "note": ""})) == {
        "entered_in_error"}


# ---- Weight over time


def test_weight_change_since_the_usual_weight_and_over_each_span():
    rows = [_weight(date(2025, 1, 1), 154, "lb", usual=True),
            _weight(date(2026, 5, 20), 63),
            _weight(date(2026, 8, 25), 61),
            _weight(date(2026, 10, 20), 60.5),
            _weight(date(2026, 11, 25), 59.5)]
    summary = going_trends.weight_summary(rows, height_cm=165)
    assert summary is not None
    assert summary.latest_kg == 59.5 and summary.latest_day == TODAY
    usual = 154 * KG_PER_LB
    assert summary.usual_kg == pytest.approx(usual)
    assert summary.since_usual is not None
    assert summary.since_usual.kg == pytest.approx(59.5 - usual)
    assert summary.since_usual.percent == pytest.approx((59.5 - usual) / usual * 100)
    one, three, six = (summary.spans[m] for m in (1, 3, 6))
    assert one is not None and one.since == date(2026, 10, 20)
    assert one.kg == pytest.approx(-1.0)
    assert one.percent == pytest.approx(-1 / 60.5 * 100)
    assert three is not None and three.since == date(2026, 8, 25)
    assert six is not None and six.since == date(2026, 5, 20)
    assert summary.bmi == pytest.approx(59.5 / 1.65**2)
    assert one.text(WeightUnit.KG) == "-1.0 kg (-1.7%)"
    assert one.text(WeightUnit.LB) == "-2.2 lb (-1.7%)"


def test_no_span_without_a_weight_that_long_ago_and_no_bmi_without_height():
    summary = going_trends.weight_summary([_weight(date(2026, 11, 1), 60),
                                           _weight(TODAY, 59)])
    assert summary is not None
    assert summary.spans == {1: None, 3: None, 6: None}
    assert summary.bmi is None and summary.since_usual is None
    assert going_trends.weight_summary([_weight(TODAY, 60, usual=True)]) is None
    assert going_trends.bmi(60, 20) is None


# ---- Symptoms, function and effects over a period


def test_symptom_summary_counts_days_per_level_and_sums_counts():
    rows = [Entry(Measure.SYMPTOMS, date(2026, 11, d), {"cramps": c, "episodes": n})
            for d, c, n in ((1, 0, 1), (2, 2, 0), (3, 3, 2), (4, 2, None))]
    found = {s.symptom.key: s for s in going_trends.symptom_summaries(rows)}
    assert set(found) == {"cramps", "episodes"}
    cramps = found["cramps"]
    assert (cramps.days, cramps.latest, cramps.highest, cramps.median) == (4, 2, 3, 2)
    assert cramps.levels == {0: 1, 2: 2, 3: 1}
    assert found["episodes"].total == 3 and found["episodes"].days == 3


def test_function_summary_gives_the_rate_from_the_first_to_the_last_complete_total():
    full = dict.fromkeys(AREA_KEYS, 3)
    rows = [Entry(Measure.FUNCTION, date(2026, 1, 1), {**full}),
            Entry(Measure.FUNCTION, date(2026, 2, 1), {"speech": 2}),
            Entry(Measure.FUNCTION, date(2026, 7, 2), {**full, "walking": 1, "speech": 2})]
    summary = going_trends.function_summary(rows)
    assert summary is not None
    assert summary.first.total == 36 and summary.last.total == 33 and summary.count == 3
    assert summary.rate == pytest.approx(3 / (182 / 30.4375))
    assert summary.last.parts[Part.GROSS_MOTOR] == 7


def test_effects_are_counted_per_dose():
    rows = [Entry(Measure.EFFECT, TODAY, {"dose_entry_id": i, "effect": e})
            for i, e in ((1, "better"), (2, "same"), (3, "better"), (4, "worse"))]
    assert going_trends.effect_summary(rows).text() == "better 2, same 1, worse 1"
    assert going_trends.effect_summary(rows, {1, 2}).answered == 2
    assert going_trends.effect_summary([]).text() == "not asked"
    assert set(going_trends.latest_effect_by_dose(rows)) == {1, 2, 3, 4}


# ---- Today's line: what is due, never a nudge to start something


def test_the_line_asks_only_for_what_the_household_keeps_up():
    from datetime import UTC, datetime, timedelta

    from caregiver_app.domain.going_nudges import nudge

    now = datetime(2026, 11, 25, 18, tzinfo=UTC)
    fresh = nudge(TODAY, now, last_weight=None, last_check=None)
    assert not fresh.any and fresh.text() == ""  # nothing recorded yet: nothing asked
    due = nudge(TODAY, now, last_weight=TODAY - timedelta(days=9),
                last_check=TODAY - timedelta(days=1))
    assert due.weight and due.check
    assert due.text() == "Due: the weekly weight (last 9 days ago); today's symptom check."
    done = nudge(TODAY, now, last_weight=TODAY - timedelta(days=6), last_check=TODAY)
    assert not done.any
    lapsed = nudge(TODAY, now, last_weight=None, last_check=TODAY - timedelta(days=8))
    assert not lapsed.check


def test_a_dose_is_asked_about_from_an_hour_to_a_day_after_it_was_given():
    from datetime import UTC, datetime, timedelta

    from caregiver_app.domain.going_nudges import nudge

    now = datetime(2026, 11, 25, 18, tzinfo=UTC)
    doses = [(1, now - timedelta(minutes=30), "glycopyrrolate given at 17:30"),
             (2, now - timedelta(hours=3), "glycopyrrolate given at 15:00"),
             (3, now - timedelta(hours=30), "glycopyrrolate given yesterday")]
    found = nudge(TODAY, now, last_weight=None, last_check=None, as_needed=doses)
    assert found.dose == (2, "glycopyrrolate given at 15:00")
    assert found.text() == "Did the glycopyrrolate given at 15:00 help?"
    assert nudge(TODAY, now, last_weight=None, last_check=None, as_needed=doses,
                 answered={2}).dose is None


def test_the_household_chooses_how_long_after_a_dose_it_is_asked_about():
    from datetime import UTC, datetime, timedelta

    from caregiver_app.domain.going_nudges import (
        EFFECT_AFTER_CHOICES,
        EFFECT_AFTER_MINUTES,
        effect_after_text,
        nudge,
    )

    now = datetime(2026, 11, 25, 18, tzinfo=UTC)
    doses = [(1, now - timedelta(minutes=20), "glycopyrrolate given at 17:40")]
    assert nudge(TODAY, now, last_weight=None, last_check=None, as_needed=doses).dose is None
    soon = nudge(TODAY, now, last_weight=None, last_check=None, as_needed=doses,
                 effect_after=timedelta(minutes=15))
    assert soon.dose == (1, "glycopyrrolate given at 17:40")
    assert EFFECT_AFTER_MINUTES == 60 and EFFECT_AFTER_MINUTES in EFFECT_AFTER_CHOICES
    assert [effect_after_text(m) for m in (15, 60, 90, 120, 45)] == [
        "15 minutes", "1 hour", "1½ hours", "2 hours", "45 minutes"]


def test_effects_are_summed_per_as_needed_medicine_by_the_latest_answer():
    doses = [(1, "Glycopyrrolate"), (2, "Glycopyrrolate"), (3, "Glycopyrrolate"),
             (4, "lorazepam"), (5, "Glycopyrrolate")]
    effects = [Entry(Measure.EFFECT, TODAY, {"dose_entry_id": 1, "effect": "same"}, id=1),
               Entry(Measure.EFFECT, TODAY, {"dose_entry_id": 1, "effect": "better"}, id=2,
                     corrects_id=1),
               Entry(Measure.EFFECT, TODAY, {"dose_entry_id": 2, "effect": "worse"}, id=3),
               Entry(Measure.EFFECT, TODAY, {"dose_entry_id": 3, "effect": "better"}, id=4),
               Entry(Measure.EFFECT, TODAY, {"dose_entry_id": 9, "effect": "better"}, id=5)]
    found = going_trends.effects_by_medicine(doses, current_entries(effects))
    assert [(f.medicine, f.given, f.effects.better, f.effects.same, f.effects.worse)
            for f in found] == [("Glycopyrrolate", 4, 2, 0, 1), ("lorazepam", 1, 0, 0, 0)]
    assert [f.text() for f in found] == [
        "4 doses; better 2, same 0, worse 1; 1 not answered", "1 dose; none answered"]
    assert going_trends.effects_by_medicine([], effects) == []


# ---- Correction chains in a file (the importer's rules)


def _rows_strategy():
    """Rows of one table with ids 1..n, each naming any id (or none) as the row it
    corrects, some of them withdrawals."""
    return st.integers(min_value=1, max_value=12).flatmap(lambda n: st.lists(
        st.tuples(st.one_of(st.none(), st.integers(min_value=0, max_value=n + 1)),
                  st.booleans()),
        min_size=n, max_size=n))


def _as_records(spec) -> list[dict]:
    return [{"id": number, "corrects_id": target,
             "entered_in_error": 1 if withdrawn and target is not None else 0}
            for number, (target, withdrawn) in enumerate(spec, start=1)]


def _read_back(records: list[dict]) -> list[Chain]:
    return chains(Entry(Measure.SYMPTOMS, TODAY, {"pain": 1}, id=r["id"],
                        corrects_id=r["corrects_id"],
                        entered_in_error=bool(r["entered_in_error"])) for r in records)


@given(_rows_strategy(), st.randoms())
def test_rows_a_file_may_hold_are_each_read_into_one_chain(spec, random):
    """Whatever the order of the file: when no row's correction is refused (and each
    names a row that is there), reading leaves no row out, and each chain ends at most
    once with a withdrawal, at its end."""
    records = _as_records(spec)
    random.shuffle(records)
    problems = correction_problems(records)
    ids = {r["id"] for r in records}
    dangling = any(r["corrects_id"] is not None and r["corrects_id"] not in ids
                   for r in records)
    read = _read_back(records)
    if not problems and not dangling:
        assert sorted(r.id for c in read for r in c.rows) == sorted(ids)
        for chain in read:
            assert not any(r.entered_in_error for r in chain.rows[:-1])
            assert [r.id for r in chain.rows] == sorted(r.id for r in chain.rows)
    if sum(len(c.rows) for c in read) < len(records):  # some row would be left out
        assert problems or dangling


def test_each_broken_chain_rule_is_named_at_its_record():
    records = [{"id": 1, "corrects_id": None}, {"id": 2, "corrects_id": 1},
               {"id": 3, "corrects_id": 1}, {"id": 4, "corrects_id": 4},
               {"id": 5, "corrects_id": 6}, {"id": 6, "corrects_id": None},
               {"id": 7, "corrects_id": 6, "entered_in_error": 1},
               {"id": 8, "corrects_id": 7}]
    found = correction_problems(records)
    assert found == {
        2: "record 1 is already corrected by record 2 (an entry is corrected at most "
           "once; correct the latest one)",
        3: "names the entry itself",
        4: "must name an earlier entry (a correction is made after the entry it corrects; "
           "found 6, record 6, and this record's id is 5)",
        7: "record 7 withdrew its entry as entered in error: a withdrawn entry is not "
           "corrected again"}


def test_two_rows_correcting_each_other_cannot_both_stand():
    found = correction_problems([{"id": 1, "corrects_id": 2}, {"id": 2, "corrects_id": 1}])
    assert list(found) == [0] and "earlier" in found[0]
