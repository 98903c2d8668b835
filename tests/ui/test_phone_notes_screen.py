"""The phones' notes where the caregiver looks, driven as a person does: a household
already sharing with a real server (Radicale), Ana's "phone" (an independent caldav
client) un-ticks a dose the app recorded; after File ▸ Sync with the family now, Today
flags it, the status bar counts it, the list shows it and goes to the dose, and Mark
these as seen puts the flags away."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import caldav
import pytest
from carddav_phone import CardPhone
from fake_keyring import memory_keyring  # noqa: F401  (the fixture)
from gui_paths import Answers, Keyboard, button, menu_action
from medicine_builders import D0, at, medicine
from PySide6.QtWidgets import QRadioButton
from radicale_server import radicale  # noqa: F401  (the fixture)

from caregiver_app.core import open_core
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.sharing import ShareConfig
from caregiver_app.services.sharing.secrets import keep_password
from caregiver_app.storage.sharing_repo import SharingRepository
from caregiver_app.ui.phone_notes import (
    CHECK_STYLE,
    NEWS_STYLE,
    PhoneNotesButton,
    PhoneNotesLine,
)
from caregiver_app.ui.tones import pair

SYNC_TIMEOUT = 90_000  # ms: a first publish on a loaded machine


@pytest.fixture
def sharing_home(data_dir, fake_clock, radicale, memory_keyring):  # noqa: F811
    """Jane's records, sharing with the family since an earlier day (made before the
    window opens on them)."""
    fake_clock.set(at(D0, 7))
    core = open_core(data_dir, fake_clock)
    try:
        core.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                          time_zone="America/New_York"))
        saved = {c.initials: c for c in core.session.save_caregivers(
            [Caregiver("Tom Example", "TE"), Caregiver("Ana Helper", "AH")])}
        tom, ana = saved["TE"], saved["AH"]
        core.session.set_on_duty(tom.id)
        core.medications.add_medicine(medicine(id=None, start=D0))
        SharingRepository(core.db).save_config(ShareConfig(
            enabled=True, server=radicale.url, username="ana", giver_id=ana.id,
            device="Ana's iPhone", confirmed=True))
    finally:
        core.close()
    keep_password(radicale.url, "ana", "ana-secret")
    return data_dir


def _cell(dialog, row, column):
    return dialog.model.data(dialog.model.index(row, column))


def _sync(ctx, window, qtbot):
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT) as synced:
        menu_action(window, "File", "Sync with the family now").trigger()
    return synced.args[0]


def _phone_tasks(radicale):  # noqa: F811
    client = caldav.DAVClient(url=radicale.url, username="ana", password="ana-secret")
    [tasks] = [c for c in client.principal().calendars()
               if c.get_display_name() == "Jane's medicines"]
    return client, sorted(tasks.todos(include_completed=True),
                          key=lambda t: t.icalendar_component["due"].dt)


def _on_duty(ctx, initials: str) -> Caregiver:
    """The caregiver with ``initials``, put on duty."""
    [giver] = [c for c in ctx.patients.caregivers() if c.initials == initials]
    ctx.session.set_on_duty(giver.id)
    return giver


def _give_the_0800_dose(ctx):
    """The day's first dose (riluzole, 08:00) recorded as given at 08:05 by the caregiver
    on duty: (its status before, the record)."""
    book = ctx.medications
    first = book.statuses(D0, D0)[0]
    return first, book.record_given(first.medicine.id, first.occurrence.key,
                                    given_at=at(D0, 8, 5))


def _on_anas_phone(radicale, change) -> None:  # noqa: F811
    """``change`` done to the 08:00 dose's task on Ana's phone (a caldav client of its
    own), as she ticks or un-ticks it there."""
    client, tasks = _phone_tasks(radicale)
    with client:
        change(tasks[0])


def _unticked_on_anas_phone(ctx, window, qtbot, radicale, *, recorded, synced):  # noqa: F811
    """Tom, on duty at ``recorded``, records the 08:00 dose as given at 08:05 and the
    window shares it; Ana un-ticks it on her phone (not given, she says), and the window
    syncs again at ``synced``: one note. (The dose's status before, the record.)"""
    _on_duty(ctx, "TE")
    ctx.clock.set(recorded)
    first, given = _give_the_0800_dose(ctx)
    _sync(ctx, window, qtbot)
    _on_anas_phone(radicale, lambda task: task.uncomplete())
    ctx.clock.set(synced)
    assert len(_sync(ctx, window, qtbot).noted) == 1
    return first, given


def _to_check_on_today(line: PhoneNotesLine) -> list[str]:
    """What Today's line of the phones' notes says under its heading, once it is sure the
    line is shown as the warning one (a note needs a person)."""
    assert line.isVisible() and line.needs_a_person
    assert pair(CHECK_STYLE).fill in line.styleSheet()
    heading, *said = line.label.text().splitlines()
    assert heading == "⚑ From the phones, to check:"
    return said


def _history(window, qtbot, answers: Answers, medicine_id: int, look) -> None:
    """The medicine's History… opened as a person does (Medications tab, the medicine,
    the History button); ``look`` reads the dialog and closes it."""
    from PySide6.QtCore import Qt

    answers.then(look)
    window.show_tab("medications")
    tab = window.tab_widget("medications")
    tab.select_medicine(medicine_id)
    qtbot.mouseClick(tab.history_button, Qt.MouseButton.LeftButton)
    assert answers.pending() == 0


def test_a_task_unticked_on_a_phone_is_flagged_on_today_until_seen(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    [line] = main_window.findChildren(PhoneNotesLine)
    [count] = main_window.statusBar().findChildren(PhoneNotesButton)
    assert not line.isVisible() and not count.isVisible()
    book = ctx.medications
    _on_duty(ctx, "TE")
    ctx.clock.set(at(D0, 8, 30))
    first, _ = _give_the_0800_dose(ctx)
    assert _sync(ctx, main_window, qtbot).sent == 16
    # Ana un-ticks the 08:00 dose on her phone
    _on_anas_phone(radicale, lambda task: task.uncomplete())
    report = _sync(ctx, main_window, qtbot)
    assert len(report.noted) == 1

    # Today flags it, in the warning colour, naming the dose and what to do
    assert _to_check_on_today(line) == [
        "riluzole, Mon 5 Jan 08:00: Un-ticked on Ana's iPhone: the app's record still "
        "says given. Check it, and correct the record if the dose was not given."]
    assert count.isVisible() and count.text() == "1 note from the phones"

    # the status bar's button opens the list; Show the dose in Today goes to it
    def look(dialog):
        assert dialog.model.rowCount() == 1
        assert _cell(dialog, 0, 1) == "riluzole, Mon 5 Jan 08:00"
        assert _cell(dialog, 0, 3) == "new"
        keys.click(button(dialog, "Show the dose in Today"))

    answers.then(look)
    keys.click(count)
    assert main_window.current_tab_key() == "today"
    row = main_window.today_tab.current_row()
    assert row is not None and row.dose.occurrence.key == first.occurrence.key
    assert line.isVisible()  # still to see: only shown so far

    # File ▸ Notes from the phones…: Mark these as seen puts the flags away
    def mark(dialog):
        keys.click(button(dialog, "Mark these as seen"))
        assert dialog.model.rowCount() == 0
        assert dialog.count_label.text() == "No new notes from the phones."
        keys.press("Alt+S")  # the seen ones are still there to read
        assert dialog.model.rowCount() == 1 and _cell(dialog, 0, 3) == "seen"
        keys.click(button(dialog, "Close"))

    answers.then(mark)
    menu_action(main_window, "File", "Notes from the phones…").trigger()
    assert not line.isVisible() and not count.isVisible()
    # the record itself was never touched by the phone
    assert book.statuses(D0, D0)[0].effective.given_at == at(D0, 8, 5)


def test_a_note_about_a_dose_is_settled_by_correcting_its_record_in_the_app(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """Un-ticked on the phone, then corrected in the app (Show the dose in Today,
    Correct this record…): the note needs no one any more, by itself, and the record
    it was about is kept, with the correction after it."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    [line] = main_window.findChildren(PhoneNotesLine)
    [count] = main_window.statusBar().findChildren(PhoneNotesButton)
    book = ctx.medications
    _, given = _unticked_on_anas_phone(ctx, main_window, qtbot, radicale,
                                       recorded=at(D0, 8, 30), synced=at(D0, 8, 40))
    assert line.isVisible() and line.needs_a_person and count.isVisible()

    def correct(dialog):
        keys.click(dialog.skip_radio)  # "It was not given", its reason as offered
        keys.click(button(dialog, "Save correction"))

    answers.then(lambda dialog: keys.click(button(dialog, "Show the dose in Today")),
                 correct)
    keys.click(count)
    ctx.clock.set(at(D0, 8, 45))
    keys.click(main_window.today_tab.card.correct_button)
    assert answers.pending() == 0

    # the record: kept, with its correction after it (nothing overwritten)
    status = book.statuses(D0, D0)[0]
    assert status.state.name == "SKIPPED"
    assert [e.kind.name for e in status.history] == ["GIVEN", "SKIPPED"]
    assert status.history[0].id == given.id
    # the note needs no one now: Today's line and the status bar's count are gone
    assert not line.isVisible() and not count.isVisible()

    def look(dialog):
        assert dialog.model.rowCount() == 0  # nothing new
        assert dialog.count_label.text() == "No new notes from the phones."
        keys.press("Alt+S")  # Show the notes already seen or settled too
        assert dialog.model.rowCount() == 1
        assert _cell(dialog, 0, 3) == "settled in the app"
        assert not _cell(dialog, 0, 2).startswith("⚑")
        assert not dialog.seen_button.isEnabled()
        keys.click(button(dialog, "Close"))

    answers.then(look)
    menu_action(main_window, "File", "Notes from the phones…").trigger()


def test_a_contact_changed_on_both_sides_is_settled_from_the_phones_notes(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """The note about a contact changed here and on a phone offers Settle this
    contact… (Alt+N), which shows both versions; once settled, the note is seen."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    [line] = main_window.findChildren(PhoneNotesLine)
    [count] = main_window.statusBar().findChildren(PhoneNotesButton)
    patel = ctx.careteam.save_contact(Contact(
        "Dr. Maya Patel", role=Role.NEUROLOGIST, email="mpatel@clinic.example.org",
        phones=(Phone(PhoneKind.OFFICE, "+13125550142"),)))
    _sync(ctx, main_window, qtbot)
    phone = CardPhone(radicale)
    try:
        phone.edit("Dr. Maya Patel", lambda c: setattr(c.email, "value", "phone@example.org"))
        ctx.careteam.save_contact(replace(patel, email="app@example.org"))
        assert len(_sync(ctx, main_window, qtbot).noted) == 1
        assert line.isVisible() and line.needs_a_person
        assert line.label.text().splitlines()[1] == (
            "Care team: “Dr. Maya Patel” was changed here and on a phone in the same "
            "field; choose "
            "which to keep with “Settle this contact” in the phones' notes.")
        seen = {}

        def notes(dialog):
            assert _cell(dialog, 0, 1) == "Care team"
            settle = dialog.settle_button
            seen["button"] = (settle.isVisible(), settle.accessibleName())
            seen["show dose"] = dialog.show_button.isEnabled()
            keys.press("Alt+N")  # Settle this contact…
            seen["after"] = (dialog.model.rowCount(), settle.isVisible(),
                             dialog.count_label.text())
            keys.click(button(dialog, "Close"))

        def choose(settle):
            seen["question"] = settle.question.text()
            radios = {r.text(): r for r in settle.findChildren(QRadioButton)}
            assert set(radios) == {"app@example.org", "phone@example.org"}
            keys.click(radios["phone@example.org"])
            keys.click(button(settle, "Keep the chosen ones"))

        answers.then(notes, choose)
        keys.click(count)
        assert answers.pending() == 0
        assert seen["button"] == (True, "Settle this contact")
        assert seen["show dose"] is False  # a contact, not a dose
        assert seen["question"].startswith("“Dr. Maya Patel” was changed here and on a "
                                           "phone")
        assert seen["after"] == (0, False, "No new notes from the phones.")
        assert not line.isVisible() and not count.isVisible()
        assert ctx.careteam.contact(patel.id).email == "phone@example.org"
        assert ctx.sharing._soon.isActive()  # a sync soon after the choice
        _sync(ctx, main_window, qtbot)
        assert phone.cards()["Dr. Maya Patel"][1].email.value == "phone@example.org"
    finally:
        phone.close()


def test_settling_from_file_share_with_the_family_marks_the_note_seen_too(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """Settle contacts is offered in File ▸ Share with the family… as well as in the
    phones' notes. Opened from there it settled the contact but left the note about it
    new: Today and the status bar still asked the caregiver to settle a contact already
    settled. Both open it the same way now."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    [line] = main_window.findChildren(PhoneNotesLine)
    [count] = main_window.statusBar().findChildren(PhoneNotesButton)
    patel = ctx.careteam.save_contact(Contact(
        "Dr. Maya Patel", role=Role.NEUROLOGIST, email="mpatel@clinic.example.org",
        phones=(Phone(PhoneKind.OFFICE, "+13125550142"),)))
    _sync(ctx, main_window, qtbot)
    phone = CardPhone(radicale)
    try:
        phone.edit("Dr. Maya Patel", lambda c: setattr(c.email, "value", "phone@example.org"))
        ctx.careteam.save_contact(replace(patel, email="app@example.org"))
        assert len(_sync(ctx, main_window, qtbot).noted) == 1
        assert line.isVisible() and count.text() == "1 note from the phones"
        seen = {}

        def share(dialog):
            seen["offer"] = dialog.settle_button.accessibleName()
            keys.press("Alt+N")  # Settle contacts (1)…
            seen["after"] = dialog.settle_row.isVisible()
            keys.click(button(dialog, "Cancel"))

        def choose(settle):
            radios = {r.text(): r for r in settle.findChildren(QRadioButton)}
            keys.click(radios["phone@example.org"])
            keys.click(button(settle, "Keep the chosen ones"))

        answers.then(share, choose)
        menu_action(main_window, "File", "Share with the family…").trigger()
        assert answers.pending() == 0
        assert seen == {"offer": "Settle contacts (1)", "after": False}
        assert ctx.careteam.contact(patel.id).email == "phone@example.org"
        # the note about it is seen, as when settled from the phones' notes
        assert not line.isVisible() and not count.isVisible()

        def notes(dialog):
            seen["new"] = dialog.model.rowCount()
            keys.press("Alt+S")  # Show the notes already seen or settled too
            seen["states"] = [_cell(dialog, row, 3) for row in
                              range(dialog.model.rowCount())]
            keys.click(button(dialog, "Close"))

        answers.then(notes)
        menu_action(main_window, "File", "Notes from the phones…").trigger()
        assert seen["new"] == 0 and seen["states"] == ["seen"]
    finally:
        phone.close()


def test_a_dose_also_ticked_on_a_phone_says_so_beside_its_record_in_history(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """Recorded in the app by Ana, then ticked on her phone: no second record, and the
    medicine's History (Medications ▸ History…) says so beside the record, as Today
    did."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    _on_duty(ctx, "AH")
    ctx.clock.set(at(D0, 8, 30))
    _sync(ctx, main_window, qtbot)
    first, given = _give_the_0800_dose(ctx)
    _on_anas_phone(radicale, lambda task: task.complete(  # Ana ticks it too
        completion_timestamp=at(D0, 8, 12)))
    report = _sync(ctx, main_window, qtbot)
    assert report.recorded == 0 and len(report.noted) == 1
    seen = {}

    def look(dialog):
        model = dialog.model
        rows = {model.item(r).entry_id: r for r in range(model.rowCount())}
        seen["what"] = model.text(rows[given.id], model.WHAT)
        seen["records"] = sum(1 for r in range(model.rowCount())
                              if model.item(r).entry_id is not None)
        dialog.search_edit.setFocus()
        qtbot.keyClicks(dialog.search_edit, "also ticked")  # found by a search too
        seen["found"] = dialog.proxy.rowCount()
        keys.press("Escape")

    _history(main_window, qtbot, answers, first.medicine.id, look)
    assert seen["what"] == "Given (also ticked on Ana's iPhone at 08:12)"
    assert seen["records"] == 1 and seen["found"] == 1  # one record, not two


def test_a_dose_unticked_on_a_phone_says_so_in_history_beside_the_record(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """Tom records the 08:00 dose; Ana un-ticks it on her phone. A nurse reading the
    medicine's History sees beside the record that a phone disputed it, flagged until
    the record is corrected."""
    from caregiver_app.domain.doses import EntryKind
    from caregiver_app.domain.vocab import SkipReason

    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    book = ctx.medications
    first, given = _unticked_on_anas_phone(ctx, main_window, qtbot, radicale,
                                           recorded=at(D0, 8, 20), synced=at(D0, 8, 30))
    seen: list[dict] = []

    def look(dialog):
        model = dialog.model
        seen.append({model.item(r).entry_id: model.text(r, model.WHAT)
                     for r in range(model.rowCount()) if model.item(r).entry_id})
        keys.press("Escape")

    def open_history():
        _history(main_window, qtbot, answers, first.medicine.id, look)

    open_history()
    assert seen[0] == {given.id: "Given (un-ticked on Ana's iPhone before Mon 5 Jan 08:30; "
                                 "⚑ to check)"}
    # Ana says it was given after all: the note is marked seen, and the flag goes
    ctx.clock.set(at(D0, 8, 50))

    def mark(dialog):
        keys.click(button(dialog, "Mark these as seen"))
        keys.click(button(dialog, "Close"))

    answers.then(mark)
    menu_action(main_window, "File", "Notes from the phones…").trigger()
    open_history()
    assert seen[1] == {given.id: "Given (un-ticked on Ana's iPhone before Mon 5 Jan 08:30; "
                                 "seen Mon 5 Jan 08:50)"}
    # corrected in the app instead (not given after all): settled, the words stay
    fixed = book.correct(given.id, kind=EntryKind.SKIPPED, skip_reason=SkipReason.REFUSED)
    open_history()
    assert seen[2][given.id] == ("Given (un-ticked on Ana's iPhone before Mon 5 Jan 08:30; "
                                 "settled in the app; corrected below)")
    assert fixed.id in seen[2]


def test_a_dose_recorded_by_tom_and_ticked_on_anas_phone_is_flagged_to_check(
        sharing_home, ctx, main_window, qtbot, radicale):  # noqa: F811
    """Tom records the 08:00 dose at 08:05; Ana's phone had not synced, so she gives it
    too and ticks it at 08:12: a possible double dose. After File ▸ Sync with the family
    now, Today's line is the red one saying to check it was not given twice, and the
    status bar says 1 to check; still one record."""
    [line] = main_window.findChildren(PhoneNotesLine)
    book = ctx.medications
    tom = _on_duty(ctx, "TE")
    ctx.clock.set(at(D0, 8, 30))
    _sync(ctx, main_window, qtbot)
    _give_the_0800_dose(ctx)
    _on_anas_phone(radicale, lambda task: task.complete(  # Ana ticks it too
        completion_timestamp=at(D0, 8, 12)))
    report = _sync(ctx, main_window, qtbot)
    assert report.recorded == 0 and len(report.to_check) == 1
    assert "1 to check in the app" in ctx.sharing.status
    assert _to_check_on_today(line) == [
        "riluzole, Mon 5 Jan 08:00: Also ticked on Ana's iPhone at 08:12, but the app has "
        "it given by Tom Example at 08:05. Check it was not given twice."]
    assert [s.effective.caregiver_id for s in book.statuses(D0, D0)
            if s.effective] == [tom.id]  # one record, Tom's


def test_todays_line_shows_the_note_that_asks_before_notes_that_only_tell(
        sharing_home, ctx, main_window, qtbot, radicale):  # noqa: F811
    """One sync brings an un-ticked dose and three cards of people already in the care
    team (news, kept after the dose notes): Today's red line shows the un-tick first,
    not behind "and 1 more."."""
    [line] = main_window.findChildren(PhoneNotesLine)
    _on_duty(ctx, "TE")
    ctx.clock.set(at(D0, 8, 30))
    _give_the_0800_dose(ctx)
    team = [("Dr. Maya Patel", "+13125550142"), ("Dr. Sam Lee", "+13125550143"),
            ("Kim Nurse", "+13125550144")]
    for name, number in team:
        ctx.careteam.save_contact(Contact(name, role=Role.NEUROLOGIST,
                                          phones=(Phone(PhoneKind.OFFICE, number),)))
    _sync(ctx, main_window, qtbot)
    # Ana un-ticks the 08:00 dose on her phone
    _on_anas_phone(radicale, lambda task: task.uncomplete())
    phone = CardPhone(radicale)
    try:
        for n, (name, number) in enumerate(team):  # and adds three cards again
            phone.add(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:again-{n}\r\nFN:{name}\r\n"
                      f"TEL:{number}\r\nEND:VCARD\r\n", f"again-{n}.vcf")
        report = _sync(ctx, main_window, qtbot)
    finally:
        phone.close()
    assert len(report.noted) == 4 and len(report.to_check) == 1
    shown = line.label.text().splitlines()
    assert line.needs_a_person and shown[0] == "⚑ From the phones, to check:"
    assert shown[1].startswith("riluzole, Mon 5 Jan 08:00: Un-ticked on Ana's iPhone")
    assert [s.startswith("Care team: ") for s in shown[2:4]] == [True, True]
    assert shown[4:] == ["and 1 more."]


def test_a_contact_note_that_only_tells_is_not_flagged_nor_counted_to_check(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """A card added on a phone for someone already in the care team is not added twice,
    and the note saying so is news: the Today line is not the warning one, the status
    bar says nothing is to check, and the list shows it without ⚑."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    [line] = main_window.findChildren(PhoneNotesLine)
    ctx.careteam.save_contact(Contact(
        "Dr. Maya Patel", role=Role.NEUROLOGIST,
        phones=(Phone(PhoneKind.OFFICE, "+13125550142"),)))
    _sync(ctx, main_window, qtbot)
    phone = CardPhone(radicale)
    try:
        phone.add("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-2\r\nFN:Dr. Maya Patel\r\n"
                  "TEL:+1 312 555 0142\r\nEND:VCARD\r\n", "patel-again.vcf")
        report = _sync(ctx, main_window, qtbot)
    finally:
        phone.close()
    assert len(report.noted) == 1 and report.to_check == []
    assert len(ctx.careteam.contacts()) == 1  # not added twice
    assert ctx.sharing.status.startswith("Shared with the family at ")
    assert "to check" not in ctx.sharing.status
    assert line.isVisible() and not line.needs_a_person
    assert pair(NEWS_STYLE).fill in line.styleSheet()
    assert line.label.text().splitlines() == [
        "From the phones:",
        "Care team: “Dr. Maya Patel”, added on a phone, is already in the care team; it "
        "was not added twice."]
    seen = {}

    def look(dialog):
        seen["message"] = _cell(dialog, 0, 2)
        seen["settle"] = dialog.settle_button.isVisible()
        keys.click(button(dialog, "Mark these as seen"))
        keys.click(button(dialog, "Close"))

    answers.then(look)
    menu_action(main_window, "File", "Notes from the phones…").trigger()
    assert not seen["message"].startswith("⚑") and seen["settle"] is False
    assert not line.isVisible()


@pytest.fixture
def eleven_numbers(sharing_home, ctx, main_window, qtbot, radicale):  # noqa: F811
    """Dr. Maya Patel, her office number shared with the phones; then five numbers added
    on a phone (Home: (312) 555-0200 to 0204) and five here (Mobile: (312) 555-0100 to
    0104): eleven together, more than a contact keeps, so the sync asks which list to
    keep. ``patel``: her contact as first saved; ``ours``: the numbers kept here;
    ``phone``: the phone (closed after the test)."""
    office = Phone(PhoneKind.OFFICE, "+13125550142")
    patel = ctx.careteam.save_contact(Contact("Dr. Maya Patel", role=Role.NEUROLOGIST,
                                              phones=(office,)))
    _sync(ctx, main_window, qtbot)
    phone = CardPhone(radicale)
    try:
        def five_on_the_phone(card):
            for n in range(5):
                tel = card.add("tel")
                tel.value, tel.type_param = f"+1 312 555 02{n:02d}", "HOME"

        phone.edit("Dr. Maya Patel", five_on_the_phone)
        ours = (office, *(Phone(PhoneKind.MOBILE, f"+131255501{n:02d}") for n in range(5)))
        ctx.careteam.save_contact(replace(patel, phones=ours))
        assert len(_sync(ctx, main_window, qtbot).to_check) == 1
        yield SimpleNamespace(patel=patel, ours=ours, phone=phone)
    finally:
        phone.close()


def test_numbers_past_the_limit_on_both_sides_are_one_choice_in_settle_contacts(
        eleven_numbers, ctx, main_window, qtbot, monkeypatch):
    """Five numbers added on a phone and five here, eleven together: Settle this
    contact… offers the two lists whole; the one kept goes to both sides."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    [count] = main_window.statusBar().findChildren(PhoneNotesButton)
    patel, phone = eleven_numbers.patel, eleven_numbers.phone
    seen = {}

    def notes(dialog):
        keys.press("Alt+N")  # Settle this contact…
        seen["listed"] = [_cell(dialog, row, 2) for row in range(dialog.model.rowCount())]
        keys.click(button(dialog, "Close"))

    def choose(settle):
        seen["question"] = settle.question.text()
        radios = settle.findChildren(QRadioButton)
        seen["choices"] = [r.text().splitlines() for r in radios]
        [there] = [r for r in radios if r.property("side") == "there"]
        keys.click(there)
        keys.click(button(settle, "Keep the chosen ones"))

    answers.then(notes, choose)
    keys.click(count)
    assert answers.pending() == 0
    assert "together more than the 10 a contact keeps" in seen["question"]
    here, there = seen["choices"]
    assert len(here) == len(there) == 6  # each side's whole list
    assert here[1] == "Mobile: (312) 555-0100" and there[1] == "Home: (312) 555-0200"
    assert [p.number for p in ctx.careteam.contact(patel.id).phones] == [
        "+13125550142", *(f"+131255502{n:02d}" for n in range(5))]
    # the numbers of the list not kept can still be read, in a new note, and on Today
    not_kept = ("“Dr. Maya Patel”: one list of numbers was kept, so these were not: "
                + ", ".join(f"Mobile: (312) 555-01{n:02d} (here)" for n in range(5))
                + ". To keep one, add it by hand in the Care team tab, in place of "
                "one kept.")
    assert seen["listed"] == [not_kept]  # the question's note was dealt with: seen
    today_line = main_window.tab_widget("today").findChild(PhoneNotesLine)
    assert today_line.isVisibleTo(main_window)
    assert f"Care team: {not_kept}" in today_line.label.text()
    assert count.text() == "1 note from the phones"
    _sync(ctx, main_window, qtbot)
    assert len(phone.cards()["Dr. Maya Patel"][1].contents["tel"]) == 6
    assert [n.message for n in SharingRepository(ctx.db).notes()] == [not_kept]


def test_keeping_one_list_when_the_records_cannot_be_written_keeps_nothing_and_says_so(
        eleven_numbers, ctx, main_window, qtbot, monkeypatch):
    """The note of the numbers not kept cannot be written (another program holds the
    file): the contact, its card and the note go together, so nothing is kept, the
    question stays, and the person reads why where they are looking."""
    from caregiver_app.storage.faults import RecordsNotSaved

    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    [count] = main_window.statusBar().findChildren(PhoneNotesButton)
    patel, ours = eleven_numbers.patel, eleven_numbers.ours

    def busy(*_args, **_kwargs):
        raise RecordsNotSaved("another program is using the records file",
                              "Close it and try again.")

    monkeypatch.setattr(SharingRepository, "add_notes", busy)
    told: list[object] = []  # what the window is told changed
    ctx.core.changes.changed.connect(
        lambda changes: told.append(getattr(changes, "contacts", None)))
    seen = {}

    def notes(dialog):
        keys.press("Alt+N")  # Settle this contact…
        keys.click(button(dialog, "Close"))

    def choose(settle):
        [there] = [r for r in settle.findChildren(QRadioButton)
                   if r.property("side") == "there"]
        keys.click(there)
        keys.click(button(settle, "Keep the chosen ones"))
        seen["error"] = settle.error.text()
        seen["still asked"] = settle.question.text()
        keys.click(button(settle, "Later"))

    answers.then(notes, choose)
    keys.click(count)
    assert answers.pending() == 0
    assert "Nothing was kept, because another program is using the records file" \
        in seen["error"]
    assert "together more than the 10 a contact keeps" in seen["still asked"]
    assert ctx.careteam.contact(patel.id).phones == ours  # nothing kept half-way
    assert not any(told), told  # and no contact was announced as changed
    assert len(ctx.sharing.engine.cards.waiting()) == 1  # still waits for the person


def test_the_windows_sync_keeps_how_the_server_took_the_password(
        sharing_home, ctx, main_window, qtbot, monkeypatch):
    """So the next start's first sync (and ``caregiver-app sync``) sends the password
    with its first request; the records keep the way ("basic"), never the password."""
    from caregiver_app.services.sharing import transport

    monkeypatch.setattr(transport, "_LOGIN", {})  # as at a start
    assert SharingRepository(ctx.db).config().login == ""
    _sync(ctx, main_window, qtbot)
    assert SharingRepository(ctx.db).config().login == "basic"


def test_the_windows_sync_forgets_a_refused_password_and_tries_it_once_a_sync(
        sharing_home, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """The password was changed on the server: each File ▸ Sync with the family now is
    one failed log-in, not two (servers lock an account after a few), and the first
    forgets that the server takes the password unasked, as ``caregiver-app sync``
    does."""
    from caldav.lib.http_sync import requests as http

    from caregiver_app.services.sharing import transport

    monkeypatch.setattr(transport, "_LOGIN", {})
    _sync(ctx, main_window, qtbot)
    assert SharingRepository(ctx.db).config().login == "basic"
    logins: list[int] = []
    real = http.Session.request

    def request(session, method, url, *args, **kwargs):
        response = real(session, method, url, *args, **kwargs)
        if "Authorization" in response.request.headers:
            logins.append(response.status_code)
        return response

    monkeypatch.setattr(http.Session, "request", request)
    keep_password(radicale.url, "ana", "changed-on-the-server")
    for _ in range(3):
        logins.clear()
        with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT):
            menu_action(main_window, "File", "Sync with the family now").trigger()
        assert logins == [401]  # one failed log-in a sync
        assert SharingRepository(ctx.db).config().login == ""
        assert ctx.sharing.status.startswith("Not shared: The server refused the password")
