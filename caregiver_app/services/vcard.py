"""Read and write vCard (``.vcf``) files through ``vobject``.

Reading accepts what phones, Google Contacts, Outlook and Apple Contacts
write: vCard 2.1, 3.0 and 4.0, one or many cards, folded lines,
quoted-printable, UTF-8 or each property's declared charset (or an old Windows
code page), several numbers of each kind, Apple/Google custom labels
(``item1.X-ABLabel``), and cards missing N or FN. ``services.vcard_lines`` finds
the cards and prepares their lines the way phones' readers tolerate them (iPhone
line ends, comment lines, nested cards…); vobject parses each card.

Every card that can be read is read: one that cannot (a stray byte, a broken line)
comes back marked ``unreadable`` with its line and the reason, for the preview to
show, and the rest can be imported. Only a file in which no card can be read raises
``VCardError`` naming the card and the line. Reading never saves anything.

Nothing on a card is dropped without a word: every note is kept, a second address
goes into the notes like a second email, an internet-call (SIP) address too, and
what the care team has no place for (a photo, a birthday) is listed as left out in
the preview. A role is guessed only from a job title, credentials, the kind of
organisation or the notes, never from a person's name. Reading and planning an
import take time in proportion to the number of cards; both can report progress
and be cancelled, so the UI runs them off the GUI thread.

Writing produces vCard 3.0, the version phones accept most widely, folded at 75
octets. An extension follows an escaped comma ("+1 312-555-0142\\,12"): every reader
keeps it, and phones dial the comma as a pause. An address is written in ADR and also
as a LABEL, which phones show as written. Everything the app knows about a contact is
also written in ``X-ALSCC-*`` properties, so a file exported here and imported again
gives back exactly the same contact; phones ignore those and show the standard fields,
with office hours and the preferred way to reach them added to the note.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from caregiver_app.domain.contacts import (
    MAX_PHONES,
    MAX_TEXT,
    NAME_PREFIXES,
    Contact,
    ContactIndex,
    ContactMatch,
    MatchKind,
    PreferredContact,
    Role,
    clean,
    clean_block,
    guess_role,
    merge_contacts,
    validate_contact,
)
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.file_names import safe_file_name
from caregiver_app.domain.phones import (
    Phone,
    PhoneError,
    PhoneKind,
    dial_text,
    format_phone,
    parse_phone,
)
from caregiver_app.services.vcard_lines import (
    CardText,
    CardWarning,
    Unreadable,
    VCardError,
    peek_name,
    split_cards,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
X = "X-ALSCC-"  # our own properties: ALS Care Companion
CATEGORY = "ALS care team"

_NAME_PREFIXES = NAME_PREFIXES

FALLBACK_WARNING = CardWarning(
    "check the name: not UTF-8",
    "This card is not in UTF-8 like a phone writes today: it was read as Western European "
    "(Windows) text. Check that the name and any accented letters look right, and fix "
    "them with Edit details… if not.")


class ImportCancelled(Exception):
    """The caregiver cancelled reading or checking a file; nothing was saved."""


class ImportBlocked(ValueError):
    """The chosen rows cannot be saved as they are; ``str()`` names the card and why."""


@dataclass(frozen=True)
class ImportedCard:
    """One card read from a file, ready for the preview.

    ``contact`` holds the fields as read (numbers already in stored form where
    they could be read); ``problems`` is what ``validate_contact`` would refuse,
    keyed like its errors. ``role_guessed`` says the role came from the title,
    not from a file this app wrote. ``warnings`` are things the caregiver should
    know that do not block the import ("read as Windows text: check the name",
    "a card nested inside it was left out"); ``left_out`` names what the card holds
    that the care team has no place for ("photo", "birthday").

    A card that cannot be read has ``unreadable`` (why, in plain words) and
    ``unreadable_line`` (the file line at fault), and only the name as written in
    ``contact``; so do lines outside any card, with ``number`` 0.
    """

    number: int  # 1-based position among the file's cards (0: lines outside any card)
    line: int  # the line of its BEGIN:VCARD
    contact: Contact
    problems: dict[str, str] = field(default_factory=dict)
    role_guessed: bool = False
    warnings: tuple[CardWarning, ...] = ()
    left_out: tuple[str, ...] = ()
    unreadable: str = ""
    unreadable_line: int = 0

    @property
    def is_empty(self) -> bool:
        c = self.contact
        return not (c.name or c.phones or c.email or c.organisation)

    @property
    def unreadable_text(self) -> str:
        """"Line 81: this line's text is not in the encoding…" ("" for a readable card)."""
        if not self.unreadable:
            return ""
        return f"Line {self.unreadable_line}: {self.unreadable}"


class ImportAction(StrEnum):
    ADD = "add"
    MERGE = "merge"
    SKIP = "skip"

    @property
    def label(self) -> str:
        return {"add": "Add as new contact", "merge": "Merge into existing contact",
                "skip": "Skip (do not import)"}[self.value]


@dataclass(frozen=True)
class ImportRow:
    """One card in the import preview and what to do with it."""

    card: ImportedCard
    action: ImportAction
    match: ContactMatch | None = None  # an existing contact it may duplicate
    same_as_card: int | None = None  # an earlier card in the same file it repeats
    # what merging into ``match`` would break (too many numbers, notes too long):
    # filled in by ``check_merges``, keyed like ValidationError's errors
    merge_problems: dict[str, str] = field(default_factory=dict)

    @property
    def contact(self) -> Contact:
        return self.card.contact

    @property
    def problems(self) -> dict[str, str]:
        """What stops this row being imported with its chosen action."""
        if self.action is ImportAction.SKIP:
            return {}
        if self.action is ImportAction.MERGE:
            return {**self.card.problems, **self.merge_problems}
        return dict(self.card.problems)

    @property
    def blocked(self) -> bool:
        """It cannot be imported as it is: the caregiver must fix or skip it."""
        return bool(self.problems)

    def note(self) -> str:
        """What the preview says about duplicates: plain words."""
        if self.card.unreadable:
            what = "Cannot be read" if self.card.number else "Not a card"
            return f"{what}, left out: {self.card.unreadable_text}"
        if self.card.is_empty:
            return "Empty card"
        if self.same_as_card is not None:
            return f"Same as card {self.same_as_card} in this file"
        if self.match is None:
            return "New"
        if self.match.kind is MatchKind.SAME_NAME_AND_PHONE:
            return f"Already in the care team as “{self.match.existing.name}”"
        if self.match.kind is MatchKind.SAME_PHONE:
            return f"Same phone number as “{self.match.existing.name}”"
        return f"Same name as “{self.match.existing.name}” (different number)"


# ---- Public API: reading


Progress = Callable[[int, int], None]
"""Called with (cards done, cards in the file) while reading or checking."""


def read_vcard_file(path: Path | str, *, region: str | None, progress: Progress | None = None,
                    cancelled: Callable[[], bool] | None = None) -> list[ImportedCard]:
    """Read a ``.vcf`` file. Raises VCardError (or OSError if it cannot be opened)."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise VCardError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                         "this is not a contacts file the app can read.")
    return read_vcards(path.read_bytes(), region=region, progress=progress,
                       cancelled=cancelled)


