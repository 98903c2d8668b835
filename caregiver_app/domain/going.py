"""How things are going: weight, everyday function, symptoms, numbers from the clinic and
whether an as-needed dose helped.

The records
-----------
Each kind of record (``Measure``) has its own table; every row is an ``Entry``: the day
it is about (``on_day``), its values, a note, who typed it and when (``recorded_at``,
``recorded_by_id``). Like the dose record the tables are **append-only**: a correction
is a new row naming the row it corrects (``corrects_id``; each row is corrected at most
once, so the rows about one entry form a chain), and "entered in error" is a correction
that withdraws the entry (it needs a note saying why, and carries no values). The
**current** entry of a chain is its last row, or nothing when that withdraws it.

One definition per value
------------------------
``VALUE_RULES`` holds each measure's value columns with the one rule of what they may
hold (``domain/values``); ``domain/fields.FIELDS`` takes the same rules for the
importer, ``validate_entry`` uses them for the forms and the service, and the storage
layer refuses what the database's own checks catch. Limits are named constants here.

Plain Python: no Qt, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from caregiver_app.domain import function_scale
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.patient import MAX_WEIGHT, WeightUnit
from caregiver_app.domain.values import (
    Day,
    Flag,
    Moment,
    Number,
    OneOf,
    Ref,
    Rule,
    Text,
    Whole,
    day_problem,
    moment_problem,
)

#: A note on any entry, and the reason an entry is withdrawn.
MAX_NOTE = 1000
#: The lightest weight an entry takes (in either unit): a typing slip below it.
MIN_WEIGHT = 1
#: Forced vital capacity, % of the predicted value; sniff nasal pressure (SNIP, cmH2O);
#: hours of breathing support (NIV) a night, from the machine's own count.
MAX_FVC_PERCENT = 200
MAX_SNIP = 300
MAX_NIV_HOURS = 24
#: Sudden crying or laughing episodes in a day; days since the last bowel movement.
MAX_EPISODES = 200
MAX_BOWEL_DAYS = 60
#: One pound is exactly this many kilograms (the international pound of 1959).
KG_PER_LB = 0.45359237


class Measure(StrEnum):
    """A kind of record, by its table."""

    WEIGHT = "weight_entries"
    FUNCTION = "function_scores"
    SYMPTOMS = "symptom_checks"
    CLINIC = "clinic_numbers"
    EFFECT = "dose_effects"

    @property
    def label(self) -> str:
        return _MEASURE_LABELS[self]


_MEASURE_LABELS = {
    Measure.WEIGHT: "Weight",
    Measure.FUNCTION: "Everyday function",
    Measure.SYMPTOMS: "Daily symptom check",
    Measure.CLINIC: "Numbers from the clinic",
    Measure.EFFECT: "Did the as-needed dose help?",
}


class Severity(IntEnum):
    NONE = 0
    MILD = 1
    MODERATE = 2
    SEVERE = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Effect(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AnsweredBy(StrEnum):
    """Who answered the everyday-function questions."""

    PATIENT = "patient"
    CAREGIVER = "caregiver"

    @property
    def label(self) -> str:
        return "The patient" if self is AnsweredBy.PATIENT else "A caregiver"


@dataclass(frozen=True)
class Symptom:
    """One line of the daily check: a severity (none to severe) or a count."""

    key: str
    label: str
    count: bool = False
    high: int = 3
    unit: str = ""
    #: a count that adds up over days (episodes), rather than one read as it stands
    #: (days since the last bowel movement)
    summed: bool = False


SYMPTOMS: tuple[Symptom, ...] = (
    Symptom("cramps", "Cramps"),
    Symptom("stiffness", "Stiffness"),
    Symptom("pain", "Pain"),
    Symptom("drooling", "Drooling"),
    Symptom("secretions", "Thick mucus"),
    Symptom("sleep", "Poor sleep"),
    Symptom("fatigue", "Tiredness"),
    Symptom("low_mood", "Low mood"),
    Symptom("anxiety", "Worry"),
    Symptom("episodes", "Sudden crying or laughing", count=True, high=MAX_EPISODES,
            unit="times", summed=True),
    Symptom("bowel_days", "Days since last bowel movement", count=True,
            high=MAX_BOWEL_DAYS, unit="days"),
    Symptom("breathless_flat", "Breathless lying flat"),
    Symptom("morning_headache", "Morning headache"),
)
SYMPTOM_BY_KEY = {s.key: s for s in SYMPTOMS}

_SCORE = Whole(low=0, high=function_scale.AREA_MAX, optional=True)

#: measure -> value column -> its rule: the one definition every form, import and
#: store uses (``fields.FIELDS`` adds the columns every measure shares).
VALUE_RULES: dict[Measure, dict[str, Rule]] = {
    Measure.WEIGHT: {
        "weight": Number(low=MIN_WEIGHT, high=max(MAX_WEIGHT.values()), optional=True),
        "unit": OneOf(choices=WeightUnit, optional=True),
        "usual": Flag(),
    },
    Measure.FUNCTION: {
        **{key: _SCORE for key in function_scale.AREA_KEYS},
        "tube_version": Flag(),
        "answered_by": OneOf(choices=AnsweredBy, optional=True),
    },
    Measure.SYMPTOMS: {
        s.key: Whole(low=0, high=s.high, optional=True) for s in SYMPTOMS},
    Measure.CLINIC: {
        "fvc_percent": Number(low=0, high=MAX_FVC_PERCENT, optional=True),
        "snip": Number(low=0, high=MAX_SNIP, optional=True),
        "niv_hours": Number(low=0, high=MAX_NIV_HOURS, optional=True),
    },
    Measure.EFFECT: {
        "dose_entry_id": Ref(optional=True),
        "effect": OneOf(choices=Effect, optional=True),
    },
}

#: The columns every measure's table has, with their rules.
COMMON_RULES: dict[str, Rule] = {
    "id": Ref(),
    "on_day": Day(),
    "note": Text(limit=MAX_NOTE),
    "recorded_at": Moment(),
    "recorded_by": Ref(optional=True),
    "corrects_id": Ref(optional=True),
    "entered_in_error": Flag(),
}

#: The values an entry of each measure must have (the others may be left out).
REQUIRED: dict[Measure, tuple[str, ...]] = {
    Measure.WEIGHT: ("weight", "unit"),
    Measure.FUNCTION: ("answered_by",),
    Measure.SYMPTOMS: (),
    Measure.CLINIC: (),
    Measure.EFFECT: ("dose_entry_id", "effect"),
}
#: Measures whose entry needs at least one of these values.
AT_LEAST_ONE: dict[Measure, tuple[str, ...]] = {
    Measure.FUNCTION: function_scale.AREA_KEYS,
    Measure.SYMPTOMS: tuple(s.key for s in SYMPTOMS),
    Measure.CLINIC: ("fvc_percent", "snip", "niv_hours"),
}
_NOTHING = {
    Measure.FUNCTION: "Answer at least one of the questions.",
    Measure.SYMPTOMS: "Fill in at least one line of the check.",
    Measure.CLINIC: "Type at least one of the numbers.",
}
_MISSING = {
    "weight": "Type the weight, for example 68.5.",
    "unit": "Choose kg or lb.",
    "answered_by": "Say who answered: the patient or a caregiver.",
    "dose_entry_id": "Choose the dose this is about.",
    "effect": "Choose better, the same or worse.",
}


@dataclass(frozen=True)
class Entry:
    """One row of a measure's table (see the module's docstring)."""

    measure: Measure
    on_day: date
    values: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    recorded_at: datetime | None = None
    recorded_by_id: int | None = None
    corrects_id: int | None = None
    entered_in_error: bool = False
    id: int | None = None

    def value(self, key: str) -> Any:
        return self.values.get(key)

    def row(self) -> dict[str, Any]:
        """The values as the table's columns (flags as 0/1, unset values None)."""
        found: dict[str, Any] = {}
        for key, rule in VALUE_RULES[self.measure].items():
            value = self.values.get(key)
            if isinstance(rule, Flag):
                value = 1 if value else 0
            elif isinstance(value, StrEnum):
                value = value.value
            elif isinstance(value, IntEnum):
                value = int(value)
            found[key] = value
        return found


