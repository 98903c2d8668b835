"""PrintService: builds each printed sheet from the records and sends it to a device.

Gathers what the sheets need (the patient, caregivers, the dose record through the
``MedicationBook``, the care team when there is one), builds the page-independent
``paper.Document`` with ``domain.printouts`` and paints it through the one renderer.
The window's print preview, the printer, "Save as PDF" and the command line all come
through here.

Kinds (``PrintKind``): ``checklist`` (a day, or ``days`` days, one page or more each),
``week`` (seven days from a date, landscape), ``medlist`` (medicine list for the
clinic), ``careteam`` (the fridge-door sheet), ``emergency`` (one page for paramedics
and the hospital: diagnosis, breathing support, advance decisions, medicines, allergies,
the care team).

Exports: ``export_calendar`` (.ics with alarms) and ``export_history`` (CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QPagedPaintDevice

from caregiver_app.domain.appointments import (
    VISIT_STILL_COMING,
    Appointment,
    AppointmentSource,
    is_clinic_visit,
    next_clinic_visit,
)
from caregiver_app.domain.localtime import day_bounds, to_utc
from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.paper import Document, Paper
from caregiver_app.domain.phones import region_for_time_zone
from caregiver_app.domain.print_kinds import PrintKind as PrintKind
from caregiver_app.domain.printouts import (
    AgendaItem,
    PrintContext,
    allergy_line,
    care_team_footer,
    care_team_sheet,
    daily_checklist,
    emergency_sheet,
    medicine_list,
    regimen_version,
    weekly_record,
)
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen, StepsRegimen
from caregiver_app.domain.schedule import Occurrence
from caregiver_app.domain.values import day_problem, period_problem
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.clock import Clock
from caregiver_app.services.files import write_private
from caregiver_app.services.going import Going
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.printing.renderer import page_layout, paint_document, write_pdf
from caregiver_app.storage.calendar_exports_repo import CalendarExportRepository
from caregiver_app.storage.patient_repo import PatientRepository

if TYPE_CHECKING:
    from caregiver_app.domain.calendar_events import ExportedEvent
    from caregiver_app.domain.dayview import DayView
    from caregiver_app.domain.exports import CalendarAppointment
    from caregiver_app.domain.visit_summary import VisitPeriod

#: The longest period one print or export may cover.
MAX_DAYS = 366


@dataclass(frozen=True)
class CalendarExport:
    """What a calendar export wrote: ``events`` of the period asked for; ``later``
    events of later days an earlier export to the file had sent, written again as they
    are now; ``changed`` events sent earlier whose time or details have changed since;
    ``cancelled`` events sent earlier that are no longer on the schedule."""

    events: int
    later: int = 0
    changed: int = 0
    cancelled: int = 0

    def describe(self) -> str:
        """"Exported 60 events; 14 sent earlier have changed; 4 are now cancelled"."""
        text = f"Exported {self.events} event{'s' if self.events != 1 else ''}"
        if self.changed:
            text += (f"; {self.changed} sent earlier "
                     f"{'has' if self.changed == 1 else 'have'} changed")
        if self.cancelled:
            text += (f"; {self.cancelled} sent earlier "
                     f"{'is' if self.cancelled == 1 else 'are'} now cancelled")
        return text


class PrintService(QObject):
    """Builds documents and sends them to PDF files and printers. No widgets."""

    def __init__(self, medications: MedicationBook, patients: PatientRepository, *,
                 clock: Clock, paper: Callable[[], Paper] = lambda: Paper.LETTER,
                 care_team: CareTeam | None = None,
                 calendar_log: CalendarExportRepository | None = None,
                 going: Going | None = None,
                 parent: QObject | None = None):
        """``paper`` returns the chosen paper size; ``care_team`` is the
        ``services.careteam.CareTeam`` (contacts and appointments); ``calendar_log``
        keeps what each calendar file was sent (and the household's id)."""
        super().__init__(parent)
        self._calendar_log = calendar_log
        self._book = medications
        self._patients = patients
        self._clock = clock
        self._paper = paper
        self._care_team = care_team
        self._going = going

    # ---- Public API: documents

    def paper(self) -> Paper:
        return self._paper()

    def today(self) -> date:
        return self._book.today()

    def document(self, kind: PrintKind | str, day: date | None = None, *,
                 days: int = 1) -> Document:
        """The document of ``kind`` for ``day`` (default today); ``days``: how many days
        of checklists, or of the weekly record (rounded up to whole weeks).

        Raises ValueError, saying why, for a day outside the dates the app keeps."""
        kind = PrintKind(kind)
        # one read of the patient's time zone for the whole sheet, not one for each day
        with self._book.reading():
            return self._document(kind, day, days)

    def _document(self, kind: PrintKind, day: date | None, days: int) -> Document:
        if kind is PrintKind.VISIT:
            return self.visit_summary(day)
        day = day or self.today()
        problem = day_problem(day) if kind.uses_date else None
        if problem:
            raise ValueError(problem)
        days = max(1, min(int(days), MAX_DAYS))
        medicines = self._book.medicines()
        context = self.context(medicines)
        if kind is PrintKind.CHECKLIST:
            views = self._days(day, days, medicines)
            return daily_checklist(views, context,
                                   version=self._version(day, days, medicines),
                                   appointments=self._agenda(day, days),
                                   medicines=medicines)
        if kind is PrintKind.WEEK:
            weeks = -(-days // 7) if days > 1 else 1
            views = self._days(day, 7 * weeks, medicines)
            return weekly_record(views, context,
                                 version=self._version(day, 7 * weeks, medicines),
                                 medicines=medicines)
        if kind is PrintKind.MEDLIST:
            today = self.today()
            context = replace(context, next_doses=self._next_doses(medicines))
            return medicine_list(medicines, context,
                                 version=self._version(today, 1, medicines))
        if kind is PrintKind.EMERGENCY:
            context = replace(context, next_doses=self._next_doses(medicines))
            return emergency_sheet(medicines, context)
        return care_team_sheet(self._team_groups(), context)

    def visit_summary(self, since: date | None = None) -> Document:
        """The clinic-visit summary from ``since`` (default: the day of the last clinic
        visit, else ``visit_summary.DEFAULT_DAYS`` ago) to today. ValueError for a
        period the app cannot print."""
        from caregiver_app.domain.going import Measure
        from caregiver_app.domain.patient import WeightUnit
        from caregiver_app.domain.visit_summary import (
            AsNeededDose,
            MedicineChange,
            VisitData,
            visit_summary,
        )
        from caregiver_app.services.going_links import as_needed_given

        next_visit = self._clinic_visits()[1]
        period = self.visit_period(since)
        first, last = self._period(period.first, period.last)
        medicines = self._book.medicines()
        names = {m.id: m.name for m in medicines if m.id is not None}
        zone = self._book.zone()
        changes = []
        for medicine in medicines:
            if medicine.id is None:
                continue
            for item in self._book.changes_and_pauses(medicine.id):  # (no dose records read)
                if item.current:
                    changes.append(MedicineChange(
                        to_utc(item.at).astimezone(zone).date(), medicine.name,
                        item.what, item.detail))
        going = self._going
        data = VisitData(
            first=first, last=last,
            unit=going.weight_unit() if going is not None else WeightUnit.KG,
            changes=changes, adherence=self._book.adherence(first, last),
            medicine_names=names,
            as_needed=[AsNeededDose(name, day, entry_id) for entry_id, day, name, _ in
                       as_needed_given(self._book, first, answered=going.answered
                                       if going is not None else None)],
            entries={m: going.current(m) for m in Measure} if going is not None else {},
            height_cm=self._height_cm(),
            questions=next_visit.questions if next_visit is not None else "",
            visit=self._visit_text(next_visit) if next_visit is not None else "",
            period=period.text)
        return visit_summary(data, self.context(medicines))

    def visit_period(self, since: date | None = None) -> VisitPeriod:
        """The days the summary for the next clinic visit covers (``since`` when chosen,
        else since the last clinic visit on the Care team tab, else the last 90 days)."""
        from caregiver_app.domain.visit_summary import visit_period

        zone = self._book.zone()
        days = [to_utc(a.starts_at).astimezone(zone).date() for a in self._clinic_list()]
        return visit_period(days, self.today(), since=since)

    def _height_cm(self) -> float | None:
        patient = self._patients.get()
        return getattr(patient, "height_cm", None) if patient is not None else None

    def _effects(self) -> dict[int, str]:
        """Whether each as-needed dose helped, by dose entry id (the latest answer)."""
        if self._going is None:
            return {}
        from caregiver_app.domain.going import Effect, Measure, latest_effect_by_dose

        return {dose: Effect(str(entry.values["effect"])).label
                for dose, entry in latest_effect_by_dose(
                    self._going.current(Measure.EFFECT)).items()}

    def _clinic_visits(self) -> tuple[Appointment | None, Appointment | None]:
        """The last clinic visit before now and the next one (an appointment whose
        purpose names a clinic)."""
        now = to_utc(self._clock.now())
        visits = self._clinic_list()
        coming = next_clinic_visit(visits, now)
        past = [a for a in visits if to_utc(a.starts_at) < now - VISIT_STILL_COMING]
        return (past[-1] if past else None), coming

    def _clinic_list(self) -> list[Appointment]:
        """The clinic visits on the Care team tab (appointments whose purpose names a
        clinic; not the clinic-given doses the schedule plans), by time."""
        if self._care_team is None:
            return []
        return sorted((a for a in self._care_team.appointments()
                       if is_clinic_visit(a)), key=lambda a: a.starts_at)

    def _visit_text(self, visit: Appointment) -> str:
        from caregiver_app.domain.localtime import weekday_date_time

        local = to_utc(visit.starts_at).astimezone(self._book.zone())
        text = f"{visit.purpose}, {weekday_date_time(local, year=True)}"
        names = self._contact_names()
        if visit.contact_id is not None and names.get(visit.contact_id):
            text += f" with {names[visit.contact_id]}"
        return text

    def context(self, medicines: list[Medicine] | None = None) -> PrintContext:
        """Who and when for one print job; with ``medicines``, also their stock and
        bottle forecasts (for the sheets' reorder and discard notes)."""
        zone = self._book.zone()
        caregivers = {c.id: c for c in self._patients.caregivers(include_inactive=True)
                      if c.id is not None}
        supplies = {m.id: self._book.supply(m.id) for m in medicines or ()
                    if m.id is not None and (m.supply.tracked or m.supply.discard_by)}
        return PrintContext(
            patient=self._patients.get(), zone=zone, printed_at=to_utc(self._clock.now()),
            caregivers=caregivers, care_team=tuple(self._footer_contacts()),
            contact_names=self._contact_names(), region=self.region(), supplies=supplies,
            effects=self._effects())

    def _next_doses(self, medicines: list[Medicine]) -> dict[int, Occurrence]:
        """The next due dose of each medicine given now and then (not every day): the
        medicine list prints its date."""
        today = self.today()
        found = {}
        for medicine in medicines:
            version = medicine.version_on(today) or medicine.versions[-1]
            if medicine.id is None or isinstance(version.regimen, DailyRegimen | StepsRegimen
                                                 | AsNeededRegimen):
                continue
            upcoming = self._book.upcoming(medicine, count=1)
            if upcoming:
                found[medicine.id] = upcoming[0]
        return found

    def patient_country(self) -> str | None:
        """The country of the patient's time zone ("US"; None when it does not say)."""
        patient = self._patients.get()
        zone_name = (patient.time_zone if patient and patient.time_zone
                     else getattr(self._book.zone(), "key", ""))
        return region_for_time_zone(zone_name) if zone_name else None

    def region(self) -> str | None:
        """The phone region the sheets use ("US"): the care team's (the computer's), else
        the country of the patient's time zone; None when neither says."""
        region = self._care_team.region if self._care_team is not None else None
        if region:
            return region
        patient = self._patients.get()
        zone_name = (patient.time_zone if patient and patient.time_zone
                     else getattr(self._book.zone(), "key", ""))
        return region_for_time_zone(zone_name) if zone_name else None

    # ---- Public API: output

    def render(self, kind: PrintKind | str, day: date | None, device: QPagedPaintDevice, *,
               days: int = 1) -> int:
        """Paint onto a device whose page layout is set (print preview, a printer).
        Returns the number of pages."""
        return paint_document(self.document(kind, day, days=days), device)

    def prepare_printer(self, printer, kind: PrintKind | str, *,
                        paper: Paper | None = None) -> None:
        """Set a printer's paper size (``paper``, else the chosen one) and orientation
        for ``kind`` before a dialog."""
        layout = page_layout(paper or self.paper(), PrintKind(kind).landscape)
        printer.setPageLayout(layout)

    def save_pdf(self, kind: PrintKind | str, day: date | None, path: Path | str, *,
                 days: int = 1, paper: Paper | None = None) -> int:
        """Write a PDF file; returns the number of pages. Raises OSError."""
        return write_pdf(self.document(kind, day, days=days), Path(path),
                         paper or self.paper())

    def suggested_name(self, kind: PrintKind | str, day: date | None = None) -> str:
        kind = PrintKind(kind)
        day = day or self.today()
        stem = {"checklist": "checklist", "week": "weekly-record", "medlist": "medicine-list",
                "careteam": "care-team", "emergency": "emergency-sheet",
                "visit": "visit-summary"}[kind.value]
        return f"{stem}-{day.isoformat()}.pdf" if kind.uses_date else \
            f"{stem}-{self.today().isoformat()}.pdf"

    # ---- Public API: exports

    def export_calendar(self, path: Path | str, first: date, last: date, *,
                        alarm_minutes: int = 0) -> CalendarExport:
        """Doses (and appointments) of ``first``..``last`` as an .ics file.

        A calendar that imported an earlier export to the same file ends up right after
        importing this one: a moved dose is the same event with a higher SEQUENCE, and
        what that file was sent before and is no longer on the schedule (from today on)
        is written as cancelled; the later days the earlier export covered are brought up
        to date too. Raises OSError, and ValueError for a period or reminder (0 to 240
        minutes) out of range; then nothing is noted as sent.
        """
        # the calendar's code is loaded here, when a calendar is exported (not to print)
        from caregiver_app.domain.calendar_events import plan_export
        from caregiver_app.domain.exports import (
            appointment_events,
            calendar_ics,
            check_alarm_minutes,
            dose_events,
        )

        check_alarm_minutes(alarm_minutes)
        first, last = self._period(first, last)
        path = Path(path)
        target = str(path.resolve())
        zone, log = self._book.zone(), self._log()
        sent = log.sent(target)
        lo, hi = self._covered(first, last, sent.values())
        window = (day_bounds(first, zone)[0], day_bounds(last, zone)[1])
        covered = (day_bounds(lo, zone)[0], day_bounds(hi, zone)[1])
        household = log.household_id()
        current = {e.uid: e for e in dose_events(self._book.statuses(lo, hi), household,
                                                  alarm_minutes=alarm_minutes)}
        current.update((e.uid, e) for e in appointment_events(
            self._calendar_appointments(lo, hi, household)))
        latest = log.latest([*current, *sent])
        writes = plan_export(current, sent, latest, window=window, covered=covered)
        data = calendar_ics(writes, zone=zone, now=self._clock.now(),
                            name=self._calendar_name())
        log.record(target, writes, to_utc(self._clock.now()),
                   then=lambda: write_private(path, data))
        live = [w for w in writes if not w.cancelled]
        in_window = sum(1 for w in live if window[0] <= w.event.start < window[1])
        cancelled = sum(1 for w in writes if w.cancelled
                        and not (sent.get(w.event.uid) and sent[w.event.uid].cancelled))
        changed = sum(1 for w in live if w.event.uid in sent
                      and sent[w.event.uid].fingerprint != w.fingerprint)
        return CalendarExport(events=in_window, later=len(live) - in_window,
                              changed=changed, cancelled=cancelled)

    def calendar_target(self) -> Path | None:
        """The calendar file most recently exported to, to offer it again."""
        target = self._log().last_target()
        return Path(target) if target else None

    def export_history(self, path: Path | str, first: date, last: date) -> int:
        """The dose history of ``first``..``last`` as CSV; returns the number of rows."""
        from caregiver_app.domain.exports import dose_history_rows, history_csv

        first, last = self._period(first, last)
        with self._book.reading():  # one read of the period's records, not one a day
            views = self._book.recorded_days(first, last)
            zone = self._book.zone()
        caregivers = {c.id: c for c in self._patients.caregivers(include_inactive=True)
                      if c.id is not None}
        rows = dose_history_rows(views, caregivers, zone)
        write_private(Path(path), history_csv(rows, zone=zone).encode("utf-8-sig"))
        return len(rows)

    def export_measurements(self, path: Path | str, first: date, last: date) -> int:
        """How things are going (weight, function, the daily check, clinic numbers,
        answers about as-needed doses) of ``first``..``last`` as CSV, one row per value;
        returns the number of rows."""
        from caregiver_app.domain.going import Measure
        from caregiver_app.domain.going_trends import measurement_rows, measurements_csv

        first, last = self._period(first, last)
        going = self._going
        entries = {m: going.current(m, first, last) for m in Measure} if going else {}
        names = {c.id: c.label() for c in self._patients.caregivers(include_inactive=True)
                 if c.id is not None}
        rows = measurement_rows(entries, names=names, first=first, last=last)
        write_private(Path(path), measurements_csv(rows).encode("utf-8-sig"))
        return len(rows)

    # ---- Private

    @staticmethod
    def _period(first: date, last: date) -> tuple[date, date]:
        problem = period_problem(first, last)
        if problem:
            raise ValueError(problem)
        if (last - first).days >= MAX_DAYS:
            raise ValueError(f"Choose a period of at most {MAX_DAYS} days.")
        return first, last

    def _days(self, first: date, days: int, medicines: list[Medicine]) -> list[DayView]:
        """The day views of ``days`` days from ``first``, all from one read of the
        medicines (each day reads only its own dose records)."""
        return [self._book.day(first + timedelta(days=i), medicines=medicines)
                for i in range(days)]

    def _version(self, day: date, days: int, medicines: list[Medicine]) -> str:
        zone = self._book.zone()
        start = day_bounds(day, zone)[0]
        end = day_bounds(day + timedelta(days=days - 1), zone)[1]
        return regimen_version(medicines, start, end,
                               allergies=allergy_line(self._patients.get()))

    def _calendar_name(self) -> str:
        patient = self._patients.get()
        return f"Medicines: {patient.full_name}" if patient else "Medicines"

    # Care team (contacts and appointments), when the app has one.

    def _contacts(self, *, archived: bool = False) -> list:
        if self._care_team is None:
            return []
        found = list(self._care_team.contacts())
        if archived:
            found += list(self._care_team.archived_contacts())
        return found

    def _footer_contacts(self) -> list[str]:
        if self._care_team is None:
            return []
        return care_team_footer(self._contacts(), region=self._care_team.region)

    def _contact_names(self) -> dict[int, str]:
        return {c.id: c.name for c in self._contacts(archived=True) if c.id is not None}

    def _team_groups(self) -> list:
        if self._care_team is None:
            return []
        patient = self._patients.get()
        from caregiver_app.domain.careteam_sheet import care_team_sheet as care_team_sheet_data

        sheet = care_team_sheet_data(self._contacts(), region=self._care_team.region,
                                     patient_name=patient.full_name if patient else "")
        return list(sheet.sections)

    def _appointments(self, first: date, last: date) -> list:
        if self._care_team is None:
            return []
        zone = self._book.zone()
        return list(self._care_team.upcoming(day_bounds(first, zone)[0],
                                             day_bounds(last, zone)[1]))

    def _agenda(self, day: date, days: int) -> dict[date, list[AgendaItem]]:
        zone = self._book.zone()
        agenda: dict[date, list[AgendaItem]] = {}
        for appointment in self._appointments(day, day + timedelta(days=days - 1)):
            local = to_utc(appointment.starts_at).astimezone(zone)
            agenda.setdefault(local.date(), []).append(AgendaItem(
                start=appointment.starts_at, title=appointment.title(),
                detail=_appointment_detail(appointment),
                dose_key=appointment.source_key
                if appointment.source is AppointmentSource.REGIMEN else ""))
        return agenda

    def _log(self) -> CalendarExportRepository:
        if self._calendar_log is None:
            raise RuntimeError("PrintService was built without a calendar_log")
        return self._calendar_log

    def _covered(self, first: date, last: date,
                 sent: Iterable[ExportedEvent]) -> tuple[date, date]:
        """The days a calendar export checks: the period asked for, widened to the days
        from today on that earlier exports to the same file covered (at most a year
        beyond the period either way)."""
        zone = self._book.zone()
        today_start = day_bounds(self.today(), zone)[0]
        days = [to_utc(e.start).astimezone(zone).date() for e in sent
                if to_utc(e.start) >= today_start]
        if not days:
            return first, last
        lo = max(min(first, min(days)), first - timedelta(days=MAX_DAYS))
        hi = min(max(last, max(days)), last + timedelta(days=MAX_DAYS))
        return lo, hi

    def _calendar_appointments(self, first: date, last: date,
                               household: str) -> list[CalendarAppointment]:
        from caregiver_app.domain.dose_identity import appointment_uid
        from caregiver_app.domain.exports import CalendarAppointment

        # Clinic-dose appointments are already in the file as dose events.
        return [
            CalendarAppointment(
                uid=appointment_uid(household, a.id), start=a.starts_at, end=a.ends_at,
                title=a.title(), location=a.place, description=_appointment_detail(a, place=False))
            for a in self._appointments(first, last)
            if a.source is not AppointmentSource.REGIMEN
        ]


def _appointment_detail(appointment, *, place: bool = True) -> str:
    parts = [appointment.contact_name, appointment.place if place else "",
             appointment.transport and f"Transport: {appointment.transport}"]
    return " · ".join(" ".join(p.split()) for p in parts if p)


__all__ = ["MAX_DAYS", "CalendarExport", "PrintKind", "PrintService"]
