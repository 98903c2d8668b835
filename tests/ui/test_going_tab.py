"""How things are going, as a person uses it: each kind of entry typed without the mouse,
a bad value refused next to its field, a correction and a mistake kept in the records,
and the chart read from the keyboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from gui_paths import (
    OFFSCREEN_LIMITS,
    Answers,
    Keyboard,
    activate,
    fill_example_household,
    wait_for_background,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from caregiver_app.domain.going import Measure
from caregiver_app.ui.going import GoingTab

TODAY = date(2026, 11, 25)  # the fake clock's day


@pytest.fixture
def person(qtbot, monkeypatch):
    keyboard = Keyboard(qtbot)
    return keyboard, Answers(qtbot, monkeypatch, keyboard)


@pytest.fixture
def going(main_window, qtbot) -> GoingTab:
    activate(qtbot, main_window)
    keyboard = Keyboard(qtbot)
    keyboard.press("Ctrl+5")  # View ▸ How things are going
    tab = main_window.tab_widget("going")
    assert main_window.current_tab_key() == "going"
    assert isinstance(tab, GoingTab)
    return tab


def _focused_name() -> str:
    widget = QApplication.focusWidget()
    return widget.accessibleName() if widget is not None else ""


def test_the_daily_check_is_typed_in_seconds(ctx, going, person):
    keyboard, answers = person

    def fill(dialog):
        assert _focused_name() == "Day"  # today, already there
        keyboard.tab()
        assert _focused_name() == "Cramps"
        keyboard.type("2")
        keyboard.tab()
        keyboard.type("1")  # stiffness
        keyboard.tab(8)  # pain … worry left empty
        assert _focused_name() == "Sudden crying or laughing"
        keyboard.type("3")
        keyboard.press(Qt.Key.Key_Return)

    answers.then(fill)
    keyboard.press("Alt+S")
    assert answers.seen == ["Daily symptom check"]
    saved = ctx.core.going.current(Measure.SYMPTOMS)
    assert len(saved) == 1
    assert saved[0].values == {"cramps": 2, "stiffness": 1, "episodes": 3}
    assert saved[0].on_day == TODAY
    assert "Daily check: last on 25 Nov 2026, 1 in all." in going.summary.text()


def test_a_weight_typed_by_keyboard_and_its_change_since_the_usual_weight(ctx, going,
                                                                          person):
    keyboard, answers = person

    def usual(dialog):
        keyboard.press("Alt+D")
        keyboard.press(Qt.Key.Key_Backspace)
        keyboard.press("Ctrl+A")
        keyboard.type("1 Jan 2025")
        keyboard.press("Alt+W")
        keyboard.type("143")
        keyboard.press("Alt+U")
        keyboard.type("l")  # lb
        keyboard.press("Alt+S")  # "Usual weight before the illness"
        keyboard.press(Qt.Key.Key_Return)

    def today(dialog):
        keyboard.press("Alt+W")
        keyboard.type("61,5")  # a comma works as the decimal point
        keyboard.press(Qt.Key.Key_Return)

    answers.then(usual, today)
    keyboard.press("Alt+W")
    keyboard.press("Alt+W")
    rows = ctx.core.going.current(Measure.WEIGHT)
    assert [(e.on_day, e.values["weight"], e.values["unit"], e.values["usual"])
            for e in rows] == [(date(2025, 1, 1), 143, "lb", 1), (TODAY, 61.5, "kg", 0)]
    assert rows[1].recorded_by_id is None  # nobody on duty in this household
    # 143 lb is 64.86 kg: 3.4 kg (5.2%) lost
    assert "since the usual weight: -3.4 kg (-5.2%)" in going.summary.text()
    assert going.table.rowCount() == 1  # the usual weight is the baseline, not a point
    assert going.table.item(0, 1).text() == "61.5 kg"


def test_a_bad_weight_is_refused_next_to_its_field_and_kept(ctx, going, person):
    keyboard, answers = person

    def bad(dialog):
        keyboard.press("Alt+W")
        keyboard.type("6l.5")
        keyboard.press(Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert "as a number" in dialog.errors.message("weight")
        assert dialog.weight_edit.text() == "6l.5"  # what was typed stays
        keyboard.press("Ctrl+A")
        keyboard.type("900")
        keyboard.press(Qt.Key.Key_Return)
        assert "in kg is from 1 to 400" in dialog.errors.message("weight")
        keyboard.press("Ctrl+A")
        keyboard.type("60")
        keyboard.press(Qt.Key.Key_Return)

    answers.then(bad)
    keyboard.press("Alt+W")
    assert [e.values["weight"] for e in ctx.core.going.current(Measure.WEIGHT)] == [60]


def test_everyday_function_by_keyboard_gives_its_total_and_parts(ctx, going, person):
    keyboard, answers = person

    def fill(dialog):
        keyboard.tab()
        assert _focused_name() == "Answered by"
        keyboard.type("t")  # The patient
        keyboard.tab(2)  # past "Fed by tube"
        for score in "432344333444":
            assert isinstance(QApplication.focusWidget(), QComboBox)
            keyboard.type(score)
            keyboard.tab()
        keyboard.press(Qt.Key.Key_Return)

    answers.then(fill)
    keyboard.press("Alt+E")
    saved = ctx.core.going.current(Measure.FUNCTION)
    assert len(saved) == 1
    assert saved[0].values["answered_by"] == "patient"
    assert saved[0].values["speech"] == 4 and saved[0].values["breathing_support"] == 4
    summary = going.summary.text()
    assert "Everyday function on 25 Nov 2026: 41 of 48" in summary
    assert "speech and swallowing 9, hands 11, moving about 9, breathing 12" in summary


def test_clinic_numbers_by_keyboard(ctx, going, person):
    keyboard, answers = person

    def fill(dialog):
        keyboard.press("Alt+F")
        keyboard.type("71")
        keyboard.press("Alt+B")
        keyboard.type("7.5")
        keyboard.press(Qt.Key.Key_Return)

    answers.then(fill)
    keyboard.press("Alt+N")
    saved = ctx.core.going.current(Measure.CLINIC)
    assert [e.values for e in saved] == [{"fvc_percent": 71, "niv_hours": 7.5}]
    going.show_series("fvc_percent")
    assert going.table.item(0, 1).text() == "71.0 %"


def test_a_correction_and_a_mistake_stay_in_the_records(ctx, going, person):
    keyboard, answers = person
    for weight in ("60", "16"):
        answers.then(lambda d, w=weight: (keyboard.press("Alt+W"), keyboard.type(w),
                                          keyboard.press(Qt.Key.Key_Return)))
        keyboard.press("Alt+W")
    assert going.table.rowCount() == 2  # the latest is chosen

    def fix(dialog):
        assert dialog.windowTitle() == "Correct: Record weight"
        assert dialog.weight_edit.text() == "16"
        keyboard.press("Alt+W")
        keyboard.press("Ctrl+A")
        keyboard.type("61")
        keyboard.press(Qt.Key.Key_Return)

    answers.then(fix)
    keyboard.press("Alt+R")
    assert going.table.item(1, 1).text() == "61.0 kg (corrected)"
    going.table.selectRow(0)

    def mistake(dialog):
        keyboard.press("Alt+R")
        keyboard.type("Wrong day")
        keyboard.press(Qt.Key.Key_Return)

    answers.then(mistake)
    keyboard.press("Alt+K")
    assert [e.values["weight"] for e in ctx.core.going.current(Measure.WEIGHT)] == [61]
    rows = ctx.db.execute("SELECT weight, corrects_id IS NOT NULL, entered_in_error, note "
                          "FROM weight_entries ORDER BY id").fetchall()
    assert rows == [(60, 0, 0, ""), (16, 0, 0, ""), (61, 1, 0, ""), (None, 1, 1, "Wrong day")]
    assert going.table.rowCount() == 1


def test_the_chart_is_read_from_the_keyboard_with_the_medicines_for_it(ctx, going, qtbot):
    fill_example_household(ctx)
    going.refresh()
    going.show_series("stiffness")
    chart = going.chart
    assert "Medicine changes:" in chart.description()
    assert any("Baclofen: started" in m.text for m in chart.markers())
    chart.setFocus()
    last = chart.current_index()
    assert last == going.table.rowCount() - 1
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.current_index() == last - 1
    assert going.table.selectionModel().selectedRows()[0].row() == last - 1
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.current_index() == 0
    assert chart.value_text(0) in chart.description()


def test_did_the_as_needed_dose_help(ctx, going, person):
    keyboard, answers = person
    fill_example_household(ctx)
    before = len(ctx.core.going.current(Measure.EFFECT))

    def answer(dialog):
        keyboard.press("Alt+E")  # Effect
        keyboard.type("w")  # Worse
        keyboard.press(Qt.Key.Key_Return)

    answers.then(answer)
    keyboard.press("Alt+A")
    effects = ctx.core.going.current(Measure.EFFECT)
    assert len(effects) == before + 1
    assert effects[-1].values["effect"] == "worse"


def test_today_says_what_is_due_and_the_line_can_be_turned_off(ctx, main_window, qtbot,
                                                              person):
    from datetime import timedelta

    from caregiver_app.domain.going import Entry
    from caregiver_app.ui.going.nudge import GoingNudge

    keyboard, answers = person
    going = ctx.core.going
    today_tab = main_window.tab_widget("today")
    line = today_tab.findChild(GoingNudge)
    assert line is not None and not line.isVisibleTo(today_tab)  # nothing kept up yet
    going.record(Entry(Measure.WEIGHT, TODAY - timedelta(days=8),
                       {"weight": 60.0, "unit": "kg"}))
    going.record(Entry(Measure.SYMPTOMS, TODAY - timedelta(days=1), {"cramps": 1}))
    activate(qtbot, main_window)
    main_window.show_tab("today")
    assert line.isVisibleTo(today_tab)
    assert line.label.text() == ("Due: the weekly weight (last 8 days ago); today's "
                                 "symptom check.")

    def check(dialog):
        assert dialog.windowTitle() == "Daily symptom check"
        keyboard.tab()
        keyboard.type("0")
        keyboard.press(Qt.Key.Key_Return)

    answers.then(check)
    keyboard.press("Alt+K")  # Daily check… on the Today tab
    assert line.label.text() == "Due: the weekly weight (last 8 days ago)."
    keyboard.press("Alt+O")  # Turn these off
    assert not line.isVisibleTo(today_tab)
    assert ctx.settings.get_str("going/nudges") == "off"
    going_tab = main_window.show_tab("going")
    assert not going_tab.nudge_check.isChecked()
    going_tab.nudge_check.click()  # on again, in the How things are going tab
    main_window.show_tab("today")
    assert line.isVisibleTo(today_tab)


@pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)  # (the File menu, offscreen)
def test_the_height_typed_in_the_profile_gives_the_bmi_with_the_weight(ctx, going, person):
    keyboard, answers = person
    fill_example_household(ctx)
    patient = ctx.patients.get()
    ctx.patients.save(replace(patient, height_cm=None))  # (the example has a height)
    going.refresh()
    assert "(BMI: add the height in File ▸ Patient profile to see it)" in going.summary.text()

    def too_tall(dialog):
        keyboard.press("Alt+H")
        keyboard.type("1650")  # a slip: refused next to the field, the dialog stays
        keyboard.press(Qt.Key.Key_Return)
        assert "from 50 to 250" in dialog.errors.message("height")
        assert _focused_name() == "Height"
        keyboard.press("Ctrl+A")
        keyboard.type("165")
        keyboard.press(Qt.Key.Key_Return)

    answers.then(too_tall)
    keyboard.press("Alt+F")
    keyboard.press("a")  # File ▸ Patient profile…
    assert ctx.patients.get().height_cm == 165
    QApplication.processEvents()
    weight = ctx.core.going.current(Measure.WEIGHT)[-1].values["weight"]
    assert f"BMI {weight / 1.65 ** 2:.1f}" in going.summary.text()


def test_how_long_after_a_dose_today_asks_is_chosen_in_the_tab(ctx, main_window, going,
                                                               person, qtbot):
    from datetime import timedelta

    from gui_paths import medicine_named

    from caregiver_app.ui.going.nudge import GoingNudge

    keyboard, _ = person
    fill_example_household(ctx)
    glyco = medicine_named(ctx, "glycopyrrolate")
    given = ctx.medications.record_prn(glyco.id, given_at=ctx.clock.now()
                                       - timedelta(minutes=20), override_reason="test")
    line = main_window.tab_widget("today").findChild(GoingNudge)
    line.refresh()
    assert line.dose_id is None  # 20 minutes ago: not yet (1 hour unless chosen)
    going.refresh()
    combo = going.effect_after_combo
    assert combo.currentText() == "1 hour"
    keyboard.press("Alt+I")  # Did it help? Ask after:
    assert QApplication.focusWidget() is combo
    keyboard.press(Qt.Key.Key_Home)  # the shortest: 15 minutes
    assert combo.currentText() == "15 minutes"
    assert ctx.settings.going_effect_after_minutes == 15
    assert line.dose_id == given.id
    assert "Did the glycopyrrolate given at" in line.label.text()


def test_the_tab_sums_up_each_as_needed_medicines_answers(ctx, going):
    fill_example_household(ctx)
    going.refresh()
    text = going.summary.text()
    assert ("As-needed doses since the last clinic visit, 26 Sep 2026, did they help? "
            "glycopyrrolate: 4 doses; better 3, same 1, worse 0.") in text, text


def test_each_medicine_change_on_the_chart_is_reached_by_keys_and_by_hover(ctx, going,
                                                                          person, qtbot):
    from PySide6.QtCore import QPoint

    keyboard, _ = person
    fill_example_household(ctx)
    going.refresh()
    going.show_series("drooling")  # glycopyrrolate: started, paused, resumed
    QApplication.processEvents()  # (the example's records, announced: read once more)
    chart = going.chart
    buttons = chart.marker_buttons()
    assert [b.marker.text for b in buttons] == [m.text for m in chart.markers()]
    assert len(buttons) == 3
    chart.setFocus()
    keyboard.tab()  # from the chart to its first medicine change
    assert QApplication.focusWidget() is buttons[0]
    assert _focused_name().startswith("Medicine change: Glycopyrrolate: started, ")
    assert buttons[0].accessibleDescription().startswith("Change 1 of 3 on the chart of "
                                                         "Drooling")
    assert buttons[0].toolTip() == _focused_name().removeprefix("Medicine change: ")
    keyboard.press(Qt.Key.Key_Right)
    assert QApplication.focusWidget() is buttons[1]
    assert "paused" in _focused_name()
    keyboard.press(Qt.Key.Key_End)
    assert QApplication.focusWidget() is buttons[2]
    keyboard.press(Qt.Key.Key_Right)  # the last stays the last
    assert QApplication.focusWidget() is buttons[2]
    keyboard.press(Qt.Key.Key_Home)
    assert QApplication.focusWidget() is buttons[0]
    keyboard.tab(3)  # past the changes, on to the table
    assert QApplication.focusWidget() is going.table
    for button in buttons:  # each name at the top of the chart is its own widget
        assert button.isVisible() and chart.rect().contains(button.geometry())
    # the mouse on a change's dashed line says what changed
    x = round(chart.marker_line_x(1))
    qtbot.mouseMove(chart, QPoint(x, chart.height() // 2))
    assert chart.toolTip() == buttons[1].toolTip()
    qtbot.mouseMove(chart, QPoint(chart.width() // 10, chart.height() // 2))
    assert "Glycopyrrolate" not in chart.toolTip()  # months before: a point's value


@pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)
def test_the_visit_summary_is_started_from_the_next_clinic_visit(ctx, main_window, person,
                                                                  qtbot, monkeypatch,
                                                                  tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from caregiver_app.domain.appointments import next_clinic_visit

    keyboard, _ = person
    fill_example_household(ctx)
    activate(qtbot, main_window)
    keyboard.press("Ctrl+3")  # View ▸ Care team
    care = main_window.tab_widget("care_team")
    QApplication.processEvents()
    coming = next_clinic_visit(ctx.careteam.appointments(), ctx.clock.now())
    assert coming is not None and coming.purpose == "ALS clinic visit"
    others = [a for a in ctx.careteam.appointments() if a.id != coming.id]
    care._select_appointment(others[0].id)  # the breathing test: no summary for it
    assert not care.visit_summary_button.isVisibleTo(care)
    care._select_appointment(coming.id)
    assert care.visit_summary_button.isVisibleTo(care)
    target = tmp_path / "visit.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    keyboard.press("Alt+Y")  # Visit summary…
    preview = ctx.printing.last_preview
    assert preview is not None and "Clinic visit summary" in preview.windowTitle()
    activate(qtbot, preview)
    keyboard.press("Ctrl+S")  # Save as PDF… (written on a worker thread)
    wait_for_background(qtbot)
    preview.reject()
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(target)) == QPdfDocument.Error.None_
    text = " ".join(" ".join(document.getAllText(i).text()
                             for i in range(document.pageCount())).split())
    document.close()
    assert "For: ALS clinic visit" in text and "Can riluzole come as a liquid" in text
    assert "Period: since the last clinic visit" in text


def test_a_text_size_change_just_before_the_tab_goes_does_nothing_after(going, qtbot):
    """Its refit after a new text size waited on a timer with no owner: a tab deleted
    before the timer fired (the window closed at once) was reached through a deleted
    C++ object, an error at every such close."""
    from gui_paths import menu_action
    from PySide6.QtCore import QEvent

    window = going.window()
    menu_action(window, "View", "Text size", "Huge (200%)").trigger()
    going.setParent(None)
    going.deleteLater()  # (the tab goes before the event loop runs again)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(1)  # the refit's turn: nothing happens, no error is raised
    menu_action(window, "View", "Text size", "Normal (100%)").trigger()
