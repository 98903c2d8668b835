"""The phones' notes as a person reads them: which dose, what happened, what to do.

A sync keeps what the phones did that the app could not simply record
(``domain.sharing.ShareNote``: also ticked, un-ticked, a conflict). ``note_lines`` turns
them into ``PhoneNoteLine``s naming the dose ("riluzole, Mon 7 Dec 08:00"), newest
first; ``needs_a_person`` says which ask someone to check or correct a record (an
un-ticked task, a conflict, a tick of a dose the app has by another giver or at another
time) rather than only telling (also ticked by the record's giver at its time; a card
from a phone already in the care team). Plain Python.

A note about a dose is **settled** once a person has recorded that dose again in the
app after the note came in (``SETTLED_BY_A_RECORD``): a correction of the record it
names, or, when it names none ("nothing was recorded"), any record of the dose made in
the app since. Nothing is changed or removed for that: the note stays in the list, as
settled, and needs no one any more. A record a phone's tick made settles nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from caregiver_app.domain.localtime import weekday_date
from caregiver_app.domain.sharing import Action, ShareNote

_HEADINGS = {
    Action.ALSO_TICKED: "Also ticked on a phone",
    Action.UNTICKED: "Un-ticked on a phone: check the record",
    Action.CONFLICT: "To settle in the app",
    Action.RECORD: "Recorded from a phone",
    Action.NEWS: "From the phones",
    Action.TICKED_TWICE: "Ticked on a phone too: check it was not given twice",
}


#: The notes about a dose that a later record of that dose in the app settles.
SETTLED_BY_A_RECORD = (Action.UNTICKED, Action.ALSO_TICKED, Action.CONFLICT,
                       Action.TICKED_TWICE)


@dataclass(frozen=True)
class PhoneNoteLine:
    """One note from the phones, with its dose in words."""

    id: int
    action: Action
    dose: str  # "riluzole, Mon 7 Dec 08:00" ("" when the dose is not known)
    message: str
    noted_at: datetime
    seen: bool
    medicine_id: int | None = None
    occurrence_key: str = ""
    entry_id: int | None = None
    settled: bool = False  # its dose was recorded again in the app since
    uid: str = ""  # the task's, or the contact's card's (``about_a_contact``)

    @property
    def about_a_contact(self) -> bool:
        """A note about the care team's address book (a card), not about a dose."""
        return self.medicine_id is None and not self.occurrence_key

    @property
    def needs_a_person(self) -> bool:
        """Someone should check or correct a record (not only be told), and nobody has
        recorded the dose again since."""
        return self.action.asks_a_person and not self.settled

    @property
    def is_new(self) -> bool:
        """Nobody has marked it seen or settled it yet."""
        return not self.seen and not self.settled

    @property
    def state_words(self) -> str:
        """"new", "seen", or "settled in the app" (its dose recorded again since)."""
        return "settled in the app" if self.settled else "seen" if self.seen else "new"

    @property
    def heading(self) -> str:
        return _HEADINGS.get(self.action, "From the phones")

    def one_line(self) -> str:
        """"riluzole, Mon 7 Dec 08:00: Un-ticked on Ana's iPhone: …" ("Care team: …"
        for a contact)."""
        if self.about_a_contact:
            return f"Care team: {self.message}"
        return f"{self.dose}: {self.message}" if self.dose else self.message


def dose_words(name: str, key: str) -> str:
    """A dose named by its medicine and its scheduled local time: "riluzole, Mon 7 Dec
    08:00" (a key that names no clock time, a loading course's: the name only)."""
    if len(key) >= 16 and key[10] == "T":
        try:
            local = datetime.fromisoformat(key[:16])
        except ValueError:
            return name
        return f"{name}, {weekday_date(local)} {local:%H:%M}"
    return name


def note_lines(notes: Iterable[ShareNote], names: Mapping[int, str]) -> list[PhoneNoteLine]:
    """``notes`` as lines, newest first; ``names``: each medicine's name by id."""
    lines = []
    for note in notes:
        name = names.get(note.medicine_id, "") if note.medicine_id is not None else ""
        lines.append(PhoneNoteLine(
            id=note.id or 0, action=note.action,
            dose=dose_words(name, note.occurrence_key) if name else "",
            message=note.message, noted_at=note.noted_at, seen=note.seen_at is not None,
            medicine_id=note.medicine_id, occurrence_key=note.occurrence_key,
            entry_id=note.entry_id, settled=note.settled_at is not None, uid=note.uid))
    lines.sort(key=lambda line: (line.noted_at, line.id), reverse=True)
    return lines


def asking_first(lines: Iterable[PhoneNoteLine]) -> list[PhoneNoteLine]:
    """``lines`` with those that need a person first, then those that only tell, each
    kept in its order (newest first): what a short list (Today's line) shows first, so
    a note that only tells never hides one that asks behind "and 1 more"."""
    return sorted(lines, key=lambda line: not line.needs_a_person)


__all__ = ["SETTLED_BY_A_RECORD", "PhoneNoteLine", "asking_first", "dose_words",
           "note_lines"]
