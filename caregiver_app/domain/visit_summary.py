"""The clinic-visit summary: one or two pages for the ALS clinic, for a period (by default
since the last clinic visit): medicine changes, how the doses went with the reasons for
doses not given, as-needed use per week with whether it helped, weight, everyday
function, symptoms, the clinic's own numbers, and the questions written on the
appointment. Numbers only, in plain words; the care team decides what they mean.

Plain Python: builds a ``paper.Document`` for the one renderer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from caregiver_app.domain import function_scale, going_trends
from caregiver_app.domain.adherence import AdherenceReport
from caregiver_app.domain.function_scale import Part
from caregiver_app.domain.going import Effect, Entry, Measure, Severity, Symptom, from_kg
from caregiver_app.domain.localtime import describe_day
from caregiver_app.domain.paper import (
    Block,
    Cell,
    Column,
    Document,
    Entries,
    Paragraph,
    Row,
    Section,
    Table,
    isolated,
)
from caregiver_app.domain.patient import WeightUnit
from caregiver_app.domain.printouts import (
    PrintContext,
    _footer,
    _header,
    _stamp,
)

TITLE = "Clinic visit summary"
#: The first day the visit summary covers when there was no clinic visit to start from.
DEFAULT_DAYS = 90
CARE_TEAM_LINE = ("Recorded at home by the family, for talking with the care team, who "
                  "decide what these numbers mean. Everyday function follows the ALSFRS-R's "
                  "12 areas in plain words (Cedarbaum et al. 1999), answered at home.")


@dataclass(frozen=True)
class VisitPeriod:
    """The days a summary covers, and in words where they start."""

    first: date
    last: date
    text: str  # "since the last clinic visit, 8 Sep 2026"


def visit_period(visit_days: Sequence[date], today: date, *, since: date | None = None,
                 ) -> VisitPeriod:
    """The period of the summary for the next clinic visit: from ``since`` when chosen,
    else from the day of the last clinic visit before today (``visit_days``: the days of
    the clinic visits on the Care team tab), else the last ``DEFAULT_DAYS`` days; up to
    today (a visit still to come is what the summary is for)."""
    if since is not None:
        first = min(since, today)
        return VisitPeriod(first, today, f"from {describe_day(first)}, as chosen")
    earlier = sorted(d for d in visit_days if d < today)
    if earlier:
        return VisitPeriod(earlier[-1], today,
                           f"since the last clinic visit, {describe_day(earlier[-1])}")
    return VisitPeriod(today - timedelta(days=DEFAULT_DAYS), today,
                       f"the last {DEFAULT_DAYS} days (no earlier clinic visit is on the "
                       "Care team tab)")


@dataclass(frozen=True)
class MedicineChange:
    on_day: date
    medicine: str
    what: str  # "Started", "Changed", "Stopped"
    detail: str = ""


@dataclass(frozen=True)
class AsNeededDose:
    medicine: str
    on_day: date
    entry_id: int


@dataclass(frozen=True)
class VisitData:
    """Everything the summary prints, gathered by the print service."""

    first: date
    last: date
    unit: WeightUnit
    changes: Sequence[MedicineChange] = ()
    adherence: AdherenceReport | None = None
    medicine_names: Mapping[int, str] = field(default_factory=dict)
    as_needed: Sequence[AsNeededDose] = ()
    #: the current entries of each measure, all days (the summary picks the period; the
    #: weight change looks back further)
    entries: Mapping[Measure, Sequence[Entry]] = field(default_factory=dict)
    height_cm: float | None = None
    questions: str = ""
    visit: str = ""  # "ALS clinic visit, Tue 8 Dec 09:30 with Dr Lee"
    period: str = ""  # "since the last clinic visit, 8 Sep 2026"


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _medicine_changes(data: VisitData) -> Table:
    rows = [Row((Cell(describe_day(c.on_day)), Cell(isolated(c.medicine), bold=True),
                 Cell(f"{c.what}: {isolated(_first_sentence(c.detail))}" if c.detail
                      else c.what)))
            for c in sorted(data.changes, key=lambda c: (c.on_day, c.medicine))
            if data.first <= c.on_day <= data.last]
    return Table((Column("Day", 1.2), Column("Medicine", 2), Column("What changed", 5)),
                 tuple(rows), title="Medicine changes",
                 empty="No medicine was started, changed or stopped in this period.")


def _first_sentence(text: str) -> str:
    """The dose, not the whole schedule: up to the first full stop."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def _adherence(data: VisitData) -> Table:
    rows = []
    report = data.adherence
    names = data.medicine_names
    if report is not None:
        for medicine_id, counts in sorted(report.by_medicine.items(),
                                          key=lambda i: names.get(i[0] or 0, "")):
            if not counts.decided:
                continue
            reasons = ", ".join(f"{reason.label.lower()} {n}"
                                for reason, n in sorted(counts.skipped.items(),
                                                        key=lambda i: -i[1]))
            rate = f"{counts.rate:.0%}" if counts.rate is not None else "–"
            rows.append(Row((Cell(isolated(names.get(medicine_id or 0, "?")), bold=True),
                             Cell(str(counts.decided), center=True),
                             Cell(f"{counts.given} ({rate})", center=True),
                             Cell(f"{counts.late}", center=True),
                             Cell(reasons or "–"), Cell(str(counts.missed), center=True))))
    return Table((Column("Medicine", 2.4), Column("Due", 0.8, center=True),
                  Column("Given", 1.2, center=True), Column("Late", 0.8, center=True),
                  Column("Not given: reason", 3), Column("Missed", 0.9, center=True)),
                 tuple(rows), title="How the scheduled doses went",
                 empty="No scheduled doses were due in this period.")


