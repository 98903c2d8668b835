"""Printed sheets, checked the way a reader sees them: written to PDF offscreen, then the
text of each page read back with QtPdf."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.appointments import Appointment
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.paper import Paper
from caregiver_app.domain.patient import Allergy, AllergyStatus, Caregiver, Patient
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    DailyRegimen,
    LoadingRegimen,
)
from caregiver_app.domain.vocab import Form, Route, SkipReason
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.printing import PrintService
from caregiver_app.services.printing.renderer import layout_document, page_layout
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository

LONG_NAME = ("extended-release dextromethorphan and quinidine for pseudobulbar affect "
             "ExtraordinarilyLongUnbrokenChemicalNameWithoutSp")


assert len(LONG_NAME) == 120  # the longest name the medicine form accepts


def pdf_pages(path) -> list[str]:
    """The text of each page of a PDF file."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_, path
    pages = [document.getAllText(i).text() for i in range(document.pageCount())]
    document.close()
    return pages


def squash(text: str) -> str:
    """Text without any white space: a wrapped name reads the same as an unwrapped one."""
    return re.sub(r"\s+", "", text)


def page_size(path, page: int = 0):
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    document.load(str(path))
    size = document.pagePointSize(page)
    document.close()
    return size.width(), size.height()


@pytest.fixture
def home(fresh_db, fake_clock, qapp):
    patients = PatientRepository(fresh_db)
    patients.save(Patient("Jane Q Public", date(1960, 2, 3), AllergyStatus.HAS_ALLERGIES,
                          (Allergy("Penicillin", "hives"),), time_zone="America/New_York"))
    saved = {c.initials: c for c in patients.save_caregivers(
        [Caregiver("Tom Example", "TE"), Caregiver("Ana Helper", "AH")])}
    tom, ana = saved["TE"], saved["AH"]
    fake_clock.set(at(D0, 12))
    duty = SimpleNamespace(id=tom.id)
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: duty.id, zone=lambda: NEW_YORK)
    team = CareTeam(CareTeamRepository(fresh_db), region="US")
    service = PrintService(book, patients, clock=fake_clock, care_team=team)
    return SimpleNamespace(book=book, patients=patients, service=service, team=team,
                           tom=tom, ana=ana, duty=duty, clock=fake_clock)


def _add(home, regimen=None, *, strength: str | None = None, **kwargs):
    if strength is not None:
        kwargs["versions"] = (version(regimen, valid_from=kwargs.get("start", D0),
                                      strength=strength),)
    return home.book.add_medicine(medicine(regimen, id=None, **kwargs))


def _key(hour: int, day: date = D0) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


# ---- Daily checklist


def test_checklist_has_header_rows_in_time_order_and_footer(home, tmp_path):
    _add(home, DailyRegimen(D0, (T20, T8)), generic_name="riluzole", brand_name="Rilutek")
    _add(home, DailyRegimen(D0, (time(14),)), generic_name="baclofen", strength="5 mg")
    path = tmp_path / "day.pdf"
    assert home.service.save_pdf("checklist", D0, path) == 1
    [page] = pdf_pages(path)
    for expected in ("Daily medication checklist", "Monday 5 January 2026", "Jane Q Public",
                     "born 3 Feb 1960", "ALLERGIES: Penicillin (hives)", "Doses to give",
                     "R = refused", "Notes", "Page 1 of 1", "regimen version",
                     "Printed 5 Jan 2026 12:00"):
        assert expected in page, expected
    positions = [page.index(t) for t in ("08:00", "14:00", "20:00")]
    assert positions == sorted(positions)
    assert page.index("riluzole (Rilutek)") < page.index("baclofen")
    assert "50 mg" in page and "by mouth" in page


