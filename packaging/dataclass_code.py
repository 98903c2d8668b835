"""The dataclasses' compiled methods for the bundle (``caregiver_app/codegen_cache.py``).

From a checkout, a start keeps them in ``caregiver_app/__pycache__`` for the next; the
bundle's folder is the signed app, never written to, so its build makes the file and
ships it, and the bundle only reads it. ``make`` runs the app from the checkout being
built, with the Python that runs PyInstaller (the one the bundle carries: the file is
named for its cache tag and starts with its magic number and version), with the example
household until idle, twice in a new data folder: the first makes the household, the
second, a start like every later one, writes the file. It fails, saying why, rather than
ship a bundle whose every start compiles them.

The file a checkout's start writes also keeps the code of shiboken6's support modules
(``codegen_cache.compiling_through_cache``); the bundle never takes it (PyInstaller's
runtime hook imports PySide6.QtCore, so shiboken6, before the app's entry point runs), so
those entries are left out of the bundle's file (~290 KB every bundle start would read).

    python packaging/dataclass_code.py OUT_DIR

writes ``OUT_DIR/dataclass-code.<tag>.marshal``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# the app's entry point (caregiver_app.__main__), with the cache at the file given
_START = """
import sys
from pathlib import Path
import caregiver_app
from caregiver_app import codegen_cache
if Path(caregiver_app.__file__).resolve().parent != Path.cwd().resolve() / "caregiver_app":
    sys.exit(f"caregiver_app was imported from {caregiver_app.__file__}, not this checkout")
codegen_cache.install(Path(sys.argv[1]))
sys.argv = ["caregiver-app", *sys.argv[2:]]
from caregiver_app.__main__ import main
sys.exit(main())
"""


def make(out_dir: Path, root: Path = ROOT) -> Path:
    """The file, written in ``out_dir`` from a start of the app in ``root``."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from caregiver_app import codegen_cache

    name = codegen_cache.file_name()
    if name is None:
        raise SystemExit("this Python keeps no compiled code (no cache tag)")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / name
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="dataclass-code-") as tmp:
        place = Path(tmp)
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONHOME",
                            "CAREGIVER_APP_DATA_DIR")}
        # nothing of the builder's own: no records, settings or desktop entries touched
        env.update(QT_QPA_PLATFORM="offscreen", HOME=str(place / "home"),
                   XDG_DATA_HOME=str(place / "share"), XDG_CONFIG_HOME=str(place / "config"))
        for cache in (place / "first-start.marshal", target):
            started = subprocess.run(
                [sys.executable, "-c", _START, str(cache), "--data-dir", str(place / "data"),
                 "--demo", "--quit-when-idle"],
                cwd=root, env=env, capture_output=True, text=True, timeout=600)
            if started.returncode != 0:
                raise SystemExit(f"the start that makes {name} failed "
                                 f"({started.returncode}):\n{started.stderr[-3000:]}")
    if not target.is_file():
        raise SystemExit(f"the app's start wrote no {target}")
    _leave_out_support_code(target, codegen_cache)
    target.chmod(0o644)  # (the app makes its files private: this one is the program's)
    return target


def _leave_out_support_code(target: Path, codegen_cache: Any) -> None:
    """Rewrite ``target`` without the support modules' code (the bundle never takes it)."""
    from caregiver_app import marshal_file

    header = codegen_cache._magic()
    codes = marshal_file.read(target, header)
    if not isinstance(codes, dict):
        raise SystemExit(f"the app's start wrote {target}, which cannot be read back")
    kept = {key: data for key, data in codes.items()
            if not key.startswith(codegen_cache._COMPILED)}
    if kept != codes and not marshal_file.write(target, header, kept):
        raise SystemExit(f"could not rewrite {target} without the support code")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(make(Path(sys.argv[1])))
