"""Reminder settings: how early, how often again, sound, and staying in the tray."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.reminders import APPOINTMENT_HOURS_CHOICES, LEAD_CHOICES, REPEAT_CHOICES


@dataclass(frozen=True)
class ReminderPrefs:
    lead_minutes: int
    repeat_minutes: int
    sound: bool
    close_to_tray: bool
    appointment_hours: int = 2


class ReminderSettingsDialog(QDialog):
    def __init__(self, prefs: ReminderPrefs, *, tray_available: bool,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Reminders")
        layout = QVBoxLayout(self)
        intro = QLabel("Reminders come at each dose's time, on screen and near the clock, "
                       "until the dose is recorded or snoozed.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.lead_combo = QComboBox()
        self.lead_combo.setAccessibleName("Remind before the due time")
        for minutes in LEAD_CHOICES:
            self.lead_combo.addItem("Only at the due time" if not minutes
                                    else f"Also {minutes} minutes before", minutes)
        self.lead_combo.setCurrentIndex(max(0, self.lead_combo.findData(prefs.lead_minutes)))
        form.addRow("&Before:", self.lead_combo)
        self.repeat_combo = QComboBox()
        self.repeat_combo.setAccessibleName("Remind again")
        for minutes in REPEAT_CHOICES:
            self.repeat_combo.addItem("Once only" if not minutes
                                      else f"Every {minutes} minutes until recorded", minutes)
        self.repeat_combo.setCurrentIndex(
            max(0, self.repeat_combo.findData(prefs.repeat_minutes)))
        form.addRow("&Again:", self.repeat_combo)
        self.appointment_combo = QComboBox()
        self.appointment_combo.setAccessibleName("Appointment reminders")
        for hours in APPOINTMENT_HOURS_CHOICES:
            self.appointment_combo.addItem(
                "The evening before" if not hours else
                f"The evening before, and {hours} hour" + ("s" if hours != 1 else "")
                + " before", hours)
        self.appointment_combo.setCurrentIndex(
            max(0, self.appointment_combo.findData(prefs.appointment_hours)))
        form.addRow("A&ppointments:", self.appointment_combo)
        self.sound_check = QCheckBox("Play a &sound with each reminder")
        self.sound_check.setChecked(prefs.sound)
        form.addRow(self.sound_check)
        self.tray_check = QCheckBox("Closing the window keeps reminders &running near the clock")
        self.tray_check.setChecked(prefs.close_to_tray and tray_available)
        self.tray_check.setEnabled(tray_available)
        if not tray_available:
            self.tray_check.setToolTip("This computer shows no icons near the clock, so "
                                       "reminders only come while the window is open.")
        form.addRow(self.tray_check)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._tray_available = tray_available
        self._prefs = prefs

    @classmethod
    def ask(cls, prefs: ReminderPrefs, *, tray_available: bool,
            parent: QWidget | None = None) -> ReminderPrefs | None:
        dialog = cls(prefs, tray_available=tray_available, parent=parent)
        return dialog.prefs() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def prefs(self) -> ReminderPrefs:
        return ReminderPrefs(
            lead_minutes=int(self.lead_combo.currentData()),
            repeat_minutes=int(self.repeat_combo.currentData()),
            sound=self.sound_check.isChecked(),
            close_to_tray=(self.tray_check.isChecked() if self._tray_available
                           else self._prefs.close_to_tray),
            appointment_hours=int(self.appointment_combo.currentData()))
