"""File ▸ Phones and who uses them…: "Ana's iPhone = Ana Helper", typed as a person
does, checked next to the field, kept in the records."""

from __future__ import annotations

from gui_paths import Answers, Keyboard, button, menu_action
from PySide6.QtCore import Qt

from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.tick_sources import Phone
from caregiver_app.storage.sharing_repo import SharingRepository


def test_phones_are_named_and_mapped_to_their_caregivers(ctx, main_window, qtbot,
                                                         monkeypatch):
    ctx.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                     time_zone="America/New_York"))
    ana, ben = ctx.session.save_caregivers([Caregiver("Ana Helper", "AH"),
                                            Caregiver("Ben Helper", "BH")])
    keys = Keyboard(qtbot)
    answers = Answers(qtbot, monkeypatch, keys)
    seen = {}

    def fill(dialog):
        # Add with no name: said next to the name, nothing added
        keys.click(button(dialog, "Add this phone"))
        seen["empty"] = dialog.name_error.text()
        seen["rows"] = dialog.list.count(), dialog.phones()
        keys.type("Ana's iPhone")  # the focus went back to the name
        keys.press("Alt+G")
        keys.press(Qt.Key.Key_Home)  # Ana Helper, first
        keys.press("Alt+A")
        keys.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        keys.type("iPhone or iPad")
        keys.click(button(dialog, "Add this phone"))
        seen["first"] = dialog.list.item(0).text()
        # the second is typed and saved straight away (Save adds it)
        keys.type("Ben's Android")
        keys.press("Alt+G")
        keys.press(Qt.Key.Key_Home)
        keys.press(Qt.Key.Key_Down)  # Ben Helper, second
        keys.press("Alt+O")
        keys.type("family")
        keys.click(button(dialog, "Save"))

    answers.then(fill)
    menu_action(main_window, "File", "Phones and who uses them…").trigger()
    assert seen["empty"] == "⚠ Name the phone, for example Ana's iPhone."
    assert seen["rows"] == (1, [])  # only the "no phone named yet" line
    assert seen["first"] == "Ana's iPhone = Ana Helper (iPhone or iPad, any account)"
    assert SharingRepository(ctx.db).phones() == [
        Phone("Ana's iPhone", ana.id, client="iPhone or iPad", id=1),
        Phone("Ben's Android", ben.id, account="family", id=2)]

    # removed again: the list is kept as it is left
    def remove(dialog):
        dialog.list.setFocus()
        keys.press(Qt.Key.Key_Home)
        keys.press("Alt+R")
        assert dialog.list.item(0).text() == \
            "Ben's Android = Ben Helper (any phone app, account family)"
        keys.click(button(dialog, "Save"))

    answers.then(remove)
    menu_action(main_window, "File", "Phones and who uses them…").trigger()
    assert [p.name for p in SharingRepository(ctx.db).phones()] == ["Ben's Android"]
