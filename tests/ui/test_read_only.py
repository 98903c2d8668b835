"""A disk already full when the app starts (issue #12 item 2): the records open
read-only, the day, the medicines and the care team are shown and can be printed, every
write control is disabled saying why, and Try again opens them for changes once there
is room. Nothing is written to the full disk, not even SQLite's side files."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from small_disk import small_disk  # noqa: F401  (a fixture)

from caregiver_app import app
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.ui.read_only import WRITE_CONTROLS, ReadOnlyBar, resolve

pytestmark = pytest.mark.qt_log_ignore("does not support raise")


@pytest.fixture
def full_at_start(small_disk, app_names, qtbot, fake_clock, monkeypatch):  # noqa: F811
    """Records made on the small disk, the app closed, then the disk filled up."""
    from caregiver_app.app import build_context

    data = small_disk.root / "data"
    monkeypatch.setenv("CAREGIVER_APP_DATA_DIR", str(data))
    fake_clock.set(at(D0, 8, 30))
    ctx = build_context(data, clock=fake_clock)
    ctx.patients.save(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                              time_zone="America/New_York"))
    ctx.patients.save_caregivers([Caregiver("Tom Example", "TE")])
    ctx.medications.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None))
    ctx.medications.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3),
                                          id=None, generic_name="glycopyrrolate",
                                          purpose="Drooling"))
    ctx.careteam.save_contact(Contact("Dr Ada Lee", Role.NEUROLOGIST))
    ctx.window.deleteLater()
    ctx.close()
    small_disk.fill()
    yield data, small_disk
    small_disk.free()


def _riluzole(ctx) -> int:
    return next(m.id for m in ctx.medications.medicines() if m.generic_name == "riluzole")


def _digest(data) -> str:
    return hashlib.sha256((data / "caregiver.sqlite3").read_bytes()).hexdigest()


def test_a_full_disk_at_start_opens_the_records_read_only(full_at_start, qtbot, monkeypatch,
                                                          fake_clock):
    data, disk = full_at_start
    monkeypatch.setattr("caregiver_app.app.SystemClock", lambda: fake_clock)
    before = _digest(data)
    monkeypatch.setattr("caregiver_app.ui.backups.recovery.ask_recovery",
                        lambda *a, **k: pytest.fail("a full disk is not damage"))
    ctx = app._open_or_recover(data, False)
    qtbot.addWidget(ctx.window)
    try:
        assert ctx.read_only == "the disk is full"
        window = ctx.window
        window.show()
        qtbot.waitExposed(window)
        bar = window.findChild(ReadOnlyBar)
        assert bar.isVisible()
        assert bar.label.text().startswith("⚠ Read-only: the disk is full, so nothing can "
                                           "be saved")
        # what is there is shown
        today = window.today_tab
        window.show_tab("today")
        today.refresh()
        assert [r.cells[1] for r in today.model.rows()][:1] == ["riluzole 50 mg"]
        assert sorted(m.generic_name for m in ctx.medications.medicines()) == [
            "glycopyrrolate", "riluzole"]
        assert [c.name for c in ctx.careteam.contacts()] == ["Dr Ada Lee"]
        # every write control is disabled, saying why, and stays so
        count = 0
        for key, names in WRITE_CONTROLS.items():
            root = window if not key else window.tab_widget(key)
            for name in names:
                control = resolve(root, name)
                count += 1
                if isinstance(control, (QWidget, QAction)) and not hasattr(control,
                                                                          "isReadOnly"):
                    assert not control.isEnabled(), f"{key}.{name}"
                    assert "read-only" in control.toolTip(), f"{key}.{name}"
                else:
                    assert control.isReadOnly(), f"{key}.{name}"
        assert count == 38
        assert today.show_dose(_riluzole(ctx), f"{D0.isoformat()}T08:00")
        assert not today.card.given_button.isEnabled()  # selecting a due dose keeps it off
        qtbot.keyClick(today.tree, Qt.Key.Key_G)  # the keyboard cannot record either
        assert ctx.medications.day().doses[0].effective is None
        # printing stays
        assert today.print_button.isEnabled()
        # reminders still come (their bookkeeping stays in memory)
        batches = []
        ctx.reminders.reminders_due.connect(batches.append)
        ctx.reminders.start()
        ctx.clock.set(at(D0, 20))
        ctx.reminders.wake()
        assert "20:00" in [s.occurrence.key[-5:] for b in batches for s in b.doses]
        ctx.reminders.stop()
        ctx.clock.set(at(D0, 8, 30))
        assert _digest(data) == before
        assert sorted(p.name for p in data.glob("caregiver.sqlite3*")) == ["caregiver.sqlite3"]
        # Try again, still full: still read-only, and says so
        with qtbot.waitSignal(bar.retry_requested):
            bar.retry_button.click()
        again = app.reopen_context(ctx, data, False)
        qtbot.addWidget(again.window)
        assert again.read_only
        assert again.window.statusBar().currentMessage().startswith("Still read-only")
        # room again: Try again opens them for changes
        disk.free()
        ctx = app.reopen_context(again, data, False)
        qtbot.addWidget(ctx.window)
        assert not ctx.read_only and ctx.window.findChild(ReadOnlyBar) is None
        assert ctx.window.statusBar().currentMessage() == (
            "There is room on the disk again: everything can be saved.")
        ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)
        ctx.medications.record_given(_riluzole(ctx),
                                     f"{D0.isoformat()}T08:00")
    finally:
        ctx.close()


def test_print_works_on_a_full_disk(full_at_start, tmp_path, capsys):
    data, _ = full_at_start
    out = tmp_path / "list.pdf"  # on another disk, with room
    code = app.main(["--data-dir", str(data), "print", "medlist", "--pdf", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "opened read-only to print" in capsys.readouterr().err
    assert out.stat().st_size > 1000


def test_every_write_control_is_listed():
    """The tabs' write controls, as a person finds them: each listed once."""
    assert sum(len(v) for v in WRITE_CONTROLS.values()) == 38
