"""Issue #12 item 12: whatever the app saves, it can export and import again.

The largest contact the form takes (every field at its limit, in four-byte characters)
goes out as a vCard and as a full export, and comes back whole both ways."""

from __future__ import annotations

from dataclasses import replace

import pytest

from caregiver_app.domain.contacts import (
    MAX_EMAIL,
    MAX_LINE,
    MAX_NAME,
    MAX_PHONES,
    MAX_PORTAL,
    MAX_TEXT,
    Contact,
    PreferredContact,
    Role,
    validate_contact,
)
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.vcard import read_vcards, write_vcards
from caregiver_app.storage import transfer
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.db import connect, open_database

WIDE = "\U0001f600"  # four bytes in UTF-8


def _largest() -> Contact:
    local = "a" * 64
    domain = ".".join(["b" * 60] * 3) + ".org"
    email = f"{local}@{domain}"[:MAX_EMAIL]
    portal = "https://portal.example.org/"
    return validate_contact(Contact(
        name=WIDE * MAX_NAME,
        role=Role.OTHER,
        role_other=WIDE * MAX_LINE,
        organisation=WIDE * MAX_LINE,
        phones=tuple(Phone(PhoneKind.OFFICE, f"+1312555{150 + i:04d}", "1234")
                     for i in range(MAX_PHONES)),
        email=email,
        address=WIDE * MAX_TEXT,
        portal_url=portal + "a" * (MAX_PORTAL - len(portal)),
        office_hours=WIDE * MAX_LINE,
        preferred_contact=PreferredContact.PORTAL,
        notes=WIDE * MAX_TEXT,
    ), region="US")


def test_the_largest_contact_the_form_takes_comes_back_from_its_vcard():
    contact = _largest()
    assert len(contact.portal_url) == MAX_PORTAL
    cards = read_vcards(write_vcards([contact]), region="US")
    assert len(cards) == 1 and not cards[0].unreadable and cards[0].problems == {}
    back = cards[0].contact
    for name in ("name", "organisation", "email", "address", "portal_url", "office_hours",
                 "notes"):
        assert getattr(back, name) == getattr(contact, name), name
    assert back.phones == contact.phones


def test_a_portal_address_longer_than_the_limit_is_refused_by_the_form():
    with pytest.raises(ValidationError) as info:
        validate_contact(replace(_largest(), portal_url="https://x.org/" + "a" * 100_000),
                         region="US")
    assert "portal_url" in info.value.errors


def test_the_largest_contact_comes_back_from_a_full_export(data_dir, tmp_path):
    db = open_database(data_dir / "caregiver.sqlite3")
    saved = CareTeamRepository(db).save_contact(_largest())
    exported = tmp_path / "records.json"
    transfer.export_to_file(db, exported, app_version="test")
    db.close()
    built = tmp_path / "built.sqlite3"
    transfer.build_database(transfer.read_document(exported), built)
    again = CareTeamRepository(connect(built)).contact(saved.id)
    assert again == saved
