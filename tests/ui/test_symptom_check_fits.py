"""The daily symptom check on a 1366×768 laptop: at Huge (200%) text "Poor sleep" and
"Low mood" wrapped onto two lines in a row one line tall, so half of each word was cut
off; at Normal (100%) the dialog opened shorter than it asks to be, its Note field
hidden below a scroll on an empty screen."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gui_paths import Answers, Keyboard, button, menu_action
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QLabel

from caregiver_app.domain.going import SYMPTOMS, Measure

#: Set by the outer test, which runs the ones below in a process of their own, on one
#: 1366×768 screen (the screen is fixed when Qt starts).
ON_A_LAPTOP = "CAREGIVER_TEST_LAPTOP_SCREEN"
SIZES = ["Normal (100%)", "Extra large (150%)", "Huge (200%)"]


def test_the_symptom_check_on_a_laptop(tmp_path):
    from layout_check import screen_config

    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json"),
               **{ON_A_LAPTOP: "1"})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_the_symptom_check_on_the_laptop_screen"], env=env,
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]
    assert f"{len(SIZES)} passed" in done.stdout


def _labels(dialog) -> dict[str, QLabel]:
    """Each symptom's label, by the symptom's name."""
    names = {s.label for s in SYMPTOMS} | {"Note"}
    found = {label.text().replace("&", ""): label for label in dialog.findChildren(QLabel)}
    return {name: found[name] for name in names}


def _painted_height(label: QLabel) -> int:
    """How tall ``label``'s text is when painted (as ``QLabel`` paints it) at its width:
    the painted text can be wider than measured (an underlined Alt letter inside a
    word is painted as a run of its own, losing its kerning)."""
    image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(round(label.logicalDpiX() / 0.0254))
    image.setDotsPerMeterY(round(label.logicalDpiY() / 0.0254))
    painter = QPainter(image)
    painter.setFont(label.font())
    flags = Qt.TextFlag.TextShowMnemonic | (
        Qt.TextFlag.TextWordWrap if label.wordWrap() else Qt.TextFlag(0))
    rect = painter.drawText(QRect(0, 0, label.contentsRect().width(), 100_000), int(flags),
                            label.text())
    painter.end()
    return rect.height()


@pytest.mark.skipif(ON_A_LAPTOP not in os.environ,
                    reason="run on a 1366×768 screen by the test above")
@pytest.mark.parametrize("size", SIZES)
def test_the_symptom_check_on_the_laptop_screen(main_window, qtbot, monkeypatch, size):
    from PySide6.QtGui import QGuiApplication

    laptop = QRect(0, 0, 1366, 768)
    assert QGuiApplication.primaryScreen().availableGeometry() == laptop
    main_window.setGeometry(laptop)
    menu_action(main_window, "View", "Text size", size).trigger()
    keyboard = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keyboard)
    seen: dict = {}

    def look(dialog):
        for _ in range(3):
            QApplication.processEvents()
        labels = _labels(dialog)
        # every label as tall as its text wrapped at its width, as measured and as
        # painted: no line cut in half
        seen["clipped"] = {name: (label.height(), _painted_height(label))
                           for name, label in labels.items()
                           if label.height() < label.heightForWidth(label.width())
                           or label.height() < _painted_height(label)}
        note = dialog.note_edit
        seen["note in view"] = note.visibleRegion().boundingRect() == note.rect()
        seen["on screen"] = laptop.contains(dialog.frameGeometry())
        keyboard.click(button(dialog, "Cancel"))

    try:
        going = main_window.show_tab("going")
        answers.then(look)
        keyboard.click(going.record_buttons[Measure.SYMPTOMS])
        assert answers.seen == ["Daily symptom check"]
    finally:  # (the application's font outlives the test)
        menu_action(main_window, "View", "Text size", "Normal (100%)").trigger()
    assert seen["clipped"] == {}
    assert seen["on screen"]
    if size == "Normal (100%)":  # (larger text: the questions scroll)
        assert seen["note in view"]
