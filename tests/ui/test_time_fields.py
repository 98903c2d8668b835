"""Times and days-with-times typed as people write them (issue #11 item 7): one Tab stop
per field; ``9``, ``930``, ``9:30``, ``21:30``, ``9.30pm`` give that time; a time alone
keeps the day shown ("yesterday 21:30" changes both); what is not a time stays, with its
message next to the field, and nothing is saved; the wheel never changes them. Every
time and day-and-time field of the app is one of these (no Qt sectioned editor is left)."""

from __future__ import annotations

import ast
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from gui_paths import OFFSCREEN_LIMITS, Answers, Keyboard, activate, fill_example_household, wheel
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDateTimeEdit,
    QFormLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

import caregiver_app.ui
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.widgets import DateTimeEdit, TimeEdit, TypedField

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)

UI = Path(caregiver_app.ui.__file__).parent
SECTIONED = {"QTimeEdit", "QDateTimeEdit", "QDateEdit"}
SHOWN = datetime(2026, 12, 6, 7, 0)


def test_no_sectioned_qt_date_or_time_editor_is_left_in_ui():
    files = sorted(UI.rglob("*.py"))
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.id if isinstance(node, ast.Name) else (
                node.attr if isinstance(node, ast.Attribute) else None)
            if name in SECTIONED:
                found.append(f"{path.relative_to(UI)}:{node.lineno} {name}")
    assert len(files) > 40  # (the sweep looked at the whole of ui/)
    assert found == []


def test_the_window_has_no_sectioned_editor_and_names_its_typed_fields(main_window):
    assert main_window.findChildren(QDateTimeEdit) == []  # (QDateEdit, QTimeEdit too)
    typed = main_window.findChildren(TypedField)
    assert typed  # Today's day
    assert all(field.accessibleName() for field in typed)


def _form(qtbot, field: QWidget) -> tuple[QWidget, QLineEdit, QLineEdit, ErrorLabel]:
    """``field`` between two text boxes, its message under it, as in the app's forms."""
    form = QWidget()
    layout = QFormLayout(form)
    before, after = QLineEdit(), QLineEdit()
    box, label = with_error(field)
    layout.addRow("Before:", before)
    layout.addRow("&Time:", box)
    layout.addRow("After:", after)
    qtbot.addWidget(form)
    activate(qtbot, form)
    before.setFocus()
    return form, before, after, label


@pytest.mark.parametrize(("typed", "expected"), [
    ("9", time(9, 0)), ("930", time(9, 30)), ("9:30", time(9, 30)),
    ("21:30", time(21, 30)), ("9.30pm", time(21, 30)), ("noon", time(12, 0)),
])
def test_a_time_is_typed_in_one_tab_stop(qtbot, typed, expected):
    field = TimeEdit(accessible_name="Start time", value=time(14, 15))
    _form_widget, _before, after, _label = _form(qtbot, field)
    keys = Keyboard(qtbot)
    keys.tab()  # into the time: all of it selected, so typing replaces it
    assert QApplication.focusWidget() is field
    keys.type(typed)
    keys.tab()  # one Tab: out of the time, on to the next field
    assert QApplication.focusWidget() is after
    assert field.value() == expected
    assert field.text() == f"{expected:%H:%M}"
    assert field.accessibleName() == "Start time"


@pytest.mark.parametrize(("typed", "expected"), [
    ("9", datetime(2026, 12, 6, 9, 0)),  # a time alone keeps the day shown
    ("930", datetime(2026, 12, 6, 9, 30)),
    ("9:30", datetime(2026, 12, 6, 9, 30)),
    ("21:30", datetime(2026, 12, 6, 21, 30)),
    ("9.30pm", datetime(2026, 12, 6, 21, 30)),
    ("yesterday 21:30", datetime(2026, 12, 5, 21, 30)),
    ("4 Dec 9.30pm", datetime(2026, 12, 4, 21, 30)),
    ("yesterday", datetime(2026, 12, 5, 7, 0)),  # a day alone keeps the time
])
def test_a_day_and_time_is_typed_in_one_tab_stop(qtbot, typed, expected):
    field = DateTimeEdit(accessible_name="Given at", value=SHOWN,
                         now=lambda: datetime(2026, 12, 6, 23, 0))
    _form_widget, _before, after, _label = _form(qtbot, field)
    keys = Keyboard(qtbot)
    keys.tab()
    assert QApplication.focusWidget() is field
    keys.type(typed)
    keys.tab()
    assert QApplication.focusWidget() is after
    assert field.value() == expected
    assert field.text() == f"{expected:%a} {expected.day} {expected:%b %Y %H:%M}"


