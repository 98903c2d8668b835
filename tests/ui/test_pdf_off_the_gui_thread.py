"""Save as PDF… from a print preview: the pages are laid out, painted and written on a
worker thread. The preview keeps answering behind a busy bar with Cancel; the status bar
says what was saved; a file that cannot be written is said over the preview; Escape
stops it and the file that was there is kept; nothing half-written is ever left beside
it; closing the preview while it saves still saves and says so."""

from __future__ import annotations

import threading
from datetime import time

import pytest
from gui_paths import Keyboard, activate, menu_action, wait_for
from medicine_builders import medicine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.services.printing import renderer
from caregiver_app.ui import background

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def riluzole(ctx):
    today = ctx.medications.today()
    return ctx.medications.add_medicine(medicine(DailyRegimen(today, (time(8), time(20))),
                                                 id=None, start=today))


@pytest.fixture
def held(monkeypatch):
    """The painting of the pages, held on its thread until the test lets it go on;
    ``threads`` says which thread painted."""
    release = threading.Event()
    threads: list[int] = []
    real = renderer.paint_document

    def paint(document, device):
        threads.append(threading.get_ident())
        release.wait(10)
        return real(document, device)

    monkeypatch.setattr(renderer, "paint_document", paint)
    monkeypatch.setattr(background, "PROGRESS_DELAY_MS", 0)
    release.threads = threads  # type: ignore[attr-defined]
    yield release
    release.set()


def _preview_and_save(ctx, main_window, qtbot, monkeypatch, target):
    """File ▸ Print ▸ Today's checklist…, then Ctrl+S (Save as PDF…) in the preview with
    ``target`` chosen in the file dialog; the preview and the operation started."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName",  # the person names the file
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    menu_action(main_window, "File", "Print", "Today's checklist…").trigger()
    preview = ctx.printing.last_preview
    activate(qtbot, preview)
    Keyboard(qtbot).press("Ctrl+S")
    (operation,) = background.running()
    return preview, operation


@pytest.fixture
def pdfs(tmp_path):
    """The folder the person saves in (the records are elsewhere)."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    return folder


def _left_beside(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_pdf_is_painted_off_the_gui_thread_then_saved(
        ctx, main_window, riluzole, qtbot, monkeypatch, held, pdfs):
    target = pdfs / "checklist.pdf"
    preview, operation = _preview_and_save(ctx, main_window, qtbot, monkeypatch, target)
    dialog = operation.progress_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.isModal() and dialog.parent() is preview
    assert dialog.focusWidget() is dialog.cancel_button
    assert dialog.label.text() == "Writing checklist.pdf…"
    qtbot.waitUntil(lambda: bool(held.threads))
    assert held.threads[0] != threading.get_ident()
    assert not target.exists()
    held.set()
    assert wait_for(qtbot, operation).ok
    assert main_window.statusBar().currentMessage() == f"Saved 1 page to {target}"
    assert target.read_bytes().startswith(b"%PDF")
    assert _left_beside(pdfs) == ["checklist.pdf"]  # no hidden part left
    assert preview.isVisible()  # the person goes on with the preview
    preview.reject()


def test_escape_while_painting_keeps_the_file_that_was_there(
        ctx, main_window, riluzole, qtbot, monkeypatch, held, pdfs):
    target = pdfs / "checklist.pdf"
    target.write_bytes(b"the sheet printed yesterday")
    preview, operation = _preview_and_save(ctx, main_window, qtbot, monkeypatch, target)
    dialog = operation.progress_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    assert dialog.label.text() == "Stopping…"
    held.set()
    outcome = wait_for(qtbot, operation)
    assert outcome.cancelled and not outcome.ok
    assert (main_window.statusBar().currentMessage()
            == "Save as PDF cancelled: no file was written.")
    assert target.read_bytes() == b"the sheet printed yesterday"
    assert _left_beside(pdfs) == ["checklist.pdf"]
    preview.reject()


def test_a_pdf_that_cannot_be_written_is_said_over_the_preview(
        ctx, main_window, riluzole, qtbot, monkeypatch, pdfs):
    warned = []
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.append((parent, title, text)))
    target = pdfs / "unplugged-drive" / "checklist.pdf"
    preview, operation = _preview_and_save(ctx, main_window, qtbot, monkeypatch, target)
    assert not wait_for(qtbot, operation).ok
    ((parent, title, text),) = warned
    assert parent is preview and title == "PDF not saved"
    assert f"The folder “{target.parent}” does not exist" in text
    assert "Saved" not in main_window.statusBar().currentMessage()
    assert _left_beside(pdfs) == []
    preview.reject()


def test_closing_the_preview_while_saving_still_saves_and_says_so(
        ctx, main_window, riluzole, qtbot, monkeypatch, held, pdfs):
    target = pdfs / "checklist.pdf"
    preview, operation = _preview_and_save(ctx, main_window, qtbot, monkeypatch, target)
    qtbot.waitUntil(lambda: bool(held.threads))
    gone: list[bool] = []
    preview.destroyed.connect(lambda *_: gone.append(True))
    preview.reject()  # (the window-modal bar is not up yet when the person is quick)
    QApplication.processEvents()
    assert gone == [] and not preview.isVisible()  # kept (hidden) while the PDF is saved
    held.set()
    assert wait_for(qtbot, operation).ok
    assert main_window.statusBar().currentMessage() == f"Saved 1 page to {target}"
    assert target.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: gone == [True])  # then the preview goes
