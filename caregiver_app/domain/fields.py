"""Every field of every table the records keep, with the one rule of what it may hold.

The forms' validators (``validate_medicine``, ``validate_appointment``…) use the same
limits (the constants named here) and the same date and time rules (``domain/values``);
the importer walks this table for every record of a file before anything is replaced,
and the storage layer refuses dates and times outside the same range. Rules that tie two
fields together (an end date after the start date, a portal address for "contact through
the portal") stay in the validators.

``docs/data-format.md`` describes the fields in words; ``tests/storage/test_field_limits``
walks each rule's boundary values through import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from caregiver_app.domain import values
from caregiver_app.domain.amount import MAX_AMOUNT, MAX_UNIT
from caregiver_app.domain.appointments import (
    MAX_LINE as APPOINTMENT_LINE,
)
from caregiver_app.domain.appointments import (
    MAX_MINUTES,
    MIN_MINUTES,
    AppointmentSource,
)
from caregiver_app.domain.appointments import (
    MAX_TEXT as APPOINTMENT_TEXT,
)
from caregiver_app.domain.contact_sync import CardState
from caregiver_app.domain.contacts import (
    MAX_EMAIL,
    MAX_LINE,
    MAX_NAME,
    MAX_PORTAL,
    MAX_TEXT,
    PreferredContact,
    Role,
)
from caregiver_app.domain.doses import MAX_NOTE, MAX_OVERRIDE, EntryKind
from caregiver_app.domain.going import COMMON_RULES, VALUE_RULES, Measure, record_problems
from caregiver_app.domain.medicines import (
    MAX_FLUSH_ML,
    MAX_FOOD_MINUTES,
    MAX_FOOD_NOTE,
    MAX_INSTRUCTIONS,
    MAX_PER_DOSE,
    MAX_PURPOSE,
    MAX_REASON,
    MAX_REFERENCE_ID,
    MAX_REORDER_DAYS,
    MAX_STRENGTH,
    MAX_SUPPLY_UNIT,
)
from caregiver_app.domain.medicines import MAX_NAME as MEDICINE_NAME
from caregiver_app.domain.patient import (
    EMERGENCY_LIMITS,
    MAX_ALLERGY,
    MAX_HEIGHT_CM,
    MAX_NOTES,
    MAX_WEIGHT,
    MIN_HEIGHT_CM,
    AllergyStatus,
    WeightUnit,
)
from caregiver_app.domain.patient import MAX_NAME as PERSON_NAME
from caregiver_app.domain.phones import MAX_EXTENSION, MAX_TYPED, PhoneKind
from caregiver_app.domain.regimens import MAX_HOLD_DAYS, regimen_from_dict, validate_regimen
from caregiver_app.domain.reminders import Shown
from caregiver_app.domain.schedule import LOADING_PREFIX
from caregiver_app.domain.sharing import Action, ItemKind, TaskStatus
from caregiver_app.domain.supply import MAX_QUANTITY, MAX_SUPPLY_NOTE, SupplyEventKind
from caregiver_app.domain.tick_sources import MAX_PHONE_NAME, TimeFrom
from caregiver_app.domain.values import (
    Checked,
    Day,
    Flag,
    Moment,
    Number,
    OneOf,
    Ref,
    Rule,
    Text,
    Whole,
)
from caregiver_app.domain.vocab import FoodRuleKind, Form, MedicineStatus, Route, SkipReason

#: A Learn note, an article id, a reminder's subject, a household setting.
MAX_LEARN_NOTE = 10_000
MAX_ARTICLE_ID = 80
MAX_SUBJECT = 200
MAX_SETTING = 100
MAX_SERIES_KEY = 200
#: Order numbers of a list shown in order (allergies, phone numbers).
MAX_POSITION = 1000
#: What a calendar file was sent: its full path, an event's UID, title and SEQUENCE.
MAX_EXPORT_TARGET = 4096
MAX_EVENT_UID = 400
MAX_EVENT_SUMMARY = 2000
#: a sharing setting's text (a server address) and a server's ETag
MAX_SHARE_TEXT = 2000
MAX_SEQUENCE = 1_000_000
#: a care-team contact's card as the address book keeps it (vCard text)
MAX_CARD_TEXT = 100_000


def zone_name(value: object) -> None:
    """An IANA time zone name this computer knows (``America/Chicago``)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = str(value)
    try:
        if not name or len(name) > 64:
            raise ValueError
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{name[:40]!r} is not a time zone name such as America/Chicago"
                         ) from None


