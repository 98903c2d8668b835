"""The patient profile and the caregivers list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caregiver_app.domain.patient import (
    Allergy,
    AllergyStatus,
    Caregiver,
    Patient,
    WeightUnit,
)
from caregiver_app.storage.rows import last_id, rows_where
from caregiver_app.storage.timestamps import date_to_text, text_to_date, utc_now_text

if TYPE_CHECKING:
    from sqlite_utils import Database

PATIENT_ID = 1


class PatientRepository:
    def __init__(self, db: Database):
        self._db = db

    # ---- Patient

    def get(self) -> Patient | None:
        row = next(rows_where(self._db, "patient", "id = ?", [PATIENT_ID]), None)
        if row is None:
            return None
        allergies = tuple(
            Allergy(r["substance"], r["reaction"] or "")
            for r in rows_where(self._db, "allergies", order_by="position")
        )
        return Patient(
            full_name=row["full_name"],
            date_of_birth=text_to_date(row["date_of_birth"]),
            allergy_status=AllergyStatus(row["allergy_status"]),
            allergies=allergies,
            weight=row["weight"],
            weight_unit=WeightUnit(row["weight_unit"] or "kg"),
            height_cm=row.get("height_cm"),
            notes=row["notes"] or "",
            time_zone=row["time_zone"] or "",
            diagnosis=row.get("diagnosis") or "",
            communication=row.get("communication") or "",
            breathing=row.get("breathing") or "",
            advance_decisions=row.get("advance_decisions") or "",
        )

    def save(self, patient: Patient, *, by: int | None = None) -> None:
        """Replace the profile and its allergy list in one transaction."""
        with self._db.atomic():
            self._db.table("patient").upsert(
                {
                    "id": PATIENT_ID,
                    "full_name": patient.full_name,
                    "date_of_birth": date_to_text(patient.date_of_birth),
                    "allergy_status": patient.allergy_status.value,
                    "weight": patient.weight,
                    "weight_unit": patient.weight_unit.value,
                    "height_cm": patient.height_cm,
                    "notes": patient.notes,
                    "time_zone": patient.time_zone,
                    "diagnosis": patient.diagnosis,
                    "communication": patient.communication,
                    "breathing": patient.breathing,
                    "advance_decisions": patient.advance_decisions,
                    "updated_at": utc_now_text(),
                    "updated_by": by,
                },
                pk="id",
            )
            self._db.execute("DELETE FROM allergies")
            self._db.table("allergies").insert_all(
                {"position": i, "substance": a.substance, "reaction": a.reaction}
                for i, a in enumerate(patient.allergies)
            )

    # ---- Caregivers

    def caregivers(self, *, include_inactive: bool = False) -> list[Caregiver]:
        where = None if include_inactive else "active = 1"
        return [
            Caregiver(name=r["name"], initials=r["initials"], id=r["id"], active=bool(r["active"]))
            for r in rows_where(self._db, "caregivers", where, order_by="name COLLATE NOCASE")
        ]

    def caregiver(self, caregiver_id: int) -> Caregiver | None:
        return next(
            (c for c in self.caregivers(include_inactive=True) if c.id == caregiver_id), None
        )

    def save_caregivers(self, caregivers: list[Caregiver]) -> list[Caregiver]:
        """Insert new caregivers and update existing ones; never delete.

        Caregivers missing from ``caregivers`` are marked inactive so the records
        they signed keep their name and initials.
        """
        table = self._db.table("caregivers")
        with self._db.atomic():
            kept: set[int] = set()
            for c in caregivers:
                row = {"name": c.name, "initials": c.initials, "active": int(c.active)}
                if c.id is None:
                    row["created_at"] = utc_now_text()
                    kept.add(last_id(table.insert(row)))
                else:
                    table.update(c.id, row)
                    kept.add(c.id)
            for existing in self.caregivers(include_inactive=True):
                if existing.id is not None and existing.id not in kept and existing.active:
                    table.update(existing.id, {"active": 0})
        return self.caregivers()
