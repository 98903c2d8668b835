"""The app's own colours, chosen for the theme in use: light or dark.

Qt's palette has no colour for an error, a warning or a quiet note, nor for the coloured
pills and banners of the Today tab. Fixed colours picked for a white window become
unreadable in a dark theme (macOS, Windows 11 and GTK follow the system's dark mode): the
dark red of an error on Windows' #202020 is 2.0:1, on macOS's #323232 1.5:1.

Every such colour comes from here:

- ``ink(tone)``: the text colour of an error, a warning or a quiet note, from a pair
  chosen per light/dark theme, then moved (hue kept) until it reaches the contrast the
  text size asks (4.5:1, 7:1 in large-text mode) on both the window and the fields.
- ``pair(light)``: a filled label (fill and text colour) given by its light-theme
  colours; in a dark theme, a dark fill of the same hue with light text.
- ``tinted_icon(icon)``: a style's black glyph (Fusion's status icons) drawn in the
  palette's text colour, so it shows on a dark list too.
- ``keep_styled(widget, make)``: a style sheet made from these colours, made again by
  the widget itself when it hears the palette changed (the system switched to dark
  mode, or the text size changed). Nothing walks all widgets: a window being closed or
  deleted when the palette changes is left to Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from caregiver_app.ui import palette as _palette

Role = QPalette.ColorRole


class Tone(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    MUTED = "muted"


#: Text colour of each tone: (light theme, dark theme).
TONES: dict[Tone, tuple[str, str]] = {
    Tone.ERROR: ("#a40000", "#ff9c94"),
    Tone.WARNING: ("#7a3e00", "#ffc46b"),
    Tone.MUTED: ("#5f5f5f", "#b8b8b8"),
}


class Pair(NamedTuple):
    """A filled label: its background and its text colour (as ``#rrggbb``)."""

    fill: str
    ink: str


def is_dark(pal: QPalette | None = None) -> bool:
    """The theme is dark: its window is darker than mid-grey."""
    pal = pal if pal is not None else QApplication.palette()
    return _palette.relative_luminance(pal.color(Role.Window)) < 0.18


def minimum() -> float:
    """The contrast text must reach now (4.5:1, or 7:1 in large-text mode)."""
    return _palette.current_minimum()


def ink(tone: Tone, pal: QPalette | None = None, at_least: float | None = None) -> QColor:
    """The text colour of ``tone`` for the theme of ``pal`` (the application's by
    default), reaching ``at_least`` (the current minimum by default) on the window, the
    fields and their alternate rows alike."""
    pal = pal if pal is not None else QApplication.palette()
    need = at_least if at_least is not None else minimum()
    backs = tuple(_palette.flatten(pal.color(role), QColor("white")).rgb()
                  for role in (Role.Window, Role.Base, Role.AlternateBase))
    key = (tone, backs, need)
    if key not in _inks:
        light, dark = TONES[tone]
        colour = QColor(dark if is_dark(pal) else light)
        for rgb in backs:
            back = QColor.fromRgb(rgb)
            if _palette.contrast_ratio(colour, back) < need:
                colour = _palette.away_from(colour, back, need)
        _inks[key] = colour.name()
    return QColor(_inks[key])


_inks: dict[tuple[Tone, tuple[int, ...], float], str] = {}


def ink_css(tone: Tone, pal: QPalette | None = None, *, bold: bool = True) -> str:
    """``color: …`` (and bold) for a style sheet."""
    return f"color: {ink(tone, pal).name()};" + (" font-weight: 600;" if bold else "")


def pair(light: Pair, pal: QPalette | None = None, *, dark: Pair | None = None,
         at_least: float | None = None) -> Pair:
    """The colours of a filled label for the theme of ``pal``: ``light`` as given in a
    light theme; in a dark one ``dark``, or by default a dark fill of the same hue with
    light text. Either way the text reaches ``at_least`` (the current minimum by
    default) on the fill."""
    pal = pal if pal is not None else QApplication.palette()
    need = at_least if at_least is not None else minimum()
    key = (light, dark, is_dark(pal), need)
    if key not in _pairs:
        _pairs[key] = _make_pair(light, dark if key[2] else None, key[2], need)
    return _pairs[key]


_pairs: dict[tuple[Pair, Pair | None, bool, float], Pair] = {}


def _make_pair(light: Pair, dark: Pair | None, in_dark: bool, need: float) -> Pair:
    if dark is not None:
        fill, text = QColor(dark.fill), QColor(dark.ink)
    else:
        fill, text = QColor(light.fill), QColor(light.ink)
    if in_dark and dark is None:
        hue, sat, _light, _alpha = fill.getHslF()
        fill = QColor.fromHslF(max(hue, 0.0), sat * 0.55, 0.2)
        t_hue, t_sat, _t_light, _t_alpha = text.getHslF()
        text = QColor.fromHslF(max(t_hue, 0.0), min(t_sat, 0.7), 0.9)
    if _palette.contrast_ratio(text, fill) < need:
        text = _palette.away_from(text, fill, need)
    return Pair(fill.name(), text.name())


def tinted_icon(icon: QIcon, pal: QPalette | None = None, size: int = 32) -> QIcon:
    """``icon``'s shape drawn in the palette's text colour (a style's black status icons
    disappear on a dark list)."""
    pal = pal if pal is not None else QApplication.palette()
    colour = pal.color(Role.Text)
    result = QIcon()
    for edge in (16, size):
        source = icon.pixmap(edge, edge)
        if source.isNull():
            continue
        tinted = QPixmap(source.size())
        tinted.setDevicePixelRatio(source.devicePixelRatio())
        tinted.fill(Qt.GlobalColor.transparent)
        painter = QPainter(tinted)
        painter.drawPixmap(0, 0, source)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(tinted.rect(), colour)
        painter.end()
        result.addPixmap(tinted)
    return result


class _Restyler(QObject):
    """Makes its widget's style sheet again when the palette changed (the system
    switched to dark mode, or the text size changed).

    Qt does not tell a widget with a style sheet (nor anything inside it) that the
    palette changed: it keeps the palette it was polished with. Qt does tell each
    window, through its event queue; the window's ``_WindowWatch`` then hands the news to
    the restylers inside that window only. So nothing walks all widgets, and a window
    being torn down is never reached from another one's code."""

    def __init__(self, widget: QWidget, make: Callable[[], str]) -> None:
        super().__init__(widget)
        self.setObjectName(_RESTYLER)
        self.make = make
        self._made_for: tuple[object, ...] | None = None
        self._busy = False
        widget.installEventFilter(self)
        _WindowWatch.on(widget.window())

    def apply(self) -> None:
        widget = self.parent()
        if not isinstance(widget, QWidget):
            return
        self._made_for = _theme_key()
        self._busy = True  # setting a sheet sends the widget palette events of its own
        try:
            widget.setStyleSheet(self.make())
        finally:
            self._busy = False

    def refresh(self) -> None:
        """Make the sheet again if the colours it was made from changed since."""
        if not self._busy and self._made_for != _theme_key():
            self.apply()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Show, QEvent.Type.ParentChange) \
                and isinstance(watched, QWidget):
            _WindowWatch.on(watched.window())  # (re)parented: now in this window
            self.refresh()  # the palette may have changed while it was hidden
        elif kind in _PALETTE_EVENTS:
            self.refresh()
        return False


