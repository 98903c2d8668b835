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

With it goes the application's style (``ReadableStyle``, the platform's own style
behind a ``QProxyStyle``): its keyboard focus ring is 2 pixels of the selection colour
at 3:1 or more against what is around it (Fusion's is a pale tint at ~1.8:1), and from
Large text on (``LargeTextStyle``) the tick boxes, round option buttons, scroll bars and
spin-box arrows grow with the text (Fusion keeps them 14 pixels at any text size: small
targets for weak hands, eye-gaze or a head pointer). At the usual text size the style
computes no sizes (no Python call for each of the ~1,800 sizes a start asks for).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

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
    use_readable_style(text_scale)  # (first: a new style may bring its palette)
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


# ---- The style: a focus ring that can be seen, controls that grow with the text

#: The keyboard focus ring: its width in pixels, and the contrast it keeps against the
#: colours around it (WCAG 2.x 1.4.11 non-text contrast, 2.4.7 focus visible: 3:1).
FOCUS_RING_WIDTH = 2
FOCUS_RING_CONTRAST = 3.0

_Pe = QStyle.PrimitiveElement
_Pm = QStyle.PixelMetric
_FOCUS_RECT = _Pe.PE_FrameFocusRect
_KEYBOARD_FOCUS = QStyle.StateFlag.State_KeyboardFocusChange
_ITEM = QStyle.StateFlag.State_Item
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus
_TAB_LABEL = QStyle.ControlElement.CE_TabBarTabLabel
_PUSH_BUTTON = QStyle.ControlElement.CE_PushButton
_COMBO_BOX = QStyle.ComplexControl.CC_ComboBox
#: Where a push button's ring goes: just inside Fusion's 1-pixel outline, over its
#: light inner line and the face (left, top, right, bottom, as ``QRect.adjusted``).
_BUTTON_RING_INSET = (1, 1, -1, -1)
#: What grows with the text from Large text on: the tick boxes and round option
#: buttons (also in lists), the scroll bars (their width, arrows and shortest handle).
GROWING_METRICS = frozenset((
    _Pm.PM_IndicatorWidth, _Pm.PM_IndicatorHeight,
    _Pm.PM_ExclusiveIndicatorWidth, _Pm.PM_ExclusiveIndicatorHeight,
    _Pm.PM_ScrollBarExtent, _Pm.PM_ScrollBarSliderMin))
_SPIN_BOX = QStyle.ComplexControl.CC_SpinBox
_SPIN_UP = QStyle.SubControl.SC_SpinBoxUp
_SPIN_DOWN = QStyle.SubControl.SC_SpinBoxDown
_SPIN_FIELD = QStyle.SubControl.SC_SpinBoxEditField
_CT_SPIN_BOX = QStyle.ContentsType.CT_SpinBox

_rings: dict[tuple[int, ...], QColor] = {}
_style: dict[str, object] = {}


def focus_ring_colour(palette: QPalette, background: QColor | None = None) -> QColor:
    """The focus ring's colour: the palette's selection colour, moved darker (or
    lighter) as little as needed to stand 3:1 off ``background`` or, without one, off
    the window, a button and a text field's background alike. A ring on the selection
    itself (a selected row) is the selected text's colour."""
    highlight = palette.color(Role.Highlight)
    if background is not None and background.isValid():
        backs: tuple[QColor, ...] = (background,)
    else:
        backs = (palette.color(Role.Window), palette.color(Role.Button),
                 palette.color(Role.Base))
    key = (highlight.rgba(), palette.color(Role.HighlightedText).rgba(),
           *(back.rgba() for back in backs))
    ring = _rings.get(key)
    if ring is None:
        ring = QColor(highlight)
        for back in backs:
            if contrast_ratio(ring, back) < FOCUS_RING_CONTRAST:
                ring = away_from(ring, back, FOCUS_RING_CONTRAST)
        if any(contrast_ratio(ring, back) < FOCUS_RING_CONTRAST for back in backs):
            ring = QColor(palette.color(Role.HighlightedText))
        ring = _rings[key] = flatten(ring, backs[0])
    return ring


def paint_focus_ring(painter: QPainter, rect: QRect, colour: QColor) -> None:
    """A ``FOCUS_RING_WIDTH``-pixel ring of ``colour`` just inside ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    pen = QPen(colour, FOCUS_RING_WIDTH)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = FOCUS_RING_WIDTH / 2
    painter.drawRect(QRectF(rect).adjusted(half, half, -half, -half))
    painter.restore()


class ReadableStyle(QProxyStyle):
    """The platform's style (``key``: "fusion", "windows11", "macos"…) with a keyboard
    focus ring that can be seen: ``FOCUS_RING_WIDTH`` pixels of ``focus_ring_colour``
    where the style would draw its own (tick boxes, round option buttons, tabs, tool
    buttons), and inside a choice's (combo box's) or a push button's outline, when the
    focus came by keyboard, as the style itself decides. A list's current row keeps the
    style's: its selection shows it already."""

    def __init__(self, key: str):
        super().__init__(key)
        self.text_scale = 1.0

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element == _FOCUS_RECT and not option.state & _ITEM:
            if option.state & _KEYBOARD_FOCUS:
                paint_focus_ring(painter, option.rect, focus_ring_colour(
                    option.palette, getattr(option, "backgroundColor", None)))
            return
        super().drawPrimitive(element, option, painter, widget)

    def drawControl(self, element: QStyle.ControlElement, option: QStyleOption,
                    painter: QPainter, widget: QWidget | None = None) -> None:
        if element == _TAB_LABEL and option.state & _HAS_FOCUS:
            # (Qt's common style draws a tab's focus rectangle past the proxy: its own)
            from PySide6.QtWidgets import QStyleOptionTab  # (made when first used)

            plain = QStyleOptionTab(option)
            plain.state &= ~_HAS_FOCUS
            super().drawControl(element, plain, painter, widget)
            if option.state & _KEYBOARD_FOCUS:
                inset = 1 + self.pixelMetric(_Pm.PM_DefaultFrameWidth, option, widget)
                paint_focus_ring(painter, option.rect.adjusted(inset + 1, inset,
                                                               -inset - 1, -inset),
                                 focus_ring_colour(option.palette))
            return
        if (element == _PUSH_BUTTON and option.state & _HAS_FOCUS
                and option.state & _KEYBOARD_FOCUS):
            # (Fusion shows a push button's focus by its 1-pixel outline's tint alone,
            # and never asks for a focus rectangle: the button is drawn without focus,
            # so no style draws a second one, and the ring goes inside its outline)
            from PySide6.QtWidgets import QStyleOptionButton  # (made when first used)

            plain = QStyleOptionButton(option)
            plain.state &= ~_HAS_FOCUS
            super().drawControl(element, plain, painter, widget)
            paint_focus_ring(painter, option.rect.adjusted(*_BUTTON_RING_INSET),
                             focus_ring_colour(option.palette))
            return
        super().drawControl(element, option, painter, widget)

    def drawComplexControl(self, control: QStyle.ComplexControl, option: QStyleOption,
                           painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if (control == _COMBO_BOX and option.state & _HAS_FOCUS
                and option.state & _KEYBOARD_FOCUS and not getattr(option, "editable", True)):
            # (Fusion shows a choice's focus by its 1-pixel outline's tint alone)
            paint_focus_ring(painter, option.rect.adjusted(1, 1, -1, -1),
                             focus_ring_colour(option.palette))


class LargeTextStyle(ReadableStyle):
    """``ReadableStyle`` whose tick boxes, round option buttons, scroll bars and
    spin-box arrows are ``text_scale`` times the style's own size."""

    def __init__(self, key: str, text_scale: float):
        super().__init__(key)
        self.text_scale = text_scale

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric in GROWING_METRICS:
            return round(value * self.text_scale)
        return value

    def subControlRect(self, control: QStyle.ComplexControl, option: QStyleOption,
                       sub: QStyle.SubControl, widget: QWidget | None = None) -> QRect:
        rect = super().subControlRect(control, option, sub, widget)
        if control != _SPIN_BOX or sub not in (_SPIN_UP, _SPIN_DOWN, _SPIN_FIELD):
            return rect
        extra = self._spin_extra(option, widget)
        if not extra:
            return rect
        rtl = option.direction == Qt.LayoutDirection.RightToLeft
        if sub == _SPIN_FIELD:  # the text gives the arrows the room they grow by
            return rect.adjusted(extra if rtl else 0, 0, 0 if rtl else -extra, 0)
        return rect.adjusted(0, 0, extra, 0) if rtl else rect.adjusted(-extra, 0, 0, 0)

    def sizeFromContents(self, contents: QStyle.ContentsType, option: QStyleOption,
                         size: QSize, widget: QWidget | None = None) -> QSize:
        result = super().sizeFromContents(contents, option, size, widget)
        if contents == _CT_SPIN_BOX:
            result.setWidth(result.width() + self._spin_extra(option, widget))
        return result

    def _spin_extra(self, option: QStyleOption, widget: QWidget | None) -> int:
        """How much wider a spin box's arrows are than the style's own."""
        from PySide6.QtWidgets import QAbstractSpinBox  # (made when first used)

        no_buttons = QAbstractSpinBox.ButtonSymbols.NoButtons
        if getattr(option, "buttonSymbols", no_buttons) == no_buttons:
            return 0
        own = super().subControlRect(_SPIN_BOX, option, _SPIN_UP, widget).width()
        return max(0, round(own * (self.text_scale - 1.0)))


def use_readable_style(text_scale: float) -> None:
    """Give the application the readable style for this text size (``ReadableStyle``,
    or ``LargeTextStyle`` above 100%), made on the platform's own style; nothing when it
    has it already. A new style re-polishes every widget: the window's start gives the
    text size's before building any (``app.build_context``), then only a change of text
    size does."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    scale = max(1.0, round(text_scale, 3))
    current = _style.get("style")
    if current is not None and _style.get("scale") == scale and app.style() is current:
        return
    if current is None or app.style() is not current:  # (not ours: someone chose one)
        _style["key"] = app.style().name()
    key = str(_style["key"])
    style = ReadableStyle(key) if scale == 1.0 else LargeTextStyle(key, scale)
    # a text size's new font first: the widgets measure themselves again for the new
    # style at once, and a combo box keeps its smallest size until the next style
    QApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
    app.setStyle(style)  # (the application owns it, and deletes the one it replaces)
    _style.update(style=style, scale=scale)
