"""The care team as the family's address book (CardDAV), both ways, in the sync's steps
(``engine``): pull (network), apply (records), outbox (records), push (network),
record (records).

- A contact saved in the app goes out as a vCard named by its identity
  (``dose_identity.contact_uid``); an edit in the app goes out with ``If-Match``.
- A card added on a phone comes into the Care team through the checks and the rules of
  a vCard import (``services.vcard``: ``read_vcards``, ``plan_import``): a card already
  on the team (same name and number) is not added twice, a card with a problem is not
  taken in, and a note says which and why.
- A card edited on a phone is compared field by field with the card as both sides last
  agreed on (``domain.contact_sync``): the phone's changed fields come in, the app's go
  out; the same field changed on both sides waits for a person (``waiting()``,
  ``settle_fields``), and nothing of that contact moves until then.
- A card deleted on a phone, or a contact removed here, is never followed on the other
  side without asking (``settle_gone``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from caregiver_app.domain.contact_sync import (
    CardMerge,
    CardState,
    FieldConflict,
    SharedCard,
    Side,
    field_conflicts,
)
from caregiver_app.domain.contacts import MAX_PHONES, Contact, merge_contacts
from caregiver_app.domain.dose_identity import contact_uid
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.sharing import Action, Incoming
from caregiver_app.services.sharing.formats import card_uid, contact_vcard, read_contact
from caregiver_app.services.sharing.transport import (
    CARD_TYPE,
    Changes,
    Precondition,
    Transport,
)


def address_book_slug(household_id: str) -> str:
    """The address book's name in its address: one per household."""
    return f"als-care-{household_id}-care-team"


@dataclass
class CardPull:
    """What a pull found in the address book."""

    url: str = ""
    changes: Changes = field(default_factory=lambda: Changes(token=""))


@dataclass(frozen=True)
class CardOp:
    card: SharedCard  # as it is once written (its base is the text sent)
    text: str | None  # None: delete the card


@dataclass
class CardPushed:
    saved: list[SharedCard] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Waiting:
    """A card a person decides about: both versions, and the fields to choose."""

    card: SharedCard
    name: str  # the contact's name, as here (or on the phones when gone here)
    here: Contact | None
    there: Contact | None
    fields: tuple[FieldConflict, ...] = ()

    def question(self) -> str:
        if self.card.state is CardState.GONE_THERE:
            return (f"“{self.name}” was deleted from the family's address book on a phone. "
                    "Remove this contact from the care team too?")
        if self.card.state is CardState.GONE_HERE:
            return (f"“{self.name}” was removed from the care team here. Remove it from "
                    "the family's address book (the phones) too?")
        if any(f.field == "phones" for f in self.fields):  # too many numbers together
            return (f"“{self.name}” was given new numbers here and on a phone: together "
                    f"more than the {MAX_PHONES} a contact keeps. Choose which numbers to "
                    "keep; the others are then listed in the phones' notes, and one can "
                    "be added by hand in the Care team tab, in place of one kept."
                    + (" Choose the other fields too." if len(self.fields) > 1 else ""))
        return (f"“{self.name}” was changed here and on a phone, in the same "
                f"{'field' if len(self.fields) == 1 else 'fields'}. Choose which to keep.")


#: Where a person settles a contact, as the notes say it (the Today line's button opens
#: the phones' notes, where the note's own button is "Settle this contact…").
SETTLE_WHERE = "“Settle this contact” in the phones' notes"


def _note(uid: str, message: str, action: Action = Action.CONFLICT) -> Incoming:
    """A note about a card: for a person to act on (a conflict), or only news."""
    return Incoming(action, uid=uid, medicine_id=None, occurrence_key="", message=message)


@dataclass(frozen=True)
class _News:
    """What a note that only tells says (nothing for a person to check or settle)."""

    message: str


_DETAIL_WORDS = {
    "organisation": "an organisation", "email": "an email address",
    "address": "an address", "portal_url": "a patient portal", "office_hours":
    "office hours", "preferred_contact": "a preferred way to reach them",
    "notes": "a note", "emergency": "“call first”",
}
_TEXTS = ("organisation", "email", "address", "portal_url")


