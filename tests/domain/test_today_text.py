"""What the Today tab says about a dose: parts of the day, instructions as clock times,
states in words (never colour alone), the header line, stock warnings, and when the day
next changes by itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from medicine_builders import D0, NEW_YORK, T8, T20, at, given, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.dayview import build_day_view
from caregiver_app.domain.doses import (
    DoseEntry,
    DosePolicy,
    DoseState,
    EntryKind,
    RecordChain,
    correction_of,
)
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.regimens import AsNeededRegimen, CycleRegimen, DailyRegimen
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.supply import SupplyForecast
from caregiver_app.domain.today import (
    DayPart,
    LookKind,
    day_part,
    dose_instructions,
    dose_look,
    group_by_part,
    header_summary,
    next_change,
    prn_instructions,
    prn_look,
    supply_warning,
)
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Route, SkipReason

POLICY = DosePolicy()
INITIALS = {1: "TE", 2: "AH"}
RILUZOLE_FOOD = FoodRule(FoodRuleKind.EMPTY_STOMACH, before_minutes=60, after_minutes=120)


def _view(meds, entries=(), now=None, day=D0):
    return build_day_view(meds, entries, day, NEW_YORK, now or at(D0, 12), POLICY)


def test_parts_of_the_day_follow_the_clock():
    assert [day_part(time(h)) for h in (0, 4, 5, 11, 12, 16, 17, 20, 21, 23)] == [
        DayPart.NIGHT_EARLY, DayPart.NIGHT_EARLY, DayPart.MORNING, DayPart.MORNING,
        DayPart.MIDDAY, DayPart.MIDDAY, DayPart.EVENING, DayPart.EVENING, DayPart.NIGHT,
        DayPart.NIGHT]


def test_grouping_keeps_time_order_and_cuts_at_each_part():
    med = medicine(DailyRegimen(D0, (time(2), time(8), time(9), time(14), time(18),
                                     time(22))))
    groups = group_by_part(_view([med]).doses)
    assert [(part, [d.occurrence.local.hour for d in doses]) for part, doses in groups] == [
        (DayPart.NIGHT_EARLY, [2]), (DayPart.MORNING, [8, 9]), (DayPart.MIDDAY, [14]),
        (DayPart.EVENING, [18]), (DayPart.NIGHT, [22])]


def test_empty_stomach_rule_as_clock_times_for_a_dose_still_to_come():
    med = medicine(DailyRegimen(D0, (T8, T20)), food_rule=RILUZOLE_FOOD)
    view = _view([med], now=at(D0, 12))
    evening = view.doses[1]
    assert dose_instructions(evening, view.now, NEW_YORK) == (
        "Empty stomach: no food from 18:00 until 21:00",)


def test_empty_stomach_rule_when_overdue_says_what_giving_it_now_means():
    # "at least 1 hour before or 2 hours after food": nothing eaten in the 2 hours
    # before giving it, and no food in the hour after; as a check with clock times
    med = medicine(DailyRegimen(D0, (T8, T20)), food_rule=RILUZOLE_FOOD)
    view = _view([med], now=at(D0, 8, 35))
    assert dose_instructions(view.doses[0], view.now, NEW_YORK) == (
        "Empty stomach: check nothing was eaten since 06:35; if given now, no food "
        "until 09:35",)


def test_food_rule_when_overdue_follows_the_medicines_own_hours():
    only_before = medicine(DailyRegimen(D0, (T8,)), food_rule=FoodRule(
        FoodRuleKind.FASTING, before_minutes=480, after_minutes=0))
    view = _view([only_before], now=at(D0, 8, 35))
    assert dose_instructions(view.doses[0], view.now, NEW_YORK) == (
        "Fasting: check nothing was eaten since 00:35",)
    only_after = medicine(DailyRegimen(D0, (T8,)), food_rule=FoodRule(
        FoodRuleKind.FASTING, before_minutes=0, after_minutes=30))
    view = _view([only_after], now=at(D0, 8, 35))
    assert dose_instructions(view.doses[0], view.now, NEW_YORK) == (
        "Fasting: if given now, no food until 09:05",)
    overnight = medicine(DailyRegimen(D0, (time(0, 30),)), food_rule=RILUZOLE_FOOD)
    view = _view([overnight], now=at(D0, 1))
    assert dose_instructions(view.doses[0], view.now, NEW_YORK) == (
        "Empty stomach: check nothing was eaten since 23:00 the night before; "
        "if given now, no food until 02:00",)


def test_after_giving_only_the_food_wait_still_in_force_is_shown():
    med = medicine(DailyRegimen(D0, (T8, T20)), food_rule=RILUZOLE_FOOD)
    occ = occurrences_on(med, D0, NEW_YORK)[0]
    entry = given(occ, at(D0, 8, 5), id=1)
    assert dose_instructions(_view([med], [entry], now=at(D0, 8, 30)).doses[0], at(D0, 8, 30),
                             NEW_YORK) == ("No food until 09:05",)
    assert dose_instructions(_view([med], [entry], now=at(D0, 9, 30)).doses[0], at(D0, 9, 30),
                             NEW_YORK) == ()


def test_fasting_rule_counts_before_and_after_the_dose():
    # edaravone oral: nothing for 8 hours before (after a high-fat meal), water only 1 h after
    med = medicine(CycleRegimen(D0, (time(7),)),
                   food_rule=FoodRule(FoodRuleKind.FASTING, before_minutes=480, after_minutes=60))
    view = _view([med], now=at(D0, 5))
    assert dose_instructions(view.doses[0], view.now, NEW_YORK) == (
        "Cycle 1, day 1 of 14", "Fasting: no food from 23:00 the night before until 08:00")


def test_flags_tube_flush_clinic_and_course_labels():
    med = medicine(versions=(version(route=Route.FEEDING_TUBE, flush_ml=30, do_not_crush=True),))
    view = _view([med], now=at(D0, 6))
    assert dose_instructions(view.doses[0], view.now, NEW_YORK) == (
        "Do not crush or chew", "Flush tube 30 mL before and after")
    clinic = replace(med, given_by=GivenBy.CLINIC)
    assert "Given at the clinic" in dose_instructions(_view([clinic], now=at(D0, 6)).doses[0],
                                                      at(D0, 6), NEW_YORK)


def test_states_in_words_with_a_symbol():
    med = medicine(DailyRegimen(D0, (time(6), T8, time(9), time(10), time(11), T20)))
    occs = occurrences_on(med, D0, NEW_YORK)
    late = given(occs[0], at(D0, 7, 30), id=1, caregiver_id=1)  # 90 min after 06:00
    skipped = DoseEntry(medicine_id=1, kind=EntryKind.SKIPPED, recorded_at=at(D0, 8, 30),
                        recorded_by_id=2, occurrence_key=occs[1].key, due_at=occs[1].due,
                        skip_reason=SkipReason.REFUSED, id=2)
    on_time = given(occs[2], at(D0, 9, 5), id=3, caregiver_id=2)
    fixed = correction_of(RecordChain((on_time,)), given_at=at(D0, 9, 10), id=4,
                          recorded_at=at(D0, 9, 30))
    view = _view([med], [late, skipped, on_time, fixed], now=at(D0, 12, 30))
    looks = [dose_look(d, view.now, NEW_YORK, INITIALS) for d in view.doses]
    assert [str(look) for look in looks] == [
        "✓ Given at 07:30 by TE (late)",
        "⊘ Skipped: refused",
        "✓ Given at 09:10 by AH (corrected)",
        "✗ Missed",
        "⚠ Overdue by 1 h 30 min",
        "○ Due",
    ]
    assert [look.kind for look in looks] == [
        LookKind.GIVEN, LookKind.SKIPPED, LookKind.GIVEN, LookKind.MISSED, LookKind.OVERDUE,
        LookKind.DUE]


def test_soon_snoozed_and_planned():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    view = _view([med], now=at(D0, 19, 35))
    evening = view.doses[1]
    assert str(dose_look(evening, view.now, NEW_YORK, INITIALS)) == "○ Due in 25 min"
    assert str(dose_look(evening, view.now, NEW_YORK, INITIALS,
                         snoozed_until=at(D0, 20, 10))) == "◷ Snoozed until 20:10"
    future = _view([med], now=at(D0, 12), day=D0 + timedelta(days=1))
    assert str(dose_look(future.doses[0], future.now, NEW_YORK, INITIALS,
                         planned=True)) == "○ Planned"


def test_a_late_dose_given_after_midnight_says_which_day():
    med = medicine(DailyRegimen(D0, (time(23),)))
    occ = occurrences_on(med, D0, NEW_YORK)[0]
    entry = given(occ, at(D0 + timedelta(days=1), 0, 30), id=1)
    view = _view([med], [entry], now=at(D0 + timedelta(days=1), 1))
    assert dose_look(view.doses[0], view.now, NEW_YORK, INITIALS).text == (
        "Given at 00:30 Tue 6 Jan by TE (late)")


def test_as_needed_limits_and_status():
    prn = medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), purpose="Drooling")
    view = _view([prn], now=at(D0, 12))
    status = view.as_needed[0]
    assert prn_instructions(status) == ("For drooling", "At least 4 hours apart",
                                        "Up to 3 in 24 hours")
    look = prn_look(status, NEW_YORK)
    assert look.kind is LookKind.CAN_GIVE
    assert look.text == "Can be given now (0 of 3 used in the last 24 hours)"
    dose = DoseEntry(medicine_id=1, kind=EntryKind.GIVEN, recorded_at=at(D0, 10),
                     recorded_by_id=1, given_at=at(D0, 10, 20), amount=Dose(1, "tablet"), id=1)
    waiting = prn_look(_view([prn], [dose], now=at(D0, 12)).as_needed[0], NEW_YORK)
    assert waiting.kind is LookKind.WAIT
    assert waiting.text == "Next possible at 14:20 (1 of 3 used in the last 24 hours)"


def test_header_line_for_today_past_and_future():
    med = medicine(DailyRegimen(D0, (T8, time(11), time(14), T20)))
    occs = occurrences_on(med, D0, NEW_YORK)
    entries = [given(occs[0], id=1)]
    view = _view([med], entries, now=at(D0, 12, 30))
    assert header_summary(view, D0) == "1 overdue · Next: 14:00 riluzole"
    assert header_summary(_view([med], entries, now=at(D0 + timedelta(days=1), 9)), D0
                          + timedelta(days=1)) == "1 of 4 given · 3 missed"
    assert header_summary(_view([med], day=D0 + timedelta(days=2)), D0) == "4 doses planned"


def test_due_now_and_overdue_mean_the_same_everywhere():
    """Issue #23, item 5: at the due second the reminder said "(overdue)" and the header
    "1 overdue" while the row said "Due now". One definition (``doses.is_overdue``): due
    now for the first minute, then overdue, in the row, the sections, the header and the
    reminder's line."""
    from caregiver_app.domain.doses import DUE_NOW, is_overdue
    from caregiver_app.services.notifier import dose_line

    med = medicine(DailyRegimen(D0, (T8, T20)))
    for now, look, header, overdue, line in (
            (at(D0, 8), "○ Due now", "Due now: riluzole · Next: 20:00 riluzole", False,
             "08:00  riluzole 50 mg: 1 tablet, by mouth"),
            (at(D0, 8) + DUE_NOW - timedelta(seconds=1), "○ Due now",
             "Due now: riluzole · Next: 20:00 riluzole", False,
             "08:00  riluzole 50 mg: 1 tablet, by mouth"),
            (at(D0, 8, 1), "⚠ Overdue by 1 min", "1 overdue · Next: 20:00 riluzole", True,
             "08:00  riluzole 50 mg: 1 tablet, by mouth (overdue)")):
        view = _view([med], now=now)
        dose = view.doses[0]
        assert str(dose_look(dose, now, NEW_YORK, INITIALS)) == look
        assert header_summary(view, D0) == header
        assert dose.overdue is overdue is is_overdue(dose.occurrence.due, now)
        assert (dose in view.overdue) is overdue and (dose in view.due_now) is not overdue
        assert dose_line(dose, NEW_YORK, now) == line
    # the row changes from "due now" to "overdue" by itself: the tab's timer knows when
    assert next_change(_view([med], now=at(D0, 8)), POLICY) == at(D0, 8, 1)


