"""The dose record: states, missed after grace, early/late, corrections, entry checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, at, given, medicine

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import (
    DoseEntry,
    DosePolicy,
    DoseState,
    EntryKind,
    RecordChain,
    Timing,
    TimingWindow,
    actual_given_dates,
    build_chains,
    correction_of,
    dose_status,
    dose_statuses,
    validate_entry,
)
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.regimens import DailyRegimen, LoadingRegimen
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.vocab import SkipReason

POLICY = DosePolicy()  # home: 60 min early/late window, missed 2 h after due
MED = medicine(DailyRegimen(D0, (T8,)))
OCC = occurrences_on(MED, D0, NEW_YORK)[0]  # due 08:00 New York


def _status(entries, now):
    chains = [c for c in build_chains(entries) if c.key == OCC.key]
    return dose_status(OCC, MED, chains, now, POLICY)


def _skip(id, reason=SkipReason.REFUSED, **kwargs):
    return DoseEntry(medicine_id=1, kind=EntryKind.SKIPPED, recorded_at=at(D0, 9),
                     recorded_by_id=1, occurrence_key=OCC.key, due_at=OCC.due,
                     skip_reason=reason, id=id, **kwargs)


# ---- States


def test_due_then_overdue_then_missed_after_grace():
    assert _status([], at(D0, 7, 59)).state is DoseState.DUE
    assert not _status([], at(D0, 7, 59)).overdue
    s = _status([], at(D0, 8, 0))
    assert s.state is DoseState.DUE and not s.overdue  # due now, for its first minute
    s = _status([], at(D0, 8, 1))
    assert s.state is DoseState.DUE and s.overdue
    assert _status([], at(D0, 10, 0)).state is DoseState.DUE  # exactly at grace: not yet
    missed = _status([], at(D0, 10, 0) + timedelta(seconds=1))
    assert missed.state is DoseState.MISSED and not missed.overdue


def test_given_on_time_early_and_late_at_the_window_edges():
    now = at(D0, 23)
    for minutes, timing in ((-60, Timing.ON_TIME), (-61, Timing.EARLY), (60, Timing.ON_TIME),
                            (61, Timing.LATE), (0, Timing.ON_TIME)):
        s = _status([given(OCC, OCC.due + timedelta(minutes=minutes), id=1)], now)
        assert (s.state, s.timing) == (DoseState.GIVEN, timing), minutes


def test_recording_after_the_fact_turns_missed_into_given_late():
    late = given(OCC, at(D0, 13), id=1, recorded_at=at(D0 + timedelta(days=1), 9))
    s = _status([late], at(D0 + timedelta(days=1), 10))
    assert (s.state, s.timing) == (DoseState.GIVEN, Timing.LATE)


def test_skipped_with_a_reason():
    s = _status([_skip(1)], at(D0, 12))
    assert s.state is DoseState.SKIPPED
    assert s.effective.skip_reason is SkipReason.REFUSED


def test_clinic_doses_use_whole_day_windows():
    clinic = replace(MED, given_by=GivenBy.CLINIC)
    s = dose_status(OCC, clinic, [], at(D0, 20), POLICY)
    assert s.state is DoseState.DUE  # a home dose would be missed by now
    entry = given(OCC, at(D0, 15), id=1)
    assert dose_status(OCC, clinic, build_chains([entry]), at(D0, 20),
                       POLICY).timing is Timing.ON_TIME


def test_policy_windows_are_configurable_and_checked():
    strict = DosePolicy(home=TimingWindow(timedelta(minutes=15), timedelta(minutes=15),
                                          timedelta(minutes=30)))
    s = dose_status(OCC, MED, build_chains([given(OCC, at(D0, 8, 20), id=1)]), at(D0, 9),
                    strict)
    assert s.timing is Timing.LATE
    assert dose_status(OCC, MED, [], at(D0, 8, 31), strict).state is DoseState.MISSED
    with pytest.raises(ValueError):
        TimingWindow(grace=timedelta(minutes=10), late=timedelta(hours=1))


# ---- Corrections


def test_a_correction_chain_keeps_history_and_the_latest_entry_wins():
    first = given(OCC, at(D0, 8, 5), id=1)
    second = correction_of(RecordChain((first,)), given_at=at(D0, 8, 35), id=2,
                           recorded_at=at(D0, 9), note="wrong time")
    third = correction_of(RecordChain((first, second)), kind=EntryKind.SKIPPED,
                          skip_reason=SkipReason.VOMITED, given_at=None, amount=None, id=3,
                          recorded_at=at(D0, 10))
    chains = build_chains([third, first, second])
    assert len(chains) == 1
    assert [e.id for e in chains[0].entries] == [1, 2, 3]
    s = _status([first, second, third], at(D0, 12))
    assert s.state is DoseState.SKIPPED and s.effective.id == 3
    assert [e.id for e in s.history] == [1, 2, 3]
    assert second.corrects_id == 1 and third.corrects_id == 2
    assert second.occurrence_key == first.occurrence_key


def test_entered_in_error_withdraws_the_record():
    first = given(OCC, at(D0, 8), id=1)
    oops = correction_of(RecordChain((first,)), kind=EntryKind.ENTERED_IN_ERROR, id=2,
                         note="wrong medicine", recorded_at=at(D0, 8, 30))
    assert _status([first, oops], at(D0, 9)).state is DoseState.DUE
    assert _status([first, oops], at(D0, 11)).state is DoseState.MISSED
    assert _status([first, oops], at(D0, 11)).history == (first, oops)


def test_a_correction_whose_original_was_not_fetched_still_counts():
    first = given(OCC, at(D0, 8), id=1)
    fix = correction_of(RecordChain((first,)), given_at=at(D0, 8, 20), id=2,
                        recorded_at=at(D0, 9))
    s = _status([fix], at(D0, 12))
    assert s.state is DoseState.GIVEN and s.effective.id == 2


def test_two_live_records_for_one_dose_are_flagged_as_a_conflict():
    a, b = given(OCC, at(D0, 8), id=1), given(OCC, at(D0, 8, 10), id=2)
    s = _status([a, b], at(D0, 12))
    assert s.conflict and s.effective.id == 2


def test_dose_statuses_links_records_by_medicine_and_key():
    other = medicine(DailyRegimen(D0, (T8,)), id=2)
    occs = [OCC, occurrences_on(other, D0, NEW_YORK)[0]]
    statuses = dose_statuses(occs, {1: MED, 2: other}, [given(OCC, id=1)], at(D0, 12), POLICY)
    assert [s.state for s in statuses] == [DoseState.GIVEN, DoseState.MISSED]


def test_actual_given_dates_for_loading_regimens():
    tofersen = medicine(LoadingRegimen(D0, T8))
    occ = occurrences_on(tofersen, D0, NEW_YORK)[0]
    late = given(occ, at(D0 + timedelta(days=1), 23, 30), id=1)  # 04:30 UTC next-next day
    assert actual_given_dates([late], NEW_YORK) == {(1, occ.key): D0 + timedelta(days=1)}
    withdrawn = correction_of(RecordChain((late,)), kind=EntryKind.ENTERED_IN_ERROR, id=2,
                              note="x")
    assert actual_given_dates([late, withdrawn], NEW_YORK) == {}


# ---- Checking new entries


def test_valid_entries_are_tidied():
    entry = validate_entry(replace(given(OCC, at(D0, 8), id=None), note="  fine  "),
                           now=at(D0, 9))
    assert entry.note == "fine" and entry.given_at.tzinfo is not None


@pytest.mark.parametrize(("change", "field"), [
    ({"recorded_by_id": None}, "caregiver"),
    ({"given_at": None}, "given_at"),
    ({"amount": None}, "dose_amount"),
    ({"amount": Dose(0, "tablet")}, "dose_amount"),
    ({"amount": Dose(1, " ")}, "dose_unit"),
    ({"note": "x" * 1001}, "note"),
    ({"override_reason": "x" * 501}, "override_reason"),
    ({"corrects_id": 99}, "corrects"),
])
def test_bad_given_entries_name_their_field(change, field):
    entry = replace(given(OCC, at(D0, 8), id=None), **change)
    with pytest.raises(ValidationError) as info:
        validate_entry(entry, now=at(D0, 9))
    assert field in info.value.errors


def test_given_time_cannot_be_in_the_future_beyond_clock_drift():
    now = at(D0, 8)
    validate_entry(given(OCC, now + timedelta(minutes=5), id=None), now=now)
    with pytest.raises(ValidationError) as info:
        validate_entry(given(OCC, now + timedelta(minutes=6), id=None), now=now)
    assert "future" in info.value.errors["given_at"]


def test_skip_needs_a_reason_and_other_needs_a_note():
    with pytest.raises(ValidationError) as info:
        validate_entry(_skip(None, reason=None), now=at(D0, 9))
    assert "skip_reason" in info.value.errors
    with pytest.raises(ValidationError) as info:
        validate_entry(_skip(None, reason=SkipReason.OTHER), now=at(D0, 9))
    assert "note" in info.value.errors
    ok = validate_entry(_skip(None, reason=SkipReason.OTHER, note="at the dentist"),
                        now=at(D0, 9))
    assert ok.skip_reason is SkipReason.OTHER and ok.given_at is None
    with pytest.raises(ValidationError):  # as-needed doses are not "skipped"
        validate_entry(replace(_skip(None), occurrence_key=None), now=at(D0, 9))


def test_a_recorded_dose_must_be_corrected_not_recorded_again():
    chains = build_chains([given(OCC, at(D0, 8), id=1)])
    with pytest.raises(ValidationError) as info:
        validate_entry(given(OCC, at(D0, 8, 5), id=None), now=at(D0, 9), existing=chains)
    assert "already recorded" in info.value.errors["corrects"]


def test_only_the_latest_entry_of_a_chain_can_be_corrected():
    first = given(OCC, at(D0, 8), id=1)
    second = correction_of(RecordChain((first,)), given_at=at(D0, 8, 10), id=2,
                           recorded_at=at(D0, 9))
    chain = RecordChain((first, second))
    stale = replace(correction_of(RecordChain((first,)), given_at=at(D0, 8, 20),
                                  recorded_at=at(D0, 9)), id=None)
    with pytest.raises(ValidationError, match="already corrected"):
        validate_entry(stale, now=at(D0, 10), corrected=chain)
    fresh = replace(correction_of(chain, given_at=at(D0, 8, 20), recorded_at=at(D0, 10)),
                    id=None)
    assert validate_entry(fresh, now=at(D0, 10), corrected=chain).corrects_id == 2


def test_entered_in_error_needs_a_note():
    first = given(OCC, at(D0, 8), id=1)
    oops = replace(correction_of(RecordChain((first,)), kind=EntryKind.ENTERED_IN_ERROR,
                                 recorded_at=at(D0, 9)), id=None)
    with pytest.raises(ValidationError) as info:
        validate_entry(oops, now=at(D0, 9), corrected=RecordChain((first,)))
    assert "note" in info.value.errors
