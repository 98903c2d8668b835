"""PySide's enum types made the shorter way (``caregiver_app.pyside_enums``) are the
types Python's own ``enum`` makes: every enum type of QtCore, QtGui and QtWidgets, made
both ways in two processes, compared member by member."""

from __future__ import annotations

import enum
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caregiver_app import pyside_enums

ROOT = Path(__file__).resolve().parent.parent

_DESCRIBE = """
import enum, json, pickle, sys, types
installed = None
if sys.argv[1] == "ours":
    from caregiver_app import pyside_enums
    made = {"shorter": 0, "python's": []}
    python_create, add_members = pyside_enums._python_create, pyside_enums._add_members
    def python_way(cls, class_name, names, **kw):
        if names != ():  # (not a model: a type made Python's way)
            made["python's"].append(class_name)
        return python_create(cls, class_name, names, **kw)
    def shorter_way(enum_class, names):
        made["shorter"] += 1
        return add_members(enum_class, names)
    pyside_enums._python_create, pyside_enums._add_members = python_way, shorter_way
    installed = pyside_enums.install()
from PySide6 import QtCore, QtGui, QtWidgets

def name_of(value):
    if isinstance(value, enum.Enum):
        return "member " + repr(value)
    if isinstance(value, (dict, list, tuple, int, str, type(None), enum.FlagBoundary)):
        return repr(value)
    found = getattr(value, "__func__", value)
    return (f"{type(value).__name__} {getattr(found, '__module__', '')}."
            f"{getattr(found, '__qualname__', type(found).__name__)}")

def describe(kind):
    members = list(kind)
    found = {
        "type": type(kind).__name__, "module": kind.__module__, "qualname": kind.__qualname__,
        "mro": [base.__qualname__ for base in kind.__mro__],
        "namespace": [(key, name_of(value)) for key, value in vars(kind).items()],
        "iterated": [repr(member) for member in members],
        "members": [(key, repr(value)) for key, value in kind.__members__.items()],
        "names": list(kind._member_names_),
        "by_value": [(repr(key), value._name_) for key, value in kind._value2member_map_.items()],
        "masks": [getattr(kind, name, None)
                  for name in ("_flag_mask_", "_singles_mask_", "_all_bits_")],
        "iter": name_of(getattr(kind, "_iter_member_", None)),
        "each": [(sorted((key, name_of(value)) for key, value in vars(member).items()),
                  str(member), repr(member), format(member), hash(member), bool(member),
                  pickle.loads(pickle.dumps(member)) is member, kind(member._value_) is member)
                 for member in kind.__members__.values()],
    }
    if issubclass(kind, enum.Flag) and members:
        first, last = members[0], members[-1]
        found["operators"] = [repr(~first), repr(first | last), repr(first & last),
                              repr(kind(0)), repr(first ^ last)]
    return found

types_found, seen = {}, set()
def walk(owner, prefix, top):
    for name in dir(owner):
        try:
            value = getattr(owner, name)
        except Exception:
            continue
        if id(value) in seen:
            continue
        if isinstance(value, enum.EnumType) and value.__module__.startswith("PySide6"):
            seen.add(id(value))
            types_found[prefix + name] = describe(value)
        elif isinstance(value, type) and top:
            seen.add(id(value))
            walk(value, prefix + name + ".", False)
for module in (QtCore, QtGui, QtWidgets):
    walk(module, module.__name__ + ":", True)
print("OUT " + json.dumps({"installed": installed, "types": types_found,
                           "made": None if installed is None else made}))
"""


def _describe(way: str) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0")  # (a member's hash is its name's)
    result = subprocess.run([sys.executable, "-c", _DESCRIBE, way], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("OUT ")]
    return json.loads(line.removeprefix("OUT "))


