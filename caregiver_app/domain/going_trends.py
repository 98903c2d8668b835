"""What the records of "How things are going" add up to: weight change, everyday function
and its rate of change, symptom summaries, the clinic's numbers, and whether as-needed
doses helped. Numbers only: no judgement and no prognosis (the care team decides what
they mean). Every function takes the *current* entries (``going.current_entries``).

Plain Python: no Qt, no database.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from caregiver_app.domain import function_scale
from caregiver_app.domain.function_scale import Part
from caregiver_app.domain.going import (
    SYMPTOMS,
    Effect,
    Entry,
    Measure,
    Symptom,
    entry_kg,
    from_kg,
)
from caregiver_app.domain.going import latest_effect_by_dose as latest_effect_by_dose
from caregiver_app.domain.patient import MAX_HEIGHT_CM, MIN_HEIGHT_CM, WeightUnit

#: The spans the weight summary looks back over, in months.
WEIGHT_SPANS = (1, 3, 6)


@dataclass(frozen=True)
class Change:
    """A change in weight from ``since`` (a day) to the latest: in kg and in percent of
    the earlier weight (negative: lost)."""

    since: date
    kg: float
    percent: float

    def text(self, unit: WeightUnit) -> str:
        amount = from_kg(self.kg, unit)
        return f"{amount:+.1f} {unit.value} ({self.percent:+.1f}%)"


def change(earlier_kg: float, later_kg: float, since: date) -> Change:
    return Change(since, later_kg - earlier_kg, (later_kg - earlier_kg) / earlier_kg * 100)


def bmi(kg: float, height_cm: float) -> float | None:
    """Body mass index (kg/m²); None without a usable height."""
    if not MIN_HEIGHT_CM <= height_cm <= MAX_HEIGHT_CM:
        return None
    metres = height_cm / 100
    return kg / (metres * metres)


@dataclass(frozen=True)
class WeightSummary:
    latest_day: date
    latest_kg: float
    usual_kg: float | None
    since_usual: Change | None
    #: months -> the change over that span (None: no weight that long before).
    spans: Mapping[int, Change | None]
    bmi: float | None


def weight_summary(entries: Sequence[Entry], *, height_cm: float | None = None,
                   ) -> WeightSummary | None:
    """The latest weight and how it changed: since the usual weight before the illness
    (the latest entry marked "usual"), and over the last 1, 3 and 6 months (against the
    latest weight on or before that day). None when no weight was recorded."""
    weights = sorted((e for e in entries if e.measure is Measure.WEIGHT),
                     key=lambda e: (e.on_day, e.id or 0))
    usual = [e for e in weights if e.values.get("usual")]
    measured = [e for e in weights if not e.values.get("usual")]
    if not measured:
        return None
    latest = measured[-1]
    latest_kg = entry_kg(latest)
    usual_kg = entry_kg(usual[-1]) if usual else None
    spans: dict[int, Change | None] = {}
    for months in WEIGHT_SPANS:
        limit = latest.on_day - relativedelta(months=months)
        before = [e for e in measured if e.on_day <= limit]
        spans[months] = change(entry_kg(before[-1]), latest_kg, before[-1].on_day) \
            if before else None
    return WeightSummary(
        latest_day=latest.on_day, latest_kg=latest_kg, usual_kg=usual_kg,
        since_usual=change(usual_kg, latest_kg, usual[-1].on_day) if usual_kg else None,
        spans=spans, bmi=bmi(latest_kg, height_cm) if height_cm else None)


def weight_points(entries: Sequence[Entry], unit: WeightUnit) -> list[tuple[date, float]]:
    """(day, weight in ``unit``) of each measured weight, by day."""
    return [(e.on_day, from_kg(entry_kg(e), unit))
            for e in sorted(entries, key=lambda e: (e.on_day, e.id or 0))
            if e.measure is Measure.WEIGHT and not e.values.get("usual")]


# ---- Everyday function


@dataclass(frozen=True)
class FunctionPoint:
    on_day: date
    total: int | None
    parts: Mapping[Part, int | None]


def function_points(entries: Sequence[Entry]) -> list[FunctionPoint]:
    return [FunctionPoint(e.on_day, function_scale.total(e.values),
                          function_scale.part_totals(e.values))
            for e in sorted(entries, key=lambda e: (e.on_day, e.id or 0))
            if e.measure is Measure.FUNCTION]


@dataclass(frozen=True)
class FunctionSummary:
    first: FunctionPoint
    last: FunctionPoint
    #: points lost per month from the first complete total to the last (None: fewer
    #: than two complete totals on different days)
    rate: float | None
    count: int


def function_summary(entries: Sequence[Entry]) -> FunctionSummary | None:
    points = function_points(entries)
    if not points:
        return None
    complete = [(p.on_day, p.total) for p in points if p.total is not None]
    rate = None
    if len(complete) >= 2:
        rate = function_scale.points_per_month(complete[0], complete[-1])
    return FunctionSummary(points[0], points[-1], rate, len(points))


# ---- Symptoms


@dataclass(frozen=True)
class SymptomSummary:
    symptom: Symptom
    days: int
    """Checks that answered this line."""
    latest: int | None
    highest: int | None
    median: float | None
    #: for a severity: days at each level (0-3); for a count: the sum of the counts
    levels: Mapping[int, int]
    total: int


def symptom_summaries(entries: Sequence[Entry]) -> list[SymptomSummary]:
    """One summary per line of the check that was answered at least once."""
    checks = sorted((e for e in entries if e.measure is Measure.SYMPTOMS),
                    key=lambda e: (e.on_day, e.id or 0))
    found = []
    for symptom in SYMPTOMS:
        answers = [int(e.values[symptom.key]) for e in checks
                   if e.values.get(symptom.key) is not None]
        if not answers:
            continue
        found.append(SymptomSummary(
            symptom=symptom, days=len(answers), latest=answers[-1], highest=max(answers),
            median=statistics.median(answers), levels=dict(Counter(answers)),
            total=sum(answers)))
    return found


def symptom_points(entries: Sequence[Entry], key: str) -> list[tuple[date, int]]:
    return [(e.on_day, int(e.values[key]))
            for e in sorted(entries, key=lambda e: (e.on_day, e.id or 0))
            if e.measure is Measure.SYMPTOMS and e.values.get(key) is not None]


# ---- Clinic numbers


def clinic_points(entries: Sequence[Entry], key: str) -> list[tuple[date, float]]:
    return [(e.on_day, float(e.values[key]))
            for e in sorted(entries, key=lambda e: (e.on_day, e.id or 0))
            if e.measure is Measure.CLINIC and e.values.get(key) is not None]


# ---- As-needed doses: did they help?


@dataclass(frozen=True)
class EffectSummary:
    better: int
    same: int
    worse: int

    @property
    def answered(self) -> int:
        return self.better + self.same + self.worse

    def text(self) -> str:
        if not self.answered:
            return "not asked"
        return f"better {self.better}, same {self.same}, worse {self.worse}"


def effect_summary(effects: Sequence[Entry], dose_ids: set[int] | None = None,
                   ) -> EffectSummary:
    """How the answers fall, over the doses ``dose_ids`` (all when None)."""
    counts = Counter(Effect(str(e.values["effect"])) for e in effects
                     if e.measure is Measure.EFFECT and e.values.get("effect")
                     and (dose_ids is None or e.values.get("dose_entry_id") in dose_ids))
    return EffectSummary(counts[Effect.BETTER], counts[Effect.SAME], counts[Effect.WORSE])


@dataclass(frozen=True)
class MedicineEffects:
    """How one as-needed medicine's doses over a period were answered."""

    medicine: str
    given: int
    effects: EffectSummary

    @property
    def not_asked(self) -> int:
        return self.given - self.effects.answered

    def text(self) -> str:
        """"14 doses; better 9, same 2, worse 1; 2 not answered" (without the name)."""
        doses = f"{self.given} dose{'s' if self.given != 1 else ''}"
        if not self.effects.answered:
            return f"{doses}; none answered"
        text = f"{doses}; {self.effects.text()}"
        return text + (f"; {self.not_asked} not answered" if self.not_asked else "")


