"""Which dose is which, for calendars: the identity of a due dose that outlives its time.

A dose record's ``occurrence key`` names the scheduled date and time ("2026-12-05T08:00"),
because a record must stay with the dose it was for. A calendar needs something else: an
event for "riluzole, the first dose of 5 December" must stay the *same* event when that
dose moves from 08:00 to 09:00, or a phone that imported both files rings at both times.

``dose_place(medicine, occurrence)`` is that identity, within the medicine:

- clock-time schedules (daily, chosen weekdays, every N days, dose steps): the scheduled
  date and the dose's place among that day's times, ``"2026-12-05.1"`` (1: the day's first
  dose). A dose moved to another time of the same day keeps its place.
- edaravone-style cycles: the course (its start), the cycle, the dose day in that cycle and
  its place among the day's times, ``"cycle-2026-11-01.c3.d4.1"``, so a delayed cycle
  moves the same events to later days; a paused cycle's held doses are no longer due.
- loading then maintenance: the course and the dose's number, ``"loading-2026-01-05.2"``.

``dose_uid(household_id, medicine_id, place)`` makes it a calendar UID that is unique in
the world (RFC 5545 §3.8.4.7): two households never share one, since each has its own
random id (``domain.household``). ``appointment_uid`` does the same for an appointment,
``contact_uid`` for a care-team contact's vCard.

Plain Python: the calendar file export uses it, and live calendar sharing can too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time, timedelta

from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.regimens import CycleRegimen, LoadingRegimen, StepsRegimen
from caregiver_app.domain.schedule import LOADING_PREFIX, Occurrence, cycle_plan

UID_DOMAIN = "als-care-companion.invalid"


def _slot(times: Iterable[time], at: time) -> int:
    """1-based place of ``at`` among the day's ``times`` (0 when it is not one of them)."""
    ordered = sorted(times)
    return ordered.index(at) + 1 if at in ordered else 0


class DosePlaces:
    """``place(occurrence)`` for the doses of one medicine; works out each cycle plan
    once however many doses are asked about."""

    def __init__(self, medicine: Medicine):
        self._medicine = medicine
        self._cycles: dict[CycleRegimen, dict[date, tuple[int, int]]] = {}

    def place(self, occurrence: Occurrence) -> str:
        regimen = occurrence.version.regimen
        day, at = occurrence.nominal.date(), occurrence.nominal.time()
        if isinstance(regimen, LoadingRegimen) or occurrence.key.startswith(LOADING_PREFIX):
            start, _, number = occurrence.key[len(LOADING_PREFIX):].partition(":")
            return f"loading-{start}.{number}"
        if isinstance(regimen, CycleRegimen):
            cycle, dose_number = self._cycle_dose(regimen, day)
            return (f"cycle-{regimen.start.isoformat()}.c{cycle}.d{dose_number}."
                    f"{_slot(regimen.times, at)}")
        if isinstance(regimen, StepsRegimen):
            found = regimen.step_on(day)
            times = found[1].times if found else regimen.times
            return f"{day.isoformat()}.{_slot(times, at)}"
        return f"{day.isoformat()}.{_slot(regimen.times, at)}"

    def _cycle_dose(self, regimen: CycleRegimen, day: date) -> tuple[int, int]:
        plan = self._cycles.get(regimen)
        if plan is None or day not in plan:
            shifts = self._medicine.course_shifts(regimen)
            until = day + timedelta(days=400)  # once for a year's export, not once a dose
            plan = {d.day: (d.cycle, d.number) for d in cycle_plan(regimen, shifts, until)}
            self._cycles[regimen] = plan
        return plan.get(day, (0, 0))


def dose_place(medicine: Medicine, occurrence: Occurrence) -> str:
    """The dose's identity within ``medicine`` (see the module's doc)."""
    return DosePlaces(medicine).place(occurrence)


def _uid(household_id: str, *parts: object) -> str:
    text = "-".join(str(p) for p in (*parts, household_id))
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") + f"@{UID_DOMAIN}"


def dose_uid(household_id: str, medicine_id: int | None, place: str) -> str:
    """"dose-7-2026-12-05.1-<household id>@als-care-companion.invalid"."""
    return _uid(household_id, "dose", medicine_id, place)


def appointment_uid(household_id: str, appointment_id: int | None) -> str:
    return _uid(household_id, "appointment", appointment_id)


def contact_uid(household_id: str, contact_id: int | None) -> str:
    """A care-team contact's vCard UID (live sharing of the care team)."""
    return _uid(household_id, "contact", contact_id)


__all__ = ["UID_DOMAIN", "DosePlaces", "appointment_uid", "contact_uid", "dose_place",
           "dose_uid"]
