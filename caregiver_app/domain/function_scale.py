"""Everyday function, on the structure of the ALS Functional Rating Scale - Revised.

The ALSFRS-R (Cedarbaum et al. 1999) asks about 12 areas of everyday life, each scored
from 4 (as before the illness) down to 0, for a total from 0 to 48; it groups them into
four parts of 12 points each: bulbar (speech, saliva, swallowing), fine motor
(handwriting, handling food and utensils, dressing and washing), gross motor (turning
in bed, walking, stairs) and breathing. Answered by the person themselves or by a
caregiver, it agrees well with the clinic's own rating (Maier et al. 2012; Kasarskis
et al. 2005). The four parts are best read side by side rather than
only as one total (Bakker et al. 2017).

The questions and answers below are the app's own plain words following that structure;
they do not reproduce the published wording. They describe, they do not judge: the app
shows the numbers and how they changed, and never what they mean for the future.

Plain Python: no Qt, no database.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

#: The highest score of one area, of a part, and of the whole scale.
AREA_MAX = 4
PART_MAX = 12
TOTAL_MAX = 48
#: Days in an average month (365.25 / 12): "points per month" between two entries.
DAYS_PER_MONTH = 30.4375


class Part(StrEnum):
    BULBAR = "bulbar"
    FINE_MOTOR = "fine_motor"
    GROSS_MOTOR = "gross_motor"
    BREATHING = "breathing"

    @property
    def label(self) -> str:
        return _PART_LABELS[self]


_PART_LABELS = {
    Part.BULBAR: "Speech and swallowing",
    Part.FINE_MOTOR: "Hands",
    Part.GROSS_MOTOR: "Moving about",
    Part.BREATHING: "Breathing",
}


@dataclass(frozen=True)
class Area:
    """One of the 12 areas: its column in the records, its part, the question and the
    five answers, from 4 (as before) down to 0."""

    key: str
    part: Part
    title: str
    question: str
    answers: tuple[str, str, str, str, str]

    def answer(self, score: int) -> str:
        """The words of ``score`` (0-4)."""
        return self.answers[AREA_MAX - score]


#: The second version of the "handling food" area, for a person fed by a tube.
TUBE_AREA = Area(
    "utensils", Part.FINE_MOTOR, "Handling the feeding tube",
    "For someone fed by tube: how do they manage the tube, its caps and clips?",
    ("As before",
     "Slower or clumsy, but manages all of it alone",
     "Needs some help with the caps and clips",
     "Helps a little while someone else gives the feed",
     "Cannot help at all"))

AREAS: tuple[Area, ...] = (
    Area("speech", Part.BULBAR, "Speech",
         "How is their speech?",
         ("As before",
          "Sounds different, but people understand",
          "Understood when they repeat some words",
          "Speaks, and also uses another way to communicate",
          "No speech that others understand")),
    Area("saliva", Part.BULBAR, "Saliva",
         "How much saliva or drooling is there?",
         ("As before",
          "A little more saliva; maybe some drooling at night",
          "Clearly more saliva; some drooling",
          "A lot of saliva; drools often",
          "Drools most of the time; needs a tissue all day")),
    Area("swallowing", Part.BULBAR, "Swallowing",
         "How is eating and swallowing?",
         ("As before",
          "Some trouble; coughs or chokes now and then",
          "Needs softer food or a changed texture",
          "Needs tube feeds as well as food by mouth",
          "Nothing by mouth; all food and drink by tube")),
    Area("handwriting", Part.FINE_MOTOR, "Handwriting",
         "How is their handwriting?",
         ("As before",
          "Slower or untidy, but every word can be read",
          "Some words cannot be read",
          "Can hold a pen, but cannot write",
          "Cannot hold a pen")),
    Area("utensils", Part.FINE_MOTOR, "Cutting food and using cutlery",
         "How do they cut food and use a knife, fork or spoon?",
         ("As before",
          "Slower or clumsy, but needs no help",
          "Cuts most food with some help",
          "Someone cuts the food; still feeds themselves, slowly",
          "Needs to be fed")),
    Area("dressing", Part.FINE_MOTOR, "Dressing and washing",
         "How do they manage dressing and washing?",
         ("As before",
          "Manages alone, with more effort or time",
          "Needs help now and then, or uses other ways",
          "Needs help most of the time",
          "Needs help with all of it")),
    Area("turning", Part.GROSS_MOTOR, "Turning in bed",
         "How do they turn over in bed and pull the covers up?",
         ("As before",
          "Slower or clumsy, but needs no help",
          "Manages alone, with great effort",
          "Starts to, but cannot finish alone",
          "Cannot do it at all")),
    Area("walking", Part.GROSS_MOTOR, "Walking",
         "How is their walking?",
         ("As before",
          "First signs of trouble walking",
          "Walks with help: a person, a stick, a frame or a brace",
          "Cannot walk, but can move the legs",
          "Cannot move the legs on purpose")),
    Area("stairs", Part.GROSS_MOTOR, "Stairs",
         "How do they manage stairs?",
         ("As before",
          "Slower",
          "A little unsteady, or tires on the way",
          "Needs help to climb them",
          "Cannot climb stairs")),
    Area("breathless", Part.BREATHING, "Short of breath",
         "When do they get short of breath?",
         ("Never",
          "When walking",
          "When eating, washing or dressing",
          "At rest, sitting or lying down",
          "So much that a breathing machine is being talked about")),
    Area("lying_flat", Part.BREATHING, "Breathing lying flat",
         "Can they sleep lying flat?",
         ("Yes, as before",
          "Some trouble at night; two pillows or fewer",
          "Needs extra pillows to sleep",
          "Sleeps only sitting up",
          "Cannot sleep because of breathing")),
    Area("breathing_support", Part.BREATHING, "Breathing machine",
         "Do they use a machine to help breathing?",
         ("No",
          "A mask machine (NIV) now and then",
          "A mask machine every night",
          "A mask machine day and night",
          "A breathing tube into the windpipe (tracheostomy)")),
)

AREA_KEYS: tuple[str, ...] = tuple(a.key for a in AREAS)
AREA_BY_KEY: dict[str, Area] = {a.key: a for a in AREAS}
PARTS: dict[Part, tuple[str, ...]] = {
    part: tuple(a.key for a in AREAS if a.part is part) for part in Part}

#: Where the structure comes from, as (short name, reference, address); shown with the
#: questions.
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("Cedarbaum 1999", "Cedarbaum JM et al. The ALSFRS-R: a revised ALS functional rating scale. "
     "J Neurol Sci 1999;169:13-21.", "https://doi.org/10.1016/S0022-510X(99)00210-5"),
    ("Maier 2012", "Maier A et al. Online assessment of ALS functional rating scale "
     "compares well to in-clinic evaluation. Amyotroph Lateral Scler 2012;13:210-216.",
     "https://pmc.ncbi.nlm.nih.gov/articles/PMC3310482"),
    ("Kasarskis 2005", "Kasarskis EJ et al. Rating the severity of ALS by caregivers over "
     "the telephone using the ALSFRS-R. Amyotroph Lateral Scler 2005;6:50-54.",
     "https://scholars.uky.edu/en/publications/"
     "rating-the-severity-of-als-by-caregivers-over-the-telephone-using"),
    ("Bakker 2017", "Bakker LA et al. Assessment of the factorial validity and reliability of the "
     "ALSFRS-R. J Neurol 2017;264:1413-1420.", "https://pmc.ncbi.nlm.nih.gov/articles/PMC5502060"),
)


def area_of(key: str, *, tube: bool = False) -> Area:
    """The area ``key``; the feeding-tube version of "utensils" when ``tube``."""
    if key == "utensils" and tube:
        return TUBE_AREA
    return AREA_BY_KEY[key]


def total(scores: Mapping[str, int | None]) -> int | None:
    """The sum of the 12 areas (0-48); None unless every area was answered."""
    found = [scores.get(key) for key in AREA_KEYS]
    if any(v is None for v in found):
        return None
    return sum(v for v in found if v is not None)


def part_total(scores: Mapping[str, int | None], part: Part) -> int | None:
    """The sum of one part's three areas (0-12); None unless all three were answered."""
    found = [scores.get(key) for key in PARTS[part]]
    if any(v is None for v in found):
        return None
    return sum(v for v in found if v is not None)


def part_totals(scores: Mapping[str, int | None]) -> dict[Part, int | None]:
    return {part: part_total(scores, part) for part in Part}


def points_per_month(earlier: tuple[date, int], later: tuple[date, int]) -> float | None:
    """Average points lost per month from ``earlier`` (day, total) to ``later``:
    positive when the total went down. None when both are on the same day."""
    days = (later[0] - earlier[0]).days
    if days <= 0:
        return None
    return (earlier[1] - later[1]) / (days / DAYS_PER_MONTH)


def rates_between(points: Sequence[tuple[date, int]]) -> list[tuple[date, date, float]]:
    """Points lost per month between each entry and the next (``points`` by day)."""
    ordered = sorted(points)
    found = []
    for a, b in itertools.pairwise(ordered):
        rate = points_per_month(a, b)
        if rate is not None:
            found.append((a[0], b[0], rate))
    return found