def test_recorded_doses_show_time_and_initials_instead_of_a_box(home, tmp_path):
    riluzole = _add(home, DailyRegimen(D0, (T8, T20)))
    home.book.record_given(riluzole.id, _key(8), given_at=at(D0, 8, 12))
    home.duty.id = home.ana.id
    baclofen = _add(home, DailyRegimen(D0, (time(9),)), generic_name="baclofen")
    home.book.record_skipped(baclofen.id, _key(9), SkipReason.REFUSED)
    document = home.service.document("checklist", D0)
    rows = document.sections[0].blocks[0].rows
    given = rows[0].cells[4:]
    assert [c.text for c in given] == ["Given", "08:12", "TE"] and not given[0].box
    skipped = rows[1].cells[4:]
    assert (skipped[0].text, skipped[0].sub, skipped[2].text) == ("R", "not given", "AH")
    due = rows[2].cells[4:]
    assert due[0].box and due[1].text == due[2].text == ""
    path = tmp_path / "recorded.pdf"
    home.service.save_pdf("checklist", D0, path)
    [page] = pdf_pages(path)
    assert "08:12" in page and "TE" in page and "notgiven" in squash(page)


def test_a_day_of_sixty_rows_never_splits_a_row_and_repeats_the_column_titles(home, tmp_path):
    times = (time(6), time(12), time(18))
    for n in range(20):
        _add(home, DailyRegimen(D0, times), generic_name=f"medicine{n:02d}",
             instructions=f"note{n:02d} keep this text with its row")
    _add(home, DailyRegimen(D0, (time(21),)), generic_name=LONG_NAME)
    path = tmp_path / "busy.pdf"
    pages = home.service.save_pdf("checklist", D0, path)
    texts = pdf_pages(path)
    assert len(texts) == pages >= 3
    flat = [squash(t) for t in texts]
    for n in range(20):
        name, note = f"medicine{n:02d}", f"note{n:02d}keepthistextwithitsrow"
        holding = [i for i, t in enumerate(flat) if name in t]
        assert holding, name
        # Its instructions are printed once for the day, whole, in "How to give" (not
        # under each of its rows); its name is on its three rows and in that list.
        assert sum(t.count(note) for t in flat) == 1, name
        assert sum(t.count(name) for t in flat) == 3 + 1  # each of its three doses, once
    assert sum(squash(LONG_NAME) in t for t in flat) == 1  # whole, wrapped, on one page
    assert LONG_NAME not in "".join(texts)  # it did wrap: not on one line
    for number, text in enumerate(texts, start=1):
        assert "ALLERGIES: Penicillin (hives)" in text
        assert f"Page {number} of {pages}" in text
    for text in texts[1:]:
        if re.search(r"medicine\d\d", text) and "How to give" not in text:
            assert "Doses to give (continued)" in text and "Medicine and strength" in text


def test_layout_keeps_every_row_inside_the_page_body(home, qapp):
    from PySide6.QtGui import QPdfWriter

    for n in range(30):
        _add(home, DailyRegimen(D0, (time(6), time(18))), generic_name=f"m{n:02d}")
    writer = QPdfWriter(str(home.clock.now().date()) + ".pdf")
    writer.setPageLayout(page_layout(Paper.A4, False))
    pages = layout_document(home.service.document("checklist", D0), writer)
    placed = [r for p in pages for r in p.rows]
    times = [r for r in placed if re.fullmatch(r"\d\d:\d\d", r)]
    assert len(times) == 60 and times == sorted(times)


def test_no_known_allergies_is_said_on_every_page(home, tmp_path):
    patient = replace(home.patients.get(), allergy_status=AllergyStatus.NONE_KNOWN,
                      allergies=())
    home.patients.save(patient)
    for n in range(12):
        _add(home, DailyRegimen(D0, (T8, T20)), generic_name=f"m{n:02d}")
    path = tmp_path / "nka.pdf"
    home.service.save_pdf("checklist", D0, path)
    texts = pdf_pages(path)
    assert len(texts) >= 2 and all("No known allergies" in t for t in texts)


