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
    with qtbot.waitSignal(ctx.changes.changed, timeout=2000,
                          check_params_cb=lambda changes: bool(changes.appointments)):
        ctx.medications.record_given(int(medicine_id), key, caregiver_id=None)
    moved = _clinic_appointments(ctx)[0]
    assert moved.source_key == second.source_key
    assert moved.starts_at == second.starts_at + timedelta(days=2)
    assert moved.transport == "Wheelchair taxi booked"


def test_home_medicines_make_no_appointments(ctx):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.clinic_visits.sync()
    assert all("riluzole" not in a.purpose for a in _clinic_appointments(ctx))


def _next_visit(ctx):
    now = ctx.clock.now()
    return next(a for a in _clinic_appointments(ctx) if a.starts_at > now)


def test_a_clinic_visit_is_at_the_prescriber_s_clinic(ctx):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.clinic_visits.sync()
    visit = _next_visit(ctx)
    prescriber = ctx.careteam.contact(visit.contact_id)
    assert visit.place == f"{prescriber.organisation}\n{prescriber.address}"


def test_the_caregiver_s_edit_of_a_clinic_visit_survives_the_next_sync(ctx, qtbot):
    """Through the dialog, as the caregiver does it: the schedule's fields are read-only,
    the caregiver's own ones are kept when the medicine schedule plans again."""
    from caregiver_app.ui.careteam.appointment_dialog import AppointmentDialog

    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.clinic_visits.sync()
    visit = _next_visit(ctx)
    dialog = AppointmentDialog(visit, contacts=ctx.careteam.contacts(),
                               time_zone="America/Chicago", now=ctx.clock.now())
    qtbot.addWidget(dialog)
    assert dialog.time_edit.isReadOnly() and dialog.date_edit.isReadOnly()
    assert not dialog.contact_combo.isEnabled() and not dialog.purpose_combo.isEnabled()
    dialog.place_edit.setPlainText("Infusion suite, 2nd floor")
    dialog.transport_edit.setPlainText("Wheelchair taxi at 7:30")
    dialog.questions_edit.setPlainText("Can the headache medicine be taken before?")
    assert dialog.try_accept()
    ctx.careteam.save_appointment(dialog.result_value())
    ctx.clinic_visits.sync()  # what any medicine change does, and start-up after 1 s
    after = ctx.careteam.appointment(visit.id)
    assert (after.starts_at, after.purpose, after.contact_id) == (
        visit.starts_at, visit.purpose, visit.contact_id)
    assert after.place == "Infusion suite, 2nd floor"
    assert after.transport == "Wheelchair taxi at 7:30"
    assert after.questions == "Can the headache medicine be taken before?"


def test_a_removed_clinic_visit_does_not_come_back(ctx):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.clinic_visits.sync()
    visit = _next_visit(ctx)
    ctx.careteam.remove_appointment(visit.id)
    ctx.clinic_visits.sync()
    assert visit.id not in [a.id for a in _clinic_appointments(ctx)]
    assert ctx.careteam.appointment(visit.id).archived


def test_a_clinic_dose_given_early_keeps_its_visit_for_the_outcome(ctx, qtbot, fake_clock):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.clinic_visits.sync()
    visit = _next_visit(ctx)
    medicine_id, key = visit.source_key.split(":", 1)
    fake_clock.set(visit.starts_at - timedelta(days=1))  # the clinic gave it a day early
    ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)
    with qtbot.waitSignal(ctx.changes.changed, timeout=2000,
                          check_params_cb=lambda changes: bool(changes.appointments)):
        ctx.medications.record_given(int(medicine_id), key, caregiver_id=None)
    kept = ctx.careteam.appointment(visit.id)
    assert not kept.archived
    assert kept.starts_at == fake_clock.now()  # when it was given
    fake_clock.advance(hours=2)
    assert kept.is_past(fake_clock.now())
    assert visit.id in [a.id for a in ctx.careteam.appointments()]  # the Past view's list
