"""From the bytes of a ``.vcf`` file to each card's text, ready for ``vobject`` to parse.

``vobject`` does the parsing; this module only finds the cards and hands each one over
in a form it reads, the way phones' own readers tolerate what other phones write:

- **Text.** UTF-8; a property that declares another ``CHARSET`` (Shift_JIS names from
  Japanese feature phones, Latin-1 from old Nokias) is read in that charset; a line that
  is neither is read as Windows text and its card is flagged ("check the name").
- **Line ends.** CR LF, LF, CR, and the CR CR LF of iPhones on iOS 6 are one line end
  each, so line numbers agree with what a text editor shows.
- **Cards.** Each runs from BEGIN:VCARD to END:VCARD. A card nested inside another is
  a card of its own, as Android reads it (one after an empty ``AGENT:`` is someone
  else's, an assistant: it is left out and the outer card says so). A card that cannot
  be prepared (it never ends, or it is far too large) comes back as ``Unreadable`` with
  its line and the reason, and the cards after it are still read; so are lines outside
  any card. Only a file with no card at all raises ``VCardError``.
- **Android's leniency.** The few lines Android's reader accepts and vobject does not
  (comment lines, blank lines inside a folded photo, ``PROFILE:VCARD``, backslash
  continuations and vCard 2.1's multi-line addresses) are mended in one place.
- Photos, logos, sounds and keys are left out before vobject sees them (the app never
  uses them; a large or damaged photo would be slow or refuse the card), and so are the
  commas vobject would take as list separators in values that are not lists.
"""

from __future__ import annotations

import codecs
import quopri
import re
from dataclasses import dataclass, field

from caregiver_app.domain.contacts import clean

#: A card longer than this once its photo is left out is not a contact: it is refused
#: (vobject takes time that grows with the square of a long value's length).
MAX_CARD_CHARS = 256 * 1024

#: Properties the app never uses and leaves out before parsing: binary ones, and AGENT
#: (another person's card inside this one).
UNUSED_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "AGENT"})


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
class CardWarning:
    """Something about a card the caregiver should know that does not stop its import."""

    short: str  # for the preview's Check column: "check the name"
    text: str  # the whole explanation, for the card's details


@dataclass(frozen=True)
class CardText:
    """One card's text as vobject will read it, and where its lines are in the file."""

    number: int  # 1-based position among the file's cards
    first_line: int  # the file line of its BEGIN:VCARD
    text: str
    lines: tuple[int, ...]  # the file line of each line of ``text``
    warnings: tuple[CardWarning, ...] = ()
    left_out: tuple[str, ...] = ()  # properties left out before parsing: "PHOTO"
    windows_text: bool = False  # a line was neither UTF-8 nor its declared charset

    def file_line(self, line_in_card: int) -> int:
        return self.lines[min(max(line_in_card, 1), len(self.lines)) - 1]


@dataclass(frozen=True)
class Unreadable:
    """A card that cannot be read, or lines outside any card (``number`` 0)."""

    number: int
    line: int
    problem: str  # plain words: "the card never ends: END:VCARD is missing."
    name: str = ""


# ---- Public API


def split_cards(data: bytes | str) -> list[CardText | Unreadable]:
    """Every card of a file, in file order (a card by its BEGIN line), each ready for
    vobject or saying why not. Raises VCardError when the file holds no card at all."""
    lines, numbers, windows = decode(data)
    nodes, outside = _structure(lines)
    numbered = [n for n in nodes if n.number is not None]
    if not numbered:
        if outside:
            raise VCardError("this is not a vCard file: it should start with BEGIN:VCARD.",
                             line=numbers[outside[0][0]])
        raise VCardError("This file has no contact cards in it.")
    entries: list[tuple[int, CardText | Unreadable]] = []
    for node in numbered:
        entries.append((node.begin, _card(node, lines, numbers, windows)))
    for run in outside:
        first, last = numbers[run[0]], numbers[run[-1]]
        where = f"line {first} is" if first == last else f"lines {first} to {last} are"
        entries.append((run[0], Unreadable(
            0, first, f"{where} outside any card (a card runs from BEGIN:VCARD to "
            "END:VCARD): left out.")))
    return [entry for _, entry in sorted(entries, key=lambda e: e[0])]


