"""Issue #23's blocker, path by path: every way a dose is recorded or snoozed in the
window, driven as a person does (a click on the card's button, its key on the list, a
menu item triggered, the reminder banner and its small always-on-top window, the "while
you were away" list, "Given: all due at this time", an extra dose from Medications, an
as-needed dose), each done just after an earlier, correct record. Undo must name that
path's dose and time before it acts, then take back exactly what that path made and
leave the earlier record alone: the old bug withdrew the earlier dose (a double-dose
risk).

A property test then drives random sequences of these actions by key and click and
checks, after each Ctrl+Z, that only the newest action's entries were corrected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from medicine_builders import D0, at, medicine
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.undo import UNDO_WINDOW
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.notifier import NoticeKind
from caregiver_app.ui.today import dialogs
from caregiver_app.ui.today.batch_dialog import BatchGivenDialog

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing",
                                       "does not support activateWindow")


@pytest.fixture
def home(ctx, fake_clock, main_window, system_notices):
    """Jane in New York, Tom on duty; at 11:34 riluzole and baclofen are due (11:33),
    riluzole again at 11:39, and glycopyrrolate may be given as needed."""
    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                              time_zone="America/New_York"))
    saved = ctx.session.save_caregivers([Caregiver("Tom Example", "TE")])
    ctx.session.set_on_duty(saved[0].id)
    fake_clock.set(at(D0, 11, 34))
    book = ctx.medications
    riluzole = book.add_medicine(medicine(DailyRegimen(D0, (time(11, 33), time(11, 39))),
                                          id=None))
    baclofen = book.add_medicine(medicine(DailyRegimen(D0, (time(11, 33),)), id=None,
                                          generic_name="baclofen"))
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=1), 20), id=None,
                                       generic_name="glycopyrrolate", purpose="Drooling"))
    main_window.show_tab("today")
    main_window.today_tab.refresh()
    yield SimpleNamespace(ctx=ctx, book=book, clock=fake_clock, tom=saved[0], win=main_window,
                          tab=main_window.today_tab, riluzole=riluzole, baclofen=baclofen,
                          glyco=glyco, reminders=ctx.reminders, alerts=ctx.alerts,
                          service=system_notices)
    ctx.reminders.stop()


def _key(hour: int, minute: int) -> str:
    return f"{D0.isoformat()}T{hour:02d}:{minute:02d}"


R1133, R1139 = _key(11, 33), _key(11, 39)


# ---- A person's hands


def answer(monkeypatch, dialog_class, person):
    """``dialog_class.exec()`` shows the real dialog and lets ``person`` click in it."""
    seen = []

    def run(dialog):
        seen.append(dialog)
        dialog.show()
        person(dialog)
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", run)
    return seen


def click(qtbot, widget) -> None:
    # (a widget just added to a shown window is shown by the next turn of the event loop)
    qtbot.waitUntil(widget.isVisible, timeout=1000)
    assert widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tick(qtbot, radio) -> None:
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(6, radio.height() // 2))
    assert radio.isChecked()


def button_named(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def select(qtbot, home, medicine_id: int, key: str | None) -> None:
    """Click the dose's row (``key`` None: the medicine's as-needed row)."""
    tab = home.tab
    home.win.show_tab("today")
    if tab.today_button.isEnabled():
        # a reminder about a dose of another day showed that day: back, as a person would
        click(qtbot, tab.today_button)
    tab.refresh()
    index = (_as_needed_row(tab, medicine_id) if key is None
             else tab.model.find_dose(medicine_id, key))
    assert index.isValid()
    tab.tree.scrollTo(index)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.tree.visualRect(index).center())
    assert tab.current_row().medicine_id == medicine_id


def _as_needed_row(tab, medicine_id: int):
    section = tab.model.section_index("as_needed")
    for r in range(tab.model.rowCount(section)):
        index = tab.model.index(r, 0, section)
        tab.tree.setCurrentIndex(index)
        if tab.current_row().medicine_id == medicine_id:
            return index
    raise AssertionError("no as-needed row")


def press(qtbot, home, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key on the Today list, in the main window (a person at the keyboard is in the
    window: the reminder's own small window may have had the keyboard)."""
    if QApplication.activeWindow() is not home.win:
        home.win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is home.win, timeout=1000)
    home.tab.tree.setFocus()
    qtbot.keyClick(home.tab.tree, key, modifier)


