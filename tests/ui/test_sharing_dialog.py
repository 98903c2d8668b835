"""File ▸ Share with the family…, as a person uses it, against a real server
(Radicale, started by the test) with the password in a keyring kept in memory."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import caldav
import pytest
from carddav_phone import CardPhone
from fake_keyring import memory_keyring  # noqa: F401  (the fixture)
from gui_paths import Answers, Keyboard, button, menu_action
from households import jane_with_tom_on_duty
from medicine_builders import D0, at, medicine
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton, QWidget
from radicale_server import (  # noqa: F401  (the fixtures)
    fingerprint_of,
    radicale,
    radicale_tls,
    redirector,
    self_signed,
)

from caregiver_app.core import open_core
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.patient import AllergyStatus, Patient
from caregiver_app.domain.phones import Phone, PhoneKind
from caregiver_app.domain.sharing import SaidIn, ShareConfig
from caregiver_app.services.sharing.secrets import SERVICE, keep_password
from caregiver_app.storage.sharing_repo import SharingRepository

SYNC_TIMEOUT = 90_000  # ms: a first publish on a loaded machine


@pytest.fixture
def jane(ctx, fake_clock):
    tom = jane_with_tom_on_duty(ctx, fake_clock)
    ctx.medications.add_medicine(medicine(id=None, start=D0))
    return tom


def _type_into(keys, field, text: str) -> None:
    keys.click(field)
    keys.type(text)


def _lists(server, account="ana", password="ana-secret") -> dict[str, int]:
    with caldav.DAVClient(url=server.url, username=account, password=password) as phone:
        return {c.get_display_name(): len(c.todos(include_completed=True)) for c in
                phone.principal().calendars() if "medicines" in (c.get_display_name() or "")}


def _fill_and_share(qtbot, keys, radicale, password="ana-secret"):  # noqa: F811
    def fill(dialog):
        # what will leave the computer is shown before anything is sent, with a task
        preview = dialog.preview.toPlainText()
        assert "What will leave this computer" in preview
        assert "08:00 riluzole 50 mg · 1 tablet by mouth" in preview
        _type_into(keys, dialog.server_edit, f"127.0.0.1:{radicale.port}")
        _type_into(keys, dialog.user_edit, "ana")
        _type_into(keys, dialog.password_edit, password)
        keys.click(button(dialog, "Share this with the family"))
        qtbot.waitUntil(lambda: not dialog.isVisible() or bool(
            dialog.password_error.text() or dialog.server_error.text()), timeout=30_000)
        if dialog.isVisible():
            fill.problems = (dialog.server_error.text(), dialog.password_error.text())
            fill.focus = dialog.focusWidget()
            keys.click(button(dialog, "Cancel"))
    fill.problems = None
    return fill


def test_sharing_is_turned_on_from_the_settings_menu(ctx, main_window, jane, qtbot,
                                                     monkeypatch, radicale,  # noqa: F811
                                                     memory_keyring):  # noqa: F811
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    answers.then(_fill_and_share(qtbot, keys, radicale))
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT) as synced:
        menu_action(main_window, "File", "Share with the family…").trigger()
    assert synced.args[0].sent == 16
    assert _lists(radicale) == {"Jane's medicines": 16}
    # the password is in the keyring and nowhere in the records
    assert memory_keyring.kept == {(SERVICE, f"ana@http://127.0.0.1:{radicale.port}/"):
                                   "ana-secret"}
    dump = "\n".join(ctx.db.conn.iterdump())
    assert "ana-secret" not in dump and f"127.0.0.1:{radicale.port}" in dump
    # the status bar says so; Sync now is there
    [label] = [w for w in main_window.statusBar().findChildren(QLabel)
               if w.accessibleName() == "Sharing with the family"]
    assert label.text() == "Shared with the family at 07:00."
    assert menu_action(main_window, "File", "Sync with the family now").isEnabled()
    # a dose recorded in the app: the changed(Changes) signal brings a sync soon after
    assert not ctx.sharing._soon.isActive()
    book = ctx.medications
    book.record_given(book.medicines()[0].id, book.statuses(D0, D0)[0].occurrence.key)
    assert ctx.sharing._soon.isActive()


def test_sync_now_in_the_dialog_says_how_it_ended(ctx, main_window, jane, qtbot,
                                                   monkeypatch, radicale,  # noqa: F811
                                                   memory_keyring):  # noqa: F811
    """Sync now pressed in the dialog: it says when the sync is done, and a sync that
    fails (the server gone) is said there, under the buttons, not "Syncing…" for ever."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    answers.then(_fill_and_share(qtbot, keys, radicale))
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Share with the family…").trigger()
    seen = {}

    def sync_twice(dialog):
        keys.click(button(dialog, "Sync now"))
        qtbot.waitUntil(lambda: dialog.found_label.text().startswith("Shared with the "
                                                                     "family at"),
                        timeout=SYNC_TIMEOUT)
        seen["done"] = dialog.found_label.text()
        radicale.stop()
        with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT) as failed:
            keys.click(button(dialog, "Sync now"))
        seen["failed"] = dialog.status_label.text()
        seen["error"] = failed.args[0]
        seen["found"] = dialog.found_label.text()
        keys.click(button(dialog, "Cancel"))

    answers.then(sync_twice)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen["done"] == "Shared with the family at 07:00."
    assert seen["failed"] == f"⚠ {seen['error'].said(SaidIn.SETTINGS)}"
    # beside Check the server: only that it was not shared, not the status bar's words
    assert seen["found"] == "Not shared. The reason is just above the buttons."


