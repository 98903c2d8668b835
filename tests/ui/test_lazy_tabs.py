"""The window builds the tab that shows first; each other tab when the person opens it,
or once the window is idle. A tab built late shows the records as they are then, and
follows every change from then on (the builder subscribes it when it builds it)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLabel

from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.ui.lazy_tabs import LazyTabs

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing",
                                       "does not support activateWindow")


def _contacts_shown(tab) -> str:
    """Every line of the contact list (the roles and the people under them)."""
    model, texts = tab.model, []

    def walk(parent) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            texts.append(str(index.data() or ""))
            walk(index)

    walk(QModelIndex())
    return " | ".join(texts)


def test_only_the_first_tab_is_built_with_the_window(ctx):
    tabs = ctx.window.tabs
    assert ctx.window.current_tab_key() == "today"
    assert [k for k in tabs.tab_keys() if tabs.is_built(k)] == ["today"]


def test_a_tab_opened_later_shows_what_changed_before_and_after(ctx, qtbot):
    window = ctx.window
    lee = ctx.careteam.save_contact(Contact("Dr. Lee", Role.NEUROLOGIST))  # not built yet
    assert not window.tabs.is_built("care_team")
    window.show()
    qtbot.waitExposed(window)
    [care_team_action] = [a for a in window.view_menu.actions() if a.text() == "Care team"]
    assert care_team_action.shortcut().toString() == "Ctrl+3"
    care_team_action.trigger()  # View ▸ Care team
    assert window.current_tab_key() == "care_team"
    care_team = window.tab_widget("care_team")
    assert care_team.isVisible()
    care_team.ensure_loaded()
    assert "Dr. Lee" in _contacts_shown(care_team)
    ctx.careteam.save_contact(replace(lee, name="Dr. Ann Lee"))  # built: it follows
    assert "Dr. Ann Lee" in _contacts_shown(care_team)


def test_the_other_tabs_are_built_once_the_window_is_idle(ctx, qtbot):
    window = ctx.window
    window.show()
    qtbot.waitUntil(lambda: all(window.tabs.is_built(k) for k in window.tabs.tab_keys()))
    assert window.current_tab_key() == "today"  # built, not shown


def test_a_tab_that_fails_to_build_is_not_tried_again_and_again(qtbot):
    tabs = LazyTabs()
    qtbot.addWidget(tabs)
    calls = []

    def broken():
        calls.append(1)
        raise RuntimeError("the records are closed")

    tabs.add_lazy("one", "&One", lambda: QLabel("one"))
    tabs.add_lazy("two", "&Two", broken)
    tabs.add_lazy("three", "T&hree", lambda: QLabel("three"))
    tabs.start()
    tabs.show()
    with qtbot.capture_exceptions() as raised:  # (from the idle pass, through Qt)
        qtbot.waitUntil(lambda: tabs.is_built("three"))
    assert [str(exc) for _, exc, _ in raised] == ["the records are closed"]
    assert tabs.is_built("one") and tabs.is_built("three") and not tabs.is_built("two")
    assert len(calls) == 1
    with pytest.raises(RuntimeError, match="closed"):  # opened by hand: tried again
        tabs.page("two")
    assert len(calls) == 2
