"""The page stops following the keyboard once the app quits (``ui.page_follow``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

_START = """
import sys
from caregiver_app.ui import page_follow
from PySide6.QtWidgets import QApplication
calls = {"running": 0, "quitting": 0}
phase = ["running"]
follow = page_follow.PageFollowsFocus._on_focus_changed
def counted(self, old, new):
    calls[phase[0]] += 1
    return follow(self, old, new)
page_follow.PageFollowsFocus._on_focus_changed = counted
from caregiver_app.app import main
def quitting():
    phase[0] = "quitting"
import caregiver_app.app as app_module
made = app_module._make_application
def make(*args, **kwargs):
    app = made(*args, **kwargs)
    app.aboutToQuit.connect(quitting)
    return app
app_module._make_application = make
code = main(sys.argv[1:])
print("CALLS", calls["running"], calls["quitting"])
sys.exit(code)
"""


def test_the_window_taken_down_at_quit_is_not_followed(tmp_path):
    """As the window is taken down at quit the keyboard passes through widgets Python
    never saw; following it there made PySide set up every widget class, about 6% of
    a whole start's work, for nothing."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", _START, "--data-dir", str(tmp_path / "data"), "--demo",
         "--quit-when-idle"], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    [line] = [x for x in result.stdout.splitlines() if x.startswith("CALLS ")]
    _running, quitting = map(int, line.split()[1:])
    assert quitting == 0  # (before: as the window was taken down)