def test_a_wrong_password_is_said_next_to_it_and_nothing_is_kept(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, memory_keyring):  # noqa: F811
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    fill = _fill_and_share(qtbot, keys, radicale, password="not-it")
    answers.then(fill)
    menu_action(main_window, "File", "Share with the family…").trigger()
    # said in the dialog itself: the field in front of the person, not the menu that
    # opens the dialog they are in
    assert fill.problems[1] == ("⚠ The server refused the password. Type the app password "
                                "again in App password above, then check the server again.")
    assert fill.focus is not None and fill.focus.accessibleName() == "App password"
    assert memory_keyring.kept == {}
    assert not ctx.sharing.enabled()


def test_an_account_not_allowed_is_said_next_to_the_user_name(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, memory_keyring):  # noqa: F811
    """Ana's password at Ben's home on the server (Radicale lets each account at its own
    only): a 403, said beside the user name, worded for the dialog."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def fill(dialog):
        _type_into(keys, dialog.server_edit, f"127.0.0.1:{radicale.port}/ben/")
        _type_into(keys, dialog.user_edit, "ana")
        _type_into(keys, dialog.password_edit, "ana-secret")
        keys.click(button(dialog, "Share this with the family"))
        qtbot.waitUntil(lambda: bool(dialog.user_error.text()), timeout=30_000)
        seen["beside the user name"] = dialog.user_error.text()
        seen["others"] = (dialog.server_error.text(), dialog.password_error.text())
        seen["focus"] = dialog.focusWidget().accessibleName()
        keys.click(button(dialog, "Cancel"))

    answers.then(fill)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen["beside the user name"] == (
        "⚠ The server did not allow this account to change the lists. Check the "
        "account's name in User name above, then check the server again.")
    assert seen["others"] == ("", "")
    assert seen["focus"] == "User name"
    assert memory_keyring.kept == {}
    assert not ctx.sharing.enabled()


def _share_janes_records(data_dir, fake_clock, url: str, password: str | None,
                         **config) -> None:
    """Jane's records, shared with the family at ``url`` since an earlier day (``config``:
    more of the sharing settings), the keyring holding ``password`` (None: none kept),
    made before the window opens."""
    fake_clock.set(at(D0, 7))
    core = open_core(data_dir, fake_clock)
    try:
        core.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                          time_zone="America/New_York"))
        core.medications.add_medicine(medicine(id=None, start=D0))
        SharingRepository(core.db).save_config(ShareConfig(
            enabled=True, server=url, username="ana", confirmed=True, **config))
    finally:
        core.close()
    if password is not None:
        keep_password(url, "ana", password)


@pytest.fixture
def shared_without_password(data_dir, fake_clock, radicale, memory_keyring):  # noqa: F811
    """Jane's records, shared with the family since an earlier day, and the keyring no
    longer holding the password (made before the window opens)."""
    _share_janes_records(data_dir, fake_clock, radicale.url, None)
    return radicale


def test_a_password_missing_from_the_keyring_is_worded_for_where_it_is_said(
        shared_without_password, ctx, main_window, qtbot, monkeypatch,
        memory_keyring):  # noqa: F811
    """The status bar names the menu; the dialog, the App password field in it."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Sync with the family now").trigger()
    assert _sharing_label(main_window).text() == (
        "Not shared: The sharing password is not on this computer; enter it in "
        "File ▸ Share with the family…")
    seen = {}

    def save(dialog):
        keys.click(button(dialog, "Save"))
        qtbot.waitUntil(lambda: bool(dialog.password_error.text()), timeout=30_000)
        seen["beside the password"] = dialog.password_error.text()
        seen["focus"] = dialog.focusWidget().accessibleName()
        keys.click(button(dialog, "Cancel"))

    answers.then(save)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen["beside the password"] == (
        "⚠ The sharing password is not on this computer; type it in App password above, "
        "then save.")
    assert seen["focus"] == "App password"
    assert memory_keyring.kept == {}


