"""The Linux bundle, built by PyInstaller from a clean copy of the checkout (only the
files git tracks), started as a caregiver's computer would start it: offscreen until
idle, then printing a checklist PDF with ``--demo`` from its console twin. A resource,
module or Qt plugin missing from the spec fails here.

It takes minutes (the build), so it runs when ``CAREGIVER_APP_BUILD_BUNDLE=1``, as
``.ci/run`` sets; ``CAREGIVER_APP_BUNDLE=DIST`` tests a bundle already built there
(``make dist``: ``dist``) instead of building one.
"""

from __future__ import annotations

import filecmp
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from caregiver_app import __version__, codegen_cache, marshal_file, platforms

ROOT = Path(__file__).resolve().parent.parent
BUILD = "CAREGIVER_APP_BUILD_BUNDLE"
BUILT = "CAREGIVER_APP_BUNDLE"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.linux_only("the Linux bundle; Windows and macOS build theirs in "
                           ".github/workflows/bundles.yml"),
    pytest.mark.skipif(not (os.environ.get(BUILD) or os.environ.get(BUILT)),
                       reason=f"builds the PyInstaller bundle (minutes): set {BUILD}=1, "
                              "as .ci/run does"),
]


def _clean_copy(target: Path) -> Path:
    """The files git tracks, as they are in the working tree: nothing built, no .venv."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    if os.environ.get(BUILT):
        return Path(os.environ[BUILT]).resolve()
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is not installed: it is in the test extra of pyproject.toml")
    base = tmp_path_factory.mktemp("bundle")
    copy = _clean_copy(base / "checkout")
    built = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(base / "dist"),
         "--workpath", str(base / "work"), str(copy / "packaging" / "caregiver-app.spec")],
        cwd=copy, capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stderr[-3000:]
    return base / "dist"


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
               XDG_DATA_HOME=str(tmp_path / "share"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    for name in ("CAREGIVER_APP_DATA_DIR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def test_both_programs_and_every_resource_are_in_the_bundle(dist):
    program = platforms.program_in_dist(dist)
    console = platforms.program_in_dist(dist, console=True)
    assert os.access(program, os.X_OK) and os.access(console, os.X_OK)
    bundled = platforms.bundled_resources(program.parent / "_internal")
    checked = 0
    for source in sorted((ROOT / "resources").rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            copy = bundled / source.relative_to(ROOT / "resources")
            assert copy.is_file() and filecmp.cmp(source, copy, shallow=False), copy
            checked += 1
    assert checked >= 25  # the articles, the medicine reference, the icon, the chime
    # where the frozen loader says phonenumbers is: the version of its rules is read there
    # (domain.phones.rules_version), so the numbers' kept forms are used
    import phonenumbers

    version_file = program.parent / "_internal" / "phonenumbers" / "__init__.py"
    assert f'__version__ = "{phonenumbers.__version__}"' in version_file.read_text("utf-8")
    qt = program.parent / "_internal" / "PySide6" / "Qt"
    assert (qt / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert (qt / "plugins" / "multimedia").is_dir()  # the chime
    assert not list(qt.glob("lib/libQt6WebEngine*")) and not list(qt.glob("lib/libQt63D*"))
    assert not list(qt.glob("plugins/platforms/libqeglfs*"))


def test_the_console_twin_prints_the_version(dist, tmp_path):
    result = subprocess.run([str(platforms.program_in_dist(dist, console=True)), "--version"],
                            env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"caregiver-app {__version__}"


def _dataclass_code_used(stderr: str) -> tuple[int, int]:
    """(texts from the cache, texts compiled) as the start's log says (``--verbose``)."""
    found = re.search(r"dataclass code: (\d+) from the cache, (\d+) compiled", stderr)
    assert found, stderr
    return int(found[1]), int(found[2])


def test_the_bundle_starts_with_the_dataclasses_code_its_build_made(dist, tmp_path):
    """The build ships the dataclasses' compiled methods (packaging/dataclass_code.py)
    for the bundle's Python; its starts read them and never write in the bundle."""
    internal = platforms.program_in_dist(dist).parent / "_internal"
    shipped = internal / "caregiver_app" / f"dataclass-code.{sys.implementation.cache_tag}.marshal"
    header = codegen_cache._magic()  # (the bundle's Python: the one running the tests)
    assert shipped.read_bytes().startswith(header)
    kept = marshal_file.read(shipped, header)  # (no support code: the bundle never takes it)
    assert isinstance(kept, dict) and not any(key.startswith("\0compile ") for key in kept)
    before = {path: path.stat().st_mtime_ns for path in dist.rglob("*")}
    env = _env(tmp_path)
    used = []
    for _ in range(2):  # the first makes the example household (a few classes more)
        started = subprocess.run(
            [str(platforms.program_in_dist(dist)), "--data-dir", str(tmp_path / "records"),
             "--demo", "--quit-when-idle", "--verbose"],
            env=env, capture_output=True, text=True, timeout=300)
        assert started.returncode == 0, started.stderr
        used.append(_dataclass_code_used(started.stderr))
    assert used[0][0] > 300  # (every method of ~90 classes)
    assert used[1][0] > 300 and used[1][1] == 0  # a later start compiles none
    assert {path: path.stat().st_mtime_ns for path in dist.rglob("*")} == before


def test_the_bundle_starts_until_idle_and_prints_a_checklist(dist, tmp_path):
    env = _env(tmp_path)
    data = tmp_path / "records"
    started = subprocess.run(
        [str(platforms.program_in_dist(dist)), "--data-dir", str(data), "--demo",
         "--quit-when-idle", "--verbose"],
        env=env, capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    assert "window shown" in started.stderr
    assert "Traceback" not in started.stderr, started.stderr
    example = tmp_path / "records-example"
    assert (example / "caregiver.sqlite3").is_file()

    pdf = tmp_path / "checklist.pdf"
    day = date.today() + timedelta(days=1)  # the example household's medicines are recent
    printed = subprocess.run(
        [str(platforms.program_in_dist(dist, console=True)), "--data-dir", str(data),
         "--demo", "print", "checklist", "--date", day.isoformat(), "--pdf", str(pdf)],
        env=env, capture_output=True, text=True, timeout=300)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("Wrote ")  # a console program: the message is seen
    text = _pdf_text(pdf)
    for expected in ("Daily medication checklist", f"{day:%A} {day.day} {day:%B %Y}",
                     "Margaret (Maggie) Example", "riluzole", "baclofen", "Initials"):
        assert expected in text, expected


def _pdf_text(pdf: Path) -> str:
    """The PDF's text, by poppler's pdftotext (a reader other than Qt), else Qt's own."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    document.load(str(pdf))
    return "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))


def test_the_bundle_exports_and_imports_the_records(dist, tmp_path):
    """The commands load their modules by name (lazily): the bundle must carry them."""
    env = _env(tmp_path)
    console = str(platforms.program_in_dist(dist, console=True))
    exported = tmp_path / "records.json"
    result = subprocess.run([console, "--data-dir", str(tmp_path / "a"), "--demo", "export",
                             "--json", str(exported)], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Exported ")
    result = subprocess.run([console, "--data-dir", str(tmp_path / "b"), "import", "--json",
                             str(exported)], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Imported ")
