"""The printed sheets' content: daily checklist, weekly record, medicine list, care team.

Pure functions from the app's records to a ``paper.Document`` (no Qt, no database):

``daily_checklist(days, context, ...)``
    One section (one page for a household like the example one) per day: who the
    initials are, every due dose in time order with a tick box and room for the time and
    initials (or what was already recorded), short flags under each (cycle day, DO NOT
    CRUSH, flush, the food rule as clock times, a skip note), each medicine's own
    instructions once in "How to give", the clinic-given doses and appointments, the
    as-needed protocol and a log, the skip codes and rules, notes in the room left.
``weekly_record(days, context, ...)``
    Landscape: one row per medicine and time, seven day columns, a box per due dose (grey
    "–" where nothing is due, "off" on cycle off-days); codes and rules beside who signs,
    then the PRN protocol and log and notes.
``medicine_list(medicines, context, ...)``
    For clinic visits: current medicines (dose, schedule from today on, route, purpose,
    prescriber, start), those stopped in the last 90 days with the reason, allergies on
    every page.
``care_team_sheet(groups, context)``
    For the fridge door: the emergency number, call-first contacts, then everyone by
    role, big numbers to call (faxes small, apart); with no contacts yet, a form to fill
    in by hand.

``regimen_version(medicines, start, end, allergies=...)`` is a short code that changes
whenever anything that decides the doses of that period changes, or the allergies,
printed on each sheet so an outdated sheet can be recognised. The practice this follows
(headers, codes, "never pre-sign") is described in ``shared/reference/product-research.md``
section 4.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.careteam_sheet import emergency_lines, emergency_number, name_with_role
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.dayview import DayView
from caregiver_app.domain.doses import DoseEntry, DoseState, DoseStatus, EntryKind
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import GivenBy, Medicine, MedicineVersion, describe_food_rule
from caregiver_app.domain.paper import (
    Block,
    Cell,
    Column,
    Columns,
    Document,
    Entries,
    PageHeader,
    Paragraph,
    Row,
    Section,
    Table,
    WritingLines,
)
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.phones import PhoneKind, format_phone
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    StepsRegimen,
    describe_regimen,
    regimen_to_dict,
)
from caregiver_app.domain.today import food_window
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, MedicineStatus, SkipReason

#: Stopped medicines stay on the medicine list this long.
RECENTLY_STOPPED = timedelta(days=90)
NBSP = "\u00a0"  # keeps a phone number on one line
#: Points of room to write by hand in a row.
WRITING_ROOM = 26.0

RULES = ("Tick and initial each dose when you give it, never before and never for someone "
         "else; write the time if it differs. Not given: the code, and why in the notes. "
         "Circle mistakes and explain them; never erase. Change medicines in the app, then "
         "print a new sheet.")
#: Blank rows of the as-needed log: always this many, and more while the page has room.
PRN_LOG_ROWS = 3
PRN_LOG_SPARE = 5


# ---- What the builders need besides the dose record


@dataclass(frozen=True)
class AgendaItem:
    """An appointment on a sheet."""

    start: datetime  # aware; printed in the patient's zone
    title: str
    detail: str = ""  # with whom, where
    dose_key: str = ""  # "<medicine id>:<occurrence key>" for a clinic-given dose


@dataclass(frozen=True)
class PrintContext:
    """Who and when: the same for every sheet of one print job."""

    patient: Patient | None
    zone: ZoneInfo
    printed_at: datetime  # aware
    caregivers: Mapping[int, Caregiver] = field(default_factory=dict)  # by id, also inactive
    care_team: tuple[str, ...] = ()  # footer lines: "Neurologist Dr Lee: (312) 555-0142"
    contact_names: Mapping[int, str] = field(default_factory=dict)  # prescriber names by id
    region: str | None = None  # phone region ("US"): which emergency number to print

    def initials(self, caregiver_id: int | None) -> str:
        caregiver = self.caregivers.get(caregiver_id) if caregiver_id is not None else None
        return caregiver.initials if caregiver else ""


class TeamPhone(Protocol):
    label: str
    number: str
    can_call: bool  # False for a fax


class TeamEntry(Protocol):
    name: str
    role: str
    organisation: str
    email: str
    office_hours: str
    call_for: str
    emergency: bool

    @property
    def phones(self) -> Sequence[TeamPhone]: ...


class TeamGroup(Protocol):
    title: str
    emergency: bool

    @property
    def entries(self) -> Sequence[TeamEntry]: ...


# ---- Plain words


def long_date(day: date) -> str:
    """"Tuesday 1 December 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """"1 Dec 2026"."""
    return f"{day.day} {day:%b %Y}"


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    return f"{to_utc(moment).astimezone(zone):%H:%M}"


def _patient_line(patient: Patient | None, today: date) -> str:
    if patient is None:
        return "Patient: no profile yet (File ▸ Patient profile)"
    parts = [patient.full_name]
    if patient.date_of_birth:
        born = patient.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        parts.append(f"born {short_date(born)} (age {age})")
    if patient.weight_text():
        parts.append(f"weight {patient.weight_text()}")
    return " · ".join(parts)


