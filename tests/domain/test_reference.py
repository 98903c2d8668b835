"""The medicine reference loader: what it accepts, what it refuses, lookup, search, pre-fill.

Runs on small fixture files in ``reference_fixtures/``; the real file's content is
checked in ``tests/test_reference_content.py``.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app.domain.errors import NotFound
from caregiver_app.domain.reference import (
    Availability,
    GivenBy,
    Kind,
    MedicineReference,
    ReferenceFormatError,
    RegimenHint,
    load_reference,
    parse_reference,
)
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, Route

FIXTURES = Path(__file__).parent / "reference_fixtures"


@functools.cache
def _valid() -> MedicineReference:
    return load_reference(FIXTURES / "valid.toml")


@pytest.fixture
def ref() -> MedicineReference:
    return _valid()


def _problems(name: str) -> list[tuple[str, str, str]]:
    with pytest.raises(ReferenceFormatError) as info:
        load_reference(FIXTURES / name)
    return [(p.entry, p.key, p.message) for p in info.value.problems]


# ---- Loading a good file


def test_valid_file_loads_every_field(ref):
    assert ref.ids() == ("examplumab", "oldomycin")
    assert ref.reviewed == date(2026, 11, 25)
    m = ref.get("examplumab")
    assert m.generic == "examplumab"
    assert m.brands == ("Exampla", "Sampla")
    assert m.other_names == ("EXA-1", "Boldex")
    assert m.kind is Kind.SYMPTOM
    assert m.given_by is GivenBy.HOME
    assert m.regimen_hint is RegimenHint.AS_NEEDED
    assert m.food_rule == FoodRule(FoodRuleKind.EMPTY_STOMACH, 30, 90, "Before food.")
    assert m.key_points == ("Point one.", "Point two.")
    assert m.forms[1].routes == (Route.ORAL, Route.FEEDING_TUBE)
    assert m.sources[0].url == "https://example.org/label"
    assert ref.get("oldomycin").availability is Availability.WITHDRAWN


def test_lookup_of_an_unknown_id_says_so(ref):
    assert ref.find("nothing") is None
    with pytest.raises(NotFound, match="nothing"):
        ref.get("nothing")
    assert "oldomycin" in ref and "nothing" not in ref


# ---- Refusing bad files, naming entry and key


@pytest.mark.parametrize(("fixture", "entry", "key", "words"), [
    ("unknown_route.toml", "examplumab", "forms[1].routes[1]", "unknown route 'mouth'"),
    ("unknown_form.toml", "examplumab", "forms[0].form", "unknown value 'pill'"),
    ("unknown_food_rule.toml", "examplumab", "food_rule", "unknown value 'before_breakfast'"),
    ("bad_availability.toml", "oldomycin", "availability", "unknown value 'gone'"),
    ("missing_sources.toml", "oldomycin", "sources", "missing"),
    ("duplicate_id.toml", "examplumab", "id", "duplicate id"),
    ("dose_key.toml", "examplumab", "dose", "never holds doses"),
    ("frequency_key.toml", "examplumab", "forms[0].frequency", "never holds doses"),
    ("times_key.toml", "oldomycin", "times", "never holds doses"),
    ("dose_in_text.toml", "examplumab", "key_points[1]", "reads like a dose"),
    ("bad_url.toml", "examplumab", "sources[0].url", "http(s)"),
    ("withdrawn_without_date.toml", "oldomycin", "availability_note", "date"),
])
def test_bad_file_is_refused_naming_entry_and_key(fixture, entry, key, words):
    problems = _problems(fixture)
    assert any(e == entry and k == key and words in msg for e, k, msg in problems), problems


def test_error_message_names_entry_and_key_for_people():
    with pytest.raises(ReferenceFormatError) as info:
        load_reference(FIXTURES / "unknown_route.toml")
    text = str(info.value)
    assert "unknown_route.toml" in text
    assert "'examplumab'" in text and "'forms[1].routes[1]'" in text
    assert "'feeding_tube'" in text  # lists the allowed values


def test_not_toml_is_refused_with_the_parser_position():
    [(entry, _key, message)] = _problems("not_toml.toml")
    assert entry == "(file)" and "not valid TOML" in message and "line" in message


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ReferenceFormatError, match="cannot read"):
        load_reference(tmp_path / "absent.toml")


def _raw(**changes) -> dict:
    form = {"form": "tablet", "brand": "", "strength": "", "routes": ["oral"],
            "availability": "available"}
    medicine = {
        "id": "x", "generic": "x", "brands": [], "kind": "symptom", "purpose": "Test.",
        "article": "", "given_by": "home", "regimen_hint": "", "availability": "available",
        "do_not_crush": False, "flush_ml": 0, "food_rule": "none", "key_points": [],
        "forms": [form], "sources": [{"title": "t", "url": "https://example.org"}],
    }
    for key, value in changes.items():
        if key.startswith("form_"):
            form[key[5:]] = value
        elif value is None:
            del medicine[key]
        else:
            medicine[key] = value
    return {"reviewed": date(2026, 11, 25), "medicine": [medicine]}


def _keys(raw: dict) -> set[str]:
    with pytest.raises(ReferenceFormatError) as info:
        parse_reference(raw)
    return {p.key for p in info.value.problems}


def test_minimal_entry_parses():
    assert parse_reference(_raw()).ids() == ("x",)


@pytest.mark.parametrize(("changes", "key"), [
    ({"kind": None}, "kind"),
    ({"flush_ml": 30}, "flush_ml"),  # a flush needs a tube route
    ({"flush_ml": True}, "flush_ml"),
    ({"do_not_crush": "yes"}, "do_not_crush"),
    ({"food_rule": "empty_stomach"}, "food_before_minutes"),  # needs minutes
    ({"food_rule": "with_food", "food_after_minutes": 60}, "food_rule"),
    ({"food_before_minutes": 5000, "food_rule": "fasting"}, "food_before_minutes"),
    ({"id": "Bad Id"}, "id"),
    ({"article": "Not an id"}, "article"),
    ({"given_by": "hospital"}, "given_by"),
    ({"regimen_hint": "weekly"}, "regimen_hint"),
    ({"purpose": "Take 10 mg at night."}, "purpose"),
    ({"purpose": "Line one\nline two"}, "purpose"),
    ({"key_points": ["Give every 12 hours."]}, "key_points[0]"),
    ({"food_note": "Take once daily with milk."}, "food_note"),
    ({"availability": "shortage"}, "availability_note"),
    ({"availability": "shortage", "availability_note": "Short."}, "availability_note"),
    ({"availability": "withdrawn", "availability_note": "Gone since 2024."},
     "forms[0].availability"),
    ({"forms": []}, "forms"),
    ({"sources": []}, "sources"),
    ({"sources": [{"title": "t", "url": "ftp://example.org/x"}]}, "sources[0].url"),
    ({"sources": [{"title": "t"}]}, "sources[0].url"),
    ({"brand_new_key": 1}, "brand_new_key"),
    ({"usual_dosage": "1 tablet"}, "usual_dosage"),
    ({"interval_hours": 12}, "interval_hours"),
    ({"form_routes": []}, "forms[0].routes"),
    ({"form_routes": ["oral", "oral"]}, "forms[0].routes"),
    ({"form_strength": "strong"}, "forms[0].strength"),
    ({"form_food_note": "x"}, "forms[0].food_rule"),  # a form's food note needs its food_rule
    ({"form_description": "2 tablets"}, "forms[0].description"),
])
def test_each_rule_names_its_key(changes, key):
    assert key in _keys(_raw(**changes))


def test_top_level_needs_a_reviewed_date_and_entries():
    assert {"reviewed", "medicine"} <= _keys({})
    assert "reviewed" in _keys({"reviewed": "yesterday", "medicine": _raw()["medicine"]})


def test_every_problem_is_reported_at_once():
    keys = _keys(_raw(kind="big", given_by="hospital", flush_ml=-1))
    assert {"kind", "given_by", "flush_ml"} <= keys


def test_strength_is_a_product_fact_not_scanned_as_a_dose():
    ref = parse_reference(_raw(form_strength="50 mg/10 mL"))
    assert ref.get("x").forms[0].strength == "50 mg/10 mL"


@pytest.mark.parametrize("text", [
    "Wait 8 hours after a high-fat meal.",
    "Nothing but water for 1 hour afterwards.",
    "Shake for at least 30 seconds.",
    "FDA warning, 2019.",
    "An MAOI now or in the last 14 days.",
    "Reduce it slowly over at least 1 to 2 weeks.",
])
def test_ordinary_times_are_not_mistaken_for_doses(text):
    parse_reference(_raw(key_points=[text]))


# ---- Search


@pytest.mark.parametrize(("query", "first"), [
    ("examplumab", "examplumab"),
    ("EXAMP", "examplumab"),
    ("sampla", "examplumab"),
    ("exa-1", "examplumab"),
    ("EXA 1", "examplumab"),
    ("oldo", "oldomycin"),
    ("mycin", "oldomycin"),
])
def test_search_finds_by_generic_brand_or_other_name(ref, query, first):
    assert ref.search(query)[0].id == first


def test_search_ranks_whole_and_prefix_matches_first(ref):
    # "old" starts "oldomycin" but is only inside examplumab's other name "Boldex".
    assert [m.id for m in ref.search("old")] == ["oldomycin", "examplumab"]
    assert [m.id for m in ref.search("boldex")] == ["examplumab"]
    assert [m.id for m in ref.search("  ")] == ["examplumab", "oldomycin"]
    assert ref.search("zzz") == []


@given(st.text(max_size=20))
def test_search_never_fails_and_only_returns_matches(query):
    for m in _valid().search(query):
        folded = " ".join(query.casefold().replace("-", " ").replace("/", " ").split())
        names = [m.id, *m.names]
        assert any(folded in " ".join(n.casefold().replace("-", " ").replace("/", " ").split())
                   for n in names)


@given(st.sampled_from(["examplumab", "Exampla", "Sampla", "oldomycin", "Oldo"]),
       st.integers(min_value=1, max_value=9), st.randoms())
def test_any_prefix_of_a_name_in_any_case_finds_it(name, length, rnd):
    ref = _valid()
    prefix = "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in name[:length])
    owner = "oldomycin" if name.lower().startswith("old") else "examplumab"
    assert owner in [m.id for m in ref.search(prefix)]


# ---- Pre-fill


def test_prefill_copies_the_entry_and_form(ref):
    p = ref.prefill("examplumab", 0)
    assert (p.reference_id, p.article_id, p.name, p.brand, p.strength) == (
        "examplumab", "example-article", "examplumab", "Exampla", "5 mg")
    assert p.form is Form.TABLET and p.routes == (Route.ORAL,)
    assert p.food_rule == FoodRule(FoodRuleKind.EMPTY_STOMACH, 30, 90, "Before food.")
    assert p.do_not_crush is True and p.flush_ml == 20
    assert p.given_by is GivenBy.HOME and p.regimen_hint is RegimenHint.AS_NEEDED
    assert p.availability is Availability.AVAILABLE and p.availability_warning == ""


def test_prefill_uses_a_forms_own_food_rule_and_crush_flag(ref):
    p = ref.prefill("examplumab", 1)
    assert p.food_rule == FoodRule(FoodRuleKind.WITH_FOOD, 0, 0, "With a meal.")
    assert p.do_not_crush is False
    assert p.availability is Availability.SHORTAGE
    assert p.availability_warning.startswith("generic 1 mg/mL oral solution: In short supply")
    assert "March 2026" in p.availability_warning


def test_prefill_flags_a_withdrawn_medicine_once(ref):
    p = ref.prefill("oldomycin")
    assert p.availability is Availability.WITHDRAWN
    assert p.availability_warning == "Withdrawn from the market. Withdrawn on 1 May 2024."


def test_prefill_of_an_unknown_form_is_refused(ref):
    with pytest.raises(NotFound):
        ref.prefill("oldomycin", 1)
    with pytest.raises(NotFound):
        ref.prefill("oldomycin", -1)


def test_every_status_has_a_plain_headline():
    for status in Availability:
        assert bool(status.headline) is (status is not Availability.AVAILABLE)
