"""Printing and exports: one drawing path for preview, printer and PDF (``renderer``), and
the ``PrintService`` that builds each sheet and export from the records (``service``)."""

from caregiver_app.services.printing.service import MAX_DAYS, PrintKind, PrintService

__all__ = ["MAX_DAYS", "PrintKind", "PrintService"]