def allergy_line(patient: Patient | None) -> str:
    """Never blank: the allergies with reactions, "No known allergies", or a warning."""
    if patient is not None and patient.allergy_status is AllergyStatus.NONE_KNOWN:
        return "No known allergies"
    if (patient is not None and patient.allergy_status is AllergyStatus.HAS_ALLERGIES
            and patient.allergies):
        return f"ALLERGIES: {patient.allergy_summary()}"
    return "ALLERGIES NOT RECORDED: ask before giving any medicine"


def _header(title: str, period: str, context: PrintContext, *, short: str = "") -> PageHeader:
    today = to_utc(context.printed_at).astimezone(context.zone).date()
    return PageHeader(title=title, period=period,
                      patient=_patient_line(context.patient, today),
                      allergies=allergy_line(context.patient), short=short)


def emergency_text(context: PrintContext) -> str:
    """"911", or "your emergency number" where the app does not know the number."""
    return emergency_number(context.region) or "your emergency number"


def initials_line(context: PrintContext) -> str:
    """"Initials: AH = Ana Helper, TE = Tom Example" (the active caregivers)."""
    people = sorted((c for c in context.caregivers.values() if c.active and c.initials),
                    key=lambda c: c.name.casefold())
    if not people:
        return "Initials: ____ = ____________________   ____ = ____________________"
    return "Initials: " + ", ".join(f"{c.initials} = {c.name}" for c in people)


def skip_codes_text() -> str:
    return "Not given codes: " + " · ".join(f"{r.code} = {r.label}" for r in SkipReason)


def _footer(context: PrintContext, *, rules: bool = False) -> tuple[str, ...]:
    """The care-team numbers (after the emergency number, when known); with ``rules``,
    first the not-given codes and the rules (a dose record's footer, as care homes
    print them)."""
    number = emergency_number(context.region)
    lead = f"Emergency: {number} · " if number else ""
    if context.care_team:
        team = lead + "Care team: " + " · ".join(context.care_team)
    else:
        blank = "\u00a0____________"  # kept with its label on one line
        team = (lead + f"Care team: neurologist{blank}  ALS\u00a0clinic{blank}  "
                f"pharmacy{blank}  after\u00a0hours{blank}  (add them in the Care team tab "
                "to print them here)")
    return (f"{skip_codes_text()}. {RULES}", team) if rules else (team,)


#: Roles whose numbers go in every sheet's footer (besides the call-first contacts).
FOOTER_ROLES = (Role.NEUROLOGIST, Role.NURSE_COORDINATOR, Role.PHARMACY)


def care_team_footer(contacts: Sequence[Contact], *, region: str | None) -> list[str]:
    """Footer lines: every call-first contact (after-hours numbers first), then the first
    neurologist, ALS clinic nurse and pharmacy, each with the numbers one can ring."""
    lines = emergency_lines(contacts, region=region)
    listed = {c.id for c in contacts if c.emergency}
    for role in FOOTER_ROLES:
        person = next((c for c in contacts if c.role is role and not c.archived
                       and c.id not in listed), None)
        if person is None:
            continue
        phones = sorted(person.callable_phones(),
                        key=lambda p: p.kind is not PhoneKind.AFTER_HOURS)
        numbers = "; ".join(f"{p.kind.label.lower()} {format_phone(p, region)}"
                            for p in phones[:2])
        lines.append(name_with_role(person.name, person.role_label)
                     + (f": {numbers}" if numbers else ""))
    return lines


def _stamp(context: PrintContext, version: str) -> str:
    printed = to_utc(context.printed_at).astimezone(context.zone)
    text = f"Printed {short_date(printed.date())} {printed:%H:%M}"
    return f"{text} · regimen version {version}" if version else text


def instructions(medicine: Medicine, version: MedicineVersion, *, label: str = "",
                 limit: int | None = None) -> str:
    """Cycle day or loading phase, do not crush, flush, food rule, the medicine's own
    instructions, in one line."""
    parts = []
    if label:
        parts.append(label[0].upper() + label[1:])
    if version.do_not_crush:
        parts.append("DO NOT CRUSH")
    if version.flush_ml:
        parts.append(f"Flush the tube with {version.flush_ml} mL water before and after")
    food = describe_food_rule(medicine.food_rule)
    if food:
        parts.append(food.rstrip("."))
    own = " ".join(medicine.instructions.split())
    if own:
        parts.append(own.rstrip("."))
    text = ". ".join(parts) + ("." if parts else "")
    if limit is not None and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "… (see the medicine list)"
    return text


def dose_and_form(dose: Dose, form: Form, *, sep: str = "\n") -> str:
    """"5 mL\nliquid / oral suspension"; just "2 tablets" when the unit names the form."""
    unit = dose.unit.casefold().rstrip("s")
    if unit and unit in form.label.casefold():
        return dose.describe()
    return f"{dose.describe()}{sep}{form.label}"


