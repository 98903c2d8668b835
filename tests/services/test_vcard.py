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


@pytest.mark.parametrize(("name", "line", "says"), [
    ("broken_unclosed.vcf", 6, "END:VCARD is missing"),
    ("broken_line.vcf", 9, "this line cannot be read"),
    ("broken_charset.vcf", 8, "encoding"),
])
def test_an_unreadable_card_is_marked_with_its_line_and_the_others_are_read(name, line, says):
    ana, ben = _read(name)
    assert ana.contact.name == "Ana Souza" and not ana.unreadable
    assert (ben.number, ben.contact.name, ben.unreadable_line) == (2, "Ben Okafor", line)
    assert says in ben.unreadable and ben.contact.phones == ()
    rows = plan_import([ana, ben], [])
    assert [r.action for r in rows] == [ImportAction.ADD, ImportAction.SKIP]
    assert rows[1].note().startswith(f"Cannot be read, left out: Line {line}: ")
    assert not rows[1].blocked  # it stops nothing: the rest can be imported
    assert [c.name for c in contacts_to_save(rows)] == ["Ana Souza"]


@pytest.mark.parametrize(("text", "line", "says"), [
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okafor\r\nTEL 312\r\nEND:VCARD\r\n", 4,
     "this line cannot be read"),
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okafor\r\n", 1, "END:VCARD is missing"),
])
def test_a_file_whose_only_card_cannot_be_read_is_refused_naming_card_and_line(text, line,
                                                                                says):
    with pytest.raises(VCardError) as error:
        read_vcards(text, region="US")
    assert (error.value.card, error.value.line) == (1, line)
    assert says in str(error.value)
    assert str(error.value).startswith(f"Card 1 (“Ben Okafor”), line {line}:")


def test_a_file_that_is_not_a_vcard_is_refused():
    with pytest.raises(VCardError) as error:
        _read("not_a_vcard.vcf")
    assert (error.value.card, error.value.line) == (None, 1)
    assert "not a vCard file" in str(error.value)


@pytest.mark.parametrize(("text", "says"), [
    ("", "no contact cards"),
    ("\n\n  \n", "no contact cards"),
    ("END:VCARD\n", "should start with BEGIN:VCARD"),
    ("BEGIN:VCARD\nFN:A\x00\nEND:VCARD\n", "binary"),
])
def test_other_malformed_text(text, says):
    with pytest.raises(VCardError, match=says):
        read_vcards(text, region="US")


def test_text_outside_any_card_is_shown_as_left_out_and_the_cards_are_read():
    text = ("BEGIN:VCARD\nFN:Ana\nEND:VCARD\nhello\nworld\n\n"
            "BEGIN:VCARD\nFN:Ben\nEND:VCARD\nEND:VCARD\n")
    ana, junk, ben, stray = read_vcards(text, region="US")
    assert (ana.contact.name, ben.contact.name, ben.number) == ("Ana", "Ben", 2)
    assert (junk.number, junk.unreadable_line) == (0, 4)
    assert junk.unreadable.startswith("lines 4 to 5 are outside any card")
    assert stray.unreadable.startswith("line 10 is outside any card")
    rows = plan_import([ana, junk, ben, stray], [])
    assert [r.action for r in rows] == [ImportAction.ADD, ImportAction.SKIP,
                                        ImportAction.ADD, ImportAction.SKIP]
    assert rows[1].note().startswith("Not a card, left out: Line 4: lines 4 to 5")


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
        assert not card.unreadable or (card.unreadable_line >= 1 and not card.problems)


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


# ---- A phone's whole address book


def _phone_book(count: int, *, name=lambda i: f"Person {i}") -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name(i)}\r\n"
        f"TEL;TYPE=CELL:+1 312 555 {i % 10000:04d}\r\nEND:VCARD\r\n" for i in range(count))


