"""The sheets' words, without Qt: allergies, doses, instructions, paper, table shape."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from medicine_builders import D0, NEW_YORK, T8, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.localtime import day_bounds
from caregiver_app.domain.paper import Cell, Column, Paper, Row, Table, default_paper
from caregiver_app.domain.patient import Allergy, AllergyStatus, Patient
from caregiver_app.domain.printouts import (
    allergy_line,
    dose_and_form,
    instructions,
    regimen_version,
    skip_codes_text,
)
from caregiver_app.domain.regimens import CycleShift, DailyRegimen
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, Route, SkipReason


@pytest.mark.parametrize("patient, expected", [
    (None, "ALLERGIES NOT RECORDED: ask before giving any medicine"),
    (Patient("A", allergy_status=AllergyStatus.NOT_RECORDED),
     "ALLERGIES NOT RECORDED: ask before giving any medicine"),
    (Patient("A", allergy_status=AllergyStatus.NONE_KNOWN), "No known allergies"),
    (Patient("A", allergy_status=AllergyStatus.HAS_ALLERGIES,
             allergies=(Allergy("Penicillin", "hives"), Allergy("Latex"))),
     "ALLERGIES: Penicillin (hives); Latex"),
])
def test_allergy_line_is_never_blank(patient, expected):
    assert allergy_line(patient) == expected


def test_dose_and_form_does_not_repeat_the_form():
    assert dose_and_form(Dose(2, "tablet"), Form.TABLET) == "2 tablets"
    assert dose_and_form(Dose(5, "mL"), Form.LIQUID) == "5 mL\nliquid / oral suspension"


def test_instructions_put_safety_first_and_can_be_shortened():
    med = medicine(food_rule=FoodRule(FoodRuleKind.EMPTY_STOMACH, 60, 120),
                   instructions="Shake well. " * 40,
                   versions=(version(do_not_crush=True, flush_ml=30,
                                     route=Route.FEEDING_TUBE),))
    text = instructions(med, med.versions[0], label="cycle 2, day 3 of 10")
    assert text.startswith("Cycle 2, day 3 of 10. DO NOT CRUSH. Flush the tube with 30 mL")
    assert "Empty stomach: at least 1 hour before or at least 2 hours after food" in text
    short = instructions(med, med.versions[0], limit=120)
    assert len(short) < 160 and short.endswith("… (see the medicine list)")


def test_skip_codes_key_lists_every_reason():
    text = skip_codes_text()
    assert all(f"{r.code} = {r.label}" in text for r in SkipReason)


@pytest.mark.parametrize("territory, paper", [
    ("US", Paper.LETTER), ("ca", Paper.LETTER), ("GB", Paper.A4), ("DE", Paper.A4),
    ("", Paper.A4)])
def test_default_paper_follows_the_territory(territory, paper):
    assert default_paper(territory) is paper


def test_a_row_must_fill_the_columns():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        Table(columns=(Column("a", 1), Column("b", 1), Column("c", 1)),
              rows=(Row(cells=(Cell("x"), Cell("y"))),))


def test_regimen_version_sees_delays_and_pauses_only_of_the_period():
    med = medicine(DailyRegimen(D0, (T8,)))
    start, end = day_bounds(D0, NEW_YORK)[0], day_bounds(D0 + timedelta(days=6), NEW_YORK)[1]
    base = regimen_version([med], start, end)
    assert regimen_version([med], start, end) == base and len(base) == 6
    shifted = medicine(DailyRegimen(D0, (T8,)), cycle_shifts=(CycleShift(D0, 1),))
    assert regimen_version([shifted], start, end) != base
    later = medicine(DailyRegimen(D0, (T8,)), versions=(
        version(DailyRegimen(D0, (T8,))),
        version(DailyRegimen(D0, (T8,)), valid_from=date(2026, 6, 1), dose=Dose(2, "tablet"))))
    assert regimen_version([later], start, end) == base


# ---- Flags, "How to give", schedules in words, allergies in the version


def test_food_rule_as_clock_times_of_the_dose():
    from caregiver_app.domain.printouts import food_times

    riluzole = FoodRule(FoodRuleKind.EMPTY_STOMACH, 60, 120)  # 1 h before or 2 h after food
    edaravone = FoodRule(FoodRuleKind.FASTING, 480, 60)  # nothing 8 h before, 1 h after
    assert food_times(riluzole, at(D0, 8), NEW_YORK) == "no food from 06:00 to 09:00"
    assert food_times(edaravone, at(D0, 7), NEW_YORK) == (
        "no food from 23:00 the day before to 08:00")
    assert food_times(FoodRule(FoodRuleKind.WITH_FOOD), at(D0, 8), NEW_YORK) == (
        "give with food")
    assert food_times(FoodRule(), at(D0, 8), NEW_YORK) == ""


def test_dose_flags_are_short_and_the_own_instructions_go_once_to_how_to_give():
    from caregiver_app.domain.printouts import dose_flags, own_instructions

    long_note = ("Morning, after the overnight fast. Wait 8 h after a high-fat meal, 4 h after "
                 "a low-fat meal, 2 h after a calorie drink; only water for 1 h after the dose.")
    own = ("Shake the bottle hard, upside down, for at least 30 seconds. Measure only with "
           "the oral syringe that comes with it.")
    med = medicine(food_rule=FoodRule(FoodRuleKind.FASTING, 480, 60, long_note),
                   instructions=own,
                   versions=(version(do_not_crush=True, flush_ml=30,
                                     route=Route.FEEDING_TUBE),))
    occ = SimpleNamespace(label="cycle 3, day 5 of 10", version=med.versions[0],
                          due=at(D0, 7))
    status = SimpleNamespace(occurrence=occ, medicine=med, state=None, effective=None)
    flags = dose_flags(status, NEW_YORK)
    assert flags == ("Cycle 3, day 5 of 10 · DO NOT CRUSH · flush 30 mL before and after · "
                     "no food from 23:00 the day before to 08:00")
    assert "Shake" not in flags and "overnight" not in flags
    text = own_instructions(med)  # whole: no cut at 320 characters any more
    assert text == f"{long_note[:-1]}. {own}" and len(text) > 250
    assert text.endswith("comes with it.")


def test_skipped_dose_flags_carry_the_note():
    from caregiver_app.domain.doses import DoseState
    from caregiver_app.domain.printouts import dose_flags

    med = medicine()
    occ = SimpleNamespace(label="", version=med.versions[0], due=at(D0, 8))
    entry = SimpleNamespace(note="Felt sick;  will try the next dose.")
    status = SimpleNamespace(occurrence=occ, medicine=med, state=DoseState.SKIPPED,
                             effective=entry)
    assert dose_flags(status, NEW_YORK) == "Not given: Felt sick; will try the next dose."


def test_medicine_list_schedule_shows_only_current_and_future_steps_in_readable_dates():
    from caregiver_app.domain.printouts import schedule_text
    from caregiver_app.domain.regimens import DoseStep, StepsRegimen

    steps = StepsRegimen((
        DoseStep(date(2026, 11, 21), Dose(1, "tablet"), (T8,), date(2026, 11, 27)),
        DoseStep(date(2026, 11, 28), Dose(2, "tablet"), (T8,), date(2026, 12, 20)),
        DoseStep(date(2026, 12, 21), Dose(3, "tablet"), (T8,)),
    ))
    text = schedule_text(steps, date(2026, 12, 1))
    assert text == ("2 tablets at 08:00 since 28 Nov 2026 until 20 Dec 2026; then 3 tablets "
                    "at 08:00 from 21 Dec 2026")
    assert "2026-" not in text and "1 tablet " not in text  # no ISO dates, no past step
    assert schedule_text(steps, date(2026, 11, 22)).startswith(
        "1 tablet at 08:00 until 27 Nov 2026; then 2 tablets at 08:00 from 28 Nov 2026")
    assert schedule_text(DailyRegimen(D0, (T8,)), D0) == "Every day at 08:00"


def test_regimen_version_changes_when_the_allergies_change():
    med = medicine(DailyRegimen(D0, (T8,)))
    start, end = day_bounds(D0, NEW_YORK)
    none_known = regimen_version([med], start, end, allergies="No known allergies")
    penicillin = regimen_version([med], start, end, allergies="ALLERGIES: Penicillin (hives)")
    assert none_known != penicillin
    assert regimen_version([med], start, end, allergies="ALLERGIES: Penicillin  (hives)") == (
        penicillin)  # spacing alone does not date a sheet


def test_initials_line_names_who_signs():
    from caregiver_app.domain.patient import Caregiver
    from caregiver_app.domain.printouts import PrintContext, initials_line

    people = {1: Caregiver("Tom Example", "TE", id=1), 2: Caregiver("Ana Helper", "AH", id=2),
              3: Caregiver("Gone Away", "GA", id=3, active=False)}
    context = PrintContext(None, NEW_YORK, at(D0, 12), caregivers=people)
    assert initials_line(context) == "Initials: AH = Ana Helper, TE = Tom Example"
    assert "____" in initials_line(PrintContext(None, NEW_YORK, at(D0, 12)))


@pytest.mark.parametrize("region, expected", [
    ("US", "911"), ("ca", "911"), ("GB", "999"), ("DE", "112"), ("FR", "112"),
    ("AU", "000"), ("ZZ", None), (None, None), ("", None)])
def test_emergency_number_follows_the_phone_region(region, expected):
    from caregiver_app.domain.careteam_sheet import emergency_number
    from caregiver_app.domain.printouts import PrintContext, emergency_text

    assert emergency_number(region) == expected
    text = emergency_text(PrintContext(None, NEW_YORK, at(D0, 12), region=region))
    assert text == (expected or "your emergency number")


def test_the_emergency_sheet_leaves_lines_for_what_is_not_recorded():
    """No profile, no care team: a form to fill in by hand, never blank boxes that look
    complete."""
    from caregiver_app.domain.paper import Entries, Paragraph, Table, WritingLines
    from caregiver_app.domain.printouts import PrintContext, emergency_sheet

    context = PrintContext(None, NEW_YORK, at(D0, 12))
    document = emergency_sheet([], context)
    [section] = document.sections
    assert "born" in section.header.patient and "____" in section.header.patient
    assert section.header.allergies.startswith("ALLERGIES NOT RECORDED")
    blocks = section.blocks
    assert isinstance(blocks[0], Paragraph) and "your emergency number" in blocks[0].text
    lines = [b.title for b in blocks if isinstance(b, WritingLines)]
    assert lines == ["Diagnosis", "How they communicate",
                     "Breathing support and NIV (BiPAP) settings",
                     "Advance decisions (what they want, where the papers are, who decides)",
                     "Care team: neurologist, ALS clinic, after hours"]
    [table] = [b for b in blocks if isinstance(b, Table)]
    assert len(table.rows) == 5 and not any(c.text for r in table.rows for c in r.cells)
    assert table.columns[-1].title == "Last given"
    about = next(b for b in blocks if isinstance(b, Entries))
    assert about.title == "About the patient"


def test_the_emergency_sheet_prints_each_typed_point_and_leaves_stopped_medicines_out():
    from datetime import datetime

    from caregiver_app.domain.medicines import StatusChange
    from caregiver_app.domain.paper import Entries, Table
    from caregiver_app.domain.printouts import PrintContext, emergency_sheet
    from caregiver_app.domain.vocab import MedicineStatus

    patient = Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                      diagnosis="ALS, diagnosed 2025", breathing="BiPAP at night\nCough assist",
                      advance_decisions="Advance directive in the red folder")
    stopped = medicine(generic_name="quinine", id=2, status_history=(
        StatusChange(datetime(2026, 1, 1, 12, tzinfo=NEW_YORK), MedicineStatus.STOPPED,
                     "Low sodium"),))
    context = PrintContext(patient, NEW_YORK, at(D0, 12),
                           care_team=("Dr. Ada Lee (Neurologist): office (312) 555-0142",))
    blocks = emergency_sheet([medicine(id=1), stopped], context).sections[0].blocks
    entries = {b.title: b.items for b in blocks if isinstance(b, Entries)}
    assert entries["Breathing support and NIV (BiPAP) settings"] == (
        ("", "BiPAP at night"), ("", "Cough assist"))
    assert ("Diagnosis:", "ALS, diagnosed 2025") in entries["About Jane Doe"]
    assert entries["Care team to call"] == (("Dr. Ada Lee (Neurologist):",
                                             "office (312) 555-0142"),)
    [table] = [b for b in blocks if isinstance(b, Table)]
    assert [r.cells[0].text for r in table.rows] == ["riluzole"]
