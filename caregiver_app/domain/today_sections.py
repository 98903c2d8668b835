"""The Today list's sections and rows, worked out from a ``DayView`` (no Qt).

``build_sections(view, ...)`` turns a day into plain ``Section``/``Row`` objects, in the
order they are shown: for today, overdue doses first, then those past their grace
period with nothing recorded ("Not recorded yet: say what happened"), then the parts
of the day, as-needed medicines and doses given besides. All the words are worked out
here, once; ``ui.today.model.TodayModel`` only shows them. Columns: time, medicine,
dose, state, what to know now. A row's ``look`` says how its state is drawn; the
state's text always starts with a symbol, so it never depends on colour alone.

``row_actions(row, ...)`` says which of the card's buttons can record the selected row,
and ``answer_for(row, actions)`` which of them the keyboard goes to when the caregiver
presses Enter on a row (or a reminder asks what happened), with the line that says how
to record it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum

from caregiver_app.domain.as_needed import PrnStatus
from caregiver_app.domain.dayview import DayView, ExtraDose
from caregiver_app.domain.doses import DoseState, DoseStatus
from caregiver_app.domain.localtime import to_utc, weekday_name
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.today import (
    Look,
    LookKind,
    dose_instructions,
    dose_look,
    extra_look,
    group_by_part,
    is_unrecorded,
    prn_instructions,
    prn_look,
)


class Column(IntEnum):
    TIME = 0
    MEDICINE = 1
    DOSE = 2
    STATE = 3
    NOTES = 4


class RowKind(StrEnum):
    DOSE = "dose"
    PRN = "prn"
    EXTRA = "extra"


@dataclass(eq=False)
class Row:
    """One row of Today: a dose (scheduled, as needed or extra) and its cells' words."""

    kind: RowKind
    cells: tuple[str, str, str, str, str]
    look: Look
    tooltip: str = ""
    dose: DoseStatus | None = None
    prn: PrnStatus | None = None
    extra: ExtraDose | None = None
    section: Section | None = field(default=None, repr=False)

    @property
    def medicine_id(self) -> int:
        if self.dose is not None:
            return int(self.dose.medicine.id or 0)
        if self.prn is not None:
            return int(self.prn.medicine.id or 0)
        assert self.extra is not None
        return int(self.extra.medicine.id or 0)

    @property
    def identity(self) -> tuple[str, int, str]:
        """Stable across refreshes: (kind, medicine id, key or entry id)."""
        if self.dose is not None:
            return (self.kind.value, self.medicine_id, self.dose.occurrence.key)
        if self.extra is not None:
            return (self.kind.value, self.medicine_id, str(self.extra.chain.first.id))
        return (self.kind.value, self.medicine_id, "")

    @property
    def accessible(self) -> str:
        """The whole row in words, for screen readers."""
        return ", ".join(c for c in self.cells if c)


@dataclass(eq=False)
class Section:
    """One heading of Today (overdue, morning ... as needed) and its rows."""

    key: str  # "overdue", "unrecorded", a DayPart value, "as_needed", "extra"
    title: str
    rows: list[Row]
    urgent: bool = False

    def __post_init__(self) -> None:
        for row in self.rows:
            row.section = self


# ---- Building the rows


UNRECORDED_TITLE = "Not recorded yet: say what happened"
#: The state of a dose in that section, and what its row asks.
UNRECORDED_STATE = "Missed: not recorded yet"
UNRECORDED_PROMPT = ("Say what happened: given at another time (Shift+G), "
                     "or not given (S)")


