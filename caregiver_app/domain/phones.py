"""Phone numbers: read, checked and written with libphonenumber (``phonenumbers``).

A checked number is kept in E.164 form (``+13125550142``) with any extension
apart, so the same number typed two ways compares equal and dials the same.
Short numbers that only work inside one country (``111``, ``911``) are kept as
their digits.

``region`` is an ISO 3166 two-letter code ("US", "GB") saying how to read a
number typed without its country code; the UI passes the computer's region.
With no region, numbers need their ``+`` and country code.

``phonenumbers`` takes a while to import, so it is loaded on first use rather
than when the app starts. How a stored number is shown (``format_phone``) is worked out
by phonenumbers once, when the number is saved (``phone_forms``), and kept with it:
printing the care team's numbers then needs no phonenumbers. The kept forms are used
only while they are what phonenumbers would write now: their digits are those of the
number and extension stored beside them (a writer that changed the number alone leaves
the old number's forms), and the same version of its rules wrote them; otherwise the
number is formatted there and then.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import re
import sys
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import phonenumbers

MAX_TYPED = 60
#: The digits of an extension ("ext. 204"), at most (libphonenumber reads up to 20).
MAX_EXTENSION = 20


class PhoneKind(StrEnum):
    """What a number is for. Values are stored: never change one."""

    OFFICE = "office"
    MOBILE = "mobile"
    AFTER_HOURS = "after_hours"
    FAX = "fax"
    HOME = "home"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def can_call(self) -> bool:
        return self is not PhoneKind.FAX


_KIND_LABELS = {
    PhoneKind.OFFICE: "Office",
    PhoneKind.MOBILE: "Mobile",
    PhoneKind.AFTER_HOURS: "After hours",
    PhoneKind.FAX: "Fax",
    PhoneKind.HOME: "Home",
    PhoneKind.OTHER: "Other",
}


class PhoneForms(NamedTuple):
    """How a stored number is written (``phone_forms``), kept with it in the records.

    Kept in columns apart from the number: ``format_phone`` uses them only for the number
    whose digits they hold (``forms_fit``)."""

    national: str
    """"(312) 555-0142 ext. 12": shown where the number's own region is the household's."""
    international: str
    """"+1 312-555-0142 ext. 12": shown everywhere else."""
    region: str
    """The number's region ("US"), "" for a number of no region (+800 …)."""
    rules: str
    """The version of phonenumbers that wrote them."""


@dataclass(frozen=True)
class Phone:
    """One number of a contact.

    ``number`` is E.164 (or a short number's digits) once checked by
    ``parse_phone``; before that it holds what the caregiver typed. ``forms``: how it is
    shown, as the records keep it (None: worked out when shown); not part of what the
    number is (equality, hash).
    """

    kind: PhoneKind
    number: str
    extension: str = ""
    forms: PhoneForms | None = field(default=None, compare=False, repr=False)


class PhoneError(ValueError):
    """A number that cannot be used; ``str(error)`` is a plain message for the caregiver."""


# ---- Public API


def normalize_region(region: str | None) -> str | None:
    """A region phonenumbers knows ("US"), or None for "unknown"."""
    code = (region or "").strip().upper()
    if not code:  # no region named (a computer whose locale names no country)
        return None
    return code if code in _pn().SUPPORTED_REGIONS else None


def region_for_time_zone(time_zone: str) -> str | None:
    """The country of an IANA time zone ("America/Chicago" → "US"), from the tz database.

    A fallback for computers whose locale names no country.
    """
    return _zone_countries().get(time_zone)


def household_region(patient_zone: str, *, locale_region: str | None,
                     computer_zone: str) -> str | None:
    """The region ("US") numbers typed without a country code are read in.

    The patient's country (from their time zone) first: the care team is where the
    patient lives, whatever language the computer speaks (``LANG=C`` names no
    country). Then the computer's locale, then the computer's time zone. The window
    and the command line use this one order.
    """
    return (region_for_time_zone(patient_zone) if patient_zone else None) \
        or normalize_region(locale_region) or region_for_time_zone(computer_zone)


def parse_phone(text: str, region: str | None) -> tuple[str, str]:
    """Check a typed number; return ``(number, extension)`` in stored form.

    Raises PhoneError with a message that says what to fix.
    """
    pn = _pn()
    typed = " ".join((text or "").split())
    region = normalize_region(region)
    if not typed:
        raise PhoneError("Enter the phone number.")
    if len(typed) > MAX_TYPED:
        raise PhoneError("This is too long for a phone number.")
    try:
        parsed = pn.parse(typed, region)
    except pn.NumberParseException as exc:
        raise PhoneError(_parse_problem(exc, region)) from None
    if (region and not parsed.extension and not typed.startswith("+")
            and pn.shortnumberinfo.is_valid_short_number_for_region(parsed, region)):
        return pn.national_significant_number(parsed), ""
    if not pn.is_valid_number(parsed):
        raise PhoneError(_invalid_problem(parsed, region))
    if len(parsed.extension or "") > MAX_EXTENSION:
        raise PhoneError(f"Keep the extension to {MAX_EXTENSION} digits.")
    return (pn.format_number(parsed, pn.PhoneNumberFormat.E164),
            parsed.extension or "")


