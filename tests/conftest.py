"""Shared fixtures. Every test runs offscreen, on a temporary data directory."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CAREGIVER_APP_DATA_DIR", None)

import pytest

from caregiver_app import APP_NAME, ORG_NAME, pyside_enums

# As the entry point does, before PySide makes any enum type: the tests run the app's
# path (tests/test_pyside_enums.py compares it with Python's own, in other processes).
PYSIDE_LOADED_BEFORE_ENUMS = "shiboken6" in sys.modules
pyside_enums.install()


def pytest_configure(config):
    from PySide6.QtCore import QStandardPaths

    # Qt's own guard: writable locations point at test folders, never the user's.
    QStandardPaths.setTestModeEnabled(True)


def pytest_collection_modifyitems(items):
    for item in items:
        if {"qtbot", "qapp", "ctx", "main_window"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)
        for name, systems in PLATFORM_MARKS.items():
            mark = item.get_closest_marker(name)
            if mark is not None and sys.platform not in systems:
                reason = mark.args[0] if mark.args else name
                item.add_marker(pytest.mark.skip(reason=f"{name} ({sys.platform}): {reason}"))


#: Tests of what only some systems do, by marker: each says why in its argument.
PLATFORM_MARKS = {
    "posix_only": ("linux", "darwin"),  # exact st_mode bits, chmod, umask, SIGKILL
    "linux_only": ("linux",),           # strace, ext4 images
}


class FakeClock:
    """A clock tests move by hand. Always timezone-aware UTC."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)

    def advance(self, **kwargs) -> datetime:
        self._now += timedelta(**kwargs)
        return self._now


@pytest.fixture(autouse=True)
def _login_start_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting at login (``services.autostart``) is written under the test's folder,
    never in the user's ~/.config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data directory for this test; also what the env override points at."""
    path = tmp_path / "data"
    monkeypatch.setenv("CAREGIVER_APP_DATA_DIR", str(path))
    return path


class ModalDialogInTest(AssertionError):
    """A test opened a dialog that waits for a person: offscreen it would wait forever."""


@pytest.fixture(autouse=True)
def no_waiting_dialogs(monkeypatch: pytest.MonkeyPatch):
    """A dialog shown with ``exec()`` or a static QMessageBox / QFileDialog waits for a
    person, so offscreen a test would hang instead of failing. They fail at once here,
    naming the dialog; a test that means to answer one patches its ``ask()`` classmethod,
    ``ui.messages``, or the static call it makes (which overrides this)."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    def refuse(what):
        def call(*args, **kwargs):
            title = next((a for a in args if isinstance(a, str)), "")
            if args and isinstance(args[0], QDialog):
                title = args[0].windowTitle() or type(args[0]).__name__
            raise ModalDialogInTest(f"{what} would wait for a person: {title!r}")
        return call

    monkeypatch.setattr(QDialog, "exec", refuse("a dialog"))
    for name in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse(f"QMessageBox.{name}")))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse(f"QFileDialog.{name}")))


@pytest.fixture(autouse=True)
def system_notices(monkeypatch: pytest.MonkeyPatch):
    """The desktop's notification service, faked on desktop-notifier's own backend seam
    (``tests/fake_notices.py``): no test shows a notification on the developer's
    desktop. A test that means to use a real service (``test_system_notices_dbus``)
    patches this back."""
    from fake_notices import FakeService, notifier_on

    from caregiver_app.services import system_notices

    service = FakeService()
    monkeypatch.setattr(system_notices, "_default_backend",
                        lambda app_name, icon: notifier_on(service))
    return service


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fresh_db():
    from caregiver_app.storage.db import memory_database, migrate

    db = memory_database()
    migrate(db)
    yield db
    db.close()


@pytest.fixture
def app_names(qapp):
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName(ORG_NAME)
    return qapp


@pytest.fixture
def ctx(app_names, qtbot, data_dir, fake_clock):
    """The real app, built on a temporary data directory with a fake clock."""
    from caregiver_app.app import build_context

    context = build_context(data_dir, clock=fake_clock)
    qtbot.addWidget(context.window)
    yield context
    from caregiver_app.ui.widgets import use_today

    use_today(date.today)  # (not this test's closed records, for the next test)
    system = getattr(context.alerts, "system", None)
    if system is not None:
        system.shutdown()  # the notification library's thread
    # Close as the app does on Quit: the reminders, the visit planner, sharing, the tray,
    # the reminder window and the main window stop before the records close. Offscreen,
    # closing one window activates another still shown, and an activated Today tab
    # reads its records: a window left shown by one test then failed a later one.
    context.close()


@pytest.fixture
def main_window(ctx, qtbot):
    """The window shown, once its event loop has done what it does when the window is up
    (File ▸ Print ▸ … and the exports are then in the menu: ``MainWindow.printing``)."""
    from PySide6.QtWidgets import QMenu

    ctx.window.show()
    qtbot.waitExposed(ctx.window)
    qtbot.waitUntil(lambda: ctx.window.findChild(QMenu, "print_menu") is not None)
    return ctx.window