def test_an_address_that_sends_the_app_elsewhere_is_said_next_to_the_address(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, redirector,  # noqa: F811
        memory_keyring):  # noqa: F811
    """The address typed sends every request on to another server (another port here),
    which asks for the password: the password was never sent there, so the message is
    about the address, beside it, not "refused the password"."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    fill = _fill_and_share(qtbot, keys, redirector)
    answers.then(fill)
    menu_action(main_window, "File", "Share with the family…").trigger()
    server_problem, password_problem = fill.problems
    moved_to = f"http://127.0.0.1:{radicale.port}"
    assert server_problem.startswith(
        f"⚠ The server sent the app to another address ({moved_to})")
    # said in the dialog itself: what to put in the field in front of the person, not
    # the menu that opens the dialog they are in
    assert server_problem.endswith(
        f"If {moved_to} is the family's server, put that address in Server address "
        "above, then check the server again.")
    assert "File ▸" not in server_problem
    assert fill.focus is not None and fill.focus.accessibleName() == "Server address"
    assert password_problem == ""
    assert True in redirector.authorized  # the password went to the address typed only
    assert memory_keyring.kept == {}
    assert not ctx.sharing.enabled()


@pytest.fixture
def shared_then_moved(data_dir, fake_clock, redirector, memory_keyring):  # noqa: F811
    """Jane's records, shared with the family since an earlier day, at an address that
    now sends every request on to another server (made before the window opens)."""
    _share_janes_records(data_dir, fake_clock, redirector.url, "ana-secret")
    return redirector


def test_a_server_that_sends_the_app_elsewhere_is_worded_for_where_it_is_said(
        shared_then_moved, ctx, main_window, qtbot, monkeypatch, radicale):  # noqa: F811
    """The status bar, outside the sharing dialog, names the menu that leads to the
    address; the dialog itself names the field in front of the person."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    moved_to = f"http://127.0.0.1:{radicale.port}"
    with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Sync with the family now").trigger()
    [label] = [w for w in main_window.statusBar().findChildren(QLabel)
               if w.accessibleName() == "Sharing with the family"]
    assert label.text() == (
        f"Not shared: The server sent the app to another address ({moved_to}), which "
        "asked for the password; the app does not send it on to another server. Check "
        "the server address in File ▸ Share with the family…: use the address it sends "
        "the app to, if that is the family's server.")
    # the whole of it shows, the advice at its end too: wrapped, not cut at the edge
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.wordWrap() or (label.fontMetrics().horizontalAdvance(label.text())
                                <= label.contentsRect().width())
    assert label.mapTo(main_window, label.rect().topRight()).x() < main_window.width()
    # the window's own short messages still show in the bar, for a while
    bar = main_window.statusBar()
    main_window.show_message("Caregivers saved.")
    message_room = bar.width() - sum(w.width() for w in bar.children()
                                     if isinstance(w, QWidget) and w.isVisible())
    assert bar.currentMessage() == "Caregivers saved."
    assert bar.fontMetrics().horizontalAdvance("Caregivers saved.") < message_room
    bar.clearMessage()
    qtbot.waitUntil(label.isVisible)
    seen = {}

    def save(dialog):
        keys.click(button(dialog, "Save"))  # the password kept in the keyring
        qtbot.waitUntil(lambda: bool(dialog.server_error.text()), timeout=30_000)
        seen["beside the address"] = dialog.server_error.text()
        keys.click(button(dialog, "Cancel"))

    answers.then(save)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen["beside the address"] == (
        f"⚠ The server sent the app to another address ({moved_to}), which asked for the "
        "password; the app does not send it on to another server. If "
        f"{moved_to} is the family's server, put that address in Server address above, "
        "then check the server again.")


@pytest.fixture
def shared_then_refused(data_dir, fake_clock, radicale, memory_keyring):  # noqa: F811
    """Jane's records, shared with the family since an earlier day, the keyring holding a
    password the server now refuses (made before the window opens)."""
    _share_janes_records(data_dir, fake_clock, radicale.url, "changed-since")
    return radicale