def checked_phone(phone: Phone, region: str | None) -> Phone:
    """``phone`` with its number in stored form (raises PhoneError)."""
    text = phone.number
    if phone.extension:
        text = f"{text} ext. {phone.extension}"
    number, extension = parse_phone(text, region)
    return Phone(phone.kind, number, extension)


def format_phone(phone: Phone, region: str | None = None) -> str:
    """How to show a stored number: national form at home, international otherwise.

    From the forms kept with the number when they are still phonenumbers' (no import),
    else worked out now; the text is the same either way."""
    if not phone.number.startswith("+"):  # a short number, or one never checked
        return f"{phone.number} ext. {phone.extension}" if phone.extension else phone.number
    forms = phone.forms
    if forms is not None and forms_fit(phone, forms) and forms.rules == rules_version():
        # forms.region is one phonenumbers knows, so this is normalize_region's answer
        at_home = bool(forms.region) and (region or "").strip().upper() == forms.region
        return forms.national if at_home else forms.international
    pn = _pn()
    parsed = _stored(phone)
    if parsed is None:
        return f"{phone.number} ext. {phone.extension}" if phone.extension else phone.number
    home = normalize_region(region)
    same = home is not None and pn.region_code_for_number(parsed) == home
    return str(pn.format_number(
        parsed, pn.PhoneNumberFormat.NATIONAL if same else pn.PhoneNumberFormat.INTERNATIONAL))


def phone_forms(phone: Phone) -> PhoneForms | None:
    """How ``phone`` (stored form) is shown, worked out now, to keep with it; None for a
    number ``format_phone`` shows as it is stored (a short number). The one definition
    every writer of the records' numbers uses (``storage.careteam_repo``)."""
    pn = _pn()
    parsed = _stored(phone)
    if parsed is None:
        return None
    region = pn.region_code_for_number(parsed) or ""
    return PhoneForms(
        national=str(pn.format_number(parsed, pn.PhoneNumberFormat.NATIONAL)),
        international=str(pn.format_number(parsed, pn.PhoneNumberFormat.INTERNATIONAL)),
        region=region if region in pn.SUPPORTED_REGIONS else "",
        rules=rules_version())


def forms_fit(phone: Phone, forms: PhoneForms) -> bool:
    """Whether ``forms`` are the forms of ``phone`` (stored form), judged without
    phonenumbers: the international form ("+1 312-555-0142 ext. 12") is the number's
    digits, then its extension's digits after a text that is not part of a number (none
    without an extension); the national form ends with the number's last four digits
    and the extension. The records keep the forms in columns apart from the number, so
    a number changed without them (by hand, a repair, a later migration) has the old
    number's forms beside it: those must never be shown, nor saved back by the form.
    The forms phonenumbers makes always fit (a property test over its example numbers
    of every region and kind, with extensions)."""
    number = _ascii_digits(phone.number)
    text = forms.international
    if not text.startswith("+") or not number:
        return False
    tail = text.lstrip(_NUMBER_MARKS)  # " ext. 12", "x12", "#12", or "" with no extension
    if _ascii_digits(text[:len(text) - len(tail)]) != number:
        return False
    if _ascii_digits(tail) != phone.extension or bool(tail) != bool(phone.extension):
        return False
    return _ascii_digits(forms.national).endswith(number[-4:] + phone.extension)


#: What an international form's number is written with, before any extension.
_NUMBER_MARKS = "+0123456789 -.()/\u00a0"


def _ascii_digits(text: str) -> str:
    return "".join(ch for ch in text if ch in "0123456789")


@functools.cache
def rules_version() -> str:
    """The installed phonenumbers' version, read without importing it when it is not
    loaded yet ("" when it cannot be read: kept forms are then not trusted).

    Kept forms whose digits fit their number show the right number whatever wrote them;
    this keeps them to phonenumbers' own text too (how a region groups its digits, which
    region a range belongs to: national or international form), so every sheet prints
    as it would formatted live. In the PyInstaller bundle the package's code is in the
    archive and ``origin`` names a file the spec ships as data for this
    (packaging/caregiver-app.spec)."""
    loaded = sys.modules.get("phonenumbers")
    if loaded is not None:
        return str(getattr(loaded, "__version__", ""))
    try:
        spec = importlib.util.find_spec("phonenumbers")
        origin = spec.origin if spec is not None else None
        text = Path(origin).read_text(encoding="utf-8") if origin else ""
    except (ImportError, ValueError, OSError, UnicodeError):
        return ""
    found = re.search(r"""^__version__ = ["']([^"']+)["']""", text, re.MULTILINE)
    return found.group(1) if found else ""