@dataclass(frozen=True)
class Chain:
    """The rows about one entry: the first, then each correction in turn."""

    rows: tuple[Entry, ...]

    @property
    def first(self) -> Entry:
        return self.rows[0]

    @property
    def last(self) -> Entry:
        return self.rows[-1]

    @property
    def current(self) -> Entry | None:
        """The entry as it stands: the last row, None when that withdrew it."""
        return None if self.last.entered_in_error else self.last

    @property
    def corrected(self) -> bool:
        return len(self.rows) > 1


def chains(rows: Iterable[Entry]) -> list[Chain]:
    """The rows of one measure grouped into chains, in the order of their first rows.
    A correction whose target is not among ``rows`` is left out."""
    ordered = sorted(rows, key=lambda e: e.id or 0)
    chain_of: dict[int, list[Entry]] = {}
    found: list[list[Entry]] = []
    for row in ordered:
        if row.id is None:
            continue
        if row.corrects_id is None:
            chain: list[Entry] = [row]
            found.append(chain)
        else:
            target = chain_of.get(row.corrects_id)
            if target is None or target[-1].id != row.corrects_id:
                continue
            chain = target
            chain.append(row)
        chain_of[row.id] = chain
    return [Chain(tuple(c)) for c in found]


def correction_problems(records: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """What is wrong with the ``corrects_id`` of the rows of one measure's table, by each
    row's place in ``records`` (0 for the first): the rules ``chains`` reads by, which
    the app's own forms keep (``validate_entry``), so that a file whose rows break them
    is refused whole rather than read with rows silently left out.

    Like the dose record's, a correction names an *earlier* row (a correction is made
    after what it corrects: a chain never loops back on itself), a row is corrected at
    most once, and a withdrawal ends its chain. A ``corrects_id`` naming no row at all is
    left to the caller's check of references; a row naming a row refused here is not
    judged again.
    """
    place = {r["id"]: n for n, r in enumerate(records)
             if isinstance(r.get("id"), int) and not isinstance(r.get("id"), bool)}
    standing: set[int] = set()  # rows accepted so far
    withdrawals: set[int] = set()
    corrected_by: dict[int, int] = {}
    found: dict[int, str] = {}
    for row_id in sorted(place):
        record = records[place[row_id]]
        target = record.get("corrects_id")
        if target is None:
            standing.add(row_id)
        elif target not in place:
            continue  # a missing reference: the caller's check names it
        elif target == row_id:
            found[place[row_id]] = "names the entry itself"
        elif target > row_id:
            found[place[row_id]] = (
                f"must name an earlier entry (a correction is made after the entry it "
                f"corrects; found {target}, record {place[target] + 1}, and this record's "
                f"id is {row_id})")
        elif target not in standing:
            continue  # the row it corrects was itself refused
        elif target in corrected_by:
            found[place[row_id]] = (
                f"record {place[target] + 1} is already corrected by record "
                f"{place[corrected_by[target]] + 1} (an entry is corrected at most once; "
                "correct the latest one)")
        elif target in withdrawals:
            found[place[row_id]] = (
                f"record {place[target] + 1} withdrew its entry as entered in error: a "
                "withdrawn entry is not corrected again")
        else:
            corrected_by[target] = row_id
            standing.add(row_id)
        if row_id in standing and record.get("entered_in_error"):
            withdrawals.add(row_id)
    return found


def current_entries(rows: Iterable[Entry]) -> list[Entry]:
    """What stands, by day (then by when the chain began): corrections applied,
    withdrawn entries left out."""
    found = [c.current for c in chains(rows)]
    return sorted((e for e in found if e is not None),
                  key=lambda e: (e.on_day, e.id or 0))


def latest_effect_by_dose(effects: Sequence[Entry]) -> dict[int, Entry]:
    """The latest answer about each dose (by dose entry id): printed beside as-needed
    doses (here, not in ``going_trends``, so that printing does not load the trends)."""
    found: dict[int, Entry] = {}
    for e in sorted(effects, key=lambda e: (e.on_day, e.id or 0)):
        dose = e.values.get("dose_entry_id")
        if e.measure is Measure.EFFECT and dose is not None:
            found[int(dose)] = e
    return found


# ---- What the sources say, in the app's own words (never advice)

#: Shown with the weight: the reason weight is recorded, and who decides.
WEIGHT_NOTE = (
    "Weight loss matters in ALS. Care guidance asks the care team to check weight and "
    "eating at each clinic review, and to talk early about a feeding tube. If the weight "
    "is going down, tell the care team: they decide what to do.")
#: Shown with the body mass index: what it is, and who reads it.
BMI_NOTE = (
    "BMI (body mass index) is the weight in kilograms divided by the height in metres, "
    "squared. It is shown next to the weight for the care team, who decide what it means.")
#: Said where BMI would be when the profile has no height.
NO_HEIGHT = "BMI: add the height in File ▸ Patient profile to see it"
#: Shown with the everyday-function questions.
FUNCTION_NOTE = (
    "The questions follow the 12 areas of the ALSFRS-R rating scale, in plain words. "
    "Answers given at home by the person or a caregiver agree well with the clinic's own. "
    "The numbers show change over time; they do not tell what will happen.")
#: (short name, reference, address) of each source the tab's notes rest on, at its
#: publisher.
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("NICE NG42", "NICE guideline NG42, Motor neurone disease: assessment and management (2016, "
     "updated 2019)", "https://www.nice.org.uk/guidance/ng42/chapter/Recommendations"),
    ("AAN 2009", "Miller RG et al. Practice parameter update: the care of the patient "
     "with ALS: drug, nutritional, and respiratory therapies. Neurology 2009;73:1218-1226",
     "https://pmc.ncbi.nlm.nih.gov/articles/PMC2764727"),
    ("ProGas 2015", "ProGas Study Group. Gastrostomy in patients with ALS (ProGas): a prospective "
     "cohort study. Lancet Neurol 2015;14:702-709",
     "https://doi.org/10.1016/S1474-4422(15)00104-0"),
    ("CDC on BMI", "Centers for Disease Control and Prevention: About Body Mass Index (BMI)",
     "https://www.cdc.gov/bmi/about/index.html"),
    ("MND Association", "MND Association: Nutrition and gastrostomy (for professionals)",
     "https://www.mndassociation.org/forprofessionals/mndmanagement/"
     "nutrition-and-enteral-feeding/"),
)


