"""A phone's note about a dose is settled by the dose's next record made in the app
(``storage.sharing_repo``, ``domain.phone_notes``): the note is never changed or removed
for it, and a record a phone's tick made settles nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from medicine_builders import D0, at, medicine

from caregiver_app.core import open_core
from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.sharing import Action, Incoming
from caregiver_app.domain.tick_sources import DoseSource, TimeFrom
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.storage.sharing_repo import SharingRepository


@pytest.fixture
def home(qapp, data_dir, fake_clock):
    fake_clock.set(at(D0, 8, 30))
    core = open_core(data_dir, fake_clock)
    core.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                      time_zone="America/New_York"))
    [tom] = core.session.save_caregivers([Caregiver("Tom Example", "TE")])
    core.session.set_on_duty(tom.id)
    riluzole = core.medications.add_medicine(medicine(id=None, start=D0))
    yield SimpleNamespace(
        medications=core.medications, clock=fake_clock, riluzole=riluzole,
        keys=[s.occurrence.key for s in core.medications.statuses(D0, D0)],
        repo=SharingRepository(core.db))
    core.close()


def _note(home, action: Action, key: str, entry_id: int | None = None) -> None:
    home.repo.add_notes([Incoming(action, uid=f"task-{key}", medicine_id=home.riluzole.id,
                                  occurrence_key=key, message=action.value,
                                  entry_id=entry_id)], home.clock.now())


def _settled(home) -> dict[str, bool]:
    return {n.message: n.settled_at is not None for n in home.repo.notes(unseen_only=False)}


def test_a_correction_settles_the_note_about_its_record_and_nothing_else(home):
    book, first, second = home.medications, *home.keys[:2]
    given = book.record_given(home.riluzole.id, first, given_at=at(D0, 8, 5))
    other = book.record_given(home.riluzole.id, second, given_at=at(D0, 8, 6))
    _note(home, Action.UNTICKED, first, given.id)
    _note(home, Action.ALSO_TICKED, second, other.id)
    assert home.repo.unseen_count() == 2
    assert _settled(home) == {"unticked": False, "also_ticked": False}

    home.clock.set(at(D0, 8, 45))
    book.correct(given.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.ASLEEP)
    assert _settled(home) == {"unticked": True, "also_ticked": False}
    assert [n.message for n in home.repo.notes()] == ["also_ticked"]
    assert home.repo.unseen_count() == 1
    [note] = [n for n in home.repo.notes(unseen_only=False) if n.settled_at]
    assert note.settled_at == at(D0, 8, 45) and note.seen_at is None  # not marked seen
    # both records stay, the correction after the record
    assert [e.kind for e in book.statuses(D0, D0)[0].history] == [EntryKind.GIVEN,
                                                                   EntryKind.SKIPPED]


def test_a_note_naming_no_record_is_settled_by_a_record_made_after_it(home):
    book, first = home.medications, home.keys[0]
    _note(home, Action.CONFLICT, first)  # "cancelled on a phone: nothing was recorded"
    home.clock.set(at(D0, 8, 50))
    book.record_skipped(home.riluzole.id, first, SkipReason.ASLEEP)
    assert _settled(home) == {"conflict": True}
    assert home.repo.unseen_count() == 0


def test_a_record_made_before_the_note_or_by_a_phone_settles_nothing(home):
    book, first, second = home.medications, *home.keys[:2]
    book.record_skipped(home.riluzole.id, first, SkipReason.ASLEEP)
    home.clock.set(at(D0, 8, 40))
    _note(home, Action.CONFLICT, first)  # "ticked on a phone, recorded as not given"
    _note(home, Action.CONFLICT, second)
    home.clock.set(at(D0, 8, 50))
    ticked = book.record_given(home.riluzole.id, second, given_at=at(D0, 8, 49))
    home.repo.add_source(DoseSource(entry_id=ticked.id, device="Ana's iPhone",
                                    account="ana", client="", phone_time=at(D0, 8, 49),
                                    time_from=TimeFrom.PHONE, synced_at=at(D0, 8, 50)))
    assert _settled(home) == {"conflict": False}
    assert home.repo.unseen_count() == 2
    # a record that is no note's dose settles nothing; marking seen still works
    home.repo.mark_seen([n.id for n in home.repo.notes()], at(D0, 9))
    assert home.repo.unseen_count() == 0
