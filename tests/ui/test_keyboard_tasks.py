"""A new caregiver's tasks typed without the mouse, as they would type them: every key
goes where the window's focus really is (``gui_paths.Keyboard``), menus open with Alt,
dialogs are answered by typing, and what was saved is checked. Each task counts its keys
(a chord such as Alt+N is one) and clicks, for the notes' figures."""

from __future__ import annotations

from datetime import date

import pytest
from gui_paths import OFFSCREEN_LIMITS, Answers, Keyboard, activate, fill_example_household
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)

#: task -> (keys, clicks), printed at the end of each test (pytest -s) for the notes
FIGURES: dict[str, tuple[int, int]] = {}


@pytest.fixture
def person(main_window, qtbot, monkeypatch):
    activate(qtbot, main_window)
    keys = Keyboard(qtbot)
    return keys, Answers(qtbot, monkeypatch, keys)


def _done(task: str, keys: Keyboard) -> None:
    FIGURES[task] = (keys.keys, keys.clicks)
    print(f"\n{task}: {keys.keys} keys, {keys.clicks} clicks")
    assert keys.clicks == 0


def test_record_undo_and_skip_a_dose_by_keyboard(ctx, person, qtbot):
    keys, answers = person
    fill_example_household(ctx)
    keys.press("Ctrl+1")  # View ▸ Today
    QApplication.processEvents()
    today = ctx.window.tab_widget("today")
    assert QApplication.focusWidget() is today.tree  # on the dose due now
    kinds = _entry_kinds(ctx)

    def early(dialog):  # the 14:00 dose at 12:00: it asks why, and the person says
        keys.type("before the outing")
        keys.press("Alt+R")  # Record as given

    answers.then(early)
    keys.press("Alt+G")  # Given now
    assert _entry_kinds(ctx) == [*kinds, "given"]
    keys.press("Ctrl+Z")  # Undo: a correction, nothing erased
    assert _entry_kinds(ctx) == [*kinds, "given", "entered_in_error"]
    # (the list is redrawn a moment after: a person sees it before the next key)
    qtbot.waitUntil(lambda: not today._refresh_soon.isActive())

    def not_given(dialog):
        keys.press(Qt.Key.Key_Return)  # no reason is chosen for the person: asked to
        assert dialog.errors.message("skip_reason") == "Choose why it was not given."
        keys.press(Qt.Key.Key_Space)  # the first reason, where the focus went
        keys.press(Qt.Key.Key_Return)

    answers.then(not_given)
    keys.press("Alt+S")  # Skip…
    assert answers.seen == ["Record as given", "Not given"]
    assert _entry_kinds(ctx)[-1] == "skipped"
    _done("record, undo, skip", keys)


def test_patient_profile_by_keyboard(ctx, person):
    keys, answers = person

    def fill(dialog):
        keys.type("Maria Lopez")  # the first field has the focus
        keys.press("Alt+B")  # Date of birth: "Known" tick box
        keys.press(Qt.Key.Key_Space)
        keys.tab()
        keys.type("12/04/1965")
        keys.press("Alt+K")  # No known allergies
        keys.press(Qt.Key.Key_Return)

    answers.then(fill)
    keys.press("Alt+F")
    keys.press("a")  # File ▸ Patient profile…
    patient = ctx.patients.get()
    assert patient.full_name == "Maria Lopez"
    assert patient.date_of_birth == date(1965, 4, 12)
    _done("patient profile", keys)


def test_a_contact_by_keyboard(ctx, person):
    keys, answers = person

    def fill(dialog):
        keys.type("Dr Ana Silva")
        keys.press("Alt+O")  # Organisation / clinic
        keys.type("ALS Clinic")
        keys.press("Alt+E")
        keys.type("ana.silva@example.org")
        keys.press(Qt.Key.Key_Return)

    answers.then(fill)
    keys.press("Ctrl+3")  # View ▸ Care team
    QApplication.processEvents()
    keys.press("Alt+A")  # Add contact…
    saved = [c for c in ctx.careteam.contacts() if c.name == "Dr Ana Silva"]
    assert len(saved) == 1
    assert saved[0].organisation == "ALS Clinic"
    assert saved[0].email == "ana.silva@example.org"
    _done("contact", keys)


def test_an_appointment_by_keyboard(ctx, person):
    keys, answers = person

    def fill(dialog):
        keys.type("Clinic review")  # What for
        keys.press(Qt.Key.Key_Return)

    answers.then(fill)
    keys.press("Ctrl+3")
    QApplication.processEvents()
    keys.press("Alt+N")  # New appointment…
    assert [a.purpose for a in ctx.careteam.appointments()] == ["Clinic review"]
    _done("appointment", keys)


def _entry_kinds(ctx) -> list[str]:
    return [row["kind"] for row in ctx.db["dose_entries"].rows_where(order_by="id")]


def test_todays_checklist_to_pdf_by_keyboard(ctx, person, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    keys, _answers = person
    fill_example_household(ctx)
    target = tmp_path / "checklist.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",  # the person names the file
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    keys.press("Ctrl+P")  # the preview
    preview = ctx.printing.last_preview
    activate(keys.qtbot, preview)
    keys.press("Ctrl+S")  # Save as PDF…
    assert target.read_bytes().startswith(b"%PDF")
    preview.reject()
    _done("today's checklist to PDF", keys)
