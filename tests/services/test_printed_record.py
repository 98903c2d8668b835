"""The printed sheets as a care-home nurse audits a medication record (issue #14): holds,
changes, prescriber, signatures, stock, past days, the as-needed log, text that never
breaks where it must not, clock changes, searchable words and any script. Each sheet is
written to PDF offscreen and read back with QtPdf (text and where it is on the page)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from medicine_builders import D0, NEW_YORK, T8, T20, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.paper import Paper
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, CycleRegimen, DailyRegimen
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, Route
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.printing import PrintService
from caregiver_app.storage.careteam_repo import CareTeamRepository
from caregiver_app.storage.medications_repo import MedicationRepository
from caregiver_app.storage.patient_repo import PatientRepository


class Pdf:
    """A PDF file's pages: their text, and where a piece of text sits."""

    def __init__(self, path):
        from PySide6.QtPdf import QPdfDocument

        self._doc = QPdfDocument(None)
        assert self._doc.load(str(path)) == QPdfDocument.Error.None_
        self.pages = [self._doc.getAllText(i).text() for i in range(self._doc.pageCount())]

    def box(self, page: int, needle: str, start: int = 0):
        """The rectangle of the first ``needle`` on ``page`` at or after ``start``."""
        index = self.pages[page].index(needle, start)
        return self._doc.getSelectionAtIndex(page, index, len(needle)).boundingRectangle()

    def char_boxes(self, page: int, chars: str):
        return [self._doc.getSelectionAtIndex(page, i, 1).boundingRectangle()
                for i, c in enumerate(self.pages[page]) if c in chars]

    def close(self) -> None:
        self._doc.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def home(fresh_db, fake_clock, qapp):
    patients = PatientRepository(fresh_db)
    patients.save(Patient("Jane Q Public", date(1960, 2, 3), AllergyStatus.NONE_KNOWN,
                          time_zone="America/New_York"))
    saved = patients.save_caregivers([Caregiver("Tom Example", "TE"),
                                      Caregiver("Ana Helper", "AH")])
    fake_clock.set(at(D0, 12))
    duty = SimpleNamespace(id=saved[-1].id)
    book = MedicationBook(MedicationRepository(fresh_db), clock=fake_clock,
                          on_duty=lambda: duty.id, zone=lambda: NEW_YORK)
    team = CareTeam(CareTeamRepository(fresh_db), region="US")
    service = PrintService(book, patients, clock=fake_clock, care_team=team)
    return SimpleNamespace(book=book, patients=patients, service=service, team=team,
                           clock=fake_clock, db=fresh_db)


def _add(home, regimen=None, **kwargs):
    return home.book.add_medicine(medicine(regimen, id=None, **kwargs))


def _pdf(home, tmp_path, kind="checklist", day=D0, **kwargs) -> Pdf:
    path = tmp_path / f"{kind}-{day.isoformat()}.pdf"
    home.service.save_pdf(kind, day, path, **kwargs)
    return Pdf(path)


def _flat(pdf: Pdf) -> str:
    return squash("\n".join(pdf.pages))


# ---- 1. Held, paused and stopped medicines are printed in their place


def test_a_paused_medicine_prints_hold_with_its_dates_and_reason(home, tmp_path):
    start = D0 - timedelta(days=10)
    quinine = _add(home, DailyRegimen(start, (time(22),)), generic_name="quinine",
                   start=start)
    _add(home, DailyRegimen(D0, (T8,)), generic_name="riluzole")
    home.clock.set(at(D0 - timedelta(days=1), 9))
    home.book.pause(quinine.id, "Low sodium: hold until review")
    home.clock.set(at(D0, 12))
    pdf = _pdf(home, tmp_path)
    flat = _flat(pdf)
    assert squash("HOLD (paused) from 4 Jan 2026, until restarted: Low sodium: hold until "
                  "review. Do not give.") in flat
    row = next(r for r in home.service.document("checklist", D0).sections[0].blocks[0].rows
               if "quinine" in r.cells[1].text)
    assert row.cells[0].text == "22:00" and row.cells[4].text == "HOLD"
    assert row.cells[4].shaded and not row.cells[4].box  # nothing to tick
    week = home.service.document("week", D0).sections[0].blocks[0]
    [quinine_row] = [r for r in week.rows if "quinine" in r.cells[0].text]
    assert {c.text for c in quinine_row.cells[2:]} == {"HOLD"}  # not "–" (nothing due)
    assert "Low sodium: hold until review" in quinine_row.detail_lead


