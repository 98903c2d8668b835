"""Calendar export of a year: the example household's doses and appointments for 366 days
written to a new .ics file, and written again to the same file (which also reads what
that file was sent and works out SEQUENCE numbers and cancellations), each next to the
icalendar library writing the same number of bare events in the same run (the cost of the
format itself).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import best_of, clock, report
from bench.printing import _example

REPEAT = 3


def _bare_events(count: int) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//bench//EN")
    calendar.add("version", "2.0")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(count):
        event = Event()
        event.add("uid", f"bench-{i}@example.invalid")
        event.add("dtstamp", start)
        event.add("dtstart", start + timedelta(hours=i))
        event.add("summary", "riluzole: 1 tablet")
        calendar.add_component(event)
    return calendar.to_ical()


def run() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="bench-calendar-") as tmp:
        folder = Path(tmp)
        core = _example(folder / "example")
        service = core.printing
        first = service.today()
        last = first + timedelta(days=365)
        done = {}
        fresh = iter(range(1000))

        def new_file() -> None:
            done["new"] = service.export_calendar(folder / f"new-{next(fresh)}.ics",
                                                  first, last)

        def again() -> None:
            done["again"] = service.export_calendar(folder / "same.ics", first, last)

        service.export_calendar(folder / "same.ics", first, last)
        new_s = best_of(lambda: clock(new_file), REPEAT)
        again_s = best_of(lambda: clock(again), REPEAT)
        events = done["new"].events
        baseline = best_of(lambda: clock(lambda: _bare_events(events)), REPEAT)
        core.close()
    print(f"best of {REPEAT}; example household, {first} + 365 days")
    report(f"year to a new .ics file ({events} events)", new_s,
           f"icalendar: {events} bare events", baseline)
    report("year again to the same file", again_s, f"icalendar: {events} bare events",
           baseline)
