"""What "How things are going" reads from the medicines: the changes of the medicines
that are for a symptom (drawn on its chart) and the recent as-needed doses (whether
they helped)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from caregiver_app.domain.doses import EntryKind, RecordChain
from caregiver_app.domain.localtime import day_bounds, local_date, to_utc, weekday_date_time
from caregiver_app.services.medication_book import MedicationBook

#: As-needed doses offered in "Did it help?" go back this far.
EFFECT_LOOKBACK_DAYS = 14
#: How much later than its due time (where it is filed) a scheduled dose's record may
#: say it was given and still be found: given after midnight, or corrected. An as-needed
#: dose is found by the time given, however far a correction moved it.
CORRECTED_LATER_BY = timedelta(days=2)


def medicine_changes(book: MedicationBook, reference_ids: tuple[str, ...],
                     ) -> list[tuple[date, str]]:
    """(day, "Baclofen: started") for each start, change, pause, restart and stop of the
    patient's medicines among ``reference_ids``, by day."""
    from caregiver_app.domain.history import HistoryKind

    if not reference_ids:
        return []
    zone = book.zone()
    found: list[tuple[date, str]] = []
    for medicine in book.medicines():
        if medicine.id is None or medicine.reference_id not in reference_ids:
            continue
        name = medicine.generic_name[:1].upper() + medicine.generic_name[1:]
        for item in book.history(medicine.id, sources=False):
            if item.kind not in (HistoryKind.CHANGE, HistoryKind.STATUS) or not item.current:
                continue
            word = item.what.split(" from ")[0].split(" (")[0].lower()
            found.append((local_date(item.at, zone), f"{name}: {word}"))
    return sorted(set(found))


def as_needed_given(book: MedicationBook, since: date, *,
                    answered: Callable[[Iterable[int]], set[int]] | None = None,
                    ) -> list[tuple[int, date, str, datetime]]:
    """(dose entry id, day, medicine name, when given) of each as-needed dose given from
    ``since`` on, as the record stands (corrections applied), oldest first: the latest
    record of each dose, when it says the dose was given, at the time it says (a dose
    re-timed from 09:00 to 09:40 was given at 09:40, and its effect is asked after that).

    The id names the dose for its "did it help?" answers: the latest record, or the
    record of the dose an answer was given about (``answered``: which of these record
    ids have an answer), so a correction made after the answer keeps it with its dose.

    Only the records filed from ``CORRECTED_LATER_BY`` before ``since`` on are read,
    with the as-needed doses given from ``since`` on wherever they are filed (Today's
    line of what is due asks every minute and after every change; a medicine's whole
    history grows with the years): a record is filed under the time it was first
    given, or due, and a correction moves its time, not where it is filed."""
    zone = book.zone()
    first = day_bounds(since, zone)[0]
    start = first - CORRECTED_LATER_BY
    found: list[tuple[RecordChain, date, str, datetime]] = []
    for medicine in book.medicines():
        if medicine.id is None or not any(v.is_as_needed for v in medicine.versions):
            continue
        for chain in book.chains_since(medicine.id, start, given_since=first):
            latest = chain.head
            if latest.kind is not EntryKind.GIVEN or latest.id is None \
                    or latest.given_at is None:
                continue
            local = to_utc(latest.given_at).astimezone(zone)
            if local.date() >= since:
                found.append((chain, local.date(), medicine.name, local))
    with_answer = answered([e.id for chain, *_ in found for e in chain.entries
                            if e.id is not None and chain.corrected]) if answered else set()
    doses = [(_dose_id(chain, with_answer), day, name, local)
             for chain, day, name, local in found]
    return sorted(doses, key=lambda d: (d[3], d[0]))


def _dose_id(chain: RecordChain, with_answer: set[int]) -> int:
    """The record that names the dose: the latest one an answer is about, else the
    latest."""
    ids = [e.id for e in chain.entries if e.id is not None]
    return max((i for i in ids if i in with_answer), default=ids[-1])


def as_needed_doses(book: MedicationBook, *, days: int = EFFECT_LOOKBACK_DAYS,
                    answered: Callable[[Iterable[int]], set[int]] | None = None,
                    ) -> list[tuple[int, date, str]]:
    """(dose entry id, day, "Glycopyrrolate, Tue 1 Dec 10:00") of each as-needed dose
    given in the last ``days`` days, newest first (``answered``: as for
    ``as_needed_given``)."""
    since = book.today() - timedelta(days=days)
    return [(entry_id, day, f"{name}, {weekday_date_time(local)}")
            for entry_id, day, name, local in reversed(
                as_needed_given(book, since, answered=answered))]
