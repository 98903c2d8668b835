from __future__ import annotations

import logging
import sys

from caregiver_app.ui import crash


def test_unexpected_error_is_logged_and_explained(qapp, tmp_path, monkeypatch, caplog):
    shown = {}
    monkeypatch.setattr(crash.QMessageBox, "critical",
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
