"""How a reminder reaches the caregiver: a small ``Notifier`` interface and its delivery.

A ``Notice`` is what one reminder says (a title, one line per dose, and the doses it is
about, so clicking it can open the Today tab at that dose). Anything with
``notify(notice)`` and ``clear()`` is a notifier; ``withdraw(medicine_id, key)``, where a
notifier has it, takes a dose recorded or snoozed off what it shows. Each notifier shows
one notice at a time: a new one (a repeat) replaces the one before.

- ``ui.notifiers.TrayNotifier``: a message from the system tray icon (only while the
  platform has a tray, asked at each message: a tray may come after the app); clicking
  it emits ``activated(notice)``;
- the in-app banner (``ui.today.banner.ReminderBanner``), always, big, with Given and
  Snooze buttons;
- ``ui.notifiers.SoundNotifier``: a short chime (``resources/sounds/reminder.wav``
  through QtMultimedia, or the system beep where QtMultimedia is missing), when
  switched on;
- tests use a fake that records calls.

``notice_for_batch`` and ``notice_for_catch_up`` turn what ``ReminderService`` emits
into notices, in the patient's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from caregiver_app.domain.appointments import AppointmentReminder
from caregiver_app.domain.doses import DoseStatus, is_overdue
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.services.reminders import ReminderBatch


class NoticeKind(StrEnum):
    DOSES = "doses"  # due now, or still to give (maybe with some not recorded)
    UNRECORDED = "unrecorded"  # only doses past their grace period: what happened?
    EARLY = "early"  # coming up in a few minutes
    CATCH_UP = "catch_up"  # fell due while nobody was watching
    APPOINTMENT = "appointment"

    @property
    def about_a_due_dose(self) -> bool:
        """A dose needs the caregiver now (the window may come to the front)."""
        return self in (NoticeKind.DOSES, NoticeKind.UNRECORDED, NoticeKind.CATCH_UP)


@dataclass(frozen=True)
class NoticeItem:
    """One dose a notice names, with its line of text."""

    medicine_id: int
    key: str
    line: str  # "08:00  riluzole 50 mg: 1 tablet, by mouth"
    ask: bool = False  # past its grace period, nothing recorded: ask what happened


@dataclass(frozen=True)
class Notice:
    """What one notice says: its kind, title, the doses it names or its detail."""

    kind: NoticeKind
    title: str
    items: tuple[NoticeItem, ...] = ()
    detail: str = ""
    at: datetime | None = None
    repeat: int = 0  # its doses were reminded about this many times before (the sound)

    @property
    def text(self) -> str:
        lines = [i.line for i in self.items] or [self.detail]
        return "\n".join(line for line in lines if line)

    @property
    def first(self) -> tuple[int, str] | None:
        return (self.items[0].medicine_id, self.items[0].key) if self.items else None


class Notifier(Protocol):
    def notify(self, notice: Notice) -> None: ...

    def clear(self) -> None: ...

    # optional: def withdraw(self, medicine_id: int, key: str) -> None: ...


# ---- Words


def dose_line(status: DoseStatus, zone: ZoneInfo, now: datetime) -> str:
    """"08:00  riluzole 50 mg: 1 tablet, by mouth (overdue)": overdue as on the Today tab
    (``doses.is_overdue``: not at the due second itself)."""
    occ = status.occurrence
    strength = f" {occ.strength}" if occ.strength else ""
    where = " at the clinic" if status.medicine.given_by is GivenBy.CLINIC else ""
    text = (f"{occ.local.astimezone(zone):%H:%M}  {status.medicine.generic_name}{strength}: "
            f"{occ.dose.describe()}, {occ.route.label}{where}")
    if is_overdue(occ.due, now):
        text += " (overdue)"
    return text


#: Added to the line of a dose past its grace period with nothing recorded.
UNRECORDED_NOTE = "not recorded: what happened?"


def _items(statuses, zone: ZoneInfo, now: datetime) -> tuple[NoticeItem, ...]:
    return tuple(NoticeItem(int(s.occurrence.medicine_id or 0), s.occurrence.key,
                            dose_line(s, zone, now)) for s in statuses)


def _ask_items(statuses, zone: ZoneInfo) -> tuple[NoticeItem, ...]:
    """"08:00  riluzole 50 mg: 1 tablet, by mouth (not recorded: what happened?)"."""
    return tuple(NoticeItem(int(s.occurrence.medicine_id or 0), s.occurrence.key,
                            f"{dose_line(s, zone, s.occurrence.due)} ({UNRECORDED_NOTE})",
                            ask=True) for s in statuses)


def notice_for_batch(batch: ReminderBatch, zone: ZoneInfo) -> Notice:
    asks = _ask_items(batch.unrecorded, zone)
    if batch.doses:
        items = _items(batch.doses, zone, batch.at)
        count = len(items)
        if batch.repeated:
            title = "Still to give: " + (f"{count} doses" if count > 1 else "1 dose")
        elif count == 1:
            occ = batch.doses[0].occurrence
            title = (f"Time for {batch.doses[0].medicine.generic_name} "
                     f"({occ.local.astimezone(zone):%H:%M})")
        else:
            title = f"Time for medicines: {count} doses"
        if asks:
            title += f" · {len(asks)} not recorded"
        return Notice(NoticeKind.DOSES, title, items + asks, at=batch.at,
                      repeat=batch.repeat)
    if asks:
        if len(asks) == 1:
            status = batch.unrecorded[0]
            title = (f"Not recorded: {status.medicine.generic_name} "
                     f"{status.occurrence.local.astimezone(zone):%H:%M}. What happened?")
        else:
            title = f"{len(asks)} doses not recorded: what happened?"
        return Notice(NoticeKind.UNRECORDED, title, asks,
                      detail="Say whether each was given (and when) or not given.",
                      at=batch.at)
    items = _items(batch.early, zone, batch.at)
    first = batch.early[0].occurrence.local.astimezone(zone)
    return Notice(NoticeKind.EARLY, f"Coming up at {first:%H:%M}", items, at=batch.at)


def notice_for_catch_up(statuses: tuple[DoseStatus, ...], zone: ZoneInfo,
                        now: datetime) -> Notice:
    count = len(statuses)
    title = ("While you were away, " + (f"{count} doses" if count > 1 else "1 dose")
             + " fell due")
    return Notice(NoticeKind.CATCH_UP, title, _items(statuses, zone, now),
                  detail="Say what happened to each one.", at=now)


def notice_for_appointments(reminders: Sequence[AppointmentReminder],
                            now: datetime) -> Notice:
    first = reminders[0]
    title = ("Appointment tomorrow" if first.kind == "day_before" else "Appointment soon")
    if len(reminders) > 1:
        title = f"{len(reminders)} appointments coming up"
    return Notice(NoticeKind.APPOINTMENT, title,
                  detail="\n".join(r.text for r in reminders), at=now)


__all__ = [
    "UNRECORDED_NOTE",
    "Notice",
    "NoticeItem",
    "NoticeKind",
    "Notifier",
    "dose_line",
    "notice_for_appointments",
    "notice_for_batch",
    "notice_for_catch_up",
]
