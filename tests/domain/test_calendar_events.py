"""``plan_export``: whatever changes between exports, a calendar that applies the files in
order (RFC 5546: a copy with a SEQUENCE at least the one held replaces it; a cancelled
copy removes it) shows exactly the schedule on the days the files covered, from today on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from caregiver_app.domain.calendar_events import (
    CANCELLED_PREFIX,
    CalendarEvent,
    ExportedEvent,
    plan_export,
)

BASE = datetime(2026, 12, 1, tzinfo=UTC)
UIDS = [f"dose-{i}@x.invalid" for i in range(8)]


def _day(n: int) -> datetime:
    return BASE + timedelta(days=n)


def _event(uid: str, day: int, variant: int) -> CalendarEvent:
    start = _day(day) + timedelta(hours=8 + variant)
    return CalendarEvent(uid=uid, start=start, end=start + timedelta(minutes=15),
                         summary=f"riluzole {variant}", category="Medicines",
                         alarm_before=timedelta(0), transparent=True)


schedules = st.dictionaries(st.sampled_from(UIDS),
                            st.tuples(st.integers(0, 20), st.integers(0, 2)), max_size=8)


@st.composite
def rounds(draw):
    today, found = 0, []
    for _ in range(draw(st.integers(1, 5))):
        today += draw(st.integers(0, 4))
        first = today + draw(st.integers(0, 3))
        last = first + draw(st.integers(0, 10))
        found.append((today, first, last, draw(schedules)))
    return found


class Phone:
    """``strict``: takes a copy only with a higher SEQUENCE than the one it holds (as
    some calendars do); otherwise also with the same one (RFC 5546, a later DTSTAMP)."""

    def __init__(self, strict: bool):
        self.strict = strict
        self.held: dict[str, tuple[int, CalendarEvent, bool]] = {}

    def apply(self, writes) -> None:
        for w in writes:
            held = self.held.get(w.event.uid)
            if held is None or w.sequence > held[0] or (
                    not self.strict and w.sequence == held[0]):
                self.held[w.event.uid] = (w.sequence, w.event, w.cancelled)

    def shows(self, uid: str) -> CalendarEvent | None:
        held = self.held.get(uid)
        return None if held is None or held[2] else held[1]


@settings(max_examples=150, deadline=None)
@given(plan=rounds(), strict=st.booleans())
def test_a_calendar_that_imports_every_file_shows_the_schedule(plan, strict):
    sent: dict[str, ExportedEvent] = {}
    sequences: dict[str, int] = {}
    phone = Phone(strict)
    for today, first, last, schedule in plan:
        ahead = [e.start for e in sent.values() if e.start >= _day(today)]
        lo = min([_day(first), *ahead])
        hi = max([_day(last + 1), *(s + timedelta(days=1) for s in ahead)])
        every = {uid: _event(uid, day, variant) for uid, (day, variant) in schedule.items()}
        current = {uid: e for uid, e in every.items() if lo <= e.start < hi}
        writes = plan_export(current, sent, sent, window=(_day(first), _day(last + 1)),
                             covered=(lo, hi))
        phone.apply(writes)
        for w in writes:
            assert w.sequence >= sequences.get(w.event.uid, 0)  # never goes back
            sequences[w.event.uid] = w.sequence
            if w.cancelled:
                assert w.event.alarm_before is None
                assert w.event.summary.startswith(CANCELLED_PREFIX)
            sent[w.event.uid] = w.as_exported()
        # Every event the schedule has in the period is on the phone as it is now ...
        for uid, event in current.items():
            if _day(first) <= event.start < _day(last + 1):
                assert phone.shows(uid) == event
        # ... and nothing the schedule no longer has rings from today on, where covered.
        for uid in UIDS:
            shown = phone.shows(uid)
            if shown is not None and lo <= shown.start and shown.start >= _day(today):
                assert current.get(uid) == shown, uid


def test_an_unchanged_event_keeps_its_sequence_and_a_changed_one_takes_the_next():
    window = (_day(0), _day(10))
    one = {UIDS[0]: _event(UIDS[0], 1, 0), UIDS[1]: _event(UIDS[1], 2, 0)}
    writes = plan_export(one, {}, {}, window=window, covered=window)
    sent = {w.event.uid: w.as_exported() for w in writes}
    assert [w.sequence for w in writes] == [0, 0]
    two = {UIDS[0]: _event(UIDS[0], 1, 0), UIDS[1]: _event(UIDS[1], 2, 1)}
    again = {w.event.uid: w.sequence for w in
             plan_export(two, sent, sent, window=window, covered=window)}
    assert again == {UIDS[0]: 0, UIDS[1]: 1}
    gone = plan_export({}, sent, sent, window=window, covered=window)
    assert [(w.cancelled, w.sequence) for w in gone] == [(True, 1), (True, 1)]
