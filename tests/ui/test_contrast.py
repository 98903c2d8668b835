"""Every text colour people read reaches 4.5:1 on its background, 7:1 at large text,
measured (WCAG 2.x) over the palettes the app really uses: the one it sets at start, the
one each View ▸ Text size gives, the Today tab's "Large text" view, and a dark theme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QApplication

from caregiver_app.ui.palette import (
    CONTRAST_GROUPS,
    CONTRAST_PAIRS,
    contrast_ratio,
    readable_palette,
)

Role = QPalette.ColorRole


def _measure(palette: QPalette) -> dict[tuple[str, str, str], float]:
    return {(group.name, fg.name, bg.name): contrast_ratio(palette.color(group, fg),
                                                          palette.color(group, bg))
            for group in CONTRAST_GROUPS for fg, bg, _moves in CONTRAST_PAIRS}


def _below(palette: QPalette, minimum: float) -> dict[tuple[str, str, str], float]:
    return {pair: round(ratio, 2) for pair, ratio in _measure(palette).items()
            if ratio < minimum}


def test_the_ratio_is_wcags():
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("white"), QColor("#308cc6")) == pytest.approx(3.69, abs=0.01)
    assert contrast_ratio(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)
    half_black = QColor(0, 0, 0, 128)  # Fusion's placeholder: text at half opacity
    assert contrast_ratio(half_black, QColor("white")) == pytest.approx(4.0, abs=0.01)


def _text_size_actions(window) -> list[QAction]:
    sizes = next(a.menu() for a in window.view_menu.actions()
                 if a.menu() and a.text().replace("&", "") == "Text size")
    return [a for a in sizes.actions() if a.isCheckable()]


def test_selected_rows_and_placeholders_readable_at_every_text_size(main_window):
    """What the person chooses in View ▸ Text size: 4.5:1 at Normal, 7:1 from Large on.
    Fusion's own selection (3.69:1) and placeholder (4.0:1) fall short."""
    actions = _text_size_actions(main_window)
    assert len(actions) == 4
    checked = 0
    for action in actions:
        action.trigger()
        palette = QApplication.palette()
        minimum = 4.5 if action.data() < 1.25 else 7.0
        assert _below(palette, minimum) == {}, action.text()
        for group in CONTRAST_GROUPS:
            selected = contrast_ratio(palette.color(group, Role.HighlightedText),
                                      palette.color(group, Role.Highlight))
            placeholder = contrast_ratio(palette.color(group, Role.PlaceholderText),
                                         palette.color(group, Role.Base))
            assert selected >= minimum and placeholder >= minimum, action.text()
        checked += len(_measure(palette))
    assert checked == 4 * len(CONTRAST_GROUPS) * len(CONTRAST_PAIRS)
    actions[0].trigger()


def test_today_large_text_view_reads_at_seven_to_one(main_window, qtbot):
    today = main_window.show_tab("today")
    qtbot.mouseClick(today.large_button, Qt.MouseButton.LeftButton)
    assert today.large_button.isChecked()
    assert _below(today.palette(), 7.0) == {}
    assert _below(today.tree.palette(), 7.0) == {}
    qtbot.mouseClick(today.large_button, Qt.MouseButton.LeftButton)
    assert _below(today.tree.palette(), 4.5) == {}


@pytest.mark.parametrize("minimum", [4.5, 7.0])
def test_a_dark_theme_is_made_readable_too(qapp, minimum):
    """A system dark theme with a dim selection and a faint placeholder: the light text
    stays, the selection darkens and the placeholder lightens until they read."""
    dark = QPalette()
    for role, colour in ((Role.Window, "#2b2b2b"), (Role.WindowText, "#e0e0e0"),
                         (Role.Base, "#1e1e1e"), (Role.AlternateBase, "#262626"),
                         (Role.Text, "#e0e0e0"), (Role.Button, "#353535"),
                         (Role.ButtonText, "#e0e0e0"), (Role.Highlight, "#3d8ee0"),
                         (Role.HighlightedText, "#ffffff"), (Role.PlaceholderText, "#6a6a6a"),
                         (Role.ToolTipBase, "#353535"), (Role.ToolTipText, "#e0e0e0"),
                         (Role.Link, "#3d8ee0"), (Role.LinkVisited, "#8e5fd0")):
        dark.setColor(role, QColor(colour))
    assert _below(dark, minimum)  # the theme as it comes falls short
    readable = readable_palette(dark, minimum)
    assert _below(readable, minimum) == {}
    assert readable.color(Role.Text) == dark.color(Role.Text)  # what already read is kept
    assert readable.color(Role.Base) == dark.color(Role.Base)
    assert (readable.color(Role.PlaceholderText).lightness()
            > dark.color(Role.PlaceholderText).lightness())
