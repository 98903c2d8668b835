"""The Medications tab: the list (filters, search, sort, state in words and icons), its
actions (pause, resume, stop that asks first, cycle changes, stock), the details pane,
the history with correction chains, printing, and the wiring into the app."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import Qt

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.regimens import CycleRegimen, CycleShift, DailyRegimen
from caregiver_app.domain.vocab import MedicineStatus, SkipReason
from caregiver_app.ui.medications import (
    MedicationsTab,
    action_dialogs,
    history_dialog,
    medicine_dialog,
)
from caregiver_app.ui.medications import tab as tab_module
from caregiver_app.ui.medications.action_dialogs import (
    CycleAction,
    CycleDialog,
    StockAction,
    StockDialog,
)
from caregiver_app.ui.medications.history_dialog import HistoryDialog, HistoryShow
from caregiver_app.ui.medications.list_model import Column, RowState


@pytest.fixture
def meds(book):
    """riluzole (daily, 30 tablets), baclofen (paused), edaravone (cycle), quinine
    (stopped)."""
    riluzole = book.add_medicine(medicine(
        DailyRegimen(D0, (T8, T20)), id=None, brand_name="Rilutek", reference_id="riluzole",
        purpose="Slows ALS", supply=SupplySettings(unit="tablet", reorder_days=5)))
    book.count_stock(riluzole.id, 30)
    baclofen = book.add_medicine(medicine(DailyRegimen(D0, (T8,)), id=None,
                                          generic_name="baclofen", purpose="Stiffness"))
    book.pause(baclofen.id, "Too sleepy", at=at(D0, 9))
    edaravone = book.add_medicine(medicine(CycleRegimen(D0, (time(7),)), id=None,
                                           generic_name="edaravone",
                                           supply=SupplySettings(unit="tablet")))
    book.count_stock(edaravone.id, 3)  # runs out soon: reorder now
    quinine = book.add_medicine(medicine(DailyRegimen(D0, (T20,)), id=None,
                                         generic_name="quinine"))
    book.stop(quinine.id, "No longer needed", at=at(D0, 10))
    return {m.generic_name: book.medicine(m.id) for m in (riluzole, baclofen, edaravone,
                                                          quinine)}


@pytest.fixture
def tab(book, reference, meds, qtbot):
    opened: list[str] = []
    widget = MedicationsTab(book, reference, read_about=opened.append,
                            caregiver_names=lambda: {1: "Tom Example (TE)",
                                                     2: "Ana Helper (AH)"})
    widget.opened_articles = opened
    book.changes.changed.connect(widget.apply_changes)  # as the builder does
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def names(tab) -> list[str]:
    return [tab.proxy.index(r, Column.NAME).data() for r in range(tab.proxy.rowCount())]


# ---- The list


def test_list_model_is_a_good_model(tab, qtmodeltester):
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)


def test_active_medicines_are_shown_first_and_filters_add_the_others(tab):
    assert names(tab) == ["edaravone", "riluzole (Rilutek)"]
    tab.set_status_shown(MedicineStatus.PAUSED, True)
    assert names(tab) == ["baclofen", "edaravone", "riluzole (Rilutek)"]
    tab.set_status_shown(MedicineStatus.STOPPED, True)
    tab.set_status_shown(MedicineStatus.ACTIVE, False)
    assert names(tab) == ["baclofen", "quinine"]


def test_state_is_shown_in_words_and_with_an_icon(tab):
    tab.set_status_shown(MedicineStatus.PAUSED, True)
    tab.set_status_shown(MedicineStatus.STOPPED, True)
    for row in range(tab.proxy.rowCount()):
        index = tab.proxy.index(row, Column.STATUS)
        assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    texts = {tab.proxy.index(r, Column.NAME).data(): tab.proxy.index(r, Column.STATUS).data()
             for r in range(tab.proxy.rowCount())}
    assert texts["baclofen"] == "Paused since 5 Jan 2026"
    assert texts["quinine"] == "Stopped since 5 Jan 2026"
    assert texts["riluzole (Rilutek)"] == "Active"


def test_search_matches_brand_purpose_and_name(tab):
    tab.search_edit.setText("rilutek")
    assert names(tab) == ["riluzole (Rilutek)"]
    tab.search_edit.setText("slows")
    assert names(tab) == ["riluzole (Rilutek)"]
    tab.search_edit.setText("nothing like this")
    assert names(tab) == []
    assert "None of the 4 medicines match" in tab.empty_note.text()
    tab.search_edit.clear()
    assert len(names(tab)) == 2


def test_sorting_by_run_out_date_puts_the_soonest_first(tab):
    tab.view.sortByColumn(Column.RUN_OUT, Qt.SortOrder.AscendingOrder)
    assert names(tab) == ["edaravone", "riluzole (Rilutek)"]
    tab.view.sortByColumn(Column.RUN_OUT, Qt.SortOrder.DescendingOrder)
    assert names(tab) == ["riluzole (Rilutek)", "edaravone"]
    tab.view.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert names(tab) == ["riluzole (Rilutek)", "edaravone"]


def test_supply_and_reorder_warning_in_the_row_and_details(tab, meds):
    tab.select_medicine(meds["edaravone"].id)
    row = tab.current_row()
    assert row.supply_text == "3 tablets"
    assert row.run_out_text.endswith("⚠ reorder now")
    index = tab.proxy.index(tab.view.currentIndex().row(), Column.RUN_OUT)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None  # a warning icon and
    assert "⚠ reorder now" in index.data()                            # words, not just red
    assert "⚠ Reorder now" in tab.details.warning.text()
    assert tab.details.text("supply").startswith("3 tablets on hand; runs out")


def test_details_show_what_matters_when_giving_it(tab, meds):
    tab.select_medicine(meds["riluzole"].id)
    assert tab.details.title.text() == "riluzole (Rilutek)"
    assert tab.details.text("now") == "1 tablet of 50 mg tablet, by mouth"
    assert tab.details.text("schedule") == "Every day at 08:00 and 20:00"
    assert tab.details.text("purpose") == "Slows ALS"
    assert tab.details.read_button.isVisibleTo(tab)
    tab.details.read_button.click()
    assert tab.opened_articles == ["riluzole"]


def test_the_list_follows_the_book_and_catches_up_when_shown(tab, book, meds, qtbot,
                                                            fake_clock):
    riluzole = meds["riluzole"]
    fake_clock.advance(minutes=1)  # after the count
    book.refill(riluzole.id, 60)
    tab.select_medicine(riluzole.id)
    assert tab.current_row().supply_text == "90 tablets"
    tab.hide()
    book.refill(riluzole.id, 10)
    assert tab.model.row_at(tab.model.row_of(riluzole.id)).supply_text == "90 tablets"
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.model.row_at(tab.model.row_of(riluzole.id)).supply_text == "100 tablets"


def test_nothing_is_built_or_read_until_the_tab_is_first_shown(book, reference, meds,
                                                               qtbot):
    calls = []
    original = book.medicines
    book.medicines = lambda: calls.append(1) or original()
    loads = []
    widget = MedicationsTab(book, lambda: loads.append(1) or reference)
    book.changes.changed.connect(widget.apply_changes)
    qtbot.addWidget(widget)
    book.refill(meds["riluzole"].id, 5)  # changes before the first showing cost nothing
    assert calls == [] and loads == [] and not hasattr(widget, "model")
    widget.show()
    qtbot.waitExposed(widget)
    assert calls == [1] and loads == [1] and widget.model.rowCount() == 4
    widget.hide()
    widget.show()
    assert calls == [1] and loads == [1]  # the reference is read once


def test_print_button_asks_for_the_list_as_shown(tab, qtbot, meds):
    with qtbot.waitSignal(tab.print_requested) as blocker:
        tab.print_button.click()
    assert blocker.args == ["medlist", None]
    assert tab.shown_medicine_ids() == [meds["edaravone"].id, meds["riluzole"].id]


# ---- Actions


def fake_ask(result_values):
    """A stand-in for a dialog's ask(): calls ``apply`` as the caregiver would."""

    def ask(*args, apply, **kwargs):
        return apply(*result_values) is not False

    return staticmethod(ask)


