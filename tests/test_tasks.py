"""tasks.py, the Makefile's commands for Windows (no make there): the same commands, the
virtual environment's Python where each system keeps it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import tasks  # noqa: E402


@pytest.mark.parametrize(("platform", "parts"), [
    ("win32", ("Scripts", "python.exe")), ("linux", ("bin", "python")),
    ("darwin", ("bin", "python"))])
def test_the_venv_python_is_where_each_system_keeps_it(platform, parts):
    assert tasks.venv_python(Path(".venv"), platform) == Path(".venv", *parts)


def _make_recipe(target: str) -> list[list[str]]:
    """The Makefile's recipe lines for ``target``, as argument lists after ``$(PY)``."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.M)
    assert block, target
    steps = []
    for line in block.group(1).splitlines():
        words = line.split()
        words = words[words.index("$(PY)") + 1:]
        steps.append([w for w in words if not w.startswith("$(")])
    return steps


@pytest.mark.parametrize("task", ["test", "lint", "bench", "run", "dist"])
def test_each_task_runs_what_the_makefile_runs(task):
    assert tasks.commands(task, []) == _make_recipe(task)


def test_tests_and_benchmarks_run_offscreen():
    assert tasks.environment("test")["QT_QPA_PLATFORM"] == "offscreen"
    assert tasks.environment("bench")["QT_QPA_PLATFORM"] == "offscreen"


def test_extra_words_go_to_pytest_and_to_the_app():
    assert tasks.commands("test", ["-k", "dark"]) == [["-m", "pytest", "-k", "dark"]]
    assert tasks.commands("run", ["--demo"]) == [["main.py", "--demo"]]


def test_an_unknown_task_says_which_there_are():
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "tset"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "choose run, test, lint, bench or dist" in result.stderr


def test_the_workflow_runs_the_suite_on_the_three_systems():
    """.github/workflows/tests.yml: Linux through make (the README's commands), Windows
    and macOS through tasks.py; one system's failure does not cancel the others."""
    text = (ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8")
    systems = re.search(r"os: \[(.*)\]", text)
    assert systems and [s.strip() for s in systems.group(1).split(",")] == [
        "ubuntu-latest", "windows-latest", "macos-latest"]
    assert "fail-fast: false" in text
    assert "make lint && make test" in text
    assert "python tasks.py test" in text
    assert "python-version: \"3.11\"" in text  # the oldest Python the app supports
