"""File ▸ Restore from a backup…: the chosen file's thorough check and its copy run on a
worker thread. The window keeps answering with its records open; a progress dialog with
Cancel comes up; a file that cannot be restored is said over the window and nothing is
closed; Escape stops it and nothing changes; a good file is put in place and the app
reopens the records."""

from __future__ import annotations

import threading

import pytest
from gui_paths import Answers, Keyboard, menu_action, wait_for
from households import jane_with_tom_on_duty
from PySide6.QtCore import Qt

from caregiver_app.domain.patient import Caregiver
from caregiver_app.storage import backup
from caregiver_app.ui import background

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def home(ctx, fake_clock, main_window):
    """Jane's records with a backup made before Ana was added."""
    jane_with_tom_on_duty(ctx, fake_clock)
    ctx.backups.make_rotating_backups()
    ctx.session.save_caregivers([*ctx.patients.caregivers(), Caregiver("Ana Late", "AL")])
    return ctx


@pytest.fixture
def held(monkeypatch):
    """The thorough check of the chosen file, held on its thread until the test lets it
    go on; ``threads`` says which thread ran it."""
    release = threading.Event()
    threads: list[int] = []
    real = backup.check_database_file

    def check(path, *, thorough=True):
        if thorough and path.parent.name in ("daily", "weekly"):
            threads.append(threading.get_ident())
            release.wait(10)
        return real(path, thorough=thorough)

    monkeypatch.setattr(backup, "check_database_file", check)
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    release.threads = threads  # type: ignore[attr-defined]
    yield release
    release.set()


def _choose_the_newest_and_confirm(qtbot, monkeypatch) -> Answers:
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    # the list opens on the newest copy, selected: Restore selected, then say yes
    answers.then("Restore selected", "Restore")
    return answers


def _names(ctx) -> set[str]:
    return {c.name for c in ctx.patients.caregivers()}


def test_the_file_is_checked_off_the_gui_thread_then_put_in_place(
        home, main_window, qtbot, monkeypatch, held, data_dir):
    answers = _choose_the_newest_and_confirm(qtbot, monkeypatch)
    menu_action(main_window, "File", "Restore from a backup…").trigger()
    assert answers.seen == ["Restore from a backup", "Restore this backup?"]
    # the menu returned while the file is checked: the records are still open
    (operation,) = background.running()
    dialog = operation.progress_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.isModal() and dialog.focusWidget() is dialog.cancel_button
    assert dialog.label.text().startswith("Checking caregiver-")
    assert held.threads and held.threads[0] != threading.get_ident()
    assert not home.backups.released and _names(home) == {"Tom Example", "Ana Late"}
    with qtbot.waitSignal(home.backups.database_replaced):
        held.set()
        assert wait_for(qtbot, operation).ok
    assert home.backups.last_outcome.ok
    assert home.backups.last_outcome.message == "The backup was restored."
    assert not list(data_dir.glob("*.restoring*"))
    restored = backup.connect_read_only(data_dir / "caregiver.sqlite3")
    try:
        assert {r[0] for r in restored.execute("SELECT name FROM caregivers")} == {
            "Tom Example"}
    finally:
        restored.close()


def test_a_damaged_backup_is_said_over_the_window_and_nothing_is_closed(
        home, main_window, qtbot, monkeypatch, data_dir):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))
    real = backup.check_database_file

    def damaged(path, *, thorough=True):  # the quick check passes, the thorough one not
        if thorough and path.parent.name in ("daily", "weekly"):
            return "it is damaged (the integrity check failed)"
        return real(path, thorough=thorough)

    monkeypatch.setattr(backup, "check_database_file", damaged)
    _choose_the_newest_and_confirm(qtbot, monkeypatch)
    menu_action(main_window, "File", "Restore from a backup…").trigger()
    (operation,) = background.running()
    assert not wait_for(qtbot, operation).ok
    ((parent, title, text),) = warned
    assert parent is main_window and title == "Backup not restored"
    assert text == ("That backup cannot be restored: it is damaged (the integrity check "
                    "failed).")
    assert not home.backups.released and home.backups.last_outcome is None
    assert _names(home) == {"Tom Example", "Ana Late"}  # the records are as they were
    assert not list(data_dir.glob("*.restoring*"))
    assert "restored" not in main_window.statusBar().currentMessage()


def test_escape_while_the_file_is_checked_changes_nothing(
        home, main_window, qtbot, monkeypatch, held, data_dir):
    _choose_the_newest_and_confirm(qtbot, monkeypatch)
    replaced = []
    home.backups.database_replaced.connect(lambda: replaced.append(True))
    menu_action(main_window, "File", "Restore from a backup…").trigger()
    (operation,) = background.running()
    dialog = operation.progress_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    assert dialog.label.text() == "Stopping…"
    held.set()
    outcome = wait_for(qtbot, operation)
    assert outcome.cancelled and not outcome.ok
    assert main_window.statusBar().currentMessage() == "Restore cancelled: nothing was changed."
    assert replaced == [] and not home.backups.released
    assert _names(home) == {"Tom Example", "Ana Late"}
    assert not list(data_dir.glob("*.restoring*"))


def test_a_cancel_as_the_copy_ends_never_puts_it_in_place(
        home, main_window, qtbot, monkeypatch, data_dir):
    """Cancel pressed while the copy was being written (the work cannot stop mid-copy):
    the copy is thrown away, never put in place."""
    real = backup.copy_database

    def copy_then_cancel(source, dest, **kwargs):
        made = real(source, dest, **kwargs)
        background.running()[0].cancel()  # as the person presses Cancel during the copy
        return made

    monkeypatch.setattr(backup, "copy_database", copy_then_cancel)
    _choose_the_newest_and_confirm(qtbot, monkeypatch)
    replaced = []
    home.backups.database_replaced.connect(lambda: replaced.append(True))
    operation = main_window.restore_backup()
    assert wait_for(qtbot, operation).cancelled
    assert replaced == [] and not home.backups.released
    assert not list(data_dir.glob("*.restoring*"))
    assert main_window.statusBar().currentMessage() == "Restore cancelled: nothing was changed."