# ---- Validation


def validate_entry(entry: Entry, *, today: date, now: datetime | None = None,
                   corrected: Chain | None = None) -> Entry:
    """A tidied copy of ``entry``, or ValidationError naming each field that is wrong.

    ``today``: an entry cannot be about a day after it. ``corrected``: the chain the
    entry corrects (its last row must be the one named by ``corrects_id``).
    """
    errors: dict[str, str] = {}
    problem = day_problem(entry.on_day)
    if problem:
        errors["on_day"] = problem
    elif entry.on_day > today:
        errors["on_day"] = "This day has not come yet: choose today or an earlier day."
    if now is not None and (problem := moment_problem(now)):
        errors["recorded_at"] = problem
    note = entry.note.strip()
    if len(note) > MAX_NOTE:
        errors["note"] = f"Keep the note under {MAX_NOTE:,} characters."
    values = {k: v for k, v in entry.values.items() if v is not None and v != ""}
    rules = VALUE_RULES[entry.measure]
    for key in values:
        if key not in rules:
            errors[key] = "is not part of this kind of entry"
    if entry.corrects_id is not None:
        if corrected is None or corrected.last.id != entry.corrects_id:
            errors["corrects"] = ("Only the latest version of an entry can be corrected: "
                                  "reload the list and try again.")
        elif corrected.first.measure is not entry.measure:
            errors["corrects"] = "A correction must be the same kind of entry."
        elif corrected.current is None:
            errors["corrects"] = "This entry was already withdrawn."
    if entry.entered_in_error:
        if entry.corrects_id is None:
            errors["corrects"] = "Only a saved entry can be withdrawn."
        if not note:
            errors["note"] = "Say why the entry is withdrawn (for example: wrong day)."
        if values:
            errors["values"] = "A withdrawn entry carries no values."
        if errors:
            raise ValidationError(errors)
        return replace(entry, values={}, note=note)
    for key, value in values.items():
        rule = rules.get(key)
        if rule is None:
            continue
        if isinstance(rule, OneOf) and isinstance(value, StrEnum):
            value = value.value
        if isinstance(rule, Whole) and isinstance(value, IntEnum):
            value = int(value)
        if isinstance(rule, Flag):
            value = 1 if value else 0
        message = rule.problem(value)
        if message:
            errors[key] = _sentence(key, message)
    for key in REQUIRED[entry.measure]:
        if key not in values and key not in errors:
            errors[key] = _MISSING[key]
    needed = AT_LEAST_ONE.get(entry.measure)
    if needed and not any(values.get(k) is not None for k in needed):
        errors["values"] = _NOTHING[entry.measure]
    weight, unit = values.get("weight"), values.get("unit")
    if entry.measure is Measure.WEIGHT and isinstance(weight, int | float) \
            and not isinstance(weight, bool) and "unit" not in errors and unit is not None:
        limit = MAX_WEIGHT[WeightUnit(_text(unit))]
        if not MIN_WEIGHT <= float(weight) <= limit:  # (the unit's own range)
            errors["weight"] = (f"A weight in {_text(unit)} is from {MIN_WEIGHT} to "
                                f"{limit}: check the number and the unit.")
    if errors:
        raise ValidationError(errors)
    return replace(entry, note=note, values=values)