def test_a_medicine_stopped_this_week_prints_stopped_then_drops_off(home, tmp_path):
    baclofen = _add(home, DailyRegimen(D0, (T8, T20)), generic_name="baclofen")
    home.clock.set(at(D0 + timedelta(days=2), 12))
    home.book.stop(baclofen.id, "Too drowsy; neurologist stopped it")
    day = D0 + timedelta(days=2)
    text = _flat(_pdf(home, tmp_path, day=day))
    assert squash("STOPPED on 7 Jan 2026: Too drowsy; neurologist stopped it") in text
    [morning, evening] = home.service.document("checklist", day).sections[0].blocks[0].rows
    # the 08:00 dose was due before the stop (and not recorded); the 20:00 one is not
    assert morning.cells[4].text == "MISSED" and evening.cells[4].text == "STOPPED"
    week = home.service.document("week", D0).sections[0].blocks[0]
    cells = [c.text or ("box" if c.box else "") for c in week.rows[1].cells[2:]]
    assert cells[2] == "STOPPED" and set(cells[3:]) == {"STOPPED"}
    much_later = home.service.document("checklist", D0 + timedelta(days=12))
    assert "baclofen" not in str(much_later.sections[0].blocks[0].rows)


def test_a_cycle_day_held_by_a_delay_is_not_a_day_off(home, tmp_path):
    edaravone = _add(home, CycleRegimen(D0, (time(7),)), generic_name="edaravone")
    home.book.shift_cycle(edaravone.id, D0 + timedelta(days=2), 1,
                          reason="Clinic visit ran late")
    week = home.service.document("week", D0).sections[0].blocks[0]
    cells = week.rows[0].cells[2:]
    assert cells[2].text == "HOLD" and cells[2].sub == "delayed" and cells[2].shaded
    assert "HOLD: delayed to 8 Jan 2026: Clinic visit ran late" in week.rows[0].detail_lead
    text = _flat(_pdf(home, tmp_path, day=D0 + timedelta(days=2)))
    assert squash("HOLD: delayed to 8 Jan 2026: Clinic visit ran late. Do not give.") in text


# ---- 2. Changes: NEW, DOSE CHANGED (old → new), LAST DOSE


def test_new_changed_and_last_dose_on_the_daily_and_weekly_sheets(home, tmp_path):
    riluzole = _add(home, DailyRegimen(D0 + timedelta(days=1), (T8, T20)),
                    start=D0 + timedelta(days=1))
    home.book.change_version(riluzole.id, version(
        DailyRegimen(D0 + timedelta(days=1), (T8, T20)), valid_from=D0 + timedelta(days=3),
        dose=Dose(2, "tablet")))
    _add(home, DailyRegimen(D0, (time(9),)), generic_name="cefalexin",
         end_date=D0 + timedelta(days=4))
    first = _flat(_pdf(home, tmp_path, day=D0 + timedelta(days=1)))
    assert first.count(squash("NEW: first day.")) == 2
    changed = _flat(_pdf(home, tmp_path, day=D0 + timedelta(days=3)))
    assert changed.count(squash("DOSE CHANGED: 1 tablet → 2 tablets.")) == 2
    last = _flat(_pdf(home, tmp_path, day=D0 + timedelta(days=4)))
    assert squash("LAST DOSE: the course ends 9 Jan 2026.") in last
    week = home.service.document("week", D0).sections[0].blocks[0]
    rows = {(r.cells[0].text, r.cells[1].text): r for r in week.rows}
    morning = rows[("riluzole", "08:00")]
    assert "NEW Tue 6 Jan: first day" in morning.detail_lead
    assert "DOSE CHANGED Thu 8 Jan: 1 tablet → 2 tablets" in morning.detail_lead
    assert "NEW" in morning.cells[3].sub and "CHANGED" in morning.cells[5].sub
    assert "LAST" in rows[("cefalexin", "09:00")].cells[6].sub


