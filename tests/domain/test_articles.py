"""Article files: parsing, the checks, plain text and readability."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reading import reading_grade

from caregiver_app.domain.articles import (
    ArticleError,
    load_library,
    parse_article,
    strip_markdown,
    validate_article,
)
from caregiver_app.domain.reference import load_reference

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "learn"

GOOD = """\
+++
id = "riluzole"
title = "Riluzole"
summary = "A medicine that can slow ALS a little."
category = "ALS medicines"
tags = ["riluzole", "Rilutek"]
medicines = ["riluzole"]
related = ["what-is-als"]
reviewed = 2026-11-25

[[sources]]
title = "Label"
url = "https://example.org/label"

[[sources]]
title = "Review"
url = "http://example.org/review"
+++

Riluzole can slow ALS. See [what ALS is](article:what-is-als).

## Your care team decides

Your care team decides about treatment.
"""


def _with(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _problems(text: str, **kwargs) -> list[str]:
    article = parse_article(text, source="riluzole.md")
    defaults = {"file_stem": "riluzole", "article_ids": {"riluzole", "what-is-als"},
                "medicine_ids": {"riluzole", "baclofen"}}
    return validate_article(article, **{**defaults, **kwargs})


# ---- Parsing


def test_good_article_parses_with_every_field():
    article = parse_article(GOOD, source="riluzole.md")
    assert article.id == "riluzole"
    assert article.title == "Riluzole"
    assert article.category == "ALS medicines"
    assert article.tags == ("riluzole", "Rilutek")
    assert article.medicines == ("riluzole",)
    assert article.related == ("what-is-als",)
    assert article.reviewed == date(2026, 11, 25)
    assert [s.url for s in article.sources] == ["https://example.org/label",
                                                "http://example.org/review"]
    assert article.body.lstrip().startswith("Riluzole can slow ALS.")
    assert _problems(GOOD) == []


def test_windows_line_endings_and_byte_order_mark_are_fine():
    article = parse_article("\ufeff" + GOOD.replace("\n", "\r\n"), source="riluzole.md")
    assert article.title == "Riluzole"
    assert _problems("\ufeff" + GOOD.replace("\n", "\r\n")) == []


def test_missing_header_fence_names_the_file_and_line():
    with pytest.raises(ArticleError, match=r"^riluzole\.md: line 1: the file must start"):
        parse_article(GOOD.removeprefix("+++\n"), source="riluzole.md")


def test_unclosed_header():
    text = GOOD.replace("+++\n\nRiluzole", "\nRiluzole")
    with pytest.raises(ArticleError, match="never closed"):
        parse_article(text, source="riluzole.md")


def test_toml_error_points_at_the_line_in_the_file():
    text = _with(GOOD, 'title = "Riluzole"', 'title = "Riluzole')
    with pytest.raises(ArticleError) as info:
        parse_article(text, source="riluzole.md")
    # the title is on line 3 of the file (line 2 of the header)
    assert info.value.problems[0].startswith("line 3: the header is not valid TOML")


@pytest.mark.parametrize("key", ["id", "title", "summary", "category", "tags", "medicines",
                                 "related", "reviewed"])
def test_every_missing_key_is_named(key):
    lines = [ln for ln in GOOD.splitlines(keepends=True) if not ln.startswith(f"{key} =")]
    with pytest.raises(ArticleError, match=f"the header has no '{key}' key"):
        parse_article("".join(lines), source="riluzole.md")


def test_all_problems_are_reported_at_once_with_lines():
    text = _with(GOOD, 'tags = ["riluzole", "Rilutek"]', 'tags = "riluzole"')
    text = _with(text, "reviewed = 2026-11-25", 'reviewed = "last week"')
    text = _with(text, 'url = "http://example.org/review"', "")
    with pytest.raises(ArticleError) as info:
        parse_article(text, source="riluzole.md")
    problems = info.value.problems
    assert "line 6: 'tags' must be a list of texts" in problems[0]
    assert any(p.startswith("line 9: 'reviewed' must be a date") for p in problems)
    assert any(p.startswith("line 15: source 2 has no url") for p in problems)
    assert str(info.value).startswith("riluzole.md: ")


def test_date_with_a_time_is_refused():
    text = _with(GOOD, "reviewed = 2026-11-25", "reviewed = 2026-11-25T10:00:00")
    with pytest.raises(ArticleError, match="'reviewed' must be a date"):
        parse_article(text, source="riluzole.md")


def test_unknown_key_is_refused():
    text = _with(GOOD, "reviewed = 2026-11-25", "reviewed = 2026-11-25\ndose = \"50 mg\"")
    with pytest.raises(ArticleError, match="line 10: unknown header key 'dose'"):
        parse_article(text, source="riluzole.md")


def test_empty_body_is_refused():
    text = GOOD[: GOOD.index("+++\n\n") + 4]
    with pytest.raises(ArticleError, match="no body text"):
        parse_article(text, source="riluzole.md")


# ---- Checks against the library


def test_id_must_match_file_name():
    assert _problems(GOOD, file_stem="rilutek") == [
        "line 2: id 'riluzole' differs from the file name 'rilutek.md'"]


def test_unknown_category():
    problems = _problems(_with(GOOD, 'category = "ALS medicines"', 'category = "Drugs"'))
    assert problems[0].startswith("line 5: unknown category 'Drugs'; choose one of: About ALS")


def test_two_sources_needed():
    one = GOOD[: GOOD.index("[[sources]]\ntitle = \"Review\"")] + GOOD[GOOD.index("+++\n\n"):]
    assert _problems(one) == ["line 11: an article needs at least 2 sources, this one has 1"]


def test_source_address_must_be_http():
    text = _with(GOOD, "https://example.org/label", "ftp://example.org/label")
    assert _problems(text) == [
        "line 11: source 1 url 'ftp://example.org/label' must start with http:// or https://"]


def test_medicines_must_exist_in_the_reference():
    text = _with(GOOD, 'medicines = ["riluzole"]', 'medicines = ["riluzole", "rilutek"]')
    assert _problems(text) == [
        "line 7: medicines names 'rilutek', which is not in the medicine reference"]


def test_related_articles_must_exist():
    text = _with(GOOD, 'related = ["what-is-als"]', 'related = ["what-is-als", "nope"]')
    assert _problems(text) == ["line 8: related names 'nope', which is not an article"]


def test_body_links_are_checked_with_their_line():
    text = _with(GOOD, "Riluzole can slow ALS.",
                 "Riluzole can slow ALS. [x](article:gone) [y](medicine:unknown)\n"
                 "[z](javascript:alert(1))")
    assert _problems(text) == [
        "line 20: link to article 'gone', which does not exist",
        "line 20: link to medicine 'unknown', which is not in the medicine reference",
        "line 21: link 'javascript:alert(1' must be article:ID, medicine:ID or an http(s) "
        "address",
    ]


def test_checks_without_a_reference_skip_medicine_ids():
    text = _with(GOOD, 'medicines = ["riluzole"]', 'medicines = ["anything"]')
    assert _problems(text, medicine_ids=None) == []


def test_body_must_end_with_the_care_team_section():
    text = GOOD.replace("## Your care team decides\n\nYour care team decides about treatment.",
                        "## Side effects\n\nTell someone.")
    assert _problems(text) == [
        "the body must end with a section '## Your care team decides' saying that the care "
        "team decides treatment"]
    later = GOOD + "\n## More\n\nText.\n"
    assert len(_problems(later)) == 1
    empty = GOOD.replace("Your care team decides about treatment.", "")
    assert _problems(empty) == ["line 22: the '## Your care team decides' section is empty"]


def test_fixture_articles_are_clean():
    library = load_library(FIXTURES / "articles")
    refs = set(load_reference(FIXTURES / "medicines" / "reference.toml").ids())
    assert library.problems == ()
    assert len(library.articles) == 3
    for article in library.articles:
        assert validate_article(article, file_stem=article.id, article_ids=library.ids(),
                                medicine_ids=refs) == []


# ---- Plain text and readability


def test_strip_markdown_keeps_only_the_words():
    text = (
        "## A heading ##\n\n"
        "Some **bold**, *italic*, _under_ and `code` with a [link](article:x) and\n"
        "a wrapped line.\n\n"
        "- first item\n"
        "- second with ![an image](pic.png)\n"
        "1. numbered\n\n"
        "> quoted text\n\n"
        "---\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "snake_case stays, 3 * 4 stays, escaped \\*star\\*."
    )
    assert strip_markdown(text) == (
        "A heading\n"
        "Some bold, italic, under and code with a link and a wrapped line.\n"
        "first item\n"
        "second with an image\n"
        "numbered\n"
        "quoted text\n"
        "a b\n"
        "1 2\n"
        "snake_case stays, 3 * 4 stays, escaped *star*."
    )


def test_close_sentences_ends_headings_and_items():
    text = "## Side effects\n\nReport these:\n\n- Nausea\n- Feeling tired.\n"
    assert strip_markdown(text, close_sentences=True) == (
        "Side effects.\nReport these:\nNausea.\nFeeling tired.")


@given(st.text())
def test_strip_markdown_never_fails(text):
    assert isinstance(strip_markdown(text, close_sentences=True), str)


def test_reading_grade_separates_plain_from_dense_text():
    plain = "ALS makes muscles weak. It gets worse over time. A team can help you.\n" * 5
    dense = ("Amyotrophic lateral sclerosis is a progressive neurodegenerative disorder "
             "characterised by degeneration of upper and lower motor neurons, resulting in "
             "weakness, fasciculations, spasticity and eventually respiratory insufficiency.")
    assert reading_grade(plain) < 5
    assert reading_grade(dense) > 12


# ---- Library


def test_library_orders_and_groups_articles(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "articles", folder)
    library = load_library(folder)
    assert [a.id for a in library.articles] == ["what-is-als", "riluzole",
                                                "cramps-and-stiffness"]
    assert library.categories() == ("About ALS", "ALS medicines",
                                    "Symptoms and their medicines")
    assert set(library.fingerprints) == {"what-is-als.md", "riluzole.md",
                                         "cramps-and-stiffness.md"}


def test_library_leaves_out_broken_files_and_says_why(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "articles", folder)
    (folder / "broken.md").write_text("no header here\n", encoding="utf-8")
    (folder / "copy.md").write_text((folder / "riluzole.md").read_text(), encoding="utf-8")
    (folder / "latin1.md").write_bytes(b"+++\ntitle = \"caf\xe9\"\n+++\n")
    library = load_library(folder)
    assert len(library.articles) == 3
    assert sorted(p.split(":")[0] for p in library.problems) == ["broken.md", "copy.md",
                                                                 "latin1.md"]
    assert "broken.md" in library.fingerprints  # a fixed file will trigger a rebuild


def test_missing_folder_is_an_empty_library(tmp_path):
    assert load_library(tmp_path / "nowhere").articles == ()


def test_article_for_a_medicine_prefers_the_reference_then_the_most_specific():
    library = load_library(FIXTURES / "articles")
    named = {"riluzole": "riluzole", "baclofen": "what-is-als", "quinine": "gone"}
    assert library.for_medicine("riluzole", named).id == "riluzole"
    # the reference entry's article wins even over a more specific article
    assert library.for_medicine("baclofen", named).id == "what-is-als"
    # no article in the reference (or one that is missing): the article naming it
    assert library.for_medicine("tizanidine", named).id == "cramps-and-stiffness"
    assert library.for_medicine("baclofen").id == "cramps-and-stiffness"
    assert library.for_medicine("morphine", named) is None
