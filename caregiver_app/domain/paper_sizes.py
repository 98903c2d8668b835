"""The paper sizes offered for printing, and the usual one where the household lives.

Apart from ``domain.paper`` (what a printed sheet says) so that the File menu's Paper
size choice does not load the printing code at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Paper(StrEnum):
    """The two paper sizes offered. Values are stored in settings: never change one."""

    LETTER = "letter"
    A4 = "a4"

    @property
    def label(self) -> str:
        return "Letter" if self is Paper.LETTER else "A4"


#: Territories (ISO 3166 codes) where Letter paper is the norm; A4 elsewhere.
LETTER_TERRITORIES = frozenset({
    "US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA", "DO", "SV", "NI",
    "HN", "BZ",
})


def default_paper(territory: str) -> Paper:
    """The usual paper size where the computer's locale says it is (A4 when unknown)."""
    return Paper.LETTER if territory.upper() in LETTER_TERRITORIES else Paper.A4


def paper_for(country: str | None, territory: str | None) -> Paper:
    """The paper size to print on when none was chosen: the usual one in the patient's
    country (from their time zone, as the emergency number), else in the computer's
    locale territory, else A4. A US household printing from a scheduled job, where the
    locale names no country (``LANG=C.UTF-8``), still gets Letter."""
    for code in (country, territory):
        if code and code.upper() not in ("", "ZZ", "001"):
            return default_paper(code)
    return Paper.A4
