"""A fresh Ubuntu lacks libxcb-cursor0: the app says so in one sentence naming the
package, before Qt's "could not load the Qt platform plugin" message."""

from __future__ import annotations

import pytest

from caregiver_app.services import system_libraries
from caregiver_app.services.system_libraries import (
    XCB_LIBRARIES,
    check_before_qt,
    explain,
    missing_packages,
    uses_xcb,
)

X11 = {"DISPLAY": ":0"}
WAYLAND = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}


@pytest.mark.parametrize(("platform", "environ", "qt_args", "expected"), [
    ("linux", X11, [], True),
    ("linux", {}, [], False),  # no display at all: Qt's own message is the right one
    ("linux", WAYLAND, [], False),  # Qt prefers Wayland there
    ("linux", {**WAYLAND, "QT_QPA_PLATFORM": "xcb"}, [], True),
    ("linux", {**X11, "QT_QPA_PLATFORM": "offscreen"}, [], False),
    ("linux", {**X11, "QT_QPA_PLATFORM": "wayland;xcb"}, [], False),
    ("linux", {**X11, "QT_QPA_PLATFORM": "offscreen"}, ["-platform", "xcb"], True),
    ("linux", X11, ["-platform", "offscreen"], False),
    ("darwin", X11, [], False),
    ("win32", X11, [], False),
])
def test_checked_only_where_qt_will_use_xcb(platform, environ, qt_args, expected):
    assert uses_xcb(platform, environ, qt_args) is expected


def test_the_missing_cursor_library_names_its_package():
    def loads(name: str) -> bool:
        return name != "libxcb-cursor.so.0"

    assert missing_packages(loads) == ["libxcb-cursor0"]
    sentence = check_before_qt([], environ=X11, platform="linux", loads=loads)
    assert "libxcb-cursor0" in sentence
    assert 'sudo apt install libxcb-cursor0"' in sentence
    assert sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence
    assert "Qt" not in sentence and "plugin" not in sentence


def test_a_minimal_system_gets_every_missing_package_in_one_sentence():
    sentence = explain([package for _lib, package in XCB_LIBRARIES])
    assert sentence.count(". ") == 0
    assert f"sudo apt install {' '.join(p for _l, p in XCB_LIBRARIES)}" in sentence
    assert len(XCB_LIBRARIES) == 10


def test_nothing_missing_says_nothing():
    assert check_before_qt([], environ=X11, platform="linux", loads=lambda _n: True) == ""


@pytest.mark.linux_only("opens libc.so.6 by its Linux name")
def test_libraries_are_opened_as_qt_would():
    assert system_libraries._loads("libc.so.6")
    assert not system_libraries._loads("libnot-a-real-library-for-this-test.so.9")


def test_the_app_stops_with_the_sentence_before_starting_qt(monkeypatch, capsys):
    from caregiver_app import app

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(system_libraries, "_loads", lambda name: "cursor" not in name)

    def no_qt(_args):
        raise AssertionError("Qt was started")

    monkeypatch.setattr(app, "_make_application", no_qt)
    assert app.main([]) == 1
    err = capsys.readouterr().err
    assert "libxcb-cursor0" in err
    assert err.strip().count("\n") == 0
