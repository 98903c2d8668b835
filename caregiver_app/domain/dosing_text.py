"""Find dosing instructions in plain-language text (Learn articles, the medicine reference).

The app promises never to tell a caregiver how much of a medicine to give or when: the
person's own dose and times come from their medicine list and their prescriber. An
article may say how a medicine *is given* (a drip at the clinic, cycles of days on and
days off, loading doses first) and what the *product* is (a 50 mg tablet, a 5 mg/mL
liquid), but never an amount, a schedule, a taper or a missed-dose rule as something to
do. ``dosing_statements`` finds the sentences that break that rule:

- **amount**: an amount with a unit ("50 mg", "1 capsule", "30 mL") in a sentence about
  giving, timing or stopping a medicine, unless it is a product fact: a strength or
  concentration ("50 mg/10 mL", "5 mg per mL", "a 50 mg tablet", "each tablet has
  50 mg", "comes in 20 mg / 10 mg capsules");
- **schedule**: a frequency, interval or clock time in a sentence about a medicine
  ("every 12 hours", "twice a day", "14 days apart", "for the first 7 days", "7 am and
  7 pm");
- **taper**: lowering or stopping "over 1 to 2 weeks";
- **missed dose**: what to do after a missed or late dose ("give it as soon as
  possible", "skip the missed one", "14 days later"). "Never give two doses to catch
  up" is a warning, not a rule to follow, and is not reported.

It reads text line by line (a Markdown body or one reference text), so each finding
names its line. Pure Python: the content tests run it over every shipped text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|half|a half)"
_RANGE = rf"{_NUMBER}(?:\s*(?:-|–|to|or)\s*{_NUMBER})?"
_UNIT = (r"(?:mg|mcg|µg|micrograms?|milligrams?|g|grams?|ml|millilit(?:re|er)s?|units?|iu"
         r"|drops?|tablets?|tabs?|capsules?|caps?|puffs?|sprays?|patch(?:es)?|sachets?"
         r"|packets?|teaspoons?|tablespoons?|tsp|tbsp|films?|vials?)")
_MASS_OR_VOLUME = re.compile(r"^(?:mg|mcg|µg|micrograms?|milligrams?|g|grams?|ml"
                             r"|millilit(?:re|er)s?|units?|iu)$", re.IGNORECASE)

_AMOUNT_RE = re.compile(rf"(?<![\w/.])({_RANGE})\s*({_UNIT})(?![\w])", re.IGNORECASE)

# Words that make a sentence about giving, timing or stopping a medicine.
_DOSING_CUE_RE = re.compile(
    r"\b(?:give|gives|given|giving|take|takes|taken|taking|dose|doses|dosing|dosage"
    r"|every|daily|nightly|twice|once|times|a day|per day|each day|at night|bedtime"
    r"|apart|taper\w*|missed|skip\w*|double|flush\w*|loading|maintenance|no more than"
    r"|up to|at most|maximum|infus\w*|inject\w*|start\w*|increase\w*|titrat\w*|usual"
    r"|prescribed|swallow\w*|measure\w*)\b",
    re.IGNORECASE)

# Words that show a sentence is about a medicine (for schedules without an amount).
_MEDICINE_CUE_RE = re.compile(
    r"\b(?:dose|doses|dosing|give|gives|given|giving|take|takes|taken|taking|tablets?"
    r"|capsules?|pills?|liquid|medicines?|medications?|injections?|infusions?|patch(?:es)?"
    r"|drops?|films?|riluzole|edaravone|tofersen|nuedexta|radicava|qalsody|baclofen"
    r"|tizanidine|xeomin|myobloc)\b",
    re.IGNORECASE)

_SCHEDULE_RES = (
    re.compile(rf"\bevery\s+(?:other\s+)?{_RANGE}\s*(?:hours?|hrs?|days?|weeks?|months?)\b",
               re.IGNORECASE),
    re.compile(r"\b(?:once|twice|thrice|\d+\s*(?:x|times)|one|two|three|four)\s+"
               r"(?:(?:doses?|tablets?|capsules?)\s+)?(?:a|per|each|every)\s+"
               r"(?:day|night|week|morning|evening)\b", re.IGNORECASE),
    re.compile(r"\b(?:once|twice)\s+(?:daily|weekly|nightly)\b", re.IGNORECASE),
    re.compile(rf"\b{_RANGE}\s*(?:hours?|days?|weeks?)\s+apart\b", re.IGNORECASE),
    re.compile(rf"\b{_RANGE}[- ]day\s+(?:intervals?|stretch|cycles?)\b", re.IGNORECASE),
    re.compile(rf"\b{_RANGE}\s+days?\s+(?:in a row|on|off|with no (?:medicine|drug|dose)s?)\b",
               re.IGNORECASE),
    re.compile(r"\bfor the (?:first|next|last)\s+\d+\s+(?:days?|weeks?)\b", re.IGNORECASE),
    re.compile(r"\b(?:from|on|until|after)\s+day\s+\d+\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\b\d{1,2}:\d\d\b",
               re.IGNORECASE),
    re.compile(r"\b(?:q\d+h|bid|tid|qid|qds|tds)\b", re.IGNORECASE),
    re.compile(rf"\b{_RANGE}\s*(?:hours?|days?|weeks?)\s+(?:later|after (?:that|the))\b",
               re.IGNORECASE),
)

_TAPER_CUE_RE = re.compile(
    r"\b(?:taper\w*|lower\w*|reduc\w*|wean\w*|stop\w*|decreas\w*|cut\w* down)\b",
    re.IGNORECASE)
_TAPER_SPAN_RE = re.compile(
    rf"\b(?:over|across|during)\s+(?:at least\s+|about\s+|a period of\s+)?{_RANGE}\s*"
    r"(?:days?|weeks?|months?)\b", re.IGNORECASE)

_MISSED_CUE_RE = re.compile(r"\b(?:missed|misses|miss|forgot\w*|forget\w*|late)\b",
                            re.IGNORECASE)
_MISSED_RULE_RE = re.compile(
    r"\b(?:as soon as (?:possible|you remember|remembered)|when (?:you )?remember\w*"
    rf"|skip (?:the|it|that)\b|{_RANGE}\s*(?:hours?|days?|weeks?)\s+later"
    r"|next (?:dose|one) (?:at|on) the usual)", re.IGNORECASE)

_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(*\[]?[A-Z0-9])")
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")
_STRENGTH_BEFORE_RE = re.compile(
    r"(?:\beach|\bper|\bevery|\bone)\s+(?:\w+\s+){0,2}?(?:tablets?|capsules?|films?|vials?|bags?"
    r"|patch(?:es)?|bottles?|sachets?|packets?|ml)\s+(?:has|have|holds?|contains?|of)?\s*$"
    r"|\b(?:strengths?|comes? (?:as|in)|sold as|made as|available as|is a|are|in)\s+"
    r"(?:a\s+|an\s+)?$",
    re.IGNORECASE)
_STRENGTH_AFTER_RE = re.compile(
    r"^\s*(?:/\s*\d|per\s+(?:ml|millilit\w*|\d)|in (?:each|every|one)\b"
    r"|(?:\(\s*\d[^)]*\)\s*)?(?:[a-z-]+\s+){0,2}?(?:tablets?|capsules?|films?|vials?|bags?"
    r"|patch(?:es)?|bottles?|strengths?|suspension|solution|oral|liquid|injection)\b)",
    re.IGNORECASE)


@dataclass(frozen=True)
class DosingStatement:
    """One sentence that reads like a dosing instruction."""

    line: int
    """Line of the text it is on (1-based)."""
    kind: str
    """``"amount"``, ``"schedule"``, ``"taper"`` or ``"missed dose"``."""
    found: str
    """The words that gave it away ("50 mg", "every 12 hours")."""
    sentence: str

    def describe(self) -> str:
        return f"line {self.line}: {self.kind} {self.found!r} in {self.sentence!r}"


def dosing_statements(text: str, *, first_line: int = 1) -> list[DosingStatement]:
    """Every sentence of ``text`` that reads like an amount, schedule, taper or missed-dose
    rule to follow. ``first_line`` is the line number of the text's first line."""
    found: list[DosingStatement] = []
    section = ""  # the heading the line is under: "If a dose is missed" sets the topic
    for offset, raw in enumerate(text.splitlines()):
        line = _LINK_TARGET_RE.sub("]", raw).replace("**", "").replace("__", "")
        if line.lstrip().startswith("#"):
            section = line
        previous = section
        for sentence in _SENTENCE_SPLIT_RE.split(line.strip()):
            finding = _sentence_finding(sentence, previous)
            if finding is not None:
                kind, words = finding
                found.append(DosingStatement(first_line + offset, kind, words,
                                             sentence.strip()))
            previous = f"{section} {sentence}"
    return found


