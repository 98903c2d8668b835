"""Cold starts, each next to a bare PySide6 process measured in the same run.

(a) caregiver-app (the example household) until the main window is shown and the event
    loop is idle (``--quit-when-idle``: it quits from the first pass of the event loop
    after the window is shown), next to a bare PySide6 window with four tabs doing the
    same (``bench/bare_window.py``): wall time and peak memory.
(b) ``caregiver-app print checklist`` of one day to a PDF file (the example household),
    next to a bare ``python -c "import PySide6.QtWidgets"`` process.

Each part also times, for scale, a process that only imports what the app cannot start
without (Qt and sqlite-utils, no code of ours): the part of the ratio no change to the
app's own code can remove.

Runs alternate so a noisy machine affects both alike; medians of ``RUNS``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from bench.common import ROOT, python, timed_process

RUNS = 7


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    # Measure what a user's machine does: Python caches compiled modules after the
    # first start (this sandbox sets PYTHONDONTWRITEBYTECODE, which would recompile
    # every module on every run and hide the real figure).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _side_by_side(ours: list[str], bare: list[str], env: dict[str, str]
                  ) -> tuple[float, int, float, int]:
    """(our median seconds, our peak KiB, bare median seconds, bare peak KiB)."""
    timed_process(ours, env)  # the first run creates the example household, caches
    timed_process(bare, env)
    our_runs, bare_runs = [], []
    for _ in range(RUNS):
        our_runs.append(timed_process(ours, env))
        bare_runs.append(timed_process(bare, env))
    return (statistics.median(t for t, _ in our_runs), max(m for _, m in our_runs),
            statistics.median(t for t, _ in bare_runs), max(m for _, m in bare_runs))


def _print(rows: tuple[tuple[str, float, int], ...]) -> None:
    for label, t, m in rows:
        print(f"{label:<44} {t * 1000:8.0f} ms   peak {m / 1024:6.1f} MiB")
    (_, our_t, our_m), (_, bare_t, bare_m) = rows
    print(f"{'ratio':<44} {our_t / bare_t:8.2f} x    memory {our_m / bare_m:6.2f} x")


def _floor(env: dict[str, str], imports: str) -> float:
    """Median seconds of a process that only imports ``imports``."""
    cmd = [python(), "-c", f"import {imports}"]
    timed_process(cmd, env)
    return statistics.median(timed_process(cmd, env)[0] for _ in range(RUNS))


def run() -> None:
    env = _env()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        app_cmd = [python(), str(ROOT / "main.py"), "--data-dir", str(data), "--demo",
                   "--quit-when-idle"]
        bare_cmd = [python(), str(ROOT / "bench" / "bare_window.py")]
        app_t, app_m, bare_t, bare_m = _side_by_side(app_cmd, bare_cmd, env)
        print_cmd = [python(), str(ROOT / "main.py"), "--data-dir", str(data), "--demo",
                     "print", "checklist", "--pdf", str(Path(tmp) / "day.pdf")]
        import_cmd = [python(), "-c", "import PySide6.QtWidgets"]
        print_t, print_m, import_t, import_m = _side_by_side(print_cmd, import_cmd, env)
        floor_window = _floor(env, "PySide6.QtWidgets, sqlite_utils")
        floor_print = _floor(env, "PySide6.QtGui, sqlite_utils")
    print(f"median of {RUNS} runs, platform {env['QT_QPA_PLATFORM']}")
    print("(a) start until idle, the example household")
    _print((("caregiver-app start until idle", app_t, app_m),
            ("bare PySide6 window, 4 tabs", bare_t, bare_m)))
    print(f"{'  for scale: import QtWidgets, sqlite_utils':<44} {floor_window * 1000:8.0f} ms")
    print("(b) print checklist, one day, to a PDF file")
    _print((("caregiver-app print checklist (one day)", print_t, print_m),
            ("bare import PySide6.QtWidgets", import_t, import_m)))
    print(f"{'  for scale: import QtGui, sqlite_utils':<44} {floor_print * 1000:8.0f} ms")
