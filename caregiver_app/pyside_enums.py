"""PySide's enum types made with fewer steps of Python's ``enum`` machinery.

PySide makes each Qt class the first time a module names it, and with it all its enum
types, each through ``enum``'s functional API (``IntEnum(name, [(member, value), ...],
boundary=KEEP)``). Python 3.11 makes every member in several Python-level steps (the
class namespace checks each name; each member is first a placeholder, taken off the class
and put back): ~10 µs a member. A window's start makes ~230 enum types, ~3,700 members
(the ``Qt`` namespace alone ~1,200). Made the shorter way, a start's instructions fell
from 1,203 M to ~983 M (callgrind; the bare four-tab window's: 653 M).

``install`` (the entry point calls it, before PySide loads) gives ``EnumType._create_`` a
shorter way for exactly PySide's kind of call: a plain ``Enum``, ``IntEnum``, ``Flag`` or
``IntFlag``, ``boundary=KEEP``, a list of (name, int) pairs whose names are plain (no
underscore first, no duplicate, none that a base class defines, so no member needs the
``property`` redirect). Python's own code makes, once for each of the four, a class
without members (the model): each new class is made with the model's namespace (empty
lists and dicts of its own, its module and name), then each member is made and put in
place as Python 3.11's ``_proto_member.__set_name__`` does (value, name, sort order,
aliases, a flag's masks), then what Python sets after the members (``__format__``, a
flag's operators, ``__new__``), so the namespace has the same values in the same order.
Any other call (another shape, a name to check, a caller whose module is not found) is
Python's own. The four models are real subclasses (``Enum.__subclasses__()`` names them).
``tests/test_pyside_enums.py`` compares every enum type of QtCore, QtGui and QtWidgets
made both ways, member by member (namespace, values, aliases, pickling, operators).

``install`` replaces ``enum.EnumType._create_`` for the whole process, and only on an
``enum`` whose code is the one this follows step by step: a fingerprint of the code of
``EnumType``, ``_EnumDict``, ``_proto_member`` and ``_is_single_bit`` (``_VERIFIED``, one
for each Python checked with that test; 3.11.2's ``enum``, for one, computes a flag's masks
elsewhere). On any other ``enum``, or with ``CAREGIVER_APP_PYTHON_ENUMS=1`` in the
environment, ``install`` changes nothing (and that test fails on a Python it does not
know, to be looked at). Should the shorter way still raise, the class is Python's own.
"""

from __future__ import annotations

import builtins
import contextlib
import enum
import os
import sys
import types
import zlib
from typing import Any

#: The enum classes PySide makes its types from.
_PLAIN = (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag)

_python_create = enum.EnumType._create_
"""Python's own functional API (the models; any other call)."""


_VERIFIED = {
    "6117dd01818ddd85": "3.11.7",
}
"""The fingerprints (``enum_fingerprint``) of the ``enum`` code ``test_pyside_enums``
passed on, with the Python each is from. Add one only once that test passes there."""

SWITCH = "CAREGIVER_APP_PYTHON_ENUMS"
"""Set to 1 in the environment: Python's own way throughout (``install`` does nothing)."""


