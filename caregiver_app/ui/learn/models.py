"""Models of the Learn tab: categories, articles, and search results.

Every model gives plain text in ``DisplayRole`` (what screen readers announce and tests
read) and an HTML rendering in ``HTML_ROLE`` that ``RichTextDelegate`` paints.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from caregiver_app.domain.articles import Article
from caregiver_app.domain.learn_search import split_highlights
from caregiver_app.services.learn import SearchHit
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


class CategoryListModel(QAbstractListModel):
    """"All articles", each category with articles, and "Bookmarked"."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[CategoryEntry] = []

    # ---- Public API

    def set_entries(self, entries: Sequence[CategoryEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def update_count(self, key: str, count: int) -> None:
        for row, entry in enumerate(self._entries):
            if entry.key == key and entry.count != count:
                self._entries[row] = CategoryEntry(entry.key, entry.label, count)
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)

    def row_of(self, key: str) -> int:
        return next((i for i, e in enumerate(self._entries) if e.key == key), -1)

    # ---- Qt overrides

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry.text()
        if role == ID_ROLE:
            return entry.key
        return None


class ArticleListModel(QAbstractListModel):
    """Every article in display order, with its bookmark and note state."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._articles: list[Article] = []
        self._bookmarks: set[str] = set()
        self._notes: set[str] = set()

    # ---- Public API

    def set_articles(self, articles: Iterable[Article], *, bookmarks: set[str],
                     notes: set[str]) -> None:
        self.beginResetModel()
        self._articles = list(articles)
        self._bookmarks = set(bookmarks)
        self._notes = set(notes)
        self.endResetModel()

    def set_bookmarked(self, article_id: str, bookmarked: bool) -> None:
        (self._bookmarks.add if bookmarked else self._bookmarks.discard)(article_id)
        self._changed(article_id)

    def set_has_note(self, article_id: str, has_note: bool) -> None:
        if (article_id in self._notes) != has_note:
            (self._notes.add if has_note else self._notes.discard)(article_id)
            self._changed(article_id)

    def bookmark_count(self) -> int:
        return sum(1 for a in self._articles if a.id in self._bookmarks)

    def row_of(self, article_id: str) -> int:
        return next((i for i, a in enumerate(self._articles) if a.id == article_id), -1)

    # ---- Qt overrides

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._articles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._articles):
            return None
        article = self._articles[index.row()]
        marked = article.id in self._bookmarks
        if role == Qt.ItemDataRole.DisplayRole:
            return article.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            states = [s for s, on in (("bookmarked", marked),
                                      ("has your notes", article.id in self._notes)) if on]
            return article.title + (f" ({', '.join(states)})" if states else "")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return article.summary
        if role == ID_ROLE:
            return article.id
        if role == CATEGORY_ROLE:
            return article.category
        if role == BOOKMARKED_ROLE:
            return marked
        if role == HTML_ROLE:
            badges = []
            if marked:
                badges.append("★ Bookmarked")
            if article.id in self._notes:
                badges.append("✎ Your notes")
            badge = (f' <span style="font-weight: normal;">· {" · ".join(badges)}</span>'
                     if badges else "")
            return (f"<b>{html.escape(article.title)}</b>{badge}"
                    f"<br><span>{html.escape(article.summary)}</span>")
        return None

    # ---- Private

    def _changed(self, article_id: str) -> None:
        row = self.row_of(article_id)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)


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


class SearchResultsModel(QAbstractListModel):
    """Search hits, best first, each with its title and a highlighted snippet."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    # ---- Public API

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    # ---- Qt overrides

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return marked_to_text(hit.title)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return marked_to_text(hit.snippet)
        if role == ID_ROLE:
            return hit.article_id
        if role == HTML_ROLE:
            return f"<b>{marked_to_html(hit.title)}</b><br>{marked_to_html(hit.snippet)}"
        return None
