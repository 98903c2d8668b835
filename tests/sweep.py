"""A person who tries everything: every menu item, every button of every tab, every
item of a button's or a context menu, answering each window that opens.

``Person`` stands in front of the window. It answers every dialog the app opens, modal
(``exec()``, the static message boxes and file choosers) or not (``open()``, ``show()``),
either the way that goes ahead (``accept``: the default or OK button, a file in a test
folder) or the way that backs out (``cancel``), and on the first sight of each window
checks its Alt shortcuts (``mnemonic_problems``). ``actions_of(window)`` finds what
there is to try, so a new menu item, button or context-menu item is tried without
anyone listing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gui_paths import activate, plain
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

CRASH_TITLE = "Something went wrong"


# ---- Alt shortcuts ------------------------------------------------------------------

def mnemonic(text: str) -> str | None:
    """The Alt letter of ``text`` ("Full &name:" -> "n"), None if it has none."""
    match = re.search(r"(?<!&)&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.window() is window


def mnemonic_owners(window: QWidget) -> list[tuple[str, str, QWidget]]:
    """(letter, what, widget) for every Alt shortcut a person can use in ``window`` as it
    is now: labels, buttons, group boxes, tab titles and (main windows) menu titles."""
    owners: list[tuple[str, str, QWidget]] = []

    def add(text: str, widget: QWidget) -> None:
        letter = mnemonic(text)
        if letter:
            owners.append((letter, plain(text), widget))

    for label in window.findChildren(QLabel):
        if _shown(label, window) and label.textFormat() != Qt.TextFormat.RichText:
            add(label.text(), label)
    for button in window.findChildren(QAbstractButton):
        if _shown(button, window) and not isinstance(button.parent(), QTabBar):
            add(button.text(), button)
    for box in window.findChildren(QGroupBox):
        if _shown(box, window):
            add(box.title(), box)
    for tabs in window.findChildren(QTabWidget):
        if _shown(tabs, window):
            for i in range(tabs.count()):
                if tabs.isTabVisible(i):
                    add(tabs.tabText(i), tabs.tabBar())
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            add(action.text(), window.menuBar())
    return owners


def mnemonic_problems(window: QWidget, qtbot,
                      checked: list[tuple[str, str]] | None = None) -> list[str]:
    """What is wrong with the Alt shortcuts of ``window`` as shown now: a letter used
    twice, a label whose letter has no field to go to, a label's Alt+letter that does not
    land in its field, or a text field that takes an Alt+letter as typing. Each
    (letter, text) looked at is added to ``checked``, so a test can say how much it
    covered."""
    where = window.windowTitle() or type(window).__name__
    problems = []
    seen: dict[str, str] = {}
    owners = mnemonic_owners(window)
    if checked is not None:
        checked.extend((letter, what) for letter, what, _widget in owners)
    for letter, what, _widget in owners:
        if letter in seen and seen[letter] != what:
            problems.append(f"{where}: Alt+{letter.upper()} is both {seen[letter]!r} and "
                            f"{what!r}")
        seen.setdefault(letter, what)
    for label in window.findChildren(QLabel):
        letter = mnemonic(label.text())
        if not letter or not _shown(label, window):
            continue
        buddy = label.buddy()
        if buddy is None:
            problems.append(f"{where}: {plain(label.text())!r} has Alt+{letter.upper()} "
                            "but no field to go to")
            continue
        if not buddy.isEnabled():
            continue  # (a disabled field: Qt moves on, as it should)
        start = QApplication.focusWidget()
        before = _typed(start)
        modifier = Qt.KeyboardModifier.AltModifier
        qtbot.keyClick(start if start is not None and start.window() is window else window,
                       letter, modifier)
        QApplication.processEvents()
        if start is not None and isValid(start) and _typed(start) != before:
            problems.append(f"{where}: Alt+{letter.upper()} was typed into "
                            f"{start.accessibleName() or type(start).__name__!r} as text")
        focus = QApplication.focusWidget()
        if focus is None or not (focus is buddy or buddy.isAncestorOf(focus)
                                 or focus is _proxy_end(buddy)):
            name = focus.accessibleName() if focus is not None else None
            problems.append(f"{where}: Alt+{letter.upper()} ({plain(label.text())!r}) went "
                            f"to {name or type(focus).__name__!r}, not its field")
    if isinstance(window, QMainWindow):
        problems += menu_mnemonic_problems(window)
    return problems


def menu_mnemonic_problems(window: QMainWindow) -> list[str]:
    """Letters used twice in one menu: Qt then only moves between the items."""
    problems = []

    def walk(menu: QMenu, path: str) -> None:
        seen: dict[str, str] = {}
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            letter = mnemonic(action.text())
            if letter and letter in seen:
                problems.append(f"{path}: Alt+{letter.upper()} is both {seen[letter]!r} "
                                f"and {plain(action.text())!r}")
            elif letter:
                seen[letter] = plain(action.text())
            if action.menu() is not None:
                walk(action.menu(), f"{path} ▸ {plain(action.text())}")

    for action in window.menuBar().actions():
        if action.menu() is not None:
            walk(action.menu(), plain(action.text()))
    return problems


def _proxy_end(widget: QWidget) -> QWidget:
    while widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget


def _typed(widget: QWidget | None) -> str | None:
    if widget is None or not isValid(widget):
        return None
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    return None


# ---- Answering windows --------------------------------------------------------------

@dataclass
class Person:
    """Answers every window the app opens. ``mode``: "accept" or "cancel"."""

    qtbot: object
    folder: Path
    mode: str = "cancel"
    seen: list[str] = field(default_factory=list)  # window titles, in order
    classes: set[str] = field(default_factory=set)  # dialog classes opened
    checked: set[str] = field(default_factory=set)  # windows whose shortcuts were checked
    letters: list[tuple[str, str]] = field(default_factory=list)  # (Alt letter, text) seen
    problems: list[str] = field(default_factory=list)  # Alt shortcut problems
    crashes: list[str] = field(default_factory=list)  # "Something went wrong" and the like
    open_files: dict[str, Path] = field(default_factory=dict)  # extension -> a file to open
    opened_urls: list[str] = field(default_factory=list)
    depth: int = 0

    def install(self, monkeypatch) -> None:
        person = self

        def exec_(dialog, *_args):
            return person.answer(dialog)

        from PySide6.QtPrintSupport import QPrintDialog

        monkeypatch.setattr(QDialog, "exec", exec_)
        monkeypatch.setattr(QPrintDialog, "exec", exec_)  # (its own, in the bindings)
        for name in ("information", "warning", "critical", "question"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(self._static_box(name)))
        monkeypatch.setattr(QMessageBox, "about",
                            staticmethod(lambda parent, title, text: self._note(title)))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(self._folder))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(self._save_name))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(self._open_name))
        from PySide6.QtGui import QDesktopServices
        monkeypatch.setattr(QDesktopServices, "openUrl",
                            staticmethod(lambda url: self.opened_urls.append(url.toString())
                                         or True))

    # -- static boxes and choosers

    def _note(self, title: str) -> None:
        self.seen.append(title)
        if title == CRASH_TITLE:
            self.crashes.append(title)

    def _static_box(self, kind: str):
        def box(parent, title, text, *args, **kwargs):
            self._note(title)
            if kind == "question":
                return (QMessageBox.StandardButton.Yes if self.mode == "accept"
                        else QMessageBox.StandardButton.No)
            return QMessageBox.StandardButton.Ok
        return box

    def _folder(self, parent, title, *args, **kwargs) -> str:
        self.seen.append(title)
        if self.mode != "accept":
            return ""
        target = self.folder / f"folder-{len(self.seen)}"
        target.mkdir(parents=True, exist_ok=True)
        return str(target)

    def _save_name(self, parent, title, suggested="", filters="", *args, **kwargs):
        self.seen.append(title)
        if self.mode != "accept":
            return "", ""
        name = Path(suggested).name or "file"
        return str(self.folder / f"{len(self.seen)}-{name}"), filters

    def _open_name(self, parent, title, folder="", filters="", *args, **kwargs):
        self.seen.append(title)
        if self.mode != "accept":
            return "", ""
        for extension, path in self.open_files.items():
            if f"*.{extension}" in filters:
                return str(path), filters
        return "", ""

    # -- dialogs

    def answer(self, dialog: QDialog) -> int:
        """A dialog shown with ``exec()``: look, check its shortcuts, answer, return."""
        title = dialog.windowTitle() or type(dialog).__name__
        self.seen.append(title)
        self.classes.add(type(dialog).__name__)
        if title == CRASH_TITLE:
            self.crashes.append(title)
        self.depth += 1
        try:
            dialog.show()
            self.qtbot.waitExposed(dialog)
            dialog.activateWindow()
            QApplication.processEvents()
            self.check(dialog)
            self._respond(dialog)
        finally:
            self.depth -= 1
        if dialog.isVisible():  # (the answer did not close it: a failure, said so)
            self.problems.append(f"{title}: still open after the answer {self.mode!r}")
            dialog.done(QDialog.DialogCode.Rejected)
        return dialog.result()

    def check(self, window: QWidget) -> None:
        key = f"{type(window).__name__}:{window.windowTitle()}"
        if key in self.checked or isinstance(window, QMessageBox | QFileDialog):
            return
        self.checked.add(key)
        self.problems.extend(mnemonic_problems(window, self.qtbot, self.letters))

    def check_main(self, window: QMainWindow, tab: str) -> None:
        """The main window's shortcuts with the tab ``tab`` showing, again whenever a
        different set of them shows (a dose selected on Today brings "Given: all due at
        08:00 (2)…" when another dose shares its time)."""
        shown = sorted({(letter, re.sub(r"\d", "#", what))
                        for letter, what, _widget in mnemonic_owners(window)})
        key = f"MainWindow:{tab}:{shown}"
        if key not in self.checked:
            self.checked.add(key)
            activate(self.qtbot, window)  # (a dialog answered just before had it)
            self.problems.extend(f"[{tab}] {p}" for p in mnemonic_problems(
                window, self.qtbot, self.letters))

    def _respond(self, dialog: QDialog) -> None:
        if isinstance(dialog, QMessageBox):
            self._click(self._box_button(dialog))
            return
        from PySide6.QtPrintSupport import QPrintDialog

        if isinstance(dialog, QFileDialog):  # one opened with open(), not the static call
            if self.mode == "accept":
                name = Path(dialog.selectedFiles()[0] if dialog.selectedFiles() else "file")
                dialog.selectFile(str(self.folder / f"{len(self.seen)}-{name.name}"))
                dialog.accept()
            else:
                dialog.reject()
            return
        if isinstance(dialog, QPrintDialog):
            if self.mode == "accept":  # print to a file: no printer in a test
                dialog.printer().setOutputFileName(str(self.folder / f"{len(self.seen)}.pdf"))
                dialog.accept()
            else:
                dialog.reject()
            return
        if self.mode == "accept":
            ok = self._role_button(dialog, accept=True)
            if ok is not None and ok.isEnabled():
                self._click(ok)
            if not dialog.isVisible():
                return
            self.seen.append(f"{dialog.windowTitle()}: not accepted as it is")
        self._close(dialog)

    def _close(self, dialog: QDialog) -> None:
        """Back out: the Cancel/Close button, else Escape. A "Discard your changes?" on
        the way is answered "Discard"."""
        cancel = self._role_button(dialog, accept=False)
        previous, self.mode = self.mode, "discard"
        try:
            if cancel is not None and cancel.isEnabled():
                self._click(cancel)
            else:
                self.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        finally:
            self.mode = previous

    def _box_button(self, box: QMessageBox) -> QAbstractButton:
        buttons = box.buttons()
        roles = {b: box.buttonRole(b) for b in buttons}
        if box.windowTitle() == "Discard your changes?":
            wanted = (QMessageBox.ButtonRole.DestructiveRole,)
        elif self.mode == "accept":
            wanted = (QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole,
                      QMessageBox.ButtonRole.DestructiveRole)
        else:
            wanted = (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole)
        for role in wanted:
            for b in buttons:
                if roles[b] == role:
                    return b
        return box.escapeButton() or box.defaultButton() or buttons[0]

    @staticmethod
    def _role_button(dialog: QDialog, *, accept: bool) -> QAbstractButton | None:
        roles = ((QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole)
                 if accept else (QDialogButtonBox.ButtonRole.RejectRole,
                                 QDialogButtonBox.ButtonRole.NoRole))
        for box in dialog.findChildren(QDialogButtonBox):
            if not box.isVisibleTo(dialog):
                continue
            for b in box.buttons():
                if box.buttonRole(b) in roles and b.isVisibleTo(dialog):
                    return b
        if accept:
            for b in dialog.findChildren(QPushButton):
                if b.isDefault() and b.isVisibleTo(dialog):
                    return b
        return None

    def _click(self, button: QAbstractButton) -> None:
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()

    # -- windows that do not block

    def answer_open_windows(self, main: QWidget) -> None:
        """Dialogs opened with ``open()``/``show()`` (print previews, "Quit?"): answer
        each as a modal one, then close what is left."""
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        for _ in range(5):
            shown = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QDialog) and w.isVisible() and w is not main]
            if not shown:
                return
            for window in shown:
                if not isValid(window) or not window.isVisible():
                    continue
                title = window.windowTitle() or type(window).__name__
                self.seen.append(title)
                self.classes.add(type(window).__name__)
                self.check(window)
                if isinstance(window, QPrintPreviewDialog):
                    if self.mode == "accept":
                        for action in preview_actions(window):
                            action.trigger()
                            QApplication.processEvents()
                    if isValid(window) and window.isVisible():
                        window.reject()
                else:
                    self._respond(window)
                QApplication.processEvents()


