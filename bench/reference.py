"""Loading the built-in medicine reference, once, as the app does at composition.

Baseline: reading and parsing the same TOML file with ``tomllib`` and no checks,
so the figure shows what validation and building the objects add.
"""

from __future__ import annotations

import tomllib

from bench.common import best_of, clock, report
from caregiver_app.domain.reference import REFERENCE_RESOURCE, load_reference
from caregiver_app.paths import resource

REPEAT = 20


def run() -> None:
    path = resource(*REFERENCE_RESOURCE)
    baseline = best_of(lambda: clock(lambda: tomllib.loads(path.read_text(encoding="utf-8"))),
                       REPEAT)
    loaded = best_of(lambda: clock(lambda: load_reference(path)), REPEAT)
    ref = load_reference(path)
    search = best_of(lambda: clock(lambda: [ref.search(q) for q in ("r", "ril", "hyoscine")]),
                     REPEAT)
    print(f"best of {REPEAT}, {len(ref)} entries")
    report("load_reference (parse + check + build)", loaded,
           "tomllib.loads of the same file", baseline)
    print(f"{'3 searches (picker typing)':<48} {search * 1000:10.2f} ms")
