"""The care team as the family's address book (CardDAV), both ways, against a real server
(Radicale, started by the test) and a "phone" that is an independent CardDAV client:
plain WebDAV requests (``caldav.DAVClient``) and vCards edited with ``vobject``.

Nothing deleted on one side is deleted on the other without asking; the same field
changed on both sides waits for a person.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from carddav_phone import CardPhone
from medicine_builders import D0, at
from radicale_server import radicale  # noqa: F401  (the fixture)

from caregiver_app.core import open_core
from caregiver_app.domain.contact_sync import CardState, Side
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.patient import AllergyStatus, Patient
from caregiver_app.domain.phone_notes import note_lines
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.sharing import Action, ShareConfig
from caregiver_app.services.sharing.cards import CardSync
from caregiver_app.services.sharing.engine import ShareSync, sync_once
from caregiver_app.services.sharing.transport import Transport
from caregiver_app.storage.card_repo import CardRepository
from caregiver_app.storage.household_repo import HouseholdRepository
from caregiver_app.storage.sharing_repo import SharingRepository

PATEL = Contact("Dr. Maya Patel", role=Role.NEUROLOGIST, organisation="ALS Clinic",
                phones=(Phone(PhoneKind.OFFICE, "+13125550142"),),
                email="mpatel@clinic.example.org")
PHARMACY = Contact("Main Street Pharmacy", role=Role.PHARMACY,
                   phones=(Phone(PhoneKind.OFFICE, "+13125550199"),))


class Household:
    def __init__(self, folder, clock, server):
        self.core = open_core(folder, clock)
        self.server = server
        self.core.session.save_patient(Patient("Jane Doe",
                                               allergy_status=AllergyStatus.NONE_KNOWN,
                                               time_zone="America/New_York"))
        self.repo = SharingRepository(self.core.db)
        self.repo.save_config(ShareConfig(enabled=True, server=server.url, username="ana",
                                          confirmed=True))
        household = HouseholdRepository(self.core.db).household_id
        self.cards = CardSync(CardRepository(self.core.db), self.repo, self.core.careteam,
                              household)
        self.engine = ShareSync(self.repo, self.core.medications, self.core.patients,
                                self.core.careteam, household, cards=self.cards)

    @property
    def team(self):
        return self.core.careteam

    def named(self, name):
        [found] = [c for c in self.team.contacts() if c.name == name]
        return found

    def sync(self):
        with Transport(self.server.url, "ana", "ana-secret") as transport:
            return sync_once(self.engine, transport)

    def notes(self):
        return [n.message for n in self.repo.notes()]


@pytest.fixture
def home(qapp, tmp_path, fake_clock, radicale):  # noqa: F811
    fake_clock.set(at(D0, 7))
    household = Household(tmp_path / "jane", fake_clock, radicale)
    household.patel = household.team.save_contact(PATEL)
    household.pharmacy = household.team.save_contact(PHARMACY)
    yield household
    household.core.close()


@pytest.fixture
def phone(radicale):  # noqa: F811
    device = CardPhone(radicale)
    yield device
    device.close()


def _tel(card) -> list[str]:
    return [t.value for t in card.contents.get("tel", [])]


def test_the_care_team_goes_to_the_phones_as_an_address_book(home, phone):
    report = home.sync()
    cards = phone.cards()
    assert set(cards) == {"Dr. Maya Patel", "Main Street Pharmacy"}
    card = cards["Dr. Maya Patel"][1]
    assert card.email.value == "mpatel@clinic.example.org"
    assert _tel(card) == ["+1 312-555-0142"]
    assert report.sent == 0  # no tasks or events: nothing on the schedule
    # nothing changed: nothing sent, a handful of requests for the address book
    again = home.sync()
    assert again.requests <= 10
    assert phone.cards()["Dr. Maya Patel"][0] == cards["Dr. Maya Patel"][0]
    assert home.cards.outbox(home.cards.known()[0]) == []


def test_an_edit_in_the_app_goes_out_and_one_on_a_phone_comes_in(home, phone):
    home.sync()
    home.team.save_contact(Contact(**{**home.patel.__dict__, "email": "maya@clinic.example.org"}))
    home.sync()
    assert phone.cards()["Dr. Maya Patel"][1].email.value == "maya@clinic.example.org"

    phone.edit("Main Street Pharmacy", lambda c: setattr(c.tel, "value", "+1 312 555 0100"))
    home.sync()
    pharmacy = home.named("Main Street Pharmacy")
    assert [p.number for p in pharmacy.phones] == ["+13125550100"]
    assert pharmacy.role is Role.PHARMACY  # the app's own fields are kept
    assert home.notes() == []


def test_different_fields_changed_on_both_sides_are_merged(home, phone):
    home.sync()
    # the phone changes the number; the app changes the email, before the next sync
    phone.edit("Dr. Maya Patel", lambda c: setattr(c.tel, "value", "+1 312 555 0111"))
    home.team.save_contact(Contact(**{**home.patel.__dict__, "email": "maya@clinic.example.org"}))
    home.sync()
    patel = home.named("Dr. Maya Patel")
    assert [p.number for p in patel.phones] == ["+13125550111"]
    assert patel.email == "maya@clinic.example.org"
    card = phone.cards()["Dr. Maya Patel"][1]
    assert card.email.value == "maya@clinic.example.org"
    assert _tel(card) == ["+1 312-555-0111"]
    assert home.cards.waiting() == []


def test_the_same_field_changed_on_both_sides_waits_for_a_person(home, phone):
    home.sync()
    phone.edit("Dr. Maya Patel", lambda c: setattr(c.email, "value", "phone@example.org"))
    home.team.save_contact(Contact(**{**home.patel.__dict__, "email": "app@example.org",
                                      "organisation": "ALS Center"}))
    home.sync()
    # nothing moved either way
    assert home.named("Dr. Maya Patel").email == "app@example.org"
    assert phone.cards()["Dr. Maya Patel"][1].email.value == "phone@example.org"
    [waiting] = home.cards.waiting()
    assert waiting.card.state is CardState.CONFLICT
    assert [(f.label, f.here, f.there) for f in waiting.fields] == [
        ("Email", "app@example.org", "phone@example.org")]
    assert "same field" in home.notes()[-1]
    # the person keeps the phone's email; the app's other change still goes out
    home.cards.settle_fields(waiting.card.uid, {"email": Side.THERE})
    home.sync()
    patel = home.named("Dr. Maya Patel")
    assert (patel.email, patel.organisation) == ("phone@example.org", "ALS Center")
    card = phone.cards()["Dr. Maya Patel"][1]
    assert card.email.value == "phone@example.org" and card.org.value == ["ALS Center"]
    assert home.cards.waiting() == []


def test_a_choice_made_on_versions_changed_since_keeps_nothing_and_says_so(home, phone):
    home.sync()
    phone.edit("Dr. Maya Patel", lambda c: setattr(c.email, "value", "phone@example.org"))
    home.team.save_contact(Contact(**{**home.patel.__dict__, "email": "app@example.org"}))
    home.sync()
    [waiting] = home.cards.waiting()  # the person looks at the email...
    # ...while the organisation is changed on both sides and a sync brings it in
    phone.edit("Dr. Maya Patel", lambda c: setattr(c.org, "value", ["Phone Clinic"]))
    home.team.save_contact(replace(home.named("Dr. Maya Patel"), organisation="App Clinic"))
    home.sync()
    with pytest.raises(ValidationError) as raised:
        home.cards.settle_fields(waiting.card.uid, {"email": Side.THERE})
    assert "changed again while you chose" in raised.value.errors["changed"]
    patel = home.named("Dr. Maya Patel")
    assert (patel.email, patel.organisation) == ("app@example.org", "App Clinic")
    [again] = home.cards.waiting()
    assert [f.label for f in again.fields] == ["Organisation", "Email"]


def _add_tel(number: str, kind: str):
    def change(card):
        tel = card.add("tel")
        tel.value = number
        tel.type_param = kind
    return change


def test_a_number_added_on_a_phone_and_another_added_here_are_both_kept(home, phone):
    home.sync()
    phone.edit("Dr. Maya Patel", _add_tel("+1 312 555 0177", "CELL"))
    home.team.save_contact(Contact(**{**home.patel.__dict__, "phones": (
        *home.patel.phones, Phone(PhoneKind.HOME, "+13125550188"))}))
    home.sync()
    patel = home.named("Dr. Maya Patel")
    assert [(p.kind, p.number) for p in patel.phones] == [
        (PhoneKind.OFFICE, "+13125550142"), (PhoneKind.HOME, "+13125550188"),
        (PhoneKind.MOBILE, "+13125550177")]
    assert home.cards.waiting() == [] and home.notes() == []
    assert sorted(_tel(phone.cards()["Dr. Maya Patel"][1])) == [
        "+1 312-555-0142", "+1 312-555-0177", "+1 312-555-0188"]


def test_numbers_added_on_both_sides_past_the_limit_wait_for_a_person(home, phone):
    """Five numbers added on the phone and five here: eleven together, more than a
    contact keeps. Nothing moves either way (the app's version is not sent back over
    the phone's); the person chooses a list in Settle contacts, and it goes to both."""
    home.sync()

    def five_on_the_phone(card):
        for n in range(5):
            _add_tel(f"+1 312 555 02{n:02d}", "HOME")(card)

    phone.edit("Dr. Maya Patel", five_on_the_phone)
    ours = (*home.patel.phones,
            *(Phone(PhoneKind.MOBILE, f"+131255501{n:02d}") for n in range(5)))
    home.team.save_contact(Contact(**{**home.patel.__dict__, "phones": ours}))
    home.sync()
    assert home.named("Dr. Maya Patel").phones == ours  # nothing moved either way
    assert len(_tel(phone.cards()["Dr. Maya Patel"][1])) == 6
    assert home.notes() == [
        "“Dr. Maya Patel” was given new numbers here and on a phone, more than 10 "
        "together; choose which numbers to keep with “Settle this contact” in the "
        "phones' notes."]
    [waiting] = home.cards.waiting()
    assert waiting.question().startswith("“Dr. Maya Patel” was given new numbers here and "
                                         "on a phone: together more than the 10")
    [choice] = waiting.fields
    assert choice.field == "phones" and len(choice.there.splitlines()) == 6
    home.cards.settle_fields(waiting.card.uid, {"phones": Side.THERE})
    # the numbers not kept are in a note (only to read), not lost without a trace
    assert home.notes()[-1] == (
        "“Dr. Maya Patel”: one list of numbers was kept, so these were not: "
        + ", ".join(f"Mobile: (312) 555-01{n:02d} (here)" for n in range(5))
        + ". To keep one, add it by hand in the Care team tab, in place of one kept.")
    assert home.repo.notes()[-1].action is Action.NEWS
    home.sync()
    assert [p.number for p in home.named("Dr. Maya Patel").phones] == [
        "+13125550142", *(f"+131255502{n:02d}" for n in range(5))]
    # the phone keeps its own list, as it spelled it: the same numbers on both sides
    assert sorted("".join(c for c in tel if c.isdigit())
                  for tel in _tel(phone.cards()["Dr. Maya Patel"][1])) == [
        "13125550142", *(f"131255502{n:02d}" for n in range(5))]
    assert home.cards.waiting() == []


def test_the_same_number_edited_on_both_sides_waits_for_a_person(home, phone):
    home.sync()
    phone.edit("Dr. Maya Patel", lambda c: setattr(c.tel, "value", "+1 312 555 0144"))
    home.team.save_contact(Contact(**{**home.patel.__dict__, "phones": (
        Phone(PhoneKind.OFFICE, "+13125550143"), Phone(PhoneKind.FAX, "+13125550150"))}))
    home.sync()
    assert [p.number for p in home.named("Dr. Maya Patel").phones] == [
        "+13125550143", "+13125550150"]  # nothing moved either way
    [waiting] = home.cards.waiting()
    assert [(f.label, f.here, f.there) for f in waiting.fields] == [
        ("Phone number, was Office: (312) 555-0142", "Office: (312) 555-0143",
         "Office: (312) 555-0144")]
    home.cards.settle_fields(waiting.card.uid, {waiting.fields[0].field: Side.THERE})
    home.sync()
    # the phone's edit of that number, and the fax added here (touched on one side only)
    assert [p.number for p in home.named("Dr. Maya Patel").phones] == [
        "+13125550144", "+13125550150"]
    assert sorted(_tel(phone.cards()["Dr. Maya Patel"][1])) == [
        "+1 312-555-0144", "+1 312-555-0150"]
    assert home.cards.waiting() == []


def test_a_card_added_on_a_phone_comes_in_through_the_import_rules(home, phone):
    home.sync()
    phone.add("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Ana Lopez\r\n"
              "N:Lopez;Ana;;;\r\nTITLE:Physical therapist\r\nTEL;TYPE=CELL:312 555 0123\r\n"
              "END:VCARD\r\n", "ana.vcf")
    phone.add("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-2\r\nFN:Dr. Maya Patel\r\n"
              "TEL:+1 312 555 0142\r\nEND:VCARD\r\n", "patel-again.vcf")
    phone.add("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-3\r\nFN:Bad Email\r\n"
              "EMAIL:not an email\r\nEND:VCARD\r\n", "bad.vcf")
    report = home.sync()
    ana = home.named("Ana Lopez")
    assert ana.role is Role.PHYSICAL_THERAPIST  # guessed as an import guesses it
    assert [p.number for p in ana.phones] == ["+13125550123"]  # read in the US region
    assert len(home.team.contacts()) == 3  # Patel is not added twice; the bad card not
    notes = home.notes()
    assert any("“Dr. Maya Patel”, added on a phone, is already in the care team" in n
               for n in notes)
    assert any(n.startswith("“Bad Email”, added on a phone, was not added to the care "
                            "team: Email:") for n in notes)
    # Patel's note only tells: not flagged nor counted "to check"; the bad card's is
    flagged = {line.message.split(",")[0]: line.needs_a_person
               for line in note_lines(home.repo.notes(), {})}
    assert flagged == {"“Dr. Maya Patel”": False, "“Bad Email”": True}
    assert report.summary().endswith(", 1 to check in the app, 1 note only to read.")
    # Ana's card is now kept in step both ways, under the phone's own UID
    home.team.save_contact(Contact(**{**ana.__dict__, "email": "ana@example.org"}))
    home.sync()
    href, card = phone.cards()["Ana Lopez"]
    assert card.email.value == "ana@example.org"
    assert href.endswith("/ana.vcf") and card.uid.value == "phone-1"


def test_a_card_for_someone_on_the_team_with_new_details_asks_a_person(home, phone):
    """A phone's card for Dr. Patel with the team's office number plus a mobile number,
    an email and a note is not added twice, but what it adds is not dropped unseen:
    the note names it and asks a person (counted "to check"), not calm news."""
    home.sync()
    before = home.named("Dr. Maya Patel")
    phone.add("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-2\r\nFN:Dr. Maya Patel\r\n"
              "TEL:+1 312 555 0142\r\nTEL;TYPE=CELL:+1 312 555 0177\r\n"
              "EMAIL:maya@example.org\r\n"
              "NOTE:Call her cell after 6pm for the feeding tube\r\nEND:VCARD\r\n",
              "patel-more.vcf")
    report = home.sync()
    assert home.named("Dr. Maya Patel") == before  # nothing merged unseen
    [note] = report.noted
    assert note.action is Action.CONFLICT and report.to_check == [note]
    assert note.message == (
        "“Dr. Maya Patel”, added on a phone, is already in the care team, so it was not "
        "added twice; but the phone's card has a mobile number, a note and another email "
        "address the care team does not. Add them in the Care team tab if they are right.")
    [line] = note_lines(home.repo.notes(), {})
    assert line.needs_a_person


def test_a_card_deleted_on_a_phone_is_not_deleted_here_without_asking(home, phone):
    home.sync()
    phone.delete("Main Street Pharmacy")
    home.sync()
    assert home.named("Main Street Pharmacy")  # still in the care team
    [waiting] = home.cards.waiting()
    assert waiting.card.state is CardState.GONE_THERE
    assert waiting.question().startswith("“Main Street Pharmacy” was deleted from the "
                                         "family's address book on a phone.")
    # the person keeps it: it goes back on the phones
    home.cards.settle_gone(waiting.card.uid, remove=False)
    home.sync()
    assert "Main Street Pharmacy" in phone.cards()
    # deleted again; this time the person removes it from the care team (archived)
    phone.delete("Main Street Pharmacy")
    home.sync()
    [waiting] = home.cards.waiting()
    home.cards.settle_gone(waiting.card.uid, remove=True)
    assert [c.name for c in home.team.contacts()] == ["Dr. Maya Patel"]
    assert [c.name for c in home.team.archived_contacts()] == ["Main Street Pharmacy"]
    home.sync()
    assert set(phone.cards()) == {"Dr. Maya Patel"}


def test_a_contact_removed_here_stays_on_the_phones_until_a_person_says(home, phone):
    home.sync()
    home.team.remove_contact(home.pharmacy.id)
    home.sync()
    assert "Main Street Pharmacy" in phone.cards()
    [waiting] = home.cards.waiting()
    assert waiting.card.state is CardState.GONE_HERE
    assert waiting.name == "Main Street Pharmacy"
    home.cards.settle_gone(waiting.card.uid, remove=True)
    home.sync()
    assert set(phone.cards()) == {"Dr. Maya Patel"}
    assert home.cards.waiting() == []


def test_without_sync_tokens_the_etags_say_what_changed(home, phone, radicale):  # noqa: F811
    home.sync()
    url, _token, known = home.cards.known()
    with Transport(radicale.url, "ana", "ana-secret") as transport:
        assert transport._cards_by_etag(url, known).changed == []
        phone.edit("Dr. Maya Patel", lambda c: setattr(c.email, "value", "x@example.org"))
        phone.delete("Main Street Pharmacy")
        found = transport._cards_by_etag(url, known)
    [(href, etag, text)] = found.changed
    assert "x@example.org" in text and etag and etag != known[href]
    assert [h for h in found.removed] == [h for h in known if h != href]
