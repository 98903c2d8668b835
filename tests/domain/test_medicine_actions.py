"""Which actions the Medications tab offers for the chosen medicine, and what its list
says when it shows nothing (``domain.medicine_actions``), without Qt."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from medicine_builders import D0, T8, at, medicine

from caregiver_app.domain.medicine_actions import (
    NOT_COUNTED,
    MedicineActions,
    empty_list_note,
    medicine_actions,
)
from caregiver_app.domain.medicines import StatusChange, SupplySettings
from caregiver_app.domain.regimens import CycleRegimen, CycleShift
from caregiver_app.domain.vocab import MedicineStatus


def test_nothing_chosen_offers_nothing():
    assert medicine_actions(None, D0) == MedicineActions()
    assert not MedicineActions().chosen and MedicineActions().stock_tip == NOT_COUNTED


def test_an_active_daily_medicine_without_counted_stock():
    can = medicine_actions(medicine(), D0)
    assert can.chosen and can.stop and not can.resume
    assert not (can.cycle or can.delay_or_hold or can.resume_cycle or can.undo_cycle_change)
    assert not can.stock_counted and can.stock_tip == NOT_COUNTED


def test_paused_resumes_and_stopped_cannot_be_stopped_again():
    def with_status(status: MedicineStatus):
        return replace(medicine(), status_history=(StatusChange(at(D0, 9), status),))

    paused = medicine_actions(with_status(MedicineStatus.PAUSED), D0)
    assert paused.resume and paused.stop
    stopped = medicine_actions(with_status(MedicineStatus.STOPPED), D0)
    assert stopped.resume and not stopped.stop


def test_a_cycle_can_be_delayed_until_it_is_on_hold_then_only_resumed():
    cycle = medicine(CycleRegimen(start=D0, times=(T8,)))
    can = medicine_actions(cycle, D0)
    assert can.cycle and can.delay_or_hold and not can.resume_cycle
    assert not can.undo_cycle_change
    held = replace(cycle, cycle_shifts=(CycleShift(D0 + timedelta(days=2), None, id=1),))
    can = medicine_actions(held, D0 + timedelta(days=3))
    assert can.cycle and not can.delay_or_hold and can.resume_cycle and can.undo_cycle_change


def test_counted_stock_allows_refills_and_counts():
    can = medicine_actions(replace(medicine(), supply=SupplySettings(unit="tablet")), D0)
    assert can.stock_counted and can.stock_tip == ""


def test_the_empty_list_says_how_to_add_or_why_nothing_shows():
    assert "Add a new medicine" in empty_list_note(0, 0)
    assert empty_list_note(3, 0) == ("None of the 3 medicines match. Clear the search or "
                                     "tick Active, Paused or Stopped.")
    assert empty_list_note(3, 1) == ""
