"""Read and write vCard (``.vcf``) files through ``vobject``.

Reading accepts what phones, Google Contacts, Outlook and Apple Contacts
write: vCard 2.1, 3.0 and 4.0, one or many cards, folded lines,
quoted-printable, UTF-8 (or an old Windows code page), several numbers of each
kind, Apple/Google custom labels (``item1.X-ABLabel``), and cards missing N or
FN. A file that cannot be read raises ``VCardError`` naming the card and the
line; reading never saves anything, so a refused file changes nothing.

Each card is decoded on its own: UTF-8, or the Windows code page for a card
that is not UTF-8 (that card then carries a warning to check its name). Photos,
logos, sounds and keys are left out before ``vobject`` sees them: the app never
uses them, and a large or damaged photo would otherwise be slow to read or
refuse the whole file. A card nested inside another (vCard 2.1 ``AGENT``) is
left out too, and the outer card says so. Reading and planning an import take
time in proportion to the number of cards; both can report progress and be
cancelled, so the UI runs them off the GUI thread.

Writing produces vCard 3.0, the version phones accept most widely. An extension
follows a comma ("+1 312-555-0142,12"), the pause a dialler understands; an
address is written in ADR and also as a LABEL, which phones show as written. Everything
the app knows about a contact is also written in ``X-ALSCC-*`` properties, so
a file exported here and imported again gives back exactly the same contact;
phones ignore those and show the standard fields, with office hours and the
preferred way to reach them added to the note.
"""

from __future__ import annotations

import codecs
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
from caregiver_app.domain.phones import (
    Phone,
    PhoneError,
    PhoneKind,
    dial_text,
    format_phone,
    parse_phone,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
#: A card longer than this once its photo is left out is not a contact: it is refused
#: (vobject takes time that grows with the square of a long value's length).
MAX_CARD_CHARS = 256 * 1024
X = "X-ALSCC-"  # our own properties: ALS Care Companion
CATEGORY = "ALS care team"

_NAME_PREFIXES = NAME_PREFIXES
#: Properties the app never uses and leaves out before parsing: binary ones, and AGENT
#: (another person's card inside this one).
_UNUSED_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "AGENT"})



@dataclass(frozen=True)
class CardWarning:
    """Something about a card the caregiver should know that does not stop its import."""

    short: str  # for the preview's Check column: "check the name"
    text: str  # the whole explanation, for the card's details


FALLBACK_WARNING = CardWarning(
    "check the name: not UTF-8",
    "This card is not in UTF-8 like a phone writes today: it was read as Western European "
    "(Windows) text. Check that the name and any accented letters look right, and fix "
    "them with Edit details… if not.")


class ImportCancelled(Exception):
    """The caregiver cancelled reading or checking a file; nothing was saved."""