def preview_actions(preview) -> list[QAction]:
    """A print preview's actions that make something: Print and Save as PDF…"""
    from PySide6.QtWidgets import QToolBar

    bar = preview.findChild(QToolBar)
    return [a for a in bar.actions()
            if plain(a.text()).rstrip("…").lower() in {"print", "save as pdf"}]


# ---- What there is to try -----------------------------------------------------------

@dataclass(frozen=True)
class Thing:
    """One thing a person can do: a menu item, a button, a menu item of a button."""

    where: str  # "menu", "tab:<key>", "context:<key>"
    name: str
    run: Callable[[], None]


def menu_actions(window: QMainWindow) -> Iterator[tuple[str, QAction]]:
    def walk(actions, path):
        for action in actions:
            if action.isSeparator() or not action.isVisible():
                continue
            name = f"{path} ▸ {plain(action.text())}" if path else plain(action.text())
            if action.menu() is not None:
                yield from walk(action.menu().actions(), name)
            else:
                yield name, action
    yield from walk(window.menuBar().actions(), "")


def tab_buttons(tab: QWidget) -> list[QAbstractButton]:
    """The buttons a person can press on ``tab`` now, in the order Tab reaches them."""
    buttons = [b for b in tab.findChildren(QAbstractButton)
               if isinstance(b, QPushButton | QToolButton)
               and not isinstance(b, QCheckBox | QRadioButton)
               and not isinstance(b.parent(), QTabBar)
               and b.isVisibleTo(tab) and b.window() is tab.window()]
    return buttons