def test_without_a_profile_the_sheet_warns_that_allergies_are_not_recorded(
        fresh_db, fake_clock, qapp, tmp_path):
    fake_clock.set(at(D0, 12))
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: None, zone=lambda: NEW_YORK)
    service = PrintService(book, PatientRepository(fresh_db), clock=fake_clock)
    path = tmp_path / "empty.pdf"
    service.save_pdf("checklist", D0, path)
    [page] = pdf_pages(path)
    assert "ALLERGIES NOT RECORDED" in page
    assert "No doses are due at home on this day." in page


def test_a_range_prints_each_day_on_its_own_page_in_order(home, tmp_path):
    _add(home, DailyRegimen(D0, (T8,)))
    path = tmp_path / "three.pdf"
    assert home.service.save_pdf("checklist", D0, path, days=3) == 3
    texts = pdf_pages(path)
    for text, day in zip(texts, ("Monday 5 January", "Tuesday 6 January",
                                 "Wednesday 7 January"), strict=True):
        assert day in text


def test_checklist_lists_instructions_clinic_doses_appointments_and_as_needed(home, tmp_path):
    _add(home, CycleRegimen(D0 - timedelta(days=30), (time(7),)), generic_name="edaravone",
         versions=(version(CycleRegimen(D0 - timedelta(days=30), (time(7),)),
                           dose=Dose(5, "mL"), form=Form.LIQUID, route=Route.FEEDING_TUBE,
                           flush_ml=30, do_not_crush=True, strength="105 mg/5 mL"),))
    _add(home, LoadingRegimen(D0, time(9)), generic_name="tofersen", given_by=GivenBy.CLINIC,
         versions=(version(LoadingRegimen(D0, time(9)), dose=Dose(15, "mL"),
                           form=Form.INTRATHECAL, route=Route.INTRATHECAL),))
    prn = _add(home, AsNeededRegimen(D0, timedelta(hours=4), 3), generic_name="glycopyrrolate",
               purpose="Drooling")
    home.book.record_prn(prn.id, given_at=at(D0, 10, 30), note="Drooling a lot")
    home.team.save_appointment(Appointment(starts_at=at(D0, 15), purpose="Breathing test",
                                           time_zone="America/New_York", place="Room 4"))
    path = tmp_path / "full.pdf"
    home.service.save_pdf("checklist", D0, path)
    text = "\n".join(pdf_pages(path))
    flat = squash(text)
    for expected in ("Cycle 2, day 3 of 10", "DO NOT CRUSH", "flush 30 mL before and after",
                     "Given at the clinic", "Loading 1 of 3", "Appointments",
                     "Breathing test", "Room 4", "As needed (PRN)", "Drooling",
                     "at least 4 hours apart", "no more than 3 in 24 hours", "As-needed log",
                     "10:30", "Drooling a lot"):
        assert squash(expected) in flat, expected


def test_footer_gives_the_care_team_numbers(home, tmp_path):
    home.team.save_contact(Contact("Dr. Ada Lee", Role.NEUROLOGIST, phones=(
        Phone(PhoneKind.OFFICE, "312-555-0142"),)))
    home.team.save_contact(Contact("Clinic night line", Role.OTHER, phones=(
        Phone(PhoneKind.AFTER_HOURS, "312-555-0199"),), emergency=True))
    home.team.save_contact(Contact("Corner Pharmacy", Role.PHARMACY, phones=(
        Phone(PhoneKind.OFFICE, "312-555-0170"),)))
    home.team.save_contact(Contact("Ben Okafor", Role.PHYSICAL_THERAPIST, phones=(
        Phone(PhoneKind.OFFICE, "312-555-0150"),)))
    path = tmp_path / "footer.pdf"
    home.service.save_pdf("checklist", D0, path)
    [page] = pdf_pages(path)
    flat = squash(page)
    assert flat.index("Clinicnightline") < flat.index("Dr.AdaLee")  # call first, first
    for expected in ("after hours (312) 555-0199", "Dr. Ada Lee (Neurologist): office "
                     "(312) 555-0142", "Corner Pharmacy"):
        assert squash(expected) in flat, expected
    assert "Ben Okafor" not in page


