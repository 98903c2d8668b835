"""What the printed care-team sheet for the fridge door says, as plain data.

The printing code lays this out; nothing here knows about pages or fonts.
Call-first contacts come first, then everyone else grouped by role in the
order of the role list. Fax numbers are printed but marked (``SheetPhone.can_call``
is false; the sheet prints them small, apart from the numbers to call), so nobody
rings one.

``emergency_number(region)`` is the number to ring first ("911" in the US and Canada,
"999" in the UK, "112" in the European Union), or None where the app does not know it:
the sheet then says "your emergency number" rather than guess.
``name_with_role(name, role)`` is "Dr. Ada Lee (Neurologist)", or just the name when it
already says the role ("Riverside Pharmacy").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from caregiver_app.domain.contacts import CALL_FIRST_TITLE, Contact, group_by_role
from caregiver_app.domain.phones import PhoneKind, format_phone

#: Emergency numbers by phone region (ISO 3166). Only numbers that reach an ambulance
#: everywhere in the country; elsewhere the sheets say "your emergency number".
_NANP_911 = ("US", "CA", "PR", "VI", "GU", "AS", "MP")
_EU_112 = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
           "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES",
           "SE", "IS", "LI", "NO", "CH")
EMERGENCY_NUMBERS: dict[str, str] = {
    **dict.fromkeys(_NANP_911, "911"),
    **dict.fromkeys(_EU_112, "112"),
    "MX": "911", "GB": "999", "AU": "000", "NZ": "111", "IN": "112",
}


def emergency_number(region: str | None) -> str | None:
    """The emergency number of the phone region ("US" → "911"), None when unknown."""
    return EMERGENCY_NUMBERS.get((region or "").strip().upper())


def name_with_role(name: str, role: str) -> str:
    """"Dr. Ada Lee (Neurologist)"; the name alone when it already contains the role
    ("Riverside Pharmacy (example)", role "Pharmacy"), compared without case."""
    if not role or role.casefold() in name.casefold():
        return name
    return f"{name} ({role})"


@dataclass(frozen=True)
class SheetPhone:
    label: str  # "Office", "After hours", "Fax"
    number: str  # formatted for the region: "(312) 555-0142"
    can_call: bool = True  # False for a fax


@dataclass(frozen=True)
class SheetEntry:
    name: str
    role: str
    organisation: str
    phones: tuple[SheetPhone, ...]
    email: str
    office_hours: str
    call_for: str  # the contact's notes: "who to call for …"
    emergency: bool


@dataclass(frozen=True)
class SheetSection:
    title: str  # "Call first", "Neurologist", …
    entries: tuple[SheetEntry, ...]
    emergency: bool = False  # the "Call first" section


@dataclass(frozen=True)
class CareTeamSheet:
    title: str
    patient_name: str
    sections: tuple[SheetSection, ...]

    @property
    def is_empty(self) -> bool:
        return not self.sections


def care_team_sheet(contacts: Sequence[Contact], *, region: str | None,
                    patient_name: str = "") -> CareTeamSheet:
    """The fridge-door sheet: call-first contacts, then each role's contacts."""
    sections = tuple(
        SheetSection(
            title=title,
            entries=tuple(_entry(c, region) for c in members),
            emergency=title == CALL_FIRST_TITLE,
        )
        for title, members in group_by_role(contacts)
    )
    title = f"Care team for {patient_name}" if patient_name else "Care team"
    return CareTeamSheet(title=title, patient_name=patient_name, sections=sections)


def emergency_lines(contacts: Sequence[Contact], *, region: str | None) -> list[str]:
    """One line per call-first contact, for the footer of every printed checklist.

    "Dr. Ada Lee (Neurologist): after hours (312) 555-0199; office (312) 555-0142".
    After-hours numbers are named first; fax numbers are left out.
    """
    lines = []
    for _title, members in group_by_role(contacts):
        for c in members:
            if not c.emergency:
                continue
            phones = sorted(c.callable_phones(), key=lambda p: p.kind is not PhoneKind.AFTER_HOURS)
            numbers = "; ".join(f"{p.kind.label.lower()} {format_phone(p, region)}"
                                for p in phones)
            lines.append(name_with_role(c.name, c.role_label)
                         + (f": {numbers}" if numbers else ""))
    return lines


def _entry(contact: Contact, region: str | None) -> SheetEntry:
    return SheetEntry(
        name=contact.name,
        role=contact.role_label,
        organisation=contact.organisation,
        phones=tuple(SheetPhone(p.kind.label, format_phone(p, region), p.kind.can_call)
                     for p in contact.phones),
        email=contact.email,
        office_hours=contact.office_hours,
        call_for=contact.notes,
        emergency=contact.emergency,
    )
