"""The numbers' kept forms made again after a phonenumbers upgrade (services.phone_forms)."""

from __future__ import annotations

from datetime import UTC, datetime

import phonenumbers
import pytest

from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.services.phone_forms import refresh_stale_forms
from caregiver_app.storage.careteam_repo import (
    CareTeamRepository,
    keep_phone_forms,
    phone_form_columns,
    stale_phone_forms,
)
from caregiver_app.storage.db import open_database

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    db = open_database(tmp_path / "caregiver.sqlite3", now=NOW, new=True)
    yield db
    db.close()


def _shown(db) -> list[tuple]:
    return db.execute("SELECT number, extension, shown_national, shown_international, "
                      "shown_region, shown_rules FROM contact_phones ORDER BY id").fetchall()


def _team(db) -> None:
    repo = CareTeamRepository(db)
    repo.save_contact(Contact(name="Dr. Ada Lee", role=Role.NEUROLOGIST, phones=(
        Phone(PhoneKind.OFFICE, "+13125550142", "12"), Phone(PhoneKind.OTHER, "911"))))
    repo.save_contact(Contact(name="Lakeside pharmacy", role=Role.PHARMACY, phones=(
        Phone(PhoneKind.OFFICE, "+442079460018"),)))


def test_forms_another_version_wrote_are_made_again_on_a_worker(db, qtbot):
    _team(db)
    fresh = _shown(db)
    version = phonenumbers.__version__
    assert [row[-1] for row in fresh] == [version, "", version]
    db.execute("UPDATE contact_phones SET shown_national = 'old', shown_international = "
               "'+1 old', shown_rules = '8.0.0' WHERE shown_rules != ''")
    assert len(stale_phone_forms(db, version)) == 2

    operation = refresh_stale_forms(db)
    assert operation is not None
    with qtbot.waitSignal(operation.finished, timeout=10_000) as done:
        pass
    assert done.args[0].ok and done.args[0].value == 2
    assert _shown(db) == fresh  # as this version makes them; the short number as it was
    assert refresh_stale_forms(db) is None  # once: nothing stale now, nothing started


def test_nothing_is_started_when_every_kept_form_is_this_versions(db):
    _team(db)
    assert refresh_stale_forms(db) is None


def test_a_number_changed_meanwhile_keeps_its_own_forms(db):
    """The forms are worked out on a worker thread: a number saved again before they are
    written (the form, a sync) is not given the old number's."""
    _team(db)
    db.execute("UPDATE contact_phones SET shown_rules = '8.0.0' WHERE shown_rules != ''")
    stale = stale_phone_forms(db, phonenumbers.__version__)
    made = [(row_id, number, extension,
             phone_form_columns(Phone(PhoneKind.OTHER, number, extension)))
            for row_id, number, extension in stale]
    db.execute("UPDATE contact_phones SET number = '+13125550199' "
               "WHERE number = '+13125550142'")
    assert keep_phone_forms(db, made) == 1
    rows = {number: rules for number, *_, rules in _shown(db)}
    assert rows == {"+13125550199": "8.0.0", "911": "", "+442079460018":
                    phonenumbers.__version__}
