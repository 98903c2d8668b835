"""The sheets' words, without Qt: allergies, doses, instructions, paper, table shape."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from medicine_builders import D0, NEW_YORK, T8, medicine, version

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
