"""Learn's records: the articles' folder, their search index, notes and bookmarks, and
the built-in medicine reference (read once, for the medicine dialog and for Learn)."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from caregiver_app.domain.articles import Library
from caregiver_app.domain.reference import (
    MedicineReference,
    ReferenceFormatError,
    load_reference,
)
from caregiver_app.services.changes import ChangeHub, Changes
from caregiver_app.storage.learn_repo import DEFAULT_LIMIT, LearnRepository, SearchHit

__all__ = ["Learn", "LearnRepository", "SearchHit"]

log = logging.getLogger(__name__)


class Learn:
    """The articles in ``articles_dir``, indexed in ``repo`` (with the notes and
    bookmarks), and the medicine reference in ``reference_file``. Notes and bookmarks
    are saved through ``save_note`` and ``set_bookmark``, which announce themselves on
    ``changes``; the other methods read, or keep the articles' search index up to date
    (a copy of the article files, not records: announced nowhere)."""

    def __init__(self, repo: LearnRepository, articles_dir: Path, reference_file: Path, *,
                 changes: ChangeHub | None = None):
        self._repo = repo
        self.articles_dir = articles_dir
        self.reference_file = reference_file
        self.changes = changes if changes is not None else ChangeHub()

    # ---- The articles' search index

    def sync_index(self, library: Library) -> bool:
        """Bring the search index up to date with ``library`` (rebuilt only when an
        article file changed); True when it was rebuilt. ``ValidationError`` (a full
        disk): the index stays as it was."""
        return self._repo.sync_index(library)

    def search(self, text: str, *, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
        """Articles matching what was typed, best first (never raises for odd input)."""
        return self._repo.search(text, limit=limit)

    def suggest(self, text: str) -> str | None:
        """A spelling of ``text`` that finds articles ("rilzole": "riluzole"), or None."""
        return self._repo.suggest(text)

    # ---- Notes and bookmarks

    def note(self, article_id: str) -> str:
        """The note kept on an article ("" when none)."""
        return self._repo.note(article_id)

    def articles_with_notes(self) -> set[str]:
        return self._repo.articles_with_notes()

    def bookmarks(self) -> set[str]:
        """The ids of the bookmarked articles."""
        return self._repo.bookmarks()

    def save_note(self, article_id: str, text: str, *, by: int | None = None) -> bool:
        """Keep ``text`` as the note on an article (empty: no note), by caregiver ``by``;
        True when it changed (announced then). ``ValidationError`` (field ``text``): too
        long to keep, nothing saved."""
        changed = self._repo.save_note(article_id, text, by=by)
        if changed:
            self.changes.announce(Changes(notes=frozenset({article_id})))
        return changed

    def set_bookmark(self, article_id: str, bookmarked: bool) -> None:
        """Bookmark an article, or take its bookmark off; announced."""
        self._repo.set_bookmark(article_id, bookmarked)
        self.changes.announce(Changes(bookmarks=frozenset({article_id})))

    @functools.cached_property
    def _reference(self) -> MedicineReference:
        try:
            return load_reference(self.reference_file)
        except ReferenceFormatError as exc:  # the content tests keep the shipped file clean
            log.error("medicine reference not loaded: %s", exc)
            return MedicineReference([])

    def reference(self) -> MedicineReference:
        """The built-in medicine reference, read from its file on first use (not at
        start-up), then kept. A damaged or missing file is logged and the app runs
        without it (no reference entries are offered)."""
        return self._reference
