"""The window when the records are open read-only (the disk was full at start-up).

The day's doses, the medicines, the care team and the articles stay in view and can be
printed; every control that would change the records is disabled, saying why (its tool
tip and its accessible description), and a bar above the tabs says what happened with a
"Try again" button. ``WRITE_CONTROLS`` names those controls, tab by tab; a test checks
that each exists and that each write path of the app is among them.

Controls stay disabled whatever their tab does later (selecting a row enables Given on
a normal day): a lock on each puts it back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from caregiver_app.ui.tones import keep_styled

#: Per tab key (``""``: the main window itself), the attribute paths of the controls
#: that write to the records.
WRITE_CONTROLS: dict[str, tuple[str, ...]] = {
    "": ("caregivers_button", "profile_action", "caregivers_action", "restore_action",
         "import_action"),
    "today": ("card.given_button", "card.given_at_button", "card.skip_button",
              "card.correct_button", "undo_button", "reminders_button", "duty_add"),
    "medications": ("add_button", "edit_button", "pause_button", "stop_button",
                    "cycle_button", "stock_button", "extra_button", "delay_action",
                    "hold_action", "resume_cycle_action", "undo_cycle_action",
                    "refill_action", "count_action", "bottle_action"),
    "care_team": ("add_button", "import_button", "removed_button", "add_appointment_button",
                  "remove_appointment_button", "notice.undo_button", "details.edit_button",
                  "details.remove_button", "details.add_appointment_button",
                  "details.add_in_role_button"),
    "learn": ("bookmark_button", "notes_edit"),
}


#: How a tab that builds its widgets only when first shown is made to build them.
BUILD = {"medications": "ensure_built", "care_team": "ensure_loaded"}


def resolve(root: object, path: str) -> object:
    target = root
    for part in path.split("."):
        target = getattr(target, part)
    return target


def read_only_text(reason: str) -> str:
    return (f"Read-only: {reason}, so nothing can be saved or changed now. You can look "
            "at today's doses, the medicines and the care team, and print them. Free "
            "some space on the disk, then press Try again.")


class ReadOnlyBar(QFrame):
    """"Read-only: the disk is full…" with Try again, above the tabs."""

    retry_requested = Signal()

    def __init__(self, reason: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ReadOnlyBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Read-only")
        keep_styled(self, lambda: "#ReadOnlyBar { border: 2px solid palette(text); }")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel("⚠ " + read_only_text(reason))
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        row.addWidget(self.label, 1)
        self.retry_button = QPushButton("Tr&y again")
        self.retry_button.setAccessibleName("Try again to open the records for changes")
        self.retry_button.clicked.connect(self.retry_requested)
        row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)


class WriteLock(QObject):
    """Keeps every write control of a window disabled, saying why."""

    def __init__(self, reason: str, parent: QObject | None = None):
        super().__init__(parent)
        self.reason = reason
        self.tip = f"Not available while the records are read-only ({reason})."
        self.locked: list[QObject] = []

    def lock(self, control: object) -> None:
        if isinstance(control, QPlainTextEdit):
            control.setReadOnly(True)
            control.setToolTip(self.tip)
            control.setAccessibleDescription(self.tip)
        elif isinstance(control, QWidget):
            control.setEnabled(False)
            control.setToolTip(self.tip)
            control.setAccessibleDescription(self.tip)
            control.installEventFilter(self)
        elif isinstance(control, QAction):
            control.setEnabled(False)
            control.setToolTip(self.tip)
            control.setStatusTip(self.tip)
            control.changed.connect(lambda a=control: a.isEnabled() and a.setEnabled(False))
        else:
            raise TypeError(f"cannot lock {control!r}")
        self.locked.append(control)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget):
            return False
        if event.type() == QEvent.Type.EnabledChange and watched.isEnabled():
            watched.setEnabled(False)
        elif event.type() == QEvent.Type.ToolTipChange and watched.toolTip() != self.tip:
            watched.setToolTip(self.tip)  # (the tab described what it would do)
        return False


def lock_window(window, reason: str) -> tuple[ReadOnlyBar, WriteLock]:
    """Disable every write control of ``window`` (a MainWindow), saying ``reason``, and
    put the read-only bar above its tabs."""
    lock = WriteLock(reason, window)
    for key, names in WRITE_CONTROLS.items():
        root = window if not key else window.tab_widget(key)
        build = BUILD.get(key)
        if build:  # a tab that builds its widgets when first shown
            getattr(root, build)()
        for name in names:
            lock.lock(resolve(root, name))
    bar = ReadOnlyBar(reason)
    window.set_banner(bar)
    return bar, lock
