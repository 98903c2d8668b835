"""The one line the Today tab shows when something of "How things are going" is due: the
weekly weight, today's symptom check, or whether an as-needed dose given a while ago
helped. Said once, plainly, and switchable off; never a pop-up, never a sound.

Plain Python: no Qt, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

#: The weight is due again this many days after the last one.
WEIGHT_EVERY_DAYS = 7
#: Today's check is asked for while the last one is at most this many days old (a
#: household that stopped doing it is not asked every day).
CHECK_LAPSED_DAYS = 7
#: An as-needed dose is asked about this long after it was given: the household's choice
#: (minutes; this computer's setting ``going/effect_after_minutes``), 1 hour unless chosen…
EFFECT_AFTER_CHOICES = (15, 30, 45, 60, 90, 120, 180, 240)
EFFECT_AFTER_MINUTES = 60
EFFECT_AFTER = timedelta(minutes=EFFECT_AFTER_MINUTES)
#: …and no longer once this much time has passed (nobody remembers by then).
EFFECT_UNTIL = timedelta(hours=24)


@dataclass(frozen=True)
class Nudge:
    """What is due: each flag, and the dose to ask about (None: none)."""

    weight: bool = False
    check: bool = False
    dose: tuple[int, str] | None = None  # (dose entry id, "glycopyrrolate at 10:00")
    weight_days: int | None = None  # days since the last weight (None: never weighed)

    @property
    def any(self) -> bool:
        return self.weight or self.check or self.dose is not None

    def text(self) -> str:
        """"Due: the weekly weight (last 9 days ago); today's symptom check." or ""."""
        parts = []
        if self.weight:
            parts.append("the weekly weight" + (
                f" (last {self.weight_days} days ago)" if self.weight_days is not None
                else ""))
        if self.check:
            parts.append("today's symptom check")
        text = f"Due: {'; '.join(parts)}." if parts else ""
        if self.dose is not None:
            text = (text + " " if text else "") + f"Did the {self.dose[1]} help?"
        return text


def nudge(today: date, now: datetime, *, last_weight: date | None,
          last_check: date | None,
          as_needed: Sequence[tuple[int, datetime, str]] = (),
          answered: set[int] | frozenset[int] = frozenset(),
          effect_after: timedelta = EFFECT_AFTER) -> Nudge:
    """What is due ``today`` at ``now``: the weight a week after the last one, today's
    check while the household does it (one in the last week), the latest as-needed dose
    given from ``effect_after`` (1 hour unless chosen) to 24 hours ago not yet asked
    about. ``as_needed``: (dose entry id, given at, "name at 10:00") of recent as-needed
    doses; ``answered``: the dose ids already asked about."""
    # only what the household already keeps up: never a nudge to start something
    weight_days = (today - last_weight).days if last_weight is not None else None
    weight = weight_days is not None and weight_days >= WEIGHT_EVERY_DAYS
    check = last_check is not None and 1 <= (today - last_check).days <= CHECK_LAPSED_DAYS
    dose = None
    for entry_id, given_at, text in sorted(as_needed, key=lambda d: d[1], reverse=True):
        if entry_id in answered:
            continue
        if effect_after <= now - given_at <= EFFECT_UNTIL:
            dose = (entry_id, text)
            break
    return Nudge(weight=weight, check=check, dose=dose, weight_days=weight_days)


def effect_after_text(minutes: int) -> str:
    """"45 minutes", "1 hour", "1½ hours", "2 hours"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} minutes"
    if rest == 30:
        return f"{hours}½ hours"
    if rest:
        return f"{minutes} minutes"
    return f"{hours} hour{'s' if hours > 1 else ''}"
