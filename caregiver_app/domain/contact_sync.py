"""The care team kept in step with the family's address book: what to do when a contact
changed here, on a phone, or on both. Plain Python (``services.sharing.cards`` reads and
writes the cards and talks to the server).

A contact is compared field by field with the version both sides last agreed on (the
*base*, the card as the app last wrote or took it in):

- changed on one side only: that side's version is taken;
- changed on both sides, in different fields: each side's changed fields are taken
  together (``merge``);
- the phone numbers number by number (``PhoneMerge``): a number added, removed or
  edited on one side is taken from that side, so a number added on a phone and another
  added here are both kept; only the same number changed on both sides, differently
  (or the same new number added on both with different kinds), waits for a person;
  and when the numbers of both sides together could pass the most a contact keeps
  (``MAX_PHONES``), the person chooses one side's list whole
  (``CardMerge.too_many_numbers``): nothing is cut or dropped for them;
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

from caregiver_app.domain.contacts import MAX_PHONES, Contact, PreferredContact
from caregiver_app.domain.phones import Phone, format_phone

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


# ---- the phone numbers, number by number

#: The choices' keys of the numbers a person settles start so (the rest is the place).
PHONE_CHOICE = "phones:"


def _number(phone: Phone) -> tuple[str, str]:
    """What makes a number the same number: its digits and extension, not its kind."""
    return phone.number, phone.extension


def _versions(base: tuple[Phone, ...], side: tuple[Phone, ...],
              new_on_both: set[tuple[str, str]]
              ) -> tuple[list[Phone | None], list[Phone]]:
    """Each of ``base``'s numbers as ``side`` has it now (None: removed), and the numbers
    ``side`` added. The same digits are the same number (its kind may have changed); a
    new number takes the place of a removed one of the same kind (the digits of a number
    edited on a phone: the phone keeps its label), in order; a number new on both sides
    is not an edit of either (it is compared as added on both)."""
    mine = {_number(p): p for p in side}
    versions: list[Phone | None] = [mine.get(_number(b)) for b in base]
    known = {_number(b) for b in base}
    added: list[Phone] = []
    for phone in side:
        key = _number(phone)
        if key in known or key in new_on_both:
            continue
        place = next((i for i, b in enumerate(base)
                      if versions[i] is None and b.kind is phone.kind), None)
        if place is None:
            added.append(phone)
        else:
            versions[place] = phone
    return versions, added


@dataclass(frozen=True)
class PhoneClash:
    """One number changed on both sides, differently: a person chooses. ``was``: the
    number both sides last agreed on (None: a new number added on both, with different
    kinds); ``here``/``there``: each side's version (None: removed on that side)."""

    key: str  # the choice's key: PHONE_CHOICE + the number's place
    was: Phone | None
    here: Phone | None
    there: Phone | None
    place: int = 0  # where the number stands in the merged list


@dataclass(frozen=True)
class PhoneMerge:
    """The numbers of two sides against the base, number by number: the numbers settled
    (``taken``, each with its place) and those a person chooses (``clashes``)."""

    taken: tuple[tuple[int, Phone], ...]
    clashes: tuple[PhoneClash, ...]

    def phones(self, choices: Mapping[str, Side]) -> tuple[Phone, ...]:
        """The numbers with each clash settled by ``choices`` (KeyError when one has no
        choice): in this computer's order, a number edited in the place of the one it
        replaces, the phones' new numbers after, in theirs."""
        found = list(self.taken)
        for clash in self.clashes:
            chosen = clash.here if choices[clash.key] is Side.HERE else clash.there
            if chosen is not None:
                found.append((clash.place, chosen))
        return tuple(phone for _place, phone in sorted(found, key=lambda f: f[0]))


def merge_phones(base: tuple[Phone, ...], ours: tuple[Phone, ...],
                 theirs: tuple[Phone, ...]) -> PhoneMerge:
    """See ``PhoneMerge``. A number changed (its kind or digits), removed or added on one
    side only is taken from that side; changed on both, the same way: taken; changed on
    both, differently (one removing it, the other editing it counts): a clash."""
    known = {_number(b) for b in base}
    new_here = {_number(p): p for p in ours if _number(p) not in known}
    new_there = {_number(p): p for p in theirs if _number(p) not in known}
    on_both = set(new_here) & set(new_there)
    here, added_here = _versions(base, ours, on_both)
    there, added_there = _versions(base, theirs, on_both)
    mine_at = {_number(p): i for i, p in enumerate(ours)}
    theirs_at = {_number(p): len(ours) + i for i, p in enumerate(theirs)}

    def place(*versions: Phone | None) -> int:
        """Where ours stands, else where theirs does (the phones' after ours)."""
        mine, other = versions
        if mine is not None:
            return mine_at[_number(mine)]
        return theirs_at[_number(other)] if other is not None else len(ours)

    taken = [(place(p, None), p) for p in added_here]
    taken += [(place(None, p), p) for p in added_there]
    clashes: list[PhoneClash] = []
    for at, (was, mine, other) in enumerate(zip(base, here, there, strict=True)):
        if mine == other or other == was:
            chosen = mine
        elif mine == was:
            chosen = other
        else:
            clashes.append(PhoneClash(f"{PHONE_CHOICE}{at}", was, mine, other,
                                      place(mine, other)))
            continue
        if chosen is not None:
            taken.append((place(mine, other), chosen))
    for key in sorted(on_both):
        mine, other = new_here[key], new_there[key]
        if mine == other:
            taken.append((place(mine, other), mine))
        else:
            clashes.append(PhoneClash(f"{PHONE_CHOICE}new {key[0]};{key[1]}", None,
                                      mine, other, place(mine, other)))
    return PhoneMerge(tuple(taken), tuple(clashes))