def read_vcards(data: bytes | str, *, region: str | None, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> list[ImportedCard]:
    """Every card in ``data``, in file order, each read or saying why it cannot be.

    A card that cannot be read comes back with ``unreadable`` (why) and
    ``unreadable_line`` (where), and the others are read: one bad byte does not refuse
    a phone's whole address book. Lines outside any card come back the same way, with
    ``number`` 0. Raises VCardError when no card in ``data`` can be read.

    ``progress`` is called after each card; ``cancelled`` is asked before each card
    and, when it says yes, ImportCancelled is raised.
    """
    entries = split_cards(data)
    total = sum(1 for e in entries if e.number)
    cards: list[ImportedCard] = []
    done = 0
    for entry in entries:
        if cancelled is not None and cancelled():
            raise ImportCancelled
        if isinstance(entry, Unreadable):
            cards.append(_unreadable(entry.number, entry.line, entry.line, entry.problem,
                                     entry.name))
        else:
            cards.append(_read_card(entry, region))
        if entry.number:
            done += 1
            if progress is not None:
                progress(done, total)
    if all(c.unreadable for c in cards):
        first = next(c for c in cards if c.number)
        raise VCardError(first.unreadable, card=first.number, line=first.unreadable_line,
                         name=first.contact.name)
    return cards


def _read_card(chunk: CardText, region: str | None) -> ImportedCard:
    try:
        component = _parse_card(chunk)
        contact, guessed, left_out = _to_contact(component, region)
    except VCardError as exc:
        return _unreadable(chunk.number, chunk.first_line, exc.line or chunk.first_line,
                           exc.problem, peek_name(chunk.text))
    except Exception as exc:  # vobject's values may surprise: name the card
        return _unreadable(chunk.number, chunk.first_line, chunk.first_line,
                           f"this card cannot be read ({_describe(exc)}).",
                           peek_name(chunk.text))
    problems: dict[str, str] = {}
    try:
        contact = validate_contact(contact, region=region)
    except ValidationError as exc:
        problems = exc.errors
    warnings = chunk.warnings + ((FALLBACK_WARNING,) if chunk.windows_text else ())
    left_out = tuple(dict.fromkeys(
        [*(_LEFT_OUT.get(name, "") for name in chunk.left_out), *left_out]))
    return ImportedCard(chunk.number, chunk.first_line, contact, problems, guessed, warnings,
                        left_out=tuple(w for w in left_out if w))


def _unreadable(number: int, line: int, at: int, problem: str, name: str) -> ImportedCard:
    return ImportedCard(number, line, Contact(name=name), unreadable=problem,
                        unreadable_line=at)


def plan_import(cards: Sequence[ImportedCard], existing: Sequence[Contact], *,
                cancelled: Callable[[], bool] | None = None) -> list[ImportRow]:
    """The preview's starting choices: new cards are added, duplicates skipped.

    A card with the same name and a number already on the team is skipped (the
    caregiver may choose to merge it); one with only the same name, or only a
    number in common, is added, flagged; a card repeated in the same file and an
    empty card are skipped. Each card costs the same however long the file and
    the team are (``ContactIndex``).
    """
    rows: list[ImportRow] = []
    team = ContactIndex(existing)
    earlier = ContactIndex()
    card_of: dict[int, int] = {}  # id(contact) of an earlier card → its number
    for i, card in enumerate(cards):
        if cancelled is not None and i % 256 == 0 and cancelled():
            raise ImportCancelled
        if card.is_empty or card.unreadable:
            rows.append(ImportRow(card, ImportAction.SKIP))
            continue
        match = team.match(card.contact, shared_number=True)
        if match is not None and match.kind is MatchKind.SAME_NAME_AND_PHONE:
            rows.append(ImportRow(card, ImportAction.SKIP, match))
            continue
        repeat = earlier.match(card.contact)
        if repeat is not None and repeat.kind is MatchKind.SAME_NAME_AND_PHONE:
            rows.append(ImportRow(card, ImportAction.SKIP, match,
                                  same_as_card=card_of[id(repeat.existing)]))
            continue
        earlier.add(card.contact)
        card_of[id(card.contact)] = card.number
        rows.append(ImportRow(card, ImportAction.ADD, match))
    return rows


def check_merges(rows: Sequence[ImportRow], *, region: str | None) -> list[ImportRow]:
    """``rows`` with ``merge_problems`` saying what each merge would break.

    Merging adds a card's numbers and notes to a contact already on the team; the
    result must still pass ``validate_contact`` (at most ``MAX_PHONES`` numbers, notes
    under ``MAX_TEXT`` characters). Several cards merging into one contact are
    merged in file order, as ``contacts_to_save`` does.
    """
    merged: dict[int | None, Contact] = {}
    out: list[ImportRow] = []
    for row in rows:
        problems: dict[str, str] = {}
        if row.action is ImportAction.MERGE and row.match is not None \
                and not row.card.problems:
            target = merged.get(row.match.existing.id, row.match.existing)
            result = merge_contacts(target, row.contact)
            problems = _merge_problems(target, result, region)
            if not problems:
                merged[row.match.existing.id] = result
        out.append(replace(row, merge_problems=problems) if problems != row.merge_problems
                   else row)
    return out


def _merge_problems(target: Contact, merged: Contact, region: str | None) -> dict[str, str]:
    """What stops ``merged`` (``target`` with a card merged in) being saved, in plain words."""
    try:
        validate_contact(merged, region=region)
    except ValidationError as exc:
        errors = exc.errors
    else:
        return {}
    who = f"“{target.name}”"
    problems: dict[str, str] = {}
    for key, message in errors.items():
        if key == "phones":
            extra = merged.phones[MAX_PHONES:]
            listed = ", ".join(format_phone(p, region) for p in extra)
            have = len(target.phones)
            problems[key] = (
                f"{who} already has {have} number{'s' if have != 1 else ''}; with this "
                f"card's it would have {len(merged.phones)}, and at most {MAX_PHONES} fit. "
                f"{'This number' if len(extra) == 1 else 'These numbers'} would not fit: "
                f"{listed}. Remove numbers with Edit details…, add the card as a new "
                "contact, or skip it.")
        elif key == "notes":
            problems[key] = (
                f"together with the notes already saved for {who}, the notes would be "
                f"{len(clean_block(merged.notes)):,} characters; at most {MAX_TEXT:,} fit. "
                "Shorten this card's notes with Edit details…, or skip it.")
        else:
            problems[key] = f"after merging into {who}: {message}"
    return problems


def merged_contact(rows: Sequence[ImportRow], index: int) -> Contact | None:
    """What the contact that row ``index`` merges into looks like once it is saved
    (with every merge into it up to that row), or None when the row is not a merge."""
    row = rows[index]
    if row.action is not ImportAction.MERGE or row.match is None:
        return None
    result = row.match.existing
    for other in rows[:index + 1]:
        if other.action is ImportAction.MERGE and other.match is not None \
                and other.match.existing.id == row.match.existing.id:
            result = merge_contacts(result, other.contact)
    return result


def contacts_to_save(rows: Sequence[ImportRow]) -> list[Contact]:
    """The new and merged contacts the chosen actions produce.

    Raises ValueError when a row still needs fixing; nothing should be saved then.
    """
    blocked = [r for r in rows if r.blocked]
    if blocked:
        raise ValueError(f"card {blocked[0].card.number} still needs fixing")
    added: list[Contact] = []
    merged: dict[int | None, Contact] = {}  # two cards may merge into the same contact
    for row in rows:
        if row.action is ImportAction.ADD:
            added.append(replace(row.contact, id=None, archived=False))
        elif row.action is ImportAction.MERGE:
            if row.match is None:
                raise ValueError(f"card {row.card.number} has nothing to merge into")
            target = merged.get(row.match.existing.id, row.match.existing)
            merged[row.match.existing.id] = merge_contacts(target, row.contact)
    return list(merged.values()) + added


def problem_text(row: ImportRow, *, region: str | None = None) -> str:
    """Every problem of a row in plain words, each starting with its field."""
    parts = []
    for key, message in row.problems.items():
        if key.startswith("phone_"):
            i = int(key.removeprefix("phone_"))
            phones = row.contact.phones
            number = format_phone(phones[i], region) if i < len(phones) else ""
            parts.append(f"Phone {number}: {message}")
        else:
            parts.append(f"{FIELD_NAMES.get(key, key)}: {message}")
    return " ".join(parts)


FIELD_NAMES = {"name": "Name", "email": "Email", "portal_url": "Web address",
               "role_other": "Role", "organisation": "Organisation", "address": "Address",
               "notes": "Notes", "office_hours": "Office hours", "phones": "Phones",
               "preferred_contact": "Best way to reach"}


def blocked_message(row: ImportRow, *, region: str | None = None) -> str:
    """"Card 3 (Ana) needs fixing: …" for a row that cannot be imported as it is."""
    return (f"Card {row.card.number} ({row.contact.name or 'no name'}) needs fixing: "
            f"{problem_text(row, region=region)}")


# ---- Public API: writing


def write_vcards(contacts: Iterable[Contact]) -> str:
    """vCard 3.0 text (CRLF line ends) for ``contacts``, one card each.

    Numbers are written in international form, so the file works in any country.
    """
    import vobject

    out = io.StringIO()
    for contact in contacts:
        out.write(_card_text(vobject, contact))
    return out.getvalue()


def write_vcard(contact: Contact, *, uid: str) -> str:
    """One contact's vCard 3.0 text with its ``UID``, as an address book on a CardDAV
    server keeps it (``services.sharing``)."""
    import vobject

    return _card_text(vobject, contact, uid)


def _card_text(vobject, contact: Contact, uid: str = "") -> str:
    # vobject folds lines by characters, not octets: it folds no line at all, and
    # each line is folded here at 75 octets.
    text = _to_vcard(vobject, contact, uid).serialize(lineLength=1 << 30)
    return "".join(_fold(line) + "\r\n" for line in text.split("\r\n")[:-1])


def _fold(line: str, limit: int = 75) -> str:
    """``line`` folded into lines of at most ``limit`` octets in UTF-8 (RFC 6350 3.2),
    each fold a line end and a space, never inside a character (an address in Japanese
    has three octets to a character)."""
    if len(line) * 4 <= limit or len(line.encode("utf-8")) <= limit:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += octets
    parts.append("".join(current))
    return "\r\n".join(parts)


def export_vcard_file(path: Path | str, contacts: Sequence[Contact]) -> None:
    """Write ``contacts`` to ``path`` whole or not at all (a temporary file is renamed)."""
    path = Path(path)
    text = write_vcards(contacts)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".vcf", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def suggested_file_name(contacts: Sequence[Contact]) -> str:
    """The name the save dialog suggests: the contact's, made safe on every system."""
    if len(contacts) == 1:
        return safe_file_name(contacts[0].name, ".vcf", fallback="contact")
    return "care-team.vcf"


# ---- Private: parsing


def _parse_card(chunk: CardText):
    """The card's vobject component; raises VCardError naming the file line and why."""
    import vobject
    from vobject.base import ParseError

    number = chunk.number
    try:
        components = list(vobject.readComponents(chunk.text, allowQP=True))
    except ParseError as exc:
        raise VCardError(_line_problem(exc), card=number,
                         line=chunk.file_line(exc.lineNumber or 1)) from None
    except Exception as exc:  # charset, quoted-printable, base64…: find the line
        bad = _find_bad_line(chunk.text)
        if bad is not None:
            line, problem = bad
            raise VCardError(problem, card=number, line=chunk.file_line(line)) from None
        raise VCardError(f"this card cannot be read ({_describe(exc)}).", card=number,
                         line=chunk.first_line) from None
    if len(components) != 1 or components[0].name != "VCARD":
        raise VCardError("this card is not a vCard.", card=number, line=chunk.first_line)
    return components[0]


def _find_bad_line(chunk: str) -> tuple[int, str] | None:
    """(line within the card, problem) of the first line vobject cannot read on its own."""
    from vobject.base import getLogicalLines, textLineToContentLine

    for logical, n in getLogicalLines(io.StringIO(chunk), allowQP=True):
        try:
            textLineToContentLine(logical, n)
        except Exception as exc:  # parse, charset and quoted-printable errors alike
            return max(n, 1), _line_problem(exc)
    return None


def _line_problem(exc: Exception) -> str:
    text = _describe(exc)
    if "Failed to parse line" in text:
        return ("this line cannot be read: a line needs a name, a colon and a value, "
                "for example TEL:+1 312 555 0142.")
    if "never closed" in text or "wasn't closed" in text:
        return "the card never ends: END:VCARD is missing."
    if isinstance(exc, LookupError):
        return f"this line names a text encoding that does not exist ({text})."
    if isinstance(exc, UnicodeDecodeError):
        return "this line's text is not in the encoding the file says it is."
    return f"this line cannot be read ({text})."


def _describe(exc: Exception) -> str:
    text = str(exc)
    if text.startswith("At line"):
        text = text.split(":", 1)[-1].strip()
    return (text or type(exc).__name__)[:200]


# ---- Private: card to contact


def _to_contact(card, region: str | None) -> tuple[Contact, bool, tuple[str, ...]]:
    """(contact, role guessed, what the card holds that the care team has no place for)."""
    lines = [c for c in card.getChildren() if hasattr(c, "value")]
    labels = {c.group.lower(): _text(c.value) for c in lines
              if c.name == "X-ABLABEL" and c.group}

    def values(name: str) -> list:
        return [c for c in lines if c.name == name]

    def first_text(name: str) -> str:
        for c in values(name):
            text = _text(c.value)
            if text.strip():
                return text
        return ""

    fn = clean(first_text("FN"))
    n_name = ""
    for c in values("N"):
        n = c.value
        parts = [_text(getattr(n, a, "")) for a in ("prefix", "given", "additional",
                                                    "family", "suffix")]
        n_name = clean(" ".join(parts))
        if n_name:
            break
    org = ""
    for c in values("ORG"):
        parts = c.value if isinstance(c.value, list) else [c.value]
        org = clean(", ".join(_text(p, ", ") for p in parts if _text(p).strip()))
        if org:
            break
    title = clean(first_text("TITLE"))
    role_text = clean(first_text("ROLE"))
    categories = " | ".join(_text(c.value, " | ") for c in values("CATEGORIES"))

    phones = []
    internet_calls = []  # SIP addresses: not phone numbers, kept in the notes
    for c in values("TEL"):
        raw = clean(_text(c.value))
        if raw.lower().startswith("sip:"):
            internet_calls.append(raw)
            continue
        if raw.lower().startswith("tel:"):
            raw = raw[4:]
            raw = raw.replace(";ext=", " ext. ").replace(";EXT=", " ext. ")
        if not raw:
            continue
        kind = _phone_kind(c, labels.get((c.group or "").lower(), ""))
        try:
            number, extension = parse_phone(raw, region)
            phones.append(Phone(kind, number, extension))
        except PhoneError:
            phones.append(Phone(kind, raw))  # kept as written; the preview flags it
    for c in values("IMPP") + values("X-SIP"):
        raw = clean(_text(c.value))
        if raw and (c.name == "X-SIP" or raw.lower().startswith("sip:")):
            internet_calls.append(raw)

    emails = [clean(_text(c.value)) for c in sorted(values("EMAIL"), key=_preferred_first)]
    emails = [e for e in dict.fromkeys(emails) if e]
    urls = [_unescape_uri(clean(_text(c.value))) for c in values("URL")]
    urls = [u for u in dict.fromkeys(urls) if u]

    addresses = [_address_text(c.value) for c in sorted(values("ADR"), key=_preferred_first)]
    addresses = [a for a in dict.fromkeys(addresses) if a]
    written = [clean_block(_text(c.value)) for c in sorted(values("LABEL"),
                                                           key=_preferred_first)]
    # A LABEL is usually an ADR as the phone shows it: kept only when it says more.
    addresses += [a for a in dict.fromkeys(written)
                  if a and not any(_same_address(a, b) for b in addresses)]
    address = addresses[0] if addresses else ""

    ours = {c.name[len(X):]: _text(c.value) for c in lines if c.name.startswith(X)}
    card_notes = [n for n in dict.fromkeys(clean_block(_text(c.value))
                                           for c in values("NOTE")) if n]
    notes = clean_block(ours["NOTES"]) if "NOTES" in ours else "\n\n".join(card_notes)
    portal = clean(ours.get("PORTAL", ""))
    extras = []
    if len(emails) > 1:
        extras.append("Other email: " + ", ".join(emails[1:]))
    web = [u for u in urls if u != portal]
    if web and "PORTAL" not in ours:
        portal_like = [u for u in web if "portal" in u.lower() or "mychart" in u.lower()]
        if portal_like:
            portal = portal_like[0]
            web.remove(portal)
    if web and "NOTES" not in ours:
        extras.append("Website: " + ", ".join(web))
    if "NOTES" not in ours:
        extras += ["Other address: " + ", ".join(a.splitlines()) for a in addresses[1:]]
        if internet_calls:
            extras.append("Internet calling (SIP): " + ", ".join(
                dict.fromkeys(internet_calls)))
    if extras:
        notes = "\n".join([notes, *extras]) if notes else "\n".join(extras)

    guessed = False
    role_other = ""
    try:
        role = Role(ours["ROLE"].strip())
        role_other = clean(ours.get("ROLE-OTHER", "")) if role is Role.OTHER else ""
    except (KeyError, ValueError):
        guess = guess_role(" | ".join(t for t in (title, role_text, categories) if t),
                           name=fn or n_name, organisation=org,
                           notes="\n".join(card_notes))
        guessed = True
        if guess is None:
            role = Role.OTHER
            role_other = title or role_text
        else:
            role = guess

    try:
        preferred = PreferredContact(ours.get("PREFERRED", "any").strip())
    except ValueError:
        preferred = PreferredContact.ANY
    name = fn or n_name or org or (emails[0] if emails else "") or \
        (phones[0].number if phones else "")
    contact = Contact(
        name=name,
        role=role,
        role_other=role_other,
        organisation=org,
        phones=tuple(phones),
        email=emails[0] if emails else "",
        address=address,
        portal_url=portal,
        office_hours=clean(ours.get("OFFICE-HOURS", "")),
        preferred_contact=preferred,
        notes=notes,
        emergency=ours.get("EMERGENCY", "").strip().lower() in ("1", "yes", "true"),
    )
    left_out = []
    for c in lines:
        if c.name == "IMPP" and _text(c.value).strip().lower().startswith("sip:"):
            continue
        what = _LEFT_OUT.get(c.name) or (
            _LEFT_OUT["X-PHONETIC"] if c.name.startswith("X-PHONETIC-") else "")
        if what and _text(c.value).strip():
            left_out.append(what)
    return contact, guessed, tuple(left_out)


#: What the care team has no place for, in the words the preview lists it with.
_LEFT_OUT = {
    "PHOTO": "photo", "LOGO": "logo", "SOUND": "how to say the name",
    "X-PHONETIC": "how to say the name", "KEY": "security key", "BDAY": "birthday",
    "ANNIVERSARY": "anniversary", "X-ABDATE": "other dates", "NICKNAME": "nickname",
    "IMPP": "chat addresses", "X-AIM": "chat addresses", "X-ICQ": "chat addresses",
    "X-JABBER": "chat addresses", "X-MSN": "chat addresses", "X-YAHOO": "chat addresses",
    "X-SKYPE": "chat addresses", "X-SKYPE-USERNAME": "chat addresses",
    "X-GOOGLE-TALK": "chat addresses", "X-QQ": "chat addresses",
    "GEO": "map position", "TZ": "time zone", "RELATED": "related people",
    "X-ABRELATEDNAMES": "related people", "X-SPOUSE": "related people",
    "X-ASSISTANT": "related people", "X-MANAGER": "related people",
    "X-SOCIALPROFILE": "social profiles", "GENDER": "gender",
    "X-ANDROID-CUSTOM": "Android custom fields", "EXPERTISE": "interests",
    "HOBBY": "interests", "INTEREST": "interests",
}


def _same_address(a: str, b: str) -> bool:
    """Two ways of writing one address: every word of ``a`` is in ``b``."""
    words = set(re.findall(r"\w+", a.casefold()))
    return words <= set(re.findall(r"\w+", b.casefold()))


def _unescape_uri(text: str) -> str:
    """A web address as written: Google escapes it like text ("http\\://…")."""
    return re.sub(r"\\([\\:;,])", r"\1", text)


def _text(value, sep: str = " ") -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return ""
    if isinstance(value, list | tuple):
        return sep.join(_text(v, sep).strip() for v in value)
    return str(value)


def _types(line) -> set[str]:
    found: set[str] = set()
    for v in line.params.get("TYPE", []):
        found.update(t.strip().lower() for t in str(v).split(","))
    found.update(str(s).strip().lower() for s in line.singletonparams)
    if line.params.get("PREF"):
        found.add("pref")
    return found


def _preferred_first(line) -> int:
    return 0 if "pref" in _types(line) else 1


def _phone_kind(line, label: str) -> PhoneKind:
    ours = line.params.get(X + "KIND", [])
    if ours:
        try:
            return PhoneKind(str(ours[0]).strip().lower())
        except ValueError:
            pass
    types = _types(line)
    label = label.lower()
    if any(w in label for w in ("after", "out of hours", "night", "emergency", "on call",
                                "on-call")) or "x-after-hours" in types:
        return PhoneKind.AFTER_HOURS
    if "fax" in types or "fax" in label:
        return PhoneKind.FAX
    if types & {"cell", "mobile", "iphone"} or "mobile" in label or "cell" in label:
        return PhoneKind.MOBILE
    if "home" in types or "home" in label:
        return PhoneKind.HOME
    if types & {"work", "main"} or any(w in label for w in ("work", "office", "main")):
        return PhoneKind.OFFICE
    return PhoneKind.OTHER


def _address_text(adr) -> str:
    def part(name: str) -> str:
        value = getattr(adr, name, "")
        if isinstance(value, list | tuple):
            return "\n".join(str(v).strip() for v in value if str(v).strip())
        return str(value or "")

    lines = [part("box"), part("extended"), part("street")]
    town = " ".join(p for p in (part("city") + ("," if part("city") and (
        part("region") or part("code")) else ""), part("region"), part("code")) if p)
    lines += [town, part("country")]
    return clean_block("\n".join(line for line in lines if line.strip()))


# ---- Private: contact to card


def _to_vcard(vobject, contact: Contact, uid: str = ""):
    card = vobject.vCard()
    card.add("prodid").value = "-//ALS Care Companion//EN"
    if uid:
        card.add("uid").value = uid
    card.add("fn").value = contact.name
    prefix, given, family, suffix = _split_name(contact.name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given, prefix=prefix,
                                             suffix=suffix)
    if contact.organisation:
        card.add("org").value = [contact.organisation]
    card.add("title").value = contact.role_label
    for i, phone in enumerate(contact.phones, start=1):
        tel = card.add("tel")
        tel.value = _tel_value(phone)
        tel.encoded = True  # written as _tel_value has it, escapes and all
        tel.params["TYPE"] = list(_TEL_TYPES[phone.kind])
        tel.params[X + "KIND"] = [phone.kind.value]
        if phone.kind in (PhoneKind.AFTER_HOURS, PhoneKind.OTHER):
            tel.group = f"item{i}"
            label = card.add("x-ablabel")
            label.group = f"item{i}"
            label.value = phone.kind.label
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.params["TYPE"] = ["INTERNET", "WORK"]
    if contact.address:
        # The address is free text: all of it goes in the street part (no split is
        # invented), and the LABEL, which phones show as written, has it line by line.
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(street=contact.address)
        adr.params["TYPE"] = ["WORK"]
        label = card.add("label")
        label.value = contact.address
        label.params["TYPE"] = ["WORK"]
    if contact.portal_url:
        card.add("url").value = contact.portal_url
    card.add("note").value = _phone_note(contact)
    card.add("categories").value = [CATEGORY]
    ours = {
        "ROLE": contact.role.value,
        "ROLE-OTHER": contact.role_other,
        "NOTES": contact.notes,
        "OFFICE-HOURS": contact.office_hours,
        "PREFERRED": contact.preferred_contact.value,
        "PORTAL": contact.portal_url,
        "EMERGENCY": "1" if contact.emergency else "",
    }
    for key, value in ours.items():
        # NOTES is always written, even empty: the NOTE a phone shows has extras
        # (office hours, portal…) that must not come back as notes.
        if value or key == "NOTES":
            card.add(X + key).value = value
    return card


_TEL_TYPES = {
    PhoneKind.OFFICE: ("WORK", "VOICE"),
    PhoneKind.MOBILE: ("CELL", "VOICE"),
    PhoneKind.AFTER_HOURS: ("WORK", "VOICE"),
    PhoneKind.FAX: ("WORK", "FAX"),
    PhoneKind.HOME: ("HOME", "VOICE"),
    PhoneKind.OTHER: ("VOICE",),
}


def _tel_value(phone: Phone) -> str:
    """"+1 312-555-0142\\,12": the comma is the dialler's pause before the extension,
    escaped so that readers which take an unescaped comma for a list separator
    (vobject, hence Radicale and khard) keep the extension; phones, ez-vcard and
    vobject all read it back as a comma."""
    return dial_text(phone).replace(",", "\\,")


def _phone_note(contact: Contact) -> str:
    """What a phone shows in its note field: the notes plus what has no vCard field."""
    parts = [contact.notes] if contact.notes else []
    if contact.emergency:
        parts.append("Call first (emergency contact).")
    if contact.office_hours:
        parts.append(f"Office hours: {contact.office_hours}")
    if contact.preferred_contact is not PreferredContact.ANY:
        parts.append(f"Best way to reach: {contact.preferred_contact.label}")
    if contact.portal_url:
        parts.append(f"Patient portal: {contact.portal_url}")
    return "\n".join(parts)


def _split_name(name: str) -> tuple[str, str, str, str]:
    """(prefix, given, family, suffix) for N: "Dr. Ada Lee, MD" → ("Dr.", "Ada", "Lee", "MD")."""
    main, _, suffix = name.partition(",")
    words = main.split()
    prefix = ""
    if len(words) > 1 and words[0].lower().rstrip(".") in _NAME_PREFIXES:
        prefix = words.pop(0)
    if len(words) == 1:
        return prefix, "", words[0], suffix.strip()
    return prefix, " ".join(words[:-1]), words[-1] if words else "", suffix.strip()


def without_problems(card: ImportedCard, contact: Contact, *, region: str | None
                     ) -> ImportedCard:
    """``card`` with ``contact`` (edited in the preview) checked again."""
    try:
        checked = validate_contact(contact, region=region)
        return replace(card, contact=checked, problems={})
    except ValidationError as exc:
        return replace(card, contact=contact, problems=exc.errors)
