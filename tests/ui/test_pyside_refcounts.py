"""Guard against a PySide build that drops references to None.

PySide6 6.12.0 on Python 3.11 returns them one reference short from calls such as
``QLabel.setText`` or ``QModelIndex.data``; after enough calls Python frees None
and the app dies with "deallocating None". pyproject.toml keeps PySide6 below 6.12.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QLabel


def _change(fn, times: int = 500) -> int:
    before = sys.getrefcount(None)
    for _ in range(times):
        fn()
    return sys.getrefcount(None) - before


def test_calls_that_return_nothing_keep_none_alive(qapp):
    label = QLabel()
    assert _change(lambda: label.setText("x")) > -100
    assert _change(lambda: label.setVisible(False)) > -100


def test_empty_values_from_qt_keep_none_alive(qapp):
    model = QStringListModel(["a"])
    combo = QComboBox()
    combo.addItem("choose", None)
    assert _change(lambda: model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)) > -100
    assert _change(lambda: combo.itemData(0)) > -100

