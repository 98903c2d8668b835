"""The built-in medicine reference: facts about medicines used in ALS, never doses.

The data lives in ``resources/medicines/reference.toml`` (format:
``docs/medicine-reference-format.md``). ``load_reference`` reads and checks it
once; the caller keeps the returned ``MedicineReference`` for the life of the
app. The medicine dialog uses it to find an entry (``search``) and to pre-fill
its fields for a chosen product form (``prefill``).

The loader refuses a file it cannot trust and names every problem by entry id
and key: unknown vocabulary values, missing sources, duplicate ids, and
anything that looks like a dose or a schedule. Doses come from the
prescription, never from this file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from caregiver_app.domain.errors import CaregiverAppError, NotFound
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, Route
from caregiver_app.domain.vocab import GivenBy as GivenBy  # kept here too, as before

#: Where the reference sits inside the app's resources folder.
REFERENCE_RESOURCE = ("medicines", "reference.toml")

MAX_PURPOSE = 120
MAX_POINT = 300
MAX_NOTE = 500
MAX_FOOD_MINUTES = 24 * 60
MAX_FLUSH_ML = 500

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")

# Key names that would hold a dose or a schedule. The reference never does.
_DOSE_KEY_PARTS = ("dose", "dosag", "dosing", "frequen", "titrat", "posolog")
_DOSE_KEY_WORDS = {"times", "interval", "intervals", "schedule", "daily", "qty", "amount"}

# Free text that reads like a dose ("2 tablets", "10 mL") or a frequency
# ("twice daily", "every 12 hours"). Strengths are product facts and live only
# in the ``strength`` field, which is not scanned.
_DOSE_TEXT_RES = (
    re.compile(
        r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|micrograms?|milligrams?|g|grams?|ml|millilit(?:re|er)s?"
        r"|units?|iu|drops?|tablets?|tabs?|capsules?|caps?|puffs?|sprays?|patch(?:es)?"
        r"|sachets?|packets?|teaspoons?|tablespoons?|tsp|tbsp)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:once|twice|thrice|\d+\s*(?:x|times))\s+(?:a|per|each|every)\s+(?:day|night|week)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:once|twice)\s+(?:daily|weekly|nightly)\b", re.IGNORECASE),
    re.compile(r"\bevery\s+\d+(?:\s*(?:-|to|–)\s*\d+)?\s*(?:h|hrs?|hours?|days?|weeks?)\b",
               re.IGNORECASE),
    re.compile(r"\b(?:q\d+h|bid|tid|qid|qds|tds|prn|o\.?d\.?)\b", re.IGNORECASE),
    re.compile(r"\b\d+\s*(?:mg|ml|g)\s*/\s*(?:day|kg|d)\b", re.IGNORECASE),
)


# ---- Vocabularies of the reference (stored in the TOML file: never change a value)


_E = TypeVar("_E", bound=StrEnum)
_B = TypeVar("_B", bool, None)


class Kind(StrEnum):
    DISEASE_SLOWING = "disease-slowing"
    SYMPTOM = "symptom"


class RegimenHint(StrEnum):
    """Which regimen kind the medicine dialog should offer first (never a dose)."""

    NONE = ""
    EDARAVONE_CYCLE = "edaravone-cycle"
    TOFERSEN_LOADING = "tofersen-loading"
    AS_NEEDED = "as-needed"


class Availability(StrEnum):
    AVAILABLE = "available"
    SHORTAGE = "shortage"
    WITHDRAWN = "withdrawn"
    NOT_APPROVED_US = "not-approved-us"
    UNCONFIRMED = "unconfirmed"

    @property
    def headline(self) -> str:
        """A plain sentence for a flagged status ("" when there is nothing to flag)."""
        return _AVAILABILITY_HEADLINES[self]

    @property
    def severity(self) -> int:
        """Higher is worse; the pre-fill reports the worse of medicine and form."""
        return _AVAILABILITY_SEVERITY[self]


_AVAILABILITY_HEADLINES = {
    Availability.AVAILABLE: "",
    Availability.SHORTAGE: "In short supply: it may be hard or impossible to get.",
    Availability.WITHDRAWN: "Withdrawn from the market.",
    Availability.NOT_APPROVED_US: "Not approved in the US for this use.",
    Availability.UNCONFIRMED: "We could not confirm that it is still sold.",
}
_AVAILABILITY_SEVERITY = {
    Availability.AVAILABLE: 0,
    Availability.UNCONFIRMED: 1,
    Availability.NOT_APPROVED_US: 2,
    Availability.SHORTAGE: 3,
    Availability.WITHDRAWN: 4,
}


# ---- Data


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class ReferenceForm:
    """One product form of a medicine, e.g. Rilutek 50 mg tablets."""

    form: Form
    routes: tuple[Route, ...]
    brand: str = ""
    strength: str = ""  # as printed on the product; "" when not sourced or several exist
    description: str = ""  # replaces the form's name in labels: "oral solution", ...
    availability: Availability = Availability.AVAILABLE
    availability_note: str = ""
    do_not_crush: bool | None = None  # None: use the medicine's value
    food_rule: FoodRule | None = None  # None: use the medicine's rule

    def label(self) -> str:
        """What the picker shows, e.g. "Tiglutik 50 mg/10 mL oral suspension"."""
        words = [self.brand or "generic", self.strength, self.description or self.form.label]
        return " ".join(w for w in words if w)


@dataclass(frozen=True)
class ReferenceMedicine:
    id: str
    generic: str
    kind: Kind
    purpose: str
    forms: tuple[ReferenceForm, ...]
    sources: tuple[Source, ...]
    brands: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()
    article: str = ""
    given_by: GivenBy = GivenBy.HOME
    regimen_hint: RegimenHint = RegimenHint.NONE
    availability: Availability = Availability.AVAILABLE
    availability_note: str = ""
    do_not_crush: bool = False
    flush_ml: int = 0
    food_rule: FoodRule = field(default_factory=FoodRule)
    key_points: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a caregiver might type: generic, brands, other names."""
        return (self.generic, *self.brands, *self.other_names)

    def food_rule_for(self, form: ReferenceForm) -> FoodRule:
        return form.food_rule if form.food_rule is not None else self.food_rule

    def do_not_crush_for(self, form: ReferenceForm) -> bool:
        return form.do_not_crush if form.do_not_crush is not None else self.do_not_crush

    def availability_warning(self, form: ReferenceForm | None = None) -> str:
        """Plain sentences flagging a withdrawn, short, unconfirmed or off-label entry.

        "" when there is nothing to say. A form's own status is added when it
        differs from the medicine's or carries its own note.
        """
        parts = []
        if self.availability is not Availability.AVAILABLE or self.availability_note:
            parts.append(_join(self.availability.headline, self.availability_note))
        if form is not None and (
            form.availability_note
            or (form.availability is not Availability.AVAILABLE
                and form.availability is not self.availability)
        ):
            parts.append(f"{form.label()}: " + _join(form.availability.headline,
                                                     form.availability_note))
        return " ".join(parts)


