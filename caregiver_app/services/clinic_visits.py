"""Clinic-given doses (tofersen and the like) as care-team appointments.

The medicine schedule knows when each clinic dose is due ("loading 2 of 3",
"maintenance"); the care team keeps appointments. This keeps the coming
clinic doses in the appointment list, so they show in the Care team tab, the
Today header, the checklist and appointment reminders. When a dose is given on
another day, the schedule moves the next ones and the appointments follow;
the caregiver's own notes on them (place, transport, companion, questions,
outcome) are kept. The schedule owns their time, length, purpose and contact
(the prescriber): the appointment dialog shows those read-only and says to
change them in the Medications tab. A dose recorded as given before its slot
keeps its appointment, moved to when it was given, so the outcome can be
written; one the caregiver removed is not brought back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer

from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.contacts import Contact
from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.errors import NotSaved
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.changes import Changes
from caregiver_app.services.medication_book import MedicationBook

log = logging.getLogger(__name__)

HORIZON_DAYS = 180


@dataclass(frozen=True)
class ClinicPlan:
    """The doses given at a clinic: those still to come, those recorded."""

    planned: list[Appointment] = field(default_factory=list)
    """Clinic doses still to be given, as appointments."""
    given: dict[str, datetime] = field(default_factory=dict)
    """source_key → when it was given, for doses in the same window already recorded."""


def clinic_plan(book: MedicationBook, days: int = HORIZON_DAYS, *,
                contact: Callable[[int], Contact | None] | None = None) -> ClinicPlan:
    """Clinic-given doses due from now to ``days`` ahead: those still to be given as
    appointments (at the prescriber's organisation and address when ``contact`` knows
    them), and those already recorded as given."""
    now = book.now()
    zone = book.zone()
    plan = ClinicPlan()
    for status in book.statuses_between(now, now + timedelta(days=days)):
        medicine = status.medicine
        if medicine.given_by is not GivenBy.CLINIC:
            continue
        occ = status.occurrence
        key = f"{medicine.id}:{occ.key}"
        if status.state is DoseState.GIVEN:
            entry = status.effective
            given_at = getattr(entry, "given_at", None) or getattr(entry, "recorded_at", None)
            plan.given[key] = given_at or now
            continue
        if status.state is not DoseState.DUE:
            continue
        prescriber = contact(medicine.prescriber_id) if contact is not None \
            and medicine.prescriber_id is not None else None
        plan.planned.append(Appointment(
            starts_at=occ.due,
            time_zone=zone.key,
            purpose=f"{medicine.name} dose at the clinic",
            series_label=occ.label,
            contact_id=medicine.prescriber_id,
            place=default_place(prescriber),
            source=AppointmentSource.REGIMEN,
            source_key=key,
        ))
    return plan


def default_place(contact: Contact | None) -> str:
    """Where a visit with ``contact`` is when the caregiver has not said: their
    organisation and address (what the appointment dialog fills in too)."""
    if contact is None:
        return ""
    return "\n".join(p for p in (contact.organisation, contact.address) if p)


class ClinicVisitSync(QObject):
    """Re-plans the clinic-dose appointments after every change to the medicines."""

    def __init__(self, book: MedicationBook, careteam: CareTeam,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._book = book
        self._careteam = careteam
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # coalesce a burst of changes into one sync
        self._timer.timeout.connect(self.sync)

    def apply_changes(self, changes: Changes) -> None:
        """A write (``Core.changes``): a medicine or its record changed, plan again (once
        for a burst of changes)."""
        if changes.medicines or changes.doses:
            self._timer.start()

    def sync(self) -> int:
        plan = clinic_plan(self._book, contact=self._careteam.contact)
        try:
            self._careteam.sync_generated(AppointmentSource.REGIMEN, plan.planned,
                                          since=self._book.now(), done=plan.given)
        except NotSaved as exc:  # a full disk: planned again at the next change or start
            log.warning("clinic visits not planned: %s", exc.reason)
            return 0
        log.info("clinic visits planned: %d (%d given)", len(plan.planned), len(plan.given))
        return len(plan.planned)

    def stop(self) -> None:
        self._timer.stop()
