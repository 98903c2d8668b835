"""Settle contacts: what the family's address book and the care team cannot settle
alone, one contact at a time (``services.sharing.cards.CardSync.waiting``).

- the same field changed here and on a phone: both versions of each such field side by
  side, and the person chooses one of them for each (nothing is chosen for them);
- a contact deleted on one side: remove it on the other side too, or keep it.

"Later" leaves it waiting; nothing moves either way until a person decides.

It is offered in two places, the phones' notes and File ▸ Share with the family…; both
open it through ``settle_contacts``, so what settling does besides (the notes about the
contacts settled are marked seen) is the same from either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.contact_sync import CardState, Side
from caregiver_app.domain.errors import NotSaved, ValidationError
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.screen_fit import available_area, fit_on_screen

TITLE = "Settle contacts"


def wrapped(text: str, columns: int) -> str:
    """``text`` in lines of at most ``columns`` characters (a radio button's text does
    not wrap by itself: long notes or an address would widen the dialog past the
    screen). Its own lines are kept; a long word (an address) is broken."""
    import textwrap

    return "\n".join(textwrap.fill(line, columns, break_long_words=True,
                                    break_on_hyphens=False) or line
                     for line in text.split("\n"))


class SettleContactsDialog(QDialog):
    """See the module's doc. ``cards``: the ``CardSync``; ``settled``: called after each
    decision (the window syncs soon after); ``first``: the card to show first (the one a
    note was about). ``decided`` lists the cards settled so far."""

    def __init__(self, cards: Any, *, settled: Callable[[], None], first: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._cards = cards
        self._settled = settled
        self._waiting = sorted(cards.waiting(), key=lambda w: w.card.uid != first)
        self.decided: list[str] = []
        self._done = 0
        self._groups: dict[str, QButtonGroup] = {}
        layout = QVBoxLayout(self)
        self.count_label = QLabel("")
        layout.addWidget(self.count_label)
        self.question = QLabel("")
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 1)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        layout.addWidget(self.buttons)
        self._show()

    # ---- one contact at a time

    def _show(self) -> None:
        self.error.set_message("")
        self.buttons.clear()
        old = self.body_layout.takeAt(0)
        if old is not None and old.widget() is not None:
            old.widget().deleteLater()
        self._groups = {}
        if not self._waiting:
            self.accept()
            return
        item = self._waiting[0]
        total = self._done + len(self._waiting)
        self.count_label.setText(f"Contact {self._done + 1} of {total}")
        self.question.setText(item.question())
        page = QWidget()
        if item.card.state is CardState.CONFLICT:
            grid = QGridLayout(page)
            grid.addWidget(QLabel("<b>Field</b>"), 0, 0)
            grid.addWidget(QLabel("<b>On this computer</b>"), 0, 1)
            grid.addWidget(QLabel("<b>On the phones</b>"), 0, 2)
            # each of the three columns gets at most a third of the screen's width
            columns = max(16, available_area(self).width() * 8 // 10 // 3
                          // max(1, self.fontMetrics().averageCharWidth()))
            for row, conflict in enumerate(item.fields, start=1):
                label = QLabel(wrapped(conflict.label, columns))
                label.setTextFormat(Qt.TextFormat.PlainText)
                grid.addWidget(label, row, 0)
                group = QButtonGroup(page)
                for column, (side, text) in enumerate(
                        ((Side.HERE, conflict.here), (Side.THERE, conflict.there)), start=1):
                    where = "this computer" if side is Side.HERE else "the phones"
                    radio = QRadioButton(wrapped(text, columns).replace("&", "&&"))
                    radio.setAccessibleName(f"{conflict.label}: keep {where}'s, {text}")
                    group.addButton(radio)
                    radio.setProperty("side", side.value)
                    radio.toggled.connect(self._update_keep)
                    grid.addWidget(radio, row, column)
                self._groups[conflict.field] = group
            keep = self.buttons.addButton("&Keep the chosen ones",
                                          QDialogButtonBox.ButtonRole.AcceptRole)
            keep.clicked.connect(self._keep_chosen)
            self.keep_button = keep
            self._update_keep()
        else:
            remove_words = ("&Remove it from the care team"
                            if item.card.state is CardState.GONE_THERE
                            else "&Remove it from the phones")
            keep_words = ("&Keep it (it goes back on the phones)"
                          if item.card.state is CardState.GONE_THERE
                          else "&Keep it on the phones")
            remove = self.buttons.addButton(remove_words,
                                            QDialogButtonBox.ButtonRole.DestructiveRole)
            remove.clicked.connect(lambda: self._gone(remove=True))
            keep = self.buttons.addButton(keep_words, QDialogButtonBox.ButtonRole.AcceptRole)
            keep.clicked.connect(lambda: self._gone(remove=False))
        self.body_layout.addWidget(self._scrolled(page))
        later = self.buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        later.clicked.connect(self.reject)
        self._make_room()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._make_room()

    def _make_room(self) -> None:
        """As tall as the wrapped question needs: a window's minimum counts a wrapped
        label as one line, which squeezed the choices under it."""
        layout = self.layout()
        if not self.isVisible() or layout is None or not layout.hasHeightForWidth():
            return
        need = layout.totalHeightForWidth(self.width())
        if self.height() < need:  # (at most the screen's height, wholly on it)
            fit_on_screen(self, QSize(self.width(), need))

    def _scrolled(self, page: QWidget) -> QScrollArea:
        """``page`` in a scroll area as large as it needs, up to most of the screen
        (many fields at a large text size scroll rather than leave the screen)."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        area, hint = available_area(self), page.sizeHint()
        bar = scroll.verticalScrollBar().sizeHint().width()
        scroll.setMinimumSize(min(hint.width() + bar, area.width() * 9 // 10),
                              min(hint.height(), area.height() // 2))
        return scroll

    def _update_keep(self) -> None:
        chosen = all(g.checkedButton() is not None for g in self._groups.values())
        self.keep_button.setEnabled(chosen)

    def _keep_chosen(self) -> None:
        item = self._waiting[0]
        choices = {name: Side(group.checkedButton().property("side"))
                   for name, group in self._groups.items()
                   if group.checkedButton() is not None}
        try:
            self._cards.settle_fields(item.card.uid, choices)
        except NotSaved as exc:  # the records could not be written: nothing was kept
            self.error.set_message(exc.sentence("Nothing was kept"))
            return
        except ValidationError as exc:
            self.error.set_message(exc.errors["changed"] if "changed" in exc.errors else
                                   "These cannot be kept together: "
                                   + " ".join(exc.errors.values()))
            return
        self._next()

    def _gone(self, *, remove: bool) -> None:
        self._cards.settle_gone(self._waiting[0].card.uid, remove=remove)
        self._next()

    def _next(self) -> None:
        self.decided.append(self._waiting.pop(0).card.uid)
        self._done += 1
        self._settled()
        self._show()


def settle_contacts(cards: Any, notes: Any, *, settled: Callable[[], None],
                    first: str = "", parent: QWidget | None = None) -> list[str]:
    """Settle contacts…, wherever it is opened from: the dialog (``cards``, the
    ``CardSync``; ``settled`` and ``first`` as ``SettleContactsDialog`` takes them), then
    the phones' notes (``notes``, the ``PhoneNotes``) about each contact settled that
    were there when it opened are marked seen. Returns the cards settled."""
    shown = [note.id for note in notes.lines()]
    dialog = SettleContactsDialog(cards, settled=settled, first=first, parent=parent)
    dialog.exec()
    notes.contacts_settled(dialog.decided, shown=shown)
    return list(dialog.decided)


__all__ = ["SettleContactsDialog", "settle_contacts"]