def _as_needed(data: VisitData) -> Table:
    effects = going_trends.latest_effect_by_dose(data.entries.get(Measure.EFFECT, ()))
    grouped: dict[tuple[str, date], list[AsNeededDose]] = defaultdict(list)
    for dose in data.as_needed:
        if data.first <= dose.on_day <= data.last:
            grouped[(dose.medicine, _week_start(dose.on_day))].append(dose)
    rows = []
    for (medicine, week), doses in sorted(grouped.items()):
        answers = [Effect(str(effects[d.entry_id].values["effect"]))
                   for d in doses if d.entry_id in effects]
        helped = (", ".join(f"{e.label.lower()} {answers.count(e)}" for e in Effect
                            if answers.count(e)) if answers else "not asked")
        rows.append(Row((Cell(isolated(medicine), bold=True),
                         Cell(f"from {describe_day(week)}"),
                         Cell(str(len(doses)), center=True), Cell(helped))))
    totals = going_trends.effects_by_medicine(
        [(d.entry_id, d.medicine) for d in data.as_needed
         if data.first <= d.on_day <= data.last], data.entries.get(Measure.EFFECT, ()))
    note = " ".join(["Over the whole period:", *(f"{isolated(t.medicine)}: {t.text()}."
                                                 for t in totals)]) if totals else ""
    return Table((Column("As-needed medicine", 2.4), Column("Week", 2),
                  Column("Doses", 0.8, center=True), Column("Did it help?", 3)),
                 tuple(rows), title="As-needed doses, per week", note=note,
                 empty="No as-needed doses were given in this period.")


def _weight(data: VisitData) -> Paragraph:
    weights = [e for e in data.entries.get(Measure.WEIGHT, ()) if e.on_day <= data.last]
    summary = going_trends.weight_summary(weights, height_cm=data.height_cm)
    if summary is None:
        return Paragraph("Weight: not recorded.")
    unit = data.unit
    parts = [f"{from_kg(summary.latest_kg, unit):.1f} {unit.value} on "
             f"{describe_day(summary.latest_day)}"]
    in_period = [(d, v) for d, v in going_trends.weight_points(weights, unit)
                 if data.first <= d <= data.last]
    if len(in_period) >= 2:
        (d0, v0), (_, v1) = in_period[0], in_period[-1]
        parts.append(f"in this period {v1 - v0:+.1f} {unit.value} "
                     f"({(v1 - v0) / v0 * 100:+.1f}%) since {describe_day(d0)}")
    if summary.since_usual is not None:
        parts.append(f"since the usual weight before the illness "
                     f"{summary.since_usual.text(unit)}")
    for months, change in summary.spans.items():
        if change is not None:
            parts.append(f"last {months} month{'s' if months > 1 else ''} "
                         f"{change.text(unit)}")
    if summary.bmi is not None:
        parts.append(f"BMI {summary.bmi:.1f}")
    return Paragraph("Weight: " + "; ".join(parts) + f" ({len(in_period)} weighings in "
                     "the period).")


def _function(data: VisitData) -> Table:
    entries = [e for e in data.entries.get(Measure.FUNCTION, ())
               if data.first <= e.on_day <= data.last]
    points = going_trends.function_points(entries)
    rows = []
    for point in points:
        parts = [point.parts[p] for p in Part]
        rows.append(Row((Cell(describe_day(point.on_day)),
                         Cell("–" if point.total is None else str(point.total), bold=True,
                              center=True),
                         *(Cell("–" if v is None else str(v), center=True) for v in parts))))
    summary = going_trends.function_summary(entries)
    note = ""
    if summary is not None and summary.rate is not None:
        note = (f"On average {abs(summary.rate):.1f} points a month "
                f"{'lower' if summary.rate >= 0 else 'higher'} from "
                f"{describe_day(summary.first.on_day)} to {describe_day(summary.last.on_day)}.")
    return Table((Column("Day", 1.5), Column(f"Total of {function_scale.TOTAL_MAX}", 1.2,
                                             center=True),
                  *(Column(f"{p.label} (12)", 1.3, center=True) for p in Part)),
                 tuple(rows), title="Everyday function (ALSFRS-R areas, answered at home)",
                 note=note, empty="Everyday function was not recorded in this period.")