class ImportBlocked(ValueError):
    """The chosen rows cannot be saved as they are; ``str()`` names the card and why."""


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
    not from a file this app wrote. ``warnings`` are things the caregiver should
    know that do not block the import ("read as Windows text: check the name",
    "a card nested inside it was left out").
    """

    number: int  # 1-based position in the file
    line: int  # the line of its BEGIN:VCARD
    contact: Contact
    problems: dict[str, str] = field(default_factory=dict)
    role_guessed: bool = False
    warnings: tuple[CardWarning, ...] = ()

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
    """Every card in ``data``, in file order. Raises VCardError for a malformed file.

    ``progress`` is called after each card; ``cancelled`` is asked before each card
    and, when it says yes, ImportCancelled is raised.
    """
    if isinstance(data, str):
        text, fallback = data.rstrip(_TRAILING_JUNK_TEXT), set()
    else:
        text, fallback = _decode(data)
    if "\x00" in text:
        raise VCardError("This is not a vCard file: it holds binary data.")
    chunks = _split_cards(text)
    cards = []
    for chunk in chunks:
        if cancelled is not None and cancelled():
            raise ImportCancelled
        component = _parse_card(chunk)
        try:
            contact, guessed = _to_contact(component, region)
        except Exception as exc:  # vobject's values may surprise: name the card
            raise VCardError(f"this card cannot be read ({_describe(exc)}).",
                             card=chunk.number, line=chunk.first_line,
                             name=_peek_name(chunk.text)) from None
        problems: dict[str, str] = {}
        try:
            contact = validate_contact(contact, region=region)
        except ValidationError as exc:
            problems = exc.errors
        warnings = chunk.warnings + ((FALLBACK_WARNING,) if chunk.first_line in fallback
                                     else ())
        cards.append(ImportedCard(chunk.number, chunk.first_line, contact, problems, guessed,
                                  warnings))
        if progress is not None:
            progress(chunk.number, len(chunks))
    return cards


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
        if card.is_empty:
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


_TRAILING_JUNK = bytes(range(0x21)) + b"\x7f"  # white space, DOS end-of-file (0x1A)…
_TRAILING_JUNK_TEXT = _TRAILING_JUNK.decode("ascii")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as bytes.splitlines: line numbers agree
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")


@dataclass(frozen=True)
class _Chunk:
    """One card's text as vobject will read it, and where its lines are in the file."""

    number: int  # 1-based position in the file
    first_line: int  # the file line of its BEGIN:VCARD
    text: str
    lines: tuple[int, ...]  # the file line of each line of ``text``
    warnings: tuple[CardWarning, ...] = ()

    def file_line(self, line_in_card: int) -> int:
        return self.lines[min(max(line_in_card, 1), len(self.lines)) - 1]


def _decode(data: bytes) -> tuple[str, set[int]]:
    """(text, lines where a card read as Windows text begins).

    UTF-8 is tried for the whole file, then card by card: one card saved in the
    Windows code page does not turn every other name into "JosÃ©". White space
    and control characters at the end (a DOS end-of-file byte) are ignored.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace").rstrip(_TRAILING_JUNK_TEXT), set()
    data = data.rstrip(_TRAILING_JUNK)
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), set()
    try:
        return data.decode("utf-8"), set()
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    fallback: set[int] = set()
    line = 1
    for segment in _byte_segments(data):
        raw = b"".join(segment)
        try:
            parts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            # Older Outlook and phone exports use the Windows code page.
            parts.append(raw.decode("cp1252", errors="replace"))
            fallback.add(line)
        line += len(segment)
    return "".join(parts), fallback


def _byte_segments(data: bytes) -> list[list[bytes]]:
    """The file's lines grouped as whole cards (and what lies between them)."""
    segments: list[list[bytes]] = []
    current: list[bytes] = []
    depth = 0
    for line in data.splitlines(keepends=True):
        word = line.strip().upper().replace(b" ", b"")
        if depth == 0 and word == b"BEGIN:VCARD" and current:
            segments.append(current)
            current = []
        current.append(line)
        if word == b"BEGIN:VCARD":
            depth += 1
        elif word == b"END:VCARD" and depth:
            depth -= 1
            if depth == 0:
                segments.append(current)
                current = []
    if current:
        segments.append(current)
    return segments


def _word(line: str) -> str:
    return line.strip().upper().replace(" ", "")


def _property_name(line: str) -> str:
    """"PHOTO" for "item1.PHOTO;ENCODING=b:…"; "" for a line that is no property."""
    head, colon, _ = line.partition(":")
    if not colon:
        return ""
    return head.split(";")[0].split(".")[-1].strip().upper()


def _split_cards(text: str) -> list[_Chunk]:
    """Every card's text; raises VCardError for text outside cards."""
    lines = _LINE_BREAK.split(text)
    chunks: list[_Chunk] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            i += 1
            continue
        if _word(raw) != "BEGIN:VCARD":
            if chunks:
                raise VCardError(
                    f"this line comes after card {len(chunks)} and is outside any card "
                    "(a card runs from BEGIN:VCARD to END:VCARD).", line=i + 1)
            raise VCardError("this is not a vCard file: it should start with BEGIN:VCARD.",
                             line=i + 1)
        chunk, i = _read_card(lines, i, len(chunks) + 1)
        chunks.append(chunk)
    if not chunks:
        raise VCardError("This file has no contact cards in it.")
    return chunks


