"""Learn: building the full-text index, and searching it as a caregiver types.

Runs on the shipped articles and on the same articles copied 20 times, in a database file
set up like the app's (WAL, synchronous FULL). Baselines, measured in the same run:
reading the article files without parsing them; inserting the same rows into a plain
table; and a plain ``LIKE`` scan of the same rows for the same words.
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
from pathlib import Path

from bench.common import best_of, clock, report
from caregiver_app.domain.articles import Library, load_library
from caregiver_app.paths import resource
from caregiver_app.storage.db import open_database
from caregiver_app.storage.learn_repo import LearnRepository

COPIES = 20
REPEAT = 7
# What a caregiver types, keystroke by keystroke for one word, then whole words.
TYPED = ["s", "sw", "swa", "swal", "swall", "swallo", "swallow",
         "riluzole", "feeding tube", "cramps", "drooling saliva", "sleep", "breathing",
         "what is als", "liver tests", "tofersen sod1"]


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


def _measure(db, library: Library, label: str) -> None:
    repo = LearnRepository(db)
    build = best_of(lambda: clock(lambda: repo.rebuild_index(library)), REPEAT)
    plain = best_of(lambda: clock(lambda: _plain_table_insert(db, library)), REPEAT)
    unchanged = best_of(lambda: clock(lambda: repo.sync_index(library)), REPEAT)
    fts, fts_worst = _per_query(repo.search)
    ranked, _ = _per_query(repo.rank_only)
    like, like_worst = _per_query(repo.like_search)
    hits = sum(len(repo.search(q)) for q in TYPED)
    print(f"-- {label}: {len(library.articles)} articles, "
          f"{sum(len(a.plain_text().split()) for a in library.articles)} words")
    report("build the FTS5 index (one transaction)", build,
           "insert the same rows into a plain table", plain)
    print(f"{'start-up check when nothing changed':<48} {unchanged * 1000:10.2f} ms")
    report("FTS5 search, ranked + snippets (median query)", fts,
           "plain LIKE scan, same words (median query)", like)
    report("FTS5 search (worst query)", fts_worst, "plain LIKE scan (worst query)", like_worst)
    print(f"{'FTS5 match + rank only, no snippets (median)':<48} {ranked * 1000:10.2f} ms")
    print(f"{'results over the typed queries':<48} {hits:10d}")


def run() -> None:
    folder = resource("articles")
    files = sorted(folder.glob("*.md"))
    read = best_of(lambda: clock(lambda: [p.read_bytes() for p in files]), REPEAT)
    parse = best_of(lambda: clock(lambda: load_library(folder)), REPEAT)
    library = load_library(folder)
    print(f"best of {REPEAT}; queries: {len(TYPED)} typed strings")
    report(f"read + hash + parse {len(files)} article files", parse,
           "read the same files only", read)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite3")
        db.execute("CREATE TABLE bench_plain (article_id, title, summary, tags, body)")
        _measure(db, library, "the library")
        _measure(db, _copied(library, COPIES), f"the library copied {COPIES} times")
        db.close()
    _first_show(folder)


def _first_show(folder: Path) -> None:
    """Time from showing the Learn tab to the first article on screen (offscreen)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from caregiver_app.ui.learn import LearnTab
    from caregiver_app.ui.settings import UiSettings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "first.sqlite3")
        settings = UiSettings.at(Path(tmp) / "ui.ini")

        def load(fresh: bool) -> float:
            if fresh:
                db.execute("DELETE FROM learn_index_cache")
            tab = LearnTab(repo=LearnRepository(db), articles_dir=folder,
                           reference_file=resource("medicines", "reference.toml"),
                           settings=settings)
            tab.resize(1100, 700)
            elapsed = clock(tab.ensure_loaded)
            tab.deleteLater()
            app.processEvents()
            return elapsed

        first = best_of(lambda: load(True), 3)
        later = best_of(lambda: load(False), 3)
        db.close()
    report("Learn tab first shown, index to rebuild", first,
           "Learn tab first shown, index up to date", later)
