"""Warnings, errors and coloured labels read at 4.5:1 (7:1 at large text) in a light and
a dark theme: the light palette the app starts with, Windows 11's dark (#202020), macOS's
dark (#323232) and a GTK dark theme. Measured on the colours (``tones``) and on the
pixels the widgets draw, and the style sheets follow when the system switches theme."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QVBoxLayout, QWidget
from themes import DARK, drawn_colours

from caregiver_app.domain.errors import ValidationError
from caregiver_app.ui import palette as palette_module
from caregiver_app.ui import tones
from caregiver_app.ui.careteam.details import BADGE
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.learn.models import MATCH
from caregiver_app.ui.palette import contrast_ratio, readable_palette
from caregiver_app.ui.today.banner import STYLES as BANNER_STYLES
from caregiver_app.ui.today.catch_up import CHOSEN, CHOSEN_DARK
from caregiver_app.ui.today.delegate import OVERDUE_SECTION, STATE_COLOURS, UNRECORDED_SECTION
from caregiver_app.ui.today.duty_bar import DUTY_BAR
from caregiver_app.ui.tones import Pair, Tone
from caregiver_app.ui.window_header import EXAMPLE_TAG

Role = QPalette.ColorRole
UI = Path(__file__).resolve().parents[2] / "caregiver_app" / "ui"


def _light() -> QPalette:
    return QApplication.style().standardPalette()


def _every_pair() -> dict[str, tuple[Pair, Pair | None]]:
    pairs: dict[str, tuple[Pair, Pair | None]] = {
        f"today {kind.value}": (colours, None) for kind, colours in STATE_COLOURS.items()}
    pairs |= {f"banner {kind.value}": (colours, None)
              for kind, colours in BANNER_STYLES.items()}
    pairs |= {"overdue heading": (OVERDUE_SECTION, None),
              "unrecorded heading": (UNRECORDED_SECTION, None),
              "call first badge": (BADGE, None), "search match": (MATCH, None),
              "nobody on duty": (DUTY_BAR, None), "catch-up chosen": (CHOSEN, CHOSEN_DARK),
              "example tag": (EXAMPLE_TAG, None)}
    return pairs


def test_the_old_fixed_colours_fail_on_dark():
    """What the issue measured: fixed colours picked for white fall short on dark."""
    assert contrast_ratio(QColor("#7a3e00"), QColor("#202020")) < 2.1
    assert contrast_ratio(QColor("#a40000"), QColor("#202020")) < 2.1
    assert contrast_ratio(QColor("#a40000"), QColor("#323232")) < 1.6


@pytest.mark.parametrize("minimum", [4.5, 7.0])
@pytest.mark.parametrize("theme", ["light", *DARK])
def test_every_tone_and_filled_label_reads_in_light_and_dark(qapp, theme, minimum):
    base = _light() if theme == "light" else DARK[theme]
    pal = readable_palette(base, minimum)
    assert tones.is_dark(pal) is (theme != "light")
    checked = 0
    for tone in Tone:
        colour = tones.ink(tone, pal, at_least=minimum)
        for role in (Role.Window, Role.Base, Role.AlternateBase):
            ratio = contrast_ratio(colour, pal.color(role))
            assert ratio >= minimum, (tone, role.name, colour.name(), round(ratio, 2))
            checked += 1
    for name, (light, dark) in _every_pair().items():
        fill, ink = tones.pair(light, pal, dark=dark, at_least=minimum)
        assert contrast_ratio(QColor(ink), QColor(fill)) >= minimum, name
        checked += 1
        if theme != "light":  # a dark fill, not a bright patch in a dark window
            assert QColor(fill).lightnessF() < 0.5 or dark is not None, name
    assert checked == 3 * len(Tone) + len(_every_pair())


def test_light_theme_keeps_the_colours_it_had(qapp):
    pal = readable_palette(_light(), 4.5)
    assert tones.ink(Tone.ERROR, pal, at_least=4.5).name() == "#a40000"
    assert tones.pair(STATE_COLOURS[next(iter(STATE_COLOURS))], pal, at_least=4.5) \
        == next(iter(STATE_COLOURS.values()))


def test_no_fixed_colour_is_left_in_the_widgets():
    """Every colour of the window comes from the palette or from ``tones`` (a light/dark
    pair); a ``#rrggbb`` appears only in tones.py or as a ``Pair`` of light colours."""
    found: list[str] = []
    files = sorted(UI.rglob("*.py"))
    for path in files:
        if path.name in ("tones.py", "palette.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?![\w-])", line) \
                    and "Pair(" not in line and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert len(files) > 60
    assert found == []


