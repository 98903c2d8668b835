"""Date fields typed into as people write dates: one Tab stop, "4 Dec" or "tomorrow",
a calendar that opens on the field's date or today, and a refusal for "31 Feb" that
keeps the form open (nothing saved on the date shown before)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from gui_paths import OFFSCREEN_LIMITS, Answers, Keyboard, button
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caregiver_app.domain.errors import ValidationError
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.widgets import DateEdit, OptionalDate

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)


def _open_add_medicine(window, keys):
    window.show_tab("medications")
    QApplication.processEvents()
    keys.click(button(window, "Add a new medicine…"))


def test_a_date_is_typed_in_one_tab_stop(main_window, ctx, qtbot, monkeypatch):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    today = ctx.local_today()
    seen = {}

    def person(dialog):
        keys.press("Alt+S")  # Starts on
        field = QApplication.focusWidget()
        assert isinstance(field, DateEdit) and field.accessibleName() == "Start listing doses on"
        keys.type("tomorrow")
        keys.tab()  # one Tab: out of the date, on to the next field
        seen["start"] = dialog.start_edit.value()
        seen["shown"] = dialog.start_edit.text()
        seen["next"] = QApplication.focusWidget() is not field
        keys.press("Alt+S")
        keys.type("4 Dec")
        keys.tab()
        seen["typed"] = dialog.start_edit.value()
        dialog.discard()

    answers.then(person)
    _open_add_medicine(main_window, keys)
    tomorrow = today + timedelta(days=1)
    assert seen["start"] == tomorrow
    assert seen["shown"] == f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b %Y}"
    assert seen["next"]
    assert seen["typed"] == date(today.year, 12, 4)


def test_what_is_not_a_date_keeps_the_form_open_and_says_why(main_window, ctx, qtbot,
                                                             monkeypatch):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def person(dialog):
        keys.type("riluzole")
        keys.press("Alt+S")
        keys.type("31 Feb")
        keys.press(Qt.Key.Key_Return)  # Enter: save
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.start_edit.problem()
        seen["focus"] = QApplication.focusWidget() is dialog.start_edit
        dialog.discard()

    answers.then(person)
    _open_add_medicine(main_window, keys)
    assert seen == {"open": True, "message": "There is no such day as “31 Feb”.",
                    "focus": True}
    assert ctx.medications.medicines() == []


def test_the_calendar_opens_on_the_fields_date_or_today(qtbot, ctx):
    field = DateEdit(accessible_name="Last day", blank_text="no last day")
    qtbot.addWidget(field)
    field.show()
    assert field.value_or_none() is None and field.text() == ""
    calendar = field.open_calendar()
    assert calendar.selectedDate().toPython() == ctx.local_today()  # not December 1989
    calendar.hide()
    field.set_value(date(2027, 3, 9))
    assert field.open_calendar().selectedDate().toPython() == date(2027, 3, 9)


def test_typing_into_an_empty_last_day_gives_that_day(qtbot, ctx):
    field = DateEdit(accessible_name="Last day", blank_text="no last day")
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "9/1/2027")
    field.commit()
    assert field.value_or_none() == date(2027, 1, 9)  # not "last day9"
    field.clear()
    field.commit()
    assert field.value_or_none() is None


def test_a_day_years_away_is_kept_with_a_note_to_check_the_year(main_window, ctx, qtbot,
                                                                monkeypatch):
    """Issue #12 item 4: "2062" typed for "2026" is easy to miss. The day is kept (it
    may be meant) but the field says to check the year; a near day takes the note away."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    today = ctx.local_today()
    far = date(today.year + 36, 1, 5)
    seen = {}

    def person(dialog):
        keys.press("Alt+S")  # Starts on
        keys.type(far.isoformat())
        keys.tab()
        seen["far"] = (dialog.start_edit.value(), dialog.start_edit.accessibleDescription(),
                       dialog.start_edit.problem())
        seen["label"] = [w.text() for w in dialog.findChildren(ErrorLabel)
                         if w.isVisible()]
        keys.press("Alt+S")
        keys.type("tomorrow")
        keys.tab()
        seen["near"] = dialog.start_edit.accessibleDescription()
        seen["labels after"] = [w.text() for w in dialog.findChildren(ErrorLabel)
                                if w.isVisible()]
        dialog.discard()

    answers.then(person)
    _open_add_medicine(main_window, keys)
    value, note, problem = seen["far"]
    assert value == far and problem == ""  # kept, and nothing stops the form saving
    assert "check the year" in note and far.isoformat() in note
    assert any("check the year" in text for text in seen["label"])  # shown under the field
    assert seen["near"] == ""
    assert not any("check the year" in text for text in seen["labels after"])


def test_a_date_of_birth_decades_ago_has_no_note(qtbot):
    field = OptionalDate("Known:", accessible_name="Date of birth", default=date(1966, 1, 1),
                         far_note=False)
    qtbot.addWidget(field)
    field.show()
    field.check.setChecked(True)
    field.edit.setFocus()
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "12/04/1965")
    field.edit.commit()
    assert field.edit.accessibleDescription() == "" and field.value().year == 1965


def test_reading_a_date_while_it_is_typed_leaves_the_typing_alone(qtbot):
    """The medicine form reads its fields for the preview of the next doses while the
    person may still be typing a date. Reading "tod" (of "today") must not rewrite the
    field to "Mon 5 Jan 2026", or the rest of the word lands after it."""
    field = DateEdit(accessible_name="Cycle 1 started on")
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()  # as Alt+letter leaves it: typing replaces the old date
    qtbot.keyClicks(field, "tod")
    today = date.today()
    assert field.value_or_none() == today  # the preview reads it: "tod" is understood
    assert field.text() == "tod"  # ... and the text stays as typed
    qtbot.keyClicks(field, "ay")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.value() == today
    assert field.text() == f"{today:%a} {today.day} {today:%b %Y}"  # shown as a date after
    # what cannot be read yet is not an error shown while typing, only when read
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, "31 Fe")
    with pytest.raises(ValidationError):
        field.value_or_none()
    assert field.text() == "31 Fe" and field.problem() == ""