@pytest.mark.parametrize("field_kind", ["time", "day and time"])
def test_what_is_not_a_time_stays_with_its_message_until_fixed(qtbot, field_kind):
    field = (TimeEdit(accessible_name="Start time", value=time(14, 15)) if field_kind == "time"
             else DateTimeEdit(accessible_name="Given at", value=SHOWN, now=lambda: SHOWN))
    _form_widget, _before, _after, label = _form(qtbot, field)
    field.field_name = "given_at"
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("25:00")
    keys.tab()
    assert field.text() == "25:00"  # kept as typed, to fix
    assert label.isVisible() and "no such time as “25:00”" in label.text()
    assert "no such time" in field.accessibleDescription()  # for a screen reader too
    with pytest.raises(ValidationError) as refused:
        field.value()  # what a form does on Save: nothing is saved on the time before
    assert "no such time" in refused.value.errors["given_at"]
    keys.press("Shift+Tab")
    keys.type("9.30pm")
    keys.tab()
    assert field.problem() == "" and not label.isVisible()
    assert field.value() in (time(21, 30), datetime(2026, 12, 6, 21, 30))


def test_a_dose_time_later_than_now_is_refused_with_the_way_to_type_another_day(qtbot):
    now = datetime(2026, 12, 6, 8, 5)
    field = DateTimeEdit(accessible_name="Given at", value=now, now=lambda: now, latest=now,
                         too_late="That is later than now (08:05).")
    _form_widget, _before, _after, label = _form(qtbot, field)
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("21:30")
    keys.tab()
    assert field.problem().startswith("That is later than now (08:05).")
    assert "yesterday 21:30" in label.text()
    keys.press("Shift+Tab")
    keys.type("yesterday 21:30")
    keys.tab()
    assert field.value() == datetime(2026, 12, 5, 21, 30) and not label.isVisible()


def test_the_wheel_over_a_time_field_scrolls_the_form_and_changes_nothing(qtbot):
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    inner = QWidget()
    column = QVBoxLayout(inner)
    column.addSpacing(300)
    day_time = DateTimeEdit(accessible_name="Given at", value=SHOWN, now=lambda: SHOWN)
    clock = TimeEdit(accessible_name="Start time", value=time(14, 15))
    column.addWidget(day_time)
    column.addWidget(clock)
    column.addSpacing(900)
    scroll.setWidget(inner)
    scroll.resize(400, 300)
    qtbot.addWidget(scroll)
    activate(qtbot, scroll)
    bar = scroll.verticalScrollBar()
    for field in (day_time, clock):
        scroll.ensureWidgetVisible(field)
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # even clicked into
        before, start = field.text(), bar.value()
        wheel(field, -1)
        assert field.text() == before, field.accessibleName()
        assert bar.value() > start  # the form scrolled instead


# ---- The app's own time fields, typed into as a person does


@pytest.fixture
def at_home(ctx, main_window, qtbot, fake_clock):
    """The example household at 08:05 at home: the 08:00 doses are due."""
    zone = ZoneInfo(ctx.patient_time_zone())
    fake_clock.set(datetime(2026, 11, 25, 8, 5, tzinfo=zone))
    fill_example_household(ctx)
    activate(qtbot, main_window)
    return zone


def test_given_at_another_time_typed_by_keyboard(ctx, at_home, qtbot, monkeypatch):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def person(dialog):
        keys.press("Alt+G")  # Given at: the whole day and time selected
        field = QApplication.focusWidget()
        assert isinstance(field, DateTimeEdit) and field.accessibleName() == "Time given"
        keys.type("25:00")
        keys.press(Qt.Key.Key_Return)  # Enter: record
        seen["open"] = dialog.isVisible()
        seen["message"] = [w.text() for w in dialog.findChildren(ErrorLabel) if w.isVisible()]
        keys.press("Alt+G")
        keys.type("9pm")  # later than now, today
        keys.press(Qt.Key.Key_Return)
        seen["later"] = dialog.isVisible() and field.problem()
        keys.press("Alt+G")
        keys.type("802")
        keys.press(Qt.Key.Key_Return)

    answers.then(person)
    keys.press("Ctrl+1")  # Today, on the dose due now
    QApplication.processEvents()
    before = len(ctx.medications.day().doses)
    recorded = [d.effective for d in ctx.medications.day().doses if d.effective is not None]
    keys.press("Shift+G")  # Given at another time…
    assert seen["open"]
    assert any("no such time as “25:00”" in text for text in seen["message"])
    assert "later than now" in seen["later"]
    after = [d.effective for d in ctx.medications.day().doses if d.effective is not None]
    assert len(ctx.medications.day().doses) == before
    new = [e for e in after if e not in recorded]
    assert len(new) == 1  # one record, at the time typed, none for the refused ones
    assert to_utc(new[0].given_at) == datetime(2026, 11, 25, 8, 2, tzinfo=at_home)