@dataclass(frozen=True)
class PreFill:
    """What choosing a reference entry and one of its forms fills in. Never a dose."""

    reference_id: str
    article_id: str
    name: str
    brand: str
    strength: str
    form: Form
    routes: tuple[Route, ...]
    food_rule: FoodRule
    do_not_crush: bool
    flush_ml: int
    given_by: GivenBy
    regimen_hint: RegimenHint
    availability: Availability  # the worse of the medicine's and the form's
    availability_warning: str  # "" when nothing needs flagging


class MedicineReference:
    """All reference entries, in file order, with lookup, search and pre-fill."""

    def __init__(self, medicines: Sequence[ReferenceMedicine], reviewed: date | None = None):
        self._medicines = tuple(medicines)
        self._by_id = {m.id: m for m in self._medicines}
        if len(self._by_id) != len(self._medicines):
            raise ValueError("medicine ids must be unique")
        self.reviewed = reviewed
        self._names = {m.id: tuple(_fold(n) for n in (m.id, *m.names)) for m in self._medicines}

    # ---- Public API

    def __len__(self) -> int:
        return len(self._medicines)

    def __iter__(self) -> Iterator[ReferenceMedicine]:
        return iter(self._medicines)

    def __contains__(self, medicine_id: object) -> bool:
        return medicine_id in self._by_id

    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self._medicines)

    def get(self, medicine_id: str) -> ReferenceMedicine:
        try:
            return self._by_id[medicine_id]
        except KeyError:
            raise NotFound(f"The medicine reference has no entry {medicine_id!r}.") from None

    def find(self, medicine_id: str) -> ReferenceMedicine | None:
        return self._by_id.get(medicine_id)

    def search(self, query: str) -> list[ReferenceMedicine]:
        """Entries whose generic name, brand or other name matches ``query``.

        Case-insensitive. Best matches first: a whole name, then a name that
        starts with the query, then a word inside a name that starts with it,
        then any name containing it. An empty query returns every entry,
        sorted by generic name.
        """
        q = _fold(query)
        if not q:
            return sorted(self._medicines, key=lambda m: (_fold(m.generic), m.id))
        ranked = []
        for m in self._medicines:
            scores = [s for s in (_match_score(n, q) for n in self._names[m.id]) if s is not None]
            if scores:
                score = min(scores)
                ranked.append((score, _fold(m.generic), m.id, m))
        ranked.sort(key=lambda r: r[:3])
        return [r[3] for r in ranked]

    def prefill(self, medicine_id: str, form_index: int = 0) -> PreFill:
        """The dialog's pre-fill for entry ``medicine_id`` and its form number ``form_index``."""
        medicine = self.get(medicine_id)
        if not 0 <= form_index < len(medicine.forms):
            raise NotFound(f"{medicine.generic} has no form number {form_index}.")
        form = medicine.forms[form_index]
        worse = max(medicine.availability, form.availability, key=lambda a: a.severity)
        return PreFill(
            reference_id=medicine.id,
            article_id=medicine.article,
            name=medicine.generic,
            brand=form.brand,
            strength=form.strength,
            form=form.form,
            routes=form.routes,
            food_rule=medicine.food_rule_for(form),
            do_not_crush=medicine.do_not_crush_for(form),
            flush_ml=medicine.flush_ml,
            given_by=medicine.given_by,
            regimen_hint=medicine.regimen_hint,
            availability=worse,
            availability_warning=medicine.availability_warning(form),
        )