@pytest.mark.parametrize("size", ["Normal (100%)", "Huge (200%)"])
def test_the_status_bars_sharing_line_is_as_high_as_its_text(
        shared_then_refused, ctx, main_window, qtbot, size):
    """At any text size the line is whole, and the bar no taller than its lines: a
    one-line message took three lines' height (a wrapped label's guess), the two empty
    ones taken from the tab above; a longer one wraps, whole."""
    menu_action(main_window, "View", "Text size", size).trigger()
    try:
        main_window.resize(1366, 700)  # a 1366×768 laptop's screen, less its panel
        with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT):
            menu_action(main_window, "File", "Sync with the family now").trigger()
        label, bar = _sharing_label(main_window), main_window.statusBar()
        assert label.text() == ("Not shared: The server refused the password; check it "
                                "in File ▸ Share with the family…")
        line = label.fontMetrics().lineSpacing()

        def laid_out(lines: int) -> bool:
            QApplication.processEvents()
            return (label.heightForWidth(label.width()) >= lines * line
                    and label.height() >= label.heightForWidth(label.width()))

        qtbot.waitUntil(lambda: laid_out(1))
        assert label.heightForWidth(label.width()) < 2 * line  # it fits on one line
        assert label.height() < 2 * line and bar.height() < 2 * line + 12
        # a longer message wraps in the bar, whole (made to take more than two lines)
        said = "The server had a problem; the app tries again later. "
        label.setText("Not shared: " + said * (
            2 * label.width() // label.fontMetrics().horizontalAdvance(said) + 1))
        qtbot.waitUntil(lambda: laid_out(2))
        assert label.height() < label.heightForWidth(label.width()) + line
        assert label.mapTo(main_window, label.rect().bottomRight()).y() < main_window.height()
        # the window's own short messages show whole in its place for a while
        main_window.show_message("Caregivers saved.")
        assert bar.currentMessage() == "Caregivers saved."
        assert bar.fontMetrics().horizontalAdvance("Caregivers saved.") < bar.width() // 2
        assert bar.fontMetrics().height() <= bar.contentsRect().height()
    finally:  # (the application's font outlives the test)
        menu_action(main_window, "View", "Text size", "Normal (100%)").trigger()


def test_plain_http_to_another_computer_is_refused_before_any_connection(
        ctx, main_window, jane, qtbot, monkeypatch, memory_keyring):  # noqa: F811
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = []

    def fill(dialog):
        _type_into(keys, dialog.server_edit, "http://cloud.example.org/")
        _type_into(keys, dialog.user_edit, "ana")
        _type_into(keys, dialog.password_edit, "secret")
        keys.click(button(dialog, "Share this with the family"))
        seen.append(dialog.server_error.text())
        seen.append(dialog.found_label.text())
        keys.click(button(dialog, "Cancel"))

    answers.then(fill)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen[0].startswith("⚠ The address must start with https://")
    assert seen[1] == ""  # no check was started
    assert memory_keyring.kept == {}


def test_turning_sharing_off_offers_to_remove_what_it_put_on_the_server(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, memory_keyring):  # noqa: F811
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    answers.then(_fill_and_share(qtbot, keys, radicale))
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Share with the family…").trigger()
    assert _lists(radicale) == {"Jane's medicines": 16}

    answers.then(lambda dialog: keys.click(button(dialog, "Turn sharing off…")),
                 "Remove them from the server")
    with qtbot.waitSignal(ctx.sharing.status_changed, timeout=SYNC_TIMEOUT,
                          check_params_cb=lambda text: "removed" in text):
        menu_action(main_window, "File", "Share with the family…").trigger()
    assert answers.seen[-2:] == ["Share with the family", "Turn sharing off"]
    assert _lists(radicale) == {}
    assert not ctx.sharing.enabled()
    assert memory_keyring.kept == {}  # the password is forgotten too
    # the records stay
    assert len(ctx.medications.medicines()) == 1


def test_the_days_on_the_phones_are_typed_checked_next_to_the_field_and_kept(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, memory_keyring):  # noqa: F811
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def fill(dialog):
        keys.press("Alt+D")  # Days on the phones
        assert dialog.focusWidget() is dialog.window_edit
        keys.press("Ctrl+A")
        keys.type("40")
        keys.press("Alt+K")  # Past days kept
        keys.press("Ctrl+A")
        keys.type("two")
        _type_into(keys, dialog.server_edit, f"127.0.0.1:{radicale.port}")
        _type_into(keys, dialog.user_edit, "ana")
        _type_into(keys, dialog.password_edit, "ana-secret")
        keys.click(button(dialog, "Share this with the family"))
        # said next to each field; nothing checked or sent, the focus in the first
        seen["refused"] = (dialog.window_error.text(), dialog.keep_error.text(),
                           dialog.found_label.text(), dialog.focusWidget(),
                           dict(memory_keyring.kept))
        keys.press("Ctrl+A")
        keys.type("3")
        keys.press("Alt+K")
        keys.press("Ctrl+A")
        keys.type("0")
        seen["preview"] = dialog.preview.toPlainText()
        seen["after"] = (dialog.window_error.isVisible(), dialog.keep_error.isVisible())
        keys.click(button(dialog, "Share this with the family"))
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)

    answers.then(fill)
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT) as synced:
        menu_action(main_window, "File", "Share with the family…").trigger()
    window_message, keep_message, found, focused, kept = seen["refused"]
    assert window_message == ("⚠ Days ahead: a whole number of days from 0 to 31, "
                              "not \"40\".")
    assert keep_message == "⚠ Days kept after: a whole number of days from 0 to 31, " \
                           "not \"two\"."
    assert found == "" and kept == {}
    assert focused is not None and focused.accessibleName().startswith("Days ahead")
    assert "from 0 days ago to 3 days ahead (8 now)" in seen["preview"]
    assert seen["after"] == (False, False)
    # today and 3 more days of a twice-daily medicine
    assert synced.args[0].sent == 8
    config = ctx.sharing._repo.config()
    assert (config.window_days, config.keep_days) == (3, 0)


