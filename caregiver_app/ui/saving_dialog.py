"""``SavingDialog``: a form that saves itself when OK is pressed.

A subclass builds its fields, registers each under the name the domain uses for it
(``self.errors.add("note", widget, label)``: ``domain.fields`` and the domain's
validators raise ``ValidationError`` keyed by those names), and implements
``save_form()``: read the fields and save them through the ``save`` function it was
given. OK runs it. When the domain refuses, each message is shown next to its field and
the dialog stays open with everything typed in it (nothing is half-saved: the save
function writes all or nothing); when nothing could be written (``NotSaved``: a full
disk), the message says what was not saved (``not_saved``). Escape and Cancel ask
before throwing typed work away (``FormDialog``).

``ask(...)`` opens the dialog and returns what ``save_form()`` returned, or None when
it was cancelled. ``save_form()`` may return ``STAY_OPEN`` when the person declined at a
confirmation it asked: nothing was saved and the dialog stays open as it was. A dialog
that shows some messages its own way (a message per phone number) overrides
``show_errors``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from caregiver_app.domain.errors import ValidationError
from caregiver_app.ui.form_dialog import FormDialog
from caregiver_app.ui.forms import FormErrors, errors_of

#: What ``save_form()`` returns when nothing was saved on purpose (the person said no
#: at a confirmation): the dialog stays open with everything in it.
STAY_OPEN: Any = object()


class SavingDialog(FormDialog):
    #: Completes "… because the disk is full" when nothing could be written.
    not_saved: str = "This was not saved"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.errors = FormErrors()
        self._result: object = None
        self._saved = False

    @classmethod
    def ask(cls, *args: Any, **kwargs: Any) -> Any:
        """Show the dialog; what it saved, or None if cancelled.

        The dialog belongs to this call: it is made here (a child of ``parent``, which
        would otherwise keep it, hidden, as long as it lives: about 1 MB for a 2,000-card
        import preview, once per import) and deleted once it has closed. Its result is
        read first; the deletion waits for the event loop (``deleteLater``), so nothing
        still running in it (a slot that closed it) is cut off. Nothing keeps it.
        """
        dialog = cls(*args, **kwargs)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_value()
        finally:
            dialog.deleteLater()

    def result_value(self) -> object:
        """What ``save_form()`` returned (None until it succeeded)."""
        return self._result

    def save_form(self) -> object:
        """Read the fields and save them; raise ``ValidationError`` (keyed by field
        name) when they cannot be saved. Returns what was saved."""
        raise NotImplementedError

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each message next to its field (``self.errors``); ``{}`` clears them."""
        self.errors.show(errors)

    def try_accept(self) -> bool:
        """OK: save and close; False (still open, what was typed kept) when not saved."""
        self.accept()
        return self._saved

    def accept(self) -> None:
        self._saved = False
        try:
            result = self.save_form()
        except ValidationError as exc:
            self.show_errors(errors_of(exc, self.not_saved))
            return
        if result is STAY_OPEN:
            return
        self._saved = True
        self._result = result
        self.show_errors({})  # none left (a dialog kept for its answer reads as saved)
        super().accept()
