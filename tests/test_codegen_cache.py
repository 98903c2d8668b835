"""Dataclasses made through the compiled-code cache (``caregiver_app.codegen_cache``).

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

ROOT = Path(__file__).resolve().parent.parent

_CLASSES = """
import inspect, json, sys
from pathlib import Path
from caregiver_app import codegen_cache
if sys.argv[1] != "-":
    codegen_cache.install(Path(sys.argv[1]))
from dataclasses import FrozenInstanceError, InitVar, dataclass, field

@dataclass(frozen=True, order=True)
class Dose:
    name: str
    amount: float = 1.0
    tags: tuple = field(default_factory=tuple)

@dataclass
class Card:
    title: str
    lines: list = field(default_factory=list)
    shown: InitVar[bool] = False

    def __post_init__(self, shown):
        self.title = self.title + ("!" if shown else "")

@dataclass(eq=False, repr=False)
class Plain:
    n: int = 0

dose = Dose("riluzole", 50.0)
try:
    dose.amount = 2
    frozen = "no error"
except FrozenInstanceError as exc:
    frozen = type(exc).__name__
a, b = Card("a"), Card("b", shown=True)
a.lines.append(1)
print("OUT " + json.dumps({
    "repr": [repr(dose), repr(a), repr(b)],
    "eq": [dose == Dose("riluzole", 50.0), dose == Dose("riluzole"), a == Card("a", [1]),
           Plain(1) == Plain(1)],
    "order": [Dose("a") < Dose("b"), sorted([Dose("b", 2), Dose("a", 3)])[0].name],
    "hash": hash(dose) == hash(Dose("riluzole", 50.0)),
    "frozen": frozen,
    "factories": [a.lines, b.lines, Dose("x").tags],
    "signatures": [str(inspect.signature(c)) for c in (Dose, Card, Plain)],
    "annotations": [sorted(map(str, c.__init__.__annotations__.items()))
                    for c in (Dose, Card, Plain)],
    "docs": [c.__doc__ for c in (Dose, Card, Plain)],
    "names": [c.__init__.__qualname__ for c in (Dose, Card)],
    "counts": codegen_cache.counts(),
}))
"""


def _run(cache: str, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(env)
    result = subprocess.run([sys.executable, "-c", _CLASSES, cache], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
    return json.loads(line.removeprefix("OUT "))


def test_classes_from_the_cache_are_those_python_makes(tmp_path):
    cache = tmp_path / "dataclass-code.marshal"
    plain = _run("-")  # no cache: Python's own
    first = _run(str(cache))  # compiles, and writes the file at exit
    assert cache.exists()
    again = _run(str(cache))  # from the file
    hits, made = first.pop("counts")
    assert (hits, made) == (0, made) and made >= 8  # (__init__, __repr__, __eq__, ...)
    assert again.pop("counts") == [made, 0]
    plain.pop("counts")
    assert first == plain
    assert again == plain
    assert plain["frozen"] == "FrozenInstanceError" and plain["factories"] == [[1], [], []]


def test_a_damaged_cache_file_is_ignored_and_made_again(tmp_path):
    cache = tmp_path / "dataclass-code.marshal"
    plain = _run("-")
    plain.pop("counts")
    _run(str(cache))
    good = cache.read_bytes()
    for damaged in (b"", b"junk", good[:len(good) // 2], good[:-40] + b"\x00" * 40):
        cache.write_bytes(damaged)
        found = _run(str(cache))
        _hits, made = found.pop("counts")
        assert found == plain
        assert made > 0
        assert cache.read_bytes() != damaged  # written anew


def test_a_damaged_entry_is_compiled_again_not_run(tmp_path):
    """A file whose every entry is sound marshal but not code (a flipped type byte in an
    entry): the classes are made as without the file, never ``exec`` of what it holds."""
    from caregiver_app import codegen_cache, marshal_file

    cache = tmp_path / "dataclass-code.marshal"
    plain = _run("-")
    plain.pop("counts")
    _run(str(cache))
    entries = marshal_file.read(cache, codegen_cache._magic())
    assert isinstance(entries, dict) and len(entries) > 5
    assert marshal_file.write(cache, codegen_cache._magic(),
                              {text: marshal.dumps(5) for text in entries})
    found = _run(str(cache))
    hits, made = found.pop("counts")
    assert found == plain
    assert hits == 0 and made > 0


def test_nothing_is_written_when_python_writes_no_bytecode(tmp_path):
    cache = tmp_path / "dataclass-code.marshal"
    _run(str(cache), PYTHONDONTWRITEBYTECODE="1")
    assert not cache.exists()


_START = """
import dataclasses, json, sys
from pathlib import Path
from caregiver_app import codegen_cache, regex_cache
folder = Path(sys.argv[1])  # (the files the entry point installs: not the checkout's)
codegen_cache.default_path = lambda: folder / "dataclass-code.marshal"
regex_cache.default_path = lambda: folder / "regex-code.marshal"
sys.argv = ["caregiver-app", *sys.argv[2:]]
from caregiver_app.__main__ import main
code = main()
print("CACHE " + json.dumps({"ours": dataclasses.exec is codegen_cache._exec,
                             "counts": codegen_cache.counts()}))