def _text(value: object) -> str:
    return value.value if isinstance(value, StrEnum) else str(value)


def _sentence(key: str, message: str) -> str:
    label = _LABELS.get(key, key.replace("_", " ").capitalize())
    return f"{label} {message}." if not message[:1].isupper() else message


_LABELS: dict[str, str] = {
    **{a.key: a.title for a in function_scale.AREAS},
    **{s.key: s.label for s in SYMPTOMS},
    "weight": "The weight", "unit": "The unit", "fvc_percent": "FVC",
    "snip": "SNIP", "niv_hours": "Hours on the breathing machine",
    "effect": "The effect",
}


def record_problems(measure: Measure, record: Mapping[str, Any]) -> dict[str, str]:
    """Rules between the columns of one stored row (the importer's check): a withdrawn
    row names what it withdraws and has a reason; any other has its required values."""
    found: dict[str, str] = {}
    if record.get("entered_in_error"):
        if record.get("corrects_id") is None or not str(record.get("note") or "").strip():
            found["entered_in_error"] = ("an entry withdrawn in error names the entry it "
                                         'withdraws ("corrects_id") and says why ("note")')
        return found
    for key in REQUIRED[measure]:
        if record.get(key) is None:
            found[key] = "is empty but is required"
    needed = AT_LEAST_ONE.get(measure)
    if needed and not any(record.get(k) is not None for k in needed):
        found[needed[0]] = "an entry needs at least one value"
    return found


# ---- Weight


def to_kg(weight: float, unit: WeightUnit) -> float:
    return weight * KG_PER_LB if unit is WeightUnit.LB else weight


def from_kg(kg: float, unit: WeightUnit) -> float:
    return kg / KG_PER_LB if unit is WeightUnit.LB else kg


def entry_kg(entry: Entry) -> float:
    return to_kg(float(entry.values["weight"]), WeightUnit(_text(entry.values["unit"])))
