"""File ▸ Print, print preview, Save as PDF and the calendar / CSV exports in the window
(Save as PDF itself: test_pdf_off_the_gui_thread.py)."""

from __future__ import annotations

import gc
from datetime import date, time, timedelta

import pytest
from medicine_builders import medicine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from caregiver_app.domain.paper import Paper
from caregiver_app.domain.regimens import DailyRegimen
from caregiver_app.ui.printing import Period, PeriodDialog


def _actions(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if a.text()]


@pytest.fixture
def riluzole(ctx):
    today = ctx.medications.today()
    return ctx.medications.add_medicine(medicine(DailyRegimen(today, (time(8), time(20))),
                                                 id=None, start=today))


def test_file_menu_offers_print_and_exports(main_window):
    file_actions = _actions(main_window.file_menu)
    assert "Print" in file_actions
    assert "Export dose times to a calendar…" in file_actions
    assert "Export dose history (CSV)…" in file_actions
    printing = main_window.findChild(type(main_window.file_menu), "print_menu")
    assert _actions(printing)[:4] == ["Today's checklist…", "Tomorrow's checklist…",
                                      "Checklists for several days…",
                                      "Weekly record (7 days from today)…"]
    assert "Paper size" in _actions(printing)


def test_file_menu_has_print_in_its_place_once_the_window_is_up(ctx, qtbot):
    """Printing (``ui.printing``, with its dialogs) is not built while the window starts:
    its entries come at the event loop's second pass, where they always were."""
    from PySide6.QtWidgets import QMenu

    window = ctx.window
    assert window.findChild(QMenu, "print_menu") is None  # (built, not yet shown)
    assert "Print" not in _actions(window.file_menu)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMenu, "print_menu") is not None)
    entries = [a.text().replace("&", "") or "---" for a in window.file_menu.actions()]
    at = entries.index("Import records…")
    assert entries[at:at + 7] == [
        "Import records…", "---", "Print", "Export dose times to a calendar…",
        "Export dose history (CSV)…", "---", "Share with the family…"]  # (sharing's next)
    assert entries[-1] == "Quit"
    window.printing()  # asked for again: the same entries, once
    assert _actions(window.file_menu).count("Print") == 1


def test_preview_paints_the_sheet(ctx, main_window, riluzole, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    ctx.printing.preview("checklist", ctx.medications.today())
    dialog = ctx.printing.last_preview
    qtbot.waitUntil(dialog.isVisible)
    widget = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() >= 1)
    gc.collect()  # the dialog's printer must outlive the call that made it
    widget.updatePreview()
    qtbot.waitUntil(lambda: widget.pageCount() >= 1)
    assert "Save as PDF…" in [a.text() for a in dialog.findChildren(
        type(main_window.quit_action))]
    dialog.reject()


def test_tab_signal_arguments_are_accepted(ctx, main_window, qtbot):
    """The tabs emit print_requested(kind, date-or-None); a QDate works too."""
    from PySide6.QtCore import QDate

    ctx.printing.preview("medlist", None)
    ctx.printing.last_preview.reject()
    ctx.printing.preview("checklist", QDate(2026, 12, 1))
    ctx.printing.last_preview.reject()


def test_paper_size_is_remembered(ctx, main_window):
    ctx.printing.set_paper(Paper.A4)
    assert ctx.printing.paper() is Paper.A4
    ctx.printing.set_paper(Paper.LETTER)
    assert ctx.printing.paper() is Paper.LETTER


def test_exports_ask_the_period_then_write(ctx, main_window, riluzole, monkeypatch, qtbot,
                                          tmp_path):
    from gui_paths import wait_for

    today = ctx.medications.today()
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(
        lambda cls, *a, **k: Period(today, today + timedelta(days=1), 5)))
    assert wait_for(qtbot, ctx.printing.export_calendar(tmp_path / "d.ics")).ok
    assert (tmp_path / "d.ics").exists()
    assert "Exported 4 events" in main_window.statusBar().currentMessage()
    assert wait_for(qtbot, ctx.printing.export_history(tmp_path / "h.csv")).ok
    assert (tmp_path / "h.csv").exists()
    assert "Exported 4 rows" in main_window.statusBar().currentMessage()
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(lambda cls, *a, **k: None))
    assert ctx.printing.export_calendar(tmp_path / "e.ics") is None
    assert not (tmp_path / "e.ics").exists()


