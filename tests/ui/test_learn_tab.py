"""The Learn tab: browsing, searching, reading, links, bookmarks, notes, zoom, printing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gui_paths import wait_for
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication

from caregiver_app.domain.own_doses import OwnDose, learn_line
from caregiver_app.domain.reference import load_reference
from caregiver_app.services.learn import Learn
from caregiver_app.storage.learn_repo import LearnRepository
from caregiver_app.ui.learn import LearnTab
from caregiver_app.ui.learn.models import (
    BOOKMARKS,
    CATEGORY_PREFIX,
    HTML_ROLE,
    ID_ROLE,
    ArticleFilterProxy,
    ArticleListModel,
    CategoryListModel,
    SearchResultsModel,
)
from caregiver_app.ui.learn.reader import CARE_TEAM_LINE
from caregiver_app.ui.settings import UiSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "learn"
REFERENCE = FIXTURES / "medicines" / "reference.toml"


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "articles", folder)
    return folder


@pytest.fixture
def make_tab(qtbot, fresh_db, articles, tmp_path):
    def make(*, shown: bool = True, **kwargs) -> LearnTab:
        tab = LearnTab(
            learn=Learn(kwargs.pop("repo", None) or LearnRepository(fresh_db), articles,
                        REFERENCE),
            reference=lambda: load_reference(REFERENCE),
            settings=kwargs.pop("settings", None) or UiSettings.at(tmp_path / "ui.ini"),
            **kwargs,
        )
        qtbot.addWidget(tab)
        if shown:
            tab.resize(1100, 700)
            with qtbot.waitSignal(tab.library_loaded):
                tab.show()
            qtbot.waitExposed(tab)
        return tab

    return make


@pytest.fixture
def tab(make_tab) -> LearnTab:
    return make_tab()


def _rows(view) -> list[str]:
    model = view.model()
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


def _type(qtbot, tab: LearnTab, text: str) -> None:
    """Type into the search box key by key and wait for the results (search waits for a
    pause in typing)."""
    with qtbot.waitSignal(tab.search_finished, timeout=2000):
        qtbot.keyClicks(tab.search_box, text)


# ---- Loading lazily


def test_nothing_is_read_until_the_tab_is_shown(make_tab, qtbot):
    repo_calls = []
    tab = make_tab(shown=False)
    tab._learn.sync_index = lambda lib, f=tab._learn.sync_index: repo_calls.append(1) or f(lib)
    assert not tab.is_loaded()
    assert repo_calls == []
    with qtbot.waitSignal(tab.library_loaded):
        tab.show()
    assert tab.is_loaded() and repo_calls == [1]
    assert tab.current_article().id == "what-is-als"  # first in reading order


def test_second_start_reuses_the_index(make_tab, fresh_db):
    repo = LearnRepository(fresh_db)
    make_tab(repo=repo)
    assert repo.index_builds == 1
    again = LearnRepository(fresh_db)
    make_tab(repo=again)
    assert again.index_builds == 0


def test_empty_library_says_so(make_tab, articles):
    for path in articles.glob("*.md"):
        path.unlink()
    tab = make_tab()
    assert "No articles were found" in tab.reader.toPlainText()
    assert not tab.print_button.isEnabled() and not tab.notes_edit.isEnabled()


# ---- Models


def test_models_pass_the_model_tester(tab, qtmodeltester):
    qtmodeltester.check(tab.category_model)
    qtmodeltester.check(tab.article_model)
    qtmodeltester.check(tab.article_proxy)
    tab.search("als")
    qtmodeltester.check(tab.results_model)


def test_fresh_models_pass_the_model_tester(qtmodeltester, qapp):
    for model in (CategoryListModel(), ArticleListModel(), SearchResultsModel()):
        qtmodeltester.check(model)
    proxy = ArticleFilterProxy()
    proxy.setSourceModel(ArticleListModel())
    qtmodeltester.check(proxy)


# ---- Browsing


def test_categories_filter_the_article_list(tab):
    labels = [tab.category_model.index(r, 0).data() for r in range(tab.category_model.rowCount())]
    assert labels == ["All articles (3)", "About ALS (1)", "ALS medicines (1)",
                      "Symptoms and their medicines (1)", "★ Bookmarked (0)"]
    assert _rows(tab.article_view) == ["what-is-als", "riluzole", "cramps-and-stiffness"]
    tab.show_category(CATEGORY_PREFIX + "Symptoms and their medicines")
    assert _rows(tab.article_view) == ["cramps-and-stiffness"]
    # filtering does not change the article being read
    assert tab.current_article().id == "what-is-als"


def test_keyboard_moves_through_articles(tab, qtbot):
    tab.article_view.setFocus()
    qtbot.keyClick(tab.article_view, Qt.Key.Key_Down)
    assert tab.current_article().id == "riluzole"
    qtbot.keyClick(tab.article_view, Qt.Key.Key_Down)
    assert tab.current_article().id == "cramps-and-stiffness"
    qtbot.keyClick(tab.article_view, Qt.Key.Key_Return)
    assert tab.reader.hasFocus()


def test_tab_key_order(tab, qtbot):
    tab.search_box.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[:3] == [tab.search_box, tab.category_view, tab.article_view]


def test_every_control_has_an_accessible_name(tab):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QPlainTextEdit

    for kind in (QAbstractButton, QAbstractItemView, QLineEdit, QPlainTextEdit):
        for widget in tab.findChildren(kind):
            if widget.isVisibleTo(tab):
                assert widget.accessibleName(), widget


# ---- Reading


def test_reader_shows_summary_reviewed_date_sources_and_care_team_line(tab):
    tab.open_article("riluzole")
    text = tab.reader.toPlainText()
    assert text.startswith("Riluzole\n")
    assert "A medicine that can slow ALS a little" in text
    assert "Reviewed 25 November 2026" in text
    assert "Sources" in text
    assert "Test source one (fixture)" in text and "Test source two (fixture)" in text
    assert CARE_TEAM_LINE in text
    assert tab.care_team_label.text() == CARE_TEAM_LINE
    assert "**" not in text and "[" not in text  # Markdown rendered, not shown


def _anchors(doc) -> list[tuple[str, str]]:
    found, block = [], doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor():
                found.append((fragment.text(), fragment.charFormat().anchorHref()))
            it += 1
        block = block.next()
    return found


def test_related_articles_are_linked(tab):
    tab.open_article("riluzole")  # related: what-is-als and cramps-and-stiffness
    text = tab.reader.toPlainText()
    assert "Related articles" in text
    anchors = _anchors(tab.reader.document())
    assert ("What is ALS?", "article:what-is-als") in anchors
    assert ("Cramps and stiffness", "article:cramps-and-stiffness") in anchors


def test_printed_copy_spells_out_addresses_without_links(tab):
    tab.open_article("riluzole")
    doc = tab.output.print_document()
    assert "https://example.org/riluzole-label" in doc.toPlainText()
    assert not [t for t, _ in _anchors(doc) if t.startswith("http")]
    assert "article:" not in " ".join(h for _, h in _anchors(doc))


def test_headings_and_lists_are_typeset(tab):
    tab.open_article("riluzole")
    doc = tab.reader.document()
    blocks, block = [], doc.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    assert blocks[0].blockFormat().headingLevel() == 1
    heading = next(b for b in blocks if b.text() == "How it is taken")
    assert heading.blockFormat().headingLevel() == 2
    items = [b for b in blocks if b.textList() is not None]
    assert any(b.text().startswith("Twice a day") for b in items)
    paragraph = next(b for b in blocks if b.text().startswith("Blood tests"))
    assert paragraph.blockFormat().lineHeight() > 100


def test_line_length_stays_readable_in_a_wide_window(tab):
    tab.resize(2400, 800)
    QApplication.processEvents()
    frame = tab.reader.document().rootFrame().frameFormat()
    assert frame.leftMargin() > 100
    measure = tab.reader.viewport().width() - frame.leftMargin() - frame.rightMargin()
    chars = measure / tab.reader.fontMetrics().averageCharWidth()
    assert 55 < chars < 95


def test_source_links_open_in_the_system_browser(tab, monkeypatch):
    opened = []
    monkeypatch.setattr("caregiver_app.ui.learn.tab.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toString()) or True)
    tab.open_article("riluzole")
    hrefs = [href for _, href in _anchors(tab.reader.document())]
    assert "https://example.org/riluzole-label" in hrefs
    tab.reader.anchorClicked.emit(QUrl("https://example.org/riluzole-label"))
    assert opened == ["https://example.org/riluzole-label"]


def test_article_links_navigate_inside_the_tab(tab, qtbot):
    tab.open_article("riluzole")
    with qtbot.waitSignal(tab.article_shown) as shown:
        tab.reader.anchorClicked.emit(QUrl("article:what-is-als"))
    assert shown.args == ["what-is-als"]
    assert tab.reader.toPlainText().startswith("What is ALS?")


def test_missing_article_link_says_so(tab, monkeypatch):
    told = []
    monkeypatch.setattr("caregiver_app.ui.learn.tab.messages.inform",
                        lambda parent, title, text: told.append(text))
    tab.reader.anchorClicked.emit(QUrl("article:nowhere"))
    assert told and "nowhere" in told[0]


def test_medicine_links_are_handed_to_the_medications_tab(tab, qtbot):
    with qtbot.waitSignal(tab.medicine_link_activated) as blocker:
        tab.reader.anchorClicked.emit(QUrl("medicine:riluzole"))
    assert blocker.args == ["riluzole"]


def test_the_persons_own_doses_are_shown_with_their_prescriber(make_tab, qtbot):
    doses = [OwnDose("baclofen", "baclofen 5 mg, 2 tablets at 08:00 and 20:00", "Dr. Ada Lee"),
             OwnDose("riluzole", "riluzole 50 mg, 1 tablet at 08:00 and 20:00", "Dr. Ada Lee")]
    tab = make_tab(own_doses=lambda ids: learn_line("Margaret (Maggie) Example", doses, ids))
    tab.open_article("cramps-and-stiffness")
    assert tab.medicines_label.isVisible()
    text = tab.medicines_label.text()
    assert "On Maggie's list:" in text and "baclofen 5 mg, 2 tablets at 08:00 and 20:00" in text
    assert "riluzole" not in text  # not an article about riluzole
    assert "Dr. Ada Lee prescribes it: ask them before changing a dose or a time." in text
    assert "Dr. Ada Lee" in tab.medicines_label.accessibleDescription()
    with qtbot.waitSignal(tab.medicine_link_activated) as blocker:
        tab.medicines_label.linkActivated.emit("medicine:baclofen")
    assert blocker.args == ["baclofen"]
    tab.open_article("what-is-als")  # about no medicine
    assert not tab.medicines_label.isVisible()
    doses.clear()
    tab.open_article("cramps-and-stiffness")
    assert not tab.medicines_label.isVisible()


def test_reading_goes_on_when_the_medicine_list_cannot_be_read(make_tab):
    def broken(_ids):
        raise OSError("disk gone")

    tab = make_tab(own_doses=broken)
    assert tab.open_article("cramps-and-stiffness")
    assert not tab.medicines_label.isVisible()
    assert tab.reader.article().id == "cramps-and-stiffness"


def test_show_article_for_medicine(make_tab, qtbot):
    tab = make_tab(shown=False)  # the Medications tab may ask before Learn was ever shown
    with qtbot.waitSignal(tab.reveal_requested):
        assert tab.show_article_for_medicine("baclofen") is True
    assert tab.current_article().id == "cramps-and-stiffness"
    assert tab.show_article_for_medicine("riluzole") is True
    assert tab.current_article().id == "riluzole"
    assert tab.show_article_for_medicine("morphine") is False
    assert tab.current_article().id == "riluzole"


def _scroll_reader_down(tab: LearnTab) -> float:
    tab.reader.set_zoom(300)  # the short fixture articles then need scrolling
    QApplication.processEvents()
    bar = tab.reader.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() * 2 // 3)
    return tab.reader.scroll_ratio()


def test_a_medicine_link_to_the_open_article_keeps_the_place_and_the_search(tab, qtbot):
    # What the app does when a medicine: link names a medicine not on the patient's list.
    _type(qtbot, tab, "liver")
    tab.open_article("riluzole")
    place = _scroll_reader_down(tab)
    with qtbot.waitSignal(tab.reveal_requested):
        assert tab.show_article_for_medicine("riluzole") is True
    assert tab.current_article().id == "riluzole"
    assert tab.reader.scroll_ratio() == pytest.approx(place, abs=0.01)
    assert tab.search_box.text() == "liver"
    assert tab.left_stack.currentWidget() is tab.results_view
    # another article still opens at its top, without the search
    assert tab.show_article_for_medicine("baclofen") is True
    assert tab.current_article().id == "cramps-and-stiffness"
    assert tab.search_box.text() == "" and tab.reader.scroll_ratio() == 0


def test_back_returns_to_the_article_and_the_place_a_link_was_followed_from(tab, qtbot):
    tab.open_article("riluzole")
    assert not tab.back_button.isEnabled()
    place = _scroll_reader_down(tab)
    tab.reader.anchorClicked.emit(QUrl("article:what-is-als"))
    assert tab.current_article().id == "what-is-als"
    assert tab.back_button.isEnabled()
    assert "Riluzole" in tab.back_button.toolTip()
    assert tab.back_button.accessibleName() == "Back to Riluzole"
    tab.reader.setFocus()
    with qtbot.waitSignal(tab.article_shown) as shown:
        qtbot.keyClick(tab.reader, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert shown.args == ["riluzole"]
    assert tab.reader.scroll_ratio() == pytest.approx(place, abs=0.01)
    assert not tab.back_button.isEnabled()
    # a medicine link that opens the medicine's article can be gone back from too
    tab.show_article_for_medicine("baclofen")
    assert tab.current_article().id == "cramps-and-stiffness"
    qtbot.mouseClick(tab.back_button, Qt.MouseButton.LeftButton)
    assert tab.current_article().id == "riluzole"


# ---- Zoom


def test_zoom_with_keys_is_remembered(make_tab, qtbot, tmp_path):
    settings = UiSettings.at(tmp_path / "zoom.ini")
    tab = make_tab(settings=settings)
    base = tab.reader.document().defaultFont().pointSizeF()
    tab.reader.setFocus()
    qtbot.keyClick(tab.reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab.reader, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert tab.reader.zoom == 125
    assert tab.reader.document().defaultFont().pointSizeF() == pytest.approx(base * 1.25)
    assert tab.zoom_label.text() == "125%"
    qtbot.keyClick(tab.reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert tab.reader.zoom == 110
    settings.sync()
    again = make_tab(settings=UiSettings.at(tmp_path / "zoom.ini"))
    assert again.reader.zoom == 110
    qtbot.keyClick(again.reader, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.reader.zoom == 100


def test_zoom_buttons_and_limits(tab, qtbot):
    for _ in range(30):
        qtbot.mouseClick(tab.zoom_in_button, Qt.MouseButton.LeftButton)
    assert tab.reader.zoom == 300
    for _ in range(30):
        qtbot.mouseClick(tab.zoom_out_button, Qt.MouseButton.LeftButton)
    assert tab.reader.zoom == 50


def test_reader_follows_the_app_text_size(tab):
    before = tab.reader.document().defaultFont().pointSizeF()
    font = tab.reader.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    tab.reader.setFont(font)
    assert tab.reader.document().defaultFont().pointSizeF() == pytest.approx(before * 2)


# ---- Search


def test_search_as_you_type_ranks_the_title_first_and_highlights(tab, qtbot):
    _type(qtbot, tab, "rilu")
    assert tab.left_stack.currentWidget() is tab.results_view
    assert _rows(tab.results_view) == ["riluzole", "what-is-als"]
    html = tab.results_model.index(1, 0).data(HTML_ROLE)
    assert "background-color" in html and ">riluzole</span>" in html
    assert "2 articles found" in tab.search_status.text()


def test_an_article_named_by_the_search_is_listed_first(make_tab, articles, qtbot):
    # "Drooling and saliva" says "suction" many times; "Suction machines" only in its title
    for path in (FIXTURES / "ranking").glob("*.md"):
        shutil.copy(path, articles)
    tab = make_tab()
    _type(qtbot, tab, "suction")
    assert _rows(tab.results_view) == ["suction-machines", "drooling-and-saliva"]
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Down)
    assert tab.current_article().id == "suction-machines"


def test_results_always_start_at_the_best_match(make_tab, articles, qtbot):
    for path in (FIXTURES / "ranking").glob("*.md"):
        shutil.copy(path, articles)
    tab = make_tab()
    tab.article_search.timer.setInterval(0)  # the test waits for every search anyway
    tab.resize(1100, 300)  # a small window: the results do not all fit
    tab.open_article("what-is-als")
    view = tab.results_view
    for key in "care team":  # typed slowly, a search per key; every article matches
        _type(qtbot, tab, key)
        QApplication.processEvents()  # let the list lay itself out
        assert view.verticalScrollBar().maximum() > 0, "the test needs a list that scrolls"
        best = view.model().index(0, 0)
        assert view.verticalScrollBar().value() == 0, tab.search_box.text()
        assert view.visualRect(best).top() >= 0 and view.indexAt(QPoint(4, 4)) == best
        # the open article is still marked in the list (wherever it is)
        assert view.currentIndex().data(ID_ROLE) == "what-is-als"
    # scrolled down by hand, then one more word: its results start at the top too
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    _type(qtbot, tab, " decides")
    QApplication.processEvents()
    assert view.verticalScrollBar().value() == 0


def test_search_waits_for_a_pause_in_typing(tab, qtbot, monkeypatch):
    searched = []
    search = tab._learn.search
    monkeypatch.setattr(tab._learn, "search", lambda text, **k: searched.append(text)
                        or search(text, **k))
    with qtbot.waitSignal(tab.search_finished) as finished:
        qtbot.keyClicks(tab.search_box, "feeding tube")  # faster than the delay
        assert searched == []  # nothing yet: the caregiver is still typing
    assert searched == ["feeding tube"] and finished.args == ["feeding tube"]
    assert _rows(tab.results_view) == ["riluzole"]
    qtbot.keyClicks(tab.search_box, "  ")  # the same words: not searched again
    tab.flush_search()
    assert searched == ["feeding tube"]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Down], ids=["Enter", "Down"])
def test_enter_or_down_searches_at_once(tab, qtbot, key):
    tab.article_search.timer.setInterval(60_000)  # would never fire during the test
    qtbot.keyClicks(tab.search_box, "motor")
    assert tab.results_model.rowCount() == 0
    qtbot.keyClick(tab.search_box, key)
    assert _rows(tab.results_view) == ["what-is-als"]
    assert tab.results_view.hasFocus()
    assert tab.current_article().id == "what-is-als"


def test_clearing_the_search_returns_to_browsing_at_once(tab, qtbot):
    _type(qtbot, tab, "liver")
    tab.article_search.timer.setInterval(60_000)
    tab.search_box.clear()
    assert tab.left_stack.currentIndex() == 0 and not tab.search_status.isVisible()


def test_rows_shown_again_are_not_measured_again(tab, qtbot):
    delegate = tab.results_view.itemDelegate()
    _type(qtbot, tab, "medicin")
    QApplication.processEvents()
    measured = delegate.layouts
    assert tab.results_model.rowCount() == 3 and measured >= 3
    _type(qtbot, tab, "e")  # "medicine": the same rows, the same snippets
    QApplication.processEvents()
    assert delegate.layouts == measured
    wider = tab.splitter.sizes()
    tab.splitter.setSizes([wider[0] + 80, wider[1] - 80])  # another width: measured anew
    QApplication.processEvents()
    assert delegate.layouts > measured


def test_down_from_the_search_box_opens_the_best_result(tab, qtbot):
    qtbot.keyClicks(tab.search_box, "motor neurons")
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Down)
    assert tab.results_view.hasFocus()
    assert tab.current_article().id == "what-is-als"


def test_no_match_says_so_and_escape_returns_to_browsing(tab, qtbot):
    _type(qtbot, tab, "zzzz")
    assert tab.results_model.rowCount() == 0
    assert "No article matches “zzzz”" in tab.search_status.text()
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Escape)
    assert tab.search_box.text() == ""
    assert tab.left_stack.currentIndex() == 0
    assert not tab.search_status.isVisible()


def test_a_misspelled_search_offers_the_spelling_the_library_uses(tab, qtbot):
    _type(qtbot, tab, "rilzole")
    assert tab.results_model.rowCount() == 0
    assert tab.search_status.text() == "No article matches “rilzole”."
    assert tab.suggestion_button.isVisible()
    assert tab.suggestion_button.text() == "Did you mean “riluzole”?"
    assert "riluzole" in tab.suggestion_button.accessibleName()
    with qtbot.waitSignal(tab.search_finished):
        qtbot.mouseClick(tab.suggestion_button, Qt.MouseButton.LeftButton)
    assert tab.search_box.text() == "riluzole"
    assert _rows(tab.results_view)[0] == "riluzole"
    assert not tab.suggestion_button.isVisible()


def test_the_suggestion_works_from_the_keyboard(make_tab, fresh_db, qtbot):
    repo = LearnRepository(fresh_db)
    tab = make_tab(repo=repo)
    tab.search_box.setFocus()
    _type(qtbot, tab, "baclophen")
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Return)  # Enter takes the suggestion
    assert tab.search_box.text() == "baclofen"
    assert _rows(tab.results_view) == ["cramps-and-stiffness"]
    assert tab.search_box.hasFocus()

    tab.search_box.clear()
    _type(qtbot, tab, "spacticity")
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Down)  # Down goes to the button
    assert tab.suggestion_button.hasFocus()
    with qtbot.waitSignal(tab.search_finished):
        qtbot.keyClick(tab.suggestion_button, Qt.Key.Key_Space)
    assert tab.search_box.text() == "spasticity"
    assert _rows(tab.results_view) == ["cramps-and-stiffness"]
    assert repo.vocabulary_builds == 1  # read once, not for every search


def test_no_suggestion_when_nothing_is_close(tab, qtbot):
    _type(qtbot, tab, "zzzz")
    assert not tab.suggestion_button.isVisible()
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Return)
    assert tab.search_box.text() == "zzzz"


@pytest.mark.parametrize("typed", ['"', '"ri', "(", "NOT", "sod1-als*", "a:b", "''", "^"])
def test_odd_search_input_is_harmless(tab, qtbot, typed):
    _type(qtbot, tab, typed)
    assert tab.search_status.isVisible()


def test_ctrl_f_focuses_the_search_box(tab, qtbot):
    tab.reader.setFocus()
    qtbot.keyClick(tab.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search_box.hasFocus()


# ---- Bookmarks


def test_bookmark_toggle_and_filter_persist(make_tab, qtbot, fresh_db):
    tab = make_tab()
    tab.open_article("riluzole")
    assert tab.bookmark_button.text() == "☆ Bookmark"
    qtbot.mouseClick(tab.bookmark_button, Qt.MouseButton.LeftButton)
    assert tab.bookmark_button.isChecked()
    assert tab.bookmark_button.text() == "★ Bookmarked"
    row = tab.category_model.row_of(BOOKMARKS)
    assert tab.category_model.index(row, 0).data() == "★ Bookmarked (1)"
    tab.show_category(BOOKMARKS)
    assert _rows(tab.article_view) == ["riluzole"]
    assert "★ Bookmarked" in tab.article_view.model().index(0, 0).data(HTML_ROLE)

    again = make_tab()
    again.open_article("riluzole")
    assert again.bookmark_button.isChecked()
    again.reader.setFocus()
    qtbot.keyClick(again.reader, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not again.bookmark_button.isChecked()
    assert LearnRepository(fresh_db).bookmarks() == set()


# ---- Notes


def test_notes_are_saved_when_switching_articles(make_tab, qtbot, fresh_db):
    tab = make_tab()
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "Ask about the liquid.")
    tab.open_article("what-is-als")  # immediately, before the save timer
    assert tab.notes_edit.toPlainText() == ""
    assert LearnRepository(fresh_db).note("riluzole") == "Ask about the liquid."
    tab.open_article("riluzole")
    assert tab.notes_edit.toPlainText() == "Ask about the liquid."
    assert "✎ Your notes" in tab.article_model.index(
        tab.article_model.row_of("riluzole"), 0).data(HTML_ROLE)


def test_notes_are_saved_shortly_after_typing_stops(tab, qtbot):
    tab.note_keeper.timer.setInterval(10)
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "Liver test on Monday")
    assert tab.notes_status.text() == "Not saved yet…"
    qtbot.waitUntil(lambda: tab._learn.note("riluzole") == "Liver test on Monday")
    assert tab.notes_status.text() == "Saved on this computer."


def test_notes_are_saved_when_the_tab_is_hidden(tab, qtbot):
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "Before closing")
    tab.hide()
    assert tab._learn.note("riluzole") == "Before closing"


def _undo_in_note(qtbot, tab: LearnTab) -> None:
    tab.notes_edit.setFocus()
    qtbot.keyClick(tab.notes_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_a_note_typed_over_by_accident_comes_back_with_ctrl_z(make_tab, qtbot, fresh_db):
    tab = make_tab()
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "Liver test every month; call Dr Lee if yellow eyes.")
    tab.open_article("what-is-als")
    tab.open_article("riluzole")  # a later visit to the article
    tab.notes_edit.setFocus()
    tab.notes_edit.selectAll()
    qtbot.keyClicks(tab.notes_edit, "x")  # select all + a key: the note is typed over
    tab.save_note()
    assert LearnRepository(fresh_db).note("riluzole") == "x"
    assert "Ctrl+Z" in tab.notes_status.text()  # says how to get it back
    tab.open_article("cramps-and-stiffness")  # and only noticed after moving on
    tab.open_article("riluzole")
    _undo_in_note(qtbot, tab)
    assert tab.notes_edit.toPlainText() == "Liver test every month; call Dr Lee if yellow eyes."
    tab.save_note()
    assert LearnRepository(fresh_db).note("riluzole") == (
        "Liver test every month; call Dr Lee if yellow eyes.")


def test_a_cleared_note_can_be_brought_back_after_switching_articles(tab, qtbot):
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "Ask about the liquid.")
    tab.save_note()
    tab.notes_edit.setFocus()
    tab.notes_edit.selectAll()
    qtbot.keyClick(tab.notes_edit, Qt.Key.Key_Delete)
    tab.open_article("what-is-als")  # saved: the note is gone from the list
    assert tab._learn.articles_with_notes() == set()
    tab.open_article("riluzole")
    assert tab.notes_status.text() == "Note cleared. Ctrl+Z in the note brings it back."
    _undo_in_note(qtbot, tab)
    assert tab.notes_edit.toPlainText() == "Ask about the liquid."
    tab.open_article("what-is-als")
    assert tab._learn.note("riluzole") == "Ask about the liquid."
    assert "✎ Your notes" in tab.article_model.index(
        tab.article_model.row_of("riluzole"), 0).data(HTML_ROLE)


def test_each_article_keeps_its_own_note_undo(tab, qtbot):
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "R")
    tab.open_article("what-is-als")
    _undo_in_note(qtbot, tab)  # nothing typed here: riluzole's note is left alone
    assert tab.notes_edit.toPlainText() == ""
    tab.open_article("riluzole")
    assert tab.notes_edit.toPlainText() == "R"


def test_notes_record_the_caregiver_on_duty(make_tab, qtbot, fresh_db):
    caregiver = fresh_db.table("caregivers").insert(
        {"name": "Ana", "initials": "AH", "active": 1}).last_pk
    tab = make_tab(caregiver_id=lambda: caregiver)
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "x")
    tab.save_note()
    assert fresh_db.execute("SELECT updated_by FROM learn_notes").fetchone()[0] == caregiver


# ---- Printing


def _pdf_text(path: Path) -> str:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(doc.getAllText(page).text() for page in range(doc.pageCount()))
    doc.close()
    return text


@pytest.fixture
def no_static_file_dialog(monkeypatch):
    """``QFileDialog.getSaveFileName`` would block the test (and cannot add ".pdf")."""
    def refuse(*args, **kwargs):
        raise AssertionError("the static file dialog was used")

    monkeypatch.setattr("caregiver_app.ui.learn.output.QFileDialog.getSaveFileName", refuse)


def _pdf_dialog(tab: LearnTab, qtbot, folder: Path):
    """Press "Save as PDF…" and return the file dialog it opens, showing ``folder``."""
    from PySide6.QtWidgets import QFileDialog

    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.output.pdf_dialog, QFileDialog)
                    and tab.output.pdf_dialog.isVisible())
    dialog = tab.output.pdf_dialog
    dialog.setDirectory(str(folder))
    return dialog


def _type_file_name(qtbot, dialog, name: str) -> None:
    from PySide6.QtWidgets import QLineEdit

    edit = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog (offscreen)
    edit.selectAll()
    qtbot.keyClicks(edit, name)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.mark.usefixtures("no_static_file_dialog")
def test_save_as_pdf(tab, qtbot, tmp_path):
    tab.open_article("riluzole")
    target = tmp_path / "out" / "riluzole"
    target.parent.mkdir()
    dialog = _pdf_dialog(tab, qtbot, target.parent)
    assert dialog.selectedFiles()[0].endswith("riluzole.pdf")  # the name offered
    with qtbot.waitSignal(tab.status_message) as told:
        _type_file_name(qtbot, dialog, target.name)  # typed without ".pdf"
    saved = target.with_suffix(".pdf")
    assert told.args == [f"Saved to {saved}"]
    assert list(target.parent.iterdir()) == [saved]  # no temporary file left
    text = _pdf_text(saved)
    assert "Riluzole" in text
    assert "Reviewed 25 November 2026" in text
    assert "https://example.org/riluzole-label" in text  # addresses are printed in full
    assert "The care team decides treatment." in " ".join(text.split())


@pytest.mark.usefixtures("no_static_file_dialog")
def test_pdf_keeps_the_name_typed_and_never_writes_another_file(tab, qtbot, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"kept")
    tab.open_article("riluzole")
    dialog = _pdf_dialog(tab, qtbot, tmp_path)
    dialog.selectFile(str(tmp_path / "notes.txt"))  # (typing would pop up "notes.pdf")
    with qtbot.waitSignal(tab.status_message) as told:
        dialog.accept()
    assert told.args == [f"Saved to {tmp_path / 'notes.txt'}"]
    assert "Riluzole" in _pdf_text(tmp_path / "notes.txt")
    assert (tmp_path / "notes.pdf").read_bytes() == b"kept"  # the dialog never asked


@pytest.mark.usefixtures("no_static_file_dialog")
def test_cancelled_save_writes_nothing(tab, qtbot, tmp_path):
    told = []
    tab.status_message.connect(told.append)
    folder = tmp_path / "pdfs"
    folder.mkdir()
    dialog = _pdf_dialog(tab, qtbot, folder)
    dialog.reject()
    qtbot.waitUntil(lambda: tab.output.pdf_dialog is None)
    assert list(folder.iterdir()) == [] and told == []
    assert tab.save_pdf() is None  # asks again (and returns at once)
    assert tab.output.pdf_dialog is not None
    tab.output.pdf_dialog.reject()


@pytest.mark.usefixtures("no_static_file_dialog")
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_the_pdf_is_made_off_the_gui_thread_and_escape_keeps_the_old_file(
        tab, qtbot, tmp_path, monkeypatch):
    import threading

    from caregiver_app.ui import background
    from caregiver_app.ui.learn import output

    release, threads = threading.Event(), []
    real = output.keep_headings_with_next

    def held(document, device):
        threads.append(threading.get_ident())
        release.wait(10)
        return real(document, device)

    monkeypatch.setattr(output, "keep_headings_with_next", held)
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    told = []
    tab.status_message.connect(told.append)
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "riluzole.pdf").write_bytes(b"kept")
    tab.open_article("riluzole")
    chooser = _pdf_dialog(tab, qtbot, folder)
    chooser.setOption(chooser.Option.DontConfirmOverwrite)  # (as if "Replace?" said Yes)
    _type_file_name(qtbot, chooser, "riluzole.pdf")
    qtbot.waitUntil(lambda: len(background.running()) == 1)
    (operation,) = background.running()
    dialog = operation.progress_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.focusWidget() is dialog.cancel_button
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] != threading.get_ident()  # laid out on a worker thread
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    release.set()
    assert wait_for(qtbot, operation).cancelled
    assert told == ["Save as PDF cancelled: no file was written."]
    assert (folder / "riluzole.pdf").read_bytes() == b"kept"
    assert sorted(p.name for p in folder.iterdir()) == ["riluzole.pdf"]


def test_a_pdf_that_cannot_be_saved_says_why(tab, qtbot, tmp_path, monkeypatch):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.learn.tab.messages.warn",
                        lambda parent, title, text: warned.append((title, text)))
    tab.open_article("riluzole")
    missing = tmp_path / "unplugged-drive" / "riluzole.pdf"
    with qtbot.assertNotEmitted(tab.status_message):
        assert not wait_for(qtbot, tab.save_pdf(missing)).ok  # (on a worker thread)
    assert warned == [("PDF not saved", warned[0][1])]
    assert f"The folder “{missing.parent}” does not exist" in warned[0][1]
    assert "Choose another folder" in warned[0][1]
    assert not missing.parent.exists()


def _long_article(n: int) -> str:
    """An article whose only heading comes after ``n`` one-line paragraphs, followed by a
    paragraph several lines long: as ``n`` grows, the heading reaches the foot of a page."""
    filler = "\n\n".join(f"Filler paragraph number {i}." for i in range(n))
    section = " ".join(["This section has one long paragraph that wraps onto several "
                        "lines on paper, so it can be split across two pages."] * 4)
    return f"""+++
