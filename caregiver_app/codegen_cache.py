"""Dataclasses made without compiling their methods' source at every start.

Python 3.11's ``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__``
(and ``__setattr__``, ``__hash__`` ...) as source text and ``exec``s it: parsing and
compiling that text was ~15% of the instructions of the window's start (callgrind), for
the ~90 dataclasses the start makes, the same text every time.

``install`` (the entry point calls it, before the app's modules load) gives
``dataclasses`` an ``exec`` that compiles each text once, and keeps the code object,
marshalled as Python keeps a module's in its ``.pyc``, in one file in this package's
``__pycache__`` (named for the interpreter, and checked against its bytecode's magic
number): later starts load the code instead of compiling it. The code is what ``exec``
compiles from that text (the same file name "<string>", no inherited ``__future__``
flags, the same interpreter), so the classes are the same. A file that cannot be read is
ignored; it is written, whole and atomically, when the process ends having compiled
something new (the window: until it is idle, ``stop_recording``, so that the file holds
what a start needs and no more: every entry is memory each start reads; a command keeps
what it compiles in a file of its own, ``for_commands``), unless Python is told not to
write bytecode (``PYTHONDONTWRITEBYTECODE``), or where it cannot be written (a read-only
install: those compile as before).

A few texts are made more than once by a start (classes with the same fields: six
texts, thirty times, ~2 ms CPU compiling): the file names them too (under the key "",
which no method's text is), and their code is kept after its first use, for the next.

The same file keeps the code of PySide's support modules (``compiling_through_cache``):
shiboken6 carries their source and compiles it at every start, ~23 ms CPU; ``pyside_hook``
imports shiboken6 through the cache (each entry keyed by the whole source, file name and
compiler flags, so it gives only the code ``compile`` makes of them). Not in the bundle:
PyInstaller's runtime hook imports PySide6.QtCore before the entry point, so its file is
shipped without them.

The PyInstaller bundle's folder is the signed app, never written to: its build makes the
file (``packaging/dataclass_code.py``: a start of the example household until idle, with
the Python the bundle carries) and ships it in ``_internal/caregiver_app/``, where the
bundle only reads it (``install``'s ``read_only``). A file from another build is safe:
each entry is found by its method's whole text, so it gives only the code that text
compiles to, and one made by another interpreter (magic number, version) is ignored.
"""

from __future__ import annotations
import __future__

import atexit
import builtins
import contextlib
import functools
import marshal
import operator
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

from caregiver_app import marshal_file

#: Started afresh past this many texts (old versions' classes would pile up).
MAX_ENTRIES = 4000

_codes: dict[str, bytes] = {}
"""Read from the file: each text's marshalled code, let go of once used (memory)."""
_made: dict[str, bytes] = {}
"""Compiled by this process, for the file."""
_taken: set[int] = set()
"""The texts (their hashes) used from the file: in it already, when made again."""
_again: dict[str, Any] = {}
"""Code kept after its first use: the texts the file names as made again by a start."""
_repeated: set[str] = set()
"""The texts made more than once: as read from the file, and as found by this start."""
_found_repeated = False
"""This process found a text made again that the file did not name (to be written)."""
_hits = 0
_recording = True
_path: Path | None = None
"""Where ``save`` writes (None: nowhere, the file is only read)."""
_installed = False
_header = b""


def file_name() -> str | None:
    """The file's name for this interpreter (None when it keeps no bytecode)."""
    tag = sys.implementation.cache_tag
    return None if tag is None else f"dataclass-code.{tag}.marshal"


def default_path() -> Path | None:
    """This package's ``__pycache__`` file for this interpreter; in PyInstaller's bundle
    (frozen) the one its build shipped (``_internal/caregiver_app/``, only read). None for
    an interpreter that keeps no bytecode (no cache tag), and another frozen program."""
    import importlib.util

    name = file_name()
    if name is None:
        return None
    if getattr(sys, "frozen", False):
        bundle = getattr(sys, "_MEIPASS", None)  # (PyInstaller's data folder)
        return Path(bundle, "caregiver_app", name) if bundle else None
    init = Path(__file__).with_name("__init__.py")
    return Path(importlib.util.cache_from_source(str(init))).with_name(name)


def _magic() -> bytes:
    """The file's header: its format (2: with a checksum), then the interpreter's."""
    import importlib.util

    return b"caregiver-app dataclass code 2\n" + importlib.util.MAGIC_NUMBER + sys.version.encode()


