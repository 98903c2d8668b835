"""Empty values that Qt hands back must keep None alive, like calls that return nothing.

PySide6 6.12.0 on Python 3.11 returns None one reference short, both from methods that
return nothing (tests/test_qt_binding.py) and for an empty value such as
``QModelIndex.data()`` of an unset role or ``QComboBox.itemData()`` of an item without
data; after enough of them the app aborts with "deallocating None".
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox


def _change(fn, times: int = 500) -> int:
    before = sys.getrefcount(None)
    for _ in range(times):
        fn()
    return sys.getrefcount(None) - before


def test_empty_values_from_qt_keep_none_alive(qapp):
    model = QStringListModel(["a"])
    combo = QComboBox()
    combo.addItem("choose", None)
    assert _change(lambda: model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)) > -100
    assert _change(lambda: combo.itemData(0)) > -100
