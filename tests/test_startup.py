"""The real program, started as a user would, in a subprocess."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from permissions import assert_owner_only

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    return env


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=_env(),
                          capture_output=True, text=True, timeout=timeout)


class _Lines:
    """Lines a child process writes to stderr, waited for without sleeping."""

    def __init__(self, stream):
        self._queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        while not any(text in line for line in self.seen):
            try:
                self.seen.append(self._queue.get(timeout=timeout))
            except queue.Empty:
                raise AssertionError(f"never saw {text!r}; got {self.seen}") from None


@contextmanager
def _running(data: Path) -> Iterator[_Lines]:
    """The app started on ``data``'s example household, logging each step to stderr
    (``--verbose``); yields the lines it writes there, and ends it after."""
    with subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "--demo", "--verbose"],
        env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    ) as first:
        try:
            yield _Lines(first.stderr)
        finally:
            first.terminate()
            first.wait(timeout=10)


@pytest.mark.slow
def test_example_household_starts_and_stays_apart(tmp_path):
    real = tmp_path / "data"
    result = _run("--data-dir", str(real), "--demo", "--quit-when-idle")
    assert result.returncode == 0, result.stderr
    example = tmp_path / "data-example"
    assert_owner_only(example / "caregiver.sqlite3")
    assert not (real / "caregiver.sqlite3").exists()


@pytest.mark.slow
def test_second_copy_brings_first_to_front(tmp_path):
    data = tmp_path / "data"
    with _running(data) as lines:
        lines.wait_for("window shown")
        second = _run("--data-dir", str(data), "--demo")
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stdout
        lines.wait_for("brought to front by a second launch", timeout=10)


@pytest.mark.slow
def test_a_long_log_is_rotated_once_the_window_is_up(tmp_path):
    """The start logs through a plain handler (services.logs); from the event loop's
    second pass the log rotates: a log over its size moves aside at the next line."""
    data = tmp_path / "data"
    log_file = tmp_path / "data-example" / "logs" / "caregiver-app.log"
    log_file.parent.mkdir(parents=True)
    log_file.write_text("x" * 1_000_100 + "\n", encoding="utf-8")
    with _running(data) as lines:
        lines.wait_for("window shown")
        second = _run("--data-dir", str(data), "--demo")  # a line once it is idle
        assert second.returncode == 0, second.stderr
        lines.wait_for("brought to front by a second launch", timeout=10)
    older = log_file.with_name("caregiver-app.log.1")
    assert "start version=" in older.read_text(encoding="utf-8")
    current = log_file.read_text(encoding="utf-8")
    assert "brought to front" in current
    # this session's start line again, first in the fresh log, saying where the rest went
    assert current.splitlines()[0].endswith("are in caregiver-app.log.1)")
    assert current.count("start version=") == 1
    assert_owner_only(older)


@pytest.mark.slow
def test_numbers_kept_forms_of_another_phonenumbers_are_made_again_once_up(tmp_path):
    """After a phonenumbers upgrade the numbers' kept forms (another version's) are made
    again once the window is up, on a worker thread (services.phone_forms), not at start."""
    import sqlite3

    import phonenumbers

    data = tmp_path / "data"
    made = _run("--data-dir", str(data), "--demo", "--quit-when-idle")  # the records
    assert made.returncode == 0, made.stderr
    records = tmp_path / "data-example" / "caregiver.sqlite3"
    with sqlite3.connect(records) as conn:
        stale = conn.execute("UPDATE contact_phones SET shown_rules = '8.0.0', "
                             "shown_national = 'old' WHERE shown_rules != ''").rowcount
    assert stale > 3  # (the example's care team has numbers)
    started = _run("--data-dir", str(data), "--demo", "--quit-when-idle")
    assert started.returncode == 0, started.stderr
    with sqlite3.connect(records) as conn:  # not at start: nothing made yet
        assert conn.execute("SELECT count(*) FROM contact_phones "
                            "WHERE shown_rules = '8.0.0'").fetchone() == (stale,)
    with _running(data) as lines:
        lines.wait_for(f"phone forms made again for phonenumbers "
                       f"{phonenumbers.__version__}: {stale}")
    with sqlite3.connect(records) as conn:
        rows = conn.execute("SELECT number, extension, shown_national, shown_rules "
                            "FROM contact_phones WHERE shown_rules != ''").fetchall()
    assert len(rows) == stale
    assert {rules for *_, rules in rows} == {phonenumbers.__version__}
    assert "old" not in {national for _, _, national, _ in rows}
