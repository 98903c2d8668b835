"""Build the Debian/Ubuntu package from the bundle ``make dist`` made: ``make deb``.

    python packaging/build_deb.py [--dist DIR] [--out DIR]

The package installs:

- the bundle in ``/opt/als-care-companion/`` and its two programs as
  ``/usr/bin/caregiver-app`` and ``/usr/bin/caregiver-app-cli`` (links);
- the menu entry ``/usr/share/applications/caregiver-app.desktop``;
- the icon in the hicolor theme at the usual sizes, drawn from
  ``resources/icons/app.svg`` by Qt's SVG renderer, and the SVG itself;
- AppStream metainfo in ``/usr/share/metainfo/`` (software centres list the app).

It has no maintainer scripts: the icon cache and the menu are brought up to date by the
dpkg triggers of the icon theme and desktop-file-utils, and nothing touches a home
folder, so removing or purging the package never removes the records (they are in each
user's ``~/.local/share/ALS Care Companion/``). ``Depends`` names the system libraries
the bundle does not carry (the GL and Wayland libraries, the X connection) and
``libxcb-cursor0``, which a fresh Ubuntu desktop lacks and Qt's X11 window needs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from caregiver_app import __version__, platforms  # noqa: E402

LINUX = ROOT / "packaging" / "linux"
MAINTAINER = "ALS Care Companion developers <noreply@alscarecompanion.invalid>"
#: System libraries the bundle loads and does not carry (PyInstaller leaves the GL
#: stack, the C library and the display connection to the system), and the X11 cursor
#: library a fresh Ubuntu desktop lacks.
DEPENDS = ("libxcb-cursor0", "libxcb1", "libegl1", "libgl1",
           "libwayland-client0", "libwayland-cursor0", "libdrm2", "libfontconfig1",
           "libdbus-1-3")
#: Used when there: the chime (PulseAudio or PipeWire's PulseAudio server), the GTK
#: look and dialogs, Wayland's EGL, opening web links and the mail program.
RECOMMENDS = ("libpulse0", "libgtk-3-0", "libwayland-egl1", "xdg-utils")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def libc_floor() -> str:
    """``libc6 (>= X)`` for the C library of the machine that built the bundle: its
    programs and libraries need at least that version (build on the oldest system to
    be supported: the workflow uses Ubuntu 22.04)."""
    found = os.confstr("CS_GNU_LIBC_VERSION") or ""  # "glibc 2.36"
    version = found.split()[-1] if found.startswith("glibc ") else ""
    return f"libc6 (>= {version})" if version else "libc6"


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True,
                          text=True).stdout.strip()


def control(installed_kib: int, arch: str) -> str:
    return "\n".join([
        f"Package: {platforms.DEB_PACKAGE}",
        f"Version: {__version__}",
        "Section: misc",
        "Priority: optional",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {', '.join((libc_floor(), *DEPENDS))}",
        f"Recommends: {', '.join(RECOMMENDS)}",
        "Description: medicines, reminders and care team for caregivers of a person with ALS",
        " ALS Care Companion keeps the day's medicines with reminders that are hard",
        " to miss, a record of every dose and who gave it, printed daily checklists,",
        " the care team with appointments, and plain-language articles about ALS.",
        " .",
        " Everything stays on this computer; removing the package keeps the records.",
        "",
    ])


def stage(bundle: Path, root: Path) -> None:
    """Lay out the package's files under ``root``."""
    install = root / platforms.LINUX_INSTALL_DIR.relative_to("/")
    shutil.copytree(bundle, install, symlinks=True)
    bin_dir = root / platforms.LINUX_BIN_DIR.relative_to("/")
    bin_dir.mkdir(parents=True)
    for name in (platforms.PROGRAM, platforms.CONSOLE_PROGRAM):
        (bin_dir / name).symlink_to(platforms.LINUX_INSTALL_DIR / name)
    share = root / "usr" / "share"
    applications = share / "applications"
    applications.mkdir(parents=True)
    shutil.copy(LINUX / f"{platforms.DESKTOP_ENTRY}.desktop", applications)
    metainfo = share / "metainfo"
    metainfo.mkdir()
    shutil.copy(LINUX / f"{platforms.APPSTREAM_ID}.metainfo.xml", metainfo)
    hicolor = share / "icons" / "hicolor"
    from render_icons import SVG, render

    with tempfile.TemporaryDirectory() as tmp:
        for png in render(Path(tmp), ICON_SIZES):
            size = png.stem
            target = hicolor / f"{size}x{size}" / "apps"
            target.mkdir(parents=True)
            shutil.copy(png, target / f"{platforms.DESKTOP_ENTRY}.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(SVG, scalable / f"{platforms.DESKTOP_ENTRY}.svg")
    doc = share / "doc" / platforms.DEB_PACKAGE
    doc.mkdir(parents=True)
    shutil.copy(ROOT / "README.md", doc / "README.md")
    _normalise_modes(root)


def _normalise_modes(root: Path) -> None:
    """Folders and programs 0755, other files 0644, whatever the builder's umask."""
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            path = Path(folder) / name
            if path.is_symlink():
                continue
            os.chmod(path, 0o755 if path.stat().st_mode & 0o100 else 0o644)


def build(bundle: Path, out: Path, *, compression: str = "xz") -> Path:
    if not (bundle / platforms.PROGRAM).is_file():
        raise SystemExit(f"no bundle in {bundle}: run `make dist` first")
    out.mkdir(parents=True, exist_ok=True)
    arch = architecture()
    deb = out / f"{platforms.DEB_PACKAGE}_{__version__}_{arch}.deb"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        stage(bundle, root)
        size = sum(p.lstat().st_size for p in root.rglob("*")) // 1024 + 1
        debian = root / "DEBIAN"
        debian.mkdir()
        os.chmod(debian, 0o755)  # dpkg-deb refuses anything else, whatever the umask
        (debian / "control").write_text(control(size, arch))
        os.chmod(debian / "control", 0o644)
        subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build",
                        str(root), str(deb)], check=True, stdout=subprocess.DEVNULL)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where `make dist` put the bundle (default: dist/)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the .deb (default: the --dist folder)")
    parser.add_argument("--compression", default="xz", choices=("xz", "gzip", "zstd", "none"))
    args = parser.parse_args(argv)
    deb = build(args.dist / platforms.BUNDLE_DIR, args.out or args.dist,
                compression=args.compression)
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
