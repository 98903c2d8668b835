from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from caregiver_app.app import build_context
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient

TAB_KEYS = ["today", "medications", "care_team", "learn"]


def test_every_tab_reachable_by_keyboard_and_shows_content(main_window, qtbot):
    for number, key in enumerate(TAB_KEYS, start=1):
        qtbot.keyClick(main_window, Qt.Key(Qt.Key.Key_0 + number),
                       Qt.KeyboardModifier.ControlModifier)
        assert main_window.current_tab_key() == key
        widget = main_window.tabs.currentWidget()
        assert widget.isVisible()
        assert widget.accessibleName()
        # every tab shows something a caregiver can read
        texts = [w.text() for w in widget.findChildren(QLabel)]
        assert any(len(t) > 20 for t in texts), key


def test_last_tab_and_geometry_remembered(ctx, qtbot, data_dir, fake_clock):
    window = ctx.window
    window.show()
    window.resize(700, 500)
    window.show_tab("care_team")
    window.close()
    ctx.close()
    again = build_context(data_dir, clock=fake_clock)
    qtbot.addWidget(again.window)
    assert again.window.current_tab_key() == "care_team"
    assert again.window.size().width() == 700
    again.close()


def test_header_shows_patient_and_allergies(ctx):
    ctx.session.save_patient(Patient("Jane Doe", date_of_birth=date(1960, 2, 3),
                                     allergy_status=AllergyStatus.NONE_KNOWN))
    assert "Jane Doe" in ctx.window.patient_label.text()
    assert "born 3 Feb 1960" in ctx.window.patient_label.text()  # as the printouts say it
    assert "No known allergies" in ctx.window.patient_label.text()


def test_caregiver_on_duty_selector(ctx, qtbot):
    saved = ctx.session.save_caregivers([Caregiver("Tom Example", "TE"),
                                          Caregiver("Ana Helper", "AH")])
    combo = ctx.window.duty_combo
    assert combo.count() == 3  # "choose" plus two people
    ana = next(c for c in saved if c.initials == "AH")
    with qtbot.waitSignal(ctx.changes.changed) as blocker:
        combo.setCurrentIndex(combo.findData(ana.id))
        combo.activated.emit(combo.currentIndex())
    assert blocker.args[0].on_duty and ctx.session.on_duty.initials == "AH"
    assert ctx.settings.on_duty_caregiver_id == ana.id


def test_the_only_caregiver_put_on_duty_is_remembered_for_the_next_start(ctx, monkeypatch):
    """First run: adding the one caregiver puts them on duty, and the next start keeps
    them on duty instead of asking again."""
    from caregiver_app.ui.profile.caregivers_dialog import CaregiversDialog

    monkeypatch.setattr(CaregiversDialog, "ask",
                        classmethod(lambda cls, *a, **k: k["save"]([Caregiver("Tom Example",
                                                                              "TE")])))
    assert ctx.window.edit_caregivers()
    tom = ctx.patients.caregivers()[0]
    assert ctx.session.on_duty_id == tom.id
    assert ctx.settings.on_duty_caregiver_id == tom.id


def test_text_size_scales_and_is_remembered(ctx):
    base = QApplication.font().pointSizeF()
    ctx.window.set_text_scale(1.5)
    assert QApplication.font().pointSizeF() == base * 1.5
    assert ctx.settings.text_scale == 1.5
    ctx.window.set_text_scale(1.0)
    assert QApplication.font().pointSizeF() == base


def test_about_says_no_medical_advice(main_window, monkeypatch):
    shown = {}
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.about",
                        lambda parent, title, text: shown.update(text=text))
    main_window._show_about()
    assert "does not give medical advice" in shown["text"]
    assert "0." in shown["text"]  # version


def test_example_label_is_a_tag_not_a_framed_button_look_alike(
        app_names, qtbot, data_dir, fake_clock):
    """"Example: made-up data" had the same thin frame as the "Caregivers…" button beside
    it, so people clicked it (or dwelt on it with eye gaze) and nothing happened."""
    context = build_context(data_dir, clock=fake_clock, is_example=True)
    qtbot.addWidget(context.window)
    try:
        window = context.window
        window.show()
        qtbot.waitExposed(window)
        badge = window.header.example_badge
        assert badge is not None and badge.isVisible()
        image = badge.grab().toImage()
        middle_x, middle_y = image.width() // 2, image.height() // 2
        fill = image.pixelColor(middle_x, 1)
        # filled to its edges on every side: no frame line drawn around it
        for x, y in ((0, middle_y), (image.width() - 1, middle_y), (middle_x, 0),
                     (middle_x, image.height() - 1)):
            assert image.pixelColor(x, y).rgb() == fill.rgb(), (x, y)
        # a coloured tag, set apart from the window, its words readable on it
        window_colour = window.palette().window().color()
        assert fill.rgb() != window_colour.rgb()
        button = window.header.caregivers_button.grab().toImage()
        assert fill.rgb() != button.pixelColor(button.width() // 2, 2).rgb()
        assert _darkest_contrast(image, fill) >= 4.5
    finally:
        context.close()


def _darkest_contrast(image, fill) -> float:
    from caregiver_app.ui.palette import contrast_ratio

    return max(contrast_ratio(image.pixelColor(x, y), fill)
               for x in range(image.width()) for y in range(image.height()))
