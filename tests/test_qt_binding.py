"""The Qt binding itself must be sound: these catch known-bad PySide6 releases."""

from __future__ import annotations

import gc
import sys


def test_calling_qt_methods_does_not_lose_references_to_none(qapp):
    # PySide6 6.12.0 on Python 3.11 decrements None's reference count on every call of a
    # method that returns nothing; once it reaches zero the interpreter aborts
    # ("Fatal Python error: none_dealloc"), in the middle of whatever the caregiver does.
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QLabel

    label, font = QLabel(), QFont()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("x")
        font.setBold(True)
    gc.collect()
    lost = before - sys.getrefcount(None)
    assert lost < 50, (f"PySide6 lost {lost} references to None in 400 calls: this release "
                       "crashes the app; see the pyside6 pin in pyproject.toml")
