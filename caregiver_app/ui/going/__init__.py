"""The How things are going tab."""

from caregiver_app.ui.going.tab import GoingTab

__all__ = ["GoingTab"]
