"""The medication book: every write validated, stamped with the caregiver on duty, and
announced once on its change signal; reads give the day, adherence and stock."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseState, EntryKind, GiveCheck, Timing
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import GivenBy, SupplySettings
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    DailyRegimen,
    LoadingRegimen,
)
from caregiver_app.domain.today import supply_horizon, supply_warning
from caregiver_app.domain.vocab import Form, MedicineStatus, Route, SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.storage.medications_repo import MedicationRepository


class Duty:
    def __init__(self):
        self.caregiver_id: int | None = 1

    def __call__(self) -> int | None:
        return self.caregiver_id


@pytest.fixture
def duty():
    return Duty()


@pytest.fixture
def book(fresh_db, fake_clock, duty, qtbot):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1},
        {"id": 2, "name": "Ana", "initials": "AH", "active": 1}])
    fake_clock.set(at(D0, 12))
    return MedicationBook(MedicationRepository(fresh_db), clock=fake_clock, on_duty=duty,
                          zone=lambda: NEW_YORK)


@pytest.fixture
def riluzole(book):
    return book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                      supply=SupplySettings(unit="tablet", reorder_days=5)))


def _key(hour: int, day=D0) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


def test_day_view_through_the_book(book, riluzole):
    view = book.day()
    assert view.day == D0
    assert [(d.state, d.occurrence.local.hour) for d in view.doses] == [
        (DoseState.MISSED, 8), (DoseState.DUE, 20)]


def test_record_given_emits_once_and_is_stamped(book, riluzole, qtbot, duty):
    duty.caregiver_id = 2
    with qtbot.waitSignal(book.changes.changed, timeout=1000) as blocker:
        entry = book.record_given(riluzole.id, _key(8), given_at=at(D0, 8, 15))
    (changes,) = blocker.args
    assert changes.doses == {riluzole.id} and changes.dose_entries == {entry.id}
    assert (entry.caregiver_id, entry.recorded_by_id) == (2, 2)
    assert entry.recorded_at == at(D0, 12) and entry.given_at == at(D0, 8, 15)
    assert entry.amount == Dose(1, "tablet") and entry.due_at == at(D0, 8)
    dose = book.day().doses[0]
    assert dose.state is DoseState.GIVEN and dose.timing is Timing.ON_TIME


def test_refused_writes_save_nothing_and_emit_nothing(book, riluzole, qtbot, duty):
    with qtbot.assertNotEmitted(book.changes.changed):
        with pytest.raises(ValidationError) as info:
            book.record_given(riluzole.id, _key(9))
        assert "occurrence_key" in info.value.errors
        with pytest.raises(ValidationError) as info:
            book.record_skipped(riluzole.id, _key(8), SkipReason.OTHER)
        assert "note" in info.value.errors
        with pytest.raises(ValidationError):
            book.record_given(riluzole.id, _key(20), given_at=at(D0, 13))  # in the future
        duty.caregiver_id = None
        with pytest.raises(ValidationError) as info:
            book.record_given(riluzole.id, _key(8))
        assert "caregiver" in info.value.errors
    assert book.day().doses[0].state is DoseState.MISSED


def test_a_recorded_dose_must_be_corrected_and_history_keeps_both(book, riluzole, fake_clock,
                                                                 duty):
    first = book.record_given(riluzole.id, _key(8), given_at=at(D0, 8, 5))
    with pytest.raises(ValidationError, match="already recorded"):
        book.record_given(riluzole.id, _key(8))
    fake_clock.advance(minutes=5)
    duty.caregiver_id = 2
    fixed = book.correct(first.id, kind=EntryKind.GIVEN, given_at=at(D0, 9, 40),
                         note="typed the wrong time")
    assert fixed.corrects_id == first.id and fixed.amount == first.amount
    assert (fixed.caregiver_id, fixed.recorded_by_id) == (1, 2)  # Tom gave it, Ana fixed it
    dose = book.day().doses[0]
    assert [e.id for e in dose.history] == [first.id, fixed.id]
    assert dose.effective == fixed and dose.timing is Timing.LATE
    # A screen showing the old entry must not correct it blindly: only the latest counts.
    with pytest.raises(ValidationError, match="already corrected"):
        book.correct(first.id, kind=EntryKind.GIVEN, given_at=at(D0, 8))
    assert book.chain(first.id).head == fixed


def test_a_given_dose_can_be_corrected_to_not_given(book, riluzole):
    first = book.record_given(riluzole.id, _key(8), given_at=at(D0, 8))
    book.correct(first.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.VOMITED)
    assert book.day().doses[0].state is DoseState.SKIPPED


def test_entered_in_error_then_recorded_again_continues_the_chain(book, riluzole):
    first = book.record_given(riluzole.id, _key(8), given_at=at(D0, 8))
    with pytest.raises(ValidationError):
        book.correct(first.id, kind=EntryKind.ENTERED_IN_ERROR)  # needs a note
    book.correct(first.id, kind=EntryKind.ENTERED_IN_ERROR, note="was the other medicine")
    assert book.day().doses[0].state is DoseState.MISSED
    again = book.record_given(riluzole.id, _key(8), given_at=at(D0, 8, 30))
    assert len(book.chain(again.id).entries) == 3
    assert book.day().doses[0].state is DoseState.GIVEN


def test_skip_and_check_warnings(book, riluzole):
    assert book.check_given(riluzole.id, _key(8), at(D0, 8, 30)) == GiveCheck()
    assert book.check_given(riluzole.id, _key(20), at(D0, 12)) == GiveCheck(
        warnings=("This is 8 hours early: it was due at 20:00.",))
    book.record_skipped(riluzole.id, _key(8), SkipReason.ASLEEP)
    late = book.check_given(riluzole.id, _key(8), at(D0, 11))
    assert late.already_recorded
    assert late.warnings[0] == "This dose is already recorded."


def test_as_needed_limits_warn_and_need_a_reason(book, fake_clock, qtbot):
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="drooling"))
    book.record_prn(glyco.id)
    assert not book.prn_status(glyco.id).allowed
    assert book.check_prn(glyco.id) == ["Less than 4 hours after the dose at 12:00."]
    fake_clock.advance(hours=1)
    with qtbot.assertNotEmitted(book.changes.changed), pytest.raises(ValidationError) as info:
        book.record_prn(glyco.id)
    assert "override_reason" in info.value.errors
    extra = book.record_prn(glyco.id, override_reason="nurse on the phone said yes")
    assert extra.override_reason == "nurse on the phone said yes"
    fake_clock.advance(hours=4)
    assert book.prn_status(glyco.id).describe(NEW_YORK) == (
        "Can be given now (2 of 3 used in the last 24 hours)")
    view = book.day()
    assert len(view.extra) == 2 and view.as_needed[0].medicine.id == glyco.id
    with pytest.raises(ValidationError):  # not an as-needed medicine
        book.record_prn(book.add_medicine(medicine(id=None, generic_name="x")).id)


def test_correcting_an_as_needed_dose_time_rechecks_the_limits(book, fake_clock):
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="drooling"))
    first = book.record_prn(glyco.id, given_at=at(D0, 8))
    book.record_prn(glyco.id, given_at=at(D0, 12))
    with pytest.raises(ValidationError) as info:
        book.correct(first.id, kind=EntryKind.GIVEN, given_at=at(D0, 10))
    assert "override_reason" in info.value.errors
    moved = book.correct(first.id, kind=EntryKind.GIVEN, given_at=at(D0, 7, 30))
    assert moved.given_at == at(D0, 7, 30)


def test_clinic_doses_default_to_no_caregiver_and_re_anchor_the_schedule(book, fake_clock):
    tofersen = book.add_medicine(medicine(LoadingRegimen(D0, time(9)), id=None,
                                          generic_name="tofersen", given_by=GivenBy.CLINIC,
                                          versions=(version(LoadingRegimen(D0, time(9)),
                                                            form=Form.INTRATHECAL,
                                                            route=Route.INTRATHECAL,
                                                            dose=Dose(15, "mL")),)))
    first = book.record_given(tofersen.id, "loading:2026-01-05:1", given_at=at(D0, 10))
    assert first.caregiver_id is None and first.recorded_by_id == 1
    fake_clock.set(at(D0 + timedelta(days=20), 12))
    book.record_given(tofersen.id, "loading:2026-01-05:2",
                      given_at=at(D0 + timedelta(days=17), 10))  # 3 days late
    third = book.occurrence(tofersen.id, "loading:2026-01-05:3")
    assert third.nominal.date() == D0 + timedelta(days=31)
    assert third.label == "loading 3 of 3"
    statuses = book.statuses(D0, D0 + timedelta(days=40), medicine_id=tofersen.id)
    assert [(s.occurrence.label, s.state, s.timing) for s in statuses] == [
        ("loading 1 of 3", DoseState.GIVEN, Timing.ON_TIME),
        ("loading 2 of 3", DoseState.GIVEN, Timing.LATE),
        ("loading 3 of 3", DoseState.DUE, None)]


def test_pause_resume_stop(book, riluzole, fake_clock, qtbot):
    with pytest.raises(ValidationError):
        book.pause(riluzole.id, "")
    with qtbot.waitSignal(book.changes.changed):
        book.pause(riluzole.id, "in hospital", at=at(D0, 19))
    assert [d.occurrence.local.hour for d in book.day().doses] == [8]
    fake_clock.set(at(D0 + timedelta(days=1), 12))
    book.resume(riluzole.id, at=at(D0 + timedelta(days=1), 7))
    book.stop(riluzole.id, "stopped by the neurologist")
    assert [d.occurrence.local.hour for d in book.day().doses] == [8]
    assert book.medicine(riluzole.id).latest_status.status is MedicineStatus.STOPPED
    with pytest.raises(ValidationError):
        book.pause(riluzole.id, "again")


def test_a_new_version_changes_only_the_days_from_its_date(book, riluzole, fake_clock):
    book.record_given(riluzole.id, _key(8), given_at=at(D0, 8))
    tomorrow = D0 + timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        book.change_version(riluzole.id, version(DailyRegimen(D0, (T8,)), flush_ml=30,
                                                 valid_from=tomorrow))
    assert "flush_ml" in info.value.errors
    book.change_version(riluzole.id, version(
        DailyRegimen(D0, (T8, T20)), valid_from=tomorrow, form=Form.LIQUID,
        route=Route.FEEDING_TUBE, dose=Dose(10, "mL"), strength="50 mg/10 mL", flush_ml=30,
        note="swallowing harder"))
    today = book.day(D0).doses
    later = book.day(tomorrow).doses
    assert {d.occurrence.form for d in today} == {Form.TABLET}
    assert {(d.occurrence.form, d.occurrence.dose) for d in later} == {
        (Form.LIQUID, Dose(10, "mL"))}
    assert today[0].state is DoseState.GIVEN


def test_update_details_keeps_history(book, riluzole):
    book.pause(riluzole.id, "a break")
    edited = book.update_details(replace(riluzole, purpose="slows ALS", versions=(),
                                         status_history=()))
    assert edited.purpose == "slows ALS"
    assert edited.versions == riluzole.versions and len(edited.status_history) == 1


def test_cycle_shift_pause_and_resume_through_the_book(book, fake_clock):
    edaravone = book.add_medicine(medicine(CycleRegimen(D0, (time(7),)), id=None,
                                           generic_name="edaravone"))
    day3 = D0 + timedelta(days=2)
    fake_clock.set(at(day3, 6))
    book.record_given(edaravone.id, "2026-01-05T07:00", given_at=at(D0, 7))
    with pytest.raises(ValidationError, match="already recorded"):
        book.shift_cycle(edaravone.id, D0, 1)
    book.shift_cycle(edaravone.id, day3, 1, reason="clinic day")
    assert book.day(day3).doses == ()
    assert book.day(day3 + timedelta(days=1)).doses[0].occurrence.label == "cycle 1, day 3 of 14"
    book.pause_cycle(edaravone.id, day3 + timedelta(days=3), "in hospital")
    assert book.day(day3 + timedelta(days=3)).doses == ()
    book.resume_cycle(edaravone.id, day3 + timedelta(days=6))
    resumed = book.day(day3 + timedelta(days=6)).doses
    assert resumed[0].occurrence.label == "cycle 1, day 5 of 14"
    delay, pause = (s.id for s in book.medicine(edaravone.id).active_cycle_shifts())
    with pytest.raises(ValidationError, match="Only the latest change"):
        book.undo_cycle_change(edaravone.id, delay)  # the later pause stands on it
    book.undo_cycle_change(edaravone.id, pause)
    book.undo_cycle_change(edaravone.id, delay)
    assert book.day(day3).doses[0].occurrence.label == "cycle 1, day 3 of 14"


def test_stock_and_forecast(book, riluzole, fake_clock):
    book.count_stock(riluzole.id, 10)
    book.record_given(riluzole.id, _key(8), given_at=at(D0, 8))  # before the count: not used
    fake_clock.set(at(D0, 21))
    book.record_given(riluzole.id, _key(20), given_at=at(D0, 20, 30))
    forecast = book.supply(riluzole.id)
    assert forecast.on_hand == 9
    assert forecast.run_out == D0 + timedelta(days=5)  # 9 tablets: 4.5 days from tomorrow
    assert forecast.needs_reorder
    book.refill(riluzole.id, 60, note="pharmacy")
    assert book.supply(riluzole.id).on_hand == 69
    book.open_bottle(riluzole.id, D0, D0 + timedelta(days=15))
    assert book.supply(riluzole.id).discard_by == D0 + timedelta(days=15)
    with pytest.raises(ValidationError):
        book.refill(riluzole.id, 0)


@pytest.mark.parametrize("hour", [0, 12, 23])
def test_todays_warning_needs_no_forecast_past_the_reorder_days(book, riluzole, fake_clock,
                                                                hour):
    """Today's header warns from a forecast that follows the doses only as far as the
    reorder days (``supply_horizon``): whatever the stock and the time of day, it says
    what the whole two-year forecast says; a stock that lasts longer has no run-out
    date in it."""
    fake_clock.set(at(D0, hour, 30))
    today = book.today()
    said = set()
    for count in range(30):
        book.count_stock(riluzole.id, count)
        fake_clock.advance(seconds=1)  # (each count after the one before)
        whole = book.supply(riluzole.id)
        near = book.supply(riluzole.id, horizon=supply_horizon(riluzole))
        said.add(supply_warning(riluzole, whole, today))
        assert supply_warning(riluzole, near, today) == supply_warning(riluzole, whole, today)
    assert "" in said and len(said) > 5  # (some counts warn, each on its day; some not)
    assert near.run_out is None
    assert whole.run_out is not None and whole.run_out > today + timedelta(days=10)


@pytest.mark.parametrize("day", [date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 8)])
@pytest.mark.parametrize("hour", [0, 12, 23])
def test_todays_warning_for_a_cycle_over_the_clock_change_needs_no_longer_forecast(
        book, fake_clock, day, hour):
    """The same for an edaravone-style cycle whose days off begin within the reorder
    days, with its dose at 23:30, in the days before and of the spring clock change
    (8 Mar 2026 in New York): where the horizon's two days of margin are needed."""
    edaravone = book.add_medicine(medicine(
        CycleRegimen(D0, (time(23, 30),)), id=None, generic_name="edaravone",
        supply=SupplySettings(unit="tablet", reorder_days=5)))  # (cycle 3: 2-11 Mar)
    fake_clock.set(at(day, hour, 30))
    today = book.today()
    said = set()
    for count in range(12):
        book.count_stock(edaravone.id, count)
        fake_clock.advance(seconds=1)
        whole = book.supply(edaravone.id)
        near = book.supply(edaravone.id, horizon=supply_horizon(edaravone))
        said.add(supply_warning(edaravone, whole, today))
        assert supply_warning(edaravone, near, today) == supply_warning(edaravone, whole,
                                                                          today)
    assert "" in said and len(said) > 2


