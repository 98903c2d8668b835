"""Six made-up months of "How things are going" for the example household.

A slow, uneven course: a little weight lost, everyday function a few points lower, the
daily check most days (not every day: real households miss some), the clinic's numbers
at two visits, and answers about the as-needed doses. Made up: nothing here describes a
real person or what to expect.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from caregiver_app.domain.going import (
    SYMPTOMS,
    AnsweredBy,
    Effect,
    Entry,
    Measure,
    validate_entry,
)
from caregiver_app.storage.going_repo import GoingRepository

if TYPE_CHECKING:
    from sqlite_utils import Database

#: Days of entries the example starts with (about six months).
DAYS = 190


def populate_going(db: Database, *, today: date, caregiver_ids: list[int]) -> None:
    """Add the example's entries (``caregiver_ids``: who typed them, first the main
    caregiver). Deterministic: the same days give the same entries."""
    repo = GoingRepository(db)
    rng = random.Random(20)
    tom, ana = caregiver_ids[0], caregiver_ids[-1]
    start = today - timedelta(days=DAYS)

    def add(entry: Entry, by: int, hour: int = 20) -> Entry:
        corrected = (repo.chain(entry.measure, entry.corrects_id)
                     if entry.corrects_id is not None else None)
        entry = validate_entry(entry, today=today, corrected=corrected)
        at = datetime.combine(entry.on_day, time(hour), tzinfo=UTC)
        return repo.add(entry, at=at, by=by)

    add(Entry(Measure.WEIGHT, start, {"weight": 64.0, "unit": "kg", "usual": True},
              note="Her usual weight before the illness, from the GP's notes."), tom)
    # ---- Weight: weekly, drifting down from 60.4 to about 58.5 kg
    for week in range(DAYS // 7 + 1):
        day = start + timedelta(days=week * 7)
        if day > today or rng.random() < 0.1:
            continue
        kg = 60.4 - 1.9 * (day - start).days / DAYS + rng.uniform(-0.3, 0.3)
        add(Entry(Measure.WEIGHT, day, {"weight": round(kg, 1), "unit": "kg"}), tom, 8)
    # ---- Everyday function: about monthly, 31 down to 27 (fed by tube: that version)
    scores = {"speech": 2, "saliva": 2, "swallowing": 1, "handwriting": 2, "utensils": 2,
              "dressing": 2, "turning": 3, "walking": 3, "stairs": 2, "breathless": 3,
              "lying_flat": 3, "breathing_support": 3}
    losses = ["walking", "stairs", "dressing", "lying_flat", "handwriting"]
    for month in range(7):
        day = start + timedelta(days=month * 30 + 3)
        if day > today:
            break
        if month and losses and month % 1 == 0 and rng.random() < 0.8:
            key = losses.pop(0)
            scores[key] -= 1
        add(Entry(Measure.FUNCTION, day, {**scores, "tube_version": True,
                                          "answered_by": AnsweredBy.CAREGIVER}), ana)
    # ---- The daily check, most days
    usual = {s.key: rng.choice((0, 1, 1, 2)) for s in SYMPTOMS if not s.count}
    level = dict(usual)
    entry = None
    for offset in range(DAYS + 1):
        day = start + timedelta(days=offset)
        if rng.random() < 0.15:
            continue
        values: dict[str, int] = {}
        for symptom in SYMPTOMS:
            if symptom.key == "episodes":
                values[symptom.key] = rng.choice((0, 0, 0, 1, 2))
            elif symptom.key == "bowel_days":
                values[symptom.key] = rng.choice((0, 1, 1, 2, 3))
            else:
                # wanders a little, and back towards its usual level
                drift = rng.choice((-1, 0, 0, 0, 0, 1))
                if rng.random() < 0.3:
                    drift = (usual[symptom.key] > level[symptom.key]) - (
                        usual[symptom.key] < level[symptom.key])
                level[symptom.key] = min(3, max(0, level[symptom.key] + drift))
                values[symptom.key] = level[symptom.key]
        entry = add(Entry(Measure.SYMPTOMS, day, values), tom if offset % 3 else ana, 21)
    if entry is not None:  # the last one corrected: both rows are kept
        fixed = dict(entry.values, drooling=min(3, int(entry.values["drooling"]) + 1))
        add(Entry(Measure.SYMPTOMS, entry.on_day, fixed, note="Drooling was worse than "
                  "I first put.", corrects_id=entry.id), tom, 22)
    # ---- Numbers from the clinic, at two visits
    for days_ago, fvc, snip, niv in ((150, 68, 52, 6.5), (60, 63, 47, 7.5)):
        add(Entry(Measure.CLINIC, today - timedelta(days=days_ago),
                  {"fvc_percent": fvc, "snip": snip, "niv_hours": niv},
                  note="From the clinic letter."), tom, 17)
    # ---- Did the as-needed doses help?
    doses = db.execute("SELECT id, given_at FROM dose_entries WHERE kind = 'given' AND "
                       "occurrence_key IS NULL AND corrects_id IS NULL ORDER BY id").fetchall()
    for number, (dose_id, given_at) in enumerate(doses):
        day = datetime.fromisoformat(given_at).date()
        effect = (Effect.BETTER, Effect.BETTER, Effect.SAME, Effect.BETTER)[number % 4]
        add(Entry(Measure.EFFECT, min(day, today), {"dose_entry_id": dose_id,
                                                    "effect": effect}), tom, 23)
