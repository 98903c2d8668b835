"""The phones' notes as a person reads them: which dose, newest first, which ask a person
to check a record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from caregiver_app.domain.phone_notes import asking_first, dose_words, note_lines
from caregiver_app.domain.sharing import Action, ShareNote


def _note(id_, action, at_hour, key="2026-01-05T08:00", medicine_id=1, seen=False):
    moment = datetime(2026, 1, 5, at_hour, tzinfo=UTC)
    return ShareNote(action=action, uid=f"u{id_}", message=f"note {id_}", noted_at=moment,
                     medicine_id=medicine_id, occurrence_key=key, id=id_,
                     seen_at=moment if seen else None)


def test_a_dose_is_named_by_its_medicine_and_scheduled_time():
    assert dose_words("riluzole", "2026-01-05T08:00") == "riluzole, Mon 5 Jan 08:00"
    # a loading course's key names no clock time: the name alone
    assert dose_words("edaravone", "loading:2026-01-05:3") == "edaravone"
    assert dose_words("edaravone", "2026-01-05Tnot-a-time") == "edaravone"


def test_lines_are_newest_first_and_say_which_need_a_person():
    lines = note_lines([
        _note(1, Action.ALSO_TICKED, 9),
        _note(2, Action.UNTICKED, 10, seen=True),
        _note(3, Action.CONFLICT, 10, medicine_id=7),
    ], {1: "riluzole"})
    assert [line.id for line in lines] == [3, 2, 1]
    assert [line.needs_a_person for line in lines] == [True, True, False]
    assert [line.seen for line in lines] == [False, True, False]
    # a medicine no longer known: the note still reads, without a dose
    assert lines[0].dose == "" and lines[0].one_line() == "note 3"
    assert lines[2].one_line() == "riluzole, Mon 5 Jan 08:00: note 1"
    assert lines[1].heading == "Un-ticked on a phone: check the record"


def test_a_settled_note_needs_no_one_and_says_so():
    settled = replace(_note(1, Action.UNTICKED, 9),
                      settled_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    [line] = note_lines([settled], {1: "riluzole"})
    assert line.settled and not line.needs_a_person and not line.is_new
    assert line.state_words == "settled in the app"
    [seen] = note_lines([_note(2, Action.UNTICKED, 9, seen=True)], {1: "riluzole"})
    assert (seen.state_words, seen.is_new, seen.needs_a_person) == ("seen", False, True)


def test_a_note_about_a_contact_says_the_care_team():
    [line] = note_lines([_note(1, Action.CONFLICT, 9, key="", medicine_id=None)], {})
    assert line.about_a_contact and line.uid == "u1"
    assert line.one_line() == "Care team: note 1"
    [dose] = note_lines([_note(2, Action.CONFLICT, 9)], {1: "riluzole"})
    assert not dose.about_a_contact


def test_a_note_about_a_contact_that_only_tells_needs_no_one():
    [news, conflict] = note_lines([
        _note(1, Action.NEWS, 10, key="", medicine_id=None),
        _note(2, Action.CONFLICT, 9, key="", medicine_id=None)], {})
    assert news.about_a_contact and not news.needs_a_person and news.is_new
    assert conflict.needs_a_person
    assert [a for a in Action if a.asks_a_person] == [
        Action.UNTICKED, Action.CONFLICT, Action.TICKED_TWICE]  # maybe given twice


def test_a_tick_that_may_be_a_second_dose_needs_a_person_until_settled():
    [twice] = note_lines([_note(1, Action.TICKED_TWICE, 9)], {1: "riluzole"})
    assert twice.needs_a_person
    assert twice.heading == "Ticked on a phone too: check it was not given twice"
    [settled] = note_lines([replace(_note(1, Action.TICKED_TWICE, 9),
                                    settled_at=twice.noted_at)], {1: "riluzole"})
    assert not settled.needs_a_person


def test_a_stored_action_this_version_does_not_know_reads_as_one_to_check():
    assert Action.read("news") is Action.NEWS
    assert Action.read("something_later") is Action.CONFLICT  # shown and flagged, not lost


def test_notes_that_ask_come_before_newer_notes_that_only_tell():
    lines = note_lines([
        _note(1, Action.UNTICKED, 9), _note(2, Action.NEWS, 10, key="", medicine_id=None),
        _note(3, Action.NEWS, 11, key="", medicine_id=None),
        _note(4, Action.CONFLICT, 8), _note(5, Action.ALSO_TICKED, 12)], {})
    assert [line.id for line in lines] == [5, 3, 2, 1, 4]  # newest first
    assert [line.id for line in asking_first(lines)] == [1, 4, 5, 3, 2]
