"""Learn: the articles' full-text index (SQLite FTS5), bookmarks and personal notes.

The index is a copy of the article files. ``sync_index`` compares the SHA-256 of every
file with what the index was built from and rebuilds it, in one transaction, only when a
file was added, edited or removed (or the way articles are indexed changed).

``suggest`` offers a spelling ("Did you mean riluzole?") from the index's own terms, read
through an ``fts5vocab`` table once per index build (and once per start), never per search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from caregiver_app.domain.articles import Library, strip_markdown
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.learn_search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Vocabulary,
    column_query,
    fts_query,
)
from caregiver_app.storage.timestamps import utc_now_text

if TYPE_CHECKING:
    from sqlite_utils import Database

INDEX_VERSION = "1"
"""Bump when what goes into the index changes: every database then rebuilds once."""
_VERSION_KEY = ":index-version"  # never a file name: article files end in .md

# bm25 weights per column: article_id (not indexed), title, summary, tags, body.
_WEIGHTS = "0.0, 10.0, 4.0, 4.0, 1.0"
SNIPPET_WORDS = 16
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str
    """The title with matched words between ``HIGHLIGHT_START`` and ``HIGHLIGHT_END``."""
    snippet: str
    """A few words around the best match in the body (or summary), marked the same way."""
    title_match: bool
    """Every word was found in the title."""
    score: float
    """bm25 score: lower is better."""


class LearnRepository:
    def __init__(self, db: Database):
        self._db = db
        self.index_builds = 0
        """How many times this repository rebuilt the index (for tests and benchmarks)."""
        self.vocabulary_builds = 0
        """How many times the spelling vocabulary was read from the index (same)."""
        self._vocabulary: Vocabulary | None = None

    # ---- Index

    def indexed_fingerprints(self) -> dict[str, str]:
        return {r["name"]: r["sha256"] for r in self._db.table("learn_index_cache").rows}

    def sync_index(self, library: Library) -> bool:
        """Rebuild the index from ``library`` if its files changed. True when it rebuilt."""
        wanted = {**library.fingerprints, _VERSION_KEY: INDEX_VERSION}
        if self.indexed_fingerprints() == wanted:
            return False
        self.rebuild_index(library)
        return True

    def rebuild_index(self, library: Library) -> None:
        rows = [
            (a.id, a.title, a.summary, ", ".join(a.tags),
             strip_markdown(a.body, close_sentences=True))
            for a in library.articles
        ]
        files = {**library.fingerprints, _VERSION_KEY: INDEX_VERSION}
        with self._db.atomic():
            self._db.execute("DELETE FROM learn_search")
            self._db.conn.executemany(
                "INSERT INTO learn_search (article_id, title, summary, tags, body) "
                "VALUES (?, ?, ?, ?, ?)", rows)
            self._db.execute("DELETE FROM learn_index_cache")
            self._db.table("learn_index_cache").insert_all(
                {"name": name, "sha256": sha} for name, sha in files.items())
        self.index_builds += 1
        self._vocabulary = None  # read again, from the new index, when next needed

    def search(self, text: str, *, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
        """Articles matching what was typed, best first; a title match always ranks first.

        Never raises for odd input: anything that is not a word is ignored.
        """
        query = fts_query(text)
        if query is None:
            return []
        marks = (HIGHLIGHT_START, HIGHLIGHT_END)
        # Rank every match first (cheap), then make snippets for the best rows only:
        # snippets cost far more than ranking.
        sql = f"""
            WITH ranked AS (
                SELECT rowid AS rid,
                       article_id IN (SELECT article_id FROM learn_search
                                      WHERE learn_search MATCH ?) AS title_match,
                       bm25(learn_search, {_WEIGHTS}) AS score
                FROM learn_search
                WHERE learn_search MATCH ?
                ORDER BY title_match DESC, score
                LIMIT ?
            )
            SELECT article_id,
                   highlight(learn_search, 1, ?, ?),
                   snippet(learn_search, 4, ?, ?, '…', {SNIPPET_WORDS}),
                   snippet(learn_search, 2, ?, ?, '…', {SNIPPET_WORDS}),
                   ranked.title_match,
                   ranked.score
            FROM ranked JOIN learn_search ON learn_search.rowid = ranked.rid
            WHERE learn_search MATCH ?
            ORDER BY ranked.title_match DESC, ranked.score
        """
        params = [column_query("title", query), query, limit, *marks, *marks, *marks, query]
        hits = []
        for row in self._db.execute(sql, params).fetchall():
            article_id, title, body_snip, summary_snip, title_match, score = row
            if HIGHLIGHT_START in body_snip or HIGHLIGHT_START not in summary_snip:
                snippet = body_snip
            else:
                snippet = summary_snip
            hits.append(SearchHit(article_id, title, snippet, bool(title_match), score))
        return hits

    def rank_only(self, text: str, *, limit: int = DEFAULT_LIMIT) -> list[str]:
        """Matching article ids, best first, without titles or snippets (for the benchmark)."""
        query = fts_query(text)
        if query is None:
            return []
        sql = (f"SELECT article_id FROM learn_search WHERE learn_search MATCH ? "
               f"ORDER BY bm25(learn_search, {_WEIGHTS}) LIMIT ?")
        return [r[0] for r in self._db.execute(sql, [query, limit]).fetchall()]

    # ---- Spelling

    def vocabulary(self) -> Vocabulary:
        """Every word in the index (read once per index build)."""
        if self._vocabulary is None:
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.learn_search_vocab "
                "USING fts5vocab(main, 'learn_search', 'row')")
            terms = [r[0] for r in self._db.execute("SELECT term FROM temp.learn_search_vocab")]
            self._vocabulary = Vocabulary(terms)
            self.vocabulary_builds += 1
        return self._vocabulary

    def suggest(self, text: str) -> str | None:
        """A spelling of ``text`` that finds articles, when ``text`` itself finds none
        ("rilzole" gives "riluzole"); None when there is nothing better to offer."""
        corrected = self.vocabulary().correct(text)
        if corrected is None or not self.rank_only(corrected, limit=1):
            return None
        return corrected

    # ---- Bookmarks

    def bookmarks(self) -> set[str]:
        return {r["article_id"] for r in self._db.table("learn_bookmarks").rows}

    def set_bookmark(self, article_id: str, bookmarked: bool) -> None:
        if bookmarked:
            self._db.execute(
                "INSERT OR IGNORE INTO learn_bookmarks (article_id, created_at) VALUES (?, ?)",
                [article_id, utc_now_text()])
        else:
            self._db.execute("DELETE FROM learn_bookmarks WHERE article_id = ?", [article_id])

    # ---- Notes

    def note(self, article_id: str) -> str:
        row = self._db.execute(
            "SELECT text FROM learn_notes WHERE article_id = ?", [article_id]).fetchone()
        return row[0] if row else ""

    def articles_with_notes(self) -> set[str]:
        return {r["article_id"] for r in self._db.table("learn_notes").rows}

    def save_note(self, article_id: str, text: str, *, by: int | None = None) -> bool:
        """Keep ``text`` as the note on an article (an empty note removes it).

        Returns True when something changed.
        """
        from caregiver_app.domain.fields import FIELDS  # (every table's rules: not at start-up)

        problem = FIELDS["learn_notes"]["text"].value_problem(text)
        if problem is not None:  # the import's rule too: what is saved can come back
            raise ValidationError({"text": f"This note {problem}."})
        current = self.note(article_id)
        if text == current or (not text.strip() and not current):
            return False
        if not text.strip():
            self._db.execute("DELETE FROM learn_notes WHERE article_id = ?", [article_id])
            return True
        self._db.table("learn_notes").upsert(
            {"article_id": article_id, "text": text, "updated_at": utc_now_text(),
             "updated_by": by},
            pk="article_id",
        )
        return True
