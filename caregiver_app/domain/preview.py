"""The next due doses of a medicine, for the medicine dialog's live preview. Pure functions.

``upcoming(medicine, after, zone, count=14)`` walks ``schedule.occurrences`` forward in
chunks from ``after`` until it has ``count`` doses or reaches ``horizon``, so a medicine
given once a month costs as little as one given four times a day. The medicine need not
be saved (``id=None``): the dialog previews what the caregiver is typing, and nothing is
written anywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.schedule import Actual, Occurrence, occurrences

#: How many due doses the medicine dialog shows.
PREVIEW_COUNT = 14
#: How far ahead the preview looks before it says "nothing due".
PREVIEW_HORIZON = timedelta(days=3 * 366)
_CHUNK = timedelta(days=62)


def upcoming(medicine: Medicine, after: datetime, zone: ZoneInfo, count: int = PREVIEW_COUNT,
             *, actual: Actual | None = None,
             horizon: timedelta = PREVIEW_HORIZON) -> list[Occurrence]:
    """The first ``count`` doses of ``medicine`` due at or after ``after``, in time order."""
    start = to_utc(after)
    stop = start + horizon
    found: list[Occurrence] = []
    while len(found) < count and start < stop:
        end = min(start + _CHUNK, stop)
        found.extend(occurrences(medicine, start, end, zone, actual=actual))
        start = end
    return found[:count]


__all__ = ["PREVIEW_COUNT", "PREVIEW_HORIZON", "upcoming"]