def test_pause_from_is_typed_as_a_day_and_time(qtbot, ctx, at_home):
    from caregiver_app.domain.medicines import MedicineStatus
    from caregiver_app.ui.medications.action_dialogs import StatusDialog

    medicine = ctx.medications.medicines()[0]
    applied = []
    dialog = StatusDialog(MedicineStatus.PAUSED, medicine, now=ctx.clock.now(), zone=at_home,
                          apply=lambda at, reason: applied.append((at, reason)))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    keys.press("Alt+F")  # From
    keys.type("31 Feb 9:00")
    keys.press("Alt+O")  # Reason
    keys.type("In hospital")
    keys.press("Alt+P")  # Pause (Enter is Cancel here: a change is made on purpose)
    assert applied == [] and "no such day as “31 Feb”" in dialog.errors.message("at")
    keys.press("Alt+F")
    keys.type("tomorrow 9")
    keys.press("Alt+P")
    assert applied == [(datetime(2026, 11, 26, 9, 0, tzinfo=at_home), "In hospital")]


def test_an_extra_dose_time_is_typed_and_cannot_be_later_than_now(qtbot, ctx, at_home):
    from caregiver_app.ui.medications.action_dialogs import ExtraDoseDialog

    medicine = ctx.medications.medicines()[0]
    applied = []
    dialog = ExtraDoseDialog(medicine, now=ctx.clock.now(), zone=at_home,
                             apply=lambda at, dose, why: applied.append(at))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    keys.press("Alt+G")  # Given at
    keys.type("9.30pm")
    keys.press("Alt+W")
    keys.type("cramps")
    keys.press("Alt+R")  # Record it
    assert applied == [] and "later than now" in dialog.errors.message("given_at")
    keys.press("Alt+G")
    keys.type("yesterday 9.30pm")
    keys.press("Alt+R")
    assert applied == [datetime(2026, 11, 24, 21, 30, tzinfo=at_home)]


def test_an_appointment_date_and_time_are_typed_one_stop_each(qtbot):
    from caregiver_app.domain.appointments import local_to_utc
    from caregiver_app.ui.careteam.appointment_dialog import AppointmentDialog

    chicago = "America/Chicago"
    dialog = AppointmentDialog(None, contacts=[], time_zone=chicago,
                               now=datetime(2026, 11, 25, 18, 0, tzinfo=ZoneInfo("UTC")))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    keys.type("ALS clinic visit")  # What for (the first field)
    keys.press("Alt+D")  # Date and time: the date
    assert QApplication.focusWidget() is dialog.date_edit
    keys.type("4 Dec")
    keys.tab()  # one stop: on to the time
    assert QApplication.focusWidget() is dialog.time_edit
    keys.type("25")
    assert not dialog.try_accept()
    assert "no such time" in dialog.errors.message("starts_at")
    assert QApplication.focusWidget() is dialog.time_edit  # on the one to fix
    keys.type("9.30pm")
    keys.tab()
    assert dialog.try_accept()
    assert dialog.result_value().starts_at == local_to_utc(
        date(2026, 12, 4), time(21, 30), chicago)


