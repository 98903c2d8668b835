"""Add or edit an appointment: when, with whom, where, and the notes around it.

The date and time are wall-clock times in the patient's time zone. Before the
visit: transport, who goes along, questions to ask. Afterwards: the outcome.

A clinic-given dose planned by the medicine schedule (``AppointmentSource.REGIMEN``)
gets its day, time, length, purpose and contact from the schedule, which sets them
again on every change: those are shown read-only with a line saying where to
change them, and the caregiver's place, transport, companion, questions and
outcome are what this dialog edits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.appointments import (
    MAX_MINUTES,
    MIN_MINUTES,
    PURPOSE_SUGGESTIONS,
    Appointment,
    AppointmentSource,
    local_to_utc,
    validate_appointment,
    zone_or_utc,
)
from caregiver_app.domain.contacts import Contact
from caregiver_app.domain.errors import ValidationError
from caregiver_app.ui.forms import ErrorLabel, with_error
from caregiver_app.ui.saving_dialog import SavingDialog
from caregiver_app.ui.widgets import DateEdit, TimeEdit

_NO_CONTACT = -1

SCHEDULE_NOTE = (
    "The medicine schedule plans this clinic dose: its day and time, how long, what it is "
    "for and who gives it come from there. Record the dose or change the schedule in the "
    "Medications tab. Where, transport, who goes along, questions and the outcome are yours "
    "to fill in here.")


class AppointmentDialog(SavingDialog):
    not_saved = "This appointment was not saved"

    def __init__(self, appointment: Appointment | None = None, *,
                 contacts: Sequence[Contact], time_zone: str, now: datetime,
                 contact_id: int | None = None,
                 save: Callable[[Appointment], Appointment] | None = None,
                 parent: QWidget | None = None):
        """``save``: store the checked appointment and return it as saved; when it
        refuses (a full disk) the dialog stays open with what was typed and says why."""
        super().__init__(parent)
        self.setWindowTitle("Edit appointment" if appointment and appointment.id
                            else "New appointment")
        self._original = appointment
        self._save = save
        self._from_schedule = (appointment is not None
                               and appointment.source is AppointmentSource.REGIMEN)
        self._contacts = {c.id: c for c in contacts if c.id is not None}
        self._time_zone = (appointment.time_zone if appointment and appointment.time_zone
                           else time_zone)
        self._retype: DateEdit | TimeEdit | None = None
        self._build()
        self._load(appointment, now, contact_id)
        if self._from_schedule:
            self._lock_schedule_fields()

    # ---- Public API

    # ``ask(appointment, contacts=, time_zone=, now=, contact_id=, save=, parent=)``
    # (``SavingDialog``): the checked (and, with ``save``, saved) appointment, or None.

    def save_form(self) -> Appointment:
        """Check every field (``validate_appointment``), then save through ``save``."""
        self._retype = None
        for field in (self.date_edit, self.time_edit):  # "31 Feb", "25:00": nothing saved
            field.commit()
            if field.problem():
                self._retype = field  # the one to fix, ready to retype
                raise ValidationError({"starts_at": field.problem()})
        errors: dict[str, str] = {}
        day, clock = self.date_edit.value(), self.time_edit.value()
        try:
            starts_at = local_to_utc(day, clock, self._time_zone)
        except ValueError as exc:
            errors["starts_at"] = str(exc)
            starts_at = local_to_utc(day, time(12, 0), self._time_zone)
        contact_id = self.contact_combo.currentData()
        base = self._original or Appointment(starts_at=starts_at, purpose="")
        if self._from_schedule:  # the schedule's fields stay exactly as it set them
            errors.pop("starts_at", None)
            scheduled = {}
        else:
            scheduled = dict(
                starts_at=starts_at,
                time_zone=self._time_zone,
                duration_minutes=self.duration_spin.value(),
                purpose=self.purpose_combo.currentText(),
                contact_id=None if contact_id in (None, _NO_CONTACT) else contact_id)
        candidate = replace(
            base,
            **scheduled,
            place=self.place_edit.toPlainText(),
            transport=self.transport_edit.toPlainText(),
            companion=self.companion_edit.text(),
            questions=self.questions_edit.toPlainText(),
            outcome=self.outcome_edit.toPlainText(),
        )
        try:
            appointment = validate_appointment(candidate)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        if errors:
            raise ValidationError(errors)
        return self._save(appointment) if self._save is not None else appointment

    def show_errors(self, errors: Mapping[str, str]) -> None:
        super().show_errors(errors)
        if self._retype is not None:
            self._retype.setFocus(Qt.FocusReason.OtherFocusReason)
            self._retype.selectAll()

    # ---- Private

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.purpose_combo = QComboBox()
        self.purpose_combo.setEditable(True)
        self.purpose_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.purpose_combo.setMinimumContentsLength(20)
        self.purpose_combo.addItems(PURPOSE_SUGGESTIONS)
        self.purpose_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.purpose_combo.setAccessibleName("What the appointment is for")
        self._row(form, "&What for:", "purpose", self.purpose_combo)

        self.series_label = QLabel()
        self.series_label.setWordWrap(True)
        self.series_label.setAccessibleName("Part of a dose series")
        self.series_label.hide()
        form.addRow("", self.series_label)

        self.schedule_note = QLabel(SCHEDULE_NOTE)
        self.schedule_note.setWordWrap(True)
        self.schedule_note.setAccessibleName("Planned by the medicine schedule")
        self.schedule_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.schedule_note.setMargin(6)
        self.schedule_note.hide()
        form.insertRow(0, self.schedule_note)

        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        self.date_edit = DateEdit(accessible_name="Date")
        self.time_edit = TimeEdit(accessible_name="Start time")
        row.addWidget(self.date_edit, 2)
        row.addWidget(QLabel("at"))
        row.addWidget(self.time_edit, 1)
        box, label = with_error(when)
        caption = QLabel("&Date and time:")
        caption.setBuddy(self.date_edit)
        form.addRow(caption, box)
        self.errors.add("starts_at", self.date_edit, label)
        self.time_edit.field_name = "starts_at"  # its "not a time" goes under the row too
        zone_note = QLabel(f"Times are in the patient's time zone ({self._time_zone}).")
        zone_note.setWordWrap(True)
        form.addRow("", zone_note)

        self.duration_spin = QSpinBox()
        self.duration_spin.setRange(MIN_MINUTES, MAX_MINUTES)
        self.duration_spin.setSingleStep(15)
        self.duration_spin.setSuffix(" minutes")
        self.duration_spin.setAccessibleName("How long, in minutes")
        self._row(form, "How &long:", "duration_minutes", self.duration_spin)

        self.contact_combo = QComboBox()
        self.contact_combo.setAccessibleName("With whom")
        self.contact_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.contact_combo.setMinimumContentsLength(20)
        self.contact_combo.addItem("— nobody chosen —", _NO_CONTACT)
        for c in sorted(self._contacts.values(), key=lambda c: c.name.casefold()):
            self.contact_combo.addItem(f"{c.name} ({c.role_label})", c.id)
        self.contact_combo.activated.connect(self._on_contact_chosen)
        self._row(form, "With wh&om:", "contact_id", self.contact_combo)

        self.place_edit = self._text_edit("Where", 3, "Address, building, floor, room")
        self._row(form, "W&here:", "place", self.place_edit)

        self.transport_edit = self._text_edit(
            "Transport", 2, "Who drives, wheelchair taxi booked, parking…")
        self._row(form, "&Transport:", "transport", self.transport_edit)

        self.companion_edit = QLineEdit()
        self.companion_edit.setAccessibleName("Who goes along")
        self._row(form, "Who goes &along:", "companion", self.companion_edit)

        self.questions_edit = self._text_edit(
            "Questions to ask", 4, "One question per line")
        self._row(form, "&Questions to ask:", "questions", self.questions_edit)

        self.outcome_edit = self._text_edit(
            "Outcome", 3, "Afterwards: what was decided, changes, next steps")
        self._row(form, "O&utcome:", "outcome", self.outcome_edit)

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)

        self.general_error = ErrorLabel()
        self.errors.set_general(self.general_error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        line = self.fontMetrics().height()
        self.resize(line * 42, line * 44)

    def _lock_schedule_fields(self) -> None:
        """A clinic dose: what the schedule sets is shown, not edited (see SCHEDULE_NOTE)."""
        self.schedule_note.show()
        why = "Set by the medicine schedule: change it in the Medications tab."
        self.duration_spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        for field in (self.date_edit, self.time_edit, self.duration_spin):
            field.setReadOnly(True)
            palette = field.palette()  # looks like text to read, not a box to type in
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
            field.setPalette(palette)
        self.date_edit.calendar_action.setVisible(False)
        for combo in (self.purpose_combo, self.contact_combo):
            combo.setEnabled(False)
        for widget in (self.date_edit, self.time_edit, self.duration_spin, self.purpose_combo,
                       self.contact_combo):
            widget.setToolTip(why)
            widget.setAccessibleDescription(why)
        self.place_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _row(self, form: QFormLayout, text: str, name: str, widget: QWidget) -> None:
        box, label = with_error(widget)
        caption = QLabel(text)
        caption.setBuddy(widget)
        form.addRow(caption, box)
        self.errors.add(name, widget, label)

    @staticmethod
    def _text_edit(name: str, lines: int, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        metrics = edit.fontMetrics()
        margins = 2 * int(edit.document().documentMargin()) + 2 * edit.frameWidth() \
            + metrics.lineSpacing() // 2
        edit.setFixedHeight(metrics.lineSpacing() * lines + margins)
        return edit

    def _on_contact_chosen(self) -> None:
        contact = self._contacts.get(self.contact_combo.currentData())
        if contact is None or self.place_edit.toPlainText().strip():
            return
        place = "\n".join(p for p in (contact.organisation, contact.address) if p)
        self.place_edit.setPlainText(place)
        self.place_edit.selectAll()  # typing an address replaces it; End keeps it

    def _load(self, appointment: Appointment | None, now: datetime,
              contact_id: int | None) -> None:
        zone = zone_or_utc(self._time_zone)
        if appointment is None:
            start = (now.astimezone(zone) + timedelta(days=1)).replace(
                hour=10, minute=0, second=0, microsecond=0)
            self.purpose_combo.setCurrentText("")
            self.duration_spin.setValue(60)
            if contact_id is not None and contact_id in self._contacts:
                self.contact_combo.setCurrentIndex(self.contact_combo.findData(contact_id))
                self._on_contact_chosen()
        else:
            start = appointment.starts_at.astimezone(zone)
            self.purpose_combo.setCurrentText(appointment.purpose)
            self.duration_spin.setValue(appointment.duration_minutes)
            if appointment.contact_id is not None:
                index = self.contact_combo.findData(appointment.contact_id)
                if index < 0:  # a contact since removed: keep the link, say so
                    self.contact_combo.addItem(
                        f"{appointment.contact_name or 'Removed contact'} (removed from the list)",
                        appointment.contact_id)
                    index = self.contact_combo.count() - 1
                self.contact_combo.setCurrentIndex(index)
            self.place_edit.setPlainText(appointment.place)
            self.transport_edit.setPlainText(appointment.transport)
            self.companion_edit.setText(appointment.companion)
            self.questions_edit.setPlainText(appointment.questions)
            self.outcome_edit.setPlainText(appointment.outcome)
            if appointment.series_label:
                self.series_label.setText(
                    f"Part of a dose series: {appointment.series_label}. "
                    "Planned by the medicine schedule.")
                self.series_label.show()
        self.date_edit.set_value(start.date())
        self.time_edit.set_value(start.time())