def decode(data: bytes | str) -> tuple[list[str], list[int], set[int]]:
    """(lines, the file line of each, file lines read as Windows text). Raises
    VCardError for binary data.

    A file that is UTF-8 throughout and declares no other charset is split as it is.
    Otherwise each property (with its folded lines, which may split a character) is
    read in its declared ``CHARSET``, else UTF-8, else the Windows code page. White
    space and control characters at the end (a DOS end-of-file byte) are ignored.
    """
    if isinstance(data, str):
        if "\x00" in data.rstrip(_TRAILING_JUNK_TEXT):
            raise VCardError("This is not a vCard file: it holds binary data.")
        split = _split_lines(data.rstrip(_TRAILING_JUNK_TEXT))
        return split, list(range(1, len(split) + 1)), set()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data.decode("utf-16", errors="replace"))
    data = data.rstrip(_TRAILING_JUNK)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if not _FOREIGN_CHARSET.search(data):
        try:
            return decode(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    raw = _LINE_END_BYTES.split(data)
    lines: list[str] = []
    numbers: list[int] = []
    windows: set[int] = set()
    i = 0
    while i < len(raw):
        parts = [raw[i]]
        j = i + 1
        while j < len(raw) and raw[j][:1] in (b" ", b"\t") and raw[j].strip():
            parts.append(raw[j][1:])  # a folded line: its property goes on
            j += 1
        whole = b"".join(parts)
        text, fell_back = _decode_property(whole)
        if "\x00" in text:
            raise VCardError("This is not a vCard file: it holds binary data.")
        lines.append(text)
        numbers.append(i + 1)
        if fell_back:
            windows.add(i + 1)
        i = j
    return lines, numbers, windows


def tolerate(lines: list[tuple[int, str]], version: str) -> list[tuple[int, str]]:
    """A card's ``(index, line)`` pairs with what Android's own vCard reader accepts made
    readable for vobject (which refuses the whole card otherwise):

    - a line starting with ``#`` is a comment and is dropped (not inside a
      quoted-printable value, where it is text);
    - a blank line inside a folded value (the next line starts with a space) is
      dropped: iPhones write them inside photos;
    - ``PROFILE:VCARD`` (a valid vCard 3.0 line that Lotus Notes writes) is dropped: it
      says nothing and vobject refuses it;
    - a line with no colon after a line ending in a backslash continues that line: the
      backslash and the line end stand for a line break in the value;
    - in vCard 2.1, a line with no colon after an ADR, ORG or N line continues it,
      joined with a space (Microsoft's multi-line addresses, read as Android does).

    A joined line keeps the index of its first line.
    """
    out: list[tuple[int, str]] = []
    quoted = False  # the line before was a quoted-printable soft line break
    prop = ""
    for k, (index, line) in enumerate(lines):
        if quoted:
            out.append((index, line))
            quoted = line.endswith("=")
            continue
        if not line.strip():
            following = lines[k + 1][1] if k + 1 < len(lines) else ""
            if not (following[:1] in (" ", "\t") and following.strip()):
                out.append((index, line))
            continue
        if line.startswith("#"):
            continue
        folded = line[:1] in (" ", "\t")
        if not folded and ":" not in line and out:
            before_index, before = out[-1]
            if _ends_with_escape(before):
                out[-1] = (before_index, before[:-1] + "\\n" + line)
                continue
            if version.startswith("2") and prop in ("ADR", "ORG", "N"):
                out[-1] = (before_index, before + " " + line)
                continue
        if not folded:
            prop = property_name(line)
            if prop == "PROFILE" and _word(line.partition(":")[2]) == "VCARD":
                continue
            head = line.partition(":")[0].upper()
            quoted = "QUOTED-PRINTABLE" in head and line.endswith("=")
        out.append((index, line))
    return out


def property_name(line: str) -> str:
    """"PHOTO" for "item1.PHOTO;ENCODING=b:…"; "" for a line that is no property."""
    head, colon, _ = line.partition(":")
    if not colon:
        return ""
    return head.split(";")[0].split(".")[-1].strip().upper()


def peek_name(text: str) -> str:
    """The FN (or N) as written, for messages about a card that does not parse."""
    for wanted in ("FN", "N"):
        for raw in text.splitlines():
            head, _, value = raw.partition(":")
            if head.split(";")[0].split(".")[-1].strip().upper() != wanted:
                continue
            if "QUOTED-PRINTABLE" in head.upper():
                found = _CHARSET.search(head.encode("ascii", "replace"))
                charset = found.group(1).decode("ascii") if found else "utf-8"
                try:
                    value = quopri.decodestring(value.encode("ascii", "replace")).decode(
                        _CHARSET_ALIASES.get(charset.lower(), charset), "replace")
                except LookupError:
                    continue
            if wanted == "N":
                parts = [p for p in value.split(";") if p.strip()]
                value = " ".join(reversed(parts[:2]))
            name = clean(value.replace("\\,", ",").replace("\\;", ";"))[:60]
            if name:
                return name
    return ""


# ---- Private: text


_TRAILING_JUNK = bytes(range(0x21)) + b"\x7f"  # white space, DOS end-of-file (0x1A)…
_TRAILING_JUNK_TEXT = _TRAILING_JUNK.decode("ascii")
# One line end each: CR CR LF (iOS 6), CR LF, LF and CR.
_LINE_END_BYTES = re.compile(rb"\r\r\n|\r\n|\r|\n")
_FOREIGN_CHARSET = re.compile(rb"(?i);\s*CHARSET\s*=\s*\"?(?!UTF-?8\b)")
_CHARSET = re.compile(rb"(?i);\s*CHARSET\s*=\s*\"?([A-Za-z0-9_.:-]+)")
#: Names phones write for a charset, as Python knows it. Shift_JIS phones write
#: Microsoft's extension of it (NEC and IBM characters), which cp932 reads.
_CHARSET_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
                    "x-sjis": "cp932", "windows-31j": "cp932"}


