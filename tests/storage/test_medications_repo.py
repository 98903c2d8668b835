"""Medicines and the dose record in SQLite: every field round-trips; history is append-only."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind, correction_of
from caregiver_app.domain.errors import NotFound, ValidationError
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.medicines import GivenBy, StatusChange, SupplySettings
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    CycleShift,
    DailyRegimen,
    LoadingRegimen,
)
from caregiver_app.domain.schedule import occurrences_on
from caregiver_app.domain.supply import SupplyEvent, SupplyEventKind
from caregiver_app.domain.vocab import (
    FoodRule,
    FoodRuleKind,
    Form,
    MedicineStatus,
    Route,
    SkipReason,
)
from caregiver_app.storage.medications_repo import MedicationRepository, content_problems

NOW = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)


@pytest.fixture
def repo(fresh_db):
    fresh_db.table("caregivers").insert_all([
        {"id": 1, "name": "Tom", "initials": "TE", "active": 1},
        {"id": 2, "name": "Ana", "initials": "AH", "active": 1}])
    fresh_db.table("contacts").insert_all([
        {"id": 10, "name": "Dr Neuro", "role": "neurologist"},
        {"id": 11, "name": "Corner Pharmacy", "role": "pharmacy"}])
    return MedicationRepository(fresh_db)


def _full_medicine():
    """A medicine with a value in every field."""
    return medicine(
        id=None, generic_name="edaravone", brand_name="Radicava ORS",
        purpose="May slow ALS", instructions="Shake hard for 30 seconds.",
        food_rule=FoodRule(FoodRuleKind.FASTING, 480, 60, "After the overnight fast."),
        given_by=GivenBy.HOME, prescriber_id=10, pharmacy_id=11, reference_id="edaravone-oral",
        end_date=D0 + timedelta(days=400), review_date=D0 + timedelta(days=90),
        supply=SupplySettings(unit="mL", per_dose=5.0, reorder_days=9, opened_on=D0,
                              discard_by=D0 + timedelta(days=15)),
        versions=(
            version(CycleRegimen(D0, (time(7),), cycles=12), strength="105 mg/5 mL",
                    form=Form.LIQUID, route=Route.ORAL, dose=Dose(5, "mL"), note="first"),
            version(CycleRegimen(D0, (time(6, 30),), cycles=12), strength="105 mg/5 mL",
                    form=Form.LIQUID, route=Route.FEEDING_TUBE, dose=Dose(5, "mL"),
                    flush_ml=30, do_not_crush=True, valid_from=D0 + timedelta(days=40),
                    note="PEG placed"),
        ),
        status_history=(
            StatusChange(at(D0, 9), MedicineStatus.PAUSED, "in hospital", recorded_by_id=2),
            StatusChange(at(D0 + timedelta(days=2), 9), MedicineStatus.ACTIVE, "home",
                         recorded_by_id=2),
        ),
        cycle_shifts=(CycleShift(D0 + timedelta(days=30), 2, carry=False, reason="late"),),
    )


def _strip_ids(med):
    return replace(med, id=None,
                   versions=tuple(replace(v, id=None) for v in med.versions),
                   status_history=tuple(replace(s, id=None) for s in med.status_history),
                   cycle_shifts=tuple(replace(s, id=None) for s in med.cycle_shifts))


def test_every_field_of_a_medicine_round_trips(repo):
    original = _full_medicine()
    saved = repo.add_medicine(original, by=1, at=NOW)
    assert saved.id is not None
    assert all(v.id for v in saved.versions) and all(s.id for s in saved.status_history)
    assert _strip_ids(saved) == original
    assert repo.medicine(saved.id) == saved
    assert repo.medicines() == [saved]


regimen_strategy = st.sampled_from([
    DailyRegimen(D0, (T8, T20)), LoadingRegimen(D0, time(9), 2, 10, 21, D0 + timedelta(days=99)),
    AsNeededRegimen(D0, timedelta(minutes=90), None), CycleRegimen(D0, (time(7),)),
])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=40), amount=st.floats(0.01, 1000),
       unit=st.sampled_from(["tablet", "mL", "mg", "puff"]), regimen=regimen_strategy,
       form=st.sampled_from(list(Form)), route=st.sampled_from(list(Route)),
       given_by=st.sampled_from(list(GivenBy)),
       food=st.builds(FoodRule, st.sampled_from(list(FoodRuleKind)), st.integers(0, 600),
                      st.integers(0, 600), st.text(max_size=30)))
def test_any_medicine_round_trips(repo, name, amount, unit, regimen, form, route, given_by,
                                  food):
    original = medicine(id=None, generic_name=name, given_by=given_by, food_rule=food,
                        versions=(version(regimen, dose=Dose(amount, unit), form=form,
                                          route=route),))
    saved = repo.add_medicine(original, by=None, at=NOW)
    assert _strip_ids(saved) == original


def test_details_are_updated_but_versions_are_only_added(repo, fresh_db):
    saved = repo.add_medicine(_full_medicine(), by=1, at=NOW)
    edited = repo.update_details(replace(saved, purpose="new purpose", prescriber_id=None,
                                         supply=SupplySettings()), by=2, at=NOW)
    assert edited.purpose == "new purpose" and edited.prescriber_id is None
    assert edited.versions == saved.versions
    added = repo.add_version(saved.id, version(DailyRegimen(D0, (T8,)),
                                               valid_from=D0 + timedelta(days=60)), by=2, at=NOW)
    assert len(added.versions) == 3 and added.versions[:2] == saved.versions
    row = fresh_db.execute("SELECT updated_by FROM medicines").fetchone()
    assert row[0] == 2
    with pytest.raises(NotFound):
        repo.add_version(999, version(), by=1, at=NOW)
    with pytest.raises(NotFound):
        repo.medicine(999)


def test_cycle_shifts_resume_and_withdraw(repo):
    saved = repo.add_medicine(medicine(CycleRegimen(D0, (time(7),)), id=None), by=1, at=NOW)
    held = repo.add_cycle_shift(saved.id, CycleShift(D0 + timedelta(days=3), None, reason="ill"),
                                by=1, at=NOW)
    (hold,) = held.cycle_shifts
    assert hold.on_hold
    repo.resume_cycle_shift(hold.id, 4, by=2, at=NOW)
    assert repo.medicine(saved.id).cycle_shifts[0].days == 4
    with pytest.raises(NotFound):
        repo.resume_cycle_shift(hold.id, 5, by=2, at=NOW)  # no longer on hold
    repo.withdraw_cycle_shift(hold.id, by=2, at=NOW)
    assert repo.medicine(saved.id).cycle_shifts == ()


# ---- The dose record


@pytest.fixture
def riluzole(repo):
    return repo.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None), by=1, at=NOW)


def _given_entry(med, occ, when, **kwargs):
    return DoseEntry(medicine_id=med.id, kind=EntryKind.GIVEN, recorded_at=NOW,
                     recorded_by_id=1, occurrence_key=occ.key, due_at=occ.due, given_at=when,
                     amount=occ.dose, caregiver_id=2, **kwargs)


def test_every_field_of_a_dose_entry_round_trips(repo, riluzole):
    occ = occurrences_on(riluzole, D0, NEW_YORK)[0]
    first = repo.add_entry(_given_entry(riluzole, occ, at(D0, 8, 5), note="with water",
                                        override_reason="n/a"))
    assert first.id is not None
    assert replace(first, id=None) == _given_entry(riluzole, occ, at(D0, 8, 5),
                                                   note="with water", override_reason="n/a")
    skip = repo.add_entry(DoseEntry(
        medicine_id=riluzole.id, kind=EntryKind.SKIPPED, recorded_at=NOW, recorded_by_id=2,
        occurrence_key=first.occurrence_key, due_at=occ.due, skip_reason=SkipReason.OTHER,
        note="at the dentist", corrects_id=first.id))
    assert skip == repo.entry(skip.id)
    assert (skip.skip_reason, skip.corrects_id, skip.given_at) == (SkipReason.OTHER, first.id,
                                                                   None)
    chain = repo.chain(first.id)
    assert [e.id for e in chain.entries] == [first.id, skip.id]
    assert repo.chain(skip.id) == chain
    assert repo.recorded_keys(riluzole.id) == {occ.key}


@pytest.mark.parametrize("statement", [
    "UPDATE dose_entries SET given_at = '2026-01-01T00:00:00+00:00'",
    "UPDATE dose_entries SET note = 'changed'",
    "DELETE FROM dose_entries",
    "UPDATE medicine_versions SET dose_amount = 99",
    "DELETE FROM medicine_versions",
    "UPDATE medicine_status SET reason = ''",
    "DELETE FROM medicine_status",
    "UPDATE supply_events SET quantity = 1",
    "DELETE FROM supply_events",
])
def test_history_tables_refuse_update_and_delete(repo, riluzole, fresh_db, statement):
    occ = occurrences_on(riluzole, D0, NEW_YORK)[0]
    repo.add_entry(_given_entry(riluzole, occ, at(D0, 8)))
    repo.add_status(riluzole.id, StatusChange(NOW, MedicineStatus.PAUSED, "x"), by=1, at=NOW)
    repo.add_supply_event(SupplyEvent(riluzole.id, SupplyEventKind.REFILL, 30, NOW, 1))
    before = fresh_db.execute("SELECT count(*), group_concat(given_at) FROM dose_entries"
                              ).fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        fresh_db.execute(statement)
    after = fresh_db.execute("SELECT count(*), group_concat(given_at) FROM dose_entries"
                             ).fetchone()
    assert before == after


def test_cycle_changes_are_only_completed_or_withdrawn_once(repo, fresh_db):
    """A pause gets its days when resumed, a change can be withdrawn; nothing else about a
    cycle change is ever rewritten or deleted (they decide which doses were due)."""
    from caregiver_app.domain.regimens import CycleRegimen, CycleShift

    edaravone = repo.add_medicine(medicine(CycleRegimen(D0, (T8,)), id=None,
                                           generic_name="edaravone"), by=1, at=NOW)
    repo.add_cycle_shift(edaravone.id, CycleShift(D0 + timedelta(days=3), None, True, "ill"),
                         by=1, at=NOW)
    pause = fresh_db.execute("SELECT id FROM cycle_shifts").fetchone()[0]
    for statement in ("DELETE FROM cycle_shifts", "UPDATE cycle_shifts SET reason = 'x'",
                      "UPDATE cycle_shifts SET from_date = '2026-02-01'",
                      "UPDATE cycle_shifts SET days = 2"):  # days only with resumed_at
        with pytest.raises(sqlite3.IntegrityError, match="cycle changes are kept"):
            fresh_db.execute(statement)
    repo.resume_cycle_shift(pause, 2, by=1, at=NOW)
    repo.withdraw_cycle_shift(pause, by=2, at=NOW)
    for statement in ("UPDATE cycle_shifts SET days = 5",
                      "UPDATE cycle_shifts SET withdrawn_by = 1",
                      "UPDATE cycle_shifts SET resumed_at = '2026-03-01T00:00:00+00:00'"):
        with pytest.raises(sqlite3.IntegrityError, match="cycle changes are kept"):
            fresh_db.execute(statement)
    row = fresh_db.execute("SELECT days, withdrawn_by, reason FROM cycle_shifts").fetchone()
    assert tuple(row) == (2, 2, "ill")


def test_a_dose_cannot_be_recorded_twice_or_corrected_twice(repo, riluzole):
    occ = occurrences_on(riluzole, D0, NEW_YORK)[0]
    first = repo.add_entry(_given_entry(riluzole, occ, at(D0, 8)))
    with pytest.raises(ValidationError, match="already recorded"):
        repo.add_entry(_given_entry(riluzole, occ, at(D0, 8, 30)))
    chain = repo.chain(first.id)
    repo.add_entry(correction_of(chain, given_at=at(D0, 8, 10), recorded_at=NOW))
    with pytest.raises(ValidationError):
        repo.add_entry(correction_of(chain, given_at=at(D0, 8, 20), recorded_at=NOW))
    assert len(repo.chain(first.id).entries) == 2


def test_database_checks_refuse_incomplete_entries(repo, riluzole, fresh_db):
    row = {"medicine_id": riluzole.id, "slot_at": "2026-01-05T13:00:00+00:00",
           "recorded_at": "2026-01-05T13:00:00+00:00"}
    for bad in ({"kind": "given"}, {"kind": "skipped", "occurrence_key": "k"},
                {"kind": "entered_in_error"}, {"kind": "maybe"}):
        with pytest.raises(sqlite3.IntegrityError):
            fresh_db.table("dose_entries").insert({**row, **bad})


def test_entries_for_a_day_and_between(repo, riluzole):
    prn = repo.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                     generic_name="glycopyrrolate", purpose="drooling"),
                            by=1, at=NOW)
    day2 = D0 + timedelta(days=1)
    ids = {}
    for day in (D0, day2):
        for occ in occurrences_on(riluzole, day, NEW_YORK):
            ids[occ.key] = repo.add_entry(_given_entry(riluzole, occ, occ.due)).id
    late_prn = DoseEntry(medicine_id=prn.id, kind=EntryKind.GIVEN, recorded_at=NOW,
                         recorded_by_id=1, given_at=at(D0, 23), amount=Dose(1, "tablet"))
    ids["prn"] = repo.add_entry(late_prn).id
    start, end = day_bounds(day2, NEW_YORK)
    got = {e.id for e in repo.entries_for_day(start, end, at(day2, 12))}
    assert got == {ids["2026-01-06T08:00"], ids["2026-01-06T20:00"], ids["prn"]}
    start, end = day_bounds(D0, NEW_YORK)
    assert {e.id for e in repo.entries_between(start, end)} == {
        ids["2026-01-05T08:00"], ids["2026-01-05T20:00"], ids["prn"]}
    assert {e.id for e in repo.entries_between(start, end, medicine_id=prn.id)} == {ids["prn"]}
    assert [e.id for e in repo.prn_entries(prn.id, at(D0, 0), at(day2, 0))] == [ids["prn"]]


def test_effective_given_skips_corrected_and_withdrawn_entries(repo, riluzole):
    a, b = occurrences_on(riluzole, D0, NEW_YORK)
    first = repo.add_entry(_given_entry(riluzole, a, at(D0, 8)))
    fixed = repo.add_entry(correction_of(repo.chain(first.id), given_at=at(D0, 8, 30),
                                         recorded_at=NOW))
    second = repo.add_entry(_given_entry(riluzole, b, at(D0, 20)))
    repo.add_entry(correction_of(repo.chain(second.id), kind=EntryKind.ENTERED_IN_ERROR,
                                 note="wrong medicine", recorded_at=NOW))
    assert [e.id for e in repo.effective_given(riluzole.id)] == [fixed.id]
    assert repo.effective_given(riluzole.id, since=at(D0, 9)) == []


def test_loading_entries(repo):
    tofersen = repo.add_medicine(medicine(LoadingRegimen(D0, time(9)), id=None,
                                          given_by=GivenBy.CLINIC), by=1, at=NOW)
    occ = occurrences_on(tofersen, D0, NEW_YORK)[0]
    saved = repo.add_entry(_given_entry(tofersen, occ, at(D0, 11)))
    assert repo.loading_entries([tofersen.id]) == [saved]
    assert repo.loading_entries([]) == []


def test_supply_events_round_trip(repo, riluzole):
    event = SupplyEvent(riluzole.id, SupplyEventKind.COUNT, 42.5, NOW, recorded_by_id=2,
                        note="counted", recorded_at=NOW + timedelta(minutes=1))
    saved = repo.add_supply_event(event)
    assert replace(saved, id=None) == event
    assert repo.supply_events(riluzole.id) == [saved]


def test_a_contact_in_use_cannot_be_deleted(repo, fresh_db):
    repo.add_medicine(_full_medicine(), by=1, at=NOW)
    with pytest.raises(sqlite3.IntegrityError):
        fresh_db.execute("DELETE FROM contacts WHERE id = 10")


# ---- Checking an imported database


def test_content_problems_name_table_record_and_field(repo, riluzole, fresh_db):
    assert content_problems(fresh_db) == []
    fresh_db.conn.execute("DROP TRIGGER medicine_versions_no_update")
    fresh_db.execute("UPDATE medicine_versions SET form = 'pill', regimen = ?",
                     [json.dumps({"kind": "daily", "start": "2026-01-05", "times": []})])
    fresh_db.table("medicines").insert({
        "generic_name": "orphan", "start_date": "2026-01-05",
        "created_at": "2026-01-05T00:00:00+00:00", "updated_at": "2026-01-05T00:00:00+00:00"})
    problems = content_problems(fresh_db)
    assert any('"medicine_versions" record 1: field "form"' in p for p in problems)
    assert any('"medicine_versions" record 1: field "regimen"' in p for p in problems)
    assert any('"orphan" has no dose or schedule' in p for p in problems)


def test_a_dose_moved_into_a_day_by_a_correction_is_read_with_that_day(repo):
    prn = repo.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                     generic_name="glycopyrrolate", purpose="drooling"),
                            by=1, at=NOW)
    first = repo.add_entry(DoseEntry(medicine_id=prn.id, kind=EntryKind.GIVEN,
                                     recorded_at=NOW, recorded_by_id=1, given_at=at(D0, 9),
                                     amount=Dose(1, "tablet")))
    moved = repo.add_entry(correction_of(repo.chain(first.id),
                                         given_at=at(D0 + timedelta(days=2), 9),
                                         recorded_at=NOW))
    day3 = D0 + timedelta(days=2)
    start, end = day_bounds(day3, NEW_YORK)
    later = at(D0 + timedelta(days=10), 12)
    # with the record it corrects: read alone, it would say the dose was not corrected
    assert [e.id for e in repo.entries_for_day(start, end, later)] == [first.id, moved.id]
    assert [e.id for e in repo.entries_between(start, end)] == [first.id, moved.id]
    assert [e.id for e in repo.prn_entries(prn.id, start, end)] == [first.id, moved.id]
    start, end = day_bounds(D0, NEW_YORK)  # the first day reads the whole chain
    assert [e.id for e in repo.entries_for_day(start, end, later)] == [first.id, moved.id]


def test_day_queries_use_indexes_not_a_scan_of_the_whole_record(repo, fresh_db, monkeypatch):
    plans = []
    real = repo._entries

    def explain(sql, params):
        plans.append(" ".join(r[-1] for r in fresh_db.execute("EXPLAIN QUERY PLAN " + sql,
                                                                params).fetchall()))
        return real(sql, params)

    monkeypatch.setattr(repo, "_entries", explain)
    start, end = day_bounds(D0, NEW_YORK)
    repo.entries_for_day(start, end, at(D0, 12))
    repo.entries_between(start, end, medicine_id=1)
    repo.prn_entries(1, start, end)
    # and by the doses' keys (records made in another time zone)
    repo.entries_for_day(start, end, at(D0, 12), key_days=(D0, D0))
    repo.entries_between(start, end, key_days=(D0, D0 + timedelta(days=6)))
    assert len(plans) == 5
    for plan in plans:
        assert "SCAN dose_entries" not in plan, plan


def test_day_queries_make_no_temporary_table_but_the_id_list(repo, fresh_db, monkeypatch):
    """Each UNION or DISTINCT in a day's read is a temporary table with a page cache of
    its own (~85 KiB each: ~0.6 MiB at the window's start, at its peak memory): the
    ranges are joined by UNION ALL into one ``id IN (...)``, whose list is the only one."""
    plans = []
    real = repo._entries

    def explain(sql, params):
        plans.append([r[-1] for r in fresh_db.execute("EXPLAIN QUERY PLAN " + sql,
                                                      params).fetchall()])
        return real(sql, params)

    monkeypatch.setattr(repo, "_entries", explain)
    start, end = day_bounds(D0, NEW_YORK)
    repo.entries_for_day(start, end, at(D0, 12), key_days=(D0, D0))
    repo.entries_between(start, end, medicine_id=1)
    repo.prn_entries(1, start, end)
    assert len(plans) == 3
    for plan in plans:
        temporary = [step for step in plan if "MATERIALIZE" in step or (
            "TEMP B-TREE" in step and "FOR ORDER BY" not in step)]  # (a sort: no table)
        assert temporary == [], plan


def test_a_chain_given_twice_in_a_day_is_read_once(repo):
    """Two records of one chain given the same day both lead to the chain (the ranges'
    ids may repeat): each record is read once."""
    prn = repo.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                     generic_name="glycopyrrolate", purpose="drooling"),
                            by=1, at=NOW)
    first = repo.add_entry(DoseEntry(medicine_id=prn.id, kind=EntryKind.GIVEN,
                                     recorded_at=NOW, recorded_by_id=1, given_at=at(D0, 9),
                                     amount=Dose(1, "tablet")))
    retimed = repo.add_entry(correction_of(repo.chain(first.id), given_at=at(D0, 10),
                                           recorded_at=NOW))
    start, end = day_bounds(D0, NEW_YORK)
    later = at(D0, 20)
    both = [first.id, retimed.id]
    assert [e.id for e in repo.entries_for_day(start, end, later)] == both
    assert [e.id for e in repo.entries_between(start, end)] == both
    assert [e.id for e in repo.prn_entries(prn.id, start, end)] == both


class _WriteAfterFirstRead:
    """The records, with another connection's change committed right after the first
    read of the medicines (as the GUI thread may commit while a worker reads)."""

    def __init__(self, db, write):
        self._db, self._write, self.writes = db, write, 0

    def execute(self, sql, parameters=None):
        cursor = self._db.execute(sql, parameters)
        if "FROM medicines " in sql and not self.writes:
            self.writes += 1
            self._write()
        return cursor

    def __getattr__(self, name):
        return getattr(self._db, name)


def test_a_medicine_is_read_as_one_moment_never_half_of_a_change(data_dir):
    """A change committed on another connection between the reads of a medicine's
    details, versions and status changes is either wholly in what is read, or not at
    all: never its new version and pause beside its old brand name."""
    from caregiver_app.storage.db import open_database, second_connection

    db = open_database(data_dir / "caregiver.sqlite3")
    try:
        saved = MedicationRepository(db).add_medicine(
            medicine(id=None, brand_name="Rilutek"), by=None, at=NOW)
        with second_connection(db) as other:
            writer = MedicationRepository(other)

            def change() -> None:  # one transaction, as MedicationBook.save_change writes
                with writer.atomic():
                    writer.add_version(saved.id, version(valid_from=D0 + timedelta(days=9),
                                                         strength="100 mg"), by=None, at=NOW)
                    writer.add_status(saved.id, StatusChange(
                        NOW, MedicineStatus.PAUSED, "in hospital"), by=None, at=NOW)
                    writer.update_details(replace(saved, brand_name="Tiglutik"), by=None,
                                          at=NOW)

            racing = _WriteAfterFirstRead(db, change)
            read = MedicationRepository(racing).medicine(saved.id)
            assert racing.writes == 1
            assert (read.brand_name, len(read.versions), len(read.status_history)) == (
                "Rilutek", 1, 0)  # as it was when the first read began
            assert MedicationRepository(db).medicines()[0].brand_name == "Tiglutik"
            assert not db.conn.in_transaction  # the read's transaction is over
    finally:
        db.close()
