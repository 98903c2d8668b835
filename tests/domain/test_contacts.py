"""Care-team contacts: roles, checks, search, duplicates and merging."""

from __future__ import annotations

import pytest

from caregiver_app.domain.contacts import (
    CALL_FIRST_TITLE,
    Contact,
    MatchKind,
    PreferredContact,
    Role,
    contact_matches,
    find_match,
    group_by_role,
    guess_role,
    merge_contacts,
    same_name,
    validate_contact,
    validate_email,
    validate_portal,
)
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.phones import Phone, PhoneKind

OFFICE = PhoneKind.OFFICE


def _lee(**changes) -> Contact:
    base = dict(name="Dr. Ada Lee", role=Role.NEUROLOGIST, organisation="Lakeside ALS Clinic",
                phones=(Phone(OFFICE, "+13125550142"),), id=1)
    base.update(changes)
    return Contact(**base)


def test_the_issue_s_roles_each_with_a_plain_help_line():
    labels = [r.label for r in Role]
    for wanted in ("Neurologist", "ALS clinic nurse coordinator", "Primary care doctor",
                   "Physical therapist", "Occupational therapist", "Speech-language pathologist",
                   "Respiratory therapist", "Dietitian", "Social worker",
                   "Mental health professional", "Palliative care / hospice", "Pulmonologist",
                   "Gastroenterologist", "Pharmacy", "Home health agency",
                   "Equipment (DME) supplier", "Insurance / case manager", "Family or friend",
                   "Other"):
        assert wanted in labels
    for role in Role:
        assert 10 < len(role.help) < 180, role
        assert role.help.endswith("."), role
    assert "BiPAP" in Role.RESPIRATORY_THERAPIST.help
    assert "crushing" in Role.PHARMACY.help


def test_valid_contact_is_tidied():
    contact = validate_contact(Contact(
        name="  Dr.   Ada Lee ", role=Role.NEUROLOGIST, role_other="ignored",
        phones=(Phone(OFFICE, "(312) 555-0142"), Phone(PhoneKind.FAX, "312 555 0143")),
        email=" Ada.Lee@Example.ORG ", portal_url="mychart.example.org",
        notes="\n  Refills  \n\n"), region="US")
    assert contact.name == "Dr. Ada Lee"
    assert contact.role_other == ""  # only kept for "Other"
    assert [p.number for p in contact.phones] == ["+13125550142", "+13125550143"]
    assert contact.email == "Ada.Lee@example.org"
    assert contact.portal_url == "https://mychart.example.org"
    assert contact.notes == "Refills"


def test_every_bad_field_is_named_at_once():
    with pytest.raises(ValidationError) as error:
        validate_contact(Contact(
            name=" ", phones=(Phone(OFFICE, "(312) 555-0142"), Phone(OFFICE, "12"),
                              Phone(PhoneKind.MOBILE, "312-555-0142")),
            email="ada@", portal_url="ftp://files"), region="US")
    errors = error.value.errors
    assert "name" in errors["name"]
    assert "phone_0" not in errors
    assert "too short" in errors["phone_1"]
    assert "same number as number 1" in errors["phone_2"]
    assert "after the @-sign" in errors["email"]
    assert "portal" in errors["portal_url"]


@pytest.mark.parametrize(("way", "missing"), [
    (PreferredContact.EMAIL, "email address"),
    (PreferredContact.PORTAL, "portal"),
    (PreferredContact.FAX, "fax number"),
])
def test_preferred_way_needs_its_detail(way, missing):
    with pytest.raises(ValidationError) as error:
        validate_contact(Contact(name="Rosa", preferred_contact=way), region="US")
    assert missing in error.value.errors["preferred_contact"]


@pytest.mark.parametrize(("text", "ok"), [
    ("rosa@example.org", True), ("josé@exämple.org", True), ("", True),
    ("rosa", False), ("rosa@example", False), ("rosa @example.org", False),
    ("rosa@@example.org", False),
])
def test_email_syntax(text, ok):
    if ok:
        validate_email(text)
    else:
        with pytest.raises(ValueError, match="Check the email address"):
            validate_email(text)


def test_portal_addresses():
    assert validate_portal("https://mychart.example.org/x") == "https://mychart.example.org/x"
    with pytest.raises(ValueError):
        validate_portal("not a web address")


