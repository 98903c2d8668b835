"""The reorder and discard warnings under the Today tab's header, kept between
refreshes: worked out again only for the medicines that changed (and for all of them on
a new day), so a refresh by the clock reads nothing. Moved out of ``TodayTab``; which
medicines are watched and what is said are ``domain.today``'s rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from caregiver_app.domain.medicines import Medicine
from caregiver_app.domain.today import supply_horizon, supply_warning, watch_supply
from caregiver_app.services.medication_book import MedicationBook


class SupplyWarnings:
    """One warning per medicine whose stock is counted ("" when all is well)."""

    def __init__(self, book: MedicationBook):
        self._book = book
        self._by_medicine: dict[int, str] = {}
        self._stale = True  # the medicine list may have changed
        self._today: date | None = None  # the day they were worked out on

    def clear(self) -> None:
        """Work every warning out again (a new day, another time zone)."""
        self._by_medicine.clear()
        self._stale = True

    def forget(self, medicine_ids: Iterable[int]) -> None:
        """These medicines changed: their warnings are worked out again."""
        for medicine_id in medicine_ids:
            self._by_medicine.pop(medicine_id, None)
            self._stale = True

    def warnings(self, today: date, medicines: Sequence[Medicine] | None = None) -> list[str]:
        """The warnings to show on ``today``, in the order of the medicine list.
        ``medicines``: every medicine as just read (``MedicationBook.medicines``), not
        read again. Worked out again on a new day, whichever day Today shows ("runs
        out tomorrow" is said of the day it is)."""
        if today != self._today:
            self.clear()
            self._today = today
        if self._stale:
            self._stale = False
            now = self._book.now()
            if medicines is None:
                medicines = self._book.medicines()
            watched = {m.id: m for m in medicines if m.id is not None and watch_supply(m, now)}
            self._by_medicine = {k: v for k, v in self._by_medicine.items() if k in watched}
            for medicine_id, medicine in watched.items():
                if medicine_id not in self._by_medicine:
                    forecast = self._book.supply(medicine_id, medicine=medicine,
                                                 horizon=supply_horizon(medicine))
                    self._by_medicine[medicine_id] = supply_warning(medicine, forecast, today)
        return [w for w in self._by_medicine.values() if w]
