"""Today's "Did it help?" after an as-needed dose whose time was corrected: it asks after
the corrected time, says that time, and the form offers the dose at that time."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from gui_paths import Answers, Keyboard, activate, fill_example_household, medicine_named
from PySide6.QtCore import Qt

from caregiver_app.domain.doses import EntryKind
from caregiver_app.ui.going.nudge import GoingNudge


@pytest.fixture
def today(ctx, main_window, qtbot, monkeypatch):
    """The example household's Today, shown: ``line`` its "Did it help?" line, ``glyco``
    its as-needed glycopyrrolate, ``keyboard`` and ``answers`` the person at it."""
    keyboard = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keyboard)
    fill_example_household(ctx)
    activate(qtbot, main_window)
    main_window.show_tab("today")
    return SimpleNamespace(keyboard=keyboard, answers=answers,
                           line=main_window.tab_widget("today").findChild(GoingNudge),
                           glyco=medicine_named(ctx, "glycopyrrolate"))


def test_a_re_timed_dose_is_asked_about_after_its_corrected_time(ctx, today, qtbot):
    keyboard, answers, line, glyco = today.keyboard, today.answers, today.line, today.glyco
    book, zone = ctx.medications, ctx.medications.zone()
    now = ctx.clock.now()
    # recorded as given 70 minutes ago, then corrected: it was given 20 minutes ago
    first = book.record_prn(glyco.id, given_at=now - timedelta(minutes=70),
                            override_reason="test")
    corrected = book.correct(first.id, kind=EntryKind.GIVEN,
                             given_at=now - timedelta(minutes=20))
    # (the correction is announced and the line reads again, as after any change)
    assert line.dose_id is None  # 20 minutes after the dose: not yet (after 1 hour)
    assert not line.effect_button.isVisibleTo(line)

    ctx.clock.advance(minutes=45)  # 65 minutes after the corrected time
    line._timer.timeout.emit()  # the line's minute comes round
    given = corrected.given_at.astimezone(zone)
    assert line.dose_id == corrected.id
    assert f"glycopyrrolate given at {given:%H:%M}" in line.label.text()
    assert f"{(first.given_at.astimezone(zone)):%H:%M}" not in line.label.text()

    seen: list[str] = []

    def read_the_dose(dialog):
        seen.append(dialog.dose_combo.currentText())
        keyboard.press(Qt.Key.Key_Escape)

    answers.then(read_the_dose)
    qtbot.mouseClick(line.effect_button, Qt.MouseButton.LeftButton)  # Say if it helped…
    assert len(seen) == 1
    assert seen[0].startswith("glycopyrrolate, ") and seen[0].endswith(f"{given:%H:%M}")


def test_an_answer_stays_with_its_dose_when_the_dose_is_corrected_after(
        ctx, today, main_window, qtbot):
    """Asked at the first time, answered "better"; then the time is corrected. The
    answer is about the dose, not about one record of it: Today does not ask again, and
    How things are going still counts the answer."""
    from caregiver_app.domain.going import Measure

    keyboard, answers, line, glyco = today.keyboard, today.answers, today.line, today.glyco
    book = ctx.medications
    now = ctx.clock.now()
    first = book.record_prn(glyco.id, given_at=now - timedelta(minutes=90),
                            override_reason="test")
    assert line.dose_id == first.id  # 90 minutes after: it asks

    def better(dialog):
        keyboard.press("Alt+E")  # Effect
        keyboard.type("b")  # Better
        keyboard.press(Qt.Key.Key_Return)

    answers.then(better)
    qtbot.mouseClick(line.effect_button, Qt.MouseButton.LeftButton)  # Say if it helped…
    assert answers.pending() == 0
    assert line.dose_id is None and not line.effect_button.isVisibleTo(line)
    going = main_window.show_tab("going")
    going.refresh()
    totals = going.summary.text()
    assert "glycopyrrolate: " in totals and "not answered" not in totals
    main_window.show_tab("today")

    corrected = book.correct(first.id, kind=EntryKind.GIVEN,
                             given_at=now - timedelta(minutes=80))  # the right time
    line._timer.timeout.emit()  # (and the line's minute comes round)
    assert corrected.id != first.id
    assert line.dose_id is None  # answered: not asked again
    main_window.show_tab("going")
    going.refresh()
    assert going.summary.text() == totals  # the answer still counts for its dose
    effects = ctx.core.going.current(Measure.EFFECT)
    assert effects[-1].values == {"dose_entry_id": first.id, "effect": "better"}
    [(dose_id, _, _, _)] = [d for d in _recent(ctx) if d[0] in (first.id, corrected.id)]
    assert dose_id == first.id  # the dose is named by the record its answer is about


def _recent(ctx):
    from caregiver_app.services.going_links import as_needed_given

    return as_needed_given(ctx.medications, ctx.medications.today() - timedelta(days=1),
                           answered=ctx.core.going.answered)
