"""The printed sheets' content: daily checklist, weekly record, medicine list, care team.

Pure functions from the app's records to a ``paper.Document`` (no Qt, no database):

``daily_checklist(days, context, ...)``
    One section (page or more) per day: every due dose in time order with a tick box and
    room for the time and initials (or what was already recorded), the clinic-given doses
    and appointments, the as-needed protocol and a log, the skip codes, a notes area.
``weekly_record(days, context, ...)``
    Landscape: one row per medicine and time, seven day columns, a box per due dose (grey
    "–" where nothing is due, "off" on cycle off-days), caregivers' initials, the PRN log.
``medicine_list(medicines, context, ...)``
    For clinic visits: current medicines (dose, schedule, route, purpose, prescriber,
    start), those stopped in the last 90 days with the reason, allergies on every page.
``care_team_sheet(groups, context)``
    For the fridge door: call-first contacts, then everyone by role, big phone numbers;
    with no contacts yet, a form to fill in by hand.

``regimen_version(medicines, start, end)`` is a short code that changes whenever anything
that decides the doses of that period changes, printed on each sheet so an outdated sheet
can be recognised. The practice this follows (headers, codes, "never pre-sign") is
described in ``shared/reference/product-research.md`` section 4.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.careteam_sheet import emergency_lines
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.dayview import DayView
from caregiver_app.domain.doses import DoseEntry, DoseState, DoseStatus, EntryKind
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import GivenBy, Medicine, MedicineVersion, describe_food_rule
from caregiver_app.domain.paper import (
    Block,
    Cell,
    Column,
    Document,
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
from caregiver_app.domain.vocab import Form, MedicineStatus, SkipReason

#: Stopped medicines stay on the medicine list this long.
RECENTLY_STOPPED = timedelta(days=90)
#: Instructions longer than this are shortened on the checklist (the medicine list has
#: them whole).
MAX_CHECKLIST_INSTRUCTIONS = 320
NBSP = "\u00a0"  # keeps a phone number on one line
#: Points of room to write by hand in a row.
WRITING_ROOM = 26.0

RULES = ("Tick and initial each dose when you give it, never before, and never for "
         "someone else. Write the time if it differs from the planned time. Not given: "
         "write the code and say why in the notes. Circle mistakes and explain them; never "
         "erase. To change a medicine, change it in the app and print a new sheet.")


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

    def initials(self, caregiver_id: int | None) -> str:
        caregiver = self.caregivers.get(caregiver_id) if caregiver_id is not None else None
        return caregiver.initials if caregiver else ""


class TeamPhone(Protocol):
    label: str
    number: str


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


def _header(title: str, period: str, context: PrintContext) -> PageHeader:
    today = to_utc(context.printed_at).astimezone(context.zone).date()
    return PageHeader(title=title, period=period,
                      patient=_patient_line(context.patient, today),
                      allergies=allergy_line(context.patient))


def skip_codes_text() -> str:
    return "Not given codes: " + " · ".join(f"{r.code} = {r.label}" for r in SkipReason)


def _footer(context: PrintContext) -> tuple[str, ...]:
    if context.care_team:
        return ("Care team: " + " · ".join(context.care_team),)
    return ("Care team: neurologist ____________  ALS clinic ____________  pharmacy "
            "____________  after hours ____________  (add them in the Care team tab to print "
            "them here)",)


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
        lines.append(f"{person.name} ({person.role_label})" + (f": {numbers}" if numbers
                                                               else ""))
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


def dose_and_form(dose: Dose, form: Form) -> str:
    """"5 mL\nliquid / oral suspension"; just "2 tablets" when the unit names the form."""
    unit = dose.unit.casefold().rstrip("s")
    if unit and unit in form.label.casefold():
        return dose.describe()
    return f"{dose.describe()}\n{form.label}"


def short_instructions(medicine: Medicine, version: MedicineVersion) -> str:
    """The flags a weekly grid has room for: do not crush, flush, food rule."""
    parts = []
    if version.do_not_crush:
        parts.append("DO NOT CRUSH")
    if version.flush_ml:
        parts.append(f"flush {version.flush_ml} mL")
    food = describe_food_rule(replace(medicine.food_rule, note=""))
    if food:
        parts.append(food)
    return " · ".join(parts)


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


def regimen_version(medicines: Iterable[Medicine], start: datetime, end: datetime) -> str:
    """A 6-character code for everything that decides the doses due in ``[start, end)``.

    It covers each medicine's name, instructions, food rule, dates, the versions
    (dose, form, route, strength, schedule) in force on those days, its status then
    and its changes during the period, and cycle delays. Two sheets with the same code
    were printed from the same plan.
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
    digest = hashlib.sha256(json.dumps(plan, sort_keys=True).encode()).hexdigest()
    return digest[:6].upper()


