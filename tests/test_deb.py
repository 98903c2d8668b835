"""The Debian package (packaging/build_deb.py), built around a stand-in bundle so it
runs in seconds (tests/test_bundle.py builds the real one): its control data, the menu
entry and AppStream metainfo as their validators see them, the icons, and an install,
removal and purge with dpkg into a temporary root that leave every record in place."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from caregiver_app import __version__, platforms

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import build_deb  # noqa: E402

pytestmark = [
    pytest.mark.linux_only("dpkg-deb builds Debian packages"),
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed"),
]


def _stand_in_bundle(dist: Path) -> Path:
    bundle = dist / platforms.BUNDLE_DIR
    (bundle / "_internal").mkdir(parents=True)
    for name in (platforms.PROGRAM, platforms.CONSOLE_PROGRAM):
        program = bundle / name
        program.write_text(f'#!/bin/sh\necho "{name} $*"\n')
        program.chmod(0o700)  # the builder's umask must not leak into the package
    (bundle / "_internal" / "library.so").write_bytes(b"\0" * 100)
    (bundle / "_internal" / "library.so").chmod(0o600)
    return bundle


@pytest.fixture(scope="module")
def deb(tmp_path_factory, qapp) -> Path:  # (the icons are drawn with Qt)
    dist = tmp_path_factory.mktemp("dist")
    private = os.umask(0o077)  # as the app's own (and a careful builder's): no effect inside
    try:
        return build_deb.build(_stand_in_bundle(dist), dist, compression="gzip")
    finally:
        os.umask(private)


def _dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def unpacked(deb, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    _dpkg_deb("--raw-extract", str(deb), str(target))
    return target


def test_control_names_the_package_its_version_and_libxcb_cursor0(deb):
    assert deb.name == f"als-care-companion_{__version__}_{build_deb.architecture()}.deb"
    fields = dict(line.split(": ", 1) for line in _dpkg_deb("--field", str(deb)).splitlines()
                  if ": " in line and not line.startswith(" "))
    assert fields["Package"] == "als-care-companion"
    assert fields["Version"] == __version__
    depends = [d.strip().split()[0] for d in fields["Depends"].split(",")]
    assert "libxcb-cursor0" in depends  # a fresh Ubuntu desktop lacks it
    assert {"libegl1", "libgl1", "libxcb1", "libfontconfig1"} <= set(depends)
    # the bundle's programs need the C library they were built against, or newer
    built_with = os.confstr("CS_GNU_LIBC_VERSION").split()[-1]
    assert f"libc6 (>= {built_with})" in fields["Depends"]
    assert int(fields["Installed-Size"]) > 0


def test_no_maintainer_script_can_touch_anyones_records(unpacked):
    """No preinst/postinst/prerm/postrm at all: the menu and icon cache are updated by
    the dpkg triggers of desktop-file-utils and the icon theme."""
    assert sorted(p.name for p in (unpacked / "DEBIAN").iterdir()) == ["control"]


def test_files_are_where_the_system_looks_for_them(deb):
    listing = _dpkg_deb("--contents", str(deb))
    rows = [line.split() for line in listing.splitlines()]
    by_path = {row[5].removeprefix("."): row for row in rows}
    install = str(platforms.LINUX_INSTALL_DIR)
    assert by_path[f"{install}/caregiver-app"][0] == "-rwxr-xr-x"
    assert by_path[f"{install}/caregiver-app-cli"][0] == "-rwxr-xr-x"
    assert by_path[f"{install}/_internal/library.so"][0] == "-rw-r--r--"
    assert all(row[1] == "root/root" for row in rows)
    for name in ("caregiver-app", "caregiver-app-cli"):  # on the PATH
        link = by_path[f"/usr/bin/{name}"]
        assert link[0].startswith("l") and link[-1] == str(
            platforms.installed_program("linux", console=name.endswith("cli")))
    assert "/usr/share/applications/caregiver-app.desktop" in by_path
    assert f"/usr/share/metainfo/{platforms.APPSTREAM_ID}.metainfo.xml" in by_path
    assert not any(p.startswith(("/home", "/root", "/etc")) for p in by_path)


def _validator(name: str) -> str:
    if shutil.which(name) is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return name


def test_the_menu_entry_passes_desktop_file_validate(unpacked):
    desktop = unpacked / "usr/share/applications/caregiver-app.desktop"
    result = subprocess.run([_validator("desktop-file-validate"), str(desktop)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout


def test_the_menu_entry_starts_the_installed_program(unpacked):
    desktop = unpacked / "usr/share/applications/caregiver-app.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(desktop, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Name"] == "ALS Care Companion"
    assert section["Exec"] == platforms.PROGRAM
    assert (unpacked / "usr/bin" / section["Exec"]).is_symlink()
    assert section["Icon"] == platforms.DESKTOP_ENTRY
    assert section["Terminal"] == "false"


def test_icons_at_the_usual_sizes_drawn_from_the_app_svg(unpacked, qapp):
    from PySide6.QtGui import QImage

    hicolor = unpacked / "usr/share/icons/hicolor"
    sizes = []
    for png in sorted(hicolor.glob("*x*/apps/caregiver-app.png")):
        image = QImage(str(png))
        size = int(png.parent.parent.name.split("x")[0])
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0  # round corner
        assert image.pixelColor(size // 2, size // 2).alpha() == 255
        sizes.append(size)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256, 512]
    svg = hicolor / "scalable/apps/caregiver-app.svg"
    assert svg.read_bytes() == (ROOT / "resources/icons/app.svg").read_bytes()


def test_appstream_metainfo_passes_appstreamcli_validate(unpacked):
    metainfo = unpacked / f"usr/share/metainfo/{platforms.APPSTREAM_ID}.metainfo.xml"
    result = subprocess.run([_validator("appstreamcli"), "validate", "--no-net",
                             str(metainfo)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert "E:" not in result.stdout and "W:" not in result.stdout, result.stdout


def test_appstream_metainfo_names_the_app_and_its_menu_entry(unpacked):
    metainfo = unpacked / f"usr/share/metainfo/{platforms.APPSTREAM_ID}.metainfo.xml"
    root = ET.parse(metainfo).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == platforms.APPSTREAM_ID
    assert root.findtext("launchable") == f"{platforms.DESKTOP_ENTRY}.desktop"
    assert root.find("releases/release").get("version") == __version__
    assert {b.text for b in root.iterfind("provides/binary")} == {
        platforms.PROGRAM, platforms.CONSOLE_PROGRAM}


def _dpkg(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["dpkg", f"--root={root}", f"--admindir={root}/var/lib/dpkg", "--force-not-root",
         "--force-depends", "--force-script-chrootless", *args],
        capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is not installed")
@pytest.mark.parametrize("how", ["-r", "-P"])
def test_install_then_remove_or_purge_leaves_the_records(deb, tmp_path, how):
    """dpkg installs into a temporary root (its own database there; the library
    packages are not in it, hence --force-depends), then removes or purges: every
    file of the package goes, and a household's records stay, byte for byte."""
    root = tmp_path / "root"
    admin = root / "var/lib/dpkg"
    for folder in ("info", "updates", "triggers"):
        (admin / folder).mkdir(parents=True)
    (admin / "status").touch()
    (admin / "available").touch()
    records = root / "home/ana/.local/share/ALS Care Companion"
    (records / "backups").mkdir(parents=True)
    (records / "caregiver.sqlite3").write_bytes(b"every dose ever given")
    (records / "backups" / "copy.sqlite3").write_bytes(b"a backup")
    autostart = root / "home/ana/.config/autostart/caregiver-app.desktop"
    autostart.parent.mkdir(parents=True)
    autostart.write_text("[Desktop Entry]\n")
    before = {p: p.read_bytes() for p in root.joinpath("home").rglob("*") if p.is_file()}

    installed = _dpkg(root, "-i", str(deb))
    assert installed.returncode == 0, installed.stderr
    program = root / str(platforms.installed_program("linux")).lstrip("/")
    assert program.is_file()
    assert (root / "usr/bin/caregiver-app").resolve(strict=False) == Path(
        platforms.installed_program("linux"))
    # the installed programs run (the stand-ins say their name)
    ran = subprocess.run([str(program), "--version"], capture_output=True, text=True)
    assert ran.stdout.strip() == "caregiver-app --version"

    removed = _dpkg(root, how, platforms.DEB_PACKAGE)
    assert removed.returncode == 0, removed.stderr
    left = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if not p.is_relative_to(admin) and not p.is_relative_to(root / "home"))
    assert left == ["var", "var/lib"], left  # only what the test made for dpkg
    after = {p: p.read_bytes() for p in root.joinpath("home").rglob("*") if p.is_file()}
    assert after == before  # the records, the backups and the login entry, untouched
    status = _dpkg(root, "-s", platforms.DEB_PACKAGE)
    if how == "-P":
        assert status.returncode != 0  # purged: dpkg forgot it
    else:
        assert "Status: deinstall ok config-files" in status.stdout or status.returncode != 0