def test_without_contacts_the_footer_leaves_room_to_write_the_numbers(home, tmp_path):
    path = tmp_path / "blank.pdf"
    home.service.save_pdf("checklist", D0, path)
    [page] = pdf_pages(path)
    assert "neurologist ____" in page and "after hours ____" in page


# ---- Regimen version


def test_regimen_version_changes_with_the_regimen_and_not_with_the_record(home):
    riluzole = _add(home, DailyRegimen(D0, (T8, T20)))
    before = home.service.document("checklist", D0).stamp
    home.book.record_given(riluzole.id, _key(8), given_at=at(D0, 8))
    assert home.service.document("checklist", D0).stamp == before
    home.book.change_version(riluzole.id, version(DailyRegimen(D0, (T8, time(21))),
                                                  valid_from=D0))
    after = home.service.document("checklist", D0).stamp
    version_of = re.compile(r"regimen version ([0-9A-F]{6})")
    assert version_of.search(before) and version_of.search(after)
    assert version_of.search(before).group(1) != version_of.search(after).group(1)
    # A change that starts next month does not date today's sheet.
    today = home.service.document("checklist", D0).stamp
    home.book.change_version(riluzole.id, version(DailyRegimen(D0, (T8,)),
                                                  valid_from=D0 + timedelta(days=40)))
    assert home.service.document("checklist", D0).stamp == today


# ---- Weekly record, medicine list, care team


def test_weekly_record_is_landscape_with_seven_days_and_shaded_off_days(home, tmp_path):
    start = D0 - timedelta(days=10)  # cycle 1 day 11 on D0: its last dose is D0 + 3
    _add(home, CycleRegimen(start, (time(7),)), generic_name="edaravone", start=start)
    riluzole = _add(home, DailyRegimen(D0, (T8, T20)))
    home.book.record_given(riluzole.id, _key(8), given_at=at(D0, 8, 5))
    document = home.service.document("week", D0)
    assert document.landscape
    table = document.sections[0].blocks[0]
    assert [c.title for c in table.columns][2:] == [
        "Mon 5 Jan", "Tue 6 Jan", "Wed 7 Jan", "Thu 8 Jan", "Fri 9 Jan", "Sat 10 Jan",
        "Sun 11 Jan"]
    edaravone = table.rows[0].cells[2:]
    # D0's 07:00 dose was not recorded by noon: MISSED, not a box still to tick
    assert edaravone[0].text == "MISSED" and "not recorded" in edaravone[0].sub
    assert [c.box for c in edaravone] == [False] + [True] * 3 + [False] * 3
    assert all(c.shaded and c.text == "off" for c in edaravone[4:])
    riluzole_8 = table.rows[1].cells[2:]
    assert riluzole_8[0].text == "TE 08:05" and all(c.box for c in riluzole_8[1:])
    path = tmp_path / "week.pdf"
    home.service.save_pdf("week", D0, path, paper=Paper.LETTER)
    width, height = page_size(path)
    assert (round(width), round(height)) == (792, 612)
    text = "\n".join(pdf_pages(path))
    for expected in ("Weekly medication record", "Week from Mon 5 Jan 2026",
                     "Who signs this record", "Tom Example", "Ana Helper", "R = refused",
                     "off"):
        assert expected in text, expected


def test_a_weeks_record_reads_the_medicines_once_and_each_day_only_its_records(
        home, monkeypatch):
    """Printing last week's record costs a week, not the whole history (issue #19): one
    read of the medicines for the seven days, each day its own dose records."""
    _add(home, CycleRegimen(D0, (time(7),)), generic_name="edaravone")
    _add(home, DailyRegimen(D0, (T8, T20)))
    reads: Counter[str] = Counter()

    def counted(name: str):
        read = getattr(MedicationRepository, name)

        def spy(repo, *args, **kwargs):
            reads[name] += 1
            return read(repo, *args, **kwargs)
        return spy

    for name in ("medicines", "entries_for_day"):
        monkeypatch.setattr(MedicationRepository, name, counted(name))
    home.service.document("week", D0)
    assert reads == {"medicines": 1, "entries_for_day": 7}
    reads.clear()
    home.service.document("checklist", D0, days=3)
    assert reads == {"medicines": 1, "entries_for_day": 3}