def test_every_style_sheet_follows_the_palette():
    """A widget with a style sheet is not told of palette changes: each sheet is set
    through ``tones.keep_styled``, which makes it again (only the text-size code sets a
    sheet again as it was, for its font)."""
    found: list[str] = []
    files = sorted(UI.rglob("*.py"))
    for path in files:
        if path.name == "tones.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ".setStyleSheet(" in line and ".setStyleSheet(widget.styleSheet())" not in line:
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert len(files) > 60
    assert found == []


@pytest.fixture
def dark_system(qapp):
    """The system switches to a dark theme while the app runs (then back): what the
    app does on ``colorSchemeChanged``. Qt tells the windows through the event loop."""
    before = QPalette(qapp.palette())

    def switch(name: str) -> QPalette:
        palette_module.follow_system_palette(DARK[name] if name != "light" else before)
        return qapp.palette()

    yield switch
    palette_module.follow_system_palette(before)
    qapp.processEvents()


def _limit_dialog(qtbot):
    """"Record as given" for an as-needed dose over its limit: the limit warning shows,
    and Record anyway with no reason gives the "say why" error under the field."""
    from caregiver_app.ui.today.dialogs import GivenDialog

    def save(at, note):
        if not note:
            raise ValidationError({"note": "Say why this dose was given over the limit."})

    now = datetime(2026, 11, 25, 20, 5, tzinfo=ZoneInfo("UTC"))
    dialog = GivenDialog(what="baclofen 5 mg: 1 tablet, as needed", default_at=now,
                         zone=ZoneInfo("UTC"), now=now,
                         check=lambda at: ["3 doses in 24 hours is the most the label allows."],
                         reason_required=lambda warnings: bool(warnings), save=save)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    error = next(w for w in dialog.findChildren(ErrorLabel) if w.isVisible())
    assert "Say why" in error.text()
    assert "most the label allows" in dialog.warnings.text()
    return dialog, error, dialog.warnings


@pytest.mark.parametrize("theme", list(DARK))
def test_a_warning_and_an_error_change_colour_on_a_live_switch(qtbot, dark_system, theme):
    """The as-needed limit warning and the "say why" error, on screen when the system
    goes dark: drawn at 4.5:1 on the light window, then in new, lighter colours at
    4.5:1 on the dark one, and back again."""
    _dialog, error, warning = _limit_dialog(qtbot)
    light = {}
    for label in (error, warning):
        back, ink = drawn_colours(label.grab().toImage())
        assert contrast_ratio(back, ink) >= 4.5, label.accessibleName()
        light[label.accessibleName()] = ink.name()
    assert light == {"Error": "#a40000", "Warning": "#7a3e00"}
    sheets = {label: label.styleSheet() for label in (error, warning)}
    assert tones.is_dark(dark_system(theme))
    qtbot.waitUntil(lambda: all(label.styleSheet() != sheets[label] for label in sheets))
    for label in (error, warning):
        back, ink = drawn_colours(label.grab().toImage())
        assert back.lightnessF() < 0.3  # the dark window
        assert ink.name() != light[label.accessibleName()]
        assert ink.lightnessF() > 0.5, label.accessibleName()
        assert contrast_ratio(back, ink) >= 4.5, label.accessibleName()
    dark_system("light")
    qtbot.waitUntil(lambda: all(label.styleSheet() == sheets[label] for label in sheets))
    assert drawn_colours(error.grab().toImage())[1].name() == "#a40000"


@pytest.mark.parametrize("theme", list(DARK))
def test_a_pill_changes_colour_on_a_live_switch(qtbot, dark_system, theme):
    """The Today card's "Overdue" pill: light orange with dark brown words, then on
    the switch a dark fill of the same hue with light words, both at 4.5:1. A card
    hidden during the switch shows the new colours when it comes back."""
    from caregiver_app.domain.today import Look, LookKind
    from caregiver_app.ui.today.card import DoseCard

    card = DoseCard()
    qtbot.addWidget(card)
    card.show_row("riluzole 50 mg", when="due 08:00", dose="1 tablet",
                  look=Look(LookKind.OVERDUE, "Overdue by 1 h 05 min"))
    card.resize(420, 360)
    card.show()
    qtbot.waitExposed(card)
    pill = card.state_label
    fill, ink = drawn_colours(pill.grab().toImage())
    assert (fill.name(), ink.name()) == STATE_COLOURS[LookKind.OVERDUE]
    card.hide()
    assert tones.is_dark(dark_system(theme))
    QApplication.processEvents()
    card.show()
    qtbot.waitUntil(lambda: drawn_colours(pill.grab().toImage())[0] != fill)
    dark_fill, dark_ink = drawn_colours(pill.grab().toImage())
    assert dark_fill.lightnessF() < 0.3 < 0.7 < dark_ink.lightnessF()
    assert abs(dark_fill.hslHue() - fill.hslHue()) <= 10  # still orange
    assert contrast_ratio(dark_fill, dark_ink) >= 4.5


def test_each_styled_widget_makes_its_sheet_once_per_switch(qtbot, dark_system):
    """The sheets are made again by the windows Qt tells, once per switch and widget;
    setting the same palette again makes none (a sheet set sends palette events of its
    own, which must not loop); a window closed and deleted meanwhile is left alone."""
    made: dict[str, int] = {}

    def counting(name: str):
        def make() -> str:
            made[name] = made.get(name, 0) + 1
            return tones.ink_css(Tone.ERROR)
        return make

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    for name in ("a", "b", "c"):
        label = QLabel(name)
        layout.addWidget(label)
        tones.keep_styled(label, counting(name))
    inner = QLabel("hidden")
    layout.addWidget(inner)
    inner.hide()
    tones.keep_styled(inner, counting("hidden"))
    gone = QWidget()
    gone_label = QLabel("closing", gone)
    tones.keep_styled(gone_label, counting("gone"))
    gone.show()
    window.show()
    qtbot.waitExposed(window)
    assert made == {"a": 1, "b": 1, "c": 1, "hidden": 1, "gone": 1}
    gone.close()
    gone.deleteLater()
    dark_system("macos")
    qtbot.waitUntil(lambda: made["a"] == 2)
    QApplication.processEvents()
    assert made == {"a": 2, "b": 2, "c": 2, "hidden": 2, "gone": 1}
    QApplication.setPalette(QApplication.palette())  # the same again
    QApplication.processEvents()
    assert made == {"a": 2, "b": 2, "c": 2, "hidden": 2, "gone": 1}


def test_widgets_styled_before_they_are_placed_leave_the_watching_to_their_window(
        qtbot, dark_system):
    """A widget styled while it is built is a window of its own until it is put in its
    place (a card and its buttons, then the card in the tab): only the window it ends in
    keeps listening for Qt's news of a palette switch (each watch also sees every event
    of its widget), and the switch still reaches every sheet once."""
    made: dict[str, int] = {}

    def counting(name: str):
        def make() -> str:
            made[name] = made.get(name, 0) + 1
            return tones.ink_css(Tone.ERROR)
        return make

    def watched() -> list[str]:
        """Which of the widgets carry a watch."""
        return sorted(w.objectName() for w in (window, card, *card.findChildren(QLabel))
                      if w.findChild(QObject, "tones-window-watch",
                                     Qt.FindChildOption.FindDirectChildrenOnly) is not None)

    card = QWidget()
    card.setObjectName("card")
    card_layout = QVBoxLayout(card)
    for name in ("a", "b"):
        label = QLabel(name)
        label.setObjectName(name)
        tones.keep_styled(label, counting(name))  # (a window of its own, for now)
        card_layout.addWidget(label)
    window = QWidget()
    window.setObjectName("window")
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(card)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()  # (the watches left behind are deleted)
    assert watched() == ["window"]
    assert made == {"a": 1, "b": 1}
    dark_system("macos")
    qtbot.waitUntil(lambda: made["a"] == 2)
    QApplication.processEvents()
    assert made == {"a": 2, "b": 2}


def test_tinted_status_icons_show_on_a_dark_list(qapp):
    """Fusion's play/pause/stop icons are black: on a dark list they vanish. Drawn in
    the palette's text colour they reach 3:1 (WCAG 1.4.11, graphics)."""
    style = QApplication.style()
    checked = 0
    for theme, pal in DARK.items():
        base = pal.color(Role.Base)
        for pixmap in (QStyle.StandardPixmap.SP_MediaPlay, QStyle.StandardPixmap.SP_MediaPause,
                       QStyle.StandardPixmap.SP_MediaStop,
                       QStyle.StandardPixmap.SP_MediaSeekForward):
            icon = style.standardIcon(pixmap)
            raw = _ink_of(icon.pixmap(16, 16).toImage())
            tinted = _ink_of(tones.tinted_icon(icon, pal).pixmap(16, 16).toImage())
            assert contrast_ratio(raw, base) < 3.0, (theme, pixmap.name)  # the problem
            assert contrast_ratio(tinted, base) >= 3.0, (theme, pixmap.name)
            checked += 1
    assert checked == 4 * len(DARK)


def _ink_of(image: QImage) -> QColor:
    """The mean colour of an icon's solid pixels."""
    solid = [QColor.fromRgba(image.pixel(x, y)) for y in range(image.height())
             for x in range(image.width())]
    solid = [c for c in solid if c.alpha() > 200]
    assert len(solid) > 10
    return QColor.fromRgbF(sum(c.redF() for c in solid) / len(solid),
                           sum(c.greenF() for c in solid) / len(solid),
                           sum(c.blueF() for c in solid) / len(solid))


def test_the_readable_palette_is_made_once_for_the_same_palette_and_size(qapp, monkeypatch):
    """The window's start applies it twice (the application's, then the window's text
    size): made once; made again for another size or when the system's palette changes,
    and the application's palette is the readable one each time."""
    made = []
    real = palette_module.readable_palette
    monkeypatch.setattr(palette_module, "readable_palette",
                        lambda palette, minimum: made.append(minimum) or real(palette,
                                                                              minimum))
    before = QPalette(_light())
    palette_module.apply_readable_palette(1.0)
    palette_module.follow_system_palette(before)  # (at 1.0)
    made.clear()
    palette_module.apply_readable_palette(1.0)
    palette_module.apply_readable_palette(1.0)
    assert made == []  # (made by follow_system_palette at 1.0 already)
    assert QApplication.palette() == real(before, 4.5)
    palette_module.apply_readable_palette(2.0)
    assert made == [7.0]
    assert QApplication.palette() == real(before, 7.0)
    palette_module.apply_readable_palette(2.0)
    assert made == [7.0]
    palette_module.follow_system_palette(DARK["windows 11"])
    assert made == [7.0, 7.0]  # (a new palette, at the size in use)
    palette_module.apply_readable_palette(1.0)
    palette_module.follow_system_palette(before)
    assert QApplication.palette() == real(before, 4.5)


def test_the_theme_s_colours_are_read_again_only_for_another_palette_or_size(
        qapp, dark_system, monkeypatch):
    """A styled widget asks whether the theme changed each time it is shown (~100 times
    while the window starts): the palette's colours are read once for each palette and
    text size, not nine colours at each ask."""
    reads = []
    color = QPalette.color
    monkeypatch.setattr(QPalette, "color", lambda self, *args: reads.append(args)
                        or color(self, *args))
    palette_module.apply_readable_palette(1.0)
    first = tones._theme_key()
    read = len(reads)
    assert [tones._theme_key() for _ in range(3)] == [first] * 3
    assert len(reads) == read  # asked again, same palette: nothing read
    dark_system("windows 11")
    dark = tones._theme_key()
    assert dark != first and len(reads) > read  # another palette: read again
    read = len(reads)
    palette_module.apply_readable_palette(2.0)  # (large text: 7:1)
    assert tones._theme_key()[0] == 7.0 and len(reads) > read
    palette_module.apply_readable_palette(1.0)
