"""A plain start loads what the first window needs and nothing more.

The app is started in a subprocess of its own (offscreen, the example household, quitting
once the window is up and idle), so that modules other tests imported into this process
cannot hide one the start loaded. Printing, the vCard and calendar formats, phone
numbers, import and export, sharing's network code, the system notifications and the
tabs that do not show first are loaded the first time they are used; each module on
``NOT_AT_START`` found loaded fails. It is started twice: the first start makes the
records, the second opens them as every later start does (``NOT_WHEN_UP_TO_DATE``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Loaded when first used, never by a plain start (a module named here whose package is
#: loaded counts too: "caregiver_app.services.printing" covers its renderer).
NOT_AT_START = (
    # printing: the sheets, the renderer, Qt's printing module, the calendar / CSV exports
    "caregiver_app.services.printing",
    "caregiver_app.domain.printouts",
    "caregiver_app.domain.paper",
    "caregiver_app.domain.exports",
    "caregiver_app.domain.calendar_events",
    "PySide6.QtPrintSupport",
    # vCard, icalendar, e-mail addresses (phone numbers: below)
    "caregiver_app.services.vcard",
    "vobject",
    "icalendar",
    "email_validator",
    # import and export of every record
    "caregiver_app.services.transfer",
    "caregiver_app.storage.transfer",
    # sharing's network code and password store
    "caregiver_app.services.sharing.transport",
    "caldav",
    "keyring",
    # the system's notifications (asyncio-based): at the first notice
    "desktop_notifier",
    "asyncio",
    # the tabs that do not show first (built when opened, or once the window is idle),
    # with How things are going's charts
    "caregiver_app.ui.medications",
    "caregiver_app.ui.careteam",
    "caregiver_app.ui.learn",
    "caregiver_app.ui.going.tab",
    "caregiver_app.ui.going.chart",
    # Learn's records and search (its tab is not the first), every table's field rules
    "caregiver_app.services.learn",
    "caregiver_app.domain.fields",
    # sharing's records (a phone's tick beside a dose record): not for Today's nudge line
    "caregiver_app.storage.sharing_repo",
    "caregiver_app.domain.sharing",
    "caregiver_app.domain.phone_notes",
    # Today's dialogs (given at, skip, correct, several at once, while you were away,
    # reminder settings) and the login start's system code: when first asked for
    "caregiver_app.ui.today.dialogs",
    "caregiver_app.ui.today.batch_dialog",
    "caregiver_app.ui.today.catch_up",
    "caregiver_app.ui.today.reminder_settings",
    "caregiver_app.ui.today.settings_dialog",
    "caregiver_app.services.autostart",
    "plistlib",
    # Qt's network module: the single-instance server listens once the window is idle;
    # ctypes only checks the X11 libraries where Qt will use xcb
    "PySide6.QtNetwork",
    "ctypes",
    # the log's rotating handler (logging.handlers, with socket, pickle and queue for its
    # network handlers): the log rotates once the window is up
    "logging.handlers",
    "caregiver_app.services.rotating_log",
    "socket",
    "pickle",
    # the resources' folder is the package's own (importlib.resources: a phone number's
    # region, at most); the records' recovery screen: when the file is damaged
    "importlib.resources",
    "caregiver_app.ui.backups.recovery",
    # the patient's profile and the caregivers (with the name completer), export and
    # import of every record, the questions on closing while reminders run
    "caregiver_app.ui.profile",
    "caregiver_app.ui.completion",
    "caregiver_app.ui.transfer_actions",
    "caregiver_app.ui.close_prompts",
    # File ▸ Print ▸ … and the exports (the print controller, its period and saving
    # dialogs, the paper sizes): their entries come once the window is idle; work off
    # the GUI thread (its progress dialog, the forms' dialog under it) when first started
    "caregiver_app.ui.printing",
    "caregiver_app.ui.saving_dialog",
    "caregiver_app.domain.paper_sizes",
    "caregiver_app.domain.print_kinds",
    "caregiver_app.services.files",
    "caregiver_app.ui.background",
    "caregiver_app.services.background",
    "caregiver_app.ui.form_dialog",
    # the commands' parsers (print, export, import, sync): the window's own options are
    # read without them (``cli.window_options``)
    "caregiver_app.commands",
    "caregiver_app.printing_commands",
    "caregiver_app.sharing_commands",
    # dateutil's recurrence rules: the schedule steps through dates itself (How things
    # are going's trends use dateutil's relativedelta)
    "dateutil.rrule",
)

#: Loaded by the first start, which makes the records (sqlite-utils' migrations), not by
#: the next ones: up-to-date records are opened and read through the standard library's
#: sqlite3 (storage.records), without sqlite-utils and its command-line dependencies.
NOT_WHEN_UP_TO_DATE = ("sqlite_utils", "click", "pluggy",
                       "hashlib",  # (the single-instance server's name: once idle)
                       # the example's care-team numbers are saved with how each is
                       # shown (domain.phones.phone_forms): made once, then read
                       "phonenumbers",
                       "uuid", "platform",  # (a new household's id; a system notice's)
                       "caregiver_app.services.demo",  # (the example, made once)
                       # Unicode's tables (a library of their own, ~0.1 MiB of a start's
                       # memory): the care team's and Learn's accent-blind searches
                       "unicodedata",
                       "six", "calendar")  # (dateutil.parser's: sqlite-utils loads it)

_SCRIPT = """
import gc, json, linecache, sys
from PySide6.QtCore import QTimeZone
zone_reads = []
read_zone = QTimeZone.systemTimeZoneId
def counted_read():
    zone_reads.append(1)
    return read_zone()