def food_times(rule: FoodRule, due: datetime, zone: ZoneInfo) -> str:
    """The food rule as clock times for a dose due at ``due``: "no food from 06:00 to
    09:00", "no food from 23:00 the day before to 08:00", "give with food"."""
    if rule.kind is FoodRuleKind.WITH_FOOD:
        return "give with food"
    window = food_window(rule)
    if window is None:
        return ""
    before, after = window
    due = to_utc(due)
    day = due.astimezone(zone).date()

    def clock(moment: datetime) -> str:
        local = moment.astimezone(zone)
        text = f"{local:%H:%M}"
        if local.date() < day:
            text += " the day before"
        elif local.date() > day:
            text += " the next day"
        return text

    if before and after:
        return f"no food from {clock(due - before)} to {clock(due + after)}"
    if before:
        return f"no food from {clock(due - before)} until the dose"
    return f"no food until {clock(due + after)}"


def slot_flags(medicine: Medicine, version: MedicineVersion, due: datetime,
               zone: ZoneInfo) -> str:
    """DO NOT CRUSH, the tube flush and the food rule as clock times for a dose due at
    ``due``: what every row of that medicine says."""
    parts = []
    if version.do_not_crush:
        parts.append("DO NOT CRUSH")
    if version.flush_ml:
        parts.append(f"flush {version.flush_ml} mL before and after")
    food = food_times(medicine.food_rule, due, zone)
    if food:
        parts.append(food)
    return " · ".join(parts)


def dose_flags(status: DoseStatus, zone: ZoneInfo) -> str:
    """What must be seen on the dose's own row: its place in a course ("Cycle 3, day 5 of
    10", "Step 2 of 2"), DO NOT CRUSH, the tube flush, the food rule as clock times, and
    the note of a dose recorded as not given."""
    occ = status.occurrence
    parts = []
    if occ.label:
        parts.append(occ.label[0].upper() + occ.label[1:])
    flags = slot_flags(status.medicine, occ.version, occ.due, zone)
    if flags:
        parts.append(flags)
    entry = status.effective
    if status.state is DoseState.SKIPPED and entry is not None and entry.note.strip():
        parts.append(f"Not given: {' '.join(entry.note.split())}")
    return " · ".join(parts)


def own_instructions(medicine: Medicine) -> str:
    """The medicine's own words (the food rule's note, then its instructions), whole: what
    "How to give" says once a day, the flags being on each dose's row."""
    parts = [" ".join(t.split()).rstrip(".") for t in (medicine.food_rule.note,
                                                        medicine.instructions)]
    parts = [p for p in parts if p]
    return ". ".join(parts) + "." if parts else ""


def _times(times: Sequence) -> str:
    parts = [f"{t:%H:%M}" for t in times]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def schedule_text(regimen, today: date) -> str:
    """The schedule in words from ``today`` on, dates written "28 Nov 2026": dose steps
    that have ended are history and are left out (the last one stays when all have)."""
    if not isinstance(regimen, StepsRegimen):
        return describe_regimen(regimen)
    steps = [s for s in regimen.steps if s.end is None or s.end >= today] or \
        [regimen.steps[-1]]
    parts = []
    for step in steps:
        if step.start > today:
            start = f" from {short_date(step.start)}"
        elif step is not regimen.steps[0]:  # a later step, in force now
            start = f" since {short_date(step.start)}"
        else:
            start = ""
        until = f" until {short_date(step.end)}" if step.end else ""
        parts.append(f"{step.dose.describe()} at {_times(step.times)}{start}{until}")
    return "; then ".join(parts)


def current_dose(version: MedicineVersion, day: date) -> Dose:
    """The dose given on ``day``: a dose step's own amount, else the version's."""
    if isinstance(version.regimen, StepsRegimen):
        found = version.regimen.step_on(day)
        if found is not None:
            return found[1].dose
    return version.dose


def _name_strength(medicine: Medicine, version: MedicineVersion) -> tuple[str, str]:
    return medicine.name, version.strength


# ---- Regimen version


def regimen_version(medicines: Iterable[Medicine], start: datetime, end: datetime, *,
                    allergies: str = "") -> str:
    """A 6-character code for everything that decides the doses due in ``[start, end)``.

    It covers each medicine's name, instructions, food rule, dates, the versions
    (dose, form, route, strength, schedule) in force on those days, its status then
    and its changes during the period, and cycle delays; and ``allergies`` (the
    sheet's allergy line), so a sheet printed before an allergy was added is seen to be
    out of date. Two sheets with the same code were printed from the same plan.
    """
    start, end = to_utc(start), to_utc(end)
    first_day, last_day = start.date() - timedelta(days=1), end.date() + timedelta(days=1)
    plan = []
    for medicine in sorted(medicines, key=lambda m: (m.id or 0, m.name)):
        versions = [
            _version_dict(v) for v, lo, hi in medicine.version_windows()
            if lo <= last_day and (hi is None or hi > first_day)
        ]
        if not versions:
            continue
        plan.append({
            "id": medicine.id, "name": medicine.name, "purpose": medicine.purpose,
            "instructions": medicine.instructions, "given_by": medicine.given_by.value,
            "food": [medicine.food_rule.kind.value, medicine.food_rule.before_minutes,
                     medicine.food_rule.after_minutes, medicine.food_rule.note],
            "start": medicine.start_date.isoformat(),
            "end": medicine.end_date.isoformat() if medicine.end_date else None,
            "versions": versions,
            "status": medicine.status_at(start).value,
            "changes": [[to_utc(c.at).isoformat(), c.status.value]
                        for c in medicine.status_history if start <= to_utc(c.at) < end],
            "shifts": [[s.from_date.isoformat(), s.days, s.carry]
                       for s in medicine.active_cycle_shifts()],
        })
    if allergies:
        plan.append({"allergies": " ".join(allergies.split())})
    digest = hashlib.sha256(json.dumps(plan, sort_keys=True).encode()).hexdigest()
    return digest[:6].upper()