def test_paper_size_letter_and_a4(home, tmp_path):
    _add(home)
    home.service.save_pdf("checklist", D0, tmp_path / "l.pdf", paper=Paper.LETTER)
    home.service.save_pdf("checklist", D0, tmp_path / "a.pdf", paper=Paper.A4)
    assert tuple(round(v) for v in page_size(tmp_path / "l.pdf")) == (612, 792)
    assert tuple(round(v) for v in page_size(tmp_path / "a.pdf")) == (595, 842)


def test_medicine_list_has_current_and_recently_stopped_with_reason(home, tmp_path):
    lee = home.team.save_contact(Contact("Dr. Ada Lee", Role.NEUROLOGIST))
    _add(home, DailyRegimen(D0 - timedelta(days=200), (T8, T20)), generic_name="riluzole",
         purpose="Slows ALS", prescriber_id=lee.id, start=D0 - timedelta(days=200),
         versions=(version(DailyRegimen(D0 - timedelta(days=200), (T8, T20)),
                           valid_from=D0 - timedelta(days=200)),))
    old = _add(home, DailyRegimen(D0 - timedelta(days=300), (T8,)), generic_name="oldmed",
               start=D0 - timedelta(days=300),
               versions=(version(DailyRegimen(D0 - timedelta(days=300), (T8,)),
                                 valid_from=D0 - timedelta(days=300)),))
    home.book.stop(old.id, "Stopped long ago", at=at(D0 - timedelta(days=120), 9))
    recent = _add(home, DailyRegimen(D0 - timedelta(days=60), (T8,)), generic_name="amitriptyline",
                  start=D0 - timedelta(days=60),
                  versions=(version(DailyRegimen(D0 - timedelta(days=60), (T8,)),
                                    valid_from=D0 - timedelta(days=60), strength="10 mg"),))
    home.book.stop(recent.id, "Too sleepy in the day", at=at(D0 - timedelta(days=3), 9))
    path = tmp_path / "medlist.pdf"
    home.service.save_pdf("medlist", None, path)
    text = "\n".join(pdf_pages(path))
    current, stopped = squash(text).split("Stoppedinthelast90days")
    for expected in ("riluzole", "Every day at 08:00 and 20:00", "Slows ALS", "Dr. Ada Lee",
                     "by mouth", "ALLERGIES: Penicillin (hives)"):
        assert squash(expected) in current, expected
    assert "amitriptyline" in stopped and "Toosleepyintheday" in stopped
    assert "oldmed" not in text


def test_care_team_sheet_puts_call_first_on_top_with_big_numbers(home, tmp_path):
    home.team.save_contact(Contact("Dr. Ada Lee", Role.NEUROLOGIST, phones=(
        Phone(PhoneKind.OFFICE, "312-555-0142"),)))
    home.team.save_contact(Contact("Rosa Martinez", Role.NURSE_COORDINATOR, phones=(
        Phone(PhoneKind.OFFICE, "312-555-0144"), Phone(PhoneKind.FAX, "312-555-0145")),
        emergency=True, notes="New symptoms"))
    document = home.service.document("careteam")
    first = next(b for b in document.sections[0].blocks if getattr(b, "title", "") == "CALL FIRST")
    assert document.sections[0].blocks.index(first) < 3  # under the emergency number
    phones = first.rows[0].cells[1]
    # Numbers to call big, with their labels; the fax small under them, apart.
    assert phones.big and [label for label, _ in phones.labelled] == ["Office"]
    assert "Fax (312) 555-0145 (not a phone)" in phones.after.replace("\u00a0", " ")
    path = tmp_path / "team.pdf"
    home.service.save_pdf("careteam", None, path)
    flat = squash("\n".join(pdf_pages(path)))
    assert flat.index("CALLFIRST") < flat.index("RosaMartinez") < flat.index("Dr.AdaLee")
    assert "(312)555-0144" in flat and "Newsymptoms" in flat


