"""A process writing dose records is killed with SIGKILL at random moments, many times.

After every kill the database must open, pass SQLite's integrity check, and hold every
record whose write was reported as done.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROUNDS = 12


@pytest.mark.slow
def test_sigkill_never_loses_a_reported_dose_record(tmp_path):
    data_dir = tmp_path / "data"
    rng = random.Random(20261125)
    reported: set[int] = set()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(ROUNDS):
        with subprocess.Popen([sys.executable, str(HERE / "crash_writer.py"), str(data_dir)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) as writer:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
            for _ in range(rng.randint(1, 40)):
                reported.add(int(writer.stdout.readline()))
            # mid-write, most of the time: SIGKILL on POSIX, TerminateProcess on Windows
            writer.kill()
            writer.wait(timeout=10)
            assert writer.returncode == (1 if os.name == "nt" else -signal.SIGKILL)
        conn = sqlite3.connect(data_dir / "caregiver.sqlite3")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            stored = {r[0] for r in conn.execute("SELECT id FROM dose_entries")}
        finally:
            conn.close()
        missing = reported - stored
        assert not missing, f"records reported as saved were lost: {sorted(missing)[:5]}"
    assert len(reported) >= ROUNDS
