"""The Learn tab: browse, search and read the articles, bookmark them, keep notes on them.

Nothing is read at start-up: the articles are loaded, and the search index brought up to
date (only if an article file changed), the first time the tab is shown or asked for an
article. All database access stays on the GUI thread.

Search runs a moment after typing stops, or at once on Enter or Down
(``ui.learn.search``); the note beside the article is kept by ``ui.learn.notes``, and
printing and PDFs are done by ``ui.learn.output``.

Keys: Ctrl+F search, Down/Enter from the search box to the results (or to the spelling
offered), Escape clears it; Ctrl+D bookmark; Alt+Left back to the article read before an
article link was followed; Ctrl + / Ctrl - / Ctrl 0 text size of the article; Ctrl+Z in
the note brings back what was deleted or typed over, for every article, until the app
is closed.

``status_message(text)`` is a short confirmation (or error) for the window's status bar.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from caregiver_app.domain.articles import Article, Library, load_library
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.own_doses import LearnLine
from caregiver_app.domain.reference import MedicineReference
from caregiver_app.services.background import Operation
from caregiver_app.services.changes import Changes
from caregiver_app.services.learn import Learn
from caregiver_app.ui import messages
from caregiver_app.ui.desktop import shortcut_text
from caregiver_app.ui.forms import errors_of
from caregiver_app.ui.learn import layout
from caregiver_app.ui.learn.models import (
    ALL,
    BOOKMARKS,
    CATEGORY_PREFIX,
    ID_ROLE,
    CategoryEntry,
)
from caregiver_app.ui.learn.notes import NoteKeeper
from caregiver_app.ui.learn.output import ArticleOutput
from caregiver_app.ui.learn.search import ArticleSearch
from caregiver_app.ui.settings import UiSettings

log = logging.getLogger(__name__)

MAX_HISTORY = 50


class LearnTab(QWidget):
    medicine_link_activated = Signal(str)
    """A ``medicine:`` link was followed; carries the medicine reference id."""

    reveal_requested = Signal()
    """``show_article_for_medicine`` opened an article: bring this tab to the front."""

    article_shown = Signal(str)
    """The reader now shows this article id."""

    library_loaded = Signal()
    """The articles were read and the search index is up to date."""

    search_finished = Signal(str)
    """The results (or the no-match message) for this search text are on screen."""

    status_message = Signal(str)
    """A short confirmation for the window's status bar ("Saved to …")."""

    print_requested = Signal(str, object)
    """A printed sheet was asked for: ``("emergency", None)``, the one-page emergency
    sheet from the records (the window's PrintController previews it)."""

    def __init__(
        self,
        *,
        learn: Learn,
        reference: Callable[[], MedicineReference],
        settings: UiSettings,
        own_doses: Callable[[Sequence[str]], LearnLine | None] = lambda _ids: None,
        caregiver_id: Callable[[], int | None] = lambda: None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._learn = learn  # notes, bookmarks and the articles' search index
        self._articles_dir = learn.articles_dir
        self._reference = reference
        self._settings = settings
        self._own_doses = own_doses
        self._caregiver_id = caregiver_id
        self._library: Library | None = None
        self._medicine_articles: dict[str, str] = {}
        self._current: Article | None = None
        self._load_scheduled = False
        self._following_filter = False
        self._history: list[tuple[str, float]] = []
        """Articles left by following a link: (id, scroll ratio), the latest last."""
        self.note_keeper = NoteKeeper(self)
        self.article_search = ArticleSearch(self)
        self.output = ArticleOutput(self)

        self.setAccessibleName("Learn")
        layout.build(self)
        self._install_shortcuts()
        self.reader.set_zoom(settings.learn_zoom_percent)
        self.reader.zoom_changed.connect(self._on_zoom_changed)
        self.reader.show_message("Loading the articles…")

    # ---- Public API

    def is_loaded(self) -> bool:
        return self._library is not None

    def library(self) -> Library:
        self.ensure_loaded()
        assert self._library is not None
        return self._library

    @Slot()
    def ensure_loaded(self) -> None:
        """Read the articles and bring the search index up to date (once)."""
        if self._library is not None:
            return
        library = load_library(self._articles_dir)
        for problem in library.problems:
            log.warning("article left out: %s", problem)
        self._load_reference()
        try:
            if self._learn.sync_index(library):
                log.info("learn index rebuilt from %d articles", len(library.articles))
        except ValidationError as exc:  # a full disk: search finds what was indexed before
            log.warning("learn index not brought up to date: %s",
                        getattr(exc, "reason", exc))
        self._library = library
        self._fill_models()
        if not library.articles:
            self.reader.show_message(
                "No articles were found. The app's files may be damaged: reinstall it.")
        else:
            last = self._settings.learn_last_article
            self.open_article(last if library.get(last) else library.articles[0].id,
                              focus=False)
        self.library_loaded.emit()

    def open_article(self, article_id: str, *, focus: bool = False) -> bool:
        """Show an article in the reader. False if there is no such article."""
        self.ensure_loaded()
        assert self._library is not None
        article = self._library.get(article_id)
        if article is None:
            return False
        if self._current is not None and article.id == self._current.id \
                and self.reader.article() is self._current:
            # Already open: keep the place in it (and the search).
            self._update_patient_medicines()
            if focus:
                self.reader.setFocus(Qt.FocusReason.OtherFocusReason)
            self.article_shown.emit(article.id)
            return True
        self.save_note()
        self._current = article
        self.reader.show_article(article, self.related(article))
        self._settings.learn_last_article = article.id
        self.note_keeper.load(article.id)
        self._update_actions()
        self._update_patient_medicines()
        self._select_in_lists(article.id)
        if focus:
            self.reader.setFocus(Qt.FocusReason.OtherFocusReason)
        self.article_shown.emit(article.id)
        return True

    def current_article(self) -> Article | None:
        return self._current

    @Slot(str)
    def show_article_for_medicine(self, reference_id: str) -> bool:
        """Open the article about a medicine (Medications and Today tabs call this)."""
        self.ensure_loaded()
        assert self._library is not None
        article = self._library.for_medicine(reference_id, self._medicine_articles)
        if article is None:
            return False
        if self._current is None or article.id != self._current.id:
            # Another article: show it whole. The one being read stays as it is, search
            # and place in it included (a link in it may have led here).
            if self.search_box.text():
                self.search_box.clear()
            self._remember_for_back()
            self.open_article(article.id)
        self.reveal_requested.emit()
        return True

    def search(self, text: str) -> None:
        """Search as if ``text`` was typed into the search box (at once, no delay)."""
        self.article_search.search(text)

    @Slot()
    def flush_search(self) -> None:
        """Show the results for the search box now if a search is waiting."""
        self.article_search.flush()

    @Slot()
    def accept_suggestion(self) -> None:
        """Search for the spelling offered instead of what was typed."""
        self.article_search.accept_suggestion()

    @Slot()
    def go_back(self) -> bool:
        """Back to the article read before a link was followed, at the same place."""
        while self._history:
            article_id, ratio = self._history.pop()
            if self._library is not None and self._library.get(article_id) is not None:
                self.open_article(article_id)
                self.reader.set_scroll_ratio(ratio)
                self._update_back_button()
                return True
        self._update_back_button()
        return False

    @Slot()
    def refresh_patient_medicines(self) -> None:
        """The patient's medicine list changed: update the line above the article."""
        self._update_patient_medicines()

    def apply_changes(self, changes: Changes) -> None:
        """A write anywhere (``Core.changes``, connected by the builder): the line about
        the patient's own medicines follows their medicines, its prescribers' names and
        the patient's name."""
        if changes.medicine_ids or changes.contacts or changes.patient:
            self._update_patient_medicines()

    def set_bookmarked(self, bookmarked: bool) -> None:
        if self._current is None:
            return
        article_id = self._current.id
        try:
            self._learn.set_bookmark(article_id, bookmarked)
        except ValidationError as exc:  # a full disk: nothing changed
            self.status_message.emit(" ".join(errors_of(
                exc, "The bookmark was not saved").values()))
            self._update_actions()
            return
        self.article_model.set_bookmarked(article_id, bookmarked)
        self.category_model.update_count(BOOKMARKS, self.article_model.bookmark_count())
        self._update_actions()

    @Slot()
    def toggle_bookmark(self) -> None:
        if self._current is not None:
            self.set_bookmarked(self._current.id not in self._learn.bookmarks())

    def show_category(self, key: str) -> None:
        """Filter the article list: ``"all"``, ``"bookmarks"`` or ``"category:<name>"``."""
        self.ensure_loaded()
        row = self.category_model.row_of(key)
        if row >= 0:
            self.category_view.setCurrentIndex(self.category_model.index(row, 0))

    @Slot()
    def save_note(self) -> None:
        """Store the note being edited now (also done a moment after typing stops)."""
        self.note_keeper.save()

    @Slot()
    def choose_pdf_file(self) -> None:
        """Ask where to save the open article as a PDF, then save it (``save_pdf``)."""
        self.output.choose_pdf_file()

    def save_pdf(self, path: Path | None = None) -> Operation | None:
        """Save the open article as a PDF at ``path`` on a worker thread (the caregiver
        is told where, or why not); its ``Operation``. Without ``path``, asks where first."""
        return self.output.save_pdf(path)

    @Slot()
    def print_article(self) -> Operation | None:
        """Print the open article through the system print dialog, painted on a worker
        thread; its ``Operation``, or None when nothing was started."""
        return self.output.print_article()

    # ---- Qt overrides

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._library is None and not self._load_scheduled:
            # Let the tab paint first; read the files on the next turn of the event loop.
            self._load_scheduled = True
            QTimer.singleShot(0, self.ensure_loaded)
        elif self._library is not None:
            self._update_patient_medicines()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_splitter()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_category_height()
            self._fit_splitter()
            for view in (self.article_view, self.results_view):
                view.doItemsLayout()

    def hideEvent(self, event) -> None:
        self.save_note()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.notes_edit and event.type() == QEvent.Type.FocusOut:
            self.save_note()
        elif (watched is self.search_box and event.type() == QEvent.Type.KeyPress
              and self.article_search.on_key(event)):
            return True
        return super().eventFilter(watched, event)

    # ---- Private: building

    def _install_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut

        def shortcut(keys, slot) -> None:
            for key in keys:
                sc = QShortcut(QKeySequence(key), self)
                sc.setContext(context)
                sc.activated.connect(slot)

        shortcut([QKeySequence.StandardKey.Find], self._focus_search)
        shortcut([QKeySequence.StandardKey.ZoomIn, "Ctrl+="], self.reader.zoom_in)
        shortcut([QKeySequence.StandardKey.ZoomOut], self.reader.zoom_out)
        shortcut(["Ctrl+0"], self.reader.reset_zoom)
        shortcut(["Ctrl+D"], self.toggle_bookmark)
        shortcut([QKeySequence.StandardKey.Back], self.go_back)

    def _fill_models(self) -> None:
        assert self._library is not None
        library = self._library
        bookmarks = self._learn.bookmarks()
        self.article_model.set_articles(library.articles, bookmarks=bookmarks,
                                        notes=self._learn.articles_with_notes())
        entries = [CategoryEntry(ALL, "All articles", len(library.articles))]
        entries += [CategoryEntry(CATEGORY_PREFIX + c, c, len(library.in_category(c)))
                    for c in library.categories()]
        entries.append(CategoryEntry(BOOKMARKS, "★ Bookmarked",
                                     self.article_model.bookmark_count()))
        self.category_model.set_entries(entries)
        self._fit_category_height()
        self.category_view.setCurrentIndex(self.category_model.index(0, 0))

    # ---- Private: reacting

    def _fit_splitter(self) -> None:
        """A list about 40 characters wide, whatever the text size (until moved by hand)."""
        if self._splitter_moved:
            return
        char = self.fontMetrics().averageCharWidth()
        total = max(self.splitter.width(), char * 130)
        left = min(char * 42, total // 2)
        self.splitter.setSizes([left, total - left])

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._splitter_moved = True

    def _fit_category_height(self) -> None:
        """Show every category without a scroll bar, at any text size."""
        rows = self.category_model.rowCount()
        if rows:
            view = self.category_view
            view.setFixedHeight(view.sizeHintForRow(0) * rows + 2 * view.frameWidth() + 2)

    def _on_category_changed(self, current, _previous) -> None:
        key = current.data(ID_ROLE) if current.isValid() else ALL
        # The list's current row may move while rows are filtered out: that is not a choice
        # of the caregiver, so it must not open another article.
        self._following_filter = True
        try:
            self.article_proxy.set_filter_key(key or ALL)
        finally:
            self._following_filter = False
        if self._current is not None:
            self._select_in_lists(self._current.id)

    def _on_list_current(self, current, _previous) -> None:
        if current.isValid() and not self._following_filter:
            article_id = current.data(ID_ROLE)
            if self._current is None or article_id != self._current.id:
                self.open_article(article_id)

    def _on_list_activated(self, index) -> None:
        if index.isValid():
            self.open_article(index.data(ID_ROLE), focus=True)

    def _focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _on_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "article":
            assert self._library is not None
            if self._library.get(url.path()) is None:
                messages.inform(self, "Article not found",
                                f"There is no article called “{url.path()}”.")
                return
            if self._current is not None and url.path() != self._current.id:
                self._remember_for_back()
            self.open_article(url.path())
        elif scheme == "medicine":
            self.medicine_link_activated.emit(url.path())
        elif scheme in ("http", "https"):
            QDesktopServices.openUrl(url)

    def _on_link_text(self, link: str) -> None:
        self._on_link(QUrl(link))

    def _on_zoom_changed(self, percent: int) -> None:
        self._settings.learn_zoom_percent = percent
        self.zoom_label.setText(f"{percent}%")

    # ---- Private: state

    def _remember_for_back(self) -> None:
        if self._current is None:
            return
        self._history.append((self._current.id, self.reader.scroll_ratio()))
        del self._history[:-MAX_HISTORY]
        self._update_back_button()

    def _update_back_button(self) -> None:
        self.back_button.setEnabled(bool(self._history))
        if self._history and self._library is not None:
            previous = self._library.get(self._history[-1][0])
            title = previous.title if previous else "the previous article"
            self.back_button.setToolTip(f"Back to “{title}” ({shortcut_text('Alt+Left')})")
            self.back_button.setAccessibleName(f"Back to {title}")
        else:
            self.back_button.setToolTip(
                f"Back to the article before a link ({shortcut_text('Alt+Left')})")
            self.back_button.setAccessibleName("Back to the previous article")

    def _update_actions(self) -> None:
        has_article = self._current is not None
        for widget in (self.bookmark_button, self.print_button, self.pdf_button,
                       self.notes_edit):
            widget.setEnabled(has_article)
        marked = has_article and self._current.id in self._learn.bookmarks()
        self.bookmark_button.setChecked(bool(marked))
        self.bookmark_button.setText("★ Bookmarked" if marked else "☆ Bookmark")
        self.bookmark_button.setAccessibleName(
            "Bookmarked: press to remove the bookmark" if marked else "Bookmark this article")
        self.zoom_label.setText(f"{self.reader.zoom}%")
        self._update_back_button()

    def _update_patient_medicines(self) -> None:
        """The person's own doses of the medicines this article is about, from the
        records (``domain.own_doses``); hidden when none is on the list."""
        article = self._current
        line = None
        if article is not None and article.medicines:
            try:
                line = self._own_doses(article.medicines)
            except Exception:  # the medicines feature must never break reading
                log.exception("could not read the patient's medicines")
        if line is None:
            self.medicines_label.hide()
            self.medicines_label.setAccessibleDescription("")
            return
        doses = "".join(
            f'<br>• <a href="medicine:{html.escape(d.reference_id)}">'
            f"{html.escape(d.text, quote=False)}</a>" for d in line.doses)
        self.medicines_label.setText(f"<b>{html.escape(line.lead, quote=False)}</b>{doses}"
                                     f"<br>{html.escape(line.advice, quote=False)}")
        self.medicines_label.setAccessibleDescription(line.plain_text())
        self.medicines_label.show()

    def _load_reference(self) -> None:
        """Names of the medicines and the article each reference entry points at."""
        self._medicine_articles = {m.id: m.article for m in self._reference() if m.article}

    def _select_in_lists(self, article_id: str, *, scroll_results: bool = True) -> None:
        """Mark the open article in the lists. ``scroll_results=False`` leaves the results
        where they are (a new search shows its best match first, not the open article)."""
        row = self.article_model.row_of(article_id)
        if row >= 0:
            proxy_index = self.article_proxy.mapFromSource(self.article_model.index(row, 0))
            if proxy_index.isValid():
                self.article_view.setCurrentIndex(proxy_index)
                self.article_view.scrollTo(proxy_index)
            else:
                self.article_view.clearSelection()
        for r in range(self.results_model.rowCount()):
            index = self.results_model.index(r, 0)
            if index.data(ID_ROLE) == article_id:
                self.results_view.setAutoScroll(scroll_results)
                try:
                    self.results_view.setCurrentIndex(index)
                finally:
                    self.results_view.setAutoScroll(True)
                break

    def related(self, article: Article) -> list[tuple[str, str]]:
        """``(id, title)`` of the articles this one names as related."""
        assert self._library is not None
        return self._library.related(article)

    def sizeHint(self) -> QSize:
        return QSize(1000, 700)

