"""Rules of the Care team tab, out of the widget: which appointments the list shows
for "Upcoming", "Past" or "All", what it says when it shows none, and the questions
asked before a contact or an appointment is removed.

Plain Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.contacts import Contact, ContactReference

#: Linked records named in the question before a contact is removed; more are counted.
MAX_LINKS_NAMED = 12

EMPTY_TEAM = ("No one is on the care team list yet. Press Add contact for each person who "
              "looks after the patient (neurologist, ALS clinic nurse, therapists, pharmacy…), "
              "or Import to bring them in from a vCard file saved from a phone.")


class AppointmentsShown(StrEnum):
    """Which appointments the Care team tab lists."""

    UPCOMING = "upcoming"
    PAST = "past"
    ALL = "all"


def appointments_shown(every: Sequence[Appointment], which: AppointmentsShown | str,
                       now: datetime) -> list[Appointment]:
    """The appointments to list: upcoming ones in their order, past ones latest first,
    or all of them as they are."""
    which = AppointmentsShown(which)
    if which is AppointmentsShown.UPCOMING:
        return [a for a in every if not a.is_past(now)]
    if which is AppointmentsShown.PAST:
        return sorted((a for a in every if a.is_past(now)), key=lambda a: a.starts_at,
                      reverse=True)
    return list(every)


def no_appointments_text(which: AppointmentsShown | str) -> str:
    """What the appointments list says when it has nothing to show."""
    which = AppointmentsShown(which)
    if which is AppointmentsShown.UPCOMING:
        return "No upcoming appointments. Press New appointment… to note the next clinic visit."
    if which is AppointmentsShown.PAST:
        return "No past appointments recorded."
    return "No appointments."


def reference_line(ref: ContactReference) -> str:
    """"Medicine: Riluzole (prescriber)": one record linked to a contact."""
    kind = "Medicine" if ref.kind == "medicine" else "Appointment"
    return f"{kind}: {ref.label}" + (f" ({ref.detail})" if ref.detail else "")


def remove_contact_question(contact: Contact, links: Sequence[ContactReference]) -> str:
    """The question asked before ``contact`` leaves the list, naming what still links
    to it (the first ``MAX_LINKS_NAMED``, then how many more)."""
    text = f"Remove {contact.name} ({contact.role_label}) from the care team list?"
    if links:
        text += "\n\nStill linked to this contact:\n" + "\n".join(
            "• " + reference_line(r) for r in links[:MAX_LINKS_NAMED])
        if len(links) > MAX_LINKS_NAMED:
            text += f"\n• …and {len(links) - MAX_LINKS_NAMED} more"
        text += ("\n\nThese keep the name and show it as removed. You can undo the "
                 "removal.")
    return text


def remove_appointment_question(appointment: Appointment) -> str:
    """The question asked before an appointment is removed; one the medicine schedule
    planned says what removing it does and does not change."""
    text = f"Remove the appointment “{appointment.title()}” on {appointment.when_text()}?"
    if appointment.source is AppointmentSource.REGIMEN:
        text += ("\n\nThe medicine schedule planned this clinic dose. Removing the "
                 "appointment takes it off this list and out of the appointment reminders "
                 "for good; the dose itself stays planned in the Medications tab. To give "
                 "it on another day or stop it, change the schedule there. You can undo "
                 "the removal.")
    return text
