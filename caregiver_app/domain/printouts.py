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
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.as_needed import PrnStatus
from caregiver_app.domain.careteam_sheet import emergency_lines, emergency_number, name_with_role
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.dayview import DayView
from caregiver_app.domain.doses import DoseEntry, DoseState, DoseStatus, EntryKind
from caregiver_app.domain.localtime import describe_day, long_date, to_utc, weekday_date
from caregiver_app.domain.marks import (
    CycleNow,
    HeldDose,
    HoldKind,
    Mark,
    clock_note,
    cycle_now,
    dose_marks,
    held_doses,
    period_stock_note,
    prescriber_line,
    prn_rows,
    started_on,
    stock_note,
)
from caregiver_app.domain.medicines import GivenBy, Medicine, MedicineVersion, describe_food_rule
from caregiver_app.domain.paper import (
    Block,
    Cell,
    Column,
    Document,
    Entries,
    PageHeader,
    Paragraph,
    Row,
    Section,
    Table,
    WritingLines,
    isolated,
)
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.phones import PhoneKind, format_phone
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    Regimen,
    StepsRegimen,
    describe_regimen,
    regimen_to_dict,
)
from caregiver_app.domain.schedule import Occurrence
from caregiver_app.domain.supply import SupplyForecast
from caregiver_app.domain.today import food_window
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, MedicineStatus, SkipReason

#: Stopped medicines stay on the medicine list this long.
RECENTLY_STOPPED = timedelta(days=90)
NBSP = "\u00a0"  # keeps a phone number on one line
#: Points of room to write by hand in a row.
WRITING_ROOM = 26.0
#: A row of a week's as-needed log (7.8 mm, a wide-ruled line).
LOG_ROOM = 22.0

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
    #: Stock and the bottle in use, by medicine id (forecast at ``printed_at``).
    supplies: Mapping[int, SupplyForecast] = field(default_factory=dict)
    #: The next due dose of a medicine given now and then (a clinic dose), by id.
    next_doses: Mapping[int, Occurrence] = field(default_factory=dict)
    #: Whether an as-needed dose helped ("better", "same", "worse"), by dose entry id: the
    #: as-needed log's Effect column (How things are going).
    effects: Mapping[int, str] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return to_utc(self.printed_at).astimezone(self.zone).date()

    def prescriber(self, medicine: Medicine) -> str:
        """The prescriber's name as the care team has it ("" when not recorded)."""
        if medicine.prescriber_id is None:
            return ""
        return self.contact_names.get(medicine.prescriber_id, "")

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


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    return f"{to_utc(moment).astimezone(zone):%H:%M}"


#: A line to write on by hand, kept whole on one line.
BLANK = "\u00a0" + "_" * 14


def _patient_line(patient: Patient | None, today: date) -> str:
    """"Margaret Example · born 12 Apr 1965 (age 61) · weight 58.5 kg"; a date of birth
    not recorded is a blank to fill in (an age is no substitute)."""
    if patient is None:
        return (f"Patient:{BLANK}{BLANK} · born{BLANK} (no profile yet: File ▸ Patient "
                "profile)")
    parts = [isolated(patient.full_name)]
    if patient.date_of_birth:
        born = patient.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        parts.append(f"born {describe_day(born)} (age {age})")
    else:
        parts.append(f"born{BLANK}")
    if patient.weight_text():
        parts.append(f"weight {patient.weight_text()}")
    return " · ".join(parts)


def allergy_line(patient: Patient | None) -> str:
    """Never blank: the allergies with reactions, "No known allergies", or a warning."""
    if patient is not None and patient.allergy_status is AllergyStatus.NONE_KNOWN:
        return "No known allergies"
    if (patient is not None and patient.allergy_status is AllergyStatus.HAS_ALLERGIES
            and patient.allergies):
        listed = "; ".join(
            isolated(a.substance) + (f" ({isolated(a.reaction)})" if a.reaction else "")
            for a in patient.allergies)
        return f"ALLERGIES: {listed}"
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
    return "Initials: " + ", ".join(f"{c.initials} = {isolated(c.name)}" for c in people)


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
    text = f"Printed {describe_day(printed.date())} {printed:%H:%M}"
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
        parts.append(f"Not given: {isolated(' '.join(entry.note.split()))}")
    return " · ".join(parts)


def own_instructions(medicine: Medicine) -> str:
    """The medicine's own words (the food rule's note, then its instructions), whole: what
    "How to give" says once a day, the flags being on each dose's row."""
    parts = [isolated(" ".join(t.split()).rstrip(".")) for t in (medicine.food_rule.note,
                                                                  medicine.instructions)]
    parts = [p for p in parts if p]
    return ". ".join(parts) + "." if parts else ""