@pytest.mark.parametrize("name", [
    lambda i: f"Person {i}",  # every name different
    lambda i: "Mom",  # every card the same name, with a different number each
])
def test_planning_an_import_is_linear_in_the_number_of_cards(monkeypatch, name):
    """Each card is looked up, not compared with every contact and every earlier card:
    the names compared grow with cards + contacts, not with their product."""
    from caregiver_app.domain import contacts as contacts_module

    cards = read_vcards(_phone_book(600, name=name), region="US")
    team = [Contact(f"Team member {i}", phones=(Phone(PhoneKind.OFFICE, f"+1212555{i:04d}"),),
                    id=i + 1) for i in range(200)]
    calls = []
    real = contacts_module._name_key
    monkeypatch.setattr(contacts_module, "_name_key", lambda n: calls.append(n) or real(n))
    rows = plan_import(cards, team)
    assert len(rows) == 600
    assert len(calls) <= 3 * (len(cards) + len(team))  # was ~2 x 600 x (200 + 300)


def test_planning_finds_repeats_and_duplicates_among_many_cards():
    text = _phone_book(3000) + _phone_book(2)  # the first two cards again at the end
    existing = [Contact("Person 5", phones=(Phone(PhoneKind.MOBILE, "+13125550005"),), id=1)]
    rows = plan_import(read_vcards(text, region="US"), existing)
    assert rows[5].action is ImportAction.SKIP and "Already in the care team" in rows[5].note()
    assert [r.note() for r in rows[-2:]] == ["Same as card 1 in this file",
                                            "Same as card 2 in this file"]
    assert sum(r.action is ImportAction.ADD for r in rows) == 2999


def test_reading_reports_progress_and_can_be_cancelled():
    from caregiver_app.services.vcard import ImportCancelled

    seen = []
    read_vcards(_phone_book(5), region="US", progress=lambda done, total: seen.append(
        (done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    asked = []
    with pytest.raises(ImportCancelled):
        read_vcards(_phone_book(5), region="US",
                    cancelled=lambda: asked.append(1) or len(asked) > 2)
    with pytest.raises(ImportCancelled):
        plan_import(read_vcards(_phone_book(5), region="US"), [], cancelled=lambda: True)


# ---- Duplicates: titles, credentials and shared numbers


def test_a_name_with_credentials_and_the_same_number_is_already_on_the_team():
    existing = [Contact("Dr. Ada Lee", Role.NEUROLOGIST,
                        phones=(Phone(PhoneKind.OFFICE, "+13125550142"),), id=7)]
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ada;;Dr.;MD\r\nFN:Dr. Ada Lee MD\r\n"
            "TEL;type=WORK:(312) 555-0142\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nTEL;type=CELL:(312) 555-0142\r\n"
            "END:VCARD\r\n")
    apple, nickname = plan_import(read_vcards(text, region="US"), existing)
    assert apple.action is ImportAction.SKIP
    assert apple.note() == "Already in the care team as “Dr. Ada Lee”"
    # another name with her number: flagged, offered for merging, not merged by itself
    assert nickname.action is ImportAction.ADD
    assert nickname.note() == "Same phone number as “Dr. Ada Lee”"
    assert nickname.match.existing.id == 7


# ---- Photos and other parts the app never uses


def _photo(size: int) -> str:
    import base64

    data = base64.b64encode(bytes(range(256)) * (size // 256 + 1))[:size].decode()
    return "\r\n ".join(data[i:i + 74] for i in range(0, len(data), 74))


def test_photos_are_left_out_before_parsing(monkeypatch):
    """A 3 MB photo costs nothing: vobject never sees it (it used to take a minute for
    10 MB, as unfolding its lines takes time growing with the square of the length)."""
    import vobject

    parsed = []
    real = vobject.readComponents
    monkeypatch.setattr(vobject, "readComponents",
                        lambda text, **kw: parsed.append(len(text)) or real(text, **kw))
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Photo Person\r\nTEL:+13125550142\r\n"
            f"PHOTO;ENCODING=b;TYPE=JPEG:{_photo(3_000_000)}\r\n"
            "item1.LOGO;ENCODING=b:AAAA\r\n BBBB\r\nNOTE:after the photo\r\nEND:VCARD\r\n")
    [card] = read_vcards(text, region="US")
    assert card.contact.name == "Photo Person"
    assert card.contact.notes == "after the photo"
    assert parsed and max(parsed) < 500


def test_a_damaged_photo_does_not_refuse_the_file():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:First\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Second\r\nTEL:+13125550142\r\n"
            "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
            " ofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDLx\r\n"  # 77 characters
            "END:VCARD\r\n")
    # it used to refuse the file: 'Card 2 ("Second"), line 5: this card cannot be read
    # (decoding with 'base64' codec failed …)', naming the BEGIN line in technical words
    assert [c.contact.name for c in read_vcards(text, region="US")] == ["First", "Second"]


def test_a_bad_line_after_a_photo_is_named_by_its_own_line():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:First\r\nEND:VCARD\r\n"  # lines 1-4
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Second\r\n"  # 5-7
            "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n AAAA\r\n BBBB\r\n"  # 8-10
            "NOTE:folded\r\n  on two lines\r\n"  # 11-12
            "TEL 312 555 0151\r\nEND:VCARD\r\n")  # 13
    first, second = read_vcards(text, region="US")
    assert first.contact.name == "First"
    assert (second.number, second.contact.name, second.unreadable_line) == (2, "Second", 13)
    assert second.unreadable.startswith("this line cannot be read")


def test_a_vcard_2_1_photo_ends_at_the_blank_line():
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Droid\r\n"
            "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgAB\r\nAAAQABAAD/2wBD\r\n  ZZZZ==\r\n\r\n"
            "TEL;CELL:+13125550142\r\nEND:VCARD\r\n")
    [card] = read_vcards(text, region="US")
    assert card.contact.phones == (Phone(PhoneKind.MOBILE, "+13125550142"),)


