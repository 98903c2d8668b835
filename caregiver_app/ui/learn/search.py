"""Searching the Learn articles from the tab's search box.

Search runs a moment after typing stops (``SEARCH_DELAY_MS``), or at once on Enter or
Down; the results always open scrolled to the best match. When nothing matches, a button
offers the closest spelling the library knows ("Did you mean riluzole?"). Down/Enter
from the search box go to the results (or to the spelling offered); Escape clears it.

Moved out of ``LearnTab``; the words shown come from ``domain.learn_search``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeyEvent

from caregiver_app.domain.learn_search import fts_query, results_line, suggestion_texts

if TYPE_CHECKING:
    from caregiver_app.ui.learn.tab import LearnTab

SEARCH_DELAY_MS = 120
"""Search this long after the last key (Enter and Down search at once)."""


class ArticleSearch(QObject):
    """Runs the searches typed into the tab's ``search_box`` and shows their results."""

    def __init__(self, tab: LearnTab):
        super().__init__(tab)
        self._tab = tab
        self.shown_query: str | None = None
        """The FTS query whose results are shown (None: browsing)."""
        self.suggestion: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run)

    def search(self, text: str) -> None:
        """Search as if ``text`` was typed into the search box (at once, no delay)."""
        self._tab.search_box.setText(text)
        self.flush()

    @Slot()
    def flush(self) -> None:
        """Show the results for the search box now if a search is waiting."""
        if self.timer.isActive():
            self.run()

    @Slot()
    def accept_suggestion(self) -> None:
        """Search for the spelling offered instead of what was typed."""
        if self.suggestion:
            self.search(self.suggestion)
            self._tab.search_box.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def on_text(self, text: str) -> None:
        tab = self._tab
        tab.ensure_loaded()
        if not text.strip():
            self.timer.stop()
            self.shown_query = None
            self._show_suggestion(None)
            tab.results_model.set_hits([])
            tab.search_status.hide()
            tab.left_stack.setCurrentIndex(0)
            tab.search_finished.emit(text)
            return
        self.timer.start()  # (again): search once typing pauses

    def run(self) -> None:
        tab = self._tab
        self.timer.stop()
        text = tab.search_box.text()
        query = fts_query(text)
        if query is not None and query == self.shown_query:
            # Only spaces or punctuation changed: the same results, left where they are.
            tab.search_finished.emit(text)
            return
        self.shown_query = query
        hits = tab._learn.search(text)
        tab.results_model.set_hits(hits)
        tab.left_stack.setCurrentIndex(1)
        suggestion = None if hits else tab._learn.suggest(text)
        tab.search_status.setText(results_line(text, len(hits), suggestion=suggestion))
        tab.search_status.show()
        self._show_suggestion(suggestion)
        current = tab.current_article()
        if current is not None:
            tab._select_in_lists(current.id, scroll_results=False)
        tab.results_view.scrollToTop()  # the best match first, whatever was shown before
        tab.search_finished.emit(text)

    def on_key(self, event: QKeyEvent) -> bool:
        """A key pressed in the search box: True when it was used here."""
        tab = self._tab
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            if self._focus_results():
                return True
            if self.suggestion and tab.suggestion_button.isVisible():
                if key == Qt.Key.Key_Down:
                    tab.suggestion_button.setFocus(Qt.FocusReason.TabFocusReason)
                else:
                    self.accept_suggestion()
                return True
            return False
        if key == Qt.Key.Key_Escape and tab.search_box.text():
            tab.search_box.clear()
            return True
        return False

    def _show_suggestion(self, suggestion: str | None) -> None:
        button = self._tab.suggestion_button
        self.suggestion = suggestion
        if suggestion is None:
            button.hide()
            return
        text, accessible, tip = suggestion_texts(suggestion)
        button.setText(text)
        button.setAccessibleName(accessible)
        button.setToolTip(tip)
        button.show()

    def _focus_results(self) -> bool:
        tab = self._tab
        view = tab.results_view if tab.left_stack.currentIndex() == 1 else tab.article_view
        model = view.model()
        if model.rowCount() == 0:
            return False
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not view.currentIndex().isValid() or view is tab.results_view:
            view.setCurrentIndex(model.index(0, 0))
        return True