def _times(times: Sequence[time]) -> str:
    parts = [f"{t:%H:%M}" for t in times]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def schedule_text(regimen: Regimen, today: date, *, medicine: Medicine | None = None,
                  next_dose: Occurrence | None = None) -> str:
    """The schedule in words from ``today`` on, dates written "28 Nov 2026": dose steps
    that have ended are history and are left out (the last one stays when all have); a
    cycle course says which cycle it is in now (with ``medicine``, after its delays);
    with ``next_dose``, the date of the next dose (a clinic dose)."""
    if isinstance(regimen, CycleRegimen) and medicine is not None:
        now = cycle_now(medicine, regimen, today)
        if now is not None:
            return _cycle_text(regimen, now, today)
    if not isinstance(regimen, StepsRegimen):
        text = describe_regimen(regimen)
        if next_dose is not None:
            local = next_dose.local
            label = f" ({next_dose.label})" if next_dose.label else ""
            text += f". Next: {describe_day(local.date())}{label}"
        return text
    steps = [s for s in regimen.steps if s.end is None or s.end >= today] or \
        [regimen.steps[-1]]
    parts = []
    for step in steps:
        if step.start > today:
            start = f" from {describe_day(step.start)}"
        elif step is not regimen.steps[0]:  # a later step, in force now
            start = f" since {describe_day(step.start)}"
        else:
            start = ""
        until = f" until {describe_day(step.end)}" if step.end else ""
        parts.append(f"{step.dose.describe()} at {_times(step.times)}{start}{until}")
    return "; then ".join(parts)


def _cycle_text(regimen: CycleRegimen, now: CycleNow, today: date) -> str:
    """"Cycle 3: 10 doses, 20 Nov to 30 Nov 2026; cycle 4 from 18 Dec 2026. At 07:00"."""
    at = f"At {_times(regimen.times)}"
    if now.paused_since is not None:
        return f"Cycle {now.number} paused since {describe_day(now.paused_since)}. {at}"
    doses = f"{now.doses} dose" + ("s" if now.doses != 1 else "")
    span = (f"{describe_day(now.first, year=False)} to {describe_day(now.last)}" if now.doses > 1
            else describe_day(now.first))
    if now.last < today:
        text = f"Cycle {now.number}: doses ended {describe_day(now.last)}"
    else:
        text = f"Cycle {now.number}: {doses}, {span}"
    if now.next_start is not None:
        text += f"; cycle {now.number + 1} from {describe_day(now.next_start)}"
    return f"{text}. {at}"


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
    Column("Medicine and strength", 1.55),
    Column("Dose and form", 0.98),
    Column("Route", 0.78),
    Column("Given", 0.62, center=True),  # "MISSED" on one line
    Column("Time", 0.46, center=True),
    Column("Initials", 0.54, center=True),
)
#: The columns a dose row's flags and marks run under: never the Due column, so scanning
#: it down reads only due times.
_DETAIL_SPAN = (1, 4)


def _recorded_cells(status: DoseStatus, context: PrintContext) -> tuple[Cell, Cell, Cell]:
    """The Given / Time given / Initials cells: empty boxes, what was recorded, or on a
    past dose that nobody recorded, MISSED (never an empty box, which means "to do")."""
    entry = status.effective
    clinic = status.medicine.given_by is GivenBy.CLINIC
    if status.state is DoseState.GIVEN and entry is not None and entry.given_at is not None:
        given = to_utc(entry.given_at).astimezone(context.zone)
        when = f"{given:%H:%M}"
        if given.date() != status.occurrence.local.date():
            when += f"\n{describe_day(given, year=False)}"
        who = context.initials(entry.caregiver_id) or ("clinic" if clinic else "")
        return (Cell("Given", bold=True, center=True), Cell(when, center=True),
                Cell(who, center=True))
    if status.state is DoseState.SKIPPED and entry is not None and entry.skip_reason:
        reason = entry.skip_reason
        return (Cell(reason.code, sub="not given", bold=True, center=True),
                Cell("—", center=True),
                Cell(context.initials(entry.recorded_by_id), center=True))
    if status.state is DoseState.MISSED:
        return (Cell("MISSED", sub="not recorded", bold=True, center=True),
                Cell("—", center=True), Cell("—", center=True))
    return Cell(box=True, center=True), Cell(), Cell()


def _name_cell(medicine: Medicine, version: MedicineVersion) -> Cell:
    name = isolated(medicine.name)
    strength = isolated(version.strength)
    return Cell(f"{name} {strength}".strip(), bold=True)


def _marks_text(status: DoseStatus, day_doses: Sequence[Occurrence], zone: ZoneInfo) -> str:
    """The bold lead of a dose's detail: NEW / DOSE CHANGED / LAST DOSE and a clock
    change, each with what it means."""
    occ = status.occurrence
    parts = [m.describe() for m in dose_marks(status.medicine, occ, day_doses, zone)]
    moved = clock_note(occ, zone)
    if moved:
        parts.append(moved)
    return ". ".join(parts) + "." if parts else ""