def _new_details(existing: Contact, card: Contact) -> list[str]:
    """What ``card`` (a phone's) knows about someone already on the team that the team's
    ``existing`` contact does not, in words ("a mobile number", "an email address"):
    what a vCard import would merge in (``merge_contacts``)."""
    merged = merge_contacts(existing, card)
    words = []
    added = merged.phones[len(existing.phones):]
    if len(added) == 1:
        kind = added[0].kind.label.lower()
        words.append(f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} number")
    elif added:
        words.append(f"{len(added)} more numbers")
    if (merged.role, merged.role_other) != (existing.role, existing.role_other):
        words.append("a role")
    words.extend(word for name, word in _DETAIL_WORDS.items()
                 if getattr(merged, name) != getattr(existing, name))
    # a value both have, but not the same: a merge keeps the team's, so say it too
    words.extend(f"another {word.split(' ', 1)[1]}" for name, word in _DETAIL_WORDS.items()
                 if name in _TEXTS and getattr(existing, name) and getattr(card, name)
                 and getattr(card, name).casefold() != getattr(existing, name).casefold())
    return words


def _not_kept(merge: CardMerge, merged: Contact, region: str | None) -> str:
    """The numbers of both versions that ``merged`` does not keep, each with its side:
    "Home: (312) 555-0200 (on a phone), Mobile: (312) 555-0100 (here)"; "" when none."""
    from caregiver_app.domain.phones import format_phone

    kept = {(p.number, p.extension) for p in merged.phones}
    words: list[str] = []
    for phones, side in ((merge.ours.phones, "here"), (merge.theirs.phones, "on a phone")):
        for phone in phones:
            if (phone.number, phone.extension) not in kept:
                kept.add((phone.number, phone.extension))  # (said once)
                words.append(f"{phone.kind.label}: {format_phone(phone, region)} ({side})")
    return ", ".join(words)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class CardSync:
    """See the module's doc. ``cards``: ``storage.card_repo.CardRepository``;
    ``collections``: the sharing repository (the address book's address and token);
    ``careteam``: ``services.careteam.CareTeam``."""

    def __init__(self, cards, collections, careteam, household_id: Callable[[], str], *,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)):
        """``now``: the app's clock (when a note made while settling came in)."""
        self._cards = cards
        self._collections = collections
        self._careteam = careteam
        self._household_id = household_id
        self._now = now
        self._written: dict[str, tuple[Contact, str]] = {}  # uid → (contact, its card)

    # ---- step 0 and 1 (network)

    def known(self) -> tuple[str, str, dict[str, str]]:
        """The address book's address, its sync-token, and each card's ETag by address:
        what a pull needs, read on the records' thread."""
        from caregiver_app.domain.sharing import ItemKind

        url, token = self._collections.collections().get(ItemKind.CARD, ("", ""))
        return url, token, {c.href: c.etag for c in self._cards.cards().values()}

    @staticmethod
    def pull(transport: Transport, known: tuple[str, str, dict[str, str]], *, name: str,
             household_id: str) -> CardPull:
        url, token, etags = known
        found = transport.ensure_address_book(url, name=name,
                                              slug=address_book_slug(household_id))
        if found != url:
            token, etags = "", {}
        return CardPull(url=found, changes=transport.card_changes(found, token, etags))

    # ---- step 2 (records)

    def apply(self, pulled: CardPull) -> list[Incoming]:
        """Take in what the phones did to the address book; returns the notes for a
        person. Saves the address book's new sync-token last."""
        from caregiver_app.domain.sharing import ItemKind

        region = self._careteam.region
        known_url = self._collections.collections().get(ItemKind.CARD, ("", ""))[0]
        if known_url and known_url != pulled.url:
            self._cards.forget()  # a new address book: everything goes again
        cards = self._cards.cards()
        by_href = {c.href: c for c in cards.values()}
        household = self._household_id()
        ours = {contact_uid(household, c.id): c.id for c in self._careteam.contacts()}
        notes: list[Incoming] = []
        saved: list[SharedCard] = []
        for href, etag, text in pulled.changes.changed:
            uid = card_uid(text)
            card = by_href.get(href) or cards.get(uid)
            if card is not None and card.etag and card.etag == etag:
                continue  # the app's own write, read back
            if card is None and uid in ours:
                # the app wrote it, and the sync stopped before noting it: its own again
                saved.append(SharedCard(uid=uid, href=href, contact_id=ours[uid],
                                        etag=etag, base=text))
                continue
            if card is not None and card.state in (CardState.LEFT, CardState.TO_REMOVE):
                saved.append(replace(card, etag=etag))
                continue
            if card is None or card.contact_id is None:
                result = self._added_there(href, etag, text, card, region)
            else:
                result = self._changed_there(card, etag, text, region)
            if result is not None:
                card, note = result
                saved.append(card)
                if isinstance(note, _News):
                    notes.append(_note(card.uid, note.message, Action.NEWS))
                elif note:
                    notes.append(_note(card.uid, note))
        for href in pulled.changes.removed:
            card = by_href.get(href)
            if card is None:
                continue
            contact = self._contact(card.contact_id)
            if contact is None or card.state is CardState.GONE_HERE:
                self._cards.remove([card.uid])  # gone on both sides: nothing to ask
                continue
            saved.append(replace(card, etag="", remote="", state=CardState.GONE_THERE))
            notes.append(_note(card.uid, f"“{contact.name}” was deleted from the "
                                         "family's address book on a phone; nothing is "
                                         "removed from the care team until you choose, "
                                         f"with {SETTLE_WHERE}."))
        self._cards.save(saved)
        self._collections.save_collection(ItemKind.CARD, pulled.url, pulled.changes.token)
        return notes

    def _contact(self, contact_id: int | None) -> Contact | None:
        if contact_id is None:
            return None
        contact = self._careteam.contact(contact_id)
        return None if contact is None or contact.archived else contact

    def _added_there(self, href: str, etag: str, text: str, card: SharedCard | None,
                     region: str | None) -> tuple[SharedCard, str | _News] | None:
        """A card the care team does not have: taken in as a vCard import takes a card
        (its checks; one already on the team is not added twice)."""
        from caregiver_app.services.vcard import (
            ImportAction,
            plan_import,
            problem_text,
        )

        uid = card_uid(text) or href
        read = read_contact(text, region=region)
        [row] = plan_import([read], self._careteam.contacts())
        name = read.contact.name or "A card with no name"
        not_taken = SharedCard(uid=uid, href=href, etag=etag, state=CardState.NOT_TAKEN)
        if read.unreadable:
            return not_taken, (f"A card added to the family's address book could not be "
                               f"read, so it was not added to the care team: "
                               f"{read.unreadable_text}")
        if row.blocked:
            return not_taken, (f"“{name}”, added on a phone, was not added to the care "
                               f"team: {problem_text(row, region=region)} Fix it on the "
                               "phone, or add it in the Care team tab.")
        if row.action is not ImportAction.ADD:
            who = row.match.existing.name if row.match else ""
            known = (f"“{name}”, added on a phone, is already in the care team"
                     + (f" as “{who}”" if who and who != name else ""))
            new = _new_details(row.match.existing, row.contact) if row.match else []
            if new:  # not only news: what the card adds would be lost unseen
                return not_taken, (f"{known}, so it was not added twice; but the phone's "
                                   f"card has {_and(new)} the care team does not. Add "
                                   "them in the Care team tab if they are right.")
            return not_taken, _News(f"{known}; it was not added twice.")
        try:
            contact = self._careteam.save_contact(replace(row.contact, id=None))
        except ValidationError as exc:
            return not_taken, (f"“{name}”, added on a phone, was not added to the care "
                               f"team: {' '.join(exc.errors.values())}")
        # known from now on under the phone's own UID and address
        return SharedCard(uid=uid, href=href, contact_id=contact.id, etag=etag,
                          base=self._text(contact, uid)), ""

    def _changed_there(self, card: SharedCard, etag: str, text: str,
                       region: str | None) -> tuple[SharedCard, str] | None:
        ours = self._contact(card.contact_id)
        read = read_contact(text, base=card.base, region=region)
        if ours is None:  # removed here meanwhile: asked about at the outbox
            return replace(card, etag=etag), ""
        problems = read.unreadable_text or " ".join(read.problems.values())
        if problems:  # base "": the app's version is sent again
            return (replace(card, etag=etag, base=""),
                    f"A change to “{ours.name}” made on a phone could not be taken in "
                    f"({problems}); the care team's version goes back to the phones.")
        base = read_contact(card.base, region=region).contact if card.base else ours
        merge = CardMerge(base=base, ours=ours,
                          theirs=replace(read.contact, id=ours.id, archived=False))
        if merge.too_many_numbers:
            return replace(card, etag=etag, remote=text, state=CardState.CONFLICT), (
                f"“{ours.name}” was given new numbers here and on a phone, more than "
                f"{MAX_PHONES} together; choose which numbers to keep with {SETTLE_WHERE}.")
        if merge.conflicts:
            return replace(card, etag=etag, remote=text, state=CardState.CONFLICT), (
                f"“{ours.name}” was changed here and on a phone in the same field; "
                f"choose which to keep with {SETTLE_WHERE}.")
        merged = merge.merged()
        if merged != ours:
            try:
                merged = self._careteam.save_contact(merged)
            except ValidationError as exc:
                return (replace(card, etag=etag, base=""),
                        f"A change to “{ours.name}” made on a phone could not be saved "
                        f"({' '.join(exc.errors.values())}); the care team's version goes "
                        "back to the phones.")
        # the server's card is the new common ground; what the app changed goes out next
        return replace(card, etag=etag, base=self._text(merge.theirs, card.uid),
                       remote="", state=CardState.IN_STEP), ""

    # ---- step 3 (records)

    def outbox(self, url: str) -> list[CardOp]:
        """Every write the address book needs to match the care team."""
        household = self._household_id()
        cards = self._cards.cards()
        by_contact = {c.contact_id: c for c in cards.values() if c.contact_id is not None}
        ops: list[CardOp] = []
        gone: list[SharedCard] = []
        for card in cards.values():
            if card.state is CardState.TO_REMOVE:
                ops.append(CardOp(card, None))
        for contact in self._careteam.contacts():
            card = by_contact.get(contact.id)
            if card is None:
                uid = contact_uid(household, contact.id)
                text = self._text(contact, uid)
                ops.append(CardOp(SharedCard(uid=uid, href=Transport.card_href(url, uid),
                                             contact_id=contact.id, base=text), text))
                continue
            if card.state is not CardState.IN_STEP:
                continue
            text = self._text(contact, card.uid)
            if text != card.base:
                ops.append(CardOp(replace(card, base=text), text))
        active = {c.id for c in self._careteam.contacts()}
        for card in cards.values():
            if card.contact_id is not None and card.contact_id not in active \
                    and card.state is CardState.IN_STEP:
                gone.append(replace(card, state=CardState.GONE_HERE))
        self._cards.save(gone)
        return ops

    def _text(self, contact: Contact, uid: str) -> str:
        """The contact's card; written again only when the contact changed (each sync
        compares every contact, on the records' thread)."""
        kept = self._written.get(uid)
        if kept is not None and kept[0] == contact:
            return kept[1]
        text = contact_vcard(contact, uid=uid)
        self._written[uid] = (contact, text)
        return text

    # ---- step 4 (network)

    @staticmethod
    def push(transport: Transport, ops: list[CardOp]) -> CardPushed:
        pushed = CardPushed()
        for op in ops:
            try:
                if op.text is None:
                    transport.delete(op.card.href, etag=op.card.etag)
                    pushed.removed.append(op.card.uid)
                else:
                    etag = transport.put(op.card.href, op.text, etag=op.card.etag,
                                         content_type=CARD_TYPE)
                    pushed.saved.append(replace(op.card, etag=etag))
            except Precondition:
                pushed.refused.append(op.card.uid)  # changed there: read at the next sync
        return pushed

    # ---- step 5 (records)

    def record(self, pushed: CardPushed) -> None:
        self._cards.save(pushed.saved)
        self._cards.remove(pushed.removed)

    # ---- a person decides

    def waiting(self) -> list[Waiting]:
        """The cards waiting for a person, with both versions."""
        region = self._careteam.region
        found = []
        for card in self._cards.waiting():
            here = self._careteam.contact(card.contact_id) if card.contact_id else None
            if card.state is CardState.CONFLICT and here is not None:
                base = read_contact(card.base, region=region).contact
                there = read_contact(card.remote, base=card.base, region=region).contact
                merge = CardMerge(base=base, ours=here, theirs=there)
                found.append(Waiting(card, here.name, here, there,
                                     tuple(field_conflicts(merge, region=region))))
            elif card.state is not CardState.CONFLICT:
                kept = read_contact(card.base, region=region).contact if card.base else None
                name = here.name if here else (kept.name if kept else "A contact")
                found.append(Waiting(card, name, here, kept))
        return found

    def waiting_uids(self) -> list[str]:
        """The cards waiting for a person, oldest first (cheap: nothing is read)."""
        return [card.uid for card in self._cards.waiting()]

    def settle_fields(self, uid: str, choices: Mapping[str, Side]) -> Contact:
        """A conflict settled: the chosen version of each conflicting field (the other
        fields merged as usual) is saved here and goes to the phones at the next sync.
        When one side's numbers were kept whole (too many together), the numbers of the
        other side not kept are written in a note (the phones' notes), so a person can
        still add one by hand. ValidationError when the result cannot be saved (nothing
        is then changed)."""
        card = self._cards.cards()[uid]
        region = self._careteam.region
        here = self._careteam.contact(card.contact_id)
        base = read_contact(card.base, region=region).contact
        there = read_contact(card.remote, base=card.base, region=region).contact
        merge = CardMerge(base=base, ours=here, theirs=replace(there, id=here.id,
                                                                archived=here.archived))
        try:
            merged = merge.merged(choices)
        except KeyError:  # a sync brought another change while the person chose
            raise ValidationError({"changed": (
                "This contact was changed again while you chose, so nothing was kept. "
                "Press Later, then open Settle contacts again to see both versions as "
                "they are now.")}) from None
        dropped = _not_kept(merge, merged, region) if "phones" in choices else ""
        with self._collections.atomic():  # the contact, its card and the note, or none
            if dropped:
                self._collections.add_notes([_note(uid, (
                    f"“{merged.name}”: one list of numbers was kept, so these were not: "
                    f"{dropped}. To keep one, add it by hand in the Care team tab, in "
                    "place of one kept."), Action.NEWS)], self._now())
            # common ground: the phone's card (its ETag is the one the app writes over)
            self._cards.save([replace(card, base=self._text(merge.theirs, uid), remote="",
                                      state=CardState.IN_STEP)])
            # last: saving the contact tells the window (Care team, the sync timer), so
            # nothing is told of a contact a failed write would take back
            saved = self._careteam.save_contact(merged)
        return saved

    def settle_gone(self, uid: str, *, remove: bool) -> None:
        """A contact deleted on one side: ``remove`` it on the other too, or keep it
        (put back on the phones / kept in the care team and no longer in step)."""
        card = self._cards.cards()[uid]
        if card.state is CardState.GONE_THERE:
            if remove and card.contact_id is not None:
                self._careteam.remove_contact(card.contact_id)  # archived: records keep it
                self._cards.remove([uid])
            else:  # put back on the phones at the next sync
                self._cards.save([replace(card, base="", etag="", state=CardState.IN_STEP)])
        elif card.state is CardState.GONE_HERE:
            self._cards.save([replace(card, state=CardState.TO_REMOVE if remove
                                      else CardState.LEFT)])


__all__ = ["CardOp", "CardPull", "CardPushed", "CardSync", "Waiting", "address_book_slug"]
