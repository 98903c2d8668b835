"""Screenshots of every tab on the example household: ``make screenshots``.

Renders offscreen with ``QWidget.grab()`` into ``shots/`` (git-ignored), at normal and
large text. Look at them after changing the UI.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from caregiver_app import APP_NAME, ORG_NAME, app
from caregiver_app.services.demo import populate_example

OUT = Path(__file__).resolve().parent.parent / "shots"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName(ORG_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = app.build_context(Path(tmp) / "data", is_example=True)
        populate_example(ctx.db, today=ctx.local_today(), time_zone=app.system_time_zone(),
                         now=ctx.clock.now())
        ctx.core.announce_all()
        ctx.session.set_on_duty(ctx.patients.caregivers()[0].id)
        window = ctx.window
        window.resize(1280, 860)
        window.show()
        for scale, suffix in ((1.0, ""), (1.5, "-large")):
            window.set_text_scale(scale)
            for index in range(window.tabs.count()):
                window.tabs.setCurrentIndex(index)
                qapp.processEvents()
                key = window.current_tab_key()
                path = OUT / f"{index + 1}-{key}{suffix}.png"
                window.grab().save(str(path))
                print(path)
        window.set_text_scale(1.0)
        window.resize(1280, 860)
        today = window.show_tab("today")
        today.set_large_text(True)  # the Today tab's own "Large text" view
        qapp.processEvents()
        path = OUT / "1-today-large-text-view.png"
        window.grab().save(str(path))
        print(path)
        today.set_large_text(False)
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
