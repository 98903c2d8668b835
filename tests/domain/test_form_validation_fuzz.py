"""Every form's validation, fed random and malformed input: it either accepts a tidy value
or raises ValidationError naming fields with plain messages. It never crashes."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.appointments import Appointment, validate_appointment
from caregiver_app.domain.contacts import Contact, Role, validate_contact
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.medicines import (
    Medicine,
    MedicineVersion,
    SupplySettings,
    validate_medicine,
    validate_supply,
)
from caregiver_app.domain.patient import (
    Allergy,
    AllergyStatus,
    Caregiver,
    Patient,
    WeightUnit,
    validate_caregiver,
    validate_patient,
)
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CyclePhase,
    CycleRegimen,
    DailyRegimen,
    DoseStep,
    IntervalRegimen,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
    validate_regimen,
)
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind, Form, Route

nasty_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
small_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1))
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**9, 10**9))
times = st.lists(st.times(), max_size=5).map(tuple)


def _check(validate, value):
    try:
        validate(value)
    except ValidationError as exc:
        assert exc.errors, "a refusal must say what is wrong"
        for field, message in exc.errors.items():
            assert isinstance(field, str) and field
            assert isinstance(message, str) and message.strip()


@given(st.builds(
    Patient, full_name=nasty_text, date_of_birth=st.none() | dates,
    allergy_status=st.sampled_from(AllergyStatus),
    allergies=st.lists(st.builds(Allergy, nasty_text, nasty_text), max_size=4).map(tuple),
    weight=st.none() | numbers, weight_unit=st.sampled_from(WeightUnit), notes=nasty_text))
def test_patient_form(patient):
    _check(lambda p: validate_patient(p, today=date(2026, 11, 25)), patient)


@given(st.builds(Caregiver, name=nasty_text, initials=nasty_text),
       st.lists(st.builds(Caregiver, name=nasty_text, initials=nasty_text, id=st.integers())))
def test_caregiver_form(caregiver, others):
    _check(lambda c: validate_caregiver(c, others=others), caregiver)


@settings(max_examples=150)
@given(st.builds(
    Contact, name=nasty_text, role=st.sampled_from(Role), role_other=nasty_text,
    organisation=nasty_text,
    phones=st.lists(st.builds(Phone, st.sampled_from(PhoneKind), nasty_text, nasty_text),
                    max_size=3).map(tuple),
    email=nasty_text, address=nasty_text, portal_url=nasty_text, office_hours=nasty_text,
    notes=nasty_text), st.sampled_from(["US", "GB", "DE", None]))
def test_contact_form(contact, region):
    _check(lambda c: validate_contact(c, region=region), contact)


@given(st.builds(
    Appointment, starts_at=st.datetimes(timezones=st.just(UTC)), purpose=nasty_text,
    duration_minutes=st.integers(-10**6, 10**6), time_zone=nasty_text, place=nasty_text,
    questions=nasty_text, outcome=nasty_text))
def test_appointment_form(appointment):
    _check(validate_appointment, appointment)


regimens = st.one_of(
    st.builds(DailyRegimen, start=small_dates, times=times, end=st.none() | small_dates),
    st.builds(WeekdaysRegimen, start=small_dates,
              weekdays=st.frozensets(st.integers(-2, 9), max_size=8), times=times),
    st.builds(IntervalRegimen, start=small_dates, every=st.integers(-5, 400), times=times),
    st.builds(CycleRegimen, start=small_dates, times=times,
              first=st.builds(CyclePhase, st.integers(-3, 40), st.integers(-3, 40),
                              st.integers(-3, 60)),
              later=st.builds(CyclePhase, st.integers(-3, 40), st.integers(-3, 40),
                              st.integers(-3, 60))),
    st.builds(LoadingRegimen, start=small_dates, time=st.times(),
              loading_doses=st.integers(-3, 20)),
    st.builds(AsNeededRegimen, start=small_dates,
              min_interval=st.timedeltas(timedelta(hours=-5), timedelta(days=3)),
              max_per_24h=st.none() | st.integers(-3, 50)),
    st.builds(StepsRegimen, steps=st.lists(st.builds(
        DoseStep, start=small_dates, dose=st.builds(Dose, st.floats(-5, 1e6), nasty_text),
        times=times), max_size=4).map(tuple)),
)


@settings(max_examples=200)
@given(regimens)
def test_regimen_form(regimen):
    _check(validate_regimen, regimen)


@settings(max_examples=150)
@given(st.builds(
    Medicine, generic_name=nasty_text, start_date=small_dates, brand_name=nasty_text,
    purpose=nasty_text, instructions=nasty_text,
    food_rule=st.builds(FoodRule, st.sampled_from(FoodRuleKind), st.integers(-100, 10**5),
                        st.integers(-100, 10**5)),
    end_date=st.none() | small_dates,
    versions=st.lists(st.builds(
        MedicineVersion, valid_from=small_dates, strength=nasty_text,
        form=st.sampled_from(Form), route=st.sampled_from(Route),
        dose=st.builds(Dose, st.floats(allow_nan=True), nasty_text), regimen=regimens),
        max_size=3).map(tuple)))
def test_medicine_form(medicine):
    _check(validate_medicine, medicine)


@given(st.builds(SupplySettings, unit=nasty_text, per_dose=st.none() | st.floats(),
                 reorder_days=st.integers(-10**6, 10**6), opened_on=st.none() | dates,
                 discard_by=st.none() | dates))
def test_supply_form(supply):
    _check(validate_supply, supply)


def test_the_fuzzers_can_fail():
    """A sanity check that refusals are seen: an empty name is always refused."""
    try:
        validate_patient(Patient(""), today=date(2026, 11, 25))
    except ValidationError as exc:
        assert "full_name" in exc.errors
    else:
        raise AssertionError("an empty patient name was accepted")
