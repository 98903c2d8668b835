"""Undo: the last action taken in this window, and what taking it back writes.

The rule
--------
Undo acts on **exactly the last action** the caregiver took in this window, whatever
took it (the Today tab's buttons and keys, the reminder banner, a notification's
button, the "while you were away" list, giving a time group at once, an extra dose, a
snooze), and only for ``UNDO_WINDOW`` after it. A later action of any kind (a medicine
changed, a refill) ends the chance to undo the one before: an older record is changed
with "Correct this record", which shows it and asks first. So there is only ever one
``LastAction``, and it names what it will take back before it does
(``describe_action``, ``short_action``).

What an undo writes
-------------------
The dose record stays append-only: undoing never deletes. For each entry the action
made (``LastAction.items``, one per dose; several for a group given at once or a list
of answers saved together), ``reversal`` gives the correction that takes it back:

- an entry that corrected an earlier one is replaced by that earlier entry again (a
  correction undone brings back the record it corrected);
- any other entry is withdrawn ("entered in error", noting that Undo did it).

An entry that is no longer the latest of its chain (corrected since) is refused: the
chain changed after the action, so the action is no longer the last word on that dose.

A snooze (``SnoozeChange``) is not in the dose record: undoing it puts the snooze back
as it was (the reminder service does that).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from caregiver_app.domain.doses import DoseEntry, EntryKind, RecordChain
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.today import describe_when, entry_text, who

#: Undo is offered for this long after an action; after that, Correct.
UNDO_WINDOW = timedelta(minutes=5)
#: The note on an entry withdrawn by Undo.
UNDO_NOTE = "Undone straight after it was recorded (Undo)."
#: What Undo says when there is nothing it may take back.
NOTHING_TO_UNDO = (
    f"Nothing to undo: Undo takes back only the last action, for "
    f"{int(UNDO_WINDOW.total_seconds() // 60)} minutes. To change an older record, "
    "choose its dose and press Correct this record (C).")


@dataclass(frozen=True)
class ActionItem:
    """One entry an action saved, with what is needed to name it."""

    entry: DoseEntry  # as saved (with its id)
    medicine_name: str  # "riluzole"
    due: datetime | None = None  # a scheduled dose's due time (None: as needed, extra)
    corrected: DoseEntry | None = None  # the entry it corrected (a correction)
    extra: bool = False  # given outside the schedule (not an as-needed dose)


@dataclass(frozen=True)
class SnoozeChange:
    """A reminder snoozed: which dose, until when, and the snooze it replaced."""

    medicine_id: int
    key: str
    medicine_name: str
    due: datetime
    before: datetime | None  # the snooze it replaced (None: none)
    until: datetime


@dataclass(frozen=True, eq=False)
class LastAction:
    """One action: what it saved (``items``) or the snooze it set. Compared by identity,
    so "the action shown" and "the action now last" are never mixed up."""

    at: datetime
    items: tuple[ActionItem, ...] = ()
    snoozes: tuple[SnoozeChange, ...] = ()  # one, or a notification's several at once

    @property
    def snooze(self) -> SnoozeChange | None:
        """The (first) snooze this action set; None for an action that recorded."""
        return self.snoozes[0] if self.snoozes else None

    @property
    def expires_at(self) -> datetime:
        return to_utc(self.at) + UNDO_WINDOW

    def can_undo(self, now: datetime) -> bool:
        """Still offered at ``now``: less than ``UNDO_WINDOW`` from when it was taken
        (either way: a clock set back a little does not make it last forever)."""
        return abs(to_utc(now) - to_utc(self.at)) < UNDO_WINDOW

    @property
    def entry_ids(self) -> tuple[int, ...]:
        return tuple(i.entry.id for i in self.items if i.entry.id is not None)


def reversal(chain: RecordChain, entry: DoseEntry) -> dict[str, object]:
    """The fields of the correction that takes ``entry`` back (see the module
    docstring); pass them to ``doses.correction_of(chain, ...)``. Raises
    ``ValidationError`` when ``entry`` is no longer the latest of ``chain``."""
    if chain.head.id != entry.id:
        raise ValidationError({"undo": (
            "That record was changed after it was made, so Undo cannot take it back. "
            "Choose its dose and press Correct this record (C).")})
    before = chain.entries[-2] if len(chain.entries) > 1 else None
    if before is not None and before.kind is not EntryKind.ENTERED_IN_ERROR:
        return {"kind": before.kind, "given_at": before.given_at, "amount": before.amount,
                "skip_reason": before.skip_reason, "note": before.note,
                "override_reason": before.override_reason,
                "caregiver_id": before.caregiver_id}
    return {"kind": EntryKind.ENTERED_IN_ERROR, "note": UNDO_NOTE, "given_at": None,
            "amount": None, "skip_reason": None, "caregiver_id": None}


# ---- Words


def _dose_name(item: ActionItem, zone: ZoneInfo, now: datetime) -> str:
    """"riluzole 11:39", "glycopyrrolate (as needed)", "baclofen (extra dose)"."""
    if item.due is not None:
        return f"{item.medicine_name} {describe_when(item.due, zone, now)}"
    return f"{item.medicine_name} ({'extra dose' if item.extra else 'as needed'})"


def describe_action(action: LastAction, zone: ZoneInfo, now: datetime,
                    initials: Mapping[int, str]) -> str:
    """The whole action in words, as Undo will take it back, each dose with its time:
    "riluzole 11:39 given at 11:40 by TE", "3 doses due 08:00 given at 08:05 by TE:
    riluzole, baclofen, ...", "2 answers saved together: riluzole 11:33, riluzole 11:39",
    "riluzole 11:39 snoozed until 11:49", "correction of riluzole 08:00 (now: skipped:
    asleep)"."""
    if len(action.snoozes) > 1:
        names = ", ".join(f"{s.medicine_name} {describe_when(s.due, zone, now)}"
                          for s in action.snoozes)
        until = describe_when(action.snoozes[0].until, zone, now)
        return f"{len(action.snoozes)} doses snoozed until {until}: {names}"
    if action.snooze is not None:
        snooze = action.snooze
        return (f"{snooze.medicine_name} {describe_when(snooze.due, zone, now)} snoozed "
                f"until {describe_when(snooze.until, zone, now)}")
    items = action.items
    if not items:
        return ""
    if len(items) == 1:
        item = items[0]
        what = entry_text(item.entry, zone, now, initials)
        if item.corrected is not None:
            return f"correction of {_dose_name(item, zone, now)} (now: {what})"
        return f"{_dose_name(item, zone, now)} {what}"
    # each dose with its time, unless the one due time is said once ("3 doses due 08:00")
    doses = ", ".join(dict.fromkeys(_dose_name(i, zone, now) for i in items))
    entry = items[0].entry
    if _given_together(items) and entry.given_at is not None:
        by = who(entry.caregiver_id, initials)
        what = f"given at {describe_when(entry.given_at, zone, now)}" + (
            f" by {by}" if by else "")
        due = _one_due(items)
        if due is None:
            return f"{len(items)} doses {what}: {doses}"
        names = ", ".join(dict.fromkeys(i.medicine_name for i in items))
        return f"{len(items)} doses due {describe_when(due, zone, now)} {what}: {names}"
    return f"{len(items)} answers saved together: {doses}"


