"""The Today tab on the real app with a fake clock: sections in time order with overdue
doses on top, the as-needed section, date navigation, and Given / Skip / Snooze / Undo /
Correct from the UI (mouse and keyboard alone), each stamped with the caregiver on duty."""

from __future__ import annotations

from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from caregiver_app.domain.doses import DoseState, EntryKind
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, SkipReason
from caregiver_app.ui.today import dialogs
from caregiver_app.ui.today.model import LOOK_ROLE, Column, RowKind, TodayModel
from caregiver_app.ui.today.tab import TodayTab

RILUZOLE_FOOD = FoodRule(FoodRuleKind.EMPTY_STOMACH, before_minutes=60, after_minutes=120)


@pytest.fixture
def home(ctx, fake_clock):
    """A patient in New York, two caregivers (Tom on duty), three medicines, 08:30."""
    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                              time_zone="America/New_York"))
    saved = ctx.session.save_caregivers([Caregiver("Tom Example", "TE"),
                                          Caregiver("Ana Helper", "AH")])
    tom = next(c for c in saved if c.initials == "TE")
    ana = next(c for c in saved if c.initials == "AH")
    ctx.session.set_on_duty(tom.id)
    fake_clock.set(at(D0, 8, 30))
    book = ctx.medications
    riluzole = book.add_medicine(medicine(
        DailyRegimen(D0, (T8, T20)), id=None, food_rule=RILUZOLE_FOOD,
        supply=SupplySettings(unit="tablet", reorder_days=5)))
    baclofen = book.add_medicine(medicine(
        DailyRegimen(D0, (T8, time(14), T20)), id=None, generic_name="baclofen"))
    glyco = book.add_medicine(medicine(
        AsNeededRegimen(D0, timedelta(hours=4), 3), id=None, generic_name="glycopyrrolate",
        purpose="Drooling"))
    return SimpleNamespace(ctx=ctx, book=book, clock=fake_clock, tom=tom, ana=ana,
                           riluzole=riluzole, baclofen=baclofen, glyco=glyco)


@pytest.fixture
def today(home, main_window) -> TodayTab:
    tab = main_window.today_tab
    main_window.show_tab("today")
    tab.refresh()
    return tab


def _sections(tab: TodayTab) -> list[tuple[str, list[str]]]:
    return [(s.key, [f"{r.cells[Column.TIME]} {r.cells[Column.MEDICINE]}" for r in s.rows])
            for s in tab.model.sections()]


def _select(tab: TodayTab, medicine_id: int, key: str) -> None:
    assert tab.show_dose(medicine_id, key)


def _state(tab: TodayTab, medicine_id: int, key: str) -> str:
    index = tab.model.find_dose(medicine_id, key)
    return tab.model.row_at(index).cells[Column.STATE]


def _key(hour: int, day=D0) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


def _fake_ask(monkeypatch, dialog_class, fill):
    """Replace ``dialog_class.ask`` by: build the dialog, let ``fill`` act on it, press OK
    (``fill`` may press it itself and return what it got)."""
    seen = []

    def ask(cls, **kwargs):
        dialog = cls(**kwargs)
        seen.append(dialog)
        fill(dialog)
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.accept()
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        return dialog.result_value() if accepted else None

    monkeypatch.setattr(dialog_class, "ask", classmethod(ask))
    return seen


# ---- What is shown


def test_model_passes_the_model_tester(today, qtmodeltester):
    qtmodeltester.check(today.model)
    qtmodeltester.check(TodayModel())


def test_sections_in_time_order_with_overdue_doses_on_top(today, home):
    assert _sections(today) == [
        ("overdue", ["08:00 baclofen 50 mg", "08:00 riluzole 50 mg"]),
        ("midday", ["14:00 baclofen 50 mg"]),
        ("evening", ["20:00 baclofen 50 mg", "20:00 riluzole 50 mg"]),
        ("as_needed", ["As needed glycopyrrolate 50 mg"]),
    ]
    overdue = today.model.sections()[0]
    assert overdue.title == "Overdue (2)" and overdue.urgent
    assert overdue.rows[0].cells[Column.STATE] == "⚠ Overdue by 30 min"
    evening = today.model.sections()[2].rows[1]
    assert evening.cells[Column.NOTES] == "Empty stomach: no food from 18:00 until 21:00"
    assert evening.cells[Column.DOSE] == "1 tablet, by mouth"


def test_first_dose_to_give_is_selected_and_shown_on_the_card(today, home):
    row = today.current_row()
    assert row.dose is not None and row.dose.occurrence.key == _key(8)
    assert today.card.given_button.isEnabled()
    assert today.card.name_button.text().startswith("baclofen")


def test_as_needed_section_says_when_a_dose_is_possible(today, home):
    prn = today.model.sections()[-1].rows[0]
    assert prn.kind is RowKind.PRN
    assert prn.cells[Column.STATE] == "● Can be given now (0 of 3 used in the last 24 hours)"
    assert prn.cells[Column.NOTES] == "For drooling · At least 4 hours apart · Up to 3 in 24 hours"
    home.book.record_prn(home.glyco.id)
    today.refresh()
    prn = today.model.sections()[-2].rows[0]  # "also given" comes after it
    assert prn.cells[Column.STATE] == "◔ Next possible at 12:30 (1 of 3 used in the last 24 hours)"
    extra = today.model.sections()[-1]
    assert extra.key == "extra"
    assert extra.rows[0].cells[Column.STATE] == "✓ Given at 08:30 by TE, 1 tablet"


