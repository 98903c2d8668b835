"""The Learn index (FTS5), bookmarks and notes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caregiver_app.domain.articles import load_library
from caregiver_app.domain.learn_search import HIGHLIGHT_END, HIGHLIGHT_START, fts_query
from caregiver_app.storage.db import open_database
from caregiver_app.storage.learn_repo import LearnRepository

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "learn"


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "articles", folder)
    return folder


@pytest.fixture
def repo(fresh_db, articles) -> LearnRepository:
    repo = LearnRepository(fresh_db)
    repo.sync_index(load_library(articles))
    return repo


def _ids(hits) -> list[str]:
    return [h.article_id for h in hits]


# ---- Building the index only when files change


def test_index_is_built_once_and_then_left_alone(fresh_db, articles):
    repo = LearnRepository(fresh_db)
    assert repo.sync_index(load_library(articles)) is True
    assert repo.sync_index(load_library(articles)) is False
    assert repo.sync_index(load_library(articles)) is False
    assert repo.index_builds == 1


def test_index_survives_a_restart_without_rebuilding(data_dir, articles):
    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    assert LearnRepository(db).sync_index(load_library(articles)) is True
    db.close()
    db = open_database(path)
    again = LearnRepository(db)
    assert again.sync_index(load_library(articles)) is False
    assert again.index_builds == 0
    assert _ids(again.search("riluzole"))[0] == "riluzole"
    db.close()


def test_editing_a_file_rebuilds_and_finds_the_new_words(repo, articles):
    path = articles / "cramps-and-stiffness.md"
    assert repo.search("hydrotherapy") == []
    path.write_text(path.read_text().replace("Warm baths.", "Warm baths or hydrotherapy."))
    assert repo.sync_index(load_library(articles)) is True
    assert _ids(repo.search("hydrotherapy")) == ["cramps-and-stiffness"]
    assert repo.sync_index(load_library(articles)) is False
    assert repo.index_builds == 2


def test_adding_and_removing_a_file_rebuilds(repo, articles):
    text = (articles / "riluzole.md").read_text()
    (articles / "edaravone.md").write_text(
        text.replace('id = "riluzole"', 'id = "edaravone"').replace(
            'title = "Riluzole"', 'title = "Edaravone"'))
    assert repo.sync_index(load_library(articles)) is True
    assert "edaravone" in _ids(repo.search("edaravone"))
    (articles / "edaravone.md").unlink()
    assert repo.sync_index(load_library(articles)) is True
    assert "edaravone" not in _ids(repo.search("edaravone"))
    assert repo.index_builds == 3


def test_touching_a_file_without_changing_it_does_not_rebuild(repo, articles):
    path = articles / "riluzole.md"
    path.write_bytes(path.read_bytes())
    assert repo.sync_index(load_library(articles)) is False


def test_a_newer_index_format_rebuilds_once(repo, articles, monkeypatch):
    monkeypatch.setattr("caregiver_app.storage.learn_repo.INDEX_VERSION", "999")
    assert repo.sync_index(load_library(articles)) is True
    assert repo.sync_index(load_library(articles)) is False


# ---- Searching


def test_finds_articles_by_words_in_their_body(repo):
    assert _ids(repo.search("motor neurons")) == ["what-is-als"]
    assert _ids(repo.search("feeding tube")) == ["riluzole"]


def test_title_match_ranks_first(repo):
    # "riluzole" is in the body of "What is ALS?" and in the title of "Riluzole"
    hits = repo.search("riluzole")
    assert _ids(hits)[0] == "riluzole"
    assert hits[0].title_match and not hits[1].title_match
    # "cramps" is in "What is ALS?" body and in the title "Cramps and stiffness"
    assert _ids(repo.search("cramps"))[0] == "cramps-and-stiffness"


def test_title_wins_even_when_the_body_says_it_more(fresh_db, articles):
    text = (articles / "what-is-als.md").read_text()
    (articles / "what-is-als.md").write_text(
        text.replace("A team of experts", "Stiffness stiffness stiffness stiffness. A team"))
    repo = LearnRepository(fresh_db)
    repo.sync_index(load_library(articles))
    assert _ids(repo.search("stiffness"))[0] == "cramps-and-stiffness"


@pytest.fixture
def ranking_repo(fresh_db, articles) -> LearnRepository:
    """The fixture library plus two articles made for ranking (fixtures/learn/ranking):
    "Suction machines" says "suction" only in its title; "Drooling and saliva" says it in
    its summary, tags and body, over and over, but not in its title."""
    for path in (FIXTURES / "ranking").glob("*.md"):
        shutil.copy(path, articles)
    repo = LearnRepository(fresh_db)
    repo.sync_index(load_library(articles))
    return repo


@pytest.mark.parametrize("typed", ["suction", "suct", "SUCTION"])
def test_a_title_match_ranks_first_even_when_another_article_says_the_word_far_more(
        ranking_repo, typed):
    hits = ranking_repo.search(typed)
    assert _ids(hits) == ["suction-machines", "drooling-and-saliva"]
    assert hits[0].title_match and not hits[1].title_match
    # also when only the best few are wanted (the ranking happens before the cut)
    assert _ids(ranking_repo.search(typed, limit=1)) == ["suction-machines"]


def test_snippet_highlights_the_words_found(repo):
    hit = repo.search("liver")[0]
    assert f"{HIGHLIGHT_START}liver{HIGHLIGHT_END}" in hit.snippet
    assert f"{HIGHLIGHT_START}Riluzole{HIGHLIGHT_END}" == repo.search("riluzole")[0].title


def test_search_as_you_type_finds_half_words_and_plurals(repo):
    for typed in ("cr", "cram", "cramps", "spastic", "spasticit", "stiff", "stiffnes"):
        assert "cramps-and-stiffness" in _ids(repo.search(typed)), typed
    assert "what-is-als" in _ids(repo.search("neuron"))  # body says "neurons"


def test_search_ignores_case_and_accents(repo):
    assert _ids(repo.search("RILUZOLE"))[0] == "riluzole"
    assert _ids(repo.search("rīluzóle"))[0] == "riluzole"


@pytest.mark.parametrize("typed", [
    '"', "'", '"unclosed', "-", "--", "sod1-als", "(", ")", "*", "^", ":", "title:", "{",
    "AND", "OR", "NOT", "NEAR", "a AND", "NOT riluzole", "NEAR(", "riluzole*", "\\", ";",
    "' OR 1=1 --", "\x00", "   ", "", "😀", "…", "a\nb",
])
def test_odd_input_never_raises(repo, typed):
    repo.search(typed)


# The database is shared by every example: fine, searching only reads it.
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_text_is_a_valid_query(repo, text):
    repo.search(text)


def test_no_words_means_no_query():
    assert fts_query(" -- () ") is None
    assert fts_query('say "hi" NOT now') == '"say"* AND "hi"* AND "not"* AND "now"*'


def test_like_baseline_finds_the_same_article(repo, fresh_db):
    from bench.search import like_search

    assert like_search(fresh_db, "motor neurons") == ["what-is-als"]


def test_ranked_like_baseline_looks_at_every_row_and_puts_the_title_first(ranking_repo,
                                                                          fresh_db):
    from bench.search import like_search

    assert like_search(fresh_db, "suction", limit=None, ranked=True) == [
        "suction-machines", "drooling-and-saliva"]
    assert like_search(fresh_db, "liver", limit=None, ranked=True) == ["riluzole"]


# ---- Spelling suggestions


@pytest.mark.parametrize(("typed", "meant"), [
    ("rilzole", "riluzole"),
    ("Baclophen", "baclofen"),
    ("spacticity", "spasticity"),
    ("tizanadine", "tizanidine"),
    ("motor nuerons", "motor neurons"),
    ("feedng tube", "feeding tube"),
])
def test_a_misspelled_word_suggests_the_librarys_spelling(repo, typed, meant):
    assert repo.search(typed) == []
    assert repo.suggest(typed) == meant
    assert repo.search(meant)  # what is suggested finds something


@pytest.mark.parametrize("typed", ["zzzz", "riluzole", "rilu", "", "  ", "-- ()", "xq"])
def test_no_suggestion_without_a_close_word_or_when_the_words_are_known(repo, typed):
    assert repo.suggest(typed) is None


def test_the_vocabulary_is_read_once_per_index_build(repo, articles):
    for typed in ("rilzole", "baclophen", "spacticity", "zzzz", "hydrotherepy"):
        repo.suggest(typed)
    assert repo.vocabulary_builds == 1
    assert repo.suggest("hydrotherepy") is None
    path = articles / "cramps-and-stiffness.md"
    path.write_text(path.read_text().replace("Warm baths.", "Warm baths or hydrotherapy."))
    assert repo.sync_index(load_library(articles)) is True
    assert repo.suggest("hydrotherepy") == "hydrotherapy"  # the new word, after a rebuild
    assert repo.vocabulary_builds == 2


# ---- Bookmarks and notes


def test_bookmarks_persist(repo, fresh_db):
    repo.set_bookmark("riluzole", True)
    repo.set_bookmark("riluzole", True)
    repo.set_bookmark("what-is-als", True)
    repo.set_bookmark("what-is-als", False)
    assert LearnRepository(fresh_db).bookmarks() == {"riluzole"}


def test_notes_persist_and_clearing_removes(repo, fresh_db):
    assert repo.note("riluzole") == ""
    assert repo.save_note("riluzole", "Ask about the liquid form.") is True
    assert repo.save_note("riluzole", "Ask about the liquid form.") is False
    assert LearnRepository(fresh_db).note("riluzole") == "Ask about the liquid form."
    assert repo.articles_with_notes() == {"riluzole"}
    assert repo.save_note("riluzole", "  ") is True
    assert repo.note("riluzole") == ""
    assert repo.articles_with_notes() == set()
    assert repo.save_note("riluzole", "") is False


def test_note_records_who_wrote_it(repo, fresh_db):
    caregiver = fresh_db.table("caregivers").insert(
        {"name": "Ana", "initials": "AH", "active": 1}).last_pk
    repo.save_note("riluzole", "Given with applesauce?", by=caregiver)
    row = fresh_db.execute("SELECT updated_by, updated_at FROM learn_notes").fetchone()
    assert row[0] == caregiver and row[1].endswith("+00:00")


def test_notes_of_an_article_that_disappeared_are_kept(repo, articles):
    repo.save_note("riluzole", "Important.")
    (articles / "riluzole.md").unlink()
    repo.sync_index(load_library(articles))
    assert repo.note("riluzole") == "Important."


def test_a_note_too_long_to_come_back_from_an_export_is_refused_and_not_kept(repo):
    """Issue #12 item 12: what the app saves, it can export and re-import. The import
    refuses a note over the field's limit, so saving one is refused too, by the same
    rule, and the earlier note stays (the Learn tab keeps the text and says why)."""
    from caregiver_app.domain.errors import ValidationError
    from caregiver_app.domain.fields import MAX_LEARN_NOTE

    repo.save_note("riluzole", "Ask about the liquid form.")
    assert repo.save_note("riluzole", "x" * MAX_LEARN_NOTE) is True  # at the limit: kept
    with pytest.raises(ValidationError) as refused:
        repo.save_note("riluzole", "x" * (MAX_LEARN_NOTE + 1))
    assert "10,000" in str(refused.value.errors["text"])
    assert repo.note("riluzole") == "x" * MAX_LEARN_NOTE
