"""What the Learn tab says under a note and above the search results, and the related
articles it lists: rules moved out of the tab (``domain.learn_notes``,
``domain.learn_search``, ``Library.related``), checked without Qt."""

from __future__ import annotations

from datetime import date

from caregiver_app.domain import learn_notes
from caregiver_app.domain.articles import Article, Library
from caregiver_app.domain.learn_search import results_line, suggestion_texts


def _article(article_id: str, title: str, related: tuple[str, ...] = ()) -> Article:
    return Article(id=article_id, title=title, summary="", category="Living with ALS",
                   tags=(), medicines=(), related=related, reviewed=date(2026, 11, 25),
                   sources=(), body="Text.")


def test_a_blank_note_is_kept_as_nothing():
    assert learn_notes.stored_note("  \n\t") == ""
    assert learn_notes.stored_note(" Ask about it. ") == " Ask about it. "


def test_clearing_or_typing_over_a_note_says_how_to_bring_it_back():
    before = "Ask the nurse about the liquid form on Monday."
    cleared = learn_notes.after_saving(before, "   ")
    assert cleared == "Note cleared. Ctrl+Z in the note brings back what was removed."
    typed_over = learn_notes.after_saving(before, "Call Ana")
    assert typed_over == ("Saved on this computer. Ctrl+Z in the note brings back what "
                          "was removed.")
    # half or more kept, or nothing there before: the usual line
    assert learn_notes.after_saving(before, before[: len(before) // 2 + 1]) is None
    assert learn_notes.after_saving("", "New note") is None
    assert learn_notes.after_saving("  ", "") is None


def test_the_line_under_a_note_as_it_stands():
    assert learn_notes.note_state("Liver test", can_undo=False) == "Saved on this computer."
    assert learn_notes.note_state("", can_undo=True) == (
        "Note cleared. Ctrl+Z in the note brings it back.")
    assert learn_notes.note_state("", can_undo=True, undo_keys="⌘Z") == (
        "Note cleared. ⌘Z in the note brings it back.")  # the Mac's own notation
    assert learn_notes.note_state(" ", can_undo=False) == ""


def test_results_line_counts_and_says_what_to_do_when_nothing_matches():
    assert results_line("cramp", 1) == "1 article found. Press Down to go through them."
    assert results_line("als", 12) == "12 articles found. Press Down to go through them."
    assert results_line(" rilzole ", 0, suggestion="riluzole") == (
        "No article matches “rilzole”.")
    assert results_line("xyzzy", 0) == (
        "No article matches “xyzzy”. Try fewer or shorter words.")
    text, accessible, tip = suggestion_texts("riluzole")
    assert text == "Did you mean “riluzole”?"
    assert accessible == "Did you mean riluzole? Search for it"
    assert "Enter" in tip and "riluzole" in tip


def test_related_articles_in_the_articles_order_without_missing_ones():
    second = _article("what-is-als", "What is ALS")
    third = _article("breathing", "Breathing")
    reader = _article("riluzole", "Riluzole", ("breathing", "gone", "what-is-als"))
    library = Library(articles=(reader, second, third))
    assert library.related(reader) == [("breathing", "Breathing"),
                                       ("what-is-als", "What is ALS")]
    assert library.related(second) == []