def _due_cell(occ: Occurrence, zone: ZoneInfo) -> Cell:
    """The time the dose is due; when the clocks moved it, also the time it stands for."""
    local = to_utc(occ.due).astimezone(zone)
    moved = (local.hour, local.minute) != (occ.nominal.hour, occ.nominal.minute)
    return Cell(f"{local:%H:%M}", bold=True,
                sub=f"for {occ.nominal:%H:%M}" if moved else "")


def _dose_row(status: DoseStatus, context: PrintContext,
              day_doses: Sequence[Occurrence] = ()) -> Row:
    occ = status.occurrence
    return Row(
        cells=(
            _due_cell(occ, context.zone),
            _name_cell(status.medicine, occ.version),
            Cell(dose_and_form(occ.dose, occ.form, sep=" ")),
            Cell(occ.route.label),
            *_recorded_cells(status, context),
        ),
        detail=dose_flags(status, context.zone),
        detail_lead=_marks_text(status, day_doses or (occ,), context.zone),
        min_height=WRITING_ROOM,
    )


def _held_row(held: HeldDose, context: PrintContext) -> Row:
    """A held or stopped dose in its place: HOLD (or STOPPED) where the box would be, the
    dates and the reason under it."""
    occ = held.occurrence
    label = occ.label[0].upper() + occ.label[1:] if occ.label else ""
    return Row(
        cells=(
            _due_cell(occ, context.zone),
            _name_cell(held.medicine, occ.version),
            Cell(dose_and_form(occ.dose, occ.form, sep=" ")),
            Cell(occ.route.label),
            Cell(held.word, bold=True, center=True, shaded=True),
            Cell("—", center=True, shaded=True),
            Cell("—", center=True, shaded=True),
        ),
        detail=label,
        detail_lead=held.describe(),
        min_height=WRITING_ROOM,
    )


def _held_on(medicines: Iterable[Medicine], day: date, zone: ZoneInfo) -> list[HeldDose]:
    found = []
    for medicine in medicines:
        found.extend(held_doses(medicine, day, zone))
    return found


def _dose_rows(statuses: Sequence[DoseStatus], held: Sequence[HeldDose],
               context: PrintContext) -> tuple[Row, ...]:
    """Due and held doses in time order (then by medicine name)."""
    by_medicine: dict[int | None, list[Occurrence]] = {}
    for status in statuses:
        by_medicine.setdefault(status.medicine.id, []).append(status.occurrence)
    rows = [((to_utc(s.occurrence.due), s.medicine.name.casefold()),
             _dose_row(s, context, by_medicine[s.medicine.id])) for s in statuses]
    rows += [((to_utc(h.occurrence.due), h.medicine.name.casefold()), _held_row(h, context))
             for h in held]
    rows.sort(key=lambda r: r[0])
    return tuple(row for _, row in rows)


def _how_to_give(medicines: Sequence[Medicine], day: date,
                 context: PrintContext) -> list[Block]:
    """Who prescribed them, then each medicine's own instructions and its stock or
    bottle note, whole, once (in the order of its first dose)."""
    items = []
    prescribers = prescriber_line(medicines, context.contact_names)
    if prescribers:
        lead, _, text = prescribers.partition(": ")
        items.append((f"{lead}:", text))
    seen: set[int | None] = set()
    for medicine in medicines:
        if medicine.id in seen:
            continue
        seen.add(medicine.id)
        stock = stock_note(context.supplies.get(medicine.id) if medicine.id is not None
                           else None, day, context.today)
        text = " ".join(p for p in (stock and stock + ".", own_instructions(medicine)) if p)
        if text:
            items.append((f"{isolated(medicine.name)}:", text))
    return [Entries("How to give", tuple(items))] if items else []


def _prn_limits(prn: PrnStatus, *, short: bool = False) -> str:
    """"As needed, at least 4 hours apart, no more than 3 in 24 hours (any 24 hours, not
    midnight to midnight)"; ``short`` leaves out "As needed" (said by the title)."""
    regimen = _prn_regimen(prn)
    rules = describe_regimen(regimen) if regimen else "As needed"
    if short and rules.startswith("As needed, "):
        rules = "Give " + rules.removeprefix("As needed, ")
    if regimen is not None and regimen.max_per_24h is not None:
        rules += " (any 24 hours, not midnight to midnight)"
    if not prn.active:
        rules = f"PAUSED: do not give. {rules}"
    return rules


def _prn_regimen(prn: PrnStatus) -> AsNeededRegimen | None:
    """The as-needed limits in force (a paused medicine: those of its latest version)."""
    if prn.regimen is not None:
        return prn.regimen
    return next((v.regimen for v in reversed(prn.medicine.versions)
                 if isinstance(v.regimen, AsNeededRegimen)), None)


#: The as-needed log's columns: reason and effect wide enough to write a few words.
_PRN_LOG_COLUMNS = (Column("Time", 0.75), Column("Amount", 1.1),
                    Column("Reason or symptom", 2.75), Column("Effect (check later)", 2.75),
                    Column("Initials", 0.85))


