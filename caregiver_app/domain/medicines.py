"""A medicine on the patient's list, its dated versions and its status history.

Public API
----------
``Medicine``
    What the medicine is (names, purpose, instructions, food rule, prescriber and
    pharmacy contact ids, reference id, home- or clinic-given, dates), plus:

    - ``versions``: dated ``MedicineVersion``s. Each holds what is given and how from its
      ``valid_from`` date on: strength, form, route, dose, regimen, do-not-crush, flush.
      Changing the dose, form, route or schedule adds a version, so past days keep
      showing what was due then (riluzole tablets switched to liquid on a date).
      Version *i* applies to doses whose scheduled local date is in
      ``[valid_from_i, valid_from_i+1)``; a later version with the same ``valid_from``
      replaces an earlier one (a same-day fix).
    - ``status_history``: ``StatusChange``s (active / paused / stopped, with the moment
      and the reason). Doses due while paused or stopped are not due. Nothing is deleted.
    - ``cycle_shifts``: delays of a cycle regimen (``regimens.CycleShift``).
    - ``supply``: ``SupplySettings`` for stock and liquids (see ``domain.supply``).

``start_date`` is the first day the app lists doses for this medicine (the history kept
here starts then); a regimen's own ``start`` is its anchor and may be earlier (an
edaravone course already in cycle 3 when the medicine is entered).

Validation
----------
``validate_medicine``, ``validate_version``, ``validate_status_change`` and
``validate_supply`` return a tidied copy or raise ``ValidationError({field: message})``;
field names are the dataclass attribute names (``dose_amount``/``dose_unit`` for the dose,
regimen fields as listed in ``regimens.validate_regimen``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property

from caregiver_app.domain.amount import Dose, dose_problem
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import describe_day, to_utc
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    CycleShift,
    LoadingRegimen,
    Regimen,
    same_course,
    shift_order,
    validate_regimen,
)
from caregiver_app.domain.values import day_problem, moment_problem

# GivenBy (home / clinic) is shared with the reference; from vocab, so that a medicine does
# not load the reference's reader (tomllib, its checks: a cost at every start)
from caregiver_app.domain.vocab import (
    FoodRule,
    FoodRuleKind,
    Form,
    GivenBy,
    MedicineStatus,
    Route,
)

MAX_NAME = 120
MAX_STRENGTH = 60
MAX_PURPOSE = 200
#: As long as the medicine reference's food notes (``reference.MAX_NOTE``), which the
#: medicine dialog copies in.
MAX_FOOD_NOTE = 500
MAX_INSTRUCTIONS = 2000
MAX_REASON = 500
MAX_FLUSH_ML = 500
MAX_FOOD_MINUTES = 24 * 60
MAX_REORDER_DAYS = 120
MAX_PER_DOSE = 100_000
MAX_SUPPLY_UNIT = 20
MAX_REFERENCE_ID = 80


@dataclass(frozen=True)
class MedicineVersion:
    """What is given and how, from ``valid_from`` (a local date) on."""

    valid_from: date
    strength: str
    form: Form
    route: Route
    dose: Dose
    regimen: Regimen
    do_not_crush: bool = False
    flush_ml: int = 0  # water to flush a feeding tube with, before and after the dose
    note: str = ""  # why it changed ("switched to liquid: swallowing harder")
    id: int | None = None

    @property
    def is_as_needed(self) -> bool:
        return isinstance(self.regimen, AsNeededRegimen)

    def describe(self) -> str:
        """"1 tablet (50 mg tablet), by mouth"."""
        strength = f"{self.strength} " if self.strength else ""
        return f"{self.dose.describe()} ({strength}{self.form.label}), {self.route.label}"


@dataclass(frozen=True)
class StatusChange:
    """From ``at`` (aware) the medicine is ``status``, for ``reason``."""

    at: datetime
    status: MedicineStatus
    reason: str = ""
    recorded_by_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class SupplySettings:
    """How stock is counted. ``unit`` empty means stock is not tracked.

    ``per_dose``: stock used by one dose, in ``unit``; ``None`` means "the dose amount"
    (only when the dose is measured in ``unit``, e.g. 1 tablet or 5 mL). ``reorder_days``:
    warn this many days before the forecast run-out. For liquids, ``opened_on`` and
    ``discard_by`` are the dates of the bottle in use.
    """

    unit: str = ""
    per_dose: float | None = None
    reorder_days: int = 7
    opened_on: date | None = None
    discard_by: date | None = None

    @property
    def tracked(self) -> bool:
        return bool(self.unit)


@dataclass(frozen=True)
class Medicine:
    """One medicine the patient takes: its names, its schedule's versions over time,
    how it is given, and its supply."""

    generic_name: str
    start_date: date
    versions: tuple[MedicineVersion, ...]
    brand_name: str = ""
    purpose: str = ""
    instructions: str = ""
    food_rule: FoodRule = field(default_factory=FoodRule)
    given_by: GivenBy = GivenBy.HOME
    prescriber_id: int | None = None
    pharmacy_id: int | None = None
    reference_id: str = ""  # id in the built-in medicine reference, e.g. "riluzole"
    end_date: date | None = None  # planned last day (inclusive)
    review_date: date | None = None
    status_history: tuple[StatusChange, ...] = ()
    cycle_shifts: tuple[CycleShift, ...] = ()
    supply: SupplySettings = field(default_factory=SupplySettings)
    id: int | None = None
    #: When it was written into the app (aware; None before it is saved): doses that fell
    #: due before then with nothing recorded are not "missed" (``doses.before_added``).
    added_at: datetime | None = field(default=None, compare=False)

    # ---- Names

    @property
    def name(self) -> str:
        """"riluzole (Rilutek)" or "riluzole"."""
        return f"{self.generic_name} ({self.brand_name})" if self.brand_name else self.generic_name

    # ---- Versions

    def version_windows(self) -> list[tuple[MedicineVersion, date, date | None]]:
        """Each version in force with its first day and the first day it no longer applies.

        Versions replaced by a later one with the same ``valid_from`` are left out. The
        first version also covers any days from the medicine's ``start_date`` (if the
        start date was later moved earlier).
        """
        kept: list[MedicineVersion] = []
        for version in self.versions:
            if kept and kept[-1].valid_from == version.valid_from:
                kept[-1] = version
            else:
                kept.append(version)
        return [
            (v, self._first_day(v) if i == 0 else v.valid_from,
             kept[i + 1].valid_from if i + 1 < len(kept) else None)
            for i, v in enumerate(kept)
        ]

    def version_on(self, day: date) -> MedicineVersion | None:
        """The version in force on ``day`` (None before the medicine and its first version
        start)."""
        found = None
        for i, version in enumerate(self.versions):
            if (self._first_day(version) if i == 0 else version.valid_from) <= day:
                found = version
            else:
                break
        return found

    def _first_day(self, first: MedicineVersion) -> date:
        return min(first.valid_from, self.start_date) if self.start_date else first.valid_from

    def current_version(self, today: date) -> MedicineVersion:
        """The version in force ``today``, or the first one if it has not started yet."""
        return self.version_on(today) or self.versions[0]

    def is_as_needed(self, today: date) -> bool:
        return self.current_version(today).is_as_needed

    # ---- Status

    def status_at(self, moment: datetime) -> MedicineStatus:
        change = self.status_change_at(moment)
        return change.status if change else MedicineStatus.ACTIVE

    def status_change_at(self, moment: datetime) -> StatusChange | None:
        """The latest status change at or before ``moment`` (None: never changed)."""
        if not self.status_history:
            return None
        index = bisect.bisect_right(self._status_instants, to_utc(moment))
        return self.status_history[index - 1] if index else None

    def is_active_at(self, moment: datetime) -> bool:
        return self.status_at(moment) is MedicineStatus.ACTIVE

    @property
    def latest_status(self) -> StatusChange | None:
        return self.status_history[-1] if self.status_history else None

    def active_cycle_shifts(self) -> tuple[CycleShift, ...]:
        return tuple(sorted(self.cycle_shifts, key=shift_order))

    def course_shifts(self, regimen: CycleRegimen) -> tuple[CycleShift, ...]:
        """The delays and pauses of one cycle course, in order. A shift belongs to the
        course in force on its ``from_date``: a delay or an unfinished pause of an old
        edaravone course never moves or holds a new one."""
        return tuple(s for s in self.active_cycle_shifts()
                     if self._course_start_on(s.from_date) == regimen.start)

    def open_hold(self, on: date) -> CycleShift | None:
        """The pause of the cycle course in force on ``on`` that is not resumed yet."""
        version = self.version_on(on) or (self.versions[-1] if self.versions else None)
        if version is None or not isinstance(version.regimen, CycleRegimen):
            return None
        return next((s for s in self.course_shifts(version.regimen) if s.on_hold), None)

    def _course_start_on(self, day: date) -> date | None:
        version = self.version_on(day) or (self.versions[0] if self.versions else None)
        regimen = version.regimen if version is not None else None
        return regimen.start if isinstance(regimen, CycleRegimen) else None

    @cached_property
    def _status_instants(self) -> list[datetime]:
        # cached_property writes to the instance dict, which a frozen dataclass allows.
        return [to_utc(c.at) for c in self.status_history]


# ---- Plain words


def describe_food_rule(rule: FoodRule) -> str:
    """The food rule as one instruction ("" when there is none)."""
    def minutes(value: int) -> str:
        hours, rest = divmod(value, 60)
        if hours and not rest:
            return f"{hours} hour" + ("s" if hours != 1 else "")
        return f"{value} minutes"

    if rule.kind is FoodRuleKind.WITH_FOOD:
        text = "Give with food"
    elif rule.kind is FoodRuleKind.EMPTY_STOMACH:
        parts = []
        if rule.before_minutes:
            parts.append(f"at least {minutes(rule.before_minutes)} before")
        if rule.after_minutes:
            parts.append(f"at least {minutes(rule.after_minutes)} after")
        text = f"Empty stomach: {' or '.join(parts)} food"
    elif rule.kind is FoodRuleKind.FASTING:
        parts = []
        if rule.before_minutes:
            parts.append(f"for {minutes(rule.before_minutes)} before")
        if rule.after_minutes:
            parts.append(f"for {minutes(rule.after_minutes)} after")
        text = f"No food {' and '.join(parts)} the dose"
    else:
        text = ""
    if rule.note:
        text = f"{text}. {rule.note}" if text else rule.note
    return text


# ---- Validation


def _clean(text: str) -> str:
    return " ".join(text.split())


def _food_rule(rule: FoodRule, errors: dict[str, str]) -> FoodRule:
    note = rule.note.strip()
    if len(note) > MAX_FOOD_NOTE:
        errors["food_rule"] = f"Keep the food note under {MAX_FOOD_NOTE} characters."
    if rule.kind in (FoodRuleKind.NONE, FoodRuleKind.WITH_FOOD):
        return FoodRule(rule.kind, 0, 0, note)
    minutes = (rule.before_minutes, rule.after_minutes)
    if any(not isinstance(m, int) or not 0 <= m <= MAX_FOOD_MINUTES for m in minutes):
        errors["food_rule"] = "Enter the minutes as whole numbers up to 24 hours."
    elif not any(minutes):
        errors["food_rule"] = ("Enter how long before or after food (for example 60 minutes "
                               "before or 120 minutes after).")
    return replace(rule, note=note)


def validate_version(version: MedicineVersion, *, previous: MedicineVersion | None = None,
                     medicine_start: date | None = None) -> MedicineVersion:
    """Check one version (and how it follows ``previous``); return a tidied copy."""
    errors: dict[str, str] = {}
    strength = _clean(version.strength)
    if len(strength) > MAX_STRENGTH:
        errors["strength"] = f"Keep the strength under {MAX_STRENGTH} characters."
    if not isinstance(version.form, Form):
        errors["form"] = "Choose the form (tablet, liquid, ...)."
    if not isinstance(version.route, Route):
        errors["route"] = "Choose how it is given (by mouth, feeding tube, ...)."
    errors.update(dose_problem(version.dose))
    flush = version.flush_ml
    if not isinstance(flush, int) or not 0 <= flush <= MAX_FLUSH_ML:
        errors["flush_ml"] = f"Enter the flush in mL, from 0 to {MAX_FLUSH_ML}."
    elif flush and isinstance(version.route, Route) and not version.route.is_tube:
        errors["flush_ml"] = "A flush applies only to medicines given through a tube."
    if len(version.note) > MAX_REASON:
        errors["note"] = f"Keep the note under {MAX_REASON} characters."
    if day_problem(version.valid_from):
        errors["valid_from"] = day_problem(version.valid_from) or ""
    elif medicine_start is not None and version.valid_from < medicine_start:
        errors["valid_from"] = "A change cannot start before the medicine's start date."
    elif previous is not None and version.valid_from < previous.valid_from:
        errors["valid_from"] = (f"The change must start on or after "
                                f"{describe_day(previous.valid_from)}, when the last one did.")
    regimen = version.regimen
    try:
        regimen = validate_regimen(version.regimen)
    except ValidationError as exc:
        errors.update(exc.errors)
    else:
        if previous is not None and isinstance(regimen, CycleRegimen | LoadingRegimen):
            old = previous.regimen
            if type(old) is type(regimen) and old.start == regimen.start and not same_course(
                    old, regimen):
                errors["regimen_start"] = (
                    "To change the pattern of a course, start a new course: set its start "
                    f"date on or after {describe_day(version.valid_from)}.")
            elif (type(old) is type(regimen) and old.start != regimen.start
                  and regimen.start < version.valid_from):
                errors["regimen_start"] = (
                    "A new course must start on or after the day this change takes effect.")
    if errors:
        raise ValidationError(errors)
    dose = Dose(float(version.dose.amount), _clean(version.dose.unit))
    return replace(version, strength=strength, dose=dose, regimen=regimen,
                   note=version.note.strip())


def validate_supply(supply: SupplySettings) -> SupplySettings:
    errors: dict[str, str] = {}
    unit = _clean(supply.unit)
    if len(unit) > MAX_SUPPLY_UNIT:
        errors["supply_unit"] = f"Keep the unit under {MAX_SUPPLY_UNIT} characters."
    if supply.per_dose is not None and not (0 < supply.per_dose <= MAX_PER_DOSE):
        errors["per_dose"] = "Enter how much one dose uses, more than zero."
    if (not isinstance(supply.reorder_days, int)
            or not 0 <= supply.reorder_days <= MAX_REORDER_DAYS):
        errors["reorder_days"] = ("Enter the days of warning before running out "
                                  f"(0 to {MAX_REORDER_DAYS}).")
    for name in ("opened_on", "discard_by"):
        day = getattr(supply, name)
        if day is not None and day_problem(day):
            errors[name] = day_problem(day) or ""
    if supply.discard_by and supply.opened_on and supply.discard_by < supply.opened_on:
        errors["discard_by"] = "The discard date cannot be before the bottle was opened."
    if supply.discard_by and not supply.opened_on:
        errors["opened_on"] = "Enter the date the bottle was opened."
    if errors:
        raise ValidationError(errors)
    return replace(supply, unit=unit)


def validate_medicine(medicine: Medicine) -> Medicine:
    """Check every field and every version; return a tidied copy or raise ValidationError."""
    errors: dict[str, str] = {}
    generic = _clean(medicine.generic_name)
    brand = _clean(medicine.brand_name)
    purpose = _clean(medicine.purpose)
    if not generic:
        errors["generic_name"] = "Enter the medicine's name (the generic name if you know it)."
    elif len(generic) > MAX_NAME:
        errors["generic_name"] = f"Keep the name under {MAX_NAME} characters."
    if len(brand) > MAX_NAME:
        errors["brand_name"] = f"Keep the brand name under {MAX_NAME} characters."
    if len(purpose) > MAX_PURPOSE:
        errors["purpose"] = f"Keep what it is for under {MAX_PURPOSE} characters."
    if len(medicine.instructions) > MAX_INSTRUCTIONS:
        errors["instructions"] = f"Instructions are limited to {MAX_INSTRUCTIONS} characters."
    if not isinstance(medicine.given_by, GivenBy):
        errors["given_by"] = "Choose who gives it: at home or at the clinic."
    for name in ("start_date", "end_date", "review_date"):
        day = getattr(medicine, name)
        if day is not None and day_problem(day):
            errors[name] = day_problem(day) or ""
    if medicine.start_date is None:
        errors["start_date"] = "Enter the date to start listing doses."
    elif not errors.keys() & {"start_date", "end_date", "review_date"}:
        if medicine.end_date is not None and medicine.end_date < medicine.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if medicine.review_date is not None and medicine.review_date < medicine.start_date:
            errors["review_date"] = "The review date cannot be before the start date."
    for name in ("prescriber_id", "pharmacy_id"):
        value = getattr(medicine, name)
        if value is not None and (not isinstance(value, int) or value <= 0):
            errors[name] = "Choose someone from the care team list."
    if len(medicine.reference_id) > MAX_REFERENCE_ID:
        errors["reference_id"] = "Unknown reference entry."
    food = _food_rule(medicine.food_rule, errors)
    try:
        supply = validate_supply(medicine.supply)
    except ValidationError as exc:
        errors.update(exc.errors)
        supply = medicine.supply

    versions: list[MedicineVersion] = []
    if not medicine.versions:
        errors["versions"] = "Enter the dose and how often it is given."
    for i, version in enumerate(medicine.versions):
        if i == 0 and medicine.start_date is not None:
            version = replace(version, valid_from=medicine.start_date)
        try:
            versions.append(validate_version(
                version, previous=versions[-1] if versions else None,
                medicine_start=medicine.start_date))
        except ValidationError as exc:
            for key, message in exc.errors.items():
                errors.setdefault(key, message)
            break
    if any(v.is_as_needed for v in versions) and not purpose:
        errors["purpose"] = "Say what this as-needed medicine is for (for example, drooling)."
    if errors:
        raise ValidationError(errors)
    return replace(medicine, generic_name=generic, brand_name=brand, purpose=purpose,
                   instructions=medicine.instructions.strip(), food_rule=food,
                   versions=tuple(versions), supply=supply,
                   reference_id=medicine.reference_id.strip())


_ALLOWED_CHANGES = {
    MedicineStatus.ACTIVE: {MedicineStatus.PAUSED, MedicineStatus.STOPPED},
    MedicineStatus.PAUSED: {MedicineStatus.ACTIVE, MedicineStatus.STOPPED},
    MedicineStatus.STOPPED: {MedicineStatus.ACTIVE},
}


def validate_status_change(medicine: Medicine, change: StatusChange) -> StatusChange:
    """A pause, restart or stop must change the status, come after the last change, and
    (for pause and stop) say why."""
    errors: dict[str, str] = {}
    reason = change.reason.strip()
    latest = medicine.latest_status
    current = latest.status if latest else MedicineStatus.ACTIVE
    if change.status not in _ALLOWED_CHANGES[current]:
        errors["status"] = f"The medicine is already {current.value}."
    if moment_problem(change.at):
        errors["at"] = moment_problem(change.at) or ""
    elif latest is not None and to_utc(change.at) < to_utc(latest.at):
        errors["at"] = "This change must come after the last one."
    if change.status is not MedicineStatus.ACTIVE and not reason:
        verb = "paused" if change.status is MedicineStatus.PAUSED else "stopped"
        errors["reason"] = f"Say why it is {verb} (for example, \"stopped by the neurologist\")."
    if len(reason) > MAX_REASON:
        errors["reason"] = f"Keep the reason under {MAX_REASON} characters."
    if errors:
        raise ValidationError(errors)
    return replace(change, at=to_utc(change.at), reason=reason)


__all__ = [
    "GivenBy",
    "Medicine",
    "MedicineVersion",
    "StatusChange",
    "SupplySettings",
    "describe_food_rule",
    "validate_medicine",
    "validate_status_change",
    "validate_supply",
    "validate_version",
]
