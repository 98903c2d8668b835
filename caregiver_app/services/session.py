"""The patient and the caregivers, and who is on duty right now: every record made in
the app is stamped with them."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject

from caregiver_app.domain.patient import Caregiver, Patient
from caregiver_app.services.changes import ChangeHub, Changes
from caregiver_app.storage.patient_repo import PatientRepository


class People(Protocol):
    """What the window reads about the patient and the caregivers (the records'
    ``PatientRepository``); changes go through ``Session``."""

    def get(self) -> Patient | None: ...

    def caregivers(self, *, include_inactive: bool = False) -> list[Caregiver]: ...


class Session(QObject):
    """Saving the patient or the caregivers, and choosing who is on duty, announce a
    ``Changes`` (``patient``, ``caregivers``, ``on_duty``) on ``changes``."""

    def __init__(self, repo: PatientRepository, *, changes: ChangeHub | None = None,
                 parent: QObject | None = None):
        """``changes``: where every write is announced (the core's; a new one by
        default)."""
        super().__init__(parent)
        self._repo = repo
        self.changes = changes if changes is not None else ChangeHub(self)
        self._on_duty: Caregiver | None = None

    @property
    def on_duty(self) -> Caregiver | None:
        return self._on_duty

    @property
    def on_duty_id(self) -> int | None:
        return self._on_duty.id if self._on_duty else None

    def patient(self) -> Patient | None:
        return self._repo.get()

    def caregivers(self, *, include_inactive: bool = False) -> list[Caregiver]:
        return self._repo.caregivers(include_inactive=include_inactive)

    def save_patient(self, patient: Patient) -> None:
        """Save the profile, stamped with the caregiver on duty; announces it.
        Raises what the records raise (nothing is saved then)."""
        self._repo.save(patient, by=self.on_duty_id)
        self.changes.announce(Changes(patient=True))

    def save_caregivers(self, caregivers: list[Caregiver]) -> list[Caregiver]:
        """Save the list (``PatientRepository.save_caregivers``: nobody is deleted) and
        announce it; returns the caregivers as saved, with their ids."""
        saved = self._repo.save_caregivers(caregivers)
        self._caregivers_saved()
        return saved

    def set_on_duty(self, caregiver_id: int | None) -> None:
        caregiver = self._repo.caregiver(caregiver_id) if caregiver_id is not None else None
        if caregiver is not None and not caregiver.active:
            caregiver = None
        if caregiver != self._on_duty:
            self._on_duty = caregiver
            self.changes.announce(Changes(on_duty=True))

    def reload(self) -> None:
        """The patient and the caregivers were written outside the session (the example
        household filled in): drop an on-duty caregiver who is gone, announce both."""
        with self.changes.batch():
            self._caregivers_saved()
            self.changes.announce(Changes(patient=True))

    def _caregivers_saved(self) -> None:
        """The list was saved: drop an on-duty caregiver who was removed; announce it."""
        on_duty = self._on_duty is not None
        if self._on_duty is not None:
            fresh = self._repo.caregiver(self._on_duty.id)  # type: ignore[arg-type]
            self._on_duty = None if fresh is None or not fresh.active else fresh
        self.changes.announce(Changes(caregivers=True, on_duty=on_duty))
