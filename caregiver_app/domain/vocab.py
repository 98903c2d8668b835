"""Fixed vocabularies shared by the medicine list, the reference, printing and import.

The string values are stored in the database and in export files: never change
one; add new members instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Form(StrEnum):
    TABLET = "tablet"
    CAPSULE = "capsule"
    LIQUID = "liquid"  # liquid / oral suspension / oral solution
    ORAL_FILM = "oral_film"
    PATCH = "patch"
    INJECTION = "injection"
    IV_INFUSION = "iv_infusion"
    INTRATHECAL = "intrathecal"
    DROPS = "drops"
    INHALER = "inhaler"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _FORM_LABELS[self]


_FORM_LABELS = {
    Form.TABLET: "tablet",
    Form.CAPSULE: "capsule",
    Form.LIQUID: "liquid / oral suspension",
    Form.ORAL_FILM: "oral film",
    Form.PATCH: "patch",
    Form.INJECTION: "injection",
    Form.IV_INFUSION: "IV infusion",
    Form.INTRATHECAL: "intrathecal injection",
    Form.DROPS: "drops",
    Form.INHALER: "inhaler",
    Form.OTHER: "other",
}


class Route(StrEnum):
    ORAL = "oral"
    FEEDING_TUBE = "feeding_tube"  # PEG / RIG gastrostomy
    NG_TUBE = "ng_tube"
    SUBLINGUAL = "sublingual"
    SKIN = "skin"
    IV = "iv"
    INTRATHECAL = "intrathecal"
    SUBCUTANEOUS = "subcutaneous"
    INHALED = "inhaled"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROUTE_LABELS[self]

    @property
    def is_tube(self) -> bool:
        return self in (Route.FEEDING_TUBE, Route.NG_TUBE)


_ROUTE_LABELS = {
    Route.ORAL: "by mouth",
    Route.FEEDING_TUBE: "feeding tube (PEG/RIG)",
    Route.NG_TUBE: "NG tube",
    Route.SUBLINGUAL: "under the tongue",
    Route.SKIN: "on the skin",
    Route.IV: "IV",
    Route.INTRATHECAL: "intrathecal (spinal)",
    Route.SUBCUTANEOUS: "under the skin (subcutaneous)",
    Route.INHALED: "inhaled",
    Route.OTHER: "other",
}


class SkipReason(StrEnum):
    """Why a due dose was not given. ``code`` is the letter printed on paper sheets."""

    REFUSED = "refused"
    VOMITED = "vomited"  # vomited / spat out
    ASLEEP = "asleep"
    IN_HOSPITAL = "in_hospital"
    NOT_AVAILABLE = "not_available"
    OTHER = "other"  # needs a note

    @property
    def label(self) -> str:
        return _SKIP_LABELS[self][1]

    @property
    def code(self) -> str:
        return _SKIP_LABELS[self][0]


_SKIP_LABELS = {
    SkipReason.REFUSED: ("R", "refused"),
    SkipReason.VOMITED: ("V", "vomited or spat out"),
    SkipReason.ASLEEP: ("A", "asleep"),
    SkipReason.IN_HOSPITAL: ("H", "in hospital"),
    SkipReason.NOT_AVAILABLE: ("X", "medicine not available"),
    SkipReason.OTHER: ("O", "other (write why in the notes)"),
}


class GivenBy(StrEnum):
    """Where a medicine is given (the medicine's field and the reference's)."""

    HOME = "home"
    CLINIC = "clinic"  # IV, intrathecal or injections given at the clinic


class MedicineStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class FoodRuleKind(StrEnum):
    NONE = "none"
    EMPTY_STOMACH = "empty_stomach"  # at least `before` min before food or `after` min after food
    WITH_FOOD = "with_food"
    FASTING = "fasting"  # nothing to eat for `before` min before and `after` min after the dose


@dataclass(frozen=True)
class FoodRule:
    """When the dose may be given relative to food.

    EMPTY_STOMACH: give at least ``before_minutes`` before food or ``after_minutes``
    after food (riluzole: 60 before / 120 after). FASTING: no food for
    ``before_minutes`` before the dose and ``after_minutes`` after it.
    """

    kind: FoodRuleKind = FoodRuleKind.NONE
    before_minutes: int = 0
    after_minutes: int = 0
    note: str = ""
