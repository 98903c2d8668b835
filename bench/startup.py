"""Cold starts, each next to a bare PySide6 process measured in the same run.

(a) caregiver-app (the example household) until the main window is shown and the event
    loop is idle (``--quit-when-idle``: it quits from the first pass of the event loop
    after the window is shown), next to a bare PySide6 window with four tabs doing the
    same (``bench/bare_window.py``): CPU time, wall time and peak memory.
(b) ``caregiver-app print checklist`` of one day to a PDF file (the example household),
    next to a bare ``python -c "import PySide6.QtWidgets"`` process.

(b) also times, for scale, a process that only imports Qt's GUI module and sqlite-utils
(no code of ours). (a)'s baseline is itself that floor: Python, Qt's widgets, the
application object and a window (a plain start of the app opens up-to-date records
without sqlite-utils).

Runs alternate so a noisy machine affects both alike; medians of ``RUNS``. CPU time is
the process's user + system time: on a shared machine wall time swings 2-3x from one
minute to the next with the other processes' load, CPU time much less, so the CPU ratio
is the figure to compare across runs (wall is printed beside it).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from bench.common import ROOT, python

RUNS = 7


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    # Measure what a user's machine does: Python caches compiled modules after the
    # first start (this sandbox sets PYTHONDONTWRITEBYTECODE, which would recompile
    # every module on every run and hide the real figure).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Run(NamedTuple):
    wall: float
    """seconds"""
    cpu: float
    """seconds of user + system time"""
    peak: int
    """peak resident memory, KiB"""


def _timed(args: list[str], env: dict[str, str]) -> Run:
    """Run a child to completion and measure it (it must exit 0)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args} failed ({os.waitstatus_to_exitcode(status)}): {err}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def _median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak for r in runs))


def _side_by_side(ours: list[str], bare: list[str], env: dict[str, str]) -> tuple[Run, Run]:
    """(ours, bare): median wall and CPU seconds, highest peak memory, of ``RUNS`` each."""
    _timed(ours, env)  # the first run creates the example household, caches
    _timed(bare, env)
    our_runs, bare_runs = [], []
    for _ in range(RUNS):
        our_runs.append(_timed(ours, env))
        bare_runs.append(_timed(bare, env))
    return _median(our_runs), _median(bare_runs)


def _print(ours: tuple[str, Run], bare: tuple[str, Run]) -> None:
    for label, r in (ours, bare):
        print(f"{label:<44} CPU {r.cpu * 1000:6.0f} ms   wall {r.wall * 1000:6.0f} ms   "
              f"peak {r.peak / 1024:6.1f} MiB")
    our, base = ours[1], bare[1]
    print(f"{'ratio':<44} CPU {our.cpu / base.cpu:6.2f} x    wall {our.wall / base.wall:6.2f} x"
          f"    memory {our.peak / base.peak:5.2f} x")


def _floor(env: dict[str, str], imports: str) -> Run:
    """Median of a process that only imports ``imports``."""
    cmd = [python(), "-c", f"import {imports}"]
    _timed(cmd, env)
    return _median([_timed(cmd, env) for _ in range(RUNS)])


def run() -> None:
    env = _env()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        app_cmd = [python(), str(ROOT / "main.py"), "--data-dir", str(data), "--demo",
                   "--quit-when-idle"]
        bare_cmd = [python(), str(ROOT / "bench" / "bare_window.py")]
        app, bare = _side_by_side(app_cmd, bare_cmd, env)
        print_cmd = [python(), str(ROOT / "main.py"), "--data-dir", str(data), "--demo",
                     "print", "checklist", "--pdf", str(Path(tmp) / "day.pdf")]
        import_cmd = [python(), "-c", "import PySide6.QtWidgets"]
        printed, imported = _side_by_side(print_cmd, import_cmd, env)
        floor_print = _floor(env, "PySide6.QtGui, sqlite_utils")
    print(f"median of {RUNS} runs, platform {env['QT_QPA_PLATFORM']}")
    print("(a) start until idle, the example household")
    _print(("caregiver-app start until idle", app), ("bare PySide6 window, 4 tabs", bare))
    print("(b) print checklist, one day, to a PDF file")
    _print(("caregiver-app print checklist (one day)", printed),
           ("bare import PySide6.QtWidgets", imported))
    print(f"{'  for scale: import QtGui, sqlite_utils':<44} CPU "
          f"{floor_print.cpu * 1000:6.0f} ms   wall {floor_print.wall * 1000:6.0f} ms")
