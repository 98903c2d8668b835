"""Undo acts on exactly the last action taken in this window, whatever took it (issue
#23's blocker): it says which dose and time it will take back before doing it, and it
stops offering an action after a few minutes or once another action came after it."""

from __future__ import annotations

from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from medicine_builders import D0, at, medicine
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from caregiver_app.domain.doses import DoseState, EntryKind
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.ui.today import dialogs

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

T1133, T1139 = time(11, 33), time(11, 39)


class Monotonic:
    def __init__(self):
        self.value = 0.0

    def __call__(self):
        return self.value


@pytest.fixture
def home(ctx, fake_clock):
    """Jane in New York, Tom on duty, riluzole due at 11:33 and 11:39 (the issue's)."""
    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                              time_zone="America/New_York"))
    saved = ctx.session.save_caregivers([Caregiver("Tom Example", "TE")])
    ctx.session.set_on_duty(saved[0].id)
    fake_clock.set(at(D0, 11, 34))
    book = ctx.medications
    riluzole = book.add_medicine(medicine(DailyRegimen(D0, (T1133, T1139)), id=None))
    baclofen = book.add_medicine(medicine(DailyRegimen(D0, (T1133,)), id=None,
                                          generic_name="baclofen"))
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="Drooling"))
    return SimpleNamespace(ctx=ctx, book=book, clock=fake_clock, tom=saved[0],
                           riluzole=riluzole, baclofen=baclofen, glyco=glyco)


@pytest.fixture
def today(home, main_window):
    main_window.show_tab("today")
    tab = main_window.today_tab
    tab.refresh()
    return tab


def answer(monkeypatch, dialog_class, person):
    """``dialog_class``'s ``exec()`` shows the real dialog and lets ``person`` (a function
    of the dialog) click and type in it, instead of waiting for someone."""
    seen = []

    def run(dialog):
        seen.append(dialog)
        dialog.show()
        person(dialog)
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", run)
    return seen


def _tick(qtbot, radio):
    """Click a radio button on its round indicator (a click beside its words is not
    a click on it)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(6, radio.height() // 2))
    assert radio.isChecked()


def _ok(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _entries(home) -> int:
    return home.ctx.db.execute("SELECT count(*) FROM dose_entries").fetchone()[0]


def _key(hour: int, minute: int) -> str:
    return f"{D0.isoformat()}T{hour:02d}:{minute:02d}"


def _click_row(qtbot, tab, medicine_id: int, key: str) -> None:
    """Click the dose's row in the list, as a person does."""
    tab.refresh()
    index = tab.model.find_dose(medicine_id, key)
    assert index.isValid()
    tab.tree.scrollTo(index)
    rect = tab.tree.visualRect(index)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.current_row().dose.occurrence.key == key


def _chain(book, medicine_id: int, key: str):
    status = next(s for s in book.day().doses
                  if (s.medicine.id, s.occurrence.key) == (medicine_id, key))
    return status


def _ctrl_z(qtbot, tab) -> None:
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def _sleep_until(home, mono: Monotonic, moment) -> None:
    """The laptop sleeps and wakes at ``moment``: the watchdog sees the jump."""
    home.clock.set(moment)
    mono.value += 60
    home.ctx.reminders.check_clock()


