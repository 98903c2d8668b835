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

Peak memory counts the pages of Qt's and the other libraries that a process maps and
touches, and with each page it touches the kernel maps others around it that are in the
system's file cache, as many as the cache holds together: how a file came into the cache
changes both programs' figures, and so the ratio (the same two programs measured 1.29x
right after PySide was installed, its files cached as the installer wrote them, and 1.37x
once those files had been dropped from the cache and read again). So both programs are
measured in the second state, that of a computer that has restarted since installing
(started cold, then warmed by the programs' own runs, a copy of PySide no other program
mapped measured the same as dropped and read back: 69.5/50.6 MiB, 1.37x, both ways):
before the runs, every file either program maps (listed from ``/proc/self/maps`` by a
first run of each) is dropped from the cache and read back whole. A file that another
running program maps cannot be dropped, and stays as it was: the output says how much.

Runs alternate so a noisy machine affects both alike; medians of ``RUNS``. CPU time is
the process's user + system time: on a shared machine wall time swings 2-3x from one
minute to the next with the other processes' load, CPU time much less, so the CPU ratio
is the figure to compare across runs (wall is printed beside it).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from bench.common import ROOT, python

RUNS = 11


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
    proc.returncode = os.waitstatus_to_exitcode(status)  # (reaped: Popen is told)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}): {err}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def _median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak for r in runs))


#: Runs a Python command line (a script and its arguments, or ``-c`` and code) as Python
#: would, and writes the files the process maps (``/proc/self/maps``) when it exits.
_LIST_MAPPED = """
import atexit, os, runpy, sys
out, args = sys.argv[1], sys.argv[2:]

def keep():
    with open("/proc/self/maps") as maps, open(out, "w") as listed:
        listed.write(maps.read())

atexit.register(keep)
sys.argv = args
if args[0] == "-c":
    exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})
else:
    sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
    runpy.run_path(args[0], run_name="__main__")
"""


def mapped_files(args: list[str], env: dict[str, str]) -> set[Path]:
    """The files a run of the Python command ``args`` maps (its libraries, Qt's
    plugins, locale data...), by running it once; none where there is no
    ``/proc/self/maps`` (not Linux)."""
    if not Path("/proc/self/maps").exists():
        _timed(args, env)
        return set()
    with tempfile.TemporaryDirectory() as tmp:
        listed = Path(tmp) / "maps"
        _timed([args[0], "-c", _LIST_MAPPED, str(listed), *args[1:]], env)
        lines = listed.read_text().splitlines()
    found = {Path(line.split(maxsplit=5)[5]) for line in lines if len(line.split()) == 6}
    return {path for path in found if path.is_absolute() and path.is_file()}


def settle_page_cache(files: set[Path]) -> tuple[int, float]:
    """Drop each of ``files`` from the system's file cache, then read it whole: its pages
    cached as reading puts them there, not as an installer wrote them. Returns the bytes
    read, and the share of them that could not be dropped (a file another program maps;
    0.0 where that cannot be told)."""
    total = kept = 0
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # (gone, or not readable: left as it is)
            continue
        try:
            size = os.fstat(fd).st_size
            with contextlib.suppress(OSError):
                os.fsync(fd)  # (a page not yet written back is not dropped)
            if hasattr(os, "posix_fadvise"):
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            kept += _cached_bytes(fd, size)
            while chunk := os.read(fd, 1 << 20):
                total += len(chunk)
        finally:
            os.close(fd)
    return total, kept / total if total else 0.0


def _cached_bytes(fd: int, size: int) -> int:
    """How much of the open file ``fd`` is in the system's file cache (Linux's
    ``mincore``; 0 elsewhere)."""
    if not size or not sys.platform.startswith("linux"):
        return 0
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
    address = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
    if address in (None, ctypes.c_void_p(-1).value):
        return 0
    try:
        pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
        found = (ctypes.c_ubyte * pages)()
        if libc.mincore(address, size, found) != 0:
            return 0
        return min(size, sum(1 for page in found if page & 1) * mmap.PAGESIZE)
    finally:
        libc.munmap(address, size)


_cache_states: list[str] = []
"""What ``_side_by_side`` did to the page cache, for each pair of programs."""


def _side_by_side(ours: list[str], bare: list[str], env: dict[str, str]) -> tuple[Run, Run]:
    """(ours, bare): median wall and CPU seconds, highest peak memory, of ``RUNS`` each,
    every file either maps dropped from the system's file cache and read back first."""
    files = mapped_files(ours, env)  # (the first run also creates the example household)
    files |= mapped_files(bare, env)
    if files:
        read, kept = settle_page_cache(files)
        _cache_states.append(
            f"page cache: the {len(files)} files both map ({read / 2**20:.0f} MiB) dropped and "
            f"read back before the runs (as after a restart); {kept:.0%} could not be dropped")
    else:
        _cache_states.append("page cache: as found (no /proc/self/maps: the files mapped "
                             "are not known)")
    _timed(ours, env)  # (caches: the example household's first start compiles more)
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
    print(f"median of {RUNS} runs (peak: the highest), platform {env['QT_QPA_PLATFORM']}")
    print("(a) start until idle, the example household")
    print(f"    {_cache_states[0]}")
    _print(("caregiver-app start until idle", app), ("bare PySide6 window, 4 tabs", bare))
    print("(b) print checklist, one day, to a PDF file")
    print(f"    {_cache_states[1]}")
    _print(("caregiver-app print checklist (one day)", printed),
           ("bare import PySide6.QtWidgets", imported))
    print(f"{'  for scale: import QtGui, sqlite_utils':<44} CPU "
          f"{floor_print.cpu * 1000:6.0f} ms   wall {floor_print.wall * 1000:6.0f} ms")
