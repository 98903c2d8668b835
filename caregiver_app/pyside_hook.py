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
"""

from __future__ import annotations

import sys
from types import ModuleType


def mentions_pyside(module: ModuleType) -> bool:
    """Whether ``module``'s source text contains "PySide6": PySide's own test
    (``inspect.getsource(module)``, False when there is no source), read from the bytes of
    the module's ``.py`` file. A module without one (built in, compiled, a namespace
    package, a file that is gone) has no source: False, as PySide answers."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as file:
            return b"PySide6" in file.read()
    except OSError:
        return False


def answer_from_the_file() -> bool:
    """Import shiboken6 (PySide's base, which installs the hook) and let the hook ask
    ``mentions_pyside``. Returns whether it could (False: this PySide has no such
    function; nothing was changed)."""
    import shiboken6  # noqa: F401  (installs the hook and its module)

    feature = sys.modules.get("shibokensupport.feature")
    answer = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(answer):
        return False
    setattr(feature, "_mod_uses_pyside", mentions_pyside)  # noqa: B010  (not typed)
    return True


answer_from_the_file()