@pytest.mark.parametrize(("query", "found"), [
    ("", True), ("lee", True), ("ADA LEE", True), ("neuro", True), ("lakeside", True),
    ("0142", True), ("555-0142", True), ("(312) 555", True), ("lee 0142", True),
    ("pharmacy", False), ("0199", False), ("lee 0199", False),
])
def test_search_by_name_role_organisation_and_phone_digits(query, found):
    assert contact_matches(_lee(), query, region="US") is found


def test_search_ignores_accents():
    assert contact_matches(Contact(name="José Núñez"), "jose nunez")


def test_search_matches_national_digits_abroad():
    london = Contact(name="Clinic", phones=(Phone(OFFICE, "+442079460018"),))
    assert contact_matches(london, "020 7946", region="GB")


def test_duplicates_need_same_name_and_a_shared_number():
    existing = [_lee()]
    same = Contact(name="dr ada lee", phones=(Phone(OFFICE, "+13125550142"),))
    assert find_match(same, existing).kind is MatchKind.SAME_NAME_AND_PHONE
    new_number = Contact(name="Dr Ada Lee", phones=(Phone(OFFICE, "+13125550199"),))
    assert find_match(new_number, existing).kind is MatchKind.SAME_NAME
    other = Contact(name="Ben Okafor", phones=(Phone(OFFICE, "+13125550142"),))
    assert find_match(other, existing) is None
    assert find_match(same, [_lee(archived=True)]) is None
    assert same_name("Dr. Ada Lee", "dr ada  lee")


def test_merge_keeps_what_is_recorded_and_adds_what_is_new():
    existing = _lee(email="", notes="Prescribes riluzole.", emergency=False)
    incoming = Contact(name="Ada Lee", role=Role.OTHER, organisation="Other clinic",
                       phones=(Phone(OFFICE, "+13125550142"), Phone(PhoneKind.AFTER_HOURS,
                                                                     "+13125550199")),
                       email="ada@example.org", notes="After hours: page on call.",
                       emergency=True)
    merged = merge_contacts(existing, incoming)
    assert merged.id == 1
    assert merged.name == "Dr. Ada Lee"
    assert merged.role is Role.NEUROLOGIST
    assert merged.organisation == "Lakeside ALS Clinic"
    assert [p.number for p in merged.phones] == ["+13125550142", "+13125550199"]
    assert merged.email == "ada@example.org"
    assert merged.notes == "Prescribes riluzole.\n\nAfter hours: page on call."
    assert merged.emergency


@pytest.mark.parametrize(("title", "role"), [
    ("Neurologist", Role.NEUROLOGIST),
    ("ALS Nurse Coordinator", Role.NURSE_COORDINATOR),
    ("Physiotherapist", Role.PHYSICAL_THERAPIST),
    ("SLP", Role.SPEECH_LANGUAGE),
    ("Speech-Language Pathologist", Role.SPEECH_LANGUAGE),
    ("Hospice nurse", Role.PALLIATIVE),
    ("RRT", Role.RESPIRATORY_THERAPIST),
    ("Family medicine", Role.PRIMARY_CARE),
    ("myContacts | Family", Role.FAMILY_FRIEND),  # a Google group
    ("Accountant", None),
    ("Gastronomy critic", None),  # whole words only
])
def test_role_is_guessed_from_a_title(title, role):
    assert guess_role(title) is role


@pytest.mark.parametrize(("kwargs", "role"), [
    ({"organisation": "Walgreens Pharmacy"}, Role.PHARMACY),
    ({"organisation": "Riverside Neurology"}, Role.NEUROLOGIST),
    ({"organisation": "Acme Medical Supply"}, Role.EQUIPMENT),
    ({"name": "Hannah Kim, CCC-SLP"}, Role.SPEECH_LANGUAGE),
    ({"name": "Marcus Reed RRT"}, Role.RESPIRATORY_THERAPIST),
    ({"notes": "Our physiotherapist; comes on Tuesdays."}, Role.PHYSICAL_THERAPIST),
    # the title comes first, then credentials, the organisation, the notes
    ({"organisation": "Lakeside Pharmacy", "notes": "neurologist"}, Role.PHARMACY),
])
def test_role_is_guessed_from_credentials_organisation_types_and_notes(kwargs, role):
    assert guess_role(**kwargs) is role


