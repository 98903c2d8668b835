"""A contact changed here, on a phone, or on both (``domain.contact_sync``)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caregiver_app.domain.contact_sync import FIELDS, CardMerge, Side, field_conflicts, value
from caregiver_app.domain.contacts import Contact, PreferredContact, Role
from caregiver_app.domain.phones import Phone, PhoneKind

BASE = Contact("Dr. Maya Patel", role=Role.NEUROLOGIST, organisation="ALS Clinic",
               phones=(Phone(PhoneKind.OFFICE, "+13125550142"),),
               email="mpatel@clinic.example.org", id=3)
#: Another value for each field.
OTHER = {"name": "Maya Patel", "role": (Role.OTHER, "Research lead"),
         "organisation": "ALS Center", "phones": (Phone(PhoneKind.MOBILE, "+13125550100"),),
         "email": "maya@example.org", "address": "1 Main St", "portal_url":
         "https://portal.example.org", "office_hours": "Mon-Fri 9-5",
         "preferred_contact": PreferredContact.EMAIL, "notes": "Calls back after 4.",
         "emergency": True}
THIRD = {**OTHER, "name": "M. Patel", "role": (Role.PRIMARY_CARE, ""),
         "organisation": "Clinic B", "phones": (), "email": "m@example.org",
         "address": "2 Oak Ave", "portal_url": "https://b.example.org",
         "office_hours": "Tue 10-12", "preferred_contact": PreferredContact.PORTAL,
         "notes": "Fax first.", "emergency": False}


def _with(contact: Contact, values: dict) -> Contact:
    changes = {}
    for field, new in values.items():
        if field == "role":
            changes["role"], changes["role_other"] = new
        else:
            changes[field] = new
    return replace(contact, **changes)


def test_every_field_a_person_edits_is_compared():
    assert set(OTHER) == set(FIELDS)


@settings(max_examples=150, deadline=None)
@given(here=st.sets(st.sampled_from(list(FIELDS))),
       there=st.sets(st.sampled_from(list(FIELDS))),
       same=st.sets(st.sampled_from(list(FIELDS))))
def test_each_side_keeps_its_changes_and_only_true_clashes_wait(here, there, same):
    """Changed on one side: that side's value; on both to the same value: that value;
    on both to different values: a conflict, settled by the side chosen."""
    ours = _with(BASE, {f: OTHER[f] for f in here})
    theirs = _with(BASE, {f: OTHER[f] if f in same else THIRD[f] for f in there})
    merge = CardMerge(base=BASE, ours=ours, theirs=theirs)
    there = {f for f in there if value(theirs, f) != value(BASE, f)}  # (a flag has 2 values)
    clash = {f for f in here & there if value(ours, f) != value(theirs, f)}
    assert set(merge.conflicts) == clash
    for side in Side:
        merged = merge.merged({f: side for f in clash})
        for field in FIELDS:
            if field in clash:
                expected = value(ours if side is Side.HERE else theirs, field)
            elif field in there:
                expected = value(theirs, field)
            else:
                expected = value(ours, field)
            assert value(merged, field) == expected, field
        assert merged.id == BASE.id
    if clash:
        with pytest.raises(KeyError):
            merge.merged()


def test_a_clash_is_shown_in_words_both_ways():
    merge = CardMerge(base=BASE, ours=_with(BASE, {"phones": OTHER["phones"],
                                                  "emergency": True}),
                      theirs=_with(BASE, {"phones": (), "emergency": False,
                                          "role": (Role.OTHER, "")}))
    shown = [(c.label, c.here, c.there) for c in field_conflicts(merge, region="US")]
    assert shown == [("Phones", "Mobile: (312) 555-0100", "(empty)")]
