"""The Today tab's "Reminders…": the reminder settings dialog, saved where each is kept."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from caregiver_app.domain.errors import ValidationError
from caregiver_app.services import autostart as login_start
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.ui.settings import UiSettings
from caregiver_app.ui.today.settings_dialog import ReminderPrefs, ReminderSettingsDialog

log = logging.getLogger(__name__)


def edit_reminder_settings(book: MedicationBook, settings: UiSettings, *,
                           tray_available: bool, parent: QWidget,
                           autostart: login_start.Autostart | None = None) -> bool:
    """Ask; save the household's dose timing in the records, starting at login where
    the system keeps it (``services.autostart``) and the rest in this computer's
    settings. True when saved."""
    household = book.household_settings()
    at_login = autostart or login_start.for_this_computer()
    was_on = at_login.is_on()

    def save(prefs: ReminderPrefs) -> None:
        changed = prefs.start_at_login != was_on
        if changed:
            _turn(at_login, prefs.start_at_login)
        # the household's dose timing next: kept in the records, it may be refused
        # (a full disk), and then nothing is changed (the login start is put back)
        try:
            book.save_dose_timing(prefs.on_time_minutes, prefs.missed_after_minutes)
        except Exception:
            if changed:
                try:
                    _turn(at_login, was_on)
                except ValidationError:
                    log.warning("the login start could not be put back")
            raise
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
                      discreet=settings.discreet_notices, start_at_login=was_on),
        tray_available=tray_available, save=save, parent=parent)
    return prefs is not None


def _turn(at_login: login_start.Autostart, on: bool) -> None:
    """Start at login, or not; a refusal (a read-only home folder) is said in the
    dialog, and nothing else is saved."""
    try:
        at_login.turn_on() if on else at_login.turn_off()
    except OSError as exc:
        log.warning("login start not changed: %s", type(exc).__name__)
        verb = "set up" if on else "removed"
        raise ValidationError({"start_at_login": (
            f"Starting at login could not be {verb} ({at_login.describe()}: "
            f"{exc.strerror or exc}). Nothing was changed.")}) from exc
    log.info("start at login turned %s", "on" if on else "off")
