"""A new caregiver's tasks typed without the mouse, as they would type them: every key
goes where the window's focus really is (``gui_paths.Keyboard``), menus open with Alt,
dialogs are answered by typing, and what was saved is checked. Each task counts its keys
(a chord such as Alt+N is one) and clicks, for the notes' figures."""

from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from gui_paths import (
    OFFSCREEN_LIMITS,
    Answers,
    Keyboard,
    activate,
    fill_example_household,
    wait_for_background,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from caregiver_app.domain.medicines import Dose
from caregiver_app.domain.regimens import (
    AsNeededRegimen,
    CyclePhase,
    CycleRegimen,
    DailyRegimen,
    RegimenKind,
    StepsRegimen,
)
from caregiver_app.domain.vocab import FoodRule, FoodRuleKind

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
    keys.press("Ctrl+S")  # Save as PDF… (written on a worker thread)
    wait_for_background(keys.qtbot)
    assert target.read_bytes().startswith(b"%PDF")
    preview.reject()
    _done("today's checklist to PDF", keys)


# ---- The medicine tasks: typed at a realistic pace (``PACE_MS`` between keys, so the
# timers that run while a person types, such as the completion list and the preview of
# the next doses, run between the keys as they would).

#: Milliseconds between keys: a quick typist (about 100 words a minute).
PACE_MS = 60


@pytest.fixture
def household(ctx, main_window, qtbot, monkeypatch, fake_clock):
    """A new household: the patient (New York), one caregiver on duty, no medicines;
    07:30 on the first day, so what is typed starts today with doses still to come."""
    from medicine_builders import D0, at

    from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient

    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                     time_zone="America/New_York"))
    saved = ctx.session.save_caregivers([Caregiver("Tom Example", "TE")])
    ctx.session.set_on_duty(saved[0].id)
    fake_clock.set(at(D0, 7, 30))
    activate(qtbot, main_window)
    keys = Keyboard(qtbot, pace_ms=PACE_MS)
    return SimpleNamespace(keys=keys, answers=Answers(qtbot, monkeypatch, keys), day=D0,
                           caregiver=saved[0], clock=fake_clock)


def _add_medicine(home, fill) -> None:
    """Medications tab (Ctrl+2), Add a new medicine… (Alt+N), ``fill(dialog)``, which
    saves it; nothing is left waiting."""
    home.answers.then(fill)
    home.keys.press("Ctrl+2")
    home.keys.press("Alt+N")
    assert home.answers.pending() == 0
    assert home.answers.seen[-1] == "Add a medicine"


def _save(dialog, keys: Keyboard) -> None:
    """Enter: Save. When the form refuses, the test says what it showed and why."""
    keys.press(Qt.Key.Key_Return)
    if dialog.isVisible():
        fields = {name: dialog.errors.message(name) for name in dialog.errors._fields}
        shown: dict[str, object] = {name: text for name, text in fields.items() if text}
        shown["typed"] = {w.accessibleName(): w.text() for w in dialog.findChildren(QLineEdit)
                          if w.isVisible() and w.accessibleName()}
        dialog.discard()
        raise AssertionError(f"not saved: {shown}")


def _only(ctx, name: str):
    found = [m for m in ctx.medications.medicines() if m.generic_name == name]
    assert len(found) == 1, [m.generic_name for m in ctx.medications.medicines()]
    return found[0]


def test_riluzole_twice_daily_with_its_food_rule_by_keyboard(ctx, household):
    keys = household.keys

    def fill(dialog):
        keys.press("Alt+N")  # Name (the reference search has the focus first)
        keys.type("riluzole")
        keys.press("Alt+G")  # Strength
        keys.type("50 mg")
        keys.press("Alt+A")  # Amount each time
        keys.type("1")
        keys.tab()  # its unit, with the list of common units
        keys.type("tablet")
        keys.press("Alt+T")  # Times of day ("Every day" is already chosen)
        keys.type("08:00, 20:00")
        keys.press("Alt+D")  # Food
        keys.type("e")  # Empty stomach (before or after food)
        keys.tab()  # At least … before food
        keys.type("1h")
        keys.tab()  # or at least … after food
        keys.type("2h")
        assert dialog.food_words.text() == (
            "Empty stomach: at least 1 hour before or at least 2 hours after food")
        _save(dialog, keys)

    _add_medicine(household, fill)
    riluzole = _only(ctx, "riluzole")
    version = riluzole.versions[-1]
    assert version.strength == "50 mg"
    assert (version.dose.amount, version.dose.unit) == (1, "tablet")
    assert version.regimen == DailyRegimen(household.day, (time(8), time(20)))
    assert riluzole.food_rule == FoodRule(FoodRuleKind.EMPTY_STOMACH, before_minutes=60,
                                          after_minutes=120)
    _done("riluzole twice daily with its food rule", keys)