# ---- 3, 4, 5. Prescriber, who signs, the bottle and the stock


def test_prescribers_who_signs_and_the_bottle_are_on_the_sheets(home, tmp_path):
    lee = home.team.save_contact(Contact("Dr. Ada Lee", Role.NEUROLOGIST))
    kim = home.team.save_contact(Contact("Dr. Bo Kim", Role.PRIMARY_CARE))
    _add(home, DailyRegimen(D0, (T8,)), generic_name="riluzole", prescriber_id=lee.id)
    edaravone = _add(home, DailyRegimen(D0, (time(7),)), generic_name="edaravone",
                     prescriber_id=kim.id,
                     versions=(version(DailyRegimen(D0, (time(7),)), form=Form.LIQUID,
                                       route=Route.FEEDING_TUBE, dose=Dose(5, "mL"),
                                       strength="105 mg/5 mL"),))
    home.book.open_bottle(edaravone.id, D0 - timedelta(days=2), D0 + timedelta(days=13))
    flat = _flat(_pdf(home, tmp_path))
    assert squash("Prescribers: Dr. Ada Lee: riluzole · Dr. Bo Kim: edaravone") in flat
    assert squash("edaravone: Bottle opened 3 Jan · discard after 18 Jan.") in flat
    signs = next(b for b in home.service.document("checklist", D0).sections[0].blocks
                 if getattr(b, "title", "") == "Who signs this record")
    people = [c.text for r in signs.rows for c in r.cells[::3]]
    assert people[:2] == ["Ana Helper", "Tom Example"]
    assert people.count("") >= 2  # a visiting nurse, a respite carer
    assert {c.title for c in signs.columns} == {"Name", "Initials", "Signature"}
    week = home.service.document("week", D0).sections[0].blocks[0]
    subs = {r.cells[0].text: r.cells[0].sub for r in week.rows}
    assert "Prescriber: Dr. Bo Kim" in subs["edaravone"]
    assert "Prescriber: Dr. Ada Lee" in subs["riluzole"]


def test_the_reorder_warning_prints_on_the_days_it_applies(home, tmp_path):
    baclofen = _add(home, DailyRegimen(D0, (T8, T20)), generic_name="baclofen",
                    supply=SupplySettings(unit="tablet", reorder_days=3))
    home.book.count_stock(baclofen.id, 12)  # 6 days: runs out on the 7th day
    today = _flat(_pdf(home, tmp_path))
    assert "Reorder" not in today
    later = _flat(_pdf(home, tmp_path, day=D0 + timedelta(days=3)))
    assert squash("baclofen: Reorder: stock runs out about 11 Jan.") in later


# ---- 6, 7. Past days and the date of birth


def test_a_past_dose_nobody_recorded_is_missed_not_an_empty_box(home, tmp_path):
    _add(home, DailyRegimen(D0 - timedelta(days=1), (T8,)), start=D0 - timedelta(days=1))
    past = home.service.document("checklist", D0 - timedelta(days=1))
    [row] = past.sections[0].blocks[0].rows
    assert (row.cells[4].text, row.cells[4].sub, row.cells[4].box) == (
        "MISSED", "not recorded", False)
    assert "MISSED" in _pdf(home, tmp_path, day=D0 - timedelta(days=1)).pages[0]


