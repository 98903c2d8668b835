"""What the Today tab's card shows for the selected row, and which buttons are on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from caregiver_app.domain.doses import DoseState
from caregiver_app.domain.localtime import weekday_date
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.today import (
    dose_instructions,
    initials_of,
    is_unrecorded,
    prn_instructions,
)
from caregiver_app.domain.today_sections import Column, Row, row_actions
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.session import People
from caregiver_app.ui.desktop import shortcut_text
from caregiver_app.ui.today.card import DoseCard
from caregiver_app.ui.today.texts import dose_text, history_line


def show_on_card(card: DoseCard, row: Row | None, *, rows: Sequence[Row], day: date,
                 book: MedicationBook, patients: People, can_snooze: bool) -> None:
    """Fill ``card`` for ``row`` of the day ``day`` (``rows``: every row of the list)
    and turn on the buttons that can record it (``domain.today_sections.row_actions``).
    ``can_snooze``: reminders are running."""
    today = book.today()
    for button in card.buttons():
        button.setEnabled(False)
    if row is None:
        card.show_row(None)
        if not book.medicines():  # a new household: say where to start
            card.when_label.setText("No medicines yet. Add each one in the Medications "
                                    f"tab ({shortcut_text('Ctrl+2')}); their doses then show "
                                    "here.")
        return
    now, zone = book.now(), book.zone()
    initials = initials_of(patients.caregivers(include_inactive=True))
    actions = row_actions(row, day=day, today=today, now=now, can_snooze=can_snooze)
    card.given_button.setEnabled(actions.give_now)
    card.given_at_button.setEnabled(actions.give_at)
    card.skip_button.setEnabled(actions.skip)
    card.snooze_button.setEnabled(actions.snooze)
    card.correct_button.setEnabled(actions.correct)
    if row.dose is not None:
        status = row.dose
        occ = status.occurrence
        history = tuple(history_line(e, initials, zone, now) for e in status.history)
        notes = dose_instructions(status, now, zone)
        if day == today and is_unrecorded(status):
            notes = ("Nothing was recorded for this dose. Was it given at another "
                     "time, or not given?", *notes)
        card.show_row(status.medicine.name,
                      when=f"Due {occ.local.astimezone(zone):%H:%M}, "
                           f"{weekday_date(occ.local.astimezone(zone))}",
                      dose=dose_text(occ),
                      notes=notes, look=row.look, history=history,
                      can_read_about=bool(status.medicine.reference_id))
        can_record = actions.give_at  # nothing recorded yet, not a later day, no conflict
        group = time_group(row, rows) if can_record and day == today else []
        card.batch_button.setVisible(len(group) > 1)
        card.batch_button.setEnabled(len(group) > 1)
        due_at = f"{occ.local.astimezone(zone):%H:%M}"
        card.batch_button.setText(f"✓  Giv&en: all due at {due_at} ({len(group)})…")
        card.batch_button.setAccessibleName(
            f"Given: all {len(group)} doses due at {due_at}")
    elif row.prn is not None:
        prn = row.prn
        version = prn.medicine.version_on(day) or prn.medicine.versions[-1]
        card.show_row(prn.medicine.name, when="As needed", dose=version.describe(),
                      notes=prn_instructions(prn), look=row.look,
                      can_read_about=bool(prn.medicine.reference_id))
    elif row.extra is not None:
        extra = row.extra
        history = tuple(history_line(e, initials, zone, now) for e in extra.chain.entries)
        card.show_row(extra.medicine.name, when=row.cells[Column.NOTES], dose=row.cells[2],
                      look=row.look, history=history,
                      can_read_about=bool(extra.medicine.reference_id))
    if not card.batch_button.isEnabled():
        card.batch_button.hide()
    card.given_button.setText("✓  &Given now")


def time_group(row: Row, rows: Sequence[Row]) -> list[Row]:
    """The rows of the doses due at the same time as ``row``'s, still to record and
    given at home (what "Given: all due at 08:00" would record)."""
    assert row.dose is not None
    due = row.dose.occurrence.due
    return [r for r in rows if r.dose is not None
            and r.dose.occurrence.due == due and r.dose.effective is None
            and r.dose.state in (DoseState.DUE, DoseState.MISSED)
            and not r.dose.conflict and r.dose.medicine.given_by is GivenBy.HOME]
