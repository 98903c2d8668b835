"""The PyInstaller spec, the Windows installer script, the macOS disk image script and
the workflow that builds them, read here for what each system needs. The Windows and
macOS ones cannot be built on Linux: the spec is run with stand-ins for PyInstaller's
build steps, as each of the three systems would run it."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

from caregiver_app import __version__, platforms
from caregiver_app.services import autostart

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "caregiver-app.spec"


class _Step:
    """A stand-in for one of PyInstaller's build steps: keeps what it was given."""

    made: list[_Step]

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.made.append(self)
        self.pure, self.scripts = ["pure"], ["scripts"]
        self.binaries = [("PySide6/Qt/lib/libQt6Core.so.6", "src", "BINARY"),
                         ("PySide6/Qt/plugins/platforms/libqeglfs.so", "src", "BINARY"),
                         ("PySide6/Qt/plugins/platforms/libqxcb.so", "src", "BINARY"),
                         ("PySide6\\Qt\\plugins\\imageformats\\qpdf.dll", "src", "BINARY"),
                         ("PySide6/Qt/lib/libQt6Pdf.so.6", "src", "BINARY"),
                         ("PySide6\\Qt6VirtualKeyboard.dll", "src", "BINARY"),
                         ("PySide6\\Qt6Widgets.dll", "src", "BINARY"),
                         ("PySide6/Qt/lib/QtPdf.framework/Versions/A/QtPdf", "src", "BINARY")]
        self.datas = [("resources/articles/riluzole.md", "src", "DATA"),
                      ("PySide6/Qt/translations/qt_help_de.qm", "src", "DATA"),
                      ("PySide6/Qt/translations/qtbase_de.qm", "src", "DATA")]


def _stand_in_dataclass_code(out_dir: Path, root: Path) -> Path:
    assert root == ROOT
    out_dir.mkdir(parents=True, exist_ok=True)
    made = out_dir / "dataclass-code.cpython-311.marshal"
    made.write_bytes(b"code")
    return made


