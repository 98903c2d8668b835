"""Learn: building the full-text index, and searching it as a caregiver types.

Runs on the shipped articles and on the same articles copied 20 times, in the records
opened as the app opens them (``open_core``: WAL, synchronous FULL), through the Learn
service the app uses (``Core.learn``). Baselines, measured in the same run: reading the
article files without parsing them; inserting the same rows into a plain table; and a
plain ``LIKE`` scan of the same rows for the same words, twice: stopping at the first 50
rows found, in table order (cheap, but not ranked), and ranked (title first, then how
often each word is used), which has to read every row as search does. The overlap says
how many of the articles FTS5 finds ``LIKE`` also finds, and the reverse (``LIKE``
matches inside words: "als" in "also"; FTS5 matches word beginnings).

Then the Learn tab itself (offscreen), built as the window builds it
(``app.build_learn_tab``), each time over the records opened again (a new start):
showing it the first time, and typing key by key, each key's search run at once (no
typing delay) up to its results laid out on screen.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from bench.common import best_of, clock, report
from caregiver_app.domain.articles import Library, load_library
from caregiver_app.paths import resource
from caregiver_app.storage.learn_repo import DEFAULT_LIMIT, LearnRepository

if TYPE_CHECKING:
    from caregiver_app.core import Core
    from caregiver_app.services.learn import Learn

COPIES = 20
REPEAT = 7
# What a caregiver types, keystroke by keystroke for one word, then whole words.
TYPED = ["s", "sw", "swa", "swal", "swall", "swallo", "swallow",
         "riluzole", "feeding tube", "cramps", "drooling saliva", "sleep", "breathing",
         "what is als", "liver tests", "tofersen sod1"]


def like_search(db: Database, text: str, *, limit: int | None = DEFAULT_LIMIT,
                ranked: bool = False) -> list[str]:
    """Learn's index searched with plain ``LIKE``: the benchmark's baselines (the app
    searches with FTS5, ``LearnRepository.search``).

    Unranked (the first ``limit`` rows found, in table order) or, with ``ranked``, ranked
    the way search ranks (every word in the title first, then title, summary and tag
    matches and how often the body says each word), which has to look at every row.
    """
    words = text.split()
    if not words:
        return []
    where = " AND ".join(
        "(title LIKE ? OR summary LIKE ? OR tags LIKE ? OR body LIKE ?)" for _ in words)
    params: list[object] = []
    for word in words:
        params.extend([f"%{word}%"] * 4)
    order: list[object] = []
    sql = f"SELECT article_id FROM learn_search WHERE {where}"
    if ranked:
        in_title = " AND ".join("title LIKE ?" for _ in words)
        score = " + ".join(
            "10 * (title LIKE ?) + 4 * (summary LIKE ?) + 4 * (tags LIKE ?)"
            " + (length(body) - length(replace(lower(body), lower(?), ''))) / length(?)"
            for _ in words)
        sql += f" ORDER BY ({in_title}) DESC, ({score}) DESC"
        order.extend(f"%{w}%" for w in words)
        for word in words:
            order.extend([f"%{word}%"] * 3 + [word, word])
    if limit is not None:
        sql += " LIMIT ?"
        order.append(limit)
    return [r[0] for r in db.execute(sql, [*params, *order]).fetchall()]


def _copied(library: Library, copies: int) -> Library:
    articles, prints = [], {}
    for n in range(copies):
        for a in library.articles:
            articles.append(dataclasses.replace(a, id=f"{a.id}-{n}"))
        prints.update({f"{n}-{name}": sha for name, sha in library.fingerprints.items()})
    return Library(tuple(articles), prints, ())


def _plain_table_insert(repo_db, library: Library) -> None:
    rows = [(a.id, a.title, a.summary, ", ".join(a.tags), a.plain_text())
            for a in library.articles]
    with repo_db.atomic():
        repo_db.execute("DELETE FROM bench_plain")
        repo_db.conn.executemany("INSERT INTO bench_plain VALUES (?, ?, ?, ?, ?)", rows)


def _per_query(fn) -> tuple[float, float]:
    """Median and worst, over the typed queries, of the best of REPEAT runs of each."""
    times = [best_of(lambda q=q: clock(lambda: fn(q)), REPEAT) for q in TYPED]
    return statistics.median(times), max(times)


def _touched(library: Library) -> Library:
    """``library`` as if one of its article files had changed since it was indexed."""
    return dataclasses.replace(library, fingerprints={**library.fingerprints,
                                                      "touched.md": "changed"})


def _measure(learn: Learn, db: Database, library: Library, label: str) -> None:
    touched = _touched(library)

    def build() -> float:
        learn.sync_index(touched)  # (not timed) an article file changed since
        return clock(lambda: learn.sync_index(library))

    build_t = best_of(build, REPEAT)
    plain = best_of(lambda: clock(lambda: _plain_table_insert(db, library)), REPEAT)
    unchanged = best_of(lambda: clock(lambda: learn.sync_index(library)), REPEAT)
    fts, fts_worst = _per_query(learn.search)
    probe = LearnRepository(db)  # FTS5 without the snippets: read straight from storage
    ranked, _ = _per_query(probe.rank_only)
    like, like_worst = _per_query(lambda q: like_search(db, q))
    like_all, like_all_worst = _per_query(
        lambda q: like_search(db, q, limit=None, ranked=True))
    hits = sum(len(learn.search(q)) for q in TYPED)
    fts_found = like_found = both = 0
    for q in TYPED:
        fts_ids = set(probe.rank_only(q, limit=10_000))
        like_ids = set(like_search(db, q, limit=None))
        fts_found, like_found = fts_found + len(fts_ids), like_found + len(like_ids)
        both += len(fts_ids & like_ids)
    print(f"-- {label}: {len(library.articles)} articles, "
          f"{sum(len(a.plain_text().split()) for a in library.articles)} words")
    report("build the FTS5 index (one transaction)", build_t,
           "insert the same rows into a plain table", plain)
    print(f"{'start-up check when nothing changed':<48} {unchanged * 1000:10.2f} ms")
    report("FTS5 search, ranked + snippets (median query)", fts,
           "plain LIKE scan, same words (median query)", like)
    report("FTS5 search (worst query)", fts_worst, "plain LIKE scan (worst query)", like_worst)
    report("FTS5 search, ranked + snippets (median query)", fts,
           "LIKE, every row, ranked, no LIMIT (median)", like_all)
    report("FTS5 search (worst query)", fts_worst,
           "LIKE, every row, ranked, no LIMIT (worst)", like_all_worst)
    print(f"{'FTS5 match + rank only, no snippets (median)':<48} {ranked * 1000:10.2f} ms")
    print(f"{'results over the typed queries (limit 50)':<48} {hits:10d}")
    print(f"{'found, all queries: FTS5 / LIKE / both':<48} "
          f"{fts_found:>6d} / {like_found} / {both}")
    print(f"{'overlap: LIKE finds of what FTS5 finds':<48} "
          f"{both / fts_found if fts_found else 1:10.0%}")
    print(f"{'overlap: FTS5 finds of what LIKE finds':<48} "
          f"{both / like_found if like_found else 1:10.0%}")


class _Clock:
    def now(self) -> datetime:
        return datetime(2026, 11, 25, 18, tzinfo=UTC)


@contextmanager
def _opened(data_dir: Path) -> Iterator[Core]:
    """The records in ``data_dir`` opened as the app opens them (a new start each time:
    a new Learn service, nothing read yet), closed after the ``with``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from caregiver_app.core import open_core

    QApplication.instance() or QApplication([])  # the services are QObjects
    core = open_core(data_dir, _Clock())
    try:
        yield core
    finally:
        core.close()