def test_stop_asks_first_and_says_nothing_is_deleted(tab, book, meds, monkeypatch):
    riluzole = meds["riluzole"]
    asked = []

    def confirm(parent, title, text, **kwargs):
        asked.append((title, text, kwargs))
        return answer

    monkeypatch.setattr(tab_module.messages, "confirm", confirm)
    monkeypatch.setattr(action_dialogs.StatusDialog, "ask",
                        fake_ask((at(D0, 12), "Stopped by the neurologist")))
    tab.select_medicine(riluzole.id)
    answer = False
    assert not tab.change_status(MedicineStatus.STOPPED)
    assert book.medicine(riluzole.id).latest_status is None  # nothing saved
    title, text, kwargs = asked[0]
    assert title == "Stop riluzole (Rilutek)?"
    assert "Nothing is deleted" in text and kwargs["destructive"]
    answer = True
    assert tab.change_status(MedicineStatus.STOPPED)
    assert book.medicine(riluzole.id).latest_status.status is MedicineStatus.STOPPED
    # still chosen, now under Stopped (ticked to show it), saying so in words
    assert tab.current_medicine_id() == riluzole.id
    assert tab._status_checks[MedicineStatus.STOPPED].isChecked()
    assert tab.current_row().state is RowState.STOPPED
    assert tab.current_row().state_text == "Stopped since 5 Jan 2026"
    assert not tab.stop_button.isEnabled()