def _prn_log(title: str, recorded: Sequence[tuple[datetime, Medicine, DoseEntry]],
             context: PrintContext, *, blank_rows: int, spare_rows: int, dated: bool,
             named: bool = False, two_up: bool = False) -> Table:
    """One log: the doses already recorded, then ``blank_rows`` rows to write in and up
    to ``spare_rows`` more while the page has room. ``two_up``: the rows in two halves
    side by side (a week's log on a landscape page), filled down the left half first."""
    columns = list(_PRN_LOG_COLUMNS)
    if named:
        columns.insert(1, Column("Medicine", 2.2))
    if dated:
        columns.insert(0, Column("Date", 0.9))
    entries = []
    for moment, medicine, entry in recorded:
        local = to_utc(moment).astimezone(context.zone)
        cells = [Cell(f"{local:%H:%M}"),
                 Cell(entry.amount.describe() if entry.amount else ""),
                 Cell(isolated(entry.note or entry.override_reason)),
                 Cell(context.effects.get(entry.id, "") if entry.id is not None else ""),
                 Cell(context.initials(entry.caregiver_id))]
        if named:
            cells.insert(1, Cell(isolated(medicine.name)))
        if dated:
            cells.insert(0, Cell(describe_day(local, year=False)))
        entries.append(tuple(cells))
    blank = tuple(Cell() for _ in columns)
    entries.extend(blank for _ in range(blank_rows))
    if two_up:
        half = -(-len(entries) // 2)
        left, right = entries[:half], entries[half:]
        right += [blank] * (half - len(right))
        rows = [Row(cells=a + b, min_height=LOG_ROOM)
                for a, b in zip(left, right, strict=True)]
        return Table(title=title, columns=tuple(columns) * 2, rows=tuple(rows))
    rows = [Row(cells=c, min_height=WRITING_ROOM) for c in entries]
    rows.extend(Row(cells=blank, min_height=WRITING_ROOM) for _ in range(spare_rows))
    return Table(title=title, columns=tuple(columns), rows=tuple(rows),
                 spare_rows=spare_rows)


#: A week's log longer than this is printed two-up (two halves side by side).
TWO_UP_ROWS = 10


def prn_protocol(prn: PrnStatus) -> str:
    """What an as-needed medicine is for, its dose, its limits and its instructions, in
    sentences: "For drooling. 1 tablet by mouth. Give at least 4 hours apart, …"."""
    medicine = prn.medicine
    version = medicine.versions[-1]
    purpose = medicine.purpose and (
        f"For {medicine.purpose[0].lower()}{medicine.purpose[1:]}".rstrip(".") + ".")
    dose = dose_and_form(version.dose, version.form).replace("\n", " ")
    how = instructions(medicine, version)
    return " ".join(p for p in (isolated(purpose), f"{dose} {version.route.label}.",
                                _prn_limits(prn, short=True).rstrip(".") + ".",
                                isolated(how)) if p)


def _prn_blocks(view_prn: Sequence[PrnStatus],
                recorded: Sequence[tuple[datetime, Medicine, DoseEntry]],
                context: PrintContext, *, days: int, daily: bool = False) -> list[Block]:
    """For each as-needed medicine, its log under its protocol (what it is for, the
    dose, the limits and its instructions, whole): as many rows as its limits allow in
    ``days`` days (``marks.prn_rows``), pre-filled with the doses already recorded.
    Doses recorded of other medicines (extra doses) go in a log of their own.

    ``daily``: no date column (the sheet's date)."""
    blocks: list[Block] = []
    ids = {p.medicine.id for p in view_prn}
    for prn in view_prn:
        medicine = prn.medicine
        own = [r for r in recorded if r[1].id == medicine.id]
        allowed = prn_rows(_prn_regimen(prn)) * days
        strength = medicine.versions[-1].strength
        name = f"{isolated(medicine.name)} {isolated(strength)}".strip()
        blank = max(allowed - len(own), 1) if prn.active else 1
        log = _prn_log(f"As-needed log: {name}", own, context, dated=not daily,
                       blank_rows=blank, spare_rows=1 if daily else 2,
                       two_up=not daily and blank + len(own) > TWO_UP_ROWS)
        blocks.append(replace(
            log, keep_together=True,
            note=f"As needed (PRN), only for the reason written, within the limits. "
                 f"{prn_protocol(prn)}"))
    others = [r for r in recorded if r[1].id not in ids]
    if others:
        blocks.append(_prn_log("Other doses given (not on the schedule)", others, context,
                               dated=not daily, named=True, blank_rows=0, spare_rows=0))
    return blocks


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
            note = isolated(" ".join(entry.note.split()))
            what += f": {note}" if what else note
        rows.append(Row(cells=(
            Cell(_clock(extra.at, context.zone)), Cell(isolated(extra.medicine.name),
                                                       bold=True),
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
                              Cell(isolated(a.title), bold=True), Cell(isolated(a.detail))))
                   for a in sorted(items, key=lambda a: to_utc(a.start))))]