def test_stock_warnings_in_plain_words():
    med = medicine(generic_name="riluzole")
    base = SupplyForecast(unit="tablet", on_hand=10, per_dose=1, run_out=date(2026, 1, 9),
                          reorder_on=date(2026, 1, 2), needs_reorder=True)
    assert supply_warning(med, base, D0) == "Reorder riluzole: runs out Fri 9 Jan"
    assert supply_warning(med, replace(base, needs_reorder=False), D0) == ""
    bottle = replace(base, needs_reorder=False, discard_soon=True,
                     discard_by=D0 + timedelta(days=1))
    assert supply_warning(med, bottle, D0) == (
        "Riluzole: throw the open bottle away after tomorrow")


def test_next_change_is_the_next_moment_a_state_changes():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    # 12:00: the 08:00 dose went missed at 10:00; the next change is 19:00 ("due in 1 h")
    assert next_change(_view([med], now=at(D0, 12)), POLICY) == at(D0, 19)
    # 08:30: overdue, counting minutes
    assert next_change(_view([med], now=at(D0, 8, 30)), POLICY) == at(D0, 8, 31)
    # a past day never changes by itself
    assert next_change(_view([med], now=at(D0 + timedelta(days=2), 9)), POLICY) is None


def test_missed_state_is_computed_not_stored():
    med = medicine(DailyRegimen(D0, (T8,)))
    assert _view([med], now=at(D0, 9)).doses[0].state is DoseState.DUE
    assert _view([med], now=at(D0, 10, 1)).doses[0].state is DoseState.MISSED