def answer_given_at(monkeypatch, qtbot, home, hour: int, minute: int):
    def person(dialog):
        dialogs.set_wall(dialog.time_edit, at(D0, hour, minute).astimezone(
            home.book.zone()).replace(tzinfo=None))
        click(qtbot, dialog.ok_button)
    return answer(monkeypatch, dialogs.GivenDialog, person)


def answer_skip(monkeypatch, qtbot):
    def person(dialog):
        tick(qtbot, dialog.reason_buttons[SkipReason.ASLEEP])
        click(qtbot, button_named(dialog, "&Record as not given"))
    return answer(monkeypatch, dialogs.SkipDialog, person)


def answer_correct(monkeypatch, qtbot):
    def person(dialog):
        tick(qtbot, dialog.skip_radio)
        dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(SkipReason.REFUSED))
        click(qtbot, button_named(dialog, "Save &correction"))
    return answer(monkeypatch, dialogs.CorrectDialog, person)


def answer_batch(monkeypatch, qtbot):
    return answer(monkeypatch, BatchGivenDialog, lambda d: click(qtbot, d.ok_button))


def snooze_item(menu, words: str = "10 minutes"):
    return next(a for a in menu.actions() if a.text() == words)


# ---- The paths (each records or snoozes; ``names`` what Undo must name first)


@dataclass(frozen=True)
class Path:
    name: str
    act: Callable  # (qtbot, home, monkeypatch) -> None
    names: str  # in the Undo button's tooltip before undoing
    prior: str = "glyco"  # the earlier record: glycopyrrolate, or "baclofen" 11:33
    setup: Callable | None = None  # (home) -> None, before the earlier record


def _card_given(qtbot, home, mp):
    select(qtbot, home, home.baclofen.id, R1133)
    click(qtbot, home.tab.card.given_button)


def _card_given_at(qtbot, home, mp):
    answer_given_at(mp, qtbot, home, 11, 30)
    select(qtbot, home, home.baclofen.id, R1133)
    click(qtbot, home.tab.card.given_at_button)


def _card_batch(qtbot, home, mp):
    answer_batch(mp, qtbot)
    select(qtbot, home, home.baclofen.id, R1133)
    click(qtbot, home.tab.card.batch_button)


def _card_skip(qtbot, home, mp):
    answer_skip(mp, qtbot)
    select(qtbot, home, home.baclofen.id, R1133)
    click(qtbot, home.tab.card.skip_button)


def _card_snooze(qtbot, home, mp):
    select(qtbot, home, home.baclofen.id, R1133)
    click(qtbot, home.tab.card.snooze_button)  # opens its menu
    menu = home.tab.card.snooze_menu
    assert menu.isVisible()
    home.tab.card.snooze_actions[10].trigger()
    menu.close()


def _card_correct(qtbot, home, mp):
    answer_correct(mp, qtbot)
    select(qtbot, home, home.baclofen.id, R1133)
    click(qtbot, home.tab.card.correct_button)


def _card_as_needed(qtbot, home, mp):
    select(qtbot, home, home.glyco.id, None)
    click(qtbot, home.tab.card.given_button)


def _key_g(qtbot, home, mp):
    select(qtbot, home, home.baclofen.id, R1133)
    press(qtbot, home, Qt.Key.Key_G)


def _key_shift_g(qtbot, home, mp):
    answer_given_at(mp, qtbot, home, 11, 31)
    select(qtbot, home, home.baclofen.id, R1133)
    press(qtbot, home, Qt.Key.Key_G, Qt.KeyboardModifier.ShiftModifier)