def checklist_section(view: DayView, context: PrintContext, *,
                      appointments: Sequence[AgendaItem] = (),
                      medicines: Sequence[Medicine] = ()) -> Section:
    """One day of the daily checklist. ``medicines``: every medicine on the list, for the
    doses held that day (paused, stopped this week, a paused or delayed cycle)."""
    held = _held_on(medicines, view.day, context.zone)
    home = [s for s in view.doses if s.medicine.given_by is not GivenBy.CLINIC]
    clinic = [s for s in view.doses if s.medicine.given_by is GivenBy.CLINIC]
    home_held = [h for h in held if h.medicine.given_by is not GivenBy.CLINIC]
    clinic_held = [h for h in held if h.medicine.given_by is GivenBy.CLINIC]
    blocks: list[Block] = [Table(
        title="Doses to give",
        note=initials_line(context),
        columns=_CHECKLIST_COLUMNS,
        rows=_dose_rows(home, home_held, context),
        detail_span=_DETAIL_SPAN,
        empty="No doses are due at home on this day.")]
    if clinic or clinic_held:
        blocks.append(Table(
            title="Given at the clinic",
            note="Tick when the clinic has given it, with the time and who gave it.",
            columns=(*_CHECKLIST_COLUMNS[:6], Column("Given by", 0.7, center=True)),
            rows=_dose_rows(clinic, clinic_held, context),
            detail_span=_DETAIL_SPAN))
    given = [s.medicine for s in (*home, *clinic)]
    blocks.extend(_how_to_give(given, view.day, context))
    shown = {f"{s.medicine.id}:{s.occurrence.key}" for s in clinic}
    blocks.extend(_agenda_table([a for a in appointments if a.dose_key not in shown],
                                context))
    blocks.extend(_orphans_table(view, context))
    blocks.extend(_prn_blocks(view.as_needed, _prn_recorded([view]), context, days=1,
                              daily=True))
    blocks.append(_caregivers_table(context, per_row=2))
    blocks.append(WritingLines("Notes: why not given, side effects", 3))
    return Section(_header("Daily medication checklist", long_date(view.day), context,
                           short=weekday_date(view.day)),
                   tuple(blocks))


def daily_checklist(days: Sequence[DayView], context: PrintContext, *, version: str,
                    appointments: Mapping[date, Sequence[AgendaItem]] | None = None,
                    medicines: Sequence[Medicine] = ()) -> Document:
    """One section per day, in date order."""
    appointments = appointments or {}
    sections = tuple(checklist_section(v, context, appointments=appointments.get(v.day, ()),
                                       medicines=medicines)
                     for v in sorted(days, key=lambda v: v.day))
    title = "Daily medication checklist"
    if days:
        first, last = min(v.day for v in days), max(v.day for v in days)
        title += f" {first.isoformat()}" + (f" to {last.isoformat()}" if last != first else "")
    return Document(title=title, sections=sections, footer=_footer(context, rules=True),
                    stamp=_stamp(context, version))


# ---- Weekly record


_SHORT_MARKS = {"NEW": "NEW", "DOSE CHANGED": "CHANGED", "CHANGED": "CHANGED",
                "LAST DOSE": "LAST", "LAST DAY": "LAST"}


def _week_cell(item: DoseStatus | HeldDose | None, row_dose: str, context: PrintContext,
               off: bool, marks: Sequence[Mark] = ()) -> Cell:
    """One day of a row: a box, what was recorded, MISSED, HOLD / STOPPED, or grey "off"
    (a day off in a cycle) or "–" (nothing due)."""
    if item is None:
        return Cell("off" if off else "–", shaded=True, center=True)
    if isinstance(item, HeldDose):
        return Cell(item.word, bold=True, shaded=True, center=True,
                    sub="delayed" if item.kind is HoldKind.DELAYED else "")
    status = item
    entry = status.effective
    occ = status.occurrence
    dose = occ.dose.describe()
    lines = [dose] if dose != row_dose else []
    lines += [_SHORT_MARKS.get(m.word, m.word) for m in marks]
    local = to_utc(occ.due).astimezone(context.zone)
    if (local.hour, local.minute) != (occ.nominal.hour, occ.nominal.minute):
        lines.append(f"at {local:%H:%M}")
    if status.medicine.given_by is GivenBy.CLINIC:
        lines.append("at clinic")
    sub = "\n".join(lines)
    if status.state is DoseState.GIVEN and entry is not None and entry.given_at:
        who = context.initials(entry.caregiver_id) or (
            "clinic" if status.medicine.given_by is GivenBy.CLINIC else "")
        given = to_utc(entry.given_at).astimezone(context.zone)
        if given.date() != occ.local.date():  # given on another day
            sub = "\n".join(p for p in (f"on {describe_day(given, year=False)}", sub) if p)
        return Cell(f"{who} {given:%H:%M}".strip(), center=True, sub=sub)
    if status.state is DoseState.SKIPPED and entry is not None and entry.skip_reason:
        who = context.initials(entry.recorded_by_id)
        return Cell(f"{entry.skip_reason.code} {who}".strip(), bold=True, center=True,
                    sub=sub)
    if status.state is DoseState.MISSED:
        return Cell("MISSED", bold=True, center=True,
                    sub="\n".join(p for p in ("not recorded", sub) if p))
    return Cell(box=True, center=True, sub=sub)


