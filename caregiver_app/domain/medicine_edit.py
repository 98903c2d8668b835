"""What the medicine form asks to save, worked out from what was typed: rules the
``MedicineDialog`` used to hold, as plain Python with typed results.

- ``MedicineEdit``: a new medicine, or an edit as new details and perhaps a new
  version of the schedule from a date on (``edit_of`` / ``new_medicine``); every field
  that is wrong is named at once in one ``ValidationError``.
- ``read_amount``: the dose amount and the amount one dose uses, typed as text.
- ``preview_medicine`` and ``preview_caption``: the medicine as it would be saved,
  for the dialog's preview of the next due doses, and the line above it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import (
    Medicine,
    MedicineVersion,
    validate_medicine,
    validate_version,
)
from caregiver_app.domain.regimens import AsNeededRegimen, describe_regimen

#: The details of a medicine that are not dated: a change to them is not a new version.
DETAIL_FIELDS = ("generic_name", "brand_name", "purpose", "instructions", "food_rule",
                 "given_by", "prescriber_id", "pharmacy_id", "reference_id", "start_date",
                 "end_date", "review_date", "supply")

DOSE_MISSING = "Enter how much is given each time, as on the prescription."
DOSE_NOT_A_NUMBER = "Enter the amount as a number, for example 1 or 2.5."
PER_DOSE_NOT_A_NUMBER = "Enter how much one dose uses as a number, or leave it empty."


@dataclass(frozen=True)
class MedicineEdit:
    """What the medicine form asks to save.

    New medicine: ``medicine`` is the whole checked medicine (``id`` None). Edit:
    ``medicine`` holds the new details (``details_changed`` says whether they differ) and
    ``new_version`` the dose / form / route / strength / schedule from its ``valid_from``
    on (None when those did not change).
    """

    medicine: Medicine
    new_version: MedicineVersion | None = None
    details_changed: bool = True

    @property
    def is_new(self) -> bool:
        return self.medicine.id is None

    @property
    def changes_anything(self) -> bool:
        return self.is_new or self.details_changed or self.new_version is not None


def details_of(medicine: Medicine) -> tuple[object, ...]:
    """The undated details of ``medicine``, to compare."""
    return tuple(getattr(medicine, name) for name in DETAIL_FIELDS)


def same_version(a: MedicineVersion, b: MedicineVersion) -> bool:
    """The two versions give the same thing the same way (their dates and notes aside)."""
    def key(v: MedicineVersion) -> tuple[object, ...]:
        return (v.strength, v.form, v.route, v.dose, v.regimen, v.do_not_crush, v.flush_ml)
    return key(a) == key(b)


def read_amount(text: str, *, required: bool) -> float | None:
    """An amount typed as text ("2", "2.5", "2,5"): None when left empty and not
    ``required``. Raises ``ValueError`` with the sentence to show beside the field."""
    clean = text.strip().replace(",", ".")
    if not clean:
        if required:
            raise ValueError(DOSE_MISSING)
        return None
    try:
        return float(clean)
    except ValueError:
        raise ValueError(DOSE_NOT_A_NUMBER if required else PER_DOSE_NOT_A_NUMBER) from None


def new_medicine(details: Medicine, version: MedicineVersion,
                 errors: dict[str, str] | None = None) -> MedicineEdit:
    """A new medicine of ``details`` with its first ``version``, checked whole.
    ``errors``: problems already found while reading the form (they win over the
    checks'). Raises ``ValidationError`` naming every field that is wrong."""
    found = dict(errors or {})
    clean = details
    try:
        clean = validate_medicine(replace(details, versions=(version,)))
    except ValidationError as exc:
        found = {**exc.errors, **found}
    if found:
        raise ValidationError(found)
    return MedicineEdit(clean)


def edit_of(stored: Medicine, details: Medicine, version: MedicineVersion,
            errors: dict[str, str] | None = None) -> MedicineEdit:
    """The edit of ``stored``: its new undated ``details``, and ``version`` from its
    ``valid_from`` on when it differs from the version in force then. Raises
    ``ValidationError`` naming every field that is wrong (``errors``, found while
    reading the form, win)."""
    found = dict(errors or {})
    clean_details = details
    try:
        clean_details = validate_medicine(details)
    except ValidationError as exc:
        problems = dict(exc.errors)
        if "valid_from" in problems:  # the new start date is after a recorded change
            later = max(v.valid_from for v in stored.versions)
            del problems["valid_from"]
            problems["start_date"] = ("The start date cannot be after a change already "
                                      f"recorded ({later.isoformat()}).")
        found = {**problems, **found}
    new_version: MedicineVersion | None = None
    try:
        clean = validate_version(version, previous=stored.versions[-1],
                                 medicine_start=details.start_date)
        in_force = stored.version_on(version.valid_from) or stored.versions[-1]
        if not same_version(clean, in_force):
            validate_medicine(replace(details, versions=(*stored.versions, clean)))
            new_version = clean
    except ValidationError as exc:
        found = {**exc.errors, **found}
    if found:
        raise ValidationError(found)
    return MedicineEdit(clean_details, new_version,
                        details_changed=details_of(clean_details) != details_of(stored))


def preview_medicine(stored: Medicine | None, version: MedicineVersion, *, start: date,
                     end: date | None) -> Medicine:
    """The medicine as it would be saved, for the preview: a new one with ``version``,
    or ``stored`` with ``version`` added from its ``valid_from``. Raises
    ``ValidationError`` when that is before the last recorded change."""
    if stored is None:
        return Medicine(generic_name="preview", start_date=start, end_date=end,
                        versions=(version,))
    last = stored.versions[-1]
    if version.valid_from < last.valid_from:
        raise ValidationError({"valid_from": "The change must start on or after "
                                             f"{last.valid_from.isoformat()}."})
    return replace(stored, start_date=start, end_date=end,
                   versions=(*stored.versions, version))


def preview_caption(version: MedicineVersion, found: int, *, paused: bool) -> str:
    """The line above the preview of the next ``found`` due doses."""
    if isinstance(version.regimen, AsNeededRegimen):
        return f"{describe_regimen(version.regimen)}. No doses are due at set times."
    if not found:
        return ("It is paused or stopped now: no doses are due until it is resumed."
                if paused else "No doses are due in the next three years with these "
                               "settings.")
    return f"The next {found} due doses with these settings:"
