"""PySide's import hook answers from each module's file (``caregiver_app.pyside_hook``)."""

from __future__ import annotations

import importlib
import inspect
import json
import marshal
import os
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


def _module_at(path: Path) -> ModuleType:
    module = ModuleType(path.stem)
    module.__file__ = str(path)
    return module


def test_an_answer_is_kept_and_read_again_when_the_file_changes(tmp_path, monkeypatch):
    """A later start looks at the file's time and size only: the answer kept is used
    while they are the same, and the file is read again once either differs."""
    kept = tmp_path / "pycache" / "mentions.marshal"
    monkeypatch.setattr(pyside_hook, "_known", {})
    monkeypatch.setattr(pyside_hook, "_path", [])
    monkeypatch.setattr(pyside_hook, "_new", {"answers": 0})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert pyside_hook.keep_answers(kept)
    source = tmp_path / "some_view.py"
    source.write_text("import os\n")
    module = _module_at(source)
    reads: list[str] = []
    read = pyside_hook._answer_from
    monkeypatch.setattr(pyside_hook, "_answer_from", lambda path: reads.append(path) or read(path))
    assert not pyside_hook.mentions_pyside(module)
    assert pyside_hook.save()
    assert not pyside_hook.save()  # (nothing new since)

    # the next process: the answer from the file kept, without reading the module's
    monkeypatch.setattr(pyside_hook, "_known", {})
    assert pyside_hook.keep_answers(kept)
    reads.clear()
    assert not pyside_hook.mentions_pyside(module)
    assert reads == []

    source.write_text("from PySide6.QtCore import Qt\n")  # another size
    assert pyside_hook.mentions_pyside(module)
    assert reads == [str(source)]
    source.write_text("from PySide7.QtCore import Qt\n")  # the same size, a later time
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    assert not pyside_hook.mentions_pyside(module)
    assert reads == [str(source)] * 2
    source.unlink()
    assert not pyside_hook.mentions_pyside(module)  # gone: no source, as PySide says


def test_the_answers_are_not_kept_where_python_keeps_no_bytecode(tmp_path, monkeypatch):
    kept = tmp_path / "mentions.marshal"
    monkeypatch.setattr(pyside_hook, "_known", {})
    monkeypatch.setattr(pyside_hook, "_path", [])
    monkeypatch.setattr(pyside_hook, "_new", {"answers": 0})
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert pyside_hook.keep_answers(kept)
    source = tmp_path / "view.py"
    source.write_text("import PySide6\n")
    assert pyside_hook.mentions_pyside(_module_at(source))
    assert not pyside_hook.save()
    assert not kept.exists()


def test_a_damaged_file_of_answers_is_ignored(tmp_path, monkeypatch):
    kept = tmp_path / "mentions.marshal"
    kept.write_bytes(b"not ours")
    monkeypatch.setattr(pyside_hook, "_known", {})
    monkeypatch.setattr(pyside_hook, "_path", [])
    assert pyside_hook.keep_answers(kept)
    assert pyside_hook._known == {}
    kept.write_bytes(pyside_hook._HEADER + b"\x00garbage")
    assert pyside_hook.keep_answers(kept)
    assert pyside_hook._known == {}


def test_a_file_of_answers_damaged_to_ask_for_gigabytes_is_ignored_at_once(
        tmp_path, monkeypatch):
    """A flipped type byte and length made ``marshal`` build a list of 2**31-1 items
    (``MemoryError``, so no start, where memory is not lent freely; seconds where it
    is): the file's checksum stops it first."""
    kept = tmp_path / "mentions.marshal"
    source = tmp_path / "view.py"
    source.write_text("import PySide6\n")
    monkeypatch.setattr(pyside_hook, "_known", {})
    monkeypatch.setattr(pyside_hook, "_new", {"answers": 0})
    monkeypatch.setattr(pyside_hook, "_path", [])
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert pyside_hook.keep_answers(kept)
    assert pyside_hook.mentions_pyside(_module_at(source))
    assert pyside_hook.save()
    good = kept.read_bytes()
    at = good.index(str(source).encode()) - 2  # (the key's type byte and length)
    kept.write_bytes(good[:at] + b"[" + (0x7FFFFFFF).to_bytes(4, "little") + good[at + 2:])

    def refused(*args):  # a machine that does not lend 16 GB
        raise MemoryError

    monkeypatch.setattr(marshal, "load", refused)
    monkeypatch.setattr(marshal, "loads", refused)
    monkeypatch.setattr(pyside_hook, "_known", {})
    assert pyside_hook.keep_answers(kept)  # (the start goes on)
    assert pyside_hook._known == {}
