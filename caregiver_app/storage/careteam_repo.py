"""Contacts with their phone numbers, and appointments.

Removing a contact or an appointment archives it, so it can be restored and
so medicines and appointments that point at it keep their link. Every write of
several rows happens in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.contacts import Contact, ContactReference, PreferredContact, Role
from caregiver_app.domain.errors import NotFound
from caregiver_app.domain.phones import Phone, PhoneForms, PhoneKind, phone_forms
from caregiver_app.storage.rows import dict_rows, last_id, rows_where, write_transaction
from caregiver_app.storage.timestamps import moment_to_text, text_to_moment, utc_now_text

if TYPE_CHECKING:
    from sqlite_utils import Database

# medicines columns that point at a contact, and what the link means
_MEDICINE_LINKS = (("prescriber_id", "prescriber"), ("pharmacy_id", "pharmacy"))
_MEDICINE_NAME_COLUMNS = ("generic_name", "name", "display_name", "brand_name")

# appointments.removed_by: who took an appointment off the list
CAREGIVER = "caregiver"
SCHEDULE = "schedule"


class CareTeamRepository:
    def __init__(self, db: Database):
        self._db = db

    # ---- Contacts

    def contacts(self, *, include_archived: bool = False) -> list[Contact]:
        """Every contact (not removed ones unless asked), by name."""
        where = None if include_archived else "archived = 0"
        rows = list(rows_where(self._db, "contacts", where, order_by="name COLLATE NOCASE"))
        phones = self._phones_by_contact([r["id"] for r in rows] if include_archived else None)
        return [self._contact(r, phones.get(r["id"], ())) for r in rows]

    def archived_contacts(self) -> list[Contact]:
        return [c for c in self.contacts(include_archived=True) if c.archived]

    def contact(self, contact_id: int) -> Contact | None:
        """One contact, removed or not."""
        row = next(rows_where(self._db, "contacts", "id = ?", [contact_id]), None)
        if row is None:
            return None
        return self._contact(row, self._phones_by_contact([contact_id]).get(contact_id, ()))

    def save_contact(self, contact: Contact) -> Contact:
        """Insert (no id) or update a validated contact and its numbers; return it as stored."""
        with self._db.atomic():
            contact_id = self._write_contact(contact)
        saved = self.contact(contact_id)
        assert saved is not None
        return saved

    def save_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        """Insert or update several contacts in one transaction (an import)."""
        with self._db.atomic():
            ids = [self._write_contact(c) for c in contacts]
        return [c for c in (self.contact(i) for i in ids) if c is not None]

    def archive_contact(self, contact_id: int) -> None:
        self._set_archived("contacts", contact_id, True)

    def restore_contact(self, contact_id: int) -> None:
        self._set_archived("contacts", contact_id, False)

    def references(self, contact_id: int) -> list[ContactReference]:
        """What points at a contact: medicines (once that table exists), then appointments."""
        refs = self._medicine_references(contact_id)
        refs += [
            ContactReference("appointment", a.id or 0, a.title(), a.when_text())
            for a in self.appointments_for_contact(contact_id)
        ]
        return refs

    # ---- Appointments

    def appointments(self, *, include_archived: bool = False) -> list[Appointment]:
        """Every appointment, soonest first."""
        return self._appointments("1 = 1" if include_archived else "a.archived = 0", [])

    def appointment(self, appointment_id: int) -> Appointment | None:
        found = self._appointments("a.id = ?", [appointment_id])
        return found[0] if found else None

    def upcoming(self, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments starting in ``[start, end)``, soonest first, not removed ones.

        What the Today header, the daily checklist and the reminders ask for.
        """
        return self._appointments(
            "a.archived = 0 AND a.starts_at >= ? AND a.starts_at < ?",
            [moment_to_text(start), moment_to_text(end)],
        )

    def appointments_for_contact(self, contact_id: int) -> list[Appointment]:
        return self._appointments("a.archived = 0 AND a.contact_id = ?", [contact_id])

    def save_appointment(self, appointment: Appointment) -> Appointment:
        """Insert (no id) or update a validated appointment; return it as stored."""
        with self._db.atomic():
            appointment_id = self._write_appointment(appointment)
        saved = self.appointment(appointment_id)
        assert saved is not None
        return saved

    def archive_appointment(self, appointment_id: int) -> None:
        """The caregiver removed it: a clinic-dose appointment stays removed."""
        self._set_archived("appointments", appointment_id, True, removed_by=CAREGIVER)

    def restore_appointment(self, appointment_id: int) -> None:
        self._set_archived("appointments", appointment_id, False)

    def sync_generated(self, source: AppointmentSource, planned: Iterable[Appointment], *,
                       since: datetime, done: Mapping[str, datetime] | None = None,
                       ) -> list[int]:
        """Make the appointments ``source`` planned from ``since`` on match ``planned``;
        returns the ids of the appointments written.

        The hook for clinic-given doses from the medicine schedule. Each planned
        appointment is found again by its ``source_key``. The schedule owns its
        time, length, purpose, phase and contact, so those are updated (the
        appointment dialog shows them read-only); the caregiver's place, transport,
        companion, questions and outcome are kept, and a place is only filled in
        when the caregiver left it empty.

        ``done`` maps the keys of doses already recorded as given to when they were
        given: such an appointment is kept and moved to that moment, so it is past
        and its outcome can be written, even when the dose was given before the
        planned slot. Planned ones that are neither planned nor done any more are
        removed (the schedule's removal: they come back if planned again); past
        ones are never touched. One the caregiver removed stays removed.
        """
        planned = list(planned)
        done = dict(done or {})
        keys = [a.source_key for a in planned]
        if any(not k for k in keys) or len(set(keys)) != len(keys):
            raise ValueError("every planned appointment needs its own source_key")
        table = self._db.table("appointments")
        touched: list[int] = []
        with self._db.atomic():
            existing = {
                r["source_key"]: r
                for r in table.rows_where("source = ? AND source_key <> ''", [source.value])
            }
            cutoff = moment_to_text(since)
            for item in planned:
                row = existing.pop(item.source_key, None)
                if row is None:
                    touched.append(self._write_appointment(replace(item, id=None,
                                                                   source=source)))
                    continue
                kept_removed = bool(row["archived"]) and row["removed_by"] == CAREGIVER
                table.update(row["id"], {
                    "starts_at": moment_to_text(item.starts_at),
                    "time_zone": item.time_zone,
                    "duration_minutes": item.duration_minutes,
                    "purpose": item.purpose,
                    "series_label": item.series_label,
                    "contact_id": item.contact_id,
                    "place": row["place"] or item.place,
                    "archived": int(kept_removed),
                    "removed_by": CAREGIVER if kept_removed else "",
                    "updated_at": utc_now_text(),
                })
                touched.append(row["id"])
            for key, row in existing.items():
                if key in done:
                    if row["starts_at"] >= cutoff and self._mark_done(row, done[key]):
                        touched.append(row["id"])
                    continue
                if row["starts_at"] >= cutoff and not row["archived"]:
                    table.update(row["id"], {"archived": 1, "removed_by": SCHEDULE,
                                             "updated_at": utc_now_text()})
                    touched.append(row["id"])
        return touched

    def _mark_done(self, row: dict, given_at: datetime) -> bool:
        """A planned visit whose dose is recorded: at the time it was given, not removed
        (unless the caregiver removed it). Returns whether it was changed."""
        starts_at: datetime = text_to_moment(row["starts_at"])
        changes: dict = {"starts_at": moment_to_text(min(given_at, starts_at))}
        if row["archived"] and row["removed_by"] != CAREGIVER:
            changes.update(archived=0, removed_by="")
        if any(row[k] != v for k, v in changes.items()):
            self._db.table("appointments").update(row["id"],
                                                  {**changes, "updated_at": utc_now_text()})
            return True
        return False

    # ---- Private

    def _set_archived(self, table: str, row_id: int, archived: bool, *,
                      removed_by: str | None = None) -> None:
        t = self._db.table(table)
        if next(t.rows_where("id = ?", [row_id]), None) is None:
            raise NotFound(f"No {table[:-1]} {row_id}.")
        changes = {"archived": int(archived), "updated_at": utc_now_text()}
        if table == "appointments":
            changes["removed_by"] = (removed_by or "") if archived else ""
        t.update(row_id, changes)

    def _write_contact(self, contact: Contact) -> int:
        now = utc_now_text()
        row = {
            "name": contact.name,
            "role": contact.role.value,
            "role_other": contact.role_other,
            "organisation": contact.organisation,
            "email": contact.email,
            "address": contact.address,
            "portal_url": contact.portal_url,
            "office_hours": contact.office_hours,
            "preferred_contact": contact.preferred_contact.value,
            "notes": contact.notes,
            "emergency": int(contact.emergency),
            "archived": int(contact.archived),
            "updated_at": now,
        }
        table = self._db.table("contacts")
        if contact.id is None:
            contact_id = last_id(table.insert({**row, "created_at": now}))
        else:
            if next(table.rows_where("id = ?", [contact.id]), None) is None:
                raise NotFound(f"No contact {contact.id}.")
            table.update(contact.id, row)
            contact_id = contact.id
        self._db.execute("DELETE FROM contact_phones WHERE contact_id = ?", [contact_id])
        self._db.table("contact_phones").insert_all(
            {"contact_id": contact_id, "position": i, "kind": p.kind.value, "number": p.number,
             "extension": p.extension, **phone_form_columns(p)}
            for i, p in enumerate(contact.phones)
        )
        return contact_id

    def _phones_by_contact(self, ids: list[int] | None) -> dict[int, tuple[Phone, ...]]:
        if ids is not None and not ids:
            return {}
        where, args = None, []
        if ids is not None:
            where = f"contact_id IN ({', '.join('?' for _ in ids)})"
            args = ids
        found: dict[int, list[Phone]] = defaultdict(list)
        for r in rows_where(self._db, "contact_phones", where, args,
                            order_by="contact_id, position"):
            phone = Phone(_enum(PhoneKind, r["kind"], PhoneKind.OTHER), r["number"],
                          r["extension"] or "")
            if r.get("shown_rules"):  # how it is shown, kept when it was saved; used only
                # while its digits are this number's (phones.forms_fit)
                phone = replace(phone, forms=PhoneForms(
                    r["shown_national"], r["shown_international"], r["shown_region"],
                    r["shown_rules"]))
            found[r["contact_id"]].append(phone)
        return {k: tuple(v) for k, v in found.items()}

    @staticmethod
    def _contact(row: dict, phones: Iterable[Phone]) -> Contact:
        return Contact(
            name=row["name"],
            role=_enum(Role, row["role"], Role.OTHER),
            role_other=row["role_other"] or "",
            organisation=row["organisation"] or "",
            phones=tuple(phones),
            email=row["email"] or "",
            address=row["address"] or "",
            portal_url=row["portal_url"] or "",
            office_hours=row["office_hours"] or "",
            preferred_contact=_enum(PreferredContact, row["preferred_contact"],
                                    PreferredContact.ANY),
            notes=row["notes"] or "",
            emergency=bool(row["emergency"]),
            id=row["id"],
            archived=bool(row["archived"]),
        )

    def _medicine_references(self, contact_id: int) -> list[ContactReference]:
        medicines = self._db.table("medicines")
        if not medicines.exists():
            return []
        columns = medicines.columns_dict
        links = [(c, label) for c, label in _MEDICINE_LINKS if c in columns]
        if not links:
            return []
        name_column = next((c for c in _MEDICINE_NAME_COLUMNS if c in columns), None)
        where = " OR ".join(f"[{c}] = ?" for c, _ in links)
        refs = []
        for row in medicines.rows_where(where, [contact_id] * len(links), order_by="id"):
            roles = " and ".join(label for c, label in links if row[c] == contact_id)
            status = row.get("status") or ""
            if not status and row.get("end_date"):
                status = f"ended {row['end_date']}"
            detail = roles + (f" ({status})" if status and status != "active" else "")
            label = str(row[name_column]) if name_column else f"Medicine {row['id']}"
            if name_column == "generic_name" and row.get("brand_name"):
                label = f"{label} ({row['brand_name']})"
            refs.append(ContactReference("medicine", row["id"], label, detail))
        return refs

    def _appointments(self, where: str, args: list) -> list[Appointment]:
        sql = (
            "SELECT a.*, COALESCE(c.name, '') AS contact_name FROM appointments a "
            "LEFT JOIN contacts c ON c.id = a.contact_id "
            f"WHERE {where} ORDER BY a.starts_at, a.id"
        )
        return [self._appointment(row) for row in dict_rows(self._db.execute(sql, args))]

    @staticmethod
    def _appointment(row: dict) -> Appointment:
        return Appointment(
            starts_at=text_to_moment(row["starts_at"]),
            purpose=row["purpose"],
            duration_minutes=row["duration_minutes"],
            time_zone=row["time_zone"] or "",
            contact_id=row["contact_id"],
            place=row["place"] or "",
            transport=row["transport"] or "",
            companion=row["companion"] or "",
            questions=row["questions"] or "",
            outcome=row["outcome"] or "",
            source=_enum(AppointmentSource, row["source"], AppointmentSource.CAREGIVER),
            source_key=row["source_key"] or "",
            series_label=row["series_label"] or "",
            id=row["id"],
            archived=bool(row["archived"]),
            contact_name=row["contact_name"],
        )

    def _write_appointment(self, a: Appointment) -> int:
        now = utc_now_text()
        row = {
            "starts_at": moment_to_text(a.starts_at),
            "time_zone": a.time_zone,
            "duration_minutes": a.duration_minutes,
            "contact_id": a.contact_id,
            "place": a.place,
            "purpose": a.purpose,
            "transport": a.transport,
            "companion": a.companion,
            "questions": a.questions,
            "outcome": a.outcome,
            "source": a.source.value,
            "source_key": a.source_key,
            "series_label": a.series_label,
            "archived": int(a.archived),
            "updated_at": now,
        }
        table = self._db.table("appointments")
        if a.id is None:
            return last_id(table.insert({**row, "created_at": now}))
        if next(table.rows_where("id = ?", [a.id]), None) is None:
            raise NotFound(f"No appointment {a.id}.")
        table.update(a.id, row)
        return a.id


