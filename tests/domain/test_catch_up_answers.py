"""The "While you were away" answers, checked before anything is saved
(``domain.catch_up``), without Qt."""

from __future__ import annotations

from datetime import timedelta

from medicine_builders import D0, NEW_YORK, T8, at, medicine

from caregiver_app.domain.catch_up import (
    ANSWER_TEXT,
    GIVEN,
    LATER,
    NOT_GIVEN,
    Answer,
    check_answers,
)
from caregiver_app.domain.dayview import build_day_view
from caregiver_app.domain.doses import FUTURE_TOLERANCE, DosePolicy
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.vocab import SkipReason

NOW = at(D0, 12)


def _status():
    view = build_day_view([medicine(DailyRegimen(D0, (T8,)))], (), D0, NEW_YORK, NOW,
                          DosePolicy())
    (status,) = view.doses
    return status


def test_each_answer_is_checked_and_only_the_wrong_ones_get_a_problem():
    status = _status()
    answers = [
        Answer(status),  # still to give: nothing to check
        Answer(status, GIVEN),  # at its due time
        Answer(status, GIVEN, given_at=NOW + FUTURE_TOLERANCE + timedelta(minutes=1)),
        Answer(status, GIVEN, given_at=NOW + FUTURE_TOLERANCE),  # the clock's slack
        Answer(status, NOT_GIVEN),
        Answer(status, SkipReason.OTHER.value),
        Answer(status, SkipReason.OTHER.value, note="asleep at the clinic"),
        Answer(status, SkipReason.REFUSED.value, problem="an old problem"),
    ]
    problems = [a.problem for a in check_answers(answers, NOW)]
    assert problems == ["", "", "The time given cannot be in the future.", "",
                        "Choose why it was not given.",
                        "Write why it was not given in the Note.", "", ""]
    assert len(problems) == len(answers) == 8


def test_answers_in_words_and_their_reason():
    assert ANSWER_TEXT[LATER] == "Still to give"
    assert ANSWER_TEXT[SkipReason.OTHER.value] == "Not given: other"
    status = _status()
    assert Answer(status, SkipReason.REFUSED.value).skip_reason is SkipReason.REFUSED
    assert Answer(status, GIVEN).skip_reason is None
    assert Answer(status, NOT_GIVEN).skip_reason is None
