"""Read and write vCard (``.vcf``) files through ``vobject``.

Reading accepts what phones, Google Contacts, Outlook and Apple Contacts
write: vCard 2.1, 3.0 and 4.0, one or many cards, folded lines,
quoted-printable, UTF-8 (or an old Windows code page), several numbers of each
kind, Apple/Google custom labels (``item1.X-ABLabel``), and cards missing N or
FN. A file that cannot be read raises ``VCardError`` naming the card and the
line; reading never saves anything, so a refused file changes nothing.

Writing produces vCard 3.0, the version phones accept most widely. Everything
the app knows about a contact is also written in ``X-ALSCC-*`` properties, so
a file exported here and imported again gives back exactly the same contact;
phones ignore those and show the standard fields, with office hours and the
preferred way to reach them added to the note.
"""

from __future__ import annotations

import codecs
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from caregiver_app.domain.contacts import (
    Contact,
    ContactMatch,
    MatchKind,
    PreferredContact,
    Role,
    clean,
    clean_block,
    find_match,
    guess_role,
    merge_contacts,
    validate_contact,
)
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.phones import Phone, PhoneError, PhoneKind, format_phone, parse_phone

MAX_FILE_BYTES = 50 * 1024 * 1024
X = "X-ALSCC-"  # our own properties: ALS Care Companion
CATEGORY = "ALS care team"

_NAME_PREFIXES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "rev", "sr", "sra"}


class VCardError(ValueError):
    """A file that is not a readable vCard. ``str()`` says which card and line, and why."""

    def __init__(self, problem: str, *, card: int | None = None, line: int | None = None,
                 name: str = ""):
        self.problem = problem
        self.card = card
        self.line = line
        self.name = name
        where = []
        if card is not None:
            where.append(f"card {card}" + (f" (“{name}”)" if name else ""))
        if line is not None:
            where.append(f"line {line}")
        prefix = ", ".join(where)
        text = f"{prefix[0].upper()}{prefix[1:]}: {problem}" if prefix else problem
        super().__init__(text)


@dataclass(frozen=True)
class ImportedCard:
    """One card read from a file, ready for the preview.

    ``contact`` holds the fields as read (numbers already in stored form where
    they could be read); ``problems`` is what ``validate_contact`` would refuse,
    keyed like its errors. ``role_guessed`` says the role came from the title,
    not from a file this app wrote.
    """

    number: int  # 1-based position in the file
    line: int  # the line of its BEGIN:VCARD
    contact: Contact
    problems: dict[str, str] = field(default_factory=dict)
    role_guessed: bool = False

    @property
    def is_empty(self) -> bool:
        c = self.contact
        return not (c.name or c.phones or c.email or c.organisation)


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

    @property
    def contact(self) -> Contact:
        return self.card.contact

    @property
    def blocked(self) -> bool:
        """It cannot be imported as it is: the caregiver must fix or skip it."""
        return self.action is not ImportAction.SKIP and bool(self.card.problems)

    def note(self) -> str:
        """What the preview says about duplicates: plain words."""
        if self.card.is_empty:
            return "Empty card"
        if self.same_as_card is not None:
            return f"Same as card {self.same_as_card} in this file"
        if self.match is None:
            return "New"
        if self.match.kind is MatchKind.SAME_NAME_AND_PHONE:
            return f"Already in the care team as “{self.match.existing.name}”"
        return f"Same name as “{self.match.existing.name}” (different number)"


# ---- Public API: reading


