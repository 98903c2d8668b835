"""The real medicine reference shipped in resources/: loads, is complete, and is safe.

These tests read ``resources/medicines/reference.toml`` both through the loader
and as raw TOML, so a loader bug cannot hide a content problem.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import pytest
from source_hosts import refused

from caregiver_app.domain.dosing_text import dosing_statements
from caregiver_app.domain.reference import (
    REFERENCE_RESOURCE,
    Availability,
    GivenBy,
    Kind,
    MedicineReference,
    RegimenHint,
    load_reference,
)
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, Route
from caregiver_app.paths import resource, resources_dir

REFERENCE_FILE = resource(*REFERENCE_RESOURCE)
ARTICLES_DIR = resources_dir() / "articles"

EXPECTED_IDS = (
    "riluzole", "edaravone-iv", "edaravone-oral", "tofersen",
    "sodium-phenylbutyrate-taurursodiol", "dextromethorphan-quinidine", "baclofen",
    "tizanidine", "dantrolene", "gabapentin", "quinine", "mexiletine", "glycopyrrolate",
    "scopolamine", "atropine-drops", "amitriptyline", "botulinum-toxin", "acetylcysteine",
    "guaifenesin", "carbocisteine", "propranolol", "metoprolol", "citalopram",
    "sertraline", "escitalopram", "mirtazapine", "lorazepam", "morphine", "midazolam",
    # bowel care, issue 16 (no doses)
    "polyethylene-glycol", "lactulose", "senna", "bisacodyl", "docusate",
)

# Learn articles that may be linked from the reference (written on other branches).
ARTICLE_IDS = {
    "how-als-medicines-work", "riluzole", "edaravone", "tofersen",
    "tried-and-withdrawn-medicines", "cramps-and-stiffness", "drooling-and-secretions",
    "pseudobulbar-affect", "pain-sleep-and-fatigue", "mood-and-mental-health",
    "swallowing-and-medicines", "managing-many-medicines", "constipation-and-bowel-care",
}

DOSE_WORDS = ("dose", "dosag", "dosing", "frequen", "titrat", "posolog")


@functools.cache
def _ref() -> MedicineReference:
    return load_reference(REFERENCE_FILE)


@functools.cache
def _raw() -> dict:
    return tomllib.loads(REFERENCE_FILE.read_text(encoding="utf-8"))


def _walk_keys(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}" if path else key, key
            yield from _walk_keys(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_keys(value, f"{path}[{i}]")


def test_real_file_loads():
    ref = _ref()
    assert len(ref) == len(EXPECTED_IDS)
    assert ref.reviewed is not None


def test_ids_are_exactly_the_agreed_ones():
    assert _ref().ids() == EXPECTED_IDS


def test_every_entry_has_sources_with_web_addresses():
    for m in _ref():
        assert m.sources, m.id
        assert len(m.sources) >= 2, f"{m.id}: give at least two sources"
        for s in m.sources:
            assert re.match(r"^https?://[^\s/]+\.[^\s]+$", s.url), (m.id, s.url)
            assert s.title.strip(), m.id


def test_every_source_address_uses_https():
    plain = [(m.id, s.url) for m in _ref() for s in m.sources if not s.url.startswith("https://")]
    assert not plain, f"use https:// for every source address: {plain}"


def test_every_vocabulary_value_is_valid_in_the_raw_file():
    for entry in _raw()["medicine"]:
        where = entry["id"]
        Kind(entry["kind"])
        GivenBy(entry["given_by"])
        RegimenHint(entry["regimen_hint"])
        Availability(entry["availability"])
        FoodRuleKind(entry["food_rule"])
        for form in entry["forms"]:
            Form(form["form"])
            Availability(form["availability"])
            assert [Route(r) for r in form["routes"]], where
            if "food_rule" in form:
                FoodRuleKind(form["food_rule"])


def test_no_key_anywhere_looks_like_a_dose():
    bad = [path for path, key in _walk_keys(_raw())
           if any(w in key.casefold() for w in DOSE_WORDS)
           or set(re.split(r"[^a-z]+", key.casefold())) & {"times", "interval", "schedule",
                                                           "daily"}]
    assert not bad


def test_no_free_text_reads_like_a_dose():
    # The loader scans free text; spot-check that the commonest slips would be caught.
    pattern = re.compile(r"\b\d+\s*(mg|mcg|ml|tablets?|capsules?|drops?)\b|twice|once daily",
                         re.IGNORECASE)
    for m in _ref():
        texts = [m.purpose, m.food_rule.note, m.availability_note, *m.key_points]
        texts += [f.description + " " + f.availability_note for f in m.forms]
        for text in texts:
            assert not pattern.search(text), (m.id, text)


def _free_texts(m) -> list[tuple[str, str]]:
    texts = [("purpose", m.purpose), ("food_note", m.food_rule.note),
             ("availability_note", m.availability_note)]
    texts += [(f"key_points[{i}]", point) for i, point in enumerate(m.key_points)]
    for i, f in enumerate(m.forms):
        texts += [(f"forms[{i}].description", f.description),
                  (f"forms[{i}].availability_note", f.availability_note)]
        if f.food_rule is not None:
            texts.append((f"forms[{i}].food_note", f.food_rule.note))
    return [(key, text) for key, text in texts if text]


def test_no_free_text_gives_an_amount_schedule_taper_or_missed_dose_rule():
    # The loader refuses amounts and frequencies; this also catches tapers ("over 1 to 2
    # weeks") and missed-dose rules, with the same finder the articles are checked with.
    checked, found = 0, []
    for m in _ref():
        for key, text in _free_texts(m):
            checked += 1
            found += [f"{m.id} {key}: {s.describe()}" for s in dosing_statements(text)]
    assert checked > 180
    assert not found, "; ".join(found)


def test_relyvrio_is_flagged_withdrawn_with_its_date():
    m = _ref().get("sodium-phenylbutyrate-taurursodiol")
    assert m.availability is Availability.WITHDRAWN
    assert all(f.availability is Availability.WITHDRAWN for f in m.forms)
    assert "April 2024" in m.availability_note
    assert "Relyvrio" in m.brands
    warning = _ref().prefill(m.id).availability_warning
    assert warning.startswith("Withdrawn")


def test_tiglutik_is_flagged_short_as_of_october_2026():
    ref = _ref()
    riluzole = ref.get("riluzole")
    [(index, tiglutik)] = [(i, f) for i, f in enumerate(riluzole.forms) if f.brand == "Tiglutik"]
    assert tiglutik.availability is Availability.SHORTAGE
    assert "October 2026" in tiglutik.availability_note
    p = ref.prefill("riluzole", index)
    assert p.availability is Availability.SHORTAGE
    assert "In short supply" in p.availability_warning


def test_exservan_status_is_unconfirmed():
    riluzole = _ref().get("riluzole")
    [exservan] = [f for f in riluzole.forms if f.brand == "Exservan"]
    assert exservan.availability is Availability.UNCONFIRMED


def test_the_plain_riluzole_tablet_carries_no_warning():
    p = _ref().prefill("riluzole", 0)
    assert p.brand == "Rilutek" and p.strength == "50 mg"
    assert p.availability is Availability.AVAILABLE and p.availability_warning == ""


def test_article_ids_are_known_learn_articles():
    for m in _ref():
        assert m.article in ARTICLE_IDS, (m.id, m.article)


@pytest.mark.skipif(not ARTICLES_DIR.is_dir() or not any(ARTICLES_DIR.glob("*.md")),
                    reason="no Learn articles in resources/articles/ on this branch yet")
def test_each_linked_article_file_exists():
    missing = [(m.id, m.article) for m in _ref()
               if m.article and not (ARTICLES_DIR / f"{m.article}.md").is_file()]
    assert not missing


def test_riluzole_prefill_gives_the_empty_stomach_rule():
    p = _ref().prefill("riluzole")
    assert p.name == "riluzole" and p.article_id == "riluzole"
    assert p.food_rule.kind is FoodRuleKind.EMPTY_STOMACH
    assert (p.food_rule.before_minutes, p.food_rule.after_minutes) == (60, 120)
    assert p.routes == (Route.ORAL,) and p.form is Form.TABLET


def test_riluzole_crushing_is_left_to_the_pharmacist():
    m = _ref().get("riluzole")
    assert m.do_not_crush is False  # the label's position is unconfirmed
    assert any("Ask the pharmacist before crushing" in k for k in m.key_points)


def test_edaravone_oral_prefill_gives_fasting_rule_and_flush():
    ref = _ref()
    p = ref.prefill("edaravone-oral")
    assert p.food_rule.kind is FoodRuleKind.FASTING
    assert p.food_rule.before_minutes == 8 * 60  # longest wait in the label's table
    assert p.food_rule.after_minutes == 60
    for words in ("8 hours", "4 hours", "2 hours", "1 hour"):
        assert words in p.food_rule.note
    assert p.flush_ml == 30
    assert Route.FEEDING_TUBE in p.routes
    assert p.regimen_hint is RegimenHint.EDARAVONE_CYCLE


def test_regimen_hints_match_the_special_schedules():
    ref = _ref()
    assert ref.get("edaravone-iv").regimen_hint is RegimenHint.EDARAVONE_CYCLE
    assert ref.get("tofersen").regimen_hint is RegimenHint.TOFERSEN_LOADING
    assert ref.get("tofersen").given_by is GivenBy.CLINIC
    assert ref.get("edaravone-iv").given_by is GivenBy.CLINIC


def test_nuedexta_food_rule_is_none_with_a_note():
    rule = _ref().get("dextromethorphan-quinidine").food_rule
    assert rule == FoodRule(FoodRuleKind.NONE, 0, 0, rule.note)
    assert "with or without food" in rule.note


def test_quinine_names_the_us_uk_difference():
    m = _ref().get("quinine")
    assert m.availability is Availability.NOT_APPROVED_US
    assert "NICE" in m.availability_note and "FDA" in m.availability_note
    assert "boxed warning" in m.availability_note


def test_nuedexta_names_the_us_uk_difference():
    # EU authorisation 2013, withdrawn 2016 (EMA EPAR); not "our sources do not show" (#16).
    note = _ref().get("dextromethorphan-quinidine").availability_note
    assert "US" in note and "UK" in note and "MND team" in note
    assert "2013" in note and "withdrawn" in note and "2016" in note
    assert "do not show" not in note


def test_nuedexta_names_its_interactions_and_label_warnings():
    points = " ".join(_ref().get("dextromethorphan-quinidine").key_points)
    for words in ("CYP2D6", "amitriptyline", "metoprolol", "citalopram", "dizziness",
                  "platelets", "liver"):
        assert words in points, words


def test_quinine_carries_the_mhra_qt_warning():
    points = " ".join(_ref().get("quinine").key_points)
    assert "heart rhythm" in points and "MHRA" in points


def test_tizanidine_lists_the_label_warnings_not_qt():
    points = " ".join(_ref().get("tizanidine").key_points)
    assert "hallucinations" in points and "QT" not in points


def test_tofersen_names_aseptic_meningitis_and_spinal_tap_effects():
    points = " ".join(_ref().get("tofersen").key_points)
    assert "aseptic meningitis" in points and "headache" in points


def test_carbocisteine_is_flagged_as_a_uk_product_not_approved_in_the_us():
    m = _ref().get("carbocisteine")
    assert m.availability is Availability.NOT_APPROVED_US
    assert "UK" in m.availability_note and "not approved in the US" in m.availability_note
    assert _ref().prefill("carbocisteine").availability is Availability.NOT_APPROVED_US


def test_midazolam_names_the_us_uk_difference():
    m = _ref().get("midazolam")
    assert "UK" in m.availability_note and "US" in m.availability_note
    assert "breathing" in " ".join(m.key_points)


def test_key_safety_points_are_present():
    ref = _ref()

    def points(medicine_id):
        return " ".join(ref.get(medicine_id).key_points)

    assert "liver" in points("riluzole")
    assert "Never stop it suddenly" in points("baclofen")
    assert "sulfite" in points("edaravone-iv") and "sulfite" in points("edaravone-oral")
    assert "riluzole" in points("mexiletine") and "Mexiletine" in points("riluzole")
    assert "breathing" in points("morphine") and "breathing" in points("lorazepam")
    assert "Do not stop it suddenly" in points("propranolol")
    assert "Do not stop it suddenly" in points("metoprolol")
    assert "ulcer" in points("carbocisteine")


def test_extended_release_forms_are_never_crushed():
    for m in _ref():
        for f in m.forms:
            if "extended-release" in f.description:
                assert m.do_not_crush_for(f), (m.id, f.label())


def test_tube_routes_only_where_sourced():
    # Feeding-tube use is labelled or sourced only for these entries.
    with_tube = {m.id for m in _ref() for f in m.forms if any(r.is_tube for r in f.routes)}
    assert with_tube == {"riluzole", "edaravone-oral", "sodium-phenylbutyrate-taurursodiol"}


def test_search_finds_entries_by_brand_and_uk_name():
    ref = _ref()
    assert ref.search("Radicava")[0].id.startswith("edaravone")
    assert ref.search("hyoscine")[0].id == "scopolamine"
    assert ref.search("glycopyrronium")[0].id == "glycopyrrolate"
    assert ref.search("nuedexta")[0].id == "dextromethorphan-quinidine"
    assert ref.search("relyv")[0].id == "sodium-phenylbutyrate-taurursodiol"


def test_the_format_document_lists_the_same_ids():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "medicine-reference-format.md")
    text = doc.read_text(encoding="utf-8")
    listed = text.split("Ids in use", 1)[1]
    for medicine_id in EXPECTED_IDS:
        assert re.search(rf"\b{re.escape(medicine_id)}\b", listed), medicine_id


def _article_headers() -> dict[str, dict]:
    headers = {}
    for path in sorted(ARTICLES_DIR.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, header, body = text.split("+++", 2)
        headers[path.stem] = {**tomllib.loads(header), "_body": body}
    return headers


@pytest.mark.skipif(not ARTICLES_DIR.is_dir() or not any(ARTICLES_DIR.glob("*.md")),
                    reason="no Learn articles in resources/articles/ on this branch yet")
def test_articles_only_name_medicines_in_the_reference():
    ids = set(_ref().ids())
    for article_id, header in _article_headers().items():
        named = set(header.get("medicines", []))
        named |= set(re.findall(r"\]\(medicine:([a-z0-9-]+)\)", header["_body"]))
        assert named <= ids, (article_id, sorted(named - ids))


@pytest.mark.skipif(not ARTICLES_DIR.is_dir() or not any(ARTICLES_DIR.glob("*.md")),
                    reason="no Learn articles in resources/articles/ on this branch yet")
def test_each_medicines_article_names_it_back():
    headers = _article_headers()
    for m in _ref():
        if m.article in headers:
            assert m.id in headers[m.article].get("medicines", []), (m.id, m.article)


#: Hosts that are copies, mirrors, staging or test servers, archives or proxies: a
#: caregiver following the link must land on the publisher's own page.
NOT_A_PUBLISHER = ("staging", "-stg", "qa00.", "dev-", "scriptsavetest", "proxy.", "weglot",
                   "webharvest", "cybercemetery", "dailymed-beta", "1.800.gay", "pharmrx-1",
                   "experts123", "jesse.tg", "digitalistechnology", "studyres", "myhealthbox",
                   "prep.medthority", "covid19app")


def test_sources_point_at_the_publisher_not_a_copy_or_test_server():
    import re

    from caregiver_app.paths import resources_dir

    found = []
    for path in sorted(resources_dir().rglob("*")):
        if path.suffix not in (".md", ".toml"):
            continue
        for url in re.findall(r'https?://[^\s"<>)]+', path.read_text(encoding="utf-8")):
            host = url.split("/")[2].lower()
            if any(bad in host for bad in NOT_A_PUBLISHER):
                found.append(f"{path.name}: {url}")
    assert found == []


def test_reference_cites_sources_at_their_publisher_not_a_mirror():
    # Issue 16: finance sites, mirrors, leaflet copies and API addresses out.
    checked = 0
    bad = []
    for medicine in _ref():
        for source in medicine.sources:
            checked += 1
            if refused(source.url):
                bad.append(f"{medicine.id}: {source.url} ({refused(source.url)})")
    assert checked > 100
    assert not bad, "cite the primary publisher instead of: " + "; ".join(bad)


def test_every_entry_reads_at_grade_8_or_below():
    # Issue 16: the reference's short texts ran up to grade 10; the articles' limit holds.
    from reading import reading_grade

    from caregiver_app.domain.articles import MAX_GRADE

    checked, hard = 0, []
    for m in _ref():
        parts = [m.purpose, *m.key_points, m.availability_note, m.food_rule.note]
        text = "\n".join(f"- {p}" for p in parts if p)
        checked += 1
        grade = reading_grade(text)
        if grade > MAX_GRADE:
            hard.append(f"{m.id}: grade {grade:.1f}")
    assert checked == len(list(_ref()))
    assert not hard, f"above grade {MAX_GRADE:g}: " + "; ".join(hard)