# ---- Loading


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the reference file, named by entry and key."""

    entry: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"medicine {self.entry!r}, key {self.key!r}: {self.message}"


class ReferenceFormatError(CaregiverAppError):
    """The reference file cannot be used. ``problems`` lists every fault found."""

    def __init__(self, path: Path | str, problems: Sequence[Problem]):
        self.path = Path(path)
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{self.path.name}: {count} {noun} in the medicine reference:\n{lines}")


def load_reference(path: Path | str) -> MedicineReference:
    """Read and check the reference file. Raises ReferenceFormatError naming each fault."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problem = Problem("(file)", "(file)", f"cannot read it: {exc}")
        raise ReferenceFormatError(path, [problem]) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problem = Problem("(file)", "(file)", f"not valid TOML: {exc}")
        raise ReferenceFormatError(path, [problem]) from exc
    return parse_reference(raw, path)


def parse_reference(raw: Mapping[str, Any],
                    path: Path | str = "reference.toml") -> MedicineReference:
    """Check already-parsed TOML data (see ``load_reference``)."""
    problems: list[Problem] = []
    top = _Checker("(file)", "", problems)
    top.refuse_dose_like_keys(raw)
    top.refuse_unknown_keys(raw, _TOP_KEYS)
    reviewed = raw.get("reviewed")
    if reviewed is None:
        top.add("reviewed", "missing: the date the facts were last checked, e.g. 2026-11-25")
    elif not isinstance(reviewed, date) or isinstance(reviewed, datetime):
        top.add("reviewed", "must be a TOML date such as 2026-11-25")
        reviewed = None
    entries = raw.get("medicine")
    if not isinstance(entries, list) or not entries:
        top.add("medicine", "the file needs at least one [[medicine]] table")
        entries = []

    medicines: list[ReferenceMedicine] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        label = f"#{index}"
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"]:
            label = entry["id"]
        check = _Checker(label, "", problems)
        if not isinstance(entry, Mapping):
            check.add("medicine", "each [[medicine]] must be a table")
            continue
        medicine = _parse_medicine(entry, check)
        if label in seen:
            check.add("id", f"duplicate id: medicine #{seen[label]} already uses {label!r}")
        else:
            seen[label] = index
        if medicine is not None:
            medicines.append(medicine)

    if problems:
        raise ReferenceFormatError(path, problems)
    return MedicineReference(medicines, reviewed)