def run() -> None:
    folder = resource("articles")
    files = sorted(folder.glob("*.md"))
    read = best_of(lambda: clock(lambda: [p.read_bytes() for p in files]), REPEAT)
    parse = best_of(lambda: clock(lambda: load_library(folder)), REPEAT)
    library = load_library(folder)
    print(f"best of {REPEAT}; queries: {len(TYPED)} typed strings")
    report(f"read + hash + parse {len(files)} article files", parse,
           "read the same files only", read)
    with tempfile.TemporaryDirectory() as tmp, _opened(Path(tmp) / "data") as core:
        db = core.db
        db.execute("CREATE TABLE bench_plain (article_id, title, summary, tags, body)")
        _measure(core.learn, db, library, "the library")
        _measure(core.learn, db, _copied(library, COPIES),
                 f"the library copied {COPIES} times")
    _first_show(library)


def _first_show(library: Library) -> None:
    """Time from showing the Learn tab to the first article on screen (offscreen)."""
    from PySide6.QtWidgets import QApplication

    from caregiver_app.app import build_learn_tab
    from caregiver_app.ui.settings import UiSettings

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        settings = UiSettings.at(Path(tmp) / "ui.ini")

        def load(fresh: bool) -> float:
            with _opened(data_dir) as core:
                if fresh:
                    core.learn.sync_index(_touched(library))  # the next start rebuilds
                tab = build_learn_tab(core, settings)  # as the window builds it
                tab.resize(1100, 700)
                elapsed = clock(tab.ensure_loaded)
                tab.deleteLater()
                QApplication.processEvents()
            return elapsed

        first = best_of(lambda: load(True), 3)
        later = best_of(lambda: load(False), 3)
        keys = _keystrokes(data_dir, settings)
    report("Learn tab first shown, index to rebuild", first,
           "Learn tab first shown, index up to date", later)
    print("Learn tab, one key typed: search + list shown")
    for label, times in keys.items():
        print(f"  {label:<46} {statistics.median(times) * 1000:10.1f} ms median, "
              f"{max(times) * 1000:.1f} ms worst, {sum(times) * 1000:.0f} ms for all "
              f"{len(times)} keys")


def _keystrokes(data_dir: Path, settings) -> dict[str, list[float]]:
    """Seconds per key, typing each query letter by letter, each search run at once (as
    if typed slower than the typing delay), until the results are laid out. Best of
    ``REPEAT`` runs for each key, each run on a new tab over the records opened again
    (nothing measured before: the spelling vocabulary is read again too)."""
    from PySide6.QtWidgets import QApplication

    from caregiver_app.app import build_learn_tab

    app = QApplication.instance()
    assert app is not None
    queries = ["feeding tube", "swallowing", "riluzole", "rilzole"]
    best: dict[tuple[str, int], float] = {}
    for _ in range(REPEAT):
        with _opened(data_dir) as core:
            tab = build_learn_tab(core, settings)
            tab.resize(1100, 700)
            tab.show()
            tab.ensure_loaded()
            app.processEvents()
            for query in queries:
                tab.search_box.clear()
                app.processEvents()
                for n in range(1, len(query) + 1):
                    def key(text=query[:n], tab=tab) -> None:
                        tab.search_box.setText(text)
                        tab.flush_search()
                        app.processEvents()
                    elapsed = clock(key)
                    best[query, n] = min(best.get((query, n), elapsed), elapsed)
            tab.deleteLater()
            app.processEvents()
    return {f"typing {q!r}": [best[q, n] for n in range(1, len(q) + 1)] for q in queries}