def _version_dict(v: MedicineVersion) -> dict[str, object]:
    return {"from": v.valid_from.isoformat(), "strength": v.strength, "form": v.form.value,
            "route": v.route.value, "dose": [v.dose.amount, v.dose.unit],
            "regimen": regimen_to_dict(v.regimen), "crush": v.do_not_crush,
            "flush": v.flush_ml}


# ---- Daily checklist


_CHECKLIST_COLUMNS = (  # widths: "riluzole (Rilutek) 50 mg" and "5 mL liquid / oral" on a line
    Column("Due", 0.45),
    Column("Medicine and strength", 1.61),
    Column("Dose and form", 1.04),
    Column("Route", 0.82),
    Column("Given", 0.46, center=True),
    Column("Time", 0.46, center=True),
    Column("Initials", 0.54, center=True),
)


def _recorded_cells(status: DoseStatus, context: PrintContext) -> tuple[Cell, Cell, Cell]:
    """The Given / Time given / Initials cells: empty boxes, or what was recorded."""
    entry = status.effective
    clinic = status.medicine.given_by is GivenBy.CLINIC
    if status.state is DoseState.GIVEN and entry is not None and entry.given_at is not None:
        given = to_utc(entry.given_at).astimezone(context.zone)
        when = f"{given:%H:%M}"
        if given.date() != status.occurrence.local.date():
            when += f"\n{given.day} {given:%b}"
        who = context.initials(entry.caregiver_id) or ("clinic" if clinic else "")
        return (Cell("Given", bold=True, center=True), Cell(when, center=True),
                Cell(who, center=True))
    if status.state is DoseState.SKIPPED and entry is not None and entry.skip_reason:
        reason = entry.skip_reason
        return (Cell(reason.code, sub="not given", bold=True, center=True),
                Cell("—", center=True),
                Cell(context.initials(entry.recorded_by_id), center=True))
    return Cell(box=True, center=True), Cell(), Cell()


def _dose_row(status: DoseStatus, context: PrintContext) -> Row:
    occ = status.occurrence
    version = occ.version
    name, strength = _name_strength(status.medicine, version)
    return Row(
        cells=(
            Cell(f"{occ.local:%H:%M}", bold=True),
            Cell(f"{name} {strength}".strip(), bold=True),
            Cell(dose_and_form(occ.dose, occ.form, sep=" ")),
            Cell(occ.route.label),
            *_recorded_cells(status, context),
        ),
        detail=dose_flags(status, context.zone),
        min_height=WRITING_ROOM,
    )


def _how_to_give(statuses: Sequence[DoseStatus]) -> list[Block]:
    """Each medicine's own instructions, whole, once (in the order of its first dose)."""
    items, seen = [], set()
    for status in statuses:
        medicine = status.medicine
        text = own_instructions(medicine)
        if medicine.id in seen or not text:
            continue
        seen.add(medicine.id)
        items.append((f"{medicine.name}:", text))
    return [Entries("How to give", tuple(items))] if items else []


def _prn_limits(prn, *, short: bool = False) -> str:
    """"As needed, at least 4 hours apart, no more than 3 in 24 hours (any 24 hours, not
    midnight to midnight)"; ``short`` leaves out "As needed" (said by the title)."""
    medicine = prn.medicine
    regimen = prn.regimen
    if regimen is None:  # paused now: say so, and the limits of its latest version
        regimen = next((v.regimen for v in reversed(medicine.versions)
                        if isinstance(v.regimen, AsNeededRegimen)), None)
    rules = describe_regimen(regimen) if regimen else "As needed"
    if short and rules.startswith("As needed, "):
        rules = "Give " + rules.removeprefix("As needed, ")
    if regimen is not None and regimen.max_per_24h is not None:
        rules += " (any 24 hours, not midnight to midnight)"
    if not prn.active:
        rules = f"PAUSED: do not give. {rules}"
    return rules


