"""The Today tab's "Reminders…": the reminder settings dialog, saved where each is kept."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.today.settings_dialog import ReminderPrefs, ReminderSettingsDialog


def edit_reminder_settings(book: MedicationBook, settings: UiSettings, *,
                           tray_available: bool, parent: QWidget) -> bool:
    """Ask; save the household's dose timing in the records and the rest in this
    computer's settings. True when saved."""
    household = book.household_settings()

    def save(prefs: ReminderPrefs) -> None:
        # the household's dose timing first: kept in the records, it may be refused
        # (a full disk), and then nothing is changed
        book.save_dose_timing(prefs.on_time_minutes, prefs.missed_after_minutes)
        settings.reminder_lead_minutes = prefs.lead_minutes
        settings.reminder_repeat_minutes = prefs.repeat_minutes
        settings.reminder_sound = prefs.sound
        settings.close_to_tray = prefs.close_to_tray
        settings.appointment_reminder_hours = prefs.appointment_hours
        settings.bring_to_front = prefs.bring_to_front
        settings.reminder_volume = prefs.volume
        settings.reminder_escalate = prefs.escalate
        settings.reminder_loudest = prefs.loudest
        settings.discreet_notices = prefs.discreet
        settings.sync()

    prefs = ReminderSettingsDialog.ask(
        ReminderPrefs(settings.reminder_lead_minutes, settings.reminder_repeat_minutes,
                      settings.reminder_sound, settings.close_to_tray,
                      settings.appointment_reminder_hours, settings.bring_to_front,
                      household.dose_on_time_minutes,
                      household.dose_missed_after_minutes, settings.reminder_volume,
                      settings.reminder_escalate, settings.reminder_loudest,
                      discreet=settings.discreet_notices),
        tray_available=tray_available, save=save, parent=parent)
    return prefs is not None
