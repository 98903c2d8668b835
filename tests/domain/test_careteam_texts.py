"""The Care team tab's rules without Qt (``domain.careteam_texts``): which appointments
"Upcoming", "Past" and "All" list, what an empty list says, and the questions asked
before a removal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.careteam_texts import (
    MAX_LINKS_NAMED,
    AppointmentsShown,
    appointments_shown,
    no_appointments_text,
    reference_line,
    remove_appointment_question,
    remove_contact_question,
)
from caregiver_app.domain.contacts import Contact, ContactReference, Role

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _visit(hours: float, purpose: str, **kwargs) -> Appointment:
    return Appointment(starts_at=NOW + timedelta(hours=hours), purpose=purpose, **kwargs)


def test_upcoming_past_and_all():
    every = [_visit(-48, "Old"), _visit(-0.5, "Under way"), _visit(-3, "Earlier today"),
             _visit(24, "Tomorrow")]
    shown = appointments_shown(every, AppointmentsShown.UPCOMING, NOW)
    assert [a.purpose for a in shown] == ["Under way", "Tomorrow"]  # not over yet
    shown = appointments_shown(every, "past", NOW)
    assert [a.purpose for a in shown] == ["Earlier today", "Old"]  # latest first
    assert appointments_shown(every, AppointmentsShown.ALL, NOW) == every
    with pytest.raises(ValueError):
        appointments_shown(every, "later", NOW)


def test_what_an_empty_list_says():
    assert no_appointments_text("upcoming").startswith("No upcoming appointments. Press New")
    assert no_appointments_text(AppointmentsShown.PAST) == "No past appointments recorded."
    assert no_appointments_text("all") == "No appointments."


def test_removing_a_contact_names_what_links_to_it_and_counts_the_rest():
    ada = Contact(name="Dr Ada Lee", role=Role.NEUROLOGIST, id=3)
    assert remove_contact_question(ada, []) == (
        f"Remove Dr Ada Lee ({ada.role_label}) from the care team list?")
    links = [ContactReference("medicine", 1, "Riluzole", "prescriber")] + [
        ContactReference("appointment", i, "ALS clinic visit") for i in range(14)]
    text = remove_contact_question(ada, links)
    assert "• Medicine: Riluzole (prescriber)" in text
    assert text.count("• Appointment: ALS clinic visit") == MAX_LINKS_NAMED - 1
    assert "• …and 3 more" in text
    assert text.endswith("You can undo the removal.")
    assert reference_line(ContactReference("appointment", 2, "Breathing test")) == (
        "Appointment: Breathing test")


def test_removing_a_planned_clinic_dose_says_the_schedule_keeps_it():
    own = _visit(24, "Neurologist visit")
    assert remove_appointment_question(own) == (
        f"Remove the appointment “Neurologist visit” on {own.when_text()}?")
    planned = _visit(24, "Tofersen dose", source=AppointmentSource.REGIMEN,
                     series_label="loading dose 2 of 3")
    text = remove_appointment_question(planned)
    assert text.startswith("Remove the appointment “Tofersen dose (loading dose 2 of 3)”")
    assert "the dose itself stays planned in the Medications tab" in text
