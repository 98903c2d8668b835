"""Stock on hand, run-out forecast, reorder warning, and the bottle in use.

Stock is a ledger: ``SupplyEvent``s (``COUNT``: "there are now N", ``REFILL``: "N more
arrived") plus the doses effectively given since the last count. ``stock_on_hand`` adds
them up. ``forecast_supply`` walks the medicine's real upcoming doses (cycles, steps and
loading doses included, as ``schedule.occurrences`` gives them) until the stock cannot
cover a dose: that date is the run-out date, and the reorder warning starts
``SupplySettings.reorder_days`` before it. As-needed medicines are forecast from their
average use over the last 28 days.

Amounts are in ``SupplySettings.unit`` ("tablet", "mL"). One dose uses (``usage_of``):

1. the dose amount itself when the dose is measured in that unit (1 tablet, 5 mL);
2. else, worked out from the strength of that day's version when it says how much of the
   dose's unit one stock unit holds: a 5 mg dose of "10 mg" tablets uses 0.5 tablet, a
   105 mg dose of "105 mg/5 mL" uses 5 mL. This follows dose steps and dose changes;
3. else ``SupplySettings.per_dose`` (None: the run-out date cannot be worked out).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import describe_day, to_utc
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.schedule import Occurrence
from caregiver_app.domain.values import moment_problem

MAX_QUANTITY = 1_000_000
MAX_SUPPLY_NOTE = 500
PRN_HISTORY_DAYS = 28
#: Liquids: warn this many days before the bottle must be thrown away.
DISCARD_WARNING_DAYS = 2


class SupplyEventKind(StrEnum):
    REFILL = "refill"  # this much more arrived
    COUNT = "count"  # a stock check: this much is here now


@dataclass(frozen=True)
class SupplyEvent:
    """A refill arrived or a stock count, for one medicine."""

    medicine_id: int
    kind: SupplyEventKind
    quantity: float
    at: datetime
    recorded_by_id: int | None = None
    note: str = ""
    recorded_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class SupplyForecast:
    """How much of a medicine is left, when it runs out and when to reorder."""

    unit: str
    on_hand: float | None  # None: no stock recorded yet
    per_dose: float | None  # None: cannot tell how much one dose uses
    run_out: date | None  # first day a dose cannot be covered; None: not within the horizon
    reorder_on: date | None
    needs_reorder: bool
    opened_on: date | None = None
    discard_by: date | None = None
    discard_soon: bool = False  # within DISCARD_WARNING_DAYS of the discard date, or past it

    def describe(self, today: date) -> str:
        if self.on_hand is None:
            return "Stock not recorded"
        text = f"{Dose(self.on_hand, self.unit).describe()} left"
        if self.run_out is not None:
            text += f"; runs out {describe_day(self.run_out)}"
            if self.needs_reorder:
                text += " - reorder now"
        return text


def validate_supply_event(event: SupplyEvent, *, now: datetime) -> SupplyEvent:
    errors: dict[str, str] = {}
    if not isinstance(event.quantity, int | float) or event.quantity != event.quantity:
        errors["quantity"] = "Enter the quantity as a number."
    elif event.kind is SupplyEventKind.REFILL and not 0 < event.quantity <= MAX_QUANTITY:
        errors["quantity"] = "Enter how much arrived, more than zero."
    elif event.kind is SupplyEventKind.COUNT and not 0 <= event.quantity <= MAX_QUANTITY:
        errors["quantity"] = "Enter how much is here now (zero or more)."
    if moment_problem(event.at):
        errors["at"] = moment_problem(event.at) or ""
    elif to_utc(event.at) > to_utc(now) + timedelta(minutes=5):
        errors["at"] = "The date cannot be in the future."
    if len(event.note) > MAX_SUPPLY_NOTE:
        errors["note"] = f"Keep the note under {MAX_SUPPLY_NOTE} characters."
    if event.recorded_by_id is None:
        errors["caregiver"] = "Choose who is on duty first."
    if errors:
        raise ValidationError(errors)
    return replace(event, quantity=float(event.quantity), at=to_utc(event.at),
                   note=event.note.strip())


def usage_of(settings: SupplySettings, dose: Dose | None, strength: str = ""
             ) -> float | None:
    """Stock one dose of ``dose`` uses, in ``settings.unit`` (None: cannot tell).

    ``strength``: the strength of the version the dose belongs to ("10 mg", "105 mg/5 mL").
    """
    if dose is None:
        return settings.per_dose
    return usage_total(settings, dose.unit, dose.amount, 1, strength)


def usage_total(settings: SupplySettings, unit: str, amount: float, count: int,
                strength: str = "") -> float | None:
    """Stock used by ``count`` doses measured in ``unit`` adding up to ``amount`` (what
    ``usage_of`` gives for each, summed; None when it cannot tell)."""
    if unit == settings.unit:
        return amount
    factor = stock_per_dose_unit(strength, unit, settings.unit)
    if factor is not None:
        return amount * factor
    return None if settings.per_dose is None else settings.per_dose * count


_STRENGTH = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([^\W\d_]+)\s*"
                       r"(?:/\s*(\d+(?:[.,]\d+)?)?\s*([^\W\d_]+))?\s*$")
#: Stock counted in pieces: a plain strength ("10 mg") is what one piece holds.
_PIECES = {"tablet", "capsule", "film", "patch", "sachet", "vial", "suppository", "lozenge"}


def stock_per_dose_unit(strength: str, dose_unit: str, stock_unit: str) -> float | None:
    """How much stock one unit of the dose is, read from the strength: 1 mg of "10 mg"
    tablets is 0.1 tablet; 1 mg of "105 mg/5 mL" is 5/105 mL (None: it does not say)."""
    match = _STRENGTH.match(strength or "")
    if not match or not dose_unit or not stock_unit:
        return None
    amount = float(match.group(1).replace(",", "."))
    unit, per_amount, per_unit = match.group(2), match.group(3), match.group(4)
    if amount <= 0 or _unit_key(unit) != _unit_key(dose_unit):
        return None
    stock = _unit_key(stock_unit)
    if per_unit is not None:
        if _unit_key(per_unit) != stock:
            return None
        per = float(per_amount.replace(",", ".")) if per_amount else 1.0
        return per / amount if per > 0 else None
    return 1.0 / amount if stock in _PIECES else None


def _unit_key(unit: str) -> str:
    key = unit.strip().lower()
    return key[:-1] if key.endswith("s") and key[:-1] in _PIECES else key


def stock_on_hand(settings: SupplySettings, events: Iterable[SupplyEvent],
                  given: Iterable[DoseEntry], at: datetime, *,
                  strength: str = "") -> float | None:
    """Stock at ``at``: the last count, plus refills since, minus doses given since.

    ``given``: effective entries (``RecordChain.effective``) of this medicine;
    ``strength``: the medicine's strength now (see ``usage_of``). Returns None when no
    stock was ever recorded. Never below zero.
    """
    at = to_utc(at)
    past = sorted((e for e in events if to_utc(e.at) <= at), key=lambda e: (to_utc(e.at),
                                                                           e.id or 0))
    if not past:
        return None
    last_count = max((i for i, e in enumerate(past) if e.kind is SupplyEventKind.COUNT),
                     default=None)
    since = to_utc(past[last_count].at) if last_count is not None else None
    quantity = past[last_count].quantity if last_count is not None else 0.0
    # Refills entered after the last count (in time, then in the order entered: a refill
    # recorded in the same second as a count still adds to it).
    for event in past[(last_count + 1) if last_count is not None else 0:]:
        if event.kind is SupplyEventKind.REFILL:
            quantity += event.quantity
    for entry in given:
        if entry.kind is not EntryKind.GIVEN or entry.given_at is None:
            continue
        when = to_utc(entry.given_at)
        if when <= at and (since is None or when > since):
            quantity -= usage_of(settings, entry.amount, strength) or 0.0
    return max(0.0, round(quantity, 6))


def forecast_supply(settings: SupplySettings, on_hand: float | None,
                    upcoming: Iterable[Occurrence], today: date, *,
                    prn_daily_use: float | None = None) -> SupplyForecast:
    """When the stock runs out, following ``upcoming`` doses (in time order, from now).

    For as-needed medicines pass no occurrences and ``prn_daily_use`` (see
    ``prn_daily_use``).
    """
    discard_soon = bool(settings.discard_by
                        and today >= settings.discard_by - timedelta(days=DISCARD_WARNING_DAYS))
    base = SupplyForecast(unit=settings.unit, on_hand=on_hand, per_dose=settings.per_dose,
                          run_out=None, reorder_on=None, needs_reorder=False,
                          opened_on=settings.opened_on, discard_by=settings.discard_by,
                          discard_soon=discard_soon)
    if on_hand is None:
        return base
    run_out: date | None = None
    per_dose = settings.per_dose
    if prn_daily_use is not None:
        if prn_daily_use > 0:
            run_out = today + timedelta(days=math.floor(on_hand / prn_daily_use))
    else:
        left = on_hand
        for occ in upcoming:
            use = usage_of(settings, occ.dose, occ.strength)
            if use is None:
                return base
            per_dose = use
            if left + 1e-9 < use:
                run_out = occ.local.date()
                break
            left -= use
    reorder_on = run_out - timedelta(days=settings.reorder_days) if run_out else None
    return replace(base, per_dose=per_dose, run_out=run_out, reorder_on=reorder_on,
                   needs_reorder=bool(reorder_on and today >= reorder_on))


def prn_daily_use(settings: SupplySettings, given: Iterable[DoseEntry], now: datetime,
                  days: int = PRN_HISTORY_DAYS, *, strength: str = "") -> float:
    """Average stock used per day over the last ``days`` days."""
    now = to_utc(now)
    since = now - timedelta(days=days)
    total = sum(usage_of(settings, e.amount, strength) or 0.0 for e in given
                if e.kind is EntryKind.GIVEN and e.given_at and since < to_utc(e.given_at)
                <= now)
    return total / days


def discard_by_from(opened_on: date, use_within_days: int) -> date:
    """The last day an opened bottle may be used ("use within 15 days of opening")."""
    return opened_on + timedelta(days=use_within_days)


__all__ = [
    "SupplyEvent",
    "SupplyEventKind",
    "SupplyForecast",
    "discard_by_from",
    "forecast_supply",
    "prn_daily_use",
    "stock_on_hand",
    "stock_per_dose_unit",
    "usage_of",
    "usage_total",
    "validate_supply_event",
]
