"""The viewports the window makes itself (``ui.widgets.own_viewport``: so that reading
them at start does not make PySide load every widget class) are the same as the ones Qt
makes: the same name, background, filling, focus proxy, attributes, once shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QTreeView, QWidget

from caregiver_app.ui.widgets import own_viewport

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing",
                                       "does not support activateWindow")


def _looks(area: QAbstractScrollArea) -> dict[str, object]:
    """What can be told about ``area``'s viewport (shown)."""
    viewport = area.viewport()
    found: dict[str, object] = {
        "name": viewport.objectName(),
        "background": viewport.backgroundRole(),
        "foreground": viewport.foregroundRole(),
        "fills": viewport.autoFillBackground(),
        "base colour": viewport.palette().color(viewport.backgroundRole()).name(),
        "focus proxy": viewport.focusProxy() is area,
        "focus policy": viewport.focusPolicy(),
        "mouse tracking": viewport.hasMouseTracking(),
        "drops": viewport.acceptDrops(),
        "cursor": viewport.cursor().shape(),
        "context menu": viewport.contextMenuPolicy(),
        "size policy": (viewport.sizePolicy().horizontalPolicy(),
                        viewport.sizePolicy().verticalPolicy()),
        "visible": viewport.isVisible(),
        "geometry": viewport.geometry().getRect(),
        "parent": viewport.parentWidget() is area,
    }
    for attribute in Qt.WidgetAttribute:
        found[attribute.name] = viewport.testAttribute(attribute)
    return found


@pytest.mark.parametrize("kind", [QTreeView, QScrollArea])
def test_an_own_viewport_is_the_same_as_qts(qtbot, kind):
    theirs, ours = kind(), kind()
    made = own_viewport(ours)
    assert ours.viewport() is made
    for area in (theirs, ours):
        qtbot.addWidget(area)
        area.resize(300, 200)
        if isinstance(area, QScrollArea):
            area.setWidget(QWidget())
        area.show()
        qtbot.waitExposed(area)
    assert _looks(ours) == _looks(theirs)

