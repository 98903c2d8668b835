"""A full GUI run for the privacy test: start the real app on the example household,
show every tab, run the daily backups, restore one while the reminders run, and quit. Run
by tests/test_privacy.py under strace.
"""

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from caregiver_app import APP_NAME, ORG_NAME, app
from caregiver_app.services.demo import populate_example
from caregiver_app.services.logs import setup_file_logging
from caregiver_app.services.single_instance import SingleInstance

data_dir = Path(sys.argv[1])
qapp = QApplication([sys.argv[0]])
qapp.setApplicationName(APP_NAME)
qapp.setOrganizationName(ORG_NAME)
setup_file_logging(data_dir / "logs" / "caregiver-app.log")
instance = SingleInstance(data_dir)
assert instance.acquire()
ctx = app.build_context(data_dir)
populate_example(ctx.db, today=ctx.local_today(), time_zone="America/Chicago")
window = ctx.window
window.show()


def tour(index: int = 0) -> None:
    if index < window.tabs.count():
        window.tabs.setCurrentIndex(index)
        QTimer.singleShot(50, lambda: tour(index + 1))
    else:
        try:
            made = ctx.backups.make_rotating_backups()
            # a restore while the reminders run, then the app carries on in a new window:
            # the copies and the restored file are owner-only too
            ctx.reminders.start()
            assert ctx.backups.restore(made[0]).ok
            opened["ctx"] = app.reopen_context(ctx, data_dir, False)
            opened["ctx"].window.close()
        except BaseException:
            traceback.print_exc()
            qapp.exit(1)
            return
        qapp.quit()


opened = {"ctx": ctx}
QTimer.singleShot(0, tour)
if qapp.exec():
    sys.exit(1)
opened["ctx"].close()
instance.release()
print("tour finished")
