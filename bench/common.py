"""Helpers shared by the benchmarks."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_process(args: list[str], env: dict[str, str] | None = None
                  ) -> tuple[float, int, float]:
    """Run a child to completion: (wall seconds, peak resident memory in KiB, CPU
    seconds: user + system)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def best_of(fn: Callable[[], float], repeat: int = 5) -> float:
    return min(fn() for _ in range(repeat))


def median_of(fn: Callable[[], float], repeat: int = 5) -> float:
    return statistics.median(fn() for _ in range(repeat))


def clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def report(label: str, value: float, baseline_label: str, baseline: float,
           unit: str = "ms") -> None:
    scale = {"ms": 1000, "us": 1_000_000}.get(unit, 1)
    ratio = value / baseline if baseline else float("inf")
    print(f"{label:<48} {value * scale:10.1f} {unit}")
    print(f"{baseline_label:<48} {baseline * scale:10.1f} {unit}")
    print(f"{'ratio':<48} {ratio:10.2f} x")


def python() -> str:
    return sys.executable