def install(path: Path | None = None, *, read_only: bool | None = None) -> bool:
    """Let ``dataclasses`` compile through the cache at ``path`` (``default_path`` when
    None). ``read_only``: the file is read, never written (None: in the frozen bundle).
    Returns False, changing nothing, when there is no place for it (an interpreter
    without a bytecode cache tag)."""
    global _path, _installed, _header
    import dataclasses

    if _installed:
        return True
    path = path if path is not None else default_path()
    if path is None:
        return False
    _path, _header = path, _magic()
    if read_only or (read_only is None and getattr(sys, "frozen", False)):
        _path = None  # (``save`` writes nowhere: the file is only read)
    _codes.update(_read(path, _header))
    _repeated.update(_names(_codes.pop(_REPEATED, None)))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # (shadows the builtin there)
    _installed = True
    atexit.register(save)
    return True


def _read(path: Path, header: bytes) -> dict[str, bytes]:
    """The file's entries ({} when it cannot be read, is another interpreter's, or is
    damaged: ``marshal_file`` checks its bytes before unmarshalling them)."""
    found = marshal_file.read(path, header)
    if not isinstance(found, dict):
        return {}
    return {text: data for text, data in found.items()
            if isinstance(text, str) and isinstance(data, bytes)}


#: The key under which the file names the texts made more than once (no text is "").
_REPEATED = ""


def _names(data: object) -> tuple[str, ...]:
    """The texts named by the file's ``_REPEATED`` entry (none when it is not one)."""
    try:
        found = marshal.loads(data) if isinstance(data, bytes) else ()
    except Exception:  # (a damaged entry: no names, never a failed start)
        return ()
    if not isinstance(found, tuple):
        return ()
    return tuple(text for text in found if isinstance(text, str))


def _code(text: str, make: Callable[[], Any]) -> Any:
    """The code of ``text`` (a key: the whole text it is compiled from): from the cache,
    or ``make()`` now (and kept for the file)."""
    global _hits, _found_repeated
    code = _again.get(text)
    if code is not None:
        _hits += 1
        return code
    data = _codes.pop(text, None)
    if data is not None:
        try:
            code = marshal.loads(data)
        except Exception:  # (a damaged entry: compiled as if not kept)
            code = None
        if isinstance(code, CodeType):
            _hits += 1
            _taken.add(hash(text))
        else:
            code = None
    if code is None:
        again = hash(text) in _taken or text in _made
        code = make()
        if _recording and not again:  # (made twice: once in the file)
            _made[text] = marshal.dumps(code)
        if _recording and again and text not in _repeated:
            _repeated.add(text)  # (its code kept after its first use next time)
            _found_repeated = True
    if text in _repeated:
        _again[text] = code
    return code


def _exec(source: Any, globals: dict | None = None, locals: dict | None = None) -> None:
    """``exec`` for ``dataclasses``: a text's code from the cache, or compiled now."""
    if isinstance(source, str):
        text = source
        source = _code(text, lambda: _compile_now(text, "<string>", "exec", dont_inherit=True))
    exec(source, globals, locals)


_compile_now = builtins.compile
"""Python's own ``compile`` (``compiling_through_cache`` replaces the builtin a while)."""

#: The ``__future__`` flags ``compile`` takes from the code calling it (CPython's
#: ``PyCF_MASK``: every feature's flag but those always on, nested scopes and generators).
_FUTURE_FLAGS = functools.reduce(operator.or_, (
    getattr(__future__, name).compiler_flag for name in __future__.all_feature_names
    if name not in ("nested_scopes", "generators")))


@contextlib.contextmanager
def compiling_through_cache() -> Iterator[None]:
    """While the block runs, a module's source given to ``compile`` (whole, to run) under
    a name that is no file's is compiled through the cache: for shiboken6's support
    modules (``pyside_hook`` imports shiboken6 in the block), ~130 KB carried as text
    (file names such as "shibokensupport/signature/loader.py") and compiled at every
    start (~23 ms CPU, ~8% of the window's start). A module imported from a file (one
    without a usable ``.pyc``) is compiled as before: Python keeps its code in a ``.pyc``.
    The code is what ``compile`` makes (the same ``__future__`` flags taken from the
    caller, file name and optimization): the key is all of them and the whole source.
    Nothing changes unless ``install`` ran."""
    if not _installed or builtins.compile is not _compile_now:
        yield
        return
    builtins.compile = _compile
    try:
        yield
    finally:
        builtins.compile = _compile_now


