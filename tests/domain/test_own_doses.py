"""The line above a Learn article: the person's own doses from the records, and who sets them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.medicines import Medicine, MedicineVersion, StatusChange
from caregiver_app.domain.own_doses import (
    OwnDose,
    call_name,
    describe_own_dose,
    learn_line,
    own_doses,
    possessive,
)
from caregiver_app.domain.reference import GivenBy
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    DailyRegimen,
    DoseStep,
    IntervalRegimen,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
)
from caregiver_app.domain.vocab import Form, MedicineStatus, Route

TODAY = date(2026, 12, 6)
NOW = datetime(2026, 12, 6, 15, tzinfo=UTC)
ONE_TABLET = Dose(1, "tablet")


def _medicine(regimen, *, name="riluzole", strength="50 mg", dose=ONE_TABLET,
              reference_id="riluzole", start=TODAY - timedelta(days=30), **kwargs) -> Medicine:
    return Medicine(generic_name=name, reference_id=reference_id, start_date=start,
                    versions=(MedicineVersion(valid_from=start, strength=strength,
                                              form=Form.TABLET, route=Route.ORAL, dose=dose,
                                              regimen=regimen),), **kwargs)


@pytest.mark.parametrize(("full_name", "called"), [
    ("Margaret (Maggie) Example", "Maggie"),
    ("John Smith", "John"),
    ("Cher", "Cher"),
    ("  ", ""),
    ("Ann () Lee", "Ann"),
])
def test_call_name(full_name, called):
    assert call_name(full_name) == called


def test_possessive():
    assert possessive("Maggie") == "Maggie's"
    assert possessive("James") == "James'"
    assert possessive("") == "the patient's"


@pytest.mark.parametrize(("regimen", "text"), [
    (DailyRegimen(start=TODAY, times=(time(8), time(20))),
     "riluzole 50 mg, 1 tablet at 08:00 and 20:00"),
    (WeekdaysRegimen(start=TODAY, weekdays=frozenset({0, 3}), times=(time(9),)),
     "riluzole 50 mg, 1 tablet, on Mon, Thu at 09:00"),
    (IntervalRegimen(start=TODAY, every=2, times=(time(9),)),
     "riluzole 50 mg, 1 tablet, every 2 days at 09:00"),
    (AsNeededRegimen(start=TODAY, min_interval=timedelta(hours=4), max_per_24h=3),
     "riluzole 50 mg, 1 tablet as needed, at least 4 hours apart, no more than 3 in 24 hours"),
])
def test_each_kind_of_schedule_in_plain_words(regimen, text):
    assert describe_own_dose(_medicine(regimen), TODAY) == text


def test_edaravone_cycles_say_the_time_and_the_pattern():
    medicine = _medicine(CycleRegimen(start=TODAY, times=(time(7),)), name="edaravone",
                         strength="105 mg/5 mL", dose=Dose(5, "mL"))
    assert describe_own_dose(medicine, TODAY) == (
        "edaravone 105 mg/5 mL, 5 mL at 07:00 on dose days (cycle 1: daily for 14 days, "
        "then 14 days off; later cycles: on 10 of 14 days, then 14 days off)")


def test_tofersen_is_given_at_the_clinic():
    medicine = _medicine(LoadingRegimen(start=TODAY, time=time(9)), name="tofersen",
                         strength="100 mg/15 mL", dose=Dose(15, "mL"),
                         given_by=GivenBy.CLINIC)
    assert describe_own_dose(medicine, TODAY) == (
        "tofersen 100 mg/15 mL, 15 mL: 3 loading doses 14 days apart, then one every 28 "
        "days, given at the clinic")


def test_steps_show_the_step_in_force_today():
    regimen = StepsRegimen((
        DoseStep(start=TODAY - timedelta(days=10), end=TODAY - timedelta(days=4),
                 dose=Dose(1, "tablet"), times=(time(8), time(20))),
        DoseStep(start=TODAY - timedelta(days=3), end=TODAY + timedelta(days=3),
                 dose=Dose(2, "tablet"), times=(time(8), time(20))),
        DoseStep(start=TODAY + timedelta(days=4), dose=Dose(3, "tablet"), times=(time(8),)),
    ))
    assert describe_own_dose(_medicine(regimen, name="baclofen", strength="5 mg"), TODAY) == (
        "baclofen 5 mg, 2 tablets at 08:00 and 20:00 until 9 Dec 2026, then changing as "
        "planned")


def test_a_medicine_that_has_not_started_says_when_it_starts():
    medicine = _medicine(DailyRegimen(start=TODAY, times=(time(8),)),
                         start=TODAY + timedelta(days=2))
    assert describe_own_dose(medicine, TODAY).endswith("(starts 8 Dec 2026)")


def test_stopped_medicines_are_left_out_and_paused_ones_say_so():
    daily = DailyRegimen(start=TODAY, times=(time(8),))
    stopped = _medicine(daily, id=1, status_history=(
        StatusChange(NOW - timedelta(days=1), MedicineStatus.STOPPED, "done"),))
    paused = _medicine(daily, id=2, name="baclofen", reference_id="baclofen",
                       status_history=(StatusChange(NOW - timedelta(hours=1),
                                                    MedicineStatus.PAUSED, "hospital"),))
    active = _medicine(daily, id=3, prescriber_id=7)
    doses = own_doses([stopped, paused, active], NOW, TODAY,
                      {7: "Dr. Ada Lee"}.get)
    assert [(d.medicine_id, d.reference_id) for d in doses] == [(2, "baclofen"),
                                                                (3, "riluzole")]
    assert doses[0].text.endswith("(paused)")
    assert (doses[0].prescriber, doses[1].prescriber) == ("", "Dr. Ada Lee")


def test_the_line_names_the_person_the_dose_and_the_prescriber():
    doses = [OwnDose("riluzole", "riluzole 50 mg, 1 tablet at 08:00 and 20:00", "Dr. Ada Lee"),
             OwnDose("baclofen", "baclofen 5 mg, 1 tablet at 08:00", "Dr. Ada Lee")]
    line = learn_line("Margaret (Maggie) Example", doses, ["riluzole", "mexiletine"])
    assert line is not None
    assert line.plain_text() == (
        "On Maggie's list: riluzole 50 mg, 1 tablet at 08:00 and 20:00. "
        "Dr. Ada Lee prescribes it: ask them before changing a dose or a time.")


def test_the_line_follows_the_articles_order_and_shows_each_medicine_once():
    doses = [OwnDose("baclofen", "baclofen 5 mg", "Dr. A"),
             OwnDose("riluzole", "riluzole 50 mg", "Dr. B"),
             OwnDose("riluzole", "riluzole 5 mg/mL", "")]
    line = learn_line("", doses, ["riluzole", "baclofen", "riluzole"])
    assert [d.text for d in line.doses] == ["riluzole 50 mg", "riluzole 5 mg/mL",
                                            "baclofen 5 mg"]
    assert line.lead == "On the patient's list:"
    assert line.advice == ("The prescriber (Dr. B or Dr. A) sets the doses and times: ask "
                           "before changing any.")


def test_without_a_recorded_prescriber_the_line_still_points_to_one():
    line = learn_line("John Smith", [OwnDose("riluzole", "riluzole 50 mg")], ["riluzole"])
    assert line.advice == "The prescriber sets the dose and times: ask before changing them."


def test_no_line_when_no_medicine_of_the_article_is_on_the_list():
    assert learn_line("John", [OwnDose("riluzole", "riluzole")], ["quinine"]) is None
    assert learn_line("John", [], ["riluzole"]) is None
