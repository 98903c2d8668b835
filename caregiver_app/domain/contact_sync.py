"""The care team kept in step with the family's address book: what to do when a contact
changed here, on a phone, or on both. Plain Python (``services.sharing.cards`` reads and
writes the cards and talks to the server).

A contact is compared field by field with the version both sides last agreed on (the
*base*, the card as the app last wrote or took it in):

- changed on one side only: that side's version is taken;
- changed on both sides, in different fields: each side's changed fields are taken
  together (``merge``);
- the same field changed on both sides to different values: a **conflict** that a
  person settles in the app, seeing both versions (``FieldConflict``); nothing of that
  contact goes either way until then;
- deleted on one side: never deleted on the other without asking
  (``CardState.GONE_THERE``, ``CardState.GONE_HERE``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from caregiver_app.domain.contacts import Contact, PreferredContact
from caregiver_app.domain.phones import format_phone

#: The fields compared, in the order a person reads them, with their names in words.
FIELDS: dict[str, str] = {
    "name": "Name", "role": "Role", "organisation": "Organisation", "phones": "Phones",
    "email": "Email", "address": "Address", "portal_url": "Web address",
    "office_hours": "Office hours", "preferred_contact": "Best way to reach",
    "notes": "Notes", "emergency": "Call first",
}


def value(contact: Contact, field: str) -> Any:
    """A field's value to compare (the role with its own words, as one field)."""
    if field == "role":
        return contact.role, contact.role_other
    return getattr(contact, field)


def shown(contact: Contact, field: str, *, region: str | None = None) -> str:
    """A field as a person reads it, "(empty)" when there is nothing."""
    if field == "role":
        text = contact.role_label
    elif field == "phones":
        text = "\n".join(f"{p.kind.label}: {format_phone(p, region)}"
                         for p in contact.phones)
    elif field == "preferred_contact":
        text = ("" if contact.preferred_contact is PreferredContact.ANY
                else contact.preferred_contact.label)
    elif field == "emergency":
        text = "Yes" if contact.emergency else "No"
    else:
        text = str(getattr(contact, field))
    return text or "(empty)"


def changed_fields(before: Contact, after: Contact) -> frozenset[str]:
    return frozenset(f for f in FIELDS if value(before, f) != value(after, f))


def _with_fields(target: Contact, source: Contact, fields: frozenset[str]) -> Contact:
    changes: dict[str, Any] = {}
    for field in fields:
        if field == "role":
            changes["role"], changes["role_other"] = source.role, source.role_other
        else:
            changes[field] = getattr(source, field)
    return replace(target, **changes)


@dataclass(frozen=True)
class CardMerge:
    """A contact as here (``ours``) and on the server (``theirs``) against ``base``."""

    base: Contact
    ours: Contact
    theirs: Contact

    @property
    def changed_here(self) -> frozenset[str]:
        return changed_fields(self.base, self.ours)

    @property
    def changed_there(self) -> frozenset[str]:
        return changed_fields(self.base, self.theirs)

    @property
    def conflicts(self) -> tuple[str, ...]:
        """The fields changed on both sides to different values, in ``FIELDS`` order."""
        both = self.changed_here & self.changed_there
        return tuple(f for f in FIELDS
                     if f in both and value(self.ours, f) != value(self.theirs, f))

    def merged(self, choices: Mapping[str, Side] | None = None) -> Contact:
        """``ours`` with the fields changed only on the server taken from there, and for
        each conflicting field the side chosen in ``choices`` (KeyError when one has
        none: a person must choose)."""
        choices = choices or {}
        there = {f for f in self.changed_there if f not in self.conflicts}
        there |= {f for f in self.conflicts if choices[f] is Side.THERE}
        return _with_fields(self.ours, self.theirs, frozenset(there))


class Side(StrEnum):
    HERE = "here"  # this computer's version
    THERE = "there"  # the phones' (the server's) version


@dataclass(frozen=True)
class FieldConflict:
    """One field a person chooses, with both versions in words."""

    field: str
    label: str
    here: str
    there: str


def field_conflicts(merge: CardMerge, *, region: str | None = None
                    ) -> list[FieldConflict]:
    return [FieldConflict(f, FIELDS[f], shown(merge.ours, f, region=region),
                          shown(merge.theirs, f, region=region)) for f in merge.conflicts]


class CardState(StrEnum):
    """Where a card of the address book stands."""

    IN_STEP = ""  # as both sides last agreed (or changed here, to be sent)
    CONFLICT = "conflict"  # a field changed on both sides: a person chooses
    GONE_THERE = "gone_there"  # deleted from the address book; still in the care team
    GONE_HERE = "gone_here"  # removed from the care team here; still in the address book
    NOT_TAKEN = "not_taken"  # a card not taken into the care team (said why in a note)
    LEFT = "left"  # removed here, left on the phones at a person's word: not kept in step
    TO_REMOVE = "to_remove"  # removed here; a person said to remove it from the phones too

    @property
    def waits_for_a_person(self) -> bool:
        return self in (CardState.CONFLICT, CardState.GONE_THERE, CardState.GONE_HERE)


@dataclass(frozen=True)
class SharedCard:
    """One card of the app's address book, as the app last left it."""

    uid: str
    href: str
    contact_id: int | None = None
    etag: str = ""
    base: str = ""  # the card (vCard text) as both sides last agreed on
    remote: str = ""  # the server's card waiting for a person (a conflict)
    state: CardState = CardState.IN_STEP


__all__ = [
    "FIELDS",
    "CardMerge",
    "CardState",
    "FieldConflict",
    "SharedCard",
    "Side",
    "changed_fields",
    "field_conflicts",
    "shown",
    "value",
]
