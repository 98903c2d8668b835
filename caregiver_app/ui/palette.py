"""Colours that can be read: every text colour of the palette against its background
reaches a contrast ratio (WCAG 2.x), 4.5:1 at normal text and 7:1 in large-text mode.

Qt's own palettes fall short in places: Fusion's selected row is white on #308cc6
(3.69:1) and its placeholder text is the text colour at half opacity (4.0:1 on white).
``readable_palette`` moves each text colour that falls short (or, for the selection, its
background) darker or lighter, keeping its hue, until the pair reaches the ratio. Light
and dark system themes alike: it starts from the palette the platform gives.

``apply_readable_palette`` sets it on the application (called at start and when the
text size changes); ``CONTRAST_PAIRS`` lists what is measured, and the test measures
the same pairs over the palettes it produces.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

#: The contrast every text must reach: WCAG AA at normal text, AAA in large-text mode
#: (for people who chose bigger text because they see less well).
NORMAL_CONTRAST = 4.5
LARGE_TEXT_CONTRAST = 7.0
#: From this text size (View ▸ Text size) on, the large-text contrast applies.
LARGE_TEXT_SCALE = 1.25

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

#: (text, background, which of the two moves when they fall short). The selection's
#: background moves: its text stays the plain white (or black) of the theme.
CONTRAST_PAIRS: tuple[tuple[Role, Role, str], ...] = (
    (Role.Text, Role.Base, "fg"),
    (Role.Text, Role.AlternateBase, "fg"),
    (Role.PlaceholderText, Role.Base, "fg"),
    (Role.WindowText, Role.Window, "fg"),
    (Role.ButtonText, Role.Button, "fg"),
    (Role.HighlightedText, Role.Highlight, "bg"),
    (Role.ToolTipText, Role.ToolTipBase, "fg"),
    (Role.Link, Role.Base, "fg"),
    (Role.LinkVisited, Role.Base, "fg"),
)
#: Disabled controls are exempt (WCAG 1.4.3); Active and Inactive are what people read.
CONTRAST_GROUPS: tuple[Group, ...] = (Group.Active, Group.Inactive)

_original: dict[str, QPalette] = {}
_current: dict[str, float] = {"minimum": NORMAL_CONTRAST}


def relative_luminance(color: QColor) -> float:
    """WCAG 2.x relative luminance of an opaque colour (0 black … 1 white)."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def flatten(color: QColor, background: QColor) -> QColor:
    """``color`` as seen drawn over ``background`` (its transparency blended in)."""
    alpha = color.alphaF()
    if alpha >= 1.0:
        return QColor(color.red(), color.green(), color.blue())
    return QColor.fromRgbF(
        color.redF() * alpha + background.redF() * (1 - alpha),
        color.greenF() * alpha + background.greenF() * (1 - alpha),
        color.blueF() * alpha + background.blueF() * (1 - alpha))


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    """WCAG contrast ratio (1 … 21) of text ``foreground`` drawn on ``background``."""
    back = flatten(background, QColor("white"))
    fore = flatten(foreground, back)
    lighter, darker = sorted((relative_luminance(fore), relative_luminance(back)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_palette(palette: QPalette, minimum: float) -> QPalette:
    """A copy of ``palette`` where every pair of ``CONTRAST_PAIRS`` reaches ``minimum``
    in the groups people read (``CONTRAST_GROUPS``); pairs that already do keep their
    colours."""
    result = QPalette(palette)
    for group in CONTRAST_GROUPS:
        for fg_role, bg_role, moves in CONTRAST_PAIRS:
            back = flatten(result.color(group, bg_role), QColor("white"))
            fore = flatten(result.color(group, fg_role), back)
            if contrast_ratio(fore, back) >= minimum:
                continue
            if moves == "fg":
                result.setColor(group, fg_role, away_from(fore, back, minimum))
            else:
                result.setColor(group, bg_role, away_from(back, fore, minimum))
    return result


def contrast_minimum(text_scale: float) -> float:
    """The ratio text must reach at this text size."""
    return LARGE_TEXT_CONTRAST if text_scale >= LARGE_TEXT_SCALE else NORMAL_CONTRAST


def current_minimum() -> float:
    """The ratio text must reach at the text size last applied (4.5 until then)."""
    return _current["minimum"]


def apply_readable_palette(text_scale: float = 1.0) -> None:
    """Give the application the readable version of the palette it started with (or
    the system's new one, after a switch between light and dark mode). Widgets styled
    with ``tones.keep_styled`` make their sheets again when they hear of it."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if "app" not in _original:
        _original["app"] = QPalette(app.palette())
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt 6.5: the system went dark or light
            hints.colorSchemeChanged.connect(lambda _scheme: follow_system_palette())
    _current["minimum"] = contrast_minimum(text_scale)
    _current["scale"] = text_scale
    original, minimum = _original["app"], _current["minimum"]
    made = _made.get("app")
    if made is None or made[0] is not original or made[1] != minimum:
        made = _made["app"] = (original, minimum, readable_palette(original, minimum))
    app.setPalette(made[2])


#: The readable palette last made, with the palette and minimum it was made from: the
#: window's start applies the same one twice (the application's, then its text size's).
_made: dict[str, tuple[QPalette, float, QPalette]] = {}


def follow_system_palette(system: QPalette | None = None) -> None:
    """The system switched between light and dark mode while the app runs: start again
    from its new palette (``system``: that palette, when not the platform theme's), at
    the text size in use."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if system is None:
        app.setPalette(QPalette())  # nothing set: the platform theme's palette
        system = app.palette()
    _original["app"] = QPalette(system)
    apply_readable_palette(_current.get("scale", 1.0))


def set_large_text_palette(widget: QWidget, on: bool) -> None:
    """A widget shown in a large-text view (Today's "Large text") reads at 7:1."""
    if on:
        widget.setPalette(readable_palette(QApplication.palette(), LARGE_TEXT_CONTRAST))
    else:
        widget.setPalette(QPalette())


def away_from(color: QColor, fixed: QColor, minimum: float) -> QColor:
    """``color`` made darker (on a light ``fixed``) or lighter (on a dark one), hue kept,
    just enough to reach ``minimum`` against ``fixed``."""
    darken = relative_luminance(fixed) > 0.18
    hue, saturation, lightness, _alpha = color.getHslF()
    step = 0.005
    candidate = QColor(color)
    while contrast_ratio(candidate, fixed) < minimum:
        lightness = lightness - step if darken else lightness + step
        if not 0.0 <= lightness <= 1.0:
            return QColor("black" if darken else "white")
        candidate = QColor.fromHslF(max(hue, 0.0), saturation, lightness)
    return candidate