def test_a_huge_card_without_a_photo_is_refused_by_name():
    note = "x" * 70
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge\r\n"
            + "".join(f"NOTE:{note}\r\n" for _ in range(5000)) + "END:VCARD\r\n")
    ana, huge = read_vcards(text, region="US")
    assert ana.contact.name == "Ana"
    assert (huge.number, huge.contact.name, huge.unreadable_line) == (2, "Huge", 5)
    assert "too large" in huge.unreadable


# ---- Encodings, end-of-file bytes and nested cards


def test_each_card_is_decoded_on_its_own():
    from caregiver_app.services.vcard import FALLBACK_WARNING

    utf8 = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José Núñez\r\nEND:VCARD\r\n".encode()
    windows = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Zoë Brennan\r\nEND:VCARD\r\n".encode("cp1252")
    cards = read_vcards(utf8 + windows + utf8, region="US")
    assert [c.contact.name for c in cards] == ["José Núñez", "Zoë Brennan", "José Núñez"]
    assert [c.warnings for c in cards] == [(), (FALLBACK_WARNING,), ()]
    assert "check the name" in FALLBACK_WARNING.short


def test_a_dos_end_of_file_byte_is_ignored():
    data = (HERE / "google_30.vcf").read_bytes() + b"\x1a"
    [card] = read_vcards(data, region="US")
    assert card.contact.name == "Ana Souza"
    assert read_vcards(data + b"\x00\r\n\x1a\x1a", region="US")[0].contact.name == "Ana Souza"


def test_a_card_nested_inside_another_is_left_out_and_said():
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Dr. Ada Lee\r\nAGENT:\r\n"
            "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Assistant Ann\r\nTEL:+13125550143\r\n"
            "END:VCARD\r\nTEL;WORK:+13125550142\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ben\r\nEND:VCARD\r\n")
    lee, ben = read_vcards(text, region="US")
    assert lee.contact.phones == (Phone(PhoneKind.OFFICE, "+13125550142"),)
    [warning] = lee.warnings
    assert "Assistant Ann" in warning.text and "not imported" in warning.text
    assert ben.number == 2 and ben.warnings == ()


def test_a_card_without_its_end_is_marked_and_the_next_card_is_read():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben\r\nEND:VCARD\r\n")
    ana, ben = read_vcards(text, region="US")
    assert (ana.number, ana.contact.name, ana.unreadable_line) == (1, "Ana", 1)
    assert "END:VCARD is missing before line 4" in ana.unreadable
    assert (ben.number, ben.contact.name, ben.unreadable) == (2, "Ben", "")


