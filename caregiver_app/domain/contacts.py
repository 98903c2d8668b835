"""The care team: who the contacts are, what each role does, and the rules for their details.

Role help lines follow the checked fact sheet (``als-facts.md``, section 3),
in plain words. Roles the fact sheet does not describe (primary care doctor,
insurance / case manager, family or friend, other) get a neutral description
of who they are, with no medical claim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import urlsplit

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.phones import (
    Phone,
    PhoneError,
    PhoneKind,
    checked_phone,
    phone_digits,
)

MAX_NAME = 120
MAX_LINE = 200
MAX_TEXT = 4000
MAX_PHONES = 10
#: An email address (RFC 5321's longest) and a portal's web address: long enough for any
#: real one, short enough that the contact's vCard stays a card other apps read.
MAX_EMAIL = 254
MAX_PORTAL = 2000


class Role(StrEnum):
    """The fixed list of care-team roles, in the order the list shows them.

    Values are stored and written to vCards: never change one.
    """

    NEUROLOGIST = "neurologist"
    NURSE_COORDINATOR = "nurse_coordinator"
    PRIMARY_CARE = "primary_care"
    PHYSICAL_THERAPIST = "physical_therapist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"
    SPEECH_LANGUAGE = "speech_language_pathologist"
    RESPIRATORY_THERAPIST = "respiratory_therapist"
    DIETITIAN = "dietitian"
    SOCIAL_WORKER = "social_worker"
    MENTAL_HEALTH = "mental_health"
    PALLIATIVE = "palliative_hospice"
    PULMONOLOGIST = "pulmonologist"
    GASTROENTEROLOGIST = "gastroenterologist"
    PHARMACY = "pharmacy"
    HOME_HEALTH = "home_health"
    EQUIPMENT = "equipment_supplier"
    INSURANCE = "insurance_case_manager"
    FAMILY_FRIEND = "family_friend"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROLES[self][0]

    @property
    def help(self) -> str:
        """One short line saying what this person does for the patient and caregiver."""
        return _ROLES[self][1]

    @property
    def order(self) -> int:
        return list(Role).index(self)


_ROLES: dict[Role, tuple[str, str]] = {
    Role.NEUROLOGIST: (
        "Neurologist",
        "Diagnoses ALS and leads the care plan. Manages the ALS medicines and the symptoms."),
    Role.NURSE_COORDINATOR: (
        "ALS clinic nurse coordinator",
        "Organises clinic visits. Between visits: referrals, home care, equipment orders, "
        "transport."),
    Role.PRIMARY_CARE: (
        "Primary care doctor",
        "The family doctor, for everyday health problems and general check-ups."),
    Role.PHYSICAL_THERAPIST: (
        "Physical therapist",
        "Checks strength and movement. Plans exercise and stretching; advises on falls, "
        "transfers, braces and walkers."),
    Role.OCCUPATIONAL_THERAPIST: (
        "Occupational therapist",
        "Helps with dressing, eating and bathing. Suggests equipment, wheelchair seating "
        "and changes at home."),
    Role.SPEECH_LANGUAGE: (
        "Speech-language pathologist",
        "Checks speech and swallowing. Teaches safer swallowing and food textures; helps "
        "with communication devices and voice banking."),
    Role.RESPIRATORY_THERAPIST: (
        "Respiratory therapist",
        "Follows the breathing tests. Sets up and supports the breathing machine (BiPAP), "
        "cough assist and suction."),
    Role.DIETITIAN: (
        "Dietitian",
        "Watches weight and nutrition. Advises on high-calorie food, softer textures and "
        "tube feeding."),
    Role.SOCIAL_WORKER: (
        "Social worker",
        "Helps with insurance and benefits, care planning, home care, caregiver support "
        "and advance care planning."),
    Role.MENTAL_HEALTH: (
        "Mental health professional",
        "Checks for low mood, anxiety and changes in thinking or behaviour. Counsels the "
        "patient and family."),
    Role.PALLIATIVE: (
        "Palliative care / hospice",
        "Eases symptoms and supports quality of life alongside other care; helps plan "
        "for the end of life."),
    Role.PULMONOLOGIST: (
        "Pulmonologist",
        "Lung specialist. Sees people with lung disease and those weighing more breathing "
        "support."),
    Role.GASTROENTEROLOGIST: (
        "Gastroenterologist",
        "Places the feeding tube (PEG)."),
    Role.PHARMACY: (
        "Pharmacy",
        "Reviews the medicines and how to give them when swallowing is hard or through a "
        "feeding tube. Ask before crushing any medicine."),
    Role.HOME_HEALTH: (
        "Home health agency",
        "Nurses and therapists who visit at home."),
    Role.EQUIPMENT: (
        "Equipment (DME) supplier",
        "Supplies wheelchairs, hospital beds, lifts, breathing and cough machines, and "
        "communication devices. The clinic nurse usually orders them."),
    Role.INSURANCE: (
        "Insurance / case manager",
        "Your contact at the insurer: what is covered, approvals and claims."),
    Role.FAMILY_FRIEND: (
        "Family or friend",
        "Family, friends and neighbours who help."),
    Role.OTHER: (
        "Other",
        "Anyone else who helps: write their role in your own words."),
}


class PreferredContact(StrEnum):
    """The best way to reach someone. Values are stored: never change one."""

    ANY = "any"
    CALL = "call"
    TEXT = "text"
    EMAIL = "email"
    PORTAL = "portal"
    FAX = "fax"

    @property
    def label(self) -> str:
        return _PREFERRED_LABELS[self]


_PREFERRED_LABELS = {
    PreferredContact.ANY: "No preference",
    PreferredContact.CALL: "Phone call",
    PreferredContact.TEXT: "Text message",
    PreferredContact.EMAIL: "Email",
    PreferredContact.PORTAL: "Patient portal message",
    PreferredContact.FAX: "Fax",
}


@dataclass(frozen=True)
class Contact:
    """One person or place on the care team."""

    name: str
    role: Role = Role.OTHER
    role_other: str = ""  # their role in the caregiver's words, when ``role`` is OTHER
    organisation: str = ""
    phones: tuple[Phone, ...] = ()
    email: str = ""
    address: str = ""
    portal_url: str = ""
    office_hours: str = ""
    preferred_contact: PreferredContact = PreferredContact.ANY
    notes: str = ""  # "who to call for …"
    emergency: bool = False  # "call first": shown and printed before everyone else
    id: int | None = None
    archived: bool = False

    @property
    def role_label(self) -> str:
        if self.role is Role.OTHER and self.role_other:
            return self.role_other
        return self.role.label

    def callable_phones(self) -> tuple[Phone, ...]:
        """Numbers one can ring (not fax), in the order they were entered."""
        return tuple(p for p in self.phones if p.kind.can_call)


@dataclass(frozen=True)
class ContactReference:
    """Something that points at a contact: a medicine or an appointment."""

    kind: str  # "medicine" or "appointment"
    id: int
    label: str  # "Riluzole" / "ALS clinic visit"
    detail: str = ""  # "prescriber" / "Tue 1 Dec 2026, 10:00"


class MatchKind(StrEnum):
    SAME_NAME_AND_PHONE = "duplicate"  # almost surely the same person
    SAME_NAME = "same_name"  # maybe the same person with a new number
    SAME_PHONE = "same_phone"  # another name with one of the same numbers: maybe the same


@dataclass(frozen=True)
class ContactMatch:
    """A contact already kept that a new one may be (``kind``: what they share)."""

    existing: Contact
    kind: MatchKind


# ---- Validation


def clean(text: str) -> str:
    """Trim and collapse inner runs of white space (no line breaks)."""
    return " ".join((text or "").split())


def clean_block(text: str) -> str:
    """Trim each line of a multi-line text and drop empty lines at both ends."""
    lines = [line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def validate_email(text: str) -> str:
    """A tidy email address, or "" for none. Raises ValueError with a plain message.

    Syntax only (email-validator): nothing is looked up on the network.
    """
    address = clean(text)
    if not address:
        return ""
    if len(address) > MAX_EMAIL:
        raise ValueError(f"Check the email address: it is longer than {MAX_EMAIL} characters.")
    from email_validator import EmailNotValidError
    from email_validator import validate_email as _check

    try:
        return _check(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"Check the email address: {exc}") from None


def validate_portal(text: str) -> str:
    """A web address for the patient portal, or "". ``portal.example.org`` gets https://."""
    url = clean(text)
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    if len(url) > MAX_PORTAL:
        raise ValueError(f"Keep the portal's address under {MAX_PORTAL:,} characters "
                         "(copy the address of its sign-in page).")
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in url:
        raise ValueError("Enter the portal's web address, for example https://mychart.example.org")
    return url