def effects_by_medicine(doses: Sequence[tuple[int, str]], effects: Sequence[Entry],
                        ) -> list[MedicineEffects]:
    """For each as-needed medicine among ``doses`` ((dose entry id, medicine name) of each
    dose given in the period), how many were given and how the latest answer about each
    falls (better, same, worse), by name."""
    latest = latest_effect_by_dose(effects)
    given: Counter[str] = Counter()
    answers: dict[str, Counter[Effect]] = {}
    for dose_id, name in doses:
        given[name] += 1
        counts = answers.setdefault(name, Counter())
        answer = latest.get(dose_id)
        if answer is not None and answer.values.get("effect"):
            counts[Effect(str(answer.values["effect"]))] += 1
    return [MedicineEffects(name, given[name], EffectSummary(
        answers[name][Effect.BETTER], answers[name][Effect.SAME], answers[name][Effect.WORSE]))
        for name in sorted(given, key=str.casefold)]


def in_period(entries: Sequence[Entry], first: date, last: date) -> list[Entry]:
    return [e for e in entries if first <= e.on_day <= last]


# ---- What the tab can chart


#: The medicines (by the reference's id) that are *for* each symptom, drawn on the same
#: time axis as its line: NICE NG42's symptom treatments (cramps, stiffness, saliva,
#: thick secretions, emotional lability, low mood) and the usual ones for the rest.
MEDICINES_FOR: dict[str, tuple[str, ...]] = {
    "cramps": ("quinine", "baclofen", "tizanidine", "dantrolene", "gabapentin",
               "mexiletine"),
    "stiffness": ("baclofen", "tizanidine", "dantrolene", "gabapentin"),
    "pain": ("gabapentin", "morphine"),
    "drooling": ("glycopyrrolate", "scopolamine", "atropine-drops", "amitriptyline",
                 "botulinum-toxin"),
    "secretions": ("acetylcysteine", "guaifenesin", "carbocisteine", "propranolol",
                   "metoprolol"),
    "sleep": ("mirtazapine", "amitriptyline"),
    "low_mood": ("citalopram", "sertraline", "escitalopram", "mirtazapine",
                 "amitriptyline"),
    "anxiety": ("lorazepam", "citalopram", "sertraline", "escitalopram"),
    "episodes": ("dextromethorphan-quinidine", "citalopram", "sertraline",
                 "escitalopram", "amitriptyline"),
    "bowel_days": ("polyethylene-glycol", "lactulose", "senna", "bisacodyl", "docusate"),
    "breathless_flat": ("morphine", "lorazepam", "midazolam"),
}