def _key_a(qtbot, home, mp):
    answer_batch(mp, qtbot)
    select(qtbot, home, home.riluzole.id, R1133)
    press(qtbot, home, Qt.Key.Key_A)


def _key_s(qtbot, home, mp):
    answer_skip(mp, qtbot)
    select(qtbot, home, home.baclofen.id, R1133)
    press(qtbot, home, Qt.Key.Key_S)


def _key_z(qtbot, home, mp):
    select(qtbot, home, home.baclofen.id, R1133)
    press(qtbot, home, Qt.Key.Key_Z)
    assert home.tab.card.snooze_menu.isVisible()
    home.tab.card.snooze_actions[15].trigger()
    home.tab.card.snooze_menu.close()


def _key_c(qtbot, home, mp):
    answer_correct(mp, qtbot)
    select(qtbot, home, home.baclofen.id, R1133)
    press(qtbot, home, Qt.Key.Key_C)


def _banner_given(qtbot, home, mp):
    home.reminders.start()
    banner = home.alerts.banner
    row = [i.medicine_id for i in banner.items()].index(home.baclofen.id)
    home.win.show_tab("learn")  # the banner works from any tab
    click(qtbot, banner.given_button(row))


def _banner_snooze(qtbot, home, mp):
    home.reminders.start()
    banner = home.alerts.banner
    row = [i.medicine_id for i in banner.items()].index(home.baclofen.id)
    snooze_item(banner.snooze_menu(row)).trigger()


def _out_of_view(qtbot, home):
    home.win.showMinimized()
    qtbot.waitUntil(home.win.isMinimized)
    home.reminders.start()
    popup = home.alerts.popup
    assert popup.isVisible()
    return popup.banner


def _popup_given(qtbot, home, mp):
    shown = _out_of_view(qtbot, home)
    row = [i.medicine_id for i in shown.items()].index(home.baclofen.id)
    click(qtbot, shown.given_button(row))


def _popup_snooze(qtbot, home, mp):
    shown = _out_of_view(qtbot, home)
    row = [i.medicine_id for i in shown.items()].index(home.baclofen.id)
    snooze_item(shown.snooze_menu(row)).trigger()


def _on_notification(qtbot, home, label: str) -> None:
    """The system's notification for the 11:33 doses: "Given: all 2…" or Snooze (the
    desktop reports the press in the library's thread)."""
    home.reminders.start()
    qtbot.waitUntil(lambda: home.service.only() is not None, timeout=3000)
    home.service.press(label)


def _notification_given(qtbot, home, mp):
    answer_batch(mp, qtbot)
    before = len(_rows(home))
    _on_notification(qtbot, home, "Given: all 2…")
    qtbot.waitUntil(lambda: len(_rows(home)) == before + 2, timeout=3000)


def _notification_snooze(qtbot, home, mp):
    _on_notification(qtbot, home, "Snooze 10 min")
    qtbot.waitUntil(lambda: len(home.reminders.snoozes()) == 2, timeout=3000)


def _catch_up(qtbot, home, mp):
    """The list asks about baclofen 11:33 and both riluzole doses; baclofen given at its
    time, riluzole 11:33 not given (asleep), 11:39 left for later."""
    home.reminders.start()
    dialog = home.alerts.catch_up_dialog
    assert dialog is not None and len(dialog.rows) == 3
    def row(name, when):
        return next(r for r in dialog.rows if f"{when}  ·  {name} " in r.heading.text())

    click(qtbot, row("baclofen", "11:33").buttons["due"])
    second = row("riluzole", "11:33")
    click(qtbot, second.buttons["not_given"])
    second.reason_combo.setCurrentIndex(second.reason_combo.findData(SkipReason.ASLEEP.value))
    with qtbot.waitSignal(dialog.answered, timeout=1000):
        click(qtbot, dialog.save_button)


def _asleep_since_eleven(home):
    """Nobody watched from 11:00 (the laptop slept); it is 11:50."""
    from caregiver_app.storage.reminders_repo import ReminderRepository

    ReminderRepository(home.ctx.db).set_watched_until(at(D0, 11))
    home.clock.set(at(D0, 11, 50))


