"""An amount of medicine: a number and its unit ("1 tablet", "10 mL", "5 mg")."""

from __future__ import annotations

from dataclasses import dataclass

MAX_AMOUNT = 100_000
MAX_UNIT = 20

#: Units offered in forms. Any short unit is accepted; these are only suggestions.
COMMON_UNITS = (
    "tablet", "capsule", "mL", "mg", "film", "patch", "drop", "puff", "sachet", "vial",
    "units", "mcg", "g",
)
#: Units that are counted, so "2 tablets" takes a plural.
_COUNTED = {"tablet", "capsule", "film", "patch", "drop", "puff", "sachet", "vial"}


def format_number(value: float) -> str:
    """``2`` -> "2", ``2.5`` -> "2.5", ``0.25`` -> "0.25" (never "2.0" or "2.500000")."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True, slots=True)
class Dose:
    """How much is given at one time, e.g. ``Dose(1, "tablet")`` or ``Dose(5, "mL")``."""

    amount: float
    unit: str

    def describe(self) -> str:
        unit = self.unit
        if unit in _COUNTED and self.amount != 1:
            unit += "s"
        return f"{format_number(self.amount)} {unit}"

    def __str__(self) -> str:
        return self.describe()


def dose_problem(dose: Dose | None) -> dict[str, str]:
    """Messages for a bad dose, keyed ``dose_amount`` / ``dose_unit`` (empty when fine)."""
    errors: dict[str, str] = {}
    if dose is None:
        return {"dose_amount": "Enter how much is given each time."}
    if not isinstance(dose.amount, int | float) or dose.amount != dose.amount:
        errors["dose_amount"] = "Enter the amount as a number, for example 1 or 2.5."
    elif dose.amount <= 0:
        errors["dose_amount"] = "The amount must be more than zero."
    elif dose.amount > MAX_AMOUNT:
        errors["dose_amount"] = "That amount is too large; check it."
    unit = " ".join(dose.unit.split())
    if not unit:
        errors["dose_unit"] = "Enter the unit, for example tablet or mL."
    elif len(unit) > MAX_UNIT:
        errors["dose_unit"] = f"Keep the unit under {MAX_UNIT} characters."
    return errors
