"""Links between the tabs: articles, the care team and Today lead to the medicine."""

from __future__ import annotations

import pytest

from caregiver_app.services.demo import populate_example


@pytest.fixture
def household(ctx):
    populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
    ctx.core.announce_all()
    return ctx


def _medicine(ctx, reference_id):
    return next(m for m in ctx.medications.medicines() if m.reference_id == reference_id)


def _selected(window):
    return window.show_tab("medications").current_medicine_id()


def test_medicine_link_in_an_article_opens_the_patients_medicine(household):
    window = household.window
    learn = window.tabs.widget(3)
    learn.medicine_link_activated.emit("riluzole")
    assert window.current_tab_key() == "medications"
    assert _selected(window) == _medicine(household, "riluzole").id


def test_medicine_not_on_the_list_says_so(household):
    window = household.window
    learn = window.show_tab("learn")
    learn.ensure_loaded()
    learn.medicine_link_activated.emit("quinine")
    assert "not on the patient's medicine list" in window.statusBar().currentMessage()
    assert window.current_tab_key() == "learn"


def test_care_team_page_leads_to_the_prescribed_medicine(household):
    window = household.window
    care_team = window.show_tab("care_team")
    tofersen = _medicine(household, "tofersen")
    care_team.medicine_requested.emit(tofersen.id)
    assert window.current_tab_key() == "medications"
    assert _selected(window) == tofersen.id
