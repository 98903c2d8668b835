"""The patient profile and the people who care for them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.values import EARLIEST_DAY

MAX_NAME = 120
MAX_NOTES = 4000
#: The emergency fields (printed on the one-page emergency sheet).
MAX_DIAGNOSIS = 200
MAX_COMMUNICATION = 300
MAX_BREATHING = 1000
MAX_DECISIONS = 2000
#: An allergy's substance and reaction, each.
MAX_ALLERGY = 200
EARLIEST_BIRTH = EARLIEST_DAY
_INITIALS = r"^[^\W\d_]{1,4}$"


class AllergyStatus(StrEnum):
    """Whether allergies were recorded. "Not recorded" is never a valid profile."""

    NOT_RECORDED = "not_recorded"
    NONE_KNOWN = "none_known"
    HAS_ALLERGIES = "has_allergies"


class WeightUnit(StrEnum):
    KG = "kg"
    LB = "lb"


#: The heaviest weight the profile takes, per unit.
MAX_WEIGHT = {WeightUnit.KG: 400, WeightUnit.LB: 880}
#: The shortest and tallest height the profile takes (cm): the one rule the form, the
#: importer (``fields.FIELDS``) and the database's own check use.
MIN_HEIGHT_CM = 50
MAX_HEIGHT_CM = 250
CM_PER_INCH = 2.54
#: How a height may be typed (compiled when first used: at start-up none is typed).
_FEET_INCHES = (
    r"^\s*(?P<feet>\d+(?:\.\d+)?)\s*(?:'|ft|feet|foot)\s*"
    r"(?:(?P<inches>\d+(?:\.\d+)?)\s*(?:\"|''|in|inch|inches)?)?\s*$")
_INCHES = r"^\s*(?P<inches>\d+(?:\.\d+)?)\s*(?:\"|''|in|inch|inches)?\s*$"


def height_unit(weight_unit: WeightUnit) -> str:
    """The unit heights are typed and shown in: cm with kg, feet and inches with lb."""
    return "cm" if weight_unit is WeightUnit.KG else "ft/in"


def parse_height(text: str, weight_unit: WeightUnit) -> float | None:
    """The height typed in the household's unit, in cm (None: nothing typed). Centimetres
    with kg ("172", "172 cm"); with lb, feet and inches ("5 ft 8 in", "5'8\"", "5' 8")
    or inches alone ("68"). ValueError with a plain sentence when it cannot be read or is
    out of range."""
    typed = text.strip().replace(",", ".")
    if not typed:
        return None
    if weight_unit is WeightUnit.KG:
        number = typed.lower().removesuffix("cm").strip()
        try:
            cm = float(number)
        except ValueError:
            raise ValueError("Type the height in centimetres, for example 172.") from None
    else:
        feet = re.match(_FEET_INCHES, typed, re.IGNORECASE)
        inches = re.match(_INCHES, typed, re.IGNORECASE)
        if feet:
            cm = (float(feet["feet"]) * 12 + float(feet["inches"] or 0)) * CM_PER_INCH
        elif inches:
            cm = float(inches["inches"]) * CM_PER_INCH
        else:
            raise ValueError("Type the height in feet and inches, for example 5 ft 8 in, "
                             "or in inches, 68.")
    problem = height_problem(cm)
    if problem:
        raise ValueError(problem)
    return round(cm, 1)


def height_problem(cm: float) -> str:
    """What is wrong with a height of ``cm``, or ""."""
    if not MIN_HEIGHT_CM <= cm <= MAX_HEIGHT_CM:
        return (f"A height is from {MIN_HEIGHT_CM} to {MAX_HEIGHT_CM} cm (1 ft 8 in to "
                "8 ft 2 in): check the number.")
    return ""


def height_text(cm: float, weight_unit: WeightUnit) -> str:
    """"172 cm", or "5 ft 8 in" with lb."""
    if weight_unit is WeightUnit.KG:
        return f"{cm:g} cm"
    inches = round(cm / CM_PER_INCH)
    return f"{inches // 12} ft {inches % 12} in"


@dataclass(frozen=True)
class Allergy:
    """One allergy: what to, and what it does."""

    substance: str
    reaction: str = ""

    def describe(self) -> str:
        return f"{self.substance} ({self.reaction})" if self.reaction else self.substance


@dataclass(frozen=True)
class Patient:
    """The person cared for: who they are, their allergies, and what the emergency
    sheet tells paramedics first."""

    full_name: str
    date_of_birth: date | None = None
    allergy_status: AllergyStatus = AllergyStatus.NOT_RECORDED
    allergies: tuple[Allergy, ...] = ()
    weight: float | None = None
    weight_unit: WeightUnit = WeightUnit.KG
    notes: str = ""
    time_zone: str = ""
    #: For the emergency sheet: what paramedics and hospital staff need first.
    diagnosis: str = ""  # "ALS (SOD1 type), diagnosed March 2025"
    communication: str = ""  # "Speaks slowly; uses a letter board when tired"
    breathing: str = ""  # breathing support: NIV (BiPAP) settings, mask, cough assist
    advance_decisions: str = ""  # advance directive / decisions, where the papers are
    #: in cm, whatever the unit it was typed in (``parse_height``)
    height_cm: float | None = None

    def allergy_summary(self) -> str:
        """What a printed sheet says about allergies: never blank."""
        if self.allergy_status is AllergyStatus.NONE_KNOWN:
            return "No known allergies"
        if self.allergy_status is AllergyStatus.HAS_ALLERGIES and self.allergies:
            return "; ".join(a.describe() for a in self.allergies)
        return "Allergies not recorded: ask before giving any medicine"

    def weight_text(self) -> str:
        if self.weight is None:
            return ""
        return f"{self.weight:g} {self.weight_unit.value}"


@dataclass(frozen=True)
class Caregiver:
    """Someone who gives doses: their name, and the initials each record shows."""

    name: str
    initials: str
    id: int | None = None
    active: bool = True

    def label(self) -> str:
        return f"{self.name} ({self.initials})"


def clean(text: str) -> str:
    """Trim and collapse inner runs of spaces (keeps line breaks out of names)."""
    return " ".join(text.split())


def validate_patient(patient: Patient, *, today: date) -> Patient:
    """Return a tidied copy of ``patient`` or raise ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    name = clean(patient.full_name)
    if not name:
        errors["full_name"] = "Enter the patient's full name."
    elif len(name) > MAX_NAME:
        errors["full_name"] = f"Keep the name under {MAX_NAME} characters."

    dob = patient.date_of_birth
    if dob is not None:
        if dob > today:
            errors["date_of_birth"] = "The date of birth cannot be in the future."
        elif dob < EARLIEST_BIRTH:
            errors["date_of_birth"] = "Check the year of birth: it is before 1900."

    allergies = tuple(
        Allergy(clean(a.substance), clean(a.reaction))
        for a in patient.allergies
        if clean(a.substance) or clean(a.reaction)
    )
    if patient.allergy_status is AllergyStatus.NOT_RECORDED:
        errors["allergies"] = "Record the allergies, or choose \"No known allergies\"."
    elif patient.allergy_status is AllergyStatus.NONE_KNOWN and allergies:
        errors["allergies"] = ("Allergies are listed: remove them first, or choose "
                               "\"Has allergies\".")
    elif patient.allergy_status is AllergyStatus.HAS_ALLERGIES:
        if not allergies:
            errors["allergies"] = "Add at least one allergy, or choose \"No known allergies\"."
        elif any(not a.substance for a in allergies):
            errors["allergies"] = "Each allergy needs the medicine or substance it is to."
    if any(len(a.substance) > MAX_ALLERGY or len(a.reaction) > MAX_ALLERGY
           for a in allergies):
        errors["allergies"] = (f"Keep each allergy and its reaction under {MAX_ALLERGY} "
                               "characters.")

    if patient.weight is not None:
        limit = MAX_WEIGHT[WeightUnit(patient.weight_unit)]
        if not 1 <= patient.weight <= limit:
            errors["weight"] = f"Enter a weight between 1 and {limit} {patient.weight_unit.value}."

    if patient.height_cm is not None and height_problem(patient.height_cm):
        errors["height"] = height_problem(patient.height_cm)

    if len(patient.notes) > MAX_NOTES:
        errors["notes"] = f"Notes are limited to {MAX_NOTES} characters."
    errors.update(emergency_problems(patient))

    if errors:
        raise ValidationError(errors)
    return Patient(
        full_name=name,
        date_of_birth=dob,
        allergy_status=patient.allergy_status,
        allergies=allergies if patient.allergy_status is AllergyStatus.HAS_ALLERGIES else (),
        weight=patient.weight,
        weight_unit=patient.weight_unit,
        height_cm=patient.height_cm,
        notes=patient.notes.strip(),
        time_zone=patient.time_zone,
        diagnosis=clean(patient.diagnosis),
        communication=clean(patient.communication),
        breathing=_paragraphs(patient.breathing),
        advance_decisions=_paragraphs(patient.advance_decisions),
    )