QTimeZone.systemTimeZoneId = staticmethod(counted_read)
import inspect
signatures = []
read_signature = inspect.signature
def counted_signature(obj, *args, **kwargs):
    signatures.append(getattr(obj, "__qualname__", repr(obj)))
    return read_signature(obj, *args, **kwargs)
inspect.signature = counted_signature
from caregiver_app.app import main
frozen_at_each_collection = []
gc.callbacks.append(lambda phase, info: phase == "start"
                    and frozen_at_each_collection.append(gc.get_freeze_count()))
code = main(sys.argv[1:])
print("MODULES " + json.dumps(sorted(sys.modules)))
print("SOURCES " + json.dumps(sorted(linecache.cache)))
print("ZONE_READS " + json.dumps(len(zone_reads)))
print("SIGNATURES " + json.dumps(signatures))
print("QT_CLASSES " + json.dumps({name: sorted(vars(sys.modules[name])) for name in (
    "PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")}))
try:  # (Linux: the files mapped into the process, Qt's plugins and libraries among them)
    with open("/proc/self/maps") as maps:
        mapped = sorted({line.split()[-1] for line in maps if "/" in line})
except OSError:
    mapped = None
print("MAPPED " + json.dumps(mapped))
print("GC " + json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count(),
                          "frozen_at_each_collection": frozen_at_each_collection}))
sys.exit(code)
"""


def _after_start(*args: str) -> dict:
    """What a start loaded: "MODULES" (``sys.modules``) and "SOURCES" (the files whose
    lines ``linecache`` keeps); "GC": the garbage collector's state after it, and how many
    objects were frozen at each collection from ``main()`` on; "QT_CLASSES": the names
    PySide made in each Qt module (it makes a class, and its enum types, when first
    named); "MAPPED": the files mapped into the process (None where the system does not
    list them); "SIGNATURES": what ``inspect.signature`` was asked about."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    result = subprocess.run([sys.executable, "-c", _SCRIPT, *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = {}
    for line in result.stdout.splitlines():
        key, _, rest = line.partition(" ")
        if key in ("MODULES", "SOURCES", "GC", "ZONE_READS", "QT_CLASSES", "MAPPED",
                   "SIGNATURES"):
            found[key] = json.loads(rest)
    return found


def _modules_after_start(*args: str) -> set[str]:
    return set(_after_start(*args)["MODULES"])


def _loaded(modules: set[str], name: str) -> list[str]:
    return sorted(m for m in modules if m == name or m.startswith(name + "."))


@pytest.mark.slow
def test_a_plain_start_loads_nothing_on_the_not_at_start_list(tmp_path):
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    first = _modules_after_start(*start)  # makes the example household's records
    again = _modules_after_start(*start)
    for modules in (first, again):
        assert "caregiver_app.ui.main_window" in modules  # the start did happen
        assert "caregiver_app.ui.today.tab" in modules
    assert "sqlite_utils" in first  # (the records were made: the check below can fail)
    loaded = {name: _loaded(first, name) for name in NOT_AT_START}
    assert {name: found for name, found in loaded.items() if found} == {}
    loaded = {name: _loaded(again, name) for name in NOT_AT_START + NOT_WHEN_UP_TO_DATE}
    assert {name: found for name, found in loaded.items() if found} == {}
    assert len(loaded) == len(NOT_AT_START) + len(NOT_WHEN_UP_TO_DATE) == 58 + 11