def validate_contact(contact: Contact, *, region: str | None) -> Contact:
    """A tidied copy of ``contact``, or ValidationError naming each bad field.

    Phone errors are keyed ``phone_0``, ``phone_1``… by position in ``phones``.
    """
    errors: dict[str, str] = {}
    name = clean(contact.name)
    if not name:
        errors["name"] = "Enter the person's or the place's name."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Keep the name under {MAX_NAME} characters."

    role_other = clean(contact.role_other) if contact.role is Role.OTHER else ""
    if len(role_other) > MAX_LINE:
        errors["role_other"] = f"Keep the role under {MAX_LINE} characters."

    for field_name in ("organisation", "office_hours"):
        if len(clean(getattr(contact, field_name))) > MAX_LINE:
            errors[field_name] = f"Keep this under {MAX_LINE} characters."

    phones: list[Phone] = []
    if len(contact.phones) > MAX_PHONES:
        errors["phones"] = f"Keep at most {MAX_PHONES} numbers."
    seen: dict[tuple[str, str], int] = {}
    for i, phone in enumerate(contact.phones):
        try:
            checked = checked_phone(phone, region)
        except PhoneError as exc:
            errors[f"phone_{i}"] = str(exc)
            continue
        key = (checked.number, checked.extension)
        if key in seen:
            errors[f"phone_{i}"] = f"This is the same number as number {seen[key] + 1}."
        seen.setdefault(key, i)
        phones.append(checked)

    try:
        email = validate_email(contact.email)
    except ValueError as exc:
        errors["email"] = str(exc)
        email = ""
    try:
        portal = validate_portal(contact.portal_url)
    except ValueError as exc:
        errors["portal_url"] = str(exc)
        portal = ""

    address = clean_block(contact.address)
    if len(address) > MAX_TEXT:
        errors["address"] = f"Keep the address under {MAX_TEXT} characters."
    notes = clean_block(contact.notes)
    if len(notes) > MAX_TEXT:
        errors["notes"] = f"Notes are limited to {MAX_TEXT} characters."

    if contact.preferred_contact is PreferredContact.EMAIL and not email \
            and "email" not in errors:
        errors["preferred_contact"] = "Add an email address, or choose another way to reach them."
    elif contact.preferred_contact is PreferredContact.PORTAL and not portal \
            and "portal_url" not in errors:
        errors["preferred_contact"] = "Add the portal's address, or choose another way."
    elif contact.preferred_contact is PreferredContact.FAX and not any(
            p.kind is PhoneKind.FAX for p in contact.phones):
        errors["preferred_contact"] = "Add a fax number, or choose another way to reach them."

    if errors:
        raise ValidationError(errors)
    return replace(
        contact,
        name=name,
        role_other=role_other,
        organisation=clean(contact.organisation),
        phones=tuple(phones),
        email=email,
        address=address,
        portal_url=portal,
        office_hours=clean(contact.office_hours),
        notes=notes,
    )


