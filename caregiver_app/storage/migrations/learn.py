"""Learn: the full-text index of the articles, bookmarks, and a caregiver's notes on them.

The articles themselves are files (``resources/articles``); the index is a copy of them
that ``LearnRepository.sync_index`` rebuilds whenever a file's SHA-256 in
``learn_index_cache`` no longer matches. Both are caches (export skips them: FTS tables
and names ending in ``_cache``); notes and bookmarks are the caregiver's records.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("caregiver_app.learn")


@migrations()
def m001_search_notes_bookmarks(db: Database) -> None:
    # A plain unicode61 index (no stemming) so half-typed words match as prefixes;
    # see caregiver_app.domain.learn_search.
    db.execute(
        "CREATE VIRTUAL TABLE learn_search USING fts5("
        "article_id UNINDEXED, title, summary, tags, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.table("learn_index_cache").create(
        {"name": str, "sha256": str},
        pk="name",
        not_null={"sha256"},
    )
    db.table("learn_notes").create(
        {"article_id": str, "text": str, "updated_at": str, "updated_by": int},
        pk="article_id",
        not_null={"text", "updated_at"},
        foreign_keys=[("updated_by", "caregivers", "id")],
    )
    db.table("learn_bookmarks").create(
        {"article_id": str, "created_at": str},
        pk="article_id",
        not_null={"created_at"},
    )