def _one_phone(phone: Phone | None, region: str | None) -> str:
    if phone is None:
        return "(removed)"
    return f"{phone.kind.label}: {format_phone(phone, region)}"


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
    def numbers(self) -> PhoneMerge:
        """The phone numbers merged number by number."""
        return merge_phones(self.base.phones, self.ours.phones, self.theirs.phones)

    @property
    def too_many_numbers(self) -> bool:
        """Both sides changed the numbers, and merged number by number they could come
        to more than a contact keeps (``MAX_PHONES``: each clash settled by keeping a
        number): a person then chooses one side's numbers whole, "phones"."""
        if not ("phones" in self.changed_here and "phones" in self.changed_there):
            return False
        numbers = self.numbers
        most = len(numbers.taken) + sum(1 for c in numbers.clashes
                                        if c.here is not None or c.there is not None)
        return most > MAX_PHONES

    @property
    def conflicts(self) -> tuple[str, ...]:
        """What a person chooses, in ``FIELDS`` order: each field changed on both sides
        to different values, and in place of "phones" each number changed on both sides
        differently (``PHONE_CHOICE`` + its place), or "phones" itself when the numbers
        together are too many (``too_many_numbers``)."""
        both = self.changed_here & self.changed_there
        found: list[str] = []
        for field in FIELDS:
            if field == "phones":
                if self.too_many_numbers:
                    found.append("phones")
                elif "phones" in both:
                    found.extend(c.key for c in self.numbers.clashes)
            elif field in both and value(self.ours, field) != value(self.theirs, field):
                found.append(field)
        return tuple(found)

    def merged(self, choices: Mapping[str, Side] | None = None) -> Contact:
        """``ours`` with the fields changed only on the server taken from there, the
        numbers merged number by number, and for each conflict the side chosen in
        ``choices`` (KeyError when one has none: a person must choose)."""
        choices = choices or {}
        conflicts = self.conflicts
        there = {f for f in self.changed_there if f not in conflicts and f != "phones"}
        there |= {f for f in conflicts if f in FIELDS and choices[f] is Side.THERE}
        merged = _with_fields(self.ours, self.theirs, frozenset(there))
        if "phones" in self.changed_there and "phones" not in conflicts:
            # number by number (changed there only: the phone's, in order)
            merged = replace(merged, phones=self.numbers.phones(choices)
                             if "phones" in self.changed_here else self.theirs.phones)
        return merged


class Side(StrEnum):
    HERE = "here"  # this computer's version
    THERE = "there"  # the phones' (the server's) version


@dataclass(frozen=True)
class FieldConflict:
    """One field (or one phone number) a person chooses, with both versions in words."""

    field: str
    label: str
    here: str
    there: str


#: The choice of one side's numbers whole, when together they are too many.
TOO_MANY_LABEL = f"Phones (more than {MAX_PHONES} together: keep one list)"


def field_conflicts(merge: CardMerge, *, region: str | None = None
                    ) -> list[FieldConflict]:
    clashes = {c.key: c for c in merge.numbers.clashes}
    found = []
    for key in merge.conflicts:
        clash = clashes.get(key)
        if key == "phones":  # too many together: one side's list, whole
            found.append(FieldConflict(key, TOO_MANY_LABEL,
                                       shown(merge.ours, key, region=region),
                                       shown(merge.theirs, key, region=region)))
        elif clash is None:
            found.append(FieldConflict(key, FIELDS[key], shown(merge.ours, key, region=region),
                                       shown(merge.theirs, key, region=region)))
        else:
            label = (f"Phone number, was {_one_phone(clash.was, region)}"
                     if clash.was is not None else "Phone number added on both")
            found.append(FieldConflict(key, label, _one_phone(clash.here, region),
                                       _one_phone(clash.there, region)))
    return found


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
    "PHONE_CHOICE",
    "TOO_MANY_LABEL",
    "CardMerge",
    "CardState",
    "FieldConflict",
    "PhoneClash",
    "PhoneMerge",
    "SharedCard",
    "Side",
    "changed_fields",
    "field_conflicts",
    "merge_phones",
    "shown",
    "value",
]