def _prn_blocks(view_prn: Sequence, recorded: Sequence[tuple[datetime, Medicine, DoseEntry]],
                context: PrintContext, *, blank_rows: int, spare_rows: int,
                daily: bool = False, notes: WritingLines | None = None) -> list[Block]:
    """The as-needed protocol (each medicine's purpose, dose, limits and instructions,
    whole) and the log, pre-filled with the doses already recorded; ``blank_rows`` empty
    rows to write in, and up to ``spare_rows`` more while the page has room.

    ``daily``: the protocol as a list beside the log (whose date is the sheet's, and
    whose medicine column goes when there is only one as-needed medicine), with
    ``notes`` under the list; otherwise a table above a dated log (the weekly record),
    then ``notes``."""
    if not view_prn and not recorded:
        return [notes] if notes else []
    blocks: list[Block] = []
    items, rows = [], []
    for prn in view_prn:
        medicine = prn.medicine
        version = medicine.versions[-1]
        how = instructions(medicine, version)
        if daily:
            purpose = medicine.purpose and (
                f"For {medicine.purpose[0].lower()}{medicine.purpose[1:]}".rstrip(".") + ".")
            dose = dose_and_form(version.dose, version.form).replace("\n", " ")
            text = " ".join(p for p in (purpose, f"{dose} {version.route.label}.",
                                        _prn_limits(prn, short=True).rstrip(".") + ".",
                                        how) if p)
            items.append((f"{medicine.name} {version.strength}".strip() + ":", text))
            continue
        rows.append(Row(
            cells=(Cell(medicine.name, sub=version.strength, bold=True),
                   Cell(medicine.purpose or "—"),
                   Cell(f"{dose_and_form(version.dose, version.form)}\n"
                        f"{version.route.label}"),
                   Cell(_prn_limits(prn))),
            detail=how))
    title = "As needed (PRN): only for the reason written, within the limits"
    if rows:
        blocks.append(Table(
            title=title,
            columns=(Column("Medicine", 1.55), Column("What it is for", 1.5),
                     Column("Dose", 1.1), Column("Limits", 2.65)),
            rows=tuple(rows), detail_span=(0, 4)))
    ids = {p.medicine.id for p in view_prn} | {m.id for _, m, _ in recorded}
    named = not daily or len(ids) > 1
    log = []
    for moment, medicine, entry in recorded:
        local = to_utc(moment).astimezone(context.zone)
        cells = [Cell(f"{local:%H:%M}"), Cell(medicine.name),
                 Cell(entry.amount.describe() if entry.amount else ""),
                 Cell(entry.note or entry.override_reason), Cell(""),
                 Cell(context.initials(entry.caregiver_id))]
        if not named:
            del cells[1]
        if not daily:
            cells.insert(0, Cell(f"{local.day} {local:%b}"))
        log.append(Row(cells=tuple(cells), min_height=WRITING_ROOM))
    columns = [Column("Time", 0.8), Column("Medicine", 1.5), Column("Amount", 1.15),
               Column("Reason or symptom", 1.6), Column("Effect (check later)", 1.4),
               Column("Initials", 1.05)]
    if not named:
        del columns[1]
    if not daily:
        columns.insert(0, Column("Date", 0.8))
    log.extend(Row(cells=tuple(Cell() for _ in columns), min_height=WRITING_ROOM)
               for _ in range(blank_rows + spare_rows))
    log_table = Table(title="As-needed log", columns=tuple(columns), rows=tuple(log),
                      spare_rows=spare_rows)
    if items:
        left: tuple = (Entries("As needed (PRN)", tuple(items)), *([notes] if notes else []))
        return [Columns(parts=(left, (log_table,)), weights=(0.72, 1.0))]
    if notes:  # notes beside the log (a landscape page is wide)
        return [*blocks, Columns(parts=((log_table,), (notes,)), weights=(1.9, 1.0),
                                 keep_together=False)]
    return [*blocks, log_table]


def _prn_recorded(days: Sequence[DayView]) -> list[tuple[datetime, Medicine, DoseEntry]]:
    found = []
    for view in days:
        for extra in view.extra:
            entry = extra.chain.effective
            if extra.chain.key is None and entry is not None and entry.given_at:
                found.append((entry.given_at, extra.medicine, entry))
    return found


def _orphans_table(view: DayView, context: PrintContext) -> list[Block]:
    rows = []
    for extra in view.extra:
        entry = extra.chain.effective
        if not extra.orphan or entry is None:
            continue
        what = ("given" if entry.kind is EntryKind.GIVEN
                else f"not given ({entry.skip_reason.label})" if entry.skip_reason else "")
        if entry.note.strip():
            what += f": {' '.join(entry.note.split())}" if what else entry.note
        rows.append(Row(cells=(
            Cell(_clock(extra.at, context.zone)), Cell(extra.medicine.name, bold=True),
            Cell(entry.amount.describe() if entry.amount else ""), Cell(what),
            Cell(context.initials(entry.caregiver_id or entry.recorded_by_id)))))
    if not rows:
        return []
    return [Table(
        title="Also recorded this day (no longer on the schedule)",
        columns=(Column("Time", 0.7), Column("Medicine", 2.2), Column("Amount", 1.1),
                 Column("Recorded", 2.2), Column("Initials", 0.8)),
        rows=tuple(rows))]


def _agenda_table(items: Sequence[AgendaItem], context: PrintContext) -> list[Block]:
    if not items:
        return []
    return [Table(
        title="Appointments",
        columns=(Column("Time", 0.7), Column("What", 2.6), Column("With whom, where", 3.7)),
        rows=tuple(Row(cells=(Cell(_clock(a.start, context.zone), bold=True),
                              Cell(a.title, bold=True), Cell(a.detail)))
                   for a in sorted(items, key=lambda a: to_utc(a.start))))]


