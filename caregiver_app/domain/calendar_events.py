"""Calendar events as plain data, and what to send so a calendar that has earlier copies
ends up right. Plain Python (no file format here: ``domain.exports`` writes .ics).

A calendar that imported an earlier export keeps its events until something with the
same UID replaces them (RFC 5545 §3.8.4.7, RFC 5546 §2.1.5): an event is replaced by one
with a higher ``SEQUENCE`` (or the same one and a later ``DTSTAMP``), and removed by one
whose ``STATUS`` is ``CANCELLED``. So a re-export must

- give each dose the same UID as before (``domain.dose_identity``), with a higher
  SEQUENCE when anything a person sees changed (its time, amount, text, reminder);
- write every event it sent this target before that has gone from the schedule (a
  stopped medicine, held edaravone days, a dose moved out of the period) as cancelled,
  with no alarm and "Cancelled:" in its title, so even a calendar that ignores STATUS
  shows the change and does not ring.

``plan_export`` decides this from ``ExportedEvent``s (what each target was sent last),
and is what a live calendar share can use as well.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

CANCELLED_PREFIX = "Cancelled: "
CANCELLED_NOTE = ("This is no longer on the schedule. Check the medicines list in "
                  "ALS Care Companion for the current plan.")


@dataclass(frozen=True)
class CalendarEvent:
    """One event as a calendar shows it."""

    uid: str
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    description: str = ""
    location: str = ""
    category: str = ""
    #: when its alarm rings before ``start``; None: no alarm
    alarm_before: timedelta | None = None
    #: shows as free time (a dose) rather than busy (an appointment)
    transparent: bool = False

    def fingerprint(self) -> str:
        """Changes whenever anything a person would see changes."""
        parts = (self.start.isoformat(), self.end.isoformat(), self.summary,
                 self.description, self.location, self.category,
                 "" if self.alarm_before is None else str(self.alarm_before.total_seconds()),
                 str(self.transparent))
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ExportedEvent:
    """What one target (a file) was last sent for one UID."""

    uid: str
    sequence: int
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    fingerprint: str
    cancelled: bool = False
    category: str = ""


@dataclass(frozen=True)
class EventWrite:
    """An event to write: ``event`` as it is now (for a cancelled one: as it was sent),
    its SEQUENCE, and whether it is cancelled."""

    event: CalendarEvent
    sequence: int
    cancelled: bool = False

    @property
    def fingerprint(self) -> str:
        return "" if self.cancelled else self.event.fingerprint()

    def as_exported(self) -> ExportedEvent:
        return ExportedEvent(uid=self.event.uid, sequence=self.sequence,
                             start=self.event.start, end=self.event.end,
                             summary=self.event.summary, fingerprint=self.fingerprint,
                             cancelled=self.cancelled, category=self.event.category)


def _sequence(previous: ExportedEvent | None, fingerprint: str) -> int:
    if previous is None:
        return 0
    same = previous.fingerprint == fingerprint and previous.cancelled == (not fingerprint)
    return previous.sequence if same else previous.sequence + 1


def cancelled_copy(previous: ExportedEvent) -> CalendarEvent:
    """The event to send for ``previous`` now that it is off the schedule."""
    summary = previous.summary
    if not summary.startswith(CANCELLED_PREFIX):
        summary = CANCELLED_PREFIX + summary
    return CalendarEvent(uid=previous.uid, start=previous.start, end=previous.end,
                         summary=summary, description=CANCELLED_NOTE, category=previous.category,
                         alarm_before=None, transparent=True)


def plan_export(current: Mapping[str, CalendarEvent], sent: Mapping[str, ExportedEvent],
                latest: Mapping[str, ExportedEvent], *,
                window: tuple[datetime, datetime],
                covered: tuple[datetime, datetime]) -> list[EventWrite]:
    """What to write to a target, in time order.

    ``current``: every event of the ``covered`` span as the records say now (by UID);
    ``sent``: what this target was sent before; ``latest``: for each UID, the last copy
    sent to any target (the highest SEQUENCE, so a calendar that imported another file
    with the same UIDs also takes the newer one).

    Written: every current event starting in ``window`` (the period asked for), every
    current event this target was sent before (so a moved dose updates wherever it
    went), and as cancelled every event this target was sent that starts in ``covered``
    and is no longer current. Events sent before that started before ``covered`` (the
    past) are left as they are.
    """
    writes: list[EventWrite] = []
    for uid, event in current.items():
        if uid in sent or window[0] <= event.start < window[1]:
            writes.append(EventWrite(event, _sequence(latest.get(uid) or sent.get(uid),
                                                      event.fingerprint())))
    for uid, previous in sent.items():
        if uid in current or not covered[0] <= previous.start < covered[1]:
            continue
        last = latest.get(uid) or previous
        writes.append(EventWrite(cancelled_copy(last), _sequence(last, ""),
                                 cancelled=True))
    writes.sort(key=lambda w: (w.event.start, w.event.uid))
    return writes


__all__ = [
    "CANCELLED_NOTE",
    "CANCELLED_PREFIX",
    "CalendarEvent",
    "EventWrite",
    "ExportedEvent",
    "cancelled_copy",
    "plan_export",
]
