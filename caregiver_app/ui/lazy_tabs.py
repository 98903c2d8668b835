"""The window's tabs, each built the first time it is needed.

``LazyTabs`` is the main window's ``QTabWidget``. ``add_lazy(key, title, build)`` puts an
empty page in place of a tab; the tab itself (``build()``) is made and takes that page's
place (the same place, title and shortcut):

- when its page is first shown (the person opens the tab, or it was the last one open);
- when something asks for it (``page(key)``, or ``widget(index)`` from Python);
- once the window is up and idle (each time it is shown while some are not built), one
  tab per pass of the event loop, so the window answers between them and a tab opened
  later opens at once. Nothing is built while the window is hidden (closed, in the tray,
  or its records released for a restore).

A tab built late reads the records as they are then (each tab reads its records when it
is built); whatever follows the records afterwards is connected by its ``build``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs(QTabWidget):
    built = Signal(str)
    """A tab was just built; carries its key."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._keys: list[str] = []
        self._builders: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}
        self._built: dict[str, QWidget] = {}
        self._names: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._failed: set[str] = set()
        self._started = False
        self._scheduled = False
        self.currentChanged.connect(self._build_shown)

    # ---- Public API

    def add_lazy(self, key: str, title: str, build: Callable[[], QWidget]) -> None:
        """A tab called ``title`` ("&Today"), made by ``build()`` when first needed."""
        page = QWidget()
        self._titles[key] = title
        self._names[key] = title.replace("&", "")
        self._keys.append(key)
        self._builders[key] = build
        self._pages[key] = page
        self.addTab(page, title)

    def start(self) -> None:
        """From now on a tab is built when its page is shown (the window has chosen which
        one shows first); builds the current one."""
        self._started = True
        self._build_shown(self.currentIndex())

    def tab_keys(self) -> list[str]:
        return list(self._keys)

    def key_at(self, index: int) -> str:
        return self._keys[index]

    def is_built(self, key: str) -> bool:
        return key in self._built

    def page(self, key: str) -> QWidget:
        """The tab ``key``, built now if it was not yet."""
        if key not in self._built:
            self._build(key)
        return self._built[key]

    def widget(self, index: int) -> QWidget:  # type: ignore[override]
        """The tab at ``index`` (built now if need be), not the page it sits in."""
        if 0 <= index < len(self._keys):
            return self.page(self._keys[index])
        return super().widget(index)

    def currentWidget(self) -> QWidget:  # type: ignore[override]
        return self.widget(self.currentIndex())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started:
            self.start()
        if self._started and not self._scheduled and len(self._built) < len(self._keys):
            # after the pass that shows the window: the rest, once it is idle
            self._scheduled = True
            QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._build_next))

    # ---- Private

    def _build_next(self) -> None:
        waiting = [key for key in self._keys
                   if key not in self._built and key not in self._failed]
        if not waiting or not self.isVisible():
            self._scheduled = False  # (hidden: again when shown)
            return
        QTimer.singleShot(0, self, self._build_next)  # (the next even if this one fails)
        self._build(waiting[0])

    def _build_shown(self, index: int) -> None:
        if self._started and 0 <= index < len(self._keys):
            self.page(self._keys[index])

    def _build(self, key: str) -> None:
        build = self._builders.pop(key, None)
        if build is None:  # being built (asked for again while it builds)
            raise RuntimeError(f"the {key} tab was asked for while it was being built")
        try:
            widget = build()
        except BaseException:
            # asked for again, it is tried again; never again by itself when idle
            self._builders[key] = build
            self._failed.add(key)
            raise
        self._failed.discard(key)
        widget.setAccessibleName(self._names[key])
        self._built[key] = widget
        page = self._pages.pop(key)
        index, current = self._keys.index(key), self.currentIndex()
        blocked = self.blockSignals(True)  # the same tab stays current: nothing changed
        try:
            self.removeTab(index)
            self.insertTab(index, widget, self._titles[key])
            self.setCurrentIndex(current)
        finally:
            self.blockSignals(blocked)
        page.deleteLater()
        self.built.emit(key)