def _symptoms(data: VisitData) -> Table:
    checks = [e for e in data.entries.get(Measure.SYMPTOMS, ())
              if data.first <= e.on_day <= data.last]
    half = data.first + (data.last - data.first) / 2
    early = going_trends.symptom_summaries([e for e in checks if e.on_day <= half])
    late = going_trends.symptom_summaries([e for e in checks if e.on_day > half])
    early_by = {s.symptom.key: s for s in early}
    late_by = {s.symptom.key: s for s in late}
    rows = []
    for summary in going_trends.symptom_summaries(checks):
        symptom = summary.symptom

        def typical(found: going_trends.SymptomSummary | None,
                    symptom: Symptom = symptom) -> str:
            if found is None or found.median is None:
                return "–"
            if symptom.summed:
                return f"{found.total} in all"
            if symptom.count:
                return f"typically {_amount(found.median, symptom.unit)}"
            return Severity(round(found.median)).label.lower()

        if symptom.count:
            worst = ("–" if summary.highest is None
                     else f"most {_amount(summary.highest, symptom.unit)}")
        else:
            bad = summary.levels.get(2, 0) + summary.levels.get(3, 0)
            worst = f"{bad} days moderate or severe"
        rows.append(Row((Cell(symptom.label, bold=True),
                         Cell(typical(early_by.get(symptom.key))),
                         Cell(typical(late_by.get(symptom.key))), Cell(worst))))
    days = len({e.on_day for e in checks})
    note = (f"Checked on {days} of {(data.last - data.first).days + 1} days. The typical "
            "level in the first and the second half of the period."
            if checks else "")
    return Table((Column("Symptom", 3.2), Column("First half", 1.5),
                  Column("Second half", 1.5), Column("Whole period", 2.8)),
                 tuple(rows), title="Symptoms (daily check)", note=note,
                 empty="The daily check was not filled in during this period.")


def _clinic(data: VisitData) -> Table:
    entries = [e for e in data.entries.get(Measure.CLINIC, ())
               if data.first <= e.on_day <= data.last]

    def value(entry: Entry, key: str, unit: str) -> str:
        found = entry.values.get(key)
        return "–" if found is None else f"{float(found):g}{unit}"

    rows = [Row((Cell(describe_day(e.on_day)), Cell(value(e, "fvc_percent", "%"), center=True),
                 Cell(value(e, "snip", ""), center=True),
                 Cell(value(e, "niv_hours", " h"), center=True),
                 Cell(isolated(e.note)))) for e in entries]
    return Table((Column("Day", 1.3), Column("FVC % pred.", 1.1, center=True),
                  Column("SNIP cmH2O", 1.1, center=True),
                  Column("Machine a night", 1.2, center=True), Column("Note", 3)),
                 tuple(rows), title="Breathing numbers",
                 empty="No breathing numbers were recorded in this period.")


def visit_summary(data: VisitData, context: PrintContext) -> Document:
    """The one- or two-page summary of ``data.first``..``data.last``."""
    period = f"{describe_day(data.first)} to {describe_day(data.last)}"
    blocks: list[Block] = [Paragraph(CARE_TEAM_LINE, small=True)]
    if data.visit:
        blocks.append(Paragraph(f"For: {isolated(data.visit)}", bold=True))
    else:
        blocks.append(Paragraph("For: the next clinic visit (none is on the Care team tab "
                                "yet)", bold=True))
    if data.period:
        blocks.append(Paragraph(f"Period: {data.period}."))
    questions = data.questions.strip()
    blocks.append(Entries("Our questions for this visit",
                          tuple(("", isolated(line.strip()))
                                for line in questions.splitlines() if line.strip()))
                  if questions else Paragraph("Our questions for this visit: none written "
                                              "on the appointment."))
    blocks += [
        _weight(data),
        _function(data),
        _symptoms(data),
        _clinic(data),
        _as_needed(data),
        _medicine_changes(data),
        _adherence(data),
    ]
    section = Section(_header(TITLE, period, context), tuple(blocks))
    return Document(title=TITLE, sections=(section,), footer=_footer(context),
                    stamp=_stamp(context, ""))


def _amount(number: float, unit: str) -> str:
    """The number with its unit, singular for 1: "1 day", "3 days", "1 time"."""
    return f"{number:g} {unit[:-1] if number == 1 and unit.endswith('s') else unit}"