def _compile(source: Any, filename: Any, mode: str, flags: int = 0,
             dont_inherit: bool = False, optimize: int = -1, **more: Any) -> Any:
    """``compile`` for ``compiling_through_cache``: a module's code from the cache."""
    if not isinstance(flags, int):  # (Python's own error)
        return _compile_now(source, filename, mode, flags, True, optimize, **more)
    if not dont_inherit:  # (what Python's compile would take from its caller's code)
        flags |= sys._getframe(1).f_code.co_flags & _FUTURE_FLAGS
    if (more or mode != "exec" or flags & ~_FUTURE_FLAGS or not isinstance(filename, str)
            or not isinstance(source, (str, bytes))  # (an AST, a single statement...)
            or os.path.isabs(filename) or os.path.exists(filename)):  # (a file: a .pyc's)
        return _compile_now(source, filename, mode, flags, True, optimize, **more)
    level = sys.flags.optimize if optimize == -1 else optimize
    text = (source if isinstance(source, str) else source.decode("latin-1"))
    key = f"{_COMPILED}{type(source).__name__} {flags} {level} {filename}\n{text}"
    return _code(key, lambda: _compile_now(source, filename, mode, flags, True, optimize))


#: How a key for ``compile`` starts (no dataclass method's text starts with it).
_COMPILED = "\0compile "


def save() -> bool:
    """Add what this process compiled to the file (at exit), if anything. Returns
    whether it wrote. Any failure leaves the file as it was. When it compiled support
    code (``compiling_through_cache``), the support code in the file it did not take
    goes (another PySide's, ~20 KB an entry, read by every start)."""
    global _found_repeated
    if not (_made or _found_repeated) or _path is None or sys.dont_write_bytecode:
        return False
    codes = _read(_path, _header)  # (as it is now: another process may have added)
    repeated = set(_names(codes.pop(_REPEATED, None))) | _repeated
    codes.update(_made)
    if any(key.startswith(_COMPILED) for key in _made):  # (new support code: PySide's
        codes = {key: data for key, data in codes.items()  # upgrade; the old one goes)
                 if not key.startswith(_COMPILED) or key in _made or hash(key) in _taken}
    if len(codes) > MAX_ENTRIES:  # old versions' classes: only what this process made
        codes = dict(_made)
    repeated &= set(codes)
    if repeated:
        codes[_REPEATED] = marshal.dumps(tuple(sorted(repeated)))
    if not marshal_file.write(_path, _header, codes):
        return False
    _made.clear()
    _found_repeated = False
    return True


def for_commands() -> None:
    """This process runs a command (``print``, ``export``, ``sync``...) or reads the whole
    command line (help, an option for Qt), not the window's usual start: what it compiles
    is kept in a file of its own beside the window's (``commands_path``), which such a
    process reads too. The window's file so keeps what a window's start uses and no more
    (every entry is memory each start reads: ``print checklist`` alone added ~140 texts,
    ~0.2 MiB of the window's peak memory). Nothing changes unless ``install`` ran with a
    file to write (not in the bundle, whose commands read the window's file only)."""
    global _path
    if not _installed or _path is None or _path.name.startswith(_COMMANDS):
        return
    _path = commands_path(_path)
    found = _read(_path, _header)
    _repeated.update(_names(found.pop(_REPEATED, None)))
    for text, data in found.items():  # (the window's file's entries first: the same code)
        _codes.setdefault(text, data)


#: How the name of a command's file starts (then the window's file's name).
_COMMANDS = "commands-"


def commands_path(path: Path) -> Path:
    """The file commands keep their code in, beside the window's file ``path``."""
    return path.with_name(_COMMANDS + path.name)


def stop_recording() -> None:
    """The window is up and idle: what is compiled from now on (a tab opened, a dialog:
    not the start) is not added to the file, which so keeps what a start needs and no
    more (every entry is read, and held until used, by each start: memory)."""
    global _recording
    _recording = False


def counts() -> tuple[int, int]:
    """(texts found in the cache, texts compiled) by this process, since its last
    ``save``."""
    return _hits, len(_made)