def test_pause_then_resume(tab, book, meds, monkeypatch, qtbot, fake_clock):
    riluzole = meds["riluzole"]
    tab.select_medicine(riluzole.id)
    assert tab.pause_button.text() == "Pa&use…"
    monkeypatch.setattr(action_dialogs.StatusDialog, "ask", fake_ask((at(D0, 12), "Hospital")))
    with qtbot.waitSignal(tab.status_message):
        tab.pause_button.click()
    assert tab.current_row().state is RowState.PAUSED
    assert tab.pause_button.text() == "Res&ume…"
    fake_clock.set(at(D0, 13))
    monkeypatch.setattr(action_dialogs.StatusDialog, "ask", fake_ask((at(D0, 13), "")))
    tab.pause_button.click()
    assert tab.current_row().state is RowState.ACTIVE


def test_status_dialog_shows_refusals_by_the_field(tab, book, meds, qtbot):
    from caregiver_app.ui.medications.action_dialogs import StatusDialog

    medicine_ = meds["riluzole"]
    dialog = StatusDialog(MedicineStatus.PAUSED, medicine_, now=book.now(), zone=book.zone(),
                          apply=lambda at_, reason: book.pause(medicine_.id, reason, at=at_))
    qtbot.addWidget(dialog)
    with qtbot.assertNotEmitted(book.changes.changed):
        assert not dialog.try_accept()
    assert "Say why it is paused" in dialog.errors.message("reason")
    dialog.reason_edit.setText("In hospital")
    assert dialog.try_accept()
    assert book.medicine(medicine_.id).latest_status.reason == "In hospital"


def test_cycle_menu_only_for_cycle_medicines(tab, meds):
    tab.select_medicine(meds["riluzole"].id)
    assert not tab.cycle_button.isVisibleTo(tab)
    tab.select_medicine(meds["edaravone"].id)
    assert tab.cycle_button.isVisibleTo(tab)
    assert tab.delay_action.isEnabled() and not tab.resume_cycle_action.isEnabled()