def test_adherence_through_the_book(book, riluzole, fake_clock):
    book.record_given(riluzole.id, _key(8), given_at=at(D0, 8))
    fake_clock.set(at(D0 + timedelta(days=1), 21))
    book.record_skipped(riluzole.id, _key(8, D0 + timedelta(days=1)), SkipReason.REFUSED)
    report = book.adherence(D0, D0 + timedelta(days=1))
    counts = report.by_medicine[riluzole.id]
    assert (counts.due, counts.on_time, counts.missed, counts.skipped) == (
        4, 1, 1, {SkipReason.REFUSED: 1})
    assert counts.pending == 1  # the 20:00 dose of day 2 is within grace at 21:00


def test_statuses_between_instants_for_reminders(book, riluzole):
    soon = book.statuses_between(at(D0, 12), at(D0, 21))
    assert [(s.occurrence.local.hour, s.state) for s in soon] == [(20, DoseState.DUE)]
    assert book.statuses_between(at(D0, 21), at(D0, 22)) == []


def test_a_withdrawn_or_moved_as_needed_dose_no_longer_counts(book, fake_clock):
    earlier = D0 - timedelta(days=3)
    glyco = book.add_medicine(medicine(AsNeededRegimen(earlier, timedelta(hours=4), 1),
                                       id=None, start=earlier, generic_name="glycopyrrolate",
                                       purpose="drooling"))
    first = book.record_prn(glyco.id, given_at=at(D0, 11))
    assert not book.prn_status(glyco.id).allowed
    book.correct(first.id, kind=EntryKind.ENTERED_IN_ERROR, note="it was the other medicine")
    assert book.prn_status(glyco.id).allowed
    assert book.day().as_needed[0].allowed and book.day().extra == ()
    second = book.record_prn(glyco.id, given_at=at(D0, 11, 30))
    book.correct(second.id, kind=EntryKind.GIVEN,
                 given_at=at(D0 - timedelta(days=1), 9))  # really given yesterday morning
    status = book.prn_status(glyco.id)
    assert status.allowed and status.check.used_24h == 0
    assert book.day().as_needed[0].allowed