def weekly_section(days: Sequence[DayView], context: PrintContext,
                   medicines: Sequence[Medicine] = ()) -> Section:
    """Seven (or fewer) days side by side."""
    days = sorted(days, key=lambda v: v.day)
    index = {v.day: i for i, v in enumerate(days)}
    zone = context.zone
    slots: dict[tuple[int | None, str], list[DoseStatus | HeldDose | None]] = {}
    meds: dict[int | None, Medicine] = {}
    first_time: dict[int | None, str] = {}
    day_doses: dict[tuple[int | None, date], list[Occurrence]] = {}

    def place(item: DoseStatus | HeldDose, day: date) -> None:
        slot = f"{item.occurrence.nominal:%H:%M}"
        key = (item.medicine.id, slot)
        slots.setdefault(key, [None] * len(days))[index[day]] = item
        meds[item.medicine.id] = item.medicine
        first_time[item.medicine.id] = min(first_time.get(item.medicine.id, slot), slot)

    for view in days:
        for status in view.doses:
            place(status, view.day)
            day_doses.setdefault((status.medicine.id, view.day), []).append(status.occurrence)
        for held in _held_on(medicines, view.day, zone):
            place(held, view.day)
    order = sorted(slots, key=lambda k: (meds[k[0]].given_by is GivenBy.CLINIC,
                                         first_time[k[0]], meds[k[0]].name.casefold(), k[1]))
    rows = []
    prescribers = prescriber_line(meds.values(), context.contact_names)
    one_prescriber = prescribers.endswith("(all)")
    noted: set[int | None] = set()  # medicines whose stock note is printed
    for medicine_id, slot in order:
        medicine = meds[medicine_id]
        items = slots[(medicine_id, slot)]
        present = [s for s in items if s is not None]
        doses = {s.occurrence.dose.describe() for s in present}
        version = present[-1].occurrence.version
        row_dose = doses.pop() if len(doses) == 1 else ""
        about = " · ".join(p for p in (isolated(version.strength), row_dose,
                                       version.route.label) if p)
        prescriber = "" if one_prescriber else context.prescriber(medicine)
        sub = about + (f"\nPrescriber: {isolated(prescriber)}" if prescriber else "")
        cells = [Cell(isolated(medicine.name), sub=sub, bold=True), Cell(slot, bold=True)]
        notes: list[str] = []
        for view, item in zip(days, items, strict=True):
            v = medicine.version_on(view.day)
            off = v is not None and isinstance(v.regimen, CycleRegimen)
            marks: list[Mark] = []
            if isinstance(item, DoseStatus):
                marks = dose_marks(medicine, item.occurrence,
                                   day_doses.get((medicine_id, view.day), ()), zone)
                for mark in marks:
                    notes.append(f"{mark.word} {weekday_date(view.day)}"
                                 + (f": {mark.text}" if mark.text else ""))
                moved = clock_note(item.occurrence, zone)
                if moved:
                    notes.append(f"{weekday_date(view.day)}: {moved}")
            elif isinstance(item, HeldDose):
                notes.append(item.describe())
            cells.append(_week_cell(item, row_dose, context, off, marks))
        lead = ". ".join(dict.fromkeys(n.rstrip(".") for n in notes))
        stock = "" if medicine_id in noted else period_stock_note(
            context.supplies.get(medicine_id) if medicine_id is not None else None,
            days[0].day, days[-1].day, context.today)
        noted.add(medicine_id)
        flags = slot_flags(medicine, version, present[-1].occurrence.due, zone)
        rows.append(Row(cells=tuple(cells),
                        detail=" · ".join(p for p in (flags, stock) if p),
                        detail_lead=lead + "." if lead else "",
                        min_height=WRITING_ROOM + 6))
    columns = (Column("Medicine", 3.0), Column("Time", 0.62, center=True),
               *(Column(weekday_date(v.day), 0.86, center=True) for v in days))
    blocks: list[Block] = [Table(
        title="Doses due",
        note="White box: initials and time, or a code and initials. Grey: nothing to give "
             "(– none due, off = a cycle day off, HOLD, STOPPED)."
             + (f"\n{prescribers}" if one_prescriber else ""),
        columns=columns, rows=tuple(rows), detail_span=(0, 2),
        empty="No doses are due in these days.")]
    blocks.append(_caregivers_table(context))
    # the notes fill the rest of the grid's last page; the as-needed logs (a week's
    # worth of rows) follow on a page of their own
    blocks.append(WritingLines("Notes: why not given, side effects", 3))
    prn: dict[int | None, PrnStatus] = {}
    for view in days:
        for prn_status in view.as_needed:
            prn[prn_status.medicine.id] = prn_status
    blocks.extend(_prn_blocks(list(prn.values()), _prn_recorded(days), context,
                              days=len(days)))
    period = f"Week from {weekday_date(days[0].day, year=True)}" if days else ""
    short = f"Week from {weekday_date(days[0].day)}" if days else ""
    return Section(_header("Weekly medication record", period, context, short=short),
                   tuple(blocks))


