"""Cold start of caregiver-app until the main window is shown and idle.

Both programs run with ``--quit-when-idle`` semantics: they quit from the first
pass of the event loop after the window is shown. Runs alternate so a noisy
machine affects both alike.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from bench.common import ROOT, python, timed_process

RUNS = 7


def run() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    # Measure what a user's machine does: Python caches compiled modules after the
    # first start (this sandbox sets PYTHONDONTWRITEBYTECODE, which would recompile
    # every module on every run and hide the real figure).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        app_cmd = [python(), str(ROOT / "main.py"), "--data-dir", str(data), "--demo",
                   "--quit-when-idle"]
        bare_cmd = [python(), str(ROOT / "bench" / "bare_window.py")]
        timed_process(app_cmd, env)  # first run creates the example household
        app_runs, bare_runs = [], []
        for _ in range(RUNS):
            app_runs.append(timed_process(app_cmd, env))
            bare_runs.append(timed_process(bare_cmd, env))
    app_t = statistics.median(t for t, _ in app_runs)
    bare_t = statistics.median(t for t, _ in bare_runs)
    app_m = max(m for _, m in app_runs)
    bare_m = max(m for _, m in bare_runs)
    print(f"median of {RUNS} runs, platform {env['QT_QPA_PLATFORM']}")
    for label, t, m in (("caregiver-app start until idle", app_t, app_m),
                        ("bare PySide6 window, 4 tabs", bare_t, bare_m)):
        print(f"{label:<40} {t * 1000:8.0f} ms   peak {m / 1024:6.1f} MiB")
    print(f"{'ratio':<40} {app_t / bare_t:8.2f} x    memory {app_m / bare_m:6.2f} x")