def test_correcting_a_skipped_step_dose_to_given_uses_the_step_amount(book):
    from caregiver_app.domain.regimens import DoseStep, StepsRegimen

    baclofen = book.add_medicine(medicine(StepsRegimen((
        DoseStep(D0, Dose(2, "tablet"), (T8,)),)), id=None, generic_name="baclofen"))
    skipped = book.record_skipped(baclofen.id, _key(8), SkipReason.ASLEEP)
    fixed = book.correct(skipped.id, kind=EntryKind.GIVEN, given_at=at(D0, 9))
    assert fixed.amount == Dose(2, "tablet")


def test_start_date_cannot_pass_a_recorded_change(book, riluzole):
    later = D0 + timedelta(days=10)
    book.change_version(riluzole.id, version(DailyRegimen(D0, (T8,)), valid_from=later))
    moved = book.medicine(riluzole.id)
    with pytest.raises(ValidationError) as info:
        book.update_details(replace(moved, start_date=later + timedelta(days=1)))
    assert "start_date" in info.value.errors and "valid_from" not in info.value.errors


def test_a_dose_given_early_is_not_counted_twice_in_the_forecast(book, riluzole, fake_clock):
    """3 tablets at 19:00; the 20:00 dose given at 19:30 leaves 2, for 08:00 and 20:00
    tomorrow: the stock runs out the day after tomorrow, as before giving it (counting
    the given dose again would say tomorrow evening)."""
    fake_clock.set(at(D0, 19))
    book.count_stock(riluzole.id, 3)
    before = book.supply(riluzole.id).run_out
    fake_clock.set(at(D0, 19, 30))
    book.record_given(riluzole.id, _key(20))
    after = book.supply(riluzole.id)
    assert after.on_hand == 2
    assert after.run_out == before == D0 + timedelta(days=2)