def _split_lines(text: str) -> list[str]:
    """``text``'s lines: CR CR LF, CR LF, LF and CR each end one."""
    if "\r" in text:
        text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _decode_property(raw: bytes) -> tuple[str, bool]:
    """(text, read as Windows text) of one property: its declared charset, else UTF-8,
    else the Windows code page."""
    head = raw.split(b":", 1)[0]
    found = _CHARSET.search(head)
    if found:
        name = found.group(1).decode("ascii").lower()
        try:
            return raw.decode(_CHARSET_ALIASES.get(name, name)), False
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), True


def _word(line: str) -> str:
    return line.strip().upper().replace(" ", "")


def _ends_with_escape(line: str) -> bool:
    """The line ends in a backslash that escapes nothing on it (an odd run of them)."""
    run = len(line) - len(line.rstrip("\\"))
    return run % 2 == 1


# ---- Private: cards


@dataclass
class _Node:
    """A card found between BEGIN:VCARD and END:VCARD, before it is read."""

    begin: int  # index of its BEGIN line
    number: int | None  # None: a card inside AGENT, someone else's, left out
    own: list[int] = field(default_factory=list)  # indexes of its own lines
    end: int | None = None
    children: list[_Node] = field(default_factory=list)
    after_agent: bool = False  # its last property was an empty "AGENT:"


def _structure(lines: list[str]) -> tuple[list[_Node], list[list[int]]]:
    """(every card in BEGIN order, runs of non-blank lines outside any card)."""
    nodes: list[_Node] = []
    outside: list[list[int]] = []
    stack: list[_Node] = []
    count = 0
    joined_run = False  # the last line outside cards may take more
    for i, line in enumerate(lines):
        # only a short line can be BEGIN:VCARD or END:VCARD (not a photo's 75 characters)
        word = _word(line) if len(line) < 40 else ""
        if word == "BEGIN:VCARD":
            parent = stack[-1] if stack else None
            agent = parent is not None and (parent.number is None or parent.after_agent)
            if not agent:
                count += 1
            node = _Node(i, None if agent else count)
            if parent is not None:
                parent.children.append(node)
                parent.after_agent = False
            nodes.append(node)
            stack.append(node)
            joined_run = False
        elif word == "END:VCARD" and stack:
            stack.pop().end = i
            joined_run = False
        elif stack:
            top = stack[-1]
            top.own.append(i)
            if line.strip() and line[:1] not in (" ", "\t"):
                top.after_agent = (property_name(line) == "AGENT"
                                   and not line.partition(":")[2].strip())
        elif line.strip():
            if joined_run:
                outside[-1].append(i)
            else:
                outside.append([i])
                joined_run = True
    return nodes, outside


def _card(node: _Node, lines: list[str], numbers: list[int],
          windows: set[int]) -> CardText | Unreadable:
    first_line = numbers[node.begin]

    def name() -> str:
        return peek_name("\n".join(lines[i] for i in node.own[:60]))

    if node.end is None:
        nested = [c for c in node.children if c.number is not None]
        problem = ("the card never ends: END:VCARD is missing before line "
                   f"{numbers[nested[0].begin]}, where the next card begins."
                   if nested else "the card never ends: END:VCARD is missing.")
        return Unreadable(node.number or 0, first_line, problem, name())
    used, left_out = _leave_out_unused(node.own, lines)
    version = next((text.partition(":")[2].strip() for _, text in used
                    if property_name(text) == "VERSION"), "")
    kept, where = _escape_literal_commas(tolerate(used, version), version)
    size = sum(len(text) + 2 for text in kept)
    if size > MAX_CARD_CHARS:
        return Unreadable(
            node.number or 0, first_line,
            f"this card is too large to be a contact (more than {MAX_CARD_CHARS // 1024} "
            "KB even without its photo): the file may be damaged. Remove this card, or "
            "save the contacts from the phone again.", name())
    warnings = [_nested_warning(_agent_name(child, lines)) for child in node.children
                if child.number is None]
    warnings += [_nested_warning(peek_name(text.replace("\\n", "\n").replace("\\N", "\n")))
                 for text in left_out if _agent_inline(text)]
    text = "\r\n".join([lines[node.begin], *kept, lines[node.end]]) + "\r\n"
    file_lines = (first_line, *(numbers[i] for i in where), numbers[node.end])
    return CardText(
        node.number or 0, first_line, text, file_lines, tuple(warnings),
        tuple(dict.fromkeys(property_name(t) for t in left_out)),
        windows_text=bool(windows) and any(
            numbers[i] in windows for i in (node.begin, *node.own)))


