"""The household most reminder tests start from: Jane in New York, Tom on duty."""

from __future__ import annotations

from medicine_builders import D0, at

from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient


def jane_with_tom_on_duty(ctx, clock, hour: int = 7) -> Caregiver:
    """Save Jane (New York) and Tom, put Tom on duty as the window would, and set the
    clock to ``hour`` on D0. Returns Tom."""
    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                              time_zone="America/New_York"))
    tom = ctx.session.save_caregivers([Caregiver("Tom Example", "TE")])[0]
    ctx.session.set_on_duty(tom.id)
    clock.set(at(D0, hour))
    return tom
