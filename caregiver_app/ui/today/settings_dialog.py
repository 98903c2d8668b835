"""Reminder settings: how early, how often again, sound, bringing the window to the
front, staying in the tray, notifications without medicine names, and the household's
dose timing (on time within, missed after)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.doses import MISSED_AFTER_CHOICES, ON_TIME_CHOICES
from caregiver_app.domain.localtime import describe_duration
from caregiver_app.domain.reminders import (
    APPOINTMENT_HOURS_CHOICES,
    LEAD_CHOICES,
    REPEAT_CHOICES,
    VOLUME_CHOICES,
)
from caregiver_app.services.autostart import OFFER_TEXT
from caregiver_app.ui import desktop
from caregiver_app.ui.forms import ErrorLabel
from caregiver_app.ui.saving_dialog import SavingDialog


@dataclass(frozen=True)
class ReminderPrefs:
    lead_minutes: int
    repeat_minutes: int
    sound: bool
    close_to_tray: bool
    appointment_hours: int = 2
    bring_to_front: bool = True
    on_time_minutes: int = 60
    missed_after_minutes: int = 120
    volume: int = 75
    escalate: bool = True
    loudest: int = 100
    discreet: bool = False  # notifications without medicine names
    start_at_login: bool = False  # services.autostart: kept by the system, not in settings


class ReminderSettingsDialog(SavingDialog):
    not_saved = "The reminder settings were not saved"

    def __init__(self, prefs: ReminderPrefs, *, tray_available: bool,
                 save: Callable[[ReminderPrefs], None] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Reminders")
        layout = QVBoxLayout(self)
        place = desktop.DESKTOP.tray_place
        intro = QLabel(f"Reminders come at each dose's time, on screen and {place}, "
                       "until the dose is recorded or snoozed.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.lead_combo = _choices(
            "Remind before the due time", LEAD_CHOICES, prefs.lead_minutes,
            lambda m: "Only at the due time" if not m else f"Also {m} minutes before")
        form.addRow("&Before:", self.lead_combo)
        self.repeat_combo = _choices(
            "Remind again", REPEAT_CHOICES, prefs.repeat_minutes,
            lambda m: "Once only" if not m else f"Every {m} minutes until recorded")
        form.addRow("&Again:", self.repeat_combo)
        self.appointment_combo = _choices(
            "Appointment reminders", APPOINTMENT_HOURS_CHOICES, prefs.appointment_hours,
            lambda h: "The evening before" if not h else
            f"The evening before, and {h} hour" + ("s" if h != 1 else "") + " before")
        form.addRow("A&ppointments:", self.appointment_combo)
        self.sound_check = QCheckBox("Play a &sound with each reminder")
        self.sound_check.setChecked(prefs.sound)
        form.addRow(self.sound_check)
        self.volume_combo = _choices("Chime volume", VOLUME_CHOICES, prefs.volume,
                                     _volume_label)
        form.addRow("Chime &volume:", self.volume_combo)
        self.escalate_check = QCheckBox("&Longer and louder if still not recorded, up to:")
        self.escalate_check.setChecked(prefs.escalate)
        self.escalate_check.setToolTip(
            "From the second repeat on, a dose still not recorded gets three chimes, then "
            "five, rising to the volume chosen below (never louder).")
        self.loudest_combo = _choices("Loudest chime", VOLUME_CHOICES, prefs.loudest,
                                      _volume_label)
        form.addRow(self.escalate_check)
        form.addRow("", self.loudest_combo)
        self.sound_check.toggled.connect(self._update_sound)
        self.escalate_check.toggled.connect(self._update_sound)
        self.volume_combo.currentIndexChanged.connect(self._update_sound)
        self._update_sound()
        self.front_check = QCheckBox("Bring the window to the &front when a dose is due")
        self.front_check.setChecked(prefs.bring_to_front)
        self.front_check.setToolTip(
            "A minimised or hidden window comes back on top of the others. It does not "
            "take the keyboard from what you are typing elsewhere.")
        form.addRow(self.front_check)
        self.tray_check = QCheckBox(f"Closing the window keeps reminders &running {place}")
        self.tray_check.setChecked(prefs.close_to_tray and tray_available)
        self.tray_check.setEnabled(tray_available)
        if not tray_available:
            self.tray_check.setToolTip(f"This computer shows no icons {place}, so "
                                       "reminders only come while the window is open.")
        form.addRow(self.tray_check)
        self.discreet_check = QCheckBox("Notifications without medicine &names")
        self.discreet_check.setChecked(prefs.discreet)
        self.discreet_check.setToolTip(
            "The computer's notifications (also on a locked screen) then say \u201cTime "
            "for medicines (1)\u201d without naming them. The window always shows which.")
        form.addRow(self.discreet_check)
        self.login_check = QCheckBox(OFFER_TEXT.replace(" when", " &when", 1))
        self.login_check.setChecked(prefs.start_at_login)
        self.login_check.setToolTip(f"It then opens minimized {place} each time you "
                                    "log in to this computer.")
        form.addRow(self.login_check)
        layout.addLayout(form)
        timing = QLabel("Dose times at home: a dose given close to its time counts as on "
                        "time (else early or late), and a dose with nothing recorded counts "
                        "as missed after a while.")
        timing.setWordWrap(True)
        layout.addWidget(timing)
        timing_form = QFormLayout()
        self.on_time_combo = _choices(
            "A dose counts as on time within", ON_TIME_CHOICES, prefs.on_time_minutes,
            lambda m: f"{describe_duration(_minutes(m))} before or after its time")
        timing_form.addRow("On ti&me within:", self.on_time_combo)
        self.missed_combo = _choices(
            "A dose with nothing recorded counts as missed after", MISSED_AFTER_CHOICES,
            prefs.missed_after_minutes,
            lambda m: f"{describe_duration(_minutes(m))} after its time")
        timing_form.addRow("Misse&d after:", self.missed_combo)
        self.timing_note = QLabel()
        self.timing_note.setWordWrap(True)
        self.timing_note.setAccessibleName("About the dose times")
        timing_form.addRow(self.timing_note)
        layout.addLayout(timing_form)
        self.on_time_combo.currentIndexChanged.connect(self._update_timing_note)
        self.missed_combo.currentIndexChanged.connect(self._update_timing_note)
        self._update_timing_note()
        self.error_label = ErrorLabel()
        self.errors.set_general(self.error_label)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._tray_available = tray_available
        self._prefs = prefs
        self._save = save

    # ``ask(prefs, tray_available=, save=, parent=)`` (``SavingDialog``): the choices
    # made, or None if cancelled. ``save(prefs)`` runs on OK; when it refuses (the
    # household's dose timing is kept in the records, and a full disk refuses it) the
    # dialog stays open with the choices made and says why.

    def save_form(self) -> ReminderPrefs:
        prefs = self.prefs()
        if self._save is not None:
            self._save(prefs)
        return prefs

    def prefs(self) -> ReminderPrefs:
        return ReminderPrefs(
            lead_minutes=int(self.lead_combo.currentData()),
            repeat_minutes=int(self.repeat_combo.currentData()),
            sound=self.sound_check.isChecked(),
            close_to_tray=(self.tray_check.isChecked() if self._tray_available
                           else self._prefs.close_to_tray),
            appointment_hours=int(self.appointment_combo.currentData()),
            bring_to_front=self.front_check.isChecked(),
            on_time_minutes=int(self.on_time_combo.currentData()),
            missed_after_minutes=int(self.missed_combo.currentData()),
            volume=int(self.volume_combo.currentData()),
            escalate=self.escalate_check.isChecked(),
            loudest=max(int(self.loudest_combo.currentData()),
                        int(self.volume_combo.currentData())),
            discreet=self.discreet_check.isChecked(),
            start_at_login=self.login_check.isChecked())

    def _update_sound(self, *_args) -> None:
        """The volumes apply only with the sound on; the loudest never below the volume."""
        sound = self.sound_check.isChecked()
        self.volume_combo.setEnabled(sound)
        self.escalate_check.setEnabled(sound)
        self.loudest_combo.setEnabled(sound and self.escalate_check.isChecked())
        volume = int(self.volume_combo.currentData())
        model = self.loudest_combo.model()
        for row in range(self.loudest_combo.count()):
            item = model.item(row)
            if item is not None:
                item.setEnabled(int(self.loudest_combo.itemData(row)) >= volume)
        if int(self.loudest_combo.currentData()) < volume:
            self.loudest_combo.setCurrentIndex(self.loudest_combo.findData(volume))

    def _update_timing_note(self) -> None:
        on_time = int(self.on_time_combo.currentData())
        missed = int(self.missed_combo.currentData())
        self.timing_note.setText(
            "A dose counts as missed only after it stops being on time, so it will count "
            f"as missed {describe_duration(_minutes(on_time))} after its time."
            if missed < on_time else
            "Clinic doses (given at the clinic) are counted by the day.")


def _choices(name: str, values, current: int, label) -> QComboBox:
    """A combo of ``values`` shown by ``label(value)``, set to ``current`` (else the first)."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    for value in values:
        combo.addItem(label(value), value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _volume_label(percent: int) -> str:
    words = {25: "Quiet", 50: "Medium", 75: "Loud", 100: "Loudest"}
    return f"{words.get(percent, 'Volume')} ({percent}%)"


def _minutes(value: int):
    from datetime import timedelta

    return timedelta(minutes=value)