@pytest.mark.slow
def test_every_qt_enum_type_is_the_one_pythons_enum_makes():
    """Fails on a Python whose ``enum`` code was not checked (not installed): look at that
    Python's ``_proto_member.__set_name__`` and ``EnumType`` against ``_add_members`` and
    ``_model``, and add its ``enum_fingerprint()`` to ``_VERIFIED`` once this passes."""
    python, ours = _describe("python"), _describe("ours")
    assert ours["installed"] is True
    assert ours["made"]["python's"] == []
    assert ours["made"]["shorter"] == len(python["types"]) > 600
    assert sum(len(kind["iterated"]) for kind in python["types"].values()) > 5000
    assert ours["types"].keys() == python["types"].keys()
    differ = [name for name in python["types"]
              if ours["types"][name] != python["types"][name]]
    assert differ == []


def _both_ways(make) -> tuple[object, object]:
    """(Python's result, ours) of ``make()``: a class, or the error it raised."""
    results = []
    for create in (pyside_enums._python_create, pyside_enums._create_):
        saved = enum.EnumType._create_
        enum.EnumType._create_ = create  # type: ignore[method-assign]
        try:
            results.append(make())
        except Exception as exc:  # (the same error both ways)
            results.append((type(exc), str(exc)))
        finally:
            enum.EnumType._create_ = saved  # type: ignore[method-assign]
    return results[0], results[1]


def _shape(kind: object) -> object:
    if not isinstance(kind, enum.EnumType):
        return kind
    return (list(vars(kind)), [(m._name_, m._value_, m._sort_order_) for m in kind],
            list(kind.__members__), kind.__module__, repr(list(kind)))


@pytest.mark.parametrize("make", [
    lambda: enum.IntEnum("Same", [("A", 1), ("A", 2)], boundary=enum.KEEP),  # twice
    lambda: enum.Enum("Named", [("name", 1), ("value", 2)], boundary=enum.KEEP),
    lambda: enum.IntEnum("Real", [("real", 1)], boundary=enum.KEEP),  # (int's)
    lambda: enum.Enum("Sunder", [("_x_", 1)], boundary=enum.KEEP),
    lambda: enum.Enum("Words", "RED GREEN", boundary=enum.KEEP),
    lambda: enum.Enum("Pairs", [("A", "a")], boundary=enum.KEEP),
    lambda: enum.Flag("Plain", [("A", 1), ("B", 2), ("AB", 3)]),  # (no boundary given)
    lambda: enum.IntFlag("Kept", [("B", 2), ("A", 1), ("AB", 3), ("Z", 0)],
                         boundary=enum.KEEP),
    lambda: enum.IntEnum("Alias", [("A", 1), ("B", 1), ("C", -4)], boundary=enum.KEEP),
])
def test_other_calls_and_checks_are_as_pythons(make):
    """What is not PySide's kind of call (a name Python checks or redirects, names as
    words, other values) is Python's own; PySide's kind gives the same class."""
    python, ours = _both_ways(make)
    assert _shape(ours) == _shape(python)
    assert python is not None


def test_the_entry_point_makes_pysides_enum_types_the_shorter_way():
    script = """
import enum, sys
import caregiver_app.app
from caregiver_app import pyside_enums
def report():
    print("SHORTER", enum.EnumType._create_ is pyside_enums._create_)
    return 0
caregiver_app.app.main = report
from caregiver_app.__main__ import main
sys.exit(main())
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "SHORTER True" in result.stdout


def test_an_enum_whose_code_differs_is_left_to_python(monkeypatch):
    """The shorter way copies the steps of one ``enum``'s code: any change to that code
    (here ``_proto_member.__set_name__``, wrapped) means Python's own way throughout."""
    assert pyside_enums.supported()  # (this Python's enum: checked, see the test above)
    monkeypatch.setattr(enum.EnumType, "_create_", pyside_enums._create_)
    assert pyside_enums.supported()  # (installed: its code is still the one checked)
    original = enum._proto_member.__set_name__  # type: ignore[attr-defined]

    def __set_name__(self, enum_class, member_name):
        return original(self, enum_class, member_name)

    monkeypatch.setattr(enum._proto_member, "__set_name__", __set_name__)  # type: ignore[attr-defined]
    monkeypatch.setattr(enum.EnumType, "_create_", pyside_enums._python_create)
    assert pyside_enums.enum_fingerprint() not in pyside_enums._VERIFIED
    assert not pyside_enums.supported()
    assert pyside_enums.install() is False
    assert enum.EnumType._create_ is pyside_enums._python_create


