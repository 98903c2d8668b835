"""The sharing screens a person reads and acts on (the Today line of phones' notes,
File ▸ Notes from the phones…, Settle contacts, a medicine's History with what the
phones did, File ▸ Share with the family… with a long message beside the address) fit
a 1366×768 laptop at 100% and 200% text and at device pixel ratio 2: nothing cut off
or squeezed, every cell's whole text shown
(``tests/sharing_screens_check.py``, in a fresh process per screen). The example
household, which the layout sweep uses, never shares, so the sweep never opens them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from layout_check import screen_config

HERE = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize(("text_scale", "scale_factor"), [
    pytest.param(1.0, 1, id="100%"), pytest.param(2.0, 1, id="200%"),
    pytest.param(1.0, 2, id="dpr2")])
def test_the_phones_notes_and_settle_contacts_fit_a_laptop(tmp_path, text_scale,
                                                           scale_factor):
    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json"),
               QT_SCALE_FACTOR=str(scale_factor), HOME=str(tmp_path))
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(HERE / "sharing_screens_check.py"), "--text-scale",
         str(text_scale), "--out", str(out)], env=env, capture_output=True, text=True,
        timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["windows"] == ["Today line", "notes", "notes with a settled one",
                                 "Settle contacts", "Settle contacts, many fields",
                                 "Settle contacts, two lists of numbers", "History",
                                 "Share with the family, a contact waiting",
                                 "Share with the family, sent elsewhere"]
    # what was looked at: the notes with their buttons, a settled one, two choices
    assert report["settle button"] == "Settle this co&ntact…"
    assert report["states"] == ["new", "new", "new", "settled in the app"]
    assert report["choices"] == 3  # a phone number, the email, the notes
    assert report["lists"] == [6, 6]  # each side's six numbers, whole
    assert report["history"][:2] == [
        "Given (ticked on Ana's iPhone)",
        "Given (un-ticked on Ana's iPhone before Mon 5 Jan 08:40; settled in the app; also "
        "ticked on Ana's iPhone at 08:12; corrected below)"]
    assert report["settle row"] is True
    # the message for an address that sends the app elsewhere, whole beside the address
    assert report["beside the address"].endswith(
        "put that address in Server address above, then check the server again.")
    assert report["controls"] >= 90 and report["cells"] >= 50, report
    assert report["problems"] == []
