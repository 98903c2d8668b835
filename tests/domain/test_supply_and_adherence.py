"""Stock on hand, run-out forecast from the real schedule, reorder and discard; adherence."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, given, medicine, version

from caregiver_app.domain.adherence import adherence
from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, DosePolicy, EntryKind, dose_statuses
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.regimens import CycleRegimen, DailyRegimen
from caregiver_app.domain.schedule import occurrences
from caregiver_app.domain.supply import (
    SupplyEvent,
    SupplyEventKind,
    discard_by_from,
    forecast_supply,
    prn_daily_use,
    stock_on_hand,
    usage_of,
    validate_supply_event,
)
from caregiver_app.domain.vocab import SkipReason

TABLETS = SupplySettings(unit="tablet", reorder_days=7)


def _event(kind, quantity, when, id):
    return SupplyEvent(medicine_id=1, kind=kind, quantity=quantity, at=when, id=id)


ONE_TABLET = Dose(1, "tablet")


def _given(when, amount=ONE_TABLET):
    return DoseEntry(medicine_id=1, kind=EntryKind.GIVEN, recorded_at=when, recorded_by_id=1,
                     given_at=when, amount=amount)


def _upcoming(med, first, days):
    return occurrences(med, day_bounds(first, NEW_YORK)[0],
                       day_bounds(first + timedelta(days=days), NEW_YORK)[1], NEW_YORK)


def test_stock_is_the_last_count_plus_refills_minus_doses_given_since():
    events = [_event(SupplyEventKind.REFILL, 30, at(D0, 9), 1),
              _event(SupplyEventKind.COUNT, 20, at(D0 + timedelta(days=2), 9), 2),
              _event(SupplyEventKind.REFILL, 60, at(D0 + timedelta(days=3), 9), 3)]
    given = [_given(at(D0, 20)), _given(at(D0 + timedelta(days=2), 20)),
             _given(at(D0 + timedelta(days=3), 8), Dose(2, "tablet"))]
    assert stock_on_hand(TABLETS, events, given, at(D0, 21)) == 29
    assert stock_on_hand(TABLETS, events, given, at(D0 + timedelta(days=4), 9)) == 20 - 1 + 60 - 2
    assert stock_on_hand(TABLETS, [], given, at(D0, 21)) is None


def test_usage_per_dose_in_the_supply_unit():
    assert usage_of(TABLETS, Dose(2, "tablet")) == 2
    assert usage_of(TABLETS, Dose(50, "mg")) is None
    assert usage_of(replace(TABLETS, per_dose=0.5), Dose(5, "mg")) == 0.5


def test_run_out_and_reorder_follow_the_daily_schedule():
    med = medicine(DailyRegimen(D0, (T8, T20)))
    forecast = forecast_supply(TABLETS, 10, _upcoming(med, D0, 60), D0)
    assert forecast.run_out == D0 + timedelta(days=5)  # 10 tablets = 5 days of 2
    assert forecast.reorder_on == D0 - timedelta(days=2)
    assert forecast.needs_reorder
    plenty = forecast_supply(TABLETS, 100, _upcoming(med, D0, 60), D0)
    assert plenty.run_out == D0 + timedelta(days=50) and not plenty.needs_reorder
    assert "runs out" in plenty.describe(D0)


def test_run_out_follows_the_cycle_including_days_off():
    med = medicine(CycleRegimen(D0, (T8,)), generic_name="edaravone")
    settings = SupplySettings(unit="mL", reorder_days=7)
    # 5 mL a dose: 14 doses in cycle 1, then 14 days off, then 10 doses.
    doses = [replace(o, dose=Dose(5, "mL")) for o in _upcoming(med, D0, 120)]
    forecast = forecast_supply(settings, 5 * 20, doses, D0)
    assert forecast.run_out == D0 + timedelta(days=28 + 6)  # dose 21 = cycle 2, day 7


def test_forecast_without_enough_information():
    med = medicine(DailyRegimen(D0, (T8,)))
    assert forecast_supply(TABLETS, None, _upcoming(med, D0, 5), D0).run_out is None
    # a dose in mg, stock in tablets, and a strength that does not say how many mg a
    # tablet holds: no run-out date rather than a guess
    mg = [replace(o, dose=Dose(50, "mg"), version=replace(o.version, strength="scored"))
          for o in _upcoming(med, D0, 5)]
    unknown = forecast_supply(TABLETS, 10, mg, D0)
    assert unknown.run_out is None and unknown.per_dose is None
    # with "50 mg" tablets, a 50 mg dose is one tablet
    known = forecast_supply(TABLETS, 3, [replace(o, dose=Dose(50, "mg"))
                                         for o in _upcoming(med, D0, 5)], D0)
    assert known.per_dose == 1 and known.run_out is not None


def test_as_needed_forecast_uses_recent_average_use():
    given = [_given(at(D0 - timedelta(days=d), 12)) for d in range(14)]
    rate = prn_daily_use(TABLETS, given, at(D0, 13))
    assert rate == pytest.approx(14 / 28)
    forecast = forecast_supply(TABLETS, 10, (), D0, prn_daily_use=rate)
    assert forecast.run_out == D0 + timedelta(days=20)


def test_bottle_discard_warning():
    opened = D0 - timedelta(days=13)
    liquid = SupplySettings(unit="mL", opened_on=opened, discard_by=discard_by_from(opened, 15))
    assert liquid.discard_by == D0 + timedelta(days=2)
    assert forecast_supply(liquid, 30, (), D0).discard_soon
    assert not forecast_supply(liquid, 30, (), D0 - timedelta(days=1)).discard_soon


def test_supply_events_are_checked():
    now = at(D0, 12)
    ok = validate_supply_event(replace(_event(SupplyEventKind.COUNT, 0, now, None),
                                       recorded_by_id=1, note=" counted "), now=now)
    assert ok.quantity == 0.0 and ok.note == "counted"
    for kind, quantity, when, field in (
            (SupplyEventKind.REFILL, 0, now, "quantity"),
            (SupplyEventKind.COUNT, -1, now, "quantity"),
            (SupplyEventKind.REFILL, 10, now + timedelta(hours=1), "at")):
        with pytest.raises(ValidationError) as info:
            validate_supply_event(replace(_event(kind, quantity, when, None),
                                          recorded_by_id=1), now=now)
        assert field in info.value.errors
    with pytest.raises(ValidationError) as info:
        validate_supply_event(_event(SupplyEventKind.REFILL, 10, now, None), now=now)
    assert "caregiver" in info.value.errors


def test_adherence_counts_each_outcome():
    a = medicine(DailyRegimen(D0, (T8, T20)), id=1)
    b = medicine(DailyRegimen(D0, (T8,)), id=2)
    occs = sorted(_upcoming(a, D0, 1) + _upcoming(b, D0, 1), key=lambda o: (o.due, o.key))
    a_occs = [o for o in occs if o.medicine_id == 1]
    b_occs = [o for o in occs if o.medicine_id == 2]
    entries = [
        given(a_occs[0], a_occs[0].due, id=1),  # on time
        given(a_occs[1], a_occs[1].due + timedelta(hours=3), id=2),  # late
        DoseEntry(medicine_id=1, kind=EntryKind.SKIPPED, recorded_at=at(D0, 9),
                  recorded_by_id=1, occurrence_key=a_occs[2].key, due_at=a_occs[2].due,
                  skip_reason=SkipReason.ASLEEP, id=3),
        given(b_occs[0], b_occs[0].due - timedelta(hours=2), id=4),  # early
    ]
    now = at(D0 + timedelta(days=1), 12)  # a's 20:00 on day 2 is still to come
    report = adherence(dose_statuses(occs, {1: a, 2: b}, entries, now, DosePolicy()))
    overall = report.overall
    assert (overall.due, overall.on_time, overall.late, overall.early, overall.missed,
            overall.pending) == (6, 1, 1, 1, 1, 1)
    assert overall.skipped == {SkipReason.ASLEEP: 1}
    assert overall.rate == pytest.approx(3 / 5)
    assert report.by_medicine[2].given == 1 and report.by_medicine[2].missed == 1
    assert report.by_medicine[1].not_given == 1
    assert adherence([]).overall.rate is None


# ---- Stock counted in another unit than the dose


def test_the_strength_says_how_much_stock_a_dose_uses():
    from caregiver_app.domain.supply import stock_per_dose_unit

    assert stock_per_dose_unit("10 mg", "mg", "tablet") == pytest.approx(0.1)
    assert stock_per_dose_unit("10 mg", "mg", "tablets") == pytest.approx(0.1)
    assert stock_per_dose_unit("105 mg/5 mL", "mg", "mL") == pytest.approx(5 / 105)
    assert stock_per_dose_unit("1 mg/mL", "mg", "ml") == pytest.approx(1.0)
    assert stock_per_dose_unit("10 mg", "mg", "mL") is None  # a plain strength is per piece
    assert stock_per_dose_unit("105 mg/5 mL", "mg", "bottle") is None
    assert stock_per_dose_unit("10 mg", "mcg", "tablet") is None
    assert stock_per_dose_unit("scored tablet", "mg", "tablet") is None


def test_a_dose_step_in_mg_uses_more_tablets_and_brings_the_run_out_date_forward():
    """Baclofen 10 mg tablets, counted in tablets: 5 mg three times a day for a week, then
    10 mg. The forecast follows the step (not one fixed "0.5 tablet" per dose)."""
    from caregiver_app.domain.regimens import DoseStep, StepsRegimen
    from caregiver_app.domain.schedule import occurrences

    steps = StepsRegimen((DoseStep(D0, Dose(5, "mg"), (T8, time(14), T20),
                                   D0 + timedelta(days=6)),
                          DoseStep(D0 + timedelta(days=7), Dose(10, "mg"),
                                   (T8, time(14), T20))))
    baclofen = medicine(steps, versions=(version(steps, strength="10 mg",
                                                 dose=Dose(5, "mg")),))
    settings_ = SupplySettings(unit="tablet", per_dose=0.5, reorder_days=3)
    upcoming = occurrences(baclofen, at(D0), at(D0 + timedelta(days=60)), NEW_YORK)
    forecast = forecast_supply(settings_, 30.0, upcoming, D0)
    # week 1 uses 21 x 0.5 = 10.5 tablets; the 19.5 left last 6.5 days at 3 a day
    assert forecast.run_out == D0 + timedelta(days=13)
    assert usage_of(settings_, Dose(10, "mg"), "10 mg") == 1
    assert usage_of(settings_, Dose(10, "mg")) == 0.5  # no strength: the fixed amount
