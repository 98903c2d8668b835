"""Clinic-given doses (tofersen and the like) as care-team appointments.

The medicine schedule knows when each clinic dose is due ("loading 2 of 3",
"maintenance"); the care team keeps appointments. This keeps the coming
clinic doses in the appointment list, so they show in the Care team tab, the
Today header, the checklist and appointment reminders. When a dose is given on
another day, the schedule moves the next ones and the appointments follow;
the caregiver's own notes on them (transport, companion, questions) are kept.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtCore import QObject, QTimer

from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.medication_book import MedicationBook

log = logging.getLogger(__name__)

HORIZON_DAYS = 180


def planned_clinic_visits(book: MedicationBook, days: int = HORIZON_DAYS) -> list[Appointment]:
    """Clinic-given doses due from now to ``days`` ahead that are not recorded yet."""
    now = book.now()
    zone = book.zone()
    planned = []
    for status in book.statuses_between(now, now + timedelta(days=days)):
        medicine = status.medicine
        if medicine.given_by is not GivenBy.CLINIC or status.state is not DoseState.DUE:
            continue
        occ = status.occurrence
        planned.append(Appointment(
            starts_at=occ.due,
            time_zone=zone.key,
            purpose=f"{medicine.name} dose at the clinic",
            series_label=occ.label,
            contact_id=medicine.prescriber_id,
            source=AppointmentSource.REGIMEN,
            source_key=f"{medicine.id}:{occ.key}",
        ))
    return planned


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
        book.changed.connect(self._timer.start)

    def sync(self) -> int:
        planned = planned_clinic_visits(self._book)
        self._careteam.sync_generated(AppointmentSource.REGIMEN, planned, since=self._book.now())
        log.info("clinic visits planned: %d", len(planned))
        return len(planned)

    def stop(self) -> None:
        self._timer.stop()
