"""Regular expressions a start compiles, kept from one start to the next.

Python's ``re`` parses each pattern and translates it to its matcher's code in Python, at
every start: ~14 ms CPU of the window's start (~6%), ~11 of them for three patterns of
~6 KB that PySide's support code (``shibokensupport.signature``: its parser and its
``.pyi`` writer) compiles when shiboken6 is imported, the rest for the standard
library's and ours (``logging``, ``string``, ``json``...).

``install`` (the entry point calls it, before the app's modules load) makes
``re._compiler.compile`` take that code from a file in this package's ``__pycache__``
(named for the interpreter, checked against ``re``'s code version, ``_sre.MAGIC``, and
the interpreter's version, and by ``marshal_file``'s checksum): what
``re._compiler.compile`` would give the matcher (``_sre.compile``'s arguments), found by
the pattern's whole text and its flags (each entry marshalled on its own, unmarshalled
only when its pattern is compiled: the file also holds patterns other starts compiled,
the first's, an older version's, which a start may never ask for), so the pattern is
the one Python's ``re`` gives (the tests compare the two with ``Pattern.__eq__``, which
compares the code too). What is checked of an entry: its types and shape;
``_sre.compile`` refuses code that is malformed (then the pattern is compiled as
before). Nothing checks that well-formed code, or the group names, are the pattern's
own: the file lives beside the ``.pyc`` files and is trusted as they are (whoever can
write it can write those). Until ``stop`` (the window: once it is up and idle), each
pattern compiled anew is kept, and the file written at exit, whole and atomically, when
something new was (not under ``PYTHONDONTWRITEBYTECODE``, nor where it cannot be
written). From ``stop``, ``re`` compiles as always.

Whatever fails in the file's way of compiling a pattern (a ``re`` whose internals
changed: the code's shape, ``_sre.compile``'s arguments) leaves the pattern to Python's
own ``re._compiler.compile``; and ``install`` first compiles a probe pattern both ways,
and changes nothing unless the two are the same. A pattern whose parsing warns (a
``FutureWarning``, a ``DeprecationWarning``) is not kept: taken from the file it would
skip the parser, and so the warning Python gives at each start.

Only plain patterns go through the file: text whose type is ``str`` or ``bytes`` (not a
subclass, which ``marshal`` would refuse, and with it the whole file) with ``int``
flags, without ``re.DEBUG`` (which prints the code as it compiles); any other (an
already parsed pattern) is Python's as before.
"""

from __future__ import annotations

import atexit
import marshal
import sys
import warnings
from pathlib import Path
from types import FrameType
from typing import Any

from caregiver_app import marshal_file

#: Started afresh past this many patterns (old versions' patterns would pile up).
MAX_ENTRIES = 500

_kept: dict[tuple[Any, int], bytes] = {}
"""Read from the file: (text, flags) -> ``_sre.compile``'s arguments after the text,
marshalled."""
_made: dict[tuple[Any, int], bytes] = {}
"""Compiled by this process, for the file."""
_state: dict[str, Any] = {"path": None, "compile": None, "hits": 0}


def _header() -> bytes:
    from re import _compiler  # type: ignore[attr-defined]

    return b"caregiver-app regex code 2\n%d\n%s\n" % (_compiler._sre.MAGIC,
                                                         sys.version.encode())


def default_path() -> Path | None:
    """This package's ``__pycache__`` file for this interpreter. None in a frozen
    bundle (its folder is never written to) and for an interpreter that keeps no
    bytecode (no cache tag)."""
    import importlib.util

    tag = sys.implementation.cache_tag
    if tag is None or getattr(sys, "frozen", False):
        return None
    init = Path(__file__).with_name("__init__.py")
    return Path(importlib.util.cache_from_source(str(init))).with_name(
        f"regex-code.{tag}.marshal")


def install(path: Path | None = None) -> bool:
    """Compile ``re``'s patterns through the file at ``path`` (``default_path`` when
    None) until ``stop``. Returns False, changing nothing, when there is no place for
    it, or this ``re`` is not one whose compiling it knows: a probe pattern compiled
    both ways must give the same pattern (``_agrees``)."""
    from re import _compiler  # type: ignore[attr-defined]

    if _state["compile"] is not None:
        return True
    path = path if path is not None else default_path()
    if path is None or not _knows(_compiler) or not _agrees(_compiler):
        return False
    _state["path"] = path
    _kept.update(_read(path))
    _state["compile"] = _compiler.compile
    _compiler.compile = _compile
    atexit.register(save)
    return True


#: A pattern compiled both ways at ``install``: a named and a numbered group, a back
#: reference, a repeat, a class (~0.1 ms CPU both ways: a bigger one, with a look-ahead
#: and case folding, took ~0.3).
_PROBE = (r"(?P<amount>\d+)(\w)\2", 0)


def _agrees(compiler: Any) -> bool:
    """Whether this ``re`` compiles as ``_compile`` does: a probe pattern's arguments
    made as ``_compile`` makes them, kept through ``marshal`` as the file keeps them, give
    the pattern ``re._compiler.compile`` gives (the same code, groups and flags). A
    Python whose ``re`` compiles otherwise (another code shape, other arguments) keeps
    its own ``re``."""
    text, flags = _PROBE
    try:
        arguments = _arguments(compiler, compiler._parser.parse(text, flags), flags)
        ours = compiler._sre.compile(text, *marshal.loads(marshal.dumps(arguments)))
        python = compiler.compile(text, flags)
        return bool(ours == python and ours.groups == python.groups
                    and ours.groupindex == python.groupindex and ours.flags == python.flags
                    and ours.pattern == python.pattern)
    except Exception:
        return False


