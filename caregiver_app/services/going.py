"""How things are going: every write of the tab's records goes through here, stamped with
the caregiver on duty and the clock, and is announced once on the core's change signal
(``Changes(going=...)``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from PySide6.QtCore import QObject

from caregiver_app.domain.errors import NotFound, ValidationError
from caregiver_app.domain.going import Chain, Entry, Measure, validate_entry
from caregiver_app.domain.patient import WeightUnit
from caregiver_app.services.changes import ChangeHub, Changes
from caregiver_app.services.clock import Clock
from caregiver_app.storage.going_repo import GoingRepository


class Going(QObject):
    """Each write that succeeded announces one ``Changes(going={(measure, entry id)})`` on
    ``changes``; a refused one nothing."""

    def __init__(self, repo: GoingRepository, *, clock: Clock,
                 on_duty: Callable[[], int | None], today: Callable[[], date],
                 weight_unit: Callable[[], WeightUnit] = lambda: WeightUnit.KG,
                 changes: ChangeHub | None = None,
                 parent: QObject | None = None):
        """``today``: the patient's local day; ``weight_unit``: the household's unit (the
        patient profile's); ``changes``: where every write is announced (the core's; a
        new one by default)."""
        super().__init__(parent)
        self.changes = changes if changes is not None else ChangeHub(self)
        self._repo = repo
        self._clock = clock
        self._on_duty = on_duty
        self._today = today
        self._weight_unit = weight_unit

    # ---- Reading

    def today(self) -> date:
        return self._today()

    def now(self) -> datetime:
        return self._clock.now()

    def weight_unit(self) -> WeightUnit:
        return self._weight_unit()

    def current(self, measure: Measure, first: date | None = None,
                last: date | None = None) -> list[Entry]:
        return self._repo.current(measure, first, last)

    def latest_day(self, measure: Measure, *, skip_usual: bool = False) -> date | None:
        """The day of the latest entry as it stands (None: none); ``skip_usual``: not
        the usual weight. Reads that one entry, however many there are."""
        return self._repo.latest_day(measure, skip_usual=skip_usual)

    def answered(self, dose_ids: Iterable[int]) -> set[int]:
        """Which of these as-needed doses have a standing "did it help?" answer."""
        return self._repo.answered(dose_ids)

    def chains(self, measure: Measure) -> list[Chain]:
        return self._repo.chains(measure)

    def chain(self, measure: Measure, entry_id: int) -> Chain:
        return self._repo.chain(measure, entry_id)

    def entry_ids(self, measure: Measure) -> list[int]:
        """The id of every row of ``measure``, corrections and withdrawals included."""
        return self._repo.ids(measure)

    # ---- Writing

    def record(self, entry: Entry) -> Entry:
        """Check and save a new entry, or a correction (``entry.corrects_id`` names the
        latest row of its chain). ValidationError names each field that is wrong, or
        says the records could not be written (``NotSaved``); nothing is saved then."""
        corrected = None
        if entry.corrects_id is not None:
            try:
                corrected = self._repo.chain(entry.measure, entry.corrects_id)
            except NotFound:
                corrected = None
        checked = validate_entry(entry, today=self._today(), now=self.now(),
                                 corrected=corrected)
        saved = self._repo.add(checked, at=self.now(), by=self._on_duty())
        self.changes.announce(Changes(going=frozenset(
            {(saved.measure, saved.id)} if saved.id is not None else ())))
        return saved

    def correct(self, latest: Entry, values: dict, *, on_day: date | None = None,
                note: str = "") -> Entry:
        """Save new values for the entry whose latest row is ``latest``."""
        if latest.id is None:
            raise ValidationError({"corrects": "Only a saved entry can be corrected."})
        return self.record(Entry(latest.measure, on_day or latest.on_day, values, note=note,
                                 corrects_id=latest.id))

    def withdraw(self, latest: Entry, reason: str) -> Entry:
        """Mark the entry whose latest row is ``latest`` as entered in error."""
        if latest.id is None:
            raise ValidationError({"corrects": "Only a saved entry can be withdrawn."})
        return self.record(Entry(latest.measure, latest.on_day, {}, note=reason,
                                 corrects_id=latest.id, entered_in_error=True))