def test_the_switch_leaves_enum_to_python(monkeypatch):
    monkeypatch.setenv(pyside_enums.SWITCH, "1")
    monkeypatch.setattr(enum.EnumType, "_create_", pyside_enums._python_create)
    assert pyside_enums.install() is False
    assert enum.EnumType._create_ is pyside_enums._python_create


@pytest.mark.skipif(not Path("/usr/bin/python3.11").exists(), reason="no system python3.11")
def test_another_python_311_is_checked_by_its_enum_code():
    """Debian 12's python3.11 (3.11.2) computes a flag's masks elsewhere: there the shorter
    way would fail for every flag type, so ``install`` must leave it (and PySide) alone."""
    script = ("import sys; from caregiver_app import pyside_enums\n"
              "print('VERSION', sys.version_info[:3], 'INSTALLED', pyside_enums.install())\n"
              "import enum\n"
              "print(repr(enum.IntFlag('F', [('A', 1), ('B', 2)], boundary=enum.KEEP).B))")
    result = subprocess.run(["/usr/bin/python3.11", "-E", "-s", "-c", script], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    if f"VERSION {tuple(sys.version_info[:3])}" in result.stdout:
        pytest.skip("the system python3.11 is this Python")
    assert "INSTALLED False" in result.stdout
    assert result.stdout.splitlines()[-1] == "<F.B: 2>"


def test_a_failing_shorter_way_gives_pythons_class(monkeypatch):
    """Should the shorter way raise part way (a member in), the half-made class is dropped
    and the class is Python's own."""
    add_members = pyside_enums._add_members

    def half_then_fail(enum_class, names):
        add_members(enum_class, names[:1])
        raise AttributeError("_singles_mask_")

    monkeypatch.setattr(pyside_enums, "_add_members", half_then_fail)
    for make in (lambda: enum.IntFlag("F", [("A", 1), ("B", 2), ("AB", 3)], boundary=enum.KEEP),
                 lambda: enum.IntEnum("E", [("A", 1), ("B", 2)], boundary=enum.KEEP)):
        python, ours = _both_ways(make)
        assert isinstance(ours, enum.EnumType)
        assert _shape(ours) == _shape(python)
        assert ours.__module__ == __name__


def test_without_the_callers_module_the_class_is_pythons():
    """Code whose globals have no ``__name__``: Python's class has module '<unknown>' and
    refuses to be pickled; so has ours, for PySide's kind of call and any other."""
    for source in ("E = enum.IntEnum('E', [('A', 1)], boundary=enum.KEEP)",
                   "E = enum.Enum('E', 'X Y')"):
        def make(source=source):
            found = {"enum": enum}
            exec(source, found)
            return found["E"]

        python, ours = _both_ways(make)
        assert python.__module__ == "<unknown>" and "__reduce_ex__" in vars(python)
        assert _shape(ours) == _shape(python)
        refuse = vars(python)["__reduce_ex__"].__qualname__
        assert vars(ours)["__reduce_ex__"].__qualname__ == refuse


def test_the_suite_makes_pysides_enum_types_the_shorter_way(request):
    """The tests run the app's path: the patch is in before PySide loads (conftest)."""
    here = str(ROOT / "tests" / "conftest.py")  # (its module: another conftest may since
    [conftest] = [plugin for plugin in request.config.pluginmanager.get_plugins()  # be
                  if getattr(plugin, "__file__", None) == here]  # sys.modules' "conftest")
    assert conftest.PYSIDE_LOADED_BEFORE_ENUMS is False
    assert enum.EnumType._create_ is pyside_enums._create_