def tel_uri(phone: Phone) -> str:
    """A ``tel:`` address (RFC 3966) that phones and softphones dial."""
    pn = _pn()
    parsed = _stored(phone)
    if parsed is None:
        digits = "".join(ch for ch in phone.number if ch.isdigit() or ch in "+*#")
        return f"tel:{digits}"
    return str(pn.format_number(parsed, pn.PhoneNumberFormat.RFC3966))


def dial_text(phone: Phone) -> str:
    """A number as a phone's dialler takes it from a contact card: "+1 312-555-0142,12".

    International form, so it works from any country. An extension follows a comma,
    the pause phones dial before sending more digits (phonenumbers reads it back as
    the extension); " ext. 12" would stop the dialler.
    """
    pn = _pn()
    parsed = _stored(phone)
    if parsed is None:
        digits = phone.number
    else:
        parsed.extension = None
        digits = pn.format_number(parsed, pn.PhoneNumberFormat.INTERNATIONAL)
    return f"{digits},{phone.extension}" if phone.extension else digits


def phone_digits(phone: Phone, region: str | None = None) -> tuple[str, ...]:
    """Digit strings a search may match: international and national forms."""
    pn = _pn()
    parsed = _stored(phone)
    if parsed is None:
        return ("".join(ch for ch in phone.number if ch.isdigit()),)
    forms = [pn.format_number(parsed, pn.PhoneNumberFormat.E164),
             pn.format_number(parsed, pn.PhoneNumberFormat.NATIONAL)]
    return tuple(dict.fromkeys("".join(ch for ch in f if ch.isdigit()) for f in forms))


def example_number(region: str | None) -> str:
    """A sample number in the region's usual written form, for hints."""
    pn = _pn()
    region = normalize_region(region)
    sample = pn.example_number(region) if region else None
    if sample is None:
        return "+1 312 555 0142"
    return str(pn.format_number(sample, pn.PhoneNumberFormat.NATIONAL))


# ---- Private


@functools.cache
def _pn() -> Any:
    """The ``phonenumbers`` module, imported on first use (its metadata is large)."""
    import phonenumbers

    return phonenumbers


@functools.cache
def _zone_countries() -> dict[str, str]:
    """zone name → country code, read from the tz database's ``zone.tab``."""
    for path in _zone_tab_places():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        found = {}
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and not line.startswith("#"):
                found[parts[2]] = parts[0]
        return found
    return {}


def _zone_tab_places() -> Iterator[Path]:
    """Where ``zone.tab`` may be, in order: the system's tz database, then the tzdata
    package (Windows), looked up only when the system has none."""
    for base in zoneinfo.TZPATH:
        yield Path(base) / "zone.tab"
    import importlib.resources  # (with tempfile and random: only here)

    with contextlib.suppress(ModuleNotFoundError):
        yield Path(str(importlib.resources.files("tzdata.zoneinfo") / "zone.tab"))


def _stored(phone: Phone) -> phonenumbers.PhoneNumber | None:
    pn = _pn()
    if not phone.number.startswith("+"):
        return None
    try:
        parsed: phonenumbers.PhoneNumber = pn.parse(phone.number, None)
    except pn.NumberParseException:
        return None
    if phone.extension:
        parsed.extension = phone.extension
    return parsed


def _parse_problem(exc: phonenumbers.NumberParseException, region: str | None) -> str:
    errors = _pn().NumberParseException
    kind = exc.error_type
    if kind == errors.INVALID_COUNTRY_CODE:
        if region is None:
            return ("Start the number with + and the country code, "
                    "for example +1 312 555 0142.")
        return "The country code after + is not one that exists."
    if kind in (errors.TOO_SHORT_NSN, errors.TOO_SHORT_AFTER_IDD):
        return "This number is too short: check that no digits are missing."
    if kind == errors.TOO_LONG:
        return "This number is too long: check for extra digits."
    return "This does not look like a phone number."


def _invalid_problem(parsed: phonenumbers.PhoneNumber, region: str | None) -> str:
    pn = _pn()
    reason = pn.is_possible_number_with_reason(parsed)
    if reason == pn.ValidationResult.TOO_SHORT:
        return "This number is too short: check that no digits are missing."
    if reason == pn.ValidationResult.TOO_LONG:
        return "This number is too long: check for extra digits."
    if region:
        return (f"This number does not exist: check the digits (a local number looks like "
                f"{example_number(region)}; a number abroad starts with + and its country code).")
    return "This number does not exist: check the digits and the country code."