def test_empty_care_team_sheet_is_a_form_to_fill_in(home, tmp_path):
    path = tmp_path / "form.pdf"
    home.service.save_pdf("careteam", None, path)
    [page] = pdf_pages(path)
    for expected in ("Fill in by hand", "Neurologist", "Pharmacy", "After hours",
                     "for the ambulance"):
        assert expected in page, expected


def test_a_file_that_cannot_be_written_raises_and_leaves_nothing(home, tmp_path):
    target = tmp_path / "missing-folder" / "x.pdf"
    with pytest.raises(OSError):
        home.service.save_pdf("checklist", D0, target)
    assert not target.exists()


def test_render_paints_on_a_printer_with_the_kind_s_orientation(home, qapp):
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    _add(home)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(home.clock.now().date()) + "-printer.pdf")
    home.service.prepare_printer(printer, "week")
    assert printer.pageLayout().orientation() is QPageLayout.Orientation.Landscape
    assert home.service.render("week", D0, printer) >= 1


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files a test writes by bare name land here


# ---- The example household on paper


@pytest.fixture(params=[("America/Chicago", "US"), ("Etc/UTC", None)],
                ids=["chicago-us", "no-locale"])
def example(request, fresh_db, fake_clock, qapp):
    """The example household, as the app and as a scheduled job without a locale see it."""
    from caregiver_app.domain.localtime import zone_named
    from caregiver_app.services.demo import populate_example

    zone_name, region = request.param
    zone = zone_named(zone_name)
    fake_clock.set(at(date(2026, 11, 25), 12, zone=zone))
    populate_example(fresh_db, today=date(2026, 11, 25), time_zone=zone_name,
                     now=fake_clock.now())
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: None, zone=lambda: zone)
    team = CareTeam(CareTeamRepository(fresh_db), region=region)
    return PrintService(book, PatientRepository(fresh_db), clock=fake_clock, care_team=team)


def _days(texts: list[str], first: date, count: int) -> list[str]:
    """The text of each day's sheets (its pages) of a several-day checklist."""
    days = [first + timedelta(days=i) for i in range(count)]
    return ["\n".join(t for t in texts if long_date_of(d) in t) for d in days]


@pytest.mark.parametrize("paper", list(Paper))
def test_the_example_household_day_is_one_sheet_front_and_back(example, paper, tmp_path):
    """Doses and how to give them on the front; the as-needed log, who signs and the
    notes at most on the back: each day on its own sheet."""
    path = tmp_path / "day.pdf"
    today = example.today()
    pages = example.save_pdf("checklist", today, path, days=2, paper=paper)
    texts = pdf_pages(path)
    assert pages == len(texts) == 4
    assert long_date_of(today + timedelta(days=1)) in texts[2]  # the next day's front
    for text in _days(texts, today, 2):
        flat = squash(text)
        for expected in ("Doses to give", "How to give", "As needed (PRN)", "As-needed log",
                         "Initials: AH = Ana Helper, TE = Tom Example", "R = refused",
                         "Who signs this record", "Notes", "never for someone else",
                         "Prescriber: Dr. Ada Lee (all)"):
            assert squash(expected) in flat, expected
        # Each medicine's own instructions once, whole (edaravone's ran past 320 characters
        # and was cut); under the dose rows only short flags.
        for whole in ("Measure only with the oral syringe that comes with it.",
                      "Never stop it suddenly: the care team lowers it slowly when stopping.",
                      "One tablet every 12 hours."):
            assert flat.count(squash(whole)) == 1, whole
        assert "seemedicinelist" not in flat
        assert flat.count("Step2of2") == 3  # each baclofen dose says which step it is
        assert "nofoodfrom06:00to09:00" in flat  # riluzole's food rule as clock times
        assert squash("Bottle opened 21 Nov · discard after") in flat  # edaravone's bottle


