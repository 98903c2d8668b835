"""What differs on Windows and macOS (ui/desktop.py): the rules, tested by naming each
system, and what the window does with them here (session end, the Dock, the menus)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types
from pathlib import Path
from types import SimpleNamespace

import pytest
from gui_paths import Answers, button
from households import jane_with_tom_on_duty
from medicine_builders import D0, T8, medicine
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from caregiver_app import APP_NAME
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.ui import desktop
from caregiver_app.ui.desktop import NS_ACTIVITY_NO_APP_NAP, Desktop, ReopenWatch, SessionWatch
from caregiver_app.ui.notifiers import TrayNotifier

MAC, WINDOWS, LINUX = Desktop("darwin"), Desktop("win32"), Desktop("linux")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def not_ending():
    yield
    desktop._ending["now"] = False


# ---- The rules


@pytest.mark.parametrize(("system", "expected"), [
    (MAC, {"Ctrl+Z": "⌘Z", "Ctrl+Shift+Z": "⇧⌘Z", "Alt+Left": "⌥←", "Ctrl+2": "⌘2",
           "Ctrl+T": "⌘T", "Meta+Ctrl+F": "⌃⌘F"}),
    (LINUX, {"Ctrl+Z": "Ctrl+Z", "Ctrl+Shift+Z": "Ctrl+Shift+Z", "Alt+Left": "Alt+Left",
             "Ctrl+2": "Ctrl+2"}),
    (WINDOWS, {"Ctrl+Z": "Ctrl+Z", "Alt+Left": "Alt+Left"}),
])
def test_shortcuts_are_written_the_way_each_system_writes_them(qapp, system, expected):
    assert {keys: system.shortcut_text(keys) for keys in expected} == expected


#: Every shortcut the app writes out (found by the sweep below).
SHORTCUTS_WRITTEN = ("Ctrl+Z", "Ctrl+F", "Ctrl+D", "Ctrl+T", "Ctrl+2", "Ctrl+P", "Ctrl+S",
                     "Ctrl+-", "Ctrl++", "Alt+Left", "Alt+Right", "Alt+Down")


def test_the_sweep_knows_every_shortcut_the_app_writes_out():
    import re

    used = set()
    for path in (ROOT / "caregiver_app").rglob("*.py"):
        used |= set(re.findall(r"shortcut_text\('([^']+)'\)", path.read_text("utf-8")))
    assert used == set(SHORTCUTS_WRITTEN)


@pytest.mark.skipif(sys.platform != "darwin", reason="Qt writes macOS's notation only there")
def test_on_macos_the_words_are_qts_own(qapp):
    """On a Mac (the CI's macos-latest), the shortcut text is Qt's NativeText, and the
    notation the tests elsewhere use for macOS is the same."""
    from PySide6.QtGui import QKeySequence

    native = {keys: QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
              for keys in SHORTCUTS_WRITTEN}
    assert {keys: desktop.mac_shortcut_text(keys) for keys in SHORTCUTS_WRITTEN} == native
    assert {keys: desktop.shortcut_text(keys) for keys in SHORTCUTS_WRITTEN} == native


def test_alt_letters_are_promised_only_where_they_work():
    assert LINUX.mnemonic_hint("b") == WINDOWS.mnemonic_hint("B") == " (Alt+B)"
    assert MAC.mnemonic_hint("B") == ""


def test_where_quit_settings_and_the_icon_are():
    assert MAC.quit_path == f"{APP_NAME} ▸ Quit {APP_NAME}"
    assert WINDOWS.quit_path == LINUX.quit_path == "File ▸ Quit"
    assert MAC.settings_path == f"{APP_NAME} ▸ Settings…"
    assert MAC.tray_place == "in the menu bar" and WINDOWS.tray_place == "near the clock"
    mac = MAC.tray_hint()
    assert "menu bar" in mac and "File" not in mac and "near the clock" not in mac
    assert "Quit" in mac and "Settings" in mac


def test_on_windows_the_first_close_says_where_to_pin_the_icon():
    """Windows 11 hides a new tray icon under the ^ overflow arrow."""
    hint = WINDOWS.tray_hint()
    assert "^ arrow" in hint and "Other system tray icons" in hint
    assert MAC.pin_hint() == LINUX.pin_hint() == ""
    assert "^" not in LINUX.tray_hint()


def test_only_macos_shows_the_window_when_the_app_becomes_active():
    assert MAC.shows_window_on_activation(window_visible=False)
    assert not MAC.shows_window_on_activation(window_visible=True)
    assert not WINDOWS.shows_window_on_activation(window_visible=False)
    assert not LINUX.shows_window_on_activation(window_visible=False)


def test_app_nap_is_turned_off_on_macos_only(monkeypatch):
    """Through rubicon-objc (desktop-notifier's own bridge on macOS), faked here."""
    calls = []

    class ProcessInfo:
        def beginActivityWithOptions(self, options, reason):
            calls.append((options, reason))
            return "activity"

    fake = types.ModuleType("rubicon.objc")
    fake.ObjCClass = lambda name: SimpleNamespace(processInfo=ProcessInfo()) \
        if name == "NSProcessInfo" else None
    monkeypatch.setitem(sys.modules, "rubicon", types.ModuleType("rubicon"))
    monkeypatch.setitem(sys.modules, "rubicon.objc", fake)
    monkeypatch.setattr(desktop, "_activity", [])
    assert desktop.keep_awake_for_reminders(LINUX) is False and calls == []
    assert desktop.keep_awake_for_reminders(MAC) is True
    assert desktop.keep_awake_for_reminders(MAC) is True  # once: the activity is kept
    assert calls == [(NS_ACTIVITY_NO_APP_NAP, "Dose reminders must come on time")]
    assert NS_ACTIVITY_NO_APP_NAP == 0x00EFFFFF  # user-initiated, idle sleep allowed


# ---- The window


@pytest.fixture
def tray_window(ctx, main_window, monkeypatch, fake_clock):
    """A desktop with a tray, the setting on: closing the window keeps the app running."""
    jane_with_tom_on_duty(ctx, fake_clock)
    ctx.medications.add_medicine(medicine(DailyRegimen(D0, (T8,)), id=None))
    monkeypatch.setattr(TrayNotifier, "available", staticmethod(lambda: True))
    shown = []
    ctx.alerts._tray = SimpleNamespace(icon=SimpleNamespace(
        supportsMessages=lambda: True, showMessage=lambda *a: shown.append(a)))
    ctx.settings.close_to_tray = True
    ctx.tray_messages = shown
    return main_window


def test_the_first_close_says_where_the_app_went_and_how_to_quit(ctx, tray_window,
                                                                 monkeypatch):
    monkeypatch.setattr(desktop, "DESKTOP", WINDOWS)
    tray_window.close()
    assert not tray_window.isVisible()
    (title, text), = ctx.tray_messages
    assert title == f"{APP_NAME} is still running"
    assert text == WINDOWS.tray_hint() and "File ▸ Quit" in text and "^ arrow" in text


def test_a_session_end_closes_the_window_instead_of_hiding_it(ctx, tray_window, qapp):
    """A logout or restart: hiding in the tray would cancel it (macOS) or hold it up."""
    quits = []
    tray_window.quit_requested.connect(lambda: quits.append(1))
    ctx.reminders.start()
    tray_window.close()  # the close button: kept running in the tray
    assert not tray_window.isVisible() and ctx.reminders.running
    tray_window.show()
    saved = []
    watch = SessionWatch(qapp, save=lambda: saved.append(1))
    watch.session_ending()  # what Qt's commitDataRequest calls (not sendable offscreen)
    assert saved == [1] and desktop.app_is_ending()
    tray_window.close()  # what Qt does next
    assert not tray_window.isVisible()
    assert tray_window.close_prompt is None  # nothing asked: the system is waiting
    assert tray_window._quitting
    watch.deleteLater()
    ctx.reminders.stop()


def test_a_session_end_called_off_goes_back_to_keeping_running(ctx, tray_window, qapp):
    """A logout cancelled (another program held it up): still running two minutes
    later, closing the window keeps the app running in the tray again, so the reminders
    do not stop quietly at the next close."""
    watch = SessionWatch(qapp, save=lambda: None)
    watch.session_ending()
    assert desktop.app_is_ending()
    assert watch.grace.isActive() and watch.grace.interval() == 120_000
    watch.grace.timeout.emit()  # (two minutes on the clock)
    assert not desktop.app_is_ending()
    ctx.reminders.start()
    tray_window.close()
    assert tray_window.isHidden() and not tray_window._quitting and ctx.reminders.running
    ctx.reminders.stop()
    watch.deleteLater()


def test_a_window_closed_for_good_stays_closed_when_the_tray_goes(ctx, tray_window,
                                                                 monkeypatch):
    """Hidden in the tray, a slow check brings the window back if the tray goes away.
    Once the app is closed (Quit, or a restore reopening the records) it must not: the
    window it would bring back reads records that are closed."""
    tray_window.close()
    assert tray_window.isHidden() and ctx.alerts.tray_watch.isActive()
    ctx.close()
    assert not ctx.alerts.tray_watch.isActive()


def test_reminder_settings_are_in_the_menu_where_macos_moves_them(mac_rules, ctx,
                                                                  main_window, qtbot,
                                                                  monkeypatch):
    """File ▸ Reminder settings… has the role that makes macOS put it in the
    application menu (as Settings…, ⌘,); it opens the Today tab's Reminders dialog,
    which on a Mac says the app keeps running in the menu bar."""
    action = main_window.settings_action
    assert action in main_window.file_menu.actions()
    assert action.menuRole() == QAction.MenuRole.PreferencesRole
    assert main_window.quit_action.menuRole() == QAction.MenuRole.QuitRole
    seen = []

    def look_and_cancel(dialog):
        seen.extend(_visible_words(dialog) + [w.text() for w in dialog.findChildren(QLabel)])
        button(dialog, "Cancel").click()

    answers = Answers(qtbot, monkeypatch).then(look_and_cancel)
    main_window.show_tab("learn")
    action.trigger()
    assert answers.seen == ["Reminders"] and main_window.current_tab_key() == "today"
    assert any("running in the menu bar" in w for w in seen)
    assert not [w for w in seen if "near the clock" in w]


def test_the_dock_icon_brings_back_a_window_hidden_in_the_menu_bar(ctx, tray_window, qapp):
    shown = []
    watch = ReopenWatch(qapp, window_visible=tray_window.isVisible,
                        show=lambda: shown.append(1), desktop=MAC)
    tray_window.close()
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert shown == [1]
    tray_window.show()
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert shown == [1]  # already in sight
    watch.deleteLater()


def _visible_words(root: QWidget) -> list[str]:
    words = []
    for widget in [root, *root.findChildren(QWidget)]:
        words += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QAbstractButton):
            words.append(widget.text())
        if isinstance(widget, QLineEdit):
            words.append(widget.placeholderText())
    return [w for w in words if w]


@pytest.fixture
def mac_rules(monkeypatch):
    """The window is built under macOS's rules (listed before ``ctx``, which builds it)."""
    monkeypatch.setattr(desktop, "DESKTOP", MAC)


def test_on_macos_no_text_says_ctrl_or_promises_an_alt_letter(mac_rules, ctx, main_window):
    """Shortcuts in ⌘ notation, and no Alt+letter (macOS has no mnemonics)."""
    main_window.show_tab("learn")
    words = _visible_words(main_window)
    assert len(words) > 100
    assert [w for w in words if "Ctrl+" in w or "Alt+" in w] == []
    assert any("⌘F" in w for w in words) and any("⌘T" in w for w in words)
    assert any("⌥→" in w for w in words)


@pytest.mark.slow
def test_a_quit_from_the_system_is_never_held_up_by_a_question(tmp_path):
    """macOS's logout, restart, update and Dock ▸ Quit send the app a Quit event, and Qt
    closes every window: one still on screen cancels the logout. Without a tray, closing
    the window asked first ("Reminders stop…") and stayed up, so the logout was cancelled.
    The real app object, window and Qt's own Quit handling, in a process of its own (a
    test process has its QApplication already)."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QEvent, QTimer
        from caregiver_app import app as app_module
        app = app_module._make_application([])
        ctx = app_module.build_context(Path({str(tmp_path / "data")!r}))
        app.setQuitOnLastWindowClosed(False)
        ctx.window.show()
        ctx.reminders.start()
        def logout():
            ctx.window.close()  # the close button first: it asks, the window stays
            prompt = ctx.window.close_prompt
            print("asked:", prompt is not None and ctx.window.isVisible(), flush=True)
            prompt.escapeButton().click()
            app.sendEvent(app, QEvent(QEvent.Type.Quit))  # what macOS's logout does
        QTimer.singleShot(200, logout)
        QTimer.singleShot(5000, lambda: (print("still running", flush=True), app.exit(3)))
        code = app.exec()
        print("exit", code, ctx.window.isVisible(), ctx.window.close_prompt, flush=True)
        ctx.close()
        sys.exit(code)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, cwd=ROOT,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "asked: True" in result.stdout, result.stdout + result.stderr
    assert "still running" not in result.stdout
    assert "exit 0 False None" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0


def _set_up(monkeypatch):
    from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
    from caregiver_app.ui.welcome import WelcomeChoice

    monkeypatch.setattr("caregiver_app.ui.welcome.WelcomeDialog.ask",
                        lambda: WelcomeChoice.SET_UP)

    def patient(*_a, **k):
        value = Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                        time_zone="Europe/London")
        k["save"](value)
        return value

    monkeypatch.setattr("caregiver_app.ui.profile.patient_dialog.PatientDialog.ask", patient)
    monkeypatch.setattr("caregiver_app.ui.profile.caregivers_dialog.CaregiversDialog.ask",
                        lambda *a, **k: k["save"]([Caregiver("Tom Doe", "TD")]))


@pytest.mark.parametrize("system", [MAC, LINUX, WINDOWS])
def test_macos_asks_leave_for_notifications_at_first_run_saying_why(ctx, monkeypatch,
                                                                     system):
    from caregiver_app import app
    from caregiver_app.services.system_notices import SystemNotifier

    _set_up(monkeypatch)
    monkeypatch.setattr(desktop, "DESKTOP", system)
    said, asked = [], []
    monkeypatch.setattr("caregiver_app.ui.messages.inform",
                        lambda parent, title, text: said.append((title, text)))
    real = SystemNotifier.ask_permission
    monkeypatch.setattr(SystemNotifier, "ask_permission",
                        lambda self: asked.append(real(self).result(timeout=10)))
    app.first_run(ctx)
    if system.is_mac:
        (title, text), = said
        assert title == "Reminders on this Mac" and "Allow" in text
        assert "own window" in text  # the banner stays the sure channel
        assert asked == [True]  # the service's answer (the test service allows)
    else:
        assert said == [] and asked == []