def _read_card(lines: list[str], start: int, number: int) -> tuple[_Chunk, int]:
    """The card whose BEGIN:VCARD is ``lines[start]``, and the index after its END.

    Unused properties (photos and the like, AGENT) are left out with their
    continuation lines, and so is a card nested inside this one. Folded lines of
    the rest are joined, and commas that stand for themselves are escaped (see
    ``_literal_commas``).
    """
    kept = [lines[start]]
    where = [start + 1]
    warnings: list[CardWarning] = []
    size = 0
    version = ""
    after_agent = False  # the line before was "AGENT:" with the card on the next lines
    i = start + 1
    while i < len(lines):
        raw = lines[i]
        word = _word(raw)
        if word == "END:VCARD":
            kept.append(raw)
            where.append(i + 1)
            text = "\r\n".join(kept) + "\r\n"
            return _Chunk(number, start + 1, text, tuple(where), tuple(warnings)), i + 1
        if word == "BEGIN:VCARD":
            if not after_agent:
                raise VCardError(
                    f"the card never ends: END:VCARD is missing before line {i + 1}, where "
                    "the next card begins.", card=number, line=start + 1,
                    name=_peek_name("\n".join(kept)))
            i, name = _skip_nested_card(lines, i, number, start)
            warnings.append(_nested_warning(name))
            after_agent = False
            continue
        name = _property_name(raw) if raw[:1] not in (" ", "\t") else ""
        end = _value_end(lines, i, skipping=name in _UNUSED_PROPERTIES)
        if name in _UNUSED_PROPERTIES:
            value = raw.partition(":")[2]
            if name == "AGENT":
                after_agent = not value.strip()
                if "BEGIN:VCARD" in value.upper().replace(" ", ""):  # vCard 3.0: one value
                    warnings.append(_nested_warning(_peek_name(
                        value.replace("\\n", "\n").replace("\\N", "\n"))))
            i = end
            continue
        after_agent = False
        if name == "VERSION":
            version = raw.partition(":")[2].strip()
        for offset, line in _literal_commas(lines[i:end], name, version):
            kept.append(line)
            where.append(i + 1 + offset)
            size += len(line) + 2
        if size > MAX_CARD_CHARS:
            raise VCardError(
                f"this card is too large to be a contact (more than {MAX_CARD_CHARS // 1024} "
                "KB even without its photo): the file may be damaged. Remove this card, or "
                "save the contacts from the phone again.", card=number, line=start + 1,
                name=_peek_name("\n".join(kept[:40])))
        i = end
    raise VCardError("the card never ends: END:VCARD is missing.", card=number,
                     line=start + 1, name=_peek_name("\n".join(kept)))


def _value_end(lines: list[str], i: int, *, skipping: bool = False) -> int:
    """The index after the property that starts at ``lines[i]`` and its continuation lines:
    folded lines (starting with a space), quoted-printable soft breaks ("=" at the end)
    and, for a property ``skipping`` leaves out, vCard 2.1 base64 lines, which end at a
    blank line."""
    head = lines[i].partition(":")[0].upper()
    quoted = "QUOTED-PRINTABLE" in head
    base64 = skipping and ("BASE64" in head or re.search(r"ENCODING=B\b", head) is not None)
    current = lines[i]
    j = i + 1
    while j < len(lines):
        nxt = lines[j]
        if (nxt[:1] in (" ", "\t") and nxt.strip()) or (quoted and current.endswith("=")) \
                or (base64 and _BASE64_LINE.fullmatch(nxt)):
            current = nxt
            j += 1
            continue
        break
    if base64 and j < len(lines) and not lines[j].strip():
        j += 1  # vCard 2.1: a blank line ends a base64 value
    return j


#: Properties whose value is a list or has parts, where vCard 3.0 and 4.0 give an
#: unescaped comma a meaning (vCard 2.1 has no lists: there a comma is a comma).
_LIST_PROPERTIES = frozenset({"CATEGORIES", "NICKNAME", "GEO", "CLIENTPIDMAP", "PID"})
_PART_PROPERTIES = frozenset({"N", "ADR", "ORG", "GENDER"})