def test_an_unknown_date_of_birth_is_a_blank_to_fill_in(home, tmp_path):
    home.patients.save(Patient("Jane Q Public", None, AllergyStatus.NONE_KNOWN,
                               time_zone="America/New_York"))
    _add(home)
    header = _pdf(home, tmp_path).pages[0].splitlines()[1]
    assert re.search(r"Jane Q Public · born\s*_{10,}", header), header
    assert "age" not in header


# ---- 8. The as-needed log


def test_the_as_needed_log_never_breaks_a_word_and_has_a_row_for_each_allowed_dose(
        home, tmp_path):
    _add(home, AsNeededRegimen(D0, timedelta(hours=4), 3), generic_name="morphine",
         brand_name="oral solution", purpose="Breathlessness or pain",
         versions=(version(AsNeededRegimen(D0, timedelta(hours=4), 3), form=Form.LIQUID,
                           dose=Dose(2.5, "mL"), strength="10 mg/5 mL"),))
    _add(home, AsNeededRegimen(D0, timedelta(hours=6), 2), generic_name="lorazepam",
         purpose="Anxiety")
    day = home.service.document("checklist", D0).sections[0].blocks
    logs = {b.title: b for b in day if getattr(b, "title", "").startswith("As-needed log")}
    assert {title: len(b.rows) for title, b in logs.items()} == {
        "As-needed log: lorazepam 50 mg": 2 + 1, "As-needed log: morphine (oral solution) "
        "10 mg/5 mL": 3 + 1}  # the limits, and one spare while it fits
    assert all("Medicine" not in [c.title for c in b.columns] for b in logs.values())
    week = home.service.document("week", D0).sections[0].blocks
    morphine = next(b for b in week if getattr(b, "title", "").startswith(
        "As-needed log: morphine"))
    assert len(morphine.rows) * 2 >= 7 * 3
    for paper in Paper:
        for kind in ("checklist", "week"):
            pdf = _pdf(home, tmp_path, kind=kind, paper=paper)
            text = "\n".join(pdf.pages)
            for word in ("Time", "Amount", "Reason or symptom", "Effect (check later)",
                         "Initials", "Signature"):
                pattern = r"\s+".join(re.escape(w) for w in word.split())
                assert re.search(rf"(?<!\w){pattern}(?!\w)", text), (paper, kind, word)
            pdf.close()


# ---- 9, 10. Where lines may break


def test_flags_and_marks_never_run_under_the_due_column(home):
    _add(home, CycleRegimen(D0, (time(7),)), generic_name="edaravone",
         food_rule=FoodRule(FoodRuleKind.FASTING, 480, 60))
    table = home.service.document("checklist", D0).sections[0].blocks[0]
    assert table.columns[0].title == "Due" and table.detail_span[0] >= 1
    assert "no food from 23:00 the day before to 08:00" in table.rows[0].detail


def test_a_number_keeps_its_unit_and_a_short_parenthesis_its_words(home, tmp_path):
    _add(home, DailyRegimen(D0, (time(9),)), generic_name="tofersen", brand_name="Qalsody",
         versions=(version(DailyRegimen(D0, (time(9),)), strength="100 mg/15 mL",
                           route=Route.FEEDING_TUBE, dose=Dose(15, "mL"),
                           form=Form.LIQUID),))
    for paper in Paper:
        pdf = _pdf(home, tmp_path, paper=paper)
        lines = pdf.pages[0].splitlines()
        assert any("100 mg/15 mL" in line for line in lines)
        assert any("(PEG/RIG)" in line for line in lines)
        assert not any(line.rstrip().endswith(("100", "(PEG/")) for line in lines)
        pdf.close()


# ---- 11. The spring-forward night