def test_extra_doses_outside_the_schedule(book, riluzole, fake_clock):
    """Given while paused: recorded (it happened), with the reason; an as-needed medicine
    in use goes through its limits instead."""
    with pytest.raises(ValidationError) as no_reason:
        book.record_extra(riluzole.id, reason="  ")
    assert "why" in no_reason.value.errors["note"].lower()
    book.pause(riluzole.id, "upset stomach", at=at(D0, 11))
    entry = book.record_extra(riluzole.id, reason="Neurologist said give it today")
    assert entry.occurrence_key is None and entry.caregiver_id == 1
    (extra,) = book.day().extra
    assert extra.outside_schedule
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="Drooling"))
    with pytest.raises(ValidationError, match="as-needed dose"):
        book.record_extra(glyco.id, reason="drooling")


def test_the_households_timing_window_decides_late_and_missed(book, riluzole, fake_clock,
                                                              qtbot):
    """On time within 30 minutes and missed an hour after: a dose given at 08:45 is late,
    and the 20:00 dose with nothing recorded at 21:05 is missed (the defaults, 1 hour and 2
    hours, would call them on time and still due)."""
    from caregiver_app.domain.household import DOSE_MISSED_AFTER, DOSE_ON_TIME
    from caregiver_app.services.changes import Changes

    fake_clock.set(at(D0, 8, 45))
    book.record_given(riluzole.id, _key(8))
    fake_clock.set(at(D0, 21, 5))
    states = {d.occurrence.key: (d.state, d.timing) for d in book.day().doses}
    assert states[_key(8)] == (DoseState.GIVEN, Timing.ON_TIME)
    assert states[_key(20)][0] is DoseState.DUE
    with qtbot.waitSignal(book.changes.changed) as announced:
        book.save_dose_timing(30, 60)
    assert announced.args == [Changes(settings=frozenset({DOSE_ON_TIME, DOSE_MISSED_AFTER}))]
    states = {d.occurrence.key: (d.state, d.timing) for d in book.day().doses}
    assert states[_key(8)] == (DoseState.GIVEN, Timing.LATE)
    assert states[_key(20)][0] is DoseState.MISSED


