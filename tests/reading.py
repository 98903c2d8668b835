"""The reading grade of an article (the content tests keep every article at grade 8 or
below). ``textstat`` is in the ``test`` extra only: the app never measures this."""

from __future__ import annotations

import textstat

from caregiver_app.domain.articles import strip_markdown


def reading_grade(body: str) -> float:
    """Flesch-Kincaid grade of an article body with its Markdown stripped."""
    return float(textstat.flesch_kincaid_grade(strip_markdown(body, close_sentences=True)))