def test_commas_in_a_text_value_are_kept():
    """vCard 2.1 never escapes commas, and many writers forget to: vobject would keep
    only what comes before the first one."""
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Lee, Ada\r\nNOTE:Comes Tuesdays, Thursdays\r\n"
            "TITLE:Nurse, ALS clinic\r\nADR;WORK:;;12 Main St, Suite 4;Springfield;IL;62701\r\n"
            "TEL;WORK:+1 312 555 0142,12\r\nEND:VCARD\r\n")
    c = read_vcards(text, region="US")[0].contact
    assert c.name == "Lee, Ada"
    assert c.notes == "Comes Tuesdays, Thursdays"
    assert c.role_other == "Nurse, ALS clinic"
    assert c.address.startswith("12 Main St, Suite 4\n")
    assert c.phones == (Phone(PhoneKind.OFFICE, "+13125550142", "12"),)


def test_google_s_escaped_web_address_is_stored_as_written():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nURL:http\\://www.example.org/a\\,b\r\n"
            "item2.URL:https\\://mychart.example.org/lakeside\r\nEND:VCARD\r\n")
    c = read_vcards(text, region="US")[0].contact
    assert c.portal_url == "https://mychart.example.org/lakeside"
    assert c.notes == "Website: http://www.example.org/a,b"


# ---- Export for phones


def test_export_writes_extensions_a_dialler_can_dial_and_a_label_for_the_address():
    text = write_vcards([FULL])
    lines = text.replace("\r\n ", "").split("\r\n")
    tel = next(line for line in lines if "KIND=office" in line)
    # the comma is the dialler's pause, escaped: readers that take a bare comma for a list
    # separator (vobject: Radicale, khard) would drop the extension
    assert tel.endswith(":+1 312-555-0142\\,12")
    assert "ext" not in tel
    assert "ADR;TYPE=WORK:;;200 Lake Street\\, 3rd floor\\nSpringfield\\, IL 62701;;;;" in lines
    assert "LABEL;TYPE=WORK:200 Lake Street\\, 3rd floor\\nSpringfield\\, IL 62701" in lines
    [back] = read_vcards(text, region="US")
    assert back.contact.phones[0] == Phone(PhoneKind.OFFICE, "+13125550142", "12")
    assert back.contact.address == FULL.address


# ---- Merged results are checked before anything is saved


def test_a_merge_that_would_not_fit_needs_fixing_and_says_which_numbers():
    from caregiver_app.domain.contacts import MAX_PHONES, MAX_TEXT
    from caregiver_app.services.vcard import check_merges

    numbers = tuple(Phone(PhoneKind.OFFICE, f"+1312555{100 + i:04d}")
                    for i in range(MAX_PHONES - 1))
    existing = Contact("Ben", phones=numbers, notes="n" * (MAX_TEXT - 10), id=3)
    text = write_vcards([
        Contact("Ben", phones=(numbers[0], Phone(PhoneKind.MOBILE, "+13125550190"),
                               Phone(PhoneKind.MOBILE, "+13125550191"),
                               Phone(PhoneKind.MOBILE, "+13125550192"))),
        Contact("Ben", phones=(numbers[0],), notes="Works Tuesdays and Thursdays."),
    ])
    rows = [replace(r, action=ImportAction.MERGE)
            for r in plan_import(read_vcards(text, region="US"), [existing])]
    checked = check_merges(rows, region="US")
    assert all(r.blocked for r in checked)
    phones = checked[0].problems["phones"]
    assert "(312) 555-0191, (312) 555-0192" in phones and "would not fit" in phones
    assert "(312) 555-0190" not in phones  # the tenth number fits
    assert "4,000" in checked[1].problems["notes"]
    with pytest.raises(ValueError, match="card 1"):
        contacts_to_save(checked)
    # added as new contacts instead, both are fine
    assert not any(r.blocked for r in check_merges(
        [replace(r, action=ImportAction.ADD) for r in rows], region="US"))