def test_a_day_that_needs_a_third_page_says_so_in_the_footer(example, tmp_path):
    """Each day starts its own page and its footer says which of its sheets it is."""
    path = tmp_path / "week.pdf"
    today = example.today()
    pages = example.save_pdf("checklist", today, path, days=3, paper=Paper.LETTER)
    texts = pdf_pages(path)
    assert pages == len(texts) <= 7
    for offset in range(3):
        day = today + timedelta(days=offset)
        label = f"{day:%a} {day.day} {day:%b}"
        sheets = [t for t in texts if long_date_of(day) in t]
        assert 1 <= len(sheets) <= 3
        assert "Doses to give" in sheets[0] and "(continued)" not in sheets[0].split("\n")[0]
        for n, text in enumerate(sheets, start=1):
            assert f"{label} · sheet {n} of {len(sheets)} · page {texts.index(text) + 1} " \
                   f"of {pages}" in text


def long_date_of(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@pytest.mark.parametrize("paper", list(Paper))
def test_the_example_household_week_the_grid_then_the_as_needed_log(example, paper, tmp_path):
    """The grid, who signs and the notes; then a page for the week's as-needed log, with
    a row for each dose its limits allow (3 a day: 21, in two halves side by side)."""
    path = tmp_path / "week.pdf"
    assert example.save_pdf("week", example.today(), path, paper=paper) == 3
    texts = pdf_pages(path)
    for expected in ("Doses due", "R = refused", "Prescriber: Dr. Ada Lee (all)"):
        assert expected in texts[0], expected
    for expected in ("Who signs this record", "Ana Helper", "Notes"):
        assert expected in "\n".join(texts[:2]), expected
    for expected in ("As needed (PRN)", "As-needed log: glycopyrrolate 1 mg"):
        assert expected in texts[2], expected
    document = example.document("week")
    log = next(b for b in document.sections[0].blocks
               if getattr(b, "title", "").startswith("As-needed log"))
    assert len(log.rows) * 2 >= 21 and len(log.columns) == 12  # two halves of 6 columns


def test_the_example_medicine_list_is_one_page_with_its_disclaimer(example, tmp_path):
    path = tmp_path / "medlist.pdf"
    assert example.save_pdf("medlist", None, path, paper=Paper.LETTER) == 1
    [text] = pdf_pages(path)
    flat = squash(text)
    assert squash("including vitamins and remedies bought without a prescription") in flat
    # Baclofen's dose step in force and in readable dates; the step before it is history.
    assert squash("2 tablets at 08:00, 14:00 and 20:00 since 22 Nov 2026") in flat
    assert not re.search(r"20\d\d-\d\d-\d\d", text) and "1 tablet at 08:00, 14:00" not in text
    document = example.document("medlist")
    rows = {r.cells[0].text: r for r in document.sections[0].blocks[1].rows}
    today = example.today()
    # the real start of medicines begun before they were entered in the app
    assert rows["riluzole (Rilutek)"].cells[5].text == \
        f"{(today - timedelta(days=120)).day} {today - timedelta(days=120):%b %Y}"
    # edaravone: the cycle it is in now (cycle 3, one dose delayed), not cycle 1
    edaravone = rows["edaravone (Radicava ORS)"].cells[2].text
    assert edaravone.startswith("Cycle 3: 10 doses, 20 Nov to 30 Nov 2026; cycle 4 from")
    # tofersen: the date of the next clinic dose
    assert re.search(r"Next: \d+ \w{3} 2026 \(loading 3 of 3\)",
                     rows["tofersen (Qalsody)"].cells[2].text)


@pytest.mark.parametrize("paper", list(Paper))
def test_the_example_emergency_sheet_is_one_page_from_the_records(example, paper, tmp_path):
    path = tmp_path / "emergency.pdf"
    assert example.save_pdf("emergency", None, path, paper=paper) == 1
    [text] = pdf_pages(path)
    flat = squash(text)
    us = example.region() == "US"
    for expected in ("Emergency information", "ALLERGIES: Penicillin (hives); Latex (rash)",
                     "In an emergency, call 911" if us else "your emergency number",
                     "Diagnosis: ALS caused by a SOD1 gene change",
                     "How they communicate: Speaks slowly",
                     "Breathing support and NIV (BiPAP) settings", "full-face mask",
                     "Advance decisions", "Does not want a tracheostomy",
                     "Medicines", "riluzole (Rilutek)", "Last given",
                     "edaravone (Radicava ORS)", "Cycle 3:", "Next:", "tofersen (Qalsody)",
                     "Care team to call", "Lakeside clinic after-hours line",
                     "Rosa Martinez, RN", "Take to the hospital"):
        assert squash(expected) in flat, expected
    assert "born 12 Apr" in text


def test_the_example_care_team_sheet(example, tmp_path):
    path = tmp_path / "team.pdf"
    pages = example.save_pdf("careteam", None, path, paper=Paper.LETTER)
    texts = pdf_pages(path)
    assert pages == len(texts) <= 2
    flat = squash("\n".join(texts))
    us = example.region() == "US"
    assert squash("In an emergency, call 911 first" if us else
                  "In an emergency, call your emergency number first") in squash(texts[0])
    assert "for the ambulance" in texts[0]
    assert "(notaphone)" in flat  # faxes are marked
    # A role the name already says is not repeated.
    assert "(example)(Pharmacy)" not in flat and "line(Clinicafter-hoursline)" not in flat
    document = example.document("careteam")
    rows = [r for b in document.sections[0].blocks if getattr(b, "rows", None) for r in b.rows]
    for row in rows:
        assert "Fax" not in [label for label, _ in row.cells[1].labelled]  # not with calls
    assert any("Fax" in row.cells[1].after for row in rows)


def test_a_skipped_dose_shows_its_note_and_who_recorded_it(home, tmp_path):
    riluzole = _add(home, DailyRegimen(D0, (T8, T20)))
    home.book.record_skipped(riluzole.id, _key(8), SkipReason.REFUSED,
                             note="Felt sick; will try the next dose.")
    path = tmp_path / "skip.pdf"
    home.service.save_pdf("checklist", D0, path)
    [page] = pdf_pages(path)
    assert squash("Not given: Felt sick; will try the next dose.") in squash(page)
    week = home.service.document("week", D0).sections[0].blocks[0]
    cell = week.rows[0].cells[2]
    assert (cell.text, cell.bold) == ("R TE", True)  # the code and who recorded it


def test_weekly_grid_says_the_day_a_dose_was_given_when_it_was_not_its_own(home):
    riluzole = _add(home, DailyRegimen(D0, (T20,)))
    home.clock.set(at(D0 + timedelta(days=1), 12))
    home.book.record_given(riluzole.id, _key(20), given_at=at(D0 + timedelta(days=1), 1, 15))
    cell = home.service.document("week", D0).sections[0].blocks[0].rows[0].cells[2]
    assert cell.text == "TE 01:15" and cell.sub.startswith("on 6 Jan")


def test_sheets_printed_before_an_allergy_was_added_show_an_older_version(home):
    _add(home)
    before = home.service.document("checklist", D0).stamp
    patient = home.patients.get()
    home.patients.save(replace(patient, allergies=(*patient.allergies, Allergy("Latex"))))
    after = home.service.document("checklist", D0).stamp
    assert before != after and "regimen version" in after


def test_allergies_print_larger_than_medicine_names():
    from caregiver_app.services.printing import renderer

    assert renderer.ALERT_PT > renderer.BODY_PT  # medicine names: body size, bold
