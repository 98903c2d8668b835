""""Given: all due at 08:00" (issue #11, "record several doses at once"): one confirmation
listing each medicine, separate entries with the same time and giver; an as-needed dose,
an early dose or a food-rule conflict is never included by itself; Undo takes the whole
group back with corrections."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import QPoint, Qt

from caregiver_app.domain.doses import DoseState, EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind
from caregiver_app.ui.today.batch_dialog import BatchGivenDialog

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

EMPTY = FoodRule(FoodRuleKind.EMPTY_STOMACH, before_minutes=60, after_minutes=120)


@pytest.fixture
def home(ctx, fake_clock):
    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                              time_zone="America/New_York"))
    saved = ctx.session.save_caregivers([Caregiver("Tom Example", "TE")])
    ctx.session.set_on_duty(saved[0].id)
    fake_clock.set(at(D0, 8, 5))
    book = ctx.medications
    daily = DailyRegimen(D0, (T8, T20))
    riluzole = book.add_medicine(medicine(daily, id=None, food_rule=EMPTY))
    baclofen = book.add_medicine(medicine(daily, id=None, generic_name="baclofen"))
    vitamin = book.add_medicine(medicine(DailyRegimen(D0, (T8,)), id=None,
                                         generic_name="vitamin D"))
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="Drooling"))
    return SimpleNamespace(ctx=ctx, book=book, clock=fake_clock, tom=saved[0],
                           riluzole=riluzole, baclofen=baclofen, vitamin=vitamin, glyco=glyco)


@pytest.fixture
def today(home, main_window):
    main_window.show_tab("today")
    tab = main_window.today_tab
    tab.refresh()
    return tab


def _key(hour: int, minute: int = 0) -> str:
    return f"{D0.isoformat()}T{hour:02d}:{minute:02d}"


def _click_row(qtbot, tab, medicine_id, key):
    tab.refresh()
    index = tab.model.find_dose(medicine_id, key)
    tab.tree.scrollTo(index)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.tree.visualRect(index).center())
    assert tab.current_row().dose.occurrence.key == key


def answer(monkeypatch, person):
    """The confirmation is shown for real; ``person`` clicks in it."""
    seen = []

    def run(dialog):
        seen.append(dialog)
        dialog.show()
        person(dialog)
        return dialog.result()

    monkeypatch.setattr(BatchGivenDialog, "exec", run)
    return seen


def _lines(dialog):
    """Each line: (its words, ticked, can be ticked, the reason shown)."""
    return [(check.text(), check.isChecked(), check.isEnabled(),
             dialog.reasons[choice].text())
            for choice, check in dialog.checks.items()]


def _tick(qtbot, check):
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(6, check.height() // 2))


def _ok(qtbot, dialog):
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _status(home, medicine_id, key):
    return next(s for s in home.book.day().doses
                if (s.medicine.id, s.occurrence.key) == (medicine_id, key))


def test_all_due_at_eight_with_one_confirmation_then_undo(today, home, qtbot, monkeypatch):
    seen = answer(monkeypatch, lambda dialog: _ok(qtbot, dialog))
    _click_row(qtbot, today, home.baclofen.id, _key(8))
    button = today.card.batch_button
    assert button.isVisible() and button.text() == "✓  Giv&en: all due at 08:00 (3)…"
    today.tree.setFocus()
    qtbot.keyClick(today.tree, Qt.Key.Key_A)  # or the button: the same
    dialog = seen[0]
    assert dialog.windowTitle() == "Given: all due at 08:00"
    assert dialog.giver_label.text() == "Tom Example (TE)"
    assert _lines(dialog) == [
        ("baclofen 50 mg: 1 tablet, by mouth", True, True, ""),
        ("riluzole 50 mg: 1 tablet, by mouth", True, True, ""),
        ("vitamin D 50 mg: 1 tablet, by mouth", True, True, ""),
        ("glycopyrrolate 50 mg: 1 tablet, by mouth (as needed)", False, True,
         "⚠ Not ticked because it is given only as needed: tick it only if it is "
         "needed now.")]
    assert dialog.ok_button.text() == "&Record 3 as given"
    entries = []
    for med in (home.baclofen, home.riluzole, home.vitamin):
        status = _status(home, med.id, _key(8))
        assert status.state is DoseState.GIVEN
        entries.append(status.effective)
    # separate entries, the same time and giver
    assert len({e.id for e in entries}) == 3
    assert {(e.given_at, e.caregiver_id, e.recorded_by_id) for e in entries} == {
        (at(D0, 8, 5), home.tom.id, home.tom.id)}
    assert [x for x in home.book.day().extra if x.medicine.id == home.glyco.id] == []
    assert today.feedback_label.text() == (
        "Saved: 3 doses due 08:00 given at 08:05 by TE: baclofen, riluzole, vitamin D.")
    assert today.undo_button.text() == "↶  &Undo: 3 doses of 08:00 given"
    qtbot.keyClick(today.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    for med in (home.baclofen, home.riluzole, home.vitamin):
        status = _status(home, med.id, _key(8))
        assert [e.kind for e in status.history] == [EntryKind.GIVEN,
                                                    EntryKind.ENTERED_IN_ERROR]
    assert home.ctx.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0] == 6


def test_the_button_only_shows_for_a_time_shared_by_doses_still_to_give(today, home, qtbot):
    _click_row(qtbot, today, home.baclofen.id, _key(8))
    assert today.card.batch_button.isVisible()
    home.book.record_given(home.riluzole.id, _key(8))
    home.book.record_given(home.vitamin.id, _key(8))
    _click_row(qtbot, today, home.baclofen.id, _key(8))
    assert not today.card.batch_button.isVisible()  # only baclofen is left at 08:00
    qtbot.keyClick(today.tree, Qt.Key.Key_A)  # nothing happens (no dialog is opened)
    assert _status(home, home.baclofen.id, _key(8)).state is DoseState.DUE


def test_an_early_dose_is_listed_but_needs_its_own_tick(today, home, qtbot, monkeypatch):
    home.clock.set(at(D0, 6, 30))

    def person(dialog):
        lines = _lines(dialog)
        assert [line[1] for line in lines] == [False, False, False, False]
        assert lines[0][3] == ("⚠ Not ticked because it is early: due at 08:00, in 1 h 30 min. "
                               "Tick it only if you are giving it now.")
        assert not dialog.ok_button.isEnabled()
        _tick(qtbot, dialog.checks[(home.baclofen.id, _key(8))])
        assert dialog.ok_button.text() == "&Record 1 as given"
        _ok(qtbot, dialog)

    answer(monkeypatch, person)
    _click_row(qtbot, today, home.baclofen.id, _key(8))
    qtbot.mouseClick(today.card.batch_button, Qt.MouseButton.LeftButton)
    assert _status(home, home.baclofen.id, _key(8)).effective.given_at == at(D0, 6, 30)
    assert _status(home, home.riluzole.id, _key(8)).effective is None
    assert _status(home, home.vitamin.id, _key(8)).effective is None


def test_a_food_rule_conflict_is_listed_and_not_ticked(today, home, qtbot, monkeypatch):
    home.book.add_medicine(medicine(
        DailyRegimen(D0, (T8,)), id=None, generic_name="pyridostigmine",
        food_rule=FoodRule(FoodRuleKind.WITH_FOOD)))

    def person(dialog):
        lines = {text.split(":")[0]: (ticked, reason) for text, ticked, _e, reason
                 in _lines(dialog)}
        assert lines["baclofen 50 mg"] == (True, "")
        assert lines["vitamin D 50 mg"] == (True, "")
        assert not lines["riluzole 50 mg"][0] and not lines["pyridostigmine 50 mg"][0]
        assert lines["riluzole 50 mg"][1] == (
            "⚠ Not ticked because the food rules differ: riluzole needs an empty stomach, "
            "pyridostigmine is given with food. Tick it only if you are sure they may be "
            "given together.")
        _ok(qtbot, dialog)

    answer(monkeypatch, person)
    _click_row(qtbot, today, home.baclofen.id, _key(8))
    assert today.card.batch_button.text() == "✓  Giv&en: all due at 08:00 (4)…"
    qtbot.mouseClick(today.card.batch_button, Qt.MouseButton.LeftButton)
    assert _status(home, home.baclofen.id, _key(8)).state is DoseState.GIVEN
    assert _status(home, home.riluzole.id, _key(8)).state is DoseState.DUE


def test_an_as_needed_dose_over_its_limit_cannot_be_ticked(today, home, qtbot, monkeypatch):
    home.book.record_prn(home.glyco.id, given_at=at(D0, 7))

    def person(dialog):
        check = dialog.checks[(home.glyco.id, None)]
        assert not check.isEnabled() and not check.isChecked()
        assert dialog.reasons[(home.glyco.id, None)].text().startswith(
            "⚠ As needed, and not now: Less than 4 hours after the dose at 07:00.")
        _ok(qtbot, dialog)

    answer(monkeypatch, person)
    _click_row(qtbot, today, home.riluzole.id, _key(8))
    qtbot.mouseClick(today.card.batch_button, Qt.MouseButton.LeftButton)
    glyco = [x for x in home.book.day().extra if x.medicine.id == home.glyco.id]
    assert len(glyco) == 1  # only the 07:00 dose


def test_an_as_needed_dose_ticked_is_recorded_with_the_group(today, home, qtbot,
                                                             monkeypatch):
    def person(dialog):
        _tick(qtbot, dialog.checks[(home.glyco.id, None)])
        assert dialog.ok_button.text() == "&Record 4 as given"
        _ok(qtbot, dialog)

    answer(monkeypatch, person)
    _click_row(qtbot, today, home.riluzole.id, _key(8))
    qtbot.mouseClick(today.card.batch_button, Qt.MouseButton.LeftButton)
    glyco = [x for x in home.book.day().extra if x.medicine.id == home.glyco.id]
    assert len(glyco) == 1 and glyco[0].chain.effective.given_at == at(D0, 8, 5)
    assert today.undo_button.text() == "↶  &Undo: 4 doses given"


def test_a_time_moved_earlier_unticks_what_becomes_early(today, home, qtbot, monkeypatch):
    from caregiver_app.ui.today import dialogs

    home.clock.set(at(D0, 9, 30))
    home.book.record_given(home.vitamin.id, _key(8))

    def person(dialog):
        assert [line[1] for line in _lines(dialog)[:2]] == [True, True]
        assert _lines(dialog)[0][3] == "⚠ 1 h 30 min late."
        dialogs.set_wall(dialog.time_edit, at(D0, 6, 50).astimezone(
            home.book.zone()).replace(tzinfo=None))
        assert [line[1] for line in _lines(dialog)[:2]] == [False, False]
        assert "early: due at 08:00" in _lines(dialog)[0][3]
        dialogs.set_wall(dialog.time_edit, at(D0, 7, 45).astimezone(
            home.book.zone()).replace(tzinfo=None))
        assert [line[1] for line in _lines(dialog)[:2]] == [False, False]  # never re-ticked
        # Escape after changing the time asks first: "Keep editing" keeps it all
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible() and len(asked) == 1
        assert [line[1] for line in _lines(dialog)[:2]] == [False, False]
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # "Discard changes"
        assert not dialog.isVisible()

    asked: list[object] = []
    monkeypatch.setattr("caregiver_app.ui.messages.confirm_discard",
                        lambda parent: asked.append(parent) or len(asked) > 1)
    answer(monkeypatch, person)
    _click_row(qtbot, today, home.riluzole.id, _key(8))
    qtbot.mouseClick(today.card.batch_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2
    assert _status(home, home.riluzole.id, _key(8)).effective is None


def test_the_book_records_all_or_nothing(home):
    book = home.book
    due = at(D0, 8)
    book.record_given(home.vitamin.id, _key(8))  # recorded meanwhile, elsewhere
    count = home.ctx.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]
    with pytest.raises(ValidationError, match="Nothing was saved"):
        book.record_batch(due, [(home.baclofen.id, _key(8)), (home.vitamin.id, _key(8))])
    assert home.ctx.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0] == count
    with pytest.raises(ValidationError, match="not among those due"):
        book.record_batch(due, [(home.baclofen.id, _key(20))])
    saved = book.record_batch(due, [(home.baclofen.id, _key(8)), (home.riluzole.id, _key(8))])
    assert len(saved) == 2 and len({e.id for e in saved}) == 2
    action = home.ctx.undo.last()
    assert {i.entry.id for i in action.items} == {e.id for e in saved}


def test_the_group_given_from_the_list_leaves_other_times_alone(today, home, qtbot,
                                                                monkeypatch):
    answer(monkeypatch, lambda dialog: _ok(qtbot, dialog))
    _click_row(qtbot, today, home.riluzole.id, _key(8))
    qtbot.mouseClick(today.card.batch_button, Qt.MouseButton.LeftButton)
    for med in (home.riluzole, home.baclofen):
        assert _status(home, med.id, _key(20)).effective is None