def _caregivers_table(context: PrintContext, *, per_row: int = 3) -> Table:
    """Who signs: each caregiver's printed name, initials and a signature line, then at
    least two blank ones (a visiting nurse, a respite carer)."""
    people = sorted((c for c in context.caregivers.values() if c.active),
                    key=lambda c: c.name.casefold())
    cells = [(Cell(isolated(c.name)), Cell(c.initials, bold=True), Cell()) for c in people]
    blank = 2 + (-(len(people) + 2)) % per_row  # two at least, then to fill the last row
    cells.extend((Cell(), Cell(), Cell()) for _ in range(blank))
    rows = [Row(cells=tuple(c for person in cells[i:i + per_row] for c in person),
                min_height=WRITING_ROOM) for i in range(0, len(cells), per_row)]
    person = (Column("Name", 1.9), Column("Initials", 1.15), Column("Signature", 1.95))
    return Table(title="Who signs this record",
                 note="Blank rows: a visiting nurse or a respite carer",
                 columns=person * per_row, rows=tuple(rows), keep_together=True)


def weekly_record(days: Sequence[DayView], context: PrintContext, *, version: str,
                  medicines: Sequence[Medicine] = ()) -> Document:
    """Weeks of seven days, one section per week, landscape."""
    days = sorted(days, key=lambda v: v.day)
    sections = tuple(weekly_section(days[i:i + 7], context, medicines)
                     for i in range(0, len(days), 7))
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
            notes.append(f"PAUSED since {describe_day(since)}"
                         + (f": {isolated(status.reason)}" if status.reason else ""))
        if medicine.given_by is GivenBy.CLINIC:
            notes.append("Given at the clinic")
        if medicine.start_date > today:
            notes.append(f"Starts {describe_day(medicine.start_date)}")
        if medicine.end_date:
            notes.append(f"Until {describe_day(medicine.end_date)}")
        if medicine.review_date:
            notes.append(f"Review {describe_day(medicine.review_date)}")
        detail = isolated(instructions(medicine, version_now))
        detail = ". ".join([*notes, detail] if detail else notes)
        prescriber = isolated(context.prescriber(medicine))
        dose = current_dose(version_now, today)
        rows.append(Row(
            cells=(Cell(isolated(medicine.name),
                        sub=f"{isolated(version_now.strength)} {version_now.form.label}"
                        .strip(), bold=True),
                   Cell(dose.describe(), sub=version_now.route.label),
                   Cell(schedule_text(version_now.regimen, today, medicine=medicine,
                                      next_dose=context.next_doses.get(medicine.id)
                                      if medicine.id is not None else None)),
                   Cell(isolated(medicine.purpose) or "—"),
                   Cell(prescriber or "—"),
                   Cell(describe_day(started_on(medicine)))),
            detail=detail))
    blocks: list[Block] = [Paragraph(
        "What ALS Care Companion records. Please check it against the labels, and tell the "
        "care team about anything else taken, including vitamins and remedies bought "
        "without a prescription."), Table(
        title="Current medicines",
        columns=(Column("Medicine", 1.6), Column("Dose and route", 1.15), Column("When", 1.85),
                 Column("What it is for", 1.3), Column("Prescriber", 1.2),
                 Column("Started", 1.05)),
        rows=tuple(rows), detail_span=(0, 6),
        empty="No medicines are recorded.")]
    stopped_rows = tuple(
        Row(cells=(Cell(isolated(m.name), bold=True),
                   Cell(m.versions[-1].dose.describe() + f" ({m.versions[-1].strength})"
                        if m.versions[-1].strength else m.versions[-1].dose.describe()),
                   Cell(describe_day(day)), Cell(isolated(reason) or "—")))
        for m, day, reason in sorted(stopped, key=lambda s: s[1], reverse=True))
    blocks.append(Table(
        title="Stopped in the last 90 days",
        columns=(Column("Medicine", 1.8), Column("Last dose", 1.3), Column("Stopped on", 1.1),
                 Column("Why", 2.8)),
        rows=stopped_rows, empty="None stopped in the last 90 days."))
    blocks.append(WritingLines("Changes made at this visit", 2, optional=True))
    header = _header("Medicine list", f"As of {describe_day(today)}", context)
    return Document(title=f"Medicine list {today.isoformat()}",
                    sections=(Section(header, tuple(blocks)),),
                    footer=_footer(context), stamp=_stamp(context, version))


