"""The app installs as a wheel that carries its resources."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject():
    """The code's packages, and each folder of resources/ (a data-only package inside
    caregiver_app._resources, with its files in package-data): setuptools warns that one
    not listed "would be ignored", and a coming version leaves it out of the wheel."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "caregiver_app").rglob("__init__.py")
    }
    resources = ROOT / "resources"
    data = {
        ".".join(("caregiver_app", "_resources", *d.relative_to(resources).parts))
        for d in resources.rglob("*") if d.is_dir() and "__pycache__" not in d.parts
    }
    missing = (on_disk | data) - listed
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {missing}"
    unshipped = data - set(setuptools["package-data"])
    assert not unshipped, f"add these to [tool.setuptools.package-data]: {unshipped}"


def test_resources_found_from_checkout():
    from caregiver_app.paths import resources_dir

    assert (resources_dir() / "__init__.py").is_file()


@pytest.mark.slow
def test_wheel_ships_resources_and_finds_them(tmp_path):
    # Built from a copy: building in the checkout leaves build/ and *.egg-info behind,
    # and a stale build/lib can carry deleted modules into the next wheel.
    source = tmp_path / "source"
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    for name in ("caregiver_app", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=junk)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    wheel_dir = tmp_path / "wheel"
    built = subprocess.run(  # -v: with setuptools' own output, its warnings
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
         "-w", str(wheel_dir), str(source)],
        check=True, capture_output=True, text=True,
    )
    assert "would be ignored" not in built.stdout + built.stderr  # (a resources folder)
    wheel = next(wheel_dir.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    expected = {
        "caregiver_app/_resources/" + str(p.relative_to(ROOT / "resources"))
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected <= set(names), f"missing from wheel: {sorted(expected - set(names))[:5]}"

    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    code = "from caregiver_app.paths import resources_dir; print(resources_dir())"
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout.strip()
    assert Path(out) == target / "caregiver_app" / "_resources"
