"""Tasks, events and contacts as the server keeps them: iCalendar (RFC 5545) written and
read with ``icalendar``, vCards with ``vobject`` (``services.vcard``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from caregiver_app.domain.calendar_events import CalendarEvent, EventWrite
from caregiver_app.domain.contacts import Contact
from caregiver_app.domain.exports import ics_calendar, vevent
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.sharing import RemoteTask, SharedTask, TaskStatus
from caregiver_app.services.vcard import write_vcard


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
                          account=account)
    return None


__all__ = ["contact_vcard", "event_ics", "read_task", "task_ics"]