def test_a_contact_changed_on_both_sides_is_settled_seeing_both_versions(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, memory_keyring):  # noqa: F811
    patel = ctx.careteam.save_contact(Contact(
        "Dr. Maya Patel", role=Role.NEUROLOGIST, email="mpatel@clinic.example.org",
        phones=(Phone(PhoneKind.OFFICE, "+13125550142"),)))
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    answers.then(_fill_and_share(qtbot, keys, radicale))
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Share with the family…").trigger()
    phone = CardPhone(radicale)
    try:
        assert set(phone.cards()) == {"Dr. Maya Patel"}
        # the same field changed on a phone and here before the next sync
        phone.edit("Dr. Maya Patel", lambda c: setattr(c.email, "value", "phone@example.org"))
        ctx.careteam.save_contact(replace(patel, email="app@example.org"))
        with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT):
            menu_action(main_window, "File", "Sync with the family now").trigger()
        assert phone.cards()["Dr. Maya Patel"][1].email.value == "phone@example.org"
        seen = {}

        def open_settle(dialog):
            seen["offer"] = dialog.settle_label.text()
            keys.click(dialog.settle_button)
            seen["after"] = dialog.settle_row.isVisible()
            keys.click(button(dialog, "Cancel"))

        def choose(settle):
            seen["question"] = settle.question.text()
            radios = {r.text(): r for r in settle.findChildren(QRadioButton)}
            assert set(radios) == {"app@example.org", "phone@example.org"}
            keep = button(settle, "Keep the chosen ones")
            seen["keep before"] = keep.isEnabled()  # nothing is chosen for the person
            keys.click(radios["phone@example.org"])
            keys.click(keep)

        answers.then(open_settle, choose)
        menu_action(main_window, "File", "Share with the family…").trigger()
        assert ctx.sharing._soon.isActive()  # a sync soon after the choice
        with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT):
            menu_action(main_window, "File", "Sync with the family now").trigger()
        assert seen["offer"].startswith("1 contact of the care team waits for you")
        assert seen["question"].startswith("“Dr. Maya Patel” was changed here and on a phone")
        assert seen["keep before"] is False and seen["after"] is False
        assert ctx.careteam.contact(patel.id).email == "phone@example.org"
        assert phone.cards()["Dr. Maya Patel"][1].email.value == "phone@example.org"
    finally:
        phone.close()