# ---- Search, duplicates and merging


def fold(text: str) -> str:
    """Lower case without accents, for matching ("José" matches "jose")."""
    import unicodedata  # (here: a search's, not the start's; its library is ~0.1 MiB)

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def contact_matches(contact: Contact, query: str, *, region: str | None = None) -> bool:
    """Does ``contact`` match every word of a search?

    Words match the name, role, organisation (case and accents ignored); a word
    with digits in it matches the digits of any phone number ("0142", "555-0142").
    """
    words = query.split()
    if not words:
        return True
    text = fold(" ".join((contact.name, contact.role_label, contact.role.label,
                          contact.organisation)))
    digits = [d for p in contact.phones for d in phone_digits(p, region)]
    for word in words:
        word_digits = "".join(ch for ch in word if ch.isdigit())
        if word_digits and len(word_digits) >= len(word.strip("+()-. ")) / 2:
            if not any(word_digits in d for d in digits):
                return False
        elif fold(word) not in text:
            return False
    return True


def same_name(a: str, b: str) -> bool:
    """Names equal when case, accents, dots, spacing, titles and credentials are ignored.

    "Dr. Lee" = "dr lee"; "Dr. Ada Lee MD" = "Ada Lee, MD" = "Dr. Ada Lee".
    """
    return name_key(a) == name_key(b)


