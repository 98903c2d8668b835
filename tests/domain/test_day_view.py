"""The day view: every due dose in time order, as-needed status, and nothing recorded hidden."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from medicine_builders import D0, NEW_YORK, T8, T20, at, given, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.dayview import build_day_view, prn_status_now
from caregiver_app.domain.doses import DoseEntry, DosePolicy, DoseState, EntryKind, build_chains
from caregiver_app.domain.medicines import StatusChange
from caregiver_app.domain.regimens import AsNeededRegimen, CycleRegimen, DailyRegimen
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.vocab import MedicineStatus

POLICY = DosePolicy()
RILUZOLE = medicine(DailyRegimen(D0, (T8, T20)), id=1, generic_name="riluzole")
BACLOFEN = medicine(DailyRegimen(D0, (T8, time(14), T20)), id=2, generic_name="Baclofen")
EDARAVONE = medicine(CycleRegimen(D0, (time(7),)), id=3, generic_name="edaravone")
GLYCO = medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=4,
                 generic_name="glycopyrrolate", purpose="drooling")
ALL = [RILUZOLE, BACLOFEN, EDARAVONE, GLYCO]


def _prn(medicine_id: int, when, id: int) -> DoseEntry:
    return DoseEntry(medicine_id=medicine_id, kind=EntryKind.GIVEN, recorded_at=when,
                     recorded_by_id=1, given_at=when, amount=Dose(1, "tablet"), id=id)


def test_every_due_dose_in_time_order_then_by_name():
    view = build_day_view(ALL, [], D0, NEW_YORK, at(D0, 6), POLICY)
    assert [(d.occurrence.local.strftime("%H:%M"), d.medicine.generic_name)
            for d in view.doses] == [
        ("07:00", "edaravone"), ("08:00", "Baclofen"), ("08:00", "riluzole"),
        ("14:00", "Baclofen"), ("20:00", "Baclofen"), ("20:00", "riluzole")]
    assert view.doses[0].occurrence.label == "cycle 1, day 1 of 14"
    assert view.next_due is view.doses[0]
    assert view.count(DoseState.DUE) == 6


def test_states_at_midday():
    riluzole_am = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    view = build_day_view(ALL, [given(riluzole_am, at(D0, 8, 10), id=1)], D0, NEW_YORK,
                          at(D0, 12), POLICY)
    states = {(d.medicine.generic_name, d.occurrence.local.hour): d.state for d in view.doses}
    assert states[("riluzole", 8)] is DoseState.GIVEN
    assert states[("Baclofen", 8)] is DoseState.MISSED
    assert states[("edaravone", 7)] is DoseState.MISSED
    assert states[("Baclofen", 14)] is DoseState.DUE
    assert view.next_due.occurrence.local.hour == 14
    assert view.overdue == ()
    later = build_day_view(ALL, [], D0, NEW_YORK, at(D0, 14, 30), POLICY)
    assert [d.medicine.generic_name for d in later.overdue] == ["Baclofen"]


def test_as_needed_status_and_doses_given_that_day():
    entries = [_prn(4, at(D0, 9), 1), _prn(4, at(D0, 13), 2), _prn(4, at(D0, 17), 3)]
    view = build_day_view(ALL, entries, D0, NEW_YORK, at(D0, 18), POLICY)
    (status,) = view.as_needed
    assert status.medicine is GLYCO and not status.allowed
    assert status.describe(NEW_YORK) == (
        "Next possible tomorrow at 09:00 (3 of 3 used in the last 24 hours)")
    assert len(status.given_today) == 3
    assert [x.medicine.id for x in view.extra] == [4, 4, 4]
    assert all(not x.orphan for x in view.extra)


def test_a_paused_as_needed_medicine_says_so_and_a_stopped_one_is_left_out():
    paused = replace(GLYCO, status_history=(
        StatusChange(at(D0, 1), MedicineStatus.PAUSED, "hospital"),))
    (status,) = build_day_view([paused], [], D0, NEW_YORK, at(D0, 12), POLICY).as_needed
    assert not status.active and status.describe(NEW_YORK) == "Not in use now"
    stopped = replace(GLYCO, status_history=(
        StatusChange(at(D0, 1), MedicineStatus.STOPPED, "no longer needed"),))
    assert build_day_view([stopped], [], D0, NEW_YORK, at(D0, 12), POLICY).as_needed == ()
    assert prn_status_now(GLYCO, [], NEW_YORK, at(D0, 12)).allowed
    assert prn_status_now(RILUZOLE, [], NEW_YORK, at(D0, 12)) is None


def test_records_of_doses_no_longer_on_the_schedule_are_still_shown():
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[0]
    entry = given(occ, at(D0, 8), id=1)
    moved = replace(RILUZOLE, versions=(version(DailyRegimen(D0, (time(9), T20))),))
    view = build_day_view([moved], [entry], D0, NEW_YORK, at(D0, 12), POLICY)
    assert [x.orphan for x in view.extra] == [True]
    assert view.extra[0].chain.effective == entry


def test_a_late_dose_given_after_midnight_stays_on_its_own_day():
    occ = occurrences_on(RILUZOLE, D0, NEW_YORK)[1]  # 20:00
    entry = given(occ, at(D0 + timedelta(days=1), 0, 30), id=1)
    next_day = build_day_view([RILUZOLE], [entry], D0 + timedelta(days=1), NEW_YORK,
                              at(D0 + timedelta(days=1), 12), POLICY)
    assert next_day.extra == ()
    that_day = build_day_view([RILUZOLE], [entry], D0, NEW_YORK, at(D0, 23), POLICY)
    assert that_day.doses[1].state is DoseState.GIVEN


def test_the_spring_forward_day():
    night = medicine(DailyRegimen(D0, (time(2, 30), T8)))
    day = date(2026, 3, 8)
    view = build_day_view([night], [], day, NEW_YORK, at(day, 12), POLICY)
    assert [d.occurrence.local.strftime("%H:%M") for d in view.doses] == ["03:00", "08:00"]


def test_chains_from_other_medicines_do_not_leak():
    entries = [_prn(4, at(D0, 9), 1)]
    assert prn_status_now(GLYCO, build_chains(entries), NEW_YORK, at(D0, 10)).check.used_24h == 1


def test_a_medicine_added_today_does_not_list_its_earlier_doses_as_missed():
    """Issue #11 item 12: riluzole written into the app at 15:00 listed its 08:00 dose
    as missed. Nobody was asked about it: a dose whose grace period was over before the
    medicine was added, with nothing recorded, is not listed; a dose recorded for it
    stays; the doses after it are as ever."""
    added_at_3pm = replace(RILUZOLE, added_at=at(D0, 15))
    view = build_day_view([added_at_3pm], [], D0, NEW_YORK, at(D0, 15, 5), POLICY)
    assert [(d.occurrence.local.hour, d.state) for d in view.doses] == [(20, DoseState.DUE)]
    assert view.count(DoseState.MISSED) == 0
    late = build_day_view([added_at_3pm], [], D0, NEW_YORK, at(D0 + timedelta(days=1), 9),
                          POLICY)
    assert [(d.occurrence.local.hour, d.state) for d in late.doses] == [
        (20, DoseState.MISSED)]  # the 20:00 dose was the app's to remind: missed
    recorded = given(occurrences_on(RILUZOLE, D0, NEW_YORK)[0], at(D0, 8), id=1)
    with_record = build_day_view([added_at_3pm], [recorded], D0, NEW_YORK, at(D0, 15, 5),
                                 POLICY)
    assert [(d.occurrence.local.hour, d.state) for d in with_record.doses] == [
        (8, DoseState.GIVEN), (20, DoseState.DUE)]
    # added at 08:30: the 08:00 dose is still to be recorded (within its grace period),
    # and shown as missed once that is over, as any dose the app was showing
    added_at_830 = replace(RILUZOLE, added_at=at(D0, 8, 30))
    soon = build_day_view([added_at_830], [], D0, NEW_YORK, at(D0, 8, 35), POLICY)
    assert [(d.occurrence.local.hour, d.state) for d in soon.doses] == [
        (8, DoseState.DUE), (20, DoseState.DUE)]
    noon = build_day_view([added_at_830], [], D0, NEW_YORK, at(D0, 12), POLICY)
    assert [(d.occurrence.local.hour, d.state) for d in noon.doses] == [
        (8, DoseState.MISSED), (20, DoseState.DUE)]
    # a medicine added days ago is unchanged: its unrecorded doses are missed
    earlier = replace(RILUZOLE, added_at=at(D0 - timedelta(days=3), 9))
    assert [d.state for d in build_day_view([earlier], [], D0, NEW_YORK, at(D0, 15),
                                            POLICY).doses] == [DoseState.MISSED,
                                                               DoseState.DUE]
