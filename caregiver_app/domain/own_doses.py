"""The person's own doses, from their medicine list, for the top of a Learn article.

Articles never give a dose (``domain.dosing_text``). When an article is about a medicine
on the patient's list, the Learn tab shows what the *records* say instead, and who set
it::

    On Maggie's list: riluzole 50 mg, 1 tablet at 08:00 and 20:00.
    Dr. Ada Lee prescribes it: ask them before changing a dose or a time.

``own_doses`` turns the medicine list into ``OwnDose`` items (one per medicine that is
not stopped); ``learn_line`` picks those an article is about and words the line. Pure
Python: the tab only adds the links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from caregiver_app.domain.localtime import describe_day, describe_duration
from caregiver_app.domain.medicines import Medicine, MedicineVersion
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CycleRegimen,
    DailyRegimen,
    LoadingRegimen,
    StepsRegimen,
    WeekdaysRegimen,
    describe_regimen,
)
from caregiver_app.domain.vocab import GivenBy, MedicineStatus


@dataclass(frozen=True)
class OwnDose:
    """One medicine on the patient's list, as a Learn article shows it."""

    reference_id: str
    """Its entry in the medicine reference ("riluzole"); "" when it has none."""
    text: str
    """"riluzole 50 mg, 1 tablet at 08:00 and 20:00" (from the records, never advice)."""
    prescriber: str = ""
    """The prescriber's name from the care team ("" when none is recorded)."""
    medicine_id: int | None = None


@dataclass(frozen=True)
class LearnLine:
    """What the Learn tab shows above an article: ``lead`` then each dose, then ``advice``."""

    lead: str
    """"On Maggie's list:"."""
    doses: tuple[OwnDose, ...]
    advice: str
    """Who sets the dose and times, and to ask them before changing anything."""

    def plain_text(self) -> str:
        return f"{self.lead} {'; '.join(d.text for d in self.doses)}. {self.advice}"


def call_name(full_name: str) -> str:
    """The name to call the patient by: the nickname in brackets ("Margaret (Maggie)
    Example" -> "Maggie"), else the first name; "" when there is no name."""
    nickname = re.search(r"\(([^()]+)\)", full_name)
    if nickname and nickname.group(1).strip():
        return nickname.group(1).strip()
    parts = full_name.split()
    return parts[0] if parts else ""


def possessive(name: str) -> str:
    """"Maggie's", "James'"; "the patient's" without a name."""
    if not name:
        return "the patient's"
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def describe_own_dose(medicine: Medicine, today: date) -> str:
    """The medicine as the records hold it today: name, strength, amount and times.

    "riluzole 50 mg, 1 tablet at 08:00 and 20:00"; "edaravone 105 mg/5 mL, 5 mL at 07:00
    on dose days (cycle 1: daily for 14 days, then 14 days off; ...)"; "glycopyrrolate
    1 mg, 1 tablet as needed, at least 4 hours apart, no more than 3 in 24 hours".
    """
    version = medicine.current_version(today)
    name = f"{medicine.generic_name} {version.strength}".strip()
    text = f"{name}, {_amount_and_times(version, today)}"
    if medicine.given_by is GivenBy.CLINIC:
        text += ", given at the clinic"
    if today < medicine.start_date:
        text += f" (starts {describe_day(medicine.start_date)})"
    return text


def own_doses(medicines: Iterable[Medicine], now: datetime, today: date,
              prescriber_name: Callable[[int], str] = lambda _id: "") -> list[OwnDose]:
    """Every medicine not stopped at ``now``, in list order. A paused one says so."""
    found = []
    for medicine in medicines:
        status = medicine.status_at(now)
        if status is MedicineStatus.STOPPED:
            continue
        text = describe_own_dose(medicine, today)
        if status is MedicineStatus.PAUSED:
            text += " (paused)"
        prescriber = (prescriber_name(medicine.prescriber_id)
                      if medicine.prescriber_id is not None else "")
        found.append(OwnDose(medicine.reference_id, text, prescriber or "", medicine.id))
    return found


def learn_line(patient_name: str, doses: Sequence[OwnDose],
               article_medicines: Sequence[str]) -> LearnLine | None:
    """The line for an article about ``article_medicines`` (reference ids), or None when
    none of them is on the list. ``patient_name`` is the full name in the profile."""
    wanted = [d for ref in dict.fromkeys(article_medicines) for d in doses
              if d.reference_id == ref]
    if not wanted:
        return None
    lead = f"On {possessive(call_name(patient_name))} list:"
    prescribers = list(dict.fromkeys(d.prescriber for d in wanted if d.prescriber))
    it = "it" if len(wanted) == 1 else "them"
    if len(prescribers) == 1 and all(d.prescriber for d in wanted):
        advice = (f"{prescribers[0]} prescribes {it}: ask them before changing a dose or "
                  "a time.")
    elif prescribers:
        advice = (f"The prescriber ({' or '.join(prescribers)}) sets the doses and times: "
                  "ask before changing any.")
    else:
        advice = "The prescriber sets the dose and times: ask before changing them."
    return LearnLine(lead, tuple(wanted), advice)


def _amount_and_times(version: MedicineVersion, today: date) -> str:
    regimen = version.regimen
    dose = version.dose.describe()
    if isinstance(regimen, StepsRegimen):
        current = regimen.step_on(today) or (1, regimen.steps[0])
        step = current[1]
        text = f"{step.dose.describe()} at {_times(step.times)}"
        if step.end is not None:
            text += f" until {describe_day(step.end)}"
        if current[0] < len(regimen.steps):
            text += ", then changing as planned"
        return text
    if isinstance(regimen, AsNeededRegimen):
        text = f"{dose} as needed, at least {describe_duration(regimen.min_interval)} apart"
        if regimen.max_per_24h is not None:
            text += f", no more than {regimen.max_per_24h} in 24 hours"
        return text
    described = describe_regimen(regimen)
    if isinstance(regimen, DailyRegimen):
        return f"{dose} at {_times(regimen.times)}"
    if isinstance(regimen, CycleRegimen):
        pattern = described.rpartition("; at ")[0]
        cycles = f", {regimen.cycles} cycles" if regimen.cycles is not None else ""
        return (f"{dose} at {_times(regimen.times)} on dose days "
                f"({_lower_first(pattern)}{cycles})")
    if isinstance(regimen, LoadingRegimen):
        return f"{dose}: {described}"
    if isinstance(regimen, WeekdaysRegimen):
        return f"{dose}, on {described}"  # "Mon, Thu at 09:00"
    return f"{dose}, {_lower_first(described)}"


def _times(times: tuple[time, ...]) -> str:
    """"08:00 and 20:00", as ``describe_regimen`` writes times."""
    return describe_regimen(DailyRegimen(start=date.min, times=times)).removeprefix(
        "Every day at ")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