def test_a_self_signed_server_is_trusted_once_its_fingerprint_is_confirmed(
        ctx, main_window, jane, qtbot, monkeypatch, radicale_tls, memory_keyring,  # noqa: F811
        tmp_path):
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def fill(dialog):
        _type_into(keys, dialog.server_edit, f"https://localhost:{radicale_tls.port}")
        _type_into(keys, dialog.user_edit, "ana")
        _type_into(keys, dialog.password_edit, "ana-secret")
        keys.click(button(dialog, "Share this with the family"))
        # the person says no first: nothing is kept, said next to the address
        qtbot.waitUntil(lambda: bool(dialog.server_error.text()), timeout=30_000)
        seen["refused"] = (dialog.server_error.text(), dict(memory_keyring.kept))
        keys.click(button(dialog, "Share this with the family"))
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)

    def look(box):
        seen.setdefault("asked", []).append(box.text())
        keys.click(button(box, "Do not trust it" if len(seen["asked"]) == 1
                          else "Trust this certificate"))

    answers.then(fill, look, look)
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT) as synced:
        menu_action(main_window, "File", "Share with the family…").trigger()
    assert synced.args[0].sent == 16
    words = fingerprint_of(radicale_tls.certificate[0])
    assert all(words[:47] in text and words[48:] in text for text in seen["asked"])
    assert seen["refused"] == ("⚠ Not connected: the server's certificate was not "
                               "confirmed, so nothing was sent.", {})
    pin = words.replace(":", "").lower()
    assert ctx.sharing._repo.config().pin == pin

    # later the server shows another certificate: refused, said in the status bar
    radicale_tls.stop()
    radicale_tls.certificate = self_signed(tmp_path / "replaced")
    radicale_tls.start()
    with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT) as failed:
        menu_action(main_window, "File", "Sync with the family now").trigger()
    assert failed.args[0].kind == "pin_changed"
    [label] = [w for w in main_window.statusBar().findChildren(QLabel)
               if w.accessibleName() == "Sharing with the family"]
    assert label.text().startswith("Not shared: The server's certificate is not the one "
                                   "confirmed for it, so nothing was sent.")
    assert label.text().endswith(
        "If whoever runs the server replaced it, confirm the new one in File ▸ Share with "
        "the family… (Check the server); if they did not, someone may be listening in "
        "between: do not confirm it.")
    assert not ctx.sharing._retry.isActive()  # a person must act: not tried again
    assert ctx.sharing._repo.config().pin == pin

    # inside File ▸ Share with the family… the question says what to do there
    def save(dialog):
        keys.click(button(dialog, "Save"))
        qtbot.waitUntil(lambda: bool(dialog.server_error.text()), timeout=30_000)
        seen["not trusted"] = dialog.server_error.text()
        keys.click(button(dialog, "Cancel"))

    def changed(box):
        seen["changed"] = box.text()
        keys.click(button(box, "Do not trust it"))

    answers.then(save, changed)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen["changed"].startswith(
        "The server's certificate is not the one confirmed for it, so nothing was sent. If "
        "whoever runs the server replaced it, compare the new one below and trust it only "
        "if it is theirs; if they did not, someone may be listening in between: do not "
        "trust it.\n")
    assert "File ▸" not in seen["changed"]
    assert seen["not trusted"] == ("⚠ Not connected: the server's certificate was not "
                                   "confirmed, so nothing was sent.")
    assert ctx.sharing._repo.config().pin == pin


@pytest.fixture
def shared_untrusted(data_dir, fake_clock, radicale_tls, memory_keyring):  # noqa: F811
    """Jane's records, shared with a server whose certificate no known authority signed
    and none was confirmed for (made before the window opens)."""
    _share_janes_records(data_dir, fake_clock, radicale_tls.url, "ana-secret")
    return radicale_tls


