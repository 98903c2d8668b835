"""Forms opened the way a person opens them: the first key lands in the first field, and
Escape asks before throwing typed work away (nothing to ask when nothing changed)."""

from __future__ import annotations

import pytest
from gui_paths import OFFSCREEN_LIMITS, Answers, Keyboard, menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)

# (how it is opened, its title, the accessible name of its first field)
FORMS = {
    "medicine": ("medications", "Add a new medicine…", "Add a medicine",
                 "Search the medicine reference"),
    "contact": ("care_team", "Add contact…", "New contact", "Name"),
    "appointment": ("care_team", "New appointment…", "New appointment",
                    "What the appointment is for"),
    "patient": (None, "Patient profile…", "Patient profile", "Patient's full name"),
}


def _open(window, keys: Keyboard, form: str) -> None:
    tab, opener, _title, _first = FORMS[form]
    if tab is None:
        menu_action(window, "File", opener).trigger()
        return
    from gui_paths import button

    window.show_tab(tab)
    QApplication.processEvents()  # the tab builds itself when first shown
    keys.click(button(window, opener))


def _saved(ctx) -> tuple:
    return (len(ctx.medications.medicines()), len(ctx.careteam.contacts()),
            len(ctx.careteam.appointments()), ctx.patients.get())


@pytest.mark.parametrize("form", FORMS)
def test_escape_asks_before_discarding_what_was_typed(main_window, ctx, qtbot, monkeypatch,
                                                      form):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    _tab, _opener, title, first = FORMS[form]
    before = _saved(ctx)
    seen_text = []

    def type_then_escape(dialog):
        assert QApplication.focusWidget().accessibleName() == first
        keys.type("Zed")
        keys.press(Qt.Key.Key_Escape)  # -> "Discard your changes?": Keep editing
        assert dialog.isVisible()
        seen_text.append(QApplication.focusWidget().accessibleName())
        keys.press(Qt.Key.Key_Escape)  # -> asked again: Discard changes

    answers.then(type_then_escape, "Keep editing", "Discard changes")
    _open(main_window, keys, form)
    assert answers.seen == [title, "Discard your changes?", "Discard your changes?"]
    assert seen_text == [first]  # back in the field, with what was typed
    assert _saved(ctx) == before


@pytest.mark.parametrize("form", FORMS)
def test_escape_closes_an_untouched_form_without_asking(main_window, qtbot, monkeypatch,
                                                        form):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    answers.then(lambda dialog: keys.press(Qt.Key.Key_Escape))
    _open(main_window, keys, form)
    assert answers.seen == [FORMS[form][2]]