def occurrence_key(value: object) -> None:
    """``2026-03-08T08:00`` (a clock-time dose) or ``loading:<course start>:<number>``."""
    text = str(value)
    if text.startswith(LOADING_PREFIX):
        start, _, number = text[len(LOADING_PREFIX):].partition(":")
        values.parse_day(start)
        if not number.isdigit() or len(number) > 4:
            raise ValueError("a loading-course key ends in the dose's number")
        return
    if len(text) != 16 or text[10] != "T":
        raise ValueError("a due dose's key is its date and time, like 2026-03-08T08:00")
    values.parse_day(text[:10])
    datetime.fromisoformat(text)


def regimen_text(value: object) -> None:
    """A schedule as the app writes it (JSON), readable and valid."""
    from caregiver_app.domain.errors import ValidationError

    try:
        data = json.loads(str(value))
        if not isinstance(data, dict):
            raise ValueError("a schedule is a JSON object")
        validate_regimen(regimen_from_dict(data))
    except ValidationError as exc:
        raise ValueError("; ".join(exc.errors.values())) from None
    except (json.JSONDecodeError, RecursionError):
        raise ValueError("the schedule is not readable JSON") from None


def extension(value: object) -> None:
    """An extension as stored: digits only, at most ``MAX_EXTENSION``."""
    text = str(value)
    if not text.isdigit() or not text.isascii():
        raise ValueError("an extension is digits only (e.g. 204)")
    if len(text) > MAX_EXTENSION:
        raise ValueError(f"an extension has at most {MAX_EXTENSION} digits")


def removed_by(value: object) -> None:
    if value not in ("", "caregiver", "schedule"):
        raise ValueError("must be caregiver, schedule or empty")


@dataclass(frozen=True)
class Derived(Rule):
    """A field the app works out from others when it writes them (how a phone number is
    shown): whatever a file holds there is left out on import, never refused (null, too
    long, stale), and worked out again."""

    of: str = ""
    """The field it is worked out from."""

    def problem(self, value: Any) -> str | None:
        return None

    def describe(self) -> str:
        return f"worked out from {self.of}; a file's value is not read"


def derived_fields(table: str) -> frozenset[str]:
    """The fields of ``table`` an import leaves out (``Derived``)."""
    return frozenset(name for name, rule in FIELDS.get(table, {}).items()
                     if isinstance(rule, Derived))


def _moment(optional: bool = False) -> Moment:
    return Moment(optional=optional)


_ID = Ref()
_OPTIONAL_REF = Ref(optional=True)