def _extra_dose(qtbot, home, mp):
    from caregiver_app.ui.medications.action_dialogs import ExtraDoseDialog

    def person(dialog):
        qtbot.keyClicks(dialog.reason_edit, "bad cramps")
        click(qtbot, dialog.ok_button)

    answer(mp, ExtraDoseDialog, person)
    medications = home.win.show_tab("medications")
    assert medications.select_medicine(home.baclofen.id)
    qtbot.waitUntil(medications.extra_button.isVisible)  # the tab is built when first shown
    click(qtbot, medications.extra_button)


PATHS = [
    Path("Today: Given now button", _card_given, "baclofen 11:33 given at 11:34"),
    Path("Today: Given at another time button", _card_given_at,
         "baclofen 11:33 given at 11:30"),
    Path("Today: Given all due at this time button", _card_batch,
         "2 doses due 11:33 given at 11:34 by TE: "),
    Path("Today: Skip button", _card_skip, "baclofen 11:33 skipped: asleep"),
    Path("Today: Snooze button's menu", _card_snooze, "baclofen 11:33 snoozed until 11:44"),
    Path("Today: Correct this record button", _card_correct,
         "correction of baclofen 11:33 (now: skipped: refused", prior="baclofen"),
    Path("Today: as-needed dose by button", _card_as_needed,
         "glycopyrrolate (as needed) given at 11:34", prior="baclofen"),
    Path("Today: G key", _key_g, "baclofen 11:33 given at 11:34"),
    Path("Today: Shift+G key", _key_shift_g, "baclofen 11:33 given at 11:31"),
    Path("Today: A key", _key_a, "2 doses due 11:33 given at 11:34 by TE: "),
    Path("Today: S key", _key_s, "baclofen 11:33 skipped: asleep"),
    Path("Today: Z key's menu", _key_z, "baclofen 11:33 snoozed until 11:49"),
    Path("Today: C key", _key_c, "correction of baclofen 11:33 (now: skipped: refused",
         prior="baclofen"),
    Path("reminder banner: Given", _banner_given, "baclofen 11:33 given at 11:34"),
    Path("reminder banner: Snooze 10 minutes", _banner_snooze,
         "baclofen 11:33 snoozed until 11:44"),
    Path("reminder window: Given", _popup_given, "baclofen 11:33 given at 11:34"),
    Path("reminder window: Snooze 10 minutes", _popup_snooze,
         "baclofen 11:33 snoozed until 11:44"),
    Path("system notification: Given: all 2", _notification_given,
         "2 doses due 11:33 given at 11:34 by TE: "),
    Path("system notification: Snooze 10 min", _notification_snooze,
         "2 doses snoozed until 11:44: baclofen 11:33, riluzole 11:33"),
    Path("while you were away list: Save", _catch_up,
         "2 answers saved together: baclofen 11:33, riluzole 11:33",
         setup=_asleep_since_eleven),
    Path("Medications: Extra dose", _extra_dose, "baclofen (extra dose) given at 11:34"),
]


def _prior(qtbot, home, which: str) -> int:
    """The earlier, correct record (by the G key) Undo must never touch; its id."""
    if which == "baclofen":
        select(qtbot, home, home.baclofen.id, R1133)
    else:
        select(qtbot, home, home.glyco.id, None)
    press(qtbot, home, Qt.Key.Key_G)
    rows = _rows(home)
    assert len(rows) == 1 and rows[0]["kind"] == "given"
    return rows[0]["id"]


def _rows(home) -> list[dict]:
    return [dict(r) for r in home.ctx.db.query("SELECT * FROM dose_entries ORDER BY id")]


