"""Learn's records: the articles' folder, their search index, notes and bookmarks, and
the built-in medicine reference (read once, for the medicine dialog and for Learn)."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from caregiver_app.domain.reference import (
    MedicineReference,
    ReferenceFormatError,
    load_reference,
)
from caregiver_app.storage.learn_repo import LearnRepository, SearchHit

__all__ = ["Learn", "LearnRepository", "SearchHit"]

log = logging.getLogger(__name__)


class Learn:
    """The articles in ``articles_dir``, indexed in ``repo`` (with the notes and
    bookmarks), and the medicine reference in ``reference_file``."""

    def __init__(self, repo: LearnRepository, articles_dir: Path, reference_file: Path):
        self.repo = repo
        self.articles_dir = articles_dir
        self.reference_file = reference_file

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