def test_an_untrusted_certificate_is_worded_for_where_it_is_said(
        shared_untrusted, ctx, main_window, qtbot, monkeypatch):
    """The status bar names the menu; Sync now inside the dialog, the Check the server
    button above the message, not the menu the person came from."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Sync with the family now").trigger()
    said = ("The server's certificate is not signed by an authority this computer knows "
            "(a server a household runs itself often has such a certificate), so nothing "
            "was sent. ")
    assert _sharing_label(main_window).text() == (
        f"Not shared: {said}File ▸ Share with the family… (Check the server) shows its "
        "fingerprint, to confirm once with whoever runs it.")
    seen = {}

    def sync(dialog):
        with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT):
            keys.click(button(dialog, "Sync now"))
        seen["above the buttons"] = dialog.status_label.text()
        check, message = button(dialog, "Check the server"), dialog.status_label
        seen["check above"] = (check.mapTo(dialog, check.rect().bottomLeft()).y()
                               < message.mapTo(dialog, message.rect().topLeft()).y())
        seen["beside Check the server"] = dialog.found_label.text()
        keys.click(button(dialog, "Cancel"))

    answers.then(sync)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen["above the buttons"] == (
        f"⚠ {said}Press Check the server above: it shows the certificate's fingerprint, "
        "to compare once with whoever runs the server.")
    assert seen["check above"]
    assert seen["beside Check the server"] == ("Not shared. The reason is just above the "
                                               "buttons.")


@pytest.mark.parametrize("size", ["Normal (100%)", "Huge (200%)"])
def test_a_sync_now_that_failed_is_said_in_view(shared_untrusted, ctx, main_window,
                                                qtbot, monkeypatch, size):
    """At large text the dialog's fields scroll, its buttons staying in view; the reason
    a Sync now failed, at the end of the fields, was scrolled out of view, while the
    line beside Check the server says it is just above the buttons."""
    from PySide6.QtWidgets import QScrollArea

    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    menu_action(main_window, "View", "Text size", size).trigger()
    seen = {}

    def sync(dialog):
        with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT):
            keys.click(button(dialog, "Sync now"))
        message, area = dialog.status_label, dialog.findChild(QScrollArea)
        seen["scrolls"] = area is not None
        if area is not None:
            view = area.viewport()

            def in_view() -> bool:  # (its lines top to bottom)
                top = message.mapTo(view, message.rect().topLeft()).y()
                return top >= 0 and top + message.height() <= view.height()

            with contextlib.suppress(Exception):  # (said below, the dialog closed)
                qtbot.waitUntil(in_view, timeout=2000)
            seen["in view"] = in_view()
        seen["said"] = message.isVisible() and message.text().startswith("⚠ The server's")
        keys.click(button(dialog, "Cancel"))

    answers.then(sync)
    try:
        menu_action(main_window, "File", "Share with the family…").trigger()
    finally:  # (the application's font outlives the test)
        menu_action(main_window, "View", "Text size", "Normal (100%)").trigger()
    assert seen["said"]
    assert seen["scrolls"] == (size == "Huge (200%)")  # (the test's screen is small)
    assert seen.get("in view", True)


def test_the_dialog_fits_the_screen_once_the_desktop_framed_it(
        shared_untrusted, ctx, main_window, qtbot, monkeypatch):
    """Seen under Xvfb with a window manager at 1366×768 and 200% text: the dialog was
    fitted to the screen before the desktop had drawn its title bar (none yet when a
    window is first shown), so its buttons were below the screen by the title bar's
    height. Here the desktop is played by the test: it draws a 20 px title bar above
    the dialog, moving it down, as a window manager does."""
    from PySide6.QtCore import QPoint, QRect

    from caregiver_app.ui.screen_fit import available_area
    from caregiver_app.ui.sharing_dialog import SharingDialog

    title = {"height": 0}

    def frame_geometry(self):
        inner = self.geometry()
        return inner.adjusted(0, -title["height"], 0, 0)

    def move(self, *where):  # a top-level window's move places its frame
        to = where[0] if len(where) == 1 else QPoint(*where)
        QWidget.setGeometry(self, to.x(), to.y() + title["height"], self.width(),
                            self.height())

    monkeypatch.setattr(SharingDialog, "frameGeometry", frame_geometry)
    monkeypatch.setattr(SharingDialog, "move", move)
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    menu_action(main_window, "View", "Text size", "Huge (200%)").trigger()
    seen = {}

    def framed(dialog):
        area = available_area(dialog)
        seen["too tall"] = dialog.height() > area.height() - 20  # fitted without one
        title["height"] = 20  # the desktop draws its title bar, the dialog below it
        QWidget.setGeometry(dialog, dialog.geometry().translated(0, 20))
        qtbot.waitUntil(lambda: area.contains(dialog.frameGeometry()), timeout=2000)
        seen["whole"] = area.contains(dialog.frameGeometry())
        ok = button(dialog, "Cancel")
        seen["buttons"] = area.contains(QRect(ok.mapToGlobal(QPoint(0, 0)), ok.size()))
        keys.click(ok)

    answers.then(framed)
    try:
        menu_action(main_window, "File", "Share with the family…").trigger()
    finally:  # (the application's font outlives the test)
        menu_action(main_window, "View", "Text size", "Normal (100%)").trigger()
    assert seen == {"too tall": True, "whole": True, "buttons": True}


@pytest.fixture
def shared_changed(data_dir, fake_clock, radicale_tls, memory_keyring):  # noqa: F811
    """Jane's records, shared with a server whose certificate is not the one confirmed
    for it (another fingerprint kept; made before the window opens)."""
    _share_janes_records(data_dir, fake_clock, radicale_tls.url, "ana-secret", pin="ab" * 32)
    return radicale_tls


def test_a_changed_certificate_is_worded_for_where_it_is_said(
        shared_changed, ctx, main_window, qtbot, monkeypatch):
    """Sync now inside the dialog: the message above the buttons sends the person to
    Check the server above it (nothing shows "below" there), which then shows the new
    fingerprint in its question."""
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def sync(dialog):
        with qtbot.waitSignal(ctx.sharing.failed, timeout=SYNC_TIMEOUT) as failed:
            keys.click(button(dialog, "Sync now"))
        seen["kind"] = failed.args[0].kind
        seen["under the buttons"] = dialog.status_label.text()
        seen["beside check"] = dialog.found_label.text()
        check, message = button(dialog, "Check the server"), dialog.status_label
        seen["check above"] = (check.mapTo(dialog, check.rect().bottomLeft()).y()
                               < message.mapTo(dialog, message.rect().topLeft()).y())
        keys.click(check)  # as the message says: the question shows the new fingerprint
        qtbot.waitUntil(lambda: bool(dialog.server_error.text()), timeout=30_000)
        keys.click(button(dialog, "Cancel"))

    def asked(box):
        seen["asked"] = box.text()
        keys.click(button(box, "Do not trust it"))

    answers.then(sync, asked)
    menu_action(main_window, "File", "Share with the family…").trigger()
    assert seen["kind"] == "pin_changed"
    assert seen["under the buttons"] == (
        "⚠ The server's certificate is not the one confirmed for it, so nothing was sent. "
        "If whoever runs the server replaced it, press Check the server above: it shows "
        "the new certificate's fingerprint, to compare with theirs. If they did not, "
        "someone may be listening in between: do not trust it.")
    assert "below" not in seen["under the buttons"]
    assert seen["beside check"] == "Not shared. The reason is just above the buttons."
    assert seen["check above"]
    words = fingerprint_of(shared_changed.certificate[0])
    assert seen["asked"].startswith(
        "The server's certificate is not the one confirmed for it, so nothing was sent. If "
        "whoever runs the server replaced it, compare the new one below")
    assert words[:47] in seen["asked"] and words[48:] in seen["asked"]
    assert ctx.sharing._repo.config().pin == "ab" * 32


def _sharing_label(window) -> QLabel:
    [label] = [w for w in window.statusBar().findChildren(QLabel)
               if w.accessibleName() == "Sharing with the family"]
    return label


def test_the_window_and_caregiver_app_sync_never_sync_at_once(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, memory_keyring,  # noqa: F811
        capsys):
    from caregiver_app.app import main
    from caregiver_app.services.sharing.lock import SyncLock

    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    answers.then(_fill_and_share(qtbot, keys, radicale))
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Share with the family…").trigger()
    label = _sharing_label(main_window)
    # caregiver-app sync runs from a scheduled job: the window's Sync now says so and
    # sends nothing
    job = SyncLock(ctx.core.data_dir)
    assert job.acquire()
    try:
        menu_action(main_window, "File", "Sync with the family now").trigger()
        assert label.text().startswith("Not shared now: Another sync with the family is "
                                       "running on these records (process ")
        assert not ctx.sharing.busy
    finally:
        job.release()
    # the window syncs: caregiver-app sync started meanwhile says so and exits non-zero
    with qtbot.waitSignal(ctx.sharing.synced, timeout=SYNC_TIMEOUT):
        menu_action(main_window, "File", "Sync with the family now").trigger()
        assert ctx.sharing.busy
        assert main(["--data-dir", str(ctx.core.data_dir), "sync"]) == 3
        assert "Another sync with the family is running" in capsys.readouterr().err
    assert label.text() == "Shared with the family at 07:00."


def test_closing_the_app_in_the_middle_of_a_publish_stops_before_the_next_write(
        ctx, main_window, jane, qtbot, monkeypatch, radicale, memory_keyring):  # noqa: F811
    """The sync's network steps run as the app's background operations: closing the
    app (``stop``) stops a push before its next write, lets the sync lock go, and the
    next sync finishes the publish with nothing doubled."""
    import threading

    from caregiver_app.services.sharing import service
    from caregiver_app.services.sharing.engine import sync_once
    from caregiver_app.services.sharing.transport import Transport

    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    written: list[str] = []
    closing = threading.Event()
    put = Transport.put

    def slow_put(self, href, text, **kwargs):
        if written:  # the second write waits until the app is closing
            closing.wait(30)
        etag = put(self, href, text, **kwargs)
        written.append(href)
        return etag

    monkeypatch.setattr(Transport, "put", slow_put)
    answers.then(_fill_and_share(qtbot, keys, radicale))
    menu_action(main_window, "File", "Share with the family…").trigger()
    qtbot.waitUntil(lambda: len(written) == 1, timeout=SYNC_TIMEOUT)
    assert ctx.sharing.busy and service.running()
    ctx.sharing.stop()  # the app is closing
    closing.set()
    qtbot.waitUntil(lambda: not service.running(), timeout=SYNC_TIMEOUT)
    assert len(written) == 2  # the write under way ended; no other was started
    assert not ctx.sharing.busy
    assert _lists(radicale) == {"Jane's medicines": 2}
    # the next sync (as the next start makes it) finishes the publish, nothing doubled
    with Transport(radicale.url, "ana", "ana-secret") as transport:
        report = sync_once(ctx.sharing.engine, transport)
    assert report.sent == 16 - 2 + 2  # the two written are read back and sent as known
    assert _lists(radicale) == {"Jane's medicines": 16}
