"""Models of the Learn tab: categories, articles, and search results.

Every model gives plain text in ``DisplayRole`` (what screen readers announce and tests
read) and an HTML rendering in ``HTML_ROLE`` that ``RichTextDelegate`` paints.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from caregiver_app.domain.articles import Article
from caregiver_app.domain.learn_search import split_highlights
from caregiver_app.services.learn import SearchHit
from caregiver_app.ui.table_model import RecordListModel, TableColumn
from caregiver_app.ui.tones import Pair, pair

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The article id (articles, results) or the filter key (categories)."""
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 3
BOOKMARKED_ROLE = Qt.ItemDataRole.UserRole + 4

ALL = "all"
BOOKMARKS = "bookmarks"
CATEGORY_PREFIX = "category:"

MATCH = Pair("#ffe680", "#1a1a1a")
"""Matched words: bold as well as highlighted, so they stand out without colour too."""


def match_style() -> str:
    return "background-color: {}; color: {}; font-weight: 600;".format(*pair(MATCH))


_Index = QModelIndex | QPersistentModelIndex


def marked_to_html(marked: str) -> str:
    """A snippet or title with highlight marks, as safe HTML with the matches emphasised."""
    out = []
    style = match_style()
    for text, is_match in split_highlights(marked.replace("\n", " ")):
        escaped = html.escape(text)
        out.append(f'<span style="{style}">{escaped}</span>' if is_match else escaped)
    return "".join(out)


def marked_to_text(marked: str) -> str:
    return "".join(text for text, _ in split_highlights(marked.replace("\n", " ")))


@dataclass(frozen=True)
class CategoryEntry:
    key: str
    label: str
    count: int

    def text(self) -> str:
        return f"{self.label} ({self.count})"


class CategoryListModel(RecordListModel):
    """"All articles", each category with articles, and "Bookmarked"."""

    def __init__(self, parent=None):
        super().__init__(TableColumn("Category", CategoryEntry.text,
                                     roles={ID_ROLE: lambda e: e.key}), parent=parent)

    # ---- Public API

    def set_entries(self, entries: Sequence[CategoryEntry]) -> None:
        self.set_records(entries)

    def update_count(self, key: str, count: int) -> None:
        for row, entry in enumerate(self.records()):
            if entry.key == key and entry.count != count:
                self.set_record(row, CategoryEntry(entry.key, entry.label, count))

    def row_of(self, key: str) -> int:
        return self.row_where(lambda e: e.key == key)


class ArticleListModel(RecordListModel):
    """Every article in display order, with its bookmark and note state."""

    def __init__(self, parent=None):
        super().__init__(TableColumn(
            "Article", lambda a: a.title, accessible=self._accessible,
            tooltip=lambda a: a.summary,
            roles={Qt.ItemDataRole.AccessibleDescriptionRole: lambda a: a.summary,
                   ID_ROLE: lambda a: a.id, CATEGORY_ROLE: lambda a: a.category,
                   BOOKMARKED_ROLE: lambda a: a.id in self._bookmarks,
                   HTML_ROLE: self._html}), parent=parent)
        self._bookmarks: set[str] = set()
        self._notes: set[str] = set()

    # ---- Public API

    def set_articles(self, articles: Iterable[Article], *, bookmarks: set[str],
                     notes: set[str]) -> None:
        self._bookmarks = set(bookmarks)
        self._notes = set(notes)
        self.set_records(articles)

    def set_bookmarked(self, article_id: str, bookmarked: bool) -> None:
        (self._bookmarks.add if bookmarked else self._bookmarks.discard)(article_id)
        self._changed(article_id)

    def set_has_note(self, article_id: str, has_note: bool) -> None:
        if (article_id in self._notes) != has_note:
            (self._notes.add if has_note else self._notes.discard)(article_id)
            self._changed(article_id)

    def bookmark_count(self) -> int:
        return sum(1 for a in self.records() if a.id in self._bookmarks)

    def row_of(self, article_id: str) -> int:
        return self.row_where(lambda a: a.id == article_id)

    # ---- Private

    def _accessible(self, article: Article) -> str:
        states = [s for s, on in (("bookmarked", article.id in self._bookmarks),
                                  ("has your notes", article.id in self._notes)) if on]
        return article.title + (f" ({', '.join(states)})" if states else "")

    def _html(self, article: Article) -> str:
        badges = []
        if article.id in self._bookmarks:
            badges.append("★ Bookmarked")
        if article.id in self._notes:
            badges.append("✎ Your notes")
        badge = (f' <span style="font-weight: normal;">· {" · ".join(badges)}</span>'
                 if badges else "")
        return (f"<b>{html.escape(article.title)}</b>{badge}"
                f"<br><span>{html.escape(article.summary)}</span>")

    def _changed(self, article_id: str) -> None:
        row = self.row_of(article_id)
        if row >= 0:
            self.refresh_row(row)


class ArticleFilterProxy(QSortFilterProxyModel):
    """Shows all articles, one category's, or the bookmarked ones."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._key = ALL

    def set_filter_key(self, key: str) -> None:
        if key == self._key:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; older calls are deprecated there
            self.beginFilterChange()
            self._key = key
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._key = key
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._key == ALL:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._key == BOOKMARKS:
            return bool(index.data(BOOKMARKED_ROLE))
        return index.data(CATEGORY_ROLE) == self._key.removeprefix(CATEGORY_PREFIX)


class SearchResultsModel(RecordListModel):
    """Search hits, best first, each with its title and a highlighted snippet."""

    def __init__(self, parent=None):
        super().__init__(TableColumn(
            "Result", lambda hit: marked_to_text(hit.title),
            tooltip=lambda hit: marked_to_text(hit.snippet),
            roles={Qt.ItemDataRole.AccessibleDescriptionRole:
                   lambda hit: marked_to_text(hit.snippet),
                   ID_ROLE: lambda hit: hit.article_id,
                   HTML_ROLE: lambda hit: (f"<b>{marked_to_html(hit.title)}</b><br>"
                                           f"{marked_to_html(hit.snippet)}")}),
            parent=parent)

    # ---- Public API

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.set_records(hits)

    def hits(self) -> list[SearchHit]:
        return self.records()