def name_key(name: str) -> str:
    """What two names must share to be the same person's: see ``same_name``."""
    return _name_key(name)


class ContactIndex:
    """Contacts looked up by name and by number, so that matching one costs the same
    however many there are (an import checks every card against the whole team and
    against the cards before it in the file).

    ``match`` gives what ``find_match`` gives for the contacts added so far, in the
    order they were added; removed (archived) contacts are left out. With
    ``shared_number``, a contact with another name and one of the same numbers is
    also a possible match (``MatchKind.SAME_PHONE``): "Ada" for "Dr. Ada Lee".
    """

    def __init__(self, contacts: Iterable[Contact] = ()):
        self._by_name: dict[str, Contact] = {}
        self._by_name_number: dict[tuple[str, str, str], Contact] = {}
        self._by_name_no_number: dict[str, Contact] = {}
        self._by_number: dict[tuple[str, str], Contact] = {}
        self._order: dict[int, int] = {}  # id(contact) → position, to pick the first
        self.lookups = 0  # dictionary look-ups made by ``match``, for tests and benchmarks
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        if contact.archived:
            return
        key = _name_key(contact.name)
        self._order.setdefault(id(contact), len(self._order))
        self._by_name.setdefault(key, contact)
        numbers = _numbers(contact)
        if not numbers:
            self._by_name_no_number.setdefault(key, contact)
        for number in numbers:
            self._by_name_number.setdefault((key, *number), contact)
            if _is_full_number(number):
                self._by_number.setdefault(number, contact)

    def match(self, candidate: Contact, *, shared_number: bool = False
              ) -> ContactMatch | None:
        key = _name_key(candidate.name)
        numbers = _numbers(candidate)
        self.lookups += 2 + 2 * len(numbers)
        if numbers:
            same = [c for n in numbers if (c := self._by_name_number.get((key, *n)))]
        else:
            same = [c] if (c := self._by_name_no_number.get(key)) else []
        if same:
            return ContactMatch(self._first(same), MatchKind.SAME_NAME_AND_PHONE)
        if (named := self._by_name.get(key)) is not None:
            return ContactMatch(named, MatchKind.SAME_NAME)
        if not shared_number:
            return None
        shared = [c for n in numbers if _is_full_number(n) and (c := self._by_number.get(n))]
        if shared:
            return ContactMatch(self._first(shared), MatchKind.SAME_PHONE)
        return None

    def _first(self, contacts: list[Contact]) -> Contact:
        return min(contacts, key=lambda c: self._order[id(c)])


def find_match(candidate: Contact, existing: Iterable[Contact]) -> ContactMatch | None:
    """The existing contact ``candidate`` duplicates, if any.

    Same name and a shared phone number (or neither has a number) is a
    duplicate; the same name alone is only flagged as possibly the same person.
    To check many candidates, build one ``ContactIndex`` instead (it can also find
    another name with one of the same numbers).
    """
    return ContactIndex(existing).match(candidate)