def _given_together(items: tuple[ActionItem, ...]) -> bool:
    """Every entry given, at the same time, by the same person (a group given at once)."""
    return {(i.entry.kind, i.entry.given_at, i.entry.caregiver_id) for i in items} == {
        (EntryKind.GIVEN, items[0].entry.given_at, items[0].entry.caregiver_id)}


def _one_due(items: tuple[ActionItem, ...]) -> datetime | None:
    dues = {i.due for i in items}
    return next(iter(dues)) if len(dues) == 1 else None


def short_action(action: LastAction, zone: ZoneInfo, now: datetime) -> str:
    """A few words for the Undo button: "riluzole 11:39 given", "3 doses of 08:00
    given", "riluzole 11:39 snoozed", "correction of riluzole 08:00"."""
    if len(action.snoozes) > 1:
        return f"{len(action.snoozes)} doses snoozed"
    if action.snooze is not None:
        snooze = action.snooze
        return f"{snooze.medicine_name} {describe_when(snooze.due, zone, now)} snoozed"
    items = action.items
    if not items:
        return ""
    if len(items) == 1:
        item = items[0]
        if item.corrected is not None:
            return f"correction of {_dose_name(item, zone, now)}"
        verb = {EntryKind.GIVEN: "given", EntryKind.SKIPPED: "not given",
                EntryKind.ENTERED_IN_ERROR: "withdrawn"}[item.entry.kind]
        return f"{_dose_name(item, zone, now)} {verb}"
    if _given_together(items):
        due = _one_due(items)
        when = f" of {describe_when(due, zone, now)}" if due is not None else ""
        return f"{len(items)} doses{when} given"
    return f"{len(items)} answers"


__all__ = [
    "NOTHING_TO_UNDO",
    "UNDO_NOTE",
    "UNDO_WINDOW",
    "ActionItem",
    "LastAction",
    "SnoozeChange",
    "describe_action",
    "reversal",
    "short_action",
]
