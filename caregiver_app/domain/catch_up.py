"""The answers to "While you were away": what happened to each dose that fell due while
nobody was watching (still to give, given, or not given and why), and the check each
answer passes before anything is saved. Plain Python, no Qt: the Today tab's
``CatchUpDialog`` shows and edits them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from caregiver_app.domain.doses import FUTURE_TOLERANCE, DoseStatus
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.vocab import SkipReason

LATER = "later"
GIVEN = "given"
NOT_GIVEN = "not_given"  # not given, the reason not chosen yet
#: Answers a dose can have, in order: value and words.
ANSWERS: tuple[tuple[str, str], ...] = (
    (LATER, "Still to give"),
    (GIVEN, "Given"),
    (NOT_GIVEN, "Not given: why?"),
    *((r.value, f"Not given: {r.label if r is not SkipReason.OTHER else 'other'}")
      for r in SkipReason),
)
ANSWER_TEXT = dict(ANSWERS)
"""The words of each answer."""


@dataclass(frozen=True)
class Answer:
    """What the person said happened to one dose (``problem``: why it cannot be saved
    as it is, "" when it can)."""

    status: DoseStatus
    answer: str = LATER  # LATER, GIVEN, or a SkipReason value
    given_at: datetime | None = None
    note: str = ""
    problem: str = ""

    @property
    def skip_reason(self) -> SkipReason | None:
        """The reason it was not given, when one was chosen."""
        return SkipReason(self.answer) if self.answer not in (LATER, GIVEN, NOT_GIVEN) \
            else None


def check_answers(answers: Sequence[Answer], now: datetime) -> list[Answer]:
    """The answers with a ``problem`` filled in where one cannot be saved as it is."""
    checked = []
    for answer in answers:
        problem = ""
        if answer.answer == GIVEN:
            at = answer.given_at or answer.status.occurrence.due
            if to_utc(at) > to_utc(now) + FUTURE_TOLERANCE:
                problem = "The time given cannot be in the future."
        elif answer.answer == NOT_GIVEN:
            problem = "Choose why it was not given."
        elif answer.skip_reason is SkipReason.OTHER and not answer.note:
            problem = "Write why it was not given in the Note."
        checked.append(replace(answer, problem=problem))
    return checked
