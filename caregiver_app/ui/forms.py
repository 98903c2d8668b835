"""Inline validation: a message next to each field, never a pop-up.

Dialogs register each field's widget with ``FormErrors.add(field, widget)``;
``show(errors)`` puts each message from a ``ValidationError`` under its field,
marks the field for screen readers, and moves focus to the first one.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from caregiver_app.domain.errors import NotSaved, ValidationError
from caregiver_app.ui.tones import Tone, keep_toned


class ErrorLabel(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        keep_toned(self, Tone.ERROR)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Error")
        self.hide()

    def set_message(self, message: str) -> None:
        self.setText(f"⚠ {message}" if message else "")
        self.setVisible(bool(message))
        if message:
            _room_for(self)


def _room_for(label: QLabel) -> None:
    """Make the shown dialog tall enough for ``label``'s lines: a top-level window does
    not grow by itself for a wrapped label that appears (its last line was cut off)."""
    window = label.window()
    if not isinstance(window, QDialog) or not window.isVisible():
        return
    need = window.heightForWidth(window.width())
    screen = window.screen()
    if screen is not None:
        need = min(need, screen.availableGeometry().height())
    if window.height() < need:
        window.resize(window.width(), need)


def with_error(field: QWidget) -> tuple[QWidget, ErrorLabel]:
    """Wrap ``field`` with an error label under it, for use in a QFormLayout row.

    The wrapper hands focus to ``field``, so a row label's shortcut (``"Full &name:"``,
    whose buddy is the wrapper) lands in the field."""
    box = QWidget()
    # A label's shortcut only moves focus to a buddy that takes focus: the wrapper takes
    # it by click (never by Tab, so it adds no stop of its own) and hands it to the field,
    # or to the first control inside it when the field is a row of several.
    box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    box.setFocusProxy(_focus_target(field))
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    label = ErrorLabel(box)
    layout.addWidget(label)
    from caregiver_app.ui.widgets import TypedField

    for typed in ([field] if isinstance(field, TypedField) else field.findChildren(TypedField)):
        typed.problem_changed.connect(label.set_message)  # "31 Feb" is not a date
    return box, label


def _focus_target(field: QWidget) -> QWidget:
    if field.focusPolicy() != Qt.FocusPolicy.NoFocus or field.focusProxy() is not None:
        return field
    return next((w for w in field.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus), field)


class FormErrors:
    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, ErrorLabel]] = {}
        self._general: ErrorLabel | None = None
        self._messages: dict[str, str] = {}

    def add(self, name: str, widget: QWidget, label: ErrorLabel) -> None:
        from caregiver_app.ui.widgets import TypedField

        self._fields[name] = (widget, label)
        for typed in ([widget] if isinstance(widget, TypedField)
                      else widget.findChildren(TypedField)):
            typed.field_name = name  # its "not a date" message goes under it

    def set_general(self, label: ErrorLabel) -> None:
        """Where messages for fields without their own label go."""
        self._general = label

    def message(self, name: str) -> str:
        """The message shown for ``name`` now ("" if none); for tests and screen readers."""
        return self._messages.get(name, "")

    def clear(self) -> None:
        self._messages = {}
        for widget, label in self._fields.values():
            label.set_message("")
            widget.setAccessibleDescription("")
        if self._general is not None:
            self._general.set_message("")

    def show(self, errors: Mapping[str, str]) -> None:
        self.clear()
        first: QWidget | None = None
        leftovers = []
        for name, message in errors.items():
            entry = self._fields.get(name)
            if entry is None:
                leftovers.append(message)
                continue
            widget, label = entry
            self._messages[name] = message
            label.set_message(message)
            widget.setAccessibleDescription(message)
            first = first or widget
        if leftovers and self._general is not None:
            self._messages["_general"] = " ".join(leftovers)
            self._general.set_message(self._messages["_general"])
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            from caregiver_app.ui.widgets import TypedField

            if isinstance(first, TypedField):
                first.selectAll()  # "31 Feb" is retyped, not added to


def errors_of(exc: ValidationError, what: str) -> dict[str, str]:
    """``exc.errors`` for a form; when nothing could be written (``NotSaved``: a full
    disk) the message names what was not saved ("This contact was not saved, because
    the disk is full. …")."""
    if isinstance(exc, NotSaved):
        return {NotSaved.FIELD: exc.sentence(what)}
    return dict(exc.errors)