# ---- Emergency sheet


#: What to take to the hospital: things, not medical advice.
TAKE_ALONG = ("Take to the hospital: this sheet, the breathing machine (NIV/BiPAP) with "
              "its mask and power lead, the medicines in their boxes, and the "
              "communication aid (letter board, eye-gaze device).")


def _field_text(text: str) -> str:
    """A typed field for a one-paragraph item: its lines joined with " · "."""
    return " · ".join(isolated(" ".join(line.split())) for line in text.splitlines()
                      if line.strip())


def emergency_sheet(medicines: Sequence[Medicine], context: PrintContext) -> Document:
    """One page for paramedics and hospital staff, from the records: the emergency
    number, the diagnosis and how the patient communicates, breathing support and NIV
    settings, advance decisions, every current medicine (with a column to write when it
    was last given), and the care team to call. The allergies are in the header, framed.
    A field not filled in is a line to write on by hand."""
    patient = context.patient
    today = context.today
    now = to_utc(context.printed_at)
    name = isolated(patient.full_name) if patient else "the patient"
    blocks: list[Block] = [Paragraph(
        f"In an emergency, call {emergency_text(context)}", huge=True, boxed=True)]

    about = []
    missing = []
    for label, value in (("Diagnosis:", patient.diagnosis if patient else ""),
                         ("How they communicate:",
                          patient.communication if patient else "")):
        if value.strip():
            about.append((label, _field_text(value)))
        else:
            missing.append(label.rstrip(":"))
    about.append(("Home address:", "(write it here)" + BLANK * 3))
    blocks.append(Entries(f"About {name}", tuple(about)))
    for title in missing:
        blocks.append(WritingLines(title, 1, spacing=22, fill=False))

    for title, value, lines in (
            ("Breathing support and NIV (BiPAP) settings", patient.breathing if patient
             else "", 3),
            ("Advance decisions (what they want, where the papers are, who decides)",
             patient.advance_decisions if patient else "", 3)):
        if value.strip():  # a point a line, as typed
            blocks.append(Entries(title, tuple(
                ("", isolated(" ".join(line.split()))) for line in value.splitlines()
                if line.strip())))
        else:
            blocks.append(WritingLines(title, lines, spacing=22, fill=False))

    rows = []
    for medicine in sorted(medicines, key=lambda m: m.name.casefold()):
        change = medicine.status_change_at(now)
        if change is not None and change.status is MedicineStatus.STOPPED:
            continue
        if medicine.end_date is not None and medicine.end_date < today:
            continue
        version = medicine.current_version(today)
        dose = current_dose(version, today)
        when = schedule_text(version.regimen, today, medicine=medicine,
                             next_dose=context.next_doses.get(medicine.id)
                             if medicine.id is not None else None)
        notes = []
        if change is not None and change.status is MedicineStatus.PAUSED:
            notes.append("PAUSED")
        if medicine.given_by is GivenBy.CLINIC:
            notes.append("given at the clinic")
        rows.append(Row(cells=(
            Cell(isolated(medicine.name), sub=isolated(version.strength), bold=True),
            Cell(dose.describe(), sub=version.route.label),
            Cell(when, sub=" · ".join(notes)),
            Cell())))
    if not rows:  # none recorded: rows to write them in by hand
        rows = [Row(cells=(Cell(), Cell(), Cell(), Cell()), min_height=WRITING_ROOM)
                for _ in range(5)]
    blocks.append(Table(
        title="Medicines",
        note="Check against the boxes; write when each was last given.",
        columns=(Column("Medicine", 1.6), Column("Dose and route", 1.2),
                 Column("When", 2.2), Column("Last given", 1.0)),
        rows=tuple(rows)))

    team = [line.partition(": ") for line in context.care_team]
    if team:
        blocks.append(Entries("Care team to call",
                              tuple((f"{who}:", numbers) for who, _, numbers in team)))
    else:
        blocks.append(WritingLines("Care team: neurologist, ALS clinic, after hours", 2,
                                   spacing=22, fill=False))
    header = _header("Emergency information", f"As of {describe_day(today)}", context)
    return Document(title=f"Emergency sheet {today.isoformat()}",
                    sections=(Section(header, tuple(blocks)),), footer=(TAKE_ALONG,),
                    stamp=_stamp(context, ""))


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
    header = _header("Care team", f"As of {describe_day(today)}", context)
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
    "emergency_sheet",
    "emergency_text",
    "food_times",
    "initials_line",
    "instructions",
    "long_date",
    "medicine_list",
    "own_instructions",
    "regimen_version",
    "schedule_text",
    "skip_codes_text",
    "slot_flags",
    "weekly_record",
    "weekly_section",
]
