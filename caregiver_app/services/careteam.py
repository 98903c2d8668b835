"""The care team as the rest of the app sees it: contacts and appointments.

Tabs and dialogs go through this object rather than the repository, so that every
change is announced once, on the core's change signal (``services.changes``): the Care
team tab, the medicine pickers and the Today header all follow it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from caregiver_app.domain.appointments import (
    Appointment,
    AppointmentSource,
    validate_appointment,
)
from caregiver_app.domain.contacts import Contact, ContactReference, Role, validate_contact
from caregiver_app.domain.errors import ValidationError
from caregiver_app.services.changes import ChangeHub, Changes
from caregiver_app.storage.careteam_repo import CareTeamRepository

if TYPE_CHECKING:
    from caregiver_app.services.vcard import ImportRow

# Roles listed first in the medicine dialog's pickers.
PRESCRIBER_ROLES = (Role.NEUROLOGIST, Role.NURSE_COORDINATOR, Role.PRIMARY_CARE,
                    Role.PULMONOLOGIST, Role.GASTROENTEROLOGIST, Role.PALLIATIVE,
                    Role.MENTAL_HEALTH)
PHARMACY_ROLES = (Role.PHARMACY, Role.HOME_HEALTH, Role.EQUIPMENT)


@dataclass(frozen=True)
class ImportResult:
    """What an import of contact cards did: how many were added, merged, skipped."""

    added: int
    merged: int
    skipped: int  # by choice (duplicates, empty cards…)
    unreadable: int = 0  # cards that could not be read, left out

    def summary(self) -> str:
        parts = [f"{self.added} added"]
        if self.merged:
            parts.append(f"{self.merged} merged into existing contacts")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        if self.unreadable:
            parts.append(f"{self.unreadable} could not be read")
        return "Contacts imported: " + ", ".join(parts) + "."


class CareTeam(QObject):
    """Every successful write announces one ``Changes`` naming the contacts or the
    appointments it changed, on ``changes`` (the core's ``ChangeHub``)."""

    def __init__(self, repo: CareTeamRepository, *,
                 region: str | Callable[[], str | None] | None,
                 changes: ChangeHub | None = None,
                 parent: QObject | None = None):
        """``region``: the phone region, or a callable giving it now (it follows the
        patient's time zone: ``domain.phones.household_region``). ``changes``: where
        every write is announced (the core's; a new one by default)."""
        super().__init__(parent)
        self.changes = changes if changes is not None else ChangeHub(self)
        self._repo = repo
        self._region_of = region if callable(region) else (lambda: region)

    # ---- Public API: contacts

    @property
    def region(self) -> str | None:
        """The phone region ("US") numbers without a country code are read in."""
        return self._region_of()

    @property
    def _region(self) -> str | None:
        return self._region_of()

    def contacts(self) -> list[Contact]:
        return self._repo.contacts()

    def contact(self, contact_id: int) -> Contact | None:
        return self._repo.contact(contact_id)

    def archived_contacts(self) -> list[Contact]:
        return self._repo.archived_contacts()

    def picker_contacts(self, purpose: str) -> list[Contact]:
        """Contacts for a medicine's ``"prescriber"`` or ``"pharmacy"`` picker.

        Likely ones (by role) come first, then everyone else by name.
        """
        first = PRESCRIBER_ROLES if purpose == "prescriber" else PHARMACY_ROLES
        return sorted(self._repo.contacts(),
                      key=lambda c: (c.role not in first,
                                     first.index(c.role) if c.role in first else 0,
                                     c.name.casefold()))

    def save_contact(self, contact: Contact) -> Contact:
        """Check and save a contact (new when it has no id)."""
        saved = self._repo.save_contact(validate_contact(contact, region=self._region))
        self._contacts_saved(saved.id)
        return saved

    def remove_contact(self, contact_id: int) -> None:
        """Take a contact off the list; medicines and appointments keep pointing at it."""
        self._repo.archive_contact(contact_id)
        self._contacts_saved(contact_id)

    def restore_contact(self, contact_id: int) -> None:
        self._repo.restore_contact(contact_id)
        self._contacts_saved(contact_id)

    def references(self, contact_id: int) -> list[ContactReference]:
        return self._repo.references(contact_id)

    def import_rows(self, rows: Sequence[ImportRow]) -> ImportResult:
        """Save what the import preview decided, all in one transaction.

        Raises ImportBlocked (a ValueError naming the card) and saves nothing when a
        row still needs fixing, merged results included (too many numbers, notes too
        long): the preview marks those rows, so this only happens if it was skipped.
        """
        from caregiver_app.services.vcard import (
            ImportAction,
            ImportBlocked,
            blocked_message,
            check_merges,
            contacts_to_save,
        )

        rows = check_merges(rows, region=self._region)
        blocked = [r for r in rows if r.blocked]
        if blocked:
            raise ImportBlocked(blocked_message(blocked[0], region=self._region))
        to_save = contacts_to_save(rows)
        try:
            checked = [validate_contact(c, region=self._region) for c in to_save]
        except ValidationError as exc:  # not expected after check_merges: say it plainly
            raise ImportBlocked(f"A contact cannot be saved: {exc}") from None
        saved = self._repo.save_contacts(checked)
        self._contacts_saved(*(c.id for c in saved))
        readable = [r for r in rows if not r.card.unreadable]
        count = {a: sum(1 for r in readable if r.action is a) for a in ImportAction}
        return ImportResult(count[ImportAction.ADD], count[ImportAction.MERGE],
                            count[ImportAction.SKIP],
                            sum(1 for r in rows if r.card.unreadable and r.card.number))

    # ---- Public API: appointments

    def appointments(self) -> list[Appointment]:
        return self._repo.appointments()

    def appointment(self, appointment_id: int) -> Appointment | None:
        return self._repo.appointment(appointment_id)

    def upcoming(self, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments starting in ``[start, end)``, soonest first.

        For the Today header, the daily checklist and appointment reminders.
        """
        return self._repo.upcoming(start, end)

    def save_appointment(self, appointment: Appointment) -> Appointment:
        saved = self._repo.save_appointment(validate_appointment(appointment))
        self._appointments_saved(saved.id)
        return saved

    def remove_appointment(self, appointment_id: int) -> None:
        self._repo.archive_appointment(appointment_id)
        self._appointments_saved(appointment_id)

    def restore_appointment(self, appointment_id: int) -> None:
        self._repo.restore_appointment(appointment_id)
        self._appointments_saved(appointment_id)

    def sync_generated(self, source: AppointmentSource, planned: Iterable[Appointment], *,
                       since: datetime, done: Mapping[str, datetime] | None = None) -> None:
        """Hook for the medicine schedule: its clinic-given doses as appointments.

        See ``CareTeamRepository.sync_generated``.
        """
        touched = self._repo.sync_generated(
            source, [validate_appointment(a) for a in planned], since=since, done=done)
        self._appointments_saved(*touched)

    # ---- Private

    def _contacts_saved(self, *ids: int | None) -> None:
        self.changes.announce(Changes(contacts=frozenset(i for i in ids if i is not None)))

    def _appointments_saved(self, *ids: int | None) -> None:
        self.changes.announce(Changes(
            appointments=frozenset(i for i in ids if i is not None)))
