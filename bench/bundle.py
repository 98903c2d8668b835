"""The PyInstaller bundle (``make dist``): its size, and its start until idle against
``make run``'s (``python main.py``), the baseline, measured in the same run.

Both start the example household with ``--quit-when-idle`` (they quit from the first
pass of the event loop after the window is shown), alternating so a noisy machine
affects both alike. The first start of each, in a new data folder, is reported apart
(it creates the example household and reads every file from the disk for the first
time since the build); then the median of ``RUNS``, in wall time and in CPU time (user
+ system: what a busy machine disturbs less).

``python -m bench bundle`` after ``make dist``; ``BUNDLE=DIR`` names another bundle.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, python, timed_process
from caregiver_app import platforms

RUNS = 5


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def run() -> None:
    dist = Path(os.environ.get("BUNDLE") or ROOT / "dist")
    program = platforms.program_in_dist(dist)
    if not program.is_file():
        print(f"no bundle at {program}: run `make dist` first")
        return
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps its compiled modules
    bundle_dir = program.parent if sys.platform != "darwin" else dist / platforms.MAC_APP
    with tempfile.TemporaryDirectory() as tmp:
        def cmd(which: str) -> list[str]:
            args = ["--data-dir", str(Path(tmp) / which), "--demo", "--quit-when-idle"]
            if which == "bundle":
                return [str(program), *args]
            return [python(), str(ROOT / "main.py"), *args]

        first = {which: timed_process(cmd(which), env) for which in ("bundle", "make-run")}
        runs: dict[str, list[tuple[float, int, float]]] = {"bundle": [], "make-run": []}
        for _ in range(RUNS):
            for which in runs:
                runs[which].append(timed_process(cmd(which), env))
    size = folder_size(bundle_dir)
    print(f"bundle {bundle_dir}: {size / 2**20:.0f} MiB on disk, "
          f"{sum(1 for _ in bundle_dir.rglob('*'))} files")
    print(f"start until idle, platform {env['QT_QPA_PLATFORM']} "
          f"(first start, then median of {RUNS})")
    for which, label in (("bundle", "bundle (make dist)"), ("make-run", "make run (baseline)")):
        median = statistics.median(t for t, _, _ in runs[which])
        cpu = statistics.median(c for _, _, c in runs[which])
        peak = max(m for _, m, _ in runs[which])
        print(f"{label:<24} first {first[which][0] * 1000:6.0f} ms   median {median * 1000:6.0f} ms"
              f"   CPU {cpu * 1000:6.0f} ms   peak {peak / 1024:6.1f} MiB")
    for index, what in ((0, "wall"), (2, "CPU")):
        ratio = (statistics.median(run[index] for run in runs["bundle"])
                 / statistics.median(run[index] for run in runs["make-run"]))
        print(f"{'ratio bundle / make run':<24} {ratio:6.2f} x ({what}, median)")
