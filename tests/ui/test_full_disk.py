"""A disk that fills up while the app runs (a real small file system, filled to the last
byte): every write path says, where the person is looking, that THIS was not saved and
why, keeps what was typed, and saves it when the same control is used again once there
is room. Reminders keep coming, and closing never fails.

Each path is driven as a person drives it: the button, the dialog's fields, its OK.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gui_paths import press_ok
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog
from small_disk import small_disk  # noqa: F401  (a fixture)

from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.vocab import SkipReason

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

FULL = "because the disk is full"
KEY8 = f"{D0.isoformat()}T08:00"


@pytest.fixture
def home(small_disk, app_names, qtbot, fake_clock, monkeypatch):  # noqa: F811
    """The app on a small disk: a patient, Tom on duty, riluzole 08:00 and 20:00 and an
    as-needed glycopyrrolate, at 08:30."""
    from caregiver_app.app import build_context

    data = small_disk.root / "data"
    monkeypatch.setenv("CAREGIVER_APP_DATA_DIR", str(data))
    ctx = build_context(data, clock=fake_clock)
    qtbot.addWidget(ctx.window)
    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                              time_zone="America/New_York"))
    saved = ctx.session.save_caregivers([Caregiver("Tom Example", "TE")])
    ctx.session.set_on_duty(saved[0].id)
    fake_clock.set(at(D0, 8, 30))
    book = ctx.medications
    riluzole = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                          supply=SupplySettings(unit="tablet")))
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="Drooling"))
    ctx.careteam.save_contact(Contact("Dr Ada Lee", Role.NEUROLOGIST))
    ctx.window.show()
    qtbot.waitExposed(ctx.window)
    state = SimpleNamespace(ctx=ctx, book=book, disk=small_disk, riluzole=riluzole,
                            glyco=glyco, window=ctx.window, today=ctx.window.today_tab,
                            qtbot=qtbot, clock=fake_clock)
    yield state
    small_disk.free()
    ctx.close()


def _fill(home) -> None:
    home.disk.fill(home.ctx.db.conn)


def _through(monkeypatch, home, cls, fill: Callable, message: Callable[[object], str],
             kept: Callable[[object], None], press: Callable = press_ok) -> list:
    """``cls``'s ``exec`` as a person at a full disk: fill the form, press OK (refused:
    the dialog stays open, says why, and keeps what was typed), free the disk, press OK
    again (saved, closed)."""
    seen = []

    def exec_(dialog) -> int:
        seen.append(dialog)
        fill(dialog)
        _fill(home)
        press(dialog)
        assert dialog.result() != QDialog.DialogCode.Accepted, "closed although not saved"
        text = message(dialog)
        assert FULL in text, text
        kept(dialog)
        home.disk.free()
        press(dialog)
        assert dialog.result() == QDialog.DialogCode.Accepted, message(dialog)
        for timer in dialog.findChildren(QTimer):  # (a preview must not outlive the records)
            timer.stop()
        return dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)
    return seen


@dataclass(frozen=True)
class WritePath:
    name: str
    kind: str  # dose, correction, medicine, contact, appointment, note, settings
    run: Callable


PATHS: list[WritePath] = []


def write_path(kind: str):
    def register(fn):
        PATHS.append(WritePath(fn.__name__.removeprefix("path_"), kind, fn))
        return fn
    return register


def _today(home):
    home.window.show_tab("today")
    home.today.refresh()
    return home.today


# ---- Doses and corrections (the Today tab)


@write_path("dose")
def path_given_now(home, monkeypatch):
    today = _today(home)
    assert today.show_dose(home.riluzole.id, KEY8)
    _fill(home)
    home.qtbot.mouseClick(today.card.given_button, Qt.MouseButton.LeftButton)
    text = today.feedback_label.text()
    assert "This dose was not recorded" in text and FULL in text, text
    assert "riluzole" in text
    assert home.book.day().doses[0].effective is None  # still due
    home.disk.free()
    assert today.show_dose(home.riluzole.id, KEY8)
    home.qtbot.mouseClick(today.card.given_button, Qt.MouseButton.LeftButton)
    assert home.book.day().doses[0].effective.kind is EntryKind.GIVEN


@write_path("dose")
def path_given_at_another_time(home, monkeypatch):
    from caregiver_app.ui.today.dialogs import GivenDialog

    def fill(dialog):
        dialog.reason_edit.setText("with yoghurt")

    _through(monkeypatch, home, GivenDialog, fill,
             lambda d: d.errors.message("_general"),
             lambda d: d.reason_edit.text() == "with yoghurt" or pytest.fail("note lost"))
    today = _today(home)
    assert today.show_dose(home.riluzole.id, KEY8)
    today.card.given_at_button.click()
    assert home.book.day().doses[0].effective.note == "with yoghurt"


@write_path("dose")
def path_not_given(home, monkeypatch):
    from caregiver_app.ui.today.dialogs import SkipDialog

    def fill(dialog):
        dialog.reason_buttons[SkipReason.OTHER].setChecked(True)
        dialog.note_edit.setText("at the dentist")

    _through(monkeypatch, home, SkipDialog, fill, lambda d: d.errors.message("_general"),
             lambda d: d.note_edit.text() == "at the dentist" or pytest.fail("note lost"))
    today = _today(home)
    assert today.show_dose(home.riluzole.id, KEY8)
    today.card.skip_button.click()
    assert home.book.day().doses[0].effective.skip_reason is SkipReason.OTHER


@write_path("dose")
def path_as_needed_dose(home, monkeypatch):
    today = _today(home)
    row = next(r for r in today.model.rows() if r.prn is not None)
    today.tree.setCurrentIndex(today.model.index_of(row.identity))
    assert today.card.given_button.isEnabled(), row.cells
    _fill(home)
    today.card.given_button.click()
    assert "This dose was not recorded" in today.feedback_label.text()
    assert FULL in today.feedback_label.text()
    assert not home.book.day().extra
    home.disk.free()
    today.card.given_button.click()
    assert "Saved" in today.feedback_label.text()
    assert [x.medicine.id for x in home.book.day().extra] == [home.glyco.id]


@write_path("correction")
def path_correct_a_record(home, monkeypatch):
    from caregiver_app.ui.today.dialogs import CorrectDialog

    home.book.record_given(home.riluzole.id, KEY8)

    def fill(dialog):
        dialog.withdraw_radio.setChecked(True)
        dialog.note_edit.setText("recorded for the wrong day")

    _through(monkeypatch, home, CorrectDialog, fill, lambda d: d.errors.message("_general"),
             lambda d: d.note_edit.text() == "recorded for the wrong day"
             or pytest.fail("note lost"))
    today = _today(home)
    assert today.show_dose(home.riluzole.id, KEY8)
    today.card.correct_button.click()
    assert home.book.day().doses[0].effective is None  # withdrawn
    assert len(home.book.day().doses[0].chain.entries) == 2


@write_path("correction")
def path_undo_a_record(home, monkeypatch):
    today = _today(home)
    assert today.show_dose(home.riluzole.id, KEY8)
    today.card.given_button.click()
    assert home.book.day().doses[0].effective is not None
    _fill(home)
    today.undo_button.click()
    assert "Not undone" in today.feedback_label.text()
    assert FULL in today.feedback_label.text()
    assert home.book.day().doses[0].effective is not None
    home.disk.free()
    today.undo_button.click()
    assert home.book.day().doses[0].effective is None


@write_path("dose")
def path_catch_up_list(home, monkeypatch):
    from caregiver_app.storage.reminders_repo import ReminderRepository
    from caregiver_app.ui.today.catch_up import Col

    ReminderRepository(home.ctx.db).set_watched_until(at(D0, 7))
    home.clock.set(at(D0, 10, 30))
    home.ctx.reminders.start()
    dialog = home.ctx.alerts.catch_up_dialog
    assert dialog is not None
    model = dialog.model
    model.setData(model.index(0, Col.ANSWER), SkipReason.ASLEEP.value)
    _fill(home)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert FULL in model.index(0, Col.PROBLEM).data()
    assert model.index(0, Col.ANSWER).data()  # the answer is kept
    home.disk.free()
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert home.book.day().doses[0].effective.skip_reason is SkipReason.ASLEEP
    home.ctx.reminders.stop()


# ---- Medicines


@write_path("dose")
def path_extra_dose(home, monkeypatch):
    from caregiver_app.ui.medications.action_dialogs import ExtraDoseDialog

    def fill(dialog):
        dialog.reason_edit.setText("bad cramps")

    _through(monkeypatch, home, ExtraDoseDialog, fill,
             lambda d: d.errors.message("_general"),
             lambda d: d.reason_edit.text() == "bad cramps" or pytest.fail("reason lost"))
    tab = home.window.show_tab("medications")
    tab.select_medicine(home.riluzole.id)
    tab.extra_button.click()
    assert any("bad cramps" in i.detail for i in home.book.history(home.riluzole.id))


@write_path("medicine")
def path_add_a_medicine(home, monkeypatch):
    from caregiver_app.ui.medications.medicine_dialog import MedicineDialog

    def fill(dialog):
        dialog.name_edit.setText("baclofen")
        dialog.dose_amount.setText("1")
        dialog.dose_unit.setText("tablet")
        dialog.regimen_editor.times_edit.setText("08:00, 14:00")

    _through(monkeypatch, home, MedicineDialog, fill,
             lambda d: d.errors.message("_general"),
             lambda d: d.name_edit.text() == "baclofen" or pytest.fail("name lost"),
             press=lambda d: d.try_accept())
    tab = home.window.show_tab("medications")
    tab.add_button.click()
    assert any(m.generic_name == "baclofen" for m in home.book.medicines())


@write_path("medicine")
def path_change_a_medicine(home, monkeypatch):
    from caregiver_app.ui.medications.medicine_dialog import MedicineDialog

    def fill(dialog):
        dialog.purpose_edit.setText("slows ALS")

    _through(monkeypatch, home, MedicineDialog, fill,
             lambda d: d.errors.message("_general"),
             lambda d: d.purpose_edit.text() == "slows ALS" or pytest.fail("text lost"),
             press=lambda d: d.try_accept())
    tab = home.window.show_tab("medications")
    tab.select_medicine(home.riluzole.id)
    tab.edit_button.click()
    assert home.book.medicine(home.riluzole.id).purpose == "slows ALS"


@write_path("medicine")
def path_pause_a_medicine(home, monkeypatch):
    from caregiver_app.ui.medications.action_dialogs import StatusDialog

    def fill(dialog):
        dialog.reason_edit.setText("in hospital")

    _through(monkeypatch, home, StatusDialog, fill, lambda d: d.errors.message("_general"),
             lambda d: d.reason_edit.text() == "in hospital" or pytest.fail("reason lost"))
    tab = home.window.show_tab("medications")
    tab.select_medicine(home.riluzole.id)
    tab.pause_button.click()
    assert home.book.medicine(home.riluzole.id).status_history[-1].reason == "in hospital"


@write_path("medicine")
def path_refill(home, monkeypatch):
    from caregiver_app.ui.medications.action_dialogs import StockDialog

    def fill(dialog):
        dialog.quantity_edit.setText("60")

    _through(monkeypatch, home, StockDialog, fill, lambda d: d.errors.message("_general"),
             lambda d: d.quantity_edit.text() == "60" or pytest.fail("quantity lost"))
    tab = home.window.show_tab("medications")
    tab.select_medicine(home.riluzole.id)
    tab.refill_action.trigger()
    assert home.ctx.db.table("supply_events").count == 1


# ---- Care team


@write_path("contact")
def path_add_a_contact(home, monkeypatch):
    from caregiver_app.ui.careteam.contact_dialog import ContactDialog

    def fill(dialog):
        dialog.name_edit.setText("Rosa Martinez")

    _through(monkeypatch, home, ContactDialog, fill, lambda d: d.errors.message("_general"),
             lambda d: d.name_edit.text() == "Rosa Martinez" or pytest.fail("name lost"))
    tab = home.window.show_tab("care_team")
    tab.add_button.click()
    assert any(c.name == "Rosa Martinez" for c in home.ctx.careteam.contacts())


@write_path("contact")
def path_remove_a_contact(home, monkeypatch):
    monkeypatch.setattr("caregiver_app.ui.careteam.tab.messages.confirm",
                        lambda *a, **k: True)
    tab = home.window.show_tab("care_team")
    lee = home.ctx.careteam.contacts()[0]
    tab.select_contact(lee.id)
    _fill(home)
    tab.details.remove_button.click()
    assert "Dr Ada Lee was not removed" in tab.notice.label.text()
    assert FULL in tab.notice.label.text()
    assert home.ctx.careteam.contacts()
    home.disk.free()
    tab.details.remove_button.click()
    assert not home.ctx.careteam.contacts()


@write_path("appointment")
def path_add_an_appointment(home, monkeypatch):
    from caregiver_app.ui.careteam.appointment_dialog import AppointmentDialog

    def fill(dialog):
        dialog.purpose_combo.setCurrentText("Breathing test")
        dialog.questions_edit.setPlainText("Ask about the night mask")

    _through(monkeypatch, home, AppointmentDialog, fill,
             lambda d: d.errors.message("_general"),
             lambda d: d.questions_edit.toPlainText() == "Ask about the night mask"
             or pytest.fail("questions lost"))
    tab = home.window.show_tab("care_team")
    tab.add_appointment_button.click()
    assert any(a.questions == "Ask about the night mask"
               for a in home.ctx.careteam.appointments())


# ---- Notes


@write_path("note")
def path_note_on_an_article(home, monkeypatch):
    learn = home.window.show_tab("learn")
    learn.ensure_loaded()
    _fill(home)
    learn.notes_edit.setFocus()
    home.qtbot.keyClicks(learn.notes_edit, "Ask the nurse")
    learn.save_note()
    assert "This note was not saved" in learn.notes_status.text()
    assert FULL in learn.notes_status.text()
    article = learn._current.id
    assert learn._learn.note(article) == ""
    home.disk.free()
    home.qtbot.keyClicks(learn.notes_edit, "!")
    learn.save_note()
    assert learn._learn.note(article) == "Ask the nurse!"


@write_path("note")
def path_bookmark(home, monkeypatch):
    learn = home.window.show_tab("learn")
    learn.ensure_loaded()
    messages = []
    learn.status_message.connect(messages.append)
    _fill(home)
    learn.bookmark_button.click()
    assert messages and "The bookmark was not saved" in messages[-1] and FULL in messages[-1]
    assert not learn._learn.bookmarks()
    home.disk.free()
    learn.bookmark_button.click()
    assert learn._learn.bookmarks()


# ---- Settings


@write_path("settings")
def path_dose_timing(home, monkeypatch):
    from caregiver_app.ui.today.settings_dialog import ReminderSettingsDialog

    def fill(dialog):
        dialog.on_time_combo.setCurrentIndex(dialog.on_time_combo.findData(30))

    _through(monkeypatch, home, ReminderSettingsDialog, fill,
             lambda d: d.error_label.text(),
             lambda d: d.on_time_combo.currentData() == 30 or pytest.fail("choice lost"))
    _today(home).reminders_button.click()
    assert home.book.household_settings().dose_on_time_minutes == 30


@write_path("settings")
def path_patient_profile(home, monkeypatch):
    from caregiver_app.ui.profile.patient_dialog import PatientDialog

    def fill(dialog):
        dialog.notes_edit.setPlainText("Uses a BiPAP at night")

    _through(monkeypatch, home, PatientDialog, fill, lambda d: d.errors.message("_general"),
             lambda d: d.notes_edit.toPlainText() == "Uses a BiPAP at night"
             or pytest.fail("notes lost"))
    home.window.edit_patient()
    assert home.ctx.patients.get().notes == "Uses a BiPAP at night"


@write_path("settings")
def path_caregivers(home, monkeypatch):
    from caregiver_app.ui.profile.caregivers_dialog import CaregiversDialog

    def fill(dialog):
        dialog.add_row("Ana Helper", "AH", edit=False)

    _through(monkeypatch, home, CaregiversDialog, fill, lambda d: d.error_label.text(),
             lambda d: d.model.rowCount() == 2 or pytest.fail("row lost"))
    home.window.edit_caregivers()
    assert [c.initials for c in home.ctx.patients.caregivers()] == ["AH", "TE"]


# ---- The sweep


def test_every_kind_of_write_is_covered():
    kinds = {p.kind for p in PATHS}
    assert kinds == {"dose", "correction", "medicine", "contact", "appointment", "note",
                     "settings"}
    assert len(PATHS) == 20


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_a_full_disk_is_said_where_the_person_looks_and_nothing_typed_is_lost(
        home, monkeypatch, path):
    path.run(home, monkeypatch)


# ---- Background writes


def test_reminders_keep_coming_on_a_full_disk_and_closing_does_not_fail(home, qtbot):
    """The reminder bookkeeping cannot be saved: it is kept in memory (no reminder twice,
    no loop), written once there is room, and closing the app does not raise."""
    reminders = home.ctx.reminders
    home.clock.set(at(D0, 19, 50))
    reminders.start()
    _fill(home)
    batches = []
    reminders.reminders_due.connect(batches.append)
    home.clock.set(at(D0, 20))
    reminders.wake()
    assert [s.occurrence.key[-5:] for b in batches for s in b.doses] == ["20:00"]
    assert reminders.armed_for > at(D0, 20)  # not re-armed for now: no loop
    reminders.wake()  # nothing new: not announced again
    assert len([s for b in batches for s in b.doses if not b.repeated]) == 1
    reminders.stop()  # saves how far it watched: kept in memory, no error
    home.disk.free()
    reminders.start()
    reminders.stop()
    assert home.ctx.db.execute("SELECT count(*) FROM reminder_log").fetchone()[0] >= 1


def test_closing_the_app_on_a_full_disk_does_not_raise(home):
    home.ctx.reminders.start()
    _fill(home)
    home.ctx.close()  # (the fixture closes again: closing twice is fine too)