@dataclass(frozen=True)
class Series:
    """One line the tab can draw: its measure, how to read a value, its range."""

    key: str
    label: str
    measure: Measure
    low: float
    high: float
    unit: str = ""
    #: higher is better (function) rather than worse (symptoms)
    higher_is_better: bool = False
    whole: bool = True

    @property
    def medicines(self) -> tuple[str, ...]:
        return MEDICINES_FOR.get(self.key.removeprefix("part:"), ())


def all_series(unit: WeightUnit) -> list[Series]:
    """Every line the tab can draw, in the order the "Show" list gives them."""
    from caregiver_app.domain.patient import MAX_WEIGHT

    found = [
        Series("weight", f"Weight ({unit.value})", Measure.WEIGHT, 0,
               float(MAX_WEIGHT[unit]), unit.value, whole=False),
        Series("function", "Everyday function: total of 48", Measure.FUNCTION, 0,
               function_scale.TOTAL_MAX, "points", higher_is_better=True),
        *(Series(f"part:{p.value}", f"Everyday function: {p.label.lower()} (of 12)",
                 Measure.FUNCTION, 0, function_scale.PART_MAX, "points",
                 higher_is_better=True) for p in Part),
        *(Series(s.key, s.label + (f" ({s.unit})" if s.count else " (0 none to 3 severe)"),
                 Measure.SYMPTOMS, 0, s.high, s.unit) for s in SYMPTOMS),
        Series("fvc_percent", "FVC (% of predicted)", Measure.CLINIC, 0, 200, "%",
               higher_is_better=True, whole=False),
        Series("snip", "SNIP (cmH2O)", Measure.CLINIC, 0, 300, "cmH2O",
               higher_is_better=True, whole=False),
        Series("niv_hours", "Breathing machine (hours a night)", Measure.CLINIC, 0, 24,
               "hours", whole=False),
    ]
    return found