def _undo(qtbot, home, by_button: bool) -> None:
    home.win.showNormal()
    home.win.show_tab("today")
    tab = home.tab
    if by_button:
        click(qtbot, tab.undo_button)
    else:
        press(qtbot, home, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_undo_after_each_path_takes_back_only_what_it_made(path, home, qtbot, monkeypatch):
    index = PATHS.index(path)
    if path.setup is not None:
        path.setup(home)
    prior = _prior(qtbot, home, path.prior)
    home.clock.set(home.clock.now() + timedelta(seconds=20))
    before = {r["id"] for r in _rows(home)}
    snoozes_before = home.reminders.snoozes()

    path.act(qtbot, home, monkeypatch)

    made = [r for r in _rows(home) if r["id"] not in before]
    snoozes = home.reminders.snoozes()
    assert made or snoozes != snoozes_before, f"{path.name} recorded nothing"
    # before it acts, Undo says which dose and time it will take back
    tab = home.tab
    assert tab.undo_button.isEnabled()
    assert path.names in tab.undo_button.toolTip(), tab.undo_button.toolTip()
    assert path.names in tab.undo_button.accessibleName()
    assert "glycopyrrolate" not in tab.undo_button.text() or path.prior == "baclofen"

    _undo(qtbot, home, by_button=index % 2 == 0)

    after = _rows(home)
    corrections = [r for r in after if r["id"] not in before and r not in made]
    # one correction for each entry this path made, and nothing else
    assert sorted(r["corrects_id"] for r in corrections) == sorted(r["id"] for r in made)
    # the earlier record stands as it was recorded (a correction of it, undone, brings
    # it back: the latest entry of its chain says what it said)
    head = _heads(after)[prior]
    first = next(r for r in after if r["id"] == prior)
    assert (head["kind"], head["given_at"]) == (first["kind"], first["given_at"]), path.name
    if not any(r["corrects_id"] == prior for r in made):
        assert head["id"] == prior, f"{path.name}: the earlier record was changed"
    assert home.reminders.snoozes() == snoozes_before  # a snooze put back as it was
    assert tab.feedback_label.text().startswith("Undone: ")
    assert not tab.undo_button.isEnabled()  # nothing older is offered


def test_the_sweep_covers_every_path_named_in_the_issue():
    """Today buttons, keys, banner, notice window, list, batch, extra dose, as needed."""
    names = " | ".join(p.name for p in PATHS)
    for word in ("button", "key", "banner", "reminder window", "system notification",
                 "list", "all due", "Extra dose", "as-needed", "Snooze", "Correct"):
        assert word in names
    assert len(PATHS) == 21


def _heads(rows: list[dict]) -> dict[int, dict]:
    """For each first entry of a chain, the chain's latest entry."""
    by_id = {r["id"]: r for r in rows}
    root: dict[int, int] = {}
    for r in rows:
        first = r["id"]
        while by_id[first]["corrects_id"] is not None:
            first = by_id[first]["corrects_id"]
        root[r["id"]] = first
    heads: dict[int, dict] = {}
    for r in rows:  # in id order: the last one wins
        heads[root[r["id"]]] = r
    return heads


# ---- The property, driven by keys and clicks


STEPS = st.lists(st.one_of(
    st.tuples(st.just("G"), st.sampled_from(["baclofen", "riluzole", "riluzole 2", "glyco"])),
    st.tuples(st.just("S"), st.sampled_from(["baclofen", "riluzole", "riluzole 2"])),
    st.tuples(st.just("C"), st.sampled_from(["baclofen", "riluzole", "riluzole 2"])),
    st.tuples(st.just("Z"), st.sampled_from(["baclofen", "riluzole", "riluzole 2"])),
    st.tuples(st.just("A"), st.just("riluzole")),
    st.tuples(st.just("banner"), st.integers(0, 1)),
    st.tuples(st.just("wait"), st.integers(1, 4)),
    st.tuples(st.just("undo"), st.booleans()),
), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
@example(steps=[("Z", "riluzole"), ("S", "riluzole 2"), ("banner", 0)])
def test_ctrl_z_after_any_sequence_takes_back_only_the_newest_action(home, qtbot, monkeypatch,
                                                                     steps):
    """Each example starts at 11:34 on a day of its own (the window and the records are
    shared between examples), so nothing of an example before may be undone."""
    home.days = getattr(home, "days", 0) + 1
    day = D0 + timedelta(days=home.days)
    home.clock.set(at(day, 11, 34))
    from caregiver_app.storage.reminders_repo import ReminderRepository

    ReminderRepository(home.ctx.db).set_watched_until(home.clock.now())  # no "while away"
    home.win.show_tab("today")
    home.tab.go_today()
    home.ctx.undo.expiry.timeout.emit()  # the day passed: its time is up
    answer_skip(monkeypatch, qtbot)
    answer_correct(monkeypatch, qtbot)
    answer_batch(monkeypatch, qtbot)
    # a dose given early or too soon asks first: this person thinks again (Escape)
    answer(monkeypatch, dialogs.GivenDialog,
           lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape))
    doses = {"baclofen": (home.baclofen.id, f"{day.isoformat()}T11:33"),
             "riluzole": (home.riluzole.id, f"{day.isoformat()}T11:33"),
             "riluzole 2": (home.riluzole.id, f"{day.isoformat()}T11:39"),
             "glyco": (home.glyco.id, None)}
    newest: Newest | None = None
    for name, arg in steps:
        before = {r["id"] for r in _rows(home)}
        snoozes = home.reminders.snoozes()
        if name == "wait":
            home.clock.set(home.clock.now() + timedelta(minutes=arg))
            home.ctx.undo.expiry.timeout.emit()  # as its timer would, on time
            continue
        if name == "undo":
            _undo_checked(qtbot, home, newest, before, by_button=arg)
            newest = None
            continue
        if name == "banner":
            home.reminders.start()
            banner = home.alerts.banner
            notice = banner.notice()
            if (banner.isVisible() and notice is not None and notice.kind is NoticeKind.DOSES
                    and len(banner.items()) > arg and not banner.items()[arg].ask):
                click(qtbot, banner.given_button(arg))
            home.reminders.stop()
        else:
            mid, key = doses[arg]
            select(qtbot, home, mid, key)
            card = home.tab.card
            button = {"G": card.given_button, "S": card.skip_button,
                      "C": card.correct_button, "Z": card.snooze_button,
                      "A": card.batch_button}[name]
            if not (button.isVisible() and button.isEnabled()):
                continue
            press(qtbot, home, getattr(Qt.Key, f"Key_{name}"))
            if name == "Z":  # a snooze is an action even when it changes nothing
                card.snooze_actions[10].trigger()
                card.snooze_menu.close()
                newest = Newest(home.clock.now(), snooze=((mid, key), snoozes.get((mid, key))))
                continue
        made = frozenset({r["id"] for r in _rows(home)} - before)
        if made:
            newest = Newest(home.clock.now(), made)
    _undo_checked(qtbot, home, newest, {r["id"] for r in _rows(home)}, by_button=False)


@dataclass(frozen=True)
class Newest:
    """The newest action of a property example: the entries it made, or the snooze it
    set (the dose, and its snooze before)."""

    at: object
    made: frozenset[int] = frozenset()
    snooze: tuple | None = None


def _undo_checked(qtbot, home, newest: Newest | None, before: set[int],
                  by_button: bool) -> None:
    tab = home.tab
    home.win.show_tab("today")
    snoozes = home.reminders.snoozes()
    if newest is None or home.clock.now() - newest.at >= UNDO_WINDOW:
        assert not tab.undo_button.isEnabled()
        press(qtbot, home, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert {r["id"] for r in _rows(home)} == before  # nothing older is touched
        assert home.reminders.snoozes() == snoozes
        return
    _undo(qtbot, home, by_button)
    new = [r for r in _rows(home) if r["id"] not in before]
    if newest.snooze is not None:
        assert new == []
        dose, was = newest.snooze
        assert home.reminders.snoozes().get(dose) == was  # put back as it was
        return
    # one correction for each entry the newest action made, and nothing else
    assert sorted(r["corrects_id"] for r in new) == sorted(newest.made)