#: table -> field -> rule. Every field of every table the records keep is here (a test
#: compares this with the database), so a new column cannot go unchecked.
FIELDS: dict[str, dict[str, Rule]] = {
    "patient": {
        "id": Whole(low=1, high=1),
        "full_name": Text(limit=PERSON_NAME, required=True),
        "date_of_birth": Day(optional=True),
        "allergy_status": OneOf(choices=AllergyStatus),
        "weight": Number(low=1, high=max(MAX_WEIGHT.values()), optional=True),
        "weight_unit": OneOf(choices=WeightUnit, optional=True),
        "height_cm": Number(low=MIN_HEIGHT_CM, high=MAX_HEIGHT_CM, optional=True),
        "notes": Text(limit=MAX_NOTES, optional=True),
        "time_zone": Checked(check=zone_name, what="a time zone name", optional=True),
        "updated_at": _moment(optional=True),
        "updated_by": _OPTIONAL_REF,
        **{name: Text(limit=limit) for name, (limit, _) in EMERGENCY_LIMITS.items()},
    },
    "allergies": {
        "id": _ID,
        "position": Whole(low=0, high=MAX_POSITION),
        "substance": Text(limit=MAX_ALLERGY, required=True),
        "reaction": Text(limit=MAX_ALLERGY, optional=True),
    },
    "caregivers": {
        "id": _ID,
        "name": Text(limit=PERSON_NAME, required=True),
        "initials": Text(limit=4, required=True),
        "active": Flag(),
        "created_at": _moment(optional=True),
    },
    "household_settings": {
        "key": Text(limit=MAX_SETTING, required=True),
        "value": Text(limit=MAX_SETTING),
        "updated_at": _moment(),
    },
    "contacts": {
        "id": _ID,
        "name": Text(limit=MAX_NAME, required=True),
        "role": OneOf(choices=Role),
        "role_other": Text(limit=MAX_LINE, optional=True),
        "organisation": Text(limit=MAX_LINE, optional=True),
        "email": Text(limit=MAX_EMAIL, optional=True),
        "address": Text(limit=MAX_TEXT, optional=True),
        "portal_url": Text(limit=MAX_PORTAL, optional=True),
        "office_hours": Text(limit=MAX_LINE, optional=True),
        "preferred_contact": OneOf(choices=PreferredContact, optional=True),
        "notes": Text(limit=MAX_TEXT, optional=True),
        "emergency": Flag(),
        "archived": Flag(),
        "created_at": _moment(optional=True),
        "updated_at": _moment(optional=True),
    },
    "contact_phones": {
        "id": _ID,
        "contact_id": _ID,
        "position": Whole(low=0, high=MAX_POSITION),
        "kind": OneOf(choices=PhoneKind),
        "number": Text(limit=MAX_TYPED, required=True),
        "extension": Checked(check=extension, what="digits", optional=True),
        # how the number is shown: worked out from it (careteam_repo), never read from a file
        **{name: Derived(of="number")
           for name in ("shown_national", "shown_international", "shown_region",
                        "shown_rules")},
    },
    "appointments": {
        "id": _ID,
        "starts_at": _moment(),
        "time_zone": Checked(check=zone_name, what="a time zone name", optional=True),
        "duration_minutes": Whole(low=MIN_MINUTES, high=MAX_MINUTES),
        "contact_id": _OPTIONAL_REF,
        "place": Text(limit=APPOINTMENT_TEXT, optional=True),
        "purpose": Text(limit=APPOINTMENT_LINE, required=True),
        "transport": Text(limit=APPOINTMENT_TEXT, optional=True),
        "companion": Text(limit=APPOINTMENT_TEXT, optional=True),
        "questions": Text(limit=APPOINTMENT_TEXT, optional=True),
        "outcome": Text(limit=APPOINTMENT_TEXT, optional=True),
        "source": OneOf(choices=AppointmentSource),
        "source_key": Text(limit=MAX_SERIES_KEY, optional=True),
        "series_label": Text(limit=APPOINTMENT_LINE, optional=True),
        "archived": Flag(),
        "created_at": _moment(optional=True),
        "updated_at": _moment(optional=True),
        "removed_by": Checked(check=removed_by, what="caregiver, schedule or empty"),
    },
    "medicines": {
        "id": _ID,
        "generic_name": Text(limit=MEDICINE_NAME, required=True),
        "brand_name": Text(limit=MEDICINE_NAME),
        "purpose": Text(limit=MAX_PURPOSE),
        "instructions": Text(limit=MAX_INSTRUCTIONS),
        "food_kind": OneOf(choices=FoodRuleKind),
        "food_before_minutes": Whole(low=0, high=MAX_FOOD_MINUTES),
        "food_after_minutes": Whole(low=0, high=MAX_FOOD_MINUTES),
        "food_note": Text(limit=MAX_FOOD_NOTE),
        "given_by": Checked(check=lambda v: _given_by(v), what="home or clinic"),
        "prescriber_id": _OPTIONAL_REF,
        "pharmacy_id": _OPTIONAL_REF,
        "reference_id": Text(limit=MAX_REFERENCE_ID),
        "start_date": Day(),
        "end_date": Day(optional=True),
        "review_date": Day(optional=True),
        "supply_unit": Text(limit=MAX_SUPPLY_UNIT),
        "supply_per_dose": Number(low=0, high=MAX_PER_DOSE, above=True, optional=True),
        "reorder_days": Whole(low=0, high=MAX_REORDER_DAYS),
        "opened_on": Day(optional=True),
        "discard_by": Day(optional=True),
        "created_at": _moment(),
        "created_by": _OPTIONAL_REF,
        "updated_at": _moment(),
        "updated_by": _OPTIONAL_REF,
    },
    "medicine_versions": {
        "id": _ID,
        "medicine_id": _ID,
        "valid_from": Day(),
        "strength": Text(limit=MAX_STRENGTH),
        "form": OneOf(choices=Form),
        "route": OneOf(choices=Route),
        "dose_amount": Number(low=0, high=MAX_AMOUNT, above=True),
        "dose_unit": Text(limit=MAX_UNIT, required=True),
        "do_not_crush": Flag(),
        "flush_ml": Whole(low=0, high=MAX_FLUSH_ML),
        "regimen": Checked(check=regimen_text, what="a schedule"),
        "note": Text(limit=MAX_REASON),
        "created_at": _moment(),
        "created_by": _OPTIONAL_REF,
    },
    "medicine_status": {
        "id": _ID,
        "medicine_id": _ID,
        "at": _moment(),
        "status": OneOf(choices=MedicineStatus),
        "reason": Text(limit=MAX_REASON),
        "recorded_at": _moment(),
        "recorded_by": _OPTIONAL_REF,
    },
    "cycle_shifts": {
        "id": _ID,
        "medicine_id": _ID,
        "from_date": Day(),
        "days": Whole(low=0, high=MAX_HOLD_DAYS, optional=True),
        "carry": Flag(),
        "reason": Text(limit=MAX_REASON),
        "created_at": _moment(),
        "created_by": _OPTIONAL_REF,
        "resumed_at": _moment(optional=True),
        "resumed_by": _OPTIONAL_REF,
        "withdrawn_at": _moment(optional=True),
        "withdrawn_by": _OPTIONAL_REF,
    },
    "dose_entries": {
        "id": _ID,
        "medicine_id": _ID,
        "occurrence_key": Checked(check=occurrence_key, what="a due dose's key",
                                  optional=True),
        "due_at": _moment(optional=True),
        "slot_at": _moment(),
        "kind": OneOf(choices=EntryKind),
        "given_at": _moment(optional=True),
        "amount": Number(low=0, high=MAX_AMOUNT, above=True, optional=True),
        "unit": Text(limit=MAX_UNIT, optional=True),
        "caregiver_id": _OPTIONAL_REF,
        "skip_reason": OneOf(choices=SkipReason, optional=True),
        "note": Text(limit=MAX_NOTE),
        "override_reason": Text(limit=MAX_OVERRIDE),
        "recorded_at": _moment(),
        "recorded_by": _OPTIONAL_REF,
        "corrects_id": _OPTIONAL_REF,
    },
    "supply_events": {
        "id": _ID,
        "medicine_id": _ID,
        "kind": OneOf(choices=SupplyEventKind),
        "quantity": Number(low=0, high=MAX_QUANTITY),
        "at": _moment(),
        "note": Text(limit=MAX_SUPPLY_NOTE),
        "recorded_at": _moment(),
        "recorded_by": _OPTIONAL_REF,
    },
    "reminder_log": {
        "id": _ID,
        "subject": Text(limit=MAX_SUBJECT, required=True),
        "due_at": _moment(),
        "announced_at": _moment(),
        "how": OneOf(choices=Shown),
        "last_shown_at": _moment(),
        "snoozed_until": _moment(optional=True),
    },
    "reminder_watch": {
        "id": Whole(low=1, high=1),
        "watched_until": _moment(),
    },
    "learn_notes": {
        "article_id": Text(limit=MAX_ARTICLE_ID, required=True),
        "text": Text(limit=MAX_LEARN_NOTE),
        "updated_at": _moment(),
        "updated_by": _OPTIONAL_REF,
    },
    "learn_bookmarks": {
        "article_id": Text(limit=MAX_ARTICLE_ID, required=True),
        "created_at": _moment(),
    },
    "calendar_exports": {
        "target": Text(limit=MAX_EXPORT_TARGET, required=True),
        "uid": Text(limit=MAX_EVENT_UID, required=True),
        "sequence": Whole(low=0, high=MAX_SEQUENCE),
        "starts_at": _moment(),
        "ends_at": _moment(),
        "summary": Text(limit=MAX_EVENT_SUMMARY),
        "category": Text(limit=MAX_SETTING),
        "fingerprint": Text(limit=MAX_SETTING),
        "cancelled": Flag(),
        "exported_at": _moment(),
    },
    # How things are going: each measure's values, then the columns all of them share
    # (``domain.going`` holds the one definition of each).
    **{measure.value: {**VALUE_RULES[measure], **COMMON_RULES} for measure in Measure},
    "sharing_config": {
        "key": Text(limit=MAX_SETTING, required=True),
        "value": Text(limit=MAX_SHARE_TEXT),
        "updated_at": _moment(),
    },
    "sharing_collections": {
        "kind": OneOf(choices=ItemKind),
        "url": Text(limit=MAX_EXPORT_TARGET, required=True),
        "sync_token": Text(limit=MAX_EXPORT_TARGET),
    },
    "sharing_items": {
        "uid": Text(limit=MAX_EVENT_UID, required=True),
        "kind": OneOf(choices=ItemKind),
        "href": Text(limit=MAX_EXPORT_TARGET),
        "etag": Text(limit=MAX_SHARE_TEXT),
        "fingerprint": Text(limit=MAX_SETTING),
        "status": OneOf(choices=TaskStatus, optional=True),
        "medicine_id": _OPTIONAL_REF,
        "occurrence_key": Text(limit=MAX_SETTING),
        "starts_at": _moment(optional=True),
        "sequence": Whole(low=0, high=MAX_SEQUENCE),
    },
    "sharing_cards": {
        "uid": Text(limit=MAX_EVENT_UID, required=True),
        "contact_id": _OPTIONAL_REF,
        "href": Text(limit=MAX_EXPORT_TARGET, required=True),
        "etag": Text(limit=MAX_SHARE_TEXT),
        "base": Text(limit=MAX_CARD_TEXT),
        "remote": Text(limit=MAX_CARD_TEXT),
        "state": OneOf(choices=CardState),
    },
    "sharing_notes": {
        "id": _ID,
        "action": OneOf(choices=Action),
        "uid": Text(limit=MAX_EVENT_UID, required=True),
        "message": Text(limit=MAX_NOTE),
        "noted_at": _moment(),
        "medicine_id": _OPTIONAL_REF,
        "occurrence_key": Text(limit=MAX_SETTING),
        "entry_id": _OPTIONAL_REF,
        "seen_at": _moment(optional=True),
    },
    "sharing_phones": {
        "id": _ID,
        "name": Text(limit=MAX_PHONE_NAME, required=True),
        "caregiver_id": _OPTIONAL_REF,
        "account": Text(limit=MAX_SETTING),
        "client": Text(limit=MAX_PHONE_NAME),
    },
    "dose_sources": {
        "entry_id": _ID,
        "device": Text(limit=MAX_PHONE_NAME),
        "account": Text(limit=MAX_SETTING),
        "client": Text(limit=MAX_PHONE_NAME),
        "phone_time": _moment(optional=True),
        "time_from": OneOf(choices=TimeFrom),
        "synced_at": _moment(),
    },
}


