"""What a printed medication record marks on each day, without Qt: holds, changes, clock
changes, stock and bottle notes, as-needed log sizes, prescribers, the cycle now."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.marks import (
    STOPPED_SHOWN,
    HoldKind,
    clock_note,
    cycle_now,
    dose_marks,
    held_doses,
    last_day,
    period_stock_note,
    prescriber_line,
    prn_rows,
    started_on,
    stock_note,
)
from caregiver_app.domain.medicines import StatusChange
from caregiver_app.domain.paper import FSI, PDI, Paper, isolated, no_break_spans, paper_for
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    DoseStep,
    StepsRegimen,
)
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.supply import SupplyForecast
from caregiver_app.domain.vocab import MedicineStatus, Route


def _paused(since: date, reason: str, *, until: date | None = None, stop: bool = False):
    changes = [StatusChange(at(since, 9), MedicineStatus.STOPPED if stop
                            else MedicineStatus.PAUSED, reason)]
    if until is not None:
        changes.append(StatusChange(at(until + timedelta(days=1), 0), MedicineStatus.ACTIVE))
    return medicine(DailyRegimen(D0, (T8, time(22))), generic_name="quinine",
                    status_history=tuple(changes))


# ---- Held doses


def test_a_paused_medicine_is_held_in_its_place_with_its_dates_and_reason():
    quinine = _paused(D0 + timedelta(days=3), "Low sodium: hold until review")
    assert held_doses(quinine, D0 + timedelta(days=2), NEW_YORK) == []  # not yet paused
    day = D0 + timedelta(days=3)  # paused at 09:00: the 08:00 dose was still due
    [held] = held_doses(quinine, day, NEW_YORK)
    assert held.occurrence.local.hour == 22 and held.kind is HoldKind.PAUSED
    assert held.word == "HOLD" and held.since == day and held.until is None
    assert held.describe() == ("HOLD (paused) from 8 Jan 2026, until restarted: Low sodium: "
                               "hold until review. Do not give.")
    later = held_doses(quinine, D0 + timedelta(days=30), NEW_YORK)  # still paused: still held
    assert [h.occurrence.local.hour for h in later] == [8, 22]


def test_a_pause_with_a_restart_gives_its_last_day():
    quinine = _paused(D0, "In hospital", until=D0 + timedelta(days=2))
    [first, _] = held_doses(quinine, D0 + timedelta(days=1), NEW_YORK)
    assert first.until == D0 + timedelta(days=2)
    assert "from 5 Jan 2026 to 7 Jan 2026: In hospital" in first.describe()
    assert held_doses(quinine, D0 + timedelta(days=3), NEW_YORK) == []  # active again


def test_a_stopped_medicine_is_printed_stopped_for_a_week_then_left_off():
    quinine = _paused(D0, "Cramps gone; neurologist stopped it", stop=True)
    [held] = held_doses(quinine, D0 + timedelta(days=1), NEW_YORK)[:1]
    assert held.kind is HoldKind.STOPPED and held.word == "STOPPED"
    assert held.describe().startswith("STOPPED on 5 Jan 2026: Cramps gone")
    days_shown = STOPPED_SHOWN.days
    assert held_doses(quinine, D0 + timedelta(days=days_shown - 1), NEW_YORK)
    assert held_doses(quinine, D0 + timedelta(days=days_shown + 1), NEW_YORK) == []


def _edaravone(*shifts: CycleShift):
    return medicine(CycleRegimen(D0, (time(7),)), generic_name="edaravone",
                    cycle_shifts=shifts)


def test_a_cycle_delay_holds_the_day_the_dose_was_planned():
    shift = CycleShift(D0 + timedelta(days=3), 1, carry=False, reason="Clinic ran late", id=1)
    edaravone = _edaravone(shift)
    day = D0 + timedelta(days=3)
    assert occurrences_on(edaravone, day, NEW_YORK) == []  # moved to the next day
    [held] = held_doses(edaravone, day, NEW_YORK)
    assert held.kind is HoldKind.DELAYED and held.word == "HOLD"
    assert held.occurrence.label == "cycle 1, day 4 of 14"
    assert held.describe() == "HOLD: delayed to 9 Jan 2026: Clinic ran late. Do not give."
    assert held_doses(edaravone, day + timedelta(days=1), NEW_YORK) == []  # given then
    # a real day off is not a hold
    assert held_doses(edaravone, D0 + timedelta(days=20), NEW_YORK) == []


def test_a_paused_cycle_holds_every_dose_day_it_would_have_had():
    hold = CycleShift(D0 + timedelta(days=5), None, reason="Rash: ask the neurologist", id=1)
    edaravone = _edaravone(hold)
    for offset in (5, 6, 13):  # planned dose days of cycle 1
        [held] = held_doses(edaravone, D0 + timedelta(days=offset), NEW_YORK)
        assert held.kind is HoldKind.CYCLE_PAUSED and held.until is None
        assert "HOLD (cycle paused) from 10 Jan 2026" in held.describe()
    assert held_doses(edaravone, D0 + timedelta(days=20), NEW_YORK) == []  # a day off


# ---- Marks on a due dose


def _marks(med, day: date) -> list[str]:
    doses = occurrences_on(med, day, NEW_YORK)
    return [[m.describe() for m in dose_marks(med, o, doses, NEW_YORK)] for o in doses]


def test_new_on_the_first_dose_day_only():
    riluzole = medicine(DailyRegimen(D0, (T8, T20)))
    assert _marks(riluzole, D0) == [["NEW: first day"], ["NEW: first day"]]
    assert _marks(riluzole, D0 + timedelta(days=1)) == [[], []]
    # begun months before it was entered in the app: not new on its first listed day
    earlier = medicine(DailyRegimen(D0 - timedelta(days=120), (T8,)))
    assert started_on(earlier) == D0 - timedelta(days=120)
    assert _marks(earlier, D0) == [[]]


def test_dose_changed_on_the_day_a_new_version_or_step_starts():
    changed = medicine(versions=(
        version(DailyRegimen(D0, (T8,)), valid_from=D0),
        version(DailyRegimen(D0, (T8,)), valid_from=D0 + timedelta(days=3),
                dose=Dose(2, "tablet"))))
    day = D0 + timedelta(days=3)
    assert _marks(changed, day) == [["DOSE CHANGED: 1 tablet → 2 tablets"]]
    assert _marks(changed, day + timedelta(days=1)) == [[]]
    steps = medicine(StepsRegimen((
        DoseStep(D0, Dose(1, "tablet"), (T8,), D0 + timedelta(days=6)),
        DoseStep(D0 + timedelta(days=7), Dose(2, "tablet"), (T8, T20)))),
        generic_name="baclofen")
    assert _marks(steps, D0 + timedelta(days=7))[0] == [
        "DOSE CHANGED: 1 tablet at 08:00 → 2 tablets at 08:00 and 20:00"]
    liquid = medicine(versions=(
        version(DailyRegimen(D0, (T8,)), valid_from=D0),
        version(DailyRegimen(D0, (T8,)), valid_from=D0 + timedelta(days=2),
                route=Route.FEEDING_TUBE)))
    assert _marks(liquid, D0 + timedelta(days=2)) == [
        ["CHANGED: by mouth → feeding tube (PEG/RIG)"]]


def test_last_dose_and_last_day_on_the_planned_end():
    course = medicine(DailyRegimen(D0, (T8, T20)), end_date=D0 + timedelta(days=4))
    assert last_day(course) == D0 + timedelta(days=4)
    assert _marks(course, D0 + timedelta(days=4)) == [
        ["LAST DAY: the course ends 9 Jan 2026"], ["LAST DOSE: the course ends 9 Jan 2026"]]


# ---- Clock changes


def test_the_spring_forward_dose_says_why_its_time_moved():
    night = date(2027, 3, 14)
    med = medicine(DailyRegimen(night, (time(2, 30),)), start=night)
    [dose] = occurrences_on(med, night, NEW_YORK)
    assert f"{dose.local:%H:%M}" == "03:00"
    assert clock_note(dose, NEW_YORK) == ("Clocks go forward: the 02:30 dose is given at 03:00 "
                                          "(02:30 does not exist tonight)")
    [normal] = occurrences_on(med, night + timedelta(days=1), NEW_YORK)
    assert clock_note(normal, NEW_YORK) == ""


def test_the_fall_back_dose_is_given_once():
    night = date(2027, 11, 7)
    med = medicine(DailyRegimen(night, (time(1, 30),)), start=night)
    [dose] = occurrences_on(med, night, NEW_YORK)
    assert "comes twice tonight; give this dose once, at the first 01:30" in clock_note(
        dose, NEW_YORK)


# ---- Stock and the bottle


def _forecast(**kwargs) -> SupplyForecast:
    base = dict(unit="mL", on_hand=35.0, per_dose=5.0, run_out=None, reorder_on=None,
                needs_reorder=False)
    return SupplyForecast(**{**base, **kwargs})


def test_the_bottle_in_use_and_its_discard_date():
    bottle = _forecast(opened_on=date(2026, 11, 27), discard_by=date(2026, 12, 12))
    assert stock_note(bottle, date(2026, 12, 1), date(2026, 12, 1)) == \
        "Bottle opened 27 Nov · discard after 12 Dec"
    assert stock_note(bottle, date(2026, 12, 12), date(2026, 12, 1)) == \
        "Bottle opened 27 Nov: LAST DAY, discard after today"
    assert stock_note(bottle, date(2026, 12, 13), date(2026, 12, 1)).startswith(
        "DISCARD the bottle opened 27 Nov (use by 12 Dec)")
    assert stock_note(bottle, date(2026, 11, 26), date(2026, 11, 26)) == ""  # not open yet
    week = period_stock_note(bottle, date(2026, 12, 8), date(2026, 12, 14), date(2026, 12, 1))
    assert week == "Bottle opened 27 Nov · discard after 12 Dec"


def test_the_reorder_and_run_out_warnings_on_the_days_they_apply():
    stock = _forecast(run_out=date(2026, 12, 10), reorder_on=date(2026, 12, 3))
    today = date(2026, 12, 1)
    assert stock_note(stock, date(2026, 12, 2), today) == ""
    assert stock_note(stock, date(2026, 12, 3), today) == \
        "Reorder: stock runs out about 10 Dec"
    assert stock_note(stock, date(2026, 12, 10), today) == \
        "Stock runs out about 10 Dec: check it"
    assert stock_note(stock, date(2026, 11, 20), today) == ""  # a past day: not a forecast
    assert stock_note(None, today, today) == ""


# ---- As-needed logs, prescribers, cycles


def test_an_as_needed_log_has_a_row_for_each_dose_the_limits_allow():
    assert prn_rows(AsNeededRegimen(D0, timedelta(hours=4), 3)) == 3
    assert prn_rows(AsNeededRegimen(D0, timedelta(hours=6))) == 4
    assert prn_rows(AsNeededRegimen(D0, timedelta(hours=1), 8)) == 8
    assert prn_rows(None) == 4


def test_prescriber_line_names_each_prescriber_once():
    names = {1: "Dr. Ada Lee", 2: "Dr. Bo Kim"}
    a = medicine(generic_name="riluzole", prescriber_id=1)
    b = medicine(generic_name="baclofen", prescriber_id=2)
    c = medicine(generic_name="quinine")
    assert prescriber_line([a, replace(a, generic_name="edaravone")], names) == \
        "Prescriber: Dr. Ada Lee (all)"
    assert prescriber_line([a, b, c], names) == (
        "Prescribers: Dr. Ada Lee: riluzole · Dr. Bo Kim: baclofen · not recorded: quinine")
    assert prescriber_line([], names) == ""


def test_cycle_now_follows_the_delays():
    start = D0 - timedelta(days=61)  # the example: cycle 3 began 5 days ago
    shift = CycleShift(D0 - timedelta(days=3), 1, carry=False, id=1)
    edaravone = medicine(CycleRegimen(start, (time(7),)), start=start, cycle_shifts=(shift,))
    now = cycle_now(edaravone, edaravone.versions[0].regimen, D0)
    assert (now.number, now.first, now.doses) == (3, D0 - timedelta(days=5), 10)
    assert now.last == D0 + timedelta(days=5)  # 10 doses over 11 days (one delayed)
    assert now.next_start == start + timedelta(days=28 * 3)


# ---- Text on paper


def test_numbers_keep_their_units_and_short_parentheses_stay_whole():
    text = "tofersen (Qalsody) 100 mg/15 mL by feeding tube (PEG/RIG) for 8 h on 25 Nov 2026"
    assert [text[a:b] for a, b in no_break_spans(text)] == [
        "(Qalsody)", "100 mg/15 mL", "(PEG/RIG)", "8 h", "25 Nov 2026"]
    phones = "office (312) 555-0142; after hours +1 312-555-0199, in 2026 12 tablets"
    assert [phones[a:b] for a, b in no_break_spans(phones)] == [
        "(312) 555-0142", "+1 312-555-0199", "12 tablets"]
    long = "(any 24 hours, not midnight to midnight)"
    assert [long[a:b] for a, b in no_break_spans(long)] == ["24 hours"]


def test_right_to_left_fields_are_isolated_and_others_left_alone():
    assert isolated("ريلوزول") == f"{FSI}ريلوزول{PDI}"
    assert isolated("רילוזול") == f"{FSI}רילוזול{PDI}"
    for text in ("riluzole", "利鲁唑", "リルゾール", "рилузол", ""):
        assert isolated(text) == text


@pytest.mark.parametrize("country, territory, paper", [
    ("US", "", Paper.LETTER), ("US", "GB", Paper.LETTER), ("GB", "US", Paper.A4),
    (None, "CA", Paper.LETTER), (None, "", Paper.A4), (None, None, Paper.A4),
])
def test_paper_from_the_patients_country_then_the_locale(country, territory, paper):
    assert paper_for(country, territory) is paper
