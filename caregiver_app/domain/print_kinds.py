"""The sheets the app prints (the File ▸ Print menu, the tabs' buttons, ``print KIND``).

Apart from the printing code (``services.printing``) so that the menus naming them do not
load it at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class PrintKind(StrEnum):
    CHECKLIST = "checklist"
    WEEK = "week"
    MEDLIST = "medlist"
    CARETEAM = "careteam"
    EMERGENCY = "emergency"
    VISIT = "visit"

    @property
    def label(self) -> str:
        return {"checklist": "Daily medication checklist",
                "week": "Weekly medication record",
                "medlist": "Medicine list for clinic visits",
                "careteam": "Care-team sheet",
                "emergency": "Emergency sheet",
                "visit": "Clinic visit summary"}[self.value]

    @property
    def landscape(self) -> bool:
        return self is PrintKind.WEEK

    @property
    def uses_date(self) -> bool:
        return self in (PrintKind.CHECKLIST, PrintKind.WEEK)