def _version_dict(v: MedicineVersion) -> dict[str, object]:
    return {"from": v.valid_from.isoformat(), "strength": v.strength, "form": v.form.value,
            "route": v.route.value, "dose": [v.dose.amount, v.dose.unit],
            "regimen": regimen_to_dict(v.regimen), "crush": v.do_not_crush,
            "flush": v.flush_ml}


# ---- Daily checklist


_CHECKLIST_COLUMNS = (
    Column("Time", 0.62),
    Column("Medicine and strength", 1.9),
    Column("Dose and form", 1.15),
    Column("Route", 1.0),
    Column("Given", 0.62, center=True),
    Column("Time given", 0.68, center=True),
    Column("Initials", 0.68, center=True),
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
            Cell(name, sub=strength, bold=True),
            Cell(dose_and_form(occ.dose, occ.form)),
            Cell(occ.route.label),
            *_recorded_cells(status, context),
        ),
        detail=instructions(status.medicine, version, label=occ.label,
                            limit=MAX_CHECKLIST_INSTRUCTIONS),
        min_height=WRITING_ROOM,
    )


def _prn_blocks(view_prn: Sequence, recorded: Sequence[tuple[datetime, Medicine, DoseEntry]],
                context: PrintContext, *, blank_rows: int, title: str) -> list[Block]:
    """The as-needed protocol (one row per medicine) and the log, pre-filled with the
    doses already recorded."""
    rows = []
    for prn in view_prn:
        medicine = prn.medicine
        version = medicine.versions[-1]
        regimen = prn.regimen
        if regimen is None:  # paused now: say so, and the limits of its latest version
            regimen = next((v.regimen for v in reversed(medicine.versions)
                            if isinstance(v.regimen, AsNeededRegimen)), None)
        rules = describe_regimen(regimen) if regimen else "As needed"
        if not prn.active:
            rules = f"PAUSED: do not give. {rules}"
        rows.append(Row(
            cells=(Cell(medicine.name, sub=version.strength, bold=True),
                   Cell(medicine.purpose or "—"),
                   Cell(f"{dose_and_form(version.dose, version.form)}\n"
                        f"{version.route.label}"),
                   Cell(rules)),
            detail=instructions(medicine, version, limit=MAX_CHECKLIST_INSTRUCTIONS)))
    blocks: list[Block] = []
    if not rows and not recorded:
        return blocks
    if rows:
        blocks.append(Table(
            title=title,
            note="Give only for the reason written, within the limits. The 24 hours are any "
                 "24 hours, not midnight to midnight.",
            columns=(Column("Medicine", 1.6), Column("What it is for", 1.4),
                     Column("Dose", 1.3), Column("Limits", 2.1)),
            rows=tuple(rows), detail_span=(0, 4), keep_together=True))
    log = []
    for moment, medicine, entry in recorded:
        local = to_utc(moment).astimezone(context.zone)
        log.append(Row(cells=(
            Cell(f"{local.day} {local:%b}"), Cell(f"{local:%H:%M}"), Cell(medicine.name),
            Cell(entry.amount.describe() if entry.amount else ""),
            Cell(entry.note or entry.override_reason), Cell(""),
            Cell(context.initials(entry.caregiver_id))), min_height=WRITING_ROOM))
    log.extend(Row(cells=tuple(Cell() for _ in range(7)), min_height=WRITING_ROOM)
               for _ in range(blank_rows))
    blocks.append(Table(
        title="As-needed log",
        columns=(Column("Date", 0.75), Column("Time", 0.65), Column("Medicine", 1.5),
                 Column("Amount", 0.9), Column("Reason or symptom", 1.65),
                 Column("Effect (check later)", 1.3), Column("Initials", 0.8)),
        rows=tuple(log)))
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
        columns=_CHECKLIST_COLUMNS,
        rows=tuple(_dose_row(s, context) for s in home),
        detail_span=(0, 4),
        empty="No doses are due at home on this day.")]
    if clinic:
        blocks.append(Table(
            title="Given at the clinic",
            note="Tick when the clinic has given it, with the time and who gave it.",
            columns=(*_CHECKLIST_COLUMNS[:6], Column("Given by", 0.68, center=True)),
            rows=tuple(_dose_row(s, context) for s in clinic),
            detail_span=(0, 4)))
    shown = {f"{s.medicine.id}:{s.occurrence.key}" for s in clinic}
    blocks.extend(_agenda_table([a for a in appointments if a.dose_key not in shown],
                                context))
    blocks.extend(_orphans_table(view, context))
    blocks.extend(_prn_blocks(view.as_needed, _prn_recorded([view]), context,
                              blank_rows=4, title="As needed (PRN)"))
    blocks.append(Paragraph(skip_codes_text(), bold=True))
    blocks.append(Paragraph(RULES, boxed=True))
    blocks.append(WritingLines("Notes: refusals, side effects, calls made, mistakes", 5))
    return Section(_header("Daily medication checklist", long_date(view.day), context),
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
    return Document(title=title, sections=sections, footer=_footer(context),
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
        return Cell(f"{who} {_clock(entry.given_at, context.zone)}".strip(), center=True,
                    sub=sub)
    if status.state is DoseState.SKIPPED and entry is not None and entry.skip_reason:
        return Cell(entry.skip_reason.code, bold=True, center=True, sub=sub)
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
                        detail=short_instructions(medicine, version),
                        min_height=WRITING_ROOM + 8))
    columns = (Column("Medicine", 2.5), Column("Time", 0.65, center=True),
               *(Column(f"{v.day:%a} {v.day.day} {v.day:%b}", 0.95, center=True)
                 for v in days))
    blocks: list[Block] = [Table(
        title="Doses due",
        note="Initials and time in each white box when given; a code if not given. "
             "Grey boxes: nothing due (off = a day off in the cycle).",
        columns=columns, rows=tuple(rows), detail_span=(0, 2),
        empty="No doses are due in these days.")]
    blocks.append(_caregivers_table(context))
    prn: dict[int | None, object] = {}
    for view in days:
        for status in view.as_needed:
            prn[status.medicine.id] = status
    blocks.extend(_prn_blocks(list(prn.values()), _prn_recorded(days), context,
                              blank_rows=8, title="As needed (PRN)"))
    blocks.append(Paragraph(skip_codes_text(), bold=True))
    blocks.append(Paragraph(RULES, boxed=True))
    blocks.append(WritingLines("Notes", 4))
    period = f"Week from {days[0].day:%a} {short_date(days[0].day)}" if days else ""
    return Section(_header("Weekly medication record", period, context), tuple(blocks))