def context_menu_actions(tab: QWidget, qtbot) -> list[tuple[str, QWidget, QAction]]:
    """Actions of the context menus in ``tab``: widgets with their own actions, and views
    that build a menu when right-clicked (caught on its way to the screen)."""
    found: list[tuple[str, QWidget, QAction]] = []
    for widget in [tab, *tab.findChildren(QWidget)]:
        if not widget.isVisibleTo(tab):
            continue
        policy = widget.contextMenuPolicy()
        if policy == Qt.ContextMenuPolicy.ActionsContextMenu:
            found += [(plain(a.text()), widget, a) for a in widget.actions()
                      if not a.isSeparator()]
        elif policy == Qt.ContextMenuPolicy.CustomContextMenu or (
                isinstance(widget, QAbstractItemView)
                and type(widget).contextMenuEvent is not QAbstractItemView.contextMenuEvent):
            for action in _right_click_menu(widget):
                found.append((plain(action.text()), widget, action))
    return found


def _right_click_menu(widget: QWidget) -> list[QAction]:
    """Right-click ``widget`` (its first row, for a list) and catch the menu it shows."""
    caught: list[QMenu] = []
    original_exec, original_popup = QMenu.exec, QMenu.popup

    def catch(menu, *args, **kwargs):
        caught.append(menu)
        return None

    QMenu.exec, QMenu.popup = catch, catch
    try:
        target = widget
        point = QPoint(5, 5)
        if isinstance(widget, QAbstractItemView):
            model = widget.model()
            if model is not None and model.rowCount() > 0:
                index = model.index(0, 0)
                widget.setCurrentIndex(index)
                point = widget.visualRect(index).center()
            target = widget.viewport()
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                  target.mapToGlobal(point))
        QApplication.sendEvent(target, event)
        QApplication.processEvents()
    finally:
        QMenu.exec, QMenu.popup = original_exec, original_popup
    return [a for menu in caught for a in menu.actions()
            if not a.isSeparator() and a.isVisible()]
