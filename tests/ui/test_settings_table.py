"""Every setting declared once, with its type, default and where it is kept."""

from __future__ import annotations

import pytest

from caregiver_app.domain.household import SETTINGS as HOUSEHOLD
from caregiver_app.ui import settings as module
from caregiver_app.ui.settings import (
    COMPUTER_SETTINGS,
    IN_THE_RECORDS,
    ON_THIS_COMPUTER,
    UiSettings,
    every_setting,
)

#: The UiSettings attributes read through a declaration, and the setting behind each.
ATTRIBUTES = {
    "last_tab": "main_window/last_tab", "text_scale": "view/text_scale",
    "learn_zoom_percent": "learn/zoom_percent", "learn_last_article": "learn/last_article",
    "today_large_text": "today/large_text", "reminder_lead_minutes": "reminders/lead_minutes",
    "reminder_repeat_minutes": "reminders/repeat_minutes", "reminder_sound": "reminders/sound",
    "reminder_volume": "reminders/volume", "reminder_escalate": "reminders/escalate",
    "reminder_loudest": "reminders/loudest", "close_to_tray": "reminders/close_to_tray",
    "tray_hint_shown": "reminders/tray_hint_shown",
    "appointment_reminder_hours": "reminders/appointment_hours",
    "bring_to_front": "reminders/bring_to_front", "discreet_notices": "reminders/discreet",
    "going_effect_after_minutes": "going/effect_after_minutes",
    "last_version": "app/last_version",
}


@pytest.fixture
def ini(tmp_path, qapp):
    return tmp_path / "ui-settings.ini"


def test_one_table_lists_every_setting_once_with_where_it_is_kept():
    table = every_setting()
    keys = [s.key for s in table]
    assert len(keys) == len(set(keys)) == len(COMPUTER_SETTINGS) + len(HOUSEHOLD)
    assert {s.key for s in table if s.where == IN_THE_RECORDS} == set(HOUSEHOLD)
    assert all(s.where == ON_THIS_COMPUTER for s in COMPUTER_SETTINGS)
    assert set(ATTRIBUTES.values()) <= set(keys)
    assert all(s.doc and isinstance(s.kind, type) for s in table)
    assert all(s.default is None or isinstance(s.default, s.kind) for s in table)


def test_a_new_file_reads_every_default(ini):
    fresh = UiSettings.at(ini)
    declared = {s.key: s for s in COMPUTER_SETTINGS}
    for attribute, key in ATTRIBUTES.items():
        assert getattr(fresh, attribute) == declared[key].default, attribute
    assert fresh.on_duty_caregiver_id is None
    assert len(ATTRIBUTES) == 18
    assert fresh.going_nudges and fresh.going_effect_after_minutes == 60


def test_what_is_written_reads_back_after_the_file_is_opened_again(ini):
    first = UiSettings.at(ini)
    first.text_scale = 1.5
    first.reminder_lead_minutes = 15
    first.reminder_sound = False
    first.learn_last_article = "riluzole"
    first.on_duty_caregiver_id = 3
    first.sync()
    again = UiSettings.at(ini)
    assert (again.text_scale, again.reminder_lead_minutes, again.reminder_sound,
            again.learn_last_article, again.on_duty_caregiver_id) == (
        1.5, 15, False, "riluzole", 3)


def test_writing_what_the_file_holds_leaves_the_file_as_it_was(ini):
    """The window sets the text size and the person on duty at every start: the same
    values again do not make Qt write the file anew (a lock file, a new file, two disk
    flushes: QSettings writes a new file, so the file seen is another one)."""
    first = UiSettings.at(ini)
    first.text_scale = 1.5
    first.on_duty_caregiver_id = 3
    first.sync()
    written = ini.stat()
    again = UiSettings.at(ini)
    again.text_scale = 1.5
    again.on_duty_caregiver_id = 3
    again.sync()
    assert (ini.stat().st_ino, ini.stat().st_mtime_ns) == (written.st_ino,
                                                          written.st_mtime_ns)
    again.text_scale = 1.25  # (a change is still written: the check can fail)
    again.sync()
    assert ini.stat().st_ino != written.st_ino
    assert UiSettings.at(ini).text_scale == 1.25


def test_a_choice_is_written_even_where_the_file_holds_what_reads_as_it(ini):
    """A stored value out of range, or not a choice, reads as the nearest allowed value
    or the default: the person choosing that value still has it written, so the file
    says what they chose (another version may allow the value the file held)."""
    ini.write_text("[view]\ntext_scale=9\n[reminders]\nrepeat_minutes=7\n")
    settings = UiSettings.at(ini)
    assert (settings.text_scale, settings.reminder_repeat_minutes) == (
        2.5, module.REMINDER_REPEAT.default)
    settings.text_scale = 2.5
    settings.reminder_repeat_minutes = module.REMINDER_REPEAT.default
    settings.sync()
    text = ini.read_text()
    assert "text_scale=2.5" in text
    assert f"repeat_minutes={module.REMINDER_REPEAT.default}" in text


def test_a_value_out_of_range_or_not_a_choice_reads_as_allowed(ini):
    ini.write_text("[view]\ntext_scale=9\n[reminders]\nlead_minutes=7\nvolume=oops\n"
                   "loudest=50\n[learn]\nzoom_percent=10\n")
    read = UiSettings.at(ini)
    assert read.text_scale == 2.5  # clamped
    assert read.learn_zoom_percent == 50
    assert read.reminder_lead_minutes == module.REMINDER_LEAD.default  # not a choice
    assert read.reminder_volume == module.REMINDER_VOLUME.default  # not a number
    assert read.reminder_loudest == read.reminder_volume  # never below the volume


def test_today_s_going_line_keeps_reading_what_earlier_versions_wrote(ini):
    ini.write_text("[going]\nnudges=off\neffect_after_minutes=7\n")
    read = UiSettings.at(ini)
    assert read.going_nudges is False  # written as "off" before it was declared
    assert read.going_effect_after_minutes == 60  # not a choice: the default
    read.going_nudges = True
    read.going_effect_after_minutes = 90
    assert (read.get_str("going/nudges"), read.going_effect_after_minutes) == ("on", 90)
