"""Adherence: per medicine and overall, how the due doses of a period went.

``adherence(statuses)`` counts ``doses.DoseStatus`` values (from
``doses.dose_statuses`` over a date range): doses due, given on time, given early, given
late, not given by reason, missed, and still pending (not yet due or within grace; these
are left out of the rate).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from caregiver_app.domain.doses import DoseState, DoseStatus, Timing
from caregiver_app.domain.vocab import SkipReason


@dataclass(frozen=True)
class AdherenceCounts:
    due: int = 0
    on_time: int = 0
    early: int = 0
    late: int = 0
    skipped: Mapping[SkipReason, int] = field(default_factory=lambda: MappingProxyType({}))
    missed: int = 0
    pending: int = 0

    @property
    def given(self) -> int:
        return self.on_time + self.early + self.late

    @property
    def not_given(self) -> int:
        return sum(self.skipped.values())

    @property
    def decided(self) -> int:
        """Doses whose outcome is settled (due minus pending)."""
        return self.due - self.pending

    @property
    def rate(self) -> float | None:
        """Share of settled doses that were given (None when none are settled)."""
        return self.given / self.decided if self.decided else None


@dataclass(frozen=True)
class AdherenceReport:
    overall: AdherenceCounts
    by_medicine: Mapping[int | None, AdherenceCounts]


def _count(statuses: list[DoseStatus]) -> AdherenceCounts:
    timing = Counter(s.timing for s in statuses if s.state is DoseState.GIVEN)
    states = Counter(s.state for s in statuses)
    reasons: Counter[SkipReason] = Counter()
    for s in statuses:
        if s.state is DoseState.SKIPPED and s.effective and s.effective.skip_reason:
            reasons[s.effective.skip_reason] += 1
    return AdherenceCounts(
        due=len(statuses),
        on_time=timing[Timing.ON_TIME],
        early=timing[Timing.EARLY],
        late=timing[Timing.LATE],
        skipped=MappingProxyType(dict(reasons)),
        missed=states[DoseState.MISSED],
        pending=states[DoseState.DUE],
    )


def adherence(statuses: Iterable[DoseStatus]) -> AdherenceReport:
    items = list(statuses)
    grouped: dict[int | None, list[DoseStatus]] = {}
    for status in items:
        grouped.setdefault(status.occurrence.medicine_id, []).append(status)
    return AdherenceReport(
        overall=_count(items),
        by_medicine=MappingProxyType({medicine_id: _count(group)
                                      for medicine_id, group in grouped.items()}),
    )


__all__ = ["AdherenceCounts", "AdherenceReport", "adherence"]