def test_missed_never_comes_before_the_end_of_the_on_time_window():
    from datetime import timedelta as td

    from caregiver_app.domain.doses import home_window

    window = home_window(120, 60)
    assert (window.late, window.grace) == (td(minutes=120), td(minutes=120))


def test_the_day_carries_over_only_the_day_befores_late_doses_still_open(book, fake_clock):
    """A 23:00 dose not yet recorded is still shown after midnight (overdue at 00:15,
    "not recorded yet" at 02:30, its grace having ended after midnight); the 20:00 dose,
    whose grace ended before midnight, is not; a recorded dose is not either."""
    late = book.add_medicine(medicine(DailyRegimen(D0, (T20, time(23))), id=None))
    day_after = D0 + timedelta(days=1)
    fake_clock.set(at(day_after, 0, 15))
    assert [s.occurrence.key for s in book.carried_over(day_after)] == [_key(23)]
    assert book.carried_over(day_after)[0].overdue
    fake_clock.set(at(day_after, 2, 30))
    [missed] = book.carried_over(day_after)
    assert missed.occurrence.key == _key(23) and missed.state is DoseState.MISSED
    book.record_given(late.id, _key(23), given_at=at(D0, 23, 10))
    assert book.carried_over(day_after) == ()
    assert book.carried_over(D0) == ()  # nothing of the day before D0


