"""Whose phone ticked a dose: the phone's app from what it writes, the best-fitting
"Ana's iPhone = Ana Helper", and a record's source in words."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from caregiver_app.domain.exports import PRODID
from caregiver_app.domain.tick_sources import (
    DoseSource,
    Phone,
    TimeFrom,
    client_name,
    who_ticked,
)

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("prodid", "name"), [
    ("-//Apple Inc.//iPhone OS 17.2//EN", "iPhone or iPad"),
    ("-//Apple Inc.//iOS 18.1//EN", "iPhone or iPad"),
    ("-//Apple Inc.//macOS 14.1//EN", "Mac"),
    ("+//IDN bitfire.at//ical4android (at.techbee.jtx)", "Android (jtx Board)"),
    ("+//IDN tasks.org//android-131004 ical4android ical4j/3.2.19", "Android (Tasks.org)"),
    ("+//IDN bitfire.at//ical4android (org.dmfs.tasks)", "Android (DAVx5)"),
    ("-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN", "Thunderbird"),
    ("-//Nextcloud calendar v4.6.0", "Nextcloud in a browser"),
    ("-//Acme//Acme Tasks 2.0//EN", "Acme Tasks 2.0"),
    ("", ""),
    (PRODID, ""),  # the app's own write: no phone wrote it
])
def test_a_phone_app_is_named_from_what_it_writes(prodid, name):
    assert client_name(prodid, own=PRODID) == name


def test_the_mapping_that_fits_a_tick_best_names_its_phone_and_giver():
    phones = [Phone("Any phone on the family account", 1, account="family"),
              Phone("Ana's iPhone", 2, client="iPhone or iPad"),
              Phone("Ben's iPhone", 3, client="iPhone or iPad", account="ben")]
    default = {"default_giver": 9, "default_device": "a family phone"}
    assert who_ticked(phones, "ben", "iPhone or iPad", **default) == ("Ben's iPhone", 3)
    assert who_ticked(phones, "family", "iPhone or iPad", **default) == ("Ana's iPhone", 2)
    assert who_ticked(phones, "family", "Thunderbird", **default) == (
        "Any phone on the family account", 1)
    assert who_ticked(phones, "ana", "Thunderbird", **default) == ("a family phone", 9)
    assert who_ticked([], "ana", "Thunderbird", default_giver=None,
                      default_device="") == ("a phone (Thunderbird, account ana)", None)
    assert Phone(" ", 1).problems() == {"name": "Name the phone, for example Ana's iPhone."}


def test_a_record_source_says_whose_time_it_carries():
    synced = datetime(2026, 1, 5, 13, 30, tzinfo=UTC)
    phone_time = DoseSource(1, "Ana's iPhone", "ana", "iPhone or iPad",
                            datetime(2026, 1, 5, 13, 12, tzinfo=UTC), TimeFrom.PHONE, synced)
    assert not phone_time.flagged
    assert phone_time.words(NEW_YORK) == (
        "Ticked on Ana's iPhone (account ana, iPhone or iPad); the time is the phone's.")
    ahead = DoseSource(1, "Ana's iPhone", "", "", datetime(2026, 1, 5, 18, 0, tzinfo=UTC),
                       TimeFrom.SYNC, synced)
    assert ahead.flagged
    assert ahead.words(NEW_YORK) == (
        "Ticked on Ana's iPhone; the phone's time (Mon 5 Jan 13:00) was still to come: "
        "the time is when the app learned of it, Mon 5 Jan 08:30.")