def _code_parts(code: types.CodeType, into: list[bytes]) -> None:
    """What a function's code does, as bytes: its bytecode, names, arguments and
    constants (nested code too), without line numbers or file names."""
    into.append(code.co_code)
    into.append(repr((code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars,
                      code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount,
                      code.co_flags)).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _code_parts(const, into)
        else:
            into.append(_const_text(const).encode())


def _const_text(const: object) -> str:
    """A constant as text, the same in every process (a frozenset's order is not)."""
    if isinstance(const, frozenset):
        return "frozenset(" + repr(sorted(_const_text(item) for item in const)) + ")"
    if isinstance(const, tuple):
        return "(" + ",".join(_const_text(item) for item in const) + ")"
    return repr(const)


def enum_fingerprint() -> str:
    """16 hex digits (CRC-32 and Adler-32: zlib is loaded already, hashlib's OpenSSL is
    not, ~12 M instructions) of the code of ``enum`` the shorter way follows or leans on:
    every function of ``EnumType``, ``_EnumDict`` and ``_proto_member``, and
    ``_is_single_bit``."""
    parts: list[bytes] = []
    owners = [getattr(enum, name, None) for name in ("EnumType", "_EnumDict", "_proto_member")]
    found: list[tuple[str, Any]] = [("_is_single_bit", getattr(enum, "_is_single_bit", None))]
    for owner in owners:
        if owner is None:
            return "missing"
        found += [(f"{owner.__name__}.{key}", value) for key, value in vars(owner).items()]
    for name, value in found:
        value = getattr(value, "__func__", getattr(value, "fget", value))
        if value is _create_:  # (installed: Python's is the one followed)
            value = _python_create
        code = getattr(value, "__code__", None)
        if code is None:
            continue
        parts.append(f"\0{name}\0".encode())
        _code_parts(code, parts)
    data = b"".join(parts)
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def supported() -> bool:
    """Whether this Python's ``enum`` is one ``_create_`` was checked against."""
    return enum_fingerprint() in _VERIFIED


def install() -> bool:
    """Make PySide's enum types the shorter way from now on (the whole process: it
    replaces ``enum.EnumType._create_``). Returns False, changing nothing, on an ``enum``
    this was not checked against, or when ``SWITCH`` is 1."""
    if os.environ.get(SWITCH) == "1" or not supported():
        return False
    enum.EnumType._create_ = _create_  # type: ignore[method-assign]
    return True


_taken: dict[type, frozenset[str]] = {}
"""For each of ``_PLAIN``: the names its classes define ("mro" too), no member's name."""


def _plain_members(cls: type, names: Any) -> bool:
    """Whether ``names`` is PySide's kind: (name, int) pairs Python would take as they
    are (no underscore first, no duplicate, nothing a base class defines)."""
    if not isinstance(names, list):
        return False
    taken = _taken.get(cls)
    if taken is None:
        taken = _taken[cls] = frozenset(["mro"]).union(*(vars(base) for base in cls.__mro__))
    seen: set[str] = set()
    for item in names:
        if type(item) is not tuple or len(item) != 2:
            return False
        name, value = item
        if (type(name) is not str or type(value) is not int or not name
                or name[0] == "_" or name in taken or name in seen):
            return False
        seen.add(name)
    return True


def _create_(cls: Any, class_name: str, names: Any, *, module: str | None = None,
             qualname: str | None = None, type: Any = None, start: int = 1,
             boundary: Any = None) -> Any:
    """``EnumType._create_``: PySide's kind of call the shorter way, any other Python's."""
    if module is None:  # (as Python's does: the module of the code creating the enum)
        with contextlib.suppress(AttributeError, ValueError, KeyError):
            module = sys._getframe(2).f_globals["__name__"]
    if (type is not None or cls not in _PLAIN or boundary is not enum.KEEP
            or not isinstance(module, str) or not _plain_members(cls, names)):
        return _pythons_way(cls, class_name, names, module=module, qualname=qualname,
                            type=type, start=start, boundary=boundary)
    try:
        return _shorter_way(cls, class_name, names, module, qualname)
    except Exception:  # (a half-made class, dropped: Python's own, with Python's errors)
        return _pythons_way(cls, class_name, names, module=module, qualname=qualname,
                            type=type, start=start, boundary=boundary)


def _shorter_way(cls: Any, class_name: str, names: list[tuple[str, int]], module: str,
                 qualname: str | None) -> Any:
    """The class ``_create_`` makes for PySide's kind of call, from the model's namespace."""
    first, later = _model(cls)
    namespace = {key: builtins.type(value)() if builtins.type(value) in (list, dict) else value
                 for key, value in first}  # (fresh lists and dicts: the members')
    namespace["__module__"] = module
    if qualname is not None:
        namespace["__qualname__"] = qualname
    enum_class = builtins.type.__new__(builtins.type(cls), class_name, (cls,), namespace)
    _add_members(enum_class, names)
    for key, value in later:  # (what Python sets after the members, after them)
        builtins.type.__setattr__(enum_class, key, value)
    if issubclass(enum_class, enum.Flag):  # (as Python's, once the members are in)
        values = [member._value_ for member in enum_class]
        if values != sorted(values):
            enum_class._iter_member_ = enum_class._iter_member_by_def_
    return enum_class


def _pythons_way(cls: Any, class_name: str, names: Any, **options: Any) -> Any:
    """Python's ``_create_``. Without a module it looks for its caller's itself, two frames
    up: reached through two frames whose globals have no ``__name__``, it finds none there,
    as it finds none where ours found none (so ``__module__`` is '<unknown>', and the class
    refuses to be pickled, as Python's)."""
    if options["module"] is None:
        return _nameless_call(_python_create, cls, class_name, names, **options)
    return _python_create(cls, class_name, names, **options)


_nameless: dict[str, Any] = {"__builtins__": builtins}
exec(compile("def _relay(create, *args, **options):\n"
             "    return create(*args, **options)\n"
             "def call(create, *args, **options):\n"
             "    return _relay(create, *args, **options)\n",
             "<pyside_enums: no module>", "exec"), _nameless)
_nameless_call = _nameless["call"]


_models: dict[type, tuple[list[tuple[str, Any]], list[tuple[str, Any]]]] = {}


def _model(cls: type) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """A class Python makes from ``cls`` (``boundary=KEEP``, no members), as two parts of
    its namespace: what it is made with, and what Python sets once its members are in
    (after ``__doc__``, which making a class adds: ``__format__``, a flag's operators,
    ``__new__``). Every class made from ``cls`` starts from the same values (those of
    ``cls`` and of ``enum``, empty lists and dicts), but its own module and name."""
    found = _models.get(cls)
    if found is None:
        model = _python_create(cls, "Model", (), module=__name__, boundary=enum.KEEP)
        namespace = list(vars(model).items())
        at = [key for key, _value in namespace].index("__doc__")
        found = _models[cls] = (namespace[:at], namespace[at + 1:])
    return found


def _add_members(enum_class: Any, names: list[tuple[str, int]]) -> None:
    """Each member made and put in place as Python 3.11's ``_proto_member.__set_name__``
    does for a plain name and an int value."""
    single_bit = enum._is_single_bit  # type: ignore[attr-defined]
    new_member = enum_class._new_member_
    use_args = enum_class._use_args_
    member_type = enum_class._member_type_
    init = enum_class.__init__ is not enum.Enum.__init__  # (Enum's does nothing)
    is_flag = issubclass(enum_class, enum.Flag)
    member_names = enum_class._member_names_
    member_map = enum_class._member_map_
    value_map = enum_class._value2member_map_
    for member_name, given in names:
        member = new_member(enum_class, given) if use_args else new_member(enum_class)
        if not hasattr(member, "_value_"):
            member._value_ = given if member_type is object else member_type(given)
        value = member._value_
        member._name_ = member_name
        member.__objclass__ = enum_class
        if init:
            member.__init__(given)
        member._sort_order_ = len(member_names)
        if is_flag:
            enum_class._flag_mask_ |= value
            if single_bit(value):
                enum_class._singles_mask_ |= value
            enum_class._all_bits_ = 2 ** ((enum_class._flag_mask_).bit_length()) - 1
        canonical = value_map.get(value)
        if canonical is not None:  # (an alias: the member of that value)
            member = canonical
        elif not is_flag or single_bit(value):
            member_names.append(member_name)
        builtins.type.__setattr__(enum_class, member_name, member)
        member_map[member_name] = member
        value_map.setdefault(value, member)