# ---- Private

_TOP_KEYS = {"reviewed", "medicine"}
_MEDICINE_REQUIRED = {
    "id", "generic", "brands", "kind", "purpose", "article", "given_by", "regimen_hint",
    "availability", "do_not_crush", "flush_ml", "food_rule", "key_points", "forms", "sources",
}
_MEDICINE_OPTIONAL = {
    "other_names", "availability_note", "food_before_minutes", "food_after_minutes", "food_note",
}
_FORM_REQUIRED = {"form", "brand", "strength", "routes", "availability"}
_FORM_OPTIONAL = {
    "availability_note", "description", "do_not_crush",
    "food_rule", "food_before_minutes", "food_after_minutes", "food_note",
}
_SOURCE_KEYS = {"title", "url"}


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("/", " ").split())


def _match_score(name: str, query: str) -> int | None:
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    if any(word.startswith(query) for word in name.split()):
        return 2
    if query in name:
        return 3
    return None


def _looks_like_dose_key(key: str) -> bool:
    lowered = key.casefold()
    if any(part in lowered for part in _DOSE_KEY_PARTS):
        return True
    return bool(_DOSE_KEY_WORDS & set(re.split(r"[^a-z0-9]+", lowered)))


def _dose_like_text(text: str) -> str | None:
    for pattern in _DOSE_TEXT_RES:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


class _Checker:
    """Collects problems for one entry; ``prefix`` is the key path inside it."""

    def __init__(self, entry: str, prefix: str, problems: list[Problem]):
        self.entry = entry
        self.prefix = prefix
        self.problems = problems

    def at(self, key: str) -> _Checker:
        return _Checker(self.entry, self._key(key), self.problems)

    def _key(self, key: str) -> str:
        if not self.prefix:
            return key
        return f"{self.prefix}{key}" if key.startswith("[") else f"{self.prefix}.{key}"

    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.entry, self._key(key), message))

    # -- structure

    def refuse_dose_like_keys(self, table: Mapping[str, Any]) -> None:
        for key in table:
            if _looks_like_dose_key(str(key)):
                self.add(str(key), "looks like a dose or a schedule; the reference never holds "
                                   "doses (the prescription does), so remove this key")

    def refuse_unknown_keys(self, table: Mapping[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed and not _looks_like_dose_key(str(key)):
                self.add(str(key), f"unknown key; allowed keys: {', '.join(sorted(allowed))}")

    def require(self, table: Mapping[str, Any], required: set[str]) -> None:
        for key in sorted(required - set(table)):
            self.add(key, "missing")

    # -- values

    def text(self, table: Mapping[str, Any], key: str, *, required: bool = False,
             one_line: bool = True, limit: int = MAX_POINT, prose: bool = False) -> str:
        value: object = table.get(key, "")
        if not isinstance(value, str):
            self.add(key, f"must be text, not {type(value).__name__}")
            return ""
        value = value.strip()
        if required and not value:
            self.add(key, "must not be empty")
        if one_line and "\n" in value:
            self.add(key, "must be a single line")
        if len(value) > limit:
            self.add(key, f"is {len(value)} characters; keep it under {limit}")
        if prose:
            self.no_dose_text(key, value)
        return value

    def no_dose_text(self, key: str, value: str) -> None:
        found = _dose_like_text(value)
        if found:
            self.add(key, f"reads like a dose or frequency ({found!r}); the reference never "
                          "holds doses. Put product strengths in a form's 'strength'")

    def text_list(self, table: Mapping[str, Any], key: str, *, prose: bool = False,
                  limit: int = MAX_POINT) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.add(key, "must be a list of text, e.g. [\"...\"]")
            return ()
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add(f"{key}[{i}]", "must be non-empty text")
                continue
            item = item.strip()
            if "\n" in item:
                self.add(f"{key}[{i}]", "must be a single line")
            if len(item) > limit:
                self.add(f"{key}[{i}]", f"is {len(item)} characters; keep it under {limit}")
            if prose:
                self.no_dose_text(f"{key}[{i}]", item)
            items.append(item)
        if len(set(items)) != len(items):
            self.add(key, "lists the same text twice")
        return tuple(items)

    def choice(self, table: Mapping[str, Any], key: str, enum: type[_E], default: _E) -> _E:
        if key not in table:
            return default
        value = table[key]
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in enum)
            self.add(key, f"unknown value {value!r}; choose one of: {allowed}")
            return default

    def boolean(self, table: Mapping[str, Any], key: str, default: _B) -> bool | _B:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, bool):
            self.add(key, "must be true or false")
            return default
        return value

    def integer(self, table: Mapping[str, Any], key: str, low: int, high: int) -> int:
        value = table.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(key, "must be a whole number")
            return 0
        if not low <= value <= high:
            self.add(key, f"must be between {low} and {high}")
            return 0
        return value

    def food_rule(self, table: Mapping[str, Any]) -> FoodRule:
        kind = self.choice(table, "food_rule", FoodRuleKind, FoodRuleKind.NONE)
        before = self.integer(table, "food_before_minutes", 0, MAX_FOOD_MINUTES)
        after = self.integer(table, "food_after_minutes", 0, MAX_FOOD_MINUTES)
        note = self.text(table, "food_note", prose=True, limit=MAX_NOTE)
        if kind in (FoodRuleKind.EMPTY_STOMACH, FoodRuleKind.FASTING) and not (before or after):
            self.add("food_before_minutes",
                     f"food_rule {kind.value!r} needs food_before_minutes or food_after_minutes")
        if kind in (FoodRuleKind.NONE, FoodRuleKind.WITH_FOOD) and (before or after):
            self.add("food_rule", f"food_rule {kind.value!r} takes no minutes; "
                                  "use 'empty_stomach' or 'fasting'")
        return FoodRule(kind, before, after, note)

    def availability(self, table: Mapping[str, Any],
                     inherited: Availability | None = None) -> tuple[Availability, str]:
        """Status and note. A form with the same status as its medicine may leave the note
        to the medicine (``inherited``)."""
        status = self.choice(table, "availability", Availability, Availability.AVAILABLE)
        note = self.text(table, "availability_note", prose=True, limit=MAX_NOTE)
        if status is not Availability.AVAILABLE and not (status is inherited and not note):
            if not note:
                self.add("availability_note",
                         f"availability {status.value!r} needs a note saying what and since when")
            elif status in (Availability.SHORTAGE, Availability.WITHDRAWN) \
                    and not _YEAR_RE.search(note):
                self.add("availability_note",
                         f"availability {status.value!r} needs an 'as of' date "
                         "(a year) in the note")
        return status, note


