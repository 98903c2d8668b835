"""Every reference entry and form, once the caregiver adds a dose and times, makes a
medicine the engine accepts (the dialog's pre-fill can never be refused by itself)."""

from __future__ import annotations

from datetime import time

import pytest
from medicine_builders import D0

from caregiver_app import paths
from caregiver_app.domain.amount import Dose
from caregiver_app.domain.medicines import Medicine, MedicineVersion, validate_medicine
from caregiver_app.domain.reference import REFERENCE_RESOURCE, load_reference
from caregiver_app.domain.regimens import DailyRegimen

REFERENCE = load_reference(paths.resource(*REFERENCE_RESOURCE))
CASES = [(m.id, i) for m in REFERENCE for i in range(len(m.forms))]


@pytest.mark.parametrize(("entry_id", "form_index"), CASES)
def test_prefill_makes_a_valid_medicine_on_every_route(entry_id, form_index):
    fill = REFERENCE.prefill(entry_id, form_index)
    for route in fill.routes:
        medicine = Medicine(
            generic_name=fill.name, brand_name=fill.brand, start_date=D0,
            purpose=REFERENCE.get(entry_id).purpose, food_rule=fill.food_rule,
            given_by=fill.given_by, reference_id=fill.reference_id,
            versions=(MedicineVersion(
                valid_from=D0, strength=fill.strength, form=fill.form, route=route,
                dose=Dose(1, "dose"), regimen=DailyRegimen(D0, (time(8),)),
                do_not_crush=fill.do_not_crush,
                flush_ml=fill.flush_ml if route.is_tube else 0),))
        validate_medicine(medicine)
