"""What the medicine form asks to save, worked out without Qt (``domain.medicine_edit``):
a new medicine or an edit (new details, a new version from a date), every wrong field
named at once, typed amounts read, the preview's medicine and caption, and what the
form says about the built-in reference entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from medicine_builders import D0, T8, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicine_edit import (
    DOSE_MISSING,
    DOSE_NOT_A_NUMBER,
    PER_DOSE_NOT_A_NUMBER,
    ReferenceLink,
    availability_warning,
    edit_of,
    new_medicine,
    preview_caption,
    preview_medicine,
    read_amount,
    reference_link,
)
from caregiver_app.domain.reference import load_reference
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.vocab import Form

LATER = D0 + timedelta(days=10)


def _stored():
    return medicine(id=7)


def test_amounts_typed_with_a_comma_or_left_empty():
    assert read_amount(" 2,5 ", required=True) == 2.5
    assert read_amount("", required=False) is None
    with pytest.raises(ValueError, match=DOSE_MISSING):
        read_amount("  ", required=True)
    with pytest.raises(ValueError, match=DOSE_NOT_A_NUMBER):
        read_amount("two", required=True)
    with pytest.raises(ValueError, match=PER_DOSE_NOT_A_NUMBER):
        read_amount("half", required=False)


def test_a_new_medicine_is_checked_whole_and_the_forms_own_messages_win():
    details = replace(medicine(id=None), versions=())
    edit = new_medicine(details, version())
    assert edit.is_new and edit.changes_anything and edit.medicine.versions == (version(),)
    with pytest.raises(ValidationError) as caught:
        new_medicine(replace(details, generic_name=""), version(dose=Dose(0, "tablet")),
                     {"dose_amount": DOSE_NOT_A_NUMBER})
    assert caught.value.errors["dose_amount"] == DOSE_NOT_A_NUMBER  # the form's, not 0's
    assert "generic_name" in caught.value.errors


def test_an_edit_of_details_only_keeps_the_schedule():
    stored = _stored()
    same = edit_of(stored, stored, replace(stored.versions[-1], valid_from=LATER))
    assert not same.changes_anything and same.new_version is None
    renamed = edit_of(stored, replace(stored, purpose="slows ALS"),
                      replace(stored.versions[-1], valid_from=LATER))
    assert renamed.details_changed and renamed.new_version is None
    assert renamed.changes_anything and not renamed.is_new


def test_a_new_dose_becomes_a_version_from_its_date():
    stored = _stored()
    edit = edit_of(stored, stored, version(valid_from=LATER, dose=Dose(2, "tablet")))
    assert not edit.details_changed
    assert edit.new_version is not None and edit.new_version.valid_from == LATER
    assert edit.new_version.dose == Dose(2, "tablet")


def test_a_start_after_a_recorded_change_is_named_on_the_start_date():
    stored = replace(_stored(), versions=(version(), version(valid_from=LATER,
                                                             dose=Dose(2, "tablet"))))
    moved = replace(stored, start_date=LATER + timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        edit_of(stored, moved, replace(stored.versions[-1], valid_from=LATER + timedelta(days=2)))
    assert caught.value.errors["start_date"] == (
        "The start date cannot be after a change already recorded (15 Jan 2026).")
    assert "valid_from" not in caught.value.errors


def test_the_preview_adds_the_new_version_and_refuses_one_before_the_last():
    stored = _stored()
    new = version(valid_from=LATER, dose=Dose(2, "tablet"))
    shown = preview_medicine(stored, new, start=D0, end=None)
    assert shown.versions == (*stored.versions, new) and shown.id == 7
    fresh = preview_medicine(None, version(), start=D0, end=LATER)
    assert fresh.id is None and fresh.end_date == LATER
    with pytest.raises(ValidationError) as caught:
        preview_medicine(replace(stored, versions=(version(valid_from=LATER),)),
                         version(valid_from=D0), start=D0, end=None)
    assert caught.value.errors == {
        "valid_from": "The change must start on or after 15 Jan 2026."}


def test_the_preview_caption():
    daily = version(DailyRegimen(D0, (T8,)))
    assert preview_caption(daily, 14, paused=False) == (
        "The next 14 due doses with these settings:")
    assert preview_caption(daily, 0, paused=True).startswith("It is paused or stopped now")
    assert preview_caption(daily, 0, paused=False).startswith("No doses are due in the next")
    prn = version(AsNeededRegimen(D0, timedelta(hours=4), 3))
    assert preview_caption(prn, 0, paused=False).endswith(
        "No doses are due at set times.")


# ---- The built-in reference entry


REFERENCE = Path(__file__).parent / "reference_fixtures" / "valid.toml"


def test_the_link_names_the_entry_its_article_and_the_chosen_forms_warning():
    reference = load_reference(REFERENCE)
    assert reference_link(reference, "") == ReferenceLink("", shown=False)
    tablet = reference_link(reference, "examplumab", Form.TABLET)
    assert tablet == ReferenceLink(
        "Linked to the built-in reference: examplumab. It links to a Learn article.",
        shown=True)
    liquid = reference_link(reference, "examplumab", Form.LIQUID)
    assert liquid.text == tablet.text
    assert liquid.warning.startswith("⚠ ") and "Short since March 2026." in liquid.warning
    # a form the entry does not have: its first form's warning (none here)
    assert reference_link(reference, "examplumab", Form.INJECTION).warning == ""
    withdrawn = reference_link(reference, "oldomycin")
    assert withdrawn.text == "Linked to the built-in reference: oldomycin."  # no article
    assert "Withdrawn on 1 May 2024." in withdrawn.warning


def test_an_entry_this_version_lacks_is_said_plainly_without_a_warning():
    link = reference_link(load_reference(REFERENCE), "newomab", Form.TABLET)
    assert link == ReferenceLink("Linked to reference entry “newomab”, which this version "
                                 "of the app does not have.", shown=True)


def test_the_search_warns_for_the_entry_and_form_chosen():
    reference = load_reference(REFERENCE)
    assert availability_warning(reference, "examplumab", 0) == ""
    assert availability_warning(reference, "examplumab", 1) == (
        "⚠ generic 1 mg/mL oral solution: In short supply: it may be hard or impossible "
        "to get. Short since March 2026.")
    assert availability_warning(reference, "examplumab", -1) == ""  # no form chosen yet
    assert availability_warning(reference, "oldomycin").startswith("⚠ Withdrawn")