def read_vcard_file(path: Path | str, *, region: str | None) -> list[ImportedCard]:
    """Read a ``.vcf`` file. Raises VCardError (or OSError if it cannot be opened)."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise VCardError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                         "this is not a contacts file the app can read.")
    return read_vcards(path.read_bytes(), region=region)


def read_vcards(data: bytes | str, *, region: str | None) -> list[ImportedCard]:
    """Every card in ``data``, in file order. Raises VCardError for a malformed file."""
    text = data if isinstance(data, str) else _decode(data)
    if "\x00" in text:
        raise VCardError("This is not a vCard file: it holds binary data.")
    cards = []
    for number, (first_line, chunk) in enumerate(_split_cards(text), start=1):
        component = _parse_card(chunk, number, first_line)
        try:
            contact, guessed = _to_contact(component, region)
        except Exception as exc:  # vobject's values may surprise: name the card
            raise VCardError(f"this card cannot be read ({_describe(exc)}).",
                             card=number, line=first_line, name=_peek_name(chunk)) from None
        problems: dict[str, str] = {}
        try:
            contact = validate_contact(contact, region=region)
        except ValidationError as exc:
            problems = exc.errors
        cards.append(ImportedCard(number, first_line, contact, problems, guessed))
    return cards


def plan_import(cards: Sequence[ImportedCard], existing: Sequence[Contact]) -> list[ImportRow]:
    """The preview's starting choices: new cards are added, duplicates skipped.

    A card with the same name and a number already on the team is skipped (the
    caregiver may choose to merge it); one with only the same name is added,
    flagged; a card repeated in the same file and an empty card are skipped.
    """
    rows: list[ImportRow] = []
    seen: list[tuple[int, Contact]] = []
    for card in cards:
        if card.is_empty:
            rows.append(ImportRow(card, ImportAction.SKIP))
            continue
        match = find_match(card.contact, existing)
        if match is not None and match.kind is MatchKind.SAME_NAME_AND_PHONE:
            rows.append(ImportRow(card, ImportAction.SKIP, match))
            continue
        repeat = find_match(card.contact, [c for _, c in seen])
        if repeat is not None and repeat.kind is MatchKind.SAME_NAME_AND_PHONE:
            number = next(n for n, c in seen if c is repeat.existing)
            rows.append(ImportRow(card, ImportAction.SKIP, match, same_as_card=number))
            continue
        seen.append((card.number, card.contact))
        rows.append(ImportRow(card, ImportAction.ADD, match))
    return rows


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


# ---- Public API: writing


def write_vcards(contacts: Iterable[Contact]) -> str:
    """vCard 3.0 text (CRLF line ends) for ``contacts``, one card each.

    Numbers are written in international form, so the file works in any country.
    """
    import vobject

    out = io.StringIO()
    for contact in contacts:
        out.write(_to_vcard(vobject, contact).serialize())
    return out.getvalue()


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
    if len(contacts) == 1:
        safe = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in contacts[0].name)
        return (" ".join(safe.split()) or "contact") + ".vcf"
    return "care-team.vcf"


# ---- Private: splitting and parsing


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older Outlook and phone exports use the Windows code page.
        return data.decode("cp1252", errors="replace")


def _split_cards(text: str) -> list[tuple[int, str]]:
    """``[(line of BEGIN, card text)]``; raises VCardError for text outside cards."""
    cards: list[tuple[int, str]] = []
    depth = 0
    start = 0
    current: list[str] = []
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        word = raw.strip().upper().replace(" ", "")
        if depth == 0:
            if not raw.strip():
                continue
            if word != "BEGIN:VCARD":
                if cards:
                    raise VCardError(
                        f"this line comes after card {len(cards)} and is outside any card "
                        "(a card runs from BEGIN:VCARD to END:VCARD).", line=number)
                raise VCardError("this is not a vCard file: it should start with BEGIN:VCARD.",
                                 line=number)
            start, current = number, []
        current.append(raw)
        if word == "BEGIN:VCARD":
            depth += 1
        elif word == "END:VCARD":
            depth -= 1
            if depth == 0:
                cards.append((start, "\r\n".join(current) + "\r\n"))
    if depth:
        raise VCardError("the card never ends: END:VCARD is missing.",
                         card=len(cards) + 1, line=start,
                         name=_peek_name("\n".join(current)))
    if not cards:
        raise VCardError("This file has no contact cards in it.")
    return cards


def _parse_card(chunk: str, number: int, first_line: int):
    import vobject
    from vobject.base import ParseError

    name = _peek_name(chunk)
    try:
        components = list(vobject.readComponents(chunk, allowQP=True))
    except ParseError as exc:
        line = first_line + max(exc.lineNumber or 1, 1) - 1
        raise VCardError(_line_problem(exc), card=number, line=line, name=name) from None
    except Exception as exc:  # charset, quoted-printable, base64…: find the line
        bad = _find_bad_line(chunk)
        if bad is not None:
            line, problem = bad
            raise VCardError(problem, card=number, line=first_line + line - 1,
                             name=name) from None
        raise VCardError(f"this card cannot be read ({_describe(exc)}).", card=number,
                         line=first_line, name=name) from None
    if len(components) != 1 or components[0].name != "VCARD":
        raise VCardError("this card is not a vCard.", card=number, line=first_line, name=name)
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


def _peek_name(chunk: str) -> str:
    """The FN (or N) as written, for error messages about a card that does not parse."""
    for raw in chunk.splitlines():
        head, _, value = raw.partition(":")
        prop = head.split(";")[0].split(".")[-1].strip().upper()
        if prop == "FN" and value.strip() and "QUOTED-PRINTABLE" not in head.upper():
            return clean(value.replace("\\,", ",").replace("\\;", ";"))[:60]
    for raw in chunk.splitlines():
        head, _, value = raw.partition(":")
        prop = head.split(";")[0].split(".")[-1].strip().upper()
        if prop == "N" and "QUOTED-PRINTABLE" not in head.upper():
            parts = [p for p in value.split(";") if p.strip()]
            return clean(" ".join(reversed(parts[:2])))[:60]
    return ""


# ---- Private: card to contact


def _to_contact(card, region: str | None) -> tuple[Contact, bool]:
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
        org = clean(", ".join(_text(p) for p in parts if _text(p).strip()))
        if org:
            break
    title = clean(first_text("TITLE"))
    role_text = clean(first_text("ROLE"))
    categories = " ".join(_text(c.value) for c in values("CATEGORIES"))

    phones = []
    for c in values("TEL"):
        raw = clean(_text(c.value))
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

    emails = [clean(_text(c.value)) for c in sorted(values("EMAIL"), key=_preferred_first)]
    emails = [e for e in dict.fromkeys(emails) if e]
    urls = [clean(_text(c.value)) for c in values("URL")]
    urls = [u for u in dict.fromkeys(urls) if u]

    address = ""
    for c in sorted(values("ADR"), key=_preferred_first):
        address = _address_text(c.value)
        if address:
            break
    if not address:
        address = clean_block(first_text("LABEL"))

    ours = {c.name[len(X):]: _text(c.value) for c in lines if c.name.startswith(X)}
    notes = clean_block(ours["NOTES"]) if "NOTES" in ours else clean_block(first_text("NOTE"))
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
    if extras:
        notes = "\n".join([notes, *extras]) if notes else "\n".join(extras)

    guessed = False
    role_other = ""
    try:
        role = Role(ours["ROLE"].strip())
        role_other = clean(ours.get("ROLE-OTHER", "")) if role is Role.OTHER else ""
    except (KeyError, ValueError):
        guess = guess_role(title, role_text, categories, org, fn or n_name)
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
    return contact, guessed


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value)
    return str(value)


def _types(line) -> set[str]:
    found = set()
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
            return "\n".join(str(v) for v in value if str(v).strip())
        return str(value or "")

    lines = [part("box"), part("extended"), part("street")]
    town = " ".join(p for p in (part("city") + ("," if part("city") and (
        part("region") or part("code")) else ""), part("region"), part("code")) if p)
    lines += [town, part("country")]
    return clean_block("\n".join(line for line in lines if line.strip()))


# ---- Private: contact to card


def _to_vcard(vobject, contact: Contact):
    card = vobject.vCard()
    card.add("prodid").value = "-//ALS Care Companion//EN"
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
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(street=contact.address)
        adr.params["TYPE"] = ["WORK"]
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
    if phone.number.startswith("+"):
        return format_phone(phone, None)  # "+1 312-555-0142 ext. 12"
    return phone.number + (f" ext. {phone.extension}" if phone.extension else "")


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