def merge_contacts(existing: Contact, incoming: Contact) -> Contact:
    """Keep everything already recorded; add what ``incoming`` knows that ``existing`` does not.

    Empty fields are filled in, new phone numbers are added after the old
    ones, and different notes are appended. The role changes only from "Other".
    Nothing is cut to fit: the result may have more than ``MAX_PHONES`` numbers or
    longer notes than ``MAX_TEXT``, which ``validate_contact`` then refuses, so
    the caregiver is told rather than numbers quietly dropped.
    """
    known = {(p.number, p.extension) for p in existing.phones}
    phones = existing.phones + tuple(
        p for p in incoming.phones if (p.number, p.extension) not in known)

    def pick(field_name: str) -> str:
        return str(getattr(existing, field_name) or getattr(incoming, field_name))

    notes = existing.notes
    if incoming.notes and incoming.notes not in notes:
        notes = f"{notes}\n\n{incoming.notes}" if notes else incoming.notes
    role, role_other = existing.role, existing.role_other
    if role is Role.OTHER and not role_other:
        role, role_other = incoming.role, incoming.role_other
    return replace(
        existing,
        role=role,
        role_other=role_other,
        organisation=pick("organisation"),
        phones=phones,
        email=pick("email"),
        address=pick("address"),
        portal_url=pick("portal_url"),
        office_hours=pick("office_hours"),
        preferred_contact=(existing.preferred_contact
                           if existing.preferred_contact is not PreferredContact.ANY
                           else incoming.preferred_contact),
        notes=notes,
        emergency=existing.emergency or incoming.emergency,
    )


def guess_role(title: str = "", *, name: str = "", organisation: str = "",
               notes: str = "") -> Role | None:
    """A role suggested by what a card says about the person's work, or None.

    The first of these that suggests one: the job title (``title``: with a card's ROLE
    and groups, separated by " | "), credentials written after the name ("Hannah Kim,
    CCC-SLP"), the kind of organisation ("Walgreens Pharmacy", "Riverside Neurology")
    and the notes. Whole words only, and never a person's name or the place name in an
    organisation: "Kim Gi-hun" is no gastroenterologist, "Son Heung-min" no family
    member, "Salt Lake Regional" no speech therapist. Abbreviations ("PT", "SLP") count
    in titles and credentials only; family words ("sister") in titles and groups only.
    """
    for text, kind in ((title, "title"), (name, "name"), (organisation, "organisation"),
                       (notes, "notes")):
        if not text or not text.strip():
            continue
        if kind == "name":
            for word in credentials(text):
                if word in _CREDENTIAL_ROLES:
                    return _CREDENTIAL_ROLES[word]
            continue
        folded = fold(text)
        for role, pattern in _role_patterns(kind):
            if pattern.search(folded):
                return role
    return None


def credentials(name: str) -> list[str]:
    """The credentials written after a name, folded: "Ada Lee, MD, PhD" → ["md", "phd"];
    "Hannah Kim CCC-SLP" → ["ccc", "slp"]."""
    main, comma, rest = (name or "").partition(",")
    tokens = _tokens(main)
    found: list[str] = []
    while len(tokens) > 1 and _is_credential(*tokens[-1]):
        found.insert(0, tokens.pop()[0])
    if comma:
        found += [word for word, _ in _tokens(rest) if word in CREDENTIALS]
    return found


def sort_key(contact: Contact) -> tuple[bool, str]:
    """Within a group: call-first contacts first, then by name."""
    return (not contact.emergency, fold(contact.name))


def group_by_role(contacts: Sequence[Contact], *, call_first: bool = True
                  ) -> list[tuple[str, list[Contact]]]:
    """``[(group title, contacts)]``: "Call first" (if any) and then each role in list order.

    A call-first contact is only listed under "Call first" (with its role shown
    beside it), so no one appears twice.
    """
    groups: list[tuple[str, list[Contact]]] = []
    active = [c for c in contacts if not c.archived]
    if call_first:
        first = sorted((c for c in active if c.emergency), key=lambda c: (c.role.order,
                                                                          fold(c.name)))
        if first:
            groups.append((CALL_FIRST_TITLE, first))
        active = [c for c in active if not c.emergency]
    for role in Role:
        members = sorted((c for c in active if c.role is role), key=sort_key)
        if members:
            groups.append((role.label, members))
    return groups


CALL_FIRST_TITLE = "Call first"


# ---- Private

@dataclass(frozen=True)
class _RoleWords:
    """How a role is named: in titles and notes (``words``), as an abbreviation or a
    credential (titles and credentials only), as a kind of organisation."""

    role: Role
    words: tuple[str, ...]  # regular expressions, matched as whole words
    abbreviations: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    in_notes: bool = True  # family words are not looked for in notes ("her son drives")