sys.exit(code)
"""


@pytest.mark.slow
def test_the_window_starts_with_the_dataclasses_code_it_kept(tmp_path):
    """Fails when the entry point no longer installs the cache (~16% of the start's
    instructions are then spent compiling the dataclasses' methods again)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(QT_QPA_PLATFORM="offscreen")
    environment.pop("CAREGIVER_APP_DATA_DIR", None)
    found = []
    for _ in range(3):  # the first makes the example household (more classes)
        result = subprocess.run(
            [sys.executable, "-c", _START, str(tmp_path), "--data-dir", str(tmp_path / "data"),
             "--demo", "--quit-when-idle"], cwd=ROOT, env=environment, capture_output=True,
            text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("CACHE ")]
        found.append(json.loads(line.removeprefix("CACHE ")))
    assert all(start["ours"] for start in found)
    hits, made = found[-1]["counts"]
    assert made == 0 and hits > 300  # (every method of ~90 classes)
    assert (tmp_path / "dataclass-code.marshal").is_file()  # (the test's, not the checkout's)


_ENTRY = """
import json, sys
from pathlib import Path
from caregiver_app import codegen_cache, regex_cache
codegen_cache.install(Path(sys.argv[1]))
regex_cache.install(Path(sys.argv[1]).with_name("regex-code.marshal"))  # (not the checkout's)
sys.argv = ["caregiver-app", *sys.argv[2:]]
from caregiver_app.__main__ import main
code = main()
print("CACHE " + json.dumps(codegen_cache.counts()))
sys.exit(code)
"""


@pytest.mark.slow
def test_a_commands_code_is_kept_in_its_own_file_not_the_windows(tmp_path):
    """Every window start reads its file whole and holds each entry until used (memory):
    what ``print checklist`` compiles (~140 texts) is kept beside it, for commands."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(QT_QPA_PLATFORM="offscreen")
    environment.pop("CAREGIVER_APP_DATA_DIR", None)
    cache = tmp_path / "dataclass-code.marshal"
    data = ["--data-dir", str(tmp_path / "data"), "--demo"]
    window = [*data, "--quit-when-idle"]
    printing = [*data, "print", "checklist", "--pdf", str(tmp_path / "day.pdf")]

    def run(args: list[str]) -> list[int]:
        result = subprocess.run([sys.executable, "-c", _ENTRY, str(cache), *args], cwd=ROOT,
                                env=environment, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("CACHE ")]
        return json.loads(line.removeprefix("CACHE "))

    run(window)  # (makes the example household)
    run(window)
    windows = cache.read_bytes()
    _hits, made = run(printing)
    assert made > 20  # (the checklist's and the PDF's classes)
    assert cache.read_bytes() == windows
    assert run(printing)[1] == 0  # (its own file, and the window's)
    hits, made = run(window)
    assert made == 0 and hits > 300
    assert cache.read_bytes() == windows


_LATE = """
import sys
from pathlib import Path
from caregiver_app import codegen_cache
codegen_cache.install(Path(sys.argv[1]))
from dataclasses import dataclass

@dataclass
class AtStart:
    n: int = 0

codegen_cache.stop_recording()  # (the window is idle)

@dataclass
class Later:
    name: str = ""

print("COUNTS", *codegen_cache.counts())
"""


def test_what_is_compiled_once_the_window_is_idle_is_not_kept(tmp_path):
    """The file keeps what a start needs: each entry is read by every start (memory)."""
    cache = tmp_path / "dataclass-code.marshal"
    runs = []
    for _ in range(2):
        environment = {k: v for k, v in os.environ.items()
                       if k != "PYTHONDONTWRITEBYTECODE"}
        result = subprocess.run([sys.executable, "-c", _LATE, str(cache)], cwd=ROOT,
                                env=environment, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        runs.append(result.stdout.split("COUNTS ")[1].split())
    # AtStart's methods compiled then kept (found the second time); Later's never kept
    made_first = int(runs[0][1])
    assert made_first >= 3 and runs[1] == [str(made_first), "0"]


_TWINS = """
import builtins, json, sys
from pathlib import Path
from caregiver_app import codegen_cache
compiled = []
def counted(*args, **kwargs):
    compiled.append(1)
    return builtins.compile(*args, **kwargs)
codegen_cache._compile_now = counted  # (the module's name for Python's compile)
codegen_cache.install(Path(sys.argv[1]))
from dataclasses import dataclass

made = []
for name in ("Morning", "Noon", "Evening"):  # the same fields: the same texts
    made.append(dataclass(frozen=True)(type(name, (), {"__annotations__": {"n": "int"},
                                                       "n": 0})))
print("OUT " + json.dumps({"compiled": len(compiled), "counts": codegen_cache.counts(),
                           "reprs": [repr(cls(2)) for cls in made],
                           "equal": made[0](1) == made[0](1) and made[0](1) != made[1](1)}))
"""


def test_a_text_made_again_is_compiled_no_more_once_it_was_seen_twice(tmp_path):
    """Classes with the same fields make the same texts (a start made six texts thirty
    times): the second time a process compiles one, its code is kept for the next time,
    and the file names it, so later processes keep its code from its first use."""
    cache = tmp_path / "dataclass-code.marshal"
    runs = []
    for _ in range(3):
        environment = {k: v for k, v in os.environ.items()
                       if k != "PYTHONDONTWRITEBYTECODE"}
        result = subprocess.run([sys.executable, "-c", _TWINS, str(cache)], cwd=ROOT,
                                env=environment, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
        runs.append(json.loads(line.removeprefix("OUT ")))
    first, second, third = runs
    texts = first["counts"][1]  # (__init__, __repr__, __eq__, __setattr__, ...)
    # the first: the first class's texts, then the second's (seen twice: kept), not the
    # third's
    assert texts >= 4 and first["compiled"] == 2 * texts
    assert first["counts"] == [texts, texts]
    assert second["compiled"] == third["compiled"] == 0
    assert second["counts"] == third["counts"] == [3 * texts, 0]
    assert all(run["reprs"] == ["Morning(n=2)", "Noon(n=2)", "Evening(n=2)"] for run in runs)
    assert all(run["equal"] for run in runs)


_BUNDLE = """
import sys
sys.frozen, sys._MEIPASS = True, sys.argv[1]  # as PyInstaller's bootloader sets them
from caregiver_app import codegen_cache
print("PATH", codegen_cache.default_path())
codegen_cache.install()
from dataclasses import dataclass

@dataclass
class AtStart:
    n: int = 0

@dataclass
class NotInTheFile:
    name: str = ""
    count: int = 1

print("COUNTS", *codegen_cache.counts())
"""


def _bundle_start(bundle: Path) -> tuple[str, list[int]]:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run([sys.executable, "-c", _BUNDLE, str(bundle)], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    path = result.stdout.split("PATH ")[1].split("\n")[0]
    return path, [int(n) for n in result.stdout.split("COUNTS ")[1].split()]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in folder.rglob("*")
            if f.is_file()}


def _shipped(bundle: Path) -> Path:
    """The file as a build ships it, with AtStart's methods (and not NotInTheFile's)."""
    shipped = bundle / "caregiver_app" / f"dataclass-code.{sys.implementation.cache_tag}.marshal"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    made = subprocess.run([sys.executable, "-c", _LATE, str(shipped)], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    return shipped


def test_the_bundle_reads_the_file_its_build_shipped_and_never_writes(tmp_path):
    """PyInstaller's bundle (frozen) is the signed app: the file its build made is read
    from its data folder (``_internal/caregiver_app/``) and never written, even when the
    start compiles a text the file does not have."""
    bundle = tmp_path / "_internal"
    shipped = _shipped(bundle)
    before = _files(bundle)
    path, (hits, compiled) = _bundle_start(bundle)
    assert path == str(shipped)
    assert hits >= 3 and compiled >= 3  # AtStart's from the file, NotInTheFile's compiled
    assert _files(bundle) == before  # not written, nothing added beside it
    _path, counts_again = _bundle_start(bundle)
    assert counts_again == [hits, compiled]  # (still not in the file)


def test_the_bundle_ignores_a_file_of_another_python_and_compiles_as_before(tmp_path):
    bundle = tmp_path / "_internal"
    shipped = _shipped(bundle)
    good = shipped.read_bytes()
    _path, (hits, fresh) = _bundle_start(bundle)
    assert hits >= 3
    # the same file, from another build of Python (its version string differs)
    shipped.write_bytes(good.replace(sys.version.encode(), sys.version.encode()[:-1] + b"?"))
    other = shipped.read_bytes()
    assert other != good
    _path, counts = _bundle_start(bundle)
    assert counts == [0, hits + fresh]  # nothing taken from it: compiled as before
    assert shipped.read_bytes() == other  # and left as it was
    shipped.unlink()  # a bundle built without it
    _path, counts = _bundle_start(bundle)
    assert counts == [0, hits + fresh]
    assert not shipped.exists()


@pytest.mark.slow
def test_the_file_the_build_makes_serves_a_start_whole(tmp_path):
    """``packaging/dataclass_code.py`` (run by the spec) makes the file from a start of
    the example household: another start finds every text there, and writes nothing.
    It leaves out the support modules' code, which the bundle never takes: PyInstaller's
    runtime hook has imported PySide6.QtCore (so shiboken6) before the entry point."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from dataclass_code import make
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    from caregiver_app import codegen_cache, marshal_file

    shipped = make(tmp_path / "bundle")
    assert shipped.name == f"dataclass-code.{sys.implementation.cache_tag}.marshal"
    assert shipped.stat().st_mode & 0o777 == 0o644  # (the program's, not the records')
    kept = shipped.read_bytes()
    support = marshal_file.read(shipped, codegen_cache._magic())
    assert isinstance(support, dict) and len(support) > 300
    assert [key for key in support if key.startswith(codegen_cache._COMPILED)] == []
    start = ("from pathlib import Path\nimport PySide6.QtCore  # (as the runtime hook)\n"
             "from caregiver_app import codegen_cache\n"
             f"codegen_cache.install(Path({str(shipped)!r}), read_only=True)\n" + _START)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(QT_QPA_PLATFORM="offscreen")
    environment.pop("CAREGIVER_APP_DATA_DIR", None)
    data = str(tmp_path / "data")
    found = []
    for _ in range(2):  # the first makes the example household (more classes)
        result = subprocess.run([sys.executable, "-c", start, str(tmp_path), "--data-dir",
                                 data, "--demo", "--quit-when-idle"], cwd=ROOT,
                                env=environment, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("CACHE ")]
        found.append(json.loads(line.removeprefix("CACHE ")))
    hits, made = found[-1]["counts"]
    assert made == 0 and hits > 300
    assert shipped.read_bytes() == kept


