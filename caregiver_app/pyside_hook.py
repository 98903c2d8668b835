"""PySide's import hook, answered without reading every module into Python's line cache.

Importing shiboken6 (under every PySide6 module) replaces ``builtins.__import__``:
after each import statement, once per module name, it asks whether that module's source
mentions "PySide6" (``shibokensupport.feature._mod_uses_pyside``, for PySide's opt-in
``from __feature__ import snake_case``). It asks through ``inspect.getsource``, which
finds the module again among all of ``sys.modules`` and reads the whole file, line by
line, into ``linecache``: ~0.15 ms and the file's lines kept, for each of the ~180
modules the window's start names after PySide (~25 ms CPU, and the lines until
``app.forget_module_sources``).

Importing this module (``core`` does, before the services, which import Qt) makes PySide
take the same answer from the file's bytes (``mentions_pyside``). Should a PySide version
no longer have that function, nothing is changed (the start is then as slow as before,
and ``tests/test_pyside_hook.py`` fails to say so).

Reading the ~170 files the window's start asks about (~2.5 MB) still cost ~4 ms CPU,
mostly the system's: each answer is kept, with the file's modification time and size,
in this package's ``__pycache__`` (``pyside-mentions.<python>.marshal``, written at exit
when something new was read, as ``codegen_cache`` does), so a later start looks at
each file's size and time only, and reads again a file that changed (as Python checks
a ``.pyc``). Deleting that file is always safe; nothing is written under
``PYTHONDONTWRITEBYTECODE``, nor in the bundle (there, every file is read as before).
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from types import ModuleType

from caregiver_app import marshal_file

_known: dict[str, tuple[int, int, bool]] = {}
"""path: (modification time in ns, size, the answer), as read from the file or found now."""
_new = {"answers": 0}
_path: list[Path] = []
"""Where the answers are kept (empty: nowhere, every file is read)."""


def _answer_from(path: str) -> bool:
    with open(path, "rb") as file:
        return b"PySide6" in file.read()


def mentions_pyside(module: ModuleType) -> bool:
    """Whether ``module``'s source text contains "PySide6": PySide's own test
    (``inspect.getsource(module)``, False when there is no source), read from the bytes of
    the module's ``.py`` file (or kept from an earlier read of the same file, unchanged
    since: the same modification time and size). A module without one (built in,
    compiled, a namespace package, a file that is gone) has no source: False, as PySide
    answers."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        if not _path:
            return _answer_from(path)
        found = os.stat(path)
        kept = _known.get(path)
        if kept is not None and kept[0] == found.st_mtime_ns and kept[1] == found.st_size:
            return kept[2]
        answer = _answer_from(path)
    except OSError:
        return False
    _known[path] = (found.st_mtime_ns, found.st_size, answer)
    _new["answers"] += 1
    return answer


def default_path() -> Path | None:
    """This package's ``__pycache__`` file for this interpreter. None in the bundle
    (PyInstaller's: its folder is the signed app, never written to) and for an
    interpreter that keeps no bytecode (no cache tag)."""
    import importlib.util

    tag = sys.implementation.cache_tag
    if tag is None or getattr(sys, "frozen", False):
        return None
    init = Path(__file__).with_name("__init__.py")
    return Path(importlib.util.cache_from_source(str(init))).with_name(
        f"pyside-mentions.{tag}.marshal")


def _read(path: Path) -> dict[str, tuple[int, int, bool]]:
    """The answers kept at ``path`` ({} when it cannot be read, is not ours, or is
    damaged: ``marshal_file`` checks its bytes before unmarshalling them)."""
    found = marshal_file.read(path, _HEADER)
    if not isinstance(found, dict):
        return {}
    return {key: value for key, value in found.items()
            if isinstance(key, str) and isinstance(value, tuple) and len(value) == 3}


_HEADER = b"caregiver-app pyside mentions 2\n"  # (2: with a checksum)


def keep_answers(path: Path | None = None) -> bool:
    """Keep the answers at ``path`` (this package's ``__pycache__`` file when None):
    read those kept there, and write them with the new ones at exit. Returns False,
    changing nothing, when there is no place for them."""
    path = path if path is not None else default_path()
    if path is None:
        return False
    if not _path:
        atexit.register(save)
    _path[:] = [path]
    _known.update(_read(path))
    return True


def save() -> bool:
    """Write the answers kept, with those found since they were read, if any was found
    (at exit). Returns whether it wrote. Any failure leaves the file as it was."""
    if not _path or not _new["answers"] or sys.dont_write_bytecode:
        return False
    path = _path[0]
    answers = _read(path)  # (as it is now: another process may have added)
    answers.update(_known)
    # only files that are still there (a module renamed or removed leaves no entry)
    answers = {key: value for key, value in answers.items() if os.path.exists(key)}
    if not marshal_file.write(path, _HEADER, answers):
        return False
    _new["answers"] = 0
    return True


def answer_from_the_file() -> bool:
    """Import shiboken6 (PySide's base, which installs the hook) and let the hook ask
    ``mentions_pyside``. Returns whether it could (False: this PySide has no such
    function; nothing was changed)."""
    from caregiver_app import codegen_cache

    with codegen_cache.compiling_through_cache():  # (its support modules' code kept)
        import shiboken6  # noqa: F401  (installs the hook and its module)

    feature = sys.modules.get("shibokensupport.feature")
    answer = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(answer):
        return False
    setattr(feature, "_mod_uses_pyside", mentions_pyside)  # noqa: B010  (not typed)
    return True


keep_answers()
answer_from_the_file()