def test_undo_after_the_catch_up_list_takes_back_its_answer_not_the_earlier_dose(
        home, main_window, qtbot):
    """The issue's sequence: the 11:33 dose given from Today; later the "while you were
    away" list is answered for the 11:39 dose; Undo. It used to withdraw the 11:33
    dose ("Undone straight after it was recorded"), which then read overdue and was
    reminded about again: a double-dose risk."""
    tab = main_window.today_tab
    main_window.show_tab("today")
    rid = home.riluzole.id
    mono = Monotonic()
    home.ctx.reminders._monotonic = mono
    home.ctx.reminders.start()
    _click_row(qtbot, tab, rid, _key(11, 33))
    qtbot.mouseClick(tab.card.given_button, Qt.MouseButton.LeftButton)
    assert _chain(home.book, rid, _key(11, 33)).state is DoseState.GIVEN
    _sleep_until(home, mono, at(D0, 11, 44))  # asleep while 11:39 fell due
    dialog = home.ctx.alerts.catch_up_dialog
    assert dialog is not None and len(dialog.rows) == 1
    qtbot.mouseClick(dialog.rows[0].buttons["due"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.answered, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _chain(home.book, rid, _key(11, 39)).state is DoseState.GIVEN

    home.clock.set(at(D0, 11, 45))
    # before anything is undone, the Undo button says which dose and time
    assert tab.undo_button.isEnabled()
    assert "riluzole 11:39" in tab.undo_button.text()
    assert "11:33" not in tab.undo_button.text() + tab.undo_button.toolTip()
    _ctrl_z(qtbot, tab)

    first = _chain(home.book, rid, _key(11, 33))
    assert first.state is DoseState.GIVEN
    assert [e.kind for e in first.history] == [EntryKind.GIVEN]  # untouched
    second = _chain(home.book, rid, _key(11, 39))
    assert [e.kind for e in second.history] == [EntryKind.GIVEN, EntryKind.ENTERED_IN_ERROR]
    assert tab.feedback_label.text().startswith("Undone: riluzole 11:39")
    # and nothing older is offered now: the 11:33 record is corrected with Correct
    assert not tab.undo_button.isEnabled()
    _ctrl_z(qtbot, tab)
    assert [e.kind for e in _chain(home.book, rid, _key(11, 33)).history] == [
        EntryKind.GIVEN]
    assert "Correct this record" in tab.feedback_label.text()
    home.ctx.reminders.stop()


def test_undo_is_not_offered_after_a_few_minutes(home, main_window, qtbot):
    tab = main_window.today_tab
    main_window.show_tab("today")
    rid = home.riluzole.id
    _click_row(qtbot, tab, rid, _key(11, 33))
    qtbot.mouseClick(tab.card.given_button, Qt.MouseButton.LeftButton)
    assert tab.undo_button.isEnabled()
    home.clock.set(at(D0, 11, 40))  # six minutes later
    _ctrl_z(qtbot, tab)
    assert [e.kind for e in _chain(home.book, rid, _key(11, 33)).history] == [
        EntryKind.GIVEN]
    assert not tab.undo_button.isEnabled()
    assert "Correct this record" in tab.feedback_label.text()


# ---- Every path that records, then Undo (the real clicks and keys)


def _key_on_list(qtbot, tab, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, key, modifier)


def _undo_click(qtbot, tab) -> None:
    assert tab.undo_button.isEnabled()
    qtbot.mouseClick(tab.undo_button, Qt.MouseButton.LeftButton)


def _kinds(home, medicine_id, key):
    return [e.kind for e in _chain(home.book, medicine_id, key).history]


def test_given_with_the_g_key_then_the_undo_button(today, home, qtbot):
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_G)
    assert _chain(home.book, home.riluzole.id, _key(11, 33)).state is DoseState.GIVEN
    assert today.undo_button.text() == "↶  &Undo: riluzole 11:33 given"
    assert "riluzole 11:33 given at 11:34 by TE" in today.undo_button.toolTip()
    _undo_click(qtbot, today)
    assert _kinds(home, home.riluzole.id, _key(11, 33)) == [
        EntryKind.GIVEN, EntryKind.ENTERED_IN_ERROR]
    entry = _chain(home.book, home.riluzole.id, _key(11, 33)).history[-1]
    assert entry.note == "Undone straight after it was recorded (Undo)."
    assert entry.recorded_by_id == home.tom.id
    assert today.undo_button.text() == "↶  &Undo" and not today.undo_button.isEnabled()


def test_given_at_another_time_then_ctrl_z(today, home, qtbot, monkeypatch):
    def person(dialog):
        dialogs.set_wall(dialog.time_edit, at(D0, 11, 30).astimezone(
            home.book.zone()).replace(tzinfo=None))
        _ok(qtbot, dialog.ok_button)

    seen = answer(monkeypatch, dialogs.GivenDialog, person)
    _click_row(qtbot, today, home.baclofen.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_G, Qt.KeyboardModifier.ShiftModifier)
    assert len(seen) == 1
    assert _chain(home.book, home.baclofen.id, _key(11, 33)).effective.given_at == at(
        D0, 11, 30)
    assert "baclofen 11:33 given at 11:30" in today.undo_button.toolTip()
    _ctrl_z(qtbot, today)
    assert _chain(home.book, home.baclofen.id, _key(11, 33)).state is DoseState.DUE


def test_skip_then_undo(today, home, qtbot, monkeypatch):
    def person(dialog):
        _tick(qtbot, dialog.reason_buttons[SkipReason.ASLEEP])
        ok = next(b for b in dialog.findChildren(QPushButton)
                  if b.text() == "&Record as not given")
        _ok(qtbot, ok)

    answer(monkeypatch, dialogs.SkipDialog, person)
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_S)
    assert _chain(home.book, home.riluzole.id, _key(11, 33)).state is DoseState.SKIPPED
    assert today.undo_button.text() == "↶  &Undo: riluzole 11:33 not given"
    _undo_click(qtbot, today)
    assert _chain(home.book, home.riluzole.id, _key(11, 33)).state is DoseState.DUE