def test_period_dialog_checks_the_dates_next_to_the_field(qtbot):
    dialog = PeriodDialog("Export", "Choose", date(2026, 12, 10), date(2026, 12, 1),
                          alarm_minutes=0)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.errors.message("last") == "The last day cannot be before the first day."
    dialog.last_edit.setDate(dialog.first_edit.date().addDays(3))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1 and not dialog.isVisible()
    assert dialog.result_value() == Period(date(2026, 12, 10), date(2026, 12, 13), 0)
    assert dialog.alarm_edit.accessibleName()
    assert dialog.first_edit.accessibleName() == "First day"


def test_paper_size_follows_the_patients_country_before_the_locale(ctx, main_window,
                                                                   monkeypatch):
    """Until a size is chosen, a household in the US prints on Letter even where the
    computer's locale names no country; one in the UK on A4."""
    from PySide6.QtCore import QLocale

    from caregiver_app.domain.patient import AllergyStatus, Patient
    from caregiver_app.ui.printing import controller

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.C)))
    assert controller.locale_territory() == ""
    for zone, paper in (("America/Chicago", Paper.LETTER), ("Europe/London", Paper.A4)):
        ctx.patients.save(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                  time_zone=zone))
        assert ctx.printing.paper() is paper, zone
    ctx.printing.set_paper(Paper.LETTER)  # a choice made in the menu is kept
    assert ctx.printing.paper() is Paper.LETTER


def _wait_preview(ctx, qtbot, label: str):
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    dialog = ctx.printing.last_preview
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.windowTitle() == f"Print preview: {label}"
    widget = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() >= 1)
    return dialog, widget


def test_the_emergency_sheet_from_the_learn_tab_and_the_print_menu(ctx, main_window, qtbot):
    """A click on the Learn tab's button, or File ▸ Print ▸ Emergency sheet, previews the
    one-page emergency sheet."""
    from gui_paths import menu_action
    from PySide6.QtCore import Qt

    learn = main_window.show_tab("learn")
    qtbot.waitUntil(learn.is_loaded)
    assert learn.emergency_button.isVisible()
    qtbot.mouseClick(learn.emergency_button, Qt.MouseButton.LeftButton)
    dialog, widget = _wait_preview(ctx, qtbot, "Emergency sheet")
    assert widget.pageCount() == 1
    dialog.reject()
    ctx.printing.last_preview = None
    menu_action(main_window, "File", "Print", "Emergency sheet for paramedics…").trigger()
    dialog, _ = _wait_preview(ctx, qtbot, "Emergency sheet")
    dialog.reject()


def test_calendar_export_again_offers_the_same_file_and_cancels_what_went(
        ctx, main_window, riluzole, monkeypatch, qtbot, tmp_path):
    """File ▸ Export dose times to a calendar…, OK in the period dialog, a file name;
    after the medicine is stopped, the same menu item offers the same file, and the
    status bar says how many events the phones will see cancelled."""
    from gui_paths import menu_action, wait_for_background
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    from caregiver_app.domain.localtime import day_bounds

    seen: list[tuple[str, str]] = []
    target = tmp_path / "family.ics"

    def save_as(parent, caption, suggested, filters):
        seen.append((caption, suggested))
        return str(target), filters

    def person(dialog):
        intro = " ".join(label.text() for label in dialog.findChildren(QLabel))
        seen.append(("intro", intro))
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    def run(dialog):
        dialog.show()
        person(dialog)
        return dialog.result()

    monkeypatch.setattr(PeriodDialog, "exec", run)
    monkeypatch.setattr("caregiver_app.ui.printing.controller.QFileDialog.getSaveFileName",
                        save_as)
    action = menu_action(main_window, "File", "Export dose times to a calendar…")
    action.trigger()
    wait_for_background(qtbot)
    assert seen[-1] == ("Export", "medicine-times.ics")
    assert "marked cancelled" in seen[-2][1] and "sharing" in seen[-2][1]
    assert "Exported 60 events to" in main_window.statusBar().currentMessage()
    today = ctx.medications.today()
    ctx.medications.stop(riluzole.id, "stopped by the neurologist",
                         at=day_bounds(today + timedelta(days=10), ctx.medications.zone())[0])
    action.trigger()
    wait_for_background(qtbot)
    assert seen[-1] == ("Export", str(target.resolve()))
    message = main_window.statusBar().currentMessage()
    assert message.startswith("Exported 20 events to") and "40 sent earlier are now " \
                                                          "cancelled" in message
