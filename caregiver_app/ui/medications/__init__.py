"""The Medications tab: the medicine list, the medicine dialog, history and stock."""

from caregiver_app.ui.medications.tab import MedicationsTab

__all__ = ["MedicationsTab"]