def test_a_correction_undone_brings_back_the_record_and_nothing_older(today, home, qtbot,
                                                                      monkeypatch):
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_G)

    def person(dialog):
        _tick(qtbot, dialog.skip_radio)
        dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(SkipReason.ASLEEP))
        ok = next(b for b in dialog.findChildren(QPushButton)
                  if b.text() == "Save &correction")
        _ok(qtbot, ok)

    answer(monkeypatch, dialogs.CorrectDialog, person)
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_C)
    assert _chain(home.book, home.riluzole.id, _key(11, 33)).state is DoseState.SKIPPED
    assert today.undo_button.text() == "↶  &Undo: correction of riluzole 11:33"
    _ctrl_z(qtbot, today)
    status = _chain(home.book, home.riluzole.id, _key(11, 33))
    assert status.state is DoseState.GIVEN and status.effective.given_at == at(D0, 11, 34)
    assert len(status.history) == 3
    # the Given before the correction is not offered: that would be an older action
    assert not today.undo_button.isEnabled()
    _ctrl_z(qtbot, today)
    assert len(_chain(home.book, home.riluzole.id, _key(11, 33)).history) == 3


def test_snooze_chosen_with_the_z_key_then_undo(today, home, qtbot):
    reminders = home.ctx.reminders
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_Z)
    menu = today.card.snooze_menu
    assert menu.isVisible()
    today.card.snooze_actions[15].trigger()
    assert reminders.snoozed_until(home.riluzole.id, _key(11, 33)) == at(D0, 11, 49)
    assert today.undo_button.text() == "↶  &Undo: riluzole 11:33 snoozed"
    assert "snoozed until 11:49" in today.undo_button.toolTip()
    before = _entries(home)
    _undo_click(qtbot, today)
    assert reminders.snoozed_until(home.riluzole.id, _key(11, 33)) is None
    assert _entries(home) == before  # a snooze is not a dose record
    assert today.feedback_label.text() == "Undone: riluzole 11:33 snoozed until 11:49."