def test_cycle_delay_previews_and_saves(book, meds, qtbot, tab):
    edaravone = meds["edaravone"]
    dialog = CycleDialog(CycleAction.DELAY, edaravone, today=book.today(), zone=book.zone(),
                         preview=lambda m: book.upcoming(m),
                         apply=lambda change: book.shift_cycle(
                             edaravone.id, change.from_date, change.days, carry=change.carry,
                             reason=change.reason))
    qtbot.addWidget(dialog)
    # at first: today's dose (07:00, not given) moves one day later
    assert dialog.preview_model.row_texts()[0] == ("Tue 6 Jan 07:00", "1 tablet",
                                                   "cycle 1, day 1 of 14")
    dialog.from_edit.set_value(D0 + timedelta(days=1))
    dialog.days_spin.setValue(2)
    dialog.reason_edit.setText("Clinic visit ran late")
    qtbot.waitUntil(lambda: dialog.preview_model.row_texts()[0][0] == "Thu 8 Jan 07:00")
    assert dialog.preview_model.row_texts()[0][2] == "cycle 1, day 2 of 14"
    assert dialog.try_accept()
    shift = book.medicine(edaravone.id).cycle_shifts[0]
    assert (shift.from_date, shift.days, shift.carry) == (D0 + timedelta(days=1), 2, True)


def test_cycle_hold_and_resume_through_the_tab(tab, book, meds, monkeypatch):
    edaravone = meds["edaravone"]
    tab.select_medicine(edaravone.id)
    monkeypatch.setattr(action_dialogs.CycleDialog, "ask", fake_ask(
        (CycleShift(D0 + timedelta(days=2), None, True, "In hospital"),)))
    assert tab.change_cycle(CycleAction.PAUSE)
    assert book.medicine(edaravone.id).cycle_shifts[0].on_hold
    assert tab.resume_cycle_action.isEnabled() and not tab.delay_action.isEnabled()
    monkeypatch.setattr(action_dialogs.CycleDialog, "ask",
                        fake_ask((D0 + timedelta(days=5),)))
    assert tab.change_cycle(CycleAction.RESUME)
    shift = book.medicine(edaravone.id).cycle_shifts[0]
    assert not shift.on_hold and shift.days == 3
    monkeypatch.setattr(action_dialogs.UndoCycleDialog, "ask", fake_ask((shift.id,)))
    assert tab.undo_cycle_change()
    assert book.medicine(edaravone.id).cycle_shifts == ()


def test_refill_count_and_bottle(book, meds, qtbot, fake_clock):
    riluzole = meds["riluzole"]
    fake_clock.advance(minutes=1)
    refill = StockDialog(StockAction.REFILL, riluzole, today=D0,
                         forecast=book.supply(riluzole.id),
                         apply=lambda q, note: book.refill(riluzole.id, q, note=note))
    qtbot.addWidget(refill)
    assert "The app counts 30 tablets on hand now." in refill.explanation.text()
    refill.quantity_edit.setText("sixty")
    assert not refill.try_accept()
    assert "number" in refill.errors.message("quantity")
    refill.quantity_edit.setText("60")
    assert refill.try_accept()
    assert book.supply(riluzole.id).on_hand == 90
    bottle = StockDialog(StockAction.BOTTLE, riluzole, today=D0, forecast=None,
                         apply=lambda opened, discard: book.open_bottle(riluzole.id, opened,
                                                                        discard))
    qtbot.addWidget(bottle)
    bottle.within_spin.setValue(15)
    assert bottle.discard_label.text() == "20 Jan 2026"
    assert bottle.try_accept()
    supply = book.medicine(riluzole.id).supply
    assert (supply.opened_on, supply.discard_by) == (D0, date(2026, 1, 20))


def test_refill_needs_someone_on_duty(book, meds, qtbot, duty):
    duty.caregiver_id = None
    riluzole = meds["riluzole"]
    dialog = StockDialog(StockAction.COUNT, riluzole, today=D0, forecast=None,
                         apply=lambda q, note: book.count_stock(riluzole.id, q, note=note))
    qtbot.addWidget(dialog)
    dialog.quantity_edit.setText("12")
    assert not dialog.try_accept()
    assert "on duty" in dialog.general_error.text()


def test_stock_menu_needs_a_stock_unit(tab, meds):
    tab.set_status_shown(MedicineStatus.PAUSED, True)
    tab.select_medicine(meds["baclofen"].id)
    assert not tab.refill_action.isEnabled() and not tab.count_action.isEnabled()
    assert "not tracked" in tab.details.text("supply")