def test_edaravone_in_cycles_by_keyboard(ctx, household):
    """From the built-in reference: the oral suspension fills in the product, its food
    rule and the edaravone cycles (14 days on, 14 off, then 10 of 14 days on, 14 off);
    the person types the amount, the day cycle 1 started and the time."""
    keys = household.keys

    def fill(dialog):
        keys.type("radicava ors")  # the reference search has the focus
        keys.press(Qt.Key.Key_Return)  # fill in from the match
        assert dialog.name_edit.text() == "edaravone"
        editor = dialog.regimen_editor
        assert editor.kind() is RegimenKind.CYCLE
        assert (editor.first_cycle.phase(), editor.later_cycles.phase()) == (
            CyclePhase(14, 14, 28), CyclePhase(10, 14, 28))
        keys.type("5")  # the focus went to the amount
        keys.tab()
        keys.type("mL")
        keys.press("Alt+1")  # Cycle 1 started on
        keys.type("today")
        keys.press("Alt+T")
        keys.type("09:00")
        _save(dialog, keys)

    _add_medicine(household, fill)
    edaravone = _only(ctx, "edaravone")
    version = edaravone.versions[-1]
    assert version.regimen == CycleRegimen(household.day, (time(9),), CyclePhase(14, 14, 28),
                                           CyclePhase(10, 14, 28))
    assert version.dose == Dose(5, "mL")
    assert edaravone.reference_id == "edaravone-oral"
    assert edaravone.food_rule.kind is not FoodRuleKind.NONE
    _done("edaravone in cycles", keys)


def test_a_baclofen_taper_by_keyboard(ctx, household):
    """Three steps down: 3 tablets for a week, 2 for a week, then 1 until the tenth."""
    keys = household.keys
    day = household.day

    def step(amount: str, last_day: str | None, *, first: bool) -> None:
        """Type a step's cells in the Dose steps table: the amount has the focus."""
        keys.type(amount)
        keys.press(Qt.Key.Key_Return)
        if first:  # later steps copy the unit and the times of the step before
            keys.press(Qt.Key.Key_Right)
            keys.type("tablet")
            keys.press(Qt.Key.Key_Return)
            keys.press(Qt.Key.Key_Right)
            keys.type("08:00, 14:00, 20:00")
            keys.press(Qt.Key.Key_Return)
            keys.press(Qt.Key.Key_Left)
            keys.press(Qt.Key.Key_Left)
        keys.press(Qt.Key.Key_Left)  # Last day
        if last_day is not None:
            keys.type(last_day)
            keys.press(Qt.Key.Key_Return)

    def fill(dialog):
        keys.press("Alt+N")
        keys.type("baclofen")
        keys.press("Alt+G")
        keys.type("10 mg")
        keys.press("Alt+H")
        keys.type("t")  # The dose changes over time (steps up or down)
        keys.tab()  # the first step, on its amount
        step("3", "+6", first=True)
        keys.tab()  # Add a step: the new step's amount takes the keys
        keys.press(Qt.Key.Key_Space)
        step("2", "+13", first=False)
        keys.tab()
        keys.press(Qt.Key.Key_Space)
        step("1", "+20", first=False)
        _save(dialog, keys)

    _add_medicine(household, fill)
    regimen = _only(ctx, "baclofen").versions[-1].regimen
    assert isinstance(regimen, StepsRegimen)
    times = (time(8), time(14), time(20))
    assert [(s.start, s.end, s.dose, s.times) for s in regimen.steps] == [
        (day, day + timedelta(days=6), Dose(3, "tablet"), times),
        (day + timedelta(days=7), day + timedelta(days=13), Dose(2, "tablet"), times),
        (day + timedelta(days=14), day + timedelta(days=20), Dose(1, "tablet"), times),
    ]
    _done("baclofen taper", keys)


