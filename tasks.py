"""The Makefile's commands for a computer without ``make`` (Windows), in plain Python.

    py tasks.py run      (Windows; ``python3 tasks.py run`` elsewhere) = make run
    py tasks.py test     = make test
    py tasks.py lint     = make lint
    py tasks.py bench    = make bench
    py tasks.py dist     = make dist   (the PyInstaller bundle of this system)

Each creates ``.venv`` when it is missing, installs the app into it when pyproject.toml
changed, then runs the command with the virtual environment's Python (``.venv/bin/python``
on Linux and macOS, ``.venv\\Scripts\\python.exe`` on Windows). Extra arguments go to the
app (run) or to pytest (test). Standard library only: it runs before anything is
installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)


def venv_python(venv_dir: Path, platform: str = sys.platform) -> Path:
    """Where a virtual environment keeps its Python on ``platform``."""
    if platform == "win32":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def commands(task: str, extra: list[str]) -> list[list[str]]:
    """What ``task`` runs, after the set-up (the Makefile's recipes, word for word)."""
    match task:
        case "run":
            return [["main.py", *extra]]
        case "test":
            return [["-m", "pytest", *extra]]
        case "bench":
            return [["-m", "bench", *extra]]
        case "lint":
            return [["-m", "ruff", "check", "caregiver_app", "tests", "bench", "main.py",
                     "tasks.py", "packaging"],
                    ["-m", "mypy"]]
        case "dist":
            return [["-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", "dist",
                     "--workpath", "build/pyinstaller", "packaging/caregiver-app.spec",
                     *extra]]
    raise SystemExit(f"unknown task {task!r}: choose run, test, lint, bench or dist")


def environment(task: str) -> dict[str, str]:
    env = dict(os.environ)
    if task in ("test", "bench"):
        env["QT_QPA_PLATFORM"] = "offscreen"  # no window appears while tests run
    return env


def set_up(venv_dir: Path = VENV) -> Path:
    """Create the virtual environment and install the app with its test tools, once per
    change of pyproject.toml (the Makefile's stamp file, the same name)."""
    if sys.version_info < MIN_PYTHON:
        raise SystemExit(f"ALS Care Companion needs Python 3.11 or newer "
                         f"(found {sys.version.split()[0]})")
    python = venv_python(venv_dir)
    stamp = venv_dir / ".installed-stamp"
    if not python.exists():
        venv.create(venv_dir, with_pip=True)
    pyproject = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                       check=True, cwd=ROOT)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", ".[test]"],
                       check=True, cwd=ROOT)
        stamp.touch()
    return python


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    task, extra = args[0], args[1:]
    steps = commands(task, extra)
    python = set_up()
    for step in steps:
        code = subprocess.run([str(python), *step], cwd=ROOT, env=environment(task)).returncode
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