def build_sections(view: DayView, *, now: datetime, today: date,
                   initials: Mapping[int, str],
                   snoozes: Mapping[tuple[int, str], datetime] | None = None,
                   carried: Sequence[DoseStatus] = ()) -> list[Section]:
    """The day's sections, in the order they are shown. For today: overdue doses (past
    their due time, nothing recorded, still within their grace period) move to the top
    section, then doses past their grace period with nothing recorded ("Not recorded
    yet: say what happened"), so neither sinks among the day's records; ``carried``: such
    doses of the day before (a 23:00 dose at 00:15), shown there too. Every other dose
    stays in its part of the day. Past days keep the plain layout: a record of what
    happened, in time order."""
    snoozes = snoozes or {}
    planned = view.day > today
    sections: list[Section] = []
    is_today = view.day == today
    overdue = [*(d for d in carried if d.overdue),
               *(d for d in view.doses if d.overdue)] if is_today else []
    unrecorded = [*(d for d in carried if is_unrecorded(d)),
                  *(d for d in view.doses if is_unrecorded(d))] if is_today else []
    if overdue:
        sections.append(Section("overdue", f"Overdue ({len(overdue)})",
                                [_dose_row(d, view, now, initials, planned, snoozes)
                                 for d in overdue], urgent=True))
    if unrecorded:
        sections.append(Section("unrecorded", f"{UNRECORDED_TITLE} ({len(unrecorded)})",
                                [_dose_row(d, view, now, initials, planned, snoozes,
                                           ask=True) for d in unrecorded], urgent=True))
    on_top = {d.key for d in (*overdue, *unrecorded)}
    rest = [d for d in view.doses if d.key not in on_top]
    for part, doses in group_by_part(rest):
        sections.append(Section(part.value, part.label,
                                [_dose_row(d, view, now, initials, planned, snoozes)
                                 for d in doses]))
    if view.as_needed:
        sections.append(Section("as_needed", "As needed",
                                [_prn_row(p, view, planned) for p in view.as_needed]))
    if view.extra:
        sections.append(Section("extra", "Also given this day",
                                [_extra_row(x, view, now, initials) for x in view.extra]))
    return sections


def first_actionable(sections: Sequence[Section]) -> tuple[int, int] | None:
    """Where the list starts (section, row): the first dose asking for something
    (overdue, then not recorded yet: the sections on top; then one still to give), else
    the first row; None when there are no rows."""
    first: tuple[int, int] | None = None
    for s, section in enumerate(sections):
        for r, row in enumerate(section.rows):
            if first is None:
                first = (s, r)
            if section.key == "unrecorded" or (
                    row.dose is not None and row.dose.state is DoseState.DUE):
                return (s, r)
    return first


# ---- What the card can record, and where the keyboard goes


@dataclass(frozen=True)
class RowActions:
    """Which of the card's recording buttons apply to a row (``row_actions``)."""

    give_now: bool = False
    give_at: bool = False
    """Given at another time."""
    skip: bool = False
    snooze: bool = False
    correct: bool = False
    """Correct the record."""


def row_actions(row: Row, *, day: date, today: date, now: datetime,
                can_snooze: bool = False) -> RowActions:
    """What the card can record for ``row`` of the day ``day``. A dose with nothing
    recorded, not on a later day and not in conflict, can be given at another time or
    skipped, and given now on today (or when it is overdue); snoozed while it is due,
    given at home and ``can_snooze`` (reminders are running). A recorded dose can be
    corrected. An as-needed medicine in use can be given now on today and at another
    time up to today; a dose given besides can be corrected while it stands."""
    if row.dose is not None:
        status = row.dose
        recorded = status.effective is not None
        can_record = not recorded and day <= today and not status.conflict
        return RowActions(
            give_now=can_record and (day == today or status.overdue),
            give_at=can_record, skip=can_record,
            snooze=(can_record and can_snooze and status.state is DoseState.DUE
                    and status.medicine.given_by is GivenBy.HOME),
            correct=recorded)
    if row.prn is not None:
        active = row.prn.medicine.is_active_at(now)
        return RowActions(give_now=active and day == today, give_at=active and day <= today)
    if row.extra is not None:
        return RowActions(correct=row.extra.chain.effective is not None)
    return RowActions()


class AnswerButton(StrEnum):
    """The card's button the keyboard goes to (``NONE``: it stays where it is)."""

    GIVEN_NOW = "given_now"
    GIVEN_AT = "given_at"
    CORRECT = "correct"
    NONE = "none"


@dataclass(frozen=True)
class Answer:
    """The card's button the keyboard goes to for a dose, and what to press there."""

    button: AnswerButton
    hint: str
    """What to press to record it (nothing is recorded by moving there)."""


#: What Enter (or a double-click) on a dose to give says, having moved to Given now.
ACTIVATE_HINT = "Press G or the Given button to record it."
#: ... on a dose with nothing recorded past its grace period (or a reminder's question).
ASK_HINT = ("Say what happened: Given at another time (Shift+G) if it was given, or "
            "Skip (S) if it was not.")