def phone_form_columns(phone: Phone) -> dict[str, str]:
    """``contact_phones``' columns of how ``phone`` is shown (``phones.phone_forms``, the
    one definition): what every writer of a number stores beside it. All "" for a number
    shown as stored (a short number)."""
    forms = phone_forms(phone)
    if forms is None:
        return dict.fromkeys(SHOWN_COLUMNS, "")
    return {"shown_national": forms.national, "shown_international": forms.international,
            "shown_region": forms.region, "shown_rules": forms.rules}


#: ``contact_phones``' columns of how the number is shown (careteam m004).
SHOWN_COLUMNS = ("shown_national", "shown_international", "shown_region", "shown_rules")


def refresh_phone_forms(db: Database) -> int:
    """Work out again how every stored number is shown (records rebuilt from a file,
    whose kept forms may not be this version's); returns how many rows were written."""
    rows = db.execute("SELECT id, number, extension FROM contact_phones").fetchall()
    for row_id, number, extension in rows:
        columns = phone_form_columns(Phone(PhoneKind.OTHER, number, extension or ""))
        db.execute(f"UPDATE contact_phones SET {', '.join(f'{c} = ?' for c in columns)} "
                   "WHERE id = ?", [*columns.values(), row_id])
    return len(rows)


def stale_phone_forms(db: Database, rules: str, *, limit: int = -1
                      ) -> list[tuple[int, str, str]]:
    """The stored numbers whose kept forms another phonenumbers version wrote (``rules``:
    the installed one's), as (row id, number, extension): after an upgrade every number
    not saved since is shown through phonenumbers again until its forms are made anew.
    Numbers kept without forms ("": a short number, one phonenumbers cannot read) are
    not stale: their forms would be "" again. ``limit``: at most so many (-1: all)."""
    return [(row_id, number, extension or "") for row_id, number, extension in db.execute(
        "SELECT id, number, extension FROM contact_phones "
        "WHERE shown_rules != '' AND shown_rules != ? LIMIT ?", [rules, limit])]


def keep_phone_forms(db: Database, made: Iterable[tuple[int, str, str, dict[str, str]]]
                     ) -> int:
    """Write forms worked out elsewhere (``phone_form_columns``, e.g. on a worker thread),
    as (row id, number, extension, columns), in one transaction; a row whose number or
    extension changed since (or that is gone) is left as it is. Returns how many rows
    were written."""
    written = 0
    with write_transaction(db):
        for row_id, number, extension, columns in made:
            written += db.execute(
                f"UPDATE contact_phones SET {', '.join(f'{c} = ?' for c in columns)} "
                "WHERE id = ? AND number = ? AND coalesce(extension, '') = ?",
                [*columns.values(), row_id, number, extension]).rowcount
    return written


def _enum(kind, value, default):
    try:
        return kind(value)
    except ValueError:
        return default
