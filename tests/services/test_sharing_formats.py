"""The app's tasks, events and contacts as the server and the phones read them
(``services.sharing.formats``), checked with an independent reader and a real server."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar
from medicine_builders import D0, NEW_YORK, at
from radicale_server import radicale  # noqa: F401  (the fixture)

from caregiver_app.domain.calendar_events import CalendarEvent, EventWrite
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.dose_identity import contact_uid
from caregiver_app.domain.exports import calendar_ics
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.sharing import SharedTask, TaskStatus
from caregiver_app.services.sharing.formats import (
    contact_vcard,
    event_ics,
    read_contact,
    read_task,
    task_ics,
)

HOUSEHOLD = "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
NOW = at(D0, 7)
TASK = SharedTask(uid="dose-1-2026-01-05.1-x@als-care-companion.invalid", medicine_id=1,
                  occurrence_key="2026-01-05T08:00", due=at(D0, 8),
                  summary="08:00 riluzole 50 mg · 1 tablet by mouth",
                  description="08:00 riluzole 50 mg · 1 tablet by mouth.\nEmpty stomach.")


def _todo(text: str):
    [todo] = Calendar.from_ical(text).walk("VTODO")
    return todo


def test_a_task_as_a_phone_reads_it():
    todo = _todo(task_ics(TASK, now=NOW))
    assert str(todo["uid"]) == TASK.uid
    assert todo["due"].dt == at(D0, 8) and str(todo["status"]) == "NEEDS-ACTION"
    assert str(todo["summary"]) == TASK.summary
    assert "Empty stomach" in str(todo["description"])
    [alarm] = todo.walk("VALARM")
    assert alarm["trigger"].dt == timedelta(0)  # rings at the dose time


def test_a_completed_task_carries_when_and_rings_no_more():
    done = SharedTask(**{**TASK.__dict__, "status": TaskStatus.COMPLETED,
                         "completed": at(D0, 8, 10)})
    todo = _todo(task_ics(done, now=NOW))
    assert str(todo["status"]) == "COMPLETED" and todo["completed"].dt == at(D0, 8, 10)
    assert todo.walk("VALARM") == []
    assert read_task(task_ics(done, now=NOW)).completed == at(D0, 8, 10)


@pytest.mark.parametrize(("lines", "status", "completed"), [
    ("STATUS:COMPLETED\nCOMPLETED:20260105T131200Z\n", TaskStatus.COMPLETED,
     datetime(2026, 1, 5, 13, 12, tzinfo=UTC)),
    ("STATUS:COMPLETED\n", TaskStatus.COMPLETED, None),  # no time given
    ("COMPLETED:20260105T131200Z\n", TaskStatus.COMPLETED,  # no STATUS (some apps)
     datetime(2026, 1, 5, 13, 12, tzinfo=UTC)),
    ("PERCENT-COMPLETE:100\n", TaskStatus.COMPLETED, None),
    # un-ticked: the STATUS says so, whatever else the app left
    ("STATUS:NEEDS-ACTION\nPERCENT-COMPLETE:100\n", TaskStatus.NEEDS_ACTION, None),
    ("STATUS:NEEDS-ACTION\n", TaskStatus.NEEDS_ACTION, None),
    ("STATUS:CANCELLED\n", TaskStatus.CANCELLED, None),
    ("", TaskStatus.NEEDS_ACTION, None),
])
def test_what_phones_write_is_read(lines, status, completed):
    text = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//phone//EN\nBEGIN:VTODO\nUID:u1\n"
            f"DTSTAMP:20260105T131500Z\n{lines}END:VTODO\nEND:VCALENDAR\n")
    task = read_task(text.replace("\n", "\r\n"), account="ana")
    assert (task.uid, task.status, task.completed, task.account) == (
        "u1", status, completed, "ana")


def test_an_appointment_as_an_event_with_its_alarm():
    event = CalendarEvent(uid="appointment-4-x@als-care-companion.invalid",
                          start=at(D0, 10), end=at(D0, 11), summary="ALS clinic visit",
                          location="Clinic", category="Appointments",
                          alarm_before=timedelta(hours=2))
    [item] = Calendar.from_ical(event_ics(event, now=NOW)).walk("VEVENT")
    assert item["dtstart"].dt == at(D0, 10) and str(item["location"]) == "Clinic"
    [alarm] = item.walk("VALARM")
    assert alarm["trigger"].dt == -timedelta(hours=2)


def test_the_shared_calendar_writes_an_event_as_the_calendar_file_does():
    """One VEVENT builder: the family's calendar and the .ics file agree, cancelled too."""
    event = CalendarEvent(uid="appointment-4-x@als-care-companion.invalid",
                          start=at(D0, 10), end=at(D0, 11), summary="ALS clinic visit",
                          location="Clinic", description="Bring the medicines list.",
                          category="Appointments", alarm_before=timedelta(hours=2))
    for cancelled in (False, True):
        [shared] = Calendar.from_ical(event_ics(event, now=NOW, sequence=3,
                                                cancelled=cancelled)).walk("VEVENT")
        [filed] = Calendar.from_ical(calendar_ics(
            [EventWrite(event, 3, cancelled=cancelled)], zone=NEW_YORK,
            now=NOW)).walk("VEVENT")
        assert shared.to_ical() == filed.to_ical()
        assert str(shared["status"]) == ("CANCELLED" if cancelled else "CONFIRMED")
        assert len(shared.walk("VALARM")) == (0 if cancelled else 1)
        assert int(shared["sequence"]) == 3


