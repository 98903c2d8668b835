"""Finds what a person cannot see: controls cut off, squeezed below their size, or off
the screen. Used by ``tests/ui/test_layout_fits.py``, which runs this module in a fresh
process per screen (``python tests/layout_check.py --text-scale 1.5``), because the
screen size and device pixel ratio are fixed when Qt starts.

A control passes when it is

- inside the screen's available area (the window and every dialog too),
- not cut by any widget around it, except a scroll area's viewport that can scroll to it
  (then it is reachable by scrolling),
- at least its minimum size (a label wrapped to its width is as tall as its lines; a
  button as tall and wide as its text),
- an empty field's grey hint (placeholder) shown whole, and
- in a list or table, each shown cell's text fits its cell (wrapped when the view wraps).

The sweep opens the example household, every tab (Today also in its own Large text view),
and every dialog a menu item or a button whose text ends in "…" opens, with the first row
of each list selected, and answers each dialog with Cancel. It prints a JSON report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

#: Pixels a measured size may fall short by (rounding of fractional font metrics).
SLACK = 1
#: Cells checked per view (the first rows are where the layout is decided).
ROWS_PER_VIEW = 40
#: Rows of each table whose own dialogs are opened too (the first row opens them all).
ROWS_PER_TABLE = 12
#: The buttons opened again for each of those rows: the dialogs showing the row's texts.
PER_ROW_BUTTONS = ("Change", "History", "Pause", "Stop", "Open")

LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
          "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}


def screen_config(path: Path) -> str:
    """The offscreen platform with one 1366×768 screen (``QT_QPA_PLATFORM``)."""
    path.write_text(json.dumps({"screens": [LAPTOP]}))
    return f"offscreen:configfile={path}"


# ---- The checks


def _kind(widget) -> str:
    name = widget.accessibleName() or getattr(widget, "text", lambda: "")() or ""
    name = name.replace("&", "").replace("\n", " ")[:50]
    return f"{type(widget).__name__}({name!r})" if name else type(widget).__name__


def _is_control(widget) -> bool:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSlider,
        QAbstractSpinBox,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QProgressBar,
        QScrollBar,
        QTabBar,
        QTextEdit,
    )

    if isinstance(widget, QScrollBar):
        return False
    if isinstance(widget, QLineEdit) and isinstance(
            widget.parent(), (QAbstractSpinBox, QComboBox)):
        return False  # the editor inside a spin box or combo box: checked as that
    if isinstance(widget, QLabel):
        return bool(widget.text().strip()) or (widget.pixmap() is not None and \
            not widget.pixmap().isNull())
    if isinstance(widget, QAbstractButton) and isinstance(widget.parent(), QTabBar):
        return False  # the tab bar's own scroll arrows
    return isinstance(widget, (QAbstractButton, QAbstractItemView, QAbstractSlider,
                               QAbstractSpinBox, QComboBox, QGroupBox, QLabel, QLineEdit,
                               QPlainTextEdit, QProgressBar, QTabBar, QTextEdit))


def _scroll_area_of_viewport(widget):
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parent()
    if isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget:
        return parent
    return None


def _clipping(widget, window) -> str:
    """Why ``widget`` is not wholly visible inside ``window`` ("" when it is)."""
    from PySide6.QtCore import QPoint, QRect, Qt

    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window.parentWidget():
        visible = QRect(parent.mapTo(window, QPoint(0, 0)), parent.size())
        if not visible.contains(rect):
            area = _scroll_area_of_viewport(parent)
            if area is None:
                return f"cut off by {_kind(parent)}"
            policy_off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            wide = rect.left() < visible.left() or rect.right() > visible.right()
            tall = rect.top() < visible.top() or rect.bottom() > visible.bottom()
            if wide and (area.horizontalScrollBarPolicy() == policy_off
                         or area.horizontalScrollBar().maximum() == 0):
                return f"cut off at the side of {_kind(area)}, which cannot scroll there"
            if tall and (area.verticalScrollBarPolicy() == policy_off
                         or area.verticalScrollBar().maximum() == 0):
                return f"cut off at the bottom of {_kind(area)}, which cannot scroll there"
            return ""  # reachable by scrolling (the rest is checked at the scroll area)
        if parent is window:
            break
        parent = parent.parentWidget()
    return ""


def _squeezed(widget) -> str:
    """How ``widget`` is smaller than what it shows ("" when it is not)."""
    from PySide6.QtWidgets import QAbstractItemView, QLabel, QPlainTextEdit, QTextEdit

    if isinstance(widget, (QAbstractItemView, QTextEdit, QPlainTextEdit)):
        return ""  # they scroll their content; cells are checked separately
    from PySide6.QtWidgets import QLineEdit

    if isinstance(widget.parentWidget(), QLineEdit):
        return ""  # a field's own icon button (a date's calendar): Qt sizes it to its icon
    width, height = widget.width(), widget.height()
    if isinstance(widget, QLabel) and widget.wordWrap():
        need = widget.heightForWidth(width)
        longest = widget.minimumSizeHint().width()
        if need > height + SLACK:
            return f"{height} px tall, its wrapped text needs {need}"
        if longest > width + SLACK:
            return f"{width} px wide, a word needs {longest}"
        return ""
    from caregiver_app.ui.widgets import TypedField

    if isinstance(widget, TypedField) and widget.text():  # (a date or time: cut, it
        room, need = placeholder_room(widget), widget.fontMetrics().horizontalAdvance(
            widget.text())  # reads as another: "7 Dec 2026" as "Dec 2026")
        if need > room + SLACK:
            return f"{room} px for its value, {widget.text()!r} needs {need}"
    if isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
        room, need = placeholder_room(widget), placeholder_width(widget)
        if need > room + SLACK:
            return f"{room} px for its text, its hint {widget.placeholderText()!r} needs {need}"
    hint = widget.minimumSizeHint()
    if not hint.isValid():
        hint = widget.sizeHint()
    if hint.height() > height + SLACK:
        return f"{height} px tall, needs {hint.height()}"
    if hint.width() > width + SLACK:
        return f"{width} px wide, needs {hint.width()}"
    return ""


def placeholder_width(field) -> int:
    """How wide ``field``'s placeholder (its grey hint) is in the field's font."""
    return field.fontMetrics().horizontalAdvance(field.placeholderText())


def placeholder_room(field) -> int:
    """How wide the text of the QLineEdit ``field`` may be: as ``QLineEdit`` paints it,
    its contents less its text margins, its 2-pixel margins and its icon buttons."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame, QToolButton

    option = QStyleOptionFrame()
    field.initStyleOption(option)
    contents = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents,
                                            option, field)
    margins = field.textMargins()
    buttons = sum(button.width() for button in field.findChildren(QToolButton)
                  if button.isVisible() and button.parentWidget() is field)
    return contents.width() - margins.left() - margins.right() - 2 * 2 - buttons


