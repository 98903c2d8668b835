"""A line of the status bar that wraps (``StatusLine``): sharing's "Not shared: …" with
its advice at the end, never cut at the window's edge, and never taller than its text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class StatusLine(QLabel):
    """Word-wrapped, left aligned, as many lines high as its text needs at the width
    the bar gives it. With a wrapped ``QLabel`` the bar took the height of the label's
    lines at the bar's own preferred width (a couple of hundred pixels): a one-line
    message three lines high, the two empty lines taken from the tab above (at 200%
    text on a 1366×768 screen, most of a dose row of Today)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def hasHeightForWidth(self) -> bool:
        # False: the bar would size itself for the lines its text takes at the bar's
        # preferred width (a couple of hundred pixels), not at the width it has
        return False

    def sizeHint(self) -> QSize:
        return self._as_laid_out(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._as_laid_out(super().minimumSizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # its lines, so its height, follow its width

    def _as_laid_out(self, hint: QSize) -> QSize:
        """``hint`` with the height of the text's lines at the width it has now (the
        guess until it has one)."""
        if self.width() <= 0 or not self.text():
            return hint
        return QSize(hint.width(), self.heightForWidth(self.width()))

__all__ = ["StatusLine"]
