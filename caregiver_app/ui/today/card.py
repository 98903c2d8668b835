"""The selected dose on the Today tab: what it is, what to know, its state and history,
the big buttons (Given, Given at another time, Skip, Snooze, Correct), and "Read about
this medicine" when it has a Learn article."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.reminders import SNOOZE_CHOICES
from caregiver_app.domain.today import Look
from caregiver_app.ui import desktop
from caregiver_app.ui.actions import add_action
from caregiver_app.ui.palette import focus_ring_colour, paint_focus_ring
from caregiver_app.ui.today.delegate import STATE_COLOURS
from caregiver_app.ui.tones import keep_styled, pair
from caregiver_app.ui.widgets import own_viewport

#: Padding in em, so the buttons grow with the text size.
BUTTON_STYLE = "QPushButton { padding: 0.45em 0.9em; text-align: left; }"


class WrapButton(QPushButton):
    """A flat, underlined push button whose text wraps onto more lines instead of making
    the card wider (a long medicine name at large text). Keyboard and screen readers see
    an ordinary button."""

    _FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                 | Qt.TextFlag.TextWordWrap)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFlat(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def display_text(self) -> str:
        """The text as shown: "&&" is a literal "&"; a single "&" marks the Alt key."""
        return self.text().replace("&&", "\0").replace("&", "").replace("\0", "&")

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        pad = self._pad()
        rect = self.fontMetrics().boundingRect(
            QRect(0, 0, max(1, width - 2 * pad), 100_000), self._FLAGS, self.display_text())
        return rect.height() + 2 * pad

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = min(metrics.horizontalAdvance(self.display_text()),
                    metrics.averageCharWidth() * 24) + 2 * self._pad()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 8 + 2 * self._pad(),
                     metrics.height() + 2 * self._pad())

    def paintEvent(self, _event) -> None:
        painter = QStylePainter(self)
        option = self._frame_option()
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        pad = self._pad()
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        painter.drawText(self.rect().adjusted(pad, pad, -pad, -pad), self._FLAGS,
                         self.display_text())
        self._paint_focus_ring(painter)

    def focus_ring_shown(self) -> bool:
        """The ring is drawn: the button has the focus and it came by keyboard (as
        Qt's own buttons, which show no ring after a click)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        state = QStyle.StateFlag
        return bool(option.state & state.State_HasFocus
                    and option.state & state.State_KeyboardFocusChange)

    def _frame_option(self) -> QStyleOptionButton:
        """The style draws the frame only: no text (it is drawn wrapped) and no focus
        rectangle (a flat button gets none, and the style sizes it for the empty text)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        option.state &= ~QStyle.StateFlag.State_HasFocus
        return option

    def _paint_focus_ring(self, painter: QPainter) -> None:
        if not self.focus_ring_shown():
            return
        # (the app's ring, as its style draws it on every other control)
        paint_focus_ring(painter, self.rect(), focus_ring_colour(self.palette()))

    def _pad(self) -> int:
        return max(2, self.fontMetrics().height() // 5)


class CardButton(WrapButton):
    """A button of the card whose words wrap (rather than widen the card at large
    text), drawn like the card's other buttons: framed, with their padding."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFlat(False)

    def _pad(self) -> int:
        # the other buttons' padding (0.45 em, ``BUTTON_STYLE``) and their frame
        return int(0.45 * self.fontInfo().pixelSize()) + 3

    def paintEvent(self, _event) -> None:
        """As ``WrapButton``, with its Alt letter underlined like the other buttons'."""
        painter = QStylePainter(self)
        painter.drawControl(QStyle.ControlElement.CE_PushButton, self._frame_option())
        pad = self._pad()
        painter.setPen(self.palette().color(
            QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled,
            QPalette.ColorRole.ButtonText))
        painter.drawText(self.rect().adjusted(pad, pad, -pad, -pad),
                         self._FLAGS | int(Qt.TextFlag.TextShowMnemonic), self.text())
        self._paint_focus_ring(painter)


class _Details(QScrollArea):
    """The card's texts: as tall as they need, scrolling only when the window is too
    short for them (then also a keyboard stop, so they can be scrolled by keyboard)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        own_viewport(self)  # (read by sizeHint while the window is laid out)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Dose details")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalScrollBar().rangeChanged.connect(self._on_range)

    def sizeHint(self) -> QSize:
        inner = self.widget()
        if inner is None:
            return super().sizeHint()
        width = self.viewport().width() if self.viewport().width() > 0 else \
            inner.sizeHint().width()
        layout = inner.layout()
        height = (layout.heightForWidth(width) if layout is not None
                  and layout.hasHeightForWidth() else -1)
        if height < 0:
            height = inner.sizeHint().height()
        return QSize(inner.sizeHint().width(), height + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 4, line * 3)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the texts wrap differently: another height

    def _on_range(self, _low: int, high: int) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if high > 0
                            else Qt.FocusPolicy.NoFocus)


class DoseCard(QFrame):
    """Shows one row of the Today tab. The tab decides what each button does."""

    medicine_clicked = Signal()
    """The medicine's name was clicked (show it in the Medications tab)."""

    snooze_chosen = Signal(int)
    """A snooze length (minutes) was chosen from the Snooze menu."""

    read_about_clicked = Signal()
    """"Read about this medicine" was clicked (open its Learn article)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Selected dose")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)

        self.name_button = WrapButton()
        self.name_button.setAccessibleName("Show the medicine in Medications")
        self.name_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.name_button.setToolTip("Show this medicine in the Medications tab")
        self.name_button.clicked.connect(self.medicine_clicked)
        layout.addWidget(self.name_button)

        self.when_label = self._label("When")
        self.dose_label = self._label("Dose")
        self.notes_label = self._label("What to know now")
        self.state_label = self._label("State")
        self.state_label.setMargin(4)
        self.history_label = self._label("Record history")
        # the details scroll (rather than make the window taller than a laptop's screen
        # at large text); the buttons below them always stay in view
        self.details = _Details()
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        for label in (self.when_label, self.dose_label, self.notes_label, self.state_label,
                      self.history_label):
            inner_layout.addWidget(label)
        self.details.setWidget(inner)
        layout.addWidget(self.details)

        grid = QGridLayout()
        self.given_button = self._button("✓  &Given now", "Record it as given now (G)")
        self.given_at_button = self._button("Given at &another time…",
                                            "Record it as given at another time (Shift+G)")
        # "Given: all due at 08:00 (3)…", shown when other doses share this one's time
        # (its words wrap rather than widen the card at large text)
        self.batch_button = CardButton()
        self.batch_button.setText("✓  Giv&en: all due at this time…")
        tip = ("Record every dose due at this time as given, after one confirmation "
               "listing each (A)")
        self.batch_button.setToolTip(tip)
        self.batch_button.setAccessibleName("Given: all due at this time")
        self.batch_button.setAccessibleDescription(tip)
        keep_styled(self.batch_button, lambda: BUTTON_STYLE)
        self.batch_button.setAutoDefault(False)
        self.batch_button.hide()
        self.skip_button = self._button("⊘  &Skip…", "Record that it was not given, and why (S)")
        self.snooze_button = self._button("◷  Snoo&ze", "Remind me again later (Z)")
        self.snooze_menu = QMenu(self.snooze_button)
        self.snooze_actions = {}
        for minutes in SNOOZE_CHOICES:
            action = add_action(self.snooze_menu, f"{minutes} minutes",
                                lambda m=minutes: self.snooze_chosen.emit(m))
            self.snooze_actions[minutes] = action
        self.snooze_button.setMenu(self.snooze_menu)
        self.correct_button = self._button("Co&rrect this record…",
                                           "Fix a record made by mistake (C). The old record "
                                           "stays in the history.")
        grid.addWidget(self.given_button, 0, 0, 1, 2)
        grid.addWidget(self.given_at_button, 1, 0, 1, 2)
        grid.addWidget(self.batch_button, 2, 0, 1, 2)
        grid.addWidget(self.skip_button, 3, 0)
        grid.addWidget(self.snooze_button, 3, 1)
        grid.addWidget(self.correct_button, 4, 0, 1, 2)
        layout.addLayout(grid)
        # a link-like button under the buttons; wraps rather than widening the card
        self.read_button = WrapButton()
        self.read_button.setText("Read a&bout this medicine  ›")
        self.read_button.setToolTip("Open the Learn article about this medicine"
                                    + desktop.DESKTOP.mnemonic_hint("B"))
        self.read_button.setAccessibleName("Read about this medicine")
        self.read_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.read_button.setAutoDefault(False)
        self.read_button.clicked.connect(self.read_about_clicked)
        layout.addWidget(self.read_button)
        layout.addStretch(1)
        self.show_row(None)

    # ---- Public API

    def buttons(self) -> list[QPushButton]:
        return [self.given_button, self.given_at_button, self.batch_button, self.skip_button,
                self.snooze_button, self.correct_button]

    def show_row(self, title: str | None, *, when: str = "", dose: str = "",
                 notes: tuple[str, ...] = (), look: Look | None = None,
                 history: tuple[str, ...] = (), can_read_about: bool = False) -> None:
        """Fill the card (``title=None``: nothing selected). ``can_read_about``: the
        medicine has a Learn article (a reference id): offer "Read about this medicine"."""
        self.read_button.setVisible(title is not None and can_read_about)
        if title is None:
            self.name_button.setText("")
            self.name_button.hide()
            self.when_label.setText("Choose a dose in the list to record it.")
            for label in (self.dose_label, self.notes_label, self.state_label,
                          self.history_label):
                label.setText("")
                label.hide()
            keep_styled(self.state_label, str)
            return
        self.name_button.show()
        self.name_button.setText(f"{title.replace('&', '&&')}  ›")
        self.name_button.setAccessibleName(f"{title}: show in Medications")
        self.read_button.setAccessibleName(f"Read about {title}")
        self.when_label.setText(when)
        self._set(self.dose_label, dose)
        self._set(self.notes_label, "\n".join(notes))
        if look is not None:
            light = STATE_COLOURS[look.kind]
            keep_styled(self.state_label, lambda: "background: {}; color: {}; "
                        "border-radius: 0.3em;".format(*pair(light)))
            self._set(self.state_label, str(look))
        else:
            self._set(self.state_label, "")
        self._set(self.history_label, "\n".join(f"• {h}" for h in history))
        self.details.updateGeometry()

    def apply_font(self, base: QFont) -> None:
        """Size the name and buttons from the tab's font."""
        big = QFont(base)
        if base.pointSizeF() > 0:
            big.setPointSizeF(base.pointSizeF() * 1.3)
        big.setBold(True)
        big.setUnderline(True)
        self.name_button.setFont(big)
        bold = QFont(base)
        bold.setBold(True)
        for button in self.buttons():
            button.setFont(bold)
        link = QFont(base)
        link.setUnderline(True)
        self.read_button.setFont(link)
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
        keep_styled(button, lambda: BUTTON_STYLE)
        button.setAutoDefault(False)
        return button