def test_header_line_with_next_dose_overdue_count_and_reorder_warning(today, home):
    assert today.header_label.text() == "2 overdue · Next: 14:00 baclofen"
    home.book.count_stock(home.riluzole.id, 3)
    today.refresh()
    assert "⚠ Reorder riluzole: runs out Wed 7 Jan" in today.notices_label.text()
    assert today.notices_label.isVisible()


def test_a_redraw_reads_the_medicines_once(today, home, qtbot):
    """Back to today reads the day, yesterday's doses still open and the stock warnings
    from one read of the medicines (it was one for each, and one more per counted
    medicine)."""
    home.book.count_stock(home.riluzole.id, 3)
    qtbot.keyClick(today.tree, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert today.day() == D0 + timedelta(days=1)
    statements: list[str] = []
    home.ctx.db.conn.set_trace_callback(statements.append)
    try:
        qtbot.mouseClick(today.today_button, Qt.MouseButton.LeftButton)
    finally:
        home.ctx.db.conn.set_trace_callback(None)
    assert today.day() == D0
    assert "⚠ Reorder riluzole: runs out Wed 7 Jan" in today.notices_label.text()
    assert today.header_label.text() == "2 overdue · Next: 14:00 baclofen"
    reads = [s for s in statements if s.startswith("SELECT * FROM medicines")]
    assert len(reads) == 1, reads
    # and the patient's time zone: once for the redraw (MedicationBook.reading; it was
    # read at each step, 11 times here), twice before it to know which day is today
    assert sum(s.startswith("SELECT * FROM [patient]") for s in statements) == 3


def test_a_redraw_fills_the_card_once(today, home, qtbot, monkeypatch):
    """The card shows the selected dose as it is after the redraw, filled once: by the
    selection when the redraw selects another row (or the same one again), else after."""
    from caregiver_app.ui.today import tab as tab_module

    filled: list[object] = []
    show = tab_module.show_on_card

    def counted(card, row, **kwargs):
        filled.append(row)
        show(card, row, **kwargs)

    monkeypatch.setattr(tab_module, "show_on_card", counted)
    qtbot.keyClick(today.tree, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert len(filled) == 1  # the next day, its first dose selected
    filled.clear()
    qtbot.mouseClick(today.today_button, Qt.MouseButton.LeftButton)
    assert len(filled) == 1
    assert today.card.given_button.isEnabled()
    filled.clear()
    qtbot.keyClick(today.tree, Qt.Key.Key_G)  # given now: the same dose stays selected
    qtbot.waitUntil(lambda: len(filled) >= 1)
    today.refresh()  # (nothing changed since: the card is filled again, once)
    assert len(filled) == 2
    assert not today.card.given_button.isEnabled()
    assert today.card.correct_button.isEnabled()


def test_a_redraw_wraps_the_cells_alike_once(today, home, qtbot, monkeypatch):
    """Every row as tall as its text wrapped to its column, each cell's text wrapped
    once a redraw, not once for each cell alike ("08:00" for two medicines, "Given":
    ~40% of the first redraw's cells, each laid out twice)."""
    from PySide6.QtGui import QFontMetrics

    from caregiver_app.ui.today import delegate

    wrapped: list[tuple[str, int, str]] = []

    class Counted(QFontMetrics):
        def boundingRect(self, *args):  # (the rectangle, the flags, the text)
            wrapped.append((self.height(), args[0].width(), args[-1]))
            return super().boundingRect(*args)

    monkeypatch.setattr(delegate, "QFontMetrics", Counted)
    qtbot.keyClick(today.tree, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    today.tree.doItemsLayout()
    wrapped.clear()
    qtbot.mouseClick(today.today_button, Qt.MouseButton.LeftButton)
    today.tree.doItemsLayout()
    texts = [row.cells[column] for section in today.model.sections()
             for row in section.rows for column in Column if row.cells[column]]
    assert len(set(texts)) < len(texts)  # (cells alike: "08:00", "20:00", "tablet"...)
    assert wrapped and len(wrapped) == len(set(wrapped))
    assert {text for _, _, text in wrapped} == set(texts)
    assert _cells_fit(today)


def test_a_new_time_zone_shows_at_the_next_redraw(today, home):
    """Today holds the zone only while it redraws: a zone saved after is used at the next
    one (08:30 in New York is 07:30 in Chicago: the 08:00 doses are no longer late)."""
    assert today.header_label.text() == "2 overdue · Next: 14:00 baclofen"
    home.ctx.session.save_patient(Patient(
        "Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN, time_zone="America/Chicago"))
    today.refresh()
    assert today.header_label.text() == "Next: 08:00 baclofen, riluzole"
    assert [key for key, _ in _sections(today)] == ["morning", "midday", "evening",
                                                    "as_needed"]


def test_header_lists_the_weeks_appointments(today, home):
    from caregiver_app.domain.appointments import Appointment

    home.ctx.careteam.save_appointment(Appointment(
        starts_at=at(D0 + timedelta(days=2), 10), purpose="Neurologist visit",
        time_zone="America/New_York"))
    today.refresh()
    assert "Appointment Wed 7 Jan 10:00 Neurologist visit" in today.notices_label.text()


def test_a_late_dose_due_before_midnight_is_overdue_at_the_top_of_the_next_day(home,
                                                                                main_window):
    late = home.book.add_medicine(medicine(DailyRegimen(D0, (time(23, 30),)), id=None,
                                           generic_name="melatonin"))
    home.clock.set(at(D0 + timedelta(days=1), 0, 15))
    tab = main_window.today_tab
    tab.go_today()
    first = tab.model.sections()[0]
    assert first.key == "overdue"
    assert [r.dose.medicine.id for r in first.rows] == [late.id]
    assert "overdue from yesterday" in tab.header_label.text()


# ---- Recording


def test_given_now_is_stamped_with_the_caregiver_on_duty(today, home, qtbot):
    _select(today, home.riluzole.id, _key(8))
    qtbot.mouseClick(today.card.given_button, Qt.MouseButton.LeftButton)
    status = home.book.day().doses[1]
    assert status.state is DoseState.GIVEN
    entry = status.effective
    assert (entry.caregiver_id, entry.recorded_by_id) == (home.tom.id, home.tom.id)
    assert entry.given_at == at(D0, 8, 30)
    qtbot.waitUntil(lambda: _state(today, home.riluzole.id, _key(8))
                    == "✓ Given at 08:30 by TE")
    assert today.feedback_label.text() == "Saved: riluzole 08:00 given at 08:30 by TE."
    assert today.undo_button.isEnabled()
    # the card now offers a correction, not a second Given
    _select(today, home.riluzole.id, _key(8))
    assert not today.card.given_button.isEnabled() and today.card.correct_button.isEnabled()


def test_a_late_dose_shows_the_warning_before_saving(today, home, monkeypatch):
    home.clock.set(at(D0, 9, 45))
    today.refresh()
    seen = _fake_ask(monkeypatch, dialogs.GivenDialog,
                     lambda d: d.reason_edit.setText("slept in"))
    _select(today, home.riluzole.id, _key(8))
    today.give_now()
    assert "This is 1 h 45 min late: it was due at 08:00." in seen[0].warnings.text()
    assert not seen[0].warnings.isHidden()
    entry = home.book.day().doses[1].effective
    assert entry.note == "slept in" and entry.given_at == at(D0, 9, 45)


def test_given_at_another_time_refuses_the_future_next_to_the_field(today, home, monkeypatch):
    def fill(dialog):
        dialogs.set_wall(dialog.time_edit, at(D0, 8, 5).astimezone(
            home.book.zone()).replace(tzinfo=None) + timedelta(hours=3))
        dialog.accept()  # beyond the field's maximum: clamped to now (+5 min)
        assert dialog.result() == QDialog.DialogCode.Accepted

    _fake_ask(monkeypatch, dialogs.GivenDialog, fill)
    _select(today, home.baclofen.id, _key(8))
    today.give_at_time()
    entry = home.book.day().doses[0].effective
    assert entry.given_at <= at(D0, 8, 35)


def test_as_needed_over_the_limit_needs_a_reason(today, home, monkeypatch):
    home.book.record_prn(home.glyco.id, given_at=at(D0, 7))
    today.refresh()

    def fill(dialog):
        assert "Less than 4 hours after the dose at 07:00." in dialog.warnings.text()
        assert dialog.reason_label.text() == "&Why give it anyway? (needed)"
        dialog.accept()
        assert "override_reason" in dialog.errors._messages  # refused: no reason yet
        dialog.reason_edit.setText("nurse advised")
        dialog.accept()

    _fake_ask(monkeypatch, dialogs.GivenDialog, fill)
    index = today.model.index(0, 0, today.model.section_index("as_needed"))
    today.tree.setCurrentIndex(index)
    today.give_now()
    given = [x for x in home.book.day().extra if x.medicine.id == home.glyco.id]
    assert [x.chain.effective.override_reason for x in given] == ["", "nurse advised"]


def test_skip_other_needs_a_note_shown_next_to_it(today, home, monkeypatch):
    def fill(dialog):
        dialog.reason_buttons[SkipReason.OTHER].setChecked(True)
        dialog.accept()
        assert dialog.errors.message("note") == "Write why the dose was not given."
        dialog.note_edit.setText("feeding tube blocked")
        dialog.accept()

    _fake_ask(monkeypatch, dialogs.SkipDialog, fill)
    _select(today, home.riluzole.id, _key(8))
    today.skip()
    entry = home.book.day().doses[1].effective
    assert entry.kind is EntryKind.SKIPPED and entry.skip_reason is SkipReason.OTHER
    assert entry.note == "feeding tube blocked" and entry.recorded_by_id == home.tom.id
    today.refresh()
    assert _state(today, home.riluzole.id, _key(8)) == "⊘ Skipped: other (feeding tube blocked)"


def test_undo_adds_a_correction_and_never_deletes(today, home):
    _select(today, home.riluzole.id, _key(8))
    today.give_now()
    today.undo()
    chain = home.book.day().doses[1].chain
    assert [e.kind for e in chain.entries] == [EntryKind.GIVEN, EntryKind.ENTERED_IN_ERROR]
    assert chain.entries[1].corrects_id == chain.entries[0].id
    assert home.book.day().doses[1].state is DoseState.DUE
    assert home.ctx.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0] == 2
    assert today.feedback_label.text().startswith("Undone: riluzole 08:00 given at 08:30")
    assert not today.undo_button.isEnabled()


def test_undo_of_a_correction_brings_back_the_earlier_record(today, home, monkeypatch):
    _select(today, home.riluzole.id, _key(8))
    today.give_now()

    def fill(dialog):
        dialog.skip_radio.setChecked(True)
        dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(SkipReason.ASLEEP))

    _fake_ask(monkeypatch, dialogs.CorrectDialog, fill)
    today.refresh()
    _select(today, home.riluzole.id, _key(8))
    today.correct()
    assert home.book.day().doses[1].state is DoseState.SKIPPED
    today.undo()
    status = home.book.day().doses[1]
    assert status.state is DoseState.GIVEN and status.effective.given_at == at(D0, 8, 30)
    assert len(status.history) == 3


def test_correct_a_record_made_by_mistake(today, home, monkeypatch):
    _select(today, home.riluzole.id, _key(8))
    today.give_now()
    home.clock.set(at(D0, 8, 40))
    home.ctx.session.set_on_duty(home.ana.id)

    def fill(dialog):
        assert "Given at 08:30 by TE" in dialog.findChildren(dialogs.QLabel)[1].text()
        dialogs.set_wall(dialog.time_edit, at(D0, 8, 10).astimezone(
            home.book.zone()).replace(tzinfo=None))

    _fake_ask(monkeypatch, dialogs.CorrectDialog, fill)
    today.refresh()
    _select(today, home.riluzole.id, _key(8))
    today.correct()
    status = home.book.day().doses[1]
    first, fix = status.history
    assert fix.corrects_id == first.id and fix.given_at == at(D0, 8, 10)
    assert fix.caregiver_id == home.tom.id  # who gave it stays the same
    assert fix.recorded_by_id == home.ana.id  # who corrected it is on record
    today.refresh()
    assert _state(today, home.riluzole.id, _key(8)) == "✓ Given at 08:10 by TE (corrected)"


def test_withdrawing_a_record_needs_a_note(today, home, monkeypatch):
    _select(today, home.riluzole.id, _key(8))
    today.give_now()

    def fill(dialog):
        dialog.withdraw_radio.setChecked(True)
        dialog.accept()
        assert dialog.errors.message("note") == "Say what was wrong with the record."
        dialog.note_edit.setText("wrong medicine")
        dialog.accept()

    _fake_ask(monkeypatch, dialogs.CorrectDialog, fill)
    today.refresh()
    _select(today, home.riluzole.id, _key(8))
    today.correct()
    assert home.book.day().doses[1].state is DoseState.DUE


def test_nobody_on_duty_is_asked_inline_then_the_dose_is_recorded(today, home, qtbot):
    home.ctx.session.set_on_duty(None)
    _select(today, home.riluzole.id, _key(8))
    today.give_now()
    assert today.duty_bar.isVisible()
    assert home.book.day().doses[1].state is DoseState.DUE  # nothing saved yet
    combo = today.duty_combo
    combo.setCurrentIndex(combo.findData(home.ana.id))
    qtbot.mouseClick(today.duty_ok, Qt.MouseButton.LeftButton)
    assert not today.duty_bar.isVisible()
    entry = home.book.day().doses[1].effective
    assert (entry.caregiver_id, entry.recorded_by_id) == (home.ana.id, home.ana.id)
    assert home.ctx.settings.on_duty_caregiver_id == home.ana.id


def test_no_caregivers_yet_offers_to_add_them(ctx, main_window, fake_clock, qtbot,
                                              monkeypatch):
    opened = []
    monkeypatch.setattr("caregiver_app.ui.profile.caregivers_dialog.CaregiversDialog.ask",
                        lambda *a, **k: opened.append(a))
    fake_clock.set(at(D0, 8, 30))
    ctx.medications.add_medicine(medicine(DailyRegimen(D0, (T8,)), id=None))
    tab = main_window.today_tab
    tab.refresh()
    tab.give_now()
    assert tab.duty_bar.isVisible() and tab.duty_add.isVisible()
    assert not tab.duty_combo.isVisible()
    with qtbot.waitSignal(tab.edit_caregivers_requested, timeout=1000):
        tab.duty_add.click()
    assert len(opened) == 1  # app.py opens the caregivers list


def test_snooze_and_undo_it(today, home):
    _select(today, home.riluzole.id, _key(8))
    today.snooze(10)
    assert home.ctx.reminders.snoozed_until(home.riluzole.id, _key(8)) == at(D0, 8, 40)
    today.refresh()
    assert _state(today, home.riluzole.id, _key(8)) == "◷ Snoozed until 08:40"
    today.undo()
    assert home.ctx.reminders.snoozed_until(home.riluzole.id, _key(8)) is None


# ---- Days


def test_date_navigation_past_shows_records_future_is_planned_only(today, home, qtbot):
    home.book.record_given(home.riluzole.id, _key(8), given_at=at(D0, 8, 5))
    home.clock.set(at(D0 + timedelta(days=1), 9))
    today.go_today()
    assert today.day() == D0 + timedelta(days=1)
    qtbot.mouseClick(today.prev_button, Qt.MouseButton.LeftButton)
    assert today.day() == D0 and today.day_note.text() == "Yesterday: what was recorded"
    assert _state(today, home.riluzole.id, _key(8)) == "✓ Given at 08:05 by TE"
    assert _state(today, home.baclofen.id, _key(8)) == "✗ Missed"
    _select(today, home.baclofen.id, _key(8))
    assert not today.card.given_button.isEnabled()  # not "now" for a past day...
    assert today.card.given_at_button.isEnabled()  # ...but at the time it was given
    today.next_day()
    today.next_day()
    assert today.day() == D0 + timedelta(days=2)
    assert today.day_note.text() == "Tomorrow: planned"
    assert {r.cells[Column.STATE] for s in today.model.sections() for r in s.rows
            if r.dose} == {"○ Planned"}
    _select(today, home.riluzole.id, _key(8, D0 + timedelta(days=2)))
    assert not any(b.isEnabled() for b in today.card.buttons())
    qtbot.mouseClick(today.today_button, Qt.MouseButton.LeftButton)
    assert today.day() == D0 + timedelta(days=1)
    today.date_edit.setDate(today.date_edit.date().addDays(-1))
    assert today.day() == D0


def test_following_today_moves_on_at_midnight(today, home):
    home.clock.set(at(D0 + timedelta(days=1), 0, 1))
    today.refresh()
    assert today.day() == D0 + timedelta(days=1)


def test_the_reorder_warning_moves_on_at_midnight_while_another_day_is_shown(
        today, home, qtbot):
    """Looking at yesterday across midnight, the header's warning is said of the day it
    is now: "runs out tomorrow", not still the date it was said of the day before."""
    home.book.count_stock(home.riluzole.id, 3)
    today.refresh()
    assert "⚠ Reorder riluzole: runs out Wed 7 Jan" in today.notices_label.text()
    qtbot.keyClick(today.tree, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert today.day() == D0 - timedelta(days=1)
    home.clock.set(at(D0 + timedelta(days=1), 0, 1))
    today.refresh()
    assert today.day() == D0 - timedelta(days=1)  # (still the day they chose)
    assert "⚠ Reorder riluzole: runs out tomorrow" in today.notices_label.text()


# ---- Keyboard, text size, signals


# The offscreen platform cannot raise a popup menu or grab the keyboard for it.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_main_actions_by_keyboard_alone(today, home, main_window, qtbot):
    tree = today.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    assert today.current_row().dose.medicine.id == home.baclofen.id
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert today.current_row().dose.medicine.id == home.riluzole.id
    qtbot.keyClick(tree, Qt.Key.Key_G)
    assert home.book.day().doses[1].state is DoseState.GIVEN
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert home.book.day().doses[1].state is DoseState.DUE
    today.refresh()
    _select(today, home.baclofen.id, _key(8))
    qtbot.keyClick(tree, Qt.Key.Key_Z)
    menu = today.card.snooze_menu
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert home.ctx.reminders.snoozed_until(home.baclofen.id, _key(8)) == at(D0, 8, 40)
    qtbot.keyClick(tree, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert today.day() == D0 + timedelta(days=1)
    qtbot.keyClick(tree, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(tree, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert today.day() == D0 - timedelta(days=1)
    qtbot.keyClick(tree, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert today.day() == D0


def test_every_control_has_a_name_and_shortcuts_are_in_tooltips(today):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QTreeView

    from caregiver_app.ui.widgets import TypedField

    for widget in today.findChildren(QAbstractButton) + today.findChildren(QComboBox) + \
            today.findChildren(TypedField) + today.findChildren(QTreeView):
        assert widget.accessibleName(), widget
    tips = today.tree.toolTip()
    for key in ("G given", "S skip", "Z snooze", "Ctrl+Z undo", "Alt+Left", "Ctrl+T"):
        assert key in tips
    assert "(G)" in today.card.given_button.toolTip()


def test_large_text_view_scales_the_tab_and_is_remembered(today, home, qtbot, ctx):
    base = QApplication.font().pointSizeF()
    qtbot.mouseClick(today.large_button, Qt.MouseButton.LeftButton)
    assert today.tree.font().pointSizeF() == pytest.approx(base * 1.6)
    assert today.header_label.font().pointSizeF() == pytest.approx(base * 1.6 * 1.25)
    assert ctx.settings.today_large_text
    other = TodayTab(home.book, ctx.session, ctx.patients, ctx.settings)
    qtbot.addWidget(other)
    assert other.large_button.isChecked()
    assert other.tree.font().pointSizeF() == pytest.approx(base * 1.6)
    # the app's own text size still applies underneath
    ctx.window.set_text_scale(1.5)
    assert today.tree.font().pointSizeF() == pytest.approx(base * 1.5 * 1.6)
    ctx.window.set_text_scale(1.0)
    today.set_large_text(False)
    assert today.tree.font().pointSizeF() == pytest.approx(base)


def _cells_fit(tab) -> int:
    """Every column inside the list; every cell tall enough for its text wrapped to the
    column, and no word wider than it. Returns how many cells were checked."""
    from PySide6.QtGui import QFont, QFontMetrics

    tree = tab.tree
    header = tree.header()
    right = max(header.sectionPosition(c) + header.sectionSize(c) for c in Column)
    assert right <= tree.viewport().width() + 1
    assert tree.horizontalScrollBar().maximum() == 0
    metrics = QFontMetrics(tree.font())
    bold = QFont(tree.font())
    bold.setBold(True)
    pill_metrics = QFontMetrics(bold)  # overdue and missed states are bold
    line = metrics.height()
    checked = 0
    model = tab.model
    for s in range(model.rowCount()):
        parent = model.index(s, 0)
        for r in range(model.rowCount(parent)):
            for column in Column:
                cell = model.index(r, column, parent)
                text = cell.data()
                if not text:
                    continue
                rect = tree.visualRect(cell)
                if column == Column.STATE:  # the pill's text sits inside its margins
                    urgent = cell.data(LOOK_ROLE) in ("overdue", "missed", "conflict")
                    width = rect.width() - 2 * max(2, line // 5) - line
                    fm = pill_metrics if urgent else metrics
                else:
                    width, fm = rect.width() - 8, metrics
                needed = fm.boundingRect(0, 0, width, 100_000, int(Qt.TextFlag.TextWordWrap),
                                         text).height()
                assert rect.height() >= needed, (text, rect.height(), needed)
                widest = max(fm.horizontalAdvance(w) for w in text.split())
                assert widest <= width, (text, widest, width)  # no word is cut off
                checked += 1
    return checked


@pytest.mark.parametrize("when", [(8, 30), (20, 30)], ids=["overdue", "overdue+unrecorded"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_nothing_is_cut_off_on_a_laptop_window(today, home, main_window, qtbot, large, when):
    """Every column stays inside the list, and every cell is tall enough for its text
    wrapped to the column: no instruction or state is hidden behind an ellipsis. With
    overdue doses (and, in the evening, doses not recorded yet) at large text too; the
    time column is as wide as the times, not as the section titles spanning it; the
    columns follow the list when the card beside it changes (another dose selected);
    and the card keeps a share of the width, every button whole."""
    from caregiver_app.domain.vocab import FoodRule, FoodRuleKind

    home.book.add_medicine(medicine(
        DailyRegimen(D0, (T20,)), id=None,
        generic_name="edaravone (Radicava ORS) oral suspension, given by feeding tube",
        food_rule=FoodRule(FoodRuleKind.EMPTY_STOMACH, before_minutes=480, after_minutes=60)))
    home.clock.set(at(D0, *when))
    main_window.resize(1100, 750)
    today.set_large_text(large)
    today.refresh()
    qtbot.waitUntil(lambda: today.tree.viewport().width() > 0)
    keys = [k for k, _ in _sections(today)]
    assert keys[0] == "overdue"
    if when == (20, 30):
        assert keys[1] == "unrecorded"
    tree = today.tree
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(tree.font())
    times = [r.cells[Column.TIME] for r in today.model.rows() if r.kind is not RowKind.PRN]
    widest_time = max(metrics.horizontalAdvance(t) for t in times)
    assert tree.columnWidth(Column.TIME) <= (widest_time + tree.indentation()
                                             + 2 * metrics.height() + 8)
    assert _cells_fit(today) > 6
    for row in list(today.model.rows()):  # the card changes with each dose shown
        index = today.model.index_of(row.identity)
        tree.setCurrentIndex(index)
        QApplication.processEvents()
        _cells_fit(today)
        card = today.card
        assert card.width() <= max(card.minimumSizeHint().width(),
                                   today.width() * 0.3), card.width()
        for button in card.buttons():
            assert button.width() >= button.minimumSizeHint().width(), (
                button.text(), row.cells, card.width(), card.minimumSizeHint(),
                card.maximumWidth(), today.width(), today.splitter.sizes())
        assert card.geometry().right() <= today.width()
    # the card dragged wider: it stops at its share, and the columns follow the list
    header = tree.header()
    today.splitter.setSizes([100, 2000])
    QApplication.processEvents()
    assert today.card.width() <= max(today.card.minimumSizeHint().width(),
                                     int(today.width() * 0.25)) + 1
    _cells_fit(today)
    if not large:  # room for every column: what to know now keeps a quarter of the list
        assert header.sectionSize(Column.NOTES) >= tree.viewport().width() // 4 - 1
    today.splitter.setSizes([2000, 100])
    QApplication.processEvents()
    _cells_fit(today)
    if not large:
        assert header.sectionSize(Column.NOTES) >= tree.viewport().width() // 4 - 1
    today.set_large_text(False)


def test_medicine_name_and_print_button_ask_the_rest_of_the_app(today, home, qtbot):
    _select(today, home.riluzole.id, _key(8))
    with qtbot.waitSignal(today.show_medicine_requested, timeout=1000) as shown:
        qtbot.mouseClick(today.card.name_button, Qt.MouseButton.LeftButton)
    assert shown.args == [home.riluzole.id]
    with qtbot.waitSignal(today.print_requested, timeout=1000) as printed:
        qtbot.mouseClick(today.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == ["checklist", D0]


def test_a_hidden_tab_does_no_work_until_shown(home, main_window, qtbot, monkeypatch):
    tab = main_window.today_tab
    main_window.show_tab("learn")
    calls = []
    monkeypatch.setattr(home.book, "day", lambda *a, **k: calls.append(a))
    home.book.refill(home.riluzole.id, 30)  # a write while Today is hidden
    tab.refresh()
    assert calls == []


def test_app_shows_the_medicine_and_previews_the_checklist(today, home, main_window, qtbot):
    _select(today, home.riluzole.id, _key(8))
    today.card.name_button.click()
    assert main_window.current_tab_key() == "medications"
    tab = main_window.tabs.currentWidget()
    assert tab.current_medicine_id() == home.riluzole.id
    main_window.show_tab("today")
    today.print_button.click()
    preview = home.ctx.printing.last_preview
    assert preview is not None and preview.isVisible()
    assert preview.windowTitle() == "Print preview: Daily medication checklist"
    preview.reject()


# ---- After sleep or a clock change


class _Monotonic:
    """A monotonic clock that stands still while the laptop sleeps."""

    def __init__(self):
        self.value = 1000.0

    def __call__(self):
        return self.value


@pytest.mark.qt_log_ignore("does not support raise")
def test_after_sleep_today_shows_the_new_day(today, home, qtbot):
    """Open on Monday evening, the laptop sleeps until Tuesday 08:30: Today shows
    Tuesday (its doses, the right header, Back to today off), both at once and after
    "Decide later" in the list (it used to keep Monday, labelled Today)."""
    reminders = home.ctx.reminders
    mono = _Monotonic()
    reminders._monotonic = mono
    home.clock.set(at(D0, 22, 30))
    today.refresh()
    reminders.start()
    QApplication.processEvents()  # nothing else pending: only the jump can move the day
    assert today.day() == D0 and not today._refresh_soon.isActive()
    home.clock.set(at(D0, 22, 31))
    mono.value += 60
    reminders.check_clock()
    home.clock.set(at(D0 + timedelta(days=1), 8, 30))  # asleep: the monotonic clock stood
    mono.value += 60
    reminders.check_clock()
    tuesday = D0 + timedelta(days=1)

    def shows_tuesday() -> bool:
        return today.day() == tuesday

    qtbot.waitUntil(shows_tuesday, timeout=2000)
    dialog = home.ctx.alerts.catch_up_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.answered, timeout=1000):
        dialog.later_button.click()
    QApplication.processEvents()
    assert today.day() == tuesday and today.day_note.text() == "Today"
    assert not today.today_button.isEnabled()
    assert today.header_label.text().startswith("2 overdue · Next: 14:00 baclofen")
    keys = {r.dose.occurrence.key for r in today.model.rows() if r.dose}
    assert _key(8, tuesday) in keys and _key(8) not in keys
    assert today.current_row().dose.occurrence.key == _key(8, tuesday)
    reminders.stop()


def test_activating_the_window_after_the_clock_moved_shows_the_new_day(today, home, qtbot,
                                                                       monkeypatch):
    home.clock.set(at(D0, 22, 30))
    today.refresh()
    QApplication.processEvents()
    reads = []
    day = home.book.day
    monkeypatch.setattr(home.book, "day", lambda *a, **k: reads.append(a) or day(*a, **k))
    QApplication.sendEvent(today, QEvent(QEvent.Type.WindowActivate))
    QApplication.processEvents()
    assert reads == []  # nothing changed: no work
    home.clock.set(at(D0 + timedelta(days=1), 7, 30))  # the clock moved, no timer noticed
    QApplication.sendEvent(today, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: today.day() == D0 + timedelta(days=1), timeout=2000)
    assert today.day_note.text() == "Today"


# ---- Not recorded yet


def test_doses_past_their_grace_period_ask_what_happened_on_top(today, home, monkeypatch):
    home.clock.set(at(D0, 19, 30))  # nothing recorded all day
    today.refresh()
    sections = _sections(today)
    assert sections[0] == ("unrecorded", ["08:00 baclofen 50 mg", "08:00 riluzole 50 mg",
                                          "14:00 baclofen 50 mg"])
    section = today.model.sections()[0]
    assert section.title == "Not recorded yet: say what happened (3)" and section.urgent
    assert "morning" not in [k for k, _ in sections]  # they left their part of the day
    first = today.current_row()
    assert first is section.rows[0]  # the first thing to answer is selected
    riluzole = section.rows[1]
    assert riluzole.cells[Column.STATE] == "✗ Missed: not recorded yet"
    assert riluzole.cells[Column.NOTES] == (
        "Say what happened: given at another time (Shift+G), or not given (S)")
    # answered from the keyboard: Shift+G, a time, saved
    seen = _fake_ask(monkeypatch, dialogs.GivenDialog, lambda d: dialogs.set_wall(
        d.time_edit, at(D0, 8, 10).astimezone(home.book.zone()).replace(tzinfo=None)))
    _select(today, home.riluzole.id, _key(8))
    qtbot_key = today.shortcuts[QKeySequence("Shift+G").toString()]
    qtbot_key.activated.emit()
    assert seen and home.book.day().doses[1].effective.given_at == at(D0, 8, 10)
    today.refresh()
    assert [r.cells[Column.MEDICINE] for r in today.model.sections()[0].rows] == [
        "baclofen 50 mg", "baclofen 50 mg"]
    # overdue doses stay above it
    home.clock.set(at(D0, 20, 30))
    today.refresh()
    assert [k for k, _ in _sections(today)][:2] == ["overdue", "unrecorded"]



def test_past_days_keep_their_plain_record(today, home):
    home.clock.set(at(D0 + timedelta(days=1), 9))
    today.go_today()
    today.previous_day()
    sections = _sections(today)
    assert [k for k, _ in sections] == ["morning", "midday", "evening", "as_needed"]
    assert _state(today, home.riluzole.id, _key(8)) == "✗ Missed"


def test_a_late_night_dose_not_recorded_comes_along_to_the_next_day(home, main_window):
    late = home.book.add_medicine(medicine(DailyRegimen(D0, (time(23),)), id=None,
                                           generic_name="melatonin"))
    home.clock.set(at(D0 + timedelta(days=1), 1, 30))  # its grace period ended at 01:00
    tab = main_window.today_tab
    tab.go_today()
    first = tab.model.sections()[0]
    assert first.key == "unrecorded"
    assert [(r.dose.medicine.id, r.cells[Column.TIME]) for r in first.rows] == [
        (late.id, "23:00 Mon")]
    assert "1 not recorded from yesterday" in tab.header_label.text()


# ---- Enter records nothing


def test_enter_or_a_double_click_on_a_dose_records_nothing(today, home, qtbot):
    """Activating a row (Enter, double-click, or one click on desktops that open items
    that way) goes to the Given button and says how to record; it used to record the
    dose as given at once."""
    tree = today.tree
    _select(today, home.riluzole.id, _key(8))
    qtbot.waitUntil(tree.hasFocus)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert home.book.day().doses[1].state is DoseState.DUE
    assert today.card.given_button.hasFocus()
    assert today.feedback_label.text() == "Press G or the Given button to record it."
    _select(today, home.baclofen.id, _key(8))
    rect = tree.visualRect(tree.currentIndex())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert home.book.day().doses[0].state is DoseState.DUE
    assert home.ctx.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0] == 0
    qtbot.keyClick(today.card.given_button, Qt.Key.Key_G)  # G still records
    assert home.book.day().doses[0].state is DoseState.GIVEN


def test_enter_on_a_dose_not_recorded_goes_to_given_at_another_time(today, home, qtbot,
                                                                    monkeypatch):
    asked = []  # no dialog either (it used to open "Record as given", with now as the time)
    monkeypatch.setattr(dialogs.GivenDialog, "ask", classmethod(lambda cls, **k: asked.append(k)))
    home.clock.set(at(D0, 11))
    today.refresh()
    _select(today, home.riluzole.id, _key(8))
    qtbot.keyClick(today.tree, Qt.Key.Key_Enter)
    assert asked == []
    assert today.card.given_at_button.hasFocus()
    assert "Given at another time (Shift+G)" in today.feedback_label.text()
    assert home.book.day().doses[1].effective is None


# ---- The keyboard starts on the list


def test_the_dose_list_has_the_keyboard_when_today_is_shown(home, main_window, qtbot):
    """G, S and Z work at once: the list has the keyboard on start and whenever the tab
    is shown (it used to be the "Caregiver on duty" list, where a letter changes who is
    on duty)."""
    tab = main_window.today_tab
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.tree, timeout=2000)
    main_window.show_tab("learn")
    main_window.duty_combo.setFocus()
    main_window.show_tab("today")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.tree, timeout=2000)
    tab.refresh()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_G)
    assert home.book.day().doses[0].state is DoseState.GIVEN
    assert home.ctx.session.on_duty_id == home.tom.id


# ---- Read about this medicine


def test_read_about_this_medicine_opens_its_article(today, home, main_window, qtbot):
    with_article = home.book.add_medicine(medicine(
        DailyRegimen(D0, (time(9),)), id=None, generic_name="baclofen",
        reference_id="baclofen"))
    today.refresh()
    _select(today, home.riluzole.id, _key(8))
    assert today.card.read_button.isHidden()  # no reference entry: nothing to read
    _select(today, with_article.id, "2026-01-05T09:00")
    button = today.card.read_button
    assert button.isVisible() and button.accessibleName() == "Read about baclofen"
    with qtbot.waitSignal(today.read_about_requested, timeout=1000) as asked:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked.args == ["baclofen"]
    assert main_window.current_tab_key() == "learn"  # app.py opens the article


def test_read_about_as_the_first_visit_to_learn_opens_the_article_at_its_top(
        today, home, main_window, qtbot):
    # The Learn tab is built and its articles read only now: its reader is shown for the
    # first time with this article in it.
    with_article = home.book.add_medicine(medicine(
        DailyRegimen(D0, (time(9),)), id=None, generic_name="baclofen",
        reference_id="baclofen"))
    today.refresh()
    _select(today, with_article.id, "2026-01-05T09:00")
    main_window.resize(1366, 768)
    qtbot.mouseClick(today.card.read_button, Qt.MouseButton.LeftButton)
    learn = main_window.tab_widget("learn")
    qtbot.waitUntil(lambda: learn.is_loaded() and learn.reader.isVisible())
    QApplication.processEvents()
    bar = learn.reader.verticalScrollBar()
    assert learn.current_article().id == "cramps-and-stiffness"
    assert bar.maximum() > 0  # the article is longer than the reader
    assert bar.value() == 0  # its title is in view, not the sources at its end


def _tab_to(qtbot, widget, presses: int = 30) -> None:
    """Press Tab until ``widget`` has the keyboard focus."""
    for _ in range(presses):
        if widget.hasFocus():
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert widget.hasFocus()


def test_card_link_buttons_show_a_clear_focus_ring_when_tabbed_to(today, home, qtbot):
    # "baclofen ›" and "Read about this medicine ›" are flat: the style draws no ring
    # for them, so a keyboard or switch user could not see where the focus was.
    from caregiver_app.ui.palette import contrast_ratio, focus_ring_colour

    with_article = home.book.add_medicine(medicine(
        DailyRegimen(D0, (time(9),)), id=None, generic_name="baclofen",
        reference_id="baclofen"))
    today.refresh()
    _select(today, with_article.id, "2026-01-05T09:00")
    card = today.card
    today.tree.setFocus()
    qtbot.waitUntil(today.tree.hasFocus)
    for button in (card.name_button, card.read_button):
        unfocused = button.grab().toImage()
        _tab_to(qtbot, button)
        focused = button.grab().toImage()
        ring = focus_ring_colour(button.palette())
        assert contrast_ratio(ring, button.palette().window().color()) >= 3.0
        middle_x, middle_y = focused.width() // 2, focused.height() // 2
        edge_pixels = [(x, middle_y) for x in (0, 1, focused.width() - 2,
                                               focused.width() - 1)]
        edge_pixels += [(middle_x, y) for y in (0, 1, focused.height() - 2,
                                                focused.height() - 1)]
        for x, y in edge_pixels:  # a ring at least 2 pixels wide on every side
            assert focused.pixelColor(x, y).rgb() == ring.rgb(), (button.text(), x, y)
            assert unfocused.pixelColor(x, y).rgb() != ring.rgb(), (button.text(), x, y)


def test_overdue_empty_stomach_dose_reads_as_a_check_with_clock_times(today, home):
    # nothing eaten in the 2 hours before the dose, no food in the hour after (the rule
    # "1 hour before or 2 hours after food"), told as clock times from now, 08:30
    expected = ("Empty stomach: check nothing was eaten since 06:30; "
                "if given now, no food until 09:30")
    overdue = today.model.sections()[0]
    riluzole = next(r for r in overdue.rows if r.dose.medicine.id == home.riluzole.id)
    assert riluzole.cells[Column.NOTES] == expected
    _select(today, home.riluzole.id, _key(8))
    assert expected in today.card.notes_label.text()


def test_headline_puts_overdue_doses_before_saying_none_are_due_later(today, home):
    # "No more doses due today · 2 overdue" began by saying the day was done
    home.clock.set(at(D0, 20, 30))
    for medicine_id, hour in ((home.riluzole.id, 8), (home.baclofen.id, 8),
                              (home.baclofen.id, 14)):
        home.book.record_given(medicine_id, _key(hour))
    today.refresh()
    assert today.header_label.text() == "2 overdue · no more doses due later today"
