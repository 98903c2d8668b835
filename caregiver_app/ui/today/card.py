"""The selected dose on the Today tab: what it is, what to know, its state and history,
and the big buttons (Given, Given at another time, Skip, Snooze, Correct)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.reminders import SNOOZE_CHOICES
from caregiver_app.domain.today import Look
from caregiver_app.ui.today.delegate import STATE_COLOURS

#: Padding in em, so the buttons grow with the text size.
BUTTON_STYLE = "QPushButton { padding: 0.45em 0.9em; text-align: left; }"


class DoseCard(QFrame):
    """Shows one row of the Today tab. The tab decides what each button does."""

    medicine_clicked = Signal()
    """The medicine's name was clicked (show it in the Medications tab)."""

    snooze_chosen = Signal(int)
    """A snooze length (minutes) was chosen from the Snooze menu."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Selected dose")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)

        self.name_button = QPushButton()
        self.name_button.setFlat(True)
        self.name_button.setAccessibleName("Show the medicine in Medications")
        self.name_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.name_button.setToolTip("Show this medicine in the Medications tab")
        self.name_button.setStyleSheet("QPushButton { text-align: left; padding: 0.1em; "
                                       "text-decoration: underline; }")
        self.name_button.clicked.connect(self.medicine_clicked)
        layout.addWidget(self.name_button)

        self.when_label = self._label("When")
        self.dose_label = self._label("Dose")
        self.notes_label = self._label("What to know now")
        self.state_label = self._label("State")
        self.state_label.setMargin(4)
        self.history_label = self._label("Record history")
        for label in (self.when_label, self.dose_label, self.notes_label, self.state_label,
                      self.history_label):
            layout.addWidget(label)

        grid = QGridLayout()
        self.given_button = self._button("✓  &Given now", "Record it as given now (G)")
        self.given_at_button = self._button("Given at &another time…",
                                            "Record it as given at another time (Shift+G)")
        self.skip_button = self._button("⊘  &Skip…", "Record that it was not given, and why (S)")
        self.snooze_button = self._button("◷  Snoo&ze", "Remind me again later (Z)")
        self.snooze_menu = QMenu(self.snooze_button)
        self.snooze_actions = {}
        for minutes in SNOOZE_CHOICES:
            action = self.snooze_menu.addAction(f"{minutes} minutes")
            action.triggered.connect(lambda _=False, m=minutes: self.snooze_chosen.emit(m))
            self.snooze_actions[minutes] = action
        self.snooze_button.setMenu(self.snooze_menu)
        self.correct_button = self._button("Co&rrect this record…",
                                           "Fix a record made by mistake (C). The old record "
                                           "stays in the history.")
        grid.addWidget(self.given_button, 0, 0, 1, 2)
        grid.addWidget(self.given_at_button, 1, 0, 1, 2)
        grid.addWidget(self.skip_button, 2, 0)
        grid.addWidget(self.snooze_button, 2, 1)
        grid.addWidget(self.correct_button, 3, 0, 1, 2)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.show_row(None)

    # ---- Public API

    def buttons(self) -> list[QPushButton]:
        return [self.given_button, self.given_at_button, self.skip_button, self.snooze_button,
                self.correct_button]

    def show_row(self, title: str | None, *, when: str = "", dose: str = "",
                 notes: tuple[str, ...] = (), look: Look | None = None,
                 history: tuple[str, ...] = ()) -> None:
        """Fill the card (``title=None``: nothing selected)."""
        if title is None:
            self.name_button.setText("")
            self.name_button.hide()
            self.when_label.setText("Choose a dose in the list to record it.")
            for label in (self.dose_label, self.notes_label, self.state_label,
                          self.history_label):
                label.setText("")
                label.hide()
            self.state_label.setStyleSheet("")
            return
        self.name_button.show()
        self.name_button.setText(f"{title}  ›")
        self.name_button.setAccessibleName(f"{title}: show in Medications")
        self.when_label.setText(when)
        self._set(self.dose_label, dose)
        self._set(self.notes_label, "\n".join(notes))
        if look is not None:
            fill, ink = STATE_COLOURS[look.kind]
            self.state_label.setStyleSheet(
                f"background: {fill}; color: {ink}; border-radius: 0.3em;")
            self._set(self.state_label, str(look))
        else:
            self._set(self.state_label, "")
        self._set(self.history_label, "\n".join(f"• {h}" for h in history))

    def apply_font(self, base: QFont) -> None:
        """Size the name and buttons from the tab's font."""
        big = QFont(base)
        big.setPointSizeF(base.pointSizeF() * 1.3)
        big.setBold(True)
        self.name_button.setFont(big)
        bold = QFont(base)
        bold.setBold(True)
        for button in self.buttons():
            button.setFont(bold)
        self.state_label.setFont(bold)

    # ---- Private

    @staticmethod
    def _label(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    @staticmethod
    def _button(text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").replace("…", "").strip("✓⊘◷ "))
        button.setAccessibleDescription(tip)
        button.setStyleSheet(BUTTON_STYLE)
        button.setAutoDefault(False)
        return button
