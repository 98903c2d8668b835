"""Issue #20: a file's correction chains in the five How-things-are-going tables are
checked on import by the dose record's rules: a correction names an earlier entry of
the same table, an entry is corrected at most once, a withdrawn entry stays withdrawn,
and no chain loops. A file that breaks them is refused, naming record and field, so
that no entry it holds is silently left out when the records are read."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caregiver_app.domain.going import Measure
from caregiver_app.services.demo import populate_example
from caregiver_app.storage import transfer
from caregiver_app.storage.db import connect, open_database
from caregiver_app.storage.going_repo import GoingRepository
from caregiver_app.storage.transfer import TransferError


@pytest.fixture(scope="module")
def example_doc(tmp_path_factory) -> dict:
    """The example household's records, as exported."""
    db = open_database(tmp_path_factory.mktemp("example") / "caregiver.sqlite3")
    populate_example(db, today=date(2026, 11, 25), time_zone="America/Chicago")
    doc = json.loads(json.dumps(transfer.export_document(db, app_version="t")))
    db.close()
    return doc


@pytest.fixture(scope="module")
def empty_doc(tmp_path_factory) -> dict:
    """Records with nothing in them (imports in a blink: for many examples)."""
    db = open_database(tmp_path_factory.mktemp("empty") / "caregiver.sqlite3")
    doc = json.loads(json.dumps(transfer.export_document(db, app_version="t")))
    db.close()
    return doc


def _problems(doc: dict, tmp_path: Path) -> str:
    dest = tmp_path / "built.sqlite3"
    with pytest.raises(TransferError) as info:
        transfer.build_database(doc, dest)
    assert not dest.exists(), "a refused import leaves no file behind"
    return str(info.value)


def _copy(doc: dict) -> dict:
    return json.loads(json.dumps(doc))


def _first_two_roots(rows: list[dict]) -> tuple[dict, dict]:
    roots = [r for r in rows if r["corrects_id"] is None]
    return roots[0], roots[1]


@pytest.mark.parametrize("measure", list(Measure), ids=lambda m: m.value)
def test_the_example_has_entries_and_corrections_import_back(example_doc, measure,
                                                            tmp_path):
    rows = example_doc["tables"][measure.value]
    assert len([r for r in rows if r["corrects_id"] is None]) >= 2
    transfer.build_database(_copy(example_doc), tmp_path / "built.sqlite3")


@pytest.mark.parametrize("measure", list(Measure), ids=lambda m: m.value)
def test_a_correction_of_a_later_entry_or_itself_is_refused(example_doc, measure,
                                                           tmp_path):
    doc = _copy(example_doc)
    rows = doc["tables"][measure.value]
    a, b = _first_two_roots(rows)
    a["corrects_id"] = b["id"]  # (b comes after a: a loop a -> b would need b -> a)
    b["corrects_id"] = b["id"]
    message = _problems(doc, tmp_path)
    table = measure.value
    assert (f'"{table}" record {rows.index(a) + 1}: field "corrects_id" must name an '
            "earlier entry") in message, message
    assert (f'"{table}" record {rows.index(b) + 1}: field "corrects_id" names the entry '
            "itself") in message, message


@pytest.mark.parametrize("measure", list(Measure), ids=lambda m: m.value)
def test_an_entry_corrected_twice_is_refused(example_doc, measure, tmp_path):
    doc = _copy(example_doc)
    rows = doc["tables"][measure.value]
    a, _ = _first_two_roots(rows)
    top = max(r["id"] for r in rows)
    first = dict(a, id=top + 1, corrects_id=a["id"])
    second = dict(a, id=top + 2, corrects_id=a["id"])
    rows += [first, second]
    message = _problems(doc, tmp_path)
    assert (f'"{measure.value}" record {len(rows)}: field "corrects_id" record '
            f"{rows.index(a) + 1} is already corrected by record {len(rows) - 1}") in message


@pytest.mark.parametrize("measure", list(Measure), ids=lambda m: m.value)
def test_a_withdrawn_entry_is_not_corrected_again(example_doc, measure, tmp_path):
    doc = _copy(example_doc)
    rows = doc["tables"][measure.value]
    a, _ = _first_two_roots(rows)
    top = max(r["id"] for r in rows)
    withdrawal = {**{k: None for k in a}, "id": top + 1, "on_day": a["on_day"],
                  "note": "Wrong day", "recorded_at": a["recorded_at"],
                  "corrects_id": a["id"], "entered_in_error": 1,
                  **{k: 0 for k in ("usual", "tube_version") if k in a}}
    rows += [withdrawal, dict(a, id=top + 2, corrects_id=top + 1)]
    message = _problems(doc, tmp_path)
    assert (f'"{measure.value}" record {len(rows)}: field "corrects_id" record '
            f"{len(rows) - 1} withdrew its entry as entered in error") in message, message


def test_a_correction_of_an_entry_of_another_table_is_refused(example_doc, tmp_path):
    doc = _copy(example_doc)
    weights = doc["tables"]["weight_entries"]
    checks = doc["tables"]["symptom_checks"]
    missing = max(r["id"] for r in weights) + 1000
    check = checks[-1]
    checks.append(dict(check, id=max(r["id"] for r in checks) + 1, corrects_id=missing))
    assert (f'"symptom_checks" record {len(checks)} points at a missing "symptom_checks" '
            'record: field "corrects_id"') in _problems(doc, tmp_path)


def _symptom_row(row_id: int, target: int | None, withdrawn: bool) -> dict:
    withdrawn = withdrawn and target is not None
    return {"id": row_id, "on_day": "2026-11-20", "note": "wrong day" if withdrawn else "",
            "recorded_at": "2026-11-20T18:00:00+00:00", "recorded_by": None,
            "corrects_id": target, "entered_in_error": int(withdrawn),
            "pain": None if withdrawn else 1}


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(spec=st.integers(min_value=1, max_value=8).flatmap(lambda n: st.lists(
    st.tuples(st.one_of(st.none(), st.integers(min_value=1, max_value=n)), st.booleans()),
    min_size=n, max_size=n)), data=st.data())
def test_an_import_keeps_every_entry_or_is_refused_naming_the_correction(empty_doc, spec,
                                                                         data):
    """Any chains at all, in any order in the file: either the file is refused naming a
    "corrects_id", or every entry it holds is read back in a chain (none dropped) and
    the entries as they stand are those the chains end with."""
    rows = [_symptom_row(n, target, withdrawn)
            for n, (target, withdrawn) in enumerate(spec, start=1)]
    rows = data.draw(st.permutations(rows))
    doc = _copy(empty_doc)
    doc["tables"]["symptom_checks"] = list(rows)
    with tempfile.TemporaryDirectory() as folder:
        dest = Path(folder) / "built.sqlite3"
        try:
            transfer.build_database(doc, dest)
        except TransferError as exc:
            assert any('field "corrects_id"' in p for p in exc.problems), exc.problems
            return
        db = connect(dest)
        try:
            repo = GoingRepository(db)
            chains = repo.chains(Measure.SYMPTOMS)
            assert sorted(r.id for c in chains for r in c.rows) == sorted(
                r["id"] for r in rows)
            standing = [c.last.id for c in chains if not c.last.entered_in_error]
            assert sorted(e.id for e in repo.current(Measure.SYMPTOMS)) == sorted(standing)
        finally:
            db.close()
