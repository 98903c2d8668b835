"""The History window reads a long history a page at a time: the newest records when it
opens, older ones as the person scrolls down with the wheel, and every record before a
search, so that a search finds the oldest too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from gui_paths import wheel
from medicine_builders import D0, T8, T20, at, medicine

from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.medication_book import HISTORY_PAGE
from caregiver_app.ui.medications import MedicationsTab
from caregiver_app.ui.medications import history_dialog as history_module

DAYS = 120  # two doses a day: 240 records, more than a page


@pytest.fixture
def long_history(book, fake_clock):
    med = book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                                     supply=SupplySettings(unit="tablet")))
    for day in range(DAYS):
        when = D0 + timedelta(days=day)
        fake_clock.set(at(when, 21))
        for hour in (8, 20):
            key = f"{when.isoformat()}T{hour:02d}:00"
            if day == 0 and hour == 8:  # the oldest record: the one a search must find
                book.record_skipped(key=key, medicine_id=med.id, reason=SkipReason.VOMITED)
            else:
                book.record_given(med.id, key, given_at=at(when, hour, 5), caregiver_id=2)
    return book.medicine(med.id)


@pytest.fixture
def history(book, reference, long_history, qtbot, monkeypatch):
    """The History window as the Medications tab's History button opens it."""
    tab = MedicationsTab(book, reference, caregiver_names=lambda: {1: "Tom", 2: "Ana"})
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    qtbot.waitExposed(tab)
    shown = []
    monkeypatch.setattr(history_module.HistoryDialog, "exec",
                        lambda self: (shown.append(self), self.show()))
    tab.select_medicine(long_history.id)
    tab.history_button.click()
    [dialog] = shown
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_the_history_opens_on_the_newest_page_and_scrolls_into_older_ones(history, qtbot):
    model, total = history.model, DAYS * 2 + 1  # the records and "Started"
    assert model.total() == total
    assert HISTORY_PAGE <= model.rowCount() < total  # the newest page only
    assert model.text(0, model.WHEN).startswith(
        f"{(D0 + timedelta(days=DAYS - 1)):%a}")  # newest first
    assert "Scroll down for older ones" in history.count_label.text()
    view = history.view
    turns = 0
    while model.rowCount() < total and turns < 400:
        wheel(view.viewport(), -3)  # towards the person: down the list
        turns += 1
    assert model.rowCount() == total and turns > 1
    assert history.count_label.text() == f"{total} records."
    assert model.text(total - 1, model.WHAT) == "Started"


def test_a_search_finds_the_oldest_record_without_scrolling(history, qtbot):
    assert history.model.rowCount() < history.model.total()
    history.search_edit.setFocus()
    qtbot.keyClicks(history.search_edit, "vomited")
    assert history.proxy.rowCount() == 1
    assert "not given (vomited" in history.proxy.index(0, history.model.WHAT).data().lower()
    assert history.count_label.text().startswith(f"1 of {history.model.total()} records")
