"""Small builders for medicine tests (imported by tests under domain/, storage/, services/)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.medicines import Medicine, MedicineVersion
from caregiver_app.domain.regimens import DailyRegimen, Regimen
from caregiver_app.domain.vocab import Form, Route

NEW_YORK = ZoneInfo("America/New_York")
D0 = date(2026, 1, 5)  # a Monday
T8, T20 = time(8), time(20)
ONE_TABLET = Dose(1, "tablet")


def at(day: date, hour: int = 0, minute: int = 0, zone: ZoneInfo = NEW_YORK) -> datetime:
    """An aware UTC instant for a local wall-clock time that exists (not in a DST gap)."""
    return to_utc(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))


def version(regimen: Regimen | None = None, *, valid_from: date = D0,
            dose: Dose = ONE_TABLET, form: Form = Form.TABLET,
            route: Route = Route.ORAL, strength: str = "50 mg", **kwargs) -> MedicineVersion:
    return MedicineVersion(valid_from=valid_from, strength=strength, form=form, route=route,
                           dose=dose, regimen=regimen or DailyRegimen(D0, (T8, T20)), **kwargs)


def medicine(regimen: Regimen | None = None, *, id: int = 1, start: date = D0,
             versions: tuple[MedicineVersion, ...] | None = None, **kwargs) -> Medicine:
    # Written into the app before its first dose (the day before it starts), unless the
    # test says when: a dose nobody was asked about is not "missed" (doses.before_added).
    kwargs.setdefault("added_at", datetime.combine(start - timedelta(days=1), time(0),
                                                   tzinfo=UTC))
    return Medicine(generic_name=kwargs.pop("generic_name", "riluzole"), start_date=start,
                    versions=versions or (version(regimen, valid_from=start),), id=id, **kwargs)


def given(occ, given_at: datetime | None = None, *, id: int, recorded_by: int = 1,
          **kwargs) -> DoseEntry:
    """A given entry for occurrence ``occ`` (default: on time)."""
    when = given_at or occ.due
    return DoseEntry(medicine_id=occ.medicine_id, kind=EntryKind.GIVEN,
                     recorded_at=kwargs.pop("recorded_at", when + timedelta(minutes=1)),
                     recorded_by_id=recorded_by, occurrence_key=occ.key, due_at=occ.due,
                     given_at=when, amount=kwargs.pop("amount", occ.dose), id=id,
                     caregiver_id=kwargs.pop("caregiver_id", recorded_by), **kwargs)
