"""Several doses recorded at once: "Given: all due at 08:00" on the Today tab.

``plan_batch`` lists what one confirmation would record for the doses due at one time:
each scheduled dose of that time still to record (given at home), each one a separate
entry with the same time and giver. Three kinds of dose are **never included by
themselves**; they are listed unticked, with the reason, and are recorded only if the
caregiver ticks them (their own confirmation):

- an **as-needed** medicine (it is not part of the time group; one in use today is
  listed so it can be given with the others when it is needed; one that may not be
  given now, by its limits, cannot be ticked at all: it is given on its own, with a
  reason);
- an **early** dose (given more than the on-time window before its due time);
- a **food-rule conflict**: in one group a dose to be given with food and one needing an
  empty stomach (or fasting), or a dose needing an empty stomach when a dose to be
  given with food was given within its no-food time before.

A late dose is included (giving it now is what "given now" says), with its warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from caregiver_app.domain.as_needed import PrnStatus
from caregiver_app.domain.dayview import DayView
from caregiver_app.domain.doses import DosePolicy, DoseState, DoseStatus, Timing, timing_of
from caregiver_app.domain.localtime import describe_duration, to_utc
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.today import describe_when, food_window
from caregiver_app.domain.vocab import FoodRuleKind

_NO_FOOD = (FoodRuleKind.EMPTY_STOMACH, FoodRuleKind.FASTING)


@dataclass(frozen=True)
class BatchItem:
    """One line of the confirmation."""

    medicine_id: int
    key: str | None  # the due dose's occurrence key; None: an as-needed dose
    name: str  # "riluzole 50 mg"
    what: str  # "1 tablet, by mouth"
    included: bool  # ticked when the confirmation opens
    reason: str = ""  # why it is not ticked (early, as needed, food), said whole:
    # "Not ticked because …" when it may still be ticked
    warnings: tuple[str, ...] = ()  # shown beside it (late)
    allowed: bool = True  # may be ticked at all

    @property
    def choice(self) -> tuple[int, str | None]:
        return (self.medicine_id, self.key)


@dataclass(frozen=True)
class BatchPlan:
    due: datetime  # the time group's due time
    at: datetime  # the time they would be recorded as given
    items: tuple[BatchItem, ...]

    @property
    def scheduled(self) -> tuple[BatchItem, ...]:
        return tuple(i for i in self.items if i.key is not None)

    @property
    def included(self) -> tuple[BatchItem, ...]:
        return tuple(i for i in self.items if i.included)


def time_group(view: DayView, due: datetime) -> tuple[DoseStatus, ...]:
    """The doses due at ``due`` still to record, given at home (the group a batch can
    record; a clinic dose or one with two records is left to its own row)."""
    due = to_utc(due)
    return tuple(d for d in view.doses
                 if to_utc(d.occurrence.due) == due and d.effective is None
                 and d.state in (DoseState.DUE, DoseState.MISSED) and not d.conflict
                 and d.medicine.given_by is GivenBy.HOME)


def plan_batch(view: DayView, due: datetime, at: datetime, policy: DosePolicy, *,
               prn_problems: Sequence[tuple[PrnStatus, Sequence[str]]] = (),
               given_with_food: Iterable[datetime] = ()) -> BatchPlan:
    """What "Given: all due at ``due``" would record at ``at`` (see the module docstring).

    ``prn_problems``: each as-needed medicine in use, with the limits a dose at ``at``
    would break (``prn.prn_problems``); ``given_with_food``: when doses to be given with
    food were given, before ``at`` (for the empty-stomach check)."""
    zone = view.zone
    at = to_utc(at)
    group = time_group(view, due)
    food_kinds = {d.medicine.food_rule.kind for d in group}
    mixed_food = FoodRuleKind.WITH_FOOD in food_kinds and bool(food_kinds & set(_NO_FOOD))
    fed = sorted(to_utc(t) for t in given_with_food if to_utc(t) <= at)
    items = []
    for status in group:
        occ = status.occurrence
        window = policy.window(status.medicine.given_by)
        timing = timing_of(occ.due, at, window)
        reason, warnings = "", tuple[str, ...]()
        if timing is Timing.EARLY:
            reason = (f"Not ticked because it is early: due at "
                      f"{describe_when(occ.due, zone, at)}, in "
                      f"{describe_duration(occ.due - at, round_up=True, short=True)}. "
                      "Tick it only if you are giving it now.")
        elif timing is Timing.LATE:
            warnings = (f"{describe_duration(at - occ.due, short=True)} late.",)
        food = _food_reason(status, group, mixed_food, fed, at, zone)
        if not reason and food:
            reason = food
        strength = f" {occ.strength}" if occ.strength else ""
        items.append(BatchItem(
            int(occ.medicine_id or 0), occ.key, f"{status.medicine.name}{strength}",
            f"{occ.dose.describe()}, {occ.route.label}", included=not reason,
            reason=reason, warnings=warnings))
    for prn, problems in prn_problems:
        medicine = prn.medicine
        day = to_utc(at).astimezone(zone).date()
        version = medicine.version_on(day) or medicine.versions[-1]
        strength = f" {version.strength}" if version.strength else ""
        if problems:
            reason = ("As needed, and not now: " + " ".join(problems)
                      + " Give it on its own if it must be given.")
        else:
            reason = "Not ticked because it is given only as needed: tick it only if it " \
                     "is needed now."
        items.append(BatchItem(
            int(medicine.id or 0), None, f"{medicine.name}{strength}",
            f"{version.dose.describe()}, {version.route.label} (as needed)", included=False,
            reason=reason, allowed=not problems))
    return BatchPlan(to_utc(due), at, tuple(items))


def _food_reason(status: DoseStatus, group: Sequence[DoseStatus], mixed: bool,
                 fed: Sequence[datetime], at: datetime, zone: ZoneInfo) -> str:
    rule = status.medicine.food_rule
    if mixed and rule.kind in (FoodRuleKind.WITH_FOOD, *_NO_FOOD):
        with_food = [d.medicine.generic_name for d in group
                     if d.medicine.food_rule.kind is FoodRuleKind.WITH_FOOD]
        no_food = [d.medicine.generic_name for d in group
                   if d.medicine.food_rule.kind in _NO_FOOD]
        return (f"Not ticked because the food rules differ: {_names(no_food)} "
                f"{'needs' if len(no_food) == 1 else 'need'} an empty stomach, "
                f"{_names(with_food)} {'is' if len(with_food) == 1 else 'are'} given with "
                "food. Tick it only if you are sure they may be given together.")
    window = food_window(rule) if rule.kind in _NO_FOOD else None
    if window is not None and window[0] and fed:
        last = fed[-1]
        if at - last < window[0]:
            return (f"Not ticked because of food: a dose given with food at "
                    f"{describe_when(last, zone, at)} means "
                    f"{status.medicine.generic_name} should wait (no food in the "
                    f"{describe_duration(window[0], short=True)} before it). Tick it only if "
                    "you are sure.")
    return ""


def _names(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["BatchItem", "BatchPlan", "plan_batch", "time_group"]