def answer_for(row: Row, actions: RowActions, *, ask: bool = False) -> Answer:
    """Where the keyboard goes for ``row`` and what it says: "Given at another time…"
    for a dose not recorded yet (its section asks, or ``ask``: a reminder asked what
    happened), else "Given now" when it can be given now, else "Given at another time…",
    else "Correct this record…" for one already recorded. ``actions``: ``row_actions``."""
    unrecorded = ask or (row.section is not None and row.section.key == "unrecorded")
    if unrecorded and actions.give_at:
        return Answer(AnswerButton.GIVEN_AT, ASK_HINT)
    if actions.give_now:
        return Answer(AnswerButton.GIVEN_NOW, ACTIVATE_HINT)
    if actions.give_at:
        return Answer(AnswerButton.GIVEN_AT,
                      "Press Shift+G or the Given at another time button to record it.")
    if actions.correct:
        return Answer(AnswerButton.CORRECT, "This is already recorded. Press C or Correct "
                                            "this record to change it.")
    return Answer(AnswerButton.NONE, "Nothing can be recorded for this row.")


def _dose_row(status: DoseStatus, view: DayView, now: datetime, initials: Mapping[int, str],
              planned: bool, snoozes: Mapping[tuple[int, str], datetime], *,
              ask: bool = False) -> Row:
    """One dose; ``ask``: in the "not recorded yet" section (its row asks what happened)."""
    occ = status.occurrence
    zone = view.zone
    local = occ.local.astimezone(zone)
    time_text = f"{local:%H:%M}"
    if (local.hour, local.minute) != (occ.nominal.hour, occ.nominal.minute):
        time_text += f" (for {occ.nominal:%H:%M})"  # a daylight-saving gap moved it
    if local.date() != view.day:
        time_text += f" {weekday_name(local)}"  # the day before's, carried over midnight
    strength = f" {occ.strength}" if occ.strength else ""
    medicine = f"{status.medicine.name}{strength}"
    dose = f"{occ.dose.describe()}, {occ.route.label}"
    instructions = dose_instructions(status, now, zone)
    notes = " · ".join((UNRECORDED_PROMPT, *instructions) if ask else instructions)
    snoozed = snoozes.get((int(occ.medicine_id or 0), occ.key))
    look = dose_look(status, now, zone, initials, planned=planned, snoozed_until=snoozed)
    if ask:
        look = Look(LookKind.MISSED, UNRECORDED_STATE)
    tip = [f"{medicine}: {occ.version.describe()}"]
    if status.medicine.instructions:
        tip.append(status.medicine.instructions)
    return Row(RowKind.DOSE, (time_text, medicine, dose, str(look), notes), look,
               "\n".join(tip), dose=status)


def _prn_row(status: PrnStatus, view: DayView, planned: bool) -> Row:
    medicine = status.medicine
    version = medicine.version_on(view.day) or medicine.versions[-1]
    strength = f" {version.strength}" if version.strength else ""
    name = f"{medicine.name}{strength}"
    dose = f"{version.dose.describe()}, {version.route.label}"
    look = prn_look(status, view.zone, planned=planned)
    given = len(status.given_today)
    notes = prn_instructions(status)
    if given:
        notes = (*notes, f"{given} given this day")
    tip = [f"{name}: {version.describe()}"]
    if medicine.instructions:
        tip.append(medicine.instructions)
    return Row(RowKind.PRN, ("As needed", name, dose, str(look), " · ".join(notes)), look,
               "\n".join(tip), prn=status)


def _extra_row(extra: ExtraDose, view: DayView, now: datetime,
               initials: Mapping[int, str]) -> Row:
    entry = extra.chain.effective or extra.chain.head
    local = to_utc(extra.at).astimezone(view.zone)
    amount = entry.amount.describe() if entry.amount else ""
    kind = "Scheduled dose no longer on the schedule" if extra.orphan else "As-needed dose"
    look = extra_look(extra, view.zone, now, initials)
    return Row(RowKind.EXTRA, (f"{local:%H:%M}", extra.medicine.name, amount, str(look), kind),
               look, entry.override_reason and f"Given over the limit: {entry.override_reason}",
               extra=extra)
