"""vCard import and export: real-world files read, broken ones refused, every field round-trips."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caregiver_app.domain.contacts import Contact, PreferredContact, Role
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.vcard import (
    ImportAction,
    VCardError,
    contacts_to_save,
    export_vcard_file,
    plan_import,
    read_vcard_file,
    read_vcards,
    suggested_file_name,
    write_vcards,
)

HERE = Path(__file__).resolve().parent / "vcards"

FULL = Contact(
    name="Dr. Ada Lee, MD",
    role=Role.NEUROLOGIST,
    organisation="Lakeside ALS Clinic; Neurology, 3rd floor",
    phones=(Phone(PhoneKind.OFFICE, "+13125550142", "12"),
            Phone(PhoneKind.MOBILE, "+13125550150"),
            Phone(PhoneKind.AFTER_HOURS, "+13125550199"),
            Phone(PhoneKind.FAX, "+13125550143"),
            Phone(PhoneKind.HOME, "+442079460018"),
            Phone(PhoneKind.OTHER, "911")),
    email="ada.lee@example.org",
    address="200 Lake Street, 3rd floor\nSpringfield, IL 62701",
    portal_url="https://mychart.example.org/lakeside?x=1",
    office_hours="Mon–Fri 8:30–4:30; closed 12–1",
    preferred_contact=PreferredContact.PORTAL,
    notes="Prescribes riluzole; refills through the portal.\nUrgent: call after-hours, say "
          "\"ALS patient\" — \\ backslash, comma, semicolon.",
    emergency=True,
)


def _read(name: str, region: str | None = "US"):
    return read_vcard_file(HERE / name, region=region)


# ---- Round trip


@pytest.mark.parametrize("contact", [
    FULL,
    Contact(name="Riverside Pharmacy", role=Role.PHARMACY),
    Contact(name="Zoë Ó Briain-Nguyễn", role=Role.OTHER, role_other="Wheelchair clinic",
            phones=(Phone(PhoneKind.MOBILE, "+13125550186"),)),
    Contact(name="Tom", role=Role.FAMILY_FRIEND, notes="", office_hours="x",
            preferred_contact=PreferredContact.TEXT, phones=(Phone(PhoneKind.MOBILE,
                                                                   "+13125550187"),)),
])
def test_every_field_round_trips_through_export_and_import(contact, tmp_path):
    path = tmp_path / "team.vcf"
    export_vcard_file(path, [contact])
    [card] = read_vcard_file(path, region="US")
    assert card.problems == {}
    assert not card.role_guessed
    assert card.contact == contact


def test_the_whole_team_round_trips_in_order(tmp_path):
    team = [FULL, Contact(name="Ben Okafor", role=Role.PHYSICAL_THERAPIST),
            Contact(name="Rosa", role=Role.NURSE_COORDINATOR, emergency=True)]
    text = write_vcards(team)
    assert [c.contact for c in read_vcards(text, region="US")] == team
    # numbers are written in international form, so the file reads the same anywhere
    assert [c.contact for c in read_vcards(text, region="DE")] == team


def test_export_is_vcard_3_that_phones_read():
    text = write_vcards([FULL])
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCARD"
    assert "VERSION:3.0" in lines
    assert "FN:Dr. Ada Lee\\, MD" in lines
    assert "N:Lee;Ada;;Dr.;MD" in lines
    assert "TITLE:Neurologist" in lines
    assert any(line.startswith("TEL;TYPE=CELL,VOICE") and "+1 312-555-0150" in line
               for line in lines)
    assert any(line.startswith("TEL;TYPE=WORK,FAX") for line in lines)
    assert any("X-ABLABEL:After hours" in line for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)  # folded
    assert text.endswith("END:VCARD\r\n")
    # what has no vCard field is in the note a phone shows
    unfolded = text.replace("\r\n ", "")
    assert "Office hours: Mon–Fri 8:30–4:30" in unfolded
    assert "Call first" in unfolded


def test_export_file_is_written_whole(tmp_path):
    path = tmp_path / "out.vcf"
    path.write_text("old")
    export_vcard_file(path, [FULL])
    assert path.read_text(encoding="utf-8").startswith("BEGIN:VCARD")
    assert [p.name for p in tmp_path.iterdir()] == ["out.vcf"]  # no temporary left behind


def test_suggested_file_names():
    assert suggested_file_name([FULL]) == "Dr Ada Lee MD.vcf"
    assert suggested_file_name([FULL, FULL]) == "care-team.vcf"


# ---- Real-world files


def test_android_2_1_quoted_printable_utf8_and_several_numbers():
    first, second = _read("android_21_quoted_printable.vcf")
    c = first.contact
    assert c.name == "Jürgen Müller"
    assert [(p.kind, p.number) for p in c.phones] == [
        (PhoneKind.MOBILE, "+13125550177"), (PhoneKind.OFFICE, "+13125550178"),
        (PhoneKind.FAX, "+13125550179")]
    assert c.notes == "Comes on Tuesdays.\nKnows the walker and the stretching plan."
    assert c.role is Role.PHYSICAL_THERAPIST and first.role_guessed
    assert second.contact.name == "Thị Nguyễn"  # no FN: built from a quoted-printable N


def test_google_export_with_folded_note_labels_and_two_emails():
    [card] = _read("google_30.vcf")
    c = card.contact
    assert c.role is Role.NURSE_COORDINATOR
    assert c.organisation == "Lakeside ALS Clinic"
    assert [p.kind for p in c.phones] == [PhoneKind.MOBILE, PhoneKind.OFFICE,
                                          PhoneKind.AFTER_HOURS]
    assert c.email == "ana.souza@example.org"
    assert "A long note that Google folds across two lines." in c.notes
    assert "Other email: ana.home@example.org" in c.notes
    assert c.address == "200 Lake Street\nSuite 4\nSpringfield, IL 62701\nUSA"


def test_apple_export_with_photo_grouped_address_and_portal_link():
    [card] = _read("apple_30.vcf")
    c = card.contact
    assert c.name == "Dr. Chidi Okafor"
    assert c.role is Role.NEUROLOGIST
    assert c.organisation == "Riverside Neurology"
    assert c.email == "c.okafor@example.org"
    assert [p.kind for p in c.phones] == [PhoneKind.OFFICE, PhoneKind.FAX]
    assert c.portal_url == "https://mychart.example.org/riverside"
    assert c.address.startswith("1 River Road\nSpringfield, IL 62701")


def test_outlook_2_1_and_windows_code_page():
    [pharmacy] = _read("outlook_21.vcf")
    assert pharmacy.contact.role is Role.PHARMACY
    assert pharmacy.contact.email == "rx@example.org"
    [zoe] = _read("outlook_cp1252.vcf")
    assert zoe.contact.name == "Zoë Brennan"


def test_vcard_4_uri_numbers_and_extension():
    [card] = _read("v4.vcf")
    assert [(p.kind, p.number, p.extension) for p in card.contact.phones] == [
        (PhoneKind.MOBILE, "+13125550190", ""), (PhoneKind.OFFICE, "+13125550191", "22")]
    assert card.contact.role is Role.RESPIRATORY_THERAPIST


def test_cards_missing_fn_or_n_get_a_name_from_what_they_have():
    names = [c.contact.name for c in _read("missing_names.vcf")]
    assert names == ["Jae Kim", "Lakeside Home Health", "Acme Medical Supply"]


def test_a_number_that_does_not_read_is_kept_and_flagged_for_the_preview():
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL:555 0100\nEND:VCARD\n"
    [card] = read_vcards(text, region="US")
    assert card.contact.phones[0].number == "555 0100"
    assert "phone_0" in card.problems


# ---- Broken files


@pytest.mark.parametrize(("name", "card", "line", "says"), [
    ("broken_unclosed.vcf", 2, 6, "END:VCARD is missing"),
    ("broken_line.vcf", 2, 9, "cannot be read"),
    ("broken_charset.vcf", 2, 8, "encoding"),
    ("not_a_vcard.vcf", None, 1, "not a vCard file"),
])
def test_broken_files_are_refused_naming_card_and_line(name, card, line, says):
    with pytest.raises(VCardError) as error:
        _read(name)
    assert error.value.card == card
    assert error.value.line == line
    assert says in str(error.value)
    if card is not None:
        assert str(error.value).startswith(f"Card {card} (“Ben Okafor”), line {line}:")


@pytest.mark.parametrize(("text", "says"), [
    ("", "no contact cards"),
    ("\n\n  \n", "no contact cards"),
    ("BEGIN:VCARD\nFN:A\nEND:VCARD\nhello\n", "after card 1"),
    ("END:VCARD\n", "should start with BEGIN:VCARD"),
    ("BEGIN:VCARD\nFN:A\x00\nEND:VCARD\n", "binary"),
])
def test_other_malformed_text(text, says):
    with pytest.raises(VCardError, match=says):
        read_vcards(text, region="US")


# ---- Fuzzing


_GOOD = (HERE / "google_30.vcf").read_text(encoding="utf-8")
_PIECES = [*":;=,\\\r\n \t\"é\x00", "BEGIN:VCARD", "END:VCARD", "=C3", "=\r\n",
           "ENCODING=QUOTED-PRINTABLE", "CHARSET=x-nope", "item1.", "TYPE=", "VERSION:4.0",
           "ENCODING=b:", "TEL:", "N:;;;;;;;;", "ADR:;;;;;;;;;"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    try:
        cards = read_vcards(data, region="US")
    except VCardError as exc:
        assert str(exc)
        return
    assert all(c.number >= 1 for c in cards)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_real_file_is_read_or_refused_with_a_place(data):
    text = _GOOD
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 20))
        junk = data.draw(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join))
        text = text[:at] + junk + text[at + cut:]
    try:
        cards = read_vcards(text, region="US")
    except VCardError as exc:
        assert exc.line is not None or "no contact cards" in str(exc) or "binary" in str(exc)
        return
    for card in cards:
        assert isinstance(card.problems, dict)


# ---- Import plan


def test_plan_skips_duplicates_and_repeats_and_adds_the_rest():
    existing = [replace(FULL, id=7)]
    text = write_vcards([
        FULL,  # already there: same name and number
        Contact(name="Dr. Ada Lee, MD", phones=(Phone(PhoneKind.OFFICE, "+13125550100"),)),
        Contact(name="Ben Okafor"),
        Contact(name="Ben Okafor"),  # the same card twice in the file
    ]) + "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"
    rows = plan_import(read_vcards(text, region="US"), existing)
    assert [r.action for r in rows] == [ImportAction.SKIP, ImportAction.ADD, ImportAction.ADD,
                                        ImportAction.SKIP, ImportAction.SKIP]
    assert "Already in the care team" in rows[0].note()
    assert "Same name" in rows[1].note()
    assert rows[3].note() == "Same as card 3 in this file"
    assert rows[4].note() == "Empty card"


def test_merging_two_cards_into_one_contact_keeps_both():
    existing = Contact(name="Ben", phones=(Phone(PhoneKind.OFFICE, "+13125550150"),), id=3)
    text = write_vcards([
        Contact(name="Ben", phones=(Phone(PhoneKind.OFFICE, "+13125550150"),
                                    Phone(PhoneKind.MOBILE, "+13125550151"))),
        Contact(name="Ben", phones=(Phone(PhoneKind.OFFICE, "+13125550150"),),
                email="ben@example.org"),
    ])
    rows = [replace(r, action=ImportAction.MERGE)
            for r in plan_import(read_vcards(text, region="US"), [existing])]
    [merged] = contacts_to_save(rows)
    assert merged.id == 3
    assert len(merged.phones) == 2 and merged.email == "ben@example.org"


def test_rows_that_need_fixing_block_the_import():
    [card] = read_vcards("BEGIN:VCARD\nFN:A\nTEL:12\nEND:VCARD\n", region="US")
    rows = plan_import([card], [])
    assert rows[0].blocked
    with pytest.raises(ValueError, match="card 1"):
        contacts_to_save(rows)
    assert contacts_to_save([replace(rows[0], action=ImportAction.SKIP)]) == []