def test_an_as_needed_dose_then_undo(today, home, qtbot):
    index = today.model.index(0, 0, today.model.section_index("as_needed"))
    rect = today.tree.visualRect(index)
    qtbot.mouseClick(today.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    _key_on_list(qtbot, today, Qt.Key.Key_G)
    given = [x for x in home.book.day().extra if x.medicine.id == home.glyco.id]
    assert len(given) == 1
    assert today.undo_button.text() == "↶  &Undo: glycopyrrolate (as needed) given"
    _ctrl_z(qtbot, today)
    assert [x for x in home.book.day().extra if x.medicine.id == home.glyco.id] == []
    assert home.book.prn_status(home.glyco.id).allowed


def test_given_from_the_reminder_banner_then_undo(today, home, qtbot, main_window):
    home.ctx.reminders.start()
    banner = home.ctx.alerts.banner
    assert banner.isVisible() and len(banner.items()) == 2  # baclofen and riluzole, 11:33
    main_window.show_tab("learn")
    qtbot.mouseClick(banner.given_button(1), Qt.MouseButton.LeftButton)
    assert _chain(home.book, home.riluzole.id, _key(11, 33)).state is DoseState.GIVEN
    assert main_window.current_tab_key() == "today"
    assert today.undo_button.text() == "↶  &Undo: riluzole 11:33 given"
    _undo_click(qtbot, today)
    assert _chain(home.book, home.riluzole.id, _key(11, 33)).state is DoseState.DUE
    assert _chain(home.book, home.baclofen.id, _key(11, 33)).history == ()
    home.ctx.reminders.stop()


def test_a_snooze_from_the_reminder_banner_can_be_undone(today, home, qtbot):
    """Issue #23, item 7: a snooze chosen on the banner is an action like any other."""
    reminders = home.ctx.reminders
    reminders.start()
    banner = home.ctx.alerts.banner
    ten = next(a for a in banner.snooze_menu(0).actions() if a.text() == "10 minutes")
    ten.trigger()
    assert reminders.snoozed_until(home.baclofen.id, _key(11, 33)) == at(D0, 11, 44)
    assert today.undo_button.text() == "↶  &Undo: baclofen 11:33 snoozed"
    _ctrl_z(qtbot, today)
    assert reminders.snoozed_until(home.baclofen.id, _key(11, 33)) is None
    assert reminders.snoozes() == {}
    reminders.stop()


def test_the_answers_of_one_save_in_the_list_are_undone_together(home, main_window, qtbot):
    from caregiver_app.storage.reminders_repo import ReminderRepository

    ReminderRepository(home.ctx.db).set_watched_until(at(D0, 11))
    home.clock.set(at(D0, 11, 50))
    main_window.show_tab("today")
    tab = main_window.today_tab
    home.ctx.reminders.start()
    dialog = home.ctx.alerts.catch_up_dialog
    assert len(dialog.rows) == 3  # baclofen 11:33, riluzole 11:33 and 11:39
    for row in dialog.rows:
        qtbot.mouseClick(row.buttons["due"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.answered, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert tab.undo_button.text() == "↶  &Undo: 3 answers"
    assert ("3 answers saved together: baclofen 11:33, riluzole 11:33, riluzole 11:39"
            in tab.undo_button.toolTip())  # which doses and times, before it acts
    _undo_click(qtbot, tab)
    for mid, key in ((home.baclofen.id, _key(11, 33)), (home.riluzole.id, _key(11, 33)),
                     (home.riluzole.id, _key(11, 39))):
        assert _kinds(home, mid, key) == [EntryKind.GIVEN, EntryKind.ENTERED_IN_ERROR]
    home.ctx.reminders.stop()


def test_an_extra_dose_from_medications_is_undone_from_today(home, main_window, qtbot,
                                                             monkeypatch):
    from caregiver_app.ui.medications.action_dialogs import ExtraDoseDialog

    def person(dialog):
        qtbot.keyClicks(dialog.reason_edit, "bad cramps")
        _ok(qtbot, dialog.ok_button)

    answer(monkeypatch, ExtraDoseDialog, person)
    medications = main_window.show_tab("medications")
    assert medications.select_medicine(home.baclofen.id)
    qtbot.mouseClick(medications.extra_button, Qt.MouseButton.LeftButton)
    extra = [x for x in home.book.day().extra if x.medicine.id == home.baclofen.id]
    assert len(extra) == 1
    main_window.show_tab("today")
    tab = main_window.today_tab
    assert tab.undo_button.text() == "↶  &Undo: baclofen (extra dose) given"
    _ctrl_z(qtbot, tab)
    assert [x for x in home.book.day().extra if x.medicine.id == home.baclofen.id] == []


def test_another_kind_of_change_ends_the_offer(today, home, qtbot):
    """Given, then a refill saved: the Given is no longer the last action."""
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_G)
    assert today.undo_button.isEnabled()
    home.book.refill(home.riluzole.id, 30)
    assert not today.undo_button.isEnabled()
    _ctrl_z(qtbot, today)
    assert _kinds(home, home.riluzole.id, _key(11, 33)) == [EntryKind.GIVEN]


def test_undo_takes_back_the_latest_action_whatever_took_it(today, home, qtbot):
    """The Undo button follows the last action: a dose given from the banner after one
    given on Today is the one named, and the one undone."""
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_G)
    home.ctx.reminders.start()
    banner = home.ctx.alerts.banner
    assert [i.medicine_id for i in banner.items()] == [home.baclofen.id]
    qtbot.mouseClick(banner.given_button(0), Qt.MouseButton.LeftButton)
    assert today.undo_button.text() == "↶  &Undo: baclofen 11:33 given"
    _ctrl_z(qtbot, today)
    assert _kinds(home, home.baclofen.id, _key(11, 33)) == [
        EntryKind.GIVEN, EntryKind.ENTERED_IN_ERROR]
    assert _kinds(home, home.riluzole.id, _key(11, 33)) == [EntryKind.GIVEN]
    home.ctx.reminders.stop()


def test_an_action_shown_is_never_undone_in_place_of_a_newer_one(home):
    """The service refuses when the action named to the caregiver is no longer last."""
    from caregiver_app.domain.errors import ValidationError

    undo = home.ctx.undo
    home.book.record_given(home.riluzole.id, _key(11, 33))
    shown = undo.last()
    home.book.record_given(home.baclofen.id, _key(11, 33))
    with pytest.raises(ValidationError, match="Something else was recorded meanwhile"):
        undo.undo(shown)
    assert _entries(home) == 2


def test_undo_asks_who_is_on_duty_when_nobody_is(today, home, qtbot):
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_G)
    home.ctx.session.set_on_duty(None)
    _undo_click(qtbot, today)
    assert today.duty_bar.isVisible()
    assert _kinds(home, home.riluzole.id, _key(11, 33)) == [EntryKind.GIVEN]
    qtbot.mouseClick(today.duty_ok, Qt.MouseButton.LeftButton)
    assert _kinds(home, home.riluzole.id, _key(11, 33)) == [
        EntryKind.GIVEN, EntryKind.ENTERED_IN_ERROR]


def test_the_offer_ends_on_time_while_the_app_is_idle(today, home, qtbot):
    _click_row(qtbot, today, home.riluzole.id, _key(11, 33))
    _key_on_list(qtbot, today, Qt.Key.Key_G)
    undo = home.ctx.undo
    assert undo.expiry.isActive()
    assert 290_000 <= undo.expiry.remainingTime() <= 316_000  # five minutes (coarse)
    home.clock.set(at(D0, 11, 39, ) + timedelta(seconds=1))
    undo.expiry.timeout.emit()
    assert not today.undo_button.isEnabled()
    assert today.undo_button.text() == "↶  &Undo"
