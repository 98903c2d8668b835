"""Checks that every record in a database built from an export file can be read.

The importer checks column types; these check values against the domain's
vocabularies and formats (a role, a phone kind, a date), so an import never
brings in a record the app would fail on later. Each returns plain messages
naming table, record number and field; [] when all is well.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from caregiver_app.domain.appointments import AppointmentSource
from caregiver_app.domain.contacts import PreferredContact, Role
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.household import setting_problem
from caregiver_app.domain.patient import AllergyStatus, WeightUnit
from caregiver_app.domain.phones import PhoneKind
from caregiver_app.domain.values import parse_day, parse_moment

if TYPE_CHECKING:
    from sqlite_utils import Database

Parser = Callable[[Any], object]


def field_problems(db: Database, table: str, parsers: dict[str, Parser]) -> list[str]:
    """Run each parser on its field of every record of ``table`` (if the table exists)."""
    if not db.table(table).exists():
        return []
    problems = []
    for number, row in enumerate(db.query(f"SELECT * FROM [{table}] ORDER BY rowid"), start=1):
        for name, parse in parsers.items():
            try:
                parse(row.get(name))
            except (ValueError, TypeError, KeyError, ValidationError) as exc:
                detail = exc.errors if isinstance(exc, ValidationError) else exc
                problems.append(f'"{table}" record {number}: field "{name}" is not valid '
                                f"({str(detail)[:80]}).")
    return problems


def optional(parse: Parser) -> Parser:
    return lambda value: None if value in (None, "") else parse(value)


def moment(value: object) -> datetime:
    """The domain's one rule for a moment: ISO 8601 with its zone, 1900-2200."""
    return parse_moment(value)


def day(value: object) -> date:
    """The domain's one rule for a date: YYYY-MM-DD, 1900-2200."""
    return parse_day(value)


def core_problems(db: Database) -> list[str]:
    problems = field_problems(db, "patient", {
        "allergy_status": AllergyStatus, "weight_unit": optional(WeightUnit),
        "date_of_birth": optional(day), "time_zone": optional(_zone),
    })
    if db.table("patient").exists() and db.table("patient").count > 1:
        problems.append('"patient": there can be only one patient record.')
    if db.table("household_settings").exists():
        rows = db.execute("SELECT key, value FROM household_settings ORDER BY rowid")
        for number, (key, value) in enumerate(rows, start=1):
            problem = setting_problem(key, value)
            if problem is not None:
                field, message = problem
                problems.append(f'"household_settings" record {number}: field "{field}" is '
                                f"not valid ({message}).")
    return problems


def careteam_problems(db: Database) -> list[str]:
    return [
        *field_problems(db, "contacts", {"role": Role,
                                         "preferred_contact": optional(PreferredContact)}),
        *field_problems(db, "contact_phones", {"kind": PhoneKind}),
        *field_problems(db, "appointments", {"starts_at": moment,
                                             "source": optional(AppointmentSource),
                                             "time_zone": optional(_zone)}),
    ]


def _zone(value: object) -> object:
    from zoneinfo import ZoneInfo

    return ZoneInfo(str(value))
