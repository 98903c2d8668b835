"""A change made in one place shows everywhere: every tab follows the one change signal
(``Core.changes``), subscribed once where the window is built, not the screen that
made the change."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from households import jane_with_tom_on_duty
from medicine_builders import D0, T8, at, medicine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.ui.medications import history_dialog
from caregiver_app.ui.today.model import Column

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing",
                                       "does not support activateWindow")

KEY8 = f"{D0.isoformat()}T08:00"


@pytest.fixture
def home(ctx, fake_clock, system_notices):
    """Jane in New York, Tom on duty at 07:00; riluzole at 08:00 and 20:00 with 30
    tablets counted."""
    tom = jane_with_tom_on_duty(ctx, fake_clock)
    riluzole = ctx.medications.add_medicine(medicine(
        DailyRegimen(D0, (T8, time(20))), id=None, supply=SupplySettings(unit="tablet")))
    ctx.medications.count_stock(riluzole.id, 30)
    yield SimpleNamespace(ctx=ctx, book=ctx.medications, clock=fake_clock, tom=tom,
                          riluzole=riluzole, service=system_notices)
    ctx.reminders.stop()


def _fire(home, when) -> None:
    reminders = home.ctx.reminders
    if not reminders.running:
        reminders.start()
    assert reminders.armed_for == when
    home.clock.set(when)
    reminders.timer.timeout.emit()


def _today_state(window, medicine_id: int) -> str:
    tab = window.today_tab
    return tab.model.row_at(tab.model.find_dose(medicine_id, KEY8)).cells[Column.STATE]


def _supply_shown(window, medicine_id: int) -> str:
    tab = window.tab_widget("medications")
    return tab.model.row_at(tab.model.row_of(medicine_id)).supply_text


def test_a_dose_given_from_the_reminder_window_updates_today_and_medications(
        home, main_window, qtbot):
    main_window.show_tab("medications")  # read once, then kept up to date
    assert _supply_shown(main_window, home.riluzole.id) == "30 tablets"
    main_window.show_tab("today")
    assert "Given" not in _today_state(main_window, home.riluzole.id)
    main_window.showMinimized()  # out of view: the reminder comes in its own window
    qtbot.waitUntil(main_window.isMinimized)
    _fire(home, at(D0, 8))
    popup = home.ctx.alerts.popup
    assert popup.isVisible()
    home.clock.set(at(D0, 8, 4))
    qtbot.mouseClick(popup.banner.given_button(0), Qt.MouseButton.LeftButton)
    # Today shows it given (read again from the change, not told by the popup)
    qtbot.waitUntil(lambda: "Given at 08:04" in _today_state(main_window, home.riluzole.id))
    main_window.showNormal()
    main_window.show_tab("medications")
    assert _supply_shown(main_window, home.riluzole.id) == "29 tablets"


def test_an_open_history_shows_a_dose_given_from_the_desktop_notification(
        home, main_window, qtbot, monkeypatch):
    """The History window stays open while a notification's Given is pressed: the new
    record appears in it."""
    opened: list[history_dialog.HistoryDialog] = []

    def open_without_waiting(dialog):
        opened.append(dialog)
        QDialog.open(dialog)  # as exec() shows it, without the test waiting on it

    monkeypatch.setattr(history_dialog.HistoryDialog, "exec", open_without_waiting)
    main_window.show_tab("medications")
    tab = main_window.tab_widget("medications")
    tab.select_medicine(home.riluzole.id)
    qtbot.mouseClick(tab.history_button, Qt.MouseButton.LeftButton)
    (dialog,) = opened
    before = dialog.model.rowCount()
    _fire(home, at(D0, 8))
    qtbot.waitUntil(lambda: len(home.service.shown) == 1, timeout=3000)
    home.clock.set(at(D0, 8, 2))
    home.service.press("Given")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == before + 1, timeout=3000)
    assert "given" in " ".join(dialog.model.text(0, c) for c in range(6)).casefold()
    dialog.reject()
    assert tab._open_history is None


def _cells(model) -> str:
    return " | ".join(str(model.index(r, c).data() or "") for r in range(model.rowCount())
                      for c in range(model.columnCount()))


def test_a_contact_renamed_shows_beside_its_appointment_and_its_medicine(home, main_window):
    """One save of a contact: the Care team's appointments and the Medications list
    (prescriber) both follow it."""
    careteam, book = home.ctx.careteam, home.book
    lee = careteam.save_contact(Contact("Dr. Lee", Role.NEUROLOGIST))
    book.update_details(replace(book.medicine(home.riluzole.id), prescriber_id=lee.id))
    careteam.save_appointment(Appointment(at(D0 + timedelta(days=2), 15), "Clinic visit",
                                          time_zone="America/New_York", contact_id=lee.id))
    main_window.show_tab("medications")
    medications = main_window.tab_widget("medications")
    assert "Dr. Lee" in _cells(medications.model)
    main_window.show_tab("care_team")
    care_team = main_window.tab_widget("care_team")
    assert "Dr. Lee" in _cells(care_team.appointments)
    careteam.save_contact(replace(lee, name="Dr. Ann Lee"))
    assert "Dr. Ann Lee" in _cells(care_team.appointments)
    main_window.show_tab("medications")
    assert "Dr. Ann Lee" in _cells(medications.model)
