"""Start at login, as a caregiver turns it on and off: on the welcome screen and in
Reminders… on the Today tab. The entry is the real XDG autostart file, in the test's
XDG_CONFIG_HOME (conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from caregiver_app.services import autostart
from caregiver_app.ui.welcome import WelcomeChoice, WelcomeDialog

ROOT = Path(__file__).resolve().parents[2]

# The real entry is the XDG file here; elsewhere it would be the user's own LaunchAgents
# folder or Run key, so macOS and Windows are tested through their logic
# (tests/services/test_autostart.py).
pytestmark = pytest.mark.linux_only("the XDG autostart file, in the test's folder")


def _entry() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "caregiver-app.desktop"


def _tick(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton,
                     pos=box.rect().topLeft() + QPoint(6, box.rect().height() // 2))


def test_the_welcome_screen_offers_it_and_set_up_turns_it_on(qtbot):
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.login_check.isChecked()  # offered, not chosen for them
    assert "when I log in, so reminders come even if nobody opens it" in \
        dialog.login_check.text().replace("&", "")
    _tick(qtbot, dialog.login_check)
    assert dialog.login_check.isChecked()
    qtbot.mouseClick(dialog.set_up_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is WelcomeChoice.SET_UP
    assert _entry().is_file()
    assert "--at-login" in _entry().read_text()


def test_looking_at_the_example_first_does_not_start_anything_at_login(qtbot):
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    _tick(qtbot, dialog.login_check)
    qtbot.mouseClick(dialog.example_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is WelcomeChoice.EXAMPLE
    assert not _entry().exists()


def test_a_refused_login_start_is_said_on_the_welcome_screen(qtbot, tmp_path):
    class Refusing(autostart.XdgAutostart):
        def turn_on(self) -> None:
            raise PermissionError(13, "Permission denied")

    dialog = WelcomeDialog(autostart=Refusing(tmp_path, ("app",)))
    qtbot.addWidget(dialog)
    dialog.show()
    _tick(qtbot, dialog.login_check)
    qtbot.mouseClick(dialog.set_up_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is None and dialog.isVisible()
    assert dialog.login_error.isVisible()
    assert "Permission denied" in dialog.login_error.text()
    _tick(qtbot, dialog.login_check)  # untick to carry on without it
    qtbot.mouseClick(dialog.set_up_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is WelcomeChoice.SET_UP


def _in_reminder_settings(monkeypatch, main_window, qtbot, person) -> None:
    from caregiver_app.ui.today.settings_dialog import ReminderSettingsDialog

    def run(dialog):
        dialog.show()
        person(dialog)
        return dialog.result()

    monkeypatch.setattr(ReminderSettingsDialog, "exec", run)
    qtbot.mouseClick(main_window.today_tab.reminders_button, Qt.MouseButton.LeftButton)


def _ok(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_reminder_settings_turn_it_on_then_off_leaving_nothing(main_window, monkeypatch,
                                                                qtbot):
    autostart_dir = _entry().parent
    autostart_dir.mkdir(parents=True)
    (autostart_dir / "other.desktop").write_text("[Desktop Entry]\nName=Other\n")

    def turn_on(dialog):
        assert not dialog.login_check.isChecked()
        _tick(qtbot, dialog.login_check)
        _ok(qtbot, dialog)

    _in_reminder_settings(monkeypatch, main_window, qtbot, turn_on)
    assert _entry().is_file()

    def turn_off(dialog):
        assert dialog.login_check.isChecked()  # read back from the system's entry
        _tick(qtbot, dialog.login_check)
        _ok(qtbot, dialog)

    _in_reminder_settings(monkeypatch, main_window, qtbot, turn_off)
    assert sorted(p.name for p in autostart_dir.iterdir()) == ["other.desktop"]


def test_a_refused_login_start_keeps_the_dialog_open_and_saves_nothing(
        ctx, main_window, monkeypatch, qtbot):
    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(autostart.XdgAutostart, "turn_on", refuse)
    seen = {}

    def person(dialog):
        dialog.sound_check.setChecked(not ctx.settings.reminder_sound)
        _tick(qtbot, dialog.login_check)
        _ok(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.error_label.text()
        dialog.done(0)  # (the person would then be asked before discarding)

    before = ctx.settings.reminder_sound
    _in_reminder_settings(monkeypatch, main_window, qtbot, person)
    assert seen["open"]
    assert "Starting at login could not be set up" in seen["error"]
    assert ctx.settings.reminder_sound == before  # nothing saved half-way
    assert not _entry().exists()


@pytest.mark.slow
def test_started_at_login_it_opens_minimized(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CAREGIVER_APP_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data"),
         "--demo", "--at-login", "--verbose", "--quit-when-idle"],
        env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    # offscreen there is no tray: the window is minimized, never shown in front
    assert "started at login: window minimized" in result.stderr
    assert "window shown" not in result.stderr


def _answer_offer(monkeypatch, qtbot, person) -> list[str]:
    """The offer after an update, answered by ``person``; returns the window titles."""
    from caregiver_app.ui.login_offer import LoginOfferDialog

    seen: list[str] = []

    def run(dialog):
        qtbot.addWidget(dialog)
        dialog.show()
        seen.append(dialog.windowTitle())
        person(dialog)
        return dialog.result()

    monkeypatch.setattr(LoginOfferDialog, "exec", run)
    return seen


def test_after_an_update_it_is_offered_once_and_turned_on(ctx, main_window, monkeypatch,
                                                          qtbot):
    from caregiver_app.ui.login_offer import offer_after_update

    ctx.settings.last_version = "0.1.0"

    def accept(dialog):
        assert dialog.focusWidget() is dialog.on_button  # Enter says yes
        qtbot.mouseClick(dialog.on_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()

    seen = _answer_offer(monkeypatch, qtbot, accept)
    assert offer_after_update(ctx.settings, main_window, "0.2.0")
    assert seen == ["Reminders after a restart"]
    assert _entry().is_file() and "--at-login" in _entry().read_text()
    assert ctx.settings.last_version == "0.2.0"
    _entry().unlink()  # turned off later in Reminders…: the same version does not ask again
    assert not offer_after_update(ctx.settings, main_window, "0.2.0")
    assert seen == ["Reminders after a restart"]


def test_not_now_leaves_it_off_until_the_next_update(ctx, main_window, monkeypatch, qtbot):
    from caregiver_app.ui.login_offer import offer_after_update

    seen = _answer_offer(monkeypatch, qtbot, lambda dialog: qtbot.mouseClick(
        dialog.not_now_button, Qt.MouseButton.LeftButton))
    assert ctx.settings.last_version == ""  # records set up with 0.1.0
    assert offer_after_update(ctx.settings, main_window, "0.2.0")
    assert not _entry().exists()
    assert not offer_after_update(ctx.settings, main_window, "0.2.0")
    assert offer_after_update(ctx.settings, main_window, "0.3.0")  # the next update asks
    assert len(seen) == 2


def test_a_refused_login_start_after_an_update_is_said_in_the_offer(ctx, main_window,
                                                                     monkeypatch, qtbot):
    from caregiver_app.ui.login_offer import offer_after_update

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(autostart.XdgAutostart, "turn_on", refuse)
    said = {}

    def person(dialog):
        qtbot.mouseClick(dialog.on_button, Qt.MouseButton.LeftButton)
        said["open"] = dialog.isVisible()
        said["error"] = dialog.error_label.text()
        qtbot.mouseClick(dialog.not_now_button, Qt.MouseButton.LeftButton)

    _answer_offer(monkeypatch, qtbot, person)
    offer_after_update(ctx.settings, main_window, "0.2.0")
    assert said["open"]
    assert "Starting at login could not be set up (Permission denied)" in said["error"]
    assert not _entry().exists()


def test_a_new_household_offered_it_on_the_welcome_screen_is_not_asked_again(
        ctx, main_window, monkeypatch, qtbot):
    """Set up through the welcome screen (which offered it): this version is recorded, so
    the offer after an update waits for the next version."""
    from caregiver_app import __version__, app
    from caregiver_app.ui.login_offer import offer_after_update

    monkeypatch.setattr("caregiver_app.ui.welcome.WelcomeDialog.ask",
                        lambda: WelcomeChoice.SET_UP)
    monkeypatch.setattr(ctx.window, "edit_patient", lambda: None)
    monkeypatch.setattr(ctx.window, "edit_caregivers", lambda: None)
    assert app.first_run(ctx) is WelcomeChoice.SET_UP
    assert ctx.settings.last_version == __version__
    seen = _answer_offer(monkeypatch, qtbot, lambda dialog: None)
    assert not offer_after_update(ctx.settings, main_window, __version__)
    assert seen == []
