"""What a caregiver types into the Learn search box, made safe for SQLite FTS5.

Whatever is typed (quotes, hyphens, brackets, ``AND``/``NOT``/``NEAR``, a lone ``*``) must
never raise: ``fts_query`` keeps only the words and turns each into quoted prefix terms,
so searching works as the caregiver types ("swallowin" already finds "swallowing"). A
plural or ``-ing``/``-ed`` word also matches its shorter form ("cramps" finds "cramp"),
since the index is not stemmed (a stemmed index cannot match half-typed words).

Snippets come back from the database with ``HIGHLIGHT_START``/``HIGHLIGHT_END`` around
each matched word; ``split_highlights`` turns one into ``(text, is_match)`` pieces for the
user interface to render safely.

When nothing matches, ``Vocabulary.correct`` proposes the same words spelled like words of
the library ("rilzole" becomes "riluzole"), using ``difflib``; the vocabulary is the index's
own list of terms, read once per index build.

Pure Python: no Qt, no database.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
MAX_TERMS = 12
"""Words beyond this many are ignored (keeps every query cheap)."""

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_SUFFIXES = ("ies", "es", "s", "ing", "ed")
_MIN_STEM = 4
CORRECTION_CUTOFF = 0.72
"""How alike (``difflib`` ratio, 0 to 1) a library word must be to be suggested."""
_MIN_CORRECTED = 3
"""Shorter words are never corrected (too many look alike)."""


def search_words(text: str) -> list[str]:
    """The words of ``text``, lowercased, in order, without repeats."""
    words: list[str] = []
    for word in _WORD_RE.findall(text.casefold()):
        if word not in words:
            words.append(word)
    return words


def word_variants(word: str) -> list[str]:
    """``word`` and a shorter form without a common English ending, to match as prefixes."""
    variants = [word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            stem = word[: -len(suffix)]
            if suffix == "ies":
                stem += "y"
            if stem not in variants:
                variants.append(stem)
            break
    return variants


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression for ``text``, or ``None`` when it has no words.

    Every word must match (as a prefix, or through its shorter form); one-letter words are
    dropped when there are longer ones. Every term is double-quoted, so FTS5 syntax in the
    input is only ever read as words.
    """
    words = search_words(text)
    longer = [w for w in words if len(w) > 1]
    words = (longer or words)[:MAX_TERMS]
    if not words:
        return None
    parts = []
    for word in words:
        terms = [f'"{v}"*' for v in word_variants(word)]
        parts.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
    return " AND ".join(parts)


def column_query(column: str, query: str) -> str:
    """Restrict an ``fts_query`` result to one column."""
    return f"{{{column}}} : ({query})"


def split_highlights(snippet: str) -> list[tuple[str, bool]]:
    """A snippet with highlight marks as ``(text, is_match)`` pieces, marks removed."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"[{HIGHLIGHT_START}{HIGHLIGHT_END}]", snippet)):
        if part:
            pieces.append((part, i % 2 == 1))
    return pieces


def fold(word: str) -> str:
    """``word`` lowercased without accents, as the index stores its terms."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Vocabulary:
    """The words of the library, to suggest a spelling when a search finds nothing."""

    def __init__(self, terms: Iterable[str]):
        words = {fold(t) for t in terms}
        self._sorted = sorted(w for w in words if len(w) >= _MIN_CORRECTED
                              and any(c.isalpha() for c in w))
        self._by_length: dict[int, list[str]] = {}
        for word in self._sorted:
            self._by_length.setdefault(len(word), []).append(word)

    def __len__(self) -> int:
        return len(self._sorted)

    def knows(self, word: str) -> bool:
        """Some library word starts with ``word`` (or its shorter form): it can match."""
        for variant in word_variants(fold(word)):
            i = bisect_left(self._sorted, variant)
            if i < len(self._sorted) and self._sorted[i].startswith(variant):
                return True
        return False

    def closest(self, word: str) -> str | None:
        """The library word most like ``word``, if one is alike enough."""
        word = fold(word)
        spread = max(2, len(word) // 3)
        candidates = [c for n in range(len(word) - spread, len(word) + spread + 1)
                      for c in self._by_length.get(n, ())]
        found = difflib.get_close_matches(word, candidates, n=1, cutoff=CORRECTION_CUTOFF)
        return found[0] if found else None

    def correct(self, text: str) -> str | None:
        """``text`` with each word the library does not know replaced by the closest word
        it does know; None when every word is known or one cannot be corrected."""
        words = search_words(text)
        longer = [w for w in words if len(w) > 1]
        words = (longer or words)[:MAX_TERMS]
        corrected, changed = [], False
        for word in words:
            if len(word) < _MIN_CORRECTED or self.knows(word):
                corrected.append(word)
                continue
            closest = self.closest(word)
            if closest is None:
                return None
            corrected.append(closest)
            changed = True
        return " ".join(corrected) if changed else None


def results_line(text: str, found: int, *, suggestion: str | None = None) -> str:
    """The line above the search results: how many articles were found and how to go
    through them, or that none matches ``text`` (with a hint when there is no spelling
    to offer instead)."""
    if found:
        return (f"{found} article{'s' if found != 1 else ''} found. "
                "Press Down to go through them.")
    if suggestion:
        return f"No article matches “{text.strip()}”."
    return f"No article matches “{text.strip()}”. Try fewer or shorter words."


def suggestion_texts(suggestion: str) -> tuple[str, str, str]:
    """The offered spelling's button: its text, accessible name and tooltip."""
    return (f"Did you mean “{suggestion}”?",
            f"Did you mean {suggestion}? Search for it",
            f"Search for “{suggestion}” (or press Enter in the search box)")