def _given_by(value: object) -> None:
    from caregiver_app.domain.vocab import GivenBy

    GivenBy(cast(str, value))  # raises ValueError for anything but a GivenBy's text


# ---- Rules between the fields of one record (the forms' validators say the same)


def _given_dose(record: dict[str, Any]) -> dict[str, str]:
    if record.get("kind") != EntryKind.GIVEN.value:
        return {}
    found = {}
    if not record.get("given_at"):
        found["given_at"] = "a given dose needs the time it was given"
    if record.get("amount") is None:
        found["amount"] = "a given dose needs the amount given"
    if not str(record.get("unit") or "").strip():
        found["unit"] = "a given dose needs the unit of the amount"
    return found


def _after(record: dict[str, Any], first: str, later: str, message: str) -> dict[str, str]:
    # (both already passed their own rule: YYYY-MM-DD text sorts as the dates do)
    a, b = record.get(first), record.get(later)
    return {later: message} if a and b and str(b) < str(a) else {}


def _medicine_dates(record: dict[str, Any]) -> dict[str, str]:
    return {
        **_after(record, "start_date", "end_date",
                 'the end date is before the start date ("start_date")'),
        **_after(record, "start_date", "review_date",
                 'the review date is before the start date ("start_date")'),
        **_after(record, "opened_on", "discard_by",
                 'the discard date is before the bottle was opened ("opened_on")'),
    }


#: table -> checks of one record as a whole, each returning field -> problem.
RECORD_RULES: dict[str, tuple[Any, ...]] = {
    "dose_entries": (_given_dose,),
    "medicines": (_medicine_dates,),
    **{measure.value: (lambda record, m=measure: record_problems(m, record),)
       for measure in Measure},
}


def field_problems(table: str, record: dict[str, Any]) -> dict[str, str]:
    """Each field of ``record`` (a row of ``table``) that breaks its rule, with why."""
    rules = FIELDS.get(table, {})
    found: dict[str, str] = {}
    for name, value in record.items():
        rule = rules.get(name)
        if rule is None:
            continue
        problem = rule.problem(value)
        if problem:
            found[name] = problem
    if not found:
        for check in RECORD_RULES.get(table, ()):
            found.update(check(record))
    return found


__all__ = ["FIELDS", "RECORD_RULES", "Derived", "derived_fields", "field_problems",
           "occurrence_key", "regimen_text", "zone_name"]