def _caregivers_table(context: PrintContext) -> Table:
    people = sorted((c for c in context.caregivers.values() if c.active),
                    key=lambda c: c.name.casefold())
    rows = [Row(cells=(Cell(c.name), Cell(c.initials, bold=True), Cell()),
                min_height=WRITING_ROOM) for c in people]
    rows.extend(Row(cells=(Cell(), Cell(), Cell()), min_height=WRITING_ROOM)
                for _ in range(2))
    return Table(title="Who signs this record",
                 columns=(Column("Name", 3.0), Column("Initials", 1.0), Column("Signature", 3.0)),
                 rows=tuple(rows), keep_together=True)


def weekly_record(days: Sequence[DayView], context: PrintContext, *, version: str) -> Document:
    """Weeks of seven days, one section per week, landscape."""
    days = sorted(days, key=lambda v: v.day)
    sections = tuple(weekly_section(days[i:i + 7], context) for i in range(0, len(days), 7))
    title = "Weekly medication record"
    if days:
        title += f" {days[0].day.isoformat()}"
    return Document(title=title, sections=sections, landscape=True, footer=_footer(context),
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
                   Cell(describe_regimen(version_now.regimen)),
                   Cell(medicine.purpose or "—"),
                   Cell(prescriber or "—"),
                   Cell(short_date(medicine.start_date))),
            detail=detail))
    blocks: list[Block] = [Table(
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
    blocks.append(Paragraph(
        "This list shows what is recorded in ALS Care Companion. Please check it with the "
        "patient's own labels and tell the care team about anything else taken, including "
        "vitamins and remedies bought without a prescription."))
    blocks.append(WritingLines("Changes made at this visit", 4, optional=True))
    header = _header("Medicine list", f"As of {short_date(today)}", context)
    return Document(title=f"Medicine list {today.isoformat()}",
                    sections=(Section(header, tuple(blocks)),),
                    footer=_footer(context), stamp=_stamp(context, version))


# ---- Care-team sheet


_BLANK_ROLES = ("Emergency", "Neurologist", "ALS clinic nurse", "After hours (clinic)",
                "Pharmacy", "Primary care doctor", "Home health", "Equipment supplier",
                "Family or friend")


def _team_row(entry: TeamEntry) -> Row:
    who_sub = "\n".join(p for p in (entry.role, entry.organisation) if p)
    notes = "\n".join(p for p in (entry.call_for, entry.office_hours
                                  and f"Hours: {entry.office_hours}", entry.email) if p)
    phones = tuple((p.label, p.number.replace(" ", NBSP)) for p in entry.phones)
    return Row(cells=(Cell(entry.name, sub=who_sub, bold=True, big=True),
                      Cell("" if phones else "—", labelled=phones, big=True),
                      Cell(notes)))


def care_team_sheet(groups: Sequence[TeamGroup], context: PrintContext) -> Document:
    """For the fridge door: call-first contacts, then everyone by role, big numbers.

    With nobody on the care team yet, a form to fill in by hand."""
    columns = (Column("Who", 1.95), Column("Phone", 3.05), Column("Call them for", 2.1))
    blocks: list[Block] = [Paragraph(
        "In an emergency call the emergency services first. Then call the people below, "
        "from the top.", bold=True, big=True)]
    first = [e for g in groups if g.emergency for e in g.entries]
    others = [e for g in groups if not g.emergency for e in g.entries]
    if first:
        blocks.append(Table(title="CALL FIRST", columns=columns,
                            rows=tuple(_team_row(e) for e in first)))
    if others:
        blocks.append(Table(title="Care team" if first else "", columns=columns,
                            rows=tuple(_team_row(e) for e in others)))
    if not groups:
        blocks.append(Table(
            title="Fill in by hand (or add the care team in the app and print again)",
            columns=columns,
            rows=tuple(Row(cells=(Cell(role, bold=True, big=True), Cell(), Cell()),
                           min_height=46) for role in _BLANK_ROLES)))
    blocks.append(WritingLines("Our address and the nearest cross street (for the ambulance)",
                               2, spacing=28))
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
    "instructions",
    "long_date",
    "medicine_list",
    "regimen_version",
    "short_date",
    "skip_codes_text",
    "weekly_record",
    "weekly_section",
]
