"""The Medications list in a dark theme: "reorder now", "Paused" and "Stopped" drawn at
4.5:1 on the dark list, and the status icons in the list's text colour, not black."""

from __future__ import annotations

from datetime import time

import pytest
from medicine_builders import D0, T8, T20, at, medicine
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from themes import DARK, drawn_contrast

from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.regimens import CycleRegimen, DailyRegimen
from caregiver_app.domain.vocab import MedicineStatus
from caregiver_app.ui import palette as palette_module
from caregiver_app.ui.medications import MedicationsTab
from caregiver_app.ui.medications.list_model import Column
from caregiver_app.ui.palette import contrast_ratio


@pytest.fixture
def dark_tab(book, reference, qtbot, qapp):
    book.add_medicine(medicine(DailyRegimen(D0, (T8, T20)), id=None,
                               reference_id="riluzole"))
    baclofen = book.add_medicine(medicine(DailyRegimen(D0, (T8,)), id=None,
                                          generic_name="baclofen"))
    book.pause(baclofen.id, "Too sleepy", at=at(D0, 9))
    edaravone = book.add_medicine(medicine(CycleRegimen(D0, (time(7),)), id=None,
                                           generic_name="edaravone",
                                           supply=SupplySettings(unit="tablet")))
    book.count_stock(edaravone.id, 3)  # runs out soon: reorder now
    quinine = book.add_medicine(medicine(DailyRegimen(D0, (T20,)), id=None,
                                         generic_name="quinine"))
    book.stop(quinine.id, "No longer needed", at=at(D0, 10))
    before = QPalette(qapp.palette())
    widget = MedicationsTab(book, reference)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_status_shown(MedicineStatus.PAUSED, True)
    widget.set_status_shown(MedicineStatus.STOPPED, True)
    yield widget
    palette_module.follow_system_palette(before)


def _cell(tab, name: str, column: Column):
    for row in range(tab.proxy.rowCount()):
        if tab.proxy.index(row, Column.NAME).data().startswith(name):
            return tab.proxy.index(row, column)
    raise AssertionError(name)


@pytest.mark.parametrize("theme", list(DARK))
def test_coloured_words_and_icons_show_on_a_dark_list(dark_tab, qapp, qtbot, theme):
    palette_module.follow_system_palette(DARK[theme])
    view = dark_tab.view
    view.clearSelection()
    view.setCurrentIndex(dark_tab.proxy.index(-1, -1))
    base = qapp.palette().color(QPalette.ColorRole.Base)
    assert base.lightnessF() < 0.3
    # (Qt hands the new palette to the widgets through the event loop)
    qtbot.waitUntil(lambda: view.viewport().palette().color(QPalette.ColorRole.Base) == base)
    image = view.viewport().grab().toImage()
    cells = {"reorder now": _cell(dark_tab, "edaravone", Column.RUN_OUT),
             "paused": _cell(dark_tab, "baclofen", Column.STATUS),
             "stopped": _cell(dark_tab, "quinine", Column.STATUS)}
    assert "reorder now" in cells["reorder now"].data()
    for what, index in cells.items():
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        assert contrast_ratio(brush.color(), base) >= 4.5, what
        rect = view.visualRect(index).adjusted(24, 2, -2, -2)  # the words, not the icon
        assert drawn_contrast(image, rect) >= 4.5, what
    checked = 0
    for row in range(dark_tab.proxy.rowCount()):
        icon = dark_tab.proxy.index(row, Column.STATUS).data(Qt.ItemDataRole.DecorationRole)
        glyph = icon.pixmap(16, 16).toImage()
        solid = [QColor.fromRgba(glyph.pixel(x, y)) for y in range(16) for x in range(16)]
        solid = [c for c in solid if c.alpha() > 200]
        assert solid and all(contrast_ratio(c, base) >= 3.0 for c in solid), row
        checked += 1
    assert checked == 4
