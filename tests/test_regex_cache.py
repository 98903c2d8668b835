"""Regular expressions compiled through the start's file (``caregiver_app.regex_cache``).

Each case runs in a process of its own: the cache is installed for the whole process.
"""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caregiver_app import marshal_file, regex_cache

ROOT = Path(__file__).resolve().parent.parent

_PATTERNS = r"""
import json, re, sys
from pathlib import Path
from caregiver_app import regex_cache
installed = regex_cache.install(Path(sys.argv[1]))
python_compiles = regex_cache._state["compile"]  # (re._compiler.compile, Python's own)
cases = [
    (r"^\s*(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>[^\W\d_]+)$", 0),
    (r"(?P<word>\w+)\s+(?P=word)", re.IGNORECASE),
    (r'''
        \b(typing\.Optional | typing\.Union)  # a word
        \s* (?= \[ )                            # a bracket follows
     ''', re.VERBOSE),
    (rb"[\x00-\x1f]+(?:ab|cd)*?", 0),
    (r"(?a)(?i:riluzole)|\w{2,5}", 0),
]
same, matched = [], []
for text, flags in cases:
    ours = re.compile(text, flags)
    theirs = python_compiles(text, int(flags))
    same.append(ours == theirs and ours.groupindex == theirs.groupindex
                and ours.groups == theirs.groups and ours.flags == theirs.flags)
m = re.compile(cases[0][0]).match(" 12,5 mg")
matched = [m.group("amount"), m.group("unit"), m.span()]
regex_cache.stop()
re.compile(r"compiled (after|once) the start")  # (not kept)
print("OUT " + json.dumps({"installed": installed, "same": same, "matched": matched,
                           "counts": regex_cache.counts()}))
"""


