from __future__ import annotations

from caregiver_app import app
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.ui.welcome import WelcomeChoice, WelcomeDialog


def test_welcome_offers_set_up_and_example(qtbot):
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    assert dialog.set_up_button.accessibleName() or dialog.set_up_button.text()
    dialog.example_button.click()
    assert dialog.choice is WelcomeChoice.EXAMPLE


def _saved(kwargs, value):
    """What the dialog does on OK: save, then return what was typed."""
    kwargs["save"](value)
    return value


def test_set_up_walks_through_profile_then_caregivers(ctx, monkeypatch):
    monkeypatch.setattr("caregiver_app.ui.welcome.WelcomeDialog.ask",
                        lambda: WelcomeChoice.SET_UP)
    monkeypatch.setattr(
        "caregiver_app.ui.profile.patient_dialog.PatientDialog.ask",
        lambda *a, **k: _saved(k, Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                          time_zone="Europe/London")))
    monkeypatch.setattr("caregiver_app.ui.profile.caregivers_dialog.CaregiversDialog.ask",
                        lambda *a, **k: k["save"]([Caregiver("Tom Doe", "TD")]))
    assert app.first_run(ctx) is WelcomeChoice.SET_UP
    assert ctx.patients.get().full_name == "Jane Doe"
    assert [c.initials for c in ctx.patients.caregivers()] == ["TD"]
    # the only caregiver is put on duty straight away
    assert ctx.session.on_duty.initials == "TD"


def test_closing_welcome_saves_nothing(ctx, monkeypatch):
    monkeypatch.setattr("caregiver_app.ui.welcome.WelcomeDialog.ask", lambda: None)
    assert app.first_run(ctx) is None
    assert ctx.patients.get() is None