def _knows(compiler: Any) -> bool:
    """Whether ``re._compiler`` has what ``_compile`` calls (Python 3.11-3.13 have)."""
    return (all(callable(getattr(compiler, name, None))
                for name in ("compile", "_code"))
            and callable(getattr(getattr(compiler, "_parser", None), "parse", None))
            and callable(getattr(getattr(compiler, "_sre", None), "compile", None)))


def stop() -> None:
    """From now on ``re`` compiles as always (what a start compiled is kept, written at
    exit): the window is up and idle, later patterns are not the start's."""
    from re import _compiler  # type: ignore[attr-defined]

    original = _state["compile"]
    if original is not None and _compiler.compile is _compile:
        _compiler.compile = original
    _kept.clear()


def for_commands() -> None:
    """This process runs a command (``print``, ``export``, ``sync``...) or reads the whole
    command line (help, an option for Qt), not the window's usual start: it takes
    patterns from the file, and adds none to it. The file so keeps what a window's start
    compiles (a command's patterns, phonenumbers' for each region, a vCard import's,
    would fill it past ``MAX_ENTRIES``, and the window's start then compile its own
    again)."""
    _state["path"] = None  # (nothing kept from now on, nothing written at exit)
    _made.clear()


def _read(path: Path) -> dict[tuple[Any, int], bytes]:
    """The file's entries ({} when it cannot be read, is not this interpreter's, or is
    damaged)."""
    found = marshal_file.read(path, _header())
    if not isinstance(found, dict):
        return {}
    return {key: value for key, value in found.items()
            if isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], int)
            and isinstance(value, bytes)}


def _compile(p: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` through the file: a pattern's code kept, or compiled now
    (and kept) as ``re._compiler.compile`` does. Whatever fails in that (a ``re`` that
    compiles otherwise than ``install`` found) is left to Python's own, as is a pattern
    the file does not take. A pattern whose parsing warns (``FutureWarning``,
    ``DeprecationWarning``) is not kept, so that each start warns as Python does."""
    from re import _compiler  # type: ignore[attr-defined]

    original = _state["compile"]
    try:
        takes = (type(p) in (str, bytes) and type(flags) is int
                 and not flags & _compiler.SRE_FLAG_DEBUG)  # (a subclass: not marshal's)
        pattern = _from_file(_compiler, p, flags) if takes else None
    except Exception:  # (Python's own then)
        takes, pattern = False, None
    if pattern is not None:
        return pattern
    if not takes:
        return original(p, flags)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")  # (each one seen, none counted: given on below)
        try:
            # Parsed here, as deep in the stack as re._compiler.compile parses: a warning
            # names the line that compiles the pattern, as Python's does.
            parsed = _compiler._parser.parse(p, flags)
            arguments = _arguments(_compiler, parsed, flags)
            pattern = _compiler._sre.compile(p, *arguments)
        except Exception:  # (a bad pattern's re.error: Python's own raises it)
            pattern = None
    if pattern is None:
        return original(p, flags)
    if warned:
        _warn_again(warned)
    elif _state["path"] is not None:
        _made[(p, flags)] = marshal.dumps(arguments)
    return pattern


def _from_file(compiler: Any, p: Any, flags: int) -> Any:
    """The pattern from the file's entry for it; None when there is none or it is
    refused."""
    kept = _kept.pop((p, flags), None)
    if kept is None:
        return None
    try:
        pattern = compiler._sre.compile(p, *marshal.loads(kept))
    except Exception:  # (damaged, wrong types, or refused: malformed code; compiled as before)
        return None
    _state["hits"] += 1
    return pattern


def _warn_again(warned: list[Any]) -> None:
    """Give the warnings parsing gave on to Python's, as from the line they name."""
    for warning in warned:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and not (frame.f_code.co_filename == warning.filename
                                         and frame.f_lineno == warning.lineno):
            frame = frame.f_back
        if frame is None:  # (not found: the module is then named for the file)
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
            continue
        names = frame.f_globals  # (the module and registry warnings.warn gives)
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno, names.get("__name__", "<string>"),
                               names.setdefault("__warningregistry__", {}))


def _arguments(compiler: Any, parsed: Any, flags: int) -> tuple[Any, ...]:
    """``_sre.compile``'s arguments after the text for the parsed pattern, as
    ``re._compiler.compile`` makes them (its own steps), the code as plain ints
    (``marshal``'s)."""
    code = [int(op) for op in compiler._code(parsed, flags)]
    groupindex = parsed.state.groupdict
    indexgroup: list[Any] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, dict(groupindex),
            tuple(indexgroup))


def save() -> bool:
    """Add the patterns this process compiled to the file (at exit), if any. Returns
    whether it wrote. Any failure leaves the file as it was."""
    path = _state["path"]
    if not _made or path is None or sys.dont_write_bytecode:
        return False
    entries = _read(path)  # (as it is now: another process may have added)
    entries.update(_made)
    if len(entries) > MAX_ENTRIES:  # old versions' patterns: only this process's
        entries = dict(_made)
    if not marshal_file.write(path, _header(), entries):
        return False
    _made.clear()
    return True


def counts() -> tuple[int, int]:
    """(patterns taken from the file, patterns compiled and kept) by this process."""
    return _state["hits"], len(_made)