def _parse_medicine(entry: Mapping[str, Any], check: _Checker) -> ReferenceMedicine | None:
    start = len(check.problems)
    check.refuse_dose_like_keys(entry)
    check.refuse_unknown_keys(entry, _MEDICINE_REQUIRED | _MEDICINE_OPTIONAL)
    check.require(entry, _MEDICINE_REQUIRED)

    medicine_id = check.text(entry, "id", required=True)
    if medicine_id and not _ID_RE.match(medicine_id):
        check.add("id", "use lowercase letters, digits and single dashes, e.g. 'edaravone-oral'")
    generic = check.text(entry, "generic", required=True, limit=MAX_PURPOSE)
    brands = check.text_list(entry, "brands", limit=MAX_PURPOSE)
    other_names = check.text_list(entry, "other_names", limit=MAX_PURPOSE)
    kind = check.choice(entry, "kind", Kind, Kind.SYMPTOM)
    purpose = check.text(entry, "purpose", required=True, limit=MAX_PURPOSE, prose=True)
    article = check.text(entry, "article")
    if article and not _ID_RE.match(article):
        check.add("article", "must be a Learn article id (lowercase-with-dashes) or \"\"")
    given_by = check.choice(entry, "given_by", GivenBy, GivenBy.HOME)
    regimen_hint = check.choice(entry, "regimen_hint", RegimenHint, RegimenHint.NONE)
    availability, availability_note = check.availability(entry)
    do_not_crush = check.boolean(entry, "do_not_crush", False)
    flush_ml = check.integer(entry, "flush_ml", 0, MAX_FLUSH_ML)
    food_rule = check.food_rule(entry)
    key_points = check.text_list(entry, "key_points", prose=True)

    forms = _parse_forms(entry.get("forms"), check, availability)
    if flush_ml and forms and not any(r.is_tube for f in forms for r in f.routes):
        check.add("flush_ml", "a flush volume needs at least one form with a tube route")
    sources = _parse_sources(entry.get("sources"), check)

    if len(check.problems) > start:
        return None
    return ReferenceMedicine(
        id=medicine_id, generic=generic, kind=kind, purpose=purpose, forms=forms,
        sources=sources, brands=brands, other_names=other_names, article=article,
        given_by=given_by, regimen_hint=regimen_hint, availability=availability,
        availability_note=availability_note, do_not_crush=do_not_crush, flush_ml=flush_ml,
        food_rule=food_rule, key_points=key_points,
    )