def checklist_section(view: DayView, context: PrintContext, *,
                      appointments: Sequence[AgendaItem] = ()) -> Section:
    """One day of the daily checklist."""
    home = [s for s in view.doses if s.medicine.given_by is not GivenBy.CLINIC]
    clinic = [s for s in view.doses if s.medicine.given_by is GivenBy.CLINIC]
    blocks: list[Block] = [Table(
        title="Doses to give",
        note=initials_line(context),
        columns=_CHECKLIST_COLUMNS,
        rows=tuple(_dose_row(s, context) for s in home),
        detail_span=(0, 4),
        empty="No doses are due at home on this day.")]
    if clinic:
        blocks.append(Table(
            title="Given at the clinic",
            note="Tick when the clinic has given it, with the time and who gave it.",
            columns=(*_CHECKLIST_COLUMNS[:6], Column("Given by", 0.7, center=True)),
            rows=tuple(_dose_row(s, context) for s in clinic),
            detail_span=(0, 4)))
    blocks.extend(_how_to_give([*home, *clinic]))
    shown = {f"{s.medicine.id}:{s.occurrence.key}" for s in clinic}
    blocks.extend(_agenda_table([a for a in appointments if a.dose_key not in shown],
                                context))
    blocks.extend(_orphans_table(view, context))
    notes = WritingLines("Notes: why not given, side effects", 3)
    blocks.extend(_prn_blocks(view.as_needed, _prn_recorded([view]), context,
                              blank_rows=PRN_LOG_ROWS, spare_rows=PRN_LOG_SPARE, daily=True,
                              notes=notes))
    return Section(_header("Daily medication checklist", long_date(view.day), context,
                           short=f"{view.day:%a} {view.day.day} {view.day:%b}"),
                   tuple(blocks))


def daily_checklist(days: Sequence[DayView], context: PrintContext, *, version: str,
                    appointments: Mapping[date, Sequence[AgendaItem]] | None = None
                    ) -> Document:
    """One section per day, in date order."""
    appointments = appointments or {}
    sections = tuple(checklist_section(v, context, appointments=appointments.get(v.day, ()))
                     for v in sorted(days, key=lambda v: v.day))
    title = "Daily medication checklist"
    if days:
        first, last = min(v.day for v in days), max(v.day for v in days)
        title += f" {first.isoformat()}" + (f" to {last.isoformat()}" if last != first else "")
    return Document(title=title, sections=sections, footer=_footer(context, rules=True),
                    stamp=_stamp(context, version))


# ---- Weekly record


def _week_cell(status: DoseStatus | None, row_dose: str, context: PrintContext,
               off: bool) -> Cell:
    if status is None:
        return Cell("off" if off else "–", shaded=True, center=True)
    entry = status.effective
    dose = status.occurrence.dose.describe()
    sub = dose if dose != row_dose else ""
    if status.medicine.given_by is GivenBy.CLINIC:
        sub = (sub + "\n" if sub else "") + "at clinic"
    if status.state is DoseState.GIVEN and entry is not None and entry.given_at:
        who = context.initials(entry.caregiver_id) or (
            "clinic" if status.medicine.given_by is GivenBy.CLINIC else "")
        given = to_utc(entry.given_at).astimezone(context.zone)
        if given.date() != status.occurrence.local.date():  # given on another day
            sub = "\n".join(p for p in (f"on {given.day} {given:%b}", sub) if p)
        return Cell(f"{who} {given:%H:%M}".strip(), center=True, sub=sub)
    if status.state is DoseState.SKIPPED and entry is not None and entry.skip_reason:
        who = context.initials(entry.recorded_by_id)
        return Cell(f"{entry.skip_reason.code} {who}".strip(), bold=True, center=True,
                    sub=sub)
    return Cell(box=True, center=True, sub=sub)


def weekly_section(days: Sequence[DayView], context: PrintContext) -> Section:
    """Seven (or fewer) days side by side."""
    days = sorted(days, key=lambda v: v.day)
    index = {v.day: i for i, v in enumerate(days)}
    slots: dict[tuple[int | None, str], list[DoseStatus | None]] = {}
    meds: dict[int | None, Medicine] = {}
    first_time: dict[int | None, str] = {}
    for view in days:
        for status in view.doses:
            slot = f"{status.occurrence.nominal:%H:%M}"
            key = (status.medicine.id, slot)
            slots.setdefault(key, [None] * len(days))[index[view.day]] = status
            meds[status.medicine.id] = status.medicine
            first_time[status.medicine.id] = min(first_time.get(status.medicine.id, slot),
                                                 slot)
    order = sorted(slots, key=lambda k: (meds[k[0]].given_by is GivenBy.CLINIC,
                                         first_time[k[0]], meds[k[0]].name.casefold(), k[1]))
    rows = []
    for medicine_id, slot in order:
        medicine = meds[medicine_id]
        statuses = slots[(medicine_id, slot)]
        present = [s for s in statuses if s is not None]
        doses = {s.occurrence.dose.describe() for s in present}
        version = present[-1].occurrence.version
        row_dose = doses.pop() if len(doses) == 1 else ""
        sub = " · ".join(p for p in (version.strength, row_dose, version.route.label) if p)
        cells = [Cell(medicine.name, sub=sub, bold=True), Cell(slot, bold=True)]
        for view, status in zip(days, statuses, strict=True):
            v = medicine.version_on(view.day)
            off = v is not None and isinstance(v.regimen, CycleRegimen)
            cells.append(_week_cell(status, row_dose, context, off))
        rows.append(Row(cells=tuple(cells),
                        detail=slot_flags(medicine, version, present[-1].occurrence.due,
                                          context.zone),
                        min_height=WRITING_ROOM + 6))
    columns = (Column("Medicine", 2.6), Column("Time", 0.62, center=True),
               *(Column(f"{v.day:%a} {v.day.day} {v.day:%b}", 0.9, center=True)
                 for v in days))
    blocks: list[Block] = [Table(
        title="Doses due",
        note="White box: initials and time when given, or a code and initials. Grey: "
             "nothing due (off = a day off in the cycle).",
        columns=columns, rows=tuple(rows), detail_span=(0, 2),
        empty="No doses are due in these days.")]
    blocks.append(_caregivers_table(context))
    prn: dict[int | None, object] = {}
    for view in days:
        for status in view.as_needed:
            prn[status.medicine.id] = status
    blocks.extend(_prn_blocks(list(prn.values()), _prn_recorded(days), context,
                              blank_rows=PRN_LOG_ROWS + 1, spare_rows=2 * PRN_LOG_SPARE,
                              notes=WritingLines("Notes: why not given, side effects", 3)))
    period = f"Week from {days[0].day:%a} {short_date(days[0].day)}" if days else ""
    short = f"Week from {days[0].day:%a} {days[0].day.day} {days[0].day:%b}" if days else ""
    return Section(_header("Weekly medication record", period, context, short=short),
                   tuple(blocks))