@pytest.mark.parametrize("kwargs", [
    {"name": "Kim Gi-hun"},  # not GI: a name
    {"name": "Son Heung-min"},  # not family: a name
    {"name": "Given Family"},
    {"name": "Anh Do"},  # a family name, not a credential
    {"organisation": "Salt Lake Regional"},  # not SALT (speech and language therapy)
    {"organisation": "The Family Store"},
    {"organisation": "PT Barnum Circus"},  # abbreviations count in titles only
    {"notes": "Her son drives her to clinic; pt prefers mornings."},
])
def test_role_is_never_guessed_from_names_or_parts_of_words(kwargs):
    assert guess_role(**kwargs) is None


def test_groups_put_call_first_on_top_and_list_everyone_once():
    contacts = [
        Contact("Riverside Pharmacy", Role.PHARMACY, id=1),
        Contact("After-hours line", Role.OTHER, emergency=True, id=2),
        Contact("Dr. Lee", Role.NEUROLOGIST, id=3),
        Contact("Rosa", Role.NURSE_COORDINATOR, emergency=True, id=4),
        Contact("Gone", Role.NEUROLOGIST, archived=True, id=5),
    ]
    groups = group_by_role(contacts)
    assert [t for t, _ in groups] == [CALL_FIRST_TITLE, "Neurologist", "Pharmacy"]
    assert [c.name for c in groups[0][1]] == ["Rosa", "After-hours line"]  # role order
    listed = [c.id for _, members in groups for c in members]
    assert sorted(listed) == [1, 2, 3, 4]


@pytest.mark.parametrize(("a", "b"), [
    ("Dr. Ada Lee MD", "Dr. Ada Lee"),
    ("Ada Lee, MD, PhD", "dr ada lee"),
    ("Hannah Kim, CCC-SLP", "Hannah Kim"),
    ("Hannah Kim CCC-SLP", "Hannah Kim"),
    ("Rosa Martinez RN", "Rosa Martinez, RN"),
    ("Marcus Reed RRT", "Marcus Reed"),
    ("Lena Novak, RDN", "Lena Novak RD"),
    ("Prof. José Núñez PharmD", "Jose Nunez"),
    ("Anh DO", "Anh"),  # in capitals after a name: the credential
])
def test_titles_and_credentials_are_not_part_of_the_name(a, b):
    assert same_name(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Anh Do", "Anh"),  # Do is also a family name
    ("Ada Lee", "Ada Leigh"),
    ("MD", "DO"),  # a name that is only a credential stays itself
])
def test_names_that_differ_stay_different(a, b):
    assert not same_name(a, b)


def test_another_name_with_the_same_number_is_a_possible_match():
    from caregiver_app.domain.contacts import ContactIndex

    index = ContactIndex([_lee(), _lee(name="Clinic switchboard", id=2,
                                       phones=(Phone(OFFICE, "911"),))])
    ada = Contact(name="Ada", phones=(Phone(OFFICE, "+13125550142"),))
    assert index.match(ada) is None  # by name alone: nobody
    found = index.match(ada, shared_number=True)
    assert found.kind is MatchKind.SAME_PHONE and found.existing.id == 1
    # a short number says nothing about who someone is
    assert index.match(Contact(name="X", phones=(Phone(OFFICE, "911"),)),
                       shared_number=True) is None
    # the name still counts first
    assert index.match(Contact(name="Dr. Ada Lee MD", phones=ada.phones),
                       shared_number=True).kind is MatchKind.SAME_NAME_AND_PHONE


def test_merging_never_drops_numbers_quietly():
    from caregiver_app.domain.contacts import MAX_PHONES

    many = tuple(Phone(OFFICE, f"+1312555{100 + i:04d}") for i in range(MAX_PHONES - 1))
    existing = _lee(phones=many)
    incoming = Contact(name="Ada Lee", phones=(Phone(OFFICE, "+13125550190"),
                                               Phone(OFFICE, "+13125550191")))
    merged = merge_contacts(existing, incoming)
    assert len(merged.phones) == MAX_PHONES + 1
    with pytest.raises(ValidationError) as error:
        validate_contact(merged, region="US")
    assert "phones" in error.value.errors
