"""Exports, backups and imports run on a worker thread: the window keeps answering, a
progress dialog with Cancel comes up when it takes a while, and the end is said where
the person is looking (the status bar on success, a message box over the window when
nothing was written)."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from gui_paths import menu_action, wait_for, wait_for_background
from medicine_builders import medicine
from PySide6.QtCore import Qt

from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.services.printing import PrintService
from caregiver_app.ui import background
from caregiver_app.ui.printing import Period, PeriodDialog


@pytest.fixture
def riluzole(ctx):
    today = ctx.medications.today()
    return ctx.medications.add_medicine(medicine(DailyRegimen(today, (time(8), time(20))),
                                                 id=None, start=today))


@pytest.fixture
def gate(monkeypatch):
    """Work held on the worker thread until the test lets it go on."""
    release = threading.Event()
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    yield release
    release.set()


def _year_to(ctx, monkeypatch, target):
    today = ctx.medications.today()
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(
        lambda cls, *a, **k: Period(today, today + timedelta(days=365), 0)))
    monkeypatch.setattr("caregiver_app.ui.printing.controller.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "Calendar files (*.ics)"))


def test_a_calendar_export_leaves_the_window_answering_then_says_what_it_wrote(
        ctx, main_window, riluzole, monkeypatch, qtbot, gate, tmp_path):
    real = PrintService.export_calendar
    threads = []

    def held(service, *args, **kwargs):
        threads.append(threading.get_ident())
        gate.wait(10)
        return real(service, *args, **kwargs)

    monkeypatch.setattr(PrintService, "export_calendar", held)
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    target = tmp_path / "family.ics"
    _year_to(ctx, monkeypatch, target)
    menu_action(main_window, "File", "Export dose times to a calendar…").trigger()
    # the menu returned while the file is being written; the window goes on painting
    (operation,) = background.running()
    dialog = operation.progress_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.isModal() and dialog.focusWidget() is dialog.cancel_button
    assert dialog.label.text() == "Writing family.ics…"
    assert threads and threads[0] != threading.get_ident()
    assert not target.exists()
    gate.set()
    assert wait_for(qtbot, operation).ok
    assert background.running() == []
    assert main_window.statusBar().currentMessage().startswith("Exported 732 events to")
    assert target.read_bytes().count(b"BEGIN:VEVENT") == 732


def test_an_export_that_fails_says_so_over_the_window_and_never_exported(
        ctx, main_window, riluzole, monkeypatch, qtbot, tmp_path):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))

    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("caregiver_app.services.printing.service.write_private", full)
    target = tmp_path / "family.ics"
    _year_to(ctx, monkeypatch, target)
    menu_action(main_window, "File", "Export dose times to a calendar…").trigger()
    wait_for_background(qtbot)
    ((parent, title, text),) = warned
    assert parent is main_window and title == "Not exported"
    assert "No space left on device" in text or "full" in text
    assert "Exported" not in main_window.statusBar().currentMessage()
    assert not target.exists()
    assert ctx.printing.service.calendar_target() is None  # nothing noted as sent


def test_escape_cancels_an_export_and_leaves_no_file(ctx, main_window, monkeypatch, qtbot,
                                                    gate, tmp_path):
    from caregiver_app.storage import transfer

    real = transfer.export_document

    def held(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(transfer, "export_document", held)
    target = tmp_path / "records.json"
    operation = main_window.export_records(target)
    dialog = operation.progress_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.label.text() == "Stopping…" and not dialog.cancel_button.isEnabled()
    gate.set()
    outcome = wait_for(qtbot, operation)
    assert outcome.cancelled and not outcome.ok
    assert main_window.statusBar().currentMessage() == "Export cancelled: no file was written."
    assert not target.exists() and not target.with_name("records.json.partial").exists()


def test_a_backup_is_made_off_the_gui_thread_from_a_connection_of_its_own(
        ctx, main_window, monkeypatch, qtbot, tmp_path):
    from caregiver_app.storage import backup

    real = backup.copy_database
    used = []

    def watched(source, dest, **kwargs):
        used.append((threading.get_ident(), source is ctx.db.conn))
        return real(source, dest, **kwargs)

    monkeypatch.setattr(backup, "copy_database", watched)
    usb = tmp_path / "usb"
    usb.mkdir()
    dest = wait_for(qtbot, main_window.back_up_now(usb)).value
    assert dest.parent == usb and ctx.backups.describe_file(dest).ok
    ((thread, shared),) = used
    assert thread != threading.get_ident() and not shared
    assert main_window.statusBar().currentMessage() == f"Backup saved as {dest}"


def test_a_bug_in_the_work_reaches_the_crash_report_not_the_status_bar(
        ctx, main_window, monkeypatch, qtbot, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("caregiver_app.services.transfer.TransferService.export_to", broken)
    with qtbot.capture_exceptions() as raised:
        wait_for(qtbot, main_window.export_records(tmp_path / "records.json"))
    assert [type(e[1]) for e in raised] == [RuntimeError]
    assert "Exported" not in main_window.statusBar().currentMessage()


def test_work_that_ends_after_its_window_closed_says_nothing_and_raises_nothing(
        qtbot, monkeypatch, gate):
    from PySide6.QtWidgets import QWidget

    warned, done = [], []
    monkeypatch.setattr("caregiver_app.ui.messages.warn", lambda *a: warned.append(a))
    window = QWidget()
    window.show()

    def work(progress):
        gate.wait(10)
        raise OSError(28, "No space left on device")

    operation = background.run_in_background(
        window, work, title="Export", text="Writing…", done=done.append,
        failed=lambda exc: "not written")
    window.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(window))
    gate.set()
    outcome = wait_for(qtbot, operation)
    assert isinstance(outcome.error, OSError)
    assert warned == [] and done == [] and background.running() == []


def test_cancel_pressed_as_the_work_commits_never_says_stopping(qtbot, gate):
    """The work commits (pages start going) while its signal is still on its way to the
    window, and the person clicks Cancel then: the bar says what is happening, not
    "Stopping…", and the end is "sent", never "cancelled"."""
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    start, committed, done, cancelled = threading.Event(), threading.Event(), [], []

    def work(progress):
        start.wait(10)
        progress.commit("Sending the pages to the printer…")
        committed.set()
        gate.wait(10)
        progress.check()
        return "sent"

    operation = background.run_in_background(
        window, work, title="Print", text="Preparing…", done=done.append,
        failed=lambda exc: None, cancelled=lambda: cancelled.append(True), delay_ms=0)
    bar = operation.progress_dialog
    qtbot.waitUntil(bar.isVisible)
    start.set()
    assert committed.wait(10)  # (its "committed" signal not yet delivered)
    qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    assert bar.label.text() == "Sending the pages to the printer…"
    assert not bar.cancel_button.isEnabled()
    gate.set()
    outcome = wait_for(qtbot, operation)
    assert outcome.ok and done == ["sent"] and cancelled == []


def test_an_ended_operation_lets_go_of_what_it_read(qtbot):
    """Once the outcome is said and the caller drops the operation, what the work read
    goes too (a vCard file's cards: ~3 MB per 2,000-card import): nothing connected to
    the operation keeps it."""
    import gc
    import weakref

    from PySide6.QtWidgets import QWidget

    class Read:  # what the work read (here: a stand-in that says when it is freed)
        pass

    window = QWidget()
    qtbot.addWidget(window)
    said: list[str] = []
    operation = background.run_in_background(
        window, lambda progress: Read(), title="Import", text="Reading…",
        done=lambda read: said.append(type(read).__name__), failed=lambda exc: None)
    read = weakref.ref(wait_for(qtbot, operation).value)
    assert said == ["Read"] and read() is not None
    alive = weakref.ref(operation)
    del operation
    qtbot.waitUntil(lambda: gc.collect() >= 0 and alive() is None and read() is None)