def _literal_commas(physical: list[str], name: str, version: str) -> list[tuple[int, str]]:
    """[(offset of the physical line, line to parse)] for one property.

    vobject keeps only what comes before the first unescaped comma of a text value
    ("NOTE:Mon, Wed" would become "Mon", "TEL:+1 312-555-0142,12" would lose its
    extension), yet vCard 2.1 never escapes commas and many writers forget to. So
    in a value that is not a list a comma is escaped; folded lines are joined first
    so that an escape split by a fold stays whole.
    """
    if not name or name in _LIST_PROPERTIES or (
            name in _PART_PROPERTIES and not version.startswith("2")):
        return list(enumerate(physical))
    head = physical[0].partition(":")[0].upper()
    if "QUOTED-PRINTABLE" in head:  # soft breaks are kept for vobject to decode
        return [(0, _escape_commas(physical[0], value_only=True))] + [
            (n, _escape_commas(line)) for n, line in enumerate(physical[1:], start=1)]
    return [(0, _escape_commas(physical[0] + "".join(p[1:] for p in physical[1:]),
                               value_only=True))]


def _escape_commas(line: str, *, value_only: bool = False) -> str:
    """``line`` with each unescaped comma of its value written as backslash-comma."""
    start = 0
    if value_only:
        quoted = False
        for start, ch in enumerate(line):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                start += 1
                break
        else:
            return line
    if "," not in line[start:]:
        return line
    out = [line[:start]]
    value = line[start:]
    k = 0
    while k < len(value):
        ch = value[k]
        if ch == "\\":
            out.append(value[k:k + 2])
            k += 2
            continue
        out.append("\\," if ch == "," else ch)
        k += 1
    return "".join(out)


def _skip_nested_card(lines: list[str], i: int, number: int, start: int) -> tuple[int, str]:
    """(index after the card nested at ``lines[i]``, its name)."""
    depth = 0
    for j in range(i, len(lines)):
        word = _word(lines[j])
        if word == "BEGIN:VCARD":
            depth += 1
        elif word == "END:VCARD":
            depth -= 1
            if depth == 0:
                return j + 1, _peek_name("\n".join(lines[i + 1:j]))
    raise VCardError("the card never ends: END:VCARD is missing.", card=number,
                     line=start + 1, name=_peek_name("\n".join(lines[start:i])))


def _nested_warning(name: str) -> CardWarning:
    who = f"“{name}”" if name else "another person"
    return CardWarning(
        "a card inside it is left out",
        f"This card has a card for {who} inside it (a vCard 2.1 AGENT, often an assistant): "
        "that card is not imported. Import that person from their own card if you need "
        "them.")


def _parse_card(chunk: _Chunk):
    import vobject
    from vobject.base import ParseError

    name = _peek_name(chunk.text)
    number = chunk.number
    try:
        components = list(vobject.readComponents(chunk.text, allowQP=True))
    except ParseError as exc:
        raise VCardError(_line_problem(exc), card=number,
                         line=chunk.file_line(exc.lineNumber or 1), name=name) from None
    except Exception as exc:  # charset, quoted-printable, base64…: find the line
        bad = _find_bad_line(chunk.text)
        if bad is not None:
            line, problem = bad
            raise VCardError(problem, card=number, line=chunk.file_line(line),
                             name=name) from None
        raise VCardError(f"this card cannot be read ({_describe(exc)}).", card=number,
                         line=chunk.first_line, name=name) from None
    if len(components) != 1 or components[0].name != "VCARD":
        raise VCardError("this card is not a vCard.", card=number, line=chunk.first_line,
                         name=name)
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
        org = clean(", ".join(_text(p, ", ") for p in parts if _text(p).strip()))
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
    urls = [_unescape_uri(clean(_text(c.value))) for c in values("URL")]
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
            return "\n".join(str(v).strip() for v in value if str(v).strip())
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
        tel.encoded = True  # a number is not text: "+1 312-555-0142,12" with no "\,"
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
    return dial_text(phone)  # "+1 312-555-0142,12": a comma is the dialler's pause


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
