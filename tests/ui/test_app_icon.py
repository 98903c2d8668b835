"""The app's icon on the window (and so in the tray and the task bar): the SVG drawn at
each size, as the packages draw it."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _drawn_from_the_svg(folder: Path, sizes: tuple[int, ...]) -> dict[int, Path]:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from render_icons import render
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    return {int(path.stem): path for path in render(folder, sizes)}


def test_the_windows_icon_is_the_svg_drawn_at_every_size(main_window, tmp_path):
    """Each size the window's icon offers is the picture packaging/render_icons.py draws
    from resources/icons/app.svg now (so the PNG files are drawn again when it changes)."""
    from PySide6.QtGui import QImage

    from caregiver_app.ui.icons import SIZES

    icon = main_window.windowIcon()
    assert sorted((size.width(), size.height()) for size in icon.availableSizes()) == [
        (size, size) for size in SIZES]
    drawn = _drawn_from_the_svg(tmp_path, SIZES)
    for size in SIZES:
        shown = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        expected = QImage(str(drawn[size])).convertToFormat(QImage.Format.Format_ARGB32)
        assert (shown.width(), shown.height()) == (size, size)
        assert shown == expected, (f"resources/icons/app-{size}.png is not app.svg drawn "
                                   "now: python packaging/render_icons.py --window")


def test_the_icon_looks_for_the_resources_folder_once(qapp, monkeypatch):
    """Each size's file is in the one resources folder: the folder is looked for once
    an icon, not once a size (a start makes the icon three times: window, tray, app;
    each look costs ~18 µs and two AttributeErrors), and the icon still has every size."""
    from caregiver_app import paths
    from caregiver_app.ui.icons import SIZES, app_icon, app_icon_file

    looks = []
    find = paths.resources_dir

    def counted() -> Path:
        looks.append(1)
        return find()

    monkeypatch.setattr(paths, "resources_dir", counted)
    icon = app_icon()
    assert len(looks) == 1
    assert sorted(size.width() for size in icon.availableSizes()) == sorted(SIZES)
    for size in SIZES:
        assert Path(app_icon_file(size)).is_file()