id = "long-{n}"
title = "Long article {n}"
summary = "A long article for the page-break test."
category = "About ALS"
tags = []
medicines = []
related = []
reviewed = 2026-11-25

[[sources]]
title = "Test source one (fixture)"
url = "https://example.org/one"

[[sources]]
title = "Test source two (fixture)"
url = "https://example.org/two"
+++

{filler}

## A heading kept with its text

{section}

## Your care team decides

Your care team decides.
"""


def _lines_after_on_its_page(path: Path, heading: str) -> int:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    try:
        for page in range(doc.pageCount()):
            lines = [line.strip() for line in doc.getAllText(page).text().splitlines()]
            lines = [line for line in lines if line and not line.isdigit()]  # page numbers
            if heading in lines:
                return len(lines) - lines.index(heading) - 1
    finally:
        doc.close()
    raise AssertionError(f"{heading!r} not found in {path}")


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page(make_tab, articles, tmp_path,
                                                            qtbot):
    sizes = range(14, 46)  # at any text size, the heading crosses a page end in here
    for n in sizes:
        (articles / f"long-{n}.md").write_text(_long_article(n), encoding="utf-8")
    tab = make_tab()
    for n in sizes:
        assert tab.open_article(f"long-{n}")
        path = tmp_path / f"long-{n}.pdf"
        assert wait_for(qtbot, tab.save_pdf(path)).ok
        after = _lines_after_on_its_page(path, "A heading kept with its text")
        assert after >= 2, f"long-{n}: the heading is followed by {after} line(s) on its page"


def _printer_chosen(monkeypatch, output: Path | None) -> list:
    """The person answers the print dialog: a printer that writes ``output`` (None:
    Cancel). The dialogs asked."""
    from PySide6.QtPrintSupport import QPrintDialog

    asked: list = []

    def answer(dialog, *_):
        asked.append(dialog.windowTitle())
        if output is None:
            return QPrintDialog.DialogCode.Rejected
        dialog.printer().setOutputFileName(str(output))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", answer)
    return asked


def _print_dialogs(tab) -> list:
    """The print dialogs still kept in the tab (each print asks a new one)."""
    from PySide6.QtPrintSupport import QPrintDialog

    return tab.findChildren(QPrintDialog)


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_print_lays_the_article_out_off_the_gui_thread_for_the_chosen_printer(
        tab, qtbot, tmp_path, monkeypatch):
    import threading

    from caregiver_app.ui import background
    from caregiver_app.ui.learn import output

    release, threads = threading.Event(), []
    real = output.keep_headings_with_next

    def held(document, device):
        threads.append(threading.get_ident())
        release.wait(10)
        return real(document, device)

    monkeypatch.setattr(output, "keep_headings_with_next", held)
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    told: list[str] = []
    tab.status_message.connect(told.append)
    printed = tmp_path / "printed.pdf"
    asked = _printer_chosen(monkeypatch, printed)
    tab.open_article("cramps-and-stiffness")
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    assert asked == ["Print the article"]
    (operation,) = background.running()
    bar = operation.progress_dialog
    qtbot.waitUntil(lambda: bool(threads) and bar.isVisible())
    assert threads[0] != threading.get_ident()  # laid out on a worker thread
    assert bar.label.text() == "Preparing “Cramps and stiffness” to print…"
    assert bar.focusWidget() is bar.cancel_button and told == []
    release.set()
    assert wait_for(qtbot, operation).ok
    assert told == ["Sent “Cramps and stiffness” to the print queue"]
    assert "Cramps and stiffness" in _pdf_text(printed)
    qtbot.waitUntil(lambda: _print_dialogs(tab) == [])  # (none left behind in the tab)


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_print_cancelled_in_its_dialog_or_its_bar_sends_nothing(tab, qtbot, tmp_path,
                                                               monkeypatch):
    import threading

    from caregiver_app.ui import background
    from caregiver_app.ui.learn import output

    release, real = threading.Event(), output.build_document
    monkeypatch.setattr(output, "build_document",
                        lambda *a, **k: release.wait(10) and real(*a, **k))
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    told: list[str] = []
    tab.status_message.connect(told.append)
    tab.open_article("riluzole")
    asked = _printer_chosen(monkeypatch, None)
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    assert asked == ["Print the article"] and background.running() == []
    qtbot.waitUntil(lambda: _print_dialogs(tab) == [])
    printed = tmp_path / "printed.pdf"
    _printer_chosen(monkeypatch, printed)
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    (operation,) = background.running()
    bar = operation.progress_dialog
    qtbot.waitUntil(bar.isVisible)
    qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    assert wait_for(qtbot, operation).cancelled
    assert told == ["Printing cancelled: nothing was sent to the printer."]
    assert not printed.exists()


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_printer_that_cannot_take_the_article_says_so(tab, qtbot, tmp_path, monkeypatch):
    from caregiver_app.ui import background

    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((title, text)))
    tab.open_article("riluzole")
    _printer_chosen(monkeypatch, tmp_path / "unplugged" / "printed.pdf")
    with qtbot.assertNotEmitted(tab.status_message):
        qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
        (operation,) = background.running()
        assert not wait_for(qtbot, operation).ok
    assert warned == [("Not printed", "Nothing was sent to the printer: the printer could "
                                      "not take the pages.")]
    qtbot.waitUntil(lambda: _print_dialogs(tab) == [])


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_a_printer_problem_after_the_article_went_is_said_and_never_sent(
        tab, qtbot, tmp_path, monkeypatch):
    """The pages went, then the printer reported an error: some may have printed, so
    neither "Sent" nor "nothing was sent"."""
    from PySide6.QtPrintSupport import QPrinter

    from caregiver_app.ui import background

    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((title, text)))
    monkeypatch.setattr(QPrinter, "printerState", lambda self: QPrinter.PrinterState.Error)
    told: list[str] = []
    tab.status_message.connect(told.append)
    tab.open_article("riluzole")
    printed = tmp_path / "printed.pdf"
    _printer_chosen(monkeypatch, printed)
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    (operation,) = background.running()
    assert wait_for(qtbot, operation).ok and printed.exists()
    title = tab.current_article().title
    assert warned == [("Printer problem", f"The printer reported a problem once “{title}” "
                       "was sent to it. Check what came out before printing again.")]
    assert told == ["The printer reported a problem."]


# ---- In the app


def test_learn_tab_in_the_main_window(main_window, qtbot):
    learn = main_window.show_tab("learn")
    assert isinstance(learn, LearnTab)
    qtbot.waitUntil(learn.is_loaded)
    main_window.show_tab("today")
    learn.reveal_requested.emit()
    assert main_window.current_tab_key() == "learn"



def test_an_article_shows_the_persons_own_dose_from_the_records(ctx, qtbot):
    # Maggie's riluzole, as the example household records it, opened as a person would:
    # click the Learn tab, type the medicine's name, go down to the best match.
    from caregiver_app.services.demo import populate_example

    window = ctx.window
    window.show()
    qtbot.waitExposed(window)
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.core.announce_all()  # as the app does after filling in the example household
    bar = window.tabs.tabBar()
    learn_index = next(i for i in range(window.tabs.count())
                       if window.tabs.widget(i).accessibleName() == "Learn")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(learn_index).center())
    learn = window.tabs.widget(learn_index)
    qtbot.waitUntil(learn.is_loaded)
    learn.search_box.setFocus()
    with qtbot.waitSignal(learn.search_finished, timeout=2000):
        qtbot.keyClicks(learn.search_box, "riluzole")
    qtbot.keyClick(learn.search_box, Qt.Key.Key_Down)
    assert learn.current_article().id == "riluzole"
    assert learn.medicines_label.isVisible()
    text = learn.medicines_label.text()
    assert "On Maggie's list:" in text
    assert ">riluzole 50 mg, 1 tablet at 08:00 and 20:00</a>" in text
    assert "Dr. Ada Lee prescribes it: ask them before changing a dose or a time." in text
    # Mexiletine is on the riluzole article too, but not on Maggie's list.
    assert "mexiletine" not in text


def test_a_stopped_medicine_leaves_the_article(ctx, qtbot):
    from caregiver_app.services.demo import populate_example

    ctx.window.show()
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    learn = ctx.window.show_tab("learn")
    qtbot.waitUntil(learn.is_loaded)
    learn.open_article("pseudobulbar-affect")
    assert not learn.medicines_label.isVisible()  # no PBA medicine in the example
    learn.open_article("cramps-and-stiffness")
    assert "baclofen 5 mg" in learn.medicines_label.text()
    baclofen = next(m for m in ctx.medications.medicines() if m.reference_id == "baclofen")
    ctx.medications.stop(baclofen.id, "Too sleepy")
    assert "baclofen" not in learn.medicines_label.text()
    assert "riluzole 50 mg" in learn.medicines_label.text()  # the article names it too