def test_a_print_period_day_that_does_not_exist_is_refused(qtbot):
    from caregiver_app.ui.printing.period_dialog import PeriodDialog

    dialog = PeriodDialog("Dose record", "Which days?", date(2026, 12, 1), date(2026, 12, 7))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    keys.press("Alt+T")  # To (included)
    keys.type("31 Feb")
    keys.press(Qt.Key.Key_Return)
    assert dialog.isVisible() and "no such day" in dialog.errors.message("last")
    keys.press("Alt+T")
    keys.type("8 Dec 2026")
    keys.press(Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert (dialog.period().first, dialog.period().last) == (date(2026, 12, 1),
                                                             date(2026, 12, 8))


def test_todays_day_is_typed_and_a_wrong_one_is_said_next_to_it(ctx, at_home, qtbot):
    today = ctx.window.tab_widget("today")
    keys = Keyboard(qtbot)
    keys.press("Ctrl+1")
    today.date_edit.setFocus(Qt.FocusReason.TabFocusReason)
    keys.type("yesterday")
    keys.press(Qt.Key.Key_Return)
    assert today.day() == date(2026, 11, 24)
    today.date_edit.setFocus(Qt.FocusReason.TabFocusReason)
    keys.type("31 Feb")
    keys.press(Qt.Key.Key_Return)
    assert today.day() == date(2026, 11, 24)  # stays on the day shown
    assert today.day_error.isVisible() and "no such day" in today.day_error.text()
    assert today.date_edit.accessibleDescription().startswith("There is no such day")
    today.date_edit.setFocus(Qt.FocusReason.TabFocusReason)
    keys.type("today")
    keys.press(Qt.Key.Key_Return)
    assert today.day() == date(2026, 11, 25) and not today.day_error.isVisible()


def test_a_message_under_a_field_is_shown_whole_in_a_small_dialog(qtbot):
    """Seen at 100% and 200% text: the two-line message under "Given at" was cut in
    half, as the dialog did not grow for it."""
    from caregiver_app.ui.today.dialogs import GivenDialog

    now = datetime(2026, 11, 25, 8, 5, tzinfo=ZoneInfo("UTC"))
    dialog = GivenDialog(what="riluzole 50 mg: 1 tablet, due 08:00", default_at=now,
                         zone=ZoneInfo("UTC"), now=now, check=lambda at: [],
                         reason_required=lambda warnings: False, save=lambda at, note: None)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    keys = Keyboard(qtbot)
    keys.press("Alt+G")
    keys.type("25:00")
    keys.tab()
    label = next(w for w in dialog.findChildren(ErrorLabel) if w.isVisible())
    assert "no such time" in label.text()
    QApplication.processEvents()
    assert label.height() >= label.heightForWidth(label.width())  # every line of it
    bottom = label.mapTo(dialog, label.rect().bottomLeft()).y()
    assert bottom <= dialog.height()


@pytest.mark.parametrize("scale", [1, 2])
def test_the_day_and_time_given_is_shown_whole_at_normal_and_large_text(qtbot, scale):
    """Seen at 1366x768: "Wed 25 Nov 2026 20:05" in Given at was cut at the left ("ed 25
    Nov…"), as the field was sized for 17 "x". Every day and time of the year fits."""
    from caregiver_app.ui.today.dialogs import GivenDialog

    font = QApplication.font()
    large = QApplication.font()
    large.setPointSizeF(font.pointSizeF() * scale)
    QApplication.setFont(large)
    try:
        shown = []
        for at in (datetime(2026, 11, 25, 20, 5), datetime(2026, 9, 23, 20, 55),
                   datetime(2026, 5, 22, 0, 0)):
            now = at.replace(tzinfo=ZoneInfo("UTC"))
            dialog = GivenDialog(what="baclofen 5 mg: 1 tablet, as needed", default_at=now,
                                 zone=ZoneInfo("UTC"), now=now,
                                 check=lambda at: ["3 doses in 24 hours is the most the "
                                                   "label allows."],
                                 reason_required=lambda warnings: True,
                                 save=lambda at, note: None)
            qtbot.addWidget(dialog)
            activate(qtbot, dialog)
            field = next(w for w in dialog.findChildren(DateTimeEdit) if w.isVisible())
            field.end(False)  # the cursor after the last letter: the start must stay in view
            QApplication.processEvents()
            first = field.cursorPositionAt(QPoint(field.contentsRect().left() + 4,
                                                  field.height() // 2))
            shown.append((field.text(), first))
            dialog.close()
    finally:
        QApplication.setFont(font)
    assert [text for text, _ in shown] == ["Wed 25 Nov 2026 20:05", "Wed 23 Sep 2026 20:55",
                                           "Fri 22 May 2026 00:00"]
    assert [first for _, first in shown] == [0, 0, 0]  # nothing cut at the left