def _parse_forms(value: Any, check: _Checker,
                 medicine_status: Availability) -> tuple[ReferenceForm, ...]:
    if value is None:
        return ()  # reported as missing
    if not isinstance(value, list) or not value:
        check.add("forms", "needs at least one [[medicine.forms]] table")
        return ()
    forms = []
    for i, table in enumerate(value):
        at = check.at(f"forms[{i}]")
        if not isinstance(table, Mapping):
            check.add(f"forms[{i}]", "must be a table")
            continue
        at.refuse_dose_like_keys(table)
        at.refuse_unknown_keys(table, _FORM_REQUIRED | _FORM_OPTIONAL)
        at.require(table, _FORM_REQUIRED)
        form = at.choice(table, "form", Form, Form.OTHER)
        brand = at.text(table, "brand", limit=MAX_PURPOSE)
        strength = at.text(table, "strength", limit=60)
        if strength and not re.search(r"\d", strength):
            at.add("strength", "a strength is a number with a unit as printed on the product")
        description = at.text(table, "description", limit=MAX_PURPOSE, prose=True)
        routes = _parse_routes(table.get("routes"), at)
        status, note = at.availability(table, inherited=medicine_status)
        if medicine_status is Availability.WITHDRAWN and status is not Availability.WITHDRAWN:
            at.add("availability", "the medicine is withdrawn, so each form must be too")
        do_not_crush = at.boolean(table, "do_not_crush", None)
        food_keys = {"food_rule", "food_before_minutes", "food_after_minutes", "food_note"}
        food_rule = None
        if "food_rule" in table:
            food_rule = at.food_rule(table)
        elif food_keys & set(table):
            at.add("food_rule", "set food_rule too when a form has its own food minutes or note")
        forms.append(ReferenceForm(
            form=form, routes=routes, brand=brand, strength=strength, description=description,
            availability=status, availability_note=note, do_not_crush=do_not_crush,
            food_rule=food_rule,
        ))
    return tuple(forms)


def _parse_routes(value: Any, at: _Checker) -> tuple[Route, ...]:
    if value is None:
        return ()  # reported as missing
    if not isinstance(value, list) or not value:
        at.add("routes", "needs at least one route, e.g. [\"oral\"]")
        return ()
    routes = []
    allowed = ", ".join(repr(r.value) for r in Route)
    for j, item in enumerate(value):
        try:
            routes.append(Route(item))
        except ValueError:
            at.add(f"routes[{j}]", f"unknown route {item!r}; choose from: {allowed}")
    if len(set(routes)) != len(routes):
        at.add("routes", "lists the same route twice")
    return tuple(routes)


def _parse_sources(value: Any, check: _Checker) -> tuple[Source, ...]:
    if value is None:
        return ()  # reported as missing
    if not isinstance(value, list) or not value:
        check.add("sources", "needs at least one [[medicine.sources]] with a title and an url")
        return ()
    sources = []
    for i, table in enumerate(value):
        at = check.at(f"sources[{i}]")
        if not isinstance(table, Mapping):
            check.add(f"sources[{i}]", "must be a table with a title and an url")
            continue
        at.refuse_dose_like_keys(table)
        at.refuse_unknown_keys(table, _SOURCE_KEYS)
        at.require(table, _SOURCE_KEYS)
        title = at.text(table, "title", required="title" in table, limit=200)
        url = at.text(table, "url", required="url" in table, limit=500)
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
                at.add("url", f"must be a full http(s) address, not {url!r}")
        sources.append(Source(title, url))
    urls = [s.url for s in sources]
    if len(set(urls)) != len(urls):
        check.add("sources", "lists the same address twice")
    return tuple(sources)
