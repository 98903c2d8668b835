"""A contact changed here, on a phone, or on both (``domain.contact_sync``)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caregiver_app.domain.contact_sync import (
    FIELDS,
    CardMerge,
    Side,
    field_conflicts,
    merge_phones,
    value,
)
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


#: The fields compared whole (the phone numbers are compared number by number, below).
WHOLE = [f for f in FIELDS if f != "phones"]


@settings(max_examples=150, deadline=None)
@given(here=st.sets(st.sampled_from(WHOLE)),
       there=st.sets(st.sampled_from(WHOLE)),
       same=st.sets(st.sampled_from(WHOLE)))
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
    office = PhoneKind.OFFICE
    merge = CardMerge(base=BASE,
                      ours=_with(BASE, {"phones": (Phone(office, "+13125550143"),),
                                        "emergency": True}),
                      theirs=_with(BASE, {"phones": (Phone(office, "+13125550144"),),
                                          "emergency": False, "role": (Role.OTHER, "")}))
    shown = [(c.label, c.here, c.there) for c in field_conflicts(merge, region="US")]
    assert shown == [("Phone number, was Office: (312) 555-0142", "Office: (312) 555-0143",
                      "Office: (312) 555-0144")]
    [key] = merge.conflicts
    assert merge.merged({key: Side.THERE}).phones == (Phone(office, "+13125550144"),)
    assert merge.merged({key: Side.HERE}).phones == (Phone(office, "+13125550143"),)


# ---- the phone numbers, number by number

OFFICE, MOBILE, HOME = PhoneKind.OFFICE, PhoneKind.MOBILE, PhoneKind.HOME


def _phones(*pairs: tuple[PhoneKind, str]) -> tuple[Phone, ...]:
    return tuple(Phone(kind, f"+1312555{digits}") for kind, digits in pairs)


def test_a_number_added_on_a_phone_and_another_added_here_are_both_kept():
    base = _phones((OFFICE, "0142"))
    merge = CardMerge(base=_with(BASE, {"phones": base}),
                      ours=_with(BASE, {"phones": base + _phones((MOBILE, "0100"))}),
                      theirs=_with(BASE, {"phones": base + _phones((HOME, "0177"))}))
    assert merge.conflicts == ()
    assert merge.merged().phones == _phones((OFFICE, "0142"), (MOBILE, "0100"),
                                            (HOME, "0177"))


def test_one_number_edited_on_each_side_is_merged_number_by_number():
    base = _phones((OFFICE, "0142"), (MOBILE, "0100"))
    merge = CardMerge(  # the office number's digits edited here, the mobile's on a phone
        base=_with(BASE, {"phones": base}),
        ours=_with(BASE, {"phones": _phones((OFFICE, "0143"), (MOBILE, "0100"))}),
        theirs=_with(BASE, {"phones": _phones((OFFICE, "0142"), (MOBILE, "0199"))}))
    assert merge.conflicts == ()
    assert merge.merged().phones == _phones((OFFICE, "0143"), (MOBILE, "0199"))


def test_a_number_removed_on_one_side_and_kept_on_the_other_is_removed():
    base = _phones((OFFICE, "0142"), (MOBILE, "0100"))
    merge = CardMerge(base=_with(BASE, {"phones": base}),
                      ours=_with(BASE, {"phones": base[:1]}),
                      theirs=_with(BASE, {"phones": base + _phones((HOME, "0177"))}))
    assert merge.conflicts == ()
    assert merge.merged().phones == _phones((OFFICE, "0142"), (HOME, "0177"))


def test_a_number_removed_on_one_side_and_edited_on_the_other_waits_for_a_person():
    base = _phones((OFFICE, "0142"))
    merge = CardMerge(base=_with(BASE, {"phones": base}),
                      ours=_with(BASE, {"phones": ()}),
                      theirs=_with(BASE, {"phones": _phones((MOBILE, "0142"))}))
    [clash] = field_conflicts(merge, region="US")
    assert (clash.label, clash.here, clash.there) == (
        "Phone number, was Office: (312) 555-0142", "(removed)", "Mobile: (312) 555-0142")
    assert merge.merged({clash.field: Side.HERE}).phones == ()
    assert merge.merged({clash.field: Side.THERE}).phones == _phones((MOBILE, "0142"))
    with pytest.raises(KeyError):
        merge.merged()


#: Numbers a side may use: the base's, and new ones each side or both may add.
_DIGITS = [f"0{n:03d}" for n in range(100, 112)]
_KINDS = st.sampled_from(list(PhoneKind))


@st.composite
def _phone_lists(draw):
    """A base list of numbers and each side's version of it, built by what a person
    does to a list: keep a number, remove it, change its kind, edit its digits, add one
    (from a few numbers, so both sides sometimes add the same)."""
    pool = draw(st.permutations(_DIGITS))
    base = tuple(Phone(draw(_KINDS), f"+1312555{d}") for d in pool[:draw(
        st.integers(0, 4))])
    free = [f"+1312555{d}" for d in pool[len(base):]]

    def side():
        phones: list[Phone] = []
        for phone in base:
            step = draw(st.sampled_from(["keep", "keep", "remove", "kind", "digits"]))
            if step == "keep":
                phones.append(phone)
            elif step == "kind":
                phones.append(replace(phone, kind=draw(_KINDS)))
            elif step == "digits":
                phones.append(replace(phone, number=draw(st.sampled_from(free))))
        for _ in range(draw(st.integers(0, 2))):
            phones.append(Phone(draw(_KINDS), draw(st.sampled_from(free))))
        kept: dict[str, Phone] = {}
        for phone in phones:  # a contact never holds the same number twice
            kept.setdefault(phone.number, phone)
        return tuple(draw(st.permutations(list(kept.values()))))

    return base, side(), side()


@settings(max_examples=400, deadline=None)
@given(_phone_lists())
def test_a_number_changed_on_only_one_side_is_never_lost(lists):
    base, ours, theirs = lists
    merge = merge_phones(base, ours, theirs)
    in_clashes = {p for c in merge.clashes for p in (c.here, c.there) if p is not None}
    for side in Side:
        merged = merge.phones({c.key: side for c in merge.clashes})
        assert len({p.number for p in merged}) == len(merged)  # never the same twice
        assert set(merged) <= set(ours) | set(theirs)  # nothing made up
        for mine, other in ((ours, theirs), (theirs, ours)):
            for phone in mine:
                if phone in base and phone in other:
                    assert phone in merged  # untouched on both sides
                elif phone not in base and phone not in in_clashes:
                    assert phone in merged  # added or changed on one side only
            for phone in base:  # removed on one side, left as it was on the other
                if phone not in mine and phone in other and not any(
                        p.number == phone.number for p in mine) and phone not in {
                        c.was for c in merge.clashes}:
                    assert phone.number not in {p.number for p in merged}
        chosen = ours if side is Side.HERE else theirs
        for clash in merge.clashes:  # the side chosen is the side kept
            kept = clash.here if side is Side.HERE else clash.there
            assert kept is None or kept in merged
            assert kept is None or kept in chosen
    for clash in merge.clashes:  # a clash is a number changed on both, differently
        assert clash.here != clash.there
        if clash.was is not None:
            assert clash.here != clash.was and clash.there != clash.was
    if tuple(theirs) == tuple(base):
        assert merge.clashes == () and merge.phones({}) == tuple(ours)
    if tuple(ours) == tuple(base):
        assert merge.clashes == () and set(merge.phones({})) == set(theirs)


def test_numbers_too_many_together_are_one_choice_of_a_whole_list():
    """Five numbers added here and five others on a phone: merged number by number they
    would be 11, more than a contact keeps. The person chooses one side's list whole;
    nothing is cut or dropped for them, and the other fields merge as usual."""
    from caregiver_app.domain.contact_sync import TOO_MANY_LABEL
    from caregiver_app.domain.contacts import MAX_PHONES

    base = _phones((OFFICE, "0142"))
    ours = base + _phones(*((MOBILE, f"01{n:02d}") for n in range(5)))
    theirs = base + _phones(*((HOME, f"02{n:02d}") for n in range(5)))
    merge = CardMerge(base=_with(BASE, {"phones": base}),
                      ours=_with(BASE, {"phones": ours}),
                      theirs=_with(BASE, {"phones": theirs, "email": "maya@example.org"}))
    assert len(merge.numbers.phones({})) == MAX_PHONES + 1  # number by number: 11
    assert merge.too_many_numbers and merge.conflicts == ("phones",)
    [choice] = field_conflicts(merge, region="US")
    assert choice.label == TOO_MANY_LABEL == "Phones (more than 10 together: keep one list)"
    assert choice.here.splitlines()[1:3] == ["Mobile: (312) 555-0100",
                                             "Mobile: (312) 555-0101"]
    assert len(choice.there.splitlines()) == 6
    for side, phones in ((Side.HERE, ours), (Side.THERE, theirs)):
        merged = merge.merged({"phones": side})
        assert merged.phones == phones and merged.email == "maya@example.org"
    with pytest.raises(KeyError):
        merge.merged()
    # one fewer on the phone: ten together, merged number by number as before
    fits = CardMerge(base=merge.base, ours=merge.ours,
                     theirs=_with(BASE, {"phones": theirs[:-1]}))
    assert not fits.too_many_numbers and fits.conflicts == ()
    assert len(fits.merged().phones) == MAX_PHONES


@st.composite
def _long_lists(draw):
    """A base of up to 10 numbers and each side's version: some kept or removed, up to
    10 in all, new ones added from a shared pool (so both sides sometimes add the same)."""
    from caregiver_app.domain.contacts import MAX_PHONES

    pool = [f"+1312555{n:04d}" for n in draw(st.permutations(list(range(100, 130))))]
    base = tuple(Phone(draw(_KINDS), n) for n in pool[:draw(st.integers(0, MAX_PHONES))])
    free = pool[len(base):]

    def side():
        phones = [p for p in base if draw(st.booleans())]
        room = MAX_PHONES - len(phones)
        new = draw(st.lists(st.sampled_from(free), max_size=room, unique=True))
        return tuple(phones) + tuple(Phone(draw(_KINDS), n) for n in new)

    return base, side(), side()


def test_no_choice_of_a_person_gives_more_numbers_than_a_contact_keeps():
    """Whatever each side did (both within the limit), keeping either side of every
    choice gives at most ``MAX_PHONES`` numbers, none made up."""
    from caregiver_app.domain.contacts import MAX_PHONES

    too_many: list[bool] = []

    @settings(max_examples=300, deadline=None, database=None)
    @given(_long_lists())
    def check(lists):
        base, ours, theirs = lists
        merge = CardMerge(base=_with(BASE, {"phones": base}),
                          ours=_with(BASE, {"phones": ours}),
                          theirs=_with(BASE, {"phones": theirs}))
        for side in Side:
            merged = merge.merged({key: side for key in merge.conflicts})
            assert len(merged.phones) <= MAX_PHONES
            assert set(merged.phones) <= set(ours) | set(theirs)  # nothing made up
        too_many.append(merge.too_many_numbers)

    check()
    assert len(too_many) >= 300 and sum(too_many) >= 20  # the limit was met often
