"""What can be done to a medicine on the Medications tab, and what the list says when it
shows nothing: rules the tab used to work out itself, as typed results.

Plain Python, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.regimens import CycleRegimen
from caregiver_app.domain.vocab import MedicineStatus

#: Why "Refill arrived…" and "Count stock…" are off for a medicine whose stock is not
#: counted.
NOT_COUNTED = "Set “Count stock in” with Change… first."


@dataclass(frozen=True)
class MedicineActions:
    """Which actions apply to the chosen medicine (None chosen: only adding one)."""

    chosen: bool = False
    """A medicine is chosen: change, pause or resume, history, stock, extra dose."""
    resume: bool = False
    """It is paused or stopped: the pause button resumes it."""
    stop: bool = False
    """It can be stopped (it is not stopped already)."""
    cycle: bool = False
    """It follows a cycle (some version of its schedule): the cycle menu is shown."""
    delay_or_hold: bool = False
    """The cycle can be delayed or paused (a cycle, not on hold today)."""
    resume_cycle: bool = False
    """Its cycle is on hold today."""
    undo_cycle_change: bool = False
    """A change to its cycle was recorded that can be taken back."""
    stock_counted: bool = False
    """Its stock is counted: refills and counts can be recorded."""

    @property
    def stock_tip(self) -> str:
        """The tooltip of the refill and count actions ("" when they apply)."""
        return "" if self.stock_counted else NOT_COUNTED


def medicine_actions(medicine: Medicine | None, today: date) -> MedicineActions:
    """What can be done to ``medicine`` on ``today`` (None: nothing is chosen)."""
    if medicine is None:
        return MedicineActions()
    latest = medicine.latest_status
    status = latest.status if latest is not None else MedicineStatus.ACTIVE
    cycle = any(isinstance(v.regimen, CycleRegimen) for v in medicine.versions)
    on_hold = medicine.open_hold(today) is not None
    return MedicineActions(
        chosen=True,
        resume=status is not MedicineStatus.ACTIVE,
        stop=status is not MedicineStatus.STOPPED,
        cycle=cycle,
        delay_or_hold=cycle and not on_hold,
        resume_cycle=on_hold,
        undo_cycle_change=bool(medicine.cycle_shifts),
        stock_counted=medicine.supply.tracked,
    )


def empty_list_note(total: int, shown: int) -> str:
    """What the medicine list says under itself: how to add the first medicine, why
    none of ``total`` is shown, or nothing when some are."""
    if total == 0:
        return "No medicines yet. Press “Add a new medicine…” to add the first one."
    if shown == 0:
        return (f"None of the {total} medicines match. Clear the search or tick Active, "
                "Paused or Stopped.")
    return ""
