from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QMessageBox

from caregiver_app.ui import crash


def test_unexpected_error_is_logged_and_explained(qapp, tmp_path, monkeypatch, caplog):
    shown = {}
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.update(title=title, text=text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_file = tmp_path / "logs" / "caregiver-app.log"
    crash.install_excepthook(log_file)
    try:
        raise ValueError("boom")
    except ValueError:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(*sys.exc_info())
    assert "boom" in caplog.text and "Traceback" in caplog.text
    assert str(log_file) in shown["text"]
    assert "already saved is safe" in shown["text"]


def test_the_hook_installed_again_replaces_the_first(qapp, tmp_path, monkeypatch):
    """The welcome screen's example starts a window of its own (``run_gui`` again): its
    crash hook and log replace the household's, so an error is logged once, in the
    example's log, and the message names that file."""
    from caregiver_app.services import logs

    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    household = tmp_path / "data" / "logs" / "caregiver-app.log"
    example = tmp_path / "data-example" / "logs" / "caregiver-app.log"
    try:
        for log_file in (household, example):
            logs.start_file_logging(log_file)
            crash.install_excepthook(log_file)
        try:
            raise ValueError("boom")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)
    assert example.read_text(encoding="utf-8").count("Unexpected error") == 1
    assert "Unexpected error" not in household.read_text(encoding="utf-8")
    assert len(shown) == 1 and str(example) in shown[0]