_SUPPORT = """
import builtins, hashlib, json, sys, types
from pathlib import Path
from caregiver_app import codegen_cache
if sys.argv[1] != "-":
    codegen_cache.install(Path(sys.argv[1]))
python_compile = builtins.compile
import caregiver_app.pyside_hook  # (imports shiboken6: its support modules load)
from PySide6.QtCore import QObject
try:
    QObject().setObjectName(5)  # (PySide's message is made by its support modules)
except TypeError as exc:
    message = str(exc)
def shape(code):
    return (code.co_code.hex(), code.co_flags, code.co_names, code.co_varnames,
            code.co_filename, code.co_firstlineno, code.co_linetable.hex(),
            tuple(shape(c) if isinstance(c, types.CodeType) else repr(c)
                  for c in code.co_consts))
codes = {}
for name, module in sorted(sys.modules.items()):
    if name.startswith("shibokensupport") or name == "signature_bootstrap":
        found = [shape(value.__code__) for _key, value in sorted(vars(module).items())
                 if isinstance(value, types.FunctionType) and value.__module__ == name]
        codes[name] = [len(found), hashlib.sha256(repr(found).encode()).hexdigest()]
print("OUT " + json.dumps({"compile": builtins.compile is python_compile,
                           "message": message, "codes": codes,
                           "counts": codegen_cache.counts()}))
"""