# In this order: the first role whose words appear wins ("Family medicine" is primary
# care before it is family; "ALS clinic nurse" a nurse coordinator before palliative).
_ROLE_WORDS = (
    _RoleWords(Role.NURSE_COORDINATOR,
               ("nurse coordinators?", "als (clinic )?nurses?", "clinic nurses?",
                "nurse navigators?", "clinic coordinators?", "care coordinators?",
                "nurse practitioners?"), ("np",)),
    _RoleWords(Role.NEUROLOGIST, ("neurologists?", "neurology", "neuromuscular"), (),
               ("neurology", "neurological", "neuromuscular", "neurosciences?")),
    _RoleWords(Role.PULMONOLOGIST,
               ("pulmonologists?", "pulmonology", "pulmonary", "lung specialists?",
                "chest physicians?", "respirologists?"), (),
               ("pulmonology", "pulmonary", "lung")),
    _RoleWords(Role.GASTROENTEROLOGIST,
               ("gastroenterologists?", "gastroenterology", "gastro", "endoscopy"), ("gi",),
               ("gastroenterology", "digestive", "endoscopy")),
    _RoleWords(Role.RESPIRATORY_THERAPIST,
               ("respiratory therapists?", "respiratory therapy", "respiratory care",
                "respiratory"), ("rt", "rrt"), ("respiratory",)),
    _RoleWords(Role.SPEECH_LANGUAGE,
               ("speech", "speech (and )?language (pathologists?|therapists?|pathology)",
                "language pathologists?", "speech (therapists?|therapy|pathology)"),
               ("slp", "salt"), ("speech",)),
    _RoleWords(Role.OCCUPATIONAL_THERAPIST,
               ("occupational therapists?", "occupational therapy", "occupational"),
               ("ot", "otr"), ("occupational therapy",)),
    _RoleWords(Role.PHYSICAL_THERAPIST,
               ("physical therapists?", "physical therapy", "physiotherapists?",
                "physiotherapy", "physio"), ("pt", "dpt"),
               ("physical therapy", "physiotherapy", "physio")),
    _RoleWords(Role.DIETITIAN,
               ("dietitians?", "dieticians?", "nutritionists?", "nutrition", "dietetics"),
               ("rd", "rdn"), ("nutrition", "dietetics")),
    _RoleWords(Role.SOCIAL_WORKER, ("social workers?", "social work", "social services"),
               ("msw", "lcsw"), ("social services",)),
    _RoleWords(Role.MENTAL_HEALTH,
               ("psychologists?", "psychology", "psychiatrists?", "psychiatry",
                "neuropsychologists?", "psychotherapists?", "counsell?ors?",
                "counsell?ing", "mental health", "behaviou?ral health"), (),
               ("psychology", "psychiatry", "counsell?ing", "mental health",
                "behaviou?ral health")),
    _RoleWords(Role.PALLIATIVE, ("palliative", "hospices?", "end of life"), (),
               ("palliative", "hospices?")),
    _RoleWords(Role.PHARMACY,
               ("pharmacy", "pharmacies", "pharmacists?", "chemists?", "drugstores?",
                "apothecary"), ("pharmd", "rph"),
               ("pharmacy", "pharmacies", "chemists?", "drugstores?", "apothecary")),
    _RoleWords(Role.HOME_HEALTH,
               ("home health", "home care", "homecare", "visiting nurses?",
                "district nurses?", "home nursing"), (),
               ("home health", "home care", "homecare", "visiting nurses?",
                "home nursing")),
    _RoleWords(Role.EQUIPMENT,
               ("durable medical equipment", "medical equipment", "medical suppl(y|ies)",
                "mobility", "wheelchairs?", "oxygen supplier"), ("dme",),
               ("durable medical equipment", "medical equipment", "medical suppl(y|ies)",
                "mobility", "wheelchairs?", "oxygen", "dme")),
    _RoleWords(Role.INSURANCE,
               ("insurance", "insurer", "case managers?", "case management", "medicare",
                "medicaid", "health plan"), (),
               ("insurance", "insurer", "medicare", "medicaid", "health plan")),
    _RoleWords(Role.PRIMARY_CARE,
               ("primary care", "family (doctors?|physicians?|medicine|practice)",
                "general practitioners?", "general practice", "internists?",
                "internal medicine"), ("gp", "pcp"),
               ("primary care", "family (medicine|practice)", "general practice",
                "internal medicine")),
    _RoleWords(Role.FAMILY_FRIEND,
               ("family", "friends?", "neighbou?rs?", "mother", "father", "mom", "mum",
                "dad", "sisters?", "brothers?", "daughters?", "sons?", "spouse", "wife",
                "husband", "grand(mother|father|son|daughter)s?", "aunt", "uncle",
                "cousins?", "nieces?", "nephews?"), in_notes=False),
)