def _caregivers_table(context: PrintContext) -> Table:
    people = sorted((c for c in context.caregivers.values() if c.active),
                    key=lambda c: c.name.casefold())
    per_row = 3
    cells = [(Cell(c.name), Cell(c.initials, bold=True), Cell()) for c in people]
    blank = 1 + (-(len(people) + 1)) % per_row  # at least one, to fill the last row
    cells.extend((Cell(), Cell(), Cell()) for _ in range(blank))
    rows = [Row(cells=tuple(c for person in cells[i:i + per_row] for c in person),
                min_height=WRITING_ROOM) for i in range(0, len(cells), per_row)]
    person = (Column("Name", 1.9), Column("Initials", 1.15), Column("Signature", 1.95))
    return Table(title="Who signs this record", columns=person * per_row,
                 rows=tuple(rows), keep_together=True)


def weekly_record(days: Sequence[DayView], context: PrintContext, *, version: str) -> Document:
    """Weeks of seven days, one section per week, landscape."""
    days = sorted(days, key=lambda v: v.day)
    sections = tuple(weekly_section(days[i:i + 7], context) for i in range(0, len(days), 7))
    title = "Weekly medication record"
    if days:
        title += f" {days[0].day.isoformat()}"
    return Document(title=title, sections=sections, landscape=True,
                    footer=_footer(context, rules=True),
                    stamp=_stamp(context, version))


# ---- Medicine list


def medicine_list(medicines: Sequence[Medicine], context: PrintContext, *, version: str
                  ) -> Document:
    """Current medicines and those stopped in the last 90 days, for a clinic visit."""
    now = to_utc(context.printed_at)
    today = now.astimezone(context.zone).date()
    current, stopped = [], []
    for medicine in sorted(medicines, key=lambda m: m.name.casefold()):
        latest = medicine.status_change_at(now)
        ended = medicine.end_date is not None and medicine.end_date < today
        if latest is not None and latest.status is MedicineStatus.STOPPED:
            if now - to_utc(latest.at) <= RECENTLY_STOPPED:
                stopped.append((medicine, to_utc(latest.at).astimezone(context.zone).date(),
                                latest.reason))
        elif ended:
            assert medicine.end_date is not None
            if today - medicine.end_date <= RECENTLY_STOPPED:
                stopped.append((medicine, medicine.end_date, "Course finished"))
        else:
            current.append(medicine)

    rows = []
    for medicine in current:
        version_now = medicine.current_version(today)
        notes = []
        status = medicine.status_change_at(now)
        if status is not None and status.status is MedicineStatus.PAUSED:
            since = to_utc(status.at).astimezone(context.zone).date()
            notes.append(f"PAUSED since {short_date(since)}"
                         + (f": {status.reason}" if status.reason else ""))
        if medicine.given_by is GivenBy.CLINIC:
            notes.append("Given at the clinic")
        if medicine.start_date > today:
            notes.append(f"Starts {short_date(medicine.start_date)}")
        if medicine.end_date:
            notes.append(f"Until {short_date(medicine.end_date)}")
        if medicine.review_date:
            notes.append(f"Review {short_date(medicine.review_date)}")
        detail = instructions(medicine, version_now)
        detail = ". ".join([*notes, detail] if detail else notes)
        prescriber = context.contact_names.get(medicine.prescriber_id, "") \
            if medicine.prescriber_id is not None else ""
        dose = current_dose(version_now, today)
        rows.append(Row(
            cells=(Cell(medicine.name, sub=f"{version_now.strength} {version_now.form.label}"
                        .strip(), bold=True),
                   Cell(dose.describe(), sub=version_now.route.label),
                   Cell(schedule_text(version_now.regimen, today)),
                   Cell(medicine.purpose or "—"),
                   Cell(prescriber or "—"),
                   Cell(short_date(medicine.start_date))),
            detail=detail))
    blocks: list[Block] = [Paragraph(
        "What ALS Care Companion records. Please check it against the labels, and tell the "
        "care team about anything else taken, including vitamins and remedies bought "
        "without a prescription."), Table(
        title="Current medicines",
        columns=(Column("Medicine", 1.6), Column("Dose and route", 1.15), Column("When", 1.85),
                 Column("What it is for", 1.3), Column("Prescriber", 1.25),
                 Column("Started", 0.95)),
        rows=tuple(rows), detail_span=(0, 6),
        empty="No medicines are recorded.")]
    stopped_rows = tuple(
        Row(cells=(Cell(m.name, bold=True),
                   Cell(m.versions[-1].dose.describe() + f" ({m.versions[-1].strength})"
                        if m.versions[-1].strength else m.versions[-1].dose.describe()),
                   Cell(short_date(day)), Cell(reason or "—")))
        for m, day, reason in sorted(stopped, key=lambda s: s[1], reverse=True))
    blocks.append(Table(
        title="Stopped in the last 90 days",
        columns=(Column("Medicine", 1.8), Column("Last dose", 1.3), Column("Stopped on", 1.1),
                 Column("Why", 2.8)),
        rows=stopped_rows, empty="None stopped in the last 90 days."))
    blocks.append(WritingLines("Changes made at this visit", 2, optional=True))
    header = _header("Medicine list", f"As of {short_date(today)}", context)
    return Document(title=f"Medicine list {today.isoformat()}",
                    sections=(Section(header, tuple(blocks)),),
                    footer=_footer(context), stamp=_stamp(context, version))


