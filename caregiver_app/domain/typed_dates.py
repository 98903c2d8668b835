"""Dates and times as a person types them, read into ``date`` and ``time``.

A tired caregiver types a date the way they write it: ``12/04/1965``, ``2026-12-04``,
``4 Dec``, ``Dec 4 2026``, ``tomorrow``; and a time as ``9``, ``930``, ``9:30``,
``21:30``, ``9.30pm`` or ``noon``. ``read_date`` and ``read_time`` turn each into the
value, or raise ``NotUnderstood`` with a sentence to show next to the field. The fields
show the value back in one unambiguous form (``show_date``: "Fri 4 Dec 2026", ``show_time``:
"21:30"), which reads back to the same value.

A day and time (``read_date_time``) is typed in one piece: a time alone (``930``) keeps the
field's day, a day alone (``yesterday``) keeps its time, and both together read either way
round (``yesterday 21:30``, ``4 Dec 9.30pm``, ``9pm yesterday``, "Fri 4 Dec 2026 21:30").

Numbers-only dates are read day first (``12/04/1965`` is 12 April), or month first where
the computer's locale writes them so (``day_first=False``, the US). A year written with
two digits is the one within 80 years before and 20 after today. A date without a year is
in today's year. Dates outside the years the app keeps (``values``: 1900-2200) are refused.
Plain Python, no Qt: the forms, the importers and tests use the same rules.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from caregiver_app.domain.localtime import weekday_date
from caregiver_app.domain.values import EARLIEST_DAY, LATEST_DAY

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
          "dec")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RELATIVE = {"today": 0, "tod": 0, "now": 0, "tomorrow": 1, "tmr": 1, "tom": 1,
            "yesterday": -1, "yest": -1}
DATE_EXAMPLE = "for example 4 Dec 2026, 04/12/2026, 2026-12-04 or tomorrow"
TIME_EXAMPLE = "for example 9, 930, 9:30, 21:30 or 9.30pm"
DATE_TIME_EXAMPLE = "for example 9:30, 21:30, yesterday 21:30 or 4 Dec 9.30pm"


class NotUnderstood(ValueError):
    """What was typed is not a date (or time); the message says what would be."""


def show_date(day: date) -> str:
    """``day`` as the fields show it: "Fri 4 Dec 2026" (reads back with ``read_date``)."""
    return weekday_date(day, year=True)


def every_shown_day(year: int = 2026) -> tuple[str, ...]:
    """A day of each weekday in each month, as the fields show it (84 texts): the
    widest of them is as wide as any day the field can show (a two-digit day)."""
    return tuple(show_date(date(year, month, day))
                 for month in range(1, 13) for day in range(22, 29))


def show_time(moment: time) -> str:
    """``moment`` as the fields show it: "09:30" (24-hour, reads back with ``read_time``)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")


def _month(word: str) -> int | None:
    """1-12 for a month's name or its first three letters or more ("sept"), else None."""
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    return next((number for number, name in enumerate(MONTH_NAMES, start=1)
                 if name.startswith(word)), None)


def _year(text: str, today: date) -> int:
    year = int(text)
    if len(text) <= 2:  # 65 -> 1965 in 2026; 30 -> 2030
        century = today.year - today.year % 100
        year += century
        if year > today.year + 20:
            year -= 100
        elif year <= today.year - 80:
            year += 100
    return year


def _checked(year: int, month: int, day: int, text: str) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise NotUnderstood(f"There is no such day as “{text.strip()}”.") from None
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise NotUnderstood(f"Type a date between {EARLIEST_DAY.year} and "
                            f"{LATEST_DAY.year}.")
    return value


#: What is typed (compiled when first used: at start-up nothing is typed).
_NUMERIC = r"^(\d{1,4})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{1,4}))?$"
_WORDS = r"[a-z]+\.?|\d+"


def read_date(text: str, today: date, *, day_first: bool = True) -> date:
    """The date typed as ``text`` (see the module's doc), or ``NotUnderstood``."""
    cleaned = text.strip().lower().replace(",", " ")
    if not cleaned:
        raise NotUnderstood(f"Type a date, {DATE_EXAMPLE}.")
    if cleaned in RELATIVE:
        return today + timedelta(days=RELATIVE[cleaned])
    offset = re.fullmatch(r"(?:in\s+)?([+-]?\s*\d{1,3})\s*(d|days?)|([+-]\s*\d{1,3})",
                          cleaned)
    if offset:
        days = int((offset.group(1) or offset.group(3)).replace(" ", ""))
        return today + timedelta(days=days)
    numeric = re.match(_NUMERIC, cleaned)
    if numeric:
        first, second, third = numeric.groups()
        if len(first) == 4:  # 2026-12-04: year, month, day
            if third is None:
                raise NotUnderstood(f"Add the day: {DATE_EXAMPLE}.")
            return _checked(int(first), int(second), int(third), text)
        day, month = (first, second) if day_first else (second, first)
        year = _year(third, today) if third else today.year
        return _checked(year, int(month), int(day), text)
    if re.fullmatch(r"\d{8}", cleaned):  # 20261204
        return _checked(int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:]), text)
    words = re.findall(_WORDS, cleaned)
    if words and "".join(words) != re.sub(r"\s+", "", cleaned):
        raise NotUnderstood(f"“{text.strip()}” is not a date: {DATE_EXAMPLE}.")
    if words and words[0].rstrip(".")[:3] in WEEKDAYS and len(words) > 1:
        words = words[1:]  # "Fri 4 Dec 2026": the weekday is only read back
    numbers = [w for w in words if w.isdigit()]
    names = [w for w in words if not w.isdigit()]
    if len(names) == 1 and 1 <= len(numbers) <= 2:
        month = _month(names[0])
        day_text = numbers[0]
        year_text = numbers[1] if len(numbers) == 2 else None
        if month is not None and len(day_text) <= 2:
            year = _year(year_text, today) if year_text else today.year
            return _checked(year, month, int(day_text), text)
    raise NotUnderstood(f"“{text.strip()}” is not a date: {DATE_EXAMPLE}.")