#: A household that shares: its sync engine, the formats and the network code are
#: loaded at its first sync (shortly after start), not by the start itself.
SHARING_NOT_AT_START = (
    "caregiver_app.services.sharing.engine",
    "caregiver_app.services.sharing.cards",
    "caregiver_app.services.sharing.formats",
    "caregiver_app.services.sharing.transport",
    "caldav",
    "keyring",
    "icalendar",
    "vobject",
)

_SHARING_HOUSEHOLD = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from caregiver_app.core import open_core
from caregiver_app.domain.patient import AllergyStatus, Patient
from caregiver_app.domain.sharing import ShareConfig
from caregiver_app.services.clock import SystemClock
from caregiver_app.storage.sharing_repo import SharingRepository
core = open_core(Path(sys.argv[1]), SystemClock())
core.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN))
SharingRepository(core.db).save_config(ShareConfig(
    enabled=True, server="https://dav.example.org/", username="ana", confirmed=True))
core.close()
"""


@pytest.mark.slow
def test_a_household_that_shares_builds_its_sync_engine_after_start(tmp_path):
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    made = subprocess.run([sys.executable, "-c", _SHARING_HOUSEHOLD, str(data)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    modules = _modules_after_start("--data-dir", str(data), "--quit-when-idle")
    assert "caregiver_app.services.sharing.service" in modules  # sharing is set up
    loaded = {name: _loaded(modules, name) for name in SHARING_NOT_AT_START}
    assert {name: found for name, found in loaded.items() if found} == {}
    assert len(loaded) == 8


#: Qt classes made when first used, not by a plain start: PySide makes a class, with its
#: enum types, the first time a module names it (QUrl: the chime's file).
NOT_MADE_AT_START = {"PySide6.QtCore": ("QUrl",)}


@pytest.mark.slow
def test_a_plain_start_makes_no_qt_class_it_does_not_use(tmp_path):
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    _after_start(*start)  # makes the records
    made = _after_start(*start)["QT_CLASSES"]
    assert "QTimer" in made["PySide6.QtCore"]  # (the list is of what was made)
    assert {module: sorted(set(names) & set(made[module]))
            for module, names in NOT_MADE_AT_START.items()} == {
        module: [] for module in NOT_MADE_AT_START}


@pytest.mark.slow
def test_the_start_keeps_no_module_sources_in_memory(tmp_path):
    """PySide's import hook reads each module's source, and Python's line cache would keep
    the lines of all ~300 (~7 MiB): the start drops them (``app.forget_module_sources``)."""
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    _after_start(*start)  # makes the records
    found = _after_start(*start)
    assert len(found["MODULES"]) > 250  # (so many were imported)
    assert len(found["SOURCES"]) < 10, found["SOURCES"]


@pytest.mark.slow
def test_no_garbage_collection_runs_until_the_window_is_idle(tmp_path):
    """The window's start makes tens of thousands of objects that live as long as the
    window and next to no cyclic garbage: the collector is off until the event loop
    first runs, which freezes them (``app.start_collecting``); it is on again after."""
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    _after_start(*start)  # makes the records
    found = _after_start(*start)["GC"]
    assert found["enabled"]
    assert found["frozen"] > 20_000  # (the modules and the window)
    before_freeze = [n for n in found["frozen_at_each_collection"] if n == 0]
    assert len(before_freeze) <= 2, before_freeze  # (~45 without; the command line's
    # parsing, before the window's start, may make one)


@pytest.mark.slow
def test_a_start_makes_its_dataclasses_without_asking_inspect_for_signatures(tmp_path):
    """A dataclass without a docstring of its own is given one made from
    ``inspect.signature`` as it is made (~40-90 us each: ~2 ms CPU for the 23 a start
    made): each dataclass a start makes has its own (a new one on the start's path
    fails here until it has one)."""
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    _after_start(*start)  # (makes the example household)
    assert _after_start(*start)["SIGNATURES"] == []


@pytest.mark.slow
def test_a_patient_with_a_time_zone_starts_without_the_computers_zone(tmp_path):
    """The computer's zone (``core.system_time_zone``) is Qt's first read of the system's
    zones (~5 ms CPU): asked only when the patient has none (the example's has one)."""
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    assert _after_start(*start)["ZONE_READS"] >= 1  # the example is made in it
    assert _after_start(*start)["ZONE_READS"] == 0


@pytest.mark.slow
def test_a_plain_start_loads_no_svg_code_of_qts(tmp_path):
    """The window's icon is PNG files, each read when first drawn (``ui.icons``): a QIcon
    of the SVG loaded Qt's SVG icon engine (a plugin) and its SVG library at once, ~1.6
    MiB of the start's peak memory."""
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    _after_start(*start)  # makes the records
    mapped = _after_start(*start)["MAPPED"]
    if mapped is None:
        pytest.skip("this system does not list the files a process maps")
    assert any("libQt6Widgets" in name for name in mapped)  # (the list can show Qt's)
    assert [name for name in mapped if "svg" in Path(name).name.lower()] == []

#: Widget classes the window does not use at start. PySide loads a class (and makes its
#: enum types) when it is first named, and every widget class the first time Python is
#: handed a widget Qt made that Python has not seen (``ui.widgets.own_viewport``). The
#: message box, file dialog and calendar are named where they are shown.
NOT_LOADED_AT_START = ("QWizard", "QColorDialog", "QFontDialog", "QInputDialog", "QMdiArea",
                       "QLCDNumber", "QGraphicsView", "QDockWidget", "QDial",
                       "QMessageBox", "QFileDialog", "QCalendarWidget")


@pytest.mark.slow
def test_a_start_does_not_make_pyside_load_every_widget_class(tmp_path):
    start = ("--data-dir", str(tmp_path / "data"), "--demo", "--quit-when-idle")
    _after_start(*start)  # makes the records
    loaded = set(_after_start(*start)["QT_CLASSES"]["PySide6.QtWidgets"])
    assert "QTreeView" in loaded  # (the start did happen, and the check can see a class)
    assert sorted(loaded & set(NOT_LOADED_AT_START)) == []


def test_the_records_modules_are_imported_before_qt():
    """PySide's import hook reads the source of every module imported after PySide (it
    looks for its ``__feature__`` switches, ~0.1 ms a module). ``core`` imports the
    records (storage, and the domain and standard library under it: no Qt) before the
    services, which import Qt: none of those is imported after it."""
    script = "import json, sys, caregiver_app.core; print(json.dumps(list(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    order = json.loads(result.stdout)
    # (shiboken6, PySide's base, is where the hook is installed; it is listed once
    # imported, after what its own loader imports)
    after_qt = order[order.index("shiboken6") + 1:]
    ours = ("caregiver_app.services", "caregiver_app.core", "caregiver_app.domain",
            "caregiver_app.pyside_hook")
    late = [name for name in after_qt
            if not name.startswith(("PySide6", "shiboken6", "shibokensupport", "_", *ours))]
    assert late == []
    assert len(order) - len(after_qt) > 150  # (so many came before)


_ENTRY = """
import atexit, gc, json, sys
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(1))
found = {}
from caregiver_app import cli
parse = cli.parse_args

def parse_after_the_imports(argv):
    found.update(collections=len(collections) - before, enabled=gc.isenabled())
    return parse(argv)

cli.parse_args = parse_after_the_imports
atexit.register(lambda: print("ENTRY " + json.dumps({**found, "at_exit": gc.isenabled()})))
sys.argv = ["caregiver-app", *sys.argv[1:]]
from caregiver_app.__main__ import main
before = len(collections)
sys.exit(main())
"""


@pytest.mark.slow
def test_the_program_loads_its_modules_without_collections_and_commands_run_with_them(
        tmp_path):
    """``caregiver_app.__main__`` (the scripts, ``python -m``, main.py) turns Python's
    collector off while the app's modules load (~40 collections of long-lived objects);
    a command turns it on again (the window: once idle, see above)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", _ENTRY, "--data-dir", str(tmp_path / "data"), "--demo",
         "export", "--csv", str(tmp_path / "doses.csv")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("ENTRY ")]
    found = json.loads(line.removeprefix("ENTRY "))
    assert found == {"collections": 0, "enabled": False, "at_exit": True}
    assert (tmp_path / "doses.csv").exists()