def _run(cache: Path, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(env)
    result = subprocess.run([sys.executable, "-c", _PATTERNS, str(cache)], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
    return json.loads(line.removeprefix("OUT "))


def test_patterns_from_the_file_are_those_python_compiles(tmp_path):
    cache = tmp_path / "regex-code.marshal"
    first, second = _run(cache), _run(cache)
    assert first["installed"] and first["same"] == [True] * 5
    assert first["counts"] == [0, 5]  # (compiled, then written at exit)
    assert second["same"] == [True] * 5
    assert second["matched"] == first["matched"] == ["12,5", "mg", [0, 8]]
    assert second["counts"] == [5, 0]  # every one taken from the file, none compiled


def test_an_entry_of_malformed_code_is_refused_and_compiled_as_before(tmp_path):
    """Code ``_sre.compile`` finds malformed (a damaged entry) is not run: the pattern
    is compiled as before. (Only that is checked: another pattern's well-formed code
    would be run. The file is trusted as the ``.pyc`` files beside it are.)"""
    cache = tmp_path / "regex-code.marshal"
    _run(cache)
    entries = marshal_file.read(cache, regex_cache._header())
    assert isinstance(entries, dict) and len(entries) == 5
    wrong = {}
    for key, value in entries.items():
        arguments = marshal.loads(value)
        wrong[key] = marshal.dumps((arguments[0], [1, 2, 3], *arguments[2:]))
    assert marshal_file.write(cache, regex_cache._header(), wrong)
    found = _run(cache)
    assert found["same"] == [True] * 5 and found["matched"] == ["12,5", "mg", [0, 8]]
    assert found["counts"] == [0, 5]


def test_a_damaged_file_is_ignored(tmp_path):
    cache = tmp_path / "regex-code.marshal"
    _run(cache)
    data = bytearray(cache.read_bytes())
    data[-3] ^= 0xFF
    cache.write_bytes(bytes(data))
    found = _run(cache)
    assert found["same"] == [True] * 5 and found["counts"] == [0, 5]
    assert _run(cache)["counts"] == [5, 0]  # (written again whole)


_ONE_OF_MANY = r"""
import json, marshal, re, sys
from pathlib import Path
from caregiver_app import regex_cache
regex_cache.install(Path(sys.argv[1]))
unmarshalled = []
loads = marshal.loads
def counted(data, /):
    unmarshalled.append(len(data))
    return loads(data)
regex_cache.marshal = type("Marshal", (), {"loads": staticmethod(counted),
                                           "dumps": staticmethod(marshal.dumps)})
pattern = re.compile(r"^\s*(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>[^\W\d_]+)$")
print("OUT " + json.dumps({"unmarshalled": len(unmarshalled), "counts": regex_cache.counts(),
                           "match": pattern.match("2 mg").group("unit")}))
"""


def test_a_start_unmarshals_only_the_patterns_it_compiles(tmp_path):
    """The file holds every pattern a start or a command compiled (a command's are many,
    and of no use to the window's start): each is read as bytes, and made into the
    matcher's code only when its pattern is compiled."""
    cache = tmp_path / "regex-code.marshal"
    _run(cache)  # (five patterns kept)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run([sys.executable, "-c", _ONE_OF_MANY, str(cache)], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
    assert json.loads(line.removeprefix("OUT ")) == {
        "unmarshalled": 1, "counts": [1, 0], "match": "mg"}


def test_nothing_is_written_when_python_writes_no_bytecode(tmp_path):
    cache = tmp_path / "regex-code.marshal"
    _run(cache, PYTHONDONTWRITEBYTECODE="1")
    assert not cache.exists()


_START = """
import json, sys
from pathlib import Path
from caregiver_app import codegen_cache, regex_cache
folder = Path(sys.argv[1])  # (the files the entry point installs: not the checkout's)
codegen_cache.default_path = lambda: folder / "dataclass-code.marshal"
regex_cache.default_path = lambda: folder / "regex-code.marshal"
sys.argv = ["caregiver-app", *sys.argv[2:]]
from caregiver_app.__main__ import main
code = main()
from caregiver_app import regex_cache
print("CACHE " + json.dumps({"counts": regex_cache.counts()}))
sys.exit(code)
"""


@pytest.mark.slow
def test_the_window_starts_with_the_patterns_it_kept(tmp_path):
    """Fails when the entry point no longer installs the cache: PySide's support code
    alone then spends ~11 ms CPU of every start compiling three patterns again."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(QT_QPA_PLATFORM="offscreen")
    environment.pop("CAREGIVER_APP_DATA_DIR", None)
    found = []
    for _ in range(3):  # the first makes the example household
        result = subprocess.run(
            [sys.executable, "-c", _START, str(tmp_path), "--data-dir", str(tmp_path / "data"),
             "--demo", "--quit-when-idle"], cwd=ROOT, env=environment, capture_output=True,
            text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("CACHE ")]
        found.append(json.loads(line.removeprefix("CACHE "))["counts"])
    hits, made = found[-1]
    assert made == 0 and hits >= 20  # (PySide's, the standard library's, ours)
    assert (tmp_path / "regex-code.marshal").is_file()  # (the test's, not the checkout's)


# A ``re`` whose internals changed, in the shape CPython's main branch has now
# (Lib/re/_compiler.py: ``_code`` returns the code with a repeat count, which
# ``_sre.compile`` takes as a seventh argument). Python's own ``re.compile`` works.
_NEW_SHAPE = r"""
import re._compiler as c
from types import SimpleNamespace
old_code, old_sre = c._code, c._sre
c._code = lambda p, flags: SimpleNamespace(code=old_code(p, flags), repeat_count=0)
class Sre:
    def __getattr__(self, name):
        return getattr(old_sre, name)
    @staticmethod
    def compile(pattern, flags, code, groups, groupindex, indexgroup, repeat_count):
        return old_sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
c._sre = Sre()
def compile(p, flags=0):
    pattern = p; p = c._parser.parse(p, flags); data = c._code(p, flags)
    groupindex = p.state.groupdict; indexgroup = [None] * p.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return c._sre.compile(pattern, flags | p.state.flags, data.code, p.state.groups - 1,
                          groupindex, tuple(indexgroup), data.repeat_count)
c.compile = compile
"""

_OTHER_RE = _NEW_SHAPE + r"""
import json, re, sys
from pathlib import Path
from caregiver_app import regex_cache
if sys.argv[2] == "past the probe":  # (a pattern the probe does not show: the same)
    regex_cache._agrees = lambda compiler: True
installed = regex_cache.install(Path(sys.argv[1]))
text = r"(?P<day>\d{4}-\d{2}-\d{2})\s+(?P<time>\d\d:\d\d)"
ours, python = re.compile(text, re.ASCII), compile(text, re.ASCII)
try:
    re.compile(r"an (unclosed group")
    bad = None
except re.error as error:
    bad = str(error)
print("OUT " + json.dumps({
    "installed": installed,
    "same": ours == python and ours.groupindex == python.groupindex
            and ours.groups == python.groups and ours.flags == python.flags,
    "matched": ours.match("2026-12-07  08:00").groupdict(), "bad": bad}))
"""


@pytest.mark.parametrize("how", ["probed", "past the probe"])
def test_a_python_whose_re_compiles_otherwise_compiles_with_its_own(tmp_path, how):
    """Fails when a change in ``re``'s internals makes every new pattern raise (the app
    then never starts): ``install`` leaves such a ``re`` alone, and a pattern the file's
    way cannot compile is compiled by Python's own ``re``."""
    cache = tmp_path / "regex-code.marshal"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(2):  # (the second with whatever the first wrote)
        result = subprocess.run([sys.executable, "-c", _OTHER_RE, str(cache), how],
                                cwd=ROOT, env=environment, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
        found = json.loads(line.removeprefix("OUT "))
        assert found["installed"] is (how == "past the probe")
        assert found["same"]
        assert found["matched"] == {"day": "2026-12-07", "time": "08:00"}
        assert found["bad"] == "missing ), unterminated subpattern at position 3"


_START_ON_OTHER_RE = _NEW_SHAPE + r"""
import json, sys
from pathlib import Path
from caregiver_app import codegen_cache, regex_cache
folder, how = Path(sys.argv[1]), sys.argv[2]
codegen_cache.default_path = lambda: folder / "dataclass-code.marshal"  # (not the checkout's)
regex_cache.default_path = lambda: folder / "regex-code.marshal"
if how == "past the probe":
    regex_cache._agrees = lambda compiler: True
sys.argv = ["caregiver-app", *sys.argv[3:]]
from caregiver_app.__main__ import main
code = main()
print("OUT " + json.dumps({"installed": regex_cache._state["compile"] is not None}))
sys.exit(code)
"""


@pytest.mark.slow
@pytest.mark.parametrize("how", ["probed", "past the probe"])
def test_the_window_starts_on_a_python_whose_re_compiles_otherwise(tmp_path, how):
    """Fails when a change in ``re``'s internals stops the app from starting (the
    standard library's, PySide's and the app's modules compile patterns as they load)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(QT_QPA_PLATFORM="offscreen")
    environment.pop("CAREGIVER_APP_DATA_DIR", None)
    for _ in range(2):  # (the second with the files the first wrote)
        result = subprocess.run(
            [sys.executable, "-c", _START_ON_OTHER_RE, str(tmp_path), how, "--data-dir",
             str(tmp_path / "data"), "--demo", "--quit-when-idle"], cwd=ROOT,
            env=environment, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
        assert json.loads(line.removeprefix("OUT "))["installed"] is (how == "past the probe")


_SUBCLASS = r"""
import json, re, sys
from pathlib import Path
from caregiver_app import regex_cache
regex_cache.install(Path(sys.argv[1]))
class Text(str):
    pass
plain = re.compile(r"(?P<dose>\d+) of (?P<doses>\d+)")
subclass = re.compile(Text(r"(?P<word>\w+)-taken"))
print("OUT " + json.dumps({"counts": regex_cache.counts(),
                           "matched": subclass.match("riluzole-taken").group("word")}))
"""


def test_a_pattern_of_a_str_subclass_does_not_stop_the_file_being_written(tmp_path):
    """Fails when a pattern whose text is a ``str`` subclass is kept: ``marshal`` refuses
    it, and with it the whole file, at every start that compiles it."""
    cache = tmp_path / "regex-code.marshal"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    found = []
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", _SUBCLASS, str(cache)], cwd=ROOT,
                                env=environment, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
        found.append(json.loads(line.removeprefix("OUT ")))
    assert [run["matched"] for run in found] == ["riluzole", "riluzole"]
    assert found[0]["counts"] == [0, 1]  # (the plain one kept, then written)
    assert found[1]["counts"] == [1, 0]  # (the plain one from the file)


_WARNS = r"""
import json, re, sys
from pathlib import Path
from caregiver_app import regex_cache
regex_cache.install(Path(sys.argv[1]))
warning = [r"[[a]-(?P<nested>\d+)", r"(a)?(?(+1)b|c)"]
re.compile(r"[[a]-(?P<nested>\d+)")
re.compile(r"(a)?(?(+1)b|c)")
print("OUT " + json.dumps({"kept": [text for text, _ in regex_cache._made if text in warning]}))
"""


def test_a_pattern_python_warns_about_warns_at_every_start(tmp_path):
    """Fails when a pattern whose parsing warns is taken from the file: the parser, and
    so its warning (a FutureWarning: a meaning about to change), is skipped."""
    cache = tmp_path / "regex-code.marshal"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    lines = _WARNS.splitlines()
    nested, sign = (lines.index(line) + 1 for line in lines
                    if line.startswith("re.compile(") and ("(?P<nested>" in line
                                                         or "(?(+1)" in line))
    expected = [f"<string>:{nested}: FutureWarning: Possible nested set at position 1",
                f"<string>:{sign}: DeprecationWarning: bad character in group name '+1'"
                " at position 7"]  # (shown: this is __main__'s, as Python shows it)
    for _ in range(2):  # (the second with whatever the first wrote)
        result = subprocess.run([sys.executable, "-c", _WARNS, str(cache)], cwd=ROOT,
                                env=environment, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert [line for line in result.stderr.splitlines() if "Warning:" in line] == expected
        [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
        assert json.loads(line.removeprefix("OUT "))["kept"] == []


_ENTRY = """
import json, sys
from pathlib import Path
from caregiver_app import codegen_cache, regex_cache
folder = Path(sys.argv[1])
codegen_cache.install(folder / "dataclass-code.marshal")  # (not the checkout's)
regex_cache.install(folder / "regex-code.marshal")
sys.argv = ["caregiver-app", *sys.argv[2:]]
from caregiver_app.__main__ import main
code = main()
print("CACHE " + json.dumps(regex_cache.counts()))
sys.exit(code)
"""


@pytest.mark.slow
def test_a_commands_patterns_are_not_kept_in_the_windows_file(tmp_path):
    """Every window start reads the file whole, and past ``MAX_ENTRIES`` it is cut down
    to one process's patterns: a command's patterns (``print checklist``'s) are not
    kept, and a command still takes the window's from the file."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(QT_QPA_PLATFORM="offscreen")
    environment.pop("CAREGIVER_APP_DATA_DIR", None)
    cache = tmp_path / "regex-code.marshal"
    data = ["--data-dir", str(tmp_path / "data"), "--demo"]
    window = [*data, "--quit-when-idle"]
    printing = [*data, "print", "checklist", "--pdf", str(tmp_path / "day.pdf")]

    def run(args: list[str]) -> list[int]:
        result = subprocess.run([sys.executable, "-c", _ENTRY, str(tmp_path), *args],
                                cwd=ROOT, env=environment, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("CACHE ")]
        return json.loads(line.removeprefix("CACHE "))

    run(window)  # (makes the example household)
    run(window)
    windows = cache.read_bytes()
    hits, _made = run(printing)
    assert hits >= 10  # (what its imports compile: the window's)
    assert cache.read_bytes() == windows
    hits, made = run(window)
    assert made == 0 and hits >= 20
    assert cache.read_bytes() == windows