# ---- History


def test_history_shows_the_correction_chain(tab, book, meds, qtbot, qtmodeltester,
                                            fake_clock):
    riluzole = meds["riluzole"]
    first = book.record_given(riluzole.id, f"{D0.isoformat()}T08:00", given_at=at(D0, 8, 5),
                              caregiver_id=2)
    fake_clock.advance(minutes=20)
    fix = book.correct(first.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.VOMITED)
    dialog = HistoryDialog(book.medicine(riluzole.id), book.history(riluzole.id),
                           zone=book.zone(), names={1: "Tom Example (TE)",
                                                    2: "Ana Helper (AH)"})
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    model = dialog.model
    rows = [[model.text(r, c) for c in range(model.columnCount())]
            for r in range(model.rowCount())]
    chain = [r for r in rows if r[model.RECORD].startswith(("#1", "#2"))]
    assert [r[model.RECORD] for r in chain] == ["#1", "#2 (corrects #1)"]
    assert chain[0][model.WHAT] == "Given (corrected below)"
    assert chain[0][model.BY] == "Ana Helper (AH)"
    assert chain[1][model.WHAT] == "↳ Record #1 corrected: not given (vomited or spat out)"
    assert chain[1][model.RECORDED] == "Mon 5 Jan 2026 12:20 by Tom Example (TE)"
    assert fix.corrects_id == first.id
    dialog.show_combo.select_data(HistoryShow.STOCK.value)
    assert dialog.proxy.rowCount() == 1  # the count of 30
    dialog.show_combo.select_data(HistoryShow.ALL.value)
    dialog.search_edit.setText("vomited")
    assert dialog.proxy.rowCount() == 1
    assert "1 of" in dialog.count_label.text()


def test_history_button_opens_the_history(tab, meds, monkeypatch, qtbot):
    shown = []
    monkeypatch.setattr(history_dialog.HistoryDialog, "exec", lambda self: shown.append(self))
    tab.select_medicine(meds["riluzole"].id)
    tab.history_button.click()
    [dialog] = shown
    assert dialog.windowTitle().startswith("History of riluzole") and dialog.model.rowCount()
    assert dialog.model._names == {1: "Tom Example (TE)", 2: "Ana Helper (AH)"}


# ---- Adding and changing through the tab


def test_add_and_edit_through_the_tab(tab, book, monkeypatch):
    def add(**kwargs):
        dialog = medicine_dialog.MedicineDialog(**kwargs)
        dialog.name_edit.setText("gabapentin")
        dialog.dose_amount.setText("300")
        dialog.dose_unit.setText("mg")
        dialog.regimen_editor.times_edit.setText("22:00")
        assert dialog.try_accept()
        return dialog.result_medicine()

    monkeypatch.setattr(medicine_dialog.MedicineDialog, "ask", staticmethod(add))
    saved = tab.add_medicine()
    assert tab.current_medicine_id() == saved.id
    assert tab.current_row().version.dose == Dose(300, "mg")
    assert "gabapentin" in names(tab)


# ---- The app


def test_the_app_shows_the_medications_tab(ctx, main_window, qtbot):
    from caregiver_app.services.demo import populate_example

    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/New_York")
    widget = main_window.show_tab("medications")
    assert isinstance(widget, MedicationsTab)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 5)
    assert widget.current_medicine_id() is not None
    with qtbot.waitSignal(widget.status_message):
        widget.status_message.emit("hello")
    assert main_window.statusBar().currentMessage() == "hello"


def test_keyboard_shortcuts_do_not_clash_with_the_window(ctx, main_window):
    import re
    from collections import defaultdict

    from PySide6.QtWidgets import QAbstractButton, QLabel

    main_window.show_tab("medications")
    keys = defaultdict(list)
    texts = [a.text() for a in main_window.menuBar().actions()]
    texts += [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())]
    for widget in main_window.findChildren(QLabel) + main_window.findChildren(QAbstractButton):
        if widget.isVisibleTo(main_window):
            texts.append(widget.text())
    for text in texts:
        found = re.search(r"&(\w)", text)
        if found:
            keys[found.group(1).lower()].append(text)
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}