def test_the_spring_forward_dose_is_the_same_on_both_sheets_and_says_why(home, tmp_path):
    night = date(2027, 3, 14)
    home.clock.set(at(night - timedelta(days=1), 12))
    _add(home, DailyRegimen(night - timedelta(days=1), (time(2, 30),)), generic_name="riluzole",
         start=night - timedelta(days=1))
    [row] = home.service.document("checklist", night).sections[0].blocks[0].rows
    assert (row.cells[0].text, row.cells[0].sub) == ("03:00", "for 02:30")
    why = "Clocks go forward: the 02:30 dose is given at 03:00 (02:30 does not exist tonight)"
    assert why in row.detail_lead
    week = home.service.document("week", night - timedelta(days=1)).sections[0].blocks[0]
    [weekly] = week.rows
    assert weekly.cells[1].text == "02:30" and "at 03:00" in weekly.cells[3].sub
    assert f"Sun 14 Mar: {why}" in weekly.detail_lead
    assert squash(why) in _flat(_pdf(home, tmp_path, day=night))


# ---- 12. Words a search finds


def test_searching_the_pdf_finds_flush_office_and_effect(home, tmp_path):
    _add(home, DailyRegimen(D0, (T8,)), generic_name="baclofen",
         instructions="Ask the office before changing it.",
         versions=(version(DailyRegimen(D0, (T8,)), route=Route.FEEDING_TUBE, flush_ml=30),))
    _add(home, AsNeededRegimen(D0, timedelta(hours=4), 3), generic_name="glycopyrrolate",
         purpose="Drooling")
    text = "\n".join(_pdf(home, tmp_path).pages)
    for word in ("flush", "office", "Effect"):
        assert word in text, word
    assert not re.search("[\ufb00-\ufb06]", text)  # no ligature characters at all


# ---- 13. Any script: each field in its own direction


SCRIPTS = {
    "arabic": ("ريلوزول", "محمد أحمد"),
    "hebrew": ("רילוזול", "דוד כהן"),
    "chinese": ("利鲁唑", "王小明"),
    "japanese": ("リルゾール", "山田花子"),
    "cyrillic": ("рилузол", "Иван Петров"),
}


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_names_in_any_script_keep_their_place_and_their_numbers(home, tmp_path, script):
    name, patient = SCRIPTS[script]
    home.patients.save(Patient(patient, date(1960, 2, 3), AllergyStatus.NONE_KNOWN,
                               time_zone="America/New_York"))
    _add(home, DailyRegimen(D0, (T8,)), generic_name=name,
         versions=(version(DailyRegimen(D0, (T8,)), strength="10 mg"),))
    _add(home, DailyRegimen(D0, (T20,)), generic_name=name,
         versions=(version(DailyRegimen(D0, (T20,)), strength="105 mg/5 mL",
                           form=Form.LIQUID, dose=Dose(5, "mL")),))
    pdf = _pdf(home, tmp_path)
    page = pdf.pages[0]
    letters = set(name) - {" "}
    assert letters <= set(page)  # every letter is printed
    # the strength follows the name on its line, to its right, whole
    for strength in ("10 mg", "105 mg/5 mL"):
        box = pdf.box(0, strength, page.index("Medicine and strength"))
        glyphs = [b for b in pdf.char_boxes(0, letters)
                  if abs(b.bottom() - box.bottom()) < box.height() / 2]
        assert glyphs, strength  # the name is on the same line as its strength
        assert max(b.right() for b in glyphs) <= box.left() + 1, strength
    # the patient's name at the start of the header line, "born" after it
    born = pdf.box(0, "born 3 Feb 1960")
    own = [b for b in pdf.char_boxes(0, set(patient) - {" "})
           if abs(b.bottom() - born.bottom()) < born.height() / 2]
    assert own and max(b.right() for b in own) < born.left()
    pdf.close()


# ---- 14. Room for notes


def test_notes_say_when_there_is_more_room_on_the_back(home, tmp_path):
    for n in range(9):
        _add(home, DailyRegimen(D0, (T8, time(14), T20)), generic_name=f"medicine {n}")
    pages = _pdf(home, tmp_path, paper=Paper.LETTER).pages
    notes = [line for page in pages for line in page.splitlines() if line.startswith("Notes")]
    assert notes, pages[-1]
    assert all(line == "Notes: why not given, side effects" or "on the back" in line
               for line in notes)