#: field -> (longest, what it is): the emergency fields' one definition of valid.
EMERGENCY_LIMITS = {
    "diagnosis": (MAX_DIAGNOSIS, "the diagnosis"),
    "communication": (MAX_COMMUNICATION, "how they communicate"),
    "breathing": (MAX_BREATHING, "the breathing support"),
    "advance_decisions": (MAX_DECISIONS, "the advance decisions"),
}


def emergency_problems(patient: Patient) -> dict[str, str]:
    """Messages for emergency fields that are too long to print on one page."""
    errors = {}
    for name, (limit, what) in EMERGENCY_LIMITS.items():
        text = getattr(patient, name).strip()
        if len(text) > limit:
            errors[name] = (f"Keep {what} under {limit} characters (it has {len(text)}): "
                            "the emergency sheet is one page.")
    return errors


def _paragraphs(text: str) -> str:
    """Trimmed lines, blank lines and runs of spaces removed (kept one line per point)."""
    return "\n".join(clean(line) for line in text.splitlines() if line.strip())


def suggest_initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", clean(name)) if p and p[0].isalpha()]
    return "".join(p[0].upper() for p in parts[:3])


def validate_caregiver(
    caregiver: Caregiver, *, others: list[Caregiver] | tuple[Caregiver, ...] = ()
) -> Caregiver:
    """Tidy and check one caregiver against the others already on the list."""
    errors: dict[str, str] = {}
    name = clean(caregiver.name)
    initials = clean(caregiver.initials).replace(" ", "").replace(".", "").upper()
    if not name:
        errors["name"] = "Enter the caregiver's name."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Keep the name under {MAX_NAME} characters."
    if not initials:
        errors["initials"] = "Enter initials (they go on every dose this person records)."
    elif not re.match(_INITIALS, initials):
        errors["initials"] = "Use 1 to 4 letters, for example JD."
    else:
        clash = next(
            (
                o
                for o in others
                if (caregiver.id is None or o.id != caregiver.id)
                and o.initials.upper() == initials
            ),
            None,
        )
        if clash is not None and clash.active:
            errors["initials"] = f"{clash.name} already uses {initials}; choose different initials."
        elif clash is not None:
            errors["initials"] = (f"{clash.name} (no longer on the list) signed records as "
                                  f"{initials}; choose different initials so the records stay "
                                  "clear.")
    if errors:
        raise ValidationError(errors)
    return Caregiver(name=name, initials=initials, id=caregiver.id, active=caregiver.active)
