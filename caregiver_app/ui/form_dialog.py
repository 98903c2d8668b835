"""``FormDialog``: what every dialog of the app does the same way.

- **Escape, Cancel and the window's close button ask before throwing typed work away**
  ("Discard your changes?", default *Keep editing*), and close at once when nothing was
  changed. What counts as changed is read from the dialog's own fields when it first
  shows (text boxes, text areas, tick boxes and choices, lists and tables that can be
  edited) plus ``extra_state()``; ``mark_unchanged()`` takes a new reading after a save
  that keeps the dialog open; ``discard()`` closes without asking.
- **The first keystroke lands in the first field**: on first showing, the focus goes to
  ``initial_focus()`` (by default the first field in the Tab order that is shown, enabled
  and takes typing; never a scroll area or a button), its focus ring shown at once.
  Scroll areas take no focus of their own: they follow the field that has it.
- **The mouse wheel** never changes a field the person did not click into
  (``ui.wheel``, installed here so a dialog opened on its own is covered too).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.ui import messages, wheel
from caregiver_app.ui.screen_fit import available_area, fit_on_screen

#: Most cells of an editable table read for "changed?" (a dialog holds a few dozen).
_MAX_CELLS = 2000


class FormDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        wheel.install()
        self._unchanged: tuple | None = None
        self._shown_before = False

    # ---- Public API

    def is_changed(self) -> bool:
        """True when a field differs from what the dialog opened with."""
        return self._unchanged is not None and self.form_state() != self._unchanged

    def mark_unchanged(self) -> None:
        self._unchanged = self.form_state()

    def discard(self) -> None:
        """Close as cancelled without asking (the caller has already decided)."""
        self._unchanged = None
        super().reject()

    def initial_focus(self) -> QWidget | None:
        """Where the first keystroke goes; override to choose another field."""
        return first_field(self)

    def extra_state(self) -> tuple:
        """What else counts as a change (state kept outside the fields)."""
        return ()

    def form_state(self) -> tuple:
        """Everything that counts for "changed?": each field's value, then
        ``extra_state()``. A dialog whose fields come and go overrides this."""
        values: list[object] = []
        for widget in self.findChildren(QWidget):
            if QWidget.window(widget) is not self:  # (some widgets have a "window" field)
                continue  # a completion list or a calendar pop-up
            value = _value(widget)
            if value is not None:  # (a list's scroll bars move in the children's order
                values.append(value)  # as they show and hide: only fields count)
        return (*values, *self.extra_state())

    # ---- Qt overrides

    def reject(self) -> None:
        if self.is_changed() and not messages.confirm_discard(self):
            return
        super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        for timer in self.findChildren(QTimer):  # a preview due "in a moment": not now
            timer.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not event.spontaneous():  # closed by the app itself, not by a person
            self._unchanged = None
        super().closeEvent(event)  # QDialog: reject(), which asks when a person closes it

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown_before:
            return
        self._shown_before = True
        scroll_when_too_tall(self)
        fit_on_screen(self)  # a small screen or large text: never below the screen's edge
        for area in self.findChildren(QScrollArea):
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        target = self.initial_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.mark_unchanged()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            # the focus shows: the style draws its ring only once the focus moved by
            # keyboard in the window, and the focus Qt gives the window as it becomes
            # active (once this has run) says it did not, so a first choice or tick box
            # looked unfocused until a Tab
            QTimer.singleShot(0, self, self._show_focus)

    def _show_focus(self) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
        focus = self.focusWidget()
        if focus is not None:
            focus.update()



def scroll_when_too_tall(dialog: QDialog) -> bool:
    """When ``dialog``'s fields need more height than its screen has (a small laptop,
    large text), put them in a scroll area, its OK/Cancel row staying below in view.
    True if it did."""
    layout = dialog.layout()
    if layout is None or isinstance(dialog.findChild(QScrollArea), QScrollArea):
        return False
    room = available_area(dialog).height()
    width = max(dialog.width(), layout.totalMinimumSize().width())
    need = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
            else layout.totalSizeHint().height())
    if need <= room:
        if dialog.height() < need:  # wrapped text needs more than the layout's minimum
            dialog.resize(dialog.width(), need)
        return False
    buttons = None
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    if last is not None and isinstance(last.widget(), QDialogButtonBox):
        buttons = last.widget()
        layout.removeWidget(buttons)
    page = QWidget()
    page.setLayout(layout)  # takes the layout and its fields from the dialog
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(page)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area, 1)
    if buttons is not None:
        row = QHBoxLayout()
        row.setContentsMargins(9, 0, 9, 9)
        row.addWidget(buttons)
        outer.addLayout(row)
    wheel.install()
    dialog.resize(width + area.verticalScrollBar().sizeHint().width(), room)
    return True


def _value(widget: QWidget) -> object:
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit):
        part_of = isinstance(parent, QAbstractSpinBox | QComboBox)
        return None if part_of else widget.text()
    if isinstance(widget, QPlainTextEdit):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QCheckBox | QRadioButton):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QHeaderView):
        return None  # column titles: its list's cells are read from the list
    if isinstance(widget, QAbstractItemView):
        if widget.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
            return None
        return _cells(widget)
    return None


def _cells(view: QAbstractItemView) -> tuple:
    model = view.model()
    if model is None:
        return ()
    rows, columns = model.rowCount(), model.columnCount()
    cells = []
    for row in range(rows):
        for column in range(columns):
            if len(cells) >= _MAX_CELLS:
                return (rows, columns, *cells)
            cells.append(model.index(row, column).data(Qt.ItemDataRole.EditRole))
    return (rows, columns, *cells)


def takes_typing(widget: QWidget) -> bool:
    """A field (not a button, a tab, a scroll area or a read-only view) that Tab can
    reach."""
    if not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
        return False
    if isinstance(widget, QScrollArea | QTabBar) or (
            isinstance(widget, QAbstractButton)
            and not isinstance(widget, QCheckBox | QRadioButton)):
        return False
    if isinstance(widget, QAbstractItemView) and \
            widget.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
        return False
    return not (isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit)
                and widget.isReadOnly())


def first_field(window: QWidget) -> QWidget | None:
    """The first field in ``window``'s Tab order that is shown, enabled and takes typing."""
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window:
        if (widget.isVisibleTo(window) and widget.isEnabled() and widget.focusProxy() is None
                and takes_typing(widget)):
            return widget
        widget = widget.nextInFocusChain()
    return None