def test_pysides_support_modules_load_from_the_cache_as_python_compiles_them(tmp_path):
    """shiboken6 compiles its support modules' source at every start (~23 ms CPU):
    ``pyside_hook`` imports it through the cache, and the code is the same."""
    cache = tmp_path / "dataclass-code.marshal"
    runs = []
    for path in ("-", str(cache), str(cache)):  # Python's own; compiled and kept; the file
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        result = subprocess.run([sys.executable, "-c", _SUPPORT, path], cwd=ROOT,
                                env=environment, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
        runs.append(json.loads(line.removeprefix("OUT ")))
    plain, first, again = runs
    hits, made = first.pop("counts")
    assert hits == 0 and made >= 10  # (14 with PySide 6.11: loader, mapping, parser...)
    assert again.pop("counts") == [made, 0]
    plain.pop("counts")
    assert first == plain and again == plain
    assert plain["compile"] and len(plain["codes"]) >= 10
    assert sum(count for count, _shape in plain["codes"].values()) > 50  # (functions)
    assert "Supported signatures" in plain["message"]


def test_compile_through_the_cache_takes_its_callers_future_flags(monkeypatch):
    """``compile`` takes the ``__future__`` flags of the code calling it (this module's
    ``annotations``): the cache's gives the same code, and keeps the two apart."""
    from caregiver_app import codegen_cache

    monkeypatch.setattr(codegen_cache, "_installed", True)
    for name in ("_codes", "_made", "_again"):
        monkeypatch.setattr(codegen_cache, name, {})
    monkeypatch.setattr(codegen_cache, "_taken", set())
    monkeypatch.setattr(codegen_cache, "_repeated", set())
    source = "def f(x: int) -> None:\n    pass\n"
    python_compile = codegen_cache._compile_now
    plain: dict = {}  # a caller without ``from __future__ import annotations``
    exec(python_compile("def call(s):\n    return compile(s, 'm.py', 'exec')\n", "plain.py",
                        "exec", dont_inherit=True), plain)

    def annotations(code: object) -> dict:
        found: dict = {}
        exec(code, found)
        return found["f"].__annotations__

    assert annotations(compile(source, "m.py", "exec")) == {"x": "int", "return": "None"}
    assert annotations(plain["call"](source)) == {"x": int, "return": None}
    with codegen_cache.compiling_through_cache():
        assert __builtins__["compile"] is not python_compile  # (the cache's, a while)
        ours = compile(source, "m.py", "exec")
        theirs = plain["call"](source)
        expression = compile("1 + 1", "e.py", "eval")  # (not a module: as Python's)
    assert __builtins__["compile"] is python_compile
    assert annotations(ours) == {"x": "int", "return": "None"}
    assert annotations(theirs) == {"x": int, "return": None}
    assert ours == compile(source, "m.py", "exec")
    assert theirs == plain["call"](source)
    assert len(codegen_cache._made) == 2 and eval(expression) == 2
    with codegen_cache.compiling_through_cache(), pytest.raises(TypeError) as ours_error:
        compile(source, "m.py", "exec", "0")  # type: ignore[call-overload]
    with pytest.raises(TypeError) as pythons_error:
        compile(source, "m.py", "exec", "0")  # type: ignore[call-overload]
    assert str(ours_error.value) == str(pythons_error.value)


_KEPT_NAMES = """
import sys
from pathlib import Path
from caregiver_app import codegen_cache
codegen_cache.install(Path(sys.argv[1]))
import caregiver_app.pyside_hook  # (imports shiboken6 through the cache)
names = [key.split("\\n", 1)[0].split(" ", 4)[-1] for key in codegen_cache._made
         if key.startswith(codegen_cache._COMPILED)]
print("OUT", *names)
"""


def test_only_shibokens_support_code_is_kept_not_modules_from_files(tmp_path):
    """Modules imported from files while shiboken6 loads, without a ``.pyc`` to read (a
    fresh install, a read-only one, another bytecode folder), are compiled as Python
    does (it keeps them in ``.pyc`` files); only the support code carried as text is
    kept."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pyc")  # (no .pyc found)
    result = subprocess.run([sys.executable, "-c", _KEPT_NAMES, str(tmp_path / "cache")],
                            cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT")]
    names = line.split()[1:]
    assert len(names) >= 10 and "shibokensupport/signature/loader.py" in names
    assert [name for name in names if os.path.isabs(name) or os.path.exists(name)] == []


_UPGRADE = """
import json, marshal, sys
from pathlib import Path
from caregiver_app import codegen_cache, marshal_file
path = Path(sys.argv[1])
old = (codegen_cache._COMPILED + "bytes 16777216 0 shibokensupport/signature/mapping.py\\n"
       "# another PySide's support module\\n")
text = "def __init__(self):\\n    pass\\n"  # (a dataclass method's text: not support code)
code = marshal.dumps(compile("x = 1", "m", "exec"))
marshal_file.write(path, codegen_cache._magic(), {old: code, text: code})
codegen_cache.install(path)
import caregiver_app.pyside_hook  # (this PySide's support modules: compiled and kept)
wrote = codegen_cache.save()
kept = marshal_file.read(path, codegen_cache._magic())
print("OUT " + json.dumps({"wrote": wrote, "old": old in kept, "text": text in kept,
                           "support": sum(key.startswith(codegen_cache._COMPILED)
                                          for key in kept)}))
"""


def test_support_code_of_another_pyside_is_dropped_when_this_ones_is_kept(tmp_path):
    """After a PySide upgrade the start compiles the new support code: the old code's
    entries (~20 KB each, read by every start) leave the file; dataclasses' stay."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run([sys.executable, "-c", _UPGRADE, str(tmp_path / "cache")],
                            cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
    found = json.loads(line.removeprefix("OUT "))
    assert found["wrote"] and found["text"]
    assert found["old"] is False
    assert found["support"] >= 10
