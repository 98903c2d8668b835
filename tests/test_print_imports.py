"""``caregiver-app print checklist`` loads what a checklist needs and nothing more (#19).

The command runs in a subprocess of its own (offscreen, the example household, one day
to a PDF file), so that modules other tests imported into this process cannot hide one
it loaded; each module on ``NOT_FOR_A_CHECKLIST`` found loaded fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Never loaded by printing a checklist to a PDF file (a name whose package is loaded
#: counts too).
NOT_FOR_A_CHECKLIST = (
    # sqlite-utils and its command line's dependencies: up-to-date records are opened
    # and read through the connection (storage.records)
    "sqlite_utils",
    "click",
    "pluggy",
    "caregiver_app.storage.migrations",
    # what other sheets, the calendar and CSV exports, the history, Today's actions and
    # How things are going use (loaded where used)
    "caregiver_app.domain.exports",
    "caregiver_app.domain.calendar_events",
    "caregiver_app.domain.dose_identity",
    "caregiver_app.domain.going_trends",
    "caregiver_app.domain.history",
    "caregiver_app.domain.tick_sources",
    "caregiver_app.domain.batch",
    "caregiver_app.domain.adherence",
    "caregiver_app.domain.medicine_edit",
    "statistics",
    # the medicine reference's reader (a medicine's GivenBy is in domain.vocab)
    "caregiver_app.domain.reference",
    "tomllib",
    # uuid (and the platform module it loads): the household id is checked as text
    "uuid",
    # the example household's maker: only when it is not there yet
    "caregiver_app.services.demo",
    # phonenumbers: the footer's care-team numbers are shown as kept with them
    # (domain.phones.phone_forms), the region is the patient's country
    "phonenumbers",
    # widgets, printers, the window
    "PySide6.QtWidgets",
    "PySide6.QtPrintSupport",
    "caregiver_app.ui",
    # what the window builds beside the records: Learn, reminders, export/import of
    # every record, sharing with a phone (and its calendar, vCard, server and password
    # libraries), the clinic-visit summary
    "caregiver_app.services.learn",
    "caregiver_app.services.reminders",
    "caregiver_app.services.transfer",
    "caregiver_app.services.sharing",
    "caregiver_app.storage.sharing_repo",
    "caregiver_app.domain.visit_summary",
    "icalendar",
    "vobject",
    "caldav",
    "keyring",
)

_SCRIPT = """
import atexit, gc, json, sys
# runs after the command's own exit handlers (last registered, first run)
atexit.register(lambda: print("FROZEN AT EXIT", gc.get_freeze_count(), flush=True))
from caregiver_app.app import main
code = main(sys.argv[1:])
print("MODULES " + json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def _run(*args: str) -> tuple[set[str], str]:
    # the example household lives in Chicago (its care team's numbers are shown in the
    # national form there)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TZ="America/Chicago")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    result = subprocess.run([sys.executable, "-c", _SCRIPT, *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES "))), result.stdout


@pytest.mark.slow
def test_printing_a_checklist_loads_nothing_it_does_not_need(tmp_path):
    data = tmp_path / "data"
    pdf = tmp_path / "day.pdf"
    common = ("--data-dir", str(data), "--demo", "print", "checklist", "--date",
              "2026-12-07", "--pdf")
    _run(*common, str(tmp_path / "first.pdf"))  # the first run makes the example household
    modules, out = _run(*common, str(pdf))
    assert "Wrote " in out and pdf.read_bytes().startswith(b"%PDF")
    assert "caregiver_app.services.printing.renderer" in modules  # it did print
    loaded = {name: sorted(m for m in modules if m == name or m.startswith(name + "."))
              for name in NOT_FOR_A_CHECKLIST}
    assert {name: found for name, found in loaded.items() if found} == {}
    assert len(loaded) == len(NOT_FOR_A_CHECKLIST) == 32


@pytest.mark.slow
def test_a_print_command_ends_without_tearing_down_what_it_made(tmp_path):
    """The interpreter's last garbage collection would walk and free the tens of
    thousands of objects the command made (~30 ms CPU): they are frozen at exit instead,
    after the PDF is written whole."""
    pdf = tmp_path / "week.pdf"
    _, out = _run("--data-dir", str(tmp_path / "data"), "--demo", "print", "week",
                  "--pdf", str(pdf))
    assert "Wrote " in out and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    frozen = [int(line.split()[-1]) for line in out.splitlines()
              if line.startswith("FROZEN AT EXIT")]
    assert len(frozen) == 1 and frozen[0] > 10_000, out[-300:]


_ENTRY_SCRIPT = """
import gc, sys
gc.disable()  # (as caregiver_app.__main__ does before it loads the app's modules)
frozen = []
gc.callbacks.append(lambda phase, info: phase == "start" and not frozen
                    and frozen.append(gc.get_freeze_count()))
sys.argv = ["caregiver-app", *sys.argv[1:]]
from caregiver_app.__main__ import main
code = main()
print("FROZEN AT FIRST COLLECTION", frozen[0] if frozen else "none", flush=True)
sys.exit(code)
"""


@pytest.mark.slow
def test_a_command_never_collects_what_the_imports_made(tmp_path):
    """The app's modules load with the collector off (``caregiver_app.__main__``): the
    tens of thousands of objects they made live as long as the command, so they are
    frozen before it collects; else its first collections walk them all (~10-15 ms
    CPU of a checklist's ~300)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    pdf = tmp_path / "day.pdf"
    result = subprocess.run(
        [sys.executable, "-c", _ENTRY_SCRIPT, "--data-dir", str(tmp_path / "data"),
         "--demo", "print", "checklist", "--pdf", str(pdf)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Wrote " in result.stdout and pdf.read_bytes().startswith(b"%PDF")
    line = next(x for x in result.stdout.splitlines()
                if x.startswith("FROZEN AT FIRST COLLECTION"))
    assert int(line.split()[-1]) > 10_000, line
