"""Dark palettes as the systems give them, and the contrast of what a widget draws."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPalette

from caregiver_app.ui.palette import contrast_ratio

Role = QPalette.ColorRole


def _palette(window: str, base: str, alternate: str, text: str, button: str) -> QPalette:
    pal = QPalette()
    for role, colour in ((Role.Window, window), (Role.WindowText, text), (Role.Base, base),
                         (Role.AlternateBase, alternate), (Role.Text, text),
                         (Role.Button, button), (Role.ButtonText, text),
                         (Role.Highlight, "#0a64d6"), (Role.HighlightedText, "#ffffff"),
                         (Role.PlaceholderText, "#8c8c8c"), (Role.ToolTipBase, button),
                         (Role.ToolTipText, text), (Role.Link, "#4ea1ff"),
                         (Role.LinkVisited, "#b48cff")):
        pal.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):  # greyed out when disabled
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f7f7f"))
    return pal


#: Dark palettes as the systems give them (window, field, alternate row, text, button).
DARK = {
    "windows 11": _palette("#202020", "#2b2b2b", "#323232", "#ffffff", "#2d2d2d"),
    "macos": _palette("#323232", "#1e1e1e", "#2a2a2a", "#dfdfdf", "#4a4a4a"),
    "gtk adwaita-dark": _palette("#353535", "#2d2d2d", "#303030", "#eeeeec", "#3a3a3a"),
}


def drawn_colours(image: QImage, rect: QRect | None = None) -> tuple[QColor, QColor]:
    """What is drawn: the background (the commonest colour) and the ink (the pixel
    furthest from it, at the heart of a letter)."""
    rect = rect or image.rect()
    counts: dict[int, int] = {}
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            value = image.pixel(x, y)
            counts[value] = counts.get(value, 0) + 1
    background = QColor.fromRgb(max(counts, key=counts.__getitem__))
    ink = max((QColor.fromRgb(value) for value in counts),
              key=lambda colour: contrast_ratio(colour, background))
    return background, ink


def drawn_contrast(image: QImage, rect: QRect | None = None) -> float:
    """The contrast of what is drawn: its background against its ink."""
    return contrast_ratio(*drawn_colours(image, rect))
