"""As-needed (PRN) doses: may one be given now, and if not, from when.

Limits of an ``AsNeededRegimen``:

- ``min_interval``: at least this long between any two doses;
- ``max_per_24h``: in **any** rolling 24 hours, at most this many doses. A dose given at
  ``g`` counts at moment ``t`` while ``t - 24 h < g <= t``: a dose exactly 24 hours ago no
  longer counts.

``prn_check(regimen, given, now)`` answers for a dose now (``PrnCheck.allowed``,
``next_allowed``, ``used_24h``). ``prn_problems(regimen, given, at)`` lists, in plain words,
every limit a dose at ``at`` would break, also for a dose recorded after the fact (it looks
at doses on both sides). The caregiver may still record such a dose, with an
``override_reason`` (``validate_prn_dose``).

All arithmetic is on UTC instants, so the 24 hours are real hours across DST changes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from caregiver_app.domain.doses import EntryKind, RecordChain
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import describe_duration, to_utc, weekday_date
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.regimens import AsNeededRegimen

DAY = timedelta(hours=24)


@dataclass(frozen=True)
class PrnCheck:
    """The answer for a dose at ``at``."""

    at: datetime
    allowed: bool
    next_allowed: datetime  # == at when allowed (UTC)
    used_24h: int  # doses counted in the 24 hours up to ``at``
    max_24h: int | None
    last_given: datetime | None


@dataclass(frozen=True)
class PrnStatus:
    """An as-needed medicine on a day view: its limits and whether a dose may be given."""

    medicine: Medicine
    regimen: AsNeededRegimen | None  # None: not active now
    check: PrnCheck | None
    given_today: tuple[datetime, ...] = ()

    @property
    def active(self) -> bool:
        return self.check is not None

    @property
    def allowed(self) -> bool:
        return self.check is not None and self.check.allowed

    def describe(self, zone: ZoneInfo) -> str:
        """"Can be given now (1 of 4 used in the last 24 hours)" or
        "Next possible at 14:20 (3 of 4 used in the last 24 hours)"."""
        check = self.check
        if check is None:
            return "Not in use now"
        used = ""
        if check.max_24h is not None:
            used = f" ({check.used_24h} of {check.max_24h} used in the last 24 hours)"
        elif check.last_given is not None:
            used = f" (last dose at {_clock(check.last_given, zone, check.at)})"
        if check.allowed:
            return f"Can be given now{used}"
        return f"Next possible {_when(check.next_allowed, zone, check.at)}{used}"


def prn_check(regimen: AsNeededRegimen, given: Iterable[datetime], at: datetime) -> PrnCheck:
    """May a dose be given at ``at``, and if not, the first moment it may.

    Only doses at or before ``at`` are considered (the usual case, "now").
    """
    at = to_utc(at)
    past = sorted(t for t in (to_utc(g) for g in given) if t <= at)
    last = past[-1] if past else None
    used = len(past) - bisect_right(past, at - DAY)
    candidate = at
    if last is not None:
        candidate = max(candidate, last + regimen.min_interval)
    limit = regimen.max_per_24h
    if limit is not None and len(past) >= limit:
        # The dose that must drop out of the window: the limit-th most recent.
        candidate = max(candidate, past[-limit] + DAY)
    return PrnCheck(at=at, allowed=candidate == at, next_allowed=candidate, used_24h=used,
                    max_24h=limit, last_given=last)


def prn_problems(regimen: AsNeededRegimen, given: Iterable[datetime], at: datetime,
                 zone: ZoneInfo) -> list[str]:
    """Every limit a dose at ``at`` would break, in plain words ([] when none)."""
    at = to_utc(at)
    times = sorted(to_utc(g) for g in given)
    problems: list[str] = []
    gap = regimen.min_interval
    near = [t for t in times if abs(t - at) < gap]
    if near:
        closest = min(near, key=lambda t: abs(t - at))
        side = "after" if closest <= at else "before"
        problems.append(
            f"Less than {describe_duration(gap)} {side} the dose at {_clock(closest, zone, at)}.")
    limit = regimen.max_per_24h
    if limit is not None:
        worst = _most_in_a_day(times, at)
        if worst > limit:
            problems.append(
                f"This would be {worst} doses in 24 hours; the most allowed is {limit}.")
    return problems


def validate_prn_dose(regimen: AsNeededRegimen, given: Iterable[datetime], at: datetime,
                      override_reason: str, zone: ZoneInfo) -> None:
    """Raise ValidationError (field ``override_reason``) when a dose at ``at`` breaks a limit
    and no reason was given. The message says which limit."""
    problems = prn_problems(regimen, given, at, zone)
    if problems and not override_reason.strip():
        raise ValidationError({"override_reason": " ".join(problems) + (
            " To record it anyway, write why (for example, \"nurse advised\").")})


def prn_given_times(chains: Iterable[RecordChain], medicine_id: int) -> list[datetime]:
    """Times of the effective given doses of an as-needed medicine, from record chains."""
    times = []
    for chain in chains:
        effective = chain.effective
        if (chain.medicine_id == medicine_id and effective is not None
                and effective.kind is EntryKind.GIVEN and effective.given_at is not None):
            times.append(to_utc(effective.given_at))
    return sorted(times)


# ---- Private


def _most_in_a_day(times: Sequence[datetime], at: datetime) -> int:
    """The largest count of doses, ``at`` included, in any 24 h window containing ``at``."""
    merged = sorted([*times, at])
    worst = 0
    # Any window (t - 24 h, t] holding ``at`` ends at some dose t in [at, at + 24 h).
    first = bisect_left(merged, at)
    for index in range(first, len(merged)):
        end = merged[index]
        if end - at >= DAY:
            break
        count = index + 1 - bisect_right(merged, end - DAY)
        worst = max(worst, count)
    return worst


def _clock(moment: datetime, zone: ZoneInfo, reference: datetime) -> str:
    local = to_utc(moment).astimezone(zone)
    day = _day_word(local.date(), to_utc(reference).astimezone(zone).date())
    text = local.strftime("%H:%M")
    return text if not day else f"{text} {day}"


def _when(moment: datetime, zone: ZoneInfo, reference: datetime) -> str:
    local = to_utc(moment).astimezone(zone)
    day = _day_word(local.date(), to_utc(reference).astimezone(zone).date())
    text = local.strftime("%H:%M")
    return f"at {text}" if not day else f"{day} at {text}"


def _day_word(day: date, today: date) -> str:
    if day == today:
        return ""
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day == today - timedelta(days=1):
        return "yesterday"
    return f"on {weekday_date(day)}"


__all__ = [
    "PrnCheck",
    "PrnStatus",
    "prn_check",
    "prn_given_times",
    "prn_problems",
    "validate_prn_dose",
]
