"""Clinic-given doses show as care-team appointments and follow the schedule."""

from __future__ import annotations

from datetime import timedelta

from caregiver_app.domain.appointments import AppointmentSource
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.services.demo import populate_example


def _clinic_appointments(ctx):
    now = ctx.clock.now()
    return [a for a in ctx.careteam.upcoming(now, now + timedelta(days=200))
            if a.source is AppointmentSource.REGIMEN]


def test_tofersen_doses_become_appointments_with_their_phase(ctx):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    assert ctx.clinic_visits.sync() > 0
    visits = _clinic_appointments(ctx)
    assert visits, "the example's tofersen doses should be planned as clinic visits"
    assert all("tofersen" in v.purpose for v in visits)
    assert {v.series_label for v in visits} & {"loading 3 of 3", "maintenance"}
    tofersen = next(m for m in ctx.medications.medicines() if m.given_by is GivenBy.CLINIC)
    assert all(v.contact_id == tofersen.prescriber_id for v in visits)


def test_giving_a_clinic_dose_late_moves_the_next_visit(ctx, qtbot, fake_clock):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.clinic_visits.sync()
    first = _clinic_appointments(ctx)[0]
    medicine_id, key = first.source_key.split(":", 1)
    fake_clock.set(first.starts_at + timedelta(days=2))
    # the caregiver's notes on the next visit survive the re-plan
    second = _clinic_appointments(ctx)[0]
    from dataclasses import replace
    ctx.careteam.save_appointment(replace(second, transport="Wheelchair taxi booked"))
    ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)
    with qtbot.waitSignal(ctx.careteam.appointments_changed, timeout=2000):
        ctx.medications.record_given(int(medicine_id), key, caregiver_id=None)
    moved = _clinic_appointments(ctx)[0]
    assert moved.source_key == second.source_key
    assert moved.starts_at == second.starts_at + timedelta(days=2)
    assert moved.transport == "Wheelchair taxi booked"


def test_home_medicines_make_no_appointments(ctx):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.clinic_visits.sync()
    assert all("riluzole" not in a.purpose for a in _clinic_appointments(ctx))