def test_an_as_needed_medicine_with_its_limits_by_keyboard(ctx, household):
    keys = household.keys

    def fill(dialog):
        keys.press("Alt+N")
        keys.type("glycopyrrolate")
        keys.press("Alt+R")  # What it is for (an as-needed medicine must say)
        keys.type("Drooling")
        keys.press("Alt+G")
        keys.type("1 mg")
        keys.press("Alt+A")
        keys.type("1")
        keys.tab()
        keys.type("tablet")
        keys.press("Alt+H")
        keys.type("a")  # As needed (only when needed)
        keys.press("Alt+M")  # Minimum gap: hours
        keys.type("4")
        keys.press("Alt+2")  # Most in 24 hours
        keys.type("3")
        _save(dialog, keys)

    _add_medicine(household, fill)
    glyco = _only(ctx, "glycopyrrolate")
    assert glyco.purpose == "Drooling"
    assert glyco.versions[-1].regimen == AsNeededRegimen(household.day, timedelta(hours=4), 3)
    _done("as-needed medicine with its limits", keys)


def test_given_skip_snooze_and_undo_on_today_by_keyboard(ctx, household):
    """At 08:05 two 08:00 doses are due and an as-needed medicine can be given: record
    one given, snooze the other and take the snooze back, skip it; give the as-needed
    one and refuse a second dose too soon; then undo the last record. The records say
    exactly that (corrections are new entries; nothing is erased)."""
    from medicine_builders import at, medicine

    keys, answers, day = household.keys, household.answers, household.day
    book = ctx.medications
    riluzole = book.add_medicine(medicine(DailyRegimen(day, (time(8), time(20))), id=None))
    baclofen = book.add_medicine(medicine(DailyRegimen(day, (time(8), time(20))), id=None,
                                          generic_name="baclofen"))
    glyco = book.add_medicine(medicine(AsNeededRegimen(day, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="Drooling"))
    household.clock.set(at(day, 8, 5))
    key = f"{day.isoformat()}T08:00"
    keys.press("Ctrl+1")
    today = ctx.window.tab_widget("today")
    assert QApplication.focusWidget() is today.tree

    def chosen() -> str:
        return today.tree.currentIndex().siblingAtColumn(1).data()

    def settle() -> None:  # the list is redrawn a moment after a record (a person sees it)
        keys.qtbot.waitUntil(lambda: not today._refresh_soon.isActive())

    assert chosen().startswith("baclofen")  # the first overdue dose
    keys.press("g")  # Given now
    settle()
    # the given dose stays chosen, now under Morning, showing "Given at 08:05" (a second
    # G never records another medicine); the one still overdue is above it
    assert chosen().startswith("baclofen")
    keys.press(Qt.Key.Key_Up)
    assert chosen().startswith("riluzole")
    keys.press("z")  # Snooze: its menu opens on the first choice
    keys.press(Qt.Key.Key_Return)
    assert ctx.reminders.snoozed_until(riluzole.id, key) == at(day, 8, 15)  # 10 min
    keys.press("Ctrl+Z")  # Undo the snooze
    settle()
    assert ctx.reminders.snoozed_until(riluzole.id, key) is None

    def not_given(dialog):
        keys.press(Qt.Key.Key_Space)  # the first reason, where the focus is
        keys.press(Qt.Key.Key_Return)

    answers.then(not_given)
    keys.press("s")  # Not given…
    settle()
    while not chosen().startswith("glycopyrrolate"):
        keys.press(Qt.Key.Key_Down)
    keys.press("g")  # an as-needed dose now
    settle()

    def too_soon(dialog):
        assert dialog.warnings.text() == "⚠ Less than 4 hours after the dose at 08:05."
        keys.press(Qt.Key.Key_Escape)  # the person backs out: not recorded

    answers.then(too_soon)
    keys.press("g")  # again at once: under 4 hours apart
    settle()
    assert answers.seen == ["Not given", "Record as given"]  # it asked, nothing recorded
    rows = _entries(ctx)
    assert [(r["medicine_id"], r["kind"]) for r in rows] == [
        (baclofen.id, "given"), (riluzole.id, "skipped"), (glyco.id, "given")]
    assert all(r["caregiver_id"] == household.caregiver.id for r in rows
               if r["kind"] == "given")
    assert rows[0]["given_at"] == at(day, 8, 5).isoformat()
    keys.press("Ctrl+Z")  # Undo the as-needed dose: a correction, nothing erased
    rows = _entries(ctx)
    assert [r["kind"] for r in rows] == ["given", "skipped", "given", "entered_in_error"]
    assert rows[-1]["corrects_id"] == rows[2]["id"]
    _done("given, snooze, undo, skip, as-needed on Today", keys)


def _entries(ctx) -> list[dict]:
    return list(ctx.db["dose_entries"].rows_where(order_by="id"))
