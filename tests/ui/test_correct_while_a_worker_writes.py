"""A correction saved from the Correct dialog while the app's own background writer (the
phone forms' refresh after a phonenumbers upgrade, on a worker thread with its own
connection) writes between the correction's read and its insert: the correction is
saved and the dialog closes; the worker waits its turn and saves too (review4 #6).
Before, the correction was refused as "another program is using the records file"."""

from __future__ import annotations

import threading

import pytest
from gui_paths import press_ok
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtWidgets import QDialog

from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.regimens import DailyRegimen

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
KEY8 = f"{D0.isoformat()}T08:00"


def test_a_correction_is_saved_while_the_phone_forms_refresh_writes(
        ctx, qtbot, fake_clock, monkeypatch):
    from caregiver_app.services import phone_forms
    from caregiver_app.ui.today.dialogs import CorrectDialog

    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                     time_zone="America/New_York"))
    tom = ctx.session.save_caregivers([Caregiver("Tom Example", "TE")])[0]
    ctx.session.set_on_duty(tom.id)
    fake_clock.set(at(D0, 8, 30))
    book = ctx.medications
    riluzole = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))
    ctx.careteam.save_contact(Contact("Dr Ada Lee", Role.NEUROLOGIST, phones=(
        Phone(PhoneKind.OFFICE, "+13125550142"),)))
    db = ctx.core.db
    db.execute("UPDATE contact_phones SET shown_national = 'old', shown_rules = '8.0.0' "
               "WHERE shown_rules != ''")  # kept by an older phonenumbers
    book.record_given(riluzole.id, KEY8)

    # The refresh runs on its worker thread now; it has opened its connection and
    # worked out the forms, and writes them once the correction is between its read of
    # the record it corrects and its insert (``go``).
    ready, go, worker_writing = threading.Event(), threading.Event(), threading.Event()
    keep = phone_forms.keep_phone_forms

    def keep_when_told(own, made):
        ready.set()
        go.wait(10)
        # it is writing: waiting for the lock (BEGIN IMMEDIATE), or done, when nothing
        # held it off (a deferred BEGIN: the correction then failed at its insert)
        own.conn.set_trace_callback(
            lambda sql: sql.startswith("BEGIN IMMEDIATE") and worker_writing.set())
        try:
            return keep(own, made)
        finally:
            worker_writing.set()

    monkeypatch.setattr(phone_forms, "keep_phone_forms", keep_when_told)
    operation = phone_forms.refresh_stale_forms(db)
    assert operation is not None
    outcomes: list = []
    operation.finished.connect(outcomes.append)  # (before it can have come)
    waited = []

    def worker_writes_as_the_dose_is_written(sql: str) -> None:
        if sql.startswith("INSERT INTO") and "dose_entries" in sql.split("(")[0] \
                and not go.is_set():
            go.set()
            waited.append(worker_writing.wait(10))  # (an assert here would be swallowed)

    seen = []

    def exec_(dialog) -> int:
        seen.append(dialog)
        dialog.withdraw_radio.setChecked(True)
        dialog.note_edit.setText("recorded for the wrong day")
        db.conn.set_trace_callback(worker_writes_as_the_dose_is_written)
        try:
            press_ok(dialog)
        finally:
            db.conn.set_trace_callback(None)
        assert dialog.result() == QDialog.DialogCode.Accepted, \
            dialog.errors.message("_general")
        return dialog.result()

    monkeypatch.setattr(CorrectDialog, "exec", exec_)
    ctx.window.show()
    qtbot.waitExposed(ctx.window)
    ctx.window.show_tab("today")
    today = ctx.window.today_tab
    today.refresh()
    assert today.show_dose(riluzole.id, KEY8)
    assert ready.wait(10)
    today.card.correct_button.click()

    assert seen and waited == [True]  # the worker wrote while the correction was saved
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    assert outcomes[0].ok and outcomes[0].value == 1  # the worker saved too, after
    dose = book.day().doses[0]
    assert dose.effective is None  # withdrawn, as the person asked
    assert len(dose.chain.entries) == 2  # the record and its correction, none doubled
    assert "not saved" not in today.feedback_label.text().lower()
    assert db.execute("SELECT shown_national FROM contact_phones").fetchone()[0] != "old"