_TIME = r"^(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a|p|a\.m\.|p\.m\.)?$"


def read_time(text: str) -> time:
    """The time of day typed as ``text`` (see the module's doc), or ``NotUnderstood``."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in ("noon", "midday"):
        return time(12, 0)
    if cleaned == "midnight":
        return time(0, 0)
    match = re.match(_TIME, cleaned)
    if match is None:
        compact = re.fullmatch(r"(\d{3,4})\s*(am|pm|a|p)?", cleaned)  # 930, 2130
        if compact is None:
            raise NotUnderstood(f"“{text.strip()}” is not a time: {TIME_EXAMPLE}.")
        digits, half = compact.groups()
        hour, minute = int(digits[:-2]), int(digits[-2:])
    else:
        hour = int(match.group(1))
        minute = int(match.group(2) or 0)
        half = match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise NotUnderstood(f"With am or pm the hour is 1 to 12: {TIME_EXAMPLE}.")
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise NotUnderstood(f"There is no such time as “{text.strip()}”: {TIME_EXAMPLE}.")
    return time(hour, minute)


def show_date_time(moment: datetime) -> str:
    """``moment`` as the fields show it: "Fri 4 Dec 2026 21:30" (reads back with
    ``read_date_time``)."""
    return f"{show_date(moment.date())} {show_time(moment.time())}"


_TIME_LIKE = r"^[\d\s:.h]*(am|pm|a|p|a\.m\.|p\.m\.)?$"


def read_date_time(text: str, now: datetime, current: datetime, *,
                   day_first: bool = True) -> datetime:
    """The day and time typed as ``text`` (naive, minutes), or ``NotUnderstood``.

    A time alone keeps ``current``'s day and a day alone keeps its time; "now" is
    ``now``. Words for days (today, yesterday, tomorrow) count from ``now``'s day. A
    number of four digits after a day is its year ("4 Dec 2026"), not a time."""
    today = now.date()
    plain = re.sub(r"[,\s]+", " ", text.strip())
    plain = re.sub(r"(?:^|\s)at(?=\s|$)", " ", plain, flags=re.IGNORECASE).strip()
    cleaned = plain.lower()
    if not cleaned:
        raise NotUnderstood(f"Type a day and time, {DATE_TIME_EXAMPLE}.")
    if cleaned == "now":
        return now.replace(second=0, microsecond=0)
    if re.match(_TIME_LIKE, cleaned):  # a time alone keeps the day; "25:00" says why not
        try:
            return datetime.combine(current.date(), read_time(cleaned))
        except NotUnderstood as not_a_time:
            try:  # "12.4.65": a day after all
                day = read_date(plain, today, day_first=day_first)
            except NotUnderstood:
                raise not_a_time from None
            return datetime.combine(day, current.time().replace(second=0, microsecond=0))
    words = plain.split(" ")
    problem: NotUnderstood | None = None
    for count in (1, 2):  # the time last ("4 Dec 9.30pm", "4 Dec 9 pm"), or first
        if len(words) <= count:
            break
        tries = [(words[:-count], words[-count:])]
        first = " ".join(words[:count]).lower()
        if ":" in first or re.search(r"\d\s?(am|pm|a|p)$", first):
            tries.append((words[count:], words[:count]))  # "9pm yesterday"
        for day_words, time_words in tries:
            time_text = " ".join(time_words)
            if re.fullmatch(r"\d{4}", time_text) or not re.match(_TIME_LIKE, time_text.lower()):
                continue  # "4 Dec 2026": a year
            try:
                day = read_date(" ".join(day_words), today, day_first=day_first)
                moment = read_time(time_text)
            except NotUnderstood as exc:
                problem = problem or exc
                continue
            return datetime.combine(day, moment)
    try:
        day = read_date(plain, today, day_first=day_first)
    except NotUnderstood:
        if problem is not None and "not a" not in str(problem):
            raise problem from None  # "no such day as 31 Feb", "no such time as 25:00"
        raise NotUnderstood(f"“{text.strip()}” is not a day and time: "
                            f"{DATE_TIME_EXAMPLE}.") from None
    return datetime.combine(day, current.time().replace(second=0, microsecond=0))
