"""PySide's import hook answers from each module's file (``caregiver_app.pyside_hook``)."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from caregiver_app import pyside_hook

ROOT = Path(__file__).resolve().parent.parent


def _pyside_answer(module: ModuleType) -> bool:
    """PySide's own test (``shibokensupport.feature._mod_uses_pyside``), as written there."""
    try:
        source = inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False
    return "PySide6" in source


def test_the_answer_from_the_file_is_pysides_own(tmp_path, monkeypatch):
    gone = tmp_path / "gone_since.py"
    gone.write_text("import PySide6\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    removed = importlib.import_module("gone_since")
    gone.unlink()
    names = [
        "caregiver_app.ui.main_window", "caregiver_app.ui.today.tab",  # say PySide6
        "caregiver_app.services.backups", "caregiver_app.pyside_hook",
        "caregiver_app.domain.doses", "caregiver_app.storage.db",  # do not
        "caregiver_app.ui",  # a package
        "logging", "json", "os",  # the standard library (os: frozen, with its file)
        "sys", "builtins",  # built in
        "_sqlite3", "PySide6.QtCore", "shiboken6.Shiboken",  # compiled
        "PySide6", "shibokensupport.feature",  # PySide's own (the second: no file)
    ]
    modules = [importlib.import_module(name) for name in names] + [removed]
    answers = {m.__name__: pyside_hook.mentions_pyside(m) for m in modules}
    assert answers == {m.__name__: _pyside_answer(m) for m in modules}
    assert sum(answers.values()) == 5  # (both answers occur)


_START = """
import json, sys
from caregiver_app.app import main
code = main(sys.argv[1:])
import caregiver_app.pyside_hook, shibokensupport.feature as feature
print("HOOK " + json.dumps({
    "ours": feature._mod_uses_pyside is caregiver_app.pyside_hook.mentions_pyside,
    "asked": {name: feature.pyside_feature_dict.get(name) for name in (
        "caregiver_app.ui.main_window", "caregiver_app.services.reminders",
        "caregiver_app.domain.reminders", "textwrap")}}))
sys.exit(code)
"""


def test_a_start_asks_pysides_hook_through_the_file(tmp_path):
    """Fails when PySide no longer has the function replaced: the start still works, but
    reads every module's source again (~25 ms CPU)."""
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", _START, "--data-dir", str(tmp_path / "data"), "--demo",
         "--quit-when-idle"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("HOOK ")]
    found = json.loads(line.removeprefix("HOOK "))
    # 0: the module mentions PySide6; -1: it does not (PySide's own values)
    assert found == {"ours": True, "asked": {
        "caregiver_app.ui.main_window": 0, "caregiver_app.services.reminders": 0,
        "caregiver_app.domain.reminders": -1, "textwrap": -1}}
