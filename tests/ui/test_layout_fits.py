"""Large text and small screens: on a 1366×768 laptop at 100%, 150% and 200% text, and at
device pixel ratio 2 (QT_SCALE_FACTOR=2: a 683×384 screen in Qt's units), every tab (Today
also in its own Large text view) and every dialog a menu item or a "…" button opens fits
the screen, no control is cut off or squeezed below its size unless a scroll area can
scroll to it, and no cell or column title of any list is cut. The controls are found,
not listed (``tests/layout_check.py``).

Each screen is a fresh process: Qt fixes the screen and its pixel ratio when it starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from layout_check import screen_config

HERE = Path(__file__).resolve().parent.parent

SCREENS = [  # (text size, QT_SCALE_FACTOR)
    pytest.param(1.0, 1, id="100%"),
    pytest.param(1.5, 1, id="150%"),
    pytest.param(2.0, 1, id="200%"),
    pytest.param(1.0, 2, id="dpr2"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text_scale", "scale_factor"), SCREENS)
def test_every_tab_and_dialog_fits_a_laptop_screen(tmp_path, text_scale, scale_factor):
    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json"),
               QT_SCALE_FACTOR=str(scale_factor), HOME=str(tmp_path))
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(HERE / "layout_check.py"), "--text-scale", str(text_scale),
         "--out", str(out)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    width, height = 1366 // scale_factor, 768 // scale_factor
    assert report["screen"] == [0, 0, width, height]
    # the window takes the screen it opens on (a laptop: all of it), never more
    assert report["window"] == [0, 0, width, height]
    # what was checked: 5 tabs and Today's Large text view, and the dialogs opened
    assert len([w for w in report["windows"] if w.startswith("tab ")]) == 6
    assert len(report["dialogs"]) >= 28, report["dialogs"]
    for title in ("Add a medicine", "New contact", "New appointment", "Patient profile",
                  "Reminders", "Caregivers", "Record as given", "Not given",
                  "Record weight", "Daily symptom check", "Everyday function"):
        assert title in report["dialogs"]
    assert any(t.startswith("Print preview") for t in report["dialogs"])
    assert report["controls"] >= 650, report["controls"]
    assert report["cells"] >= 150, report["cells"]
    # each medicine's and appointment's own dialogs too (Change, History, Pause, Stop,
    # Open for every row of the Medications list and the Appointments table)
    assert report["per_row"] >= 12, report["per_row"]
    for name in ("Doses of the day", "Medicine list", "Next due doses", "Dose steps",
                 "Appointments", "Care team, grouped by role", "Allergies", "Caregivers",
                 "History of riluzole (Rilutek)"):
        assert report["lists"].get(name, 0) > 0, (name, report["lists"])
    # Every cell of every list and table, and every column title, shows its whole text
    # (wrapped onto more lines where the column is narrow): nothing ends in "…".
    cut = [p for p in report["problems"] if " cell " in p or " column title " in p]
    print(f"{report['controls']} controls, {report['cells']} cells and titles, "
          f"{len(report['dialogs'])} dialogs; {len(cut)} cut in lists")
    assert report["problems"] == []