def _whole_words(phrases: Sequence[str]) -> re.Pattern[str]:
    # words may be separated by spaces, hyphens or slashes ("speech-language")
    joined = "|".join(p.replace(" ", r"[\s/-]+") for p in phrases)
    return re.compile(rf"(?<![a-z0-9])(?:{joined})(?![a-z0-9])")


@functools.cache  # compiled when first used (reading a vCard), not at start-up
def _role_patterns(kind: str) -> tuple[tuple[Role, re.Pattern[str]], ...]:
    found = []
    for hint in _ROLE_WORDS:
        phrases = {"title": hint.words + hint.abbreviations,
                   "organisation": hint.organisations,
                   "notes": hint.words if hint.in_notes else ()}[kind]
        if phrases:
            found.append((hint.role, _whole_words(phrases)))
    return tuple(found)



#: Titles written before a name ("Dr. Ada Lee"), without their dots.
NAME_PREFIXES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "rev", "sr", "sra"})

#: Credentials written after a name ("Ada Lee, MD", "Hannah Kim CCC-SLP"), folded,
#: without dots; "CCC-SLP" is the two words "ccc" and "slp" once the hyphen is a space.
CREDENTIALS = frozenset({
    "md", "do", "rn", "np", "pa", "pt", "dpt", "ot", "otr", "slp", "ccc", "rrt", "rt", "rd",
    "rdn", "lcsw", "msw", "phd", "pharmd"})

#: The role a credential after a name says ("Hannah Kim, CCC-SLP"); MD, RN, PhD say none.
_CREDENTIAL_ROLES = {
    "np": Role.NURSE_COORDINATOR, "slp": Role.SPEECH_LANGUAGE, "pt": Role.PHYSICAL_THERAPIST,
    "dpt": Role.PHYSICAL_THERAPIST, "ot": Role.OCCUPATIONAL_THERAPIST,
    "otr": Role.OCCUPATIONAL_THERAPIST, "rrt": Role.RESPIRATORY_THERAPIST,
    "rt": Role.RESPIRATORY_THERAPIST, "rd": Role.DIETITIAN, "rdn": Role.DIETITIAN,
    "lcsw": Role.SOCIAL_WORKER, "msw": Role.SOCIAL_WORKER, "pharmd": Role.PHARMACY,
}

# Credentials that are also family names ("Anh Do"): only dropped when written in
# capitals ("DO") or after a comma ("Anh Do, DO").
_NAME_LIKE_CREDENTIALS = frozenset({"do", "pa"})


def _numbers(contact: Contact) -> set[tuple[str, str]]:
    return {(p.number, p.extension) for p in contact.phones}


def _is_full_number(number: tuple[str, str]) -> bool:
    """A number in international form: a short number (911) says nothing about who it is."""
    return number[0].startswith("+")


def _name_key(name: str) -> str:
    """Folded words of a name without titles before it and credentials after it."""
    main, comma, rest = (name or "").partition(",")
    tokens = _tokens(main)
    while len(tokens) > 1 and _is_credential(*tokens[-1]):
        tokens.pop()
    while len(tokens) > 1 and tokens[0][0] in NAME_PREFIXES:
        tokens.pop(0)
    words = [word for word, _ in tokens]
    if comma:  # after a comma credentials go; anything else stays part of the name
        words += [word for word, _ in _tokens(rest) if word not in CREDENTIALS]
    return " ".join(words)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(folded word, written in capitals) for each word; dots, commas, apostrophes and
    hyphens separate words."""
    found = ((fold(t), t.isupper()) for t in re.split(r"[\s.,'’\-]+", text) if t)
    return [(word, upper) for word, upper in found if word]


def _is_credential(word: str, upper: bool) -> bool:
    return word in CREDENTIALS and (word not in _NAME_LIKE_CREDENTIALS or upper)