def _cells(view) -> tuple[int, list[str]]:
    """(cells checked, cells whose text does not fit) among the first rows shown."""
    from PySide6.QtCore import QModelIndex, QRect, Qt
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QTableView, QTreeView

    model = view.model()
    if model is None or not isinstance(view, (QTableView, QTreeView)):
        return 0, []
    from PySide6.QtWidgets import QStyle

    problems: list[str] = []
    checked = 0
    wrap = view.wordWrap()
    viewport = view.viewport().rect()

    # the item's text margin on each side, as the style draws it (QCommonStyle)
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1

    def rows(parent: QModelIndex):
        for row in range(model.rowCount(parent)):
            yield model.index(row, 0, parent)
            first = model.index(row, 0, parent)
            if isinstance(view, QTreeView) and view.isExpanded(first):
                yield from rows(first)

    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    if header is not None and not header.isHidden():
        # a header whose titles wrap (TextWordWrap) must be tall enough for their lines
        wraps = bool(header.defaultAlignment() & Qt.TextFlag.TextWordWrap)
        chrome = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None,
                                                header)
        title_metrics = QFontMetrics(header.font())
        for column in range(model.columnCount()):
            if header.isSectionHidden(column) or header.sectionSize(column) <= 0:
                continue
            checked += 1
            title = model.headerData(column, Qt.Orientation.Horizontal)
            width = header.sectionSize(column)
            if not title:
                continue
            if not wraps:
                need = header.sectionSizeHint(column)
                if need > width + SLACK:
                    problems.append(f"{_kind(view)} column title {title!r}: "
                                    f"{width} px wide, needs {need}")
                continue
            room = width - chrome
            lines = title_metrics.boundingRect(QRect(0, 0, max(room, 1), 100_000),
                                               int(Qt.TextFlag.TextWordWrap), str(title))
            if lines.width() > room + SLACK or lines.height() + chrome > header.height() + SLACK:
                problems.append(f"{_kind(view)} column title {title!r}: {width}×"
                                f"{header.height()} px, needs {lines.width() + chrome}×"
                                f"{lines.height() + chrome} (wrapped)")
    for count, first in enumerate(rows(QModelIndex())):
        if count >= ROWS_PER_VIEW:
            break
        for column in range(model.columnCount(first.parent())):
            if (isinstance(view, QTreeView) and view.isColumnHidden(column)) or (
                    isinstance(view, QTableView) and view.isColumnHidden(column)):
                continue
            index = first.siblingAtColumn(column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            rect = view.visualRect(index)
            if not text or rect.isEmpty() or not viewport.intersects(rect):
                continue
            if isinstance(view, QTreeView) and view.isFirstColumnSpanned(
                    first.row(), first.parent()):
                continue  # a heading across the row
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
            room = rect.adjusted(margin, 0, -margin, 0)
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                icon = view.iconSize().width()
                if icon <= 0:
                    icon = view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
                room.setLeft(room.left() + icon + 2 * margin)
            flags = Qt.TextFlag.TextWordWrap if wrap else Qt.TextFlag.TextSingleLine
            need = metrics.boundingRect(QRect(0, 0, max(room.width(), 1), 100_000),
                                        int(flags), str(text))
            checked += 1
            if need.width() > room.width() + SLACK or need.height() > rect.height() + SLACK:
                header = model.headerData(column, Qt.Orientation.Horizontal)
                problems.append(
                    f"{_kind(view)} cell {header or column!s} {str(text)[:40]!r}: "
                    f"{rect.width()}×{rect.height()} px, needs {need.width()}×{need.height()}")
    return checked, problems


#: Cells and titles checked per list (by accessible name), over the whole sweep.
LISTS: dict[str, int] = {}


def check_window(window, label: str) -> tuple[int, int, list[str]]:
    """(controls checked, cells checked, problems) in the shown top-level ``window``."""
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

    for _ in range(3):  # a layout change can ask for another (a scroll area's page)
        QApplication.processEvents()
    problems: list[str] = []
    from caregiver_app.ui.screen_fit import available_area

    screen = available_area(window)
    frame = window.frameGeometry()
    if not screen.contains(frame):
        problems.append(f"{label}: the window {frame.getRect()} is outside the screen "
                        f"{screen.getRect()}")
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    if minimum.height() > screen.height() or minimum.width() > screen.width():
        problems.append(f"{label}: needs at least {minimum.width()}×{minimum.height()}, "
                        f"the screen has {screen.width()}×{screen.height()}")
    controls = cells = 0
    for widget in window.findChildren(QWidget):
        if (not widget.isVisible() or QWidget.window(widget) is not window
                or not _is_control(widget)):  # (QWidget.window: a form has a "window" field)
            continue
        controls += 1
        why = _clipping(widget, window) or _squeezed(widget)
        if why:
            problems.append(f"{label}: {_kind(widget)} {why}")
        if isinstance(widget, QAbstractItemView):
            n, cut = _cells(widget)
            cells += n
            name = widget.accessibleName() or type(widget).__name__
            LISTS[name] = LISTS.get(name, 0) + n
            problems += [f"{label}: {p}" for p in cut]
    return controls, cells, problems


# ---- The sweep


class _FixedClock:
    def __init__(self, moment: datetime):
        self._now = moment

    def now(self) -> datetime:
        return self._now


def _plain(text: str) -> str:
    return text.replace("&", "")


def sweep(text_scale: float) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QApplication,
        QDialog,
        QFileDialog,
        QMessageBox,
        QTableView,
    )

    from caregiver_app import APP_NAME, ORG_NAME, app

    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName(ORG_NAME)
    report: dict = {"screen": None, "windows": [], "controls": 0, "cells": 0,
                    "dialogs": [], "skipped": [], "problems": [], "per_row": 0}

    def record(window, label: str) -> None:
        controls, cells, problems = check_window(window, label)
        report["windows"].append(label)
        report["controls"] += controls
        report["cells"] += cells
        report["problems"] += problems

    def answer(dialog, *_args) -> int:
        """Each dialog: shown as the app shows it, checked, then Cancel."""
        title = dialog.windowTitle() or type(dialog).__name__
        if isinstance(dialog, QFileDialog):  # Qt's own, not the app's: not checked
            report["skipped"].append(title)
            return QDialog.DialogCode.Rejected
        dialog.show()
        if os.environ.get("LAYOUT_DEBUG") and dialog.layout() is not None:
            lay = dialog.layout()
            print(title, dialog.size(), dialog.minimumSizeHint(), dialog.minimumSize(),
                  lay.totalHeightForWidth(dialog.width()), file=sys.stderr)
        QApplication.processEvents()
        record(dialog, f"dialog {title!r}")
        report["dialogs"].append(title)
        dialog.reject()
        return QDialog.DialogCode.Rejected

    from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog, QPrintPreviewDialog

    for kind in (QDialog, QMessageBox, QFileDialog, QPrintDialog, QPrintPreviewDialog,
                 QPageSetupDialog):  # the classes that bind their own exec()
        kind.exec = answer
    for name in ("critical", "warning", "information", "question"):
        setattr(QMessageBox, name,
                staticmethod(lambda *a, **k: QMessageBox.StandardButton.Cancel))
    QMessageBox.about = staticmethod(lambda *a, **k: None)
    for name in ("getOpenFileName", "getSaveFileName"):
        setattr(QFileDialog, name, staticmethod(lambda *a, **k: ("", "")))
    QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: "")

    with tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp) / "data"
        settings.mkdir()
        (settings / "ui-settings.ini").write_text(
            f"[view]\ntext_scale={text_scale}\n")
        ctx = app.build_context(settings, is_example=True,
                                clock=_FixedClock(datetime(2026, 12, 7, 19, 30, tzinfo=UTC)))
        from caregiver_app.services.demo import populate_example

        populate_example(ctx.db, today=ctx.local_today(), time_zone=app.system_time_zone(),
                         now=ctx.clock.now())
        ctx.core.announce_all()
        ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)
        window = ctx.window
        for key in window.tabs.tab_keys():  # every tab, as once the window is idle
            window.tab_widget(key)  # (ui.lazy_tabs builds the others then)
        window.show()
        QApplication.processEvents()
        from caregiver_app.ui.screen_fit import available_area

        report["screen"] = available_area(window).getRect()
        report["window"] = window.frameGeometry().getRect()
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            key = window.current_tab_key()
            tab = window.tabs.widget(index)
            for view in tab.findChildren(QAbstractItemView):
                if view.isVisible() and view.model() is not None and \
                        view.model().rowCount() and not view.currentIndex().isValid():
                    view.setCurrentIndex(view.model().index(0, 0))
            QApplication.processEvents()
            record(window, f"tab {key}")
            if key == "today":
                tab.set_large_text(True)
                record(window, "tab today, Large text")
                tab.set_large_text(False)
            buttons = [b for b in tab.findChildren(QAbstractButton)
                       if b.isVisible() and b.isEnabled() and b.text().endswith("…")]
            for button in buttons:
                if button.isVisible() and button.isEnabled():
                    button.click()
                    _close_open_dialogs(answer)
            # each row of a table (a medicine, an appointment): the dialogs its buttons
            # open show that row's own texts (a taper's steps, a cycle's next doses)
            for view in tab.findChildren(QTableView):
                if not view.isVisible() or view.model() is None:
                    continue
                for row in range(1, min(view.model().rowCount(), ROWS_PER_TABLE)):
                    view.setCurrentIndex(view.model().index(row, 0))
                    for button in buttons:
                        if button.isVisible() and button.isEnabled() and \
                                _plain(button.text()).startswith(PER_ROW_BUTTONS):
                            button.click()
                            _close_open_dialogs(answer)
                            report["per_row"] += 1
        for menu_action in _menu_actions(window):
            if _plain(menu_action.text()).endswith("…") and menu_action.isEnabled():
                menu_action.trigger()
                _close_open_dialogs(answer)
        QTimer.singleShot(0, lambda: None)
        QApplication.processEvents()
        ctx.close()
    report["lists"] = dict(LISTS)
    return report


def _close_open_dialogs(answer) -> None:
    """Dialogs opened with ``open()`` or ``show()`` (not ``exec()``): check and cancel."""
    from PySide6.QtWidgets import QApplication, QDialog

    QApplication.processEvents()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            answer(widget)
    QApplication.processEvents()


def _menu_actions(window):
    def walk(actions):
        for action in actions:
            if action.menu() is not None:
                yield from walk(action.menu().actions())
            elif not action.isSeparator():
                yield action

    return list(walk(window.menuBar().actions()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--text-scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = sweep(args.text_scale)
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