def _unnamed(root) -> list[str]:
    from PySide6.QtWidgets import (
        QAbstractScrollArea,
        QAbstractSpinBox,
        QComboBox,
        QScrollBar,
        QWidget,
    )

    found = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(root):
            continue
        if widget.focusProxy() is not None:
            continue  # never holds focus: hands it to its (named) field
        parent = widget.parentWidget()
        if isinstance(widget, QScrollBar) or isinstance(parent, QAbstractSpinBox | QComboBox):
            continue  # parts of a named control
        if isinstance(parent, QAbstractScrollArea) or widget.objectName().startswith("qt_"):
            continue
        if not widget.accessibleName():
            found.append(f"{type(widget).__name__} {getattr(widget, 'text', str)()!r}")
    return found


def test_every_control_of_the_tab_and_its_dialogs_has_a_name(tab, book, meds, qtbot):
    from caregiver_app.ui.medications.action_dialogs import StatusDialog, UndoCycleDialog

    tab.select_medicine(meds["edaravone"].id)
    assert _unnamed(tab) == []
    edaravone = meds["edaravone"]
    dialogs = [
        StatusDialog(MedicineStatus.STOPPED, edaravone, now=book.now(), zone=book.zone(),
                     apply=lambda *a: True),
        CycleDialog(CycleAction.DELAY, edaravone, today=D0, zone=book.zone(),
                    preview=lambda m: [], apply=lambda *a: True),
        CycleDialog(CycleAction.RESUME, edaravone, today=D0, zone=book.zone(),
                    preview=lambda m: [], apply=lambda *a: True),
        UndoCycleDialog(edaravone, apply=lambda *a: True),
        StockDialog(StockAction.REFILL, edaravone, today=D0, forecast=None,
                    apply=lambda *a: True),
        StockDialog(StockAction.BOTTLE, edaravone, today=D0, forecast=None,
                    apply=lambda *a: True),
        HistoryDialog(edaravone, book.history(edaravone.id), zone=book.zone(), names={}),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert _unnamed(dialog) == [], dialog.windowTitle()


@pytest.fixture
def example_tab(ctx, main_window, qtbot):
    from caregiver_app.services.demo import populate_example

    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/New_York")
    widget = main_window.show_tab("medications")
    widget.reload()
    return widget


def test_prescriber_and_pharmacy_come_from_the_care_team(ctx, example_tab, qtbot):
    from caregiver_app.ui.medications.list_model import Column as C
    from caregiver_app.ui.medications.medicine_dialog import MedicineDialog

    tab = example_tab
    riluzole = next(m for m in ctx.medications.medicines() if m.generic_name == "riluzole")
    tab.select_medicine(riluzole.id)
    assert tab.details.text("prescriber") == "Dr. Ada Lee"
    assert tab.details.text("pharmacy") == "Riverside Pharmacy (example)"
    assert not tab.view.isColumnHidden(C.PRESCRIBER)
    row = tab.view.currentIndex().row()
    assert tab.proxy.index(row, C.PRESCRIBER).data() == "Dr. Ada Lee"

    book = ctx.medications
    dialog = MedicineDialog(reference=ctx.reference(), today=book.today(), now=book.now(),
                            zone=book.zone(), medicine=riluzole, contacts=tab._contacts,
                            contact_name=tab._contact_name, save=tab._save_change)
    qtbot.addWidget(dialog)
    combo = dialog.prescriber_combo
    assert combo.itemText(0) == "None"
    assert combo.currentText() == "Dr. Ada Lee — Neurologist"  # likely ones first
    assert combo.itemText(1) == "Dr. Ada Lee — Neurologist"
    pharmacy = dialog.pharmacy_combo
    assert pharmacy.itemText(1) == "Riverside Pharmacy (example) — Pharmacy"
    combo.setCurrentIndex(0)  # none
    assert dialog.try_accept()
    assert book.medicine(riluzole.id).prescriber_id is None
    assert tab.details.text("prescriber") == ""


def test_read_about_opens_the_learn_article(ctx, example_tab, main_window, qtbot):
    tab = example_tab
    riluzole = next(m for m in ctx.medications.medicines() if m.generic_name == "riluzole")
    tab.select_medicine(riluzole.id)
    tab.details.read_button.click()
    qtbot.waitUntil(lambda: main_window.current_tab_key() == "learn")


def test_a_renamed_contact_shows_in_the_list(ctx, example_tab):
    from dataclasses import replace as replaced

    tab = example_tab
    riluzole = next(m for m in ctx.medications.medicines() if m.generic_name == "riluzole")
    contact = ctx.careteam.contact(riluzole.prescriber_id)
    ctx.careteam.save_contact(replaced(contact, name="Dr. Ada Lee-Smith"))
    tab.select_medicine(riluzole.id)
    assert tab.details.text("prescriber") == "Dr. Ada Lee-Smith"


def test_dose_steps_show_the_amount_of_the_step_in_force(book, reference, qtbot, fake_clock):
    from caregiver_app.domain.regimens import DoseStep, StepsRegimen

    steps = StepsRegimen((
        DoseStep(D0, Dose(1, "tablet"), (T8,), D0 + timedelta(days=6)),
        DoseStep(D0 + timedelta(days=7), Dose(2, "tablet"), (T8,))))
    med = book.add_medicine(medicine(steps, id=None, generic_name="baclofen"))
    fake_clock.set(at(D0 + timedelta(days=8), 12))
    widget = MedicationsTab(book, reference)
    qtbot.addWidget(widget)
    widget.show()
    widget.select_medicine(med.id)
    assert widget.current_row().dose_and_form == "2 tablets (step 2 of 2)"
    assert widget.details.text("now").startswith("2 tablets of 50 mg tablet")


def test_print_button_opens_the_medicine_list_preview(ctx, example_tab, qtbot):
    example_tab.print_button.click()
    dialog = ctx.printing.last_preview
    qtbot.waitUntil(dialog.isVisible)
    assert "Medicine list" in dialog.windowTitle()
    dialog.reject()


def test_an_extra_dose_is_recorded_with_why_and_shows_on_its_day(book, meds, qtbot,
                                                                 fake_clock):
    """An extra baclofen for bad cramps: the dialog wants the reason; the dose goes into
    the record, shows on its day and comes off the stock; the regular doses stay due."""
    from caregiver_app.ui.medications.action_dialogs import ExtraDoseDialog

    riluzole = meds["riluzole"]
    fake_clock.advance(minutes=1)  # after the stock count
    dialog = ExtraDoseDialog(riluzole, now=book.now(), zone=book.zone(),
                             apply=lambda at_, amount, why: book.record_extra(
                                 riluzole.id, given_at=at_, amount=amount, reason=why))
    qtbot.addWidget(dialog)
    before = book.supply(riluzole.id).on_hand
    assert not dialog.try_accept()
    assert "why" in dialog.errors.message("note").lower()
    dialog.amount_edit.setText("two")
    dialog.reason_edit.setText("Bad cramps at night; the nurse said yes")
    assert not dialog.try_accept()
    assert "number" in dialog.errors.message("dose_amount")
    dialog.amount_edit.setText("1")
    assert dialog.try_accept()
    view = book.day()
    (extra,) = view.extra
    assert extra.outside_schedule and not extra.orphan
    assert extra.chain.effective.note == "Bad cramps at night; the nurse said yes"
    assert book.supply(riluzole.id).on_hand == before - 1
    assert [d.occurrence.local.strftime("%H:%M") for d in view.doses
            if d.medicine.id == riluzole.id] == ["08:00", "20:00"]


def test_extra_dose_button_is_reachable_and_named(tab, meds):
    tab.select_medicine(meds["riluzole"].id)
    assert tab.extra_button.isEnabled()
    assert tab.extra_button.accessibleName()
