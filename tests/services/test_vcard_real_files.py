"""vCard files written by real phones and programs (``vcards/real/``, from ez-vcard and
Android's own vCard tests), read the way the caregiver's import reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from caregiver_app.domain.contacts import Role
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.vcard import (
    FALLBACK_WARNING,
    ImportAction,
    plan_import,
    read_vcard_file,
    read_vcards,
)

REAL = Path(__file__).resolve().parent / "vcards" / "real"


def _read(name: str, region: str | None = "US"):
    return read_vcard_file(REAL / name, region=region)


# (file, cards in it, numbers of the cards that cannot be read)
EVERY_FILE = [
    ("android/v21_adr_multiple_line.vcf", 1, []),
    ("android/v21_backslash.vcf", 1, []),
    ("android/v21_complicated.vcf", 1, []),
    ("android/v21_invalid_comment_line.vcf", 1, []),
    ("android/v21_japanese_1.vcf", 1, []),
    ("android/v21_japanese_2.vcf", 1, []),
    ("android/v21_japanese_3.vcf", 1, []),
    ("android/v21_multiple_entry.vcf", 3, []),
    ("android/v21_nest.vcf", 3, []),
    ("android/v21_sip.vcf", 1, []),
    ("android/v21_winmo_65.vcf", 1, []),
    ("android/v30_ios_613_multiline.vcf", 1, []),
    ("android/v30_japanese.vcf", 1, []),
    ("android/v30_sip.vcf", 1, []),
    ("android/v40_sip.vcf", 1, []),
    ("ez-vcard/John_Doe_ANDROID.vcf", 6, [6]),  # a stray =80 in card 6
    ("ez-vcard/John_Doe_BLACK_BERRY.vcf", 1, []),
    ("ez-vcard/John_Doe_EVOLUTION.vcf", 1, []),
    ("ez-vcard/John_Doe_GMAIL.vcf", 1, []),
    ("ez-vcard/John_Doe_IPHONE.vcf", 1, []),
    ("ez-vcard/John_Doe_LOTUS_NOTES.vcf", 1, []),
    ("ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf", 1, []),
    ("ez-vcard/John_Doe_MS_OUTLOOK.vcf", 1, []),
    ("ez-vcard/outlook-2007.vcf", 1, []),
    ("ez-vcard/rfc6350-example.vcf", 1, []),
]


def test_every_real_file_is_in_the_sweep():
    on_disk = sorted(str(p.relative_to(REAL)) for p in REAL.glob("*/*.vcf"))
    assert on_disk == sorted(name for name, _, _ in EVERY_FILE)
    assert sum(count for _, count, _ in EVERY_FILE) == 34


@pytest.mark.parametrize(("name", "count", "unreadable"), EVERY_FILE)
def test_every_card_that_can_be_read_is_read(name, count, unreadable):
    cards = _read(name)
    assert [c.number for c in cards] == list(range(1, count + 1))
    assert [c.number for c in cards if c.unreadable] == unreadable
    for card in cards:
        if card.unreadable:
            assert card.unreadable_line > card.line and card.unreadable.endswith(".")
        else:
            assert card.contact.name  # every readable card has a name to show
            assert FALLBACK_WARNING not in card.warnings  # each charset was honoured


# ---- Item 4: iPhones


@pytest.mark.parametrize("name", ["ez-vcard/John_Doe_IPHONE.vcf",
                                  "android/v30_ios_613_multiline.vcf"])
def test_iphone_cards_with_cr_cr_lf_line_ends_and_a_photo_are_read(name):
    """iOS 5 and 6 ended every line with CR CR LF: the blank line this seems to put in
    the middle of the folded photo used to stop the reader."""
    assert b"\r\r\n" in (REAL / name).read_bytes()
    [card] = _read(name)
    assert not card.unreadable and "photo" in card.left_out
    assert card.contact.phones  # what follows the photo is read too


def test_the_iphone_card_keeps_every_number_and_address_and_says_what_is_left_out():
    [card] = _read("ez-vcard/John_Doe_IPHONE.vcf")
    c = card.contact
    assert c.name == "Mr. John Richter James Doe Sr."
    assert c.organisation == "IBM, Accounting" and c.role_other == "Money Counter"
    assert [p.number for p in c.phones[:3]] == ["+19055551234", "+19056661234",
                                                "+19057771234"]
    assert c.address == "Silicon Alley 5\nNew York, New York 12345\nUnited States of America"
    assert "Other address: Street4, Building 6, Floor 8, New York, 12345, USA" in c.notes
    assert card.left_out == ("photo", "nickname", "birthday")


def test_a_blank_line_inside_a_folded_photo_does_not_end_it():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n"
            " AAAA\r\n\r\n BBBB\r\n\r\n CCCC\r\nTEL;TYPE=CELL:+1 312 555 0142\r\nEND:VCARD\r\n")
    [card] = read_vcards(text, region="US")
    assert card.contact.phones == (Phone(PhoneKind.MOBILE, "+13125550142"),)
    assert card.left_out == ("photo",)


# ---- Item 5: one bad byte


def test_one_stray_byte_marks_its_card_and_the_five_others_import():
    cards = _read("ez-vcard/John_Doe_ANDROID.vcf")
    bad = cards[5]
    assert (bad.number, bad.line, bad.unreadable_line) == (6, 71, 81)
    assert bad.contact.name == "ÑÑÑÑ"  # quoted-printable, decoded for the preview
    assert bad.unreadable == "this line's text is not in the encoding the file says it is."
    rows = plan_import(cards, [])
    assert [r.action for r in rows] == [ImportAction.ADD] * 5 + [ImportAction.SKIP]
    assert rows[5].note() == ("Cannot be read, left out: Line 81: this line's text is not in "
                              "the encoding the file says it is.")


# ---- Item 6: Lotus Notes


def test_a_vcard_3_profile_line_is_read_as_the_valid_line_it_is():
    [card] = _read("ez-vcard/John_Doe_LOTUS_NOTES.vcf")
    assert b"PROFILE:VCard" in (REAL / "ez-vcard/John_Doe_LOTUS_NOTES.vcf").read_bytes()
    c = card.contact
    assert not card.unreadable
    assert (c.name, c.organisation, c.email) == ("Mr. Doe John I Johny", "IBM, SUN",
                                                 "john.doe@ibm.com")
    assert "Other email: billy_bob@gmail.com" in c.notes


# ---- Item 7: declared charsets


@pytest.mark.parametrize(("name", "expected"), [
    ("android/v21_japanese_1.vcf", "安藤ロイド"),
    ("android/v21_japanese_2.vcf", "安藤 ロイド 1"),
    ("android/v21_japanese_3.vcf", "伊能 圭一 伊予"),
    ("android/v30_japanese.vcf", "伊能 圭一 伊予"),
])
def test_shift_jis_names_are_read_in_their_declared_charset(name, expected):
    [card] = _read(name, region="JP")
    assert card.contact.name == expected
    assert card.warnings == ()


def test_every_property_of_a_shift_jis_card_is_read_in_its_charset():
    [card] = _read("android/v21_japanese_2.vcf", region="JP")
    # plain 8-bit names and quoted-printable address and note alike
    assert card.contact.address == "東京都渋谷区桜丘町26-1セルリアンタワー6階\n150-8512"
    assert card.contact.notes == "メモ"


def test_a_declared_latin_charset_is_honoured_and_utf8_stays_utf8():
    data = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:Müller;Jürgen\r\n".encode()
            .replace("ü".encode(), "ü".encode("latin-1"))
            + "NOTE:Grüße\r\nEND:VCARD\r\n".encode())
    [card] = read_vcards(data, region="DE")
    assert card.contact.name == "Jürgen Müller"
    assert card.contact.notes == "Grüße"
    assert card.warnings == ()


# ---- Item 8: what Android's reader accepts


def test_a_card_nested_in_another_is_read_as_a_card_of_its_own_as_android_does():
    parent, first, second = _read("android/v21_nest.vcf")
    assert [c.contact.name for c in (parent, first, second)] == ["parent", "nest1", "nest2"]
    assert [c.line for c in (parent, first, second)] == [1, 4, 8]
    assert [p.number for p in parent.contact.phones] == ["1"]  # after the nested cards


def test_comment_lines_are_ignored_but_not_inside_a_quoted_printable_note():
    [card] = _read("android/v21_invalid_comment_line.vcf")
    assert card.contact.name == "Conference Call"
    assert card.contact.notes == ("This is an (sharp ->#<- sharp) example. This message must "
                                  "NOT be ignored.")


def test_an_address_continued_after_a_backslash_is_read_whole():
    [card] = _read("android/v21_adr_multiple_line.vcf")
    assert card.contact.address == "Grindelberg 999\nHamburg, 99999\nDeutschland"
    assert ("Other address: Hermann v. Brevern, 9999999, Packstation 999, Hamburg, 99999, "
            "Deutschland") in card.contact.notes
    assert card.left_out == ("birthday",)


def test_a_vcard_2_1_address_over_several_lines_is_joined_as_android_does():
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Lee\r\nADR;WORK:;;12 Main St\r\nSuite 4;"
            "Springfield;IL;62701\r\nEND:VCARD\r\n")
    [card] = read_vcards(text, region="US")
    assert card.contact.address == "12 Main St Suite 4\nSpringfield, IL 62701"


# ---- Item 9: every value kept or shown


@pytest.mark.parametrize(("name", "sip", "numbers"), [
    ("android/v21_sip.vcf", "888, sip:90-180-360", []),
    ("android/v30_sip.vcf", "sip:android@android.example.com", []),
    ("android/v40_sip.vcf", "sip:example@example.com", ["1"]),  # and TEL:tel:1
])
def test_sip_addresses_are_kept_in_the_notes_not_taken_for_phone_numbers(name, sip,
                                                                         numbers):
    [card] = _read(name)
    assert [p.number for p in card.contact.phones] == numbers
    assert card.contact.notes == f"Internet calling (SIP): {sip}"


def test_every_note_and_address_is_kept():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Souza\r\nNOTE:Comes on Tuesdays.\r\n"
            "NOTE:Knows the stretching plan.\r\nNOTE:Comes on Tuesdays.\r\n"
            "ADR;TYPE=HOME:;;1 Elm St;Springfield;IL;62701;\r\n"
            "ADR;TYPE=WORK,PREF:;;200 Lake St;Springfield;IL;62701;\r\n"
            "LABEL;TYPE=WORK:200 Lake St\\nSpringfield\\, IL 62701\r\n"
            "LABEL;TYPE=OTHER:PO Box 7\\nSpringfield\r\nEND:VCARD\r\n")
    [card] = read_vcards(text, region="US")
    c = card.contact
    assert c.address == "200 Lake St\nSpringfield, IL 62701"  # the preferred one
    assert c.notes == ("Comes on Tuesdays.\n\nKnows the stretching plan.\n"
                       "Other address: 1 Elm St, Springfield, IL 62701\n"
                       "Other address: PO Box 7, Springfield")


# ---- Item 10: roles


def test_roles_are_not_guessed_from_names_of_people_or_places():
    text = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{extra}END:VCARD\r\n"
        for name, extra in [("Kim Gi-hun", ""), ("Son Heung-min", ""),
                            ("Front desk", "ORG:Salt Lake Regional\r\n"),
                            ("Given Family", ""),
                            ("Hannah Kim\\, CCC-SLP", ""),
                            ("Front desk", "ORG:Walgreens Pharmacy\r\n"),
                            ("Dr. Chidi Okafor", "TITLE:Neurologist\r\n"),
                            ("Rosa", "NOTE:Our hospice nurse.\r\n")])
    cards = read_vcards(text, region="US")
    assert [(c.contact.role, c.role_guessed) for c in cards] == [
        (Role.OTHER, True), (Role.OTHER, True), (Role.OTHER, True), (Role.OTHER, True),
        (Role.SPEECH_LANGUAGE, True), (Role.PHARMACY, True), (Role.NEUROLOGIST, True),
        (Role.PALLIATIVE, True)]