def _sentence_finding(sentence: str, previous: str = "") -> tuple[str, str] | None:
    """What makes ``sentence`` a dosing instruction, if anything. A schedule may take its
    medicine, and a missed-dose rule its "missed", from ``previous`` (the heading and the
    sentence before): "Give it on an empty stomach. Pick two times, such as 7 am and
    7 pm"; "## If a dose is missed ... Give it when you remember"."""
    if not sentence.strip():
        return None
    missed = _MISSED_RULE_RE.search(sentence)
    if missed and (_MISSED_CUE_RE.search(sentence) or _MISSED_CUE_RE.search(previous)):
        return "missed dose", missed.group(0)
    if _TAPER_CUE_RE.search(sentence):
        span = _TAPER_SPAN_RE.search(sentence)
        if span:
            return "taper", span.group(0)
    if _DOSING_CUE_RE.search(sentence):
        for amount in _AMOUNT_RE.finditer(sentence):
            if not _is_product_fact(sentence, amount):
                return "amount", amount.group(0)
    if _MEDICINE_CUE_RE.search(sentence) or _MEDICINE_CUE_RE.search(previous):
        for pattern in _SCHEDULE_RES:
            schedule = pattern.search(sentence)
            if schedule:
                return "schedule", schedule.group(0)
    return None


def _is_product_fact(sentence: str, amount: re.Match[str]) -> bool:
    """A strength or concentration ("50 mg/10 mL", "a 50 mg tablet", "each tablet has
    50 mg"), not an amount to give."""
    before = sentence[:amount.start()]
    after = sentence[amount.end():]
    if before.rstrip().endswith("/"):
        return True  # the second half of "50 mg/10 mL"
    if not _MASS_OR_VOLUME.match(amount.group(2)):
        return False  # "1 capsule", "2 drops": a count to give
    return bool(_STRENGTH_AFTER_RE.match(after) or _STRENGTH_BEFORE_RE.search(before))
