"""Today's Alt letters with the most of them showing: two doses due at one time, so the
card offers "Given: all due at 20:00 (2)…" beside Given now, Skip and the rest, under
the menu bar, the tabs and Today's own buttons. Its Alt+L was the Learn tab's too: the
first press only moved to the button, the second left Today. (The sweep in
``test_every_action`` checks every window; this is the Today state it had missed.)"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from gui_paths import activate, fill_example_household, plain
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sweep import mnemonic, mnemonic_problems


def test_todays_alt_letters_are_unique_with_given_all_due_showing(ctx, qtbot, fake_clock):
    fake_clock.set(datetime(2026, 11, 25, 20, 40, tzinfo=ZoneInfo(ctx.patient_time_zone())))
    fill_example_household(ctx)
    window = ctx.window
    activate(qtbot, window)
    window.show_tab("today")
    QApplication.processEvents()
    card = window.tab_widget("today").card
    assert card.batch_button.isVisible()
    assert plain(card.batch_button.text()).startswith("✓  Given: all due at 20:00 (2)")
    checked: list[tuple[str, str]] = []
    assert mnemonic_problems(window, qtbot, checked) == []
    # the menu bar (3), the tabs (4), who is on duty, Today's tools (3), the card (7)
    # and Undo: every one with a letter of its own
    assert len(checked) >= 19, checked
    assert len({letter for letter, _what in checked}) == len(checked)
    assert plain(card.batch_button.text()) in {what for _letter, what in checked}


def test_the_batch_buttons_alt_letter_opens_its_confirmation(ctx, qtbot, fake_clock,
                                                             monkeypatch):
    """Its Alt letter, pressed once, opens the confirmation listing the doses (nothing is
    recorded until it is answered), and Today stays in front."""
    from caregiver_app.ui.today.batch_dialog import BatchGivenDialog

    fake_clock.set(datetime(2026, 11, 25, 20, 40, tzinfo=ZoneInfo(ctx.patient_time_zone())))
    fill_example_household(ctx)
    window = ctx.window
    activate(qtbot, window)
    card = window.show_tab("today").card
    QApplication.processEvents()
    asked = []

    def cancel(dialog):
        asked.append(dialog.windowTitle())
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(BatchGivenDialog, "exec", cancel)
    letter = mnemonic(card.batch_button.text())
    assert letter is not None
    qtbot.keyClick(QApplication.focusWidget() or window, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(asked))  # (a button's Alt letter clicks it, animated)
    assert asked == ["Given: all due at 20:00"]
    assert window.current_tab_key() == "today"