class _WindowWatch(QObject):
    """Listens to one window for Qt's news that the application palette changed, and
    passes it to the restylers inside that window.

    A widget styled while it is being built is a window of its own until it is put in
    its place: its watch then moves to the window it is in now (that window's watch
    reaches the restylers inside it), so no widget inside a window keeps one (each saw
    every event of its widget: ~300 calls into Python while the window starts)."""

    @classmethod
    def on(cls, window: QWidget) -> None:
        found = window.findChild(QObject, _WATCH, Qt.FindChildOption.FindDirectChildrenOnly)
        if not isinstance(found, _WindowWatch):
            cls(window)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName(_WATCH)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _PALETTE_EVENTS and isinstance(watched, QWidget):
            for restyler in watched.findChildren(QObject, _RESTYLER):
                if isinstance(restyler, _Restyler):
                    restyler.refresh()
        elif (kind == QEvent.Type.ParentChange and isinstance(watched, QWidget)
              and not watched.isWindow()):
            _WindowWatch.on(watched.window())  # (before this one goes: never unwatched)
            watched.removeEventFilter(self)
            self.setObjectName("")  # (no longer found as its widget's watch)
            self.deleteLater()
        return False


_RESTYLER = "tones-restyler"
_WATCH = "tones-window-watch"
_PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def _theme_key() -> tuple[object, ...]:
    """What the sheets are made from: the application palette's colours and the
    contrast asked.

    Asked each time a styled widget is shown (~100 times while the window starts):
    the colours are read again only when the application's palette is another one
    (``QPalette.cacheKey``: a palette set anew has a new key) or the contrast asked
    changed, not nine colours each time (~5 M instructions of a start)."""
    pal = QApplication.palette()
    asked = (minimum(), pal.cacheKey())
    key = _theme.get(asked)
    if key is None:
        _theme.clear()
        key = _theme[asked] = (asked[0], *(pal.color(role).rgba() for role in _KEY_ROLES))
    return key


_theme: dict[tuple[float, int], tuple[object, ...]] = {}
"""``_theme_key``'s last answer, under the contrast and palette it was read for."""


_KEY_ROLES = (Role.Window, Role.WindowText, Role.Base, Role.AlternateBase, Role.Text,
              Role.Button, Role.ButtonText, Role.Mid, Role.Highlight)


def keep_styled(widget: QWidget, make: Callable[[], str]) -> None:
    """Set ``make()`` as ``widget``'s style sheet now, and again after the palette
    changes (``make`` reads the colours above at that moment). Fixed sheets go through
    here too (``lambda: SHEET``): a widget with a sheet keeps the palette it was given,
    so even a ``palette(mid)`` border or an unstyled button inside it would stay light
    after a switch to dark."""
    restyler = widget.findChild(QObject, _RESTYLER, Qt.FindChildOption.FindDirectChildrenOnly)
    if not isinstance(restyler, _Restyler):
        restyler = _Restyler(widget, make)
    restyler.make = make
    restyler.apply()


def keep_toned(widget: QWidget, tone: Tone, *, bold: bool = True) -> None:
    """``widget``'s text in ``tone`` (an error, a warning), following the palette."""
    keep_styled(widget, lambda: ink_css(tone, bold=bold))
