"""Start at login: the Linux file for real (in a temporary XDG_CONFIG_HOME, checked by
desktop-file-validate), the macOS LaunchAgent and the Windows Run key through their
path and content logic."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caregiver_app.services import autostart
from caregiver_app.services.autostart import (
    AT_LOGIN_FLAG,
    LaunchAgent,
    RunKeyAutostart,
    XdgAutostart,
    for_system,
)

ODD_PYTHON = "/home/Ann O'Neil/My \"apps\"/50% $HOME `x`\\bin/python3"


def _exec_argv(exec_value: str) -> list[str]:
    """Read an Exec value back as the Desktop Entry specification says: unescape the
    string value (\\\\ is a backslash), %% is a percent sign, then split at spaces
    outside double quotes, where a backslash quotes the next character."""
    text = exec_value.replace("\\\\", "\\").replace("%%", "%")
    args: list[str] = []
    current, quoted, started, i = "", False, False, 0
    while i < len(text):
        ch = text[i]
        if quoted and ch == "\\":
            current += text[i + 1]
            i += 2
            continue
        if ch == '"':
            quoted, started = not quoted, True
        elif ch == " " and not quoted:
            if started or current:
                args.append(current)
            current, started = "", False
        else:
            current += ch
        i += 1
    if started or current:
        args.append(current)
    return args


def test_linux_entry_is_written_in_the_xdg_config_home_and_removed(tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    # another program's login entry, which must stay as it is
    (config / "autostart").mkdir(parents=True)
    other = config / "autostart" / "other.desktop"
    other.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    entry = autostart.for_this_computer() if sys.platform.startswith("linux") else \
        for_system("linux", home=tmp_path, environ={"XDG_CONFIG_HOME": str(config)},
                   command=autostart.launch_command())
    assert isinstance(entry, XdgAutostart)
    assert not entry.is_on()

    entry.turn_on()
    path = config / "autostart" / "caregiver-app.desktop"
    assert entry.is_on() and path.is_file()
    text = path.read_text(encoding="utf-8")
    assert "Name=ALS Care Companion\n" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert _exec_argv(exec_line.removeprefix("Exec=")) == [
        sys.executable, "-m", "caregiver_app", AT_LOGIN_FLAG]
    assert sorted(p.name for p in (config / "autostart").iterdir()) == [
        "caregiver-app.desktop", "other.desktop"]
    entry.turn_on()  # again: the same one file
    assert sorted(p.name for p in (config / "autostart").iterdir()) == [
        "caregiver-app.desktop", "other.desktop"]

    entry.turn_off()
    assert not entry.is_on()
    assert [p.name for p in (config / "autostart").iterdir()] == ["other.desktop"]
    assert other.read_text() == "[Desktop Entry]\nType=Application\nName=Other\nExec=other\n"
    entry.turn_off()  # off twice is fine


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (desktop-file-utils)")
def test_linux_entry_is_valid_even_for_an_odd_install_path(tmp_path):
    command = (ODD_PYTHON, "-m", "caregiver_app", AT_LOGIN_FLAG)
    entry = XdgAutostart(tmp_path, command)
    entry.turn_on()
    result = subprocess.run(["desktop-file-validate", str(entry.path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()
    exec_line = next(line for line in entry.path.read_text().splitlines()
                     if line.startswith("Exec="))
    assert _exec_argv(exec_line.removeprefix("Exec=")) == list(command)


def test_the_xdg_config_home_follows_the_specification(tmp_path):
    home = tmp_path / "home"
    assert autostart.xdg_config_home({}, home) == home / ".config"
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": ""}, home) == home / ".config"
    # a relative value is ignored, as the specification says
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": "conf"}, home) == home / ".config"
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": "/etc/x"}, home) == Path("/etc/x")


def test_an_entry_hidden_by_the_desktop_counts_as_off(tmp_path):
    entry = XdgAutostart(tmp_path, ("app",))
    entry.turn_on()
    entry.path.write_text(entry.content() + "Hidden=true\n")
    assert not entry.is_on()
    entry.turn_on()  # turning it on again writes the entry without Hidden
    assert entry.is_on()


def test_macos_launch_agent_path_and_content(tmp_path):
    home = tmp_path / "Users" / "ann"
    command = ("/Applications/ALS Care Companion.app/Contents/MacOS/ALS Care Companion",
               AT_LOGIN_FLAG)
    entry = for_system("darwin", home=home, environ={}, command=command)
    assert isinstance(entry, LaunchAgent)
    assert entry.path == (home / "Library" / "LaunchAgents"
                          / "org.alscarecompanion.caregiver-app.plist")
    assert not entry.is_on()
    entry.turn_on()
    plist = plistlib.loads(entry.path.read_bytes())
    assert plist == {"Label": "org.alscarecompanion.caregiver-app",
                     "ProgramArguments": list(command), "RunAtLoad": True,
                     "ProcessType": "Interactive"}
    assert entry.is_on()
    entry.turn_off()
    assert not entry.is_on()
    assert list(entry.path.parent.iterdir()) == []


class FakeRunKey:
    """The Run key's values, as a dict."""

    def __init__(self, values: dict[str, str] | None = None):
        self.values = dict(values or {})

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        del self.values[name]


def test_windows_run_key_value_is_one_quoted_command_line(tmp_path):
    others = {"OneDrive": '"C:\\Program Files\\OneDrive.exe" /background'}
    store = FakeRunKey(others)
    exe = "C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\ALS Care Companion\\caregiver-app.exe"
    entry = for_system("win32", home=tmp_path, environ={}, command=(exe, AT_LOGIN_FLAG),
                       run_key=store)
    assert isinstance(entry, RunKeyAutostart)
    assert not entry.is_on()
    entry.turn_on()
    assert store.values["ALS Care Companion"] == f'"{exe}" --at-login'
    assert entry.is_on()
    entry.turn_off()
    assert store.values == others  # exactly what was added is gone
    entry.turn_off()
    assert "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run" in \
        entry.describe()


def test_nothing_of_windows_is_imported_elsewhere(tmp_path):
    """The Windows part imports ``winreg`` only when it is used, on Windows."""
    code = ("import sys\n"
            "from pathlib import Path\n"
            "from caregiver_app.services import autostart\n"
            "for platform in ('linux', 'darwin', 'win32'):\n"
            "    autostart.for_system(platform, home=Path('.'), environ={}, command=['x'])\n"
            "assert 'winreg' not in sys.modules, 'winreg imported'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


def test_the_login_command_starts_this_copy_minimized(monkeypatch):
    assert autostart.launch_command() == [sys.executable, "-m", "caregiver_app",
                                          AT_LOGIN_FLAG]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert autostart.launch_command() == [sys.executable, AT_LOGIN_FLAG]


@pytest.mark.parametrize(("last", "running", "is_on", "offered"), [
    ("", "0.2.0", False, True),        # set up with 0.1.0, which kept no version
    ("0.1.0", "0.2.0", False, True),   # an update
    ("0.9.0", "0.10.0", False, True),  # numbers, not letters
    ("0.2.0", "0.2.0", False, False),  # the same version again: offered once
    ("0.3.0", "0.2.0", False, False),  # an older version started again is no update
    ("0.1.0", "0.2.0", True, False),   # already on
])
def test_start_at_login_is_offered_again_once_after_an_update(last, running, is_on,
                                                              offered):
    assert autostart.offer_after_update(last, running, is_on=is_on) is offered
