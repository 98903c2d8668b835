"""The Learn tab: browsing, searching, reading, links, bookmarks, notes, zoom, printing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

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
            repo=kwargs.pop("repo", None) or LearnRepository(fresh_db),
            articles_dir=articles,
            reference_file=REFERENCE,
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


# ---- Loading lazily


def test_nothing_is_read_until_the_tab_is_shown(make_tab, qtbot):
    repo_calls = []
    tab = make_tab(shown=False)
    tab._repo.sync_index = lambda lib, f=tab._repo.sync_index: repo_calls.append(1) or f(lib)
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
    doc = tab._print_document()
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


def test_medicines_on_the_patients_list_are_named_and_linked(make_tab, qtbot):
    on_list = ["baclofen"]
    tab = make_tab(patient_medicines=lambda: on_list)
    tab.open_article("cramps-and-stiffness")
    assert tab.medicines_label.isVisible()
    assert "baclofen" in tab.medicines_label.text()
    assert "tizanidine" not in tab.medicines_label.text()
    with qtbot.waitSignal(tab.medicine_link_activated) as blocker:
        tab.medicines_label.linkActivated.emit("medicine:baclofen")
    assert blocker.args == ["baclofen"]
    tab.open_article("what-is-als")
    assert not tab.medicines_label.isVisible()
    on_list.clear()
    tab.open_article("cramps-and-stiffness")
    assert not tab.medicines_label.isVisible()


def test_show_article_for_medicine(make_tab, qtbot):
    tab = make_tab(shown=False)  # the Medications tab may ask before Learn was ever shown
    with qtbot.waitSignal(tab.reveal_requested):
        assert tab.show_article_for_medicine("baclofen") is True
    assert tab.current_article().id == "cramps-and-stiffness"
    assert tab.show_article_for_medicine("riluzole") is True
    assert tab.current_article().id == "riluzole"
    assert tab.show_article_for_medicine("morphine") is False
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
    qtbot.keyClicks(tab.search_box, "rilu")
    assert tab.left_stack.currentWidget() is tab.results_view
    assert _rows(tab.results_view) == ["riluzole", "what-is-als"]
    html = tab.results_model.index(1, 0).data(HTML_ROLE)
    assert "background-color" in html and ">riluzole</span>" in html
    assert "2 articles found" in tab.search_status.text()


def test_down_from_the_search_box_opens_the_best_result(tab, qtbot):
    qtbot.keyClicks(tab.search_box, "motor neurons")
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Down)
    assert tab.results_view.hasFocus()
    assert tab.current_article().id == "what-is-als"


def test_no_match_says_so_and_escape_returns_to_browsing(tab, qtbot):
    qtbot.keyClicks(tab.search_box, "zzzz")
    assert tab.results_model.rowCount() == 0
    assert "No article matches “zzzz”" in tab.search_status.text()
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Escape)
    assert tab.search_box.text() == ""
    assert tab.left_stack.currentIndex() == 0
    assert not tab.search_status.isVisible()


@pytest.mark.parametrize("typed", ['"', '"ri', "(", "NOT", "sod1-als*", "a:b", "''", "^"])
def test_odd_search_input_is_harmless(tab, qtbot, typed):
    qtbot.keyClicks(tab.search_box, typed)
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
    tab._note_timer.setInterval(10)
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "Liver test on Monday")
    assert tab.notes_status.text() == "Not saved yet…"
    qtbot.waitUntil(lambda: tab._repo.note("riluzole") == "Liver test on Monday")
    assert tab.notes_status.text() == "Saved on this computer."


def test_notes_are_saved_when_the_tab_is_hidden(tab, qtbot):
    tab.open_article("riluzole")
    qtbot.keyClicks(tab.notes_edit, "Before closing")
    tab.hide()
    assert tab._repo.note("riluzole") == "Before closing"


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


def test_save_as_pdf(tab, tmp_path, monkeypatch):
    tab.open_article("riluzole")
    target = tmp_path / "out" / "riluzole"
    target.parent.mkdir()
    monkeypatch.setattr("caregiver_app.ui.learn.tab.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "PDF files (*.pdf)"))
    saved = tab.save_pdf()
    assert saved == target.with_suffix(".pdf")
    text = _pdf_text(saved)
    assert "Riluzole" in text
    assert "Reviewed 25 November 2026" in text
    assert "https://example.org/riluzole-label" in text  # addresses are printed in full
    assert "The care team decides treatment." in " ".join(text.split())


def test_cancelled_save_writes_nothing(tab, tmp_path, monkeypatch):
    monkeypatch.setattr("caregiver_app.ui.learn.tab.QFileDialog.getSaveFileName",
                        lambda *a, **k: ("", ""))
    assert tab.save_pdf() is None


def test_print_goes_to_the_chosen_printer(tab, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(tab, "_ask_printer", lambda: printer)
    tab.open_article("cramps-and-stiffness")
    assert tab.print_article() is True
    assert "Cramps and stiffness" in _pdf_text(tmp_path / "printed.pdf")
    monkeypatch.setattr(tab, "_ask_printer", lambda: None)
    assert tab.print_article() is False


# ---- In the app


def test_learn_tab_in_the_main_window(main_window, qtbot):
    learn = main_window.show_tab("learn")
    assert isinstance(learn, LearnTab)
    qtbot.waitUntil(learn.is_loaded)
    main_window.show_tab("today")
    learn.reveal_requested.emit()
    assert main_window.current_tab_key() == "learn"



def test_app_names_the_patients_medicines_from_the_medicine_list(ctx, qtbot):
    from caregiver_app.services.demo import populate_example

    ctx.window.show()
    learn = ctx.window.show_tab("learn")
    qtbot.waitUntil(learn.is_loaded)
    learn.open_article("riluzole")
    assert not learn.medicines_label.isVisible()
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.medications.changed.emit(0)  # what the medicine list says after every save
    assert learn.medicines_label.isVisible()
    assert ">riluzole</a>" in learn.medicines_label.text()