def series_points(series: Series, entries: Sequence[Entry], unit: WeightUnit,
                  ) -> list[tuple[Entry, float]]:
    """(entry, value) of each entry with a value on ``series``, by day."""
    ordered = sorted((e for e in entries if e.measure is series.measure),
                     key=lambda e: (e.on_day, e.id or 0))
    found: list[tuple[Entry, float]] = []
    for entry in ordered:
        value: float | None
        if series.key == "weight":
            value = None if entry.values.get("usual") else from_kg(entry_kg(entry), unit)
        elif series.key == "function":
            total = function_scale.total(entry.values)
            value = None if total is None else float(total)
        elif series.key.startswith("part:"):
            part = function_scale.part_total(entry.values, Part(series.key[5:]))
            value = None if part is None else float(part)
        else:
            raw = entry.values.get(series.key)
            value = None if raw is None else float(raw)
        if value is not None:
            found.append((entry, value))
    return found


# ---- The measurements as a spreadsheet (``export --csv``)

MEASUREMENT_COLUMNS = ("Day", "Record", "What", "Value", "Unit", "Entered by",
                       "Entered at (UTC)", "Note", "Corrected")


def measurement_rows(entries: Mapping[Measure, Sequence[Entry]], *,
                     names: Mapping[int, str], first: date, last: date,
                     ) -> list[dict[str, str]]:
    """One row per value of each current entry from ``first`` to ``last``, by day: the
    weight as typed with its unit, each area, each line of the check, each clinic
    number and each answer about a dose."""
    found: list[tuple[date, int, dict[str, str]]] = []
    for measure, rows in entries.items():
        for entry in rows:
            if not first <= entry.on_day <= last:
                continue
            base = {"Day": entry.on_day.isoformat(), "Record": measure.label,
                    "Entered by": names.get(entry.recorded_by_id or 0, ""),
                    "Entered at (UTC)": (entry.recorded_at.isoformat(timespec="minutes")
                                         if entry.recorded_at else ""),
                    "Note": entry.note,
                    "Corrected": "yes" if entry.corrects_id is not None else ""}
            for what, value, unit in _values_of(entry):
                found.append((entry.on_day, entry.id or 0,
                              {**base, "What": what, "Value": value, "Unit": unit}))
    return [row for _, _, row in sorted(found, key=lambda f: (f[0], f[1]))]


def _values_of(entry: Entry) -> list[tuple[str, str, str]]:
    values = entry.values
    if entry.measure is Measure.WEIGHT:
        what = "Usual weight before the illness" if values.get("usual") else "Weight"
        return [(what, f"{float(values['weight']):g}", str(values["unit"]))]
    if entry.measure is Measure.FUNCTION:
        tube = bool(values.get("tube_version"))
        found = [(function_scale.area_of(a.key, tube=tube).title, str(values[a.key]),
                  "of 4") for a in function_scale.AREAS if values.get(a.key) is not None]
        total = function_scale.total(values)
        if total is not None:
            found.append(("Total", str(total), "of 48"))
        return found
    if entry.measure is Measure.SYMPTOMS:
        return [(s.label, str(values[s.key]), s.unit or "0-3")
                for s in SYMPTOMS if values.get(s.key) is not None]
    if entry.measure is Measure.CLINIC:
        units = {"fvc_percent": ("FVC", "% of predicted"), "snip": ("SNIP", "cmH2O"),
                 "niv_hours": ("Breathing machine", "hours a night")}
        return [(units[k][0], f"{float(values[k]):g}", units[k][1])
                for k in units if values.get(k) is not None]
    return [("Did the as-needed dose help?", str(values.get("effect", "")),
             f"dose record {values.get('dose_entry_id')}")]


def measurements_csv(rows: Sequence[Mapping[str, str]]) -> str:
    """CSV text with a title row; text a spreadsheet would run as a formula is quoted."""
    import csv
    import io

    from caregiver_app.domain.exports import spreadsheet_safe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MEASUREMENT_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(c, "")) for c in MEASUREMENT_COLUMNS])
    return out.getvalue()
