"""Print preview, printing, Save as PDF and the calendar / CSV exports (File menu, tabs)."""

from caregiver_app.ui.printing.controller import PrintController
from caregiver_app.ui.printing.period_dialog import Period, PeriodDialog

__all__ = ["Period", "PeriodDialog", "PrintController"]