def _agent_name(node: _Node, lines: list[str]) -> str:
    return peek_name("\n".join(lines[i] for i in node.own[:60]))


def _agent_inline(text: str) -> bool:
    """An AGENT line holding the other card in its value (vCard 3.0)."""
    return property_name(text) == "AGENT" and "BEGIN:VCARD" in _word(text.partition(":")[2])


def _nested_warning(name: str) -> CardWarning:
    who = f"“{name}”" if name else "another person"
    return CardWarning(
        "a card inside it is left out",
        f"This card has a card for {who} inside it (a vCard 2.1 AGENT, often an assistant): "
        "that card is not imported. Import that person from their own card if you need "
        "them.")


def _leave_out_unused(indexes: list[int], lines: list[str]
                      ) -> tuple[list[tuple[int, str]], list[str]]:
    """(the card's other lines as (index, line), the first line of each property left
    out): photos and the like, AGENT, with all their continuation lines."""
    used: list[tuple[int, str]] = []
    left_out: list[str] = []
    quoted = False  # the line before ended a quoted-printable line with "="
    k = 0
    while k < len(indexes):
        line = lines[indexes[k]]
        if quoted or line[:1] in (" ", "\t"):
            name = ""
        else:
            name = property_name(line)
        if name in UNUSED_PROPERTIES:
            left_out.append(line[:200])
            k = _unused_value_end(indexes, lines, k)
            quoted = False
            continue
        if name:
            quoted = "QUOTED-PRINTABLE" in line.partition(":")[0].upper()
        quoted = quoted and line.endswith("=")
        used.append((indexes[k], line))
        k += 1
    return used, left_out


_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
_BASE64_HEAD = re.compile(r"BASE64|ENCODING=B\b")


def _unused_value_end(indexes: list[int], lines: list[str], k: int) -> int:
    """The position in ``indexes`` after the property left out that starts at ``k``: its
    folded lines (a blank line between them too: iPhones write CR CR LF) and, in vCard
    2.1, base64 lines without a leading space, which end at a blank line."""
    base64 = _BASE64_HEAD.search(lines[indexes[k]].partition(":")[0].upper()) is not None
    j = k + 1
    end = len(indexes)
    while j < end:
        line = lines[indexes[j]]
        first = line[:1]
        if first == " " or first == "\t":
            j += 1
        elif not line.strip():
            if j + 1 < end and lines[indexes[j + 1]][:1] in (" ", "\t"):
                j += 1  # a blank line inside the folded value
                continue
            return j + 1 if base64 else j  # vCard 2.1: a blank line ends a base64 value
        elif base64 and _BASE64_LINE.fullmatch(line):
            j += 1
        else:
            break
    return j


def _escape_literal_commas(pairs: list[tuple[int, str]], version: str
                           ) -> tuple[list[str], list[int]]:
    """(lines for vobject, the index of each): the lines of each property with the
    commas that stand for themselves escaped (see ``_literal_commas``)."""
    texts = [text for _, text in pairs]
    kept: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(texts):
        line = texts[i]
        name = property_name(line) if line[:1] not in (" ", "\t") else ""
        end = _value_end(texts, i)
        for offset, text in _literal_commas(texts[i:end], name, version):
            kept.append(text)
            where.append(pairs[i + offset][0])
        i = end
    return kept, where


def _value_end(lines: list[str], i: int) -> int:
    """The index after the property that starts at ``lines[i]`` and its continuation
    lines: folded lines (starting with a space) and quoted-printable soft breaks ("=" at
    the end)."""
    quoted = "QUOTED-PRINTABLE" in lines[i].partition(":")[0].upper()
    current = lines[i]
    j = i + 1
    while j < len(lines):
        nxt = lines[j]
        if (nxt[:1] in (" ", "\t") and nxt.strip()) or (quoted and current.endswith("=")):
            current = nxt
            j += 1
            continue
        break
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


__all__ = [
    "MAX_CARD_CHARS",
    "UNUSED_PROPERTIES",
    "CardText",
    "CardWarning",
    "Unreadable",
    "VCardError",
    "decode",
    "peek_name",
    "property_name",
    "split_cards",
    "tolerate",
]