# ---- Care-team sheet


_BLANK_ROLES = ("Emergency", "Neurologist", "ALS clinic nurse", "After hours (clinic)",
                "Pharmacy", "Primary care doctor", "Home health", "Equipment supplier",
                "Family or friend")


def _team_row(entry: TeamEntry) -> Row:
    """Who (the role only when the name does not say it), the numbers to call in big type
    with a fax and the email small under them, what to call for and the hours."""
    name = entry.name.casefold()
    who = [p for p in (entry.role, entry.organisation) if p and p.casefold() not in name]
    calls = tuple((p.label, p.number.replace(" ", NBSP)) for p in entry.phones
                  if getattr(p, "can_call", True))
    faxes = [f"{p.label} {p.number.replace(' ', NBSP)} (not a phone)" for p in entry.phones
             if not getattr(p, "can_call", True)]
    small = [entry.office_hours and f"Hours: {entry.office_hours}", *faxes, entry.email]
    return Row(cells=(Cell(entry.name, sub=" · ".join(who), bold=True, big=True),
                      Cell("" if calls or faxes else "—", labelled=calls, big=True,
                           after="\n".join(p for p in small if p)),
                      Cell(entry.call_for)))


def care_team_sheet(groups: Sequence[TeamGroup], context: PrintContext) -> Document:
    """For the fridge door: the emergency number, call-first contacts, then everyone by
    role, big numbers to call (faxes small, apart).

    With nobody on the care team yet, a form to fill in by hand."""
    columns = (Column("Who", 1.6), Column("Phone", 2.2), Column("Call them for", 1.7))
    blocks: list[Block] = [
        Paragraph(f"In an emergency, call {emergency_text(context)} first", huge=True,
                  boxed=True),
        WritingLines("Our address and the nearest cross street (for the ambulance)", 2,
                     spacing=26, fill=False)]
    first = [e for g in groups if g.emergency for e in g.entries]
    others = [e for g in groups if not g.emergency for e in g.entries]
    if first:
        blocks.append(Table(title="CALL FIRST", note="Then these, from the top",
                            columns=columns, rows=tuple(_team_row(e) for e in first)))
    if others:
        blocks.append(Table(title="Care team" if first else "", columns=columns,
                            rows=tuple(_team_row(e) for e in others)))
    if not groups:
        blocks.append(Table(
            title="Fill in by hand (or add the care team in the app and print again)",
            columns=columns,
            rows=tuple(Row(cells=(Cell(role, bold=True, big=True), Cell(), Cell()),
                           min_height=46) for role in _BLANK_ROLES)))
    today = to_utc(context.printed_at).astimezone(context.zone).date()
    header = _header("Care team", f"As of {short_date(today)}", context)
    return Document(title="Care team", sections=(Section(header, tuple(blocks)),),
                    stamp=_stamp(context, ""))


__all__ = [
    "RULES",
    "AgendaItem",
    "PrintContext",
    "allergy_line",
    "care_team_footer",
    "care_team_sheet",
    "checklist_section",
    "daily_checklist",
    "dose_flags",
    "emergency_text",
    "food_times",
    "initials_line",
    "instructions",
    "long_date",
    "medicine_list",
    "own_instructions",
    "regimen_version",
    "schedule_text",
    "short_date",
    "skip_codes_text",
    "slot_flags",
    "weekly_record",
    "weekly_section",
]