def test_a_contact_card_has_its_household_uid():
    contact = Contact("Dr. Maya Patel", role=Role.NEUROLOGIST, id=3,
                      phones=(Phone(PhoneKind.OFFICE, "+13125550142"),))
    card = vobject.readOne(contact_vcard(contact, uid=contact_uid(HOUSEHOLD, 3)))
    assert card.uid.value == f"contact-3-{HOUSEHOLD}@als-care-companion.invalid"
    assert card.fn.value == "Dr. Maya Patel"


def test_a_task_put_on_a_real_server_is_what_a_phone_lists_and_ticks(radicale):  # noqa: F811
    import caldav

    with caldav.DAVClient(url=radicale.url, username="ana", password="ana-secret") as phone:
        tasks = phone.principal().make_calendar(
            name="Jane's medicines", supported_calendar_component_set=["VTODO"])
        tasks.save_todo(task_ics(TASK, now=NOW))
        [listed] = tasks.todos()
        assert str(listed.icalendar_component["summary"]) == TASK.summary
        listed.complete(completion_timestamp=at(D0, 8, 12))
        [back] = tasks.todos(include_completed=True)
        read = read_task(back.data, account="ana")
    assert (read.uid, read.status, read.completed) == (TASK.uid, TaskStatus.COMPLETED,
                                                        at(D0, 8, 12))
    assert NEW_YORK.key == "America/New_York"


def test_a_card_back_from_a_phone_keeps_what_only_the_app_knows():
    """A phone that drops the app's own properties changed nothing; a phone that edits
    the note it shows changes the notes, not the office hours written into it."""
    contact = Contact("Dr. Maya Patel", role=Role.OTHER, role_other="Research lead", id=3,
                      phones=(Phone(PhoneKind.OFFICE, "+13125550142"),),
                      notes="Calls back after 4.", office_hours="Mon-Fri 9-5",
                      emergency=True)
    base = contact_vcard(contact, uid="c3")
    card = vobject.readOne(base)
    for name in [n for n in card.contents if n.startswith("x-alscc-")]:
        del card.contents[name]
    back = read_contact(card.serialize(), base=base, region="US").contact
    assert replace(back, id=3) == contact
    card.note.value = card.note.value.replace("Calls back after 4.", "Calls back at 5.")
    edited = read_contact(card.serialize(), base=base, region="US").contact
    assert replace(edited, id=3) == replace(contact, notes="Calls back at 5.")
