"""Wall-clock times in the patient's time zone, turned into instants without surprises.

Due times are written as local wall-clock times ("08:00") in the patient's IANA zone.
Two nights a year some wall-clock times do not exist or exist twice:

- spring forward (e.g. 02:00 -> 03:00): a dose at 02:30 is due **once**, at the first
  moment after the gap (03:00 local); where the gap ends the day (America/Nuuk: Saturday
  23:00 -> Sunday 00:00) it is due in the last minute before the gap (22:59), so it
  stays on its own calendar day;
- fall back (e.g. 02:00 -> 01:00): a dose at 01:30 is due **once**, at the first of the
  two 01:30s.

Every instant the domain hands out is an aware ``datetime`` in UTC. Never do arithmetic
or comparisons on aware datetimes that share one ``ZoneInfo``: Python compares and
subtracts those by wall clock, ignoring DST. Convert to UTC first (``to_utc``).

Dates as people read them are written here, one function per kind, never by hand
elsewhere: ``describe_day`` ("1 Dec 2026", "1 Dec"), ``weekday_date`` ("Tue 1 Dec",
"Tue 1 Dec 2026"), ``weekday_date_time`` ("Tue 1 Dec 08:00") and ``long_date``
("Tuesday 1 December 2026", "1 December 2026"); the day of the month has no leading
zero. The names are English whatever the computer's locale, as every other word of
the app (``strftime`` would follow the locale, and is slow over years of records).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from caregiver_app.domain.errors import ValidationError

__all__ = [
    "UTC",
    "day_bounds",
    "local_date",
    "resolve_wall_time",
    "to_utc",
    "zone_named",
]


def describe_duration(value: timedelta, *, round_up: bool = False, short: bool = False) -> str:
    """A length of time in plain words: "4 hours", "1 h 30 min", "45 minutes".

    ``short`` writes "45 min" (for tight table cells); ``round_up`` counts a started
    minute as a whole one ("due in 1 min" rather than "due in 0 min").
    """
    seconds = max(0, int(value.total_seconds()))
    minutes = -(-seconds // 60) if round_up else seconds // 60
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} hour" + ("s" if hours != 1 else "")
    if short:
        return f"{rest} min"
    return f"{rest} minute" + ("s" if rest != 1 else "")


def zone_named(name: str, *, default: str = "UTC") -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name; ``default`` when ``name`` is empty.

    Raises ValidationError (field ``time_zone``) for a name the system does not know.
    """
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"time_zone": f"Unknown time zone {name!r}."}) from exc


def to_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime. Refuses naive datetimes (they are a bug)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: every instant must carry its zone")
    return moment.astimezone(UTC)


def resolve_wall_time(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant that the naive local ``wall`` time names in ``zone``.

    In a spring-forward gap the answer is the first instant after the gap (02:30 -> 03:00),
    unless that is on the next calendar day: then it is the last minute before the gap,
    so the time stays on its own day (America/Nuuk jumps from Saturday 23:00 to Sunday
    00:00: a 23:30 dose is due at 22:59 that Saturday, not at Sunday's 00:00 next to
    Sunday's own). In a fall-back overlap it is the first of the two (fold 0).
    """
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # ``wall`` falls in a gap. fold=1 reads it with the offset after the transition and
    # lands before the gap; fold=0 (``first``) lands after it. The transition lies between:
    # find the first second whose offset is the new one.
    lo = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    hi = first
    new_offset = hi.astimezone(zone).utcoffset()
    while (hi - lo) > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid.astimezone(zone).utcoffset() == new_offset:
            hi = mid
        else:
            lo = mid
    if hi.astimezone(zone).date() != wall.date():
        before = hi - timedelta(minutes=1)
        if before.astimezone(zone).date() == wall.date():
            return before
    return hi


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where local ``day`` starts and the next day starts (half-open)."""
    start = resolve_wall_time(datetime.combine(day, time()), zone)
    end = resolve_wall_time(datetime.combine(day + timedelta(days=1), time()), zone)
    return start, end


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The patient's calendar date at ``moment``."""
    return to_utc(moment).astimezone(zone).date()


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday")
_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def describe_day(day: date, *, year: bool = True) -> str:
    """A date as the app writes it for people: "28 Nov 2026" (never 2026-11-28 or
    "01 Dec"); without ``year``, "28 Nov"."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def weekday_name(day: date) -> str:
    """"Tue": the day of the week, short."""
    return WEEKDAYS[day.weekday()]


def weekday_date(day: date, *, year: bool = False) -> str:
    """A day with its weekday, as the app writes it everywhere: "Tue 1 Dec" (never
    "Tue 01 Dec"), with ``year`` "Tue 1 Dec 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {describe_day(day, year=year)}"


def weekday_date_time(local: datetime, *, year: bool = False) -> str:
    """A local moment: "Tue 1 Dec 08:00" (with ``year``: "Tue 1 Dec 2026 08:00")."""
    return f"{weekday_date(local, year=year)} {local.hour:02d}:{local.minute:02d}"


def long_date(day: date, *, weekday: bool = True) -> str:
    """"Tuesday 1 December 2026"; without ``weekday``, "1 December 2026"."""
    text = f"{day.day} {_LONG_MONTHS[day.month - 1]} {day.year}"
    return f"{_LONG_WEEKDAYS[day.weekday()]} {text}" if weekday else text