def _run_spec(platform: str, tmp_path: Path, monkeypatch) -> dict[str, list[_Step]]:
    made: dict[str, list[_Step]] = {}
    names = {}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        made[name] = []
        names[name] = type(name, (_Step,), {"made": made[name]})
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: [f"{package}.commands"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    # the build's start of the app that makes the dataclasses' code (packaging/
    # dataclass_code.py; tested in test_codegen_cache.py): a file in its place here
    maker = types.ModuleType("dataclass_code")
    maker.make = _stand_in_dataclass_code  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dataclass_code", maker)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "path", list(sys.path))
    namespace = {"SPECPATH": str(SPEC.parent), "workpath": str(tmp_path / "work"),
                 "__file__": str(SPEC), **names}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return made


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_one_analysis_makes_the_app_and_its_console_twin(platform, tmp_path, monkeypatch,
                                                         qapp):
    made = _run_spec(platform, tmp_path, monkeypatch)
    (analysis,) = made["Analysis"]
    assert analysis.args[0] == [str(ROOT / "main.py")]
    # the resources go in whole, where the frozen app looks for them (test_platforms.py);
    # phonenumbers' __init__.py for the version of its rules (the next test); the
    # dataclasses' code a start made, where codegen_cache looks for it in the bundle
    dataclass_code = tmp_path / "work" / "dataclass-code" / "dataclass-code.cpython-311.marshal"
    assert analysis.kwargs["datas"] == [(str(ROOT / "resources"), platforms.RESOURCES),
                                        (_phonenumbers_init(), "phonenumbers"),
                                        (str(dataclass_code), "caregiver_app")]
    assert "caregiver_app.commands" in analysis.kwargs["hiddenimports"]
    excludes = analysis.kwargs["excludes"]
    assert {"PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "tkinter", "pytest"} <= set(excludes)
    assert "PySide6.QtMultimedia" not in excludes  # the chime
    # Qt parts for embedded screens and PDF images are dropped; the window's are kept
    kept = [entry[0] for entry in analysis.binaries + analysis.datas]
    assert kept == ["PySide6/Qt/lib/libQt6Core.so.6",
                    "PySide6/Qt/plugins/platforms/libqxcb.so",
                    "PySide6\\Qt6Widgets.dll",
                    "resources/articles/riluzole.md",
                    "PySide6/Qt/translations/qtbase_de.qm"]
    window, console = made["EXE"]
    assert (window.kwargs["name"], window.kwargs["console"]) == ("caregiver-app", False)
    assert (console.kwargs["name"], console.kwargs["console"]) == ("caregiver-app-cli", True)
    assert window.args[0] is console.args[0] is made["PYZ"][0]  # one analysis, one archive
    (folder,) = made["COLLECT"]
    assert folder.args[:2] == (window, console)
    assert folder.kwargs["name"] == platforms.BUNDLE_DIR
    icon = window.kwargs["icon"]
    if platform == "linux":
        assert icon is None and made["BUNDLE"] == []
    else:
        assert Path(icon).suffix == {"win32": ".ico", "darwin": ".icns"}[platform]
        assert Path(icon).stat().st_size > 1000


def _phonenumbers_init() -> str:
    import importlib.util

    spec = importlib.util.find_spec("phonenumbers")
    assert spec is not None and spec.origin is not None
    return spec.origin


def test_the_bundle_reads_the_phone_rules_version_so_kept_forms_are_used(
        tmp_path, monkeypatch, qapp):
    """In the bundle phonenumbers' code is in PyInstaller's archive, and its loader names
    ``_internal/phonenumbers/__init__.py`` as the module's origin, a file that is not
    there unless the spec ships it: without it the version read is "", the numbers'
    kept forms are never used and every sheet imports phonenumbers (review 3, item 2)."""
    import importlib.machinery
    import importlib.util
    import shutil

    import phonenumbers

    from caregiver_app.domain import phones

    made = _run_spec("linux", tmp_path, monkeypatch)
    (analysis,) = made["Analysis"]
    internal = tmp_path / "dist" / "_internal"  # (sys._MEIPASS)
    for source, folder in analysis.kwargs["datas"][1:2]:
        (internal / folder).mkdir(parents=True)
        shutil.copy(source, internal / folder)
    frozen = importlib.machinery.ModuleSpec(  # as pyimod02_importers.PyiFrozenFinder makes it
        "phonenumbers", None, origin=str(internal / "phonenumbers" / "__init__.py"),
        is_package=True)
    found = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: frozen if name == "phonenumbers" else found(name, *a))
    monkeypatch.delitem(sys.modules, "phonenumbers")  # not imported yet, as at start
    phones.rules_version.cache_clear()
    try:
        assert phones.rules_version() == phonenumbers.__version__
        (internal / "phonenumbers" / "__init__.py").unlink()  # what the spec used to ship
        phones.rules_version.cache_clear()
        assert phones.rules_version() == ""
    finally:
        phones.rules_version.cache_clear()


def test_the_mac_app_keeps_reminders_awake(tmp_path, monkeypatch, qapp):
    """App Nap would delay the reminder timers of a hidden app (issue 21, item 4)."""
    made = _run_spec("darwin", tmp_path, monkeypatch)
    (app,) = made["BUNDLE"]
    assert app.args[0] is made["COLLECT"][0]
    assert app.kwargs["name"] == platforms.MAC_APP
    assert app.kwargs["bundle_identifier"] == platforms.BUNDLE_ID
    plist = app.kwargs["info_plist"]
    assert plist["NSAppSleepDisabled"] is True
    assert plist["CFBundleShortVersionString"] == __version__


def _inno() -> str:
    return (ROOT / "packaging" / "windows" / "caregiver-app.iss").read_text(encoding="utf-8")


def _inno_section(name: str) -> list[str]:
    text = _inno()
    block = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert block, name
    return [line for line in block.group(1).splitlines()
            if line.strip() and not line.startswith(";")]


def test_the_windows_installer_installs_the_bundle_where_platforms_says():
    setup = dict(line.split("=", 1) for line in _inno_section("Setup"))
    installed = platforms.installed_program("win32")
    assert setup["DefaultDirName"].replace("{#AppName}", "ALS Care Companion") == str(
        installed.parent)
    assert setup["PrivilegesRequired"] == "lowest"  # no administrator needed
    (files,) = _inno_section("Files")
    assert r'Source: "..\..\dist\ALS Care Companion\*"' in files  # where `dist` puts it
    assert "recursesubdirs" in files
    assert '#define Program "caregiver-app.exe"' in _inno()
    assert platforms.executable(platforms.PROGRAM, "win32") == "caregiver-app.exe"


def test_the_windows_installer_adds_a_start_menu_entry_and_an_uninstaller():
    icons = _inno_section("Icons")
    assert icons[0].startswith(r'Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#Program}"')
    setup = dict(line.split("=", 1) for line in _inno_section("Setup"))
    assert setup["UninstallDisplayIcon"] == r"{app}\{#Program}"
    assert "Uninstallable" not in setup  # (Inno's default: an uninstaller is made)


def test_uninstalling_on_windows_removes_the_login_entry_and_never_the_records():
    code = _inno()[_inno().index("[Code]"):]
    assert (f"RegDeleteValue(HKEY_CURRENT_USER, '{autostart.RUN_KEY}'" in code
            .replace("\n                   ", " "))
    assert f"'{autostart.RUN_VALUE_NAME}'" in code
    assert "UninstallDelete" not in _inno()
    assert "{userappdata}" not in _inno() and "{localappdata}" not in _inno()


def test_the_mac_disk_image_holds_the_app_and_checks_app_nap_is_off():
    script = (ROOT / "packaging" / "macos" / "make_dmg.sh").read_text(encoding="utf-8")
    assert f'app="dist/{platforms.MAC_APP}"' in script
    assert "NSAppSleepDisabled" in script
    assert "ln -s /Applications" in script
    assert "hdiutil create" in script


def test_the_workflow_builds_every_installer_on_its_own_system():
    text = (ROOT / ".github" / "workflows" / "bundles.yml").read_text(encoding="utf-8")
    systems = re.search(r"os: \[(.*)\]", text)
    assert systems and [s.strip() for s in systems.group(1).split(",")] == [
        "ubuntu-22.04", "windows-latest", "macos-latest"]
    assert "fail-fast: false" in text
    assert "make dist && make deb" in text
    assert "python tasks.py dist" in text
    assert r"packaging\windows\caregiver-app.iss" in text
    assert "packaging/macos/make_dmg.sh" in text
    assert "caregiver-app-cli\" --version" in text  # the console twin answers on each
    assert "caregiver-app-cli.exe\" --version" in text
    # the bundle test runs on the bundle just built (without this it would be skipped)
    assert "CAREGIVER_APP_BUNDLE: dist" in text and "tests/test_bundle.py" in text
