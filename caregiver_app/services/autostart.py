"""Start the app when the person logs in, so reminders come even if nobody opens it.

Each system keeps this in its own place, and this module is the one place that knows
them (no Qt, nothing imported from a system it is not running on):

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/caregiver-app.desktop``
  (``~/.config`` when the variable is unset), the freedesktop.org Desktop Application
  Autostart specification.
- macOS: a LaunchAgent, ``~/Library/LaunchAgents/<label>.plist`` with ``RunAtLoad``,
  written by ``plistlib``.
- Windows: the value ``ALS Care Companion`` under the per-user Run key
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``, written
  through ``winreg`` (imported only there, and only when asked).

The command started at login carries ``--at-login``: the app then opens minimized to
the tray (or minimized, without a tray). Turning it off removes exactly what turning it
on added: the one file or the one registry value, nothing else.
"""

from __future__ import annotations

import importlib
import os
import plistlib
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from caregiver_app import APP_NAME

#: The option the login start adds: open minimized to the tray.
AT_LOGIN_FLAG = "--at-login"
DESKTOP_FILE_NAME = "caregiver-app.desktop"
LAUNCH_AGENT_LABEL = "org.alscarecompanion.caregiver-app"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = APP_NAME

#: What the setting says, wherever it is offered.
OFFER_TEXT = (f"Start {APP_NAME} when I log in, so reminders come even if nobody opens it")


def launch_command() -> list[str]:
    """The command that starts this copy of the app at login: the bundle's own program
    when frozen (PyInstaller), else this Python running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, AT_LOGIN_FLAG]
    return [sys.executable, "-m", "caregiver_app", AT_LOGIN_FLAG]


def offer_after_update(last_started: str, running: str, *, is_on: bool) -> bool:
    """Whether to offer starting at login again at this start: the first start of a
    newer version on these records (``last_started`` is the version that last started
    on them; "" for one from before versions were kept, 0.1.0 and earlier), while it is
    off. A new household is offered it on the welcome screen instead, and an older
    version started again (a downgrade) is not an update."""
    if is_on or last_started == running:
        return False
    return not last_started or _version_key(running) > _version_key(last_started)


def _version_key(version: str) -> tuple[int, ...]:
    """``1.10.2`` → (1, 10, 2); a part that is not a number counts as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


class Autostart(Protocol):
    """Starting at login, as this system keeps it."""

    def is_on(self) -> bool: ...

    def turn_on(self) -> None:
        """Start at login from now on (again: the command is brought up to date).
        Raises ``OSError`` when the system refuses."""

    def turn_off(self) -> None:
        """Remove what ``turn_on`` added; nothing when it is off. Raises ``OSError``."""

    def describe(self) -> str:
        """Where it is kept, in words for the log and the README."""


# ---- Linux and other XDG desktops


def xdg_config_home(environ: Mapping[str, str], home: Path) -> Path:
    """``$XDG_CONFIG_HOME`` if set to an absolute path (the specification ignores a
    relative one), else ``~/.config``."""
    value = environ.get("XDG_CONFIG_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return home / ".config"


def desktop_exec(command: Sequence[str]) -> str:
    """``command`` as the ``Exec`` key of a desktop entry: arguments with reserved
    characters in double quotes (with a backslash before each double quote, backquote,
    dollar sign and backslash inside), then
    backslashes doubled for the string value, and ``%`` doubled (not a field code)."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    parts = []
    for arg in command:
        if arg and not (set(arg) & reserved):
            parts.append(arg)
            continue
        quoted = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        parts.append(f'"{quoted}"')
    return " ".join(parts).replace("\\", "\\\\").replace("%", "%%")


@dataclass(frozen=True)
class XdgAutostart:
    config_home: Path
    command: tuple[str, ...]

    @property
    def path(self) -> Path:
        return self.config_home / "autostart" / DESKTOP_FILE_NAME

    def content(self) -> str:
        return "\n".join([
            "[Desktop Entry]",
            "Type=Application",
            f"Name={APP_NAME}",
            "Comment=Medicine reminders for the person you care for",
            f"Exec={desktop_exec(self.command)}",
            "Icon=caregiver-app",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ])

    def is_on(self) -> bool:
        """The file is there and not hidden (a desktop's "Startup Applications" turns
        an entry off with ``Hidden=true``)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return False
        return not any(line.strip().replace(" ", "") == "Hidden=true"
                       for line in text.splitlines())

    def turn_on(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _write_replacing(self.path, self.content().encode("utf-8"))

    def turn_off(self) -> None:
        self.path.unlink(missing_ok=True)

    def describe(self) -> str:
        return f"the file {self.path}"


# ---- macOS


@dataclass(frozen=True)
class LaunchAgent:
    home: Path
    command: tuple[str, ...]

    @property
    def path(self) -> Path:
        return self.home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    def content(self) -> bytes:
        return plistlib.dumps({
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(self.command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        })

    def is_on(self) -> bool:
        return self.path.is_file()

    def turn_on(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _write_replacing(self.path, self.content())

    def turn_off(self) -> None:
        self.path.unlink(missing_ok=True)

    def describe(self) -> str:
        return f"the login item {self.path}"


# ---- Windows


class RunKeyStore(Protocol):
    """The per-user Run key's values (``WinregRunKey`` on Windows; a dict in tests)."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class WinregRunKey:
    """``HKEY_CURRENT_USER\\…\\Run`` through ``winreg``, imported only when used."""

    def get(self, name: str) -> str | None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, name: str, value: str) -> None:
        winreg = _winreg()

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


@dataclass(frozen=True)
class RunKeyAutostart:
    store: RunKeyStore
    command: tuple[str, ...]

    def content(self) -> str:
        """The command line as Windows reads it back (quoted where needed)."""
        return subprocess.list2cmdline(list(self.command))

    def is_on(self) -> bool:
        return bool(self.store.get(RUN_VALUE_NAME))

    def turn_on(self) -> None:
        self.store.set(RUN_VALUE_NAME, self.content())

    def turn_off(self) -> None:
        if self.store.get(RUN_VALUE_NAME) is not None:
            self.store.delete(RUN_VALUE_NAME)

    def describe(self) -> str:
        return f"the value {RUN_VALUE_NAME!r} of HKEY_CURRENT_USER\\{RUN_KEY}"


# ---- This computer


def for_system(platform: str, *, home: Path, environ: Mapping[str, str],
               command: Sequence[str], run_key: RunKeyStore | None = None) -> Autostart:
    """The login start for ``platform`` (a ``sys.platform`` value)."""
    if platform == "win32":
        return RunKeyAutostart(run_key or WinregRunKey(), tuple(command))
    if platform == "darwin":
        return LaunchAgent(home, tuple(command))
    return XdgAutostart(xdg_config_home(environ, home), tuple(command))


def for_this_computer() -> Autostart:
    return for_system(sys.platform, home=Path.home(), environ=os.environ,
                      command=launch_command())


def _winreg() -> Any:
    """``winreg``, there only on Windows (typed ``Any``: its stubs are Windows-only)."""
    return importlib.import_module("winreg")


def _write_replacing(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then put it in place: a
    half-written entry never starts anything."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