def test_a_medicine_added_in_the_afternoon_lists_no_missed_morning_dose(book, fake_clock):
    """Issue #11 item 12, through the book and its records: the medicine's "added"
    moment is when it was saved, and the morning dose nobody was asked about is not
    missed, on Today, in the statuses and the adherence; the evening one is due."""
    fake_clock.set(at(D0, 15))
    riluzole = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                          added_at=None))  # as the form adds it
    assert riluzole.added_at == at(D0, 15)
    assert [(d.occurrence.local.hour, d.state) for d in book.day().doses] == [
        (20, DoseState.DUE)]
    assert [s.state for s in book.statuses(D0, D0)] == [DoseState.DUE]
    fake_clock.set(at(D0 + timedelta(days=1), 9))  # the next morning: 20:00 was missed
    assert [(s.occurrence.local.hour, s.state) for s in book.statuses(D0, D0)] == [
        (20, DoseState.MISSED)]


def test_undo_entry_takes_one_record_back_with_a_correction(book, riluzole, fake_clock,
                                                            duty):
    """Undo of one record, by its id: never deleted, a correction (the record before
    it again, or "entered in error" for the first), by the caregiver on duty."""
    first = book.record_given(riluzole.id, _key(8), given_at=at(D0, 8, 5))
    fixed = book.correct(first.id, kind=EntryKind.GIVEN, given_at=at(D0, 8, 20))
    duty.caregiver_id = 2
    back = book.undo_entry(fixed.id)
    assert (back.kind, back.given_at, back.recorded_by_id) == (
        EntryKind.GIVEN, at(D0, 8, 5), 2)
    assert [e.id for e in book.chain(first.id).entries] == [first.id, fixed.id, back.id]
    gone = book.undo_entry(back.id)
    assert gone.kind is EntryKind.GIVEN and gone.given_at == at(D0, 8, 20)
    with pytest.raises(ValidationError) as refused:
        book.undo_entry(first.id)  # corrected since: only its latest record
    assert "undo" in refused.value.errors
    other = book.record_given(riluzole.id, _key(20, D0), given_at=at(D0, 12))
    withdrawn = book.undo_entry(other.id)
    assert withdrawn.kind is EntryKind.ENTERED_IN_ERROR
    assert book.day().doses[1].effective is None
