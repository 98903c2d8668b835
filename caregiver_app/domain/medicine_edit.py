"""What the medicine form asks to save, worked out from what was typed: rules the
``MedicineDialog`` used to hold, as plain Python with typed results.

- ``MedicineEdit``: a new medicine, or an edit as new details and perhaps a new
  version of the schedule from a date on (``edit_of`` / ``new_medicine``); every field
  that is wrong is named at once in one ``ValidationError``.
- ``read_amount``: the dose amount and the amount one dose uses, typed as text.
- ``preview_medicine`` and ``preview_caption``: the medicine as it would be saved,
  for the dialog's preview of the next due doses, and the line above it.
- ``reference_link`` and ``availability_warning``: what the form says about the
  built-in reference entry a medicine is linked to, and about the entry and product
  form chosen in the reference search (withdrawn, short supply, unconfirmed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import describe_day
from caregiver_app.domain.medicines import (
    Medicine,
    MedicineVersion,
    validate_medicine,
    validate_version,
)
from caregiver_app.domain.regimens import AsNeededRegimen, describe_regimen
from caregiver_app.domain.vocab import Form

if TYPE_CHECKING:
    from caregiver_app.domain.reference import MedicineReference

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
                                      f"recorded ({describe_day(later)}).")
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
                                             f"{describe_day(last.valid_from)}."})
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


# ---- The link to the built-in reference


@dataclass(frozen=True)
class ReferenceLink:
    """What the form's "linked to the reference" line says (``reference_link``)."""

    text: str
    """"Linked to the built-in reference: riluzole. It links to a Learn article.";
    "" when the medicine is linked to nothing."""
    shown: bool
    """The line is shown (the medicine is linked to an entry, known or not)."""
    warning: str = ""
    """"⚠ Withdrawn from the market…" for the linked entry's product form; "" if none."""


def availability_warning(reference: MedicineReference, entry_id: str,
                         form_index: int = 0) -> str:
    """The warning for reference entry ``entry_id`` in its product form number
    ``form_index`` (withdrawn, short supply, unconfirmed), with its "⚠ "; "" when there
    is nothing to flag."""
    warning = reference.prefill(entry_id, max(form_index, 0)).availability_warning
    return f"⚠ {warning}" if warning else ""


def reference_link(reference: MedicineReference, reference_id: str,
                   form: Form | None = None) -> ReferenceLink:
    """What the form says about the medicine's link to the built-in reference entry
    ``reference_id`` ("": not linked), for the product form ``form`` chosen in the form
    (the entry's first form when it has not that one). An id this version of the app
    does not know is said plainly, with no warning."""
    if not reference_id:
        return ReferenceLink("", shown=False)
    entry = reference.find(reference_id)
    if entry is None:
        return ReferenceLink(f"Linked to reference entry “{reference_id}”, which this "
                             "version of the app does not have.", shown=True)
    article = " It links to a Learn article." if entry.article else ""
    form_index = next((i for i, f in enumerate(entry.forms) if f.form is form), 0)
    return ReferenceLink(f"Linked to the built-in reference: {entry.generic}.{article}",
                         shown=True,
                         warning=availability_warning(reference, entry.id, form_index))
