"""Render ``resources/icons/app.svg`` to PNG files at the usual icon sizes, with Qt's
own SVG renderer (the one that draws the icon in the app), for the Debian package's
hicolor theme, and the Windows (.ico) and macOS (.icns) program icons, written by Qt's
image plugins (no Pillow needed).

    python packaging/render_icons.py OUT_DIR [SIZE ...]

writes ``OUT_DIR/<size>.png`` for each size (default: ``SIZES``).

    python packaging/render_icons.py --window

draws the window's own icon files again (``resources/icons/app-<size>.png``, the sizes
``caregiver_app/ui/icons.py`` names), after a change to app.svg (a test says when).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "app.svg"
#: The hicolor theme's usual sizes for an application icon.
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(out_dir: Path, sizes: tuple[int, ...] = SIZES, svg: Path = SVG) -> list[Path]:
    """One square PNG with a transparent background per size; the files written."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["render_icons", "-platform",
                                                         "offscreen"])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG image Qt can draw")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        written.append(path)
    return written


def program_icon(out_dir: Path, platform: str) -> Path | None:
    """The program icon PyInstaller puts on the Windows .exe or the macOS .app; None
    on other systems (the Linux menu uses the hicolor theme's PNGs)."""
    formats = {"win32": ("ico", 256), "darwin": ("icns", 512)}
    if platform not in formats:
        return None
    from PySide6.QtGui import QImage

    suffix, size = formats[platform]
    png = render(out_dir, (size,))[0]
    icon = out_dir / f"app.{suffix}"
    if not QImage(str(png)).save(str(icon), suffix.upper()):
        raise SystemExit(f"could not write {icon}")
    return icon


def window_icons(folder: Path = SVG.parent) -> list[Path]:
    """The window's icon files in ``folder`` (``app-<size>.png``), drawn from the SVG;
    the files written."""
    import tempfile

    from caregiver_app.ui.icons import SIZES

    written = []
    with tempfile.TemporaryDirectory() as drawn:
        for png in render(Path(drawn), SIZES):
            written.append(png.replace(folder / f"app-{png.name}"))
    return written


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    if sys.argv[1:] == ["--window"]:
        for written in window_icons():
            print(written)
        raise SystemExit(0)
    chosen = tuple(int(a) for a in sys.argv[2:]) or SIZES
    for written in render(Path(sys.argv[1]), chosen):
        print(written)
