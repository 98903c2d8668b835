"""Tasks, events and contacts as the server keeps them: iCalendar (RFC 5545) written and
read with ``icalendar``, vCards with ``vobject`` (``services.vcard``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from caregiver_app.domain.calendar_events import CalendarEvent, EventWrite
from caregiver_app.domain.contacts import Contact
from caregiver_app.domain.exports import PRODID, ics_calendar, vevent
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.sharing import RemoteTask, SharedTask, TaskStatus
from caregiver_app.domain.tick_sources import client_name
from caregiver_app.services.vcard import ImportedCard, write_vcard


def _stamp(now: datetime) -> datetime:
    return to_utc(now).astimezone(UTC).replace(microsecond=0)


def task_ics(task: SharedTask, *, now: datetime, sequence: int = 0) -> str:
    """One dose's task as an iCalendar object: due at the dose time with a display alarm
    then (none once it is completed or cancelled)."""
    from icalendar import Alarm, Todo

    calendar = ics_calendar()
    todo = Todo()
    todo.add("uid", task.uid)
    todo.add("dtstamp", _stamp(now))
    todo.add("sequence", sequence)
    todo.add("dtstart", _stamp(task.due))
    todo.add("due", _stamp(task.due))
    todo.add("summary", task.summary)
    todo.add("description", task.description)
    todo.add("categories", [task.category])
    todo.add("status", task.status.value)
    if task.status is TaskStatus.COMPLETED:
        todo.add("percent-complete", 100)
        if task.completed is not None:
            todo.add("completed", _stamp(task.completed))
    else:
        todo.add("percent-complete", 0)
    if task.status is TaskStatus.NEEDS_ACTION:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", task.summary)
        alarm.add("trigger", timedelta(0), parameters={"RELATED": "END"})
        todo.add_component(alarm)
    calendar.add_component(todo)
    return calendar.to_ical().decode()


def event_ics(event: CalendarEvent, *, now: datetime, sequence: int = 0,
              cancelled: bool = False) -> str:
    """An appointment as an iCalendar object with its alarm (a cancelled one with none),
    by the calendar file's own builder (``domain.exports.vevent``)."""
    calendar = ics_calendar()
    calendar.add_component(vevent(EventWrite(event, sequence, cancelled), now=now))
    return str(calendar.to_ical().decode())


def contact_vcard(contact: Contact, *, uid: str) -> str:
    """A care-team contact as the address book's vCard (3.0), with its UID."""
    return write_vcard(contact, uid=uid)


#: A standard property a phone shows and edits, and the app's own properties on the card
#: that say the same more exactly (``services.vcard``): when a phone changed the standard
#: one, the app's are out of date and are not read.
_SHADOWED = {"note": ("x-alscc-notes",), "title": ("x-alscc-role", "x-alscc-role-other"),
             "url": ("x-alscc-portal",)}
#: The lines the app adds to the NOTE a phone shows (``vcard._phone_note``): not notes.
_NOTE_EXTRAS = ("Call first (emergency contact).", "Office hours: ", "Best way to reach: ",
                "Patient portal: ")


def card_uid(text: str) -> str:
    """The UID of the first card in ``text`` ("" when it has none or cannot be read)."""
    import vobject

    try:
        card = vobject.readOne(text)
        return str(card.uid.value).strip() if hasattr(card, "uid") else ""
    except Exception:  # not a card: a person is told by read_contact
        return ""


def _standard(card: Any, name: str) -> list[str]:
    return [str(line.value) for line in card.contents.get(name, [])]


def read_contact(text: str, *, base: str = "", region: str | None) -> ImportedCard:
    """A card on the server as the care team takes it in: read and checked as a vCard
    import reads and checks a file (``services.vcard.read_vcards``: the same reader,
    rules and problems). ``base``: the card as the app last wrote it; a standard field
    a phone changed since (the note, the title, the web address) is read as the phone
    left it, not from the app's own properties, which a phone leaves as they were."""
    import vobject

    from caregiver_app.services.vcard import read_vcards
    from caregiver_app.services.vcard_lines import VCardError

    try:
        card = vobject.readOne(text)
        before = vobject.readOne(base) if base else None
    except Exception:
        card = before = None
    if card is not None and before is not None:
        # what only the app keeps (office hours, the best way to reach them…): a phone
        # that drops properties it does not know has not changed those
        for name, lines in before.contents.items():
            if name.startswith("x-alscc-") and name not in card.contents:
                card.contents[name] = lines
        for name, ours in _SHADOWED.items():
            if _standard(card, name) == _standard(before, name):
                continue
            for own in ours:
                card.contents.pop(own, None)
            if name == "note":
                for line in card.contents.get("note", []):
                    line.value = "\n".join(
                        part for part in str(line.value).split("\n")
                        if not part.startswith(_NOTE_EXTRAS)).strip()
        text = card.serialize()
    try:
        return next(c for c in read_vcards(text, region=region) if c.number)
    except VCardError as exc:
        return ImportedCard(1, 1, Contact(name=""), unreadable=str(exc), unreadable_line=1)


def _aware(value: object) -> datetime | None:
    if isinstance(value, datetime):
        # a floating time (no zone) is taken as UTC: the app wrote UTC times
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def read_task(data: str, *, account: str = "") -> RemoteTask | None:
    """The first task in ``data`` as a phone left it (its status and, when ticked, the
    completion time); None when ``data`` holds no task. Its STATUS says; a task with no
    STATUS but a COMPLETED time or 100 % done (some apps write only those) counts as
    completed."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(data)
    for todo in calendar.walk("VTODO"):
        text = str(todo.get("status", "")).upper()
        completed_prop = todo.get("completed")
        completed = _aware(completed_prop.dt) if completed_prop is not None else None
        percent = todo.get("percent-complete")
        try:
            status = TaskStatus(text)
        except ValueError:
            status = TaskStatus.NEEDS_ACTION
        if not text and (
                completed is not None or (percent is not None and int(percent) >= 100)):
            status = TaskStatus.COMPLETED
        if status is not TaskStatus.COMPLETED:
            completed = None
        return RemoteTask(uid=str(todo.get("uid", "")), status=status, completed=completed,
                          account=account,
                          client=client_name(str(calendar.get("prodid", "")), own=PRODID))
    return None


__all__ = ["card_uid", "contact_vcard", "event_ics", "read_contact", "read_task", "task_ics"]
